//! The online executor touches only what it made, against the real MariaDB: a DBA's
//! `_<table>_new` / `_<table>_old` and another pt-osc run's triggers are never swapped in,
//! renamed or dropped (not even by a dry run, which changes nothing at all); what pt-osc would
//! refuse is refused before the backup, in one message; a NOT NULL column without a default
//! and a table that references itself go through pt-osc and end as the server's ALTER leaves
//! them.

mod common;
#[path = "online/support.rs"]
mod support;

use common::{TestDb, bin, text};
use support::*;

fn apply_always(db: &TestDb, extra: &[&str]) -> std::process::Output {
    bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always"])
        .args(extra)
        .output()
        .unwrap()
}

/// Tables, definitions, checksums and triggers: equal snapshots mean nothing changed.
fn everything(db: &TestDb) -> Vec<String> {
    let mut s = db.snapshot();
    s.extend(db.query(
        "SELECT CONCAT(TRIGGER_NAME, ' ', EVENT_OBJECT_TABLE, ' ', ACTION_STATEMENT) FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1",
    ));
    s
}

fn checksum_of(db: &TestDb, table: &str) -> String {
    db.query(&format!("CHECKSUM TABLE `{table}`"))[0]
        .split('\t')
        .nth(1)
        .unwrap()
        .to_string()
}

/// A DBA's stale `_children_new` (three rows of its own) and `_children_old`: pt-osc used to
/// pick another name for its copy while our swap took the stale table by name, putting three
/// rows in place of 8000 (the next check said "in sync"). Fails on the old code.
#[test]
fn a_stale_look_alike_copy_is_never_swapped_in() {
    let db = drifted_tables("lookalike", 2000, &["children"]);
    db.exec(
        "CREATE TABLE _children_new LIKE children; INSERT INTO _children_new (parent_id, amount) VALUES (1, 1), (2, 2), (3, 3); \
         CREATE TABLE _children_old (id INT PRIMARY KEY, note VARCHAR(20)); INSERT INTO _children_old VALUES (1, 'keep me')",
    );
    let (new_sum, old_sum) = (
        checksum_of(&db, "_children_new"),
        checksum_of(&db, "_children_old"),
    );
    let before = fingerprint(&db);
    let o = apply_always(&db, &[]);
    // The DBA's tables are not in the reference file: differences, held back (exit 1).
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(fingerprint(&db), before, "rows lost: {}", text(&o));
    assert_eq!(
        differences(&db),
        [
            "extra_table _children_new (held back)",
            "extra_table _children_old (held back)"
        ]
    );
    assert_eq!(checksum_of(&db, "_children_new"), new_sum);
    assert_eq!(checksum_of(&db, "_children_old"), old_sum);
    let mut left = leftovers(&db);
    left.sort();
    assert_eq!(left, ["_children_new", "_children_old"]);
}

/// `--dry-run` changes nothing: no copy, no trigger, and a DBA's `_children_old` and
/// `_parents_new` stay (the old dry run dropped them by name after pt-osc's own dry run).
/// Fails on the old code.
#[test]
fn a_dry_run_changes_nothing() {
    let db = drifted("dryrun", 500);
    db.exec(
        "CREATE TABLE _children_old (id INT PRIMARY KEY); INSERT INTO _children_old VALUES (7); \
         CREATE TABLE _parents_new LIKE parents; INSERT INTO _parents_new (score) VALUES (1)",
    );
    let before = everything(&db);
    let o = apply_always(&db, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("`children`: pt-online-schema-change's checks passed"),
        "{t}"
    );
    assert!(
        t.contains("`parents`: pt-online-schema-change's checks passed"),
        "{t}"
    );
    assert_eq!(
        everything(&db),
        before,
        "the dry run changed something: {t}"
    );
}

