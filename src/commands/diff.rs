//! `diff`: print the reconciling SQL for review (or, with `--format json`, the check document
//! that carries it); the SQL ends with the one verdict as a comment, and the exit code is
//! its: 0 in sync, 1 otherwise.

use super::{Outcome, report_for};
use crate::cli::{DiffArgs, Format};
use crate::error::Result;
use crate::report::{render_json, render_sql};

pub async fn run(args: &DiffArgs) -> Result<Outcome> {
    let (report, _live, _) = report_for(&args.common, args.allow_destructive).await?;
    match args.format {
        Format::Json => print!("{}", render_json(&report)),
        _ => print!(
            "{}\n{}\n",
            render_sql(&report),
            super::verdict_comment(&report)
        ),
    }
    Ok(Outcome::of(&crate::mautic::overall::Verdict::of(&report)))
}
