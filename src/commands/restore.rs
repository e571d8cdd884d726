//! `restore`: undo an `apply` from its backup. With the backup's manifest (see
//! `apply::manifest`) restoring into the database it was taken from is a rollback: the tables
//! the plan created are dropped, every table the dump holds is dropped first (with foreign-key
//! checks off, so a parent whose column type `apply` changed never meets a child of the other
//! type: errno 150) and reloaded, and the schema is checked against the fingerprint taken before
//! the run. Into another database it is a plain load. The client gets its credentials from an
//! in-memory option file (see `apply::credentials`).

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::Stdio;

use super::{Outcome, Source, connect_params, load_live, resolve_source};
use crate::apply::backup::Backup;
use crate::apply::credentials::Credentials;
use crate::apply::manifest::{Manifest, fingerprint};
use crate::apply::restore;
use crate::cli::RestoreArgs;
use crate::config::Env;
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};
use crate::progress::{Event, Progress, Transfer};
use crate::report::contract::{FORMAT_VERSION, RestoreDoc, to_json};
use crate::schema::quote_ident;

pub async fn run(args: &RestoreArgs) -> Result<Outcome> {
    let mut resolved = resolve_source(&args.source, &args.tls, None, &Env::from_process())?;
    let Source::Server(s) = &resolved.source else {
        return Err(Error::Input(
            "restore needs a database: --mautic-dir, --config or --url".into(),
        ));
    };
    let found = Manifest::find(&args.backup)?;
    let dump = match &found {
        Some((m, dir)) => m.dump_path(dir),
        None if args.backup.is_dir() => {
            return Err(Error::Input(format!(
                "{} holds no backup manifest: name the dump file",
                args.backup.display()
            )));
        }
        None => args.backup.clone(),
    };
    // Read the whole dump before anything else: complete, only what a backup holds.
    let scanned = crate::apply::restore::scan_file(&dump)?;
    let backup = Backup {
        path: dump.clone(),
        bytes: scanned.bytes,
        sha256: scanned.sha256.clone(),
        tables: Vec::new(),
    };
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(Error::Refused(
            "not confirmed: rerun with --yes to restore".into(),
        ));
    }
    let params = connect_params(s);
    let mut db = Db::connect(&params).await?;
    let verified = restore::verify(&mut db, &s.name, &dump, scanned).await?;
    // A rollback where the ledger vouches for the backup; elsewhere the dump is simply loaded.
    let rollback = found
        .as_ref()
        .map(|(m, _)| m)
        .filter(|m| m.database == s.name && verified.record.is_some());
    let mut drops = verified.replaced.clone();
    drops.extend(verified.moved_out.iter().cloned());
    if !args.yes {
        confirm(&backup.path, backup.bytes, &s.name, &drops)?;
    }
    drop_tables(&params, &drops).await?;
    let progress = crate::report::progress::progress(args.progress.when());
    load(&params, &backup.path, backup.bytes, &progress)?;
    eprintln!(
        "restored {} into `{}` (sha256 {})",
        crate::text::one_line(&backup.path.display().to_string()),
        crate::text::one_line(&s.name),
        backup.sha256
    );
    let doc = RestoreDoc {
        format_version: FORMAT_VERSION,
        backup: backup.clone(),
        database: s.name.clone(),
        rollback: rollback.is_some(),
        dropped: drops.clone(),
        verified: None,
    };
    let json_out = args.format == crate::cli::Format::Json;
    let Some(m) = rollback else {
        if json_out {
            print!("{}", to_json(&doc));
        }
        return Ok(Outcome::InSync);
    };
    resolved.prefix = verified
        .record
        .as_ref()
        .map_or_else(|| m.prefix.clone(), |r| r.prefix.clone());
    let live = load_live(&resolved).await?;
    let (mine, _) = crate::compare::split_by_prefix(&live.schema, &resolved.prefix);
    if fingerprint(&mine) != m.fingerprint_before {
        return Err(Error::Refused(format!(
            "restored, but the schema of `{}` differs from the one the backup was taken of: run `mautic-schema check`",
            s.name
        )));
    }
    eprintln!("verified: the schema is the one before apply (fingerprint matches)");
    if json_out {
        let verified = RestoreDoc {
            verified: Some(true),
            ..doc
        };
        print!("{}", to_json(&verified));
    }
    Ok(Outcome::InSync)
}

fn confirm(file: &Path, bytes: u64, db: &str, drops: &[String]) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::Refused(
            "not confirmed: rerun with --yes to restore".into(),
        ));
    }
    eprint!(
        "Restore {} ({bytes} bytes) into `{}`? {} table(s) are dropped and reloaded or removed. [y/N] ",
        crate::text::one_line(&file.display().to_string()),
        crate::text::one_line(db),
        drops.len()
    );
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Input(e.to_string()))?;
    if !matches!(line.trim(), "y" | "Y" | "yes") {
        return Err(Error::Refused("not confirmed: nothing was changed".into()));
    }
    Ok(())
}

async fn drop_tables(params: &ConnectParams<'_>, tables: &[String]) -> Result<()> {
    if tables.is_empty() {
        return Ok(());
    }
    let mut db = Db::connect(params).await?;
    db.execute("SET SESSION FOREIGN_KEY_CHECKS = 0").await?;
    for chunk in tables.chunks(50) {
        let list: Vec<String> = chunk.iter().map(|t| quote_ident(t)).collect();
        db.execute(&format!("DROP TABLE IF EXISTS {}", list.join(", ")))
            .await?;
    }
    eprintln!("dropped {} table(s) before reloading", tables.len());
    Ok(())
}

/// Feed the dump to the client (sandboxed: see `external::client`), with foreign-key checks
/// off for its session, reporting progress; a failure carries the client's own error line.
fn load(params: &ConnectParams<'_>, dump: &Path, bytes: u64, progress: &Progress) -> Result<()> {
    let client = crate::external::client::find()?;
    let creds = Credentials::new(params)?;
    let mut cmd = client.load_command(
        &creds,
        params.database,
        "SET SESSION FOREIGN_KEY_CHECKS = 0",
    )?;
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
    let fed = child
        .stdin
        .take()
        .map(|sink| feed(dump, sink, bytes, progress))
        .unwrap_or(Ok(()));
    let status = child.wait();
    progress.event(Event::BytesDone {
        what: Transfer::Restore,
    });
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    if !status.map(|s| s.success()).unwrap_or(false) {
        return Err(Error::Refused(format!(
            "restore failed: {}",
            client_error(&err)
        )));
    }
    fed.map_err(|e| Error::Refused(format!("restore failed reading {}: {e}", dump.display())))
}

/// Copy the dump to the client, reporting the bytes to `progress` when shown, else printing
/// each further tenth done.
fn feed(dump: &Path, mut sink: impl Write, bytes: u64, progress: &Progress) -> std::io::Result<()> {
    let mut f = std::fs::File::open(dump)?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut done, mut shown) = (0u64, 0u64);
    loop {
        let n = f.read(&mut buf)?;
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
fn client_error(stderr: &str) -> String {
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

#[cfg(test)]
mod tests {
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
