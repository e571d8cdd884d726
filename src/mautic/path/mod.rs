//! Mautic's upgrade path as a pure fold over the schema model: start from the live schema
//! (prefixed), and for each pending migration in the order Doctrine runs them, judge its guard
//! on the schema the earlier migrations of the same run leave, then apply its statements
//! (effects.tsv, with the prefix) to the model. A statement the server would refuse on the
//! schema it meets is a `Blocker` naming the migration, the statement, the object in the way
//! and the fix; the fold then goes on as if the fix were made, so one run lists every blocker
//! of the path, in path order. Shared by `preflight` and the release-pair fold of upgraded
//! sites.

mod apply;
mod features;
mod refusal;
pub mod sql;
#[cfg(test)]
mod tests;
mod walks;

use std::collections::BTreeSet;

use super::effects::{Effect, EffectOp, Holds, holds};
use super::guards::{Guard, Judged, judge};
use crate::dialect::{ServerError, ServerInfo};
use crate::schema::Schema;

pub use refusal::Refusal;

/// What the fold knows besides the schema: the install's prefix, the server that will run the
/// statements, and the foreign-key names used by tables outside the model (other installs,
/// backup copies): InnoDB's constraint names are unique across the whole database.
#[derive(Debug, Clone)]
pub struct World {
    pub prefix: String,
    pub server: ServerInfo,
    /// Lower-case constraint names of tables the model does not hold, with their table.
    pub foreign_keys_elsewhere: Vec<(String, String)>,
    /// The tables of the database outside the install (other installs, copies, other
    /// applications), for the migrations that walk the whole database (`walks`); empty when
    /// none is pending.
    pub others: Schema,
}

/// Whether a pending migration walks every table of the database, so that the fold needs
/// the tables outside the install too.
pub fn walks_the_database(versions: &[&str]) -> bool {
    versions.iter().any(|v| walks::of(v).is_some())
}

/// One pending migration, as the fold takes it.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub version: &'a str,
    pub guard: &'a Guard,
    pub effects: &'a [Effect],
}

/// A statement of a migration the server would refuse on the schema the path leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub version: String,
    /// The migration's statement (tables unprefixed, as effects.tsv has it).
    pub statement: String,
    pub refusal: Refusal,
}

/// How one migration goes on the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walked {
    pub version: String,
    /// Its guard, judged on the schema the earlier migrations leave.
    pub guard: Judged,
    /// Every statement's effect is there already: nothing was applied.
    pub already_done: bool,
    /// It issues DDL (whatever else it does).
    pub ddl: bool,
    /// It changes rows too (or files, config).
    pub data: bool,
    pub blockers: Vec<Blocker>,
    /// What of it the index cannot express, and why (effects not extracted, a definition the
    /// reader cannot parse).
    pub unjudged: Vec<String>,
}

impl Walked {
    pub fn skipped(&self) -> bool {
        matches!(self.guard, Judged::Holds(_))
    }
}

/// The whole path: each migration as it goes, and the schema it leaves.
#[derive(Debug, Clone)]
pub struct Path {
    pub walked: Vec<Walked>,
    /// The schema each migration meets (what the earlier ones of the run leave), one per
    /// step: the statements' names and preconditions are judged on it. Empty when folded with
    /// [`Keep::End`].
    pub before: Vec<Schema>,
    pub end: Schema,
}

impl Path {
    /// Every blocker, in path order.
    pub fn blockers(&self) -> impl Iterator<Item = (&Walked, &Blocker)> {
        self.walked
            .iter()
            .flat_map(|w| w.blockers.iter().map(move |b| (w, b)))
    }
}

/// What a fold keeps of the way besides its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The schema each migration meets ([`Path::before`]): preflight judges each migration's
    /// statements on it.
    EachStep,
    /// Only the end: the release-pair history folds every pair of releases, and a copy of the
    /// whole schema per migration was most of its time (48 s of 55 s).
    End,
}

/// Fold the `pending` migrations (in the order Mautic runs them) over `live`, each with its
/// guard (guards.tsv) and its statements (effects.tsv): what preflight and the release-pair
/// history both fold.
pub fn fold_migrations(
    live: &Schema,
    pending: &[super::migrations::Migration],
    world: &World,
    keep: Keep,
) -> Path {
    let effects = super::effects::by_version();
    let guards: Vec<Guard> = pending
        .iter()
        .map(|m| super::guards::of(&m.version))
        .collect();
    let steps: Vec<Step> = pending
        .iter()
        .zip(&guards)
        .map(|(m, guard)| Step {
            version: &m.version,
            guard,
            effects: effects.get(&m.version).map(Vec::as_slice).unwrap_or(&[]),
        })
        .collect();
    fold(live, &steps, world, keep)
}

