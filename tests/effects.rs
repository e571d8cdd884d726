//! migrations-index/effects.tsv: every schema migration has its effects or says why not, the
//! rows are in the order Mautic runs them, and the statements run on MariaDB against the
//! reference of the release before, leaving the objects the rows name.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::TestDb;
use mautic_schema::mautic::effects::{Effect, EffectOp, effects};
use mautic_schema::mautic::migrations::{MigrationKind, index};

fn by_version() -> BTreeMap<String, Vec<Effect>> {
    let mut m: BTreeMap<String, Vec<Effect>> = BTreeMap::new();
    for e in effects() {
        m.entry(e.version.clone()).or_default().push(e);
    }
    m
}

#[test]
fn every_schema_migration_has_an_effect_or_says_why() {
    let effects = by_version();
    let missing: Vec<String> = index()
        .into_iter()
        .filter(|m| m.kind == MigrationKind::Schema && !effects.contains_key(&m.version))
        .map(|m| m.version)
        .collect();
    assert!(
        missing.is_empty(),
        "schema migrations without rows: {missing:?}"
    );
}

#[test]
fn rows_are_in_run_order_and_name_their_objects() {
    let known: Vec<String> = index().into_iter().map(|m| m.version).collect();
    let all = effects();
    assert!(!all.is_empty());
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (&a.version, a.step) <= (&b.version, b.step),
            "out of order: {a:?} then {b:?}"
        );
    }
    for e in &all {
        assert!(known.contains(&e.version), "not in migrations.tsv: {e:?}");
        match e.op {
            EffectOp::Data | EffectOp::Unknown => {
                assert!(!e.definition.is_empty(), "no reason: {e:?}")
            }
            EffectOp::AddColumn | EffectOp::ModifyColumn => {
                assert!(!e.table.is_empty() && !e.object.is_empty(), "{e:?}");
                assert!(
                    e.definition.starts_with('`'),
                    "definition without its column: {e:?}"
                );
            }
            _ => assert!(!e.table.is_empty() && !e.sql.is_empty(), "{e:?}"),
        }
    }
}

/// The reference schema file of a release, from reference-schemas/index.tsv.
fn reference(release: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reference-schemas");
    let index = std::fs::read_to_string(root.join("index.tsv")).unwrap();
    let file = index
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{release}\t")))
        .unwrap_or_else(|| panic!("no reference for {release}"));
    root.join(file.trim())
}

/// One statement per step, in order.
fn statements(rows: &[Effect]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = rows
        .iter()
        .filter(|e| e.step > 0)
        .map(|e| (e.step, e.sql.clone()))
        .collect();
    out.dedup();
    out
}

fn json_array_columns(db: &TestDb, rows: &[Effect]) -> Vec<String> {
    rows.iter()
        .filter(|e| {
            let q = format!(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = '{}' AND COLUMN_NAME = '{}' AND COLUMN_COMMENT LIKE '%json_array%'",
                e.table, e.object
            );
            db.query(&q) == ["1"]
        })
        .map(|e| format!("{}.{}", e.table, e.object))
        .collect()
}

/// The 4.4 → 5.0 upgrade that stopped after 8 of the 11 JSON statements: the rows say which
/// three columns are still `(DC2Type:json_array)`.
#[test]
fn a_json_conversion_stopped_after_eight_statements_leaves_the_last_three_rows() {
    let rows = by_version()
        .remove("020230615115326")
        .expect("rows for Version020230615115326");
    assert_eq!(statements(&rows).len(), 11);
    let db = TestDb::new("effects_json");
    db.load(&reference("4.4.13"));
    assert_eq!(
        json_array_columns(&db, &rows).len(),
        11,
        "the 4.4 columns start as json_array"
    );
    for (_, sql) in statements(&rows).iter().take(8) {
        db.exec(sql);
    }
    let expected: Vec<String> = rows[8..]
        .iter()
        .map(|e| format!("{}.{}", e.table, e.object))
        .collect();
    assert_eq!(json_array_columns(&db, &rows), expected);
}

/// A query counting the object an effect creates (1 when it is there), for the ops that create.
fn exists_query(e: &Effect) -> Option<String> {
    let (t, o) = (&e.table, &e.object);
    let schema = "TABLE_SCHEMA = DATABASE()";
    Some(match e.op {
        EffectOp::CreateTable => format!(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE {schema} AND TABLE_NAME = '{t}'"
        ),
        EffectOp::AddColumn => format!(
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE {schema} AND TABLE_NAME = '{t}' AND COLUMN_NAME = '{o}'"
        ),
        EffectOp::AddIndex => format!(
            "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE {schema} AND TABLE_NAME = '{t}' AND INDEX_NAME = '{o}'"
        ),
        EffectOp::AddForeignKey => format!(
            "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = '{t}' AND CONSTRAINT_NAME = '{o}'"
        ),
        _ => return None,
    })
}

/// Every migration of a release that the harness extracted completely (no data, unknown or
/// skip rows) runs, in index order, on the reference of the release before; afterwards every
/// object its rows create exists. One client call for the statements, one for the checks.
fn run_release(release: &str, previous: &str) {
    let rows = by_version();
    let complete: Vec<&Effect> = index()
        .into_iter()
        .filter(|m| m.first.to_string() == release)
        .filter_map(|m| rows.get(&m.version))
        .filter(|r| {
            !r.iter()
                .any(|e| matches!(e.op, EffectOp::Data | EffectOp::Unknown))
        })
        .flatten()
        .collect();
    assert!(
        !complete.is_empty(),
        "{release}: nothing extracted completely"
    );
    let mut script = String::from("SET FOREIGN_KEY_CHECKS = 0;\n");
    let owned: Vec<Effect> = complete.iter().map(|e| (*e).clone()).collect();
    for (_, sql) in statements(&owned) {
        script.push_str(sql.trim_end().trim_end_matches(';'));
        script.push_str(";\n");
    }
    let db = TestDb::new(&format!("effects_{release}"));
    // Dump-derived references (5.2.5) list tables alphabetically, before the ones their foreign
    // keys name: load them as a dump is loaded, with the checks off.
    let reference_sql = std::fs::read_to_string(reference(previous)).unwrap();
    db.exec(&format!("SET FOREIGN_KEY_CHECKS = 0;\n{reference_sql}"));
    db.exec(&script);
    let checked: Vec<(&Effect, String)> = complete
        .iter()
        .filter_map(|e| exists_query(e).map(|q| (*e, q)))
        .collect();
    let queries: String = checked.iter().map(|(_, q)| format!("{q};\n")).collect();
    let counts = db.query(&queries);
    assert_eq!(counts.len(), checked.len());
    for ((e, _), n) in checked.iter().zip(&counts) {
        assert_eq!(n, "1", "{release}: not there after running: {e:?}");
    }
}

#[test]
fn extracted_statements_run_on_the_previous_reference() {
    // 5.2.0 and 6.0.3 come from forks (sources.tsv). 6.0's migrations run on 5.2.0's reference:
    // the release before 6.0.3 in releases.tsv, the schema generate-effects.sh ran them against.
    for (release, previous) in [
        ("3.3.0", "3.2.5"),
        ("5.0.0", "4.4.13"),
        ("5.2.0", "5.1.1"),
        ("6.0.3", "5.2.0"),
    ] {
        run_release(release, previous);
    }
}
