-- case: a unique key over a new column that defaults to NULL: NULLs never collide, nothing to stop
-- live
CREATE TABLE stages (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO stages VALUES (1), (2);
-- reference
CREATE TABLE stages (id INT NOT NULL, slug VARCHAR(50) DEFAULT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_slug (slug)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
none
