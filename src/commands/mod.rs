//! One file per subcommand: each turns its flags into work on the library and returns the
//! process outcome. Shared here: finding the schema to check from the flags.

pub mod apply;
pub mod apply_screen;
pub mod check;
pub mod diff;
pub mod explain;
pub mod fleet;
pub mod fleet_patterns;
pub mod fleet_preflight;
pub mod generated;
pub mod preflight;
pub mod report;
pub mod restore;
pub mod snapshot;
pub mod versions;

use std::path::PathBuf;

use crate::cli::CommonArgs;
use crate::compare::{self, Live};
use crate::config::{DbSettings, Env, load_local_php, locate_local_php};
use crate::db::ConnectParams;
use crate::error::{Error, Result};
use crate::mautic::check::{CheckOptions, mautic_report};

/// What a successful command tells `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    InSync,
    Differences,
}

impl Outcome {
    /// The outcome the one verdict says (its exit code: 0 in sync, 1 otherwise).
    pub fn of(v: &crate::mautic::overall::Verdict) -> Outcome {
        match v.exit_code {
            0 => Outcome::InSync,
            _ => Outcome::Differences,
        }
    }

    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::InSync => 0,
            Outcome::Differences => 1,
        }
    }
}

/// Why a command failed: the error, and for a refused `apply` what it had learnt by then (its
/// JSON document shows the pre-checks and the rehearsal).
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub apply: Option<Box<crate::report::contract::ApplyDoc>>,
    /// The command's own JSON already says it (the fleet's line per install that failed): no
    /// error document after it.
    pub in_output: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            apply: None,
            in_output: false,
        }
    }
}

/// Whether the command was asked for the JSON contract (its errors are JSON too then).
pub fn wants_json(command: &crate::cli::Command) -> bool {
    use crate::cli::{Command, Format};
    let format = match command {
        Command::Check(a) => a.format,
        Command::Diff(a) => a.format,
        Command::Apply(a) => a.format,
        Command::Restore(a) => a.format,
        Command::Snapshot(a) => a.format,
        Command::Preflight(a) => a.format,
        Command::Versions(a) => a.format,
        Command::Completions(_) | Command::Man(_) | Command::Report(_) | Command::Explain(_) => {
            return false;
        }
    };
    format == Format::Json
}

/// The one place an outcome becomes an exit code: 0 in sync, 1 differences, 2 error. An error
/// is one line on stderr and, with `--format json`, a document on stdout: the error document on
/// one line, or a refused `apply`'s own document (the fleet's error lines say it themselves).
pub fn finish(result: std::result::Result<Outcome, Failure>, json: bool) -> i32 {
    use crate::report::contract::{ERROR_EXIT_CODE, ErrorDoc, to_json, to_json_line};
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(f) => {
            let hint = f
                .error
                .topic()
                .map(|t| format!(" (mautic-schema explain {t})"))
                .unwrap_or_default();
            let line = format!(
                "error: {}{hint}",
                crate::text::one_line(&f.error.to_string())
            );
            // On a terminal, wrapped between words at its width (a long message, such as what
            // Ctrl-C interrupted and left and what to run, is not cut mid-word); one line for
            // a pipe or a file, which scripts read whole.
            eprintln!("{}", crate::report::progress::fit_stderr(&line, "  "));
            if json && !f.in_output {
                match f.apply {
                    Some(doc) => print!("{}", to_json(&doc)),
                    None => println!("{}", to_json_line(&ErrorDoc::of(&f.error))),
                }
            }
            ERROR_EXIT_CODE
        }
    }
}

/// Flags that do not parse: clap prints its message and exits 2; with `--format json` among the
/// arguments the error document goes to stdout first (not for --help or --version).
pub fn usage_error(e: &clap::Error, args: &[std::ffi::OsString]) {
    use crate::report::contract::{ErrorBody, ErrorDoc, to_json_line};
    let json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    if !json || !e.use_stderr() {
        return;
    }
    // Clap's message up to its usage block, on one line.
    let text = e.to_string();
    let message = text
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let message = message
        .strip_prefix("error: ")
        .unwrap_or(&message)
        .to_string();
    println!(
        "{}",
        to_json_line(&ErrorDoc::of_body(ErrorBody::usage(message)))
    );
}

/// Connection parameters of resolved settings (the password borrowed, never copied).
pub fn connect_params(s: &DbSettings) -> ConnectParams<'_> {
    ConnectParams {
        host: &s.host,
        port: s.port,
        user: &s.user,
        password: s.password.expose(),
        database: &s.name,
        socket: s.socket.as_deref(),
        tls: crate::db::Tls {
            mode: s.ssl_mode,
            ca: s.ssl_ca.as_deref(),
        },
    }
}

