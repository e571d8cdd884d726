//! Doctrine type comments naming a type the target's DBAL no longer has, on tables the
//! comparison does not cover: a backup copy (`bak_leads`), a plugin's table, another install's.
//! Doctrine reads every table of the database when Mautic's migrations or schema tools run, so
//! one `(DC2Type:json_array)` column anywhere stops Mautic 5 ("Unknown column type json_array
//! requested"; DBAL 3 removed the type). The compared tables are the policy's (a column
//! difference); these are named apart.

use crate::db::{Db, DbError};
use crate::schema::{Schema, quote_string};

/// (table, column, type) of each column whose comment names one of `types`, in `schema`.
pub fn in_schema(schema: &Schema, types: &[&str]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for t in schema.tables.values() {
        for c in &t.columns {
            if let Some(ty) = types.iter().find(|ty| names_type(&c.comment, ty)) {
                out.push((t.name.clone(), c.name.clone(), ty.to_string()));
            }
        }
    }
    out
}

fn names_type(comment: &str, ty: &str) -> bool {
    comment.contains(&format!("(DC2Type:{ty})"))
}

/// The same, read from the server's catalog for every table of the database (the inspection
/// reads the install's tables only).
pub async fn in_database(
    db: &mut Db,
    types: &[&str],
) -> Result<Vec<(String, String, String)>, DbError> {
    let mut out = Vec::new();
    for ty in types {
        let like = quote_string(&format!("%(DC2Type:{ty})%"));
        let sql = format!(
            "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_COMMENT LIKE {like} ORDER BY TABLE_NAME, ORDINAL_POSITION"
        );
        for row in db.rows("reading Doctrine type comments", &sql, &[]).await? {
            if let [Some(t), Some(c)] = row.as_slice() {
                out.push((t.clone(), c.clone(), ty.to_string()));
            }
        }
    }
    Ok(out)
}

/// The explanation line naming them, or none.
pub fn explain(found: &[(String, String, String)]) -> Option<String> {
    let (_, _, ty) = found.first()?;
    let list: Vec<String> = found
        .iter()
        .take(8)
        .map(|(t, c, _)| format!("{t}.{c}"))
        .collect();
    let more = match found.len().saturating_sub(8) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!(
        "stops Mautic 5: (DC2Type:{ty}) comments on tables outside the comparison ({}{more}): Doctrine reads every table and DBAL 3 has no type {ty} (\"Unknown column type {ty} requested\"); change each comment to (DC2Type:json) with ALTER TABLE ... MODIFY, or drop the table if it is a backup",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_naming_a_removed_type_are_found() {
        let s = crate::sql::parse_schema_sql(
            "CREATE TABLE bak_leads (id INT, social LONGTEXT COMMENT '(DC2Type:json_array)', other LONGTEXT COMMENT '(DC2Type:json)');",
            &|_| false,
        )
        .schema;
        let found = in_schema(&s, &["json_array"]);
        assert_eq!(
            found,
            vec![("bak_leads".into(), "social".into(), "json_array".into())]
        );
        assert!(explain(&found).unwrap().contains("bak_leads.social"));
        assert!(explain(&[]).is_none());
    }
}
