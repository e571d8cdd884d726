//! `check` reads history.tsv: a drift difference that Mautic's own path leaves on a site
//! upgraded to the compared release is history (`legacy`, unless `--strict`) or a migration
//! Mautic forgot (drift, with the release and what the code meets).

use super::{Class, DATABASE_DEFAULT, Row, base_detail, rows};
use crate::dialect::canonical_collation;
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::mautic::prefix::rehash;
use crate::mautic::release::Release;
use crate::schema::canonical::charset_of_collation;

/// The release a bundled reference file is named after (`4.3.0.sql` → 4.3.0): the releases
/// history.tsv's ranges are written in.
pub fn file_release(file: &str) -> Option<Release> {
    Release::parse(file.strip_suffix(".sql")?)
}

/// Re-read each drift difference against `reference` (the compared reference file's release)
/// that a row of history.tsv lists; returns how many. `database` is the live database's default
/// collation (`ServerInfo::database_collation`): what a row's `DATABASE_DEFAULT` is here.
pub fn mark(
    changes: &mut [Change],
    reference: Release,
    prefix: &str,
    strict: bool,
    database: Option<&str>,
) -> usize {
    let mut marked = 0;
    for c in changes.iter_mut().filter(|c| c.severity == Severity::Drift) {
        let Some(row) = rows()
            .iter()
            .find(|r| r.from <= reference && reference <= r.until && lists(r, c, prefix, database))
        else {
            continue;
        };
        marked += 1;
        if let Some(narrow) = narrower_default(row, database) {
            c.detail = format!(
                "{} — Mautic {} created this table without a character set: it took the database's default ({}), so {narrow}",
                c.detail,
                created(row),
                database.unwrap_or_default()
            );
            continue;
        }
        match row.class {
            Class::History if !strict => {
                c.severity = Severity::Legacy;
                c.detail = format!(
                    "{} — history: Mautic's migrations leave it so ({})",
                    c.detail, row.reason
                );
            }
            Class::History => {}
            Class::Forgotten => {
                c.detail = format!(
                    "{} — Mautic {} changed this without a migration: {}",
                    c.detail, row.from, row.reason
                );
            }
        }
    }
    marked
}

/// A row of a table that took the database's default, on a database whose default charset
/// cannot hold all the release's does (latin1 where the release says utf8mb3): what the code
/// meets, for the row stays drift.
fn narrower_default(row: &Row, database: Option<&str>) -> Option<String> {
    let d = database.filter(|_| row.difference.contains(DATABASE_DEFAULT))?;
    let want = row.difference.rsplit("→ ").next()?.trim();
    let charset = |c: &str| charset_of_collation(&canonical_collation(c)).to_string();
    let (have, want) = (charset(d), charset(want));
    (have != want && have != "utf8mb4").then(|| {
        format!(
            "text the code writes outside {have} cannot be stored (the release declares {want})"
        )
    })
}

/// The first release whose table `row` took the database's default: the release of the
/// migration that created it (later rows say the same of later references).
fn created(row: &Row) -> Release {
    rows()
        .iter()
        .filter(|r| {
            r.table == row.table
                && r.object == row.object
                && r.difference.contains(DATABASE_DEFAULT)
        })
        .map(|r| r.from)
        .min()
        .unwrap_or(row.from)
}

/// Whether `row` is this difference (on an install with `prefix`, whose database's default
/// collation is `database`).
fn lists(row: &Row, c: &Change, prefix: &str, database: Option<&str>) -> bool {
    let base = c.table.strip_prefix(prefix).unwrap_or(&c.table);
    if row.table != base || row.kind != c.kind.as_str() {
        return false;
    }
    if !row
        .object
        .eq_ignore_ascii_case(&unprefixed_object(c, base, prefix))
    {
        return false;
    }
    // A renamed object's other name is whatever the migration made (hashed on the prefixed
    // table): the kind says the definition is the same.
    matches!(
        c.kind,
        ChangeKind::IndexRenamed | ChangeKind::ForeignKeyRenamed
    ) || {
        let seen = unprefixed_detail(base_detail(&c.detail), prefix);
        match database {
            _ if !row.difference.contains(DATABASE_DEFAULT) => row.difference == seen,
            Some(d) => row.difference.replace(DATABASE_DEFAULT, d) == seen,
            None => false,
        }
    }
}

/// The object's name on an unprefixed install: Doctrine's generated names hash the prefixed
/// table name (see `prefix`), declared names carry the prefix.
fn unprefixed_object(c: &Change, base: &str, prefix: &str) -> String {
    if prefix.is_empty() || c.kind == ChangeKind::ColumnDiffers {
        return c.object.clone();
    }
    let columns: Vec<&str> = match &c.op {
        Op::AddIndex(i)
        | Op::DropIndex(i)
        | Op::ReplaceIndex { to: i, .. }
        | Op::RenameIndex { to: i, .. } => i.parts.iter().map(|p| p.column.as_str()).collect(),
        Op::AddForeignKey(f) | Op::DropForeignKey(f) | Op::ReplaceForeignKey { to: f, .. } => {
            f.columns.iter().map(String::as_str).collect()
        }
        _ => Vec::new(),
    };
    rehash(&c.object, &c.table, base, &columns)
        .or_else(|| c.object.strip_prefix(prefix).map(str::to_string))
        .unwrap_or_else(|| c.object.clone())
}

/// The diff's words with the prefix taken off the tables they name (`→ mt_leads(id)`).
fn unprefixed_detail(detail: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return detail.to_string();
    }
    detail
        .replace(&format!(" {prefix}"), " ")
        .replace(&format!("({prefix}"), "(")
}
