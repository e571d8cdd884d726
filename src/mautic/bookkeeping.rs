//! Recording migrations: the statements that create a missing migrations table and mark
//! schema-only migrations as executed once the schema has them, and the exact Mautic command
//! for migrations that also change data (never marked silently).

use super::migrations::{Migration, MigrationKind, MigrationState};
use super::release::Release;
use crate::comparison::Bookkeeping;
use crate::schema::{Table, quote_ident, quote_string};

/// The release whose rows the live migrations table takes: the layout it has (the one
/// [`Statement::CreateTable`] makes for a missing table), or the target's when that is older. A 4.x table on an install
/// repaired against 5.x takes short versions and no `execution_time`; Mautic 5's first
/// `migrate` alters it and rewrites those rows to class names (FACTS §3.1).
fn layout(live: Option<&Table>, target: Release) -> Release {
    let has = |c: &str| live.is_some_and(|t| t.column(c).is_some());
    let table = match live {
        None => target,
        Some(_) if has("execution_time") => Release(5, 0, 0),
        Some(_) if has("executed_at") => Release(4, 0, 0),
        Some(_) => Release(2, 0, 0),
    };
    // A newer layout than the target's takes the target's rows as they are.
    table.min(target)
}

/// The columns a migrations table has, as each release's Doctrine Migrations made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Mautic 2.x: `version` alone.
    Version,
    /// Mautic 3.x and 4.x: `version` VARCHAR(14) and `executed_at`.
    ExecutedAt,
    /// Mautic 5.x on: `version` VARCHAR(191) (class names), `executed_at`, `execution_time`.
    ExecutionTime,
}

impl Layout {
    /// The layout a table of `release` has (the one a missing table is created with).
    pub fn of(release: Release) -> Layout {
        match release.0 {
            0..=2 => Layout::Version,
            3 | 4 => Layout::ExecutedAt,
            _ => Layout::ExecutionTime,
        }
    }
}

/// One statement of the migrations bookkeeping, as data: what it does to which table. Its SQL
/// is rendered by [`Statement::sql`] only, for printing, the JSON document and running it; what
/// the bookkeeping does is read from here, never from that SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// CREATE TABLE: the missing migrations table, in `layout`.
    CreateTable { table: String, layout: Layout },
    /// ALTER TABLE: a table of an older layout (`from`) brought to Mautic 5's, as Mautic 5's
    /// `doctrine:migrations:sync-metadata-storage` does.
    ToMautic5Layout { table: String, from: Layout },
    /// UPDATE: the rows of these short versions take their class names, as that command
    /// rewrites them.
    ClassNames {
        table: String,
        versions: Vec<String>,
    },
    /// INSERT IGNORE: one row per value of `versions` (as the table takes them: class names in
    /// Mautic 5's layout), recording it as executed.
    Record {
        table: String,
        layout: Layout,
        versions: Vec<String>,
    },
}

impl Statement {
    /// The migrations table the statement writes.
    pub fn table(&self) -> &str {
        match self {
            Statement::CreateTable { table, .. }
            | Statement::ToMautic5Layout { table, .. }
            | Statement::ClassNames { table, .. }
            | Statement::Record { table, .. } => table,
        }
    }

    /// DDL: it commits an open transaction, so it runs before the rows' transaction.
    pub fn is_ddl(&self) -> bool {
        match self {
            Statement::CreateTable { .. } | Statement::ToMautic5Layout { .. } => true,
            Statement::ClassNames { .. } | Statement::Record { .. } => false,
        }
    }

    /// The statement's SQL: the one place it is written.
    pub fn sql(&self) -> String {
        let t = quote_ident(self.table());
        match self {
            Statement::CreateTable { layout, .. } => match layout {
                Layout::Version => format!(
                    "CREATE TABLE {t} (`version` VARCHAR(255) NOT NULL, PRIMARY KEY(`version`)) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB"
                ),
                Layout::ExecutedAt => format!(
                    "CREATE TABLE {t} (`version` VARCHAR(14) NOT NULL, `executed_at` DATETIME NOT NULL COMMENT '(DC2Type:datetime_immutable)', PRIMARY KEY(`version`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB ROW_FORMAT = DYNAMIC"
                ),
                Layout::ExecutionTime => format!(
                    "CREATE TABLE {t} (`version` VARCHAR(191) NOT NULL, `executed_at` DATETIME DEFAULT NULL, `execution_time` INT DEFAULT NULL, PRIMARY KEY(`version`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB ROW_FORMAT = DYNAMIC"
                ),
            },
            Statement::ToMautic5Layout { from, .. } => {
                let executed_at = if *from == Layout::Version {
                    "ADD"
                } else {
                    "MODIFY"
                };
                format!(
                    "ALTER TABLE {t} MODIFY `version` VARCHAR(191) NOT NULL, {executed_at} `executed_at` DATETIME DEFAULT NULL, ADD `execution_time` INT DEFAULT NULL"
                )
            }
            Statement::ClassNames { versions, .. } => {
                let short: Vec<String> = versions.iter().map(|v| quote_string(v)).collect();
                format!(
                    "UPDATE {t} SET `version` = CONCAT('Mautic\\\\Migrations\\\\Version', `version`) WHERE `version` IN ({})",
                    short.join(", ")
                )
            }
            Statement::Record {
                layout, versions, ..
            } => {
                let rows: Vec<String> = versions
                    .iter()
                    .map(|v| {
                        let v = quote_string(v);
                        match layout {
                            Layout::Version => format!("({v})"),
                            Layout::ExecutedAt => format!("({v}, NOW())"),
                            Layout::ExecutionTime => format!("({v}, NOW(), NULL)"),
                        }
                    })
                    .collect();
                let cols = match layout {
                    Layout::Version => "(`version`)",
                    Layout::ExecutedAt => "(`version`, `executed_at`)",
                    Layout::ExecutionTime => "(`version`, `executed_at`, `execution_time`)",
                };
                format!(
                    "INSERT IGNORE INTO {t} {cols} VALUES\n  {}",
                    rows.join(",\n  ")
                )
            }
        }
    }
}

