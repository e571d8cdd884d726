//! Ctrl-C (SIGINT) while the statements run. Without a handler the process dies at once: the
//! screen shows `^C`, a server-side ALTER keeps running on its connection (the server does not
//! notice the client is gone until the statement ends), and pt-online-schema-change's triggers
//! and copy stay on the live table. With the [`Guard`] installed, the first Ctrl-C only sets a
//! flag (and says so at once); the statement loop then stops safely: a direct statement is
//! killed on the server (`KILL QUERY` from a second connection), pt-osc gets the signal and its
//! leftovers are removed, a table swap in progress is finished first. A second Ctrl-C stops at
//! once, as without us (the rerun then finishes or removes what was left: see `online`).
//!
//! The handler is installed only around the statements and the previous disposition comes back
//! when the guard is dropped, so Ctrl-C during the backup or the verification still ends the
//! process as usual. (`tokio::signal` cannot give the disposition back once it has taken it.)

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::db::{ConnectParams, Db, DbError};

static RECEIVED: AtomicU32 = AtomicU32::new(0);

// Two lines within 80 columns: written from the signal handler, it cannot ask the width.
const FIRST: &[u8] = b"\ninterrupted: stopping safely (Ctrl-C again stops at once;\n  a rerun then finishes the change)\n";

extern "C" fn on_sigint(_: libc::c_int) {
    // Only async-signal-safe calls here: an atomic, write(2), signal(2), raise(3).
    if RECEIVED.fetch_add(1, Ordering::SeqCst) == 0 {
        // SAFETY: write(2) on stderr with a static buffer.
        unsafe {
            libc::write(libc::STDERR_FILENO, FIRST.as_ptr().cast(), FIRST.len());
        }
    } else {
        // SAFETY: resetting the disposition and re-raising is the documented way to die of it.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::raise(libc::SIGINT);
        }
    }
}

/// SIGINT handled by us while it lives; the previous disposition is restored on drop.
pub struct Guard {
    previous: libc::sigaction,
}

impl Guard {
    pub fn install() -> Guard {
        RECEIVED.store(0, Ordering::SeqCst);
        // SAFETY: plain sigaction(2) with a handler that only does async-signal-safe work.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESTART;
            let mut previous: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGINT, &action, &mut previous);
            Guard { previous }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // SAFETY: restoring the disposition saved by `install`.
        unsafe {
            libc::sigaction(libc::SIGINT, &self.previous, std::ptr::null_mut());
        }
    }
}

/// Whether Ctrl-C was pressed since the guard was installed.
pub fn requested() -> bool {
    RECEIVED.load(Ordering::SeqCst) > 0
}

/// Resolves once Ctrl-C is pressed.
pub async fn wait() {
    while !requested() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The id of `db`'s connection, for `KILL QUERY` from another one.
pub async fn connection_id(db: &mut Db) -> Result<u64, DbError> {
    let id = db
        .value(
            "reading the connection id",
            "SELECT CAST(CONNECTION_ID() AS CHAR)",
            &[],
        )
        .await?;
    Ok(id.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Run `work` (one statement on connection `id`); on Ctrl-C, kill that statement on the server
/// from a second connection and wait for its answer (the server rolls a killed ALTER back).
/// Returns the statement's outcome and whether it was killed.
pub async fn killable<F: std::future::Future>(
    params: &ConnectParams<'_>,
    id: u64,
    work: F,
) -> (F::Output, bool) {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        out = &mut work => (out, false),
        _ = wait() => {
            let killed = kill_query(params, id).await.is_ok();
            (work.await, killed)
        }
    }
}

async fn kill_query(params: &ConnectParams<'_>, id: u64) -> Result<(), DbError> {
    let mut other = Db::connect(params).await?;
    other.execute(&format!("KILL QUERY {id}")).await.map(|_| ())
}

/// Test hook: with `MAUTIC_SCHEMA_TEST_PAUSE=<point>` in the environment, stop at the named
/// point of an online change (see `online::swap`) or a restore, say so on stderr, and wait for
/// a signal: the kill tests interrupt there deterministically instead of racing a timer.
/// Ctrl-C resumes (as if it had come during the statement before the point). Debug builds only
/// (the tests'): a release binary never reads the variable.
pub async fn pause_point(point: &str) {
    if !pausing(point) {
        return;
    }
    eprintln!("test pause: {point}");
    wait().await;
}

/// [`pause_point`] for a thread that is not async (the restore's client feed).
pub fn pause_point_blocking(point: &str) {
    if !pausing(point) {
        return;
    }
    eprintln!("test pause: {point}");
    while !requested() {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether the test hook of [`pause_point`] stops at `point` in this run.
pub fn pausing(point: &str) -> bool {
    cfg!(debug_assertions)
        && std::env::var("MAUTIC_SCHEMA_TEST_PAUSE").ok().as_deref() == Some(point)
}
