//! `restore`: load a backup written by `apply` back into the database with the real client,
//! the credentials in an in-memory option file (see `apply::credentials`).

use std::io::IsTerminal;
use std::process::{Command, Stdio};

use super::{Outcome, Source, connect_params, resolve};
use crate::apply::backup::{find_program, verify_backup};
use crate::apply::credentials::Credentials;
use crate::cli::{CommonArgs, RestoreArgs};
use crate::config::Env;
use crate::error::{Error, Result};

pub async fn run(args: &RestoreArgs) -> Result<Outcome> {
    let common = CommonArgs {
        source: args.source.clone(),
        tls: args.tls.clone(),
        prefix: None,
        reference_file: None,
        target: None,
        strict: false,
    };
    let resolved = resolve(&common, &Env::from_process())?;
    let Source::Server(s) = &resolved.source else {
        return Err(Error::Input(
            "restore needs a database: --mautic-dir, --config or --url".into(),
        ));
    };
    let backup = verify_backup(&args.backup, &[])?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Error::Refused(
                "not confirmed: rerun with --yes to restore".into(),
            ));
        }
        eprint!(
            "Restore {} ({} bytes) into `{}`? Tables in the backup are replaced. [y/N] ",
            backup.path.display(),
            backup.bytes,
            s.name
        );
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Error::Input(e.to_string()))?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Err(Error::Refused("not confirmed: nothing was changed".into()));
        }
    }
    let params = connect_params(s);
    let client = find_program(&["mariadb", "mysql"])
        .ok_or_else(|| Error::Input("neither mariadb nor mysql client is installed".into()))?;
    let creds = Credentials::new(&params).map_err(|e| {
        Error::Input(format!(
            "cannot prepare the credentials for the client: {e}"
        ))
    })?;
    let input = std::fs::File::open(&backup.path).map_err(|e| Error::read(&backup.path, e))?;
    let mut cmd = Command::new(client);
    let defaults = creds.attach(&mut cmd);
    let out = cmd
        .arg(format!("--defaults-extra-file={defaults}"))
        .arg(&s.name)
        .stdin(input)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Error::Input(format!("cannot run the mariadb client: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Refused(format!(
            "restore failed: {}",
            err.lines().next().unwrap_or("client error")
        )));
    }
    eprintln!(
        "restored {} into `{}` (sha256 {})",
        backup.path.display(),
        s.name,
        backup.sha256
    );
    Ok(Outcome::InSync)
}
