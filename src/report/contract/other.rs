//! The documents of the commands that do not compare: preflight, versions, snapshot, restore.

use serde::Serialize;

use super::BackupDoc;

/// `preflight --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct PreflightDoc {
    pub format_version: u32,
    /// The release the database is at (`unknown` when it cannot be told).
    pub from: String,
    pub to: String,
    /// No check found a blocker.
    pub go: bool,
    /// The one verdict: the blockers, else the database's own as `check` gives it.
    pub verdict: super::VerdictDoc,
    /// The bundled migrations index reaches `to`.
    pub migrations_known: bool,
    pub migrations_recorded: usize,
    pub migrations: Vec<PreflightMigration>,
    pub checks: Vec<PreflightCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreflightMigration {
    /// Doctrine's class name (`Version20230615101328`).
    pub migration: String,
    pub verdict: &'static str,
    pub summary: String,
    /// A would-fail's server error ("1061: index ... already exists"), else empty.
    pub error: String,
    /// The statement that would fail, else empty.
    pub statement: String,
    /// A query that shows what is in the way, else empty.
    pub query: String,
    /// What clears it, else empty.
    pub fix: String,
    /// Whether the migration skips itself under a condition: null when its guard is code the
    /// tool cannot express.
    pub guarded: Option<bool>,
    /// Its guard as migrations-index/guards.tsv writes it.
    pub guard: String,
    /// For `will skip`: the guard's alternative that holds on this database.
    pub skipped_because: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreflightCheck {
    pub check: &'static str,
    /// `ok`, `warning` or `BLOCKER`.
    pub status: &'static str,
    pub message: String,
    /// The query that shows what is in the way (empty when there is none).
    pub investigate: String,
}

/// `versions --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct VersionsDoc {
    pub format_version: u32,
    pub releases: Vec<ReleaseLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseLine {
    pub release: String,
    /// `exact` (a reference of its own), `approximated` (the nearest bundled release's) or
    /// `none` (no bundled reference in its major.minor).
    pub status: &'static str,
    /// The bundled reference file compared with; null for `none`.
    pub reference_file: Option<String>,
    /// The release whose reference is used; null for `none`.
    pub reference_release: Option<String>,
    /// Where that reference's schema came from.
    pub provenance: Option<String>,
}

/// `snapshot --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotDoc {
    pub format_version: u32,
    pub source: String,
    pub server_version: String,
    pub prefix: String,
    pub tables: Vec<String>,
    /// The file written (--output); null when the DDL is in `ddl`.
    pub output: Option<String>,
    /// The reference file's text when there is no --output.
    pub ddl: Option<String>,
}

/// `restore --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreDoc {
    pub format_version: u32,
    pub backup: BackupDoc,
    pub database: String,
    /// Restored into the database the backup was taken of (tables the run created dropped).
    pub rollback: bool,
    /// Live tables the swap moved out (replaced by the backup's, or created by the run), then
    /// dropped with the holding database.
    pub dropped: Vec<String>,
    /// For a rollback: the schema matches the fingerprint taken before `apply` (null otherwise).
    pub verified: Option<bool>,
}
