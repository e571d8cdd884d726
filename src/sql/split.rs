//! Statement splitter for dump files (mysqldump, mariadb-dump, Navicat, SQLyog, Doctrine DDL).
//!
//! sqlparser cannot read a whole dump (`DELIMITER`, `/*!40000 ... */`, MariaDB-only options),
//! so statements are split here with a byte scanner that knows quotes, comments and
//! `DELIMITER`, and only the statements worth parsing are tokenized later. Large INSERTs are
//! skipped at scanning speed without being tokenized.

/// One statement: its text (without the delimiter) and the line it starts on.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    pub text: &'a str,
    pub line: usize,
    /// False when the file ended before the statement's delimiter: a cut-off dump.
    pub terminated: bool,
}

impl Statement<'_> {
    /// First words of the statement, upper-cased, for cheap dispatch without tokenizing.
    pub fn head(&self, words: usize) -> String {
        self.text
            .split(|c: char| c.is_whitespace() || c == '(' || c == '`')
            .filter(|w| !w.is_empty())
            .take(words)
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase()
    }
}

/// Split `src` into statements. Comments before a statement are skipped; a statement that is
/// only a MySQL conditional comment (`/*!40101 SET ... */`) is returned as is, so callers can
/// ignore it by its first characters.
pub fn split_statements(src: &str) -> Vec<Statement<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut delimiter: Vec<u8> = b";".to_vec();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        // Skip whitespace and comments between statements.
        let (next, lines) = skip_gap(bytes, i);
        line += lines;
        i = next;
        if i >= bytes.len() {
            break;
        }
        if starts_with_ci(&bytes[i..], b"DELIMITER")
            && bytes.get(i + 9).is_some_and(|b| b.is_ascii_whitespace())
        {
            let end = memchr_nl(bytes, i);
            let d = src[i + 9..end].trim();
            if !d.is_empty() {
                delimiter = d.as_bytes().to_vec();
            }
            i = end;
            continue;
        }
        let start = i;
        let start_line = line;
        let mut j = i;
        let end;
        let mut terminated = true;
        loop {
            if j >= bytes.len() {
                end = bytes.len();
                i = end;
                terminated = false;
                break;
            }
            let b = bytes[j];
            match b {
                b'\n' => {
                    line += 1;
                    j += 1;
                }
                b'\'' | b'"' | b'`' => {
                    let (k, l) = skip_quoted(bytes, j);
                    line += l;
                    j = k;
                }
                b'-' if bytes.get(j + 1) == Some(&b'-')
                    && bytes.get(j + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
                {
                    j = memchr_nl(bytes, j);
                }
                b'#' => j = memchr_nl(bytes, j),
                b'/' if bytes.get(j + 1) == Some(&b'*') => {
                    let (k, l) = skip_block_comment(bytes, j);
                    line += l;
                    j = k;
                }
                _ if b == delimiter[0] && bytes[j..].starts_with(&delimiter) => {
                    end = j;
                    i = j + delimiter.len();
                    break;
                }
                _ => j += 1,
            }
        }
        let text = src[start..end].trim_end();
        if !text.is_empty() {
            out.push(Statement {
                text,
                line: start_line,
                terminated,
            });
        }
    }
    out
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn memchr_nl(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// Returns the index after the closing quote and the number of newlines inside.
fn skip_quoted(bytes: &[u8], start: usize) -> (usize, usize) {
    let q = bytes[start];
    let mut j = start + 1;
    let mut lines = 0;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if q != b'`' => j += 2,
            b'\n' => {
                lines += 1;
                j += 1;
            }
            c if c == q => return (j + 1, lines),
            _ => j += 1,
        }
    }
    (bytes.len(), lines)
}

fn skip_block_comment(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut j = start + 2;
    let mut lines = 0;
    while j + 1 < bytes.len() {
        if bytes[j] == b'*' && bytes[j + 1] == b'/' {
            return (j + 2, lines);
        }
        if bytes[j] == b'\n' {
            lines += 1;
        }
        j += 1;
    }
    (bytes.len(), lines)
}

/// Skip whitespace and plain comments. Conditional comments (`/*!`, `/*M!`) are statements
/// in their own right and are not skipped here.
fn skip_gap(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let mut lines = 0;
    loop {
        match bytes.get(i) {
            Some(b'\n') => {
                lines += 1;
                i += 1;
            }
            Some(c) if c.is_ascii_whitespace() => i += 1,
            Some(b'-')
                if bytes.get(i + 1) == Some(&b'-')
                    && bytes.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
            {
                i = memchr_nl(bytes, i)
            }
            Some(b'#') => i = memchr_nl(bytes, i),
            Some(b'/')
                if bytes.get(i + 1) == Some(&b'*')
                    && !matches!(bytes.get(i + 2), Some(b'!') | Some(b'M')) =>
            {
                let (k, l) = skip_block_comment(bytes, i);
                lines += l;
                i = k;
            }
            _ => return (i, lines),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_dump_constructs() {
        let src = "-- header\n/*!40101 SET NAMES utf8 */;\nCREATE TABLE `a;b` (\n  x varchar(5) DEFAULT 'x;y\\';z' -- c;\n);\n\
                   INSERT INTO t VALUES ('a;\\'b\n;');\nDELIMITER ;;\nCREATE TRIGGER t BEGIN SELECT 1; END ;;\nDELIMITER ;\nSELECT 2;";
        let st = split_statements(src);
        let texts: Vec<&str> = st.iter().map(|s| s.text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts[0].starts_with("/*!40101"));
        assert!(texts[1].starts_with("CREATE TABLE `a;b`"));
        assert_eq!(st[1].line, 3);
        assert!(texts[2].starts_with("INSERT"));
        assert_eq!(texts[3], "CREATE TRIGGER t BEGIN SELECT 1; END");
        assert_eq!(texts[4], "SELECT 2");
        assert_eq!(st[4].line, 11);
        assert_eq!(st[1].head(2), "CREATE TABLE");
    }
}
