//! Entry point: parse flags, run the subcommand, map the outcome to an exit code
//! (0 in sync, 1 differences, 2 error; see `commands::finish`).

use mautic_schema::cli::{Cli, Command};
use mautic_schema::commands;

fn main() {
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`mautic-schema versions | head`), instead of panicking on a broken pipe.
    // SAFETY: resetting a signal disposition at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = Cli::try_parse_with(&args).unwrap_or_else(|e| {
        commands::usage_error(&e, &args);
        e.exit()
    });
    // A server that does not answer is said at once on stderr, not after the whole timeout.
    mautic_schema::db::on_slow_connect(|line| eprintln!("{}", mautic_schema::text::one_line(line)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Check(a) => commands::check::run(a).await,
            Command::Diff(a) => commands::diff::run(a).await.map_err(Into::into),
            Command::Apply(a) => commands::apply::run(a).await,
            Command::Restore(a) => commands::restore::run(a).await.map_err(Into::into),
            Command::Snapshot(a) => commands::snapshot::run(a).await.map_err(Into::into),
            Command::Preflight(a) => commands::preflight::run(a).await.map_err(Into::into),
            Command::Versions(a) => commands::versions::run(a).map_err(Into::into),
            Command::Completions(a) => commands::generated::completions(a).map_err(Into::into),
            Command::Man(a) => commands::generated::man(a).map_err(Into::into),
            Command::Report(a) => commands::report::run(a).await.map_err(Into::into),
            Command::Explain(a) => commands::explain::run(a).map_err(Into::into),
        }
    });
    std::process::exit(commands::finish(result, commands::wants_json(&cli.command)));
}
