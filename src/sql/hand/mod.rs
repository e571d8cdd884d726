//! The hand-written token reader: the grammar the tool used before sqlparser's AST, kept for
//! what the AST does not cover (see `tests/ast_gaps.rs` and `super::ast`): statements the
//! MySQL dialect rejects (MariaDB-only syntax), ALTER TABLE, INSERT rows, and
//! information_schema column types.

mod alter;
mod column;
mod cursor;
mod insert;
mod table;

pub(crate) use alter::{alter_table, create_index, drop_table};
pub use column::parse_column_type;
pub(crate) use insert::insert_rows;
pub(crate) use table::create_table;
