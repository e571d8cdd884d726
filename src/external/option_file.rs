//! The `[client]` option file given to the MariaDB/MySQL tools (`--defaults-extra-file`) and to
//! pt-online-schema-change (`F=` in its DSN, read by libmariadb under DBD::mysql).
//!
//! How the two readers read it (MariaDB's `mysys/my_default.c`, MySQL's `my_default.cc`, and
//! Connector/C's `ma_default.c`; checked against the 10.11 tools and DBD::mysql on a real
//! server, see `tests/hostile_values.rs`):
//! - A line is read with `fgets` into a 4096-byte buffer: a longer line is cut, and its rest is
//!   read as a line of its own, i.e. as further options (`plugin-dir=`, `default-auth=`,
//!   `init-command=`, `!include`...). Every line written here stays under [`MAX_LINE`].
//! - `key=value`: the value is trimmed of white space at both ends; when it starts and ends
//!   with a quote, the quotes go; inside, `\n \t \r \b \s \" \' \\` are escapes (any other
//!   backslash is kept with the character after it). mysys cuts the line at a `#` outside
//!   quotes; Connector/C does not. So a value is written in double quotes with `\`, `"`,
//!   newline, carriage return, tab and backspace escaped: then no byte of it can end the line,
//!   end the quotes or start a comment, and both readers give back exactly the value.
//! - `!include`, `[group]`, `#` and `;` mean something only at the start of a line, which a
//!   value, having no raw newline, never reaches.
//! - A NUL byte ends the line for both (C strings) and has no escape: refused.

use std::os::unix::ffi::OsStrExt;

use super::{Refusal, Value};
use crate::db::{ConnectParams, SslMode};

/// Longest line written (bytes, without its newline): under the 4094 bytes `fgets` reads at
/// once into the readers' 4096-byte buffers, with room to spare.
pub const MAX_LINE: usize = 4000;

const PROGRAM: &str = "the option file of the MariaDB/MySQL client tools";

/// Why a value cannot be written as an option-file value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    Nul,
    /// The line it would make, in bytes.
    TooLong(usize),
}

