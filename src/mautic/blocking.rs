//! History that stands in the way of a needed change: a legacy type the policy tolerates
//! (LONGTEXT where 4.3+ declares VARCHAR(191), a wider VARCHAR) on a column that a needed index
//! covers, when the index cannot be built on it (a TEXT part without a prefix, error 1170; a key
//! longer than the rows allow, error 1071). Tolerating it would have the plan refused by its own
//! key-length pre-check, so the column joins the plan, before the index (a table's clauses run
//! modifications before additions).

use crate::apply::limits::index_fits;
use crate::dialect::ServerInfo;
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{Index, Schema};

/// The index a drift change builds, when it builds one.
fn built_index(c: &Change) -> Option<&Index> {
    match (&c.op, c.severity) {
        (Op::AddIndex(i) | Op::ReplaceIndex { to: i, .. }, Severity::Drift) => Some(i),
        _ => None,
    }
}

/// Promote to drift each legacy column difference that blocks a needed index on `live`;
/// returns how many. The detail names the index.
pub fn promote_blocking_legacy(
    changes: &mut [Change],
    live: &Schema,
    server: &ServerInfo,
) -> usize {
    let blocked: Vec<(String, String, String)> = changes
        .iter()
        .filter_map(|c| Some((c, built_index(c)?)))
        .filter_map(|(c, i)| {
            let t = live.table(&c.table)?;
            (!index_fits(t, i, server)).then_some((c, i))
        })
        .flat_map(|(c, i)| {
            i.parts
                .iter()
                .map(|p| (c.table.clone(), p.column.clone(), i.name.clone()))
        })
        .collect();
    let mut promoted = 0;
    for c in changes.iter_mut().filter(|c| {
        c.severity == Severity::Legacy
            && c.kind == ChangeKind::ColumnDiffers
            && matches!(c.op, Op::ModifyColumn { .. })
    }) {
        let Some((_, _, index)) = blocked
            .iter()
            .find(|(t, col, _)| *t == c.table && col.eq_ignore_ascii_case(&c.object))
        else {
            continue;
        };
        c.severity = Severity::Drift;
        // The legacy reason ("not needed by the code") was the last one added: it no longer holds.
        let base = c
            .detail
            .rsplit_once(" — ")
            .map_or(c.detail.as_str(), |(b, _)| b);
        c.detail = format!(
            "{base} — kept from an older release, but needed now: index {index} covers it and cannot be built on the old type"
        );
        promoted += 1;
    }
    promoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(sql: &str) -> Schema {
        let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
        crate::dialect::normalize_schema(&mut s, &ServerInfo::unknown());
        s
    }

    /// A 4.2 `leads.website` (LONGTEXT) under 4.3's `website_search` index: the column joins
    /// the plan; a legacy VARCHAR(255) that no needed index covers stays history.
    #[test]
    fn a_text_column_under_a_needed_index_joins_the_plan() {
        let live = schema(
            "CREATE TABLE leads (id INT NOT NULL, website LONGTEXT DEFAULT NULL, fax VARCHAR(255) DEFAULT NULL, PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;",
        );
        let reference = schema(
            "CREATE TABLE leads (id INT NOT NULL, website VARCHAR(191) DEFAULT NULL, fax VARCHAR(191) DEFAULT NULL, INDEX website_search (website), PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;",
        );
        let mut changes = crate::diff::diff_schemas(&live, &reference);
        for c in changes
            .iter_mut()
            .filter(|c| c.kind == ChangeKind::ColumnDiffers)
        {
            c.severity = Severity::Legacy;
        }
        let server = ServerInfo::parse("10.11.19-MariaDB");
        assert_eq!(promote_blocking_legacy(&mut changes, &live, &server), 1);
        let severity = |o: &str| changes.iter().find(|c| c.object == o).unwrap().severity;
        assert_eq!(severity("website"), Severity::Drift);
        let website = changes.iter().find(|c| c.object == "website").unwrap();
        assert!(
            website.detail.contains("website_search"),
            "{}",
            website.detail
        );
        assert_eq!(severity("fax"), Severity::Legacy);
    }
}
