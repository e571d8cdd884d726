//! Command-line definitions (clap derive). Shared groups are flattened into each subcommand.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Compare a Mautic MySQL/MariaDB schema with the reference of its release, \
explain the gap and reconcile it safely.";

const LONG_ABOUT: &str = "Compare a Mautic MySQL/MariaDB schema with the reference of its release, \
explain the gap and reconcile it safely.\n\n\
MySQL and MariaDB commit every DDL statement implicitly: a schema change cannot be rolled back. \
mautic-schema therefore never relies on a transaction for DDL; `apply` takes a verified backup \
first, keeps a journal so an interrupted run resumes, and verifies the result.\n\n\
Every comparing command ends with one verdict line, the same for the same database. \
Exit codes: 0 in sync, 1 something to do (drift, migrations, an interrupted run, blockers), \
2 error.";

/// "mautic-schema 0.1.0 (references 2.0.0–6.0.3)": the version and the range of releases whose
/// reference schema this build embeds (read from the embedded index).
pub fn version_line() -> String {
    format!("{} {}", env!("CARGO_PKG_NAME"), version_text())
}

fn version_text() -> String {
    let refs = crate::mautic::references::releases();
    match (refs.first(), refs.last()) {
        (Some(a), Some(b)) => format!("{} (references {a}–{b})", env!("CARGO_PKG_VERSION")),
        _ => format!("{} (no bundled references)", env!("CARGO_PKG_VERSION")),
    }
}

/// Help is wrapped at the terminal's width, never wider than this.
const HELP_MAX_WIDTH: usize = 100;
/// Help on a pipe or in a file (`mautic-schema apply --help | less`): a pager's width.
pub const HELP_PIPE_WIDTH: usize = 80;

/// The width of help when standard output is not a terminal: `COLUMNS` when set, else
/// [`HELP_PIPE_WIDTH`]. `None` on a terminal: clap asks it (feature `wrap_help`).
fn help_width_off_terminal() -> Option<usize> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0);
    Some(columns.unwrap_or(HELP_PIPE_WIDTH).min(HELP_MAX_WIDTH))
}

/// The commands that change a live database cannot work on a dump: the parser refuses
/// `--dump` for them (exit 2, before anything runs) and their help does not list it.
const SERVER_ONLY: &[&str] = &["apply", "restore"];

/// The full command line definition: the derived one, with the version naming the bundled
/// references and `--dump` refused where a live server is needed. Completions and the man page
/// are generated from it.
pub fn command() -> clap::Command {
    let version: &'static str = Box::leak(version_text().into_boxed_str());
    let mut cmd = Cli::command()
        .version(version)
        .max_term_width(HELP_MAX_WIDTH);
    let help_width = help_width_off_terminal();
    if let Some(w) = help_width {
        cmd = cmd.term_width(w);
    }
    for name in SERVER_ONLY {
        cmd = cmd.mut_subcommand(*name, |c| {
            // The source group without --dump, so the usage line does not offer it.
            c.mut_group("SourceArgs", |_| {
                clap::ArgGroup::new("SourceArgs")
                    .args(["mautic_dir", "config", "url"])
                    .required(true)
                    .multiple(false)
            })
            .mut_arg("dump", |a| {
                a.hide(true).value_parser(clap::builder::ValueParser::new(
                    move |_: &str| -> std::result::Result<PathBuf, String> {
                        Err(format!(
                            "`{name}` changes a live database, so it needs a server: \
                             --mautic-dir, --config or --url (a dump is for check, diff, snapshot, \
                             preflight)"
                        ))
                    },
                ))
            })
        });
    }
    wrap_usages(cmd, help_width.unwrap_or(HELP_PIPE_WIDTH))
}

/// clap wraps help text but not the usage line, which names every source flag (118 columns
/// for `preflight`): each subcommand's usage is broken between its words to fit `width`,
/// continuation lines under the first word after `Usage: `.
fn wrap_usages(mut cmd: clap::Command, width: usize) -> clap::Command {
    let bin = cmd.get_name().to_string();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |mut sub| {
            let usage = sub.render_usage().to_string();
            let body = usage.trim().trim_start_matches("Usage:").trim();
            let rest = body.split_once(' ').map_or("", |(_, r)| r);
            let full = format!("{bin} {name} {rest}");
            if "Usage: ".len() + full.chars().count() <= width {
                return sub;
            }
            sub.override_usage(wrap_usage(&full, width))
        });
    }
    cmd
}