/// `schema_complete`: the plan leaves no drift behind (nothing held back). A schema-only
/// migration is recorded as executed when its effects hold: already (`applied_now`, from the
/// evidence on the live schema; false for every migration without effects data), or once the
/// plan has run on a complete schema (only effects the release's own schema shows are judged,
/// so the plan, which makes the schema the release's, leaves every judged effect holding).
pub fn bookkeeping(
    state: &MigrationState,
    index: &[Migration],
    prefix: &str,
    target: Release,
    schema_complete: bool,
    applied_now: &dyn Fn(&str) -> bool,
    live_table: Option<&Table>,
) -> Bookkeeping {
    let rows_as = layout(live_table, target);
    let table = format!("{prefix}migrations");
    let mut b = Bookkeeping::default();
    let provable = |m: &Migration| schema_complete || applied_now(&m.version);
    let all: Vec<&Migration> = super::migrations::of_release(index, target);

    if !state.has_records() {
        let opening = if state.rows_unknown {
            b.held_back.push(format!(
                "recording the migrations of {target}: the rows of {table} are unknown (the dump has no rows; read the database itself)"
            ));
            return b;
        } else if state.table_present {
            format!("{table} is empty: record")
        } else {
            b.statements.push((
                format!(
                    "{table} is missing: the next upgrade would re-run every migration of {target}"
                ),
                Statement::CreateTable {
                    table: table.clone(),
                    layout: Layout::of(target),
                },
            ));
            "record".to_string()
        };
        record_whole_release(
            &mut b,
            state,
            &all,
            &table,
            (target, rows_as),
            schema_complete,
            &opening,
        );
        return b;
    }
    let (proven, waiting): (Vec<&Migration>, Vec<&Migration>) = state
        .pending
        .iter()
        .filter(|m| m.kind != MigrationKind::Data)
        .partition(|m| provable(m));
    if !proven.is_empty() {
        let why = format!(
            "record {} schema-only migration(s) whose changes the schema {}has",
            proven.len(),
            if schema_complete { "now " } else { "already " }
        );
        push_record(&mut b, &table, (target, rows_as), &all, why, &proven);
    }
    if !waiting.is_empty() {
        b.held_back.push(format!(
            "recording {} schema-only migration(s): {}",
            waiting.len(),
            "the schema still differs"
        ));
    }
    for m in state
        .pending
        .iter()
        .filter(|m| m.kind == MigrationKind::Data)
    {
        b.manual
            .push(data_migration_advice(m, target, applied_now(&m.version)));
    }
    b
}

/// The statement that records `ms`, written as the table takes them. A table of Mautic 4's
/// Doctrine Migrations on a 5.x target is first brought to 5.x's layout, as Mautic 5's
/// `doctrine:migrations:sync-metadata-storage` (run by its first `migrate`) does: its
/// `VARCHAR(14)` cannot hold `020230615115326` (INSERT IGNORE would cut it to a wrong row), and
/// Mautic 5 reads class names. The rows of the release's own migrations take their class
/// names too, as that command rewrites them; the other short rows stay, as they do there.
fn push_record(
    b: &mut Bookkeeping,
    table: &str,
    (target, rows_as): (Release, Release),
    all: &[&Migration],
    why: String,
    ms: &[&Migration],
) {
    let rows_as = if rows_as.0 < 5 && target.0 >= 5 {
        b.statements.push((
            format!("{table} has the layout of Mautic 4's Doctrine Migrations: bring it to Mautic {}'s, as `doctrine:migrations:sync-metadata-storage` does", target.0),
            Statement::ToMautic5Layout {
                table: table.to_string(),
                from: Layout::of(rows_as),
            },
        ));
        if !all.is_empty() {
            b.statements.push((
                format!("rows of the migrations of {target} take their class names"),
                Statement::ClassNames {
                    table: table.to_string(),
                    versions: all.iter().map(|m| m.version.clone()).collect(),
                },
            ));
        }
        target
    } else {
        rows_as
    };
    b.statements.push((
        why,
        Statement::Record {
            table: table.to_string(),
            layout: Layout::of(rows_as),
            versions: ms.iter().map(|m| m.row_version(rows_as)).collect(),
        },
    ));
}

