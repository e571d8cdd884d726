//! Credentials for the client tools `apply` runs: the in-memory option file now lives with the
//! rest of what crosses into other programs, in `crate::external::credentials`.

pub use crate::external::credentials::Credentials;
