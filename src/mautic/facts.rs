//! What the Mautic layer learnt about an install: versions, the reference used, the migrations
//! table against the target, code newer than the database. Library data: the JSON contract maps
//! it one way (`report::contract::ReleaseFacts::of`), so a change here cannot change JSON v1
//! unnoticed.

use crate::mautic::migrations::MigrationKind;

/// Versions, migrations and the explanation of one comparison.
#[derive(Debug, Clone, Default)]
pub struct ReleaseFacts {
    /// The release the database is at (`4.4.6`, or a range `4.4.0-4.4.6`); `None` when unknown.
    pub detected_version: Option<String>,
    /// `migrations` or `schema`: how `detected_version` was found.
    pub detected_by: Option<&'static str>,
    /// The release the install's files say; `None` without --mautic-dir.
    pub code_version: Option<String>,
    /// The release compared with; `None` with a reference file.
    pub target_release: Option<String>,
    /// The bundled reference used (`None` with a reference file).
    pub reference: Option<ReferenceUsed>,
    pub migrations: MigrationsFacts,
    pub code_ahead: Option<CodeAhead>,
    pub explanation: Vec<String>,
}

/// `target_exact`: the target has a reference of its own; otherwise `reference_release` is the
/// nearest bundled one it was compared with.
#[derive(Debug, Clone)]
pub struct ReferenceUsed {
    pub target_exact: bool,
    pub reference_release: String,
    pub reference_file: String,
}

/// The migrations table against the target. `pending` and `unknown` are `None` when the bundled
/// index does not reach the target: nothing can be said, which is not "nothing pending".
#[derive(Debug, Clone, Default)]
pub struct MigrationsFacts {
    pub table_present: bool,
    /// Its rows are unknown (a dump without rows): nothing is said of what it records.
    pub rows_unknown: bool,
    pub index_covers_target: bool,
    pub applied: Vec<String>,
    pub pending: Option<Vec<PendingMigration>>,
    pub unknown: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct PendingMigration {
    pub version: String,
    pub kind: MigrationKind,
    pub summary: String,
}

/// The install's files are newer than its database: an upgrade whose migrations did not run.
#[derive(Debug, Clone)]
pub struct CodeAhead {
    pub database: String,
    pub code: String,
    /// Data migrations only Mautic's migrate runs; `None` when the index does not reach `code`.
    pub data_migrations: Option<Vec<MigrationRef>>,
}

#[derive(Debug, Clone)]
pub struct MigrationRef {
    pub version: String,
    pub summary: String,
}
