//! One statement's effect on the model, and what the server would answer it there: the
//! refusals of `refusal`, or `Err` when the definition cannot be read (not judged, said so).

use super::refusal::{self as r, Refusal};
use super::{World, constraint_names};
use crate::dialect::ServerError;
use crate::dialect::keys::key_refusal;
use crate::mautic::effects::{Effect, EffectOp, definition_table};
use crate::mautic::prefix::{apply_prefix, doctrine_name};
use crate::schema::{ForeignKey, Index, IndexKind, IndexPart, Schema, Table};

type Answer = Result<Vec<Refusal>, String>;

pub(super) fn effect(model: &mut Schema, e: &Effect, w: &World) -> Answer {
    let name = format!("{}{}", w.prefix, e.table);
    use EffectOp::*;
    match e.op {
        CreateTable => create_table(model, e, &name, w),
        DropTable => Ok(match model.tables.remove(&name) {
            Some(_) => vec![],
            None => vec![r::no_table(&name, true)],
        }),
        RenameTable => Ok(rename_table(
            model,
            &name,
            &format!("{}{}", w.prefix, e.object),
        )),
        TableOptions | Data | Unknown => Ok(vec![]),
        _ if model.table(&name).is_none() => Ok(vec![r::no_table(&name, false)]),
        AddColumn | ModifyColumn => column(model, e, &name, w),
        DropColumn => Ok(drop_column(model, &name, &e.object)),
        AddIndex => add_index(model, e, &name, w),
        DropIndex => Ok(drop_key(model, e, &name, w, false)),
        AddForeignKey => add_foreign_key(model, e, &name, w),
        DropForeignKey => Ok(drop_key(model, e, &name, w, true)),
    }
}

fn unreadable(e: &Effect) -> String {
    format!("cannot read the definition of {}: {}", e.describe(), e.sql)
}

/// The definition's table, prefixed as the install names things.
pub(super) fn parsed(e: &Effect, live: Option<&Table>, w: &World) -> Result<Table, String> {
    let definition = without_position(&e.definition);
    let t = definition_table(&e.table, definition, live, &w.server).ok_or_else(|| unreadable(e))?;
    let mut s = Schema::default();
    s.insert(t);
    apply_prefix(&mut s, &w.prefix);
    s.tables.into_values().next().ok_or_else(|| unreadable(e))
}

/// A column definition without its trailing `AFTER col` or `FIRST` (where ALTER TABLE puts the
/// column; no part of a CREATE TABLE definition, and no part of what the checks judge).
fn without_position(definition: &str) -> &str {
    let d = definition.trim_end();
    let upper = d.to_ascii_uppercase();
    if upper.ends_with(" FIRST") {
        return &d[..d.len() - " FIRST".len()];
    }
    match upper.rfind(" AFTER ") {
        Some(at) if !d[at + 7..].trim().contains(' ') => &d[..at],
        _ => d,
    }
}

fn create_table(model: &mut Schema, e: &Effect, name: &str, w: &World) -> Answer {
    let mut t = parsed(e, None, w)?;
    t.name = name.to_string();
    if let Some(default) = w.server.database_collation.as_deref() {
        database_default(&mut t, default);
    }
    let mut out = Vec::new();
    if model.tables.remove(name).is_some() {
        out.push(r::table_exists(name));
    }
    for i in &t.indexes {
        out.extend(key_refusal(&t, i, &w.server).map(|k| r::key_refused(name, &i.name, &k)));
    }
    let fks = std::mem::take(&mut t.foreign_keys);
    model.insert(t);
    for fk in fks {
        out.extend(foreign_key(model, name, fk, w));
    }
    Ok(out)
}

/// A table created without a character set takes the database's default collation, and so
/// does each text column naming none.
fn database_default(t: &mut Table, collation: &str) {
    if t.options.collation.is_some() {
        return;
    }
    let collation = crate::dialect::canonical_collation(collation);
    t.options.charset =
        Some(crate::schema::canonical::charset_of_collation(&collation).to_string());
    t.options.collation = Some(collation.clone());
    for c in t
        .columns
        .iter_mut()
        .filter(|c| c.ty.is_textual() && c.collation.is_none())
    {
        c.collation = Some(collation.clone());
    }
}

