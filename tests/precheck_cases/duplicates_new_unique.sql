-- case: a new unique key on a column whose rows repeat a value
-- live
CREATE TABLE emails (id INT NOT NULL, address VARCHAR(191) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO emails VALUES (1, 'a@example.com'), (2, 'b@example.com'), (3, 'a@example.com');
-- reference
CREATE TABLE emails (id INT NOT NULL, address VARCHAR(191) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_address (address)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
duplicates
