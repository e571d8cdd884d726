-- case: two existing tables referencing each other, both keys change type: both keys dropped, both tables altered, then both keys re-added
-- options: allow-destructive (signed ids of a 2.x-born database)
-- current
CREATE TABLE a (id INT NOT NULL, b_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT NOT NULL, a_id INT DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE a ADD CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id);
INSERT INTO a VALUES (1, NULL); INSERT INTO b VALUES (1, 1); UPDATE a SET b_id = 1;
-- desired
CREATE TABLE a (id INT UNSIGNED NOT NULL, b_id INT UNSIGNED DEFAULT NULL, PRIMARY KEY (id), KEY ib (b_id), CONSTRAINT fk_ab FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE b (id INT UNSIGNED NOT NULL, a_id INT UNSIGNED DEFAULT NULL, PRIMARY KEY (id), KEY ia (a_id), CONSTRAINT fk_ba FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- a: fk_ab: dropped while the columns it links change type, re-added after
-- a: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `a`
  DROP FOREIGN KEY `fk_ab`;
-- b: fk_ba: dropped while the columns it links change type, re-added after
-- b: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `b`
  DROP FOREIGN KEY `fk_ba`;
-- b: column_differs id: type int → int unsigned
-- b: column_differs a_id: type int → int unsigned
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → int unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  MODIFY COLUMN `id` int unsigned NOT NULL,
  MODIFY COLUMN `a_id` int unsigned NULL DEFAULT NULL;
-- a: column_differs id: type int → int unsigned
-- a: column_differs b_id: type int → int unsigned
-- a: fk_ab: re-added after its columns changed
-- a: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → int unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `a`
  MODIFY COLUMN `id` int unsigned NOT NULL,
  MODIFY COLUMN `b_id` int unsigned NULL DEFAULT NULL,
  ADD CONSTRAINT `fk_ab` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`);
-- b: fk_ba: added once the tables it links are ready
-- b: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `fk_ba`
--   table size unknown (no connection): time grows with it
ALTER TABLE `b`
  ADD CONSTRAINT `fk_ba` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`);
