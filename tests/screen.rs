//! What an operator sees in an 80×24 terminal: the binary runs in a pseudo-terminal of that
//! size, its output goes through a VT100 parser, and the assertions read the SCREEN (what is
//! left on those 24 rows), not the bytes. The confirmation prompt with its summary; Ctrl-C
//! (sent as \x03 through the terminal, so the whole foreground group gets SIGINT, as from a
//! keyboard) during a direct ALTER and during pt-online-schema-change's copy: the screen says
//! what was interrupted, what it left and the command that resumes, the exit is non-zero, and
//! `check` names the interrupted run. Ctrl-C while `restore` loads its staging copy: the screen
//! says the live tables were never touched and nothing is left. An unreachable host says it is
//! waiting before its timeout.

mod common;
#[path = "online/support.rs"]
mod support;

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestDb, bin};
use support::*;

const ROWS: u16 = 24;
const COLS: u16 = 80;

/// The binary in a pseudo-terminal of 80×24: its own session, the terminal its controlling one.
struct Screen {
    child: Child,
    master: std::fs::File,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Screen {
    fn spawn(mut cmd: Command) -> Screen {
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: ROWS,
            ws_col: COLS,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty(3) fills two descriptors; the size is ours.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &size,
            )
        };
        assert_eq!(r, 0, "openpty");
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().unwrap());
        cmd.stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave))
            .env("TERM", "xterm")
            .env_remove("COLUMNS")
            .env_remove("NO_COLOR");
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        drop(slave);
        let master = std::fs::File::from(master);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let mut out = master.try_clone().unwrap();
        let sink = Arc::clone(&parser);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // EIO once the child's side is closed: the end of its output.
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Screen {
            child,
            master,
            parser,
            reader: Some(reader),
        }
    }

    /// The 24 rows as they show, one string each (trailing blanks dropped).
    fn rows(&self) -> Vec<String> {
        let p = self.parser.lock().unwrap();
        p.screen()
            .rows(0, COLS)
            .map(|r| r.trim_end().to_string())
            .collect()
    }

    /// The rows from the first that starts with `head`, failing when the terminal had to
    /// wrap one of them (a line wider than the screen, cut wherever column 80 fell).
    fn assert_unbroken_from(&self, head: &str) {
        let p = self.parser.lock().unwrap();
        let screen = p.screen();
        let rows: Vec<String> = screen.rows(0, COLS).collect();
        let from = rows
            .iter()
            .position(|r| r.starts_with(head))
            .unwrap_or_else(|| panic!("no {head:?} row:\n{}", rows.join("\n")));
        for row in from..rows.len() {
            // A row the terminal wrapped is full to its last column (a row padded with
            // blanks to clear a spinner is flagged too, but ends in a blank).
            let cut = screen.row_wrapped(row as u16)
                && rows[row].chars().count() >= COLS as usize
                && !rows[row].ends_with(' ');
            assert!(
                !cut,
                "row {row} was cut by the terminal at {COLS} columns:\n{}",
                rows.join("\n")
            );
        }
    }

    /// The rows as one line of words: a sentence the program wrapped between words reads
    /// whole; one the terminal cut mid-word does not.
    fn words(&self) -> String {
        let rows = self.rows().join(" ");
        rows.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The screen as one line of words: a sentence wrapped across rows reads whole.
    fn text(&self) -> String {
        // `contents` joins a row the terminal wrapped with the next one without a break.
        let text = self.parser.lock().unwrap().screen().contents();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.text().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{what:?} never showed:\n{}",
                self.rows().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_keys(&mut self, keys: &[u8]) {
        self.master.write_all(keys).unwrap();
        self.master.flush().unwrap();
    }

    /// The exit code (None when killed by a signal), once the output is all on the screen.
    fn finish(&mut self) -> Option<i32> {
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "still running:\n{}",
                self.rows().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        // The reader ends at EIO; a grandchild (pt-osc) keeping the terminal open must not
        // hang the test: wait a little, then read what is there.
        let start = Instant::now();
        while self.reader.as_ref().is_some_and(|r| !r.is_finished())
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        status.code()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `apply` as the online tests run it, but asking: no `--yes`.
fn apply_on_a_terminal(db: &TestDb) -> Command {
    let mut cmd = bin();
    cmd.args(apply_args(&db.url()).into_iter().filter(|a| a != "--yes"));
    cmd
}

/// The summary and the question fit the 24 rows of an 80-column terminal, every summary line
/// whole (none wrapped), the question last; "n" refuses, non-zero, nothing changed.
#[test]
fn the_confirmation_prompt_fits_80x24() {
    let db = drifted("scrprompt", 20);
    let before = fingerprint(&db);
    let mut cmd = apply_on_a_terminal(&db);
    cmd.args(["--online", "never"]);
    let mut s = Screen::spawn(cmd);
    s.wait_for("[y/N]");
    let rows = s.rows();
    let shown = rows.join("\n");
    let summary = rows
        .iter()
        .position(|r| r == "Summary:")
        .unwrap_or_else(|| panic!("the summary is not on the screen:\n{shown}"));
    let question = rows.iter().rposition(|r| !r.is_empty()).unwrap();
    assert!(
        rows[question].starts_with("Apply ") && rows[question].ends_with("[y/N]"),
        "the question is not the last line:\n{shown}"
    );
    // Each summary line is a label and its value on one row: none wrapped onto the next.
    for r in &rows[summary + 1..question] {
        assert!(
            r.starts_with("  ") && r.chars().nth(2).is_some_and(|c| c != ' '),
            "a summary line wrapped at 80 columns: {r:?}\n{shown}"
        );
    }
    for label in ["tables touched", "statements", "destructive", "backup"] {
        assert!(
            rows[summary..question]
                .iter()
                .any(|r| r.trim_start().starts_with(label)),
            "{label} missing:\n{shown}"
        );
    }
    s.type_keys(b"n\r");
    let code = s.finish();
    assert_eq!(code, Some(2), "{}", s.rows().join("\n"));
    assert!(
        s.text().contains("not confirmed: nothing was changed"),
        "{}",
        s.rows().join("\n")
    );
    assert_eq!(fingerprint(&db), before);
}

fn alter_running(db: &TestDb) -> Vec<String> {
    db.query(&format!(
        "SELECT STATE FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'ALTER TABLE `children`%'",
        db.name
    ))
}

/// What `check` says of the database after the interruption (the verdict its last line).
fn check_says(db: &TestDb) -> String {
    let (shown, _) = check_outputs(db);
    shown
}

/// Ctrl-C typed while the server runs a direct ALTER (held at its metadata lock by an open
/// transaction): the screen says the statement was killed on the server, that the table is as
/// it was, and the command that resumes; exit non-zero; `check` names the interrupted run.
#[test]
fn ctrl_c_during_a_direct_alter_reads_right_at_80x24() {
    let db = drifted_tables("scrdirect", 200, &["children"]);
    let mut blocker = Command::new("mariadb")
        .args(["-h127.0.0.1", "-uroot", &db.name, "-e"])
        .arg("START TRANSACTION; SELECT COUNT(*) FROM children; SELECT SLEEP(120);")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the blocker's transaction", || {
        !db.query(&format!("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '{}' AND INFO LIKE 'SELECT SLEEP%'", db.name)).is_empty()
    });
    let mut cmd = bin();
    cmd.args(apply_args(&db.url()))
        .args(["--online", "never", "--lock-wait-timeout", "300"]);
    let mut s = Screen::spawn(cmd);
    wait_until("the ALTER waiting for its lock", || {
        alter_running(&db)
            .iter()
            .any(|st| st.contains("metadata lock"))
    });
    s.type_keys(b"\x03");
    let code = s.finish();
    let _ = blocker.kill();
    let _ = blocker.wait();
    let screen = s.rows().join("\n");
    // Read as the rows show it: wrapped between words by the program, not cut by the terminal.
    s.assert_unbroken_from("interrupted: stopping safely");
    let text = s.words();
    assert!(code.is_some_and(|c| c != 0), "exit {code:?}:\n{screen}");
    for said in [
        // What was interrupted.
        "interrupted (Ctrl-C) during statement 1 of 1",
        // What it left.
        "killed on the server (KILL QUERY)",
        "the table is as it was",
        // The command that resumes.
        "rerun the same `mautic-schema apply` to resume",
    ] {
        assert!(text.contains(said), "{said:?} not on the screen:\n{screen}");
    }
    wait_until("the killed ALTER to go", || alter_running(&db).is_empty());
    let shown = check_says(&db);
    assert!(
        shown.contains("Interrupted: apply run 1 stopped after 0 statement(s)"),
        "{shown}"
    );
}

/// Ctrl-C typed while pt-online-schema-change copies (held in its copy by a load limit it
/// never meets): its triggers and copy are removed, and the screen says so, with the command
/// that resumes; exit non-zero; `check` names the interrupted run; nothing of pt-osc is left.
#[test]
fn ctrl_c_during_an_online_copy_reads_right_at_80x24() {
    let db = drifted_tables("scronline", 500, &["children"]);
    let mut cmd = bin();
    cmd.args(apply_args(&db.url())).args([
        "--online",
        "always",
        "--online-max-load",
        "Threads_connected=1",
    ]);
    let mut s = Screen::spawn(cmd);
    wait_until("pt-osc's triggers", || {
        leftovers(&db)
            .iter()
            .filter(|l| l.starts_with("pt_osc_"))
            .count()
            == 3
    });
    s.type_keys(b"\x03");
    let code = s.finish();
    let screen = s.rows().join("\n");
    // Read as the rows show it: wrapped between words by the program, not cut by the terminal.
    // pt-osc's relayed lines too.
    s.assert_unbroken_from("  [pt-online-schema-change children]");
    let text = s.words();
    assert!(code.is_some_and(|c| c != 0), "exit {code:?}:\n{screen}");
    for said in [
        "interrupted (Ctrl-C) during statement 1 of 1",
        "stopped while it copied",
        "the table is as it was",
        "rerun the same `mautic-schema apply` to resume",
    ] {
        assert!(text.contains(said), "{said:?} not on the screen:\n{screen}");
    }
    wait_until("pt-osc to end", || pid_of_pt_osc(&db).is_none());
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
    let shown = check_says(&db);
    assert!(
        shown.contains("Interrupted: apply run 1 stopped after 0 statement(s)"),
        "{shown}"
    );
}

/// The restore databases of `db` (by their markers).
fn restore_dbs(db: &TestDb) -> Vec<String> {
    common::marked_for(&db.name, "_ms_marker", "\\_ms\\_%\\_rst\\_%")
}

/// Ctrl-C typed while `restore` has its client loading the backup into the staging copy (the
/// client, in the same foreground group, gets SIGINT too), and at its question: the screen says
/// what was interrupted, that the live tables were never touched and that nothing is left,
/// every row whole at 80 columns; exit non-zero at once (no Enter needed at the question); the
/// tables are as they were, no staging copy is left, and `check` says the database is in sync
/// with no interrupted run.
#[test]
fn ctrl_c_during_a_restore_reads_right_at_80x24() {
    // (test pause, shown when to type Ctrl-C, what was interrupted)
    let cases = [
        (
            Some("restore-loading"),
            "test pause: restore-loading",
            "interrupted (Ctrl-C) while the client loaded the backup into the staging copy",
        ),
        (
            None,
            "Restore? [y/N]",
            "interrupted (Ctrl-C) at the question",
        ),
    ];
    for (pause, shown, what) in cases {
        let db = drifted("scrrestore", 300);
        let backups = common::scratch_dir();
        let o = bin()
            .args(
                apply_args(&db.url())
                    .into_iter()
                    .filter(|a| a != "--no-backup"),
            )
            .args(["--online", "never", "--backup-dir"])
            .arg(backups.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));
        let dump = common::sql_files(backups.path()).pop().expect("a dump");
        let (prints, sums) = (fingerprint(&db), checksums(&db));
        let mut cmd = bin();
        cmd.args(["restore", "--url", &db.url(), "--backup"])
            .arg(&dump);
        if let Some(point) = pause {
            cmd.arg("--yes").env("MAUTIC_SCHEMA_TEST_PAUSE", point);
        }
        let mut s = Screen::spawn(cmd);
        s.wait_for(shown);
        s.type_keys(b"\x03");
        let code = s.finish();
        let screen = s.rows().join("\n");
        s.assert_unbroken_from("interrupted: stopping safely");
        let text = s.words();
        assert!(code.is_some_and(|c| c != 0), "exit {code:?}:\n{screen}");
        for said in [
            // What was interrupted.
            what,
            // That the live tables were never touched, and what is left.
            "the restore stopped before its swap",
            "were never touched; nothing is left behind",
        ] {
            assert!(text.contains(said), "{said:?} not on the screen:\n{screen}");
        }
        assert!(
            !text.contains("loading the staging copy failed"),
            "the client's death reads as a failure:\n{screen}"
        );
        assert_eq!((fingerprint(&db), checksums(&db)), (prints, sums));
        assert!(restore_dbs(&db).is_empty(), "{:?}", restore_dbs(&db));
        assert_eq!(check_code(&db), Some(0));
        let said = check_says(&db);
        assert!(
            said.contains("In sync") && !said.contains("nterrupted"),
            "{said}"
        );
    }
}

