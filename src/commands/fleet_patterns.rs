//! The fleet's glob patterns (`--mautic-dir '/var/www/*'`), expanded by the tool because cron
//! and systemd have no shell to do it. A pattern without `**` goes to the glob crate as it is.
//! One with `**` is walked here: the glob crate follows directory symlinks inside `**`, so a
//! symlink loop under the pattern made it run until memory ran out. The walk below never
//! enters a symlinked directory below the pattern's fixed part and stops at [`MAX_DEPTH`].

use std::path::{Path, PathBuf};

/// How deep `**` looks below the pattern's fixed part: Mautic installs sit a few levels down,
/// and a bound keeps a bind-mount loop finite too.
pub const MAX_DEPTH: usize = 16;

/// Whether a `--mautic-dir`/`--config` value is a pattern to expand.
pub fn is_pattern(p: &Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '['])
}

/// The paths a pattern matches, sorted; `Err` says why none (the pattern's text as given).
pub fn expand(pattern: &str) -> Result<Vec<PathBuf>, String> {
    let paths = if pattern.contains("**") {
        recursive(pattern)?
    } else {
        glob::glob(pattern)
            .map_err(|e| format!("{pattern}: not a valid pattern: {}", e.msg))?
            .filter_map(|r| r.ok())
            .collect()
    };
    if paths.is_empty() {
        return Err(format!("{pattern}: the pattern matches nothing"));
    }
    Ok(paths)
}

/// A `**` pattern: the fixed part before the first component with a wildcard is the root of a
/// walk that does not follow directory symlinks; every path met is matched against the whole
/// pattern (`*` never crossing a `/`, `**` any number of directories).
fn recursive(pattern: &str) -> Result<Vec<PathBuf>, String> {
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let want_dir = pattern.ends_with('/');
    let trimmed = pattern.trim_end_matches('/');
    let compiled = glob::Pattern::new(trimmed)
        .map_err(|e| format!("{pattern}: not a valid pattern: {}", e.msg))?;
    let root: PathBuf = Path::new(trimmed)
        .components()
        .take_while(|c| !is_pattern(Path::new(c.as_os_str())))
        .collect();
    // The fixed part (a symlink given literally is followed, as a shell would).
    let mut out = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if compiled.matches_path_with(&dir, options) && (!want_dir || dir.is_dir()) {
            out.push(dir.clone());
        }
        if depth >= MAX_DEPTH {
            continue;
        }
        // A pattern starting with `**` walks the current folder, its paths kept relative.
        let read_from = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir.as_path()
        };
        let Ok(entries) = std::fs::read_dir(read_from) else {
            continue;
        };
        for e in entries.flatten() {
            let path = dir.join(e.file_name());
            // `file_type` does not follow a symlink: a linked directory is a candidate itself
            // but is never entered.
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push((path, depth + 1)),
                Ok(_) => {
                    if compiled.matches_path_with(&path, options) && (!want_dir || path.is_dir()) {
                        out.push(path);
                    }
                }
                Err(_) => {}
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_star_finds_nested_installs_and_does_not_enter_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for site in ["a/config", "b/deep/config"] {
            std::fs::create_dir_all(root.join(site)).unwrap();
            std::fs::write(root.join(site).join("local.php"), "<?php").unwrap();
        }
        // A loop: root/a/up -> root.
        std::os::unix::fs::symlink(root, root.join("a/up")).unwrap();
        let pattern = format!("{}/**/config/local.php", root.display());
        let found = expand(&pattern).unwrap();
        assert_eq!(
            found,
            vec![
                root.join("a/config/local.php"),
                root.join("b/deep/config/local.php")
            ]
        );
        let dirs = expand(&format!("{}/**/config/", root.display())).unwrap();
        assert_eq!(dirs.len(), 2, "{dirs:?}");
        let none = format!("{}/**/nothing", root.display());
        assert_eq!(
            expand(&none).unwrap_err(),
            format!("{none}: the pattern matches nothing")
        );
    }
}
