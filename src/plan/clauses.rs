//! The ALTER TABLE clauses that carry out one table-local change, as typed data (rendered by
//! `step::ClauseOp::sql`).

use super::step::{ClauseOp, Position};
use crate::dialect::ServerInfo;
use crate::diff::Op;
use crate::schema::TableOptions;

/// The table options that change from `from` to `to`, each a clause.
pub fn table_options(to: &TableOptions, from: &TableOptions) -> Vec<ClauseOp> {
    let mut v = Vec::new();
    let changed = |a: &Option<String>, b: &Option<String>| {
        b.is_some()
            && a.as_deref().map(str::to_ascii_lowercase)
                != b.as_deref().map(str::to_ascii_lowercase)
    };
    if changed(&from.engine, &to.engine) {
        v.push(ClauseOp::Engine(to.engine.clone().unwrap_or_default()));
    }
    if changed(&from.collation, &to.collation) {
        if let Some(cs) = &to.charset {
            v.push(ClauseOp::DefaultCharset(cs.clone()));
        }
        v.push(ClauseOp::DefaultCollation(
            to.collation.clone().unwrap_or_default(),
        ));
    }
    if changed(&from.row_format, &to.row_format) {
        v.push(ClauseOp::RowFormat(
            to.row_format.clone().unwrap_or_default(),
        ));
    }
    if from.comment != to.comment {
        v.push(ClauseOp::Comment(to.comment.clone()));
    }
    v
}

/// The clauses of one table-local operation (foreign-key drops excluded: the planner runs
/// them first, in statements of their own), in the order they run.
pub fn alter_clauses(op: &Op, server: &ServerInfo) -> Vec<ClauseOp> {
    match op {
        Op::AddColumn(c) => vec![ClauseOp::add_column(c.clone())],
        Op::DropColumn(c) => vec![ClauseOp::DropColumn(c.clone())],
        Op::ModifyColumn { from, to } if crate::diff::recreates_column(from, to) => vec![
            ClauseOp::DropColumn(from.clone()),
            ClauseOp::add_column(to.clone()),
        ],
        Op::ModifyColumn { from, to } => vec![ClauseOp::ModifyColumn {
            from: from.clone(),
            to: to.clone(),
        }],
        // The definition is settled by the planner, which knows whether the same ALTER
        // changes the column (`Planner::alter_table`); alone, the column keeps its own.
        Op::MoveColumn { from, after, .. } => vec![ClauseOp::MoveColumn {
            from: from.clone(),
            column: from.clone(),
            position: after
                .as_ref()
                .map_or(Position::First, |a| Position::After(a.clone())),
        }],
        Op::AddIndex(i) => vec![ClauseOp::AddIndex(i.clone())],
        Op::DropIndex(i) => vec![ClauseOp::DropIndex(i.clone())],
        Op::ReplaceIndex { from, to } => vec![
            ClauseOp::DropIndex(from.clone()),
            ClauseOp::AddIndex(to.clone()),
        ],
        Op::RenameIndex { from, to } if server.supports_rename_index() => {
            vec![ClauseOp::RenameIndex {
                from: from.clone(),
                to: to.clone(),
            }]
        }
        Op::RenameIndex { from, to } => vec![
            ClauseOp::DropIndex(from.clone()),
            ClauseOp::AddIndex(to.clone()),
        ],
        Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
            vec![ClauseOp::AddForeignKey(fk.clone())]
        }
        Op::SetTableOptions { from, to } => table_options(to, from),
        Op::AddCheck(k) => vec![ClauseOp::AddCheck(k.clone())],
        Op::DropCheck(k) => vec![ClauseOp::DropCheck(k.clone())],
        Op::ReplaceCheck { from, to } => vec![
            ClauseOp::DropCheck(from.clone()),
            ClauseOp::AddCheck(to.clone()),
        ],
        Op::DropForeignKey(_) | Op::CreateTable(_) | Op::DropTable | Op::None => Vec::new(),
    }
}
