//! Two normalized schemas in, a list of typed changes out. Pure: no I/O, no SQL text (the
//! planner and the renderers turn changes into statements).

mod change;
mod checks;
mod columns;
mod fk_compat;
mod order;

pub use change::{Change, ChangeKind, Op, Severity};
pub use columns::{column_differences, recreates_column};
pub use fk_compat::align_foreign_key_columns;
pub(crate) use fk_compat::compatible as foreign_key_compatible;
pub use order::column_moves;

use crate::schema::{Index, IndexKind, Schema, Table};

/// Changes that turn `live` into `target`, table by table in name order.
pub fn diff_schemas(live: &Schema, target: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> =
        live.tables.keys().chain(target.tables.keys()).collect();
    for name in names {
        match (live.table(name), target.table(name)) {
            (None, Some(t)) => out.push(Change::new(
                name,
                ChangeKind::MissingTable,
                name,
                "table does not exist".into(),
                Op::CreateTable(Box::new(t.clone())),
            )),
            (Some(l), None) => out.push(
                Change::new(
                    name,
                    ChangeKind::ExtraTable,
                    name,
                    format!(
                        "table is not in the reference ({} columns)",
                        l.columns.len()
                    ),
                    Op::DropTable,
                )
                .destructive(),
            ),
            (Some(l), Some(t)) => diff_tables(l, t, &mut out),
            (None, None) => {}
        }
    }
    out
}

pub fn diff_tables(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let name = &target.name;
    if let Some(why) = live.unsupported.as_ref().or(target.unsupported.as_ref()) {
        out.push(Change::new(
            name,
            ChangeKind::UnsupportedTable,
            name,
            format!("table cannot be compared: {why}"),
            Op::None,
        ));
        return;
    }
    columns::diff_columns(live, target, out);
    diff_indexes(live, target, out);
    diff_foreign_keys(live, target, out);
    checks::diff_checks(live, target, out);
    diff_options(live, target, out);
}

fn index_desc(i: &Index) -> String {
    let cols: Vec<String> = i
        .parts
        .iter()
        .map(|p| match p.prefix {
            Some(n) => format!("{}({n})", p.column),
            None => p.column.clone(),
        })
        .collect();
    let kind = match i.kind {
        IndexKind::Primary => "primary key",
        IndexKind::Unique => "unique",
        IndexKind::Plain => "index",
        IndexKind::Fulltext => "fulltext",
        IndexKind::Spatial => "spatial",
    };
    format!("{kind} ({})", cols.join(", "))
}

fn diff_indexes(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let table = &target.name;
    let mut renamed_from: Vec<String> = Vec::new();
    for want in &target.indexes {
        match live.index(&want.name) {
            Some(have) if have.same_definition(want) && have.comment == want.comment => {}
            Some(have) => out.push(Change::new(
                table,
                ChangeKind::IndexDiffers,
                &want.name,
                if have.same_definition(want) {
                    format!("comment '{}' → '{}'", have.comment, want.comment)
                } else {
                    format!("is {}, should be {}", index_desc(have), index_desc(want))
                },
                Op::ReplaceIndex {
                    from: have.clone(),
                    to: want.clone(),
                },
            )),
            None => {
                // The same index under another name that the target does not know: a rename
                // (prefix drift, FACTS §4.3), not a drop and an add.
                let twin = live.indexes.iter().find(|i| {
                    i.same_definition(want)
                        && target.index(&i.name).is_none()
                        && !renamed_from.iter().any(|r| r.eq_ignore_ascii_case(&i.name))
                });
                match twin {
                    Some(old) if want.kind != IndexKind::Primary => {
                        renamed_from.push(old.name.clone());
                        out.push(Change::new(
                            table,
                            ChangeKind::IndexRenamed,
                            &want.name,
                            format!("exists as {} with the same definition", old.name),
                            Op::RenameIndex {
                                from: old.clone(),
                                to: want.clone(),
                            },
                        ))
                    }
                    _ => out.push(Change::new(
                        table,
                        ChangeKind::MissingIndex,
                        &want.name,
                        format!("{} is missing", index_desc(want)),
                        Op::AddIndex(want.clone()),
                    )),
                }
            }
        }
    }
    for have in &live.indexes {
        if target.index(&have.name).is_none()
            && !renamed_from
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&have.name))
        {
            let c = Change::new(
                table,
                ChangeKind::ExtraIndex,
                &have.name,
                format!("{} is not in the reference", index_desc(have)),
                Op::DropIndex(have.clone()),
            );
            // Dropping a unique or primary key gives up a guarantee the data may rely on.
            out.push(
                if matches!(have.kind, IndexKind::Primary | IndexKind::Unique) {
                    c.destructive()
                } else {
                    c
                },
            );
        }
    }
}

