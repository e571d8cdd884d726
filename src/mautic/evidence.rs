//! Migrations judged by their effects on this very database (see `effects`): which are applied,
//! half-applied or not applied whatever the migrations table says, which differences a
//! migration should have made (never `legacy`), and what Mautic would meet running one.

use std::collections::BTreeMap;

use super::effects::{Effect, EffectOp, Evidence, by_version, evidence};
use super::migrations::{Migration, of_release};
use super::release::Release;
use crate::dialect::ServerInfo;
use crate::diff::{Change, ChangeKind, Severity};
use crate::schema::{Schema, quote_ident, quote_string};

/// The migrations of `release` in the order Doctrine runs them (by version string: the 5.x
/// `0…`-prefixed and `zz…` classes sort where Mautic puts them).
pub fn chain(index: &[Migration], release: Release) -> Vec<&Migration> {
    let mut ms = of_release(index, release);
    ms.sort_by(|a, b| a.version.cmp(&b.version));
    ms
}

/// Every migration of the chain of `release`, judged on `schema` (the install's tables,
/// prefixed) by the effects `reference` (the release's schema, prefixed alike) shows. Empty
/// when the bundled index carries no effects.
pub fn judge(
    index: &[Migration],
    release: Release,
    schema: &Schema,
    reference: &Schema,
    prefix: &str,
    server: &ServerInfo,
) -> BTreeMap<String, Evidence> {
    let effects = by_version();
    if effects.is_empty() {
        return BTreeMap::new();
    }
    let versions: Vec<String> = chain(index, release)
        .iter()
        .map(|m| m.version.clone())
        .collect();
    evidence(&versions, effects, schema, Some(reference), prefix, server)
}

/// A difference that a migration of the chain should have made (its effect is missing on this
/// object) is drift, whatever history would otherwise excuse it: the migration is named, and
/// whether the migrations table claims it ran. Returns how many were promoted.
///
/// A column a foreign key links (either side) is left to the key alignment: promoting one side
/// alone (a child made unsigned while its legacy parent stays signed) would ask for a key the
/// server refuses (errno 150).
pub fn promote_missing_effects(
    changes: &mut [Change],
    judged: &BTreeMap<String, Evidence>,
    recorded: &dyn Fn(&str) -> bool,
    prefix: &str,
    live: &Schema,
) -> usize {
    let effects = by_version();
    let linked = |table: &str, column: &str| {
        live.tables.values().any(|t| {
            t.foreign_keys.iter().any(|fk| {
                (t.name.eq_ignore_ascii_case(table)
                    && fk.columns.iter().any(|c| c.eq_ignore_ascii_case(column)))
                    || (fk.ref_table.eq_ignore_ascii_case(table)
                        && fk
                            .ref_columns
                            .iter()
                            .any(|c| c.eq_ignore_ascii_case(column)))
            })
        })
    };
    let mut promoted = 0;
    for c in changes
        .iter_mut()
        .filter(|c| c.severity == Severity::Legacy && !linked(&c.table, &c.object))
    {
        // The migration whose own (not superseded) effect on this object is missing.
        let Some(version) = judged.iter().find_map(|(v, ev)| {
            let hit = effects.get(v)?.iter().any(|e| {
                effect_is_change(e, c, prefix)
                    && ev.missing_objects.iter().any(|(t, o)| {
                        t.eq_ignore_ascii_case(&e.table) && o.eq_ignore_ascii_case(&e.object)
                    })
            });
            hit.then_some(v)
        }) else {
            continue;
        };
        c.severity = Severity::Drift;
        let state = if recorded(version) {
            "recorded as executed, but this change of it is missing"
        } else {
            "pending"
        };
        c.detail = format!(
            "{} — effect of migration Version{version} ({state})",
            c.detail
        );
        promoted += 1;
    }
    promoted
}

