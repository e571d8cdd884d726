//! Mautic's own guards (migrations-index/guards.tsv, read from each migration's PHP by
//! tools/migindex/guards.py): the condition under which a migration skips itself
//! (`SkipMigration`, `skipIf`, PreUpAssertionMigration's assertions). A migration whose effects
//! would meet an object already there does not fail when its guard holds on this database: Mautic
//! skips it.

use std::collections::BTreeMap;

use crate::schema::{Schema, Table};

/// One condition on the schema, as the guard checks it. Tables are unprefixed; names may
/// carry `{prefix}` for the install's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    Table {
        table: String,
        exists: bool,
    },
    Column {
        table: String,
        column: String,
        exists: bool,
    },
    Index {
        table: String,
        index: String,
        exists: bool,
    },
    ForeignKey {
        table: String,
        key: String,
        exists: bool,
    },
    /// Doctrine's type of the column (`text`, `string`, `boolean`, ...) is (or is not) `ty`.
    ColumnType {
        table: String,
        column: String,
        ty: String,
        is: bool,
    },
    /// The install's table prefix is empty (or not).
    PrefixEmpty(bool),
}

/// A migration's guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// Nothing skips it.
    None,
    /// Code the extractor cannot express, and why.
    Unknown(String),
    /// Skipped when any alternative holds; an alternative holds when all its atoms do.
    Any(Vec<Vec<Atom>>),
}

impl std::fmt::Display for Atom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = |b: bool| if b { "exists" } else { "missing" };
        match self {
            Atom::Table { table, exists } => write!(f, "table_{} {table}", state(*exists)),
            Atom::Column {
                table,
                column,
                exists,
            } => write!(f, "column_{} {table}.{column}", state(*exists)),
            Atom::Index {
                table,
                index,
                exists,
            } => write!(f, "index_{} {table}.{index}", state(*exists)),
            Atom::ForeignKey { table, key, exists } => {
                write!(f, "fk_{} {table}.{key}", state(*exists))
            }
            Atom::ColumnType {
                table,
                column,
                ty,
                is,
            } => write!(
                f,
                "column_type_is{} {table}.{column} {ty}",
                if *is { "" } else { "_not" }
            ),
            Atom::PrefixEmpty(true) => f.write_str("prefix_empty"),
            Atom::PrefixEmpty(false) => f.write_str("prefix_set"),
        }
    }
}

impl std::fmt::Display for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Guard::None => f.write_str("none"),
            Guard::Unknown(why) => write!(f, "unknown: {why}"),
            Guard::Any(alts) => {
                let alts: Vec<String> = alts.iter().map(|a| alternative_text(a)).collect();
                f.write_str(&alts.join(" OR "))
            }
        }
    }
}

/// One alternative as guards.tsv writes it: its atoms joined by ` AND `.
fn alternative_text(alt: &[Atom]) -> String {
    alt.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn parse_atom(text: &str) -> Option<Atom> {
    let mut words = text.split_whitespace();
    let op = words.next()?;
    let arg = words.next().unwrap_or("");
    let extra = words.next();
    let dotted = || {
        arg.split_once('.')
            .map(|(t, o)| (t.to_string(), o.to_string()))
    };
    let atom = match op {
        "table_exists" | "table_missing" => Atom::Table {
            table: arg.to_string(),
            exists: op == "table_exists",
        },
        "column_exists" | "column_missing" => {
            let (table, column) = dotted()?;
            Atom::Column {
                table,
                column,
                exists: op == "column_exists",
            }
        }
        "index_exists" | "index_missing" => {
            let (table, index) = dotted()?;
            Atom::Index {
                table,
                index,
                exists: op == "index_exists",
            }
        }
        "fk_exists" | "fk_missing" => {
            let (table, key) = dotted()?;
            Atom::ForeignKey {
                table,
                key,
                exists: op == "fk_exists",
            }
        }
        "column_type_is" | "column_type_is_not" => {
            let (table, column) = dotted()?;
            Atom::ColumnType {
                table,
                column,
                ty: extra?.to_string(),
                is: op == "column_type_is",
            }
        }
        "prefix_empty" => Atom::PrefixEmpty(true),
        "prefix_set" => Atom::PrefixEmpty(false),
        _ => return None,
    };
    (op.starts_with("prefix") || !arg.is_empty()).then_some(atom)
}

/// One guard as guards.tsv writes it; a text it cannot read is `Unknown`, saying so.
pub fn parse_guard(text: &str) -> Guard {
    if text == "none" {
        return Guard::None;
    }
    if let Some(why) = text.strip_prefix("unknown:") {
        return Guard::Unknown(why.trim().to_string());
    }
    let alts: Option<Vec<Vec<Atom>>> = text
        .split(" OR ")
        .map(|alt| alt.split(" AND ").map(parse_atom).collect())
        .collect();
    match alts {
        Some(alts) if !alts.is_empty() => Guard::Any(alts),
        _ => Guard::Unknown(format!(
            "guards.tsv has a guard this version cannot read: {text}"
        )),
    }
}

/// version → guard, from guards.tsv's text.
pub fn parse_guards(tsv: &str) -> BTreeMap<String, Guard> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), parse_guard(cols.next()?)))
        })
        .collect()
}

