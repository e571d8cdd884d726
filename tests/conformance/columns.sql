-- Conformance cases: columns. Format and checks: tests/conformance.rs.
-- case: add_int: a nullable INT column is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `b` int NULL DEFAULT NULL;

-- case: add_not_null_default: a NOT NULL column with a default
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT 5, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a int is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` int NOT NULL DEFAULT 5;

-- case: add_varchar_default: a VARCHAR with a string default
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50) NOT NULL DEFAULT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a varchar(50) is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT 'x';

-- case: add_text: a TEXT column
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a text is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` text CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL;

-- case: add_json_nullable: a nullable JSON column (MariaDB: LONGTEXT + json_valid check)
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a JSON DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a json is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` json NULL;

-- case: add_json_not_null: a NOT NULL JSON column on an existing table
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a JSON NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a json is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` json NOT NULL DEFAULT '[]';
-- t: a: its temporary default '[]' filled the existing rows; the release declares none
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ALTER COLUMN `a` DROP DEFAULT;

-- case: add_several: three columns at once
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, c VARCHAR(10), d DATE, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: missing_column c: column c varchar(10) is missing
-- t: missing_column d: column d date is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `b` int NULL DEFAULT NULL,
  ADD COLUMN `c` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL,
  ADD COLUMN `d` date NULL DEFAULT NULL;

-- case: drop_column_held: an extra column is held back without allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_column b: column b int is not in the reference
--     ALTER TABLE `t` DROP COLUMN `b`;

-- case: drop_column: an extra column is dropped with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_column b: column b int is not in the reference
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`;

-- case: drop_two_columns: two extra columns dropped
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, c TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_column b: column b int is not in the reference
-- t: extra_column c: column c text is not in the reference
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`,
  DROP COLUMN `c`;

-- case: rename_is_drop_add: a renamed column is a new column plus an extra one (held back)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `b` int NULL DEFAULT NULL;

-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_column a: column a int is not in the reference
--     ALTER TABLE `t` DROP COLUMN `a`;

-- case: rename_is_drop_add_destructive: a renamed column with allow-destructive: add and drop
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: extra_column a: column a int is not in the reference
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `a`,
  ADD COLUMN `b` int NULL DEFAULT NULL;

