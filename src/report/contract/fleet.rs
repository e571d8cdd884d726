//! The fleet's line per install (`check` or `preflight` of several installs, `--format json`):
//! one object per line, a subset of the install's own document spelled as it is (the check
//! summary flattened from the same [`CheckSummary`], the error as the error document's
//! [`ErrorBody`]), plus `install` and `prefix`, which name the install.

use serde::Serialize;

use super::{CheckSummary, ErrorBody};

/// The fleet lines' version: 2 since `target` and `error` are spelled as in the install's own
/// document (1 had `target` as `Mautic 5.1.1` and `error` as a string).
pub const FLEET_FORMAT_VERSION: u32 = 2;

/// One install of `check` with several installs.
#[derive(Debug, Clone, Serialize)]
pub struct FleetLine {
    pub format_version: u32,
    /// The `--mautic-dir` or `--config` as matched (a pattern's own text on its error line).
    pub install: String,
    /// Its table prefix (empty when unknown).
    pub prefix: String,
    /// What the check came to; absent on an error line.
    #[serde(flatten)]
    pub check: Option<FleetCheck>,
    /// Why this install could not be checked; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The check document's members a fleet line carries.
#[derive(Debug, Clone, Serialize)]
pub struct FleetCheck {
    #[serde(flatten)]
    pub summary: CheckSummary,
    /// As the check document's `detected_version` (null when unknown).
    pub detected_version: Option<String>,
}

/// One install of `preflight` with several installs.
#[derive(Debug, Clone, Serialize)]
pub struct FleetPreflightLine {
    pub format_version: u32,
    pub install: String,
    /// As the preflight document's `to`.
    pub to: String,
    /// What the assessment came to; absent on an error line.
    #[serde(flatten)]
    pub preflight: Option<FleetPreflight>,
    /// Why this install could not be assessed; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The preflight document's `from` and `go`, and counts of its `checks`.
#[derive(Debug, Clone, Serialize)]
pub struct FleetPreflight {
    pub from: String,
    pub go: bool,
    /// Checks with status `BLOCKER`.
    pub blockers: usize,
    /// Checks with status `warning`.
    pub warnings: usize,
    /// The first blocker's `check: message`, to read without the install's own preflight;
    /// null when there is none.
    pub first_blocker: Option<String>,
}
