//! One ALTER as the statement loop runs it: the server's own (killed on the server at Ctrl-C),
//! in place when `auto` finds the server can keep writes flowing, else pt-osc's copy and our
//! swap. The journal records the change (names, marker, phase) before pt-osc starts; a failed
//! or interrupted copy is removed at once (the table was never touched); once the copy is
//! complete the swap is finished, Ctrl-C or not (it takes a moment, and stopping half way
//! would leave the table swapped out).

use super::record::{self, Entry, Phase};
use super::{Online, OnlineMode, TOOL, catalog, in_place, ptosc, swap};
use crate::apply::execute::execute_alter;
use crate::apply::interrupt::{self, pause_point};
use crate::db::{Db, DbError};
use crate::plan::Step;

fn failure(table: &str, reason: String) -> DbError {
    DbError::Query {
        doing: format!("altering `{table}` online"),
        reason,
        code: None,
    }
}

impl Online<'_> {
    /// Run one ALTER step (`conn` is `db`'s connection id, for KILL QUERY); returns the
    /// algorithm used, as the journal records it.
    pub async fn alter(
        &self,
        db: &mut Db,
        run_id: u64,
        n: usize,
        step: &Step,
        conn: u64,
    ) -> Result<&'static str, DbError> {
        if self.eligible(db, step).await?.is_none() {
            return self.killable(conn, execute_alter(db, step)).await;
        }
        if self.opts.mode == OnlineMode::Auto
            && let Some(algo) = self.killable(conn, in_place(db, step)).await?
        {
            return Ok(algo);
        }
        let tool = ptosc::find_tool().ok_or_else(|| {
            failure(
                &step.table,
                format!("{TOOL} is not installed (apt-get install percona-toolkit)"),
            )
        })?;
        let p = self
            .prepare(db, step)
            .await?
            .map_err(|why| failure(&step.table, why))?;
        // The journal knows before the copy starts, so a rerun after a kill finds what is ours.
        crate::apply::journal::step_note(db, run_id, n, &format!("algorithm={TOOL} (running)"))
            .await?;
        record::create(db, run_id, n, &p.alter, &p.record).await?;
        let mut entry = Entry {
            run_id,
            step: n,
            phase: Phase::Copying,
            record: p.record,
        };
        let ended = self
            .run_tool(&tool, &entry.record, &p.alter, ptosc::Mode::Execute)
            .await
            .map_err(|why| failure(&step.table, why))?;
        if !ended.ok {
            return Err(self.give_up(db, &entry, &ended).await);
        }
        pause_point("after-copy").await;
        record::set_phase(db, run_id, n, Phase::Copied).await?;
        entry.phase = Phase::Copied;
        pause_point("copied").await;
        self.swap(db, &entry).await
    }

    /// A direct statement, killed on the server at Ctrl-C.
    async fn killable<T>(
        &self,
        conn: u64,
        work: impl std::future::Future<Output = Result<T, DbError>>,
    ) -> Result<T, DbError> {
        let (out, killed) = interrupt::killable(&self.params, conn, work).await;
        out.map_err(|e| match killed {
            true => DbError::Query {
                doing: "stopping the statement".into(),
                reason: format!(
                    "it was killed on the server (KILL QUERY), which rolls it back: the table is as it was ({e})"
                ),
                code: None,
            },
            false => e,
        })
    }

    /// pt-osc failed or was interrupted: the original was never touched; remove its triggers
    /// and our copy.
    async fn give_up(&self, db: &mut Db, e: &Entry, ended: &ptosc::Ended) -> DbError {
        let t = &e.record.names.table;
        let mut lines = Vec::new();
        let cleaned = async {
            let seen = catalog::read(db, &e.record).await?;
            swap::discard(db, &e.record, &seen, ended.created, &mut lines).await?;
            record::set_phase(db, e.run_id, e.step, Phase::Removed).await
        }
        .await;
        let what = match ended.interrupted {
            true => format!("{TOOL} was stopped while it copied `{t}`"),
            false => format!("{TOOL} failed on `{t}`: {}", ended.why),
        };
        let left = match cleaned {
            Ok(()) if lines.is_empty() => "it had left nothing; the table is as it was".to_string(),
            Ok(()) => format!("{}; the table is as it was", lines.join(", ")),
            Err(err) => format!(
                "removing its triggers and copy failed ({err}): the rerun removes them first; the table is as it was"
            ),
        };
        failure(t, format!("{what}; {left}"))
    }

    /// Finish the swap from the complete copy. A failure at its first statement (a lock wait)
    /// leaves the original in place: the copy is then removed. A later one leaves the journal
    /// to the rerun, which finishes the swap.
    async fn swap(&self, db: &mut Db, e: &Entry) -> Result<&'static str, DbError> {
        let t = &e.record.names.table;
        let mut lines = Vec::new();
        let done = swap::complete(db, e, &mut lines).await;
        if !self.quiet {
            for l in &lines {
                eprintln!("  [{TOOL} {}] {l}", crate::text::one_line(t));
            }
        }
        match done {
            Ok(Phase::Done) => Ok(TOOL),
            Ok(_) => Err(failure(
                t,
                format!(
                    "its copy was no longer kept in sync (its triggers were gone): {}; the table is as it was",
                    lines.join(", ")
                ),
            )),
            Err(err) => {
                let seen = catalog::read(db, &e.record).await?;
                if swap::next(&seen, &e.record, Phase::Copied) != swap::Next::Swap {
                    return Err(failure(
                        t,
                        format!("{err}; the rerun finishes the swap from the journal"),
                    ));
                }
                let mut removed = Vec::new();
                swap::discard(db, &e.record, &seen, true, &mut removed).await?;
                record::set_phase(db, e.run_id, e.step, Phase::Removed).await?;
                Err(failure(
                    t,
                    format!("{err}; {}; the table is as it was", removed.join(", ")),
                ))
            }
        }
    }
}
