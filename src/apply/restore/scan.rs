//! Reading a dump before anything is loaded: one pass that hashes it, lexes it the way the
//! client and the server would (strings, backquoted names, comments, `/*!NNNNN ... */` code),
//! and accepts only the statements this tool's own backups contain (`take_backup`:
//! mariadb-dump with `--add-drop-table --hex-blob`, one table after another):
//! - `SET` of user variables and of the session settings the dump's header and footer save and
//!   restore (`NAMES`, `character_set_*`, `collation_connection`, `time_zone`, `unique_checks`,
//!   `foreign_key_checks`, `sql_mode`, `sql_notes`), each to a plain value;
//! - `DROP TABLE IF EXISTS`, `CREATE TABLE` (no `SELECT`, no `DATA/INDEX DIRECTORY`, no
//!   `CONNECTION`, an ordinary engine), `INSERT INTO ... VALUES` of literals only,
//!   `LOCK TABLES ... WRITE`, `UNLOCK TABLES`, `ALTER TABLE ... DISABLE/ENABLE KEYS`.
//!
//! Every name is unqualified (a `db`.`t` could reach outside the staging database).
//!
//! Anything else, a `\` client command (`\!` runs a shell) outside a string, `USE`, `GRANT`,
//! `DROP DATABASE`, a view or trigger, is refused with its line number. A dump is complete
//! when it ends outside any statement, every `LOCK TABLES` is unlocked, the footer restores
//! the saved settings and the last line is the `-- Dump completed` trailer. MariaDB's dumps
//! begin with a sandbox line (`/*M!999999\- enable the sandbox mode */`) for the client:
//! accepted as the first line only.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use sha2::{Digest as _, Sha256};

const SANDBOX_LINE: &[u8] = b"/*M!999999\\- enable the sandbox mode */";
/// A statement's code (strings left out) longer than this is not one a dump tool writes.
const MAX_CODE: usize = 64 << 20;
const SESSION_SETTINGS: [&str; 8] = [
    "character_set_client",
    "character_set_results",
    "collation_connection",
    "time_zone",
    "unique_checks",
    "foreign_key_checks",
    "sql_mode",
    "sql_notes",
];
const ENGINES: [&str; 4] = ["INNODB", "MYISAM", "ARIA", "MEMORY"];

/// What a complete, acceptable dump holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DumpScan {
    pub bytes: u64,
    pub sha256: String,
    /// Tables the dump creates, in its order.
    pub tables: Vec<String>,
    /// Rows the dump inserts, per table.
    pub rows: BTreeMap<String, u64>,
    /// Triggers and routines (line, what): code that runs with its definer's rights. A backup
    /// of a database that has them holds them (`--triggers --routines`); only a recorded
    /// backup may bring them (see `restore::verify`).
    pub definer_code: Vec<(u64, String)>,
}

/// Why a dump is not loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScanError {
    #[error("line {line}: {what}")]
    Refused { line: u64, what: String },
    #[error("incomplete: {0}")]
    Incomplete(String),
    #[error("unreadable: {0}")]
    Io(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Code,
    Quote(u8),
    Backtick,
    Block,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Ident(String),
    Str,
    Punct(u8),
}

#[derive(Default)]
struct Scanner {
    line: u64,
    state: Option<State>,
    escaped: bool,
    versioned: bool,
    code: Vec<u8>,
    start: u64,
    ident: Vec<u8>,
    out: DumpScan,
    locked: bool,
    footer: bool,
    last_line: Vec<u8>,
    /// `;`, or `;;` between the dump's `DELIMITER ;;` and `DELIMITER ;` lines.
    delim2: bool,
}

/// Scan a dump (see the module header).
pub fn scan(src: impl Read) -> Result<DumpScan, ScanError> {
    let mut r = BufReader::with_capacity(1 << 16, src);
    let mut s = Scanner {
        state: Some(State::Code),
        ..Scanner::default()
    };
    let mut hash = Sha256::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = r
            .read_until(b'\n', &mut buf)
            .map_err(|e| ScanError::Io(e.to_string()))?;
        if n == 0 {
            break;
        }
        hash.update(&buf);
        s.out.bytes += n as u64;
        s.line += 1;
        // A CR stays: inside a name or string it is part of it; elsewhere it is whitespace.
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if s.line == 1 && text.trim_ascii_end() == SANDBOX_LINE {
            continue;
        }
        if !text.trim_ascii().is_empty() {
            s.last_line = text.to_vec();
        }
        s.feed_line(text)?;
    }
    s.finish()?;
    let mut out = s.out;
    out.sha256 = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(out)
}

