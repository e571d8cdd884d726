//! The JSON contract (docs/json.md): one typed document per command and outcome. Every document
//! carries `format_version`; additions keep it, a renamed or removed field or a changed meaning
//! raises it. Documents are plain data: the commands fill them, nothing here does I/O.

mod apply;
mod apply_parts;
mod check;
mod error;
mod facts;
mod fleet;
mod other;

pub use apply::{ApplyDoc, ApplyOutcome, PrecheckStatus, RemainingChange, StatementRun};
pub use apply_parts::{BackupDoc, RehearsalDoc, SummaryDoc};
pub use check::{CheckDoc, CheckSummary, VerdictDoc, render_json};
pub use error::{ERROR_EXIT_CODE, ErrorBody, ErrorDoc};
pub use facts::{
    CodeAhead, MigrationRef, MigrationsFacts, PendingMigration, ReferenceUsed, ReleaseFacts, Stats,
};
pub use fleet::{FLEET_FORMAT_VERSION, FleetCheck, FleetLine, FleetPreflight, FleetPreflightLine};
pub use other::{
    PreflightCheck, PreflightDoc, PreflightMigration, ReleaseLine, RestoreDoc, SnapshotDoc,
    VersionsDoc,
};

use serde::Serialize;

/// The contract's version: raised only by a breaking change.
pub const FORMAT_VERSION: u32 = 1;

/// A document as pretty JSON with sorted keys (stable output, whatever the struct order) and a
/// final newline.
pub fn to_json<T: Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_value(doc)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .expect("the JSON documents are plain data");
    s.push('\n');
    s
}

/// A document on one line, sorted keys (the fleet's JSON lines).
pub fn to_json_line<T: Serialize>(doc: &T) -> String {
    serde_json::to_value(doc)
        .map(|v| v.to_string())
        .expect("the JSON documents are plain data")
}
