//! A plan step as typed data: what the statement does (create a table, drop one, or a list of
//! ALTER TABLE clauses, each with the change it carries out), rendered to SQL only at the edge
//! (`Step::sql`). Everything that reasons about a step — the write-blocking classifier, the
//! split of a large table's copy, the online executor, the estimates — reads the clauses, never
//! the rendered text.

use crate::schema::canonical::{
    check_sql, column_sql, create_table_sql_with, foreign_key_sql, index_sql,
};
use crate::schema::{
    Check, Column, ForeignKey, Index, IndexKind, Table, quote_ident, quote_string,
};

use super::Phase;

/// Where ADD COLUMN puts the column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Position {
    /// At the end (what the planner always asks for).
    #[default]
    Last,
    First,
    After(String),
}

impl Position {
    /// ` FIRST`, ` AFTER x`, or nothing for the end.
    fn sql(&self) -> String {
        match self {
            Position::Last => String::new(),
            Position::First => " FIRST".into(),
            Position::After(c) => format!(" AFTER {}", quote_ident(c)),
        }
    }
}

/// One ALTER TABLE clause, owned and typed.
// A plan holds a few dozen clauses: their size does not matter, plain patterns do.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseOp {
    AddColumn {
        column: Column,
        position: Position,
    },
    DropColumn(Column),
    ModifyColumn {
        from: Column,
        to: Column,
    },
    /// `MODIFY COLUMN c ... FIRST|AFTER x`: the column put in its place, with the definition
    /// `column` (the target's when the same ALTER changes or adds it, its own otherwise);
    /// `from` is how it stands, for the classifier.
    MoveColumn {
        from: Column,
        column: Column,
        position: Position,
    },
    /// `ADD INDEX`, `ADD UNIQUE`, `ADD PRIMARY KEY`, `ADD FULLTEXT`...
    AddIndex(Index),
    /// `DROP INDEX`, or `DROP PRIMARY KEY` for the primary key.
    DropIndex(Index),
    /// `RENAME INDEX` (planned only where the server has it).
    RenameIndex {
        from: Index,
        to: Index,
    },
    AddForeignKey(ForeignKey),
    DropForeignKey {
        name: String,
    },
    AddCheck(Check),
    DropCheck(Check),
    /// `ALTER COLUMN c DROP DEFAULT`: the default lives in the table's metadata.
    DropColumnDefault {
        column: String,
    },
    Engine(String),
    /// The table's default character set (not a conversion of its columns).
    DefaultCharset(String),
    /// The table's default collation.
    DefaultCollation(String),
    RowFormat(String),
    Comment(String),
}

/// A clause and the change it carries out (`None` for what the planner adds on its own, such
/// as a foreign key re-made after its columns changed, or a temporary default removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub op: ClauseOp,
    pub change: Option<usize>,
}

/// What a step's statement does.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    CreateTable(Box<Table>),
    Alter(Vec<Clause>),
    DropTable,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub phase: Phase,
    pub table: String,
    pub statement: Statement,
    /// Why: one line per change the statement carries out.
    pub reasons: Vec<String>,
    /// Indexes into the change list this step (partly) carries out.
    pub changes: Vec<usize>,
}

/// The separator of an ALTER's clauses as the tool prints them: one clause a line.
const CLAUSE_SEPARATOR: &str = ",\n  ";

impl ClauseOp {
    /// `ADD COLUMN` at the end of the table.
    pub fn add_column(column: Column) -> ClauseOp {
        ClauseOp::AddColumn {
            column,
            position: Position::Last,
        }
    }

    /// The clause's SQL, rendered from the model.
    pub fn sql(&self) -> String {
        match self {
            // Explicit collation (table collation `None`): a MODIFY must not depend on the
            // table default at the moment it runs.
            ClauseOp::AddColumn { column, position } => {
                format!("ADD COLUMN {}{}", column_sql(column, None), position.sql())
            }
            ClauseOp::DropColumn(c) => format!("DROP COLUMN {}", quote_ident(&c.name)),
            ClauseOp::ModifyColumn { to, .. } => format!("MODIFY COLUMN {}", column_sql(to, None)),
            ClauseOp::MoveColumn {
                column, position, ..
            } => format!(
                "MODIFY COLUMN {}{}",
                column_sql(column, None),
                position.sql()
            ),
            ClauseOp::AddIndex(i) => format!("ADD {}", index_sql(i)),
            ClauseOp::DropIndex(i) if i.kind == IndexKind::Primary => "DROP PRIMARY KEY".into(),
            ClauseOp::DropIndex(i) => format!("DROP INDEX {}", quote_ident(&i.name)),
            ClauseOp::RenameIndex { from, to } => format!(
                "RENAME INDEX {} TO {}",
                quote_ident(&from.name),
                quote_ident(&to.name)
            ),
            ClauseOp::AddForeignKey(fk) => format!("ADD {}", foreign_key_sql(fk)),
            ClauseOp::DropForeignKey { name } => format!("DROP FOREIGN KEY {}", quote_ident(name)),
            ClauseOp::AddCheck(k) => format!("ADD {}", check_sql(k)),
            ClauseOp::DropCheck(k) => format!("DROP CONSTRAINT {}", quote_ident(&k.name)),
            ClauseOp::DropColumnDefault { column } => {
                format!("ALTER COLUMN {} DROP DEFAULT", quote_ident(column))
            }
            ClauseOp::Engine(e) => format!("ENGINE={}", engine_word(e)),
            ClauseOp::DefaultCharset(cs) => format!("DEFAULT CHARACTER SET {}", charset_word(cs)),
            ClauseOp::DefaultCollation(c) => format!("COLLATE {}", charset_word(c)),
            ClauseOp::RowFormat(f) => format!("ROW_FORMAT={}", engine_word(f)),
            ClauseOp::Comment(c) => format!("COMMENT={}", quote_string(c)),
        }
    }
}

