//! The results table of each form (`form_results_<id>_<alias>`), which no reference lists:
//! Mautic creates it from the form's fields (`FormModel::createTableSchema`) and writes each
//! submission into it, so a missing one makes every submission of that form fail. Its
//! statement is rebuilt from the `forms` and `form_fields` rows as Mautic builds it: two INT
//! columns, a nullable LONGTEXT per field that keeps its value, the primary key on
//! `submission_id` and a unique index on (`submission_id`, `form_id`) named as Doctrine names it.
//! When a field's type may or may not keep its value (a plugin's type, a field whose results
//! are not saved on some releases), the columns are not known exactly: the change says what is
//! known, and that saving the form in Mautic recreates the table.

use crate::dialect::{ServerInfo, normalize_table};
use crate::diff::{Change, ChangeKind, Op};
use crate::schema::{Schema, Table, TableOptions, quote_ident};
use crate::sql::TableRows;

/// A form, with what its results table depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub id: String,
    pub alias: String,
    /// In the order Mautic adds their columns.
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub alias: String,
    pub field_type: String,
    /// `form_fields.save_result` (3.x+): `Some(false)` is a field some releases do not keep.
    pub save_result: Option<bool>,
}

/// Field types whose value Mautic never keeps (`FormModel::getCustomComponents`).
const VIEW_ONLY: &[&str] = &["button", "captcha", "freetext", "freehtml", "pagebreak"];

/// Core field types whose value Mautic keeps.
const KEPT: &[&str] = &[
    "checkboxgrp",
    "country",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "radiogrp",
    "select",
    "tel",
    "text",
    "textarea",
    "url",
    "companyLookup",
];

/// Forms from the rows of `forms` and `form_fields`, whatever columns the release had.
pub fn forms_from_rows(forms: &TableRows, fields: &TableRows) -> Vec<Form> {
    let mut all: Vec<(String, i64, i64, FormField)> = (0..fields.rows.len())
        .filter_map(|i| {
            let num = |c: &str| fields.get(i, c).and_then(|v| v.parse().ok()).unwrap_or(0);
            Some((
                fields.get(i, "form_id")?.to_string(),
                num("field_order"),
                num("id"),
                FormField {
                    alias: fields.get(i, "alias")?.to_string(),
                    field_type: fields.get(i, "type").unwrap_or("").to_string(),
                    save_result: fields.get(i, "save_result").map(|v| v != "0"),
                },
            ))
        })
        .collect();
    all.sort_by_key(|a| (a.1, a.2));
    (0..forms.rows.len())
        .filter_map(|i| {
            let id = forms.get(i, "id")?.to_string();
            Some(Form {
                alias: forms.get(i, "alias")?.to_string(),
                fields: all
                    .iter()
                    .filter(|(f, ..)| *f == id)
                    .map(|(.., field)| field.clone())
                    .collect(),
                id,
            })
        })
        .collect()
}

/// The name Mautic gives a form's results table.
pub fn results_table(prefix: &str, form: &Form) -> String {
    format!("{prefix}form_results_{}_{}", form.id, form.alias)
}

/// Doctrine's generated index name: the prefix, then the CRC32 of the table name and of each
/// column in hexadecimal (no padding), upper-cased (`AbstractAsset::_generateIdentifierName`).
fn doctrine_name(prefix: &str, parts: &[&str]) -> String {
    let hash: String = parts
        .iter()
        .map(|p| format!("{:x}", crc32fast::hash(p.as_bytes())))
        .collect();
    let mut name = format!("{prefix}_{hash}").to_ascii_uppercase();
    name.truncate(64);
    name
}

/// Whether a field gets a column: `Some(true)` or `Some(false)` when known, `None` when it
/// depends on what is not in the database (a plugin's type, or the release for a field whose
/// results are not saved).
fn keeps_value(f: &FormField) -> Option<bool> {
    if VIEW_ONLY.contains(&f.field_type.as_str()) {
        return Some(false);
    }
    if !KEPT.contains(&f.field_type.as_str()) || f.save_result == Some(false) {
        return None;
    }
    Some(true)
}

