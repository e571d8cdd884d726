//! The results table of each form (`form_results_<id>_<alias>`), which no reference lists:
//! Mautic creates it from the form's fields (`FormModel::createTableSchema`) and writes each
//! submission into it, so a missing one makes every submission of that form fail. The table
//! is built as data from the `forms` and `form_fields` rows as Mautic builds it: two INT
//! columns, a nullable LONGTEXT per field that keeps its value, the primary key on
//! `submission_id` and a unique index on (`submission_id`, `form_id`) named as Doctrine names it.
//! When a field's type may or may not keep its value (a plugin's type, a field whose results
//! are not saved on some releases), the columns are not known exactly: the change says what is
//! known, and that saving the form in Mautic recreates the table.

use crate::dialect::{ServerInfo, normalize_table};
use crate::diff::{Change, ChangeKind, Op};
use crate::schema::{
    Column, ColumnType, DefaultValue, Index, IndexKind, IndexPart, Schema, Table, TableOptions,
};
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
    let int = |n: &str| Column {
        nullable: false,
        ..Column::new(n, ColumnType::named("int"))
    };
    let mut t = Table::new(&name);
    t.columns = vec![int("submission_id"), int("form_id")];
    t.columns.extend(
        form.fields
            .iter()
            .filter(|f| keeps_value(f) == Some(true))
            .map(|f| Column {
                default: Some(DefaultValue::Null),
                ..Column::new(&f.alias, ColumnType::named("longtext"))
            }),
    );
    let index = |name: String, kind: IndexKind, columns: &[&str]| Index {
        name,
        kind,
        parts: columns.iter().map(|&c| IndexPart::new(c)).collect(),
        comment: String::new(),
    };
    t.indexes = vec![
        index("PRIMARY".into(), IndexKind::Primary, &["submission_id"]),
        index(
            doctrine_name("uniq", &[&name, "submission_id", "form_id"]),
            IndexKind::Unique,
            &["submission_id", "form_id"],
        ),
    ];
    t.options = TableOptions {
        engine: Some("InnoDB".into()),
        charset: options.charset.clone(),
        collation: options.collation.clone(),
        row_format: options.row_format.as_ref().map(|r| r.to_ascii_uppercase()),
        comment: String::new(),
    };
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

    /// The table is built as data, never read back from a statement: it must equal what the
    /// DDL reader makes of the table Mautic created (a real one from the corpus, with the
    /// options of that install's `forms`) and of the statement Doctrine writes for it, with an
    /// alias the quoting must keep (a backquote) and a lower-case row format.
    #[test]
    fn the_table_is_the_one_mautic_creates() {
        let server = ServerInfo::unknown();
        let read = |sql: &str, name: &str| {
            let mut t = crate::sql::parse_schema_sql(sql, &|_| false)
                .schema
                .tables
                .remove(name)
                .unwrap();
            normalize_table(&mut t, &server);
            t
        };
        let corpus = include_str!("../../tests/corpus/14-ionut-mautic4-template-ro.sql");
        let forms = read(corpus, "forms");
        let real = read(corpus, "form_results_1_z9sablon");
        let form = Form {
            id: "1".into(),
            alias: "z9sablon".into(),
            fields: vec![
                field("prenume", "text"),
                field("email", "email"),
                field("email2", "email"),
                field("gdpr", "checkboxgrp"),
                field("submit", "button"),
            ],
        };
        assert_eq!(
            expected_table(&form, "", &forms.options, &server).unwrap(),
            real
        );

        let odd = Form {
            id: "7".into(),
            alias: "a`b".into(),
            fields: vec![field("x`y", "text"), field("p", "pagebreak")],
        };
        let options = TableOptions {
            charset: Some("utf8mb4".into()),
            collation: Some("utf8mb4_unicode_ci".into()),
            row_format: Some("dynamic".into()),
            ..Default::default()
        };
        let unique = doctrine_name(
            "uniq",
            &["mt_form_results_7_a`b", "submission_id", "form_id"],
        );
        let doctrine = format!(
            "CREATE TABLE `mt_form_results_7_a``b` (`submission_id` INT NOT NULL, `form_id` INT NOT NULL, `x``y` LONGTEXT DEFAULT NULL, PRIMARY KEY(`submission_id`), UNIQUE INDEX `{unique}` (`submission_id`, `form_id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB ROW_FORMAT = DYNAMIC"
        );
        assert_eq!(
            expected_table(&odd, "mt_", &options, &server).unwrap(),
            read(&doctrine, "mt_form_results_7_a`b")
        );
    }
}
