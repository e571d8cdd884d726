//! The embedded reference schema of every release, parsed on demand.

use super::embedded::{REFERENCE_FILES, REFERENCE_INDEX, REFERENCE_MODELS};
use super::release::Release;
use crate::dialect::{ServerInfo, normalize_schema};
use crate::error::{Error, Result};
use crate::schema::Schema;

/// The reference index with its release numbers parsed once per process: detection asks it
/// for every release, and parsing the text each time cost more than the detection itself.
fn index() -> &'static [(Release, &'static str)] {
    static INDEX: std::sync::OnceLock<Vec<(Release, &'static str)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        REFERENCE_INDEX
            .iter()
            .filter_map(|(r, f)| Some((Release::parse(r)?, *f)))
            .collect()
    })
}

/// Every release with a reference of its own, oldest first.
pub fn releases() -> Vec<Release> {
    let mut v: Vec<Release> = index()
        .iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(r, _)| *r)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Every release the index lists, with or without a reference of its own, oldest first.
pub fn all_releases() -> Vec<Release> {
    let mut v: Vec<Release> = index().iter().map(|(r, _)| *r).collect();
    v.sort();
    v.dedup();
    v
}

/// (file name, DDL) of a release's own reference.
pub fn reference_ddl(release: Release) -> Option<(&'static str, &'static str)> {
    let file = index()
        .iter()
        .find(|(r, f)| !f.is_empty() && *r == release)?
        .1;
    REFERENCE_FILES.iter().find(|(f, _)| *f == file).copied()
}

/// The reference a release is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// The release asked for.
    pub asked: Release,
    /// The release whose reference is used (`asked` when it has its own).
    pub used: Release,
    pub file: &'static str,
    pub ddl: &'static str,
    /// The release has a reference of its own.
    pub exact: bool,
    /// The release is one the index lists (a release number it does not know is answered
    /// the same way, and said to be unknown).
    pub listed: bool,
}

impl Resolution {
    /// The one-line warning of an approximated release; `None` for an exact one.
    pub fn warning(&self) -> Option<String> {
        (!self.exact).then(|| {
            format!(
                "{} has no reference of its own{}; compared with {}'s ({}, nearest bundled)",
                self.asked,
                if self.listed {
                    ""
                } else {
                    " (nor is it a release this build knows)"
                },
                self.used,
                self.file
            )
        })
    }
}

