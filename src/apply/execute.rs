//! Running the plan: an advisory lock so two runs cannot interleave, a short
//! `lock_wait_timeout` so an ALTER never queues behind a long transaction and blocks the site,
//! the cheapest algorithm the server accepts for each ALTER, and a journal row per statement.

use std::time::Instant;

use super::journal;
use crate::db::{Db, DbError};
use crate::error::{Error, Result};
use crate::plan::Step;

/// The advisory lock name for a database (GET_LOCK names are limited to 64 characters).
pub fn lock_name(database: &str) -> String {
    let name = format!("mautic-schema:{database}");
    if name.len() <= 64 {
        name
    } else {
        format!("mautic-schema:{:08x}", crc32fast::hash(database.as_bytes()))
    }
}

pub async fn take_lock(db: &mut Db) -> Result<()> {
    let name = lock_name(&db.database);
    let got = db
        .rows(
            "taking the advisory lock",
            // A few seconds' grace: a killed run's connection lets go once the server notices.
            "SELECT CAST(GET_LOCK(?, 10) AS CHAR), CAST(IS_USED_LOCK(?) AS CHAR)",
            &[&name, &name],
        )
        .await?;
    let ok = got.first().and_then(|r| r[0].as_deref()) == Some("1");
    if !ok {
        let holder = got
            .first()
            .and_then(|r| r[1].clone())
            .unwrap_or_else(|| "?".into());
        return Err(Error::Refused(format!(
            "another mautic-schema apply is running on `{}` (connection {holder} holds lock '{name}'); wait for it to finish \
             (if an earlier run was killed, the server may still be finishing its statement: see SHOW PROCESSLIST)",
            db.database
        )));
    }
    Ok(())
}

pub async fn release_lock(db: &mut Db) {
    let name = lock_name(&db.database);
    let _ = db
        .rows(
            "releasing the advisory lock",
            "SELECT CAST(RELEASE_LOCK(?) AS CHAR)",
            &[&name],
        )
        .await;
}

fn is_algorithm_refusal(e: &DbError) -> bool {
    let s = e.to_string();
    s.contains("ALGORITHM=") && (s.contains("not supported") || s.contains("Try ALGORITHM"))
}

fn is_lock_timeout(e: &DbError) -> bool {
    e.to_string().contains("Lock wait timeout")
}

/// Run one ALTER with ALGORITHM=INSTANT, then INPLACE, then the server's choice (copy).
pub(super) async fn execute_alter(
    db: &mut Db,
    sql: &str,
) -> std::result::Result<&'static str, DbError> {
    for algo in ["INSTANT", "INPLACE"] {
        match db.execute(&format!("{sql},\n  ALGORITHM={algo}")).await {
            Ok(_) => return Ok(algo),
            Err(e) if is_algorithm_refusal(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    db.execute(sql).await.map(|_| "COPY")
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StepResult {
    pub n: usize,
    pub table: String,
    pub algorithm: &'static str,
    pub seconds: f64,
}

pub async fn run_steps(
    db: &mut Db,
    run_id: u64,
    steps: &[Step],
    lock_wait_timeout: u32,
    quiet: bool,
    online: &super::online::Online<'_>,
) -> Result<Vec<StepResult>> {
    db.execute(&format!(
        "SET SESSION lock_wait_timeout = {lock_wait_timeout}"
    ))
    .await?;
    let total = steps.len();
    let started = Instant::now();
    let mut results = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        if !quiet {
            eprintln!(
                "[{n}/{total}] {} ({:.1}s elapsed)",
                crate::text::one_line(&step.table),
                started.elapsed().as_secs_f64()
            );
        }
        journal::step_started(db, run_id, n, &step.table, &step.sql).await?;
        let t = Instant::now();
        let outcome = if step.sql.starts_with("ALTER TABLE") {
            online.alter(db, run_id, n, step).await
        } else {
            db.execute(&step.sql).await.map(|_| "-")
        };
        match outcome {
            Ok(algo) => {
                journal::step_finished(db, run_id, n, "done", &format!("algorithm={algo}")).await?;
                results.push(StepResult {
                    n,
                    table: step.table.clone(),
                    algorithm: algo,
                    seconds: t.elapsed().as_secs_f64(),
                });
            }
            Err(e) => {
                let _ = journal::step_finished(db, run_id, n, "failed", &e.to_string()).await;
                let _ = journal::finish_run(db, run_id, "failed").await;
                return Err(if is_lock_timeout(&e) {
                    Error::Refused(format!(
                        "{}: another transaction holds a lock on it; gave up after lock_wait_timeout={lock_wait_timeout}s so the site was not blocked. \
                         Statements 1-{} are done; rerun when the table is idle and the run resumes",
                        step.table,
                        n - 1
                    ))
                } else {
                    Error::Refused(format!(
                        "statement {n} of {total} on {} failed: {e}. Statements 1-{} are done; fix the cause and rerun to resume",
                        step.table,
                        n - 1
                    ))
                });
            }
        }
    }
    Ok(results)
}

/// Data statements (migrations bookkeeping) in one transaction; CREATE TABLE runs first on its
/// own because DDL would commit the transaction anyway.
pub async fn run_bookkeeping(db: &mut Db, statements: &[(String, String)]) -> Result<()> {
    let (ddl, dml): (Vec<_>, Vec<_>) = statements
        .iter()
        .partition(|(_, s)| s.starts_with("CREATE TABLE"));
    for (_, s) in ddl {
        db.execute(s).await?;
    }
    if dml.is_empty() {
        return Ok(());
    }
    db.execute("START TRANSACTION").await?;
    for (_, s) in &dml {
        if let Err(e) = db.execute(s).await {
            let _ = db.execute("ROLLBACK").await;
            return Err(e.into());
        }
    }
    db.execute("COMMIT").await?;
    Ok(())
}

/// A short description of the run for the journal (never a password).
pub fn run_detail(backup: Option<&super::backup::Backup>, steps: usize) -> String {
    let mut s = format!("steps={steps}\n");
    if let Some(b) = backup {
        s.push_str(&format!(
            "backup={}\nsha256={}\n",
            b.path.display(),
            b.sha256
        ));
    }
    s
}
