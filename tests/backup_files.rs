//! The files `apply` writes (the dump, `manifest.json`, `journal.json`) are written as root on
//! production: never through a planted symlink, never into a folder another user owns or may
//! write in, and a dump cut short by Ctrl-C or a killed dump tool leaves no partial copy of
//! the contacts behind.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{TestDb, bin, text};
use mautic_schema::apply::{backup, execute, journal};

/// One table with a row; the reference adds a column.
fn database(tag: &str) -> (TestDb, PathBuf) {
    let db = TestDb::new(tag);
    db.exec(
        "CREATE TABLE t (id INT NOT NULL, email VARCHAR(50), PRIMARY KEY (id)) ENGINE=InnoDB;
         INSERT INTO t VALUES (1, 'someone@example.com');",
    );
    let reference = db.scratch("reference.sql");
    std::fs::write(
        &reference,
        "CREATE TABLE t (id INT NOT NULL, email VARCHAR(50), b INT, PRIMARY KEY (id)) ENGINE=InnoDB;",
    )
    .unwrap();
    (db, reference)
}

fn apply(db: &TestDb, reference: &Path, backups: &Path) -> Command {
    let mut c = bin();
    c.args(["apply", "--url", &db.url(), "--yes", "--reference-file"])
        .arg(reference)
        .arg("--backup-dir")
        .arg(backups);
    c
}

/// Every regular file (and link) under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A complete run, then its change undone and the journal saying that a run using its backup
/// was interrupted: the rerun resumes with that backup, and keeps its journal in its folder.
/// Returns the folder.
async fn interrupted_run_with_backup(db: &TestDb, reference: &Path, backups: &Path) -> PathBuf {
    let o = apply(db, reference, backups).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let folder = std::fs::read_dir(backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let dump = files_under(&folder)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .unwrap();
    db.exec("ALTER TABLE t DROP COLUMN b");
    let mut conn = db.connect().await;
    journal::ensure_table(&mut conn).await.unwrap();
    let b = backup::verify_backup(&dump, &[]).unwrap();
    let detail = format!(
        "{}{}\n",
        execute::run_detail(Some(&b), 1),
        journal::prefix_line("")
    );
    journal::start_run(&mut conn, 7, &detail).await.unwrap();
    folder
}

/// Fails on the old code: journal.json was created with truncate, following a link planted
/// where it goes, in a backup folder named by the journal table (a database row).
#[tokio::test]
async fn journal_json_is_never_written_through_a_planted_symlink() {
    let (db, reference) = database("bfjournal");
    let backups = db.scratch("backups");
    let folder = interrupted_run_with_backup(&db, &reference, &backups).await;

    let target = db.scratch("precious");
    std::fs::write(&target, "precious\n").unwrap();
    let planted = folder.join("journal.json");
    let _ = std::fs::remove_file(&planted);
    std::os::unix::fs::symlink(&target, &planted).unwrap();

    let o = apply(&db, &reference, &backups).output().unwrap();
    let out = text(&o);
    assert!(out.contains("resuming run 7"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "precious\n",
        "{out}"
    );
    assert!(planted.is_symlink());
    // A complete, verified run: the file that could not be written is a warning, not a failure.
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("warning: the journal was not written beside the backup"),
        "{out}"
    );
    // The history stays in the table instead.
    assert_ne!(
        db.query("SELECT COUNT(*) FROM mautic_schema_journal WHERE run_id = 7"),
        vec!["0"]
    );
}

/// Fails on the old code: an interrupted run's backup folder (named by a database row) was
/// reused and written to although another user owns it.
#[tokio::test]
async fn an_interrupted_runs_backup_in_a_folder_another_user_owns_is_not_reused() {
    let (db, reference) = database("bfreuse");
    let backups = db.scratch("backups");
    let folder = interrupted_run_with_backup(&db, &reference, &backups).await;
    std::fs::remove_file(folder.join("journal.json")).unwrap();
    std::os::unix::fs::chown(&folder, Some(65534), Some(65534)).unwrap();
    let o = apply(&db, &reference, &backups).output().unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!folder.join("journal.json").exists(), "{out}");
    assert!(out.contains("its backup cannot be reused"), "{out}");
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        2,
        "a new backup: {out}"
    );
}

