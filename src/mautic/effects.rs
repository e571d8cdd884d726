//! What each migration does, as data (`migrations-index/effects.tsv`, extracted by running each
//! migration's code in the refgen PHP harness, see `tools/refgen/README.md`), and whether a
//! database shows those effects: the evidence behind "applied", "half-applied" and "recorded
//! but never applied".

use std::collections::BTreeMap;

use crate::dialect::{ServerInfo, canonical_charset, canonical_collation, normalize_table};
use crate::diff::column_differences;
use crate::schema::{Column, ForeignKey, Index, Schema, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectOp {
    CreateTable,
    DropTable,
    RenameTable,
    AddColumn,
    ModifyColumn,
    DropColumn,
    AddIndex,
    DropIndex,
    AddForeignKey,
    DropForeignKey,
    TableOptions,
    /// Changes rows: no schema evidence.
    Data,
    /// Could not be extracted (the reason is the definition).
    Unknown,
}

impl EffectOp {
    fn parse(s: &str) -> Option<EffectOp> {
        use EffectOp::*;
        Some(match s {
            "create_table" => CreateTable,
            "drop_table" => DropTable,
            "rename_table" => RenameTable,
            "add_column" => AddColumn,
            "modify_column" => ModifyColumn,
            "drop_column" => DropColumn,
            "add_index" => AddIndex,
            "drop_index" => DropIndex,
            "add_foreign_key" => AddForeignKey,
            "drop_foreign_key" => DropForeignKey,
            "table_options" => TableOptions,
            "data" => Data,
            "unknown" => Unknown,
            _ => return None,
        })
    }

    /// Whether the effect names one object of a table (column, index, key) rather than the
    /// table itself.
    fn on_object(self) -> bool {
        use EffectOp::*;
        matches!(
            self,
            AddColumn
                | ModifyColumn
                | DropColumn
                | AddIndex
                | DropIndex
                | AddForeignKey
                | DropForeignKey
        )
    }
}

/// One effect of one migration: a row of effects.tsv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub version: String,
    pub step: u32,
    pub op: EffectOp,
    /// Unprefixed.
    pub table: String,
    pub object: String,
    pub definition: String,
    pub sql: String,
}

impl Effect {
    /// "add column emails.preheader_text", for messages.
    pub fn describe(&self) -> String {
        let op = format!("{:?}", self.op);
        let mut words = String::new();
        for (i, c) in op.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                words.push(' ');
            }
            words.push(c.to_ascii_lowercase());
        }
        if self.object.is_empty() {
            format!("{words} {}", self.table)
        } else {
            format!("{words} {}.{}", self.table, self.object)
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Rows of effects.tsv (`#` lines are comments); the error names the first malformed line.
pub fn parse(text: &str) -> Result<Vec<Effect>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            parse_line(l).ok_or_else(|| format!("effects.tsv line {}: malformed row", i + 1))
        })
        .collect()
}

fn parse_line(line: &str) -> Option<Effect> {
    let f: Vec<String> = line.split('\t').map(unescape).collect();
    if f.len() != 7 || f[0].is_empty() {
        return None;
    }
    Some(Effect {
        version: f[0].clone(),
        step: f[1].parse().ok()?,
        op: EffectOp::parse(&f[2])?,
        table: f[3].clone(),
        object: f[4].clone(),
        definition: f[5].clone(),
        sql: f[6].clone(),
    })
}

/// Rows of effects.tsv, malformed rows left out (`parse` says which; tests/effects.rs keeps the
/// bundled file clean).
pub fn parse_effects(tsv: &str) -> Vec<Effect> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(parse_line)
        .collect()
}

/// Every effect of the bundled file, in file order.
pub fn effects() -> Vec<Effect> {
    by_version().values().flatten().cloned().collect()
}

/// The bundled effects, by migration version (parsed once per process).
pub fn by_version() -> &'static BTreeMap<String, Vec<Effect>> {
    static MAP: std::sync::OnceLock<BTreeMap<String, Vec<Effect>>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: BTreeMap<String, Vec<Effect>> = BTreeMap::new();
        for e in parse_effects(super::embedded::EFFECTS_TSV) {
            map.entry(e.version.clone()).or_default().push(e);
        }
        map
    })
}

