//! The JSON contract (docs/json.md) as golden files: each command and outcome runs against the
//! real MariaDB and its stdout is compared with `tests/golden/json/NAME.json` after the values
//! that change from run to run (timings, paths, sha256, database names, the server version, the
//! catalog's size estimates) are replaced by placeholders. Every document must parse, carry
//! `format_version`, and exit as the README says. `UPDATE_GOLDEN=1 cargo test --test
//! json_contract` rewrites them after an intended change; review the diff like any other.

mod common;

use std::path::Path;

use common::{TestDb, bin, query_root};
use serde_json::Value;

/// The reference the small cases compare with: a unique key and a nullable column that the
/// drifted database lacks.
const REFERENCE: &str = "CREATE TABLE tags (id INT NOT NULL, tag VARCHAR(100) NOT NULL, \
    note VARCHAR(50) NULL, PRIMARY KEY (id), UNIQUE KEY uniq_tag (tag)) ENGINE=InnoDB \
    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n";

const DRIFTED: &str = "CREATE TABLE tags (id INT NOT NULL, tag VARCHAR(100) NOT NULL, \
    PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/// A database with `live` run in it, and the reference file beside it.
fn case(tag: &str, live: &str) -> (TestDb, String) {
    let db = TestDb::new(tag);
    db.exec(live);
    let reference = db.scratch("reference.sql");
    std::fs::write(&reference, REFERENCE).unwrap();
    let reference = reference.display().to_string();
    (db, reference)
}

/// Run the tool; its stdout must be one JSON document with `format_version`, and the exit code
/// the expected one. Returns the document.
fn run(args: &[&str], code: i32) -> Value {
    let o = bin().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {stderr}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stdout is not one JSON document ({e}):\n{}\n{stderr}",
            String::from_utf8_lossy(&o.stdout)
        )
    });
    assert_eq!(v["format_version"], 1, "{v:#}");
    if code == 2 {
        // An error is on stderr too, as one line.
        let line = stderr.lines().find(|l| l.starts_with("error: "));
        assert!(line.is_some(), "{stderr}");
        assert_eq!(v["error"]["exit_code"], 2, "{v:#}");
    }
    v
}

/// Members whose values change from run to run, whatever their place in a document.
const VOLATILE_KEYS: &[&str] = &[
    "seconds",
    "estimated_seconds",
    "inspect_ms",
    "catalog_queries",
    "sha256",
    "path",
    "rows",
    "bytes",
    "server_version",
];

/// Replace volatile values: by key, and inside strings the database name, the scratch folder
/// (up to the end of the path) and the server version.
fn normalise(v: &mut Value, db: Option<&TestDb>, server: &str) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if VOLATILE_KEYS.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String(format!("<{k}>"));
                } else if k == "version" && val.as_str() == Some(server) {
                    *val = Value::String("<server version>".into());
                } else {
                    normalise(val, db, server);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| normalise(i, db, server)),
        Value::String(s) => {
            let mut t = s.replace(server, "<server version>");
            if let Some(db) = db {
                t = replace_paths(&t, &db.scratch(""));
                t = t.replace(&db.name, "<db>");
            }
            *s = free_space(&t);
        }
        _ => {}
    }
}

/// "54.0 GB free in /var/lib/mysql/" (preflight's disk check) depends on the machine.
fn free_space(s: &str) -> String {
    let Some(i) = s.find(" free in ") else {
        return s.to_string();
    };
    let start = s[..i].rfind("; ").map_or(0, |j| j + 2);
    format!("{}<free> free in <datadir>", &s[..start])
}