fn rename_table(model: &mut Schema, from: &str, to: &str) -> Vec<Refusal> {
    if model.table(to).is_some() {
        return vec![r::table_exists(to)];
    }
    let Some(mut t) = model.tables.remove(from) else {
        return vec![r::no_table(from, false)];
    };
    t.name = to.to_string();
    model.insert(t);
    for fk in model
        .tables
        .values_mut()
        .flat_map(|t| t.foreign_keys.iter_mut())
    {
        if fk.ref_table == from {
            fk.ref_table = to.to_string();
        }
    }
    vec![]
}

/// ADD COLUMN, or MODIFY/CHANGE (the object is the old name, the definition the new one).
fn column(model: &mut Schema, e: &Effect, name: &str, w: &World) -> Answer {
    let live = model.table(name);
    let new = parsed(e, live, w)?
        .columns
        .into_iter()
        .next()
        .ok_or_else(|| unreadable(e))?;
    let mut out = Vec::new();
    let t = model.tables.get_mut(name).expect("checked by the caller");
    if e.op == EffectOp::AddColumn {
        if t.column(&new.name).is_some() {
            out.push(r::column_exists(name, &new.name));
            t.columns
                .retain(|c| !c.name.eq_ignore_ascii_case(&new.name));
        }
        t.columns.push(new);
        return Ok(out);
    }
    let Some(at) = t
        .columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(&e.object))
    else {
        out.push(r::no_column(name, &e.object, ServerError::BadField));
        t.columns.push(new);
        return Ok(out);
    };
    let renamed = !new.name.eq_ignore_ascii_case(&e.object);
    if renamed && t.column(&new.name).is_some() {
        out.push(r::column_exists(name, &new.name));
    }
    out.extend(linked_columns(model, name, &e.object, &new));
    let t = model.tables.get_mut(name).expect("checked by the caller");
    if renamed {
        rename_parts(t, &e.object, &new.name);
    }
    t.columns[at] = new.clone();
    let t = &model.tables[name];
    let indexes = t.indexes.iter().filter(|i| {
        i.parts
            .iter()
            .any(|p| p.column.eq_ignore_ascii_case(&new.name))
    });
    for i in indexes {
        out.extend(key_refusal(t, i, &w.server).map(|k| r::key_refused(name, &i.name, &k)));
    }
    Ok(out)
}

fn rename_parts(t: &mut Table, from: &str, to: &str) {
    let parts = t.indexes.iter_mut().flat_map(|i| i.parts.iter_mut());
    for p in parts.filter(|p| p.column.eq_ignore_ascii_case(from)) {
        p.column = to.to_string();
    }
    for fk in &mut t.foreign_keys {
        for c in fk
            .columns
            .iter_mut()
            .filter(|c| c.eq_ignore_ascii_case(from))
        {
            *c = to.to_string();
        }
    }
}

