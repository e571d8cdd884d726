//! What a shell user meets besides the commands: bash completion run for real, help wrapped
//! for a pager, the man page's own sections, and the environment variables the documents name.

mod common;

use std::path::Path;
use std::process::Command;

use common::bin;

fn out(args: &[&str]) -> String {
    let o = bin().env_remove("COLUMNS").args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", common::text(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// What bash's completion function answers for `line` (the word being completed last),
/// found the way bash finds it: through `complete -p`.
fn complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
spec=$(complete -p mautic-schema) || exit 3
fn=${{spec##*-F }}; fn=${{fn%% *}}
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
"$fn" mautic-schema "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        words = quoted.join(" ")
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{}", common::text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `mautic-schema check --<TAB>` offers check's flags (clap_complete's script completed
/// nothing after a subcommand for a hyphenated binary name), and values complete too.
#[test]
fn bash_completes_after_the_subcommand() {
    let dir = common::scratch_dir();
    let script = dir.path().join("mautic-schema.bash");
    std::fs::write(&script, out(&["completions", "bash"])).unwrap();

    let top = complete(&script, &["mautic-schema", ""]);
    for sub in ["check", "apply", "preflight", "report"] {
        assert!(top.iter().any(|w| w == sub), "{sub} not in {top:?}");
    }
    let check = complete(&script, &["mautic-schema", "check", "--"]);
    for flag in [
        "--mautic-dir",
        "--format",
        "--target",
        "--only-problems",
        "--jobs",
    ] {
        assert!(check.iter().any(|w| w == flag), "{flag} not in {check:?}");
    }
    assert!(!check.iter().any(|w| w == "--yes"), "{check:?}");
    let format = complete(&script, &["mautic-schema", "check", "--format", ""]);
    assert_eq!(format, ["table", "json", "sql", "diff"]);
    let apply = complete(&script, &["mautic-schema", "apply", "--dr"]);
    assert_eq!(apply, ["--dry-run"]);
}

/// Help on a pipe is wrapped for an 80-column pager, usage lines included.
#[test]
fn help_fits_80_columns_on_a_pipe() {
    let mut pages = vec![out(&["--help"])];
    for sub in [
        "check",
        "diff",
        "apply",
        "restore",
        "snapshot",
        "preflight",
        "report",
        "versions",
        "completions",
        "man",
        "explain",
    ] {
        pages.push(out(&[sub, "--help"]));
        pages.push(out(&[sub, "-h"]));
    }
    for page in &pages {
        for line in page.lines() {
            assert!(line.chars().count() <= 80, "{} columns: {line}", line.len());
        }
    }
    // The wrapped usage line still names every source.
    let preflight = out(&["preflight", "-h"]);
    assert!(preflight.contains("--dump <FILE>>"), "{preflight}");
    // COLUMNS is honoured off a terminal, up to 100.
    let o = bin()
        .env("COLUMNS", "200")
        .args(["apply", "--help"])
        .output()
        .unwrap();
    let wide = String::from_utf8_lossy(&o.stdout);
    let longest = wide.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest > 80 && longest <= 100, "{longest}");
}

/// The man page has the sections a careful reader looks for, and each variable the tool reads.
#[test]
fn man_page_has_examples_environment_files_and_exit_status() {
    let page = out(&["man"]);
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|s| s.trim_matches('"'))
        .collect();
    for want in [
        "NAME",
        "SYNOPSIS",
        "EXAMPLES",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
    ] {
        assert!(sections.contains(&want), "{want} not in {sections:?}");
    }
    let section = |name: &str| -> String {
        let start = page.find(name).unwrap();
        let end = page[start + 4..]
            .find("\n.SH ")
            .map_or(page.len(), |e| start + 4 + e);
        page[start..end].to_string()
    };
    for (name, _) in mautic_schema::commands::generated::ENVIRONMENT {
        assert!(
            section(".SH ENVIRONMENT").contains(&name.replace('_', "\\_"))
                || section(".SH ENVIRONMENT").contains(name),
            "{name}"
        );
    }
    let exit = section(".SH \"EXIT STATUS\"");
    for code in ["0:", "1:", "2:"] {
        assert!(exit.contains(code), "{exit}");
    }
    assert!(section(".SH FILES").contains("mautic_schema_journal"));
    assert!(section(".SH FILES").contains("local.php"));
    // Each subcommand's own page says what its exit codes mean.
    let dir = common::scratch_dir();
    let o = bin()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", common::text(&o));
    for sub in ["check", "apply", "preflight", "restore"] {
        let p = std::fs::read_to_string(dir.path().join(format!("mautic-schema-{sub}.1"))).unwrap();
        assert!(p.contains(".SH \"EXIT STATUS\""), "{sub}");
    }
}

/// Every environment variable a document names is one the code reads, and every one the code
/// reads is listed in the man page's ENVIRONMENT (docs/errors/config.md once named
/// MAUTIC_DB_PREFIX, which nothing reads).
#[test]
fn documents_name_the_environment_the_code_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed: Vec<&str> = mautic_schema::commands::generated::ENVIRONMENT
        .iter()
        .map(|(n, _)| *n)
        .collect();
    // Read by the code: the name as a string literal passed to a reading function.
    let mut read = std::collections::BTreeSet::new();
    for file in rust_files(&root.join("src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for call in [
            "process_var(\"",
            "var_os(\"",
            "env::var(\"",
            "over(\"",
            "nonempty(\"",
        ] {
            for (i, _) in text.match_indices(call) {
                let rest = &text[i + call.len()..];
                let name = &rest[..rest.find('"').unwrap()];
                read.insert(name.to_string());
            }
        }
    }
    // Test hooks that only debug builds and unit tests (the test suite) read: not for users,
    // not listed.
    const TEST_HOOKS: &[&str] = &["MAUTIC_SCHEMA_TEST_PAUSE", "UPDATE_GOLDEN"];
    for hook in TEST_HOOKS {
        assert!(
            read.remove(*hook),
            "{hook} is no longer read: drop it from this list"
        );
    }
    let listed_set: std::collections::BTreeSet<String> =
        listed.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        read, listed_set,
        "read by the code vs listed in the man page"
    );
    // Named by the documents: MAUTIC_*, MYSQL_*, XDG_* words, and the listed plain names in
    // backquotes.
    let mut docs = vec![root.join("README.md")];
    docs.extend(md_files(&root.join("docs")));
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            let env_like = ["MAUTIC_", "MYSQL_", "XDG_"]
                .iter()
                .any(|p| word.starts_with(p))
                && !word.ends_with('_');
            if env_like {
                assert!(
                    listed.contains(&word),
                    "{} names {word}, which the tool does not read",
                    doc.display()
                );
            }
        }
    }
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    files(dir, "rs")
}

fn md_files(dir: &Path) -> Vec<std::path::PathBuf> {
    files(dir, "md")
}

fn files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out
}
