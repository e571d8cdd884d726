//! Every MySQL-vs-MariaDB and version quirk in one place: server identification, the
//! capabilities the planner asks about, and the normalization that makes equal schemas compare
//! equal whatever server (or dump tool) described them.
//!
//! Normalization rules, each because two spellings mean the same table:
//! - integer display widths are dropped (MySQL 8.0.19+ no longer prints them), except
//!   `tinyint(1)`, the boolean marker MySQL 8 keeps and Doctrine reads as a boolean;
//! - type aliases fold (`BOOLEAN` → `tinyint`, `NUMERIC` → `decimal`, `DOUBLE PRECISION`);
//! - `utf8` is `utf8mb3` (MariaDB 10.6+ and MySQL 8.0.30+ print the latter);
//! - every text column gets its effective collation, other columns none;
//! - MariaDB's JSON (`LONGTEXT ... CHECK (json_valid(col))`) becomes `json`, and so does a
//!   LONGTEXT that Doctrine marks `(DC2Type:json)`/`(DC2Type:json_array)` (what Doctrine's
//!   MariaDB platform creates where the MySQL platform creates JSON); the `(DC2Type:json)`
//!   marker goes with it, `(DC2Type:json_array)` stays (a type of its own for Doctrine);
//! - `DEFAULT NULL` on a nullable column is the same as no default; `'0'` and `0` are the same
//!   literal; `current_timestamp()`, `CURRENT_TIMESTAMP` and `now()` are the same expression;
//! - RESTRICT and NO ACTION are the same action (folded by the parser and inspector);
//! - a foreign key without a usable index gets the index the server creates for it;
//! - trailing spaces of ENUM/SET members are dropped, as the server drops them.

use crate::schema::{
    ColumnType, DefaultValue, Index, IndexKind, IndexPart, Schema, Table,
    canonical::charset_of_collation,
};

/// The session sql_mode of every connection the tool opens, and the mode its printed SQL sets
/// first. Without NO_BACKSLASH_ESCAPES and ANSI_QUOTES, because rendered literals escape
/// backslashes and names are backquoted; STRICT_ALL_TABLES, so narrowing a column whose values
/// do not fit fails instead of truncating them; without NO_ZERO_DATE, so a table that a 2.x
/// release left with zero-date defaults can still be rebuilt.
pub const SESSION_SQL_MODE: &str =
    "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

pub mod charsets;
mod errors;
pub mod keys;
mod server;

pub use errors::ServerError;
pub use server::{Feature, Flavor, ServerInfo};

/// `utf8` → `utf8mb3`, `utf8_unicode_ci` → `utf8mb3_unicode_ci`.
pub fn canonical_charset(cs: &str) -> String {
    let cs = cs.to_ascii_lowercase();
    if cs == "utf8" { "utf8mb3".into() } else { cs }
}

pub fn canonical_collation(coll: &str) -> String {
    let c = coll.to_ascii_lowercase();
    match c.strip_prefix("utf8_") {
        Some(rest) => format!("utf8mb3_{rest}"),
        None => c,
    }
}

fn canonical_engine(e: &str) -> String {
    match e.to_ascii_lowercase().as_str() {
        "innodb" => "InnoDB".into(),
        "myisam" => "MyISAM".into(),
        "memory" | "heap" => "MEMORY".into(),
        "aria" => "Aria".into(),
        "csv" => "CSV".into(),
        "archive" => "ARCHIVE".into(),
        _ => e.to_string(),
    }
}

/// Normalize a whole schema in place (see the module header for the rules).
pub fn normalize_schema(schema: &mut Schema, server: &ServerInfo) {
    for table in schema.tables.values_mut() {
        normalize_table(table, server);
    }
}

