//! An online change (pt-online-schema-change's copy, then our swap) interrupted at every point,
//! by kill -9 and by Ctrl-C (SIGINT), against the real MariaDB. The run stops at a named point
//! deterministically (`MAUTIC_SCHEMA_TEST_PAUSE`, or pt-osc held in its copy by a load limit it
//! can never meet); then `check` must name the interrupted run and what it left, and one rerun
//! of `apply` must finish with every row intact (values and CHECKSUM TABLE equal to a database
//! converged by the server's own ALTER), nothing left over, in sync, exit 0. Also: Ctrl-C
//! during a direct ALTER kills it on the server instead of leaving it running.

mod common;
#[path = "online/support.rs"]
mod support;

use common::{TestDb, bin, text};
use support::*;

const ROWS: u32 = 3000;

/// Where the non-parent table (`children`: a RENAME swap) and the parent (`parents`: dropped,
/// then the copy renamed in) can be interrupted: pt-osc copying, its copy complete but not yet
/// journalled, journalled, between the swap's statements, before the final ALTER, after it.
const CHILD_POINTS: [&str; 6] = [
    "copying",
    "after-copy",
    "copied",
    "after-swap-rename",
    "after-drop-old",
    "after-finish",
];
const PARENT_POINTS: [&str; 6] = [
    "copying",
    "after-copy",
    "copied",
    "after-drop-original",
    "after-rename-copy",
    "after-finish",
];

/// CHECKSUM TABLE of a database with the same rows converged by the server's own ALTER.
fn expected_checksums(table: &str) -> Vec<String> {
    let db = drifted_tables(&format!("twin{table}"), ROWS, &[table]);
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    checksums(&db)
}

/// Start `apply --online always` on `db`, stopped at `point`.
fn start_paused(db: &TestDb, point: &str) -> Running {
    let mut cmd = bin();
    cmd.args(apply_args(&db.url())).args(["--online", "always"]);
    if point == "copying" {
        // Always exceeded (pt-osc alone holds two connections): the copy pauses with its
        // triggers and copy in place.
        cmd.args(["--online-max-load", "Threads_connected=1"]);
    } else {
        cmd.env("MAUTIC_SCHEMA_TEST_PAUSE", point);
    }
    let run = Running::spawn(cmd);
    if point == "copying" {
        run.wait_for("Copying approximately");
        wait_until("pt-osc's triggers", || {
            leftovers(db)
                .iter()
                .filter(|l| l.starts_with("pt_osc_"))
                .count()
                == 3
        });
    } else {
        run.wait_for(&format!("test pause: {point}"));
    }
    run
}

/// Interrupt the change of `table` at `point` with `sig`, look with `check`, rerun.
fn interrupt_and_rerun(table: &str, point: &str, sig: i32, expected: &[String]) {
    let what = format!("{table} at {point} by signal {sig}");
    let db = drifted_tables(&format!("k{sig}{table}"), ROWS, &[table]);
    let before = fingerprint(&db);
    let run = start_paused(&db, point);
    run.signal(sig);
    let (code, err) = run.finish();
    if sig == libc::SIGINT {
        // Ctrl-C is never silent: what was interrupted, what it left, how to resume.
        assert_eq!(code, Some(2), "{what}: {err}");
        assert!(
            err.contains("interrupted: stopping safely"),
            "{what}: {err}"
        );
        assert!(
            err.contains("error: interrupted (Ctrl-C) during statement 1 of 1"),
            "{what}: {err}"
        );
        assert!(
            err.contains("rerun the same `mautic-schema apply` to resume"),
            "{what}: {err}"
        );
        if point == "copying" {
            assert!(
                err.contains("stopped while it copied") && err.contains("the table is as it was"),
                "{what}: {err}"
            );
        } else {
            // Once the copy is complete the swap is finished first.
            assert!(err.contains("it completed"), "{what}: {err}");
        }
    } else {
        assert_eq!(code, None, "{what}: killed");
    }
    wait_until("pt-osc to end", || pid_of_pt_osc(&db).is_none());

    let (shown, doc) = check_outputs(&db);
    assert!(
        shown.contains("interrupted: apply run 1 stopped after"),
        "{what}: {shown}"
    );
    assert_eq!(doc["interrupted_run"]["run_id"], 1, "{what}: {doc:#}");
    let online = doc["interrupted_run"]["online"].as_array().unwrap();
    if sig == libc::SIGKILL {
        // A kill leaves the change unfinished: check names it, and what is left of it.
        assert_eq!(online.len(), 1, "{what}: {doc:#}");
        assert_eq!(online[0]["table"], table, "{what}");
        assert!(
            shown.contains(&format!("`{table}` (pt-online-schema-change online change")),
            "{what}: {shown}"
        );
        if point != "after-finish" {
            assert!(
                !online[0]["left"].as_array().unwrap().is_empty(),
                "{what}: {doc:#}"
            );
        }
    } else {
        // Ctrl-C removed the copy or finished the swap: nothing of the change is left.
        assert!(online.is_empty(), "{what}: {doc:#}");
        assert!(leftovers(&db).is_empty(), "{what}: {:?}", leftovers(&db));
    }

    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{what}: {}", text(&o));
    assert_eq!(leftovers(&db), Vec::<String>::new(), "{what}");
    assert_eq!(check_code(&db), Some(0), "{what}");
    assert_eq!(fingerprint(&db), before, "{what}: rows changed");
    assert_eq!(checksums(&db), expected, "{what}: CHECKSUM TABLE");
    assert_eq!(
        fk_names(&db),
        vec!["children.FK_CHILD_PARENT->parents"],
        "{what}"
    );
    let (shown, doc) = check_outputs(&db);
    assert!(
        !shown.contains("interrupted:") && doc.get("interrupted_run").is_none(),
        "{what}: {shown}"
    );
}

