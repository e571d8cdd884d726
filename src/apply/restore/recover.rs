//! What an interrupted restore left, found by the markers inside its databases (see `stage`),
//! and finished. The `RENAME TABLE` of the swap is atomic and the holding database holds none
//! of the install's tables before it (only its marker and saved trigger definitions), so a
//! holding database with tables means the swap happened: the live database is
//! the backup's, and what remains is to re-point foreign keys and drop what the run kept.
//! Without them the swap never happened: the live tables were never touched, and the copies
//! are dropped. Databases whose marker names another database, or that have no marker, are
//! never touched.

use super::stage::{self, MARKER};
use super::{swap, triggers};
use crate::db::Db;
use crate::error::Result;
use crate::schema::{quote_ident, quote_string};
use crate::text::one_line;

#[derive(Debug, Clone, PartialEq)]
pub struct Leftover {
    pub database: String,
    pub prefix: String,
    pub run: String,
    pub role: String,
}

/// The restore databases of `database`'s runs still on the server.
pub async fn leftovers(db: &mut Db, database: &str) -> Result<Vec<Leftover>> {
    // The earlier crc32 names too: a restore interrupted before the upgrade is finished.
    let like = |f: String| quote_string(&format!("{}%", f.replace('_', "\\_")));
    let names = db
        .rows(
            "looking for interrupted restores",
            &format!(
                "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE {} OR SCHEMA_NAME LIKE {} ORDER BY 1",
                like(stage::family(database)),
                like(stage::legacy_family(database)),
            ),
            &[],
        )
        .await?;
    let mut out = Vec::new();
    for name in names.into_iter().filter_map(|r| r[0].clone()) {
        let Ok(rows) = db
            .rows(
                "reading a restore marker",
                &format!(
                    "SELECT CAST(origin AS CHAR), CAST(prefix AS CHAR), CAST(run AS CHAR), CAST(role AS CHAR) FROM {}.`{MARKER}`",
                    quote_ident(&name)
                ),
                &[],
            )
            .await
        else {
            continue;
        };
        let Some(r) = rows.first() else { continue };
        let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
        if s(0) == database {
            out.push(Leftover {
                database: name,
                prefix: s(1),
                run: s(2),
                role: s(3),
            });
        }
    }
    Ok(out)
}

/// Finish every interrupted restore of `database` (see the module header); returns what was
/// done, one line each.
pub async fn recover(db: &mut Db, database: &str) -> Result<Vec<String>> {
    let left = leftovers(db, database).await?;
    let mut runs: Vec<&str> = left.iter().map(|l| l.run.as_str()).collect();
    // Sorted first: a run's databases are not side by side when several runs left some.
    runs.sort_unstable();
    runs.dedup();
    let mut said = Vec::new();
    for run in runs {
        let of = |role: &str| {
            left.iter()
                .find(|l| l.run == run && l.role == role)
                .map(|l| l.database.clone())
        };
        let (stage_db, hold_db) = (of("stage"), of("hold"));
        let swapped = match &hold_db {
            Some(h) => super::tables_of(db, Some(h))
                .await?
                .iter()
                .any(|t| t != MARKER && t != triggers::SAVED),
            None => false,
        };
        if swapped {
            let away: Vec<&str> = [&stage_db, &hold_db]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            swap::repoint(db, database, &away).await?;
            if let Some(h) = &hold_db {
                triggers::put_back(db, database, h, triggers::Side::Backup).await?;
            }
            for d in [&stage_db, &hold_db].into_iter().flatten() {
                swap::drop_database(db, d).await?;
            }
            said.push(format!(
                "an interrupted restore (run {}) had swapped the backup's tables in: finished, the old tables it kept are dropped",
                one_line(run)
            ));
        } else {
            if let Some(h) = &hold_db {
                triggers::put_back(db, database, h, triggers::Side::Live).await?;
            }
            for d in [&hold_db, &stage_db].into_iter().flatten() {
                swap::drop_database(db, d).await?;
            }
            said.push(format!(
                "an interrupted restore (run {}) stopped before its swap: the live tables were never touched; its staging copy is dropped",
                one_line(run)
            ));
        }
    }
    Ok(said)
}

/// Drop what run `run` of a restore into `database` created, when it stops before its swap
/// (Ctrl-C): only the databases whose marker names this database and this run (a holding
/// database with tables would mean the swap happened: it is kept, for the rerun to finish).
/// Connections still using them (the client stopped half way through a statement) are killed
/// first, so the drop does not wait for them. Returns the run's databases still on the server.
pub async fn drop_run(db: &mut Db, database: &str, run: &str) -> Result<Vec<String>> {
    let mine = |l: &Vec<Leftover>| -> Vec<Leftover> {
        let mut v: Vec<Leftover> = l.iter().filter(|l| l.run == run).cloned().collect();
        // The holding database first, as `recover` does.
        v.sort_by_key(|l| l.role != "hold");
        v
    };
    for l in mine(&leftovers(db, database).await?) {
        if l.role == "hold" {
            let swapped = super::tables_of(db, Some(&l.database))
                .await?
                .iter()
                .any(|t| t != MARKER && t != triggers::SAVED);
            if swapped {
                continue;
            }
            triggers::put_back(db, database, &l.database, triggers::Side::Live).await?;
        }
        kill_users(db, &l.database).await;
        swap::drop_database(db, &l.database).await?;
    }
    Ok(mine(&leftovers(db, database).await?)
        .into_iter()
        .map(|l| l.database)
        .collect())
}

/// Kill the other connections whose default database is `name` (best effort).
async fn kill_users(db: &mut Db, name: &str) {
    let Ok(rows) = db
        .rows(
            "looking for connections to a staging database",
            "SELECT CAST(ID AS CHAR) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
            &[name],
        )
        .await
    else {
        return;
    };
    for id in rows.into_iter().filter_map(|r| r[0].clone()) {
        if id.chars().all(|c| c.is_ascii_digit()) {
            let _ = db.execute(&format!("KILL {id}")).await;
        }
    }
}
