//! Custom fields: `lead_fields` rows → the columns Mautic expects on `leads` and `companies`
//! (FACTS §5), and which columns of those tables belong to the user.

use crate::schema::{Column, ColumnType, Schema};
use crate::sql::TableRows;

/// One row of `lead_fields`, with what the schema depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub alias: String,
    /// `lead`, `company`, or a plugin's object (ignored).
    pub object: String,
    pub field_type: String,
    pub published: bool,
    /// 3.3+: the column is created later by a background job and may not exist yet.
    pub column_not_created: bool,
    pub unique: bool,
    pub fixed: bool,
    /// 5.1+: the VARCHAR length chosen for the field.
    pub char_length_limit: Option<u32>,
}

impl Field {
    pub fn table(&self) -> Option<&'static str> {
        match self.object.as_str() {
            "lead" | "" => Some("leads"),
            "company" => Some("companies"),
            _ => None,
        }
    }
}

/// Stock fields the installer creates that a user may delete (their columns go with them).
/// Fixed fields (`is_fixed = 1`) are part of the entity metadata and cannot be deleted.
/// Taken from the lead_fields rows of the fresh installs in the shared corpus (2.x-6.x).
pub const DELETABLE_STOCK_FIELDS: &[&str] = &[
    "companyannual_revenue",
    "companyfax",
    "companynumber_of_employees",
    "facebook",
    "fax",
    "foursquare",
    "googleplus",
    "instagram",
    "linkedin",
    "skype",
    "twitter",
    "website",
];

fn truthy(v: Option<&str>) -> bool {
    matches!(v, Some(s) if s != "0" && !s.is_empty())
}

/// Fields from `lead_fields` rows (from a dump or a query), whatever columns the release had.
pub fn fields_from_rows(rows: &TableRows) -> Vec<Field> {
    (0..rows.rows.len())
        .filter_map(|i| {
            let alias = rows.get(i, "alias")?.to_string();
            Some(Field {
                alias,
                object: rows.get(i, "object").unwrap_or("lead").to_string(),
                field_type: rows.get(i, "type").unwrap_or("text").to_string(),
                published: truthy(rows.get(i, "is_published")),
                column_not_created: truthy(rows.get(i, "column_is_not_created")),
                unique: truthy(rows.get(i, "is_unique_identifer")),
                fixed: truthy(rows.get(i, "is_fixed")),
                char_length_limit: rows
                    .get(i, "char_length_limit")
                    .and_then(|v| v.parse().ok()),
            })
        })
        .collect()
}

/// Release as (major, minor) for the type rules.
pub type Release = (u32, u32);

/// The column a custom field gets in a release (FACTS §5.1). All custom columns are
/// nullable without default.
pub fn expected_column(f: &Field, release: Release) -> Column {
    let era = |v2: ColumnType, v3: ColumnType, v4: ColumnType, v50: ColumnType, v51: ColumnType| {
        match release {
            (0..=2, _) => v2,
            (3, _) => v3,
            (4, _) | (5, 0) => {
                if release.0 == 4 {
                    v4
                } else {
                    v50
                }
            }
            _ => v51,
        }
    };
    let vc = |n: u32| ColumnType::named("varchar").with_length(n);
    let limit = f.char_length_limit.unwrap_or(191);
    let ty = if f.unique {
        vc(255)
    } else {
        match f.field_type.as_str() {
            "text" if f.alias.contains("description") => ColumnType::named("longtext"),
            "text" | "email" | "tel" | "select" | "lookup" | "country" | "region" | "timezone"
            | "locale" => era(vc(255), vc(255), vc(191), vc(191), vc(limit)),
            "url" => era(
                ColumnType::named("longtext"),
                ColumnType::named("longtext"),
                vc(191),
                vc(191),
                vc(limit),
            ),
            "multiselect" => era(
                ColumnType::named("text"),
                vc(255),
                vc(191),
                ColumnType::named("text"),
                ColumnType::named("text"),
            ),
            "number" => ColumnType::named("double"),
            "boolean" => ColumnType::named("tinyint"),
            "date" => ColumnType::named("date"),
            "datetime" => ColumnType::named("datetime"),
            "time" => ColumnType::named("time"),
            _ => ColumnType::named("longtext"),
        }
    };
    Column::new(f.alias.clone(), ty)
}

