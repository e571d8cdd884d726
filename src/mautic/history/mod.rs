//! What Mautic's own upgrade path leaves on a site (migrations-index/history.tsv): every
//! difference between the fold of a bundled release X through the migrations to a later Y
//! (`pairs`) and Y's reference that the Mautic policy leaves as drift, classified
//! (`classify`): history the code cannot notice (`legacy` in `check`), or a change Y made
//! without a migration (drift, explained). `check` reads the file; the generator and its
//! test (tests in `tests.rs`) keep it equal to what the fold gives.

pub mod classify;
mod mark;
pub mod pairs;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use super::embedded::HISTORY_TSV;
use super::release::Release;
pub use classify::Class;
pub use mark::{file_release, mark};

/// The collation history.tsv gives a table a migration created without a character set (the
/// fold's `database_collation`): on a site it is the database's default, which `mark` reads.
pub const DATABASE_DEFAULT: &str = "database_default";

/// One row of history.tsv: a difference between the fold and the reference, seen for every
/// target reference from `from` to `until` (release names of reference files).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub from: Release,
    pub until: Release,
    pub table: String,
    pub kind: String,
    pub object: String,
    /// The difference as the diff words it (live side first), unprefixed.
    pub difference: String,
    pub class: Class,
    pub reason: String,
}

pub const HEADER: &str = "\
# What Mautic's own migrations leave on an upgraded site, against the release's reference.
# Generated, do not edit: UPDATE_GOLDEN=1 cargo test --lib mautic::history (src/mautic/history/).
# For every pair X < Y of bundled references whose migrations the index knows, X's reference is
# folded through the migrations a site on X runs to reach Y (stopping at each major's last
# release, in Mautic's order; src/mautic/path) and the end compared with Y's reference through
# the Mautic policy; what stays drift is listed once, for the references Y from..until it shows on.
# class history: the code cannot notice it (check calls it legacy); forgotten: Y changed its
# entities without a migration (check keeps it drift and names the release and the consequence).
# Generated for MariaDB 10.11. database_default: the collation of the site's database (a table a
# migration created without a character set takes it).
# columns: from, until, table, kind, object, difference, class, reason
";

/// The rows of every pair, deduplicated: one row per difference, from the first target
/// reference it shows on to the last.
pub fn generate() -> Vec<Row> {
    let server = pairs::server();
    // (table, kind, object, difference) → (first and last target, class, reason)
    type Key = (String, String, String, String);
    let mut seen: BTreeMap<Key, (Release, Release, Class, String)> = BTreeMap::new();
    for (x, y) in pairs::pairs() {
        let Some(fold) = pairs::fold_pair(x, y, &server) else {
            continue;
        };
        for c in fold.drift() {
            let key = (
                c.table.clone(),
                c.kind.as_str().to_string(),
                c.object.clone(),
                base_detail(&c.detail).to_string(),
            );
            let (class, reason) = classify::classify(c);
            let e = seen.entry(key).or_insert((y, y, class, reason));
            e.0 = e.0.min(y);
            e.1 = e.1.max(y);
        }
    }
    let mut rows: Vec<Row> = seen
        .into_iter()
        .map(
            |((table, kind, object, difference), (from, until, class, reason))| Row {
                from,
                until,
                table,
                kind,
                object,
                difference,
                class,
                reason,
            },
        )
        .collect();
    rows.sort();
    rows
}

/// The diff's own words, without what a policy appended (" — why").
fn base_detail(detail: &str) -> &str {
    detail.split(" — ").next().unwrap_or(detail)
}

pub fn render(rows: &[Row]) -> String {
    let mut out = HEADER.to_string();
    for r in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.from,
            r.until,
            r.table,
            r.kind,
            r.object,
            r.difference,
            r.class.as_str(),
            r.reason
        ));
    }
    out
}

pub fn parse(text: &str) -> Vec<Row> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [from, until, table, kind, object, difference, class, reason] = f[..] else {
                return None;
            };
            Some(Row {
                from: Release::parse(from)?,
                until: Release::parse(until)?,
                table: table.into(),
                kind: kind.into(),
                object: object.into(),
                difference: difference.into(),
                class: Class::parse(class)?,
                reason: reason.into(),
            })
        })
        .collect()
}

/// The bundled rows, parsed once.
pub fn rows() -> &'static [Row] {
    static ROWS: std::sync::OnceLock<Vec<Row>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| parse(HISTORY_TSV))
}
