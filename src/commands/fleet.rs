//! `check` of many installs in one run (an agency's or a multi-tenant host's): one line per
//! install (or one JSON object per line), exit with the worst outcome. Installs whose
//! local.php names the same server, account and database share one connection and one reading
//! of the catalog: the whole database is inspected once and each install takes its prefix's
//! tables from it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Outcome, Resolved, Source, connect_params, resolve};
use crate::cli::{CheckArgs, CommonArgs, Format};
use crate::compare::Live;
use crate::config::Env;
use crate::db::Db;
use crate::diff::Severity;
use crate::error::{Error, Result};
use crate::mautic::check::mautic_report;
use crate::text::one_line;

fn is_pattern(p: &std::path::Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '['])
}

/// Whether the command runs as a fleet (one line per install): several installs, a glob
/// pattern to expand (quoted, so that the shell did not; cron and systemd have none), or
/// `--brief`.
pub fn is_fleet(args: &CommonArgs, fleet: &crate::cli::FleetArgs) -> bool {
    let s = &args.source;
    s.mautic_dir.len() + s.config.len() > 1
        || fleet.brief
        || s.mautic_dir.iter().chain(&s.config).any(|p| is_pattern(p))
}

/// A value as given, or the paths its pattern matches (sorted); a pattern matching nothing is
/// an error of its own line.
fn expand(p: &std::path::Path) -> Vec<std::result::Result<PathBuf, String>> {
    if !is_pattern(p) {
        return vec![Ok(p.to_path_buf())];
    }
    let text = p.to_string_lossy();
    let paths: Vec<PathBuf> = match glob::glob(&text) {
        Ok(paths) => paths.filter_map(|r| r.ok()).collect(),
        Err(e) => return vec![Err(format!("{text}: not a valid pattern: {}", e.msg))],
    };
    if paths.is_empty() {
        return vec![Err(format!("{text}: the pattern matches nothing"))];
    }
    paths.into_iter().map(Ok).collect()
}

/// The installs named on the command line, one `CommonArgs` each (or why not).
pub fn installs(args: &CommonArgs) -> Vec<(String, std::result::Result<CommonArgs, String>)> {
    let s = &args.source;
    let one = |dir: Option<PathBuf>, config: Option<PathBuf>| {
        let mut a = args.clone();
        a.source.mautic_dir = dir.into_iter().collect();
        a.source.config = config.into_iter().collect();
        a
    };
    let mut out = Vec::new();
    if s.mautic_dir.is_empty() && s.config.is_empty() {
        // --brief with --url or --dump: the one install is named by its source.
        let name = match (&s.url, &s.dump) {
            (_, Some(d)) => d.display().to_string(),
            _ => "--url".to_string(),
        };
        return vec![(name, Ok(args.clone()))];
    }
    for d in &s.mautic_dir {
        for r in expand(d) {
            out.push(match r {
                Ok(d) => (d.display().to_string(), Ok(one(Some(d), None))),
                Err(e) => (d.display().to_string(), Err(e)),
            });
        }
    }
    for c in &s.config {
        for r in expand(c) {
            out.push(match r {
                Ok(c) => (c.display().to_string(), Ok(one(None, Some(c)))),
                Err(e) => (c.display().to_string(), Err(e)),
            });
        }
    }
    out
}

/// What one install's check came to.
struct Verdict {
    install: String,
    prefix: String,
    result: std::result::Result<Summary, String>,
}

struct Summary {
    in_sync: bool,
    drift: usize,
    held_back: usize,
    target: String,
    pending_migrations: usize,
}

pub async fn run(args: &CheckArgs) -> Result<Outcome> {
    let env = Env::from_process();
    let mut verdicts: Vec<Verdict> = Vec::new();
    // Group by connection: one inspection per server database.
    let mut groups: BTreeMap<String, Vec<(String, Resolved, CommonArgs)>> = BTreeMap::new();
    for (install, a) in installs(&args.common) {
        match a.and_then(|a| resolve(&a, &env).map(|r| (r, a)).map_err(|e| e.to_string())) {
            Ok((r, a)) => {
                let key = match &r.source {
                    Source::Server(s) => format!(
                        "{}\u{0}{}\u{0}{:?}\u{0}{}\u{0}{}",
                        s.host, s.port, s.socket, s.user, s.name
                    ),
                    Source::Dump(p) => p.display().to_string(),
                };
                groups.entry(key).or_default().push((install, r, a));
            }
            Err(e) => verdicts.push(Verdict {
                install,
                prefix: String::new(),
                result: Err(e),
            }),
        }
    }
    // Databases are read side by side (the waits are the servers'), at most --jobs at once.
    use futures_util::StreamExt as _;
    let allow = args.allow_destructive;
    let mut done = futures_util::stream::iter(groups.into_values())
        .map(|members| check_group(members, allow))
        .buffer_unordered(usize::from(args.fleet.jobs));
    while let Some(v) = done.next().await {
        verdicts.extend(v);
    }
    verdicts.sort_by(|a, b| a.install.cmp(&b.install));
    for v in &verdicts {
        println!("{}", line(v, args.format));
    }
    worst(
        verdicts
            .iter()
            .map(|v| v.result.as_ref().map(|s| s.in_sync).map_err(|_| ())),
    )
}

