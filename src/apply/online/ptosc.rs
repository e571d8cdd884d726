//! Running `pt-online-schema-change`: its arguments (built, and refused when pt-osc cannot be
//! handed them, by `external::ptosc`), the credentials it reads, its output.
//!
//! Credentials never go on its command line (every local user can read argv with `ps`). They go
//! in an option file that exists only in memory (memfd) and is handed to the child alone as an
//! inherited descriptor, named in the DSN as `F=/dev/fd/N`: every connection pt-osc opens
//! re-reads it from the start, and nothing is left on disk even if we are killed.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
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

/// What pt-osc is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Neither `--dry-run` nor `--execute`: pt-osc connects with our credentials and runs every
    /// check it makes before it creates anything (the table exists and has no triggers, it can
    /// be chunked, its foreign keys, the server version, the DSN and names it can address),
    /// then exits saying it altered nothing. It creates nothing, not even the copy its own
    /// `--dry-run` would: this is the rehearsal, for a dry run and before the backup.
    Check,
    /// `--execute`: copy into the named table under triggers (the swap is ours).
    Execute,
}

pub struct Invocation<'a> {
    pub tool: &'a Path,
    pub params: &'a ConnectParams<'a>,
    pub table: &'a str,
    /// The copy's name (`--new-table-name`: pt-osc tries this one only).
    pub copy: &'a str,
    /// The `--alter` clause list, without `ALTER TABLE t`.
    pub alter: &'a str,
    pub mode: Mode,
    /// Other tables (or the table itself) reference it through foreign keys.
    pub parent: bool,
    pub opts: &'a OnlineOptions,
    pub lock_wait_timeout: u32,
    pub quiet: bool,
    pub progress: &'a Progress,
}

/// The arguments (see `external::ptosc::args`, which refuses a name or ALTER pt-osc cannot be
/// handed), credentials in the option file at `defaults`.
pub fn args(inv: &Invocation<'_>, defaults: &str) -> Result<Vec<String>, String> {
    crate::external::ptosc::args(
        &crate::external::ptosc::Args {
            database: inv.params.database,
            table: inv.table,
            copy: inv.copy,
            clauses: inv.alter,
            execute: inv.mode == Mode::Execute,
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
        // It says so when it has copied; the table is altered only by our swap.
        || t.starts_with("Successfully altered")
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

/// How a run of pt-osc ended.
#[derive(Debug, Default)]
pub struct Ended {
    /// `Execute`: it exited 0 (the copy is complete). `Check`: it passed every check.
    pub ok: bool,
    /// It said it created our copy (`Created new table <db>.<copy> OK.`): the table under that
    /// name is its own (its CREATE TABLE fails when the name is taken; it tries no other).
    pub created: bool,
    /// Ctrl-C was passed on to it.
    pub interrupted: bool,
    /// Its most telling output line when not `ok`.
    pub why: String,
}

/// Run it, relaying its progress to our stderr (`Execute`) and passing Ctrl-C on to it.
pub async fn run(inv: &Invocation<'_>) -> Result<Ended, String> {
    let creds = Credentials::new(inv.params)
        .map_err(|e| format!("cannot prepare the credentials for {TOOL}: {e}"))?;
    let mut cmd = Command::new(inv.tool);
    let defaults = creds.attach(&mut cmd);
    // Its own process group: a terminal's Ctrl-C reaches us alone, and we pass it on once
    // (twice, pt-osc would interrupt its own clean-up).
    cmd.process_group(0)
        .args(args(inv, &defaults)?)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", inv.tool.display()))?;
    drop(creds);
    let seen = Arc::new(Seen {
        created: format!("Created new table {}.{} OK.", inv.params.database, inv.copy),
        ..Default::default()
    });
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
        let seen = Arc::clone(&seen);
        let shown = (inv.mode == Mode::Execute && !inv.quiet).then(|| inv.progress.clone());
        let table = inv.table.to_string();
        std::thread::spawn(move || relay(out, &table, shown.as_ref(), &seen))
    })
    .collect();
    let (status, interrupted) = wait(&mut child).await?;
    for r in relays {
        let _ = r.join();
    }
    let lines = seen.tail.lock().map(|t| t.clone()).unwrap_or_default();
    let ok = match inv.mode {
        Mode::Execute => status.success(),
        // It ends with exit status 1 and this line when every check passed.
        Mode::Check => lines
            .iter()
            .any(|l| l.starts_with("Exiting without altering")),
    };
    Ok(Ended {
        ok: ok && !interrupted,
        created: seen.created_seen.load(Ordering::SeqCst),
        interrupted,
        why: match (ok, inv.mode) {
            (true, _) => String::new(),
            (false, Mode::Check) => refusal(&lines),
            (false, Mode::Execute) => {
                telling(&lines).unwrap_or_else(|| format!("{TOOL} exited with {status}"))
            }
        },
    })
}

/// Wait for the child, passing the first Ctrl-C on to it (SIGINT: it stops copying and exits;
/// its triggers and copy are removed by our clean-up).
async fn wait(child: &mut std::process::Child) -> Result<(std::process::ExitStatus, bool), String> {
    let mut passed_on = false;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((status, passed_on));
        }
        if !passed_on && crate::apply::interrupt::requested() {
            // SAFETY: kill(2) on our own child's pid.
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGINT);
            }
            passed_on = true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// What the relays learn from its output.
