//! local.php reading time by size, to see that it grows linearly: generated files of 0.5 to
//! 5 MB in the two shapes that once took quadratic time (one array literal of many keys, and
//! many `$parameters['key'] = ...;` statements), each read with the tool's own
//! `parse_parameters` (the fastest of 3 rounds), side by side with the time per MB. Before the
//! fix a 5 MB file took 45 s; a real local.php is a few kB, and `check` refuses one over
//! `config::local_php::MAX_BYTES` (1 MB) before reading it.
//! Run: `cargo run --release --example bench_local_php`.

use std::path::Path;
use std::time::{Duration, Instant};

use mautic_schema::config::{Env, parse_parameters};

const HEAD: &str =
    "<?php\n$parameters = array(\n\t'db_host' => '127.0.0.1',\n\t'db_name' => 'mautic',\n";

fn array_literal(bytes: usize) -> String {
    let mut s = HEAD.to_string();
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "\t'key_{i}' => 'value number {i}, padded to look like a setting',\n"
        ));
        i += 1;
    }
    s + ");\n"
}

fn assignments(bytes: usize) -> String {
    let mut s = format!("{HEAD});\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "$parameters['key_{i}'] = 'value number {i}, padded like a setting';\n"
        ));
        i += 1;
    }
    s
}

fn fastest(src: &str) -> Duration {
    let env = Env::from_pairs([]);
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let p = parse_parameters(src, Path::new("local.php"), &env).expect("parses");
            std::hint::black_box(p);
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    println!(
        "{:<22} {:>8} {:>10} {:>10}",
        "shape", "MB", "ms", "ms per MB"
    );
    for (shape, make) in [
        ("array literal", array_literal as fn(usize) -> String),
        ("assignment statements", assignments),
    ] {
        for mb in [0.5, 1.0, 2.0, 5.0] {
            let src = make((mb * 1e6) as usize);
            let ms = fastest(&src).as_secs_f64() * 1e3;
            println!(
                "{shape:<22} {:>8.1} {ms:>10.1} {:>10.1}",
                src.len() as f64 / 1e6,
                ms / (src.len() as f64 / 1e6)
            );
        }
    }
}
