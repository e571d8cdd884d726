//! The human report: one row per change, grouped by table, and a summary line that says what to
//! run next. It fits the width it is given ([`width`]: `--width`, else `COLUMNS`, else the
//! terminal's, else 80 for a pipe, so `check | less` reads in a pager): a table on wide screens,
//! one block per change on narrow ones (and on a pipe by default: no box drawing), and never a
//! line wider than the width. On a terminal the fix column and the summary are coloured
//! by severity, unless `NO_COLOR` is set (https://no-color.org); pipes and files get none.

use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::comparison::Comparison;
use crate::diff::Severity;
use crate::text::{one_line, wrap};
use std::collections::BTreeSet;

/// The width of output read through a pipe or a file, whatever the terminal: stable output
/// that reads in an 80-column pager (below [`LIST_BELOW`]: the list, no box drawing).
pub const PIPE_WIDTH: usize = 80;
/// Below this width the report is a list (one block per change) rather than a table.
pub const LIST_BELOW: usize = 90;
/// Never narrower than this, whatever `COLUMNS` says.
const MIN_WIDTH: usize = 40;

/// The width to render for: `asked` (`--width`), else `COLUMNS` when set to a number, else the
/// terminal's width when standard output is a terminal, else [`PIPE_WIDTH`].
pub fn width(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(default_width).max(MIN_WIDTH)
}

fn default_width() -> usize {
    use std::io::IsTerminal;
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0);
    from_env
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(terminal_columns)
                .flatten()
        })
        .unwrap_or(PIPE_WIDTH)
}

