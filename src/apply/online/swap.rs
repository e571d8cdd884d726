//! The swap after pt-osc's copy, journalled so that a kill at any point is finished by the
//! rerun from the surviving copy, and the copy's removal when there is to be no swap.
//!
//! pt-osc leaves our copy complete and kept in sync by its triggers. A table nothing
//! references is swapped atomically (`RENAME TABLE t TO old, copy TO t`: clients never see it
//! missing); the original, with pt-osc's triggers, is dropped under its old name afterwards. A
//! referenced table cannot be: InnoDB makes the children's foreign keys (and the copy's own,
//! for a table referencing itself) follow a renamed parent. So, as pt-osc's `drop_swap`, with
//! foreign_key_checks=0 the original is dropped (its triggers with it) and the copy renamed
//! into its place; the keys name the table, so they find the copy. For that instant queries on
//! the table fail rather than wait; no child table is touched. Last, one metadata-only ALTER
//! gives the table back its foreign-key names, drops the copy's temporary defaults and puts
//! its comment in place of our marker.
//!
//! [`complete`] looks at the catalog before each step and takes the next one, so the same code
//! runs right after the copy and in a rerun after a kill anywhere in between: it never drops a
//! table that is not provably ours, and never drops the copy once the original is gone.

use super::catalog::{self, Seen};
use super::fk_names;
use super::record::{self, Entry, Phase, Record};
use crate::apply::interrupt::pause_point;
use crate::db::{Db, DbError};
use crate::schema::{quote_ident, quote_string};

/// Whether a foreign key references this table (from another table, or from itself).
pub async fn is_parent(db: &mut Db, table: &str) -> Result<bool, DbError> {
    let value = db
        .value(
            "looking for foreign keys that reference the table",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.KEY_COLUMN_USAGE \
             WHERE REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ?",
            &[table],
        )
        .await?;
    Ok(value.as_deref().unwrap_or("0") != "0")
}

/// Whether the table has a primary key or a unique index (pt-osc needs one).
pub async fn has_unique_key(db: &mut Db, table: &str) -> Result<bool, DbError> {
    let value = db
        .value(
            "looking for a unique key",
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0",
            &[table],
        )
        .await?;
    Ok(value.as_deref().unwrap_or("0") != "0")
}

/// Run statements with foreign_key_checks=0, restoring it whatever happens.
async fn unchecked(db: &mut Db, sql: &[String]) -> Result<(), DbError> {
    db.execute("SET SESSION foreign_key_checks = 0").await?;
    let mut r = Ok(0);
    for s in sql {
        r = db.execute(s).await;
        if r.is_err() {
            break;
        }
    }
    db.execute("SET SESSION foreign_key_checks = 1").await?;
    r.map(|_| ())
}

/// The next thing to do for a change whose copy was complete (phase `Copied` or later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Put the copy in place of the original (RENAME both, or drop the original).
    Swap,
    /// The original is gone (dropped by a parent's swap): rename the copy into its place.
    RenameCopy,
    /// Drop the original, renamed away by the swap.
    DropOld,
    /// Give the swapped-in copy its names, defaults and comment.
    Finish,
    /// The copy is no longer kept in sync (its triggers are gone) and the original is intact:
    /// remove what is ours, the table stays as it was.
    Discard,
    /// Nothing of ours can stand in for the table: touch nothing, say what is there.
    Lost(String),
}

/// The step to take, from what the catalog shows and how far the journal says the change got.
pub fn next(seen: &Seen, r: &Record, phase: Phase) -> Next {
    let (t, c, o) = (&r.names.table, &r.names.copy, &r.names.old);
    match (
        seen.table.is_some(),
        seen.table_is_copy(r),
        seen.copy_is_ours(r),
    ) {
        // Our three triggers on it prove the table is the original, and the copy current.
        (true, false, true) if seen.ours_on_table.len() == 3 => Next::Swap,
        // Before the swap the table is the original (no swap statement has run): the copy,
        // no longer kept in sync, goes.
        (true, false, true) if phase < Phase::Swapping => Next::Discard,
        // Once the swap has begun the copy may be the only one left: a table under the name
        // without our triggers was made by someone else (a CREATE TABLE that `diff` offered
        // for the "missing" table, say). Never drop the copy for it.
        (true, false, true) => Next::Lost(format!(
            "`{t}` is not the original (it has none of this change's triggers) and the complete copy `{c}` \
             holds the rows: nothing was touched. If `{t}` was created after the interruption, check it holds \
             nothing of value, drop it, and rerun: the copy is then renamed into place"
        )),
        (false, _, true) => Next::RenameCopy,
        (true, true, true) => Next::Lost(format!(
            "both `{t}` and `{c}` carry this change's mark; neither is touched"
        )),
        (true, true, false) if seen.old_is_ours() => Next::DropOld,
        // The swap had not begun, and the copy is gone: only our triggers are left to remove.
        (true, false, false) if phase < Phase::Swapping => Next::Discard,
        (true, _, false) => Next::Finish,
        (false, _, false) => Next::Lost(format!(
            "`{t}` is missing and `{c}` is not our copy{}: restore `{t}` from the backup",
            if seen.old {
                format!(" (`{o}` is there but not recognised as ours)")
            } else {
                String::new()
            }
        )),
    }
}

