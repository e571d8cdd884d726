//! Conformance cases as data (`tests/conformance/*.sql`, many cases per file; format in
//! `tests/common/cases.rs`). Each case, on the real server:
//! 1. the current DDL is loaded and inspected, the desired DDL is read as a reference file
//!    (`load_reference_file`, the `--reference-file` path);
//! 2. the plan's SQL must equal the golden `-- expected` section (`UPDATE_GOLDEN=1` rewrites it),
//!    which also lists what is reported without a fix and what is not compared;
//! 3. the plan runs; the server must accept every statement;
//! 4. re-inspected, nothing is left but what the plan held back or reported without a fix;
//! 5. compared again, the plan is empty (idempotent);
//! 6. independently of the engine: when nothing was held back, every table's `SHOW CREATE
//!    TABLE` equals the one of the desired DDL loaded into a database of its own (lines
//!    compared as a set, since column and index order are not compared; AUTO_INCREMENT
//!    counters left out). A case whose desired DDL depends on the live server (a table without
//!    a charset inherits the live one's) says `-- oracle: skip` with the reason.
//!
//! One database per file, recreated between its cases; the files run in parallel.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::TestDb;
use common::cases::{Case, keys, not_carried, read_cases, render_body, run_plan, write_cases};
use mautic_schema::compare::load_reference_file;
use mautic_schema::db::Db;
use mautic_schema::diff::diff_schemas;
use mautic_schema::inspect::inspect;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::schema::quote_ident;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// DDL loaded as a dump is: tables may reference tables defined after them.
fn without_fk_checks(sql: &str) -> String {
    format!("SET SESSION foreign_key_checks = 0;\n{sql}\nSET SESSION foreign_key_checks = 1")
}

/// Drop and re-create the connection's database, with the collation the cases assume.
async fn fresh(conn: &mut Db, name: &str) {
    let q = quote_ident(name);
    conn.execute(&format!(
        "DROP DATABASE {q}; CREATE DATABASE {q} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; USE {q}"
    ))
    .await
    .unwrap();
}

