//! Which server described a schema, and what that server does: version facts as a table (one
//! row per capability, the first MySQL and MariaDB versions that have it) and the collation
//! each character set gets when none is named, read from the server itself when connected.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    MySql,
    MariaDb,
}

/// The product's own spelling, for people: `MySQL`, `MariaDB`.
impl std::fmt::Display for Flavor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Flavor::MySql => "MySQL",
            Flavor::MariaDb => "MariaDB",
        })
    }
}

type Version = (u32, u32, u32);

/// A capability the planner, the classifier or the inspector asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// `ALTER TABLE ... RENAME INDEX`.
    RenameIndex,
    /// `ALGORITHM=INSTANT`; older servers answer "Unknown ALGORITHM 'INSTANT'" (error 1800).
    /// Also the first versions that add a column at the end of a table instantly.
    InstantAlgorithm,
    /// A column added anywhere (FIRST/AFTER) or dropped without a rebuild.
    InstantAddDropAnywhere,
    /// A VARCHAR made longer within its length-byte class as metadata only (MySQL does it in
    /// place without a rebuild, never instantly).
    InstantVarcharExtend,
    /// A column's collation changed within its character set (or utf8mb3 to utf8mb4), the
    /// table's default character set, and a foreign key dropped, without copying: verified on
    /// MariaDB 10.11 with the server (`tests/algorithm.rs`); earlier series and MySQL are
    /// assumed to copy or rebuild, the more expensive answer.
    InstantCollationChange,
    /// `information_schema.CHECK_CONSTRAINTS`.
    CheckConstraintsView,
    /// `CHECK_CONSTRAINTS.LEVEL`, which tells a column's own check from a table's.
    CheckConstraintLevel,
    /// `information_schema.COLUMNS.COLUMN_DEFAULT` quotes string literals and says `NULL` for
    /// DEFAULT NULL, so that literals and expressions can be told apart.
    QuotedColumnDefaults,
    /// InnoDB's default row format is DYNAMIC, whose keys may be 3072 bytes long; before,
    /// COMPACT rows limit a key to 767 bytes.
    LargePrefixByDefault,
    /// `@@character_set_collations`, which overrides each charset's default collation.
    CharacterSetCollations,
    /// The `JSON` column type (an alias of LONGTEXT with a `json_valid` check on MariaDB).
    JsonColumn,
}

/// (feature, first MySQL version, first MariaDB version; `None`: that server never has it),
/// from each server's release notes or, where said, checked on the server.
const FEATURES: &[(Feature, Option<Version>, Option<Version>)] = &[
    (Feature::RenameIndex, Some((5, 7, 0)), Some((10, 5, 2))),
    (
        Feature::InstantAlgorithm,
        Some((8, 0, 12)),
        Some((10, 3, 2)),
    ),
    (
        Feature::InstantAddDropAnywhere,
        Some((8, 0, 29)),
        Some((10, 4, 0)),
    ),
    (Feature::InstantVarcharExtend, None, Some((10, 4, 3))),
    (Feature::InstantCollationChange, None, Some((10, 11, 0))),
    (
        Feature::CheckConstraintsView,
        Some((8, 0, 16)),
        Some((10, 2, 22)),
    ),
    (Feature::CheckConstraintLevel, None, Some((10, 5, 10))),
    (Feature::QuotedColumnDefaults, None, Some((10, 2, 7))),
    (
        Feature::LargePrefixByDefault,
        Some((5, 7, 9)),
        Some((10, 2, 2)),
    ),
    (Feature::CharacterSetCollations, None, Some((11, 2, 0))),
    (Feature::JsonColumn, Some((5, 7, 8)), Some((10, 2, 7))),
];

