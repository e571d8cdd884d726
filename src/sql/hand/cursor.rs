//! A cursor over the tokens of one statement and rendering tokens back to SQL.

use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::schema::{quote_ident, quote_string};

pub(crate) type PResult<T> = Result<T, String>;

/// A cursor over the significant tokens of one statement.
pub(crate) struct Cursor {
    pub(crate) toks: Vec<Token>,
    pub(crate) pos: usize,
}

impl Cursor {
    pub(crate) fn new(text: &str) -> PResult<Cursor> {
        let toks = Tokenizer::new(&MySqlDialect {}, text)
            .tokenize()
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect();
        Ok(Cursor { toks, pos: 0 })
    }

    pub(crate) fn peek(&self) -> &Token {
        self.toks.get(self.pos).unwrap_or(&Token::EOF)
    }

    pub(crate) fn peek_at(&self, n: usize) -> &Token {
        self.toks.get(self.pos + n).unwrap_or(&Token::EOF)
    }

    pub(crate) fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Is the next token the unquoted keyword `kw`?
    pub(crate) fn is_kw(&self, kw: &str) -> bool {
        is_kw(self.peek(), kw)
    }

    pub(crate) fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        is_kw(self.peek_at(n), kw)
    }

    pub(crate) fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_kws(&mut self, kws: &[&str]) -> bool {
        if kws.iter().enumerate().all(|(i, k)| self.is_kw_at(i, k)) {
            self.pos += kws.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(format!("expected {kw}, found {}", describe(self.peek())))
        }
    }

    pub(crate) fn eat(&mut self, tok: &Token) -> bool {
        if self.peek() == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, tok: &Token) -> PResult<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(format!("expected '{tok}', found {}", describe(self.peek())))
        }
    }

    pub(crate) fn ident(&mut self) -> PResult<String> {
        match self.next() {
            Token::Word(w) => Ok(w.value),
            // ANSI_QUOTES dumps quote identifiers with double quotes.
            Token::DoubleQuotedString(s) => Ok(s),
            t => Err(format!("expected a name, found {}", describe(&t))),
        }
    }

    /// A possibly qualified name (`db`.`t`); only the last part matters inside one schema.
    pub(crate) fn object_name(&mut self) -> PResult<String> {
        let mut name = self.ident()?;
        while self.eat(&Token::Period) {
            name = self.ident()?;
        }
        Ok(name)
    }

    pub(crate) fn string(&mut self) -> PResult<String> {
        match self.next() {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Ok(s),
            t => Err(format!("expected a string, found {}", describe(&t))),
        }
    }

    pub(crate) fn number(&mut self) -> PResult<u32> {
        match self.next() {
            Token::Number(n, _) => n.parse().map_err(|_| format!("bad number {n}")),
            t => Err(format!("expected a number, found {}", describe(&t))),
        }
    }

    /// `=` is optional between a table option and its value.
    pub(crate) fn opt_eq(&mut self) {
        self.eat(&Token::Eq);
    }

    /// Consume a balanced parenthesized group and return its inner tokens as SQL text.
    pub(crate) fn paren_text(&mut self) -> PResult<String> {
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
    pub(crate) fn unit(&mut self) -> PResult<Vec<Token>> {
        let start = self.pos;
        match self.peek().clone() {
            Token::LParen => {
                self.paren_text()?;
            }
            Token::Minus | Token::Plus => {
                self.next();
                if self.at_end() {
                    // `DEFAULT -` cut short (found by tests/parse_fuzz.rs in an ALTER)
                    return Err("expected a number after the sign".into());
                }
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

pub(crate) fn is_kw(t: &Token, kw: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

pub(crate) fn describe(t: &Token) -> String {
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

pub(crate) fn token_sql(t: &Token) -> String {
    match t {
        Token::Word(w) => match w.quote_style {
            Some('`') | Some('"') => quote_ident(&w.value),
            _ => w.value.clone(),
        },
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => quote_string(s),
        other => other.to_string(),
    }
}
impl Cursor {
    pub(crate) fn ident_or_string(&mut self) -> PResult<String> {
        match self.peek() {
            Token::SingleQuotedString(_) => self.string(),
            _ => self.ident(),
        }
    }
}
