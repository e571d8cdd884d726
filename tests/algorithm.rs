//! Blocking is announced, and avoided where it need not happen (issue 13, item 4), against the
//! real MariaDB:
//! - the classifier's verdict for each planned ALTER agrees with the cheapest algorithm the
//!   server accepts for it (cases as data: the table before and after);
//! - `diff`, `apply --dry-run` and its JSON say per table which algorithm runs and whether
//!   writes are blocked, with the size it was estimated from (or that it is unknown);
//! - a large table's copying ALTER leaves its index additions to a second, online ALTER, a
//!   small table keeps one, and both plans converge.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TestDb, bin};
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::{column_moves, diff_schemas};
use mautic_schema::plan::algorithm::{Algorithm, step_verdict};
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::schema::Schema;
use mautic_schema::sql::parse_schema_sql;

const PARENT: &str = "CREATE TABLE p (id INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB";

/// (label, table `t` before, table `t` after). Every case has the parent table `p` too.
const CASES: &[(&str, &str, &str)] = &[
    // Column order (generic mode, labels starting "order:"): a reorder alone, and a column
    // both moved and changed (one MODIFY carries both).
    (
        "order: move a column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, b INT DEFAULT NULL, a INT DEFAULT NULL)",
    ),
    (
        "order: move and widen a column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, b INT DEFAULT NULL, a BIGINT DEFAULT NULL)",
    ),
    (
        "order: add a column in the middle",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, z INT DEFAULT NULL, a INT DEFAULT NULL)",
    ),
    (
        "add column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, z VARCHAR(20) DEFAULT NULL)",
    ),
    (
        "add column NOT NULL with default",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, z INT NOT NULL DEFAULT 3)",
    ),
    (
        "drop column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, z INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
    ),
    (
        "drop indexed column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, z INT DEFAULT NULL, KEY iz (z))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
    ),
    (
        "change default",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT NOT NULL DEFAULT 0)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT NOT NULL DEFAULT 7)",
    ),
    (
        "int to bigint",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a BIGINT DEFAULT NULL)",
    ),
    (
        "bigint to int",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a BIGINT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
    ),
    (
        "signed to unsigned",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT UNSIGNED DEFAULT NULL)",
    ),
    (
        "varchar longer, same length bytes",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL, KEY iv (v))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL, KEY iv (v))",
    ),
    (
        "varchar longer, crossing 255 bytes",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL)",
    ),
    (
        "varchar to text",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL)",
    ),
    (
        "utf8mb3 to utf8mb4",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL)",
    ),
    (
        "collation of an indexed column",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT NULL, KEY iv (v))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL, KEY iv (v))",
    ),
    (
        "NULL to NOT NULL",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT NOT NULL)",
    ),
    (
        "enum member appended",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, e ENUM('a','b') DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, e ENUM('a','b','c') DEFAULT NULL)",
    ),
    (
        "add index",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL, KEY ia (a), UNIQUE KEY ub (b))",
    ),
    (
        "drop index",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, KEY ia (a))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
    ),
    (
        "index differs",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL, KEY ia (a))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL, KEY ia (a, b))",
    ),
    (
        "add fulltext index",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) DEFAULT NULL, FULLTEXT KEY fv (v))",
    ),
    (
        "add column to a table with a fulltext index",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) DEFAULT NULL, FULLTEXT KEY fv (v))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v VARCHAR(50) DEFAULT NULL, z INT DEFAULT NULL, FULLTEXT KEY fv (v))",
    ),
    (
        "add foreign key",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, p_id INT UNSIGNED DEFAULT NULL, KEY ip (p_id))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, p_id INT UNSIGNED DEFAULT NULL, KEY ip (p_id), CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))",
    ),
    (
        "type change on a table with a foreign key",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, p_id INT UNSIGNED DEFAULT NULL, n INT DEFAULT NULL, KEY ip (p_id), CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, p_id INT UNSIGNED DEFAULT NULL, n BIGINT DEFAULT NULL, KEY ip (p_id), CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))",
    ),
    (
        "type change and index additions together",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a BIGINT DEFAULT NULL, b INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, b INT DEFAULT NULL, KEY ib (b))",
    ),
    (
        "add column and index on it",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL)",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL, z INT DEFAULT NULL, KEY iz (z))",
    ),
    (
        // A 4.x `json_array` column (LONGTEXT) becoming 5.x's JSON: the comment is all the
        // comparison sees, but MariaDB adds CHECK (json_valid(...)) and copies every row.
        "longtext json_array to JSON",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, j LONGTEXT DEFAULT NULL COMMENT '(DC2Type:json_array)')",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, j JSON DEFAULT NULL)",
    ),
    (
        "row format",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL) ROW_FORMAT=COMPACT",
        "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, a INT DEFAULT NULL) ROW_FORMAT=DYNAMIC",
    ),
];

