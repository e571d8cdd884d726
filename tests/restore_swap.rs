//! `restore` loads into a staging database and swaps the install's tables in with one
//! `RENAME TABLE` (issue 18 items 2 and 3): a reader querying every table every 20 ms sees no
//! error; a restore killed (SIGKILL) after loading, right before the swap or right after it
//! leaves the live database as it was or fully restored, and a rerun finishes with every
//! table's checksum exact; restoring one install's backup leaves another install's tables in
//! the same database byte for byte. Ctrl-C (SIGINT) at those points and during the client's
//! load stops before the swap with nothing left, or finishes a swap that has begun.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestDb, bin, corpus, text};

/// The database without the tool's backup ledger (which stays on purpose).
fn state(db: &TestDb) -> Vec<String> {
    db.snapshot()
        .into_iter()
        .filter(|l| !l.contains("mautic_schema_backups"))
        .collect()
}

fn restore_dbs(db: &TestDb) -> Vec<String> {
    common::marked_for(&db.name, "_ms_marker", "\\_ms\\_%\\_rst\\_%")
}

/// A Mautic 4 install with rows, `apply`'d to 5.1.1 (which changes a parent's key type and
/// creates tables); returns the state before apply and the recorded dump.
fn applied(db: &TestDb, prefix_args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let backups = common::scratch_dir();
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", "5.1.1", "--yes"])
        .args(["--online", "never", "--backup-dir"])
        .arg(backups.path())
        .args(prefix_args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dump = common::sql_files(backups.path()).pop().expect("a dump");
    (backups, dump)
}

fn mautic4(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&corpus("11-"));
    db.exec(
        "INSERT INTO leads (is_published, points, internal, social_cache, firstname, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', CONCAT('n', seq), NOW() FROM seq_1_to_500; \
         INSERT INTO lead_tags (tag) SELECT CONCAT('t', seq) FROM seq_1_to_40; \
         INSERT INTO lead_tags_xref (lead_id, tag_id) SELECT seq, 1 + seq % 40 FROM seq_1_to_500",
    );
    db
}

fn restore_cmd(db: &TestDb, dump: &Path) -> Command {
    let mut c = bin();
    c.args(["restore", "--url", &db.url(), "--yes", "--backup"])
        .arg(dump);
    c
}

#[test]
fn a_reader_sees_every_table_throughout() {
    let db = mautic4("rreader");
    let before = state(&db);
    let (_keep, dump) = applied(&db, &[]);
    let tables = db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'mautic\\_schema%'");
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let reads = Arc::new(Mutex::new(0u64));
    let reader = {
        let (stop, errors, reads) = (stop.clone(), errors.clone(), reads.clone());
        let name = db.name.clone();
        let tables = tables.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let p = mautic_schema::db::ConnectParams {
                    host: common::HOST,
                    port: common::PORT,
                    user: "root",
                    password: "",
                    database: &name,
                    socket: None,
                    tls: Default::default(),
                };
                let mut conn = mautic_schema::db::Db::connect(&p).await.unwrap();
                while !stop.load(Ordering::SeqCst) {
                    // Tables the run created are absent before the restore's swap moves
                    // them out; the backup's tables are there throughout.
                    for t in &tables {
                        let sql = format!("SELECT COUNT(*) FROM `{t}` WHERE 1 = 0");
                        if let Err(e) = conn.execute(&sql).await {
                            errors.lock().unwrap().push(format!("{t}: {e}"));
                        }
                    }
                    *reads.lock().unwrap() += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            });
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let o = restore_cmd(&db, &dump).output().unwrap();
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let created: Vec<String> = tables
        .iter()
        .filter(|t| !before.contains(t))
        .cloned()
        .collect();
    let errs: Vec<String> = errors
        .lock()
        .unwrap()
        .iter()
        .filter(|e| !created.iter().any(|c| e.starts_with(&format!("{c}:"))))
        .cloned()
        .collect();
    assert!(errs.is_empty(), "the reader saw errors: {errs:?}");
    assert!(*reads.lock().unwrap() > 5, "the reader barely ran");
    assert_eq!(state(&db), before);
    assert!(restore_dbs(&db).is_empty(), "{:?}", restore_dbs(&db));
}

