//! History that stands in the way of a needed change joins the plan, on the real server. An
//! install born before 4.3 keeps `leads.website` as LONGTEXT, which the policy tolerates; 4.3
//! added `website_search` on it, which cannot be built on a LONGTEXT (error 1170), so every
//! repair against 4.4 or later was refused by the tool's own key-length pre-check. The column
//! now joins the plan, before the index; a narrowing whose rows all fit is not destructive, so
//! it runs without `--allow-destructive` and the migrations are recorded once what is left is
//! history.

mod common;

use std::path::Path;

use common::{TestDb, bin};
use serde_json::Value;

/// An install of `born` as Mautic 4's Doctrine Migrations leaves it: the release's schema, its
/// migrations recorded in the 4.x table layout, and a contact whose website is `website`.
fn install(born: &str, website: &str) -> TestDb {
    let db = TestDb::new(&format!("born{}", born.replace('.', "")));
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{born}.sql")));
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    let rel = |s: &str| -> Vec<u32> { s.split('.').map(|p| p.parse().unwrap()).collect() };
    let rows: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| rel(f[1]) <= rel(born) && rel(born) <= rel(f[2]))
        .map(|f| format!("('{}', NOW())", f[0]))
        .collect();
    assert!(!rows.is_empty(), "{born} has migrations in the index");
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(14) NOT NULL, executed_at DATETIME NOT NULL COMMENT '(DC2Type:datetime_immutable)', PRIMARY KEY(version)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB ROW_FORMAT = DYNAMIC; \
         INSERT INTO migrations VALUES {}; \
         INSERT INTO leads (is_published, points, date_identified, website) VALUES (1, 5, NOW(), '{website}')",
        rows.join(",")
    ));
    db
}

fn apply(db: &TestDb, target: &str) -> (Option<i32>, String) {
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", target, "--yes"])
        .arg("--backup-dir")
        .arg(db.scratch("backups"))
        .output()
        .unwrap();
    (
        o.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn check(db: &TestDb, target: &str) -> (Option<i32>, Value) {
    common::check_json(db, target)
}

fn drift(v: &Value) -> Vec<String> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .map(|c| format!("{} {} {}", c["table"], c["kind"], c["object"]))
        .collect()
}

#[test]
fn installs_born_before_4_3_are_repaired_against_4_4_and_5_1() {
    for born in ["4.1.0", "4.2.0"] {
        for target in ["4.4.13", "5.1.1"] {
            let db = install(born, "https://example.com");
            let (code, out) = apply(&db, target);
            assert_eq!(code, Some(0), "{born} → {target}: {out}");
            let (code, v) = check(&db, target);
            assert!(drift(&v).is_empty(), "{born} → {target}: {:#?}", drift(&v));
            assert_eq!(
                v["pending_schema_migrations"], 0,
                "{born} → {target}: recorded once only history is left: {:#}",
                v["migrations"]
            );
            assert_eq!(code, Some(0), "{born} → {target}: {:#}", v["explanation"]);
            assert_eq!(
                db.query("SELECT website FROM leads"),
                vec!["https://example.com".to_string()]
            );
        }
    }
}

/// A value longer than the new type takes: the narrowing stays destructive, held back without
/// `--allow-destructive`; the repair does not complete and the value is kept.
#[test]
fn a_narrowing_whose_rows_do_not_fit_stays_held_back() {
    let long = "x".repeat(200);
    let db = install("4.2.0", &long);
    let (_, v) = check(&db, "4.4.13");
    let website = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == "leads" && c["object"] == "website")
        .unwrap()
        .clone();
    assert_eq!(website["severity"], "drift", "{website:#}");
    assert_eq!(website["destructive"], true, "{website:#}");
    assert_eq!(website["held_back"], true, "{website:#}");
    let (code, out) = apply(&db, "4.4.13");
    assert_ne!(code, Some(0), "{out}");
    assert_eq!(db.query("SELECT website FROM leads"), vec![long]);
}
