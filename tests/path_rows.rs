//! Data preconditions of Mautic's own statements, one case per class (issue 21, item 3): for
//! each, a small database where the statement really fails on this server (run on a copy,
//! the server's error number asserted), the check that counts exactly the offending rows and
//! lists them, and the same data without them, where the check finds nothing and the
//! statement succeeds. Then the 4.4 → 5.0 case end to end: one PHP-serialised row in
//! lead_event_log.properties stops `preflight` naming the migration, and stops `apply`.

mod common;

use std::path::Path;

use common::{TestDb, bin};
use mautic_schema::apply::prechecks::count_rows;
use mautic_schema::db::Db;
use mautic_schema::inspect::inspect;
use mautic_schema::mautic::effects::{Effect, EffectOp, by_version};
use mautic_schema::mautic::preconditions::of_effect;
use mautic_schema::plan::preconditions::{Class, SqlMode};

struct Case {
    name: &'static str,
    /// The statement: Mautic's own (effects.tsv's version and step), or one of the same shape.
    effect: Effect,
    /// Tables and rows that pass.
    setup: &'static str,
    /// Rows that make the statement fail, and how many the check must count.
    offending: &'static str,
    count: u64,
    /// The rows the listing query must show (duplicate groups for a unique key).
    listed: usize,
    remove: &'static str,
    /// The sql_mode the statement runs under.
    mode: &'static str,
    class: Class,
    error: u16,
}

/// Mautic's statement `step` of migration `version` on `table`.
fn mautic(version: &str, step: u32, table: &str) -> Effect {
    by_version()[version]
        .iter()
        .find(|e| e.step == step && e.table == table)
        .unwrap_or_else(|| panic!("{version} step {step} on {table}"))
        .clone()
}

fn shaped(op: EffectOp, table: &str, object: &str, definition: &str, sql: &str) -> Effect {
    Effect {
        version: "test".into(),
        step: 1,
        op,
        table: table.into(),
        object: object.into(),
        definition: definition.into(),
        sql: sql.into(),
    }
}

const STRICT: &str = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

