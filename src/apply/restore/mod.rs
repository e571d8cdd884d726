//! `restore`'s library: what a backup is allowed to do to a database, decided before anything
//! is touched.
//! - `scan`: the dump is complete and holds only what this tool's backups hold;
//! - `ledger`: the database's own record of each backup (sha256, tables, rows, time), which the
//!   dump must match; the manifest beside the dump is not trusted for what gets replaced.

pub mod ledger;
pub mod recover;
pub mod scan;
pub mod stage;
pub mod swap;
pub mod triggers;

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
        Error::refused(
            crate::error::RefusalKind::BackupUntrusted,
            format!(
                "{}: {e}: not restoring, nothing was changed",
                one_line(&path.display().to_string())
            ),
        )
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
    // By where it was written; else by its content (a copy of a recorded backup elsewhere).
    let found = match ledger::find(db, dump).await? {
        Some(r) => Some(r),
        None => ledger::list(db)
            .await?
            .into_iter()
            .find(|r| r.sha256 == s.sha256),
    };
    let Some(r) = found else {
        if let Some((line, what)) = s.definer_code.first() {
            return Err(Error::refused(
                crate::error::RefusalKind::BackupUntrusted,
                format!(
                    "{shown} is not a backup recorded in `{}` and holds a {what} (line {line}), code that runs with its definer's rights: only a backup this database recorded may bring one; not restoring, nothing was changed",
                    one_line(database)
                ),
            ));
        }
        let clash: Vec<&String> = s.tables.iter().filter(|t| live.contains(t)).collect();
        if let Some(first) = clash.first() {
            return Err(Error::refused(
                crate::error::RefusalKind::BackupUntrusted,
                format!(
                    "{shown} is not a backup recorded in `{}` ({} has no record of it): restoring it would replace {} existing table(s) (`{}` ...) on the word of the file alone; not restoring, nothing was changed",
                    one_line(database),
                    ledger::TABLE,
                    clash.len(),
                    one_line(first)
                ),
            ));
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
        return Err(Error::refused(
            crate::error::RefusalKind::BackupMismatch,
            format!(
                "{shown} is not the backup recorded in `{}` on {} (sha256 {} recorded, {} now): it was changed since; not restoring, nothing was changed",
                one_line(database),
                one_line(&r.taken_at),
                one_line(&r.sha256),
                s.sha256
            ),
        ));
    }
    if let Some((missing, _)) = r.tables.iter().find(|(t, _)| !s.tables.contains(t)) {
        return Err(Error::refused(
            crate::error::RefusalKind::BackupUntrusted,
            format!(
                "{shown} has no CREATE TABLE for `{}`, which its record in `{}` lists: not restoring, nothing was changed",
                one_line(missing),
                one_line(database)
            ),
        ));
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

/// A replaced table whose rows differ from the backup's or that was written since.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    pub table: String,
    pub rows_now: u64,
    pub rows_backup: u64,
    /// The server's UPDATE_TIME is later than the backup (None: the server does not know).
    pub written_since: Option<bool>,
}

/// What the restore loses: per replaced table, rows now against rows in the backup, and
/// whether the server saw a write since the backup was taken.
pub async fn losses(db: &mut Db, database: &str, v: &Verified) -> Result<Vec<Loss>> {
    let since = match &v.record {
        Some(r) => {
            let rows = db
                .rows(
                    "reading update times",
                    "SELECT CAST(TABLE_NAME AS CHAR), CAST(UPDATE_TIME > ? AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
                    &[&r.taken_at],
                )
                .await?;
            rows.into_iter()
                .filter_map(|r| Some((r[0].clone()?, r[1].as_deref() == Some("1"))))
                .collect()
        }
        None => std::collections::BTreeMap::new(),
    };
    let mut out = Vec::new();
    for t in &v.replaced {
        let now = stage::count(db, database, t).await?;
        let backup = v.scan.rows.get(t).copied().unwrap_or(0);
        let written = since.get(t).copied();
        if now != backup || written == Some(true) {
            out.push(Loss {
                table: t.clone(),
                rows_now: now,
                rows_backup: backup,
                written_since: written,
            });
        }
    }
    Ok(out)
}

/// `text` in lines of at most 80 columns, continuation lines indented.
pub fn wrap(text: &str, indent: &str) -> Vec<String> {
    // Paths and names are not hyphenated words: broken only where they must be.
    let opts = textwrap::Options::new(80)
        .initial_indent(indent)
        .subsequent_indent("    ")
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// The confirmation: what is replaced, what stays untouched, what is lost, what the site sees.
/// Lines fit 80 columns.
pub fn prompt_lines(
    b: &Backup,
    database: &str,
    v: &Verified,
    losses: &[Loss],
    others: usize,
) -> Vec<String> {
    let mut out = wrap(
        &format!(
            "Restore {} into `{}`:",
            one_line(&b.path.display().to_string()),
            one_line(database)
        ),
        "",
    );
    let size = crate::apply::space::human(b.bytes);
    let Some(r) = &v.record else {
        out.extend(wrap(
            &format!("a plain dump ({size}), not recorded in this database: it adds {} table(s), none of which exist here", v.added.len()),
            "  ",
        ));
        return out;
    };
    out.extend(wrap(
        &format!(
            "backup taken {} before run {} ({size}), matching the database's record",
            one_line(&r.taken_at),
            r.run_id
        ),
        "  ",
    ));
    out.extend(wrap(
        &format!(
            "replaces {} table(s) of the install with prefix `{}`; {} table(s) the run created move out",
            v.replaced.len(),
            one_line(&r.prefix),
            v.moved_out.len()
        ),
        "  ",
    ));
    out.extend(wrap(
        &format!(
            "untouched: {others} other table(s) in this database (other installs and applications)"
        ),
        "  ",
    ));
    if losses.is_empty() {
        out.extend(wrap(
            "lost: nothing seen written since the backup (row counts and update times agree)",
            "  ",
        ));
    } else {
        out.extend(wrap(
            &format!(
                "lost: everything written since {} in these tables:",
                one_line(&r.taken_at)
            ),
            "  ",
        ));
        for l in losses {
            let when = match l.written_since {
                Some(true) => ", written since",
                _ => "",
            };
            out.extend(wrap(
                &format!(
                    "{}: {} rows now, {} in the backup{when}",
                    one_line(&l.table),
                    l.rows_now,
                    l.rows_backup
                ),
                "    ",
            ));
        }
    }
    out.extend(wrap(
        "the site keeps every table meanwhile: the staged copy is swapped in with one RENAME TABLE",
        "  ",
    ));
    out
}

/// `restore --list`: the recorded backups, newest first, in 80 columns.
pub fn list_lines(records: &[ledger::Record], database: &str) -> Vec<String> {
    if records.is_empty() {
        return vec![format!(
            "no backups recorded in `{}` ({} is absent or empty)",
            one_line(database),
            ledger::TABLE
        )];
    }
    let mut out = vec![format!(
        "backups recorded in `{}`, newest first:",
        one_line(database)
    )];
    for r in records {
        let state = if r.outcome == "done" {
            format!("before run {}", r.run_id)
        } else {
            format!("before run {}, which did not finish", r.run_id)
        };
        out.extend(wrap(
            &format!(
                "{}  {state}  prefix `{}`  {} table(s)  {}",
                one_line(&r.taken_at),
                one_line(&r.prefix),
                r.tables.len(),
                crate::apply::space::human(r.bytes)
            ),
            "  ",
        ));
        out.extend(wrap(&one_line(&r.path), "    "));
    }
    out
}

#[cfg(test)]
mod tests;
