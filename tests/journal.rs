//! The journal is per install: a second install (another prefix) in the same database never
//! takes over the first one's interrupted run, and the first one still resumes it.

mod common;

use common::{TestDb, corpus};
use mautic_schema::apply::journal;

#[tokio::test]
async fn another_install_never_takes_over_an_interrupted_run() {
    let db = TestDb::new("journal");
    // Install A: unprefixed. Install B: `b_`, the same release, with one missing column.
    db.load(&corpus("11-"));
    let tables = db.query(&format!(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}'",
        db.name
    ));
    let copies: String = tables
        .iter()
        .map(|t| format!("CREATE TABLE `b_{t}` LIKE `{t}`;"))
        .collect();
    db.exec(&copies);
    db.exec("ALTER TABLE b_assets DROP COLUMN description");

    // A's run was killed half way: its journal says so.
    let mut conn = db.connect().await;
    journal::ensure_table(&mut conn).await.unwrap();
    let detail = format!("steps=3\n{}\n", journal::prefix_line(""));
    journal::start_run(&mut conn, 7, &detail).await.unwrap();

    let backups = db.scratch("backups");
    let o = common::bin()
        .args([
            "apply",
            "--url",
            &db.url(),
            "--prefix",
            "b_",
            "--target",
            "5.1.1",
        ])
        .args(["--yes", "--backup", "tables", "--backup-dir"])
        .arg(&backups)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("resuming run 7"),
        "B took over A's run: {err}"
    );

    // A's run is still A's to resume, and its journal was kept for it.
    let a = journal::interrupted_run(&mut conn, "").await.unwrap();
    assert_eq!(a.map(|i| i.run_id), Some(7));
    let b = journal::interrupted_run(&mut conn, "b_").await.unwrap();
    assert!(b.is_none());
}
