//! Embeds the reference schemas and the migrations index in the binary, so the tool is one
//! file. Reads `reference-schemas/index.tsv` (release → file) and `migrations-index/*.tsv`.

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/mautic/names.rs"]
mod names;
#[allow(dead_code)]
#[path = "src/sql/split.rs"]
mod split;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = String::new();
    let refs = root.join("reference-schemas");
    println!("cargo:rerun-if-changed=reference-schemas");
    println!("cargo:rerun-if-changed=migrations-index");
    let mut releases = Vec::new();
    let mut files = std::collections::BTreeSet::new();
    if let Ok(index) = std::fs::read_to_string(refs.join("index.tsv")) {
        println!("cargo:rerun-if-changed=reference-schemas/index.tsv");
        for line in index
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut parts = line.split('\t');
            let (Some(release), Some(file)) = (parts.next(), parts.next()) else {
                continue;
            };
            // An empty file: a release known to exist, without a reference of its own.
            let file = file.trim().to_string();
            releases.push((release.trim().to_string(), file.clone()));
            if !file.is_empty() {
                files.insert(file);
            }
        }
    }
    code.push_str(
        "/// (release, reference file name; empty: none of its own)\npub static REFERENCE_INDEX: &[(&str, &str)] = &[\n",
    );
    for (r, f) in &releases {
        writeln!(code, "    ({r:?}, {f:?}),").unwrap();
    }
    code.push_str("];\n/// (file name, DDL)\npub static REFERENCE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let path = refs.join(f);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({f:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    // Table and column names of each reference, for version detection without parsing.
    code.push_str("/// (file name, [(table, [columns])])\n#[allow(clippy::type_complexity)]\npub static REFERENCE_NAMES: &[(&str, &[(&str, &[&str])])] = &[\n");
    for f in &files {
        let ddl = std::fs::read_to_string(refs.join(f)).unwrap();
        let n =
            names::names_from_statements(split::split_statements(&ddl).into_iter().map(|s| s.text));
        write!(code, "    ({f:?}, &[").unwrap();
        for (t, cols) in n {
            write!(
                code,
                "({t:?}, &{:?}), ",
                cols.into_iter().collect::<Vec<_>>()
            )
            .unwrap();
        }
        code.push_str("]),\n");
    }
    code.push_str("];\n");
    for (name, file) in [
        ("MIGRATIONS_TSV", "migrations.tsv"),
        ("RELEASES_TSV", "releases.tsv"),
        ("EFFECTS_TSV", "effects.tsv"),
    ] {
        let path = root.join("migrations-index").join(file);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(
                code,
                "pub static {name}: &str = include_str!({:?});",
                path.display().to_string()
            )
            .unwrap();
        } else {
            writeln!(code, "pub static {name}: &str = \"\";").unwrap();
        }
    }
    std::fs::write(out, code).unwrap();
}
