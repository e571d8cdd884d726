//! `diff`: print the reconciling SQL for review (or, with `--format json`, the check document
//! that carries it); exit 0 when there is nothing to do.

use super::{Outcome, report_for};
use crate::cli::{DiffArgs, Format};
use crate::error::Result;
use crate::report::{render_json, render_sql};

pub async fn run(args: &DiffArgs) -> Result<Outcome> {
    let (report, _live, _) = report_for(&args.common, args.allow_destructive).await?;
    match args.format {
        Format::Json => print!("{}", render_json(&report)),
        _ => print!("{}", render_sql(&report)),
    }
    Ok(if report.in_sync() {
        Outcome::InSync
    } else {
        Outcome::Differences
    })
}
