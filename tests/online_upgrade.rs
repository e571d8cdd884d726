//! A 4.4 install with rows in every table, repaired to 5.1.1 with every ALTER of an existing
//! table through pt-online-schema-change (`--online always`), against the real MariaDB. It used
//! to stop at statement 20 of 56 (`campaign_events` gains NOT NULL columns without a default:
//! pt-osc's copy stops at warning 1364). It must converge, leave nothing behind, and hold the
//! same rows as a twin repaired by the server's own ALTERs (CHECKSUM TABLE of every table).
//! Tables the plan creates go straight to the server (they are empty).

mod common;
#[path = "common/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};

use common::{TestDb, bin, text};

fn reference_file(release: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas");
    let index = std::fs::read_to_string(dir.join("index.tsv")).unwrap();
    let file = index
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(r, _)| *r == release)
        .unwrap_or_else(|| panic!("{release} is not in reference-schemas/index.tsv"))
        .1;
    dir.join(file)
}

fn install_4_4(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    let reference = reference_file("4.4.13");
    db.load(&reference);
    let parsed = mautic_schema::sql::parse_schema_sql(
        &std::fs::read_to_string(&reference).unwrap(),
        &|_| false,
    );
    db.exec(&rows::insert_sql(&parsed.schema, 3));
    db
}

fn repair(db: &TestDb, online: &str) -> std::process::Output {
    bin()
        .args(["apply", "--url", &db.url(), "--target", "5.1.1"])
        .args([
            "--allow-destructive",
            "--yes",
            "--no-backup",
            "--online",
            online,
        ])
        .output()
        .unwrap()
}

/// Every table's CHECKSUM TABLE, by name; not `migrations`, whose new rows carry the time
/// they were recorded, nor the backup ledger (each run's backup has its own path and time).
fn all_checksums(db: &TestDb) -> Vec<String> {
    let tables = db.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME NOT IN ('migrations', 'mautic_schema_backups') ORDER BY 1",
    );
    let sql: String = tables
        .iter()
        .map(|t| format!("CHECKSUM TABLE `{t}`;"))
        .collect();
    db.query(&sql)
        .into_iter()
        .map(|l| l.replace(&db.name, "DB"))
        .collect()
}

#[test]
fn a_4_4_install_is_repaired_to_5_1_through_pt_osc() {
    let twin = install_4_4("up44twin");
    let o = repair(&twin, "never");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let db = install_4_4("up44online");
    let o = repair(&db, "always");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("[pt-online-schema-change campaign_events] dropped the temporary default"),
        "{t}"
    );
    let check = bin()
        .args(["check", "--url", &db.url(), "--target", "5.1.1"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let left = db.query(
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
         UNION ALL SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME LIKE '\\_%'",
    );
    assert_eq!(left, Vec::<String>::new());
    let (mine, theirs) = (all_checksums(&db), all_checksums(&twin));
    let differ: Vec<&String> = mine.iter().filter(|l| !theirs.contains(l)).collect();
    assert!(
        differ.is_empty(),
        "rows differ from the direct repair's: {differ:?}"
    );
}
