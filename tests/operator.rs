//! The operator's experience (issue 11): what an 80-column terminal shows before `apply` asks,
//! the shell completions and man page, `--version`, the parser refusing what a command cannot
//! use, Mautic's own tables never called foreign, and a pending data migration named by
//! `check`.

mod common;

use common::{TestDb, corpus};
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The tool as `common::bin()` gives it, at the width of a pipe (80), whatever COLUMNS says.
fn bin() -> Command {
    let mut c = common::bin();
    c.env_remove("COLUMNS");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Run with `input` on standard input (a pipe, not a terminal).
fn run_with_stdin(mut c: Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A database of corpus 11 with a table to rebuild (a narrowed column) and a missing index.
fn drifted(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets MODIFY lang VARCHAR(50) NOT NULL");
    db
}

fn backup_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("ms-operator-{tag}"))
        .tempdir()
        .unwrap()
}

/// Without --yes, after the SQL has scrolled by, the summary sits right above the question
/// (here refused: standard input is a pipe) and every line of it fits 80 columns.
#[test]
fn apply_prints_a_summary_right_above_the_question() {
    let db = drifted("summary");
    let before = db.snapshot();
    let dir = backup_dir("summary");
    let mut c = bin();
    c.args([
        "apply",
        "--url",
        &db.url(),
        "--target",
        "5.1.1",
        "--online",
        "never",
    ])
    .arg("--backup-dir")
    .arg(dir.path());
    let o = run_with_stdin(c, "n\n");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| *l == "Summary:")
        .unwrap_or_else(|| panic!("no summary in:\n{err}"));
    let summary = &lines[start..];
    // Only the refusal follows the summary.
    assert!(
        summary.last().unwrap().starts_with("error: not confirmed"),
        "{err}"
    );
    let body = summary[..summary.len() - 1].join("\n");
    for want in [
        "tables touched",
        "assets",
        "statements",
        "rebuilt",
        "assets (",
        "rows,",
        "destructive     ",
        "held back",
        "backup          about",
        &dir.path().display().to_string(),
        "bookkeeping",
    ] {
        assert!(body.contains(want), "{want:?} not in:\n{body}");
    }
    for l in &summary[..summary.len() - 1] {
        assert!(l.chars().count() <= 80, "wider than 80: {l}");
    }
    assert_eq!(db.snapshot(), before, "refusing changed the database");
}

/// On a terminal (a pseudo-terminal from `script`), the question comes right after the
/// summary, and "n" changes nothing.
#[test]
fn apply_asks_after_the_summary_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a pseudo-terminal");
        return;
    }
    let db = drifted("tty");
    let before = db.snapshot();
    let dir = backup_dir("tty");
    let cmd = format!(
        "{} apply --url '{}' --target 5.1.1 --online never --backup-dir '{}'",
        env!("CARGO_BIN_EXE_mautic-schema"),
        db.url(),
        dir.path().display()
    );
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"])
        .env("COLUMNS", "80")
        .env_remove("MAUTIC_DB_PASSWORD")
        .env_remove("MYSQL_PWD");
    let o = run_with_stdin(c, "n\n");
    let out = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    let ask = out
        .find("[y/N]")
        .unwrap_or_else(|| panic!("no question in:\n{out}"));
    let summary = out[..ask]
        .rfind("Summary:")
        .unwrap_or_else(|| panic!("no summary before the question:\n{out}"));
    let between = &out[summary..ask];
    assert!(between.contains("bookkeeping"), "{between}");
    assert!(between.contains("backup"), "{between}");
    assert!(out[ask..].contains("not confirmed"), "{out}");
    assert_eq!(db.snapshot(), before);
}

