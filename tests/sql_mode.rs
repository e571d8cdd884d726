//! The server's sql_mode changes nothing: on a private MariaDB started with
//! `NO_BACKSLASH_ESCAPES,ANSI_QUOTES`, `apply` records migrations exactly as Mautic writes them
//! (one backslash between namespace parts, or Mautic would re-run every migration), and the
//! next `check` is in sync.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A MariaDB of our own: own datadir, spare port, no grant tables (root without a password),
/// stopped and removed on drop.
struct PrivateServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PrivateServer {
    fn start(sql_mode: &str) -> PrivateServer {
        let dir = common::scratch_dir();
        let data: PathBuf = dir.path().join("data");
        // A server of its own temporary folder: at start-up mariadbd removes the `#sql*` files
        // of its tmpdir, which in /tmp are the shared server's temporary tables in use (their
        // queries then fail with "Error on delete of '/tmp/#sql-temptable-...'").
        let tmp = dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let init = Command::new("mariadb-install-db")
            .env("TMPDIR", &tmp)
            .args([
                "--no-defaults",
                "--skip-test-db",
                "--auth-root-authentication-method=normal",
            ])
            .arg(format!("--datadir={}", data.display()))
            .output()
            .expect("mariadb-install-db runs (package mariadb-server)");
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        // A port the kernel just handed out is free for the moment we need it.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("/usr/sbin/mariadbd")
            .env("TMPDIR", &tmp)
            .arg("--no-defaults")
            .arg(format!("--tmpdir={}", tmp.display()))
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.path().join("sock").display()))
            .arg(format!("--pid-file={}", dir.path().join("pid").display()))
            .args([
                "--bind-address=127.0.0.1",
                "--skip-grant-tables",
                "--user=root",
            ])
            .args(["--innodb-buffer-pool-size=32M", "--skip-log-bin"])
            .arg(format!("--port={port}"))
            .arg(format!("--sql-mode={sql_mode}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        let server = PrivateServer {
            child,
            port,
            _dir: dir,
        };
        let t = Instant::now();
        while server.sql("SELECT 1").is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "private server did not start"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    fn sql(&self, sql: &str) -> Result<String, String> {
        let out = Command::new("mariadb")
            .args([
                "-h",
                "127.0.0.1",
                "-P",
                &self.port.to_string(),
                "-uroot",
                "-N",
                "-B",
                "-r",
            ])
            .args(["-e", sql])
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn load(&self, db: &str, file: &std::path::Path) {
        let out = Command::new("mariadb")
            .args([
                "-h",
                "127.0.0.1",
                "-P",
                &self.port.to_string(),
                "-uroot",
                db,
            ])
            .stdin(std::fs::File::open(file).unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.sql("SHUTDOWN");
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn server_sql_mode_changes_nothing() {
    let server = PrivateServer::start("NO_BACKSLASH_ESCAPES,ANSI_QUOTES");
    assert!(
        server
            .sql("SELECT @@GLOBAL.sql_mode")
            .unwrap()
            .contains("NO_BACKSLASH_ESCAPES")
    );
    server.sql("CREATE DATABASE mautic").unwrap();
    // A 5.1 install without its migrations table: `apply` creates it and records the release.
    server.load("mautic", &common::corpus("11-"));
    let url = format!("mysql://root@127.0.0.1:{}/mautic", server.port);
    let backups = common::scratch_dir();
    let run = |args: &[&str]| {
        common::bin()
            .args(args)
            .args(["--url", &url, "--target", "5.1.1"])
            .env_remove("MAUTIC_DB_PASSWORD")
            .env_remove("MYSQL_PWD")
            .output()
            .unwrap()
    };
    let o = run(&[
        "apply",
        "--yes",
        "--backup-dir",
        backups.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");

    let doubled = server
        // CHAR(92) is a backslash, whatever the client session's mode makes of literals.
        .sql("SELECT COUNT(*) FROM mautic.migrations WHERE LOCATE(CONCAT(CHAR(92), CHAR(92)), version) > 0")
        .unwrap();
    let versions = server
        .sql("SELECT version FROM mautic.migrations ORDER BY version LIMIT 1")
        .unwrap();
    assert_eq!(
        doubled, "0",
        "doubled backslashes stored, first row: {versions}"
    );
    assert!(
        versions.starts_with("Mautic\\Migrations\\Version"),
        "{versions}"
    );
    let o = run(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}
