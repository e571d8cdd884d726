//! `restore` verifies the dump before it touches anything (issue 18 item 2): a dump edited
//! together with its manifest, a dump cut in half with the trailer appended, and a dump with a
//! client command are each refused, and the live tables and their rows are as they were.

mod common;

use std::path::{Path, PathBuf};

use common::{TestDb, bin, corpus, text};

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An install changed by `apply`, and the dump its run recorded.
fn applied(tag: &str) -> (TestDb, tempfile::TempDir, PathBuf) {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO leads (is_published, points, internal, social_cache, firstname, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', CONCAT('n', seq), NOW() FROM seq_1_to_200",
    );
    let backups = common::scratch_dir();
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", "5.1.1", "--yes"])
        .args(["--online", "never", "--backup-dir"])
        .arg(backups.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dump = common::sql_files(backups.path()).pop().expect("a dump");
    (db, backups, dump)
}

fn restore(db: &TestDb, dump: &Path) -> (Option<i32>, String) {
    let o = bin()
        .args(["restore", "--url", &db.url(), "--yes", "--backup"])
        .arg(dump)
        .output()
        .unwrap();
    (o.status.code(), text(&o))
}

#[test]
fn a_bad_dump_is_refused_before_anything_is_dropped() {
    let (db, _keep, dump) = applied("rverify");
    let original = std::fs::read(&dump).unwrap();
    let text_of = String::from_utf8_lossy(&original).into_owned();
    let manifest = dump.parent().unwrap().join("manifest.json");
    let manifest_text = std::fs::read_to_string(&manifest).unwrap();
    let before = db.snapshot();
    let leads = db.query("SELECT COUNT(*) FROM leads");

    // 1. Edited together with its manifest: the manifest's sha256 says the new dump is fine.
    let edited = text_of.replacen("'n1'", "'owned'", 1);
    assert_ne!(edited, text_of, "the dump holds the rows");
    std::fs::write(&dump, &edited).unwrap();
    let old_sha = sha256_hex(&original);
    std::fs::write(
        &manifest,
        manifest_text.replace(&old_sha, &sha256_hex(edited.as_bytes())),
    )
    .unwrap();
    let (code, out) = restore(&db, &dump);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("not the backup recorded"), "{out}");
    assert_eq!(db.snapshot(), before, "an edited dump changed the database");
    std::fs::write(&manifest, &manifest_text).unwrap();

    // 2. Cut in half, the trailer appended.
    let trailer = text_of.lines().last().unwrap();
    let half = format!("{}\n{trailer}\n", &text_of[..text_of.len() / 2]);
    std::fs::write(&dump, &half).unwrap();
    let (code, out) = restore(&db, &dump);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("incomplete"), "{out}");
    assert_eq!(db.snapshot(), before, "a cut dump changed the database");

    // 3. A client command: `\!` runs a shell in the client.
    let marker = std::env::temp_dir().join(format!("owned-{}", std::process::id()));
    let at = text_of.find("DROP TABLE IF EXISTS").unwrap();
    let line = text_of[..at].lines().count() + 1;
    let bad = format!(
        "{}\\! touch {}\n{}",
        &text_of[..at],
        marker.display(),
        &text_of[at..]
    );
    std::fs::write(&dump, &bad).unwrap();
    let (code, out) = restore(&db, &dump);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains(&format!("line {line}:")), "{out}");
    assert!(out.contains("client command"), "{out}");
    assert!(!marker.exists(), "the shell command ran");
    assert_eq!(
        db.snapshot(),
        before,
        "a dump with \\! changed the database"
    );
    assert_eq!(db.query("SELECT COUNT(*) FROM leads"), leads);

    // The intact dump still restores.
    std::fs::write(&dump, &original).unwrap();
    let (code, out) = restore(&db, &dump);
    assert_eq!(code, Some(0), "{out}");
    // A copy elsewhere is the recorded backup too (known by its sha256); an unrecorded dump
    // would replace existing tables on its own word and is refused.
    let elsewhere = common::scratch_dir();
    let copy = elsewhere.path().join("copy.sql");
    std::fs::write(&copy, &original).unwrap();
    let (code, out) = restore(&db, &copy);
    assert_eq!(code, Some(0), "{out}");
    let other = elsewhere.path().join("other.sql");
    std::fs::write(&other, text_of.replacen("'n1'", "'n1 edited'", 1)).unwrap();
    let before = db.snapshot();
    let (code, out) = restore(&db, &other);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("is not a backup recorded"), "{out}");
    assert_eq!(db.snapshot(), before);
}