/// An engine or row-format name as a bare word: only letters, digits and `_` pass (a name from
/// a file that holds anything else is quoted, which the server then refuses, rather than run).
fn engine_word(w: &str) -> String {
    if !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        w.to_string()
    } else {
        quote_ident(w)
    }
}

/// A character set or collation name: a bare word, or a quoted string when it holds anything
/// else (the server accepts both spellings).
fn charset_word(w: &str) -> String {
    if !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        w.to_string()
    } else {
        quote_string(w)
    }
}

/// `ALTER TABLE t\n  a,\n  b` (and `tail`, such as `ALGORITHM=INSTANT`, as a last clause).
pub fn alter_sql(table: &str, clauses: &[Clause], tail: Option<&str>) -> String {
    let mut parts: Vec<String> = clauses.iter().map(|c| c.op.sql()).collect();
    parts.extend(tail.map(str::to_string));
    format!(
        "ALTER TABLE {}\n  {}",
        quote_ident(table),
        parts.join(CLAUSE_SEPARATOR)
    )
}

impl Step {
    /// The statement, without the trailing delimiter.
    pub fn sql(&self) -> String {
        match &self.statement {
            Statement::CreateTable(t) => create_table_sql_with(t, true),
            Statement::Alter(clauses) => alter_sql(&self.table, clauses, None),
            Statement::DropTable => format!("DROP TABLE {}", quote_ident(&self.table)),
        }
    }

    /// An ALTER with an algorithm/lock clause of its own at the end (`ALGORITHM=INSTANT`,
    /// `ALGORITHM=INPLACE, LOCK=NONE`); `None` for what is not an ALTER.
    pub fn sql_with(&self, tail: &str) -> Option<String> {
        self.clauses()
            .map(|clauses| alter_sql(&self.table, clauses, Some(tail)))
    }

    /// The ALTER's clauses; `None` for CREATE and DROP TABLE.
    pub fn clauses(&self) -> Option<&[Clause]> {
        match &self.statement {
            Statement::Alter(c) => Some(c),
            _ => None,
        }
    }

    pub fn is_alter(&self) -> bool {
        matches!(self.statement, Statement::Alter(_))
    }

    /// The clause list alone, the form pt-online-schema-change's `--alter` takes.
    pub fn clause_list_sql(&self) -> Option<String> {
        self.clauses().map(|c| {
            c.iter()
                .map(|c| c.op.sql())
                .collect::<Vec<_>>()
                .join(CLAUSE_SEPARATOR)
        })
    }

    /// Only foreign keys dropped: metadata, nothing to copy.
    pub fn drops_foreign_keys_only(&self) -> bool {
        self.clauses().is_some_and(|c| {
            !c.is_empty()
                && c.iter()
                    .all(|c| matches!(c.op, ClauseOp::DropForeignKey { .. }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnType, IndexPart};

    #[test]
    fn rendered_once_from_the_clauses() {
        let col = Column::new("a`b", ColumnType::named("int"));
        let idx = Index {
            name: "i".into(),
            kind: IndexKind::Plain,
            parts: vec![IndexPart::new("a`b")],
            comment: String::new(),
        };
        let step = Step {
            phase: Phase::AlterTables,
            table: "t".into(),
            statement: Statement::Alter(vec![
                Clause {
                    op: ClauseOp::add_column(col),
                    change: Some(0),
                },
                Clause {
                    op: ClauseOp::AddIndex(idx),
                    change: Some(1),
                },
                Clause {
                    op: ClauseOp::Engine("InnoDB; DROP TABLE x".into()),
                    change: None,
                },
            ]),
            reasons: vec![],
            changes: vec![0, 1],
        };
        assert_eq!(
            step.sql(),
            "ALTER TABLE `t`\n  ADD COLUMN `a``b` int NULL DEFAULT NULL,\n  ADD KEY `i` (`a``b`),\n  ENGINE=`InnoDB; DROP TABLE x`"
        );
        assert!(
            step.sql_with("ALGORITHM=INSTANT")
                .unwrap()
                .ends_with(",\n  ALGORITHM=INSTANT")
        );
        assert!(!step.drops_foreign_keys_only());
    }
}
