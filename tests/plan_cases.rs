//! Planner cases as data (`tests/plan_cases/*.sql`: current schema, desired schema, expected
//! SQL), checked offline against the expected text and then on the real server: the current
//! schema plus the planned SQL must inspect equal to the desired one, apart from what the plan
//! held back. A case whose head says `-- options: allow-destructive` plans destructive changes
//! too. `UPDATE_GOLDEN=1` rewrites the expected sections. The reading, rendering and running
//! are shared with `tests/conformance.rs` (`tests/common/cases.rs`).

mod common;

use common::TestDb;
use common::cases::{keys, read_cases, render_body, run_plan, write_cases};
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::inspect::inspect;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::schema::Schema;
use mautic_schema::sql::parse_schema_sql;

fn schema(sql: &str, server: &ServerInfo) -> Schema {
    let out = parse_schema_sql(sql, &|_| false);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let mut s = out.schema;
    normalize_schema(&mut s, server);
    s
}

#[tokio::test]
async fn plan_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan_cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    let mut failed: Vec<String> = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let (preamble, cases) = read_cases(&std::fs::read_to_string(&file).unwrap());
        assert_eq!(cases.len(), 1, "{name}: one case per file");
        let case = &cases[0];
        let db = TestDb::new(&name[..name.len().min(12)]);
        db.exec(&case.current);
        let mut conn = db.connect().await;
        let server = conn.server.clone();
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
        let body = render_body(&changes, &p, &current, &desired, &server);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&file, write_cases(&preamble, &cases, &[body])).unwrap();
        } else if body != case.expected {
            failed.push(format!(
                "{name}: planned SQL changed; expected:\n{}\ngot:\n{body}",
                case.expected
            ));
        }
        // On the server: the plan converges, except for what it held back.
        if let Err(e) = run_plan(&mut conn, &p).await {
            failed.push(format!("{name}: {e}"));
            continue;
        }
        let after = inspect(&mut conn).await.unwrap().schema;
        let left = keys(&diff_schemas(&after, &desired), |_| true);
        let held = keys(&changes, |i| p.skipped.contains(&i));
        if left != held {
            failed.push(format!(
                "{name}: not converged: left {left:?}, held back {held:?}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
