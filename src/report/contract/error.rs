//! The error document: what every command prints on stdout with `--format json` when it fails,
//! besides the one-line message on stderr.

use serde::Serialize;

use super::FORMAT_VERSION;
use crate::error::Error;

#[derive(Debug, Clone, Serialize)]
pub struct ErrorDoc {
    pub format_version: u32,
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// The one line printed on stderr after `error: `.
    pub message: String,
    /// `usage`, `config`, `connection`, `query`, `read`, `write`, `input` or `refused`.
    pub kind: &'static str,
    /// The process's exit code (2 for every error).
    pub exit_code: i32,
    /// For `kind` `refused`: which safety check said no (`prechecks`, `lock_held`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<&'static str>,
    /// The `mautic-schema explain` topic that says what to do, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<&'static str>,
}

/// The exit code of every error (0 in sync, 1 differences).
pub const ERROR_EXIT_CODE: i32 = 2;

impl ErrorBody {
    /// Flags that do not parse (clap's first line).
    pub fn usage(message: String) -> ErrorBody {
        ErrorBody {
            message: crate::text::printable(&message).into_owned(),
            kind: "usage",
            exit_code: ERROR_EXIT_CODE,
            refusal: None,
            explain: None,
        }
    }

    /// Something the command cannot work with that is no [`Error`] (a fleet pattern that
    /// matches nothing).
    pub fn input(message: &str) -> ErrorBody {
        ErrorBody {
            message: crate::text::printable(message).into_owned(),
            kind: "input",
            exit_code: ERROR_EXIT_CODE,
            refusal: None,
            explain: None,
        }
    }

    pub fn of(e: &Error) -> ErrorBody {
        ErrorBody {
            message: crate::text::printable(&e.to_string()).into_owned(),
            kind: match e {
                Error::Config(_) => "config",
                Error::Db(crate::db::DbError::Connect { .. }) => "connection",
                Error::Db(crate::db::DbError::Query { .. }) => "query",
                Error::Read { .. } => "read",
                Error::Write { .. } => "write",
                Error::Input(_) => "input",
                Error::Refused { .. } => "refused",
            },
            exit_code: ERROR_EXIT_CODE,
            refusal: match e {
                Error::Refused { kind, .. } => Some(kind.as_str()),
                _ => None,
            },
            explain: e.topic(),
        }
    }
}

impl ErrorDoc {
    pub fn of(e: &Error) -> ErrorDoc {
        ErrorDoc::of_body(ErrorBody::of(e))
    }

    pub fn of_body(error: ErrorBody) -> ErrorDoc {
        ErrorDoc {
            format_version: FORMAT_VERSION,
            error,
        }
    }
}
