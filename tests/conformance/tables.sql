-- Conformance cases: tables. Format and checks: tests/conformance.rs.
-- case: identical: identical schemas: nothing to do
-- current
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: create_table: a missing table is created
-- current
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_table: table does not exist
CREATE TABLE `t` (
  `id` int NOT NULL,
  `a` int NULL DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: drop_table_held: an extra table is held back
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE u (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   u: extra_table u: table is not in the reference (1 columns)
--     DROP TABLE `u`;

-- case: drop_table: an extra table is dropped with allow-destructive
-- options: allow-destructive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE u (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- u: extra_table: table is not in the reference (1 columns)
DROP TABLE `u`;

-- case: create_full: a new table with every kind of object
-- current
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE p (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE full_t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, pid INT DEFAULT NULL, name VARCHAR(191) NOT NULL DEFAULT '' COMMENT 'display name', body LONGTEXT, data JSON, n INT AS (id * 2) VIRTUAL, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id), UNIQUE KEY uname (name), KEY iname (name(10), created), FULLTEXT KEY fbody (body), CONSTRAINT fk_full_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL, CONSTRAINT chk_name CHECK (name <> 'x')) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='all kinds';
-- expected
-- full_t: missing_table: table does not exist
CREATE TABLE `full_t` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `pid` int NULL DEFAULT NULL,
  `name` varchar(191) NOT NULL DEFAULT '' COMMENT 'display name',
  `body` longtext NULL,
  `data` json NULL,
  `n` int GENERATED ALWAYS AS (id * 2) VIRTUAL,
  `created` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `fbody` (`body`),
  KEY `fk_full_p` (`pid`),
  KEY `iname` (`name`(10),`created`),
  UNIQUE KEY `uname` (`name`),
  CONSTRAINT `fk_full_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE SET NULL,
  CONSTRAINT `chk_name` CHECK (name <> 'x')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='all kinds';

-- case: quoted_names: table and column names needing quotes
-- current
-- desired
CREATE TABLE `odd table` (`id` INT NOT NULL, `a``b` INT, `déjà` VARCHAR(5), PRIMARY KEY (`id`), KEY `the key` (`a``b`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- odd table: missing_table: table does not exist
CREATE TABLE `odd table` (
  `id` int NOT NULL,
  `a``b` int NULL DEFAULT NULL,
  `déjà` varchar(5) NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `the key` (`a``b`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- case: view_not_compared: a view on the server is reported as not compared
-- offline: skip views are named by inspection only
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE VIEW v AS SELECT a FROM t;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- Not compared: views v

-- case: many_tables: several tables change at once
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE u (id INT NOT NULL, b INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE w (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a BIGINT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE u (id INT NOT NULL, b INT, KEY ib (b), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE w (id INT NOT NULL, c INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: column_differs a: type int → bigint
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `a`: type int → bigint
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `a` bigint NULL DEFAULT NULL;
-- u: missing_index ib: index (b) is missing
-- u: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ADD INDEX `ib`
--   table size unknown (no connection): time grows with it
ALTER TABLE `u`
  ADD KEY `ib` (`b`);
-- w: missing_column c: column c int is missing
-- w: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `w`
  ADD COLUMN `c` int NULL DEFAULT NULL;

-- case: dump_style: a mysqldump-style desired file with conditional comments
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `t`;
CREATE TABLE `t` (
  `id` int(11) NOT NULL,
  `a` int(11) DEFAULT NULL,
  `b` varchar(10) COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column b: column b varchar(10) is missing
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  ADD COLUMN `b` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL;

-- case: doctrine_style: a Doctrine-style desired file
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT AUTO_INCREMENT NOT NULL, a INT DEFAULT NULL, b VARCHAR(191) DEFAULT NULL, INDEX ib (b), PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE `utf8mb4_unicode_ci` ENGINE = InnoDB;
-- expected
-- t: column_differs id: auto_increment false → true
-- t: missing_column b: column b varchar(191) is missing
-- t: missing_index ib: index (b) is missing
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of MODIFY `id`: AUTO_INCREMENT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  MODIFY COLUMN `id` int NOT NULL AUTO_INCREMENT,
  ADD COLUMN `b` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL DEFAULT NULL,
  ADD KEY `ib` (`b`);

-- case: table_name_case: a differently-cased column and index name is the same object
-- oracle: skip (column and index names compare case-insensitively; a case-only rename is not made)
-- current
CREATE TABLE t (id INT NOT NULL, A INT, KEY IA (A), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, KEY ia (a), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
