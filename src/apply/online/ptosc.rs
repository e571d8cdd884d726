//! Running `pt-online-schema-change`: its arguments (built, and refused when pt-osc cannot be
//! handed them, by `external::ptosc`), the credentials it reads, its output.
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

pub use crate::external::ptosc::TOOL;

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

/// The arguments (see `external::ptosc::args`), credentials in the option file at `defaults`;
/// a name or ALTER pt-osc cannot be handed is refused.
pub fn args(inv: &Invocation<'_>, defaults: &str) -> Result<Vec<String>, String> {
    crate::external::ptosc::args(
        &crate::external::ptosc::Args {
            database: inv.params.database,
            table: inv.table,
            clauses: inv.clauses,
            execute: inv.execute,
            parent: inv.parent,
            max_load: &inv.opts.max_load,
            critical_load: &inv.opts.critical_load,
            chunk_time: inv.opts.chunk_time,
            lock_wait_timeout: inv.lock_wait_timeout,
        },
        defaults,
    )
    .map_err(|r| r.to_string())
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
    let creds = Credentials::new(inv.params).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(inv.tool);
    let defaults = creds.attach(&mut cmd);
    cmd.args(args(inv, &defaults)?)
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