/// The fleet's exit: an error when an install could not be checked (its line says why), else
/// differences when one is not fine (out of sync, or not ready), else in sync.
pub fn worst(fine: impl Iterator<Item = std::result::Result<bool, ()>>) -> Result<Outcome> {
    let (mut total, mut failed, mut all_fine) = (0, 0, true);
    for f in fine {
        total += 1;
        match f {
            Ok(ok) => all_fine &= ok,
            Err(()) => failed += 1,
        }
    }
    if failed > 0 {
        return Err(Error::Input(format!(
            "{failed} of {total} install(s) could not be checked (see their lines)"
        )));
    }
    Ok(if all_fine {
        Outcome::InSync
    } else {
        Outcome::Differences
    })
}

async fn check_group(
    members: Vec<(String, Resolved, CommonArgs)>,
    allow_destructive: bool,
) -> Vec<Verdict> {
    let mut out = Vec::new();
    check_members(&members, allow_destructive, &mut out).await;
    out
}

async fn check_members(
    members: &[(String, Resolved, CommonArgs)],
    allow_destructive: bool,
    out: &mut Vec<Verdict>,
) {
    let fail = |out: &mut Vec<Verdict>, members: &[(String, Resolved, CommonArgs)], e: String| {
        for (install, r, _) in members {
            out.push(Verdict {
                install: install.clone(),
                prefix: r.prefix.clone(),
                result: Err(e.clone()),
            });
        }
    };
    let Some((_, first, _)) = members.first() else {
        return;
    };
    let Source::Server(settings) = &first.source else {
        fail(out, members, "a dump is checked on its own".into());
        return;
    };
    let params = connect_params(settings);
    let mut db = match Db::connect(&params).await {
        Ok(db) => db,
        Err(e) => return fail(out, members, e.to_string()),
    };
    let started = std::time::Instant::now();
    let inspected = match crate::inspect::inspect(&mut db).await {
        Ok(i) => i,
        Err(e) => return fail(out, members, e.to_string()),
    };
    let inspect_seconds = started.elapsed().as_secs_f64();
    let mut conn = Some(db);
    for (k, (install, r, a)) in members.iter().enumerate() {
        let mut live = Live {
            schema: inspected.schema.clone(),
            server: inspected.server.clone(),
            description: format!(
                "database `{}` on {}:{}",
                params.database, params.host, params.port
            ),
            db: conn.take(),
            rows: Default::default(),
            queries: inspected.queries,
            inspect_seconds,
            notes: Vec::new(),
            outside: Vec::new(),
        };
        let result = match super::check_options(a, r, allow_destructive) {
            Ok(opts) => mautic_report(&mut live, &r.prefix, &opts)
                .await
                .map(|(report, _)| summary(&report))
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        conn = live.db.take();
        out.push(Verdict {
            install: install.clone(),
            prefix: r.prefix.clone(),
            result,
        });
        if conn.is_none() {
            // The report kept no connection to hand on: the rest cannot be checked.
            fail(out, &members[k + 1..], "the connection was lost".into());
            return;
        }
    }
}

fn summary(report: &crate::report::Report) -> Summary {
    Summary {
        in_sync: report.in_sync(),
        drift: report.count(Severity::Drift),
        held_back: report.plan.skipped.len(),
        target: report.target.clone(),
        pending_migrations: report.pending_schema_migrations,
    }
}

fn line(v: &Verdict, format: Format) -> String {
    if format == Format::Json {
        use crate::report::contract::{FORMAT_VERSION, FleetLine, to_json_line};
        let ok = v.result.as_ref().ok();
        return to_json_line(&FleetLine {
            format_version: FORMAT_VERSION,
            install: v.install.clone(),
            prefix: v.prefix.clone(),
            in_sync: ok.map(|s| s.in_sync),
            drift: ok.map(|s| s.drift),
            held_back: ok.map(|s| s.held_back),
            target: ok.map(|s| s.target.clone()),
            pending_schema_migrations: ok.map(|s| s.pending_migrations),
            error: v.result.as_ref().err().cloned(),
        });
    }
    let what = match &v.result {
        Ok(s) if s.in_sync => format!("in sync with {}", s.target),
        Ok(s) => format!(
            "{} difference(s) to fix{} against {}{}",
            s.drift,
            if s.held_back > 0 {
                format!(" ({} held back)", s.held_back)
            } else {
                String::new()
            },
            s.target,
            if s.pending_migrations > 0 {
                format!(", {} migration(s) pending", s.pending_migrations)
            } else {
                String::new()
            }
        ),
        Err(e) => format!("error: {e}"),
    };
    one_line(&format!("{}: {what}", v.install)).into_owned()
}