/// What pt-osc would refuse is found before the backup and before the first statement, and
/// said once for every table: someone else's pt-osc run on `children` (its triggers write into
/// `_children_new`), an audit trigger on `parents`, a table without a primary or unique key.
/// Nothing changes: no backup, no statement, the other run's triggers and copy untouched (the
/// old code found the first refusal after the backup and then dropped every `pt_osc_*` trigger
/// of the table by name). Fails on the old code.
#[test]
fn refusals_come_first_and_touch_nothing() {
    let db = drifted("refusals", 300);
    let reference = db.scratch("reference.sql");
    let mut text_ref = std::fs::read_to_string(support::reference()).unwrap();
    text_ref.push_str("CREATE TABLE `nokey` (`a` INT NOT NULL, `b` BIGINT DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n");
    std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
    std::fs::write(&reference, text_ref).unwrap();
    let q = |s: &str| format!("`{}`.`{s}`", db.name);
    db.exec(&format!(
        "CREATE TABLE nokey (a INT NOT NULL, b INT DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; \
         INSERT INTO nokey VALUES (1, 1), (2, 2); \
         CREATE TABLE _children_new LIKE children; \
         CREATE TRIGGER pt_osc_{0}_children_ins AFTER INSERT ON children FOR EACH ROW REPLACE INTO {1} (id, parent_id, amount) VALUES (NEW.id, NEW.parent_id, NEW.amount); \
         CREATE TRIGGER pt_osc_{0}_children_del AFTER DELETE ON children FOR EACH ROW DELETE IGNORE FROM {1} WHERE {1}.id <=> OLD.id; \
         CREATE TRIGGER audit_parents AFTER UPDATE ON parents FOR EACH ROW SET @changed = 1",
        db.name,
        q("_children_new")
    ));
    let before = everything(&db);
    let backups = db.scratch("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let o = bin()
        .args(["apply", "--url", &db.url(), "--reference-file"])
        .arg(&reference)
        .args(["--strict", "--yes", "--online", "always", "--backup-dir"])
        .arg(&backups)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err.lines().find(|l| l.starts_with("error: ")).unwrap();
    for expected in [
        "3 table(s) cannot go through pt-online-schema-change",
        &format!(
            "`children`: it has triggers (pt_osc_{0}_children_del, pt_osc_{0}_children_ins)",
            db.name
        ),
        "`parents`: it has triggers (audit_parents)",
        "`nokey`: it has no primary or unique key",
        "Nothing was changed",
        "--online never",
    ] {
        assert!(line.contains(expected), "{expected:?} in {line}");
    }
    assert_eq!(everything(&db), before, "something changed");
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        0,
        "a backup was taken"
    );
}

/// kill -9 while pt-osc copies, then a look-alike under our copy's own name (someone dropped
/// ours and made a table of theirs, without our mark): the rerun removes our triggers, never
/// that table, says so, and converges.
#[test]
fn a_look_alike_under_our_own_name_is_left() {
    let db = drifted_tables("ownname", 2000, &["children"]);
    let before = fingerprint(&db);
    let mut cmd = bin();
    cmd.args(apply_args(&db.url())).args([
        "--online",
        "always",
        "--online-max-load",
        "Threads_connected=1",
    ]);
    let run = Running::spawn(cmd);
    run.wait_for("Copying approximately");
    run.signal(libc::SIGKILL);
    run.finish();
    wait_until("pt-osc to end", || pid_of_pt_osc(&db).is_none());
    let copy = db.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_children\\_ms%\\_new'",
    );
    assert_eq!(copy.len(), 1, "{:?}", leftovers(&db));
    let copy = &copy[0];
    // The triggers write into the table under that name: give it the same columns.
    db.exec(&format!(
        "DROP TABLE `{copy}`; CREATE TABLE `{copy}` LIKE children; INSERT INTO `{copy}` (parent_id, amount) VALUES (1, 42)"
    ));
    let theirs = checksum_of(&db, copy);
    let o = apply_always(&db, &[]);
    // Their table is not in the reference file: a difference, held back (exit 1).
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(&format!(
            "left `{copy}`: it has this change's name but not its mark"
        )),
        "{t}"
    );
    assert_eq!(leftovers(&db), vec![copy.clone()], "{t}");
    assert_eq!(checksum_of(&db, copy), theirs);
    assert_eq!(fingerprint(&db), before);
    assert_eq!(
        differences(&db),
        [format!("extra_table {copy} (held back)")]
    );
}

