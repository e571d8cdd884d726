//! Migrations that walk the whole database rather than the tables they name: what they do to
//! each table they would touch cannot be a row of effects.tsv (the extractor saw only the
//! reference's tables), so it is data here, read from the migration's PHP source.

use super::refusal::{self as r, Refusal};
use crate::dialect::charsets::converted_text_type;
use crate::dialect::keys::key_refusal;
use crate::dialect::{ServerError, ServerInfo};
use crate::schema::canonical::charset_of_collation;
use crate::schema::{Schema, Table};

/// `ALTER TABLE t CONVERT TO CHARACTER SET <charset> COLLATE <collation>` on every table of
/// the database (`information_schema.TABLES` of the whole schema, other installs and
/// non-Mautic tables included) whose collation is another one.
pub struct ConvertEveryTable {
    pub version: &'static str,
    pub charset: &'static str,
    pub collation: &'static str,
}

/// Version20211020114811 (6.0): `getTables()` selects every table of the database not in
/// utf8mb4_unicode_ci and converts it, under `SET FOREIGN_KEY_CHECKS=0`.
pub const WALKS: &[ConvertEveryTable] = &[ConvertEveryTable {
    version: "20211020114811",
    charset: "utf8mb4",
    collation: "utf8mb4_unicode_ci",
}];

pub fn of(version: &str) -> Option<&'static ConvertEveryTable> {
    WALKS.iter().find(|w| w.version == version)
}

impl ConvertEveryTable {
    /// Convert each table of `schema` it would touch, with the statement and the server's
    /// refusals for each (a key that no longer fits once every character takes more bytes).
    pub fn apply(&self, schema: &mut Schema, server: &ServerInfo) -> Vec<(String, Refusal)> {
        let mut out = Vec::new();
        let sql = |t: &str| {
            format!(
                "ALTER TABLE {t} CONVERT TO CHARACTER SET {} COLLATE {}",
                self.charset, self.collation
            )
        };
        let touched: Vec<String> = schema
            .tables
            .values()
            .filter(|t| self.touches(t))
            .map(|t| t.name.clone())
            .collect();
        for (table, refusal) in self.linked(schema, &touched) {
            out.push((sql(&table), refusal));
        }
        for t in schema.tables.values_mut() {
            if !self.touches(t) {
                continue;
            }
            self.convert(t);
            let sql = sql(&t.name);
            for i in &t.indexes {
                if let Some(k) = key_refusal(t, i, server) {
                    out.push((sql.clone(), r::key_refused(&t.name, &i.name, &k)));
                }
            }
        }
        out
    }

    /// Whether `getTables()` selects the table: its collation is another one.
    fn touches(&self, t: &Table) -> bool {
        !t.options
            .collation
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(self.collation))
    }

    /// Whether the conversion changes this column's collation.
    fn changes(&self, t: &Table, column: &str) -> bool {
        t.column(column).is_some_and(|c| {
            c.collation.as_deref().is_some_and(|coll| {
                !coll.eq_ignore_ascii_case("binary") && !coll.eq_ignore_ascii_case(self.collation)
            })
        })
    }

    /// The conversions the server refuses: a text column a foreign key links, on either side
    /// (1832 for the child's table, 1833 for the parent's), whichever table goes first.
    fn linked(&self, schema: &Schema, touched: &[String]) -> Vec<(String, Refusal)> {
        let mut out = Vec::new();
        let converted = |name: &str| touched.iter().any(|t| t == name);
        for child in schema.tables.values() {
            for fk in &child.foreign_keys {
                let parent = schema.table(&fk.ref_table);
                for (c, p) in fk.columns.iter().zip(&fk.ref_columns) {
                    let other = format!("{}.{p}", fk.ref_table);
                    if converted(&child.name) && self.changes(child, c) {
                        let r = r::charset_linked(
                            ServerError::FkColumnCannotChange,
                            &child.name,
                            c,
                            &fk.name,
                            &child.name,
                            &other,
                        );
                        out.push((child.name.clone(), r));
                    }
                    if let Some(parent) = parent
                        && converted(&parent.name)
                        && self.changes(parent, p)
                    {
                        let r = r::charset_linked(
                            ServerError::FkColumnCannotChangeChild,
                            &parent.name,
                            p,
                            &fk.name,
                            &child.name,
                            &format!("{}.{c}", child.name),
                        );
                        out.push((parent.name.clone(), r));
                    }
                }
            }
        }
        out
    }

    /// Every text column takes the character set (a TEXT type the one that holds as many
    /// characters), and the table its default.
    fn convert(&self, t: &mut Table) {
        t.options.charset = Some(self.charset.to_string());
        t.options.collation = Some(self.collation.to_string());
        for c in t.columns.iter_mut().filter(|c| {
            c.collation
                .as_deref()
                .is_some_and(|coll| !coll.eq_ignore_ascii_case("binary"))
        }) {
            let from = c
                .collation
                .as_deref()
                .map(charset_of_collation)
                .unwrap_or_default();
            if let Some(ty) = converted_text_type(&c.ty.name, from, self.charset) {
                c.ty.name = ty.to_string();
            }
            c.charset = Some(self.charset.to_string());
            c.collation = Some(self.collation.to_string());
        }
    }
}