/// Each path under `dir` becomes `<path>` (a backup folder's name has the time in it).
fn replace_paths(s: &str, dir: &Path) -> String {
    let dir = dir.display().to_string();
    let dir = dir.trim_end_matches('/');
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(dir) {
        out.push_str(&rest[..i]);
        out.push_str("<path>");
        let after = &rest[i..];
        let end = after
            .find(|c: char| c.is_whitespace() || c == ')' || c == '\'')
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn server_version() -> String {
    query_root("SELECT VERSION()").trim().to_string()
}

/// Compare with (or, with UPDATE_GOLDEN, write) `tests/golden/json/NAME.json`.
fn golden(name: &str, mut v: Value, db: Option<&TestDb>) {
    normalise(&mut v, db, &server_version());
    let mut text = serde_json::to_string_pretty(&v).unwrap();
    text.push('\n');
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/json")
        .join(format!("{name}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    if text != want {
        let diff = similar::TextDiff::from_lines(&want, &text)
            .unified_diff()
            .header("golden", "now")
            .to_string();
        panic!("{name}.json differs:\n{diff}");
    }
}

#[test]
fn check_in_sync_and_with_drift_and_diff() {
    let (db, reference) = case("jsync", REFERENCE);
    let u = db.url();
    let v = run(
        &[
            "check",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(v["in_sync"], true);
    golden("check-in-sync", v, Some(&db));

    let (db, reference) = case("jdrift", DRIFTED);
    let u = db.url();
    let v = run(
        &[
            "check",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--format",
            "json",
        ],
        1,
    );
    assert_eq!(v["in_sync"], false);
    golden("check-drift", v, Some(&db));
    let v = run(
        &[
            "diff",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--format",
            "json",
        ],
        1,
    );
    golden("diff", v, Some(&db));
}

#[test]
fn apply_dry_run_refusal_done_and_restore() {
    // Refused: two rows share the tag the new unique key covers.
    let (db, reference) = case(
        "jrefuse",
        &format!("{DRIFTED}; INSERT INTO tags VALUES (1, 'news'), (2, 'news')"),
    );
    let u = db.url();
    let backups = db.scratch("backups").display().to_string();
    let apply = |extra: &[&str], code: i32| {
        let mut args = vec![
            "apply",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--backup-dir",
            &backups,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        run(&args, code)
    };
    let v = apply(&["--yes"], 2);
    assert_eq!(v["outcome"], "refused");
    // The refusal is typed: which check said no, and the page that says what to do.
    assert_eq!(v["error"]["kind"], "refused", "{v:#}");
    assert_eq!(v["error"]["refusal"], "prechecks", "{v:#}");
    assert_eq!(v["error"]["explain"], "prechecks", "{v:#}");
    let failed: Vec<&Value> = v["prechecks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{v:#}");
    assert_eq!(failed[0]["name"], "duplicates");
    assert!(failed[0]["query"].as_str().unwrap().contains("tags"));
    golden("apply-refused", v, Some(&db));
    drop(db);

    let (db, reference) = case(
        "japply",
        &format!("{DRIFTED}; INSERT INTO tags VALUES (1, 'news'), (2, 'sport')"),
    );
    let u = db.url();
    let backups = db.scratch("backups").display().to_string();
    let apply = |extra: &[&str], code: i32| {
        let mut args = vec![
            "apply",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--backup-dir",
            &backups,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        run(&args, code)
    };
    let v = apply(&["--dry-run"], 1);
    assert_eq!(v["outcome"], "dry_run");
    assert_eq!(v["prechecks_passed"], true);
    assert!(
        v["prechecks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["status"] != "failed")
    );
    golden("apply-dry-run", v, Some(&db));

    let v = apply(&["--yes"], 0);
    assert_eq!(v["outcome"], "done");
    assert_eq!(v["in_sync"], true);
    assert_eq!(v["statements_run"].as_array().unwrap().len(), 1, "{v:#}");
    let backup = v["backup"]["path"].as_str().unwrap().to_string();
    assert_eq!(v["backup"]["sha256"].as_str().unwrap().len(), 64);
    assert!(v["backup"]["bytes"].as_u64().unwrap() > 0);
    golden("apply-done", v, Some(&db));

    let v = run(
        &[
            "restore", "--url", &u, "--backup", &backup, "--yes", "--format", "json",
        ],
        0,
    );
    assert_eq!(v["rollback"], true);
    assert_eq!(v["verified"], true);
    golden("restore", v, Some(&db));
    assert_eq!(
        db.query("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'uniq_tag'"),
        ["0"],
        "the restore undid the apply"
    );
}

/// A statement the server refuses on the scratch copy: the refusal's document names it.
#[test]
fn apply_refused_by_the_rehearsal() {
    let db = TestDb::new("jrehearse");
    db.exec("CREATE TABLE u (id INT NOT NULL, body VARCHAR(20), PRIMARY KEY (id)) ENGINE=InnoDB");
    let reference = db.scratch("reference.sql");
    std::fs::write(
        &reference,
        "CREATE TABLE u (id INT NOT NULL, body VARCHAR(20), \
         g INT GENERATED ALWAYS AS (nosuch + 1) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB;\n",
    )
    .unwrap();
    let u = db.url();
    let reference = reference.display().to_string();
    let v = run(
        &[
            "apply",
            "--url",
            &u,
            "--reference-file",
            &reference,
            "--dry-run",
            "--format",
            "json",
        ],
        2,
    );
    assert_eq!(v["outcome"], "refused");
    assert_eq!(v["prechecks_passed"], true, "{v:#}");
    assert_eq!(v["rehearsal"]["outcome"], "refused", "{v:#}");
    assert!(v["rehearsal"]["sql"].as_str().unwrap().contains("nosuch"));
    golden("apply-rehearsal-refused", v, Some(&db));
}

#[test]
fn snapshot_preflight_and_versions() {
    let (db, _) = case("jsnap", REFERENCE);
    let u = db.url();
    let v = run(&["snapshot", "--url", &u, "--format", "json"], 0);
    assert!(v["ddl"].as_str().unwrap().contains("CREATE TABLE `tags`"));
    golden("snapshot", v, Some(&db));

    let db = TestDb::new("jpreflight");
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    let u = db.url();
    let v = run(
        &[
            "preflight",
            "--url",
            &u,
            "--to",
            "5.1.1",
            "--format",
            "json",
        ],
        1,
    );
    // Nothing stops the upgrade itself, but the reference has no migrations table: that is
    // the verdict (exit 1), as `check` gives it.
    assert_eq!(v["go"], true);
    assert_eq!(v["verdict"]["kind"], "bookkeeping-broken");
    golden("preflight", v, Some(&db));

    let v = run(&["versions", "--format", "json"], 0);
    let releases = v["releases"].as_array().unwrap();
    assert!(releases.iter().any(|r| r["status"] == "exact"));
    golden("versions", v, None);
}

#[test]
fn errors_are_json_documents() {
    // Nothing listens on port 1: connection refused.
    let v = run(
        &[
            "check",
            "--url",
            "mysql://root@127.0.0.1:1/x",
            "--format",
            "json",
        ],
        2,
    );
    assert_eq!(v["error"]["kind"], "connection");
    golden("error-connection", v, None);

    let v = run(&["apply", "--url", "not a url", "--format", "json"], 2);
    golden("error-bad-url", v, None);

    let v = run(&["check", "--format", "json"], 2);
    assert_eq!(v["error"]["kind"], "usage");
    golden("error-usage", v, None);
}
