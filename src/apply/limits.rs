//! InnoDB's static limits, checked on the planned state of each table the plan touches (what
//! the table will be once its statements ran, created tables included): 64 indexes, 65,535
//! bytes of row, a BLOB/TEXT key part without a length (error 1170), and the key length limit
//! (767 bytes on COMPACT/REDUNDANT rows and old servers, 3072 otherwise; error 1071). Pure: the
//! rehearsal catches the same refusals on the server, these say why in the user's terms first.

use std::collections::BTreeMap;

use super::planned::Planned;
use super::prechecks::Failure;
use crate::dialect::ServerInfo;
use crate::schema::{Column, Index, IndexKind, Table, quote_string};

pub fn check(
    planned: &BTreeMap<String, Planned>,
    server: &ServerInfo,
    failures: &mut Vec<Failure>,
) {
    for (name, p) in planned {
        let t = &p.table;
        index_count(name.as_str(), t, failures);
        row_size(name.as_str(), t, failures);
        let limit = key_limit(t, server);
        for i in t
            .indexes
            .iter()
            .filter(|i| p.changed_indexes.contains(&i.name.to_ascii_lowercase()))
        {
            key_parts(name, t, i, limit, failures);
        }
    }
}

/// Whether index `i` can be built on table `t` as it stands (no BLOB/TEXT part without a
/// prefix, within the key length the table's rows allow): the Mautic layer asks it of a
/// needed index on a column a legacy rule tolerates.
pub fn index_fits(t: &Table, i: &Index, server: &ServerInfo) -> bool {
    let mut failures = Vec::new();
    key_parts(&t.name, t, i, key_limit(t, server), &mut failures);
    failures.is_empty()
}

fn columns_query(t: &str) -> String {
    format!(
        "SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
        quote_string(t)
    )
}

fn index_count(name: &str, t: &Table, failures: &mut Vec<Failure>) {
    if t.indexes.len() > 64 {
        failures.push(Failure {
            check: "index limit",
            message: format!(
                "{name} would have {} indexes; InnoDB allows 64",
                t.indexes.len()
            ),
            investigate: format!(
                "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
                quote_string(name)
            ),
        });
    }
}

/// Bytes a character takes at most in the column's character set (an unknown set counts as
/// the widest: a limit check must not under-count).
fn bytes_per_char(c: &Column) -> u64 {
    let cs = c
        .charset
        .as_deref()
        .or_else(|| {
            c.collation
                .as_deref()
                .map(crate::schema::canonical::charset_of_collation)
        })
        .unwrap_or("");
    u64::from(crate::dialect::charsets::max_bytes_or_widest(cs))
}

fn row_size(name: &str, t: &Table, failures: &mut Vec<Failure>) {
    let bytes: u64 = t
        .columns
        .iter()
        .filter(|c| {
            matches!(
                c.ty.name.as_str(),
                "varchar" | "char" | "varbinary" | "binary"
            )
        })
        .map(|c| {
            let per = if c.ty.name.ends_with("binary") {
                1
            } else {
                bytes_per_char(c)
            };
            u64::from(c.ty.length.unwrap_or(1)) * per + 2
        })
        .sum();
    if bytes > 65_535 {
        failures.push(Failure {
            check: "row size",
            message: format!("{name} would need up to {bytes} bytes per row in VARCHAR/CHAR columns; the limit is 65,535 (error 1118)"),
            investigate: columns_query(name),
        });
    }
}

/// The longest key InnoDB takes for this table: 3072 bytes with DYNAMIC/COMPRESSED rows (the
/// default since MariaDB 10.2.2 and MySQL 5.7.9), 767 with COMPACT/REDUNDANT rows or before.
fn key_limit(t: &Table, server: &ServerInfo) -> u64 {
    match t.options.row_format.as_deref() {
        Some("COMPACT") | Some("REDUNDANT") => 767,
        Some(_) => 3072,
        None if server.large_prefix_by_default() => 3072,
        None => 767,
    }
}

