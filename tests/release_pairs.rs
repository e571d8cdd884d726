//! Mautic's path on a real server: a database loaded with release X's reference and changed
//! by the very statements the fold runs (migrations-index/effects.tsv, in Mautic's order, the
//! ones the fold skips by their guard skipped), its migrations recorded as Mautic records them,
//! then `check --target Y`: no drift of the history kind (history.tsv's history rows are
//! legacy), and every drift left is a migration Mautic forgot, named with its release and what
//! the code meets. A statement the fold finds refused (preflight's blockers) runs after its fix
//! (`run_path`). Pairs: each minor line to the next, every bundled release to the newest, long
//! jumps, and databases whose default character set is not the server's. Pairs run side by
//! side (the loads wait on the disk, not the CPU); each pair and each test prints its time.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use common::TestDb;
use mautic_schema::dialect::ServerError;
use mautic_schema::mautic::effects::{Effect, EffectOp, by_version};
use mautic_schema::mautic::history::pairs::{self, PairFold};
use mautic_schema::mautic::path::{Blocker, walks_the_database};
use mautic_schema::mautic::release::Release;

fn release(s: &str) -> Release {
    Release::parse(s).unwrap()
}

/// The fold's own statements, in order, as scripts: a migration that walks every table (the
/// only one, 6.0's Version20211020114811, converts each table not in utf8mb4_unicode_ci) ends
/// a script, and its statements are built from what the server then holds, as it does.
///
/// A statement the fold found the server refusing (preflight's blockers) runs after its fix,
/// as the fold goes on: a key onto a parent whose integer type differs (a 2.x-born site keeps
/// signed ids where 3.0's entities say UNSIGNED) gets its column made the parent's type first,
/// and a column change that would part a key's two types takes the parent's type. That is what
/// Mautic's own code does where it looks (3.3.1's Version20210104171005 and 20210223174702 read
/// categories.id's sign; 4.0's Version20200810153131 keeps users.id's for user_id), and the fix
/// a site stopped by the one that does not look (its FK_CLIENT_ROLE onto roles.id) makes.
/// Other refusals (an index an earlier migration added) are skipped: their fix is the object
/// being there already.
fn run_path(db: &TestDb, fold: &PairFold) {
    let effects = by_version();
    let mut script = String::new();
    for (m, walked) in fold.migrations.iter().zip(&fold.path.walked) {
        if walked.skipped() || walked.already_done {
            continue;
        }
        let mut said = std::collections::BTreeSet::new();
        for e in effects.get(&m.version).into_iter().flatten() {
            if e.step == 0 || !schema_op(e.op) || !said.insert(e.sql.as_str()) {
                continue;
            }
            let refused: Vec<&Blocker> = walked
                .blockers
                .iter()
                .filter(|b| b.statement == e.sql)
                .collect();
            if !refused.is_empty() {
                load_script(db, &std::mem::take(&mut script));
                match fixed(db, e, &refused) {
                    Some(sql) => {
                        eprintln!(
                            "{}: refused on the path, run after its fix: {sql}",
                            m.version
                        );
                        load_script(db, &sql);
                    }
                    None => eprintln!("{}: refused on the path, skipped: {}", m.version, e.sql),
                }
                continue;
            }
            script.push_str(e.sql.trim_end_matches(';'));
            script.push_str(";\n");
        }
        if walks_the_database(&[m.version.as_str()]) {
            load_script(db, &std::mem::take(&mut script));
            convert_every_table(db);
        }
    }
    load_script(db, &script);
}

