//! A foreign key the compared release does not declare, but with the very shape a known Mautic
//! migration gives one (same columns, referenced table and columns, and ON DELETE rule, from
//! effects.tsv's `add_foreign_key` rows): that migration made it, so it is Mautic's history,
//! not an object of the user's. It is `legacy` (dropped only with `--strict`), and its detail
//! names the migration.

use super::effects::{Effect, added_foreign_key, effects};
use crate::dialect::ServerInfo;
use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{ForeignKey, Schema};

/// Whether `live` (on the prefixed table `table`) has the shape `want` (unprefixed).
fn same_shape(live: &ForeignKey, table: &str, e: &Effect, want: &ForeignKey, prefix: &str) -> bool {
    let eq = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
    };
    table.eq_ignore_ascii_case(&format!("{prefix}{}", e.table))
        && eq(&live.columns, &want.columns)
        && live
            .ref_table
            .eq_ignore_ascii_case(&format!("{prefix}{}", want.ref_table))
        && eq(&live.ref_columns, &want.ref_columns)
        && live.on_delete == want.on_delete
}

/// Re-classify each extra foreign key of `live` that a known migration made; returns how many.
/// `strict`: history is drift too.
pub fn claim_migration_keys(
    changes: &mut [Change],
    live: &Schema,
    reference: &Schema,
    prefix: &str,
    strict: bool,
    server: &ServerInfo,
) -> usize {
    let known: Vec<(Effect, ForeignKey)> = effects()
        .into_iter()
        .filter_map(|e| {
            let fk = added_foreign_key(&e, server)?;
            Some((e, fk))
        })
        .collect();
    let mut claimed = 0;
    for c in changes
        .iter_mut()
        .filter(|c| c.kind == ChangeKind::ExtraForeignKey)
    {
        let Some(have) = live.table(&c.table).and_then(|t| t.foreign_key(&c.object)) else {
            continue;
        };
        let Some((e, _)) = known
            .iter()
            .find(|(e, want)| same_shape(have, &c.table, e, want, prefix))
        else {
            continue;
        };
        let base = c
            .detail
            .split(" — ")
            .next()
            .unwrap_or(&c.detail)
            .to_string();
        c.severity = if strict {
            Severity::Drift
        } else {
            Severity::Legacy
        };
        c.op = Op::DropForeignKey(have.clone());
        let twin = reference
            .table(&c.table)
            .and_then(|t| t.foreign_keys.iter().find(|f| f.same_definition(have)));
        let now = match twin {
            Some(f) => format!("a second copy of the release's {}", f.name),
            None => "the release compared with no longer declares it".to_string(),
        };
        c.detail = format!(
            "{base} — the key migration Version{} adds ({}): Mautic's history, not the user's; {now}",
            e.version, e.object
        );
        claimed += 1;
    }
    claimed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mautic::effects::parse_effects;

    #[test]
    fn a_migration_foreign_key_definition_is_read() {
        let e = &parse_effects(
            "20160719000000\t1\tadd_foreign_key\tlead_devices\tFK_48C912F455458D\tCONSTRAINT FK_48C912F455458D FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE\tALTER TABLE ...\n",
        )[0];
        let fk = added_foreign_key(e, &ServerInfo::unknown()).expect("read");
        assert_eq!(fk.columns, vec!["lead_id".to_string()]);
        assert_eq!(fk.ref_table, "leads");
        let mut live = fk.clone();
        live.name = "my_own_name".into();
        live.ref_table = "mt_leads".into();
        assert!(same_shape(&live, "mt_lead_devices", e, &fk, "mt_"));
        live.on_delete = crate::schema::FkAction::Restrict;
        assert!(!same_shape(&live, "mt_lead_devices", e, &fk, "mt_"));
    }
}
