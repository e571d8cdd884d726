//! `apply` against the real MariaDB: data survives, interrupted runs resume, concurrent runs and
//! locked tables are refused without blocking anybody, pre-checks stop bad runs before any DDL,
//! and backups are private, restorable and free of passwords.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::wait_until;
use common::{HOST, PORT, TestDb, bin, corpus, text};

fn apply(db: &TestDb, extra: &[&str], backups: &Path) -> Output {
    bin()
        .args([
            "apply",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap()
}

fn check_code(db: &TestDb) -> Option<i32> {
    bin()
        .args(["check", "--url", &db.url(), "--target", "5.1.1"])
        .output()
        .unwrap()
        .status
        .code()
}

/// Row count and a content checksum of the given columns.
fn fingerprint(db: &TestDb, table: &str, cols: &[&str]) -> String {
    let concat = cols
        .iter()
        .map(|c| format!("COALESCE(`{c}`,'∅')"))
        .collect::<Vec<_>>()
        .join(",");
    db.query(&format!("SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', {concat}))), 0)) FROM `{table}`"))[0].clone()
}

fn client() -> Command {
    let mut c = Command::new("mariadb");
    c.args(["-h", HOST, "-P", &PORT.to_string(), "-uroot"]);
    c
}

/// A session that holds something (a lock, a transaction) until killed.
fn hold(db: &TestDb, sql: &str) -> Child {
    client()
        .args([&db.name, "-e", sql])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Mutations, synthetic rows and a custom field with values; apply fixes everything and keeps
/// every row and value.
#[test]
fn apply_repairs_and_keeps_every_row() {
    let db = TestDb::new("keep");
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO lead_fields (is_published, label, alias, type, field_group, is_required, is_fixed, is_visible, is_short_visible, is_listable, is_publicly_updatable, object, column_is_not_created, original_is_published_value) \
           VALUES (1, 'Tier', 'loyalty_tier', 'text', 'core', 0, 0, 1, 0, 1, 0, 'lead', 0, 0); \
         ALTER TABLE leads ADD loyalty_tier VARCHAR(64) DEFAULT NULL; \
         INSERT INTO leads (is_published, points, internal, social_cache, firstname, email, loyalty_tier, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', CONCAT('n', seq), CONCAT('c', seq, '@example.com'), IF(seq % 3 = 0, 'gold', NULL), NOW() FROM seq_1_to_2000; \
         INSERT INTO categories (is_published, title, alias, bundle) VALUES (1, 'c', 'c', 'global'); \
         INSERT INTO lead_lists (category_id, is_published, name, alias, is_global, is_preference_center, public_name, filters) \
           SELECT 1, 1, CONCAT('l', seq), CONCAT('l', seq), 1, 0, 'l', 'a:0:{}' FROM seq_1_to_50; \
         INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision, description) \
           SELECT 1, CONCAT('t', seq), CONCAT('a', seq), 'en', seq, 0, 1, 'kept' FROM seq_1_to_100;",
    );
    let before = [
        (
            "leads",
            fingerprint(
                &db,
                "leads",
                &["id", "firstname", "email", "loyalty_tier", "points"],
            ),
        ),
        (
            "lead_lists",
            fingerprint(&db, "lead_lists", &["id", "category_id", "name"]),
        ),
        (
            "assets",
            fingerprint(&db, "assets", &["id", "title", "alias", "download_count"]),
        ),
    ];
    db.exec(
        "ALTER TABLE lead_lists DROP FOREIGN KEY FK_6EC1522A12469DE2; ALTER TABLE lead_lists MODIFY category_id INT NULL; \
         ALTER TABLE assets DROP INDEX asset_alias_search, MODIFY lang VARCHAR(50) NOT NULL; DROP TABLE audit_log; \
         ALTER TABLE leads DROP INDEX lead_date_added",
    );
    assert_eq!(check_code(&db), Some(1));
    let backups = db.scratch("backups-keep");
    let o = apply(&db, &[], &backups);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The last line is the verdict on the database inspected again.
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("-- In sync: no drift")),
        "{}",
        text(&o)
    );
    assert_eq!(check_code(&db), Some(0));
    for (table, fp) in &before {
        let cols: &[&str] = match *table {
            "leads" => &["id", "firstname", "email", "loyalty_tier", "points"],
            "lead_lists" => &["id", "category_id", "name"],
            _ => &["id", "title", "alias", "download_count"],
        };
        assert_eq!(&fingerprint(&db, table, cols), fp, "{table} changed");
    }
    assert_eq!(
        db.query("SELECT COUNT(*) FROM leads WHERE loyalty_tier = 'gold'"),
        vec!["666"]
    );
    // Complete and verified: nothing of ours is left in the schema; the journal's rows are
    // beside the backup.
    assert!(!journal_exists(&db), "the journal table was left behind");
    assert!(
        text(&o).contains("journal.json (the journal table is removed)"),
        "{}",
        text(&o)
    );
    // Each table was altered by one statement (one rebuild).
    let steps: Vec<String> = journal_rows(&backups)
        .iter()
        .filter(|r| r["kind"] == "step")
        .map(|r| r["table_name"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = steps.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        steps.len(),
        sorted.len(),
        "a table was rebuilt twice: {steps:?}"
    );
    let _ = std::fs::remove_dir_all(backups);
}

/// Big tables so that each ALTER takes a moment, and three of them to change.
fn slow_database(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO audit_log (user_id, user_name, bundle, object, object_id, action, details, date_added, ip_address) \
           SELECT 1, 'u', 'lead', 'lead', seq, 'update', 'a:0:{}', NOW(), '127.0.0.1' FROM seq_1_to_300000; \
         INSERT INTO lead_event_log (bundle, object, action, object_id, date_added, properties) \
           SELECT 'lead', 'lead', 'x', seq, NOW(), '{}' FROM seq_1_to_300000; \
         INSERT INTO ip_addresses (ip_address) SELECT CONCAT('10.0.', seq DIV 250, '.', seq % 250) FROM seq_1_to_300000; \
         ALTER TABLE audit_log MODIFY bundle VARCHAR(40) NOT NULL; \
         ALTER TABLE lead_event_log MODIFY action VARCHAR(40) DEFAULT NULL; \
         ALTER TABLE ip_addresses MODIFY ip_address VARCHAR(40) NOT NULL",
    );
    db
}

fn spawn_apply(db: &TestDb, backups: &Path) -> Child {
    bin()
        .args([
            "apply",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
            // These tables are near --online-min-size; the kill/cut tests are about the
            // server's own ALTER (tests/online.rs covers pt-online-schema-change).
            "--online",
            "never",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn journal_count(db: &TestDb, cond: &str) -> u32 {
    if !journal_exists(db) {
        return 0;
    }
    db.query(&format!(
        "SELECT COUNT(*) FROM mautic_schema_journal WHERE {cond}"
    ))[0]
        .parse::<u32>()
        .unwrap()
}

/// The journal rows a completed run left beside its backup(s) (`journal.json`, one JSON object
/// a line), from every backup folder under `backups`.
fn journal_rows(backups: &Path) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    for run in std::fs::read_dir(backups).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(run.path().join("journal.json")) {
            rows.extend(text.lines().map(|l| serde_json::from_str(l).unwrap()));
        }
    }
    rows
}

fn journal_exists(db: &TestDb) -> bool {
    db.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mautic_schema_journal'")[0] == "1"
}

/// SIGKILL in the middle of a run, then a rerun: it resumes, repeats nothing, ends in sync.
#[test]
fn killed_run_resumes() {
    let db = slow_database("kill");
    let rows_before = db.query("SELECT COUNT(*) FROM lead_event_log");
    let backups = db.scratch("backups-kill");
    let mut child = spawn_apply(&db, &backups);
    wait_until("the first statement to finish", || {
        journal_exists(&db) && journal_count(&db, "kind = 'step' AND status = 'done'") >= 1
    });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done_before = db.query(
        "SELECT table_name FROM mautic_schema_journal WHERE kind = 'step' AND status = 'done'",
    );
    assert!(
        done_before.len() < 3,
        "the run finished before it could be killed"
    );
    // The server finishes (or rolls back) the statement of the killed client on its own.
    wait_until("the killed run's statement to end", || {
        db.query(&format!("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'ALTER%'", db.name)) == vec!["0"]
    });
    // (The statement in flight when the client died may still have completed on the server,
    // so whether anything is left depends on timing; the rerun must end in sync either way.)
    let o = apply(&db, &[], &backups);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("resuming run"), "{}", text(&o));
    assert_eq!(check_code(&db), Some(0));
    // Nothing repeated, nothing skipped: the second run altered only tables the first did not
    // finish (a statement the kill interrupted after it committed is "reconciled", not rerun),
    // and together they cover the three tables.
    assert!(!journal_exists(&db), "the journal table was left behind");
    let rows = journal_rows(&backups);
    let last = rows.iter().filter_map(|r| r["run_id"].as_u64()).max();
    let steps_where = |f: &dyn Fn(&serde_json::Value) -> bool| -> Vec<String> {
        rows.iter()
            .filter(|r| r["kind"] == "step" && f(r))
            .map(|r| r["table_name"].as_str().unwrap().to_string())
            .collect()
    };
    let second = steps_where(&|r| r["run_id"].as_u64() == last);
    assert!(
        second.iter().all(|t| !done_before.contains(t)),
        "repeated: first {done_before:?}, second {second:?}"
    );
    let reconciled = steps_where(&|r| r["status"] == "reconciled");
    let mut all: Vec<String> = done_before
        .iter()
        .chain(&second)
        .chain(&reconciled)
        .cloned()
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(
        all,
        vec!["audit_log", "ip_addresses", "lead_event_log"],
        "skipped a table"
    );
    assert_eq!(db.query("SELECT COUNT(*) FROM lead_event_log"), rows_before);
    let _ = std::fs::remove_dir_all(backups);
}

/// The server kills the connection in the middle of an ALTER; a rerun resumes.
#[test]
fn lost_connection_resumes() {
    let db = slow_database("cut");
    let backups = db.scratch("backups-cut");
    let mut child = spawn_apply(&db, &backups);
    let mut victim = String::new();
    wait_until("an ALTER to be running", || {
        let ids = db.query(&format!(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'ALTER TABLE%'",
            db.name
        ));
        match ids.first() {
            Some(id) => {
                victim = id.clone();
                true
            }
            None => false,
        }
    });
    db.exec(&format!("KILL CONNECTION {victim}"));
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(0));
    let o = apply(&db, &[], &backups);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(check_code(&db), Some(0));
    let _ = std::fs::remove_dir_all(backups);
}

