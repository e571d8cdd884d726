//! Data preconditions of a schema change: the rows that would make a statement fail on this
//! server, one builder per class, each giving the error it prevents, a query that counts the
//! rows, a query that lists them and the fix. Used for `apply`'s own plan (`apply::prechecks`)
//! and for Mautic's migration statements on the upgrade path (`mautic::preconditions`), so
//! both judge a class the same way. Pure: the queries run elsewhere.
//!
//! What the server does, verified on MariaDB 10.11 (tests/path_rows.rs runs each statement):
//! a column becoming JSON fails at the first invalid value whatever the sql_mode (MariaDB's
//! JSON is a `CHECK (json_valid(...))`: 4025; MySQL's JSON type: 3140); under a strict
//! sql_mode a narrowed column fails on a longer value (1406, or 1265 from a column of at most
//! 255 bytes) or an integer out of range
//! (1264), a value that is no longer an ENUM member (1265), text that is not a number (1292),
//! and NOT NULL on a column holding NULL (1265 on MariaDB, 1138 on MySQL); a new unique key
//! fails on duplicates (1062, NULLs never collide), a new foreign key on orphan rows (1452);
//! a statement that copies the table fails on any zero date of the table under a strict
//! sql_mode with NO_ZERO_DATE (1292), whichever column the statement is about.

use crate::dialect::{Flavor, ServerError};
use crate::schema::canonical::charset_of_collation;
use crate::schema::{Column, ColumnType, ForeignKey, IndexKind, Table, quote_ident, quote_string};

/// How many offending rows a listing query shows.
pub const LIST_LIMIT: u32 = 100;

/// The classes of rows that stop a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A column becoming JSON holds values that are not JSON.
    InvalidJson,
    /// A new unique or primary key would hold the same value twice.
    Duplicates,
    /// A narrowed column holds values that do not fit.
    Narrowing,
    /// A column becoming NOT NULL holds NULL.
    NotNull,
    /// A new foreign key's child rows point at no parent row.
    Orphans,
    /// A table copied under NO_ZERO_DATE holds zero dates.
    ZeroDates,
}

impl Class {
    pub const ALL: [Class; 6] = [
        Class::InvalidJson,
        Class::Duplicates,
        Class::Narrowing,
        Class::NotNull,
        Class::Orphans,
        Class::ZeroDates,
    ];

    /// The pre-check name `apply` reports it under (`apply::prechecks::CHECKS`).
    pub fn check_name(self) -> &'static str {
        match self {
            Class::InvalidJson => "invalid JSON",
            Class::Duplicates => "duplicates",
            Class::Narrowing | Class::NotNull => "truncation",
            Class::Orphans => "orphan rows",
            Class::ZeroDates => "zero dates",
        }
    }
}

/// One data precondition: zero rows match `count_sql`, or the statement fails with `error`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Precondition {
    pub class: Class,
    pub error: ServerError,
    pub table: String,
    /// The column, key or foreign key in question ("properties", "unique key uniq_tag").
    pub about: String,
    /// What the count counts, after the number ("row(s) hold NULL").
    pub what: String,
    /// `SELECT COUNT(*) ...`: more than zero means the statement fails.
    pub count_sql: String,
    /// The offending rows (at most `LIST_LIMIT`).
    pub list_sql: String,
    /// What to do about them, in words.
    pub fix: String,
}

/// The sql_mode parts that decide whether values that do not fit are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SqlMode {
    /// STRICT_TRANS_TABLES or STRICT_ALL_TABLES (InnoDB tables are transactional).
    pub strict: bool,
    pub no_zero_date: bool,
    pub no_zero_in_date: bool,
}

impl SqlMode {
    /// From `@@sql_mode`'s text (`TRADITIONAL` and `ANSI` are expanded by the server).
    pub fn parse(text: &str) -> SqlMode {
        let has = |w: &str| text.split(',').any(|p| p.trim().eq_ignore_ascii_case(w));
        SqlMode {
            strict: has("STRICT_TRANS_TABLES") || has("STRICT_ALL_TABLES"),
            no_zero_date: has("NO_ZERO_DATE"),
            no_zero_in_date: has("NO_ZERO_IN_DATE"),
        }
    }
}

