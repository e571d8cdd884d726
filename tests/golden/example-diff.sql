-- mautic-schema: SQL that turns dump examples/failed-upgrade-5.1.sql into Mautic 5.1.1
-- MySQL/MariaDB commit every DDL statement on its own: there is no rollback. Take a
-- backup first (`mautic-schema apply` does, and keeps a journal so a rerun resumes).
-- The session mode `apply` runs under: literals below are written for it, and a
-- change that would lose data fails instead of truncating.
SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

-- audit_log: missing_table: table does not exist
CREATE TABLE `audit_log` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` int NOT NULL,
  `user_name` varchar(191) NOT NULL,
  `bundle` varchar(50) NOT NULL,
  `object` varchar(50) NOT NULL,
  `object_id` bigint unsigned NOT NULL,
  `action` varchar(50) NOT NULL,
  `details` longtext NULL COMMENT '(DC2Type:array)',
  `date_added` datetime NOT NULL,
  `ip_address` varchar(45) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `date_added_index` (`date_added`),
  KEY `object_search` (`object`,`object_id`),
  KEY `timeline_search` (`bundle`,`object`,`action`,`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;

-- lead_lists: missing_foreign_key FK_6EC1522A12469DE2: (category_id) → categories(id) on delete set null is missing
-- lead_lists: column_differs category_id: type int → int unsigned: must match categories.id (int unsigned) for foreign key FK_6EC1522A12469DE2 (InnoDB errno 150 otherwise)
-- lead_lists: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `category_id`: type int → int unsigned
--   table size unknown (no connection): time grows with it
ALTER TABLE `lead_lists`
  MODIFY COLUMN `category_id` int unsigned NULL DEFAULT NULL,
  ADD CONSTRAINT `FK_6EC1522A12469DE2` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL;

-- Migrations bookkeeping (data, not DDL: `apply` runs it in one transaction at the end)
-- migrations is missing: the next upgrade would re-run every migration of 5.1.1
CREATE TABLE `migrations` (`version` VARCHAR(191) NOT NULL, `executed_at` DATETIME DEFAULT NULL, `execution_time` INT DEFAULT NULL, PRIMARY KEY(`version`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB ROW_FORMAT = DYNAMIC;
-- record the 42 migrations of 5.1.1 as executed, as Mautic's installer does
INSERT IGNORE INTO `migrations` (`version`, `executed_at`, `execution_time`) VALUES
  ('Mautic\\Migrations\\Version020230615115326', NOW(), NULL),
  ('Mautic\\Migrations\\Version20190326190241', NOW(), NULL),
  ('Mautic\\Migrations\\Version20190410143658', NOW(), NULL),
  ('Mautic\\Migrations\\Version20190524124819', NOW(), NULL),
  ('Mautic\\Migrations\\Version20191106152509', NOW(), NULL),
  ('Mautic\\Migrations\\Version20200415135706', NOW(), NULL),
  ('Mautic\\Migrations\\Version20200513162918', NOW(), NULL),
  ('Mautic\\Migrations\\Version20200917152259', NOW(), NULL),
  ('Mautic\\Migrations\\Version20201026101117', NOW(), NULL),
  ('Mautic\\Migrations\\Version20210112162046', NOW(), NULL),
  ('Mautic\\Migrations\\Version20210217115150', NOW(), NULL),
  ('Mautic\\Migrations\\Version20210420113309', NOW(), NULL),
  ('Mautic\\Migrations\\Version20211026152443', NOW(), NULL),
  ('Mautic\\Migrations\\Version20211026153057', NOW(), NULL),
  ('Mautic\\Migrations\\Version20211110070503', NOW(), NULL),
  ('Mautic\\Migrations\\Version20211209022550', NOW(), NULL),
  ('Mautic\\Migrations\\Version20220216161028', NOW(), NULL),
  ('Mautic\\Migrations\\Version20220429091934', NOW(), NULL),
  ('Mautic\\Migrations\\Version20220722074516', NOW(), NULL),
  ('Mautic\\Migrations\\Version20221010121758', NOW(), NULL),
  ('Mautic\\Migrations\\Version20221014061125', NOW(), NULL),
  ('Mautic\\Migrations\\Version20221014081742', NOW(), NULL),
  ('Mautic\\Migrations\\Version20221128145933', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230131133732', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230307083702', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230311195347', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230321133733', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230424083829', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230519154448', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230522141144', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230525202700', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230606111852', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230615101328', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230621074925', NOW(), NULL),
  ('Mautic\\Migrations\\Version20230627140512', NOW(), NULL),
  ('Mautic\\Migrations\\Version20231110103625', NOW(), NULL),
  ('Mautic\\Migrations\\Version20231206152313', NOW(), NULL),
  ('Mautic\\Migrations\\Version20231207235400', NOW(), NULL),
  ('Mautic\\Migrations\\Version20240226114528', NOW(), NULL),
  ('Mautic\\Migrations\\Version20240416112112', NOW(), NULL),
  ('Mautic\\Migrations\\Version20240708153845', NOW(), NULL),
  ('Mautic\\Migrations\\Versionzz20230929183000', NOW(), NULL);

-- Drift: 3 difference(s) to fix in 2 table(s) (0 legacy, 1 info); and no migrations recorded; `mautic-schema diff` prints the SQL, `mautic-schema apply` runs it after a backup
