-- case: two new tables referencing each other; the second foreign key waits for both
-- current
CREATE TABLE base (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE base (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
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
