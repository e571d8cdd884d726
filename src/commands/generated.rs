//! `completions <shell>` and `man`: generated from the command line definition
//! ([`crate::cli::command`]), so they never disagree with the parser.

use super::Outcome;
use crate::cli::{CompletionsArgs, ManArgs};
use crate::error::{Error, Result};

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut cmd = crate::cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, env!("CARGO_PKG_NAME"), &mut out);
    Ok(Outcome::InSync)
}

pub fn man(args: &ManArgs) -> Result<Outcome> {
    if let Some(dir) = &args.dir {
        clap_mangen::generate_to(crate::cli::command(), dir)
            .map_err(|e| Error::Input(format!("writing man pages to {}: {e}", dir.display())))?;
        return Ok(Outcome::InSync);
    }
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(crate::cli::command())
        .render(&mut out)
        .map_err(|e| Error::Input(format!("writing the man page: {e}")))?;
    Ok(Outcome::InSync)
}
