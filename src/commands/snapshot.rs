//! `snapshot`: write the schema of a healthy database (or dump) as a reference file that
//! `--reference-file` accepts: canonical CREATE TABLE text of the install's tables.

use std::io::Write as _;

use super::{Outcome, load_live, resolve_source};
use crate::cli::{Format, SnapshotArgs};
use crate::compare::split_by_prefix;
use crate::config::Env;
use crate::error::{Error, Result};
use crate::report::contract::{FORMAT_VERSION, SnapshotDoc, to_json};
use crate::schema::create_table_sql;

pub async fn run(args: &SnapshotArgs) -> Result<Outcome> {
    let resolved = resolve_source(
        &args.source,
        &args.tls,
        args.prefix.as_deref(),
        &Env::from_process(),
    )?;
    let live = load_live(&resolved).await?;
    let (mine, _) = split_by_prefix(&live.schema, &resolved.prefix);
    if mine.tables.is_empty() {
        return Err(Error::Input(format!(
            "{} has no tables to snapshot (prefix '{}')",
            live.description, resolved.prefix
        )));
    }
    let mut out = format!(
        "-- mautic-schema snapshot of {}\n-- provenance: snapshot of a live schema ({}), table prefix '{}'\n",
        live.description, live.server.version_string, resolved.prefix
    );
    for t in mine.tables.values() {
        out.push_str(&create_table_sql(t));
        out.push_str(";\n\n");
    }
    if let Some(path) = &args.output {
        std::fs::write(path, &out).map_err(|e| Error::Write {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    }
    let text = if args.format == Format::Json {
        to_json(&SnapshotDoc {
            format_version: FORMAT_VERSION,
            source: live.description.clone(),
            server_version: live.server.version_string.clone(),
            prefix: resolved.prefix.clone(),
            tables: mine.tables.keys().cloned().collect(),
            output: args.output.as_ref().map(|p| p.display().to_string()),
            ddl: args.output.is_none().then_some(out),
        })
    } else if args.output.is_none() {
        out
    } else {
        return Ok(Outcome::InSync);
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| Error::Input(e.to_string()))?;
    Ok(Outcome::InSync)
}
