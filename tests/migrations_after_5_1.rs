//! The migrations index past 5.1.1 (5.2.0 and 6.0.3, read from forks: migrations-index/sources.tsv):
//! a 5.1.1 database aiming at 5.2.0 or 6.0.3 gets its pending migrations listed, and a migrations
//! table written by 5.2 or 6.0 is read as that release's, without rows the index calls unknown.

mod common;

use common::{TestDb, bin, corpus};
use serde_json::Value;

/// migrations-index/migrations.tsv rows: version, first release, last release, kind.
fn index_rows() -> Vec<[String; 4]> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            [f[0], f[1], f[2], f[3]].map(String::from)
        })
        .collect()
}

fn key(r: &str) -> Vec<u32> {
    r.split('.').map(|p| p.parse().unwrap()).collect()
}

/// The versions a release ships, per the index file (not the code under test).
fn shipped(release: &str) -> Vec<String> {
    let mut v: Vec<String> = index_rows()
        .into_iter()
        .filter(|f| key(&f[1]) <= key(release) && key(release) <= key(&f[2]))
        .map(|f| f[0].clone())
        .collect();
    v.sort();
    v
}

/// A 5.x migrations table holding these versions, as Doctrine Migrations 3 writes it.
fn migrations_table(db: &TestDb, versions: &[String]) {
    db.exec("CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version))");
    let values: Vec<String> = versions
        .iter()
        .map(|v| format!("('Mautic\\\\Migrations\\\\Version{v}', NOW(), 1)"))
        .collect();
    db.exec(&format!(
        "INSERT INTO migrations VALUES {}",
        values.join(",")
    ));
}

