//! Shared by the online tests (`tests/online*.rs`): the two-table reference (a parent other
//! tables reference, a child with its own foreign key), drifted copies of it with rows, and
//! what the tests look at (leftovers, row fingerprints, checksums, foreign-key names), plus a
//! running `apply` whose stderr is read as it comes, to interrupt it at a named point.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub use crate::common::wait_until;
use crate::common::{TestDb, bin};

pub fn reference() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/online/reference.sql"
    ))
}

pub fn apply_args(url: &str) -> Vec<String> {
    [
        "apply",
        "--url",
        url,
        "--reference-file",
        reference().to_str().unwrap(),
        "--strict",
        "--yes",
        "--no-backup",
    ]
    .map(String::from)
    .to_vec()
}

/// The reference's two tables with `rows` parents (four children each), and drift on `tables`
/// ("parents": a narrower column and a missing index; "children": a narrower column; both are
/// COPY rebuilds on MariaDB).
pub fn drifted_tables(tag: &str, rows: u32, tables: &[&str]) -> TestDb {
    let db = TestDb::new(tag);
    db.load(reference());
    db.exec(&format!(
        "INSERT INTO parents (score, label) SELECT seq, CONCAT('p', seq) FROM seq_1_to_{rows}; \
         INSERT INTO children (parent_id, amount) SELECT 1 + seq % {rows}, seq FROM seq_1_to_{}",
        rows * 4
    ));
    if tables.contains(&"parents") {
        db.exec(
            "ALTER TABLE parents MODIFY score INT NOT NULL DEFAULT 0, DROP INDEX parents_score",
        );
    }
    if tables.contains(&"children") {
        db.exec("ALTER TABLE children MODIFY amount INT DEFAULT NULL");
    }
    db
}

pub fn drifted(tag: &str, rows: u32) -> TestDb {
    drifted_tables(tag, rows, &["parents", "children"])
}

pub fn check_code(db: &TestDb) -> Option<i32> {
    bin()
        .args(["check", "--url", &db.url(), "--strict", "--reference-file"])
        .arg(reference())
        .output()
        .unwrap()
        .status
        .code()
}

/// The differences `check` still reports: with a reference file (generic mode) a DBA's own
/// table is one, an `extra_table` held back (never dropped without --allow-destructive).
/// `kind table` of each, sorted.
pub fn differences(db: &TestDb) -> Vec<String> {
    let o = bin()
        .args(["check", "--url", &db.url(), "--strict", "--format", "json"])
        .arg("--reference-file")
        .arg(reference())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("check's JSON");
    let mut out: Vec<String> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let held = if c["held_back"] == true {
                " (held back)"
            } else {
                ""
            };
            format!(
                "{} {}{held}",
                c["kind"].as_str().unwrap(),
                c["table"].as_str().unwrap()
            )
        })
        .collect();
    out.sort();
    out
}

/// `check`'s table output and its JSON document.
pub fn check_outputs(db: &TestDb) -> (String, serde_json::Value) {
    let run = |format: &str| {
        bin()
            .args(["check", "--url", &db.url(), "--strict", "--format", format])
            .arg("--reference-file")
            .arg(reference())
            .env("COLUMNS", "200")
            .output()
            .unwrap()
    };
    let table = String::from_utf8_lossy(&run("table").stdout).into_owned();
    let json = serde_json::from_slice(&run("json").stdout).expect("check's JSON");
    (table, json)
}

/// What pt-osc and the swap leave when they do not finish: triggers, and tables whose names
/// start with `_` (copies, swapped-out originals).
pub fn leftovers(db: &TestDb) -> Vec<String> {
    db.query(
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
         UNION ALL SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME LIKE '\\_%'",
    )
}

/// Row count and a checksum of the values, per table: equal before and after a change of
/// column types when no row was lost or altered.
pub fn fingerprint(db: &TestDb) -> Vec<String> {
    db.query(
        "SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, parent_id, amount)))) FROM children \
         UNION ALL SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, score, label)))) FROM parents",
    )
}

/// The server's CHECKSUM TABLE of both tables (rows and their stored form).
pub fn checksums(db: &TestDb) -> Vec<String> {
    db.query("CHECKSUM TABLE children, parents")
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap_or("?").to_string())
        .collect()
}

pub fn fk_names(db: &TestDb) -> Vec<String> {
    db.query("SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, '->', REFERENCED_TABLE_NAME) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1")
}

/// A running command whose stderr is collected as it comes.
pub struct Running {
    child: Child,
    err: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn spawn(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let err = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&err);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Running {
            child,
            err,
            reader: Some(reader),
        }
    }

    pub fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    pub fn wait_for(&self, text: &str) {
        wait_until(&format!("{text:?} on stderr"), || {
            self.stderr().contains(text)
        });
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    /// Exit code (None when killed by a signal) and all of stderr.
    pub fn finish(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        (status.code(), self.stderr())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pid of pt-osc running on `db`, if any.
pub fn pid_of_pt_osc(db: &TestDb) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
        let cmd = String::from_utf8_lossy(&cmd);
        (cmd.contains("pt-online-schema-change") && cmd.contains(&format!("D={}", db.name)))
            .then_some(pid)
    })
}
