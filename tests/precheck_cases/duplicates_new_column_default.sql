-- case: a unique key over a column the plan adds with a default: every row gets the same value
-- live
CREATE TABLE stages (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO stages VALUES (1), (2);
-- reference
CREATE TABLE stages (id INT NOT NULL, slug VARCHAR(50) NOT NULL DEFAULT 'stage', PRIMARY KEY (id), UNIQUE KEY uniq_slug (slug)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
duplicates
