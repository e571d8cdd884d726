//! Each ALTER TABLE operation the reader maps gives the model the server gives: the cases of
//! `tests/alter_ops/cases.sql` (`-- case: name`, then statements; `-- by hand: why` when the
//! MySQL dialect rejects the statement and the hand grammar reads it) are loaded into a scratch
//! database on the real server, whose `SHOW CREATE TABLE` of every table is read back and
//! compared with reading the case's own statements: no difference, columns in the same order.

mod common;

use common::TestDb;
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::schema::{Schema, quote_ident};
use mautic_schema::sql::parse_schema_sql;

struct Case {
    name: String,
    by_hand: bool,
    sql: String,
}

fn cases() -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alter_ops/cases.sql");
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("-- case: ") {
            cases.push(Case {
                name: name.to_string(),
                by_hand: false,
                sql: String::new(),
            });
        } else if let Some(case) = cases.last_mut() {
            if line.starts_with("-- by hand: ") {
                case.by_hand = true;
            } else if !line.starts_with("--") && !line.trim().is_empty() {
                case.sql.push_str(line);
                case.sql.push('\n');
            }
        }
    }
    cases
}

fn read(sql: &str, server: &ServerInfo) -> Schema {
    let out = parse_schema_sql(sql, &|_| false);
    assert!(out.warnings.is_empty(), "{sql}: {:?}", out.warnings);
    let mut schema = out.schema;
    for t in schema.tables.values() {
        assert!(t.unsupported.is_none(), "{sql}: {:?}", t.unsupported);
    }
    normalize_schema(&mut schema, server);
    schema
}

fn columns(schema: &Schema) -> Vec<(String, Vec<String>)> {
    schema
        .tables
        .values()
        .map(|t| {
            let names = t.columns.iter().map(|c| c.name.to_lowercase()).collect();
            (t.name.clone(), names)
        })
        .collect()
}

#[test]
fn each_alter_operation_reads_as_the_server_applies_it() {
    let cases = cases();
    assert!(cases.len() >= 14, "{} cases", cases.len());
    let db = TestDb::new("alterops");
    let version = db.query("SELECT VERSION()").remove(0);
    let server = ServerInfo::parse(&version);
    let mut failures = Vec::new();
    for case in &cases {
        db.exec(&format!(
            "DROP DATABASE {q}; CREATE DATABASE {q} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            q = quote_ident(&db.name)
        ));
        db.exec(&case.sql);
        let tables = db.query("SHOW TABLES");
        let shown: String = tables
            .iter()
            .map(|t| format!("SHOW CREATE TABLE {};", quote_ident(t)))
            .collect();
        // Batch mode prints `name<TAB>definition` with newlines escaped.
        let definitions: String = db
            .query(&shown)
            .iter()
            .map(|row| {
                let def = row.split_once('\t').unwrap().1;
                format!("{};\n", def.replace("\\n", "\n"))
            })
            .collect();
        let from_server = read(&definitions, &server);
        let out = parse_schema_sql(&case.sql, &|_| false);
        let by_hand = out.alters_by_hand;
        let ours = read(&case.sql, &server);
        let mut problems: Vec<String> = diff_schemas(&from_server, &ours)
            .into_iter()
            .map(|c| format!("{} {} {}: {}", c.table, c.kind.as_str(), c.object, c.detail))
            .collect();
        if columns(&from_server) != columns(&ours) {
            problems.push(format!(
                "column order: server {:?}, ours {:?}",
                columns(&from_server),
                columns(&ours)
            ));
        }
        if case.by_hand != (by_hand > 0) {
            problems.push(format!("{by_hand} ALTER TABLE statements read by hand"));
        }
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", case.name, problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