/// The foreign key an `add_foreign_key` effect creates, read like the live schema (its
/// referenced table unprefixed, as effects.tsv names it); `None` for any other effect or a
/// definition that cannot be read.
pub fn added_foreign_key(e: &Effect, server: &ServerInfo) -> Option<ForeignKey> {
    if e.op != EffectOp::AddForeignKey {
        return None;
    }
    definition_table(&e.table, &e.definition, None, server)?
        .foreign_keys
        .into_iter()
        .next()
}

/// Whether a database shows one effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    Yes,
    /// Not there, and why ("column is missing", "collation utf8mb3_unicode_ci → ...").
    No(String),
    /// Nothing in the schema can tell (data, not extracted, a definition we cannot read).
    Unknown(String),
}

/// The table a definition describes, read as the server would read it and normalised like the
/// live schema, so that it compares equal to what the migration left behind. A column without
/// its own charset takes the live table's, as it does on the server.
pub(crate) fn definition_table(
    table: &str,
    definition: &str,
    live: Option<&Table>,
    server: &ServerInfo,
) -> Option<Table> {
    let options = live
        .and_then(|t| t.options.collation.as_deref())
        .map(|c| format!(" COLLATE {c}"))
        .unwrap_or_default();
    let sql = if definition
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("CREATE TABLE")
    {
        definition.to_string()
    } else {
        format!("CREATE TABLE `{table}` ({definition}){options}")
    };
    let mut t = parsed_table(&sql)?;
    normalize_table(&mut t, server);
    Some(t)
}

/// The table a definition's text gives, read once per text: the release-pair history folds
/// the same migrations over every pair of releases, and reading them again was its largest
/// cost after copying schemas.
fn parsed_table(sql: &str) -> Option<Table> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static READ: OnceLock<Mutex<HashMap<String, Option<Table>>>> = OnceLock::new();
    let read = READ.get_or_init(Default::default);
    if let Some(t) = read.lock().ok()?.get(sql) {
        return t.clone();
    }
    let out = crate::sql::parse_schema_sql(sql, &|_| false);
    let t = out
        .schema
        .tables
        .into_values()
        .next()
        .filter(|t| t.unsupported.is_none());
    read.lock().ok()?.insert(sql.to_string(), t.clone());
    t
}

fn find_index<'a>(live: &'a Table, want: &Index) -> Option<&'a Index> {
    live.indexes
        .iter()
        .find(|i| i.same_definition(want))
        .or_else(|| live.index(&want.name))
}

fn find_fk<'a>(live: &'a Table, want: &ForeignKey, prefix: &str) -> Option<&'a ForeignKey> {
    live.foreign_keys.iter().find(|f| {
        f.columns == want.columns
            && f.ref_columns == want.ref_columns
            && f.ref_table
                .eq_ignore_ascii_case(&format!("{prefix}{}", want.ref_table))
    })
}

