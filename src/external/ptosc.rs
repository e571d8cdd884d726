//! pt-online-schema-change's command line: the DSN that names the table, `--alter`, and what
//! the tool cannot be handed (pt-osc 3.2.1's source, and runs of it on the 10.11 server):
//! - The DSN (`F=<option file>,D=<database>,t=<table>`) is split at commas and each part at its
//!   first `=`; there is no quoting. `D` then goes unquoted into the Perl driver's connection
//!   string `DBI:mysql:<D>;mysql_read_default_file=...`, which DBD::mysql splits at `;` and
//!   `:`, reads as `key=value` parts and strips of `[` and `]`: `x;mysql_read_default_file=
//!   /tmp/evil.cnf` would read another option file, `a[b]` would alter database `ab`.
//! - Names are backquoted with backquotes doubled, but split at dots (`Quoter::split_unquote`);
//!   a name with `'` or `\`, or with any non-ASCII character (encoded twice under
//!   `--charset=utf8mb4`), is reported as not existing.
//! - The copy is `_<table>_new`, cut to 64 bytes: for a table name over 59 bytes the copy has a
//!   name the swap (`_<table>_new` in `apply::online::swap`) would not find.
//! - `--alter` is run as SQL on the copy, but first searched with regular expressions that do
//!   not skip quoted names and literals: `CHANGE a b` is taken for a rename of column a to b
//!   (the run stops in `--execute`; with `--no-check-alter` a's data would go to b),
//!   ` UNIQUE ... (` or ` PRIMARY ... (` for a new unique key (always refused,
//!   `--check-unique-key-change`), `DROP PRIMARY KEY` refused in `--execute`. pt-osc refuses
//!   those at the step, after the backup and the statements before it; [`check`] refuses them
//!   before anything is changed.
//!
//! Names are refused unless made of printable ASCII other than `` ` ' \ , . ; : = [ ] ``.

use super::{Refusal, Value};

pub const TOOL: &str = "pt-online-schema-change";

const FORBIDDEN: &[char] = &['`', '\'', '\\', ',', '.', ';', ':', '=', '[', ']'];

fn refusal(value: Value, why: String) -> Refusal {
    Refusal {
        value,
        program: TOOL,
        why,
        fix: "pass --online never (the ALTER then blocks writes to the table while it is copied), \
              or rename it"
            .into(),
    }
}

/// Why pt-osc cannot be given `name`, if it cannot.
fn unfit_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(c) = name.chars().find(|c| !(' '..='~').contains(c)) {
        return Some(format!(
            "it contains {}, and pt-osc finds only names of printable ASCII",
            crate::text::one_line(&c.to_string())
        ));
    }
    name.chars().find(|c| FORBIDDEN.contains(c)).map(|c| {
        format!(
            "it contains `{c}`, which pt-osc cannot address (its DSN and connection string have no \
             quoting, and it splits names at dots and misquotes ' and \\)"
        )
    })
}

/// Refuse a database or table name pt-osc cannot address.
pub fn check_names(database: &str, table: &str) -> Result<(), Refusal> {
    if let Some(why) = unfit_name(database) {
        return Err(refusal(Value::Database(database.into()), why));
    }
    if let Some(why) = unfit_name(table) {
        return Err(refusal(Value::Table(table.into()), why));
    }
    Ok(())
}

/// Perl's `\s`.
fn space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `kw` (upper case) at `i`, in any case.
fn kw_at(s: &[u8], i: usize, kw: &str) -> bool {
    s.get(i..i + kw.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(kw.as_bytes()))
}

/// Index after one or more spaces at `i`, if there is one.
fn spaces(s: &[u8], i: usize) -> Option<usize> {
    let n = s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| space(b))
        .count();
    (n > 0).then_some(i + n)
}

/// `KW1 \s+ KW2 \s+ ...` at `i`: the index after the last word.
fn words_at(s: &[u8], i: usize, words: &[&str]) -> Option<usize> {
    let mut at = i;
    for (n, w) in words.iter().enumerate() {
        if n > 0 {
            at = spaces(s, at)?;
        }
        if !kw_at(s, at, w) {
            return None;
        }
        at += w.len();
    }
    Some(at)
}

