//! Following a running statement from a second connection: every second, the processlist row of
//! the connection that runs it (MariaDB adds STAGE, MAX_STAGE and PROGRESS; MySQL has STATE
//! only) and, while it waits for a metadata lock, the connections that may hold that lock.
//! Nothing here ever kills anything: ending a blocker is the user's decision.

use std::future::Future;
use std::time::{Duration, Instant};

use super::{Blocker, Event, Progress, ServerStatus};
use crate::db::{ConnectParams, Db};
use crate::dialect::Flavor;

/// How often the processlist is read (a heartbeat goes out each time, read or not).
pub const INTERVAL: Duration = Duration::from_secs(1);

/// The connection that watches, and the one it watches.
pub struct Watcher {
    /// `None` when a second connection could not be opened: heartbeats carry the elapsed time only.
    db: Option<Db>,
    target: u64,
}

impl Watcher {
    /// A watcher for `db`'s statements, or `None` when nobody looks at the progress.
    pub async fn new(
        progress: &Progress,
        params: &ConnectParams<'_>,
        db: &mut Db,
    ) -> Option<Watcher> {
        if !progress.enabled() {
            return None;
        }
        let target = db
            .rows(
                "reading the connection id",
                "SELECT CAST(CONNECTION_ID() AS CHAR)",
                &[],
            )
            .await
            .ok()
            .and_then(|r| r.first().and_then(|r| r[0].as_deref()?.parse().ok()))?;
        let db = Db::connect(params).await.ok();
        Some(Watcher { db, target })
    }

    /// Run `work` (a statement on the watched connection), sending a status event every
    /// [`INTERVAL`] until it ends.
    pub async fn during<F: Future>(
        &mut self,
        progress: &Progress,
        step: (usize, usize, &str),
        lock_wait_timeout: u32,
        work: F,
    ) -> F::Output {
        let (n, total, table) = step;
        let started = Instant::now();
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate: nothing to say yet.
        tick.tick().await;
        let mut work = std::pin::pin!(work);
        loop {
            tokio::select! {
                out = &mut work => return out,
                _ = tick.tick() => {
                    let mut status = self.status().await;
                    status.elapsed = started.elapsed();
                    progress.event(Event::StatementStatus { n, total, table, status: &status, lock_wait_timeout });
                }
            }
        }
    }

    /// The watched connection's processlist row now; empty when it cannot be read in time.
    async fn status(&mut self) -> ServerStatus {
        let Some(db) = self.db.as_mut() else {
            return ServerStatus::default();
        };
        // A slow answer must not delay the heartbeat.
        let read = tokio::time::timeout(Duration::from_millis(800), read_status(db, self.target));
        read.await.ok().flatten().unwrap_or_default()
    }
}

async fn read_status(db: &mut Db, target: u64) -> Option<ServerStatus> {
    let id = target.to_string();
    let mariadb = db.server.flavor == Flavor::MariaDb;
    let sql = if mariadb {
        "SELECT CAST(STATE AS CHAR), CAST(STAGE AS CHAR), CAST(MAX_STAGE AS CHAR), CAST(PROGRESS AS CHAR) \
         FROM information_schema.PROCESSLIST WHERE ID = ?"
    } else {
        "SELECT CAST(STATE AS CHAR), NULL, NULL, NULL FROM information_schema.PROCESSLIST WHERE ID = ?"
    };
    let rows = db.rows("reading the processlist", sql, &[&id]).await.ok()?;
    let row = rows.into_iter().next()?;
    let num = |i: usize| row[i].as_deref().and_then(|v| v.parse::<f64>().ok());
    let mut status = ServerStatus {
        state: row[0].clone().filter(|s| !s.is_empty()),
        // MariaDB reports MAX_STAGE 0 for statements without stages.
        stage: match (num(1), num(2)) {
            (Some(s), Some(m)) if m > 0.0 => Some((s as u32, m as u32)),
            _ => None,
        },
        percent: num(3).filter(|&p| p > 0.0),
        ..Default::default()
    };
    if status.waits_for_metadata_lock() {
        status.blockers = blockers(db, target).await.unwrap_or_default();
    }
    Some(status)
}

/// The other connections on this database, likeliest lock holders first: an open transaction
/// (oldest first), then a running command, then idle sessions (one may hold `LOCK TABLES`).
/// Those waiting for a metadata lock themselves are queued behind, not holding. Without the
/// PROCESS privilege `INNODB_TRX` is closed: the process list alone then.
async fn blockers(db: &mut Db, target: u64) -> Option<Vec<Blocker>> {
    let id = target.to_string();
    let database = db.database.clone();
    let mut rows = None;
    for with_transactions in [true, false] {
        let (trx_age, join, trx_first) = if with_transactions {
            (
                "CAST(TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS CHAR)",
                "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID",
                "t.trx_started IS NULL, t.trx_started, ",
            )
        } else {
            ("NULL", "", "")
        };
        let sql = format!(
            "SELECT CAST(p.ID AS CHAR), CAST(p.USER AS CHAR), CAST(p.COMMAND AS CHAR), CAST(p.TIME AS CHAR), \
                    CAST(LEFT(p.INFO, 60) AS CHAR), {trx_age} \
             FROM information_schema.PROCESSLIST p {join} \
             WHERE p.DB = ? AND p.ID <> ? AND p.ID <> CONNECTION_ID() \
               AND COALESCE(p.STATE, '') NOT LIKE '%metadata lock%' \
             ORDER BY {trx_first}p.COMMAND = 'Sleep', p.TIME DESC \
             LIMIT 3"
        );
        let found = db
            .rows(
                "looking for the metadata lock's holder",
                &sql,
                &[&database, &id],
            )
            .await;
        if let Ok(r) = found {
            rows = Some(r);
            break;
        }
    }
    Some(
        rows?
            .into_iter()
            .filter_map(|r| {
                let text = |i: usize| r[i].clone().unwrap_or_default();
                Some(Blocker {
                    id: r[0].as_deref()?.parse().ok()?,
                    user: text(1),
                    command: text(2),
                    seconds: text(3).parse().unwrap_or(0),
                    info: r[4].clone().filter(|s| !s.is_empty()),
                    transaction_seconds: r[5].as_deref().and_then(|v| v.parse().ok()),
                })
            })
            .collect(),
    )
}