/// The bundled guards, by migration version.
pub fn by_version() -> &'static BTreeMap<String, Guard> {
    static MAP: std::sync::OnceLock<BTreeMap<String, Guard>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| parse_guards(super::embedded::GUARDS_TSV))
}

/// The bundled guard of one migration; one guards.tsv does not list cannot be judged.
pub fn of(version: &str) -> Guard {
    by_version()
        .get(version)
        .cloned()
        .unwrap_or_else(|| Guard::Unknown("guards.tsv has no row for it".into()))
}

/// A guard on this very database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judged {
    /// Mautic skips the migration: the alternative that holds, as guards.tsv writes it.
    Holds(String),
    /// The migration runs.
    DoesNotHold,
    /// The guard cannot be judged here, and why.
    CannotJudge(String),
}

/// Judge `guard` on `live` (prefixed tables). An alternative that cannot be judged does not
/// decide unless no other alternative holds.
pub fn judge(guard: &Guard, live: &Schema, prefix: &str) -> Judged {
    let alts = match guard {
        Guard::None => return Judged::DoesNotHold,
        Guard::Unknown(why) => return Judged::CannotJudge(why.clone()),
        Guard::Any(alts) => alts,
    };
    let mut doubt = None;
    for alt in alts {
        let mut holds = Some(true);
        for atom in alt {
            match atom_holds(atom, live, prefix) {
                Ok(true) => {}
                Ok(false) => {
                    holds = Some(false);
                    break;
                }
                Err(why) => {
                    doubt.get_or_insert(why);
                    holds = None;
                }
            }
        }
        if holds == Some(true) {
            return Judged::Holds(alternative_text(alt));
        }
    }
    match doubt {
        Some(why) => Judged::CannotJudge(why),
        None => Judged::DoesNotHold,
    }
}

fn atom_holds(atom: &Atom, live: &Schema, prefix: &str) -> Result<bool, String> {
    // Doctrine's getTable() throws on a missing table before the guard decides anything.
    let table = |t: &str| -> Result<&Table, String> {
        live.table(&format!("{prefix}{t}")).ok_or_else(|| {
            format!("table {prefix}{t} does not exist, so Doctrine fails reading the guard")
        })
    };
    let name = |n: &str| n.replace("{prefix}", prefix);
    Ok(match atom {
        Atom::Table { table: t, exists } => {
            live.table(&format!("{prefix}{t}")).is_some() == *exists
        }
        Atom::Column {
            table: t,
            column,
            exists,
        } => table(t)?.column(&name(column)).is_some() == *exists,
        Atom::Index {
            table: t,
            index,
            exists,
        } => table(t)?.index(&name(index)).is_some() == *exists,
        Atom::ForeignKey {
            table: t,
            key,
            exists,
        } => table(t)?.foreign_key(&name(key)).is_some() == *exists,
        Atom::ColumnType {
            table: t,
            column,
            ty,
            is,
        } => {
            let c = table(t)?.column(column).ok_or_else(|| {
                format!("column {prefix}{t}.{column} does not exist, so Doctrine fails reading the guard")
            })?;
            let doctrine = doctrine_type(c).ok_or_else(|| {
                format!(
                    "which Doctrine type {prefix}{t}.{column} ({}) reads as is not known",
                    c.ty.name
                )
            })?;
            (doctrine == ty.as_str()) == *is
        }
        Atom::PrefixEmpty(empty) => prefix.is_empty() == *empty,
    })
}

