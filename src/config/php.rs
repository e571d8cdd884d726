//! A small, total reader for the PHP that Mautic's `local.php` files contain: the
//! `$parameters = array(...)` assignment (any literal syntax Mautic, `var_export` or people
//! write), later `$parameters['key'] = ...;` assignments, and the few expressions seen in the
//! field (`getenv()`, `?:`, `??`, casts, `.`, `file_get_contents()` of an env-named file).
//! Anything else is reported with its line and column; nothing is guessed.

use std::path::Path;

use super::ConfigError;
use super::env::Env;

#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// PHP's ordered array: keys unique, in insertion order; assigning an existing key
    /// replaces its value in place (as PHP does), in constant time.
    Array(PhpArray),
}

pub type PhpArray = indexmap::IndexMap<PhpKey, PhpValue>;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PhpKey {
    Int(i64),
    Str(String),
}

impl PhpValue {
    /// PHP's string conversion, for the scalar kinds.
    pub fn to_php_string(&self) -> Option<String> {
        Some(match self {
            PhpValue::Null => String::new(),
            PhpValue::Bool(true) => "1".into(),
            PhpValue::Bool(false) => String::new(),
            PhpValue::Int(i) => i.to_string(),
            PhpValue::Float(f) => f.to_string(),
            PhpValue::Str(s) => s.clone(),
            PhpValue::Array(_) => return None,
        })
    }

