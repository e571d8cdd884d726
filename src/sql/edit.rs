//! What an ALTER TABLE operation does to the model, shared by the AST reader (`ast::alter`) and
//! the hand grammar (`hand::alter`) so that both apply an operation the same way. Each edit
//! fails before it changes the table (the AST reader relies on it), and follows what MariaDB/MySQL do to the table (checked against the server by
//! `tests/alter_ops.rs`): renaming or dropping a column also renames or shrinks the indexes and
//! foreign keys that name it, renaming a table follows the foreign keys that point to it.

use crate::schema::{Column, DefaultValue, IndexKind, Schema, Table};

type Edit = Result<(), String>;

/// `FIRST` / `AFTER col` / neither, of ADD, MODIFY and CHANGE COLUMN.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Position {
    Last,
    First,
    After(String),
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn place(table: &mut Table, col: Column, position: &Position) -> Edit {
    let at = match position {
        Position::Last => table.columns.len(),
        Position::First => 0,
        Position::After(name) => {
            1 + table
                .columns
                .iter()
                .position(|c| same(&c.name, name))
                .ok_or_else(|| format!("column {name} (of AFTER) does not exist"))?
        }
    };
    table.columns.insert(at, col);
    Ok(())
}

/// `ADD [COLUMN] [IF NOT EXISTS]`: an existing name is an error, or nothing with IF NOT EXISTS.
pub(crate) fn add_column(
    table: &mut Table,
    col: Column,
    position: &Position,
    if_not_exists: bool,
) -> Edit {
    if table.column(&col.name).is_some() {
        return match if_not_exists {
            true => Ok(()),
            false => Err(format!("column {} already exists", col.name)),
        };
    }
    place(table, col, position)
}

/// `MODIFY` (`old` is the column's own name) and `CHANGE old new`.
pub(crate) fn replace_column(
    table: &mut Table,
    old: &str,
    col: Column,
    position: &Position,
) -> Edit {
    let at = table
        .columns
        .iter()
        .position(|c| same(&c.name, old))
        .ok_or_else(|| format!("column {old} does not exist"))?;
    if let Position::After(name) = position
        && (same(name, old) || table.column(name).is_none())
    {
        // Checked before the column leaves its place: a failed edit changes nothing.
        return Err(format!("column {name} (of AFTER) does not exist"));
    }
    let new = col.name.clone();
    if *position == Position::Last {
        table.columns[at] = col;
    } else {
        table.columns.remove(at);
        place(table, col, position)?;
    }
    rename_references(table, old, &new);
    Ok(())
}

/// `RENAME COLUMN old TO new`: the column keeps its definition.
pub(crate) fn rename_column(table: &mut Table, old: &str, new: &str) -> Edit {
    let col = table
        .column_mut(old)
        .ok_or_else(|| format!("column {old} does not exist"))?;
    col.name = new.to_string();
    rename_references(table, old, new);
    Ok(())
}

fn rename_references(table: &mut Table, old: &str, new: &str) {
    if old == new {
        return;
    }
    for part in table.indexes.iter_mut().flat_map(|i| i.parts.iter_mut()) {
        if same(&part.column, old) {
            part.column = new.to_string();
        }
    }
    for c in table
        .foreign_keys
        .iter_mut()
        .flat_map(|f| f.columns.iter_mut())
    {
        if same(c, old) {
            *c = new.to_string();
        }
    }
}

/// `DROP [COLUMN] [IF EXISTS] a[, DROP b]`: a column leaves its indexes too; an index left
/// without parts goes.
pub(crate) fn drop_columns(table: &mut Table, names: &[&str], if_exists: bool) -> Edit {
    // Checked before any column goes: a refused statement leaves the table as it was.
    if !if_exists && let Some(n) = names.iter().find(|n| table.column(n).is_none()) {
        return Err(format!("column {n} does not exist"));
    }
    for name in names {
        table.columns.retain(|c| !same(&c.name, name));
        for index in &mut table.indexes {
            index.parts.retain(|p| !same(&p.column, name));
        }
    }
    table.indexes.retain(|i| !i.parts.is_empty());
    Ok(())
}

/// `ALTER [COLUMN] c SET DEFAULT x` (`Some`) / `DROP DEFAULT` (`None`).
pub(crate) fn set_default(table: &mut Table, column: &str, default: Option<DefaultValue>) -> Edit {
    let col = table
        .column_mut(column)
        .ok_or_else(|| format!("column {column} does not exist"))?;
    col.default = default;
    Ok(())
}

pub(crate) fn drop_primary_key(table: &mut Table) {
    table.indexes.retain(|i| i.kind != IndexKind::Primary);
}

/// `DROP INDEX` / `DROP KEY`.
pub(crate) fn drop_index(table: &mut Table, name: &str) {
    table.indexes.retain(|i| !same(&i.name, name));
}

pub(crate) fn drop_foreign_key(table: &mut Table, name: &str) {
    table.foreign_keys.retain(|f| !same(&f.name, name));
}

/// `DROP CONSTRAINT` / `DROP CHECK`: a check or a foreign key of that name.
pub(crate) fn drop_constraint(table: &mut Table, name: &str) {
    table.checks.retain(|k| !same(&k.name, name));
    drop_foreign_key(table, name);
}

/// `RENAME INDEX|KEY from TO to`.
pub(crate) fn rename_index(table: &mut Table, from: &str, to: &str) {
    if let Some(i) = table.indexes.iter_mut().find(|i| same(&i.name, from)) {
        i.name = to.to_string();
    }
}

/// `RENAME [TO|AS] to` of `table`, which the caller has taken out of `schema`: the foreign
/// keys of the other tables that point to it follow (InnoDB renames them too).
pub(crate) fn rename_table(schema: &mut Schema, table: &mut Table, to: &str) {
    for fk in schema
        .tables
        .values_mut()
        .flat_map(|t| t.foreign_keys.iter_mut())
    {
        if fk.ref_table == table.name {
            fk.ref_table = to.to_string();
        }
    }
    for fk in &mut table.foreign_keys {
        if fk.ref_table == table.name {
            fk.ref_table = to.to_string();
        }
    }
    table.name = to.to_string();
}