#[derive(Default)]
struct Seen {
    /// The line that says it created our copy.
    created: String,
    created_seen: AtomicBool,
    /// Its last lines, for the error.
    tail: Mutex<Vec<String>>,
}

fn relay(out: Box<dyn std::io::Read + Send>, table: &str, shown: Option<&Progress>, seen: &Seen) {
    for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
        if line.trim() == seen.created {
            seen.created_seen.store(true, Ordering::SeqCst);
        }
        if noise(&line) {
            continue;
        }
        if let Some(progress) = shown {
            let shown = format!(
                "  [{TOOL} {}] {}",
                crate::text::one_line(table),
                crate::text::one_line(line.trim_end())
            );
            if progress.enabled() {
                progress.event(Event::Note(&shown));
            } else {
                eprintln!("{}", crate::progress::fit_stderr(&shown, "      "));
            }
        }
        if let Ok(mut t) = seen.tail.lock() {
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

/// Why its checks refused: what it said, its listings (indented lines) left out. Before it
/// would create anything it prints nothing else but the tries table, which is noise.
fn refusal(lines: &[String]) -> String {
    let said: Vec<&str> = lines
        .iter()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("Child tables:"))
        .map(|l| l.trim())
        .collect();
    match said.is_empty() {
        true => format!("{TOOL} stopped without a word"),
        false => crate::text::truncate_chars(&said.join(" "), 400).into_owned(),
    }
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

    #[test]
    fn arguments_name_the_copy_and_the_mode() {
        let params = ConnectParams {
            host: "h",
            port: 3306,
            user: "u",
            password: "secret",
            database: "d b",
            socket: None,
            tls: Default::default(),
        };
        let progress = Progress::silent();
        let opts = OnlineOptions::default();
        let mut inv = Invocation {
            tool: Path::new("pt-online-schema-change"),
            params: &params,
            table: "t1",
            copy: "_t1_ms00000001_new",
            alter: "ADD COLUMN `n` int NULL",
            mode: Mode::Check,
            parent: false,
            opts: &opts,
            lock_wait_timeout: 5,
            quiet: true,
            progress: &progress,
        };
        let a = args(&inv, "/dev/fd/3").unwrap();
        assert!(a.iter().any(|x| x == "--new-table-name=_t1_ms00000001_new"));
        assert!(!a.iter().any(|x| x == "--execute" || x == "--dry-run"));
        assert_eq!(a.last().unwrap(), "F=/dev/fd/3,D=d b,t=t1");
        assert!(!a.iter().any(|x| x.contains("secret")));
        inv.mode = Mode::Execute;
        assert!(
            args(&inv, "/dev/fd/3")
                .unwrap()
                .iter()
                .any(|x| x == "--execute")
        );
        // What the DSN cannot carry is refused, not escaped (see external::ptosc).
        inv.table = "t=1,x";
        assert!(args(&inv, "/dev/fd/3").is_err());
    }

    #[test]
    fn a_refusal_is_what_it_said() {
        let said = [
            "Child tables:",
            "  `db`.`c` (approx. 1 rows)",
            "The table `db`.`t` has triggers but --preserve-triggers was not specified.",
            "Please read the documentation for --preserve-triggers.",
        ]
        .map(String::from);
        assert_eq!(
            refusal(&said),
            "The table `db`.`t` has triggers but --preserve-triggers was not specified. \
             Please read the documentation for --preserve-triggers."
        );
    }
}
