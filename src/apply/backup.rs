//! The backup taken before any DDL: mysqldump/mariadb-dump with the password in a 0600
//! defaults file (never on the command line, where `ps` shows it), written 0600, then
//! verified (complete trailer, size, sha256).

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use crate::db::ConnectParams;
use crate::error::{Error, Result};

/// A temporary MySQL option file holding the credentials; removed when dropped.
pub struct DefaultsFile {
    pub path: PathBuf,
}

impl DefaultsFile {
    pub fn new(dir: &Path, p: &ConnectParams<'_>) -> Result<DefaultsFile> {
        let path = dir.join(format!(
            ".mautic-schema-{}-{}.cnf",
            std::process::id(),
            nanos()
        ));
        let mut f = create_private(&path)?;
        let text = option_file_text(p);
        f.write_all(text.as_bytes()).map_err(|e| Error::Write {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        Ok(DefaultsFile { path })
    }
}

/// The `[client]` option-file text for a connection: credentials, where to connect, TLS.
/// Shared by every client tool we run (dump, restore, pt-online-schema-change).
pub fn option_file_text(p: &ConnectParams<'_>) -> String {
    // Option-file values: double quotes with backslash escapes keep any password intact.
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut text = format!(
        "[client]\nuser=\"{}\"\npassword=\"{}\"\n",
        esc(p.user),
        esc(p.password)
    );
    match p.socket {
        Some(s) => text.push_str(&format!("socket=\"{}\"\n", esc(&s.display().to_string()))),
        None => text.push_str(&format!(
            "host=\"{}\"\nport={}\nprotocol=TCP\n",
            esc(p.host),
            p.port
        )),
    }
    // TLS as the connection uses it. MySQL's clients know ssl-mode, MariaDB's ssl and
    // ssl-verify-server-cert; `loose-` makes each client skip the options it does not know.
    use crate::cli::SslMode;
    match p.tls.mode {
        SslMode::Disabled => text.push_str("loose-ssl-mode=DISABLED\nloose-skip-ssl\n"),
        SslMode::Preferred => {}
        SslMode::Required => text.push_str("loose-ssl-mode=REQUIRED\nloose-ssl\n"),
        SslMode::VerifyCa => {
            text.push_str("loose-ssl-mode=VERIFY_CA\nloose-ssl\nloose-ssl-verify-server-cert\n")
        }
        SslMode::VerifyIdentity => text
            .push_str("loose-ssl-mode=VERIFY_IDENTITY\nloose-ssl\nloose-ssl-verify-server-cert\n"),
    }
    if let Some(ca) = p.tls.ca {
        text.push_str(&format!(
            "loose-ssl-ca=\"{}\"\n",
            esc(&ca.display().to_string())
        ));
    }
    text
}

impl Drop for DefaultsFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A new file only its owner can read (0600), never overwriting an existing one.
fn create_private(path: &Path) -> Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// First of the named programs found on PATH.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    /// Tables dumped; empty means the whole database.
    pub tables: Vec<String>,
}

impl Backup {
    /// The command that restores it (the password comes from a defaults file or a prompt).
    pub fn restore_command(&self, p: &ConnectParams<'_>) -> String {
        format!(
            "mariadb --defaults-extra-file=YOUR_CREDENTIALS.cnf -h {} -P {} -u {} {} < {}",
            p.host,
            p.port,
            p.user,
            p.database,
            self.path.display()
        )
    }
}

/// Dump the database (or only `tables` when `only_tables`) to `dir/<db>-<timestamp>.sql`.
pub fn take_backup(
    dir: &Path,
    p: &ConnectParams<'_>,
    tables: &[String],
    only_tables: bool,
    stamp: &str,
) -> Result<Backup> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Write {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    let dump = find_program(&["mariadb-dump", "mysqldump"])
        .ok_or_else(|| Error::Input("neither mariadb-dump nor mysqldump is installed: install the MariaDB/MySQL client, or pass --no-backup after taking one yourself".into()))?;
    let defaults = DefaultsFile::new(dir, p)?;
    let path = dir.join(format!("{}-{stamp}.sql", p.database));
    let out = create_private(&path)?;
    let mut cmd = Command::new(&dump);
    // --defaults-extra-file must come first.
    cmd.arg(format!("--defaults-extra-file={}", defaults.path.display()))
        .args([
            "--single-transaction",
            "--quick",
            "--routines",
            "--triggers",
            "--hex-blob",
            "--default-character-set=utf8mb4",
            "--add-drop-table",
            "--no-tablespaces",
            "--dump-date",
        ])
        .arg(p.database);
    if tables.is_empty() && only_tables {
        // Nothing existing is touched (only new tables): keep the schema as it was.
        cmd.arg("--no-data");
    }
    cmd.args(tables);
    let result = cmd
        .stdout(out)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Error::Input(format!("cannot run {}: {e}", dump.display())))?;
    if !result.status.success() {
        let _ = std::fs::remove_file(&path);
        let err = String::from_utf8_lossy(&result.stderr);
        return Err(Error::Refused(format!(
            "backup failed, nothing was changed: {}",
            err.lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("dump tool exited with an error")
        )));
    }
    verify_backup(&path, tables)
}

/// A dump is complete when its last line is mysqldump's `-- Dump completed` trailer.
pub fn verify_backup(path: &Path, tables: &[String]) -> Result<Backup> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(200)..]).to_string();
    if !tail.contains("-- Dump completed") {
        return Err(Error::Refused(format!(
            "backup {} is incomplete (no \"Dump completed\" trailer): nothing was changed",
            path.display()
        )));
    }
    let sha = Sha256::digest(&bytes);
    Ok(Backup {
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        sha256: sha.iter().map(|b| format!("{b:02x}")).collect(),
        tables: tables.to_vec(),
    })
}
