-- case: a self-referencing foreign key (pages' translation and variant parents) whose key turns unsigned; the keys are re-added in their own ALTER once the columns are changed
-- options: allow-destructive (signed ids of a 2.x-born database)
-- current
CREATE TABLE pages (id INT NOT NULL AUTO_INCREMENT, translation_parent_id INT DEFAULT NULL, variant_parent_id INT DEFAULT NULL, title VARCHAR(191) NOT NULL, PRIMARY KEY (id), KEY IDX_tp (translation_parent_id), KEY IDX_vp (variant_parent_id), CONSTRAINT FK_tp FOREIGN KEY (translation_parent_id) REFERENCES pages (id) ON DELETE CASCADE, CONSTRAINT FK_vp FOREIGN KEY (variant_parent_id) REFERENCES pages (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO pages VALUES (1, NULL, NULL, 'home'), (2, 1, NULL, 'accueil'), (3, NULL, 1, 'home B');
-- desired
CREATE TABLE pages (id INT UNSIGNED NOT NULL AUTO_INCREMENT, translation_parent_id INT UNSIGNED DEFAULT NULL, variant_parent_id INT UNSIGNED DEFAULT NULL, title VARCHAR(191) NOT NULL, PRIMARY KEY (id), KEY IDX_tp (translation_parent_id), KEY IDX_vp (variant_parent_id), CONSTRAINT FK_tp FOREIGN KEY (translation_parent_id) REFERENCES pages (id) ON DELETE CASCADE, CONSTRAINT FK_vp FOREIGN KEY (variant_parent_id) REFERENCES pages (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- pages: FK_tp: dropped while the columns it links change type, re-added after
-- pages: FK_vp: dropped while the columns it links change type, re-added after
-- pages: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `pages`
  DROP FOREIGN KEY `FK_tp`,
  DROP FOREIGN KEY `FK_vp`;
-- pages: column_differs id: type int → int unsigned
-- pages: column_differs translation_parent_id: type int → int unsigned
-- pages: column_differs variant_parent_id: type int → int unsigned
-- pages: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: type int → int unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `pages`
  MODIFY COLUMN `id` int unsigned NOT NULL AUTO_INCREMENT,
  MODIFY COLUMN `translation_parent_id` int unsigned NULL DEFAULT NULL,
  MODIFY COLUMN `variant_parent_id` int unsigned NULL DEFAULT NULL;
-- pages: FK_tp: added once the tables it links are ready
-- pages: FK_vp: added once the tables it links are ready
-- pages: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ADD FOREIGN KEY `FK_tp`
--   table size unknown (no connection): time grows with it
ALTER TABLE `pages`
  ADD CONSTRAINT `FK_tp` FOREIGN KEY (`translation_parent_id`) REFERENCES `pages` (`id`) ON DELETE CASCADE,
  ADD CONSTRAINT `FK_vp` FOREIGN KEY (`variant_parent_id`) REFERENCES `pages` (`id`) ON DELETE CASCADE;
