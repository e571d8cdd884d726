//! Pre-checks on the planned state, as data (`tests/precheck_cases/*.sql`: the live tables and
//! rows, the reference, and the pre-check expected to stop the run, or `none`). Each case runs
//! `apply --dry-run` against the real server: a case that names a check must be stopped by
//! it, before any DDL; a `none` case must pass every pre-check. A head line `-- args: ...`
//! adds options to the command.

mod common;

use common::TestDb;

struct Case {
    args: Vec<String>,
    live: String,
    reference: String,
    expect: String,
}

fn read_case(text: &str) -> Case {
    let mut parts = [String::new(), String::new(), String::new(), String::new()];
    let mut at = 0;
    for line in text.lines() {
        match line {
            "-- live" => at = 1,
            "-- reference" => at = 2,
            "-- expect" => at = 3,
            _ => {
                parts[at].push_str(line);
                parts[at].push('\n');
            }
        }
    }
    let [head, live, reference, expect] = parts;
    let args = head
        .lines()
        .filter_map(|l| l.strip_prefix("-- args:"))
        .flat_map(|l| l.split_whitespace().map(str::to_string))
        .collect();
    Case {
        args,
        live,
        reference,
        expect: expect.trim().to_string(),
    }
}

#[test]
fn precheck_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/precheck_cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 6);
    let mut failed = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let case = read_case(&std::fs::read_to_string(&file).unwrap());
        let db = TestDb::new(&name[..name.len().min(12)]);
        db.exec(&case.live);
        let reference = db.scratch("reference.sql");
        std::fs::write(&reference, &case.reference).unwrap();
        let before = db.query("SELECT GROUP_CONCAT(TABLE_NAME, ':', CREATE_OPTIONS, ':', TABLE_COLLATION ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        let o = common::bin()
            .args(["apply", "--dry-run", "--url", &db.url(), "--reference-file"])
            .arg(&reference)
            .args(&case.args)
            .args(["--allow-destructive", "--backup-dir"])
            .arg(db.scratch("backups"))
            .output()
            .unwrap();
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let stopped: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("pre-check failed ("))
            .filter_map(|l| l.split(')').next())
            .collect();
        let ok = if case.expect == "none" {
            stopped.is_empty()
                && o.status.code() == Some(1)
                && out.contains("every pre-check passed")
        } else {
            stopped == [case.expect.as_str()] && o.status.code() == Some(2)
        };
        if !ok {
            failed.push(format!(
                "{name}: expected {}, got {stopped:?}:\n{out}",
                case.expect
            ));
        }
        let after = db.query("SELECT GROUP_CONCAT(TABLE_NAME, ':', CREATE_OPTIONS, ':', TABLE_COLLATION ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        assert_eq!(before, after, "{name}: a dry run changed the database");
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