impl Precondition {
    /// "lead_event_log: properties: 1 row(s) hold values that are not JSON (error 4025)".
    pub fn message(&self, count: u64) -> String {
        format!(
            "{}: {}: {count} {} (error {})",
            self.table,
            self.about,
            self.what,
            self.error.number()
        )
    }
}

fn count_sql(from: &str) -> String {
    format!("SELECT COUNT(*) {from}")
}

/// The listing shows the primary key's columns and the columns in question, not whole rows
/// (a properties column can hold megabytes).
fn list_sql(live: &Table, columns: &[&str], from: &str) -> String {
    let mut shown: Vec<String> = live
        .primary_key()
        .map(|pk| pk.parts.iter().map(|p| p.column.clone()).collect())
        .unwrap_or_default();
    for c in columns {
        if !shown.iter().any(|s| s.eq_ignore_ascii_case(c)) {
            shown.push(c.to_string());
        }
    }
    let shown: Vec<String> = shown.iter().map(|c| quote_ident(c)).collect();
    format!("SELECT {} {from} LIMIT {LIST_LIMIT}", shown.join(", "))
}

/// Whether `from` holds values a JSON column refuses: a LONGTEXT (4.x's `json_array` on
/// MariaDB is one, JSON only by its comment) was never validated; a checked JSON column was.
pub fn invalid_json(
    live: &Table,
    from: &Column,
    to: &Column,
    flavor: Flavor,
) -> Option<Precondition> {
    let validated = from.ty.name == "json" && !from.json_as_text;
    if to.ty.name != "json" || to.json_as_text || validated {
        return None;
    }
    let col = quote_ident(&from.name);
    let from_sql = format!(
        "FROM {} WHERE {col} IS NOT NULL AND NOT JSON_VALID({col})",
        quote_ident(&live.name)
    );
    Some(Precondition {
        class: Class::InvalidJson,
        error: match flavor {
            Flavor::MariaDb => ServerError::ConstraintFailed,
            Flavor::MySql => ServerError::InvalidJsonText,
        },
        table: live.name.clone(),
        about: from.name.clone(),
        what: "row(s) hold values that are not JSON".into(),
        count_sql: count_sql(&from_sql),
        list_sql: list_sql(live, &[&from.name], &from_sql),
        fix: format!(
            "make each listed {} valid JSON or NULL (a serialized PHP array written by 4.x: \
             re-save it in Mautic, or convert it to the JSON of the same array)",
            from.name
        ),
    })
}

/// Every precondition of changing column `from` into `to`: NOT NULL, narrowing, JSON.
pub fn column_change(
    live: &Table,
    from: &Column,
    to: &Column,
    flavor: Flavor,
    mode: SqlMode,
) -> Vec<Precondition> {
    let mut found: Vec<Precondition> = not_null(live, from, to, flavor, mode).into_iter().collect();
    found.extend(narrowing(live, from, to, mode));
    found.extend(invalid_json(live, from, to, flavor));
    found
}

/// NOT NULL on a column that holds NULL, under a strict sql_mode.
pub fn not_null(
    live: &Table,
    from: &Column,
    to: &Column,
    flavor: Flavor,
    mode: SqlMode,
) -> Option<Precondition> {
    if !mode.strict || !from.nullable || to.nullable || to.generated.is_some() || to.auto_increment
    {
        return None;
    }
    let col = quote_ident(&from.name);
    let from_sql = format!("FROM {} WHERE {col} IS NULL", quote_ident(&live.name));
    Some(Precondition {
        class: Class::NotNull,
        error: match flavor {
            Flavor::MariaDb => ServerError::DataTruncated,
            Flavor::MySql => ServerError::InvalidUseOfNull,
        },
        table: live.name.clone(),
        about: from.name.clone(),
        what: "row(s) hold NULL in a column that becomes NOT NULL".into(),
        count_sql: count_sql(&from_sql),
        list_sql: list_sql(live, &[&from.name], &from_sql),
        fix: format!(
            "give the listed rows a value for {} (or delete them) first",
            from.name
        ),
    })
}

