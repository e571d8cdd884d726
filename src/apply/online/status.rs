//! What `check` says about an interrupted run: which run, how far it got, and for each online
//! change it (or an earlier run) left unfinished, what is still in the database and what the
//! rerun will do with it. Read-only.

use super::record::{self, Phase};
use super::swap::{self, Next};
use super::{TOOL, catalog};
use crate::apply::journal;
use crate::db::{Db, DbError};

/// An interrupted run, as `check` reports it.
#[derive(Debug, Clone)]
pub struct Interrupted {
    /// The run that stopped part way, when the journal has one still marked running.
    pub run_id: Option<u64>,
    pub started_at: Option<String>,
    pub statements_done: Option<u64>,
    /// Online changes left unfinished.
    pub online: Vec<OnlineLeft>,
}

/// One unfinished online change.
#[derive(Debug, Clone)]
pub struct OnlineLeft {
    pub table: String,
    pub run_id: u64,
    /// copying, copied, swapping or finishing.
    pub phase: &'static str,
    /// What of it is in the database now.
    pub left: Vec<String>,
    /// What the next `apply` does with it.
    pub rerun: String,
}

/// The interrupted run of this install (`prefix`) and the unfinished online changes, if any.
pub async fn interrupted(db: &mut Db, prefix: &str) -> Result<Option<Interrupted>, DbError> {
    if !journal::exists(db).await? {
        return Ok(None);
    }
    let run = journal::interrupted_run(db, prefix).await?;
    let mut online = Vec::new();
    for e in record::unfinished(db).await? {
        let seen = catalog::read(db, &e.record).await?;
        online.push(OnlineLeft {
            table: e.record.names.table.clone(),
            run_id: e.run_id,
            phase: e.phase.as_str(),
            left: left(&seen, &e.record),
            rerun: rerun(&seen, &e.record, e.phase),
        });
    }
    if run.is_none() && online.is_empty() {
        return Ok(None);
    }
    Ok(Some(Interrupted {
        run_id: run.as_ref().map(|r| r.run_id),
        started_at: run.as_ref().map(|r| r.started_at.clone()),
        statements_done: run.as_ref().map(|r| r.done_steps),
        online,
    }))
}

fn left(seen: &catalog::Seen, r: &record::Record) -> Vec<String> {
    let n = &r.names;
    let mut out = Vec::new();
    match (&seen.table, seen.table_is_copy(r)) {
        (None, _) => out.push(format!("`{}` is missing", n.table)),
        (Some(_), true) => out.push(format!(
            "`{}` is the swapped-in copy, not yet given back its names and comment",
            n.table
        )),
        _ => {}
    }
    if seen.copy.is_some() {
        out.push(match seen.copy_is_ours(r) {
            true => format!("its copy `{}`", n.copy),
            false => format!(
                "`{}`, named like its copy but without its mark (never touched)",
                n.copy
            ),
        });
    }
    if !seen.ours_on_table.is_empty() {
        out.push(format!(
            "{} {TOOL} trigger(s) on `{}` ({}), which write every change of the table into the copy",
            seen.ours_on_table.len(),
            n.table,
            seen.ours_on_table.join(", ")
        ));
    }
    if seen.old_is_ours() {
        out.push(format!("the original table, renamed `{}`", n.old));
    }
    out
}

fn rerun(seen: &catalog::Seen, r: &record::Record, phase: Phase) -> String {
    if phase == Phase::Copying {
        return "the copy was not complete: apply removes the triggers and the copy (the table is as it was), then runs the ALTER again".into();
    }
    match swap::next(seen, r, phase) {
        Next::Swap => "the copy is complete: apply finishes the swap from it".into(),
        Next::RenameCopy => format!(
            "apply renames the complete copy to `{}` and finishes the swap",
            r.names.table
        ),
        Next::DropOld => "apply drops the original and finishes the swap".into(),
        Next::Finish => "apply finishes the swap (foreign-key names, defaults, comment)".into(),
        Next::Discard => {
            "the copy is no longer kept in sync: apply removes it and runs the ALTER again".into()
        }
        Next::Lost(why) => format!("apply stops: {why}"),
    }
}
