//! Migrations judged by their effects (migrations-index/effects.tsv) on the real failures that
//! the table-based guess got wrong: migrations recorded as executed whose changes never ran
//! (called `legacy`), a JSON conversion stopped part way, and migrations called half-applied
//! although their effects were all there (or none were). Each database is a bundled reference
//! loaded as it is, then broken the way the field broke it; which columns to break comes from
//! the effects file, not from this test.

mod common;

use std::path::Path;

use common::{TestDb, bin};
use serde_json::Value;

fn repo(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The bundled reference of `release`, loaded.
fn database_of(tag: &str, release: &str) -> TestDb {
    let index = repo("reference-schemas/index.tsv");
    let file = index
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(r, _)| *r == release)
        .map(|(_, f)| f.trim().to_string())
        .unwrap();
    let db = TestDb::new(tag);
    db.load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("reference-schemas")
            .join(file),
    );
    db
}

/// Versions of the migrations `release` ships (first <= release <= last).
fn migrations_of(release: &str) -> Vec<(String, String)> {
    let v = |s: &str| -> Vec<u32> { s.split('.').map(|p| p.parse().unwrap()).collect() };
    repo("migrations-index/migrations.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| v(f[1]) <= v(release) && v(release) <= v(f[2]))
        .map(|f| (f[0].to_string(), f[3].to_string()))
        .collect()
}

/// Record `versions` as executed, as Mautic 3+ does.
fn record(db: &TestDb, versions: &[String]) {
    let rows: Vec<String> = versions
        .iter()
        .map(|v| format!("('Mautic\\\\Migrations\\\\Version{v}', NOW(), 1)"))
        .collect();
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, \
         execution_time INT DEFAULT NULL, PRIMARY KEY(version)); INSERT INTO migrations VALUES {}",
        rows.join(",")
    ));
}

