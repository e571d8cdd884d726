-- case: a column that becomes JSON while rows still hold serialized PHP (a conversion stopped half way)
-- args: --strict
-- live
CREATE TABLE forms (id INT NOT NULL, properties LONGTEXT DEFAULT NULL COMMENT '(DC2Type:array)', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO forms VALUES (1, '{"a": 1}'), (2, 'a:1:{s:1:"a";i:1;}'), (3, NULL);
-- reference
CREATE TABLE forms (id INT NOT NULL, properties JSON DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
invalid JSON
