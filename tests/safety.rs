//! Safety of `apply` and `restore` against the real MariaDB: no password left anywhere on disk
//! whatever signal ends a run, backups in private places, memory flat whatever the backup size.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::wait_until;
use common::{HOST, PORT, TestDb, bin, corpus, text};

const PASSWORD: &str = "S3cr3t-\"quote'-é";

/// A fresh, empty temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let d = std::env::temp_dir().join(format!("ms-safety-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database user with a password and the given grants on the test database; dropped on drop.
struct TestUser {
    name: String,
}

impl TestUser {
    fn new(db: &TestDb, tag: &str, grants: &[&str]) -> TestUser {
        let name = format!("ms_{tag}_{}", std::process::id());
        let pw = PASSWORD.replace('\\', "\\\\").replace('\'', "\\'");
        for host in ["%", "localhost", "127.0.0.1"] {
            let mut sql = format!("CREATE OR REPLACE USER '{name}'@'{host}' IDENTIFIED BY '{pw}';");
            for g in grants {
                // STAGING: the databases a restore of this database loads into.
                let staging = common::restore_grant(&db.name);
                let g = g
                    .replace("DB", &format!("`{}`", db.name))
                    .replace("STAGING", &staging);
                sql.push_str(&format!(" GRANT {g} TO '{name}'@'{host}';"));
            }
            common::sql_root(&sql);
        }
        TestUser { name }
    }

    fn url(&self, db: &TestDb) -> String {
        format!("mysql://{}@{HOST}:{PORT}/{}", self.name, db.name)
    }
}

impl Drop for TestUser {
    fn drop(&mut self) {
        for host in ["%", "localhost", "127.0.0.1"] {
            common::sql_root(&format!("DROP USER IF EXISTS '{}'@'{host}'", self.name));
        }
    }
}

/// Every file under `dir` (recursively).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Files under `dir` whose bytes contain the password (or its distinctive part).
fn files_with_password(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let b = std::fs::read(p).unwrap_or_default();
            b.windows(6).any(|w| w == b"S3cr3t")
        })
        .collect()
}

/// A database whose backup takes a moment (audit_log holds 400k rows) and that needs a change.
fn big_database(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO audit_log (user_id, user_name, bundle, object, object_id, action, details, date_added, ip_address) \
           SELECT 1, 'u', 'lead', 'lead', seq, 'update', REPEAT('a:0:{}', 20), NOW(), '127.0.0.1' FROM seq_1_to_400000; \
         ALTER TABLE assets DROP COLUMN description",
    );
    db
}

