//! ALTER TABLE, CREATE INDEX and DROP TABLE read from tokens.

use sqlparser::tokenizer::Token;

use super::column::*;
use super::cursor::*;
use super::table::*;
use crate::schema::{Column, Index, IndexKind, Schema, Table};
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
    let result = alter_ops(&mut c, &mut table);
    if let Err(e) = &result {
        table
            .unsupported
            .get_or_insert_with(|| format!("line {}: {e}", st.line));
    }
    finish_table(&mut table);
    schema.insert(table);
    Ok(())
}

pub(crate) fn alter_ops(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    loop {
        if c.at_end() {
            return Ok(());
        }
        alter_op(c, table)?;
        if !c.eat(&Token::Comma) && !c.at_end() {
            return Err(format!("unexpected {} in ALTER TABLE", describe(c.peek())));
        }
    }
}

pub(crate) fn column_position(c: &mut Cursor) -> PResult<()> {
    if c.eat_kw("FIRST") {
    } else if c.eat_kw("AFTER") {
        c.ident()?;
    }
    Ok(())
}

pub(crate) fn alter_op(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    if c.eat_kw("ADD") {
        if starts_constraint(c) {
            return table_constraint(c, table);
        }
        c.eat_kw("COLUMN");
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        if c.eat(&Token::LParen) {
            loop {
                let col = column_definition(c, table)?;
                table.columns.push(col);
                if !c.eat(&Token::Comma) {
                    break;
                }
            }
            return c.expect(&Token::RParen);
        }
        let col = column_definition(c, table)?;
        column_position(c)?;
        table.columns.push(col);
        return Ok(());
    }
    if c.eat_kw("MODIFY") {
        c.eat_kw("COLUMN");
        let col = column_definition(c, table)?;
        column_position(c)?;
        return replace_column(table, &col.name.clone(), col);
    }
    if c.eat_kw("CHANGE") {
        c.eat_kw("COLUMN");
        let old = c.ident()?;
        let col = column_definition(c, table)?;
        column_position(c)?;
        return replace_column(table, &old, col);
    }
    if c.eat_kw("DROP") {
        if c.eat_kws(&["PRIMARY", "KEY"]) {
            table.indexes.retain(|i| i.kind != IndexKind::Primary);
        } else if c.eat_kws(&["FOREIGN", "KEY"]) {
            let n = c.ident()?;
            table
                .foreign_keys
                .retain(|f| !f.name.eq_ignore_ascii_case(&n));
        } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            let n = c.ident()?;
            table.indexes.retain(|i| !i.name.eq_ignore_ascii_case(&n));
        } else if c.eat_kw("CONSTRAINT") || c.eat_kw("CHECK") {
            let n = c.ident()?;
            table.checks.retain(|k| !k.name.eq_ignore_ascii_case(&n));
            table
                .foreign_keys
                .retain(|f| !f.name.eq_ignore_ascii_case(&n));
        } else {
            c.eat_kw("COLUMN");
            let n = c.ident()?;
            table
                .columns
                .retain(|col| !col.name.eq_ignore_ascii_case(&n));
        }
        return Ok(());
    }
    if c.eat_kw("RENAME") {
        if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            let from = c.ident()?;
            c.expect_kw("TO")?;
            let to = c.ident()?;
            if let Some(i) = table
                .indexes
                .iter_mut()
                .find(|i| i.name.eq_ignore_ascii_case(&from))
            {
                i.name = to;
            }
            return Ok(());
        }
        return Err("RENAME of a table or column inside a file is not supported".into());
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

pub(crate) fn table_option_once(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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

pub(crate) fn replace_column(table: &mut Table, old: &str, col: Column) -> PResult<()> {
    match table
        .columns
        .iter_mut()
        .find(|c| c.name.eq_ignore_ascii_case(old))
    {
        Some(slot) => {
            *slot = col;
            Ok(())
        }
        None => Err(format!("column {old} does not exist")),
    }
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
    table
        .indexes
        .retain(|i| !i.name.eq_ignore_ascii_case(&name));
    table.indexes.push(Index {
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