pub fn normalize_table(table: &mut Table, server: &ServerInfo) {
    let o = &mut table.options;
    o.engine = o.engine.as_deref().map(canonical_engine);
    o.charset = o.charset.as_deref().map(canonical_charset);
    o.collation = o.collation.as_deref().map(canonical_collation);
    match (&o.charset, &o.collation) {
        (Some(cs), None) => o.collation = Some(server.default_collation(cs)),
        (None, Some(coll)) => o.charset = Some(charset_of_collation(coll).to_string()),
        _ => {}
    }
    o.row_format = o
        .row_format
        .as_deref()
        .map(|r| r.to_ascii_uppercase())
        .filter(|r| r != "DEFAULT");
    let table_collation = o.collation.clone();

    // MariaDB JSON: LONGTEXT + column CHECK (json_valid(`col`)).
    let mut json_cols = Vec::new();
    table.checks.retain(|chk| {
        let e = normalize_expression(&chk.expr);
        match e
            .strip_prefix("json_valid(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(col) if !col.contains(['(', ',']) => {
                json_cols.push(col.to_string());
                false
            }
            _ => true,
        }
    });

    for col in &mut table.columns {
        normalize_type(&mut col.ty);
        // MariaDB's JSON keeps the json_valid check with the column (LEVEL = Column).
        let own_json_check = col.check.as_deref().is_some_and(|chk| {
            normalize_expression(chk) == format!("json_valid({})", col.name.to_ascii_lowercase())
        });
        if own_json_check && matches!(col.ty.name.as_str(), "longtext" | "json") {
            col.check = None;
            json_cols.push(col.name.clone());
        }
        let json_marker = matches!(
            col.comment.as_str(),
            "(DC2Type:json)" | "(DC2Type:json_array)"
        );
        let checked = json_cols.iter().any(|j| j.eq_ignore_ascii_case(&col.name));
        if col.ty.name == "longtext" && (json_marker || checked) {
            col.ty = ColumnType::named("json");
            col.json_as_text = !checked;
        }
        // `(DC2Type:json)` only says "JSON" again; `(DC2Type:json_array)` names a type DBAL 3
        // (Mautic 5) no longer has, so it stays: the Mautic policy tells them apart.
        if col.ty.name == "json" && col.comment == "(DC2Type:json)" {
            col.comment.clear();
        }
        col.collation = if col.ty.is_textual() {
            let explicit = col.collation.as_deref().map(|c| {
                if c == "*_bin" {
                    let cs = col.charset.as_deref().map(canonical_charset).or_else(|| {
                        table_collation
                            .as_deref()
                            .map(|t| charset_of_collation(t).to_string())
                    });
                    format!("{}_bin", cs.unwrap_or_else(|| "utf8mb4".into()))
                } else {
                    canonical_collation(c)
                }
            });
            explicit
                .or_else(|| {
                    col.charset
                        .as_deref()
                        .map(|cs| server.default_collation(&canonical_charset(cs)))
                })
                .or_else(|| table_collation.clone())
        } else {
            None
        };
        col.charset = None;
        if col.generated.is_some() {
            col.nullable = true;
            col.default = None;
        }
        col.default = match col.default.take() {
            Some(DefaultValue::Null) if col.nullable => None,
            Some(DefaultValue::Literal(v)) if col.ty.is_numeric() => {
                Some(DefaultValue::Literal(canonical_number(&v)))
            }
            Some(DefaultValue::Expression(e)) => Some(normalize_default_expression(&e)),
            other => other,
        };
        col.on_update = col
            .on_update
            .take()
            .map(|e| match normalize_default_expression(&e) {
                DefaultValue::Expression(e) | DefaultValue::Literal(e) => e,
                DefaultValue::Null => "NULL".into(),
            });
    }
    add_implicit_fk_indexes(table);
}

fn normalize_type(ty: &mut ColumnType) {
    let name = ty.name.to_ascii_lowercase();
    ty.name = match name.as_str() {
        "integer" => "int".into(),
        "int1" => "tinyint".into(),
        "int2" => "smallint".into(),
        "int3" | "middleint" => "mediumint".into(),
        "int4" => "int".into(),
        "int8" => "bigint".into(),
        "bool" | "boolean" => {
            ty.length = Some(1);
            "tinyint".into()
        }
        "dec" | "numeric" | "fixed" => "decimal".into(),
        "real" | "float8" => "double".into(),
        "float4" => "float".into(),
        "character" => "char".into(),
        _ => name,
    };
    if matches!(ty.name.as_str(), "enum" | "set") {
        // The server deletes trailing spaces of ENUM/SET members when it creates the table.
        for v in &mut ty.values {
            v.truncate(v.trim_end_matches(' ').len());
        }
    }
    match ty.name.as_str() {
        // tinyint(1) is the one display width that carries meaning: it is how Doctrine, other
        // ORMs and MySQL 8.0.19+ (which drops every other width) mark a boolean.
        "tinyint" if ty.length == Some(1) && !ty.unsigned && !ty.zerofill => {}
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" => ty.length = None,
        "decimal" => {
            ty.length.get_or_insert(10);
            ty.scale.get_or_insert(0);
        }
        "float" if ty.scale.is_none() => {
            if ty.length.is_some_and(|p| p > 24) {
                ty.name = "double".into();
            }
            ty.length = None;
        }
        "year" => ty.length = None,
        "char" | "binary" => {
            ty.length.get_or_insert(1);
        }
        "bit" => {
            ty.length.get_or_insert(1);
        }
        "datetime" | "timestamp" | "time" if ty.length == Some(0) => ty.length = None,
        _ => {}
    }
}

