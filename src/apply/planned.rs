//! The planned state: each table the plan touches as its statements leave it (created tables
//! as created), for the checks that must judge what will be, not what is.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::{Change, Op};
use crate::schema::Table;

/// A table as the plan leaves it, and the indexes whose definition or columns the plan changes
/// (only those are held to the key limits: the server accepted the others already).
pub struct Planned {
    pub table: Table,
    pub changed_indexes: BTreeSet<String>,
}

pub fn planned_tables(todo: &[&Change], live: &crate::schema::Schema) -> BTreeMap<String, Planned> {
    let mut out: BTreeMap<String, Planned> = BTreeMap::new();
    for c in todo {
        let entry = out.entry(c.table.clone());
        let p = match (entry, &c.op) {
            (std::collections::btree_map::Entry::Vacant(v), Op::CreateTable(t)) => {
                let all = t
                    .indexes
                    .iter()
                    .map(|i| i.name.to_ascii_lowercase())
                    .collect();
                v.insert(Planned {
                    table: (**t).clone(),
                    changed_indexes: all,
                });
                continue;
            }
            (std::collections::btree_map::Entry::Vacant(v), _) => {
                let Some(t) = live.table(&c.table) else {
                    continue;
                };
                v.insert(Planned {
                    table: t.clone(),
                    changed_indexes: BTreeSet::new(),
                })
            }
            (std::collections::btree_map::Entry::Occupied(o), _) => o.into_mut(),
        };
        apply_op(p, &c.op);
    }
    out
}

fn apply_op(p: &mut Planned, op: &Op) {
    let t = &mut p.table;
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    match op {
        Op::AddColumn(col) => t.columns.push(col.clone()),
        Op::DropColumn(col) => t.columns.retain(|x| !same(&x.name, &col.name)),
        Op::ModifyColumn { to, .. } => {
            if let Some(slot) = t.columns.iter_mut().find(|x| same(&x.name, &to.name)) {
                *slot = to.clone();
            }
            for i in &t.indexes {
                if i.parts.iter().any(|part| same(&part.column, &to.name)) {
                    p.changed_indexes.insert(i.name.to_ascii_lowercase());
                }
            }
        }
        Op::AddIndex(i) => {
            t.put_index(i.clone());
            p.changed_indexes.insert(i.name.to_ascii_lowercase());
        }
        Op::DropIndex(i) => t.indexes.retain(|x| !same(&x.name, &i.name)),
        Op::ReplaceIndex { from, to } | Op::RenameIndex { from, to } => {
            t.indexes.retain(|x| !same(&x.name, &from.name));
            t.put_index(to.clone());
            p.changed_indexes.insert(to.name.to_ascii_lowercase());
        }
        Op::SetTableOptions { to, .. } => t.options = to.clone(),
        _ => {}
    }
}
