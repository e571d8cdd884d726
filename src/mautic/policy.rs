//! What a difference means for a Mautic install: drift to fix, history to tolerate (`legacy`),
//! or the user's own objects (`info`, never dropped). FACTS §4.4, §5, §6 and §8 explain each
//! rule.

use crate::diff::{Change, ChangeKind, Op, Severity};
use crate::schema::{Column, DefaultValue, canonical::charset_of_collation};

pub struct Policy<'a> {
    pub prefix: &'a str,
    /// (table, column) pairs that are custom-field columns.
    pub custom_columns: &'a [(String, String)],
    /// `--strict`: history is drift too.
    pub strict: bool,
    /// Doctrine types the target release's DBAL no longer knows (see `removed_doctrine_types`).
    pub removed_types: &'a [&'a str],
}

/// Doctrine types a release's DBAL no longer has: a column whose `(DC2Type:X)` comment names one
/// breaks Doctrine's schema reading ("Unknown column type json_array"), so that comment is
/// drift, not a remark. (From release, types): DBAL 3, which Mautic 5 brought, removed
/// json_array.
type Since = (u32, u32, u32);
const REMOVED_DOCTRINE_TYPES: &[(Since, &[&str])] = &[((5, 0, 0), &["json_array"])];

pub fn removed_doctrine_types(target: Option<super::release::Release>) -> &'static [&'static str] {
    let Some(t) = target else {
        return &[];
    };
    REMOVED_DOCTRINE_TYPES
        .iter()
        .rev()
        .find(|(from, _)| (t.0, t.1, t.2) >= *from)
        .map(|(_, types)| *types)
        .unwrap_or(&[])
}

/// The type a Doctrine type comment names (`(DC2Type:json_array)` → `json_array`).
fn doctrine_type(comment: &str) -> Option<&str> {
    comment.strip_prefix("(DC2Type:")?.strip_suffix(')')
}

/// Index names Mautic's installers create with or without the prefix (4.3+ core-field
/// indexes are unprefixed, older ones prefixed): equivalent spellings, FACTS §4.2/§5.2.
fn prefix_tolerant_index(name: &str) -> bool {
    name.ends_with("_search")
        || matches!(
            name,
            "contact_attribution"
                | "date_added_country_index"
                | "company_filter"
                | "company_match"
                | "unique_identifier_search"
        )
}

impl Policy<'_> {
    fn base<'n>(&self, table: &'n str) -> &'n str {
        table.strip_prefix(self.prefix).unwrap_or(table)
    }

    /// leads and companies carry the custom-field columns.
    fn is_field_table(&self, table: &str) -> bool {
        matches!(self.base(table), "leads" | "companies")
    }

    fn is_known_field(&self, table: &str, column: &str) -> bool {
        self.custom_columns
            .iter()
            .any(|(t, c)| t == table && c.eq_ignore_ascii_case(column))
    }

    /// Re-classify generic changes for Mautic. Changes are never removed: the user's objects
    /// stay visible as `info`, with no fix proposed.
    pub fn classify(&self, changes: &mut [Change]) {
        for c in changes.iter_mut() {
            self.classify_one(c);
        }
    }

    fn user_owned(c: &mut Change, why: String) {
        c.severity = Severity::Info;
        c.detail = format!("{} — {why}; left alone", c.detail);
        c.op = Op::None;
        c.destructive = false;
    }

    fn classify_one(&self, c: &mut Change) {
        let base = self.base(&c.table).to_string();
        match c.kind {
            ChangeKind::ExtraTable => {
                let why = if base == "migrations" {
                    "Mautic's migrations table".to_string()
                } else if base.starts_with("form_results_") {
                    "results table of a Mautic form".to_string()
                } else if c.table.starts_with("bak_") || base.starts_with("bak_") {
                    "backup made by Mautic's installer".to_string()
                } else if base == "messenger_messages" {
                    "Symfony Messenger queue".to_string()
                } else {
                    "not Mautic core (plugin or other application)".to_string()
                };
                Self::user_owned(c, why);
            }
            ChangeKind::ExtraColumn => {
                if self.is_field_table(&c.table) {
                    let known = self.is_known_field(&c.table, &c.object);
                    Self::user_owned(
                        c,
                        if known {
                            "custom field column".into()
                        } else {
                            "column without a lead_fields row (usually a deleted custom field)"
                                .into()
                        },
                    );
                } else if let Op::DropColumn(col) = &c.op {
                    if blocks_inserts(col) {
                        c.detail = format!(
                            "{} — NOT NULL without a default: Mautic's inserts into this table fail",
                            c.detail
                        );
                    } else {
                        Self::user_owned(c, "not used by Mautic".into());
                    }
                }
            }
            ChangeKind::ExtraIndex => {
                if base == "leads" || base == "companies" {
                    Self::user_owned(c, "custom-field or user index".into());
                } else if !c.destructive {
                    Self::user_owned(c, "extra index, harmless to Mautic".into());
                }
            }
            ChangeKind::ExtraForeignKey => {
                Self::user_owned(c, "foreign key Mautic does not define".into())
            }
            ChangeKind::IndexRenamed => {
                if let Op::RenameIndex { from, to } = &c.op {
                    let strip = |n: &str| {
                        n.strip_prefix(self.prefix)
                            .unwrap_or(n)
                            .to_ascii_lowercase()
                    };
                    if strip(&from.name) == strip(&to.name)
                        && prefix_tolerant_index(&strip(&to.name))
                    {
                        c.severity = Severity::Info;
                        c.detail = format!(
                            "{} — Mautic creates this index with or without the prefix; equivalent",
                            c.detail
                        );
                        c.op = Op::None;
                    }
                }
            }
            ChangeKind::ColumnDiffers => {
                if let Op::ModifyColumn { from, to } = &c.op {
                    let unknown_type =
                        doctrine_type(&from.comment).filter(|t| self.removed_types.contains(t));
                    if let Some(t) = unknown_type {
                        c.detail = format!(
                            "{} — Doctrine reads the column's type from this comment and this release no longer has type {t} (\"Unknown column type\")",
                            c.detail
                        );
                    } else if only_comment_differs(from, to) {
                        // Doctrine's comments are type hints for the ORM, not schema Mautic
                        // relies on: worth knowing, nothing to fix.
                        c.severity = Severity::Info;
                    } else if self.is_known_field(&c.table, &to.name) && !narrower_text(from, to) {
                        self.legacy(
                            c,
                            "custom field column created by an older release keeps its type",
                        );
                    } else if let Some(why) = legacy_column(from, to) {
                        self.legacy(c, why);
                    }
                }
            }
            ChangeKind::TableOptionsDiffer => {
                if let Op::SetTableOptions { from, to } = &c.op {
                    // The comment is the last item the engine lists: alone, it is first.
                    if c.detail.starts_with("comment '") {
                        c.severity = Severity::Info;
                        return;
                    }
                    let engine_same = from.engine.as_deref().map(str::to_ascii_lowercase)
                        == to.engine.as_deref().map(str::to_ascii_lowercase)
                        || from.engine.is_none()
                        || to.engine.is_none();
                    let rf_same = from.row_format.is_none()
                        || to.row_format.is_none()
                        || from.row_format == to.row_format;
                    let coll_legacy = match (&from.collation, &to.collation) {
                        (Some(a), Some(b)) => a == b || same_family(a, b),
                        _ => true,
                    };
                    if engine_same && rf_same && coll_legacy && c.severity == Severity::Drift {
                        self.legacy(c, "tables created before Mautic 3 keep utf8mb3; converting them is optional (and slow on big tables)");
                    }
                }
            }
            _ => {}
        }
    }

    fn legacy(&self, c: &mut Change, why: &str) {
        if self.strict || c.severity != Severity::Drift {
            return;
        }
        c.severity = Severity::Legacy;
        c.detail = format!("{} — {why}", c.detail);
    }
}

