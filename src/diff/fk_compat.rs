//! InnoDB creates a foreign key only when the child column has exactly the parent column's
//! integer type and signedness, or the same character set (errno 150, FACTS §6 cases 1 and 2).
//! Databases born on older releases have signed INT parents where the reference says
//! UNSIGNED, so a foreign key copied from the reference would fail. This pass makes the child
//! column follow the parent column as it will be once the plan has run.

use super::{Change, ChangeKind, Op, Severity};
use crate::schema::{Column, ForeignKey, Schema};

fn planned(c: &Change) -> bool {
    c.severity == Severity::Drift && c.has_fix()
}

/// The column as it will be after the planned changes.
fn final_column<'a>(
    changes: &'a [Change],
    live: &'a Schema,
    target: &'a Schema,
    table: &str,
    column: &str,
) -> Option<&'a Column> {
    for c in changes.iter().filter(|c| planned(c) && c.table == table) {
        match &c.op {
            Op::ModifyColumn { to, .. } | Op::AddColumn(to)
                if to.name.eq_ignore_ascii_case(column) =>
            {
                return Some(to);
            }
            Op::CreateTable(t) => return t.column(column),
            _ => {}
        }
    }
    live.table(table)
        .and_then(|t| t.column(column))
        .or_else(|| target.table(table).and_then(|t| t.column(column)))
}

pub(crate) fn compatible(child: &Column, parent: &Column) -> bool {
    if child.ty.is_integer() || parent.ty.is_integer() {
        return child.ty.name == parent.ty.name && child.ty.unsigned == parent.ty.unsigned;
    }
    child.ty.name == parent.ty.name && child.collation == parent.collation
}

/// Whether following the parent loses values: a narrower type (BIGINT → INT UNSIGNED) is
/// destructive whatever made us choose it. A sign-only change of the same integer type (the
/// signed ids of databases born on 2.x) is not counted: ids are never negative, and the
/// truncation pre-check refuses the run if one is.
fn narrowing(from: &Column, to: &Column) -> bool {
    let sign_only = from.ty.is_integer() && from.ty.name == to.ty.name;
    !sign_only && super::columns::is_lossy(from, to)
}

pub fn align_foreign_key_columns(changes: &mut Vec<Change>, live: &Schema, target: &Schema) {
    let mut adds: Vec<(String, ForeignKey)> = Vec::new();
    for c in changes.iter().filter(|c| planned(c)) {
        match &c.op {
            Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
                adds.push((c.table.clone(), fk.clone()))
            }
            Op::CreateTable(t) => {
                adds.extend(t.foreign_keys.iter().map(|fk| (t.name.clone(), fk.clone())))
            }
            _ => {}
        }
    }
    // Foreign keys that stay but whose parent column changes type are re-made by the planner;
    // their children must follow too.
    for (tname, t) in &live.tables {
        for fk in &t.foreign_keys {
            if target
                .table(tname)
                .and_then(|tt| tt.foreign_key(&fk.name))
                .is_some()
            {
                adds.push((tname.clone(), fk.clone()));
            }
        }
    }
    for (table, fk) in adds {
        for (col, ref_col) in fk.columns.iter().zip(&fk.ref_columns) {
            let (Some(child), Some(parent)) = (
                final_column(changes, live, target, &table, col).cloned(),
                final_column(changes, live, target, &fk.ref_table, ref_col).cloned(),
            ) else {
                continue;
            };
            if compatible(&child, &parent) {
                continue;
            }
            let why = format!(
                "must match {}.{} ({}) for foreign key {} (InnoDB errno 150 otherwise)",
                fk.ref_table, ref_col, parent.ty, fk.name
            );
            let mut fixed = child.clone();
            fixed.ty = parent.ty.clone();
            if parent.ty.is_textual() {
                fixed.collation = parent.collation.clone();
            }
            // Amend a planned change of the column, or of the table being created...
            let mut amended = false;
            for c in changes.iter_mut().filter(|c| c.table == table) {
                // A new column loses nothing; a changed one may (BIGINT → INT is a narrowing,
                // whatever made us choose it): destructive stays destructive.
                let (hit, lossy) = match &mut c.op {
                    Op::ModifyColumn { from, to }
                        if to.name.eq_ignore_ascii_case(col) && c.severity == Severity::Drift =>
                    {
                        *to = fixed.clone();
                        (true, narrowing(from, to))
                    }
                    Op::AddColumn(to)
                        if to.name.eq_ignore_ascii_case(col) && c.severity == Severity::Drift =>
                    {
                        *to = fixed.clone();
                        (true, false)
                    }
                    Op::CreateTable(t) => match t.column_mut(col) {
                        Some(tc) => {
                            *tc = fixed.clone();
                            (true, false)
                        }
                        None => (false, false),
                    },
                    _ => (false, false),
                };
                if hit {
                    c.detail = format!("{}; {why}", c.detail);
                    c.destructive = lossy;
                    amended = true;
                    break;
                }
            }
            // ...or change the live column, whatever the reference says about it.
            if !amended && let Some(live_col) = live.table(&table).and_then(|t| t.column(col)) {
                changes.retain(|c| {
                    !(c.table == table
                        && c.kind == ChangeKind::ColumnDiffers
                        && c.object.eq_ignore_ascii_case(col))
                });
                let lossy = narrowing(live_col, &fixed);
                let c = Change::new(
                    &table,
                    ChangeKind::ColumnDiffers,
                    &live_col.name,
                    format!("type {} → {}: {why}", live_col.ty, fixed.ty),
                    Op::ModifyColumn {
                        from: live_col.clone(),
                        to: fixed,
                    },
                );
                changes.push(if lossy { c.destructive() } else { c });
            }
        }
    }
}
