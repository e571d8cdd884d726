//! Handing credentials to the client tools we run (dump, restore, pt-online-schema-change).
//!
//! Never on the command line (every local user reads argv with `ps`) and never in a file: a
//! file outlives us when we are killed (SIGKILL runs no cleanup) and lands where a backup or
//! TMPDIR is read by others. The option file (see `option_file`) exists only in memory (memfd)
//! and is handed to the child alone as an inherited descriptor, named `/dev/fd/N`:
//! `--defaults-extra-file=/dev/fd/N` for the MySQL/MariaDB clients, `F=/dev/fd/N` in a pt-osc
//! DSN (which re-reads it for every connection, so it must be re-openable from the start: a
//! pipe would not do).

use std::io::Write as _;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Command;

use super::option_file;
use crate::db::ConnectParams;
use crate::error::{Error, Result};

/// An in-memory option file; closed (and gone) when dropped.
pub struct Credentials {
    fd: OwnedFd,
}

impl Credentials {
    /// The option file for `p`; a value it cannot carry is refused (see `option_file`).
    pub fn new(p: &ConnectParams<'_>) -> Result<Credentials> {
        let text = option_file::client_section(p)?;
        let fd = memfd_with(&text).map_err(|e| {
            Error::Input(format!(
                "cannot prepare the credentials for the client tools: {e}"
            ))
        })?;
        Ok(Credentials { fd })
    }

    /// Let `cmd`'s child (and only it) inherit the descriptor, and have the child die with us
    /// (an orphan dump or copy would race a rerun). Returns the path the child opens.
    pub fn attach(&self, cmd: &mut Command) -> String {
        let fd = self.fd.as_raw_fd();
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let flags = libc::fcntl(fd, libc::F_GETFD);
                if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        format!("/dev/fd/{fd}")
    }
}

#[cfg(target_os = "linux")]
fn memfd_with(text: &[u8]) -> std::io::Result<OwnedFd> {
    let name = c"mautic-schema-credentials";
    // SAFETY: a valid C string; the result is checked.
    let raw = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if raw < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor we own.
    let mut f = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(raw) });
    // A memfd is born 0777, and MariaDB's clients silently ignore a world-writable option
    // file (then connect as the OS user instead).
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(text)?;
    Ok(OwnedFd::from(f))
}

#[cfg(not(target_os = "linux"))]
fn memfd_with(_text: &[u8]) -> std::io::Result<OwnedFd> {
    Err(std::io::Error::other(
        "handing credentials over in memory needs Linux (memfd)",
    ))
}
