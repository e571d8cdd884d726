//! The staging database a restore loads the dump into, and the holding database the live
//! tables move to in the swap. Both are named as the tool's scratch databases are (see
//! `scratch`: 24 hex of the live database's sha256, distinct for every database, and a token
//! unique to the run): `_ms_<sha>_rst_s<token>` (staging) and `_ms_<sha>_rst_h<token>`
//! (holding). Each holds a marker table naming the live database, the install's prefix, the run
//! and its role: a later run drops only databases whose marker names its own database, never by
//! name alone (two databases whose names shared a crc32 shared the earlier names).

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Verified;
use crate::apply::credentials::Credentials;
use crate::apply::{interrupt, scratch};
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};
use crate::progress::{Event, Progress, Transfer};
use crate::schema::{quote_ident, quote_string};
use crate::text::one_line;

pub const MARKER: &str = "_ms_marker";

/// The role of a restore's database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Stage,
    Hold,
}

impl Role {
    pub fn word(self) -> &'static str {
        match self {
            Role::Stage => "stage",
            Role::Hold => "hold",
        }
    }
}

/// The names of one restore's databases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub run: String,
    pub stage: String,
    pub hold: String,
}

/// What every restore database of `database` starts with (a LIKE pattern needs `_` escaped).
pub fn family(database: &str) -> String {
    format!("_ms_{}_rst_", scratch::origin_digest(database))
}

/// What the restore databases of `database` started with before they were named by sha256
/// (crc32, shared by colliding names): still looked for, their marker decides.
pub fn legacy_family(database: &str) -> String {
    format!("_ms_{:08x}_rst_", crc32fast::hash(database.as_bytes()))
}

pub fn names(database: &str) -> Names {
    let run = scratch::run_token();
    let f = family(database);
    Names {
        stage: format!("{f}s{run}"),
        hold: format!("{f}h{run}"),
        run,
    }
}

