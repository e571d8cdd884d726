//! Reading SQL files: splitting a dump into statements and turning DDL into the schema model.

mod ast;
mod edit;
mod hand;
mod parse;
mod rows;
mod split;

pub use hand::parse_column_type;
pub use parse::{ParseOutcome, parse_schema_sql, parse_schema_sql_by_hand};
pub use rows::{RowValue, TableRows};
pub use split::{Statement, split_statements};
