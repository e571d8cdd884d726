//! Checks before any DDL: each failure says what is wrong and gives the query to investigate.

use crate::db::{Db, DbError};
use crate::diff::{Change, Op};
use crate::plan::Plan;
use crate::plan::preconditions::{self, Precondition, SqlMode};
use crate::schema::{DefaultValue, ForeignKey, Index, IndexKind, Schema, quote_ident};

/// Every check `run` and `long_transactions` make, by the name their failures carry.
pub const CHECKS: &[&str] = &[
    "privileges",
    "orphan rows",
    "truncation",
    "invalid JSON",
    "duplicates",
    "zero dates",
    "index limit",
    "row size",
    "key length",
    "long transactions",
];

#[derive(Debug, Clone)]
pub struct Failure {
    pub check: &'static str,
    pub message: String,
    /// A query that shows the offending rows or objects.
    pub investigate: String,
}

/// How many rows a precondition's count query finds.
pub async fn count_rows(db: &mut Db, p: &Precondition) -> Result<u64, DbError> {
    // CAST: the text protocol hands every value back as a string.
    let sql = format!("SELECT CAST(({}) AS CHAR)", p.count_sql);
    let rows = db.rows("counting rows in the way", &sql, &[]).await?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .and_then(|v| v.as_deref())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Run one precondition; rows in the way are a failure naming them.
async fn judge(
    db: &mut Db,
    p: Option<Precondition>,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    let Some(p) = p else { return Ok(()) };
    let n = count_rows(db, &p).await?;
    if n > 0 {
        failures.push(Failure {
            check: p.class.check_name(),
            message: p.message(n),
            investigate: p.list_sql,
        });
    }
    Ok(())
}

/// The changes the plan carries out.
fn planned<'a>(changes: &'a [Change], plan: &Plan) -> Vec<&'a Change> {
    let mut ids: Vec<usize> = plan
        .steps
        .iter()
        .flat_map(|s| s.changes.iter().copied())
        .collect();
    ids.sort();
    ids.dedup();
    ids.into_iter().filter_map(|i| changes.get(i)).collect()
}

pub async fn run(
    db: &mut Db,
    changes: &[Change],
    plan: &Plan,
    live: &Schema,
) -> Result<Vec<Failure>, DbError> {
    let mut failures = Vec::new();
    if plan.steps.is_empty() {
        return Ok(failures);
    }
    privileges(db, &mut failures).await?;
    let mode = session_sql_mode(db).await?;
    let flavor = db.server.flavor;
    let todo = planned(changes, plan);
    for c in &todo {
        let Some(table) = live.table(&c.table) else {
            continue; // created by the plan: empty
        };
        match &c.op {
            Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. } => {
                let p = match fk_rows_to_check(&todo, live, &c.table, fk) {
                    FkRows::Existing => Some(preconditions::orphans(table, fk)),
                    FkRows::ParentCreatedEmpty(cols) => {
                        Some(preconditions::orphans_into_empty_parent(table, fk, &cols))
                    }
                    FkRows::NoneSet => None,
                };
                judge(db, p, &mut failures).await?;
            }
            Op::ModifyColumn { from, to } => {
                for p in preconditions::column_change(table, from, to, flavor, mode) {
                    judge(db, Some(p), &mut failures).await?;
                }
            }
            _ => {}
        }
    }
    // The tables as the plan leaves them: asked by the duplicate and the limit checks.
    let planned = super::planned::planned_tables(&todo, live);
    duplicates(db, &todo, &planned, live, &mut failures).await?;
    zero_dates(db, &todo, live, mode, &mut failures).await?;
    let server = db.server.clone();
    super::limits::check(&planned, &server, &mut failures);
    Ok(failures)
}

async fn privileges(db: &mut Db, failures: &mut Vec<Failure>) -> Result<(), DbError> {
    let database = db.database.clone();
    let grantee = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";
    let sql = format!(
        "SELECT CAST(PRIVILEGE_TYPE AS CHAR) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = {grantee} \
         UNION SELECT CAST(PRIVILEGE_TYPE AS CHAR) FROM information_schema.SCHEMA_PRIVILEGES \
         WHERE GRANTEE = {grantee} AND (TABLE_SCHEMA = ? OR ? LIKE TABLE_SCHEMA)"
    );
    let rows = db
        .rows("reading privileges", &sql, &[&database, &database])
        .await?;
    let have: Vec<String> = rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    if have.is_empty() {
        // Privileges through roles are not listed there; the DDL itself will tell.
        return Ok(());
    }
    let missing: Vec<&str> = [
        "ALTER",
        "CREATE",
        "DROP",
        "INDEX",
        "REFERENCES",
        "SELECT",
        "INSERT",
    ]
    .into_iter()
    .filter(|p| !have.iter().any(|h| h == p))
    .collect();
    if !missing.is_empty() {
        failures.push(Failure {
            check: "privileges",
            message: format!(
                "the database user lacks {} on `{database}`",
                missing.join(", ")
            ),
            investigate: "SHOW GRANTS FOR CURRENT_USER()".into(),
        });
    }
    Ok(())
}