/// Default collations that differ from `<charset>_general_ci`, for a schema read from a file
/// (a connected server says its own): (flavor, from version, charset, collation). MariaDB
/// 11.4.2 made the UCA 14.0 collations the default of the Unicode charsets
/// (`character_set_collations`); MySQL 8.0 made `utf8mb4_0900_ai_ci` utf8mb4's.
const DEFAULT_COLLATIONS: &[(Flavor, Version, &str, &str)] = &[
    (Flavor::MySql, (8, 0, 0), "utf8mb4", "utf8mb4_0900_ai_ci"),
    (
        Flavor::MariaDb,
        (11, 4, 2),
        "utf8mb4",
        "utf8mb4_uca1400_ai_ci",
    ),
    (
        Flavor::MariaDb,
        (11, 4, 2),
        "utf8mb3",
        "utf8mb3_uca1400_ai_ci",
    ),
    (Flavor::MariaDb, (11, 4, 2), "ucs2", "ucs2_uca1400_ai_ci"),
    (Flavor::MariaDb, (11, 4, 2), "utf16", "utf16_uca1400_ai_ci"),
    (Flavor::MariaDb, (11, 4, 2), "utf32", "utf32_uca1400_ai_ci"),
    (Flavor::MySql, (0, 0, 0), "latin1", "latin1_swedish_ci"),
    (Flavor::MariaDb, (0, 0, 0), "latin1", "latin1_swedish_ci"),
];

/// What server a schema came from (or, for a file, what its dump header says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub flavor: Flavor,
    pub version: Version,
    pub version_string: String,
    /// charset → the collation the server gives it when none is named, as the connected server
    /// reported it (empty for a file: the version table above decides).
    pub collation_defaults: BTreeMap<String, String>,
    /// The connected database's default collation (`@@collation_database`, what
    /// `information_schema.SCHEMATA` lists): what a CREATE TABLE naming no character set gets.
    /// `None` for a file.
    pub database_collation: Option<String>,
}

impl ServerInfo {
    /// Parse `SELECT VERSION()` output (`10.11.19-MariaDB-0+deb12u1`, `8.0.36`, `5.5.5-10.4.22-MariaDB`).
    pub fn parse(version: &str) -> ServerInfo {
        let flavor = if version.to_ascii_lowercase().contains("mariadb") {
            Flavor::MariaDb
        } else {
            Flavor::MySql
        };
        // MariaDB behind the 5.5.5- compatibility prefix
        let v = version.strip_prefix("5.5.5-").unwrap_or(version);
        let nums: Vec<u32> = v
            .split(|c: char| !c.is_ascii_digit())
            .take(3)
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        let n = |i: usize| nums.get(i).copied().unwrap_or(0);
        ServerInfo {
            flavor,
            version: (n(0), n(1), n(2)),
            version_string: version.to_string(),
            collation_defaults: BTreeMap::new(),
            database_collation: None,
        }
    }

    /// Assumed for a schema file without a dump header.
    pub fn unknown() -> ServerInfo {
        ServerInfo::parse("10.11.0-MariaDB")
    }

    pub fn has(&self, feature: Feature) -> bool {
        FEATURES.iter().any(|&(f, mysql, mariadb)| {
            let since = match self.flavor {
                Flavor::MySql => mysql,
                Flavor::MariaDb => mariadb,
            };
            f == feature && since.is_some_and(|v| self.version >= v)
        })
    }

    /// The first version of this server's flavor that has `feature`, as `10.5.2`.
    pub fn first_with(&self, feature: Feature) -> Option<String> {
        let (_, mysql, mariadb) = FEATURES.iter().find(|(f, _, _)| *f == feature)?;
        let v = match self.flavor {
            Flavor::MySql => mysql,
            Flavor::MariaDb => mariadb,
        };
        v.map(|(a, b, c)| format!("{a}.{b}.{c}"))
    }

    pub fn supports_rename_index(&self) -> bool {
        self.has(Feature::RenameIndex)
    }

    pub fn supports_instant_algorithm(&self) -> bool {
        self.has(Feature::InstantAlgorithm)
    }

    pub fn has_check_constraints_view(&self) -> bool {
        self.has(Feature::CheckConstraintsView)
    }

    pub fn large_prefix_by_default(&self) -> bool {
        self.has(Feature::LargePrefixByDefault)
    }

    /// The collation a charset gets when none is named: the server's own answer when it gave
    /// one, else the version table, else `<charset>_general_ci` (`binary` is its own).
    pub fn default_collation(&self, charset: &str) -> String {
        if let Some(c) = self.collation_defaults.get(charset) {
            return c.clone();
        }
        let from_table = DEFAULT_COLLATIONS
            .iter()
            .filter(|(f, since, cs, _)| {
                *f == self.flavor && *cs == charset && self.version >= *since
            })
            .max_by_key(|(_, since, _, _)| *since);
        match (from_table, charset) {
            (Some((_, _, _, coll)), _) => coll.to_string(),
            (None, "binary") => "binary".into(),
            (None, cs) => format!("{cs}_general_ci"),
        }
    }

