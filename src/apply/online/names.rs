//! The names and the mark of what an online change creates, so that it only ever renames or
//! drops its own objects, never a look-alike.
//!
//! - The copy and the swapped-out original get run-specific names, `_<table>_ms<nonce>_new` and
//!   `_<table>_ms<nonce>_old` (the nonce is random, so neither a DBA's `_<table>_new` nor a
//!   leftover of an earlier run, whose journal may be gone, can hold the name). pt-osc is told
//!   the copy's name (`--new-table-name`, tried once: it fails rather than pick another).
//! - The copy carries a mark: its table comment is set to [`Names::marker`] by pt-osc's own
//!   ALTER of the copy, and the journal records the marker before pt-osc starts. A table is our
//!   copy only when it has the recorded name *and* the recorded comment. Why the comment: the
//!   server keeps it through RENAME, every account that sees the table can read it, and nothing
//!   else the catalog shows is an identity (CREATE_TIME changes with every RENAME and ALTER,
//!   InnoDB's table id needs the PROCESS privilege). After the swap the final ALTER gives the
//!   table its own comment back.
//! - pt-osc's triggers are ours when their names are the ones pt-osc gives this table *and*
//!   their bodies write into our copy (see [`is_our_trigger`]).

use crate::schema::quote_ident;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    pub table: String,
    pub copy: String,
    pub old: String,
    pub marker: String,
}

impl Names {
    pub fn new(table: &str, nonce: &str) -> Names {
        let copy_suffix = format!("_ms{nonce}_new");
        let room = 64 - 1 - copy_suffix.len();
        let base: String = table
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(room)
            .collect();
        Names {
            table: table.to_string(),
            copy: format!("_{base}{copy_suffix}"),
            old: format!("_{base}_ms{nonce}_old"),
            marker: format!("mautic-schema online copy {nonce}"),
        }
    }
}

/// Eight random hex digits (the kernel's generator; time and pid if it cannot be read).
pub fn nonce() -> String {
    use std::io::Read;
    let mut b = [0u8; 4];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b));
    let n = match read {
        Ok(()) => u32::from_le_bytes(b),
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            crc32fast::hash(format!("{}:{nanos}", std::process::id()).as_bytes())
        }
    };
    format!("{n:08x}")
}

/// The trigger suffixes pt-osc uses, with the event and the start of the body it writes.
const TRIGGERS: [(&str, &str); 3] = [("del", "DELETE"), ("upd", "UPDATE"), ("ins", "INSERT")];

/// pt-osc's trigger names for `database`.`table` (its `create_triggers`): `pt_osc_<db>_<table>`
/// with every non-word character replaced by `_`, cut to 60 bytes, then `_del`, `_upd`, `_ins`.
/// pt-osc reads the names from its argv as bytes, so a non-ASCII letter becomes one `_` per byte.
pub fn trigger_names(database: &str, table: &str) -> Vec<(String, &'static str)> {
    let mut prefix: String = format!("pt_osc_{database}_{table}")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' {
                b as char
            } else {
                '_'
            }
        })
        .collect();
    prefix.truncate(60);
    TRIGGERS
        .iter()
        .map(|(suffix, event)| (format!("{prefix}_{suffix}"), *event))
        .collect()
}

/// Whether a trigger (its name, event, timing and body as the catalog shows them) is one pt-osc
/// created for `copy`: one of the names pt-osc gives this table, AFTER the matching event, and a
/// body that starts the way pt-osc writes it, into `database`.`copy`.
pub fn is_our_trigger(
    database: &str,
    table: &str,
    copy: &str,
    trigger: (&str, &str, &str, &str),
) -> bool {
    let (name, event, timing, body) = trigger;
    let target = format!("{}.{}", quote_ident(database), quote_ident(copy));
    let expected_body = |suffix: &str| match suffix {
        "del" => format!("DELETE IGNORE FROM {target} WHERE "),
        "upd" => format!("BEGIN DELETE IGNORE FROM {target} WHERE "),
        _ => format!("REPLACE INTO {target} ("),
    };
    trigger_names(database, table)
        .iter()
        .zip(TRIGGERS)
        .any(|((n, e), (suffix, _))| {
            n == name
                && *e == event
                && timing == "AFTER"
                && body.starts_with(&expected_body(suffix))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_run_specific_and_fit() {
        let n = Names::new("leads", "0a1b2c3d");
        assert_eq!(n.copy, "_leads_ms0a1b2c3d_new");
        assert_eq!(n.old, "_leads_ms0a1b2c3d_old");
        let long = Names::new(&"x".repeat(64), "0a1b2c3d");
        assert_eq!(long.copy.chars().count(), 64);
        assert_eq!(long.old.chars().count(), 64);
        // Characters pt-osc would read specially (`%T`, commas) never reach its argument.
        assert_eq!(Names::new("a%T,b", "00000000").copy, "_aTb_ms00000000_new");
        assert_ne!(
            Names::new("t", &nonce()).copy,
            Names::new("t", &nonce()).copy
        );
    }

    #[test]
    fn triggers_are_recognised_by_name_and_body() {
        let names = trigger_names("db-1", "t");
        assert_eq!(names[0].0, "pt_osc_db_1_t_del");
        let ours = (
            "pt_osc_db_1_t_ins",
            "INSERT",
            "AFTER",
            "REPLACE INTO `db-1`.`_t_ms1_new` (`id`) VALUES (NEW.`id`)",
        );
        assert!(is_our_trigger("db-1", "t", "_t_ms1_new", ours));
        // Same name, another run's (or a DBA's) copy: not ours.
        assert!(!is_our_trigger("db-1", "t", "_t_ms2_new", ours));
        let theirs = (
            "pt_osc_db_1_t_ins",
            "INSERT",
            "AFTER",
            "REPLACE INTO `db-1`.`_t_new` (`id`)",
        );
        assert!(!is_our_trigger(
            "db-1",
            "t",
            "_t_new",
            ("x_ins", "INSERT", "AFTER", theirs.3)
        ));
        assert!(!is_our_trigger("db-1", "t", "_t_ms1_new", theirs));
        let long = trigger_names(&"d".repeat(40), &"t".repeat(40));
        assert!(long.iter().all(|(n, _)| n.len() == 64));
    }
}
