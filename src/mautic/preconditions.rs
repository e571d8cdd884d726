//! The data preconditions of Mautic's own migration statements: for one statement of
//! effects.tsv (its typed op, table, object and definition), the rows of this install that
//! would make it fail, as `plan::preconditions` builds them for `apply`'s plan. The upgrade
//! path (`preflight`) asks this for each statement of each pending migration, in Mautic's
//! order; the counts run on the live rows.
//!
//! `path` is the schema as the earlier statements of the run leave it (the fold's state; the
//! live schema when there is none), `live` the tables as they are now, whose rows the queries
//! read: a column the path adds holds its default in every row, a table the path creates has
//! no rows.

use crate::dialect::ServerInfo;
use crate::plan::algorithm::{Algorithm, clause_verdict};
use crate::plan::preconditions::{self, Precondition, SqlMode};
use crate::plan::{ClauseOp, Position};
use crate::schema::{Column, DefaultValue, ForeignKey, Index, IndexKind, Schema, Table};

use super::effects::{Effect, EffectOp, definition_table};
use super::path::{World, each_effect};

/// One precondition of one statement of a pending migration.
#[derive(Debug, Clone)]
pub struct StatementCheck {
    /// Doctrine's class name (`Version020230615115326`).
    pub migration: String,
    /// The statement's number in the migration (effects.tsv's step).
    pub step: u32,
    /// "modify column lead_event_log.properties".
    pub statement: String,
    pub precondition: Precondition,
}

impl StatementCheck {
    /// The blocker's words once `count` rows are found: migration, statement, rows, fix.
    pub fn message(&self, count: u64) -> String {
        format!(
            "{} statement {} ({}) would fail: {}; fix: {}",
            self.migration,
            self.step,
            self.statement,
            self.precondition.message(count),
            self.precondition.fix
        )
    }
}

/// The preconditions of every statement of the pending migrations `runs` (each version with
/// the schema the earlier migrations of the run leave it, the fold's `Path::before`), in the
/// order Mautic runs them: each statement is judged on the schema it meets on the path (a
/// column an earlier statement adds is there), its rows counted on `live`.
pub fn of_migrations<'a>(
    runs: impl IntoIterator<Item = (&'a str, &'a Schema)>,
    effects: &std::collections::BTreeMap<String, Vec<Effect>>,
    world: &World,
    live: &Schema,
    mode: SqlMode,
) -> Vec<StatementCheck> {
    let mut out = Vec::new();
    // The same rows stop only the first statement that meets them (two statements copying
    // one table meet its zero dates once): the later ones never run.
    let mut seen = std::collections::BTreeSet::new();
    for (version, before) in runs {
        let mine = effects.get(version).map(Vec::as_slice).unwrap_or(&[]);
        each_effect(before, mine, world, |e, path| {
            for p in of_effect(e, &world.prefix, path, live, &world.server, mode) {
                if !seen.insert(p.count_sql.clone()) {
                    continue;
                }
                out.push(StatementCheck {
                    migration: format!("Version{version}"),
                    step: e.step,
                    statement: e.describe(),
                    precondition: p,
                });
            }
        });
    }
    out
}

/// What one statement needs of the rows it meets.
pub fn of_effect(
    e: &Effect,
    prefix: &str,
    path: &Schema,
    live: &Schema,
    server: &ServerInfo,
    mode: SqlMode,
) -> Vec<Precondition> {
    let name = format!("{prefix}{}", e.table);
    let Some(table) = live.table(&name) else {
        return Vec::new(); // created on the way (or missing): no rows
    };
    let before = path.table(&name).unwrap_or(table);
    let Some(clause) = clause_of(e, prefix, table, before, server) else {
        // Converting the columns' character set copies the table.
        return if converts(e) {
            preconditions::zero_dates(table, mode).into_iter().collect()
        } else {
            Vec::new()
        };
    };
    let mut found = match &clause {
        ClauseOp::ModifyColumn { from, to } => {
            preconditions::column_change(table, from, to, server.flavor, mode)
        }
        ClauseOp::AddIndex(index) => unique_key(table, before, index).into_iter().collect(),
        ClauseOp::AddForeignKey(fk) => foreign_key(table, live, fk).into_iter().collect(),
        _ => Vec::new(),
    };
    // A statement that copies the table re-validates every date in it.
    if clause_verdict(&clause, Some(table), server).algorithm == Algorithm::Copy {
        found.extend(preconditions::zero_dates(table, mode));
    }
    found
}

/// Whether a table-options statement converts the columns (`CONVERT TO CHARACTER SET`).
pub(crate) fn converts(e: &Effect) -> bool {
    e.op == EffectOp::TableOptions && e.definition.to_ascii_uppercase().contains("CONVERT TO")
}