impl Scanner {
    fn refuse<T>(&self, line: u64, what: impl Into<String>) -> Result<T, ScanError> {
        Err(ScanError::Refused {
            line,
            what: what.into(),
        })
    }

    fn push(&mut self, b: u8) -> Result<(), ScanError> {
        if self.code.iter().all(u8::is_ascii_whitespace) && !b.is_ascii_whitespace() {
            self.start = self.line;
        }
        if self.code.len() >= MAX_CODE {
            return self.refuse(self.start, "a statement longer than a dump tool writes");
        }
        self.code.push(b);
        Ok(())
    }

    fn feed_line(&mut self, l: &[u8]) -> Result<(), ScanError> {
        if self.state == Some(State::Code)
            && !self.versioned
            && self.code.iter().all(u8::is_ascii_whitespace)
            && l.len() >= 10
            && l[..10].eq_ignore_ascii_case(b"DELIMITER ")
        {
            // The client's own command, as the dump tool writes it around triggers and routines.
            match l[10..].trim_ascii() {
                b";" => self.delim2 = false,
                b";;" => self.delim2 = true,
                _ => return self.refuse(self.line, "a DELIMITER this tool's backups never use"),
            }
            return Ok(());
        }
        let mut i = 0;
        while i < l.len() {
            let b = l[i];
            let next = l.get(i + 1).copied();
            match self.state.unwrap_or(State::Code) {
                State::Quote(q) => {
                    if self.escaped {
                        self.escaped = false;
                    } else if b == b'\\' {
                        self.escaped = true;
                    } else if b == q {
                        if next == Some(q) {
                            i += 1;
                        } else {
                            self.state = Some(State::Code);
                            self.push(b'\'')?;
                        }
                    }
                }
                State::Backtick => {
                    if b == b'`' && next == Some(b'`') {
                        self.ident.push(b'`');
                        i += 1;
                    } else if b == b'`' {
                        self.state = Some(State::Code);
                        let name = std::mem::take(&mut self.ident);
                        self.push(b'`')?;
                        for c in name {
                            // Kept apart from the code's own bytes: see `tokens`.
                            self.code.push(if c == b'`' { 0 } else { c });
                        }
                        self.push(b'`')?;
                    } else {
                        self.ident.push(b);
                    }
                }
                State::Block => {
                    // The client reads no command inside a comment; only a line break ends a
                    // `--` comment, and the lexer follows lines as the client does.
                    if b == b'*' && next == Some(b'/') {
                        self.state = Some(State::Code);
                        i += 1;
                    }
                }
                State::Code => {
                    let rest = &l[i..];
                    if b == b'\\' {
                        let cmd = String::from_utf8_lossy(&rest[..rest.len().min(2)]).into_owned();
                        return self.refuse(
                            self.line,
                            format!(
                                "a client command (`{}`) outside any statement's text",
                                crate::text::one_line(&cmd)
                            ),
                        );
                    }
                    if b == b'#'
                        || (rest.starts_with(b"--")
                            && rest
                                .get(2)
                                .is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_control()))
                    {
                        break;
                    }
                    if rest.starts_with(b"/*!") || rest.starts_with(b"/*M!") {
                        if self.versioned {
                            return self.refuse(self.line, "a versioned comment inside another");
                        }
                        self.versioned = true;
                        i += if rest[2] == b'M' { 4 } else { 3 };
                        while l.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                        self.push(b' ')?;
                        continue;
                    }
                    if rest.starts_with(b"/*") {
                        self.state = Some(State::Block);
                        i += 2;
                        continue;
                    }
                    if self.versioned && rest.starts_with(b"*/") {
                        self.versioned = false;
                        self.push(b' ')?;
                        i += 2;
                        continue;
                    }
                    match b {
                        b'\'' | b'"' => self.state = Some(State::Quote(b)),
                        b'`' => self.state = Some(State::Backtick),
                        b';' if self.delim2 && next != Some(b';') => self.push(b)?,
                        b';' if self.versioned => {
                            return self.refuse(self.line, "a `;` inside a versioned comment");
                        }
                        b';' => {
                            if self.delim2 {
                                i += 1;
                            }
                            self.statement()?
                        }
                        _ => self.push(b)?,
                    }
                }
            }
            i += 1;
        }
        match self.state {
            Some(State::Quote(_)) => self.escaped = false,
            Some(State::Backtick) => self.ident.push(b'\n'),
            _ => {}
        }
        if self.state == Some(State::Code) {
            self.push(b'\n')?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ScanError> {
        if self.state != Some(State::Code) || self.versioned {
            return Err(ScanError::Incomplete(format!(
                "it ends inside a string, name or comment (from line {})",
                self.start
            )));
        }
        if !self.code.iter().all(u8::is_ascii_whitespace) {
            return Err(ScanError::Incomplete(format!(
                "it ends inside the statement of line {}",
                self.start
            )));
        }
        if self.locked {
            return Err(ScanError::Incomplete(
                "it ends while a table's rows are being loaded (no UNLOCK TABLES)".into(),
            ));
        }
        if !self.footer {
            return Err(ScanError::Incomplete(
                "the footer that restores the session settings is missing".into(),
            ));
        }
        if !self.last_line.starts_with(b"-- Dump completed") {
            return Err(ScanError::Incomplete(
                "no \"-- Dump completed\" trailer on its last line".into(),
            ));
        }
        Ok(())
    }

    /// Classify the statement just ended by `;`.
    fn statement(&mut self) -> Result<(), ScanError> {
        let code = std::mem::take(&mut self.code);
        let line = self.start;
        let toks = tokens(&code);
        if toks.is_empty() {
            return Ok(());
        }
        let word = |i: usize, w: &str| matches!(toks.get(i), Some(Tok::Word(x)) if x == w);
        let ident = |i: usize| match toks.get(i) {
            Some(Tok::Ident(n)) => Some(n.clone()),
            _ => None,
        };
        let shown = || {
            let t = String::from_utf8_lossy(&code)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            crate::text::one_line(&t.chars().take(60).collect::<String>()).into_owned()
        };
        let not_ours = || ScanError::Refused {
            line,
            what: format!(
                "`{}` is not a statement this tool's backups contain",
                shown()
            ),
        };
        if let Some(what) = definer_code(&toks) {
            // Its body is SQL of any kind; its table (a trigger's) must be the dump's.
            if let Some(t) = trigger_table(&toks)
                && !self.out.tables.iter().any(|x| x.eq_ignore_ascii_case(&t))
            {
                return self.refuse(
                    line,
                    format!(
                        "a trigger on `{}`, which the dump does not create",
                        crate::text::one_line(&t)
                    ),
                );
            }
            self.out.definer_code.push((line, what.to_string()));
            self.footer = false;
            return Ok(());
        }
        if qualified(&toks) {
            return self.refuse(line, format!("`{}` names another database", shown()));
        }
        if word(0, "SET") {
            let footer = check_set(&toks[1..]).ok_or_else(not_ours)?;
            self.footer = footer;
            return Ok(());
        }
        self.footer = false;
        match (&toks[0], toks.len()) {
            (Tok::Word(w), 5)
                if w == "DROP" && word(1, "TABLE") && word(2, "IF") && word(3, "EXISTS") =>
            {
                ident(4).map(|_| ()).ok_or_else(not_ours)
            }
            (Tok::Word(w), 5)
                if w == "DROP"
                    && (word(1, "PROCEDURE") || word(1, "FUNCTION"))
                    && word(2, "IF")
                    && word(3, "EXISTS") =>
            {
                ident(4).map(|_| ()).ok_or_else(not_ours)
            }
            (Tok::Word(w), 2) if w == "UNLOCK" && word(1, "TABLES") => {
                self.locked = false;
                Ok(())
            }
            (Tok::Word(w), 4) if w == "LOCK" && word(1, "TABLES") && word(3, "WRITE") => {
                let t = ident(2).ok_or_else(not_ours)?;
                self.known(line, &t)?;
                self.locked = true;
                Ok(())
            }
            (Tok::Word(w), 5)
                if w == "ALTER"
                    && word(1, "TABLE")
                    && (word(3, "DISABLE") || word(3, "ENABLE"))
                    && word(4, "KEYS") =>
            {
                let t = ident(2).ok_or_else(not_ours)?;
                self.known(line, &t)
            }
            (Tok::Word(w), _)
                if w == "CREATE" && word(1, "TABLE") && toks.get(3) == Some(&Tok::Punct(b'(')) =>
            {
                let t = ident(2).ok_or_else(not_ours)?;
                check_create(&toks[3..]).map_err(|what| ScanError::Refused { line, what })?;
                if self.out.tables.contains(&t) {
                    return self.refuse(
                        line,
                        format!("table `{}` is created twice", crate::text::one_line(&t)),
                    );
                }
                self.out.tables.push(t);
                Ok(())
            }
            (Tok::Word(w), _) if w == "INSERT" && word(1, "INTO") && word(3, "VALUES") => {
                let t = ident(2).ok_or_else(not_ours)?;
                self.known(line, &t)?;
                let rows = count_rows(&toks[4..]).ok_or_else(|| ScanError::Refused {
                    line,
                    what: format!(
                        "an INSERT into `{}` with something other than literal values",
                        crate::text::one_line(&t)
                    ),
                })?;
                *self.out.rows.entry(t).or_default() += rows;
                Ok(())
            }
            _ => Err(not_ours()),
        }
    }

    fn known(&self, line: u64, t: &str) -> Result<(), ScanError> {
        if self.out.tables.iter().any(|x| x == t) {
            return Ok(());
        }
        self.refuse(
            line,
            format!(
                "table `{}` is used before the dump creates it",
                crate::text::one_line(t)
            ),
        )
    }
}

/// The statement's code as words (upper-cased), names, string placeholders and punctuation.
fn tokens(code: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let b = code[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'`' {
            let end = code[i + 1..]
                .iter()
                .position(|&c| c == b'`')
                .map_or(code.len(), |p| i + 1 + p);
            let raw: Vec<u8> = code[i + 1..end]
                .iter()
                .map(|&c| if c == 0 { b'`' } else { c })
                .collect();
            out.push(Tok::Ident(String::from_utf8_lossy(&raw).into_owned()));
            i = end + 1;
        } else if b == b'\'' {
            out.push(Tok::Str);
            i += 1;
        } else if b.is_ascii_alphanumeric()
            || b == b'_'
            || b == b'$'
            || b == b'.' && code.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            let start = i;
            while i < code.len()
                && (code[i].is_ascii_alphanumeric() || matches!(code[i], b'_' | b'$' | b'.'))
            {
                i += 1;
            }
            out.push(Tok::Word(
                String::from_utf8_lossy(&code[start..i]).to_ascii_uppercase(),
            ));
        } else {
            out.push(Tok::Punct(b));
            i += 1;
        }
    }
    out
}