fn schema(sql: &str, server: &ServerInfo) -> Schema {
    let out = parse_schema_sql(sql, &|_| false);
    assert!(out.warnings.is_empty(), "{sql}: {:?}", out.warnings);
    let mut s = out.schema;
    normalize_schema(&mut s, server);
    s
}

/// What the server says about a statement: the cheapest of INSTANT, in place without a rebuild
/// and without a lock (MariaDB's NOCOPY), in place without a lock, in place with a lock, COPY.
/// (algorithm, blocks writes, rebuilds)
async fn cheapest(
    db: &TestDb,
    setup: &str,
    before: &[String],
    sql: &str,
) -> (Algorithm, bool, bool) {
    let tries = [
        ("ALGORITHM=INSTANT", (Algorithm::Instant, false, false)),
        (
            "ALGORITHM=NOCOPY, LOCK=NONE",
            (Algorithm::Inplace, false, false),
        ),
        (
            "ALGORITHM=INPLACE, LOCK=NONE",
            (Algorithm::Inplace, false, true),
        ),
        ("ALGORITHM=INPLACE", (Algorithm::Inplace, true, true)),
        ("ALGORITHM=COPY", (Algorithm::Copy, true, true)),
    ];
    for (clause, answer) in tries {
        db.exec(&format!(
            "SET foreign_key_checks = 0; DROP TABLE IF EXISTS t, p; SET foreign_key_checks = 1; {setup}"
        ));
        let mut conn = db.connect().await;
        for s in before {
            conn.execute(s).await.unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        match conn.execute(&format!("{sql},\n  {clause}")).await {
            Ok(_) => return answer,
            Err(e) if e.server_error().is_some_and(|s| s.is_algorithm_refusal()) => continue,
            Err(e) => panic!("{sql}, {clause}: {e}"),
        }
    }
    panic!("{sql}: no algorithm accepted");
}

#[tokio::test]
async fn classifier_agrees_with_the_server() {
    let db = TestDb::new("algorithm");
    let server = db.connect().await.server.clone();
    let mut disagreements = Vec::new();
    for (label, before, after) in CASES {
        let setup = format!("{PARENT}; {before}");
        let live = schema(&setup, &server);
        let target = schema(&format!("{PARENT}; {after}"), &server);
        let mut changes = diff_schemas(&live, &target);
        if label.starts_with("order:") {
            for (name, want) in &target.tables {
                if let Some(have) = live.tables.get(name) {
                    changes.extend(column_moves(have, want));
                }
            }
        }
        let p = plan(
            &changes,
            &live,
            &target,
            &PlanOptions {
                allow_destructive: true,
                server: server.clone(),
            },
        );
        let alters: Vec<usize> = (0..p.steps.len())
            .filter(|&i| p.steps[i].is_alter())
            .collect();
        assert!(!alters.is_empty(), "{label}: nothing planned");
        for &k in &alters {
            let step = &p.steps[k];
            let v = step_verdict(step, &live, &server)
                .unwrap_or_else(|| panic!("{label}: no verdict for {}", step.sql()));
            let before: Vec<String> = p.steps[..k].iter().map(|s| s.sql()).collect();
            let (algo, blocks, rebuild) = cheapest(&db, &setup, &before, &step.sql()).await;
            let ours = (v.algorithm, v.blocks_writes(), v.rebuild);
            // The server's NOCOPY/INPLACE distinction is only asked of in-place verdicts.
            let theirs = (
                algo,
                blocks,
                if algo == Algorithm::Inplace {
                    rebuild
                } else {
                    ours.2
                },
            );
            if ours != theirs {
                disagreements.push(format!(
                    "{label} ({:?} step): classifier {ours:?} ({}), server {theirs:?}\n{}",
                    step.phase,
                    v.why,
                    step.sql()
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n\n")
    );
}

// ---- the commands ----

fn reference() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/algorithm/reference.sql"
    ))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reference, then drift: `events` (1,000 rows) has a wider column (a COPY) and lacks two
/// indexes; `tags` lacks a column (INSTANT) and an index.
fn drifted(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(reference());
    db.exec(
        "ALTER TABLE events MODIFY object_id BIGINT DEFAULT NULL, DROP INDEX events_action, \
         DROP INDEX events_date_added; \
         ALTER TABLE tags DROP COLUMN weight, DROP INDEX tags_tag; \
         INSERT INTO events (object_id, action, date_added) \
         SELECT seq, ELT(1 + seq % 3, 'open', 'click', 'send'), NOW() - INTERVAL seq MINUTE FROM seq_1_to_1000; \
         ANALYZE TABLE events",
    );
    db
}

fn common_args<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "--url",
        url,
        "--reference-file",
        reference().to_str().unwrap(),
        "--strict",
        "--allow-destructive",
    ];
    v.extend_from_slice(extra);
    v
}

/// The statements of a table in SQL output, in order.
fn statements_on<'a>(sql: &'a str, table: &str) -> Vec<&'a str> {
    let head = format!("ALTER TABLE `{table}`");
    sql.split(";\n")
        .filter_map(|s| s.find(&head).map(|at| &s[at..]))
        .collect()
}

