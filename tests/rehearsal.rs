//! The rehearsal: the plan runs on a schema-only copy before the live database is touched, so
//! a statement the server refuses stops the run with nothing changed; `--dry-run` rehearses
//! too; the scratch database never outlives the run.

mod common;

use std::process::Output;

use common::{TestDb, bin, text};

/// Two tables; the reference adds a column and an index to the first (fine) and, to the
/// second, a generated column whose expression names a column that does not exist, which
/// only the server can judge.
fn database(tag: &str, expression: &str) -> (TestDb, std::path::PathBuf) {
    let db = TestDb::new(tag);
    db.exec(
        "CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB;
         CREATE TABLE u (id INT NOT NULL, body VARCHAR(20), PRIMARY KEY (id)) ENGINE=InnoDB;
         INSERT INTO t VALUES (1, 2); INSERT INTO u VALUES (1, 'x');",
    );
    let reference = db.scratch("reference.sql");
    std::fs::write(
        &reference,
        format!(
            "CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id), KEY ia (a)) ENGINE=InnoDB;
             CREATE TABLE u (id INT NOT NULL, body VARCHAR(20), g INT GENERATED ALWAYS AS ({expression}) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB;"
        ),
    )
    .unwrap();
    (db, reference)
}

fn apply(db: &TestDb, reference: &std::path::Path, extra: &[&str]) -> Output {
    bin()
        .args(["apply", "--url", &db.url(), "--yes", "--reference-file"])
        .arg(reference)
        .arg("--backup-dir")
        .arg(db.scratch("backups"))
        .args(extra)
        .output()
        .unwrap()
}

fn scratch_databases(db: &TestDb) -> Vec<String> {
    let like = mautic_schema::apply::rehearsal::scratch_prefix(&db.name).replace('_', "\\\\_");
    db.query(&format!(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{like}%'"
    ))
}

#[test]
fn a_refused_statement_stops_the_run_before_any_change() {
    let (db, reference) = database("refused", "nosuch + 1");
    let before = db.query("SHOW CREATE TABLE t");
    for extra in [&["--dry-run"][..], &[]] {
        let o = apply(&db, &reference, extra);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(
            out.contains("refused statement 2 of 2 (u) on a schema-only copy"),
            "{out}"
        );
        assert!(out.contains("Unknown column 'nosuch'"), "{out}");
        assert!(out.contains("nothing was changed"), "{out}");
        // The first statement would have succeeded: it did not run on the live table.
        assert_eq!(db.query("SHOW CREATE TABLE t"), before, "{out}");
        assert!(
            !db.scratch("backups").exists(),
            "no backup before the rehearsal passes"
        );
        assert_eq!(
            db.query(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            ),
            vec!["2"],
            "no journal table either"
        );
        assert!(scratch_databases(&db).is_empty());
    }
}

#[test]
fn a_plan_the_server_accepts_is_rehearsed_then_applied() {
    let (db, reference) = database("accepted", "id + 1");
    // A scratch database a killed run left behind (marked as this database's) goes with the
    // next run (tests/scratch_names.rs has what stays).
    let leftover = format!(
        "{}0123456789ab",
        mautic_schema::apply::rehearsal::scratch_prefix(&db.name)
    );
    db.exec(&format!(
        "CREATE DATABASE `{leftover}`; CREATE TABLE `{leftover}`._ms_scratch_marker (origin VARCHAR(64), \
         run VARCHAR(16), purpose VARCHAR(32), created_at DATETIME); \
         INSERT INTO `{leftover}`._ms_scratch_marker VALUES ('{}', 'x', 'rehearsal', NOW())",
        db.name
    ));
    let o = apply(&db, &reference, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("rehearsal: all 2 statement(s) ran on a schema-only copy of 2 table(s)"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("the server accepted them on a schema-only copy"),
        "{}",
        text(&o)
    );
    assert!(
        scratch_databases(&db).is_empty(),
        "{:?}",
        scratch_databases(&db)
    );
    let o = apply(&db, &reference, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(db.query("SELECT g FROM u"), vec!["2"]);
    assert!(scratch_databases(&db).is_empty());
}
