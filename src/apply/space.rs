//! Disk and size awareness before a run: how big each rebuilt table is, how big the backup will
//! be and whether it fits where it goes, and whether the server's data directory (when it is on
//! this host) has room for a rebuild's copy.

use std::path::Path;

use crate::db::{Db, DbError};

#[derive(Debug, Clone, serde::Serialize)]
pub struct TableSize {
    pub table: String,
    /// The catalog's estimate (InnoDB's is approximate).
    pub rows: u64,
    /// Data plus indexes.
    pub bytes: u64,
}

/// Sizes of the database's tables (one catalog query), all of them when `only` is empty.
/// Naming the tables matters on a database of many installs: the server opens only those to
/// read their statistics.
pub async fn sizes(db: &mut Db, only: &[String]) -> Result<Vec<TableSize>, DbError> {
    let names = if only.is_empty() {
        String::new()
    } else {
        format!(" AND TABLE_NAME IN ({})", vec!["?"; only.len()].join(", "))
    };
    let binds: Vec<&str> = only.iter().map(String::as_str).collect();
    let rows = db
        .rows(
            "reading table sizes",
            &format!(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(COALESCE(TABLE_ROWS, 0) AS CHAR), \
                 CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS CHAR) \
                 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'{names}"
            ),
            &binds,
        )
        .await?;
    let num = |v: &Option<String>| v.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let table = r.first()?.clone()?;
            (only.is_empty() || only.contains(&table)).then(|| TableSize {
                rows: num(&r[1]),
                bytes: num(&r[2]),
                table,
            })
        })
        .collect())
}

/// Free bytes for an unprivileged writer on the filesystem holding `path` (or its nearest
/// existing ancestor: the backup folder may not exist yet).
pub fn free_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|a| a.exists())?;
    let c = std::ffi::CString::new(existing.as_os_str().as_encoded_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and a zeroed struct the call fills in.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

/// A size for people: B, kB, MB, GB (powers of 1024).
pub fn human(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units[u])
    }
}

/// The server's data directory, when the server runs on this host and it is readable here.
pub async fn local_datadir(db: &mut Db, host: &str, socket: bool) -> Option<std::path::PathBuf> {
    if !(socket || matches!(host, "localhost" | "127.0.0.1" | "::1")) {
        return None;
    }
    let rows = db
        .rows(
            "reading the data directory",
            "SELECT CAST(@@datadir AS CHAR)",
            &[],
        )
        .await
        .ok()?;
    let dir = std::path::PathBuf::from(rows.first()?.first()?.clone()?);
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    #[test]
    fn human_sizes() {
        assert_eq!(super::human(512), "512 B");
        assert_eq!(super::human(1536), "1.5 kB");
        assert_eq!(super::human(300 * 1024 * 1024), "300.0 MB");
    }

    #[test]
    fn free_space_of_a_folder_not_yet_made() {
        let p = std::env::temp_dir().join("ms-space-not-made/a/b");
        assert!(super::free_bytes(&p).is_some_and(|b| b > 0));
    }
}