/// Transactions open for a minute or more, of connections using this database, hold metadata
/// locks: an ALTER would wait behind them, and every query of the site would queue behind the
/// ALTER. Seeing other users' transactions needs the global PROCESS privilege, which a Mautic
/// database user does not have: then the check is skipped (`Ok(None)`) and the run relies on
/// `lock_wait_timeout` alone, which bounds the wait anyway.
pub async fn long_transactions(db: &mut Db) -> Result<Option<Vec<Failure>>, DbError> {
    let rows = match db
        .rows(
            "looking for long transactions",
            "SELECT CAST(t.trx_mysql_thread_id AS CHAR), CAST(TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS CHAR) \
             FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id \
             WHERE t.trx_started < NOW() - INTERVAL 60 SECOND AND t.trx_mysql_thread_id <> CONNECTION_ID() AND p.DB = DATABASE()",
            &[],
        )
        .await
    {
        Ok(rows) => rows,
        // 1227: the PROCESS privilege is missing.
        Err(e) if e.is(crate::dialect::ServerError::SpecificAccessDenied) => return Ok(None),
        Err(e) => return Err(e),
    };
    if rows.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let list: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "connection {} ({}s)",
                r[0].as_deref().unwrap_or("?"),
                r[1].as_deref().unwrap_or("?")
            )
        })
        .collect();
    Ok(Some(vec![Failure {
        check: "long transactions",
        message: format!(
            "{} transaction(s) open for over a minute would hold metadata locks: {}",
            rows.len(),
            list.join(", ")
        ),
        investigate: "SELECT * FROM information_schema.INNODB_TRX ORDER BY trx_started".into(),
    }]))
}

/// What a new foreign key will meet once the plan's earlier statements have run: checks ask the
/// planned state, never the live server for objects that do not exist yet.
enum FkRows {
    /// Child columns and parent columns exist: count rows without a parent row.
    Existing,
    /// The parent (table or referenced columns) is created by the plan, so it starts empty:
    /// every child row with these existing columns set would be an orphan.
    ParentCreatedEmpty(Vec<String>),
    /// The child's columns are all added by the plan without a default: every row holds NULL.
    NoneSet,
}

fn fk_rows_to_check(todo: &[&Change], live: &Schema, table: &str, fk: &ForeignKey) -> FkRows {
    let Some(child) = live.table(table) else {
        return FkRows::NoneSet;
    };
    // A column the plan adds holds its default in every existing row.
    let added_default = |col: &str| {
        todo.iter().find_map(|c| match &c.op {
            Op::AddColumn(added) if c.table == table && added.name.eq_ignore_ascii_case(col) => {
                Some(added.default.is_some() && added.default != Some(DefaultValue::Null))
            }
            _ => None,
        })
    };
    let existing: Vec<String> = fk
        .columns
        .iter()
        .filter(|col| child.column(col).is_some())
        .cloned()
        .collect();
    if existing.is_empty()
        && fk
            .columns
            .iter()
            .all(|col| added_default(col) == Some(false))
    {
        return FkRows::NoneSet;
    }
    let parent_exists = live
        .table(&fk.ref_table)
        .is_some_and(|p| fk.ref_columns.iter().all(|col| p.column(col).is_some()));
    if parent_exists && existing.len() == fk.columns.len() {
        FkRows::Existing
    } else {
        FkRows::ParentCreatedEmpty(existing)
    }
}

/// The sql_mode the plan's statements run under (the tool's own session).
async fn session_sql_mode(db: &mut Db) -> Result<SqlMode, DbError> {
    let mode = db
        .rows(
            "reading sql_mode",
            "SELECT CAST(@@SESSION.sql_mode AS CHAR)",
            &[],
        )
        .await?;
    let mode = mode.first().and_then(|r| r[0].clone()).unwrap_or_default();
    Ok(SqlMode::parse(&mode))
}

