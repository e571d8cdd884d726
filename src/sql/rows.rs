//! Rows read from INSERT statements of a dump (only for the few tables the tool needs, such as
//! `lead_fields` and `migrations`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowValue {
    Null,
    Text(String),
    Number(String),
    /// Anything else (function calls, hex literals), as SQL text.
    Other(String),
}

impl RowValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            RowValue::Null => None,
            RowValue::Text(s) | RowValue::Number(s) | RowValue::Other(s) => Some(s),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<RowValue>>,
}

impl TableRows {
    /// Value of `column` in row `row`, `None` for NULL or an unknown column.
    pub fn get(&self, row: usize, column: &str) -> Option<&str> {
        let i = self
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))?;
        self.rows.get(row)?.get(i)?.as_str()
    }
}