    fn truthy(&self) -> bool {
        match self {
            PhpValue::Null => false,
            PhpValue::Bool(b) => *b,
            PhpValue::Int(i) => *i != 0,
            PhpValue::Float(f) => *f != 0.0,
            PhpValue::Str(s) => !(s.is_empty() || s == "0"),
            PhpValue::Array(a) => !a.is_empty(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&PhpValue> {
        match self {
            PhpValue::Array(items) => items.get(&PhpKey::Str(key.to_string())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Var(String),
    Ident(String),
    Str(String),
    /// A double-quoted string with `$` interpolation: cannot be evaluated.
    Interpolated,
    Int(i64),
    Float(f64),
    Punct(&'static str),
    OpenTag,
    CloseTag,
    Eof,
}

#[derive(Debug, Clone)]
struct Spanned {
    tok: Tok,
    line: usize,
    col: usize,
}

struct Lexer<'a> {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    path: &'a Path,
}

// Longest first. Operators the evaluator never accepts are still tokens, so a statement that
// uses them (`if (!getenv('X')) { ... }`) is refused by what it is, not by a character.
const PUNCTS: [&str; 34] = [
    "===", "!==", "=>", "?:", "??", "::", "==", "!=", "<=", ">=", "&&", "||", "->", "[", "]", "(",
    ")", "{", "}", ",", ";", "=", ".", "?", ":", "-", "+", "*", "/", "%", "!", "<", ">", "&",
];

impl<'a> Lexer<'a> {
    fn err(&self, line: usize, col: usize, msg: impl Into<String>) -> ConfigError {
        ConfigError::Syntax {
            path: self.path.to_path_buf(),
            line,
            col,
            msg: msg.into(),
        }
    }

    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn starts(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| self.peek(k).map(|x| x.to_ascii_lowercase()) == Some(c))
    }

    fn tokens(mut self) -> Result<Vec<Spanned>, ConfigError> {
        let mut out = Vec::new();
        // Text before `<?php` is output, not code.
        loop {
            if self.i >= self.chars.len() {
                return Err(self.err(1, 1, "no `<?php` open tag"));
            }
            if self.starts("<?php") {
                let (l, c) = (self.line, self.col);
                for _ in 0..5 {
                    self.bump();
                }
                out.push(Spanned {
                    tok: Tok::OpenTag,
                    line: l,
                    col: c,
                });
                break;
            }
            self.bump();
        }
        loop {
            let (l, c) = (self.line, self.col);
            let Some(ch) = self.peek(0) else {
                out.push(Spanned {
                    tok: Tok::Eof,
                    line: l,
                    col: c,
                });
                return Ok(out);
            };
            let tok = match ch {
                _ if ch.is_whitespace() => {
                    self.bump();
                    continue;
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                    continue;
                }
                '/' if self.peek(1) == Some('/') => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        if self.starts("?>") {
                            break;
                        }
                        self.bump();
                    }
                    continue;
                }
                '/' if self.peek(1) == Some('*') => {
                    self.bump();
                    self.bump();
                    while !self.starts("*/") {
                        if self.bump().is_none() {
                            return Err(self.err(l, c, "unterminated /* comment"));
                        }
                    }
                    self.bump();
                    self.bump();
                    continue;
                }
                '?' if self.peek(1) == Some('>') => {
                    self.bump();
                    self.bump();
                    Tok::CloseTag
                }
                '$' => {
                    self.bump();
                    let name = self.word();
                    if name.is_empty() {
                        return Err(self.err(l, c, "`$` without a variable name"));
                    }
                    Tok::Var(name)
                }
                '\'' => Tok::Str(self.single_quoted(l, c)?),
                '"' => self.double_quoted(l, c)?,
                '0'..='9' => self.number(l, c)?,
                _ if ch.is_alphabetic() || ch == '_' || ch == '\\' => Tok::Ident(self.word()),
                _ => {
                    let Some(p) = PUNCTS.iter().find(|p| self.starts(p)) else {
                        return Err(self.err(l, c, format!("unexpected character '{ch}'")));
                    };
                    for _ in 0..p.len() {
                        self.bump();
                    }
                    Tok::Punct(p)
                }
            };
            out.push(Spanned {
                tok,
                line: l,
                col: c,
            });
        }
    }

    fn word(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '\\')
        {
            s.push(c);
            self.bump();
        }
        s
    }

    fn single_quoted(&mut self, l: usize, c: usize) -> Result<String, ConfigError> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err(l, c, "unterminated string")),
                Some('\'') => return Ok(s),
                Some('\\') if matches!(self.peek(0), Some('\\') | Some('\'')) => {
                    s.push(self.bump().unwrap())
                }
                Some(ch) => s.push(ch),
            }
        }
    }

    fn double_quoted(&mut self, l: usize, c: usize) -> Result<Tok, ConfigError> {
        self.bump();
        let mut s = String::new();
        let mut interpolated = false;
        loop {
            match self.bump() {
                None => return Err(self.err(l, c, "unterminated string")),
                Some('"') => {
                    return Ok(if interpolated {
                        Tok::Interpolated
                    } else {
                        Tok::Str(s)
                    });
                }
                Some('$')
                    if self
                        .peek(0)
                        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '{') =>
                {
                    interpolated = true
                }
                Some('{') if self.peek(0) == Some('$') => interpolated = true,
                Some('\\') => match self.peek(0) {
                    Some('n') => {
                        self.bump();
                        s.push('\n')
                    }
                    Some('t') => {
                        self.bump();
                        s.push('\t')
                    }
                    Some('r') => {
                        self.bump();
                        s.push('\r')
                    }
                    Some('v') => {
                        self.bump();
                        s.push('\x0b')
                    }
                    Some('e') => {
                        self.bump();
                        s.push('\x1b')
                    }
                    Some('f') => {
                        self.bump();
                        s.push('\x0c')
                    }
                    Some('\\') => {
                        self.bump();
                        s.push('\\')
                    }
                    Some('$') => {
                        self.bump();
                        s.push('$')
                    }
                    Some('"') => {
                        self.bump();
                        s.push('"')
                    }
                    Some('0'..='7') => {
                        let mut v = 0u32;
                        for _ in 0..3 {
                            match self.peek(0) {
                                Some(d @ '0'..='7') => {
                                    v = v * 8 + d.to_digit(8).unwrap();
                                    self.bump();
                                }
                                _ => break,
                            }
                        }
                        s.push(char::from_u32(v & 0xff).unwrap_or('\u{fffd}'));
                    }
                    Some('x') if self.peek(1).is_some_and(|c| c.is_ascii_hexdigit()) => {
                        self.bump();
                        let mut v = 0u32;
                        for _ in 0..2 {
                            match self.peek(0).and_then(|c| c.to_digit(16)) {
                                Some(d) => {
                                    v = v * 16 + d;
                                    self.bump();
                                }
                                None => break,
                            }
                        }
                        s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    }
                    Some('u') if self.peek(1) == Some('{') => {
                        self.bump();
                        self.bump();
                        let mut hex = String::new();
                        while let Some(h) = self.peek(0).filter(|c| c.is_ascii_hexdigit()) {
                            hex.push(h);
                            self.bump();
                        }
                        if self.bump() != Some('}') {
                            return Err(self.err(l, c, "bad \\u{...} escape"));
                        }
                        let cp = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| self.err(l, c, "bad \\u{...} escape"))?;
                        s.push(cp);
                    }
                    _ => s.push('\\'),
                },
                Some(ch) => s.push(ch),
            }
        }
    }

    fn number(&mut self, l: usize, c: usize) -> Result<Tok, ConfigError> {
        let mut s = String::new();
        while let Some(ch) = self
            .peek(0)
            .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '.')
        {
            s.push(ch);
            self.bump();
        }
        let clean = s.replace('_', "");
        let lower = clean.to_ascii_lowercase();
        let parsed = if let Some(h) = lower.strip_prefix("0x") {
            i64::from_str_radix(h, 16).ok().map(Tok::Int)
        } else if let Some(b) = lower.strip_prefix("0b") {
            i64::from_str_radix(b, 2).ok().map(Tok::Int)
        } else if let Some(o) = lower.strip_prefix("0o") {
            i64::from_str_radix(o, 8).ok().map(Tok::Int)
        } else if lower.contains(['.', 'e']) {
            lower.parse::<f64>().ok().map(Tok::Float)
        } else if lower.len() > 1 && lower.starts_with('0') {
            i64::from_str_radix(&lower[1..], 8).ok().map(Tok::Int)
        } else {
            lower.parse::<i64>().ok().map(Tok::Int)
        };
        parsed.ok_or_else(|| self.err(l, c, format!("bad number '{s}'")))
    }
}

