//! Environment access as a value: built from the process (plus `.env` files, which fill in only
//! what the process does not set) or given explicitly in tests, which must not mutate the real
//! environment.

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Real process variables: these override local.php (FACTS §1.2 point 6).
    process: HashMap<String, String>,
    /// Variables from `.env` files: visible to `getenv()` in local.php, but they do not
    /// override it (Symfony's Dotenv::populate keeps local.php's exported values).
    dotenv: HashMap<String, String>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            process: std::env::vars().collect(),
            dotenv: HashMap::new(),
        }
    }

    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Env {
        Env {
            process: pairs.into_iter().collect(),
            dotenv: HashMap::new(),
        }
    }

    /// Read `.env`, `.env.local` (Mautic 5's bootstrap order) from an install directory.
    pub fn with_dotenv_dir(mut self, dir: &Path) -> Env {
        for name in [".env", ".env.local"] {
            let path = dir.join(name);
            if let Ok(iter) = dotenvy::from_path_iter(&path) {
                for (k, v) in iter.flatten() {
                    self.dotenv.insert(k, v);
                }
            }
        }
        self
    }

    /// What `getenv()` in local.php sees.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.process
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .map(String::as_str)
    }

    /// Only real process variables: the ones that override local.php.
    pub fn process_var(&self, name: &str) -> Option<&str> {
        self.process.get(name).map(String::as_str)
    }
}
