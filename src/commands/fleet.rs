//! `check` of many installs in one run (an agency's or a multi-tenant host's): one line per
//! install (or one JSON object per line, a subset of the install's own check document), exit
//! with the worst outcome; `--only-problems` prints only the installs that need attention.
//! Installs whose local.php names the same server, account, password, TLS settings and database
//! share one connection and one reading of the catalog: the whole database is inspected once
//! and each install takes its prefix's tables from it. Installs that differ in any credential
//! connect on their own (a wrong password must fail on its own line, not ride on another's).

use std::path::PathBuf;

use super::fleet_patterns::{expand, is_pattern};
use super::{Outcome, Resolved, Source, connect_params, resolve};
use crate::cli::{CheckArgs, CommonArgs, FleetArgs, Format};
use crate::compare::Live;
use crate::config::{DbSettings, Env};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::mautic::check::mautic_report;
use crate::report::contract::{
    CheckSummary, ErrorBody, FLEET_FORMAT_VERSION, FleetCheck, FleetLine, to_json_line,
};
use crate::text::printable;

/// Whether the command runs as a fleet (one line per install): several installs, a glob
/// pattern to expand (quoted, so that the shell did not; cron and systemd have none),
/// `--brief` or `--only-problems`.
pub fn is_fleet(args: &CommonArgs, fleet: &FleetArgs) -> bool {
    let s = &args.source;
    s.mautic_dir.len() + s.config.len() > 1
        || fleet.brief
        || fleet.only_problems
        || s.mautic_dir.iter().chain(&s.config).any(|p| is_pattern(p))
}

/// A value as given, or the paths its pattern matches (sorted); a pattern matching nothing is
/// an error line of its own, named by the pattern exactly as it was given.
fn expand_arg(p: &std::path::Path) -> Vec<(String, std::result::Result<PathBuf, ErrorBody>)> {
    let given = p.display().to_string();
    if !is_pattern(p) {
        return vec![(given, Ok(p.to_path_buf()))];
    }
    match expand(&given) {
        Ok(paths) => paths
            .into_iter()
            .map(|m| (m.display().to_string(), Ok(m)))
            .collect(),
        Err(why) => vec![(given, Err(ErrorBody::input(&why)))],
    }
}

/// The installs named on the command line, one `CommonArgs` each (or why not).
pub fn installs(args: &CommonArgs) -> Vec<(String, std::result::Result<CommonArgs, ErrorBody>)> {
    let s = &args.source;
    if s.mautic_dir.is_empty() && s.config.is_empty() {
        // --brief with --url or --dump: the one install is named by its source.
        let name = match (&s.url, &s.dump) {
            (_, Some(d)) => d.display().to_string(),
            _ => "--url".to_string(),
        };
        return vec![(name, Ok(args.clone()))];
    }
    let one = |dir: Option<PathBuf>, config: Option<PathBuf>| {
        let mut a = args.clone();
        a.source.mautic_dir = dir.into_iter().collect();
        a.source.config = config.into_iter().collect();
        a
    };
    let dirs = s
        .mautic_dir
        .iter()
        .flat_map(|d| expand_arg(d))
        .map(|(n, r)| {
            let a = r.map(|d| one(Some(d), None));
            (n, a)
        });
    let configs = s.config.iter().flat_map(|c| expand_arg(c)).map(|(n, r)| {
        let a = r.map(|c| one(None, Some(c)));
        (n, a)
    });
    dirs.chain(configs).collect()
}

/// What one install's check came to.
struct Verdict {
    install: String,
    prefix: String,
    result: std::result::Result<Checked, ErrorBody>,
}

/// A check done: the line's members, and the target as the text line names it
/// (`Mautic 5.1.1`, or the reference file).
struct Checked {
    line: FleetCheck,
    target_text: String,
    /// The install's verdict up to its advice (`overall::Verdict::headline`).
    headline: String,
}

impl Verdict {
    /// Anything but the one verdict "in sync" (drift, migrations pending or not recorded, an
    /// interrupted run), or not checked: what `check` of that install alone exits 1 or 2 on.
    fn needs_attention(&self) -> bool {
        self.result.as_ref().map_or(true, |c| !c.in_sync())
    }
}

impl Checked {
    /// The install's own verdict says in sync (exit 0 when checked alone).
    fn in_sync(&self) -> bool {
        self.line.summary.verdict.exit_code == 0
    }
}

type Member = (String, Resolved, CommonArgs);