/// `key="value"` with the value escaped (see the module header), without the newline.
pub fn line(key: &str, value: &[u8]) -> Result<Vec<u8>, Unfit> {
    let mut out = Vec::with_capacity(key.len() + value.len() + 4);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"=\"");
    for &b in value {
        match b {
            0 => return Err(Unfit::Nul),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    if out.len() > MAX_LINE {
        return Err(Unfit::TooLong(out.len()));
    }
    Ok(out)
}

fn refusal(value: Value, unfit: Unfit) -> Refusal {
    let why = match unfit {
        Unfit::Nul => "it contains a NUL byte, which an option file cannot carry (its readers end the line there)".to_string(),
        Unfit::TooLong(n) => format!(
            "escaped, it makes a {n}-byte line and an option-file line may have at most {MAX_LINE} \
             (the tools read 4 KiB at a time and would take the rest for further options)"
        ),
    };
    let fix = match (&value, unfit) {
        (Value::Password, Unfit::Nul) => {
            "choose a password without it (ALTER USER ... IDENTIFIED BY) and set it as db_password in local.php"
        }
        (Value::Password, _) => {
            "choose a shorter password (ALTER USER ... IDENTIFIED BY) and set it as db_password in local.php"
        }
        (Value::SslCa(_), _) => "pass a CA file path without it to --ssl-ca",
        _ => "correct it in local.php (or in --url)",
    };
    Refusal {
        value,
        program: PROGRAM,
        why,
        fix: fix.into(),
    }
}

/// One `key="value"` line into `text`, or the refusal naming `what`.
fn push(
    text: &mut Vec<u8>,
    key: &str,
    value: &[u8],
    what: impl FnOnce() -> Value,
) -> Result<(), Refusal> {
    let l = line(key, value).map_err(|u| refusal(what(), u))?;
    text.extend_from_slice(&l);
    text.push(b'\n');
    Ok(())
}

/// The `[client]` section for a connection: credentials, where to connect, TLS.
pub fn client_section(p: &ConnectParams<'_>) -> Result<Vec<u8>, Refusal> {
    let mut text = b"[client]\n".to_vec();
    push(&mut text, "user", p.user.as_bytes(), || {
        Value::User(p.user.into())
    })?;
    push(&mut text, "password", p.password.as_bytes(), || {
        Value::Password
    })?;
    match p.socket {
        Some(s) => push(&mut text, "socket", s.as_os_str().as_bytes(), || {
            Value::Socket(s.to_path_buf())
        })?,
        None => {
            push(&mut text, "host", p.host.as_bytes(), || {
                Value::Host(p.host.into())
            })?;
            text.extend_from_slice(format!("port={}\nprotocol=TCP\n", p.port).as_bytes());
        }
    }
    // TLS as the connection uses it. MySQL's clients know ssl-mode, MariaDB's ssl and
    // ssl-verify-server-cert; `loose-` makes each client skip the options it does not know.
    text.extend_from_slice(match p.tls.mode {
        SslMode::Disabled => b"loose-ssl-mode=DISABLED\nloose-skip-ssl\n".as_slice(),
        SslMode::Preferred => b"",
        SslMode::Required => b"loose-ssl-mode=REQUIRED\nloose-ssl\n",
        SslMode::VerifyCa => b"loose-ssl-mode=VERIFY_CA\nloose-ssl\nloose-ssl-verify-server-cert\n",
        SslMode::VerifyIdentity => {
            b"loose-ssl-mode=VERIFY_IDENTITY\nloose-ssl\nloose-ssl-verify-server-cert\n"
        }
    });
    if let Some(ca) = p.tls.ca {
        push(&mut text, "loose-ssl-ca", ca.as_os_str().as_bytes(), || {
            Value::SslCa(ca.to_path_buf())
        })?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What MariaDB's option-file reader (mysys) makes of one `key=value` line, written after
    /// `search_default_file_with_ext` and `remove_end_comment`: the model the real reader is
    /// checked against in `real_reader_reads_back_every_value`.
    fn read_back(line: &[u8]) -> Vec<u8> {
        let eq = line.iter().position(|&b| b == b'=').unwrap();
        let mut v = &line[eq + 1..];
        if v.len() > 1 && (v[0] == b'"' || v[0] == b'\'') && v[0] == v[v.len() - 1] {
            v = &v[1..v.len() - 1];
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < v.len() {
            if v[i] == b'\\' && i + 1 < v.len() {
                i += 1;
                match v[i] {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(0x08),
                    b's' => out.push(b' '),
                    c @ (b'"' | b'\'' | b'\\') => out.push(c),
                    c => out.extend_from_slice(&[b'\\', c]),
                }
            } else {
                out.push(v[i]);
            }
            i += 1;
        }
        out
    }

    #[test]
    fn every_hostile_value_reads_back_as_itself_or_is_refused() {
        for h in crate::external::corpus::values() {
            match line("password", &h.bytes) {
                Ok(l) => {
                    assert!(!l.contains(&b'\n') && l.len() <= MAX_LINE, "{}", h.name);
                    assert_eq!(read_back(&l), h.bytes, "{}", h.name);
                }
                Err(Unfit::Nul) => assert!(h.bytes.contains(&0), "{}", h.name),
                Err(Unfit::TooLong(n)) => assert!(n > MAX_LINE, "{}", h.name),
            }
        }
    }

    #[test]
    fn the_real_reader_reads_back_every_value() {
        // my_print_defaults comes with the MariaDB client tools and reads option files with
        // their own code; it prints each option as `--key=value` and a newline. The whole output
        // is compared, so an injected option (a line of its own) cannot pass for part of a value.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("my.cnf");
        for h in crate::external::corpus::values() {
            let Ok(l) = line("password", &h.bytes) else {
                continue;
            };
            let text = [b"[client]\n".as_slice(), &l, b"\nport=1\n"].concat();
            std::fs::write(&file, &text).unwrap();
            let out = std::process::Command::new("my_print_defaults")
                .arg(format!("--defaults-file={}", file.display()))
                .arg("client")
                .output()
                .expect("my_print_defaults (MariaDB client tools) runs");
            let expected = [b"--password=".as_slice(), &h.bytes, b"\n--port=1\n"].concat();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&expected),
                "{}",
                h.name
            );
        }
    }

    #[test]
    fn nul_and_overlong_values_are_refused_naming_the_value_not_the_password() {
        let p = ConnectParams {
            host: "h",
            port: 3306,
            user: "u",
            password: "se\0cret",
            database: "d",
            socket: None,
            tls: Default::default(),
        };
        let e = client_section(&p).unwrap_err().to_string();
        assert!(
            e.starts_with("the database password (db_password) cannot"),
            "{e}"
        );
        assert!(!e.contains("se") || !e.contains("cret"), "{e}");
        let long = "x".repeat(MAX_LINE);
        let p = ConnectParams {
            password: "",
            user: &long,
            ..p
        };
        let e = client_section(&p).unwrap_err().to_string();
        assert!(e.contains("database user") && e.contains("4000"), "{e}");
    }

    #[test]
    fn paths_keep_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xff\"s"));
        let p = ConnectParams {
            host: "h",
            port: 3306,
            user: "u",
            password: "",
            database: "d",
            socket: Some(path),
            tls: Default::default(),
        };
        let text = client_section(&p).unwrap();
        let l = text
            .split(|&b| b == b'\n')
            .find(|l| l.starts_with(b"socket="))
            .unwrap();
        assert_eq!(read_back(l), b"/tmp/\xff\"s");
    }
}
