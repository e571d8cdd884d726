//! The schema model: plain data, no I/O and no SQL strings where a typed value fits.
//!
//! Both sides of a comparison (a live server, a dump file, a reference file) are turned into
//! this model and normalized (see `crate::dialect`) before they are compared.

pub mod canonical;
mod types;

pub use canonical::{create_table_sql, quote_ident, quote_string};
pub use types::ColumnType;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole database (or the subset of it that is compared), keyed by table name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn insert(&mut self, table: Table) {
        self.tables.insert(table.name.clone(), table);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// PRIMARY KEY included, as an index of kind `Primary`.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    pub options: TableOptions,
    /// Set when part of the definition could not be understood: such a table is shown, never
    /// silently compared as if it were complete.
    pub unsupported: Option<String>,
}

impl Table {
    /// Add `index`, replacing one of the same name (names compare case-insensitively, as the
    /// server's do): what CREATE INDEX, ADD INDEX and a planned replacement do to the model. The
    /// one implementation the DDL readers and `apply`'s planned state share.
    pub fn put_index(&mut self, index: Index) {
        self.indexes
            .retain(|i| !i.name.eq_ignore_ascii_case(&index.name));
        self.indexes.push(index);
    }

    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Column names are case-insensitive in MySQL and MariaDB.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Index names are case-insensitive too.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }

    pub fn primary_key(&self) -> Option<&Index> {
        self.indexes.iter().find(|i| i.kind == IndexKind::Primary)
    }

    pub fn foreign_key(&self, name: &str) -> Option<&ForeignKey> {
        self.foreign_keys
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// `None`: no default (for a nullable column that is the same as DEFAULT NULL once
    /// normalized).
    pub default: Option<DefaultValue>,
    pub auto_increment: bool,
    /// `ON UPDATE CURRENT_TIMESTAMP` and friends, normalized like defaults.
    pub on_update: Option<String>,
    /// Explicit character set as written; normalization folds it into `collation`.
    pub charset: Option<String>,
    /// After normalization: the effective collation of a text column, `None` for the rest.
    pub collation: Option<String>,
    pub comment: String,
    pub generated: Option<Generated>,
    /// A column-level CHECK clause (MariaDB keeps it with the column: named after it, shown in
    /// the column's definition, replaced or removed by MODIFY COLUMN). Table-level checks are
    /// in `Table::checks`.
    pub check: Option<String>,
    /// A `json` column stored as plain LONGTEXT, JSON only by Doctrine's comment (MariaDB's
    /// Doctrine platform, or 4.x's `json_array`): no `CHECK (json_valid(...))`, so its values
    /// were never validated. Equal to `json` for the comparison; a MODIFY to JSON rewrites and
    /// validates every row (error 4025 on MariaDB, 3140 on MySQL at the first invalid one).
    pub json_as_text: bool,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            auto_increment: false,
            on_update: None,
            charset: None,
            collation: None,
            comment: String::new(),
            generated: None,
            check: None,
            json_as_text: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultValue {
    Null,
    /// A literal, unquoted (`'0'` and `0` both become `0`).
    Literal(String),
    /// An expression such as `CURRENT_TIMESTAMP`, kept as normalized SQL text.
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// Expression as written (SQL text); compared through `dialect::normalize_expression`.
    pub expr: String,
    pub stored: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndexKind {
    Primary,
    Unique,
    Plain,
    Fulltext,
    Spatial,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub kind: IndexKind,
    pub parts: Vec<IndexPart>,
    pub comment: String,
}

impl Index {
    /// Same definition regardless of name: what makes two indexes interchangeable.
    pub fn same_definition(&self, other: &Index) -> bool {
        self.kind == other.kind
            && self.parts.len() == other.parts.len()
            && self
                .parts
                .iter()
                .zip(&other.parts)
                .all(|(a, b)| a.same_as(b))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    pub column: String,
    pub prefix: Option<u32>,
    pub descending: bool,
}

impl IndexPart {
    pub fn new(column: impl Into<String>) -> Self {
        IndexPart {
            column: column.into(),
            prefix: None,
            descending: false,
        }
    }

    pub fn same_as(&self, other: &IndexPart) -> bool {
        self.column.eq_ignore_ascii_case(&other.column)
            && self.prefix == other.prefix
            && self.descending == other.descending
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FkAction {
    /// RESTRICT and NO ACTION behave identically in InnoDB, so they are one value here.
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    pub fn parse(text: &str) -> Option<FkAction> {
        match text.to_ascii_uppercase().as_str() {
            "RESTRICT" | "NO ACTION" => Some(FkAction::Restrict),
            "CASCADE" => Some(FkAction::Cascade),
            "SET NULL" => Some(FkAction::SetNull),
            "SET DEFAULT" => Some(FkAction::SetDefault),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

impl ForeignKey {
    pub fn same_definition(&self, other: &ForeignKey) -> bool {
        eq_names(&self.columns, &other.columns)
            && self.ref_table == other.ref_table
            && eq_names(&self.ref_columns, &other.ref_columns)
            && self.on_delete == other.on_delete
            && self.on_update == other.on_update
    }
}

fn eq_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// A table-level CHECK constraint. An unnamed one gets the name the server gives it
/// (`CONSTRAINT_1`, `CONSTRAINT_2`... on MariaDB, counting the unnamed table-level checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
}

impl Check {
    /// A name the server made up (MariaDB's `CONSTRAINT_<n>`, MySQL's `<table>_chk_<n>`): it
    /// carries no meaning, so such a check is matched by its clause.
    pub fn has_generated_name(&self, table: &str) -> bool {
        let numbered = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
        self.name.strip_prefix("CONSTRAINT_").is_some_and(numbered)
            || self
                .name
                .strip_prefix(&format!("{table}_chk_"))
                .is_some_and(numbered)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOptions {
    pub engine: Option<String>,
    pub charset: Option<String>,
    pub collation: Option<String>,
    /// Only an explicit ROW_FORMAT; `None` means the server default.
    pub row_format: Option<String>,
    pub comment: String,
}
