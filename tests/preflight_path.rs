//! `preflight` follows Mautic's upgrade path: for each class of refusal, a database where
//! Mautic's own statement really fails on this server (the statement is run and the server's
//! error number compared with the blocker's), and clean installs of each release line that
//! go to the next one with no false blocker.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestDb;

fn database_at(tag: &str, schema: &str, recorded: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{schema}.sql")));
    common::record_migrations_of(&db, recorded);
    db
}

fn blockers(v: &serde_json::Value) -> Vec<String> {
    failing(v, "BLOCKER")
}

fn failing(v: &serde_json::Value, status: &str) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| c["message"].as_str().unwrap().to_string())
        .collect()
}

/// One class of refusal: a database at `schema` (its migrations of `recorded` recorded) where
/// `setup` puts an object in the way of migration `version`, going to `to`.
struct Case {
    tag: &'static str,
    schema: &'static str,
    recorded: &'static str,
    to: &'static str,
    version: &'static str,
    setup: &'static str,
    /// The server's error, as the check names it.
    want: &'static str,
    /// BLOCKER, or warning when the migration's guard cannot be read.
    status: &'static str,
    /// The statement that fails, when it is not one of effects.tsv (a migration that walks
    /// the whole database); empty: the migration's own statements.
    sql: &'static str,
}

const CASES: &[Case] = &[
    // 5.0's contact_export_scheduler key, its name held by a table of another install.
    Case {
        tag: "pp121",
        schema: "4.3.0",
        recorded: "4.4.13",
        to: "5.0.0",
        version: "20220429091934",
        setup: "CREATE TABLE other_users (id INT UNSIGNED NOT NULL, PRIMARY KEY(id)); \
                CREATE TABLE other_scheduler (user_id INT UNSIGNED NOT NULL, INDEX (user_id), \
                CONSTRAINT FK_1483A5E9A76ED395 FOREIGN KEY (user_id) REFERENCES other_users (id))",
        want: "1005 (errno 121)",
        status: "BLOCKER",
        sql: "",
    },
    // The same key towards a users table that is gone (MariaDB refuses to retype users.id
    // under its keys: 1833).
    Case {
        tag: "pp150",
        schema: "4.3.0",
        recorded: "4.4.13",
        to: "5.0.0",
        version: "20220429091934",
        setup: "SET FOREIGN_KEY_CHECKS=0; DROP TABLE users; SET FOREIGN_KEY_CHECKS=1",
        want: "1005 (errno 150)",
        status: "BLOCKER",
        sql: "",
    },
    // 5.0's CREATE INDEX focus_name on a legacy COMPACT table with a VARCHAR(255) name (a
    // table that wide is only made COMPACT without InnoDB's strict mode: row size).
    Case {
        tag: "pp1071",
        schema: "4.3.0",
        recorded: "4.4.13",
        to: "5.0.0",
        version: "20230424083829",
        setup: "SET SESSION innodb_strict_mode=0; \
                ALTER TABLE focus ROW_FORMAT=COMPACT, MODIFY name VARCHAR(255) NOT NULL",
        want: "1709",
        status: "BLOCKER",
        sql: "",
    },
    // 5.1's Version20190524124819 adds lead_fields.is_index and char_length_limit, skipped
    // only when is_index exists: a char_length_limit made beforehand stops it.
    Case {
        tag: "pp1060",
        schema: "5.0.0",
        recorded: "5.0.0",
        to: "5.1.0",
        version: "20190524124819",
        setup: "ALTER TABLE lead_fields ADD char_length_limit INT DEFAULT NULL",
        want: "1060",
        status: "BLOCKER",
        sql: "",
    },
    // 3.0's Version20191219155630 creates sync_object_field_change_report and
    // sync_object_mapping, skipped only when the first exists: a leftover second stops it.
    Case {
        tag: "pp1050",
        schema: "2.15.3",
        recorded: "2.15.3",
        to: "3.0.0",
        version: "20191219155630",
        setup: "CREATE TABLE sync_object_mapping (id INT NOT NULL, PRIMARY KEY(id))",
        want: "1050",
        status: "BLOCKER",
        sql: "",
    },
    // 4.0's CHANGE of assets.remote_path, the column gone.
    Case {
        tag: "pp1054",
        schema: "3.3.2",
        recorded: "3.3.2",
        to: "4.0.0",
        version: "20201228041109",
        setup: "ALTER TABLE assets DROP COLUMN remote_path",
        want: "1054",
        status: "BLOCKER",
        sql: "",
    },
    // 6.0's Version20211020114811 (a "data" migration by its kind) drops
    // companies.company_match by name; its guard cannot be read, so a warning.
    Case {
        tag: "pp1091",
        schema: "5.2.0",
        recorded: "5.2.0",
        to: "6.0.3",
        version: "20211020114811",
        setup: "DROP INDEX company_match ON companies",
        want: "1091",
        status: "warning",
        sql: "",
    },
    // The same migration converts every table of the database not in utf8mb4_unicode_ci, the
    // install's or not: another application's utf8 table whose key outgrows COMPACT rows.
    Case {
        tag: "ppwalk",
        schema: "5.2.0",
        recorded: "5.2.0",
        to: "6.0.3",
        version: "20211020114811",
        setup: "CREATE TABLE app_notes (id INT NOT NULL, title VARCHAR(255), PRIMARY KEY(id), \
                INDEX (title)) DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci ROW_FORMAT=COMPACT",
        want: "1709",
        status: "warning",
        sql: "ALTER TABLE app_notes CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    },
];

/// The statements of one migration as effects.tsv has them, each once, in order (one
/// statement gives a row per clause; rows of one step may be different statements).
fn statements(version: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-index/effects.tsv"),
    )
    .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == version && f[1] != "0" && !f[6].is_empty())
        .filter(|f| seen.insert(f[6].to_string()))
        .map(|f| {
            f[6].replace("\\n", "\n")
                .replace("\\t", "\t")
                .replace("\\\\", "\\")
        })
        .collect()
}