#[test]
fn second_concurrent_run_is_refused() {
    let db = TestDb::new("twice");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description");
    let mut holder = hold(
        &db,
        &format!(
            "SELECT GET_LOCK('mautic-schema:{}', 0); SELECT SLEEP(30);",
            db.name
        ),
    );
    wait_until("the lock to be held", || {
        db.query(&format!(
            "SELECT IS_USED_LOCK('mautic-schema:{}') IS NOT NULL",
            db.name
        )) == vec!["1"]
    });
    let backups = db.scratch("backups-twice");
    let o = apply(&db, &[], &backups);
    holder.kill().unwrap();
    let _ = holder.wait();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("another mautic-schema apply is running"),
        "{}",
        text(&o)
    );
    assert_eq!(check_code(&db), Some(1), "nothing changed");
}

/// An open transaction holds a metadata lock: the ALTER gives up after lock_wait_timeout, and
/// the site's queries were never blocked for longer than that.
#[test]
fn locked_table_stops_without_blocking_the_site() {
    let db = TestDb::new("mdl");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description; INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision) VALUES (1,'a','a','en',0,0,1)");
    let mut holder = hold(
        &db,
        "START TRANSACTION; SELECT COUNT(*) FROM assets; SELECT SLEEP(40);",
    );
    wait_until("the transaction to hold its lock", || {
        db.query(&format!("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'SELECT SLEEP%'", db.name)) == vec!["1"]
    });
    let backups = db.scratch("backups-mdl");
    let started = Instant::now();
    let mut child = bin()
        .args([
            "apply",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--yes",
            "--no-backup",
            "--lock-wait-timeout",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Meanwhile the site keeps reading the table.
    let mut worst = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        let t = Instant::now();
        db.query("SELECT COUNT(*) FROM assets");
        worst = worst.max(t.elapsed());
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    holder.kill().unwrap();
    let _ = holder.wait();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("lock_wait_timeout=2s"),
        "{}",
        text(&o)
    );
    assert!(
        elapsed < Duration::from_secs(15),
        "apply hung for {elapsed:?}"
    );
    assert!(
        worst < Duration::from_secs(5),
        "a site query waited {worst:?}"
    );
    let _ = std::fs::remove_dir_all(backups);
}

