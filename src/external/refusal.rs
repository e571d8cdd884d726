//! A value that cannot be handed to another program as it is: which value (never a password's
//! text), to which program, why, and what to do.

use std::fmt;
use std::path::PathBuf;

/// Which value was refused. Names and paths are shown escaped and cut short; the password is
/// only ever named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Password,
    User(String),
    Host(String),
    Socket(PathBuf),
    SslCa(PathBuf),
    Database(String),
    Table(String),
    /// The clauses of the ALTER for this table.
    Alter(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Password => write!(f, "the database password (db_password)"),
            Value::User(u) => write!(f, "the database user {} (db_user)", shown(u)),
            Value::Host(h) => write!(f, "the database host {} (db_host)", shown(h)),
            Value::Socket(p) => write!(f, "the socket path {}", shown(&p.to_string_lossy())),
            Value::SslCa(p) => write!(
                f,
                "the TLS CA file {} (--ssl-ca)",
                shown(&p.to_string_lossy())
            ),
            Value::Database(d) => write!(f, "the database name {} (db_name)", shown(d)),
            Value::Table(t) => write!(f, "the table name {}", shown(t)),
            Value::Alter(t) => write!(f, "the ALTER of table {}", shown(t)),
        }
    }
}

/// A name as a message shows it: backquoted, control characters escaped (see
/// `text::one_line`), at most 80 characters of it.
pub fn shown(s: &str) -> String {
    const MAX: usize = 80;
    let line = crate::text::one_line(s);
    if line.chars().count() <= MAX {
        return format!("`{line}`");
    }
    let cut: String = line.chars().take(MAX).collect();
    format!("`{cut}…` ({} bytes)", s.len())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub value: Value,
    /// The program (or file format) that cannot take it.
    pub program: &'static str,
    pub why: String,
    pub fix: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot be handed to {}: {}; {}. Nothing was changed",
            self.value, self.program, self.why, self.fix
        )
    }
}

impl From<Refusal> for crate::error::Error {
    fn from(r: Refusal) -> Self {
        crate::error::Error::Input(r.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_cut_and_the_password_never_shown() {
        assert_eq!(shown("a\nb"), "`a\\nb`");
        let long = "x".repeat(5000);
        let s = shown(&long);
        assert!(s.len() < 100 && s.ends_with("(5000 bytes)"), "{s}");
        let r = Refusal {
            value: Value::Password,
            program: "the client tools' option file",
            why: "it contains a NUL byte".into(),
            fix: "choose another".into(),
        };
        assert_eq!(
            r.to_string(),
            "the database password (db_password) cannot be handed to the client tools' option file: it contains a NUL byte; choose another. Nothing was changed"
        );
    }
}