    /// Record the server's defaults: `charsets` as `information_schema.CHARACTER_SETS` lists
    /// them (`cs=collation,...`), then MariaDB's `@@character_set_collations` (11.2+), which
    /// overrides them (`utf8mb4=utf8mb4_uca1400_ai_ci,...`).
    pub fn set_collation_defaults(&mut self, charsets: &str, overrides: Option<&str>) {
        let pairs = charsets
            .split(',')
            .chain(overrides.unwrap_or("").split(','));
        for pair in pairs {
            if let Some((cs, coll)) = pair.trim().split_once('=') {
                let (cs, coll) = (
                    cs.trim().to_ascii_lowercase(),
                    coll.trim().to_ascii_lowercase(),
                );
                if cs.is_empty() || coll.is_empty() {
                    continue;
                }
                // The variable may name a collation without its charset (`uca1400_ai_ci`).
                let coll = if coll.starts_with(&format!("{cs}_")) || coll == "binary" {
                    coll
                } else {
                    format!("{cs}_{coll}")
                };
                self.collation_defaults.insert(
                    super::canonical_charset(&cs),
                    super::canonical_collation(&coll),
                );
            }
        }
    }

    /// Whether this server has `@@character_set_collations` (MariaDB 11.2+).
    pub fn has_character_set_collations(&self) -> bool {
        self.has(Feature::CharacterSetCollations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_parse() {
        let s = ServerInfo::parse("10.11.19-MariaDB-0+deb12u1");
        assert_eq!(s.flavor, Flavor::MariaDb);
        assert_eq!(s.version, (10, 11, 19));
        let s = ServerInfo::parse("5.5.5-10.4.22-MariaDB");
        assert_eq!((s.flavor, s.version), (Flavor::MariaDb, (10, 4, 22)));
        let s = ServerInfo::parse("8.0.36");
        assert_eq!((s.flavor, s.version), (Flavor::MySql, (8, 0, 36)));
    }

    #[test]
    fn features_by_flavor_and_version() {
        let has = |v: &str, f| ServerInfo::parse(v).has(f);
        assert!(has("10.5.2-MariaDB", Feature::RenameIndex));
        assert!(!has("10.4.30-MariaDB", Feature::RenameIndex));
        assert!(has("5.7.44", Feature::RenameIndex));
        // What MySQL never has stays false at any version.
        assert!(!has("9.1.0", Feature::InstantVarcharExtend));
        assert!(has("10.4.3-MariaDB", Feature::InstantVarcharExtend));
        assert!(!has("10.10.2-MariaDB", Feature::InstantCollationChange));
        assert!(has("11.4.5-MariaDB", Feature::CharacterSetCollations));
        assert!(!has("8.4.0", Feature::CharacterSetCollations));
    }

    #[test]
    fn default_collations_by_version_and_from_the_server() {
        let m10 = ServerInfo::parse("10.11.19-MariaDB");
        assert_eq!(m10.default_collation("utf8mb4"), "utf8mb4_general_ci");
        assert_eq!(m10.default_collation("latin1"), "latin1_swedish_ci");
        assert_eq!(m10.default_collation("binary"), "binary");
        let m114 = ServerInfo::parse("11.4.5-MariaDB");
        assert_eq!(m114.default_collation("utf8mb4"), "utf8mb4_uca1400_ai_ci");
        let my8 = ServerInfo::parse("8.0.36");
        assert_eq!(my8.default_collation("utf8mb4"), "utf8mb4_0900_ai_ci");
        assert_eq!(
            ServerInfo::parse("5.7.44").default_collation("utf8mb4"),
            "utf8mb4_general_ci"
        );
        // A server configured otherwise says so, and its word wins over the table.
        let mut s = ServerInfo::parse("11.4.5-MariaDB");
        s.set_collation_defaults(
            "utf8mb4=utf8mb4_general_ci,utf8=utf8_general_ci,latin1=latin1_swedish_ci",
            Some("utf8mb4=uca1400_as_cs"),
        );
        assert_eq!(s.default_collation("utf8mb4"), "utf8mb4_uca1400_as_cs");
        assert_eq!(s.default_collation("utf8mb3"), "utf8mb3_general_ci");
    }
}
