//! Which algorithm the server will pick for each ALTER of the plan, and whether writes to the
//! table wait meanwhile. Pure: the statement's clauses, the table as it is, the server's
//! flavour and version; no I/O.
//!
//! `apply` asks for ALGORITHM=INSTANT, then INPLACE, then lets the server copy (see
//! `apply::execute`), so the cheapest algorithm that the server accepts for the whole statement
//! is what runs, and a statement costs what its most expensive clause costs.
//!
//! The rules were checked against MariaDB 10.11 by running each case of
//! `tests/algorithm.rs` with ALGORITHM=INSTANT, NOCOPY/INPLACE with LOCK=NONE, INPLACE and
//! COPY and taking the cheapest the server accepted. For other versions they follow the
//! servers' documentation, and where a rule was not verified the answer is the more expensive
//! one (an announced block that does not happen costs less than a silent one that does).

use std::fmt;

use super::step::{ClauseOp, Position, Step};
use crate::dialect::{Feature, ServerInfo};
use crate::schema::{Column, IndexKind, Schema, Table, quote_ident};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    /// Metadata only: no rows are read or written.
    Instant,
    /// The server works on the table where it is (builds an index, or rebuilds the table)
    /// while other sessions keep reading, and writing unless the lock says otherwise.
    Inplace,
    /// The server copies every row into a new table; writes wait for the whole copy.
    Copy,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Instant => "INSTANT",
            Algorithm::Inplace => "INPLACE",
            Algorithm::Copy => "COPY",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lock concurrent sessions see while an INPLACE change runs (COPY always blocks writes,
/// INSTANT never does, apart from the brief metadata lock every ALTER takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Lock {
    None,
    /// Reads go on, writes wait (full-text and spatial indexes).
    Shared,
}

/// What one clause, or a whole statement, costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    pub algorithm: Algorithm,
    pub lock: Lock,
    /// Whether every row is rewritten (a COPY, or an INPLACE rebuild): time grows with size.
    pub rebuild: bool,
    /// The clause that decides the verdict, in a few words (`MODIFY `a`: type change`).
    pub why: String,
}

impl Verdict {
    fn new(algorithm: Algorithm, lock: Lock, rebuild: bool, why: impl Into<String>) -> Verdict {
        Verdict {
            algorithm,
            lock,
            rebuild: rebuild || algorithm == Algorithm::Copy,
            why: why.into(),
        }
    }
    fn instant(why: impl Into<String>) -> Verdict {
        Verdict::new(Algorithm::Instant, Lock::None, false, why)
    }
    /// In place, writes flowing; `rebuild` when every row is rewritten.
    fn inplace(rebuild: bool, why: impl Into<String>) -> Verdict {
        Verdict::new(Algorithm::Inplace, Lock::None, rebuild, why)
    }
    fn copy(why: impl Into<String>) -> Verdict {
        Verdict::new(Algorithm::Copy, Lock::Shared, true, why)
    }

    /// Whether concurrent writes wait for the statement (beyond the brief metadata lock that
    /// every ALTER takes at its start and end).
    pub fn blocks_writes(&self) -> bool {
        self.algorithm == Algorithm::Copy || self.lock != Lock::None
    }

    /// How costly: blocking first, then algorithm, then rebuild.
    fn rank(&self) -> (bool, Algorithm, bool) {
        (self.blocks_writes(), self.algorithm, self.rebuild)
    }

    /// The verdict of two clauses in one statement: the more expensive of each part.
    fn join(self, other: Verdict) -> Verdict {
        let algorithm = self.algorithm.max(other.algorithm);
        let lock = self.lock.max(other.lock);
        let rebuild = self.rebuild || other.rebuild;
        let why = if other.rank() > self.rank() {
            other.why
        } else {
            self.why
        };
        Verdict {
            algorithm,
            lock,
            rebuild,
            why,
        }
    }
}

/// The server changes collations, default character sets and foreign-key drops without a
/// copy: checked on MariaDB 10.11 (see the module comment and `Feature::InstantCollationChange`).
fn verified_mariadb(s: &ServerInfo) -> bool {
    s.has(Feature::InstantCollationChange)
}

