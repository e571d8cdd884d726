//! What each planned ALTER will cost the site: the algorithm the server will pick, whether
//! writes to the table wait meanwhile, and for how long, estimated from the table's size when
//! it is known (never guessed when it is not).

use crate::comparison::Comparison;
use crate::plan::algorithm::{Algorithm, Lock, estimate_seconds, step_verdict};
use crate::plan::split::SPLIT_NOTE;

/// Columns a comment line may take, `-- ` included.
const WIDTH: usize = 80;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Announcement {
    /// 1-based position of the statement in the plan.
    pub step: usize,
    pub table: String,
    pub algorithm: Algorithm,
    pub lock: Lock,
    pub blocks_writes: bool,
    /// Every row is rewritten: the time grows with the table.
    pub rebuild: bool,
    /// The clause that decides it.
    pub why: String,
    /// The catalog's estimates; `None` when unknown (a dump, or a table the plan creates).
    pub rows: Option<u64>,
    pub bytes: Option<u64>,
    /// Seconds the statement should take (and, when it blocks, writes wait), when the size is
    /// known and rows are read at all.
    pub estimated_seconds: Option<f64>,
    /// Index changes moved out of the table's COPY so that they run online.
    pub split_from_copy: bool,
}

/// One announcement per ALTER statement of the plan (statements that create or drop tables
/// have none), in plan order.
pub fn announce(r: &Comparison) -> Vec<Announcement> {
    r.plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(n, step)| {
            let v = step_verdict(step, &r.live, &r.server)?;
            let size = r.sizes.as_ref().and_then(|s| s.get(&step.table)).copied();
            let estimated_seconds = estimate_seconds(&v, size);
            Some(Announcement {
                step: n + 1,
                table: step.table.clone(),
                algorithm: v.algorithm,
                lock: v.lock,
                blocks_writes: v.blocks_writes(),
                rebuild: v.rebuild,
                why: v.why,
                rows: size.map(|s| s.rows),
                bytes: size.map(|s| s.bytes),
                estimated_seconds,
                split_from_copy: step.reasons.first().is_some_and(|r| r == SPLIT_NOTE),
            })
        })
        .collect()
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn seconds(s: f64) -> String {
    if s < 1.0 {
        "under 1 s".into()
    } else if s < 120.0 {
        format!("about {:.0} s", s.ceil())
    } else {
        format!("about {:.0} min", (s / 60.0).ceil())
    }
}

/// The algorithm and what it means for writes, in a few words.
pub fn headline(a: &Announcement) -> String {
    let algo = match a.lock {
        Lock::Shared if a.algorithm == Algorithm::Inplace => "ALGORITHM=INPLACE, LOCK=SHARED",
        _ => match a.algorithm {
            Algorithm::Instant => "ALGORITHM=INSTANT",
            Algorithm::Inplace => "ALGORITHM=INPLACE, LOCK=NONE",
            Algorithm::Copy => "ALGORITHM=COPY",
        },
    };
    let effect = match (a.algorithm, a.blocks_writes) {
        (Algorithm::Copy, _) => "writes blocked for the whole copy",
        (_, true) => "writes blocked while it runs",
        (Algorithm::Instant, false) => "metadata only, writes not blocked",
        (_, false) => "writes not blocked",
    };
    format!("{algo}: {effect}")
}

/// How long, from the size: `2,000,000 rows, 410.0 MB: about 35 s`, or why it is not known.
pub fn duration(a: &Announcement) -> Option<String> {
    if a.algorithm == Algorithm::Instant {
        return None;
    }
    Some(match (a.rows, a.bytes, a.estimated_seconds) {
        (Some(rows), Some(bytes), Some(s)) => format!(
            "~{} rows, {}: {} (estimate)",
            thousands(rows),
            crate::apply::space::human(bytes),
            seconds(s)
        ),
        _ => "table size unknown (no connection): time grows with it".into(),
    })
}

/// Words wrapped into `-- ` comment lines of at most 80 columns (a single longer word, such
/// as a long table name, stays whole).
fn wrap(text: &str, out: &mut Vec<String>) {
    let mut line = String::from("--");
    for word in text.split(' ') {
        if line.len() + 1 + word.len() > WIDTH && line.trim_start_matches('-').trim() != "" {
            out.push(std::mem::take(&mut line));
            line = String::from("--  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push(line);
}

/// The comment lines that announce a statement's cost (text from the database is made safe
/// by the caller).
pub fn announcement_lines(a: &Announcement) -> Vec<String> {
    let mut out = Vec::new();
    let table = crate::text::one_line(&a.table);
    wrap(&format!("{table}: {}", headline(a)), &mut out);
    if a.algorithm != Algorithm::Instant {
        wrap(&format!("  because of {}", a.why), &mut out);
    }
    if let Some(d) = duration(a) {
        wrap(&format!("  {d}"), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(algorithm: Algorithm, size: Option<(u64, u64)>) -> Announcement {
        Announcement {
            step: 1,
            table: "lead_event_log".into(),
            algorithm,
            lock: Lock::None,
            blocks_writes: algorithm == Algorithm::Copy,
            rebuild: algorithm == Algorithm::Copy,
            why: "MODIFY `object_id`: type bigint → int".into(),
            rows: size.map(|s| s.0),
            bytes: size.map(|s| s.1),
            estimated_seconds: size
                .map(|s| s.1 as f64 / crate::plan::algorithm::REBUILD_BYTES_PER_SECOND),
            split_from_copy: false,
        }
    }

    #[test]
    fn lines_fit_and_say_it() {
        let lines = announcement_lines(&a(Algorithm::Copy, Some((2_000_000, 410 << 20))));
        assert!(
            lines
                .iter()
                .all(|l| l.len() <= WIDTH && l.starts_with("-- "))
        );
        let text = lines.join("\n");
        assert!(text.contains("ALGORITHM=COPY: writes blocked"), "{text}");
        assert!(
            text.contains("~2,000,000 rows, 410.0 MB: about 35 s"),
            "{text}"
        );
        let lines = announcement_lines(&a(Algorithm::Copy, None));
        assert!(lines.join("\n").contains("table size unknown"));
        let lines = announcement_lines(&a(Algorithm::Instant, None));
        assert_eq!(
            lines,
            ["-- lead_event_log: ALGORITHM=INSTANT: metadata only, writes not blocked"]
        );
        let mut long = a(Algorithm::Copy, Some((5, 5 << 20)));
        long.table = "x".repeat(64);
        assert!(announcement_lines(&long).iter().all(|l| l.len() <= WIDTH));
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
