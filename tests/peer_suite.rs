//! The generic engine measured on a peer's cases: sqldef's MySQL schema-diff suite
//! (tools/peer-suite/README.md says where it comes from; `tests/peer_suite/cases.json` is its
//! YAML as data). Each runnable case, on the real server, through the path `diff
//! --reference-file` takes (`mautic_report` with a reference file, no prefix):
//! 1. `current` is loaded into a fresh database, `desired` written to a file;
//! 2. the plan is applied; the server must accept every statement;
//! 3. converged: compared again, nothing is left but what the plan held back (sqldef's
//!    `enable_drop: false`, our `--allow-destructive` off), and every table's `SHOW CREATE
//!    TABLE` equals the one of `desired` loaded into a database of its own (columns in order,
//!    the other lines as a set: index order is the server's, not the DDL's);
//! 4. idempotent: the second comparison plans nothing.
//!
//! A case is not runnable, with its reason, when it is about objects this tool does not compare
//! (views, triggers, events, routines, partitions), is for another server (`flavor`), expects
//! sqldef to refuse it, or its DDL does not load on MariaDB. The test prints the figures and the
//! failures by cause, and fails when the share that passes falls below `FLOOR_PERMILLE`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::TestDb;
use common::cases::run_plan;
use mautic_schema::compare::load_server;
use mautic_schema::db::Db;
use mautic_schema::mautic::check::{CheckOptions, mautic_report};
use mautic_schema::schema::quote_ident;
use serde::Deserialize;

/// The share of runnable cases that must converge and be idempotent, in thousandths: what the
/// engine reaches today, so that it cannot regress unnoticed.
const FLOOR_PERMILLE: usize = 872;

#[derive(Debug, Deserialize)]
struct PeerCase {
    file: String,
    name: String,
    current: String,
    desired: String,
    flavor: String,
    error: String,
    offline: bool,
    enable_drop: bool,
}

/// Why a case cannot be run here, if it cannot.
fn not_runnable(c: &PeerCase) -> Option<String> {
    if matches!(c.flavor.as_str(), "mysql" | "!mariadb" | "tidb") {
        return Some(format!("flavor {}", c.flavor));
    }
    if c.offline {
        return Some("TiDB syntax, run offline by sqldef".into());
    }
    if !c.error.is_empty() {
        return Some("expects sqldef to refuse it".into());
    }
    let ddl = format!("{}\n{}", c.current, c.desired).to_ascii_uppercase();
    let words: Vec<&str> = ddl
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let creates = |what: &str| {
        words.windows(2).any(|w| w[0] == "CREATE" && w[1] == what)
            || words
                .iter()
                .enumerate()
                .any(|(i, w)| *w == what && words[..i].iter().rev().take(6).any(|p| *p == "CREATE"))
    };
    for what in ["VIEW", "TRIGGER", "EVENT", "PROCEDURE", "FUNCTION"] {
        if creates(what) {
            return Some(format!("{} (out of scope)", what.to_lowercase()));
        }
    }
    if words
        .windows(2)
        .any(|w| w[0] == "PARTITION" && w[1] == "BY")
    {
        return Some("partitions (out of scope)".into());
    }
    None
}

/// DDL loaded as a dump is: tables may reference tables defined after them.
fn without_fk_checks(sql: &str) -> String {
    format!("SET SESSION foreign_key_checks = 0;\n{sql}\nSET SESSION foreign_key_checks = 1")
}

async fn fresh(conn: &mut Db, name: &str) {
    let q = quote_ident(name);
    conn.execute(&format!(
        "DROP DATABASE {q}; CREATE DATABASE {q} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE {q}"
    ))
    .await
    .unwrap();
}

/// Each base table's `SHOW CREATE TABLE`: column lines in order, then the other lines sorted
/// (trailing commas and AUTO_INCREMENT counters left out).
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
        let sql = format!("SHOW CREATE TABLE {}", quote_ident(&n));
        let rows = conn.rows("show", &sql, &[]).await.unwrap();
        let text = rows[0][1].clone().unwrap_or_default();
        let lines = text.lines().map(|l| {
            l.trim()
                .trim_end_matches(',')
                .split(' ')
                .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let (mut columns, mut rest): (Vec<String>, Vec<String>) =
            lines.partition(|l| l.starts_with('`'));
        rest.sort();
        columns.extend(rest);
        out.insert(n, columns);
    }
    out
}

