//! Shared test support: a real MariaDB at 127.0.0.1:3306 (root, empty password), one uniquely
//! named database per test, dropped when the test ends.

#![allow(dead_code)]

pub mod cases;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use mautic_schema::db::{ConnectParams, Db};

/// The tool, with no database settings inherited from the environment: a test names what it
/// connects to (MAUTIC_DB_* and MYSQL_PWD would override local.php and URLs).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
    for v in [
        "MAUTIC_DB_HOST",
        "MAUTIC_DB_PORT",
        "MAUTIC_DB_NAME",
        "MAUTIC_DB_DATABASE",
        "MAUTIC_DB_USER",
        "MAUTIC_DB_PASSWORD",
        "MAUTIC_DB_TABLE_PREFIX",
        "MYSQL_PWD",
    ] {
        c.env_remove(v);
    }
    c
}

/// Wait for `f` to hold, polling every 10 ms. The bound (180 s) is against hanging, not a speed
/// requirement: a loaded machine takes a while (a backup of a slow database first, pt-osc
/// starting up).
pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let t = std::time::Instant::now();
    while !f() {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(180),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A run's stdout and stderr, one after the other.
pub fn text(o: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub const HOST: &str = "127.0.0.1";
pub const PORT: u16 = 3306;

/// The corpus of real Mautic schema dumps carried by the repository (provenance in
/// tests/corpus/MANIFEST.md and in each file's header).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn read_corpus_dir() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("test fixture folder {} is unreadable: {e}", dir.display()));
    let mut v: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    v
}

pub fn corpus(name_prefix: &str) -> PathBuf {
    read_corpus_dir()
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(name_prefix))
        })
        .unwrap_or_else(|| {
            panic!(
                "test fixture {}/{name_prefix}*.sql is missing",
                corpus_dir().display()
            )
        })
}

pub fn corpus_files() -> Vec<PathBuf> {
    let v: Vec<PathBuf> = read_corpus_dir()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    assert!(
        !v.is_empty(),
        "no *.sql test fixtures in {}",
        corpus_dir().display()
    );
    v
}

fn mariadb_client() -> &'static str {
    if Command::new("mariadb").arg("--version").output().is_ok() {
        "mariadb"
    } else {
        "mysql"
    }
}

/// A private temporary folder, removed when the value is dropped.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("ms-test-")
        .tempdir()
        .expect("a temporary folder can be created")
}

/// A scratch database that is dropped on drop, with a scratch folder that is removed with it.
pub struct TestDb {
    pub name: String,
    dir: tempfile::TempDir,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub fn new(tag: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag: String = tag
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(20)
            .collect();
        let name = format!("mst_{}_{}_{}", std::process::id(), n, tag);
        sql_root(&format!(
            "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`"
        ));
        TestDb {
            dir: scratch_dir(),
            name,
        }
    }

