//! `report`: the Markdown file for a support thread, on real databases. It parses as CommonMark
//! (headings, tables, an sql fence, no raw HTML), hides host, user, database, site URL, folder
//! and e-mail addresses unless --no-redact, fits Discourse's 32,000 characters, and includes
//! preflight with --to.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{TestDb, bin, corpus};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};

const SITE_URL: &str = "https://mautic.example";

/// A Mautic folder whose config/local.php points at the test database.
fn install(db: &TestDb) -> PathBuf {
    let dir = db.scratch("mautic");
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(
        dir.join("config/local.php"),
        format!(
            "<?php\n$parameters = array(\n\t'db_driver' => 'pdo_mysql',\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => null,\n\t'db_port' => 3306,\n\t'db_name' => '{}',\n\t'db_user' => 'root',\n\t'site_url' => '{SITE_URL}',\n);\n",
            db.name
        ),
    )
    .unwrap();
    dir
}

fn report(dir: &std::path::Path, extra: &[&str]) -> (Output, String) {
    let o = bin()
        .args(["report", "--mautic-dir", dir.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    (o, text)
}

/// A 5.1.1 install (corpus 11) with hostile values: e-mail addresses in a table and a column
/// comment, a default that is the site URL, a missing index.
fn drifted(db: &TestDb) {
    db.load(&corpus("11-"));
    db.exec(&format!(
        "ALTER TABLE leads COMMENT = 'owner bob@corp.example', \
         MODIFY firstname VARCHAR(100) COMMENT 'ask alice@corp.example', \
         ALTER website SET DEFAULT '{SITE_URL}/x'; \
         DROP INDEX lead_date_added ON leads"
    ));
}

/// What a renderer shows: headings' texts, the number of tables and of sql fences, and whether
/// any raw HTML got in (a placeholder such as `<database>` must not vanish as a tag).
struct Parsed {
    headings: Vec<String>,
    tables: usize,
    sql_fences: usize,
    html: Vec<String>,
}

fn parse(md: &str) -> Parsed {
    let mut p = Parsed {
        headings: vec![],
        tables: 0,
        sql_fences: 0,
        html: vec![],
    };
    let mut in_h2 = false;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                in_h2 = level == HeadingLevel::H2;
                p.headings.push(String::new());
            }
            Event::Text(t) if in_h2 => p.headings.last_mut().unwrap().push_str(&t),
            Event::End(_) => in_h2 = false,
            Event::Start(Tag::Table(_)) => p.tables += 1,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if &*lang == "sql" => {
                p.sql_fences += 1
            }
            Event::Html(h) | Event::InlineHtml(h) => p.html.push(h.to_string()),
            _ => {}
        }
    }
    p
}

