//! SQL for review: the plan's statements, each preceded by `--` lines saying why, then the
//! destructive statements that were held back, as comments.

use crate::comparison::Comparison;
use crate::dialect::SESSION_SQL_MODE;
use crate::dialect::ServerInfo;
use crate::diff::{Change, Op};
use crate::plan::alter_clauses;
use crate::schema::{canonical::create_table_sql_with, quote_ident};
use crate::text::one_line;

/// The statement(s) that fix one change on their own, or `None` when nothing is proposed.
pub fn change_sql(c: &Change, server: &ServerInfo) -> Option<String> {
    let t = quote_ident(&c.table);
    let alter = |clauses: Vec<crate::plan::ClauseOp>| {
        let list: Vec<String> = clauses.iter().map(|c| c.sql()).collect();
        format!("ALTER TABLE {t} {};", list.join(", "))
    };
    Some(match &c.op {
        Op::None => return None,
        Op::CreateTable(table) => format!("{};", create_table_sql_with(table, true)),
        Op::DropTable => format!("DROP TABLE {t};"),
        Op::DropForeignKey(fk) => alter(vec![crate::plan::ClauseOp::DropForeignKey {
            name: fk.name.clone(),
        }]),
        Op::ReplaceForeignKey { from, .. } => format!(
            "ALTER TABLE {t} DROP FOREIGN KEY {};\n{}",
            quote_ident(&from.name),
            alter(alter_clauses(&c.op, server))
        ),
        op => {
            let clauses = alter_clauses(op, server);
            if clauses.is_empty() {
                return None;
            }
            alter(clauses)
        }
    })
}

/// One `--` comment line; text from the database inside it is neutralised so it cannot end the
/// comment (see [`crate::text::one_line`]).
fn comment(out: &mut String, text: &str) {
    out.push_str("-- ");
    out.push_str(&one_line(text));
    out.push('\n');
}

pub fn render_sql(r: &Comparison) -> String {
    let mut out = String::new();
    comment(
        &mut out,
        &format!(
            "mautic-schema: SQL that turns {} into {}",
            r.source, r.target
        ),
    );
    out.push_str(
        "-- MySQL/MariaDB commit every DDL statement on its own: there is no rollback. Take a\n\
         -- backup first (`mautic-schema apply` does, and keeps a journal so a rerun resumes).\n",
    );
    if r.plan.steps.is_empty() && r.bookkeeping.statements.is_empty() {
        out.push_str("-- Nothing to change.\n");
    } else {
        out.push_str(
            "-- The session mode `apply` runs under: literals below are written for it, and a\n\
             -- change that would lose data fails instead of truncating.\n",
        );
        out.push_str(&format!("SET SESSION sql_mode = '{SESSION_SQL_MODE}';\n"));
    }
    let announced = super::announce(r);
    for (n, step) in r.plan.steps.iter().enumerate() {
        out.push('\n');
        for why in &step.reasons {
            comment(&mut out, &format!("{}: {why}", step.table));
        }
        // Every ALTER is announced; CREATE and DROP TABLE touch no rows that exist.
        if let Some(a) = announced.iter().find(|a| a.step == n + 1) {
            for line in super::announcement_lines(a) {
                out.push_str(&one_line(&line));
                out.push('\n');
            }
        }
        out.push_str(&step.sql());
        out.push_str(";\n");
    }
    let b = &r.bookkeeping;
    if !b.statements.is_empty() {
        out.push_str("\n-- Migrations bookkeeping (data, not DDL: `apply` runs it in one transaction at the end)\n");
        for (why, statement) in &b.statements {
            comment(&mut out, why);
            out.push_str(&statement.sql());
            out.push_str(";\n");
        }
    }
    for h in &b.held_back {
        comment(&mut out, &format!("Not recorded: {h}"));
    }
    if !b.manual.is_empty() {
        out.push_str("\n-- Run by Mautic, not marked as executed here:\n");
        for m in &b.manual {
            comment(&mut out, &format!("  {m}"));
        }
    }
    if !r.plan.skipped.is_empty() {
        out.push_str(
            "\n-- Held back: destructive (data or a guarantee would be lost). Review, then rerun\n",
        );
        out.push_str("-- with --allow-destructive to include them.\n");
        for &i in &r.plan.skipped {
            let c = &r.changes[i];
            comment(
                &mut out,
                &format!(
                    "  {}: {} {}: {}",
                    c.table,
                    c.kind.as_str(),
                    c.object,
                    c.detail
                ),
            );
            if let Some(sql) = change_sql(c, &r.server) {
                // A statement's own line breaks are layout; one inside a quoted name stays
                // escaped by `comment`, so each shown line is still a comment.
                for line in sql.split('\n') {
                    comment(&mut out, &format!("    {line}"));
                }
            }
        }
    }
    out
}
