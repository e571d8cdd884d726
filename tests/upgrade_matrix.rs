//! The upgrade matrix: for a release of every major line, a database built from its reference,
//! with generated, referentially valid rows in every table and a custom-field column, is
//! upgraded with `apply --target NEWER --allow-destructive` for older→newer pairs. Each pair
//! must converge (`check` exits 0), keep every row (count and checksum of the columns whose
//! type did not change), keep the custom field's values, and `restore` must give back exactly
//! the starting database. CI runs a sample (each line to the next, and oldest to newest);
//! `UPGRADE_MATRIX=full` (scripts/upgrade-matrix.sh) runs every pair. The matrix is printed.

mod common;
#[path = "common/rows.rs"]
mod rows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{TestDb, bin, text};

/// The newest release of each line the references cover, and the newest bundled.
const RELEASES: &[&str] = &["2.16.5", "3.3.5", "4.4.13", "5.0.4", "5.1.1", "6.0.2"];

fn reference_file(release: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas");
    let index = std::fs::read_to_string(dir.join("index.tsv")).unwrap();
    let file = index
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(r, _)| *r == release)
        .unwrap_or_else(|| panic!("{release} is not in reference-schemas/index.tsv"))
        .1;
    dir.join(file)
}

/// Per table: row count and a checksum of the given columns.
fn fingerprints(db: &TestDb, columns: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, String> {
    columns
        .iter()
        .filter(|(_, cols)| !cols.is_empty())
        .map(|(t, cols)| {
            let concat: Vec<String> = cols
                .iter()
                .map(|c| format!("COALESCE(CAST(`{c}` AS CHAR), '-')"))
                .collect();
            let q = format!(
                "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', {}))), 0)) FROM `{t}`",
                concat.join(", ")
            );
            (t.clone(), db.query(&q).join(""))
        })
        .collect()
}

/// table → column → COLUMN_TYPE.
fn column_types(db: &TestDb) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for line in db.query("SELECT CONCAT(TABLE_NAME, '\\t', COLUMN_NAME, '\\t', COLUMN_TYPE) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()") {
        let mut p = line.splitn(3, '\t');
        if let (Some(t), Some(c), Some(ty)) = (p.next(), p.next(), p.next()) {
            out.entry(t.into()).or_default().insert(c.into(), ty.into());
        }
    }
    out
}