/// `CREATE [DEFINER = x@y] TRIGGER|PROCEDURE|FUNCTION ...`: what it creates.
fn definer_code(t: &[Tok]) -> Option<&'static str> {
    if t.first() != Some(&Tok::Word("CREATE".into())) {
        return None;
    }
    let what = |x: &Tok| match x {
        Tok::Word(w) if w == "TRIGGER" => Some("trigger"),
        Tok::Word(w) if w == "PROCEDURE" => Some("procedure"),
        Tok::Word(w) if w == "FUNCTION" => Some("function"),
        _ => None,
    };
    if let Some(w) = t.get(1).and_then(what) {
        return Some(w);
    }
    // DEFINER = user@host, or = CURRENT_USER[()]: a few tokens before the word.
    if t.get(1) != Some(&Tok::Word("DEFINER".into())) {
        return None;
    }
    t.iter().skip(2).take(6).find_map(what)
}

/// The table a `CREATE ... TRIGGER name BEFORE|AFTER event ON table` is on.
fn trigger_table(t: &[Tok]) -> Option<String> {
    let on = t.iter().position(|x| *x == Tok::Word("ON".into()))?;
    match t.get(on + 1)? {
        Tok::Ident(n) => Some(n.clone()),
        Tok::Word(w) => Some(w.to_ascii_lowercase()),
        _ => None,
    }
}

