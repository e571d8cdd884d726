//! The client (`mariadb`, `mysql`) that loads a dump for `restore`.
//!
//! A dump is SQL, but the client also obeys its own commands on a line of their own: `\!`
//! (`system`) runs a shell command, `\.` (`source`) reads another file, `\T` (`tee`) writes
//! one, `\e` (`edit`) runs `$EDITOR`, `connect` logs in to another server with our credentials.
//! A table name with a newline, written into a comment by a dump tool that does not escape it
//! (MySQL's mysqldump before 8.0.37, CVE-2024-21096), becomes such a line, so the client never
//! loads a dump without these safeguards:
//! - MariaDB: `--sandbox` (10.5.25, 10.6.18, 10.11.8, 11.0.6 and later) refuses `system`,
//!   `source`, `tee` and `pager` with an argument; `--binary-mode` turns off every client
//!   command but `charset` and `delimiter` for piped input (so `connect`, `use` and `edit`
//!   too). Clients from before MDEV-34203 stop at the sandbox line every mariadb-dump output
//!   begins with (`/*M!999999\- enable the sandbox mode */`) in binary mode: for those the
//!   load runs with `--sandbox` alone, which a one-line probe decides. `$EDITOR` and `$VISUAL`
//!   are set to `true` because the sandbox leaves `edit`, which runs them even for piped
//!   input (checked on 10.11).
//! - MySQL's client has no `--sandbox`; its `--binary-mode` is the safeguard (documented to
//!   disable all commands but `charset` and `delimiter` in non-interactive mode). A client
//!   that offers neither is refused.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::credentials::Credentials;
use super::{Refusal, Value, argv_value};
use crate::error::{Error, Result};

/// In order of preference.
pub const PROGRAMS: [&str; 2] = ["mariadb", "mysql"];

/// The line MariaDB's dump tools write first, and the probe of whether a client in binary mode
/// takes it.
const SANDBOX_PROBE: &[u8] = b"/*M!999999\\- enable the sandbox mode */\nSELECT 1;\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    MariaDb,
    MySql,
}

/// A client found on PATH that can load a dump safely.
#[derive(Debug, Clone)]
pub struct Client {
    pub path: PathBuf,
    pub flavour: Flavour,
}

/// The client on PATH, or why none may load a dump.
pub fn find() -> Result<Client> {
    let path = super::find_program(&PROGRAMS).ok_or_else(|| {
        Error::Input(
            "neither the mariadb nor the mysql client is installed: install the MariaDB client (apt-get install mariadb-client)".into(),
        )
    })?;
    let out = |arg: &str| {
        Command::new(&path)
            .arg(arg)
            .stdin(Stdio::null())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .map_err(|e| Error::Input(format!("cannot run {}: {e}", path.display())))
    };
    let version = out("--version")?;
    judge(&path, &version, &out("--help")?)
}

/// Which client `--version` says it is, and whether `--help` lists its safeguard.
fn judge(path: &Path, version: &str, help: &str) -> Result<Client> {
    let offers = |opt: &str| {
        help.split_whitespace().any(|w| {
            w.strip_prefix(opt)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['=', '[']))
        })
    };
    let (flavour, needs) = if version.contains("MariaDB") {
        (Flavour::MariaDb, "--sandbox")
    } else {
        (Flavour::MySql, "--binary-mode")
    };
    if offers(needs) {
        return Ok(Client {
            path: path.to_path_buf(),
            flavour,
        });
    }
    let what = crate::text::one_line(version.trim()).into_owned();
    Err(Error::refused(
        crate::error::RefusalKind::UnsafeClient,
        format!(
            "{} ({what}) has no {needs}: loaded with it, a dump could make the client run shell commands or read files; \
         install a newer client (MariaDB 10.5.25, 10.6.18, 10.11.8, 11.0.6 or later, apt-get install mariadb-client). Nothing was changed",
            path.display()
        ),
    ))
}

impl Client {
    /// The command that loads SQL from its standard input (the caller sets up stdin, stdout
    /// and stderr) into `database` as the user of `creds`, running `init` first, with the
    /// safeguards of the module header.
    pub fn load_command(
        &self,
        creds: &Credentials,
        database: &str,
        init: &str,
    ) -> std::result::Result<Command, Refusal> {
        argv_value(database, || Value::Database(database.into()), PROGRAMS[0])?;
        let binary_mode = match self.flavour {
            Flavour::MySql => true,
            Flavour::MariaDb => self.binary_mode_takes_sandbox_line(creds, database, init),
        };
        Ok(self.command(creds, database, init, binary_mode))
    }

    fn command(
        &self,
        creds: &Credentials,
        database: &str,
        init: &str,
        binary_mode: bool,
    ) -> Command {
        let mut cmd = Command::new(&self.path);
        let defaults = creds.attach(&mut cmd);
        // --defaults-extra-file must come first.
        cmd.arg(format!("--defaults-extra-file={defaults}"));
        if self.flavour == Flavour::MariaDb {
            cmd.arg("--sandbox");
        }
        if binary_mode {
            cmd.arg("--binary-mode");
        }
        // Values after `=`: never read as options, whatever they start with.
        cmd.arg(format!("--init-command={init}"))
            .arg(format!("--database={database}"))
            .env("EDITOR", "true")
            .env("VISUAL", "true");
        cmd
    }

    /// Whether this MariaDB client, in binary mode, gets past the sandbox line (MDEV-34203).
    fn binary_mode_takes_sandbox_line(
        &self,
        creds: &Credentials,
        database: &str,
        init: &str,
    ) -> bool {
        let mut cmd = self.command(creds, database, init, true);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let Ok(mut child) = cmd.spawn() else {
            return false;
        };
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(SANDBOX_PROBE);
        }
        child.wait().is_ok_and(|s| s.success())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARIADB_HELP: &str = "  --binary-mode       Binary mode allows...\n  --sandbox           Disallow commands that access the file system\n";

    #[test]
    fn a_client_is_judged_by_its_safeguard() {
        let p = Path::new("/usr/bin/mariadb");
        let maria = "mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)";
        assert_eq!(
            judge(p, maria, MARIADB_HELP).unwrap().flavour,
            Flavour::MariaDb
        );
        let old = "mariadb  Ver 15.1 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)";
        let e = judge(p, old, "  --binary-mode  Binary mode\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no --sandbox") && e.contains("10.11.6-MariaDB"),
            "{e}"
        );
        let mysql = "mysql  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)";
        let p = Path::new("/usr/bin/mysql");
        assert_eq!(
            judge(p, mysql, "  --binary-mode       By default...\n")
                .unwrap()
                .flavour,
            Flavour::MySql
        );
        let e = judge(p, mysql, "  --batch  Don't use history file\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no --binary-mode"), "{e}");
        // A word that merely starts like the option is not the option.
        assert!(judge(p, maria, "  --sandboxed\n").is_err());
    }

    #[test]
    fn the_real_client_on_this_machine_is_accepted() {
        let c = find().expect("the MariaDB client is installed and has --sandbox");
        assert_eq!(c.flavour, Flavour::MariaDb, "{}", c.path.display());
    }
}
