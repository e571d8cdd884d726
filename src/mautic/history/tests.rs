//! The data file is what the fold gives now, and says what it must.

use super::*;

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