-- case: name_case_only: column names differ only in case: same column
-- oracle: skip (column names compare case-insensitively, as the server resolves them; a case-only rename is not made)
-- current
CREATE TABLE t (id INT NOT NULL, Abc INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, abc INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: int_to_bigint: widening INT to BIGINT
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIGINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int → bigint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` bigint NULL DEFAULT NULL;

-- case: bigint_to_int_held: narrowing BIGINT to INT is held back
-- current
CREATE TABLE t (id INT NOT NULL, a BIGINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs a: type bigint → int
--     ALTER TABLE `t` MODIFY COLUMN `a` int NULL DEFAULT NULL;

-- case: bigint_to_int: narrowing BIGINT to INT with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a BIGINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type bigint → int
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type bigint → int
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL;

-- case: signed_to_unsigned_held: INT to INT UNSIGNED loses negatives: held back
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs a: type int → int unsigned
--     ALTER TABLE `t` MODIFY COLUMN `a` int unsigned NULL DEFAULT NULL;

-- case: unsigned_to_bigint: INT UNSIGNED fits in BIGINT
-- current
CREATE TABLE t (id INT NOT NULL, a INT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIGINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int unsigned → bigint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int unsigned → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` bigint NULL DEFAULT NULL;

-- case: tinyint_to_smallint: TINYINT to SMALLINT
-- current
CREATE TABLE t (id INT NOT NULL, a TINYINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a SMALLINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type tinyint → smallint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type tinyint → smallint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` smallint NULL DEFAULT NULL;

-- case: mediumint_unsigned: SMALLINT UNSIGNED to MEDIUMINT UNSIGNED
-- current
CREATE TABLE t (id INT NOT NULL, a SMALLINT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a MEDIUMINT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type smallint unsigned → mediumint unsigned
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type smallint unsigned → mediumint unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` mediumint unsigned NULL DEFAULT NULL;

-- case: display_width_only: INT(11) and INT are the same type
-- current
CREATE TABLE t (id INT NOT NULL, a INT(11), b BIGINT(20) UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b BIGINT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: aliases: INTEGER, BOOLEAN, NUMERIC, DOUBLE PRECISION aliases
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b TINYINT(1), c DECIMAL(10,2), d DOUBLE, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INTEGER, b BOOLEAN, c NUMERIC(10,2), d DOUBLE PRECISION, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: tinyint1_to_tinyint4: TINYINT(1) (boolean marker) to TINYINT(4)
-- current
CREATE TABLE t (id INT NOT NULL, a TINYINT(1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TINYINT(4), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type tinyint(1) → tinyint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type tinyint(1) → tinyint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` tinyint NULL DEFAULT NULL;

-- case: varchar_widen: VARCHAR(50) to VARCHAR(191)
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type varchar(50) → varchar(191)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: VARCHAR length crosses 255 bytes or shrinks
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: varchar_narrow_held: VARCHAR(191) to VARCHAR(50) is held back
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs a: type varchar(191) → varchar(50)
--     ALTER TABLE `t` MODIFY COLUMN `a` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: varchar_narrow: VARCHAR(191) to VARCHAR(50) with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type varchar(191) → varchar(50)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: VARCHAR length crosses 255 bytes or shrinks
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: varchar_to_text: VARCHAR to TEXT
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(255), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type varchar(255) → text
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type varchar(255) → text
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` text CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL;

-- case: text_to_longtext: TEXT to LONGTEXT
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a LONGTEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type text → longtext
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type text → longtext
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL;

-- case: longtext_to_varchar: LONGTEXT to VARCHAR is narrowing
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a LONGTEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(255), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type longtext → varchar(255)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type longtext → varchar(255)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: char_to_varchar: CHAR(10) to VARCHAR(10)
-- current
CREATE TABLE t (id INT NOT NULL, a CHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type char(10) → varchar(10)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type char(10) → varchar(10)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: char_default_length: CHAR and CHAR(1) are the same
-- current
CREATE TABLE t (id INT NOT NULL, a CHAR(1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a CHAR, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: decimal_widen: DECIMAL(10,2) to DECIMAL(12,2)
-- current
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,2), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DECIMAL(12,2), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type decimal(10,2) → decimal(12,2)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type decimal(10,2) → decimal(12,2)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` decimal(12,2) NULL DEFAULT NULL;

-- case: decimal_scale_narrow: DECIMAL(10,4) to DECIMAL(10,2) loses digits
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,4), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,2), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type decimal(10,4) → decimal(10,2)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type decimal(10,4) → decimal(10,2)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` decimal(10,2) NULL DEFAULT NULL;

-- case: decimal_default_precision: DECIMAL and DECIMAL(10,0) are the same
-- current
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DECIMAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: float_to_double: FLOAT to DOUBLE
-- current
CREATE TABLE t (id INT NOT NULL, a FLOAT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DOUBLE, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type float → double
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type float → double
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` double NULL DEFAULT NULL;

-- case: enum_add_member: an ENUM gains a member
-- current
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y','z'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type enum('x','y') → enum('x','y','z')
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` enum('x','y','z') CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: enum_remove_member: an ENUM loses a member
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y','z'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type enum('x','y','z') → enum('x','y')
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type enum('x','y','z') → enum('x','y')
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` enum('x','y') CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: enum_quote_member: ENUM members with quotes
-- current
CREATE TABLE t (id INT NOT NULL, a ENUM('it''s','b'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a ENUM('it''s','b','c''d'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type enum('it''s','b') → enum('it''s','b','c''d')
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` enum('it''s','b','c''d') CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: set_add_member: a SET gains a member
-- current
CREATE TABLE t (id INT NOT NULL, a SET('r','w'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a SET('r','w','x'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type set('r','w') → set('r','w','x')
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` set('r','w','x') CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: datetime_fsp: DATETIME to DATETIME(6)
-- current
CREATE TABLE t (id INT NOT NULL, a DATETIME, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DATETIME(6), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type datetime → datetime(6)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type datetime → datetime(6)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` datetime(6) NULL DEFAULT NULL;

-- case: date_to_datetime: DATE to DATETIME
-- current
CREATE TABLE t (id INT NOT NULL, a DATE, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DATETIME, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type date → datetime
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type date → datetime
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` datetime NULL DEFAULT NULL;

-- case: time_fsp: TIME(3) to TIME(6)
-- current
CREATE TABLE t (id INT NOT NULL, a TIME(3), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TIME(6), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type time(3) → time(6)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type time(3) → time(6)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` time(6) NULL DEFAULT NULL;

-- case: year_column: a YEAR column is added
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a YEAR, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a year is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` year NULL DEFAULT NULL;

-- case: bit_widen: BIT(1) to BIT(8)
-- current
CREATE TABLE t (id INT NOT NULL, a BIT(1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIT(8), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs a: type bit(1) → bit(8)
--     ALTER TABLE `t` MODIFY COLUMN `a` bit(8) NULL DEFAULT NULL;

-- case: varbinary_widen: VARBINARY(16) to VARBINARY(32)
-- current
CREATE TABLE t (id INT NOT NULL, a VARBINARY(16), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARBINARY(32), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type varbinary(16) → varbinary(32)
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varbinary(32) NULL DEFAULT NULL;

-- case: blob_to_mediumblob: BLOB to MEDIUMBLOB
-- current
CREATE TABLE t (id INT NOT NULL, a BLOB, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a MEDIUMBLOB, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type blob → mediumblob
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type blob → mediumblob
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` mediumblob NULL;

-- case: int_to_varchar: INT to VARCHAR is a type change that may lose data
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int → varchar(20); collation none → utf8mb4_unicode_ci
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int → varchar(20)
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: zerofill: INT UNSIGNED ZEROFILL
-- current
CREATE TABLE t (id INT NOT NULL, a INT UNSIGNED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT UNSIGNED ZEROFILL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int unsigned → int unsigned zerofill
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int unsigned → int unsigned zerofill
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` int unsigned zerofill NULL DEFAULT NULL;

-- case: null_to_not_null: a nullable column becomes NOT NULL
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: NULL → NOT NULL (fails if NULL values exist)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of MODIFY `a`: NULL/NOT NULL
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` int NOT NULL;

-- case: not_null_to_null: a NOT NULL column becomes nullable
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: NOT NULL → NULL
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of MODIFY `a`: NULL/NOT NULL
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL;

-- case: not_null_with_default: nullable to NOT NULL DEFAULT 0
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT 0, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: NULL → NOT NULL (fails if NULL values exist); default none → '0'
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of MODIFY `a`: NULL/NOT NULL
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` int NOT NULL DEFAULT 0;

-- case: default_add: a default is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT 7, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → '7'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NOT NULL DEFAULT 7;

-- case: default_drop: a default is removed
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT 7, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default '7' → none
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NOT NULL;

-- case: default_change_string: a string default changes
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) DEFAULT 'a', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) DEFAULT 'b', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default 'a' → 'b'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT 'b';

-- case: default_quoted_number: '0' and 0 are the same default
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT '0', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL DEFAULT 0, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: default_decimal_format: '0.00' and 0 are the same DECIMAL default
-- current
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,2) NOT NULL DEFAULT '0.00', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DECIMAL(10,2) NOT NULL DEFAULT 0, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: default_null_explicit: DEFAULT NULL on a nullable column is no default
-- current
CREATE TABLE t (id INT NOT NULL, a INT DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: default_current_timestamp: a DATETIME gets DEFAULT CURRENT_TIMESTAMP
-- current
CREATE TABLE t (id INT NOT NULL, a DATETIME, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DATETIME DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → CURRENT_TIMESTAMP
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` datetime NULL DEFAULT CURRENT_TIMESTAMP;

-- case: default_now_alias: now() and CURRENT_TIMESTAMP are the same
-- current
CREATE TABLE t (id INT NOT NULL, a TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TIMESTAMP NOT NULL DEFAULT now(), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: default_quote: a default with a quote
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) DEFAULT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) DEFAULT 'it''s', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default 'x' → 'it's'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT 'it''s';

-- case: default_backslash: a default with a backslash
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) DEFAULT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) DEFAULT 'a\\b', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default 'x' → 'a\b'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT 'a\\b';

-- case: default_empty_string: an empty-string default
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) NOT NULL DEFAULT '', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → ''
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '';

-- case: default_negative: a negative default
-- current
CREATE TABLE t (id INT NOT NULL, a INT DEFAULT 1, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT DEFAULT -1, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default '1' → '-1'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT -1;

-- case: default_on_text: MariaDB allows a default on TEXT
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT DEFAULT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → 'x'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` text CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT 'x';

-- case: default_bit: a BIT default b'1'
-- current
CREATE TABLE t (id INT NOT NULL, a BIT(1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIT(1) DEFAULT b'1', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → b'1'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` bit(1) NULL DEFAULT b'1';

-- case: default_expression: an expression default
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT DEFAULT (1 + 1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: default none → (1 + 1)
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT (1 + 1);

-- case: on_update_add: ON UPDATE CURRENT_TIMESTAMP is added
-- current
CREATE TABLE t (id INT NOT NULL, a TIMESTAMP NULL DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: on update none → CURRENT_TIMESTAMP
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: ON UPDATE
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` timestamp NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP;

-- case: on_update_remove: ON UPDATE CURRENT_TIMESTAMP is removed
-- current
CREATE TABLE t (id INT NOT NULL, a DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DATETIME DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: on update CURRENT_TIMESTAMP → none
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: ON UPDATE
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` datetime NULL DEFAULT CURRENT_TIMESTAMP;

-- case: datetime6_default: DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)
-- current
CREATE TABLE t (id INT NOT NULL, a DATETIME(6), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: NULL → NOT NULL (fails if NULL values exist); default none → CURRENT_TIMESTAMP(6)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of MODIFY `a`: NULL/NOT NULL
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

-- case: comment_add: a column comment is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'the a', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: comment '' → 'the a'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL COMMENT 'the a';

-- case: comment_change: a column comment changes
-- current
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'old', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'new', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: comment 'old' → 'new'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL COMMENT 'new';

-- case: comment_remove: a column comment is removed
-- current
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'old', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: comment 'old' → ''
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL;

-- case: comment_quote: a column comment with quotes and a backslash
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'it''s a\\b', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: comment '' → 'it's a\b'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL COMMENT 'it''s a\\b';

-- case: comment_and_type: comment and type change together
-- current
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIGINT COMMENT 'y', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int → bigint; comment 'x' → 'y'
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` bigint NULL DEFAULT NULL COMMENT 'y';

-- case: comment_unicode: a column comment in non-ASCII text
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT COMMENT 'Größe – 大小', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: comment '' → 'Größe – 大小'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL COMMENT 'Größe – 大小';

-- case: ai_add: AUTO_INCREMENT is added to the primary key column
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: auto_increment false → true
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: AUTO_INCREMENT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `id` int NOT NULL AUTO_INCREMENT;

-- case: ai_remove: AUTO_INCREMENT is removed
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: auto_increment true → false
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: AUTO_INCREMENT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `id` int NOT NULL;

-- case: ai_widen: an AUTO_INCREMENT column widens to BIGINT UNSIGNED
-- current
CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: type int unsigned → bigint unsigned
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int unsigned → bigint unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `id` bigint unsigned NOT NULL AUTO_INCREMENT;

-- case: ai_table_option: AUTO_INCREMENT=100 table option is not part of the schema
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci AUTO_INCREMENT=100;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: gen_virtual_add: a VIRTUAL generated column is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `b` int GENERATED ALWAYS AS (a * 2) VIRTUAL;

-- case: gen_stored_add: a STORED generated column is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT GENERATED ALWAYS AS (a + 1) STORED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b int is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD `b`: stored generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD COLUMN `b` int GENERATED ALWAYS AS (a + 1) STORED;

-- case: gen_virtual_expr: a VIRTUAL column's expression changes
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 3) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → a * 3
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `b`: generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `b` int GENERATED ALWAYS AS (a * 3) VIRTUAL;

-- case: gen_stored_expr: a STORED column's expression changes
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) STORED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 3) STORED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → a * 3
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `b`: generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `b` int GENERATED ALWAYS AS (a * 3) STORED;

-- case: gen_virtual_to_stored: VIRTUAL becomes STORED
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) STORED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → a * 2; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD `b`: stored generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP COLUMN `b`,
  ADD COLUMN `b` int GENERATED ALWAYS AS (a * 2) STORED;

-- case: gen_stored_to_virtual: STORED becomes VIRTUAL
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) STORED, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → a * 2; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`,
  ADD COLUMN `b` int GENERATED ALWAYS AS (a * 2) VIRTUAL;

-- case: gen_to_plain: a generated column becomes an ordinary column
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs b: generated `a` * 2 → no; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
--     ALTER TABLE `t` DROP COLUMN `b`, ADD COLUMN `b` int NULL DEFAULT NULL;

-- case: plain_to_gen: an ordinary column becomes generated
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs b: generated no → a * 2; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
--     ALTER TABLE `t` DROP COLUMN `b`, ADD COLUMN `b` int GENERATED ALWAYS AS (a * 2) VIRTUAL;

-- case: gen_type_change: a generated column's type changes
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b BIGINT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: type int → bigint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `b`: generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `b` bigint GENERATED ALWAYS AS (a * 2) VIRTUAL;

-- case: gen_drop: a generated column is dropped
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_column b: column b int is not in the reference
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`;

-- case: gen_expr_spelling: quoting and case of a generation expression do not matter
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), b VARCHAR(50) AS (LOWER(`a`)) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), b VARCHAR(50) AS (lower(a)) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: gen_string_expr: a generated column with string functions
-- current
CREATE TABLE t (id INT NOT NULL, email VARCHAR(191), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, email VARCHAR(191), domain VARCHAR(191) AS (SUBSTRING(email, LOCATE('@', email) + 1)) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column domain: column domain varchar(191) is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `domain` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci GENERATED ALWAYS AS (SUBSTRING(email, LOCATE('@', email) + 1)) VIRTUAL;

-- case: gen_indexed_expr: an indexed VIRTUAL column's expression changes
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 4) VIRTUAL, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → a * 4
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `b`: generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `b` int GENERATED ALWAYS AS (a * 4) VIRTUAL;

-- case: multi_change: type, null, default and comment change on one column
-- current
CREATE TABLE t (id INT NOT NULL, a INT DEFAULT 1 COMMENT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIGINT NOT NULL DEFAULT 2 COMMENT 'y', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int → bigint; NULL → NOT NULL (fails if NULL values exist); default '1' → '2'; comment 'x' → 'y'
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` bigint NOT NULL DEFAULT 2 COMMENT 'y';

-- case: reserved_names: columns named after keywords
-- current
CREATE TABLE t (id INT NOT NULL, `key` INT, `order` INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, `key` BIGINT, `order` INT, `select` VARCHAR(5), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs key: type int → bigint
-- t: missing_column select: column select varchar(5) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `key`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `key` bigint NULL DEFAULT NULL,
  ADD COLUMN `select` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: gen_to_plain_destructive: a generated column becomes ordinary with allow-destructive (dropped and added: its values are not kept)
-- offline: skip the server's own text of a generation expression (identifiers quoted) is what the live side holds
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) VIRTUAL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated `a` * 2 → no; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`,
  ADD COLUMN `b` int NULL DEFAULT NULL;

-- case: plain_to_gen_destructive: an ordinary column becomes generated with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT AS (a * 2) STORED, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs b: generated no → a * 2; the server cannot MODIFY a column into or out of generated, or between VIRTUAL and STORED: it is dropped and added again
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD `b`: stored generated column
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP COLUMN `b`,
  ADD COLUMN `b` int GENERATED ALWAYS AS (a * 2) STORED;
