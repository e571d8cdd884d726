//! Tables of other installs and applications in the same database are summarised, not listed
//! one by one: a multi-tenant database must not flood the screen (JSON still lists each).

mod common;

use std::process::Command;

use common::{TestDb, corpus};

#[test]
fn other_installs_are_summarised_by_prefix() {
    let db = TestDb::new("foreign");
    db.load(&corpus("11-"));
    let tables = db.query(&format!(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}'",
        db.name
    ));
    let mut sql = String::new();
    for prefix in ["tenant1_", "tenant2_", "tenant3_"] {
        for t in &tables {
            sql.push_str(&format!("CREATE TABLE `{prefix}{t}` LIKE `{t}`;"));
        }
    }
    sql.push_str("CREATE TABLE wp_posts (id int); CREATE TABLE wp_users (id int);");
    db.exec(&sql);
    let run = |format: &str| {
        common::bin()
            .args([
                "check",
                "--url",
                &db.url(),
                "--target",
                "5.1.1",
                "--format",
                format,
            ])
            .args(["--prefix", "tenant1_"])
            .output()
            .unwrap()
    };
    let o = run("table");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // The summary is one paragraph, wrapped to the width (its continuation lines indented).
    let start = out
        .lines()
        .position(|l| l.contains("left alone"))
        .unwrap_or_else(|| panic!("no summary of the other tables in:\n{out}"));
    let line = out
        .lines()
        .skip(start)
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with("  "))
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(line.len() < 300, "{} characters: {line}", line.len());
    assert!(
        line.contains(&format!("{} table(s)", 3 * tables.len() + 2)),
        "{line}"
    );
    // Checking tenant1_: the unprefixed install and two tenants are the others.
    assert!(line.contains("3 other install(s)"), "{line}");
    for p in [
        "(no prefix)",
        "tenant2_",
        "tenant3_",
        "wp_posts",
        "wp_users",
    ] {
        assert!(line.contains(p), "{p} not in {line}");
    }

    let o = run("json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["foreign_tables"].as_array().unwrap().len(),
        3 * tables.len() + 2
    );
    assert_eq!(v["other_installs"][0]["tables"], tables.len());
}

/// The inspection reads only the install's tables: the others are named, never read, so its
/// cost follows the install, not the database (scripts/bench-tenants.sh measures it). A
/// prefix holding LIKE's wildcards matches only itself.
#[tokio::test]
async fn inspection_reads_only_the_install() {
    let db = TestDb::new("scoped");
    db.exec(
        "CREATE TABLE a_x_leads (id INT PRIMARY KEY, parent INT, KEY ip (parent), \
           CONSTRAINT a_x_fk FOREIGN KEY (parent) REFERENCES a_x_leads (id)); \
         CREATE TABLE abx_leads (id INT PRIMARY KEY); \
         CREATE TABLE b_leads (id INT PRIMARY KEY, v VARCHAR(5) CHECK (v <> ''));",
    );
    let mut conn = db.connect().await;
    let all = mautic_schema::inspect::inspect(&mut conn).await.unwrap();
    let mine = mautic_schema::inspect::inspect_scoped(&mut conn, "a_x_")
        .await
        .unwrap();
    assert_eq!(mine.schema.tables.keys().collect::<Vec<_>>(), ["a_x_leads"]);
    assert_eq!(mine.outside, ["abx_leads", "b_leads"]);
    assert_eq!(
        mine.schema.tables["a_x_leads"], all.schema.tables["a_x_leads"],
        "the install's table reads the same either way"
    );
    assert!(
        mine.queries <= all.queries + 1,
        "{} vs {}",
        mine.queries,
        all.queries
    );
}

/// Triggers, routines, events and partitioned tables are out of the comparison's scope, so
/// they are named, never silently covered by "in sync".
#[test]
fn triggers_routines_events_and_partitions_are_named_as_not_compared() {
    let db = TestDb::new("programs");
    db.load(&corpus("11-"));
    db.exec(
        "CREATE TRIGGER audit_leads BEFORE UPDATE ON leads FOR EACH ROW SET NEW.points = NEW.points;
         CREATE PROCEDURE purge_old() SELECT 1;
         CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1;
         CREATE TABLE archive_log (id INT NOT NULL, PRIMARY KEY (id)) PARTITION BY HASH(id) PARTITIONS 2;",
    );
    let out = common::bin()
        .args([
            "check",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = v["notes"].to_string();
    let wanted = [
        "trigger audit_leads on leads",
        "procedure purge_old",
        "event nightly",
        "partitioning of table archive_log",
    ];
    for want in wanted {
        assert!(notes.contains(want), "{want} missing from {notes}");
    }
    // The same database as a dump names the same objects (and the view).
    db.exec("CREATE VIEW recent_leads AS SELECT id FROM leads");
    let dump = db.scratch("programs.sql");
    std::fs::create_dir_all(dump.parent().unwrap()).unwrap();
    let out = Command::new("mariadb-dump")
        .args([
            "-h127.0.0.1",
            "-uroot",
            "--no-data",
            "--routines",
            "--triggers",
            "--events",
        ])
        .arg(&db.name)
        .output()
        .unwrap();
    std::fs::write(&dump, &out.stdout).unwrap();
    let out = common::bin()
        .args(["check", "--target", "5.1.1", "--format", "json", "--dump"])
        .arg(&dump)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = v["notes"].to_string();
    for want in wanted.iter().chain(&["view recent_leads"]) {
        assert!(notes.contains(want), "dump: {want} missing from {notes}");
    }
}
