//! The swap: ONE `RENAME TABLE` moves the install's live tables (and the tables the run created
//! that the backup does not hold) to the holding database and the staged tables in, so a
//! reader never finds a table missing: the server renames them all under one metadata lock,
//! or none.
//!
//! Foreign keys follow the table object, not its name (checked on MariaDB 10.11): a staged child
//! whose parent moves in the same statement references the parent's new place, `live`.parent;
//! but a table that stays (another table of the install a `--backup tables` dump does not
//! hold) keeps referencing the parent it had, which is now `hold`.parent, and a staged child
//! whose parent was not staged keeps referencing `stage`.parent. So after the swap every
//! foreign key of the live database that points into the holding or staging database is made
//! again, by name, to the live table (`repoint`), with foreign-key checks off so nothing is
//! copied or validated (the rows are the backup's, or were valid before).

use super::Verified;
use super::stage::Names;
use crate::db::Db;
use crate::dialect::ServerError;
use crate::error::{Error, Result};
use crate::schema::{quote_ident, quote_string};
use crate::text::one_line;

/// Seconds the swap waits for its metadata lock before giving up with nothing changed.
const LOCK_WAIT: u32 = 30;

/// `RENAME TABLE live.o TO hold.o, ..., stage.i TO live.i, ...`.
pub fn rename_sql(live: &str, n: &Names, out: &[String], into: &[String]) -> String {
    let q = |db: &str, t: &str| format!("{}.{}", quote_ident(db), quote_ident(t));
    let pairs: Vec<String> = out
        .iter()
        .map(|t| format!("{} TO {}", q(live, t), q(&n.hold, t)))
        .chain(
            into.iter()
                .map(|t| format!("{} TO {}", q(&n.stage, t), q(live, t))),
        )
        .collect();
    format!("RENAME TABLE {}", pairs.join(", "))
}

/// Live tables that move out.
pub fn moving_out(v: &Verified) -> Vec<String> {
    let mut t = v.replaced.clone();
    t.extend(v.moved_out.iter().cloned());
    t
}

/// Swap the staged tables in (see the module header). Nothing is changed when it fails.
pub async fn swap(db: &mut Db, live: &str, n: &Names, v: &Verified) -> Result<()> {
    db.execute(&format!("SET SESSION lock_wait_timeout = {LOCK_WAIT}"))
        .await?;
    let (out, into) = (moving_out(v), v.going_live());
    if out.is_empty() && into.is_empty() {
        return Ok(());
    }
    super::triggers::take_off(db, live, &n.stage, &n.hold, &out, &into).await?;
    let sql = rename_sql(live, n, &out, &into);
    let renamed = db.execute(&sql).await;
    if renamed.is_err() {
        super::triggers::put_back(db, live, &n.hold, super::triggers::Side::Live).await?;
    }
    renamed.map_err(|e| {
        if e.is(ServerError::LockWaitTimeout) {
            Error::refused(crate::error::RefusalKind::RestoreFailed, format!(
                "the swap waited {LOCK_WAIT} s for a table in use (a long transaction?): nothing was changed; rerun when the site is quieter"
            ))
        } else {
            Error::refused(crate::error::RefusalKind::RestoreFailed, format!(
                "the swap failed, nothing was changed (one RENAME TABLE: all or nothing): {}",
                one_line(&e.to_string())
            ))
        }
    })?;
    Ok(())
}

/// Undo a swap whose result did not verify: the staged tables go back, the kept ones return.
pub async fn swap_back(db: &mut Db, live: &str, n: &Names, v: &Verified) -> Result<()> {
    let back = Names {
        run: n.run.clone(),
        stage: n.hold.clone(),
        hold: n.stage.clone(),
    };
    let sql = rename_sql(live, &back, &v.going_live(), &moving_out(v));
    db.execute(&sql).await?;
    Ok(())
}

/// One foreign key, all its columns.
#[derive(Debug, Clone, Default, PartialEq)]
struct Fk {
    table: String,
    name: String,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_update: String,
    on_delete: String,
}

