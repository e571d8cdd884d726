//! Mautic's statements as this install runs them: effects.tsv holds them unprefixed, Mautic
//! writes `{$this->prefix}` before every table name and every declared index or constraint
//! name, and Doctrine's generated `IDX_`/`FK_`/`UNIQ_` names hash the prefixed table. The
//! names follow the fold's rules (`apply_prefix` for what a statement adds, `live_name` for
//! what it drops), so the statement rehearsed is the one the fold judged.

use std::collections::BTreeMap;

use super::World;
use crate::mautic::effects::{Effect, definition_table};
use crate::mautic::prefix::apply_prefix;
use crate::schema::{Schema, Table};

/// One statement of a migration with the install's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefixed {
    /// effects.tsv's step (1-based statement number in the migration).
    pub step: u32,
    /// As effects.tsv has it (tables unprefixed), for messages.
    pub unprefixed: String,
    pub sql: String,
}

/// The schema statements of one migration (`effects`, one row per clause), each once, in
/// order, with the prefix applied; `model` is the schema they meet (for the names of what
/// they drop).
pub fn statements(effects: &[Effect], model: &Schema, w: &World) -> Vec<Prefixed> {
    let mut out: Vec<Prefixed> = Vec::new();
    for e in effects
        .iter()
        .filter(|e| e.step > 0 && super::is_schema_op(e.op))
    {
        if out
            .iter()
            .any(|p| p.step == e.step && p.unprefixed == e.sql)
        {
            continue;
        }
        let clauses: Vec<&Effect> = effects
            .iter()
            .filter(|x| x.step == e.step && x.sql == e.sql)
            .collect();
        let names = names(&clauses, model, w);
        out.push(Prefixed {
            step: e.step,
            unprefixed: e.sql.clone(),
            sql: prefix_sql(&e.sql, &w.prefix, &names),
        });
    }
    out
}

/// Lower-case unprefixed index/constraint name → the name on this install, for every name
/// the statement's clauses add or drop.
fn names(clauses: &[&Effect], model: &Schema, w: &World) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if w.prefix.is_empty() {
        return out;
    }
    for e in clauses {
        let table = format!("{}{}", w.prefix, e.table);
        let live = model.table(&table);
        if let Some(t) = definition_table(&e.table, &e.definition, live, &w.server) {
            for (old, new) in added_names(t, &w.prefix) {
                out.insert(old.to_ascii_lowercase(), new);
            }
        }
        if !e.object.is_empty()
            && let Some(Some(n)) = live.and_then(|t| dropped_name(t, e, w))
        {
            out.insert(e.object.to_ascii_lowercase(), n);
        }
    }
    out
}

/// The names a definition adds, before and after the prefix (`apply_prefix`, as the fold).
fn added_names(t: Table, prefix: &str) -> Vec<(String, String)> {
    let before: Vec<String> = t
        .indexes
        .iter()
        .map(|i| i.name.clone())
        .chain(t.foreign_keys.iter().map(|f| f.name.clone()))
        .collect();
    let mut s = Schema::default();
    s.insert(t);
    apply_prefix(&mut s, prefix);
    let Some(t) = s.tables.into_values().next() else {
        return vec![];
    };
    let after = t
        .indexes
        .iter()
        .map(|i| i.name.clone())
        .chain(t.foreign_keys.iter().map(|f| f.name.clone()));
    before.into_iter().zip(after).collect()
}

/// The name of the key `e` drops, as the install has it (`live_name`).
fn dropped_name(t: &Table, e: &Effect, w: &World) -> Option<Option<String>> {
    let names: Vec<(&str, Vec<&str>)> = t
        .indexes
        .iter()
        .map(|i| {
            (
                i.name.as_str(),
                i.parts.iter().map(|p| p.column.as_str()).collect(),
            )
        })
        .chain(t.foreign_keys.iter().map(|f| {
            (
                f.name.as_str(),
                f.columns.iter().map(String::as_str).collect(),
            )
        }))
        .collect();
    super::apply::live_name(&names, &e.object, &e.table, w)
}

