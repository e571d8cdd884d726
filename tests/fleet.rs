//! `check` of many installs in one run: a line per install, the worst exit code, and installs
//! that share a database and credentials share one reading of its catalog.

mod common;

use std::path::PathBuf;

use common::{TestDb, corpus, sql_root};

/// A Mautic folder whose local.php points at `db` with `prefix`.
fn install(db: &TestDb, name: &str, prefix: &str, database: &str) -> PathBuf {
    install_as(db, name, prefix, database, ("root", ""))
}

/// [`install`] connecting as `(user, password)`.
fn install_as(
    db: &TestDb,
    name: &str,
    prefix: &str,
    database: &str,
    (user, password): (&str, &str),
) -> PathBuf {
    let dir = db.scratch(name);
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(
        dir.join("config/local.php"),
        format!(
            "<?php\n$parameters = array(\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => '{prefix}',\n\t'db_port' => 3306,\n\t'db_name' => '{database}',\n\t'db_user' => '{user}',\n\t'db_password' => '{password}',\n);\n"
        ),
    )
    .unwrap();
    dir
}

/// `check --target 5.1.1 --format json` of one install alone: its exit code and document.
fn check_alone(dir: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let o = common::bin()
        .args([
            "check",
            "--target",
            "5.1.1",
            "--format",
            "json",
            "--mautic-dir",
        ])
        .arg(dir)
        .output()
        .unwrap();
    (o.status.code(), serde_json::from_slice(&o.stdout).unwrap())
}