/// 1832 when the column is a child of a foreign key whose parent keeps another type; 1833
/// when a child of another table references it and would keep another type.
fn linked_columns(
    model: &Schema,
    table: &str,
    column: &str,
    new: &crate::schema::Column,
) -> Vec<Refusal> {
    let compatible = crate::diff::foreign_key_compatible;
    let mut out = Vec::new();
    let Some(t) = model.table(table) else {
        return out;
    };
    for fk in &t.foreign_keys {
        let Some(k) = fk
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))
        else {
            continue;
        };
        let parent = model
            .table(&fk.ref_table)
            .and_then(|p| p.column(fk.ref_columns.get(k)?));
        // A self-reference changes both sides at once only when it names the same column.
        if let Some(p) =
            parent.filter(|p| !(fk.ref_table == table && p.name.eq_ignore_ascii_case(column)))
            && !compatible(new, p)
        {
            let other = format!("{}.{}", fk.ref_table, p.name);
            out.push(r::linked_column(
                ServerError::FkColumnCannotChange,
                table,
                column,
                &fk.name,
                &other,
            ));
        }
    }
    for child in model.tables.values() {
        for fk in child.foreign_keys.iter().filter(|f| f.ref_table == table) {
            let Some(k) = fk
                .ref_columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(column))
            else {
                continue;
            };
            let Some(c) = fk.columns.get(k).and_then(|c| child.column(c)) else {
                continue;
            };
            if child.name == table && c.name.eq_ignore_ascii_case(column) {
                continue;
            }
            if !compatible(c, new) {
                let other = format!("{}.{}", child.name, c.name);
                out.push(r::linked_column(
                    ServerError::FkColumnCannotChangeChild,
                    table,
                    column,
                    &fk.name,
                    &other,
                ));
            }
        }
    }
    out
}

fn drop_column(model: &mut Schema, name: &str, column: &str) -> Vec<Refusal> {
    let t = model.tables.get_mut(name).expect("checked by the caller");
    let before = t.columns.len();
    t.columns.retain(|c| !c.name.eq_ignore_ascii_case(column));
    if t.columns.len() == before {
        return vec![r::no_column(name, column, ServerError::CantDropFieldOrKey)];
    }
    for i in &mut t.indexes {
        i.parts.retain(|p| !p.column.eq_ignore_ascii_case(column));
    }
    t.indexes.retain(|i| !i.parts.is_empty());
    vec![]
}

/// The index or key effects.tsv names, as this install has it: the name itself, the prefixed
/// name (`{$this->prefix}x`), or Doctrine's generated name hashed over the prefixed table.
/// `None` when neither exists; `Some(None)` when its name here cannot be known (a generated
/// name on a prefixed install that matches nothing: the migration may hash either table name).
pub(super) fn live_name(
    names: &[(&str, Vec<&str>)],
    obj: &str,
    table: &str,
    w: &World,
) -> Option<Option<String>> {
    let prefixed = format!("{}{obj}", w.prefix);
    let kind = obj.split('_').next().unwrap_or("");
    let generated = crate::mautic::evidence::is_generated_name(obj);
    let found = names.iter().find(|(n, cols)| {
        n.eq_ignore_ascii_case(obj)
            || (!generated && n.eq_ignore_ascii_case(&prefixed))
            || (generated && !w.prefix.is_empty() && {
                let prefixed_table = format!("{}{table}", w.prefix);
                let max = crate::mautic::prefix::DOCTRINE_MAX;
                doctrine_name(kind, table, cols, max) == obj
                    && doctrine_name(kind, &prefixed_table, cols, max).eq_ignore_ascii_case(n)
            })
    });
    match found {
        Some((n, _)) => Some(Some(n.to_string())),
        None if generated && !w.prefix.is_empty() => Some(None),
        None => None,
    }
}

fn drop_key(model: &mut Schema, e: &Effect, name: &str, w: &World, foreign: bool) -> Vec<Refusal> {
    let t = model.tables.get_mut(name).expect("checked by the caller");
    let names: Vec<(&str, Vec<&str>)> = if foreign {
        t.foreign_keys
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.columns.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    } else {
        t.indexes
            .iter()
            .map(|i| {
                (
                    i.name.as_str(),
                    i.parts.iter().map(|p| p.column.as_str()).collect(),
                )
            })
            .collect()
    };
    let what = if foreign { "foreign key" } else { "index" };
    let found = live_name(&names, &e.object, &e.table, w);
    match found {
        None => vec![r::no_key(name, what, &e.object)],
        Some(None) => vec![],
        Some(Some(n)) => {
            if foreign {
                t.foreign_keys.retain(|f| f.name != n);
            } else {
                t.indexes.retain(|i| i.name != n);
            }
            vec![]
        }
    }
}