fn has_fulltext(t: Option<&Table>) -> bool {
    t.is_some_and(|t| t.indexes.iter().any(|i| i.kind == IndexKind::Fulltext))
}

fn in_index(t: Option<&Table>, column: &str) -> bool {
    t.is_some_and(|t| {
        t.indexes.iter().any(|i| {
            i.parts
                .iter()
                .any(|p| p.column.eq_ignore_ascii_case(column))
        })
    })
}

fn in_primary_key(t: Option<&Table>, column: &str) -> bool {
    t.and_then(|t| t.primary_key()).is_some_and(|i| {
        i.parts
            .iter()
            .any(|p| p.column.eq_ignore_ascii_case(column))
    })
}

/// Most bytes a character takes in the collation's character set; `None` when not known.
fn max_bytes_per_char(collation: Option<&str>) -> Option<u32> {
    let c = collation?.to_ascii_lowercase();
    crate::dialect::charsets::max_bytes(crate::schema::canonical::charset_of_collation(&c))
}

fn charset_of(collation: Option<&str>) -> Option<String> {
    let c = collation?.to_ascii_lowercase();
    let cs = c.split('_').next()?.to_string();
    Some(if cs == "utf8" { "utf8mb3".into() } else { cs })
}

/// Whether a column's declared length needs 1 or 2 length bytes in a row.
fn two_length_bytes(len: u32, per_char: u32) -> bool {
    u64::from(len) * u64::from(per_char) > 255
}

fn modify_column(from: &Column, to: &Column, live: Option<&Table>, server: &ServerInfo) -> Verdict {
    let name = quote_ident(&to.name);
    let instant_ok = server.supports_instant_algorithm();
    let metadata = |why: String| {
        if instant_ok {
            Verdict::instant(why)
        } else {
            Verdict::inplace(false, why)
        }
    };
    if from.auto_increment != to.auto_increment {
        return Verdict::copy(format!("MODIFY {name}: AUTO_INCREMENT"));
    }
    if from.generated != to.generated {
        return Verdict::copy(format!("MODIFY {name}: generated column"));
    }
    if to.ty.name == "json" && from.json_as_text && !to.json_as_text {
        // The LONGTEXT gains JSON's validation (MariaDB: CHECK (json_valid(...))): every row
        // is read and rewritten, whatever the rest of the definition (checked on 10.11).
        return Verdict::copy(format!(
            "MODIFY {name}: LONGTEXT becomes JSON, every row validated"
        ));
    }
    let mut v = metadata(format!("MODIFY {name}: default or comment"));
    if from.ty != to.ty {
        let t = type_change(from, to, server, &name);
        v = v.join(t);
    }
    if from.collation != to.collation && from.ty.name == to.ty.name {
        v = v.join(collation_change(from, to, live, server, &name));
    }
    if from.nullable != to.nullable {
        // Both directions rebuild the table in place (MariaDB 10.11 verified; NOT NULL needs
        // the strict sql_mode `apply` sets, else the server refuses in place).
        v = v.join(Verdict::inplace(
            true,
            format!("MODIFY {name}: NULL/NOT NULL"),
        ));
    }
    if from.on_update != to.on_update {
        // Not verified: assumed to copy.
        v = v.join(Verdict::copy(format!("MODIFY {name}: ON UPDATE")));
    }
    v
}