fn assert_readable(md: &str) -> Parsed {
    let p = parse(md);
    for h in ["Install", "Differences", "SQL", "Pre-checks"] {
        assert!(p.headings.iter().any(|x| x == h), "no {h} heading: {md}");
    }
    assert!(p.tables >= 1, "{md}");
    assert_eq!(p.sql_fences, 1, "{md}");
    // Within 100 columns, but for the Install table's rows (a row cannot wrap).
    for l in md.lines().filter(|l| !l.starts_with('|')) {
        assert!(
            l.chars().count() <= 100,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    assert!(p.html.is_empty(), "raw HTML {:?} in {md}", p.html);
    p
}

#[test]
fn in_sync_install() {
    let db = TestDb::new("repsync");
    db.load(&corpus("11-"));
    let dir = install(&db);
    // The dump has no migrations table: `apply` makes and fills it, as Mautic's installer.
    let o = bin()
        .args([
            "apply",
            "--mautic-dir",
            dir.to_str().unwrap(),
            "--target",
            "5.1.1",
        ])
        .args(["--yes", "--no-backup"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (o, md) = report(&dir, &["--target", "5.1.1"]);
    assert_eq!(o.status.code(), Some(0), "{md}");
    assert_readable(&md);
    assert!(md.contains("0 drift, 0 legacy, 0 info."), "{md}");
    assert!(
        md.trim_end()
            .ends_with("## Verdict\n\nIn sync: no drift (0 legacy, 0 info)"),
        "{md}"
    );
    assert!(md.contains("Every read-only pre-check"), "{md}");
    assert!(!md.contains("## Cut"), "{md}");
}

/// Volatile lines (the time, the server's version) normalised, the rest compared with the
/// golden file (UPDATE_GOLDEN=1 rewrites it).
#[test]
fn drifted_install_golden() {
    let db = TestDb::new("repdrift");
    drifted(&db);
    let dir = install(&db);
    let (o, md) = report(&dir, &["--target", "5.1.1"]);
    assert_eq!(o.status.code(), Some(1), "{md}");
    assert_readable(&md);
    let version = db.query("SELECT VERSION()")[0].clone();
    let normal: String = md
        .lines()
        .map(|l| {
            if l.starts_with("Generated ") {
                "Generated <time> by mautic-schema <version>.".to_string()
            } else {
                l.replace(&version, "<server>")
            }
        })
        .map(|l| l + "\n")
        .collect();
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/report/drifted.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &normal).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(normal, want, "the report differs from {}", golden.display());
}

#[test]
fn redacted_by_default_kept_with_no_redact() {
    let db = TestDb::new("repredact");
    drifted(&db);
    let dir = install(&db);
    let dir_text = dir.display().to_string();
    let (_, md) = report(&dir, &[]);
    assert_readable(&md);
    for secret in [
        "@corp.example",
        db.name.as_str(),
        "127.0.0.1",
        "root",
        SITE_URL,
        dir_text.as_str(),
    ] {
        assert!(
            !md.contains(secret),
            "{secret} in the redacted report: {md}"
        );
    }
    // The placeholders say what was there.
    for shown in [
        "\\<e-mail\\>",
        "\\<database\\>",
        "\\<site-url\\>/x",
        "\\<user\\>",
    ] {
        assert!(md.contains(shown), "{shown} missing: {md}");
    }
    assert!(!md.contains("Not redacted"));

    let (_, md) = report(&dir, &["--no-redact"]);
    assert!(md.contains("**Not redacted**"), "{md}");
    for kept in ["bob@corp.example", db.name.as_str(), "127.0.0.1", SITE_URL] {
        assert!(md.contains(kept), "{kept} missing with --no-redact: {md}");
    }
}

/// What the first redaction missed: the site's host without a scheme or under http://, the
/// database and user names inside longer names, e-mail fragments. Ordinary words that contain
/// the user name, and the tool's and Mautic's own names, stay.
#[test]
fn redaction_finds_hosts_names_and_fragments_not_words() {
    let db = TestDb::new("repredact2");
    db.load(&corpus("11-"));
    let host = SITE_URL.trim_start_matches("https://");
    db.exec(&format!(
        "ALTER TABLE assets COMMENT = 'mirror on {host} and http://{host}/old'; \
         ALTER TABLE emails COMMENT = 'copied from {db}_old by root2, rooted in x_root'; \
         ALTER TABLE forms COMMENT = 'mail bob@corp or alice.smith@ or @corp.example'",
        db = db.name
    ));
    let dir = install(&db);
    let (_, md) = report(&dir, &[]);
    assert_readable(&md);
    for secret in [
        host,
        "bob@corp",
        "alice.smith@",
        "@corp.example",
        &db.name,
        "root2",
        "x_root",
    ] {
        assert!(
            !md.contains(secret),
            "{secret} in the redacted report:\n{md}"
        );
    }
    // Wrapped lines joined again.
    let md = md.split_whitespace().collect::<Vec<_>>().join(" ");
    for shown in [
        "mirror on \\<site-host\\> and http://\\<site-host\\>/old",
        "copied from \\<database\\>_old by \\<user\\>2, rooted in x_\\<user\\>",
        "mail \\<e-mail\\> or \\<e-mail\\> or \\<e-mail\\>",
        "# mautic-schema report",
        "| Server | MariaDB ",
    ] {
        assert!(md.contains(shown), "{shown} missing:\n{md}");
    }
}

/// Every secondary index no foreign key needs dropped: hundreds of differences and statements, cut to fit.
#[test]
fn many_differences_fit_a_forum_post() {
    let db = TestDb::new("repbudget");
    db.load(&corpus("11-"));
    let drops = db.query(
        "SELECT CONCAT('ALTER TABLE `', TABLE_NAME, '` DROP INDEX `', INDEX_NAME, '`;') \
         FROM information_schema.STATISTICS s WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 1 \
         GROUP BY TABLE_NAME, INDEX_NAME HAVING SUM(EXISTS( \
           SELECT 1 FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA = s.TABLE_SCHEMA \
           AND k.TABLE_NAME = s.TABLE_NAME AND k.COLUMN_NAME = s.COLUMN_NAME \
           AND k.REFERENCED_TABLE_NAME IS NOT NULL)) = 0",
    );
    assert!(drops.len() > 100, "{} indexes", drops.len());
    db.exec(&drops.join(" "));
    let dir = install(&db);
    let out = db.scratch("report.md");
    let (o, _) = report(
        &dir,
        &["--target", "5.1.1", "--output", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let md = std::fs::read_to_string(&out).unwrap();
    let n = md.chars().count();
    assert!(n <= 32_000, "{n} characters");
    assert_readable(&md);
    assert!(md.contains("## Cut"), "{md}");
    assert!(md.contains("SQL block(s)"), "{md}");
    assert!(md.contains("`mautic-schema diff`"), "{md}");
}

#[test]
fn to_includes_preflight() {
    let db = TestDb::new("repto");
    drifted(&db);
    let dir = install(&db);
    let (_, md) = report(&dir, &["--target", "5.1.1", "--to", "5.2.0"]);
    let p = assert_readable(&md);
    assert!(
        p.headings.iter().any(|h| h.starts_with("Preflight ")),
        "{md}"
    );
    assert!(
        md.contains("- **ok** server version: 5.2.0 needs MariaDB"),
        "{md}"
    );
    assert!(md.contains("** rehearsal: "), "{md}");
    assert!(md.contains("\n- Version"), "{md}");
}

#[test]
fn bad_input_is_one_line() {
    let db = TestDb::new("repbad");
    let dir = install(&db);
    for args in [
        vec!["report", "--config", "/nonexistent/local.php"],
        vec![
            "report",
            "--mautic-dir",
            dir.to_str().unwrap(),
            "--to",
            "soon",
        ],
    ] {
        let o = bin().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}