/// The statement's clause as the planner types it, on `table` (live) as `before` (the path's
/// state) describes it: what the server is asked to do, for the algorithm it will use.
/// `None` for whole-table statements and what the definition does not say.
pub(crate) fn clause_of(
    e: &Effect,
    prefix: &str,
    table: &Table,
    before: &Table,
    server: &ServerInfo,
) -> Option<ClauseOp> {
    let parsed = || definition_table(&table.name, &e.definition, Some(before), server);
    Some(match e.op {
        EffectOp::ModifyColumn => ClauseOp::ModifyColumn {
            // The object names the column before a renaming CHANGE.
            from: table.column(&e.object)?.clone(),
            to: parsed()?.columns.into_iter().next()?,
        },
        EffectOp::AddIndex => ClauseOp::AddIndex(
            parsed()?
                .indexes
                .into_iter()
                .find(|i| i.name.eq_ignore_ascii_case(&e.object))?,
        ),
        EffectOp::AddForeignKey => {
            let mut fk = parsed()?.foreign_keys.into_iter().next()?;
            fk.ref_table = format!("{prefix}{}", fk.ref_table);
            ClauseOp::AddForeignKey(fk)
        }
        EffectOp::AddColumn => ClauseOp::AddColumn {
            column: parsed()?.columns.into_iter().next()?,
            position: Position::Last,
        },
        EffectOp::DropColumn => ClauseOp::DropColumn(table.column(&e.object)?.clone()),
        EffectOp::DropIndex => ClauseOp::DropIndex(table.index(&e.object)?.clone()),
        EffectOp::DropForeignKey => ClauseOp::DropForeignKey {
            name: e.object.clone(),
        },
        _ => return None,
    })
}

/// Duplicates under a new unique or primary key, over the rows as they are. A key part the
/// path adds holds its default in every row: nothing to group by, unless it is NULL (a UNIQUE
/// key never compares NULLs) or AUTO_INCREMENT (every row gets its own value).
fn unique_key(table: &Table, before: &Table, index: &Index) -> Option<Precondition> {
    if !matches!(index.kind, IndexKind::Unique | IndexKind::Primary) {
        return None;
    }
    let mut keys = Vec::new();
    let mut set = Vec::new();
    for part in &index.parts {
        match table.column(&part.column) {
            Some(col) => {
                let q = crate::schema::quote_ident(&col.name);
                keys.push(match part.prefix {
                    Some(n) => format!("LEFT({q}, {n})"),
                    None => q,
                });
                set.push(col.name.clone());
            }
            None => {
                let added: &Column = before.column(&part.column)?;
                let null_default = matches!(added.default, None | Some(DefaultValue::Null));
                if added.auto_increment || (null_default && added.nullable) {
                    return None;
                }
            }
        }
    }
    Some(preconditions::duplicates(
        table,
        &index.name,
        index.kind,
        &keys,
        &set,
    ))
}

