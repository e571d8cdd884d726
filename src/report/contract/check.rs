//! The check document (`check --format json`, `diff --format json`): `target`, `in_sync` and
//! the counts (its [`CheckSummary`], which the fleet's lines repeat), `changes` (each with
//! `table`, `kind`, `object`, `destructive`, `severity`, `detail`, `sql`), the plan with each
//! ALTER's announcement, and what the Mautic layer learnt.

use serde::Serialize;

use super::{FORMAT_VERSION, ReleaseFacts, Stats, to_json};
use crate::comparison::Comparison;
use crate::report::change_sql;

#[derive(Debug, Clone, Serialize)]
pub struct CheckDoc {
    pub format_version: u32,
    /// What the check came to; a fleet line repeats these members (see `FleetLine`).
    #[serde(flatten)]
    pub summary: CheckSummary,
    pub changes: Vec<ChangeDoc>,
    pub plan: Vec<PlanStep>,
    pub foreign_tables: Vec<String>,
    pub other_installs: Vec<OtherInstall>,
    pub notes: Vec<String>,
    /// An `apply` that stopped part way (absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted_run: Option<InterruptedDoc>,
    #[serde(flatten)]
    pub facts: ReleaseFacts,
    pub stats: Stats,
}

/// The members of the check document that say what it came to. The check document flattens
/// them and so does the fleet's line per install: both spell them alike by construction.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSummary {
    pub source: String,
    /// The release compared with (`5.1.1`), or the reference file's description.
    pub target: String,
    pub in_sync: bool,
    pub server: Server,
    /// Changes of severity drift.
    pub drift: usize,
    /// Fixes not proposed (destructive, without --allow-destructive).
    pub held_back: usize,
    /// Schema-only migrations of the target not recorded (they make it out of sync too).
    pub pending_schema_migrations: usize,
    /// What it all comes to: the one verdict (`kind`, `exit_code`, `line`) every command
    /// gives this database; `in_sync` above is the schema's part of it.
    pub verdict: VerdictDoc,
}

