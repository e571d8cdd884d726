//! DDL text → schema model. Statements come from `split`, tokens from sqlparser's MySQL
//! tokenizer, and the grammar (CREATE TABLE, ALTER TABLE, CREATE INDEX, DROP TABLE) is read
//! here directly into the model, because sqlparser's AST drops details we compare (prefix
//! lengths, literal quoting, table options).
//!
//! Statements are applied in order the way a server would, so a Doctrine file (`CREATE TABLE`
//! then `ALTER TABLE ... ADD CONSTRAINT`) and a dump (`DROP TABLE IF EXISTS` then `CREATE
//! TABLE`) both yield the final schema. A table whose definition is not understood is kept and
//! marked `unsupported`, never silently half-read.

use std::collections::BTreeMap;

use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::rows::{RowValue, TableRows};
use super::split::{Statement, split_statements};
use crate::schema::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Generated, Index, IndexKind,
    IndexPart, Schema, Table, quote_ident, quote_string,
};

/// What a SQL file held.
#[derive(Debug, Default)]
pub struct ParseOutcome {
    pub schema: Schema,
    /// Rows of the tables the caller asked for (for example `lead_fields`, `migrations`).
    pub rows: BTreeMap<String, TableRows>,
    /// Statements that were skipped on purpose but deserve a mention.
    pub warnings: Vec<String>,
    /// Number of CREATE TABLE statements seen, to tell an empty file from a non-schema file.
    pub create_tables: usize,
    /// `-- Server version` line of a mysqldump/mariadb-dump header, when present.
    pub server_version: Option<String>,
    /// Where the file ends inside a statement (its first line): the file was cut short.
    pub truncated_at: Option<usize>,
    /// A mysqldump/mariadb-dump header without the tool's closing `-- Dump completed` line.
    pub missing_trailer: bool,
}

/// Parse a whole SQL file. `want_rows` says for which (unqualified) table names INSERT rows
/// are read; all other INSERTs are skipped without tokenizing.
pub fn parse_schema_sql(src: &str, want_rows: &dyn Fn(&str) -> bool) -> ParseOutcome {
    let mut out = ParseOutcome {
        server_version: header_server_version(src),
        ..Default::default()
    };
    let head = src.trim_start();
    let dump_header = head.starts_with("-- MySQL dump") || head.starts_with("-- MariaDB dump");
    out.missing_trailer = dump_header && !has_dump_trailer(src);
    for st in split_statements(src) {
        if !st.terminated && dump_header {
            // The dump tools end every statement with its delimiter: one the file ends inside
            // was cut, and half a CREATE TABLE is a table that exists nowhere. (A hand-written
            // DDL file may omit the last `;`; a broken table there is read as unsupported.)
            out.truncated_at = Some(st.line);
            out.warnings.push(format!(
                "line {}: the file ends inside this statement; it was not read",
                st.line
            ));
            continue;
        }
        if st.text.starts_with("/*") {
            continue;
        }
        let head = st.head(3);
        let result =
            if head.starts_with("CREATE TABLE") || head.starts_with("CREATE TEMPORARY TABLE") {
                out.create_tables += 1;
                create_table(&st, &mut out.schema)
            } else if head.starts_with("ALTER TABLE")
                || head.starts_with("ALTER ONLINE TABLE")
                || head.starts_with("ALTER IGNORE TABLE")
            {
                alter_table(&st, &mut out.schema)
            } else if is_create_index(&head) {
                create_index(&st, &mut out.schema)
            } else if head.starts_with("DROP TABLE") {
                drop_table(&st, &mut out.schema)
            } else if head.starts_with("INSERT") || head.starts_with("REPLACE") {
                insert_rows(&st, want_rows, &out.schema, &mut out.rows)
            } else {
                Ok(())
            };
        if let Err(e) = result {
            out.warnings.push(format!("line {}: {}", st.line, e));
        }
    }
    out
}

/// mysqldump and mariadb-dump end a complete dump with `-- Dump completed on <date>`.
fn has_dump_trailer(src: &str) -> bool {
    src.trim_end()
        .lines()
        .next_back()
        .is_some_and(|l| l.starts_with("-- Dump completed"))
}

fn is_create_index(head: &str) -> bool {
    let mut w = head.split(' ');
    w.next() == Some("CREATE")
        && match w.next() {
            Some("INDEX") => true,
            Some("UNIQUE" | "FULLTEXT" | "SPATIAL") => w.next() == Some("INDEX"),
            _ => false,
        }
}

