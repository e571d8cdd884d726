//! `apply`: show the plan, then reconcile (see `crate::apply`), then verify by inspecting again.
//! It ends with the verdict on the database inspected again (`mautic::overall`): exit 0 only
//! when that is in sync.

use crate::text::one_line;

use super::{Failure, Outcome, Source, connect_params, report_for, report_for_resolved, resolve};
use crate::apply::execute::{release_lock, take_lock};
use crate::apply::online::{OnlineMode, OnlineOptions};
use crate::apply::rehearsal::Rehearsal;
use crate::apply::{ApplyOptions, apply_keeping_summary};
use crate::cli::{ApplyArgs, BackupScope, Format, OnlineArg};
use crate::config::Env;
use crate::db::Db;
use crate::error::Error;
use crate::mautic::overall::Verdict;
use crate::report::contract::{ApplyDoc, ErrorBody, to_json};
use crate::report::render_sql;

pub async fn run(args: &ApplyArgs) -> std::result::Result<Outcome, Failure> {
    let json_out = args.format == Format::Json;
    let first = resolve(&args.common, &Env::from_process())?;
    let Source::Server(settings) = &first.source else {
        return Err(Error::Input(
            "apply needs a live database (--mautic-dir, --config or --url), not a dump".into(),
        )
        .into());
    };
    let settings = settings.clone();
    let s = &settings;
    // Lock first, then look: a plan made before the lock could be stale by the time the lock is
    // ours (another run finished meanwhile) and would replay what is already done. This
    // connection holds the lock and runs the statements; `apply` takes it again (GET_LOCK is
    // re-entrant) and the lock goes with the connection.
    let mut db = Db::connect(&connect_params(s)).await.map_err(Error::from)?;
    take_lock(&mut db).await?;
    // What an interrupted online change left is finished or removed before the plan is made.
    crate::apply::recover_interrupted(&mut db, &first.prefix, args.dry_run, json_out).await?;
    let (report, live, resolved) =
        report_for_resolved(&args.common, first, args.allow_destructive).await?;
    drop(live);
    if !json_out {
        print!("{}", render_sql(&report));
    }
    let params = connect_params(s);
    let opts = ApplyOptions {
        dry_run: args.dry_run,
        no_backup: args.no_backup,
        backup_dir: args.backup_dir.clone(),
        install_dirs: install_dirs(&resolved, args),
        backup_tables_only: args.backup == BackupScope::Tables,
        lock_wait_timeout: args.lock_wait_timeout,
        quiet: json_out,
        online: online_options(args),
        progress: crate::report::progress::progress(args.progress.when()),
    };
    let (summary, applied) = apply_keeping_summary(
        &mut db,
        &params,
        &report,
        &resolved.prefix,
        &opts,
        &super::apply_screen::Terminal {
            yes: args.yes,
            quiet: json_out,
        },
    )
    .await;
    release_lock(&mut db).await;
    drop(db);
    if let Err(error) = applied {
        // A refusal's document says how far the run got: the pre-checks, the rehearsal.
        let doc = json_out
            .then(|| Box::new(ApplyDoc::of(&report, &summary, Some(ErrorBody::of(&error)))));
        return Err(Failure {
            error,
            apply: doc,
            in_output: false,
        });
    }
    if args.dry_run {
        let n = report.plan.steps.len() + report.bookkeeping.statements.len();
        if json_out {
            let mut doc = ApplyDoc::of(&report, &summary, None);
            doc.verdict = Some(crate::report::contract::VerdictDoc::of(&Verdict::of(
                &report,
            )));
            print!("{}", to_json(&doc));
        } else {
            let rehearsed = match &summary.rehearsal {
                Some(Rehearsal::Passed { statements, .. }) if *statements > 0 => {
                    "; the server accepted them on a schema-only copy"
                }
                Some(Rehearsal::Skipped { .. }) => "; not rehearsed (see the warning above)",
                _ => "",
            };
            println!(
                "-- dry run: every pre-check passed; {n} statement(s) would run{rehearsed}. Nothing was changed."
            );
            println!("{}", super::verdict_comment(&report));
        }
        return Ok(Outcome::of(&Verdict::of(&report)));
    }
    let (after, mut after_live, _) = report_for(&args.common, args.allow_destructive).await?;
    let verdict = Verdict::of(&after);
    let in_sync = verdict.kind == crate::mautic::overall::Kind::InSync;
    // Complete and verified: the journal leaves the user's schema (its rows go beside the
    // backup). Otherwise it stays for the resume.
    let journal = match (in_sync, after_live.db.as_mut()) {
        (true, Some(db)) => {
            let dir = summary.backup.as_ref().and_then(|b| b.path.parent());
            use crate::apply::journal::Retired;
            match crate::apply::journal::retire(db, dir).await? {
                Retired::KeptIn(p) => {
                    format!("kept in {} (the journal table is removed)", p.display())
                }
                Retired::Nothing | Retired::Dropped => "nothing left in the database".into(),
                Retired::TableKept(e) => {
                    // The run is complete and verified: a file that cannot be written is
                    // not a failed run.
                    eprintln!(
                        "warning: the journal was not written beside the backup ({}); it stays in table `{}`",
                        crate::text::one_line(&e.to_string()),
                        crate::apply::journal::TABLE
                    );
                    format!(
                        "table `{}` in `{}` (journal.json could not be written)",
                        crate::apply::journal::TABLE,
                        params.database
                    )
                }
            }
        }
        _ => format!(
            "table `{}` in `{}`, kept for the rerun that resumes",
            crate::apply::journal::TABLE,
            params.database
        ),
    };
    drop(after_live);
    if json_out {
        let doc = ApplyDoc::of(&report, &summary, None).verified(&after, journal);
        print!("{}", to_json(&doc));
    } else {
        println!(
            "-- applied {} statement(s) and {} bookkeeping statement(s) in {:.1}s{}",
            summary.steps.len(),
            summary.bookkeeping_statements,
            summary.seconds,
            summary
                .resumed_run
                .map(|r| format!(", resuming run {r}"))
                .unwrap_or_default()
        );
        if let Some(b) = &summary.backup {
            println!(
                "-- backup: {} ({} bytes, sha256 {})",
                one_line(&b.path.display().to_string()),
                b.bytes,
                b.sha256
            );
            println!(
                "-- restore with: {}",
                one_line(&super::restore_command(&args.common, &b.path))
            );
        }
        println!("-- journal: {}", one_line(&journal));
        // The verification is the database inspected again: its verdict, as `check` gives it.
        println!("{}", super::verdict_comment(&after));
    }
    Ok(Outcome::of(&verdict))
}

fn online_options(args: &ApplyArgs) -> OnlineOptions {
    OnlineOptions {
        mode: match args.online {
            OnlineArg::Never => OnlineMode::Never,
            OnlineArg::Auto => OnlineMode::Auto,
            OnlineArg::Always => OnlineMode::Always,
        },
        min_size: args.online_min_size,
        max_load: args.online_max_load.clone(),
        critical_load: args.online_critical_load.clone(),
        chunk_time: args.online_chunk_time,
    }
}

/// The Mautic install a backup must stay out of: `--mautic-dir`, or the root above a
/// `--config .../app/config/local.php` (and above its `docroot`).
fn install_dirs(resolved: &super::Resolved, args: &ApplyArgs) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = resolved.mautic_dir.iter().cloned().collect();
    if let Some(file) = args.common.source.config.first()
        && let Some(app) = file
            .ancestors()
            .find(|a| a.file_name().is_some_and(|n| n == "app"))
        && let Some(root) = app.parent()
    {
        let root = match root.file_name() {
            Some(n) if n == "docroot" => root.parent().unwrap_or(root),
            _ => root,
        };
        dirs.push(root.to_path_buf());
    }
    dirs
}
