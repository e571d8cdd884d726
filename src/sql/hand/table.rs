//! CREATE TABLE read from tokens: the body, indexes, constraints and table options.

use sqlparser::tokenizer::Token;

use super::column::*;
use super::cursor::*;
use crate::schema::{Check, FkAction, ForeignKey, Index, IndexKind, IndexPart, Schema, Table};
use crate::sql::split::Statement;

pub(crate) fn create_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
    let mut c = Cursor::new(st.text)?;
    c.expect_kw("CREATE")?;
    c.eat_kw("TEMPORARY");
    c.expect_kw("TABLE")?;
    c.eat_kws(&["IF", "NOT", "EXISTS"]);
    let name = c.object_name()?;
    let mut table = Table::new(name.clone());
    if let Err(e) = table_body(&mut c, &mut table) {
        table.unsupported = Some(format!("line {}: {e}", st.line));
    }
    schema.insert(table);
    Ok(())
}

pub(crate) fn table_body(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    if c.is_kw("LIKE") || c.is_kw("AS") || c.is_kw("SELECT") {
        return Err("CREATE TABLE ... LIKE/AS SELECT has no definition to compare".into());
    }
    c.expect(&Token::LParen)?;
    loop {
        create_definition(c, table)?;
        if c.eat(&Token::Comma) {
            continue;
        }
        c.expect(&Token::RParen)?;
        break;
    }
    table_options(c, table)?;
    finish_table(table);
    Ok(())
}

/// Does the next item (in CREATE TABLE or after ALTER TABLE ... ADD) define an index or a
/// constraint rather than a column? Only unquoted keywords count: `key` in backticks is a column.
pub(crate) fn starts_constraint(c: &Cursor) -> bool {
    crate::sql::ITEM_KEYWORDS.iter().any(|k| c.is_kw(k))
}

/// One item inside CREATE TABLE (...): a column or a table-level constraint/index.
pub(crate) fn create_definition(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    if starts_constraint(c) {
        table_constraint(c, table, false)
    } else {
        let col = column_definition(c, table)?;
        table.columns.push(col);
        Ok(())
    }
}

