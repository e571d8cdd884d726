use super::*;

/// The shape of `take_backup`'s output (mariadb-dump 10.11 with the tool's options): a parent,
/// a child with a foreign key, a table with a string holding what looks like client commands.
const DUMP: &str = "/*M!999999\\- enable the sandbox mode */ \n\
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n\
--\n\
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
/*!40101 SET NAMES utf8mb4 */;\n\
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n\
/*!40103 SET TIME_ZONE='+00:00' */;\n\
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n\
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\
\n\
--\n\
-- Table structure for table `c`\n\
--\n\
\n\
DROP TABLE IF EXISTS `c`;\n\
/*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
/*!40101 SET character_set_client = utf8mb4 */;\n\
CREATE TABLE `c` (\n\
  `id` int(11) NOT NULL,\n\
  `pid` int(11) DEFAULT NULL,\n\
  `amount` decimal(10,2) DEFAULT 0.00,\n\
  PRIMARY KEY (`id`),\n\
  CONSTRAINT `fk_c` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)\n\
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='a; \\\\! DATA DIRECTORY';\n\
/*!40101 SET character_set_client = @saved_cs_client */;\n\
\n\
LOCK TABLES `c` WRITE;\n\
/*!40000 ALTER TABLE `c` DISABLE KEYS */;\n\
INSERT INTO `c` VALUES\n\
(1,1,-1.50),\n\
(2,NULL,1e+20);\n\
/*!40000 ALTER TABLE `c` ENABLE KEYS */;\n\
UNLOCK TABLES;\n\
DROP TABLE IF EXISTS `x``y`;\n\
CREATE TABLE `x``y` (\n\
  `s` text DEFAULT NULL,\n\
  `b` blob DEFAULT NULL\n\
) ENGINE=InnoDB;\n\
LOCK TABLES `x``y` WRITE;\n\
INSERT INTO `x``y` VALUES\n\
('a;\\n\\\\! rm -rf /\n-- \\'q\\' \"d\" `',0x00FF),\n\
('',_binary '');\n\
UNLOCK TABLES;\n\
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\
\n\
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n\
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n\
\n\
-- Dump completed on 2026-12-07 16:25:22\n";

fn scan_str(s: &str) -> Result<DumpScan, ScanError> {
    scan(s.as_bytes())
}

fn refused_at(s: &str) -> (u64, String) {
    match scan_str(s) {
        Err(ScanError::Refused { line, what }) => (line, what),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn the_tools_own_dump_is_accepted() {
    let s = scan_str(DUMP).unwrap();
    assert_eq!(s.tables, ["c", "x`y"]);
    assert_eq!(s.rows.get("c"), Some(&2));
    assert_eq!(s.rows.get("x`y"), Some(&2));
    assert_eq!(s.bytes, DUMP.len() as u64);
    assert_eq!(s.sha256.len(), 64);
}

#[test]
fn a_client_command_is_refused_with_its_line() {
    let bad = DUMP.replace(
        "UNLOCK TABLES;\nDROP",
        "UNLOCK TABLES;\n\\! touch /tmp/owned\nDROP",
    );
    let (line, what) = refused_at(&bad);
    assert_eq!(line, 34, "{what}");
    assert!(what.contains("client command"), "{what}");
    // The CVE-2024-21096 shape: a name with a newline in the dump tool's comment.
    let bad = DUMP.replace(
        "-- Table structure for table `c`",
        "-- Table structure for table `c\n\\! id`",
    );
    assert_eq!(refused_at(&bad).0, 13);
}

#[test]
fn statements_a_backup_never_holds_are_refused() {
    for (stmt, word) in [
        ("DROP DATABASE `mautic`;", "DROP DATABASE"),
        ("GRANT ALL ON *.* TO 'x'@'%';", "GRANT"),
        ("USE `mautic`;", "USE"),
        ("system touch /tmp/x;", "system"),
        (
            "SET GLOBAL general_log_file='/var/www/x.php';",
            "SET GLOBAL",
        ),
        ("SET @a = (SELECT 1);", "SET @a"),
        (
            "DROP TABLE IF EXISTS `mautic`.`leads`;",
            "names another database",
        ),
        (
            "INSERT INTO `c` VALUES (3,(SELECT LOAD_FILE('/etc/shadow')),1);",
            "literal values",
        ),
        (
            "CREATE TABLE `z` (`a` int) ENGINE=InnoDB DATA DIRECTORY='/tmp';",
            "DIRECTORY",
        ),
        ("CREATE TABLE `z` (`a` int) ENGINE=CONNECT;", "engine"),
        ("CREATE TABLE `z` (`a` int) AS SELECT 1;", "AS"),
        ("/*!50001 CREATE VIEW `v` AS SELECT 1 */;", "CREATE VIEW"),
        (
            "INSERT INTO `nope` VALUES (1);",
            "before the dump creates it",
        ),
    ] {
        let bad = DUMP.replace(
            "UNLOCK TABLES;\nDROP",
            &format!("UNLOCK TABLES;\n{stmt}\nDROP"),
        );
        let (line, what) = refused_at(&bad);
        assert_eq!(line, 34, "{stmt}: {what}");
        assert!(what.contains(word), "{stmt}: {what}");
    }
}

#[test]
fn a_cut_dump_is_incomplete_even_with_the_trailer() {
    let trailer = "-- Dump completed on 2026-12-07 16:25:22\n";
    for cut in [200, 700, 900, 1100, DUMP.len() - 200] {
        let half = format!("{}\n{trailer}", &DUMP[..cut]);
        assert!(
            matches!(scan_str(&half), Err(ScanError::Incomplete(_))),
            "cut at {cut}: {:?}",
            scan_str(&half)
        );
    }
    let no_trailer = DUMP.replace(trailer, "");
    assert!(
        matches!(scan_str(&no_trailer), Err(ScanError::Incomplete(w)) if w.contains("trailer"))
    );
}

#[test]
fn triggers_and_routines_as_the_dump_tool_writes_them_are_listed() {
    let code = "/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;\n\
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION' */ ;\n\
DELIMITER ;;\n\
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER c_bi BEFORE INSERT ON c FOR EACH ROW BEGIN SET NEW.id = NEW.id + 1; SET NEW.pid = 2; END */;;\n\
DELIMITER ;\n\
/*!50003 SET sql_mode              = @saved_sql_mode */ ;\n\
/*!50003 DROP PROCEDURE IF EXISTS `p` */;\n\
DELIMITER ;;\n\
CREATE DEFINER=`root`@`127.0.0.1` PROCEDURE `p`()\n\
SELECT 1\n\
;;\n\
DELIMITER ;\n";
    let with = DUMP.replace(
        "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;",
        &format!("{code}/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;"),
    );
    let s = scan_str(&with).unwrap();
    let what: Vec<&str> = s.definer_code.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(what, ["trigger", "procedure"]);
    // A trigger on a table the dump does not create is not the tool's.
    let bad = with.replace("ON c FOR EACH ROW", "ON leads FOR EACH ROW");
    assert!(refused_at(&bad).1.contains("trigger on `leads`"));
    assert!(
        refused_at(&with.replacen("DELIMITER ;;", "DELIMITER //", 1))
            .1
            .contains("DELIMITER")
    );
}
