//! The restore command `apply` prints can be pasted and run as printed: the connection flags of
//! the run are filled in (a password in --url left out), and running it brings the database back.

mod common;

use std::process::Command;

use common::{TestDb, corpus};

#[test]
fn printed_restore_command_runs_as_printed() {
    let db = TestDb::new("hint");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description");
    let backups = db.scratch("backups dir");
    let bin = env!("CARGO_BIN_EXE_mautic-schema");
    let o = Command::new(bin)
        .args([
            "apply",
            "--url",
            &db.url(),
            "--target",
            "5.1.1",
            "--yes",
            "--backup-dir",
        ])
        .arg(&backups)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("-- restore with: "))
        .unwrap_or_else(|| panic!("no restore command in:\n{out}"));
    assert!(!line.contains('<'), "placeholder in: {line}");
    let cmd = line
        .strip_prefix("mautic-schema ")
        .unwrap_or_else(|| panic!("{line}"));
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("'{bin}' {cmd} --yes"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{line}: {o:?}");
    assert_eq!(
        db.query(&format!(
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{}' \
             AND TABLE_NAME = 'assets' AND COLUMN_NAME = 'description'",
            db.name
        )),
        vec!["0"],
        "restore did not bring back the state before apply"
    );
}
