//! `restore`: undo an `apply` from its backup, or list the backups (`--list`).
//!
//! The library (`apply::restore`) decides what a backup may do: the dump is read whole and
//! checked against the database's ledger before anything is touched, loaded into a staging
//! database, checked there, and swapped in with one `RENAME TABLE`; the old tables are kept
//! until the swap is verified. This file connects, asks, prints, and orders those steps. Into
//! the database the backup was taken of, the schema is then checked against the fingerprint
//! taken before the run.

use std::io::IsTerminal;

use super::{Outcome, Source, connect_params, load_live, resolve_source};
use crate::apply::backup::Backup;
use crate::apply::interrupt::{self, pause_point};
use crate::apply::manifest::{Manifest, fingerprint};
use crate::apply::restore::{self, Verified, ledger, recover, stage, swap, triggers};
use crate::cli::RestoreArgs;
use crate::config::Env;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::report::contract::{FORMAT_VERSION, RestoreDoc, to_json};
use crate::text::one_line;

pub async fn run(args: &RestoreArgs) -> Result<Outcome> {
    let mut resolved = resolve_source(&args.source, &args.tls, None, &Env::from_process())?;
    let Source::Server(s) = &resolved.source else {
        return Err(Error::Input(
            "restore needs a database: --mautic-dir, --config or --url".into(),
        ));
    };
    let params = connect_params(s);
    let Some(backup_arg) = &args.backup else {
        let mut db = Db::connect(&params).await?;
        let lines = restore::list_lines(&ledger::list(&mut db).await?, &s.name);
        for l in lines {
            println!("{l}");
        }
        return Ok(Outcome::InSync);
    };
    let found = Manifest::find(backup_arg)?;
    let dump = match &found {
        Some((m, dir)) => m.dump_path(dir),
        None if backup_arg.is_dir() => {
            return Err(Error::Input(format!(
                "{} holds no backup manifest: name the dump file",
                backup_arg.display()
            )));
        }
        None => backup_arg.clone(),
    };
    // Read the whole dump before anything else: complete, only what a backup holds.
    let scanned = restore::scan_file(&dump)?;
    let backup = Backup {
        path: dump.clone(),
        bytes: scanned.bytes,
        sha256: scanned.sha256.clone(),
        tables: Vec::new(),
    };
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(Error::refused(
            crate::error::RefusalKind::NotConfirmed,
            "not confirmed: rerun with --yes to restore",
        ));
    }
    let mut db = Db::connect(&params).await?;
    crate::apply::execute::take_lock(&mut db).await?;
    // From here the first Ctrl-C stops at the next safe point: before the swap, what this run
    // created is dropped; once the swap has begun, the restore finishes. A second Ctrl-C stops
    // at once, as without the guard (the rerun recovers: see `recover`).
    let _ctrl_c = interrupt::Guard::install();
    for line in recover::recover(&mut db, &s.name).await? {
        for l in restore::wrap(&line, "") {
            eprintln!("{l}");
        }
    }
    let v = restore::verify(&mut db, &s.name, &dump, scanned).await?;
    let names = stage::names(&s.name);
    let prefix = v
        .record
        .as_ref()
        .map(|r| r.prefix.clone())
        .unwrap_or_default();
    let stop = Stop {
        database: &s.name,
        run: &names.run,
    };
    if interrupt::requested() {
        return Err(stop.before_swap(&mut db, "before loading the backup").await);
    }
    stage::create(
        &mut db,
        &names.stage,
        stage::Role::Stage,
        &s.name,
        &prefix,
        &names.run,
    )
    .await?;
    let progress = crate::report::progress::progress(args.progress.when());
    let loaded = stage::load(&params, &names.stage, &dump, backup.bytes, &progress);
    if interrupt::requested() {
        let when = match loaded {
            Err(_) => {
                "while the client loaded the backup into the staging copy (the client was stopped)"
            }
            Ok(()) => "after loading the backup into the staging copy",
        };
        return Err(stop.before_swap(&mut db, when).await);
    }
    let staged = match loaded {
        Ok(()) => stage::check_tables(&mut db, &names.stage, &v).await,
        Err(e) => Err(e),
    };
    if let Err(e) = staged {
        if interrupt::requested() {
            return Err(stop
                .before_swap(&mut db, "while checking the staging copy")
                .await);
        }
        swap::drop_database(&mut db, &names.stage).await?;
        return Err(e);
    }
    pause_point("restore-staged").await;
    if interrupt::requested() {
        return Err(stop
            .before_swap(&mut db, "after loading and checking the staging copy")
            .await);
    }
    let losses = restore::losses(&mut db, &s.name, &v).await?;
    if !args.yes {
        let others =
            restore::live_tables(&mut db).await?.len() - v.replaced.len() - v.moved_out.len();
        let lines = restore::prompt_lines(&backup, &s.name, &v, &losses, others);
        if let Err(e) = confirm(&lines).await {
            if interrupt::requested() {
                return Err(stop.before_swap(&mut db, "at the question").await);
            }
            swap::drop_database(&mut db, &names.stage).await?;
            return Err(e);
        }
    }
    stage::create(
        &mut db,
        &names.hold,
        stage::Role::Hold,
        &s.name,
        &prefix,
        &names.run,
    )
    .await?;
    pause_point("restore-before-swap").await;
    if interrupt::requested() {
        return Err(stop.before_swap(&mut db, "right before the swap").await);
    }
    // Not interrupted from here: the swap is one RENAME TABLE, and what follows it finishes it.
    if let Err(e) = swap::swap(&mut db, &s.name, &names, &v).await {
        swap::drop_database(&mut db, &names.hold).await?;
        swap::drop_database(&mut db, &names.stage).await?;
        return Err(e);
    }
    pause_point("restore-after-swap").await;
    finish_swap(&mut db, &s.name, &names, &v).await?;
    crate::apply::execute::release_lock(&mut db).await;
    drop(db);
    let done = format!(
        "restored {} into `{}`: {} table(s) swapped in with one RENAME TABLE; sha256 {}",
        one_line(&backup.path.display().to_string()),
        one_line(&s.name),
        v.going_live().len(),
        backup.sha256,
    );
    for l in restore::wrap(&done, "") {
        eprintln!("{l}");
    }
    let rollback = found
        .as_ref()
        .map(|(m, _)| m)
        .filter(|m| m.database == s.name && v.record.is_some());
    if interrupt::requested() {
        let unchecked = match rollback {
            Some(_) => {
                ". The schema was not compared with the one before apply: run `mautic-schema check`"
            }
            None => "",
        };
        return Err(Error::refused(
            crate::error::RefusalKind::Interrupted,
            format!(
                "interrupted (Ctrl-C) once the swap had begun, which is never stopped half way: the restore finished despite it (`{}` holds the backup's tables; nothing is left behind){unchecked}",
                one_line(&s.name)
            ),
        ));
    }
    let doc = RestoreDoc {
        format_version: FORMAT_VERSION,
        backup: crate::report::contract::BackupDoc::of(&backup),
        database: s.name.clone(),
        rollback: rollback.is_some(),
        dropped: swap::moving_out(&v),
        verified: None,
    };
    let json_out = args.format == crate::cli::Format::Json;
    let Some(m) = rollback else {
        if json_out {
            print!("{}", to_json(&doc));
        }
        return Ok(Outcome::InSync);
    };
    resolved.prefix = prefix;
    let live = load_live(&resolved).await?;
    let (mine, _) = crate::compare::split_by_prefix(&live.schema, &resolved.prefix);
    if fingerprint(&mine) != m.fingerprint_before {
        return Err(Error::refused(
            crate::error::RefusalKind::RestoreUnverified,
            format!(
                "restored, but the schema of `{}` differs from the one the backup was taken of: run `mautic-schema check`",
                s.name
            ),
        ));
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

/// After the swap: foreign keys pointing away re-pointed, the result checked (swapped back if it
/// is not the backup's), then the kept tables and the staging copy dropped.
async fn finish_swap(db: &mut Db, live: &str, names: &stage::Names, v: &Verified) -> Result<()> {
    swap::repoint(db, live, &[&names.stage, &names.hold]).await?;
    if let Err(e) = stage::check_tables(db, live, v).await {
        swap::swap_back(db, live, names, v).await?;
        swap::repoint(db, live, &[&names.stage, &names.hold]).await?;
        triggers::put_back(db, live, &names.hold, triggers::Side::Live).await?;
        swap::drop_database(db, &names.stage).await?;
        swap::drop_database(db, &names.hold).await?;
        return Err(Error::refused(
            crate::error::RefusalKind::RestoreUnverified,
            format!(
                "the swapped-in tables did not verify ({e}): swapped back, the live tables are as they were"
            ),
        ));
    }
    triggers::put_back(db, live, &names.hold, triggers::Side::Backup).await?;
    // Staging first: a kill between the two leaves the holding database, which a rerun
    // recognises as "swapped".
    swap::drop_database(db, &names.stage).await?;
    swap::drop_database(db, &names.hold).await?;
    Ok(())
}

/// Where a Ctrl-C before the swap stops this run.
struct Stop<'a> {
    database: &'a str,
    run: &'a str,
}