fn add_index(model: &mut Schema, e: &Effect, name: &str, w: &World) -> Answer {
    let live = model.table(name);
    let index = parsed(e, live, w)?
        .indexes
        .into_iter()
        .find(|i| i.kind != IndexKind::Primary || e.object.eq_ignore_ascii_case("primary"))
        .ok_or_else(|| unreadable(e))?;
    let mut out = Vec::new();
    let t = model.tables.get_mut(name).expect("checked by the caller");
    let names: Vec<(&str, Vec<&str>)> = t
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), vec![]))
        .collect();
    // A generated name hashed over the prefixed table is this index by definition, not a
    // clash: only the names the statement writes count.
    let clash = match live_name(&names, &e.object, &e.table, w) {
        Some(Some(n)) => Some(n),
        _ => None,
    };
    if let Some(n) = clash {
        out.push(r::index_exists(name, &n));
        t.indexes.retain(|i| i.name != n);
    }
    if let Some(missing) = index.parts.iter().find(|p| t.column(&p.column).is_none()) {
        out.push(r::no_column(
            name,
            &missing.column,
            ServerError::KeyColumnDoesNotExist,
        ));
        return Ok(out);
    }
    out.extend(key_refusal(t, &index, &w.server).map(|k| r::key_refused(name, &index.name, &k)));
    t.indexes.push(index);
    Ok(out)
}

/// An index of the name an ADD INDEX gives, with another definition: the migration is not
/// done, its statement meets that index (1061).
pub(super) fn name_taken_by_another(model: &Schema, e: &Effect, w: &World) -> bool {
    if e.op != EffectOp::AddIndex {
        return false;
    }
    let name = format!("{}{}", w.prefix, e.table);
    let Some(t) = model.table(&name) else {
        return false;
    };
    let Ok(want) = parsed(e, Some(t), w) else {
        return false;
    };
    let Some(want) = want.indexes.first() else {
        return false;
    };
    let names: Vec<(&str, Vec<&str>)> = t
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), vec![]))
        .collect();
    match live_name(&names, &e.object, &e.table, w) {
        Some(Some(n)) => t.index(&n).is_some_and(|i| !i.same_definition(want)),
        _ => false,
    }
}

fn add_foreign_key(model: &mut Schema, e: &Effect, name: &str, w: &World) -> Answer {
    let live = model.table(name);
    let fk = parsed(e, live, w)?
        .foreign_keys
        .into_iter()
        .next()
        .ok_or_else(|| unreadable(e))?;
    Ok(foreign_key(model, name, fk, w))
}

/// A foreign key added to `table` (already in the model): its name must be free in the whole
/// database (errno 121), its columns must exist (1072), and its parent must exist, have the
/// columns with the same types and an index that starts with them (errno 150).
fn foreign_key(model: &mut Schema, table: &str, fk: ForeignKey, w: &World) -> Vec<Refusal> {
    let mut out = Vec::new();
    let lower = fk.name.to_ascii_lowercase();
    if constraint_names(model, w).contains(&lower) {
        let owner = model
            .tables
            .values()
            .find(|t| t.foreign_key(&fk.name).is_some())
            .map(|t| t.name.clone())
            .or_else(|| {
                w.foreign_keys_elsewhere
                    .iter()
                    .find(|(n, _)| *n == lower)
                    .map(|(_, t)| t.clone())
            })
            .unwrap_or_default();
        out.push(r::foreign_key_name_taken(table, &fk.name, &owner));
    }
    let child = &model.tables[table];
    if let Some(c) = fk.columns.iter().find(|c| child.column(c).is_none()) {
        out.push(r::no_column(table, c, ServerError::KeyColumnDoesNotExist));
        return out;
    }
    out.extend(parent_refusal(model, table, &fk));
    follow_parent_integers(model, table, &fk);
    let child = model.tables.get_mut(table).expect("checked above");
    if !child.indexes.iter().any(|i| starts_with(i, &fk.columns)) {
        // InnoDB makes the index a foreign key needs, named after the key.
        child.indexes.push(Index {
            name: fk.name.clone(),
            kind: IndexKind::Plain,
            parts: fk.columns.iter().map(IndexPart::new).collect(),
            comment: String::new(),
        });
    }
    child
        .foreign_keys
        .retain(|f| !f.name.eq_ignore_ascii_case(&fk.name));
    child.foreign_keys.push(fk);
    out
}

