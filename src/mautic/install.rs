//! What the live side tells about the install beyond its schema: the migrations table rows and
//! the custom-field definitions, read from the server (one query each) or from a dump's rows.

use super::fields::{Field, fields_from_rows};
use super::forms::{Form, forms_from_rows};
use crate::compare::Live;
use crate::db::DbError;
use crate::schema::quote_ident;
use crate::sql::{RowValue, TableRows};

#[derive(Debug, Default, Clone)]
pub struct InstallData {
    /// Rows of `<prefix>migrations` (`None` when the table is missing).
    pub migration_rows: Option<Vec<String>>,
    /// `None` when the fields are unknown: `lead_fields` missing, empty (an install always has
    /// its fixed fields, so an empty table is a copy without rows), or a dump without rows.
    pub fields: Option<Vec<Field>>,
    /// The live side is a dump without rows (`--no-data`): `migration_rows` is not what the
    /// table holds, and `fields` is `None`.
    pub rows_unknown: bool,
    /// The forms and their fields (`None` when `forms` is missing or its rows are unknown).
    pub forms: Option<Vec<Form>>,
}

/// Read a whole small table as strings (every column CAST in SQL, so any release's layout works).
async fn table_rows(live: &mut Live, table: &str) -> Result<Option<TableRows>, DbError> {
    let Some(t) = live.schema.table(table) else {
        return Ok(None);
    };
    let columns: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let Some(db) = live.db.as_mut() else {
        // A dump without INSERTs for the table: the table exists and is empty.
        return Ok(Some(live.rows.get(table).cloned().unwrap_or(TableRows {
            columns,
            rows: Vec::new(),
        })));
    };
    let select: Vec<String> = columns
        .iter()
        .map(|c| format!("CAST({} AS CHAR)", quote_ident(c)))
        .collect();
    let sql = format!("SELECT {} FROM {}", select.join(", "), quote_ident(table));
    let rows = db.rows(&format!("reading {table}"), &sql, &[]).await?;
    Ok(Some(TableRows {
        columns,
        rows: rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|v| v.map_or(RowValue::Null, RowValue::Text))
                    .collect()
            })
            .collect(),
    }))
}

pub async fn read_install_data(live: &mut Live, prefix: &str) -> Result<InstallData, DbError> {
    let migrations = table_rows(live, &format!("{prefix}migrations")).await?;
    let fields = table_rows(live, &format!("{prefix}lead_fields")).await?;
    let forms = match (
        table_rows(live, &format!("{prefix}forms")).await?,
        table_rows(live, &format!("{prefix}form_fields")).await?,
    ) {
        (Some(forms), Some(fields)) if !live.rows_unknown => Some(forms_from_rows(&forms, &fields)),
        _ => None,
    };
    Ok(InstallData {
        forms,
        migration_rows: migrations.map(|t| {
            (0..t.rows.len())
                .filter_map(|i| t.get(i, "version").map(str::to_string))
                .collect()
        }),
        fields: fields
            .map(|t| fields_from_rows(&t))
            .filter(|f| !f.is_empty() && !live.rows_unknown),
        rows_unknown: live.rows_unknown,
    })
}
