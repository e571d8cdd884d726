//! CREATE TABLE, ALTER TABLE, CREATE INDEX and DROP TABLE read through sqlparser's MySQL AST.
//!
//! Each reader returns `false` when sqlparser rejects the statement or the AST holds a shape
//! the model does not map (for example a functional index part): the caller then reads the
//! statement with the hand grammar (`super::hand`), which either understands the MariaDB-only
//! syntax or marks the table `unsupported` with its reason. `tests/ast_gaps.rs` lists what the
//! AST rejects and what it keeps.

mod alter;
mod column;
mod constraint;
mod source;
mod table;

use sqlparser::ast::{ObjectName, ObjectType, Statement as Ast};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::schema::{Index, IndexKind, Schema};
pub(crate) use alter::alter_table;
pub(crate) use table::create_table;

/// The statement's AST and its significant tokens (one tokenization serves both).
fn parse(text: &str) -> Option<(Ast, Vec<Token>)> {
    parse_keeping(text, true)
}

/// `keep_tokens: false` leaves the tokens out (empty): most ALTER TABLE statements do not need
/// them.
fn parse_keeping(text: &str, keep_tokens: bool) -> Option<(Ast, Vec<Token>)> {
    let dialect = MySqlDialect {};
    // About one token per 3 bytes of DDL: reserving up front saves the regrowths that
    // callgrind showed costing more than the parser's own allocations.
    let mut with_spans = Vec::with_capacity(text.len() / 3);
    Tokenizer::new(&dialect, text)
        .tokenize_with_location_into_buf(&mut with_spans)
        .ok()?;
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(with_spans);
    let ast = parser.parse_statement().ok()?;
    while parser.consume_token(&Token::SemiColon) {}
    if parser.peek_token().token != Token::EOF {
        return None;
    }
    // The parser's own tokens, moved rather than cloned (callgrind: cloning them cost 213 M
    // instructions over the references, 6% of the parse).
    let toks = match keep_tokens {
        true => parser
            .into_tokens()
            .into_iter()
            .map(|t| t.token)
            .filter(|t| !matches!(t, Token::Whitespace(_) | Token::EOF))
            .collect(),
        false => Vec::new(),
    };
    Some((ast, toks))
}

/// Last part of a possibly qualified name (`db`.`t`): only that matters inside one schema.
fn last_name(name: &ObjectName) -> Option<String> {
    Some(name.0.last()?.as_ident()?.value.clone())
}

/// `CREATE [UNIQUE] INDEX`. `false`: not read here (FULLTEXT/SPATIAL, which the MySQL dialect
/// rejects, or a table not defined before, which the hand reader reports).
pub(crate) fn create_index(text: &str, schema: &mut Schema) -> bool {
    let Some((Ast::CreateIndex(ci), _)) = parse(text) else {
        return false;
    };
    let (Some(name), Some(table_name)) = (
        ci.name.as_ref().and_then(last_name),
        last_name(&ci.table_name),
    ) else {
        return false;
    };
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return false;
    };
    let Ok(parts) = constraint::index_parts(&ci.columns) else {
        return false;
    };
    let kind = if ci.unique {
        IndexKind::Unique
    } else {
        IndexKind::Plain
    };
    table
        .indexes
        .retain(|i| !i.name.eq_ignore_ascii_case(&name));
    table.indexes.push(Index {
        name,
        kind,
        parts,
        comment: constraint::index_comment(&ci.index_options),
    });
    true
}

/// `DROP [TEMPORARY] TABLE [IF EXISTS] a, b`.
pub(crate) fn drop_table(text: &str, schema: &mut Schema) -> bool {
    let Some((
        Ast::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        },
        _,
    )) = parse(text)
    else {
        return false;
    };
    for name in names.iter().filter_map(last_name) {
        schema.tables.remove(&name);
    }
    true
}