/// A restore stopped at a test pause point (its stderr collected as it comes).
struct Paused {
    child: Child,
    err: Arc<Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

fn pause_at(db: &TestDb, dump: &Path, point: &str, extra: &[&str], stdout: Stdio) -> Paused {
    let mut child: Child = restore_cmd(db, dump)
        .args(extra)
        .env("MAUTIC_SCHEMA_TEST_PAUSE", point)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = Arc::new(Mutex::new(String::new()));
    let sink = err.clone();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            sink.lock().unwrap().push_str(&format!("{l}\n"));
        }
    });
    let start = Instant::now();
    while !err
        .lock()
        .unwrap()
        .contains(&format!("test pause: {point}"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "never reached {point}: {}",
            err.lock().unwrap()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before {point}: {}",
            err.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Paused { child, err, reader }
}

/// A restore stopped at a test pause point, then killed with SIGKILL.
fn kill_at(db: &TestDb, dump: &Path, point: &str) {
    let mut p = pause_at(db, dump, point, &[], Stdio::null());
    p.child.kill().unwrap();
    p.child.wait().unwrap();
    p.reader.join().unwrap();
}

/// The processes whose parent is `pid` (from /proc), with their command names.
fn children_of(pid: u32) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...: the name may hold spaces, the last ')' ends it.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let ppid = stat[close + 1..].split_whitespace().nth(1);
        if ppid == Some(&pid.to_string()) {
            out.push((
                stat[..open].trim().parse().unwrap(),
                stat[open + 1..close].to_string(),
            ));
        }
    }
    out
}

/// Whether process `pid` is still there under the name `comm`, and not a zombie.
fn alive(pid: u32, comm: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.contains(&format!("({comm})"))
            && s.rfind(')')
                .is_some_and(|c| !s[c + 1..].trim_start().starts_with('Z'))
    })
}

/// What a restore sent SIGINT said: its exit code, stderr, JSON document (`--format json`),
/// and the child processes it had when the signal came.
struct Interrupted {
    code: Option<i32>,
    err: String,
    doc: serde_json::Value,
    children: Vec<(u32, String)>,
}