/// A refused statement with its fix before it, when the refusal is a foreign key's two types
/// (errno 150 on a new key, 1832 on a column change): the child column takes its parent's type.
fn fixed(db: &TestDb, e: &Effect, refused: &[&Blocker]) -> Option<String> {
    let types = |b: &&Blocker| match e.op {
        EffectOp::AddForeignKey | EffectOp::CreateTable => b.refusal.errno == Some(150),
        EffectOp::ModifyColumn => b.refusal.error == ServerError::FkColumnCannotChange,
        _ => false,
    };
    if !refused.iter().all(types) {
        return None;
    }
    let sql = match e.op {
        // The table without its keys, then each key after its column took the parent's type.
        EffectOp::CreateTable => {
            let (table, keys) = without_foreign_keys(&e.sql)?;
            load_script(db, &format!("{table};\n"));
            let mut sql = String::new();
            for k in keys {
                let (columns, parent, parents) = foreign_key_parts(&k)?;
                for (c, p) in columns.iter().zip(&parents) {
                    let ty = column_type(db, &parent, p)?;
                    if column_type(db, &e.table, c)? != ty {
                        let null = nullability(db, &e.table, c)?;
                        sql.push_str(&format!(
                            "ALTER TABLE `{}` MODIFY `{c}` {ty} {null};\n",
                            e.table
                        ));
                    }
                }
                sql.push_str(&format!("ALTER TABLE `{}` ADD {k};\n", e.table));
            }
            sql
        }
        EffectOp::AddForeignKey => {
            let (columns, parent, parents) = foreign_key_parts(&e.definition)?;
            let mut sql = String::new();
            for (c, p) in columns.iter().zip(&parents) {
                let ty = column_type(db, &parent, p)?;
                let null = nullability(db, &e.table, c)?;
                sql.push_str(&format!(
                    "ALTER TABLE `{}` MODIFY `{c}` {ty} {null};\n",
                    e.table
                ));
            }
            format!("{sql}{};\n", e.sql.trim_end_matches(';'))
        }
        _ => {
            let (parent, p) = referenced(db, &e.table, &e.object)?;
            let ty = column_type(db, &parent, &p)?;
            let null = if e.definition.to_ascii_uppercase().contains("NOT NULL") {
                "NOT NULL"
            } else {
                "NULL"
            };
            format!(
                "ALTER TABLE `{}` MODIFY `{}` {ty} {null};\n",
                e.table, e.object
            )
        }
    };
    Some(sql)
}

/// A CREATE TABLE statement without its foreign keys, and the keys (`CONSTRAINT ...`).
fn without_foreign_keys(create: &str) -> Option<(String, Vec<String>)> {
    let open = create.find('(')?;
    let close = create.rfind(')')?;
    let (mut parts, mut depth, mut at) = (Vec::new(), 0, open + 1);
    for (i, ch) in create[..close].char_indices().skip(open + 1) {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(create[at..i].trim().to_string());
                at = i + 1;
            }
            _ => {}
        }
    }
    parts.push(create[at..close].trim().to_string());
    let (keys, rest): (Vec<String>, Vec<String>) = parts
        .into_iter()
        .partition(|p| p.to_ascii_uppercase().contains("FOREIGN KEY"));
    Some((
        format!("{}{})", &create[..=open], rest.join(", ")) + &create[close + 1..],
        keys,
    ))
}

/// `CONSTRAINT x FOREIGN KEY (a, b) REFERENCES t (c, d) ...`: the columns, the parent and its
/// columns.
fn foreign_key_parts(definition: &str) -> Option<(Vec<String>, String, Vec<String>)> {
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect()
    };
    let upper = definition.to_ascii_uppercase();
    let fk = upper.find("FOREIGN KEY")?;
    let refs = upper.find("REFERENCES")?;
    let open = definition[fk..].find('(')? + fk;
    let close = definition[open..].find(')')? + open;
    let after = definition[refs + "REFERENCES".len()..].trim_start();
    let popen = after.find('(')?;
    let pclose = after.find(')')?;
    Some((
        list(&definition[open + 1..close]),
        after[..popen].trim().trim_matches('`').to_string(),
        list(&after[popen + 1..pclose]),
    ))
}

fn column_type(db: &TestDb, table: &str, column: &str) -> Option<String> {
    db.query(&format!(
        "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'"
    ))
    .into_iter()
    .next()
}

