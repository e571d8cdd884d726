//! Every file the tool writes beside a backup (the dump, `manifest.json`, `journal.json`) is
//! created here. The tool runs as root, and a backup folder's path can come from a database row
//! (an interrupted run's journal names its backup), so a write must not be turned elsewhere:
//!
//! - the folder is opened once and judged by what was opened (`fstat`, no race with a rename):
//!   it must belong to this user and be writable by nobody else;
//! - the file is created in that folder with `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600: an
//!   existing file is never overwritten, a planted symlink is never followed;
//! - the dump is written to an unnamed file (`O_TMPFILE`) that gets its name only once it is
//!   complete: a run killed or interrupted half way leaves no partial dump of contact data.
//!   Where the file system has no unnamed files, a named file is removed on any failure.

use std::ffi::CString;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn write_err(path: &Path, reason: impl ToString) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn c_path(path: &Path) -> Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| write_err(path, "the path holds a NUL byte"))
}

/// `path`'s folder, opened and checked, and the file's name in it.
fn open_folder(path: &Path) -> Result<(OwnedFd, CString)> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(write_err(path, "not a file path"));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let c_dir = c_path(dir)?;
    // SAFETY: open(2) with a NUL-terminated path; the descriptor is owned below.
    let fd = unsafe {
        libc::open(
            c_dir.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(write_err(dir, std::io::Error::last_os_error()));
    }
    // SAFETY: `fd` was just opened and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    check_private(dir, &fd)?;
    let name =
        CString::new(name.as_bytes()).map_err(|_| write_err(path, "the name holds a NUL byte"))?;
    Ok((fd, name))
}

/// The opened folder belongs to this user and nobody else may write in it.
fn check_private(dir: &Path, fd: &OwnedFd) -> Result<()> {
    // SAFETY: fstat(2) into a zeroed buffer on an open descriptor.
    let st = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd.as_raw_fd(), &mut st) != 0 {
            return Err(write_err(dir, std::io::Error::last_os_error()));
        }
        st
    };
    // SAFETY: geteuid(2) cannot fail.
    let me = unsafe { libc::geteuid() };
    if st.st_uid != me {
        return Err(Error::refused(
            crate::error::RefusalKind::Backup,
            format!(
                "refusing to write in {}: the folder belongs to uid {}, not to this user (uid {me}), who could replace what is written there",
                crate::text::one_line(&dir.display().to_string()),
                st.st_uid
            ),
        ));
    }
    if st.st_mode & 0o022 != 0 {
        return Err(Error::refused(
            crate::error::RefusalKind::Backup,
            format!(
                "refusing to write in {}: other users may write in the folder (mode {:o})",
                crate::text::one_line(&dir.display().to_string()),
                st.st_mode & 0o7777
            ),
        ));
    }
    Ok(())
}

/// Whether `dir` is a folder of this user's that nobody else may write in (what an interrupted
/// run's backup folder, named by a database row, must be before it is trusted or written to).
pub fn is_private_folder(dir: &Path) -> bool {
    open_folder(&dir.join("x")).is_ok()
}

/// A new file at `path`, 0600, only if nothing (not even a symlink) is there, in a folder of
/// this user's that nobody else may write in.
pub fn create_new(path: &Path) -> Result<File> {
    let (dir, name) = open_folder(path)?;
    create_at(&dir, &name, path)
}

fn create_at(dir: &OwnedFd, name: &CString, path: &Path) -> Result<File> {
    // SAFETY: openat(2) relative to an open folder, NUL-terminated name; owned below.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            0o600 as libc::c_uint,
        )
    };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        let reason = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "something is already there (a file or a link): it is never overwritten nor followed"
                .into()
        } else {
            e.to_string()
        };
        return Err(write_err(path, reason));
    }
    // SAFETY: `fd` was just opened and is owned by nobody else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

/// A file being written that is named `path` only once [`Pending::publish`] is called: until
/// then it has no name (or, where the file system cannot do that, it is removed when dropped).
pub struct Pending {
    file: File,
    dir: OwnedFd,
    name: CString,
    path: PathBuf,
    /// Created under its final name (no unnamed files here): removed unless published.
    named: bool,
}

