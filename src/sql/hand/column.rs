//! Column definitions and data types read from tokens.

use sqlparser::tokenizer::Token;

use super::cursor::*;
use super::table::*;
use crate::schema::{
    Column, ColumnType, DefaultValue, Generated, Index, IndexKind, IndexPart, Table,
};

pub(crate) fn column_definition(c: &mut Cursor, table: &mut Table) -> PResult<Column> {
    let name = c.ident()?;
    let ty = data_type(c)?;
    let mut col = Column::new(name, ty.0);
    col.charset = ty.1;
    col.collation = ty.2;
    let mut explicit_null: Option<bool> = None;
    loop {
        if matches!(c.peek(), Token::Comma | Token::RParen | Token::EOF)
            || c.is_kw("FIRST")
            || c.is_kw("AFTER")
        {
            break;
        }
        if c.eat_kws(&["NOT", "NULL"]) {
            explicit_null = Some(false);
        } else if c.eat_kw("NULL") {
            explicit_null = Some(true);
        } else if c.eat_kw("DEFAULT") {
            col.default = Some(default_value(&c.unit()?));
        } else if c.eat_kw("AUTO_INCREMENT") {
            col.auto_increment = true;
        } else if c.eat_kw("UNIQUE") {
            c.eat_kw("KEY");
            let name = unique_index_name(table, &col.name);
            table.indexes.push(Index {
                name,
                kind: IndexKind::Unique,
                parts: vec![IndexPart::new(col.name.clone())],
                comment: String::new(),
            });
        } else if c.eat_kws(&["PRIMARY", "KEY"]) || c.eat_kw("KEY") {
            table.indexes.push(Index {
                name: "PRIMARY".into(),
                kind: IndexKind::Primary,
                parts: vec![IndexPart::new(col.name.clone())],
                comment: String::new(),
            });
        } else if c.eat_kw("COMMENT") {
            col.comment = c.string()?;
        } else if c.eat_kw("COLLATE") {
            c.opt_eq();
            col.collation = Some(c.ident_or_string()?);
        } else if c.eat_kws(&["CHARACTER", "SET"]) || c.eat_kw("CHARSET") {
            c.opt_eq();
            col.charset = Some(c.ident_or_string()?);
        } else if c.eat_kws(&["ON", "UPDATE"]) {
            col.on_update = Some(tokens_sql(&c.unit()?));
        } else if c.eat_kws(&["GENERATED", "ALWAYS"]) {
            c.expect_kw("AS")?;
            col.generated = Some(generated(c)?);
        } else if c.eat_kw("AS") {
            col.generated = Some(generated(c)?);
        } else if c.eat_kw("VIRTUAL") || c.eat_kw("STORED") || c.eat_kw("PERSISTENT") {
            // stand-alone keyword after AS (...) is consumed by `generated`
        } else if c.eat_kw("INVISIBLE") || c.eat_kw("VISIBLE") {
        } else if c.eat_kw("CHECK") {
            col.check = Some(c.paren_text()?);
        } else if c.eat_kw("COLUMN_FORMAT") || c.eat_kw("STORAGE") || c.eat_kw("SRID") {
            c.next();
        } else if c.eat_kw("REFERENCES") {
            // Inline REFERENCES is parsed but ignored by MySQL/MariaDB InnoDB; do the same.
            c.object_name()?;
            if c.peek() == &Token::LParen {
                c.paren_text()?;
            }
            while c.eat_kw("ON") {
                c.next();
                fk_action(c)?;
            }
        } else {
            return Err(format!(
                "column {}: unexpected {}",
                col.name,
                describe(c.peek())
            ));
        }
    }
    // A column without NULL/NOT NULL is nullable, except when the primary key makes it not
    // (see finish_table).
    col.nullable = explicit_null.unwrap_or(true);
    Ok(col)
}

pub(crate) fn generated(c: &mut Cursor) -> PResult<Generated> {
    let expr = c.paren_text()?;
    let stored = if c.eat_kw("STORED") || c.eat_kw("PERSISTENT") {
        true
    } else {
        c.eat_kw("VIRTUAL");
        false
    };
    Ok(Generated { expr, stored })
}

