//! InnoDB's key length limits, as the server counts them: a key may be 3072 bytes long (error
//! 1071); one key part may take 3072 bytes of a column with DYNAMIC/COMPRESSED rows (the
//! default since MariaDB 10.2.2 and MySQL 5.7.9), 767 with COMPACT/REDUNDANT rows or before
//! (InnoDB's own check, error 1709, verified on MariaDB 10.11 by tests/preflight_path.rs); a
//! BLOB/TEXT key part needs a prefix length (error 1170). One place for both `apply`'s
//! pre-checks and the upgrade path.

use super::{ServerError, ServerInfo};
use crate::schema::{Column, Index, IndexKind, Table};

/// Why the server refuses an index: the error, the column it stops at (1170) and the key's
/// length against the table's limit (1071).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRefusal {
    pub error: ServerError,
    pub column: String,
    pub column_type: String,
    pub bytes: u64,
    pub limit: u64,
}

/// Bytes a character takes at most in the column's character set (an unknown set counts as
/// the widest: a limit check must not under-count).
pub fn bytes_per_char(c: &Column) -> u64 {
    let cs = c
        .charset
        .as_deref()
        .or_else(|| {
            c.collation
                .as_deref()
                .map(crate::schema::canonical::charset_of_collation)
        })
        .unwrap_or("");
    u64::from(super::charsets::max_bytes_or_widest(cs))
}

/// The longest key InnoDB takes.
pub const KEY_LIMIT: u64 = 3072;

/// The most bytes one key part may take of a column in this table.
pub fn column_limit(t: &Table, server: &ServerInfo) -> u64 {
    match t.options.row_format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("COMPACT") || f.eq_ignore_ascii_case("REDUNDANT") => 767,
        Some(_) => 3072,
        None if server.large_prefix_by_default() => 3072,
        None => 767,
    }
}

/// Whether the server refuses index `i` of table `t` (1170, 1709 or 1071); full-text and spatial
/// indexes have no such limit.
pub fn key_refusal(t: &Table, i: &Index, server: &ServerInfo) -> Option<KeyRefusal> {
    if matches!(i.kind, IndexKind::Fulltext | IndexKind::Spatial) {
        return None;
    }
    let per_column = column_limit(t, server);
    let mut total = 0u64;
    let mut longest = None;
    for part in &i.parts {
        let Some(c) = t.column(&part.column) else {
            continue;
        };
        let blob =
            c.ty.name.ends_with("text") || c.ty.name.ends_with("blob") || c.ty.name == "json";
        if blob && part.prefix.is_none() {
            return Some(KeyRefusal {
                error: ServerError::BlobKeyWithoutLength,
                column: c.name.clone(),
                column_type: c.ty.name.clone(),
                bytes: 0,
                limit: per_column,
            });
        }
        let bytes = part_bytes(c, part.prefix);
        if bytes > per_column && per_column < KEY_LIMIT {
            return Some(KeyRefusal {
                error: ServerError::IndexColumnTooLong,
                column: c.name.clone(),
                column_type: c.ty.name.clone(),
                bytes,
                limit: per_column,
            });
        }
        if longest.is_none_or(|(b, _): (u64, &Column)| bytes > b) {
            longest = Some((bytes, c));
        }
        total += bytes;
    }
    let (_, c) = longest?;
    (total > KEY_LIMIT).then(|| KeyRefusal {
        error: ServerError::KeyTooLong,
        column: c.name.clone(),
        column_type: c.ty.name.clone(),
        bytes: total,
        limit: KEY_LIMIT,
    })
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