/// A table rebuild re-validates every date of the table: under a strict sql_mode with
/// NO_ZERO_DATE, zero dates stop the ALTER half way through a long copy, so look first.
async fn zero_dates(
    db: &mut Db,
    todo: &[&Change],
    live: &Schema,
    mode: SqlMode,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    let mut tables: Vec<&str> = todo
        .iter()
        .filter(|c| {
            matches!(
                c.op,
                Op::ModifyColumn { .. }
                    | Op::AddForeignKey(_)
                    | Op::SetTableOptions { .. }
                    | Op::DropColumn(_)
            )
        })
        .map(|c| c.table.as_str())
        .collect();
    tables.sort();
    tables.dedup();
    for t in tables {
        let Some(table) = live.table(t) else { continue };
        judge(db, preconditions::zero_dates(table, mode), failures).await?;
    }
    Ok(())
}

/// Unique keys the plan adds or whose columns it changes, on tables that have rows: rows that
/// would share a key once the plan ran (a collation that compares more loosely, a shorter
/// type, a new column's single default) stop the ALTER with error 1062 after a long copy.
async fn duplicates(
    db: &mut Db,
    todo: &[&Change],
    planned: &std::collections::BTreeMap<String, super::planned::Planned>,
    live: &Schema,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    for (name, p) in planned {
        let Some(now) = live.table(name) else {
            continue; // created by the plan: empty
        };
        for i in p.table.indexes.iter().filter(|i| {
            matches!(i.kind, IndexKind::Unique | IndexKind::Primary)
                && p.changed_indexes.contains(&i.name.to_ascii_lowercase())
        }) {
            let Some((keys, set)) = key_expressions(todo, name, now, i) else {
                continue;
            };
            let p = preconditions::duplicates(now, &i.name, i.kind, &keys, &set);
            judge(db, Some(p), failures).await?;
        }
    }
    Ok(())
}

/// The key as the planned table will compare it, per part: the live column, converted to its
/// new collation and cut to its new length when the plan changes it; a new column contributes
/// its default (the same on every row, so nothing to group by); with the columns a row must
/// set to take part in the key. `None` when no two rows can
/// collide (a part is a new column defaulting to NULL, which a UNIQUE key never compares).
fn key_expressions(
    todo: &[&Change],
    table: &str,
    now: &crate::schema::Table,
    i: &Index,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut keys = Vec::new();
    let mut set = Vec::new();
    for part in &i.parts {
        let modified = todo.iter().find_map(|c| match &c.op {
            Op::ModifyColumn { to, .. }
                if c.table == table && to.name.eq_ignore_ascii_case(&part.column) =>
            {
                Some(to)
            }
            _ => None,
        });
        let Some(col) = now.column(&part.column) else {
            let added = todo.iter().find_map(|c| match &c.op {
                Op::AddColumn(a)
                    if c.table == table && a.name.eq_ignore_ascii_case(&part.column) =>
                {
                    Some(a)
                }
                _ => None,
            })?;
            if matches!(added.default, None | Some(DefaultValue::Null)) && added.nullable {
                return None;
            }
            continue;
        };
        let q = quote_ident(&col.name);
        let mut e = q.clone();
        if let Some(to) = modified {
            let plain = |n: &str| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if to.ty.is_textual()
                && let Some(co) = &to.collation
                && to.collation != col.collation
                && let cs = crate::schema::canonical::charset_of_collation(co)
                && plain(cs)
                && plain(co)
            {
                e = format!("CONVERT({e} USING {cs}) COLLATE {co}");
            }
            if let (Some(new), Some(old)) = (to.ty.capacity(), col.ty.capacity())
                && new < old
            {
                e = format!("LEFT({e}, {new})");
            }
        }
        if let Some(n) = part.prefix {
            e = format!("LEFT({e}, {n})");
        }
        keys.push(e);
        set.push(col.name.clone());
    }
    Some((keys, set))
}

#[cfg(test)]
mod tests {
    /// `CHECKS` names every check a failure can carry (the JSON lists each with its status).
    #[test]
    fn checks_lists_every_failure_name() {
        let sources = [include_str!("prechecks.rs"), include_str!("limits.rs")];
        let mut named = Vec::new();
        for src in sources {
            for part in src.split("check: \"").skip(1) {
                named.push(part.split('"').next().unwrap_or_default());
            }
        }
        // The data preconditions report under their class's name.
        use crate::plan::preconditions::Class;
        named.extend(Class::ALL.iter().map(|c| c.check_name()));
        assert!(named.len() >= 10, "{named:?}");
        for n in named {
            assert!(super::CHECKS.contains(&n), "{n} is missing from CHECKS");
        }
    }
}