/// What the expected schema of one install looks like, given its custom fields.
#[derive(Debug, Default)]
pub struct FieldAdjustments {
    /// (table, column) pairs that are custom-field columns: the user's, never dropped.
    pub custom_columns: Vec<(String, String)>,
    /// Stock columns taken out of the expectation because their field was deleted.
    pub removed_stock: Vec<(String, String)>,
}

/// Adjust a (prefixed) reference to one install's fields: deleted stock fields lose their
/// columns and indexes, published fields (and unpublished ones whose column exists) gain
/// theirs. `live` tells which columns exist.
pub fn apply_fields(
    reference: &mut Schema,
    live: &Schema,
    fields: &[Field],
    prefix: &str,
    release: Release,
) -> FieldAdjustments {
    let mut adj = FieldAdjustments::default();
    for base in ["leads", "companies"] {
        let table = format!("{prefix}{base}");
        let Some(t) = reference.tables.get_mut(&table) else {
            continue;
        };
        let live_t = live.table(&table);
        let object = if base == "leads" { "lead" } else { "company" };
        let has = |alias: &str| {
            fields
                .iter()
                .any(|f| f.alias.eq_ignore_ascii_case(alias) && f.table() == Some(base))
        };
        for stock in DELETABLE_STOCK_FIELDS {
            if t.column(stock).is_some() && !has(stock) {
                t.columns.retain(|c| !c.name.eq_ignore_ascii_case(stock));
                t.indexes
                    .retain(|i| !i.parts.iter().any(|p| p.column.eq_ignore_ascii_case(stock)));
                adj.removed_stock.push((table.clone(), stock.to_string()));
            }
        }
        for f in fields
            .iter()
            .filter(|f| f.object == object || (object == "lead" && f.object.is_empty()))
        {
            let exists = live_t.and_then(|l| l.column(&f.alias)).is_some();
            if t.column(&f.alias).is_some() {
                // A stock field the release's entities declare (`points`, `email`, ...): Mautic's
                // column with Mautic's type, so no custom-field tolerance. A narrowed `points`
                // overflows at 32,767.
                continue;
            }
            adj.custom_columns.push((table.clone(), f.alias.clone()));
            let expected = (f.published && !f.column_not_created) || exists;
            if expected {
                let mut c = expected_column(f, release);
                c.collation = if c.ty.is_textual() {
                    t.options.collation.clone()
                } else {
                    None
                };
                t.columns.push(c);
            }
        }
    }
    adj
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(alias: &str, ty: &str) -> Field {
        Field {
            alias: alias.into(),
            object: "lead".into(),
            field_type: ty.into(),
            published: true,
            column_not_created: false,
            unique: false,
            fixed: false,
            char_length_limit: None,
        }
    }

    #[test]
    fn types_follow_the_release() {
        assert_eq!(
            expected_column(&field("x", "text"), (2, 16)).ty.to_string(),
            "varchar(255)"
        );
        assert_eq!(
            expected_column(&field("x", "text"), (4, 4)).ty.to_string(),
            "varchar(191)"
        );
        assert_eq!(
            expected_column(&field("x", "multiselect"), (3, 3))
                .ty
                .to_string(),
            "varchar(255)"
        );
        assert_eq!(
            expected_column(&field("x", "multiselect"), (5, 1))
                .ty
                .to_string(),
            "text"
        );
        assert_eq!(
            expected_column(&field("my_description", "text"), (5, 1))
                .ty
                .to_string(),
            "longtext"
        );
        assert_eq!(
            expected_column(&field("n", "number"), (5, 1))
                .ty
                .to_string(),
            "double"
        );
        let mut f = field("x", "text");
        f.char_length_limit = Some(64);
        assert_eq!(expected_column(&f, (5, 1)).ty.to_string(), "varchar(64)");
        f.unique = true;
        assert_eq!(expected_column(&f, (5, 1)).ty.to_string(), "varchar(255)");
    }
}
