//! InnoDB's static limits, checked on the planned state of each table the plan touches (what
//! the table will be once its statements ran, created tables included): 64 indexes, 65,535
//! bytes of row, a BLOB/TEXT key part without a length (error 1170), and the key length limit
//! (a key part may take 767 bytes of a column on COMPACT/REDUNDANT rows and old servers, error
//! 1709; a key 3072 bytes, error 1071; the limits
//! themselves are `dialect::keys`, shared with the upgrade path). Pure: the
//! rehearsal catches the same refusals on the server, these say why in the user's terms first.

use std::collections::BTreeMap;

use super::planned::Planned;
use super::prechecks::Failure;
use crate::dialect::{ServerError, ServerInfo};
use crate::schema::{Index, Table, quote_string};

pub fn check(
    planned: &BTreeMap<String, Planned>,
    server: &ServerInfo,
    failures: &mut Vec<Failure>,
) {
    for (name, p) in planned {
        let t = &p.table;
        index_count(name.as_str(), t, failures);
        row_size(name.as_str(), t, failures);
        for i in t
            .indexes
            .iter()
            .filter(|i| p.changed_indexes.contains(&i.name.to_ascii_lowercase()))
        {
            key_parts(name, t, i, server, failures);
        }
    }
}

/// Whether index `i` can be built on table `t` as it stands (no BLOB/TEXT part without a
/// prefix, within the key length the table's rows allow): the Mautic layer asks it of a
/// needed index on a column a legacy rule tolerates.
pub fn index_fits(t: &Table, i: &Index, server: &ServerInfo) -> bool {
    let mut failures = Vec::new();
    key_parts(&t.name, t, i, server, &mut failures);
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
                crate::dialect::keys::bytes_per_char(c)
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

/// An index the server would refuse, in the user's terms (the limits are `dialect::keys`).
fn key_parts(table: &str, t: &Table, i: &Index, server: &ServerInfo, failures: &mut Vec<Failure>) {
    let Some(r) = crate::dialect::keys::key_refusal(t, i, server) else {
        return;
    };
    let message = if r.error == ServerError::BlobKeyWithoutLength {
        format!(
            "{table}: index {} would use {} column {} without a prefix length (error {})",
            i.name,
            r.column_type,
            r.column,
            r.error.number()
        )
    } else if r.error == ServerError::IndexColumnTooLong {
        format!(
            "{table}: index {} would take {} bytes of column {}; this table's rows allow {} a column (error {})",
            i.name,
            r.bytes,
            r.column,
            r.limit,
            r.error.number()
        )
    } else {
        format!(
            "{table}: index {} would be {} bytes long; InnoDB allows {} (error {})",
            i.name,
            r.bytes,
            r.limit,
            r.error.number()
        )
    };
    failures.push(Failure {
        check: "key length",
        message,
        investigate: columns_query(table),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ColumnType, IndexKind, IndexPart};

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
            key_parts("t", &t, &i, &server, &mut failures);
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
