//! Running the plan: an advisory lock so two runs cannot interleave, a short
//! `lock_wait_timeout` so an ALTER never queues behind a long transaction and blocks the site,
//! the cheapest algorithm the server accepts for each ALTER, and a journal row per statement.

use std::time::Instant;

use super::{interrupt, journal};
use crate::db::{Db, DbError};
use crate::error::{Error, Result};
use crate::plan::Step;
use crate::progress::Event;
use crate::progress::watch::Watcher;

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
        return Err(Error::refused(
            crate::error::RefusalKind::LockHeld,
            format!(
                "another mautic-schema apply is running on `{}` (connection {holder} holds lock '{name}'); wait for it to finish \
             (if an earlier run was killed, the server may still be finishing its statement: see SHOW PROCESSLIST)",
                db.database
            ),
        ));
    }
    Ok(())
}

/// The advisory lock if it is free now (no wait): `preflight` cleans up only while it holds it,
/// and otherwise goes on without cleaning.
pub async fn try_lock(db: &mut Db) -> std::result::Result<bool, DbError> {
    let name = lock_name(&db.database);
    let got = db
        .value(
            "taking the advisory lock",
            "SELECT CAST(GET_LOCK(?, 0) AS CHAR)",
            &[&name],
        )
        .await?;
    Ok(got.as_deref() == Some("1"))
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

/// Whether the server refused the ALGORITHM clause rather than the change itself, by the
/// numbers every server Mautic supports gives it: 1845 "ALGORITHM=X is not supported for this
/// operation", 1846 "... not supported. Reason: ...", 1800 "Unknown ALGORITHM 'INSTANT'" (MySQL
/// 5.7, MariaDB 10.2), and 1064 (a syntax error) at the word INSTANT from a parser that has no
/// such word (the number alone would also retry a real syntax error).
fn is_algorithm_refusal(e: &DbError) -> bool {
    use crate::dialect::ServerError;
    e.server_error()
        .is_some_and(ServerError::is_algorithm_refusal)
        || (e.is(ServerError::Syntax) && e.to_string().contains("near 'INSTANT"))
}

fn is_lock_timeout(e: &DbError) -> bool {
    e.is(crate::dialect::ServerError::LockWaitTimeout)
}

/// Run one ALTER with ALGORITHM=INSTANT, then INPLACE, then the server's choice (copy).
pub(super) async fn execute_alter(
    db: &mut Db,
    step: &Step,
) -> std::result::Result<&'static str, DbError> {
    // Older servers do not know INSTANT: do not even ask.
    let first = if db.server.supports_instant_algorithm() {
        0
    } else {
        1
    };
    for algo in ["INSTANT", "INPLACE"].into_iter().skip(first) {
        let Some(sql) = step.sql_with(&format!("ALGORITHM={algo}")) else {
            break;
        };
        match db.execute(&sql).await {
            Ok(_) => return Ok(algo),
            Err(e) if is_algorithm_refusal(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    db.execute(&step.sql()).await.map(|_| "COPY")
}

#[derive(Debug, Clone)]
pub struct StepResult {
    pub n: usize,
    pub table: String,
    pub algorithm: &'static str,
    pub seconds: f64,
}

/// Run the plan's statements in order, each journalled. Ctrl-C (see `interrupt`) stops the
/// run after the statement under way: a direct statement is killed on the server, pt-osc is
/// stopped and its leftovers removed, a swap is finished; the message says what happened.
pub async fn run_steps(
    db: &mut Db,
    run_id: u64,
    steps: &[Step],
    lock_wait_timeout: u32,
    quiet: bool,
    online: &super::online::Online<'_>,
) -> Result<Vec<StepResult>> {
    let progress = online.progress;
    db.execute(&format!(
        "SET SESSION lock_wait_timeout = {lock_wait_timeout}"
    ))
    .await?;
    let _ctrl_c = interrupt::Guard::install();
    let conn = interrupt::connection_id(db).await?;
    let mut watcher = Watcher::new(progress, &online.params, db).await;
    let total = steps.len();
    let started = Instant::now();
    let mut results = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        if interrupt::requested() {
            return Err(interrupted_between(n, total));
        }
        if !quiet {
            eprintln!(
                "[{n}/{total}] {} ({:.1}s elapsed)",
                crate::text::one_line(&step.table),
                started.elapsed().as_secs_f64()
            );
        }
        journal::step_started(db, run_id, n, &step.table, &step.sql()).await?;
        let t = Instant::now();
        progress.event(Event::StatementStarted {
            n,
            total,
            table: &step.table,
        });
        let work = async {
            if step.is_alter() {
                online.alter(db, run_id, n, step, conn).await
            } else {
                let sql = step.sql();
                let (out, _) = interrupt::killable(&online.params, conn, db.execute(&sql)).await;
                out.map(|_| "-")
            }
        };
        let outcome = match watcher.as_mut() {
            Some(w) => {
                w.during(progress, (n, total, &step.table), lock_wait_timeout, work)
                    .await
            }
            None => work.await,
        };
        progress.event(Event::StatementDone { n });
        if interrupt::requested() {
            let what = match &outcome {
                Ok(algo) => format!("it completed (algorithm={algo})"),
                Err(e) => e.to_string(),
            };
            let status = if outcome.is_ok() {
                "done"
            } else {
                "interrupted"
            };
            let _ = journal::step_finished(
                db,
                run_id,
                n,
                status,
                &format!("interrupted (Ctrl-C): {what}"),
            )
            .await;
            return Err(interrupted_during(
                n,
                total,
                &step.table,
                &what,
                outcome.is_ok(),
            ));
        }
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
                    Error::refused(
                        crate::error::RefusalKind::LockTimeout,
                        format!(
                            "{}: another transaction holds a lock on it; gave up after lock_wait_timeout={lock_wait_timeout}s so the site was not blocked. \
                         Statements 1-{} are done; rerun when the table is idle and the run resumes",
                            step.table,
                            n - 1
                        ),
                    )
                } else {
                    Error::refused(
                        crate::error::RefusalKind::StatementFailed,
                        format!(
                            "statement {n} of {total} on {} failed: {e}. Statements 1-{} are done; fix the cause and rerun to resume",
                            step.table,
                            n - 1
                        ),
                    )
                });
            }
        }
    }
    Ok(results)
}

