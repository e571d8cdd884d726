-- case: a NOT NULL JSON column added to a table with rows (6.0's sms_message_stats.details): on MariaDB the rows would get '' and fail CHECK (json_valid); a temporary default of '[]' fills them, then goes
-- current
CREATE TABLE stats (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO stats VALUES (1), (2);
-- desired
CREATE TABLE stats (id INT NOT NULL, details LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT '(DC2Type:json)' CHECK (json_valid(details)), PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- stats: missing_column details: column details json is missing
-- stats: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `stats`
  ADD COLUMN `details` json NOT NULL DEFAULT '[]';
-- stats: details: its temporary default '[]' filled the existing rows; the release declares none
-- stats: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `stats`
  ALTER COLUMN `details` DROP DEFAULT;