/// The Doctrine type DBAL's MySQL schema manager reads a column as: the `(DC2Type:x)` comment
/// wins, else the type name (MySQLPlatform's type mappings).
fn doctrine_type(c: &crate::schema::Column) -> Option<&str> {
    if let Some(rest) = c.comment.split("(DC2Type:").nth(1) {
        return rest.split(')').next();
    }
    Some(match c.ty.name.as_str() {
        "tinytext" | "text" | "mediumtext" | "longtext" => "text",
        "char" | "varchar" => "string",
        "tinyint" => "boolean",
        "smallint" => "smallint",
        "int" | "integer" | "mediumint" => "integer",
        "bigint" => "bigint",
        "datetime" | "timestamp" => "datetime",
        "date" => "date",
        "time" => "time",
        "json" => "json",
        "decimal" | "numeric" => "decimal",
        "float" | "double" | "real" => "float",
        "tinyblob" | "blob" | "mediumblob" | "longblob" => "blob",
        "binary" | "varbinary" => "binary",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_back_every_guard_form() {
        for text in [
            "none",
            "table_exists plugins",
            "column_exists focus.editor AND column_exists focus.html",
            "column_exists pages.is_preference_center OR column_exists emails.preference_center_id",
            "index_missing page_hits.{prefix}page_date_hit",
            "column_type_is_not form_submissions.referer string",
            "fk_exists leads.FK_1",
            "prefix_empty OR index_exists lead_event_log.x",
        ] {
            assert_eq!(parse_guard(text).to_string(), text);
        }
        assert_eq!(
            parse_guard("unknown: condition $found"),
            Guard::Unknown("condition $found".into())
        );
        assert!(matches!(
            parse_guard("column_exists nodot"),
            Guard::Unknown(_)
        ));
        assert!(matches!(parse_guard("made_up x"), Guard::Unknown(_)));
    }

    /// Every migration of the bundled index has its guard, read from its PHP source.
    #[test]
    fn every_indexed_migration_has_a_guard_row() {
        let guards = parse_guards(crate::mautic::embedded::GUARDS_TSV);
        let index = crate::mautic::migrations::index();
        assert!(!index.is_empty());
        let missing: Vec<&str> = index
            .iter()
            .filter(|m| !guards.contains_key(&m.version))
            .map(|m| m.version.as_str())
            .collect();
        assert!(missing.is_empty(), "no guard row for {missing:?}");
        // No row guards.py wrote is one this reader cannot read.
        let unread: Vec<&String> = guards
            .iter()
            .filter(|(_, g)| matches!(g, Guard::Unknown(w) if w.starts_with("guards.tsv has")))
            .map(|(v, _)| v)
            .collect();
        assert!(unread.is_empty(), "unreadable guards: {unread:?}");
    }

    /// Guards read from the PHP by hand, against what guards.py extracted.
    #[test]
    fn known_guards_are_extracted_right() {
        let guards = parse_guards(crate::mautic::embedded::GUARDS_TSV);
        let col = |t: &str, c: &str, exists| Atom::Column {
            table: t.into(),
            column: c.into(),
            exists,
        };
        let cases = [
            // preUp: if (all four columns) throw SkipMigrationException
            (
                "20170216221648",
                Guard::Any(vec![vec![
                    col("focus", "editor", true),
                    col("focus", "html", true),
                    col("focus", "html_mode", true),
                    col("focus", "utm_tags", true),
                ]]),
            ),
            // preUp: if ($table1->hasColumn(..) || $table2->hasColumn(..)) throw
            (
                "20170923014659",
                Guard::Any(vec![
                    vec![col("pages", "is_preference_center", true)],
                    vec![col("emails", "preference_center_id", true)],
                ]),
            ),
            // PreUpAssertionMigration: two assertions, skipped when both hold; names from
            // private methods returning "{$this->prefix}..."
            (
                "20231206152313",
                Guard::Any(vec![vec![
                    Atom::Index {
                        table: "email_stats".into(),
                        index: "{prefix}stat_email_lead_id_date_sent".into(),
                        exists: true,
                    },
                    Atom::Index {
                        table: "email_stats".into(),
                        index: "{prefix}stat_email_email_id_is_read".into(),
                        exists: true,
                    },
                ]]),
            ),
            // if (!($column->getType() instanceof StringType)) throw
            (
                "20161004080958",
                Guard::Any(vec![vec![Atom::ColumnType {
                    table: "form_submissions".into(),
                    column: "referer".into(),
                    ty: "string".into(),
                    is: false,
                }]]),
            ),
            // skipAssertion(fn => !$schema->hasTable(...))
            (
                "20230519154448",
                Guard::Any(vec![vec![Atom::Table {
                    table: "plugin_crm_pipedrive_owners".into(),
                    exists: false,
                }]]),
            ),
            // up() only, no check
            ("20160712000000", Guard::None),
        ];
        for (version, want) in cases {
            assert_eq!(guards.get(version), Some(&want), "{version}");
        }
        // A guard over rows is not expressible: unknown, with the reason.
        assert!(
            matches!(guards.get("zz20230929183000"), Some(Guard::Unknown(w)) if w.contains("count($matches)"))
        );
    }
}
