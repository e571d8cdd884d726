//! Planner cases as data (`tests/plan_cases/*.sql`: current schema, desired schema, expected
//! SQL), checked offline against the expected text and then on the real server: the current
//! schema plus the planned SQL must inspect equal to the desired one, apart from what the plan
//! held back. A case whose head says `-- options: allow-destructive` plans destructive changes
//! too. `UPDATE_GOLDEN=1` rewrites the expected sections.

mod common;

use common::TestDb;
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::inspect::inspect;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::report::{Report, render_sql};
use mautic_schema::schema::Schema;
use mautic_schema::sql::parse_schema_sql;

struct Case {
    head: String,
    current: String,
    desired: String,
    expected: String,
}

fn read_case(text: &str) -> Case {
    let mut parts = [String::new(), String::new(), String::new(), String::new()];
    let mut at = 0;
    for line in text.lines() {
        match line {
            "-- current" => at = 1,
            "-- desired" => at = 2,
            "-- expected" => at = 3,
            _ => {
                parts[at].push_str(line);
                parts[at].push('\n');
            }
        }
    }
    let [head, current, desired, expected] = parts;
    Case {
        head,
        current,
        desired,
        expected,
    }
}

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
        let case = read_case(&std::fs::read_to_string(&file).unwrap());
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
                allow_destructive: case.head.contains("-- options: allow-destructive"),
                server: server.clone(),
            },
        );
        let report = Report {
            source: "current".into(),
            target: "desired".into(),
            server: server.clone(),
            changes: changes.clone(),
            plan: p.clone(),
            foreign_tables: vec![],
            other_installs: vec![],
            notes: vec![],
            explanation: vec![],
            live: current.clone(),
            reference: desired.clone(),
            extra_json: Default::default(),
            pending_schema_migrations: 0,
            bookkeeping: Default::default(),
            sizes: None,
        };
        let sql = render_sql(&report);
        // Drop the three header lines and the blank line before each statement.
        // The preamble (what the SQL is, the session mode) ends at the first blank line.
        let body: String = sql
            .lines()
            .skip_while(|l| !l.is_empty())
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let body = body.replace("\n-- Held back", "\n\n-- Held back");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(
                &file,
                format!(
                    "{}-- current\n{}-- desired\n{}-- expected\n{}",
                    case.head, case.current, case.desired, body
                ),
            )
            .unwrap();
        } else if body != case.expected {
            failed.push(format!(
                "{name}: planned SQL changed; expected:\n{}\ngot:\n{body}",
                case.expected
            ));
        }
        // On the server: the plan converges, except for what it held back.
        let mut ran = true;
        for step in &p.steps {
            if let Err(e) = conn.execute(&step.sql).await {
                failed.push(format!("{name}: the server refused\n{}\n{e}", step.sql));
                ran = false;
                break;
            }
        }
        if !ran {
            continue;
        }
        let after = inspect(&mut conn).await.unwrap().schema;
        let left: Vec<String> = diff_schemas(&after, &desired)
            .iter()
            .map(|c| format!("{} {}", c.kind.as_str(), c.object))
            .collect();
        let held: Vec<String> = p
            .skipped
            .iter()
            .map(|&i| format!("{} {}", changes[i].kind.as_str(), changes[i].object))
            .collect();
        if left != held {
            failed.push(format!(
                "{name}: not converged: left {left:?}, held back {held:?}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
