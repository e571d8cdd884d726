//! DDL text → schema model. Statements come from `split`; CREATE TABLE, ALTER TABLE, CREATE
//! INDEX and DROP TABLE are read through sqlparser's MySQL AST (`super::ast`), and what the
//! AST rejects or cannot map goes to the hand grammar (`super::hand`): MariaDB-only syntax,
//! ALTER's table options, a statement whose edit fails. `ParseOutcome::read_by_hand` counts
//! those; `tests/ast_gaps.rs` shows each case. Both apply ALTER operations through
//! `super::edit`. INSERT rows are read from tokens.
//!
//! Statements are applied in order the way a server would, so a Doctrine file (`CREATE TABLE`
//! then `ALTER TABLE ... ADD CONSTRAINT`) and a dump (`DROP TABLE IF EXISTS` then `CREATE
//! TABLE`) both yield the final schema. A table whose definition is not understood is kept and
//! marked `unsupported`, never silently half-read.

use std::collections::BTreeMap;

use super::ast;
use super::hand::{alter_table, create_index, create_table, drop_table, insert_rows};
use super::rows::TableRows;
use super::split::{Statement, split_statements};
use crate::schema::Schema;

/// What a SQL file held.
#[derive(Debug, Default)]
pub struct ParseOutcome {
    pub schema: Schema,
    /// Rows of the tables the caller asked for (for example `lead_fields`, `migrations`).
    pub rows: BTreeMap<String, TableRows>,
    /// Statements that were skipped on purpose but deserve a mention.
    pub warnings: Vec<String>,
    /// Number of CREATE TABLE statements seen, to tell an empty file from a non-schema file.
    pub create_tables: usize,
    /// `-- Server version` line of a mysqldump/mariadb-dump header, when present.
    pub server_version: Option<String>,
    /// Where the file ends inside a statement (its first line): the file was cut short.
    pub truncated_at: Option<usize>,
    /// A mysqldump/mariadb-dump header without the tool's closing `-- Dump completed` line.
    pub missing_trailer: bool,
    /// DDL statements sqlparser's AST did not read, so the hand grammar did.
    pub read_by_hand: usize,
    /// Of those, ALTER TABLE statements.
    pub alters_by_hand: usize,
    /// INSERT and REPLACE statements, whatever their table: none at all is a dump made without
    /// rows (`--no-data`), whose `lead_fields` and `migrations` rows are unknown, not absent.
    pub inserts: usize,
}

/// Parse a whole SQL file. `want_rows` says for which (unqualified) table names INSERT rows
/// are read; all other INSERTs are skipped without tokenizing.
pub fn parse_schema_sql(src: &str, want_rows: &dyn Fn(&str) -> bool) -> ParseOutcome {
    parse_with(src, want_rows, true)
}

/// The pre-AST reader (all DDL by the hand grammar), kept callable so `examples/bench_parse`
/// can time both paths side by side in one process on a shared machine.
#[doc(hidden)]
pub fn parse_schema_sql_by_hand(src: &str, want_rows: &dyn Fn(&str) -> bool) -> ParseOutcome {
    parse_with(src, want_rows, false)
}

/// `use_ast: false` reads all DDL by hand, so a test can hold both paths side by side.
fn parse_with(src: &str, want_rows: &dyn Fn(&str) -> bool, use_ast: bool) -> ParseOutcome {
    let mut out = ParseOutcome {
        server_version: header_server_version(src),
        ..Default::default()
    };
    let head = without_sandbox_line(src.trim_start()).trim_start();
    let dump_header = head.starts_with("-- MySQL dump") || head.starts_with("-- MariaDB dump");
    out.missing_trailer = dump_header && !has_dump_trailer(src);
    for st in split_statements(src) {
        if !st.terminated && dump_header {
            // The dump tools end every statement with its delimiter: one the file ends inside
            // was cut, and half a CREATE TABLE is a table that exists nowhere. (A hand-written
            // DDL file may omit the last `;`; a broken table there is read as unsupported.)
            out.truncated_at = Some(st.line);
            out.warnings.push(format!(
                "line {}: the file ends inside this statement; it was not read",
                st.line
            ));
            continue;
        }
        if st.text.starts_with("/*") {
            continue;
        }
        let head = st.head(3);
        let result =
            if head.starts_with("CREATE TABLE") || head.starts_with("CREATE TEMPORARY TABLE") {
                out.create_tables += 1;
                via_ast_or_hand(&st, &mut out, use_ast, ast::create_table, create_table)
            } else if head.starts_with("ALTER TABLE")
                || head.starts_with("ALTER ONLINE TABLE")
                || head.starts_with("ALTER IGNORE TABLE")
            {
                let before = out.read_by_hand;
                let read = via_ast_or_hand(&st, &mut out, use_ast, ast::alter_table, alter_table);
                out.alters_by_hand += out.read_by_hand - before;
                read
            } else if is_create_index(&head) {
                via_ast_or_hand(&st, &mut out, use_ast, ast::create_index, create_index)
            } else if head.starts_with("DROP TABLE") {
                via_ast_or_hand(&st, &mut out, use_ast, ast::drop_table, drop_table)
            } else if head.starts_with("INSERT") || head.starts_with("REPLACE") {
                out.inserts += 1;
                insert_rows(&st, want_rows, &out.schema, &mut out.rows)
            } else {
                Ok(())
            };
        if let Err(e) = result {
            out.warnings.push(format!("line {}: {}", st.line, e));
        }
    }
    out
}