/// A name followed or preceded by `.`: `db`.`t`.
fn qualified(toks: &[Tok]) -> bool {
    toks.windows(2).any(|w| {
        matches!(
            w,
            [Tok::Ident(_), Tok::Punct(b'.')] | [Tok::Punct(b'.'), Tok::Ident(_)]
        )
    }) || toks.iter().any(|t| matches!(t, Tok::Word(w) if w.contains('.') && !w.starts_with(|c: char| c.is_ascii_digit() || c == '.')))
}

/// `SET a = v, @b = v, NAMES x`: every target a user variable or a saved session setting,
/// every value one plain token. Returns whether it restores saved settings (`= @OLD_...`).
fn check_set(t: &[Tok]) -> Option<bool> {
    let mut restores = false;
    for part in t.split(|x| *x == Tok::Punct(b',')) {
        match part {
            [Tok::Word(n), rest @ ..] if n == "NAMES" => {
                if !rest.iter().all(|x| matches!(x, Tok::Word(_) | Tok::Str)) {
                    return None;
                }
            }
            _ => {
                let eq = part.iter().position(|x| *x == Tok::Punct(b'='))?;
                let ok_target = match &part[..eq] {
                    [Tok::Punct(b'@'), Tok::Word(_)] => true,
                    [Tok::Word(n)] => SESSION_SETTINGS.contains(&n.to_ascii_lowercase().as_str()),
                    _ => false,
                };
                let value = &part[eq + 1..];
                let ok_value = matches!(
                    value,
                    [Tok::Str]
                        | [Tok::Word(_)]
                        | [Tok::Punct(b'@'), Tok::Word(_)]
                        | [Tok::Punct(b'@'), Tok::Punct(b'@'), Tok::Word(_)]
                );
                if !ok_target || !ok_value {
                    return None;
                }
                if let [Tok::Punct(b'@'), Tok::Word(v)] = value {
                    restores |= v.starts_with("OLD_");
                }
            }
        }
    }
    Some(restores)
}

