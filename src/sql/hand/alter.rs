//! ALTER TABLE, CREATE INDEX and DROP TABLE read from tokens.

use sqlparser::tokenizer::Token;

use super::column::*;
use super::cursor::*;
use super::table::*;
use crate::schema::{Index, IndexKind, Schema, Table};
use crate::sql::edit::{self, Position};
use crate::sql::split::Statement;

pub(crate) fn alter_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
    let mut c = Cursor::new(st.text)?;
    c.expect_kw("ALTER")?;
    c.eat_kw("ONLINE");
    c.eat_kw("IGNORE");
    c.expect_kw("TABLE")?;
    let name = c.object_name()?;
    let Some(mut table) = schema.tables.remove(&name) else {
        return Err(format!("ALTER TABLE {name}: table not defined before"));
    };
    let result = alter_ops(&mut c, &mut table, schema);
    if let Err(e) = &result {
        table
            .unsupported
            .get_or_insert_with(|| format!("line {}: {e}", st.line));
    }
    finish_table(&mut table);
    schema.insert(table);
    Ok(())
}

fn alter_ops(c: &mut Cursor, table: &mut Table, schema: &mut Schema) -> PResult<()> {
    loop {
        if c.at_end() {
            return Ok(());
        }
        alter_op(c, table, schema)?;
        if !c.eat(&Token::Comma) && !c.at_end() {
            return Err(format!("unexpected {} in ALTER TABLE", describe(c.peek())));
        }
    }
}

fn column_position(c: &mut Cursor) -> PResult<Position> {
    Ok(if c.eat_kw("FIRST") {
        Position::First
    } else if c.eat_kw("AFTER") {
        Position::After(c.ident()?)
    } else {
        Position::Last
    })
}

fn alter_op(c: &mut Cursor, table: &mut Table, schema: &mut Schema) -> PResult<()> {
    if c.eat_kw("ADD") {
        if starts_constraint(c) {
            return table_constraint(c, table, true);
        }
        c.eat_kw("COLUMN");
        let if_not_exists = c.eat_kws(&["IF", "NOT", "EXISTS"]);
        if c.eat(&Token::LParen) {
            loop {
                let col = column_definition(c, table)?;
                edit::add_column(table, col, &Position::Last, if_not_exists)?;
                if !c.eat(&Token::Comma) {
                    break;
                }
            }
            return c.expect(&Token::RParen);
        }
        let col = column_definition(c, table)?;
        let position = column_position(c)?;
        return edit::add_column(table, col, &position, if_not_exists);
    }
    if c.eat_kw("MODIFY") {
        c.eat_kw("COLUMN");
        let col = column_definition(c, table)?;
        let position = column_position(c)?;
        return edit::replace_column(table, &col.name.clone(), col, &position);
    }
    if c.eat_kw("CHANGE") {
        c.eat_kw("COLUMN");
        let old = c.ident()?;
        let col = column_definition(c, table)?;
        let position = column_position(c)?;
        return edit::replace_column(table, &old, col, &position);
    }
    if c.eat_kw("DROP") {
        if c.eat_kws(&["PRIMARY", "KEY"]) {
            edit::drop_primary_key(table);
        } else if c.eat_kws(&["FOREIGN", "KEY"]) {
            edit::drop_foreign_key(table, &c.ident()?);
        } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            edit::drop_index(table, &c.ident()?);
        } else if c.eat_kw("CONSTRAINT") || c.eat_kw("CHECK") {
            edit::drop_constraint(table, &c.ident()?);
        } else {
            c.eat_kw("COLUMN");
            let if_exists = c.eat_kws(&["IF", "EXISTS"]);
            return edit::drop_columns(table, &[&c.ident()?], if_exists);
        }
        return Ok(());
    }
    if c.eat_kw("ALTER") {
        c.eat_kw("COLUMN");
        let n = c.ident()?;
        if c.eat_kws(&["SET", "DEFAULT"]) {
            return edit::set_default(table, &n, Some(default_value(&c.unit()?)));
        }
        c.expect_kw("DROP")?;
        c.expect_kw("DEFAULT")?;
        return edit::set_default(table, &n, None);
    }
    if c.eat_kw("RENAME") {
        if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            let from = c.ident()?;
            c.expect_kw("TO")?;
            edit::rename_index(table, &from, &c.ident()?);
        } else if c.eat_kw("COLUMN") {
            let from = c.ident()?;
            c.expect_kw("TO")?;
            edit::rename_column(table, &from, &c.ident()?)?;
        } else {
            let _ = c.eat_kw("TO") || c.eat_kw("AS");
            let to = c.object_name()?;
            edit::rename_table(schema, table, &to);
        }
        return Ok(());
    }
    if c.eat_kw("DISABLE") || c.eat_kw("ENABLE") {
        return c.expect_kw("KEYS");
    }
    if c.eat_kw("ALGORITHM") || c.eat_kw("LOCK") || c.eat_kw("AUTO_INCREMENT") {
        c.opt_eq();
        c.next();
        return Ok(());
    }
    if c.is_kw("ENGINE")
        || c.is_kw("ROW_FORMAT")
        || c.is_kw("COMMENT")
        || c.is_kw("DEFAULT")
        || c.is_kw("COLLATE")
        || c.is_kw("CHARSET")
    {
        return table_option_once(c, table);
    }
    Err(format!(
        "ALTER TABLE operation {} is not supported",
        describe(c.peek())
    ))
}

fn table_option_once(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    // Parse options until a comma, reusing the CREATE TABLE option reader on a sub-cursor.
    let start = c.pos;
    let mut end = start;
    while end < c.toks.len() && c.toks[end] != Token::Comma {
        end += 1;
    }
    let mut sub = Cursor {
        toks: c.toks[start..end].to_vec(),
        pos: 0,
    };
    c.pos = end;
    table_options(&mut sub, table)
}

pub(crate) fn create_index(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
    let mut c = Cursor::new(st.text)?;
    c.expect_kw("CREATE")?;
    let kind = if c.eat_kw("UNIQUE") {
        IndexKind::Unique
    } else if c.eat_kw("FULLTEXT") {
        IndexKind::Fulltext
    } else if c.eat_kw("SPATIAL") {
        IndexKind::Spatial
    } else {
        IndexKind::Plain
    };
    c.expect_kw("INDEX")?;
    let name = c.ident()?;
    if c.eat_kw("USING") {
        c.next();
    }
    c.expect_kw("ON")?;
    let table_name = c.object_name()?;
    let table = schema
        .tables
        .get_mut(&table_name)
        .ok_or_else(|| format!("CREATE INDEX {name}: table {table_name} not defined before"))?;
    let parts = index_parts(&mut c)?;
    let comment = index_options(&mut c)?;
    table.put_index(Index {
        name,
        kind,
        parts,
        comment,
    });
    Ok(())
}

pub(crate) fn drop_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
    let mut c = Cursor::new(st.text)?;
    c.expect_kw("DROP")?;
    c.eat_kw("TEMPORARY");
    c.expect_kw("TABLE")?;
    c.eat_kws(&["IF", "EXISTS"]);
    loop {
        let name = c.object_name()?;
        schema.tables.remove(&name);
        if !c.eat(&Token::Comma) {
            return Ok(());
        }
    }
}
