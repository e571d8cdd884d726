//! The online change's own journal rows (kind `online` in `mautic_schema_journal`): one per
//! table sent through pt-osc, written before pt-osc starts, its phase moved forward after each
//! step of the copy and the swap. A rerun after a kill reads them to know which objects are
//! ours (names and marker) and how far the change got; the catalog then says where exactly
//! (a DDL statement and its journal row cannot commit together, so the phase may lag by one).

use super::names::Names;
use crate::apply::journal::TABLE;
use crate::db::{Db, DbError};
use crate::schema::quote_string;

/// How far an online change got. The swap starts only once `Copied` is recorded, so a change
/// recorded as `Copying` never touched the original table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// pt-osc was started (or about to be): copy and triggers may exist, the original is intact.
    Copying,
    /// pt-osc finished: the copy is complete and kept in sync by its triggers.
    Copied,
    /// Swap under way (the original renamed away or dropped, the copy renamed in).
    Swapping,
    /// Swapped; the copy's foreign-key names, defaults and comment are being put right.
    Finishing,
    /// Complete.
    Done,
    /// Given up before the swap: the copy and triggers were removed, the table is as it was.
    Removed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Copying => "copying",
            Phase::Copied => "copied",
            Phase::Swapping => "swapping",
            Phase::Finishing => "finishing",
            Phase::Done => "done",
            Phase::Removed => "removed",
        }
    }

    fn parse(s: &str) -> Option<Phase> {
        [
            Phase::Copying,
            Phase::Copied,
            Phase::Swapping,
            Phase::Finishing,
            Phase::Done,
            Phase::Removed,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    pub fn finished(self) -> bool {
        matches!(self, Phase::Done | Phase::Removed)
    }
}

/// What the journal keeps of one online change.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub names: Names,
    /// Other tables (or the table itself) reference it: the swap drops the original and renames
    /// the copy in, instead of one RENAME of both.
    pub parent: bool,
    /// The table's comment once the change is complete (the copy carries the marker meanwhile).
    pub final_comment: String,
    /// NOT NULL columns the copy got with a temporary default (pt-osc's INSERT ... SELECT leaves
    /// them out); the final ALTER drops those defaults.
    pub fills: Vec<String>,
    /// The table's foreign-key names before (pt-osc renames them on its copy).
    pub fks_before: Vec<String>,
}

/// An online change found in the journal.
#[derive(Debug, Clone)]
pub struct Entry {
    pub run_id: u64,
    pub step: usize,
    pub phase: Phase,
    pub record: Record,
}

fn key(run_id: u64, step: usize) -> String {
    format!("run_id = {run_id} AND step = {step} AND kind = 'online'")
}

/// Record an online change before pt-osc starts.
pub async fn create(
    db: &mut Db,
    run_id: u64,
    step: usize,
    alter: &str,
    record: &Record,
) -> Result<(), DbError> {
    let detail = serde_json::to_string(record).unwrap_or_default();
    db.execute(&format!(
        "INSERT INTO `{TABLE}` (run_id, step, kind, table_name, statement, status, detail, started_at) \
         VALUES ({run_id}, {step}, 'online', {}, {}, {}, {}, NOW())",
        quote_string(&record.names.table),
        quote_string(alter),
        quote_string(Phase::Copying.as_str()),
        quote_string(&detail)
    ))
    .await
    .map(|_| ())
}

pub async fn set_phase(db: &mut Db, run_id: u64, step: usize, phase: Phase) -> Result<(), DbError> {
    let finished = if phase.finished() {
        ", finished_at = NOW()"
    } else {
        ""
    };
    db.execute(&format!(
        "UPDATE `{TABLE}` SET status = {}{finished} WHERE {}",
        quote_string(phase.as_str()),
        key(run_id, step)
    ))
    .await
    .map(|_| ())
}

/// Every online change the journal holds that is neither done nor removed, oldest first.
pub async fn unfinished(db: &mut Db) -> Result<Vec<Entry>, DbError> {
    if !crate::apply::journal::exists(db).await? {
        return Ok(Vec::new());
    }
    let rows = db
        .rows(
            "reading the journal's online changes",
            &format!(
                "SELECT CAST(run_id AS CHAR), CAST(step AS CHAR), CAST(status AS CHAR), CAST(detail AS CHAR) \
                 FROM `{TABLE}` WHERE kind = 'online' AND status NOT IN ('done', 'removed') ORDER BY id"
            ),
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Entry {
                run_id: r[0].as_deref()?.parse().ok()?,
                step: r[1].as_deref()?.parse().ok()?,
                phase: Phase::parse(r[2].as_deref()?)?,
                record: serde_json::from_str(r[3].as_deref()?).ok()?,
            })
        })
        .collect())
}
