//! Rendering the model back to SQL text: identifier and string quoting, column, index and
//! foreign-key clauses, and the canonical CREATE TABLE used for unified diffs and snapshots.
//!
//! All SQL the tool writes goes through here, so quoting is done in exactly one place.

use super::{Column, DefaultValue, ForeignKey, Index, IndexKind, Table};

/// Backtick-quote an identifier, doubling embedded backticks.
pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Single-quote a string literal the way MySQL reads it under [`crate::dialect::SESSION_SQL_MODE`]
/// (the mode every session of ours and our printed SQL set): quotes doubled, backslashes and line
/// breaks escaped. Doubled quotes keep the literal one literal even under NO_BACKSLASH_ESCAPES.
pub fn quote_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            // Line breaks written as escapes keep every statement on its own lines and readable.
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x1a' => out.push_str("\\Z"),
            _ => out.push(ch),
        }
    }
    out.push('\'');
    out
}

/// The charset a collation belongs to (`utf8mb4_unicode_ci` → `utf8mb4`).
pub fn charset_of_collation(collation: &str) -> &str {
    if collation == "binary" {
        return "binary";
    }
    // MariaDB 11 short names such as `uca1400_ai_ci` carry no charset; callers then rely on
    // the table default.
    collation.split('_').next().unwrap_or(collation)
}

/// `\`name\` type ... ` for CREATE TABLE and ALTER TABLE ADD/MODIFY.
pub fn column_sql(col: &Column, table_collation: Option<&str>) -> String {
    let mut s = format!("{} {}", quote_ident(&col.name), col.ty);
    if let Some(coll) = &col.collation
        && Some(coll.as_str()) != table_collation
    {
        let cs = charset_of_collation(coll);
        if cs != coll {
            s.push_str(&format!(" CHARACTER SET {cs}"));
        }
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &col.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expr,
            if g.stored { "STORED" } else { "VIRTUAL" }
        ));
    } else {
        s.push_str(if col.nullable { " NULL" } else { " NOT NULL" });
        match &col.default {
            Some(d) => s.push_str(&format!(" DEFAULT {}", default_sql(d, col))),
            None if col.nullable && !col.ty.is_textual_blob() => s.push_str(" DEFAULT NULL"),
            None => {}
        }
        if let Some(on_update) = &col.on_update {
            s.push_str(&format!(" ON UPDATE {on_update}"));
        }
        if col.auto_increment {
            s.push_str(" AUTO_INCREMENT");
        }
    }
    if !col.comment.is_empty() {
        s.push_str(&format!(" COMMENT {}", quote_string(&col.comment)));
    }
    if let Some(check) = &col.check {
        s.push_str(&format!(" CHECK ({check})"));
    }
    s
}

/// `CONSTRAINT name CHECK (...)`, or `CHECK (...)` for a check without a name (the server
/// names it).
pub fn check_sql(check: &super::Check) -> String {
    if check.name.is_empty() {
        format!("CHECK ({})", check.expr)
    } else {
        format!(
            "CONSTRAINT {} CHECK ({})",
            quote_ident(&check.name),
            check.expr
        )
    }
}

fn default_sql(d: &DefaultValue, col: &Column) -> String {
    match d {
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Expression(e) => e.clone(),
        DefaultValue::Literal(v) if col.ty.is_numeric() && v.parse::<f64>().is_ok() => v.clone(),
        DefaultValue::Literal(v) => quote_string(v),
    }
}

impl super::ColumnType {
    /// TEXT/BLOB columns never print `DEFAULT NULL` in SHOW CREATE TABLE on older servers;
    /// leaving it out keeps canonical text stable across servers.
    fn is_textual_blob(&self) -> bool {
        matches!(
            self.name.as_str(),
            "tinytext"
                | "text"
                | "mediumtext"
                | "longtext"
                | "tinyblob"
                | "blob"
                | "mediumblob"
                | "longblob"
                | "json"
        )
    }
}

