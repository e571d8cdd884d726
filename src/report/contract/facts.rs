//! What the Mautic layer learnt about an install (`mautic::facts`), as the check document shows
//! it. These are the contract's own types, filled one way from the library's by `of`: a field
//! added to the library does not reach JSON v1 until it is mapped here.

use serde::Serialize;

use crate::comparison;
use crate::mautic::facts as lib;
use crate::mautic::migrations::MigrationKind;

/// Versions, migrations and the explanation of one comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReleaseFacts {
    /// The release the database is at (`4.4.6`, or a range `4.4.0-4.4.6`); null when unknown.
    pub detected_version: Option<String>,
    /// `migrations` or `schema`: how `detected_version` was found; null when unknown.
    pub detected_by: Option<&'static str>,
    /// The release the install's files say; null without --mautic-dir.
    pub code_version: Option<String>,
    /// The release compared with; `None` with a reference file (then the document's `target`
    /// is the report's description of that file).
    #[serde(skip)]
    pub target_release: Option<String>,
    /// The bundled reference used (absent with a reference file).
    #[serde(flatten)]
    pub reference: Option<ReferenceUsed>,
    pub migrations: MigrationsFacts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_ahead: Option<CodeAhead>,
    pub explanation: Vec<String>,
}

/// `target_exact`: the target has a reference of its own; otherwise `reference_release` is the
/// nearest bundled one it was compared with.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceUsed {
    pub target_exact: bool,
    pub reference_release: String,
    pub reference_file: String,
}

/// The migrations table against the target. `pending` and `unknown` are null when the bundled
/// index does not reach the target, or the table's rows are unknown (a dump without rows):
/// nothing can be said, which is not "nothing pending". An empty table records nothing, like a
/// missing one: nothing is pending.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrationsFacts {
    pub table_present: bool,
    pub index_covers_target: bool,
    pub applied: Vec<String>,
    pub pending: Option<Vec<PendingMigration>>,
    pub unknown: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingMigration {
    pub version: String,
    /// `schema`, `data` or `noop`.
    pub kind: &'static str,
    pub summary: String,
}

/// The install's files are newer than its database: an upgrade whose migrations did not run.
#[derive(Debug, Clone, Serialize)]
pub struct CodeAhead {
    pub database: String,
    pub code: String,
    /// Data migrations only Mautic's migrate runs; null when the index does not reach `code`.
    pub data_migrations: Option<Vec<MigrationRef>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MigrationRef {
    pub version: String,
    pub summary: String,
}

/// What reading the live side cost.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub catalog_queries: u32,
    /// Milliseconds, rounded.
    pub inspect_ms: f64,
}

impl ReleaseFacts {
    pub fn of(f: &lib::ReleaseFacts) -> Self {
        ReleaseFacts {
            detected_version: f.detected_version.clone(),
            detected_by: f.detected_by,
            code_version: f.code_version.clone(),
            target_release: f.target_release.clone(),
            reference: f.reference.as_ref().map(|r| ReferenceUsed {
                target_exact: r.target_exact,
                reference_release: r.reference_release.clone(),
                reference_file: r.reference_file.clone(),
            }),
            migrations: MigrationsFacts::of(&f.migrations),
            code_ahead: f.code_ahead.as_ref().map(|a| CodeAhead {
                database: a.database.clone(),
                code: a.code.clone(),
                data_migrations: a.data_migrations.as_ref().map(|ms| {
                    ms.iter()
                        .map(|m| MigrationRef {
                            version: m.version.clone(),
                            summary: m.summary.clone(),
                        })
                        .collect()
                }),
            }),
            explanation: f.explanation.clone(),
        }
    }
}

impl MigrationsFacts {
    fn of(m: &lib::MigrationsFacts) -> Self {
        MigrationsFacts {
            table_present: m.table_present,
            index_covers_target: m.index_covers_target,
            applied: m.applied.clone(),
            pending: m.pending.as_ref().map(|ps| {
                ps.iter()
                    .map(|p| PendingMigration {
                        version: p.version.clone(),
                        kind: kind_name(p.kind),
                        summary: p.summary.clone(),
                    })
                    .collect()
            }),
            unknown: m.unknown.clone(),
        }
    }
}

/// A migration's kind as JSON v1 spells it.
pub fn kind_name(k: MigrationKind) -> &'static str {
    match k {
        MigrationKind::Schema => "schema",
        MigrationKind::Data => "data",
        MigrationKind::Noop => "noop",
    }
}

impl Stats {
    pub fn of(s: &comparison::Stats) -> Self {
        Stats {
            catalog_queries: s.catalog_queries,
            inspect_ms: s.inspect_ms,
        }
    }
}