/// What to do after Ctrl-C: the run stays open in the journal (as after a kill), so the same
/// `apply` resumes it; `check` shows what is left.
const RESUME: &str = "rerun the same `mautic-schema apply` to resume (it finishes or removes \
     what an online change left first; `mautic-schema check` shows it), or restore the backup to go back";

/// "Statements 1-3 are done", or that none is.
fn done_up_to(done: usize) -> String {
    match done {
        0 => "No statement is done".into(),
        d => format!("Statements 1-{d} are done"),
    }
}

fn interrupted_between(n: usize, total: usize) -> Error {
    Error::refused(
        crate::error::RefusalKind::Interrupted,
        format!(
            "interrupted (Ctrl-C) before statement {n} of {total}: {}, nothing else was started; {RESUME}",
            done_up_to(n - 1)
        ),
    )
}

fn interrupted_during(n: usize, total: usize, table: &str, what: &str, completed: bool) -> Error {
    let done = if completed { n } else { n - 1 };
    Error::refused(
        crate::error::RefusalKind::Interrupted,
        format!(
            "interrupted (Ctrl-C) during statement {n} of {total} on {}: {}. {}; {RESUME}",
            crate::text::one_line(table),
            crate::text::one_line(what),
            done_up_to(done)
        ),
    )
}

/// Data statements (migrations bookkeeping) in one transaction; the DDL (CREATE TABLE, the
/// ALTER to Mautic 5's layout) runs first on its own: inside, it would commit the transaction
/// there and then, and the rows after it would no longer be all-or-nothing.
pub async fn run_bookkeeping(
    db: &mut Db,
    statements: &[(String, crate::mautic::bookkeeping::Statement)],
) -> Result<()> {
    let (ddl, dml): (Vec<_>, Vec<_>) = statements.iter().partition(|(_, s)| s.is_ddl());
    for (_, s) in ddl {
        db.execute(&s.sql()).await?;
    }
    if dml.is_empty() {
        return Ok(());
    }
    db.execute("START TRANSACTION").await?;
    for (_, s) in &dml {
        if let Err(e) = db.execute(&s.sql()).await {
            let _ = db.execute("ROLLBACK").await;
            return Err(e.into());
        }
    }
    db.execute("COMMIT").await?;
    Ok(())
}

