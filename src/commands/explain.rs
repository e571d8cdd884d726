//! `explain`: the pages of `docs/` built into the binary, so that what an error means and what
//! to do about it is at hand on a server without this repository.

use super::Outcome;
use crate::cli::ExplainArgs;
use crate::error::{Error, Result};

/// (topic, page): the topic is the page's file name under docs/ or docs/errors/ (the user
/// guide first, then one page per error; `reference-schemas` is docs/references.md, whose
/// name the error page on a missing reference has).
pub const TOPICS: &[(&str, &str)] = &[
    ("usage", include_str!("../../docs/usage.md")),
    ("preflight", include_str!("../../docs/preflight.md")),
    ("apply", include_str!("../../docs/apply.md")),
    ("json", include_str!("../../docs/json.md")),
    (
        "reference-schemas",
        include_str!("../../docs/references.md"),
    ),
    (
        "reading-the-output",
        include_str!("../../docs/reading-the-output.md"),
    ),
    ("connect", include_str!("../../docs/errors/connect.md")),
    ("config", include_str!("../../docs/errors/config.md")),
    (
        "privileges",
        include_str!("../../docs/errors/privileges.md"),
    ),
    ("prechecks", include_str!("../../docs/errors/prechecks.md")),
    ("rehearsal", include_str!("../../docs/errors/rehearsal.md")),
    ("backup", include_str!("../../docs/errors/backup.md")),
    (
        "not-confirmed",
        include_str!("../../docs/errors/not-confirmed.md"),
    ),
    ("lock-held", include_str!("../../docs/errors/lock-held.md")),
    (
        "interrupted",
        include_str!("../../docs/errors/interrupted.md"),
    ),
    ("restore", include_str!("../../docs/errors/restore.md")),
    ("values", include_str!("../../docs/errors/values.md")),
    (
        "references",
        include_str!("../../docs/errors/references.md"),
    ),
    (
        "code-ahead",
        include_str!("../../docs/errors/code-ahead.md"),
    ),
];

fn title(page: &str) -> &str {
    page.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
}

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let Some(topic) = &args.topic else {
        for (t, page) in TOPICS {
            println!("{t:<20} {}", title(page));
        }
        return Ok(Outcome::InSync);
    };
    let wanted = topic.trim().to_ascii_lowercase();
    match TOPICS.iter().find(|(t, _)| *t == wanted) {
        Some((_, page)) => {
            print!("{page}");
            Ok(Outcome::InSync)
        }
        None => Err(Error::Input(format!(
            "no page on '{topic}': `mautic-schema explain` lists the topics"
        ))),
    }
}
