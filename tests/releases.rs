//! Every release has an answer: releases without a reference of their own are compared with
//! the nearest bundled one, said so; `versions` tells exact from approximated; a migrations
//! index that does not reach the target says so instead of listing nothing pending.

mod common;

use std::process::Output;

use common::{TestDb, bin, corpus};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn url(db: &TestDb) -> String {
    format!("mysql://root@127.0.0.1:3306/{}", db.name)
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let o = run(&[args, &["--format", "json"]].concat());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), v)
}

#[test]
fn versions_lists_exact_and_approximated_releases() {
    let o = run(&["versions"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let line = |r: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.split('\t').next() == Some(r))
            .unwrap_or_else(|| panic!("{r} not listed:\n{out}"))
            .split('\t')
            .map(String::from)
            .collect()
    };
    // 5.2.0 and 6.0.3: gen.php on the fork sources (sources.tsv), provenance naming the fork.
    for (r, fork) in [
        ("5.2.0", "Techtoolscompany/Mautic"),
        ("6.0.3", "alvaroleon/mautic-6"),
    ] {
        let l = line(r);
        assert_eq!(l[1..3], ["exact", &format!("{r}.sql")]);
        assert!(l[3].contains(&format!("of the fork {fork}")), "{l:?}");
    }
    // 5.2.2 has no reference since 5.2.2.sql (a 5.1.x dump) was retired.
    for r in ["5.2.1", "5.2.2", "5.2.3", "5.2.4"] {
        let l = line(r);
        assert_eq!(
            (l[1].as_str(), l[2].as_str()),
            ("approximated", "5.2.0.sql")
        );
        assert!(l[3].contains("5.2.0's reference"), "{l:?}");
    }
    for r in ["6.0.0", "6.0.1"] {
        assert_eq!(line(r)[1..3], ["approximated", "6.0.2.sql"]);
    }
    assert_eq!(line("2.12.1")[1..3], ["exact", "2.12.0.sql"]);
    assert_eq!(line("5.2.6")[1..3], ["exact", "5.2.5.sql"]);
    assert_eq!(line("6.0.2")[1..3], ["exact", "6.0.2.sql"]);
    // JSON says the same.
    let (_, v) = json(&["versions"]);
    let entry = |r: &str| {
        v["releases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["release"] == r)
            .unwrap_or_else(|| panic!("{r} not in {v}"))
            .clone()
    };
    for (r, status, used) in [
        ("5.2.0", "exact", "5.2.0"),
        ("5.2.2", "approximated", "5.2.0"),
        ("6.0.3", "exact", "6.0.3"),
    ] {
        let e = entry(r);
        assert_eq!(e["status"], status, "{e}");
        assert_eq!(e["reference_release"], used, "{e}");
        assert_eq!(e["reference_file"], format!("{used}.sql"), "{e}");
    }
}

/// `--target 5.2.1` (no reference of its own, and no source for the migrations index) on a fresh
/// 5.2.5 install: compared with 5.2.0's reference, a warning naming it, `target_exact: false`,
/// and no claim about pending migrations (the index has 5.2.0 and 6.0.3 from forks, not 5.2.1).
/// In sync: 5.2.5's dump and gen.php's 5.2.0 have the same schema.
#[test]
fn target_without_reference_uses_the_nearest_one() {
    for (file, target, used) in [("01-", "5.2.1", "5.2.0"), ("02-", "6.0.1", "6.0.2")] {
        let db = TestDb::new(file);
        db.load(&corpus(file));
        let u = url(&db);
        let (code, v) = json(&["check", "--url", &u, "--target", target]);
        // In sync, but the dump has no migrations table: the verdict says that.
        assert_eq!(v["in_sync"], true, "{target}: {}", v["explanation"]);
        assert_eq!(v["verdict"]["kind"], "bookkeeping-broken", "{target}");
        assert_eq!(code, Some(1), "{target}: {}", v["explanation"]);
        assert_eq!(v["target"], target);
        assert_eq!(v["target_exact"], false);
        assert_eq!(v["reference_release"], used);
        assert_eq!(v["reference_file"], format!("{used}.sql"));
        assert_eq!(v["migrations"]["index_covers_target"], false);
        assert!(v["migrations"]["pending"].is_null(), "{}", v["migrations"]);
        let expl: Vec<&str> = v["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let warning = format!(
            "warning: {target} has no reference of its own; compared with {used}'s ({used}.sql, nearest bundled)"
        );
        assert!(expl.contains(&warning.as_str()), "{expl:?}");
        assert!(
            expl.iter().any(
                |l| l.starts_with(&format!("pending migrations of {target} unknown"))
                    && l.contains("covers every release to 5.1.1, then only 5.2.0 and 6.0.3")
            ),
            "{expl:?}"
        );
        // The human output carries the warning on one line (at 120 columns: a pipe's default
        // 80 wraps it).
        let o = run(&["check", "--url", &u, "--target", target, "--width", "120"]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.lines().any(|l| l.trim() == warning),
            "{target}:\n{text}"
        );
        // An exact target says so.
        let (_, v) = json(&["check", "--url", &u, "--target", used]);
        assert_eq!(v["target_exact"], true);
        assert_eq!(v["reference_release"], used);
    }
}

/// A line without any bundled reference is still refused, in one line.
#[test]
fn target_of_a_line_without_references_is_refused() {
    let db = TestDb::new("noline");
    db.load(&corpus("11-"));
    let o = run(&["check", "--url", &url(&db), "--target", "7.0.0"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no bundled reference for Mautic 7.0.0"),
        "{err}"
    );
}

/// Detection on the whole structure, offline: a schema built from each bundled reference file
/// (unprefixed and prefixed) is detected as the releases mapped to that very file, with score 0
/// (and to other files only when their schemas are the same: 5.2.0.sql and 5.2.5.sql, 6.0.3.sql
/// and 6.0.2.sql, one generated, one from a dump, do not differ in anything compared).
#[test]
fn every_reference_is_detected_as_its_own_release() {
    use mautic_schema::dialect::{ServerInfo, normalize_schema};
    use mautic_schema::mautic::detect::detect;
    use mautic_schema::mautic::prefix::apply_prefix;
    let server = ServerInfo::parse("10.11.6-MariaDB");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas");
    let index = std::fs::read_to_string(dir.join("index.tsv")).unwrap();
    let mut files: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for l in index.lines().filter(|l| !l.starts_with('#')) {
        let mut p = l.split('\t');
        let (Some(r), Some(f)) = (p.next(), p.next()) else {
            continue;
        };
        if !f.is_empty() {
            files.entry(f.to_string()).or_default().push(r.to_string());
        }
    }
    assert!(files.len() > 40, "{}", files.len());
    let load = |file: &str| {
        let ddl = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut schema = mautic_schema::sql::parse_schema_sql(&ddl, &|_| false).schema;
        normalize_schema(&mut schema, &server);
        schema
    };
    let mut failures = Vec::new();
    for (file, releases) in &files {
        let schema = load(file);
        for prefix in ["", "mautic_"] {
            let mut s = schema.clone();
            apply_prefix(&mut s, prefix);
            let d = detect(&s, prefix, &server).expect("a detection");
            let got: Vec<String> = d.releases.iter().map(|r| r.to_string()).collect();
            let same = |f: &&str| {
                *f == file.as_str()
                    || mautic_schema::diff::diff_schemas(&schema, &load(f)).is_empty()
            };
            let ok = d.files.contains(&file.as_str())
                && d.files.iter().all(same)
                && releases.iter().all(|r| got.contains(r))
                && d.score == 0;
            if !ok {
                failures.push(format!(
                    "{file} (prefix {prefix:?}): detected {} (files {:?}, score {})",
                    d.range(),
                    d.files,
                    d.score
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The real case of issue 9: a 2.12.0 database (same names as 2.12.2, other types and keys) is
/// detected as 2.12.0-2.12.1 and compared with that reference: no false drift.
#[test]
fn a_2_12_0_database_is_detected_as_2_12_0() {
    let db = TestDb::new("det2120");
    db.load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/2.12.0.sql"));
    let (code, v) = json(&["check", "--url", &url(&db)]);
    assert_eq!(
        v["detected_version"], "2.12.0-2.12.1",
        "{}",
        v["explanation"]
    );
    assert_eq!(v["detected_by"], "schema");
    assert_eq!(v["target"], "2.12.1");
    assert_eq!(v["reference_file"], "2.12.0.sql");
    let drift: Vec<&Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "drift")
        .collect();
    assert!(drift.is_empty(), "{drift:?}");
    // No migrations table in the reference: the schema is in sync, the bookkeeping is not.
    assert_eq!(v["verdict"]["kind"], "bookkeeping-broken");
    assert_eq!(code, Some(1), "{}", v["explanation"]);
}

/// A Mautic dir whose files say `version`, with a local.php for `db`.
fn mautic_dir(db: &TestDb, version: &str) -> std::path::PathBuf {
    let dir = db.scratch("mautic");
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(
        dir.join("config/local.php"),
        format!(
            "<?php\n$parameters = array(\n\t'db_driver' => 'pdo_mysql',\n\t'db_host' => '127.0.0.1',\n\t'db_table_prefix' => null,\n\t'db_port' => 3306,\n\t'db_name' => '{}',\n\t'db_user' => 'root',\n\t'site_url' => 'https://mautic.example',\n);\n",
            db.name
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("app/release_metadata.json"),
        format!(r#"{{"version": "{version}", "stability": "stable"}}"#),
    )
    .unwrap();
    dir
}

/// Files 5.1.1, schema 4.4: the advice is Mautic's own migrate (after a dry run), then check,
/// apply only if migrate failed, in lines of at most 80 columns; and the data migrations
/// between the two releases (per the bundled index) that apply would not run are listed.
#[test]
fn code_ahead_of_the_database_gets_mautics_migrate_first() {
    let db = TestDb::new("ahead");
    db.load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reference-schemas/4.3.0.sql"));
    let dir = mautic_dir(&db, "5.1.1");
    let d = dir.to_str().unwrap();
    // Expected: data migrations of 5.1.1 that 4.4.13 did not ship, from the repository's index.
    let index = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-index/migrations.tsv"),
    )
    .unwrap();
    let key = |r: &str| -> Vec<u32> { r.split('.').map(|p| p.parse().unwrap()).collect() };
    let within = |r: &str, first: &str, last: &str| key(first) <= key(r) && key(r) <= key(last);
    let expected: Vec<String> = index
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[3] == "data" && within("5.1.1", f[1], f[2]) && !within("4.4.13", f[1], f[2]))
        .map(|f| format!("Version{}", f[0]))
        .collect();
    assert!(expected.len() >= 5, "{expected:?}");

    let (_, v) = json(&["check", "--mautic-dir", d]);
    assert_eq!(
        v["detected_version"], "4.3.0-4.4.13",
        "{}",
        v["explanation"]
    );
    assert_eq!(v["code_ahead"]["database"], "4.4.13");
    assert_eq!(v["code_ahead"]["code"], "5.1.1");
    let listed: Vec<String> = v["code_ahead"]["data_migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("Version{}", m["version"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, expected);

    let o = run(&["check", "--mautic-dir", d]);
    let text = String::from_utf8_lossy(&o.stdout);
    let start = text
        .lines()
        .position(|l| l.contains("are ahead of the database (4.4.13)"))
        .unwrap_or_else(|| panic!("no advice:\n{text}"));
    let advice: Vec<&str> = text.lines().skip(start).take(5 + expected.len()).collect();
    for l in &advice {
        assert!(l.chars().count() <= 80, "longer than 80 columns: {l:?}");
    }
    let joined = advice.join("\n");
    let at = |s: &str| {
        joined
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} missing:\n{joined}"))
    };
    assert!(at("apply --dry-run") < at("php bin/console doctrine:migrations:migrate"));
    assert!(at("doctrine:migrations:migrate") < at("mautic-schema check"));
    assert!(at("mautic-schema check") < at("mautic-schema apply\n"));
    for m in &expected {
        at(m);
    }
    println!("{text}");
    // Files not ahead: no such advice.
    let same = mautic_dir(&db, "4.4.13");
    let o = run(&["check", "--mautic-dir", same.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("files are 4.4.13"), "{text}");
    assert!(!text.contains("ahead of the database"), "{text}");
}