fn check(db: &TestDb, target: Option<&str>) -> Value {
    let mut c = bin();
    c.args(["check", "--url", &db.url(), "--format", "json"]);
    if let Some(t) = target {
        c.args(["--target", t]);
    }
    let o = c.output().unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn versions(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|p| {
            p["version"]
                .as_str()
                .unwrap_or_else(|| p.as_str().unwrap())
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// A 5.1.1 install with every 5.1.1 migration recorded, aiming at a later release: what that
/// release ships beyond 5.1.1 is pending (before: "pending migrations of 5.2.0 unknown").
#[test]
fn a_5_1_1_database_aiming_later_lists_what_is_pending() {
    let db = TestDb::new("after51_pending");
    db.load(&corpus("11-"));
    let done = shipped("5.1.1");
    assert_eq!(done.len(), 42);
    migrations_table(&db, &done);
    for target in ["5.2.0", "6.0.3"] {
        let v = check(&db, Some(target));
        let m = &v["migrations"];
        assert_eq!(m["index_covers_target"], true, "{target}: {m}");
        let expected: Vec<String> = shipped(target)
            .into_iter()
            .filter(|x| !done.contains(x))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(versions(&m["pending"]), expected, "{target}");
        assert_eq!(versions(&m["unknown"]), Vec::<String>::new(), "{target}");
    }
    // 5.2.0 adds 11 migrations, 6.0.3 10 more.
    assert_eq!(shipped("5.2.0").len() - 42, 11);
    assert_eq!(shipped("6.0.3").len() - 53, 10);
}

/// Migrations tables written by 5.2.0 and 6.0.3: detected as those releases, nothing unknown,
/// nothing pending (before: detected as 5.1.1, the newer rows reported as unknown migrations).
#[test]
fn a_5_2_or_6_0_migrations_table_is_read_without_unknown_rows() {
    // 01 is a 5.2.5 fresh install (a 5.2 schema; 03, published as 5.2.2, is a 5.1.x one).
    for (file, release) in [("01-", "5.2.0"), ("02-", "6.0.3")] {
        let db = TestDb::new(&format!("after51_{file}"));
        db.load(&corpus(file));
        migrations_table(&db, &shipped(release));
        let v = check(&db, None);
        assert_eq!(v["detected_by"], "migrations", "{release}");
        assert_eq!(v["detected_version"], release);
        let m = &v["migrations"];
        assert_eq!(
            versions(&m["unknown"]),
            Vec::<String>::new(),
            "{release}: {m}"
        );
        assert_eq!(
            versions(&m["pending"]),
            Vec::<String>::new(),
            "{release}: {m}"
        );
    }
}

/// A target between the releases the forks supply (6.0.1: after 5.2.0, before 6.0.3) is not
/// covered: 6.0's migrations are listed from 6.0.3, so reading 6.0.1 off the first/last ranges
/// would leave them out and call the database complete. Pending stays unknown instead.
#[test]
fn a_target_between_fork_releases_leaves_pending_unknown() {
    let db = TestDb::new("after51_between");
    db.load(&corpus("01-"));
    migrations_table(&db, &shipped("5.2.0"));
    for target in ["5.2.1", "6.0.1"] {
        let v = check(&db, Some(target));
        let m = &v["migrations"];
        assert_eq!(m["index_covers_target"], false, "{target}: {m}");
        assert!(m["pending"].is_null(), "{target}: {m}");
        let expl = v["explanation"].to_string();
        assert!(
            expl.contains(&format!(
                "pending migrations of {target} unknown: the bundled migrations index covers every release to 5.1.1, then only 5.2.0 and 6.0.3"
            )),
            "{expl}"
        );
    }
}

/// migrations-index/effects.tsv: (table, kind of change a database without it gets, object) for
/// each schema object the migrations first shipped in `release` create.
fn objects_added_by_migrations_of(release: &str) -> Vec<(String, String, String)> {
    let first: Vec<String> = index_rows()
        .into_iter()
        .filter(|f| f[1] == release)
        .map(|f| f[0].clone())
        .collect();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/effects.tsv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| first.contains(&f[0].to_string()))
        .filter_map(|f| {
            let kind = match f[2] {
                "create_table" => "missing_table",
                "add_column" => "missing_column",
                "add_index" => "missing_index",
                _ => return None,
            };
            let object = if f[2] == "create_table" { f[3] } else { f[4] };
            Some((f[3].to_string(), kind.to_string(), object.to_string()))
        })
        .collect()
}

/// A database with 5.1.1's schema (its reference, 5.1.0.sql) aiming at 5.2.0 gets a plan for
/// what 5.2.0 adds: every object 5.2.0's own migrations create (effects.tsv: emails_draft,
/// emails.preheader_text, campaign_events.trigger_window, bundle_grapesjsbuilder.
/// draft_custom_mjml, five date indexes) and `dnc_reason_search`, which 5.2.0's entity metadata
/// declares and 5.1.1's does not (no 5.2.0 migration adds it; the 5.2.5 and 6.0.2 dumps have
/// it), each with its SQL, and nothing else to fix. Before 5.2.0 had a reference of its own it
/// was compared with 5.2.2.sql, a 5.1.x schema: in sync, nothing planned.
#[test]
fn a_5_1_database_aiming_at_5_2_0_plans_what_5_2_0_adds() {
    let db = TestDb::new("after51_plan520");
    db.load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference-schemas/5.1.0.sql"
    )));
    let v = check(&db, Some("5.2.0"));
    assert_eq!(v["target_exact"], true, "{}", v["explanation"]);
    assert_eq!(v["reference_file"], "5.2.0.sql");
    let mut want = objects_added_by_migrations_of("5.2.0");
    assert_eq!(want.len(), 9, "{want:?}");
    want.push((
        "lead_donotcontact".into(),
        "missing_index".into(),
        "dnc_reason_search".into(),
    ));
    want.sort();
    let drift: Vec<&Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .collect();
    let mut got: Vec<(String, String, String)> = drift
        .iter()
        .map(|c| {
            (
                c["table"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["object"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, want);
    for c in drift {
        let sql = c["sql"].as_str().unwrap_or("");
        assert!(
            sql.contains(c["table"].as_str().unwrap()) && c["held_back"] == false,
            "not planned: {c}"
        );
    }
}