pub(crate) fn default_value(toks: &[Token]) -> DefaultValue {
    match toks {
        [t] if is_kw(t, "NULL") => DefaultValue::Null,
        [Token::SingleQuotedString(s) | Token::DoubleQuotedString(s)] => {
            DefaultValue::Literal(s.clone())
        }
        [Token::Number(n, _)] => DefaultValue::Literal(n.clone()),
        [Token::Minus, Token::Number(n, _)] => DefaultValue::Literal(format!("-{n}")),
        [Token::Plus, Token::Number(n, _)] => DefaultValue::Literal(n.clone()),
        [t] if is_kw(t, "TRUE") => DefaultValue::Literal("1".into()),
        [t] if is_kw(t, "FALSE") => DefaultValue::Literal("0".into()),
        // introducer: _utf8mb4'x'
        [Token::Word(w), Token::SingleQuotedString(s)] if w.value.starts_with('_') => {
            DefaultValue::Literal(s.clone())
        }
        other => DefaultValue::Expression(tokens_sql(other)),
    }
}

/// `(type)[(args)] [UNSIGNED] [ZEROFILL] [CHARACTER SET x] [COLLATE y]`, returning the type
/// and any charset/collation given with it.
pub(crate) fn data_type(c: &mut Cursor) -> PResult<(ColumnType, Option<String>, Option<String>)> {
    let first = match c.next() {
        Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
        t => return Err(format!("expected a data type, found {}", describe(&t))),
    };
    let mut name = first.clone();
    let mut charset = None;
    let mut collation = None;
    match first.as_str() {
        "double" => {
            c.eat_kw("PRECISION");
        }
        "character" | "char" if c.eat_kw("VARYING") => name = "varchar".into(),
        "national" => {
            name = match c.next() {
                Token::Word(w) => match w.value.to_ascii_lowercase().as_str() {
                    "varchar" => "varchar".into(),
                    _ if c.eat_kw("VARYING") => "varchar".into(),
                    _ => "char".into(),
                },
                t => return Err(format!("bad NATIONAL type {}", describe(&t))),
            };
            charset = Some("utf8mb3".into());
        }
        "nchar" | "nvarchar" => {
            name = if first == "nchar" && !c.eat_kw("VARYING") {
                "char".into()
            } else {
                "varchar".into()
            };
            charset = Some("utf8mb3".into());
        }
        "long" => {
            name = if c.eat_kw("VARBINARY") {
                "mediumblob".into()
            } else {
                c.eat_kw("VARCHAR");
                "mediumtext".into()
            };
        }
        _ => {}
    }
    let mut ty = ColumnType::named(&name);
    if c.eat(&Token::LParen) {
        let mut args: Vec<Token> = Vec::new();
        loop {
            match c.next() {
                Token::RParen => break,
                Token::Comma => {}
                Token::EOF => return Err("unterminated type arguments".into()),
                t => args.push(t),
            }
        }
        if matches!(name.as_str(), "enum" | "set") {
            for a in args {
                match a {
                    Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
                        ty.values.push(s)
                    }
                    t => return Err(format!("bad {name} member {}", describe(&t))),
                }
            }
        } else {
            let mut nums = args.iter().map(|a| match a {
                Token::Number(n, _) => n.parse::<u32>().map_err(|_| format!("bad length {n}")),
                t => Err(format!("bad type argument {}", describe(t))),
            });
            ty.length = nums.next().transpose()?;
            ty.scale = nums.next().transpose()?;
        }
    }
    loop {
        if c.eat_kw("UNSIGNED") {
            ty.unsigned = true;
        } else if c.eat_kw("SIGNED") {
        } else if c.eat_kw("ZEROFILL") {
            ty.zerofill = true;
            ty.unsigned = true;
        } else if c.eat_kws(&["CHARACTER", "SET"]) || c.eat_kw("CHARSET") {
            c.opt_eq();
            charset = Some(c.ident_or_string()?);
        } else if c.eat_kw("COLLATE") {
            c.opt_eq();
            collation = Some(c.ident_or_string()?);
        } else if c.eat_kw("BINARY") {
            // `VARCHAR(10) BINARY` means the _bin collation of the column charset.
            collation.get_or_insert_with(|| "*_bin".into());
        } else if c.eat_kw("ASCII") {
            charset = Some("latin1".into());
        } else if c.eat_kw("UNICODE") {
            charset = Some("ucs2".into());
        } else {
            break;
        }
    }
    Ok((ty, charset, collation))
}

/// Parse a column type as information_schema.COLUMNS.COLUMN_TYPE writes it
/// (`int(10) unsigned`, `enum('a','b')`).
pub fn parse_column_type(text: &str) -> Result<ColumnType, String> {
    let mut c = Cursor::new(text)?;
    let (ty, _, _) = data_type(&mut c)?;
    if !c.at_end() {
        return Err(format!(
            "unexpected {} in column type '{text}'",
            describe(c.peek())
        ));
    }
    Ok(ty)
}