fn only_comment_differs(from: &Column, to: &Column) -> bool {
    let mut f = from.clone();
    f.comment = to.comment.clone();
    f == *to && from.comment != to.comment
}

fn blocks_inserts(col: &Column) -> bool {
    !col.nullable && col.default.is_none() && !col.auto_increment && col.generated.is_none()
}

/// utf8mb3_unicode_ci vs utf8mb4_unicode_ci: the same collation family across the 3→4 byte
/// switch of Mautic 3.0.
fn same_family(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.split_once('_')
            .map(|(_, r)| r.to_string())
            .unwrap_or_default()
    };
    let cs = |s: &str| charset_of_collation(s).to_string();
    strip(a) == strip(b)
        && matches!(
            (cs(a).as_str(), cs(b).as_str()),
            ("utf8mb3", "utf8mb4") | ("utf8mb4", "utf8mb3")
        )
}

fn narrower_text(from: &Column, to: &Column) -> bool {
    !from.ty.fits_into(&to.ty) && to.ty.fits_into(&from.ty) && from.ty.is_textual()
}

/// A column difference that a database born on an older release legitimately keeps
/// (FACTS §5.1, §6 cases 1, 2, 10): wider VARCHARs, signed or narrower integer ids, utf8mb3,
/// LONGTEXT where JSON is declared now, defaults the code does not rely on. Anything that
/// breaks the code (too short, wrong nullability, missing default) stays drift.
pub(crate) fn legacy_column(from: &Column, to: &Column) -> Option<&'static str> {
    if from.nullable != to.nullable
        || from.auto_increment != to.auto_increment
        || from.generated.is_some() != to.generated.is_some()
    {
        return None;
    }
    // A default the target has and the live column lacks makes inserts that omit it fail.
    if to.default.is_some()
        && from.default != to.default
        && !matches!(to.default, Some(DefaultValue::Null))
    {
        return None;
    }
    let ty_ok = from.ty == to.ty
        || (to.ty.fits_into(&from.ty) && !from.ty.is_integer())
        // Signed where unsigned is declared, or INT ids where 3.x+ declares BIGINT (and back).
        || (from.ty.name == to.ty.name && from.ty.is_integer())
        || (matches!(from.ty.name.as_str(), "int" | "bigint") && matches!(to.ty.name.as_str(), "int" | "bigint"))
        || (from.ty.name == "longtext" && to.ty.name == "json");
    let coll_ok = match (&from.collation, &to.collation) {
        (Some(a), Some(b)) => a == b || same_family(a, b),
        (None, None) => true,
        // json (no collation) vs longtext (collation)
        _ => from.ty.name == "longtext" && to.ty.name == "json",
    };
    if ty_ok && coll_ok {
        Some("kept from the release the database was created with; not needed by the code")
    } else {
        None
    }
}