fn cases() -> Vec<Case> {
    let frequency = "CREATE TABLE lead_frequencyrules (id INT AUTO_INCREMENT PRIMARY KEY, \
        frequency_number INT DEFAULT NULL, frequency_time VARCHAR(255) DEFAULT NULL, \
        pause_from_date DATETIME DEFAULT NULL); \
        INSERT INTO lead_frequencyrules (frequency_number, frequency_time, pause_from_date) \
        VALUES (3, 'DAY', '2024-01-01'), (NULL, NULL, NULL)";
    vec![
        Case {
            name: "a column becoming JSON",
            effect: mautic("020230615115326", 9, "lead_event_log"),
            setup: "CREATE TABLE lead_event_log (id INT AUTO_INCREMENT PRIMARY KEY, \
                properties LONGTEXT DEFAULT NULL COMMENT '(DC2Type:json_array)'); \
                INSERT INTO lead_event_log (properties) VALUES ('{\"a\": 1}'), (NULL), ('[]')",
            offending: "INSERT INTO lead_event_log (properties) VALUES ('a:1:{s:1:\"a\";i:1;}'), ('')",
            count: 2,
            listed: 2,
            remove: "DELETE FROM lead_event_log WHERE properties IN ('', 'a:1:{s:1:\"a\";i:1;}')",
            mode: "",
            class: Class::InvalidJson,
            error: 4025,
        },
        Case {
            name: "a new unique key",
            effect: mautic("20180410101632", 1, "lead_devices"),
            setup: "CREATE TABLE lead_devices (id INT AUTO_INCREMENT PRIMARY KEY, \
                tracking_id VARCHAR(191) DEFAULT NULL); \
                INSERT INTO lead_devices (tracking_id) VALUES ('a'), ('b'), (NULL), (NULL)",
            offending: "INSERT INTO lead_devices (tracking_id) VALUES ('a'), ('b'), ('b')",
            count: 2,
            listed: 2,
            remove: "DELETE FROM lead_devices WHERE id > 4",
            mode: STRICT,
            class: Class::Duplicates,
            error: 1062,
        },
        Case {
            name: "a new foreign key",
            effect: mautic("20160719000000", 2, "lead_devices"),
            setup: "CREATE TABLE leads (id INT AUTO_INCREMENT PRIMARY KEY); \
                CREATE TABLE lead_devices (id INT AUTO_INCREMENT PRIMARY KEY, lead_id INT NOT NULL, \
                KEY IDX_48C912F455458D (lead_id)); \
                INSERT INTO leads VALUES (1), (2); INSERT INTO lead_devices (lead_id) VALUES (1), (2)",
            offending: "INSERT INTO lead_devices (lead_id) VALUES (7), (8), (8)",
            count: 3,
            listed: 3,
            remove: "DELETE FROM lead_devices WHERE lead_id > 2",
            mode: STRICT,
            class: Class::Orphans,
            error: 1452,
        },
        Case {
            name: "a column becoming NOT NULL",
            effect: mautic("20161004080958", 2, "form_submissions"),
            setup: "CREATE TABLE form_submissions (id INT AUTO_INCREMENT PRIMARY KEY, \
                referer LONGTEXT DEFAULT NULL); \
                INSERT INTO form_submissions (referer) VALUES ('https://example.org/')",
            offending: "INSERT INTO form_submissions (referer) VALUES (NULL)",
            count: 1,
            listed: 1,
            remove: "DELETE FROM form_submissions WHERE referer IS NULL",
            mode: STRICT,
            class: Class::NotNull,
            error: 1265,
        },
        Case {
            name: "a narrowed text column",
            effect: mautic("20161124145649", 2, "lead_frequencyrules"),
            setup: frequency,
            offending: "INSERT INTO lead_frequencyrules (frequency_time) \
                VALUES (REPEAT('x', 26)), (REPEAT('é', 40))",
            count: 2,
            listed: 2,
            remove: "DELETE FROM lead_frequencyrules WHERE CHAR_LENGTH(frequency_time) > 25",
            mode: STRICT,
            class: Class::Narrowing,
            error: 1406,
        },
        Case {
            name: "a narrowed short text column",
            effect: shaped(
                EffectOp::ModifyColumn,
                "tags",
                "tag",
                "`tag` VARCHAR(5) NOT NULL",
                "ALTER TABLE tags CHANGE tag tag VARCHAR(5) NOT NULL",
            ),
            setup: "CREATE TABLE tags (id INT AUTO_INCREMENT PRIMARY KEY, tag VARCHAR(20) NOT NULL) \
                CHARACTER SET utf8mb4; INSERT INTO tags (tag) VALUES ('a'), ('bcdef')",
            offending: "INSERT INTO tags (tag) VALUES ('abcdefgh')",
            count: 1,
            listed: 1,
            remove: "DELETE FROM tags WHERE CHAR_LENGTH(tag) > 5",
            mode: STRICT,
            class: Class::Narrowing,
            error: 1265,
        },
        Case {
            name: "a narrowed integer column",
            effect: mautic("20161124145649", 1, "lead_frequencyrules"),
            setup: frequency,
            offending: "INSERT INTO lead_frequencyrules (frequency_number) VALUES (40000), (-32769)",
            count: 2,
            listed: 2,
            remove: "DELETE FROM lead_frequencyrules WHERE ABS(frequency_number) > 32767",
            mode: STRICT,
            class: Class::Narrowing,
            error: 1264,
        },
        Case {
            name: "an ENUM losing a member",
            effect: shaped(
                EffectOp::ModifyColumn,
                "tasks",
                "state",
                "`state` ENUM('open','done') NOT NULL",
                "ALTER TABLE tasks CHANGE state state ENUM('open','done') NOT NULL",
            ),
            setup: "CREATE TABLE tasks (id INT AUTO_INCREMENT PRIMARY KEY, \
                state ENUM('open','done','gone') NOT NULL); \
                INSERT INTO tasks (state) VALUES ('open'), ('done')",
            offending: "INSERT INTO tasks (state) VALUES ('gone')",
            count: 1,
            listed: 1,
            remove: "DELETE FROM tasks WHERE state = 'gone'",
            mode: STRICT,
            class: Class::Narrowing,
            error: 1265,
        },
        Case {
            name: "zero dates in a table the statement copies",
            effect: mautic("20161124145649", 1, "lead_frequencyrules"),
            setup: frequency,
            offending: "SET SESSION sql_mode = ''; \
                INSERT INTO lead_frequencyrules (frequency_number, pause_from_date) \
                VALUES (1, '0000-00-00 00:00:00')",
            count: 1,
            listed: 1,
            remove: "DELETE FROM lead_frequencyrules WHERE pause_from_date < '1000-01-01'",
            mode: "STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE",
            class: Class::ZeroDates,
            error: 1292,
        },
    ]
}