fn key_parts(table: &str, t: &Table, i: &Index, limit: u64, failures: &mut Vec<Failure>) {
    if matches!(i.kind, IndexKind::Fulltext | IndexKind::Spatial) {
        return;
    }
    let mut total = 0u64;
    for part in &i.parts {
        let Some(c) = t.column(&part.column) else {
            continue;
        };
        let blob =
            c.ty.name.ends_with("text") || c.ty.name.ends_with("blob") || c.ty.name == "json";
        if blob && part.prefix.is_none() {
            failures.push(Failure {
                check: "key length",
                message: format!(
                    "{table}: index {} would use {} column {} without a prefix length (error 1170)",
                    i.name, c.ty.name, c.name
                ),
                investigate: columns_query(table),
            });
            return;
        }
        total += part_bytes(c, part.prefix);
    }
    if total > limit {
        failures.push(Failure {
            check: "key length",
            message: format!(
                "{table}: index {} would be {total} bytes long; this table's rows allow {limit} (error 1071)",
                i.name
            ),
            investigate: columns_query(table),
        });
    }
}

/// Bytes one key part takes at most: characters times the character set's width for strings
/// (a prefix counts characters), a fixed width for the rest.
fn part_bytes(c: &Column, prefix: Option<u32>) -> u64 {
    let ty = &c.ty;
    match ty.name.as_str() {
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" => {
            let chars = prefix.map(u64::from).or(ty.capacity()).unwrap_or(1);
            chars.min(ty.capacity().unwrap_or(u64::MAX)) * bytes_per_char(c)
        }
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => {
            let n = prefix.map(u64::from).or(ty.capacity()).unwrap_or(1);
            n.min(ty.capacity().unwrap_or(u64::MAX))
        }
        "tinyint" => 1,
        "smallint" => 2,
        "mediumint" => 3,
        "int" | "float" | "date" => 4,
        "bigint" | "double" | "datetime" | "timestamp" => 8,
        _ => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnType, IndexPart};

    fn varchar(name: &str, len: u32, charset: &str) -> Column {
        let mut c = Column::new(name, ColumnType::named("varchar").with_length(len));
        c.charset = Some(charset.into());
        c
    }

    fn index(name: &str, col: &str, prefix: Option<u32>) -> Index {
        Index {
            name: name.into(),
            kind: IndexKind::Plain,
            parts: vec![IndexPart {
                prefix,
                ..IndexPart::new(col)
            }],
            comment: String::new(),
        }
    }

    /// (column, row format, key prefix, the failure expected).
    type KeyCase = (
        Column,
        Option<&'static str>,
        Option<u32>,
        Option<&'static str>,
    );

    /// The cases InnoDB decides, as data.
    #[test]
    fn key_limits_as_the_server_counts_them() {
        let server = ServerInfo::parse("10.11.19-MariaDB");
        let cases: &[KeyCase] = &[
            (varchar("a", 191, "utf8mb4"), Some("COMPACT"), None, None),
            (
                varchar("a", 192, "utf8mb4"),
                Some("COMPACT"),
                None,
                Some("768 bytes"),
            ),
            (varchar("a", 255, "utf8mb4"), None, None, None),
            (varchar("a", 255, "utf8"), Some("REDUNDANT"), None, None),
            (varchar("a", 800, "utf8mb4"), None, None, Some("3200 bytes")),
            (varchar("a", 800, "utf8mb4"), None, Some(191), None),
            // MySQL's gb18030 takes up to 4 bytes a character (was counted as 1: no failure).
            (varchar("a", 800, "gb18030"), None, None, Some("3200 bytes")),
            (varchar("a", 800, "big5"), None, None, None),
            (
                Column::new("a", ColumnType::named("text")),
                None,
                None,
                Some("error 1170"),
            ),
            (
                Column::new("a", ColumnType::named("text")),
                None,
                Some(100),
                None,
            ),
        ];
        for (col, row_format, prefix, want) in cases {
            let mut t = Table::new("t");
            t.columns.push(col.clone());
            t.options.row_format = row_format.map(str::to_string);
            let i = index("i", "a", *prefix);
            let mut failures = Vec::new();
            key_parts("t", &t, &i, key_limit(&t, &server), &mut failures);
            match want {
                None => assert!(failures.is_empty(), "{col:?} {row_format:?}: {failures:?}"),
                Some(w) => assert!(
                    failures.len() == 1 && failures[0].message.contains(w),
                    "{col:?} {row_format:?}: {failures:?}"
                ),
            }
        }
    }
}
