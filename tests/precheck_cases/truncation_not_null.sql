-- case: a column becoming NOT NULL while a row holds NULL: under apply's strict sql_mode the MODIFY stops with error 1265
-- live
CREATE TABLE notes (id INT NOT NULL, body VARCHAR(50) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO notes VALUES (1, 'x'), (2, NULL);
-- reference
CREATE TABLE notes (id INT NOT NULL, body VARCHAR(50) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expect
truncation
