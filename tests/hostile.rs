//! A schema whose names, comments, defaults and ENUM values carry newlines, backquotes, quotes,
//! `*/`, `--`, `;` and non-ASCII text, each written as an attack on a canary database: every
//! output stays inert text, and every SQL output, piped into the server as root, changes
//! nothing but what it announces.

mod common;

use std::process::{Command, Output, Stdio};

use common::{HOST, PORT, TestDb, bin, query_root};

/// What every hostile text carries: a line break that would end a `--` comment, then a
/// statement that drops the canary, then the start of a comment to hide the rest.
fn attack(canary: &str) -> String {
    format!("\n; DROP DATABASE `{canary}`; -- ")
}

/// The reference: hostile table, column, index and FK names, ENUM members, a default and
/// comments, written as a DBA's file would be (the quoting here is the test's own).
fn reference_sql(canary: &str) -> String {
    let a = attack(canary);
    // In a backquoted name only the backquote is special; names may not end with a space.
    let name = |base: &str| format!("`{base}{a}x*/é`", a = a.replace('`', "``"));
    let lit = |base: &str| format!("'{base}{}'", a.replace('\'', "''"));
    format!(
        "CREATE TABLE {p} (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  \
         {c} enum({m1},'b''*/`',{m3}) DEFAULT 'b''*/`' COMMENT {cc},\n  \
         `d` varchar(80) NOT NULL DEFAULT {dd},\n  \
         {n} tinyint NOT NULL DEFAULT 0 COMMENT {nc},\n  PRIMARY KEY (`id`),\n  KEY {i} (`d`)\n) \
         ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT={tc};\n\
         CREATE TABLE `q` (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  \
         `pid` int unsigned DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `pid` (`pid`),\n  \
         CONSTRAINT {f} FOREIGN KEY (`pid`) REFERENCES {p} (`id`)\n) \
         ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n",
        p = name("p"),
        c = name("c"),
        i = name("i"),
        n = name("n"),
        nc = lit("narrow"),
        f = name("f"),
        m1 = lit("m"),
        m3 = lit("\\\\ */ ''é"),
        cc = lit("comment \\\\"),
        dd = lit("é"),
        tc = lit("t"),
    )
}

/// The live database: the reference, then drift that every output has to talk about. A column
/// widened in the live database, a member added to the ENUM and a table the reference does not
/// have make destructive changes (a reference file is compared generically: held back, shown
/// only inside comments, until --allow-destructive).
fn damage(db: &TestDb, canary: &str) {
    let a = attack(canary).replace('`', "``");
    db.exec(&format!(
        "ALTER TABLE `p{a}x*/é` DROP INDEX `i{a}x*/é`, \
         MODIFY `n{a}x*/é` int NOT NULL DEFAULT 0, \
         MODIFY `c{a}x*/é` enum('m{x}','b''*/`','\\\\ */ ''é{x}','extra{x}') DEFAULT 'b''*/`'; \
         ALTER TABLE `q` DROP FOREIGN KEY `f{a}x*/é`; \
         CREATE TABLE `keep{a}x` (id int PRIMARY KEY); INSERT INTO `keep{a}x` VALUES (1), (2)",
        x = attack(canary).replace('\'', "''"),
    ));
}

fn run(db: &TestDb, reference: &str, args: &[&str]) -> Output {
    bin()
        .args(args)
        .args(["--url", &db.url(), "--reference-file", reference])
        .output()
        .expect("binary runs")
}

/// Pipe SQL into the real client as root, the way a reviewer would.
fn pipe_into_server(db: &TestDb, sql: &[u8]) {
    use std::io::Write;
    let mut child = Command::new("mariadb")
        .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", &db.name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mariadb client runs");
    child.stdin.take().unwrap().write_all(sql).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the printed SQL failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(sql)
    );
}

fn canary_alive(canary: &TestDb) -> bool {
    let out = query_root(&format!(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}'",
        canary.name
    ));
    out.trim() == "1"
}

fn keep_rows(db: &TestDb, canary: &str) -> String {
    let a = attack(canary).replace('`', "``");
    query_root(&format!("SELECT COUNT(*) FROM `{}`.`keep{a}x`", db.name))
}

/// Whether the extra table (a hostile name) is still there.
fn keep_exists(db: &TestDb, canary: &str) -> bool {
    let name = format!("keep{}x", attack(canary)).replace('\'', "''");
    let sql = format!(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = '{name}'",
        db.name
    );
    query_root(&sql).trim() == "1"
}

