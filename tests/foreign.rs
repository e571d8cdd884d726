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
        Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
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
    let line = out
        .lines()
        .find(|l| l.contains("left alone"))
        .unwrap_or_else(|| panic!("no summary of the other tables in:\n{out}"));
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
