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
pub const DOCTRINE_MAX: usize = 30;

/// If `name` is the Doctrine-generated name for (`table`, `columns`), the same name for the
/// prefixed table.
pub fn rehash(name: &str, table: &str, prefixed_table: &str, columns: &[&str]) -> Option<String> {
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

/// Other Mautic installs among `tables` (tables outside this install's prefix): a prefix is
/// counted when at least `MIN_CORE` of the release's core tables (`core`, unprefixed names)
/// stand under it; the empty prefix is an unprefixed install. Returns each prefix with its
/// tables, most tables first.
pub fn other_installs<'a>(
    tables: impl IntoIterator<Item = &'a String>,
    core: &std::collections::BTreeSet<String>,
) -> Vec<(String, Vec<String>)> {
    // Fewer than this many core tables under one prefix is a coincidence of names, not an install.
    const MIN_CORE: usize = 10;
    let mut by_prefix: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for t in tables {
        // The longest core name a table ends with decides its prefix (`x_lead_lists`, not `x_lead_`).
        let best = core
            .iter()
            .filter(|c| t.ends_with(c.as_str()))
            .max_by_key(|c| c.len());
        if let Some(c) = best {
            by_prefix
                .entry(&t[..t.len() - c.len()])
                .or_default()
                .push(t.clone());
        }
    }
    let mut out: Vec<(String, Vec<String>)> = by_prefix
        .into_iter()
        .filter(|(_, v)| v.len() >= MIN_CORE)
        .map(|(p, v)| (p.to_string(), v))
        .collect();
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod other_install_tests {
    use super::*;

    #[test]
    fn prefixes_of_other_installs_are_found_by_their_core_tables() {
        let core: std::collections::BTreeSet<String> = (0..12)
            .map(|i| format!("t{i}"))
            .chain(["lead_lists".to_string(), "lists".to_string()])
            .collect();
        let mut tables: Vec<String> = Vec::new();
        for p in ["a_", "", "bb_"] {
            tables.extend(core.iter().map(|c| format!("{p}{c}")));
        }
        tables.extend(["wp_posts".to_string(), "x_t1".to_string()]);
        let found: Vec<(String, usize)> = other_installs(&tables, &core)
            .into_iter()
            .map(|(p, v)| (p, v.len()))
            .collect();
        assert_eq!(
            found,
            vec![("".into(), 14), ("a_".into(), 14), ("bb_".into(), 14)]
        );
    }
}
