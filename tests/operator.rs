//! The operator's experience (issue 11): what an 80-column terminal shows before `apply` asks,
//! the shell completions and man page, `--version`, the parser refusing what a command cannot
//! use, Mautic's own tables never called foreign, and a pending data migration named by
//! `check`.

mod common;

use common::{TestDb, corpus};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
    c.env_remove("MAUTIC_DB_PASSWORD")
        .env_remove("MYSQL_PWD")
        .env_remove("COLUMNS");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Run with `input` on standard input (a pipe, not a terminal).
fn run_with_stdin(mut c: Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A database of corpus 11 with a table to rebuild (a narrowed column) and a missing index.
fn drifted(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets MODIFY lang VARCHAR(50) NOT NULL");
    db
}

fn backup_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("ms-operator-{tag}"))
        .tempdir()
        .unwrap()
}

/// Without --yes, after the SQL has scrolled by, the summary sits right above the question
/// (here refused: standard input is a pipe) and every line of it fits 80 columns.
#[test]
fn apply_prints_a_summary_right_above_the_question() {
    let db = drifted("summary");
    let before = db.snapshot();
    let dir = backup_dir("summary");
    let mut c = bin();
    c.args([
        "apply",
        "--url",
        &db.url(),
        "--target",
        "5.1.1",
        "--online",
        "never",
    ])
    .arg("--backup-dir")
    .arg(dir.path());
    let o = run_with_stdin(c, "n\n");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| *l == "Summary:")
        .unwrap_or_else(|| panic!("no summary in:\n{err}"));
    let summary = &lines[start..];
    // Only the refusal follows the summary.
    assert!(
        summary.last().unwrap().starts_with("error: not confirmed"),
        "{err}"
    );
    let body = summary[..summary.len() - 1].join("\n");
    for want in [
        "tables touched",
        "assets",
        "statements",
        "rebuilt",
        "assets (",
        "rows,",
        "destructive     ",
        "held back",
        "backup          about",
        &dir.path().display().to_string(),
        "bookkeeping",
    ] {
        assert!(body.contains(want), "{want:?} not in:\n{body}");
    }
    for l in &summary[..summary.len() - 1] {
        assert!(l.chars().count() <= 80, "wider than 80: {l}");
    }
    assert_eq!(db.snapshot(), before, "refusing changed the database");
}

/// On a terminal (a pseudo-terminal from `script`), the question comes right after the
/// summary, and "n" changes nothing.
#[test]
fn apply_asks_after_the_summary_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a pseudo-terminal");
        return;
    }
    let db = drifted("tty");
    let before = db.snapshot();
    let dir = backup_dir("tty");
    let cmd = format!(
        "{} apply --url '{}' --target 5.1.1 --online never --backup-dir '{}'",
        env!("CARGO_BIN_EXE_mautic-schema"),
        db.url(),
        dir.path().display()
    );
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"])
        .env("COLUMNS", "80")
        .env_remove("MAUTIC_DB_PASSWORD")
        .env_remove("MYSQL_PWD");
    let o = run_with_stdin(c, "n\n");
    let out = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    let ask = out
        .find("[y/N]")
        .unwrap_or_else(|| panic!("no question in:\n{out}"));
    let summary = out[..ask]
        .rfind("Summary:")
        .unwrap_or_else(|| panic!("no summary before the question:\n{out}"));
    let between = &out[summary..ask];
    assert!(between.contains("bookkeeping"), "{between}");
    assert!(between.contains("backup"), "{between}");
    assert!(out[ask..].contains("not confirmed"), "{out}");
    assert_eq!(db.snapshot(), before);
}
