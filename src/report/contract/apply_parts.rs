//! The apply document's parts, as JSON v1 spells them: the contract's own types, filled one way
//! from the library's (`apply::ApplySummary`, `apply::backup::Backup`,
//! `apply::rehearsal::Rehearsal`), so that a change inside `apply` cannot change the document
//! unnoticed (the library types do not derive `Serialize`).

use std::path::PathBuf;

use serde::Serialize;

use crate::apply::ApplySummary;
use crate::apply::backup::Backup;
use crate::apply::rehearsal::Rehearsal;

#[derive(Debug, Clone, Serialize)]
pub struct BackupDoc {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    /// Tables dumped; empty means the whole database.
    pub tables: Vec<String>,
}

impl BackupDoc {
    pub fn of(b: &Backup) -> Self {
        BackupDoc {
            path: b.path.clone(),
            bytes: b.bytes,
            sha256: b.sha256.clone(),
            tables: b.tables.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RehearsalDoc {
    Passed {
        statements: usize,
        tables: usize,
    },
    Refused {
        number: usize,
        of: usize,
        table: String,
        sql: String,
        error: String,
    },
    Skipped {
        why: String,
    },
}

impl RehearsalDoc {
    pub fn of(r: &Rehearsal) -> Self {
        match r {
            Rehearsal::Passed { statements, tables } => RehearsalDoc::Passed {
                statements: *statements,
                tables: *tables,
            },
            Rehearsal::Refused {
                number,
                of,
                table,
                sql,
                error,
            } => RehearsalDoc::Refused {
                number: *number,
                of: *of,
                table: table.clone(),
                sql: sql.clone(),
                error: error.clone(),
            },
            Rehearsal::Skipped { why } => RehearsalDoc::Skipped { why: why.clone() },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StepDoc {
    pub n: usize,
    pub table: String,
    pub algorithm: &'static str,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureDoc {
    pub check: &'static str,
    pub message: String,
    pub investigate: String,
}

/// `summary`: the run as the library reported it (kept for earlier readers of JSON v1).
#[derive(Debug, Clone, Serialize)]
pub struct SummaryDoc {
    pub run_id: u64,
    pub resumed_run: Option<u64>,
    pub statements: usize,
    pub steps: Vec<StepDoc>,
    pub bookkeeping_statements: usize,
    pub seconds: f64,
    pub backup: Option<BackupDoc>,
    pub prechecks: Vec<FailureDoc>,
    pub prechecks_ran: bool,
    /// `[check, why]` pairs.
    pub skipped_checks: Vec<(&'static str, String)>,
    pub rehearsal: Option<RehearsalDoc>,
    pub dry_run: bool,
}

impl SummaryDoc {
    pub fn of(s: &ApplySummary) -> Self {
        SummaryDoc {
            run_id: s.run_id,
            resumed_run: s.resumed_run,
            statements: s.statements,
            steps: s
                .steps
                .iter()
                .map(|r| StepDoc {
                    n: r.n,
                    table: r.table.clone(),
                    algorithm: r.algorithm,
                    seconds: r.seconds,
                })
                .collect(),
            bookkeeping_statements: s.bookkeeping_statements,
            seconds: s.seconds,
            backup: s.backup.as_ref().map(BackupDoc::of),
            prechecks: s
                .prechecks
                .iter()
                .map(|f| FailureDoc {
                    check: f.check,
                    message: f.message.clone(),
                    investigate: f.investigate.clone(),
                })
                .collect(),
            prechecks_ran: s.prechecks_ran,
            skipped_checks: s.skipped_checks.clone(),
            rehearsal: s.rehearsal.as_ref().map(RehearsalDoc::of),
            dry_run: s.dry_run,
        }
    }
}
