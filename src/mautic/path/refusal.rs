//! What the server answers a statement of the path, and what clears it: one constructor per
//! class of refusal, so each blocker names the object in the way and the fix in the user's
//! terms.

use crate::dialect::ServerError;
use crate::schema::{quote_ident, quote_string};

/// A refusal: the server's error (and InnoDB's errno inside a 1005), the object in the way,
/// why, a query that shows it and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: ServerError,
    pub errno: Option<u32>,
    /// "column mt_leads.x", "foreign key FK_1 on mt_old_leads".
    pub object: String,
    pub why: String,
    pub query: String,
    pub fix: String,
}

/// What `apply` does for a missing object: it makes the schema what the detected release has,
/// then Mautic's statement finds what it expects.
const RESTORE: &str =
    "mautic-schema apply (makes the schema what the detected release has), then run the upgrade";

fn columns_query(table: &str) -> String {
    format!(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
        quote_string(table)
    )
}

fn refusal(error: ServerError, object: String, why: String, query: String, fix: String) -> Refusal {
    Refusal {
        error,
        errno: None,
        object,
        why,
        query,
        fix,
    }
}

pub fn table_exists(table: &str) -> Refusal {
    let t = quote_ident(table);
    refusal(
        ServerError::TableExists,
        format!("table {table}"),
        format!("table {table} already exists"),
        format!("SHOW CREATE TABLE {t}; SELECT COUNT(*) FROM {t}"),
        format!(
            "RENAME TABLE {t} TO {} (keeps its rows aside; drop it once they are not needed)",
            quote_ident(&format!("{table}_before_upgrade"))
        ),
    )
}

pub fn no_table(table: &str, dropping: bool) -> Refusal {
    refusal(
        if dropping {
            ServerError::BadTable
        } else {
            ServerError::NoSuchTable
        },
        format!("table {table}"),
        format!("table {table} does not exist"),
        format!(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE {}",
            quote_string(&format!("%{table}%"))
        ),
        RESTORE.into(),
    )
}

pub fn column_exists(table: &str, column: &str) -> Refusal {
    refusal(
        ServerError::DuplicateColumn,
        format!("column {table}.{column}"),
        format!("column {table}.{column} already exists"),
        format!(
            "{} AND COLUMN_NAME = {}",
            columns_query(table),
            quote_string(column)
        ),
        format!(
            "ALTER TABLE {} DROP COLUMN {} (copy its values first if they matter)",
            quote_ident(table),
            quote_ident(column)
        ),
    )
}

pub fn no_column(table: &str, column: &str, error: ServerError) -> Refusal {
    refusal(
        error,
        format!("column {table}.{column}"),
        format!("column {table}.{column} does not exist"),
        columns_query(table),
        RESTORE.into(),
    )
}

pub fn index_exists(table: &str, index: &str) -> Refusal {
    refusal(
        ServerError::DuplicateKeyName,
        format!("index {index} on {table}"),
        format!("index {index} on {table} already exists"),
        format!(
            "SHOW INDEX FROM {} WHERE Key_name = {}",
            quote_ident(table),
            quote_string(index)
        ),
        format!(
            "ALTER TABLE {} DROP INDEX {}",
            quote_ident(table),
            quote_ident(index)
        ),
    )
}

pub fn no_key(table: &str, what: &str, name: &str) -> Refusal {
    refusal(
        ServerError::CantDropFieldOrKey,
        format!("{what} {name} on {table}"),
        format!("{what} {name} on {table} does not exist"),
        format!("SHOW CREATE TABLE {}", quote_ident(table)),
        RESTORE.into(),
    )
}

/// errno 150: the key cannot be made as written (`why` says which part).
pub fn foreign_key_malformed(table: &str, name: &str, why: String, fix: String) -> Refusal {
    Refusal {
        errno: Some(150),
        ..refusal(
            ServerError::CannotCreateTable,
            format!("foreign key {name} on {table}"),
            why,
            format!("SHOW CREATE TABLE {}", quote_ident(table)),
            fix,
        )
    }
}

/// errno 121: the constraint name is taken, maybe by a table of another install.
pub fn foreign_key_name_taken(table: &str, name: &str, owner: &str) -> Refusal {
    Refusal {
        errno: Some(121),
        ..refusal(
            ServerError::CannotCreateTable,
            format!("foreign key {name} on {owner}"),
            format!(
                "the constraint name {name} that {table} needs is already used by {owner} (names are unique in the whole database)"
            ),
            format!(
                "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = {}",
                quote_string(name)
            ),
            format!(
                "ALTER TABLE {} DROP FOREIGN KEY {} (re-create it under another name if {owner} still needs it)",
                quote_ident(owner),
                quote_ident(name)
            ),
        )
    }
}

/// 1071, 1709 or 1170 on an index.
pub fn key_refused(table: &str, index: &str, r: &crate::dialect::keys::KeyRefusal) -> Refusal {
    let t = quote_ident(table);
    let (why, fix) = if r.error == ServerError::BlobKeyWithoutLength {
        (
            format!(
                "index {index} would use {} column {table}.{} without a prefix length",
                r.column_type, r.column
            ),
            format!(
                "{table}.{} is {} here: make it what the detected release has (mautic-schema apply), then run the upgrade",
                r.column, r.column_type
            ),
        )
    } else if r.error == ServerError::IndexColumnTooLong {
        (
            format!(
                "index {index} would take {} bytes of {table}.{}; {table}'s row format allows {} a column",
                r.bytes, r.column, r.limit
            ),
            format!("ALTER TABLE {t} ROW_FORMAT=DYNAMIC (keys up to 3072 bytes)"),
        )
    } else {
        (
            format!(
                "index {index} would be {} bytes long; InnoDB allows {}",
                r.bytes, r.limit
            ),
            format!(
                "{table}.{} is wider here than the release has: make it what the detected release has (mautic-schema apply)",
                r.column
            ),
        )
    };
    refusal(
        r.error,
        format!("column {table}.{}", r.column),
        why,
        columns_query(table),
        fix,
    )
}

/// The query that shows the columns a foreign key links.
fn key_columns(key: &str) -> String {
    format!(
        "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = {}",
        quote_string(key)
    )
}

/// 1832 (`child` side) or 1833 (the referenced side): a change of a column a foreign key links
/// that leaves the two sides of different types.
pub fn linked_column(
    error: ServerError,
    table: &str,
    column: &str,
    key: &str,
    other: &str,
) -> Refusal {
    refusal(
        error,
        format!("foreign key {key}"),
        format!(
            "{table}.{column} is linked by foreign key {key} to {other}, which would then have another type"
        ),
        key_columns(key),
        format!(
            "make {other} the type the detected release gives it (mautic-schema apply), so both sides change together"
        ),
    )
}

/// A character set conversion of a column a foreign key links (`child` holds the key): the
/// server refuses it on either side (1832 on the child, 1833 on the parent), even under
/// FOREIGN_KEY_CHECKS=0 (checked on MariaDB 10.11), as `plan` knows when it drops such keys
/// first.
pub fn charset_linked(
    error: ServerError,
    table: &str,
    column: &str,
    key: &str,
    child: &str,
    other: &str,
) -> Refusal {
    refusal(
        error,
        format!("foreign key {key}"),
        format!(
            "{table}.{column} is linked by foreign key {key} to {other}: the server refuses to change its character set, even with FOREIGN_KEY_CHECKS=0"
        ),
        key_columns(key),
        format!(
            "ALTER TABLE {} DROP FOREIGN KEY {} before the upgrade; mautic-schema apply after it makes the key again",
            quote_ident(child),
            quote_ident(key)
        ),
    )
}
