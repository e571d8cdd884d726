-- case: text becoming an integer while a row holds text that is not a number: under apply's strict sql_mode the MODIFY stops with error 1292 (the range check alone reads 'x1' as 0)
-- live
CREATE TABLE codes (id INT NOT NULL, code VARCHAR(10) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO codes VALUES (1, '42'), (2, 'x1'), (3, NULL);
-- reference
CREATE TABLE codes (id INT NOT NULL, code INT DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
truncation
