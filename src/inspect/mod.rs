//! Reading a live schema from information_schema with a constant number of queries for the
//! whole database (one per object kind), never one per table.

use std::collections::BTreeMap;

use crate::db::{Db, DbError};
use crate::dialect::{Flavor, ServerInfo, normalize_schema};
use crate::schema::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Generated, Index, IndexKind,
    IndexPart, Schema, Table, canonical::charset_of_collation,
};
use crate::sql::parse_column_type;

/// A live schema and what was learnt reading it.
#[derive(Debug)]
pub struct Inspected {
    pub schema: Schema,
    pub server: ServerInfo,
    /// Catalog queries issued for this inspection.
    pub queries: u32,
    /// Views and other non-table objects, listed but not compared.
    pub views: Vec<String>,
    /// Triggers, routines, events and table partitioning: out of scope for Mautic (it creates
    /// none), named so that "in sync" never silently covers them.
    pub not_compared: Vec<String>,
    /// Tables outside the inspected prefix: named only, never read (see `inspect_scoped`).
    pub outside: Vec<String>,
}

type Rows = Vec<Vec<Option<String>>>;

fn s(row: &[Option<String>], i: usize) -> &str {
    row.get(i).and_then(|v| v.as_deref()).unwrap_or("")
}

fn opt(row: &[Option<String>], i: usize) -> Option<&str> {
    row.get(i).and_then(|v| v.as_deref())
}

/// Inspect every table of the connected database. The result is normalized.
/// A user with only SELECT sees a foreign key's columns but not its rules (MariaDB and MySQL
/// hide REFERENTIAL_CONSTRAINTS and TABLE_CONSTRAINTS rows from it): every ON DELETE rule would
/// look missing, and the plan would rebuild every foreign key. Refuse with what to grant
/// instead of reporting drift that is not there.
fn rules_visible(fks: &Rows, rules: &Rows, database: &str) -> Result<(), DbError> {
    let key = |r: &Vec<Option<String>>| (r[0].clone(), r[1].clone());
    let seen: std::collections::HashSet<_> = rules.iter().map(key).collect();
    let mut hidden: Vec<String> = fks
        .iter()
        .filter(|r| !seen.contains(&key(r)))
        .map(|r| {
            format!(
                "{}.{}",
                r[0].as_deref().unwrap_or("?"),
                r[1].as_deref().unwrap_or("?")
            )
        })
        .collect();
    hidden.dedup();
    if hidden.is_empty() {
        return Ok(());
    }
    Err(DbError::Query {
        doing: "reading foreign-key rules".into(),
        reason: format!(
            "this user cannot see the rules of {} foreign key(s) (e.g. {}): information_schema.REFERENTIAL_CONSTRAINTS hides them from a user with only SELECT. \
             Grant one more privilege on the database (e.g. GRANT REFERENCES ON `{}`.* TO the user) or use the install's own user; nothing was compared",
            hidden.len(),
            crate::text::one_line(&hidden[0]),
            database.replace('`', "``")
        ),
        code: None,
    })
}

pub async fn inspect(db: &mut Db) -> Result<Inspected, DbError> {
    inspect_scoped(db, "").await
}

