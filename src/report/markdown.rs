//! `report`'s Markdown: one file for a support thread or a change ticket. Short enough for a
//! forum post: when the whole text is over the budget, the least useful parts go first (info
//! rows, then tolerated-history rows, then SQL statements, then drift rows) and the file says
//! what was cut and how to get it. Its lines fit [`WIDTH`] columns (wrapped after the
//! redaction, so a hidden value is never split across lines), the Install table's aside.

use super::redact::{Secret, public_names, redact};
use crate::comparison::Comparison;
use crate::diff::Severity;

/// Discourse's default `max_post_length` (32,000 characters); Mautic's forum
/// (forum.mautic.org) runs Discourse.
pub const FORUM_BUDGET: usize = 32_000;

/// The widest line of the file (a table row aside): it reads in an editor or a terminal.
pub const WIDTH: usize = 100;

/// Everything the file says beyond the comparison itself.
pub struct MarkdownInput<'a> {
    pub report: &'a Comparison,
    pub generated_at: String,
    pub tool_version: String,
    pub code_version: Option<String>,
    pub prefix: String,
    /// (release or range, how it was detected)
    pub detected: Option<(String, &'static str)>,
    pub migrations: Vec<String>,
    pub prechecks: Prechecks,
    pub preflight: Option<Preflight>,
    /// The one verdict the file ends with (with `--to`, the upgrade's blockers come first).
    pub verdict: crate::mautic::overall::Verdict,
    /// Values to hide; empty with `--no-redact` except the password, which is always hidden.
    pub secrets: Vec<Secret>,
    pub redacted: bool,
    pub budget: usize,
}

/// The read-only pre-checks `apply` runs before any DDL, on this plan.
pub enum Prechecks {
    /// (check, message) per failure; empty: all passed.
    Ran(Vec<(String, String)>),
    NotRun(String),
}

pub struct Preflight {
    pub from: String,
    pub to: String,
    /// (migration, verdict)
    pub verdicts: Vec<(String, String)>,
    /// (status, check, message)
    pub checks: Vec<(String, String, String)>,
    pub blockers: usize,
}

/// What may be left out to fit the budget.
#[derive(Debug, Clone, Copy, Default)]
struct Cuts {
    info: bool,
    legacy: bool,
    sql_blocks: Option<usize>,
    drift_rows: Option<usize>,
}

/// The file, within `input.budget` characters when cutting can get it there.
pub fn render_markdown(input: &MarkdownInput) -> String {
    let blocks = sql_blocks(input.report);
    let drift = input.report.drift_count();
    // A value may also appear escaped (in a table cell).
    let mut secrets = input.secrets.clone();
    secrets.extend(input.secrets.iter().map(|s| Secret {
        value: text(&s.value),
        ..s.clone()
    }));
    let public = public_names(mautic_names(input));
    let mut cuts = Cuts::default();
    loop {
        let text = fit_lines(&redact(
            &render_with(input, &blocks, cuts),
            &secrets,
            input.redacted,
            &public,
        ));
        if text.chars().count() <= input.budget {
            return text;
        }
        cuts = match cuts {
            Cuts { info: false, .. } => Cuts { info: true, ..cuts },
            Cuts { legacy: false, .. } => Cuts {
                legacy: true,
                ..cuts
            },
            Cuts {
                sql_blocks: None, ..
            } => Cuts {
                sql_blocks: Some(blocks.len() / 2),
                ..cuts
            },
            Cuts {
                sql_blocks: Some(n),
                ..
            } if n > 0 => Cuts {
                sql_blocks: Some(n / 2),
                ..cuts
            },
            Cuts {
                drift_rows: None, ..
            } => Cuts {
                drift_rows: Some(drift / 2),
                ..cuts
            },
            Cuts {
                drift_rows: Some(n),
                ..
            } if n > 0 => Cuts {
                drift_rows: Some(n / 2),
                ..cuts
            },
            _ => return text,
        };
    }
}