/// `0.00` → `0`, `1.50` → `1.5`, `-0` → `0`, `+3` → `3`: numeric literals compare by value.
fn canonical_number(v: &str) -> String {
    let v = v.trim().trim_start_matches('+');
    if v.parse::<f64>().is_err() {
        return v.to_string();
    }
    let (neg, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v),
    };
    let mut d = digits.trim_start_matches('0').to_string();
    if d.contains('.') {
        d = d.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if d.is_empty() || d.starts_with('.') {
        d.insert(0, '0');
    }
    if d == "0" || !neg { d } else { format!("-{d}") }
}

fn normalize_default_expression(e: &str) -> DefaultValue {
    let n = normalize_expression(e);
    let ts = [
        "current_timestamp",
        "current_timestamp()",
        "now()",
        "localtimestamp",
        "localtimestamp()",
        "localtime",
        "localtime()",
    ];
    if ts.contains(&n.as_str()) {
        return DefaultValue::Expression("CURRENT_TIMESTAMP".into());
    }
    for f in ["current_timestamp(", "now(", "localtimestamp("] {
        if let Some(p) = n.strip_prefix(f).and_then(|r| r.strip_suffix(')'))
            && p.chars().all(|c| c.is_ascii_digit())
        {
            return DefaultValue::Expression(format!("CURRENT_TIMESTAMP({p})"));
        }
    }
    if n == "null" {
        return DefaultValue::Null;
    }
    // A bit-value literal: `b'1'` as the server writes it, `B '1'` as a file may.
    if let Some(bits) = n.strip_prefix("b'").and_then(|r| r.strip_suffix('\''))
        && bits.bytes().all(|b| b == b'0' || b == b'1')
    {
        return DefaultValue::Expression(format!("b'{bits}'"));
    }
    DefaultValue::Expression(e.to_string())
}

/// A comparison key for SQL expressions (generated columns, checks): lower-case outside
/// strings, no identifier quotes, no whitespace, no charset introducers, MariaDB's function
/// renames folded. Two expressions with the same key are taken as the same.
pub fn normalize_expression(e: &str) -> String {
    let mut out = String::with_capacity(e.len());
    let mut chars = e.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' | '"' => {
                out.push('\'');
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                        continue;
                    }
                    if c == ch {
                        if chars.peek() == Some(&ch) {
                            chars.next();
                            out.push(ch);
                            continue;
                        }
                        break;
                    }
                    out.push(c);
                }
                out.push('\'');
            }
            '`' => {}
            c if c.is_whitespace() => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    // charset introducers before string literals: _utf8mb4'x'
    let mut s = out;
    for cs in ["_utf8mb4", "_utf8mb3", "_utf8", "_latin1", "_binary"] {
        s = s.replace(&format!("{cs}'"), "'");
    }
    s.replace("dayofmonth(", "day(")
        .replace("substr(", "substring(")
        .replace("lcase(", "lower(")
        .replace("ucase(", "upper(")
}

/// InnoDB needs an index whose leading columns are the foreign key's columns; when there is
/// none the server creates one named after the constraint. Files written by Doctrine or by
/// hand may leave it implicit, so the model adds it the way the server would.
fn add_implicit_fk_indexes(table: &mut Table) {
    let mut add = Vec::new();
    for fk in &table.foreign_keys {
        let covered = table.indexes.iter().any(|i| {
            i.parts.len() >= fk.columns.len()
                && i.parts
                    .iter()
                    .zip(&fk.columns)
                    .all(|(p, c)| p.column.eq_ignore_ascii_case(c) && p.prefix.is_none())
        });
        if !covered
            && !add
                .iter()
                .any(|i: &Index| i.name.eq_ignore_ascii_case(&fk.name))
        {
            add.push(Index {
                name: fk.name.clone(),
                kind: IndexKind::Plain,
                parts: fk.columns.iter().map(IndexPart::new).collect(),
                comment: String::new(),
            });
        }
    }
    table.indexes.extend(add);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_expressions() {
        assert_eq!(canonical_number("0.00"), "0");
        assert_eq!(canonical_number("-1.50"), "-1.5");
        assert_eq!(canonical_number("007"), "7");
        assert_eq!(canonical_number("-0"), "0");
        assert_eq!(
            normalize_expression("CONCAT(YEAR(date_sent), '-', LPAD(DAY(date_sent), 2, '0'))"),
            normalize_expression(
                "concat(year(`date_sent`),_utf8mb4'-',lpad(dayofmonth(`date_sent`),2,'0'))"
            )
        );
        assert_eq!(
            normalize_expression("SUBSTRING(email, LOCATE(\"@\", email) + 1)"),
            normalize_expression("substr(`email`,locate('@',`email`) + 1)")
        );
        assert_eq!(
            normalize_default_expression("current_timestamp(6)"),
            DefaultValue::Expression("CURRENT_TIMESTAMP(6)".into())
        );
    }
}
