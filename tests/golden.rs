//! Golden files: the exact output of each format for the bundled example (offline, no server).
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites them after an intended change; review the
//! diff like any other.

use std::path::Path;
use std::process::Command;

fn golden(name: &str, args: &[&str], expected_code: i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
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
        return;
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
    golden("example-check.txt", &with("check", &[]), 1);
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
