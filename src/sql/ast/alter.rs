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
    RenameTableNameKind, Statement as Ast, TableConstraint,
};

use super::source::{OpSource, alter_ops};
use super::{column, constraint, last_name, parse_keeping};
use crate::schema::{Schema, Table};
use crate::sql::edit::{self, Position};
use crate::sql::hand::{Cursor, PResult, finish_table};

/// `ALTER TABLE`. `false`: not read here (see the module documentation).
pub(crate) fn alter_table(text: &str, schema: &mut Schema) -> bool {
    let Some((Ast::AlterTable(at), _)) = parse_keeping(text, false) else {
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
    let Some(mut table) = schema.tables.remove(&name) else {
        return false;
    };
    // A statement the AST maps only in part is read again by hand, from the table as it was.
    // An operation's edit fails before it changes the table, so one operation runs on the
    // table itself; several run on a copy (callgrind: copying for each of the references'
    // 6,359 one-operation ALTERs cost 146 M instructions of 613 M).
    let read = if at.operations.len() == 1 {
        alter(&at, text, &mut table, schema).is_ok()
    } else {
        let mut copy = table.clone();
        let read = alter(&at, text, &mut copy, schema).is_ok();
        if read {
            table = copy;
        }
        read
    };
    if read {
        finish_table(&mut table);
    }
    schema.insert(table);
    read
}

/// Does the operation need its source text (expression text, data type)?
fn needs_source(op: &Op) -> bool {
    match op {
        Op::AddConstraint { constraint, .. } => matches!(constraint, TableConstraint::Check(_)),
        Op::AddColumn { .. } | Op::ModifyColumn { .. } | Op::ChangeColumn { .. } => true,
        Op::AlterColumn { op, .. } => matches!(op, AlterColumnOperation::SetDefault { .. }),
        Op::RenameColumn { .. } => true,
        _ => false,
    }
}

fn alter(at: &AlterTable, text: &str, table: &mut Table, schema: &mut Schema) -> PResult<()> {
    // Most ALTERs (Doctrine's ADD CONSTRAINT ... FOREIGN KEY) need no source: the tokens are
    // read again only when one does.
    let sources = if at.operations.iter().any(needs_source) {
        let sources = alter_ops(Cursor::new(text)?.toks)?;
        if sources.len() != at.operations.len() {
            return Err("the source scan and the AST disagree on the operations".into());
        }
        sources
    } else {
        at.operations.iter().map(|_| OpSource::Other).collect()
    };
    for (op, src) in at.operations.iter().zip(sources) {
        match (op, src) {
            (
                Op::AddConstraint {
                    constraint,
                    not_valid: false,
                },
                src,
            ) => {
                // Only a CHECK has source text to read (`needs_source`).
                let check = match src {
                    OpSource::Constraint(check) => check,
                    _ => None,
                };
                constraint::apply(constraint, check, table, true)?
            }
            (
                Op::AddColumn {
                    if_not_exists,
                    column_def,
                    column_position,
                    ..
                },
                OpSource::Column(src),
            ) => {
                let pos = position(column_position);
                undo_indexes_on_error(table, |t| {
                    let col = column::column(column_def, src, t)?;
                    edit::add_column(t, col, &pos, *if_not_exists)
                })?;
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
                let pos = position(column_position);
                undo_indexes_on_error(table, |t| {
                    let col = column::column_of(col_name, options.iter(), src, t)?;
                    edit::replace_column(t, &col_name.value, col, &pos)
                })?;
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
                let pos = position(column_position);
                undo_indexes_on_error(table, |t| {
                    let col = column::column_of(new_name, options.iter(), src, t)?;
                    edit::replace_column(t, &old_name.value, col, &pos)
                })?;
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
                let names: Vec<&str> = column_names.iter().map(|n| n.value.as_str()).collect();
                edit::drop_columns(table, &names, *if_exists)?
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
                OpSource::RenameColumn,
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

/// A column definition adds the indexes of its inline PRIMARY KEY / UNIQUE as it is read:
/// they go again when the edit then fails, so that a failed operation leaves the table as it was.
fn undo_indexes_on_error(
    table: &mut Table,
    f: impl FnOnce(&mut Table) -> PResult<()>,
) -> PResult<()> {
    let n = table.indexes.len();
    let result = f(table);
    if result.is_err() {
        table.indexes.truncate(n);
    }
    result
}

fn position(p: &Option<MySQLColumnPosition>) -> Position {
    match p {
        None => Position::Last,
        Some(MySQLColumnPosition::First) => Position::First,
        Some(MySQLColumnPosition::After(c)) => Position::After(c.value.clone()),
    }
}