/// A short description of the run for the journal (never a password), one `key=value` per
/// line. Values are kept to one line: a backup path holding a line break (the folder is named
/// after a database, whose name may hold one) must not forge the `prefix=` line that decides
/// which install the run belongs to.
pub fn run_detail(backup: Option<&super::backup::Backup>, steps: usize) -> String {
    let mut s = format!("steps={steps}\n");
    if let Some(b) = backup {
        s.push_str(&format!(
            "backup={}\nsha256={}\n",
            crate::text::one_line(&b.path.display().to_string()),
            crate::text::one_line(&b.sha256)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_path_cannot_forge_a_line_of_the_run_detail() {
        let b = super::super::backup::Backup {
            path: "/backups/db\nprefix=other_\nsha256=0/x.sql".into(),
            bytes: 1,
            sha256: "ab".into(),
            tables: vec![],
        };
        let d = run_detail(Some(&b), 3);
        let keys: Vec<&str> = d.lines().map(|l| l.split('=').next().unwrap()).collect();
        assert_eq!(keys, ["steps", "backup", "sha256"], "{d}");
    }

    /// Answers recorded from the servers Mautic supports, and whether each means "try the next
    /// algorithm" (true) or a real failure (false).
    const ANSWERS: &[(u16, &str, bool)] = &[
        // MySQL 5.7.14 / MariaDB 10.2.7: INSTANT unknown (error 1800).
        (1800, "Unknown ALGORITHM 'INSTANT' (SQLSTATE HY000)", true),
        // MySQL 8.0 / MariaDB 10.3+ (error 1845).
        (
            1845,
            "ALGORITHM=INSTANT is not supported for this operation. Try ALGORITHM=COPY/INPLACE. (SQLSTATE 0A000)",
            true,
        ),
        (
            1845,
            "ALGORITHM=INSTANT is not supported for this operation. Try ALGORITHM=INPLACE (SQLSTATE 0A000)",
            true,
        ),
        // Error 1846, with a reason.
        (
            1846,
            "ALGORITHM=INPLACE is not supported. Reason: Cannot change column type INPLACE. Try ALGORITHM=COPY. (SQLSTATE 0A000)",
            true,
        ),
        (
            1846,
            "ALGORITHM=INSTANT is not supported. Reason: ADD COLUMN col...FIRST. Try ALGORITHM=INPLACE. (SQLSTATE 0A000)",
            true,
        ),
        // A parser without the word (error 1064).
        (
            1064,
            "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'INSTANT' at line 2 (SQLSTATE 42000)",
            true,
        ),
        // Real failures: never retried with another algorithm.
        (1060, "Duplicate column name 'x' (SQLSTATE 42S21)", false),
        (
            1205,
            "Lock wait timeout exceeded; try restarting transaction (SQLSTATE HY000)",
            false,
        ),
        (
            1265,
            "Data truncated for column 'a' at row 1 (SQLSTATE 01000)",
            false,
        ),
        (
            1064,
            "You have an error in your SQL syntax; check the manual near 'FOO' at line 1 (SQLSTATE 42000)",
            false,
        ),
    ];

    #[test]
    fn algorithm_refusals_of_every_supported_server() {
        for (code, reason, refusal) in ANSWERS {
            let e = DbError::Query {
                doing: "running ALTER TABLE".into(),
                reason: reason.to_string(),
                code: Some(*code),
            };
            assert_eq!(is_algorithm_refusal(&e), *refusal, "{reason}");
        }
    }

    #[test]
    fn instant_only_where_it_exists() {
        use crate::dialect::ServerInfo;
        for (v, instant) in [
            ("5.7.14-log", false),
            ("8.0.11", false),
            ("8.0.12", true),
            ("10.2.7-MariaDB", false),
            ("10.3.2-MariaDB", true),
            ("11.4.2-MariaDB", true),
        ] {
            assert_eq!(
                ServerInfo::parse(v).supports_instant_algorithm(),
                instant,
                "{v}"
            );
        }
    }
}
