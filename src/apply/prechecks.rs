//! Checks before any DDL: each failure says what is wrong and gives the query to investigate.

use crate::db::{Db, DbError};
use crate::diff::{Change, Op};
use crate::plan::Plan;
use crate::schema::{
    Column, DefaultValue, ForeignKey, Index, IndexKind, Schema, quote_ident, quote_string,
};

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

/// How many rows `from` (`FROM ... WHERE ...`) matches.
async fn count_where(db: &mut Db, doing: &str, from: &str) -> Result<u64, DbError> {
    let sql = format!("SELECT CAST(COUNT(*) AS CHAR) {from}");
    Ok(count(&db.rows(doing, &sql, &[]).await?))
}

fn count(rows: &[Vec<Option<String>>]) -> u64 {
    rows.first()
        .and_then(|r| r.first())
        .and_then(|v| v.as_deref())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
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
    let todo = planned(changes, plan);
    for c in &todo {
        match &c.op {
            Op::AddForeignKey(fk) | Op::ReplaceForeignKey { to: fk, .. }
                if live.table(&c.table).is_some() =>
            {
                match fk_rows_to_check(&todo, live, &c.table, fk) {
                    FkRows::Existing => orphans(db, &c.table, fk, &mut failures).await?,
                    FkRows::ParentCreatedEmpty(cols) => {
                        set_rows_into_empty_parent(db, &c.table, fk, &cols, &mut failures).await?
                    }
                    FkRows::NoneSet => {}
                }
            }
            Op::ModifyColumn { from, to } => {
                truncation(db, &c.table, from, to, &mut failures).await?;
                invalid_json(db, &c.table, from, to, &mut failures).await?;
            }
            _ => {}
        }
    }
    // The tables as the plan leaves them: asked by the duplicate and the limit checks.
    let planned = super::planned::planned_tables(&todo, live);
    duplicates(db, &todo, &planned, live, &mut failures).await?;
    zero_dates(db, &todo, live, &mut failures).await?;
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

fn join_cond(fk: &ForeignKey) -> (String, String) {
    let on: Vec<String> = fk
        .columns
        .iter()
        .zip(&fk.ref_columns)
        .map(|(c, r)| format!("c.{} = p.{}", quote_ident(c), quote_ident(r)))
        .collect();
    let not_null: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", quote_ident(c)))
        .collect();
    (on.join(" AND "), not_null.join(" AND "))
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

async fn set_rows_into_empty_parent(
    db: &mut Db,
    table: &str,
    fk: &ForeignKey,
    existing: &[String],
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    // A new column with a non-NULL default on every row makes every row an orphan too.
    let cond = if existing.len() < fk.columns.len() {
        "1 = 1".to_string()
    } else {
        existing
            .iter()
            .map(|c| format!("{} IS NOT NULL", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let from = format!("FROM {} WHERE {cond}", quote_ident(table));
    let n = count_where(db, "counting rows for a foreign key to a new table", &from).await?;
    if n > 0 {
        failures.push(Failure {
            check: "orphan rows",
            message: format!(
                "{n} row(s) of {table} set {} but {} is created empty by this plan: foreign key {} \
                 cannot be created until they are NULL or their parent rows exist",
                fk.columns.join(", "),
                fk.ref_table,
                fk.name
            ),
            investigate: format!("SELECT * {from} LIMIT 100"),
        });
    }
    Ok(())
}

async fn orphans(
    db: &mut Db,
    table: &str,
    fk: &ForeignKey,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    let (on, not_null) = join_cond(fk);
    let from = format!(
        "FROM {} c LEFT JOIN {} p ON {on} WHERE {not_null} AND p.{} IS NULL",
        quote_ident(table),
        quote_ident(&fk.ref_table),
        quote_ident(&fk.ref_columns[0])
    );
    let n = count_where(db, "counting orphan rows", &from).await?;
    if n > 0 {
        failures.push(Failure {
            check: "orphan rows",
            message: format!(
                "{n} row(s) of {table} point at missing {} rows: foreign key {} cannot be created",
                fk.ref_table, fk.name
            ),
            investigate: format!("SELECT c.* {from} LIMIT 100"),
        });
    }
    Ok(())
}

async fn truncation(
    db: &mut Db,
    table: &str,
    from: &Column,
    to: &Column,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    let col = quote_ident(&from.name);
    let mut conds = Vec::new();
    if from.nullable && !to.nullable && to.generated.is_none() {
        conds.push((
            format!("{col} IS NULL"),
            "NULL values in a column that becomes NOT NULL".to_string(),
        ));
    }
    if !from.ty.fits_into(&to.ty) {
        if let (Some(_), Some(cap)) = (from.ty.capacity(), to.ty.capacity()) {
            conds.push((
                format!("CHAR_LENGTH({col}) > {cap}"),
                format!("values longer than {cap} characters"),
            ));
        } else if to.ty.is_integer() {
            let (lo, hi) = int_range(&to.ty.name, to.ty.unsigned);
            conds.push((
                format!("({col} < {lo} OR {col} > {hi})"),
                format!("values outside {} range", to.ty),
            ));
        }
    }
    for (cond, what) in conds {
        let q = format!("FROM {} WHERE {cond}", quote_ident(table));
        let n = count_where(db, "looking for values a change would truncate", &q).await?;
        if n > 0 {
            failures.push(Failure {
                check: "truncation",
                message: format!("{table}.{}: {n} row(s) with {what}", from.name),
                investigate: format!("SELECT * {q} LIMIT 100"),
            });
        }
    }
    Ok(())
}

fn int_range(name: &str, unsigned: bool) -> (i128, i128) {
    let bits = match name {
        "tinyint" => 8,
        "smallint" => 16,
        "mediumint" => 24,
        "int" => 32,
        _ => 64,
    };
    if unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

/// Under strict sql_mode a table rebuild re-validates dates; zero dates stop the ALTER half way
/// through a long copy, so look first.
async fn zero_dates(
    db: &mut Db,
    todo: &[&Change],
    live: &Schema,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    let mode = db
        .rows(
            "reading sql_mode",
            "SELECT CAST(@@SESSION.sql_mode AS CHAR)",
            &[],
        )
        .await?;
    let mode = mode.first().and_then(|r| r[0].clone()).unwrap_or_default();
    if !(mode.contains("NO_ZERO_DATE") || mode.contains("STRICT")) {
        return Ok(());
    }
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
        let cols: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| matches!(c.ty.name.as_str(), "date" | "datetime" | "timestamp"))
            .collect();
        if cols.is_empty() {
            continue;
        }
        let cond: Vec<String> = cols
            .iter()
            .map(|c| {
                format!(
                    "CAST({} AS CHAR) LIKE {}",
                    quote_ident(&c.name),
                    quote_string("0000-00-00%")
                )
            })
            .collect();
        let q = format!("FROM {} WHERE {}", quote_ident(t), cond.join(" OR "));
        let n = count_where(db, "looking for zero dates", &q).await?;
        if n > 0 {
            failures.push(Failure {
                check: "zero dates",
                message: format!("{t}: {n} row(s) hold 0000-00-00 dates, which the rebuild rejects under sql_mode {mode}"),
                investigate: format!("SELECT * {q} LIMIT 100"),
            });
        }
    }
    Ok(())
}

/// A column that becomes JSON: MySQL's JSON type and MariaDB's CHECK (json_valid(...)) refuse
/// the rebuild at the first value that is not JSON (serialized PHP from the `array` type, an
/// empty string), so count them first.
async fn invalid_json(
    db: &mut Db,
    table: &str,
    from: &Column,
    to: &Column,
    failures: &mut Vec<Failure>,
) -> Result<(), DbError> {
    // A LONGTEXT that is JSON only by its comment has never been validated either.
    let validated = from.ty.name == "json" && !from.json_as_text;
    if to.ty.name != "json" || to.json_as_text || validated {
        return Ok(());
    }
    let col = quote_ident(&from.name);
    let q = format!(
        "FROM {} WHERE {col} IS NOT NULL AND NOT JSON_VALID({col})",
        quote_ident(table)
    );
    let n = count_where(db, "looking for values that are not JSON", &q).await?;
    if n > 0 {
        failures.push(Failure {
            check: "invalid JSON",
            message: format!(
                "{table}.{}: {n} row(s) hold values that are not JSON; the column becomes JSON",
                from.name
            ),
            investigate: format!("SELECT {col} {q} LIMIT 100"),
        });
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
            let Some((keys, not_null)) = key_expressions(todo, name, now, i) else {
                continue;
            };
            let t = quote_ident(name);
            let filter = if not_null.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", not_null.join(" AND "))
            };
            let (from, investigate) = if keys.is_empty() {
                // Every key part is a new column's default: any two rows collide.
                let from = format!("FROM {t}{filter}");
                (from.clone(), format!("SELECT COUNT(*) {from}"))
            } else {
                let k = keys.join(", ");
                (
                    format!("FROM (SELECT 1 FROM {t}{filter} GROUP BY {k} HAVING COUNT(*) > 1) d"),
                    format!(
                        "SELECT {k}, COUNT(*) FROM {t}{filter} GROUP BY {k} HAVING COUNT(*) > 1 LIMIT 100"
                    ),
                )
            };
            let n =
                count_where(db, "looking for rows a new unique key would reject", &from).await?;
            if (keys.is_empty() && n > 1) || (!keys.is_empty() && n > 0) {
                let what = if keys.is_empty() {
                    format!("{n} rows would all hold the same key")
                } else {
                    format!("{n} key value(s) are shared by several rows")
                };
                failures.push(Failure {
                    check: "duplicates",
                    message: format!("{name}: unique key {}: {what} (error 1062)", i.name),
                    investigate,
                });
            }
        }
    }
    Ok(())
}

/// The key as the planned table will compare it, per part: the live column, converted to its
/// new collation and cut to its new length when the plan changes it; a new column contributes
/// its default (the same on every row, so nothing to group by). `None` when no two rows can
/// collide (a part is a new column defaulting to NULL, which a UNIQUE key never compares).
fn key_expressions(
    todo: &[&Change],
    table: &str,
    now: &crate::schema::Table,
    i: &Index,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut keys = Vec::new();
    let mut not_null = Vec::new();
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
        not_null.push(format!("{q} IS NOT NULL"));
    }
    Some((keys, not_null))
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
        assert!(named.len() >= 10, "{named:?}");
        for n in named {
            assert!(super::CHECKS.contains(&n), "{n} is missing from CHECKS");
        }
    }
}
