-- case: a 255-character utf8mb4 index on a COMPACT table (a 2.x-born install): 1020 bytes, over 767
-- live
CREATE TABLE leads (id INT NOT NULL, email VARCHAR(255) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;
-- reference
CREATE TABLE leads (id INT NOT NULL, email VARCHAR(255) DEFAULT NULL, PRIMARY KEY (id), KEY email_search (email)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;
-- expect
key length
