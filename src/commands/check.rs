//! `check`: compare and report in the chosen format; exit 0 in sync, 1 otherwise.

use super::{Failure, Outcome, report_for};
use crate::cli::{CheckArgs, Format};
use crate::report::{render_json, render_sql, render_table, render_unified};

pub async fn run(args: &CheckArgs) -> std::result::Result<Outcome, Failure> {
    if super::fleet::is_fleet(&args.common, &args.fleet) {
        // The fleet's lines say which installs failed: no error document after them.
        return super::fleet::run(args).await.map_err(|error| Failure {
            error,
            apply: None,
            in_output: args.format == Format::Json,
        });
    }
    let (mut report, mut live, resolved) = report_for(&args.common, args.allow_destructive).await?;
    if let Some(db) = live.db.as_mut() {
        report.interrupted = crate::apply::online::interrupted(db, &resolved.prefix)
            .await
            .map_err(crate::error::Error::from)?;
    }
    let text = match args.format {
        Format::Table => render_table(&report, args.width.map(usize::from)),
        Format::Json => render_json(&report),
        Format::Sql => render_sql(&report),
        Format::Diff => render_unified(&report),
    };
    print!("{text}");
    Ok(if report.in_sync() {
        Outcome::InSync
    } else {
        Outcome::Differences
    })
}
