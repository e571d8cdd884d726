//! Unified diffs of the canonical CREATE TABLE text, per table that differs.

use std::collections::BTreeSet;

use similar::TextDiff;

use crate::comparison::Comparison;
use crate::schema::create_table_sql;
use crate::text::{one_line, quoted_parts_visible};

pub fn render_unified(r: &Comparison) -> String {
    let tables: BTreeSet<&String> = r.changes.iter().map(|c| &c.table).collect();
    let mut out = String::new();
    for name in tables {
        let live = r
            .live
            .table(name)
            .map(|t| quoted_parts_visible(&create_table_sql(t)) + "\n")
            .unwrap_or_default();
        let want = r
            .reference
            .table(name)
            .map(|t| quoted_parts_visible(&create_table_sql(t)) + "\n")
            .unwrap_or_default();
        if live == want {
            continue;
        }
        let diff = TextDiff::from_lines(&live, &want);
        // Names and comments may carry control characters: show them, never send them.
        let name = one_line(name);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("live/{name}"), &format!("reference/{name}"))
                .to_string(),
        );
    }
    out
}
