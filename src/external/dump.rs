//! The dump tool's (`mariadb-dump`, `mysqldump`) argument list.
//!
//! The database and table names are positional arguments, and the tools' option parser
//! (`my_getopt`) takes any argument that starts with `-` for an option: a table prefix `-r` from
//! `local.php` made `-rleads` mean "write the dump to the file `leads`", and
//! `--result-file=/x/` put the dump where the attacker chose. `--` ends the options for
//! `my_getopt` (checked on the real mariadb-dump), so every name goes after it. Names are
//! otherwise passed as they are: the tool quotes them itself in its queries (`SHOW TABLES LIKE`
//! escaped, identifiers backquoted). Only a NUL byte, which no argument can carry, is refused.

use std::path::PathBuf;

use super::{Refusal, Value, argv_value};

/// In order of preference.
pub const PROGRAMS: [&str; 2] = ["mariadb-dump", "mysqldump"];

pub fn find() -> Option<PathBuf> {
    super::find_program(&PROGRAMS)
}

/// What to dump.
pub struct Dump<'a> {
    pub database: &'a str,
    /// Empty: every table.
    pub tables: &'a [String],
    /// Definitions only (nothing existing is touched: the schema as it was is enough).
    pub schema_only: bool,
    /// Tables of the database left out.
    pub ignore_tables: &'a [&'a str],
}

/// The arguments after `--defaults-extra-file=<defaults>` (which must come first).
pub fn args(defaults: &str, d: &Dump<'_>) -> Result<Vec<String>, Refusal> {
    check(d)?;
    let mut a: Vec<String> = vec![
        format!("--defaults-extra-file={defaults}"),
        "--single-transaction".into(),
        "--quick".into(),
        "--routines".into(),
        "--triggers".into(),
        "--hex-blob".into(),
        "--default-character-set=utf8mb4".into(),
        "--add-drop-table".into(),
        "--no-tablespaces".into(),
        "--dump-date".into(),
        // One argument: the value after `=` is never an option. mysqldump looks the pair up
        // as the string "db.table", so a dot in the database name is no ambiguity.
    ];
    for t in d.ignore_tables {
        a.push(format!("--ignore-table={}.{t}", d.database));
    }
    if d.schema_only {
        a.push("--no-data".into());
    }
    a.push("--".into());
    a.push(d.database.into());
    a.extend(d.tables.iter().cloned());
    Ok(a)
}

/// Refuse what the argument list cannot carry, before anything is changed.
pub fn check(d: &Dump<'_>) -> Result<(), Refusal> {
    let program = PROGRAMS[0];
    argv_value(d.database, || Value::Database(d.database.into()), program)?;
    for t in d.tables {
        argv_value(t, || Value::Table(t.clone()), program)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_after_the_end_of_options() {
        let tables = ["-rleads".to_string(), "--result-file=/tmp/x".into()];
        let d = Dump {
            database: "-db",
            tables: &tables,
            schema_only: false,
            ignore_tables: &["j"],
        };
        let a = args("/dev/fd/3", &d).unwrap();
        assert_eq!(a[0], "--defaults-extra-file=/dev/fd/3");
        let end = a.iter().position(|x| x == "--").unwrap();
        assert_eq!(&a[end + 1..], ["-db", "-rleads", "--result-file=/tmp/x"]);
        assert!(a[..end].iter().all(|x| x.starts_with("--")), "{a:?}");
    }

    #[test]
    fn every_hostile_name_is_positional_or_refused() {
        for h in crate::external::corpus::values() {
            let Some(name) = h.text() else { continue };
            let tables = [name.to_string()];
            let d = Dump {
                database: name,
                tables: &tables,
                schema_only: true,
                ignore_tables: &["j"],
            };
            match args("/dev/fd/3", &d) {
                Ok(a) => {
                    let end = a.iter().position(|x| x == "--").unwrap();
                    assert_eq!(&a[end + 1..], [name, name], "{}", h.name);
                }
                Err(r) => {
                    assert!(name.contains('\0'), "{}: {r}", h.name);
                    assert!(r.to_string().contains("NUL"), "{r}");
                }
            }
        }
    }
}
