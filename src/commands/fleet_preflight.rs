//! `preflight` of many installs in one run: each install's assessment (as `preflight` alone
//! makes it), read side by side up to --jobs at once, one line per install (or one JSON object
//! per line, spelled as the preflight document), exit with the worst outcome;
//! `--only-problems` prints only the installs that are not ready.

use super::Outcome;
use super::fleet::installs;
use super::preflight::assess;
use crate::cli::{Format, PreflightArgs};
use crate::error::Result;
use crate::mautic::preflight::{Assessment, Status};
use crate::report::contract::{
    ErrorBody, FLEET_FORMAT_VERSION, FleetPreflight, FleetPreflightLine, to_json_line,
};
use crate::text::printable;

type Assessed = (String, std::result::Result<Assessment, ErrorBody>);

pub async fn run(args: &PreflightArgs) -> Result<Outcome> {
    use futures_util::StreamExt as _;
    let to = args.to.as_str();
    let mut done = futures_util::stream::iter(installs(&args.common))
        .map(|(install, common)| async move {
            let result = match common {
                Ok(c) => assess(&c, to).await.map_err(|e| ErrorBody::of(&e)),
                Err(e) => Err(e),
            };
            (install, result)
        })
        .buffer_unordered(usize::from(args.fleet.jobs));
    let mut lines: Vec<Assessed> = Vec::new();
    while let Some(v) = done.next().await {
        lines.push(v);
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    // As `preflight` of the install alone exits: its one verdict (blockers, else the
    // database's own: drift or broken bookkeeping ask for something too).
    let ready = |r: &std::result::Result<Assessment, ErrorBody>| {
        r.as_ref().map(|a| a.verdict.exit_code == 0).map_err(|_| ())
    };
    for (install, result) in &lines {
        if args.fleet.only_problems && ready(result) == Ok(true) {
            continue;
        }
        println!("{}", line(install, to, result, args.format));
    }
    super::fleet::worst(lines.iter().map(|(_, r)| ready(r)))
}

/// What the install's own verdict asks for beside the go, up to its advice (the single
/// preflight's last line says the rest); nothing when it is in sync.
fn standing(a: &Assessment) -> String {
    if a.verdict.exit_code == 0 {
        return String::new();
    }
    format!("; {}", a.verdict.headline())
}

fn count(a: &Assessment, status: Status) -> usize {
    a.checks.iter().filter(|c| c.status == status).count()
}

fn line(
    install: &str,
    to: &str,
    result: &std::result::Result<Assessment, ErrorBody>,
    format: Format,
) -> String {
    let first_blocker = result.as_ref().ok().and_then(|a| {
        a.checks
            .iter()
            .find(|c| c.status == Status::Blocker)
            .map(|c| format!("{}: {}", c.name, c.message))
    });
    if format == Format::Json {
        return to_json_line(&FleetPreflightLine {
            format_version: FLEET_FORMAT_VERSION,
            install: install.to_string(),
            // As the preflight document spells it: the release taken (`5.1` is 5.1.0).
            to: result
                .as_ref()
                .map_or_else(|_| to.to_string(), |a| a.to.to_string()),
            preflight: result.as_ref().ok().map(|a| FleetPreflight {
                from: a.detected.clone(),
                go: a.blockers() == 0,
                blockers: a.blockers(),
                warnings: count(a, Status::Warning),
                first_blocker: first_blocker.clone(),
            }),
            error: result.as_ref().err().cloned(),
        });
    }
    let what = match result {
        Ok(a) if a.blockers() == 0 => format!(
            "go from {} to {to} ({} migration(s) to run, {} warning(s)){}",
            a.detected,
            a.verdicts.len(),
            count(a, Status::Warning),
            standing(a)
        ),
        Ok(a) => format!(
            "{} blocker(s) from {} to {to}; first: {}",
            a.blockers(),
            a.detected,
            first_blocker.unwrap_or_default()
        ),
        Err(e) => format!("error: {}", e.message),
    };
    printable(&format!("{install}: {what}")).into_owned()
}
