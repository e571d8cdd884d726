-- Reference for the online schema change tests: a parent table that a child references
-- through a foreign key (as Mautic's `leads` is referenced by `lead_event_log`), and the
-- child, which has its own foreign key (so pt-osc renames it on its copy).
CREATE TABLE `parents` (
  `id` INT UNSIGNED AUTO_INCREMENT NOT NULL,
  `score` BIGINT NOT NULL DEFAULT 0,
  `label` VARCHAR(191) DEFAULT NULL,
  PRIMARY KEY (`id`),
  INDEX `parents_score` (`score`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `children` (
  `id` BIGINT UNSIGNED AUTO_INCREMENT NOT NULL,
  `parent_id` INT UNSIGNED NOT NULL,
  `amount` BIGINT DEFAULT NULL,
  PRIMARY KEY (`id`),
  INDEX `IDX_CHILD_PARENT` (`parent_id`),
  CONSTRAINT `FK_CHILD_PARENT` FOREIGN KEY (`parent_id`) REFERENCES `parents` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