pub enum Source {
    Server(Box<DbSettings>),
    Dump(PathBuf),
}

pub struct Resolved {
    pub source: Source,
    pub prefix: String,
    pub mautic_dir: Option<PathBuf>,
}

/// Turn the source flags into a server to connect to or a dump to read. Warnings go to
/// stderr at once: they concern how the user invoked the tool.
pub fn resolve(args: &CommonArgs, env: &Env) -> Result<Resolved> {
    resolve_source(&args.source, &args.tls, args.prefix.as_deref(), env)
}

/// Where the schema is, from the source flags alone (commands without a target or a plan:
/// `restore`, `snapshot`).
pub fn resolve_source(
    s: &crate::cli::SourceArgs,
    tls: &crate::cli::TlsArgs,
    prefix: Option<&str>,
    env: &Env,
) -> Result<Resolved> {
    let (source, prefix, mautic_dir) = if let Some(dump) = &s.dump {
        (
            Source::Dump(dump.clone()),
            prefix.unwrap_or_default().to_string(),
            None,
        )
    } else {
        let (loaded, dir) = if let Some(url) = &s.url {
            (crate::config::DbSettings::from_url(url, prefix, env)?, None)
        } else if s.mautic_dir.len() + s.config.len() > 1 {
            return Err(Error::Input(
                "only `check` takes several installs; name one --mautic-dir or --config".into(),
            ));
        } else if let Some(file) = s.config.first() {
            (load_local_php(file, env)?, None)
        } else if let Some(dir) = s.mautic_dir.first() {
            let file = locate_local_php(dir)?;
            (load_local_php(&file, env)?, Some(dir.clone()))
        } else {
            return Err(Error::Input(
                "say where the schema is: --mautic-dir, --config, --url or --dump".into(),
            ));
        };
        for w in &loaded.warnings {
            eprintln!("warning: {}", crate::text::one_line(w));
        }
        let mut settings = loaded.settings;
        settings.ssl_mode = tls.ssl_mode.into();
        settings.ssl_ca = tls.ssl_ca.clone();
        if let Some(p) = prefix {
            settings.prefix = p.to_string();
        }
        let prefix = settings.prefix.clone();
        (Source::Server(Box::new(settings)), prefix, dir)
    };
    Ok(Resolved {
        source,
        prefix,
        mautic_dir,
    })
}

