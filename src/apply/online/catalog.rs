//! What the catalog shows of an online change's objects: the table, our copy, the swapped-out
//! original, and pt-osc's triggers on them, each judged ours or not by the journal's names and
//! marker (see `names`). Read-only: `swap` and `leftovers` decide, `status` describes.

use super::names::is_our_trigger;
use super::record::Record;
use crate::db::{Db, DbError};

/// One trigger as the catalog shows it: name, event, timing, body.
pub type Trigger = (String, String, String, String);

/// The objects of one online change as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// The table's comment, when the table exists.
    pub table: Option<String>,
    /// The comment of the table under the copy's name, when there is one.
    pub copy: Option<String>,
    /// Whether a table has the swapped-out original's name.
    pub old: bool,
    /// pt-osc's triggers for our copy on the table, and on the table under the old name.
    pub ours_on_table: Vec<String>,
    pub ours_on_old: Vec<String>,
}

impl Seen {
    /// The table is our copy, swapped in (it still carries the marker).
    pub fn table_is_copy(&self, r: &Record) -> bool {
        self.table.as_deref() == Some(r.names.marker.as_str())
    }

    /// The table under the copy's name is ours (it carries the marker).
    pub fn copy_is_ours(&self, r: &Record) -> bool {
        self.copy.as_deref() == Some(r.names.marker.as_str())
    }

    /// The table under the old name is the original we renamed away: the only way it can carry
    /// all three of pt-osc's triggers for our copy is that they moved with it in our RENAME.
    pub fn old_is_ours(&self) -> bool {
        self.old && self.ours_on_old.len() == 3
    }
}

pub async fn read(db: &mut Db, r: &Record) -> Result<Seen, DbError> {
    let n = &r.names;
    let comments = comments(db, &[&n.table, &n.copy, &n.old]).await?;
    let comment = |name: &str| {
        comments
            .iter()
            .find(|(t, _)| t == name)
            .map(|(_, c)| c.clone())
    };
    let database = db.database.clone();
    let ours = |triggers: Vec<Trigger>| -> Vec<String> {
        triggers
            .into_iter()
            .filter(|(name, event, timing, body)| {
                is_our_trigger(&database, &n.table, &n.copy, (name, event, timing, body))
            })
            .map(|t| t.0)
            .collect()
    };
    Ok(Seen {
        table: comment(&n.table),
        copy: comment(&n.copy),
        old: comment(&n.old).is_some(),
        ours_on_table: ours(triggers_on(db, &n.table).await?),
        ours_on_old: ours(triggers_on(db, &n.old).await?),
    })
}

/// (name, comment) of those of `names` that exist, compared exactly (the catalog's own
/// comparison may ignore case).
async fn comments(db: &mut Db, names: &[&str]) -> Result<Vec<(String, String)>, DbError> {
    let marks = vec!["?"; names.len()].join(", ");
    let rows = db
        .rows(
            "looking for the online change's tables",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_COMMENT AS CHAR) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({marks})"
            ),
            names,
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r[0].clone()?, r[1].clone().unwrap_or_default())))
        .filter(|(t, _)| names.contains(&t.as_str()))
        .collect())
}

/// The table's comment (`None`: no such table).
pub async fn table_comment(db: &mut Db, table: &str) -> Result<Option<String>, DbError> {
    Ok(comments(db, &[table])
        .await?
        .into_iter()
        .next()
        .map(|(_, c)| c))
}

/// Every trigger on a table.
pub async fn triggers_on(db: &mut Db, table: &str) -> Result<Vec<Trigger>, DbError> {
    let rows = db
        .rows(
            "reading the table's triggers",
            "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_MANIPULATION AS CHAR), CAST(ACTION_TIMING AS CHAR), \
             CAST(ACTION_STATEMENT AS CHAR), CAST(EVENT_OBJECT_TABLE AS CHAR) \
             FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? ORDER BY TRIGGER_NAME",
            &[table],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r[4].as_deref() == Some(table))
        .filter_map(|r| {
            Some((
                r[0].clone()?,
                r[1].clone()?,
                r[2].clone()?,
                r[3].clone().unwrap_or_default(),
            ))
        })
        .collect())
}
