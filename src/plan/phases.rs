//! The planner's phases (see the module comment of `plan` for the order and why), each a
//! method over the state they share: which changes are carried out, which columns change type,
//! which foreign keys are dropped and re-made, which wait for a later phase.

use std::collections::{BTreeMap, BTreeSet};

use super::step::{Clause, ClauseOp, Statement, Step};
use super::{Phase, Plan, PlanOptions, clause_rank, clauses, json_fill, topo_order};
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{ForeignKey, Schema, Table};

fn reason(c: &Change) -> String {
    // A table's own change names the table once (the comment starts with it).
    if c.object == c.table {
        return format!("{}: {}", c.kind.as_str(), c.detail);
    }
    format!("{} {}: {}", c.kind.as_str(), c.object, c.detail)
}

/// Whether a change is carried out by the plan at all (drift with a fix).
fn actionable(c: &Change) -> bool {
    c.severity == Severity::Drift && c.has_fix()
}

pub(super) struct Planner<'a> {
    changes: &'a [Change],
    live: &'a Schema,
    target: &'a Schema,
    opts: &'a PlanOptions,
    plan: Plan,
    /// Changes carried out (indexes into `changes`).
    chosen: Vec<usize>,
    /// (table, column) whose type or collation changes.
    touched_cols: BTreeSet<(String, String)>,
    /// Foreign keys kept in the target but dropped first because they link touched columns.
    fk_readds: BTreeMap<String, Vec<ForeignKey>>,
    /// Foreign keys that wait for phase 4, per table.
    deferred: BTreeMap<String, Vec<ForeignKey>>,
    /// Tables with an ALTER in phase 3 and the changes it carries out.
    alters: BTreeMap<String, Vec<usize>>,
    creates: Vec<usize>,
    drops: Vec<usize>,
}