fn upgrade(from: &str, to: &str) -> Result<(), String> {
    let db = TestDb::new(&format!(
        "mx{}to{}",
        from.replace('.', ""),
        to.replace('.', "")
    ));
    let reference = reference_file(from);
    db.load(&reference);
    let parsed = mautic_schema::sql::parse_schema_sql(
        &std::fs::read_to_string(&reference).unwrap(),
        &|_| false,
    );
    db.exec(&rows::insert_sql(&parsed.schema, 3));
    db.exec(
        "ALTER TABLE leads ADD COLUMN matrix_custom VARCHAR(191) DEFAULT NULL; \
         UPDATE leads SET matrix_custom = CONCAT('custom-', id)",
    );
    let start = db.snapshot();
    let types_before = column_types(&db);
    let backups = db.scratch("backups");
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", to])
        .args(["--allow-destructive", "--yes", "--online", "never"])
        .arg("--backup-dir")
        .arg(&backups)
        .output()
        .unwrap();
    if o.status.code() != Some(0) {
        return Err(format!("apply exited {:?}:\n{}", o.status.code(), text(&o)));
    }
    let o = bin()
        .args(["check", "--url", &db.url(), "--target", to])
        .output()
        .unwrap();
    if o.status.code() != Some(0) {
        return Err(format!("not converged:\n{}", text(&o)));
    }
    // Rows: every table kept holds the same rows in the columns whose type did not change.
    let types_after = column_types(&db);
    let kept: BTreeMap<String, Vec<String>> = types_before
        .iter()
        .filter_map(|(t, cols)| {
            let after = types_after.get(t)?;
            Some((
                t.clone(),
                cols.iter()
                    .filter(|(c, ty)| after.get(*c) == Some(ty))
                    .map(|(c, _)| c.clone())
                    .collect(),
            ))
        })
        .collect();
    let now = fingerprints(&db, &kept);
    // Compare with the same columns on the restored (= starting) database below.
    let custom = db.query("SELECT GROUP_CONCAT(matrix_custom ORDER BY id) FROM leads");
    let dump = walk(&backups)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .ok_or("no backup file")?;
    let o = bin()
        .args(["restore", "--url", &db.url(), "--yes", "--backup"])
        .arg(&dump)
        .output()
        .unwrap();
    if o.status.code() != Some(0) {
        return Err(format!(
            "restore exited {:?}:\n{}",
            o.status.code(),
            text(&o)
        ));
    }
    // The backup ledger stays on purpose: it is what a later restore checks a dump against.
    let restored: Vec<String> = db
        .snapshot()
        .into_iter()
        .filter(|l| !l.contains("mautic_schema_backups"))
        .collect();
    if restored != start {
        let diff: Vec<String> = start
            .iter()
            .filter(|l| !restored.contains(l))
            .map(|l| format!("-{}", l.chars().take(160).collect::<String>()))
            .chain(
                restored
                    .iter()
                    .filter(|l| !start.contains(l))
                    .map(|l| format!("+{}", l.chars().take(160).collect::<String>())),
            )
            .take(20)
            .collect();
        return Err(format!(
            "restore is not the starting database:\n{}",
            diff.join("\n")
        ));
    }
    let before = fingerprints(&db, &kept);
    let lost: Vec<String> = before
        .iter()
        .filter(|(t, f)| now.get(*t) != Some(f))
        .map(|(t, f)| format!("{t}: {f} before, {:?} after", now.get(t)))
        .collect();
    if !lost.is_empty() {
        return Err(format!("rows changed by the upgrade: {}", lost.join("; ")));
    }
    if custom != ["custom-1,custom-2,custom-3"] {
        return Err(format!("custom field values after the upgrade: {custom:?}"));
    }
    Ok(())
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn pairs(full: bool) -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::new();
    for (i, from) in RELEASES.iter().enumerate() {
        for (j, to) in RELEASES.iter().enumerate().skip(i + 1) {
            let sampled = j == i + 1 || (i == 0 && j == RELEASES.len() - 1);
            if full || sampled {
                v.push((*from, *to));
            }
        }
    }
    v
}

#[test]
fn upgrade_matrix() {
    let full = std::env::var("UPGRADE_MATRIX").is_ok_and(|v| v == "full");
    let todo = std::sync::Mutex::new(pairs(full));
    let results = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let Some((from, to)) = todo.lock().unwrap().pop() else {
                        break;
                    };
                    let t = Instant::now();
                    let r = upgrade(from, to);
                    let secs = t.elapsed().as_secs_f64();
                    results.lock().unwrap().insert((from, to), (r, secs));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    // The matrix: rows are the starting release, columns the target.
    let mut table = format!("{:>8} |", "from\\to");
    for to in &RELEASES[1..] {
        table.push_str(&format!(" {to:>9}"));
    }
    table.push('\n');
    for from in &RELEASES[..RELEASES.len() - 1] {
        table.push_str(&format!("{from:>8} |"));
        for to in &RELEASES[1..] {
            let cell = match results.get(&(*from, *to)) {
                Some((Ok(()), s)) => format!("ok {s:.0}s"),
                Some((Err(_), _)) => "FAIL".into(),
                None => "-".into(),
            };
            table.push_str(&format!(" {cell:>9}"));
        }
        table.push('\n');
    }
    eprintln!("{table}");
    let failed: Vec<String> = results
        .iter()
        .filter_map(|((f, t), (r, _))| r.as_ref().err().map(|e| format!("{f} → {t}: {e}")))
        .collect();
    assert!(failed.is_empty(), "{table}\n{}", failed.join("\n\n"));
}
