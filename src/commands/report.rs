//! `report`: one Markdown file for a support thread or a change ticket (see
//! `crate::report::render_markdown`). It ends with the one verdict (`mautic::overall`) and
//! exits with its code, like `check`.

use std::path::Path;

use super::{Outcome, Resolved, Source, check_options, load_live, resolve};
use crate::apply::prechecks;
use crate::cli::ReportArgs;
use crate::config::{Env, locate_local_php};
use crate::error::{Error, Result};
use crate::mautic::check::{MauticFacts, mautic_report};
use crate::mautic::migrations::MigrationKind;
use crate::mautic::overall::Verdict;
use crate::report::{
    FORUM_BUDGET, MarkdownInput, Prechecks, Preflight, Redacted, Secret, render_markdown,
};

pub async fn run(args: &ReportArgs) -> Result<Outcome> {
    // A wrong --to is refused before anything is read.
    if let Some(to) = &args.to
        && crate::mautic::release::Release::parse(to).is_none()
    {
        return Err(Error::Input(format!(
            "--to {to} is not a release number such as 5.1.1"
        )));
    }
    let env = Env::from_process();
    let resolved = resolve(&args.common, &env)?;
    let opts = check_options(&args.common, &resolved, false)?;
    let mut live = load_live(&resolved).await?;
    let (mut report, facts) = mautic_report(&mut live, &resolved.prefix, &opts).await?;
    super::note_target(&args.common, &mut report);
    let checks = match live.db.as_mut() {
        Some(db) => {
            let large = crate::plan::split::Large {
                min_bytes: args.common.large_table_size,
            };
            super::note_interrupted(db, &mut report, &resolved.prefix).await?;
            report.size_and_split(db, &large).await?;
            // Read-only SELECTs: no lock, nothing written.
            let failures = prechecks::run(db, &report.changes, &report.plan, &report.live).await?;
            Prechecks::Ran(
                failures
                    .into_iter()
                    .map(|f| (f.check.to_string(), f.message))
                    .collect(),
            )
        }
        None => Prechecks::NotRun("a dump has no rows to check".into()),
    };
    drop(live);
    let preflight = match &args.to {
        Some(to) => Some(preflight(&args.common, to).await?),
        None => None,
    };
    // One verdict for the whole file: the upgrade's blockers first, then the database's own.
    let verdict = match &preflight {
        Some(p) => Verdict::of(&report).upgrade(&p.to, p.blockers),
        None => Verdict::of(&report),
    };
    let input = MarkdownInput {
        report: &report,
        generated_at: now_utc(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        code_version: opts.code_version.as_ref().map(|(v, _)| v.clone()),
        prefix: resolved.prefix.clone(),
        detected: facts.detected.clone().map(|d| (d, facts.detected_by)),
        migrations: migrations(&facts, &report),
        prechecks: checks,
        preflight,
        verdict: verdict.clone(),
        secrets: secrets(&resolved, &env, !args.no_redact)?,
        redacted: !args.no_redact,
        budget: FORUM_BUDGET,
    };
    let text = render_markdown(&input);
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .map_err(|e| Error::Input(format!("cannot write {}: {e}", path.display())))?,
        None => print!("{text}"),
    }
    Ok(Outcome::of(&verdict))
}

/// Preflight's verdicts for `--to`, as the file shows them.
async fn preflight(common: &crate::cli::CommonArgs, to: &str) -> Result<Preflight> {
    let a = super::preflight::assess(common, to).await?;
    Ok(Preflight {
        from: a.detected.clone(),
        to: a.to.to_string(),
        blockers: a.blockers(),
        verdicts: a
            .verdicts
            .iter()
            .map(|p| (p.class.clone(), p.line()))
            .collect(),
        checks: a
            .checks
            .iter()
            .map(|c| {
                (
                    c.status.as_str().to_string(),
                    c.name.to_string(),
                    c.message.clone(),
                )
            })
            .collect(),
    })
}

/// The migrations table's state: recorded, pending by kind, half-applied (the Mautic layer's
/// explanation names those, one `half-applied:` line each).
fn migrations(facts: &MauticFacts, report: &crate::comparison::Comparison) -> Vec<String> {
    let m = &facts.migrations;
    if !m.table_present {
        return vec!["no migrations table".into()];
    }
    if m.rows_unknown {
        return vec!["migrations rows unknown (the dump holds no rows)".into()];
    }
    if !m.has_records() {
        return vec!["the migrations table is empty".into()];
    }
    let half = report
        .explanation
        .iter()
        .filter(|l| l.starts_with("half-applied:"))
        .count();
    let mut lines = vec![format!(
        "{} recorded, {} pending schema-only, {} pending changing data, {half} half-applied, {} unknown to the release",
        m.applied.len(),
        m.pending_of(MigrationKind::Schema).count() + m.pending_of(MigrationKind::Noop).count(),
        m.pending_of(MigrationKind::Data).count(),
        m.unknown.len()
    )];
    if !m.covered {
        lines.push(format!(
            "the bundled migrations index {}: what is pending is unknown",
            crate::mautic::migrations::reach_text(&crate::mautic::migrations::index())
        ));
    }
    lines
}

/// What the file must not show. The password is hidden even with `--no-redact`.
fn secrets(r: &Resolved, env: &Env, redact: bool) -> Result<Vec<Secret>> {
    use Redacted::{Host, Name, Text};
    let mut out = Vec::new();
    let mut add = |value: &str, label: &'static str, kind| {
        if !value.is_empty() {
            out.push(Secret {
                value: value.to_string(),
                label,
                kind,
            })
        }
    };
    if let Source::Server(s) = &r.source {
        add(s.password.expose(), "password", Name);
        if redact {
            add(&format!("{}:{}", s.host, s.port), "host:port", Host);
            add(&s.host, "host", Host);
            add(&s.user, "user", Name);
            add(&s.name, "database", Name);
            // The install folder covers a local.php found through --mautic-dir.
            if r.mautic_dir.is_none() {
                add(&s.origin, "config-file", Text);
            }
        }
    }
    if redact {
        if let Some(url) = site_url(r, env)? {
            let url = url.trim_end_matches('/');
            add(url, "site-url", Text);
            // The host also shows without the scheme, under another one, in another case.
            let host = url::Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| url.split('/').next().unwrap_or_default().to_string());
            add(&host, "site-host", Host);
        }
        if let Some(dir) = &r.mautic_dir {
            for d in [
                dir.clone(),
                std::fs::canonicalize(dir).unwrap_or(dir.clone()),
            ] {
                add(
                    d.display().to_string().trim_end_matches('/'),
                    "mautic-dir",
                    Text,
                );
            }
        }
    }
    Ok(out)
}

/// `site_url` from the install's local.php, when the settings came from one.
fn site_url(r: &Resolved, env: &Env) -> Result<Option<String>> {
    let file = match (&r.mautic_dir, &r.source) {
        (Some(dir), _) => locate_local_php(dir)?,
        (None, Source::Server(s)) if s.origin.ends_with(".php") => s.origin.clone().into(),
        _ => return Ok(None),
    };
    Ok(read_site_url(&file, env))
}

fn read_site_url(file: &Path, env: &Env) -> Option<String> {
    let src = std::fs::read_to_string(file).ok()?;
    let params = crate::config::parse_parameters(&src, file, env).ok()??;
    params.get("site_url")?.to_php_string()
}

/// Now, as `2026-11-25 08:13 UTC`.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil-from-days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}
