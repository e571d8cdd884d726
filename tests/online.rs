//! Online schema change through pt-online-schema-change, against the real MariaDB: a table
//! goes through it and the database converges with its foreign keys and rows intact; a run
//! killed in the middle of the copy leaves leftovers that the rerun removes (every other point
//! of a kill: `online_kill.rs`; look-alikes and refusals: `online_identity.rs`); credentials
//! never reach pt-osc's command line; a missing tool is a one-line refusal before any change.

mod common;
#[path = "online/support.rs"]
mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use common::{TestDb, bin, sql_root, text};
use support::*;

/// `--online always`: both tables (a referenced parent and a child with its own foreign key)
/// go through pt-osc; the result is in sync, every row kept, foreign keys by their own names.
#[test]
fn always_goes_through_pt_osc_and_converges() {
    let db = drifted("always", 2000);
    let before = fingerprint(&db);
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let algos: Vec<(String, String)> = v["summary"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["table"].as_str().unwrap().to_string(),
                s["algorithm"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        algos,
        [
            ("children", "pt-online-schema-change"),
            ("parents", "pt-online-schema-change")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(check_code(&db), Some(0));
    assert_eq!(fingerprint(&db), before, "rows changed");
    assert_eq!(
        fk_names(&db),
        vec!["children.FK_CHILD_PARENT->parents"],
        "foreign key renamed or lost"
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    // The parent's foreign key still holds after the swap.
    let bad = Command::new("mariadb")
        .args(["-h127.0.0.1", "-uroot", &db.name, "-e"])
        .arg("INSERT INTO children (parent_id) VALUES (999999)")
        .output()
        .unwrap();
    assert!(!bad.status.success(), "the foreign key no longer checks");
}

/// Its rehearsal: `--dry-run` runs pt-osc in its checking mode (every check it makes before
/// creating anything, with our credentials) and changes nothing.
#[test]
fn dry_run_rehearses_with_pt_osc() {
    let db = drifted("rehearse", 100);
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("`children`: pt-online-schema-change's checks passed"),
        "{t}"
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    assert_eq!(check_code(&db), Some(1));
}

/// A user with a password, so that the password has somewhere to leak to.
struct User {
    name: String,
    password: String,
}

impl User {
    fn new(db: &TestDb) -> User {
        let u = User {
            name: format!("mso{}", std::process::id()),
            password: format!("S3cret-{}-pw", std::process::id()),
        };
        sql_root(&format!(
            "DROP USER IF EXISTS '{0}'@'127.0.0.1'; CREATE USER '{0}'@'127.0.0.1' IDENTIFIED BY '{1}'; \
             GRANT ALL ON `{2}`.* TO '{0}'@'127.0.0.1'; GRANT PROCESS ON *.* TO '{0}'@'127.0.0.1'; \
             GRANT ALL ON {3}.* TO '{0}'@'127.0.0.1'",
            u.name,
            u.password,
            db.name,
            common::restore_grant(&db.name)
        ));
        u
    }
}

impl Drop for User {
    fn drop(&mut self) {
        sql_root(&format!("DROP USER IF EXISTS '{}'@'127.0.0.1'", self.name));
    }
}

fn spawn_paused(db: &TestDb, user: &User, dir: &Path) -> Child {
    let url = format!("mysql://{}@127.0.0.1:3306/{}", user.name, db.name);
    bin()
        .args(apply_args(&url))
        // Always exceeded (pt-osc alone holds two connections): the copy pauses after its
        // first chunk, with its triggers and copy in place, until it is killed.
        .args([
            "--online",
            "always",
            "--online-max-load",
            "Threads_connected=1",
        ])
        .env("MAUTIC_DB_PASSWORD", &user.password)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// kill -9 in the middle of pt-osc's copy: the copy dies with us, its triggers and `_new` table
/// stay; the rerun removes them and converges. The password was never on pt-osc's command line
/// nor in any file.
#[test]
fn killed_mid_copy_then_rerun_converges() {
    let db = drifted("killosc", 20000);
    let user = User::new(&db);
    let before = fingerprint(&db);
    let dir = db.scratch("online");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = spawn_paused(&db, &user, &dir);
    wait_until("pt-osc's triggers", || {
        leftovers(&db)
            .iter()
            .filter(|l| l.starts_with("pt_osc_"))
            .count()
            == 3
    });
    let pid = pid_of_pt_osc(&db).expect("pt-osc runs");
    let argv = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(
        !String::from_utf8_lossy(&argv).contains(&user.password),
        "password on pt-osc's command line"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    wait_until("pt-osc to die with its parent", || {
        !Path::new(&format!("/proc/{pid}")).exists()
    });
    let left = leftovers(&db);
    assert!(
        left.iter().any(|l| l.ends_with("_new")) && left.iter().any(|l| l.starts_with("pt_osc_")),
        "nothing left to recover: {left:?}"
    );
    let journal = db.query("SELECT CONCAT(table_name, ' ', status, ' ', detail) FROM mautic_schema_journal WHERE kind = 'step'");
    assert!(
        journal
            .iter()
            .any(|j| j.contains("started algorithm=pt-online-schema-change")),
        "the journal does not know the table went through pt-osc: {journal:?}"
    );
    let o = bin()
        .args(apply_args(&format!(
            "mysql://{}@127.0.0.1:3306/{}",
            user.name, db.name
        )))
        .env("MAUTIC_DB_PASSWORD", &user.password)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("dropped trigger pt_osc_"), "{}", text(&o));
    assert_eq!(leftovers(&db), Vec::<String>::new());
    assert_eq!(check_code(&db), Some(0));
    assert_eq!(fingerprint(&db), before, "rows changed");
    // No credentials file left behind anywhere we ran.
    for d in [dir.clone(), std::env::temp_dir()] {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if let Ok(s) = std::fs::read_to_string(e.path()) {
                assert!(
                    !s.contains(&user.password),
                    "password in {}",
                    e.path().display()
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Without pt-osc on PATH, a table that must go online is refused before anything changes.
#[test]
fn missing_tool_is_a_clear_refusal() {
    let db = drifted("notool", 100);
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("pt-online-schema-change is not installed")
            && err.contains("apt-get install percona-toolkit")
            && err.contains("--online never"),
        "{err}"
    );
    assert_eq!(check_code(&db), Some(1), "something changed");
}

fn step_algorithms(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    v["summary"]["steps"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    format!(
                        "{} {}",
                        s["table"].as_str().unwrap(),
                        s["algorithm"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `auto`: only a table at least --online-min-size whose ALTER the server cannot run without
/// blocking writes goes through pt-osc; an index add runs in place; a small table is left to
/// the server even when it copies.
#[test]
fn auto_goes_online_only_when_the_server_would_block() {
    for (min_size, expected) in [
        ("1", ["children pt-online-schema-change", "parents INPLACE"]),
        ("64M", ["children COPY", "parents INPLACE"]),
    ] {
        let db = TestDb::new("auto");
        db.load(reference());
        db.exec(
            "ALTER TABLE parents DROP INDEX parents_score; ALTER TABLE children MODIFY amount INT DEFAULT NULL; \
             INSERT INTO parents (score) SELECT seq FROM seq_1_to_100; \
             INSERT INTO children (parent_id, amount) SELECT 1 + seq % 100, seq FROM seq_1_to_400",
        );
        let o = bin()
            .args(apply_args(&db.url()))
            .args([
                "--online",
                "auto",
                "--online-min-size",
                min_size,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_eq!(
            step_algorithms(&o),
            expected,
            "--online-min-size {min_size}"
        );
        assert_eq!(leftovers(&db), Vec::<String>::new());
    }
}
