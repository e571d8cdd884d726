//! The journal: a small table in the database itself, `mautic_schema_journal`.
//!
//! Why a table and not a file: a resumed run may start from another directory or machine, after
//! a server restart; the database is the one place every run shares, and an InnoDB row write is
//! durable. The name carries no Mautic prefix, so the tool itself treats it as a foreign table
//! and Mautic never sees it.
//!
//! DDL cannot be in a transaction with its journal row, so a crash can land between a
//! statement and its "done" mark. Resume therefore never trusts the journal alone: it
//! re-inspects and re-plans (a statement already applied drops out of the plan), and the
//! journal supplies the history (which run, which backup) and is corrected from the truth.

use crate::db::{Db, DbError};
use crate::schema::quote_string;

pub const TABLE: &str = crate::compare::JOURNAL_TABLE;

#[derive(Debug, Clone)]
pub struct Interrupted {
    pub run_id: u64,
    pub started_at: String,
    pub backup_path: Option<String>,
    pub backup_sha256: Option<String>,
    pub done_steps: u64,
}

pub async fn ensure_table(db: &mut Db) -> Result<(), DbError> {
    db.execute(&format!(
        "CREATE TABLE IF NOT EXISTS `{TABLE}` (\
           `id` BIGINT UNSIGNED AUTO_INCREMENT NOT NULL,\
           `run_id` BIGINT UNSIGNED NOT NULL,\
           `step` INT NOT NULL,\
           `kind` VARCHAR(16) NOT NULL,\
           `table_name` VARCHAR(191) DEFAULT NULL,\
           `statement` LONGTEXT DEFAULT NULL,\
           `status` VARCHAR(16) NOT NULL,\
           `detail` LONGTEXT DEFAULT NULL,\
           `started_at` DATETIME NOT NULL,\
           `finished_at` DATETIME DEFAULT NULL,\
           PRIMARY KEY (`id`), KEY `run_step` (`run_id`, `step`)\
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
    ))
    .await
    .map(|_| ())
}

pub async fn exists(db: &mut Db) -> Result<bool, DbError> {
    let value = db
        .value(
            "looking for the journal",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            &[TABLE],
        )
        .await?;
    Ok(value.as_deref() == Some("1"))
}

/// The `prefix=` line a run's detail carries: the install it belongs to. Runs written before
/// runs carried it belong to the unprefixed install.
pub fn prefix_line(prefix: &str) -> String {
    format!("prefix={}", crate::text::one_line(prefix))
}

/// The newest run of this install (`prefix`) that started and never finished, if any. Another
/// install's interrupted run in the same database is never taken over.
pub async fn interrupted_run(db: &mut Db, prefix: &str) -> Result<Option<Interrupted>, DbError> {
    let rows = db
        .rows(
            "reading the journal",
            &format!(
                "SELECT CAST(r.run_id AS CHAR), CAST(r.started_at AS CHAR), CAST(r.detail AS CHAR), \
                 CAST((SELECT COUNT(*) FROM `{TABLE}` d WHERE d.run_id = r.run_id AND d.kind = 'step' AND d.status = 'done') AS CHAR) \
                 FROM `{TABLE}` r WHERE r.kind = 'run' AND r.status = 'running' ORDER BY r.run_id DESC"
            ),
            &[],
        )
        .await?;
    let want = prefix_line(prefix);
    Ok(rows.into_iter().find_map(|r| {
        let detail = r[2].clone().unwrap_or_default();
        let field = |k: &str| {
            detail
                .lines()
                .find_map(|l| l.strip_prefix(k).map(str::to_string))
        };
        let theirs = field("prefix=").map_or_else(|| prefix_line(""), |p| format!("prefix={p}"));
        (theirs == want).then(|| Interrupted {
            run_id: r[0].as_deref().and_then(|v| v.parse().ok()).unwrap_or(0),
            started_at: r[1].clone().unwrap_or_default(),
            backup_path: field("backup="),
            backup_sha256: field("sha256="),
            done_steps: r[3].as_deref().and_then(|v| v.parse().ok()).unwrap_or(0),
        })
    }))
}

pub async fn start_run(db: &mut Db, run_id: u64, detail: &str) -> Result<(), DbError> {
    db.execute(&format!(
        "INSERT INTO `{TABLE}` (run_id, step, kind, status, detail, started_at) VALUES ({run_id}, 0, 'run', 'running', {}, NOW())",
        quote_string(detail)
    ))
    .await
    .map(|_| ())
}

pub async fn step_started(
    db: &mut Db,
    run_id: u64,
    step: usize,
    table: &str,
    sql: &str,
) -> Result<(), DbError> {
    db.execute(&format!(
        "INSERT INTO `{TABLE}` (run_id, step, kind, table_name, statement, status, started_at) VALUES ({run_id}, {step}, 'step', {}, {}, 'started', NOW())",
        quote_string(table),
        quote_string(sql)
    ))
    .await
    .map(|_| ())
}