/// Values of `from` that `to` cannot hold, under a strict sql_mode: longer text, integers out
/// of range, text that is not an integer, values that are not members of the new ENUM.
pub fn narrowing(live: &Table, from: &Column, to: &Column, mode: SqlMode) -> Vec<Precondition> {
    if !mode.strict || from.ty.fits_into(&to.ty) {
        return Vec::new();
    }
    let col = quote_ident(&from.name);
    let mut found = Vec::new();
    let mut add = |cond: String, error: ServerError, what: String| {
        let from_sql = format!("FROM {} WHERE {cond}", quote_ident(&live.name));
        found.push(Precondition {
            class: Class::Narrowing,
            error,
            table: live.name.clone(),
            about: from.name.clone(),
            what: format!("row(s) hold {what}"),
            count_sql: count_sql(&from_sql),
            list_sql: list_sql(live, &[&from.name], &from_sql),
            fix: format!(
                "shorten or correct the listed values of {} so they fit {}, or keep the wider type",
                from.name, to.ty
            ),
        });
    };
    if let (Some(_), Some(cap)) = (from.ty.capacity(), to.ty.capacity()) {
        // Text types count characters, binary types bytes.
        let len = if to.ty.is_textual() {
            "CHAR_LENGTH"
        } else {
            "LENGTH"
        };
        add(
            format!("{len}({col}) > {cap}"),
            too_long_error(from),
            format!("values longer than {cap}"),
        );
    } else if to.ty.is_integer() {
        if from.ty.is_textual() {
            add(
                format!("{col} IS NOT NULL AND TRIM({col}) NOT REGEXP '^[-+]?[0-9]+$'"),
                ServerError::TruncatedWrongValue,
                "text that is not an integer".to_string(),
            );
        }
        if from.ty.is_numeric() || from.ty.is_textual() {
            let (lo, hi) = int_range(&to.ty);
            let n = if from.ty.is_textual() {
                format!("CAST({col} AS DECIMAL(65,0))")
            } else {
                col.clone()
            };
            add(
                format!("({n} < {lo} OR {n} > {hi})"),
                ServerError::OutOfRange,
                format!("values outside {}", to.ty),
            );
        }
    } else if to.ty.name == "enum" && !to.ty.values.is_empty() {
        let members: Vec<String> = to.ty.values.iter().map(|v| quote_string(v)).collect();
        add(
            format!(
                "{col} IS NOT NULL AND {col} NOT IN ({})",
                members.join(", ")
            ),
            ServerError::DataTruncated,
            format!("values outside {}", to.ty),
        );
    }
    found
}

/// The error a value too long for the narrowed column gets: MariaDB says 1406 when the old
/// column's values can exceed 255 bytes (a two-byte length, or a TEXT), 1265 otherwise
/// (verified on 10.11: VARCHAR(64) utf8mb4 → 1406, VARCHAR(63) → 1265).
fn too_long_error(from: &Column) -> ServerError {
    let per_char = from
        .collation
        .as_deref()
        .map(|c| crate::dialect::charsets::max_bytes_or_widest(charset_of_collation(c)))
        .unwrap_or(1);
    let bytes = from.ty.capacity().unwrap_or(0) * u64::from(per_char);
    if bytes > 255 {
        ServerError::DataTooLong
    } else {
        ServerError::DataTruncated
    }
}

fn int_range(ty: &ColumnType) -> (i128, i128) {
    let bits = match ty.name.as_str() {
        "tinyint" => 8,
        "smallint" => 16,
        "mediumint" => 24,
        "int" => 32,
        _ => 64,
    };
    if ty.unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

/// Duplicates under a new unique or primary key. `keys` are the key parts as the new key will
/// compare them (a column, or an expression of it: a new collation, a shorter length); `set`
/// the columns that must all be non-NULL for a row to take part (NULLs never collide in a
/// UNIQUE key). Empty `keys`: every part is a value all rows share (a new column's default),
/// so any two rows collide.
pub fn duplicates(
    live: &Table,
    index: &str,
    kind: IndexKind,
    keys: &[String],
    set: &[String],
) -> Precondition {
    let t = quote_ident(&live.name);
    let filter = if set.is_empty() {
        String::new()
    } else {
        let conds: Vec<String> = set
            .iter()
            .map(|c| format!("{} IS NOT NULL", quote_ident(c)))
            .collect();
        format!(" WHERE {}", conds.join(" AND "))
    };
    let about = if kind == IndexKind::Primary {
        "primary key".to_string()
    } else {
        format!("unique key {index}")
    };
    let (count, list, rows) = if keys.is_empty() {
        (
            format!("SELECT CASE WHEN COUNT(*) > 1 THEN COUNT(*) ELSE 0 END FROM {t}{filter}"),
            list_sql(live, &[], &format!("FROM {t}{filter}")),
            "rows would all hold the same key".to_string(),
        )
    } else {
        let k = keys.join(", ");
        (
            format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {t}{filter} GROUP BY {k} HAVING COUNT(*) > 1) d"
            ),
            format!(
                "SELECT {k}, COUNT(*) FROM {t}{filter} GROUP BY {k} HAVING COUNT(*) > 1 LIMIT {LIST_LIMIT}"
            ),
            "key value(s) are shared by several rows".to_string(),
        )
    };
    Precondition {
        class: Class::Duplicates,
        error: ServerError::DuplicateEntry,
        table: live.name.clone(),
        about,
        what: rows,
        count_sql: count,
        list_sql: list,
        fix: format!("remove or merge the duplicate rows of {} first", live.name),
    }
}

