//! `--url mysql://user[:password]@host[:port]/database`.

use super::env::Env;
use super::{ConfigError, DbSettings, Loaded, Secret};

fn percent_decode(s: &str) -> Result<String, ConfigError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| ConfigError::Url("bad %-escape".into()))?;
            out.push(
                u8::from_str_radix(hex, 16).map_err(|_| ConfigError::Url("bad %-escape".into()))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ConfigError::Url("%-escapes are not UTF-8".into()))
}

impl DbSettings {
    /// The password may be in the URL (the CLI then warns that `ps` shows it), else it comes
    /// from MAUTIC_DB_PASSWORD or MYSQL_PWD.
    pub fn from_url(url: &str, prefix: Option<&str>, env: &Env) -> Result<Loaded, ConfigError> {
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| {
                ConfigError::Url(
                    "must start with mysql:// (mysql://user@host:3306/database)".into(),
                )
            })?;
        let (auth, hostpart) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (hostport, db) = hostpart.split_once('/').ok_or_else(|| {
            ConfigError::Url("no database name (mysql://user@host:3306/database)".into())
        })?;
        let db = db.split('?').next().unwrap_or_default();
        if db.is_empty() {
            return Err(ConfigError::Url(
                "no database name (mysql://user@host:3306/database)".into(),
            ));
        }
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
                h,
                p.parse::<u16>()
                    .map_err(|_| ConfigError::Url(format!("'{p}' is not a port number")))?,
            ),
            _ => (hostport, 3306),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let (user, password, on_cli) = match auth {
            Some(a) => match a.split_once(':') {
                Some((u, p)) => (percent_decode(u)?, Some(percent_decode(p)?), true),
                None => (percent_decode(a)?, None, false),
            },
            None => ("root".to_string(), None, false),
        };
        let password = password
            .or_else(|| env.process_var("MAUTIC_DB_PASSWORD").map(str::to_string))
            .or_else(|| env.process_var("MYSQL_PWD").map(str::to_string))
            .unwrap_or_default();
        let host = if host.is_empty() {
            "127.0.0.1".to_string()
        } else {
            host.to_string()
        };
        Ok(Loaded {
            settings: DbSettings {
                socket: super::default_socket_for(&host),
                host,
                port,
                name: percent_decode(db)?,
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
    }
}
