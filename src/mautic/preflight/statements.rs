//! Mautic's own statements, those of the migrations the path runs: the rows each would meet,
//! their rehearsal, and their time.
//!
//! The rehearsal runs them with the install's prefix, in Mautic's order, on a schema-only
//! scratch copy, so the server judges what the fold can only model (its JSON, its row formats
//! and sizes, its key limits). A refusal the fold did not predict is a blocker naming the
//! migration, the statement and the server's error.

use std::collections::BTreeSet;

use super::Request;
use super::checks::{Check, Status};
use super::pending::{Pending, running};
use crate::apply::prechecks;
use crate::apply::rehearsal::{self, Statement, StatementRehearsal};
use crate::compare::Live;
use crate::comparison::Comparison;
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};
use crate::mautic::effects::{Effect, definition_table};
use crate::mautic::path::{Path, World, sql};
use crate::schema::Schema;

/// The checks of Mautic's statements: the rows in their way and their rehearsal (a server
/// only), and their time.
pub(super) async fn checks(
    live: &mut Live,
    req: &Request<'_>,
    verdicts: &[Pending],
    path: &Path,
    world: &World,
    report: &Comparison,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    let running: BTreeSet<&str> = running(verdicts).collect();
    let runs = runs(&running, path, crate::mautic::effects::by_version());
    if let Some(db) = live.db.as_mut() {
        stage("counting the rows Mautic's statements meet");
        checks.extend(statement_rows(db, &runs, world, report).await?);
    }
    if let (Some(db), Some(params)) = (live.db.as_mut(), &req.server) {
        stage("rehearsing Mautic's statements on a scratch copy");
        checks.push(rehearse(db, params, &runs, &report.live, world).await?);
    }
    checks.push(statement_time(verdicts, req.prefix, report));
    Ok(checks)
}

/// One migration the path runs: its version, its effects, and how the fold walked it.
pub(super) struct Run<'a> {
    pub version: &'a str,
    pub effects: &'a [Effect],
    /// The statements (unprefixed) the fold already found refused.
    pub refused: BTreeSet<&'a str>,
    pub before: &'a Schema,
}

/// Rehearse `runs` on a scratch copy of `live`'s tables they touch: one check.
pub(super) async fn rehearse(
    db: &mut Db,
    params: &ConnectParams<'_>,
    runs: &[Run<'_>],
    live: &Schema,
    world: &World,
) -> Result<Check> {
    let mut statements = Vec::new();
    let mut shown = Vec::new(); // (migration, step, unprefixed) for each statement
    let mut named = BTreeSet::new();
    for run in runs {
        for e in run.effects {
            named.insert(format!("{}{}", world.prefix, e.table));
            let def = definition_table(&e.table, &e.definition, None, &world.server);
            for fk in def.iter().flat_map(|t| &t.foreign_keys) {
                named.insert(format!("{}{}", world.prefix, fk.ref_table));
            }
        }
        for p in sql::statements(run.effects, run.before, world) {
            let class = format!("Version{}", run.version);
            statements.push(Statement {
                label: format!("{class} statement {}", p.step),
                sql: p.sql,
                expected_refusal: run.refused.contains(p.unprefixed.as_str()),
            });
            shown.push((class, p.step, p.unprefixed));
        }
    }
    let tables = rehearsal::statement_tables(&named, live);
    let outcome = rehearsal::rehearse_statements(db, params, &statements, &tables)
        .await
        .map_err(|e| Error::Input(format!("preflight: rehearsing Mautic's statements: {e}")))?;
    Ok(match outcome {
        StatementRehearsal::Passed { statements, tables } => Check {
            name: "statement rehearsal",
            status: Status::Ok,
            message: format!(
                "the server accepts Mautic's {statements} statement(s) on a schema-only copy of {tables} table(s)"
            ),
            investigate: String::new(),
        },
        StatementRehearsal::Refused {
            index,
            code,
            reason,
            ..
        } => {
            let (class, step, unprefixed) = &shown[index];
            let code = code.map_or_else(|| "an error".to_string(), |c| c.to_string());
            Check {
                name: "migration",
                status: Status::Blocker,
                message: format!(
                    "{class} would fail with {code}: {reason} (statement {step}, refused by the server on a schema-only copy; the path's model did not predict it); its statement (tables unprefixed): {unprefixed}"
                ),
                investigate: format!(
                    "run it on a copy of the schema to see it: {}",
                    statements[index].sql
                ),
            }
        }
        StatementRehearsal::Skipped { why } => Check {
            name: "statement rehearsal",
            status: Status::Warning,
            message: format!("Mautic's statements were not rehearsed: {why}"),
            investigate: String::new(),
        },
    })
}

/// The runs of the path: the migrations whose statements Mautic issues (`running`, by
/// version), with the fold's view of each.
pub(super) fn runs<'a>(
    running: &BTreeSet<&str>,
    path: &'a Path,
    effects: &'a std::collections::BTreeMap<String, Vec<Effect>>,
) -> Vec<Run<'a>> {
    path.walked
        .iter()
        .zip(&path.before)
        .filter(|(w, _)| running.contains(w.version.as_str()))
        .map(|(w, before)| Run {
            version: &w.version,
            effects: effects.get(&w.version).map(Vec::as_slice).unwrap_or(&[]),
            refused: w.blockers.iter().map(|b| b.statement.as_str()).collect(),
            before,
        })
        .collect()
}

/// The rows each statement of the migrations that run would meet (Mautic's own statements,
/// judged on the schema the path leaves before each, counted on the live rows under the server's global sql_mode, which Mautic's connection
/// keeps): a blocker for each precondition with rows in the way.
async fn statement_rows(
    db: &mut Db,
    runs: &[Run<'_>],
    world: &World,
    report: &Comparison,
) -> Result<Vec<Check>> {
    use crate::mautic::preconditions::of_migrations;
    let mode = db
        .rows(
            "reading the server's sql_mode",
            "SELECT CAST(@@GLOBAL.sql_mode AS CHAR)",
            &[],
        )
        .await?;
    let mode = mode.first().and_then(|r| r[0].clone()).unwrap_or_default();
    let mode = crate::plan::preconditions::SqlMode::parse(&mode);
    let effects = crate::mautic::effects::by_version();
    let runs = runs.iter().map(|r| (r.version, r.before));
    let todo = of_migrations(runs, effects, world, &report.live, mode);
    let mut found = Vec::new();
    for sc in &todo {
        let n = prechecks::count_rows(db, &sc.precondition).await?;
        if n > 0 {
            found.push(Check {
                name: sc.precondition.class.check_name(),
                status: Status::Blocker,
                message: sc.message(n),
                investigate: sc.precondition.list_sql.clone(),
            });
        }
    }
    if found.is_empty() {
        found.push(Check::ok(
            "statement rows",
            format!(
                "no row stands in the way of Mautic's statements ({} check(s) on the rows)",
                todo.len()
            ),
        ));
    }
    Ok(found)
}

/// What Mautic's own statements cost here: the server's algorithm for each, on this data.
fn statement_time(verdicts: &[Pending], prefix: &str, report: &Comparison) -> Check {
    use crate::mautic::statement_cost::{of_migrations, summary};
    let costs = of_migrations(
        running(verdicts),
        crate::mautic::effects::by_version(),
        prefix,
        &report.live,
        &report.server,
        report.sizes.as_ref(),
    );
    Check::ok(
        "statement time",
        format!("Mautic's statements: {}", summary(&costs)),
    )
}
