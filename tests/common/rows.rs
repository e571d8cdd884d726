//! Generated rows for a schema: `n` rows in every table, referentially valid. Row `i` of a
//! table holds, in each column, a value derived from the column's type and `i`; a foreign-key
//! column holds what row `i` of its parent holds in the referenced column, so every key finds
//! its parent row (a self-reference points at its own row). Unique keys stay unique because
//! every value carries `i`.

use mautic_schema::schema::{Column, Schema, Table};

fn value(c: &Column, i: usize) -> Option<String> {
    let t = &c.ty;
    let text = |s: String| Some(format!("'{s}'"));
    match t.name.as_str() {
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float"
        | "double" => Some(i.to_string()),
        "bit" => Some(format!("b'{}'", i % 2)),
        "year" => Some(format!("{}", 2000 + i)),
        "date" => text(format!("2020-01-{:02}", i)),
        "datetime" | "timestamp" => text(format!("2020-01-01 00:00:{:02}", i)),
        "time" => text(format!("00:00:{:02}", i)),
        "enum" => t
            .values
            .first()
            .map(|v| format!("'{}'", v.replace('\'', "''"))),
        "set" => text(String::new()),
        "json" => text(format!("[{i}]")),
        "char" | "varchar" | "binary" | "varbinary" => {
            let len = t.length.unwrap_or(1) as usize;
            let s = format!("v{i}");
            text(if s.len() > len {
                i.to_string()[..len.min(i.to_string().len())].to_string()
            } else {
                s
            })
        }
        // TEXT and BLOB: valid JSON, so a column that turns JSON keeps it.
        _ => text(format!("[{i}]")),
    }
}

/// The value row `i` of `table` holds in `column`, following foreign keys to the parent.
fn cell(schema: &Schema, table: &Table, column: &Column, i: usize, depth: u8) -> Option<String> {
    if depth < 8 {
        for fk in &table.foreign_keys {
            if let Some(k) = fk
                .columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(&column.name))
                && let Some(parent) = schema.table(&fk.ref_table)
                && let Some(pc) = parent.column(&fk.ref_columns[k])
            {
                return cell(schema, parent, pc, i, depth + 1);
            }
        }
    }
    value(column, i)
}

/// INSERT statements for `n` rows in every table (run with foreign_key_checks=0; the rows are
/// valid once all are in).
pub fn insert_sql(schema: &Schema, n: usize) -> String {
    let mut sql = String::from("SET foreign_key_checks = 0;\n");
    for t in schema.tables.values() {
        let cols: Vec<&Column> = t.columns.iter().filter(|c| c.generated.is_none()).collect();
        let names: Vec<String> = cols.iter().map(|c| format!("`{}`", c.name)).collect();
        let rows: Vec<String> = (1..=n)
            .map(|i| {
                let vals: Vec<String> = cols
                    .iter()
                    .map(|c| cell(schema, t, c, i, 0).unwrap_or_else(|| "NULL".into()))
                    .collect();
                format!("({})", vals.join(", "))
            })
            .collect();
        sql.push_str(&format!(
            "INSERT INTO `{}` ({}) VALUES\n  {};\n",
            t.name,
            names.join(", "),
            rows.join(",\n  ")
        ));
    }
    sql.push_str("SET foreign_key_checks = 1;\n");
    // A form without its results table (`form_results_<id>_<alias>`, which Mautic creates with
    // each form) is a broken install `check` reports: the synthetic forms go, with what
    // cascades from them.
    if schema.tables.contains_key("forms") {
        sql.push_str("DELETE FROM `forms`;\n");
    }
    sql
}
