//! The offline tier of the planner's cases: every golden of `tests/plan_cases/` and
//! `tests/conformance/` planned from the DDL text alone, without a server, so a contributor sees
//! in seconds whether a change moves a plan. Both sides are read as `--reference-file` reads a
//! file (the current side standing in for what inspection would return) for the server the
//! goldens were written on; the server tier (`plan_cases.rs`, `conformance.rs`) still loads
//! them, runs the plans and checks convergence and the server's own text.
//!
//! A case whose plan depends on what only a server says (the live charset a table without one
//! inherits, the server's canonical form of an expression) is marked `-- offline: skip <why>`.

mod common;

use std::path::Path;

use common::cases::{Case, read_cases, render_body};
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::schema::Schema;
use mautic_schema::sql::parse_schema_sql;

/// The server the goldens were written on (README: MariaDB 10.11).
fn server() -> ServerInfo {
    ServerInfo::parse("10.11.19-MariaDB")
}

fn schema(sql: &str, server: &ServerInfo) -> Schema {
    let mut s = parse_schema_sql(sql, &|_| false).schema;
    normalize_schema(&mut s, server);
    s
}

fn body(case: &Case) -> String {
    let server = server();
    let current = schema(&case.current, &server);
    let desired = schema(&case.desired, &server);
    let changes = diff_schemas(&current, &desired);
    let p = plan(
        &changes,
        &current,
        &desired,
        &PlanOptions {
            allow_destructive: case.allow_destructive(),
            server: server.clone(),
        },
    );
    render_body(&changes, &p, &current, &desired, &server)
}

fn check_dir(dir: &str) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let (mut checked, mut failed) = (0, Vec::new());
    for file in files {
        let (_, cases) = read_cases(&std::fs::read_to_string(&file).unwrap());
        for case in cases
            .iter()
            .filter(|c| !c.head.contains("-- offline: skip"))
        {
            checked += 1;
            let got = body(case);
            if got != case.expected {
                failed.push(format!(
                    "{}: {}: expected:\n{}got:\n{got}",
                    file.file_name().unwrap().to_string_lossy(),
                    case.name,
                    case.expected
                ));
            }
        }
    }
    (checked, failed)
}

#[test]
fn plan_cases_offline() {
    let (checked, failed) = check_dir("tests/plan_cases");
    assert!(checked >= 3);
    assert!(
        failed.is_empty(),
        "{} of {checked}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn conformance_offline() {
    let (checked, failed) = check_dir("tests/conformance");
    assert!(checked >= 100);
    assert!(
        failed.is_empty(),
        "{} of {checked}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
