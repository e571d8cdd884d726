//! The backup taken before any DDL: mysqldump/mariadb-dump with the password in an in-memory
//! option file (never on the command line, where `ps` shows it, nor on disk; see
//! `external::credentials`), its arguments built by `external::dump`, written 0600, then
//! verified (complete trailer, size, sha256).

use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest as _, Sha256};

use crate::db::ConnectParams;
use crate::error::{Error, Result};
use crate::external::credentials::Credentials;
use crate::external::dump::{self, Dump};
use crate::progress::{Event, Progress, Transfer};

pub use crate::external::find_program;

/// The database name as part of a file or folder name: a name may hold `/` and `..` (MariaDB
/// allows both), which must not take the backup out of its folder. Letters, digits, `-`, `_`
/// and `.` are kept; anything else, and a leading dot or dash, becomes `_`.
pub fn file_stem(database: &str) -> String {
    let mut s: String = database
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        s.push_str("database");
    }
    if s.starts_with(['.', '-']) {
        s.replace_range(..1, "_");
    }
    s
}

/// What the backup will hand to the dump tool, checked before anything is changed (a dry run
/// checks it too): the tool is installed, and the credentials and names can be handed over.
/// Returns the dump tool's path.
pub fn check_ready(p: &ConnectParams<'_>, tables: &[String]) -> Result<PathBuf> {
    let tool = dump::find().ok_or_else(|| Error::Input("neither mariadb-dump nor mysqldump is installed: install the MariaDB/MySQL client, or pass --no-backup after taking one yourself".into()))?;
    crate::external::option_file::client_section(p)?;
    dump::check(&dump_of(p, tables, false))?;
    Ok(tool)
}

fn dump_of<'a>(p: &'a ConnectParams<'_>, tables: &'a [String], only_tables: bool) -> Dump<'a> {
    Dump {
        database: p.database,
        tables,
        // Nothing existing is touched (only new tables): keep the schema as it was.
        schema_only: tables.is_empty() && only_tables,
        // The journal and the backup ledger are ours, not the database's: a rollback must not
        // bring them back.
        ignore_tables: &[super::journal::TABLE, super::restore::ledger::TABLE],
    }
}

#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    /// Tables dumped; empty means the whole database.
    pub tables: Vec<String>,
}

/// Dump the database (or only `tables` when `only_tables`) to `dir/<db>-<timestamp>.sql`
/// (`dir` is the backup's own private folder, see `location`),
/// hashing and checking the stream as it is written (memory stays flat whatever the size).
pub fn take_backup(
    dir: &Path,
    p: &ConnectParams<'_>,
    tables: &[String],
    only_tables: bool,
    stamp: &str,
    progress: &Progress,
) -> Result<Backup> {
    let tool = check_ready(p, tables)?;
    let creds = Credentials::new(p)?;
    let path = dir.join(format!("{}-{stamp}.sql", file_stem(p.database)));
    let mut cmd = Command::new(&tool);
    let defaults = creds.attach(&mut cmd);
    cmd.args(dump::args(&defaults, &dump_of(p, tables, only_tables))?);
    // Unnamed until complete: an interrupted dump leaves no file (see `files`).
    let mut out = super::files::Pending::new(&path)?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Input(format!("cannot run {}: {e}", tool.display())))?;
    drop(creds);
    let stderr = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = e.read_to_string(&mut s);
            s
        })
    });
    let copied = child
        .stdout
        .take()
        .map(|mut src| stream_digest(&mut src, Some(out.file()), progress))
        .transpose();
    progress.event(Event::BytesDone {
        what: Transfer::Backup,
        stopped: false,
    });
    let status = child.wait();
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    // `out` is dropped with the error: the partial dump goes with it.
    let fail = |why: String| {
        Error::refused(
            crate::error::RefusalKind::Backup,
            format!("backup failed, nothing was changed: {why}"),
        )
    };
    let digest = copied.map_err(|e| fail(format!("writing {}: {e}", path.display())))?;
    if !status.map(|s| s.success()).unwrap_or(false) {
        return Err(fail(
            err.lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("dump tool exited with an error")
                .to_string(),
        ));
    }
    out.file()
        .sync_all()
        .map_err(|e| fail(format!("writing {}: {e}", path.display())))?;
    let backup = digest.unwrap_or_default().backup(&path, tables)?;
    out.publish()?;
    Ok(backup)
}

/// What one pass over a dump learns: size, sha256, and whether it ends with the trailer.
#[derive(Default)]
struct Digest {
    bytes: u64,
    sha256: String,
    complete: bool,
}

impl Digest {
    fn backup(self, path: &Path, tables: &[String]) -> Result<Backup> {
        if !self.complete {
            return Err(Error::refused(
                crate::error::RefusalKind::Backup,
                format!(
                    "backup {} is incomplete (no \"Dump completed\" trailer): nothing was changed",
                    path.display()
                ),
            ));
        }
        Ok(Backup {
            path: path.to_path_buf(),
            bytes: self.bytes,
            sha256: self.sha256,
            tables: tables.to_vec(),
        })
    }
}

/// Read `src` to the end in fixed-size blocks, hashing (and copying to `sink`) as it goes,
/// keeping only the last bytes for the trailer check.
fn stream_digest(
    src: &mut impl Read,
    mut sink: Option<&mut std::fs::File>,
    progress: &Progress,
) -> std::io::Result<Digest> {
    const TAIL: usize = 200;
    let mut buf = vec![0u8; 1 << 16];
    let mut tail: Vec<u8> = Vec::with_capacity(2 * TAIL + buf.len());
    let mut hash = Sha256::new();
    let mut bytes = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hash.update(&buf[..n]);
        if let Some(f) = sink.as_mut() {
            f.write_all(&buf[..n])?;
        }
        bytes += n as u64;
        progress.event(Event::Bytes {
            what: Transfer::Backup,
            done: bytes,
            total: None,
        });
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > TAIL {
            tail.drain(..tail.len() - TAIL);
        }
    }
    Ok(Digest {
        bytes,
        sha256: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        complete: String::from_utf8_lossy(&tail).contains("-- Dump completed"),
    })
}

/// A dump is complete when its last line is mysqldump's `-- Dump completed` trailer.
pub fn verify_backup(path: &Path, tables: &[String]) -> Result<Backup> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    stream_digest(&mut f, None, &Progress::silent())
        .map_err(|e| Error::read(path, e))?
        .backup(path, tables)
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_stems_stay_in_their_folder() {
        for (database, stem) in [
            ("mautic", "mautic"),
            ("my-mautic_5.1", "my-mautic_5.1"),
            ("../../etc/cron.d/x", "_._.._etc_cron.d_x"),
            ("-rinjected", "_rinjected"),
            (".", "_"),
            ("", "database"),
            ("a\nb/é", "a_b__"),
        ] {
            assert_eq!(super::file_stem(database), stem, "{database:?}");
        }
    }
}