/// Make again, pointing at `live`, every foreign key of `live` that references one of `away`.
/// Returns how many.
pub async fn repoint(db: &mut Db, live: &str, away: &[&str]) -> Result<usize> {
    let list: Vec<String> = away.iter().map(|d| quote_string(d)).collect();
    let rows = db
        .rows(
            "reading foreign keys",
            &format!(
                "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), CAST(k.COLUMN_NAME AS CHAR), \
                 CAST(k.REFERENCED_TABLE_NAME AS CHAR), CAST(k.REFERENCED_COLUMN_NAME AS CHAR), \
                 CAST(r.UPDATE_RULE AS CHAR), CAST(r.DELETE_RULE AS CHAR) \
                 FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
                 ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
                 WHERE k.TABLE_SCHEMA = {} AND k.REFERENCED_TABLE_SCHEMA IN ({}) \
                 ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                quote_string(live),
                list.join(", ")
            ),
            &[],
        )
        .await?;
    let mut fks: Vec<Fk> = Vec::new();
    for r in rows {
        let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
        match fks.last_mut() {
            Some(f) if f.table == s(0) && f.name == s(1) => {
                f.columns.push(s(2));
                f.ref_columns.push(s(4));
            }
            _ => fks.push(Fk {
                table: s(0),
                name: s(1),
                columns: vec![s(2)],
                ref_table: s(3),
                ref_columns: vec![s(4)],
                on_update: s(5),
                on_delete: s(6),
            }),
        }
    }
    db.execute("SET SESSION FOREIGN_KEY_CHECKS = 0").await?;
    for f in &fks {
        let t = format!("{}.{}", quote_ident(live), quote_ident(&f.table));
        db.execute(&format!(
            "ALTER TABLE {t} DROP FOREIGN KEY {}",
            quote_ident(&f.name)
        ))
        .await?;
        let cols = |c: &[String]| {
            c.iter()
                .map(|x| quote_ident(x))
                .collect::<Vec<_>>()
                .join(", ")
        };
        db.execute(&format!(
            "ALTER TABLE {t} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{} ({}){}{}",
            quote_ident(&f.name),
            cols(&f.columns),
            quote_ident(live),
            quote_ident(&f.ref_table),
            cols(&f.ref_columns),
            rule("DELETE", &f.on_delete),
            rule("UPDATE", &f.on_update)
        ))
        .await?;
    }
    db.execute("SET SESSION FOREIGN_KEY_CHECKS = 1").await?;
    Ok(fks.len())
}

/// The `ON DELETE`/`ON UPDATE` clause for a referential action as the catalog spells it;
/// none for RESTRICT, the default (written out, the server would show `NO ACTION` instead and
/// the table's definition would no longer be the one it had).
fn rule(on: &str, r: &str) -> String {
    let action = match r {
        "CASCADE" => "CASCADE",
        "SET NULL" => "SET NULL",
        "NO ACTION" => "NO ACTION",
        "SET DEFAULT" => "SET DEFAULT",
        _ => return String::new(),
    };
    format!(" ON {on} {action}")
}

/// Drop one of the run's databases (foreign keys between its tables and the live ones are
/// not checked: the live side was re-pointed first).
pub async fn drop_database(db: &mut Db, name: &str) -> Result<()> {
    db.execute("SET SESSION FOREIGN_KEY_CHECKS = 0").await?;
    db.execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
        .await?;
    db.execute("SET SESSION FOREIGN_KEY_CHECKS = 1").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_statement_moves_out_then_in() {
        let n = super::Names {
            run: "r".into(),
            stage: "_ms_s".into(),
            hold: "_ms_h".into(),
        };
        let sql = super::rename_sql("live`db", &n, &["a".into(), "new".into()], &["a".into()]);
        assert_eq!(
            sql,
            "RENAME TABLE `live``db`.`a` TO `_ms_h`.`a`, `live``db`.`new` TO `_ms_h`.`new`, `_ms_s`.`a` TO `live``db`.`a`"
        );
    }
}