fn signal(pid: u32, sig: &str) {
    let st = Command::new("kill")
        .args(["-s", sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

/// SIGINT, SIGTERM or SIGKILL while the backup is being written, and while a restore is
/// loading: no file in the backup folder or TMPDIR holds the password afterwards.
#[test]
fn no_password_on_disk_after_any_signal() {
    let db = big_database("sig");
    let user = TestUser::new(
        &db,
        "sig",
        &["ALL ON DB.*", "ALL ON STAGING.*", "RELOAD, PROCESS ON *.*"],
    );
    for sig in ["INT", "TERM", "KILL"] {
        let tmp = TempDir::new(&format!("tmp-{sig}"));
        let backups = TempDir::new(&format!("bk-{sig}"));
        let mut child = bin()
            .args([
                "apply",
                "--url",
                &user.url(&db),
                "--target",
                "5.1.1",
                "--yes",
            ])
            .arg("--backup-dir")
            .arg(&backups.0)
            .env("MAUTIC_DB_PASSWORD", PASSWORD)
            .env("TMPDIR", &tmp.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until("the dump to be written", || {
            files_under(&backups.0).iter().any(|p| {
                p.extension().is_some_and(|e| e == "sql")
                    && std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) > 0
            })
        });
        signal(child.id(), sig);
        let status = child.wait().unwrap();
        assert!(!status.success(), "SIG{sig}: the run finished first");
        // A dump child left running would still be writing; give it a moment to show.
        std::thread::sleep(Duration::from_millis(300));
        for dir in [&backups.0, &tmp.0] {
            let leaked = files_with_password(dir);
            assert!(leaked.is_empty(), "SIG{sig} during backup: {leaked:?}");
        }
    }
    // A restore killed while the client loads rows (one row per INSERT: it takes a while).
    let dump = TempDir::new("dump");
    let file = dump.0.join("full.sql");
    let out = Command::new("mariadb-dump")
        .args([
            "-h",
            HOST,
            "-P",
            &PORT.to_string(),
            "-uroot",
            "--skip-extended-insert",
            &db.name,
        ])
        .stdout(std::fs::File::create(&file).unwrap())
        .status()
        .unwrap();
    assert!(out.success());
    let target = TestDb::new("sigrestore");
    let ruser = TestUser::new(&target, "sigr", &["ALL ON DB.*", "ALL ON STAGING.*"]);
    for sig in ["INT", "TERM", "KILL"] {
        let tmp = TempDir::new(&format!("rtmp-{sig}"));
        let mut child = bin()
            .args(["restore", "--url", &ruser.url(&target), "--yes", "--backup"])
            .arg(&file)
            .env("MAUTIC_DB_PASSWORD", PASSWORD)
            .env("TMPDIR", &tmp.0)
            .current_dir(&tmp.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until(&format!("the restore to load rows (SIG{sig})"), || {
            target.query(&format!(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '{}' AND INFO LIKE 'INSERT%'",
                ruser.name
            )) != vec!["0"]
        });
        signal(child.id(), sig);
        let _ = child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let leaked = files_with_password(&tmp.0);
        assert!(leaked.is_empty(), "SIG{sig} during restore: {leaked:?}");
    }
    // The killed restores' staging copies: a rerun of restore would finish them; the test
    // database goes away, so they are dropped here, found by their marker.
    for d in common::marked_for(&target.name, "_ms_marker", "\\_ms\\_%\\_rst\\_%") {
        common::sql_root(&format!("DROP DATABASE `{d}`"));
    }
}

/// The backup's hash is computed while streaming: checking a 300 MB backup must not hold it
/// in memory (measured as the child's peak RSS).
#[test]
fn backup_check_memory_is_flat() {
    let dir = TempDir::new("rss");
    let file = dir.0.join("big.sql");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        let line = format!("INSERT INTO `t` VALUES ('{}');\n", "x".repeat(1000));
        // The table first: restore reads every statement before anything else, and refuses
        // rows for a table the dump has not created.
        f.write_all(b"CREATE TABLE `t` (`c` text);\n").unwrap();
        for _ in 0..300_000 {
            f.write_all(line.as_bytes()).unwrap();
        }
        f.write_all(b"-- Dump completed on 2026-11-25  2:00:00\n")
            .unwrap();
    }
    // Without --yes on a non-terminal the restore stops right after checking the backup.
    let o = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_mautic-schema"))
        .args([
            "restore",
            "--url",
            &format!("mysql://root@{HOST}:{PORT}/nowhere"),
            "--backup",
        ])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    // Refused only once the whole file was read: at its end (no settings footer), or when
    // asking for a confirmation.
    assert!(
        err.contains("not confirmed") || err.contains("footer"),
        "{}",
        text(&o)
    );
    let kb: u64 = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in {err}"));
    assert!(kb < 64 * 1024, "checking a 300 MB backup used {kb} kB");
}

fn apply_cmd(url: &str, extra: &[&str]) -> Command {
    let mut c = bin();
    c.args([
        "apply", "--url", url, "--target", "5.1.1", "--yes", "--online", "never",
    ])
    .args(extra);
    c
}

/// The folder named by --backup-dir keeps its mode (a shared 1777 folder stays 1777); each
/// backup gets a new 0700 folder with the dump and its manifest; without --backup-dir the backup
/// goes under ~/.local/state, never into the current directory; a folder inside a Mautic install
/// is refused before anything changes.
#[test]
fn backups_go_to_private_folders_outside_the_install() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new("bkdir");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description");
    let base = TempDir::new("bkdir");
    let shared = base.0.join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    // Inside a Mautic install (found by its config, not named): refused, nothing changed.
    let install = base.0.join("mautic");
    std::fs::create_dir_all(install.join("app/config")).unwrap();
    std::fs::write(install.join("app/config/local.php"), "<?php\n").unwrap();
    let o = apply_cmd(&db.url(), &["--backup-dir"])
        .arg(install.join("var/backups"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("inside the Mautic install"),
        "{}",
        text(&o)
    );
    assert!(!install.join("var").exists());
    // A shared folder: left as it is, the backup in a private folder inside.
    let o = apply_cmd(&db.url(), &["--backup-dir"])
        .arg(&shared)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o1777, "the user's folder was changed to {mode:o}");
    let runs: Vec<PathBuf> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(
        std::fs::metadata(&runs[0]).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let mut names: Vec<String> = std::fs::read_dir(&runs[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[..2], ["journal.json", "manifest.json"], "{names:?}");
    assert!(names[2].ends_with(".sql"), "{names:?}");
    // No --backup-dir: under the home's state folder, printed, nothing in the current folder.
    db.exec("ALTER TABLE assets DROP COLUMN description");
    let home = base.0.join("home");
    let cwd = base.0.join("cwd");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&cwd).unwrap();
    let o = apply_cmd(&db.url(), &[])
        .env("HOME", &home)
        .env_remove("XDG_STATE_HOME")
        .current_dir(&cwd)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(files_under(&cwd).is_empty(), "{:?}", files_under(&cwd));
    let root = home.join(".local/state/mautic-schema/backups");
    let dumps: Vec<PathBuf> = files_under(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    assert_eq!(dumps.len(), 1, "{:?}", files_under(&home));
    assert!(
        text(&o).contains(&dumps[0].display().to_string()),
        "{}",
        text(&o)
    );
}

/// Every table's definition and checksum, and the list of tables.
/// A database where apply creates tables (audit_log, the migrations table) and changes a
/// parent's key type together with its child's (lead_tags.id ← lead_tags_xref.tag_id).
fn rollback_database(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO leads (is_published, points, internal, social_cache, firstname, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', CONCAT('n', seq), NOW() FROM seq_1_to_300; \
         INSERT INTO lead_tags (tag) SELECT CONCAT('t', seq) FROM seq_1_to_40; \
         INSERT INTO lead_tags_xref (lead_id, tag_id) SELECT seq, 1 + seq % 40 FROM seq_1_to_300; \
         INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision, description) \
           SELECT 1, CONCAT('t', seq), CONCAT('a', seq), 'en', seq, 0, 1, 'kept' FROM seq_1_to_100; \
         ALTER TABLE lead_tags_xref DROP FOREIGN KEY FK_F2E51EB6BAD26311; \
         ALTER TABLE lead_tags MODIFY id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT; \
         ALTER TABLE lead_tags_xref MODIFY tag_id SMALLINT UNSIGNED NOT NULL; \
         ALTER TABLE lead_tags_xref ADD CONSTRAINT FK_F2E51EB6BAD26311 FOREIGN KEY (tag_id) REFERENCES lead_tags (id); \
         ALTER TABLE assets MODIFY lang VARCHAR(50) NOT NULL; DROP TABLE audit_log",
    );
    db
}

/// apply then restore gives back exactly the database before apply: every table's definition
/// and checksum, tables apply created gone, the migrations table as it was (absent), for whole
/// and per-table backups, although apply changed a parent's key type.
#[test]
fn restore_is_a_rollback() {
    for scope in ["all", "tables"] {
        let db = rollback_database(&format!("rb{scope}"));
        let before = db.snapshot();
        let backups = TempDir::new(&format!("rb-{scope}"));
        let o = apply_cmd(&db.url(), &["--backup", scope, "--backup-dir"])
            .arg(&backups.0)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_ne!(db.snapshot(), before, "apply changed nothing");
        let dump = files_under(&backups.0)
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "sql"))
            .unwrap();
        let o = bin()
            .args(["restore", "--url", &db.url(), "--yes", "--backup"])
            .arg(&dump)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "--backup {scope}: {}", text(&o));
        // The backup ledger stays on purpose: it is what a later restore checks a dump against.
        let after: Vec<String> = db
            .snapshot()
            .into_iter()
            .filter(|l| !l.contains("mautic_schema_backups"))
            .collect();
        let diff: Vec<String> = before
            .iter()
            .filter(|l| !after.contains(l))
            .map(|l| format!("-{}", l.chars().take(200).collect::<String>()))
            .chain(
                after
                    .iter()
                    .filter(|l| !before.contains(l))
                    .map(|l| format!("+{}", l.chars().take(200).collect::<String>())),
            )
            .collect();
        assert!(
            diff.is_empty(),
            "--backup {scope}: not as before:\n{}",
            diff.join("\n")
        );
    }
}

/// A `--backup tables` run killed mid-way, then rerun with a plan that also drops a unique key
/// of a table its backup does not hold: the rerun backs that table up first.
#[test]
fn resumed_run_backs_up_what_its_backup_lacks() {
    let db = TestDb::new("resume");
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO audit_log (user_id, user_name, bundle, object, object_id, action, details, date_added, ip_address) \
           SELECT 1, 'u', 'lead', 'lead', seq, 'update', 'a:0:{}', NOW(), '127.0.0.1' FROM seq_1_to_300000; \
         INSERT INTO lead_event_log (bundle, object, action, object_id, date_added, properties) \
           SELECT 'lead', 'lead', 'x', seq, NOW(), '{}' FROM seq_1_to_300000; \
         INSERT INTO ip_addresses (ip_address) SELECT CONCAT('10.0.', seq DIV 250, '.', seq % 250) FROM seq_1_to_300000; \
         ALTER TABLE audit_log DROP INDEX object_search, DROP INDEX timeline_search; \
         ALTER TABLE lead_event_log DROP INDEX lead_timeline_index, DROP INDEX lead_object_index; \
         ALTER TABLE ip_addresses DROP INDEX ip_search",
    );
    let backups = TempDir::new("resume");
    let mut child = apply_cmd(&db.url(), &["--backup", "tables", "--backup-dir"])
        .arg(&backups.0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let alters = format!(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'ALTER%'",
        db.name
    );
    wait_until("an index build to run", || db.query(&alters) != vec!["0"]);
    child.kill().unwrap();
    child.wait().unwrap();
    wait_until("the killed run's statement to end", || {
        db.query(&alters) == vec!["0"]
    });
    assert_eq!(
        db.query(
            "SELECT COUNT(*) FROM mautic_schema_journal WHERE kind = 'run' AND status = 'running'"
        ),
        vec!["1"],
        "the run was not interrupted"
    );
    // Something of the user's the rerun (with --allow-destructive) drops: a unique key.
    db.exec(
        "INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision) \
           SELECT 1, CONCAT('t', seq), CONCAT('a', seq), 'en', seq, 0, 1 FROM seq_1_to_100; \
         ALTER TABLE assets ADD UNIQUE INDEX legacy_alias (alias)",
    );
    let o = apply_cmd(
        &db.url(),
        &["--backup", "tables", "--allow-destructive", "--backup-dir"],
    )
    .arg(&backups.0)
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("taking a new one"), "{}", text(&o));
    let held = files_under(&backups.0)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .any(|p| {
            let dump = std::fs::read_to_string(p).unwrap();
            dump.contains("CREATE TABLE `assets`") && dump.contains("UNIQUE KEY `legacy_alias`")
        });
    assert!(
        held,
        "no backup holds assets as it was before the rerun dropped its unique key"
    );
    assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'legacy_alias'"), vec!["0"]);
}

