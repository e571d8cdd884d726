//! Character sets, one table: the most bytes a character takes (a key's or a row's size
//! follows it) and how much of Unicode it holds (a conversion to a smaller repertoire can lose
//! characters). Read from MariaDB 10.11's `information_schema.CHARACTER_SETS` (MAXLEN), plus
//! MySQL's `gb18030`; `utf8` is `utf8mb3`.

/// How much of Unicode a character set can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Repertoire {
    /// A national or legacy set: some characters only.
    Limited,
    /// The Basic Multilingual Plane (no emoji).
    Bmp,
    /// All of Unicode.
    Full,
}

use Repertoire::*;

/// (character set, most bytes per character, repertoire).
const CHARSETS: &[(&str, u32, Repertoire)] = &[
    ("armscii8", 1, Limited),
    ("ascii", 1, Limited),
    ("big5", 2, Limited),
    ("binary", 1, Limited),
    ("cp1250", 1, Limited),
    ("cp1251", 1, Limited),
    ("cp1256", 1, Limited),
    ("cp1257", 1, Limited),
    ("cp850", 1, Limited),
    ("cp852", 1, Limited),
    ("cp866", 1, Limited),
    ("cp932", 2, Limited),
    ("dec8", 1, Limited),
    ("eucjpms", 3, Limited),
    ("euckr", 2, Limited),
    ("gb18030", 4, Full),
    ("gb2312", 2, Limited),
    ("gbk", 2, Limited),
    ("geostd8", 1, Limited),
    ("greek", 1, Limited),
    ("hebrew", 1, Limited),
    ("hp8", 1, Limited),
    ("keybcs2", 1, Limited),
    ("koi8r", 1, Limited),
    ("koi8u", 1, Limited),
    ("latin1", 1, Limited),
    ("latin2", 1, Limited),
    ("latin5", 1, Limited),
    ("latin7", 1, Limited),
    ("macce", 1, Limited),
    ("macroman", 1, Limited),
    ("sjis", 2, Limited),
    ("swe7", 1, Limited),
    ("tis620", 1, Limited),
    ("ucs2", 2, Bmp),
    ("ujis", 3, Limited),
    ("utf16", 4, Full),
    ("utf16le", 4, Full),
    ("utf32", 4, Full),
    ("utf8mb3", 3, Bmp),
    ("utf8mb4", 4, Full),
];

fn row(charset: &str) -> Option<&'static (&'static str, u32, Repertoire)> {
    let cs = super::canonical_charset(charset);
    CHARSETS.iter().find(|(name, _, _)| *name == cs)
}

/// The most bytes a character of `charset` takes; `None` for a set the table does not know.
pub fn max_bytes(charset: &str) -> Option<u32> {
    row(charset).map(|r| r.1)
}

/// The same, counting a set the table does not know as the widest there is: a limit check
/// (key length, row size) must never under-count.
pub fn max_bytes_or_widest(charset: &str) -> u32 {
    max_bytes(charset).unwrap_or(4)
}

/// How much of Unicode `charset` holds; an unknown set counts as limited.
pub fn repertoire(charset: &str) -> Repertoire {
    row(charset).map(|r| r.2).unwrap_or(Limited)
}

/// The TEXT types by the bytes they hold.
const TEXT_TYPES: &[(&str, u64)] = &[
    ("tinytext", 255),
    ("text", 65_535),
    ("mediumtext", 16_777_215),
    ("longtext", 4_294_967_295),
];

/// The type a TINYTEXT, TEXT or MEDIUMTEXT column of charset `from` takes when
/// `ALTER TABLE ... CONVERT TO CHARACTER SET to` converts it: the smallest TEXT type that holds
/// as many characters (a utf8mb3 TEXT becomes MEDIUMTEXT in utf8mb4), as MySQL and MariaDB
/// document for CONVERT TO and as MariaDB 10.11 does (tests/release_pairs.rs); `None` when the
/// type is not one of them.
pub fn converted_text_type(ty: &str, from: &str, to: &str) -> Option<&'static str> {
    let at = TEXT_TYPES
        .iter()
        .position(|(t, _)| t.eq_ignore_ascii_case(ty))?;
    let chars = TEXT_TYPES[at].1 / u64::from(max_bytes_or_widest(from));
    let need = chars * u64::from(max_bytes_or_widest(to));
    TEXT_TYPES[at..]
        .iter()
        .find(|(_, bytes)| *bytes >= need)
        .or(TEXT_TYPES.last())
        .map(|(t, _)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converted_text_types_hold_as_many_characters() {
        assert_eq!(
            converted_text_type("text", "utf8mb3", "utf8mb4"),
            Some("mediumtext")
        );
        assert_eq!(
            converted_text_type("text", "utf8mb4", "utf8mb4"),
            Some("text")
        );
        assert_eq!(
            converted_text_type("tinytext", "latin1", "utf8mb4"),
            Some("text")
        );
        assert_eq!(
            converted_text_type("mediumtext", "utf8mb3", "utf8mb4"),
            Some("longtext")
        );
        assert_eq!(
            converted_text_type("longtext", "utf8mb3", "utf8mb4"),
            Some("longtext")
        );
        assert_eq!(converted_text_type("varchar", "utf8mb3", "utf8mb4"), None);
    }

    #[test]
    fn table_is_sorted_and_aliases_fold() {
        assert!(CHARSETS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(max_bytes("utf8"), Some(3));
        assert_eq!(max_bytes("UTF8MB4"), Some(4));
        assert_eq!(max_bytes("klingon"), None);
        assert_eq!(max_bytes_or_widest("klingon"), 4);
        assert!(repertoire("utf8mb4") > repertoire("utf8"));
        assert!(repertoire("utf8mb3") > repertoire("latin1"));
    }
}