type Reader = fn(&Statement<'_>, &mut Schema) -> Result<(), String>;

/// Read a DDL statement through sqlparser's AST; what the AST rejects or does not map goes to
/// the hand grammar, which reads MariaDB-only syntax or marks the table unsupported with why.
fn via_ast_or_hand(
    st: &Statement<'_>,
    out: &mut ParseOutcome,
    use_ast: bool,
    ast: fn(&str, &mut Schema) -> bool,
    hand: Reader,
) -> Result<(), String> {
    if use_ast && ast(st.text, &mut out.schema) {
        return Ok(());
    }
    out.read_by_hand += 1;
    hand(st, &mut out.schema)
}

/// mariadb-dump 10.5.25, 10.6.18, 10.11.8, 11.0.6 and later write this line before their
/// header (MDEV-34203): the header, and so the truncation checks, come after it.
fn without_sandbox_line(src: &str) -> &str {
    src.strip_prefix("/*M!999999\\- enable the sandbox mode */")
        .unwrap_or(src)
}

/// mysqldump and mariadb-dump end a complete dump with `-- Dump completed on <date>`.
fn has_dump_trailer(src: &str) -> bool {
    src.trim_end()
        .lines()
        .next_back()
        .is_some_and(|l| l.starts_with("-- Dump completed"))
}

fn is_create_index(head: &str) -> bool {
    let mut w = head.split(' ');
    w.next() == Some("CREATE")
        && match w.next() {
            Some("INDEX") => true,
            Some("UNIQUE" | "FULLTEXT" | "SPATIAL") => w.next() == Some("INDEX"),
            _ => false,
        }
}

fn header_server_version(src: &str) -> Option<String> {
    src.lines().take(40).find_map(|l| {
        let l = l.trim_start_matches(['-', ' ', '/', '*', '|']);
        l.strip_prefix("Server version")
            .map(|v| v.trim_start_matches([':', '\t', ' ']).trim().to_string())
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{DefaultValue, FkAction, IndexKind};
    use crate::sql::RowValue;

    fn parse(src: &str) -> ParseOutcome {
        parse_schema_sql(src, &|t| t == "lead_fields")
    }

    #[test]
    fn mysqldump_table() {
        let out = parse(
            "DROP TABLE IF EXISTS `assets`;\n/*!40101 SET @saved_cs_client = @@character_set_client */;\n\
CREATE TABLE `assets` (\n  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `category_id` int(10) unsigned DEFAULT NULL,\n\
  `title` varchar(191) COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT 'it''s',\n  `size` decimal(10,2) NOT NULL DEFAULT '0.00',\n\
  `date_added` datetime DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '(DC2Type:datetime)',\n\
  PRIMARY KEY (`id`),\n  KEY `IDX_79D17D8E12469DE2` (`category_id`),\n  KEY `title_search` (`title`(50),`id` DESC),\n\
  CONSTRAINT `FK_79D17D8E12469DE2` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL\n\
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;\n\
INSERT INTO `assets` VALUES (1,'x;y');\nINSERT INTO `lead_fields` (`id`,`alias`) VALUES (1,'email'),(2,NULL);\n",
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let t = out.schema.table("assets").unwrap();
        assert!(t.unsupported.is_none(), "{:?}", t.unsupported);
        assert_eq!(t.columns.len(), 5);
        assert_eq!(t.columns[0].ty.to_string(), "int(10) unsigned");
        assert!(t.columns[0].auto_increment && !t.columns[0].nullable);
        assert_eq!(
            t.columns[2].default,
            Some(DefaultValue::Literal("it's".into()))
        );
        assert_eq!(
            t.columns[2].collation.as_deref(),
            Some("utf8mb4_unicode_ci")
        );
        assert_eq!(
            t.columns[4].on_update.as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(t.columns[4].comment, "(DC2Type:datetime)");
        let idx = t.index("title_search").unwrap();
        assert_eq!(idx.parts[0].prefix, Some(50));
        assert!(idx.parts[1].descending);
        assert_eq!(t.foreign_keys[0].on_delete, FkAction::SetNull);
        assert_eq!(t.options.row_format.as_deref(), Some("DYNAMIC"));
        assert_eq!(t.options.collation.as_deref(), Some("utf8mb4_unicode_ci"));
        let rows = &out.rows["lead_fields"];
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[1][1], RowValue::Null);
        assert!(!out.rows.contains_key("assets"));
    }

    #[test]
    fn doctrine_ddl() {
        let out = parse(
            "CREATE TABLE leads (id BIGINT UNSIGNED AUTO_INCREMENT NOT NULL, owner_id INT UNSIGNED DEFAULT NULL, \
points INT NOT NULL, preferred_profile_image VARCHAR(191) DEFAULT NULL, \
generated_email_domain VARCHAR(255) AS (SUBSTRING(email, LOCATE(\"@\", email) + 1)) VIRTUAL, \
INDEX IDX_179045527E3C61F9 (owner_id), UNIQUE INDEX UNIQ_X (points), PRIMARY KEY(id)) \
DEFAULT CHARACTER SET utf8mb4 COLLATE `utf8mb4_unicode_ci` ENGINE = InnoDB ROW_FORMAT = DYNAMIC;\n\
ALTER TABLE leads ADD CONSTRAINT FK_179045527E3C61F9 FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL;\n\
CREATE INDEX points_idx ON leads (points);\n",
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let t = out.schema.table("leads").unwrap();
        assert!(t.unsupported.is_none(), "{:?}", t.unsupported);
        assert_eq!(t.options.engine.as_deref(), Some("InnoDB"));
        assert_eq!(t.options.charset.as_deref(), Some("utf8mb4"));
        assert_eq!(t.foreign_keys.len(), 1);
        assert!(t.index("points_idx").is_some());
        assert_eq!(t.index("UNIQ_X").unwrap().kind, IndexKind::Unique);
        let g = t
            .column("generated_email_domain")
            .unwrap()
            .generated
            .as_ref()
            .unwrap();
        assert_eq!(g.expr, "SUBSTRING(email, LOCATE('@', email) + 1)");
    }

    fn sql_files(dir: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    /// The AST path and the hand grammar read every reference schema, corpus dump and
    /// conformance case into the same model, and the AST reads nearly all of the DDL.
    #[test]
    fn ast_and_hand_grammar_agree_on_every_file() {
        let mut files = sql_files("reference-schemas");
        files.extend(sql_files("tests/corpus"));
        files.extend(sql_files("tests/conformance"));
        assert!(files.len() > 60, "{} files", files.len());
        let (mut ddl, mut by_hand, mut alters, mut alters_by_hand) = (0, 0, 0, 0);
        for (path, src) in &files {
            let ast = parse_with(src, &|_| false, true);
            let hand = parse_with(src, &|_| false, false);
            for (name, t) in &hand.schema.tables {
                assert_eq!(ast.schema.tables.get(name), Some(t), "{path}: table {name}");
            }
            assert_eq!(ast.schema, hand.schema, "{path}");
            assert_eq!(ast.warnings, hand.warnings, "{path}");
            ddl += hand.read_by_hand;
            by_hand += ast.read_by_hand;
            alters += hand.alters_by_hand;
            alters_by_hand += ast.alters_by_hand;
            // Every ALTER TABLE of the references and of the dumps is read through the AST.
            if !path.contains("tests/conformance") {
                assert_eq!(ast.alters_by_hand, 0, "{path}");
            }
        }
        assert!(alters > 6000, "{alters} ALTER TABLE statements");
        eprintln!(
            "{by_hand} of {ddl} DDL statements read by hand, {alters_by_hand} of {alters} ALTER TABLE"
        );
    }

    #[test]
    fn bad_table_is_kept_as_unsupported() {
        let out = parse("CREATE TABLE t (a int, b frobnicate(1) WIBBLE);");
        let t = out.schema.table("t").unwrap();
        assert!(t.unsupported.as_deref().unwrap().contains("unexpected"));
    }
}

#[cfg(test)]
mod item_keyword_tests {
    /// `PERIOD FOR SYSTEM_TIME (...)` is a table item, not a column named PERIOD: the DDL
    /// reader and the name-only reader share one list of the words that start an item (the
    /// two lists had drifted: only the name-only one knew PERIOD).
    #[test]
    fn period_for_system_time_is_no_column() {
        let sql = "CREATE TABLE t (id int NOT NULL, PERIOD FOR SYSTEM_TIME(s, e), KEY k (id));";
        let out = super::parse_schema_sql_by_hand(sql, &|_| false);
        let t = out.schema.tables.get("t").expect("table read");
        assert!(
            t.columns
                .iter()
                .all(|c| !c.name.eq_ignore_ascii_case("period")),
            "{:?}",
            t.columns
        );
    }
}
