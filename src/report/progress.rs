//! Showing progress events (see `crate::progress`) on standard error: indicatif bars and
//! spinners on a terminal, plain lines when asked for on a pipe (`--progress always`: a log, a
//! test), nothing otherwise. Each running statement gets a line at least every second.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Event, Observer, Progress, ServerStatus, Transfer};
use crate::text::{one_line, truncate_chars};

pub use crate::progress::{fit_stderr, stderr_columns};

/// `--progress`: `auto` shows it only when standard error is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Auto,
    Always,
    Never,
}

/// The observer for `when`, given whether standard error is a terminal (bars there, lines on a
/// pipe when forced).
pub fn progress(when: When) -> Progress {
    let terminal = std::io::stderr().is_terminal();
    let shown = match when {
        When::Never => false,
        When::Always => true,
        When::Auto => terminal,
    };
    if !shown {
        return Progress::silent();
    }
    Progress(std::sync::Arc::new(Renderer {
        bars: terminal,
        state: Mutex::new(State::default()),
    }))
}

struct Renderer {
    /// indicatif on a terminal; else one line per heartbeat.
    bars: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    bar: Option<ProgressBar>,
    /// When the current transfer began.
    started: Option<Instant>,
    /// When the last plain line about a transfer went out.
    last_line: Option<Instant>,
    /// Bytes of the current transfer so far.
    done: u64,
}

/// Lines about a transfer on a pipe: one a second is plenty.
const LINE_EVERY: Duration = Duration::from_secs(1);

impl Observer for Renderer {
    fn event(&self, e: Event<'_>) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        match e {
            Event::Bytes { what, done, total } => self.bytes(&mut st, what, done, total),
            Event::BytesDone { what, stopped } => {
                if let Some(bar) = st.bar.take() {
                    // A line of our own after the bar: a finished bar leaves the cursor on its line.
                    bar.finish_and_clear();
                }
                if stopped {
                    if st.started.is_some() {
                        eprintln!("{}: stopped after {}", what.as_str(), HumanBytes(st.done));
                    }
                } else if let Some(t) = st.started {
                    let secs = t.elapsed().as_secs_f64();
                    eprintln!(
                        "{}: done, {} in {secs:.1}s ({}/s)",
                        what.as_str(),
                        HumanBytes(st.done),
                        HumanBytes((st.done as f64 / secs.max(0.001)) as u64)
                    );
                }
                *st = State::default();
            }
            Event::StatementStarted { n, total, table } if self.bars => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template("{spinner} {prefix} {elapsed} {wide_msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    )
                    .with_prefix(format!("[{n}/{total}] {}", one_line(table)));
                bar.enable_steady_tick(Duration::from_millis(200));
                st.bar = Some(bar);
            }
            Event::StatementStarted { .. } => {}
            Event::StatementStatus {
                n,
                total,
                table,
                status,
                lock_wait_timeout,
            } => {
                let text = describe(status, lock_wait_timeout);
                match &st.bar {
                    Some(bar) => bar.set_message(text),
                    None => eprintln!("  [{n}/{total}] {}: {text}", one_line(table)),
                }
            }
            Event::Note(line) => {
                // Wrapped between words at the terminal's width: a relayed pt-osc line wider
                // than the screen would otherwise be cut wherever the last column falls.
                let line = fit_stderr(line, "      ");
                match &st.bar {
                    Some(bar) => bar.println(line),
                    None => eprintln!("{line}"),
                }
            }
            Event::Stage(what) => self.stage(&mut st, what),
            Event::StagesDone => {
                if let Some(bar) = st.bar.take() {
                    bar.finish_and_clear();
                }
                *st = State::default();
            }
            Event::StatementDone { .. } => {
                if let Some(bar) = st.bar.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}

/// Work shorter than this shows no stages at all.
const STAGES_AFTER: Duration = Duration::from_secs(1);

impl Renderer {
    /// A spinner naming the stage, drawn only once the work has taken `STAGES_AFTER` (a quick
    /// run leaves the terminal as it was); on a pipe, a line per stage after that.
    fn stage(&self, st: &mut State, what: &str) {
        let started = *st.started.get_or_insert_with(Instant::now);
        if !self.bars {
            if started.elapsed() >= STAGES_AFTER {
                eprintln!("{}...", one_line(what));
            }
            return;
        }
        let bar = st.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(
                ProgressStyle::with_template("{spinner} {elapsed} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            let shown = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(STAGES_AFTER);
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(200));
                }
            });
            bar
        });
        bar.set_message(one_line(what).to_string());
    }

    fn bytes(&self, st: &mut State, what: Transfer, done: u64, total: Option<u64>) {
        let started = *st.started.get_or_insert_with(Instant::now);
        st.done = done;
        if self.bars {
            let bar = st.bar.get_or_insert_with(|| transfer_bar(what, total));
            bar.set_position(done);
            return;
        }
        if st.last_line.is_some_and(|t| t.elapsed() < LINE_EVERY) {
            return;
        }
        st.last_line = Some(Instant::now());
        let secs = started.elapsed().as_secs_f64();
        let of = match total {
            Some(t) if t > 0 => format!(" of {} ({}%)", HumanBytes(t), done * 100 / t),
            _ => String::new(),
        };
        eprintln!(
            "{}: {}{of}, {}/s, {secs:.1}s elapsed",
            what.as_str(),
            HumanBytes(done),
            HumanBytes((done as f64 / secs.max(0.001)) as u64)
        );
    }
}

