//! `versions`: every release the build knows, one line each: release, `exact` (a reference of
//! its own) or `approximated` (compared with the nearest bundled release's, named), the
//! reference file, and where that schema came from.

use super::Outcome;
use crate::error::{Error, Result};
use crate::mautic::references;

pub fn run() -> Result<Outcome> {
    let releases = references::all_releases();
    if references::releases().is_empty() {
        return Err(Error::Input(
            "this build has no bundled references (reference-schemas/ was empty when it was built)"
                .into(),
        ));
    }
    for r in releases {
        let Some(res) = references::resolve(r) else {
            println!("{r}\tnone\t-\tno bundled reference in {}.{}", r.0, r.1);
            continue;
        };
        let prov = references::provenance(res.used).unwrap_or_default();
        if res.exact {
            println!("{r}\texact\t{}\t{prov}", res.file);
        } else {
            println!(
                "{r}\tapproximated\t{}\tnearest bundled: {}'s reference; {prov}",
                res.file, res.used
            );
        }
    }
    Ok(Outcome::InSync)
}
