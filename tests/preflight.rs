//! `preflight --to X` before an upgrade: the migrations to run with their verdicts, and the
//! checks of the upgraded state on this database's rows; it ends with the one verdict: exit 0
//! when the database is in sync and nothing stops the upgrade, 1 otherwise.

mod common;

use std::path::Path;

use common::TestDb;

fn preflight(db: &TestDb, to: &str) -> (Option<i32>, serde_json::Value, String) {
    let run = |format: &str| {
        common::bin()
            .args([
                "preflight",
                "--url",
                &db.url(),
                "--to",
                to,
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let o = run("json");
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    let t = run("table");
    assert_eq!(t.status.code(), o.status.code());
    (
        o.status.code(),
        v,
        String::from_utf8_lossy(&t.stdout).into_owned(),
    )
}

fn database_at_4_3(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    db.exec("INSERT INTO leads (is_published, points, date_identified) VALUES (1, 5, NOW())");
    // Its migrations recorded, as Mautic's installer leaves them: without a migrations table
    // the verdict is the missing bookkeeping, not the upgrade.
    let o = common::bin()
        .args(["apply", "--url", &db.url(), "--yes", "--no-backup"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    db
}

#[test]
fn a_clean_4_4_database_may_go_to_5_1_1() {
    let db = database_at_4_3("pfgo");
    let (code, v, text) = preflight(&db, "5.1.1");
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(v["go"], true);
    assert_eq!(v["format_version"], 1);
    let migrations = v["migrations"].as_array().unwrap();
    assert!(!migrations.is_empty(), "{v:#}");
    assert!(
        migrations
            .iter()
            .any(|m| m["verdict"] == "data migration: Mautic must run it"),
        "{v:#}"
    );
    for check in [
        "server version",
        "rows",
        "rehearsal",
        "duration",
        "disk",
        "inserts",
    ] {
        assert!(
            v["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["check"] == check && c["status"] == "ok"),
            "{check}: {v:#}"
        );
    }
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.ends_with("nothing found that would stop the upgrade to 5.1.1")
            && flat.contains("In sync: no drift"),
        "{text}"
    );
    assert_eq!(v["verdict"]["kind"], "in-sync");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // The server runs on this host: the rebuilds' room is measured in its data directory.
    let disk = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "disk")
        .unwrap();
    let message = disk["message"].as_str().unwrap();
    assert!(
        message.contains("free in /") || message == "no table is rebuilt",
        "{message}"
    );
}

/// A foreign key that was never created (a failed earlier upgrade) and a row pointing nowhere:
/// the upgrade's planned state re-creates the key, which the row would make fail (1452).
#[test]
fn an_orphan_row_blocks_the_upgrade_with_the_query_to_find_it() {
    let db = database_at_4_3("pforphan");
    db.exec(
        "ALTER TABLE lead_tags_xref DROP FOREIGN KEY FK_F2E51EB6BAD26311; \
         INSERT INTO lead_tags_xref (lead_id, tag_id) SELECT id, 999 FROM leads",
    );
    let (code, v, text) = preflight(&db, "5.1.1");
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(v["go"], false);
    let blocker = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "BLOCKER")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(blocker["check"], "orphan rows");
    assert!(
        blocker["investigate"]
            .as_str()
            .unwrap()
            .contains("lead_tags_xref")
    );
    assert!(
        text.trim_end()
            .ends_with("Blocked: 1 blocker(s) stop the upgrade to 5.1.1: fix them first"),
        "{text}"
    );
    assert_eq!(v["verdict"]["kind"], "blocked");
    // Nothing was changed: the key is still missing.
    assert_eq!(
        db.query("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'FK_F2E51EB6BAD26311'"),
        vec!["0"]
    );
}

/// A column the release does not know, NOT NULL without a default: the upgrade keeps it (it is
/// the user's), and every insert Mautic makes into that table fails with error 1364.
#[test]
fn a_column_that_stops_mautics_inserts_is_a_blocker() {
    let db = database_at_4_3("pfins");
    db.exec("ALTER TABLE assets ADD COLUMN legacy_flag INT NOT NULL");
    let (code, v, text) = preflight(&db, "5.1.1");
    assert_eq!(code, Some(1), "{text}");
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "inserts")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(check["status"], "BLOCKER");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("assets.legacy_flag")
            && check["message"].as_str().unwrap().contains("1364"),
        "{check:#}"
    );
    assert!(
        check["investigate"]
            .as_str()
            .unwrap()
            .contains("SET DEFAULT")
    );
}
