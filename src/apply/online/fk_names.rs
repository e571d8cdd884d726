//! Foreign-key names across pt-osc. Constraint names are unique per database in InnoDB, so the
//! copy pt-osc builds cannot reuse the originals: it renames `X` to `_X`, `_X` to `__X` and
//! `__X` back to `X`. Mautic's (and Doctrine's) names matter, so afterwards each is renamed back
//! in the swap's final metadata-only ALTER (foreign_key_checks=0 lets InnoDB add the key in place, without
//! a rebuild and without blocking writes; the rows already satisfied the key).

use crate::db::{Db, DbError};
use crate::plan::{Clause, ClauseOp, Statement, Step};
use crate::schema::quote_ident;

/// The name pt-osc gives a constraint on its copy of the table.
pub fn pt_renamed(name: &str) -> String {
    let r = match name.strip_prefix("__") {
        Some(rest) => rest.to_string(),
        None => format!("_{name}"),
    };
    r.chars().take(64).collect()
}

/// Foreign-key constraint names of a table.
pub async fn names(db: &mut Db, table: &str) -> Result<Vec<String>, DbError> {
    let rows = db
        .rows(
            "reading the foreign keys",
            "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME",
            &[table],
        )
        .await?;
    Ok(rows.into_iter().filter_map(|r| r[0].clone()).collect())
}

/// The step's clauses as pt-osc's `--alter` takes them: a `DROP FOREIGN KEY X` must name the
/// copy's constraint (pt-osc's documented rule), the rest as the plan renders it. `None` for
/// what is not an ALTER.
pub fn ptosc_alter(step: &Step) -> Option<String> {
    Some(ptosc_clause_list(&step.table, step.clauses()?.to_vec()))
}

/// `clauses` rendered as pt-osc's `--alter`, each `DROP FOREIGN KEY` naming the copy's
/// constraint.
pub fn ptosc_clause_list(table: &str, clauses: Vec<Clause>) -> String {
    let clauses: Vec<Clause> = clauses
        .into_iter()
        .map(|c| match c.op {
            ClauseOp::DropForeignKey { name } => Clause {
                op: ClauseOp::DropForeignKey {
                    name: pt_renamed(&name),
                },
                change: c.change,
            },
            _ => c,
        })
        .collect();
    let step = Step {
        phase: crate::plan::Phase::AlterTables,
        table: table.to_string(),
        statement: Statement::Alter(clauses),
        reasons: Vec::new(),
        changes: Vec::new(),
    };
    step.clause_list_sql().unwrap_or_default()
}

/// The clauses that give back the names in `before` that pt-osc changed on its copy (now the
/// table), as DROP and ADD pairs for one in-place ALTER with foreign_key_checks=0, and the
/// names given back. Nothing when they are back already.
pub async fn restore_clauses(
    db: &mut Db,
    table: &str,
    before: &[String],
) -> Result<(Vec<String>, Vec<String>), DbError> {
    let now = names(db, table).await?;
    let pairs: Vec<(String, String)> = before
        .iter()
        .filter(|n| !now.contains(n))
        .map(|n| (pt_renamed(n), n.clone()))
        .filter(|(r, _)| now.contains(r))
        .collect();
    if pairs.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let ddl = db
        .rows(
            "reading the table definition",
            &format!("SHOW CREATE TABLE {}", quote_ident(table)),
            &[],
        )
        .await?
        .into_iter()
        .next()
        .and_then(|r| r.get(1).cloned().flatten())
        .unwrap_or_default();
    let mut clauses = Vec::new();
    let mut renamed = Vec::new();
    for (from, to) in pairs {
        let head = format!("CONSTRAINT {} FOREIGN KEY", quote_ident(&from));
        let Some(def) = ddl.lines().map(str::trim).find(|l| l.starts_with(&head)) else {
            continue;
        };
        let rest = def[head.len()..].trim_end_matches(',');
        clauses.push(format!("DROP FOREIGN KEY {}", quote_ident(&from)));
        clauses.push(format!(
            "ADD CONSTRAINT {} FOREIGN KEY{rest}",
            quote_ident(&to)
        ));
        renamed.push(to);
    }
    Ok((clauses, renamed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_follow_pt_osc() {
        assert_eq!(pt_renamed("FK_1"), "_FK_1");
        assert_eq!(pt_renamed("_FK_1"), "__FK_1");
        assert_eq!(pt_renamed("__FK_1"), "FK_1");
        assert_eq!(pt_renamed(&"x".repeat(64)).len(), 64);
    }

    #[test]
    fn fk_drops_name_the_copy() {
        use crate::plan::Phase;
        use crate::schema::{Index, IndexKind, IndexPart};
        let index = Index {
            name: "i".into(),
            kind: IndexKind::Plain,
            parts: vec![IndexPart::new("a")],
            comment: String::new(),
        };
        let clause = |op| Clause { op, change: None };
        let step = Step {
            phase: Phase::AlterTables,
            table: "t".into(),
            statement: Statement::Alter(vec![
                clause(ClauseOp::AddIndex(index)),
                clause(ClauseOp::DropForeignKey {
                    name: "FK_1".into(),
                }),
            ]),
            reasons: vec![],
            changes: vec![],
        };
        assert_eq!(
            ptosc_alter(&step).unwrap(),
            "ADD KEY `i` (`a`),\n  DROP FOREIGN KEY `_FK_1`"
        );
    }
}