/// Child rows whose parent row is missing, for a new foreign key whose parent exists.
pub fn orphans(live: &Table, fk: &ForeignKey) -> Precondition {
    let on: Vec<String> = fk
        .columns
        .iter()
        .zip(&fk.ref_columns)
        .map(|(c, r)| format!("c.{} = p.{}", quote_ident(c), quote_ident(r)))
        .collect();
    let set: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", quote_ident(c)))
        .collect();
    let from_sql = format!(
        "FROM {} c LEFT JOIN {} p ON {} WHERE {} AND p.{} IS NULL",
        quote_ident(&live.name),
        quote_ident(&fk.ref_table),
        on.join(" AND "),
        set.join(" AND "),
        quote_ident(&fk.ref_columns[0])
    );
    let shown: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{}", quote_ident(c)))
        .collect();
    Precondition {
        class: Class::Orphans,
        error: ServerError::NoReferencedRow,
        table: live.name.clone(),
        about: format!("foreign key {}", fk.name),
        what: format!("row(s) point at missing {} rows", fk.ref_table),
        count_sql: count_sql(&from_sql),
        list_sql: format!(
            "SELECT c.*, {} {from_sql} LIMIT {LIST_LIMIT}",
            shown.join(", ")
        ),
        fix: format!(
            "delete the listed rows, set their {} to NULL, or restore the missing {} rows",
            fk.columns.join(", "),
            fk.ref_table
        ),
    }
}