/// Names Mautic gives every install (the reference's tables with and without the prefix, their
/// columns, indexes and keys, the prefix itself): a secret inside one is not the install's.
fn mautic_names(input: &MarkdownInput) -> Vec<String> {
    let prefix = input.prefix.as_str();
    let mut names = vec![
        prefix.to_string(),
        "migrations".to_string(),
        format!("{prefix}migrations"),
    ];
    for t in input.report.reference.tables.values() {
        names.push(t.name.clone());
        names.extend(t.name.strip_prefix(prefix).map(str::to_string));
        names.extend(t.columns.iter().map(|c| c.name.clone()));
        names.extend(t.indexes.iter().map(|i| i.name.clone()));
        names.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The SQL `diff --format sql` prints, in blocks separated by blank lines (a statement and its
/// comments), the header first.
fn sql_blocks(r: &Comparison) -> Vec<String> {
    super::render_sql(r)
        .split("\n\n")
        .map(|b| b.trim_end().to_string())
        .collect()
}

fn render_with(input: &MarkdownInput, blocks: &[String], cuts: Cuts) -> String {
    let r = input.report;
    let mut out = String::new();
    out.push_str("# mautic-schema report\n\n");
    if !input.redacted {
        out.push_str("> **Not redacted** (`--no-redact`): host, user, database name, site URL and e-mail addresses appear as they are. Check before posting.\n\n");
    }
    out.push_str(&format!(
        "Generated {} by mautic-schema {}.\n\n",
        input.generated_at, input.tool_version
    ));
    overview(&mut out, input);
    section_list(&mut out, "Migrations", &input.migrations);
    drift(&mut out, r, cuts);
    sql(&mut out, blocks, cuts, input.redacted);
    prechecks(&mut out, &input.prechecks);
    if let Some(p) = &input.preflight {
        preflight(&mut out, p);
    }
    let mut notes: Vec<String> = r.explanation.clone();
    notes.extend(r.notes.iter().cloned());
    section_list(&mut out, "Notes", &notes);
    cut_note(&mut out, r, blocks, cuts);
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&format!("## Verdict\n\n{}\n", text(&input.verdict.line)));
    out
}

fn overview(out: &mut String, input: &MarkdownInput) {
    let r = input.report;
    out.push_str("## Install\n\n| | |\n|---|---|\n");
    let mut row = |k: &str, v: &str| out.push_str(&format!("| {k} | {} |\n", cell(v)));
    row(
        "Mautic code version",
        input.code_version.as_deref().unwrap_or("unknown"),
    );
    match &input.detected {
        Some((d, by)) => row("Schema detected at", &format!("{d} (from the {by})")),
        None => row("Schema detected at", "unknown"),
    }
    row("Compared with", &r.target);
    row(
        "Server",
        &format!("{} {}", r.server.flavor, r.server.version_string),
    );
    let prefix = input.prefix.as_str();
    row(
        "Table prefix",
        if prefix.is_empty() { "(none)" } else { prefix },
    );
    row("Source", &r.source);
    row("Foreign tables", &r.foreign_tables.len().to_string());
    out.push('\n');
}

fn section_list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("## {title}\n\n"));
    for i in items {
        out.push_str(&format!("- {}\n", text(i)));
    }
    out.push('\n');
}

