//! Mautic release numbers: parsing, ordering, ranges.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Release(pub u32, pub u32, pub u32);

impl Release {
    /// `5.1.1`, `v5.1.1`, `2.8.2-dev` (suffixes ignored).
    pub fn parse(s: &str) -> Option<Release> {
        let s = s.trim().trim_start_matches('v');
        let core = s.split(['-', '+', ' ']).next()?;
        let mut it = core.split('.').map(|p| p.parse::<u32>());
        let a = it.next()?.ok()?;
        let b = it.next().unwrap_or(Ok(0)).ok()?;
        let c = it.next().unwrap_or(Ok(0)).ok()?;
        Some(Release(a, b, c))
    }

    pub fn major_minor(self) -> (u32, u32) {
        (self.0, self.1)
    }

    /// How this release's console is run: Mautic 3 moved it from app/ to bin/.
    pub fn console(self) -> &'static str {
        if self.0 >= 3 {
            "php bin/console"
        } else {
            "php app/console"
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// `lo` or `lo-hi` for a sorted list of releases that fit equally well.
pub fn range_text(releases: &[Release]) -> String {
    match (releases.first(), releases.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_order() {
        assert_eq!(Release::parse("2.8.2-dev"), Some(Release(2, 8, 2)));
        assert!(Release::parse("4.4.10").unwrap() > Release::parse("4.4.9").unwrap());
        assert_eq!(
            range_text(&[Release(2, 12, 0), Release(2, 12, 2)]),
            "2.12.0-2.12.2"
        );
        assert_eq!(Release::parse("x"), None);
    }
}
