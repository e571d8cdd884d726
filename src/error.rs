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
    #[error("{0}")]
    Refused(String),
}

impl Error {
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
