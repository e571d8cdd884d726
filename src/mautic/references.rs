//! The embedded reference schema of every release, parsed on demand.

use super::embedded::{REFERENCE_FILES, REFERENCE_INDEX};
use super::release::Release;
use crate::dialect::{ServerInfo, normalize_schema};
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::sql::parse_schema_sql;

/// Every release with a reference, oldest first.
pub fn releases() -> Vec<Release> {
    let mut v: Vec<Release> = REFERENCE_INDEX
        .iter()
        .filter_map(|(r, _)| Release::parse(r))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// (file name, DDL) of a release's reference.
pub fn reference_ddl(release: Release) -> Option<(&'static str, &'static str)> {
    let file = REFERENCE_INDEX
        .iter()
        .find(|(r, _)| Release::parse(r) == Some(release))?
        .1;
    REFERENCE_FILES.iter().find(|(f, _)| *f == file).copied()
}

/// Provenance line of a reference (its first `-- provenance:` comment), for reports.
pub fn provenance(release: Release) -> Option<String> {
    let (_, ddl) = reference_ddl(release)?;
    ddl.lines()
        .take_while(|l| l.starts_with("--"))
        .find_map(|l| {
            l.strip_prefix("-- provenance:")
                .map(|p| p.trim().to_string())
        })
}

/// The normalized, unprefixed reference schema of a release.
pub fn load(release: Release, server: &ServerInfo) -> Result<Schema> {
    let (file, ddl) = reference_ddl(release).ok_or_else(|| {
        Error::Input(format!(
            "no bundled reference for Mautic {release}; `mautic-schema versions` lists the releases, --reference-file compares with your own"
        ))
    })?;
    let out = parse_schema_sql(ddl, &|_| false);
    if let Some(w) = out.warnings.first() {
        return Err(Error::Input(format!(
            "bundled reference {file} is damaged: {w}"
        )));
    }
    let mut schema = out.schema;
    normalize_schema(&mut schema, server);
    Ok(schema)
}
