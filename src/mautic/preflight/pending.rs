//! Each pending migration and what Mautic will do with it here, from the fold of the path
//! (see `mautic::path`): skip it by its guard, fail on what is in the way, find it already
//! done, run it.

use super::checks::{Check, Status};
use crate::mautic::check::MauticFacts;
use crate::mautic::evidence::Conflict;
use crate::mautic::guards::{Guard, Judged};
use crate::mautic::migrations::Migration;
use crate::mautic::path::{Blocker, Path, Walked, error_text};
use crate::mautic::release::Release;
use crate::mautic::verdict::Verdict;

/// One migration to run and what Mautic will do with it here.
pub struct Pending {
    /// Doctrine's class name.
    pub class: String,
    pub summary: String,
    pub verdict: Verdict,
    /// Its guard (guards.tsv).
    pub guard: Guard,
    /// The install's table prefix, for the names the lines print.
    pub prefix: String,
}

impl Pending {
    /// A guard's text with this install's prefix in its names.
    fn named(&self, guard: &str) -> String {
        guard.replace("{prefix}", &self.prefix)
    }

    /// Why a would-fail is not skipped (`Ok`), or why its guard cannot be judged (`Err`).
    fn not_skipped(&self, judged: &Judged) -> std::result::Result<String, String> {
        match (judged, &self.guard) {
            (Judged::CannotJudge(why), _) => Err(why.clone()),
            (_, Guard::None) => Ok("nothing in it checks first".into()),
            (_, guard) => Ok(format!(
                "its guard ({}) does not hold here",
                self.named(&guard.to_string())
            )),
        }
    }

    /// The verdict with its reason, for the migrations list.
    pub fn line(&self) -> String {
        match &self.verdict {
            Verdict::WillSkip { guard } => {
                format!("will skip (Mautic's guard: {})", self.named(guard))
            }
            Verdict::WouldFail { conflict, guard } => match self.not_skipped(guard) {
                Ok(why) => format!("would fail: {}; {why}", conflict.error),
                Err(why) => format!(
                    "would fail: {}; its guard cannot be judged: {why}",
                    conflict.error
                ),
            },
            Verdict::AlreadyDone => "already done: its effects are all present: record it (apply does) or Mautic's run of it fails".into(),
            v => v.label().into(),
        }
    }
}

/// The migrations to run, in the order Doctrine runs them (by version string). Without a
/// migrations table, those of X that the detected release did not ship.
pub(super) fn of(facts: &MauticFacts, to: Release) -> Vec<Migration> {
    let index = crate::mautic::migrations::index();
    let mut pending: Vec<Migration> = if facts.migrations.has_records() {
        facts.migrations.pending.clone()
    } else {
        let from = facts
            .detected
            .as_deref()
            .and_then(|d| Release::parse(d.rsplit('-').next().unwrap_or(d)));
        crate::mautic::migrations::of_release(&index, to)
            .into_iter()
            .filter(|m| from.is_none_or(|f| !m.in_release(f)))
            .cloned()
            .collect()
    };
    pending.sort_by(|a, b| a.version.cmp(&b.version));
    pending
}

/// Each migration to run with its verdict, from the fold of the path (see `mautic::path`),
/// and the path's checks: every blocker in path order, and a warning for each migration the
/// index cannot fully judge.
pub(super) fn verdicts(
    pending: &[Migration],
    path: &Path,
    prefix: &str,
) -> (Vec<Pending>, Vec<Check>) {
    let mut out = Vec::new();
    let mut checks = Vec::new();
    for (m, w) in pending.iter().zip(&path.walked) {
        let guard = crate::mautic::guards::of(&m.version);
        let p = Pending {
            class: m.class_name(),
            summary: m.summary.clone(),
            verdict: walked_verdict(m, w),
            guard,
            prefix: prefix.to_string(),
        };
        checks.extend(w.blockers.iter().map(|b| blocker_check(&p, w, b)));
        checks.extend(unjudged_check(&p, w));
        out.push(p);
    }
    (out, checks)
}

/// The versions of the migrations whose statements run, in Mautic's order.
pub(super) fn running(verdicts: &[Pending]) -> impl Iterator<Item = &str> {
    verdicts
        .iter()
        .filter(|p| {
            !matches!(
                p.verdict,
                Verdict::WillSkip { .. } | Verdict::AlreadyDone | Verdict::WillRun { noop: true }
            )
        })
        .filter_map(|p| p.class.strip_prefix("Version"))
}

fn walked_verdict(m: &Migration, w: &Walked) -> Verdict {
    use crate::mautic::migrations::MigrationKind;
    if let Judged::Holds(guard) = &w.guard {
        return Verdict::WillSkip {
            guard: guard.clone(),
        };
    }
    if let Some(b) = w.blockers.first() {
        return Verdict::WouldFail {
            conflict: conflict(b),
            guard: w.guard.clone(),
        };
    }
    if w.already_done {
        return Verdict::AlreadyDone;
    }
    // A migration that issues DDL is judged by it, whatever else it does.
    match (m.kind, w.ddl) {
        (MigrationKind::Noop, _) => Verdict::WillRun { noop: true },
        (_, true) => Verdict::WillRun { noop: false },
        (MigrationKind::Data, false) => Verdict::DataMigration,
        (_, false) => Verdict::Unknown,
    }
}

fn conflict(b: &Blocker) -> Conflict {
    let r = &b.refusal;
    Conflict {
        statement: b.statement.clone(),
        error: format!("{}: {}", error_text(r.error, r.errno), r.why),
        query: r.query.clone(),
        fix: r.fix.clone(),
    }
}

/// A blocker of the path as a check: a warning instead when the migration's guard cannot be
/// judged (it may skip itself).
fn blocker_check(p: &Pending, w: &Walked, b: &Blocker) -> Check {
    let c = conflict(b);
    let (status, why) = match p.not_skipped(&w.guard) {
        Ok(why) => (Status::Blocker, format!("and {why}")),
        Err(why) => (
            Status::Warning,
            format!("unless its guard skips it (cannot be judged: {why})"),
        ),
    };
    Check {
        name: "migration",
        status,
        message: format!(
            "{} would fail with {} (in the way: {}) {why}; its statement (tables unprefixed): {}",
            p.class, c.error, b.refusal.object, c.statement
        ),
        investigate: format!("{}; fix: {}", c.query, c.fix),
    }
}

/// Never a silent go: what a migration does that the index cannot judge, and why.
fn unjudged_check(p: &Pending, w: &Walked) -> Option<Check> {
    if w.skipped() || w.already_done {
        return None;
    }
    let mut why: Vec<String> = w.unjudged.clone();
    if let Judged::CannotJudge(g) = &w.guard {
        why.insert(0, format!("its guard cannot be judged ({g})"));
    }
    if why.is_empty() {
        return None;
    }
    Some(Check {
        name: "migration",
        status: Status::Warning,
        message: format!(
            "{} ({}) cannot be fully judged here: {}",
            p.class,
            p.summary,
            why.join("; ")
        ),
        investigate: String::new(),
    })
}
