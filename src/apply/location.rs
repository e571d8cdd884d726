//! Where backups go. A backup holds contacts and password hashes, so: never in the current
//! directory by default (run from a Mautic root it would land under the web root), never inside
//! the Mautic install, and never by changing the permissions of a directory the user already
//! has (a shared 1777 folder stays 1777): each backup gets its own new 0700 folder.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The folder backups go under: the one asked for, else `$XDG_STATE_HOME/mautic-schema/backups`,
/// else `~/.local/state/mautic-schema/backups`.
pub fn backup_root(asked: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = asked {
        return Ok(p.to_path_buf());
    }
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let state = nonempty("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| nonempty("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .ok_or_else(|| {
            Error::Input(
                "no HOME or XDG_STATE_HOME to keep the backup in: pass --backup-dir".into(),
            )
        })?;
    Ok(state.join("mautic-schema").join("backups"))
}

/// Refuse a backup folder inside a Mautic install (or its docroot): the web server could serve it.
/// Besides the installs named, any folder above `root` that looks like a Mautic root counts.
pub fn refuse_inside_install(root: &Path, installs: &[PathBuf]) -> Result<()> {
    let root = resolved(root);
    let found = root
        .ancestors()
        .filter(|a| looks_like_mautic(a))
        .map(Path::to_path_buf);
    let named: Vec<PathBuf> = installs.iter().map(|i| resolved(i)).collect();
    for install in named.into_iter().chain(found) {
        if root.starts_with(&install) {
            return Err(Error::Input(format!(
                "the backup folder {} is inside the Mautic install {}: a database dump there could be served by the web server; pass --backup-dir outside it",
                root.display(),
                install.display()
            )));
        }
    }
    Ok(())
}

fn looks_like_mautic(dir: &Path) -> bool {
    [
        "app/config/local.php",
        "app/AppKernel.php",
        "docroot/app/config/local.php",
    ]
    .iter()
    .any(|m| dir.join(m).is_file())
}

/// The path with symlinks resolved as far as it exists (the rest appended), absolute.
fn resolved(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            return rest.iter().rev().fold(c, |acc, r| acc.join(r));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Create `root` if missing (new folders 0700; an existing one is left exactly as it is), then
/// a new private folder for this backup inside it.
pub fn private_backup_dir(root: &Path, name: &str) -> Result<PathBuf> {
    let write_err = |path: &Path, e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(root)
        .map_err(|e| write_err(root, e))?;
    super::files::check_backup_root(root)?;
    for n in 0..100 {
        let dir = match n {
            0 => root.join(name),
            _ => root.join(format!("{name}-{n}")),
        };
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(write_err(&dir, e)),
        }
    }
    Err(Error::Write {
        path: root.join(name),
        reason: "already exists".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_install_is_refused_outside_is_not() {
        let base = std::env::temp_dir().join(format!("ms-loc-{}", std::process::id()));
        let install = base.join("mautic");
        std::fs::create_dir_all(install.join("docroot")).unwrap();
        let inside = [
            install.clone(),
            install.join("docroot/backups"),
            install.join("var/../x"),
        ];
        for p in inside {
            assert!(
                refuse_inside_install(&p, std::slice::from_ref(&install)).is_err(),
                "{}",
                p.display()
            );
        }
        assert!(
            refuse_inside_install(&base.join("elsewhere"), std::slice::from_ref(&install)).is_ok()
        );
        // Found without being named: a folder above with Mautic's config in it.
        std::fs::create_dir_all(install.join("docroot/app/config")).unwrap();
        std::fs::write(install.join("docroot/app/config/local.php"), "<?php").unwrap();
        assert!(refuse_inside_install(&install.join("docroot/media/b"), &[]).is_err());
        assert!(refuse_inside_install(&base.join("elsewhere"), &[]).is_ok());
        let _ = std::fs::remove_dir_all(base);
    }
}