fn type_change(from: &Column, to: &Column, server: &ServerInfo, name: &str) -> Verdict {
    let (a, b) = (&from.ty, &to.ty);
    let same_shape = a.unsigned == b.unsigned && a.zerofill == b.zerofill && a.scale == b.scale;
    // VARCHAR made longer within the same length-byte class (≤255 or >255 bytes): in place
    // since MySQL 5.7 and MariaDB 10.2.2, instant since MariaDB 10.4.3 (verified on 10.11).
    if a.name == b.name
        && matches!(a.name.as_str(), "varchar" | "varbinary")
        && same_shape
        && from.collation == to.collation
    {
        let per_char = if a.name == "varbinary" {
            Some(1)
        } else {
            max_bytes_per_char(to.collation.as_deref())
        };
        if let (Some(la), Some(lb), Some(pc)) = (a.length, b.length, per_char)
            && lb >= la
            && two_length_bytes(la, pc) == two_length_bytes(lb, pc)
        {
            let why = format!("MODIFY {name}: {} longer", a.name.to_ascii_uppercase());
            return if server.has(Feature::InstantVarcharExtend) {
                Verdict::instant(why)
            } else {
                Verdict::inplace(false, why)
            };
        }
        return Verdict::copy(format!(
            "MODIFY {name}: {} length crosses 255 bytes or shrinks",
            a.name.to_ascii_uppercase()
        ));
    }
    // ENUM/SET members appended at the end, same storage size: metadata (verified on 10.11;
    // documented for MySQL 8.0 and MariaDB 10.3).
    if a.name == b.name
        && matches!(a.name.as_str(), "enum" | "set")
        && b.values.len() > a.values.len()
        && b.values.starts_with(&a.values)
        && storage_class(a) == storage_class(b)
    {
        let why = format!("MODIFY {name}: members appended");
        return if server.supports_instant_algorithm() {
            Verdict::instant(why)
        } else {
            Verdict::inplace(false, why)
        };
    }
    // Everything else, widening integers included (INT→BIGINT copies on MariaDB 10.11 with
    // ROW_FORMAT=DYNAMIC, and on MySQL): the rows are rewritten by a copy.
    Verdict::copy(format!("MODIFY {name}: type {a} → {b}"))
}

/// Bytes an ENUM (1 or 2) or SET (1, 2, 3, 4 or 8) value takes.
fn storage_class(t: &crate::schema::ColumnType) -> usize {
    let n = t.values.len();
    if t.name == "enum" {
        if n <= 255 { 1 } else { 2 }
    } else {
        n.div_ceil(8).next_power_of_two().min(8)
    }
}

fn collation_change(
    from: &Column,
    to: &Column,
    live: Option<&Table>,
    server: &ServerInfo,
    name: &str,
) -> Verdict {
    let (fc, tc) = (
        charset_of(from.collation.as_deref()),
        charset_of(to.collation.as_deref()),
    );
    let compatible = fc.is_some()
        && (fc == tc || (fc.as_deref() == Some("utf8mb3") && tc.as_deref() == Some("utf8mb4")));
    let texty = matches!(
        to.ty.name.as_str(),
        "varchar" | "tinytext" | "text" | "mediumtext" | "longtext"
    );
    // MariaDB changes the collation within a character set, or utf8mb3 to utf8mb4, without
    // copying: instantly when the column is not indexed, rebuilding its indexes when it is
    // (verified on 10.11; older MariaDB and MySQL are assumed to copy).
    if verified_mariadb(server) && compatible && texty {
        return if in_index(live, &from.name) {
            Verdict::inplace(
                false,
                format!("MODIFY {name}: collation of an indexed column"),
            )
        } else {
            Verdict::instant(format!("MODIFY {name}: collation"))
        };
    }
    Verdict::copy(format!("MODIFY {name}: character set or collation"))
}

/// A column put elsewhere: a reorder alone is metadata where the server adds and drops
/// columns anywhere instantly (MariaDB 10.4+; MySQL's instant DDL does not reorder), a
/// rebuild with writes flowing otherwise; with a changed definition, the modify's verdict
/// unless that is lighter than the rebuild.
fn move_column(from: &Column, to: &Column, live: Option<&Table>, server: &ServerInfo) -> Verdict {
    let name = quote_ident(&to.name);
    if from != to {
        let v = modify_column(from, to, live, server);
        if v.algorithm == Algorithm::Copy {
            return v;
        }
    }
    let mariadb = server.flavor == crate::dialect::Flavor::MariaDb;
    if mariadb && server.has(Feature::InstantAddDropAnywhere) && from == to {
        Verdict::instant(format!("MODIFY {name}: column order"))
    } else {
        Verdict::inplace(true, format!("MODIFY {name}: column order"))
    }
}

