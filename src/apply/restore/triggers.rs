//! Triggers and the swap. A table with a trigger cannot be renamed into another database
//! (MariaDB: error 1435, "Trigger in wrong schema"), so around the `RENAME TABLE` the triggers of
//! the tables that move are taken off and made again: before it, the definitions of the live
//! tables' triggers and of the staged tables' triggers are saved in the holding database
//! (`_ms_triggers`), then dropped; after it, the backup's triggers are created on the live
//! tables. A restore killed in between is finished from the saved definitions: before the swap
//! the live tables get their own triggers back, after it the backup's (see `recover`). For the
//! milliseconds between dropping and creating, the tables have no trigger.

use crate::db::Db;
use crate::error::Result;
use crate::schema::{quote_ident, quote_string};

pub const SAVED: &str = "_ms_triggers";

/// Whose triggers a saved definition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The live tables' before the swap.
    Live,
    /// The backup's (the staged tables').
    Backup,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Live => "live",
            Side::Backup => "backup",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Trigger {
    name: String,
    sql: String,
    sql_mode: String,
}

/// The triggers on `tables` of `database`, as statements creating them on the same table name
/// in whatever database is current, in their order.
async fn read(db: &mut Db, database: &str, tables: &[String]) -> Result<Vec<Trigger>> {
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = tables.iter().map(|t| quote_string(t)).collect();
    let rows = db
        .rows(
            "reading triggers",
            &format!(
                "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(ACTION_TIMING AS CHAR), CAST(EVENT_MANIPULATION AS CHAR), \
                 CAST(EVENT_OBJECT_TABLE AS CHAR), CAST(DEFINER AS CHAR), CAST(SQL_MODE AS CHAR), CAST(ACTION_STATEMENT AS CHAR) \
                 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {} AND EVENT_OBJECT_TABLE IN ({}) \
                 ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
                quote_string(database),
                list.join(", ")
            ),
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
            let definer = match s(4).rsplit_once('@') {
                Some((u, h)) => format!("{}@{}", quote_string(u), quote_string(h)),
                None => quote_string(&s(4)),
            };
            Trigger {
                name: s(0),
                sql: format!(
                    "CREATE DEFINER={definer} TRIGGER {} {} {} ON {} FOR EACH ROW {}",
                    quote_ident(&s(0)),
                    s(1),
                    s(2),
                    quote_ident(&s(3)),
                    s(6)
                ),
                sql_mode: s(5),
            }
        })
        .collect())
}

/// Save and drop the triggers of the tables that move (see the module header). Returns how
/// many were taken off.
pub async fn take_off(
    db: &mut Db,
    live: &str,
    stage: &str,
    hold: &str,
    out: &[String],
    into: &[String],
) -> Result<usize> {
    let mine = read(db, live, out).await?;
    let theirs = read(db, stage, into).await?;
    if mine.is_empty() && theirs.is_empty() {
        return Ok(0);
    }
    let h = quote_ident(hold);
    db.execute(&format!(
        "CREATE TABLE IF NOT EXISTS {h}.`{SAVED}` (ord INT NOT NULL, side VARCHAR(8) NOT NULL, name VARCHAR(64) NOT NULL, sql_mode TEXT NOT NULL, statement LONGTEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    ))
    .await?;
    for (side, list) in [(Side::Live, &mine), (Side::Backup, &theirs)] {
        for (i, t) in list.iter().enumerate() {
            db.execute(&format!(
                "INSERT INTO {h}.`{SAVED}` VALUES ({i}, {}, {}, {}, {})",
                quote_string(side.word()),
                quote_string(&t.name),
                quote_string(&t.sql_mode),
                quote_string(&t.sql)
            ))
            .await?;
        }
    }
    for (database, list) in [(stage, &theirs), (live, &mine)] {
        for t in list {
            db.execute(&format!(
                "DROP TRIGGER IF EXISTS {}.{}",
                quote_ident(database),
                quote_ident(&t.name)
            ))
            .await?;
        }
    }
    Ok(mine.len() + theirs.len())
}

/// Create on the live tables the saved triggers of `side` that are not there. Returns how many.
pub async fn put_back(db: &mut Db, live: &str, hold: &str, side: Side) -> Result<usize> {
    let has = super::tables_of(db, Some(hold)).await?;
    if !has.iter().any(|t| t == SAVED) {
        return Ok(0);
    }
    let rows = db
        .rows(
            "reading saved triggers",
            &format!(
                "SELECT CAST(name AS CHAR), CAST(sql_mode AS CHAR), CAST(statement AS CHAR) FROM {}.`{SAVED}` WHERE side = ? ORDER BY ord",
                quote_ident(hold)
            ),
            &[side.word()],
        )
        .await?;
    let present = db
        .rows(
            "reading triggers",
            "SELECT CAST(TRIGGER_NAME AS CHAR) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?",
            &[live],
        )
        .await?;
    let present: Vec<String> = present.into_iter().filter_map(|r| r[0].clone()).collect();
    let mut made = 0;
    db.execute(&format!("USE {}", quote_ident(live))).await?;
    db.execute("SET @ms_saved_mode = @@SESSION.sql_mode")
        .await?;
    for r in rows {
        let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
        if present.contains(&s(0)) {
            continue;
        }
        db.execute(&format!("SET SESSION sql_mode = {}", quote_string(&s(1))))
            .await?;
        db.execute(&s(2)).await?;
        made += 1;
    }
    db.execute("SET SESSION sql_mode = @ms_saved_mode").await?;
    Ok(made)
}
