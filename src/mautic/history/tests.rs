//! The data file is what the fold gives now, and says what it must.

use super::*;
use crate::diff::{Change, Severity};

/// history.tsv is what `generate` gives (UPDATE_GOLDEN=1 rewrites it). Folds every pair of
/// bundled references: about a minute in a debug build.
#[test]
fn history_file_is_what_the_fold_of_every_release_pair_gives() {
    let text = render(&generate());
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-index/history.tsv");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "migrations-index/history.tsv is not what the fold gives now: run UPDATE_GOLDEN=1 cargo test --lib mautic::history"
    );
}

#[test]
fn every_row_names_its_release_and_a_reason() {
    let rows = rows();
    assert!(rows.iter().any(|r| r.class == Class::History));
    assert!(rows.iter().any(|r| r.class == Class::Forgotten));
    assert_eq!(rows.len(), parse(HISTORY_TSV).len());
    let lines = HISTORY_TSV.lines().filter(|l| !l.starts_with('#')).count();
    assert_eq!(rows.len(), lines, "every line of history.tsv parses");
    for r in rows {
        assert!(r.from <= r.until, "{r:?}");
        assert!(!r.reason.trim().is_empty(), "{r:?}");
    }
}

/// Upstream #10116: 5.1.0 made every ip_id nullable, ON DELETE SET NULL, without a migration.
#[test]
fn the_ip_id_change_of_5_1_is_a_forgotten_migration_of_5_1_0() {
    let ip = |r: &&Row| r.object == "ip_id" && r.table == "page_hits";
    let row = rows().iter().find(ip).expect("page_hits.ip_id is listed");
    assert_eq!(row.from, Release(5, 1, 0));
    assert_eq!(row.class, Class::Forgotten);
    let fk = rows()
        .iter()
        .find(|r| r.table == "page_hits" && r.kind == "foreign_key_differs")
        .expect("page_hits' ip_id key is listed");
    assert_eq!((fk.from, fk.class), (Release(5, 1, 0), Class::Forgotten));
    assert!(fk.reason.contains("1451"), "{}", fk.reason);
}

/// The fold of a pair, prefixed as an install would be, compared and re-read as `check` does:
/// every drift difference left is a forgotten migration named with its release, none is of
/// the history kind, and `--strict` keeps history drift.
fn marked(from: Release, to: Release, prefix: &str, strict: bool) -> Vec<Change> {
    marked_on(from, to, prefix, strict, "utf8mb4_general_ci")
}

/// `marked` on a database whose default collation is `database`.
fn marked_on(
    from: Release,
    to: Release,
    prefix: &str,
    strict: bool,
    database: &str,
) -> Vec<Change> {
    let mut server = pairs::server();
    server.database_collation = Some(database.to_string());
    let fold = pairs::fold_pair(from, to, &server).unwrap();
    let mut end = fold.path.end.clone();
    let (mut target, _) = crate::mautic::references::load(to, &server).unwrap();
    crate::mautic::prefix::apply_prefix(&mut end, prefix);
    crate::mautic::prefix::apply_prefix(&mut target, prefix);
    let mut changes = crate::diff::diff_schemas(&end, &target);
    crate::mautic::policy::Policy {
        prefix,
        custom_columns: &[],
        strict,
        removed_types: crate::mautic::policy::removed_doctrine_types(Some(to)),
    }
    .classify(&mut changes);
    crate::mautic::known_keys::claim_migration_keys(
        &mut changes,
        &end,
        &target,
        prefix,
        strict,
        &server,
    );
    mark(
        &mut changes,
        to,
        prefix,
        strict,
        server.database_collation.as_deref(),
    );
    changes
}

#[test]
fn a_prefixed_upgraded_site_shows_forgotten_migrations_named_and_no_history_drift() {
    for (from, to) in [
        (Release(2, 12, 2), Release(5, 1, 0)),
        (Release(4, 3, 0), Release(6, 0, 3)),
    ] {
        for prefix in ["", "mt_"] {
            let changes = marked(from, to, prefix, false);
            let drift: Vec<&Change> = changes
                .iter()
                .filter(|c| c.severity == Severity::Drift)
                .collect();
            assert!(!drift.is_empty(), "{from}→{to}: forgotten migrations exist");
            for c in &drift {
                assert!(
                    c.detail.contains("changed this without a migration: "),
                    "{from}→{to} {prefix}: {} {} {}",
                    c.table,
                    c.object,
                    c.detail
                );
            }
            assert!(
                changes.iter().any(|c| c.severity == Severity::Legacy
                    && c.detail
                        .contains("history: Mautic's migrations leave it so")),
                "{from}→{to} {prefix}: history is legacy"
            );
        }
    }
    let strict = marked(Release(4, 3, 0), Release(6, 0, 3), "mt_", true);
    assert!(
        strict
            .iter()
            .all(|c| !c.detail.contains("history: Mautic's migrations")),
        "--strict: history stays drift"
    );
}

/// 2.13.1's migration creates user_tokens without a character set: the table has the
/// database's default. Where that default holds what the release declares it is history
/// (none left as drift, or none at all when it is the release's own); where it does not
/// (latin1), drift naming the release that created the table and what the code meets.
#[test]
fn a_table_created_without_a_charset_follows_the_database_default() {
    let user_tokens = |changes: &[Change]| -> Vec<Change> {
        changes
            .iter()
            .filter(|c| c.table == "user_tokens" && c.severity == Severity::Drift)
            .cloned()
            .collect()
    };
    for (to, database, drift) in [
        (Release(2, 13, 1), "utf8mb4_general_ci", 0),
        (Release(2, 13, 1), "utf8mb3_unicode_ci", 0),
        (Release(3, 0, 0), "utf8mb3_general_ci", 3),
        (Release(4, 0, 0), "latin1_swedish_ci", 3),
        (Release(6, 0, 3), "latin1_swedish_ci", 0),
    ] {
        let changes = marked_on(Release(2, 12, 2), to, "", false, database);
        let left = user_tokens(&changes);
        assert_eq!(left.len(), drift, "{to} on {database}: {left:#?}");
        for c in &left {
            assert!(
                c.detail
                    .contains("Mautic 2.13.1 created this table without a character set")
                    && c.detail.contains("cannot be stored"),
                "{to} on {database}: {}",
                c.detail
            );
        }
    }
}
