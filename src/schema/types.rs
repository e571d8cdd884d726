//! Column data types: a typed form of `INT(10) UNSIGNED`, `VARCHAR(191)`, `ENUM('a','b')`,
//! and the questions the planner asks of them (is this change a narrowing?).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnType {
    /// Lower-case base name: `int`, `varchar`, `longtext`, `decimal`, `json`, `enum`, ...
    pub name: String,
    /// Length, display width, precision or fractional-seconds precision, as the type uses it.
    pub length: Option<u32>,
    /// Scale of DECIMAL/FLOAT/DOUBLE(p,s).
    pub scale: Option<u32>,
    pub unsigned: bool,
    pub zerofill: bool,
    /// Members of ENUM/SET, unquoted.
    pub values: Vec<String>,
}

impl ColumnType {
    pub fn named(name: &str) -> Self {
        ColumnType {
            name: name.to_ascii_lowercase(),
            ..Default::default()
        }
    }

    pub fn with_length(mut self, length: u32) -> Self {
        self.length = Some(length);
        self
    }

    pub fn is_integer(&self) -> bool {
        int_rank(&self.name).is_some()
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer()
            || matches!(
                self.name.as_str(),
                "decimal" | "float" | "double" | "bit" | "year"
            )
    }

    /// Types that carry a character set and collation.
    pub fn is_textual(&self) -> bool {
        matches!(
            self.name.as_str(),
            "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
        )
    }

    /// Maximum number of characters (or bytes for blobs) a value of this type can hold, for
    /// the string-like types; `None` for the rest.
    pub fn capacity(&self) -> Option<u64> {
        Some(match self.name.as_str() {
            "char" | "varchar" | "binary" | "varbinary" => u64::from(self.length.unwrap_or(1)),
            "tinytext" | "tinyblob" => 255,
            "text" | "blob" => 65_535,
            "mediumtext" | "mediumblob" => 16_777_215,
            "longtext" | "longblob" | "json" => 4_294_967_295,
            _ => return None,
        })
    }

    /// True when every value of `self` fits in `to` without loss: the change is safe.
    pub fn fits_into(&self, to: &ColumnType) -> bool {
        if self == to {
            return true;
        }
        if let (Some(a), Some(b)) = (int_rank(&self.name), int_rank(&to.name)) {
            return match (self.unsigned, to.unsigned) {
                (false, false) | (true, true) => b >= a,
                // unsigned N fits in signed N+1
                (true, false) => b > a,
                (false, true) => false,
            };
        }
        let text_like =
            |t: &ColumnType| t.is_textual() && !matches!(t.name.as_str(), "enum" | "set");
        if text_like(self) && text_like(to) {
            return to.capacity() >= self.capacity();
        }
        let blob_like = |t: &ColumnType| {
            matches!(
                t.name.as_str(),
                "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob"
            )
        };
        if blob_like(self) && blob_like(to) {
            return to.capacity() >= self.capacity();
        }
        if self.name == "decimal" && to.name == "decimal" {
            let (p1, s1) = (self.length.unwrap_or(10), self.scale.unwrap_or(0));
            let (p2, s2) = (to.length.unwrap_or(10), to.scale.unwrap_or(0));
            return s2 >= s1 && p2 - s2 >= p1 - s1 && (!to.unsigned || self.unsigned);
        }
        if matches!(self.name.as_str(), "enum" | "set") && self.name == to.name {
            return self.values.iter().all(|v| to.values.contains(v));
        }
        if self.name == "float" && to.name == "double" {
            return true;
        }
        if self.name == "date" && to.name == "datetime" {
            return true;
        }
        if self.name == to.name && matches!(self.name.as_str(), "datetime" | "time" | "timestamp") {
            return to.length.unwrap_or(0) >= self.length.unwrap_or(0);
        }
        false
    }
}

fn int_rank(name: &str) -> Option<u8> {
    Some(match name {
        "tinyint" => 1,
        "smallint" => 2,
        "mediumint" => 3,
        "int" => 4,
        "bigint" => 5,
        _ => return None,
    })
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if !self.values.is_empty() {
            let quoted: Vec<String> = self.values.iter().map(|v| super::quote_string(v)).collect();
            write!(f, "({})", quoted.join(","))?;
        } else if let Some(len) = self.length {
            match self.scale {
                Some(scale) => write!(f, "({len},{scale})")?,
                None => write!(f, "({len})")?,
            }
        }
        if self.unsigned {
            f.write_str(" unsigned")?;
        }
        if self.zerofill {
            f.write_str(" zerofill")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, len: Option<u32>, unsigned: bool) -> ColumnType {
        ColumnType {
            name: name.into(),
            length: len,
            unsigned,
            ..Default::default()
        }
    }

    #[test]
    fn widening_and_narrowing() {
        assert!(t("varchar", Some(191), false).fits_into(&t("varchar", Some(255), false)));
        assert!(!t("varchar", Some(255), false).fits_into(&t("varchar", Some(191), false)));
        assert!(t("varchar", Some(255), false).fits_into(&t("longtext", None, false)));
        assert!(!t("text", None, false).fits_into(&t("varchar", Some(255), false)));
        assert!(t("int", None, true).fits_into(&t("bigint", None, true)));
        assert!(t("int", None, true).fits_into(&t("bigint", None, false)));
        assert!(!t("int", None, true).fits_into(&t("int", None, false)));
        assert!(!t("int", None, false).fits_into(&t("int", None, true)));
        assert!(!t("bigint", None, false).fits_into(&t("int", None, false)));
        assert!(!t("varchar", Some(10), false).fits_into(&t("int", None, false)));
    }

    #[test]
    fn display() {
        let mut d = t("decimal", Some(10), false);
        d.scale = Some(2);
        assert_eq!(d.to_string(), "decimal(10,2)");
        assert_eq!(t("int", None, true).to_string(), "int unsigned");
        let e = ColumnType {
            name: "enum".into(),
            values: vec!["a".into(), "it's".into()],
            ..Default::default()
        };
        assert_eq!(e.to_string(), "enum('a','it''s')");
    }
}
