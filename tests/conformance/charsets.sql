-- Conformance cases: charsets. Format and checks: tests/conformance.rs.
-- case: table_without_charset: a desired table without charset or collation inherits the live table's
-- offline: skip a table without a charset takes the live database's, which only a server says
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id));
-- expected

-- case: table_without_charset_latin1: the same for a latin1 live table
-- offline: skip a table without a charset takes the live database's, which only a server says
-- oracle: skip (the desired table names no charset, so it inherits the live table's (the oracle database's default differs))
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=latin1;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB;
-- expected

-- case: new_table_without_charset: a new table without charset gets what the live tables have
-- offline: skip a table without a charset takes the live database's, which only a server says
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE u (id INT NOT NULL, b VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB;
-- expected
-- u: missing_table: table does not exist
CREATE TABLE `u` (
  `id` int NOT NULL,
  `b` varchar(10) NULL DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: column_collation_change: a column's collation changes
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) COLLATE utf8mb4_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → utf8mb4_bin
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL DEFAULT NULL;

-- case: column_collation_back: an explicit column collation goes back to the table's
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) COLLATE utf8mb4_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_bin → utf8mb4_unicode_ci
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: column_explicit_same: a column collation written out equal to the table's is no difference
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: column_charset_only: CHARACTER SET latin1 means latin1_swedish_ci
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET latin1, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: column_differs a: collation utf8mb4_unicode_ci → latin1_swedish_ci
--     ALTER TABLE `t` MODIFY COLUMN `a` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL DEFAULT NULL;

-- case: column_to_latin1: utf8mb4 to latin1 can lose characters
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET latin1, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → latin1_swedish_ci
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: character set or collation
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL DEFAULT NULL;

-- case: column_latin1_to_utf8mb4: latin1 to utf8mb4 widens
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET latin1, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation latin1_swedish_ci → utf8mb4_unicode_ci
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: character set or collation
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: utf8_alias: utf8 and utf8mb3 are the same
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET utf8 COLLATE utf8_unicode_ci, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: binary_attribute: VARCHAR(10) BINARY is the charset's _bin collation
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) BINARY, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → utf8mb4_bin
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL DEFAULT NULL;

-- case: enum_collation: an ENUM's collation changes
-- current
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y'), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a ENUM('x','y') COLLATE utf8mb4_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → utf8mb4_bin
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: character set or collation
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` enum('x','y') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL DEFAULT NULL;

-- case: text_collation: a TEXT column's collation changes
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT COLLATE utf8mb4_general_ci, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → utf8mb4_general_ci
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` text CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL;

-- case: table_collation_change: the table default collation changes; columns that inherit it follow
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
-- expected
-- t: column_differs a: collation utf8mb4_unicode_ci → utf8mb4_general_ci
-- t: table_options_differ: default collation utf8mb4_unicode_ci → utf8mb4_general_ci
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL DEFAULT NULL,
  DEFAULT CHARACTER SET utf8mb4,
  COLLATE utf8mb4_general_ci;

-- case: table_charset_utf8mb3_to_4: a utf8mb3 table converted to utf8mb4
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), b TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), b TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: collation utf8mb3_unicode_ci → utf8mb4_unicode_ci
-- t: column_differs b: collation utf8mb3_unicode_ci → utf8mb4_unicode_ci
-- t: table_options_differ: default collation utf8mb3_unicode_ci → utf8mb4_unicode_ci
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL,
  MODIFY COLUMN `b` text CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,
  DEFAULT CHARACTER SET utf8mb4,
  COLLATE utf8mb4_unicode_ci;

-- case: table_charset_only: DEFAULT CHARSET=latin1 without COLLATE means latin1_swedish_ci
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=latin1;
-- expected

-- case: table_collation_keeps_explicit_column: a column with its own collation keeps it when the table's changes
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) COLLATE utf8mb4_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) COLLATE utf8mb4_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
-- expected
-- t: table_options_differ: default collation utf8mb4_unicode_ci → utf8mb4_general_ci
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DEFAULT CHARACTER SET utf8mb4,
  COLLATE utf8mb4_general_ci;

-- case: non_text_collation: a collation on a non-text column means nothing
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: add_column_other_charset: a new column in another charset
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a varchar(10) is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` varchar(10) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL;
