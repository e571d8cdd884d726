//! Golden files: the exact output of each format for the bundled example (offline, no server).
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites them after an intended change; review the
//! diff like any other.

use std::path::Path;
use std::process::Command;

fn golden(name: &str, args: &[&str], expected_code: i32) -> String {
    golden_at(name, args, expected_code, None)
}

/// `columns`: the `COLUMNS` the command sees (none: a pipe's stable default width).
fn golden_at(name: &str, args: &[&str], expected_code: i32, columns: Option<usize>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    match columns {
        Some(c) => cmd.env("COLUMNS", c.to_string()),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(expected_code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
        return text;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    if text != want {
        let diff = similar::TextDiff::from_lines(&want, &text)
            .unified_diff()
            .header("golden", "now")
            .to_string();
        panic!("{name} changed:\n{diff}");
    }
    text
}

fn max_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

const EXAMPLE: &[&str] = &[
    "--dump",
    "examples/failed-upgrade-5.1.sql",
    "--target",
    "5.1.1",
];

fn with(cmd: &str, extra: &[&str]) -> Vec<&'static str> {
    let mut v: Vec<&str> = vec![Box::leak(cmd.to_string().into_boxed_str())];
    v.extend_from_slice(EXAMPLE);
    v.extend(
        extra
            .iter()
            .map(|s| &*Box::leak(s.to_string().into_boxed_str())),
    );
    v
}

#[test]
fn example_diff_sql() {
    golden("example-diff.sql", &with("diff", &[]), 1);
}

#[test]
fn example_check_table() {
    // Piped, no COLUMNS: the stable default width.
    let text = golden("example-check.txt", &with("check", &[]), 1);
    assert!(max_width(&text) <= 100);
}

/// The same report at 60, 80 and 120 columns: a list below 90 columns, a table above, and never
/// a line wider than the terminal.
#[test]
fn example_check_table_fits_60_80_120_columns() {
    for (w, list) in [(60, true), (80, true), (120, false)] {
        let text = golden_at(
            &format!("example-check-{w}.txt"),
            &with("check", &[]),
            1,
            Some(w),
        );
        assert!(
            max_width(&text) <= w,
            "{w} columns: a line of {}:\n{text}",
            max_width(&text)
        );
        assert_eq!(!text.contains('┌'), list, "{w} columns:\n{text}");
        assert!(text.contains("FK_6EC1522A12469DE2"), "{text}");
        assert!(text.contains("audit_log"), "{text}");
    }
}

#[test]
fn example_check_json() {
    golden(
        "example-check.json",
        &with("check", &["--format", "json"]),
        1,
    );
}

#[test]
fn example_check_unified_diff() {
    golden(
        "example-check.diff",
        &with("check", &["--format", "diff"]),
        1,
    );
}