/// A connection that failed names where its settings came from (the local.php read, or
/// --url, and the variables that overrode them): a wrong password is fixed there.
pub fn name_origin(e: Error, s: &DbSettings) -> Error {
    let Error::Db(crate::db::DbError::Connect {
        target,
        reason,
        code,
    }) = e
    else {
        return e;
    };
    let overriding: &[&str] = if s.origin == "--url" {
        &["MAUTIC_DB_PASSWORD", "MYSQL_PWD"]
    } else {
        &[
            "MAUTIC_DB_HOST",
            "MAUTIC_DB_PORT",
            "MAUTIC_DB_NAME",
            "MAUTIC_DB_DATABASE",
            "MAUTIC_DB_USER",
            "MAUTIC_DB_PASSWORD",
        ]
    };
    let set: Vec<&str> = overriding
        .iter()
        .copied()
        .filter(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
        .collect();
    let env = match set.as_slice() {
        [] => String::new(),
        vars => format!(" and {} from the environment", vars.join(", ")),
    };
    Error::Db(crate::db::DbError::Connect {
        target,
        reason: format!("{reason}; settings from {}{env}", s.origin),
        code,
    })
}

pub async fn load_live(r: &Resolved) -> Result<Live> {
    match &r.source {
        Source::Dump(path) => compare::load_dump(path, &r.prefix),
        Source::Server(s) => {
            let mut live = compare::load_server(&connect_params(s), &r.prefix)
                .await
                .map_err(|e| name_origin(e, s))?;
            live.notes
                .insert(0, format!("connection settings from {}: {s}", s.origin));
            Ok(live)
        }
    }
}

/// Build the report for the common flags: live side, expected schema, diff, plan, migrations.
pub async fn report_for(
    args: &CommonArgs,
    allow_destructive: bool,
) -> Result<(crate::comparison::Comparison, Live, Resolved)> {
    let resolved = resolve(args, &Env::from_process())?;
    report_for_resolved(args, resolved, allow_destructive).await
}

/// `report_for` once the flags are resolved (a caller that had to connect first: `apply`
/// takes its lock before it looks).
pub async fn report_for_resolved(
    args: &CommonArgs,
    resolved: Resolved,
    allow_destructive: bool,
) -> Result<(crate::comparison::Comparison, Live, Resolved)> {
    let opts = check_options(args, &resolved, allow_destructive)?;
    let mut live = load_live(&resolved).await?;
    let (mut report, _facts) = mautic_report(&mut live, &resolved.prefix, &opts).await?;
    note_target(args, &mut report);
    if let Some(db) = live.db.as_mut() {
        note_interrupted(db, &mut report, &resolved.prefix).await?;
        let large = crate::plan::split::Large {
            min_bytes: args.large_table_size,
        };
        report.size_and_split(db, &large).await?;
    }
    Ok((report, live, resolved))
}

/// An `apply` that stopped part way goes into the report: every command's verdict names it.
pub(crate) async fn note_interrupted(
    db: &mut crate::db::Db,
    report: &mut crate::comparison::Comparison,
    prefix: &str,
) -> Result<()> {
    report.interrupted = crate::apply::online::interrupted(db, prefix).await?;
    Ok(())
}

/// `--target 5.1` names 5.1.0: a note says which release a short or decorated `--target` was
/// taken as, so nobody compares with another release than they think.
pub(crate) fn note_target(args: &CommonArgs, report: &mut crate::comparison::Comparison) {
    let (Some(given), Some(taken)) = (&args.target, &report.facts.target_release) else {
        return;
    };
    if given.trim() != taken {
        report
            .notes
            .insert(0, format!("--target {} taken as {taken}", given.trim()));
    }
}

/// What to compare an install with: the flags, and the code version its folder says.
pub(crate) fn check_options(
    args: &CommonArgs,
    resolved: &Resolved,
    allow_destructive: bool,
) -> Result<CheckOptions> {
    let code_version = match &resolved.mautic_dir {
        Some(dir) => crate::config::code_version(dir)?
            .map(|cv| (cv.version.clone(), cv.source.display().to_string())),
        None => None,
    };
    Ok(CheckOptions {
        target: args.target.clone(),
        reference_file: args.reference_file.clone(),
        code_version,
        strict: args.strict,
        allow_destructive,
        judge_all_migrations: false,
    })
}

/// The one verdict as the last line of SQL: a comment, so the file still runs.
pub fn verdict_comment(report: &crate::comparison::Comparison) -> String {
    let v = crate::mautic::overall::Verdict::of(report);
    format!("-- {}", crate::text::one_line(&v.line))
}

/// `s` as one shell word: single-quoted unless it is plainly safe.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The `restore` command for a backup, with the connection flags this run was given, ready to
/// paste. A password in `--url` is left out: restore reads it from MAUTIC_DB_PASSWORD or
/// local.php, like every other command.
pub fn restore_command(common: &crate::cli::CommonArgs, backup: &std::path::Path) -> String {
    let mut words = vec![
        "mautic-schema".to_string(),
        "restore".into(),
        "--backup".into(),
        shell_word(&backup.display().to_string()),
    ];
    let s = &common.source;
    let mut flag = |name: &str, value: String| {
        words.push(name.to_string());
        words.push(shell_word(&value));
    };
    if let Some(d) = s.mautic_dir.first() {
        flag("--mautic-dir", d.display().to_string());
    }
    if let Some(c) = s.config.first() {
        flag("--config", c.display().to_string());
    }
    if let Some(u) = &s.url {
        flag("--url", without_password(u));
    }
    if common.tls.ssl_mode != crate::cli::SslModeArg::Preferred
        && let Some(v) = clap::ValueEnum::to_possible_value(&common.tls.ssl_mode)
    {
        flag("--ssl-mode", v.get_name().to_string());
    }
    if let Some(ca) = &common.tls.ssl_ca {
        flag("--ssl-ca", ca.display().to_string());
    }
    words.join(" ")
}

/// `mysql://user:secret@host/db` → `mysql://user@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod restore_command_tests {
    use super::*;

    #[test]
    fn pasteable_and_without_the_password() {
        assert_eq!(
            without_password("mysql://mautic:s3cr@t@db:3306/m"),
            "mysql://mautic@db:3306/m"
        );
        assert_eq!(
            without_password("mysql://mautic@db/m"),
            "mysql://mautic@db/m"
        );
        assert_eq!(shell_word("/var/backups/a b'c"), "'/var/backups/a b'\\''c'");
        assert_eq!(shell_word("/tmp/x-1.sql"), "/tmp/x-1.sql");
    }
}