#[test]
fn kill_9_at_every_point_of_a_rename_swap() {
    let expected = expected_checksums("children");
    for point in CHILD_POINTS {
        interrupt_and_rerun("children", point, libc::SIGKILL, &expected);
    }
}

#[test]
fn kill_9_at_every_point_of_a_parents_swap() {
    let expected = expected_checksums("parents");
    for point in PARENT_POINTS {
        interrupt_and_rerun("parents", point, libc::SIGKILL, &expected);
    }
}

#[test]
fn ctrl_c_at_every_point_of_a_rename_swap() {
    let expected = expected_checksums("children");
    for point in CHILD_POINTS {
        interrupt_and_rerun("children", point, libc::SIGINT, &expected);
    }
}

#[test]
fn ctrl_c_at_every_point_of_a_parents_swap() {
    let expected = expected_checksums("parents");
    for point in PARENT_POINTS {
        interrupt_and_rerun("parents", point, libc::SIGINT, &expected);
    }
}

/// The server's ALTER of `children`, as the processlist shows it while it runs.
fn alter_running(db: &TestDb) -> Vec<String> {
    db.query(&format!(
        "SELECT STATE FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'ALTER TABLE `children`%'",
        db.name
    ))
}

/// Ctrl-C while the server runs a direct ALTER (here held at its metadata lock by an open
/// transaction): the statement is killed on the server, not left to run after we exit, and
/// the message says so. Before, the process died and the ALTER ran on once the lock was free.
#[test]
fn ctrl_c_kills_a_direct_alter_on_the_server() {
    let db = drifted_tables("ctrlcdirect", 500, &["children"]);
    // A transaction that read the table holds its metadata lock until it ends.
    let mut blocker = std::process::Command::new("mariadb")
        .args(["-h127.0.0.1", "-uroot", &db.name, "-e"])
        .arg("START TRANSACTION; SELECT COUNT(*) FROM children; SELECT SLEEP(120);")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the blocker's transaction", || {
        !db.query(&format!("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'SELECT SLEEP%'", db.name)).is_empty()
    });
    let mut cmd = bin();
    cmd.args(apply_args(&db.url()))
        .args(["--online", "never", "--lock-wait-timeout", "300"]);
    let run = Running::spawn(cmd);
    wait_until("the ALTER waiting for its lock", || {
        alter_running(&db)
            .iter()
            .any(|s| s.contains("metadata lock"))
    });
    run.signal(libc::SIGINT);
    let (code, err) = run.finish();
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("interrupted: stopping safely"), "{err}");
    assert!(
        err.contains("killed on the server (KILL QUERY)") && err.contains("the table is as it was"),
        "{err}"
    );
    wait_until("the killed ALTER to go", || alter_running(&db).is_empty());
    let (shown, doc) = check_outputs(&db);
    assert!(
        shown.contains("interrupted: apply run 1 stopped after 0 statement(s)"),
        "{shown}"
    );
    assert_eq!(doc["interrupted_run"]["run_id"], 1);
    let _ = blocker.kill();
    let _ = blocker.wait();
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(check_code(&db), Some(0));
}

/// kill -9 inside a parent's swap (the original dropped, the complete copy not yet renamed),
/// then the user follows `diff`, which offers a CREATE TABLE for the "missing" table, and runs
/// `apply` again. The old recovery took the new empty table for the original and dropped the
/// copy: every row gone, exit 0. Now the rerun stops and touches nothing, says why and what to
/// do; done that, the next rerun renames the copy in and every row is back.
#[test]
fn following_diff_after_a_kill_inside_the_swap_never_loses_the_copy() {
    let db = drifted_tables("diffafterkill", ROWS, &["parents"]);
    let before = fingerprint(&db);
    let run = start_paused(&db, "after-drop-original");
    run.signal(libc::SIGKILL);
    run.finish();
    let diff = bin()
        .args(["diff", "--url", &db.url(), "--strict", "--reference-file"])
        .arg(reference())
        .output()
        .unwrap();
    let sql = String::from_utf8_lossy(&diff.stdout).into_owned();
    assert!(sql.contains("CREATE TABLE `parents`"), "{sql}");
    let mut client = std::process::Command::new("mariadb")
        .args(["-h127.0.0.1", "-uroot", &db.name])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    client
        .stdin
        .take()
        .unwrap()
        .write_all(sql.as_bytes())
        .unwrap();
    assert!(client.wait().unwrap().success());
    let copy = db.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_parents\\_ms%\\_new'",
    );
    assert_eq!(copy.len(), 1, "{:?}", leftovers(&db));
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("is not the original") && t.contains("holds the rows"),
        "{t}"
    );
    assert_eq!(
        db.query(&format!("SELECT COUNT(*) FROM `{}`", copy[0])),
        [ROWS.to_string()]
    );
    db.exec("SET foreign_key_checks = 0; DROP TABLE parents");
    let o = bin()
        .args(apply_args(&db.url()))
        .args(["--online", "always"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(fingerprint(&db), before);
    assert_eq!(leftovers(&db), Vec::<String>::new());
    assert_eq!(check_code(&db), Some(0));
}
