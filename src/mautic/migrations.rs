//! Mautic's migrations table against the bundled migrations index: which migrations of the
//! target release are applied, pending or unknown, and which release the applied set points
//! to (FACTS §3).

use std::collections::BTreeSet;

use super::embedded::{MIGRATIONS_TSV, RELEASES_TSV, SOURCES_TSV};
use super::release::{Release, range_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MigrationKind {
    /// Changes only the schema: once the schema matches, it can be recorded as executed.
    Schema,
    /// Also changes rows, files or configuration: must be run by Mautic itself.
    Data,
    /// Does nothing on MySQL.
    Noop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Class suffix after `Version`: `20230615101328`, `020230615115326`, `zz20230929183000`.
    pub version: String,
    pub first: Release,
    pub last: Release,
    pub kind: MigrationKind,
    pub summary: String,
    /// Unprefixed tables it touches, as far as its code names them.
    pub tables: Vec<String>,
}

impl Migration {
    pub fn class_name(&self) -> String {
        format!("Version{}", self.version)
    }

    pub fn in_release(&self, r: Release) -> bool {
        self.first <= r && r <= self.last
    }

    /// The row Mautic writes for it: short version up to 4.x, fully qualified class from 5.0.
    pub fn row_version(&self, target: Release) -> String {
        if target.0 >= 5 {
            format!("Mautic\\Migrations\\Version{}", self.version)
        } else {
            self.version.clone()
        }
    }

    /// The command that runs this one migration on an install of `target`.
    pub fn command(&self, target: Release) -> String {
        format!(
            "{} doctrine:migrations:execute --up {}",
            target.console(),
            self.console_argument(target)
        )
    }

    /// The migration as the console of `target` names it: its row's version, quoted where it
    /// is a class name (the backslashes must reach Doctrine as they are).
    fn console_argument(&self, target: Release) -> String {
        let v = self.row_version(target);
        if target.0 >= 5 { format!("'{v}'") } else { v }
    }
}

impl Migration {
    /// The command that records this migration as executed without running it (every
    /// DoctrineMigrations release Mautic shipped takes `version <version> --add`).
    pub fn record_command(&self, target: Release) -> String {
        format!(
            "{} doctrine:migrations:version --add --no-interaction {}",
            target.console(),
            self.console_argument(target)
        )
    }
}

/// The bundled index (tab-separated: version, first release, last release, kind, summary, ...).
pub fn index() -> Vec<Migration> {
    MIGRATIONS_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let kind = match f.get(3)?.trim() {
                "schema" => MigrationKind::Schema,
                "noop" => MigrationKind::Noop,
                "data" => MigrationKind::Data,
                _ => return None,
            };
            Some(Migration {
                version: f[0].trim().to_string(),
                first: Release::parse(f.get(1)?)?,
                last: Release::parse(f.get(2)?)?,
                kind,
                summary: f.get(4).unwrap_or(&"").trim().to_string(),
                tables: f
                    .get(5)
                    .map(|t| {
                        t.split(',')
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A row of the migrations table in any of its three formats → the class suffix.
pub fn row_to_version(row: &str) -> String {
    let r = row.trim();
    let last = r.rsplit('\\').next().unwrap_or(r);
    last.strip_prefix("Version").unwrap_or(last).to_string()
}

/// Migrations known for a release, in version order.
pub fn of_release(index: &[Migration], r: Release) -> Vec<&Migration> {
    let mut v: Vec<&Migration> = index.iter().filter(|m| m.in_release(r)).collect();
    v.sort_by(|a, b| a.version.cmp(&b.version));
    v
}

/// Every release the index knows, oldest first.
pub fn index_releases(index: &[Migration]) -> BTreeSet<Release> {
    let listed: BTreeSet<Release> = RELEASES_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| Release::parse(l.split('\t').next()?))
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    // Without the releases file, the ends of the (contiguous) ranges are the releases known.
    index.iter().flat_map(|m| [m.first, m.last]).collect()
}

/// Releases read from forks (migrations-index/sources.tsv): past the official history, where
/// only the releases a fork carries are listed and the ones between them are unknown.
fn fork_releases() -> BTreeSet<Release> {
    SOURCES_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| Release::parse(l.split('\t').next()?))
        .collect()
}

/// The newest release up to which the index lists every release (the official history).
fn complete_until(releases: &BTreeSet<Release>, forks: &BTreeSet<Release>) -> Option<Release> {
    releases.iter().rev().find(|r| !forks.contains(r)).copied()
}

/// Whether the index knows the migrations of `target`: every release up to the end of the
/// official history, past it only the releases a fork supplied (5.2.3 between 5.2.0 and 6.0.3
/// may have added migrations the index cannot know).
pub fn covers(index: &[Migration], target: Release) -> bool {
    covers_with(&index_releases(index), &fork_releases(), target)
}

fn covers_with(releases: &BTreeSet<Release>, forks: &BTreeSet<Release>, target: Release) -> bool {
    releases.contains(&target) || complete_until(releases, forks).is_some_and(|c| target <= c)
}

/// What the index covers, for messages: "ends at 5.1.1", or with fork releases "covers every
/// release to 5.1.1, then only 5.2.0 and 6.0.3".
pub fn reach_text(index: &[Migration]) -> String {
    reach_text_with(&index_releases(index), &fork_releases())
}

fn reach_text_with(releases: &BTreeSet<Release>, forks: &BTreeSet<Release>) -> String {
    let Some(until) = complete_until(releases, forks) else {
        return "lists no release".into();
    };
    let later: Vec<String> = releases
        .iter()
        .filter(|r| **r > until)
        .map(|r| r.to_string())
        .collect();
    match later.split_last() {
        None => format!("ends at {until}"),
        Some((last, [])) => format!("covers every release to {until}, then only {last}"),
        Some((last, rest)) => format!(
            "covers every release to {until}, then only {} and {last}",
            rest.join(", ")
        ),
    }
}

#[derive(Debug, Clone, Default)]
pub struct MigrationState {
    /// The migrations table exists (its rows may still be unknown or none).
    pub table_present: bool,
    /// The table exists but its rows cannot be read: a dump made without rows (`--no-data`).
    /// Nothing is pending, applied or unknown, because nothing can be said.
    pub rows_unknown: bool,
    /// The index knows the migrations of the target. When it does not (a release newer than
    /// the index), `pending` and `unknown` are empty because nothing can be said, not because
    /// nothing is pending; `reach_text` says what the index covers.
    pub covered: bool,
    pub applied: Vec<String>,
    pub pending: Vec<Migration>,
    /// Rows for migrations the target release does not ship (deleted at a major, or plugins).
    pub unknown: Vec<String>,
}

impl MigrationState {
    pub fn pending_of(&self, kind: MigrationKind) -> impl Iterator<Item = &Migration> {
        self.pending.iter().filter(move |m| m.kind == kind)
    }

    /// The table records something: only then do its rows say what ran. A missing table, an
    /// empty one and one whose rows are unknown say nothing, and are judged alike (FACTS §3.3:
    /// an install made without recording its migrations has the release's schema whole).
    pub fn has_records(&self) -> bool {
        self.table_present && !self.applied.is_empty()
    }
}

/// What the migrations table holds, as far as the live side tells.
#[derive(Debug, Clone, Copy)]
pub enum Recorded<'a> {
    NoTable,
    /// The table exists; its rows are not known (a dump without rows).
    Unknown,
    Rows(&'a [String]),
}

/// Compare the rows of the migrations table with a release.
pub fn state(index: &[Migration], recorded: Recorded<'_>, target: Release) -> MigrationState {
    let covered = covers(index, target);
    let rows = match recorded {
        // A fresh install often has no table at all (FACTS §3.3): nothing counts as pending.
        Recorded::NoTable => {
            return MigrationState {
                covered,
                ..Default::default()
            };
        }
        Recorded::Unknown => {
            return MigrationState {
                table_present: true,
                rows_unknown: true,
                covered,
                ..Default::default()
            };
        }
        // An empty table records nothing: judged like a missing one, nothing pending.
        Recorded::Rows([]) => {
            return MigrationState {
                table_present: true,
                covered,
                ..Default::default()
            };
        }
        Recorded::Rows(rows) => rows,
    };
    if !covered {
        return MigrationState {
            table_present: true,
            covered,
            applied: rows
                .iter()
                .map(|r| row_to_version(r))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            ..Default::default()
        };
    }
    let applied: BTreeSet<String> = rows.iter().map(|r| row_to_version(r)).collect();
    let wanted = of_release(index, target);
    let wanted_set: BTreeSet<&str> = wanted.iter().map(|m| m.version.as_str()).collect();
    MigrationState {
        table_present: true,
        rows_unknown: false,
        covered,
        applied: applied.iter().cloned().collect(),
        pending: wanted
            .into_iter()
            .filter(|m| !applied.contains(&m.version))
            .cloned()
            .collect(),
        unknown: applied
            .iter()
            .filter(|v| !wanted_set.contains(v.as_str()))
            .cloned()
            .collect(),
    }
}

/// The releases whose every migration is applied, narrowed to the newest such group: the
/// database's version according to its migrations, as a range when patch releases added none.
pub fn release_from_rows(
    index: &[Migration],
    releases: &BTreeSet<Release>,
    rows: &[String],
) -> Option<String> {
    let applied: BTreeSet<String> = rows.iter().map(|r| row_to_version(r)).collect();
    if applied.is_empty() {
        return None;
    }
    let complete: Vec<Release> = releases
        .iter()
        .copied()
        .filter(|r| {
            let ms = of_release(index, *r);
            !ms.is_empty() && ms.iter().all(|m| applied.contains(&m.version))
        })
        .collect();
    let newest = *complete.last()?;
    // Releases sharing the newest one's migration set.
    let key = |r: Release| {
        of_release(index, r)
            .iter()
            .map(|m| m.version.clone())
            .collect::<Vec<_>>()
    };
    let newest_key = key(newest);
    let group: Vec<Release> = complete
        .into_iter()
        .filter(|r| key(*r) == newest_key)
        .collect();
    Some(range_text(&group))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: &str, first: &str, last: &str, kind: MigrationKind) -> Migration {
        Migration {
            version: v.into(),
            first: Release::parse(first).unwrap(),
            last: Release::parse(last).unwrap(),
            kind,
            summary: String::new(),
            tables: Vec::new(),
        }
    }

    fn set(rs: &[&str]) -> BTreeSet<Release> {
        rs.iter().filter_map(|r| Release::parse(r)).collect()
    }

    /// Past the official history only the fork releases are known: a release between two of
    /// them, or after the last, is not covered.
    #[test]
    fn coverage_past_the_official_history_is_only_the_fork_releases() {
        let releases = set(&["5.0.0", "5.1.0", "5.1.1", "5.2.0", "6.0.3"]);
        let forks = set(&["5.2.0", "6.0.3"]);
        let covered = |r: &str| covers_with(&releases, &forks, Release::parse(r).unwrap());
        for r in ["5.0.0", "5.0.3", "5.1.1", "5.2.0", "6.0.3"] {
            assert!(covered(r), "{r}");
        }
        for r in [
            "5.1.2", "5.2.1", "5.2.5", "6.0.0", "6.0.2", "6.0.4", "7.0.0",
        ] {
            assert!(!covered(r), "{r}");
        }
        assert_eq!(
            reach_text_with(&releases, &forks),
            "covers every release to 5.1.1, then only 5.2.0 and 6.0.3"
        );
        assert_eq!(
            reach_text_with(&releases, &set(&["6.0.3"])),
            "covers every release to 5.2.0, then only 6.0.3"
        );
        assert_eq!(
            reach_text_with(&releases, &BTreeSet::new()),
            "ends at 6.0.3"
        );
        assert!(!covers_with(&releases, &BTreeSet::new(), Release(6, 0, 4)));
    }

    /// Mautic 3 moved the console to bin/; 5.x names the class.
    #[test]
    fn commands_name_the_console_of_the_release() {
        let x = m("20230519081315", "4.4.9", "4.4.13", MigrationKind::Data);
        assert!(x.command(Release(4, 4, 13)).starts_with("php bin/console"));
        assert!(x.command(Release(2, 16, 0)).starts_with("php app/console"));
        assert!(
            x.record_command(Release(4, 4, 13))
                .starts_with("php bin/console doctrine:migrations:version --add")
        );
        assert!(
            x.record_command(Release(5, 1, 1))
                .ends_with("'Mautic\\Migrations\\Version20230519081315'")
        );
    }

    #[test]
    fn rows_in_every_format() {
        assert_eq!(row_to_version("20150201000000"), "20150201000000");
        assert_eq!(
            row_to_version("Mautic\\Migrations\\Version20230615101328"),
            "20230615101328"
        );
        assert_eq!(
            row_to_version("Mautic\\Migrations\\Versionzz20230929183000"),
            "zz20230929183000"
        );
    }

    #[test]
    fn pending_unknown_and_detection() {
        let idx = vec![
            m("1", "4.4.0", "4.4.13", MigrationKind::Schema),
            m("2", "4.4.2", "4.4.13", MigrationKind::Data),
            m("3", "5.0.0", "5.1.1", MigrationKind::Schema),
        ];
        let rows: Vec<String> = vec!["1".into(), "old".into()];
        let s = state(&idx, Recorded::Rows(&rows), Release(4, 4, 13));
        assert_eq!(s.pending.len(), 1);
        assert_eq!(s.pending[0].version, "2");
        assert_eq!(s.unknown, vec!["old".to_string()]);
        let releases: BTreeSet<Release> = ["4.4.0", "4.4.1", "4.4.2", "4.4.13", "5.0.0"]
            .iter()
            .filter_map(|r| Release::parse(r))
            .collect();
        assert_eq!(
            release_from_rows(&idx, &releases, &rows).as_deref(),
            Some("4.4.0-4.4.1")
        );
        let rows2: Vec<String> = vec!["1".into(), "2".into()];
        assert_eq!(
            release_from_rows(&idx, &releases, &rows2).as_deref(),
            Some("4.4.2-4.4.13")
        );
        assert!(!state(&idx, Recorded::NoTable, Release(5, 0, 0)).table_present);
    }

    /// An empty table and one whose rows are unknown (a dump without rows) say nothing is
    /// pending, as a missing table does: nothing in them says what ran.
    #[test]
    fn an_empty_or_unread_table_records_nothing() {
        let idx = vec![
            m("1", "4.4.0", "4.4.13", MigrationKind::Schema),
            m("2", "4.4.2", "4.4.13", MigrationKind::Data),
        ];
        let t = Release(4, 4, 13);
        let missing = state(&idx, Recorded::NoTable, t);
        for s in [
            state(&idx, Recorded::Rows(&[]), t),
            state(&idx, Recorded::Unknown, t),
        ] {
            assert!(s.table_present && !s.has_records());
            assert_eq!(s.pending, missing.pending);
            assert!(s.applied.is_empty() && s.unknown.is_empty());
        }
        assert!(state(&idx, Recorded::Unknown, t).rows_unknown);
        assert!(!state(&idx, Recorded::Rows(&[]), t).rows_unknown);
        let rows = vec!["1".to_string()];
        assert!(state(&idx, Recorded::Rows(&rows), t).has_records());
    }
}
