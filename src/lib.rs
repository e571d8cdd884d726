//! mautic-schema: compare a live Mautic MySQL/MariaDB schema with the reference of a release,
//! explain the gap and reconcile it safely.

pub mod apply;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod comparison;
pub mod config;
pub mod db;
pub mod dialect;
pub mod diff;
pub mod error;
pub mod external;
pub mod inspect;
pub mod mautic;
pub mod plan;
pub mod progress;
pub mod report;
pub mod schema;
pub mod sql;
pub mod text;

/// The layers CONTRIBUTING.md describes, checked on the sources: the model and the engine know
/// nothing of the command line, the renderers or Mautic; the Mautic layer, `apply` and the
/// comparison result know nothing of the command line or the renderers (the JSON contract maps
/// them one way); the renderers know nothing of the command line.
#[cfg(test)]
mod layering {
    use std::path::{Path, PathBuf};

    fn sources(under: &str) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(under);
        if root.is_file() {
            return vec![root];
        }
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        out
    }

    fn uses(path: &Path, module: &str) -> bool {
        let text = std::fs::read_to_string(path).unwrap();
        text.contains(&format!("crate::{module}::"))
            || text.contains(&format!("crate::{module}}}"))
            || text.contains(&format!("crate::{{{module}"))
            || text.contains(&format!("use crate::{module};"))
            || (module == "cli" && text.contains("clap::"))
    }

    #[test]
    fn lower_layers_do_not_reach_up() {
        let rules: &[(&str, &[&str])] = &[
            (
                "schema",
                &["cli", "commands", "report", "mautic", "apply", "db"],
            ),
            (
                "diff",
                &["cli", "commands", "report", "mautic", "apply", "db"],
            ),
            ("dialect", &["cli", "commands", "report", "mautic", "apply"]),
            (
                "sql",
                &["cli", "commands", "report", "mautic", "apply", "db"],
            ),
            ("plan", &["cli", "commands", "report", "mautic", "apply"]),
            ("config", &["cli", "commands", "report"]),
            ("db.rs", &["cli", "commands", "report", "mautic"]),
            ("inspect", &["cli", "commands", "report", "mautic"]),
            (
                "external",
                &["cli", "commands", "report", "mautic", "apply"],
            ),
            ("mautic", &["cli", "commands", "report"]),
            // Preflight's assessment is typed data: the command line, the connection's
            // settings, the progress display and the printing stay with the command.
            ("mautic/preflight", &["cli", "commands", "report", "config"]),
            ("apply", &["cli", "commands", "report"]),
            ("comparison.rs", &["cli", "commands", "report"]),
            ("compare.rs", &["cli", "commands", "report"]),
            ("progress", &["cli", "commands", "report"]),
            ("report", &["cli", "commands"]),
        ];
        let mut broken = Vec::new();
        for (layer, forbidden) in rules {
            for file in sources(layer) {
                for m in *forbidden {
                    if uses(&file, m) {
                        broken.push(format!("{} uses crate::{m}", file.display()));
                    }
                }
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }

    /// The library's own types never reach the JSON contract directly: a contract document
    /// holds the contract's types only, filled one way (`of`), so a change inside `apply` or
    /// `mautic` cannot change JSON v1 unnoticed.
    #[test]
    fn the_contract_holds_only_its_own_types() {
        let mut broken = Vec::new();
        for file in sources("report/contract") {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let l = line.trim_start();
                let field = l.starts_with("pub ") && !l.starts_with("pub fn") && l.contains(": ");
                for lib in ["crate::apply::", "crate::mautic::", "crate::comparison::"] {
                    if field && line.contains(lib) {
                        broken.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
                for t in [
                    "ApplySummary>",
                    ": ApplySummary",
                    ": Backup,",
                    "<Backup>",
                    "<Rehearsal>",
                ] {
                    if field && line.contains(t) {
                        broken.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