impl<'a> Planner<'a> {
    pub(super) fn new(
        changes: &'a [Change],
        live: &'a Schema,
        target: &'a Schema,
        opts: &'a PlanOptions,
    ) -> Self {
        Planner {
            changes,
            live,
            target,
            opts,
            plan: Plan::default(),
            chosen: Vec::new(),
            touched_cols: BTreeSet::new(),
            fk_readds: BTreeMap::new(),
            deferred: BTreeMap::new(),
            alters: BTreeMap::new(),
            creates: Vec::new(),
            drops: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Plan {
        self.choose();
        self.drop_foreign_keys();
        self.group();
        self.create_tables();
        self.alter_tables();
        self.add_deferred_foreign_keys();
        self.drop_tables();
        self.plan
    }

    /// Drift with a fix is carried out, destructive changes only when allowed (the others are
    /// held back); columns whose type or collation changes are noted: foreign keys through
    /// them must be dropped first and re-made afterwards (errors 1832/1833 otherwise).
    fn choose(&mut self) {
        for (i, c) in self.changes.iter().enumerate() {
            if !actionable(c) {
                continue;
            }
            if c.destructive && !self.opts.allow_destructive {
                self.plan.skipped.push(i);
            } else {
                self.chosen.push(i);
            }
        }
        self.hold_back_keys_on_held_columns();
        for &i in &self.chosen {
            if let Op::ModifyColumn { from, to } = &self.changes[i].op
                && (from.ty != to.ty || from.collation != to.collation)
            {
                self.touched_cols
                    .insert((self.changes[i].table.clone(), to.name.to_ascii_lowercase()));
            }
        }
    }

    /// A foreign key added through a column whose change is held back would link columns that
    /// still differ (errno 150 "incorrectly formed"): it waits with them.
    fn hold_back_keys_on_held_columns(&mut self) {
        let held: BTreeSet<(String, String)> = self
            .plan
            .skipped
            .iter()
            .filter_map(|&i| match &self.changes[i].op {
                Op::ModifyColumn { to, .. } => {
                    Some((self.changes[i].table.clone(), to.name.to_ascii_lowercase()))
                }
                _ => None,
            })
            .collect();
        if held.is_empty() {
            return;
        }
        let through_held = |c: &Change| match &c.op {
            Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
                let on = |t: &str, col: &String| {
                    held.contains(&(t.to_string(), col.to_ascii_lowercase()))
                };
                fk.columns.iter().any(|col| on(&c.table, col))
                    || fk.ref_columns.iter().any(|col| on(&fk.ref_table, col))
            }
            _ => false,
        };
        let (wait, go): (Vec<usize>, Vec<usize>) = self
            .chosen
            .iter()
            .partition(|&&i| through_held(&self.changes[i]));
        self.chosen = go;
        self.plan.skipped.extend(wait);
        self.plan.skipped.sort_unstable();
    }

    fn uses_touched(&self, table: &str, fk: &ForeignKey) -> bool {
        let touched = |t: &str, c: &String| {
            self.touched_cols
                .contains(&(t.to_string(), c.to_ascii_lowercase()))
        };
        fk.columns.iter().any(|c| touched(table, c))
            || fk.ref_columns.iter().any(|c| touched(&fk.ref_table, c))
    }

    /// Phase 1: foreign keys that go away, and those through touched columns (re-made later in
    /// their table's ALTER), one metadata-only ALTER per table.
    fn drop_foreign_keys(&mut self) {
        let mut fk_drops: BTreeMap<String, Vec<(String, Option<usize>)>> = BTreeMap::new();
        let mut dropped: BTreeSet<(String, String)> = BTreeSet::new();
        for &i in &self.chosen {
            let c = &self.changes[i];
            if let Op::DropForeignKey(fk) | Op::ReplaceForeignKey { from: fk, .. } = &c.op {
                fk_drops
                    .entry(c.table.clone())
                    .or_default()
                    .push((fk.name.clone(), Some(i)));
                dropped.insert((c.table.clone(), fk.name.to_ascii_lowercase()));
            }
        }
        for (tname, t) in &self.live.tables {
            let Some(target_table) = self.target.tables.get(tname) else {
                continue;
            };
            for fk in &t.foreign_keys {
                let key = (tname.clone(), fk.name.to_ascii_lowercase());
                if dropped.contains(&key) || !self.uses_touched(tname, fk) {
                    continue;
                }
                if let Some(want) = target_table.foreign_key(&fk.name) {
                    fk_drops
                        .entry(tname.clone())
                        .or_default()
                        .push((fk.name.clone(), None));
                    self.fk_readds
                        .entry(tname.clone())
                        .or_default()
                        .push(want.clone());
                    dropped.insert(key);
                }
            }
        }
        for (table, drops) in &fk_drops {
            let clauses: Vec<Clause> = drops
                .iter()
                .map(|(n, ci)| Clause {
                    op: ClauseOp::DropForeignKey { name: n.clone() },
                    change: *ci,
                })
                .collect();
            let mut reasons = Vec::new();
            let mut ids = Vec::new();
            for (n, ci) in drops {
                match ci {
                    Some(ci) => {
                        reasons.push(reason(&self.changes[*ci]));
                        ids.push(*ci);
                    }
                    None => reasons.push(format!(
                        "{n}: dropped while the columns it links change type, re-added after"
                    )),
                }
            }
            self.push(
                Phase::DropForeignKeys,
                table,
                Statement::Alter(clauses),
                reasons,
                ids,
            );
        }
    }

    /// Which changes are created tables, dropped tables, or clauses of a table's ALTER.
    fn group(&mut self) {
        for &i in &self.chosen {
            let c = &self.changes[i];
            match &c.op {
                Op::CreateTable(_) => self.creates.push(i),
                Op::DropTable => self.drops.push(i),
                Op::DropForeignKey(_) | Op::None => {}
                _ => self.alters.entry(c.table.clone()).or_default().push(i),
            }
        }
        for t in self.fk_readds.keys() {
            self.alters.entry(t.clone()).or_default();
        }
    }

    /// Phase 2: creates in dependency order; a foreign key to a table that does not exist yet
    /// or is altered later waits for phase 4.
    fn create_tables(&mut self) {
        let mut exists: BTreeSet<String> = self.live.tables.keys().cloned().collect();
        let names: Vec<String> = self
            .creates
            .iter()
            .map(|&i| self.changes[i].table.clone())
            .collect();
        let target = self.target;
        let order = topo_order(&names, |t| {
            target
                .tables
                .get(t)
                .map(|x| x.foreign_keys.iter().map(|f| f.ref_table.clone()).collect())
                .unwrap_or_default()
        });
        for tname in &order {
            let Some(&i) = self
                .creates
                .iter()
                .find(|&&i| &self.changes[i].table == tname)
            else {
                continue;
            };
            let Op::CreateTable(t) = &self.changes[i].op else {
                continue;
            };
            let mut t: Table = (**t).clone();
            let (now, later): (Vec<ForeignKey>, Vec<ForeignKey>) =
                t.foreign_keys.drain(..).partition(|fk| {
                    (exists.contains(&fk.ref_table) || fk.ref_table == t.name)
                        && !self.alters.contains_key(&fk.ref_table)
                });
            t.foreign_keys = now;
            if !later.is_empty() {
                self.deferred.insert(t.name.clone(), later);
            }
            let why = vec![reason(&self.changes[i])];
            let name = t.name.clone();
            let create = Statement::CreateTable(Box::new(t));
            self.push(Phase::CreateTables, &name, create, why, vec![i]);
            exists.insert(name);
        }
    }

    /// The tables a table's ALTER makes foreign keys point at (it is altered after them).
    fn fk_parents(&self, t: &str) -> Vec<String> {
        let added =
            self.alters
                .get(t)
                .into_iter()
                .flatten()
                .filter_map(|&i| match &self.changes[i].op {
                    Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
                        Some(fk.ref_table.clone())
                    }
                    _ => None,
                });
        let readded = self.fk_readds.get(t).into_iter().flatten();
        added
            .chain(readded.map(|fk| fk.ref_table.clone()))
            .collect()
    }