fn fk_desc(fk: &crate::schema::ForeignKey) -> String {
    let mut s = format!(
        "({}) → {}({})",
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", ")
    );
    for (what, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
        if action != crate::schema::FkAction::Restrict {
            s.push_str(&format!(" on {what} {}", action.sql().to_lowercase()));
        }
    }
    s
}

fn diff_foreign_keys(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let table = &target.name;
    let mut renamed_from: Vec<String> = Vec::new();
    for want in &target.foreign_keys {
        match live.foreign_key(&want.name) {
            Some(have) if have.same_definition(want) => {}
            Some(have) => out.push(Change::new(
                table,
                ChangeKind::ForeignKeyDiffers,
                &want.name,
                format!("is {}, should be {}", fk_desc(have), fk_desc(want)),
                Op::ReplaceForeignKey {
                    from: have.clone(),
                    to: want.clone(),
                },
            )),
            None => {
                let twin = live.foreign_keys.iter().find(|f| {
                    f.same_definition(want)
                        && target.foreign_key(&f.name).is_none()
                        && !renamed_from.iter().any(|r| r.eq_ignore_ascii_case(&f.name))
                });
                match twin {
                    Some(old) => {
                        renamed_from.push(old.name.clone());
                        out.push(Change::new(
                            table,
                            ChangeKind::ForeignKeyRenamed,
                            &want.name,
                            format!("exists as {} with the same definition", old.name),
                            Op::ReplaceForeignKey {
                                from: old.clone(),
                                to: want.clone(),
                            },
                        ))
                    }
                    None => out.push(Change::new(
                        table,
                        ChangeKind::MissingForeignKey,
                        &want.name,
                        format!("{} is missing", fk_desc(want)),
                        Op::AddForeignKey(want.clone()),
                    )),
                }
            }
        }
    }
    for have in &live.foreign_keys {
        if target.foreign_key(&have.name).is_none()
            && !renamed_from
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&have.name))
        {
            out.push(Change::new(
                table,
                ChangeKind::ExtraForeignKey,
                &have.name,
                format!("{} is not in the reference", fk_desc(have)),
                Op::DropForeignKey(have.clone()),
            ));
        }
    }
}

fn diff_options(live: &Table, target: &Table, out: &mut Vec<Change>) {
    let (l, t) = (&live.options, &target.options);
    let mut what = Vec::new();
    let differs = |a: &Option<String>, b: &Option<String>| match (a, b) {
        // An unspecified option (a file without ENGINE=..., an implicit ROW_FORMAT) is the
        // server default: nothing to compare it with.
        (Some(x), Some(y)) => !x.eq_ignore_ascii_case(y),
        _ => false,
    };
    // A live table without an explicit ROW_FORMAT has the server's default, DYNAMIC on every
    // InnoDB this tool supports (MariaDB 10.2.2+, MySQL 5.7.9+): a file asking for another
    // format is a difference.
    let row_format_differs = differs(&l.row_format, &t.row_format)
        || (l.row_format.is_none()
            && t.row_format
                .as_deref()
                .is_some_and(|r| !r.eq_ignore_ascii_case("DYNAMIC")));
    if differs(&l.engine, &t.engine) {
        what.push(format!(
            "engine {} → {}",
            l.engine.as_deref().unwrap_or("?"),
            t.engine.as_deref().unwrap_or("?")
        ));
    }
    if differs(&l.collation, &t.collation) {
        what.push(format!(
            "default collation {} → {}",
            l.collation.as_deref().unwrap_or("?"),
            t.collation.as_deref().unwrap_or("?")
        ));
    }
    if row_format_differs {
        what.push(format!(
            "row format {} → {}",
            l.row_format.as_deref().unwrap_or("?"),
            t.row_format.as_deref().unwrap_or("?")
        ));
    }
    if l.comment != t.comment {
        what.push(format!("comment '{}' → '{}'", l.comment, t.comment));
    }
    if what.is_empty() {
        return;
    }
    out.push(Change::new(
        &target.name,
        ChangeKind::TableOptionsDiffer,
        &target.name,
        what.join("; "),
        Op::SetTableOptions {
            from: l.clone(),
            to: t.clone(),
        },
    ));
}