pub async fn step_finished(
    db: &mut Db,
    run_id: u64,
    step: usize,
    status: &str,
    detail: &str,
) -> Result<(), DbError> {
    db.execute(&format!(
        "UPDATE `{TABLE}` SET status = {}, detail = {}, finished_at = NOW() WHERE run_id = {run_id} AND step = {step} AND kind = 'step'",
        quote_string(status),
        quote_string(detail)
    ))
    .await
    .map(|_| ())
}

/// A note on a step still running (how it is carried out), so a rerun after a kill knows.
pub async fn step_note(db: &mut Db, run_id: u64, step: usize, detail: &str) -> Result<(), DbError> {
    db.execute(&format!(
        "UPDATE `{TABLE}` SET detail = {} WHERE run_id = {run_id} AND step = {step} AND kind = 'step'",
        quote_string(detail)
    ))
    .await
    .map(|_| ())
}

/// Steps of an interrupted run left "started": they either ran (and re-planning found nothing
/// left for them) or did not (and are in the new plan). Mark them as reconciled.
pub async fn reconcile_interrupted(db: &mut Db, run_id: u64) -> Result<(), DbError> {
    db.execute(&format!(
        "UPDATE `{TABLE}` SET status = 'reconciled', detail = CONCAT_WS('; ', detail, 'interrupted; resumed by re-inspection'), finished_at = NOW() \
         WHERE run_id = {run_id} AND kind = 'step' AND status = 'started'"
    ))
    .await?;
    db.execute(&format!(
        "UPDATE `{TABLE}` SET status = 'resumed', finished_at = NOW() WHERE run_id = {run_id} AND kind = 'run'"
    ))
    .await
    .map(|_| ())
}

pub async fn finish_run(db: &mut Db, run_id: u64, status: &str) -> Result<(), DbError> {
    db.execute(&format!(
        "UPDATE `{TABLE}` SET status = {}, finished_at = NOW() WHERE run_id = {run_id} AND kind = 'run'",
        quote_string(status)
    ))
    .await
    .map(|_| ())
}

/// A new run id: one more than any recorded.
pub async fn next_run_id(db: &mut Db) -> Result<u64, DbError> {
    let next = db
        .value(
            "numbering the run",
            &format!("SELECT CAST(COALESCE(MAX(run_id), 0) + 1 AS CHAR) FROM `{TABLE}`"),
            &[],
        )
        .await?;
    Ok(next.and_then(|v| v.parse().ok()).unwrap_or(1))
}

/// Where a finished run's journal went.
#[derive(Debug)]
pub enum Retired {
    /// No journal table, or a run in it still needs it for a resume.
    Nothing,
    /// The rows were written to this file and the table dropped.
    KeptIn(std::path::PathBuf),
    /// No backup folder to keep the rows in: the table was dropped.
    Dropped,
    /// The file could not be written (a full disk, a link planted where it goes): the table
    /// stays, with the history in it.
    TableKept(crate::error::Error),
}

/// Once a run is complete and verified, nothing of ours stays in the user's schema (Doctrine's
/// `schema:update` and Skeema would propose dropping it): the journal's rows are kept as
/// `journal.json` in the backup's folder, when there is one, and the table is dropped unless a
/// run in it still needs it for a resume. The run is complete whatever happens to the file:
/// a file that cannot be written keeps the table instead (the caller warns).
pub async fn retire(
    db: &mut Db,
    keep_in: Option<&std::path::Path>,
) -> Result<Retired, crate::error::Error> {
    if !exists(db).await? {
        return Ok(Retired::Nothing);
    }
    let rows = db
        .rows(
            "reading the journal",
            &format!(
                "SELECT CAST(JSON_OBJECT('run_id', run_id, 'step', step, 'kind', kind, 'table_name', table_name, \
                 'statement', statement, 'status', status, 'detail', detail, 'started_at', CAST(started_at AS CHAR), \
                 'finished_at', CAST(finished_at AS CHAR)) AS CHAR) FROM `{TABLE}` ORDER BY id"
            ),
            &[],
        )
        .await?;
    let lines: Vec<String> = rows.into_iter().filter_map(|r| r[0].clone()).collect();
    let running = lines.iter().any(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
        v["kind"] == "run" && v["status"] == "running"
    });
    if running {
        return Ok(Retired::Nothing);
    }
    let retired = match keep_in {
        Some(dir) => match write_history(&dir.join("journal.json"), &lines) {
            Ok(path) => Retired::KeptIn(path),
            Err(e) => return Ok(Retired::TableKept(e)),
        },
        None => Retired::Dropped,
    };
    db.execute(&format!("DROP TABLE IF EXISTS `{TABLE}`"))
        .await?;
    Ok(retired)
}

/// The journal's rows, one JSON object a line, in a new private file (see `files::create_new`).
fn write_history(
    path: &std::path::Path,
    lines: &[String],
) -> Result<std::path::PathBuf, crate::error::Error> {
    use std::io::Write as _;
    let err = |e: std::io::Error| crate::error::Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut f = super::files::create_new(path)?;
    f.write_all(format!("{}\n", lines.join("\n")).as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(err)?;
    Ok(path.to_path_buf())
}