    /// A foreign key waits for phase 4 when its parent is altered later (a reference cycle),
    /// or when its parent is this very table and the statement changes a referenced column:
    /// MariaDB checks a key against the columns as they were (errno 150).
    fn must_wait(&self, fk: &ForeignKey, table: &str, done: &BTreeSet<String>) -> bool {
        if fk.ref_table == table {
            fk.ref_columns.iter().any(|c| {
                self.touched_cols
                    .contains(&(fk.ref_table.clone(), c.to_ascii_lowercase()))
            })
        } else {
            self.alters.contains_key(&fk.ref_table) && !done.contains(&fk.ref_table)
        }
    }

    /// Phase 3: one ALTER per table, parents first.
    fn alter_tables(&mut self) {
        let names: Vec<String> = self.alters.keys().cloned().collect();
        let order = topo_order(&names, |t| self.fk_parents(t));
        let mut done: BTreeSet<String> = BTreeSet::new();
        for tname in &order {
            self.alter_table(tname, &done);
            done.insert(tname.clone());
        }
    }

    fn alter_table(&mut self, tname: &str, done: &BTreeSet<String>) {
        let ids = self.alters[tname].clone();
        let mut clauses: Vec<(u8, Clause)> = Vec::new();
        let mut reasons = Vec::new();
        let mut drop_defaults: Vec<String> = Vec::new();
        let mut waits: Vec<ForeignKey> = Vec::new();
        for &i in &ids {
            let c = &self.changes[i];
            reasons.push(reason(c));
            if let Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } = &c.op
                && self.must_wait(fk, tname, done)
            {
                waits.push(fk.clone());
                continue;
            }
            let exists = self.live.tables.contains_key(tname);
            let filled = json_fill(&c.op, exists, &self.opts.server);
            if let Some(col) = &filled {
                drop_defaults.push(col.name.clone());
            }
            let op = filled.map(Op::AddColumn);
            for cl in clauses::alter_clauses(op.as_ref().unwrap_or(&c.op), &self.opts.server) {
                let clause = Clause {
                    op: cl,
                    change: Some(i),
                };
                clauses.push((clause_rank(&c.op), clause));
            }
        }
        for fk in self.fk_readds.get(tname).into_iter().flatten() {
            if self.must_wait(fk, tname, done) {
                waits.push(fk.clone());
                continue;
            }
            reasons.push(format!("{}: re-added after its columns changed", fk.name));
            let op = ClauseOp::AddForeignKey(fk.clone());
            clauses.push((9, Clause { op, change: None }));
        }
        if !waits.is_empty() {
            self.deferred
                .entry(tname.to_string())
                .or_default()
                .extend(waits);
        }
        if clauses.is_empty() {
            return;
        }
        fold_moves(&mut clauses);
        clauses.sort_by_key(|(r, _)| *r);
        let clauses: Vec<Clause> = clauses.into_iter().map(|(_, c)| c).collect();
        let alter = Statement::Alter(clauses);
        self.push(Phase::AlterTables, tname, alter, reasons, ids.clone());
        if !drop_defaults.is_empty() {
            self.drop_temporary_defaults(tname, &drop_defaults, ids);
        }
    }

    /// The second, metadata-only statement after `json_fill`: the release declares no default.
    fn drop_temporary_defaults(&mut self, tname: &str, columns: &[String], ids: Vec<usize>) {
        let clauses: Vec<Clause> = columns
            .iter()
            .map(|c| Clause {
                op: ClauseOp::DropColumnDefault { column: c.clone() },
                change: None,
            })
            .collect();
        let reasons = columns
            .iter()
            .map(|c| format!("{c}: its temporary default '[]' filled the existing rows; the release declares none"))
            .collect();
        self.push(
            Phase::AlterTables,
            tname,
            Statement::Alter(clauses),
            reasons,
            ids,
        );
    }

    /// Phase 4: the foreign keys that had to wait.
    fn add_deferred_foreign_keys(&mut self) {
        let deferred = std::mem::take(&mut self.deferred);
        for (table, fks) in &deferred {
            let clauses: Vec<Clause> = fks
                .iter()
                .map(|fk| Clause {
                    op: ClauseOp::AddForeignKey(fk.clone()),
                    change: None,
                })
                .collect();
            let ids: Vec<usize> = self
                .chosen
                .iter()
                .copied()
                .filter(|&i| {
                    self.changes[i].table == *table
                        && matches!(
                            self.changes[i].kind,
                            ChangeKind::MissingTable
                                | ChangeKind::MissingForeignKey
                                | ChangeKind::ForeignKeyDiffers
                                | ChangeKind::ForeignKeyRenamed
                        )
                })
                .collect();
            let reasons = fks
                .iter()
                .map(|f| format!("{}: added once the tables it links are ready", f.name))
                .collect();
            self.push(
                Phase::AddForeignKeys,
                table,
                Statement::Alter(clauses),
                reasons,
                ids,
            );
        }
    }

    /// Phase 5: drops, children (tables whose foreign keys point at other dropped tables) first.
    fn drop_tables(&mut self) {
        let names: Vec<String> = self
            .drops
            .iter()
            .map(|&i| self.changes[i].table.clone())
            .collect();
        let live = self.live;
        let mut order = topo_order(&names, |t| {
            live.tables
                .get(t)
                .map(|x| x.foreign_keys.iter().map(|f| f.ref_table.clone()).collect())
                .unwrap_or_default()
        });
        order.reverse();
        for tname in order {
            let Some(&i) = self.drops.iter().find(|&&i| self.changes[i].table == tname) else {
                continue;
            };
            let why = vec![reason(&self.changes[i])];
            self.push(
                Phase::DropTables,
                &tname,
                Statement::DropTable,
                why,
                vec![i],
            );
        }
    }

    fn push(
        &mut self,
        phase: Phase,
        table: &str,
        statement: Statement,
        reasons: Vec<String>,
        changes: Vec<usize>,
    ) {
        self.plan.steps.push(Step {
            phase,
            table: table.to_string(),
            statement,
            reasons,
            changes,
        });
    }
}

