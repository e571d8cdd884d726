//! `check` of many installs in one run: a line per install, the worst exit code, and installs
//! that share a database share one reading of its catalog.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{TestDb, corpus};

/// A Mautic folder whose local.php points at `db` with `prefix`.
fn install(db: &TestDb, name: &str, prefix: &str, database: &str) -> PathBuf {
    let dir = db.scratch(name);
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(
        dir.join("config/local.php"),
        format!(
            "<?php\n$parameters = array(\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => '{prefix}',\n\t'db_port' => 3306,\n\t'db_name' => '{database}',\n\t'db_user' => 'root',\n);\n"
        ),
    )
    .unwrap();
    dir
}

#[test]
fn many_installs_one_line_each_worst_exit() {
    let db = TestDb::new("fleet");
    db.load(&corpus("11-"));
    let tables = db
        .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
    // Two more installs beside the unprefixed one (copies without their foreign keys); t2_ also
    // misses a column.
    let mut sql = String::new();
    for p in ["t1_", "t2_"] {
        for t in &tables {
            sql.push_str(&format!("CREATE TABLE `{p}{t}` LIKE `{t}`;"));
        }
    }
    sql.push_str("ALTER TABLE t2_assets DROP COLUMN description;");
    db.exec(&sql);
    let dirs = [
        install(&db, "one", "", &db.name),
        install(&db, "two", "t2_", &db.name),
        install(&db, "gone", "", "no_such_database_here"),
    ];
    let run = |dirs: &[PathBuf], format: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
        c.args(["check", "--target", "5.1.1", "--format", format]);
        for d in dirs {
            c.arg("--mautic-dir").arg(d);
        }
        c.output().unwrap()
    };
    let o = run(&dirs[..2], "table");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].ends_with("one: in sync with Mautic 5.1.1"),
        "{out}"
    );
    assert!(lines[1].contains("two: "), "{out}");
    assert_eq!(o.status.code(), Some(1), "{out}");

    // JSON lines; an install that cannot be checked is a line too, and the exit is 2.
    let o = run(&dirs, "json");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let v: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 3, "{out}");
    assert_eq!(o.status.code(), Some(2));
    let by = |name: &str| {
        v.iter()
            .find(|x| {
                x["install"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/{name}"))
            })
            .unwrap()
    };
    assert_eq!(by("one")["in_sync"], true);
    // Each line says what a check of that install alone says.
    let alone = Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
        .args([
            "check",
            "--target",
            "5.1.1",
            "--format",
            "json",
            "--mautic-dir",
        ])
        .arg(&dirs[1])
        .output()
        .unwrap();
    let alone: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
    let drift = alone["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .count();
    assert!(drift > 0);
    assert_eq!(by("two")["drift"], drift);
    assert_eq!(by("two")["prefix"], "t2_");
    assert!(
        by("gone")["error"]
            .as_str()
            .unwrap()
            .contains("no_such_database_here")
    );
    assert_eq!(by("one")["format_version"], 1);

    // Other commands take one install.
    let o = Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
        .args(["diff", "--target", "5.1.1", "--mautic-dir"])
        .arg(&dirs[0])
        .arg("--mautic-dir")
        .arg(&dirs[1])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only `check` takes several installs"));
}

/// A quoted glob is expanded by the tool (cron and systemd have no shell to do it), installs in
/// different databases are read side by side (--jobs), a pattern matching nothing is an error
/// line of its own, and --brief gives one install its one line.
#[test]
fn globs_jobs_and_brief() {
    let a = TestDb::new("fleet_a");
    let b = TestDb::new("fleet_b");
    a.load(&corpus("11-"));
    b.load(&corpus("11-"));
    b.exec("ALTER TABLE assets DROP COLUMN description;");
    let root = a.scratch("sites");
    std::fs::create_dir_all(&root).unwrap();
    for (name, db) in [("site-a", &a), ("site-b", &b)] {
        std::fs::rename(install(db, name, "", &db.name), root.join(name)).unwrap();
    }
    let pattern = format!("{}/site-*", root.display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mautic-schema"))
            .args(["check", "--target", "5.1.1"])
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["--mautic-dir", &pattern, "--jobs", "2"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("site-a: in sync"), "{out}");
    assert!(lines[1].contains("site-b: 1 difference(s)"), "{out}");
    assert_eq!(o.status.code(), Some(1));

    let none = format!("{}/nothing-*", root.display());
    let o = run(&["--mautic-dir", &pattern, "--mautic-dir", &none]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("the pattern matches nothing"), "{out}");
    assert_eq!(o.status.code(), Some(2), "{out}");

    let site_a = root.join("site-a").display().to_string();
    let o = run(&["--mautic-dir", &site_a, "--brief"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("in sync with Mautic 5.1.1"), "{out}");
    assert_eq!(o.status.code(), Some(0));

    let o = run(&["--mautic-dir", &site_a, "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `preflight` of several installs: one line per install with go or its first blocker, JSON
/// lines, and the worst exit code.
#[test]
fn preflight_of_many_installs() {
    let go = TestDb::new("pf_go");
    let stop = TestDb::new("pf_stop");
    let reference =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql");
    go.load(&reference);
    stop.load(&reference);
    stop.exec("ALTER TABLE assets ADD COLUMN legacy_flag INT NOT NULL");
    let dirs = [
        install(&go, "a-go", "", &go.name),
        install(&stop, "b-stop", "", &stop.name),
    ];
    let run = |format: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mautic-schema"));
        c.args([
            "preflight",
            "--to",
            "5.1.1",
            "--jobs",
            "2",
            "--format",
            format,
        ]);
        for d in &dirs {
            c.arg("--mautic-dir").arg(d);
        }
        c.output().unwrap()
    };
    let o = run("table");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    // Lines are sorted by install path (each scratch folder has a name of its own).
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines.iter().any(|l| l.contains("a-go: go from ")), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("b-stop: 1 blocker(s)") && l.contains("inserts")),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run("json");
    let docs: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    let go = |name: &str| {
        docs.iter()
            .find(|d| d["install"].as_str().unwrap().ends_with(name))
            .unwrap()["go"]
            .clone()
    };
    assert_eq!(go("a-go"), true);
    assert_eq!(go("b-stop"), false);
    assert!(docs.iter().all(|d| d["format_version"] == 1));
    assert_eq!(o.status.code(), Some(1));
}
