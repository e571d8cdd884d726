//! `restore`'s library: what a backup is allowed to do to a database, decided before anything
//! is touched.
//! - `scan`: the dump is complete and holds only what this tool's backups hold;
//! - `ledger`: the database's own record of each backup (sha256, tables, rows, time), which the
//!   dump must match; the manifest beside the dump is not trusted for what gets replaced.

pub mod ledger;
pub mod scan;

use std::path::Path;

use crate::apply::backup::Backup;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::schema::quote_string;
use crate::text::one_line;

/// Scan a dump file (see `scan`), as an error that names the file.
pub fn scan_file(path: &Path) -> Result<scan::DumpScan> {
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    scan::scan(f).map_err(|e| {
        Error::Refused(format!(
            "{}: {e}: not restoring, nothing was changed",
            one_line(&path.display().to_string())
        ))
    })
}

/// Record the backup just taken in the ledger, with the install's tables it holds and their
/// rows, read from the dump the way a restore will read it (a dump restore would refuse stops
/// the run here, before any change).
pub async fn record_backup(
    db: &mut Db,
    b: &Backup,
    install: &[String],
    creates: &[String],
    prefix: &str,
    run_id: u64,
) -> Result<()> {
    let s = scan_file(&b.path)?;
    let tables = s
        .tables
        .iter()
        .filter(|t| install.contains(t))
        .map(|t| (t.clone(), s.rows.get(t).copied().unwrap_or(0)))
        .collect();
    let path = std::fs::canonicalize(&b.path).unwrap_or_else(|_| b.path.clone());
    let r = ledger::Record {
        id: 0,
        taken_at: String::new(),
        prefix: prefix.to_string(),
        run_id,
        path: path.display().to_string(),
        sha256: s.sha256,
        bytes: s.bytes,
        tables,
        creates: creates.to_vec(),
        outcome: String::new(),
    };
    ledger::record(db, &r).await?;
    Ok(())
}

/// A dump checked against the database it is restored into.
#[derive(Debug, Clone)]
pub struct Verified {
    pub scan: scan::DumpScan,
    /// The ledger's record of this backup; None for a plain dump loaded where none of its
    /// tables exist.
    pub record: Option<ledger::Record>,
    /// Live tables the restore replaces with the dump's (the install's, per the ledger).
    pub replaced: Vec<String>,
    /// Live tables the run created that the dump does not hold: moved out.
    pub moved_out: Vec<String>,
    /// Tables the dump brings that are not in the database now.
    pub added: Vec<String>,
}

impl Verified {
    /// The dump's tables that go live (the rest of a whole-database dump, other installs'
    /// tables, stays out).
    pub fn going_live(&self) -> Vec<String> {
        let mut t = self.replaced.clone();
        t.extend(self.added.iter().cloned());
        t.sort();
        t
    }
}

/// Check `dump` before anything is changed (see the module header): complete and acceptable,
/// and either recorded in this database's ledger with the same sha256 and every recorded table
/// present, or a plain dump none of whose tables exist here.
pub async fn verify(
    db: &mut Db,
    database: &str,
    dump: &Path,
    s: scan::DumpScan,
) -> Result<Verified> {
    let shown = one_line(&dump.display().to_string()).into_owned();
    let live = live_tables(db).await?;
    let Some(r) = ledger::find(db, dump).await? else {
        let clash: Vec<&String> = s.tables.iter().filter(|t| live.contains(t)).collect();
        if let Some(first) = clash.first() {
            return Err(Error::Refused(format!(
                "{shown} is not a backup recorded in `{}` ({} has no record of it): restoring it would replace {} existing table(s) (`{}` ...) on the word of the file alone; not restoring, nothing was changed",
                one_line(database),
                ledger::TABLE,
                clash.len(),
                one_line(first)
            )));
        }
        return Ok(Verified {
            added: s.tables.clone(),
            scan: s,
            record: None,
            replaced: Vec::new(),
            moved_out: Vec::new(),
        });
    };
    if r.sha256 != s.sha256 {
        return Err(Error::Refused(format!(
            "{shown} is not the backup recorded in `{}` on {} (sha256 {} recorded, {} now): it was changed since; not restoring, nothing was changed",
            one_line(database),
            r.taken_at,
            r.sha256,
            s.sha256
        )));
    }
    if let Some((missing, _)) = r.tables.iter().find(|(t, _)| !s.tables.contains(t)) {
        return Err(Error::Refused(format!(
            "{shown} has no CREATE TABLE for `{}`, which its record in `{}` lists: not restoring, nothing was changed",
            one_line(missing),
            one_line(database)
        )));
    }
    let mut v = Verified {
        scan: s,
        record: None,
        replaced: Vec::new(),
        moved_out: Vec::new(),
        added: Vec::new(),
    };
    for (t, _) in &r.tables {
        if live.contains(t) {
            v.replaced.push(t.clone());
        } else {
            v.added.push(t.clone());
        }
    }
    v.moved_out = r
        .creates
        .iter()
        .filter(|t| live.contains(t) && !r.tables.iter().any(|(x, _)| x == *t))
        .cloned()
        .collect();
    v.record = Some(r);
    Ok(v)
}

/// The base tables of the connection's database.
pub async fn live_tables(db: &mut Db) -> Result<Vec<String>> {
    tables_of(db, None).await
}

/// The base tables of `database` (the connection's when None).
pub async fn tables_of(db: &mut Db, database: Option<&str>) -> Result<Vec<String>> {
    let schema = database.map_or_else(|| "DATABASE()".to_string(), quote_string);
    let rows = db
        .rows(
            "listing tables",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {schema} AND TABLE_TYPE = 'BASE TABLE'"
            ),
            &[],
        )
        .await?;
    Ok(rows.into_iter().filter_map(|r| r[0].clone()).collect())
}