/// Fold `steps` (in the order Mautic runs them) over `live` (the install's tables, prefixed).
pub fn fold(live: &Schema, steps: &[Step], world: &World, keep: Keep) -> Path {
    let mut model = live.clone();
    let mut others = world.others.clone();
    let mut walked = Vec::with_capacity(steps.len());
    let mut before = Vec::with_capacity(steps.len());
    for step in steps {
        if keep == Keep::EachStep {
            before.push(model.clone());
        }
        let mut w = walk(live, &mut model, step, world);
        if let Some(all) = walks::of(step.version).filter(|_| !w.skipped() && !w.already_done) {
            for schema in [&mut model, &mut others] {
                let refused = all.apply(schema, &world.server);
                w.blockers
                    .extend(refused.into_iter().map(|(statement, refusal)| Blocker {
                        version: step.version.to_string(),
                        statement,
                        refusal,
                    }));
            }
        }
        walked.push(w);
    }
    Path {
        walked,
        before,
        end: model,
    }
}

/// Each effect of one migration with the schema it meets: `before` (what the earlier
/// migrations of the run leave) with the migration's earlier statements applied, as the fold
/// applies them.
pub fn each_effect<'e>(
    before: &Schema,
    effects: &'e [Effect],
    world: &World,
    mut f: impl FnMut(&'e Effect, &Schema),
) {
    let mut model = before.clone();
    for e in effects {
        f(e, &model);
        if is_schema_op(e.op) {
            // What it would refuse is the fold's to report; here only the state matters.
            let _ = apply::effect(&mut model, e, world);
        }
    }
}

fn is_schema_op(op: EffectOp) -> bool {
    !matches!(op, EffectOp::Data | EffectOp::Unknown)
}

fn walk(live: &Schema, model: &mut Schema, step: &Step, world: &World) -> Walked {
    let guard = judge(step.guard, model, &world.prefix);
    let mut w = Walked {
        version: step.version.to_string(),
        guard,
        already_done: false,
        ddl: step.effects.iter().any(|e| is_schema_op(e.op)),
        data: step.effects.iter().any(|e| e.op == EffectOp::Data),
        blockers: Vec::new(),
        unjudged: Vec::new(),
    };
    // Step 0 rows are the extractor's notes on the run it saw (a preUp() skip): the guard
    // speaks for them.
    let notes = step
        .effects
        .iter()
        .filter(|e| e.op == EffectOp::Unknown && e.step > 0);
    w.unjudged.extend(notes.map(|e| e.definition.clone()));
    if step.effects.is_empty() {
        w.unjudged
            .push("effects.tsv has no statement of it: what it does is not known".into());
    }
    if w.skipped() {
        return w;
    }
    // Applied before this run but not recorded: `apply` records it. What an earlier migration
    // of the same run made is in the way of this one.
    if already_done(live, step.effects, world) && already_done(model, step.effects, world) {
        w.already_done = true;
        return w;
    }
    // Each statement once (one ALTER TABLE gives a row per clause), on this server's grammar.
    let mut said = BTreeSet::new();
    for e in step
        .effects
        .iter()
        .filter(|e| e.step > 0 && said.insert(e.sql.as_str()))
    {
        let refusals = features::missing(&e.sql, &world.server);
        w.blockers
            .extend(refusals.into_iter().map(|refusal| Blocker {
                version: step.version.to_string(),
                statement: e.sql.clone(),
                refusal,
            }));
    }
    for e in step.effects.iter().filter(|e| is_schema_op(e.op)) {
        match apply::effect(model, e, world) {
            Ok(refusals) => w
                .blockers
                .extend(refusals.into_iter().map(|refusal| Blocker {
                    version: step.version.to_string(),
                    statement: e.sql.clone(),
                    refusal,
                })),
            Err(why) => w.unjudged.push(why),
        }
    }
    w
}

/// Every schema effect of the migration is there already (and it has one): Mautic's run of it
/// would meet its own objects; `apply` records it instead.
fn already_done(model: &Schema, effects: &[Effect], world: &World) -> bool {
    let mut judged = effects.iter().filter(|e| is_schema_op(e.op)).peekable();
    judged.peek().is_some()
        && judged.all(|e| {
            holds(e, model, &world.prefix, &world.server) == Holds::Yes
                && !apply::name_taken_by_another(model, e, world)
        })
}

/// Lower-case names of every foreign key in the model and elsewhere in the database.
pub(crate) fn constraint_names(model: &Schema, world: &World) -> BTreeSet<String> {
    model
        .tables
        .values()
        .flat_map(|t| t.foreign_keys.iter().map(|f| f.name.to_ascii_lowercase()))
        .chain(world.foreign_keys_elsewhere.iter().map(|(n, _)| n.clone()))
        .collect()
}

/// The error number as the server shows it: `1005 (errno 150)` for InnoDB's own.
pub fn error_text(error: ServerError, errno: Option<u32>) -> String {
    match errno {
        Some(n) => format!("{} (errno {n})", error.number()),
        None => error.number().to_string(),
    }
}
