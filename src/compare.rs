//! The comparison pipeline shared by `check`, `diff` and `apply`: load the live side (a server
//! or a dump), load the reference, keep the install's tables, diff, plan, report.

use std::path::Path;

use crate::db::{ConnectParams, Db};
use crate::dialect::{ServerInfo, normalize_schema};
use crate::error::{Error, Result};
use crate::inspect::inspect_scoped;
use crate::schema::Schema;
use crate::sql::{TableRows, parse_schema_sql};

/// The schema being checked, wherever it came from.
pub struct Live {
    pub schema: Schema,
    pub server: ServerInfo,
    /// Human description, never with a password.
    pub description: String,
    /// Open connection when the live side is a server.
    pub db: Option<Db>,
    /// Rows of small tables read from a dump (see `wanted_rows`); empty for a server.
    pub rows: std::collections::BTreeMap<String, TableRows>,
    /// Catalog queries the inspection issued (0 for a dump).
    pub queries: u32,
    /// Time spent reading the live schema (connecting excluded), in seconds.
    pub inspect_seconds: f64,
    pub notes: Vec<String>,
    /// Tables outside the install's prefix that the inspection named but did not read.
    pub outside: Vec<String>,
    /// A dump without a single row (`mysqldump --no-data`): the rows of `lead_fields` and
    /// `migrations` are unknown, not absent. Always false for a server.
    pub rows_unknown: bool,
}

/// Tables whose rows a dump reader keeps: Mautic's custom-field definitions, migrations, and
/// forms with their fields (each form's results table is named and built from them).
pub fn wanted_rows(prefix: &str) -> impl Fn(&str) -> bool + '_ {
    move |t: &str| {
        t.strip_prefix(prefix).is_some_and(|rest| {
            matches!(rest, "lead_fields" | "migrations" | "forms" | "form_fields")
        })
    }
}

fn read_text(path: &Path) -> Result<String> {
    let raw = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        // `mysqldump ... | gzip > FILE`: read it as it was written.
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut out)
            .map_err(|e| {
                Error::Input(format!(
                    "{} is gzip-compressed but cannot be decompressed ({e}): is it complete?",
                    path.display()
                ))
            })?;
        out
    } else {
        raw
    };
    // Dumps are UTF-8 in practice; a stray invalid byte in a data row must not stop a
    // schema check, so decode lossily.
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A file cut short is refused: tables after the cut would be reported missing, and the
/// statement at the cut would be half a table. A dump without its trailer is only suspect.
fn refuse_truncated(path: &Path, out: &mut crate::sql::ParseOutcome) -> Result<()> {
    if let Some(line) = out.truncated_at {
        return Err(Error::Input(format!(
            "{} ends inside the statement at line {line}: the file is truncated; dump it again",
            path.display()
        )));
    }
    if out.missing_trailer {
        out.warnings.push(format!(
            "{} has no `-- Dump completed` line at its end: if the dump was cut short, tables \
             after the cut are reported missing",
            path.display()
        ));
    }
    Ok(())
}

