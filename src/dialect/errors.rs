//! The server errors the tool reasons about, by number: one table, so that every decision
//! that depends on what the server answered (an ALGORITHM refused, a lock wait, a missing
//! privilege, a statement of Mautic's that would fail) matches a number, never the words of a
//! message (they differ between MySQL and MariaDB, between versions, and with `lc_messages`).
//!
//! Numbers from MariaDB's and MySQL's error references (`include/mysqld_error.h`); where the
//! two servers give one condition different numbers, both are listed.

/// A server error the tool knows by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerError {
    /// 1005 with errno 150: a foreign key the engine cannot create (types differ, no index on
    /// the referenced columns, the parent is missing or not InnoDB).
    CannotCreateTable,
    /// 1044: access denied to a database (no rights on it).
    DbAccessDenied,
    /// 1045: the account or its password is wrong.
    AccessDenied,
    /// 1048: NULL into a NOT NULL column.
    ColumnCannotBeNull,
    /// 1050: the table exists.
    TableExists,
    /// 1051: DROP TABLE of a table that does not exist.
    BadTable,
    /// 1054: no such column.
    BadField,
    /// 1060: duplicate column name.
    DuplicateColumn,
    /// 1061: duplicate key name.
    DuplicateKeyName,
    /// 1062: duplicate entry for a unique key.
    DuplicateEntry,
    /// 1064: the parser refused the statement.
    Syntax,
    /// 1069: more than 64 indexes.
    TooManyKeys,
    /// 1071: the key is longer than the row format allows (767 or 3072 bytes).
    KeyTooLong,
    /// 1072: a key names a column the table does not have.
    KeyColumnDoesNotExist,
    /// 1091: cannot drop what does not exist.
    CantDropFieldOrKey,
    /// 1118: the row is larger than 65535 bytes (or the page allows).
    RowTooLarge,
    /// 1121: a NULL column in a primary key.
    NullColumnInIndex,
    /// 1138: invalid use of NULL (NOT NULL on a column holding NULL).
    InvalidUseOfNull,
    /// 1142: a command the account may not run on a table.
    TableAccessDenied,
    /// 1146: no such table.
    NoSuchTable,
    /// 1170: a BLOB/TEXT column in a key without a length.
    BlobKeyWithoutLength,
    /// 1176: the key named in a hint or rename does not exist.
    KeyDoesNotExist,
    /// 1205: a lock wait timed out (`lock_wait_timeout` for metadata locks too).
    LockWaitTimeout,
    /// 1213: deadlock.
    Deadlock,
    /// 1227: a privilege the statement needs (PROCESS, SUPER...) is missing.
    SpecificAccessDenied,
    /// 1264: a number outside the column's range (a narrowed integer, under strict mode).
    OutOfRange,
    /// 1265: data truncated.
    DataTruncated,
    /// 1292: an incorrect (for example zero) date or number value.
    TruncatedWrongValue,
    /// 1364: a NOT NULL column without a default got no value.
    NoDefaultForField,
    /// 1366: a value the column's character set cannot hold.
    IncorrectStringValue,
    /// 1406: data too long for the column.
    DataTooLong,
    /// 1452: a child row without its parent (adding a foreign key, or inserting).
    NoReferencedRow,
    /// 1709: one key part longer than InnoDB takes a column (767 bytes on COMPACT/REDUNDANT
    /// rows): InnoDB's own check, before the 3072-byte key limit (1071).
    IndexColumnTooLong,
    /// 1800: the server does not know the ALGORITHM named (`INSTANT` before MySQL 8.0.12 and
    /// MariaDB 10.3.2).
    UnknownAlterAlgorithm,
    /// 1826 (MySQL 8): a constraint name already used in the database. MariaDB says it as
    /// 1005 with errno 121 (see `DbError::errno`).
    DuplicateForeignKeyName,
    /// 1832: a column used in a foreign key cannot change that way.
    FkColumnCannotChange,
    /// 1833: a column referenced by a foreign key cannot change that way.
    FkColumnCannotChangeChild,
    /// 1845: the ALGORITHM or LOCK asked for is not supported for this operation.
    AlterOperationNotSupported,
    /// 1846: the same, with a reason.
    AlterOperationNotSupportedReason,
    /// 3140 (MySQL): an invalid JSON value.
    InvalidJsonText,
    /// 4025 (MariaDB): a CHECK constraint failed (`json_valid()` of MariaDB's JSON among them).
    ConstraintFailed,
}