/// Fails on the old code: root wrote the backup into a folder another user owns.
#[test]
fn a_backup_folder_another_user_owns_or_may_write_in_is_refused() {
    let (db, reference) = database("bfowner");
    let before = db.query("SHOW CREATE TABLE t");
    let theirs = db.scratch("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
    let shared = db.scratch("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    for (root, why) in [
        (&theirs, "belongs to uid 65534"),
        (&shared, "may be written by other users"),
    ] {
        for dry in [true, false] {
            let mut c = apply(&db, &reference, root);
            if dry {
                c.arg("--dry-run");
            }
            let o = c.output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert_eq!(o.status.code(), Some(2), "{}", text(&o));
            let line = err
                .lines()
                .find(|l| l.contains(why))
                .unwrap_or_else(|| panic!("{err}"));
            assert!(line.contains("--backup-dir"), "{line}");
            assert!(files_under(root).is_empty(), "{:?}", files_under(root));
            assert_eq!(db.query("SHOW CREATE TABLE t"), before);
        }
    }
}

/// A dump tool that writes the start of a dump (with a contact's address), says so, then
/// hangs until it is killed.
fn fake_dump_tool(dir: &Path, flag: &Path) -> PathBuf {
    let bin_dir = dir.join("fakebin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let tool = bin_dir.join("mariadb-dump");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\necho '-- MariaDB dump'\necho \"INSERT INTO t VALUES (1,'someone@example.com');\"\n\
             echo $$ > '{}'\nexec sleep 60\n",
            flag.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin_dir
}

fn wait_for(flag: &Path) -> i32 {
    let start = Instant::now();
    loop {
        if let Some(pid) = std::fs::read_to_string(flag)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            // The tool's output is on its way into the backup file.
            std::thread::sleep(Duration::from_millis(500));
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the dump never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn no_partial_dump(backups: &Path, o: &Output) {
    let left: Vec<PathBuf> = files_under(backups);
    assert!(
        left.iter()
            .all(|p| p.extension().is_none_or(|e| e != "sql")),
        "a partial dump stayed: {left:?}\n{}",
        text(o)
    );
}

/// Fails on the old code: Ctrl-C (SIGINT to the terminal's process group) during the dump left
/// the partial dump on disk.
#[test]
fn an_interrupted_or_failed_dump_leaves_no_partial_file() {
    let (db, reference) = database("bfdump");
    let path = format!(
        "{}:{}",
        fake_dump_tool(&db.scratch(""), &db.scratch("ctrlc")).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Ctrl-C: the whole foreground group gets SIGINT.
    let backups = db.scratch("backups-ctrlc");
    let child = apply(&db, &reference, &backups)
        .env("PATH", &path)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&db.scratch("ctrlc"));
    // SAFETY: kill(2) of the process group the test just made.
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGINT);
    }
    let o = child.wait_with_output().unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    no_partial_dump(&backups, &o);

    // The dump tool killed on its own: the run fails, and no partial file stays either.
    let path = format!(
        "{}:{}",
        fake_dump_tool(&db.scratch("k"), &db.scratch("killed")).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let backups = db.scratch("backups-killed");
    let child = apply(&db, &reference, &backups)
        .env("PATH", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tool = wait_for(&db.scratch("killed"));
    // SAFETY: kill(2) of the fake dump tool's pid.
    unsafe {
        libc::kill(tool, libc::SIGKILL);
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("backup failed, nothing was changed"),
        "{}",
        text(&o)
    );
    no_partial_dump(&backups, &o);
    assert!(db.query("SHOW COLUMNS FROM t LIKE 'b'").is_empty());
}
