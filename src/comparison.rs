//! The result of one comparison, below the renderers: the Mautic layer fills it, `apply` carries
//! out its plan, and `report` renders it (its JSON through the contract's own types, mapped one
//! way, see `report::contract`).

use crate::dialect::ServerInfo;
use crate::diff::{Change, Severity};
use crate::mautic::facts::ReleaseFacts;
use crate::plan::Plan;
use crate::schema::Schema;

/// The result of one comparison: what the renderers show and what `apply` carries out.
#[derive(Debug, Clone)]
pub struct Comparison {
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
    pub facts: ReleaseFacts,
    /// What reading the live side cost.
    pub stats: Stats,
    /// Set by the Mautic layer when pending schema-only migrations also make it out of sync.
    pub pending_schema_migrations: usize,
    /// Migrations-table statements that run after the schema statements, in one transaction.
    pub bookkeeping: Bookkeeping,
    /// Each table's rows and bytes, when a connection could tell (`None` for a dump).
    pub sizes: Option<std::collections::BTreeMap<String, crate::plan::split::Size>>,
    /// An `apply` that stopped part way, and what its online changes left (`check` asks).
    pub interrupted: Option<crate::apply::online::Interrupted>,
    /// Columns of tables outside the comparison (a backup copy, a plugin's table) whose
    /// Doctrine type comment names a type the target's DBAL no longer has: (table, column,
    /// type). Doctrine reads every table, so the target's migrations stop on them.
    pub removed_types_outside: Vec<(String, String, String)>,
}

impl Comparison {
    /// A comparison of `target` that found nothing yet: what tests fill in (one place to name
    /// every member, so that a new one is added once).
    pub fn empty(source: &str, target: &str, server: ServerInfo) -> Comparison {
        Comparison {
            source: source.into(),
            target: target.into(),
            server,
            changes: vec![],
            plan: Default::default(),
            foreign_tables: vec![],
            other_installs: vec![],
            notes: vec![],
            explanation: vec![],
            live: Default::default(),
            reference: Default::default(),
            facts: Default::default(),
            stats: Default::default(),
            pending_schema_migrations: 0,
            bookkeeping: Default::default(),
            sizes: None,
            interrupted: None,
            removed_types_outside: Vec::new(),
        }
    }
}

/// Data statements that follow the DDL: recording migrations, and what must be left to Mautic.
#[derive(Debug, Clone, Default)]
pub struct Bookkeeping {
    /// (why, statement): typed, rendered to SQL by `Statement::sql` only where it is printed
    /// or run.
    pub statements: Vec<(String, crate::mautic::bookkeeping::Statement)>,
    /// Bookkeeping not proposed, and why.
    pub held_back: Vec<String>,
    /// Commands the user must run (migrations that change data).
    pub manual: Vec<String>,
}

impl Comparison {
    /// With a connection: each table's size goes into the report (the announcement estimates from
    /// it), and a large table's copying ALTER leaves its index additions to a second, online one.
    pub async fn size_and_split(
        &mut self,
        db: &mut crate::db::Db,
        large: &crate::plan::split::Large,
    ) -> crate::error::Result<()> {
        let report = self;
        use crate::plan::split::{Size, split_copies};
        // Only the tables an ALTER touches: nothing to ask when the plan alters nothing.
        let mut altered: Vec<String> = report
            .plan
            .steps
            .iter()
            .filter(|s| s.is_alter())
            .map(|s| s.table.clone())
            .collect();
        altered.sort();
        altered.dedup();
        if altered.is_empty() {
            report.sizes = Some(Default::default());
            return Ok(());
        }
        let sizes: std::collections::BTreeMap<String, Size> =
            crate::apply::space::sizes(db, &altered)
                .await?
                .into_iter()
                .map(|t| {
                    (
                        t.table,
                        Size {
                            rows: t.rows,
                            bytes: t.bytes,
                        },
                    )
                })
                .collect();
        report.plan = split_copies(
            &report.plan,
            &report.changes,
            &report.live,
            &report.reference,
            &report.server,
            &sizes,
            large,
        );
        report.sizes = Some(sizes);
        Ok(())
    }

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

/// What reading the live side cost.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub catalog_queries: u32,
    /// Milliseconds, rounded.
    pub inspect_ms: f64,
}
