//! The swap after pt-osc's copy, and removing the copy when there is to be none.
//!
//! pt-osc leaves `_<table>_new` complete and kept in sync by its triggers. A table nothing
//! references is swapped atomically (`RENAME TABLE t TO _t_old, _t_new TO t`: clients never see
//! it missing). A referenced table cannot be: InnoDB makes the children's foreign keys follow a
//! renamed parent to `_t_old`. So, as pt-osc's `drop_swap`, with foreign_key_checks=0 the
//! original is dropped (its triggers with it) and the copy renamed into its place; the
//! children's keys name the table, so they find the copy. For that instant queries on the
//! table fail rather than wait; no child table is touched.

use crate::db::{Db, DbError};
use crate::schema::quote_ident;

pub fn new_name(table: &str) -> String {
    format!("_{table}_new")
}

pub fn old_name(table: &str) -> String {
    format!("_{table}_old")
}

/// Whether another table's foreign key references this one.
pub async fn is_parent(db: &mut Db, table: &str) -> Result<bool, DbError> {
    let rows = db
        .rows(
            "looking for child tables",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ? AND TABLE_NAME <> ?",
            &[table, table],
        )
        .await?;
    Ok(rows.first().and_then(|r| r[0].as_deref()).unwrap_or("0") != "0")
}

/// Whether the table has a primary key or a unique index (pt-osc needs one).
pub async fn has_unique_key(db: &mut Db, table: &str) -> Result<bool, DbError> {
    let rows = db
        .rows(
            "looking for a unique key",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0",
            &[table],
        )
        .await?;
    Ok(rows.first().and_then(|r| r[0].as_deref()).unwrap_or("0") != "0")
}

/// Run statements with foreign_key_checks=0, restoring it whatever happens.
async fn unchecked(db: &mut Db, sql: &[String]) -> Result<(), DbError> {
    db.execute("SET SESSION foreign_key_checks = 0").await?;
    let mut r = Ok(0);
    for s in sql {
        r = db.execute(s).await;
        if r.is_err() {
            break;
        }
    }
    db.execute("SET SESSION foreign_key_checks = 1").await?;
    r.map(|_| ())
}

/// Put the finished copy in place of the table.
pub async fn swap(db: &mut Db, table: &str, parent: bool) -> Result<(), DbError> {
    let (t, new, old) = (
        quote_ident(table),
        quote_ident(&new_name(table)),
        quote_ident(&old_name(table)),
    );
    // Fresh statistics before the optimizer sees the copy (pt-osc does the same).
    db.rows("analyzing the copy", &format!("ANALYZE TABLE {new}"), &[])
        .await?;
    if parent {
        unchecked(
            db,
            &[
                format!("DROP TABLE {t}"),
                format!("RENAME TABLE {new} TO {t}"),
            ],
        )
        .await
    } else {
        db.execute(&format!("RENAME TABLE {t} TO {old}, {new} TO {t}"))
            .await?;
        unchecked(db, &[format!("DROP TABLE IF EXISTS {old}")]).await
    }
}

/// Remove pt-osc's triggers on the table and its copy: the table stays as it was.
pub async fn cleanup(db: &mut Db, table: &str) -> Result<Vec<String>, DbError> {
    let mut done = Vec::new();
    let triggers = db
        .rows(
            "looking for pt-osc triggers",
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
             AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'",
            &[table],
        )
        .await?;
    // Triggers first: they write every change of the original into the copy.
    for t in triggers.into_iter().filter_map(|r| r[0].clone()) {
        db.execute(&format!("DROP TRIGGER IF EXISTS {}", quote_ident(&t)))
            .await?;
        done.push(format!("dropped trigger {t} on `{table}`"));
    }
    for leftover in [new_name(table), old_name(table)] {
        if exists(db, &leftover).await? {
            unchecked(
                db,
                &[format!("DROP TABLE IF EXISTS {}", quote_ident(&leftover))],
            )
            .await?;
            done.push(format!("dropped pt-osc's table {leftover}"));
        }
    }
    Ok(done)
}

pub async fn exists(db: &mut Db, name: &str) -> Result<bool, DbError> {
    let rows = db
        .rows(
            "looking for a table",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            &[name],
        )
        .await?;
    Ok(rows.first().and_then(|r| r[0].as_deref()) == Some("1"))
}
