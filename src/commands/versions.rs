//! `versions`: the bundled references, one line per release with where its schema came from.

use super::Outcome;
use crate::error::{Error, Result};
use crate::mautic::references;

pub fn run() -> Result<Outcome> {
    let releases = references::releases();
    if releases.is_empty() {
        return Err(Error::Input(
            "this build has no bundled references (reference-schemas/ was empty when it was built)"
                .into(),
        ));
    }
    for r in releases {
        let (file, _) = references::reference_ddl(r).expect("listed releases resolve");
        let prov = references::provenance(r).unwrap_or_default();
        println!("{r}\t{file}\t{prov}");
    }
    Ok(Outcome::InSync)
}
