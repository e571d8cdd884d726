//! A backup is a manifest plus a dump. The manifest says what the dump is for and what it
//! holds, so that resume and restore read it instead of guessing: the plan it was taken for,
//! the tables the dump holds, the tables the plan creates (a rollback drops them), the install's
//! prefix and the schema's fingerprint before the run.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};
use crate::schema::{Schema, create_table_sql};

pub const FILE: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub database: String,
    pub prefix: String,
    /// The dump's file name, in the manifest's folder.
    pub dump: String,
    pub sha256: String,
    pub bytes: u64,
    /// Whether the dump holds the whole database or only `tables`.
    pub whole_database: bool,
    /// Tables the dump holds (for a whole-database dump: every table there was).
    pub tables: Vec<String>,
    /// Tables the plan creates: absent before, dropped by a rollback.
    pub creates: Vec<String>,
    /// Tables the plan changes (existing before).
    pub plan_tables: Vec<String>,
    /// sha256 of the plan's statements, in order.
    pub plan_sha256: String,
    /// `fingerprint` of the install's tables before the run.
    pub fingerprint_before: String,
}

impl Manifest {
    /// Whether the dump holds every existing table a plan touches.
    pub fn covers(&self, touched: &[String]) -> bool {
        self.whole_database || touched.iter().all(|t| self.tables.contains(t))
    }

    pub fn dump_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.dump)
    }

    /// Write `dir/manifest.json` (see `files::create_new`: 0600, never overwriting, no link followed).
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let path = dir.join(FILE);
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        let err = |e: std::io::Error| Error::Write {
            path: path.clone(),
            reason: e.to_string(),
        };
        let mut f = super::files::create_new(&path)?;
        f.write_all(text.as_bytes()).map_err(err)?;
        f.sync_all().map_err(err)?;
        Ok(path)
    }

    /// The manifest beside a dump (or in a backup folder), if there is one.
    pub fn find(backup: &Path) -> Result<Option<(Manifest, PathBuf)>> {
        let dir = if backup.is_dir() {
            backup.to_path_buf()
        } else {
            backup.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::read(&path, e)),
        };
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| Error::Input(format!("{}: not a backup manifest: {e}", path.display())))?;
        Ok(Some((m, dir)))
    }
}

/// sha256 of the schema's canonical CREATE TABLE texts, in name order.
pub fn fingerprint(schema: &Schema) -> String {
    let mut h = Sha256::new();
    for t in schema.tables.values() {
        h.update(create_table_sql(t).as_bytes());
        h.update(b";\n");
    }
    hex(&h.finalize())
}

pub fn plan_hash(statements: impl Iterator<Item = String>) -> String {
    let mut h = Sha256::new();
    for s in statements {
        h.update(s.as_bytes());
        h.update(b";\n");
    }
    hex(&h.finalize())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}