fn nullability(db: &TestDb, table: &str, column: &str) -> Option<&'static str> {
    let n = db
        .query(&format!(
            "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'"
        ))
        .into_iter()
        .next()?;
    Some(if n == "YES" { "NULL" } else { "NOT NULL" })
}

/// The parent table and column of the foreign key through `table.column`.
fn referenced(db: &TestDb, table: &str, column: &str) -> Option<(String, String)> {
    let row = db
        .query(&format!(
            "SELECT CONCAT(REFERENCED_TABLE_NAME, ' ', REFERENCED_COLUMN_NAME) FROM \
             information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND \
             TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}' AND REFERENCED_TABLE_NAME IS NOT NULL"
        ))
        .into_iter()
        .next()?;
    let (t, c) = row.split_once(' ')?;
    Some((t.to_string(), c.to_string()))
}

/// The statements that change the schema; rows are not the fold's (its data statements carry
/// values only known at run time).
fn schema_op(op: EffectOp) -> bool {
    !matches!(op, EffectOp::Data | EffectOp::Unknown)
}

fn load_script(db: &TestDb, sql: &str) {
    let file = db.scratch("path.sql");
    std::fs::write(&file, sql).unwrap();
    db.load(&file);
}

/// Version20211020114811's conversion, after the fix the fold names for the keys through a
/// text column (the server refuses to convert those, even with FOREIGN_KEY_CHECKS=0): they are
/// dropped first and made again after.
fn convert_every_table(db: &TestDb) {
    let tables = db.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_COLLATION <> 'utf8mb4_unicode_ci'",
    );
    let keys = db.query(
        "SELECT DISTINCT CONCAT(k.TABLE_NAME, ' ', k.CONSTRAINT_NAME) FROM \
         information_schema.KEY_COLUMN_USAGE k JOIN information_schema.COLUMNS c ON \
         c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND \
         c.COLUMN_NAME = k.COLUMN_NAME WHERE k.TABLE_SCHEMA = DATABASE() AND \
         k.REFERENCED_TABLE_NAME IS NOT NULL AND c.COLLATION_NAME IS NOT NULL AND \
         c.COLLATION_NAME <> 'utf8mb4_unicode_ci'",
    );
    let mut drop = String::new();
    let mut add = String::new();
    for k in &keys {
        let (table, name) = k.split_once(' ').unwrap();
        let create = db.query(&format!("SHOW CREATE TABLE `{table}`")).join("\n");
        let constraint = create
            .split("\\n")
            .map(|l| l.trim().trim_end_matches(','))
            .find(|l| l.starts_with(&format!("CONSTRAINT `{name}`")))
            .unwrap_or_else(|| panic!("{table}: no {name} in {create}"))
            .to_string();
        drop.push_str(&format!(
            "ALTER TABLE `{table}` DROP FOREIGN KEY `{name}`;\n"
        ));
        add.push_str(&format!("ALTER TABLE `{table}` ADD {constraint};\n"));
    }
    let mut sql = format!("SET FOREIGN_KEY_CHECKS=0;\n{drop}");
    for t in tables {
        sql.push_str(&format!(
            "ALTER TABLE `{t}` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
        ));
    }
    sql.push_str(&add);
    load_script(db, &sql);
}

/// Record `to`'s migrations as Doctrine does (short version up to 4.x, the class from 5.0).
fn record_migrations(db: &TestDb, to: Release) {
    let index = mautic_schema::mautic::migrations::index();
    let rows: Vec<String> = mautic_schema::mautic::migrations::of_release(&index, to)
        .iter()
        .map(|m| format!("('{}', NOW(), 1)", m.row_version(to).replace('\\', "\\\\")))
        .collect();
    db.exec(&format!(
        "CREATE TABLE migrations (version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, \
         execution_time INT DEFAULT NULL, PRIMARY KEY(version)); INSERT INTO migrations VALUES {}",
        rows.join(",")
    ));
}

