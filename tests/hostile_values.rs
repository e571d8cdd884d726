//! Every hostile value of `tests/data/hostile_values.json`, written into `local.php` as an
//! attacker who controls the install would, run through every program the tool hands values
//! to, on the real server: the dump tool and pt-online-schema-change under `apply`, the client
//! under `restore`. Each value either arrives as exactly itself (the password logs in, the names
//! are dumped, altered and restored, the default is the one written) or is refused with one line
//! naming it, before anything is changed; no injected option ever takes effect (the folder the
//! values point at stays empty) and no password is ever printed.
//!
//! Also: the client that loads a dump runs sandboxed (a dump's `\!` runs nothing), and a dry run
//! checks the dump tool as the run would.

mod common;
#[path = "data/hostile_values.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use common::{HOST, PORT, TestDb, bin, query_root, scratch_dir, text};
use mautic_schema::schema::{quote_ident, quote_string};

/// Where an injected option would write: `w` under the tool's working folder (relative, so a
/// value holding it fits a 64-character name).
const WATCH: &str = "w";

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(tag: &str) -> String {
    format!(
        "{tag}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// `sql` as root; false when the server refuses it (a name it cannot hold) or no argument can
/// carry it (NUL).
fn try_root(sql: &str) -> bool {
    Command::new("mariadb")
        .args(["-h", HOST, "-P", &PORT.to_string(), "-uroot", "-e", sql])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn root(sql: &str) {
    assert!(try_root(sql), "as root: {sql}");
}

/// A PHP double-quoted literal of `s`: control characters as octal escapes, so the file is
/// what Mautic's own `local.php` writer could produce for the value.
fn php(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The working folder of one run: `local.php`, the reference, the backups, the watched folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(database: &str, user: &str, password: &str, prefix: &str, reference: &str) -> Site {
        let dir = scratch_dir();
        std::fs::create_dir(dir.path().join(WATCH)).unwrap();
        let php = format!(
            "<?php\n$parameters = array(\n  'db_driver' => 'pdo_mysql',\n  'db_host' => '{HOST}',\n  \
             'db_port' => {PORT},\n  'db_name' => {},\n  'db_user' => {},\n  'db_password' => {},\n  \
             'db_table_prefix' => {},\n);\n",
            php(database),
            php(user),
            php(password),
            php(prefix)
        );
        std::fs::write(dir.path().join("local.php"), php).unwrap();
        std::fs::write(dir.path().join("ref.sql"), reference).unwrap();
        Site { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        bin()
            .current_dir(self.path())
            .args(args)
            .args(["--config", "local.php"])
            .output()
            .unwrap()
    }

    fn apply(&self, extra: &[&str]) -> Output {
        self.run(
            &[
                &[
                    "apply",
                    "--reference-file",
                    "ref.sql",
                    "--yes",
                    "--backup-dir",
                    "backups",
                ][..],
                extra,
            ]
            .concat(),
        )
    }

    /// The backup folders `apply` made.
    fn backups(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.path().join("backups")) {
            Ok(d) => d.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The dump in the only backup folder.
    fn dump(&self) -> PathBuf {
        let dirs = self.backups();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        std::fs::read_dir(&dirs[0])
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "sql"))
            .expect("a dump in the backup folder")
    }

    /// Nothing a value pointed at was written: not in the watched folder, and nothing in the
    /// working folder but what the test and the tool put there.
    fn assert_nothing_injected(&self, case: &str, out: &Output) {
        let watched: Vec<_> = std::fs::read_dir(self.path().join(WATCH))
            .unwrap()
            .collect();
        assert!(
            watched.is_empty(),
            "{case}: injected files {watched:?}\n{}",
            text(out)
        );
        for e in std::fs::read_dir(self.path()).unwrap() {
            let name = e.unwrap().file_name();
            assert!(
                ["w", "local.php", "ref.sql", "backups"].contains(&name.to_str().unwrap_or("")),
                "{case}: {name:?} appeared in the working folder\n{}",
                text(out)
            );
        }
    }
}

/// A server account whose password is the hostile value; dropped with the value.
struct User {
    name: String,
}

impl User {
    fn new(password: &str) -> User {
        let name = unique("ms_hv");
        root(&format!(
            "CREATE USER '{name}'@'%'; SET PASSWORD FOR '{name}'@'%' = PASSWORD({}); GRANT ALL ON *.* TO '{name}'@'%'",
            quote_string(password)
        ));
        User { name }
    }
}

impl Drop for User {
    fn drop(&mut self) {
        try_root(&format!("DROP USER IF EXISTS '{}'@'%'", self.name));
    }
}

/// A database whose name is hostile, dropped at the end.
struct Database {
    name: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        try_root(&format!(
            "DROP DATABASE IF EXISTS {}",
            quote_ident(&self.name)
        ));
    }
}

fn in_db(db: &str, sql: &str) -> String {
    query_root(&format!("USE {}; {sql}", quote_ident(db)))
}

/// The number of secondary indexes on `table`.
fn secondary_indexes(db: &str, table: &str) -> String {
    query_root(&format!(
        "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND INDEX_NAME <> 'PRIMARY'",
        quote_string(db),
        quote_string(table)
    ))
}

/// The reference the runs reconcile with: `t` with a secondary index the live table lacks.
const REFERENCE: &str = "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `v` varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `v` (`v`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n";

/// A refusal: one error line that names the value as `what` and the program, and says what to do.
fn assert_refusal(case: &str, out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("{case}: no error line\n{}", text(out)));
    assert!(
        line.contains(what)
            && line.contains("cannot be handed to")
            && line.contains("Nothing was changed"),
        "{case}: {line}"
    );
}

/// Each password logs in as itself through the dump tool's and pt-osc's option file, and the
/// client's under `restore` (the rows and the routine and trigger of the backup come back), or
/// is refused naming the password without showing it. Fails on the old code: a newline in the
/// password wrote `result-file=w/injected` into the option file as an option of its own, and a
/// long password was cut by the reader into further options.
#[test]
fn every_password_logs_in_as_itself_or_is_refused() {
    let (mut passed, mut refused) = (Vec::new(), Vec::new());
    for h in corpus::values_in(WATCH) {
        let Some(password) = h.text() else { continue };
        let case = &h.name;
        let db = TestDb::new("hvpw");
        db.exec(
            "CREATE TABLE t (id int PRIMARY KEY, v varchar(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; \
             INSERT INTO t VALUES (1, 'a'), (2, 'b'); CREATE TABLE t2 (id int PRIMARY KEY); \
             CREATE TRIGGER t2_bi BEFORE INSERT ON t2 FOR EACH ROW SET NEW.id = NEW.id + 1; \
             CREATE PROCEDURE p() SELECT 1",
        );
        let user = User::new(password);
        // t2 carries the trigger the backup must bring back: the reference file (compared
        // generically) has it, or it would be a held-back extra table.
        let reference = format!("{REFERENCE}\nCREATE TABLE t2 (id int PRIMARY KEY);\n");
        let site = Site::new(&db.name, &user.name, password, "", &reference);
        let out = site.apply(&["--online", "always"]);
        site.assert_nothing_injected(case, &out);
        if password.trim().len() >= 6 {
            assert!(
                !text(&out).contains(password),
                "{case}: the password was printed"
            );
        }
        match out.status.code() {
            Some(0) => {
                assert_eq!(secondary_indexes(&db.name, "t"), "1", "{case}");
                let dump = site.dump();
                let back = site.run(&["restore", "--backup", dump.to_str().unwrap(), "--yes"]);
                site.assert_nothing_injected(case, &back);
                assert!(back.status.success(), "{case}: restore\n{}", text(&back));
                assert_eq!(secondary_indexes(&db.name, "t"), "0", "{case}: rolled back");
                assert_eq!(
                    db.query("SELECT GROUP_CONCAT(v ORDER BY id) FROM t"),
                    ["a,b"],
                    "{case}"
                );
                assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"), ["1"]);
                assert_eq!(db.query("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"), ["1"]);
                passed.push(case.clone());
            }
            Some(2) => {
                assert_refusal(case, &out, "the database password (db_password)");
                assert!(site.backups().is_empty(), "{case}: a backup was taken");
                assert_eq!(secondary_indexes(&db.name, "t"), "0", "{case}: changed");
                refused.push(case.clone());
            }
            _ => panic!("{case}\n{}", text(&out)),
        }
    }
    // What has no escape in an option file (NUL) or does not fit its line is refused.
    assert_eq!(
        refused,
        ["nul", "long-line-split", "very-long"],
        "passed: {passed:?}"
    );
    assert!(passed.len() >= 40, "{passed:?}");
}

/// Each value as a database name and as the table prefix reaches the dump tool as a name (never
/// an option: `-rinjected`, `--result-file=w/injected`), pt-osc when it can address it (else
/// refused before the backup, and the run without pt-osc succeeds), and the client under
/// `restore`. Fails on the old code: the dump tool took a leading-dash name for an option and
/// wrote the dump into the watched folder; pt-osc was handed names it cannot address after the
/// backup was taken.
#[test]
fn every_name_is_a_name_to_each_program_or_is_refused() {
    let (mut passed, mut refused, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for h in corpus::values_in(WATCH) {
        let Some(v) = h.text() else { continue };
        let case = &h.name;
        let db = Database {
            name: format!("{v}{}", unique("")),
        };
        let table = format!("{v}t");
        if !try_root(&format!("CREATE DATABASE {}", quote_ident(&db.name)))
            || !try_root(&format!(
                "CREATE TABLE {}.{} (id int PRIMARY KEY, v varchar(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; INSERT INTO {0}.{1} VALUES (1, 'a')",
                quote_ident(&db.name),
                quote_ident(&table)
            ))
        {
            // Not a name the server can hold, so no database carries it.
            skipped.push(case.clone());
            continue;
        }
        let site = Site::new(&db.name, "root", "", v, REFERENCE);
        let out = site.apply(&["--backup", "tables", "--online", "always"]);
        site.assert_nothing_injected(case, &out);
        let out = match out.status.code() {
            Some(0) => out,
            Some(2) => {
                assert_refusal(case, &out, "");
                assert!(
                    text(&out).contains("pt-online-schema-change"),
                    "{case}\n{}",
                    text(&out)
                );
                assert!(site.backups().is_empty(), "{case}: a backup was taken");
                assert_eq!(secondary_indexes(&db.name, &table), "0", "{case}: changed");
                refused.push(case.clone());
                let again = site.apply(&["--backup", "tables", "--online", "never"]);
                site.assert_nothing_injected(case, &again);
                again
            }
            _ => panic!("{case}\n{}", text(&out)),
        };
        assert!(out.status.success(), "{case}\n{}", text(&out));
        assert_eq!(secondary_indexes(&db.name, &table), "1", "{case}");
        let dump = std::fs::read_to_string(site.dump()).unwrap();
        assert!(
            dump.contains(&format!("CREATE TABLE {} (", quote_ident(&table))),
            "{case}: the table is not in the backup"
        );
        let back = site.run(&[
            "restore",
            "--backup",
            site.dump().to_str().unwrap(),
            "--yes",
        ]);
        site.assert_nothing_injected(case, &back);
        assert!(back.status.success(), "{case}: restore\n{}", text(&back));
        assert_eq!(
            secondary_indexes(&db.name, &table),
            "0",
            "{case}: rolled back"
        );
        assert_eq!(
            in_db(&db.name, &format!("SELECT v FROM {}", quote_ident(&table))),
            "a"
        );
        passed.push(case.clone());
    }
    assert!(passed.len() >= 30, "passed {passed:?}, skipped {skipped:?}");
    for r in [
        "double-dash",
        "comma",
        "dot",
        "unicode",
        "dbi-dsn",
        "dbi-brackets",
    ] {
        assert!(
            refused.contains(&r.to_string()),
            "{r} not refused for pt-osc: {refused:?}"
        );
    }
}

/// Each value as a column's default and comment reaches pt-osc's `--alter` as SQL text (the
/// column then has exactly that default), or, when pt-osc would read it as a rename, a new
/// unique key or a primary key drop, is refused before the backup. Fails on the old code:
/// pt-osc stopped at the step, after the backup.
#[test]
fn every_literal_in_an_alter_is_carried_to_pt_osc_or_refused() {
    let (mut passed, mut refused) = (Vec::new(), Vec::new());
    for h in corpus::values_in(WATCH) {
        let Some(v) = h.text() else { continue };
        let case = &h.name;
        if v.chars().count() > 200 || v.contains('\0') || v.chars().any(|c| c as u32 > 0xffff) {
            continue;
        }
        let db = TestDb::new("hvalter");
        db.exec(
            "CREATE TABLE t (id int NOT NULL, v varchar(200) DEFAULT NULL, PRIMARY KEY (id)) \
             ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; INSERT INTO t (id) VALUES (1)",
        );
        let reference = format!(
            "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `v` varchar(200) DEFAULT {lit} COMMENT {lit},\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n",
            lit = quote_string(v)
        );
        let site = Site::new(&db.name, "root", "", "", &reference);
        let out = site.apply(&["--online", "always"]);
        site.assert_nothing_injected(case, &out);
        let default_hex = || {
            db.query("INSERT INTO t (id) VALUES (2); SELECT HEX(v) FROM t WHERE id = 2; DELETE FROM t WHERE id = 2")
        };
        let hex: String = v.bytes().map(|b| format!("{b:02X}")).collect();
        match out.status.code() {
            Some(0) => {
                assert_eq!(default_hex(), [hex], "{case}");
                passed.push(case.clone());
            }
            Some(2) => {
                assert_refusal(case, &out, "the ALTER of table `t`");
                assert!(site.backups().is_empty(), "{case}: a backup was taken");
                assert_eq!(default_hex(), ["NULL"], "{case}: changed");
                refused.push(case.clone());
            }
            _ => panic!("{case}\n{}", text(&out)),
        }
    }
    assert_eq!(
        refused,
        ["alter-rename", "alter-unique", "alter-drop-pk"],
        "passed: {passed:?}"
    );
    assert!(passed.len() >= 35, "{passed:?}");
}

/// A dump whose lines are client commands (what a table name with a newline became in older
/// dump tools' comments, CVE-2024-21096): `restore` runs none of them. Fails on the old code:
/// the client ran `\!` and `system` commands and `\e` ran $EDITOR.
#[test]
fn the_client_loading_a_dump_runs_no_client_command() {
    let db = TestDb::new("hvsandbox");
    let site = Site::new(&db.name, "root", "", "", REFERENCE);
    let w = site.path().join(WATCH);
    let other = site.path().join("other.sql");
    std::fs::write(&other, "CREATE TABLE sourced (id int);\n").unwrap();
    let dump = site.path().join("dump.sql");
    std::fs::write(
        &dump,
        format!(
            "-- Table structure for table `x\n\\! touch {w}/system1\nsystem touch {w}/system2\n\\. {o}\n\\T {w}/tee\n\\e\n\
             connect {db}\nCREATE TABLE loaded (id int);\n-- Dump completed on 2026-01-01\n",
            w = w.display(),
            o = other.display(),
            db = db.name
        ),
    )
    .unwrap();
    let out = bin()
        .current_dir(site.path())
        .env("EDITOR", format!("touch {}/editor", w.display()))
        .args([
            "restore",
            "--backup",
            dump.to_str().unwrap(),
            "--yes",
            "--config",
            "local.php",
        ])
        .output()
        .unwrap();
    let written: Vec<_> = std::fs::read_dir(&w)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        written.is_empty(),
        "the client ran commands: {written:?}\n{}",
        text(&out)
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        db.query("SHOW TABLES LIKE 'sourced'").is_empty(),
        "source ran"
    );
}

/// Fails on the old code: `apply --dry-run` passed without a dump tool, and the run then
/// stopped at the backup.
#[test]
fn a_dry_run_checks_the_dump_tool_as_the_run_would() {
    let db = TestDb::new("hvdry");
    db.exec("CREATE TABLE t (id int PRIMARY KEY, v varchar(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
    let site = Site::new(&db.name, "root", "", "", REFERENCE);
    let empty = scratch_dir();
    let run = |extra: &[&str]| {
        bin()
            .current_dir(site.path())
            .env("PATH", empty.path())
            .args([
                "apply",
                "--reference-file",
                "ref.sql",
                "--backup-dir",
                "backups",
                "--config",
                "local.php",
                "--online",
                "never",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    for extra in [&["--dry-run"][..], &["--yes"]] {
        let out = run(extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}\n{}", text(&out));
        assert!(
            text(&out).contains("neither mariadb-dump nor mysqldump is installed"),
            "{}",
            text(&out)
        );
        assert!(site.backups().is_empty());
    }
    assert_eq!(secondary_indexes(&db.name, "t"), "0");
    // Without a backup the dump tool is not needed: the dry run passes (1: differences remain).
    let out = run(&["--dry-run", "--no-backup"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}
