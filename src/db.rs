//! One connection to a MySQL/MariaDB server, with the few primitives the rest of the tool
//! needs: string-typed row fetching, statement execution, and a count of queries issued (the
//! benchmark reports it, and inspection must stay at a constant number).

use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};

pub use crate::dialect::SESSION_SQL_MODE;
use sqlx::{AssertSqlSafe, Connection, Row};

use crate::dialect::{ServerError, ServerInfo};

/// Where to connect. The password is borrowed, never stored in anything printable.
#[derive(Clone, Copy)]
pub struct ConnectParams<'a> {
    pub host: &'a str,
    pub port: u16,
    pub user: &'a str,
    pub password: &'a str,
    pub database: &'a str,
    pub socket: Option<&'a std::path::Path>,
    pub tls: Tls<'a>,
}

/// How the connection uses TLS (the mysql client's `--ssl-mode` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    Disabled,
    /// Encrypt when the server offers it.
    #[default]
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

/// TLS settings for the connection and for the client tools (dump, restore).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tls<'a> {
    pub mode: SslMode,
    pub ca: Option<&'a std::path::Path>,
}

impl std::fmt::Debug for ConnectParams<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {target}: {reason}")]
    Connect {
        target: String,
        reason: String,
        /// The server's error number (1045 for a wrong password), when the server answered.
        code: Option<u16>,
    },
    #[error("query failed: {reason} (while {doing})")]
    Query {
        doing: String,
        reason: String,
        /// The server's error number, when the server answered (not for a lost connection).
        code: Option<u16>,
    },
}

impl DbError {
    /// The server's error number, when the server gave one.
    pub fn code(&self) -> Option<u16> {
        match self {
            DbError::Connect { code, .. } | DbError::Query { code, .. } => *code,
        }
    }

    /// The error as the tool knows it (see `dialect::ServerError`), matched by number.
    pub fn server_error(&self) -> Option<ServerError> {
        self.code().and_then(ServerError::from_number)
    }

    /// Whether the server answered with this error.
    pub fn is(&self, e: ServerError) -> bool {
        self.server_error() == Some(e)
    }