fn parts_sql(index: &Index) -> String {
    index
        .parts
        .iter()
        .map(|p| {
            let mut s = quote_ident(&p.column);
            if let Some(len) = p.prefix {
                s.push_str(&format!("({len})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Index clause as used inside CREATE TABLE and after `ALTER TABLE ... ADD`.
pub fn index_sql(index: &Index) -> String {
    let mut s = match index.kind {
        IndexKind::Primary => format!("PRIMARY KEY ({})", parts_sql(index)),
        IndexKind::Unique => format!(
            "UNIQUE KEY {} ({})",
            quote_ident(&index.name),
            parts_sql(index)
        ),
        IndexKind::Plain => format!("KEY {} ({})", quote_ident(&index.name), parts_sql(index)),
        IndexKind::Fulltext => format!(
            "FULLTEXT KEY {} ({})",
            quote_ident(&index.name),
            parts_sql(index)
        ),
        IndexKind::Spatial => format!(
            "SPATIAL KEY {} ({})",
            quote_ident(&index.name),
            parts_sql(index)
        ),
    };
    if !index.comment.is_empty() {
        s.push_str(&format!(" COMMENT {}", quote_string(&index.comment)));
    }
    s
}

fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(",")
}

/// `CONSTRAINT ... FOREIGN KEY ... REFERENCES ...` with non-default actions only.
pub fn foreign_key_sql(fk: &ForeignKey) -> String {
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        ident_list(&fk.columns),
        quote_ident(&fk.ref_table),
        ident_list(&fk.ref_columns)
    );
    if fk.on_delete != super::FkAction::Restrict {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != super::FkAction::Restrict {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    s
}

pub fn table_options_sql(table: &Table) -> String {
    let o = &table.options;
    let mut parts = Vec::new();
    if let Some(e) = &o.engine {
        parts.push(format!("ENGINE={e}"));
    }
    if let Some(cs) = &o.charset {
        parts.push(format!("DEFAULT CHARSET={cs}"));
    }
    if let Some(c) = &o.collation {
        parts.push(format!("COLLATE={c}"));
    }
    if let Some(r) = &o.row_format {
        parts.push(format!("ROW_FORMAT={r}"));
    }
    if !o.comment.is_empty() {
        parts.push(format!("COMMENT={}", quote_string(&o.comment)));
    }
    parts.join(" ")
}

/// Indexes in a stable order: primary key first, then by kind and name, so that two equal
/// tables render to equal text whatever order the server listed them in.
pub fn sorted_indexes(table: &Table) -> Vec<&Index> {
    let mut v: Vec<&Index> = table.indexes.iter().collect();
    v.sort_by(|a, b| {
        (a.kind != IndexKind::Primary, a.name.to_ascii_lowercase())
            .cmp(&(b.kind != IndexKind::Primary, b.name.to_ascii_lowercase()))
    });
    v
}

/// Canonical CREATE TABLE text of a (normalized) table; `foreign_keys` false leaves them out
/// so they can be added once every referenced table exists.
pub fn create_table_sql_with(table: &Table, foreign_keys: bool) -> String {
    let coll = table.options.collation.as_deref();
    let mut lines: Vec<String> = table.columns.iter().map(|c| column_sql(c, coll)).collect();
    lines.extend(sorted_indexes(table).into_iter().map(index_sql));
    if foreign_keys {
        let mut fks: Vec<&ForeignKey> = table.foreign_keys.iter().collect();
        fks.sort_by_key(|f| f.name.to_ascii_lowercase());
        lines.extend(fks.into_iter().map(foreign_key_sql));
    }
    for c in &table.checks {
        lines.push(check_sql(c));
    }
    let opts = table_options_sql(table);
    format!(
        "CREATE TABLE {} (\n  {}\n){}{}",
        quote_ident(&table.name),
        lines.join(",\n  "),
        if opts.is_empty() { "" } else { " " },
        opts
    )
}

pub fn create_table_sql(table: &Table) -> String {
    create_table_sql_with(table, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a`b"), "`a``b`");
        assert_eq!(quote_string("it's a \\ test"), "'it''s a \\\\ test'");
    }
}