/// What became of a runnable case.
enum Outcome {
    Passed,
    /// `(cause, detail)`.
    Failed(&'static str, String),
    NotRunnable(String),
}

fn keys(r: &mautic_schema::comparison::Comparison, which: impl Fn(usize) -> bool) -> Vec<String> {
    let mut v: Vec<String> = r
        .changes
        .iter()
        .enumerate()
        .filter(|(i, _)| which(*i))
        .map(|(_, c)| format!("{} {}.{}", c.kind.as_str(), c.table, c.object))
        .collect();
    v.sort();
    v
}

async fn compare(
    db: &TestDb,
    file: &Path,
    allow_destructive: bool,
) -> Result<mautic_schema::comparison::Comparison, String> {
    let mut live = load_server(&db.params(), "")
        .await
        .map_err(|e| e.to_string())?;
    let opts = CheckOptions {
        reference_file: Some(file.to_path_buf()),
        allow_destructive,
        ..Default::default()
    };
    let (report, _) = mautic_report(&mut live, "", &opts)
        .await
        .map_err(|e| e.to_string())?;
    Ok(report)
}

async fn run_case(db: &TestDb, conn: &mut Db, oracle: &mut Db, c: &PeerCase) -> Outcome {
    if let Some(why) = not_runnable(c) {
        return Outcome::NotRunnable(why);
    }
    let oracle_name = oracle.database.clone();
    fresh(oracle, &oracle_name).await;
    if let Err(e) = oracle.execute(&without_fk_checks(&c.desired)).await {
        return Outcome::NotRunnable(format!("MariaDB refuses the desired DDL: {e}"));
    }
    fresh(conn, &db.name).await;
    if let Err(e) = conn.execute(&without_fk_checks(&c.current)).await {
        return Outcome::NotRunnable(format!("MariaDB refuses the current DDL: {e}"));
    }
    let file = db.scratch(&format!("{}.sql", c.name));
    std::fs::write(&file, &c.desired).unwrap();
    let first = match compare(db, &file, c.enable_drop).await {
        Ok(r) => r,
        Err(e) => return Outcome::Failed("the tool refuses the case", e),
    };
    if let Err(e) = run_plan(conn, &first.plan).await {
        return Outcome::Failed("the server refuses the plan", e);
    }
    let second = match compare(db, &file, c.enable_drop).await {
        Ok(r) => r,
        Err(e) => return Outcome::Failed("the tool refuses the second comparison", e),
    };
    let left = keys(&second, |_| true);
    let held = keys(&first, |i| first.plan.skipped.contains(&i));
    if left.iter().any(|k| !held.contains(k)) {
        let first_keys = keys(&first, |_| true);
        return Outcome::Failed(
            "not converged (the tool still reports differences)",
            format!("left {left:?}; first found {first_keys:?}, held back {held:?}"),
        );
    }
    if !second.plan.steps.is_empty() {
        let sql: Vec<String> = second.plan.steps.iter().map(|s| s.sql()).collect();
        return Outcome::Failed("not idempotent", format!("a second run plans {sql:?}"));
    }
    if first.plan.skipped.is_empty() {
        let want = server_definitions(oracle).await;
        let got = server_definitions(conn).await;
        if want != got {
            return Outcome::Failed(
                "not converged (the server's text differs from the desired DDL's)",
                format!("wants {want:?}\nhas {got:?}"),
            );
        }
    }
    Outcome::Passed
}

#[tokio::test]
async fn sqldef_mysql_cases_converge_on_mariadb() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peer_suite/cases.json");
    let cases: Vec<PeerCase> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .expect("tests/peer_suite/cases.json reads (tools/peer-suite/convert.py writes it)");
    assert!(cases.len() > 250, "{} cases", cases.len());
    let db = TestDb::new("peer");
    let oracle_db = TestDb::new("peeroracle");
    let mut conn = db.connect().await;
    let mut oracle = oracle_db.connect().await;
    let mut failures: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut skipped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut runnable, mut passed) = (0usize, 0usize);
    for c in &cases {
        let id = format!("{}:{}", c.file, c.name);
        match run_case(&db, &mut conn, &mut oracle, c).await {
            Outcome::NotRunnable(why) => {
                let cause = why.split(':').next().unwrap_or(&why).to_string();
                skipped
                    .entry(cause)
                    .or_default()
                    .push(format!("{id} ({why})"));
            }
            Outcome::Passed => {
                runnable += 1;
                passed += 1;
            }
            Outcome::Failed(cause, detail) => {
                runnable += 1;
                failures
                    .entry(cause)
                    .or_default()
                    .push(format!("{id}: {detail}"));
            }
        }
    }
    println!("not runnable: {}", cases.len() - runnable);
    for (why, ids) in &skipped {
        println!("  {why}: {}", ids.len());
    }
    for (cause, list) in &failures {
        println!("\nFAILED, {cause}: {}", list.len());
        for l in list {
            println!("  {l}");
        }
    }
    let permille = passed * 1000 / runnable.max(1);
    println!(
        "\npeer suite: {runnable} runnable of {} cases; {passed} converge and are idempotent ({}.{}%)",
        cases.len(),
        permille / 10,
        permille % 10
    );
    assert!(
        permille >= FLOOR_PERMILLE,
        "the peer suite fell below its floor: {permille}‰ < {FLOOR_PERMILLE}‰"
    );
}
