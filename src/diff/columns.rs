//! Column comparison: which attributes differ, and whether changing them can lose data.

use super::{Change, ChangeKind, Op};
use crate::dialect::charsets::repertoire;
use crate::dialect::normalize_expression;
use crate::schema::{Column, DefaultValue, Table, canonical::charset_of_collation};

pub(super) fn diff_columns(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let table = &target.name;
    for want in &target.columns {
        match live.column(&want.name) {
            None => out.push(Change::new(
                table,
                ChangeKind::MissingColumn,
                &want.name,
                format!("column {} {} is missing", want.name, want.ty),
                Op::AddColumn(want.clone()),
            )),
            Some(have) => {
                let diffs = column_differences(have, want);
                if diffs.is_empty() {
                    continue;
                }
                let c = Change::new(
                    table,
                    ChangeKind::ColumnDiffers,
                    &want.name,
                    diffs.join("; "),
                    Op::ModifyColumn {
                        from: have.clone(),
                        to: want.clone(),
                    },
                );
                out.push(if is_lossy(have, want) {
                    c.destructive()
                } else {
                    c
                });
            }
        }
    }
    for have in &live.columns {
        if target.column(&have.name).is_none() {
            out.push(
                Change::new(
                    table,
                    ChangeKind::ExtraColumn,
                    &have.name,
                    format!("column {} {} is not in the reference", have.name, have.ty),
                    Op::DropColumn(have.clone()),
                )
                .destructive(),
            );
        }
    }
}

fn show_default(d: &Option<DefaultValue>) -> String {
    match d {
        None => "none".into(),
        Some(DefaultValue::Null) => "NULL".into(),
        Some(DefaultValue::Literal(v)) => format!("'{v}'"),
        Some(DefaultValue::Expression(e)) => e.clone(),
    }
}

/// Human descriptions of each attribute that differs, empty when the columns are equal.
pub fn column_differences(have: &Column, want: &Column) -> Vec<String> {
    let mut d = Vec::new();
    if have.ty != want.ty {
        d.push(format!("type {} → {}", have.ty, want.ty));
    }
    if have.nullable != want.nullable {
        d.push(if want.nullable {
            "NOT NULL → NULL".to_string()
        } else {
            "NULL → NOT NULL (fails if NULL values exist)".to_string()
        });
    }
    if have.default != want.default {
        d.push(format!(
            "default {} → {}",
            show_default(&have.default),
            show_default(&want.default)
        ));
    }
    if have.auto_increment != want.auto_increment {
        d.push(format!(
            "auto_increment {} → {}",
            have.auto_increment, want.auto_increment
        ));
    }
    if have.on_update != want.on_update {
        d.push(format!(
            "on update {} → {}",
            have.on_update.as_deref().unwrap_or("none"),
            want.on_update.as_deref().unwrap_or("none")
        ));
    }
    if have.collation != want.collation {
        d.push(format!(
            "collation {} → {}",
            have.collation.as_deref().unwrap_or("none"),
            want.collation.as_deref().unwrap_or("none")
        ));
    }
    let gen_key = |c: &Column| {
        c.generated
            .as_ref()
            .map(|g| (normalize_expression(&g.expr), g.stored))
    };
    if gen_key(have) != gen_key(want) {
        d.push(format!(
            "generated {} → {}",
            have.generated
                .as_ref()
                .map_or("no".to_string(), |g| g.expr.clone()),
            want.generated
                .as_ref()
                .map_or("no".to_string(), |g| g.expr.clone())
        ));
    }
    let check_key = |c: &Column| c.check.as_deref().map(normalize_expression);
    if check_key(have) != check_key(want) {
        d.push(format!(
            "check {} → {}",
            have.check.as_deref().unwrap_or("none"),
            want.check.as_deref().unwrap_or("none")
        ));
    }
    if have.comment != want.comment {
        d.push(format!("comment '{}' → '{}'", have.comment, want.comment));
    }
    if recreates_column(have, want) {
        d.push(
            "the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again"
                .into(),
        );
    }
    d
}

/// MariaDB and MySQL refuse MODIFY between an ordinary and a generated column and between
/// VIRTUAL and STORED ("This is not yet supported for generated columns"): the column is
/// dropped and added again in the same statement (indexes on it are kept).
pub fn recreates_column(have: &Column, want: &Column) -> bool {
    match (&have.generated, &want.generated) {
        (Some(a), Some(b)) => a.stored != b.stored,
        (None, None) => false,
        _ => true,
    }
}

/// A modification that can lose data: a narrower type, or a move to a smaller character set.
pub(super) fn is_lossy(have: &Column, want: &Column) -> bool {
    if have.generated.is_none() != want.generated.is_none() {
        // Re-created: an ordinary column's values are lost, and one that replaces a generated
        // column starts empty.
        return true;
    }
    if have.generated.is_some() {
        // generated values are recomputed, nothing stored is lost
        return false;
    }
    if !have.ty.fits_into(&want.ty) {
        return true;
    }
    match (&have.collation, &want.collation) {
        (Some(a), Some(b)) => {
            repertoire(charset_of_collation(a)) > repertoire(charset_of_collation(b))
        }
        _ => false,
    }
}
