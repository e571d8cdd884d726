//! Finding and reading Mautic's database settings: local.php (every syntax in the field),
//! parameters_local.php, MAUTIC_CONFIG_PARAMETERS and `MAUTIC_DB_*` overrides, or a URL; and
//! the code version of an install's files.

mod code_version;
mod env;
mod local_php;
mod php;
mod secret;
mod url;

use std::path::{Path, PathBuf};

pub use code_version::{CodeVersion, code_version};
pub use env::Env;
pub use local_php::{load_local_php, locate_local_php};
pub use php::{PhpKey, PhpValue, parse_parameters};
pub use secret::Secret;

/// Connection settings of one install. Display and Debug never show the password.
#[derive(Clone, Debug)]
pub struct DbSettings {
    pub host: String,
    pub port: u16,
    pub name: String,
    pub user: String,
    pub password: Secret,
    pub prefix: String,
    /// Unix socket, used when the host is `localhost` and the server's default socket exists
    /// (what PHP's pdo_mysql does).
    pub socket: Option<PathBuf>,
    /// Where the settings came from (a file path or `--url`).
    pub origin: String,
    /// Set from the command line (local.php has no TLS settings Mautic reads).
    pub ssl_mode: crate::db::SslMode,
    pub ssl_ca: Option<PathBuf>,
}

impl std::fmt::Display for DbSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{}:{}/{} (prefix '{}')",
            self.user, self.host, self.port, self.name, self.prefix
        )
    }
}

/// Settings and the warnings reading them produced (for the CLI to print).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: DbSettings,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot find the {what}; looked at {}", looked.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NotFound { what: String, looked: Vec<PathBuf> },
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}:{line}:{col}: {msg}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error("{}:{line}:{col}: cannot evaluate {what}", path.display())]
    Unsupported {
        path: PathBuf,
        line: usize,
        col: usize,
        what: String,
    },
    #[error("{}: {msg}", path.display())]
    Invalid { path: PathBuf, msg: String },
    #[error("bad --url: {0}")]
    Url(String),
}

impl ConfigError {
    pub fn read(path: &Path, e: std::io::Error) -> ConfigError {
        ConfigError::Read {
            path: path.to_path_buf(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".into(),
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => e.to_string(),
            },
        }
    }
}

/// libmysql semantics: `localhost` means the local socket.
fn default_socket_for(host: &str) -> Option<PathBuf> {
    if host != "localhost" {
        return None;
    }
    [
        "/run/mysqld/mysqld.sock",
        "/var/run/mysqld/mysqld.sock",
        "/var/lib/mysql/mysql.sock",
        "/tmp/mysql.sock",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}
