-- case: files at 5.x, database at 4.4: a foreign key to a table the plan creates, while rows already point at it
-- live
CREATE TABLE points (id INT NOT NULL, group_id INT DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO points VALUES (1, NULL), (2, 7);
-- reference
CREATE TABLE point_groups (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE points (id INT NOT NULL, group_id INT DEFAULT NULL, PRIMARY KEY (id), KEY IDX_group (group_id), CONSTRAINT FK_group FOREIGN KEY (group_id) REFERENCES point_groups (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
orphan rows
