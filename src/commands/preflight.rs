//! `preflight --to X`: before an upgrade, what Mautic's migrations from the database's release
//! to X will meet on this very database (the assessment is `mautic::preflight`'s): the command
//! line, the connection and the printing. Exit 0 when the one verdict is in sync, 1 otherwise,
//! 2 error.

use super::{Outcome, Source, connect_params, load_live, resolve};
use crate::cli::{Format, PreflightArgs};
use crate::config::Env;
use crate::error::{Error, Result};
use crate::mautic::check::MauticFacts;
use crate::mautic::evidence;
use crate::mautic::guards::Guard;
use crate::mautic::overall::Verdict as Overall;
use crate::mautic::preflight::{self, Assessment, Check, Pending, Request, Status};
use crate::mautic::release::Release;
use crate::mautic::verdict::Verdict;
use crate::progress::Event;
use crate::text::one_line;

pub async fn run(args: &PreflightArgs) -> Result<Outcome> {
    if super::fleet::is_fleet(&args.common, &args.fleet) {
        return super::fleet_preflight::run(args).await;
    }
    let a = assess(&args.common, &args.to).await?;
    let (detected, to, facts, verdicts, checks) =
        (&a.detected, a.to, &a.facts, &a.verdicts, &a.checks);
    if args.format == Format::Json {
        print_json(detected, to, facts, verdicts, checks, &a.verdict);
    } else {
        print_text(detected, to, &a.source, facts, verdicts, checks);
        println!();
        for line in crate::text::wrap(&one_line(&a.verdict.line), 80, "", "  ") {
            println!("{line}");
        }
    }
    Ok(Outcome::of(&a.verdict))
}

/// Every check for an upgrade to `to`, read-only (the rehearsals work on scratch copies); its
/// stages on standard error when it is a terminal and the work takes more than a second.
pub(crate) async fn assess(common: &crate::cli::CommonArgs, to_text: &str) -> Result<Assessment> {
    let progress = crate::report::progress::progress(crate::report::progress::When::Auto);
    let stage = |what: &str| progress.event(Event::Stage(what));
    let assessed = assess_staged(common, to_text, &stage).await;
    progress.event(Event::StagesDone);
    assessed
}

/// The flags read, the live side loaded, then the library's assessment.
async fn assess_staged(
    common: &crate::cli::CommonArgs,
    to_text: &str,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<Assessment> {
    let to = Release::parse(to_text).ok_or_else(|| {
        Error::Input(format!(
            "--to {to_text} is not a release number such as 5.1.1"
        ))
    })?;
    let resolved = resolve(common, &Env::from_process())?;
    stage("reading the schema");
    let mut live = load_live(&resolved).await?;
    let request = Request {
        to,
        // `--target` names the release the database is at (its own verdict); `--to` the
        // upgrade's.
        at: common.target.as_deref().and_then(Release::parse),
        prefix: &resolved.prefix,
        strict: common.strict,
        large: crate::plan::split::Large {
            min_bytes: common.large_table_size,
        },
        server: match &resolved.source {
            Source::Server(settings) => Some(connect_params(settings)),
            Source::Dump(_) => None,
        },
    };
    preflight::assess(&mut live, &request, stage).await
}

fn print_json(
    detected: &str,
    to: Release,
    facts: &MauticFacts,
    verdicts: &[Pending],
    checks: &[Check],
    overall: &Overall,
) {
    let blockers = checks
        .iter()
        .filter(|c| c.status == Status::Blocker)
        .count();
    use crate::report::contract::{
        FORMAT_VERSION, PreflightCheck, PreflightDoc, PreflightMigration, to_json,
    };
    let doc = PreflightDoc {
        format_version: FORMAT_VERSION,
        from: detected.to_string(),
        to: to.to_string(),
        go: blockers == 0,
        verdict: crate::report::contract::VerdictDoc::of(overall),
        migrations_known: facts.migrations.covered,
        migrations_recorded: facts.migrations.applied.len(),
        migrations: verdicts
            .iter()
            .map(|p| {
                let conflict = match &p.verdict {
                    Verdict::WouldFail { conflict, .. } => Some(conflict),
                    _ => None,
                };
                let text = |f: fn(&evidence::Conflict) -> &String| {
                    conflict.map(|c| f(c).clone()).unwrap_or_default()
                };
                PreflightMigration {
                    migration: p.class.clone(),
                    verdict: p.verdict.label(),
                    summary: p.summary.clone(),
                    error: text(|c| &c.error),
                    statement: text(|c| &c.statement),
                    query: text(|c| &c.query),
                    fix: text(|c| &c.fix),
                    guarded: match p.guard {
                        Guard::None => Some(false),
                        Guard::Unknown(_) => None,
                        Guard::Any(_) => Some(true),
                    },
                    guard: p.guard.to_string(),
                    skipped_because: match &p.verdict {
                        Verdict::WillSkip { guard } => guard.clone(),
                        _ => String::new(),
                    },
                }
            })
            .collect(),
        checks: checks
            .iter()
            .map(|c| PreflightCheck {
                check: c.name,
                status: c.status.as_str(),
                message: c.message.clone(),
                investigate: c.investigate.clone(),
            })
            .collect(),
    };
    print!("{}", to_json(&doc));
}

fn print_text(
    detected: &str,
    to: Release,
    source: &str,
    facts: &MauticFacts,
    verdicts: &[Pending],
    checks: &[Check],
) {
    print_wrapped(
        "",
        &format!("preflight: {detected} → {to} on {}", one_line(source)),
    );
    if facts.migrations.covered {
        println!(
            "\nmigrations: {} recorded, {} to run",
            facts.migrations.applied.len(),
            verdicts.len()
        );
        for p in verdicts {
            print_wrapped("  ", &one_line(&format!("{}: {}", p.class, p.line())));
        }
    } else {
        println!(
            "\nmigrations: the bundled index does not list {to} (it {}): which are pending is unknown",
            crate::mautic::migrations::reach_text(&crate::mautic::migrations::index())
        );
    }
    println!("\nchecks:");
    for c in checks {
        let head = format!("  {:<8} ", c.status.as_str());
        print_wrapped(&head, &format!("{}: {}", c.name, one_line(&c.message)));
        if !c.investigate.is_empty() {
            print_wrapped(
                &" ".repeat(head.len()),
                &format!("investigate: {}", one_line(&c.investigate)),
            );
        }
    }
}

/// `text` after `head`, wrapped at 80 columns under itself (queries wrap at spaces too).
fn print_wrapped(head: &str, text: &str) {
    let indent = " ".repeat(head.chars().count());
    for line in crate::text::wrap(text, 80, head, &indent) {
        println!("{line}");
    }
}
