//! NOT NULL columns without a default, added through pt-osc. The server's own ALTER fills the
//! existing rows with the type's implicit value (0, '', the first ENUM value...). pt-osc's copy
//! is an `INSERT IGNORE ... SELECT` of the old columns, which leaves the new one out: the
//! server warns 1364 "Field ... doesn't have a default value" and pt-osc stops on any warning
//! it does not know (so `--online always` could not add such a column). The copy therefore
//! gets the column with that implicit value as its default, and the swap's final ALTER drops
//! the default again (metadata only): rows and schema end as the server's ALTER leaves them.
//!
//! The value is the server's, not a table of ours: a session-private TEMPORARY table with one
//! row gets the column added exactly as planned, and the value it was filled with is read back
//! (QUOTE). The same table then proves the server accepts that value as the column's default,
//! as a literal, else as an expression `(…)` (MySQL 8 takes no literal default on TEXT/BLOB).
//! A temporary table is visible to this connection only and vanishes with it, even on kill -9.

use super::names::nonce;
use crate::db::{Db, DbError};
use crate::plan::{Clause, ClauseOp};
use crate::schema::{Column, DefaultValue, quote_ident};

/// A column the copy gets with a temporary default: its name and that default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    pub column: String,
    pub default: DefaultValue,
}

/// Whether an added column needs a value the copy cannot give it: NOT NULL without a default
/// (nor a value of its own: generated, AUTO_INCREMENT).
fn needs_fill(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && c.generated.is_none() && !c.auto_increment
}

/// The fills `clauses` need: the server's implicit value for each column an ADD COLUMN adds
/// NOT NULL without a default. Err: why the column cannot go through pt-osc.
pub async fn prepare(
    db: &mut Db,
    clauses: &[Clause],
) -> Result<Result<Vec<Fill>, String>, DbError> {
    let mut out = Vec::new();
    for c in clauses {
        let ClauseOp::AddColumn { column, .. } = &c.op else {
            continue;
        };
        if !needs_fill(column) {
            continue;
        }
        match probe(db, column).await? {
            Ok(default) => out.push(Fill {
                column: column.name.clone(),
                default,
            }),
            Err(why) => return Ok(Err(why)),
        }
    }
    Ok(Ok(out))
}

/// `clauses` with each filled column added with its temporary default.
pub fn apply(clauses: &[Clause], fills: &[Fill]) -> Vec<Clause> {
    clauses
        .iter()
        .map(|c| match &c.op {
            ClauseOp::AddColumn { column, position } => {
                match fills.iter().find(|f| f.column == column.name) {
                    Some(f) => {
                        let mut column = column.clone();
                        column.default = Some(f.default.clone());
                        Clause {
                            op: ClauseOp::AddColumn {
                                column,
                                position: position.clone(),
                            },
                            change: c.change,
                        }
                    }
                    None => c.clone(),
                }
            }
            _ => c.clone(),
        })
        .collect()
}

/// The clause that adds `c` as the planner renders it.
fn planned_clause(c: &Column) -> String {
    ClauseOp::add_column(c.clone()).sql()
}

/// The server's implicit value for `c`, as the default it takes.
async fn probe(db: &mut Db, c: &Column) -> Result<Result<DefaultValue, String>, DbError> {
    let id = nonce();
    let probe = quote_ident(&format!("_ms_fill_probe_{id}"));
    let key = quote_ident(&format!("ms_probe_key_{id}"));
    db.execute(&format!(
        "CREATE TEMPORARY TABLE {probe} ({key} INT NOT NULL) ENGINE=InnoDB"
    ))
    .await?;
    let result = fill_value(db, &probe, c).await;
    let _ = db
        .execute(&format!("DROP TEMPORARY TABLE IF EXISTS {probe}"))
        .await;
    result
}

async fn fill_value(
    db: &mut Db,
    probe: &str,
    c: &Column,
) -> Result<Result<DefaultValue, String>, DbError> {
    let name = quote_ident(&c.name);
    db.execute(&format!("INSERT INTO {probe} VALUES (1)"))
        .await?;
    if let Err(e) = db
        .execute(&format!("ALTER TABLE {probe} {}", planned_clause(c)))
        .await
    {
        return Ok(Err(format!(
            "the server cannot fill existing rows of the new NOT NULL column `{}`: {e}",
            c.name
        )));
    }
    let rows = db
        .rows(
            "reading the column's implicit value",
            &format!("SELECT CAST(QUOTE({name}) AS CHAR) FROM {probe}"),
            &[],
        )
        .await?;
    let value = rows
        .first()
        .and_then(|r| r[0].clone())
        .unwrap_or_else(|| "''".into());
    db.execute(&format!("ALTER TABLE {probe} DROP COLUMN {name}"))
        .await?;
    for default in [value.clone(), format!("({value})")] {
        let mut with = c.clone();
        let default = DefaultValue::Expression(default);
        with.default = Some(default.clone());
        let clause = planned_clause(&with);
        if db
            .execute(&format!("ALTER TABLE {probe} {clause}"))
            .await
            .is_ok()
        {
            return Ok(Ok(default));
        }
    }
    Ok(Err(format!(
        "the server takes no default {value} for the new NOT NULL column `{}`, which the copy needs",
        c.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnType;

    fn column(name: &str, ty: &str, nullable: bool) -> Column {
        let mut c = Column::new(name, ColumnType::named(ty));
        c.nullable = nullable;
        c
    }

    #[test]
    fn only_not_null_columns_without_a_value_need_one() {
        let a = column("a", "int", false);
        let b = column("b", "int", true);
        let mut d = column("d", "int", false);
        d.default = Some(DefaultValue::Literal("0".into()));
        let mut e = column("e", "int", false);
        e.auto_increment = true;
        let need: Vec<bool> = [&a, &b, &d, &e].iter().map(|c| needs_fill(c)).collect();
        assert_eq!(need, vec![true, false, false, false]);
    }

    #[test]
    fn the_added_column_gets_the_default_in_place() {
        let n = column("n", "int", false);
        let m = column("m", "bigint", true);
        let clauses = vec![
            Clause {
                op: ClauseOp::ModifyColumn {
                    from: m.clone(),
                    to: m,
                },
                change: Some(0),
            },
            Clause {
                op: ClauseOp::add_column(n),
                change: Some(1),
            },
        ];
        let fill = Fill {
            column: "n".into(),
            default: DefaultValue::Expression("'0'".into()),
        };
        let filled = apply(&clauses, &[fill]);
        assert_eq!(filled[0], clauses[0]);
        assert_eq!(
            filled[1].op.sql(),
            "ADD COLUMN `n` int NOT NULL DEFAULT '0'"
        );
        assert_eq!(filled[1].change, Some(1));
    }
}
