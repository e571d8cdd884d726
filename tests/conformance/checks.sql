-- Conformance cases: checks. Format and checks: tests/conformance.rs.
-- case: add_table_check: a named table CHECK is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_check chk_a: CHECK (a > 0) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD CHECK `chk_a`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD CONSTRAINT `chk_a` CHECK (a > 0);

-- case: drop_table_check: an extra table CHECK is dropped
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_check chk_a: CHECK (`a` > 0) is not in the reference
--     ALTER TABLE `t` DROP CONSTRAINT `chk_a`;

-- case: change_check: a CHECK's clause changes
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a > 1), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: check_differs chk_a: is CHECK (`a` > 0), should be CHECK (a > 1)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP CHECK `chk_a`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP CONSTRAINT `chk_a`,
  ADD CONSTRAINT `chk_a` CHECK (a > 1);

-- case: unnamed_check_same: an unnamed CHECK (MariaDB names it CONSTRAINT_1) equal on both sides
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: unnamed_check_add: an unnamed CHECK is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_check CONSTRAINT_1: CHECK (a > 0) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD CHECK `CONSTRAINT_1`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD CONSTRAINT `CONSTRAINT_1` CHECK (a > 0);

-- case: unnamed_vs_named: an unnamed CHECK matches a named one with the same clause
-- oracle: skip (a check the server named is matched by its clause, so the live name chk_a stays)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CHECK (a > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: two_unnamed: two unnamed CHECKs, one changes
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, CHECK (a > 0), CHECK (b > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, CHECK (a > 0), CHECK (b > 5), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: check_differs CONSTRAINT_2: is CHECK (`b` > 0), should be CHECK (b > 5)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP CHECK `CONSTRAINT_2`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP CONSTRAINT `CONSTRAINT_2`,
  ADD CONSTRAINT `CONSTRAINT_2` CHECK (b > 5);

-- case: clause_spelling: quoting, case and spacing of a clause do not matter
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (`a` > 0 AND `a` < 10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a>0 and a<10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: column_check_same: a column-level CHECK equal on both sides
-- current
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: column_check_add: a column-level CHECK is added to a column
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: check none → a >= 0
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL CHECK (a >= 0);

-- case: column_check_change: a column-level CHECK's clause changes
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 5), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: check `a` >= 0 → a >= 5
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL CHECK (a >= 5);

-- case: column_check_drop: a column-level CHECK goes
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: check `a` >= 0 → none
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `a` int NULL DEFAULT NULL;

-- case: column_vs_table_check: a column-level CHECK in the file, the same as a table CHECK named after the column on the server
-- offline: skip the server's own text of a CHECK expression (identifiers quoted) is what the live side holds
-- current
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT a CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a >= 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: check none → a >= 0
-- t: extra_check a: CHECK (`a` >= 0) is not in the reference
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP CHECK `a`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP CONSTRAINT `a`,
  MODIFY COLUMN `a` int NULL DEFAULT NULL CHECK (a >= 0);

-- case: check_in_list: a CHECK with an IN list of strings
-- current
CREATE TABLE t (id INT NOT NULL, s VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, s VARCHAR(10), CONSTRAINT chk_s CHECK (s IN ('new', 'done')), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_check chk_s: CHECK (s IN('new', 'done')) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD CHECK `chk_s`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD CONSTRAINT `chk_s` CHECK (s IN('new', 'done'));

-- case: check_between: a CHECK with BETWEEN
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, CONSTRAINT chk_a CHECK (a BETWEEN 1 AND 10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_check chk_a: CHECK (a BETWEEN 1 AND 10) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD CHECK `chk_a`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD CONSTRAINT `chk_a` CHECK (a BETWEEN 1 AND 10);

-- case: check_new_column: a new column with a column-level CHECK
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a <> 3), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a int is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `a` int NULL DEFAULT NULL CHECK (a <> 3);

-- case: check_new_table: a new table with CHECKs
-- current
-- desired
CREATE TABLE t (id INT NOT NULL, a INT CHECK (a > 0), b INT, CONSTRAINT chk_b CHECK (b < a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_table: table does not exist
CREATE TABLE `t` (
  `id` int NOT NULL,
  `a` int NULL DEFAULT NULL CHECK (a > 0),
  `b` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `chk_b` CHECK (b < a)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: json_check_is_type: MariaDB's json_valid check is the JSON type, not a CHECK
-- oracle: skip (MariaDB's JSON is compared as a type; the utf8mb4_bin collation it implies is not compared (a LONGTEXT with a json_valid check in another collation is taken as JSON))
-- current
CREATE TABLE t (id INT NOT NULL, j LONGTEXT CHECK (json_valid(j)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, j JSON, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: check_with_column_drop: a column and its column-level CHECK go
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT CHECK (b > 0), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_column b: column b int is not in the reference
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  DROP COLUMN `b`;

-- case: check_functions: a CHECK calling functions
-- current
CREATE TABLE t (id INT NOT NULL, s VARCHAR(10), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, s VARCHAR(10), CONSTRAINT chk_len CHECK (char_length(s) > 2), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_check chk_len: CHECK (char_length(s) > 2) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD CHECK `chk_len`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD CONSTRAINT `chk_len` CHECK (char_length(s) > 2);