#[test]
fn orphan_rows_stop_the_run_before_any_ddl() {
    let db = TestDb::new("orphan");
    db.load(&corpus("11-"));
    db.exec(
        "ALTER TABLE lead_lists DROP FOREIGN KEY FK_6EC1522A12469DE2; \
         INSERT INTO lead_lists (category_id, is_published, name, alias, is_global, is_preference_center, public_name, filters) VALUES (999, 1, 'x', 'x', 1, 0, 'x', 'a:0:{}'); \
         ALTER TABLE assets DROP COLUMN description",
    );
    let backups = db.scratch("backups-orphan");
    let o = apply(&db, &[], &backups);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("orphan rows") && err.contains("LEFT JOIN `categories`"),
        "{err}"
    );
    assert!(
        err.lines().last().unwrap().contains("nothing was changed"),
        "{err}"
    );
    // Nothing changed: the column is still missing, no backup, no journal.
    assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'assets' AND COLUMN_NAME = 'description'"), vec!["0"]);
    assert!(!backups.exists());
    assert!(!journal_exists(&db));
}

/// The backup is 0600 and restorable; the password is never in the process list, the output or
/// the journal.
#[test]
fn backup_is_private_restorable_and_password_free() {
    let db = TestDb::new("backup");
    db.load(&corpus("11-"));
    db.exec("INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision, description) SELECT 1, CONCAT('t', seq), CONCAT('a', seq), 'en', seq, 0, 1, 'd' FROM seq_1_to_20000");
    let user = format!("ms_bk_{}", std::process::id());
    let password = "S3cr3t-\"quote'-é";
    let sql_pw = password.replace('\\', "\\\\").replace('\'', "\\'");
    for host in ["%", "localhost", "127.0.0.1"] {
        common::sql_root(&format!(
            "CREATE OR REPLACE USER '{user}'@'{host}' IDENTIFIED BY '{sql_pw}'; GRANT ALL ON `{}`.* TO '{user}'@'{host}'; GRANT RELOAD, PROCESS ON *.* TO '{user}'@'{host}'; \
             GRANT ALL ON {}.* TO '{user}'@'{host}'",
            db.name,
            common::restore_grant(&db.name)
        ));
    }
    let before = fingerprint(
        &db,
        "assets",
        &["id", "title", "download_count", "description"],
    );
    db.exec("ALTER TABLE assets MODIFY lang VARCHAR(50) NOT NULL; DROP TABLE audit_log");
    let backups = db.scratch("backups-backup");
    let mut child = bin()
        .args([
            "apply",
            "--url",
            &format!("mysql://{user}@{HOST}:{PORT}/{}", db.name),
            "--target",
            "5.1.1",
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
        ])
        .env("MAUTIC_DB_PASSWORD", password)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        let ps = Command::new("ps").args(["-eo", "args"]).output().unwrap();
        let ps = String::from_utf8_lossy(&ps.stdout);
        assert!(
            !ps.contains(password) && !ps.contains("S3cr3t"),
            "password in the process list:\n{ps}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let o = child.wait_with_output().unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("S3cr3t"), "password in the output");
    // One backup folder holding the dump and its manifest, nothing else.
    let runs: Vec<PathBuf> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let files: Vec<PathBuf> = std::fs::read_dir(&runs[0])
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?} (the defaults file must be gone)");
    // The manifest and the journal's rows beside the dump hold no password either.
    for json in ["manifest.json", "journal.json"] {
        let t = std::fs::read_to_string(runs[0].join(json)).unwrap();
        assert!(!t.contains("S3cr3t"), "password in {json}");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let dump = std::fs::read_to_string(&files[0]).unwrap();
    assert!(!dump.contains("S3cr3t"));
    // Restore into a fresh database: it is the database as it was before apply.
    let restored = TestDb::new("restored");
    let o = bin()
        .args([
            "restore",
            "--url",
            &restored.url(),
            "--backup",
            files[0].to_str().unwrap(),
            "--yes",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        fingerprint(
            &restored,
            "assets",
            &["id", "title", "download_count", "description"]
        ),
        before
    );
    assert_eq!(restored.query("SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'assets' AND COLUMN_NAME = 'lang'"), vec!["50"]);
    assert_eq!(restored.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_log'"), vec!["0"]);
    for host in ["%", "localhost", "127.0.0.1"] {
        common::sql_root(&format!("DROP USER IF EXISTS '{user}'@'{host}'"));
    }
    let _ = std::fs::remove_dir_all(backups);
}

/// `--dry-run` runs the pre-checks and changes nothing; `--backup tables` dumps only what the
/// plan touches (plus the migrations table); cheap changes use INSTANT/INPLACE.
#[test]
fn dry_run_and_table_backups() {
    let db = TestDb::new("dry");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description; ALTER TABLE pages DROP INDEX page_alias_search");
    let backups = db.scratch("backups-dry");
    let o = apply(&db, &["--dry-run"], &backups);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("dry run: every pre-check passed"),
        "{}",
        text(&o)
    );
    assert!(!backups.exists() && !journal_exists(&db));
    assert_eq!(check_code(&db), Some(1));
    let o = apply(&db, &["--backup", "tables"], &backups);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let run = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = std::fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .unwrap();
    let dump = std::fs::read_to_string(&file).unwrap();
    let mut dumped: Vec<&str> = dump
        .lines()
        .filter_map(|l| l.strip_prefix("CREATE TABLE `"))
        .map(|l| l.split('`').next().unwrap())
        .collect();
    dumped.sort();
    assert_eq!(dumped, vec!["assets", "pages"], "only the touched tables");
    let mut algos: Vec<String> = journal_rows(&backups)
        .iter()
        .filter(|r| r["kind"] == "step")
        .map(|r| {
            format!(
                "{}:{}",
                r["table_name"].as_str().unwrap(),
                r["detail"].as_str().unwrap()
            )
        })
        .collect();
    algos.sort();
    assert_eq!(
        algos,
        vec!["assets:algorithm=INSTANT", "pages:algorithm=INPLACE"]
    );
    let _ = std::fs::remove_dir_all(backups);
}

/// `snapshot` writes a reference that a healthy database matches exactly, and that shows the
/// same database's later drift.
#[test]
fn snapshot_is_a_reference() {
    let db = TestDb::new("snap");
    db.load(&corpus("05-"));
    let file = db.scratch("snapshot.sql");
    let o = bin()
        .args(["snapshot", "--url", &db.url(), "-o", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let check = |extra: &[&str]| {
        bin()
            .args([
                "check",
                "--url",
                &db.url(),
                "--reference-file",
                file.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(check(&[]).status.code(), Some(0), "{}", text(&check(&[])));
    db.exec("ALTER TABLE transactions ADD COLUMN note TEXT");
    let o = check(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<String> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["table"].as_str().unwrap(),
                c["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(kinds, vec!["transactions extra_column"]);
    let _ = std::fs::remove_file(file);
}
