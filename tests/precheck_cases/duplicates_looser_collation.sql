-- case: a unique key survives a collation change only if no two values compare equal under the new collation
-- live
CREATE TABLE tags (id INT NOT NULL, tag VARCHAR(100) COLLATE utf8mb4_bin NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_tag (tag)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO tags VALUES (1, 'News'), (2, 'news');
-- reference
CREATE TABLE tags (id INT NOT NULL, tag VARCHAR(100) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_tag (tag)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
duplicates
