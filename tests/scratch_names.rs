//! Scratch databases (the rehearsal's copies) are dropped only on evidence: by their own run,
//! or by a later run holding the database's lock that reads a marker naming this database.
//! A database that only looks like one (a user's, another tenant's) is never dropped; two
//! databases never share scratch names; the GRANT the tool suggests reaches this database's
//! scratch names only.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{TestDb, bin, query_root, sql_root, text};
use mautic_schema::apply::execute::lock_name;
use mautic_schema::apply::rehearsal::scratch_prefix;

/// A database the test plants beside the test database, dropped when the test ends.
struct Planted(String);

impl Planted {
    /// A database named `name` holding a user table with one row and, when `origin` is given,
    /// the tool's marker naming it.
    fn new(name: &str, origin: Option<&str>) -> Planted {
        sql_root(&format!(
            "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`;
             CREATE TABLE `{name}`.contacts (id INT PRIMARY KEY, email VARCHAR(50));
             INSERT INTO `{name}`.contacts VALUES (1, 'a@example.com');"
        ));
        if let Some(origin) = origin {
            sql_root(&format!(
                "CREATE TABLE `{name}`._ms_scratch_marker (origin VARCHAR(64) NOT NULL, run VARCHAR(16) NOT NULL, \
                 purpose VARCHAR(32) NOT NULL, created_at DATETIME NOT NULL);
                 INSERT INTO `{name}`._ms_scratch_marker VALUES ('{origin}', 'killed', 'rehearsal', NOW());"
            ));
        }
        Planted(name.to_string())
    }

    fn exists(&self) -> bool {
        exists(&self.0)
    }
}

impl Drop for Planted {
    fn drop(&mut self) {
        sql_root(&format!("DROP DATABASE IF EXISTS `{}`", self.0));
    }
}

fn exists(name: &str) -> bool {
    !query_root(&format!(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'"
    ))
    .is_empty()
}

/// Databases whose name starts with `prefix`.
fn named_like(prefix: &str) -> Vec<String> {
    let like = prefix.replace('_', "\\\\_");
    query_root(&format!(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{like}%'"
    ))
    .lines()
    .map(str::to_string)
    .collect()
}

/// One table; the reference adds a column, so there is a statement to rehearse.
fn with_a_plan(db: &str, dir: &Path) -> PathBuf {
    sql_root(&format!(
        "CREATE TABLE `{db}`.t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB"
    ));
    let reference = dir.join(format!("{db}.sql"));
    std::fs::write(
        &reference,
        "CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB;",
    )
    .unwrap();
    reference
}

fn dry_run(db: &str, reference: &Path) -> Output {
    bin()
        .args(["apply", "--dry-run", "--url"])
        .arg(format!("mysql://root@127.0.0.1:3306/{db}"))
        .arg("--reference-file")
        .arg(reference)
        .output()
        .unwrap()
}

fn preflight(db: &TestDb) -> Output {
    bin()
        .args(["preflight", "--url", &db.url(), "--to", "5.1.1"])
        .output()
        .unwrap()
}

fn database_at_4_3(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    db
}

/// The scratch-name scheme of the releases before this one.
fn legacy_name(db: &str) -> String {
    format!(
        "_ms_rehearsal_{:08x}_5eed0001",
        crc32fast::hash(db.as_bytes())
    )
}

