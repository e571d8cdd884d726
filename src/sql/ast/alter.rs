//! `ALTER TABLE` of the AST → edits of a table of the model (`crate::sql::edit`, shared with
//! the hand grammar).
//!
//! What the MySQL dialect does not parse goes to the hand grammar (`tests/ast_gaps.rs` lists
//! it): table options (`ENGINE=`, `DEFAULT CHARSET=`, `COMMENT=`...), `DROP KEY`,
//! `DROP CHECK`, `RENAME INDEX|KEY`, `DISABLE|ENABLE KEYS`, `ALTER ONLINE|IGNORE TABLE`. So does
//! a statement whose edit fails (a column that does not exist...): the hand grammar applies the
//! operations before it and marks the table unsupported with the reason.

use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation as Op, MySQLColumnPosition,
    RenameTableNameKind, Statement as Ast,
};
use sqlparser::tokenizer::Token;

use super::source::{OpSource, alter_ops};
use super::{column, constraint, last_name, parse};
use crate::schema::{Schema, Table};
use crate::sql::edit::{self, Position};
use crate::sql::hand::{PResult, finish_table};

/// `ALTER TABLE`. `false`: not read here (see the module documentation).
pub(crate) fn alter_table(text: &str, schema: &mut Schema) -> bool {
    let Some((Ast::AlterTable(at), toks)) = parse(text) else {
        return false;
    };
    if at.if_exists || at.only || at.location.is_some() || at.on_cluster.is_some() {
        return false;
    }
    if at.table_type.is_some() {
        return false;
    }
    let Some(name) = last_name(&at.name) else {
        return false;
    };
    let Some(before) = schema.tables.get(&name) else {
        return false;
    };
    // The edits run on a copy: a statement the AST maps only in part is read again by hand,
    // from the table as it was.
    let mut table = before.clone();
    match alter(&at, toks, &mut table, schema) {
        Ok(()) => {
            schema.tables.remove(&name);
            finish_table(&mut table);
            schema.insert(table);
            true
        }
        Err(_) => false,
    }
}

fn alter(at: &AlterTable, toks: Vec<Token>, table: &mut Table, schema: &mut Schema) -> PResult<()> {
    let sources = alter_ops(toks)?;
    if sources.len() != at.operations.len() {
        return Err("the source scan and the AST disagree on the operations".into());
    }
    for (op, src) in at.operations.iter().zip(sources) {
        match (op, src) {
            (
                Op::AddConstraint {
                    constraint,
                    not_valid: false,
                },
                OpSource::Constraint(check),
            ) => constraint::apply(constraint, check, table, true)?,
            (
                Op::AddColumn {
                    if_not_exists,
                    column_def,
                    column_position,
                    ..
                },
                OpSource::Column(src),
            ) => {
                let col = column::column(column_def, src, table)?;
                edit::add_column(table, col, &position(column_position), *if_not_exists)?;
            }
            (
                Op::ModifyColumn {
                    col_name,
                    options,
                    column_position,
                    ..
                },
                OpSource::Column(src),
            ) => {
                let col = column::column_of(col_name, options.iter(), src, table)?;
                edit::replace_column(table, &col_name.value, col, &position(column_position))?;
            }
            (
                Op::ChangeColumn {
                    old_name,
                    new_name,
                    options,
                    column_position,
                    ..
                },
                OpSource::Column(src),
            ) => {
                let col = column::column_of(new_name, options.iter(), src, table)?;
                edit::replace_column(table, &old_name.value, col, &position(column_position))?;
            }
            (
                Op::DropColumn {
                    column_names,
                    if_exists,
                    drop_behavior: None,
                    ..
                },
                _,
            ) => {
                for n in column_names {
                    if !if_exists && table.column(&n.value).is_none() {
                        return Err(format!("column {n} does not exist"));
                    }
                    edit::drop_column(table, &n.value);
                }
            }
            (
                Op::DropPrimaryKey {
                    drop_behavior: None,
                },
                _,
            ) => edit::drop_primary_key(table),
            (
                Op::DropForeignKey {
                    name,
                    drop_behavior: None,
                },
                _,
            ) => edit::drop_foreign_key(table, &name.value),
            (Op::DropIndex { name }, _) => edit::drop_index(table, &name.value),
            (
                Op::DropConstraint {
                    if_exists: false,
                    name,
                    drop_behavior: None,
                },
                _,
            ) => edit::drop_constraint(table, &name.value),
            (
                Op::RenameColumn {
                    old_column_name,
                    new_column_name,
                },
                _,
            ) => edit::rename_column(table, &old_column_name.value, &new_column_name.value)?,
            (
                Op::RenameTable {
                    table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
                },
                _,
            ) => {
                // Other tables' foreign keys follow at once; were the statement read again by
                // hand, doing it twice changes nothing.
                let to = last_name(n).ok_or("bad table name")?;
                edit::rename_table(schema, table, &to);
            }
            (
                Op::AlterColumn {
                    column_name,
                    op: AlterColumnOperation::SetDefault { value },
                },
                OpSource::Default(toks),
            ) => {
                let default = column::default_value(value, &toks);
                edit::set_default(table, &column_name.value, Some(default))?
            }
            (
                Op::AlterColumn {
                    column_name,
                    op: AlterColumnOperation::DropDefault,
                },
                _,
            ) => edit::set_default(table, &column_name.value, None)?,
            // How and when the server runs the statement, not what the table becomes.
            (Op::Algorithm { .. } | Op::Lock { .. } | Op::AutoIncrement { .. }, _) => {}
            (other, _) => return Err(format!("ALTER TABLE operation {other} is not read")),
        }
    }
    Ok(())
}

fn position(p: &Option<MySQLColumnPosition>) -> Position {
    match p {
        None => Position::Last,
        Some(MySQLColumnPosition::First) => Position::First,
        Some(MySQLColumnPosition::After(c)) => Position::After(c.value.clone()),
    }
}
