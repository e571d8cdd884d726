//! Which release a schema is at, when its migrations cannot say: the release(s) whose
//! reference it matches best, by a structural score over table and column names.

use std::collections::BTreeSet;

use super::prefix::apply_prefix;
use super::references;
use super::release::{Release, range_text};
use crate::dialect::ServerInfo;
use crate::schema::Schema;

/// Score of a schema against a reference: tables present on one side only (among the tables
/// any release knows) plus columns present on one side only, outside the custom-field tables.
fn score(
    live: &Schema,
    reference: &Schema,
    known_tables: &BTreeSet<String>,
    prefix: &str,
) -> usize {
    let mut s = 0;
    for name in known_tables {
        if live.tables.contains_key(name) != reference.tables.contains_key(name) {
            s += 10;
        }
    }
    for (name, rt) in &reference.tables {
        let base = name.strip_prefix(prefix).unwrap_or(name);
        if base == "leads" || base == "companies" {
            continue;
        }
        let Some(lt) = live.table(name) else { continue };
        s += rt
            .columns
            .iter()
            .filter(|c| lt.column(&c.name).is_none())
            .count();
        s += lt
            .columns
            .iter()
            .filter(|c| rt.column(&c.name).is_none())
            .count();
    }
    s
}

/// Best-matching releases, as a range (`2.12.0-2.12.2`), and their score (0 = exact on names).
pub fn detect(live: &Schema, server: &ServerInfo, prefix: &str) -> Option<(String, usize)> {
    let releases = references::releases();
    let mut loaded: Vec<(Release, &'static str, Schema)> = Vec::new();
    for r in releases {
        let (file, _) = references::reference_ddl(r)?;
        if let Some((_, f, s)) = loaded.iter().find(|(_, f, _)| *f == file) {
            let s = s.clone();
            loaded.push((r, f, s));
            continue;
        }
        let mut s = references::load(r, server).ok()?;
        apply_prefix(&mut s, prefix);
        loaded.push((r, file, s));
    }
    let known: BTreeSet<String> = loaded
        .iter()
        .flat_map(|(_, _, s)| s.tables.keys().cloned())
        .collect();
    let scored: Vec<(Release, usize)> = loaded
        .iter()
        .map(|(r, _, s)| (*r, score(live, s, &known, prefix)))
        .collect();
    let best = scored.iter().map(|(_, s)| *s).min()?;
    let group: Vec<Release> = scored
        .iter()
        .filter(|(_, s)| *s == best)
        .map(|(r, _)| *r)
        .collect();
    Some((range_text(&group), best))
}
