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
    // Piped, no COLUMNS: the stable default width, an 80-column pager's, so a list (no box
    // drawing); it was a 100-column table that a pager wrapped.
    let text = golden("example-check.txt", &with("check", &[]), 1);
    assert!(max_width(&text) <= 80);
    assert!(!text.contains('┌'), "{text}");
}

/// `--width N` decides as COLUMNS does, and over it.
#[test]
fn example_check_width_flag() {
    for w in [60, 120] {
        let out = Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("COLUMNS", "80")
            .args(with("check", &["--width", &w.to_string()]))
            .output()
            .unwrap();
        let want = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("tests/golden/example-check-{w}.txt")),
        )
        .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    }
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

/// No message says a word twice: no word doubled in a row ("the the"), and no clause that
/// opens and closes with the same word ("missing column forms.lang is missing", as the
/// explanation of a half-applied migration once said), in every golden output.
#[test]
fn golden_outputs_repeat_no_words() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files = vec![];
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    let mut found = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            if let Some(w) = repeated_word(line) {
                found.push(format!("{}: `{w}` twice in: {line}", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(repeated_word("the the table"), Some("the".into()));
    assert_eq!(
        repeated_word("not applied yet: V1 (x): missing column forms.lang is missing"),
        Some("missing".into())
    );
    assert_eq!(repeated_word("type int → int unsigned"), None);
}

/// A word (letters only) written twice in a row, or opening a clause that ends "is <it>".
fn repeated_word(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| ",.:;()".contains(c)))
        .collect();
    let alpha = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
    for pair in words.windows(2) {
        if alpha(pair[0]) && pair[0].eq_ignore_ascii_case(pair[1]) {
            return Some(pair[0].to_lowercase());
        }
    }
    // A clause: between `:`/`;` (or the line's ends).
    for clause in line.split([':', ';']) {
        let w: Vec<&str> = clause.split_whitespace().collect();
        if let [first, .., is, last] = w.as_slice()
            && alpha(first)
            && *is == "is"
            && first.eq_ignore_ascii_case(last)
        {
            return Some(first.to_lowercase());
        }
    }
    None
}

/// `--target 5.1` says which release it was taken as; a full number says nothing more.
#[test]
fn a_short_target_says_which_release_it_took() {
    let run = |target: &str, format: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "--dump", "examples/failed-upgrade-5.1.sql"])
            .args(["--target", target, "--format", format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(run("5.1", "table").contains("note: --target 5.1 taken as 5.1.0"));
    let doc: serde_json::Value = serde_json::from_str(&run("5.1", "json")).unwrap();
    assert_eq!(doc["target"], "5.1.0");
    assert_eq!(doc["notes"][0], "--target 5.1 taken as 5.1.0");
    assert!(!run("5.1.1", "table").contains("taken as"));
}