/// A host that never answers (10.255.255.1 is not routed: the SYN goes unanswered): a line
/// on stderr says where it waits and for how long at most, well before the timeout's error.
#[test]
fn an_unreachable_host_says_it_is_waiting() {
    let mut cmd = bin();
    cmd.args(["check", "--url", "mysql://root@10.255.255.1:3306/x"]);
    let start = Instant::now();
    let mut s = Screen::spawn(cmd);
    s.wait_for("waiting for 10.255.255.1:3306 to answer (at most 10 s)");
    let shown_after = start.elapsed();
    assert!(
        shown_after < Duration::from_secs(5),
        "shown after {shown_after:?}"
    );
    assert!(!s.text().contains("error:"), "{}", s.rows().join("\n"));
    // How the attempt ends depends on the network (the timeout, or a reset): an error, exit 2.
    assert_eq!(s.finish(), Some(2), "{}", s.rows().join("\n"));
    assert!(
        s.text().contains("error: cannot connect"),
        "{}",
        s.rows().join("\n")
    );
    // A server that answers at once says nothing of the kind.
    let db = TestDb::new("scrfast");
    let o = bin()
        .args(["check", "--url", &db.url(), "--reference-file"])
        .arg(reference())
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("waiting for"),
        "{o:?}"
    );
}
