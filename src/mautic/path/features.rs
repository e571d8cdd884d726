//! Statements some server versions refuse: a migration's SQL that needs a feature (see
//! `dialect::Feature`) the server running the upgrade does not have.

use super::refusal::Refusal;
use crate::dialect::{Feature, ServerError, ServerInfo};

/// How to spot a feature's words in upper-cased SQL.
type Spot = fn(&str) -> bool;

/// (feature, what in the statement needs it, how to spot it).
const NEEDS: &[(Feature, &str, Spot)] = &[
    (Feature::RenameIndex, "ALTER TABLE ... RENAME INDEX", |s| {
        s.contains("RENAME INDEX") || s.contains("RENAME KEY")
    }),
    (Feature::JsonColumn, "the JSON column type", |s| {
        s.contains(" JSON ") || s.contains(" JSON,") || s.ends_with(" JSON")
    }),
];

/// What `sql` needs that `server` does not have, as refusals (the server answers a syntax
/// error: it does not know the words).
pub fn missing(sql: &str, server: &ServerInfo) -> Vec<Refusal> {
    let upper = sql.to_ascii_uppercase();
    NEEDS
        .iter()
        .filter(|(f, _, used)| used(&upper) && !server.has(*f))
        .map(|(f, what, _)| {
            let since = server
                .first_with(*f)
                .map(|v| format!("{} {v} or newer", server.flavor))
                .unwrap_or_else(|| format!("a server other than {}", server.flavor));
            Refusal {
                error: ServerError::Syntax,
                errno: None,
                object: format!("server {}", server.version_string),
                why: format!(
                    "{} {} does not know {what}",
                    server.flavor, server.version_string
                ),
                query: "SELECT VERSION()".into(),
                fix: format!("upgrade the server to {since} before upgrading Mautic"),
            }
        })
        .collect()
}
