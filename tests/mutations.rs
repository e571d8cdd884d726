//! Mutations of a loaded corpus database: each is reported exactly once with the right kind,
//! and running the planned SQL brings the database back in sync.

mod common;

use common::{TestDb, corpus};
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::{Severity, diff_schemas};
use mautic_schema::inspect::inspect;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::schema::Schema;
use mautic_schema::sql::parse_schema_sql;

fn reference_of(file: &std::path::Path) -> Schema {
    let src = std::fs::read_to_string(file).unwrap();
    let out = parse_schema_sql(&src, &|_| false);
    let mut s = out.schema;
    normalize_schema(&mut s, &ServerInfo::unknown());
    s
}

const MUTATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "DROP TABLE audit_log",
        "audit_log",
        "missing_table",
        "audit_log",
    ),
    (
        "ALTER TABLE assets DROP COLUMN description",
        "assets",
        "missing_column",
        "description",
    ),
    (
        "ALTER TABLE assets MODIFY lang varchar(50) NOT NULL",
        "assets",
        "column_differs",
        "lang",
    ),
    (
        "ALTER TABLE assets MODIFY title varchar(191) NULL",
        "assets",
        "column_differs",
        "title",
    ),
    (
        "ALTER TABLE assets DROP INDEX asset_alias_search",
        "assets",
        "missing_index",
        "asset_alias_search",
    ),
    (
        "ALTER TABLE pages DROP INDEX page_alias_search, ADD INDEX page_alias_search (title)",
        "pages",
        "index_differs",
        "page_alias_search",
    ),
    (
        "ALTER TABLE assets DROP FOREIGN KEY FK_79D17D8E12469DE2",
        "assets",
        "missing_foreign_key",
        "FK_79D17D8E12469DE2",
    ),
    (
        // A repair that wrote `tinyint` for a boolean: the server makes it tinyint(4), which
        // Doctrine reads as an integer, not a boolean.
        "ALTER TABLE pages MODIFY is_published tinyint NOT NULL",
        "pages",
        "column_differs",
        "is_published",
    ),
    (
        "ALTER TABLE emails COLLATE utf8mb4_general_ci",
        "emails",
        "table_options_differ",
        "emails",
    ),
];

#[tokio::test]
async fn mutations_are_found_once_and_repaired() {
    let file = corpus("11-");
    let reference = reference_of(&file);
    let db = TestDb::new("mutations");
    db.load(&file);
    // Some rows, so that the repair runs on a table with data.
    db.exec("INSERT INTO assets (is_published, title, alias, lang, download_count, unique_download_count, revision, description) VALUES (1, 'A', 'a', 'en', 0, 0, 1, 'kept')");
    for (sql, ..) in MUTATIONS {
        db.exec(sql);
    }
    let mut conn = db.connect().await;
    let live = inspect(&mut conn).await.unwrap();
    let changes = diff_schemas(&live.schema, &reference);
    let listed: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {} {}", c.table, c.kind.as_str(), c.object))
        .collect();
    for (sql, table, kind, object) in MUTATIONS {
        let n = changes
            .iter()
            .filter(|c| {
                c.table == *table
                    && c.kind.as_str() == *kind
                    && c.object.eq_ignore_ascii_case(object)
            })
            .count();
        assert_eq!(
            n, 1,
            "`{sql}` should be reported once as {kind} {object}; got {listed:#?}"
        );
    }
    assert_eq!(
        changes.len(),
        MUTATIONS.len(),
        "unexpected extra changes: {listed:#?}"
    );
    assert!(
        changes
            .iter()
            .all(|c| c.severity == Severity::Drift && !c.destructive),
        "{changes:#?}"
    );

    let p = plan(
        &changes,
        &live.schema,
        &reference,
        &PlanOptions {
            allow_destructive: false,
            server: live.server.clone(),
        },
    );
    assert!(p.skipped.is_empty());
    // assets gets one ALTER with every clause (one rebuild), after its FK parent is known.
    let assets_alters = p.steps.iter().filter(|s| s.table == "assets").count();
    assert_eq!(assets_alters, 1, "{:#?}", p.steps);
    for step in &p.steps {
        conn.execute(&step.sql())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", step.sql()));
    }
    let after = inspect(&mut conn).await.unwrap();
    let left = diff_schemas(&after.schema, &reference);
    assert!(left.is_empty(), "still different after repair: {left:#?}");
    // Booleans are created and repaired as the reference declares them, tinyint(1).
    assert_eq!(
        db.query(&format!(
            "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = '{}' AND DATA_TYPE = 'tinyint' AND COLUMN_TYPE NOT LIKE 'tinyint(1)%'",
            db.name
        )),
        Vec::<String>::new()
    );
    assert_eq!(db.query("SELECT title FROM assets"), vec!["A"]);
}