/// `prefix` as a LIKE pattern matching the names that start with it.
fn like_prefix(prefix: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + 2);
    for c in prefix.chars() {
        if matches!(c, '\\' | '%' | '_') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Inspect the tables whose names start with `prefix` (all of them for an empty prefix). The
/// cost follows the install, not the database: on a host where one database holds the tables
/// of many installs, the catalog views are asked only for this install's tables (MariaDB and
/// MySQL test a condition on TABLE_NAME before they open a table), and the other tables are
/// only named, by one query that opens none of them.
pub async fn inspect_scoped(db: &mut Db, prefix: &str) -> Result<Inspected, DbError> {
    let before = db.queries;
    let schema_name = db.database.clone();
    let like = like_prefix(prefix);
    let scoped = !prefix.is_empty();
    let bind_all = [schema_name.as_str(), like.as_str()];
    let bind: &[&str] = if scoped { &bind_all } else { &bind_all[..1] };
    let only = |col: &str| {
        if scoped {
            format!(" AND {col} LIKE ?")
        } else {
            String::new()
        }
    };
    let outside = if scoped {
        db.rows(
            "listing the tables of other installs",
            "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME NOT LIKE ?",
            bind,
        )
        .await?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect()
    } else {
        Vec::new()
    };
    let tables = db
        .rows(
            "listing tables",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR), CAST(ENGINE AS CHAR), \
                 CAST(TABLE_COLLATION AS CHAR), CAST(CREATE_OPTIONS AS CHAR), CAST(TABLE_COMMENT AS CHAR) \
                 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?{}",
                only("TABLE_NAME")
            ),
            bind,
        )
        .await?;
    let columns = db
        .rows(
            "reading columns",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), \
             CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_TYPE AS CHAR), CAST(COLLATION_NAME AS CHAR), \
             CAST(EXTRA AS CHAR), CAST(COLUMN_COMMENT AS CHAR), CAST(GENERATION_EXPRESSION AS CHAR) \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?{} ORDER BY TABLE_NAME, ORDINAL_POSITION",
                only("TABLE_NAME")
            ),
            bind,
        )
        .await?;
    let stats = db
        .rows(
            "reading indexes",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS CHAR), \
             CAST(COLUMN_NAME AS CHAR), CAST(SUB_PART AS CHAR), CAST(INDEX_TYPE AS CHAR), \
             CAST(COLLATION AS CHAR), CAST(INDEX_COMMENT AS CHAR) \
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?{} \
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                only("TABLE_NAME")
            ),
            bind,
        )
        .await?;
    // Foreign-key columns and their rules come from two views; joining them on the server costs
    // more than both queries together, so they are joined here.
    let fks = db
        .rows(
            "reading foreign keys",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), \
             CAST(REFERENCED_TABLE_NAME AS CHAR), CAST(REFERENCED_COLUMN_NAME AS CHAR) \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = ?{} AND REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
                only("TABLE_NAME")
            ),
            bind,
        )
        .await?;
    let rules = db
        .rows(
            "reading foreign-key rules",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(UPDATE_RULE AS CHAR), CAST(DELETE_RULE AS CHAR) \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?{}",
                only("TABLE_NAME")
            ),
            bind,
        )
        .await?;
    rules_visible(&fks, &rules, &db.database)?;
    let checks = if db.server.has_check_constraints_view() {
        let sql = match db.server.flavor {
            // LEVEL (10.5.10+) tells a column's own check from a table's.
            Flavor::MariaDb => format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR), {} \
                 FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?{}",
                if db.server.has(crate::dialect::Feature::CheckConstraintLevel) {
                    "CAST(LEVEL AS CHAR)"
                } else {
                    "NULL"
                },
                only("TABLE_NAME")
            ),
            Flavor::MySql => format!(
                "SELECT CAST(t.TABLE_NAME AS CHAR), CAST(c.CONSTRAINT_NAME AS CHAR), CAST(c.CHECK_CLAUSE AS CHAR) \
                 FROM information_schema.CHECK_CONSTRAINTS c JOIN information_schema.TABLE_CONSTRAINTS t \
                   ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME \
                  AND t.CONSTRAINT_TYPE = 'CHECK' WHERE c.CONSTRAINT_SCHEMA = ?{}",
                only("t.TABLE_NAME")
            ),
        };
        db.rows("reading check constraints", &sql, bind).await?
    } else {
        Vec::new()
    };
    let mut not_compared = programs(db, &only, bind).await?;
    not_compared.extend(partitioned(&tables));
    let server = db.server.clone();
    let (mut schema, views) = assemble(&server, tables, columns, stats, fks, rules, checks);
    normalize_schema(&mut schema, &server);
    Ok(Inspected {
        schema,
        server,
        queries: db.queries - before,
        views,
        not_compared,
        outside,
    })
}

