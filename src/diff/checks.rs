//! Table-level CHECK constraints. Column-level ones belong to their column (see
//! `Column::check`) and are compared with it.
//!
//! A check the server named (`CONSTRAINT_1`...) on either side is matched by its clause, not by
//! its name: the number depends on the order checks were created in, not on what they check.
//! Clauses compare through `normalize_expression` (the server rewrites `a>0` to `` `a` > 0 ``).

use super::{Change, ChangeKind, Op};
use crate::dialect::normalize_expression;
use crate::schema::{Check, Table};

fn same_clause(a: &Check, b: &Check) -> bool {
    normalize_expression(&a.expr) == normalize_expression(&b.expr)
}

pub(super) fn diff_checks(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let table = &target.name;
    let mut claimed = vec![false; live.checks.len()];
    let mut pending: Vec<&Check> = Vec::new();
    // 1. Same name and same clause.
    for want in &target.checks {
        match live
            .checks
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(&want.name) && same_clause(h, want))
        {
            Some(i) if !claimed[i] => claimed[i] = true,
            _ => pending.push(want),
        }
    }
    // 2. A generated name on either side: the same clause is the same check.
    let mut rest: Vec<&Check> = Vec::new();
    for want in pending {
        let twin = live.checks.iter().enumerate().position(|(i, h)| {
            !claimed[i]
                && same_clause(h, want)
                && (want.has_generated_name(table) || h.has_generated_name(&live.name))
        });
        match twin {
            Some(i) => claimed[i] = true,
            None => rest.push(want),
        }
    }
    // 3. What is left differs, is missing or is extra.
    for want in rest {
        let same_name = live
            .checks
            .iter()
            .enumerate()
            .position(|(i, h)| !claimed[i] && h.name.eq_ignore_ascii_case(&want.name));
        match same_name {
            Some(i) => {
                claimed[i] = true;
                let have = &live.checks[i];
                out.push(Change::new(
                    table,
                    ChangeKind::CheckDiffers,
                    &want.name,
                    format!("is CHECK ({}), should be CHECK ({})", have.expr, want.expr),
                    Op::ReplaceCheck {
                        from: have.clone(),
                        to: want.clone(),
                    },
                ));
            }
            None => {
                // A made-up name may be taken on the server by another check: let the server
                // choose one.
                let mut add = want.clone();
                if want.has_generated_name(table)
                    && live
                        .checks
                        .iter()
                        .any(|h| h.name.eq_ignore_ascii_case(&want.name))
                {
                    add.name.clear();
                }
                out.push(Change::new(
                    table,
                    ChangeKind::MissingCheck,
                    &want.name,
                    format!("CHECK ({}) is missing", want.expr),
                    Op::AddCheck(add),
                ));
            }
        }
    }
    for (i, have) in live.checks.iter().enumerate() {
        if claimed[i] {
            continue;
        }
        // The same clause kept elsewhere (on a column, or under another name) is no guarantee
        // lost.
        let kept = target.checks.iter().any(|w| same_clause(w, have))
            || target.columns.iter().any(|c| {
                c.check
                    .as_deref()
                    .is_some_and(|e| normalize_expression(e) == normalize_expression(&have.expr))
            });
        let c = Change::new(
            table,
            ChangeKind::ExtraCheck,
            &have.name,
            format!("CHECK ({}) is not in the reference", have.expr),
            Op::DropCheck(have.clone()),
        );
        out.push(if kept { c } else { c.destructive() });
    }
}
