//! Stock contact fields (created by Mautic's installer, declared by its entities) are Mautic's
//! columns with Mautic's types: a narrowed one is drift and repaired. Only fields a user created
//! get the custom-field tolerance.

mod common;

use common::{TestDb, corpus};

fn check_json(db: &TestDb, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let o = common::bin()
        .args([
            "check",
            "--format",
            "json",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
        ])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

fn change<'a>(
    v: &'a serde_json::Value,
    table: &str,
    object: &str,
) -> Option<&'a serde_json::Value> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == table && c["object"] == object)
}

#[test]
fn narrowed_stock_field_is_drift_and_repaired() {
    let db = TestDb::new("stock");
    // A 5.1 install whose lead_fields rows include the stock `points` field.
    db.load(&corpus("11-"));
    assert_eq!(
        db.query("SELECT COUNT(*) FROM lead_fields WHERE alias = 'points'"),
        vec!["1"]
    );
    // A user-created field whose column an older release made wider: tolerated.
    db.exec(
        "INSERT INTO lead_fields (is_published, label, alias, type, field_group, is_required, is_fixed, \
         is_visible, is_short_visible, is_listable, is_publicly_updatable, is_unique_identifer, field_order, \
         object, properties, column_is_not_created, char_length_limit) \
         VALUES (1, 'Tier', 'tier', 'text', 'core', 0, 0, 1, 0, 1, 0, 0, 99, 'lead', 'a:0:{}', 0, 191); \
         ALTER TABLE leads ADD COLUMN tier VARCHAR(255) DEFAULT NULL, MODIFY points SMALLINT NOT NULL",
    );
    let (code, v) = check_json(&db, &[]);
    assert_eq!(code, Some(1), "{v:#}");
    let points = change(&v, "leads", "points").expect("leads.points reported");
    assert_eq!(points["severity"], "drift", "{points:#}");
    assert!(
        points["sql"].as_str().unwrap().contains("`points` int"),
        "{points:#}"
    );
    if let Some(tier) = change(&v, "leads", "tier") {
        assert_ne!(tier["severity"], "drift", "{tier:#}");
    }

    let o = common::bin()
        .args(["diff", "--url", &db.url(), "--target", "5.1.1"])
        .output()
        .unwrap();
    let sql = String::from_utf8_lossy(&o.stdout).into_owned();
    let points_stmt = sql
        .split(";\n")
        .find(|s| s.contains("MODIFY COLUMN `points`"))
        .unwrap_or_else(|| panic!("no repair of points in:\n{sql}"));
    db.exec(points_stmt);
    let (_, v) = check_json(&db, &[]);
    assert!(change(&v, "leads", "points").is_none(), "{v:#}");
    assert_eq!(
        db.query(&format!(
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{}' \
             AND TABLE_NAME = 'leads' AND COLUMN_NAME = 'points'",
            db.name
        )),
        vec!["int(11)"]
    );
}
