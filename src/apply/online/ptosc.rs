//! Running `pt-online-schema-change`: its arguments, the credentials it reads, its output.
//!
//! Credentials never go on its command line (every local user can read argv with `ps`). They go
//! in an option file that exists only in memory (memfd) and is handed to the child alone as an
//! inherited descriptor, named in the DSN as `F=/dev/fd/N`: every connection pt-osc opens
//! re-reads it from the start, and nothing is left on disk even if we are killed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use super::OnlineOptions;
use crate::apply::backup::find_program;
use crate::apply::credentials::Credentials;
use crate::db::ConnectParams;
use crate::progress::{Event, Progress};

pub const TOOL: &str = "pt-online-schema-change";

pub fn find_tool() -> Option<PathBuf> {
    find_program(&[TOOL])
}

pub struct Invocation<'a> {
    pub tool: &'a Path,
    pub params: &'a ConnectParams<'a>,
    pub table: &'a str,
    /// The ALTER's clause list, without `ALTER TABLE t`.
    pub clauses: &'a str,
    /// `--execute`, else `--dry-run`.
    pub execute: bool,
    /// Other tables reference it through foreign keys.
    pub parent: bool,
    pub opts: &'a OnlineOptions,
    pub lock_wait_timeout: u32,
    pub quiet: bool,
    pub progress: &'a Progress,
}

/// The arguments, credentials excepted. pt-osc copies and keeps the copy in sync with its
/// triggers; the swap is ours (see `swap`), so `--no-swap-tables --no-drop-triggers`. For a
/// table other tables reference (Mautic's big tables are parents: `leads` of
/// `lead_event_log`, `email_stats`...) it must be told how foreign keys follow: `none` with
/// `--force`, because the swap we do afterwards keeps them (see `swap`). Its own `drop_swap` is
/// the same swap, but pt-osc 3.2 refuses it on MariaDB ≥ 10 when the server's version_comment
/// does not say "MariaDB" (Debian's says "Debian 12"), and `rebuild_constraints` would ALTER
/// every child table — a blocking copy of tables bigger than the one changed — and rename their
/// constraints (`_FK_...`), drift that Doctrine and this tool then report.
pub fn args(inv: &Invocation<'_>, defaults: &str) -> Vec<String> {
    let mut a: Vec<String> = vec!["--alter".into(), inv.clauses.into()];
    if inv.parent {
        a.extend(["--alter-foreign-keys-method=none".into(), "--force".into()]);
    }
    a.extend([
        // Replicas found through the process list (their lag then slows the copy); its default
        // also asks SHOW SLAVE HOSTS, which a database-level account may not run.
        "--recursion-method=processlist".into(),
        "--no-swap-tables".into(),
        "--no-drop-triggers".into(),
        format!("--max-load={}", inv.opts.max_load),
        format!("--critical-load={}", inv.opts.critical_load),
        format!("--chunk-time={}", inv.opts.chunk_time),
        // Its own default waits 60 s for a metadata lock; ours is the tool-wide setting.
        format!("--set-vars=lock_wait_timeout={}", inv.lock_wait_timeout),
        "--progress=time,5".into(),
        "--charset=utf8mb4".into(),
        if inv.execute {
            "--execute"
        } else {
            "--dry-run"
        }
        .into(),
        format!("F={defaults},D={},t={}", inv.params.database, inv.table),
    ]);
    a
}

/// Lines of pt-osc's output that say nothing about this run.
fn noise(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("No slaves found")
        || t.starts_with("Not checking slave lag")
        || t == "Operation, tries, wait:"
        // What our flags make it skip: the swap and the trigger removal are ours.
        || t.starts_with("Not dropping")
        || t.starts_with("DROP TABLE IF EXISTS")
        || t.starts_with("DROP TRIGGER IF EXISTS")
        || t.starts_with("Not updating foreign keys because")
        || tries_row(t)
}

/// A row of its "Operation, tries, wait" table, e.g. `copy_rows, 10, 0.25`.
fn tries_row(t: &str) -> bool {
    let parts: Vec<&str> = t.split(", ").collect();
    parts.len() == 3
        && parts[0].chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && parts[1..]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Run it, relaying its progress to our stderr; Err carries its most telling output lines.
pub fn run(inv: &Invocation<'_>) -> Result<(), String> {
    for name in [inv.params.database, inv.table] {
        // The DSN is comma- and equals-separated, with no quoting.
        if name.contains([',', '=']) {
            return Err(format!(
                "{TOOL} cannot address `{name}` (a comma or = in the name)"
            ));
        }
    }
    let creds = Credentials::new(inv.params).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(inv.tool);
    let defaults = creds.attach(&mut cmd);
    cmd.args(args(inv, &defaults))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", inv.tool.display()))?;
    drop(creds);
    let tail = Arc::new(Mutex::new(Vec::<String>::new()));
    let relays: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|out| {
        let tail = Arc::clone(&tail);
        let (quiet, table, progress) = (inv.quiet, inv.table.to_string(), inv.progress.clone());
        std::thread::spawn(move || relay(out, &table, quiet, &progress, &tail))
    })
    .collect();
    let status = child.wait().map_err(|e| e.to_string())?;
    for r in relays {
        let _ = r.join();
    }
    if status.success() {
        return Ok(());
    }
    let lines = tail.lock().map(|t| t.clone()).unwrap_or_default();
    Err(telling(&lines).unwrap_or_else(|| format!("{TOOL} exited with {status}")))
}

fn relay(
    out: Box<dyn std::io::Read + Send>,
    table: &str,
    quiet: bool,
    progress: &Progress,
    tail: &Mutex<Vec<String>>,
) {
    for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
        if noise(&line) {
            continue;
        }
        if !quiet {
            let shown = format!(
                "  [{TOOL} {}] {}",
                crate::text::one_line(table),
                crate::text::one_line(line.trim_end())
            );
            if progress.enabled() {
                progress.event(Event::Note(&shown));
            } else {
                eprintln!("{shown}");
            }
        }
        if let Ok(mut t) = tail.lock() {
            t.push(line);
            if t.len() > 40 {
                t.remove(0);
            }
        }
    }
}

/// The line that explains a failure: its error message, else its last word.
fn telling(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .rev()
        .find(|l| l.contains("Error") || l.contains("failed") || l.contains("rror:"))
        .or_else(|| lines.last())
        .map(|l| l.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_dropped_and_progress_kept() {
        assert!(noise("  copy_rows, 10, 0.25"));
        assert!(noise("Operation, tries, wait:"));
        assert!(!noise("Copying `db`.`t`:  45% 00:12 remain"));
        assert!(!noise("  `db`.`child` (approx. 100 rows)"));
    }
}
