//! What pt-osc would refuse, found before the backup and before the first statement: a
//! refusal found when pt-osc runs comes after the backup and after the statements before it
//! ran, and leaves the run half done. Every table that may go online is checked, and all that
//! fail are named in one refusal. (`--online auto` refuses too rather than let the server block
//! writes on a big table: the DBA chose online; `--online never` is the way to accept it.)
//!
//! The checks, from pt-osc 3's source (`check_orig_table`, `check_alter`, `create_triggers`,
//! `find_child_tables`) and its documentation:
//! - a trigger on the table: pt-osc needs its own AFTER triggers and refuses any other (before
//!   MySQL 5.7 / MariaDB 10.1 always, after that unless --preserve-triggers, which cannot go
//!   with the --no-drop-triggers our swap needs);
//! - no primary or unique key: its DELETE trigger and its chunks need one;
//! - a unique key added (its INSERT IGNORE copy would drop duplicate rows silently, and the
//!   REPLACE of its triggers would delete rows), a primary key dropped (its triggers key on it):
//!   `check_alter` refuses both;
//! - a NOT NULL column the server cannot give a temporary default (see `fill`);
//! - everything else it checks before creating anything (the credentials, the server version,
//!   names it cannot address — a quote, a backslash, a non-ASCII letter —, a table it cannot
//!   chunk, foreign keys): pt-osc itself is run in its checking mode (see `ptosc::Mode::Check`).

use super::names::is_our_trigger;
use super::record::Entry;
use super::{Online, TOOL, catalog, ptosc, swap};
use crate::db::{Db, DbError};
use crate::plan::Step;
use crate::plan::{Clause, ClauseOp};
use crate::schema::{Index, IndexKind};

impl Online<'_> {
    /// Why `step` cannot go through pt-osc, if it cannot. `interrupted`: online changes an
    /// interrupted run left (in a dry run they are still there: their triggers do not count).
    pub(super) async fn refusal(
        &self,
        db: &mut Db,
        tool: &std::path::Path,
        step: &Step,
        interrupted: &[Entry],
    ) -> Result<Option<String>, DbError> {
        let table = &step.table;
        let mut why = Vec::new();
        let (theirs, leftover) = triggers(db, table, interrupted).await?;
        if !theirs.is_empty() {
            why.push(format!(
                "it has triggers ({}): {TOOL} adds its own and refuses a table that has any",
                theirs.join(", ")
            ));
        }
        if !swap::has_unique_key(db, table).await? {
            why.push(format!(
                "it has no primary or unique key, which {TOOL}'s triggers and chunked copy need"
            ));
        }
        why.extend(key_changes(step.clauses().unwrap_or_default()));
        match self.prepare(db, step).await? {
            Err(e) => why.push(e),
            Ok(p) if why.is_empty() && !leftover => {
                let ended = self
                    .run_tool(tool, &p.record, &p.alter, ptosc::Mode::Check)
                    .await
                    .map_err(|reason| DbError::Query {
                        doing: format!("checking `{table}` with {TOOL}"),
                        reason,
                        code: None,
                    })?;
                if !ended.ok {
                    why.push(format!("{TOOL} refuses it: {}", ended.why));
                }
            }
            Ok(_) => {}
        }
        Ok((!why.is_empty()).then(|| why.join("; ")))
    }
}

/// The names of the table's triggers that are not an interrupted run's pt-osc triggers, and
/// whether there are such leftovers.
async fn triggers(
    db: &mut Db,
    table: &str,
    interrupted: &[Entry],
) -> Result<(Vec<String>, bool), DbError> {
    let database = db.database.clone();
    let mut theirs = Vec::new();
    let mut leftover = false;
    for (name, event, timing, body) in catalog::triggers_on(db, table).await? {
        let ours = interrupted.iter().any(|e| {
            let n = &e.record.names;
            n.table == table
                && is_our_trigger(&database, table, &n.copy, (&name, &event, &timing, &body))
        });
        if ours {
            leftover = true;
        } else {
            theirs.push(name);
        }
    }
    Ok((theirs, leftover))
}

/// What `check_alter` refuses among the step's operations: a unique or primary key added, the
/// primary key dropped.
pub fn key_changes(clauses: &[Clause]) -> Vec<String> {
    let unique = |i: &Index| matches!(i.kind, IndexKind::Unique | IndexKind::Primary);
    let mut out = Vec::new();
    for c in clauses {
        let (dropped, added) = match &c.op {
            ClauseOp::AddIndex(i) => (None, Some(i)),
            ClauseOp::DropIndex(i) => (Some(i), None),
            _ => (None, None),
        };
        if let Some(i) = added.filter(|i| unique(i)) {
            out.push(format!(
                "it adds the unique key `{}`: {TOOL}'s copy would drop rows that duplicate it, \
                 and it refuses to",
                i.name
            ));
        }
        if dropped.is_some_and(|i| i.kind == IndexKind::Primary) {
            out.push(format!(
                "it drops the primary key, which {TOOL}'s triggers rely on, and it refuses to"
            ));
        }
    }
    out
}
