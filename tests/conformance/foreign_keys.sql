-- Conformance cases: foreign keys. Format and checks: tests/conformance.rs.
-- case: add_fk: a foreign key is added
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_foreign_key fk_c_p: (pid) → p(id) is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);

-- case: add_fk_implicit_index: a foreign key without an index gets the index the server makes
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_index fk_c_p: index (pid) is missing
-- c: missing_foreign_key fk_c_p: (pid) → p(id) is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD KEY `fk_c_p` (`pid`),
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);

-- case: drop_fk: an extra foreign key is dropped
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: extra_foreign_key fk_c_p: (pid) → p(id) is not in the reference
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;

-- case: on_delete_cascade: ON DELETE CASCADE is added
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on delete cascade
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on delete cascade
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE;

-- case: on_delete_set_null: ON DELETE CASCADE becomes SET NULL
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id) on delete cascade, should be (pid) → p(id) on delete set null
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_differs fk_c_p: is (pid) → p(id) on delete cascade, should be (pid) → p(id) on delete set null
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE SET NULL;

-- case: on_update_cascade: ON UPDATE CASCADE is added
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON UPDATE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on update cascade
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on update cascade
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON UPDATE CASCADE;

-- case: no_action_is_restrict: NO ACTION and RESTRICT are the same
-- oracle: skip (NO ACTION and RESTRICT behave the same in InnoDB and are one value in the model; the server keeps the spelling)
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE RESTRICT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE NO ACTION) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: rename_fk: a foreign key with a new name and the same definition
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_new FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_renamed fk_new: exists as fk_c_p with the same definition
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_renamed fk_new: exists as fk_c_p with the same definition
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_new`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_new` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);

-- case: fk_other_column: a foreign key moves to another column
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, pid2 INT DEFAULT NULL, KEY ip (pid), KEY ip2 (pid2), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, pid2 INT DEFAULT NULL, KEY ip (pid), KEY ip2 (pid2), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid2) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid2) → p(id)
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid2) → p(id)
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid2`) REFERENCES `p` (`id`);

-- case: fk_other_parent: a foreign key points at another table
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE q (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE q (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES q (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → q(id)
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → q(id)
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `q` (`id`);

-- case: self_ref_add: a self-referencing foreign key is added
-- current
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- n: missing_foreign_key fk_n_n: (parent_id) → n(id) is missing
-- n: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_n_n`
--   table size unknown (no connection): time grows with it
ALTER TABLE `n`
  ADD CONSTRAINT `fk_n_n` FOREIGN KEY (`parent_id`) REFERENCES `n` (`id`);

-- case: self_ref_drop: a self-referencing foreign key is dropped
-- current
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- n: extra_foreign_key fk_n_n: (parent_id) → n(id) is not in the reference
-- n: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `n`
  DROP FOREIGN KEY `fk_n_n`;

-- case: self_ref_rule: a self-referencing key gets ON DELETE CASCADE
-- current
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- n: foreign_key_differs fk_n_n: is (parent_id) → n(id), should be (parent_id) → n(id) on delete cascade
-- n: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `n`
  DROP FOREIGN KEY `fk_n_n`;
-- n: foreign_key_differs fk_n_n: is (parent_id) → n(id), should be (parent_id) → n(id) on delete cascade
-- n: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_n_n`
--   table size unknown (no connection): time grows with it
ALTER TABLE `n`
  ADD CONSTRAINT `fk_n_n` FOREIGN KEY (`parent_id`) REFERENCES `n` (`id`) ON DELETE CASCADE;

-- case: self_ref_new_table: a new self-referencing table
-- current
-- desired
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- n: missing_table: table does not exist
CREATE TABLE `n` (
  `id` int NOT NULL,
  `parent_id` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ipar` (`parent_id`),
  CONSTRAINT `fk_n_n` FOREIGN KEY (`parent_id`) REFERENCES `n` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: self_ref_type: the self-referenced columns widen together