/// (table, column) of each column a migration changes, in the order it runs them.
fn modified_columns(version: &str) -> Vec<(String, String)> {
    repo("migrations-index/effects.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == version && f[2] == "modify_column")
        .map(|f| (f[3].to_string(), f[4].to_string()))
        .collect()
}

/// Give a column back the definition it had before a migration: `how` is the new type and
/// charset clause; NULL-ability is kept.
fn revert(db: &TestDb, table: &str, column: &str, how: &str) {
    let null = db.query(&format!(
        "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'"
    ));
    let null = if null[0] == "YES" { "NULL" } else { "NOT NULL" };
    db.exec(&format!(
        "ALTER TABLE `{table}` MODIFY `{column}` {how} {null}"
    ));
}

fn check(db: &TestDb, release: &str) -> (Option<i32>, Value) {
    let o = bin()
        .args([
            "check",
            "--url",
            &db.url(),
            "--target",
            release,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

fn changes_on<'a>(v: &'a Value, table: &str, column: &str) -> Vec<&'a Value> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["table"] == table && c["object"] == column)
        .collect()
}

/// A 2.x-born 4.4 database whose utf8mb4 column migrations never ran but are recorded: the
/// utf8mb3 columns are drift naming the migration, not `legacy`, and the explanation says the
/// migrations were recorded without being applied.
#[test]
fn recorded_utf8mb4_migrations_that_never_ran_are_drift() {
    let db = database_of("ev_utf8", "4.4.13");
    let all: Vec<String> = migrations_of("4.4.13").into_iter().map(|m| m.0).collect();
    record(&db, &all);
    let mut broken = Vec::new();
    for version in ["20201105120328", "20210520100503"] {
        let cols = modified_columns(version);
        assert!(
            !cols.is_empty(),
            "effects.tsv has no column change for {version}"
        );
        for (t, c) in cols {
            let ty = db.query(&format!(
                "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = '{t}' AND COLUMN_NAME = '{c}'"
            ));
            revert(
                &db,
                &t,
                &c,
                &format!("{} CHARACTER SET utf8 COLLATE utf8_unicode_ci", ty[0]),
            );
            broken.push((version, t, c));
        }
    }
    let (code, v) = check(&db, "4.4.13");
    assert_eq!(code, Some(1), "{v:#}");
    let explanation = v["explanation"].to_string();
    for (version, t, c) in &broken {
        assert!(
            explanation.contains(&format!(
                "recorded as executed but not applied: Version{version}"
            )),
            "{explanation}"
        );
        let found = changes_on(&v, t, c);
        assert!(
            found.iter().any(|ch| ch["severity"] == "drift"
                && ch["detail"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("effect of migration Version{version} (recorded"))),
            "{t}.{c}: {found:#?}"
        );
    }
}

/// A 4.4→5.0 upgrade whose JSON conversion stopped after 8 of its 11 statements: the three
/// columns left as `(DC2Type:json_array)` LONGTEXT are drift, the migration is half-applied
/// and the explanation names what it has and what it misses.
#[test]
fn json_conversion_stopped_part_way_is_half_applied() {
    let version = "020230615115326";
    let db = database_of("ev_json", "5.0.4");
    let all: Vec<String> = migrations_of("5.0.4").into_iter().map(|m| m.0).collect();
    assert!(all.contains(&version.to_string()));
    record(&db, &all);
    let cols = modified_columns(version);
    assert!(cols.len() > 3, "{cols:?}");
    let left = &cols[cols.len() - 3..];
    for (t, c) in left {
        revert(&db, t, c, "LONGTEXT COMMENT '(DC2Type:json_array)'");
    }
    let (code, v) = check(&db, "5.0.4");
    assert_eq!(code, Some(1), "{v:#}");
    let explanation: Vec<String> = v["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let half = explanation
        .iter()
        .find(|l| l.starts_with(&format!("half-applied: Version{version}")))
        .unwrap_or_else(|| panic!("{explanation:#?}"));
    assert!(
        half.contains("has ") && half.contains("; not done: "),
        "{half}"
    );
    for (t, c) in left {
        assert!(half.contains(&format!("{t}.{c}")), "{half}");
        let found = changes_on(&v, t, c);
        assert!(
            found.iter().any(|ch| ch["severity"] == "drift"),
            "{t}.{c}: {found:#?}"
        );
    }
}

/// Migrations whose effects are all present but are not recorded (the guess called them
/// half-applied because something else differed on their tables): applied but not recorded,
/// none half-applied, and the SQL records them although other drift remains.
#[test]
fn present_effects_are_applied_not_half_applied() {
    let db = database_of("ev_present", "4.4.13");
    let effects = repo("migrations-index/effects.tsv");
    // Migrations that only create tables, columns and indexes, every one of which this fresh
    // database has.
    let exists = |op: &str, table: &str, object: &str| {
        let sql = match op {
            "create_table" => format!(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"
            ),
            "add_column" => format!(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{object}'"
            ),
            "add_index" => format!(
                "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND INDEX_NAME = '{object}'"
            ),
            _ => return false,
        };
        db.query(&sql)[0] != "0"
    };
    let schema_with_effects: Vec<String> = migrations_of("4.4.13")
        .into_iter()
        .filter(|(v, kind)| {
            let rows: Vec<Vec<&str>> = effects
                .lines()
                .filter(|l| l.starts_with(&format!("{v}\t")))
                .map(|l| l.split('\t').collect())
                .collect();
            kind == "schema" && !rows.is_empty() && rows.iter().all(|f| exists(f[2], f[3], f[4]))
        })
        .map(|m| m.0)
        .collect();
    assert!(schema_with_effects.len() >= 2, "{schema_with_effects:?}");
    let pending = &schema_with_effects[..2];
    let all: Vec<String> = migrations_of("4.4.13")
        .into_iter()
        .map(|m| m.0)
        .filter(|v| !pending.contains(v))
        .collect();
    record(&db, &all);
    // Other drift on a table of the first pending migration made the guess say "half-applied":
    // an index of that table that is not the migration's and backs no foreign key, dropped.
    let table = effects
        .lines()
        .find(|l| l.starts_with(&format!("{}\t", pending[0])))
        .and_then(|l| l.split('\t').nth(3))
        .unwrap()
        .to_string();
    let own: Vec<&str> = effects
        .lines()
        .filter(|l| l.starts_with(&format!("{}\t", pending[0])))
        .filter_map(|l| l.split('\t').nth(4))
        .collect();
    let candidates = db.query(&format!(
        "SELECT s.INDEX_NAME FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = DATABASE() \
         AND s.TABLE_NAME = '{table}' AND s.INDEX_NAME <> 'PRIMARY' AND s.SEQ_IN_INDEX = 1 \
         AND s.COLUMN_NAME NOT IN (SELECT k.COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE k \
           WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = '{table}' AND k.REFERENCED_TABLE_NAME IS NOT NULL) \
         ORDER BY s.INDEX_NAME"
    ));
    let victim = candidates
        .iter()
        .find(|i| !own.contains(&i.as_str()))
        .unwrap_or_else(|| panic!("no index to drop on {table}: {candidates:?}"));
    db.exec(&format!("ALTER TABLE `{table}` DROP INDEX `{victim}`"));
    let (code, v) = check(&db, "4.4.13");
    assert_eq!(code, Some(1));
    let explanation = v["explanation"].to_string();
    assert!(!explanation.contains("half-applied: "), "{explanation}");
    let out = bin()
        .args(["diff", "--url", &db.url(), "--target", "4.4.13"])
        .output()
        .unwrap();
    let sql = String::from_utf8_lossy(&out.stdout);
    for p in pending {
        assert!(
            explanation.contains(&format!("applied but not recorded: Version{p}")),
            "{explanation}"
        );
        // Mautic 3 and 4 record the bare version.
        assert!(sql.contains(&format!("('{p}', NOW())")), "{sql}");
    }
}