/// A column this ALTER both moves and changes (or adds) is put in place with the definition
/// it gets: MariaDB refuses a second MODIFY of one column in a statement, so the move carries
/// the change and the plain MODIFY goes (an added column may be modified in the same ALTER).
fn fold_moves(clauses: &mut Vec<(u8, Clause)>) {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let mut folded: Vec<String> = Vec::new();
    let defs: Vec<(String, crate::schema::Column, bool)> = clauses
        .iter()
        .filter_map(|(_, c)| match &c.op {
            ClauseOp::ModifyColumn { to, .. } => Some((to.name.clone(), to.clone(), true)),
            ClauseOp::AddColumn { column, .. } => {
                Some((column.name.clone(), column.clone(), false))
            }
            _ => None,
        })
        .collect();
    for (_, c) in clauses.iter_mut() {
        if let ClauseOp::MoveColumn { column, .. } = &mut c.op
            && let Some((name, def, modified)) = defs.iter().find(|(n, ..)| same(n, &column.name))
        {
            *column = def.clone();
            if *modified {
                folded.push(name.clone());
            }
        }
    }
    clauses.retain(|(_, c)| {
        !matches!(&c.op, ClauseOp::ModifyColumn { to, .. } if folded.iter().any(|f| same(f, &to.name)))
    });
}
