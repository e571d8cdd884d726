//! Keeping online work out of a copy: when a big table's ALTER has to copy the table (a column
//! type change, a new foreign key), every other clause of that statement waits with it, and so
//! do the site's writes. Index additions can run in place without blocking writes, so on a
//! large table they are moved into a second ALTER that runs right after the copy.
//!
//! A post-processing of the plan: the planner's order stays as it is, each large table gets at
//! most one extra statement, and small tables keep their single ALTER (one rebuild per table
//! remains the rule: for them a short block is cheaper than a second pass over the table).
//! Pure: the sizes come in as data.

use std::collections::{BTreeMap, BTreeSet};

use super::algorithm::{Algorithm, statement_verdict};
use super::step::{Clause, ClauseOp, Statement};
use super::{Phase, Plan, Step};
use crate::dialect::ServerInfo;
use crate::diff::{Change, Op};
use crate::schema::{Index, IndexKind, Schema};

/// A table's size as the catalog estimates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Size {
    pub rows: u64,
    /// Data plus indexes.
    pub bytes: u64,
}

/// 64 MiB: at most a few seconds of ALGORITHM=COPY on a small server (measured here, under
/// load: a 2M-row, 410 MiB `lead_event_log` blocked writes for 35 s, ~12 MiB/s). Below it a
/// short block is cheaper than pt-osc's triggers, chunked copy and occasional deadlock.
pub const LARGE_TABLE_BYTES: u64 = 64 << 20;

/// From which size (data plus indexes) a table is large: its copy blocks writes long enough
/// to hurt. Bytes, not rows: a copy's time follows the bytes it moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Large {
    pub min_bytes: u64,
}

impl Default for Large {
    fn default() -> Self {
        Large {
            min_bytes: LARGE_TABLE_BYTES,
        }
    }
}

impl Large {
    pub fn is_large(&self, s: &Size) -> bool {
        s.bytes >= self.min_bytes
    }
}

/// The first reason of a statement split out of a copy (renderers recognise it).
pub const SPLIT_NOTE: &str = "large table: index changes moved out of the COPY above, built online";

fn reason(c: &Change) -> String {
    // As the planner words it.
    format!("{} {}: {}", c.kind.as_str(), c.object, c.detail)
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn index_columns(i: &Index) -> BTreeSet<String> {
    i.parts.iter().map(|p| lower(&p.column)).collect()
}

/// The index a change adds and, when it replaces one, the index it drops: only such changes
/// (a missing index, an index that differs, one renamed by drop and add) move.
fn index_work<'a>(op: &'a Op, server: &ServerInfo) -> Option<(&'a Index, Option<&'a Index>)> {
    let (to, from) = match op {
        Op::AddIndex(i) => (i, None),
        Op::ReplaceIndex { from, to } => (to, Some(from)),
        Op::RenameIndex { from, to } if !server.supports_rename_index() => (to, Some(from)),
        _ => return None,
    };
    let online = matches!(to.kind, IndexKind::Plain | IndexKind::Unique);
    let from_ok = from.is_none_or(|f| matches!(f.kind, IndexKind::Plain | IndexKind::Unique));
    (online && from_ok).then_some((to, from))
}