#[test]
fn a_database_that_only_looks_like_a_scratch_copy_survives_dry_run_and_preflight() {
    let db = database_at_4_3("sclook");
    let legacy = Planted::new(&legacy_name(&db.name), None);
    let unmarked = Planted::new(&format!("{}0123456789ab", scratch_prefix(&db.name)), None);
    let foreign = Planted::new(
        &format!("{}ba9876543210", scratch_prefix(&db.name)),
        Some("some_other_database"),
    );
    let o = bin()
        .args([
            "apply",
            "--dry-run",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
        ])
        .output()
        .unwrap();
    assert!(
        text(&o).contains("on a schema-only copy"),
        "not rehearsed: {}",
        text(&o)
    );
    let o2 = preflight(&db);
    for p in [&legacy, &unmarked, &foreign] {
        assert!(
            p.exists(),
            "`{}` was dropped\n{}\n{}",
            p.0,
            text(&o),
            text(&o2)
        );
        assert_eq!(
            query_root(&format!("SELECT email FROM `{}`.contacts", p.0)),
            "a@example.com"
        );
        assert!(
            text(&o).contains(&format!("left alone: database `{}`", p.0)),
            "{}",
            text(&o)
        );
        assert!(text(&o2).contains(&p.0), "{}", text(&o2));
    }
    assert!(
        named_like(&scratch_prefix(&db.name)).len() == 2,
        "the runs' own copies were dropped"
    );
}

/// Two names with the same crc32, found by brute force (about 2^16 tries: the birthday bound).
/// The counter is spread over 12 hex digits: CRC-32 never maps two strings of one length that
/// differ within 32 bits to one value, so names differing only in a short decimal counter
/// took millions of tries (90 s) to collide.
fn crc32_twins(tag: &str) -> (String, String) {
    let mut seen: HashMap<u32, String> = HashMap::new();
    let pid = std::process::id();
    for n in 0u64.. {
        let spread = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16;
        let name = format!("mst_{pid}_{tag}_{spread:012x}");
        if let Some(first) = seen.insert(crc32fast::hash(name.as_bytes()), name.clone()) {
            return (first, name);
        }
    }
    unreachable!()
}

#[test]
fn databases_sharing_a_crc32_never_share_scratch_names() {
    let (a, b) = crc32_twins("tw");
    assert_eq!(crc32fast::hash(a.as_bytes()), crc32fast::hash(b.as_bytes()));
    assert_ne!(scratch_prefix(&a), scratch_prefix(&b));
    let dir = common::scratch_dir();
    let _a = Planted::new(&a, None);
    let _b = Planted::new(&b, None);
    // b's rehearsal is running (or was killed) while a's dry run starts.
    let b_copy = Planted::new(&format!("{}0123456789ab", scratch_prefix(&b)), Some(&b));
    let o = dry_run(&a, &with_a_plan(&a, dir.path()));
    assert!(text(&o).contains("on a schema-only copy"), "{}", text(&o));
    assert!(
        b_copy.exists(),
        "a's run dropped b's scratch copy\n{}",
        text(&o)
    );
    assert!(named_like(&scratch_prefix(&a)).is_empty());
}

/// Start a dry run that stops right after creating its scratch database (the debug build's
/// pause point), then kill it there as `kill -9` would.
fn kill_at_rehearsal(db: &str, reference: &Path) {
    let mut child = bin()
        .args(["apply", "--dry-run", "--url"])
        .arg(format!("mysql://root@127.0.0.1:3306/{db}"))
        .arg("--reference-file")
        .arg(reference)
        .env("MAUTIC_SCHEMA_TEST_PAUSE", "rehearsal")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let paused = line.contains("test pause: rehearsal");
        seen.push(line);
        if paused {
            child.kill().unwrap();
            child.wait().unwrap();
            return;
        }
    }
    let _ = child.wait();
    panic!("the run never reached its rehearsal: {seen:?}");
}

#[test]
fn a_killed_runs_marked_copy_goes_with_the_next_run_and_a_look_alike_stays() {
    let db = TestDb::new("sckill");
    let reference = with_a_plan(&db.name, &db.scratch(""));
    kill_at_rehearsal(&db.name, &reference);
    let left = named_like(&scratch_prefix(&db.name));
    assert_eq!(left.len(), 1, "the killed run's copy: {left:?}");
    let _killed = Planted(left[0].clone());
    assert_eq!(
        query_root(&format!(
            "SELECT origin FROM `{}`._ms_scratch_marker",
            left[0]
        )),
        db.name
    );
    let unmarked = Planted::new(&format!("{}0123456789ab", scratch_prefix(&db.name)), None);
    let o = dry_run(&db.name, &reference);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        !exists(&left[0]),
        "the killed run's copy stayed\n{}",
        text(&o)
    );
    assert!(
        text(&o).contains(&format!("dropped scratch database `{}`", left[0])),
        "{}",
        text(&o)
    );
    assert!(unmarked.exists(), "{}", text(&o));
    assert_eq!(
        named_like(&scratch_prefix(&db.name)),
        vec![unmarked.0.clone()]
    );
}