impl Stop<'_> {
    /// Drop what this run created (by its marker: see `recover::drop_run`), let go of the lock,
    /// and say what was interrupted, that the live tables were never touched, and what is left.
    async fn before_swap(&self, db: &mut Db, when: &str) -> Error {
        let left = match recover::drop_run(db, self.database, self.run).await {
            Ok(left) if left.is_empty() => "nothing is left behind".to_string(),
            Ok(left) => format!(
                "left behind: {}; rerun the restore, which drops {} first",
                left.iter()
                    .map(|d| format!("`{}`", one_line(d)))
                    .collect::<Vec<_>>()
                    .join(", "),
                if left.len() == 1 { "it" } else { "them" }
            ),
            Err(e) => format!(
                "its staging copy may be left behind ({}); rerun the restore, which drops it first",
                one_line(&e.to_string())
            ),
        };
        crate::apply::execute::release_lock(db).await;
        Error::refused(
            crate::error::RefusalKind::Interrupted,
            format!(
                "interrupted (Ctrl-C) {when}: the restore stopped before its swap. The live tables of `{}` were never touched; {left}",
                one_line(self.database)
            ),
        )
    }
}

/// Ask on the terminal; Ctrl-C ends the question at once (an error: the caller says what it
/// stopped), without waiting for Enter.
async fn confirm(lines: &[String]) -> Result<()> {
    for l in lines {
        eprintln!("{l}");
    }
    eprint!("Restore? [y/N] ");
    let (tx, rx) = std::sync::mpsc::channel();
    // The read stays blocked after a Ctrl-C; the process ends without it.
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line).map(|_| line);
        let _ = tx.send(read);
    });
    let line = loop {
        if interrupt::requested() {
            return Err(Error::refused(
                crate::error::RefusalKind::Interrupted,
                "interrupted (Ctrl-C) at the question",
            ));
        }
        match rx.try_recv() {
            Ok(read) => break read.map_err(|e| Error::Input(e.to_string()))?,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                return Err(Error::Input("cannot read the answer".into()));
            }
        }
    };
    if !matches!(line.trim(), "y" | "Y" | "yes") {
        return Err(Error::refused(
            crate::error::RefusalKind::NotConfirmed,
            "not confirmed: nothing was changed",
        ));
    }
    Ok(())
}
