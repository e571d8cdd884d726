//! The hand-written token reader: the grammar the tool used before sqlparser's AST. It stays
//! for what the AST does not cover (each case shown by `tests/ast_gaps.rs`): statements the
//! MySQL dialect rejects (MariaDB-only syntax such as `PERSISTENT`, `PAGE_CHECKSUM`,
//! `CREATE FULLTEXT INDEX`; in ALTER TABLE: table options, `DROP KEY`, `DROP CHECK`,
//! `RENAME INDEX`, `ALTER ONLINE`), an ALTER TABLE whose edit fails (which it applies up to the
//! failing operation, then marks the table unsupported), INSERT rows, data types (which information_schema
//! gives as text too) and the exact text of expressions (see `super::ast::source`).

mod alter;
mod column;
mod cursor;
mod insert;
mod table;

pub(crate) use alter::{alter_table, create_index, drop_table};
pub(crate) use column::data_type;
pub use column::parse_column_type;
pub(crate) use cursor::{Cursor, PResult, tokens_sql};
pub(crate) use insert::insert_rows;
pub(crate) use table::{
    create_table, finish_table, generated_check_name, generated_fk_name, starts_constraint,
    unique_index_name,
};