/// `usage` broken at the spaces between its top-level words (never inside `<...>` or
/// `[...]`) into lines that fit `width` after clap's `Usage: `.
fn wrap_usage(usage: &str, width: usize) -> String {
    const INDENT: &str = "       ";
    let mut words: Vec<String> = Vec::new();
    let (mut depth, mut word) = (0i32, String::new());
    for c in usage.chars() {
        match c {
            ' ' if depth == 0 => {
                words.push(std::mem::take(&mut word));
                continue;
            }
            '<' | '[' => depth += 1,
            '>' | ']' => depth -= 1,
            _ => {}
        }
        word.push(c);
    }
    words.push(word);
    let mut lines: Vec<String> = vec![String::new()];
    for w in words.into_iter().filter(|w| !w.is_empty()) {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(&w);
        } else if INDENT.len() + line.chars().count() + 1 + w.chars().count() <= width {
            line.push(' ');
            line.push_str(&w);
        } else {
            lines.push(w);
        }
    }
    lines.join(&format!("\n{INDENT}"))
}

impl Cli {
    /// Parse the process's arguments with [`command`]; on an error print it and exit 2
    /// (0 for --help and --version).
    pub fn parse_args() -> Cli {
        Self::parse_from_iter(std::env::args_os())
    }

    /// Parse `args` (the program name first) as [`parse_args`] does.
    pub fn parse_from_iter<I, T>(args: I) -> Cli
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Self::try_parse_with(args).unwrap_or_else(|e| e.exit())
    }

    pub fn try_parse_with<I, T>(args: I) -> std::result::Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut cmd = command();
        let m = cmd.try_get_matches_from_mut(args)?;
        Cli::from_arg_matches(&m).map_err(|e| e.format(&mut cmd))
    }
}

