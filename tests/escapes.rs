//! Values from local.php or the database reach every text output escaped: a table prefix
//! holding a terminal escape (`ESC [2J` clears the screen) and a line break (which forges a
//! line of output) goes through check, preflight, report, apply's dry run and the fleet's
//! lines, and no output carries either raw. (`diff` and the SQL `apply --dry-run` prints keep
//! identifiers exact, to run; their comments are checked by the hostile-names tests.)

mod common;

use common::{TestDb, bin, text};

const PREFIX: &str = "p\u{1b}[2J\nq_";

#[test]
fn a_hostile_prefix_is_escaped_on_every_text_path() {
    let db = TestDb::new("escapes");
    let reference =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql");
    db.load(&reference);
    let tables = db
        .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
    let q = |t: &str| format!("`{}`", t.replace('`', "``"));
    let mut sql = String::new();
    for t in &tables {
        sql.push_str(&format!(
            "CREATE TABLE {} LIKE {}; DROP TABLE {};",
            q(&format!("{PREFIX}{t}")),
            q(t),
            q(t)
        ));
    }
    // Drift to name: a missing column; and the index whose presence makes a migration skip
    // itself (its guard names the prefixed index in preflight's verdict line).
    sql.push_str(&format!(
        "ALTER TABLE {} DROP COLUMN description; CREATE INDEX {} ON {} (alias);",
        q(&format!("{PREFIX}assets")),
        q(&format!("{PREFIX}lead_list_alias")),
        q(&format!("{PREFIX}lead_lists"))
    ));
    db.exec(&format!("SET FOREIGN_KEY_CHECKS=0; {sql}"));
    let dir = db.scratch("site");
    std::fs::create_dir_all(dir.join("app/config")).unwrap();
    std::fs::write(
        dir.join("app/config/local.php"),
        format!(
            "<?php\n$parameters = array(\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => \"p\\e[2J\\nq_\",\n\t'db_port' => 3306,\n\t'db_name' => '{}',\n\t'db_user' => 'root',\n);\n",
            db.name
        ),
    )
    .unwrap();
    let site = dir.display().to_string();
    let runs: &[&[&str]] = &[
        &["check", "--target", "4.3.0", "--mautic-dir", &site],
        &[
            "check",
            "--target",
            "4.3.0",
            "--brief",
            "--mautic-dir",
            &site,
        ],
        &[
            "check",
            "--target",
            "4.3.0",
            "--brief",
            "--format",
            "json",
            "--mautic-dir",
            &site,
        ],
        &[
            "check",
            "--target",
            "4.3.0",
            "--format",
            "diff",
            "--mautic-dir",
            &site,
        ],
        &["preflight", "--to", "5.1.1", "--mautic-dir", &site],
        &[
            "preflight",
            "--to",
            "5.1.1",
            "--brief",
            "--mautic-dir",
            &site,
        ],
        &[
            "report",
            "--target",
            "4.3.0",
            "--to",
            "5.1.1",
            "--mautic-dir",
            &site,
        ],
        &[
            "report",
            "--no-redact",
            "--target",
            "4.3.0",
            "--mautic-dir",
            &site,
        ],
        &[
            "apply",
            "--target",
            "4.3.0",
            "--dry-run",
            "--mautic-dir",
            &site,
        ],
    ];
    for args in runs {
        let o = bin().env_remove("COLUMNS").args(*args).output().unwrap();
        // apply's dry run prints diff's SQL on stdout (exact identifiers, to run); what it
        // says besides goes to stderr.
        let all = if args[0] == "apply" {
            String::from_utf8_lossy(&o.stderr).into_owned()
        } else {
            text(&o)
        };
        assert_ne!(o.status.code(), Some(2), "{args:?}: {all}");
        assert!(!all.contains('\u{1b}'), "{args:?} printed ESC raw:\n{all}");
        assert!(
            !all.contains("\nq_"),
            "{args:?} broke a line inside the prefix:\n{all}"
        );
        // Where the prefix shows, it shows escaped (Markdown escapes the backslash again).
        let shown = match (args[0], args.len()) {
            ("check", 5) => Some("p\\x1b[2J\\nq_assets"),
            ("preflight", 5) => Some("p\\x1b[2J\\nq_lead_list_alias"),
            _ => None,
        };
        if let Some(shown) = shown {
            // Wrapped text may break the line before the name, never inside it.
            assert!(
                all.contains(shown),
                "{args:?} does not show {shown}:\n{all}"
            );
        }
    }
}
