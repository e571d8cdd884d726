-- ALTER TABLE operations, one case each (format in tests/alter_ops.rs). Every case starts from
-- an empty database created with utf8mb4_unicode_ci; tables name their options so that the
-- server's SHOW CREATE TABLE has nothing to add.

-- case: add column, last, first and after another
CREATE TABLE t (id int NOT NULL, b varchar(10) DEFAULT 'x', PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD COLUMN c int DEFAULT NULL;
ALTER TABLE t ADD z datetime NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() FIRST;
ALTER TABLE t ADD COLUMN a decimal(10,2) NOT NULL DEFAULT '0.00' COMMENT 'après' AFTER id;

-- case: add column if not exists
-- by hand: the MySQL dialect rejects MariaDB's IF NOT EXISTS
CREATE TABLE t (id int NOT NULL, c int DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD COLUMN IF NOT EXISTS c bigint;
ALTER TABLE t ADD COLUMN IF NOT EXISTS d bigint DEFAULT NULL;

-- case: add several columns in one statement, with inline unique and generated
CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD COLUMN e varchar(191) DEFAULT NULL UNIQUE, ADD COLUMN g varchar(200) AS (concat(`e`, '@')) VIRTUAL, ADD COLUMN s int AS (`id` * 2) STORED;

-- case: modify column type, nullability, default, charset and position
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, b varchar(10) NOT NULL, c tinyint(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t MODIFY COLUMN a bigint unsigned NOT NULL DEFAULT 7;
ALTER TABLE t MODIFY b varchar(20) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL FIRST;
ALTER TABLE t MODIFY c tinyint(1) NOT NULL DEFAULT 1 COMMENT '(DC2Type:boolean)' AFTER b;

-- case: change column renames it in its indexes and foreign keys
CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, b varchar(50) DEFAULT NULL, PRIMARY KEY (id), KEY ab (a, b(10)), CONSTRAINT fa FOREIGN KEY (a) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t CHANGE a x int DEFAULT NULL;
ALTER TABLE t CHANGE COLUMN b y varchar(60) NOT NULL FIRST;

-- case: rename column keeps its definition and follows into indexes
CREATE TABLE t (id int NOT NULL, a varchar(30) NOT NULL DEFAULT 'q', PRIMARY KEY (id), UNIQUE KEY ua (a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t RENAME COLUMN a TO b;

-- case: drop column leaves its indexes; an index left without columns goes
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, b int DEFAULT NULL, c int DEFAULT NULL, PRIMARY KEY (id), KEY ab (a, b), KEY c (c)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t DROP COLUMN b;
ALTER TABLE t DROP c, DROP COLUMN IF EXISTS nothing;

-- case: add and drop indexes of every kind
CREATE TABLE t (id int NOT NULL, a varchar(191) DEFAULT NULL, b text DEFAULT NULL, p point NOT NULL, KEY ia (a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD PRIMARY KEY (id);
ALTER TABLE t ADD INDEX ib (b(20), id DESC) COMMENT 'why', ADD UNIQUE KEY ua (a), ADD FULLTEXT KEY fb (b), ADD SPATIAL INDEX sp (p);
ALTER TABLE t ADD KEY (a);
ALTER TABLE t DROP INDEX ia;
ALTER TABLE t ADD CONSTRAINT un UNIQUE (id, a);

-- case: drop primary key and add another
CREATE TABLE t (id int NOT NULL, k varchar(10) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (k, id);

-- case: add and drop foreign keys, named and not
CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, b int DEFAULT NULL, PRIMARY KEY (id), KEY a (a), KEY b (b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD CONSTRAINT fa FOREIGN KEY (a) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE t ADD CONSTRAINT fb FOREIGN KEY (b) REFERENCES p (id) ON DELETE CASCADE;
ALTER TABLE t ADD FOREIGN KEY (b) REFERENCES p (id);
ALTER TABLE t DROP FOREIGN KEY fb;
ALTER TABLE t DROP CONSTRAINT fa;

-- case: add and drop checks
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD CONSTRAINT pos CHECK (`a` > 0);
ALTER TABLE t ADD CONSTRAINT small CHECK (`a` < 100);
ALTER TABLE t ADD CHECK (`a` <> 5);
ALTER TABLE t DROP CONSTRAINT small;

-- case: set and drop a column's default
CREATE TABLE t (id int NOT NULL, a int NOT NULL DEFAULT 3, b varchar(10) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ALTER COLUMN a DROP DEFAULT;
ALTER TABLE t ALTER b SET DEFAULT 'it''s';
ALTER TABLE t ALTER COLUMN id SET DEFAULT -1;

-- case: rename the table, whose referencing foreign keys follow
CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE c (id int NOT NULL, p int DEFAULT NULL, PRIMARY KEY (id), KEY p (p), CONSTRAINT fp FOREIGN KEY (p) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE p RENAME TO parent;

-- case: algorithm, lock and auto_increment leave the definition alone
CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, a int DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ADD COLUMN b int DEFAULT NULL, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE t AUTO_INCREMENT=100;

-- case: table options
-- by hand: the MySQL dialect does not parse ALTER's table options
CREATE TABLE t (id int NOT NULL, a varchar(10) DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t ENGINE=InnoDB ROW_FORMAT=DYNAMIC COMMENT='tâble';

-- case: drop key, rename index
-- by hand: the MySQL dialect rejects DROP KEY and RENAME INDEX
CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, b int DEFAULT NULL, PRIMARY KEY (id), KEY ia (a), KEY ib (b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE t DROP KEY ia;
ALTER TABLE t RENAME INDEX ib TO jb;

-- case: unnamed foreign keys in CREATE TABLE are numbered among the unnamed ones only
CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE w (id int NOT NULL, a int DEFAULT NULL, b int DEFAULT NULL, c int DEFAULT NULL, d int DEFAULT NULL, PRIMARY KEY (id), KEY a (a), KEY b (b), KEY c (c), KEY d (d), CONSTRAINT w_ibfk_5 FOREIGN KEY (a) REFERENCES p (id), CONSTRAINT fz FOREIGN KEY (d) REFERENCES p (id), FOREIGN KEY (b) REFERENCES p (id), FOREIGN KEY (c) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE w ADD FOREIGN KEY (d) REFERENCES p (id);
