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
pub mod split;

use std::collections::{BTreeMap, BTreeSet};

use crate::dialect::ServerInfo;
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{ForeignKey, Schema, Table, canonical::create_table_sql_with, quote_ident};

pub use clauses::alter_clauses;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    DropForeignKeys,
    CreateTables,
    AlterTables,
    AddForeignKeys,
    DropTables,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub phase: Phase,
    pub table: String,
    /// One statement, without the trailing delimiter.
    pub sql: String,
    /// Why: one line per change the statement carries out.
    pub reasons: Vec<String>,
    /// Indexes into the change list this step (partly) carries out.
    pub changes: Vec<usize>,
    /// Whether the statement rebuilds the table (copy or in-place rebuild) rather than only
    /// touching metadata.
    pub rebuilds: bool,
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

fn reason(c: &Change) -> String {
    format!("{} {}: {}", c.kind.as_str(), c.object, c.detail)
}

/// Whether a change is carried out by the plan at all (drift with a fix).
fn actionable(c: &Change) -> bool {
    c.severity == Severity::Drift && c.has_fix()
}

pub fn plan(changes: &[Change], live: &Schema, target: &Schema, opts: &PlanOptions) -> Plan {
    let mut plan = Plan::default();
    let mut chosen: Vec<usize> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if !actionable(c) {
            continue;
        }
        if c.destructive && !opts.allow_destructive {
            plan.skipped.push(i);
        } else {
            chosen.push(i);
        }
    }

    // Columns whose type or collation changes: foreign keys through them must be dropped
    // first and re-made afterwards (errors 1832/1833 otherwise).
    let mut touched_cols: BTreeSet<(String, String)> = BTreeSet::new();
    for &i in &chosen {
        if let Op::ModifyColumn { from, to } = &changes[i].op
            && (from.ty != to.ty || from.collation != to.collation)
        {
            touched_cols.insert((changes[i].table.clone(), to.name.to_ascii_lowercase()));
        }
    }
    let uses_touched = |table: &str, fk: &ForeignKey| {
        fk.columns
            .iter()
            .any(|c| touched_cols.contains(&(table.to_string(), c.to_ascii_lowercase())))
            || fk
                .ref_columns
                .iter()
                .any(|c| touched_cols.contains(&(fk.ref_table.clone(), c.to_ascii_lowercase())))
    };

    // Phase 1: foreign-key drops, and the re-adds they imply, per table.
    let mut fk_drops: BTreeMap<String, Vec<(String, Option<usize>)>> = BTreeMap::new();
    let mut fk_readds: BTreeMap<String, Vec<(ForeignKey, Option<usize>)>> = BTreeMap::new();
    let mut dropped_fk: BTreeSet<(String, String)> = BTreeSet::new();
    for &i in &chosen {
        let c = &changes[i];
        match &c.op {
            Op::DropForeignKey(fk) | Op::ReplaceForeignKey { from: fk, .. } => {
                fk_drops
                    .entry(c.table.clone())
                    .or_default()
                    .push((fk.name.clone(), Some(i)));
                dropped_fk.insert((c.table.clone(), fk.name.to_ascii_lowercase()));
            }
            _ => {}
        }
    }
    for (tname, t) in &live.tables {
        if !target.tables.contains_key(tname) {
            continue;
        }
        for fk in &t.foreign_keys {
            let key = (tname.clone(), fk.name.to_ascii_lowercase());
            if dropped_fk.contains(&key) || !uses_touched(tname, fk) {
                continue;
            }
            // Kept in the target: drop now, re-make in the table's ALTER.
            if let Some(want) = target.tables[tname].foreign_key(&fk.name) {
                fk_drops
                    .entry(tname.clone())
                    .or_default()
                    .push((fk.name.clone(), None));
                fk_readds
                    .entry(tname.clone())
                    .or_default()
                    .push((want.clone(), None));
                dropped_fk.insert(key);
            }
        }
    }
    for (table, drops) in &fk_drops {
        let clauses: Vec<String> = drops
            .iter()
            .map(|(n, _)| clauses::drop_foreign_key(n))
            .collect();
        let mut reasons = Vec::new();
        let mut ids = Vec::new();
        for (n, ci) in drops {
            match ci {
                Some(ci) => {
                    reasons.push(reason(&changes[*ci]));
                    ids.push(*ci);
                }
                None => reasons.push(format!(
                    "{n}: dropped while the columns it links change type, re-added after"
                )),
            }
        }
        plan.steps.push(Step {
            phase: Phase::DropForeignKeys,
            table: table.clone(),
            sql: alter_sql(table, &clauses),
            reasons,
            changes: ids,
            rebuilds: false,
        });
    }

    // Tables with an ALTER in phase 3, and which columns change there.
    let mut alters: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut creates: Vec<usize> = Vec::new();
    let mut drops: Vec<usize> = Vec::new();
    for &i in &chosen {
        let c = &changes[i];
        match &c.op {
            Op::CreateTable(_) => creates.push(i),
            Op::DropTable => drops.push(i),
            Op::DropForeignKey(_) => {}
            Op::None => {}
            _ => alters.entry(c.table.clone()).or_default().push(i),
        }
    }
    for t in fk_readds.keys() {
        alters.entry(t.clone()).or_default();
    }

    // Phase 2: creates in dependency order.
    let mut exists: BTreeSet<String> = live.tables.keys().cloned().collect();
    let create_order = topo_order(
        &creates
            .iter()
            .map(|&i| changes[i].table.clone())
            .collect::<Vec<_>>(),
        |t| {
            target
                .tables
                .get(t)
                .map(|x| x.foreign_keys.iter().map(|f| f.ref_table.clone()).collect())
                .unwrap_or_default()
        },
    );
    let mut deferred: BTreeMap<String, Vec<ForeignKey>> = BTreeMap::new();
    for tname in &create_order {
        let i = *creates
            .iter()
            .find(|&&i| &changes[i].table == tname)
            .unwrap();
        let Op::CreateTable(t) = &changes[i].op else {
            unreachable!()
        };
        let mut t: Table = (**t).clone();
        let (now, later): (Vec<ForeignKey>, Vec<ForeignKey>) =
            t.foreign_keys.drain(..).partition(|fk| {
                (exists.contains(&fk.ref_table) || fk.ref_table == t.name)
                    && !alters.contains_key(&fk.ref_table)
            });
        t.foreign_keys = now;
        if !later.is_empty() {
            deferred.insert(t.name.clone(), later);
        }
        plan.steps.push(Step {
            phase: Phase::CreateTables,
            table: t.name.clone(),
            sql: create_table_sql_with(&t, true),
            reasons: vec![reason(&changes[i])],
            changes: vec![i],
            rebuilds: false,
        });
        exists.insert(t.name.clone());
    }

    // Phase 3: one ALTER per table, parents first.
    let alter_tables: Vec<String> = alters.keys().cloned().collect();
    let fk_targets = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = alters
            .get(t)
            .into_iter()
            .flatten()
            .filter_map(|&i| match &changes[i].op {
                Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
                    Some(fk.ref_table.clone())
                }
                _ => None,
            })
            .collect();
        v.extend(
            fk_readds
                .get(t)
                .into_iter()
                .flatten()
                .map(|(fk, _)| fk.ref_table.clone()),
        );
        v
    };
    let order = topo_order(&alter_tables, fk_targets);
    let mut done: BTreeSet<String> = BTreeSet::new();
    // A foreign key waits for phase 4 when its parent is altered later (a reference cycle),
    // or when its parent is this very table and the statement changes a referenced column:
    // MariaDB checks a key against the columns as they were (errno 150).
    let must_wait = |fk: &ForeignKey, table: &str, done: &BTreeSet<String>| {
        if fk.ref_table == table {
            fk.ref_columns
                .iter()
                .any(|c| touched_cols.contains(&(fk.ref_table.clone(), c.to_ascii_lowercase())))
        } else {
            alters.contains_key(&fk.ref_table) && !done.contains(&fk.ref_table)
        }
    };
    for tname in &order {
        let ids = &alters[tname];
        let mut clauses: Vec<(u8, String)> = Vec::new();
        let mut reasons = Vec::new();
        let mut rebuilds = false;
        let mut drop_defaults: Vec<String> = Vec::new();
        for &i in ids {
            let c = &changes[i];
            reasons.push(reason(c));
            let rank = clause_rank(&c.op);
            let fk_target = match &c.op {
                Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => Some(fk),
                _ => None,
            };
            if let Some(fk) = fk_target
                && must_wait(fk, tname, &done)
            {
                deferred.entry(tname.clone()).or_default().push(fk.clone());
                continue;
            }
            rebuilds |= op_rebuilds(&c.op);
            let filled = json_fill(&c.op, live.tables.contains_key(tname), &opts.server);
            if let Some(col) = &filled {
                drop_defaults.push(col.name.clone());
            }
            let op = filled.map(Op::AddColumn);
            for cl in alter_clauses(op.as_ref().unwrap_or(&c.op), &opts.server) {
                clauses.push((rank, cl));
            }
        }
        for (fk, _) in fk_readds.get(tname).into_iter().flatten() {
            if must_wait(fk, tname, &done) {
                deferred.entry(tname.clone()).or_default().push(fk.clone());
                continue;
            }
            reasons.push(format!("{}: re-added after its columns changed", fk.name));
            clauses.push((9, clauses::add_foreign_key(fk)));
            rebuilds = true;
        }
        done.insert(tname.clone());
        if clauses.is_empty() {
            continue;
        }
        clauses.sort_by_key(|(r, _)| *r);
        let clauses: Vec<String> = clauses.into_iter().map(|(_, c)| c).collect();
        plan.steps.push(Step {
            phase: Phase::AlterTables,
            table: tname.clone(),
            sql: alter_sql(tname, &clauses),
            reasons,
            changes: ids.clone(),
            rebuilds,
        });
        if !drop_defaults.is_empty() {
            let clauses: Vec<String> = drop_defaults
                .iter()
                .map(|c| format!("ALTER COLUMN {} DROP DEFAULT", quote_ident(c)))
                .collect();
            plan.steps.push(Step {
                phase: Phase::AlterTables,
                table: tname.clone(),
                sql: alter_sql(tname, &clauses),
                reasons: drop_defaults
                    .iter()
                    .map(|c| format!("{c}: its temporary default '[]' filled the existing rows; the release declares none"))
                    .collect(),
                changes: ids.clone(),
                rebuilds: false,
            });
        }
    }

    // Phase 4: what had to wait.
    for (table, fks) in &deferred {
        let clauses: Vec<String> = fks.iter().map(clauses::add_foreign_key).collect();
        let ids: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&i| {
                changes[i].table == *table
                    && matches!(
                        changes[i].kind,
                        ChangeKind::MissingTable
                            | ChangeKind::MissingForeignKey
                            | ChangeKind::ForeignKeyDiffers
                            | ChangeKind::ForeignKeyRenamed
                    )
            })
            .collect();
        plan.steps.push(Step {
            phase: Phase::AddForeignKeys,
            table: table.clone(),
            sql: alter_sql(table, &clauses),
            reasons: fks
                .iter()
                .map(|f| format!("{}: added once the tables it links are ready", f.name))
                .collect(),
            changes: ids,
            rebuilds: true,
        });
    }

    // Phase 5: drops, children (tables whose foreign keys point at other dropped tables) first.
    let drop_names: Vec<String> = drops.iter().map(|&i| changes[i].table.clone()).collect();
    let mut drop_order = topo_order(&drop_names, |t| {
        live.tables
            .get(t)
            .map(|x| x.foreign_keys.iter().map(|f| f.ref_table.clone()).collect())
            .unwrap_or_default()
    });
    drop_order.reverse();
    for tname in drop_order {
        let i = *drops.iter().find(|&&i| changes[i].table == tname).unwrap();
        plan.steps.push(Step {
            phase: Phase::DropTables,
            table: tname.clone(),
            sql: format!("DROP TABLE {}", quote_ident(&tname)),
            reasons: vec![reason(&changes[i])],
            changes: vec![i],
            rebuilds: false,
        });
    }
    plan
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

fn alter_sql(table: &str, clauses: &[String]) -> String {
    format!(
        "ALTER TABLE {}\n  {}",
        quote_ident(table),
        clauses.join(",\n  ")
    )
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
        Op::AddIndex(_) => 5,
        Op::SetTableOptions { .. } => 6,
        Op::AddCheck(_) => 7,
        Op::AddForeignKey(_) | Op::ReplaceForeignKey { .. } => 9,
        _ => 8,
    }
}

/// Adding a column can be instant, and index work is in place; column type changes, table
/// options and (with foreign_key_checks on) new foreign keys copy the table.
fn op_rebuilds(op: &Op) -> bool {
    matches!(
        op,
        Op::ModifyColumn { .. }
            | Op::DropColumn(_)
            | Op::SetTableOptions { .. }
            | Op::AddCheck(_)
            | Op::ReplaceCheck { .. }
            | Op::AddForeignKey(_)
            | Op::ReplaceForeignKey { .. }
    )
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
}