fn drift(out: &mut String, r: &Comparison, cuts: Cuts) {
    out.push_str(&format!(
        "## Differences\n\n{} drift, {} legacy, {} info.\n\n",
        r.count(Severity::Drift),
        r.count(Severity::Legacy),
        r.count(Severity::Info),
    ));
    let mut drift_left = cuts.drift_rows.unwrap_or(usize::MAX);
    let rows: Vec<_> = r
        .changes
        .iter()
        .filter(|c| match c.severity {
            Severity::Drift => {
                let keep = drift_left > 0;
                drift_left = drift_left.saturating_sub(1);
                keep
            }
            Severity::Legacy => !cuts.legacy,
            Severity::Info => !cuts.info,
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    // A list, not a table: an item wraps within the width, a table row cannot.
    for c in rows {
        // A table's own change names the table once.
        let what = if c.object == c.table {
            cell(&c.table)
        } else {
            format!("{}.{}", cell(&c.table), cell(&c.object))
        };
        out.push_str(&format!(
            "- **{:?}** {what}: {} ({})\n",
            c.severity,
            cell(&c.detail),
            c.kind.as_str()
        ));
    }
    out.push('\n');
}

fn sql(out: &mut String, blocks: &[String], cuts: Cuts, redacted: bool) {
    out.push_str("## SQL\n\nThe statements `mautic-schema diff` prints");
    out.push_str(if redacted {
        " (a hidden value shows as a placeholder such as \\<e-mail\\>: run `diff` for the exact text):\n\n```sql\n"
    } else {
        ":\n\n```sql\n"
    });
    let keep = cuts.sql_blocks.map_or(blocks.len(), |n| n.max(1));
    let shown: Vec<&str> = blocks.iter().take(keep).map(|b| b.as_str()).collect();
    // A line of backticks inside the SQL would close the fence early.
    out.push_str(&shown.join("\n\n").replace("```", "` ` `"));
    out.push_str("\n```\n\n");
}

fn prechecks(out: &mut String, p: &Prechecks) {
    out.push_str("## Pre-checks\n\n");
    match p {
        Prechecks::Ran(f) if f.is_empty() => out.push_str(
            "Every read-only pre-check `apply` runs on this plan passed (orphans, duplicates, truncation, JSON, zero dates, key and row limits).\n\n",
        ),
        Prechecks::Ran(f) => {
            for (check, message) in f {
                out.push_str(&format!("- **{}**: {}\n", text(check), text(message)));
            }
            out.push('\n');
        }
        Prechecks::NotRun(why) => out.push_str(&format!("Not included: {}.\n\n", text(why))),
    }
}

fn preflight(out: &mut String, p: &Preflight) {
    out.push_str(&format!(
        "## Preflight {} → {}\n\n{} blocker(s) found (the verdict at the end says what it comes to).\n\n",
        text(&p.from),
        text(&p.to),
        p.blockers
    ));
    for (status, check, message) in &p.checks {
        out.push_str(&format!(
            "- **{status}** {}: {}\n",
            cell(check),
            cell(message)
        ));
    }
    out.push('\n');
    if !p.verdicts.is_empty() {
        out.push_str("Migrations:\n\n");
        for (m, v) in &p.verdicts {
            out.push_str(&format!("- {}: {}\n", cell(m), cell(v)));
        }
        out.push('\n');
    }
}

/// What was left out to fit the budget, and the command that gives it in full.
fn cut_note(out: &mut String, r: &Comparison, blocks: &[String], cuts: Cuts) {
    let mut cut = Vec::new();
    if cuts.info && r.count(Severity::Info) > 0 {
        cut.push(format!("{} info row(s)", r.count(Severity::Info)));
    }
    if cuts.legacy && r.count(Severity::Legacy) > 0 {
        cut.push(format!("{} legacy row(s)", r.count(Severity::Legacy)));
    }
    if let Some(n) = cuts.sql_blocks {
        let kept = n.max(1).min(blocks.len());
        cut.push(format!(
            "{} of {} SQL block(s) (each a statement and its comments)",
            blocks.len() - kept,
            blocks.len()
        ));
    }
    if let Some(n) = cuts.drift_rows {
        cut.push(format!(
            "{} of {} drift row(s)",
            r.drift_count() - n,
            r.drift_count()
        ));
    }
    if cut.is_empty() {
        return;
    }
    out.push_str(&format!(
        "## Cut\n\nCut to fit a forum post ({FORUM_BUDGET} characters, Discourse's default): {}. \
         The full list: `mautic-schema check` with the same flags; all the SQL: \
         `mautic-schema diff` with the same flags.\n",
        cut.join(", ")
    ));
}

/// Every line of `md` within [`WIDTH`]: paragraphs, list items (continued under their text)
/// and quotes wrapped at spaces; SQL in the fence broken at spaces outside quotes (comments
/// continued as comments); headings and table rows as they are.
fn fit_lines(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + md.len() / 50);
    let mut in_fence = false;
    for line in md.lines() {
        let fence = line.starts_with("```");
        let wrapped: Vec<String> = if fence || line.chars().count() <= WIDTH {
            vec![line.to_string()]
        } else if in_fence {
            sql_lines(line)
        } else if line.starts_with('|') || line.starts_with('#') {
            vec![line.to_string()]
        } else {
            let (first, rest) = match line {
                l if l.starts_with("- ") => ("- ", "  "),
                l if l.starts_with("> ") => ("> ", "> "),
                _ => ("", ""),
            };
            prose(&line[first.len()..], first, rest)
        };
        for l in wrapped {
            out.push_str(&l);
            out.push('\n');
        }
        if fence {
            in_fence = !in_fence;
        }
    }
    out
}

/// Text wrapped at spaces only: a word longer than a line stays whole (a cut escape or name
/// would change what the Markdown says). A continuation line that would open a block (`- `,
/// `# `, `1. `) gets its marker escaped, so it stays part of the paragraph or item.
fn prose(text: &str, first: &str, rest: &str) -> Vec<String> {
    let opts = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, opts)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let l = l.trim_end();
            match l.strip_prefix(rest) {
                Some(body) if i > 0 && opens_block(body) => format!("{rest}\\{body}"),
                _ => l.to_string(),
            }
        })
        .collect()
}