/// Take the change from a complete copy to its end. `lines` gets one line per step taken.
pub async fn complete(db: &mut Db, e: &Entry, lines: &mut Vec<String>) -> Result<Phase, DbError> {
    let mut phase = e.phase;
    // Each step changes what the catalog shows; a handful is the longest path.
    for _ in 0..8 {
        let seen = catalog::read(db, &e.record).await?;
        let step = next(&seen, &e.record, phase);
        if matches!(step, Next::Swap | Next::RenameCopy | Next::DropOld) && phase < Phase::Swapping
        {
            phase = Phase::Swapping;
            record::set_phase(db, e.run_id, e.step, phase).await?;
        }
        match step {
            Next::Swap => swap(db, &e.record, lines).await?,
            Next::RenameCopy => rename_copy(db, &e.record, lines).await?,
            Next::DropOld => drop_old(db, &e.record, lines).await?,
            Next::Finish => {
                record::set_phase(db, e.run_id, e.step, Phase::Finishing).await?;
                finish(db, &e.record, &seen, lines).await?;
                pause_point("after-finish").await;
                record::set_phase(db, e.run_id, e.step, Phase::Done).await?;
                return Ok(Phase::Done);
            }
            Next::Discard => {
                discard(db, &e.record, &seen, false, lines).await?;
                record::set_phase(db, e.run_id, e.step, Phase::Removed).await?;
                return Ok(Phase::Removed);
            }
            Next::Lost(why) => return Err(lost(&e.record, why)),
        }
    }
    Err(lost(&e.record, "the swap did not settle".into()))
}

fn lost(r: &Record, why: String) -> DbError {
    DbError::Query {
        doing: format!("finishing the online change of `{}`", r.names.table),
        reason: why,
        code: None,
    }
}

async fn swap(db: &mut Db, r: &Record, lines: &mut Vec<String>) -> Result<(), DbError> {
    let (t, c, o) = (
        quote_ident(&r.names.table),
        quote_ident(&r.names.copy),
        quote_ident(&r.names.old),
    );
    // Fresh statistics before the optimizer sees the copy (pt-osc does the same).
    db.rows("analyzing the copy", &format!("ANALYZE TABLE {c}"), &[])
        .await?;
    if r.parent {
        unchecked(db, &[format!("DROP TABLE {t}")]).await?;
        lines.push(format!(
            "dropped the original `{}` (its copy is complete)",
            r.names.table
        ));
        pause_point("after-drop-original").await;
    } else {
        db.execute(&format!("RENAME TABLE {t} TO {o}, {c} TO {t}"))
            .await?;
        lines.push(format!(
            "swapped in the copy; the original is `{}`",
            r.names.old
        ));
        pause_point("after-swap-rename").await;
    }
    Ok(())
}

async fn rename_copy(db: &mut Db, r: &Record, lines: &mut Vec<String>) -> Result<(), DbError> {
    let (t, c) = (quote_ident(&r.names.table), quote_ident(&r.names.copy));
    unchecked(db, &[format!("RENAME TABLE {c} TO {t}")]).await?;
    lines.push(format!(
        "renamed the complete copy `{}` to `{}`",
        r.names.copy, r.names.table
    ));
    pause_point("after-rename-copy").await;
    Ok(())
}

async fn drop_old(db: &mut Db, r: &Record, lines: &mut Vec<String>) -> Result<(), DbError> {
    unchecked(db, &[format!("DROP TABLE {}", quote_ident(&r.names.old))]).await?;
    lines.push(format!("dropped the original, renamed `{}`", r.names.old));
    pause_point("after-drop-old").await;
    Ok(())
}

/// One metadata-only ALTER for what is left to put right on the swapped-in copy (nothing when
/// a kill came after it): foreign-key names pt-osc changed, temporary defaults, the comment.
async fn finish(
    db: &mut Db,
    r: &Record,
    seen: &Seen,
    lines: &mut Vec<String>,
) -> Result<(), DbError> {
    let t = &r.names.table;
    drop_triggers(db, &seen.ours_on_table, lines, t).await?;
    let (mut clauses, renamed) = fk_names::restore_clauses(db, t, &r.fks_before).await?;
    for col in with_default(db, t, &r.fills).await? {
        clauses.push(format!("ALTER COLUMN {} DROP DEFAULT", quote_ident(&col)));
        lines.push(format!("dropped the temporary default of `{col}`"));
    }
    if seen.table_is_copy(r) {
        clauses.push(format!("COMMENT = {}", quote_string(&r.final_comment)));
    }
    if clauses.is_empty() {
        return Ok(());
    }
    unchecked(
        db,
        &[format!(
            "ALTER TABLE {} {}, ALGORITHM=INPLACE, LOCK=NONE",
            quote_ident(t),
            clauses.join(", ")
        )],
    )
    .await?;
    if !renamed.is_empty() {
        lines.push(format!(
            "foreign key names restored: {}",
            renamed.join(", ")
        ));
    }
    Ok(())
}

