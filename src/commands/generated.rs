//! `completions <shell>` and `man`: generated from the command line definition
//! ([`crate::cli::command`]), so they never disagree with the parser. The man page adds what
//! clap does not know: EXAMPLES, ENVIRONMENT (every variable the tool reads, [`ENVIRONMENT`]),
//! FILES and EXIT STATUS.

use std::io::Write as _;

use roff::{Roff, bold, italic, roman};

use super::Outcome;
use crate::cli::{CompletionsArgs, ManArgs};
use crate::error::{Error, Result};

const BIN: &str = env!("CARGO_PKG_NAME");

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let script = completion_script(args.shell);
    std::io::stdout()
        .lock()
        .write_all(script.as_bytes())
        .map_err(|e| Error::Input(format!("writing the completion script: {e}")))?;
    Ok(Outcome::InSync)
}

/// The completion script for `shell`. clap_complete's bash script spells its states two ways
/// for a hyphenated binary name: the loop that reads the words arrives at
/// `mautic__schema__subcmd__check`, the arms it dispatches on are labelled
/// `mautic__subcmd__schema__subcmd__check`, so no arm matches and nothing after the subcommand
/// completes (clap-rs/clap#6421, open in clap_complete 4.6.12). The arms are relabelled the
/// way the loop spells them.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut cmd = crate::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    if shell != clap_complete::Shell::Bash || !BIN.contains('-') {
        return script;
    }
    let wrong = BIN.replace('-', "__subcmd__");
    let right = BIN.replace('-', "__");
    script
        .lines()
        .map(|l| match l.trim_start().strip_prefix(&wrong) {
            // Only the arm labels (`        mautic__subcmd__schema...)`) start with it.
            Some(rest) if rest.ends_with(')') => {
                let indent = &l[..l.len() - l.trim_start().len()];
                format!("{indent}{right}{rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect()
}

pub fn man(args: &ManArgs) -> Result<Outcome> {
    let cmd = crate::cli::command();
    if let Some(dir) = &args.dir {
        write_pages(cmd, dir)
            .map_err(|e| Error::Input(format!("writing man pages to {}: {e}", dir.display())))?;
        return Ok(Outcome::InSync);
    }
    let mut out = std::io::stdout().lock();
    render_main(cmd, &mut out).map_err(|e| Error::Input(format!("writing the man page: {e}")))?;
    Ok(Outcome::InSync)
}

/// The main page and one page per subcommand (`mautic-schema-apply.1`, ...) in `dir`.
fn write_pages(cmd: clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = clap_mangen::Man::new(sub.clone());
        let mut f = std::fs::File::create(dir.join(page.get_filename()))?;
        page.render(&mut f)?;
        let mut roff = Roff::new();
        exit_status(&mut roff, Some(sub.get_name()));
        roff.to_writer(&mut f)?;
    }
    let mut f = std::fs::File::create(dir.join(format!("{BIN}.1")))?;
    render_main(cmd, &mut f)
}

/// The main page: clap_mangen's sections, then ours before VERSION.
fn render_main(cmd: clap::Command, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let page = clap_mangen::Man::new(cmd);
    page.render_title(w)?;
    page.render_name_section(w)?;
    page.render_synopsis_section(w)?;
    page.render_description_section(w)?;
    page.render_options_section(w)?;
    page.render_subcommands_section(w)?;
    let mut roff = Roff::new();
    // Paths and flags are not hyphenated at the end of a line (`--mau-tic-dir`).
    roff.control("nh", []);
    examples(&mut roff);
    exit_status(&mut roff, None);
    environment(&mut roff);
    files(&mut roff);
    roff.control("hy", []);
    roff.to_writer(w)?;
    page.render_version_section(w)
}

/// (what it shows, the command line).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Compare an install with the reference of its release:",
        "mautic-schema check --mautic-dir /var/www/mautic",
    ),
    (
        "The SQL that reconciles it, for review:",
        "mautic-schema diff --mautic-dir /var/www/mautic > fix.sql",
    ),
    (
        "Run every pre-check and the rehearsal, change nothing; then apply after a verified backup:",
        "mautic-schema apply --mautic-dir /var/www/mautic --dry-run\nmautic-schema apply --mautic-dir /var/www/mautic",
    ),
    (
        "Put a backup taken by apply back (its folder is printed by apply):",
        "mautic-schema restore --mautic-dir /var/www/mautic --backup BACKUP_FOLDER",
    ),
    (
        "Before an upgrade, what Mautic's migrations will meet:",
        "mautic-schema preflight --mautic-dir /var/www/mautic --to 6.0.3",
    ),
    (
        "Every install on a host from cron, one JSON line each, only those that need attention:",
        "mautic-schema check --mautic-dir '/var/www/*' --format json --only-problems",
    ),
    (
        "Without local.php, the password in the environment (never on the command line):",
        "MAUTIC_DB_PASSWORD=secret mautic-schema check --url mysql://mautic@db/mautic",
    ),
    (
        "A file for a support thread, redacted:",
        "mautic-schema report --mautic-dir /var/www/mautic -o report.md",
    ),
    (
        "A dump, offline:",
        "mautic-schema check --dump mautic.sql --target 5.1.1",
    ),
];

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (what, lines) in EXAMPLES {
        roff.control("PP", []).text([roman(*what)]);
        // Unfilled: a command line is never broken or stretched.
        roff.control("RS", ["4"]).control("nf", []);
        for l in lines.lines() {
            roff.text([bold(l)]);
        }
        roff.control("fi", []).control("RE", []);
    }
}

