//! Reading SQL files: splitting a dump into statements and turning DDL into the schema model.

mod ast;
mod edit;
mod hand;
mod parse;
mod rows;
mod split;

pub use hand::parse_column_type;

/// The words that start an index or constraint item inside CREATE TABLE (...) (or after ALTER
/// TABLE ... ADD) rather than a column, when unquoted: one list for the DDL reader and the
/// name-only reader of version detection (`mautic::names`, which build.rs also runs).
/// `PERIOD` starts MariaDB's `PERIOD FOR SYSTEM_TIME (...)` of a system-versioned table.
pub const ITEM_KEYWORDS: [&str; 10] = [
    "PRIMARY",
    "UNIQUE",
    "KEY",
    "INDEX",
    "FULLTEXT",
    "SPATIAL",
    "CONSTRAINT",
    "FOREIGN",
    "CHECK",
    "PERIOD",
];
pub use parse::{ParseOutcome, parse_schema_sql, parse_schema_sql_by_hand};
pub use rows::{RowValue, TableRows};
pub use split::{Statement, split_statements};