/// A table that records nothing (missing or empty) on a release's schema: like Mautic's
/// installer, record every migration of the release once the schema is the release's whole.
fn record_whole_release(
    b: &mut Bookkeeping,
    state: &MigrationState,
    all: &[&Migration],
    table: &str,
    (target, rows_as): (Release, Release),
    schema_complete: bool,
    opening: &str,
) {
    if schema_complete && !all.is_empty() {
        let why = format!(
            "{opening} the {} migrations of {target} as executed, as Mautic's installer does",
            all.len()
        );
        push_record(b, table, (target, rows_as), all, why, all);
    } else if !all.is_empty() {
        b.held_back.push(format!(
            "recording the migrations of {target}: the schema still differs"
        ));
    } else if !state.covered {
        b.held_back.push(format!(
            "recording the migrations of {target}: the bundled migrations index does not list them (it {})",
            super::migrations::reach_text(&super::migrations::index())
        ));
    }
}

/// What to do about a pending migration that changes data. When the schema already shows its
/// effects, it ran (or the schema was made whole without it): running it would fail on them or
/// repeat its data changes (a migration that copies rows copies them twice), so the advice is
/// to record it once its data changes are there, never to run it.
fn data_migration_advice(m: &Migration, target: Release, effects_present: bool) -> String {
    if effects_present {
        format!(
            "{} changes data too ({}): its schema changes are already there, so do not run it \
             (it would fail on them, or make its data changes twice); once its data changes are \
             there (made by it before, or by hand), record it: `{}`",
            m.class_name(),
            m.summary,
            m.record_command(target)
        )
    } else {
        format!(
            "{} changes data too ({}): run `{}`",
            m.class_name(),
            m.summary,
            m.command(target)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What runs before the rows' transaction is exactly what would commit it: every CREATE
    /// and ALTER (the ALTER to Mautic 5's layout ran inside it, and the UPDATE and INSERT
    /// after it were no longer one transaction).
    #[test]
    fn ddl_is_what_commits_a_transaction() {
        let t = "migrations".to_string();
        let all = [
            Statement::CreateTable {
                table: t.clone(),
                layout: Layout::ExecutionTime,
            },
            Statement::ToMautic5Layout {
                table: t.clone(),
                from: Layout::Version,
            },
            Statement::ClassNames {
                table: t.clone(),
                versions: vec!["20190101000000".into()],
            },
            Statement::Record {
                table: t.clone(),
                layout: Layout::Version,
                versions: vec!["20190101000000".into()],
            },
        ];
        for s in &all {
            let sql = s.sql();
            let commits = sql.starts_with("CREATE ") || sql.starts_with("ALTER ");
            assert_eq!(s.is_ddl(), commits, "{sql}");
        }
    }

    fn table(sql: &str) -> Table {
        crate::sql::parse_schema_sql(sql, &|_| false)
            .schema
            .tables
            .into_values()
            .next()
            .unwrap()
    }

    /// Rows go in as the table takes them: a 4.x table on a 5.x target is brought to 5.x's
    /// layout first (its VARCHAR(14) cannot hold `020230615115326`); a 5.x table on a 4.x
    /// target takes the target's rows.
    #[test]
    fn rows_follow_the_table_and_the_target() {
        let v4 = table(
            "CREATE TABLE migrations (version VARCHAR(14) NOT NULL, executed_at DATETIME NOT NULL, PRIMARY KEY(version))",
        );
        let v5 = table(
            "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version))",
        );
        let (r4, r5) = (Release(4, 4, 13), Release(5, 1, 1));
        assert_eq!(layout(Some(&v4), r5), Release(4, 0, 0));
        assert_eq!(layout(Some(&v5), r4), r4);
        assert_eq!(layout(None, r5), r5);
        let m = Migration {
            version: "020230615115326".into(),
            first: Release(5, 0, 0),
            last: Release(6, 0, 3),
            kind: MigrationKind::Schema,
            summary: String::new(),
            tables: Vec::new(),
        };
        let mut b = Bookkeeping::default();
        push_record(
            &mut b,
            "migrations",
            (r5, layout(Some(&v4), r5)),
            &[&m],
            "why".into(),
            &[&m],
        );
        let sql: Vec<String> = b.statements.iter().map(|(_, s)| s.sql()).collect();
        assert!(
            sql[0].starts_with("ALTER TABLE `migrations` MODIFY `version` VARCHAR(191)"),
            "{sql:?}"
        );
        assert!(sql[1].starts_with("UPDATE `migrations`"), "{sql:?}");
        assert!(
            sql[2].contains("Version020230615115326', NOW(), NULL)"),
            "{sql:?}"
        );
    }
}