/// The reference of a release: its own, else the nearest bundled release of the same
/// major.minor line. Nearest means the closest *older* bundled release of the line when there
/// is one: a patch release's schema is its predecessor's plus the migrations it adds, so the
/// older reference is the schema the releases in between started from, and what they share
/// with it; the newer one may hold changes those releases never had. A release older than
/// every bundled one of its line takes the line's first bundled reference (the earliest
/// schema the line is known to have). Another line's reference is never used: minors change
/// the schema.
pub fn resolve(release: Release) -> Option<Resolution> {
    let listed = all_releases().contains(&release);
    if let Some((file, ddl)) = reference_ddl(release) {
        return Some(Resolution {
            asked: release,
            used: release,
            file,
            ddl,
            exact: true,
            listed,
        });
    }
    let line: Vec<Release> = releases()
        .into_iter()
        .filter(|r| r.major_minor() == release.major_minor())
        .collect();
    let used = line
        .iter()
        .rev()
        .find(|r| **r < release)
        .or_else(|| line.first())
        .copied()?;
    let (file, ddl) = reference_ddl(used)?;
    Some(Resolution {
        asked: release,
        used,
        file,
        ddl,
        exact: false,
        listed,
    })
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

/// The normalized, unprefixed reference schema of a release (its own, or the nearest one, see
/// `resolve`), and which reference that is.
pub fn load(release: Release, server: &ServerInfo) -> Result<(Schema, Resolution)> {
    let res = resolve(release).ok_or_else(|| {
        Error::Input(format!(
            "no bundled reference for Mautic {release} nor for any release of {}.{}; `mautic-schema versions` lists the releases, --reference-file compares with your own",
            release.0, release.1
        ))
    })?;
    Ok(((*parse_cached(res.file, server)?).clone(), res))
}

/// Parsed references of this process, by file and server: detection and the comparison parse
/// the same file once.
#[allow(clippy::type_complexity)]
static PARSED: std::sync::Mutex<Vec<(&'static str, String, std::sync::Arc<Schema>)>> =
    std::sync::Mutex::new(Vec::new());

/// A bundled reference file, parsed and normalized for `server`, once per process.
pub fn parse_cached(file: &str, server: &ServerInfo) -> Result<std::sync::Arc<Schema>> {
    let hit = |v: &Vec<(&'static str, String, std::sync::Arc<Schema>)>| {
        v.iter()
            .find(|(f, s, _)| *f == file && *s == server.version_string)
            .map(|(_, _, x)| x.clone())
    };
    if let Some(x) = hit(&PARSED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(x);
    }
    let (name, model) = REFERENCE_MODELS
        .iter()
        .find(|(f, _)| *f == file)
        .copied()
        .ok_or_else(|| Error::Input(format!("no bundled reference file {file}")))?;
    let schema = std::sync::Arc::new(model_of(name, model, server)?);
    PARSED.lock().unwrap_or_else(|e| e.into_inner()).push((
        name,
        server.version_string.clone(),
        schema.clone(),
    ));
    Ok(schema)
}

/// A bundled reference's model, which build.rs parsed from its DDL with the same reader
/// (`tests` below hold the two equal), normalized for `server`.
fn model_of(file: &str, model: &[u8], server: &ServerInfo) -> Result<Schema> {
    let mut schema: Schema = postcard::from_bytes(model).map_err(|e| {
        Error::Input(format!(
            "bundled reference {file} is damaged ({e}); rebuild mautic-schema"
        ))
    })?;
    normalize_schema(&mut schema, server);
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_schema_sql;

    /// The models build.rs embedded are what the reader makes of the embedded DDL now: a
    /// build that did not rerun after a reader change would show here.
    #[test]
    fn embedded_models_are_the_parsed_references() {
        assert_eq!(REFERENCE_MODELS.len(), REFERENCE_FILES.len());
        let server = ServerInfo::parse("10.11.6-MariaDB");
        for (file, ddl) in REFERENCE_FILES {
            let out = parse_schema_sql(ddl, &|_| false);
            assert!(out.warnings.is_empty(), "{file}: {:?}", out.warnings);
            let mut parsed = out.schema;
            normalize_schema(&mut parsed, &server);
            assert_eq!(*parse_cached(file, &server).unwrap(), parsed, "{file}");
        }
    }

    #[test]
    fn a_damaged_model_is_an_error_not_a_panic() {
        let e = model_of(
            "x.sql",
            &[0xff, 0xff, 0xff],
            &ServerInfo::parse("10.11.6-MariaDB"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("rebuild mautic-schema"), "{e}");
    }

    fn used(r: &str) -> Option<(String, bool)> {
        resolve(Release::parse(r)?).map(|x| (x.used.to_string(), x.exact))
    }

    #[test]
    fn every_listed_release_has_an_answer() {
        for r in all_releases() {
            assert!(resolve(r).is_some(), "{r}");
        }
        assert_eq!(used("5.1.1"), Some(("5.1.1".into(), true)));
        // 5.2.0 and 6.0.3 have their own (gen.php on the fork sources); the 5.2 releases
        // between 5.2.0 and 5.2.5 take 5.2.0's, the older one of their line.
        assert_eq!(used("5.2.0"), Some(("5.2.0".into(), true)));
        for r in ["5.2.1", "5.2.2", "5.2.3", "5.2.4"] {
            assert_eq!(used(r), Some(("5.2.0".into(), false)), "{r}");
        }
        assert_eq!(used("5.2.5"), Some(("5.2.5".into(), true)));
        assert_eq!(used("6.0.0"), Some(("6.0.2".into(), false)));
        assert_eq!(used("6.0.1"), Some(("6.0.2".into(), false)));
        assert_eq!(used("6.0.3"), Some(("6.0.3".into(), true)));
        // Not a known release, but its line has references.
        assert_eq!(used("5.2.9"), Some(("5.2.6".into(), false)));
        assert_eq!(used("6.0.9"), Some(("6.0.3".into(), false)));
        // No reference in the line at all.
        assert_eq!(used("1.4.1"), None);
        assert_eq!(used("7.0.0"), None);
        let w = resolve(Release(5, 2, 2)).unwrap().warning().unwrap();
        assert_eq!(
            w,
            "5.2.2 has no reference of its own; compared with 5.2.0's (5.2.0.sql, nearest bundled)"
        );
        assert!(resolve(Release(5, 2, 0)).unwrap().warning().is_none());
    }
}
