//! The apply document (`apply --format json`), one shape for its three outcomes: a dry run, a
//! refusal (a pre-check, the rehearsal, no confirmation ...) and a run carried out. The members
//! an outcome cannot have are null or empty.

use serde::Serialize;

use super::apply_parts::{BackupDoc, RehearsalDoc, SummaryDoc};
use super::{ErrorBody, FORMAT_VERSION};
use crate::apply::ApplySummary;
use crate::comparison::Comparison;
use crate::report::Announcement;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplyOutcome {
    DryRun,
    Refused,
    Done,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplyDoc {
    pub format_version: u32,
    pub outcome: ApplyOutcome,
    pub dry_run: bool,
    /// Every pre-check, each with its status (`passed`, `failed`, `skipped`, `not_run`).
    pub prechecks: Vec<PrecheckStatus>,
    /// No pre-check failed (false also when they did not get to run).
    pub prechecks_passed: bool,
    /// Schema and bookkeeping statements planned.
    pub statements: usize,
    pub rehearsal: Option<RehearsalDoc>,
    pub announced: Vec<Announcement>,
    /// The plan's statements that ran, in order, each with its time.
    pub statements_run: Vec<StatementRun>,
    /// Migrations-table statements (why, statement) run after the schema statements.
    pub bookkeeping: Vec<Bookkeeping>,
    pub backup: Option<BackupDoc>,
    /// Seconds from the lock to the last statement.
    pub seconds: f64,
    /// The whole summary as the library reports it (kept for earlier readers).
    pub summary: SummaryDoc,
    /// After a run: the database was inspected again and is in sync.
    pub in_sync: Option<bool>,
    /// After a run: where the journal went.
    pub journal: Option<String>,
    /// After a run: the drift the second inspection still found.
    pub remaining: Vec<RemainingChange>,
    /// A refusal: why (the same line as on stderr).
    pub error: Option<ErrorBody>,
    /// A dry run: the verdict on the database as it is; after a run: on the database inspected
    /// again (the verdict `check` gives it). Null for a refusal: the error says it.
    pub verdict: Option<super::VerdictDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrecheckStatus {
    pub name: &'static str,
    pub status: &'static str,
    /// Why it failed or was skipped; null when it passed.
    pub message: Option<String>,
    /// The query that shows what is in the way; null when it passed.
    pub query: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementRun {
    pub n: usize,
    pub table: String,
    pub algorithm: &'static str,
    pub seconds: f64,
    pub sql: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bookkeeping {
    pub why: String,
    pub sql: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemainingChange {
    pub table: String,
    pub kind: &'static str,
    pub object: String,
    pub detail: String,
}

impl ApplyDoc {
    /// The document of a run that got as far as `summary` says; `error` set for a refusal.
    pub fn of(report: &Comparison, summary: &ApplySummary, error: Option<ErrorBody>) -> ApplyDoc {
        let outcome = match (&error, summary.dry_run) {
            (Some(_), _) => ApplyOutcome::Refused,
            (None, true) => ApplyOutcome::DryRun,
            (None, false) => ApplyOutcome::Done,
        };
        let prechecks = prechecks(report, summary);
        let ran_bookkeeping = outcome == ApplyOutcome::Done;
        ApplyDoc {
            format_version: FORMAT_VERSION,
            outcome,
            dry_run: summary.dry_run,
            prechecks_passed: summary.prechecks.is_empty() && summary.prechecks_ran,
            prechecks,
            statements: report.plan.steps.len() + report.bookkeeping.statements.len(),
            rehearsal: summary.rehearsal.as_ref().map(RehearsalDoc::of),
            announced: crate::report::announce(report),
            statements_run: summary
                .steps
                .iter()
                .map(|s| StatementRun {
                    n: s.n,
                    table: s.table.clone(),
                    algorithm: s.algorithm,
                    seconds: s.seconds,
                    sql: report
                        .plan
                        .steps
                        .get(s.n.wrapping_sub(1))
                        .map(|p| p.sql())
                        .unwrap_or_default(),
                })
                .collect(),
            bookkeeping: report
                .bookkeeping
                .statements
                .iter()
                .filter(|_| ran_bookkeeping)
                .map(|(why, statement)| Bookkeeping {
                    why: why.clone(),
                    sql: statement.sql(),
                })
                .collect(),
            backup: summary.backup.as_ref().map(BackupDoc::of),
            seconds: summary.seconds,
            summary: SummaryDoc::of(summary),
            in_sync: None,
            journal: None,
            remaining: Vec::new(),
            error,
            verdict: None,
        }
    }

    /// What the inspection after a run found.
    pub fn verified(mut self, after: &Comparison, journal: String) -> ApplyDoc {
        self.in_sync = Some(after.in_sync());
        self.verdict = Some(super::VerdictDoc::of(&crate::mautic::overall::Verdict::of(
            after,
        )));
        self.journal = Some(journal);
        self.remaining = after
            .changes
            .iter()
            .filter(|c| c.severity == crate::diff::Severity::Drift)
            .map(|c| RemainingChange {
                table: c.table.clone(),
                kind: c.kind.as_str(),
                object: c.object.clone(),
                detail: c.detail.clone(),
            })
            .collect();
        self
    }
}

/// Every pre-check `apply` knows, failed ones with their message and query. None runs for an
/// empty plan.
fn prechecks(report: &Comparison, summary: &ApplySummary) -> Vec<PrecheckStatus> {
    use crate::apply::prechecks::CHECKS;
    let nothing = report.plan.steps.is_empty();
    let mut out = Vec::new();
    for name in CHECKS {
        let failed: Vec<_> = summary
            .prechecks
            .iter()
            .filter(|f| f.check == *name)
            .collect();
        if failed.is_empty() {
            let skipped = summary.skipped_checks.iter().find(|(n, _)| n == name);
            out.push(PrecheckStatus {
                name,
                status: match (skipped, nothing || !summary.prechecks_ran) {
                    (_, true) => "not_run",
                    (Some(_), _) => "skipped",
                    (None, _) => "passed",
                },
                message: skipped.map(|(_, why)| why.clone()),
                query: None,
            });
        }
        out.extend(failed.into_iter().map(|f| PrecheckStatus {
            name,
            status: "failed",
            message: Some(f.message.clone()),
            query: Some(f.investigate.clone()),
        }));
    }
    // A failure of a check the list does not name yet is still shown.
    out.extend(
        summary
            .prechecks
            .iter()
            .filter(|f| !CHECKS.contains(&f.check))
            .map(|f| PrecheckStatus {
                name: f.check,
                status: "failed",
                message: Some(f.message.clone()),
                query: Some(f.investigate.clone()),
            }),
    );
    out
}