pub async fn run(args: &CheckArgs) -> Result<Outcome> {
    let env = Env::from_process();
    let mut verdicts: Vec<Verdict> = Vec::new();
    let mut groups: Vec<Vec<Member>> = Vec::new();
    for (install, a) in installs(&args.common) {
        let resolved = a.and_then(|a| {
            resolve(&a, &env)
                .map(|r| (r, a))
                .map_err(|e| ErrorBody::of(&e))
        });
        match resolved {
            Ok((r, a)) => join_group(&mut groups, (install, r, a)),
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
    let mut done = futures_util::stream::iter(groups)
        .map(|members| check_group(members, allow))
        .buffer_unordered(usize::from(args.fleet.jobs));
    while let Some(v) = done.next().await {
        verdicts.extend(v);
    }
    verdicts.sort_by(|a, b| a.install.cmp(&b.install));
    for v in verdicts
        .iter()
        .filter(|v| !args.fleet.only_problems || v.needs_attention())
    {
        println!("{}", line(v, args.format));
    }
    worst(
        verdicts
            .iter()
            .map(|v| v.result.as_ref().map(Checked::in_sync).map_err(|_| ())),
    )
}

/// Put an install with the group that reaches the same database with the same credentials, or
/// in a group of its own. A dump is always on its own.
fn join_group(groups: &mut Vec<Vec<Member>>, m: Member) {
    let Source::Server(mine) = &m.1.source else {
        groups.push(vec![m]);
        return;
    };
    let shared = groups.iter_mut().find(|g| match &g[0].1.source {
        Source::Server(theirs) => same_connection(mine, theirs),
        Source::Dump(_) => false,
    });
    match shared {
        Some(g) => g.push(m),
        None => groups.push(vec![m]),
    }
}

/// The same server, account, password, TLS settings and database: one connection serves
/// both. The password is compared, never printed; the prefix may differ (that is the point).
fn same_connection(a: &DbSettings, b: &DbSettings) -> bool {
    a.host == b.host
        && a.port == b.port
        && a.socket == b.socket
        && a.user == b.user
        && a.password == b.password
        && a.name == b.name
        && a.ssl_mode == b.ssl_mode
        && a.ssl_ca == b.ssl_ca
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

async fn check_group(members: Vec<Member>, allow_destructive: bool) -> Vec<Verdict> {
    let mut out = Vec::new();
    match &members[0].1.source {
        Source::Server(settings) => {
            check_members(settings, &members, allow_destructive, &mut out).await
        }
        Source::Dump(_) => {
            for (install, r, a) in &members {
                let result = match super::load_live(r).await {
                    Ok(mut live) => check_one(&mut live, r, a, allow_destructive).await,
                    Err(e) => Err(ErrorBody::of(&e)),
                };
                out.push(verdict(install, r, result));
            }
        }
    }
    out
}

fn verdict(
    install: &str,
    r: &Resolved,
    result: std::result::Result<Checked, ErrorBody>,
) -> Verdict {
    Verdict {
        install: install.to_string(),
        prefix: r.prefix.clone(),
        result,
    }
}

/// The installs of one database: one connection, one inspection, a report per prefix.
async fn check_members(
    settings: &DbSettings,
    members: &[Member],
    allow_destructive: bool,
    out: &mut Vec<Verdict>,
) {
    let fail = |out: &mut Vec<Verdict>, members: &[Member], e: ErrorBody| {
        for (install, r, _) in members {
            out.push(verdict(install, r, Err(e.clone())));
        }
    };
    let params = connect_params(settings);
    let mut db = match Db::connect(&params).await {
        Ok(db) => db,
        Err(e) => {
            let e = super::name_origin(Error::from(e), settings);
            return fail(out, members, ErrorBody::of(&e));
        }
    };
    let started = std::time::Instant::now();
    let inspected = match crate::inspect::inspect(&mut db).await {
        Ok(i) => i,
        Err(e) => return fail(out, members, ErrorBody::of(&Error::from(e))),
    };
    let inspect_seconds = started.elapsed().as_secs_f64();
    let mut conn = Some(db);
    for (k, (install, r, a)) in members.iter().enumerate() {
        let mut live = Live {
            schema: inspected.schema.clone(),
            server: inspected.server.clone(),
            // As `compare::load_server` says it for one install.
            description: format!(
                "database `{}` on {}:{} ({})",
                params.database, params.host, params.port, inspected.server.version_string
            ),
            db: conn.take(),
            rows: Default::default(),
            queries: inspected.queries,
            inspect_seconds,
            notes: Vec::new(),
            outside: Vec::new(),
            rows_unknown: false,
        };
        let result = check_one(&mut live, r, a, allow_destructive).await;
        conn = live.db.take();
        out.push(verdict(install, r, result));
        if conn.is_none() {
            // The report kept no connection to hand on: the rest cannot be checked.
            let lost = ErrorBody::of(&Error::Input("the connection was lost".into()));
            fail(out, &members[k + 1..], lost);
            return;
        }
    }
}

async fn check_one(
    live: &mut Live,
    r: &Resolved,
    a: &CommonArgs,
    allow_destructive: bool,
) -> std::result::Result<Checked, ErrorBody> {
    let opts = super::check_options(a, r, allow_destructive).map_err(|e| ErrorBody::of(&e))?;
    let (report, _) = mautic_report(live, &r.prefix, &opts)
        .await
        .map_err(|e| ErrorBody::of(&e))?;
    Ok(Checked {
        line: FleetCheck {
            summary: CheckSummary::of(&report),
            detected_version: report.facts.detected_version.clone(),
        },
        target_text: report.target.clone(),
        headline: crate::mautic::overall::Verdict::of(&report)
            .headline()
            .to_string(),
    })
}

fn line(v: &Verdict, format: Format) -> String {
    if format == Format::Json {
        return to_json_line(&FleetLine {
            format_version: FLEET_FORMAT_VERSION,
            install: v.install.clone(),
            prefix: v.prefix.clone(),
            check: v.result.as_ref().ok().map(|c| c.line.clone()),
            error: v.result.as_ref().err().cloned(),
        });
    }
    let what = match &v.result {
        Ok(c) if c.in_sync() => format!("in sync with {}", c.target_text),
        Ok(c) if c.line.summary.drift == 0 => {
            // Not drift: the verdict's own words, up to its advice (the single check's last
            // line says the rest).
            format!("{} ({})", c.headline, c.target_text)
        }
        Ok(c) => {
            let s = &c.line.summary;
            let held = match s.held_back {
                0 => String::new(),
                n => format!(" ({n} held back)"),
            };
            let pending = match s.pending_schema_migrations {
                0 => String::new(),
                n => format!(", {n} migration(s) pending"),
            };
            format!(
                "{} difference(s) to fix{held} against {}{pending}",
                s.drift, c.target_text
            )
        }
        Err(e) => format!("error: {}", e.message),
    };
    printable(&format!("{}: {what}", v.install)).into_owned()
}