impl CheckSummary {
    pub fn of(r: &Comparison) -> CheckSummary {
        CheckSummary {
            source: r.source.clone(),
            target: r
                .facts
                .target_release
                .clone()
                .unwrap_or_else(|| r.target.clone()),
            in_sync: r.in_sync(),
            server: Server {
                flavor: r.server.flavor,
                version: r.server.version_string.clone(),
            },
            drift: r.drift_count(),
            held_back: r.plan.skipped.len(),
            pending_schema_migrations: r.pending_schema_migrations,
            verdict: VerdictDoc::of(&crate::mautic::overall::Verdict::of(r)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub flavor: crate::dialect::Flavor,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeDoc {
    pub table: String,
    pub kind: &'static str,
    pub object: String,
    pub severity: crate::diff::Severity,
    pub destructive: bool,
    /// A fix exists but is not proposed (destructive without --allow-destructive).
    pub held_back: bool,
    pub detail: String,
    /// The statement that fixes it; null when there is none.
    pub sql: Option<String>,
}

/// Each planned statement: the algorithm the server will pick, whether writes wait, and the
/// size it was estimated from (null when unknown).
#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub table: String,
    pub phase: crate::plan::Phase,
    pub sql: String,
    pub algorithm: Option<crate::plan::algorithm::Algorithm>,
    pub lock: Option<crate::plan::algorithm::Lock>,
    pub blocks_writes: Option<bool>,
    pub why: Option<String>,
    pub rows: Option<u64>,
    pub bytes: Option<u64>,
    pub estimated_seconds: Option<f64>,
    pub split_from_copy: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherInstall {
    pub prefix: String,
    pub tables: usize,
}

impl CheckDoc {
    pub fn of(r: &Comparison) -> CheckDoc {
        let changes = r
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| ChangeDoc {
                table: c.table.clone(),
                kind: c.kind.as_str(),
                object: c.object.clone(),
                severity: c.severity,
                destructive: c.destructive,
                held_back: r.plan.skipped.contains(&i),
                detail: c.detail.clone(),
                sql: if c.has_fix() {
                    change_sql(c, &r.server)
                } else {
                    None
                },
            })
            .collect();
        CheckDoc {
            format_version: FORMAT_VERSION,
            summary: CheckSummary::of(r),
            changes,
            plan: plan_steps(r),
            foreign_tables: r.foreign_tables.clone(),
            other_installs: r
                .other_installs
                .iter()
                .map(|(prefix, tables)| OtherInstall {
                    prefix: prefix.clone(),
                    tables: tables.len(),
                })
                .collect(),
            notes: r.notes.clone(),
            interrupted_run: r.interrupted.as_ref().map(InterruptedDoc::of),
            facts: ReleaseFacts::of(&r.facts),
            stats: Stats::of(&r.stats),
        }
    }
}

fn plan_steps(r: &Comparison) -> Vec<PlanStep> {
    let announced = crate::report::announce(r);
    r.plan
        .steps
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let a = announced.iter().find(|a| a.step == n + 1);
            PlanStep {
                table: s.table.clone(),
                phase: s.phase,
                sql: s.sql(),
                algorithm: a.map(|a| a.algorithm),
                lock: a.map(|a| a.lock),
                blocks_writes: a.map(|a| a.blocks_writes),
                why: a.map(|a| a.why.clone()),
                rows: a.and_then(|a| a.rows),
                bytes: a.and_then(|a| a.bytes),
                estimated_seconds: a.and_then(|a| a.estimated_seconds),
                split_from_copy: a.is_some_and(|a| a.split_from_copy),
            }
        })
        .collect()
}

pub fn render_json(r: &Comparison) -> String {
    to_json(&CheckDoc::of(r))
}

/// An interrupted run, as `check` reports it (`apply::online::Interrupted`).
#[derive(Debug, Clone, Serialize)]
pub struct InterruptedDoc {
    pub run_id: Option<u64>,
    pub started_at: Option<String>,
    pub statements_done: Option<u64>,
    pub online: Vec<OnlineLeftDoc>,
}

/// One unfinished online change.
#[derive(Debug, Clone, Serialize)]
pub struct OnlineLeftDoc {
    pub table: String,
    pub run_id: u64,
    /// copying, copied, swapping or finishing.
    pub phase: &'static str,
    /// What of it is in the database now.
    pub left: Vec<String>,
    /// What the next `apply` does with it.
    pub rerun: String,
}

impl InterruptedDoc {
    fn of(i: &crate::apply::online::Interrupted) -> Self {
        InterruptedDoc {
            run_id: i.run_id,
            started_at: i.started_at.clone(),
            statements_done: i.statements_done,
            online: i
                .online
                .iter()
                .map(|o| OnlineLeftDoc {
                    table: o.table.clone(),
                    run_id: o.run_id,
                    phase: o.phase,
                    left: o.left.clone(),
                    rerun: o.rerun.clone(),
                })
                .collect(),
        }
    }
}

/// The one verdict (`mautic::overall::Verdict`), as every document carries it.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictDoc {
    /// `in-sync`, `drift`, `pending-migrations`, `bookkeeping-broken`, `interrupted`, `blocked`.
    pub kind: &'static str,
    pub exit_code: i32,
    /// The line the text output ends with.
    pub line: String,
}

impl VerdictDoc {
    pub fn of(v: &crate::mautic::overall::Verdict) -> Self {
        use crate::mautic::overall::Kind;
        VerdictDoc {
            kind: match v.kind {
                Kind::InSync => "in-sync",
                Kind::Drift => "drift",
                Kind::PendingMigrations => "pending-migrations",
                Kind::BookkeepingBroken => "bookkeeping-broken",
                Kind::Interrupted => "interrupted",
                Kind::Blocked => "blocked",
            },
            exit_code: v.exit_code,
            line: v.line.clone(),
        }
    }
}