/// The verdict of one clause on a table (`live`: the table as it is, when known).
pub fn clause_verdict(c: &ClauseOp, live: Option<&Table>, server: &ServerInfo) -> Verdict {
    let instant_ok = server.supports_instant_algorithm();
    let metadata = |why: String| {
        if instant_ok {
            Verdict::instant(why)
        } else {
            Verdict::inplace(false, why)
        }
    };
    match c {
        ClauseOp::AddColumn { column, position } => {
            let at_end = *position == Position::Last;
            let name = quote_ident(&column.name);
            if column.auto_increment {
                return Verdict::copy(format!("ADD {name}: AUTO_INCREMENT"));
            }
            if column.generated.as_ref().is_some_and(|g| g.stored) {
                return Verdict::copy(format!("ADD {name}: stored generated column"));
            }
            if has_fulltext(live) {
                // A table with a full-text index: no instant ADD COLUMN, and its rebuild
                // keeps a shared lock (verified on 10.11).
                return Verdict::new(
                    Algorithm::Inplace,
                    Lock::Shared,
                    true,
                    format!("ADD {name} on a table with a FULLTEXT index"),
                );
            }
            let instant = if at_end {
                server.has(Feature::InstantAlgorithm)
            } else {
                server.has(Feature::InstantAddDropAnywhere)
            };
            if instant {
                Verdict::instant(format!("ADD {name}"))
            } else {
                Verdict::inplace(true, format!("ADD {name}"))
            }
        }
        ClauseOp::DropColumn(column) => {
            let name = quote_ident(&column.name);
            if in_primary_key(live, &column.name) {
                return Verdict::copy(format!("DROP {name}: part of the primary key"));
            }
            if has_fulltext(live) {
                return Verdict::new(
                    Algorithm::Inplace,
                    Lock::Shared,
                    true,
                    format!("DROP {name} on a table with a FULLTEXT index"),
                );
            }
            let instant = server.has(Feature::InstantAddDropAnywhere);
            if in_index(live, &column.name) {
                // Its indexes change: MariaDB 10.11 does it in place without a rebuild.
                Verdict::inplace(!instant, format!("DROP {name}: indexed"))
            } else if instant {
                Verdict::instant(format!("DROP {name}"))
            } else {
                Verdict::inplace(true, format!("DROP {name}"))
            }
        }
        ClauseOp::ModifyColumn { from, to } => modify_column(from, to, live, server),
        ClauseOp::MoveColumn { from, column, .. } => move_column(from, column, live, server),
        ClauseOp::AddIndex(i) => {
            let name = quote_ident(&i.name);
            match i.kind {
                // Rebuilds the table in place, writes flowing (verified on 10.11, also with
                // nullable columns that become NOT NULL).
                IndexKind::Primary => Verdict::inplace(true, "ADD PRIMARY KEY"),
                // The first full-text index adds a hidden column (a rebuild); any holds a
                // shared lock while it is built.
                IndexKind::Fulltext => Verdict::new(
                    Algorithm::Inplace,
                    Lock::Shared,
                    !has_fulltext(live),
                    format!("ADD FULLTEXT {name}"),
                ),
                IndexKind::Spatial => Verdict::new(
                    Algorithm::Inplace,
                    Lock::Shared,
                    false,
                    format!("ADD SPATIAL {name}"),
                ),
                IndexKind::Unique | IndexKind::Plain => {
                    Verdict::inplace(false, format!("ADD INDEX {name}"))
                }
            }
        }
        ClauseOp::DropIndex(i) if i.kind == IndexKind::Primary => {
            Verdict::copy("DROP PRIMARY KEY without a new one")
        }
        ClauseOp::DropIndex(i) => {
            Verdict::inplace(false, format!("DROP INDEX {}", quote_ident(&i.name)))
        }
        ClauseOp::RenameIndex { .. } => metadata("RENAME INDEX".into()),
        // With foreign_key_checks=1 (as `apply` runs) the server copies to check every row;
        // only with the checks off would it add the key in place.
        ClauseOp::AddForeignKey(fk) => {
            Verdict::copy(format!("ADD FOREIGN KEY {}", quote_ident(&fk.name)))
        }
        ClauseOp::DropForeignKey { .. } => {
            if verified_mariadb(server) {
                Verdict::instant("DROP FOREIGN KEY")
            } else {
                Verdict::inplace(false, "DROP FOREIGN KEY")
            }
        }
        // A change of storage engine copies. MariaDB 10.11 even accepts ALGORITHM=INSTANT for
        // it and copies anyway, so the server's answer cannot be trusted here.
        ClauseOp::Engine(_) => Verdict::copy("ENGINE change"),
        ClauseOp::DefaultCharset(_) | ClauseOp::DefaultCollation(_) => {
            if verified_mariadb(server) {
                Verdict::instant("table default character set")
            } else {
                // MySQL documents a rebuild when the encoding differs.
                Verdict::inplace(true, "table default character set")
            }
        }
        ClauseOp::RowFormat(_) => Verdict::inplace(true, "ROW_FORMAT"),
        ClauseOp::Comment(_) => metadata("table COMMENT".into()),
        ClauseOp::DropColumnDefault { .. } => metadata("a column default".into()),
        // Adding a check reads every row; dropping one is assumed to copy too.
        ClauseOp::AddCheck(k) => Verdict::copy(format!("ADD CHECK {}", quote_ident(&k.name))),
        ClauseOp::DropCheck(k) => Verdict::copy(format!("DROP CHECK {}", quote_ident(&k.name))),
    }
}

