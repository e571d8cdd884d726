//! The most common failed upgrade: the files are at a newer release, the database is still at
//! an older one. `apply --target NEWER` must plan against what the plan itself creates (a new
//! parent table is empty, a new child column holds its default), not query tables and columns
//! that do not exist yet, and converge.

mod common;

use std::path::Path;

use common::{TestDb, bin};

fn upgrade(from: &str, to: &str, rows: &str) {
    let db = TestDb::new(&format!("up{}", from.replace('.', "")));
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{from}.sql")));
    if !rows.is_empty() {
        db.exec(rows);
    }
    let backups = db.scratch("backups");
    let apply = |extra: &[&str]| {
        bin()
            .args([
                "apply",
                "--url",
                &db.url(),
                "--target",
                to,
                "--yes",
                "--backup-dir",
            ])
            .arg(&backups)
            .args(extra)
            .output()
            .unwrap()
    };
    let check = || common::check_json(&db, to);
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    // Without --allow-destructive: everything but the destructive steps (columns and types
    // the newer release drops or narrows), which stay held back and reported.
    let o = apply(&[]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{from} → {to}: {}",
        text(&o)
    );
    let (_, v) = check();
    let left: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .collect();
    assert!(
        left.iter().all(|c| c["held_back"] == true),
        "{from} → {to}: only held-back changes may remain: {left:#?}"
    );
    let o = apply(&["--allow-destructive"]);
    assert_eq!(o.status.code(), Some(0), "{from} → {to}: {}", text(&o));
    let (code, v) = check();
    assert_eq!(code, Some(0), "{from} → {to} left: {v:#}");
}

#[test]
fn files_at_5_1_database_at_4_3() {
    // A contact with points and a list: rows in tables that new foreign keys point from.
    upgrade(
        "4.3.0",
        "5.1.1",
        "INSERT INTO leads (is_published, points, date_identified) VALUES (1, 5, NOW()); \
         INSERT INTO lead_lists (is_published, name, public_name, alias, filters, is_global, is_preference_center) \
         VALUES (1, 'L', 'L', 'l', 'a:0:{}', 1, 0)",
    );
}

#[test]
fn files_at_4_3_database_at_2_8() {
    upgrade("2.8.0", "4.3.0", "");
}
