//! Bounded fuzzing of the DDL reader: statements of the conformance corpus, mutated (cut short,
//! characters replaced, non-ASCII and SQL punctuation inserted, pieces deleted or repeated),
//! must never make `parse_schema_sql` panic, nor the normalization, comparison and planning of
//! what it read. Two thousand cases, a few seconds. The corpus includes the ALTER TABLE cases of
//! `tests/alter_ops/cases.sql`.

mod common;

use common::cases::read_cases;
use mautic_schema::dialect::{ServerInfo, normalize_schema};
use mautic_schema::diff::diff_schemas;
use mautic_schema::plan::{PlanOptions, plan};
use mautic_schema::sql::{parse_schema_sql, parse_schema_sql_by_hand};
use proptest::prelude::*;

/// Every current and desired section of the conformance cases.
fn corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for c in read_cases(&std::fs::read_to_string(f).unwrap()).1 {
            out.extend([c.current, c.desired].into_iter().filter(|s| !s.is_empty()));
        }
    }
    // The ALTER TABLE cases, one statement list each, so that mutations reach ALTER too.
    let alter = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alter_ops/cases.sql");
    let alter = std::fs::read_to_string(alter).unwrap();
    out.extend(alter.split("-- case: ").skip(1).map(str::to_string));
    assert!(out.len() > 100);
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Replace(usize, char),
    Insert(usize, String),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![
        Just("é".to_string()),
        Just("\u{1F600}".to_string()),
        Just("\u{0}".to_string()),
        Just("大".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("'".to_string()),
        Just("`".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just(";".to_string()),
        Just("--".to_string()),
        Just("/*".to_string()),
        Just("\\".to_string()),
        Just(" CHECK (".to_string()),
        Just(" DEFAULT ".to_string()),
        Just(" AS (".to_string()),
        Just(" KEY ".to_string()),
        "[ -~]{1,4}".prop_map(|s| s),
    ];
    let ch = prop_oneof![
        Just('é'),
        Just('\u{FFFD}'),
        Just('('),
        Just(')'),
        Just('\''),
        Just('`'),
        Just(' '),
        Just('0'),
        any::<char>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), ch).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<usize>(), text).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<usize>(), 1usize..20).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..30).prop_map(|(i, n)| Mutation::Repeat(i, n)),
    ]
}

/// Apply a mutation on character boundaries (the reader takes text).
fn apply(src: &str, m: &Mutation) -> String {
    let chars: Vec<char> = src.chars().collect();
    let at = |i: usize| {
        if chars.is_empty() {
            0
        } else {
            i % (chars.len() + 1)
        }
    };
    let s = |v: &[char]| v.iter().collect::<String>();
    match m {
        Mutation::Truncate(i) => s(&chars[..at(*i)]),
        Mutation::Replace(i, c) => {
            let mut v = chars.clone();
            if !v.is_empty() {
                let i = i % v.len();
                v[i] = *c;
            }
            s(&v)
        }
        Mutation::Insert(i, t) => {
            let i = at(*i);
            format!("{}{t}{}", s(&chars[..i]), s(&chars[i..]))
        }
        Mutation::Delete(i, n) => {
            let i = at(*i);
            let j = (i + n).min(chars.len());
            format!("{}{}", s(&chars[..i]), s(&chars[j..]))
        }
        Mutation::Repeat(i, n) => {
            let i = at(*i);
            let j = (i + n).min(chars.len());
            format!("{}{}", s(&chars[..j]), s(&chars[i..]))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_ddl_never_panics(
        pick in any::<usize>(),
        other in any::<usize>(),
        ms in proptest::collection::vec(mutation(), 1..4),
    ) {
        let corpus = corpus_cached();
        let mut text = corpus[pick % corpus.len()].clone();
        for m in &ms {
            text = apply(&text, m);
        }
        let server = ServerInfo::unknown();
        let mut read = parse_schema_sql(&text, &|_| true).schema;
        normalize_schema(&mut read, &server);
        let mut base = parse_schema_sql(&corpus[other % corpus.len()], &|_| false).schema;
        normalize_schema(&mut base, &server);
        for (live, target) in [(&base, &read), (&read, &base)] {
            let changes = diff_schemas(live, target);
            let opts = PlanOptions { allow_destructive: true, server: server.clone() };
            let _ = plan(&changes, live, target, &opts);
        }
    }
}

proptest! {
    // Random seeds, as every run: divergences found so far (`( DEFAULT a)` read as a column
    // with an operator class, `PRIMARY KEY name (id)`) are fixed and kept as unit tests in
    // tests/ast_gaps.rs or as seeds in parse_fuzz.proptest-regressions.
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Whatever a mutation makes of a statement, sqlparser's AST path and the hand grammar
    /// read it into the same model with the same warnings: the AST either reads a statement
    /// exactly as the hand grammar did, or hands it over to it.
    #[test]
    fn mutated_ddl_reads_the_same_through_the_ast_and_by_hand(
        pick in any::<usize>(),
        ms in proptest::collection::vec(mutation(), 0..3),
    ) {
        let corpus = corpus_cached();
        let mut text = corpus[pick % corpus.len()].clone();
        for m in &ms {
            text = apply(&text, m);
        }
        let ast = parse_schema_sql(&text, &|_| true);
        let hand = parse_schema_sql_by_hand(&text, &|_| true);
        // Where the hand grammar gave up on a table the AST may read syntax it did not know
        // (`PRIMARY KEY name (id)`, which MariaDB accepts): not a disagreement on the model.
        let gave_up: Vec<&String> = hand
            .schema
            .tables
            .iter()
            .filter(|(_, t)| t.unsupported.is_some())
            .map(|(n, _)| n)
            .collect();
        for (name, t) in &hand.schema.tables {
            if gave_up.contains(&name) {
                prop_assert!(ast.schema.tables.contains_key(name), "{}", text);
            } else {
                prop_assert_eq!(Some(t), ast.schema.tables.get(name), "{}", text);
            }
        }
        prop_assert_eq!(ast.schema.tables.len(), hand.schema.tables.len(), "{}", text);
        if gave_up.is_empty() {
            prop_assert_eq!(&ast.warnings, &hand.warnings, "{}", text);
        }
    }
}

fn corpus_cached() -> &'static Vec<String> {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(corpus)
}

#[test]
fn every_truncation_of_a_rich_table_is_read() {
    // Every prefix of one statement using most of the grammar.
    let src = "CREATE TABLE `t` (`id` bigint(20) unsigned NOT NULL AUTO_INCREMENT, \
        `a` varchar(191) COLLATE utf8mb4_bin DEFAULT 'it''s' COMMENT 'é', \
        `g` int AS (`id` * 2) VIRTUAL, `c` int CHECK (`c` > 0), `b` bit(1) DEFAULT b'1', \
        PRIMARY KEY (`id`), KEY `ia` (`a`(10), `id` DESC), FULLTEXT KEY `fa` (`a`), \
        CONSTRAINT `chk` CHECK (`id` <> 3), \
        CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `p` (`id`) ON DELETE SET NULL) \
        ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='x';";
    let server = ServerInfo::unknown();
    for (i, _) in src.char_indices() {
        let mut s = parse_schema_sql(&src[..i], &|_| false).schema;
        normalize_schema(&mut s, &server);
    }
}
