-- Conformance cases: table options. Format and checks: tests/conformance.rs.
-- case: engine_to_myisam: InnoDB to MyISAM
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: table_options_differ: engine InnoDB → MyISAM
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ENGINE change
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ENGINE=MyISAM;

-- case: engine_to_innodb: MyISAM to InnoDB
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: table_options_differ: engine MyISAM → InnoDB
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ENGINE change
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ENGINE=InnoDB;

-- case: engine_case: engine names are case-insensitive
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=innodb DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: engine_unstated: a desired table without ENGINE takes the server default
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: row_format_change: ROW_FORMAT=DYNAMIC to COMPACT
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;
-- expected
-- t: table_options_differ: row format DYNAMIC → COMPACT
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ROW_FORMAT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ROW_FORMAT=COMPACT;

-- case: row_format_add: an explicit ROW_FORMAT is set
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPRESSED;
-- expected
-- t: table_options_differ: row format ? → COMPRESSED
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ROW_FORMAT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ROW_FORMAT=COMPRESSED;

-- case: row_format_unstated: an unstated ROW_FORMAT is no difference
-- oracle: skip (a desired table without ROW_FORMAT accepts any row format)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected

-- case: row_format_default: ROW_FORMAT=DEFAULT is the server default
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DEFAULT;
-- expected

-- case: comment_add: a table comment is added
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people';
-- expected
-- t: table_options_differ: comment '' → 'people'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  COMMENT='people';

-- case: comment_change: a table comment changes
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='old';
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='new';
-- expected
-- t: table_options_differ: comment 'old' → 'new'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  COMMENT='new';

-- case: comment_remove: a table comment is removed
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='old';
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: table_options_differ: comment 'old' → ''
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  COMMENT='';

-- case: comment_quote: a table comment with a quote
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='it''s';
-- expected
-- t: table_options_differ: comment '' → 'it's'
-- t: ALGORITHM=INSTANT: metadata only, writes not blocked
ALTER TABLE `t`
  COMMENT='it''s';

-- case: comment_and_engine: comment and engine change together
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='x';
-- expected
-- t: table_options_differ: engine InnoDB → MyISAM; comment '' → 'x'
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ENGINE change
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ENGINE=MyISAM,
  COMMENT='x';

-- case: collation_and_row_format: collation and row format change together
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=COMPACT;
-- expected
-- t: table_options_differ: default collation utf8mb4_unicode_ci → utf8mb4_general_ci; row format ? → COMPACT
-- t: ALGORITHM=INPLACE, LOCK=NONE: writes not blocked
--   because of ROW_FORMAT
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  DEFAULT CHARACTER SET utf8mb4,
  COLLATE utf8mb4_general_ci,
  ROW_FORMAT=COMPACT;

-- case: ignored_options: AUTO_INCREMENT, AVG_ROW_LENGTH, STATS_PERSISTENT are not schema
-- oracle: skip (AUTO_INCREMENT, STATS_* and AVG_ROW_LENGTH are storage hints, not compared)
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci AUTO_INCREMENT=5 STATS_PERSISTENT=1 AVG_ROW_LENGTH=100;
-- expected

-- case: aria_engine: MariaDB's Aria engine
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: table_options_differ: engine InnoDB → Aria
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ENGINE change
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ENGINE=Aria;

-- case: memory_engine: the MEMORY engine
-- current
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- desired
CREATE TABLE t (id INT NOT NULL, a INT, PRIMARY KEY (id)) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- expected
-- t: table_options_differ: engine InnoDB → MEMORY
-- t: ALGORITHM=COPY: writes blocked for the whole copy
--   because of ENGINE change
--   table size unknown (no connection): time grows with it
ALTER TABLE `t`
  ENGINE=MEMORY;
