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
        "1061" => {
            // The name it has here, which on a prefixed install may carry the prefix.
            let live = error.split(' ').nth(2).unwrap_or(&e.object);
            (
                format!("SHOW INDEX FROM {t} WHERE Key_name = {}", lit(live)),
                format!("ALTER TABLE {t} DROP INDEX {}", quote_ident(live)),
            )
        }
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
        (AddIndex, Some(t)) => match live_name(obj, prefix, |n| t.index(n).is_some()) {
            Named::Found(n) => Some(format!("1061: index {n} on {name} already exists")),
            _ => None,
        },
        (DropIndex, Some(t)) => match live_name(obj, prefix, |n| t.index(n).is_some()) {
            Named::Absent => Some(format!("1091: index {obj} on {name} does not exist")),
            _ => None,
        },
        (DropForeignKey, Some(t)) => match live_name(obj, prefix, |n| t.foreign_key(n).is_some()) {
            Named::Absent => Some(format!("1091: foreign key {obj} on {name} does not exist")),
            _ => None,
        },
        _ => None,
    }
}

/// What an index or key of effects.tsv is called on this install.
#[derive(Debug, PartialEq, Eq)]
enum Named {
    /// The live name the object has.
    Found(String),
    /// Neither name the migration could give it exists.
    Absent,
    /// Its name on this install cannot be known: Doctrine's generated names (`IDX_`, `FK_`,
    /// `UNIQ_` and a hash) hash the prefixed table name, and effects.tsv was extracted without
    /// a prefix. Not judged, rather than a false "does not exist".
    Unknowable,
}

/// effects.tsv names an index as the migration wrote it for an empty prefix: on a prefixed
/// install it is that name (a constant such as `integration_integration_object_name_...`) or
/// the prefix and that name (`{$this->prefix}focus_name`), whichever the migration used.
fn live_name(obj: &str, prefix: &str, exists: impl Fn(&str) -> bool) -> Named {
    let prefixed = format!("{prefix}{obj}");
    if let Some(n) = [obj, prefixed.as_str()].into_iter().find(|n| exists(n)) {
        return Named::Found(n.to_string());
    }
    if !prefix.is_empty() && is_generated_name(obj) {
        return Named::Unknowable;
    }
    Named::Absent
}

/// Doctrine's generated identifier: `IDX_`/`FK_`/`UNIQ_` and upper-case hex digits.
pub(crate) fn is_generated_name(name: &str) -> bool {
    ["IDX_", "FK_", "UNIQ_"].iter().any(|p| {
        name.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
            && name[p.len()..].len() >= 8
            && name[p.len()..].bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// "half-applied: VersionX (summary): has ...; not done: ..." lines, and "recorded but not applied"
/// lines, for the explanation. Each effect that does not hold says why itself ("column x.y is
/// missing"), so no "missing" goes before it.
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
                "half-applied: {} ({}): has {}; not done: {}",
                m.class_name(),
                m.summary,
                list(&ev.holding),
                list(&ev.missing)
            ));
        } else if ev.absent() && recorded(&m.version) {
            lines.push(format!(
                "recorded as executed but not applied: {} ({}): {}",
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
                "not applied yet: {} ({}): {}",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// On a prefixed install an index the migration names `{prefix}x` is found as `mt_x`, one
    /// named by a constant as `x`; a generated name is not judged (its hash covers the
    /// prefixed table). Before, only `x` was looked for: `mt_x` was "missing", so a pending
    /// DROP INDEX looked like a certain 1091 and an existing `mt_x` hid a certain 1061.
    #[test]
    fn index_names_on_a_prefixed_install() {
        let live = [
            "mt_focus_name",
            "integration_object_name",
            "IDX_AAAABBBBCCCC",
        ];
        let exists = |n: &str| live.iter().any(|l| l.eq_ignore_ascii_case(n));
        assert_eq!(
            live_name("focus_name", "mt_", exists),
            Named::Found("mt_focus_name".into())
        );
        assert_eq!(
            live_name("integration_object_name", "mt_", exists),
            Named::Found("integration_object_name".into())
        );
        assert_eq!(live_name("other", "mt_", exists), Named::Absent);
        assert_eq!(
            live_name("IDX_1234567890ABCDEF", "mt_", exists),
            Named::Unknowable
        );
        assert_eq!(live_name("IDX_1234567890ABCDEF", "", exists), Named::Absent);
        assert_eq!(live_name("focus_name", "", exists), Named::Absent);
        assert!(!is_generated_name("idx_frequency_date_added"));
        assert!(is_generated_name("FK_B7A8C1BD6B8E1B1A"));
    }
}
