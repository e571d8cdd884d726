//! The one verdict a command ends with: what a comparison came to for the whole database, its
//! exit code and the line that says it. `check`, `diff`, `preflight`, `report` and `apply`
//! all take it from here, so the same database gets the same verdict from each of them (the
//! per-migration verdicts of preflight are `super::verdict`).
//!
//! One state wins, the most urgent first: an interrupted run (what it left must be finished
//! before anything else), an upgrade's blockers (preflight), or a column outside the install
//! whose Doctrine type the target no longer has (the target's migrations stop on it, and the
//! tool does not touch tables it does not own), drift (its line also says when the migrations
//! table is missing: `apply` makes both right), a missing migrations table
//! (the schema is right, but the next upgrade would re-run every migration and fail),
//! schema-only migrations not recorded, and only then in sync.

use crate::comparison::Comparison;
use crate::diff::Severity;

/// The kind of verdict, as JSON spells it (`verdict.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub fn of(r: &Comparison) -> Verdict {
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
        let unknown_types = r.removed_types_outside.len();
        if let Some((_, _, ty)) = r.removed_types_outside.first() {
            // Doctrine reads every table: one such column stops the target's migrations and
            // schema commands (mautic#13281), whatever the install's own tables hold.
            let also = match drift {
                0 => String::new(),
                n => format!("; and {n} difference(s) to fix in {tables} table(s)"),
            };
            return Verdict::new(
                Kind::Blocked,
                format!(
                    "{unknown_types} column(s) of tables outside the install carry \
                     (DC2Type:{ty}), a type the target's Doctrine no longer has: Mautic's \
                     migrations stop on them (listed above); change or drop those columns{also}"
                ),
            );
        }
        if drift > 0 {
            let held = match r.plan.skipped.len() {
                0 => String::new(),
                n => format!("; {n} destructive change(s) held back (--allow-destructive)"),
            };
            let table = match missing_table {
                true => "; and no migrations recorded",
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
                "no migrations recorded (the migrations table is missing or empty), so the \
                 next upgrade would re-run every migration and fail; `mautic-schema diff` \
                 shows the statements that record them, `mautic-schema apply` runs them"
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

    /// The line up to its advice: what a one-line-per-install listing (a fleet) shows, the
    /// install's own command saying the rest. Every detail puts its advice (the command to run)
    /// after its first `; `.
    pub fn headline(&self) -> &str {
        self.line.split("; ").next().unwrap_or(&self.line)
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
/// No migration recorded where one should be: the table is missing, or empty (judged alike:
/// either way the next upgrade re-runs every migration). Unknown rows (a dump without rows)
/// say nothing.
fn migrations_table_missing(r: &Comparison) -> bool {
    let m = &r.facts.migrations;
    r.facts.target_release.is_some()
        && !m.rows_unknown
        && (!m.table_present || m.applied.is_empty())
}

/// What an interrupted `apply` left, as the verdict's detail.
fn interrupted(r: &Comparison) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A comparison with nothing in it: a 5.1.1 target, migrations table as `table`.
    fn report(table: bool) -> Comparison {
        let mut facts = crate::mautic::facts::ReleaseFacts {
            target_release: Some("5.1.1".into()),
            ..Default::default()
        };
        facts.migrations.table_present = table;
        if table {
            facts.migrations.applied = vec!["20240101000000".into()];
        }
        Comparison {
            facts,
            ..Comparison::empty("db", "Mautic 5.1.1", crate::dialect::ServerInfo::unknown())
        }
    }

    /// An empty migrations table records nothing: judged like a missing one (issue 22); rows
    /// a dump did not carry say nothing either way.
    #[test]
    fn an_empty_migrations_table_is_bookkeeping_broken_unknown_rows_are_not() {
        let mut r = report(true);
        r.facts.migrations.applied.clear();
        assert_eq!(Verdict::of(&r).kind, Kind::BookkeepingBroken);
        assert_eq!(Verdict::of(&r).line, Verdict::of(&report(false)).line);
        r.facts.migrations.rows_unknown = true;
        assert_eq!(Verdict::of(&r).kind, Kind::InSync);
    }

    #[test]
    fn the_most_urgent_state_wins_and_the_exit_code_follows() {
        let healthy = Verdict::of(&report(true));
        assert_eq!((healthy.kind, healthy.exit_code), (Kind::InSync, 0));
        assert!(healthy.line.starts_with("In sync: no drift"));

        let mut pending = report(true);
        pending.pending_schema_migrations = 2;
        assert_eq!(Verdict::of(&pending).kind, Kind::PendingMigrations);

        // No migrations table outweighs unrecorded migrations; an interrupted run outweighs all.
        let mut broken = report(false);
        broken.pending_schema_migrations = 2;
        let v = Verdict::of(&broken);
        assert_eq!((v.kind, v.exit_code), (Kind::BookkeepingBroken, 1));
        broken.interrupted = Some(crate::apply::online::Interrupted {
            run_id: Some(7),
            started_at: None,
            statements_done: Some(3),
            online: vec![],
        });
        let v = Verdict::of(&broken);
        assert_eq!(v.kind, Kind::Interrupted);
        assert!(
            v.line.contains("apply run 7 stopped after 3 statement(s)"),
            "{v:?}"
        );

        // A removed Doctrine type on a table outside the install blocks; drift says it too.
        let mut typed = report(true);
        typed.removed_types_outside = vec![("bak_leads".into(), "c".into(), "json_array".into())];
        let v = Verdict::of(&typed);
        assert_eq!((v.kind, v.exit_code), (Kind::Blocked, 1));
        assert!(v.line.contains("(DC2Type:json_array)"), "{v:?}");
        typed.changes.push(crate::diff::Change::new(
            "leads",
            crate::diff::ChangeKind::ExtraTable,
            "leads",
            String::new(),
            crate::diff::Op::DropTable,
        ));
        let v = Verdict::of(&typed);
        assert_eq!(v.kind, Kind::Blocked);
        assert!(v.line.contains("and 1 difference(s) to fix"), "{v:?}");

        // A fleet's headline stops before the advice.
        assert_eq!(
            Verdict::of(&broken).headline(),
            "Interrupted: apply run 7 stopped after 3 statement(s)"
        );

        // Without a release there is no bookkeeping to have: a reference file alone.
        let mut file = report(false);
        file.facts.target_release = None;
        assert_eq!(Verdict::of(&file).kind, Kind::InSync);
    }

    #[test]
    fn preflight_puts_blockers_first_and_never_says_go_next_to_a_failure() {
        let v = Verdict::of(&report(true)).upgrade("5.2.0", 2);
        assert_eq!((v.kind, v.exit_code), (Kind::Blocked, 1));
        let v = Verdict::of(&report(true)).upgrade("5.2.0", 0);
        assert_eq!(v.kind, Kind::InSync);
        assert!(
            v.line
                .ends_with("nothing found that would stop the upgrade to 5.2.0")
        );
        // A missing migrations table makes the upgrade fail: no "nothing would stop it".
        let v = Verdict::of(&report(false)).upgrade("5.2.0", 0);
        assert_eq!(v.kind, Kind::BookkeepingBroken);
        assert!(!v.line.contains("would stop the upgrade"), "{v:?}");
    }
}
