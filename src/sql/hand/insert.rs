//! INSERT rows read from tokens.

use std::collections::BTreeMap;

use sqlparser::tokenizer::Token;

use super::cursor::*;
use super::table::*;
use crate::schema::Schema;
use crate::sql::rows::{RowValue, TableRows};
use crate::sql::split::Statement;

/// Table name of an INSERT without tokenizing the (possibly huge) statement.
pub(crate) fn insert_target(text: &str) -> Option<String> {
    let mut rest = text;
    for kw in [
        "INSERT",
        "REPLACE",
        "LOW_PRIORITY",
        "DELAYED",
        "HIGH_PRIORITY",
        "IGNORE",
        "INTO",
    ] {
        let t = rest.trim_start();
        // `get` and not slicing: the text after a keyword may be any UTF-8 (`INSERT INTO \`éé\``).
        if t.get(..kw.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(kw))
        {
            rest = &t[kw.len()..];
        }
    }
    let t = rest.trim_start();
    let name_end = |s: &str| {
        s.find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(s.len())
    };
    let raw = &t[..name_end(t)];
    let last = raw.rsplit('.').next()?;
    Some(last.trim_matches(['`', '"']).to_string())
}

pub(crate) fn insert_rows(
    st: &Statement<'_>,
    want_rows: &dyn Fn(&str) -> bool,
    schema: &Schema,
    rows: &mut BTreeMap<String, TableRows>,
) -> PResult<()> {
    let Some(table) = insert_target(st.text) else {
        return Ok(());
    };
    if !want_rows(&table) {
        return Ok(());
    }
    let mut c = Cursor::new(st.text)?;
    while !c.is_kw("INTO") && !c.at_end() {
        c.next();
    }
    c.expect_kw("INTO")?;
    c.object_name()?;
    let columns = if c.peek() == &Token::LParen {
        ident_list(&mut c)?
    } else {
        schema
            .table(&table)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
            .ok_or_else(|| {
                format!("INSERT INTO {table} without a column list before its CREATE TABLE")
            })?
    };
    if !(c.eat_kw("VALUES") || c.eat_kw("VALUE")) {
        return Err(format!("INSERT INTO {table}: only VALUES lists are read"));
    }
    let entry = rows.entry(table.clone()).or_insert_with(|| TableRows {
        columns: columns.clone(),
        rows: Vec::new(),
    });
    if entry.columns != columns {
        return Err(format!(
            "INSERT INTO {table}: column lists differ between statements"
        ));
    }
    loop {
        c.expect(&Token::LParen)?;
        let mut row = Vec::with_capacity(columns.len());
        loop {
            row.push(row_value(&mut c)?);
            if !c.eat(&Token::Comma) {
                break;
            }
        }
        c.expect(&Token::RParen)?;
        if row.len() != columns.len() {
            return Err(format!(
                "INSERT INTO {table}: a row has {} values for {} columns",
                row.len(),
                columns.len()
            ));
        }
        entry.rows.push(row);
        if !c.eat(&Token::Comma) {
            break;
        }
    }
    Ok(())
}

pub(crate) fn row_value(c: &mut Cursor) -> PResult<RowValue> {
    Ok(match c.unit()?.as_slice() {
        [t] if is_kw(t, "NULL") => RowValue::Null,
        [Token::SingleQuotedString(s) | Token::DoubleQuotedString(s)] => RowValue::Text(s.clone()),
        [Token::Word(w), Token::SingleQuotedString(s)] if w.value.starts_with('_') => {
            RowValue::Text(s.clone())
        }
        [Token::Number(n, _)] => RowValue::Number(n.clone()),
        [Token::Minus, Token::Number(n, _)] => RowValue::Number(format!("-{n}")),
        other => RowValue::Other(tokens_sql(other)),
    })
}
