//! Embeds the reference schemas and the migrations index in the binary, so the tool is one
//! file. Reads `reference-schemas/index.tsv` (release → file) and `migrations-index/*.tsv`.
//!
//! Each reference is also parsed here, by the crate's own reader (`src/sql`, `src/schema`,
//! included below), and its model embedded in postcard form: `check` then deserializes a
//! reference in well under a millisecond instead of parsing its DDL on every run, and a
//! reference the reader cannot read fully fails the build instead of a user's run.

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/mautic/names.rs"]
mod names;
// `crate::schema` and `crate::sql` resolve to these, as in the library: the two modules depend
// only on each other, on std, serde and sqlparser.
#[allow(dead_code, unused_imports)]
#[path = "src/schema/mod.rs"]
mod schema;
#[allow(dead_code, unused_imports)]
#[path = "src/sql/mod.rs"]
mod sql;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = String::new();
    let refs = root.join("reference-schemas");
    println!("cargo:rerun-if-changed=reference-schemas");
    println!("cargo:rerun-if-changed=migrations-index");
    println!("cargo:rerun-if-changed=src/sql");
    println!("cargo:rerun-if-changed=src/schema");
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
            names::names_from_statements(sql::split_statements(&ddl).into_iter().map(|s| s.text));
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
    embed_models(&refs, &files, &mut code);
    for (name, file) in [
        ("MIGRATIONS_TSV", "migrations.tsv"),
        ("RELEASES_TSV", "releases.tsv"),
        ("EFFECTS_TSV", "effects.tsv"),
        ("SOURCES_TSV", "sources.tsv"),
        ("GUARDS_TSV", "guards.tsv"),
        ("HISTORY_TSV", "history.tsv"),
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

/// `REFERENCE_MODELS`: each reference file's parsed schema (not yet normalized for a server,
/// which happens at run time), postcard-encoded. A reference with a statement the reader
/// could not read, or a table it marks unsupported, stops the build with that statement.
fn embed_models(refs: &Path, files: &std::collections::BTreeSet<String>, code: &mut String) {
    let out_dir = Path::new(&std::env::var("OUT_DIR").unwrap()).join("models");
    std::fs::create_dir_all(&out_dir).unwrap();
    code.push_str("/// (file name, postcard-encoded `Schema`)\npub static REFERENCE_MODELS: &[(&str, &[u8])] = &[\n");
    for f in files {
        let ddl = std::fs::read_to_string(refs.join(f)).unwrap();
        let parsed = sql::parse_schema_sql(&ddl, &|_| false);
        if let Some(w) = parsed.warnings.first() {
            panic!("reference-schemas/{f} is not read fully: {w}");
        }
        if let Some(t) = parsed
            .schema
            .tables
            .values()
            .find(|t| t.unsupported.is_some())
        {
            panic!(
                "reference-schemas/{f}: table {} is not understood: {}",
                t.name,
                t.unsupported.as_deref().unwrap_or_default()
            );
        }
        let bytes = postcard::to_allocvec(&parsed.schema).unwrap();
        let path = out_dir.join(format!("{f}.postcard"));
        std::fs::write(&path, bytes).unwrap();
        writeln!(
            code,
            "    ({f:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
}