async fn connect(db: &TestDb, mode: &str) -> Db {
    let mut conn = db.connect().await;
    conn.execute(&format!("SET SESSION sql_mode = '{mode}'"))
        .await
        .unwrap();
    conn
}

/// The server's answer to the statement (its error number, or `None` when it succeeds).
async fn run_statement(db: &TestDb, case: &Case) -> Option<u16> {
    let mut conn = connect(db, case.mode).await;
    match conn.execute(&case.effect.sql).await {
        Ok(_) => None,
        Err(e) => Some(e.code().unwrap_or_else(|| panic!("{}: {e}", case.name))),
    }
}

#[tokio::test]
async fn each_class_counts_exactly_the_rows_that_make_the_statement_fail() {
    for case in cases() {
        let name = case.name;
        // The statement really fails on a copy holding the offending rows.
        let copy = TestDb::new("rowscopy");
        copy.exec(case.setup);
        copy.exec(case.offending);
        assert_eq!(
            run_statement(&copy, &case).await,
            Some(case.error),
            "{name}"
        );

        let db = TestDb::new("rows");
        db.exec(case.setup);
        db.exec(case.offending);
        let mut conn = connect(&db, case.mode).await;
        let live = inspect(&mut conn).await.unwrap().schema;
        let mode = SqlMode::parse(case.mode);
        let found: Vec<_> = of_effect(&case.effect, "", &live, &live, &conn.server, mode)
            .into_iter()
            .filter(|p| p.class == case.class)
            .collect();
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        let p = &found[0];
        assert_eq!(p.error.number(), case.error, "{name}");
        assert_eq!(
            count_rows(&mut conn, p).await.unwrap(),
            case.count,
            "{name}"
        );
        assert_eq!(
            db.query(&p.list_sql).len(),
            case.listed,
            "{name}: {}",
            p.list_sql
        );
        assert!(!p.fix.is_empty());

        // Without the offending rows: nothing counted, and the statement succeeds.
        db.exec(case.remove);
        assert_eq!(count_rows(&mut conn, p).await.unwrap(), 0, "{name}");
        assert_eq!(run_statement(&db, &case).await, None, "{name}");
    }
}

/// Under a sql_mode that lets the values through, the classes that depend on it are not
/// checked, and the statement indeed succeeds.
#[tokio::test]
async fn a_lenient_sql_mode_needs_no_strict_checks() {
    for case in cases().into_iter().filter(|c| {
        matches!(
            c.class,
            Class::NotNull | Class::Narrowing | Class::ZeroDates
        )
    }) {
        let db = TestDb::new("rowslenient");
        db.exec(case.setup);
        db.exec(case.offending);
        let mut conn = connect(&db, "").await;
        let live = inspect(&mut conn).await.unwrap().schema;
        let found = of_effect(
            &case.effect,
            "",
            &live,
            &live,
            &conn.server,
            SqlMode::default(),
        );
        assert!(found.iter().all(|p| p.class != case.class), "{}", case.name);
        let lenient = Case { mode: "", ..case };
        assert_eq!(run_statement(&db, &lenient).await, None, "{}", lenient.name);
    }
}

