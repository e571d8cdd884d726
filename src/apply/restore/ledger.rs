//! The backup ledger: `mautic_schema_backups`, a small table in the install's database where
//! `apply` records each backup it takes (when, for which run and prefix, where, its sha256 and
//! size, the install's tables it holds with their rows, the tables the run creates).
//!
//! Why a table in the database and not the manifest: whoever can write the backup folder can
//! edit a dump and its manifest together, so the manifest cannot vouch for the dump nor decide
//! what a restore replaces. The database is what the restore protects and what the tool's
//! account already writes; a record there is out of the folder's reach. Why not the journal:
//! the journal is dropped once a run is complete (see `journal::retire`), and a backup must stay
//! restorable after that. The ledger has no Mautic prefix, so no install counts it as its own,
//! and the dump leaves it out (a rollback never brings back an older ledger).

use crate::db::{Db, DbError};
use crate::schema::quote_string;

pub const TABLE: &str = crate::compare::BACKUP_LEDGER_TABLE;

/// One recorded backup.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: u64,
    pub taken_at: String,
    pub prefix: String,
    pub run_id: u64,
    /// The dump's path as it was written.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// The install's tables the dump holds, with their rows in the dump.
    pub tables: Vec<(String, u64)>,
    /// Tables the run creates: absent before it, moved out by a restore.
    pub creates: Vec<String>,
    /// `running` until the run that took it is done: a backup of a run that never finished is
    /// the state before a failed run.
    pub outcome: String,
}

pub async fn ensure_table(db: &mut Db) -> Result<(), DbError> {
    db.execute(&format!(
        "CREATE TABLE IF NOT EXISTS `{TABLE}` (\
           `id` BIGINT UNSIGNED AUTO_INCREMENT NOT NULL,\
           `taken_at` DATETIME NOT NULL,\
           `prefix` VARCHAR(191) NOT NULL,\
           `run_id` BIGINT UNSIGNED NOT NULL,\
           `path` TEXT NOT NULL,\
           `sha256` CHAR(64) NOT NULL,\
           `bytes` BIGINT UNSIGNED NOT NULL,\
           `tables` LONGTEXT NOT NULL,\
           `creates` LONGTEXT NOT NULL,\
           `outcome` VARCHAR(16) NOT NULL,\
           PRIMARY KEY (`id`), KEY `sha` (`sha256`)\
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    ))
    .await
    .map(|_| ())
}

/// `name<TAB>rows` lines; names are stored escaped so a tab or newline cannot forge a line.
fn table_lines(t: &[(String, u64)]) -> String {
    t.iter()
        .map(|(n, r)| format!("{}\t{r}", serde_json::to_string(n).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_table_lines(s: &str) -> Vec<(String, u64)> {
    s.lines()
        .filter_map(|l| {
            let (n, r) = l.rsplit_once('\t')?;
            Some((serde_json::from_str(n).ok()?, r.parse().ok()?))
        })
        .collect()
}

/// Record a backup just taken and verified, before the run's first statement.
pub async fn record(db: &mut Db, r: &Record) -> Result<(), DbError> {
    ensure_table(db).await?;
    let creates: Vec<(String, u64)> = r.creates.iter().map(|c| (c.clone(), 0)).collect();
    db.execute(&format!(
        "INSERT INTO `{TABLE}` (taken_at, prefix, run_id, path, sha256, bytes, tables, creates, outcome) \
         VALUES (NOW(), {}, {}, {}, {}, {}, {}, {}, 'running')",
        quote_string(&r.prefix),
        r.run_id,
        quote_string(&r.path),
        quote_string(&r.sha256),
        r.bytes,
        quote_string(&table_lines(&r.tables)),
        quote_string(&table_lines(&creates)),
    ))
    .await
    .map(|_| ())
}

/// The run that took a backup is done: its backup is no longer the state before a failure.
pub async fn run_done(db: &mut Db, run_id: u64) -> Result<(), DbError> {
    if !exists(db).await? {
        return Ok(());
    }
    db.execute(&format!(
        "UPDATE `{TABLE}` SET outcome = 'done' WHERE run_id = {run_id} AND outcome = 'running'"
    ))
    .await
    .map(|_| ())
}

pub async fn exists(db: &mut Db) -> Result<bool, DbError> {
    let value = db
        .value(
            "looking for the backup ledger",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            &[TABLE],
        )
        .await?;
    Ok(value.as_deref() == Some("1"))
}

/// Every recorded backup, newest first.
pub async fn list(db: &mut Db) -> Result<Vec<Record>, DbError> {
    if !exists(db).await? {
        return Ok(Vec::new());
    }
    let rows = db
        .rows(
            "reading the backup ledger",
            &format!(
                "SELECT CAST(id AS CHAR), CAST(taken_at AS CHAR), CAST(prefix AS CHAR), CAST(run_id AS CHAR), \
                 CAST(path AS CHAR), CAST(sha256 AS CHAR), CAST(bytes AS CHAR), CAST(tables AS CHAR), \
                 CAST(creates AS CHAR), CAST(outcome AS CHAR) FROM `{TABLE}` ORDER BY id DESC"
            ),
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
            let n = |i: usize| s(i).parse().unwrap_or(0);
            Record {
                id: n(0),
                taken_at: s(1),
                prefix: s(2),
                run_id: n(3),
                path: s(4),
                sha256: s(5),
                bytes: n(6),
                tables: parse_table_lines(&s(7)),
                creates: parse_table_lines(&s(8))
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect(),
                outcome: s(9),
            }
        })
        .collect())
}

/// The record of the dump at `path` (as written, or the same file under another name), if any.
pub async fn find(db: &mut Db, path: &std::path::Path) -> Result<Option<Record>, DbError> {
    let want = std::fs::canonicalize(path).ok();
    Ok(list(db).await?.into_iter().find(|r| {
        let theirs = std::path::Path::new(&r.path);
        theirs == path || (want.is_some() && std::fs::canonicalize(theirs).ok() == want)
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_lines_round_trip_any_name() {
        let t = vec![
            ("leads".to_string(), 3),
            ("a\tb\nc".to_string(), 0),
            ("\"q\"".to_string(), 7),
        ];
        assert_eq!(super::parse_table_lines(&super::table_lines(&t)), t);
    }
}
