//! What an interrupted online change left, put right before the next run plans: the journal's
//! online rows say which objects are ours (names and marker) and how far each change got; the
//! catalog says where exactly. A change still copying is given up (our triggers, then our
//! copy: the original was never touched); one whose copy was complete is finished from it
//! (see `swap::complete`). Nothing else is touched: not a DBA's `_<table>_new` or `_old`, not
//! another pt-osc run's triggers, whatever their names.

use super::record::{self, Phase};
use super::{catalog, swap};
use crate::db::{Db, DbError};

#[derive(Debug, Default)]
pub struct Recovery {
    /// One line per repair, for the operator.
    pub done: Vec<String>,
}

/// Remove or finish what interrupted online changes left. Call with the advisory lock held,
/// before planning (the repairs change the schema the plan starts from).
pub async fn recover(db: &mut Db) -> Result<Recovery, DbError> {
    let mut rec = Recovery::default();
    for e in record::unfinished(db).await? {
        let table = e.record.names.table.clone();
        let mut lines = Vec::new();
        let phase = if e.phase == Phase::Copying {
            let seen = catalog::read(db, &e.record).await?;
            swap::discard(db, &e.record, &seen, false, &mut lines).await?;
            record::set_phase(db, e.run_id, e.step, Phase::Removed).await?;
            Phase::Removed
        } else {
            swap::complete(db, &e, &mut lines).await?
        };
        let outcome = match phase {
            Phase::Done => format!("`{table}`: its change is complete"),
            _ => format!("`{table}`: its leftovers are removed, the table is as it was"),
        };
        rec.done
            .extend(lines.into_iter().map(|l| format!("`{table}`: {l}")));
        rec.done.push(outcome);
    }
    Ok(rec)
}
