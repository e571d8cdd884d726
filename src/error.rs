//! The tool's error type: every variant prints as one line that says what went wrong and, where
//! there is one, what to do next. Passwords never reach these messages.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("{0}")]
    Input(String),
    /// A safety check said no: typed, so that JSON and `explain` can name it.
    #[error("{message}")]
    Refused { kind: RefusalKind, message: String },
}

/// Why the tool refused to go on. Each kind has its name in the JSON error document
/// (`error.refusal`) and the `explain` page that says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// A pre-check found rows or objects in the way.
    Prechecks,
    /// The server refused a statement on the schema-only copy.
    Rehearsal,
    /// The backup could not be taken or is incomplete.
    Backup,
    /// Not enough free space for the backup.
    BackupSpace,
    /// Another run holds the install's lock.
    LockHeld,
    /// A statement waited longer than lock_wait_timeout: the run stopped part way.
    LockTimeout,
    /// A statement failed: the run stopped part way and resumes on a rerun.
    StatementFailed,
    /// Ctrl-C or a signal stopped the run.
    Interrupted,
    /// What an interrupted online change left could not be finished.
    OnlineLeftover,
    /// A table must change online and pt-online-schema-change is missing or cannot take it.
    Online,
    /// The operator did not confirm (or there is no terminal to ask on).
    NotConfirmed,
    /// The client cannot be sandboxed, so a dump could run commands through it.
    UnsafeClient,
    /// A backup does not match what was recorded when it was taken.
    BackupMismatch,
    /// A dump that is not a complete backup of the tool's, or not one it recorded.
    BackupUntrusted,
    /// The account could not restore its own backup (no staging database).
    CannotRestore,
    /// Loading a backup failed.
    RestoreFailed,
    /// Restored, but the schema is not the one the backup was taken of.
    RestoreUnverified,
}

impl RefusalKind {
    /// The name in the JSON error document.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::Prechecks => "prechecks",
            RefusalKind::Rehearsal => "rehearsal",
            RefusalKind::Backup => "backup",
            RefusalKind::BackupSpace => "backup_space",
            RefusalKind::LockHeld => "lock_held",
            RefusalKind::LockTimeout => "lock_timeout",
            RefusalKind::StatementFailed => "statement_failed",
            RefusalKind::Interrupted => "interrupted",
            RefusalKind::OnlineLeftover => "online_leftover",
            RefusalKind::Online => "online",
            RefusalKind::NotConfirmed => "not_confirmed",
            RefusalKind::UnsafeClient => "unsafe_client",
            RefusalKind::BackupMismatch => "backup_mismatch",
            RefusalKind::BackupUntrusted => "backup_untrusted",
            RefusalKind::CannotRestore => "cannot_restore",
            RefusalKind::RestoreFailed => "restore_failed",
            RefusalKind::RestoreUnverified => "restore_unverified",
        }
    }

    /// The `mautic-schema explain` topic that says what to do.
    pub fn topic(self) -> &'static str {
        match self {
            RefusalKind::Prechecks => "prechecks",
            RefusalKind::Rehearsal => "rehearsal",
            RefusalKind::Backup | RefusalKind::BackupSpace => "backup",
            RefusalKind::LockHeld => "lock-held",
            RefusalKind::LockTimeout
            | RefusalKind::StatementFailed
            | RefusalKind::Interrupted
            | RefusalKind::OnlineLeftover => "interrupted",
            RefusalKind::Online => "apply",
            RefusalKind::NotConfirmed => "not-confirmed",
            RefusalKind::CannotRestore => "privileges",
            RefusalKind::UnsafeClient
            | RefusalKind::BackupMismatch
            | RefusalKind::BackupUntrusted
            | RefusalKind::RestoreFailed
            | RefusalKind::RestoreUnverified => "restore",
        }
    }

    pub const ALL: [RefusalKind; 17] = [
        RefusalKind::Prechecks,
        RefusalKind::Rehearsal,
        RefusalKind::Backup,
        RefusalKind::BackupSpace,
        RefusalKind::LockHeld,
        RefusalKind::LockTimeout,
        RefusalKind::StatementFailed,
        RefusalKind::Interrupted,
        RefusalKind::OnlineLeftover,
        RefusalKind::Online,
        RefusalKind::NotConfirmed,
        RefusalKind::UnsafeClient,
        RefusalKind::BackupMismatch,
        RefusalKind::BackupUntrusted,
        RefusalKind::CannotRestore,
        RefusalKind::RestoreFailed,
        RefusalKind::RestoreUnverified,
    ];
}

impl Error {
    pub fn refused(kind: RefusalKind, message: impl Into<String>) -> Error {
        Error::Refused {
            kind,
            message: message.into(),
        }
    }

    /// The `explain` topic for this error, when there is a page for it.
    pub fn topic(&self) -> Option<&'static str> {
        match self {
            Error::Config(_) => Some("config"),
            Error::Db(crate::db::DbError::Connect { .. }) => Some("connect"),
            Error::Refused { kind, .. } => Some(kind.topic()),
            _ => None,
        }
    }

    pub fn read(path: &std::path::Path, e: std::io::Error) -> Error {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::Read {
            path: path.to_path_buf(),
            reason,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
