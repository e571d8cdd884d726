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
    let mut parts: Vec<String> = Vec::new();
    for (_, sql) in &report.bookkeeping.statements {
        if sql.starts_with("CREATE TABLE") {
            let name = sql
                .split('`')
                .nth(1)
                .map(|n| crate::text::one_line(n).into_owned())
                .unwrap_or_else(|| "the migrations table".into());
            parts.push(format!("creates `{name}`"));
        } else if sql.starts_with("INSERT") {
            // One row per migration: `VALUES\n  (...),\n  (...)`.
            let rows = sql.matches("\n  (").count();
            parts.push(format!("records {rows} migration(s) as executed"));
        } else {
            parts.push("1 other statement".into());
        }
    }
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
