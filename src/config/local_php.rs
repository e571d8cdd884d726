//! Finding an install's local.php (FACTS §1.1) and turning it into connection settings with
//! Mautic's own merge order (FACTS §1.2): local.php, parameters_local.php, the
//! MAUTIC_CONFIG_PARAMETERS JSON, then real `MAUTIC_DB_*` process variables.

use std::path::{Path, PathBuf};

use super::env::Env;
use super::php::{PhpValue, parse_parameters};
use super::{ConfigError, DbSettings, Loaded, Secret};

/// Where a local.php can be, in the order Mautic looks (5.x first, then the 1.x-4.x place, then
/// composer layouts).
fn candidates(dir: &Path) -> Vec<PathBuf> {
    vec![
        dir.join("config/local.php"),
        dir.join("app/config/local.php"),
        dir.join("docroot/app/config/local.php"),
        dir.join("../config/local.php"),
    ]
}

/// `$paths['local_config'] = '/data/local.php';` in paths_local.php relocates the file.
fn paths_local_override(dir: &Path) -> Option<PathBuf> {
    for p in [
        dir.join("config/paths_local.php"),
        dir.join("app/config/paths_local.php"),
    ] {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let at = text
            .find("['local_config']")
            .or_else(|| text.find("[\"local_config\"]"))?;
        let rest = &text[at..];
        let value = rest.split('=').nth(1)?.split(';').next()?.trim();
        let lit = value
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
        if lit.contains('%') {
            let root = dir.join("app");
            return Some(PathBuf::from(
                lit.replace("%kernel.project_dir%", &dir.display().to_string())
                    .replace("%kernel.root_dir%", &root.display().to_string()),
            ));
        }
        return Some(PathBuf::from(lit));
    }
    None
}

pub fn locate_local_php(dir: &Path) -> Result<PathBuf, ConfigError> {
    if !dir.is_dir() {
        return Err(ConfigError::NotFound {
            what: format!("Mautic directory {}", dir.display()),
            looked: vec![dir.to_path_buf()],
        });
    }
    let mut looked = Vec::new();
    if let Some(p) = paths_local_override(dir) {
        if p.is_file() {
            return Ok(p);
        }
        looked.push(p);
    }
    for c in candidates(dir) {
        if c.is_file() {
            return Ok(c);
        }
        looked.push(c);
    }
    Err(ConfigError::NotFound {
        what: format!("local.php of the Mautic install in {}", dir.display()),
        looked,
    })
}

/// The largest configuration file read. Mautic writes a local.php of a few kB (its installer's
/// is about 3 kB; with plugins' settings tens of kB): a file this big is not one.
pub const MAX_BYTES: u64 = 1024 * 1024;

fn read(path: &Path) -> Result<String, ConfigError> {
    let size = std::fs::metadata(path)
        .map_err(|e| ConfigError::read(path, e))?
        .len();
    if size > MAX_BYTES {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            msg: format!(
                "{:.1} MB: a Mautic local.php is a few kB and the tool reads at most {} MB; \
                 is this the right file? (--config names it)",
                size as f64 / 1e6,
                MAX_BYTES / (1024 * 1024)
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| ConfigError::read(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // `good` is valid UTF-8 up to here by construction.
        let before = String::from_utf8_lossy(good);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError::Invalid {
            path: path.to_path_buf(),
            msg: format!(
                "line {line}, column {col}: byte 0x{:02X} is not UTF-8 (a Latin-1 file?); \
                 save local.php as UTF-8",
                e.as_bytes()[e.utf8_error().valid_up_to()]
            ),
        }
    })
}

/// A parameter as a string (ints and bools stringified as PHP does); `None` when absent/null.
fn param(params: &[(String, PhpValue)], key: &str) -> Option<String> {
    params
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| match v {
            PhpValue::Null => None,
            PhpValue::Bool(false) => Some(String::new()),
            other => other.to_php_string(),
        })
}

fn merge(into: &mut Vec<(String, PhpValue)>, from: &PhpValue) {
    if let PhpValue::Array(items) = from {
        for (k, v) in items {
            let key = match k {
                super::php::PhpKey::Str(s) => s.clone(),
                super::php::PhpKey::Int(i) => i.to_string(),
            };
            into.push((key, v.clone()));
        }
    }
}

fn json_to_php(v: &serde_json::Value) -> PhpValue {
    match v {
        serde_json::Value::Null => PhpValue::Null,
        serde_json::Value::Bool(b) => PhpValue::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(PhpValue::Int)
            .unwrap_or_else(|| PhpValue::Float(n.as_f64().unwrap_or(0.0))),
        serde_json::Value::String(s) => PhpValue::Str(s.clone()),
        serde_json::Value::Array(a) => PhpValue::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| (super::php::PhpKey::Int(i as i64), json_to_php(x)))
                .collect(),
        ),
        serde_json::Value::Object(o) => PhpValue::Array(
            o.iter()
                .map(|(k, x)| (super::php::PhpKey::Str(k.clone()), json_to_php(x)))
                .collect(),
        ),
    }
}

