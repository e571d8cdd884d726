//! `versions`: every release the build knows, one line each: release, `exact` (a reference of
//! its own) or `approximated` (compared with the nearest bundled release's, named), the
//! reference file, and where that schema came from. `--format json`: the same as a document.

use super::Outcome;
use crate::cli::{Format, VersionsArgs};
use crate::error::{Error, Result};
use crate::mautic::references;
use crate::report::contract::{FORMAT_VERSION, ReleaseLine, VersionsDoc, to_json};

pub fn run(args: &VersionsArgs) -> Result<Outcome> {
    if references::releases().is_empty() {
        return Err(Error::Input(
            "this build has no bundled references (reference-schemas/ was empty when it was built)"
                .into(),
        ));
    }
    let lines = release_lines();
    if args.format == Format::Json {
        print!(
            "{}",
            to_json(&VersionsDoc {
                format_version: FORMAT_VERSION,
                releases: lines,
            })
        );
        return Ok(Outcome::InSync);
    }
    for l in lines {
        match (l.status, &l.reference_file, &l.reference_release) {
            ("exact", Some(file), _) => println!(
                "{}\texact\t{file}\t{}",
                l.release,
                l.provenance.unwrap_or_default()
            ),
            ("approximated", Some(file), Some(used)) => println!(
                "{}\tapproximated\t{file}\tnearest bundled: {used}'s reference; {}",
                l.release,
                l.provenance.unwrap_or_default()
            ),
            _ => println!(
                "{}\tnone\t-\tno bundled reference in {}",
                l.release,
                major_minor(&l.release)
            ),
        }
    }
    Ok(Outcome::InSync)
}

/// Each known release and the reference it is compared with.
fn release_lines() -> Vec<ReleaseLine> {
    references::all_releases()
        .into_iter()
        .map(|r| match references::resolve(r) {
            None => ReleaseLine {
                release: r.to_string(),
                status: "none",
                reference_file: None,
                reference_release: None,
                provenance: None,
            },
            Some(res) => ReleaseLine {
                release: r.to_string(),
                status: if res.exact { "exact" } else { "approximated" },
                reference_file: Some(res.file.to_string()),
                reference_release: Some(res.used.to_string()),
                provenance: Some(references::provenance(res.used).unwrap_or_default()),
            },
        })
        .collect()
}

/// `4.4` of `4.4.13`.
fn major_minor(release: &str) -> &str {
    release.rsplit_once('.').map_or(release, |(mm, _)| mm)
}