impl Pending {
    pub fn new(path: &Path) -> Result<Pending> {
        let (dir, name) = open_folder(path)?;
        let dot = CString::new(".").unwrap_or_default();
        // SAFETY: openat(2) of an unnamed file in an open folder; owned below.
        let fd = unsafe {
            libc::openat(
                dir.as_raw_fd(),
                dot.as_ptr(),
                libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC,
                0o600 as libc::c_uint,
            )
        };
        let (file, named) = if fd >= 0 {
            // SAFETY: `fd` was just opened and is owned by nobody else.
            (unsafe { File::from_raw_fd(fd) }, false)
        } else {
            (create_at(&dir, &name, path)?, true)
        };
        Ok(Pending {
            file,
            dir,
            name,
            path: path.to_path_buf(),
            named,
        })
    }

    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Give the complete file its name (never replacing anything there).
    pub fn publish(mut self) -> Result<File> {
        if !self.named {
            self.link()?;
        }
        self.named = false;
        let file = self
            .file
            .try_clone()
            .map_err(|e| write_err(&self.path, e))?;
        Ok(file)
    }

    fn link(&self) -> Result<()> {
        let proc =
            CString::new(format!("/proc/self/fd/{}", self.file.as_raw_fd())).unwrap_or_default();
        let empty = CString::new("").unwrap_or_default();
        // SAFETY: linkat(2) with NUL-terminated names and open descriptors. Through /proc
        // first (any user); else by the descriptor itself (needs CAP_DAC_READ_SEARCH).
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                proc.as_ptr(),
                self.dir.as_raw_fd(),
                self.name.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            ) == 0
                || libc::linkat(
                    self.file.as_raw_fd(),
                    empty.as_ptr(),
                    self.dir.as_raw_fd(),
                    self.name.as_ptr(),
                    libc::AT_EMPTY_PATH,
                ) == 0
        };
        if linked {
            Ok(())
        } else {
            Err(write_err(&self.path, std::io::Error::last_os_error()))
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.named {
            // SAFETY: unlinkat(2) of the name this value created, in the folder it opened.
            unsafe {
                libc::unlinkat(self.dir.as_raw_fd(), self.name.as_ptr(), 0);
            }
        }
    }
}

/// A folder backups go under: this user's (or root's, e.g. a shared `/tmp`), and, when others
/// may write in it, with the sticky bit (nobody else can rename or replace what is made there).
pub fn check_backup_root(root: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(m) = std::fs::metadata(root) else {
        return Ok(());
    };
    // SAFETY: geteuid(2) cannot fail.
    let me = unsafe { libc::geteuid() };
    let shown = crate::text::one_line(&root.display().to_string()).into_owned();
    if m.uid() != me && m.uid() != 0 {
        return Err(Error::Input(format!(
            "the backup folder {shown} belongs to uid {}, not to this user (uid {me}): its owner could read or replace the backup; pass --backup-dir a folder of your own",
            m.uid()
        )));
    }
    if m.mode() & 0o022 != 0 && m.mode() & 0o1000 == 0 {
        return Err(Error::Input(format!(
            "the backup folder {shown} may be written by other users (mode {:o}, no sticky bit): they could replace the backup; pass --backup-dir a folder of your own",
            m.mode() & 0o7777
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt;

    fn private_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ms-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700)).unwrap();
        d
    }

    #[test]
    fn a_planted_symlink_is_not_followed_and_nothing_is_overwritten() {
        let d = private_dir("link");
        let target = d.join("target");
        std::fs::write(&target, "precious").unwrap();
        for name in ["manifest.json", "journal.json", "db-1.sql"] {
            std::os::unix::fs::symlink(&target, d.join(name)).unwrap();
            assert!(create_new(&d.join(name)).is_err(), "{name}");
            assert!(
                Pending::new(&d.join(name))
                    .and_then(Pending::publish)
                    .is_err()
            );
        }
        assert!(create_new(&target).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn new_files_are_private_and_a_shared_folder_is_refused() {
        use std::os::unix::fs::MetadataExt;
        let d = private_dir("mode");
        let mut f = create_new(&d.join("a")).unwrap();
        f.write_all(b"x").unwrap();
        assert_eq!(
            std::fs::metadata(d.join("a")).unwrap().mode() & 0o777,
            0o600
        );
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = create_new(&d.join("b")).unwrap_err().to_string();
        assert!(e.contains("other users may write"), "{e}");
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn an_unfinished_file_has_no_name() {
        let d = private_dir("pending");
        let path = d.join("dump.sql");
        let mut p = Pending::new(&path).unwrap();
        p.file().write_all(b"half").unwrap();
        assert!(!path.exists() || p.named);
        drop(p);
        assert!(!path.exists(), "a dropped file stays");
        let mut p = Pending::new(&path).unwrap();
        p.file().write_all(b"whole").unwrap();
        p.publish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
        let _ = std::fs::remove_dir_all(d);
    }
}