/// The first error the server gives the migration's own statements, as `1091` or
/// `1005 (errno 150)`.
async fn first_error(db: &TestDb, version: &str, sql: &str) -> String {
    let mut conn = db.connect().await;
    let statements = if sql.is_empty() {
        statements(version)
    } else {
        vec![sql.to_string()]
    };
    for sql in statements {
        if let Err(e) = conn.execute(&sql).await {
            return match e.errno() {
                Some(n) => format!("{} (errno {n})", e.code().unwrap()),
                None => format!("{}", e.code().unwrap()),
            };
        }
    }
    "no error".into()
}

fn naming(v: &serde_json::Value, status: &str, class: &str) -> Vec<String> {
    failing(v, status)
        .into_iter()
        .filter(|m| m.starts_with(class))
        .collect()
}

/// For each class: preflight names the migration and the error; the server, running the
/// migration's own statements, gives that very error; without the object in the way, no
/// check names the migration and a blocker case goes.
#[tokio::test]
async fn each_class_of_refusal_is_the_servers() {
    for c in CASES {
        let class = format!("Version{}", c.version);
        let db = database_at(c.tag, c.schema, c.recorded);
        db.exec(c.setup);
        let (code, v) = common::preflight_json(&db, c.to, "");
        let named = naming(&v, c.status, &class);
        assert!(
            named
                .iter()
                .any(|m| m.contains(&format!("with {}", c.want))),
            "{class} {}: {named:#?}\n{v:#}",
            c.want
        );
        if c.status == "BLOCKER" {
            assert_eq!(code, Some(1), "{class}");
        }
        assert_eq!(first_error(&db, c.version, c.sql).await, c.want, "{class}");
        drop(db);
        let clean = database_at(c.tag, c.schema, c.recorded);
        let (code, v) = common::preflight_json(&clean, c.to, "");
        // (A migration whose guard cannot be read keeps its warning saying so.)
        let fails = |status| {
            naming(&v, status, &class)
                .into_iter()
                .filter(|m| m.contains("would fail"))
                .collect::<Vec<_>>()
        };
        assert!(fails(c.status).is_empty(), "{class}: {v:#}");
        assert!(fails("BLOCKER").is_empty(), "{class}: {v:#}");
        if c.status == "BLOCKER" {
            assert_eq!(code, Some(0), "{class}: {:#?}", blockers(&v));
        }
    }
}

/// Clean installs of each release line, their migrations recorded, go to the next line.
#[test]
fn clean_installs_go_to_the_next_line() {
    for (schema, recorded, to) in [
        // 2.x to 3.0: 3.0 drops companies_leads.manually_added/removed (NOT NULL, no default):
        // judged on the path, they are gone before Mautic inserts anything.
        ("2.15.3", "2.15.3", "3.0.0"),
        ("3.3.2", "3.3.2", "4.0.0"),
        ("4.3.0", "4.4.13", "5.0.0"),
        ("5.0.0", "5.0.0", "5.1.0"),
        ("5.1.0", "5.1.0", "5.2.0"),
        ("5.2.0", "5.2.0", "6.0.3"),
    ] {
        let db = database_at("ppclean", schema, recorded);
        let (code, v) = common::preflight_json(&db, to, "");
        assert_eq!(code, Some(0), "{schema} → {to}: {:#?}", blockers(&v));
    }
}

/// `preflight --dump`: Mautic's statements judged against the server the dump's header names
/// (5.0's JSON columns on a MySQL 5.6 dump are refused), the checks that need rows or a server
/// reported as not run; the same dump from this server goes.
#[test]
fn a_dump_is_judged_against_its_own_server() {
    let db = database_at("ppdump", "4.3.0", "4.4.13");
    let out = Command::new("mariadb-dump")
        .args(["-h127.0.0.1", "-uroot"])
        .arg(&db.name)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("-- Server version"),
        "{}",
        &text[..300.min(text.len())]
    );
    let run = |name: &str, text: &str| {
        let file = db.scratch(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        let o = common::bin()
            .args(["preflight", "--to", "5.0.0", "--format", "json", "--dump"])
            .arg(&file)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
        (o.status.code(), v)
    };
    let (code, v) = run("here.sql", &text);
    assert_eq!(code, Some(0), "{:#?}", blockers(&v));
    let not_run = failing(&v, "warning");
    for check in ["no row was checked", "no statement was rehearsed"] {
        assert!(
            not_run.iter().any(|m| m.contains(check)),
            "{check}: {not_run:#?}"
        );
    }
    let old: String = text
        .lines()
        .map(|l| {
            if l.starts_with("-- Server version") {
                "-- Server version\t5.6.51".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (code, v) = run("old.sql", &old);
    assert_eq!(code, Some(1));
    let json = naming(&v, "BLOCKER", "Version020230615115326");
    assert!(
        json.iter()
            .any(|m| m.contains("with 1064") && m.contains("JSON")),
        "{json:#?}"
    );
}