/// Does `live` (the install's tables, prefixed) show effect `e`? Definitions are compared
/// after normalisation: a column must have the type, collation, nullability, default and
/// comment the migration gives it; indexes and keys are matched by definition, since
/// Doctrine's names depend on the table prefix.
pub fn holds(e: &Effect, live: &Schema, prefix: &str, server: &ServerInfo) -> Holds {
    use EffectOp::*;
    let name = format!("{prefix}{}", e.table);
    let table = live.table(&name);
    let unreadable = || Holds::Unknown(format!("cannot read the definition of {}", e.describe()));
    match e.op {
        Data | Unknown => Holds::Unknown(e.definition.clone()),
        CreateTable => match table {
            Some(_) => Holds::Yes,
            None => Holds::No(format!("table {name} is missing")),
        },
        DropTable => match table {
            Some(_) => Holds::No(format!("table {name} still exists")),
            None => Holds::Yes,
        },
        RenameTable => {
            let new = format!("{prefix}{}", e.object);
            match (table, live.table(&new)) {
                (None, Some(_)) => Holds::Yes,
                (_, None) => Holds::No(format!("table {new} is missing")),
                (Some(_), Some(_)) => Holds::No(format!("table {name} still exists")),
            }
        }
        DropColumn | DropIndex | DropForeignKey if table.is_none() => Holds::Yes,
        _ if table.is_none() => Holds::No(format!("table {name} is missing")),
        AddColumn | ModifyColumn => {
            // The definition's own name: a renaming CHANGE names the old column as the object.
            let Some(want) = definition_table(&e.table, &e.definition, table, server)
                .and_then(|t| t.columns.into_iter().next())
            else {
                return unreadable();
            };
            let Some(have) = table.and_then(|t| t.column(&want.name)) else {
                return Holds::No(format!("column {name}.{} is missing", want.name));
            };
            if e.op == AddColumn {
                return Holds::Yes;
            }
            column_holds(have, &stated_only(want, have, &e.definition), &name)
        }
        DropColumn => match table.and_then(|t| t.column(&e.object)) {
            Some(_) => Holds::No(format!("column {name}.{} still exists", e.object)),
            None => Holds::Yes,
        },
        AddIndex => {
            let Some(want) =
                definition_table(&e.table, &e.definition, table, server).and_then(|t| {
                    t.indexes
                        .into_iter()
                        .find(|i| i.name.eq_ignore_ascii_case(&e.object))
                })
            else {
                return unreadable();
            };
            match table.and_then(|t| find_index(t, &want)) {
                Some(_) => Holds::Yes,
                None => Holds::No(format!("index {} on {name} is missing", e.object)),
            }
        }
        DropIndex => match table.and_then(|t| t.index(&e.object)) {
            Some(_) => Holds::No(format!("index {} on {name} still exists", e.object)),
            None => Holds::Yes,
        },
        AddForeignKey => {
            let Some(want) = definition_table(&e.table, &e.definition, table, server)
                .and_then(|t| t.foreign_keys.into_iter().next())
            else {
                return unreadable();
            };
            match table.and_then(|t| find_fk(t, &want, prefix)) {
                Some(_) => Holds::Yes,
                None => Holds::No(format!("foreign key {} on {name} is missing", e.object)),
            }
        }
        DropForeignKey => match table.and_then(|t| t.foreign_key(&e.object)) {
            Some(_) => Holds::No(format!("foreign key {} on {name} still exists", e.object)),
            None => Holds::Yes,
        },
        TableOptions => match table {
            Some(t) => options_hold(t, &e.definition),
            None => Holds::No(format!("table {name} is missing")),
        },
    }
}

/// The words after `key` in a table-options text (`CHARACTER SET utf8mb4`, `ROW_FORMAT =
/// DYNAMIC`), lower-cased.
fn option_value(words: &[String], key: &[&str]) -> Option<String> {
    let at = words
        .windows(key.len())
        .position(|w| w.iter().zip(key).all(|(a, b)| a.eq_ignore_ascii_case(b)))?;
    words[at + key.len()..]
        .iter()
        .find(|w| *w != "=")
        .map(|w| w.trim_matches(['`', '\'', ',', ';']).to_ascii_lowercase())
}