/// A table with rows gets NOT NULL columns without a default (an integer, a string, an ENUM, a
/// TEXT) through pt-osc: its INSERT ... SELECT used to stop at warning 1364 ("Field ... doesn't
/// have a default value"), so `--online always` could not repair such a gap. The rows end with
/// the values the server's own ALTER gives them (CHECKSUM TABLE equal) and the schema in sync.
/// Fails on the old code.
#[test]
fn not_null_columns_without_a_default_go_through_pt_osc() {
    const REFERENCE: &str = "CREATE TABLE `items` (`id` INT UNSIGNED AUTO_INCREMENT NOT NULL, `name` VARCHAR(50) NOT NULL, \
        `n` INT NOT NULL, `s` VARCHAR(20) NOT NULL, `e` ENUM('first','second') NOT NULL, `body` LONGTEXT NOT NULL, \
        PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n";
    let setup = |tag: &str| {
        let db = TestDb::new(tag);
        db.exec(
            "CREATE TABLE items (id INT UNSIGNED AUTO_INCREMENT NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id)) \
             ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; \
             INSERT INTO items (name) SELECT CONCAT('item ', seq) FROM seq_1_to_3000",
        );
        let reference = db.scratch("reference.sql");
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::write(&reference, REFERENCE).unwrap();
        (db, reference)
    };
    let run = |db: &TestDb, reference: &std::path::Path, online: &str| {
        bin()
            .args(["apply", "--url", &db.url(), "--reference-file"])
            .arg(reference)
            .args(["--strict", "--yes", "--no-backup", "--online", online])
            .output()
            .unwrap()
    };
    let (twin, twin_ref) = setup("notnulltwin");
    let o = run(&twin, &twin_ref, "never");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (db, reference) = setup("notnull");
    let o = run(&db, &reference, "always");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("dropped the temporary default of `n`"),
        "{}",
        text(&o)
    );
    assert_eq!(checksum_of(&db, "items"), checksum_of(&twin, "items"));
    assert_eq!(
        db.query("SELECT CONCAT(n, '|', s, '|', e, '|', body) FROM items WHERE id = 7"),
        ["0||first|"]
    );
    assert_eq!(
        db.query("SHOW CREATE TABLE items"),
        twin.query("SHOW CREATE TABLE items")
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
}

/// A table whose foreign key references itself (Mautic's `emails`, `pages`...): pt-osc refused
/// it ("self-referencing foreign keys"), and a RENAME swap would point the copy's key at the
/// dropped original. It goes the drop-and-rename way; the key keeps its name and still checks.
/// Fails on the old code.
#[test]
fn a_self_referencing_table_goes_through_pt_osc() {
    const REFERENCE: &str = "CREATE TABLE `nodes` (`id` INT UNSIGNED AUTO_INCREMENT NOT NULL, `parent_id` INT UNSIGNED DEFAULT NULL, \
        `amount` BIGINT DEFAULT NULL, PRIMARY KEY (`id`), INDEX `IDX_NODE_PARENT` (`parent_id`), \
        CONSTRAINT `FK_NODE_PARENT` FOREIGN KEY (`parent_id`) REFERENCES `nodes` (`id`) ON DELETE SET NULL) \
        ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n";
    let db = TestDb::new("selfref");
    let reference = db.scratch("reference.sql");
    std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
    std::fs::write(
        &reference,
        REFERENCE.replace("`amount` BIGINT", "`amount` INT"),
    )
    .unwrap();
    db.load(&reference);
    std::fs::write(&reference, REFERENCE).unwrap();
    db.exec(
        "INSERT INTO nodes (parent_id, amount) VALUES (NULL, 0); \
         INSERT INTO nodes (parent_id, amount) SELECT 1 + (seq - 1) DIV 4, seq FROM seq_1_to_2000",
    );
    let before = db.query("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, parent_id, amount)))) FROM nodes");
    let o = bin()
        .args(["apply", "--url", &db.url(), "--reference-file"])
        .arg(&reference)
        .args(["--strict", "--yes", "--no-backup", "--online", "always"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        db.query("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, parent_id, amount)))) FROM nodes"),
        before
    );
    assert_eq!(
        db.query("SELECT CONCAT(CONSTRAINT_NAME, '->', REFERENCED_TABLE_NAME) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"),
        ["FK_NODE_PARENT->nodes"]
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    let bad = std::process::Command::new("mariadb")
        .args(["-h127.0.0.1", "-uroot", &db.name, "-e"])
        .arg("INSERT INTO nodes (parent_id) VALUES (999999)")
        .output()
        .unwrap();
    assert!(!bad.status.success(), "the foreign key no longer checks");
}
