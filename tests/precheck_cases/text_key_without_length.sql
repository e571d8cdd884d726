-- case: an index on a TEXT column without a prefix length (error 1170)
-- live
CREATE TABLE pages (id INT NOT NULL, url TEXT DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- reference
CREATE TABLE pages (id INT NOT NULL, url TEXT DEFAULT NULL, PRIMARY KEY (id), KEY url_search (url)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
key length