/// The server's own text of every base table, as a set of lines (trailing commas and
/// AUTO_INCREMENT counters left out).
async fn server_definitions(conn: &mut Db) -> BTreeMap<String, Vec<String>> {
    let names = conn
        .rows(
            "listing",
            "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
            &[],
        )
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for n in names.into_iter().filter_map(|r| r[0].clone()) {
        let rows = conn
            .rows(
                "show",
                &format!("SHOW CREATE TABLE {}", quote_ident(&n)),
                &[],
            )
            .await
            .unwrap();
        let text = rows[0][1].clone().unwrap_or_default();
        let mut lines: Vec<String> = text
            .lines()
            .map(|l| {
                l.trim()
                    .trim_end_matches(',')
                    .split(' ')
                    .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        lines.sort();
        out.insert(n, lines);
    }
    out
}

/// Runs one case; `Ok(body)` is the rendered plan, `Err` says what went wrong on the server.
async fn run_case(
    db: &TestDb,
    conn: &mut Db,
    oracle: &mut Db,
    case: &Case,
    failed: &mut Vec<String>,
) -> Option<String> {
    let name = &case.name;
    let fail = |failed: &mut Vec<String>, what: String| failed.push(format!("{name}: {what}"));
    fresh(conn, &db.name).await;
    if !case.current.trim().is_empty()
        && let Err(e) = conn.execute(&without_fk_checks(&case.current)).await
    {
        fail(failed, format!("the current DDL does not load: {e}"));
        return None;
    }
    let inspected = inspect(conn).await.unwrap();
    let server = inspected.server.clone();
    let live = inspected.schema;
    let file = db.scratch(&format!("{name}.sql"));
    std::fs::write(&file, &case.desired).unwrap();
    let (desired, warnings) = load_reference_file(&file, &server, &live).unwrap();
    if !warnings.is_empty() {
        fail(
            failed,
            format!("the desired DDL reads with warnings {warnings:?}"),
        );
    }
    let changes = diff_schemas(&live, &desired);
    let opts = PlanOptions {
        allow_destructive: case.allow_destructive(),
        server: server.clone(),
    };
    let p = plan(&changes, &live, &desired, &opts);
    let mut body = render_body(&changes, &p, &live, &desired, &server);
    if !inspected.views.is_empty() {
        body.push_str(&format!(
            "-- Not compared: views {}\n",
            inspected.views.join(", ")
        ));
    }
    if let Err(e) = run_plan(conn, &p).await {
        fail(failed, e);
        return Some(body);
    }
    let after = inspect(conn).await.unwrap().schema;
    let (desired2, _) = load_reference_file(&file, &server, &after).unwrap();
    let changes2 = diff_schemas(&after, &desired2);
    let mut left = keys(&changes2, |_| true);
    let mut expected_left = not_carried(&changes, &p);
    left.sort();
    expected_left.sort();
    if left != expected_left {
        fail(
            failed,
            format!("not converged: left {left:?}, held back or unfixable {expected_left:?}"),
        );
    } else {
        let p2 = plan(&changes2, &after, &desired2, &opts);
        if !p2.steps.is_empty() {
            let sql: Vec<String> = p2.steps.iter().map(|s| s.sql()).collect();
            fail(
                failed,
                format!("not idempotent: a second run plans {sql:?}"),
            );
        }
    }
    if p.skipped.is_empty() && !case.head.contains("-- oracle: skip") {
        let oracle_name = oracle.database.clone();
        fresh(oracle, &oracle_name).await;
        if let Err(e) = oracle.execute(&without_fk_checks(&case.desired)).await {
            fail(failed, format!("the desired DDL does not load: {e}"));
            return Some(body);
        }
        let want = server_definitions(oracle).await;
        let got = server_definitions(conn).await;
        for (t, w) in &want {
            match got.get(t) {
                None => fail(failed, format!("the server has no table {t}")),
                Some(g) if g != w => {
                    let missing: Vec<&String> = w.iter().filter(|l| !g.contains(l)).collect();
                    let extra: Vec<&String> = g.iter().filter(|l| !w.contains(l)).collect();
                    fail(
                        failed,
                        format!(
                            "{t} differs from the desired DDL on the server: wants {missing:?}, has {extra:?}"
                        ),
                    );
                }
                _ => {}
            }
        }
        for t in got.keys().filter(|t| !want.contains_key(*t)) {
            fail(failed, format!("the server has an extra table {t}"));
        }
    }
    Some(body)
}

async fn run_file(file: &str) {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (preamble, cases) = read_cases(&text);
    assert!(!cases.is_empty(), "{file}: no cases");
    let db = TestDb::new(file.trim_end_matches(".sql"));
    let oracle_db = TestDb::new("oracle");
    let mut conn = db.connect().await;
    let mut oracle = oracle_db.connect().await;
    let mut failed = Vec::new();
    let mut bodies = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for case in &cases {
        assert!(
            names.insert(case.name.clone()),
            "{file}: two cases named {}",
            case.name
        );
        let body = run_case(&db, &mut conn, &mut oracle, case, &mut failed).await;
        let body = body.unwrap_or_else(|| case.expected.clone());
        if std::env::var_os("UPDATE_GOLDEN").is_none() && body != case.expected {
            failed.push(format!(
                "{}: planned SQL changed; expected:\n{}\ngot:\n{body}",
                case.name, case.expected
            ));
        }
        bodies.push(body);
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, write_cases(&preamble, &cases, &bodies)).unwrap();
    }
    assert!(
        failed.is_empty(),
        "{file}: {} of {} cases failed\n\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n\n")
    );
}

#[test]
fn at_least_150_cases() {
    let mut n = 0;
    for e in std::fs::read_dir(dir()).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            FILES.contains(&name.as_str()),
            "{name} has no test in case_files!"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        n += read_cases(&text).1.len();
    }
    assert!(n >= 150, "{n} conformance cases");
}

macro_rules! case_files {
    ($($test:ident => $file:literal),* $(,)?) => {
        /// Every case file has its test.
        const FILES: &[&str] = &[$($file),*];
        $(
            #[tokio::test]
            async fn $test() {
                run_file($file).await;
            }
        )*
    };
}

case_files! {
    columns => "columns.sql",
    charsets => "charsets.sql",
    indexes => "indexes.sql",
    primary_keys => "primary_keys.sql",
    foreign_keys => "foreign_keys.sql",
    checks => "checks.sql",
    table_options => "table_options.sql",
    tables => "tables.sql",
}

/// The collation a charset gets when a reference file names none is the connected server's
/// own answer (MariaDB 11.4 and MySQL 8 changed it; a configuration can too), not a table in
/// the tool: what the connection read agrees with what the server does to a literal.
#[tokio::test]
async fn default_collations_come_from_the_server() {
    let db = TestDb::new("collations");
    let mut conn = db.connect().await;
    let defaults = conn.server.collation_defaults.clone();
    assert!(defaults.len() > 10, "{defaults:?}");
    for cs in ["utf8mb4", "utf8mb3", "latin1", "ascii", "binary"] {
        let sql = format!("SELECT CAST(COLLATION(CONVERT('' USING {cs})) AS CHAR)");
        let actual = conn.rows("collation", &sql, &[]).await.unwrap()[0][0]
            .clone()
            .unwrap();
        assert_eq!(
            conn.server.default_collation(cs),
            mautic_schema::dialect::canonical_collation(&actual),
            "{cs}"
        );
    }
}
