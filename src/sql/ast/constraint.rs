//! Table constraints of the AST → indexes, foreign keys and checks of the model.

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, IndexColumn, IndexOption,
    OrderBySort, ReferentialAction, TableConstraint, Value,
};

use super::last_name;
use crate::schema::{Check, FkAction, ForeignKey, Index, IndexKind, IndexPart, Table};
use crate::sql::hand::{PResult, generated_check_name, generated_fk_name, unique_index_name};

/// One table constraint into `table`; `check` is its CHECK expression as written, `in_alter`
/// says ALTER TABLE adds it (see `generated_fk_name`).
pub(super) fn apply(
    tc: &TableConstraint,
    check: Option<String>,
    table: &mut Table,
    in_alter: bool,
) -> PResult<()> {
    match tc {
        TableConstraint::PrimaryKey(pk) => {
            let index = index(
                table,
                IndexKind::Primary,
                None,
                &pk.columns,
                &pk.index_options,
            )?;
            table.indexes.retain(|i| i.kind != IndexKind::Primary);
            table.indexes.push(index);
        }
        TableConstraint::Unique(u) => {
            let name = u.index_name.as_ref().or(u.name.as_ref());
            let index = index(table, IndexKind::Unique, name, &u.columns, &u.index_options)?;
            push_index(table, index);
        }
        TableConstraint::Index(i) => {
            let index = index(
                table,
                IndexKind::Plain,
                i.name.as_ref(),
                &i.columns,
                &i.index_options,
            )?;
            push_index(table, index);
        }
        TableConstraint::FulltextOrSpatial(f) => {
            let kind = if f.fulltext {
                IndexKind::Fulltext
            } else {
                IndexKind::Spatial
            };
            let index = index(table, kind, f.opt_index_name.as_ref(), &f.columns, &[])?;
            push_index(table, index);
        }
        TableConstraint::ForeignKey(fk) => {
            let name = match fk.name.as_ref().or(fk.index_name.as_ref()) {
                Some(n) => n.value.clone(),
                None => generated_fk_name(table, in_alter),
            };
            let fk = ForeignKey {
                name,
                columns: idents(&fk.columns),
                ref_table: last_name(&fk.foreign_table).ok_or("bad referenced table name")?,
                ref_columns: idents(&fk.referred_columns),
                on_delete: fk_action(fk.on_delete),
                on_update: fk_action(fk.on_update),
            };
            table
                .foreign_keys
                .retain(|f| !f.name.eq_ignore_ascii_case(&fk.name));
            table.foreign_keys.push(fk);
        }
        TableConstraint::Check(k) => {
            let expr = check.ok_or("CHECK without its expression in the source")?;
            let name = match &k.name {
                Some(n) => n.value.clone(),
                None => generated_check_name(table),
            };
            table.checks.push(Check { name, expr });
        }
        other => return Err(format!("table constraint {other} is not read")),
    }
    Ok(())
}

fn push_index(table: &mut Table, index: Index) {
    table.put_index(index);
}

fn index(
    table: &Table,
    kind: IndexKind,
    name: Option<&Ident>,
    columns: &[IndexColumn],
    options: &[IndexOption],
) -> PResult<Index> {
    let parts = index_parts(columns)?;
    let name = match (kind, name) {
        (IndexKind::Primary, _) => "PRIMARY".to_string(),
        (_, Some(n)) => n.value.clone(),
        (_, None) => unique_index_name(table, &parts[0].column),
    };
    Ok(Index {
        name,
        kind,
        parts,
        comment: index_comment(options),
    })
}

pub(super) fn index_comment(options: &[IndexOption]) -> String {
    options
        .iter()
        .rev()
        .find_map(|o| match o {
            IndexOption::Comment(c) => Some(c.clone()),
            IndexOption::Using(_) => None,
        })
        .unwrap_or_default()
}

/// Index parts. The AST reads a prefix `col(191)` as a call of a function named `col` with one
/// number (`tests/ast_gaps.rs`); a real expression part `((expr))` is not supported.
pub(super) fn index_parts(columns: &[IndexColumn]) -> PResult<Vec<IndexPart>> {
    if columns.is_empty() {
        return Err("an index without columns".into());
    }
    columns
        .iter()
        .map(|ic| {
            // `( DEFAULT a)` parses as a column `DEFAULT` with operator class `a`, `(a NULLS
            // FIRST)` as an ordering: PostgreSQL syntax the server refuses, as the hand grammar
            // does (tests/parse_fuzz.rs found them).
            let o = &ic.column.options;
            if ic.operator_class.is_some()
                || o.nulls_first.is_some()
                || ic.column.with_fill.is_some()
                || matches!(o.sort, Some(OrderBySort::Using(_)))
            {
                return Err("index part syntax the server refuses".to_string());
            }
            let mut part = match &ic.column.expr {
                Expr::Identifier(id) => IndexPart::new(id.value.clone()),
                Expr::Function(f) => {
                    let mut part = IndexPart::new(last_name(&f.name).ok_or("bad index part")?);
                    part.prefix = Some(prefix_length(&f.args)?);
                    part
                }
                _ => return Err("functional index parts are not supported".to_string()),
            };
            part.descending = matches!(ic.column.options.sort, Some(OrderBySort::Desc));
            Ok(part)
        })
        .collect()
}

fn prefix_length(args: &FunctionArguments) -> PResult<u32> {
    let FunctionArguments::List(list) = args else {
        return Err("functional index parts are not supported".into());
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] => match &v.value {
            Value::Number(n, _) => n.parse().map_err(|_| format!("bad prefix length {n}")),
            _ => Err("functional index parts are not supported".into()),
        },
        _ => Err("functional index parts are not supported".into()),
    }
}

fn idents(ids: &[Ident]) -> Vec<String> {
    ids.iter().map(|i| i.value.clone()).collect()
}

/// No action given and NO ACTION both mean RESTRICT on InnoDB.
fn fk_action(a: Option<ReferentialAction>) -> FkAction {
    match a {
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
        Some(ReferentialAction::Restrict | ReferentialAction::NoAction) | None => {
            FkAction::Restrict
        }
    }
}