/// Create one of the run's databases with its marker.
pub async fn create(
    db: &mut Db,
    name: &str,
    role: Role,
    origin: &str,
    prefix: &str,
    run: &str,
) -> Result<()> {
    let q = quote_ident(name);
    db.execute(&format!(
        "CREATE DATABASE {q} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    ))
    .await?;
    db.execute(&format!(
        "CREATE TABLE {q}.`{MARKER}` (origin VARCHAR(64) NOT NULL, prefix VARCHAR(191) NOT NULL, run VARCHAR(32) NOT NULL, role VARCHAR(8) NOT NULL, created_at DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    ))
    .await?;
    db.execute(&format!(
        "INSERT INTO {q}.`{MARKER}` VALUES ({}, {}, {}, {}, NOW())",
        quote_string(origin),
        quote_string(prefix),
        quote_string(run),
        quote_string(role.word())
    ))
    .await?;
    Ok(())
}

/// Whether the account can make the databases a restore needs: create one, a table in it,
/// rename the table, drop it all. Changes nothing that stays. The error says which GRANT.
pub async fn probe(db: &mut Db, database: &str) -> Result<()> {
    let name = format!("{}p{}", family(database), names(database).run);
    let q = quote_ident(&name);
    let steps = [
        format!("CREATE DATABASE {q}"),
        format!("CREATE TABLE {q}.`t` (`id` INT) ENGINE=InnoDB"),
        format!("RENAME TABLE {q}.`t` TO {q}.`u`"),
        format!("DROP DATABASE {q}"),
    ];
    for s in &steps {
        if let Err(e) = db.execute(s).await {
            let _ = db.execute(&format!("DROP DATABASE IF EXISTS {q}")).await;
            let pattern = format!("{}%", family(database).replace('_', "\\_"));
            let user = current_user(db).await;
            return Err(Error::refused(
                crate::error::RefusalKind::CannotRestore,
                format!(
                    "the account could not restore its own backup: a restore loads it into a staging database first, and the server refused `{}` ({}). \
                 Run: GRANT CREATE, DROP, ALTER, INDEX, INSERT, SELECT, LOCK TABLES, REFERENCES ON `{pattern}`.* TO {user}; nothing was changed",
                    s.split(' ').take(2).collect::<Vec<_>>().join(" "),
                    one_line(&e.to_string()),
                ),
            ));
        }
    }
    Ok(())
}

/// The account as the server knows it, quoted for a GRANT (`'user'@'host'`).
async fn current_user(db: &mut Db) -> String {
    let rows = db
        .rows(
            "reading the account",
            "SELECT CAST(CURRENT_USER() AS CHAR)",
            &[],
        )
        .await
        .unwrap_or_default();
    let who = rows.first().and_then(|r| r[0].clone()).unwrap_or_default();
    match who.rsplit_once('@') {
        Some((u, h)) => format!("{}@{}", quote_string(u), quote_string(h)),
        None => quote_string(&who),
    }
}

/// Feed the dump to the client (sandboxed: see `external::client`) into `stage`, with
/// foreign-key checks off for its session, reporting progress; a failure carries the client's
/// own error line.
pub fn load(
    params: &ConnectParams<'_>,
    stage: &str,
    dump: &Path,
    bytes: u64,
    progress: &Progress,
) -> Result<()> {
    let client = crate::external::client::find()?;
    let creds = Credentials::new(params)?;
    let mut cmd = client.load_command(&creds, stage, "SET SESSION FOREIGN_KEY_CHECKS = 0")?;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Input(format!("cannot run {}: {e}", client.path.display())))?;
    drop(creds);
    let stderr = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = e.read_to_string(&mut s);
            s
        })
    });
    let watch = Watch::start(child.id());
    let fed = child
        .stdin
        .take()
        .map(|sink| feed(dump, sink, bytes, progress))
        .unwrap_or(Ok(()));
    watch.stop();
    if interrupt::requested() {
        // Stopped whether or not the terminal's SIGINT reached it too (its process group is
        // ours); killing a client that already exited does nothing.
        let _ = child.kill();
    }
    let status = child.wait();
    let ok = status.as_ref().is_ok_and(|s| s.success());
    progress.event(Event::BytesDone {
        what: Transfer::Restore,
        stopped: interrupt::requested() || !ok,
    });
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    if interrupt::requested() {
        // Its death (killed, or its own "Query execution was interrupted") is not a failure.
        return Err(Error::refused(
            crate::error::RefusalKind::Interrupted,
            "interrupted (Ctrl-C) while loading the staging copy: the client was stopped",
        ));
    }
    if !ok {
        return Err(Error::refused(
            crate::error::RefusalKind::RestoreFailed,
            format!(
                "loading the staging copy failed (the live tables are untouched): {}",
                client_error(&err)
            ),
        ));
    }
    fed.map_err(|e| {
        Error::refused(
            crate::error::RefusalKind::RestoreFailed,
            format!("restore failed reading {}: {e}", dump.display()),
        )
    })
}

/// Kills the client on Ctrl-C while the feed may be blocked writing to it (a client busy with
/// a long statement reads no more): the write then fails and the feed ends.
struct Watch {
    done: Arc<Mutex<bool>>,
    thread: std::thread::JoinHandle<()>,
}

impl Watch {
    fn start(pid: u32) -> Watch {
        let done = Arc::new(Mutex::new(false));
        let seen = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            loop {
                // Held while killing: `stop` (before the child is reaped) waits for it, so
                // the pid cannot be another process's yet.
                let finished = seen.lock().unwrap_or_else(|e| e.into_inner());
                if *finished {
                    return;
                }
                if interrupt::requested() {
                    // SAFETY: kill(2) on our own child, not reaped while the lock is held.
                    unsafe {
                        libc::kill(pid as libc::pid_t, libc::SIGKILL);
                    }
                    return;
                }
                drop(finished);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Watch { done, thread }
    }

    /// Call before the child is reaped.
    fn stop(self) {
        *self.done.lock().unwrap_or_else(|e| e.into_inner()) = true;
        let _ = self.thread.join();
    }
}

/// The test pause in the middle of the client's load (see `interrupt::pause_point`).
pub const LOADING: &str = "restore-loading";

/// Copy the dump to the client, reporting the bytes to `progress` when shown, else printing
/// each further tenth done. Stops feeding on Ctrl-C.
fn feed(dump: &Path, mut sink: impl Write, bytes: u64, progress: &Progress) -> std::io::Result<()> {
    let mut f = std::fs::File::open(dump)?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut done, mut shown) = (0u64, 0u64);
    // The test pause comes once half the dump is with the client.
    let mut pause_at = interrupt::pausing(LOADING).then_some(bytes / 2);
    loop {
        if interrupt::requested() {
            return Ok(());
        }
        let want = match pause_at {
            Some(at) if done >= at => {
                pause_at = None;
                interrupt::pause_point_blocking(LOADING);
                continue;
            }
            Some(at) => buf.len().min((at - done) as usize),
            None => buf.len(),
        };
        let n = f.read(&mut buf[..want])?;
        if n == 0 {
            return Ok(());
        }
        if let Err(e) = sink.write_all(&buf[..n]) {
            // The client stopped reading: its own error says why.
            return if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            };
        }
        done += n as u64;
        if progress.enabled() {
            let (what, total) = (Transfer::Restore, Some(bytes));
            progress.event(Event::Bytes { what, done, total });
            continue;
        }
        let tenth = done * 10 / bytes.max(1);
        if tenth > shown {
            shown = tenth;
            eprintln!("restore: {}% loaded", tenth * 10);
        }
    }
}

