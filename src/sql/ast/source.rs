//! The one place where the AST path reads the statement's tokens itself.
//!
//! sqlparser keeps *that* a column has a DEFAULT, ON UPDATE, generated expression or CHECK,
//! but not the expression's text: `Display` re-renders it (`cast(a as char)` becomes
//! `CAST(a AS CHAR)`, `_utf8mb4'x'` becomes `_utf8mb4 'x'`) and expression spans cover only
//! part of it (`-1` spans `1`, `CAST(a AS ..)` spans `a`); `tests/ast_gaps.rs` shows both. The
//! model compares expression text with what the server stores, so the text is taken from the
//! tokens, rendered exactly as before. The AST also splits a body into columns and constraints,
//! losing their interleaving, which decides the order of indexes and generated names.

use sqlparser::tokenizer::Token;

use crate::schema::ColumnType;
use crate::sql::hand::{Cursor, PResult, data_type, starts_constraint, tokens_sql};

/// A data type with the charset and collation it implies (`NATIONAL CHAR`, `BINARY`).
pub(super) type TypeSource = (ColumnType, Option<String>, Option<String>);

/// Data type and expression tokens of one column definition.
#[derive(Debug)]
pub(super) struct ColumnSource {
    pub ty: TypeSource,
    pub default: Option<Vec<Token>>,
    pub on_update: Option<String>,
    pub generated: Option<String>,
    pub check: Option<String>,
}

/// One item of a CREATE TABLE body, in source order.
#[derive(Debug)]
pub(super) enum Item {
    Column(ColumnSource),
    /// A table constraint, with the text of its CHECK expression when it is one.
    Constraint(Option<String>),
}

/// The items of the body of `CREATE TABLE name (...)` read from the statement's tokens.
pub(super) fn body_items(toks: Vec<Token>) -> PResult<Vec<Item>> {
    let mut c = Cursor { toks, pos: 0 };
    while !c.at_end() && c.peek() != &Token::LParen {
        c.next();
    }
    c.expect(&Token::LParen)?;
    let mut items = Vec::new();
    loop {
        items.push(if starts_constraint(&c) {
            Item::Constraint(constraint_check(&mut c)?)
        } else {
            c.next(); // the column name
            Item::Column(column_source(&mut c)?)
        });
        if !c.eat(&Token::Comma) {
            c.expect(&Token::RParen)?;
            return Ok(items);
        }
    }
}

fn at_item_end(c: &Cursor) -> bool {
    matches!(c.peek(), Token::Comma | Token::RParen | Token::EOF)
}

/// Skip one token, or a whole parenthesized group.
fn skip(c: &mut Cursor) -> PResult<()> {
    if c.peek() == &Token::LParen {
        c.paren_text()?;
    } else {
        c.next();
    }
    Ok(())
}

fn column_source(c: &mut Cursor) -> PResult<ColumnSource> {
    // The model's type is read by the grammar that also reads information_schema's
    // COLUMN_TYPE; reading it here from the tokens at hand costs less than printing the AST's
    // DataType and tokenizing that again (which `tests/ast_gaps.rs` shows would keep it too).
    let mut src = ColumnSource {
        ty: data_type(c)?,
        default: None,
        on_update: None,
        generated: None,
        check: None,
    };
    while !at_item_end(c) {
        if c.eat_kw("DEFAULT") {
            src.default = Some(c.unit()?);
        } else if c.eat_kws(&["ON", "UPDATE"]) {
            src.on_update = Some(tokens_sql(&c.unit()?));
        } else if c.eat_kw("AS") {
            src.generated = Some(c.paren_text()?);
        } else if c.eat_kw("CHECK") {
            src.check = Some(c.paren_text()?);
        } else if c.eat_kw("REFERENCES") {
            // inline REFERENCES ... ON UPDATE x is a foreign key action, not a column's
            while !at_item_end(c) {
                skip(c)?;
            }
        } else {
            skip(c)?;
        }
    }
    Ok(src)
}

fn constraint_check(c: &mut Cursor) -> PResult<Option<String>> {
    let mut check = None;
    while !at_item_end(c) {
        if c.eat_kw("CHECK") {
            check = Some(c.paren_text()?);
        } else {
            skip(c)?;
        }
    }
    Ok(check)
}

/// What `ast::alter` needs from the source of one ALTER TABLE operation.
#[derive(Debug)]
pub(super) enum OpSource {
    /// ADD, MODIFY or CHANGE of a column.
    Column(ColumnSource),
    /// ADD of a constraint, with the text of its CHECK expression when it is one.
    Constraint(Option<String>),
    /// The tokens of `ALTER [COLUMN] c SET DEFAULT <value>`.
    Default(Vec<Token>),
    /// `RENAME COLUMN`, which the AST does not tell from the `RENAME a TO b` the server refuses.
    RenameColumn,
    Other,
}

/// The operations of `ALTER TABLE name op, op...` read from the statement's tokens, one per
/// operation of the AST.
pub(super) fn alter_ops(toks: Vec<Token>) -> PResult<Vec<OpSource>> {
    let mut c = Cursor { toks, pos: 0 };
    c.expect_kw("ALTER")?;
    c.expect_kw("TABLE")?;
    c.object_name()?;
    let mut ops = Vec::new();
    loop {
        ops.push(if c.eat_kw("ADD") {
            if starts_constraint(&c) {
                OpSource::Constraint(constraint_check(&mut c)?)
            } else {
                c.eat_kw("COLUMN");
                c.eat_kws(&["IF", "NOT", "EXISTS"]);
                c.next(); // the column name
                OpSource::Column(column_source(&mut c)?)
            }
        } else if c.eat_kw("MODIFY") {
            c.eat_kw("COLUMN");
            c.next();
            OpSource::Column(column_source(&mut c)?)
        } else if c.eat_kw("CHANGE") {
            c.eat_kw("COLUMN");
            c.next();
            c.next();
            OpSource::Column(column_source(&mut c)?)
        } else if c.eat_kws(&["RENAME", "COLUMN"]) {
            OpSource::RenameColumn
        } else if c.eat_kw("ALTER") {
            c.eat_kw("COLUMN");
            c.next();
            if c.eat_kws(&["SET", "DEFAULT"]) {
                OpSource::Default(c.unit()?)
            } else {
                OpSource::Other
            }
        } else {
            OpSource::Other
        });
        while !at_item_end(&c) {
            skip(&mut c)?;
        }
        if !c.eat(&Token::Comma) {
            while c.eat(&Token::SemiColon) {}
            return match c.at_end() {
                true => Ok(ops),
                false => Err(format!("unexpected {} in ALTER TABLE", c.peek())),
            };
        }
    }
}
