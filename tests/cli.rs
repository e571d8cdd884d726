//! The binary end to end: exit codes, one-line errors, the JSON contract, and passwords that
//! never show, against the real MariaDB.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{TestDb, bin, corpus, sql_root};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Exit 2 with exactly one `error:` line and nothing that looks like a panic.
fn assert_one_line_error(o: &Output, contains: &str) {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(2), "stdout: {out}\nstderr: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[0].contains(contains), "'{contains}' not in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

/// A file path in a temporary folder that is removed when the returned guard is dropped.
fn tmp(name: &str) -> (tempfile::TempDir, PathBuf) {
    let d = common::scratch_dir();
    let f = d.path().join(name);
    (d, f)
}

fn reference() -> String {
    corpus("11-").display().to_string()
}

#[test]
fn missing_and_unreadable_files() {
    let o = run(&[
        "check",
        "--dump",
        "/nonexistent/mautic.sql",
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "/nonexistent/mautic.sql: no such file");
    let o = run(&["check", "--config", "/nonexistent/local.php"]);
    assert_one_line_error(&o, "/nonexistent/local.php: no such file");
    // A directory where a file is expected cannot be read, even by root.
    let dir = std::env::temp_dir();
    let o = run(&[
        "check",
        "--dump",
        dir.to_str().unwrap(),
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "cannot read");
    let (_dir, f) = tmp("noperm.sql");
    std::fs::write(&f, "CREATE TABLE t (a int);").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&f).is_err() {
        let o = run(&[
            "check",
            "--dump",
            f.to_str().unwrap(),
            "--reference-file",
            &reference(),
        ]);
        assert_one_line_error(&o, "permission denied");
    }
    let (_dir, empty) = tmp("empty.sql");
    std::fs::write(&empty, "-- nothing\n").unwrap();
    let o = run(&[
        "check",
        "--dump",
        empty.to_str().unwrap(),
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "no CREATE TABLE");
}

#[test]
fn local_php_syntax_error_names_line_and_column() {
    let (_dir, f) = tmp("broken-local.php");
    std::fs::write(&f, "<?php\n$parameters = array(\n    'db_host' => '127.0.0.1',\n    'db_name' => 'x'\n    'db_user' => 'root',\n);\n").unwrap();
    let o = run(&["check", "--config", f.to_str().unwrap()]);
    assert_one_line_error(&o, "broken-local.php:5:5: expected ')'");
    std::fs::write(
        &f,
        "<?php\n$parameters = array('db_host' => some_function(), 'db_name' => 'x');\n",
    )
    .unwrap();
    let o = run(&["check", "--config", f.to_str().unwrap()]);
    assert_one_line_error(
        &o,
        "broken-local.php:2:34: cannot evaluate function call 'some_function('",
    );
}

/// A password with quotes, backslashes and non-ASCII characters, read from a real local.php,
/// opens a real connection; neither it nor a wrong one ever shows in the output.
#[test]
fn tricky_password_is_read_exactly_and_never_shown() {
    let db = TestDb::new("password");
    db.load(&corpus("11-"));
    let user = format!("ms_pw_{}", std::process::id());
    let password = "pa'ss\"w\\rd-é€ß $x";
    let sql_pw = password.replace('\\', "\\\\").replace('\'', "\\'");
    for host in ["%", "localhost", "127.0.0.1"] {
        sql_root(&format!(
            "CREATE OR REPLACE USER '{user}'@'{host}' IDENTIFIED BY '{sql_pw}'; GRANT ALL ON `{}`.* TO '{user}'@'{host}'",
            db.name
        ));
    }
    // Mautic's own writer escapes with addcslashes($v, "\\'"): only \\ and \' in single quotes.
    let php_pw = password.replace('\\', "\\\\").replace('\'', "\\'");
    let (_dir, f) = tmp("local.php");
    std::fs::write(
        &f,
        format!(
            "<?php\n$parameters = array(\n\t'db_driver' => 'pdo_mysql',\n\t'db_host' => '127.0.0.1',\n\t'db_port' => '3306',\n\t'db_name' => '{}',\n\t'db_user' => '{user}',\n\t'db_password' => '{php_pw}',\n\t'db_table_prefix' => null,\n);\n",
            db.name
        ),
    )
    .unwrap();
    let o = run(&[
        "check",
        "--config",
        f.to_str().unwrap(),
        "--reference-file",
        &reference(),
        "--format",
        "json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["in_sync"], true);
    for s in [&out, &err] {
        assert!(
            !s.contains(password) && !s.contains("w\\rd") && !s.contains("pa'ss"),
            "password leaked: {s}"
        );
    }
    // The wrong password: a one-line error that names neither password.
    std::fs::write(
        &f,
        std::fs::read_to_string(&f)
            .unwrap()
            .replace(&php_pw, "wrong\\'one"),
    )
    .unwrap();
    let o = run(&[
        "check",
        "--config",
        f.to_str().unwrap(),
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "Access denied");
    // It names the file the credentials came from.
    assert_one_line_error(&o, &format!("; settings from {}", f.display()));
    let (out, err) = text(&o);
    assert!(!err.contains("wrong'one") && !out.contains("wrong'one"));
    for host in ["%", "localhost", "127.0.0.1"] {
        sql_root(&format!("DROP USER IF EXISTS '{user}'@'{host}'"));
    }
}

#[test]
fn unreachable_host_and_unknown_database() {
    let o = run(&[
        "check",
        "--url",
        "mysql://root@127.0.0.1:1/mautic",
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "cannot connect to root@127.0.0.1:1/mautic");
    let o = run(&[
        "check",
        "--url",
        "mysql://root@127.0.0.1:3306/ms_no_such_db_x",
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "Unknown database");
}

/// The TLS mode reaches the connection: `required` against a server without TLS is refused,
/// `disabled` connects in clear.
#[test]
fn ssl_mode_is_honoured() {
    let db = TestDb::new("tls");
    db.load(&corpus("11-"));
    let have_ssl = db.query("SELECT @@have_ssl");
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
        "--ssl-mode",
        "disabled",
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    if have_ssl != vec!["YES"] {
        let o = run(&[
            "check",
            "--url",
            &db.url(),
            "--reference-file",
            &reference(),
            "--ssl-mode",
            "required",
        ]);
        assert_one_line_error(&o, "server does not support TLS");
    }
}

#[test]
fn empty_database_and_non_mautic_database_are_refused() {
    let db = TestDb::new("empty");
    // A reference file is a schema of its own (generic mode): an empty database is one to
    // create, not a wrong database name.
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(text(&o).0.contains("audit_log"), "{:?}", text(&o));
    let o = run(&["check", "--url", &db.url(), "--target", "5.1.1"]);
    assert_one_line_error(&o, "has no tables");
    db.exec("CREATE TABLE wp_posts (id INT PRIMARY KEY, title TEXT); CREATE TABLE wp_users (id INT PRIMARY KEY)");
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
    ]);
    assert_one_line_error(&o, "does not look like this schema");
}

#[test]
fn mutations_through_the_cli_json_and_sql() {
    let db = TestDb::new("climut");
    db.load(&corpus("11-"));
    db.exec("DROP TABLE audit_log; ALTER TABLE assets DROP COLUMN description; ALTER TABLE emails COLLATE utf8mb4_general_ci; \
             ALTER TABLE lead_lists DROP FOREIGN KEY FK_6EC1522A12469DE2; ALTER TABLE lead_lists MODIFY category_id INT NULL");
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["in_sync"], false);
    assert!(
        v["target"]
            .as_str()
            .unwrap()
            .contains("11-mautic-tests-dump-2024.sql")
    );
    let changes = v["changes"].as_array().unwrap();
    let kinds: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["table"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for want in [
        ("audit_log", "missing_table"),
        ("assets", "missing_column"),
        ("emails", "table_options_differ"),
        ("lead_lists", "missing_foreign_key"),
        ("lead_lists", "column_differs"),
    ] {
        assert!(
            kinds.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {kinds:?}"
        );
    }
    for c in changes {
        for key in [
            "table",
            "kind",
            "object",
            "destructive",
            "detail",
            "sql",
            "severity",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert!(c["sql"].is_string(), "{c}");
    }
    // The diff, run by the real client, brings it back in sync. A reference file is compared
    // generically: the signed category_id is a narrowing to fix, not history; every value fits
    // (there are no rows), so it is not destructive and its foreign key comes with it.
    let o = run(&["diff", "--url", &db.url(), "--reference-file", &reference()]);
    assert_eq!(o.status.code(), Some(1));
    let planned = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        planned.contains("every value fits")
            && planned.contains("ADD CONSTRAINT `FK_6EC1522A12469DE2`"),
        "{planned}"
    );
    let o = run(&[
        "diff",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
        "--allow-destructive",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let sql = String::from_utf8_lossy(&o.stdout).into_owned();
    db.exec(&sql);
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = run(&[
        "check",
        "--url",
        &db.url(),
        "--reference-file",
        &reference(),
        "--format",
        "diff",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn unified_diff_format_shows_the_table() {
    let o = run(&[
        "check",
        "--dump",
        "examples/failed-upgrade-5.1.sql",
        "--reference-file",
        &reference(),
        "--format",
        "diff",
    ]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("--- live/lead_lists") && out.contains("+++ reference/lead_lists"),
        "{out}"
    );
    assert!(
        out.contains("+  `category_id` int unsigned NULL DEFAULT NULL"),
        "{out}"
    );
}

/// A local.php far bigger than any Mautic writes is refused with a clear line (reading a 5 MB
/// one took 45 s once); a big but legal one parses.
#[test]
fn an_oversized_local_php_is_refused() {
    let (_dir, f) = tmp("local.php");
    let mut src = String::from(
        "<?php\n$parameters = array(\n\t'db_host' => '127.0.0.1',\n\t'db_port' => 1,\n\t'db_name' => 'x',\n",
    );
    while src.len() < 1_100_000 {
        src.push_str("\t'plugin_setting' => 'a value long enough to grow the file quickly',\n");
    }
    std::fs::write(&f, format!("{src});\n")).unwrap();
    let o = run(&[
        "check",
        "--config",
        f.to_str().unwrap(),
        "--target",
        "5.1.1",
    ]);
    assert_one_line_error(&o, "1.1 MB: a Mautic local.php is a few kB");
    // Under the limit: read, then the connection (port 1) is what fails.
    src.truncate(900_000);
    let cut = src.rfind('\n').unwrap();
    std::fs::write(&f, format!("{});\n", &src[..cut])).unwrap();
    let o = run(&[
        "check",
        "--config",
        f.to_str().unwrap(),
        "--target",
        "5.1.1",
    ]);
    assert_one_line_error(&o, "cannot connect");
}
