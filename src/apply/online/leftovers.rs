//! What a killed pt-osc leaves behind, and putting it right before the next run.
//!
//! pt-osc works on `_<table>_new` with triggers `pt_osc_<db>_<table>_{ins,upd,del}` on the
//! original; a kill leaves them (and, inside our swap, `_<table>_old`, or the copy alone with
//! the original gone, or the copy's renamed foreign keys). We only touch tables the journal says
//! the last (interrupted or failed) run sent through pt-osc: the same names could belong to
//! somebody's own pt-osc run in progress, whose triggers must not be dropped from under it.

use super::{TOOL, fk_names, swap};
use crate::apply::journal;
use crate::db::{Db, DbError};
use crate::schema::quote_ident;

#[derive(Debug, Default)]
pub struct Recovery {
    /// One line per repair, for the operator.
    pub done: Vec<String>,
    /// The schema changed under the plan (a table or constraint renamed): plan again.
    pub replan: bool,
}

/// Tables the last run sent through pt-osc without finishing.
async fn unfinished(db: &mut Db) -> Result<Vec<String>, DbError> {
    let t = journal::TABLE;
    let rows = db
        .rows(
            "reading the journal",
            &format!(
                "SELECT DISTINCT table_name FROM `{t}` WHERE kind = 'step' AND status IN ('started', 'failed') \
                 AND detail LIKE ? AND run_id = (SELECT MAX(run_id) FROM `{t}` WHERE kind = 'run')"
            ),
            &[&format!("%{TOOL}%")],
        )
        .await?;
    Ok(rows.into_iter().filter_map(|r| r[0].clone()).collect())
}

/// Remove or finish what the last run's pt-osc left. Call with the advisory lock held.
pub async fn recover(db: &mut Db) -> Result<Recovery, DbError> {
    let mut rec = Recovery::default();
    if !journal::exists(db).await? {
        return Ok(rec);
    }
    for table in unfinished(db).await? {
        recover_table(db, &table, &mut rec).await?;
    }
    Ok(rec)
}

async fn recover_table(db: &mut Db, table: &str, rec: &mut Recovery) -> Result<(), DbError> {
    let new = swap::new_name(table);
    if !swap::exists(db, table).await? && swap::exists(db, &new).await? {
        // Killed inside the swap, between DROP TABLE and RENAME: the copy is complete (the
        // swap starts only after the last row) and is the table now.
        db.execute(&format!(
            "RENAME TABLE {} TO {}",
            quote_ident(&new),
            quote_ident(table)
        ))
        .await?;
        rec.done
            .push(format!("renamed the finished copy {new} to `{table}`"));
        rec.replan = true;
    } else {
        rec.done.extend(swap::cleanup(db, table).await?);
    }
    // Killed after the swap, before the foreign keys got their names back.
    let pairs: Vec<(String, String)> = {
        let names = fk_names::names(db, table).await?;
        names
            .iter()
            .filter_map(|n| {
                let orig = n.strip_prefix('_').filter(|o| !o.starts_with('_'))?;
                (!names.iter().any(|m| m == orig)).then(|| (n.clone(), orig.to_string()))
            })
            .collect()
    };
    if !pairs.is_empty() {
        fk_names::rename(db, table, &pairs).await?;
        for (from, to) in pairs {
            rec.done.push(format!(
                "renamed foreign key {from} of `{table}` back to {to}"
            ));
        }
        rec.replan = true;
    }
    Ok(())
}
