//! A schema compared with itself after a dump is loaded into a real server shows zero
//! differences: the file reader, the inspector and the normalization agree.

mod common;

use common::{TestDb, corpus_files};
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::inspect::inspect;
use mautic_schema::sql::parse_schema_sql;

#[tokio::test]
async fn every_corpus_dump_inspects_equal_to_its_file() {
    let mut failures = Vec::new();
    for file in corpus_files() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let db = TestDb::new(&name[..2]);
        db.load(&file);
        let mut conn = db.connect().await;
        let live = inspect(&mut conn).await.unwrap();
        assert!(
            live.queries <= 7,
            "{name}: {} catalog queries",
            live.queries
        );
        let src = std::fs::read_to_string(&file).unwrap();
        let parsed = parse_schema_sql(&src, &|_| false);
        let server = parsed
            .server_version
            .as_deref()
            .map(ServerInfo::parse)
            .unwrap_or_else(ServerInfo::unknown);
        let mut from_file = parsed.schema;
        normalize_schema(&mut from_file, &server);
        assert_eq!(live.schema.tables.len(), from_file.tables.len(), "{name}");
        let changes = diff_schemas(&live.schema, &from_file);
        for c in changes {
            failures.push(format!(
                "{name}: {} {} {}: {}",
                c.table,
                c.kind.as_str(),
                c.object,
                c.detail
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