/// Child rows that set the key's columns while the parent starts empty (created on the way):
/// every one of them is an orphan. `existing` are the key's columns the child has now; when
/// some are still to be added (with a non-NULL default), every row counts.
pub fn orphans_into_empty_parent(
    live: &Table,
    fk: &ForeignKey,
    existing: &[String],
) -> Precondition {
    let cond = if existing.len() < fk.columns.len() {
        "1 = 1".to_string()
    } else {
        existing
            .iter()
            .map(|c| format!("{} IS NOT NULL", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let from_sql = format!("FROM {} WHERE {cond}", quote_ident(&live.name));
    let cols: Vec<&str> = existing.iter().map(String::as_str).collect();
    Precondition {
        class: Class::Orphans,
        error: ServerError::NoReferencedRow,
        table: live.name.clone(),
        about: format!("foreign key {}", fk.name),
        what: format!(
            "row(s) set {} but {} is created empty",
            fk.columns.join(", "),
            fk.ref_table
        ),
        count_sql: count_sql(&from_sql),
        list_sql: list_sql(live, &cols, &from_sql),
        fix: format!(
            "set {} to NULL in the listed rows, or delete them",
            fk.columns.join(", ")
        ),
    }
}

/// Zero dates (or, under NO_ZERO_IN_DATE, a zero month or day) in any date column of a table
/// that a statement copies, when the sql_mode is strict and refuses them.
pub fn zero_dates(live: &Table, mode: SqlMode) -> Option<Precondition> {
    if !mode.strict || !(mode.no_zero_date || mode.no_zero_in_date) {
        return None;
    }
    let cols: Vec<&Column> = live
        .columns
        .iter()
        .filter(|c| matches!(c.ty.name.as_str(), "date" | "datetime" | "timestamp"))
        .collect();
    if cols.is_empty() {
        return None;
    }
    let pattern = if mode.no_zero_in_date {
        // 0000-00-00, and a zero month or day in an otherwise real date.
        "^(0000-00-00|[0-9]{4}-00-|[0-9]{4}-[0-9]{2}-00)"
    } else {
        "^0000-00-00"
    };
    let conds: Vec<String> = cols
        .iter()
        .map(|c| {
            format!(
                "CAST({} AS CHAR) REGEXP {}",
                quote_ident(&c.name),
                quote_string(pattern)
            )
        })
        .collect();
    let from_sql = format!(
        "FROM {} WHERE {}",
        quote_ident(&live.name),
        conds.join(" OR ")
    );
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    Some(Precondition {
        class: Class::ZeroDates,
        error: ServerError::TruncatedWrongValue,
        table: live.name.clone(),
        about: names.join(", "),
        what: "row(s) hold zero dates, which a copy of the table refuses under this sql_mode"
            .into(),
        count_sql: count_sql(&from_sql),
        list_sql: list_sql(live, &names, &from_sql),
        fix: "set the listed zero dates to NULL or to a real date first".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(sql: &str) -> Table {
        let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
        crate::dialect::normalize_schema(&mut s, &crate::dialect::ServerInfo::unknown());
        s.tables.into_values().next().unwrap()
    }

    #[test]
    fn sql_mode_parts() {
        let m = SqlMode::parse("STRICT_TRANS_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO");
        assert!(m.strict && m.no_zero_date && !m.no_zero_in_date);
        assert_eq!(SqlMode::parse(""), SqlMode::default());
    }

    #[test]
    fn json_only_from_unvalidated_columns() {
        let t = table(
            "CREATE TABLE e (id INT, a LONGTEXT COMMENT '(DC2Type:json_array)', b JSON, c JSON, PRIMARY KEY (id));",
        );
        let to = table("CREATE TABLE x (a JSON DEFAULT NULL);").columns[0].clone();
        let p = invalid_json(&t, &t.columns[1], &to, Flavor::MariaDb).unwrap();
        assert_eq!(p.error.number(), 4025);
        assert!(
            p.list_sql.starts_with("SELECT `id`, `a` FROM `e`"),
            "{}",
            p.list_sql
        );
        assert_eq!(
            invalid_json(&t, &t.columns[1], &to, Flavor::MySql)
                .unwrap()
                .error
                .number(),
            3140
        );
        // A JSON column with MariaDB's check was validated when written.
        let checked = table("CREATE TABLE e (b LONGTEXT CHECK (json_valid(`b`)));");
        assert!(invalid_json(&t, &checked.columns[0], &to, Flavor::MariaDb).is_none());
    }

    #[test]
    fn strictness_decides_truncation_and_null() {
        let t = table("CREATE TABLE n (v VARCHAR(20), i INT, e ENUM('a','b','c'));");
        let to = table("CREATE TABLE n (v VARCHAR(5) NOT NULL, i TINYINT, e ENUM('a','b'));");
        let strict = SqlMode::parse("STRICT_ALL_TABLES");
        for (from, to) in t.columns.iter().zip(&to.columns) {
            assert_eq!(narrowing(&t, from, to, strict).len(), 1, "{}", from.name);
            assert!(narrowing(&t, from, to, SqlMode::default()).is_empty());
        }
        assert_eq!(
            narrowing(&t, &t.columns[1], &to.columns[1], strict)[0]
                .error
                .number(),
            1264
        );
        let nn = not_null(&t, &t.columns[0], &to.columns[0], Flavor::MariaDb, strict).unwrap();
        assert_eq!(nn.error.number(), 1265);
        assert!(
            not_null(
                &t,
                &t.columns[0],
                &to.columns[0],
                Flavor::MariaDb,
                SqlMode::default()
            )
            .is_none()
        );
    }

    #[test]
    fn zero_dates_need_a_strict_mode_that_refuses_them() {
        let t = table("CREATE TABLE d (id INT, d DATETIME, PRIMARY KEY (id));");
        assert!(zero_dates(&t, SqlMode::parse("STRICT_ALL_TABLES")).is_none());
        assert!(zero_dates(&t, SqlMode::parse("NO_ZERO_DATE")).is_none());
        let p = zero_dates(&t, SqlMode::parse("STRICT_TRANS_TABLES,NO_ZERO_DATE")).unwrap();
        assert_eq!(p.error.number(), 1292);
    }
}
