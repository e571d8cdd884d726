//! `apply`: reconcile a live database safely. MySQL/MariaDB commit every DDL statement on its
//! own, so safety comes from what surrounds the statements, not from a transaction:
//! pre-checks → confirmation → verified backup → advisory lock → journal → statements in plan
//! order → migrations bookkeeping in one transaction → verification (by the caller).

pub mod backup;
pub mod credentials;
pub mod execute;
pub mod files;
pub mod interrupt;
pub mod journal;
pub mod limits;
pub mod location;
pub mod manifest;
pub mod online;
pub mod planned;
pub mod prechecks;
pub mod rehearsal;
pub mod restore;
pub mod scratch;
pub mod space;

use std::path::PathBuf;
use std::time::Instant;

use crate::comparison::Comparison;
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};
use crate::text::one_line;
use backup::Backup;
use execute::StepResult;

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub dry_run: bool,
    pub no_backup: bool,
    pub backup_dir: Option<PathBuf>,
    /// The Mautic install's folders: a backup is never put inside them.
    pub install_dirs: Vec<PathBuf>,
    /// Back up only the tables the plan touches (plus the migrations table).
    pub backup_tables_only: bool,
    pub lock_wait_timeout: u32,
    pub quiet: bool,
    /// When a blocking ALTER goes through pt-online-schema-change.
    pub online: online::OnlineOptions,
    /// Where the backup's bytes and each statement's progress go.
    pub progress: crate::progress::Progress,
}