fn json_lines(o: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The JSON type of a value, and for strings whether it is a bare release number: the form a
/// reader parses.
fn form(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) if s.split('.').all(|p| p.parse::<u32>().is_ok()) => {
            "release".into()
        }
        serde_json::Value::Object(o) => {
            let inner: Vec<String> = o.iter().map(|(k, v)| format!("{k}:{}", form(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        serde_json::Value::String(_) => "string".into(),
        serde_json::Value::Number(_) => "number".into(),
        serde_json::Value::Bool(_) => "bool".into(),
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Array(_) => "array".into(),
    }
}

/// Every member of a fleet line but the two that name the install is a member of the
/// install's own document with the same form and value (`format_version` aside: the fleet
/// lines have their own).
fn assert_subset(line: &serde_json::Value, single: &serde_json::Value) {
    for (k, v) in line.as_object().unwrap() {
        if ["install", "prefix"].contains(&k.as_str()) {
            continue;
        }
        let theirs = single
            .get(k)
            .unwrap_or_else(|| panic!("`{k}` of the fleet line is not in {single}"));
        assert_eq!(form(v), form(theirs), "`{k}`: {v} vs {theirs}");
        if k != "format_version" {
            assert_eq!(v, theirs, "`{k}`");
        }
    }
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
    common::record_migrations_of(&db, "5.1.1");
    let dirs = [
        install(&db, "one", "", &db.name),
        install(&db, "two", "t2_", &db.name),
        install(&db, "gone", "", "no_such_database_here"),
    ];
    let run = |dirs: &[PathBuf], format: &str| {
        let mut c = common::bin();
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
    let (_, alone) = check_alone(&dirs[1]);
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
        by("gone")["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no_such_database_here")
    );
    assert_eq!(by("one")["format_version"], 2);

    // Other commands take one install.
    let o = common::bin()
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
    common::record_migrations_of(&a, "5.1.1");
    common::record_migrations_of(&b, "5.1.1");
    b.exec("ALTER TABLE assets DROP COLUMN description;");
    let root = a.scratch("sites");
    std::fs::create_dir_all(&root).unwrap();
    for (name, db) in [("site-a", &a), ("site-b", &b)] {
        std::fs::rename(install(db, name, "", &db.name), root.join(name)).unwrap();
    }
    let pattern = format!("{}/site-*", root.display());
    let run = |args: &[&str]| {
        common::bin()
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
        let mut c = common::bin();
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
    // Nothing stops the upgrade, but no migration is recorded (a reference loaded as it is):
    // the install's own verdict, as `preflight` of it alone ends, is said beside the go.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("a-go: go from ") && l.contains("; Bookkeeping broken: ")),
        "{out}"
    );
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
    assert!(docs.iter().all(|d| d["format_version"] == 2));
    assert_eq!(o.status.code(), Some(1));
}

/// A fleet line speaks the install's own JSON: the same member names and value forms as
/// `check --format json` of that install alone (`target` `5.1.1`, not `Mautic 5.1.1`), and an
/// error line's `error` is the error document's object. `--only-problems` leaves out the
/// installs in sync and keeps the exit code of all.
#[test]
fn fleet_lines_are_a_subset_of_the_single_document() {
    let db = TestDb::new("fleet_json");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description;");
    let fine = TestDb::new("fleet_json_ok");
    fine.load(&corpus("11-"));
    common::record_migrations_of(&fine, "5.1.1");
    let dirs = [
        install(&db, "drifted", "", &db.name),
        install(&fine, "fine", "", &fine.name),
        install(&db, "gone", "", "no_such_database_here"),
    ];
    let check = |dirs: &[&PathBuf], extra: &[&str]| {
        let mut c = common::bin();
        c.args(["check", "--target", "5.1.1", "--format", "json"])
            .args(extra);
        for d in dirs {
            c.arg("--mautic-dir").arg(d);
        }
        c.output().unwrap()
    };
    let o = check(&dirs.iter().collect::<Vec<_>>(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", common::text(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 3);
    let of = |dir: &PathBuf| {
        lines
            .iter()
            .find(|l| l["install"] == dir.display().to_string())
            .unwrap()
    };
    for dir in &dirs {
        let alone = check(&[dir], &[]);
        let single: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
        assert_subset(of(dir), &single);
    }
    assert_eq!(of(&dirs[0])["target"], "5.1.1");
    assert_eq!(of(&dirs[0])["in_sync"], false);
    assert_eq!(of(&dirs[0])["drift"], 1);
    assert_eq!(
        form(&of(&dirs[2])["error"]),
        "{exit_code:number,explain:string,kind:string,message:string}"
    );

    let o = check(&dirs.iter().collect::<Vec<_>>(), &["--only-problems"]);
    assert_eq!(o.status.code(), Some(2));
    let shown: Vec<String> = json_lines(&o)
        .iter()
        .map(|l| l["install"].as_str().unwrap().to_string())
        .collect();
    let mut want = [dirs[0].display().to_string(), dirs[2].display().to_string()];
    want.sort();
    assert_eq!(shown, want);
    let o = check(&[&dirs[1]], &["--only-problems"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");

    // preflight's fleet lines speak its document too.
    let pf = |dirs: &[&PathBuf]| {
        let mut c = common::bin();
        c.args(["preflight", "--to", "5.1", "--format", "json"]);
        for d in dirs {
            c.arg("--mautic-dir").arg(d);
        }
        c.output().unwrap()
    };
    let fleet = json_lines(&pf(&[&dirs[1], &dirs[2]]));
    let single: serde_json::Value = serde_json::from_slice(&pf(&[&dirs[1]]).stdout).unwrap();
    let line = fleet
        .iter()
        .find(|l| l["install"] == dirs[1].display().to_string());
    for k in ["to", "from", "go"] {
        assert_eq!(line.unwrap()[k], single[k], "{k}");
    }
    let failed = fleet.iter().find(|l| l.get("error").is_some()).unwrap();
    assert_eq!(
        form(&failed["error"]),
        "{exit_code:number,explain:string,kind:string,message:string}"
    );
}

/// Installs naming the same server, user and database but not the same password do not share
/// a connection: the one with the wrong password fails on its line (it was reported "in sync"
/// on the connection of the other), and says which local.php its credentials came from.
#[test]
fn a_wrong_password_is_not_carried_by_another_install() {
    let db = TestDb::new("fleet_pw");
    db.load(&corpus("11-"));
    common::record_migrations_of(&db, "5.1.1");
    let user = format!("ms_fleet_{}", std::process::id());
    for host in ["%", "localhost", "127.0.0.1"] {
        sql_root(&format!(
            "CREATE OR REPLACE USER '{user}'@'{host}' IDENTIFIED BY 'right-one'; \
             GRANT ALL ON `{}`.* TO '{user}'@'{host}'",
            db.name
        ));
    }
    let good = install_as(&db, "a-good", "", &db.name, (&user, "right-one"));
    let bad = install_as(&db, "b-bad", "", &db.name, (&user, "wrong-one"));
    let o = common::bin()
        .args(["check", "--target", "5.1.1", "--mautic-dir"])
        .arg(&good)
        .arg("--mautic-dir")
        .arg(&bad)
        .output()
        .unwrap();
    for host in ["%", "localhost", "127.0.0.1"] {
        sql_root(&format!("DROP USER IF EXISTS '{user}'@'{host}'"));
    }
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].ends_with("a-good: in sync with Mautic 5.1.1"),
        "{out}"
    );
    assert!(lines[1].contains("b-bad: error: "), "{out}");
    assert!(lines[1].contains("Access denied"), "{out}");
    let origin = bad.join("config/local.php").display().to_string();
    assert!(
        lines[1].contains(&format!("settings from {origin}")),
        "{out}"
    );
    assert!(!common::text(&o).contains("right-one") && !common::text(&o).contains("wrong-one"));
    assert_eq!(o.status.code(), Some(2));
}

/// A `**` pattern over a symlink loop finishes (it ran until memory ran out), and a pattern is
/// echoed exactly as given: `/*/` stayed `/* /` in the text line.
#[test]
fn patterns_terminate_over_symlink_loops_and_are_echoed_as_given() {
    let db = TestDb::new("fleet_glob");
    db.load(&corpus("11-"));
    common::record_migrations_of(&db, "5.1.1");
    let root = db.scratch("hosting");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::rename(install(&db, "site", "", &db.name), root.join("site")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("site/loop")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("again")).unwrap();

    let pattern = format!("{}/**/config/local.php", root.display());
    let mut child = common::bin()
        .args(["check", "--target", "5.1.1", "--config", &pattern])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("a ** pattern over a symlink loop did not finish in 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with(&format!(
            "{}: in sync",
            root.join("site/config/local.php").display()
        )),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));

    let nothing = format!("{}/*/nowhere/*/local.php", root.display());
    let o = common::bin()
        .args(["check", "--target", "5.1.1", "--config", &nothing])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        out,
        format!("{nothing}: error: {nothing}: the pattern matches nothing\n")
    );
    let o = common::bin()
        .args(["check", "--format", "json", "--config", &nothing])
        .output()
        .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(line["install"], nothing.as_str());
    assert_eq!(line["error"]["kind"], "input");
}

/// The fleet's line and exit follow each install's own verdict, not only its schema: an
/// install whose schema matches but that has no migration recorded is "Bookkeeping broken"
/// (exit 1) when checked alone, and so in the fleet (it was "in sync", exit 0).
#[test]
fn the_fleet_follows_each_installs_verdict() {
    let db = TestDb::new("fleetv");
    db.load(&corpus("11-"));
    common::record_migrations_of(&db, "5.1.1");
    // A second install of the same release without its migrations: the same schema, no
    // migration recorded.
    let emptied = TestDb::new("fleetv2");
    emptied.load(&corpus("11-"));
    let good = install(&db, "good", "", &db.name);
    let empty = install(&db, "empty", "", &emptied.name);
    let (code, single) = check_alone(&empty);
    assert_eq!(single["verdict"]["kind"], "bookkeeping-broken", "{single}");
    assert_eq!(code, Some(1));

    let fleet = |format: &str, extra: &[&str]| {
        let mut c = common::bin();
        c.args(["check", "--target", "5.1.1", "--format", format]);
        c.args(extra);
        c.arg("--mautic-dir")
            .arg(&good)
            .arg("--mautic-dir")
            .arg(&empty);
        c.output().unwrap()
    };
    let o = fleet("table", &[]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{out}");
    let line = out.lines().find(|l| l.contains("empty: ")).unwrap();
    assert!(!line.contains("in sync"), "{out}");
    assert!(line.contains("Bookkeeping broken"), "{out}");
    assert!(line.contains("Mautic 5.1.1"), "{out}");

    let o = fleet("table", &["--only-problems"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("empty: "), "{out}");

    let o = fleet("json", &[]);
    let lines = json_lines(&o);
    let empty_line = lines
        .iter()
        .find(|l| l["install"].as_str().unwrap().ends_with("empty"))
        .unwrap();
    assert_eq!(empty_line["verdict"], single["verdict"]);
    assert_eq!(o.status.code(), Some(1));
}