/// The verdict of a whole ALTER: the most expensive clause, with the one exception that a
/// primary key dropped and re-made in the same statement is an in-place rebuild.
pub fn statement_verdict<'c>(
    clauses: impl IntoIterator<Item = &'c ClauseOp>,
    live: Option<&Table>,
    server: &ServerInfo,
) -> Option<Verdict> {
    let clauses: Vec<&ClauseOp> = clauses.into_iter().collect();
    let adds_primary = clauses
        .iter()
        .any(|c| matches!(c, ClauseOp::AddIndex(i) if i.kind == IndexKind::Primary));
    let verdicts: Vec<Verdict> = clauses
        .iter()
        .map(|c| match c {
            ClauseOp::DropIndex(i) if i.kind == IndexKind::Primary && adds_primary => {
                Verdict::inplace(true, "primary key replaced")
            }
            _ => clause_verdict(c, live, server),
        })
        .collect();
    let instant_column = clauses.iter().zip(&verdicts).any(|(c, v)| {
        matches!(c, ClauseOp::AddColumn { .. } | ClauseOp::DropColumn(_))
            && v.algorithm == Algorithm::Instant
    });
    let mut v = verdicts.into_iter().reduce(Verdict::join)?;
    // An instant column addition or removal only stays instant in a statement that is
    // instant throughout; beside an index build it becomes an in-place rebuild (verified on
    // 10.11, and so documented for MySQL 8.0).
    if instant_column && v.algorithm != Algorithm::Instant && !v.rebuild {
        v.rebuild = true;
        v.why = format!("a column added or dropped beside {}", v.why);
    }
    Some(v)
}

/// The verdict of a planned statement: `None` for what is not an ALTER (CREATE and DROP
/// TABLE block nothing that exists). The one classifier: the announcement, the split, the
/// online executor, preflight's estimate and the JSON all ask it.
pub fn step_verdict(step: &Step, live: &Schema, server: &ServerInfo) -> Option<Verdict> {
    let clauses = step.clauses()?;
    statement_verdict(
        clauses.iter().map(|c| &c.op),
        live.tables.get(&step.table),
        server,
    )
}

/// Whether a step rewrites every row of its table (a COPY, or an in-place rebuild): its time
/// and the room it needs grow with the table.
pub fn step_rebuilds(step: &Step, live: &Schema, server: &ServerInfo) -> bool {
    step_verdict(step, live, server).is_some_and(|v| v.rebuild)
}