use ServerError::*;

/// (error, the numbers the servers give it). The first number is the one shown.
const NUMBERS: &[(ServerError, &[u16])] = &[
    (CannotCreateTable, &[1005]),
    (DbAccessDenied, &[1044]),
    (AccessDenied, &[1045]),
    (ColumnCannotBeNull, &[1048]),
    (TableExists, &[1050]),
    (BadTable, &[1051]),
    (BadField, &[1054]),
    (DuplicateColumn, &[1060]),
    (DuplicateKeyName, &[1061]),
    (DuplicateEntry, &[1062]),
    (Syntax, &[1064]),
    (TooManyKeys, &[1069]),
    (KeyTooLong, &[1071]),
    (KeyColumnDoesNotExist, &[1072]),
    (CantDropFieldOrKey, &[1091]),
    (RowTooLarge, &[1118]),
    (NullColumnInIndex, &[1121]),
    (InvalidUseOfNull, &[1138]),
    (TableAccessDenied, &[1142]),
    (NoSuchTable, &[1146]),
    (BlobKeyWithoutLength, &[1170]),
    (KeyDoesNotExist, &[1176]),
    (LockWaitTimeout, &[1205]),
    (Deadlock, &[1213]),
    (SpecificAccessDenied, &[1227]),
    (OutOfRange, &[1264]),
    (DataTruncated, &[1265]),
    (TruncatedWrongValue, &[1292]),
    (NoDefaultForField, &[1364]),
    (IncorrectStringValue, &[1366]),
    (DataTooLong, &[1406]),
    (NoReferencedRow, &[1452, 1216]),
    (IndexColumnTooLong, &[1709]),
    (UnknownAlterAlgorithm, &[1800]),
    (DuplicateForeignKeyName, &[1826]),
    (FkColumnCannotChange, &[1832]),
    (FkColumnCannotChangeChild, &[1833]),
    (AlterOperationNotSupported, &[1845]),
    (AlterOperationNotSupportedReason, &[1846]),
    (InvalidJsonText, &[3140]),
    (ConstraintFailed, &[4025]),
];

impl ServerError {
    /// The error a server's number means, when the tool knows it.
    pub fn from_number(n: u16) -> Option<ServerError> {
        NUMBERS
            .iter()
            .find(|(_, ns)| ns.contains(&n))
            .map(|&(e, _)| e)
    }

    /// The number shown for it (MariaDB's where the servers differ).
    pub fn number(self) -> u16 {
        NUMBERS
            .iter()
            .find(|(e, _)| *e == self)
            .map(|(_, ns)| ns[0])
            .unwrap_or(0)
    }

    /// Whether the account lacks a right (rather than the statement being wrong).
    pub fn is_privilege(self) -> bool {
        matches!(
            self,
            DbAccessDenied | AccessDenied | TableAccessDenied | SpecificAccessDenied
        )
    }

    /// Whether the server refused the ALGORITHM/LOCK clause rather than the change itself.
    pub fn is_algorithm_refusal(self) -> bool {
        matches!(
            self,
            AlterOperationNotSupported | AlterOperationNotSupportedReason | UnknownAlterAlgorithm
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_one_row_and_numbers_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (e, ns) in NUMBERS {
            assert!(!ns.is_empty(), "{e:?}");
            assert_eq!(ServerError::from_number(ns[0]), Some(*e));
            assert_eq!(e.number(), ns[0]);
            for n in *ns {
                assert!(seen.insert(*n), "{n} listed twice");
            }
        }
        assert_eq!(ServerError::from_number(4025), Some(ConstraintFailed));
        assert_eq!(ServerError::from_number(9999), None);
    }
}
