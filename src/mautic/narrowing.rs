//! A column made narrower loses nothing when every value already fits: a text made shorter
//! (LONGTEXT or VARCHAR(255) to VARCHAR(191)) whose longest value, in characters as VARCHAR
//! counts them, is within the new length; an integer made smaller (INT to TINYINT(1), a flag
//! 2.x declared INT) whose smallest and largest values are within the new range. Read on the
//! rows, such a narrowing is not destructive, is planned without `--allow-destructive`, and
//! does not hold the migrations bookkeeping back. Without a server (a dump) the rows cannot be
//! read and the narrowing stays destructive.

use crate::db::{Db, DbError};
use crate::dialect::charsets::repertoire;
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{Column, canonical::charset_of_collation, quote_ident};

/// What a narrowing can lose, to be read on the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// A value longer than this many characters.
    Chars(u64),
    /// A value outside this range.
    Range(i128, i128),
}

/// What `from` → `to` can lose, when that is all it can lose (text to shorter text of no
/// narrower character set, or integer to smaller integer; stored columns only).
fn what_narrows(from: &Column, to: &Column) -> Option<Fit> {
    if from.generated.is_some() || to.generated.is_some() || from.ty.fits_into(&to.ty) {
        return None;
    }
    if let Some(range) = int_range(to) {
        return from.ty.is_integer().then_some(Fit::Range(range.0, range.1));
    }
    let text = |c: &Column| c.ty.is_textual() && !matches!(c.ty.name.as_str(), "enum" | "set");
    if !text(from) || !text(to) || !matches!(to.ty.name.as_str(), "char" | "varchar") {
        return None;
    }
    let narrower_set = match (&from.collation, &to.collation) {
        (Some(a), Some(b)) => {
            repertoire(charset_of_collation(a)) > repertoire(charset_of_collation(b))
        }
        _ => false,
    };
    if narrower_set {
        return None;
    }
    to.ty.capacity().map(Fit::Chars)
}

/// The values an integer column holds.
fn int_range(c: &Column) -> Option<(i128, i128)> {
    let bytes: u32 = match c.ty.name.as_str() {
        "tinyint" => 1,
        "smallint" => 2,
        "mediumint" => 3,
        "int" => 4,
        "bigint" => 8,
        _ => return None,
    };
    let bits = bytes * 8;
    Some(if c.ty.unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    })
}

/// Clear `destructive` on each planned narrowing whose rows all fit, saying so in its detail;
/// returns how many. `db` is the live server (none for a dump: nothing is cleared).
pub async fn clear_fitting_narrowings(
    changes: &mut [Change],
    db: Option<&mut Db>,
) -> Result<usize, DbError> {
    let Some(db) = db else {
        return Ok(0);
    };
    let mut cleared = 0;
    for c in changes.iter_mut().filter(|c| {
        c.destructive && c.severity == Severity::Drift && c.kind == ChangeKind::ColumnDiffers
    }) {
        let Op::ModifyColumn { from, to } = &c.op else {
            continue;
        };
        let Some(fit) = what_narrows(from, to) else {
            continue;
        };
        let col = quote_ident(&from.name);
        let read = match fit {
            Fit::Chars(_) => format!("CAST(COALESCE(MAX(CHAR_LENGTH({col})), 0) AS CHAR), '0'"),
            Fit::Range(..) => format!("CAST(MIN({col}) AS CHAR), CAST(MAX({col}) AS CHAR)"),
        };
        let sql = format!("SELECT {read} FROM {}", quote_ident(&c.table));
        let rows = db
            .rows(
                &format!("reading the values of {}.{}", c.table, from.name),
                &sql,
                &[],
            )
            .await?;
        let value = |i: usize| -> Option<Option<i128>> {
            match rows.first()?.get(i)? {
                None => Some(None),
                Some(v) => v.parse().ok().map(Some),
            }
        };
        let (Some(low), Some(high)) = (value(0), value(1)) else {
            continue;
        };
        let fits = match (fit, low, high) {
            (Fit::Chars(n), Some(longest), _) => longest <= i128::from(n),
            (Fit::Range(..), None, None) => true,
            (Fit::Range(min, max), Some(l), Some(h)) => min <= l && h <= max,
            _ => false,
        };
        if fits {
            c.destructive = false;
            let seen = match (fit, low, high) {
                (Fit::Chars(_), Some(longest), _) => {
                    format!("the longest has {longest} characters")
                }
                (_, Some(l), Some(h)) => format!("they range from {l} to {h}"),
                _ => "there are none".to_string(),
            };
            c.detail = format!("{} — every value fits ({seen})", c.detail);
            cleared += 1;
        }
    }
    Ok(cleared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnType;

    fn col(ty: ColumnType, collation: &str) -> Column {
        let mut c = Column::new("c", ty);
        c.collation = Some(collation.into());
        c
    }

    #[test]
    fn only_a_shorter_text_or_a_smaller_integer_is_read_on_the_rows() {
        let vc = |n| ColumnType::named("varchar").with_length(n);
        let mb4 = "utf8mb4_unicode_ci";
        let long = col(ColumnType::named("longtext"), mb4);
        assert_eq!(
            what_narrows(&long, &col(vc(191), mb4)),
            Some(Fit::Chars(191))
        );
        assert_eq!(
            what_narrows(&col(vc(255), "utf8mb3_unicode_ci"), &col(vc(191), mb4)),
            Some(Fit::Chars(191))
        );
        // Widening, or a narrower character set, or text to number: not this rule's.
        assert_eq!(what_narrows(&col(vc(191), mb4), &col(vc(255), mb4)), None);
        assert_eq!(
            what_narrows(&col(vc(255), mb4), &col(vc(191), "latin1_swedish_ci")),
            None
        );
        assert_eq!(
            what_narrows(&long, &col(ColumnType::named("text"), mb4)),
            None
        );
        let int = Column::new("c", ColumnType::named("int"));
        let flag = Column::new("c", ColumnType::named("tinyint").with_length(1));
        assert_eq!(what_narrows(&int, &flag), Some(Fit::Range(-128, 127)));
        assert_eq!(what_narrows(&flag, &int), None);
        assert_eq!(what_narrows(&long, &int), None);
    }
}
