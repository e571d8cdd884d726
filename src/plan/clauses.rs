//! ALTER TABLE clauses for each operation, rendered only from the model.

use crate::dialect::ServerInfo;
use crate::diff::Op;
use crate::schema::{
    ForeignKey, Index, IndexKind, TableOptions,
    canonical::{check_sql, column_sql, foreign_key_sql, index_sql},
    quote_ident,
};

pub fn drop_index(i: &Index) -> String {
    if i.kind == IndexKind::Primary {
        "DROP PRIMARY KEY".into()
    } else {
        format!("DROP INDEX {}", quote_ident(&i.name))
    }
}

pub fn add_index(i: &Index) -> String {
    format!("ADD {}", index_sql(i))
}

pub fn drop_foreign_key(name: &str) -> String {
    format!("DROP FOREIGN KEY {}", quote_ident(name))
}

pub fn add_foreign_key(fk: &ForeignKey) -> String {
    format!("ADD {}", foreign_key_sql(fk))
}

pub fn table_options(to: &TableOptions, from: &TableOptions) -> Vec<String> {
    let mut v = Vec::new();
    let changed = |a: &Option<String>, b: &Option<String>| {
        b.is_some()
            && a.as_deref().map(str::to_ascii_lowercase)
                != b.as_deref().map(str::to_ascii_lowercase)
    };
    if changed(&from.engine, &to.engine) {
        v.push(format!(
            "ENGINE={}",
            to.engine.as_deref().unwrap_or_default()
        ));
    }
    if changed(&from.collation, &to.collation) {
        if let Some(cs) = &to.charset {
            v.push(format!("DEFAULT CHARACTER SET {cs}"));
        }
        v.push(format!(
            "COLLATE {}",
            to.collation.as_deref().unwrap_or_default()
        ));
    }
    if changed(&from.row_format, &to.row_format) {
        v.push(format!(
            "ROW_FORMAT={}",
            to.row_format.as_deref().unwrap_or_default()
        ));
    }
    if from.comment != to.comment {
        v.push(format!(
            "COMMENT={}",
            crate::schema::quote_string(&to.comment)
        ));
    }
    v
}

/// The ALTER TABLE clauses of one table-local operation (foreign-key drops excluded: the
/// planner runs them first, in statements of their own).
pub fn alter_clauses(op: &Op, server: &ServerInfo) -> Vec<String> {
    match op {
        // Explicit collation (table collation `None`): a MODIFY must not depend on the table
        // default at the moment it runs.
        Op::AddColumn(c) => vec![format!("ADD COLUMN {}", column_sql(c, None))],
        Op::DropColumn(c) => vec![format!("DROP COLUMN {}", quote_ident(&c.name))],
        Op::ModifyColumn { from, to } if crate::diff::recreates_column(from, to) => vec![
            format!("DROP COLUMN {}", quote_ident(&from.name)),
            format!("ADD COLUMN {}", column_sql(to, None)),
        ],
        Op::ModifyColumn { to, .. } => vec![format!("MODIFY COLUMN {}", column_sql(to, None))],
        Op::AddIndex(i) => vec![add_index(i)],
        Op::DropIndex(i) => vec![drop_index(i)],
        Op::ReplaceIndex { from, to } => vec![drop_index(from), add_index(to)],
        Op::RenameIndex { from, to } if server.supports_rename_index() => vec![format!(
            "RENAME INDEX {} TO {}",
            quote_ident(&from.name),
            quote_ident(&to.name)
        )],
        Op::RenameIndex { from, to } => vec![drop_index(from), add_index(to)],
        Op::AddForeignKey(fk) => vec![add_foreign_key(fk)],
        Op::ReplaceForeignKey { to, .. } => vec![add_foreign_key(to)],
        Op::SetTableOptions { from, to } => table_options(to, from),
        Op::AddCheck(k) => vec![format!("ADD {}", check_sql(k))],
        Op::DropCheck(k) => vec![format!("DROP CONSTRAINT {}", quote_ident(&k.name))],
        Op::ReplaceCheck { from, to } => vec![
            format!("DROP CONSTRAINT {}", quote_ident(&from.name)),
            format!("ADD {}", check_sql(to)),
        ],
        Op::DropForeignKey(_) | Op::CreateTable(_) | Op::DropTable | Op::None => Vec::new(),
    }
}