/// Orphans under a new foreign key: its child columns must all be there now; a parent that
/// is not there yet is created on the way, empty.
fn foreign_key(table: &Table, live: &Schema, fk: &ForeignKey) -> Option<Precondition> {
    if !fk.columns.iter().all(|c| table.column(c).is_some()) {
        return None;
    }
    let parent_has_rows = live
        .table(&fk.ref_table)
        .is_some_and(|p| fk.ref_columns.iter().all(|c| p.column(c).is_some()));
    Some(if parent_has_rows {
        preconditions::orphans(table, fk)
    } else {
        preconditions::orphans_into_empty_parent(table, fk, &fk.columns)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::preconditions::Class;

    fn schema(sql: &str) -> Schema {
        let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
        crate::dialect::normalize_schema(&mut s, &server());
        s
    }

    fn server() -> ServerInfo {
        ServerInfo::parse("10.11.19-MariaDB")
    }

    fn effect(op: EffectOp, table: &str, object: &str, definition: &str) -> Effect {
        Effect {
            version: "1".into(),
            step: 1,
            op,
            table: table.into(),
            object: object.into(),
            definition: definition.into(),
            sql: String::new(),
        }
    }

    fn world() -> World {
        World {
            prefix: "mt_".into(),
            server: server(),
            foreign_keys_elsewhere: vec![],
            others: Schema::default(),
        }
    }

    const LIVE: &str = "CREATE TABLE mt_log (id INT NOT NULL, lead_id INT DEFAULT NULL, \
        properties LONGTEXT DEFAULT NULL COMMENT '(DC2Type:json_array)', d DATETIME DEFAULT NULL, \
        PRIMARY KEY (id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; \
        CREATE TABLE mt_leads (id INT NOT NULL, PRIMARY KEY (id));";

    fn classes(e: &Effect, mode: &str) -> Vec<(Class, u16)> {
        let live = schema(LIVE);
        of_effect(e, "mt_", &live, &live, &server(), SqlMode::parse(mode))
            .into_iter()
            .map(|p| (p.class, p.error.number()))
            .collect()
    }

    #[test]
    fn each_op_gets_its_classes() {
        let json = effect(
            EffectOp::ModifyColumn,
            "log",
            "properties",
            "`properties` JSON DEFAULT NULL COMMENT '(DC2Type:json)'",
        );
        assert!(classes(&json, "").contains(&(Class::InvalidJson, 4025)));
        let not_null = effect(
            EffectOp::ModifyColumn,
            "log",
            "lead_id",
            "`lead_id` INT NOT NULL",
        );
        assert_eq!(
            classes(&not_null, "STRICT_TRANS_TABLES"),
            [(Class::NotNull, 1265)]
        );
        assert!(classes(&not_null, "").is_empty());
        let unique = effect(EffectOp::AddIndex, "log", "u", "UNIQUE INDEX u (lead_id)");
        assert_eq!(classes(&unique, ""), [(Class::Duplicates, 1062)]);
        let plain = effect(EffectOp::AddIndex, "log", "i", "INDEX i (lead_id)");
        assert!(classes(&plain, "").is_empty());
        let fk = effect(
            EffectOp::AddForeignKey,
            "log",
            "FK_1",
            "CONSTRAINT FK_1 FOREIGN KEY (lead_id) REFERENCES leads (id)",
        );
        let live = schema(LIVE);
        let p = of_effect(&fk, "mt_", &live, &live, &server(), SqlMode::default());
        assert_eq!(p[0].class, Class::Orphans);
        assert!(p[0].count_sql.contains("`mt_leads`"), "{}", p[0].count_sql);
        // A table the path creates has no rows to check.
        let other = effect(EffectOp::AddIndex, "new_table", "u", "UNIQUE INDEX u (a)");
        assert!(classes(&other, "").is_empty());
    }

    #[test]
    fn rows_in_the_way_stop_only_the_first_statement_meeting_them() {
        let modify = |step: u32, object: &str, definition: &str| Effect {
            step,
            ..effect(EffectOp::ModifyColumn, "log", object, definition)
        };
        let effects = std::collections::BTreeMap::from([(
            "1".to_string(),
            vec![
                modify(1, "lead_id", "`lead_id` SMALLINT DEFAULT NULL"),
                modify(2, "lead_id", "`lead_id` TINYINT DEFAULT NULL"),
            ],
        )]);
        let live = schema(LIVE);
        let mode = SqlMode::parse("STRICT_TRANS_TABLES,NO_ZERO_DATE");
        let found = of_migrations([("1", &live)], &effects, &world(), &live, mode);
        let zero: Vec<u32> = found
            .iter()
            .filter(|c| c.precondition.class == Class::ZeroDates)
            .map(|c| c.step)
            .collect();
        assert_eq!(zero, [1]);
        // Each narrowing is its own range, so both statements keep theirs.
        assert_eq!(
            found
                .iter()
                .filter(|c| c.precondition.class == Class::Narrowing)
                .count(),
            2
        );
    }

    /// A unique key over a column an earlier migration of the run adds (with one value in
    /// every row) groups the rows by the columns they have: judged on the live schema, the
    /// added column was unknown and the key was not checked at all.
    #[test]
    fn a_key_over_a_column_added_earlier_on_the_path_is_checked() {
        let add = Effect {
            version: "1".into(),
            ..effect(
                EffectOp::AddColumn,
                "log",
                "rotation",
                "`rotation` INT NOT NULL DEFAULT 1",
            )
        };
        let unique = Effect {
            version: "2".into(),
            ..effect(
                EffectOp::AddIndex,
                "log",
                "u",
                "UNIQUE INDEX u (lead_id, rotation)",
            )
        };
        let effects = std::collections::BTreeMap::from([
            ("1".to_string(), vec![add.clone()]),
            ("2".to_string(), vec![unique]),
        ]);
        let live = schema(LIVE);
        let w = world();
        let steps: Vec<crate::mautic::path::Step> = effects
            .iter()
            .map(|(version, effects)| crate::mautic::path::Step {
                version,
                guard: &crate::mautic::guards::Guard::None,
                effects,
            })
            .collect();
        let path =
            crate::mautic::path::fold(&live, &steps, &w, crate::mautic::path::Keep::EachStep);
        let runs = ["1", "2"].into_iter().zip(&path.before);
        let found = of_migrations(runs, &effects, &w, &live, SqlMode::default());
        let dup: Vec<&StatementCheck> = found
            .iter()
            .filter(|c| c.precondition.class == Class::Duplicates)
            .collect();
        assert_eq!(dup.len(), 1, "{found:?}");
        assert_eq!(dup[0].migration, "Version2");
        assert!(
            dup[0].precondition.count_sql.contains("`lead_id`"),
            "{}",
            dup[0].precondition.count_sql
        );
        assert!(
            !dup[0].precondition.count_sql.contains("rotation"),
            "{}",
            dup[0].precondition.count_sql
        );
    }

    #[test]
    fn a_copy_meets_zero_dates_under_no_zero_date() {
        let narrow = effect(
            EffectOp::ModifyColumn,
            "log",
            "lead_id",
            "`lead_id` SMALLINT DEFAULT NULL",
        );
        let mode = "STRICT_TRANS_TABLES,NO_ZERO_DATE";
        let found = classes(&narrow, mode);
        assert!(found.contains(&(Class::Narrowing, 1264)), "{found:?}");
        assert!(found.contains(&(Class::ZeroDates, 1292)), "{found:?}");
        assert!(!classes(&narrow, "STRICT_TRANS_TABLES").contains(&(Class::ZeroDates, 1292)));
    }
}
