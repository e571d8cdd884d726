//! One line of preflight's verdict, and the checks that need neither the server nor the path's
//! statements: the server version a release requires, the inserts a NOT NULL column outside
//! the release stops, and what a dump cannot tell.

use crate::mautic::release::Release;
use crate::schema::quote_ident;

/// The server versions a release requires (`release_metadata.json`'s `minimum_mysql_version` and
/// `minimum_mariadb_version`, present from 4.2.0; FACTS §server requirements).
type Version = (u32, u32, u32);

/// (from release, MySQL minimum, MariaDB minimum).
const MINIMUMS: &[(Version, Version, Version)] = &[((4, 2, 0), (5, 7, 14), (10, 2, 7))];

/// One line of the verdict: a check, how it went, why, and the query that shows what is in
/// the way.
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub message: String,
    pub investigate: String,
}

impl Check {
    pub(super) fn ok(name: &'static str, message: String) -> Check {
        Check {
            name,
            status: Status::Ok,
            message,
            investigate: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warning,
    Blocker,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Blocker => "BLOCKER",
        }
    }
}

/// The server version X requires, against this server's.
pub(super) fn server_version(server: &crate::dialect::ServerInfo, to: Release) -> Check {
    let Some((_, mysql, maria)) = MINIMUMS
        .iter()
        .rev()
        .find(|(from, _, _)| Release(from.0, from.1, from.2) <= to)
    else {
        return Check::ok(
            "server version",
            format!("{to} names no minimum server version"),
        );
    };
    let maria_db = server.flavor == crate::dialect::Flavor::MariaDb;
    let need = if maria_db { *maria } else { *mysql };
    Check {
        name: "server version",
        status: if server.version >= need {
            Status::Ok
        } else {
            Status::Blocker
        },
        message: format!(
            "{to} needs {} {}.{}.{} or newer; this server is {}",
            if maria_db { "MariaDB" } else { "MySQL" },
            need.0,
            need.1,
            need.2,
            server.version_string
        ),
        investigate: String::new(),
    }
}

/// Columns the release does not know that are NOT NULL without a default once Mautic's
/// migrations ran (`after`, the path's end: a column a pending migration drops is not there):
/// Mautic's INSERTs do not name them, so under a strict sql_mode every insert into the table
/// fails (error 1364, "Field doesn't have a default value"); the upgrade keeps them (nothing of
/// the user's is dropped), so they must get a default or allow NULL first.
pub(super) fn inserts(after: &crate::schema::Schema, reference: &crate::schema::Schema) -> Check {
    let mut found = Vec::new();
    for (name, live) in &after.tables {
        let Some(target) = reference.tables.get(name) else {
            continue;
        };
        for c in &live.columns {
            let blocks = !c.nullable
                && c.default.is_none()
                && !c.auto_increment
                && c.generated.is_none()
                && target.column(&c.name).is_none();
            if blocks {
                found.push((name.clone(), c.name.clone()));
            }
        }
    }
    if found.is_empty() {
        return Check::ok(
            "inserts",
            "no column outside the release stops Mautic's inserts".into(),
        );
    }
    let list: Vec<String> = found.iter().map(|(t, c)| format!("{t}.{c}")).collect();
    let (t, c) = &found[0];
    Check {
        name: "inserts",
        status: Status::Blocker,
        message: format!(
            "{} column(s) outside the release are NOT NULL without a default, so Mautic's inserts fail with error 1364: {}",
            found.len(),
            list.join(", ")
        ),
        investigate: format!(
            "SHOW CREATE TABLE {}; then give it a default (ALTER TABLE {} ALTER COLUMN {} SET DEFAULT ...) or allow NULL (ALTER TABLE ... MODIFY ... NULL)",
            quote_ident(t),
            quote_ident(t),
            quote_ident(c)
        ),
    }
}

/// A dump has the schema alone: what needs rows or a server is said not run, never passed.
pub(super) fn not_run_on_a_dump() -> Vec<Check> {
    let not_run = |name: &'static str, what: &str| Check {
        name,
        status: Status::Warning,
        message: format!(
            "not run: {what} (a dump is judged on its schema alone; run preflight on the server for it)"
        ),
        investigate: String::new(),
    };
    vec![
        not_run("rows", "no row was checked"),
        not_run("rehearsal", "no statement was rehearsed on a server"),
        not_run("disk", "the server's free space is unknown"),
    ]
}
