-- Conformance cases: indexes. Format and checks: tests/conformance.rs.
-- case: add_index: an index is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index ia: index (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD KEY `ia` (`a`);

-- case: drop_index: an extra plain index is dropped (no data lost)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index ia: index (a) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`;

-- case: add_unique: a unique key is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, UNIQUE KEY ua (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index ua: unique (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `ua`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD UNIQUE KEY `ua` (`a`);

-- case: drop_unique_held: dropping a unique key gives up a guarantee: held back
-- current
CREATE TABLE t (id INT NOT NULL, a INT, UNIQUE KEY ua (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_index ua: unique (a) is not in the reference
--     ALTER TABLE `t` DROP INDEX `ua`;

-- case: drop_unique: dropping a unique key with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, UNIQUE KEY ua (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index ua: unique (a) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ua`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ua`;

-- case: column_order: an index's column order changes
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY iab (a, b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY iab (b, a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs iab: is index (a, b), should be index (b, a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `iab`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `iab`,
  ADD KEY `iab` (`b`,`a`);

-- case: add_column_to_index: an index gains a column
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY ia (a, b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a), should be index (a, b)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`,`b`);

-- case: prefix_add: an index gets a prefix length
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a(20)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a), should be index (a(20))
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`(20));

-- case: prefix_change: an index's prefix length changes
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a(10)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a(20)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a(10)), should be index (a(20))
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`(20));

-- case: prefix_remove: an index loses its prefix
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a(10)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a(10)), should be index (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`);

-- case: prefix_multi: a two-column index with prefixes
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), b VARCHAR(191), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(191), b VARCHAR(191), KEY iab (a(10), b(5)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index iab: index (a(10), b(5)) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `iab`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD KEY `iab` (`a`(10),`b`(5));

-- case: prefix_text: an index on a TEXT column needs a prefix
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, KEY ia (a(32)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index ia: index (a(32)) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD KEY `ia` (`a`(32));

-- case: rename: an index with a new name and the same definition is renamed
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY old_name (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY new_name (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_renamed new_name: exists as old_name with the same definition
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  RENAME INDEX `old_name` TO `new_name`;

-- case: name_case: index names differ only in case
-- oracle: skip (index names compare case-insensitively, as the server resolves them; a case-only rename is not made)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY IA (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: swap_names: two indexes swap names
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY i1 (a), KEY i2 (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY i1 (b), KEY i2 (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs i1: is index (a), should be index (b)
-- t: index_differs i2: is index (b), should be index (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `i1`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `i1`,
  ADD KEY `i1` (`b`),
  DROP INDEX `i2`,
  ADD KEY `i2` (`a`);

-- case: plain_to_unique: a plain index becomes unique
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, UNIQUE KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a), should be unique (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD UNIQUE KEY `ia` (`a`);

-- case: unique_to_plain: a unique index becomes plain
-- current
CREATE TABLE t (id INT NOT NULL, a INT, UNIQUE KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is unique (a), should be index (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`);

-- case: fulltext_add: a FULLTEXT index is added
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, FULLTEXT KEY fa (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index fa: fulltext (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=SHARED: writes blocked while it runs
--   because of ADD FULLTEXT `fa`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD FULLTEXT KEY `fa` (`a`);

-- case: fulltext_drop: a FULLTEXT index is dropped
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, FULLTEXT KEY fa (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index fa: fulltext (a) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `fa`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `fa`;

-- case: fulltext_columns: a FULLTEXT index gains a column
-- current
CREATE TABLE t (id INT NOT NULL, a TEXT, b TEXT, FULLTEXT KEY fa (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a TEXT, b TEXT, FULLTEXT KEY fa (a, b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs fa: is fulltext (a), should be fulltext (a, b)
-- t: ALGORITHM=INPLACE, LOCK=SHARED: writes blocked while it runs
--   because of ADD FULLTEXT `fa`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `fa`,
  ADD FULLTEXT KEY `fa` (`a`,`b`);

-- case: fulltext_new_table: a new table with a FULLTEXT index
-- current
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(100), FULLTEXT KEY fa (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_table: table does not exist
CREATE TABLE `t` (
  `id` int NOT NULL,
  `a` varchar(100) NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `fa` (`a`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: spatial_add: a SPATIAL index on a NOT NULL geometry column
-- current
CREATE TABLE t (id INT NOT NULL, g POINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, g POINT NOT NULL, SPATIAL KEY sg (g), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index sg: spatial (g) is missing
-- t: ALGORITHM=INPLACE, LOCK=SHARED: writes blocked while it runs
--   because of ADD SPATIAL `sg`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD SPATIAL KEY `sg` (`g`);

-- case: spatial_with_column: a geometry column and its SPATIAL index are added
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, g GEOMETRY NOT NULL, SPATIAL KEY sg (g), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column g: column g geometry is missing
-- t: missing_index sg: spatial (g) is missing
-- t: ALGORITHM=INPLACE, LOCK=SHARED: writes blocked while it runs
--   because of a column added or dropped beside ADD SPATIAL `sg`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD COLUMN `g` geometry NOT NULL,
  ADD SPATIAL KEY `sg` (`g`);

-- case: spatial_drop: a SPATIAL index is dropped
-- current
CREATE TABLE t (id INT NOT NULL, g POINT NOT NULL, SPATIAL KEY sg (g), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, g POINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index sg: spatial (g) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `sg`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `sg`;

-- case: desc_part: a descending index part
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a DESC), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: is index (a), should be index (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a` DESC);

-- case: unnamed_index: an unnamed index is named after its first column
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index a: index (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `a`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD KEY `a` (`a`);

-- case: index_syntax: INDEX and KEY, USING BTREE are the same
-- oracle: skip (the index algorithm (USING BTREE/HASH) is not compared)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, INDEX ia USING BTREE (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: index_on_new_column: an index on a column added in the same statement
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column a: column a int is missing
-- t: missing_index ia: index (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of a column added or dropped beside ADD INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD COLUMN `a` int NULL DEFAULT NULL,
  ADD KEY `ia` (`a`);

-- case: index_on_dropped_column: the column and its index go
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_column b: column b int is not in the reference
-- t: extra_index ib: index (b) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ib`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ib`,
  DROP COLUMN `b`;

-- case: index_with_type_change: an indexed column widens
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(50), KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(100), KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type varchar(50) → varchar(100)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: VARCHAR length crosses 255 bytes or shrinks
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: index_comment: an index comment is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a) COMMENT 'lookup', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs ia: comment '' → 'lookup'
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `ia`,
  ADD KEY `ia` (`a`) COMMENT 'lookup';

-- case: duplicate_definition: two indexes with the same columns; one goes
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY i1 (a), KEY i2 (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY i1 (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index i2: index (a) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `i2`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `i2`;

-- case: create_index_statement: CREATE INDEX after CREATE TABLE in the desired file
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ia ON t (a);
-- expected
-- t: missing_index ia: index (a) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `ia`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD KEY `ia` (`a`);

-- case: unique_multi: a two-column unique key
-- current
CREATE TABLE t (id INT NOT NULL, a INT, b INT, UNIQUE KEY uab (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, b INT, UNIQUE KEY uab (a, b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs uab: is unique (a), should be unique (a, b)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of DROP INDEX `uab`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `uab`,
  ADD UNIQUE KEY `uab` (`a`,`b`);