/// The terminal's columns on standard output (TIOCGWINSZ), when it says.
fn terminal_columns() -> Option<usize> {
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: an ioctl that fills a zeroed winsize on a valid descriptor.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

/// Whether to colour: standard output is a terminal and `NO_COLOR` is unset or empty.
pub fn colour() -> bool {
    use std::io::IsTerminal;
    colour_for(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// [`colour`]'s rule: a terminal, and `NO_COLOR` absent or empty (https://no-color.org).
pub fn colour_for(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// A severity's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    /// Destructive: data or a guarantee would be lost.
    Red,
    /// Drift to fix.
    Yellow,
    /// In sync.
    Green,
    /// Tolerated, for information.
    Dim,
}

impl Tone {
    fn ansi(self) -> &'static str {
        match self {
            Tone::Red => "\x1b[31m",
            Tone::Yellow => "\x1b[33m",
            Tone::Green => "\x1b[32m",
            Tone::Dim => "\x1b[2m",
        }
    }

    fn cell(self) -> comfy_table::Color {
        match self {
            Tone::Red => comfy_table::Color::Red,
            Tone::Yellow => comfy_table::Color::Yellow,
            Tone::Green => comfy_table::Color::Green,
            Tone::Dim => comfy_table::Color::DarkGrey,
        }
    }
}

/// The characters a terminal shows: `s` without its colour sequences.
fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters, then a final letter.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Append `text` wrapped at `width` (first line after `first`, the others after `rest`).
fn push_wrapped(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    push_toned(out, text, width, (first, rest), None);
}

/// [`push_wrapped`], each line in `tone` when given (wrapped first: colour takes no width).
fn push_toned(
    out: &mut String,
    text: &str,
    width: usize,
    (first, rest): (&str, &str),
    tone: Option<Tone>,
) {
    for l in wrap(text, width, first, rest) {
        match tone {
            Some(t) => {
                out.push_str(t.ansi());
                out.push_str(l.trim_end());
                out.push_str("\x1b[0m");
            }
            None => out.push_str(l.trim_end()),
        }
        out.push('\n');
    }
}

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
fn foreign_summary(r: &Comparison) -> String {
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
    out
}

/// The colour of change `i`'s fix label: red when destructive, yellow for drift, dim otherwise.
fn fix_tone(c: &crate::diff::Change) -> Tone {
    match (c.severity, c.destructive) {
        (Severity::Drift, true) => Tone::Red,
        (Severity::Drift, false) => Tone::Yellow,
        _ => Tone::Dim,
    }
}

/// What the fix column says for change `i`.
fn fix_label(r: &Comparison, i: usize, c: &crate::diff::Change) -> String {
    match (c.severity, c.destructive, r.plan.skipped.contains(&i)) {
        (Severity::Info, _, _) => "info".to_string(),
        (Severity::Legacy, _, _) => "legacy, tolerated".to_string(),
        (_, true, true) => "destructive: held back".to_string(),
        (_, true, false) => "destructive".to_string(),
        _ if !c.has_fix() => "manual".to_string(),
        _ => "yes".to_string(),
    }
}

/// The object a change row names: empty for a table's own change (the table is named already).
fn object_of(c: &crate::diff::Change) -> &str {
    if c.object == c.table { "" } else { &c.object }
}

/// The changes as a table whose columns are sized to fit `width`.
fn changes_table(r: &Comparison, width: usize, colour: bool) -> String {
    let mut t = Table::new();
    if colour {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
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
        t.add_row(vec![
            Cell::new(one_line(&table)),
            Cell::new(c.kind.as_str().replace('_', " ")),
            Cell::new(one_line(object_of(c))),
            Cell::new(one_line(&c.detail)),
            Cell::new(fix_label(r, i, c)).fg(fix_tone(c).cell()),
        ]);
    }
    let mut out = String::new();
    // comfy-table keeps within the width it is given; a line it could not narrow (a long
    // unbreakable name in a very narrow column) is cut rather than let through.
    for line in t.to_string().lines() {
        if visible(line).chars().count() > width {
            // Cut the colourless text: a cut colour sequence would garble the screen.
            out.push_str(&crate::text::truncate_chars(
                &visible(line),
                width.saturating_sub(1),
            ));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The changes as a list for narrow terminals: a heading per table, a block per change.
fn changes_list(r: &Comparison, width: usize, colour: bool) -> String {
    let mut out = String::new();
    let mut last: Option<&str> = None;
    for (i, c) in r
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.severity != Severity::Info)
    {
        if last != Some(c.table.as_str()) {
            push_wrapped(&mut out, &one_line(&c.table), width, "", "  ");
            last = Some(c.table.as_str());
        }
        let head = format!(
            "{} (fix: {})",
            [
                c.kind.as_str().replace('_', " "),
                one_line(object_of(c)).into_owned()
            ]
            .join(" ")
            .trim_end(),
            fix_label(r, i, c)
        );
        let tone = colour.then(|| fix_tone(c));
        push_toned(&mut out, &head, width, ("  - ", "    "), tone);
        push_wrapped(&mut out, &one_line(&c.detail), width, "    ", "    ");
    }
    out
}

/// The human report at the width of [`width`] (`--width`, `COLUMNS`, the terminal, or the
/// pipe default), coloured when [`colour`] says so.
pub fn render_table(r: &Comparison, asked_width: Option<usize>) -> String {
    render_table_styled(r, width(asked_width), colour())
}

/// The human report for a screen `width` characters wide: no line is wider. No colour.
pub fn render_table_at(r: &Comparison, width: usize) -> String {
    render_table_styled(r, width, false)
}

/// An interrupted `apply`: the run, then each online change it left and what the rerun does.
fn interrupted_lines(r: &Comparison) -> Vec<String> {
    let Some(i) = &r.interrupted else {
        return Vec::new();
    };
    let mut lines = vec![match (i.run_id, i.statements_done) {
        (Some(id), Some(done)) => format!(
            "apply run {id} stopped after {done} statement(s); rerun `mautic-schema apply` to resume"
        ),
        _ => "an earlier apply left an online change unfinished".into(),
    }];
    for o in &i.online {
        let left = match o.left.is_empty() {
            true => "nothing of it is left".to_string(),
            false => format!("left: {}", o.left.join("; ")),
        };
        lines.push(format!(
            "`{}` ({} online change, {}): {left}; {}",
            o.table,
            crate::apply::online::TOOL,
            o.phase,
            o.rerun
        ));
    }
    lines
}

/// The human report, `width` wide, coloured by severity when `colour`.
pub fn render_table_styled(r: &Comparison, width: usize, colour: bool) -> String {
    let width = width.max(MIN_WIDTH);
    let tone = |t: Tone| colour.then_some(t);
    let mut out = String::new();
    let title = format!(
        "{} compared with {}",
        one_line(&r.source),
        one_line(&r.target)
    );
    push_wrapped(&mut out, &title, width, "", "  ");
    for e in &r.explanation {
        push_wrapped(&mut out, &one_line(e), width, "  ", "    ");
    }
    for n in &r.notes {
        push_wrapped(&mut out, &one_line(n), width, "note: ", "      ");
    }
    for line in interrupted_lines(r) {
        push_wrapped(&mut out, &one_line(&line), width, "interrupted: ", "      ");
    }
    if r.changes.iter().any(|c| c.severity != Severity::Info) {
        if width < LIST_BELOW {
            out.push_str(&changes_list(r, width, colour));
        } else {
            out.push_str(&changes_table(r, width, colour));
        }
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
        push_wrapped(
            &mut out,
            &format!(
                "{} item(s) for information only, nothing proposed (--format json lists each with its reason):",
                info.len()
            ),
            width,
            "",
            "  ",
        );
        for (kind, items) in by_kind {
            let shown: Vec<&str> = items.iter().take(12).map(String::as_str).collect();
            let more = if items.len() > 12 {
                format!(", ... ({} more)", items.len() - 12)
            } else {
                String::new()
            };
            push_wrapped(
                &mut out,
                &format!("{}: {}{more}", kind.replace('_', " "), shown.join(", ")),
                width,
                "  ",
                "    ",
            );
        }
    }
    if !r.foreign_tables.is_empty() {
        push_wrapped(&mut out, &foreign_summary(r), width, "", "  ");
    }
    let manual = &r.bookkeeping.manual;
    if !manual.is_empty() {
        push_wrapped(
            &mut out,
            &format!(
                "{} data migration(s) pending, for Mautic to run or record (apply does neither):",
                manual.len()
            ),
            width,
            "",
            "  ",
        );
        for m in manual {
            push_wrapped(&mut out, &one_line(m), width, "  - ", "    ");
        }
    }
    // The one verdict, last: the same line and exit code every command gives this database.
    let verdict = crate::mautic::overall::Verdict::of(r);
    let verdict_tone = match verdict.kind {
        crate::mautic::overall::Kind::InSync if manual.is_empty() => Tone::Green,
        _ => Tone::Yellow,
    };
    push_toned(
        &mut out,
        &verdict.line,
        width,
        ("", "  "),
        tone(verdict_tone),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_for(true, None));
        // https://no-color.org: set and not empty disables colour, whatever its value.
        assert!(!colour_for(true, Some(OsStr::new("1"))));
        assert!(!colour_for(true, Some(OsStr::new("0"))));
        assert!(colour_for(true, Some(OsStr::new(""))));
        assert!(!colour_for(false, None));
    }

    #[test]
    fn colour_takes_no_width() {
        let mut out = String::new();
        let text = "12 difference(s) to fix in 3 table(s) (0 legacy, 1 info); 0 destructive change(s) held back.";
        push_toned(&mut out, text, 40, ("", "  "), Some(Tone::Yellow));
        let mut plain = String::new();
        push_wrapped(&mut plain, text, 40, "", "  ");
        assert!(out.contains("\x1b[33m"));
        assert_eq!(visible(&out), plain);
    }
}
