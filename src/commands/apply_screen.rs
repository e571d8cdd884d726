//! `apply`'s screens: the summary right above the `[y/N]`, the question itself, and what the
//! ALTER statements do to writes. The library asks through `apply::Operator`; this is the
//! terminal's side of it.

use crate::apply::online::{self, OnlineOptions};
use crate::apply::{Confirmation, Operator, SizeFacts, space};
use crate::comparison::Comparison;
use crate::error::{Error, Result};
use crate::report::{announce, duration, headline};
use crate::text::one_line;

/// The operator at a terminal (or a script with --yes).
pub struct Terminal {
    /// --yes: confirmed without asking.
    pub yes: bool,
    /// JSON output: nothing on stderr but errors.
    pub quiet: bool,
}

impl Operator for Terminal {
    fn sized(&self, report: &Comparison, online: &OnlineOptions) {
        if !self.quiet {
            for line in blocking_summary(report, online) {
                eprintln!("{}", one_line(&line));
            }
        }
    }

    fn confirm(&self, c: &Confirmation<'_>) -> Result<()> {
        if self.yes { Ok(()) } else { ask(c) }
    }
}

/// The width of the summary above the question: it must read in an 80-column terminal.
const SUMMARY_WIDTH: usize = 80;

/// The summary printed right above the `[y/N]`, after the SQL has scrolled by: tables touched,
/// statements, rebuilt tables with rows and size, destructive changes included or held back,
/// the backup's location and estimated size, and the migrations bookkeeping, each on its own
/// (wrapped) line of at most 80 characters.
pub fn confirmation_summary(
    report: &Comparison,
    facts: &SizeFacts,
    backup_root: Option<&std::path::Path>,
) -> Vec<String> {
    use crate::text::wrap;
    use space::human;
    let mut tables: Vec<String> = report
        .plan
        .steps
        .iter()
        .map(|s| one_line(&s.table).into_owned())
        .collect();
    tables.sort();
    tables.dedup();
    let mut items: Vec<(String, String)> = Vec::new();
    items.push((
        "tables touched".into(),
        if tables.is_empty() {
            "none".into()
        } else {
            format!("{}: {}", tables.len(), tables.join(", "))
        },
    ));
    let n_book = report.bookkeeping.statements.len();
    items.push((
        "statements".into(),
        format!(
            "{} schema, {n_book} migrations bookkeeping",
            report.plan.steps.len()
        ),
    ));
    items.push((
        "rebuilt".into(),
        if facts.rebuilt.is_empty() {
            "none (no statement copies a table)".into()
        } else {
            facts
                .rebuilt
                .iter()
                .map(|t| {
                    format!(
                        "{} ({} rows, {})",
                        one_line(&t.table),
                        t.rows,
                        human(t.bytes)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        },
    ));
    let mut included: Vec<usize> = report
        .plan
        .steps
        .iter()
        .flat_map(|s| s.changes.iter().copied())
        .filter(|&i| report.changes.get(i).is_some_and(|c| c.destructive))
        .collect();
    included.sort_unstable();
    included.dedup();
    let held = report.plan.skipped.len();
    items.push((
        "destructive".into(),
        format!(
            "{} included, {held} held back{}",
            included.len(),
            if held > 0 {
                " (--allow-destructive includes them)"
            } else {
                ""
            }
        ),
    ));
    items.push((
        "backup".into(),
        match (backup_root, facts.backup_estimate) {
            (Some(root), Some(bytes)) => format!(
                "about {} into a new folder under {}",
                human(bytes),
                one_line(&root.display().to_string())
            ),
            (Some(root), None) => format!(
                "into a new folder under {}",
                one_line(&root.display().to_string())
            ),
            (None, _) => "none (--no-backup)".into(),
        },
    ));
    items.push(("bookkeeping".into(), bookkeeping_line(report)));
    let mut lines = vec!["Summary:".to_string()];
    for (label, text) in items {
        let first = format!("  {label:<15} ");
        lines.extend(wrap(&text, SUMMARY_WIDTH, &first, &" ".repeat(18)));
    }
    lines
}

/// The migrations bookkeeping in a few words: "creates `migrations`; records N migrations as
/// executed", or "none".
fn bookkeeping_line(report: &Comparison) -> String {
    use crate::mautic::bookkeeping::Statement;
    let parts: Vec<String> = report
        .bookkeeping
        .statements
        .iter()
        .map(|(_, s)| match s {
            Statement::CreateTable { table, .. } => format!("creates `{}`", one_line(table)),
            Statement::Record { versions, .. } => {
                format!("records {} migration(s) as executed", versions.len())
            }
            Statement::ToMautic5Layout { .. } | Statement::ClassNames { .. } => {
                "1 other statement".into()
            }
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join("; ")
    }
}

fn ask(c: &Confirmation<'_>) -> Result<()> {
    let (report, database) = (c.report, c.database);
    use std::io::{BufRead, IsTerminal, Write};
    // After the SQL has scrolled by, what is about to happen fits on the screen right above
    // the question (and a script that forgot --yes sees it too before being refused).
    for line in confirmation_summary(report, c.sizes, c.backup_root) {
        eprintln!("{}", one_line(&line));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::refused(
            crate::error::RefusalKind::NotConfirmed,
            "not confirmed: standard input is not a terminal; rerun with --yes to apply",
        ));
    }
    eprint!(
        "Apply {} statement(s) to `{}`? [y/N] ",
        report.plan.steps.len() + report.bookkeeping.statements.len(),
        crate::text::truncate_chars(&crate::text::one_line(database), 40)
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Input(e.to_string()))?;
    if matches!(line.trim(), "y" | "Y" | "yes" | "YES") {
        Ok(())
    } else {
        Err(Error::refused(
            crate::error::RefusalKind::NotConfirmed,
            "not confirmed: nothing was changed",
        ))
    }
}

/// Per table, what its statements do to the site's writes, for the confirmation: the ones that
/// block first (with the estimated time when the size is known), then how many do not.
pub fn blocking_summary(report: &Comparison, online: &OnlineOptions) -> Vec<String> {
    let announced = announce(report);
    if announced.is_empty() {
        return Vec::new();
    }
    let mut lines = vec!["what the ALTER statements do to writes (estimates):".to_string()];
    for a in announced.iter().filter(|a| a.blocks_writes) {
        lines.push(format!(
            "  [{}] {}: {}",
            a.step,
            crate::text::one_line(&a.table),
            headline(a)
        ));
        lines.push(format!(
            "      because of {}",
            crate::text::one_line(&a.why)
        ));
        if let Some(d) = duration(a) {
            lines.push(format!("      {d}"));
        }
        let big = a.bytes.is_some_and(|b| b >= online.min_size);
        let mode = match online.mode {
            online::OnlineMode::Always => Some("always"),
            online::OnlineMode::Auto if big => Some("auto"),
            _ => None,
        };
        if let Some(mode) = mode {
            lines.push(format!(
                "      --online {mode}: {} keeps writes flowing instead,",
                online::TOOL
            ));
            lines.push("      unless the server can do it in place".into());
        }
    }
    let flowing = announced.iter().filter(|a| !a.blocks_writes).count();
    if flowing > 0 {
        let tables: std::collections::BTreeSet<String> = announced
            .iter()
            .filter(|a| !a.blocks_writes)
            .map(|a| crate::text::one_line(&a.table).into_owned())
            .collect();
        lines.push(format!(
            "  {flowing} other ALTER(s) keep writes flowing (INSTANT or INPLACE, LOCK=NONE):"
        ));
        let tables = tables.into_iter().collect::<Vec<_>>().join(", ");
        lines.push(format!("      {}", crate::text::one_line(&tables)));
    }
    if announced.iter().all(|a| !a.blocks_writes) {
        lines.push("  no statement blocks writes".into());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mautic::bookkeeping::bookkeeping;
    use crate::mautic::migrations::{MigrationKind, MigrationState, index, of_release};
    use crate::mautic::release::Release;

    fn report(bookkeeping: crate::comparison::Bookkeeping) -> Comparison {
        Comparison {
            bookkeeping,
            ..Comparison::empty("db", "Mautic 5.1.1", crate::dialect::ServerInfo::unknown())
        }
    }

    /// The bookkeeping line says what the statements are, from what they are, not from their
    /// SQL: prefixes whose quoted name would fool a reader of the text (a backquote, doubled
    /// when quoted; a line break and a parenthesis, as between the rows of an INSERT) still
    /// give the table's name and the number of migrations recorded.
    #[test]
    fn the_bookkeeping_line_counts_what_is_planned_not_its_text() {
        let target = Release(5, 1, 1);
        let all = index();
        let n = of_release(&all, target).len();
        assert!(n > 1);
        let v4 = crate::sql::parse_schema_sql(
            "CREATE TABLE m (version VARCHAR(14) NOT NULL, executed_at DATETIME NOT NULL, PRIMARY KEY(version))",
            &|_| false,
        )
        .schema
        .tables
        .into_values()
        .next()
        .unwrap();
        let pending: Vec<_> = of_release(&all, target)
            .into_iter()
            .filter(|m| m.kind == MigrationKind::Schema)
            .take(2)
            .cloned()
            .collect();
        assert_eq!(pending.len(), 2);
        for prefix in ["", "a`b_", "x\n  (y_", "q`\n  (`\n  (_"] {
            let table = format!("{prefix}migrations");
            // Missing: created, then the whole release recorded.
            let missing = MigrationState {
                covered: true,
                ..Default::default()
            };
            let b = bookkeeping(&missing, &all, prefix, target, true, &|_| false, None);
            assert_eq!(
                bookkeeping_line(&report(b)),
                format!(
                    "creates `{}`; records {n} migration(s) as executed",
                    one_line(&table)
                ),
                "prefix {prefix:?}"
            );
            // A 4.x table with records on a 5.x target: brought to 5.x's layout, its rows
            // renamed, then the two pending ones recorded.
            let recorded = MigrationState {
                table_present: true,
                covered: true,
                applied: vec!["20190101000000".into()],
                pending: pending.clone(),
                ..Default::default()
            };
            let b = bookkeeping(&recorded, &all, prefix, target, true, &|_| false, Some(&v4));
            assert_eq!(
                bookkeeping_line(&report(b)),
                "1 other statement; 1 other statement; records 2 migration(s) as executed",
                "prefix {prefix:?}"
            );
        }
    }
}
