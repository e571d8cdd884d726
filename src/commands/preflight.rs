//! `preflight --to X`: before an upgrade, what Mautic's migrations from the database's release
//! to X will meet on this very database. Each migration gets a verdict (already recorded, will
//! run, a data migration Mautic must run), and the upgrade's planned state is checked as
//! `apply` checks its own plan: the pre-checks on the rows (orphans, duplicates, truncation,
//! JSON, zero dates, key and row limits), a rehearsal of the schema change on a scratch copy,
//! the server version X requires, the disk a rebuild needs, and an estimated duration. Exit 0
//! go, 1 blockers, 2 error.

use serde_json::json;

use super::{Outcome, Source, connect_params, load_live, resolve, size_and_split};
use crate::apply::prechecks::{self, Failure};
use crate::apply::rehearsal::{self, Rehearsal};
use crate::cli::{Format, PreflightArgs};
use crate::config::Env;
use crate::error::{Error, Result};
use crate::mautic::check::{CheckOptions, mautic_report};
use crate::mautic::migrations::MigrationKind;
use crate::mautic::release::Release;
use crate::text::one_line;

/// The server versions a release requires (`release_metadata.json`'s `minimum_mysql_version` and
/// `minimum_mariadb_version`, present from 4.2.0; FACTS §server requirements).
type Version = (u32, u32, u32);

/// (from release, MySQL minimum, MariaDB minimum).
const MINIMUMS: &[(Version, Version, Version)] = &[((4, 2, 0), (5, 7, 14), (10, 2, 7))];

