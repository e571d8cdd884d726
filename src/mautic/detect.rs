//! Which release a schema is at, when its migrations cannot say: the release(s) whose
//! reference it matches best, by a structural score over table and column names.
//!
//! Detection looks at every bundled reference, so it uses only their table and column names,
//! extracted at build time (see `names.rs` and build.rs): no reference is parsed at run time,
//! which keeps `check` well under the time of `mysqldump --no-data`.

use std::collections::{BTreeMap, BTreeSet};

use super::embedded::REFERENCE_NAMES;
use super::names::Names;
use super::references;
use super::release::{Release, range_text};
use crate::schema::Schema;

/// The names build.rs extracted from a reference file.
fn prebuilt(file: &str) -> Option<Names> {
    let (_, tables) = REFERENCE_NAMES.iter().find(|(f, _)| *f == file)?;
    Some(
        tables
            .iter()
            .map(|(t, cols)| (t.to_string(), cols.iter().map(|c| c.to_string()).collect()))
            .collect(),
    )
}

fn live_names(schema: &Schema, prefix: &str) -> Names {
    schema
        .tables
        .iter()
        .map(|(n, t)| {
            (
                n.strip_prefix(prefix).unwrap_or(n).to_string(),
                t.columns
                    .iter()
                    .map(|c| c.name.to_ascii_lowercase())
                    .collect(),
            )
        })
        .collect()
}

/// Tables present on one side only (among the tables any release knows) count 10; columns
/// present on one side only count 1, outside the custom-field tables.
fn score(live: &Names, reference: &Names, known: &BTreeSet<&String>) -> usize {
    let mut s = 0;
    for t in known {
        if live.contains_key(*t) != reference.contains_key(*t) {
            s += 10;
        }
    }
    for (t, rcols) in reference {
        if t == "leads" || t == "companies" {
            continue;
        }
        if let Some(lcols) = live.get(t) {
            s += rcols.symmetric_difference(lcols).count();
        }
    }
    s
}

/// Best-matching releases, as a range (`2.12.0-2.12.2`), and their score (0 = exact on names).
pub fn detect(live: &Schema, prefix: &str) -> Option<(String, usize)> {
    let mut by_file: BTreeMap<&'static str, Names> = BTreeMap::new();
    let mut releases: Vec<(Release, &'static str)> = Vec::new();
    for r in references::releases() {
        let (file, _) = references::reference_ddl(r)?;
        by_file
            .entry(file)
            .or_insert_with(|| prebuilt(file).unwrap_or_default());
        releases.push((r, file));
    }
    let known: BTreeSet<&String> = by_file.values().flat_map(|n| n.keys()).collect();
    let live = live_names(live, prefix);
    let scored: Vec<(Release, usize)> = releases
        .iter()
        .map(|(r, f)| (*r, score(&live, &by_file[f], &known)))
        .collect();
    let best = scored.iter().map(|(_, s)| *s).min()?;
    let group: Vec<Release> = scored
        .iter()
        .filter(|(_, s)| *s == best)
        .map(|(r, _)| *r)
        .collect();
    Some((range_text(&group), best))
}