pub(crate) fn unique_index_name(table: &Table, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while table.index(&name).is_some() {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

pub(crate) fn index_parts(c: &mut Cursor) -> PResult<Vec<IndexPart>> {
    c.expect(&Token::LParen)?;
    let mut parts = Vec::new();
    loop {
        if c.peek() == &Token::LParen {
            return Err("functional index parts are not supported".into());
        }
        let mut part = IndexPart::new(c.ident()?);
        if c.eat(&Token::LParen) {
            part.prefix = Some(c.number()?);
            c.expect(&Token::RParen)?;
        }
        if c.eat_kw("DESC") {
            part.descending = true;
        } else {
            c.eat_kw("ASC");
        }
        parts.push(part);
        if !c.eat(&Token::Comma) {
            break;
        }
    }
    c.expect(&Token::RParen)?;
    Ok(parts)
}

/// Index options after the column list: `USING BTREE`, `COMMENT '...'`, `KEY_BLOCK_SIZE`...
pub(crate) fn index_options(c: &mut Cursor) -> PResult<String> {
    let mut comment = String::new();
    loop {
        if c.eat_kw("USING") {
            c.next();
        } else if c.eat_kw("COMMENT") {
            comment = c.string()?;
        } else if c.eat_kw("KEY_BLOCK_SIZE") {
            c.opt_eq();
            c.next();
        } else if c.eat_kws(&["WITH", "PARSER"]) {
            c.next();
        } else if c.eat_kw("VISIBLE") || c.eat_kw("INVISIBLE") || c.eat_kw("CLUSTERING") {
            c.opt_eq();
            if c.is_kw("YES") || c.is_kw("NO") {
                c.next();
            }
        } else {
            return Ok(comment);
        }
    }
}

/// Optional index name before the column list (absent when `(` or `USING` follows).
pub(crate) fn opt_index_name(c: &mut Cursor) -> PResult<Option<String>> {
    if c.peek() == &Token::LParen || c.is_kw("USING") {
        return Ok(None);
    }
    c.ident().map(Some)
}

/// `in_alter`: added by ALTER TABLE, which names an unnamed foreign key otherwise.
pub(crate) fn table_constraint(c: &mut Cursor, table: &mut Table, in_alter: bool) -> PResult<()> {
    let mut constraint_name = None;
    if c.eat_kw("CONSTRAINT")
        && !(c.is_kw("PRIMARY") || c.is_kw("UNIQUE") || c.is_kw("FOREIGN") || c.is_kw("CHECK"))
    {
        constraint_name = Some(c.ident()?);
    }
    if c.eat_kw("PRIMARY") {
        c.expect_kw("KEY")?;
        if c.eat_kw("USING") {
            c.next();
        }
        let parts = index_parts(c)?;
        let comment = index_options(c)?;
        table.indexes.retain(|i| i.kind != IndexKind::Primary);
        table.indexes.push(Index {
            name: "PRIMARY".into(),
            kind: IndexKind::Primary,
            parts,
            comment,
        });
        return Ok(());
    }
    if c.eat_kw("FOREIGN") {
        c.expect_kw("KEY")?;
        let index_name = opt_index_name(c)?;
        let columns = ident_list(c)?;
        c.expect_kw("REFERENCES")?;
        let ref_table = c.object_name()?;
        let ref_columns = ident_list(c)?;
        let (mut on_delete, mut on_update) = (FkAction::Restrict, FkAction::Restrict);
        loop {
            if c.eat_kws(&["ON", "DELETE"]) {
                on_delete = fk_action(c)?;
            } else if c.eat_kws(&["ON", "UPDATE"]) {
                on_update = fk_action(c)?;
            } else if c.eat_kw("MATCH") {
                c.next();
            } else {
                break;
            }
        }
        let name = match constraint_name.or(index_name) {
            Some(n) => n,
            None => generated_fk_name(table, in_alter),
        };
        table
            .foreign_keys
            .retain(|f| !f.name.eq_ignore_ascii_case(&name));
        table.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        });
        return Ok(());
    }
    if c.eat_kw("CHECK") {
        let expr = c.paren_text()?;
        // MariaDB numbers the unnamed table-level checks: CONSTRAINT_1, CONSTRAINT_2...
        let name = constraint_name.unwrap_or_else(|| generated_check_name(table));
        table.checks.push(Check { name, expr });
        // MySQL 8 prints `/*!80016 NOT ENFORCED */`
        c.eat_kws(&["NOT", "ENFORCED"]);
        c.eat_kw("ENFORCED");
        return Ok(());
    }
    let kind = if c.eat_kw("UNIQUE") {
        IndexKind::Unique
    } else if c.eat_kw("FULLTEXT") {
        IndexKind::Fulltext
    } else if c.eat_kw("SPATIAL") {
        IndexKind::Spatial
    } else {
        IndexKind::Plain
    };
    let _ = c.eat_kw("KEY") || c.eat_kw("INDEX");
    let name = opt_index_name(c)?.or(constraint_name);
    if c.eat_kw("USING") {
        c.next();
    }
    let parts = index_parts(c)?;
    let comment = index_options(c)?;
    let name = match name {
        Some(n) => n,
        None => unique_index_name(table, &parts[0].column),
    };
    table.put_index(Index {
        name,
        kind,
        parts,
        comment,
    });
    Ok(())
}

/// InnoDB names an unnamed foreign key `<table>_ibfk_<n>`: in CREATE TABLE n counts the
/// unnamed foreign keys so far, which is the smallest n whose name is still free (`w_ibfk_1`
/// beside a key named `w_ibfk_5` or `fa`; a user's name that takes a later unnamed key's is
/// refused by the server); in ALTER TABLE it follows the highest n the table has (`u_ibfk_6`
/// after `u_ibfk_5`). Checked by tests/alter_ops.rs.
pub(crate) fn generated_fk_name(table: &Table, in_alter: bool) -> String {
    let prefix = format!("{}_ibfk_", table.name);
    let numbers = table.foreign_keys.iter().filter_map(|f| {
        let tail = f.name.get(prefix.len()..)?;
        f.name[..prefix.len()]
            .eq_ignore_ascii_case(&prefix)
            .then(|| tail.parse::<u32>().ok())?
    });
    let n = if in_alter {
        numbers.max().unwrap_or(0) + 1
    } else {
        let taken: std::collections::BTreeSet<u32> = numbers.collect();
        (1..).find(|k| !taken.contains(k)).unwrap_or(1)
    };
    format!("{}_ibfk_{n}", table.name)
}