#[derive(Debug, Parser)]
#[command(name = "mautic-schema", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the live schema (or a dump) with the reference and report every difference.
    Check(CheckArgs),
    /// Print the SQL that turns the live schema into the reference, for review.
    Diff(DiffArgs),
    /// Reconcile the live database: pre-checks, backup, lock, journal, statements, verification.
    Apply(ApplyArgs),
    /// Restore a backup taken by `apply` into the database.
    Restore(RestoreArgs),
    /// Write the schema of a healthy database as a reference file (any release, plugins included).
    Snapshot(SnapshotArgs),
    /// Before an upgrade: what Mautic's migrations to --to will meet on this database
    /// (each migration's verdict, the rows and limits in the way, a rehearsal, the server version).
    Preflight(PreflightArgs),
    /// One Markdown file for a support thread or a change ticket: versions, migrations, drift
    /// and its SQL, pre-checks (and preflight with --to); redacted, short enough for a forum post.
    Report(ReportArgs),
    /// List the Mautic releases whose reference schema is bundled.
    Versions(VersionsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to standard output: `mautic-schema man > mautic-schema.1`;
    /// with --dir, write it and one page per subcommand (mautic-schema-apply.1, ...) there.
    Man(ManArgs),
    /// Print the page on an error or refusal (what it means, what to do), or on reading the
    /// output; without a topic, list the topics.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A topic, such as lock-held or prechecks (`explain` alone lists them; errors about the
    /// connection and the configuration name theirs).
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write mautic-schema.1 and a page per subcommand into this existing folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where the schema to check comes from: one of these.
#[derive(Debug, Args, Clone)]
#[group(required = true, multiple = false)]
pub struct SourceArgs {
    /// Mautic install directory: its config/local.php (5.x) or app/config/local.php is read.
    /// `check` takes several (repeat the flag; a quoted glob such as '/var/www/*' is expanded
    /// by the tool) and prints a line per install.
    #[arg(long, value_name = "DIR")]
    pub mautic_dir: Vec<PathBuf>,
    /// A Mautic local.php file (`check` takes several, as --mautic-dir).
    #[arg(long, value_name = "FILE")]
    pub config: Vec<PathBuf>,
    /// mysql://user@host:port/database (the password is best given in MAUTIC_DB_PASSWORD or
    /// MYSQL_PWD: on the command line, other users can read it with ps).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A schema dump (mysqldump, mariadb-dump, Navicat, SQLyog): checked offline, no server.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
}

/// TLS to the server (the same modes as the mysql client).
#[derive(Debug, Args, Clone, Default)]
pub struct TlsArgs {
    /// disabled, preferred (encrypt when the server offers it), required, verify-ca, verify-identity.
    #[arg(long, value_enum, default_value_t = SslModeArg::Preferred)]
    pub ssl_mode: SslModeArg,
    /// CA certificate to verify the server with (verify-ca, verify-identity).
    #[arg(long, value_name = "FILE")]
    pub ssl_ca: Option<PathBuf>,
}

/// `--ssl-mode`'s values; the library's `db::SslMode` knows nothing of clap.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum SslModeArg {
    Disabled,
    #[default]
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

impl From<SslModeArg> for crate::db::SslMode {
    fn from(a: SslModeArg) -> Self {
        use crate::db::SslMode;
        match a {
            SslModeArg::Disabled => SslMode::Disabled,
            SslModeArg::Preferred => SslMode::Preferred,
            SslModeArg::Required => SslMode::Required,
            SslModeArg::VerifyCa => SslMode::VerifyCa,
            SslModeArg::VerifyIdentity => SslMode::VerifyIdentity,
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Table prefix of the install (overrides local.php's db_table_prefix).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Compare against this DDL file (CREATE TABLE statements, a dump or Doctrine's SQL)
    /// instead of a bundled release.
    #[arg(long, value_name = "FILE", conflicts_with = "target")]
    pub reference_file: Option<PathBuf>,
    /// Mautic release to compare with (default: the install's code version, else the version
    /// the database is detected at).
    #[arg(long, value_name = "RELEASE")]
    pub target: Option<String>,
    /// Report history an older release left (VARCHAR(255), signed ids, utf8mb3) as drift too.
    #[arg(long)]
    pub strict: bool,
    /// A table at least this big (data + indexes; K, M, G suffixes) is large: when its ALTER
    /// must copy it (writes blocked), index additions go into a second ALTER that runs online
    /// after the copy. Small tables keep one ALTER.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = crate::apply::online::parse_size)]
    pub large_table_size: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    Table,
    /// The JSON contract, for machines.
    Json,
    /// The reconciling SQL, for review.
    Sql,
    /// Unified diff of canonical CREATE TABLE text per table.
    Diff,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Columns for the table format (default: COLUMNS, else the terminal's width, else 80 on a
    /// pipe); below 90 the table is a list, one block per change.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,
    /// Count destructive fixes (drops, narrowing changes) as proposed rather than held back.
    #[arg(long)]
    pub allow_destructive: bool,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// Many installs in one run (several --mautic-dir/--config, or glob patterns).
#[derive(Debug, Args, Clone)]
pub struct FleetArgs {
    /// One line per install (the form several installs always get), even for one.
    #[arg(long)]
    pub brief: bool,
    /// Print only the installs that need attention: not in sync (drift, pending migrations),
    /// not ready for the upgrade, or not checked (an error), one line each as with several
    /// installs. The exit code still counts every install.
    #[arg(long)]
    pub only_problems: bool,
    /// How many databases are read at the same time when several installs are named.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

#[derive(Debug, Args)]
pub struct PreflightArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The release the install is about to be upgraded to.
    #[arg(long, value_name = "RELEASE")]
    pub to: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also run destructive statements (dropping tables, columns, unique indexes; narrowing).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Run every pre-check and print the plan; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Skip the backup (only when you have taken one yourself).
    #[arg(long)]
    pub no_backup: bool,
    /// The folder backups go under, never inside the Mautic install; each backup gets its own
    /// new 0700 folder in it (default: $XDG_STATE_HOME/mautic-schema/backups, else
    /// ~/.local/state/mautic-schema/backups).
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// `all` (default) or `tables`: only the tables the plan touches plus the migrations
    /// table, for large databases.
    #[arg(long, value_enum, default_value_t = BackupScope::All)]
    pub backup: BackupScope,
    /// Seconds an ALTER may wait for a table lock before giving up (so it never blocks the
    /// site behind a long transaction).
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub lock_wait_timeout: u32,
    /// When an ALTER goes through pt-online-schema-change (percona-toolkit) so the site keeps
    /// writing: `auto` for tables of at least --online-min-size whose ALTER the server cannot
    /// run without blocking writes, `always`, or `never`.
    #[arg(long, value_enum, default_value_t = OnlineArg::Auto)]
    pub online: OnlineArg,
    /// Table size (data + indexes; K, M, G suffixes) from which `--online auto` goes online.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = crate::apply::online::parse_size)]
    pub online_min_size: u64,
    /// pt-online-schema-change pauses its copy while the server is above this load.
    #[arg(long, value_name = "VAR=N", default_value = "Threads_running=25")]
    pub online_max_load: String,
    /// pt-online-schema-change aborts (leaving the table as it was) above this load.
    #[arg(long, value_name = "VAR=N", default_value = "Threads_running=100")]
    pub online_critical_load: String,
    /// Seconds each chunk pt-online-schema-change copies should take (a concurrent write can
    /// wait about that long behind one).
    #[arg(long, value_name = "SECONDS", default_value_t = crate::apply::online::DEFAULT_CHUNK_TIME)]
    pub online_chunk_time: f64,
    /// `table` (progress and summary) or `json` (summary as JSON on stdout).
    #[arg(long, default_value = "table", value_parser = text_or_json("table"))]
    pub format: Format,
    #[arg(long, value_enum, default_value_t = ProgressArg::Auto, help = PROGRESS_HELP)]
    pub progress: ProgressArg,
}

const PROGRESS_HELP: &str = "Progress of the backup, the restore and each statement on standard error: `auto` (only when it is a terminal), `always` (plain lines on a pipe), `never`.";

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ProgressArg {
    Auto,
    Always,
    Never,
}

impl ProgressArg {
    pub fn when(self) -> crate::report::progress::When {
        use crate::report::progress::When;
        match self {
            ProgressArg::Auto => When::Auto,
            ProgressArg::Always => When::Always,
            ProgressArg::Never => When::Never,
        }
    }
}

/// A command with one text format (`table` or `sql`) and the JSON contract: its help lists no
/// other.
fn text_or_json(text: &'static str) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new([text, "json"]).map(|s| match s.as_str() {
        "json" => Format::Json,
        "sql" => Format::Sql,
        _ => Format::Table,
    })
}

#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// `table` (tab-separated lines) or `json` (docs/json.md).
    #[arg(long, default_value = "table", value_parser = text_or_json("table"))]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OnlineArg {
    Never,
    Auto,
    Always,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BackupScope {
    All,
    Tables,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// The backup written by `apply`: its folder, or the dump file in it.
    #[arg(long, value_name = "FILE", required_unless_present = "list")]
    pub backup: Option<PathBuf>,
    /// List the backups recorded in the database (time, run, tables, size, and which is the
    /// state before a run that did not finish) instead of restoring.
    #[arg(long, conflicts_with = "backup")]
    pub list: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = ProgressArg::Auto, help = PROGRESS_HELP)]
    pub progress: ProgressArg,
    /// `table` (progress on stderr only) or `json` (what was restored, on stdout).
    #[arg(long, default_value = "table", value_parser = text_or_json("table"))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Table prefix of the install (overrides local.php's db_table_prefix).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// `sql` (the reference file) or `json` (what was written; the DDL in it without --output).
    #[arg(long, default_value = "sql", value_parser = text_or_json("sql"))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also emit destructive statements (dropping tables, columns, unique indexes; narrowing
    /// types). Without it they are listed as held back.
    #[arg(long)]
    pub allow_destructive: bool,
    /// `sql` (for review) or `json` (the check document, each change's and step's SQL in it).
    #[arg(long, default_value = "sql", value_parser = text_or_json("sql"))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also include preflight's verdicts for an upgrade to this release.
    #[arg(long, value_name = "RELEASE")]
    pub to: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Keep host, user, database name, site URL, folders and e-mail addresses (the file says so).
    #[arg(long)]
    pub no_redact: bool,
}