fn setup(tag: &str, canary: &TestDb) -> (TestDb, String) {
    let db = TestDb::new(tag);
    let reference = db.scratch("reference.sql");
    std::fs::write(&reference, reference_sql(&canary.name)).unwrap();
    db.load(&reference);
    damage(&db, &canary.name);
    (db, reference.display().to_string())
}

/// Text for people and machines: no control character but line ends, JSON that parses.
#[test]
fn human_and_machine_outputs_stay_inert() {
    let canary = TestDb::new("canary");
    canary.exec("CREATE TABLE alive (id int)");
    let (db, reference) = setup("inert", &canary);
    for format in ["table", "diff", "json", "sql"] {
        let o = run(&db, &reference, &["check", "--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}: {o:?}");
        let out = String::from_utf8(o.stdout).unwrap();
        let err = String::from_utf8(o.stderr).unwrap();
        for (stream, text) in [("stdout", &out), ("stderr", &err)] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{format} {stream} carries a control character: {text:?}"
            );
        }
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            assert!(v["changes"].as_array().is_some_and(|c| !c.is_empty()));
        }
        if format != "sql" {
            // Outside SQL, a hostile line break is shown, never obeyed.
            assert!(
                !out.lines().any(|l| l.starts_with("; DROP")),
                "{format}: {out}"
            );
        }
    }
    assert!(canary_alive(&canary));
}

/// Every SQL output, piped into the server as root: the canary survives, the extra table keeps
/// its rows until --allow-destructive, held-back statements stay held back, and the announced
/// changes converge.
#[test]
fn printed_sql_does_exactly_what_it_announces() {
    let canary = TestDb::new("canary");
    canary.exec("CREATE TABLE alive (id int)");
    let (db, reference) = setup("piped", &canary);

    let check_sql = run(&db, &reference, &["check", "--format", "sql"]);
    let diff_sql = run(&db, &reference, &["diff"]);
    assert_eq!(check_sql.stdout, diff_sql.stdout);
    let text = String::from_utf8_lossy(&diff_sql.stdout).into_owned();
    let json = run(&db, &reference, &["check", "--format", "json"]);
    assert!(
        text.contains("Held back"),
        "{text}\n{}",
        String::from_utf8_lossy(&json.stdout)
    );
    pipe_into_server(&db, &diff_sql.stdout);
    assert!(canary_alive(&canary), "the canary was dropped by:\n{text}");
    assert_eq!(keep_rows(&db, &canary.name), "2");
    // Only the held-back (destructive) changes are left: the ENUM losing a member and the extra
    // table. The column narrowing whose every value fits is not destructive: it ran.
    let o = run(&db, &reference, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let drift: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .collect();
    assert_eq!(drift.len(), 2, "{v:#}");
    assert!(drift.iter().all(|c| c["held_back"] == true), "{v:#}");

    let all = run(&db, &reference, &["diff", "--allow-destructive"]);
    pipe_into_server(&db, &all.stdout);
    assert!(canary_alive(&canary));
    assert!(!keep_exists(&db, &canary.name), "dropped as announced");
    let o = run(&db, &reference, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}

/// `apply` reaches the same schema as the printed SQL, and nothing else happens.
#[test]
fn apply_does_what_the_printed_sql_does() {
    let canary = TestDb::new("canary");
    canary.exec("CREATE TABLE alive (id int)");
    let (piped, reference) = setup("viasql", &canary);
    let (applied, _) = setup("viaapply", &canary);
    let sql = run(&piped, &reference, &["diff", "--allow-destructive"]);
    pipe_into_server(&piped, &sql.stdout);
    let backups = applied.scratch("backups");
    let o = bin()
        .args([
            "apply",
            "--url",
            &applied.url(),
            "--reference-file",
            &reference,
        ])
        .args(["--allow-destructive", "--yes", "--backup-dir"])
        .arg(&backups)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(canary_alive(&canary));
    assert!(!keep_exists(&applied, &canary.name));
    let snapshot = |db: &TestDb| {
        let file = db.scratch("snapshot.sql");
        let o = bin()
            .args(["snapshot", "--url", &db.url(), "-o"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        // The header names the database; the schema below it must be the same.
        let text = std::fs::read_to_string(&file).unwrap();
        text.lines()
            .filter(|l| !l.starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(snapshot(&piped), snapshot(&applied));
}
