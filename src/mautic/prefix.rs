//! Table prefixes. References are stored unprefixed and prefixed at run time: table names,
//! foreign-key targets, and Doctrine's generated `IDX_`/`FK_`/`UNIQ_` names, which hash the
//! prefixed table name (FACTS §4.3), so they are recomputed rather than copied.

use crate::schema::Schema;

/// Prefix every table of an unprefixed schema. Tables that already carry the prefix are left
/// as they are, so a reference written with the prefix also works.
pub fn apply_prefix(schema: &mut Schema, prefix: &str) {
    if prefix.is_empty() || schema.tables.keys().all(|t| t.starts_with(prefix)) {
        return;
    }
    let tables = std::mem::take(&mut schema.tables);
    for (_, mut t) in tables {
        t.name = format!("{prefix}{}", t.name);
        for fk in &mut t.foreign_keys {
            fk.ref_table = format!("{prefix}{}", fk.ref_table);
        }
        schema.insert(t);
    }
}
