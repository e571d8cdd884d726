//! A change is data: what differs, on which object, why it matters, whether fixing it can lose
//! data, how serious it is, and the typed operation that fixes it.

use serde::Serialize;

use crate::schema::{Check, Column, ForeignKey, Index, Table, TableOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    MissingTable,
    ExtraTable,
    UnsupportedTable,
    MissingColumn,
    ExtraColumn,
    ColumnDiffers,
    ColumnMoved,
    MissingIndex,
    ExtraIndex,
    IndexDiffers,
    IndexRenamed,
    MissingForeignKey,
    ExtraForeignKey,
    ForeignKeyDiffers,
    ForeignKeyRenamed,
    MissingCheck,
    ExtraCheck,
    CheckDiffers,
    TableOptionsDiffer,
}

impl ChangeKind {
    /// Every kind, for the documentation's list (tests/docs.rs checks docs/json.md names each).
    pub const ALL: [ChangeKind; 19] = [
        ChangeKind::MissingTable,
        ChangeKind::ExtraTable,
        ChangeKind::UnsupportedTable,
        ChangeKind::MissingColumn,
        ChangeKind::ExtraColumn,
        ChangeKind::ColumnDiffers,
        ChangeKind::ColumnMoved,
        ChangeKind::MissingIndex,
        ChangeKind::ExtraIndex,
        ChangeKind::IndexDiffers,
        ChangeKind::IndexRenamed,
        ChangeKind::MissingForeignKey,
        ChangeKind::ExtraForeignKey,
        ChangeKind::ForeignKeyDiffers,
        ChangeKind::ForeignKeyRenamed,
        ChangeKind::MissingCheck,
        ChangeKind::ExtraCheck,
        ChangeKind::CheckDiffers,
        ChangeKind::TableOptionsDiffer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::MissingTable => "missing_table",
            ChangeKind::ExtraTable => "extra_table",
            ChangeKind::UnsupportedTable => "unsupported_table",
            ChangeKind::MissingColumn => "missing_column",
            ChangeKind::ExtraColumn => "extra_column",
            ChangeKind::ColumnDiffers => "column_differs",
            ChangeKind::ColumnMoved => "column_moved",
            ChangeKind::MissingIndex => "missing_index",
            ChangeKind::ExtraIndex => "extra_index",
            ChangeKind::IndexDiffers => "index_differs",
            ChangeKind::IndexRenamed => "index_renamed",
            ChangeKind::MissingForeignKey => "missing_foreign_key",
            ChangeKind::ExtraForeignKey => "extra_foreign_key",
            ChangeKind::ForeignKeyDiffers => "foreign_key_differs",
            ChangeKind::ForeignKeyRenamed => "foreign_key_renamed",
            ChangeKind::MissingCheck => "missing_check",
            ChangeKind::ExtraCheck => "extra_check",
            ChangeKind::CheckDiffers => "check_differs",
            ChangeKind::TableOptionsDiffer => "table_options_differ",
        }
    }
}

/// How serious a change is. Only `Drift` makes a database out of sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed: the code expects something else.
    Drift,
    /// Tolerated history (for example a database born on an older release); explained.
    Legacy,
    /// Worth knowing, nothing to fix (comments, objects that belong to the user).
    Info,
}

/// The operation that fixes a change, as typed data for the planner.
// A schema yields hundreds of changes at most; boxing the column pairs would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    CreateTable(Box<Table>),
    DropTable,
    AddColumn(Column),
    DropColumn(Column),
    ModifyColumn {
        from: Column,
        to: Column,
    },
    /// Put a column after another (`None`: first). `from` is its definition as it stands
    /// (the target's for a column the plan adds), `to` the target's: the planner renders the
    /// one its ALTER leaves the column with.
    MoveColumn {
        from: Column,
        to: Column,
        after: Option<String>,
    },
    AddIndex(Index),
    DropIndex(Index),
    ReplaceIndex {
        from: Index,
        to: Index,
    },
    RenameIndex {
        from: Index,
        to: Index,
    },
    AddForeignKey(ForeignKey),
    DropForeignKey(ForeignKey),
    ReplaceForeignKey {
        from: ForeignKey,
        to: ForeignKey,
    },
    /// A table-level CHECK; an empty name lets the server name it.
    AddCheck(Check),
    DropCheck(Check),
    ReplaceCheck {
        from: Check,
        to: Check,
    },
    SetTableOptions {
        from: TableOptions,
        to: TableOptions,
    },
    /// Reported only; nothing is proposed.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub table: String,
    pub kind: ChangeKind,
    /// The object the change is about: a table, column, index or constraint name.
    pub object: String,
    /// Human text: what differs and why it matters.
    pub detail: String,
    /// Fixing it can lose data or a guarantee (drop, narrowing): held back unless allowed.
    pub destructive: bool,
    pub severity: Severity,
    pub op: Op,
}

impl Change {
    pub fn new(table: &str, kind: ChangeKind, object: &str, detail: String, op: Op) -> Change {
        Change {
            table: table.to_string(),
            kind,
            object: object.to_string(),
            detail,
            destructive: false,
            severity: Severity::Drift,
            op,
        }
    }

    pub fn destructive(mut self) -> Change {
        self.destructive = true;
        self
    }

    pub fn severity(mut self, s: Severity) -> Change {
        self.severity = s;
        self
    }

    /// Whether a fix is proposed for this change at all.
    pub fn has_fix(&self) -> bool {
        !matches!(self.op, Op::None) && self.severity != Severity::Info
    }
}