/// Triggers, views, routines, events and partitioned tables a dump defines: not compared, so
/// named (the dump tools wrap them in `/*!NNNNN ... */` version comments; views appear twice,
/// as a stand-in and as the final view).
pub fn not_compared_in_dump(src: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for st in crate::sql::split_statements(src) {
        // Version comments are executed by the server: read their insides as plain text.
        let text = st.text.replace("*/", " ");
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '(')
            .filter(|w| !w.is_empty() && !w.starts_with("/*!"))
            .take(12)
            .map(|w| w.trim_matches('`').to_string())
            .collect();
        if !words
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
        {
            continue;
        }
        let kind = words.iter().position(|w| {
            ["TRIGGER", "VIEW", "PROCEDURE", "FUNCTION", "EVENT"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k))
        });
        let item = match kind {
            Some(i) if i + 1 < words.len() => {
                let k = words[i].to_ascii_lowercase();
                // `CREATE VIEW IF NOT EXISTS name`: the name follows the clause.
                let Some(name) = words[i + 1..].iter().find(|w| {
                    !["IF", "NOT", "EXISTS"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                }) else {
                    continue;
                };
                if k == "trigger" {
                    let on = words.iter().position(|w| w.eq_ignore_ascii_case("ON"));
                    match on.and_then(|p| words.get(p + 1)) {
                        Some(t) => format!("trigger {name} on {t}"),
                        None => format!("trigger {name}"),
                    }
                } else {
                    format!("{k} {name}")
                }
            }
            _ if words.iter().any(|w| w.eq_ignore_ascii_case("TABLE"))
                && text.to_ascii_uppercase().contains("PARTITION BY") =>
            {
                let t = words
                    .iter()
                    .skip_while(|w| !w.eq_ignore_ascii_case("TABLE"))
                    .nth(1)
                    .cloned()
                    .unwrap_or_default();
                format!("partitioning of table {t}")
            }
            _ => continue,
        };
        if !found.contains(&item) {
            found.push(item);
        }
    }
    found
}

pub fn load_dump(path: &Path, prefix: &str) -> Result<Live> {
    let src = read_text(path)?;
    let mut out = parse_schema_sql(&src, &wanted_rows(prefix));
    refuse_truncated(path, &mut out)?;
    let programs = not_compared_in_dump(&src);
    if !programs.is_empty() {
        out.warnings.push(format!(
            "not compared (Mautic creates none; check them yourself): {}",
            programs.join(", ")
        ));
    }
    if out.create_tables == 0 {
        return Err(Error::Input(format!(
            "{} holds no CREATE TABLE statement: is it a schema dump? (mysqldump --no-data DB > FILE makes one)",
            path.display()
        )));
    }
    let server = out
        .server_version
        .as_deref()
        .map(ServerInfo::parse)
        .unwrap_or_else(ServerInfo::unknown);
    let mut schema = out.schema;
    normalize_schema(&mut schema, &server);
    Ok(Live {
        schema,
        server,
        description: format!("dump {}", path.display()),
        db: None,
        rows: out.rows,
        queries: 0,
        inspect_seconds: 0.0,
        notes: out.warnings,
        outside: Vec::new(),
        rows_unknown: out.inserts == 0,
    })
}

/// Inspect the server's tables of the install with this prefix (see `inspect_scoped`).
pub async fn load_server(params: &ConnectParams<'_>, prefix: &str) -> Result<Live> {
    let mut db = Db::connect(params).await?;
    let t = std::time::Instant::now();
    let inspected = inspect_scoped(&mut db, prefix).await?;
    let inspect_seconds = t.elapsed().as_secs_f64();
    let mut notes = Vec::new();
    if !inspected.views.is_empty() {
        notes.push(format!(
            "views are not compared: {}",
            inspected.views.join(", ")
        ));
    }
    if !inspected.not_compared.is_empty() {
        notes.push(format!(
            "not compared (Mautic creates none; check them yourself): {}",
            inspected.not_compared.join(", ")
        ));
    }
    Ok(Live {
        description: format!(
            "database `{}` on {}:{} ({})",
            params.database, params.host, params.port, inspected.server.version_string
        ),
        schema: inspected.schema,
        server: inspected.server,
        db: Some(db),
        rows: Default::default(),
        queries: inspected.queries,
        inspect_seconds,
        notes,
        outside: inspected.outside,
        rows_unknown: false,
    })
}

/// A reference DDL file, normalized for the server it will be compared with. A table that
/// names no character set or collation is created with the database's default: it inherits
/// what the live table of that name has, or else what most live tables have (the model does
/// not hold the database default itself), so an unstated collation is never a difference.
pub fn load_reference_file(
    path: &Path,
    server: &ServerInfo,
    live: &Schema,
) -> Result<(Schema, Vec<String>)> {
    let src = read_text(path)?;
    let mut out = parse_schema_sql(&src, &|_| false);
    refuse_truncated(path, &mut out)?;
    if out.create_tables == 0 {
        return Err(Error::Input(format!(
            "{} holds no CREATE TABLE statement to compare with",
            path.display()
        )));
    }
    let mut schema = out.schema;
    inherit_table_collation(&mut schema, live);
    normalize_schema(&mut schema, server);
    Ok((schema, out.warnings))
}