/// The line of the client's output that says what went wrong (`ERROR 1005 ... at line N: ...`),
/// not the dashes it frames a failed statement with.
pub fn client_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '-'))
        .collect();
    lines
        .iter()
        .find(|l| l.starts_with("ERROR"))
        .or(lines.last())
        .map(|l| l.to_string())
        .unwrap_or_else(|| "the client exited with an error".into())
}

/// Rows of `table` in `database`, exactly.
pub async fn count(db: &mut Db, database: &str, table: &str) -> Result<u64> {
    let count = db
        .value(
            "counting rows",
            &format!(
                "SELECT CAST(COUNT(*) AS CHAR) FROM {}.{}",
                quote_ident(database),
                quote_ident(table)
            ),
            &[],
        )
        .await?;
    Ok(count.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Every table that goes live is in `database` with the rows the dump holds.
pub async fn check_tables(db: &mut Db, database: &str, v: &Verified) -> Result<()> {
    let present = super::tables_of(db, Some(database)).await?;
    for t in v.going_live() {
        if !present.contains(&t) {
            return Err(Error::refused(
                crate::error::RefusalKind::RestoreFailed,
                format!(
                    "table `{}` is missing from `{}` after loading",
                    one_line(&t),
                    one_line(database)
                ),
            ));
        }
        let want = v.scan.rows.get(&t).copied().unwrap_or(0);
        let got = count(db, database, &t).await?;
        if got != want {
            return Err(Error::refused(
                crate::error::RefusalKind::RestoreFailed,
                format!(
                    "`{}` has {got} rows in `{}`, the dump {want}",
                    one_line(&t),
                    one_line(database)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_in_the_family_unique_and_short() {
        let a = super::names("mautic");
        let b = super::names("mautic");
        assert_ne!(a.run, b.run);
        assert!(a.stage.starts_with(&super::family("mautic")));
        assert!(a.stage.starts_with("_ms_") && a.stage.len() <= 64);
        assert_ne!(super::family("mautic"), super::family("mautic2"));
    }

    /// Two database names with the same crc32 (a known pair) get distinct names: neither
    /// run's databases look like the other's.
    #[test]
    fn names_differ_for_databases_sharing_a_crc32() {
        let (a, b) = ("plumless", "buckeroo");
        assert_eq!(super::legacy_family(a), super::legacy_family(b));
        assert_ne!(super::family(a), super::family(b));
        let (na, nb) = (super::names(a), super::names(b));
        assert!(!na.stage.starts_with(&super::family(b)));
        assert!(!nb.hold.starts_with(&super::family(a)));
    }

    #[test]
    fn client_error_is_the_error_line() {
        let err = "--------------\nCREATE TABLE `a` (...)\n--------------\n\nERROR 1005 (HY000) at line 12: Can't create table `d`.`a` (errno: 150 \"Foreign key constraint is incorrectly formed\")\n";
        assert!(super::client_error(err).starts_with("ERROR 1005 (HY000) at line 12"));
        assert_eq!(
            super::client_error("----\n"),
            "the client exited with an error"
        );
    }
}