/// What pt-osc's own reading of `--alter` finds in `clauses` (see the module header): the
/// offset of the match and why pt-osc would stop. A superset of its regular expressions: it
/// also matches where pt-osc would first have cut out the first COMMENT.
fn misread(clauses: &str) -> Option<(usize, &'static str)> {
    let s = clauses.as_bytes();
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for i in 0..s.len() {
        let boundary = i == 0 || !word_char(s[i - 1]);
        if boundary
            && let Some(end) = words_at(s, i, &["CHANGE"])
            && spaces(s, end).is_some_and(|j| j < s.len())
        {
            return Some((
                i,
                "pt-osc takes `CHANGE <a> <b>` anywhere in it, names and quoted text included, \
                 for a column rename, and stops (or copies a column's data into another)",
            ));
        }
        if space(s[i])
            && let Some(end) =
                words_at(s, i + 1, &["UNIQUE"]).or_else(|| words_at(s, i + 1, &["PRIMARY"]))
            && spaces(s, end).is_some()
            && s[end..].contains(&b'(')
        {
            return Some((
                i + 1,
                "pt-osc refuses an ALTER that reads as adding a unique or primary key (rows with \
                 duplicate keys would be lost from the copy), names and quoted text included",
            ));
        }
        if words_at(s, i, &["DROP", "PRIMARY", "KEY"]).is_some() {
            return Some((
                i,
                "pt-osc refuses to drop a primary key when it runs for real (its triggers need \
                 the key), and reads `DROP PRIMARY KEY` in names and quoted text too",
            ));
        }
    }
    None
}

/// Refuse clauses pt-osc would misread or refuse at the step.
pub fn check_alter(table: &str, clauses: &str) -> Result<(), Refusal> {
    if clauses.contains('\0') {
        return Err(refusal(
            Value::Alter(table.into()),
            "it contains a NUL byte, which no command-line argument can carry".into(),
        ));
    }
    let Some((at, why)) = misread(clauses) else {
        return Ok(());
    };
    let boundary = |mut i: usize| {
        while !clauses.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (
        boundary(at.saturating_sub(20)),
        boundary((at + 40).min(clauses.len())),
    );
    Err(refusal(
        Value::Alter(table.into()),
        format!("{why}: `…{}…`", crate::text::one_line(&clauses[start..end])),
    ))
}

/// Everything [`args`] would refuse, for calling before the backup and the first statement.
pub fn check(database: &str, table: &str, clauses: &str) -> Result<(), Refusal> {
    check_names(database, table)?;
    check_alter(table, clauses)
}

/// One run of the tool.
pub struct Args<'a> {
    pub database: &'a str,
    pub table: &'a str,
    /// The copy's name (`--new-table-name`: pt-osc tries this one only, and with a name given
    /// cuts nothing off it; the caller keeps it within 64 bytes).
    pub copy: &'a str,
    /// The ALTER's clause list, without `ALTER TABLE t`.
    pub clauses: &'a str,
    /// `--execute`; else neither it nor `--dry-run`: pt-osc makes every check it makes before
    /// it creates anything, then exits having created nothing.
    pub execute: bool,
    /// Other tables reference it through foreign keys.
    pub parent: bool,
    pub max_load: &'a str,
    pub critical_load: &'a str,
    pub chunk_time: f64,
    pub lock_wait_timeout: u32,
}