/// The fix the fold goes on with for a key onto an integer of another type or sign (a site
/// born on 2.x keeps signed ids where 3.0's entities say UNSIGNED): the key's column takes its
/// parent's type, as Mautic's own later statements do where they look (3.3.1's lead_lists
/// category_id, 4.0's oauth2_accesstokens user_id).
fn follow_parent_integers(model: &mut Schema, table: &str, fk: &ForeignKey) {
    let Some(parent) = model.table(&fk.ref_table) else {
        return;
    };
    let types: Vec<(String, crate::schema::ColumnType)> = fk
        .columns
        .iter()
        .zip(&fk.ref_columns)
        .filter_map(|(c, p)| Some((c.clone(), parent.column(p)?.ty.clone())))
        .collect();
    let child = model.tables.get_mut(table).expect("checked by the caller");
    for (c, ty) in types {
        if let Some(col) = child
            .columns
            .iter_mut()
            .find(|x| x.name.eq_ignore_ascii_case(&c))
            && col.ty.is_integer()
            && ty.is_integer()
            && col.ty != ty
        {
            col.ty = ty;
        }
    }
}

fn starts_with(i: &Index, columns: &[String]) -> bool {
    i.parts.len() >= columns.len()
        && i.parts
            .iter()
            .zip(columns)
            .all(|(p, c)| p.column.eq_ignore_ascii_case(c) && p.prefix.is_none())
}

fn parent_refusal(model: &Schema, table: &str, fk: &ForeignKey) -> Option<Refusal> {
    let malformed = |why: String, fix: String| r::foreign_key_malformed(table, &fk.name, why, fix);
    let restore = || {
        "mautic-schema apply (makes the schema what the detected release has), then run the upgrade"
            .to_string()
    };
    let Some(parent) = model.table(&fk.ref_table) else {
        return Some(malformed(
            format!("it references table {}, which does not exist", fk.ref_table),
            restore(),
        ));
    };
    let child = &model.tables[table];
    for (c, p) in fk.columns.iter().zip(&fk.ref_columns) {
        let Some(pc) = parent.column(p) else {
            return Some(malformed(
                format!(
                    "it references column {}.{p}, which does not exist",
                    parent.name
                ),
                restore(),
            ));
        };
        let cc = child.column(c).expect("checked by the caller");
        if !crate::diff::foreign_key_compatible(cc, pc) {
            return Some(malformed(
                format!(
                    "{table}.{c} ({}) and {}.{p} ({}) differ in type, sign or character set",
                    cc.ty, parent.name, pc.ty
                ),
                if cc.ty.is_integer() && pc.ty.is_integer() {
                    format!(
                        "give {table}.{c} the type of {}.{p} ({}), as Mautic's later migrations do on sites born on 2.x, or make {}.{p} the type the detected release gives it (mautic-schema apply)",
                        parent.name, pc.ty, parent.name
                    )
                } else {
                    format!(
                        "make {}.{p} the type the detected release gives it (mautic-schema apply)",
                        parent.name
                    )
                },
            ));
        }
    }
    if !parent
        .indexes
        .iter()
        .any(|i| starts_with(i, &fk.ref_columns))
    {
        return Some(malformed(
            format!(
                "no index of {} starts with ({})",
                parent.name,
                fk.ref_columns.join(", ")
            ),
            format!(
                "ALTER TABLE {} ADD INDEX ({})",
                crate::schema::quote_ident(&parent.name),
                fk.ref_columns
                    .iter()
                    .map(|c| crate::schema::quote_ident(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    None
}