/// Triggers (of the inspected tables), stored routines and events of the database, in one
/// query: the schema comparison does not cover them.
async fn programs(
    db: &mut Db,
    only: &dyn Fn(&str) -> String,
    bind: &[&str],
) -> Result<Vec<String>, DbError> {
    let sql = format!(
        "SELECT CAST(CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE) AS CHAR) \
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?{} \
         UNION ALL SELECT CAST(CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) AS CHAR) \
         FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? \
         UNION ALL SELECT CAST(CONCAT('event ', EVENT_NAME) AS CHAR) \
         FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?",
        only("EVENT_OBJECT_TABLE")
    );
    let schema = bind[0];
    let mut binds = bind.to_vec();
    binds.extend([schema, schema]);
    let rows = db
        .rows("listing triggers, routines and events", &sql, &binds)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// Tables whose CREATE_OPTIONS say `partitioned`.
fn partitioned(tables: &Rows) -> Vec<String> {
    tables
        .iter()
        .filter(|r| {
            s(r, 4)
                .split_whitespace()
                .any(|o| o.eq_ignore_ascii_case("partitioned"))
        })
        .map(|r| format!("partitioning of table {}", s(r, 0)))
        .collect()
}

fn assemble(
    server: &ServerInfo,
    tables: Rows,
    columns: Rows,
    stats: Rows,
    fks: Rows,
    rules: Rows,
    checks: Rows,
) -> (Schema, Vec<String>) {
    let rule_of: std::collections::HashMap<(&str, &str), (&str, &str)> = rules
        .iter()
        .map(|r| ((s(r, 0), s(r, 1)), (s(r, 2), s(r, 3))))
        .collect();
    let mut map: BTreeMap<String, Table> = BTreeMap::new();
    let mut views = Vec::new();
    for r in &tables {
        let name = s(r, 0).to_string();
        if !matches!(s(r, 1), "BASE TABLE" | "SYSTEM VERSIONED") {
            views.push(name);
            continue;
        }
        let mut t = Table::new(name.clone());
        t.options.engine = opt(r, 2).map(str::to_string);
        if let Some(coll) = opt(r, 3) {
            t.options.collation = Some(coll.to_string());
            t.options.charset = Some(charset_of_collation(coll).to_string());
        }
        t.options.row_format = s(r, 4).split_whitespace().find_map(|o| {
            o.to_ascii_lowercase()
                .strip_prefix("row_format=")
                .map(str::to_ascii_uppercase)
        });
        t.options.comment = s(r, 5).to_string();
        map.insert(name, t);
    }
    for r in &columns {
        let Some(t) = map.get_mut(s(r, 0)) else {
            continue;
        };
        match column_from_row(server, r) {
            Ok(c) => t.columns.push(c),
            Err(e) => {
                t.unsupported
                    .get_or_insert(format!("column {}: {e}", s(r, 1)));
            }
        }
    }
    for r in &stats {
        let Some(t) = map.get_mut(s(r, 0)) else {
            continue;
        };
        let name = s(r, 1);
        let Some(column) = opt(r, 3) else {
            t.unsupported
                .get_or_insert(format!("index {name} has an expression part"));
            continue;
        };
        let part = IndexPart {
            column: column.to_string(),
            // A SPATIAL index shows SUB_PART 32 (its bounding-box length): not a prefix.
            prefix: opt(r, 4)
                .filter(|_| s(r, 5) != "SPATIAL")
                .and_then(|p| p.parse().ok()),
            descending: s(r, 6) == "D",
        };
        if let Some(idx) = t.indexes.iter_mut().find(|i| i.name == name) {
            idx.parts.push(part);
            continue;
        }
        let kind = if name == "PRIMARY" {
            IndexKind::Primary
        } else if s(r, 5) == "FULLTEXT" {
            IndexKind::Fulltext
        } else if s(r, 5) == "SPATIAL" {
            IndexKind::Spatial
        } else if s(r, 2) == "0" {
            IndexKind::Unique
        } else {
            IndexKind::Plain
        };
        t.indexes.push(Index {
            name: name.to_string(),
            kind,
            parts: vec![part],
            comment: s(r, 7).to_string(),
        });
    }
    for r in &fks {
        let Some(t) = map.get_mut(s(r, 0)) else {
            continue;
        };
        let name = s(r, 1);
        if let Some(fk) = t.foreign_keys.iter_mut().find(|f| f.name == name) {
            fk.columns.push(s(r, 2).to_string());
            fk.ref_columns.push(s(r, 4).to_string());
            continue;
        }
        t.foreign_keys.push(ForeignKey {
            name: name.to_string(),
            columns: vec![s(r, 2).to_string()],
            ref_table: s(r, 3).to_string(),
            ref_columns: vec![s(r, 4).to_string()],
            on_update: rule_of
                .get(&(s(r, 0), name))
                .and_then(|r| FkAction::parse(r.0))
                .unwrap_or(FkAction::Restrict),
            on_delete: rule_of
                .get(&(s(r, 0), name))
                .and_then(|r| FkAction::parse(r.1))
                .unwrap_or(FkAction::Restrict),
        });
    }
    for r in &checks {
        let Some(t) = map.get_mut(s(r, 0)) else {
            continue;
        };
        let name = s(r, 1);
        if s(r, 3) == "Column"
            && let Some(col) = t.column_mut(name)
        {
            col.check = Some(s(r, 2).to_string());
            continue;
        }
        t.checks.push(Check {
            name: name.to_string(),
            expr: s(r, 2).to_string(),
        });
    }
    let mut schema = Schema::default();
    for (_, t) in map {
        schema.insert(t);
    }
    (schema, views)
}

fn column_from_row(server: &ServerInfo, r: &[Option<String>]) -> Result<Column, String> {
    let ty: ColumnType = parse_column_type(s(r, 4))?;
    let extra = s(r, 6).to_ascii_lowercase();
    let mut col = Column::new(s(r, 1), ty);
    col.nullable = s(r, 3) == "YES";
    col.collation = opt(r, 5).map(str::to_string);
    col.auto_increment = extra.contains("auto_increment");
    col.comment = s(r, 7).to_string();
    if let Some(pos) = extra.find("on update ") {
        let rest = &s(r, 6)[pos + "on update ".len()..];
        col.on_update = Some(rest.split_whitespace().next().unwrap_or(rest).to_string());
    }
    if extra.contains("generated") && !extra.contains("default_generated") {
        col.generated = Some(Generated {
            expr: s(r, 8).to_string(),
            stored: extra.contains("stored") || extra.contains("persistent"),
        });
    }
    col.default = column_default(server, opt(r, 2), &extra, &col);
    Ok(col)
}

/// information_schema.COLUMNS.COLUMN_DEFAULT differs between servers: MariaDB 10.2.7+ quotes
/// string literals and writes `NULL` for DEFAULT NULL; MySQL writes literals bare and marks
/// expressions with `DEFAULT_GENERATED` in EXTRA.
fn column_default(
    server: &ServerInfo,
    raw: Option<&str>,
    extra: &str,
    col: &Column,
) -> Option<DefaultValue> {
    let raw = raw?;
    match server.flavor {
        Flavor::MariaDb if server.has(crate::dialect::Feature::QuotedColumnDefaults) => {
            if raw == "NULL" {
                Some(DefaultValue::Null)
            } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                Some(DefaultValue::Literal(unquote_mariadb(inner)))
            } else if raw.parse::<f64>().is_ok() {
                Some(DefaultValue::Literal(raw.to_string()))
            } else {
                Some(DefaultValue::Expression(raw.to_string()))
            }
        }
        _ => {
            let is_time = matches!(col.ty.name.as_str(), "datetime" | "timestamp");
            if extra.contains("default_generated")
                || (is_time && raw.to_ascii_uppercase().starts_with("CURRENT_TIMESTAMP"))
            {
                Some(DefaultValue::Expression(raw.to_string()))
            } else {
                Some(DefaultValue::Literal(raw.to_string()))
            }
        }
    }
}

/// MariaDB writes a quoted default with `''` for a quote and backslash escapes.
fn unquote_mariadb(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some('Z') => out.push('\x1a'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// Every foreign-key name of the database with its table, whatever the prefix: InnoDB's
/// constraint names are unique database-wide, so a table of another install (or a renamed
/// copy) can hold the name a migration's key needs (errno 121). One query; KEY_COLUMN_USAGE
/// shows the keys to a user with only SELECT.
pub async fn foreign_key_names(db: &mut Db) -> Result<Vec<(String, String)>, DbError> {
    let rows = db
        .rows(
            "reading the database's foreign-key names",
            "SELECT DISTINCT CAST(CONSTRAINT_NAME AS CHAR), CAST(TABLE_NAME AS CHAR) \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL",
            &[],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone()?, r.get(1)?.clone()?)))
        .collect())
}
