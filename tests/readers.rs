//! The input readers are total: the dump splitter and DDL parser, the `local.php` evaluator
//! never panic, whatever bytes they are given (bounded property tests in the normal run); a dump
//! cut short never invents tables; gzip'd dumps are read; `local.php` constructs the tool cannot
//! follow are refused with their line and column.

mod common;

use common::bin;

use std::path::{Path, PathBuf};
use std::process::Output;

use mautic_schema::config::{Env, parse_parameters};
use mautic_schema::sql::{parse_schema_sql, split_statements};
use proptest::prelude::*;

fn check_dump(file: &Path) -> Output {
    bin()
        .args(["check", "--format", "json", "--target", "5.1.1", "--dump"])
        .arg(file)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Pieces of SQL and of dumps that exercise quoting, comments, delimiters and multi-byte text.
fn sql_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("CREATE TABLE ".to_string()),
        Just("ALTER TABLE ".to_string()),
        Just("INSERT INTO ".to_string()),
        Just("CREATE INDEX i ON ".to_string()),
        Just("DROP TABLE ".to_string()),
        Just("`éé`".to_string()),
        Just("`a``b`".to_string()),
        Just("'it''s\\''".to_string()),
        Just("\"q\"".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(", ".to_string()),
        Just(";\n".to_string()),
        Just("-- c\n".to_string()),
        Just("/* c */".to_string()),
        Just("/*!40101 SET x=1 */".to_string()),
        Just("DELIMITER ;;\n".to_string()),
        Just(" int(11) unsigned NOT NULL DEFAULT '0' ".to_string()),
        Just(" varchar(191) COLLATE utf8mb4_unicode_ci ".to_string()),
        Just(" PRIMARY KEY (`id`)".to_string()),
        Just(
            " CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `t` (`id`) ON DELETE CASCADE".to_string()
        ),
        Just(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4".to_string()),
        Just(" VALUES (1,'x',NULL)".to_string()),
        Just("😀".to_string()),
        Just("\u{0}".to_string()),
        "\\PC{0,8}",
    ]
}

fn sqlish() -> impl Strategy<Value = String> {
    prop::collection::vec(sql_piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn dump_reader_never_panics_on_any_text(s in "\\PC{0,300}") {
        let _ = split_statements(&s);
        let _ = parse_schema_sql(&s, &|_| true);
    }

    #[test]
    fn dump_reader_never_panics_on_sql_like_text(s in sqlish()) {
        let _ = split_statements(&s);
        let _ = parse_schema_sql(&s, &|_| true);
    }

    #[test]
    fn local_php_reader_never_panics(s in prop::collection::vec(prop_oneof![
        Just("<?php ".to_string()), Just("$parameters".to_string()), Just(" = ".to_string()),
        Just("array(".to_string()), Just("[".to_string()), Just("]".to_string()),
        Just(")".to_string()), Just("'db_host'".to_string()), Just(" => ".to_string()),
        Just("\"a\\x41\\u{e9}$x\"".to_string()), Just(";".to_string()), Just(",".to_string()),
        Just("getenv('X')".to_string()), Just("// c\n".to_string()), Just("/* c".to_string()),
        Just("0x1F".to_string()), Just("1e3".to_string()), Just("?:".to_string()),
        Just("include 'x.php'".to_string()), Just("é".to_string()), "\\PC{0,6}",
    ], 0..30).prop_map(|v| v.concat())) {
        let _ = parse_parameters(&s, Path::new("local.php"), &Env::default());
    }
}

/// A real dump's header and trailer around a real schema, as mariadb-dump writes them.
fn dump_text() -> String {
    let body = std::fs::read_to_string(common::corpus("11-")).unwrap();
    format!(
        "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB\n--\n-- Host: 127.0.0.1    Database: m\n\n{body}\n-- Dump completed on 2026-11-25 10:00:00\n"
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Cut anywhere, a dump yields only tables that are in the whole dump, each read whole or
    /// not at all, and says that it was cut.
    #[test]
    fn a_dump_cut_short_never_invents_tables(cut in 0.0f64..1.0) {
        let full = dump_text();
        let whole = parse_schema_sql(&full, &|_| false).schema;
        let mut at = (full.len() as f64 * cut) as usize;
        while !full.is_char_boundary(at) {
            at -= 1;
        }
        let out = parse_schema_sql(&full[..at], &|_| false);
        // Once the header is there, the missing trailer is noticed.
        let cut_text = &full[..at];
        prop_assert!(
            at < "-- MariaDB dump".len()
                || cut_text.contains("-- Dump completed")
                || out.missing_trailer
        );
        for (name, t) in &out.schema.tables {
            let w = whole.tables.get(name);
            prop_assert!(w.is_some(), "invented table {}", name);
            prop_assert_eq!(Some(t), w, "table {} read in part", name);
        }
    }
}

#[test]
fn non_ascii_insert_target_does_not_panic() {
    let dir = common::scratch_dir();
    let f = dir.path().join("dump.sql");
    let body = std::fs::read_to_string(common::corpus("11-")).unwrap();
    std::fs::write(
        &f,
        format!("{body}\nINSERT INTO `éé` VALUES (1);\nINSERT DELAYED INTO `ééé€` VALUES (2);\n"),
    )
    .unwrap();
    let o = check_dump(&f);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

/// mariadb-dump 10.5.25, 10.6.18, 10.11.8, 11.0.6 and later put this line before the header.
const SANDBOX_LINE: &str = "/*M!999999\\- enable the sandbox mode */ \n";

#[test]
fn truncated_dump_is_refused_and_untruncated_dump_is_read() {
    truncated_dump_is_refused(&dump_text());
}

/// Fails on the old code: after the sandbox line the header went unseen, and a cut dump was
/// read as a hand-written file.
#[test]
fn a_dump_that_starts_with_the_sandbox_line_is_checked_for_truncation() {
    truncated_dump_is_refused(&format!("{SANDBOX_LINE}{}", dump_text()));
}

fn truncated_dump_is_refused(full: &str) {
    let dir = common::scratch_dir();
    let whole = dir.path().join("whole.sql");
    std::fs::write(&whole, full).unwrap();
    let o = check_dump(&whole);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Dump completed"), "{}", stderr(&o));

    // Cut inside a CREATE TABLE: an error naming the line, not a half table.
    let at = full.find("CREATE TABLE `leads`").unwrap() + 200;
    let cut = dir.path().join("cut.sql");
    std::fs::write(&cut, &full[..at]).unwrap();
    let o = check_dump(&cut);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("truncated"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));

    // Cut between statements: read, with a warning that tables may be missing.
    let at = full.find("CREATE TABLE `leads`").unwrap();
    let between = dir.path().join("between.sql");
    std::fs::write(&between, &full[..at]).unwrap();
    let o = check_dump(&between);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Dump completed"),
        "the missing trailer is reported"
    );
}

#[test]
fn gzipped_dump_reads_like_the_plain_one() {
    use std::io::Write;
    let dir = common::scratch_dir();
    let plain: PathBuf = common::corpus("11-");
    let gz = dir.path().join("dump.sql.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(&plain).unwrap()).unwrap();
    enc.finish().unwrap();
    let (a, b) = (check_dump(&plain), check_dump(&gz));
    assert_eq!(a.status.code(), b.status.code(), "{}", stderr(&b));
    let changes = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["changes"].clone()
    };
    assert_eq!(changes(&a), changes(&b));

    let broken = dir.path().join("broken.sql.gz");
    let bytes = std::fs::read(&gz).unwrap();
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let o = check_dump(&broken);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gzip"), "{}", stderr(&o));
}

fn check_config(php: &[u8]) -> Output {
    let dir = common::scratch_dir();
    let f = dir.path().join("local.php");
    std::fs::write(&f, php).unwrap();
    bin().args(["check", "--config"]).arg(&f).output().unwrap()
}

#[test]
fn local_php_constructs_php_would_follow_differently_are_refused() {
    // (statement, what the message names, where: line 6, the column of the offending word)
    for (stmt, word, at) in [
        ("include __DIR__.'/db.php';", "include", ":6:3:"),
        ("require_once 'other.php';", "require_once", ":6:3:"),
        ("unset($parameters['db_host']);", "unset", ":6:3:"),
        (
            "if (!getenv('STAGING')) { $parameters['db_name'] = 'staging'; }",
            "if",
            ":6:3:",
        ),
        ("foo($parameters);", "$parameters", ":6:7:"),
    ] {
        let php = format!(
            "<?php\n$parameters = array(\n  'db_host' => '127.0.0.1',\n  'db_name' => 'mautic',\n);\n  {stmt}\n"
        );
        let o = check_config(php.as_bytes());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{stmt}: {err}");
        assert!(err.contains(at), "{stmt}: line and column in {err}");
        assert!(err.contains(word), "{stmt}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn latin1_local_php_gets_a_clear_message() {
    let mut php = b"<?php\n$parameters = array(\n  'db_password' => 'p".to_vec();
    php.push(0xE4); // ä in Latin-1
    php.extend_from_slice(b"ss',\n);\n");
    let o = check_config(&php);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
    assert!(!err.contains("panicked"));
}