/// A user with only what a Mautic install has (`GRANT ALL ON mautic.*`) runs check, apply
/// --dry-run and apply; the long-transaction check, which needs PROCESS, is said to be skipped.
#[test]
fn database_privileges_are_enough() {
    let db = TestDb::new("grants");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description; DROP TABLE audit_log");
    let user = TestUser::new(&db, "grants", &["ALL ON DB.*"]);
    let backups = TempDir::new("grants");
    let run = |args: &[&str]| {
        bin()
            .args(args)
            .args(["--url", &user.url(&db), "--target", "5.1.1"])
            .env("MAUTIC_DB_PASSWORD", PASSWORD)
            .arg("--backup-dir")
            .arg(&backups.0)
            .output()
            .unwrap()
    };
    let o = bin()
        .args(["check", "--url", &user.url(&db), "--target", "5.1.1"])
        .env("MAUTIC_DB_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for dry in [true, false] {
        let o = if dry {
            run(&["apply", "--yes", "--online", "never", "--dry-run"])
        } else {
            // The backup could not be restored (a restore needs a staging database): refused
            // before any change, with the grant that allows it.
            let refused = run(&["apply", "--yes", "--online", "never"]);
            let out = text(&refused);
            assert_eq!(refused.status.code(), Some(2), "{out}");
            assert!(out.contains("could not restore its own backup"), "{out}");
            let grant = out
                .lines()
                .find_map(|l| l.split("Run: ").nth(1))
                .and_then(|g| g.split("; nothing").next())
                .unwrap_or_else(|| panic!("no GRANT in {out}"))
                .to_string();
            assert!(grant.starts_with("GRANT "), "{grant}");
            assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_log'"), vec!["0"]);
            // The printed grant, run as printed, is enough.
            common::sql_root(&grant);
            run(&["apply", "--yes", "--online", "never"])
        };
        assert_eq!(
            o.status.code(),
            Some(if dry { 1 } else { 0 }),
            "{}",
            text(&o)
        );
        assert!(
            text(&o).contains("long-transaction check skipped: it needs the PROCESS privilege"),
            "{}",
            text(&o)
        );
        assert!(!text(&o).contains("Access denied"), "{}", text(&o));
        // No scratch database for the rehearsal: said, with the grant that would allow it.
        assert!(
            text(&o).contains("not rehearsed: this user may not create a scratch database"),
            "{}",
            text(&o)
        );
    }
    assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_log'"), vec!["1"]);
}

