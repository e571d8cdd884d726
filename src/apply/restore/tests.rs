use super::*;

fn record(outcome: &str) -> ledger::Record {
    ledger::Record {
        id: 1,
        taken_at: "2026-12-07 16:40:05".into(),
        prefix: "a_".into(),
        run_id: 3,
        path: format!(
            "/var/backups/mautic-schema/mautic-20261207-164005/{}.sql",
            "x".repeat(90)
        ),
        sha256: "0".repeat(64),
        bytes: 1_234_567,
        tables: vec![("a_leads".into(), 1200), ("a_assets".into(), 5)],
        creates: vec!["a_new".into()],
        outcome: outcome.into(),
    }
}

fn verified() -> Verified {
    Verified {
        scan: scan::DumpScan::default(),
        record: Some(record("running")),
        replaced: vec!["a_leads".into(), "a_assets".into()],
        moved_out: vec!["a_new".into()],
        added: Vec::new(),
    }
}

#[test]
fn the_prompt_says_what_is_lost_and_what_is_untouched_in_80_columns() {
    let b = Backup {
        path: record("done").path.into(),
        bytes: 1_234_567,
        sha256: String::new(),
        tables: Vec::new(),
    };
    let losses = [Loss {
        table: "a_leads".into(),
        rows_now: 1203,
        rows_backup: 1200,
        written_since: Some(true),
    }];
    let lines = prompt_lines(&b, "mautic", &verified(), &losses, 180);
    let all = lines.join("\n");
    for l in &lines {
        assert!(
            l.chars().count() <= 80,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    assert!(
        all.contains("a_leads: 1203 rows now, 1200 in the backup, written since"),
        "{all}"
    );
    assert!(
        all.contains("everything written since 2026-12-07 16:40:05"),
        "{all}"
    );
    assert!(all.contains("untouched: 180 other table(s)"), "{all}");
    assert!(all.contains("prefix `a_`"), "{all}");
    assert!(all.contains("RENAME TABLE"), "{all}");
    let none = prompt_lines(&b, "mautic", &verified(), &[], 0).join("\n");
    assert!(
        none.contains("lost: nothing seen written since the backup"),
        "{none}"
    );
}

#[test]
fn the_list_marks_the_state_before_a_run_that_did_not_finish() {
    let lines = list_lines(&[record("running"), record("done")], "mautic");
    for l in &lines {
        assert!(l.chars().count() <= 80, "{l}");
    }
    let all = lines.join("\n");
    assert!(all.contains("before run 3, which did not finish"), "{all}");
    assert_eq!(all.matches("did not finish").count(), 1, "{all}");
    assert!(
        all.contains("2 table(s)") && all.contains("prefix `a_`"),
        "{all}"
    );
    assert!(list_lines(&[], "mautic")[0].contains("no backups recorded"));
}

/// The ledger is a table of the database, which whoever controls the database may rewrite:
/// every value of it is printed inert (no terminal escape, no forged line).
#[test]
fn the_list_prints_the_ledger_inert() {
    let mut r = record("done");
    r.taken_at = "2026-12-07\x1b[2J\nrestore with /tmp/evil.sql".into();
    r.prefix = "a_\x1b]0;x\x07".into();
    r.path = "/b/x.sql\nverified".into();
    let lines = list_lines(&[r], "mautic");
    for l in &lines {
        assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
    }
    assert!(
        !lines
            .iter()
            .any(|l| l.trim_start().starts_with("restore with")),
        "{lines:?}"
    );
}
