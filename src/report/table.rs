//! The human report: one row per change, grouped by table, and a summary line that says what to
//! run next.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::Report;
use crate::diff::Severity;
use crate::text::one_line;
use std::collections::BTreeSet;

/// How many names of a list are shown before "... (N more)".
const SHOWN: usize = 8;

fn first_few(items: impl ExactSizeIterator<Item = String>) -> String {
    let n = items.len();
    let mut s: Vec<String> = items.take(SHOWN).collect();
    if n > SHOWN {
        s.push(format!("... ({} more)", n - SHOWN));
    }
    one_line(&s.join(", ")).into_owned()
}

/// The tables left alone, summarised: thousands of another install's tables must not flood the
/// screen (`--format json` lists every one).
fn foreign_summary(r: &Report) -> String {
    let in_installs: BTreeSet<&String> = r.other_installs.iter().flat_map(|(_, v)| v).collect();
    let mut out = format!(
        "{} table(s) are not this install's and are left alone",
        r.foreign_tables.len()
    );
    if !r.other_installs.is_empty() {
        out.push_str(&format!(
            "; {} belong to {} other install(s) by prefix: {}",
            in_installs.len(),
            r.other_installs.len(),
            first_few(r.other_installs.iter().map(|(p, v)| match p.as_str() {
                "" => format!("(no prefix) ({})", v.len()),
                p => format!("{p} ({})", v.len()),
            }))
        ));
    }
    let others: Vec<&String> = r
        .foreign_tables
        .iter()
        .filter(|t| !in_installs.contains(t))
        .collect();
    if !others.is_empty() {
        let label = if r.other_installs.is_empty() {
            ""
        } else {
            "; other tables"
        };
        out.push_str(&format!(
            "{label}: {}",
            first_few(others.iter().map(|t| t.to_string()))
        ));
    }
    out.push('\n');
    out
}

pub fn render_table(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} compared with {}\n",
        one_line(&r.source),
        one_line(&r.target)
    ));
    for e in &r.explanation {
        out.push_str(&format!("  {}\n", one_line(e)));
    }
    for n in &r.notes {
        out.push_str(&format!("note: {}\n", one_line(n)));
    }
    if r.changes.iter().any(|c| c.severity != Severity::Info) {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(140)
            .set_header(vec!["table", "what", "object", "detail", "fix"]);
        let mut last = String::new();
        // The user's objects and comment-only differences would drown the drift: they are
        // summarized below the table instead (JSON lists every one).
        for (i, c) in r
            .changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.severity != Severity::Info)
        {
            let table = if c.table == last {
                String::new()
            } else {
                c.table.clone()
            };
            last = c.table.clone();
            let fix = match (c.severity, c.destructive, r.plan.skipped.contains(&i)) {
                (Severity::Info, _, _) => "info".to_string(),
                (Severity::Legacy, _, _) => "legacy, tolerated".to_string(),
                (_, true, true) => "destructive: held back".to_string(),
                (_, true, false) => "destructive".to_string(),
                _ if !c.has_fix() => "manual".to_string(),
                _ => "yes".to_string(),
            };
            t.add_row(vec![
                one_line(&table).into_owned(),
                c.kind.as_str().replace('_', " "),
                one_line(&c.object).into_owned(),
                one_line(&c.detail).into_owned(),
                fix,
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let info: Vec<&crate::diff::Change> = r
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Info)
        .collect();
    if !info.is_empty() {
        let mut by_kind: std::collections::BTreeMap<&str, Vec<String>> =
            std::collections::BTreeMap::new();
        for c in &info {
            let what = if c.kind == crate::diff::ChangeKind::ExtraTable {
                c.table.clone()
            } else {
                format!("{}.{}", c.table, c.object)
            };
            by_kind
                .entry(c.kind.as_str())
                .or_default()
                .push(one_line(&what).into_owned());
        }
        out.push_str(&format!("{} item(s) for information only, nothing proposed (--format json lists each with its reason):\n", info.len()));
        for (kind, items) in by_kind {
            let shown: Vec<&str> = items.iter().take(12).map(String::as_str).collect();
            let more = if items.len() > 12 {
                format!(", ... ({} more)", items.len() - 12)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {}: {}{more}\n",
                kind.replace('_', " "),
                shown.join(", ")
            ));
        }
    }
    if !r.foreign_tables.is_empty() {
        out.push_str(&foreign_summary(r));
    }
    let drift = r.drift_count();
    if r.in_sync() {
        out.push_str(&format!(
            "In sync: no drift ({} legacy, {} info).\n",
            r.count(Severity::Legacy),
            r.count(Severity::Info)
        ));
    } else {
        out.push_str(&format!(
            "{drift} difference(s) to fix in {} table(s) ({} legacy, {} info); {} destructive change(s) held back.\n\
             Next: `mautic-schema diff` prints the SQL for review, `mautic-schema apply` runs it after a backup.\n",
            r.changes.iter().filter(|c| c.severity == Severity::Drift).map(|c| &c.table).collect::<std::collections::BTreeSet<_>>().len(),
            r.count(Severity::Legacy),
            r.count(Severity::Info),
            r.plan.skipped.len()
        ));
    }
    out
}