/// Lock first, then look: a run that waits for the lock while another run finishes the same
/// work plans after the wait, so it never replays a stale plan ("Duplicate column name").
#[test]
fn a_run_waiting_for_the_lock_plans_after_it() {
    let db = TestDb::new("stale");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description");
    // The statements the other run will have applied.
    let o = bin()
        .args(["diff", "--url", &db.url(), "--target", "5.1.1"])
        .output()
        .unwrap();
    let fix = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(fix.contains("ADD COLUMN `description`"), "{fix}");
    // The other run holds the lock.
    let lock = format!("mautic-schema:{}", db.name);
    let mut holder = Command::new("mariadb")
        .args([
            "-h",
            HOST,
            "-P",
            &PORT.to_string(),
            "-uroot",
            &db.name,
            "-e",
        ])
        .arg(format!("SELECT GET_LOCK('{lock}', 0); SELECT SLEEP(60);"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the lock to be held", || {
        db.query(&format!("SELECT IS_USED_LOCK('{lock}') IS NOT NULL")) == vec!["1"]
    });
    let child = apply_cmd(&db.url(), &["--no-backup"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the second run to wait for the lock", || {
        db.query(&format!(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE '%GET_LOCK(%' AND ID <> CONNECTION_ID()",
            db.name
        )) != vec!["0"]
    });
    // The other run finishes its work and lets go.
    let out = Command::new("mariadb")
        .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", &db.name])
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(fix.as_bytes())?;
            c.wait()
        })
        .unwrap();
    assert!(out.success());
    holder.kill().unwrap();
    let _ = holder.wait();
    let o = child.wait_with_output().unwrap();
    assert!(!text(&o).contains("Duplicate column"), "{}", text(&o));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Before starting, apply shows each rebuilt table's rows and size, the backup's estimated
