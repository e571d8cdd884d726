//! Which release a schema is at, when its migrations cannot say: the release(s) whose
//! reference it matches best, by names first and then by structure.
//!
//! The score of a reference is its name score (tables present on one side only, columns
//! present on one side only; from the names build.rs extracted, see `names.rs`) plus its
//! structure score (column types, nullability, defaults, auto-increment and comments; indexes
//! and foreign keys by definition, so that prefixed installs' generated names do not count).
//! Releases whose schemas differ only in types or keys (2.12.0 and 2.12.2 have the same names)
//! are told apart by the second part.
//!
//! Parsing a reference costs milliseconds, so not all of them are parsed: the name score is a
//! lower bound of the total, and references are parsed in order of name score until the next
//! one's name score alone is worse than the best total found. A database that matches a
//! release (total 0) parses only the references with the same names, usually one or two; the
//! answer is the same as if every reference had been scored.

use std::collections::{BTreeMap, BTreeSet};

use super::embedded::REFERENCE_NAMES;
use super::names::Names;
use super::references;
use super::release::{Release, range_text};
use crate::dialect::ServerInfo;
use crate::schema::{Schema, Table};

/// The names build.rs extracted from a reference file: tables sorted, each with its sorted
/// lower-case column names (build.rs writes them from ordered sets). Borrowed as they are: the
/// binary carries some forty references, and copying them into maps cost more than parsing.
type RefNames = &'static [(&'static str, &'static [&'static str])];

fn prebuilt(file: &str) -> RefNames {
    REFERENCE_NAMES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, t)| *t)
        .unwrap_or_default()
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
/// present on one side only count 1. Custom fields (columns and indexes of `leads` and
/// `companies`) count like any difference: the same for every reference, they move all scores
/// by the same amount, while a stock column one release has and another lacks (2.6.1 added
/// `leads.timezone`) still tells those releases apart.
fn name_score(live: &Names, reference: RefNames, known: &BTreeSet<&str>) -> usize {
    let has = |t: &str| reference.binary_search_by(|(r, _)| (*r).cmp(t)).is_ok();
    let mut s = 0;
    for t in known {
        if live.contains_key(*t) != has(t) {
            s += 10;
        }
    }
    for (t, rcols) in reference {
        if let Some(lcols) = live.get(*t) {
            s += sorted_symmetric_difference(
                rcols.iter().copied(),
                lcols.iter().map(|c| c.as_str()),
            );
        }
    }
    s
}

/// How many items are in one sorted sequence only (a merge, no sets built).
fn sorted_symmetric_difference<'a>(
    a: impl Iterator<Item = &'a str>,
    b: impl Iterator<Item = &'a str>,
) -> usize {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    let mut n = 0;
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                std::cmp::Ordering::Less => {
                    n += 1;
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    n += 1;
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    a.next();
                    b.next();
                }
            },
            (Some(_), None) => return n + a.count(),
            (None, _) => return n + b.count(),
        }
    }
}

/// An index as its definition, whatever its name.
fn index_keys(t: &Table) -> Vec<String> {
    t.indexes
        .iter()
        .map(|i| {
            let parts: Vec<String> = i
                .parts
                .iter()
                .map(|p| {
                    format!(
                        "{}{}{}",
                        p.column.to_ascii_lowercase(),
                        p.prefix.map(|n| format!("({n})")).unwrap_or_default(),
                        if p.descending { " desc" } else { "" }
                    )
                })
                .collect();
            format!("{:?} {}", i.kind, parts.join(","))
        })
        .collect()
}

/// A foreign key as its definition, the referenced table without the prefix.
fn fk_keys(t: &Table, prefix: &str) -> Vec<String> {
    t.foreign_keys
        .iter()
        .map(|f| {
            format!(
                "{} > {}({}) {:?} {:?}",
                f.columns.join(",").to_ascii_lowercase(),
                f.ref_table.strip_prefix(prefix).unwrap_or(&f.ref_table),
                f.ref_columns.join(",").to_ascii_lowercase(),
                f.on_delete,
                f.on_update
            )
        })
        .collect()
}

/// Items present on one side only, as multisets.
fn multiset_diff(live: Vec<String>, reference: Vec<String>) -> usize {
    let mut count: BTreeMap<String, i64> = BTreeMap::new();
    for k in reference {
        *count.entry(k).or_default() += 1;
    }
    for k in live {
        *count.entry(k).or_default() -= 1;
    }
    count.values().map(|&n| n.unsigned_abs() as usize).sum()
}

