//! CREATE TABLE, CREATE INDEX and DROP TABLE read through sqlparser's MySQL AST.
