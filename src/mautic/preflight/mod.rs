//! Preflight's assessment: before an upgrade, what Mautic's migrations from the database's
//! release to X will meet on this very database. Each migration gets a verdict (already
//! recorded, will run, a data migration Mautic must run), and the upgrade's planned state is
//! checked as `apply` checks its own plan: the pre-checks on the rows (orphans, duplicates,
//! truncation, JSON, zero dates, key and row limits), a rehearsal of the schema change on a
//! scratch copy, the server version X requires, the disk a rebuild needs, and an estimated
//! duration. It ends with the one verdict (`mautic::overall`): the upgrade's blockers, else the
//! database's own as `check` gives it.
//!
//! Typed data only: the command line, the connection and the printing are the caller's.

mod checks;
mod pending;
mod server;
mod statements;

pub use checks::{Check, Status};
pub use pending::Pending;

use super::check::{CheckOptions, MauticFacts, mautic_report};
use super::migrations::Migration;
use super::overall::Verdict as Overall;
use super::path::World;
use super::release::Release;
use crate::compare::Live;
use crate::comparison::Comparison;
use crate::db::ConnectParams;
use crate::error::{Error, Result};
use crate::schema::Schema;

/// What to assess, once the command line is read and the live side loaded.
pub struct Request<'a> {
    /// The release to upgrade to.
    pub to: Release,
    /// The release the database is at, when the user says (`--target`): its own verdict is
    /// compared with it.
    pub at: Option<Release>,
    pub prefix: &'a str,
    pub strict: bool,
    /// From which size a table's copy is large (`--large-table-size`).
    pub large: crate::plan::split::Large,
    /// How the rehearsals reach the server; `None` when the live side is a dump.
    pub server: Option<ConnectParams<'a>>,
}

/// What preflight found.
pub struct Assessment {
    pub detected: String,
    pub to: Release,
    /// The live side, as the report describes it.
    pub source: String,
    pub facts: MauticFacts,
    pub verdicts: Vec<Pending>,
    pub checks: Vec<Check>,
    /// The one verdict: the upgrade's blockers, else the database's own (as `check` says it).
    pub verdict: Overall,
}

impl Assessment {
    pub fn blockers(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Blocker)
            .count()
    }
}

/// Every check for an upgrade to `req.to`, read-only (the rehearsals work on scratch copies);
/// `stage` hears each stage as it starts.
pub async fn assess(
    live: &mut Live,
    req: &Request<'_>,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<Assessment> {
    let to = req.to;
    stage("comparing with the release");
    let (mut report, facts) = mautic_report(live, req.prefix, &upgrade_options(req)).await?;
    let mut checks = vec![checks::server_version(&report.server, to)];
    let pending = pending::of(&facts, to);
    let (live_checks, outside) = live_side(live, req, &mut report, &pending, stage).await?;
    checks.extend(live_checks);
    let world = world(req, &report, outside);
    // Mautic's path: each pending migration folded over the schema the ones before leave.
    stage("following Mautic's upgrade path");
    let path =
        super::path::fold_migrations(&report.live, &pending, &world, super::path::Keep::EachStep);
    checks.push(checks::inserts(&path.end, &report.reference));
    let (verdicts, path_checks) = pending::verdicts(&pending, &path, req.prefix);
    checks.extend(path_checks);
    checks.extend(statements::checks(live, req, &verdicts, &path, &world, &report, stage).await?);
    // The one verdict: the upgrade's blockers first, else the database's own.
    let detected = facts.detected.clone().unwrap_or_else(|| "unknown".into());
    let standing = standing(live, &facts, req).await?;
    let blockers = checks
        .iter()
        .filter(|c| c.status == Status::Blocker)
        .count();
    Ok(Assessment {
        verdict: standing.upgrade(&to.to_string(), blockers),
        detected,
        to,
        source: report.source.clone(),
        facts,
        verdicts,
        checks,
    })
}

