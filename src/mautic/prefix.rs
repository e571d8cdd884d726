//! Table prefixes. References are stored unprefixed and prefixed at run time: table names,
//! foreign-key targets, declared index names, and Doctrine's generated `IDX_`/`FK_`/`UNIQ_`
//! names, which hash the *prefixed* table name (FACTS §4.3), so they are recomputed rather
//! than copied.

use crate::schema::{IndexKind, Schema};

/// Doctrine DBAL's `AbstractAsset::_generateIdentifierName`: `PREFIX_` followed by the
/// unpadded hex CRC32 of the table name and of each column, upper-cased, cut to `max` chars.
pub fn doctrine_name(kind: &str, table: &str, columns: &[&str], max: usize) -> String {
    let mut s = format!("{kind}_");
    for part in std::iter::once(table).chain(columns.iter().copied()) {
        s.push_str(&format!("{:x}", crc32fast::hash(part.as_bytes())));
    }
    let mut s = s.to_ascii_uppercase();
    s.truncate(max);
    s
}

/// Doctrine cuts generated names at 30 characters in the Mautic schemas seen in the field.
const DOCTRINE_MAX: usize = 30;

/// If `name` is the Doctrine-generated name for (`table`, `columns`), the same name for the
/// prefixed table.
fn rehash(name: &str, table: &str, prefixed_table: &str, columns: &[&str]) -> Option<String> {
    let kind = name.split('_').next()?;
    if !matches!(kind, "IDX" | "FK" | "UNIQ") {
        return None;
    }
    (doctrine_name(kind, table, columns, DOCTRINE_MAX) == name)
        .then(|| doctrine_name(kind, prefixed_table, columns, DOCTRINE_MAX))
}

/// Prefix every table of an unprefixed schema, and the names derived from table names.
/// Declared (non-generated) index names get the prefix too, as Mautic's
/// DoctrineEventsSubscriber does; the Mautic layer tolerates the unprefixed spellings that
/// 4.3+ installers create for core-field indexes.
pub fn apply_prefix(schema: &mut Schema, prefix: &str) {
    if prefix.is_empty() || schema.tables.keys().all(|t| t.starts_with(prefix)) {
        return;
    }
    let tables = std::mem::take(&mut schema.tables);
    for (_, mut t) in tables {
        let old = t.name.clone();
        let new = format!("{prefix}{old}");
        for idx in &mut t.indexes {
            if idx.kind == IndexKind::Primary {
                continue;
            }
            let cols: Vec<&str> = idx.parts.iter().map(|p| p.column.as_str()).collect();
            idx.name = rehash(&idx.name, &old, &new, &cols)
                .unwrap_or_else(|| format!("{prefix}{}", idx.name));
        }
        for fk in &mut t.foreign_keys {
            let cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
            fk.name = rehash(&fk.name, &old, &new, &cols)
                .unwrap_or_else(|| format!("{prefix}{}", fk.name));
            fk.ref_table = format!("{prefix}{}", fk.ref_table);
        }
        t.name = new;
        schema.insert(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctrine_names_match_real_installs() {
        // MANIFEST: the same index on asset_downloads(asset_id) under three prefixes.
        assert_eq!(
            doctrine_name("IDX", "asset_downloads", &["asset_id"], 30),
            "IDX_A6494C8F5DA1941"
        );
        assert_eq!(
            doctrine_name("IDX", "mautic_asset_downloads", &["asset_id"], 30),
            "IDX_99B121615DA1941"
        );
        assert_eq!(
            doctrine_name("IDX", "mauticasset_downloads", &["asset_id"], 30),
            "IDX_375B22A65DA1941"
        );
    }
}
