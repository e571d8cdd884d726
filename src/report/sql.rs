//! SQL for review: the plan's statements, each preceded by `--` lines saying why, then the
//! destructive statements that were held back, as comments.

use super::Report;
use crate::dialect::ServerInfo;
use crate::diff::{Change, Op};
use crate::plan::alter_clauses;
use crate::schema::{canonical::create_table_sql_with, quote_ident};

/// The statement(s) that fix one change on their own, or `None` when nothing is proposed.
pub fn change_sql(c: &Change, server: &ServerInfo) -> Option<String> {
    let t = quote_ident(&c.table);
    let alter = |clauses: Vec<String>| format!("ALTER TABLE {t} {};", clauses.join(", "));
    Some(match &c.op {
        Op::None => return None,
        Op::CreateTable(table) => format!("{};", create_table_sql_with(table, true)),
        Op::DropTable => format!("DROP TABLE {t};"),
        Op::DropForeignKey(fk) => {
            alter(vec![format!("DROP FOREIGN KEY {}", quote_ident(&fk.name))])
        }
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

pub fn render_sql(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "-- mautic-schema: SQL that turns {} into {}\n",
        r.source, r.target
    ));
    out.push_str(
        "-- MySQL/MariaDB commit every DDL statement on its own: there is no rollback. Take a\n\
         -- backup first (`mautic-schema apply` does, and keeps a journal so a rerun resumes).\n",
    );
    if r.plan.steps.is_empty() {
        out.push_str("-- Nothing to change.\n");
    }
    for step in &r.plan.steps {
        out.push('\n');
        for why in &step.reasons {
            out.push_str(&format!("-- {}: {}\n", step.table, why.replace('\n', " ")));
        }
        if step.rebuilds {
            out.push_str(&format!(
                "-- {}: rebuilds the table (time grows with its size)\n",
                step.table
            ));
        }
        out.push_str(&step.sql);
        out.push_str(";\n");
    }
    let b = &r.bookkeeping;
    if !b.statements.is_empty() {
        out.push_str("\n-- Migrations bookkeeping (data, not DDL: `apply` runs it in one transaction at the end)\n");
        for (why, sql) in &b.statements {
            out.push_str(&format!("-- {why}\n{sql};\n"));
        }
    }
    for h in &b.held_back {
        out.push_str(&format!("-- Not recorded: {h}\n"));
    }
    if !b.manual.is_empty() {
        out.push_str("\n-- Run by Mautic, not marked as executed here:\n");
        for m in &b.manual {
            out.push_str(&format!("--   {m}\n"));
        }
    }
    if !r.plan.skipped.is_empty() {
        out.push_str(
            "\n-- Held back: destructive (data or a guarantee would be lost). Review, then rerun\n",
        );
        out.push_str("-- with --allow-destructive to include them.\n");
        for &i in &r.plan.skipped {
            let c = &r.changes[i];
            out.push_str(&format!(
                "--   {}: {} {}: {}\n",
                c.table,
                c.kind.as_str(),
                c.object,
                c.detail
            ));
            if let Some(sql) = change_sql(c, &r.server) {
                for line in sql.lines() {
                    out.push_str(&format!("--     {line}\n"));
                }
            }
        }
    }
    out
}