    /// A path inside this test's own temporary folder (removed when the test ends).
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Load a SQL file with the real client. Foreign keys are not checked while it loads (as
    /// `mysqldump` files say themselves): a reference's ADD CONSTRAINT then does not rebuild
    /// its table, which halves the load; what the tables end with is the same.
    pub fn load(&self, file: &Path) {
        let f = std::fs::File::open(file).unwrap();
        let out = Command::new(mariadb_client())
            .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot"])
            .arg("--init-command=SET SESSION foreign_key_checks = 0")
            .arg(&self.name)
            .stdin(f)
            .output()
            .expect("mariadb client runs");
        assert!(
            out.status.success(),
            "loading {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Rename every table to `prefix` + its name (one RENAME TABLE): an install moved under a
    /// prefix, its index and key names as they were.
    pub fn prefix_every_table(&self, prefix: &str) {
        let renames: Vec<String> = self
            .query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
            )
            .iter()
            .map(|t| format!("`{t}` TO `{prefix}{t}`"))
            .collect();
        self.exec(&format!("RENAME TABLE {}", renames.join(", ")));
    }

    pub fn exec(&self, sql: &str) {
        run_client(Some(&self.name), false, sql);
    }

    /// First column of a query's rows.
    pub fn query(&self, sql: &str) -> Vec<String> {
        run_client(Some(&self.name), true, sql)
            .lines()
            .map(str::to_string)
            .collect()
    }

    pub fn params(&self) -> ConnectParams<'_> {
        ConnectParams {
            host: HOST,
            port: PORT,
            user: "root",
            password: "",
            database: &self.name,
            socket: None,
            tls: Default::default(),
        }
    }

    pub async fn connect(&self) -> Db {
        Db::connect(&self.params())
            .await
            .expect("connect to test MariaDB")
    }

    /// Every table's name, definition and extended checksum (rows included): equal snapshots
    /// mean the same database.
    pub fn snapshot(&self) -> Vec<String> {
        let tables = self.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1");
        let sql: String = tables
            .iter()
            .map(|t| format!("SHOW CREATE TABLE `{t}`; CHECKSUM TABLE `{t}` EXTENDED;"))
            .collect();
        let mut out = tables.clone();
        if !sql.is_empty() {
            out.extend(
                self.query(&sql)
                    .into_iter()
                    .map(|l| l.replace(&self.name, "DB")),
            );
        }
        out
    }

    pub fn url(&self) -> String {
        format!("mysql://root@{HOST}:{PORT}/{}", self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        sql_root(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

/// Run `sql` with the real client as root, in `database` when given (`batch`: no headers, tab
/// separated); its stdout, or a panic with the client's error.
fn run_client(database: Option<&str>, batch: bool, sql: &str) -> String {
    let mut c = Command::new(mariadb_client());
    c.args(["-h", HOST, "-P", &PORT.to_string(), "-uroot"]);
    if batch {
        c.args(["-N", "-B"]);
    }
    c.args(database);
    let out = c.arg("-e").arg(sql).output().expect("mariadb client runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn sql_root(sql: &str) {
    run_client(None, false, sql);
}

/// The first column of a query's rows as root, one line each (batch mode, no headers).
pub fn query_root(sql: &str) -> String {
    run_client(None, true, sql).trim_end().to_string()
}

/// Record, as Doctrine does, every migration shipped in `release` (migrations-index/
/// migrations.tsv): class names from 5.0, bare versions before, in a migrations table of 5.x's
/// layout.
pub fn record_migrations_of(db: &TestDb, release: &str) {
    let key = |r: &str| -> Vec<u32> { r.split('.').map(|p| p.parse().unwrap()).collect() };
    let index = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-index/migrations.tsv"),
    )
    .unwrap();
    let row = |v: &str| {
        if key(release)[0] >= 5 {
            format!("('Mautic\\\\Migrations\\\\Version{v}', NOW(), 1)")
        } else {
            format!("('{v}', NOW(), 1)")
        }
    };
    let rows: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| key(f[1]) <= key(release) && key(release) <= key(f[2]))
        .map(|f| row(f[0]))
        .collect();
    assert!(!rows.is_empty(), "no migration shipped in {release}");
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, \
         execution_time INT DEFAULT NULL, PRIMARY KEY(version)); INSERT INTO migrations VALUES {}",
        rows.join(",")
    ));
}

/// `preflight --to TO --format json` on `db` (tables under `prefix`): the exit code and the
/// document.
pub fn preflight_json(db: &TestDb, to: &str, prefix: &str) -> (Option<i32>, serde_json::Value) {
    let o = bin()
        .args(["preflight", "--url", &db.url(), "--to", to])
        .args(["--format", "json", "--prefix", prefix])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

/// The databases named like `like` (a LIKE pattern) whose `marker` table names `origin`. A
/// candidate dropped meanwhile (another test's copy, cleaned up by its own run: the tests run
/// at the same time) is simply not one.
pub fn marked_for(origin: &str, marker: &str, like: &str) -> Vec<String> {
    let listed = query_root(&format!(
        "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_NAME = '{marker}' \
         AND TABLE_SCHEMA LIKE '{like}'"
    ));
    listed
        .lines()
        .filter(|n| !n.is_empty())
        .filter(|n| {
            let out = Command::new(mariadb_client())
                .args([
                    "-h",
                    HOST,
                    "-P",
                    &PORT.to_string(),
                    "-uroot",
                    "-N",
                    "-B",
                    "-e",
                ])
                .arg(format!("SELECT origin FROM `{n}`.`{marker}`"))
                .output()
                .expect("mariadb client runs");
            out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == origin
        })
        .map(str::to_string)
        .collect()
}

/// Every `.sql` file under `dir`, recursively (the dump a backup folder holds).
pub fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(sql_files(&p));
        } else if p.extension().is_some_and(|x| x == "sql") {
            out.push(p);
        }
    }
    out
}

/// `check --target TARGET --format json` on `db`: the exit code and the document.
pub fn check_json(db: &TestDb, target: &str) -> (Option<i32>, serde_json::Value) {
    let o = bin()
        .args([
            "check",
            "--format",
            "json",
            "--url",
            &db.url(),
            "--target",
            target,
        ])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

/// The GRANT pattern (quoted) of the databases a restore of `database` stages in.
pub fn restore_grant(database: &str) -> String {
    let family = mautic_schema::apply::restore::stage::family(database);
    format!("`{}%`", family.replace('_', "\\_"))
}