fn check(db: &TestDb, to: Release) -> serde_json::Value {
    let o = common::bin()
        .args([
            "check",
            "--url",
            &db.url(),
            "--target",
            &to.to_string(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", common::text(&o)))
}

/// One pair on the server, in a database whose default collation is `database` (the
/// server's when `None`); the problems found, one line each.
fn pair(from: &str, to: &str, database: Option<&str>) -> (Vec<String>, usize) {
    let (x, y) = (release(from), release(to));
    let db = TestDb::new(&format!("pair{from}to{to}"));
    if let Some(collation) = database {
        db.exec(&format!("ALTER DATABASE `{}` COLLATE {collation}", db.name));
    }
    // The fold knows the database's default, as preflight and check read it from the server.
    let mut server = pairs::server();
    server.database_collation = db.query("SELECT @@collation_database").into_iter().next();
    let fold = pairs::fold_pair(x, y, &server).expect("both references parse");
    load_reference(&db, from);
    run_path(&db, &fold);
    record_migrations(&db, y);
    let report = check(&db, y);
    let changes = report["changes"].as_array().unwrap();
    let forgotten = |table: &serde_json::Value, object: &str| {
        changes.iter().any(|c| {
            c["table"] == *table
                && c["object"] == object
                && c["detail"].as_str().unwrap_or_default().contains(FORGOTTEN)
        })
    };
    let on = database
        .map(|d| format!(" (database {d})"))
        .unwrap_or_default();
    let mut problems = Vec::new();
    for c in changes {
        let detail = c["detail"].as_str().unwrap_or_default();
        let what = format!(
            "{from}→{to}{on}: {} {} {}: {detail}",
            c["table"], c["kind"], c["object"]
        );
        // History in the way of an index a forgotten migration leaves out joins the plan
        // (a LONGTEXT column under the index): it is that migration's, named on the index.
        let blocks_forgotten = needed_by(detail).is_some_and(|i| forgotten(&c["table"], i));
        let named = detail.contains(FORGOTTEN) || detail.contains(NARROW_DEFAULT);
        if c["severity"] == "drift" && !named && !blocks_forgotten {
            problems.push(format!("drift not named as a forgotten migration: {what}"));
        }
        if c["severity"] == "drift" && detail.contains("history: Mautic's migrations") {
            problems.push(format!("history left as drift: {what}"));
        }
    }
    let narrow = changes
        .iter()
        .filter(|c| {
            c["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(NARROW_DEFAULT)
        })
        .count();
    (problems, narrow)
}

/// X's reference, its foreign keys made without checking rows (the tables are empty): the
/// same tables, in half the time.
fn load_reference(db: &TestDb, from: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reference-schemas/{from}.sql"));
    let sql = std::fs::read_to_string(file).unwrap();
    load_script(db, &format!("SET FOREIGN_KEY_CHECKS=0;\n{sql}"));
}

const FORGOTTEN: &str = " changed this without a migration: ";

/// A table a migration created without a character set, on a database whose default cannot
/// hold what the release declares: drift, named with the release and what the code meets.
const NARROW_DEFAULT: &str = " created this table without a character set: ";

/// The index a promoted legacy difference is needed by ("needed now: index X covers it").
fn needed_by(detail: &str) -> Option<&str> {
    detail.split("needed now: index ").nth(1)?.split(' ').next()
}

/// Pairs at once: each loads a reference, which waits on the disk's flushes far more than on
/// the CPU, so a few side by side take about the time of one.
const SIDE_BY_SIDE: usize = 4;

/// Run the pairs side by side; every problem, and the time each pair and the whole took.
/// Returns how many differences were named as a table that took a database default narrower
/// than the release's charset.
fn pairs_hold_on(list: &[(String, String)], database: Option<&str>) -> usize {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let narrow = AtomicUsize::new(0);
    let problems: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..SIDE_BY_SIDE.min(list.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    while let Some((x, y)) = list.get(next.fetch_add(1, Ordering::SeqCst)) {
                        let t = Instant::now();
                        let (problems, named) = pair(x, y, database);
                        out.extend(problems);
                        narrow.fetch_add(named, Ordering::SeqCst);
                        eprintln!("{x}→{y}: {:.1} s", t.elapsed().as_secs_f64());
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a pair panicked"))
            .collect()
    });
    eprintln!(
        "{} pairs in {:.1} s",
        list.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    narrow.into_inner()
}

fn hold(list: Vec<(String, String)>) {
    assert_eq!(
        pairs_hold_on(&list, None),
        0,
        "the server's utf8mb4 holds what every release declares"
    );
}

fn pairs_hold(list: &[(&str, &str)]) {
    hold(
        list.iter()
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect(),
    );
}

/// Every bundled reference file's release, in order.
fn bundled() -> Vec<Release> {
    pairs::pairs()
        .into_iter()
        .flat_map(|(x, y)| [x, y])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Each minor line's last bundled reference to the next line's first.
fn consecutive_lines(major: std::ops::RangeInclusive<u32>) -> Vec<(String, String)> {
    let files = bundled();
    let mut out = Vec::new();
    for w in files.windows(2) {
        if w[0].major_minor() != w[1].major_minor() && major.contains(&w[1].0) {
            out.push((w[0].to_string(), w[1].to_string()));
        }
    }
    out
}

#[test]
fn each_2x_line_upgraded_to_the_next_shows_only_forgotten_migrations() {
    hold(consecutive_lines(2..=2));
}

#[test]
fn each_line_to_3x_and_4x_upgraded_shows_only_forgotten_migrations() {
    hold(consecutive_lines(3..=4));
}

#[test]
fn each_line_to_5x_and_6x_upgraded_shows_only_forgotten_migrations() {
    hold(consecutive_lines(5..=6));
}

/// Long jumps, across 2.13.1 (its migration creates user_tokens without a character set: the
/// table takes the database's default, which the fold is given) and from 2.x past 3.0, where
/// Mautic's statements meet the signed ids a 2.x-born site keeps (errno 150, 1832: run after
/// their fix, see `run_path`) and 6.0's conversion meets the text columns its keys link.
#[test]
fn long_jumps_show_only_forgotten_migrations() {
    pairs_hold(&[
        ("2.13.0", "2.13.1"),
        ("2.0.0", "2.15.3"),
        ("2.0.0", "3.0.0"),
        ("2.15.3", "4.0.0"),
        ("2.9.2", "5.0.0"),
        ("3.3.2", "5.2.0"),
    ]);
}

/// Every bundled release upgraded to the newest: each major line's path, 2.13.1 and 6.0's
/// conversion of every table crossed from each start.
#[test]
fn a_bundled_release_upgraded_to_the_newest_shows_only_forgotten_migrations() {
    let files = bundled();
    let newest = *files.last().unwrap();
    hold(
        files
            .iter()
            .filter(|x| **x < newest)
            .map(|x| (x.to_string(), newest.to_string()))
            .collect(),
    );
}

/// The database's default decides what a table created without a character set gets: the
/// same jumps over 2.13.1 on a utf8mb3 database (the 2.x releases' own charset: no
/// difference at 2.x, history after) and a latin1 one (drift naming 2.13.1 and what the code
/// meets, until 6.0 converts the table).
#[test]
fn a_database_with_another_default_charset_shows_only_forgotten_migrations() {
    let list: Vec<(String, String)> = [
        ("2.12.2", "2.13.1"),
        ("2.13.0", "3.0.0"),
        ("2.13.0", "6.0.3"),
    ]
    .iter()
    .map(|(x, y)| (x.to_string(), y.to_string()))
    .collect();
    assert_eq!(pairs_hold_on(&list, Some("utf8mb3_unicode_ci")), 0);
    // user_tokens' two text columns and its default, at 2.13.1 and at 3.0.0; none at 6.0.3.
    assert_eq!(pairs_hold_on(&list, Some("latin1_swedish_ci")), 6);
}