/// The results table Mautic would create for `form`, or the fields that make its columns
/// uncertain. `options`: the table options the install's tables have (from `forms`).
pub fn expected_table(
    form: &Form,
    prefix: &str,
    options: &TableOptions,
    server: &ServerInfo,
) -> Result<Table, Vec<String>> {
    let unsure: Vec<String> = form
        .fields
        .iter()
        .filter(|f| keeps_value(f).is_none())
        .map(|f| format!("{} ({})", f.alias, f.field_type))
        .collect();
    if !unsure.is_empty() {
        return Err(unsure);
    }
    let name = results_table(prefix, form);
    let mut items = vec![
        "`submission_id` INT NOT NULL".to_string(),
        "`form_id` INT NOT NULL".to_string(),
    ];
    items.extend(
        form.fields
            .iter()
            .filter(|f| keeps_value(f) == Some(true))
            .map(|f| format!("{} LONGTEXT DEFAULT NULL", quote_ident(&f.alias))),
    );
    items.push("PRIMARY KEY(`submission_id`)".into());
    items.push(format!(
        "UNIQUE INDEX {} (`submission_id`, `form_id`)",
        quote_ident(&doctrine_name("uniq", &[&name, "submission_id", "form_id"]))
    ));
    let mut sql = format!("CREATE TABLE {} ({})", quote_ident(&name), items.join(", "));
    if let Some(cs) = &options.charset {
        sql.push_str(&format!(" DEFAULT CHARACTER SET {cs}"));
    }
    if let Some(co) = &options.collation {
        sql.push_str(&format!(" COLLATE {co}"));
    }
    sql.push_str(" ENGINE = InnoDB");
    if let Some(rf) = &options.row_format {
        sql.push_str(&format!(" ROW_FORMAT = {rf}"));
    }
    let mut t = crate::sql::parse_schema_sql(&sql, &|_| false)
        .schema
        .tables
        .into_values()
        .next()
        .ok_or_else(|| vec![format!("the statement for {name} cannot be read")])?;
    normalize_table(&mut t, server);
    Ok(t)
}

/// A change for each form whose results table is missing from `live`: the statement that
/// recreates it when its columns are known, else what is known and how Mautic recreates it.
pub fn missing_results_tables(
    forms: &[Form],
    live: &Schema,
    prefix: &str,
    server: &ServerInfo,
) -> Vec<Change> {
    let options = live
        .table(&format!("{prefix}forms"))
        .map(|t| t.options.clone())
        .unwrap_or_default();
    forms
        .iter()
        .filter(|f| live.table(&results_table(prefix, f)).is_none())
        .map(|f| {
            let name = results_table(prefix, f);
            let what = format!(
                "results table of form {} ({}) is missing: every submission of the form fails",
                f.id, f.alias
            );
            match expected_table(f, prefix, &options, server) {
                Ok(t) => Change::new(
                    &name,
                    ChangeKind::MissingTable,
                    &name,
                    format!("{what}; recreated from the form's fields as Mautic builds it"),
                    Op::CreateTable(Box::new(t)),
                ),
                Err(unsure) => Change::new(
                    &name,
                    ChangeKind::MissingTable,
                    &name,
                    format!(
                        "{what}; its columns are submission_id and form_id (INT), then a LONGTEXT per field that keeps its value, but whether {} keep theirs the database does not say: save the form in Mautic (Components > Forms > edit > Save) and Mautic recreates the table",
                        unsure.join(", ")
                    ),
                    Op::None,
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(alias: &str, ty: &str) -> FormField {
        FormField {
            alias: alias.into(),
            field_type: ty.into(),
            save_result: None,
        }
    }

    /// The unique index of a real results table (tests/corpus/14-…, `form_results_1_z9sablon`).
    #[test]
    fn names_and_columns_as_mautic_makes_them() {
        assert_eq!(
            doctrine_name(
                "uniq",
                &["form_results_1_z9sablon", "submission_id", "form_id"]
            ),
            "UNIQ_392A6E52E1FD49335FF69B7D"
        );
        let form = Form {
            id: "1".into(),
            alias: "z9sablon".into(),
            fields: vec![
                field("prenume", "text"),
                field("email", "email"),
                field("submit", "button"),
            ],
        };
        let t =
            expected_table(&form, "", &TableOptions::default(), &ServerInfo::unknown()).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["submission_id", "form_id", "prenume", "email"]);
        let mut plugin = form.clone();
        plugin.fields.push(field("x", "plugin.thing"));
        let unsure = expected_table(
            &plugin,
            "",
            &TableOptions::default(),
            &ServerInfo::unknown(),
        )
        .unwrap_err();
        assert_eq!(unsure, vec!["x (plugin.thing)".to_string()]);
    }
}
