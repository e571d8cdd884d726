//! Everything the tool hands to another program: the MariaDB/MySQL dump tool, the client that
//! loads a backup, and pt-online-schema-change. The tool runs as root against production
//! databases, and what it hands over comes from `local.php` (which whoever controls the install
//! may write) and from the database (names anybody with CREATE may choose). Each value that
//! crosses over is either encoded in the receiving program's own syntax so that it can only be
//! what it is, or refused with a [`Refusal`] before anything is changed.
//!
//! - [`option_file`]: the `[client]` option file (user, password, host, socket, TLS CA), read by
//!   MariaDB's/MySQL's tools and by libmariadb under pt-osc's Perl driver;
//! - [`credentials`]: that file, in memory only, handed to one child;
//! - [`dump`]: the dump tool's argument list (database and table names never taken as options);
//! - [`client`]: the client that loads a dump, sandboxed;
//! - [`ptosc`]: pt-online-schema-change's DSN, `--alter` and names.

pub mod client;
pub mod credentials;
pub mod dump;
pub mod option_file;
pub mod ptosc;
mod refusal;

/// The hostile values the tests run through every invocation (shared with the integration
/// tests).
#[cfg(test)]
#[path = "../../tests/data/hostile_values.rs"]
mod corpus;

use std::path::PathBuf;

pub use refusal::{Refusal, Value};

/// First of the named programs found on PATH.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A value for an argument list: the operating system cannot pass a NUL byte in one (the
/// program would see the value cut short), so it is refused.
fn argv_value(
    value: &str,
    what: impl FnOnce() -> Value,
    program: &'static str,
) -> Result<(), Refusal> {
    if value.contains('\0') {
        return Err(Refusal {
            value: what(),
            program,
            why: "it contains a NUL byte, which no command-line argument can carry".into(),
            fix: "rename it (or correct local.php)".into(),
        });
    }
    Ok(())
}
