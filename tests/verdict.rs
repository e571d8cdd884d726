//! One verdict, never two: a table of database states × commands, against the real MariaDB.
//! `check`, `diff`, `preflight`, `report` and `apply --dry-run` each end with ONE verdict line;
//! on the same database they give the same verdict, with the exit code it says (0 in sync, 1
//! otherwise), and no other line of their output states another one.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestDb, bin, text};

/// The labels a verdict line starts with (`mautic::overall::Kind::label`), with their JSON
/// kind and exit code.
const KINDS: &[(&str, &str, i32)] = &[
    ("In sync", "in-sync", 0),
    ("Drift", "drift", 1),
    ("Migrations pending", "pending-migrations", 1),
    ("Bookkeeping broken", "bookkeeping-broken", 1),
    ("Interrupted", "interrupted", 1),
    ("Blocked", "blocked", 1),
];

/// The database is 5.1.x: its reference, compared with 5.1.1.
const TARGET: &str = "5.1.1";

fn reference() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/5.1.0.sql")
}

/// The release's schema and nothing else: no migrations table.
fn without_migrations_table(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&reference());
    db
}

/// The release's schema with its migrations recorded, as `apply` records them.
fn healthy(tag: &str) -> TestDb {
    let db = without_migrations_table(tag);
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", TARGET])
        .args(["--yes", "--no-backup"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    db
}

fn drifted(tag: &str) -> TestDb {
    let db = healthy(tag);
    db.exec("ALTER TABLE assets DROP COLUMN description");
    db
}

/// A schema-only migration whose changes the schema has, not recorded.
fn pending(tag: &str) -> TestDb {
    let db = healthy(tag);
    db.exec("DELETE FROM migrations WHERE version LIKE '%Version20190410143658'");
    db
}

/// An online `apply` killed (-9) once pt-online-schema-change's copy is complete: the journal
/// keeps the run as running, the copy and triggers stay.
fn interrupted(tag: &str) -> TestDb {
    let db = drifted(tag);
    let err = db.scratch("apply.err");
    let mut child = bin()
        .args(["apply", "--url", &db.url(), "--target", TARGET])
        .args(["--yes", "--no-backup", "--online", "always"])
        .env("MAUTIC_SCHEMA_TEST_PAUSE", "copied")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !std::fs::read_to_string(&err)
        .unwrap_or_default()
        .contains("test pause: copied")
    {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "apply never paused: {}",
            std::fs::read_to_string(&err).unwrap_or_default()
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "apply ended ({status}) before the pause: {}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    db
}

/// Each command as a user runs it on `db`, all comparing with the same release.
fn commands(db: &TestDb) -> Vec<(&'static str, Command)> {
    let url = db.url();
    let with = |args: &[&str]| {
        let mut c = bin();
        c.args(args)
            .args(["--url", &url, "--target", TARGET])
            .env("COLUMNS", "80");
        c
    };
    vec![
        ("check", with(&["check"])),
        ("check --format sql", with(&["check", "--format", "sql"])),
        ("diff", with(&["diff"])),
        ("preflight", with(&["preflight", "--to", "5.2.0"])),
        ("report", with(&["report"])),
        ("apply --dry-run", with(&["apply", "--dry-run"])),
    ]
}

/// The label a line states as a verdict (a SQL comment's too), if it does.
fn label_of(line: &str) -> Option<&'static str> {
    let line = line.strip_prefix("-- ").unwrap_or(line);
    KINDS
        .iter()
        .map(|(label, _, _)| *label)
        .find(|label| line.starts_with(&format!("{label}:")))
}

/// The one verdict of an output: its label and its whole text (wrapped lines joined). Panics
/// when there is none, when another line states a verdict too, or when it is not last.
fn verdict(what: &str, out: &str) -> (&'static str, String) {
    let lines: Vec<&str> = out.lines().collect();
    let stated: Vec<usize> = (0..lines.len())
        .filter(|&i| label_of(lines[i]).is_some())
        .collect();
    assert_eq!(stated.len(), 1, "{what}: one verdict line, not:\n{out}");
    let at = stated[0];
    let rest: Vec<&str> = lines[at..].iter().map(|l| l.trim()).collect();
    // The verdict is the last paragraph: only its own wrapped lines follow it.
    assert!(
        !rest.iter().any(|l| l.is_empty()) && rest.len() <= 5,
        "{what}: the verdict is not last:\n{out}"
    );
    let text = rest.join(" ");
    (label_of(lines[at]).unwrap(), text)
}

fn check_state(state: &str, db: &TestDb, want: &str) {
    let (_, kind, code) = *KINDS.iter().find(|(l, _, _)| *l == want).unwrap();
    for (name, mut cmd) in commands(db) {
        let what = format!("{state}: {name}");
        let o = cmd.output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let (label, line) = verdict(&what, &out);
        assert_eq!(label, want, "{what}: {line}\n{}", text(&o));
        assert_eq!(o.status.code(), Some(code), "{what}: {line}\n{}", text(&o));
    }
    // JSON carries the same verdict.
    for args in [&["check"][..], &["diff"], &["preflight", "--to", "5.2.0"]] {
        let o = bin()
            .args(args)
            .args(["--url", &db.url(), "--target", TARGET, "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{state}: {args:?}: {e}: {}", text(&o)));
        assert_eq!(v["verdict"]["kind"], kind, "{state}: {args:?}: {v:#}");
        assert_eq!(v["verdict"]["exit_code"], code, "{state}: {args:?}");
        assert_eq!(o.status.code(), Some(code), "{state}: {args:?}");
        assert!(
            v["verdict"]["line"]
                .as_str()
                .is_some_and(|l| l.starts_with(&format!("{want}:"))),
            "{state}: {args:?}: {v:#}"
        );
    }
}

#[test]
fn a_healthy_database_is_in_sync_everywhere() {
    check_state("healthy", &healthy("vhealthy"), "In sync");
}

#[test]
fn drift_is_drift_everywhere() {
    check_state("drift", &drifted("vdrift"), "Drift");
}

/// The schema is the release's, but without a migrations table the next upgrade would re-run
/// every migration: never "In sync" next to "would fail" (it was, exit 0).
#[test]
fn a_missing_migrations_table_is_broken_bookkeeping_everywhere() {
    check_state(
        "no migrations table",
        &without_migrations_table("vnomig"),
        "Bookkeeping broken",
    );
}

#[test]
fn unrecorded_migrations_are_pending_everywhere() {
    check_state("pending", &pending("vpending"), "Migrations pending");
}

#[test]
fn an_interrupted_run_is_named_everywhere() {
    check_state("interrupted", &interrupted("vinterrupted"), "Interrupted");
}

/// A blocker of the upgrade is preflight's verdict (and `report --to`'s), exit 1, while the
/// database itself is in sync for `check`.
#[test]
fn an_upgrade_blocker_is_preflights_verdict() {
    let db = healthy("vblocked");
    // A column outside the release, NOT NULL without a default: Mautic's inserts would fail.
    db.exec("ALTER TABLE assets ADD COLUMN mine INT NOT NULL");
    for args in [
        &["preflight", "--to", "5.2.0"][..],
        &["report", "--to", "5.2.0"],
    ] {
        let o = bin()
            .args(args)
            .args(["--url", &db.url(), "--target", TARGET])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let (label, line) = verdict(&format!("{args:?}"), &out);
        assert_eq!(label, "Blocked", "{args:?}: {line}\n{}", text(&o));
        assert_eq!(o.status.code(), Some(1), "{args:?}");
    }
}