/// Whether a line starting with `s` would begin a list, heading or quote in CommonMark.
fn opens_block(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    ["- ", "+ ", "* ", "#", "> "]
        .iter()
        .any(|m| s.starts_with(m))
        || (digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')')))
}

/// A SQL line broken at spaces outside quotes into lines within [`WIDTH`]: a `--` comment goes
/// on as `--   `, a statement on an indented line (SQL ignores the line break). A line with
/// no such space stays long.
fn sql_lines(line: &str) -> Vec<String> {
    if let Some(text) = line.trim_start().strip_prefix("-- ") {
        let indent = &line[..line.len() - line.trim_start().len()];
        return prose(text, &format!("{indent}-- "), &format!("{indent}--   "));
    }
    let indent = line.len() - line.trim_start().len() + 4;
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let flush = |current: &mut String, word: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push(std::mem::take(current));
            current.push_str(&" ".repeat(indent));
            current.push_str(word.trim_start());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        word.clear();
    };
    for c in line.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q != '`' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                word.push(c);
            }
            None if c == ' ' && !word.trim().is_empty() => flush(&mut current, &mut word, &mut out),
            None => {
                if "'\"`".contains(c) {
                    quote = Some(c);
                }
                word.push(c);
            }
        }
    }
    flush(&mut current, &mut word, &mut out);
    out.push(current);
    out
}

/// Text from the database in a table cell: one line, Markdown's special characters escaped.
fn cell(s: &str) -> String {
    text(s)
}

/// Text from the database in running Markdown: one line, special characters escaped.
fn text(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in crate::text::one_line(s).chars().enumerate() {
        // `_` is left alone: inside names it makes no emphasis, and escaping it would split
        // the e-mail addresses and names the redaction looks for.
        if "\\`*[]<>|~&".contains(c) || (i == 0 && "#+-=".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_without_breaking_quotes_or_table_rows() {
        let long_comment = format!("-- leads: {}", "word ".repeat(40));
        let statement = format!(
            "  ADD COLUMN `c` varchar(10) COMMENT '{}', ADD KEY `k` (`c`), {}",
            "a quoted comment with spaces ".repeat(2),
            "ADD KEY `x` (`y`), ".repeat(5)
        );
        let row = format!("| Source | {} |", "x".repeat(120));
        let item = format!("- {}", "some words ".repeat(20));
        let md = format!("{row}\n{item}\n```sql\n{long_comment}\n{statement}\n```\n");
        let fitted = fit_lines(&md);
        for l in fitted.lines().filter(|l| !l.starts_with('|')) {
            assert!(l.chars().count() <= WIDTH, "{l}");
        }
        assert!(fitted.contains(&row));
        // The quoted comment is on one line, as written; continuations are indented.
        assert!(fitted.contains(&format!("'{}'", "a quoted comment with spaces ".repeat(2))));
        assert!(fitted.lines().any(|l| l.starts_with("--   word")));
        assert!(fitted.lines().any(|l| l.starts_with("      ADD KEY")));
        assert!(fitted.lines().any(|l| l.starts_with("  some words")));
        // Joined again, the SQL is the same words.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let sql: String = fitted
            .lines()
            .skip_while(|l| !l.starts_with("```"))
            .skip(1)
            .filter(|l| !l.starts_with("--") && !l.starts_with("```"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(words(&sql), words(&statement));
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;

    #[test]
    fn a_wrapped_line_never_opens_a_block() {
        for marker in ["- two", "# two", "1. two", "> two"] {
            let text = format!("{} {marker} words after", "word ".repeat(20).trim_end());
            let lines = prose(&text, "", "");
            assert!(lines.len() > 1, "{lines:?}");
            assert!(lines[1].starts_with('\\'), "{lines:?}");
            // "- " and 19 words and "abc" fill the first line.
            let item = prose(&format!("{}abc {marker}", "word ".repeat(19)), "- ", "  ");
            assert!(item[1].starts_with("  \\"), "{item:?}");
        }
    }
}