#[test]
fn diff_announces_the_algorithm_and_whether_writes_are_blocked() {
    let db = drifted("announce");
    let url = db.url();
    let mut args = vec!["diff"];
    args.extend(common_args(&url, &[]));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sql = stdout(&out);
    assert!(
        sql.contains("-- events: ALGORITHM=COPY: writes blocked for the whole copy\n"),
        "{sql}"
    );
    assert!(
        sql.contains("--   because of MODIFY `object_id`: type bigint → int\n"),
        "{sql}"
    );
    assert!(sql.contains("--   ~1,000 rows, "), "{sql}");
    // `tags` gets a column (instant) and an index (in place): no block.
    assert!(
        sql.contains("-- tags: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked\n"),
        "{sql}"
    );
    for line in sql
        .lines()
        .filter(|l| l.contains("ALGORITHM=") || l.starts_with("--   "))
    {
        assert!(line.chars().count() <= 80, "longer than 80 columns: {line}");
    }
    // Below the threshold: one ALTER per table.
    assert_eq!(statements_on(&sql, "events").len(), 1, "{sql}");
    assert_eq!(statements_on(&sql, "tags").len(), 1, "{sql}");

    // The annotations are comments: the output runs as it is.
    let client = if Command::new("mariadb").arg("--version").output().is_ok() {
        "mariadb"
    } else {
        "mysql"
    };
    let mut child = Command::new(client)
        .args(["-h", common::HOST, "-P", "3306", "-uroot", &db.name])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sql.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let mut args = vec!["check"];
    args.extend(common_args(&url, &[]));
    assert_eq!(run(&args).status.code(), Some(0));
}

