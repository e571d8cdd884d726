//! `check` reads history.tsv: a drift difference that Mautic's own path leaves on a site
//! upgraded to the compared release is history (`legacy`, unless `--strict`) or a migration
//! Mautic forgot (drift, with the release and what the code meets).

use super::{Class, Row, base_detail, rows};
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::mautic::prefix::rehash;
use crate::mautic::release::Release;

/// The release a bundled reference file is named after (`4.3.0.sql` → 4.3.0): the releases
/// history.tsv's ranges are written in.
pub fn file_release(file: &str) -> Option<Release> {
    Release::parse(file.strip_suffix(".sql")?)
}

/// Re-read each drift difference against `reference` (the compared reference file's release)
/// that a row of history.tsv lists; returns how many.
pub fn mark(changes: &mut [Change], reference: Release, prefix: &str, strict: bool) -> usize {
    let mut marked = 0;
    for c in changes.iter_mut().filter(|c| c.severity == Severity::Drift) {
        let Some(row) = rows()
            .iter()
            .find(|r| r.from <= reference && reference <= r.until && lists(r, c, prefix))
        else {
            continue;
        };
        marked += 1;
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

/// Whether `row` is this difference (on an install with `prefix`).
fn lists(row: &Row, c: &Change, prefix: &str) -> bool {
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
    ) || row.difference == unprefixed_detail(base_detail(&c.detail), prefix)
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
