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

mod catalog;
mod change;
mod checks;
mod fill;
mod fk_names;
mod leftovers;
mod names;
mod ptosc;
mod record;
mod status;
mod swap;

use crate::db::{ConnectParams, Db, DbError};
use crate::dialect::ServerInfo;
use crate::error::{Error, Result};
use crate::plan::algorithm::step_verdict;
use crate::plan::{Clause, ClauseOp, Step};
use crate::schema::Schema;
use crate::text::one_line;
use names::Names;
use record::Record;

pub use leftovers::{Recovery, recover};
pub use ptosc::TOOL;
pub use status::{Interrupted, OnlineLeft, interrupted};

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

impl OnlineMode {
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineMode::Never => "never",
            OnlineMode::Auto => "auto",
            OnlineMode::Always => "always",
        }
    }
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
    pub params: ConnectParams<'a>,
    pub lock_wait_timeout: u32,
    pub quiet: bool,
    /// pt-osc's own progress lines go through it when it is shown (not to disturb a bar).
    pub progress: &'a crate::progress::Progress,
    /// The schema the plan was made on: the classifier judges each ALTER against it, and a
    /// table the plan creates is not in it.
    pub live: &'a Schema,
}

/// One table's ALTER sent to pt-osc, for the announcement and the checks.
struct Candidate<'s> {
    step: &'s Step,
    bytes: u64,
    rows: u64,
}

/// An online change ready to start: what the journal records, and pt-osc's `--alter`.
struct Prepared {
    pub record: Record,
    pub alter: String,
}

impl Online<'_> {
    /// Whether a step's table is one pt-osc may take: not in `never` mode, an ALTER with more
    /// than foreign-key drops (metadata only) of a table that existed before the run (one the
    /// plan creates is empty: the server's ALTER of it is instant), and big enough (or
    /// `always`). Some((bytes, rows)).
    async fn eligible(
        &self,
        db: &mut Db,
        step: &Step,
    ) -> std::result::Result<Option<(u64, u64)>, DbError> {
        if !step.is_alter()
            || self.opts.mode == OnlineMode::Never
            || step.drops_foreign_keys_only()
            || !self.live.tables.contains_key(&step.table)
        {
            return Ok(None);
        }
        let (bytes, rows) = table_size(db, &step.table).await?;
        if self.opts.mode == OnlineMode::Auto && bytes < self.opts.min_size {
            return Ok(None);
        }
        Ok(Some((bytes, rows)))
    }

    /// The ALTER steps on existing tables that may go through pt-osc (in `auto`, those whose
    /// clauses may block writes: the server has the last word when the step runs).
    async fn candidates<'s>(&self, db: &mut Db, steps: &'s [Step]) -> Result<Vec<Candidate<'s>>> {
        let mut out = Vec::new();
        for step in steps {
            let predicted =
                self.opts.mode == OnlineMode::Always || blocks_writes(step, self.live, &db.server);
            if let (true, Some((bytes, rows))) = (predicted, self.eligible(db, step).await?) {
                out.push(Candidate { step, bytes, rows });
            }
        }
        Ok(out)
    }

    /// Before any change (and in a dry run, instead of it): say which tables may go online,
    /// make sure the tool is there, and check each table as pt-osc would (see `checks`): one
    /// refusal names every table that cannot go. Nothing is created but a temporary table of
    /// this session (see `fill`); pt-osc runs in its checking mode, which creates nothing.
    pub async fn preflight(&self, db: &mut Db, steps: &[Step]) -> Result<()> {
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
            return Err(Error::refused(
                crate::error::RefusalKind::Online,
                format!(
                    "`{}` ({}) needs an ALTER that blocks writes while the table is copied, and {TOOL} is not installed: \
                 install it (Debian/Ubuntu: apt-get install percona-toolkit) so the change runs online, \
                 or pass --online never to accept the blocking. Nothing was changed",
                    c.step.table,
                    human(c.bytes)
                ),
            ));
        };
        let interrupted = record::unfinished(db).await?;
        let mut refused = Vec::new();
        for c in &cands {
            self.announce(c);
            match self.refusal(db, &tool, c.step, &interrupted).await? {
                Some(why) => refused.push(format!("`{}`: {why}", one_line(&c.step.table))),
                None if !self.quiet => {
                    eprintln!("`{}`: {TOOL}'s checks passed", one_line(&c.step.table))
                }
                None => {}
            }
        }
        if refused.is_empty() {
            return Ok(());
        }
        Err(Error::refused(
            crate::error::RefusalKind::Online,
            format!(
                "--online {}: {} table(s) cannot go through {TOOL}: {}. Nothing was changed; \
             fix those, or pass --online never to let the server run the ALTER (blocking writes while it copies)",
                self.opts.mode.as_str(),
                refused.len(),
                refused.join(". ")
            ),
        ))
    }

    fn announce(&self, c: &Candidate<'_>) {
        if self.quiet {
            return;
        }
        let how = match self.opts.mode {
            OnlineMode::Always => "through pt-online-schema-change (--online always)",
            _ => {
                "online: in place if the server can without blocking writes, else through pt-online-schema-change"
            }
        };
        eprintln!(
            "`{}` ({}, ~{} rows): {how}",
            one_line(&c.step.table),
            human(c.bytes),
            c.rows
        );
    }

    /// Names, marker and `--alter` for sending `step` through pt-osc: the step's clauses, with
    /// a temporary default for each NOT NULL column added (see `fill`), foreign-key drops naming
    /// the copy's constraints, and the marker as the copy's comment. Err: why it cannot go.
    async fn prepare(
        &self,
        db: &mut Db,
        step: &Step,
    ) -> std::result::Result<std::result::Result<Prepared, String>, DbError> {
        let table = &step.table;
        let planned = step.clauses().unwrap_or_default();
        let fills = match fill::prepare(db, planned).await? {
            Ok(f) => f,
            Err(why) => return Ok(Err(why)),
        };
        let names = Names::new(table, &names::nonce());
        // The table's own comment, when the step sets one, is given back by the swap's last
        // ALTER; the copy carries the marker meanwhile.
        let final_comment = match planned.iter().find_map(|c| match &c.op {
            ClauseOp::Comment(text) => Some(text.clone()),
            _ => None,
        }) {
            Some(c) => c,
            None => catalog::table_comment(db, table).await?.unwrap_or_default(),
        };
        let mut clauses: Vec<Clause> = fill::apply(planned, &fills)
            .into_iter()
            .filter(|c| !matches!(c.op, ClauseOp::Comment(_)))
            .collect();
        clauses.push(Clause {
            op: ClauseOp::Comment(names.marker.clone()),
            change: None,
        });
        let alter = fk_names::ptosc_clause_list(&step.table, clauses);
        let record = Record {
            names,
            parent: swap::is_parent(db, table).await?,
            final_comment,
            fills: fills.into_iter().map(|f| f.column).collect(),
            fks_before: fk_names::names(db, table).await?,
        };
        Ok(Ok(Prepared { record, alter }))
    }

    async fn run_tool(
        &self,
        tool: &std::path::Path,
        record: &Record,
        alter: &str,
        mode: ptosc::Mode,
    ) -> std::result::Result<ptosc::Ended, String> {
        ptosc::run(&ptosc::Invocation {
            tool,
            params: &self.params,
            table: &record.names.table,
            copy: &record.names.copy,
            alter,
            mode,
            parent: record.parent,
            opts: self.opts,
            lock_wait_timeout: self.lock_wait_timeout,
            quiet: self.quiet,
            progress: self.progress,
        })
        .await
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
