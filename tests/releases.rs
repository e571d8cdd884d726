//! Every release has an answer: releases without a reference of their own are compared with
//! the nearest bundled one, said so; `versions` tells exact from approximated; a migrations
//! index that does not reach the target says so instead of listing nothing pending.

mod common;

use std::process::{Command, Output};

use common::{TestDb, corpus};
use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
    c.env_remove("MAUTIC_DB_PASSWORD")
        .env_remove("MAUTIC_DB_TABLE_PREFIX")
        .env_remove("MAUTIC_DB_NAME");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn url(db: &TestDb) -> String {
    format!("mysql://root@127.0.0.1:3306/{}", db.name)
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let o = run(&[args, &["--format", "json"]].concat());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), v)
}

#[test]
fn versions_lists_exact_and_approximated_releases() {
    let o = run(&["versions"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let line = |r: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.split('\t').next() == Some(r))
            .unwrap_or_else(|| panic!("{r} not listed:\n{out}"))
            .split('\t')
            .map(String::from)
            .collect()
    };
    for r in ["5.2.0", "5.2.1", "5.2.3", "5.2.4"] {
        let l = line(r);
        assert_eq!((l[1].as_str(), l[2].as_str()), ("approximated", "5.2.2.sql"));
        assert!(l[3].contains("5.2.2's reference"), "{l:?}");
    }
    for r in ["6.0.0", "6.0.1"] {
        assert_eq!(line(r)[1..3], ["approximated", "6.0.2.sql"]);
    }
    assert_eq!(line("2.12.1")[1..3], ["exact", "2.12.0.sql"]);
    assert_eq!(line("6.0.2")[1..3], ["exact", "6.0.2.sql"]);
}

/// `--target 5.2.0` (no reference of its own) on a fresh 5.2.2 install: compared with 5.2.2's
/// reference, a warning naming it, `target_exact: false`, and no claim about pending migrations.
#[test]
fn target_without_reference_uses_the_nearest_one() {
    for (file, target, used) in [("03-", "5.2.0", "5.2.2"), ("02-", "6.0.1", "6.0.2")] {
        let db = TestDb::new(file);
        db.load(&corpus(file));
        let u = url(&db);
        let (code, v) = json(&["check", "--url", &u, "--target", target]);
        assert_eq!(code, Some(0), "{target}: {}", v["explanation"]);
        assert_eq!(v["target"], target);
        assert_eq!(v["target_exact"], false);
        assert_eq!(v["reference_release"], used);
        assert_eq!(v["reference_file"], format!("{used}.sql"));
        assert_eq!(v["migrations"]["index_covers_target"], false);
        assert!(v["migrations"]["pending"].is_null(), "{}", v["migrations"]);
        let expl: Vec<&str> = v["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let warning = format!(
            "warning: {target} has no reference of its own; compared with {used}'s ({used}.sql, nearest bundled)"
        );
        assert!(expl.contains(&warning.as_str()), "{expl:?}");
        assert!(
            expl.iter()
                .any(|l| l.starts_with(&format!("pending migrations of {target} unknown"))
                    && l.contains("ends at 5.1.1")),
            "{expl:?}"
        );
        // The human output carries the warning on one line.
        let o = run(&["check", "--url", &u, "--target", target]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.lines().any(|l| l.trim() == warning),
            "{target}:\n{text}"
        );
        // An exact target says so.
        let (_, v) = json(&["check", "--url", &u, "--target", used]);
        assert_eq!(v["target_exact"], true);
        assert_eq!(v["reference_release"], used);
    }
}

/// A line without any bundled reference is still refused, in one line.
#[test]
fn target_of_a_line_without_references_is_refused() {
    let db = TestDb::new("noline");
    db.load(&corpus("11-"));
    let o = run(&["check", "--url", &url(&db), "--target", "7.0.0"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no bundled reference for Mautic 7.0.0"), "{err}");
}
