//! Mautic knowledge end to end on real databases: fresh installs of several releases show no
//! drift against their bundled reference, customized installs keep everything of the user's,
//! and the upgrade failures of FACTS §6 are explained and repaired.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{TestDb, bin, corpus};
use serde_json::Value;

/// A local.php for the test database, written the way Mautic's Configurator writes it.
fn local_php(db: &TestDb, prefix: &str) -> PathBuf {
    let dir = db.scratch("mautic");
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let prefix_line = if prefix.is_empty() {
        "null".to_string()
    } else {
        format!("'{prefix}'")
    };
    let file = dir.join("config/local.php");
    std::fs::write(
        &file,
        format!(
            "<?php\n$parameters = array(\n\t'db_driver' => 'pdo_mysql',\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => {prefix_line},\n\t'db_port' => 3306,\n\t'db_name' => '{}',\n\t'db_user' => 'root',\n\t'site_url' => 'https://mautic.example',\n);\n",
            db.name
        ),
    )
    .unwrap();
    file
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let o = bin()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), v)
}

/// Whether `release` lies between a migration's first and last release (the index runs past
/// 5.1.1, so a 5.1.1 migration's last release may be a later one).
fn within(release: &str, first: &str, last: &str) -> bool {
    let key = |r: &str| -> Vec<u32> { r.split('.').map(|p| p.parse().unwrap()).collect() };
    key(first) <= key(release) && key(release) <= key(last)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn drift(v: &Value) -> Vec<String> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .map(|c| {
            format!(
                "{} {} {}",
                c["table"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["object"].as_str().unwrap()
            )
        })
        .collect()
}

/// Fresh installs: the right version, zero drift. File 12's two generated columns are held as
/// plain columns by that MySQL 8 install: real drift, and exactly that.
#[test]
fn fresh_installs_match_their_release() {
    for (file, prefix, release, expect_drift) in [
        ("11-", "", "5.1.1", vec![]),
        // 2.12.2's pages.redirect_url VARCHAR(2048) and tweets.text VARCHAR(280): not 2.12.0,
        // which shares its names (the structure says so, issue 9).
        ("10-", "mautic_", "2.12.2", vec![]),
        ("13-", "", "2.14.2", vec![]),
        ("01-", "", "5.2.5", vec![]),
        // Published as 5.2.2, but a 5.1.x schema (fresh_installs.rs).
        ("03-", "", "5.1.1", vec![]),
        (
            "12-",
            "",
            "5.0.4",
            vec![
                "email_stats column_differs generated_sent_date",
                "leads column_differs generated_email_domain",
            ],
        ),
    ] {
        let db = TestDb::new(file);
        db.load(&corpus(file));
        let cfg = local_php(&db, prefix);
        let (code, v) = json(&[
            "check",
            "--config",
            cfg.to_str().unwrap(),
            "--target",
            release,
        ]);
        assert_eq!(
            drift(&v),
            expect_drift,
            "{file} against {release}: {}",
            v["explanation"]
        );
        // In sync needs the migrations table too (these dumps have none but 09's).
        let in_sync = expect_drift.is_empty() && v["migrations"]["table_present"] == true;
        assert_eq!(code, Some(if in_sync { 0 } else { 1 }), "{file}");
        assert_eq!(v["target"], release);
        // Without --target the schema says which release it is.
        let (_, v) = json(&["check", "--config", cfg.to_str().unwrap()]);
        let detected = v["detected_version"].as_str().unwrap().to_string();
        let (lo, hi) = detected.split_once('-').unwrap_or((&detected, &detected));
        let key = |r: &str| {
            r.split('.')
                .map(|p| p.parse::<u32>().unwrap())
                .collect::<Vec<_>>()
        };
        assert!(
            key(lo) <= key(release) && key(release) <= key(hi),
            "{file}: detected {detected}, is {release}"
        );
        assert_eq!(v["detected_by"], "schema");
    }
}

/// Custom fields, plugin tables, form results, other applications' tables: recognised, and
/// never proposed for dropping, not even with --allow-destructive.
#[test]
fn customized_installs_keep_what_is_the_users() {
    for file in ["05-", "06-", "07-", "14-"] {
        let db = TestDb::new(file);
        db.load(&corpus(file));
        let cfg = local_php(&db, "");
        let (_, v) = json(&[
            "check",
            "--config",
            cfg.to_str().unwrap(),
            "--allow-destructive",
        ]);
        for c in v["changes"].as_array().unwrap() {
            let kind = c["kind"].as_str().unwrap();
            let table = c["table"].as_str().unwrap();
            if kind == "extra_table"
                || (matches!(table, "leads" | "companies") && kind.starts_with("extra_"))
            {
                assert_eq!(c["severity"], "info", "{file}: {c}");
                assert!(c["sql"].is_null(), "{file}: {c}");
            }
        }
        let out = run(&[
            "diff",
            "--config",
            cfg.to_str().unwrap(),
            "--allow-destructive",
        ]);
        let sql = String::from_utf8_lossy(&out.stdout);
        let statements: Vec<String> = sql
            .split(";\n")
            .map(|st| {
                st.lines()
                    .filter(|l| !l.starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        for st in &statements {
            assert!(!st.starts_with("DROP TABLE"), "{file}: {st}");
            if st.starts_with("ALTER TABLE `leads`") || st.starts_with("ALTER TABLE `companies`") {
                assert!(
                    !st.contains("DROP COLUMN") && !st.contains("DROP INDEX"),
                    "{file}: {st}"
                );
            }
        }
        let kinds: Vec<&str> = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        if file == "14-" {
            // Five form result tables and deleted stock fields.
            let forms = v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["table"].as_str().unwrap().starts_with("form_results_"))
                .count();
            assert_eq!(forms, 5, "{kinds:?}");
            assert!(
                v["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|n| n.as_str().unwrap().contains("fax")),
                "{}",
                v["notes"]
            );
        }
    }
}

/// Repair a damaged database with the SQL `diff` prints, then check it is clean.
fn repair(db: &TestDb, cfg: &str, release: &str) -> String {
    let out = run(&["diff", "--config", cfg, "--target", release]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sql = String::from_utf8_lossy(&out.stdout).into_owned();
    db.exec(&sql);
    let (code, v) = json(&["check", "--config", cfg, "--target", release]);
    assert_eq!(code, Some(0), "still: {:?}\n{sql}", drift(&v));
    sql
}

#[test]
fn failed_upgrades_are_explained_and_repaired() {
    let db = TestDb::new("failures");
    db.load(&corpus("11-"));
    let cfg = local_php(&db, "");
    let cfg = cfg.to_str().unwrap();
    // Case 1: lead_lists.category_id added signed, its FK failed with errno 150.
    db.exec("ALTER TABLE lead_lists DROP FOREIGN KEY FK_6EC1522A12469DE2; ALTER TABLE lead_lists MODIFY category_id INT NULL");
    // Case 2: point groups half created: the score table and the group_id FK of points missing.
    db.exec("DROP TABLE point_group_contact_score; ALTER TABLE points DROP FOREIGN KEY FK_27BA8E29FE54D947, DROP INDEX IDX_27BA8E29FE54D947, DROP COLUMN group_id");
    // Case 3: campaign_summary exists without its foreign keys.
    db.exec("ALTER TABLE campaign_summary DROP FOREIGN KEY FK_6692FA4F71F7E88B, DROP FOREIGN KEY FK_6692FA4FF639F774");
    // Case 7: a column an earlier migration should have added.
    db.exec("ALTER TABLE lead_devices DROP INDEX UNIQ_48C912F47D05ABBE, DROP COLUMN tracking_id");
    // Some rows so the repair runs on data.
    db.exec("INSERT INTO categories (is_published, title, alias, bundle) VALUES (1, 'c', 'c', 'global'); \
             INSERT INTO lead_lists (category_id, is_published, name, alias, is_global, is_preference_center, public_name, filters) VALUES (1, 1, 'l', 'l', 1, 0, 'l', 'a:0:{}')");
    let (code, v) = json(&["check", "--config", cfg, "--target", "5.1.1"]);
    assert_eq!(code, Some(1));
    let d = drift(&v);
    for want in [
        "lead_lists missing_foreign_key FK_6EC1522A12469DE2",
        "lead_lists column_differs category_id",
        "point_group_contact_score missing_table point_group_contact_score",
        "points missing_column group_id",
        "points missing_foreign_key FK_27BA8E29FE54D947",
        "campaign_summary missing_foreign_key FK_6692FA4F71F7E88B",
        "lead_devices missing_column tracking_id",
    ] {
        assert!(d.iter().any(|x| x == want), "{want} not in {d:#?}");
    }
    let explanation = v["explanation"].to_string();
    assert!(
        explanation.contains("no migrations table") && explanation.contains("difference(s) to fix"),
        "{explanation}"
    );
    let sql = repair(&db, cfg, "5.1.1");
    assert!(sql.contains("must match categories.id"), "{sql}");
    // Case 15: the missing migrations table is created and this release's migrations recorded.
    assert!(sql.contains("CREATE TABLE `migrations`"), "{sql}");
    let rows = db.query("SELECT COUNT(*) FROM migrations");
    assert_eq!(rows, vec!["42"], "5.1.1 ships 42 migrations");
    assert_eq!(
        db.query("SELECT COUNT(*) FROM lead_lists WHERE category_id = 1"),
        vec!["1"]
    );
}

/// Prefixed installs: hard-coded FK names (case 4) and index names without the prefix
/// (case 16) are found and renamed; the `_search` spellings Mautic itself varies are not drift.
#[test]
fn prefix_drift_is_repaired() {
    let db = TestDb::new("prefixed");
    db.load(&corpus("10-"));
    let cfg = local_php(&db, "mautic_");
    let cfg = cfg.to_str().unwrap();
    db.exec(
        "ALTER TABLE mautic_lead_event_log DROP FOREIGN KEY FK_4A389C8855458D, ADD CONSTRAINT FK_BCE2FC0C55458D FOREIGN KEY (lead_id) REFERENCES mautic_leads (id) ON DELETE SET NULL; \
         ALTER TABLE mautic_lead_event_log RENAME INDEX mautic_lead_date_added_index TO lead_date_added_index; \
         ALTER TABLE mautic_leads RENAME INDEX mautic_fax_search TO fax_search",
    );
    let (code, v) = json(&["check", "--config", cfg, "--target", "2.12.0"]);
    assert_eq!(code, Some(1));
    let d = drift(&v);
    assert!(
        d.contains(&"mautic_lead_event_log foreign_key_renamed FK_4A389C8855458D".to_string()),
        "{d:#?}"
    );
    assert!(
        d.contains(&"mautic_lead_event_log index_renamed mautic_lead_date_added_index".to_string()),
        "{d:#?}"
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    let fax = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["object"] == "mautic_fax_search")
        .unwrap();
    assert_eq!(fax["severity"], "info");
    let sql = repair(&db, cfg, "2.12.0");
    assert!(
        sql.contains("RENAME INDEX `lead_date_added_index` TO `mautic_lead_date_added_index`"),
        "{sql}"
    );
}

/// Case 6 (a migration re-run into an index that already exists) and pending migrations: the
/// schema-only ones are recorded once the schema has them; data ones are listed, never marked.
#[test]
fn pending_migrations_are_recorded_or_listed() {
    let db = TestDb::new("pending");
    db.load(&corpus("11-"));
    let cfg = local_php(&db, "");
    let cfg = cfg.to_str().unwrap();
    // The migrations table of a 5.1.1 install that stopped before its last migrations.
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    let mine: Vec<(&str, &str)> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[1].starts_with('5') && within("5.1.1", f[1], f[2]))
        .map(|f| (f[0], f[3]))
        .collect();
    assert_eq!(mine.len(), 42);
    let schema_one = mine
        .iter()
        .find(|(v, k)| *k == "schema" && v.starts_with("2024"))
        .unwrap()
        .0;
    // A data migration whose effects the schema cannot show: Mautic's to run. (One whose schema
    // changes are there is to be recorded, not run: tests/bookkeeping_edges.rs.)
    let effects = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/effects.tsv"
    ))
    .unwrap();
    let shows_in_schema = |v: &str| {
        effects.lines().any(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            f[0] == v && f.len() > 2 && !matches!(f[2], "data" | "unknown")
        })
    };
    let data_one = mine
        .iter()
        .find(|(v, k)| *k == "data" && !shows_in_schema(v))
        .unwrap()
        .0;
    db.exec("CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version))");
    let values: Vec<String> = mine
        .iter()
        .filter(|(v, _)| *v != schema_one && *v != data_one)
        .map(|(v, _)| format!("('Mautic\\\\Migrations\\\\Version{v}', NOW(), 1)"))
        .collect();
    db.exec(&format!(
        "INSERT INTO migrations VALUES {}",
        values.join(",")
    ));
    // Without --target the migrations say 5.0.4: the newest release whose migrations all ran.
    let (_, v) = json(&["check", "--config", cfg]);
    assert_eq!(v["detected_by"], "migrations");
    assert_eq!(v["detected_version"], "5.0.1-5.0.4");
    // The files are 5.1.1 (what --mautic-dir would say).
    let (code, v) = json(&["check", "--config", cfg, "--target", "5.1.1"]);
    assert_eq!(
        code,
        Some(1),
        "a pending schema-only migration is not in sync"
    );
    let pending: Vec<&str> = v["migrations"]["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["version"].as_str().unwrap())
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(
        drift(&v).is_empty(),
        "the schema itself is complete: {:?}",
        drift(&v)
    );
    let out = run(&["diff", "--config", cfg, "--target", "5.1.1"]);
    let sql = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        sql.contains(&format!("Version{schema_one}"))
            && sql.contains("INSERT IGNORE INTO `migrations`"),
        "{sql}"
    );
    assert!(
        sql.contains(&format!(
            "doctrine:migrations:execute --up 'Mautic\\Migrations\\Version{data_one}'"
        )),
        "{sql}"
    );
    db.exec(&sql);
    let (code, v) = json(&["check", "--config", cfg, "--target", "5.1.1"]);
    assert_eq!(code, Some(0), "{}", v["migrations"]);
    let pending: Vec<&str> = v["migrations"]["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        pending,
        vec!["data"],
        "the data migration stays pending, for Mautic to run"
    );
}

/// `--mautic-dir`: local.php found where 5.x keeps it, the code version read from the install's
/// files and used as the target.
#[test]
fn mautic_dir_gives_credentials_and_code_version() {
    let db = TestDb::new("mauticdir");
    db.load(&corpus("11-"));
    let cfg = local_php(&db, "");
    let dir = cfg.parent().unwrap().parent().unwrap();
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(
        dir.join("app/release_metadata.json"),
        r#"{"version": "5.1.1", "stability": "stable"}"#,
    )
    .unwrap();
    let (code, v) = json(&["check", "--mautic-dir", dir.to_str().unwrap()]);
    // The dump has no migrations table: the schema is in sync, the bookkeeping is not.
    assert_eq!(v["verdict"]["kind"], "bookkeeping-broken");
    assert_eq!(code, Some(1), "{}", v["explanation"]);
    assert_eq!(v["code_version"], "5.1.1");
    assert_eq!(v["target"], "5.1.1");
    assert!(
        v["explanation"][0]
            .as_str()
            .unwrap()
            .contains("files are 5.1.1"),
        "{}",
        v["explanation"]
    );
}

/// A migration stopped before its ALTER ran: pending with its one effect missing (not
/// "half-applied": nothing of it is there), the explanation names what is missing, and the
/// repair both completes the schema and records the migration.
#[test]
fn half_applied_migration_is_explained_and_recorded() {
    let db = TestDb::new("half");
    db.load(&corpus("11-"));
    let cfg = local_php(&db, "");
    let cfg = cfg.to_str().unwrap();
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    let values: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| {
            f[1].starts_with('5') && within("5.1.1", f[1], f[2]) && f[0] != "20240416112112"
        })
        .map(|f| format!("('Mautic\\\\Migrations\\\\Version{}', NOW(), 1)", f[0]))
        .collect();
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version)); \
         INSERT INTO migrations VALUES {}; ALTER TABLE campaigns DROP COLUMN version",
        values.join(",")
    ));
    let (code, v) = json(&["check", "--config", cfg, "--target", "5.1.1"]);
    assert_eq!(code, Some(1));
    let explanation = v["explanation"].to_string();
    assert!(
        explanation.contains(
            "not applied yet: Version20240416112112 (ALTER TABLE on campaigns): column campaigns.version is missing"
        ) && !explanation.contains("half-applied"),
        "{explanation}"
    );
    assert_eq!(drift(&v), vec!["campaigns missing_column version"]);
    let sql = repair(&db, cfg, "5.1.1");
    assert!(
        sql.contains("ADD COLUMN `version` int unsigned NOT NULL DEFAULT 1")
            && sql.contains("Version20240416112112"),
        "{sql}"
    );
    assert_eq!(db.query("SELECT COUNT(*) FROM migrations"), vec!["42"]);
}