/// Whether effect `e` is the change `c` reports (same table and object, a kind the effect
/// makes).
fn effect_is_change(e: &Effect, c: &Change, prefix: &str) -> bool {
    if !c
        .table
        .eq_ignore_ascii_case(&format!("{prefix}{}", e.table))
    {
        return false;
    }
    let same_object = c.object.eq_ignore_ascii_case(&e.object);
    match e.op {
        EffectOp::ModifyColumn | EffectOp::AddColumn => {
            same_object
                && matches!(
                    c.kind,
                    ChangeKind::ColumnDiffers | ChangeKind::MissingColumn
                )
        }
        // `CONVERT TO CHARACTER SET` changes every text column too.
        EffectOp::TableOptions => {
            c.kind == ChangeKind::TableOptionsDiffer
                || (c.kind == ChangeKind::ColumnDiffers
                    && e.definition.to_ascii_uppercase().contains("CONVERT TO"))
        }
        _ => false,
    }
}

/// What Mautic would meet running a migration now, from its effects on the live schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foresight {
    /// Every effect is already there: running it again fails or does nothing; record it.
    AlreadyDone,
    /// An effect meets an object that is (or is not) there: the statement, the server error it
    /// would get, and how to see and clear what is in the way.
    WouldFail(Conflict),
    /// Its effects are not there yet, nothing in the way.
    WillRun,
    /// Nothing in the schema tells (data, or effects not extracted).
    Unknown,
}

/// Foresee one migration: `ev` is its evidence on the live schema, `effects` its rows.
pub fn foresee(
    ev: Option<&Evidence>,
    effects: &[Effect],
    live: &Schema,
    prefix: &str,
) -> Foresight {
    let Some(ev) = ev else {
        return Foresight::Unknown;
    };
    if ev.applied() {
        return Foresight::AlreadyDone;
    }
    // What the migration's own earlier statements create is there for its later ones.
    let mut made: std::collections::BTreeSet<(String, String)> = Default::default();
    for e in effects {
        let table = e.table.to_ascii_lowercase();
        let own = made.contains(&(table.clone(), String::new()))
            || made.contains(&(table.clone(), e.object.to_ascii_lowercase()));
        if !own && let Some(error) = conflict(e, live, prefix) {
            return Foresight::WouldFail(error);
        }
        match e.op {
            EffectOp::CreateTable => {
                made.insert((table, String::new()));
            }
            EffectOp::RenameTable => {
                made.insert((e.object.to_ascii_lowercase(), String::new()));
            }
            EffectOp::AddColumn | EffectOp::AddIndex | EffectOp::AddForeignKey => {
                made.insert((table, e.object.to_ascii_lowercase()));
            }
            _ => {}
        }
    }
    if ev.holding.is_empty() && ev.missing.is_empty() {
        Foresight::Unknown
    } else {
        Foresight::WillRun
    }
}

/// A statement of a migration the server would refuse on this database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The migration's statement (unprefixed, as effects.tsv has it).
    pub statement: String,
    /// "1060: column mautic_leads.x already exists".
    pub error: String,
    /// A query that shows what is in the way.
    pub query: String,
    /// What clears it.
    pub fix: String,
}

/// The error a statement of the effect would get on `live`, when it would get one: creating
/// what exists (1050, 1060, 1061), or changing or dropping what does not (1146, 1054, 1091).
fn conflict(e: &Effect, live: &Schema, prefix: &str) -> Option<Conflict> {
    let error = conflict_error(e, live, prefix)?;
    let name = format!("{prefix}{}", e.table);
    let (t, o) = (quote_ident(&name), quote_ident(&e.object));
    let lit = |s: &str| quote_string(s);
    let columns = format!(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
        lit(&name)
    );
    // Whatever the release before expects is what `apply` restores; then Mautic's statement runs.
    let restore = "mautic-schema apply (makes the schema what the detected release has), then run the upgrade";
    let (query, fix) = match error.split(':').next().unwrap_or("") {
        "1050" => (
            format!("SHOW CREATE TABLE {t}; SELECT COUNT(*) FROM {t}"),
            format!(
                "RENAME TABLE {t} TO {} (keeps its rows aside; drop it once they are not needed)",
                quote_ident(&format!("{name}_before_upgrade"))
            ),
        ),
        "1060" => (
            format!("{columns} AND COLUMN_NAME = {}", lit(&e.object)),
            format!("ALTER TABLE {t} DROP COLUMN {o} (copy its values first if they matter)"),
        ),
        "1061" => (
            format!("SHOW INDEX FROM {t} WHERE Key_name = {}", lit(&e.object)),
            format!("ALTER TABLE {t} DROP INDEX {o}"),
        ),
        "1051/1146" | "1146" => (
            format!(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE {}",
                lit(&format!("%{}%", e.table))
            ),
            restore.to_string(),
        ),
        "1054" => (columns, restore.to_string()),
        _ if e.op == EffectOp::DropForeignKey => (
            format!(
                "SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = {}",
                lit(&name)
            ),
            restore.to_string(),
        ),
        _ => (format!("SHOW INDEX FROM {t}"), restore.to_string()),
    };
    Some(Conflict {
        statement: e.sql.clone(),
        error,
        query,
        fix,
    })
}

