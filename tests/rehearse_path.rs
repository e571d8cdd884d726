//! The rehearsal of Mautic's own statements (issue 21, item 2): the statements of the pending
//! migrations run, in order, on a schema-only scratch copy, so the server judges what the
//! path's model does not (here a row grown past 65,535 bytes by Mautic's ADD COLUMN: error
//! 1118). The same database without the cause passes.

mod common;

use std::path::Path;

use common::TestDb;

/// A 4.4 install (the 4.3 reference schema) with the migrations of 4.4.13 recorded.
fn install_4_4(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    let key = |r: &str| -> Vec<u32> { r.split('.').map(|p| p.parse().unwrap()).collect() };
    let index = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-index/migrations.tsv"),
    )
    .unwrap();
    let rows: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| key(f[1]) <= key("4.4.13") && key("4.4.13") <= key(f[2]))
        .map(|f| format!("('Mautic\\\\Migrations\\\\Version{}', NOW(), 1)", f[0]))
        .collect();
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, \
         execution_time INT DEFAULT NULL, PRIMARY KEY(version)); INSERT INTO migrations VALUES {}",
        rows.join(",")
    ));
    db
}

/// Run `sql` with the real client; the server's error line, if it refused.
fn try_exec(db: &TestDb, sql: &str) -> Option<String> {
    let o = std::process::Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-uroot", &db.name, "-e", sql])
        .output()
        .unwrap();
    (!o.status.success()).then(|| String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Fill asset_downloads with a user's own wide column, as wide as the server still accepts:
/// the row then has no room for 5.0's five VARCHAR(191) UTM columns (Version20230321133733).
fn fill_asset_downloads(db: &TestDb) {
    let (mut fits, mut too_wide) = (1u32, 16_384u32);
    while too_wide - fits > 1 {
        let n = (fits + too_wide) / 2;
        let add = format!("ALTER TABLE asset_downloads ADD wide_notes VARCHAR({n}) DEFAULT NULL");
        match try_exec(db, &add) {
            None => {
                fits = n;
                db.exec("ALTER TABLE asset_downloads DROP wide_notes");
            }
            Some(e) => {
                assert!(e.contains("1118"), "{e}");
                too_wide = n;
            }
        }
    }
    db.exec(&format!(
        "ALTER TABLE asset_downloads ADD wide_notes VARCHAR({fits}) DEFAULT NULL"
    ));
}

fn preflight(db: &TestDb, to: &str) -> (Option<i32>, serde_json::Value) {
    preflight_prefixed(db, to, "")
}

fn preflight_prefixed(db: &TestDb, to: &str, prefix: &str) -> (Option<i32>, serde_json::Value) {
    common::preflight_json(db, to, prefix)
}

fn blockers(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "BLOCKER")
        .collect()
}

const MIGRATION: &str = "Version20230321133733";

#[test]
fn a_statement_the_server_refuses_blocks_naming_migration_and_error() {
    let db = install_4_4("rehearsewide");
    fill_asset_downloads(&db);
    // Mautic's statement really fails here.
    let statement = &mautic_schema::mautic::effects::by_version()["20230321133733"][0].sql;
    let copy = install_4_4("rehearsewidecopy");
    fill_asset_downloads(&copy);
    let refused = try_exec(&copy, statement).expect("the server refuses Mautic's ADD COLUMN");
    assert!(refused.contains("1118"), "{refused}");

    let (code, v) = preflight(&db, "5.0.0");
    assert_eq!(code, Some(1), "{v:#}");
    // The tool's own checks of its repair plan (row size, plan rehearsal) see the wide row
    // too; the migration blocker is the server's answer to Mautic's statement itself.
    let found: Vec<_> = blockers(&v)
        .into_iter()
        .filter(|c| c["check"] == "migration")
        .collect();
    assert_eq!(found.len(), 1, "{v:#}");
    let message = found[0]["message"].as_str().unwrap();
    for part in [
        MIGRATION,
        "1118",
        "statement 1",
        "asset_downloads",
        "schema-only copy",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // The scratch copy is gone.
    let prefix = mautic_schema::apply::rehearsal::scratch_prefix(&db.name);
    let left = common::query_root(&format!(
        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{}%'",
        prefix.replace('_', "\\\\_")
    ));
    assert_eq!(left, "0");
}

#[test]
fn without_the_wide_column_the_statements_pass() {
    let db = install_4_4("rehearseclean");
    let (code, v) = preflight(&db, "5.0.0");
    assert_eq!(code, Some(0), "{v:#}");
    let rehearsal = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "statement rehearsal")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(rehearsal["status"], "ok", "{rehearsal:#}");
}

/// On a prefixed install Mautic's statements name the prefixed tables: rehearsed as effects.tsv
/// spells them (unprefixed), every one would meet error 1146.
#[test]
fn a_prefixed_install_rehearses_the_prefixed_statements() {
    let db = install_4_4("rehearseprefixed");
    db.prefix_every_table("mt_");
    let (_, v) = preflight_prefixed(&db, "5.0.0", "mt_");
    // Nothing blocks the upgrade. (The verdict is the database's own drift: tables renamed
    // in place keep the index and key names Doctrine gives an unprefixed install.)
    assert_eq!(v["go"], true, "{v:#}");
    let rehearsal = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "statement rehearsal")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(rehearsal["status"], "ok", "{rehearsal:#}");
    let message = rehearsal["message"].as_str().unwrap();
    assert!(!message.contains(" 0 statement"), "{message}");
}