#[tokio::test]
async fn preflight_cleans_up_only_while_it_holds_the_lock() {
    let db = database_at_4_3("sclock");
    let leftover = Planted::new(
        &format!("{}0123456789ab", scratch_prefix(&db.name)),
        Some(&db.name),
    );
    let mut holder = db.connect().await;
    let got = holder
        .rows(
            "lock",
            "SELECT CAST(GET_LOCK(?, 0) AS CHAR)",
            &[&lock_name(&db.name)],
        )
        .await
        .unwrap();
    assert_eq!(got[0][0].as_deref(), Some("1"));
    let o = preflight(&db);
    assert!(leftover.exists(), "dropped without the lock\n{}", text(&o));
    assert!(text(&o).contains("were not looked for"), "{}", text(&o));
    drop(holder);
    let o = preflight(&db);
    assert!(!leftover.exists(), "{}", text(&o));
    assert!(named_like(&scratch_prefix(&db.name)).is_empty());
}

/// A user who may not create databases.
struct User(String);

impl Drop for User {
    fn drop(&mut self) {
        sql_root(&format!("DROP USER IF EXISTS '{}'@'127.0.0.1'", self.0));
    }
}

fn as_user(user: &str, sql: &str) -> Output {
    Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-P", "3306", "-u", user, "-e", sql])
        .output()
        .unwrap()
}

#[test]
fn the_suggested_grant_reaches_this_databases_scratch_names_only() {
    let db = TestDb::new("scgrant");
    let other = TestDb::new("scgrantother");
    let user = User(format!("msg{}", std::process::id()));
    sql_root(&format!(
        "DROP USER IF EXISTS '{0}'@'127.0.0.1'; CREATE USER '{0}'@'127.0.0.1'; \
         GRANT ALL ON `{1}`.* TO '{0}'@'127.0.0.1'",
        user.0, db.name
    ));
    let reference = with_a_plan(&db.name, &db.scratch(""));
    let o = bin()
        .args(["apply", "--dry-run", "--url"])
        .arg(format!("mysql://{}@127.0.0.1:3306/{}", user.0, db.name))
        .arg("--reference-file")
        .arg(&reference)
        .output()
        .unwrap();
    let out = text(&o);
    let grant = out
        .lines()
        .find_map(|l| l.split("administrator run ").nth(1))
        .unwrap_or_else(|| panic!("no GRANT suggested: {out}"));
    let grant = grant[..grant.find(". Not covered").unwrap_or(grant.len())].trim();
    assert!(grant.starts_with("GRANT ALL ON `"), "{grant}");
    sql_root(grant);
    let mine = format!("{}0123456789ab", scratch_prefix(&db.name));
    let theirs = format!("{}0123456789ab", scratch_prefix(&other.name));
    let _m = Planted(mine.clone());
    let _t = Planted(theirs.clone());
    let created = as_user(&user.0, &format!("CREATE DATABASE `{mine}`"));
    assert!(created.status.success(), "{}", text(&created));
    let refused = as_user(&user.0, &format!("CREATE DATABASE `{theirs}`"));
    assert!(
        !refused.status.success(),
        "{grant} lets this user create {theirs}"
    );
    sql_root(&format!("CREATE DATABASE `{theirs}`"));
    let refused = as_user(&user.0, &format!("DROP DATABASE `{theirs}`"));
    assert!(
        !refused.status.success(),
        "{grant} lets this user drop {theirs}"
    );
}
