-- case: an index renamed, another redefined, a unique key dropped (held back), a column added
-- current
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) NOT NULL, b INT DEFAULT NULL, PRIMARY KEY (id), KEY old_name (a), KEY idx_b (b), UNIQUE KEY uniq_a (a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a VARCHAR(20) NOT NULL, b INT DEFAULT NULL, c DATETIME DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id), KEY new_name (a), KEY idx_b (b, a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: missing_column c: column c datetime is missing
-- t: index_renamed new_name: exists as old_name with the same definition
-- t: index_differs idx_b: is index (b), should be index (b, a)
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of a column added or dropped beside DROP INDEX `idx_b`
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  RENAME INDEX `old_name` TO `new_name`,
  DROP INDEX `idx_b`,
  ADD KEY `idx_b` (`b`,`a`),
  ADD COLUMN `c` datetime NULL DEFAULT CURRENT_TIMESTAMP;

-- Held back: destructive (data or a guarantee would be lost). Review, then rerun
-- with --allow-destructive to include them.
--   t: extra_index uniq_a: unique (a) is not in the reference
--     ALTER TABLE `t` DROP INDEX `uniq_a`;
