//! What Mautic will do with one pending migration on this very database: its effects (see
//! `evidence::foresee`) weighed with its own guard (see `guards`). A statement that would fail
//! is no blocker when the migration's guard holds here (Mautic skips it); it is one when the
//! migration has no guard or its guard does not hold; a guard that cannot be judged leaves a
//! warning saying why.

use super::evidence::{Conflict, Foresight};
use super::guards::{Guard, Judged, judge};
use super::migrations::MigrationKind;
use crate::schema::Schema;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every effect is there already and nothing skips it: record it.
    AlreadyDone,
    /// Its statements run; `noop` when it issues nothing on MySQL/MariaDB.
    WillRun { noop: bool },
    /// Mautic's guard holds here: the alternative that does, as guards.tsv writes it.
    WillSkip { guard: String },
    /// A statement would be refused. `guard` is how its guard was judged: `DoesNotHold` (or no
    /// guard) makes it a blocker, `CannotJudge` a warning.
    WouldFail { conflict: Conflict, guard: Judged },
    /// Changes rows, files or config: Mautic must run it.
    DataMigration,
    /// Changes data too, but its schema changes are all there: it ran (or the schema was made
    /// whole without it). Running it again fails on them or makes its data changes twice, so
    /// it is recorded, never run.
    DataAlreadyDone,
    /// Nothing in the schema shows its effects (none extracted, all data, or none the release's
    /// own schema shows): it runs; no statement of it is known to meet anything in the way.
    Unknown,
}

impl Verdict {
    /// The verdict as preflight prints it (and `migrations[].verdict` in JSON).
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::AlreadyDone => "already done",
            Verdict::WillRun { noop: false } => "will run",
            Verdict::WillRun { noop: true } => "will run (nothing to do on MySQL/MariaDB)",
            Verdict::WillSkip { .. } => "will skip",
            Verdict::WouldFail { .. } => "would fail",
            Verdict::DataMigration => "data migration: Mautic must run it",
            Verdict::DataAlreadyDone => {
                "data migration whose schema changes are all there: record it, do not run it"
            }
            Verdict::Unknown => "will run (whether it already ran, the schema cannot tell)",
        }
    }

    /// A would-fail that stops the upgrade: nothing (that can be judged) skips it.
    pub fn blocks(&self) -> bool {
        matches!(
            self,
            Verdict::WouldFail {
                guard: Judged::DoesNotHold,
                ..
            }
        )
    }
}

/// Weigh a migration's foresight with its guard on `live`.
pub fn verdict(
    kind: MigrationKind,
    foresight: Foresight,
    guard: &Guard,
    live: &Schema,
    prefix: &str,
) -> Verdict {
    if kind == MigrationKind::Data && foresight != Foresight::AlreadyDone {
        return Verdict::DataMigration;
    }
    let judged = judge(guard, live, prefix);
    if let Judged::Holds(guard) = judged {
        return Verdict::WillSkip { guard };
    }
    if kind == MigrationKind::Data {
        // Its schema changes are all there and nothing skips it.
        return Verdict::DataAlreadyDone;
    }
    match (kind, foresight) {
        (_, Foresight::WouldFail(conflict)) => Verdict::WouldFail {
            conflict,
            guard: judged,
        },
        (MigrationKind::Noop, _) => Verdict::WillRun { noop: true },
        (_, Foresight::AlreadyDone) => Verdict::AlreadyDone,
        (_, Foresight::WillRun) => Verdict::WillRun { noop: false },
        (_, Foresight::Unknown) => Verdict::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mautic::guards::parse_guard;
    use crate::schema::{Column, ColumnType, Table};

    fn live() -> Schema {
        let mut t = Table::new("mt_focus");
        t.columns
            .push(Column::new("editor", ColumnType::named("longtext")));
        let mut s = Schema::default();
        s.insert(t);
        s
    }

    fn conflict() -> Foresight {
        Foresight::WouldFail(Conflict {
            statement: "ALTER TABLE focus ADD editor LONGTEXT".into(),
            error: "1060: column mt_focus.editor already exists".into(),
            query: String::new(),
            fix: String::new(),
        })
    }

    #[test]
    fn a_guard_that_holds_turns_a_failure_into_a_skip() {
        let g = parse_guard("column_exists focus.editor");
        let v = verdict(MigrationKind::Schema, conflict(), &g, &live(), "mt_");
        assert_eq!(
            v,
            Verdict::WillSkip {
                guard: "column_exists focus.editor".into()
            }
        );
        assert!(!v.blocks());
    }

    #[test]
    fn an_unguarded_or_unheld_failure_blocks_and_an_unjudged_one_warns() {
        for g in ["none", "column_exists focus.html", "table_missing focus"] {
            let v = verdict(
                MigrationKind::Schema,
                conflict(),
                &parse_guard(g),
                &live(),
                "mt_",
            );
            assert!(v.blocks(), "{g}: {v:?}");
        }
        let v = verdict(
            MigrationKind::Schema,
            conflict(),
            &parse_guard("unknown: condition $found"),
            &live(),
            "mt_",
        );
        assert!(
            matches!(&v, Verdict::WouldFail { guard: Judged::CannotJudge(why), .. } if why == "condition $found")
        );
        assert!(!v.blocks());
        // A guard on a table that is not there cannot be read: Doctrine throws first.
        let v = verdict(
            MigrationKind::Schema,
            conflict(),
            &parse_guard("column_exists pages.x"),
            &live(),
            "mt_",
        );
        assert!(matches!(
            v,
            Verdict::WouldFail {
                guard: Judged::CannotJudge(_),
                ..
            }
        ));
    }

    #[test]
    fn effects_the_schema_cannot_show_are_not_claimed() {
        let none = parse_guard("none");
        let v = verdict(
            MigrationKind::Schema,
            Foresight::Unknown,
            &none,
            &live(),
            "mt_",
        );
        assert_eq!(v, Verdict::Unknown);
        assert_ne!(v.label(), Verdict::WillRun { noop: false }.label());
        let v = verdict(MigrationKind::Data, conflict(), &none, &live(), "mt_");
        assert_eq!(v, Verdict::DataMigration);
        // Its schema changes all there: never "Mautic must run it".
        let v = verdict(
            MigrationKind::Data,
            Foresight::AlreadyDone,
            &none,
            &live(),
            "mt_",
        );
        assert_eq!(v, Verdict::DataAlreadyDone);
        assert!(!v.label().contains("must run"));
    }

    #[test]
    fn column_types_read_as_doctrine_reads_them() {
        let held = |g: &str| matches!(judge(&parse_guard(g), &live(), "mt_"), Judged::Holds(_));
        assert!(held("column_type_is focus.editor text"));
        assert!(!held("column_type_is focus.editor string"));
        assert!(held("column_type_is_not focus.editor string"));
        assert!(held("prefix_set"));
        assert!(!held("prefix_empty"));
    }
}
