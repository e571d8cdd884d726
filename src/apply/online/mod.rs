//! Online schema change: an ALTER that the server can only run by copying the table (blocking
//! writes for the whole copy) goes through Percona's `pt-online-schema-change` instead when the
//! table is big enough for the block to hurt.
//!
//! The plan says what changes; this module decides how. In `auto` mode a big table's ALTER is
//! first offered to the server as ALGORITHM=INSTANT, then ALGORITHM=INPLACE with LOCK=NONE (both
//! keep writes flowing, and the server refuses them at once when it cannot honour them); only
//! a refusal sends it to pt-osc, which copies the rows in small chunks while triggers carry
//! concurrent writes over, then swaps the tables. gh-ost is no alternative: it refuses tables
//! with foreign keys, and Mautic's big tables all have them.

mod fk_names;
mod leftovers;
mod ptosc;
mod swap;

use crate::db::{ConnectParams, Db, DbError};
use crate::dialect::ServerInfo;
use crate::error::{Error, Result};
use crate::plan::Step;
use crate::plan::algorithm::step_verdict;
use crate::schema::Schema;

pub use leftovers::recover;
pub use ptosc::TOOL;

/// When to use pt-online-schema-change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineMode {
    /// Never: a blocking ALTER blocks (small installs, maintenance windows).
    Never,
    /// For tables of at least `min_size` whose ALTER the server cannot run without blocking.
    #[default]
    Auto,
    /// Every ALTER of an existing table (tests, or servers whose in-place DDL is not trusted).
    Always,
}

/// The size from which `--online auto` uses pt-osc: the planner's "large table" (see there why
/// 64 MiB).
pub const DEFAULT_MIN_SIZE: u64 = crate::plan::split::LARGE_TABLE_BYTES;

/// pt-osc's own default is 0.5 s. Writer's worst wait appending to a 2M-row table during the
/// copy (scripts/bench-online.sh, noisy shared machine): 0.86 s at 0.5 s; 0.42, 0.72, 1.03 s
/// at 0.2 s; 0.89 s at 0.1 s, with a copy 1.4-2.5x longer. 0.2 s is the balance.
pub const DEFAULT_CHUNK_TIME: f64 = 0.2;

#[derive(Debug, Clone)]
pub struct OnlineOptions {
    pub mode: OnlineMode,
    /// Data + index bytes (information_schema estimate) from which `auto` goes online.
    pub min_size: u64,
    /// pt-osc pauses the copy while this is exceeded (the site is busy).
    pub max_load: String,
    /// pt-osc aborts, leaving the table as it was, when this is exceeded.
    pub critical_load: String,
    /// Seconds each copied chunk should take: a concurrent write to the table's end can wait
    /// about that long behind a chunk's locks.
    pub chunk_time: f64,
}

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            mode: OnlineMode::Auto,
            min_size: DEFAULT_MIN_SIZE,
            max_load: "Threads_running=25".into(),
            critical_load: "Threads_running=100".into(),
            chunk_time: DEFAULT_CHUNK_TIME,
        }
    }
}

/// `64M`, `1G`, `512K` or plain bytes.
pub fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                'T' => 1 << 40,
                _ => return Err(format!("`{s}`: unknown size unit (use K, M, G or T)")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a size (examples: 64M, 1G, 1048576)"))
}

/// Whether the step may block writes, by the one classifier (`plan::algorithm`): a statement
/// it cannot judge counts as blocking (an announced block that does not happen costs less than
/// a silent one that does).
pub fn blocks_writes(step: &Step, live: &Schema, server: &ServerInfo) -> bool {
    step_verdict(step, live, server).is_none_or(|v| v.blocks_writes())
}

/// Data + index bytes and estimated rows of a table (0 when unknown).
async fn table_size(db: &mut Db, table: &str) -> std::result::Result<(u64, u64), DbError> {
    let rows = db
        .rows(
            "measuring the table",
            "SELECT CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS CHAR), CAST(COALESCE(TABLE_ROWS, 0) AS CHAR) \
             FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            &[table],
        )
        .await?;
    let num = |i: usize| {
        rows.first()
            .and_then(|r| r[i].as_deref())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok((num(0), num(1)))
}

fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
    }
}

/// What runs each ALTER: the server alone, or pt-osc when it would block.
pub struct Online<'a> {
    pub opts: &'a OnlineOptions,
    /// The schema the plan was made on: the classifier judges each ALTER against it.
    pub live: &'a Schema,
    pub params: ConnectParams<'a>,
    pub lock_wait_timeout: u32,
    pub quiet: bool,
    /// pt-osc's own progress lines go through it when it is shown (not to disturb a bar).
    pub progress: &'a crate::progress::Progress,
}

enum Fit {
    No,
    /// It would qualify, but has no primary or unique key.
    NoKey,
    Yes {
        bytes: u64,
        rows: u64,
    },
}

