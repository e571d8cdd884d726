//! The one verdict a command ends with: what a comparison came to for the whole database, its
//! exit code and the line that says it. `check`, `diff`, `preflight`, `report` and `apply`
//! all take it from here, so the same database gets the same verdict from each of them (the
//! per-migration verdicts of preflight are `super::verdict`).
//!
//! One state wins, the most urgent first: an interrupted run (what it left must be finished
//! before anything else), an upgrade's blockers (preflight only), drift (its line also says
//! when the migrations table is missing: `apply` makes both right), a missing migrations table
//! (the schema is right, but the next upgrade would re-run every migration and fail),
//! schema-only migrations not recorded, and only then in sync.

use serde::Serialize;

use crate::diff::Severity;
use crate::report::Report;

/// The kind of verdict, as JSON spells it (`verdict.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    InSync,
    Drift,
    PendingMigrations,
    BookkeepingBroken,
    Interrupted,
    Blocked,
}

impl Kind {
    /// The label the verdict line starts with.
    pub fn label(self) -> &'static str {
        match self {
            Kind::InSync => "In sync",
            Kind::Drift => "Drift",
            Kind::PendingMigrations => "Migrations pending",
            Kind::BookkeepingBroken => "Bookkeeping broken",
            Kind::Interrupted => "Interrupted",
            Kind::Blocked => "Blocked",
        }
    }

    /// 0 in sync, 1 for everything that asks for something to be done.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::InSync => 0,
            _ => 1,
        }
    }
}

/// What a command came to: its kind, exit code and the one line that says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub kind: Kind,
    pub exit_code: i32,
    /// The line the text output ends with (`label: detail`).
    pub line: String,
}

impl Verdict {
    fn new(kind: Kind, detail: String) -> Verdict {
        Verdict {
            kind,
            exit_code: kind.exit_code(),
            line: format!("{}: {detail}", kind.label()),
        }
    }

    /// The verdict on a comparison's report.
    pub fn of(r: &Report) -> Verdict {
        if let Some(detail) = interrupted(r) {
            return Verdict::new(Kind::Interrupted, detail);
        }
        let tolerated = format!(
            "{} legacy, {} info",
            r.count(Severity::Legacy),
            r.count(Severity::Info)
        );
        let drift = r.drift_count();
        let tables = r
            .changes
            .iter()
            .filter(|c| c.severity == Severity::Drift)
            .map(|c| &c.table)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let missing_table = migrations_table_missing(r);
        if drift > 0 {
            let held = match r.plan.skipped.len() {
                0 => String::new(),
                n => format!("; {n} destructive change(s) held back (--allow-destructive)"),
            };
            let table = match missing_table {
                true => "; and no migrations table",
                false => "",
            };
            return Verdict::new(
                Kind::Drift,
                format!(
                    "{drift} difference(s) to fix in {tables} table(s) ({tolerated}){held}{table}; \
                     `mautic-schema diff` prints the SQL, `mautic-schema apply` runs it after \
                     a backup"
                ),
            );
        }
        if missing_table {
            return Verdict::new(
                Kind::BookkeepingBroken,
                "no migrations table, so the next upgrade would re-run every migration and \
                 fail; `mautic-schema diff` shows the statements that create it, \
                 `mautic-schema apply` runs them"
                    .into(),
            );
        }
        if r.pending_schema_migrations > 0 {
            return Verdict::new(
                Kind::PendingMigrations,
                format!(
                    "the schema has them, but {} schema-only migration(s) are not recorded; \
                     `mautic-schema apply` records them",
                    r.pending_schema_migrations
                ),
            );
        }
        let data = r.bookkeeping.manual.len();
        let detail = match data {
            0 => format!("no drift ({tolerated})"),
            n => format!(
                "no drift ({tolerated}); {n} data migration(s) pending, for Mautic to run (listed above)"
            ),
        };
        Verdict::new(Kind::InSync, detail)
    }

    /// Preflight's verdict: blockers of the upgrade to `to` come first; otherwise the
    /// database's own verdict, saying that nothing stops the upgrade.
    pub fn upgrade(self, to: &str, blockers: usize) -> Verdict {
        if blockers > 0 {
            return Verdict::new(
                Kind::Blocked,
                format!("{blockers} blocker(s) stop the upgrade to {to}: fix them first"),
            );
        }
        // A missing migrations table or an interrupted run stops the upgrade by itself: its
        // line says so; the others leave it free to go.
        let free = match self.kind {
            Kind::InSync => "nothing found that would stop the upgrade",
            Kind::Drift | Kind::PendingMigrations => {
                "nothing else found that would stop the upgrade"
            }
            _ => return self,
        };
        let line = format!("{}; {free} to {to}", self.line.trim_end_matches('.'));
        Verdict { line, ..self }
    }
}

/// A migrations table to have and none there: a Mautic release is the target (the
/// bookkeeping that creates the table is planned against it) and the database has none.
fn migrations_table_missing(r: &Report) -> bool {
    r.facts.target_release.is_some() && !r.facts.migrations.table_present
}

/// What an interrupted `apply` left, as the verdict's detail.
fn interrupted(r: &Report) -> Option<String> {
    let i = r.interrupted.as_ref()?;
    let online = match i.online.len() {
        0 => String::new(),
        n => format!(
            ", leaving {n} {} change(s) unfinished",
            crate::apply::online::TOOL
        ),
    };
    Some(match (i.run_id, i.statements_done) {
        (Some(id), Some(done)) => format!(
            "apply run {id} stopped after {done} statement(s){online}; `mautic-schema apply` resumes it"
        ),
        _ => format!(
            "an earlier apply stopped{online}; `mautic-schema apply` finishes or removes what it left"
        ),
    })
}