/// Mautic replaces a string parameter containing `getenv(NAME)` with that variable
/// (FACTS §1.2 point 7; NAME is taken literally).
fn getenv_convention(value: String, env: &Env) -> String {
    if let Some(start) = value.find("getenv(")
        && let Some(end) = value[start..].find(')')
    {
        let name = &value[start + 7..start + end];
        return env.get(name).unwrap_or_default().to_string();
    }
    value
}

pub fn load_local_php(path: &Path, env: &Env) -> Result<Loaded, ConfigError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // `.env` files live at the project root: next to config/ (5.x) or above app/config (4.x).
    let root = dir
        .parent()
        .map(|p| {
            if p.ends_with("app") {
                p.parent().unwrap_or(p)
            } else {
                p
            }
        })
        .unwrap_or(dir);
    let env = env.clone().with_dotenv_dir(root);
    let mut warnings = Vec::new();
    let mut params: Vec<(String, PhpValue)> = Vec::new();
    let src = read(path)?;
    match parse_parameters(&src, path, &env)? {
        Some(p) => merge(&mut params, &p),
        None => {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                msg: "sets no $parameters array: is this Mautic's local.php?".into(),
            });
        }
    }
    let forced = dir.join("parameters_local.php");
    if forced.is_file()
        && let Some(p) = parse_parameters(&read(&forced)?, &forced, &env)?
    {
        merge(&mut params, &p);
    }
    if let Some(json) = env.process_var("MAUTIC_CONFIG_PARAMETERS") {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ConfigError::Invalid {
                path: PathBuf::from("$MAUTIC_CONFIG_PARAMETERS"),
                msg: format!("not a JSON object: {e}"),
            })?;
        merge(&mut params, &json_to_php(&v));
    }
    for extra in ["config_local.php", "security_local.php"] {
        if dir.join(extra).is_file() {
            warnings.push(format!("{} exists and may change the connection (sockets, SSL) in ways this tool does not read", dir.join(extra).display()));
        }
    }
    let get = |k: &str| param(&params, k).map(|v| getenv_convention(v, &env));
    if let Some(driver) = get("db_driver")
        && !matches!(driver.as_str(), "pdo_mysql" | "mysqli" | "")
    {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            msg: format!("db_driver is '{driver}': only MySQL/MariaDB installs are supported"),
        });
    }
    if get("db_host_ro").is_some_and(|h| !h.is_empty()) {
        warnings.push(
            "db_host_ro is set: the primary (db_host) is inspected, not the read replica".into(),
        );
    }
    // Real process variables override local.php (Mautic 3.x-5.x, FACTS §1.2 point 6).
    let over = |name: &str| env.process_var(name).map(str::to_string);
    let mut host = over("MAUTIC_DB_HOST")
        .or_else(|| get("db_host"))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "127.0.0.1".into());
    let mut port_text = over("MAUTIC_DB_PORT").or_else(|| get("db_port"));
    // Docker images v2-v4 accept host:port in MAUTIC_DB_HOST.
    if let Some((h, p)) = host.clone().rsplit_once(':')
        && !h.contains(':')
        && p.chars().all(|c| c.is_ascii_digit())
        && !p.is_empty()
    {
        host = h.to_string();
        port_text.get_or_insert_with(|| p.to_string());
    }
    let port = match port_text.filter(|p| !p.is_empty()) {
        None => 3306,
        Some(p) => p.trim().parse::<u16>().map_err(|_| ConfigError::Invalid {
            path: path.to_path_buf(),
            msg: format!("db_port '{p}' is not a port number"),
        })?,
    };
    let name = over("MAUTIC_DB_NAME")
        .or_else(|| over("MAUTIC_DB_DATABASE"))
        .or_else(|| get("db_name"))
        .unwrap_or_default();
    if name.is_empty() {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            msg: "db_name is empty: the install is not configured (or set MAUTIC_DB_NAME)".into(),
        });
    }
    let socket = super::default_socket_for(&host);
    Ok(Loaded {
        settings: DbSettings {
            host,
            port,
            name,
            user: over("MAUTIC_DB_USER")
                .or_else(|| get("db_user"))
                .unwrap_or_default(),
            password: Secret::new(
                over("MAUTIC_DB_PASSWORD")
                    .or_else(|| get("db_password"))
                    .unwrap_or_default(),
            ),
            prefix: over("MAUTIC_DB_TABLE_PREFIX")
                .or_else(|| get("db_table_prefix"))
                .unwrap_or_default(),
            socket,
            origin: path.display().to_string(),
            ssl_mode: Default::default(),
            ssl_ca: None,
        },
        warnings,
    })
}
