//! Shared test support: a real MariaDB at 127.0.0.1:3306 (root, empty password), one uniquely
//! named database per test, dropped when the test ends.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use mautic_schema::db::{ConnectParams, Db};

pub const HOST: &str = "127.0.0.1";
pub const PORT: u16 = 3306;

pub fn corpus(name_prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(name_prefix)
        })
        .unwrap_or_else(|| panic!("no corpus file {name_prefix}*"))
}

pub fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    v.sort();
    v
}

fn mariadb_client() -> &'static str {
    if Command::new("mariadb").arg("--version").output().is_ok() {
        "mariadb"
    } else {
        "mysql"
    }
}

/// A scratch database that is dropped on drop.
pub struct TestDb {
    pub name: String,
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
        TestDb { name }
    }

    /// Load a SQL file with the real client.
    pub fn load(&self, file: &Path) {
        let f = std::fs::File::open(file).unwrap();
        let out = Command::new(mariadb_client())
            .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", &self.name])
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

    pub fn exec(&self, sql: &str) {
        let out = Command::new(mariadb_client())
            .args([
                "-h",
                HOST,
                "-P",
                &PORT.to_string(),
                "-uroot",
                &self.name,
                "-e",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// First column of a query's rows.
    pub fn query(&self, sql: &str) -> Vec<String> {
        let out = Command::new(mariadb_client())
            .args([
                "-h",
                HOST,
                "-P",
                &PORT.to_string(),
                "-uroot",
                "-N",
                "-B",
                &self.name,
                "-e",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
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

    pub fn url(&self) -> String {
        format!("mysql://root@{HOST}:{PORT}/{}", self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        sql_root(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

pub fn sql_root(sql: &str) {
    let out = Command::new(mariadb_client())
        .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", "-e", sql])
        .output()
        .expect("mariadb client runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
