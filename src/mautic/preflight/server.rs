//! The checks only a server can answer: the rows the repair plan meets, a rehearsal of it on a
//! scratch copy, the scratch databases killed runs left, the duration and the disk; and the
//! database outside the install that Mautic's path meets.

use super::checks::{Check, Status};
use crate::apply::prechecks::{self, Failure};
use crate::apply::rehearsal::{self, Rehearsal};
use crate::comparison::Comparison;
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};

/// The checks only a server can answer, in the order the verdict lists them: the rows, a
/// rehearsal on a scratch copy, the scratch databases earlier runs left, the duration and the
/// disk. Reads the tables' sizes into `report` first (the duration and the disk need them, and
/// the plan splits a large table's index changes by them).
pub(super) async fn checks(
    db: &mut Db,
    params: &ConnectParams<'_>,
    large: &crate::plan::split::Large,
    report: &mut Comparison,
) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    report.size_and_split(db, large).await?;
    let failures: Vec<Failure> =
        prechecks::run(db, &report.changes, &report.plan, &report.live).await?;
    if failures.is_empty() {
        checks.push(Check::ok(
            "rows",
            "no row stands in the way of the schema change".into(),
        ));
    }
    checks.extend(failures.into_iter().map(|f| Check {
        name: f.check,
        status: Status::Blocker,
        message: f.message,
        investigate: f.investigate,
    }));
    let tables = rehearsal::tables_to_copy(&report.plan.steps, &report.live, &report.reference);
    let leftovers = clean_leftovers(db).await;
    // Held for the clean-up only: the rehearsal's own copy is guarded by its own lock, and an
    // `apply` started meanwhile should not wait for a preflight.
    crate::apply::execute::release_lock(db).await;
    let leftovers = leftovers?;
    let rehearsed = rehearsal::rehearse(db, params, &report.plan.steps, &tables).await?;
    checks.push(rehearsal_check(rehearsed));
    checks.extend(leftovers);
    checks.push(duration(report));
    let datadir =
        crate::apply::space::local_datadir(db, params.host, params.socket.is_some()).await;
    checks.push(disk(report, datadir.as_deref()));
    Ok(checks)
}

/// The database outside the install (see `Outside`): its foreign-key names, and its tables
/// when `walks` (a pending migration walks every table).
pub(super) async fn elsewhere(
    db: &mut Db,
    walks: bool,
) -> Result<(Vec<(String, String)>, crate::schema::Schema)> {
    let names = crate::inspect::foreign_key_names(db)
        .await
        .map_err(|e| Error::Input(format!("preflight: {e}")))?;
    let all = if walks {
        crate::inspect::inspect(db)
            .await
            .map_err(|e| Error::Input(format!("preflight: {e}")))?
            .schema
    } else {
        Default::default()
    };
    Ok((names, all))
}

/// Scratch databases killed runs left, dropped only while this run holds the advisory lock
/// `apply` takes (so neither drops what the other is using); one warning line each for what is
/// left alone, and one when the lock is held elsewhere.
async fn clean_leftovers(db: &mut Db) -> Result<Vec<Check>> {
    let warning = |message: String| Check {
        name: "scratch databases",
        status: Status::Warning,
        message,
        investigate: String::new(),
    };
    if !crate::apply::execute::try_lock(db).await? {
        return Ok(vec![warning(format!(
            "another mautic-schema run holds lock '{}': scratch databases earlier runs left were not looked for",
            crate::apply::execute::lock_name(&db.database)
        ))]);
    }
    Ok(rehearsal::clean_leftovers(db)
        .await?
        .into_iter()
        .filter(|n| n.starts_with("left alone"))
        .map(warning)
        .collect())
}

fn rehearsal_check(outcome: Rehearsal) -> Check {
    match outcome {
        Rehearsal::Passed { statements, .. } => Check::ok(
            "rehearsal",
            format!("the server accepts all {statements} statement(s) on a schema-only copy"),
        ),
        Rehearsal::Refused {
            number,
            of,
            table,
            error,
            sql,
        } => Check {
            name: "rehearsal",
            status: Status::Blocker,
            message: format!("statement {number} of {of} ({table}) is refused: {error}"),
            investigate: sql,
        },
        Rehearsal::Skipped { why } => Check {
            name: "rehearsal",
            status: Status::Warning,
            message: format!("not rehearsed: {why}"),
            investigate: String::new(),
        },
    }
}

/// The schema change's estimated time: each ALTER of the plan by the algorithm the server
/// will pick and the table's size, as `apply` announces it.
fn duration(report: &Comparison) -> Check {
    use crate::plan::algorithm::{estimate_seconds, step_verdict};
    let (mut seconds, mut blocking) = (0.0_f64, 0);
    for step in &report.plan.steps {
        let Some(v) = step_verdict(step, &report.live, &report.server) else {
            continue;
        };
        let size = report
            .sizes
            .as_ref()
            .and_then(|s| s.get(&step.table))
            .copied();
        seconds += estimate_seconds(&v, size).unwrap_or(0.0);
        blocking += usize::from(v.blocks_writes());
    }
    Check::ok(
        "duration",
        format!(
            "about {:.0} s of schema change, {blocking} statement(s) blocking writes while they copy",
            if seconds > 0.0 { seconds.ceil() } else { 0.0 }
        ),
    )
}

/// Room for the rebuilds: a table copy (ALGORITHM=COPY, or an in-place rebuild) needs about
/// the table's size again in the server's data directory while it runs; rebuilds run one after
/// the other, so the largest one counts.
fn disk(report: &Comparison, datadir: Option<&std::path::Path>) -> Check {
    use crate::apply::space::{free_bytes, human};
    let largest = report
        .plan
        .steps
        .iter()
        .filter(|s| crate::plan::algorithm::step_rebuilds(s, &report.live, &report.server))
        .filter_map(|s| {
            let size = report.sizes.as_ref()?.get(&s.table)?;
            Some((size.bytes, s.table.clone()))
        })
        .max();
    let Some((need, table)) = largest else {
        return Check::ok("disk", "no table is rebuilt".into());
    };
    // InnoDB's estimate is rough; a tenth more is the margin.
    let need = need + need / 10;
    match datadir.and_then(|d| free_bytes(d).map(|f| (d, f))) {
        Some((dir, free)) if free < need => Check {
            name: "disk",
            status: Status::Blocker,
            message: format!(
                "rebuilding {table} needs about {} free in {}, {} free",
                human(need),
                dir.display(),
                human(free)
            ),
            investigate: format!("df -h {}", dir.display()),
        },
        Some((dir, free)) => Check::ok(
            "disk",
            format!(
                "the largest rebuild ({table}) needs about {}; {} free in {}",
                human(need),
                human(free),
                dir.display()
            ),
        ),
        None => Check {
            name: "disk",
            status: Status::Warning,
            message: format!(
                "the largest rebuild ({table}) needs about {} free in the server's data directory, which is not on this host: check it there",
                human(need)
            ),
            investigate: "SELECT @@datadir; then df -h on the server".into(),
        },
    }
}
