//! Scratch databases (the rehearsal's schema-only copies). The tool drops databases here, as
//! root on a shared server, so what it may drop is decided by evidence, never by a name pattern:
//!
//! - the name is `_ms_<24 hex of sha256(origin)>_r<12 hex run token>`: distinct for every
//!   origin database (a crc32 was shared by colliding names) and for every run;
//! - right after `CREATE DATABASE` the run writes a marker table inside it (origin database,
//!   run token, purpose, time) and holds a lock named after the scratch database while it uses it;
//! - a scratch database is dropped by its own run, or by a later run that holds the origin's
//!   advisory lock, finds the scratch lock free and reads a marker naming the origin. Anything
//!   else that merely looks like one is left alone and mentioned.

use sha2::{Digest as _, Sha256};

use crate::db::{Db, DbError};
use crate::schema::{quote_ident, quote_string};

/// The marker table inside every scratch database.
pub const MARKER: &str = "_ms_scratch_marker";

/// Every scratch database of `origin` (the server's own spelling of the database name) starts
/// with this; a run token follows.
pub fn prefix(origin: &str) -> String {
    format!("_ms_{}_r", origin_digest(origin))
}

/// 24 hex of sha256(`origin`): what names the tool's databases of `origin` (these scratch
/// copies, a restore's staging and holding databases), distinct for every origin.
pub fn origin_digest(origin: &str) -> String {
    let digest = Sha256::digest(origin.as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The GRANT pattern that covers `origin`'s scratch databases and nobody else's: `_` and `%`
/// are wildcards in a GRANT's database name, so each is escaped.
pub fn grant_pattern(origin: &str) -> String {
    let mut out = String::new();
    for c in prefix(origin).chars() {
        if matches!(c, '_' | '%' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out + "%"
}

/// A token distinct for every run (and every scratch database within one run): 12 hex.
pub fn run_token() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let seed = format!(
        "{}:{nanos}:{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `name` has the exact shape of one of `origin`'s scratch databases.
fn is_scratch_name(origin: &str, name: &str) -> bool {
    name.strip_prefix(&prefix(origin))
        .is_some_and(|token| token.len() == 12 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The database name as the server spells it (what the marker and the prefix are made of).
pub async fn origin(db: &mut Db) -> Result<String, DbError> {
    let rows = db
        .rows(
            "reading the database name",
            "SELECT CAST(DATABASE() AS CHAR)",
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten())
        .unwrap_or_else(|| db.database.clone()))
}

/// A scratch database this run created (and will drop).
pub struct Scratch {
    pub name: String,
}

/// Create a new scratch database for `origin`, marked as this run's, and hold its lock.
pub async fn create(db: &mut Db, origin: &str, purpose: &str) -> Result<Scratch, DbError> {
    let token = run_token();
    let name = format!("{}{token}", prefix(origin));
    db.rows(
        "locking the scratch database",
        "SELECT CAST(GET_LOCK(?, 0) AS CHAR)",
        &[&name],
    )
    .await?;
    if let Err(e) = db
        .execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
        .await
    {
        release(db, &name).await;
        return Err(e);
    }
    let scratch = Scratch { name };
    let marked = db
        .execute(&format!(
            "CREATE TABLE {db}.{t} (origin VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, \
             run VARCHAR(16) NOT NULL, purpose VARCHAR(32) NOT NULL, created_at DATETIME NOT NULL); \
             INSERT INTO {db}.{t} VALUES ({}, {}, {}, NOW())",
            quote_string(origin),
            quote_string(&token),
            quote_string(purpose),
            db = quote_ident(&scratch.name),
            t = quote_ident(MARKER),
        ))
        .await;
    if let Err(e) = marked {
        drop(db, scratch).await.ok();
        return Err(e);
    }
    Ok(scratch)
}

/// Drop a scratch database this run created, and let go of its lock.
pub async fn drop(db: &mut Db, scratch: Scratch) -> Result<(), DbError> {
    let dropped = db
        .execute(&format!(
            "DROP DATABASE IF EXISTS {}",
            quote_ident(&scratch.name)
        ))
        .await;
    release(db, &scratch.name).await;
    dropped.map(|_| ())
}

async fn release(db: &mut Db, name: &str) {
    let _ = db
        .rows(
            "releasing the scratch database's lock",
            "SELECT CAST(RELEASE_LOCK(?) AS CHAR)",
            &[name],
        )
        .await;
}

/// What a look for leftovers found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Leftovers {
    /// Scratch databases of killed runs on this database, dropped.
    pub dropped: Vec<String>,
    /// Databases that look like scratch copies of this database but are not provably one
    /// (no marker naming it, or a run still using it): left alone.
    pub left_alone: Vec<String>,
}

/// Drop the scratch databases killed runs on `origin` left behind. The caller holds the
/// origin's advisory lock (see `execute::take_lock`), so no run of the tool on this database is
/// using one, except a run that could not take the lock (`preflight`): its scratch lock says so.
pub async fn clean_leftovers(db: &mut Db, origin: &str) -> Result<Leftovers, DbError> {
    let mut found = Leftovers::default();
    for name in look_alikes(db, origin).await? {
        if is_scratch_name(origin, &name)
            && is_free(db, &name).await
            && marked_for(db, &name, origin).await
        {
            db.execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&name)))
                .await?;
            found.dropped.push(name);
        } else {
            found.left_alone.push(name);
        }
    }
    Ok(found)
}

/// Databases named like a scratch copy of `origin`: this scheme's prefix, and the earlier
/// `_ms_rehearsal_<crc32>_` one (never dropped: nothing in them says whose they are).
async fn look_alikes(db: &mut Db, origin: &str) -> Result<Vec<String>, DbError> {
    let like = |p: &str| {
        p.replace('\\', "\\\\")
            .replace('_', "\\_")
            .replace('%', "\\%")
            + "%"
    };
    let legacy = format!("_ms_rehearsal_{:08x}_", crc32fast::hash(origin.as_bytes()));
    let rows = db
        .rows(
            "looking for scratch databases left behind",
            "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME LIKE ? OR SCHEMA_NAME LIKE ? ORDER BY 1",
            &[&like(&prefix(origin)), &like(&legacy)],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// No connection holds the scratch database's lock (its run is over).
async fn is_free(db: &mut Db, name: &str) -> bool {
    let rows = db
        .rows(
            "checking whether a scratch database is in use",
            "SELECT CAST(IS_FREE_LOCK(?) AS CHAR)",
            &[name],
        )
        .await
        .unwrap_or_default();
    rows.first().and_then(|r| r[0].as_deref()) == Some("1")
}

/// The database holds exactly one marker row, and it names `origin`.
async fn marked_for(db: &mut Db, name: &str, origin: &str) -> bool {
    let sql = format!(
        "SELECT CAST(origin AS CHAR) FROM {}.{} LIMIT 2",
        quote_ident(name),
        quote_ident(MARKER)
    );
    match db
        .rows("reading a scratch database's marker", &sql, &[])
        .await
    {
        Ok(rows) => rows.len() == 1 && rows[0][0].as_deref() == Some(origin),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differ_by_origin_and_fit_a_database_name() {
        let a = prefix("mautic");
        assert_eq!(a.len(), 4 + 24 + 2);
        assert_ne!(a, prefix("Mautic"));
        assert!(format!("{a}{}", run_token()).len() <= 64);
        assert_ne!(run_token(), run_token());
    }

    #[test]
    fn only_the_exact_shape_counts() {
        let p = prefix("m");
        assert!(is_scratch_name("m", &format!("{p}0123456789ab")));
        for other in ["0123456789a", "0123456789abc", "0123456789aZ", "x"] {
            assert!(!is_scratch_name("m", &format!("{p}{other}")), "{other}");
        }
        assert!(!is_scratch_name("n", &format!("{p}0123456789ab")));
    }

    #[test]
    fn the_grant_covers_this_origins_prefix_only() {
        let g = grant_pattern("mautic");
        let hash = &prefix("mautic")[4..28];
        assert_eq!(g, format!("\\_ms\\_{hash}\\_r%"));
    }
}
