//! What a difference between the fold of Mautic's path and a release's reference means: a mark
//! the path leaves that the release's code cannot notice (`History`), or a change the release
//! made to its entities without a migration (`Forgotten`), with what the code meets.

use super::DATABASE_DEFAULT;
use crate::diff::{Change, ChangeKind, Op};
use crate::schema::{FkAction, Index, IndexKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    History,
    Forgotten,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::History => "history",
            Class::Forgotten => "forgotten",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        match s {
            "history" => Some(Class::History),
            "forgotten" => Some(Class::Forgotten),
            _ => None,
        }
    }
}

/// The class of a drift difference between the fold's end (live side) and the release's
/// reference, and its reason.
pub fn classify(c: &Change) -> (Class, String) {
    if let Some(why) = history(c) {
        return (Class::History, why.to_string());
    }
    (Class::Forgotten, consequence(c))
}

/// Why a table's collation is the database's default rather than the release's.
pub const DEFAULT_TAKEN: &str = "a migration created the table without a character set: it took the database's default, which holds what the code writes";

/// The marks the code cannot notice, each with why.
fn history(c: &Change) -> Option<&'static str> {
    match (&c.kind, &c.op) {
        // Doctrine and Mautic's code never name an index or a constraint: a migration that
        // named one otherwise (after a misspelled table, a server default) leaves the very
        // same definition under another name.
        (ChangeKind::IndexRenamed | ChangeKind::ForeignKeyRenamed, _) => Some(
            "a migration gave it another name; the definition is the same and the code never names it",
        ),
        // A migration's CHANGE written without NOT NULL: the column accepts NULL, but the
        // release's entity requires a value and its code always writes one. What else differs
        // is history the policy already tolerates (wider text, signedness, utf8mb3).
        (ChangeKind::ColumnDiffers, Op::ModifyColumn { from, to })
            if from.nullable && !to.nullable =>
        {
            let mut f = from.clone();
            f.nullable = to.nullable;
            (f == *to || crate::mautic::policy::legacy_column(&f, to).is_some()).then_some(
                "a migration left the column accepting NULL where the release requires a value; the code always writes one",
            )
        }
        // A migration's CREATE TABLE naming no character set: the table took the database's
        // default, which history.tsv writes as `DATABASE_DEFAULT` (`mark` reads the live one).
        (ChangeKind::ColumnDiffers, Op::ModifyColumn { from, to })
            if from.collation.as_deref() == Some(DATABASE_DEFAULT) =>
        {
            let mut f = from.clone();
            f.collation = to.collation.clone();
            (f == *to).then_some(DEFAULT_TAKEN)
        }
        // The default collation the only option the diff words (an explicit ROW_FORMAT =
        // DYNAMIC is the server's default and no difference).
        (ChangeKind::TableOptionsDiffer, Op::SetTableOptions { from, .. })
            if from.collation.as_deref() == Some(DATABASE_DEFAULT) =>
        {
            (!super::base_detail(&c.detail).contains("; ")).then_some(DEFAULT_TAKEN)
        }
        // The same columns in the same order, with a prefix length on one side (a migration
        // written for utf8mb4's 767-byte key parts): lookups on these columns use it alike.
        (ChangeKind::IndexDiffers, Op::ReplaceIndex { from, to }) if same_columns(from, to) => {
            Some(
                "a migration indexed the same columns with prefix lengths; the code's lookups use it alike",
            )
        }
        _ => None,
    }
}

fn same_columns(a: &Index, b: &Index) -> bool {
    a.kind == b.kind
        && a.kind != IndexKind::Unique
        && a.parts.len() == b.parts.len()
        && a.parts
            .iter()
            .zip(&b.parts)
            .all(|(x, y)| x.column.eq_ignore_ascii_case(&y.column))
}

/// What the release's code meets on the shape the path leaves.
fn consequence(c: &Change) -> String {
    match (&c.kind, &c.op) {
        (ChangeKind::MissingTable, _) => "the code's queries on this table fail (error 1146)".into(),
        (ChangeKind::MissingColumn, _) => {
            "the code reads and writes this column: its queries fail (error 1054)".into()
        }
        (ChangeKind::MissingIndex, Op::AddIndex(i)) if i.kind == IndexKind::Unique => {
            "nothing stops the duplicates the code expects the database to refuse".into()
        }
        (ChangeKind::MissingIndex, _) => {
            "the code's queries on these columns have no index (slow on big tables)".into()
        }
        (ChangeKind::IndexDiffers, _) => {
            "the index differs from the one the code's queries were written for".into()
        }
        (ChangeKind::MissingForeignKey, _) => {
            "nothing keeps these rows consistent with the rows they refer to".into()
        }
        (ChangeKind::ForeignKeyDiffers, Op::ReplaceForeignKey { from, to }) => rule(from.on_delete, to.on_delete),
        (ChangeKind::ColumnDiffers, Op::ModifyColumn { from, to }) if !from.nullable && to.nullable => {
            "the code writes rows without a value here: those inserts and updates fail (error 1048, or 1364 without a default)".into()
        }
        (ChangeKind::ColumnDiffers, Op::ModifyColumn { from, to }) if !from.ty.fits_into(&to.ty) || !to.ty.fits_into(&from.ty) => {
            "the column's type is not the one the code writes: values may be cut or refused".into()
        }
        _ => "the object differs from what the code was written for".into(),
    }
}

/// An ON DELETE rule the path left (`have`) against the one the release declares (`want`).
fn rule(have: FkAction, want: FkAction) -> String {
    let restricts = |a: FkAction| a == FkAction::Restrict;
    match (restricts(have), want) {
        (true, FkAction::SetNull) => "deleting a referenced row fails (error 1451) where the code expects the database to set these references to NULL".into(),
        (true, FkAction::Cascade) => "deleting a referenced row fails (error 1451) where the code expects the database to delete these rows with it".into(),
        (false, w) if restricts(w) => format!(
            "deleting a referenced row {} these rows, which the code expects to be refused or handled itself",
            if have == FkAction::Cascade { "deletes" } else { "changes" }
        ),
        _ => "deleting a referenced row does to these rows something other than what the code expects".into(),
    }
}