/// The arguments, credentials in the option file at `defaults`. pt-osc copies and keeps the
/// copy in sync with its triggers; the swap is ours (see `apply::online::swap`), so
/// `--no-swap-tables --no-drop-triggers`. For a table other tables reference (Mautic's big
/// tables are parents: `leads` of `lead_event_log`, `email_stats`...) it must be told how
/// foreign keys follow: `none` with `--force`, because the swap done afterwards keeps them. Its
/// own `drop_swap` is the same swap, but pt-osc 3.2 refuses it on MariaDB ≥ 10 when the
/// server's version_comment does not say "MariaDB" (Debian's says "Debian 12"), and
/// `rebuild_constraints` would ALTER every child table — a blocking copy of tables bigger than
/// the one changed — and rename their constraints (`_FK_...`), drift that Doctrine and this tool
/// then report. Every value is one `--name=value` argument (never taken for an option).
pub fn args(a: &Args<'_>, defaults: &str) -> Result<Vec<String>, Refusal> {
    check(a.database, a.table, a.clauses)?;
    check_names(a.database, a.copy)?;
    let mut v: Vec<String> = vec![
        format!("--alter={}", a.clauses),
        // Exactly this name, once: a table already there makes it fail, never pick another.
        format!("--new-table-name={}", a.copy),
    ];
    if a.parent {
        v.extend(["--alter-foreign-keys-method=none".into(), "--force".into()]);
    }
    v.extend([
        // Replicas found through the process list (their lag then slows the copy); its default
        // also asks SHOW SLAVE HOSTS, which a database-level account may not run.
        "--recursion-method=processlist".into(),
        "--no-swap-tables".into(),
        "--no-drop-triggers".into(),
        // No call to Percona's version-check service from a database host.
        "--no-version-check".into(),
        format!("--max-load={}", a.max_load),
        format!("--critical-load={}", a.critical_load),
        format!("--chunk-time={}", a.chunk_time),
        // Its own default waits 60 s for a metadata lock; ours is the tool-wide setting.
        format!("--set-vars=lock_wait_timeout={}", a.lock_wait_timeout),
        "--progress=time,5".into(),
        "--charset=utf8mb4".into(),
    ]);
    if a.execute {
        v.push("--execute".into());
    }
    v.push(format!("F={defaults},D={},t={}", a.database, a.table));
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass_and_what_pt_osc_cannot_address_is_refused() {
        for ok in [
            "mautic",
            "my-mautic",
            "mautic_5 prod",
            "a\"b",
            "a$b#c%d_e(f)",
            "-x",
        ] {
            assert!(check_names(ok, "leads").is_ok(), "{ok}");
            assert!(check_names("d", ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "a,b", "a;b", "a:b", "a=b", "a[b]", "a.b", "a`b", "a'b", "a\\b", "té", "a\nb",
        ] {
            assert!(check_names(bad, "leads").is_err(), "{bad:?}");
            assert!(check_names("d", bad).is_err(), "{bad:?}");
        }
        // The copy's name is given (`--new-table-name`), so a long table name is fine.
        assert!(check_names("d", &"t".repeat(64)).is_ok());
    }

    #[test]
    fn what_pt_osc_misreads_in_an_alter_is_refused() {
        let fine = [
            "MODIFY `lang` varchar(191) NOT NULL",
            "ADD INDEX `change_idx` (`x`), DROP FOREIGN KEY `FK_1`",
            "ADD CONSTRAINT `FK_2` FOREIGN KEY (`lead_id`) REFERENCES `leads` (`id`) ON DELETE CASCADE",
            "MODIFY `x` int NOT NULL COMMENT 'exchange rate'",
        ];
        for c in fine {
            assert!(check_alter("t", c).is_ok(), "{c}");
        }
        let bad = [
            "ADD UNIQUE INDEX `u` (`email`)",
            "ADD PRIMARY KEY (`id`)",
            "DROP PRIMARY KEY, ADD PRIMARY KEY (`id`)",
            "ADD CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `x CHANGE email firstname y` (`id`)",
            "MODIFY `x` int COMMENT 'a\nunique key (id)'",
            "MODIFY `x` int DEFAULT 'drop  primary\tkey'",
        ];
        for c in bad {
            let e = check_alter("t", c).unwrap_err().to_string();
            assert!(
                e.starts_with("the ALTER of table `t` cannot be handed to pt-online-schema-change"),
                "{e}"
            );
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn every_hostile_value_is_carried_or_refused() {
        for h in crate::external::corpus::values() {
            let Some(v) = h.text() else { continue };
            let a = Args {
                database: v,
                table: v,
                copy: "_t_ms00000001_new",
                clauses: "MODIFY `x` int",
                execute: false,
                parent: false,
                max_load: "Threads_running=25",
                critical_load: "Threads_running=100",
                chunk_time: 0.2,
                lock_wait_timeout: 5,
            };
            match args(&a, "/dev/fd/3") {
                // What passes is one DSN part each, and a connection string part of its own.
                Ok(argv) => {
                    let dsn = argv.last().unwrap();
                    assert_eq!(dsn, &format!("F=/dev/fd/3,D={v},t={v}"), "{}", h.name);
                    assert_eq!(dsn.split(',').count(), 3, "{}", h.name);
                    assert!(!v.contains([';', ':', '[', ']', '=']), "{}", h.name);
                }
                Err(r) => assert!(r.to_string().contains("--online never"), "{}", h.name),
            }
            let clauses = format!("MODIFY `x` int COMMENT '{}'", v.replace('\'', "''"));
            if let Err(r) = check_alter("t", &clauses) {
                assert!(
                    v.contains('\0')
                        || v.to_ascii_uppercase().contains("CHANGE")
                        || v.to_ascii_uppercase().contains("UNIQUE")
                        || v.to_ascii_uppercase().contains("PRIMARY"),
                    "{}: {r}",
                    h.name
                );
            }
        }
    }
}