/// Those of `columns` that have a default now.
async fn with_default(
    db: &mut Db,
    table: &str,
    columns: &[String],
) -> Result<Vec<String>, DbError> {
    let mut out = Vec::new();
    for col in columns {
        let value = db
            .value(
                "reading a column's default",
                "SELECT CAST(COLUMN_DEFAULT IS NOT NULL AS CHAR) FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
                &[table, col],
            )
            .await?;
        if value.as_deref() == Some("1") {
            out.push(col.clone());
        }
    }
    Ok(out)
}

async fn drop_triggers(
    db: &mut Db,
    names: &[String],
    lines: &mut Vec<String>,
    on: &str,
) -> Result<(), DbError> {
    for t in names {
        db.execute(&format!("DROP TRIGGER IF EXISTS {}", quote_ident(t)))
            .await?;
        lines.push(format!("dropped trigger {t} on `{on}`"));
    }
    Ok(())
}

/// Give the change up before the swap: pt-osc's triggers for our copy first (they write every
/// change of the table into the copy), then the copy when it is ours (it carries the marker, or
/// `created`: pt-osc said it created it in this very run). The table itself is never touched.
pub async fn discard(
    db: &mut Db,
    r: &Record,
    seen: &Seen,
    created: bool,
    lines: &mut Vec<String>,
) -> Result<(), DbError> {
    drop_triggers(db, &seen.ours_on_table, lines, &r.names.table).await?;
    if seen.copy.is_some() && (seen.copy_is_ours(r) || created) {
        unchecked(db, &[format!("DROP TABLE {}", quote_ident(&r.names.copy))]).await?;
        lines.push(format!("dropped the unfinished copy `{}`", r.names.copy));
    } else if seen.copy.is_some() {
        lines.push(format!(
            "left `{}`: it has this change's name but not its mark, so it is not known to be ours",
            r.names.copy
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::online::names::Names;

    fn record(parent: bool) -> Record {
        Record {
            names: Names::new("t", "00000001"),
            parent,
            final_comment: String::new(),
            fills: vec![],
            fks_before: vec![],
        }
    }

    fn seen(table: Option<&str>, copy: Option<&str>, old: bool, on_t: usize, on_o: usize) -> Seen {
        Seen {
            table: table.map(String::from),
            copy: copy.map(String::from),
            old,
            ours_on_table: vec!["x".into(); on_t],
            ours_on_old: vec!["x".into(); on_o],
        }
    }

    /// Every point a kill can leave the swap at, and what the rerun does there.
    #[test]
    fn each_point_of_the_swap_has_one_next_step() {
        let r = record(false);
        let m = r.names.marker.as_str();
        let cases = [
            // Copied, not swapped: swap (only while the triggers keep the copy in sync).
            (
                seen(Some(""), Some(m), false, 3, 0),
                Phase::Copied,
                Next::Swap,
            ),
            (
                seen(Some(""), Some(m), false, 2, 0),
                Phase::Copied,
                Next::Discard,
            ),
            // A parent's original dropped, the copy not yet renamed: rename it, never drop it.
            (
                seen(None, Some(m), false, 0, 0),
                Phase::Swapping,
                Next::RenameCopy,
            ),
            // RENAME done: the original (with our triggers) is under the old name.
            (
                seen(Some(m), None, true, 0, 3),
                Phase::Swapping,
                Next::DropOld,
            ),
            // A look-alike under the old name: left, the swap finished.
            (
                seen(Some(m), None, true, 0, 0),
                Phase::Swapping,
                Next::Finish,
            ),
            (
                seen(Some(m), None, false, 0, 0),
                Phase::Swapping,
                Next::Finish,
            ),
            // The final ALTER ran (marker gone): nothing but the journal to close.
            (
                seen(Some(""), None, false, 0, 0),
                Phase::Finishing,
                Next::Finish,
            ),
            // A copy that is not ours (no marker) never stands in for the table.
            (
                seen(Some(""), Some("x"), false, 3, 0),
                Phase::Copied,
                Next::Discard,
            ),
        ];
        for (s, phase, want) in cases {
            assert_eq!(next(&s, &r, phase), want, "{s:?} {phase:?}");
        }
        for (s, phase) in [
            // Neither the table nor a copy of ours.
            (seen(None, Some("x"), true, 0, 0), Phase::Swapping),
            // A parent's original dropped, then a table created under its name by hand: the
            // copy holds the rows and is never dropped for it.
            (seen(Some(""), Some(m), false, 0, 0), Phase::Swapping),
            (seen(Some(""), Some(m), false, 0, 0), Phase::Finishing),
        ] {
            assert!(
                matches!(next(&s, &r, phase), Next::Lost(_)),
                "{s:?} {phase:?}"
            );
        }
    }
}