/// Parsed expression, evaluated lazily (`?:` must not read a file it does not need).
#[derive(Debug, Clone)]
enum Expr {
    Lit(PhpValue),
    Array(Vec<(Option<Expr>, Expr)>),
    Getenv(Box<Expr>),
    FileGetContents(Box<Expr>, usize, usize),
    Elvis(Box<Expr>, Box<Expr>),
    Coalesce(Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cast(&'static str, Box<Expr>),
    Neg(Box<Expr>),
}

struct Parser<'a> {
    toks: Vec<Spanned>,
    pos: usize,
    path: &'a Path,
}

impl Parser<'_> {
    fn peek(&self) -> &Spanned {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Spanned {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is(&self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(x) if *x == p)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn err_at(&self, t: &Spanned, msg: impl Into<String>) -> ConfigError {
        ConfigError::Syntax {
            path: self.path.to_path_buf(),
            line: t.line,
            col: t.col,
            msg: msg.into(),
        }
    }

    fn unsupported(&self, t: &Spanned, what: impl Into<String>) -> ConfigError {
        ConfigError::Unsupported {
            path: self.path.to_path_buf(),
            line: t.line,
            col: t.col,
            what: what.into(),
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), ConfigError> {
        if self.eat(p) {
            Ok(())
        } else {
            let t = self.peek().clone();
            Err(self.err_at(&t, format!("expected '{p}', found {}", show(&t.tok))))
        }
    }

    fn expr(&mut self) -> Result<Expr, ConfigError> {
        let left = self.coalesce()?;
        if self.eat("?:") {
            let right = self.expr()?;
            return Ok(Expr::Elvis(Box::new(left), Box::new(right)));
        }
        if self.is("?") {
            let t = self.peek().clone();
            return Err(self.unsupported(&t, "the ternary operator `a ? b : c`"));
        }
        Ok(left)
    }

    fn coalesce(&mut self) -> Result<Expr, ConfigError> {
        let left = self.concat()?;
        if self.eat("??") {
            let right = self.coalesce()?;
            return Ok(Expr::Coalesce(Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn concat(&mut self) -> Result<Expr, ConfigError> {
        let mut left = self.unary()?;
        while self.eat(".") {
            let right = self.unary()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ConfigError> {
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        // (int) / (string) / (bool) / (float) casts
        if self.is("(")
            && let Tok::Ident(w) = &self.toks[self.pos + 1].tok
            && matches!(&self.toks[self.pos + 2].tok, Tok::Punct(")"))
        {
            let kind = match w.to_ascii_lowercase().as_str() {
                "int" | "integer" => Some("int"),
                "string" => Some("string"),
                "bool" | "boolean" => Some("bool"),
                "float" | "double" => Some("float"),
                _ => None,
            };
            if let Some(kind) = kind {
                self.pos += 3;
                return Ok(Expr::Cast(kind, Box::new(self.unary()?)));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ConfigError> {
        let t = self.next();
        Ok(match &t.tok {
            Tok::Str(s) => Expr::Lit(PhpValue::Str(s.clone())),
            Tok::Interpolated => {
                return Err(
                    self.unsupported(&t, "a double-quoted string with $variable interpolation")
                );
            }
            Tok::Int(i) => Expr::Lit(PhpValue::Int(*i)),
            Tok::Float(f) => Expr::Lit(PhpValue::Float(*f)),
            Tok::Punct("[") => Expr::Array(self.array_items("]")?),
            Tok::Punct("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                e
            }
            Tok::Ident(w) => match w.to_ascii_lowercase().trim_start_matches('\\') {
                "true" => Expr::Lit(PhpValue::Bool(true)),
                "false" => Expr::Lit(PhpValue::Bool(false)),
                "null" => Expr::Lit(PhpValue::Null),
                "array" => {
                    self.expect("(")?;
                    Expr::Array(self.array_items(")")?)
                }
                "getenv" => {
                    self.expect("(")?;
                    let e = self.expr()?;
                    self.expect(")")?;
                    Expr::Getenv(Box::new(e))
                }
                "file_get_contents" => {
                    self.expect("(")?;
                    let e = self.expr()?;
                    self.expect(")")?;
                    Expr::FileGetContents(Box::new(e), t.line, t.col)
                }
                other => {
                    let what = if self.is("(") {
                        format!(
                            "function call '{other}(' — only literals, getenv(), file_get_contents(getenv()), casts and ?:/?? are supported"
                        )
                    } else {
                        format!("constant '{w}'")
                    };
                    return Err(self.unsupported(&t, what));
                }
            },
            Tok::Var(v) => return Err(self.unsupported(&t, format!("variable ${v} in a value"))),
            other => {
                return Err(self.err_at(&t, format!("expected a value, found {}", show(other))));
            }
        })
    }

    fn array_items(&mut self, close: &str) -> Result<Vec<(Option<Expr>, Expr)>, ConfigError> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(items);
            }
            let first = self.expr()?;
            if self.eat("=>") {
                let v = self.expr()?;
                items.push((Some(first), v));
            } else {
                items.push((None, first));
            }
            if !self.eat(",") {
                self.expect(close)?;
                return Ok(items);
            }
        }
    }

    /// Skip a statement we do not evaluate (it cannot change `$parameters`).
    /// Skip a statement that does not set `$parameters` (`$_SERVER['HTTPS'] = 'on';`,
    /// `ini_set(...)`), refusing one that may change what PHP would read.
    fn skip_unrelated_statement(&mut self) -> Result<(), ConfigError> {
        let first = self.peek().clone();
        if let Tok::Ident(w) = &first.tok {
            let lower = w.to_ascii_lowercase();
            if CHANGES_WHAT_PHP_SEES.contains(&lower.as_str()) {
                return Err(self.unsupported(
                    &first,
                    format!(
                        "`{lower}`: PHP may read other settings than the tool would; \
                         keep local.php to plain assignments of $parameters"
                    ),
                ));
            }
        }
        let start = self.pos;
        self.skip_statement();
        if let Some(t) = self.toks[start..self.pos.min(self.toks.len())]
            .iter()
            .find(|t| matches!(&t.tok, Tok::Var(v) if v == "parameters" || v.is_empty()))
        {
            let t = t.clone();
            return Err(self.unsupported(
                &t,
                "a statement that uses $parameters other than by assignment",
            ));
        }
        Ok(())
    }

    fn skip_statement(&mut self) {
        let mut depth = 0i32;
        loop {
            let t = self.next();
            match t.tok {
                Tok::Eof | Tok::CloseTag => return,
                Tok::Punct("(" | "[") => depth += 1,
                Tok::Punct(")" | "]") => depth -= 1,
                Tok::Punct(";") if depth <= 0 => return,
                _ => {}
            }
        }
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Var(v) => format!("${v}"),
        Tok::Ident(w) => format!("'{w}'"),
        Tok::Str(_) | Tok::Interpolated => "a string".into(),
        Tok::Int(i) => i.to_string(),
        Tok::Float(f) => f.to_string(),
        Tok::Punct(p) => format!("'{p}'"),
        Tok::OpenTag => "'<?php'".into(),
        Tok::CloseTag => "'?>'".into(),
        Tok::Eof => "end of file".into(),
    }
}

fn eval(e: &Expr, env: &Env, path: &Path) -> Result<PhpValue, ConfigError> {
    Ok(match e {
        Expr::Lit(v) => v.clone(),
        Expr::Array(items) => {
            let mut out = PhpArray::new();
            let mut next = 0i64;
            for (k, v) in items {
                let key = match k {
                    None => PhpKey::Int(next),
                    Some(k) => match eval(k, env, path)? {
                        PhpValue::Int(i) => PhpKey::Int(i),
                        // PHP turns decimal-integer string keys into ints.
                        PhpValue::Str(s) => match s.parse::<i64>() {
                            Ok(i) if i.to_string() == s => PhpKey::Int(i),
                            _ => PhpKey::Str(s),
                        },
                        PhpValue::Bool(b) => PhpKey::Int(b as i64),
                        PhpValue::Null => PhpKey::Str(String::new()),
                        other => PhpKey::Str(other.to_php_string().unwrap_or_default()),
                    },
                };
                if let PhpKey::Int(i) = key {
                    next = next.max(i + 1);
                }
                let v = eval(v, env, path)?;
                // Was a remove-then-append scan per item: quadratic in the array's size.
                out.insert(key, v);
            }
            PhpValue::Array(out)
        }
        Expr::Getenv(name) => {
            let n = eval(name, env, path)?.to_php_string().unwrap_or_default();
            match env.get(&n) {
                Some(v) => PhpValue::Str(v.to_string()),
                None => PhpValue::Bool(false),
            }
        }
        Expr::FileGetContents(p, line, col) => {
            let v = eval(p, env, path)?;
            let file = match v {
                PhpValue::Str(s) if !s.is_empty() => s,
                _ => {
                    return Err(ConfigError::Unsupported {
                        path: path.to_path_buf(),
                        line: *line,
                        col: *col,
                        what: "file_get_contents() of an unset environment variable".into(),
                    });
                }
            };
            PhpValue::Str(
                std::fs::read_to_string(&file).map_err(|e| ConfigError::Read {
                    path: file.into(),
                    reason: e.to_string(),
                })?,
            )
        }
        Expr::Elvis(a, b) => {
            let v = eval(a, env, path)?;
            if v.truthy() { v } else { eval(b, env, path)? }
        }
        Expr::Coalesce(a, b) => match eval(a, env, path)? {
            PhpValue::Null => eval(b, env, path)?,
            v => v,
        },
        Expr::Concat(a, b) => {
            let x = eval(a, env, path)?.to_php_string().unwrap_or_default();
            let y = eval(b, env, path)?.to_php_string().unwrap_or_default();
            PhpValue::Str(x + &y)
        }
        Expr::Neg(a) => match eval(a, env, path)? {
            PhpValue::Int(i) => PhpValue::Int(-i),
            PhpValue::Float(f) => PhpValue::Float(-f),
            other => other,
        },
        Expr::Cast(kind, a) => {
            let v = eval(a, env, path)?;
            match *kind {
                "int" => PhpValue::Int(match &v {
                    PhpValue::Str(s) => s
                        .trim()
                        .split(|c: char| !c.is_ascii_digit() && c != '-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0),
                    PhpValue::Float(f) => *f as i64,
                    PhpValue::Int(i) => *i,
                    other => other.truthy() as i64,
                }),
                "bool" => PhpValue::Bool(v.truthy()),
                "float" => PhpValue::Float(
                    v.to_php_string()
                        .and_then(|s| s.trim().parse().ok())
                        .unwrap_or(0.0),
                ),
                _ => PhpValue::Str(v.to_php_string().unwrap_or_default()),
            }
        }
    })
}

/// Evaluate a local.php-style file and return its `$parameters` array.
pub fn parse_parameters(
    src: &str,
    path: &Path,
    env: &Env,
) -> Result<Option<PhpValue>, ConfigError> {
    let toks = Lexer {
        chars: src.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
        path,
    }
    .tokens()?;
    let mut p = Parser { toks, pos: 0, path };
    let mut params: Option<PhpValue> = None;
    loop {
        let t = p.next();
        match &t.tok {
            Tok::Eof => return Ok(params),
            Tok::OpenTag | Tok::CloseTag | Tok::Punct(";") => {}
            Tok::Var(v) if v == "parameters" => {
                // $parameters = expr;   or   $parameters['a']['b'] = expr;
                let mut keys = Vec::new();
                while p.eat("[") {
                    let k = p.expr()?;
                    p.expect("]")?;
                    keys.push(eval(&k, env, path)?.to_php_string().unwrap_or_default());
                }
                if !p.eat("=") {
                    let t = p.peek().clone();
                    return Err(
                        p.unsupported(&t, "an operation on $parameters other than assignment")
                    );
                }
                let e = p.expr()?;
                let value = eval(&e, env, path)?;
                p.expect(";")?;
                if keys.is_empty() {
                    params = Some(value);
                } else {
                    let root = params.get_or_insert(PhpValue::Array(PhpArray::new()));
                    set_path(root, &keys, value);
                }
            }
            _ => {
                p.pos -= 1;
                p.skip_unrelated_statement()?;
            }
        }
    }
}

/// Statements that would change which settings PHP ends up with in ways the tool does not
/// evaluate: another file's code, a removed key, a branch. Skipping them would make the tool
/// connect somewhere else than Mautic does, so they are refused.
const CHANGES_WHAT_PHP_SEES: &[&str] = &[
    "include",
    "include_once",
    "require",
    "require_once",
    "unset",
    "if",
    "else",
    "elseif",
    "switch",
    "match",
    "for",
    "foreach",
    "while",
    "do",
    "goto",
    "return",
    "extract",
    "eval",
    "parse_str",
];

fn set_path(root: &mut PhpValue, keys: &[String], value: PhpValue) {
    if !matches!(root, PhpValue::Array(_)) {
        *root = PhpValue::Array(PhpArray::new());
    }
    let PhpValue::Array(items) = root else {
        unreachable!()
    };
    let key = PhpKey::Str(keys[0].clone());
    if keys.len() == 1 {
        // One lookup per assignment (a scan each made many assignments quadratic).
        items.insert(key, value);
        return;
    }
    let slot = items
        .entry(key)
        .or_insert_with(|| PhpValue::Array(PhpArray::new()));
    set_path(slot, &keys[1..], value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str, env: &[(&str, &str)]) -> Result<PhpValue, ConfigError> {
        let env = Env::from_pairs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        parse_parameters(src, Path::new("local.php"), &env).map(|p| p.expect("$parameters set"))
    }

    fn s(v: &PhpValue, k: &str) -> Option<String> {
        v.get(k).and_then(|x| x.to_php_string())
    }

    #[test]
    fn mautic_writer_format() {
        let p = parse(
            "<?php\n$parameters = array(\n\t'db_driver' => 'pdo_mysql',\n\t'db_host' => 'localhost',\n\t'db_table_prefix' => null,\n\t'db_port' => '3306',\n\t'db_password' => 'it\\'s a \\\\ pass',\n\t'db_backup_tables' => true,\n\t'trusted_proxies' => array(\n\t\t'0' => '10.0.0.0/8'\n\t),\n);\n",
            &[],
        )
        .unwrap();
        assert_eq!(s(&p, "db_host").as_deref(), Some("localhost"));
        assert_eq!(p.get("db_table_prefix"), Some(&PhpValue::Null));
        assert_eq!(s(&p, "db_password").as_deref(), Some("it's a \\ pass"));
        assert_eq!(p.get("db_backup_tables"), Some(&PhpValue::Bool(true)));
    }

    #[test]
    fn var_export_format() {
        let p = parse("<?php\n$parameters = array (\n  'db_port' => 3306,\n  'db_table_prefix' => NULL,\n  'x' => \n  array (\n    0 => 'y',\n  ),\n  'flag' => TRUE,\n);", &[]).unwrap();
        assert_eq!(p.get("db_port"), Some(&PhpValue::Int(3306)));
        assert_eq!(p.get("db_table_prefix"), Some(&PhpValue::Null));
        assert_eq!(p.get("flag"), Some(&PhpValue::Bool(true)));
    }

    #[test]
    fn short_arrays_comments_and_double_quotes() {
        let p = parse(
            "<?php // config\n$_SERVER['HTTPS'] = 'on';\n/* block */ $parameters = [\n  # hash comment\n  \"db_user\" => \"m\\x61utic\\u{e9}\\t\", // trailing\n  'db_name' => 'mautic',\n  'empty' => array(\n\n\t),\n];\n$parameters['db_port'] = 3307;\n?>\n",
            &[],
        )
        .unwrap();
        assert_eq!(s(&p, "db_user").as_deref(), Some("mautic\u{e9}\t"));
        assert_eq!(p.get("db_port"), Some(&PhpValue::Int(3307)));
        assert_eq!(p.get("empty"), Some(&PhpValue::Array(PhpArray::new())));
    }

    #[test]
    fn getenv_forms() {
        let src = "<?php\n$parameters = array(\n 'db_host' => getenv('MAUTIC_DB_HOST') ?: file_get_contents(getenv('MAUTIC_DB_HOST_FILE')),\n 'db_port' => (int) getenv('DB_PORT'),\n 'db_name' => getenv('NOPE') ?: 'fallback',\n 'db_user' => getenv('NOPE2') ?? 'x',\n);";
        let p = parse(src, &[("MAUTIC_DB_HOST", "db"), ("DB_PORT", "3310")]).unwrap();
        assert_eq!(s(&p, "db_host").as_deref(), Some("db"));
        assert_eq!(p.get("db_port"), Some(&PhpValue::Int(3310)));
        assert_eq!(s(&p, "db_name").as_deref(), Some("fallback"));
        // getenv() of an unset variable is false, not null: ?? keeps it (PHP semantics).
        assert_eq!(p.get("db_user"), Some(&PhpValue::Bool(false)));
        let err = parse(src, &[]).unwrap_err().to_string();
        assert!(
            err.starts_with("local.php:3:43: cannot evaluate file_get_contents()"),
            "{err}"
        );
    }

    #[test]
    fn errors_have_line_and_column() {
        let e = parse(
            "<?php\n$parameters = array(\n  'db_host' => foo('x'),\n);",
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("local.php:3:16: cannot evaluate function call 'foo('"),
            "{e}"
        );
        let e = parse(
            "<?php\n$parameters = array(\n  'db_host' => 'x'\n  'db_name' => 'y',\n);",
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("local.php:4:3:"), "{e}");
        let e = parse("<?php\n$parameters = array('a' => \"$x\");", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("interpolation"), "{e}");
        let e = parse("<?php\n$parameters = array('a' => 'unterminated);", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unterminated string"), "{e}");
    }
}
