-- case: a self-referencing foreign key that was never created, on a table whose key changes type in the same run
-- options: allow-destructive (signed ids of a 2.x-born database)
-- current
CREATE TABLE pages (id INT NOT NULL AUTO_INCREMENT, translation_parent_id INT DEFAULT NULL, PRIMARY KEY (id), KEY IDX_tp (translation_parent_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO pages VALUES (1, NULL), (2, 1);
-- desired
CREATE TABLE pages (id INT UNSIGNED NOT NULL AUTO_INCREMENT, translation_parent_id INT UNSIGNED DEFAULT NULL, PRIMARY KEY (id), KEY IDX_tp (translation_parent_id), CONSTRAINT FK_tp FOREIGN KEY (translation_parent_id) REFERENCES pages (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- pages: column_differs id: type int → int unsigned
-- pages: column_differs translation_parent_id: type int → int unsigned
-- pages: missing_foreign_key FK_tp: (translation_parent_id) → pages(id) on delete cascade is missing
-- pages: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → int unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `pages`
  MODIFY COLUMN `id` int unsigned NOT NULL AUTO_INCREMENT,
  MODIFY COLUMN `translation_parent_id` int unsigned NULL DEFAULT NULL;
-- pages: FK_tp: added once the tables it links are ready
-- pages: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `FK_tp`
--   table size unknown (no connection): time grows with it
ALTER TABLE `pages`
  ADD CONSTRAINT `FK_tp` FOREIGN KEY (`translation_parent_id`) REFERENCES `pages` (`id`) ON DELETE CASCADE;
