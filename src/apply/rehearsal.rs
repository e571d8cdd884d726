//! The rehearsal: before the first real DDL, the exact plan runs on a schema-only copy of the
//! tables it touches (and their foreign-key neighbours) in a scratch database, so whatever the
//! server would refuse (errno 150, a key too long, a TEXT index without a length, a generated
//! column's expression, a duplicate key name, a row too large) stops the run while the live
//! database is still untouched. The copy has no rows: what depends on the data (orphans,
//! duplicates, truncation, zero dates) is the pre-checks' job.

use std::collections::BTreeSet;

use super::scratch;
use crate::db::{ConnectParams, Db, DbError};
use crate::plan::Step;
use crate::schema::{Schema, quote_ident, quote_string};

/// What the rehearsal found, as the summary and JSON report it.
#[derive(Debug, Clone)]
pub enum Rehearsal {
    /// Every statement ran on the copy.
    Passed { statements: usize, tables: usize },
    /// The server refused statement `number` (1-based) of the plan.
    Refused {
        number: usize,
        of: usize,
        table: String,
        sql: String,
        error: String,
    },
    /// Not rehearsed, and why (the user may not create databases, the copy failed).
    Skipped { why: String },
}

/// The start of every scratch database name of `database` (as the server spells it): see
/// `scratch`.
pub fn scratch_prefix(database: &str) -> String {
    scratch::prefix(database)
}

