//! Parse timing, sqlparser's AST path (what the tool uses) beside the hand grammar it replaced:
//! every `reference-schemas/*.sql` and every `tests/corpus/*.sql`, N rounds (env N, default 20)
//! with the two paths interleaved so a busy shared machine slows both alike. Prints the fastest
//! round of each (least disturbed by other load) and the ratio, plus the tables read and the
//! DDL statements the AST left to the hand grammar.
//! Run: `cargo run --release --example bench_parse`; `ONLY=ast|hand` parses each file once
//! with one path, to count instructions with `perf stat -e instructions:u`.

use std::time::{Duration, Instant};

use mautic_schema::sql::{ParseOutcome, parse_schema_sql, parse_schema_sql_by_hand};

type Parse = fn(&str, &dyn Fn(&str) -> bool) -> ParseOutcome;

fn files(dir: &str) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("run from the repository root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn round(set: &[String], parse: Parse) -> Duration {
    let start = Instant::now();
    for src in set {
        std::hint::black_box(parse(src, &|t| t == "lead_fields"));
    }
    start.elapsed()
}

fn bench(label: &str, set: &[String], n: usize) {
    let (mut tables, mut by_hand) = (0, 0);
    for src in set {
        let out = parse_schema_sql(src, &|_| false);
        tables += out.schema.tables.len();
        by_hand += out.read_by_hand;
    }
    let (mut ast, mut hand) = (Duration::MAX, Duration::MAX);
    for _ in 0..n {
        ast = ast.min(round(set, parse_schema_sql));
        hand = hand.min(round(set, parse_schema_sql_by_hand));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<18} {:>3} files {:>5} tables ({by_hand} DDL by hand) | AST {:>8.2} ms  hand {:>8.2} ms  ratio {:.2}x",
        set.len(),
        tables,
        ms(ast),
        ms(hand),
        ms(ast) / ms(hand)
    );
}

fn main() {
    // ONLY=ast or ONLY=hand: just that path, for `perf stat -e instructions` (load-independent).
    if let Ok(only) = std::env::var("ONLY") {
        let parse: Parse = if only == "hand" {
            parse_schema_sql_by_hand
        } else {
            parse_schema_sql
        };
        for dir in ["reference-schemas", "tests/corpus"] {
            round(&files(dir), parse);
        }
        return;
    }
    let n = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    bench("reference-schemas", &files("reference-schemas"), n);
    bench("tests/corpus", &files("tests/corpus"), n);
}
