//! From changes to an ordered list of statements.
//!
//! Order, so that every statement leaves a valid schema and each table is rebuilt at most once:
//! 1. foreign keys that go away or must be re-made are dropped (metadata-only, no rebuild);
//! 2. missing tables are created, referenced tables first;
//! 3. one ALTER TABLE per existing table with all its clauses, referenced tables first so a new
//!    foreign key finds its parent column already fixed;
//! 4. foreign keys that could not go in earlier (reference cycles);
//! 5. tables to drop, when destructive changes are allowed.

pub mod algorithm;
mod clauses;
mod phases;
pub mod preconditions;
pub mod split;
mod step;

use std::collections::{BTreeMap, BTreeSet};

use crate::dialect::ServerInfo;
use crate::diff::{Change, Op};
use crate::schema::Schema;

pub use clauses::alter_clauses;
pub use step::{Clause, ClauseOp, Position, Statement, Step, alter_sql};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    DropForeignKeys,
    CreateTables,
    AlterTables,
    AddForeignKeys,
    DropTables,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Destructive changes held back (indexes into the change list).
    pub skipped: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub allow_destructive: bool,
    pub server: ServerInfo,
}

pub fn plan(changes: &[Change], live: &Schema, target: &Schema, opts: &PlanOptions) -> Plan {
    phases::Planner::new(changes, live, target, opts).run()
}

/// A NOT NULL JSON column without a default, added to an existing table on MariaDB: there
/// JSON is LONGTEXT with CHECK (json_valid(...)), and existing rows would get the empty
/// string, which the check refuses (the ALTER fails with "CONSTRAINT ... failed"). The column
/// is added with the empty JSON array as a default, which the next statement drops again
/// (metadata only). MySQL's JSON gives existing rows JSON null and needs none of this.
fn json_fill(op: &Op, table_exists: bool, server: &ServerInfo) -> Option<crate::schema::Column> {
    match op {
        Op::AddColumn(c)
            if table_exists
                && server.flavor == crate::dialect::Flavor::MariaDb
                && c.ty.name == "json"
                && !c.nullable
                && c.default.is_none()
                && c.generated.is_none() =>
        {
            let mut c = c.clone();
            c.default = Some(crate::schema::DefaultValue::Literal("[]".into()));
            Some(c)
        }
        _ => None,
    }
}

/// Order of clauses inside one ALTER: drops before modifications before additions.
fn clause_rank(op: &Op) -> u8 {
    match op {
        Op::DropIndex(_)
        | Op::ReplaceIndex { .. }
        | Op::RenameIndex { .. }
        | Op::DropCheck(_)
        | Op::ReplaceCheck { .. } => 1,
        Op::DropColumn(_) => 2,
        Op::ModifyColumn { .. } => 3,
        Op::AddColumn(_) => 4,
        // After the additions (a column may move after one added now), in the change order.
        Op::MoveColumn { .. } => 4,
        Op::AddIndex(_) => 5,
        Op::SetTableOptions { .. } => 6,
        Op::AddCheck(_) => 7,
        Op::AddForeignKey(_) | Op::ReplaceForeignKey { .. } => 9,
        _ => 8,
    }
}

/// Depth-first topological order of `nodes` so that each node comes after the nodes it
/// depends on (restricted to `nodes`); cycles are broken at the first back edge.
fn topo_order(nodes: &[String], deps: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let set: BTreeSet<&String> = nodes.iter().collect();
    let mut sorted: Vec<String> = nodes.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut state: BTreeMap<String, u8> = BTreeMap::new();
    fn visit(
        n: &str,
        set: &BTreeSet<&String>,
        deps: &dyn Fn(&str) -> Vec<String>,
        state: &mut BTreeMap<String, u8>,
        out: &mut Vec<String>,
    ) {
        if state.get(n).is_some() {
            return;
        }
        state.insert(n.to_string(), 1);
        let mut ds = deps(n);
        ds.sort();
        for d in ds {
            if d != n && set.contains(&d) {
                visit(&d, set, deps, state, out);
            }
        }
        state.insert(n.to_string(), 2);
        out.push(n.to_string());
    }
    for n in &sorted {
        visit(n, &set, &deps, &mut state, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topo_puts_parents_first_and_survives_cycles() {
        let nodes: Vec<String> = ["child", "parent", "a", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let order = topo_order(&nodes, |n| match n {
            "child" => vec!["parent".into()],
            "a" => vec!["b".into()],
            "b" => vec!["a".into()],
            _ => vec![],
        });
        let pos = |n: &str| order.iter().position(|x| x == n).unwrap();
        assert!(pos("parent") < pos("child"));
        assert_eq!(order.len(), 4);
    }

    fn table(cols: &[(&str, &str)]) -> Schema {
        let mut t = crate::schema::Table {
            name: "t".into(),
            ..Default::default()
        };
        for (name, ty) in cols {
            let ty = crate::schema::ColumnType::named(ty);
            t.columns.push(crate::schema::Column::new(*name, ty));
        }
        let mut s = Schema::default();
        s.insert(t);
        s
    }

    /// MariaDB refuses two MODIFYs of one column in a statement: a column both changed and
    /// moved gets one, with its new definition and its place.
    #[test]
    fn a_changed_and_moved_column_is_modified_once() {
        let live = table(&[("id", "int"), ("name", "int"), ("nick", "int")]);
        let target = table(&[("id", "int"), ("nick", "int"), ("name", "bigint")]);
        let mut changes = crate::diff::diff_schemas(&live, &target);
        changes.extend(crate::diff::column_moves(
            &live.tables["t"],
            &target.tables["t"],
        ));
        let opts = PlanOptions {
            allow_destructive: false,
            server: ServerInfo::parse("10.11.19-MariaDB"),
        };
        let p = plan(&changes, &live, &target, &opts);
        let sql: Vec<String> = p.steps.iter().map(|s| s.sql()).collect();
        assert_eq!(
            sql,
            ["ALTER TABLE `t`\n  MODIFY COLUMN `name` bigint NULL DEFAULT NULL AFTER `nick`"],
            "{changes:?}"
        );
    }
}