/// Split one step when it copies a large table and carries index additions that can wait.
fn split_step(
    step: &Step,
    changes: &[Change],
    live: &Schema,
    target: &Schema,
    server: &ServerInfo,
) -> Option<(Step, Step)> {
    if step.phase != Phase::AlterTables {
        return None;
    }
    let planned = step.clauses()?;
    let live_table = live.tables.get(&step.table);
    let verdict = statement_verdict(planned.iter().map(|c| &c.op), live_table, server)?;
    if verdict.algorithm != Algorithm::Copy {
        return None;
    }

    // What the copy does that an index may depend on.
    let mut dropped_or_modified: BTreeSet<String> = BTreeSet::new();
    let mut fk_added: BTreeSet<String> = BTreeSet::new();
    let mut dropped_index_cols: BTreeSet<String> = BTreeSet::new();
    for p in planned {
        match &p.op {
            ClauseOp::DropColumn(c) => {
                dropped_or_modified.insert(lower(&c.name));
            }
            // A move may carry the column's change (`fold_moves`).
            ClauseOp::ModifyColumn { to, .. } | ClauseOp::MoveColumn { column: to, .. } => {
                dropped_or_modified.insert(lower(&to.name));
            }
            ClauseOp::DropIndex(i) => dropped_index_cols.extend(index_columns(i)),
            ClauseOp::AddForeignKey(fk) => {
                fk_added.extend(fk.columns.iter().map(|c| lower(c)));
                if fk.ref_table == step.table {
                    fk_added.extend(fk.ref_columns.iter().map(|c| lower(c)));
                }
            }
            ClauseOp::RenameIndex { .. } => return None,
            _ => {}
        }
    }
    // Columns under a foreign key of the table, before or after.
    let fk_cols: BTreeSet<String> = live_table
        .into_iter()
        .chain(target.tables.get(&step.table))
        .flat_map(|t| t.foreign_keys.iter())
        .flat_map(|fk| fk.columns.iter().map(|c| lower(c)))
        .collect();

    let mut moved: BTreeSet<usize> = BTreeSet::new();
    for &i in &step.changes {
        let Some(c) = changes.get(i) else { continue };
        let Some((to, from)) = index_work(&c.op, server) else {
            continue;
        };
        if !planned.iter().any(|p| p.change == Some(i)) {
            continue;
        }
        let cols = index_columns(to);
        // A new foreign key in the copy needs an index on its columns, and InnoDB would make
        // one of its own if this one came later.
        if !cols.is_disjoint(&fk_added) {
            continue;
        }
        // An index on a column the copy drops or changes is dropped with the copy.
        if from.is_some_and(|f| !index_columns(f).is_disjoint(&dropped_or_modified)) {
            continue;
        }
        // An index dropped in the copy may be the one a foreign key relies on; its successor
        // must appear in the same statement.
        if cols
            .iter()
            .any(|c| fk_cols.contains(c) && dropped_index_cols.contains(c))
        {
            continue;
        }
        moved.insert(i);
    }
    if moved.is_empty() {
        return None;
    }
    let (later, now): (Vec<Clause>, Vec<Clause>) = planned
        .iter()
        .cloned()
        .partition(|p| p.change.is_some_and(|i| moved.contains(&i)));
    // A name the copy adds must not be one the later statement drops.
    let added_now: BTreeSet<String> = now
        .iter()
        .filter_map(|p| match &p.op {
            ClauseOp::AddIndex(i) => Some(lower(&i.name)),
            _ => None,
        })
        .collect();
    if later
        .iter()
        .any(|p| matches!(&p.op, ClauseOp::DropIndex(i) if added_now.contains(&lower(&i.name))))
        || now.is_empty()
    {
        return None;
    }

    let moved_reasons: Vec<String> = moved.iter().map(|&i| reason(&changes[i])).collect();
    let mut kept_reasons = step.reasons.clone();
    for r in &moved_reasons {
        if let Some(k) = kept_reasons.iter().position(|x| x == r) {
            kept_reasons.remove(k);
        }
    }
    let copy = Step {
        phase: step.phase,
        table: step.table.clone(),
        statement: Statement::Alter(now),
        reasons: kept_reasons,
        changes: step
            .changes
            .iter()
            .copied()
            .filter(|i| !moved.contains(i))
            .collect(),
    };
    let mut reasons = vec![SPLIT_NOTE.to_string()];
    reasons.extend(moved_reasons);
    let online = Step {
        phase: step.phase,
        table: step.table.clone(),
        statement: Statement::Alter(later),
        reasons,
        changes: moved.into_iter().collect(),
    };
    Some((copy, online))
}

/// The plan with each large table's copying ALTER split in two: the copy, then the index
/// additions it no longer carries. `sizes` holds what is known (a table missing from it is
/// treated as small: nothing is split on a guess).
pub fn split_copies(
    plan: &Plan,
    changes: &[Change],
    live: &Schema,
    target: &Schema,
    server: &ServerInfo,
    sizes: &BTreeMap<String, Size>,
    large: &Large,
) -> Plan {
    let mut out = Plan {
        steps: Vec::with_capacity(plan.steps.len()),
        skipped: plan.skipped.clone(),
    };
    for step in &plan.steps {
        let big = sizes.get(&step.table).is_some_and(|s| large.is_large(s));
        match big
            .then(|| split_step(step, changes, live, target, server))
            .flatten()
        {
            Some((copy, online)) => {
                out.steps.push(copy);
                out.steps.push(online);
            }
            None => out.steps.push(step.clone()),
        }
    }
    out
}
