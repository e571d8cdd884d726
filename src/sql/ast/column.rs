//! A column definition of the AST → a column of the model (plus the indexes an inline
//! `PRIMARY KEY` / `UNIQUE` declares).

use sqlparser::ast::{
    ColumnDef, ColumnOption, Expr, GeneratedExpressionMode, Ident, ObjectName, UnaryOperator, Value,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::source::ColumnSource;
use crate::schema::{Column, DefaultValue, Generated, Index, IndexKind, IndexPart, Table};
use crate::sql::hand::{PResult, tokens_sql, unique_index_name};

pub(super) fn column(def: &ColumnDef, src: ColumnSource, table: &mut Table) -> PResult<Column> {
    column_of(&def.name, def.options.iter().map(|o| &o.option), src, table)
}

/// A column from its name and options (ALTER's MODIFY and CHANGE hold no `ColumnDef`).
pub(super) fn column_of<'a>(
    col_name: &Ident,
    options: impl Iterator<Item = &'a ColumnOption>,
    src: ColumnSource,
    table: &mut Table,
) -> PResult<Column> {
    let (ty, charset, collation) = src.ty.clone();
    let mut col = Column::new(col_name.value.clone(), ty);
    col.charset = charset;
    col.collation = collation;
    let mut explicit_null = None;
    let missing = |what: &str| format!("column {col_name}: {what} not found in the source");
    for opt in options {
        match opt {
            ColumnOption::Null => explicit_null = Some(true),
            ColumnOption::NotNull => explicit_null = Some(false),
            ColumnOption::Default(e) => {
                let toks = src.default.as_deref().ok_or_else(|| missing("DEFAULT"))?;
                col.default = Some(default_value(e, toks));
            }
            ColumnOption::OnUpdate(_) => {
                col.on_update = Some(src.on_update.clone().ok_or_else(|| missing("ON UPDATE"))?);
            }
            ColumnOption::Generated {
                generation_expr_mode,
                ..
            } => {
                let expr = src.generated.clone().ok_or_else(|| missing("AS (...)"))?;
                let stored = matches!(generation_expr_mode, Some(GeneratedExpressionMode::Stored));
                col.generated = Some(Generated { expr, stored });
            }
            ColumnOption::Check(_) => {
                col.check = Some(src.check.clone().ok_or_else(|| missing("CHECK"))?);
            }
            ColumnOption::Comment(c) => col.comment = c.clone(),
            ColumnOption::CharacterSet(n) => col.charset = Some(name(n)),
            ColumnOption::Collation(n) => col.collation = Some(name(n)),
            ColumnOption::DialectSpecific(toks) if is_auto_increment(toks) => {
                col.auto_increment = true;
            }
            ColumnOption::PrimaryKey(_) => {
                push_inline(table, "PRIMARY".into(), IndexKind::Primary, &col.name)
            }
            ColumnOption::Unique(_) => {
                let name = unique_index_name(table, &col.name);
                push_inline(table, name, IndexKind::Unique, &col.name);
            }
            // Inline REFERENCES is parsed but ignored by MySQL/MariaDB InnoDB; do the same.
            ColumnOption::ForeignKey(_) | ColumnOption::Invisible => {}
            other => return Err(format!("column {col_name}: option {other} is not read")),
        }
    }
    // Without NULL/NOT NULL a column is nullable, unless the primary key makes it not.
    col.nullable = explicit_null.unwrap_or(true);
    Ok(col)
}

fn push_inline(table: &mut Table, name: String, kind: IndexKind, column: &str) {
    table.indexes.push(Index {
        name,
        kind,
        parts: vec![IndexPart::new(column.to_string())],
        comment: String::new(),
    });
}

fn is_auto_increment(toks: &[Token]) -> bool {
    matches!(toks, [Token::Word(w)] if w.keyword == Keyword::AUTO_INCREMENT)
}

/// A charset or collation name, quoted or not (`COLLATE 'utf8mb4_bin'`).
fn name(n: &ObjectName) -> String {
    n.0.last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.clone())
        .unwrap_or_else(|| n.to_string())
}

/// The literal kind comes from the AST; any other default keeps its text as written.
pub(super) fn default_value(e: &Expr, toks: &[Token]) -> DefaultValue {
    let literal = |v: &Value| match v {
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) | Value::Number(s, _) => {
            Some(s.clone())
        }
        Value::Boolean(b) => Some(if *b { "1" } else { "0" }.into()),
        _ => None,
    };
    let kept = match e {
        Expr::Value(v) if v.value == Value::Null => return DefaultValue::Null,
        Expr::Value(v) => literal(&v.value),
        Expr::Prefixed { prefix, value } if prefix.value.starts_with('_') => match value.as_ref() {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        Expr::UnaryOp { op, expr } => match (op, expr.as_ref()) {
            (UnaryOperator::Minus, Expr::Value(v)) => match &v.value {
                Value::Number(n, _) => Some(format!("-{n}")),
                _ => None,
            },
            (UnaryOperator::Plus, Expr::Value(v)) => match &v.value {
                Value::Number(n, _) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    match kept {
        Some(s) => DefaultValue::Literal(s),
        None => DefaultValue::Expression(tokens_sql(toks)),
    }
}