/// A lexical piece of a statement: a word (bare or back-quoted identifier, keyword), or
/// anything else copied as it is (strings, comments, punctuation, space).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Word { text: &'a str, quoted: bool },
    Other(&'a str),
}

fn pieces(sql: &str) -> Vec<Piece<'_>> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let end_of = |from: usize, close: u8| {
            let mut j = from;
            while j < b.len() {
                if b[j] == b'\\' && close != b'`' {
                    j += 2;
                    continue;
                }
                if b[j] == close {
                    return j + 1;
                }
                j += 1;
            }
            b.len()
        };
        if c == b'`' {
            i = end_of(i + 1, b'`');
            let inner = &sql[start + 1..i.saturating_sub(1).max(start + 1)];
            out.push(Piece::Word {
                text: inner,
                quoted: true,
            });
            continue;
        }
        i = if c == b'\'' || c == b'"' {
            end_of(i + 1, c)
        } else if c == b'#' || (c == b'-' && b.get(i + 1) == Some(&b'-')) {
            sql[i..].find('\n').map_or(b.len(), |n| i + n)
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            sql[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2)
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
            let mut j = i;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'$' || b[j] >= 0x80)
            {
                j += 1;
            }
            out.push(Piece::Word {
                text: &sql[i..j],
                quoted: false,
            });
            i = j;
            continue;
        } else {
            i + 1
        };
        out.push(Piece::Other(&sql[start..i]));
    }
    out
}

/// What the next identifier is, from the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Nothing,
    Table,
    Key,
}

/// `sql` with `prefix` before every table name and the install's spelling of every index or
/// constraint name (`names`, lower-case unprefixed → install's; a declared name not in it
/// gets the prefix, a generated one stays).
pub fn prefix_sql(sql: &str, prefix: &str, names: &BTreeMap<String, String>) -> String {
    if prefix.is_empty() {
        return sql.to_string();
    }
    let pieces = pieces(sql);
    let mut out = String::with_capacity(sql.len() + 32);
    let mut expect = Expect::Nothing;
    let mut last = String::new(); // the previous bare word, upper-case
    let mut after_key = false; // the previous word was an index name (RENAME INDEX a TO b)
    let rename_table = sql
        .trim_start()
        .get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("RENAME"));
    for p in pieces {
        let (text, quoted) = match p {
            Piece::Other(o) => {
                if o == "(" || o == ";" {
                    expect = Expect::Nothing;
                }
                out.push_str(o);
                continue;
            }
            Piece::Word { text, quoted } => (text, quoted),
        };
        let upper = text.to_ascii_uppercase();
        let keyword = !quoted && is_keyword(&upper);
        if !keyword && (expect != Expect::Nothing || rename_table) {
            let name = match expect {
                Expect::Key => key_name(text, prefix, names),
                _ => format!("{prefix}{text}"),
            };
            push_ident(&mut out, &name, quoted);
            after_key = expect == Expect::Key;
            expect = Expect::Nothing;
            last.clear();
            continue;
        }
        if quoted {
            push_ident(&mut out, text, true);
            after_key = false;
            last.clear();
            continue;
        }
        out.push_str(text);
        let key_renamed = std::mem::take(&mut after_key);
        expect = match upper.as_str() {
            "TO" if key_renamed => Expect::Key,
            "TABLE" | "REFERENCES" => Expect::Table,
            "ON" if last == "INDEX" || expect == Expect::Nothing && index_on(&last) => {
                Expect::Table
            }
            "TO" | "AS" if last == "RENAME" => Expect::Table,
            "INDEX" | "KEY" if last != "PRIMARY" => Expect::Key,
            "CONSTRAINT" => Expect::Key,
            // IF [NOT] EXISTS, UNIQUE, FULLTEXT ... keep waiting for the name.
            "IF" | "NOT" | "EXISTS" if expect != Expect::Nothing => expect,
            _ => Expect::Nothing,
        };
        last = upper;
    }
    out
}

/// `ON` after an index name (`CREATE INDEX x ON t`), not `ON DELETE`: the word before `ON`
/// was the index name, which the caller cleared.
fn index_on(last: &str) -> bool {
    last.is_empty()
}