fn offline(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

const SUBCOMMANDS: &[&str] = &[
    "check",
    "diff",
    "apply",
    "restore",
    "snapshot",
    "preflight",
    "versions",
];

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = offline(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o));
        let s = String::from_utf8_lossy(&o.stdout);
        for sub in SUBCOMMANDS {
            assert!(s.contains(sub), "{shell}: {sub} not completed");
        }
        assert!(s.contains("allow-destructive"), "{shell}");
    }
    let o = offline(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_is_generated() {
    let o = offline(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.starts_with(".ie") || s.contains(".TH mautic-schema 1"),
        "{s}"
    );
    assert!(s.contains(".SH SUBCOMMANDS"), "{s}");
    for sub in SUBCOMMANDS {
        assert!(s.contains(&format!("mautic\\-schema\\-{sub}(1)")), "{sub}");
    }
    // --dir: the main page and one per subcommand, as the main page refers to them.
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(dir.path().join("mautic-schema.1").is_file());
    for sub in SUBCOMMANDS {
        assert!(dir.path().join(format!("mautic-schema-{sub}.1")).is_file());
    }
    // apply's page does not offer what its parser refuses.
    let apply = std::fs::read_to_string(dir.path().join("mautic-schema-apply.1")).unwrap();
    assert!(!apply.contains("\\-\\-dump"), "{apply}");
}

/// `--version` names the range of bundled references, the same as `versions` lists exactly.
#[test]
fn version_names_the_bundled_reference_range() {
    let o = offline(&["--version"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v = String::from_utf8_lossy(&o.stdout);
    let exact: Vec<String> = String::from_utf8_lossy(&offline(&["versions"]).stdout)
        .lines()
        .filter(|l| l.split('\t').nth(1) == Some("exact"))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let want = format!(
        "mautic-schema {} (references {}–{})\n",
        env!("CARGO_PKG_VERSION"),
        exact.first().unwrap(),
        exact.last().unwrap()
    );
    assert_eq!(v, want);
}

/// `apply` and `restore` change a live database: the argument parser refuses --dump (exit 2,
/// nothing read or run), and their help neither lists it nor formats `apply` does not have.
#[test]
fn parser_refuses_dump_for_apply_and_restore() {
    for args in [
        &[
            "apply",
            "--dump",
            "examples/failed-upgrade-5.1.sql",
            "--yes",
        ][..],
        &["restore", "--dump", "x.sql", "--backup", "b", "--yes"][..],
    ] {
        let o = bin()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("invalid value") && err.contains("--dump"),
            "{err}"
        );
        assert!(err.contains("needs a server"), "{err}");
        // The parser's error (with its usage hint), not a failure after connecting.
        assert!(err.contains("For more information, try '--help'"), "{err}");
        assert!(o.stdout.is_empty());
    }
    for sub in ["apply", "restore"] {
        let help = String::from_utf8_lossy(&offline(&[sub, "--help"]).stdout).into_owned();
        assert!(!help.contains("--dump"), "{sub}: {help}");
        assert!(help.contains("--url"), "{help}");
    }
    let help = String::from_utf8_lossy(&offline(&["apply", "--help"]).stdout).into_owned();
    assert!(
        help.contains("[possible values: table, json]"),
        "apply lists formats it does not use: {help}"
    );
    let o = offline(&["apply", "--url", "mysql://u@h/d", "--format", "sql"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // The commands that read a dump still take it.
    let help = String::from_utf8_lossy(&offline(&["check", "--help"]).stdout).into_owned();
    assert!(help.contains("--dump"), "{help}");
}

/// Mautic's own migrations table is never an "extra table" of the install, nor one of the
/// "other tables" beside another install: it belongs to the install with its prefix.
#[test]
fn the_migrations_table_is_mautics_own() {
    let db = TestDb::new("ownmigr");
    // An unprefixed Mautic 2.12 install (with its migrations table) beside `mautic_` tables.
    db.load(&corpus("09-"));
    let check = |extra: &[&str], format: &str| {
        let o = bin()
            .args(["check", "--url", &db.url(), "--format", format])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let v: serde_json::Value = serde_json::from_str(&check(&[], "json")).unwrap();
    let listed: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["table"] == "migrations")
        .collect();
    assert!(listed.is_empty(), "{listed:?}");
    let human = check(&[], "table");
    assert!(!human.contains("extra table: migrations"), "{human}");
    assert!(
        !human
            .lines()
            .any(|l| l.contains("extra table") && l.contains(" migrations")),
        "{human}"
    );

    // Checking the `mautic_` tables: the unprefixed migrations table goes with its install.
    let human = check(&["--prefix", "mautic_"], "table");
    assert!(human.contains("(no prefix)"), "{human}");
    assert!(!human.contains("other tables"), "{human}");
    let v: serde_json::Value =
        serde_json::from_str(&check(&["--prefix", "mautic_"], "json")).unwrap();
    assert!(
        v["foreign_tables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "migrations"),
        "left alone, but as the other install's"
    );
}

/// A 5.1.1 install whose schema is complete but whose migrations table lacks a data migration:
/// `check` does not just say "In sync": it names the migration and the command to run. The
/// exit code stays 0 (the schema is in sync; README, Exit codes).
#[test]
fn a_pending_data_migration_is_named_by_check() {
    let db = TestDb::new("datamigr");
    db.load(&corpus("11-"));
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/migrations.tsv"
    ))
    .unwrap();
    let mine: Vec<(String, String)> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        // 5.x migrations shipped in 5.1.1 (the index runs past it: their last release may be later).
        .filter(|f| {
            let key = |r: &str| -> Vec<u32> { r.split('.').map(|p| p.parse().unwrap()).collect() };
            f[1].starts_with('5') && key(&f[1]) <= key("5.1.1") && key("5.1.1") <= key(&f[2])
        })
        .map(|f| (f[0].clone(), f[3].clone()))
        .collect();
    // One that changes data only: a data migration whose schema changes are all there is
    // advised to be recorded, not run (issue 22).
    let effects = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-index/effects.tsv"
    ))
    .unwrap();
    let ddl: std::collections::BTreeSet<&str> = effects
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 2 && f[2] != "data").then_some(f[0])
        })
        .collect();
    let data_one = mine
        .iter()
        .find(|(v, k)| k == "data" && !ddl.contains(v.as_str()))
        .unwrap()
        .0
        .clone();
    db.exec("CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, execution_time INT DEFAULT NULL, PRIMARY KEY(version))");
    let values: Vec<String> = mine
        .iter()
        .filter(|(v, _)| *v != data_one)
        .map(|(v, _)| format!("('Mautic\\\\Migrations\\\\Version{v}', NOW(), 1)"))
        .collect();
    db.exec(&format!(
        "INSERT INTO migrations VALUES {}",
        values.join(",")
    ));
    for cols in [60, 80, 120] {
        let o = bin()
            .args(["check", "--url", &db.url(), "--target", "5.1.1"])
            .env("COLUMNS", cols.to_string())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        // The verdict, last, says what is left for Mautic; never a bare "In sync".
        assert!(
            flat.ends_with("1 data migration(s) pending, for Mautic to run (listed above)"),
            "{out}"
        );
        assert!(
            flat.contains(&format!(
                "doctrine:migrations:execute --up 'Mautic\\Migrations\\Version{data_one}'"
            )),
            "{out}"
        );
        assert!(out.lines().all(|l| l.chars().count() <= cols), "{out}");
    }
}

