//! `preflight` weighs a migration that would fail with Mautic's own guard (guards.tsv): an
//! object a pending migration creates, made beforehand, is no blocker when the migration's
//! guard skips it, and a blocker with the query and the fix when nothing does.

mod common;

use std::path::Path;

use common::TestDb;

fn preflight(db: &TestDb, to: &str) -> (Option<i32>, serde_json::Value, String) {
    preflight_prefixed(db, to, "")
}

fn preflight_prefixed(
    db: &TestDb,
    to: &str,
    prefix: &str,
) -> (Option<i32>, serde_json::Value, String) {
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
                "--prefix",
                prefix,
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

fn database_at(tag: &str, release: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{release}.sql")),
    );
    db
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn migration<'a>(v: &'a serde_json::Value, class: &str) -> &'a serde_json::Value {
    v["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["migration"] == class)
        .unwrap_or_else(|| panic!("{class} is not listed: {v:#}"))
}

fn checks_naming<'a>(v: &'a serde_json::Value, class: &str) -> Vec<&'a serde_json::Value> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["message"].as_str().unwrap().contains(class))
        .collect()
}

/// Version20220722074516 adds notifications.deduplicate and skips itself when the column is
/// there (`if ($table->hasColumn('deduplicate')) throw SkipMigration`): made beforehand, its
/// ADD COLUMN would get 1060, but Mautic never runs it.
#[test]
fn a_guarded_migration_whose_object_exists_will_skip() {
    let db = database_at("pfgskip", "4.3.0");
    db.exec("ALTER TABLE notifications ADD deduplicate VARCHAR(32) DEFAULT NULL");
    let (code, v, text) = preflight(&db, "5.1.1");
    let m = migration(&v, "Version20220722074516");
    assert_eq!(m["verdict"], "will skip", "{m:#}");
    assert_eq!(m["guarded"], true);
    assert_eq!(m["guard"], "column_exists notifications.deduplicate");
    assert_eq!(
        m["skipped_because"],
        "column_exists notifications.deduplicate"
    );
    assert_eq!(m["error"], "");
    assert!(
        checks_naming(&v, "Version20220722074516").is_empty(),
        "{v:#}"
    );
    assert!(
        flat(&text).contains(
            "Version20220722074516: will skip (Mautic's guard: column_exists notifications.deduplicate)"
        ),
        "{text}"
    );
    // Nothing stops the upgrade, but the database has no migrations table: the one verdict
    // says so (as `check` does), exit 1.
    assert_eq!(v["go"], true, "{text}");
    assert_eq!(v["verdict"]["kind"], "bookkeeping-broken", "{text}");
    assert_eq!(code, Some(1), "{text}");
}

/// Version20200227110431 adds the index dnc_channel_id_search with no check first: an index of
/// that name (on other columns) stops it with 1061, a blocker naming the query and the fix.
#[test]
fn an_unguarded_migration_whose_object_exists_is_a_blocker() {
    let db = database_at("pfgblock", "3.0.0");
    common::record_migrations_of(&db, "3.0.0");
    db.exec("CREATE INDEX dnc_channel_id_search ON lead_donotcontact (reason, channel)");
    let (code, v, text) = preflight(&db, "3.1.0");
    // The old preflight called this a warning and let the upgrade go.
    assert_eq!(code, Some(1), "{text}");
    let m = migration(&v, "Version20200227110431");
    assert_eq!(m["verdict"], "would fail", "{m:#}");
    assert_eq!(m["guarded"], false);
    assert_eq!(m["guard"], "none");
    assert!(
        m["error"]
            .as_str()
            .unwrap()
            .starts_with("1061: index dnc_channel_id_search"),
        "{m:#}"
    );
    assert!(
        m["statement"]
            .as_str()
            .unwrap()
            .contains("dnc_channel_id_search"),
        "{m:#}"
    );
    let checks = checks_naming(&v, "Version20200227110431");
    assert_eq!(checks.len(), 1, "{v:#}");
    assert_eq!(checks[0]["status"], "BLOCKER");
    let investigate = checks[0]["investigate"].as_str().unwrap();
    assert!(
        investigate.contains(
            "SHOW INDEX FROM `lead_donotcontact` WHERE Key_name = 'dnc_channel_id_search'"
        ),
        "{investigate}"
    );
    assert!(
        investigate.contains("ALTER TABLE `lead_donotcontact` DROP INDEX `dnc_channel_id_search`"),
        "{investigate}"
    );
    // The query shows the index in the way.
    let shown = db.query(
        "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'dnc_channel_id_search'",
    );
    assert_ne!(shown, vec!["0".to_string()]);
    assert_eq!(v["go"], false);
    assert!(text.contains("BLOCKER"), "{text}");
}