fn header_server_version(src: &str) -> Option<String> {
    src.lines().take(40).find_map(|l| {
        let l = l.trim_start_matches(['-', ' ', '/', '*', '|']);
        l.strip_prefix("Server version")
            .map(|v| v.trim_start_matches([':', '\t', ' ']).trim().to_string())
    })
}

type PResult<T> = Result<T, String>;

/// A cursor over the significant tokens of one statement.
struct Cursor {
    toks: Vec<Token>,
    pos: usize,
}

impl Cursor {
    fn new(text: &str) -> PResult<Cursor> {
        let toks = Tokenizer::new(&MySqlDialect {}, text)
            .tokenize()
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect();
        Ok(Cursor { toks, pos: 0 })
    }

    fn peek(&self) -> &Token {
        self.toks.get(self.pos).unwrap_or(&Token::EOF)
    }

    fn peek_at(&self, n: usize) -> &Token {
        self.toks.get(self.pos + n).unwrap_or(&Token::EOF)
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Is the next token the unquoted keyword `kw`?
    fn is_kw(&self, kw: &str) -> bool {
        is_kw(self.peek(), kw)
    }

    fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        is_kw(self.peek_at(n), kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_kws(&mut self, kws: &[&str]) -> bool {
        if kws.iter().enumerate().all(|(i, k)| self.is_kw_at(i, k)) {
            self.pos += kws.len();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(format!("expected {kw}, found {}", describe(self.peek())))
        }
    }

    fn eat(&mut self, tok: &Token) -> bool {
        if self.peek() == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Token) -> PResult<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(format!("expected '{tok}', found {}", describe(self.peek())))
        }
    }

    fn ident(&mut self) -> PResult<String> {
        match self.next() {
            Token::Word(w) => Ok(w.value),
            // ANSI_QUOTES dumps quote identifiers with double quotes.
            Token::DoubleQuotedString(s) => Ok(s),
            t => Err(format!("expected a name, found {}", describe(&t))),
        }
    }

    /// A possibly qualified name (`db`.`t`); only the last part matters inside one schema.
    fn object_name(&mut self) -> PResult<String> {
        let mut name = self.ident()?;
        while self.eat(&Token::Period) {
            name = self.ident()?;
        }
        Ok(name)
    }

    fn string(&mut self) -> PResult<String> {
        match self.next() {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Ok(s),
            t => Err(format!("expected a string, found {}", describe(&t))),
        }
    }

    fn number(&mut self) -> PResult<u32> {
        match self.next() {
            Token::Number(n, _) => n.parse().map_err(|_| format!("bad number {n}")),
            t => Err(format!("expected a number, found {}", describe(&t))),
        }
    }

    /// `=` is optional between a table option and its value.
    fn opt_eq(&mut self) {
        self.eat(&Token::Eq);
    }

    /// Consume a balanced parenthesized group and return its inner tokens as SQL text.
    fn paren_text(&mut self) -> PResult<String> {
        self.expect(&Token::LParen)?;
        let start = self.pos;
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                Token::EOF => return Err("unbalanced parentheses".into()),
                _ => {}
            }
        }
        Ok(tokens_sql(&self.toks[start..self.pos - 1]))
    }

    /// A value-like unit: literal, signed number, function call, keyword or parenthesized
    /// expression. Used for DEFAULT and ON UPDATE.
    fn unit(&mut self) -> PResult<Vec<Token>> {
        let start = self.pos;
        match self.peek().clone() {
            Token::LParen => {
                self.paren_text()?;
            }
            Token::Minus | Token::Plus => {
                self.next();
                self.next();
            }
            Token::Word(_) => {
                self.next();
                // introducer such as _utf8mb4'x' or b'0'
                if matches!(self.peek(), Token::SingleQuotedString(_)) {
                    self.next();
                } else if self.peek() == &Token::LParen {
                    self.paren_text()?;
                }
            }
            Token::EOF => return Err("expected a value, found end of statement".into()),
            _ => {
                self.next();
            }
        }
        Ok(self.toks[start..self.pos].to_vec())
    }
}