#[derive(Debug, Clone, Default)]
pub struct ApplySummary {
    pub run_id: u64,
    pub resumed_run: Option<u64>,
    pub statements: usize,
    pub steps: Vec<StepResult>,
    pub bookkeeping_statements: usize,
    pub seconds: f64,
    pub backup: Option<Backup>,
    pub prechecks: Vec<prechecks::Failure>,
    /// The pre-checks ran (an empty plan, or a refusal before them, runs none).
    pub prechecks_ran: bool,
    /// Pre-checks that could not run, and why (the long-transaction check without PROCESS).
    pub skipped_checks: Vec<(&'static str, String)>,
    pub rehearsal: Option<rehearsal::Rehearsal>,
    pub dry_run: bool,
}

fn stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // UTC yyyymmdd-hhmmss without a date crate.
    let days = secs / 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// What `size_check` found, for the summary above the question.
#[derive(Debug, Clone, Default)]
pub struct SizeFacts {
    /// Tables a statement rebuilds (copy or in-place rebuild), with their rows and bytes.
    pub rebuilt: Vec<space::TableSize>,
    /// The backup's estimated size (`None` with --no-backup).
    pub backup_estimate: Option<u64>,
}

/// What `apply` shows the operator and asks before it changes anything. The library only calls
/// it; the command layer draws the screens and reads the answer (`commands::apply_screen`).
pub trait Operator {
    /// The plan is sized: what its statements will do to the site's writes.
    fn sized(&self, report: &Comparison, online: &online::OnlineOptions);
    /// Right before the first change (the backup): `Err` refuses and nothing is changed.
    fn confirm(&self, c: &Confirmation<'_>) -> Result<()>;
}

/// What the operator is asked to confirm.
pub struct Confirmation<'a> {
    pub report: &'a Comparison,
    pub database: &'a str,
    pub sizes: &'a SizeFacts,
    /// Where the backup goes (`None` with --no-backup).
    pub backup_root: Option<&'a std::path::Path>,
}

/// Carry out a report's plan on the connected database. The caller verifies afterwards.
pub async fn apply(
    db: &mut Db,
    params: &ConnectParams<'_>,
    report: &Comparison,
    prefix: &str,
    opts: &ApplyOptions,
    operator: &dyn Operator,
) -> Result<ApplySummary> {
    let (summary, result) = apply_keeping_summary(db, params, report, prefix, opts, operator).await;
    result.map(|_| summary)
}

/// `apply`, keeping what the run learnt when it is refused (which pre-checks failed, the
/// rehearsal): the JSON document of a refusal shows it.
pub async fn apply_keeping_summary(
    db: &mut Db,
    params: &ConnectParams<'_>,
    report: &Comparison,
    prefix: &str,
    opts: &ApplyOptions,
    operator: &dyn Operator,
) -> (ApplySummary, Result<()>) {
    let started = Instant::now();
    let mut summary = ApplySummary {
        statements: report.plan.steps.len(),
        bookkeeping_statements: report.bookkeeping.statements.len(),
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let result = match execute::take_lock(db).await {
        Ok(()) => {
            let r = apply_locked(db, params, report, prefix, opts, operator, &mut summary).await;
            execute::release_lock(db).await;
            r
        }
        Err(e) => Err(e),
    };
    summary.seconds = started.elapsed().as_secs_f64();
    (summary, result)
}

async fn apply_locked(
    db: &mut Db,
    params: &ConnectParams<'_>,
    report: &Comparison,
    prefix: &str,
    opts: &ApplyOptions,
    operator: &dyn Operator,
    summary: &mut ApplySummary,
) -> Result<()> {
    summary.prechecks = prechecks::run(db, &report.changes, &report.plan, &report.live).await?;
    if !report.plan.steps.is_empty() {
        match prechecks::long_transactions(db).await? {
            Some(found) => summary.prechecks.extend(found),
            None => {
                let why = "it needs the PROCESS privilege, which this user does not have";
                summary
                    .skipped_checks
                    .push(("long transactions", why.into()));
                if !opts.quiet {
                    eprintln!(
                        "note: long-transaction check skipped: {why}; \
                         an ALTER still never waits more than lock_wait_timeout={}s for a lock",
                        opts.lock_wait_timeout
                    );
                }
            }
        }
    }
    summary.prechecks_ran = true;
    if !summary.prechecks.is_empty() {
        for f in &summary.prechecks {
            eprintln!(
                "pre-check failed ({}): {}\n  investigate: {}",
                f.check,
                crate::text::one_line(&f.message),
                crate::text::quoted_parts_visible(&f.investigate)
            );
        }
        return Err(Error::refused(
            crate::error::RefusalKind::Prechecks,
            format!(
                "{} pre-check(s) failed: nothing was changed",
                summary.prechecks.len()
            ),
        ));
    }
    // Kept in the summary even when refused: the refusal's JSON shows the refused statement.
    rehearse(db, params, report, opts.quiet, &mut summary.rehearsal).await?;
    let online = online::Online {
        opts: &opts.online,
        live: &report.live,
        params: *params,
        lock_wait_timeout: opts.lock_wait_timeout,
        quiet: opts.quiet,
        progress: &opts.progress,
    };
    online.preflight(db, &report.plan.steps).await?;
    let nothing = report.plan.steps.is_empty() && report.bookkeeping.statements.is_empty();
    let backup_root = location::backup_root(opts.backup_dir.as_deref())?;
    if !opts.no_backup {
        location::refuse_inside_install(&backup_root, &opts.install_dirs)?;
        files::check_backup_root(&backup_root)?;
    }
    let mut facts = SizeFacts::default();
    if !nothing {
        facts = size_check(db, params, report, prefix, opts, &backup_root).await?;
        operator.sized(report, &opts.online);
    }
    if !nothing && !opts.no_backup {
        // The dump tool and what it will be handed, checked now: a dry run says what the run
        // would refuse, and the run refuses before anything is changed.
        let tables = if opts.backup_tables_only {
            touched_tables(report, prefix)
        } else {
            Vec::new()
        };
        backup::check_ready(params, &tables)?;
    }
    if opts.dry_run {
        return Ok(());
    }
    if !nothing && !opts.no_backup {
        // The backup is only worth taking if this account can restore it (a staging
        // database first, see `restore::stage`): asked of the server now, before any change.
        // Not in a dry run, which changes nothing (the probe creates and drops a database).
        restore::stage::probe(db, params.database).await?;
    }
    if nothing {
        // An interrupted run whose last statement did complete leaves nothing to do; its
        // journal still says "running" until a rerun looks.
        if journal::exists(db).await?
            && let Some(i) = journal::interrupted_run(db, prefix).await?
        {
            journal::reconcile_interrupted(db, i.run_id).await?;
            summary.resumed_run = Some(i.run_id);
        }
        return Ok(());
    }
    operator.confirm(&Confirmation {
        report,
        database: params.database,
        sizes: &facts,
        backup_root: (!opts.no_backup).then_some(backup_root.as_path()),
    })?;
    let interrupted = if journal::exists(db).await? {
        journal::interrupted_run(db, prefix).await?
    } else {
        None
    };
    let touched = touched_tables(report, prefix);
    let mut taken_now = false;
    let backup = if opts.no_backup {
        None
    } else if let Some((prev, i)) = interrupted
        .as_ref()
        .and_then(|i| reuse_backup(i, &touched).map(|b| (b, i)))
    {
        if !opts.quiet {
            eprintln!(
                "resuming run {} (started {}, {} statement(s) done): its backup {} holds every table this plan touches",
                i.run_id,
                i.started_at,
                i.done_steps,
                one_line(&prev.path.display().to_string())
            );
        }
        Some(prev)
    } else {
        if !opts.quiet
            && let Some(i) = &interrupted
        {
            eprintln!(
                "resuming run {}: its backup cannot be reused (missing, changed, not in a private folder of this user, or without every table this plan touches); taking a new one",
                i.run_id
            );
        }
        taken_now = true;
        Some(new_backup(
            &backup_root,
            params,
            report,
            prefix,
            opts,
            &touched,
        )?)
    };
    journal::ensure_table(db).await?;
    summary.backup = backup.clone();
    if let Some(i) = &interrupted {
        journal::reconcile_interrupted(db, i.run_id).await?;
        summary.resumed_run = Some(i.run_id);
    }
    let run_id = journal::next_run_id(db).await?;
    summary.run_id = run_id;
    if let (Some(b), true) = (&backup, taken_now) {
        let created = created_tables(report);
        restore::record_backup(
            db,
            b,
            &install_tables(report, prefix),
            &created,
            prefix,
            run_id,
        )
        .await?;
    }
    journal::start_run(
        db,
        run_id,
        &format!(
            "{}{}",
            execute::run_detail(backup.as_ref(), report.plan.steps.len()),
            journal::prefix_line(prefix)
        ),
    )
    .await?;
    summary.steps = execute::run_steps(
        db,
        run_id,
        &report.plan.steps,
        opts.lock_wait_timeout,
        opts.quiet,
        &online,
    )
    .await?;
    execute::run_bookkeeping(db, &report.bookkeeping.statements).await?;
    journal::finish_run(db, run_id, "done").await?;
    restore::ledger::run_done(db, run_id).await?;
    Ok(())
}

/// Run the plan on a schema-only copy first (see `rehearsal`): a statement the server refuses
/// stops the run before the live database is touched. The outcome goes into `keep`.
async fn rehearse(
    db: &mut Db,
    params: &ConnectParams<'_>,
    report: &Comparison,
    quiet: bool,
    keep: &mut Option<rehearsal::Rehearsal>,
) -> Result<()> {
    use crate::text::one_line;
    use rehearsal::Rehearsal;
    // This run holds the database's lock: what a killed run left can go.
    match rehearsal::clean_leftovers(db).await {
        Ok(notes) => notes
            .iter()
            .filter(|n| !quiet || n.starts_with("left alone"))
            .for_each(|n| eprintln!("note: {}", one_line(n))),
        Err(e) => eprintln!("note: scratch databases left by earlier runs not looked for: {e}"),
    }
    let steps = &report.plan.steps;
    let tables = rehearsal::tables_to_copy(steps, &report.live, &report.reference);
    let outcome = keep.insert(rehearsal::rehearse(db, params, steps, &tables).await?);
    match outcome {
        Rehearsal::Refused {
            number,
            of,
            table,
            sql,
            error,
        } => {
            eprintln!(
                "rehearsal: the server refused statement {number} of {of} ({}) on a schema-only copy:\n{};\n  {}",
                one_line(table),
                crate::text::quoted_parts_visible(sql),
                one_line(error)
            );
            return Err(Error::refused(
                crate::error::RefusalKind::Rehearsal,
                format!("the rehearsal failed at statement {number} of {of}: nothing was changed"),
            ));
        }
        Rehearsal::Skipped { why } if !quiet => eprintln!(
            "warning: not rehearsed: {}. Not covered: a statement the server refuses (errno 150, \
             a key too long, a generated column) would stop the run part way, after the backup",
            one_line(why)
        ),
        Rehearsal::Passed { statements, tables } if !quiet && *statements > 0 => eprintln!(
            "rehearsal: all {statements} statement(s) ran on a schema-only copy of {tables} table(s)"
        ),
        _ => {}
    }
    Ok(())
}

/// Put right what an interrupted online change left (see `online::recover`). Call with the
/// advisory lock held and before planning: a finished swap changes the schema the plan starts
/// from. A dry run changes nothing: it says what the real run will do instead.
pub async fn recover_interrupted(
    db: &mut Db,
    prefix: &str,
    dry_run: bool,
    quiet: bool,
) -> Result<()> {
    if dry_run {
        if let (false, Some(i)) = (quiet, online::interrupted(db, prefix).await?) {
            for o in &i.online {
                eprintln!(
                    "interrupted {} change of `{}` ({}): {}",
                    online::TOOL,
                    crate::text::one_line(&o.table),
                    o.phase,
                    crate::text::one_line(&o.rerun)
                );
            }
        }
        return Ok(());
    }
    let rec = online::recover(db).await.map_err(|e| {
        Error::refused(
            crate::error::RefusalKind::OnlineLeftover,
            format!(
                "cannot finish what an interrupted {} change left: {e}. Nothing else was changed",
                online::TOOL
            ),
        )
    })?;
    if !quiet {
        for line in &rec.done {
            eprintln!(
                "interrupted {}: {}",
                online::TOOL,
                crate::text::one_line(line)
            );
        }
    }
    Ok(())
}

/// An interrupted run's backup, when its manifest says it holds every table `touched` names.
fn reuse_backup(i: &journal::Interrupted, touched: &[String]) -> Option<Backup> {
    let path = PathBuf::from(i.backup_path.as_ref()?);
    // The path comes from a row of the database: a folder someone else controls is not ours.
    if !files::is_private_folder(path.parent()?) {
        return None;
    }
    let (m, _) = manifest::Manifest::find(&path).ok()??;
    if !m.covers(touched) {
        return None;
    }
    let b = backup::verify_backup(&path, &m.tables).ok()?;
    (Some(&b.sha256) == i.backup_sha256.as_ref() && b.sha256 == m.sha256).then_some(b)
}

/// A verified dump in a new private folder, with its manifest.
fn new_backup(
    root: &std::path::Path,
    params: &ConnectParams<'_>,
    report: &Comparison,
    prefix: &str,
    opts: &ApplyOptions,
    touched: &[String],
) -> Result<Backup> {
    let stamp = stamp();
    let dir = location::private_backup_dir(
        root,
        &format!("{}-{stamp}", backup::file_stem(params.database)),
    )?;
    if !opts.quiet {
        // The folder is named after the database: both shown escaped.
        eprintln!(
            "backing up `{}` to {} ...",
            one_line(params.database),
            one_line(&dir.display().to_string())
        );
    }
    let tables = if opts.backup_tables_only {
        touched.to_vec()
    } else {
        Vec::new()
    };
    let b = backup::take_backup(
        &dir,
        params,
        &tables,
        opts.backup_tables_only,
        &stamp,
        &opts.progress,
    )?;
    let mut all: Vec<String> = report.live.tables.keys().cloned().collect();
    all.extend(report.foreign_tables.iter().cloned());
    all.sort();
    let m = manifest::Manifest {
        database: params.database.to_string(),
        prefix: prefix.to_string(),
        dump: b
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: b.sha256.clone(),
        bytes: b.bytes,
        whole_database: !opts.backup_tables_only,
        tables: if opts.backup_tables_only { tables } else { all },
        creates: created_tables(report),
        plan_tables: touched.to_vec(),
        plan_sha256: manifest::plan_hash(report.plan.steps.iter().map(|s| s.sql())),
        fingerprint_before: manifest::fingerprint(&report.live),
    };
    m.write(&dir)?;
    if !opts.quiet {
        eprintln!(
            "backup: {} ({} bytes, sha256 {}; manifest beside it)",
            one_line(&b.path.display().to_string()),
            b.bytes,
            b.sha256
        );
    }
    Ok(b)
}

/// Tables the plan (or the bookkeeping) creates: absent now, dropped again by a rollback.
fn created_tables(report: &Comparison) -> Vec<String> {
    let exists =
        |t: &String| report.live.tables.contains_key(t) || report.foreign_tables.contains(t);
    let mut t: Vec<String> = report
        .plan
        .steps
        .iter()
        .map(|s| s.table.clone())
        .filter(|t| !exists(t))
        .collect();
    use crate::mautic::bookkeeping::Statement;
    t.extend(
        report
            .bookkeeping
            .statements
            .iter()
            .filter(|(_, s)| matches!(s, Statement::CreateTable { .. }))
            .map(|(_, s)| s.table().to_string())
            .filter(|m| !exists(m)),
    );
    t.sort();
    t.dedup();
    t
}

/// Before anything is written: each rebuilt table's rows and size, the backup's estimated size
/// against the free space where it goes (refused when it cannot fit), and the room a rebuild's
/// copy needs in the server's data directory when that is on this host (a warning: the server
/// may reuse space, and the catalog's sizes are estimates).
async fn size_check(
    db: &mut Db,
    params: &ConnectParams<'_>,
    report: &Comparison,
    prefix: &str,
    opts: &ApplyOptions,
    root: &std::path::Path,
) -> Result<SizeFacts> {
    use space::human;
    let mut facts = SizeFacts::default();
    let all = space::sizes(db, &[]).await?;
    let mut rebuilt: Vec<&space::TableSize> = Vec::new();
    let rebuilds = |s: &&crate::plan::Step| {
        crate::plan::algorithm::step_rebuilds(s, &report.live, &report.server)
    };
    for s in report.plan.steps.iter().filter(rebuilds) {
        if let Some(t) = all.iter().find(|t| t.table == s.table)
            && !rebuilt.iter().any(|r| r.table == t.table)
        {
            rebuilt.push(t);
        }
    }
    if !opts.quiet {
        for t in &rebuilt {
            eprintln!(
                "rebuilt: {} ({} rows, {})",
                one_line(&t.table),
                t.rows,
                human(t.bytes)
            );
        }
    }
    if !opts.no_backup {
        let held = touched_tables(report, prefix);
        let estimate: u64 = all
            .iter()
            .filter(|t| !opts.backup_tables_only || held.contains(&t.table))
            .map(|t| t.bytes)
            .sum();
        facts.backup_estimate = Some(estimate);
        let free = space::free_bytes(root);
        if !opts.quiet {
            eprintln!(
                "backup: about {} to {} ({} free)",
                human(estimate),
                root.display(),
                free.map(human)
                    .unwrap_or_else(|| "free space unknown".into())
            );
        }
        if let Some(f) = free
            && estimate > f
        {
            return Err(Error::refused(
                crate::error::RefusalKind::BackupSpace,
                format!(
                    "not enough free space for the backup under {}: about {} needed, {} free; free some or pass --backup-dir elsewhere (nothing was changed)",
                    root.display(),
                    human(estimate),
                    human(f)
                ),
            ));
        }
    }
    if let Some(big) = rebuilt.iter().max_by_key(|t| t.bytes)
        && let Some(dir) = space::local_datadir(db, params.host, params.socket.is_some()).await
        && let Some(f) = space::free_bytes(&dir)
        && big.bytes > f
        && !opts.quiet
    {
        eprintln!(
            "warning: rebuilding {} needs about its size ({}) again in the server's data directory {}, which has {} free",
            one_line(&big.table),
            human(big.bytes),
            dir.display(),
            human(f)
        );
    }
    facts.rebuilt = rebuilt.into_iter().cloned().collect();
    Ok(facts)
}

/// The install's tables (its prefix's, and its migrations table): what a restore of its
/// backup may replace.
fn install_tables(report: &Comparison, prefix: &str) -> Vec<String> {
    let mut t: Vec<String> = report.live.tables.keys().cloned().collect();
    let m = format!("{prefix}migrations");
    if report.foreign_tables.contains(&m) {
        t.push(m);
    }
    t
}

/// Tables the plan changes, plus the migrations table, for `--backup tables`.
fn touched_tables(report: &Comparison, prefix: &str) -> Vec<String> {
    let mut t: Vec<String> = report
        .plan
        .steps
        .iter()
        .map(|s| s.table.clone())
        .filter(|t| report.live.tables.contains_key(t))
        .collect();
    let m = format!("{prefix}migrations");
    if report.foreign_tables.contains(&m) || report.live.tables.contains_key(&m) {
        t.push(m);
    }
    t.sort();
    t.dedup();
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_781), (2026, 11, 24));
    }
}