/// MariaDB numbers the unnamed table-level checks: CONSTRAINT_1, CONSTRAINT_2...
pub(crate) fn generated_check_name(table: &Table) -> String {
    let mut n = 1 + table
        .checks
        .iter()
        .filter(|k| k.has_generated_name(&table.name))
        .count();
    while table
        .checks
        .iter()
        .any(|k| k.name == format!("CONSTRAINT_{n}"))
    {
        n += 1;
    }
    format!("CONSTRAINT_{n}")
}

pub(crate) fn ident_list(c: &mut Cursor) -> PResult<Vec<String>> {
    c.expect(&Token::LParen)?;
    let mut v = vec![c.ident()?];
    while c.eat(&Token::Comma) {
        v.push(c.ident()?);
    }
    c.expect(&Token::RParen)?;
    Ok(v)
}

pub(crate) fn fk_action(c: &mut Cursor) -> PResult<FkAction> {
    if c.eat_kw("RESTRICT") || c.eat_kws(&["NO", "ACTION"]) {
        Ok(FkAction::Restrict)
    } else if c.eat_kw("CASCADE") {
        Ok(FkAction::Cascade)
    } else if c.eat_kws(&["SET", "NULL"]) {
        Ok(FkAction::SetNull)
    } else if c.eat_kws(&["SET", "DEFAULT"]) {
        Ok(FkAction::SetDefault)
    } else {
        Err(format!("unknown foreign key action {}", describe(c.peek())))
    }
}

pub(crate) fn table_options(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    loop {
        c.eat(&Token::Comma);
        if c.at_end() {
            return Ok(());
        }
        if c.eat_kw("ENGINE") || c.eat_kw("TYPE") {
            c.opt_eq();
            table.options.engine = Some(c.ident()?);
        } else if c.eat_kws(&["DEFAULT", "CHARACTER", "SET"])
            || c.eat_kws(&["DEFAULT", "CHARSET"])
            || c.eat_kws(&["CHARACTER", "SET"])
            || c.eat_kw("CHARSET")
        {
            c.opt_eq();
            table.options.charset = Some(c.ident_or_string()?);
        } else if c.eat_kws(&["DEFAULT", "COLLATE"]) || c.eat_kw("COLLATE") {
            c.opt_eq();
            table.options.collation = Some(c.ident_or_string()?);
        } else if c.eat_kw("ROW_FORMAT") {
            c.opt_eq();
            table.options.row_format = Some(c.ident()?.to_ascii_uppercase());
        } else if c.eat_kw("COMMENT") {
            c.opt_eq();
            table.options.comment = c.string()?;
        } else if c.is_kw("PARTITION") {
            // Partitioning is outside what Mautic uses; the table is still compared.
            return Ok(());
        } else {
            // AUTO_INCREMENT=n, AVG_ROW_LENGTH, STATS_*, PAGE_CHECKSUM, KEY_BLOCK_SIZE...: not
            // part of the logical schema.
            match c.next() {
                Token::Word(_) => {
                    c.opt_eq();
                    c.next();
                }
                t => return Err(format!("unexpected table option {}", describe(&t))),
            }
        }
    }
}

/// Server-side consequences of a definition that do not depend on the server flavour.
pub(crate) fn finish_table(table: &mut Table) {
    if let Some(pk) = table.primary_key().cloned() {
        for p in &pk.parts {
            if let Some(col) = table.column_mut(&p.column) {
                col.nullable = false;
            }
        }
    }
}