fn key_name(text: &str, prefix: &str, names: &BTreeMap<String, String>) -> String {
    if let Some(n) = names.get(&text.to_ascii_lowercase()) {
        return n.clone();
    }
    if crate::mautic::evidence::is_generated_name(text) {
        text.to_string()
    } else {
        format!("{prefix}{text}")
    }
}

fn push_ident(out: &mut String, name: &str, quoted: bool) {
    if quoted {
        out.push('`');
        out.push_str(&name.replace('`', "``"));
        out.push('`');
    } else {
        out.push_str(name);
    }
}

/// The words that may stand where a name is awaited without being one.
fn is_keyword(upper: &str) -> bool {
    matches!(
        upper,
        "IF" | "NOT"
            | "EXISTS"
            | "TABLE"
            | "INDEX"
            | "KEY"
            | "ON"
            | "TO"
            | "AS"
            | "DELETE"
            | "UPDATE"
            | "CASCADE"
            | "RESTRICT"
            | "SET"
            | "NULL"
            | "NO"
            | "ACTION"
            | "PRIMARY"
            | "FOREIGN"
            | "UNIQUE"
            | "FULLTEXT"
            | "SPATIAL"
            | "CONSTRAINT"
            | "REFERENCES"
            | "RENAME"
            | "USING"
            | "BTREE"
            | "HASH"
            | "ALGORITHM"
            | "LOCK"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixed(sql: &str) -> String {
        let names = BTreeMap::from([("idx_a6494c8f5da1941".into(), "IDX_99B121615DA1941".into())]);
        prefix_sql(sql, "mautic_", &names)
    }

    #[test]
    fn tables_and_declared_names_get_the_prefix() {
        assert_eq!(
            prefixed("CREATE INDEX stat_email_search2 ON email_stats (lead_id, email_id)"),
            "CREATE INDEX mautic_stat_email_search2 ON mautic_email_stats (lead_id, email_id)"
        );
        assert_eq!(
            prefixed(
                "ALTER TABLE `point_triggers` ADD CONSTRAINT `FK_9CABD32FFE54D947` FOREIGN KEY (`group_id`) REFERENCES `point_groups` (`id`) ON DELETE CASCADE"
            ),
            "ALTER TABLE `mautic_point_triggers` ADD CONSTRAINT `FK_9CABD32FFE54D947` FOREIGN KEY (`group_id`) REFERENCES `mautic_point_groups` (`id`) ON DELETE CASCADE"
        );
        assert_eq!(
            prefixed("DROP INDEX tweet_text_index ON tweets"),
            "DROP INDEX mautic_tweet_text_index ON mautic_tweets"
        );
        assert_eq!(
            prefixed("ALTER TABLE t RENAME INDEX a TO b, RENAME COLUMN c TO d"),
            "ALTER TABLE mautic_t RENAME INDEX mautic_a TO mautic_b, RENAME COLUMN c TO d"
        );
        assert_eq!(
            prefixed("RENAME TABLE a TO b"),
            "RENAME TABLE mautic_a TO mautic_b"
        );
    }

    #[test]
    fn generated_names_follow_the_map_and_strings_stay() {
        assert_eq!(
            prefixed(
                "ALTER TABLE asset_downloads DROP INDEX IDX_A6494C8F5DA1941, ADD x TEXT COMMENT 'ON leads TABLE y'"
            ),
            "ALTER TABLE mautic_asset_downloads DROP INDEX IDX_99B121615DA1941, ADD x TEXT COMMENT 'ON leads TABLE y'"
        );
        assert_eq!(
            prefixed(
                "# Dump of table x\nCREATE TABLE IF NOT EXISTS `s` (\n  `id` int, KEY `k` (`id`), PRIMARY KEY (`id`)) ENGINE=InnoDB"
            ),
            "# Dump of table x\nCREATE TABLE IF NOT EXISTS `mautic_s` (\n  `id` int, KEY `mautic_k` (`id`), PRIMARY KEY (`id`)) ENGINE=InnoDB"
        );
    }

    #[test]
    fn no_prefix_is_the_statement_itself() {
        let sql = "CREATE INDEX a ON b (c)";
        assert_eq!(prefix_sql(sql, "", &BTreeMap::new()), sql);
    }
}
