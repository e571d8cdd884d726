//! Planner cases as data, shared by `tests/plan_cases.rs` (one case per file) and
//! `tests/conformance.rs` (many cases per file): reading and rewriting the files, rendering the
//! planned SQL the way the golden sections hold it, running a plan on the server and telling
//! what is left afterwards.
//!
//! A case is a `-- case: <name> <what it shows>` head line, optional head lines (`-- options:
//! allow-destructive`), then `-- current`, `-- desired` and `-- expected` sections.

#![allow(dead_code)]

use mautic_schema::comparison::Comparison;
use mautic_schema::db::Db;
use mautic_schema::dialect::ServerInfo;
use mautic_schema::diff::Change;
use mautic_schema::plan::Plan;
use mautic_schema::report::render_sql;
use mautic_schema::schema::Schema;

#[derive(Debug, Clone, Default)]
pub struct Case {
    /// The first word after `-- case:`.
    pub name: String,
    /// Every line before `-- current`, the `-- case:` line included.
    pub head: String,
    pub current: String,
    pub desired: String,
    pub expected: String,
}

impl Case {
    pub fn allow_destructive(&self) -> bool {
        self.head.contains("-- options: allow-destructive")
    }
}

/// A case file: text before the first case (a preamble of comments), then the cases, each
/// starting at a `-- case:` line.
pub fn read_cases(text: &str) -> (String, Vec<Case>) {
    let mut preamble = String::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut at = 0;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("-- case:") {
            cases.push(Case {
                name: rest
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(':')
                    .to_string(),
                ..Default::default()
            });
            at = 0;
        }
        let Some(case) = cases.last_mut() else {
            preamble.push_str(line);
            preamble.push('\n');
            continue;
        };
        match line {
            "-- current" => at = 1,
            "-- desired" => at = 2,
            "-- expected" => at = 3,
            _ => {
                let part = match at {
                    0 => &mut case.head,
                    1 => &mut case.current,
                    2 => &mut case.desired,
                    _ => &mut case.expected,
                };
                part.push_str(line);
                part.push('\n');
            }
        }
    }
    // A blank line separates cases in a many-case file; it is not part of the expected SQL.
    for c in &mut cases {
        let kept = c.expected.trim_end_matches('\n').len();
        c.expected.truncate(kept);
        if kept > 0 {
            c.expected.push('\n');
        }
    }
    (preamble, cases)
}

/// The file text of `cases` with `expected` replaced by `bodies` (UPDATE_GOLDEN=1).
pub fn write_cases(preamble: &str, cases: &[Case], bodies: &[String]) -> String {
    let mut out = preamble.to_string();
    for (n, (c, body)) in cases.iter().zip(bodies).enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}-- current\n{}-- desired\n{}-- expected\n{}",
            c.head, c.current, c.desired, body
        ));
    }
    out
}

/// The planned SQL without its preamble (what it is, the session mode) and without blank lines,
/// then one line per change the plan neither carries out nor holds back (reported only).
pub fn render_body(
    changes: &[Change],
    p: &Plan,
    current: &Schema,
    desired: &Schema,
    server: &ServerInfo,
) -> String {
    let report = Comparison {
        changes: changes.to_vec(),
        plan: p.clone(),
        live: current.clone(),
        reference: desired.clone(),
        ..Comparison::empty("current", "desired", server.clone())
    };
    let sql = render_sql(&report);
    let body: String = sql
        .lines()
        .skip_while(|l| !l.is_empty())
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let mut body = body.replace("\n-- Held back", "\n\n-- Held back");
    let carried: Vec<usize> = p.steps.iter().flat_map(|s| s.changes.clone()).collect();
    for (i, c) in changes.iter().enumerate() {
        if !carried.contains(&i) && !p.skipped.contains(&i) {
            body.push_str(&format!(
                "-- Reported, no fix: {}: {} {}: {} ({:?})\n",
                c.table,
                c.kind.as_str(),
                c.object,
                mautic_schema::text::one_line(&c.detail),
                c.severity
            ));
        }
    }
    body
}

/// Run every step; the first refusal is the error, with the statement.
pub async fn run_plan(conn: &mut Db, p: &Plan) -> Result<(), String> {
    for step in &p.steps {
        if let Err(e) = conn.execute(&step.sql()).await {
            return Err(format!("the server refused\n{}\n{e}", step.sql()));
        }
    }
    Ok(())
}

/// `kind object` of each change, to compare what is left with what was held back.
pub fn keys(changes: &[Change], which: impl Fn(usize) -> bool) -> Vec<String> {
    changes
        .iter()
        .enumerate()
        .filter(|(i, _)| which(*i))
        .map(|(_, c)| format!("{} {}.{}", c.kind.as_str(), c.table, c.object))
        .collect()
}

/// Changes the plan does not carry out: held back, or reported without a fix.
pub fn not_carried(changes: &[Change], p: &Plan) -> Vec<String> {
    let carried: Vec<usize> = p.steps.iter().flat_map(|s| s.changes.clone()).collect();
    keys(changes, |i| !carried.contains(&i) || p.skipped.contains(&i))
}
