//! Cases met on real sites, on the real server: a foreign key with the shape a known migration
//! gives it is that migration's (history), not the user's; a `(DC2Type:json_array)` comment on
//! a table outside the comparison (a backup copy, a plugin's table) is named as what stops
//! Mautic 5; a form whose results table is missing gets the statement that recreates it.

mod common;

use std::path::Path;

use common::{TestDb, bin};
use serde_json::Value;

fn install(tag: &str, release: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{release}.sql")),
    );
    db
}

fn check(db: &TestDb, target: &str) -> (Option<i32>, Value) {
    common::check_json(db, target)
}

fn change<'a>(v: &'a Value, table: &str, object: &str) -> &'a Value {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == table && c["object"] == object)
        .unwrap_or_else(|| panic!("no change on {table}.{object}: {v:#}"))
}

/// A second key on `lead_devices.lead_id` with the shape migration 20160719000000 gives it (a
/// site where both the migration and a schema update made one) is Mautic's history; one with a
/// shape no migration gives is the user's.
#[test]
fn a_foreign_key_with_a_migrations_shape_is_that_migrations() {
    let db = install("fkshape", "5.1.0");
    db.exec(
        "ALTER TABLE lead_devices ADD CONSTRAINT old_devices_lead FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE; \
         ALTER TABLE lead_devices ADD CONSTRAINT my_own_key FOREIGN KEY (lead_id) REFERENCES leads (id)",
    );
    let (_, v) = check(&db, "5.1.0");
    let mig = change(&v, "lead_devices", "old_devices_lead");
    assert_eq!(mig["severity"], "legacy", "{mig:#}");
    let detail = mig["detail"].as_str().unwrap();
    assert!(
        detail.contains("Version20160719000000") && !detail.contains("does not define"),
        "{detail}"
    );
    let mine = change(&v, "lead_devices", "my_own_key");
    assert_eq!(mine["severity"], "info", "{mine:#}");
    // History is not dropped by default.
    assert!(
        !v["plan"].to_string().contains("old_devices_lead"),
        "{:#}",
        v["plan"]
    );
}

/// `(DC2Type:json_array)` on a backup copy and on a plugin's table, neither of them compared:
/// checked against 5.x, both are named as what stops Mautic 5; against 4.4, where DBAL 2
/// still knows the type, nothing is said.
#[test]
fn json_array_comments_outside_the_comparison_are_named_for_mautic_5() {
    let db = install("jsonarray", "5.1.0");
    db.exec(
        "CREATE TABLE bak_leads (id INT PRIMARY KEY, social_cache LONGTEXT COMMENT '(DC2Type:json_array)'); \
         CREATE TABLE plugin_thing (id INT PRIMARY KEY, settings LONGTEXT COMMENT '(DC2Type:json_array)', other LONGTEXT COMMENT '(DC2Type:json)')",
    );
    let (_, v) = check(&db, "5.1.0");
    let lines: Vec<&str> = v["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .filter(|l| l.contains("stops Mautic 5"))
        .collect();
    assert_eq!(lines.len(), 1, "{:#}", v["explanation"]);
    for col in ["bak_leads.social_cache", "plugin_thing.settings"] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    assert!(!lines[0].contains("plugin_thing.other"), "{}", lines[0]);
    // Named, and the verdict says it: with the migrations recorded and the install's own tables
    // right, the site is not "In sync" while Mautic 5's migrations would stop on those columns.
    common::record_migrations_of(&db, "5.1.0");
    let (code, v) = check(&db, "5.1.0");
    assert_eq!(code, Some(1), "{:#}", v["verdict"]);
    assert_eq!(v["verdict"]["kind"], "blocked", "{:#}", v["verdict"]);
    assert!(
        v["verdict"]["line"]
            .as_str()
            .unwrap()
            .contains("(DC2Type:json_array)"),
        "{:#}",
        v["verdict"]
    );
    db.exec("DROP TABLE bak_leads, plugin_thing");
    let (code, v) = check(&db, "5.1.0");
    assert_eq!((code, &v["verdict"]["kind"]), (Some(0), &"in-sync".into()));
    db.exec(
        "CREATE TABLE bak_leads (id INT PRIMARY KEY, social_cache LONGTEXT COMMENT '(DC2Type:json_array)')",
    );
    let (_, v) = check(&db, "4.3.0");
    assert!(
        !v["explanation"].to_string().contains("stops Mautic 5"),
        "{:#}",
        v["explanation"]
    );
}

/// A form whose results table is gone (a restore that skipped it, a table dropped by hand):
/// every submission fails. The check gives the statement that recreates it from the form's
/// fields as Mautic builds it, and `apply` runs it; a form with a field whose column the
/// database cannot tell gets what is known and how Mautic recreates it instead.
#[test]
fn a_missing_form_results_table_is_recreated() {
    let db = install("formresults", "5.1.0");
    db.exec(
        "INSERT INTO forms (id, is_published, name, alias, post_action) VALUES (3, 1, 'Contact us', 'contactus', 'message'), (4, 1, 'Plug', 'plug', 'message'); \
         INSERT INTO form_fields (form_id, label, alias, type, is_custom, is_required, field_order) VALUES \
         (3, 'Email', 'email', 'email', 0, 1, 2), (3, 'Name', 'first_name', 'text', 0, 0, 1), (3, 'Submit', 'submit', 'button', 0, 0, 3), \
         (4, 'X', 'x', 'plugin.thing', 1, 0, 1)",
    );
    let (code, v) = check(&db, "5.1.0");
    assert_eq!(code, Some(1));
    let known = change(&v, "form_results_3_contactus", "form_results_3_contactus");
    assert_eq!(known["severity"], "drift", "{known:#}");
    let sql = known["sql"].as_str().unwrap();
    for want in [
        "`submission_id` int NOT NULL",
        "`first_name` longtext",
        "`email` longtext",
        "PRIMARY KEY (`submission_id`)",
        "UNIQUE KEY `UNIQ_A680E1BCE1FD49335FF69B7D` (`submission_id`,`form_id`)",
    ] {
        assert!(sql.contains(want), "{want}: {sql}");
    }
    assert!(!sql.contains("`submit`"), "a button keeps no value: {sql}");
    let unsure = change(&v, "form_results_4_plug", "form_results_4_plug");
    assert!(unsure["sql"].is_null(), "{unsure:#}");
    let detail = unsure["detail"].as_str().unwrap();
    assert!(
        detail.contains("x (plugin.thing)") && detail.contains("save the form"),
        "{detail}"
    );
    // Without the uncertain form, apply recreates the table and the check is clean.
    db.exec("DELETE FROM form_fields WHERE form_id = 4; DELETE FROM forms WHERE id = 4");
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", "5.1.0", "--yes"])
        .arg("--backup-dir")
        .arg(db.scratch("backups"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'form_results_3_contactus' ORDER BY ORDINAL_POSITION"),
        ["submission_id", "form_id", "first_name", "email"]
    );
    let (_, v) = check(&db, "5.1.0");
    let drift: Vec<&Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .collect();
    assert!(drift.is_empty(), "{drift:#?}");
}