/// Whether a table has the options a migration gives it: charset, collation, row format and
/// engine as named; after `CONVERT TO`, every text column carries the charset too.
fn options_hold(t: &Table, definition: &str) -> Holds {
    let words: Vec<String> = definition
        .replace('=', " = ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let o = &t.options;
    let collation = option_value(&words, &["COLLATE"]).map(|c| canonical_collation(&c));
    let charset = option_value(&words, &["CHARACTER", "SET"])
        .or_else(|| option_value(&words, &["CHARSET"]))
        .map(|c| canonical_charset(&c));
    let mut wrong = Vec::new();
    let differs = |want: &Option<String>, have: &Option<String>| {
        want.as_ref()
            .is_some_and(|w| !have.as_ref().is_some_and(|h| h.eq_ignore_ascii_case(w)))
    };
    if differs(&collation, &o.collation) {
        wrong.push(format!(
            "collation {}",
            o.collation.as_deref().unwrap_or("none")
        ));
    }
    if differs(&charset, &o.charset) {
        wrong.push(format!(
            "charset {}",
            o.charset.as_deref().unwrap_or("none")
        ));
    }
    let row_format = option_value(&words, &["ROW_FORMAT"]);
    if differs(&row_format, &o.row_format) {
        wrong.push(format!(
            "row format {}",
            o.row_format.as_deref().unwrap_or("default")
        ));
    }
    let engine = option_value(&words, &["ENGINE"]);
    if differs(&engine, &o.engine) {
        wrong.push(format!(
            "engine {}",
            o.engine.as_deref().unwrap_or("default")
        ));
    }
    if let (Some(cs), true) = (
        &charset,
        definition.to_ascii_uppercase().contains("CONVERT TO"),
    ) {
        let prefix = format!("{cs}_");
        let other = t.columns.iter().filter(|c| {
            c.collation
                .as_deref()
                .is_some_and(|coll| coll != "binary" && !coll.starts_with(&prefix))
        });
        for c in other.take(3) {
            wrong.push(format!(
                "column {} is {}",
                c.name,
                c.collation.as_deref().unwrap_or("")
            ));
        }
    }
    if wrong.is_empty() {
        Holds::Yes
    } else {
        Holds::No(format!("{}: {}", t.name, wrong.join(", ")))
    }
}

/// What a column definition states, the rest taken from the live column: a migration's
/// `CHANGE c c VARCHAR(191) CHARACTER SET utf8mb4` is about the type and charset; the
/// nullability MySQL gives a CHANGE without NOT NULL is not what it set out to do (and the
/// entities, hence the reference, may say otherwise).
fn stated_only(mut want: Column, have: &Column, definition: &str) -> Column {
    let words: Vec<String> = definition
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .map(str::to_ascii_uppercase)
        .collect();
    let said = |w: &str| words.iter().any(|x| x == w);
    // NULL right after DEFAULT is a default, not a nullability.
    let nullability = words
        .iter()
        .enumerate()
        .any(|(i, w)| w == "NULL" && (i == 0 || words[i - 1] != "DEFAULT"));
    if !nullability {
        want.nullable = have.nullable;
    }
    if !said("DEFAULT") {
        want.default.clone_from(&have.default);
    }
    if !said("COMMENT") {
        want.comment.clone_from(&have.comment);
    }
    if !said("AUTO_INCREMENT") {
        want.auto_increment = have.auto_increment;
    }
    if !(said("ON") && said("UPDATE")) {
        want.on_update.clone_from(&have.on_update);
    }
    want
}

fn column_holds(have: &Column, want: &Column, table: &str) -> Holds {
    let diffs = column_differences(have, want);
    if diffs.is_empty() {
        Holds::Yes
    } else {
        Holds::No(format!("{table}.{}: {}", want.name, diffs.join("; ")))
    }
}

/// The key an effect changes: a later effect on the same key supersedes it (a column added in
/// 2.x and changed in 4.x is judged by the 4.x definition only).
fn key(e: &Effect) -> (String, String) {
    let object = if e.op.on_object() {
        e.object.to_ascii_lowercase()
    } else {
        String::new()
    };
    (e.table.to_ascii_lowercase(), object)
}

/// What the schema says of one migration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Effects that hold.
    pub holding: Vec<String>,
    /// Effects that do not, with why.
    pub missing: Vec<String>,
    /// The (unprefixed table, object) of each effect that does not hold, lower-case.
    pub missing_objects: Vec<(String, String)>,
    /// Effects nothing in the schema can tell (data, not extracted).
    pub unknown: Vec<String>,
    /// Effects something later changes again: not judged.
    pub superseded: usize,
    /// Effects the release's own schema does not show (see `evidence`): not judged.
    pub not_in_release: usize,
}

impl Evidence {
    /// Every judged effect holds, and there is at least one.
    pub fn applied(&self) -> bool {
        !self.holding.is_empty() && self.missing.is_empty()
    }

    /// Some effects hold and some do not.
    pub fn partial(&self) -> bool {
        !self.holding.is_empty() && !self.missing.is_empty()
    }

    /// None of its judged effects holds.
    pub fn absent(&self) -> bool {
        self.holding.is_empty() && !self.missing.is_empty()
    }
}

/// The evidence for each migration of `chain` (versions in the order Mautic runs them), judged
/// against `live`. An effect is judged only when nothing later touches the same object: no
/// later migration of the chain, and no later statement of the same migration (a key dropped
/// before its table is dropped); a table-level effect (create, drop, rename) covers everything
/// on that table. With a `reference` (the release's own schema), only effects the reference
/// shows are evidence: a migration's index or type that fresh installs of the release do not
/// have (the entities say otherwise, the installer differs) proves nothing either way.
pub fn evidence(
    chain: &[String],
    effects: &BTreeMap<String, Vec<Effect>>,
    live: &Schema,
    reference: Option<&Schema>,
    prefix: &str,
    server: &ServerInfo,
) -> BTreeMap<String, Evidence> {
    let mut out = BTreeMap::new();
    // Walking backwards, the objects and tables that something later touches.
    let mut later = Touched::default();
    for version in chain.iter().rev() {
        let mut ev = Evidence::default();
        let list = effects.get(version).map(Vec::as_slice).unwrap_or(&[]);
        for e in list.iter().rev() {
            let k = key(e);
            if later.covers(&k) {
                ev.superseded += 1;
            } else if reference.is_some_and(|r| holds(e, r, prefix, server) != Holds::Yes) {
                ev.not_in_release += 1;
            } else {
                match holds(e, live, prefix, server) {
                    Holds::Yes => ev.holding.push(e.describe()),
                    Holds::No(why) => {
                        ev.missing.push(why);
                        ev.missing_objects
                            .push((k.0.clone(), e.object.to_ascii_lowercase()));
                    }
                    Holds::Unknown(why) => ev.unknown.push(why),
                }
            }
            later.add(e, k);
        }
        ev.holding.reverse();
        ev.missing.reverse();
        ev.missing_objects.reverse();
        ev.unknown.reverse();
        out.insert(version.clone(), ev);
    }
    out
}