/// (commands, what 0 and 1 mean for them); 2 is an error for every command.
pub const EXIT_STATUS: &[(&str, &str, Option<&str>)] = &[
    (
        "check, diff, report",
        "in sync: no drift and no pending schema migration",
        Some(
            "differences found (drift, or schema migrations pending); with several installs: at least one is not in sync",
        ),
    ),
    (
        "apply",
        "applied and verified in sync (a dry run: nothing to run)",
        Some("a dry run with statements to run, or differences remain after the run"),
    ),
    (
        "preflight",
        "go: no blocker for the upgrade",
        Some("at least one blocker (with several installs: in at least one)"),
    ),
    (
        "restore, snapshot, versions, completions, man, explain",
        "done",
        None,
    ),
];

/// EXIT STATUS: every command's, or `only` one's (a subcommand's page).
fn exit_status(roff: &mut Roff, only: Option<&str>) {
    roff.control("SH", ["EXIT STATUS"]);
    let rows = EXIT_STATUS
        .iter()
        .filter(|(cmds, _, _)| only.is_none_or(|o| cmds.split(", ").any(|c| c == o)));
    for (cmds, zero, one) in rows {
        if only.is_none() {
            roff.control("TP", []).text([bold(*cmds)]);
        }
        roff.text([roman(match one {
            Some(one) => format!("0: {zero}. 1: {one}."),
            None => format!("0: {zero}."),
        })]);
    }
    roff.control("PP", []).text([roman(
        "2: an error: bad flags, unreadable configuration, no connection, a refused or failed run; \
         with several installs, at least one could not be checked. The message is one line on \
         standard error (with --format json also an error document on standard output).",
    )]);
}

/// Every environment variable the tool itself reads, and why. A test checks that the code
/// reads each one and that the documentation names no other.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "MAUTIC_DB_HOST",
        "Overrides db_host of local.php, as Mautic does (host:port accepted).",
    ),
    ("MAUTIC_DB_PORT", "Overrides db_port of local.php."),
    (
        "MAUTIC_DB_NAME",
        "Overrides db_name of local.php (MAUTIC_DB_DATABASE is read when it is unset).",
    ),
    (
        "MAUTIC_DB_DATABASE",
        "The database name, as the Docker images spell it.",
    ),
    ("MAUTIC_DB_USER", "Overrides db_user of local.php."),
    (
        "MAUTIC_DB_PASSWORD",
        "Overrides db_password of local.php; the password for --url. Never printed.",
    ),
    (
        "MAUTIC_DB_TABLE_PREFIX",
        "Overrides db_table_prefix of local.php (--prefix overrides both).",
    ),
    (
        "MAUTIC_CONFIG_PARAMETERS",
        "A JSON object of parameters merged over local.php, as Mautic merges it.",
    ),
    (
        "MYSQL_PWD",
        "The password for --url when MAUTIC_DB_PASSWORD is unset.",
    ),
    (
        "COLUMNS",
        "The width of check's table (on a terminal too), and of --help when standard output is not a terminal.",
    ),
    (
        "NO_COLOR",
        "Set and not empty: no colour, even on a terminal (https://no-color.org).",
    ),
    (
        "XDG_STATE_HOME",
        "Backups go under $XDG_STATE_HOME/mautic-schema/backups unless --backup-dir says otherwise.",
    ),
    (
        "HOME",
        "Without XDG_STATE_HOME, backups go under ~/.local/state/mautic-schema/backups.",
    ),
    (
        "PATH",
        "Where mariadb-dump or mysqldump, the mariadb or mysql client and pt-online-schema-change are found.",
    ),
];

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        roff.control("TP", []).text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("TP", []).text([bold(".env, .env.local")]);
    roff.text([roman(
        "Variables in these files at the install's root are seen by getenv() in local.php, \
         as by Mautic; they do not override local.php.",
    )]);
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    let entries: &[(&str, &str)] = &[
        (
            "DIR/config/local.php",
            "The connection settings of a Mautic 5 install given by --mautic-dir; 2.x-4.x keep them in DIR/app/config/local.php (also looked for: DIR/docroot/app/config/local.php, DIR/../config/local.php, and where paths_local.php's local_config points). parameters_local.php beside it is merged over it.",
        ),
        (
            "$XDG_STATE_HOME/mautic-schema/backups/",
            "apply's backups (else ~/.local/state/mautic-schema/backups, or --backup-dir): one new 0700 folder per backup with the dump, manifest.json and, after a complete run, journal.json.",
        ),
        (
            "table mautic_schema_journal",
            "In the install's database while an apply run is incomplete: what ran, so that a rerun resumes. Removed once a run is verified (its rows go to journal.json beside the backup).",
        ),
    ];
    for (path, what) in entries {
        roff.control("TP", []).text([italic(*path)]);
        roff.text([roman(*what)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every arm label of the bash script is a state its loop can reach.
    #[test]
    fn bash_arms_are_spelled_as_the_loop_spells_them() {
        let s = completion_script(clap_complete::Shell::Bash);
        let assigned: std::collections::BTreeSet<&str> = s
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\""))
            .map(|l| l.trim_end_matches('"'))
            .collect();
        let arms: Vec<&str> = s
            .lines()
            .filter(|l| l.starts_with("        ") && !l.starts_with("         "))
            .filter_map(|l| l.trim().strip_suffix(')'))
            .filter(|l| !l.contains(['"', '*', ' ', ',']))
            .collect();
        assert!(arms.len() > 10, "{arms:?}");
        for a in arms {
            assert!(assigned.contains(a), "arm {a} is never reached");
        }
    }
}