/// A 4.4 install on MariaDB as Doctrine's MariaDB platform made it: the reference schema,
/// every JSON column a LONGTEXT marked `(DC2Type:json_array)` (no json_valid check), and the
/// migrations of 4.4.13 recorded.
fn install_4_4(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    let to_longtext = db.query(
        "SELECT CONCAT('ALTER TABLE `', c.TABLE_NAME, '` MODIFY `', c.COLUMN_NAME, '` LONGTEXT ', \
         IF(c.IS_NULLABLE = 'YES', 'DEFAULT NULL', 'NOT NULL'), ' COMMENT ', QUOTE(c.COLUMN_COMMENT), ';') \
         FROM information_schema.COLUMNS c JOIN information_schema.CHECK_CONSTRAINTS k \
         ON k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME \
         AND k.CONSTRAINT_NAME = c.COLUMN_NAME \
         WHERE c.TABLE_SCHEMA = DATABASE() AND k.CHECK_CLAUSE LIKE 'json_valid%'",
    );
    assert!(to_longtext.len() > 5, "{to_longtext:?}");
    db.exec(&to_longtext.join(" "));
    common::record_migrations_of(&db, "4.4.13");
    db.exec(
        "INSERT INTO leads (is_published, points) VALUES (1, 0); \
         INSERT INTO lead_event_log (lead_id, bundle, object, action, date_added, properties) \
         SELECT id, 'lead', 'import', 'inserted', NOW(), '{\"line\": 2}' FROM leads",
    );
    db
}

const PHP_ROW: &str = "INSERT INTO lead_event_log (lead_id, bundle, object, action, date_added, properties) \
    SELECT id, 'lead', 'import', 'updated', NOW(), 'a:1:{s:4:\"line\";i:3;}' FROM leads";

fn checks_naming<'a>(v: &'a serde_json::Value, migration: &str) -> Vec<&'a serde_json::Value> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["message"].as_str().unwrap().contains(migration))
        .collect()
}

/// Version020230615115326's `CHANGE properties properties JSON` meets one serialized PHP row:
/// MariaDB refuses it with 4025, and preflight says so, naming the migration, its statement,
/// the table, the count and the query that lists the row.
#[test]
fn a_php_serialised_row_blocks_the_first_5_0_migration() {
    let db = install_4_4("rowsphp");
    db.exec(PHP_ROW);
    let (code, v) = common::preflight_json(&db, "5.0.0", "");
    assert_eq!(code, Some(1), "{v:#}");
    let found = checks_naming(&v, "Version020230615115326");
    assert_eq!(found.len(), 1, "{v:#}");
    let c = found[0];
    assert_eq!(c["status"], "BLOCKER");
    assert_eq!(c["check"], "invalid JSON");
    let message = c["message"].as_str().unwrap();
    for part in [
        "statement 9",
        "lead_event_log.properties",
        "1 row(s)",
        "error 4025",
        "fix:",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    let listing = c["investigate"].as_str().unwrap();
    assert!(listing.contains("JSON_VALID(`properties`)"), "{listing}");
    assert_eq!(db.query(listing).len(), 1, "{listing}");
    // The statement itself, as Mautic runs it, indeed fails here.
    let statement = &by_version()["020230615115326"]
        .iter()
        .find(|e| e.table == "lead_event_log")
        .unwrap()
        .sql;
    let copy = install_4_4("rowsphpcopy");
    copy.exec(PHP_ROW);
    let o = std::process::Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-uroot", &copy.name, "-e", statement])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("ERROR 4025"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn without_the_row_the_json_check_passes() {
    let db = install_4_4("rowsclean");
    let (code, v) = common::preflight_json(&db, "5.0.0", "");
    assert_eq!(code, Some(0), "{v:#}");
    assert!(
        checks_naming(&v, "Version020230615115326").is_empty(),
        "{v:#}"
    );
    let rows = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "statement rows")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(rows["status"], "ok", "{rows:#}");
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["check"] != "invalid JSON"),
        "{v:#}"
    );
}

/// `apply` on the same 4.4 database stops at its pre-checks, before any change, naming the row.
#[test]
fn apply_stops_before_any_change_naming_the_rows() {
    let db = install_4_4("rowsapply");
    db.exec(PHP_ROW);
    let before = db.snapshot();
    let o = bin()
        .args([
            "apply",
            "--url",
            &db.url(),
            "--target",
            "5.0.0",
            "--yes",
            "--backup-dir",
        ])
        .arg(db.scratch("backups"))
        .output()
        .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("pre-check failed (invalid JSON): lead_event_log: properties: 1 row(s)"),
        "{out}"
    );
    assert!(out.contains("JSON_VALID(`properties`)"), "{out}");
    assert_eq!(db.snapshot(), before, "apply changed the database");
}
