//! Every real dump of the shared corpus loads into the model without error.

use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

#[test]
fn every_corpus_dump_parses_cleanly() {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("../shared/corpus is readable")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 14);
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let out = mautic_schema::sql::parse_schema_sql(&src, &|t| t.ends_with("lead_fields"));
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(out.warnings.is_empty(), "{name}: {:?}", out.warnings);
        assert!(
            out.schema.tables.len() >= 98,
            "{name}: {} tables",
            out.schema.tables.len()
        );
        for t in out.schema.tables.values() {
            assert!(
                t.unsupported.is_none(),
                "{name}: {}: {:?}",
                t.name,
                t.unsupported
            );
        }
        assert!(!out.rows.is_empty(), "{name}: lead_fields rows not read");
    }
}