/// Bytes per second a rebuild gets through: measured here under load, a 2M-row, 410 MiB
/// `lead_event_log` copied in ~35 s (src/apply/online/mod.rs); scripts/bench-algorithm.sh
/// copied 214 MiB in 14-20 s (11-15 MiB/s). An estimate, nothing more.
pub const REBUILD_BYTES_PER_SECOND: f64 = 12.0 * 1024.0 * 1024.0;

/// Bytes per second an in-place index build reads (no rebuild: the rows stay where they are).
/// Measured with scripts/bench-algorithm.sh: two indexes on a 214 MiB, 1M-row
/// `lead_event_log` in 3.0 s, ~70 MiB/s; rounded down.
pub const INDEX_BUILD_BYTES_PER_SECOND: f64 = 64.0 * 1024.0 * 1024.0;

/// Seconds a statement should take on a table of `size`: a rebuild copies every byte, an
/// index build reads them, an instant change reads none; `None` when the size is unknown.
/// The one estimate: the plan's announcements and Mautic's statements in preflight use it.
pub fn estimate_seconds(v: &Verdict, size: Option<crate::plan::split::Size>) -> Option<f64> {
    match (size, v.algorithm) {
        (_, Algorithm::Instant) | (None, _) => None,
        (Some(s), _) if v.rebuild => Some(s.bytes as f64 / REBUILD_BYTES_PER_SECOND),
        (Some(s), _) => Some(s.bytes as f64 / INDEX_BUILD_BYTES_PER_SECOND),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ForeignKey, Index, IndexPart};

    fn col(name: &str, ty: &str) -> Column {
        let ty = crate::sql::parse_column_type(ty).unwrap();
        let mut c = Column::new(name, ty);
        if c.ty.is_textual() {
            c.collation = Some("utf8mb4_unicode_ci".into());
        }
        c
    }

    fn idx(name: &str, kind: IndexKind, cols: &[&str]) -> Index {
        Index {
            name: name.into(),
            kind,
            parts: cols.iter().map(|c| IndexPart::new(*c)).collect(),
            comment: String::new(),
        }
    }

    #[test]
    fn clauses_by_server() {
        let maria_10_2 = ServerInfo::parse("10.2.44-MariaDB");
        let maria_10_3 = ServerInfo::parse("10.3.39-MariaDB");
        let maria_10_11 = ServerInfo::parse("10.11.19-MariaDB");
        let mysql_5_7 = ServerInfo::parse("5.7.44");
        let mysql_8_0_20 = ServerInfo::parse("8.0.20");
        let mysql_8_0_36 = ServerInfo::parse("8.0.36");
        let (i, bi) = (col("a", "int"), col("a", "bigint"));
        let (v191, v255) = (col("v", "varchar(191)"), col("v", "varchar(255)"));
        let (v50, v100) = (col("v", "varchar(50)"), col("v", "varchar(100)"));
        let plain = idx("i", IndexKind::Plain, &["a"]);
        let ft = idx("f", IndexKind::Fulltext, &["v"]);
        use Algorithm::*;
        let fk = ForeignKey {
            name: "fk".into(),
            columns: vec!["a".into()],
            ref_table: "p".into(),
            ref_columns: vec!["id".into()],
            on_delete: crate::schema::FkAction::Restrict,
            on_update: crate::schema::FkAction::Restrict,
        };
        let check = crate::schema::Check {
            name: "c".into(),
            expr: "a > 0".into(),
        };
        let cases: Vec<(ClauseOp, &ServerInfo, Algorithm, bool)> = vec![
            (ClauseOp::add_column(i.clone()), &maria_10_2, Inplace, false),
            (ClauseOp::add_column(i.clone()), &maria_10_3, Instant, false),
            (
                ClauseOp::AddColumn {
                    column: i.clone(),
                    position: Position::First,
                },
                &maria_10_3,
                Inplace,
                false,
            ),
            (
                ClauseOp::AddColumn {
                    column: i.clone(),
                    position: Position::First,
                },
                &maria_10_11,
                Instant,
                false,
            ),
            (ClauseOp::add_column(i.clone()), &mysql_5_7, Inplace, false),
            (
                ClauseOp::add_column(i.clone()),
                &mysql_8_0_20,
                Instant,
                false,
            ),
            (
                ClauseOp::AddColumn {
                    column: i.clone(),
                    position: Position::First,
                },
                &mysql_8_0_20,
                Inplace,
                false,
            ),
            (
                ClauseOp::AddColumn {
                    column: i.clone(),
                    position: Position::First,
                },
                &mysql_8_0_36,
                Instant,
                false,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: i.clone(),
                    to: bi.clone(),
                },
                &maria_10_11,
                Copy,
                true,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: i.clone(),
                    to: bi.clone(),
                },
                &mysql_8_0_36,
                Copy,
                true,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: v191.clone(),
                    to: v255.clone(),
                },
                &maria_10_11,
                Instant,
                false,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: v191.clone(),
                    to: v255.clone(),
                },
                &mysql_5_7,
                Inplace,
                false,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: v50.clone(),
                    to: v100.clone(),
                },
                &maria_10_11,
                Copy,
                true,
            ),
            (
                ClauseOp::ModifyColumn {
                    from: v255.clone(),
                    to: v191.clone(),
                },
                &maria_10_11,
                Copy,
                true,
            ),
            (
                ClauseOp::AddIndex(plain.clone()),
                &maria_10_2,
                Inplace,
                false,
            ),
            (
                ClauseOp::AddIndex(plain.clone()),
                &mysql_8_0_36,
                Inplace,
                false,
            ),
            (
                ClauseOp::DropIndex(plain.clone()),
                &maria_10_11,
                Inplace,
                false,
            ),
            (ClauseOp::AddIndex(ft.clone()), &maria_10_11, Inplace, true),
            (
                ClauseOp::AddForeignKey(fk.clone()),
                &maria_10_11,
                Copy,
                true,
            ),
            (
                ClauseOp::AddForeignKey(fk.clone()),
                &mysql_8_0_36,
                Copy,
                true,
            ),
            (ClauseOp::Engine("MyISAM".into()), &maria_10_11, Copy, true),
            (ClauseOp::AddCheck(check.clone()), &mysql_5_7, Copy, true),
        ];
        for (n, (c, s, algo, blocks)) in cases.iter().enumerate() {
            let v = clause_verdict(c, None, s);
            assert_eq!(
                (v.algorithm, v.blocks_writes()),
                (*algo, *blocks),
                "case {n}: {c:?} on {}",
                s.version_string
            );
        }
    }

    #[test]
    fn a_statement_costs_its_most_expensive_clause() {
        let s = ServerInfo::parse("10.11.19-MariaDB");
        let (i, bi) = (col("a", "int"), col("a", "bigint"));
        let plain = idx("i", IndexKind::Plain, &["a"]);
        let v = statement_verdict(
            [
                ClauseOp::AddIndex(plain.clone()),
                ClauseOp::ModifyColumn {
                    from: i.clone(),
                    to: bi.clone(),
                },
                ClauseOp::add_column(i.clone()),
            ]
            .iter(),
            None,
            &s,
        )
        .unwrap();
        assert_eq!(v.algorithm, Algorithm::Copy);
        assert!(v.why.contains("type int → bigint"), "{}", v.why);
        let pk = idx("PRIMARY", IndexKind::Primary, &["a"]);
        let drop_pk = ClauseOp::DropIndex(pk.clone());
        let v = statement_verdict(
            [drop_pk.clone(), ClauseOp::AddIndex(pk.clone())].iter(),
            None,
            &s,
        )
        .unwrap();
        assert_eq!(
            (v.algorithm, v.blocks_writes()),
            (Algorithm::Inplace, false)
        );
        let v = statement_verdict([drop_pk].iter(), None, &s).unwrap();
        assert_eq!(v.algorithm, Algorithm::Copy);
    }
}