/// Differences of structure between the tables both sides have: per column, its type counts
/// 2 and nullability, default, auto-increment and comment 1 each; per index or foreign key
/// (by definition) present on one side only, 1.
fn structure_score(live: &Schema, prefix: &str, reference: &Schema) -> usize {
    let mut s = 0;
    for (name, rt) in &reference.tables {
        let Some(lt) = live.tables.get(&format!("{prefix}{name}")) else {
            continue;
        };
        for rc in &rt.columns {
            let Some(lc) = lt.column(&rc.name) else {
                continue;
            };
            s += 2 * usize::from(lc.ty != rc.ty)
                + usize::from(lc.nullable != rc.nullable)
                + usize::from(lc.default != rc.default)
                + usize::from(lc.auto_increment != rc.auto_increment)
                + usize::from(lc.comment != rc.comment);
        }
        s += multiset_diff(index_keys(lt), index_keys(rt));
        s += multiset_diff(fk_keys(lt, prefix), fk_keys(rt, ""));
    }
    s
}

/// What detection found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// The best-matching releases, oldest first (those sharing the best reference file).
    pub releases: Vec<Release>,
    /// Their reference file(s).
    pub files: Vec<&'static str>,
    /// 0: the schema is exactly that reference, as far as detection looks (custom fields
    /// count too).
    pub score: usize,
}

impl Detection {
    /// `2.12.0-2.12.1`, or one release.
    pub fn range(&self) -> String {
        range_text(&self.releases)
    }
}

/// The best-matching releases for a live schema (its tables carrying `prefix`), with the
/// references normalized for `server` like the live side.
pub fn detect(live: &Schema, prefix: &str, server: &ServerInfo) -> Option<Detection> {
    let mut releases_of: BTreeMap<&'static str, Vec<Release>> = BTreeMap::new();
    for r in references::releases() {
        let (file, _) = references::reference_ddl(r)?;
        releases_of.entry(file).or_default().push(r);
    }
    let names: BTreeMap<&'static str, RefNames> =
        releases_of.keys().map(|f| (*f, prebuilt(f))).collect();
    let known: BTreeSet<&str> = names
        .values()
        .flat_map(|n| n.iter().map(|(t, _)| *t))
        .collect();
    let live_n = live_names(live, prefix);
    let mut by_names: Vec<(usize, &'static str)> = names
        .iter()
        .map(|(f, n)| (name_score(&live_n, n, &known), *f))
        .collect();
    by_names.sort();
    let mut best: Option<(usize, Vec<&'static str>)> = None;
    let mut i = 0;
    while i < by_names.len() {
        let lower = by_names[i].0;
        if best.as_ref().is_some_and(|(b, _)| lower > *b) {
            break;
        }
        // References with the same name score are parsed side by side (two cores halve the
        // usual case: two references with the same names).
        let group: Vec<&'static str> = by_names[i..]
            .iter()
            .take_while(|(l, _)| *l == lower)
            .map(|(_, f)| *f)
            .collect();
        i += group.len();
        let totals: Vec<Option<usize>> = std::thread::scope(|scope| {
            let handles: Vec<_> = group
                .iter()
                .map(|file| {
                    scope.spawn(move || {
                        references::parse_cached(file, server)
                            .ok()
                            .map(|r| lower + structure_score(live, prefix, &r))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        for (file, total) in group.into_iter().zip(totals) {
            let Some(total) = total else { continue };
            match &mut best {
                Some((b, files)) if total == *b => files.push(file),
                Some((b, _)) if total > *b => {}
                _ => best = Some((total, vec![file])),
            }
        }
    }
    let (score, files) = best?;
    let mut releases: Vec<Release> = files
        .iter()
        .flat_map(|f| releases_of[f].iter().copied())
        .collect();
    releases.sort();
    Some(Detection {
        releases,
        files,
        score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name_score` binary-searches and merges the embedded names: they must be sorted the
    /// way `str` orders, tables and columns alike.
    #[test]
    fn embedded_names_are_sorted() {
        for (file, tables) in REFERENCE_NAMES {
            assert!(tables.windows(2).all(|w| w[0].0 < w[1].0), "{file}");
            for (t, cols) in *tables {
                assert!(cols.windows(2).all(|w| w[0] < w[1]), "{file} {t}");
            }
        }
    }

    #[test]
    fn symmetric_difference_of_sorted_names() {
        let d = |a: &[&str], b: &[&str]| {
            sorted_symmetric_difference(a.iter().copied(), b.iter().copied())
        };
        assert_eq!(d(&["a", "b", "d"], &["b", "c", "d", "e"]), 3);
        assert_eq!(d(&[], &["x"]), 1);
        assert_eq!(d(&["x", "y"], &[]), 2);
        assert_eq!(d(&["x"], &["x"]), 0);
    }
}
