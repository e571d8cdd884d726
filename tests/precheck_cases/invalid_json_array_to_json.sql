-- case: 4.x's json_array column (a LONGTEXT, JSON only by its comment, never validated) becoming 5.x's JSON while a row still holds serialized PHP: MariaDB's CHECK (json_valid(...)) stops the MODIFY with error 4025 after the copy (the comparison sees only a comment change)
-- args: --strict
-- live
CREATE TABLE lead_event_log (id INT NOT NULL, properties LONGTEXT DEFAULT NULL COMMENT '(DC2Type:json_array)', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO lead_event_log VALUES (1, '{"a": 1}'), (2, 'a:1:{s:1:"a";i:1;}'), (3, NULL);
-- reference
CREATE TABLE lead_event_log (id INT NOT NULL, properties JSON DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
invalid JSON