/// One table's ALTER sent to pt-osc, for the announcement and the rehearsal.
struct Candidate<'s> {
    step: &'s Step,
    bytes: u64,
    rows: u64,
}

impl Online<'_> {
    /// Whether a step's table is one pt-osc may take: not in `never` mode, an ALTER with more
    /// than foreign-key drops (metadata only), big enough (or `always`), and with a primary or
    /// unique key (pt-osc's delete trigger and chunking need one).
    async fn eligible(&self, db: &mut Db, step: &Step) -> std::result::Result<Fit, DbError> {
        if !step.is_alter() || self.opts.mode == OnlineMode::Never || step.drops_foreign_keys_only()
        {
            return Ok(Fit::No);
        }
        let (bytes, rows) = table_size(db, &step.table).await?;
        if self.opts.mode == OnlineMode::Auto && bytes < self.opts.min_size {
            return Ok(Fit::No);
        }
        if !swap::has_unique_key(db, &step.table).await? {
            return Ok(Fit::NoKey);
        }
        Ok(Fit::Yes { bytes, rows })
    }

    /// The ALTER steps on existing tables that may go through pt-osc (in `auto`, those whose
    /// clauses may block writes: the server has the last word when the step runs).
    async fn candidates<'s>(&self, db: &mut Db, steps: &'s [Step]) -> Result<Vec<Candidate<'s>>> {
        let mut out = Vec::new();
        for step in steps {
            let predicted =
                self.opts.mode == OnlineMode::Always || blocks_writes(step, self.live, &db.server);
            match self.eligible(db, step).await? {
                Fit::Yes { bytes, rows } if predicted => out.push(Candidate { step, bytes, rows }),
                Fit::NoKey if predicted && !self.quiet => eprintln!(
                    "`{}` has no primary or unique key, which {TOOL} needs: its ALTER will block writes",
                    step.table
                ),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Before any DDL: say which tables may go online, make sure the tool is there, and in a
    /// dry run rehearse each with pt-osc's own `--dry-run` (it creates and alters an empty
    /// copy of the table, which proves the clauses, the foreign-key handling and the
    /// credentials, then drops it).
    pub async fn preflight(&self, db: &mut Db, steps: &[Step], dry_run: bool) -> Result<()> {
        let cands = self.candidates(db, steps).await?;
        if cands.is_empty() {
            return Ok(());
        }
        // What pt-osc cannot be handed is refused now, not at its step after the backup.
        for c in &cands {
            let clauses = fk_names::ptosc_alter(c.step).unwrap_or_default();
            crate::external::ptosc::check(self.params.database, &c.step.table, &clauses)?;
        }
        let Some(tool) = ptosc::find_tool() else {
            let c = &cands[0];
            return Err(Error::Refused(format!(
                "`{}` ({}) needs an ALTER that blocks writes while the table is copied, and {TOOL} is not installed: \
                 install it (Debian/Ubuntu: apt-get install percona-toolkit) so the change runs online, \
                 or pass --online never to accept the blocking. Nothing was changed",
                c.step.table,
                human(c.bytes)
            )));
        };
        for c in &cands {
            if !self.quiet {
                let how = match self.opts.mode {
                    OnlineMode::Always => "through pt-online-schema-change (--online always)",
                    _ => {
                        "online: in place if the server can without blocking writes, else through pt-online-schema-change"
                    }
                };
                eprintln!(
                    "`{}` ({}, ~{} rows): {how}",
                    c.step.table,
                    human(c.bytes),
                    c.rows
                );
            }
            if dry_run {
                self.rehearse(db, &tool, c.step).await?;
                if !self.quiet {
                    eprintln!("`{}`: {TOOL} --dry-run passed", c.step.table);
                }
            }
        }
        Ok(())
    }

    /// pt-osc's `--dry-run`: it builds and alters an empty copy, which we then remove.
    async fn rehearse(&self, db: &mut Db, tool: &std::path::Path, step: &Step) -> Result<()> {
        let table = &step.table;
        if swap::exists(db, &swap::new_name(table)).await? {
            return Err(Error::Refused(format!(
                "`{}` exists, left by an interrupted {TOOL} run: `apply` without --dry-run removes it first",
                swap::new_name(table)
            )));
        }
        let parent = swap::is_parent(db, table).await?;
        let clauses = fk_names::ptosc_alter(step).unwrap_or_default();
        let r = self.run_tool(tool, table, &clauses, false, parent);
        swap::cleanup(db, table).await?;
        r.map_err(|e| {
            Error::Refused(format!(
                "rehearsal with {TOOL} --dry-run failed on `{table}`: {e}"
            ))
        })
    }

    /// Run one ALTER step; returns the algorithm used, as the journal records it.
    pub async fn alter(
        &self,
        db: &mut Db,
        run_id: u64,
        n: usize,
        step: &Step,
    ) -> std::result::Result<&'static str, DbError> {
        if !matches!(self.eligible(db, step).await?, Fit::Yes { .. }) {
            return super::execute::execute_alter(db, step).await;
        }
        if self.opts.mode == OnlineMode::Auto
            && let Some(algo) = in_place(db, step).await?
        {
            return Ok(algo);
        }
        let tool = ptosc::find_tool().ok_or_else(|| DbError::Query {
            doing: format!("altering `{}` online", step.table),
            reason: format!("{TOOL} is not installed (apt-get install percona-toolkit)"),
            code: None,
        })?;
        // The journal knows before the copy starts, so a rerun after a kill finds the leftovers.
        super::journal::step_note(db, run_id, n, &format!("algorithm={TOOL} (running)")).await?;
        let table = &step.table;
        let fks_before = fk_names::names(db, table).await?;
        let parent = swap::is_parent(db, table).await?;
        let clauses = fk_names::ptosc_alter(step).unwrap_or_default();
        if let Err(reason) = self.run_tool(&tool, table, &clauses, true, parent) {
            // The original is untouched until the swap: remove the copy and its triggers.
            let _ = swap::cleanup(db, table).await;
            return Err(DbError::Query {
                doing: format!("running {TOOL} on `{table}`"),
                reason,
                code: None,
            });
        }
        if let Err(e) = swap::swap(db, table, parent).await {
            // Failing before the DROP (a lock wait) leaves the original: remove the copy. After
            // it, the copy is the only table: leave it for the rerun's recovery.
            if swap::exists(db, table).await.unwrap_or(false) {
                let _ = swap::cleanup(db, table).await;
            }
            return Err(e);
        }
        let renamed = fk_names::restore(db, table, &fks_before).await?;
        if !self.quiet {
            eprintln!(
                "  [{TOOL} {table}] swapped in the copy{}",
                if renamed.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; foreign key names restored: {}",
                        renamed
                            .iter()
                            .map(|(_, to)| to.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            );
        }
        Ok(TOOL)
    }

    fn run_tool(
        &self,
        tool: &std::path::Path,
        table: &str,
        clauses: &str,
        execute: bool,
        parent: bool,
    ) -> std::result::Result<(), String> {
        ptosc::run(&ptosc::Invocation {
            tool,
            params: &self.params,
            table,
            clauses,
            execute,
            parent,
            opts: self.opts,
            lock_wait_timeout: self.lock_wait_timeout,
            quiet: self.quiet,
            progress: self.progress,
        })
    }
}

/// Try the ALTER as INSTANT, then INPLACE without any lock: the algorithm when one ran. A
/// refusal (the server cannot keep writes flowing for this change) is None; other errors are
/// errors.
async fn in_place(db: &mut Db, step: &Step) -> std::result::Result<Option<&'static str>, DbError> {
    for (algo, tail) in [
        ("INSTANT", "ALGORITHM=INSTANT"),
        ("INPLACE", "ALGORITHM=INPLACE, LOCK=NONE"),
    ] {
        let Some(sql) = step.sql_with(tail) else {
            return Ok(None);
        };
        match db.execute(&sql).await {
            Ok(_) => return Ok(Some(algo)),
            Err(e) if is_refusal(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// 1845/1846: the server cannot honour the ALGORITHM or LOCK asked for (1800, an unknown
/// ALGORITHM, cannot reach here: `eligible` keeps INSTANT for servers that know it).
fn is_refusal(e: &DbError) -> bool {
    e.server_error()
        .is_some_and(crate::dialect::ServerError::is_algorithm_refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The online executor asks the classifier, not the statement's words: a column added to a
    /// table with a FULLTEXT index blocks writes (the text rule missed it: no pt-osc offered),
    /// a VARCHAR made longer within its length class does not (the text rule sent every
    /// MODIFY to pt-osc).
    #[test]
    fn online_follows_the_classifier() {
        let server = ServerInfo::parse("10.11.19-MariaDB");
        let read = |sql: &str| {
            let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
            crate::dialect::normalize_schema(&mut s, &server);
            s
        };
        for (before, after, blocks) in [
            (
                "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(50), FULLTEXT KEY f (v))",
                "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(50), z INT, FULLTEXT KEY f (v))",
                true,
            ),
            (
                "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100) CHARACTER SET utf8mb4)",
                "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(150) CHARACTER SET utf8mb4)",
                false,
            ),
        ] {
            let (live, target) = (read(before), read(after));
            let changes = crate::diff::diff_schemas(&live, &target);
            let opts = crate::plan::PlanOptions {
                allow_destructive: true,
                server: server.clone(),
            };
            let plan = crate::plan::plan(&changes, &live, &target, &opts);
            let step = plan.steps.iter().find(|s| s.is_alter()).unwrap();
            assert_eq!(blocks_writes(step, &live, &server), blocks, "{after}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