fn inherit_table_collation(schema: &mut Schema, live: &Schema) {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for t in live.tables.values() {
        if let (Some(cs), Some(co)) = (&t.options.charset, &t.options.collation) {
            *counts.entry((cs, co)).or_default() += 1;
        }
    }
    let most = counts.iter().max_by_key(|(_, n)| **n).map(|(k, _)| *k);
    for t in schema.tables.values_mut() {
        let o = &mut t.options;
        if o.charset.is_some() || o.collation.is_some() {
            continue;
        }
        let from_live = live.table(&t.name).and_then(|l| {
            Some((
                l.options.charset.as_deref()?,
                l.options.collation.as_deref()?,
            ))
        });
        if let Some((cs, co)) = from_live.or(most) {
            o.charset = Some(cs.to_string());
            o.collation = Some(co.to_string());
        }
    }
}

/// The one table this tool keeps in a user's database while a run is incomplete (`apply`'s
/// journal): never compared, never listed as somebody else's.
pub const JOURNAL_TABLE: &str = "mautic_schema_journal";

/// The backup ledger `apply` keeps for `restore` (see `apply::restore::ledger`).
pub const BACKUP_LEDGER_TABLE: &str = "mautic_schema_backups";

/// This tool's own tables: never compared, never listed as somebody else's.
pub fn is_tool_table(name: &str) -> bool {
    name == JOURNAL_TABLE || name == BACKUP_LEDGER_TABLE
}

/// Split the live schema into the install's tables and the rest (other prefixes, other
/// applications), which are listed but never touched.
pub fn split_by_prefix(schema: &Schema, prefix: &str) -> (Schema, Vec<String>) {
    let mut mine = Schema::default();
    let mut foreign = Vec::new();
    for (name, t) in &schema.tables {
        if is_tool_table(name) {
            // The apply journal and the backup ledger are this tool's own: neither compared
            // nor listed.
            continue;
        }
        if name.starts_with(prefix) {
            mine.insert(t.clone());
        } else {
            foreign.push(name.clone());
        }
    }
    (mine, foreign)
}

/// Refuse to compare a database that is empty or plainly not the one the reference describes:
/// a wrong database name or prefix would otherwise show as "every table missing".
pub fn ensure_comparable(
    live: &Schema,
    reference: &Schema,
    what: &str,
    prefix: &str,
) -> Result<()> {
    if live.tables.is_empty() {
        return Err(Error::Input(format!(
            "{what} has no tables{}: check the database name and --prefix",
            if prefix.is_empty() {
                String::new()
            } else {
                format!(" with prefix '{prefix}'")
            }
        )));
    }
    let present = reference
        .tables
        .keys()
        .filter(|t| live.tables.contains_key(*t))
        .count();
    if present * 2 < reference.tables.len() {
        let sample: Vec<&String> = live.tables.keys().take(5).collect();
        return Err(Error::Input(format!(
            "{what} does not look like this schema: only {present} of the {} reference tables exist (it has {}{}); check the database name and --prefix",
            reference.tables.len(),
            sample
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if live.tables.len() > 5 { ", ..." } else { "" }
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn programs_of_a_dump_are_named_whatever_their_names() {
        let found = super::not_compared_in_dump(
            "CREATE VIEW IF NOT EXISTS `IFRAME_HITS` AS SELECT 1;\n\
             /*!50003 CREATE*/ /*!50003 TRIGGER `ifx` BEFORE UPDATE ON `leads` FOR EACH ROW SET @a = 1 */;\n",
        );
        assert_eq!(found, ["view IFRAME_HITS", "trigger ifx on leads"]);
    }
}