pub async fn run(args: &PreflightArgs) -> Result<Outcome> {
    let to = Release::parse(&args.to).ok_or_else(|| {
        Error::Input(format!(
            "--to {} is not a release number such as 5.1.1",
            args.to
        ))
    })?;
    let mut common = args.common.clone();
    common.target = Some(args.to.clone());
    let resolved = resolve(&common, &Env::from_process())?;
    let Source::Server(settings) = &resolved.source else {
        return Err(Error::Input(
            "preflight checks a live database (--mautic-dir, --config or --url), not a dump".into(),
        ));
    };
    let settings = settings.clone();
    let mut live = load_live(&resolved).await?;
    let opts = CheckOptions {
        target: Some(args.to.clone()),
        reference_file: None,
        code_version: None,
        strict: common.strict,
        allow_destructive: true,
    };
    let (mut report, facts) = mautic_report(&mut live, &resolved.prefix, &opts).await?;
    let Some(db) = live.db.as_mut() else {
        return Err(Error::Input("preflight needs a live database".into()));
    };
    let large = crate::plan::split::Large {
        min_bytes: common.large_table_size,
    };
    size_and_split(db, &mut report, &large).await?;

    let mut checks: Vec<(&'static str, Status, String, String)> = Vec::new();
    // The server X requires.
    let server = &report.server;
    if let Some((_, mysql, maria)) = MINIMUMS
        .iter()
        .rev()
        .find(|(from, _, _)| Release(from.0, from.1, from.2) <= to)
    {
        let need = if server.flavor == crate::dialect::Flavor::MariaDb {
            *maria
        } else {
            *mysql
        };
        let ok = server.version >= need;
        checks.push((
            "server version",
            if ok { Status::Ok } else { Status::Blocker },
            format!(
                "{} needs {} {}.{}.{} or newer; this server is {}",
                to,
                if server.flavor == crate::dialect::Flavor::MariaDb {
                    "MariaDB"
                } else {
                    "MySQL"
                },
                need.0,
                need.1,
                need.2,
                server.version_string
            ),
            String::new(),
        ));
    }
    let failures: Vec<Failure> =
        prechecks::run(db, &report.changes, &report.plan, &report.live).await?;
    if failures.is_empty() {
        checks.push((
            "rows",
            Status::Ok,
            "no row stands in the way of the schema change".into(),
            String::new(),
        ));
    }
    for f in failures {
        checks.push((f.check, Status::Blocker, f.message, f.investigate));
    }
    let tables = rehearsal::tables_to_copy(&report.plan.steps, &report.live, &report.reference);
    let params = connect_params(&settings);
    match rehearsal::rehearse(db, &params, &report.plan.steps, &tables).await? {
        Rehearsal::Passed { statements, .. } => checks.push((
            "rehearsal",
            Status::Ok,
            format!("the server accepts all {statements} statement(s) on a schema-only copy"),
            String::new(),
        )),
        Rehearsal::Refused {
            number,
            of,
            table,
            error,
            sql,
        } => checks.push((
            "rehearsal",
            Status::Blocker,
            format!("statement {number} of {of} ({table}) is refused: {error}"),
            sql,
        )),
        Rehearsal::Skipped { why } => checks.push((
            "rehearsal",
            Status::Warning,
            format!("not rehearsed: {why}"),
            String::new(),
        )),
    }
    let announced = crate::report::announce(&report);
    let seconds: f64 = announced.iter().filter_map(|a| a.estimated_seconds).sum();
    let blocking = announced.iter().filter(|a| a.blocks_writes).count();
    checks.push((
        "duration",
        Status::Ok,
        format!(
            "about {:.0} s of schema change, {blocking} statement(s) blocking writes while they copy",
            seconds.ceil()
        ),
        String::new(),
    ));
    // Without a migrations table, the migrations to run are those of X that the detected
    // release did not ship.
    let index = crate::mautic::migrations::index();
    let pending: Vec<crate::mautic::migrations::Migration> = if facts.migrations.table_present {
        facts.migrations.pending.clone()
    } else {
        let from = facts
            .detected
            .as_deref()
            .and_then(|d| Release::parse(d.rsplit('-').next().unwrap_or(d)));
        crate::mautic::migrations::of_release(&index, to)
            .into_iter()
            .filter(|m| from.is_none_or(|f| !m.in_release(f)))
            .cloned()
            .collect()
    };
    let verdicts: Vec<(String, &'static str, String)> = pending
        .iter()
        .map(|m| {
            let verdict = match m.kind {
                MigrationKind::Data => "data migration: Mautic must run it",
                MigrationKind::Noop => "will run (nothing to do on MySQL/MariaDB)",
                MigrationKind::Schema => "will run",
            };
            (m.class_name(), verdict, m.summary.clone())
        })
        .collect();
    let blockers = checks.iter().filter(|c| c.1 == Status::Blocker).count();
    let detected = facts.detected.clone().unwrap_or_else(|| "unknown".into());
    if args.format == Format::Json {
        let v = json!({
            "format_version": 1,
            "from": detected,
            "to": to.to_string(),
            "go": blockers == 0,
            "migrations_known": facts.migrations.covered,
            "migrations_recorded": facts.migrations.applied.len(),
            "migrations": verdicts.iter().map(|(c, v, s)| json!({"migration": c, "verdict": v, "summary": s})).collect::<Vec<_>>(),
            "checks": checks.iter().map(|(n, st, m, q)| json!({"check": n, "status": st.as_str(), "message": m, "investigate": q})).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print_wrapped(
            "",
            &format!(
                "preflight: {detected} → {to} on {}",
                one_line(&report.source)
            ),
        );
        if facts.migrations.covered {
            println!(
                "\nmigrations: {} recorded, {} to run",
                facts.migrations.applied.len(),
                verdicts.len()
            );
            for (class, verdict, _) in &verdicts {
                println!("  {class}: {verdict}");
            }
        } else {
            println!(
                "\nmigrations: the bundled index ends before {to}: which are pending is unknown"
            );
        }
        println!("\nchecks:");
        for (name, status, message, investigate) in &checks {
            let head = format!("  {:<8} ", status.as_str());
            print_wrapped(&head, &format!("{name}: {}", one_line(message)));
            if !investigate.is_empty() {
                print_wrapped(
                    &" ".repeat(head.len()),
                    &format!("investigate: {}", one_line(investigate)),
                );
            }
        }
        println!(
            "\n{}",
            if blockers == 0 {
                "go: nothing found that would stop the upgrade".to_string()
            } else {
                format!("{blockers} blocker(s): fix them before the upgrade")
            }
        );
    }
    Ok(if blockers == 0 {
        Outcome::InSync
    } else {
        Outcome::Differences
    })
}

/// `text` after `head`, wrapped at 80 columns under itself (queries wrap at spaces too).
fn print_wrapped(head: &str, text: &str) {
    let indent = " ".repeat(head.chars().count());
    for line in crate::text::wrap(text, 80, head, &indent) {
        println!("{line}");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warning,
    Blocker,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Blocker => "BLOCKER",
        }
    }
}