/// The tables the copy needs: every table a step names, and the tables linked to them by a
/// foreign key in either direction (a key is checked against both ends).
pub fn tables_to_copy(steps: &[Step], live: &Schema, target: &Schema) -> Vec<String> {
    let named: BTreeSet<&str> = steps.iter().map(|s| s.table.as_str()).collect();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (name, t) in &live.tables {
        let points_in = t
            .foreign_keys
            .iter()
            .any(|fk| named.contains(fk.ref_table.as_str()));
        if named.contains(name.as_str()) || points_in {
            out.insert(name.clone());
        }
    }
    for t in named {
        for schema in [live, target] {
            for fk in schema.table(t).map(|x| &x.foreign_keys[..]).unwrap_or(&[]) {
                if live.table(&fk.ref_table).is_some() {
                    out.insert(fk.ref_table.clone());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Drop what killed runs on this database left (the caller holds the database's advisory
/// lock) and say what was dropped or left alone, one line each.
pub async fn clean_leftovers(db: &mut Db) -> Result<Vec<String>, DbError> {
    let origin = scratch::origin(db).await?;
    let found = scratch::clean_leftovers(db, &origin).await?;
    Ok(leftover_notes(&found))
}

pub fn leftover_notes(found: &scratch::Leftovers) -> Vec<String> {
    let mut notes: Vec<String> = found
        .dropped
        .iter()
        .map(|n| {
            format!("dropped scratch database `{n}`, left by an interrupted run on this database")
        })
        .collect();
    notes.extend(found.left_alone.iter().map(|n| {
        format!(
            "left alone: database `{n}` is named like a scratch copy of this database, but nothing \
             in it shows it is one a finished run left (no marker naming this database, or a run is using it); \
             drop it yourself if it is not needed"
        )
    }));
    notes
}

/// Rehearse `steps` on a scratch copy; the scratch database is dropped whatever happens.
pub async fn rehearse(
    db: &mut Db,
    params: &ConnectParams<'_>,
    steps: &[Step],
    tables: &[String],
) -> Result<Rehearsal, DbError> {
    if steps.is_empty() {
        return Ok(Rehearsal::Passed {
            statements: 0,
            tables: 0,
        });
    }
    let origin = scratch::origin(db).await?;
    let scratch = match scratch::create(db, &origin, "rehearsal").await {
        Ok(s) => s,
        Err(e) => return Ok(not_created(db, &origin, e).await),
    };
    super::interrupt::pause_point("rehearsal").await;
    let outcome = rehearse_in(db, params, &scratch.name, steps, tables).await;
    let dropped = scratch::drop(db, scratch).await;
    let outcome = outcome?;
    dropped?;
    Ok(outcome)
}

/// Why there is no scratch database, and the GRANT that would allow one (for this database's
/// scratch names only: another tenant's stay out of reach).
async fn not_created(db: &mut Db, origin: &str, e: DbError) -> Rehearsal {
    let reason = match e {
        // 1044: the usual case, a Mautic user with rights on its own database only.
        ref e if e.server_error().is_some_and(|s| s.is_privilege()) => String::new(),
        DbError::Query { reason, .. } => format!(" ({reason})"),
        other => format!(" ({other})"),
    };
    let user = current_user(db).await;
    Rehearsal::Skipped {
        why: format!(
            "this user may not create a scratch database{reason}; to rehearse, have an \
             administrator run GRANT ALL ON `{}`.* TO {user}",
            scratch::grant_pattern(origin)
        ),
    }
}

async fn rehearse_in(
    db: &mut Db,
    params: &ConnectParams<'_>,
    scratch: &str,
    steps: &[Step],
    tables: &[String],
) -> Result<Rehearsal, DbError> {
    // The live run keeps foreign-key checks on: so does its rehearsal.
    let mut copy = match copy_tables(db, params, scratch, tables).await? {
        Ok(copy) => copy,
        Err(why) => return Ok(Rehearsal::Skipped { why }),
    };
    for (i, step) in steps.iter().enumerate() {
        if let Err(e) = copy.execute(&step.sql()).await {
            return Ok(Rehearsal::Refused {
                number: i + 1,
                of: steps.len(),
                table: step.table.clone(),
                sql: step.sql(),
                error: match e {
                    DbError::Query { reason, .. } => reason,
                    other => other.to_string(),
                },
            });
        }
    }
    Ok(Rehearsal::Passed {
        statements: steps.len(),
        tables: tables.len(),
    })
}

/// One of Mautic's statements to rehearse (with the install's prefix).
#[derive(Debug, Clone)]
pub struct Statement {
    /// Who issues it, for the report ("Version020230615115326 statement 9").
    pub label: String,
    pub sql: String,
    /// Already judged refused elsewhere (the fold's blocker): a refusal here is expected, and
    /// the run goes on past it, as the fold does, instead of stopping.
    pub expected_refusal: bool,
}

/// What the server answered Mautic's statements on the copy.
#[derive(Debug, Clone)]
pub enum StatementRehearsal {
    Passed {
        statements: usize,
        tables: usize,
    },
    /// The first statement the server refused that nothing predicted; the later ones did not run.
    Refused {
        index: usize,
        code: Option<u16>,
        error: Option<crate::dialect::ServerError>,
        reason: String,
    },
    Skipped {
        why: String,
    },
}

/// The tables Mautic's statements touch, among `live`'s, and their foreign-key neighbours in
/// either direction; `named` are the (prefixed) table names the statements name.
pub fn statement_tables(named: &BTreeSet<String>, live: &Schema) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (name, t) in &live.tables {
        let linked = t
            .foreign_keys
            .iter()
            .any(|fk| named.contains(&fk.ref_table));
        if named.contains(name) || linked {
            out.insert(name.clone());
            out.extend(
                t.foreign_keys
                    .iter()
                    .filter(|fk| live.table(&fk.ref_table).is_some())
                    .map(|fk| fk.ref_table.clone()),
            );
        }
    }
    out.into_iter().collect()
}

/// Run Mautic's own `statements`, in order, on a schema-only copy of `tables`, so the server
/// itself judges them (its JSON, row formats, key limits); the scratch database is dropped
/// whatever happens.
pub async fn rehearse_statements(
    db: &mut Db,
    params: &ConnectParams<'_>,
    statements: &[Statement],
    tables: &[String],
) -> Result<StatementRehearsal, DbError> {
    if statements.is_empty() {
        return Ok(StatementRehearsal::Passed {
            statements: 0,
            tables: 0,
        });
    }
    let origin = scratch::origin(db).await?;
    let scratch = match scratch::create(db, &origin, "statements").await {
        Ok(s) => s,
        Err(e) => {
            let why = match not_created(db, &origin, e).await {
                Rehearsal::Skipped { why } => why,
                _ => String::new(),
            };
            return Ok(StatementRehearsal::Skipped { why });
        }
    };
    let outcome = statements_in(db, params, &scratch.name, statements, tables)
        .await
        .map(|o| match o {
            // The server names the scratch database; the user knows the tables as theirs.
            StatementRehearsal::Refused {
                index,
                code,
                error,
                reason,
            } => StatementRehearsal::Refused {
                index,
                code,
                error,
                reason: reason.replace(&scratch.name, &origin),
            },
            other => other,
        });
    let dropped = scratch::drop(db, scratch).await;
    let outcome = outcome?;
    dropped?;
    Ok(outcome)
}

async fn statements_in(
    db: &mut Db,
    params: &ConnectParams<'_>,
    scratch: &str,
    statements: &[Statement],
    tables: &[String],
) -> Result<StatementRehearsal, DbError> {
    let mut copy = match copy_tables(db, params, scratch, tables).await? {
        Ok(copy) => copy,
        Err(why) => return Ok(StatementRehearsal::Skipped { why }),
    };
    for (index, st) in statements.iter().enumerate() {
        match copy.execute(&st.sql).await {
            Ok(_) => {}
            Err(_) if st.expected_refusal => {}
            Err(e) => {
                return Ok(StatementRehearsal::Refused {
                    index,
                    code: e.code(),
                    error: e.server_error(),
                    reason: match e {
                        DbError::Query { reason, .. } => reason,
                        other => other.to_string(),
                    },
                });
            }
        }
    }
    Ok(StatementRehearsal::Passed {
        statements: statements.len(),
        tables: tables.len(),
    })
}

/// A connection to `scratch` holding the schema of `tables` (no rows), foreign-key checks on
/// as a real run has them; `Err` says why a table could not be copied.
async fn copy_tables(
    db: &mut Db,
    params: &ConnectParams<'_>,
    scratch: &str,
    tables: &[String],
) -> Result<Result<Db, String>, DbError> {
    let mut copy = Db::connect(&ConnectParams {
        database: scratch,
        ..*params
    })
    .await?;
    copy.execute("SET SESSION foreign_key_checks = 0").await?;
    for t in tables {
        let ddl = show_create(db, t).await?;
        if let Err(e) = copy.execute(&ddl).await {
            return Ok(Err(format!(
                "table {t} could not be copied into the scratch database: {e}"
            )));
        }
    }
    copy.execute("SET SESSION foreign_key_checks = 1").await?;
    Ok(Ok(copy))
}

/// `'user'@'host'` as the server knows this connection's account, for a GRANT to paste.
async fn current_user(db: &mut Db) -> String {
    let rows = db
        .rows(
            "reading the account name",
            "SELECT CAST(SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AS CHAR), CAST(SUBSTRING_INDEX(CURRENT_USER(), '@', -1) AS CHAR)",
            &[],
        )
        .await
        .unwrap_or_default();
    match rows.first().map(|r| (r[0].clone(), r[1].clone())) {
        Some((Some(u), Some(h))) => format!("{}@{}", quote_string(&u), quote_string(&h)),
        _ => "CURRENT_USER".into(),
    }
}

async fn show_create(db: &mut Db, table: &str) -> Result<String, DbError> {
    let rows = db
        .rows(
            "reading a table definition for the rehearsal",
            &format!("SHOW CREATE TABLE {}", quote_ident(table)),
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().nth(1).flatten())
        .unwrap_or_default())
}
