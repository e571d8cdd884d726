//! `check`: compare and report in the chosen format; it ends with the one verdict
//! (`mautic::overall`) and exits with its code: 0 in sync, 1 otherwise.

use super::{Failure, Outcome, report_for};
use crate::cli::{CheckArgs, Format};
use crate::mautic::overall::Verdict;
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
    let (report, _live, _) = report_for(&args.common, args.allow_destructive).await?;
    let text = match args.format {
        Format::Table => render_table(&report, args.width.map(usize::from)),
        Format::Json => render_json(&report),
        Format::Sql => render_sql(&report),
        Format::Diff => render_unified(&report),
    };
    print!("{text}");
    // SQL ends with the verdict as a comment; the table and JSON carry it already. A unified
    // diff has no comment syntax (a `-` line would read as a removal): its exit code says it.
    if args.format == Format::Sql {
        println!("\n{}", super::verdict_comment(&report));
    }
    Ok(Outcome::of(&Verdict::of(&report)))
}