#[test]
fn without_a_connection_the_size_is_unknown_not_guessed() {
    let db = drifted("unknownsize");
    let dump = db.scratch("schema.sql");
    let out = Command::new("mariadb-dump")
        .args([
            "-h",
            common::HOST,
            "-P",
            "3306",
            "-uroot",
            "--no-data",
            &db.name,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&dump, &out.stdout).unwrap();
    let out = run(&[
        "diff",
        "--dump",
        dump.to_str().unwrap(),
        "--reference-file",
        reference().to_str().unwrap(),
        "--strict",
        "--allow-destructive",
    ]);
    let sql = stdout(&out);
    assert!(
        sql.contains("-- events: ALGORITHM=COPY: writes blocked"),
        "{sql}"
    );
    assert!(sql.contains("--   table size unknown"), "{sql}");
}

#[test]
fn a_large_table_builds_its_indexes_online_after_the_copy_a_small_one_in_it() {
    let db = drifted("split");
    let url = db.url();
    // 1K: every table is "large" here; the real threshold is 64M.
    let mut args = vec!["diff"];
    args.extend(common_args(&url, &["--large-table-size", "1K"]));
    let sql = stdout(&run(&args));
    let events = statements_on(&sql, "events");
    assert_eq!(events.len(), 2, "{sql}");
    assert!(
        events[0].contains("MODIFY COLUMN `object_id`") && !events[0].contains("ADD KEY"),
        "{sql}"
    );
    assert!(
        events[1].contains("ADD KEY `events_action`")
            && events[1].contains("ADD KEY `events_date_added`"),
        "{sql}"
    );
    assert!(sql.contains(
        "-- events: large table: index changes moved out of the COPY above, built online\n"
    ));
    // `tags` does not copy: nothing to split.
    assert_eq!(statements_on(&sql, "tags").len(), 1, "{sql}");

    // The dry run's confirmation and JSON say it too.
    let mut args = vec!["apply", "--dry-run", "--no-backup"];
    args.extend(common_args(&url, &["--large-table-size", "1K"]));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("] events: ALGORITHM=COPY: writes blocked for the whole copy"),
        "{err}"
    );
    assert!(err.contains("other ALTER(s) keep writes flowing"), "{err}");
    let mut args = vec!["apply", "--dry-run", "--no-backup", "--format", "json"];
    args.extend(common_args(&url, &["--large-table-size", "1K"]));
    let v: serde_json::Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    let announced = v["announced"].as_array().unwrap();
    let on_events: Vec<&serde_json::Value> = announced
        .iter()
        .filter(|a| a["table"] == "events")
        .collect();
    assert_eq!(on_events.len(), 2, "{v}");
    assert_eq!(on_events[0]["algorithm"], "COPY");
    assert_eq!(on_events[0]["blocks_writes"], true);
    assert!(on_events[0]["rows"].as_u64().unwrap() > 0);
    assert_eq!(on_events[1]["algorithm"], "INPLACE");
    assert_eq!(on_events[1]["blocks_writes"], false);
    assert_eq!(on_events[1]["split_from_copy"], true);

    // Both plans converge; the split one ran the copy and the indexes separately.
    let mut args = vec!["apply", "--yes", "--no-backup", "--format", "json"];
    args.extend(common_args(&url, &["--large-table-size", "1K"]));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ran: Vec<(String, String)> = v["summary"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["table"] == "events")
        .map(|s| {
            (
                s["table"].as_str().unwrap().to_string(),
                s["algorithm"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        ran,
        [
            ("events".to_string(), "COPY".to_string()),
            ("events".to_string(), "INPLACE".to_string())
        ]
    );

    let small = drifted("nosplit");
    let url = small.url();
    let mut args = vec!["apply", "--yes", "--no-backup", "--format", "json"];
    args.extend(common_args(&url, &[]));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let on_events = v["summary"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["table"] == "events")
        .count();
    assert_eq!(on_events, 1, "small table: one ALTER ({v})");
}