/// A restore with `--format json` stopped at a test pause point, then sent SIGINT (as Ctrl-C,
/// to it alone: the client it runs gets nothing from us).
fn interrupt_at(db: &TestDb, dump: &Path, point: &str) -> Interrupted {
    let out = common::scratch_dir();
    let doc = out.path().join("stdout.json");
    let file = std::fs::File::create(&doc).unwrap();
    let mut p = pause_at(db, dump, point, &["--format", "json"], file.into());
    let children = children_of(p.child.id());
    // SAFETY: kill(2) on the child this test started and has not reaped.
    assert_eq!(
        unsafe { libc::kill(p.child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let start = Instant::now();
    let status = loop {
        if let Some(s) = p.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{point}: still running after SIGINT: {}",
            p.err.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    p.reader.join().unwrap();
    let err = p.err.lock().unwrap().clone();
    let text = std::fs::read_to_string(&doc).unwrap();
    Interrupted {
        code: status.code(),
        doc: serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{point}: no JSON document ({e}): {text:?}\n{err}")),
        err,
        children,
    }
}

/// Ctrl-C (SIGINT, not SIGKILL) at each point of a restore: before the swap, the live tables
/// are exactly as before it and nothing of the run is left; once swapped, the restore
/// finishes; either way the exit is 2 and the message says which, on one line for a pipe.
/// During the client's load, the client is stopped too (it gets no signal from us) and its
/// death is not reported as a failed load.
#[test]
fn ctrl_c_stops_a_restore_before_its_swap_or_finishes_it() {
    // (pause point, restored, what stderr says)
    let cases: &[(&str, bool, &[&str])] = &[
        (
            "restore-loading",
            false,
            &[
                "interrupted (Ctrl-C) while the client loaded the backup into the staging copy (the client was stopped)",
                "the restore stopped before its swap",
                "were never touched; nothing is left behind",
            ],
        ),
        (
            "restore-staged",
            false,
            &[
                "interrupted (Ctrl-C) after loading and checking the staging copy",
                "were never touched; nothing is left behind",
            ],
        ),
        (
            "restore-before-swap",
            false,
            &[
                "interrupted (Ctrl-C) right before the swap",
                "were never touched; nothing is left behind",
            ],
        ),
        (
            "restore-after-swap",
            true,
            &[
                "interrupted (Ctrl-C) once the swap had begun",
                "the restore finished despite it",
                "nothing is left behind",
            ],
        ),
    ];
    for (point, restored, says) in cases {
        let db = mautic4(&format!("ri{}", point.len()));
        let before = state(&db);
        let (_keep, dump) = applied(&db, &[]);
        let after_apply = state(&db);
        let Interrupted {
            code,
            err,
            doc,
            children,
        } = interrupt_at(&db, &dump, point);
        assert_eq!(code, Some(2), "{point}: {err}");
        // The error document of apply's Ctrl-C: exit 2, the refusal `interrupted`.
        assert_eq!(doc["error"]["refusal"], "interrupted", "{point}: {doc}");
        assert_eq!(doc["error"]["exit_code"], 2, "{point}: {doc}");
        assert!(
            err.contains("stopping safely"),
            "{point}: the first Ctrl-C is not said: {err}"
        );
        for said in *says {
            assert!(err.contains(said), "{point}: {said:?} not said: {err}");
        }
        assert!(
            !err.contains("loading the staging copy failed"),
            "{point}: reported as a failed load: {err}"
        );
        let want = if *restored { &before } else { &after_apply };
        assert_eq!(&state(&db), want, "{point}: the live tables are not exact");
        assert!(
            restore_dbs(&db).is_empty(),
            "{point}: left behind: {:?}",
            restore_dbs(&db)
        );
        if *point == "restore-loading" {
            assert!(
                !children.is_empty(),
                "{point}: no client running at the pause"
            );
            common::wait_until("the client to be gone", || {
                children.iter().all(|(pid, comm)| !alive(*pid, comm))
            });
        }
        // The next restore finds nothing to recover.
        if !restored {
            let o = restore_cmd(&db, &dump).output().unwrap();
            let out = text(&o);
            assert_eq!(o.status.code(), Some(0), "{point}: {out}");
            assert!(!out.contains("an interrupted restore"), "{point}: {out}");
            assert_eq!(state(&db), before, "{point}: the rerun did not restore");
        }
    }
}

#[test]
fn a_killed_restore_leaves_before_or_after_and_a_rerun_finishes() {
    for point in [
        "restore-staged",
        "restore-before-swap",
        "restore-after-swap",
    ] {
        let db = mautic4(&format!("rk{}", point.len()));
        let before = state(&db);
        let (_keep, dump) = applied(&db, &[]);
        let after_apply = state(&db);
        kill_at(&db, &dump, point);
        assert!(
            !restore_dbs(&db).is_empty(),
            "{point}: nothing left to recover"
        );
        if point == "restore-after-swap" {
            assert_eq!(state(&db), before, "{point}: not fully restored");
        } else {
            assert_eq!(state(&db), after_apply, "{point}: the live tables changed");
        }
        let o = restore_cmd(&db, &dump).output().unwrap();
        let out = text(&o);
        assert_eq!(o.status.code(), Some(0), "{point}: {out}");
        assert!(out.contains("an interrupted restore"), "{point}: {out}");
        if point == "restore-after-swap" {
            assert!(out.contains("had swapped"), "{point}: {out}");
        } else {
            assert!(out.contains("stopped before its swap"), "{point}: {out}");
        }
        assert_eq!(
            state(&db),
            before,
            "{point}: the rerun did not restore exactly"
        );
        assert!(
            restore_dbs(&db).is_empty(),
            "{point}: {:?}",
            restore_dbs(&db)
        );
    }
}

/// Checksums of the tables starting with `prefix`.
fn checksums(db: &TestDb, prefix: &str) -> Vec<String> {
    let tables = db.query(&format!(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '{prefix}%' ORDER BY 1"
    ));
    let sql: String = tables
        .iter()
        .map(|t| format!("SHOW CREATE TABLE `{t}`; CHECKSUM TABLE `{t}` EXTENDED;"))
        .collect();
    let mut out = tables;
    out.extend(db.query(&sql));
    out
}

#[test]
fn restoring_one_install_leaves_the_other_byte_for_byte() {
    let db = TestDb::new("rtwo");
    db.load(&corpus("11-"));
    let tables = db
        .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
    let mut sql = String::new();
    for t in &tables {
        for p in ["a_", "b_"] {
            sql.push_str(&format!(
                "CREATE TABLE `{p}{t}` LIKE `{t}`; INSERT INTO `{p}{t}` SELECT * FROM `{t}`;"
            ));
        }
        sql.push_str(&format!("SET FOREIGN_KEY_CHECKS = 0; DROP TABLE `{t}`;"));
    }
    for p in ["a_", "b_"] {
        sql.push_str(&format!(
            "INSERT INTO `{p}leads` (is_published, points, internal, social_cache, firstname, date_added) \
             SELECT 1, seq, 'a:0:{{}}', 'a:0:{{}}', CONCAT('{p}', seq), NOW() FROM seq_1_to_300;"
        ));
    }
    db.exec(&sql);
    let a_before = checksums(&db, "a\\_");
    let (_keep, dump) = applied(&db, &["--prefix", "a_"]);
    assert_ne!(checksums(&db, "a\\_"), a_before, "apply changed nothing");
    // Both installs keep writing after the backup.
    db.exec(
        "INSERT INTO b_leads (is_published, points, internal, social_cache, firstname, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', 'later', NOW() FROM seq_1_to_7",
    );
    let b_now = checksums(&db, "b\\_");
    let o = restore_cmd(&db, &dump).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(checksums(&db, "b\\_"), b_now, "b_ was touched");
    assert_eq!(
        checksums(&db, "a\\_"),
        a_before,
        "a_ is not as before apply"
    );
    assert!(restore_dbs(&db).is_empty());
}

/// `restore --list`: after a run that failed at a statement, its backup is listed as the state
/// before a run that did not finish, with its time, tables and size, in 80 columns.
#[test]
fn the_list_names_the_state_before_a_failed_run() {
    let db = TestDb::new("rlist");
    db.load(&corpus("11-"));
    db.exec("ALTER TABLE assets DROP COLUMN description");
    // An open transaction on assets: the ALTER gives up after the lock wait, after the backup.
    let mut holder = Command::new("mariadb")
        .args([
            "-h",
            common::HOST,
            "-P",
            &common::PORT.to_string(),
            "-uroot",
        ])
        .arg(&db.name)
        .args([
            "-e",
            "START TRANSACTION; SELECT COUNT(*) FROM assets; SELECT SLEEP(60);",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while db.query(&format!("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'SELECT SLEEP%'", db.name)) != vec!["1"] {
        assert!(start.elapsed() < Duration::from_secs(30), "no transaction");
        std::thread::sleep(Duration::from_millis(50));
    }
    let backups = common::scratch_dir();
    let o = bin()
        .args(["apply", "--url", &db.url(), "--target", "5.1.1", "--yes"])
        .args([
            "--online",
            "never",
            "--lock-wait-timeout",
            "2",
            "--backup-dir",
        ])
        .arg(backups.path())
        .output()
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let dump = common::sql_files(backups.path())
        .pop()
        .expect("the backup was taken");
    let o = bin()
        .args(["restore", "--list", "--url", &db.url()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out.contains("did not finish"), "{out}");
    assert!(
        out.contains("table(s)") && out.contains("prefix ``"),
        "{out}"
    );
    let name = dump.file_name().unwrap().to_string_lossy().into_owned();
    assert!(out.replace("\n    ", "").contains(&name), "{out}");
    for l in out.lines() {
        assert!(l.chars().count() <= 80, "{l}");
    }
}

/// On an 80-column terminal the restore's progress bar and every line it prints fit.
#[test]
fn the_progress_bar_fits_80_columns() {
    let db = mautic4("rbar");
    let (_keep, dump) = applied(&db, &[]);
    let o = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "stty cols 80 rows 24; '{}' restore --url '{}' --yes --progress always --backup '{}'",
            env!("CARGO_BIN_EXE_mautic-schema"),
            db.url(),
            dump.display()
        ))
        .arg("/dev/null")
        .output()
        .expect("script(1) runs");
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(shown.contains("restore: ["), "{shown}");
    for seg in drawn(&shown) {
        assert!(
            seg.chars().count() <= 80,
            "{} columns: {seg}",
            seg.chars().count()
        );
    }
}

/// Each drawn state of a line on a terminal: split at CR and LF, and at escape sequences (the
/// bar's "clear line"), which are left out.
fn drawn(shown: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escape = false;
    for c in shown.chars() {
        if c == '\u{1b}' {
            escape = true;
            out.push(String::new());
        } else if escape {
            escape = !c.is_ascii_alphabetic();
        } else if c == '\r' || c == '\n' {
            out.push(String::new());
        } else if let Some(l) = out.last_mut() {
            l.push(c);
        }
    }
    out
}

/// The prompt on an 80x24 terminal: what is replaced, what is lost (rows written since the
/// backup, per table), what stays untouched; answered "n", nothing changes and the staging
/// copy is gone.
#[test]
fn the_prompt_says_what_is_lost_in_80_columns() {
    let db = mautic4("rprompt");
    let (_keep, dump) = applied(&db, &[]);
    db.exec(
        "INSERT INTO leads (is_published, points, internal, social_cache, firstname, date_added) \
           SELECT 1, seq, 'a:0:{}', 'a:0:{}', 'since', NOW() FROM seq_1_to_3",
    );
    let now = state(&db);
    let mut child = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "stty cols 80 rows 24; '{}' restore --url '{}' --backup '{}'",
            env!("CARGO_BIN_EXE_mautic-schema"),
            db.url(),
            dump.display()
        ))
        .arg("/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script(1) runs");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    // Answer once the question is on the screen.
    let start = Instant::now();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(Duration::from_secs(1));
    while restore_dbs(&db).is_empty() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    std::io::Write::write_all(&mut stdin, b"n\n").unwrap();
    drop(stdin);
    child.wait().unwrap();
    let shown = reader.join().unwrap();
    assert!(shown.contains("Restore? [y/N]"), "{shown}");
    assert!(
        shown.contains("leads: 503 rows now, 500 in the backup"),
        "{shown}"
    );
    assert!(shown.contains("lost: everything written since"), "{shown}");
    assert!(shown.contains("untouched:"), "{shown}");
    assert!(
        shown.contains("not confirmed: nothing was changed"),
        "{shown}"
    );
    for l in drawn(&shown) {
        // The answer comes through script(1)'s piped stdin, which the terminal does not echo:
        // on a real one the typed "n" and Enter end the question's row, so what follows it on
        // this row starts a row of its own.
        let l = l.strip_prefix("Restore? [y/N] ").unwrap_or(&l);
        assert!(
            l.chars().count() <= 80,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    assert_eq!(state(&db), now);
    assert!(restore_dbs(&db).is_empty(), "{:?}", restore_dbs(&db));
}

/// A restore database planted as an interrupted run would leave it: `name` with a marker naming
/// `origin`, `run` and `role`.
fn plant(name: &str, origin: &str, run: &str, role: &str) {
    common::sql_root(&format!(
        "CREATE DATABASE `{name}`; CREATE TABLE `{name}`.`_ms_marker` (origin VARCHAR(64) NOT NULL, \
         prefix VARCHAR(191) NOT NULL, run VARCHAR(32) NOT NULL, role VARCHAR(8) NOT NULL, \
         created_at DATETIME NOT NULL); \
         INSERT INTO `{name}`.`_ms_marker` VALUES ('{origin}', '', '{run}', '{role}', NOW())"
    ));
}

fn exists(name: &str) -> bool {
    !common::query_root(&format!(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'"
    ))
    .is_empty()
}

/// Restore databases are named by the database's sha256, as the rehearsal's scratch copies
/// are; what a run of the earlier crc32 names left is still found by its marker, and two runs'
/// leftovers are each finished once. A look-alike whose marker names another database stays.
#[test]
fn leftovers_of_earlier_names_and_of_several_runs_are_recovered_once() {
    let db = mautic4("rleft");
    let before = state(&db);
    let (_keep, dump) = applied(&db, &[]);
    let family = mautic_schema::apply::restore::stage::family(&db.name);
    let legacy = format!("_ms_{:08x}_rst_", crc32fast::hash(db.name.as_bytes()));
    assert_ne!(family, legacy);
    let planted = [
        (format!("{legacy}s0000000000a1"), "a1", "stage"),
        (format!("{family}h0000000000b2"), "b2", "hold"),
        (format!("{family}s0000000000b2"), "b2", "stage"),
        (format!("{family}h0000000000d4"), "d4", "hold"),
        (format!("{family}s0000000000d4"), "d4", "stage"),
    ];
    for (name, run, role) in &planted {
        plant(name, &db.name, run, role);
    }
    let other = format!("{family}s0000000000c3");
    plant(&other, "another_database", "c3", "stage");
    let o = restore_cmd(&db, &dump).output().unwrap();
    // Lines wrapped at 80 columns, read as words.
    let out = text(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    let other_stayed = exists(&other);
    common::sql_root(&format!("DROP DATABASE IF EXISTS `{other}`"));
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        other_stayed,
        "another database's look-alike was dropped: {out}"
    );
    for run in ["a1", "b2", "d4"] {
        let said = format!("an interrupted restore (run {run}) stopped before its swap");
        assert_eq!(out.matches(&said).count(), 1, "{run}: {out}");
    }
    assert!(!out.contains("run c3"), "{out}");
    for (name, _, _) in &planted {
        assert!(!exists(name), "{name} left: {out}");
    }
    assert_eq!(state(&db), before);
    let names = mautic_schema::apply::restore::stage::names(&db.name);
    assert!(names.stage.starts_with(&family) && names.stage.len() <= 64);
}
