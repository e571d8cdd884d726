//! Everything a comparison produced, and its four renderings: a table for people, JSON for
//! machines, SQL for review, unified diffs of canonical CREATE TABLE text.

mod announce;
pub mod contract;
mod markdown;
pub mod progress;
mod redact;
mod sql;
mod table;
mod unified;

pub use announce::{
    Announcement, announce, announcement_lines, duration, estimate_seconds, headline,
};
pub use contract::render_json;
pub use markdown::{FORUM_BUDGET, MarkdownInput, Prechecks, Preflight, render_markdown};
pub use redact::{Kind as Redacted, Secret, public_names, redact};
pub use sql::{change_sql, render_sql};
pub use table::{render_table, render_table_at};
pub use unified::render_unified;

use crate::dialect::ServerInfo;
use crate::diff::{Change, Severity};
use crate::plan::Plan;
use crate::schema::Schema;

/// The result of one comparison, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was inspected (a server and database, or a dump file), never with a password.
    pub source: String,
    /// What it was compared against (a reference file, a release).
    pub target: String,
    pub server: ServerInfo,
    pub changes: Vec<Change>,
    pub plan: Plan,
    /// Tables outside the install's prefix or otherwise not the tool's business.
    pub foreign_tables: Vec<String>,
    /// Other installs of the same application among `foreign_tables`: (prefix, its tables).
    pub other_installs: Vec<(String, Vec<String>)>,
    /// One-line remarks worth showing (warnings from reading the inputs).
    pub notes: Vec<String>,
    /// What a DBA needs first: versions, migrations, where the drift is (Mautic layer).
    pub explanation: Vec<String>,
    pub live: Schema,
    pub reference: Schema,
    /// What the Mautic layer learnt: versions, migrations, the reference used.
    pub facts: contract::ReleaseFacts,
    /// What reading the live side cost.
    pub stats: contract::Stats,
    /// Set by the Mautic layer when pending schema-only migrations also make it out of sync.
    pub pending_schema_migrations: usize,
    /// Migrations-table statements that run after the schema statements, in one transaction.
    pub bookkeeping: Bookkeeping,
    /// Each table's rows and bytes, when a connection could tell (`None` for a dump).
    pub sizes: Option<std::collections::BTreeMap<String, crate::plan::split::Size>>,
    /// An `apply` that stopped part way, and what its online changes left (`check` asks).
    pub interrupted: Option<crate::apply::online::Interrupted>,
}

/// Data statements that follow the DDL: recording migrations, and what must be left to Mautic.
#[derive(Debug, Clone, Default)]
pub struct Bookkeeping {
    /// (why, statement)
    pub statements: Vec<(String, String)>,
    /// Bookkeeping not proposed, and why.
    pub held_back: Vec<String>,
    /// Commands the user must run (migrations that change data).
    pub manual: Vec<String>,
}

impl Report {
    pub fn drift_count(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Drift)
            .count()
    }

    /// In sync: no drift and no pending schema-only migration.
    pub fn in_sync(&self) -> bool {
        self.drift_count() == 0 && self.pending_schema_migrations == 0
    }

    pub fn count(&self, s: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == s).count()
    }
}