fn is_kw(t: &Token, kw: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

fn describe(t: &Token) -> String {
    match t {
        Token::EOF => "end of statement".into(),
        t => format!("'{t}'"),
    }
}

/// Render tokens back to SQL with sane spacing and our own quoting.
pub(crate) fn tokens_sql(toks: &[Token]) -> String {
    let mut s = String::new();
    let mut prev: Option<&Token> = None;
    for t in toks {
        let glue = match (prev, t) {
            (None, _) => false,
            (_, Token::RParen | Token::Comma | Token::Period) => false,
            (Some(Token::LParen | Token::Period), _) => false,
            (Some(Token::Word(w)), Token::LParen) if w.quote_style.is_none() => true,
            _ => true,
        };
        let glue_no_space = match (prev, t) {
            (None, _) => true,
            (_, Token::RParen | Token::Comma | Token::Period) => true,
            (Some(Token::LParen | Token::Period), _) => true,
            (Some(Token::Word(w)), Token::LParen) if w.quote_style.is_none() => true,
            _ => false,
        };
        if !glue_no_space && glue {
            s.push(' ');
        }
        s.push_str(&token_sql(t));
        prev = Some(t);
    }
    s
}

fn token_sql(t: &Token) -> String {
    match t {
        Token::Word(w) => match w.quote_style {
            Some('`') | Some('"') => quote_ident(&w.value),
            _ => w.value.clone(),
        },
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => quote_string(s),
        other => other.to_string(),
    }
}

fn create_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
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

fn table_body(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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
fn starts_constraint(c: &Cursor) -> bool {
    const STARTS: [&str; 9] = [
        "PRIMARY",
        "UNIQUE",
        "KEY",
        "INDEX",
        "FULLTEXT",
        "SPATIAL",
        "CONSTRAINT",
        "FOREIGN",
        "CHECK",
    ];
    STARTS.iter().any(|k| c.is_kw(k))
}

/// One item inside CREATE TABLE (...): a column or a table-level constraint/index.
fn create_definition(c: &mut Cursor, table: &mut Table) -> PResult<()> {
    if starts_constraint(c) {
        table_constraint(c, table)
    } else {
        let col = column_definition(c, table)?;
        table.columns.push(col);
        Ok(())
    }
}

fn column_definition(c: &mut Cursor, table: &mut Table) -> PResult<Column> {
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

impl Cursor {
    fn ident_or_string(&mut self) -> PResult<String> {
        match self.peek() {
            Token::SingleQuotedString(_) => self.string(),
            _ => self.ident(),
        }
    }
}

fn generated(c: &mut Cursor) -> PResult<Generated> {
    let expr = c.paren_text()?;
    let stored = if c.eat_kw("STORED") || c.eat_kw("PERSISTENT") {
        true
    } else {
        c.eat_kw("VIRTUAL");
        false
    };
    Ok(Generated { expr, stored })
}

fn default_value(toks: &[Token]) -> DefaultValue {
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
fn data_type(c: &mut Cursor) -> PResult<(ColumnType, Option<String>, Option<String>)> {
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

fn unique_index_name(table: &Table, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while table.index(&name).is_some() {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

fn index_parts(c: &mut Cursor) -> PResult<Vec<IndexPart>> {
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
fn index_options(c: &mut Cursor) -> PResult<String> {
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
fn opt_index_name(c: &mut Cursor) -> PResult<Option<String>> {
    if c.peek() == &Token::LParen || c.is_kw("USING") {
        return Ok(None);
    }
    c.ident().map(Some)
}

fn table_constraint(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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
            None => format!("{}_ibfk_{}", table.name, table.foreign_keys.len() + 1),
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
        let name = constraint_name.unwrap_or_else(|| {
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
        });
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

fn ident_list(c: &mut Cursor) -> PResult<Vec<String>> {
    c.expect(&Token::LParen)?;
    let mut v = vec![c.ident()?];
    while c.eat(&Token::Comma) {
        v.push(c.ident()?);
    }
    c.expect(&Token::RParen)?;
    Ok(v)
}

fn fk_action(c: &mut Cursor) -> PResult<FkAction> {
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

fn table_options(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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
fn finish_table(table: &mut Table) {
    if let Some(pk) = table.primary_key().cloned() {
        for p in &pk.parts {
            if let Some(col) = table.column_mut(&p.column) {
                col.nullable = false;
            }
        }
    }
}

fn alter_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
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

fn alter_ops(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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

fn column_position(c: &mut Cursor) -> PResult<()> {
    if c.eat_kw("FIRST") {
    } else if c.eat_kw("AFTER") {
        c.ident()?;
    }
    Ok(())
}

fn alter_op(c: &mut Cursor, table: &mut Table) -> PResult<()> {
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

fn replace_column(table: &mut Table, old: &str, col: Column) -> PResult<()> {
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

fn create_index(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
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

fn drop_table(st: &Statement<'_>, schema: &mut Schema) -> PResult<()> {
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

/// Table name of an INSERT without tokenizing the (possibly huge) statement.
fn insert_target(text: &str) -> Option<String> {
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

fn insert_rows(
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

fn row_value(c: &mut Cursor) -> PResult<RowValue> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> ParseOutcome {
        parse_schema_sql(src, &|t| t == "lead_fields")
    }

    #[test]
    fn mysqldump_table() {
        let out = parse(
            "DROP TABLE IF EXISTS `assets`;\n/*!40101 SET @saved_cs_client = @@character_set_client */;\n\
CREATE TABLE `assets` (\n  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `category_id` int(10) unsigned DEFAULT NULL,\n\
  `title` varchar(191) COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT 'it''s',\n  `size` decimal(10,2) NOT NULL DEFAULT '0.00',\n\
  `date_added` datetime DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '(DC2Type:datetime)',\n\
  PRIMARY KEY (`id`),\n  KEY `IDX_79D17D8E12469DE2` (`category_id`),\n  KEY `title_search` (`title`(50),`id` DESC),\n\
  CONSTRAINT `FK_79D17D8E12469DE2` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL\n\
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;\n\
INSERT INTO `assets` VALUES (1,'x;y');\nINSERT INTO `lead_fields` (`id`,`alias`) VALUES (1,'email'),(2,NULL);\n",
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let t = out.schema.table("assets").unwrap();
        assert!(t.unsupported.is_none(), "{:?}", t.unsupported);
        assert_eq!(t.columns.len(), 5);
        assert_eq!(t.columns[0].ty.to_string(), "int(10) unsigned");
        assert!(t.columns[0].auto_increment && !t.columns[0].nullable);
        assert_eq!(
            t.columns[2].default,
            Some(DefaultValue::Literal("it's".into()))
        );
        assert_eq!(
            t.columns[2].collation.as_deref(),
            Some("utf8mb4_unicode_ci")
        );
        assert_eq!(
            t.columns[4].on_update.as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(t.columns[4].comment, "(DC2Type:datetime)");
        let idx = t.index("title_search").unwrap();
        assert_eq!(idx.parts[0].prefix, Some(50));
        assert!(idx.parts[1].descending);
        assert_eq!(t.foreign_keys[0].on_delete, FkAction::SetNull);
        assert_eq!(t.options.row_format.as_deref(), Some("DYNAMIC"));
        assert_eq!(t.options.collation.as_deref(), Some("utf8mb4_unicode_ci"));
        let rows = &out.rows["lead_fields"];
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[1][1], RowValue::Null);
        assert!(!out.rows.contains_key("assets"));
    }

    #[test]
    fn doctrine_ddl() {
        let out = parse(
            "CREATE TABLE leads (id BIGINT UNSIGNED AUTO_INCREMENT NOT NULL, owner_id INT UNSIGNED DEFAULT NULL, \
points INT NOT NULL, preferred_profile_image VARCHAR(191) DEFAULT NULL, \
generated_email_domain VARCHAR(255) AS (SUBSTRING(email, LOCATE(\"@\", email) + 1)) VIRTUAL, \
INDEX IDX_179045527E3C61F9 (owner_id), UNIQUE INDEX UNIQ_X (points), PRIMARY KEY(id)) \
DEFAULT CHARACTER SET utf8mb4 COLLATE `utf8mb4_unicode_ci` ENGINE = InnoDB ROW_FORMAT = DYNAMIC;\n\
ALTER TABLE leads ADD CONSTRAINT FK_179045527E3C61F9 FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL;\n\
CREATE INDEX points_idx ON leads (points);\n",
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let t = out.schema.table("leads").unwrap();
        assert!(t.unsupported.is_none(), "{:?}", t.unsupported);
        assert_eq!(t.options.engine.as_deref(), Some("InnoDB"));
        assert_eq!(t.options.charset.as_deref(), Some("utf8mb4"));
        assert_eq!(t.foreign_keys.len(), 1);
        assert!(t.index("points_idx").is_some());
        assert_eq!(t.index("UNIQ_X").unwrap().kind, IndexKind::Unique);
        let g = t
            .column("generated_email_domain")
            .unwrap()
            .generated
            .as_ref()
            .unwrap();
        assert_eq!(g.expr, "SUBSTRING(email, LOCATE('@', email) + 1)");
    }

    #[test]
    fn bad_table_is_kept_as_unsupported() {
        let out = parse("CREATE TABLE t (a int, b frobnicate(1) WIBBLE);");
        let t = out.schema.table("t").unwrap();
        assert!(t.unsupported.as_deref().unwrap().contains("unexpected"));
    }
}
