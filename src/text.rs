//! Text that came from a database or a dump, made safe to print on one line.
//!
//! Names, comments, defaults, ENUM values and server messages are chosen by whoever wrote the
//! schema. Printed inside a `--` comment, a newline in them ends the comment and the rest of the
//! text becomes SQL that a reader who pipes our output into a client would run; printed on a
//! terminal, an escape sequence in them rewrites the screen. Every such text goes through
//! [`one_line`] before it is printed outside a quoted SQL literal or identifier.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every control character (C0, DEL, C1) and every Unicode line or paragraph separator
/// written as a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u{2028}`), and `*/` broken up, so the
/// result is one line that cannot end a `--` or `/* */` comment nor drive a terminal.
pub fn one_line(s: &str) -> Cow<'_, str> {
    escaped(s, true)
}

/// [`one_line`] for text that never lands inside a SQL comment (a terminal line, a JSON
/// string): control characters escaped, `*/` kept, so a pattern such as `/var/www/*/` reads
/// as it was given.
pub fn printable(s: &str) -> Cow<'_, str> {
    escaped(s, false)
}

fn escaped(s: &str, break_comment_end: bool) -> Cow<'_, str> {
    let comment_end = break_comment_end && s.contains("*/");
    if !comment_end && !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev_star = false;
    for ch in s.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if prev_star && break_comment_end => out.push_str(" /"),
            c if needs_escape(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
        prev_star = ch == '*';
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// SQL text for display: control characters inside backquoted names and quoted literals are
/// written as visible escapes (see [`one_line`]), so a name's line break cannot pass for a line
/// of the statement; the statement's own layout outside quotes is kept.
pub fn quoted_parts_visible(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for ch in sql.chars() {
        match quote {
            Some(q) => {
                if needs_escape(ch) {
                    out.push_str(&one_line(ch.encode_utf8(&mut [0; 4])));
                } else {
                    out.push(ch);
                }
                if escaped {
                    escaped = false;
                } else if ch == '\\' && q == '\'' {
                    escaped = true;
                } else if ch == q {
                    quote = None;
                }
            }
            None => {
                if ch == '`' || ch == '\'' {
                    quote = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    out
}

/// At most `max` characters of `s` (never cutting a character in two), with `…` when cut.
pub fn truncate_chars(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => Cow::Owned(format!("{}…", &s[..end])),
    }
}

/// `s` wrapped at word boundaries into lines of at most `width` columns, the first line
/// starting with `first`, the others with `rest`; a word longer than a line is cut. Widths are
/// display columns (textwrap's unicode-width), never bytes: a name in UTF-8 stays within it.
pub fn wrap(s: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let opts = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true)
        // Paths and names keep their hyphens: a line breaks only at spaces.
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines = textwrap::wrap(s, opts);
    if lines.is_empty() {
        return vec![first.trim_end().to_string()];
    }
    lines.into_iter().map(|l| l.into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_what_ends_a_comment_or_drives_a_terminal() {
        let hostile = "a\nDROP DATABASE x; -- \r\t\u{1b}[2J\u{7f}\u{85}\u{2028}*/é`'";
        let safe = one_line(hostile);
        assert_eq!(
            safe,
            "a\\nDROP DATABASE x; -- \\r\\t\\x1b[2J\\x7f\\x85\\u{2028}* /é`'"
        );
        assert!(!safe.chars().any(|c| c.is_control()));
        assert!(matches!(one_line("plain `name` é"), Cow::Borrowed(_)));
        assert_eq!(printable("/var/www/*/\x1b[2J"), "/var/www/*/\\x1b[2J");
    }

    #[test]
    fn quoted_line_breaks_become_visible_layout_stays() {
        let sql = "CREATE TABLE `a\n;x``\x1b` (\n  `c` int COMMENT 'it''s\\'\n\x07'\n)";
        assert_eq!(
            quoted_parts_visible(sql),
            "CREATE TABLE `a\\n;x``\\x1b` (\n  `c` int COMMENT 'it''s\\'\\n\\x07'\n)"
        );
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("éééé", 2), "éé…");
        assert_eq!(truncate_chars("abc", 3), "abc");
        for n in 0..6 {
            let _ = truncate_chars("aé€😀b", n);
        }
    }

    #[test]
    fn wraps_within_the_width() {
        let w = wrap("one two three four", 9, "- ", "  ");
        assert_eq!(w, vec!["- one two", "  three", "  four"]);
        let long = wrap("aaaaaaaaaaaaaaaaaaaa éééééééééééé b", 8, "", "  ");
        assert!(long.iter().all(|l| l.chars().count() <= 8), "{long:?}");
        assert_eq!(
            long.concat().replace(' ', ""),
            "aaaaaaaaaaaaaaaaaaaaééééééééééééb"
        );
        assert_eq!(wrap("", 10, "x ", " "), vec!["x "]);
    }
}