/// size and the free space where it goes.
#[test]
fn sizes_and_free_space_are_shown_before_starting() {
    let db = TestDb::new("sizes");
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision, description) \
           SELECT 1, CONCAT('t', seq), CONCAT('a', seq), 'en', seq, 0, 1, REPEAT('d', 200) FROM seq_1_to_20000; \
         ANALYZE TABLE assets; \
         ALTER TABLE assets MODIFY lang VARCHAR(50) NOT NULL",
    );
    let backups = TempDir::new("sizes");
    let o = apply_cmd(&db.url(), &["--dry-run", "--backup-dir"])
        .arg(&backups.0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let rebuilt = err
        .lines()
        .find(|l| l.starts_with("rebuilt: assets ("))
        .unwrap_or_else(|| panic!("no size for assets in:\n{err}"));
    // The catalog's row count is an estimate: within a factor of two.
    let rows: u64 = rebuilt["rebuilt: assets (".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((10_000..40_000).contains(&rows), "{rebuilt}");
    assert!(rebuilt.ends_with(" MB)"), "{rebuilt}");
    let backup = err
        .lines()
        .find(|l| l.starts_with("backup: about "))
        .unwrap_or_else(|| panic!("no backup estimate in:\n{err}"));
    assert!(
        backup.contains(&backups.0.display().to_string()) && backup.ends_with(" free)"),
        "{backup}"
    );
}

/// Aligning a child column with its parent for a foreign key may narrow it (BIGINT → INT
/// UNSIGNED): with a value that does not fit, that stays destructive, held back without
/// --allow-destructive (a narrowing whose every value fits is not destructive: issue 22).
#[test]
fn foreign_key_alignment_keeps_a_narrowing_destructive() {
    let db = TestDb::new("narrow");
    db.load(&corpus("11-"));
    db.exec(
        "ALTER TABLE lead_tags_xref DROP FOREIGN KEY FK_F2E51EB6BAD26311; \
         ALTER TABLE lead_tags_xref MODIFY tag_id BIGINT UNSIGNED NOT NULL; \
         SET SESSION foreign_key_checks = 0; \
         INSERT INTO lead_tags_xref (lead_id, tag_id) VALUES (1, 5000000000)",
    );
    let o = bin()
        .args([
            "check",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let change = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == "lead_tags_xref" && c["object"] == "tag_id")
        .unwrap_or_else(|| panic!("no change for tag_id: {}", text(&o)));
    assert_eq!(change["destructive"], true, "{change}");
    assert_eq!(change["held_back"], true, "{change}");
}

/// A user who can see only part of the catalog (SELECT only: no foreign-key rules) is told
/// what it cannot see and what to grant, and gets no plan, never false drift.
#[test]
fn a_partial_catalog_is_named_not_reported_as_drift() {
    let db = TestDb::new("ro");
    db.load(&corpus("11-"));
    let user = TestUser::new(&db, "ro", &["SELECT ON DB.*"]);
    for cmd in ["check", "diff"] {
        let o = bin()
            .args([cmd, "--url", &user.url(&db), "--target", "5.1.1"])
            .env("MAUTIC_DB_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {out}");
        assert!(
            out.contains("this user cannot see the rules of") && out.contains("GRANT REFERENCES"),
            "{cmd}: {out}"
        );
        assert!(
            !out.contains("ALTER TABLE") && !out.contains("foreign key differs"),
            "{cmd}: {out}"
        );
    }
}

/// A value the server sends that is not text (invalid UTF-8 in a binary column) is an error
/// naming the query, never a NULL that would read as "no default" or "no comment".
#[tokio::test]
async fn undecodable_catalog_value_is_an_error_not_null() {
    let db = TestDb::new("decode");
    let mut conn = db.connect().await;
    let err = conn
        .rows("reading a test value", "SELECT x'FF' AS v", &[])
        .await
        .expect_err("invalid UTF-8 must not decode to NULL");
    let msg = err.to_string();
    assert!(msg.contains("reading a test value"), "{msg}");
    let ok = conn
        .rows("reading a NULL", "SELECT CAST(NULL AS CHAR)", &[])
        .await
        .expect("a real NULL decodes");
    assert_eq!(ok, vec![vec![None]]);
}
