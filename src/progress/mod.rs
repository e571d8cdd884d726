//! Progress of long work (a backup, a restore, each ALTER) as events, for whoever shows them.
//!
//! The library layers report what is happening and never decide how it looks or whether a
//! terminal is there: they call an [`Observer`]. The command layer picks one (the indicatif
//! renderer in `report::progress`, or [`Silent`]). [`watch`] follows a running statement from
//! a second connection, as gh-ost and pt-osc do.

pub mod watch;

use std::sync::Arc;
use std::time::Duration;

/// What is being copied: a dump written by `apply`, or a dump read back by `restore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    Backup,
    Restore,
}

impl Transfer {
    pub fn as_str(self) -> &'static str {
        match self {
            Transfer::Backup => "backup",
            Transfer::Restore => "restore",
        }
    }
}

/// A connection that may hold the metadata lock a statement waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub id: u64,
    pub user: String,
    pub command: String,
    /// Seconds in its current command (the processlist's TIME).
    pub seconds: u64,
    /// The start of what it is running, if anything.
    pub info: Option<String>,
    /// Seconds since its open InnoDB transaction began, when it has one.
    pub transaction_seconds: Option<u64>,
}

/// What the server says about a running statement (one processlist row, read from another
/// connection).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerStatus {
    pub elapsed: Duration,
    /// The processlist STATE (`copy to tmp table`, `Waiting for table metadata lock`, ...).
    pub state: Option<String>,
    /// MariaDB's STAGE and MAX_STAGE (an ALTER that copies has 2 stages, for instance).
    pub stage: Option<(u32, u32)>,
    /// MariaDB's PROGRESS: percent of the current stage.
    pub percent: Option<f64>,
    /// When the state is a metadata lock wait: the connections that may hold it, likeliest first.
    pub blockers: Vec<Blocker>,
}

impl ServerStatus {
    pub fn waits_for_metadata_lock(&self) -> bool {
        self.state
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("metadata lock"))
    }
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// `done` bytes copied so far, of `total` when known.
    Bytes {
        what: Transfer,
        done: u64,
        total: Option<u64>,
    },
    /// The copy ended; `stopped`: before its end (Ctrl-C, a failure), said so rather than done.
    BytesDone { what: Transfer, stopped: bool },
    /// Statement `n` of `total` begins on `table`.
    StatementStarted {
        n: usize,
        total: usize,
        table: &'a str,
    },
    /// A heartbeat while the statement runs, with what the server says about it (at least every
    /// two seconds).
    StatementStatus {
        n: usize,
        total: usize,
        table: &'a str,
        status: &'a ServerStatus,
        lock_wait_timeout: u32,
    },
    /// The statement ended (successfully or not).
    StatementDone { n: usize },
    /// A line of a tool's own progress (pt-online-schema-change's), to show as it is.
    Note(&'a str),
    /// A stage of a read-only piece of work begins (preflight's: reading the schema, counting
    /// rows, rehearsing): shown once the work has taken more than a second.
    Stage(&'a str),
    /// The staged work ended.
    StagesDone,
}

/// Receives the events. `enabled` false means nobody looks: the work skips what only progress
/// needs (a second connection, for instance).
pub trait Observer: Send + Sync {
    fn enabled(&self) -> bool {
        true
    }
    fn event(&self, e: Event<'_>);
}

/// Shows nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Observer for Silent {
    fn enabled(&self) -> bool {
        false
    }
    fn event(&self, _: Event<'_>) {}
}

/// An observer the options can carry (clonable, printable, silent by default).
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Observer>);

impl Progress {
    pub fn silent() -> Progress {
        Progress(Arc::new(Silent))
    }

    pub fn enabled(&self) -> bool {
        self.0.enabled()
    }

    pub fn event(&self, e: Event<'_>) {
        self.0.event(e)
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::silent()
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Progress(enabled: {})", self.enabled())
    }
}

/// The columns of the terminal on standard error, when it is one and says.
pub fn stderr_columns() -> Option<usize> {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: an ioctl that fills a zeroed winsize on a valid descriptor.
    let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col >= 20).then_some(ws.ws_col as usize)
}

/// `line` for standard error: as it is for a pipe or a file (read whole by scripts and logs);
/// on a terminal, wrapped between words at its width, the following lines after `rest`.
pub fn fit_stderr(line: &str, rest: &str) -> String {
    match stderr_columns() {
        None => line.to_string(),
        Some(width) => crate::text::wrap(line, width, "", rest)
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