/// The comparison with the release upgraded to: every migration of it judged (each one the
/// list shows is foreseen), destructive changes planned (the upgrade's schema is the release's).
fn upgrade_options(req: &Request<'_>) -> CheckOptions {
    CheckOptions {
        judge_all_migrations: true,
        target: Some(req.to.to_string()),
        reference_file: None,
        code_version: None,
        strict: req.strict,
        allow_destructive: true,
    }
}

/// The database outside the install, as Mautic's path meets it.
struct Outside {
    /// Every foreign-key name with its table (errno 121 refuses a second one).
    foreign_keys: Vec<(String, String)>,
    /// Every table, when a pending migration walks them all (else none).
    tables: Schema,
}

/// The checks of the live side (on a server: its rows, a rehearsal, the disk; on a dump: what
/// could not be run), and the database outside the install.
async fn live_side(
    live: &mut Live,
    req: &Request<'_>,
    report: &mut Comparison,
    pending: &[Migration],
    stage: &(dyn Fn(&str) + Sync),
) -> Result<(Vec<Check>, Outside)> {
    let versions: Vec<&str> = pending.iter().map(|m| m.version.as_str()).collect();
    let walks = super::path::walks_the_database(&versions);
    let Some(params) = &req.server else {
        // A dump is the whole database: its keys and tables are all there is.
        let foreign_keys = live
            .schema
            .tables
            .values()
            .flat_map(|t| {
                t.foreign_keys
                    .iter()
                    .map(|f| (f.name.clone(), t.name.clone()))
            })
            .collect();
        let tables = live.schema.clone();
        return Ok((
            checks::not_run_on_a_dump(),
            Outside {
                foreign_keys,
                tables,
            },
        ));
    };
    let Some(db) = live.db.as_mut() else {
        return Err(Error::Input("preflight needs a live database".into()));
    };
    stage("checking the rows and rehearsing the repair plan");
    let checks = server::checks(db, params, &req.large, report).await?;
    let (foreign_keys, tables) = server::elsewhere(db, walks).await?;
    Ok((
        checks,
        Outside {
            foreign_keys,
            tables,
        },
    ))
}

/// What the path's fold knows of the world: the install's prefix, the server, and what lies
/// outside the install (names are matched without case, as the server does).
fn world(req: &Request<'_>, report: &Comparison, outside: Outside) -> World {
    let mut others = outside.tables;
    others
        .tables
        .retain(|name, _| report.live.table(name).is_none());
    World {
        prefix: req.prefix.to_string(),
        server: report.server.clone(),
        foreign_keys_elsewhere: outside
            .foreign_keys
            .into_iter()
            .filter(|(_, t)| report.live.table(t).is_none())
            .map(|(n, t)| (n.to_ascii_lowercase(), t))
            .collect(),
        others,
    }
}

/// The database's own verdict, as `check` gives it: compared with the release it is at
/// (`--target`, else the detected one, its newest when a range; `to` when it cannot be told),
/// with what an interrupted run left. A second comparison: the first was with `to`, whose
/// reference, plan and destructive changes differ.
async fn standing(live: &mut Live, facts: &MauticFacts, req: &Request<'_>) -> Result<Overall> {
    let at = req
        .at
        .or_else(|| {
            let d = facts.detected.as_deref()?;
            Release::parse(d.rsplit('-').next().unwrap_or(d))
        })
        .unwrap_or(req.to);
    let opts = CheckOptions {
        target: Some(at.to_string()),
        reference_file: None,
        code_version: None,
        strict: req.strict,
        allow_destructive: false,
        judge_all_migrations: false,
    };
    let (mut report, _) = mautic_report(live, req.prefix, &opts).await?;
    if let Some(db) = live.db.as_mut() {
        report.interrupted = crate::apply::online::interrupted(db, req.prefix).await?;
    }
    Ok(Overall::of(&report))
}
