//! `--url mysql://user[:password]@host[:port]/database`.

use super::env::Env;
use super::{ConfigError, DbSettings, Loaded, Secret};

/// URL parsing is the `url` crate's (the one sqlx uses for its own `mysql://` URLs); only the
/// defaults and the messages are ours.
fn decode(part: &str, what: &str) -> Result<String, ConfigError> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ConfigError::Url(format!("the %-escapes of the {what} are not UTF-8")))
}

const SHAPE: &str = "mysql://user@host:3306/database";

impl DbSettings {
    /// The password may be in the URL (the CLI then warns that `ps` shows it), else it comes
    /// from MAUTIC_DB_PASSWORD or MYSQL_PWD.
    pub fn from_url(url: &str, prefix: Option<&str>, env: &Env) -> Result<Loaded, ConfigError> {
        if !(url.starts_with("mysql://") || url.starts_with("mariadb://")) {
            return Err(ConfigError::Url(format!(
                "must start with mysql:// ({SHAPE})"
            )));
        }
        let u = url::Url::parse(url).map_err(|e| ConfigError::Url(format!("{e} ({SHAPE})")))?;
        let db = u.path().trim_start_matches('/');
        if db.is_empty() || db.contains('/') {
            return Err(ConfigError::Url(format!("no database name ({SHAPE})")));
        }
        let host = match u.host_str().unwrap_or_default() {
            "" => "127.0.0.1".to_string(),
            h => h.trim_start_matches('[').trim_end_matches(']').to_string(),
        };
        let user = match u.username() {
            "" => "root".to_string(),
            name => decode(name, "user")?,
        };
        let in_url = u.password().map(|p| decode(p, "password")).transpose()?;
        let on_cli = in_url.is_some();
        let password = in_url
            .or_else(|| env.process_var("MAUTIC_DB_PASSWORD").map(str::to_string))
            .or_else(|| env.process_var("MYSQL_PWD").map(str::to_string))
            .unwrap_or_default();
        Ok(Loaded {
            settings: DbSettings {
                socket: super::default_socket_for(&host),
                host,
                port: u.port().unwrap_or(3306),
                name: decode(db, "database name")?,
                user,
                password: Secret::new(password),
                prefix: prefix.unwrap_or_default().to_string(),
                origin: "--url".into(),
                ssl_mode: Default::default(),
                ssl_ca: None,
            },
            warnings: if on_cli {
                vec!["the password in --url is visible to other users of this machine (ps); prefer MAUTIC_DB_PASSWORD".into()]
            } else {
                Vec::new()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let env = Env::from_pairs([("MAUTIC_DB_PASSWORD".to_string(), "fromenv".to_string())]);
        let l = DbSettings::from_url(
            "mysql://mautic@db.internal:3307/mau%5Ftic",
            Some("mau_"),
            &env,
        )
        .unwrap();
        let s = &l.settings;
        assert_eq!(
            (
                s.host.as_str(),
                s.port,
                s.name.as_str(),
                s.user.as_str(),
                s.prefix.as_str()
            ),
            ("db.internal", 3307, "mau_tic", "mautic", "mau_")
        );
        assert_eq!(s.password.expose(), "fromenv");
        assert!(l.warnings.is_empty());
        let l = DbSettings::from_url("mysql://u:p%40ss@h/d", None, &Env::default()).unwrap();
        assert_eq!(l.settings.password.expose(), "p@ss");
        assert!(
            !l.warnings.is_empty(),
            "a password in the URL is warned about"
        );
        assert!(!format!("{} {:?}", l.settings, l.settings).contains("p@ss"));
        assert!(DbSettings::from_url("postgres://x/y", None, &Env::default()).is_err());
        assert!(DbSettings::from_url("mysql://u@h:99999/d", None, &Env::default()).is_err());
        assert!(DbSettings::from_url("mysql://u@h:3306", None, &Env::default()).is_err());
        assert!(DbSettings::from_url("mysql://u@h/%FF", None, &Env::default()).is_err());
        let l = DbSettings::from_url("mysql://[::1]:3307/d?ssl=1", None, &Env::default()).unwrap();
        assert_eq!((l.settings.host.as_str(), l.settings.port), ("::1", 3307));
        assert_eq!(
            (l.settings.user.as_str(), l.settings.name.as_str()),
            ("root", "d")
        );
        let l = DbSettings::from_url("mysql://us%3Aer:p:w@h/d", None, &Env::default()).unwrap();
        assert_eq!(l.settings.user, "us:er");
        assert_eq!(l.settings.password.expose(), "p:w");
        let l = DbSettings::from_url("mysql:///d", None, &Env::default()).unwrap();
        assert_eq!(l.settings.host, "127.0.0.1");
    }
}