/// `( ...definition... ) options`: the options after the definition carry no `SELECT`, no
/// file placement, no connection to another server, and an ordinary engine.
fn check_create(t: &[Tok]) -> Result<(), String> {
    let mut depth = 0usize;
    let mut end = None;
    for (i, x) in t.iter().enumerate() {
        match x {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end.ok_or("a CREATE TABLE without its closing parenthesis")?;
    let tail = &t[end + 1..];
    for (i, x) in tail.iter().enumerate() {
        let Tok::Word(w) = x else { continue };
        match w.as_str() {
            "SELECT" | "DIRECTORY" | "CONNECTION" | "UNION" | "LIKE" | "AS" => {
                return Err(format!("a CREATE TABLE with `{w}` in its options"));
            }
            "ENGINE" => {
                let v = tail[i + 1..].iter().find(|x| **x != Tok::Punct(b'='));
                match v {
                    Some(Tok::Word(e)) if ENGINES.contains(&e.as_str()) => {}
                    _ => {
                        return Err(
                            "a CREATE TABLE with an engine this tool's backups never hold".into(),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The rows of `VALUES (...),(...)`, when every value is a literal (number, hex, string,
/// NULL, a sign). None when anything else is there (a function, a sub-query).
fn count_rows(t: &[Tok]) -> Option<u64> {
    let (mut depth, mut rows) = (0u32, 0u64);
    for x in t {
        match x {
            Tok::Punct(b'(') if depth == 0 => {
                depth = 1;
                rows += 1;
            }
            Tok::Punct(b')') if depth == 1 => depth = 0,
            Tok::Punct(b',') => {}
            Tok::Punct(b'-' | b'+') if depth == 1 => {}
            Tok::Str if depth == 1 => {}
            Tok::Word(w)
                if depth == 1
                    && (w == "NULL"
                        || w == "_BINARY"
                        || w.starts_with(|c: char| c.is_ascii_digit() || c == '.')) => {}
            _ => return None,
        }
    }
    (depth == 0).then_some(rows)
}

#[cfg(test)]
mod tests;
