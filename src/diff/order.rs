//! Column order, compared in generic mode only (a Mautic install upgraded by migrations
//! legitimately has its columns in another order than a fresh one: `mautic::check` never asks).
//! The moves are the fewest that work: the columns outside the longest run the live table
//! already has in the target's order, each put after its predecessor in the target.

use super::{Change, ChangeKind, Op, recreates_column};
use crate::schema::Table;

/// The column names in the order the plan leaves them before any move: the live columns the
/// target keeps (a column re-created by DROP and ADD goes to the end), then the added ones.
fn order_before_moves(live: &Table, target: &Table) -> Vec<String> {
    let kept = |name: &str| match (live.column(name), target.column(name)) {
        (Some(have), Some(want)) => !recreates_column(have, want),
        _ => false,
    };
    let mut order: Vec<String> = live
        .columns
        .iter()
        .filter(|c| kept(&c.name))
        .map(|c| c.name.to_ascii_lowercase())
        .collect();
    for c in &target.columns {
        if !kept(&c.name) {
            order.push(c.name.to_ascii_lowercase());
        }
    }
    order
}

/// Which of `want` belong to a heaviest common subsequence of `have` and `want` (`weight`:
/// of each of `want`).
fn in_common_run(have: &[String], want: &[String], weight: &[u32]) -> Vec<bool> {
    let (n, m) = (have.len(), want.len());
    let mut len = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if have[i] == want[j] {
                len[i + 1][j + 1] + weight[j]
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let mut keep = vec![false; m];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if have[i] == want[j] && len[i][j] == len[i + 1][j + 1] + weight[j] {
            keep[j] = true;
            i += 1;
            j += 1;
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    keep
}

/// One `column_moved` change per column out of place, in the target's order (each move's
/// predecessor is then already where it belongs).
pub fn column_moves(live: &Table, target: &Table) -> Vec<Change> {
    let want: Vec<String> = target
        .columns
        .iter()
        .map(|c| c.name.to_ascii_lowercase())
        .collect();
    // Moving a column the table has costs more than placing one it adds: keep the former.
    let weight: Vec<u32> = target
        .columns
        .iter()
        .map(|c| if live.column(&c.name).is_some() { 2 } else { 1 })
        .collect();
    let keep = in_common_run(&order_before_moves(live, target), &want, &weight);
    let mut out = Vec::new();
    for (k, to) in target.columns.iter().enumerate() {
        if keep[k] {
            continue;
        }
        let after = k.checked_sub(1).map(|p| target.columns[p].name.clone());
        let from = live.column(&to.name).unwrap_or(to).clone();
        let place = match &after {
            Some(a) => format!("after {a}"),
            None => "first".to_string(),
        };
        out.push(Change::new(
            &target.name,
            ChangeKind::ColumnMoved,
            &to.name,
            format!("column order: should come {place}"),
            Op::MoveColumn {
                from,
                to: to.clone(),
                after,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Column;

    fn table(cols: &[&str]) -> Table {
        let mut t = Table {
            name: "t".into(),
            ..Default::default()
        };
        for c in cols {
            t.columns
                .push(Column::new(*c, crate::schema::ColumnType::named("int")));
        }
        t
    }

    fn moves(live: &[&str], target: &[&str]) -> Vec<(String, Option<String>)> {
        column_moves(&table(live), &table(target))
            .into_iter()
            .map(|c| match c.op {
                Op::MoveColumn { to, after, .. } => (to.name, after),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn same_order_moves_nothing() {
        assert!(moves(&["a", "b", "c"], &["a", "b", "c"]).is_empty());
        assert!(moves(&["a", "x", "b"], &["a", "b"]).is_empty());
        assert!(moves(&["a", "b"], &["a", "b", "c"]).is_empty());
    }

    #[test]
    fn a_swap_moves_one_column() {
        assert_eq!(
            moves(&["id", "name", "nick"], &["id", "nick", "name"]),
            [("name".to_string(), Some("nick".to_string()))]
        );
        assert_eq!(
            moves(&["a", "b"], &["b", "a"]),
            [("a".to_string(), Some("b".to_string()))]
        );
    }

    #[test]
    fn an_added_column_in_the_middle_is_placed() {
        assert_eq!(
            moves(&["id", "created"], &["id", "name", "created"]),
            [("name".to_string(), Some("id".to_string()))]
        );
        assert_eq!(moves(&["b"], &["a", "b"]), [("a".to_string(), None)]);
    }
}
