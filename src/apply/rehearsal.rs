//! The rehearsal: before the first real DDL, the exact plan runs on a schema-only copy of the
//! tables it touches (and their foreign-key neighbours) in a scratch database, so whatever the
//! server would refuse (errno 150, a key too long, a TEXT index without a length, a generated
//! column's expression, a duplicate key name, a row too large) stops the run while the live
//! database is still untouched. The copy has no rows: what depends on the data (orphans,
//! duplicates, truncation, zero dates) is the pre-checks' job.

use std::collections::BTreeSet;

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

/// Scratch databases are named after the live database's lock, so only a run holding that lock
/// creates or removes them: leftovers of a killed run are dropped by the next run.
pub fn scratch_prefix(database: &str) -> String {
    format!(
        "_ms_rehearsal_{:08x}_",
        crc32fast::hash(database.as_bytes())
    )
}

fn scratch_name(database: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let salt = crc32fast::hash(format!("{}:{nanos}", std::process::id()).as_bytes());
    format!("{}{salt:08x}", scratch_prefix(database))
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

/// Drop the scratch databases of earlier runs on this database (killed before they cleaned up).
/// The caller holds the database's advisory lock.
async fn drop_leftovers(db: &mut Db) -> Result<(), DbError> {
    // The prefix holds only letters, digits and `_`, LIKE's one-character wildcard.
    let like = scratch_prefix(&db.database).replace('_', "\\_") + "%";
    let rows = db
        .rows(
            "looking for rehearsal leftovers",
            "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
            &[&like],
        )
        .await?;
    for name in rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
    {
        db.execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&name)))
            .await?;
    }
    Ok(())
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
    drop_leftovers(db).await.ok();
    let scratch = scratch_name(&db.database);
    if let Err(e) = db
        .execute(&format!("CREATE DATABASE {}", quote_ident(&scratch)))
        .await
    {
        let reason = match e {
            // 1044: the usual case, a Mautic user with rights on its own database only.
            ref e if e.server_error().is_some_and(|s| s.is_privilege()) => String::new(),
            DbError::Query { reason, .. } => format!(" ({reason})"),
            other => format!(" ({other})"),
        };
        let user = current_user(db).await;
        return Ok(Rehearsal::Skipped {
            why: format!(
                "this user may not create a scratch database{reason}; to rehearse, have an \
                 administrator run GRANT ALL ON `\\_ms\\_rehearsal\\_%`.* TO {user}"
            ),
        });
    }
    let outcome = rehearse_in(db, params, &scratch, steps, tables).await;
    let dropped = db
        .execute(&format!(
            "DROP DATABASE IF EXISTS {}",
            quote_ident(&scratch)
        ))
        .await;
    let outcome = outcome?;
    dropped?;
    Ok(outcome)
}

async fn rehearse_in(
    db: &mut Db,
    params: &ConnectParams<'_>,
    scratch: &str,
    steps: &[Step],
    tables: &[String],
) -> Result<Rehearsal, DbError> {
    let mut copy = Db::connect(&ConnectParams {
        database: scratch,
        ..*params
    })
    .await?;
    copy.execute("SET SESSION foreign_key_checks = 0").await?;
    for t in tables {
        let ddl = show_create(db, t).await?;
        if let Err(e) = copy.execute(&ddl).await {
            return Ok(Rehearsal::Skipped {
                why: format!("table {t} could not be copied into the scratch database: {e}"),
            });
        }
    }
    // The live run keeps foreign-key checks on: so does its rehearsal.
    copy.execute("SET SESSION foreign_key_checks = 1").await?;
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