#[derive(Default)]
struct Touched {
    objects: std::collections::BTreeSet<(String, String)>,
    tables: std::collections::BTreeSet<String>,
}

impl Touched {
    fn covers(&self, k: &(String, String)) -> bool {
        self.tables.contains(&k.0) || self.objects.contains(k)
    }

    fn add(&mut self, e: &Effect, k: (String, String)) {
        if matches!(e.op, EffectOp::Data | EffectOp::Unknown) {
            return;
        }
        if k.1.is_empty() && e.op != EffectOp::TableOptions {
            self.tables.insert(k.0.clone());
            if e.op == EffectOp::RenameTable {
                self.tables.insert(e.object.to_ascii_lowercase());
            }
        }
        self.objects.insert(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "# version\tstep\top\ttable\tobject\tdefinition\tsql
1\t1\tcreate_table\tfocus\t\tCREATE TABLE focus (id INT NOT NULL, name VARCHAR(191) NOT NULL, PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci\tCREATE TABLE focus (...)
2\t1\tadd_column\temails\tpreheader\t`preheader` VARCHAR(191) DEFAULT NULL\tALTER TABLE emails ADD preheader VARCHAR(191) DEFAULT NULL
2\t1\tadd_index\temails\tpre_idx\tINDEX pre_idx (preheader)\tALTER TABLE emails ADD INDEX pre_idx (preheader)
3\t1\tmodify_column\temails\tsubject\t`subject` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL\tALTER TABLE emails MODIFY subject LONGTEXT ...
3\t2\tdata\t\t\tUPDATE rows\tUPDATE emails SET x = 1
4\t1\tmodify_column\temails\tpreheader\t`preheader` VARCHAR(255) DEFAULT NULL\tALTER TABLE emails MODIFY preheader VARCHAR(255) DEFAULT NULL
";

    fn live(subject_collation: &str, preheader: Option<&str>) -> Schema {
        let pre = preheader
            .map(|ty| format!(", preheader {ty} DEFAULT NULL, INDEX other_name (preheader)"))
            .unwrap_or_default();
        let sql = format!(
            "CREATE TABLE mt_emails (id INT NOT NULL, subject LONGTEXT CHARACTER SET {} COLLATE {subject_collation} DEFAULT NULL{pre}, PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
            subject_collation.split('_').next().unwrap()
        );
        let mut s = crate::sql::parse_schema_sql(&sql, &|_| false).schema;
        crate::dialect::normalize_schema(&mut s, &ServerInfo::unknown());
        s
    }

    fn chain() -> Vec<String> {
        ["1", "2", "3", "4"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_rows_and_escapes() {
        let e = parse_effects("5\t2\tdata\t\t\ta\\tb\\nc\\\\d\tX\n");
        assert!(parse("5\tx\tdata\t\t\t\t\n").is_err());
        assert_eq!(e[0].definition, "a\tb\nc\\d");
        assert_eq!(e[0].op, EffectOp::Data);
        assert_eq!(parse_effects(TSV).len(), 6);
    }

    #[test]
    fn evidence_by_effect_and_superseded() {
        let effects = {
            let mut m: BTreeMap<String, Vec<Effect>> = BTreeMap::new();
            for e in parse_effects(TSV) {
                m.entry(e.version.clone()).or_default().push(e);
            }
            m
        };
        let server = ServerInfo::unknown();
        // utf8mb3 subject, no preheader, no focus table.
        let ev = evidence(
            &chain(),
            &effects,
            &live("utf8mb3_unicode_ci", None),
            None,
            "mt_",
            &server,
        );
        assert!(ev["1"].absent(), "{:?}", ev["1"]);
        assert!(ev["3"].absent(), "{:?}", ev["3"]);
        assert!(ev["3"].missing[0].contains("collation"), "{:?}", ev["3"]);
        assert_eq!(ev["3"].unknown.len(), 1);
        // The column version 2 adds is changed by version 4: only the index is judged for 2.
        assert_eq!(ev["2"].superseded, 1);
        assert!(ev["2"].absent());
        assert!(ev["4"].absent());
        // Converted subject, preheader at its final type with an index named otherwise.
        let ev = evidence(
            &chain(),
            &effects,
            &live("utf8mb4_unicode_ci", Some("VARCHAR(255)")),
            None,
            "mt_",
            &server,
        );
        assert!(ev["2"].applied(), "{:?}", ev["2"]);
        assert!(ev["3"].applied(), "{:?}", ev["3"]);
        assert!(ev["4"].applied(), "{:?}", ev["4"]);
        // Preheader still at version 2's type: 4 is not applied.
        let ev = evidence(
            &chain(),
            &effects,
            &live("utf8mb4_unicode_ci", Some("VARCHAR(191)")),
            None,
            "mt_",
            &server,
        );
        assert!(ev["4"].absent(), "{:?}", ev["4"]);
        assert!(ev["4"].missing[0].contains("varchar(191)"), "{:?}", ev["4"]);
        // A release whose own schema keeps VARCHAR(191) (its entities say so): version 4's
        // effect is no evidence there, and nothing is missing.
        let release = live("utf8mb4_unicode_ci", Some("VARCHAR(191)"));
        let ev = evidence(&chain(), &effects, &release, Some(&release), "mt_", &server);
        assert_eq!(ev["4"].not_in_release, 1, "{:?}", ev["4"]);
        assert!(ev["4"].missing.is_empty() && ev["4"].holding.is_empty());
    }

    #[test]
    fn a_key_dropped_before_its_table_is_covered_by_the_drop() {
        let tsv = "9\t1\tdrop_foreign_key\tfocus\tFK_1\t\tALTER TABLE focus DROP FOREIGN KEY FK_1
9\t2\tdrop_table\tfocus\t\t\tDROP TABLE focus
";
        let mut m: BTreeMap<String, Vec<Effect>> = BTreeMap::new();
        for e in parse_effects(tsv) {
            m.entry(e.version.clone()).or_default().push(e);
        }
        let ev = evidence(
            &["9".to_string()],
            &m,
            &live("utf8mb4_unicode_ci", None),
            None,
            "mt_",
            &ServerInfo::unknown(),
        );
        assert!(ev["9"].applied(), "{:?}", ev["9"]);
        assert_eq!(ev["9"].superseded, 1);
    }
}

#[cfg(test)]
mod options_tests {
    use super::*;

    fn table(sql: &str) -> Table {
        let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
        crate::dialect::normalize_schema(&mut s, &ServerInfo::unknown());
        s.tables.into_values().next().unwrap()
    }

    #[test]
    fn table_options_and_convert_to() {
        let old = table(
            "CREATE TABLE t (id INT, subject VARCHAR(10)) DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci ROW_FORMAT=COMPACT;",
        );
        let new = table(
            "CREATE TABLE t (id INT, subject VARCHAR(10)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;",
        );
        let convert = "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
        assert!(matches!(options_hold(&old, convert), Holds::No(w) if w.contains("subject")));
        assert_eq!(options_hold(&new, convert), Holds::Yes);
        assert!(matches!(
            options_hold(&old, "ROW_FORMAT = DYNAMIC"),
            Holds::No(_)
        ));
        assert_eq!(options_hold(&new, "ROW_FORMAT=DYNAMIC"), Holds::Yes);
        // Options only: the table's default changes, its columns keep theirs.
        let mixed = table(
            "CREATE TABLE t (id INT, subject VARCHAR(10) CHARACTER SET utf8 COLLATE utf8_unicode_ci) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;",
        );
        assert_eq!(
            options_hold(
                &mixed,
                "DEFAULT CHARACTER SET utf8mb4 COLLATE `utf8mb4_unicode_ci`"
            ),
            Holds::Yes
        );
        assert!(matches!(options_hold(&mixed, convert), Holds::No(_)));
    }
}