-- current
CREATE TABLE n (id INT NOT NULL, parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE n (id BIGINT NOT NULL, parent_id BIGINT DEFAULT NULL, PRIMARY KEY (id), KEY ipar (parent_id), CONSTRAINT fk_n_n FOREIGN KEY (parent_id) REFERENCES n (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- n: fk_n_n: dropped while the columns it links change type, re-added after
-- n: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `n`
  DROP FOREIGN KEY `fk_n_n`;
-- n: column_differs id: type int → bigint
-- n: column_differs parent_id: type int → bigint
-- n: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `n`
  MODIFY COLUMN `id` bigint NOT NULL,
  MODIFY COLUMN `parent_id` bigint NULL DEFAULT NULL;
-- n: fk_n_n: added once the tables it links are ready
-- n: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_n_n`
--   table size unknown (no connection): time grows with it
ALTER TABLE `n`
  ADD CONSTRAINT `fk_n_n` FOREIGN KEY (`parent_id`) REFERENCES `n` (`id`);

-- case: cycle_new: two new tables referencing each other
-- current
-- desired
CREATE TABLE a (id INT NOT NULL, b_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id), CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT NOT NULL, a_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- b: missing_table: table does not exist
CREATE TABLE `b` (
  `id` int NOT NULL,
  `a_id` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ia` (`a_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- a: missing_table: table does not exist
CREATE TABLE `a` (
  `id` int NOT NULL,
  `b_id` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ib` (`b_id`),
  CONSTRAINT `fk_ab` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- b: fk_ba: added once the tables it links are ready
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_ba`
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  ADD CONSTRAINT `fk_ba` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`);

-- case: cycle_existing: two existing tables get keys to each other
-- current
CREATE TABLE a (id INT NOT NULL, b_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT NOT NULL, a_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE a (id INT NOT NULL, b_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id), CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT NOT NULL, a_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- a: missing_foreign_key fk_ab: (b_id) → b(id) is missing
-- a: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_ab`
--   table size unknown (no connection): time grows with it
ALTER TABLE `a`
  ADD CONSTRAINT `fk_ab` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`);
-- b: fk_ba: added once the tables it links are ready
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_ba`
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  ADD CONSTRAINT `fk_ba` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`);

-- case: cycle_type_change: a reference cycle whose columns all widen
-- current
CREATE TABLE a (id INT NOT NULL, b_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id), CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT NOT NULL, a_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE a (id BIGINT NOT NULL, b_id BIGINT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id), CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id BIGINT NOT NULL, a_id BIGINT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- a: fk_ab: dropped while the columns it links change type, re-added after
-- a: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `a`
  DROP FOREIGN KEY `fk_ab`;
-- b: fk_ba: dropped while the columns it links change type, re-added after
-- b: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `b`
  DROP FOREIGN KEY `fk_ba`;
-- b: column_differs id: type int → bigint
-- b: column_differs a_id: type int → bigint
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  MODIFY COLUMN `id` bigint NOT NULL,
  MODIFY COLUMN `a_id` bigint NULL DEFAULT NULL;
-- a: column_differs id: type int → bigint
-- a: column_differs b_id: type int → bigint
-- a: fk_ab: re-added after its columns changed
-- a: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `a`
  MODIFY COLUMN `id` bigint NOT NULL,
  MODIFY COLUMN `b_id` bigint NULL DEFAULT NULL,
  ADD CONSTRAINT `fk_ab` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`);
-- b: fk_ba: added once the tables it links are ready
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_ba`
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  ADD CONSTRAINT `fk_ba` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`);

-- case: cycle_three: three tables in a reference cycle get their keys
-- current
CREATE TABLE x (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE y (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE z (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE x (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx), CONSTRAINT fk_x_y FOREIGN KEY (nx) REFERENCES y (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE y (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx), CONSTRAINT fk_y_z FOREIGN KEY (nx) REFERENCES z (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE z (id INT NOT NULL, nx INT DEFAULT NULL, PRIMARY KEY (id), KEY inx (nx), CONSTRAINT fk_z_x FOREIGN KEY (nx) REFERENCES x (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- y: missing_foreign_key fk_y_z: (nx) → z(id) is missing
-- y: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_y_z`
--   table size unknown (no connection): time grows with it
ALTER TABLE `y`
  ADD CONSTRAINT `fk_y_z` FOREIGN KEY (`nx`) REFERENCES `z` (`id`);
-- x: missing_foreign_key fk_x_y: (nx) → y(id) is missing
-- x: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_x_y`
--   table size unknown (no connection): time grows with it
ALTER TABLE `x`
  ADD CONSTRAINT `fk_x_y` FOREIGN KEY (`nx`) REFERENCES `y` (`id`);
-- z: fk_z_x: added once the tables it links are ready
-- z: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_z_x`
--   table size unknown (no connection): time grows with it
ALTER TABLE `z`
  ADD CONSTRAINT `fk_z_x` FOREIGN KEY (`nx`) REFERENCES `x` (`id`);

-- case: parent_type_change: a referenced column and its child widen together
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id BIGINT NOT NULL, pid BIGINT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: fk_c_p: dropped while the columns it links change type, re-added after
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- p: column_differs id: type int → bigint
-- p: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `p`
  MODIFY COLUMN `id` bigint NOT NULL;
-- c: column_differs id: type int → bigint
-- c: column_differs pid: type int → bigint
-- c: fk_c_p: re-added after its columns changed
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  MODIFY COLUMN `id` bigint NOT NULL,
  MODIFY COLUMN `pid` bigint NULL DEFAULT NULL,
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);

-- case: multi_column_fk: a two-column foreign key
-- current
CREATE TABLE p (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pa INT, pb INT, PRIMARY KEY (id), KEY iab (pa, pb)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pa INT, pb INT, PRIMARY KEY (id), KEY iab (pa, pb), CONSTRAINT fk2 FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_foreign_key fk2: (pa, pb) → p(a, b) on delete cascade is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk2`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk2` FOREIGN KEY (`pa`,`pb`) REFERENCES `p` (`a`,`b`) ON DELETE CASCADE;

-- case: new_child: a new table referencing an existing one
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_table: table does not exist
CREATE TABLE `c` (
  `id` int NOT NULL,
  `pid` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ip` (`pid`),
  CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: new_parent_and_child: a new parent and child, in dependency order
-- current
-- desired
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- p: missing_table: table does not exist
CREATE TABLE `p` (
  `id` int NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- c: missing_table: table does not exist
CREATE TABLE `c` (
  `id` int NOT NULL,
  `pid` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ip` (`pid`),
  CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: drop_child_table: a child table with a foreign key is dropped
-- options: allow-destructive
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: extra_table: table is not in the reference (2 columns)
DROP TABLE `c`;

-- case: drop_parent_and_child: both tables of a reference are dropped, child first
-- options: allow-destructive
-- current
CREATE TABLE keep (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE keep (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: extra_table: table is not in the reference (2 columns)
DROP TABLE `c`;
-- p: extra_table: table is not in the reference (1 columns)
DROP TABLE `p`;

-- case: fk_on_new_column: a new column with its foreign key
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, x INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, x INT, pid INT DEFAULT NULL, PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_column pid: column pid int is missing
-- c: missing_index fk_c_p: index (pid) is missing
-- c: missing_foreign_key fk_c_p: (pid) → p(id) is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD COLUMN `pid` int NULL DEFAULT NULL,
  ADD KEY `fk_c_p` (`pid`),
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);

-- case: fk_drop_with_column: a foreign key and its column go
-- options: allow-destructive
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, x INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: extra_foreign_key fk_c_p: (pid) → p(id) is not in the reference
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- c: missing_column x: column x int is missing
-- c: extra_column pid: column pid int is not in the reference
-- c: extra_index ip: index (pid) is not in the reference
-- c: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of a column added or dropped beside DROP INDEX `ip`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  DROP INDEX `ip`,
  DROP COLUMN `pid`,
  ADD COLUMN `x` int NULL DEFAULT NULL;

-- case: fk_rule_and_column: a foreign key's rule changes while its column widens
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id BIGINT NOT NULL, pid BIGINT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on delete cascade
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  DROP FOREIGN KEY `fk_c_p`;
-- p: column_differs id: type int → bigint
-- p: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `p`
  MODIFY COLUMN `id` bigint NOT NULL;
-- c: column_differs id: type int → bigint
-- c: column_differs pid: type int → bigint
-- c: foreign_key_differs fk_c_p: is (pid) → p(id), should be (pid) → p(id) on delete cascade
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  MODIFY COLUMN `id` bigint NOT NULL,
  MODIFY COLUMN `pid` bigint NULL DEFAULT NULL,
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE;

-- case: fk_index_renamed: the foreign key's index is renamed
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY idx_pid (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: index_renamed idx_pid: exists as ip with the same definition
-- c: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `c`
  RENAME INDEX `ip` TO `idx_pid`;

-- case: fk_set_null_nullable: ON DELETE SET NULL on a nullable column
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id), CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- c: missing_foreign_key fk_c_p: (pid) → p(id) on delete set null on update cascade is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- case: alter_add_constraint: a Doctrine-style ALTER TABLE ... ADD CONSTRAINT in the desired file
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id INT NOT NULL, pid INT DEFAULT NULL, KEY ip (pid), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE;
-- expected
-- c: missing_foreign_key fk_c_p: (pid) → p(id) on delete cascade is missing
-- c: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_c_p`
--   table size unknown (no connection): time grows with it
ALTER TABLE `c`
  ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE;
