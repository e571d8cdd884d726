//! Entry point: parse flags, run the subcommand, map the outcome to an exit code
//! (0 in sync, 1 differences, 2 error) and print errors as one line.

use mautic_schema::cli::{Cli, Command};
use mautic_schema::commands;

fn main() {
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`mautic-schema versions | head`), instead of panicking on a broken pipe.
    // SAFETY: resetting a signal disposition at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse_args();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Check(a) => commands::check::run(a).await,
            Command::Diff(a) => commands::diff::run(a).await,
            Command::Apply(a) => commands::apply::run(a).await,
            Command::Restore(a) => commands::restore::run(a).await,
            Command::Snapshot(a) => commands::snapshot::run(a).await,
            Command::Preflight(a) => commands::preflight::run(a).await,
            Command::Report(a) => commands::report::run(a).await,
            Command::Versions => commands::versions::run(),
            Command::Completions(a) => commands::generated::completions(a),
            Command::Man(a) => commands::generated::man(a),
            Command::Explain(a) => commands::explain::run(a),
        }
    });
    match result {
        Ok(outcome) => std::process::exit(outcome.exit_code()),
        Err(e) => {
            eprintln!("error: {}", mautic_schema::text::one_line(&e.to_string()));
            std::process::exit(2);
        }
    }
}
