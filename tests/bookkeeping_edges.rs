//! The migrations bookkeeping at its edges, on the real server: an empty migrations table is
//! judged like a missing one; no advice runs a data migration whose schema effects are there;
//! a dump without rows (`mariadb-dump --no-data`) has unknown `lead_fields` and `migrations`
//! rows, neither "stock fields deleted" nor "pending data migrations".

mod common;

use std::path::Path;
use std::process::Command;

use common::{HOST, PORT, TestDb, bin, check_json};
use serde_json::Value;

const MIGRATIONS_5: &str = "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version))";

fn reference(release: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{release}.sql"))
}

/// (exit code, stdout) of the tool.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let o = bin().args(args).env("COLUMNS", "200").output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The explanation line naming the table's state is the one place the two differ.
fn names_the_table(line: &str) -> bool {
    line.starts_with("no migrations table") || line.starts_with("the migrations table is empty")
}

/// The check document with the fields that name the difference (the table's presence, the line
/// saying so, the time spent and queries made reading the schema) taken out.
fn comparable(mut v: Value) -> Value {
    v["migrations"]
        .as_object_mut()
        .unwrap()
        .remove("table_present");
    v.as_object_mut().unwrap().remove("stats");
    let keep = |l: &Value| !names_the_table(l.as_str().unwrap());
    let lines: Vec<Value> = v["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| keep(l))
        .cloned()
        .collect();
    v["explanation"] = Value::Array(lines);
    v
}

/// The advice of `diff`: what it records, holds back and leaves to Mautic (the comments and
/// the INSERT; the CREATE TABLE a missing table needs is the one statement that differs).
fn advice(sql: &str) -> Vec<String> {
    sql.lines()
        .filter(|l| {
            l.starts_with("-- Not recorded")
                || l.starts_with("--   ")
                || l.starts_with("INSERT")
                || l.starts_with("  (")
        })
        .map(str::to_string)
        .collect()
}

fn text(db: &TestDb, target: &str) -> (Option<i32>, Vec<String>) {
    let (code, out) = run(&["check", "--url", &db.url(), "--target", target]);
    let lines = out
        .lines()
        .filter(|l| !names_the_table(l.trim_start()))
        .map(str::to_string)
        .collect();
    (code, lines)
}

fn judged_alike(db: &TestDb, target: &str) {
    let missing = (check_json(db, target), text(db, target));
    let missing_sql = run(&["diff", "--url", &db.url(), "--target", target]);
    db.exec(MIGRATIONS_5);
    let empty = (check_json(db, target), text(db, target));
    let empty_sql = run(&["diff", "--url", &db.url(), "--target", target]);
    db.exec("DROP TABLE migrations");
    assert_eq!(empty.0.0, missing.0.0, "exit codes: {:#}", empty.0.1);
    assert_eq!(
        comparable(empty.0.1.clone()),
        comparable(missing.0.1.clone()),
        "empty: {:#}\nmissing: {:#}",
        empty.0.1,
        missing.0.1
    );
    assert_eq!(empty.1, missing.1, "the check's text");
    assert_eq!(empty_sql.0, missing_sql.0, "diff's exit code");
    assert_eq!(
        advice(&empty_sql.1),
        advice(&missing_sql.1),
        "{}",
        empty_sql.1
    );
    assert!(
        !empty_sql.1.contains("doctrine:migrations:execute"),
        "no migration to run on a table that records nothing: {}",
        empty_sql.1
    );
}

/// A 5.1 install whose migrations table is empty (a copy made without its rows, or a table
/// emptied by hand) and the same install without the table: the same verdict, exit code and
/// advice, healthy or drifted. Before, the empty table made every migration of the release
/// "pending" and advised running its data migrations, whose effects were all there.
#[test]
fn an_empty_migrations_table_is_judged_like_a_missing_one() {
    let db = TestDb::new("emptymig");
    db.load(&reference("5.1.0"));
    judged_alike(&db, "5.1.0");
    // Drifted: a missing index is to be fixed, and the recording waits for the fix.
    db.exec("ALTER TABLE lead_lists DROP INDEX lead_list_alias");
    judged_alike(&db, "5.1.0");
    let (code, v) = check_json(&db, "5.1.0");
    assert_eq!(code, Some(1), "{v:#}");
}

/// A table that records every migration but one that changes data and whose schema changes are
/// there (it adds `lead_fields.is_index`): the advice records it, never runs it. One whose
/// effects the schema cannot show (data only) is still Mautic's to run.
#[test]
fn no_advice_runs_a_data_migration_whose_effects_are_there() {
    let db = TestDb::new("datadone");
    db.load(&reference("5.1.0"));
    db.exec(MIGRATIONS_5);
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    let (done, data_only) = ("20190524124819", "20211209022550");
    let rows: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[1].starts_with('5') && f[1] <= "5.1.0" && f[0] != done && f[0] != data_only)
        .map(|f| format!("('Mautic\\\\Migrations\\\\Version{}', NOW(), 1)", f[0]))
        .collect();
    db.exec(&format!("INSERT INTO migrations VALUES {}", rows.join(",")));
    let (_, sql) = run(&["diff", "--url", &db.url(), "--target", "5.1.0"]);
    assert!(
        !sql.contains(&format!("execute --up 'Mautic\\Migrations\\Version{done}'")),
        "{sql}"
    );
    assert!(
        sql.contains(&format!(
            "doctrine:migrations:version --add --no-interaction 'Mautic\\Migrations\\Version{done}'"
        )),
        "{sql}"
    );
    assert!(
        sql.contains(&format!(
            "execute --up 'Mautic\\Migrations\\Version{data_only}'"
        )),
        "{sql}"
    );
    let (_, out) = run(&["check", "--url", &db.url(), "--target", "5.1.0"]);
    assert!(
        !out.contains(&format!("execute --up 'Mautic\\Migrations\\Version{done}'")),
        "{out}"
    );
    // Before an upgrade, preflight never has Mautic run it either.
    let (_, out) = run(&[
        "preflight",
        "--format",
        "json",
        "--url",
        &db.url(),
        "--to",
        "5.1.0",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let verdict = |class: &str| {
        v["migrations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m.to_string().contains(class))
            .map(|m| m["verdict"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{class} not listed: {v:#}"))
    };
    let done_verdict = verdict(&format!("Version{done}"));
    // Its guard (the column it adds exists) makes Mautic skip it; without one it is recorded.
    assert!(!done_verdict.contains("must run"), "{done_verdict}");
    assert!(verdict(&format!("Version{data_only}")).contains("must run"));
}

/// A schema-only dump of a healthy install with fields and recorded migrations, made by the
/// real mariadb-dump with --no-data: its rows are unknown, so neither deleted stock fields nor
/// pending migrations are reported, and the note says why.
#[test]
fn a_dump_without_rows_has_unknown_fields_and_migrations() {
    let db = TestDb::new("nodata");
    db.load(&reference("5.1.0"));
    db.exec(MIGRATIONS_5);
    db.exec("INSERT INTO migrations VALUES ('Mautic\\\\Migrations\\\\Version20240416112112', NOW(), 1); \
             INSERT INTO lead_fields (is_published, label, alias, type, field_group, is_required, is_fixed, is_visible, is_short_visible, is_listable, is_publicly_updatable, is_unique_identifer, object, field_order, is_index, char_length_limit) \
             VALUES (1, 'Email', 'email', 'email', 'core', 0, 1, 1, 1, 1, 0, 1, 'lead', 1, 1, 191)");
    let dump = db.scratch("nodata.sql");
    let out = Command::new("mariadb-dump")
        .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", "--no-data"])
        .arg(&db.name)
        .output()
        .expect("mariadb-dump runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&dump, &out.stdout).unwrap();
    let dump = dump.to_str().unwrap();
    let (code, out) = run(&[
        "check", "--format", "json", "--dump", dump, "--target", "5.1.0",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        !notes.iter().any(|n| n.contains("stock fields deleted")),
        "{notes:#?}"
    );
    assert!(notes.iter().any(|n| n.contains("no rows")), "{notes:#?}");
    assert!(
        v["migrations"]["pending"].is_null(),
        "{:#}",
        v["migrations"]
    );
    let drift: Vec<&Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] != "legacy")
        .collect();
    assert!(drift.is_empty(), "{drift:#?}");
    assert_eq!(code, Some(0), "{v:#}");
    let (_, sql) = run(&["diff", "--dump", dump, "--target", "5.1.0"]);
    assert!(
        !sql.contains("doctrine:migrations") && !sql.contains("INSERT"),
        "{sql}"
    );
}
