//! One release pair folded: X's reference (unprefixed) through the migrations of (X, Y] in the
//! order Mautic runs them (`mautic::path::fold`), and the end compared with Y's reference
//! through Mautic's policy. What differs is what Mautic's own path leaves on a site upgraded
//! from X to Y.

use crate::dialect::ServerInfo;
use crate::diff::{Change, Severity, diff_schemas};
use crate::mautic::migrations::{self, Migration};
use crate::mautic::path::{self, Path, World};
use crate::mautic::policy::{Policy, removed_doctrine_types};
use crate::mautic::release::Release;
use crate::mautic::{known_keys, references};
use crate::schema::Schema;

/// A pair folded: the migrations run (in order), the fold's path, and every difference
/// between its end and Y's reference as the Mautic policy classifies it.
pub struct PairFold {
    pub from: Release,
    pub to: Release,
    pub migrations: Vec<Migration>,
    pub path: Path,
    pub changes: Vec<Change>,
}

/// The server the data file is generated for (the references are normalized for it); the
/// database's default collation is `DATABASE_DEFAULT`, what `mark` reads from the live server.
pub fn server() -> ServerInfo {
    let mut s = ServerInfo::parse("10.11.6-MariaDB");
    s.database_collation = Some(super::DATABASE_DEFAULT.to_string());
    s
}

/// Every pair X < Y of bundled reference files (named after their release) whose releases'
/// migrations the index knows. Releases sharing a file share its schema.
pub fn pairs() -> Vec<(Release, Release)> {
    let index = migrations::index();
    let known: Vec<Release> = references::releases()
        .into_iter()
        .filter(|r| reference_release(*r) == Some(*r) && migrations::covers(&index, *r))
        .collect();
    let mut out = Vec::new();
    for (i, x) in known.iter().enumerate() {
        out.extend(known[i + 1..].iter().map(|y| (*x, *y)));
    }
    out
}

/// The release a release's reference file is named after (`4.3.0` for 4.4.5): the releases
/// the data file's ranges are written in.
pub fn reference_release(r: Release) -> Option<Release> {
    super::file_release(references::resolve(r)?.file)
}

/// The migrations a site on `from` runs to reach `to`, in the order it runs them. Mautic
/// upgrades across a major only from the previous major's last release (2.16 to 3, 3.3 to 4,
/// 4.4 to 5, 5.2 to 6), and each release's code removes the migrations of the majors before
/// it: the site stops at the last release of each major on the way, and each hop runs the
/// hop's end's migrations the hop's start had not, in Doctrine's (version string) order.
pub fn pending(from: Release, to: Release) -> Vec<Migration> {
    let index = migrations::index();
    let known = migrations::index_releases(&index);
    let mut stops: Vec<Release> = (from.0..to.0)
        .filter_map(|major| known.iter().rev().find(|r| r.0 == major).copied())
        .filter(|r| *r > from)
        .collect();
    stops.push(to);
    let mut out = Vec::new();
    let mut at = from;
    for stop in stops {
        let mut hop: Vec<Migration> = migrations::of_release(&index, stop)
            .into_iter()
            .filter(|m| {
                !m.in_release(at) && !out.iter().any(|o: &Migration| o.version == m.version)
            })
            .cloned()
            .collect();
        hop.sort_by(|a, b| a.version.cmp(&b.version));
        out.extend(hop);
        at = stop;
    }
    out
}

/// Fold the pair; `None` when a reference does not parse.
pub fn fold_pair(from: Release, to: Release, server: &ServerInfo) -> Option<PairFold> {
    let start = references::parse_cached(references::resolve(from)?.file, server).ok()?;
    let target = references::parse_cached(references::resolve(to)?.file, server).ok()?;
    let migrations = pending(from, to);
    let path = fold(&start, &migrations, server);
    let mut changes = diff_schemas(&path.end, &target);
    Policy {
        prefix: "",
        custom_columns: &[],
        strict: false,
        removed_types: removed_doctrine_types(Some(to)),
    }
    .classify(&mut changes);
    known_keys::claim_migration_keys(&mut changes, &path.end, &target, "", false, server);
    Some(PairFold {
        from,
        to,
        migrations,
        path,
        changes,
    })
}

fn fold(start: &Schema, pending: &[Migration], server: &ServerInfo) -> Path {
    let world = World {
        prefix: String::new(),
        server: server.clone(),
        foreign_keys_elsewhere: Vec::new(),
        others: Schema::default(),
    };
    path::fold_migrations(start, pending, &world, path::Keep::End)
}

impl PairFold {
    /// The differences the policy leaves as drift: what this data file classifies.
    pub fn drift(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Drift)
    }
}
