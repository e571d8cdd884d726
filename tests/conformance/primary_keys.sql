-- Conformance cases: primary keys. Format and checks: tests/conformance.rs.
-- case: add_pk: a table without primary key gets one
-- current
CREATE TABLE t (id INT NOT NULL, a INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index PRIMARY: primary key (id) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD PRIMARY KEY
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD PRIMARY KEY (`id`);

-- case: drop_pk_held: dropping a primary key is held back
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_index PRIMARY: primary key (id) is not in the reference
--     ALTER TABLE `t` DROP PRIMARY KEY;

-- case: drop_pk: dropping a primary key with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: extra_index PRIMARY: primary key (id) is not in the reference
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP PRIMARY KEY without a new one
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY;

-- case: pk_add_column: the primary key gains a column
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id, a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id), should be primary key (id, a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`id`,`a`);

-- case: pk_order: the primary key's column order changes
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id, a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (a, id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id, a), should be primary key (a, id)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`a`,`id`);

-- case: pk_other_column: the primary key moves to another column
-- current
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, PRIMARY KEY (a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id), should be primary key (a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`a`);

-- case: ai_pk_add_column: PK (id) to (id, a) where id is AUTO_INCREMENT
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id, a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id), should be primary key (id, a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`id`,`a`);

-- case: ai_pk_second_column: PK (id) to (a, id) with id AUTO_INCREMENT and a key on id
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, KEY iid (id), PRIMARY KEY (a, id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index iid: index (id) is missing
-- t: index_differs PRIMARY: is primary key (id), should be primary key (a, id)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`a`,`id`),
  ADD KEY `iid` (`id`);

-- case: ai_pk_existing_key: PK moves away from an AUTO_INCREMENT column that keeps another key
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, KEY iid (id), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, KEY iid (id), PRIMARY KEY (a, id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id), should be primary key (a, id)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`a`,`id`);

-- case: ai_move: AUTO_INCREMENT and the primary key move to a new column
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, nid INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (nid)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: auto_increment true → false
-- t: missing_column nid: column nid int is missing
-- t: index_differs PRIMARY: is primary key (id), should be primary key (nid)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: AUTO_INCREMENT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`nid`),
  MODIFY COLUMN `id` int NOT NULL,
  ADD COLUMN `nid` int NOT NULL AUTO_INCREMENT;

-- case: ai_pk_drop: the AUTO_INCREMENT primary key goes, the column stays
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: auto_increment true → false
-- t: extra_index PRIMARY: primary key (id) is not in the reference
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP PRIMARY KEY without a new one
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  MODIFY COLUMN `id` int NOT NULL;

-- case: ai_pk_add: an AUTO_INCREMENT primary key column is added to a table without one
-- current
CREATE TABLE t (a INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column id: column id int is missing
-- t: missing_index PRIMARY: primary key (id) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD `id`: AUTO_INCREMENT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD COLUMN `id` int NOT NULL AUTO_INCREMENT,
  ADD PRIMARY KEY (`id`);

-- case: pk_type_change: the primary key column widens
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: type int → bigint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `id` bigint NOT NULL;

-- case: pk_varchar: a VARCHAR primary key widens
-- current
CREATE TABLE t (code VARCHAR(20) NOT NULL, PRIMARY KEY (code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (code VARCHAR(40) NOT NULL, PRIMARY KEY (code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs code: type varchar(20) → varchar(40)
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  MODIFY COLUMN `code` varchar(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL;

-- case: pk_implies_not_null: a primary key column written without NOT NULL is NOT NULL
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: pk_inline: PRIMARY KEY written on the column
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: unique_to_pk: a unique NOT NULL key becomes the primary key
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, UNIQUE KEY uid (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index PRIMARY: primary key (id) is missing
-- t: extra_index uid: unique (id) is not in the reference
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD PRIMARY KEY
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP INDEX `uid`,
  ADD PRIMARY KEY (`id`);

-- case: pk_with_new_column: a new column joins the primary key
-- current
CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, v INT NOT NULL DEFAULT 0, PRIMARY KEY (id, v)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column v: column v int is missing
-- t: index_differs PRIMARY: is primary key (id), should be primary key (id, v)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`id`,`v`),
  ADD COLUMN `v` int NOT NULL DEFAULT 0;

-- case: ai_pk_to_unique: the AUTO_INCREMENT column's primary key becomes a unique key (it keeps a key, so no error 1075)
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, UNIQUE KEY uid (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index uid: unique (id) is missing
-- t: extra_index PRIMARY: primary key (id) is not in the reference
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of DROP PRIMARY KEY without a new one
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD UNIQUE KEY `uid` (`id`);

-- case: ai_pk_to_unique_held: the same without allow-destructive: the unique key is added, the primary key drop held back
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT, UNIQUE KEY uid (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_index uid: unique (id) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `uid`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ADD UNIQUE KEY `uid` (`id`);

-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_index PRIMARY: primary key (id) is not in the reference
--     ALTER TABLE `t` DROP PRIMARY KEY;

-- case: ai_pk_other_column: the primary key moves to another column; the AUTO_INCREMENT column keeps a plain key
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (a), KEY iid (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: index_differs PRIMARY: is primary key (id), should be primary key (a)
-- t: missing_index iid: index (id) is missing
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of primary key replaced
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`a`),
  ADD KEY `iid` (`id`);

-- case: ai_pk_widen_and_extend: the AUTO_INCREMENT column widens while the primary key gains a column
-- current
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT, a INT NOT NULL, PRIMARY KEY (id, a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs id: type int → bigint
-- t: index_differs PRIMARY: is primary key (id), should be primary key (id, a)
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`id`,`a`),
  MODIFY COLUMN `id` bigint NOT NULL AUTO_INCREMENT;
