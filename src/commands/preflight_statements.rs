//! `preflight`'s rehearsal of Mautic's own statements: the statements of the migrations the
//! path runs, with the install's prefix, in Mautic's order, on a schema-only scratch copy, so
//! the server judges what the fold can only model (its JSON, its row formats and sizes, its
//! key limits). A refusal the fold did not predict is a blocker naming the migration, the
//! statement and the server's error.

use std::collections::BTreeSet;

use super::preflight::{Check, Status};
use crate::apply::rehearsal::{self, Statement, StatementRehearsal};
use crate::db::{ConnectParams, Db};
use crate::error::{Error, Result};
use crate::mautic::effects::{Effect, definition_table};
use crate::mautic::path::{Path, World, sql};
use crate::schema::Schema;

/// One migration the path runs: its version, its effects, and how the fold walked it.
pub(crate) struct Run<'a> {
    pub version: &'a str,
    pub effects: &'a [Effect],
    /// The statements (unprefixed) the fold already found refused.
    pub refused: BTreeSet<&'a str>,
    pub before: &'a Schema,
}

/// Rehearse `runs` on a scratch copy of `live`'s tables they touch: one check.
pub(crate) async fn check(
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
pub(crate) fn runs<'a>(
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