/// Version20231206152313 skips itself only when both of its indexes exist (two
/// PreUpAssertionMigration assertions): with one of them made beforehand the guard does not
/// hold, and its CREATE INDEX of that one fails.
#[test]
fn a_guard_that_does_not_hold_here_still_blocks() {
    let db = database_at("pfghalf", "4.3.0");
    db.exec("CREATE INDEX stat_email_lead_id_date_sent ON email_stats (lead_id)");
    let (code, v, text) = preflight(&db, "5.1.1");
    assert_eq!(code, Some(1), "{text}");
    let m = migration(&v, "Version20231206152313");
    assert_eq!(m["verdict"], "would fail", "{m:#}");
    assert_eq!(m["guarded"], true);
    let checks = checks_naming(&v, "Version20231206152313");
    assert_eq!(checks.len(), 1, "{v:#}");
    assert_eq!(checks[0]["status"], "BLOCKER");
    assert!(
        checks[0]["message"]
            .as_str()
            .unwrap()
            .contains("does not hold here"),
        "{v:#}"
    );
}

/// On a prefixed install Mautic names these indexes with the prefix, and so does its guard
/// (`"{$this->prefix}stat_email_lead_id_date_sent"`): with both there the migration skips.
#[test]
fn a_guard_names_objects_with_the_installs_prefix() {
    let db = database_at("pfgpfx", "4.3.0");
    db.prefix_every_table("mt_");
    db.exec(
        "CREATE INDEX mt_stat_email_lead_id_date_sent ON mt_email_stats (lead_id, date_sent); \
         CREATE INDEX mt_stat_email_email_id_is_read ON mt_email_stats (email_id, is_read)",
    );
    let (_, v, text) = preflight_prefixed(&db, "5.1.1", "mt_");
    let m = migration(&v, "Version20231206152313");
    assert_eq!(m["verdict"], "will skip", "{m:#}");
    assert_eq!(
        m["skipped_because"],
        "index_exists email_stats.{prefix}stat_email_lead_id_date_sent AND index_exists email_stats.{prefix}stat_email_email_id_is_read"
    );
    assert!(
        flat(&text).contains(
            "Version20231206152313: will skip (Mautic's guard: index_exists email_stats.mt_stat_email_lead_id_date_sent AND index_exists email_stats.mt_stat_email_email_id_is_read)"
        ),
        "{text}"
    );
}

/// The same index made beforehand on a prefixed install, alone: the guard does not hold, and
/// Mautic's `CREATE INDEX mt_stat_email_lead_id_date_sent` would fail with 1061. effects.tsv
/// names the index without the prefix; looking for that name alone found nothing and called
/// the migration "will run" (exit 0).
#[test]
fn a_prefixed_index_in_the_way_blocks() {
    let db = database_at("pfgpfxhalf", "4.3.0");
    db.prefix_every_table("mt_");
    db.exec("CREATE INDEX mt_stat_email_lead_id_date_sent ON mt_email_stats (lead_id)");
    let (code, v, text) = preflight_prefixed(&db, "5.1.1", "mt_");
    assert_eq!(code, Some(1), "{text}");
    let m = migration(&v, "Version20231206152313");
    assert_eq!(m["verdict"], "would fail", "{m:#}");
    let checks = checks_naming(&v, "Version20231206152313");
    assert_eq!(checks.len(), 1, "{v:#}");
    assert_eq!(checks[0]["status"], "BLOCKER");
    let investigate = checks[0]["investigate"].as_str().unwrap();
    assert!(
        investigate.contains("Key_name = 'mt_stat_email_lead_id_date_sent'"),
        "{investigate}"
    );
    assert!(
        investigate.contains("DROP INDEX `mt_stat_email_lead_id_date_sent`"),
        "{investigate}"
    );
}
