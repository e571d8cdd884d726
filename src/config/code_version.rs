//! The Mautic release of an install's files (FACTS §2): `app/release_metadata.json` (3.x+),
//! else the AppKernel constants (authoritative for 1.x/2.x), else `app/version.txt`.

use std::path::{Path, PathBuf};

use super::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeVersion {
    /// `4.4.13` (suffixes such as `-dev` removed).
    pub version: String,
    pub source: PathBuf,
}

fn app_dirs(dir: &Path) -> [PathBuf; 3] {
    [dir.join("app"), dir.join("docroot/app"), dir.to_path_buf()]
}

fn base_version(raw: &str) -> String {
    raw.trim()
        .split(['-', '+', ' '])
        .next()
        .unwrap_or("")
        .to_string()
}

pub fn code_version(dir: &Path) -> Result<Option<CodeVersion>, ConfigError> {
    for app in app_dirs(dir) {
        let meta = app.join("release_metadata.json");
        if meta.is_file() {
            let text = std::fs::read_to_string(&meta).map_err(|e| ConfigError::read(&meta, e))?;
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
                    path: meta.clone(),
                    msg: format!("not JSON: {e}"),
                })?;
            let raw =
                v.get("version")
                    .and_then(|x| x.as_str())
                    .ok_or_else(|| ConfigError::Invalid {
                        path: meta.clone(),
                        msg: "no \"version\" key".into(),
                    })?;
            return Ok(Some(CodeVersion {
                version: base_version(raw),
                source: meta,
            }));
        }
        let kernel = app.join("AppKernel.php");
        if kernel.is_file() {
            let text =
                std::fs::read_to_string(&kernel).map_err(|e| ConfigError::read(&kernel, e))?;
            let constant = |name: &str| -> Option<String> {
                let at = text.find(&format!("const {name}"))?;
                let rest = &text[at..];
                let value = rest
                    .split('=')
                    .nth(1)?
                    .split(';')
                    .next()?
                    .trim()
                    .trim_matches(['\'', '"']);
                Some(value.to_string())
            };
            if let (Some(a), Some(b), Some(c)) = (
                constant("MAJOR_VERSION"),
                constant("MINOR_VERSION"),
                constant("PATCH_VERSION"),
            ) {
                // EXTRA_VERSION (`-dev`, `-beta`) is not part of the release compared with.
                return Ok(Some(CodeVersion {
                    version: format!("{a}.{b}.{c}"),
                    source: kernel,
                }));
            }
        }
        let txt = app.join("version.txt");
        if txt.is_file() {
            let raw = std::fs::read_to_string(&txt).map_err(|e| ConfigError::read(&txt, e))?;
            return Ok(Some(CodeVersion {
                version: base_version(&raw),
                source: txt,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_metadata_kernel_and_version_txt() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().to_path_buf();
        let app = d.join("app");
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("version.txt"), "2.8.2-dev\n").unwrap();
        assert_eq!(code_version(&d).unwrap().unwrap().version, "2.8.2");
        std::fs::write(app.join("AppKernel.php"), "<?php class AppKernel {\n const MAJOR_VERSION = 2;\n const MINOR_VERSION = 8;\n const PATCH_VERSION = 2;\n const EXTRA_VERSION = '';\n}").unwrap();
        let v = code_version(&d).unwrap().unwrap();
        assert_eq!(
            (
                v.version.as_str(),
                v.source.file_name().unwrap().to_str().unwrap()
            ),
            ("2.8.2", "AppKernel.php")
        );
        std::fs::write(
            app.join("release_metadata.json"),
            r#"{"version":"4.4.13","stability":"stable"}"#,
        )
        .unwrap();
        assert_eq!(code_version(&d).unwrap().unwrap().version, "4.4.13");
    }
}
