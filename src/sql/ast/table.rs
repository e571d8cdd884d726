//! `CREATE TABLE` of the AST → a table of the model, with its table options.

use sqlparser::ast::{
    CommentDef, CreateTable, CreateTableOptions, Expr, SqlOption, Statement as Ast, Value,
};

use super::source::{Item, body_items};
use super::{column, constraint, last_name, parse};
use crate::schema::{Schema, Table};
use crate::sql::hand::{PResult, finish_table};

/// `CREATE TABLE`. `false`: not read here (see the module documentation).
pub(crate) fn create_table(text: &str, schema: &mut Schema) -> bool {
    let Some((Ast::CreateTable(ct), toks)) = parse(text) else {
        return false;
    };
    if ct.like.is_some() || ct.clone.is_some() || ct.query.is_some() {
        return false;
    }
    match table(&ct, toks) {
        Ok(t) => {
            schema.insert(t);
            true
        }
        Err(_) => false,
    }
}

fn table(ct: &CreateTable, toks: Vec<sqlparser::tokenizer::Token>) -> PResult<Table> {
    let mut table = Table::new(last_name(&ct.name).ok_or("bad table name")?);
    let (mut columns, mut constraints) = (ct.columns.iter(), ct.constraints.iter());
    // Source order decides the order of indexes and the names generated for unnamed ones.
    for item in body_items(toks)? {
        match item {
            Item::Column(src) => {
                let def = columns
                    .next()
                    .ok_or("more columns in the source than in the AST")?;
                let col = column::column(def, src, &mut table)?;
                table.columns.push(col);
            }
            Item::Constraint(check) => {
                let tc = constraints
                    .next()
                    .ok_or("more constraints in the source than in the AST")?;
                constraint::apply(tc, check, &mut table, false)?;
            }
        }
    }
    if columns.next().is_some() || constraints.next().is_some() {
        return Err("the AST holds items the source scan did not see".into());
    }
    options(&ct.table_options, &mut table)?;
    finish_table(&mut table);
    Ok(table)
}

fn options(opts: &CreateTableOptions, table: &mut Table) -> PResult<()> {
    let list = match opts {
        CreateTableOptions::None => return Ok(()),
        CreateTableOptions::Plain(l)
        | CreateTableOptions::With(l)
        | CreateTableOptions::Options(l) => l,
        other => return Err(format!("table options {other} are not read")),
    };
    for opt in list {
        match opt {
            SqlOption::NamedParenthesizedList(l) if l.key.value.eq_ignore_ascii_case("ENGINE") => {
                table.options.engine = l.name.as_ref().map(|n| n.value.clone());
            }
            SqlOption::KeyValue { key, value } => {
                let key = key.to_string().to_ascii_uppercase();
                let value = || option_value(value);
                match key.as_str() {
                    "DEFAULT CHARSET" | "DEFAULT CHARACTER SET" | "CHARSET" | "CHARACTER SET" => {
                        table.options.charset = Some(value()?);
                    }
                    "DEFAULT COLLATE" | "COLLATE" => table.options.collation = Some(value()?),
                    "ROW_FORMAT" => table.options.row_format = Some(value()?.to_ascii_uppercase()),
                    // AUTO_INCREMENT=n, AVG_ROW_LENGTH, STATS_*, KEY_BLOCK_SIZE...: not part of
                    // the logical schema.
                    _ => {}
                }
            }
            SqlOption::Comment(CommentDef::WithEq(c) | CommentDef::WithoutEq(c)) => {
                table.options.comment = c.clone();
            }
            _ => {}
        }
    }
    Ok(())
}

fn option_value(e: &Expr) -> PResult<String> {
    match e {
        Expr::Identifier(id) => Ok(id.value.clone()),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) | Value::Number(s, _) => {
                Ok(s.clone())
            }
            other => Err(format!("table option value {other} is not read")),
        },
        other => Err(format!("table option value {other} is not read")),
    }
}