/// Every page under docs/errors/ is built into the binary (`explain TOPIC`), every link of the
/// docs index points at a page that exists, and an unknown topic is a one-line error.
#[test]
fn every_docs_page_is_an_explain_topic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let listed = common::text(&common::bin().arg("explain").output().unwrap());
    for entry in std::fs::read_dir(root.join("errors")).unwrap() {
        let path = entry.unwrap().path();
        let topic = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(listed.contains(&topic), "{topic} is not an explain topic");
        let o = common::bin().args(["explain", &topic]).output().unwrap();
        assert!(o.status.success());
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            std::fs::read_to_string(&path).unwrap()
        );
    }
    let index = std::fs::read_to_string(root.join("README.md")).unwrap();
    for link in index.split("](").skip(1) {
        let target = link.split(')').next().unwrap();
        assert!(
            root.join(target).exists(),
            "docs/README.md links to missing {target}"
        );
    }
    let o = common::bin()
        .args(["explain", "no-such-topic"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&o.stderr).lines().count(), 1);
}

/// An error about the connection or the configuration names the page that says what to do,
/// on its one line.
#[test]
fn connection_and_config_errors_name_their_explain_page() {
    let o = common::bin()
        .args([
            "check",
            "--url",
            "mysql://root@127.0.0.1:1/x",
            "--target",
            "5.1.1",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("(mautic-schema explain connect)"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let o = common::bin()
        .args(["check", "--target", "5.1.1", "--mautic-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("(mautic-schema explain config)"), "{err}");
    for topic in ["connect", "config"] {
        let o = common::bin().args(["explain", topic]).output().unwrap();
        assert!(o.status.success());
    }
}
