//! A name-only reader of CREATE TABLE statements: table names and their column names, nothing
//! else. Version detection compares these against every bundled reference; build.rs runs the
//! same code at build time, so the binary carries the names ready-made. Only `std` and
//! `crate::sql` here: build.rs includes this file and `src/sql` on their own.

use std::collections::{BTreeMap, BTreeSet};

/// Table name → lower-case column names.
pub type Names = BTreeMap<String, BTreeSet<String>>;

use crate::sql::ITEM_KEYWORDS;

fn unquote(word: &str) -> String {
    word.trim_matches(['`', '"']).to_string()
}

/// The top-level items of `( ... )` at the start of `body`, respecting quotes and nesting.
fn items(body: &str) -> Vec<&str> {
    let bytes = body.as_bytes();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => {
                depth += 1;
                if depth == 1 {
                    start = i + 1;
                }
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    out.push(&body[start..i]);
                    return out;
                }
            }
            b',' if depth == 1 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Names from statements already split (only `CREATE TABLE` ones are read).
pub fn names_from_statements<'a>(statements: impl IntoIterator<Item = &'a str>) -> Names {
    let mut out = Names::new();
    for text in statements {
        let mut words = text.split_whitespace();
        let is_create = words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
            && words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("TABLE"));
        if !is_create {
            continue;
        }
        let Some(open) = text.find('(') else { continue };
        let name = text[..open]
            .split_whitespace()
            .last()
            .map(|n| unquote(n.rsplit('.').next().unwrap_or(n)))
            .unwrap_or_default();
        let cols: BTreeSet<String> = items(&text[open..])
            .into_iter()
            .filter_map(|item| {
                let first = item.split_whitespace().next()?;
                let keyword = !first.starts_with(['`', '"'])
                    && ITEM_KEYWORDS.contains(&first.to_ascii_uppercase().as_str());
                (!keyword).then(|| unquote(first).to_ascii_lowercase())
            })
            .collect();
        out.insert(name, cols);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_from_both_ddl_styles() {
        let n = super::names_from_statements([
            "CREATE TABLE a (id INT NOT NULL, `b` VARCHAR(5) DEFAULT 'x,y' COMMENT 'p(q', c ENUM('1','2'), INDEX i (b), PRIMARY KEY(id)) ENGINE=InnoDB",
            "CREATE TABLE `key` (\n  `key` int(11) NOT NULL,\n  `x` decimal(10,2),\n  KEY `k` (`key`),\n  CONSTRAINT `f` FOREIGN KEY (`x`) REFERENCES a (id)\n) ENGINE=InnoDB",
        ]);
        assert_eq!(
            n["a"].iter().cloned().collect::<Vec<_>>(),
            vec!["b", "c", "id"]
        );
        assert_eq!(
            n["key"].iter().cloned().collect::<Vec<_>>(),
            vec!["key", "x"]
        );
    }
}
