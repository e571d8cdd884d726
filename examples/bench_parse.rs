//! Parse timing: every `reference-schemas/*.sql` and every `tests/corpus/*.sql`, N rounds
//! (env N, default 20), mean milliseconds per round for each set, plus table and unsupported
//! counts so two builds can be compared for speed and for what they read.
//! Run: `cargo run --release --example bench_parse`.

use std::time::Instant;

use mautic_schema::sql::parse_schema_sql;

fn files(dir: &str) -> Vec<(String, String)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("run from the repository root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn bench(label: &str, set: &[(String, String)], n: usize) {
    let (mut tables, mut unsupported) = (0, 0);
    for (_, src) in set {
        let out = parse_schema_sql(src, &|t| t == "lead_fields" || t == "migrations");
        tables += out.schema.tables.len();
        unsupported += out
            .schema
            .tables
            .values()
            .filter(|t| t.unsupported.is_some())
            .count();
    }
    let start = Instant::now();
    for _ in 0..n {
        for (_, src) in set {
            std::hint::black_box(parse_schema_sql(src, &|t| t == "lead_fields"));
        }
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let bytes: usize = set.iter().map(|(_, s)| s.len()).sum();
    println!(
        "{label:<20} {:>3} files {:>9} bytes {:>5} tables {:>3} unsupported {:>9.2} ms/round",
        set.len(),
        bytes,
        tables,
        unsupported,
        ms
    );
}

fn main() {
    let n = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    bench("reference-schemas", &files("reference-schemas"), n);
    bench("tests/corpus", &files("tests/corpus"), n);
}