/// A bar when the size is known (restore), else a spinner counting bytes (a dump's size is
/// known only at its end).
fn transfer_bar(what: Transfer, total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(t) => (
            ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
            // The bar takes what the terminal leaves: the line fits 80 columns (and any width).
            "{prefix}: [{wide_bar}] {bytes}/{total_bytes}, {binary_bytes_per_sec}, eta {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{spinner} {prefix}: {bytes} written, {binary_bytes_per_sec}, {elapsed}",
        ),
    };
    let bar = bar
        .with_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        )
        .with_prefix(what.as_str());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// One line on a running statement: elapsed time, the server's stage and progress, and while it
/// waits for a metadata lock, who may hold it and what the user can do (never done for them).
pub fn describe(s: &ServerStatus, lock_wait_timeout: u32) -> String {
    let mut out = format!("{:.0}s elapsed", s.elapsed.as_secs_f64());
    if !s.waits_for_metadata_lock() {
        if let Some((stage, max)) = s.stage {
            out.push_str(&format!(", stage {stage}/{max}"));
        }
        if let Some(state) = &s.state {
            out.push_str(&format!(", server: {}", one_line(state)));
        }
        if let Some(p) = s.percent {
            out.push_str(&format!(" {p:.1}%"));
        }
        return out;
    }
    out.push_str(&format!(
        ", waiting for metadata lock (gives up after lock_wait_timeout={lock_wait_timeout}s)"
    ));
    let Some(b) = s.blockers.first() else {
        out.push_str("; its holder is not visible to this user (PROCESS privilege)");
        return out;
    };
    let trx = b
        .transaction_seconds
        .map(|t| format!(", transaction open {t}s"))
        .unwrap_or_default();
    let info = b
        .info
        .as_deref()
        .map(|i| format!(": {}", truncate_chars(&one_line(i), 60)))
        .unwrap_or_default();
    out.push_str(&format!(
        "; likely held by connection {} ({}, {} {}s{trx}{info}): let it finish, or `KILL {}` if you decide to",
        b.id,
        one_line(&b.user),
        one_line(&b.command),
        b.seconds,
        b.id
    ));
    if s.blockers.len() > 1 {
        let others: Vec<String> = s.blockers[1..].iter().map(|b| b.id.to_string()).collect();
        out.push_str(&format!(" (also on this database: {})", others.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Blocker;

    #[test]
    fn copy_stage_and_percent() {
        let s = ServerStatus {
            elapsed: Duration::from_millis(4_200),
            state: Some("copy to tmp table".into()),
            stage: Some((1, 2)),
            percent: Some(45.25),
            blockers: vec![],
        };
        assert_eq!(
            describe(&s, 5),
            "4s elapsed, stage 1/2, server: copy to tmp table 45.2%"
        );
    }

    #[test]
    fn metadata_lock_names_the_holder() {
        let s = ServerStatus {
            elapsed: Duration::from_secs(2),
            state: Some("Waiting for table metadata lock".into()),
            blockers: vec![
                Blocker {
                    id: 42,
                    user: "web".into(),
                    command: "Sleep".into(),
                    seconds: 30,
                    info: None,
                    transaction_seconds: Some(31),
                },
                Blocker {
                    id: 43,
                    user: "web".into(),
                    command: "Query".into(),
                    seconds: 1,
                    info: Some("SELECT\n1".into()),
                    transaction_seconds: None,
                },
            ],
            ..Default::default()
        };
        let d = describe(&s, 5);
        assert!(d.contains("waiting for metadata lock (gives up after lock_wait_timeout=5s)"));
        assert!(d.contains("connection 42 (web, Sleep 30s, transaction open 31s)"));
        assert!(d.contains("`KILL 42` if you decide to"));
        assert!(d.ends_with("(also on this database: 43)"));
        let nobody = ServerStatus {
            blockers: vec![],
            ..s
        };
        assert!(describe(&nobody, 5).contains("not visible"));
    }
}