fn conflict_error(e: &Effect, live: &Schema, prefix: &str) -> Option<String> {
    let name = format!("{prefix}{}", e.table);
    let table = live.table(&name);
    let obj = &e.object;
    use EffectOp::*;
    match (e.op, table) {
        (CreateTable, Some(_)) => Some(format!("1050: table {name} already exists")),
        (DropTable | RenameTable, None) => Some(format!("1051/1146: table {name} does not exist")),
        (
            AddColumn | ModifyColumn | DropColumn | AddIndex | DropIndex | AddForeignKey
            | DropForeignKey | TableOptions,
            None,
        ) => Some(format!("1146: table {name} does not exist")),
        (AddColumn, Some(t)) if t.column(obj).is_some() => {
            Some(format!("1060: column {name}.{obj} already exists"))
        }
        (ModifyColumn | DropColumn, Some(t)) if t.column(obj).is_none() => {
            Some(format!("1054: column {name}.{obj} does not exist"))
        }
        (AddIndex, Some(t)) if t.index(obj).is_some() => {
            Some(format!("1061: index {obj} on {name} already exists"))
        }
        (DropIndex, Some(t)) if t.index(obj).is_none() => {
            Some(format!("1091: index {obj} on {name} does not exist"))
        }
        (DropForeignKey, Some(t)) if t.foreign_key(obj).is_none() => {
            Some(format!("1091: foreign key {obj} on {name} does not exist"))
        }
        _ => None,
    }
}

/// "half-applied: VersionX (summary): has ...; missing ..." lines, and "recorded but not
/// applied" lines, for the explanation.
pub fn explain_lines(
    chain: &[&Migration],
    judged: &BTreeMap<String, Evidence>,
    recorded: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut not_yet = Vec::new();
    for m in chain {
        let Some(ev) = judged.get(&m.version) else {
            continue;
        };
        let list = |v: &[String]| {
            let mut s = v.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            if v.len() > 3 {
                s.push_str(&format!(" and {} more", v.len() - 3));
            }
            s
        };
        if ev.partial() {
            lines.push(format!(
                "half-applied: {} ({}): has {}; missing {}",
                m.class_name(),
                m.summary,
                list(&ev.holding),
                list(&ev.missing)
            ));
        } else if ev.absent() && recorded(&m.version) {
            lines.push(format!(
                "recorded as executed but not applied: {} ({}): missing {}",
                m.class_name(),
                m.summary,
                list(&ev.missing)
            ));
        } else if ev.applied() && !recorded(&m.version) {
            lines.push(format!(
                "applied but not recorded: {} ({}): its effects are all present",
                m.class_name(),
                m.summary
            ));
        } else if ev.absent() {
            not_yet.push(format!(
                "not applied yet: {} ({}): missing {}",
                m.class_name(),
                m.summary,
                list(&ev.missing)
            ));
        }
    }
    let more = not_yet.len().saturating_sub(5);
    lines.extend(not_yet.into_iter().take(5));
    if more > 0 {
        lines.push(format!("not applied yet: {more} more migration(s)"));
    }
    lines
}