    /// InnoDB's own errno inside a 1005 "Can't create table" (150: a foreign key the engine
    /// cannot make; 121: a constraint name already used): a number the message carries,
    /// because the protocol has no field for it.
    pub fn errno(&self) -> Option<u32> {
        if self.code() != Some(ServerError::CannotCreateTable.number()) {
            return None;
        }
        let DbError::Query { reason, .. } = self else {
            return None;
        };
        let rest = &reason[reason.find("errno: ")? + "errno: ".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
}

pub struct Db {
    conn: MySqlConnection,
    pub server: ServerInfo,
    pub database: String,
    /// Queries sent since connecting (connection setup included).
    pub queries: u32,
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection not made after this long is announced: an unreachable (blackholed) host
/// otherwise looks like a hang for the whole timeout.
const ANNOUNCE_AFTER: Duration = Duration::from_secs(1);

/// Who is told of a slow connection (the command layer: a line on stderr); nobody by default.
static SLOW_CONNECT: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Have `notice` told, once a connection takes longer than a second, where it waits and for
/// how long at most.
pub fn on_slow_connect(notice: fn(&str)) {
    let _ = SLOW_CONNECT.set(notice);
}

/// `connect`, given up after [`CONNECT_TIMEOUT`], announced after [`ANNOUNCE_AFTER`].
async fn connect_in_time(
    opts: &MySqlConnectOptions,
    place: &str,
) -> Result<Result<MySqlConnection, sqlx::Error>, tokio::time::error::Elapsed> {
    let connecting = MySqlConnection::connect_with(opts);
    tokio::time::timeout(CONNECT_TIMEOUT, async {
        let mut connecting = std::pin::pin!(connecting);
        tokio::select! {
            done = &mut connecting => return done,
            _ = tokio::time::sleep(ANNOUNCE_AFTER) => {}
        }
        if let Some(notice) = SLOW_CONNECT.get() {
            notice(&format!(
                "waiting for {place} to answer (at most {} s)...",
                CONNECT_TIMEOUT.as_secs()
            ));
        }
        connecting.await
    })
    .await
}

/// The server's error number of a failed call, when the server answered.
fn number(e: &sqlx::Error) -> Option<u16> {
    match e {
        sqlx::Error::Database(d) => d
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .map(|m| m.number()),
        _ => None,
    }
}

fn one_line(e: &sqlx::Error) -> String {
    let s = match e {
        sqlx::Error::Database(d) => match d.code() {
            Some(code) => format!("{} (SQLSTATE {code})", d.message()),
            None => d.message().to_string(),
        },
        other => other.to_string(),
    };
    // The server quotes names and values from the schema in its messages: keep them on one line.
    crate::text::one_line(s.trim_end()).into_owned()
}

impl Db {
    pub async fn connect(p: &ConnectParams<'_>) -> Result<Db, DbError> {
        let target = format!("{}@{}:{}/{}", p.user, p.host, p.port, p.database);
        let mut opts = MySqlConnectOptions::new()
            .host(p.host)
            .port(p.port)
            .username(p.user)
            .database(p.database)
            .charset("utf8mb4");
        // An empty password must not be sent at all: the server then sees "using password: YES"
        // and denies an account that has none.
        if !p.password.is_empty() {
            opts = opts.password(p.password);
        }
        if let Some(s) = p.socket {
            opts = opts.socket(s);
        }
        use sqlx::mysql::MySqlSslMode;
        opts = opts.ssl_mode(match p.tls.mode {
            SslMode::Disabled => MySqlSslMode::Disabled,
            SslMode::Preferred => MySqlSslMode::Preferred,
            SslMode::Required => MySqlSslMode::Required,
            SslMode::VerifyCa => MySqlSslMode::VerifyCa,
            SslMode::VerifyIdentity => MySqlSslMode::VerifyIdentity,
        });
        if let Some(ca) = p.tls.ca {
            opts = opts.ssl_ca(ca);
        }
        let place = match p.socket {
            Some(s) => s.display().to_string(),
            None => format!("{}:{}", p.host, p.port),
        };
        let conn = connect_in_time(&opts, &place)
            .await
            .map_err(|_| DbError::Connect {
                target: target.clone(),
                reason: format!(
                    "no answer within {}s; check host and port",
                    CONNECT_TIMEOUT.as_secs()
                ),
                code: None,
            })?
            .map_err(|e| DbError::Connect {
                target: target.clone(),
                reason: one_line(&e),
                code: number(&e),
            })?;
        let mut db = Db {
            conn,
            server: ServerInfo::unknown(),
            database: p.database.to_string(),
            queries: 0,
        };
        // Whatever the server's default: literals we render mean what they say, and a change
        // that would lose data fails instead of truncating.
        db.execute(&format!(
            "SET SESSION sql_mode = '{SESSION_SQL_MODE}', group_concat_max_len = 65536"
        ))
        .await?;
        db.queries = 0;
        db.server = read_server(&mut db).await?;
        Ok(db)
    }

    /// Run a query whose selected columns are all strings (CAST them in SQL) and return the
    /// rows as optional strings. `binds` are bound in order as strings.
    pub async fn rows(
        &mut self,
        doing: &str,
        sql: &str,
        binds: &[&str],
    ) -> Result<Vec<Vec<Option<String>>>, DbError> {
        self.queries += 1;
        let mut q = sqlx::query(AssertSqlSafe(sql.to_string()));
        for b in binds {
            q = q.bind(b.to_string());
        }
        let rows = q
            .fetch_all(&mut self.conn)
            .await
            .map_err(|e| DbError::Query {
                doing: doing.to_string(),
                reason: one_line(&e),
                code: number(&e),
            })?;
        // A value that does not decode as text is an error, not a NULL: a NULL would read as
        // "no default" or "no comment" and become a difference (or hide one).
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get_unchecked::<Option<String>, _>(i)
                            .map_err(|e| DbError::Query {
                                doing: format!("{doing} (column {} of the result)", i + 1),
                                reason: one_line(&e),
                                code: None,
                            })
                    })
                    .collect()
            })
            .collect()
    }

    /// The first column of the first row of [`Db::rows`] (`None` for no row or a NULL): what a
    /// count, a flag or an id query answers.
    pub async fn value(
        &mut self,
        doing: &str,
        sql: &str,
        binds: &[&str],
    ) -> Result<Option<String>, DbError> {
        let rows = self.rows(doing, sql, binds).await?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten()))
    }

    /// Execute one statement (DDL or DML) through the text protocol; returns affected rows.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        self.queries += 1;
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| DbError::Query {
                doing: format!("running {}", first_words(sql)),
                reason: one_line(&e),
                code: number(&e),
            })
    }
}

/// The server's version and the collation each charset gets when none is named (MariaDB 11.4
/// and MySQL 8 changed them; a server's configuration can too), in one query, plus
/// `@@character_set_collations` where it exists (MariaDB 11.2+), which overrides them, and the
/// database's own default collation (a table created without a character set takes it).
async fn read_server(db: &mut Db) -> Result<ServerInfo, DbError> {
    const SQL: &str = "SELECT CAST(VERSION() AS CHAR), (SELECT CAST(GROUP_CONCAT(CONCAT(CHARACTER_SET_NAME, '=', DEFAULT_COLLATE_NAME) SEPARATOR ',') AS CHAR) FROM information_schema.CHARACTER_SETS), CAST(@@collation_database AS CHAR)";
    let rows = db.rows("reading the server version", SQL, &[]).await?;
    let row = rows.into_iter().next().unwrap_or_default();
    let mut server = ServerInfo::parse(row.first().cloned().flatten().as_deref().unwrap_or(""));
    let overrides = if server.has_character_set_collations() {
        let rows = db
            .rows(
                "reading @@character_set_collations",
                "SELECT CAST(@@character_set_collations AS CHAR)",
                &[],
            )
            .await?;
        rows.into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
    } else {
        None
    };
    let charsets = row.get(1).cloned().flatten().unwrap_or_default();
    server.set_collation_defaults(&charsets, overrides.as_deref());
    server.database_collation = row.get(2).cloned().flatten();
    Ok(server)
}

fn first_words(sql: &str) -> String {
    let s: String = sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    crate::text::one_line(&crate::text::truncate_chars(&s, 80)).into_owned()
}
