//! The fold on small schemas, offline: each class of refusal, and guards judged on the path.

use super::*;
use crate::mautic::effects::parse_effects;
use crate::mautic::guards::parse_guard;

fn schema(sql: &str) -> Schema {
    let mut s = crate::sql::parse_schema_sql(sql, &|_| false).schema;
    crate::dialect::normalize_schema(&mut s, &ServerInfo::unknown());
    s
}

fn world(prefix: &str) -> World {
    World {
        prefix: prefix.into(),
        server: ServerInfo::parse("10.11.6-MariaDB"),
        foreign_keys_elsewhere: vec![],
        others: Schema::default(),
    }
}

/// Fold migrations given as (version, guard, effects.tsv rows without the version column).
fn run(live: &Schema, migrations: &[(&str, &str, &str)], w: &World) -> Path {
    let effects: Vec<Vec<Effect>> = migrations
        .iter()
        .map(|(v, _, rows)| {
            let tsv: String = rows.lines().map(|l| format!("{v}\t{l}\n")).collect();
            parse_effects(&tsv)
        })
        .collect();
    let guards: Vec<Guard> = migrations.iter().map(|(_, g, _)| parse_guard(g)).collect();
    let steps: Vec<Step> = migrations
        .iter()
        .enumerate()
        .map(|(i, (v, _, _))| Step {
            version: v,
            guard: &guards[i],
            effects: &effects[i],
        })
        .collect();
    fold(live, &steps, w, Keep::EachStep)
}

fn errors(p: &Path) -> Vec<String> {
    p.blockers()
        .map(|(w, b)| {
            format!(
                "{} {}",
                w.version,
                error_text(b.refusal.error, b.refusal.errno)
            )
        })
        .collect()
}

const LEADS: &str = "CREATE TABLE mt_leads (id INT UNSIGNED NOT NULL AUTO_INCREMENT, email VARCHAR(191) DEFAULT NULL, PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;";

#[test]
fn a_guard_made_true_by_an_earlier_migration_of_the_run_skips() {
    let live = schema(LEADS);
    let add = "1\tadd_column\tleads\tnick\t`nick` VARCHAR(64) DEFAULT NULL\tALTER TABLE leads ADD nick VARCHAR(64) DEFAULT NULL";
    // Today the column is missing, so judged on today's schema the guard does not hold; on
    // the path the first migration has added it.
    let p = run(
        &live,
        &[("1", "none", add), ("2", "column_exists leads.nick", add)],
        &world("mt_"),
    );
    assert!(p.walked[1].skipped(), "{:?}", p.walked[1]);
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // Without the guard the second ADD meets the first one's column: 1060.
    let p = run(
        &live,
        &[("1", "none", add), ("2", "none", add)],
        &world("mt_"),
    );
    assert_eq!(errors(&p), ["2 1060"]);
    let b = p.blockers().next().unwrap().1;
    assert_eq!(b.refusal.object, "column mt_leads.nick");
    assert!(b.refusal.fix.contains("DROP COLUMN `nick`"), "{b:?}");
    assert!(b.statement.contains("ADD nick"));
}

#[test]
fn existence_refusals() {
    let live = schema(&format!(
        "{LEADS} CREATE TABLE mt_focus (id INT NOT NULL, PRIMARY KEY(id), INDEX focus_name (id));"
    ));
    let cases: &[(&str, &str)] = &[
        (
            "1\tcreate_table\tfocus\t\tCREATE TABLE focus (id INT NOT NULL, PRIMARY KEY(id))\tCREATE TABLE focus\n2\tadd_column\tfocus\tx\t`x` INT\tALTER TABLE focus ADD x INT",
            "1050",
        ),
        ("1\tdrop_table\tgone\t\t\tDROP TABLE gone", "1051"),
        (
            "1\tadd_column\tgone\tx\t`x` INT\tALTER TABLE gone ADD x INT",
            "1146",
        ),
        (
            "1\tmodify_column\tleads\tnope\t`nope` INT\tALTER TABLE leads CHANGE nope nope INT",
            "1054",
        ),
        (
            "1\tadd_column\tleads\temail\t`email` INT\tALTER TABLE leads ADD email INT",
            "1060",
        ),
        (
            "1\tadd_index\tfocus\tfocus_name\tINDEX focus_name (id)\tCREATE INDEX focus_name ON focus (id)",
            "1061",
        ),
        (
            "1\tdrop_index\tleads\tnope\t\tDROP INDEX nope ON leads",
            "1091",
        ),
        (
            "1\tdrop_column\tleads\tnope\t\tALTER TABLE leads DROP nope",
            "1091",
        ),
        (
            "1\tdrop_foreign_key\tleads\tFK_1\t\tALTER TABLE leads DROP FOREIGN KEY FK_1",
            "1091",
        ),
        (
            "1\tadd_index\tleads\tx_idx\tINDEX x_idx (nope)\tCREATE INDEX x_idx ON leads (nope)",
            "1072",
        ),
    ];
    // A second statement not yet applied: a migration whose every effect is there already is
    // "already done" (apply records it), not a failure.
    let pending = "\n2\tadd_column\tleads\tzz\t`zz` INT\tALTER TABLE leads ADD zz INT";
    for (row, want) in cases {
        let p = run(
            &live,
            &[("9", "none", &format!("{row}{pending}"))],
            &world("mt_"),
        );
        assert_eq!(errors(&p), [format!("9 {want}")], "{row}");
    }
    // The same statements where nothing is in the way.
    let p = run(
        &live,
        &[(
            "9",
            "none",
            "1\tadd_index\tleads\temail_idx\tINDEX email_idx (email)\tCREATE INDEX email_idx ON leads (email)\n2\tdrop_index\tleads\temail_idx\t\tDROP INDEX email_idx ON leads",
        )],
        &world("mt_"),
    );
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
}

#[test]
fn foreign_key_refusals() {
    let live = schema(&format!(
        "{LEADS} CREATE TABLE mt_notes (id INT NOT NULL, lead_id INT DEFAULT NULL, signed_id INT DEFAULT NULL, PRIMARY KEY(id));"
    ));
    let fk = |cols: &str, parent: &str, pcols: &str| {
        format!(
            "1\tadd_foreign_key\tnotes\tFK_N1\tCONSTRAINT FK_N1 FOREIGN KEY ({cols}) REFERENCES {parent} ({pcols})\tALTER TABLE notes ADD CONSTRAINT FK_N1 ..."
        )
    };
    // lead_id is signed, leads.id unsigned: errno 150.
    let p = run(
        &live,
        &[("9", "none", &fk("lead_id", "leads", "id"))],
        &world("mt_"),
    );
    assert_eq!(errors(&p), ["9 1005 (errno 150)"]);
    let p = run(
        &live,
        &[("9", "none", &fk("id", "gone", "id"))],
        &world("mt_"),
    );
    assert_eq!(errors(&p), ["9 1005 (errno 150)"]);
    // No index on leads.email.
    let mut with_email = live.clone();
    with_email.tables.get_mut("mt_notes").unwrap().columns[1] =
        live.tables["mt_leads"].columns[1].clone();
    with_email.tables.get_mut("mt_notes").unwrap().columns[1].name = "lead_id".into();
    let p = run(
        &with_email,
        &[("9", "none", &fk("lead_id", "leads", "email"))],
        &world("mt_"),
    );
    assert_eq!(errors(&p), ["9 1005 (errno 150)"]);
    assert!(
        p.walked[0].blockers[0].refusal.why.contains("no index"),
        "{:?}",
        p.walked[0]
    );
    // Matching types and an index: fine; the name taken by a table of another install: 121.
    let ok = fk("id", "leads", "id");
    let p = run(
        &with_email,
        &[(
            "9",
            "none",
            &ok.replace("FOREIGN KEY (id)", "FOREIGN KEY (lead_id)"),
        )],
        &world("mt_"),
    );
    assert_eq!(
        errors(&p),
        ["9 1005 (errno 150)"],
        "lead_id is a varchar here"
    );
    let mut unsigned = live.clone();
    unsigned.tables.get_mut("mt_notes").unwrap().columns[1]
        .ty
        .unsigned = true;
    let p = run(
        &unsigned,
        &[("9", "none", &fk("lead_id", "leads", "id"))],
        &world("mt_"),
    );
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // Constraint names are the database's: another install's table may hold this one.
    let mut w = world("");
    w.foreign_keys_elsewhere = vec![("fk_n1".into(), "old_notes".into())];
    let unprefixed = schema(&format!(
        "{LEADS} CREATE TABLE mt_notes (id INT NOT NULL, lead_id INT UNSIGNED DEFAULT NULL, PRIMARY KEY(id));"
    ).replace("mt_", ""));
    let p = run(
        &unprefixed,
        &[("9", "none", &fk("lead_id", "leads", "id"))],
        &w,
    );
    assert_eq!(errors(&p), ["9 1005 (errno 121)"]);
    assert_eq!(
        p.walked[0].blockers[0].refusal.object,
        "foreign key FK_N1 on old_notes"
    );
}

#[test]
fn key_limits_follow_the_path() {
    let compact = "CREATE TABLE mt_pages (id INT NOT NULL, title VARCHAR(255) DEFAULT NULL, body LONGTEXT, PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPACT;";
    let live = schema(compact);
    let idx = "1\tadd_index\tpages\ttitle_idx\tINDEX title_idx (title)\tCREATE INDEX title_idx ON pages (title)";
    let p = run(&live, &[("9", "none", idx)], &world("mt_"));
    assert_eq!(errors(&p), ["9 1709"]);
    assert!(
        p.walked[0].blockers[0]
            .refusal
            .fix
            .contains("ROW_FORMAT=DYNAMIC")
    );
    // A pending migration that narrows the column first: the index fits on the path.
    let narrow = "1\tmodify_column\tpages\ttitle\t`title` VARCHAR(191) DEFAULT NULL\tALTER TABLE pages CHANGE title title VARCHAR(191) DEFAULT NULL";
    let p = run(
        &live,
        &[("8", "none", narrow), ("9", "none", idx)],
        &world("mt_"),
    );
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    let p = run(
        &schema(&compact.replace(" ROW_FORMAT=COMPACT", "")),
        &[("9", "none", idx)],
        &world("mt_"),
    );
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // Each part within 767 bytes: InnoDB takes the key on COMPACT rows too (3072 in all).
    let live = schema(&compact.replace(
        "title VARCHAR(255)",
        "title VARCHAR(191), slug VARCHAR(191)",
    ));
    let two = "1\tadd_index\tpages\tts_idx\tINDEX ts_idx (title, slug)\tCREATE INDEX ts_idx ON pages (title, slug)";
    assert!(errors(&run(&live, &[("9", "none", two)], &world("mt_"))).is_empty());
    let wide = schema(
        "CREATE TABLE mt_pages (id INT NOT NULL, a VARCHAR(500), b VARCHAR(500), PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4;",
    );
    let ab =
        "1\tadd_index\tpages\tab_idx\tINDEX ab_idx (a, b)\tCREATE INDEX ab_idx ON pages (a, b)";
    assert_eq!(
        errors(&run(&wide, &[("9", "none", ab)], &world("mt_"))),
        ["9 1071"]
    );
    let blob = "1\tadd_index\tpages\tbody_idx\tINDEX body_idx (body)\tCREATE INDEX body_idx ON pages (body)";
    let p = run(&live, &[("9", "none", blob)], &world("mt_"));
    assert_eq!(errors(&p), ["9 1170"]);
}

#[test]
fn a_linked_column_changed_alone() {
    let live = schema(&format!(
        "{LEADS} CREATE TABLE mt_notes (id INT NOT NULL, lead_id INT UNSIGNED DEFAULT NULL, PRIMARY KEY(id), INDEX IDX_L (lead_id), CONSTRAINT FK_L FOREIGN KEY (lead_id) REFERENCES mt_leads (id));"
    ));
    let child = "1\tmodify_column\tnotes\tlead_id\t`lead_id` BIGINT UNSIGNED DEFAULT NULL\tALTER TABLE notes CHANGE lead_id lead_id BIGINT UNSIGNED DEFAULT NULL";
    let parent = "1\tmodify_column\tleads\tid\t`id` BIGINT UNSIGNED AUTO_INCREMENT NOT NULL\tALTER TABLE leads CHANGE id id BIGINT UNSIGNED AUTO_INCREMENT NOT NULL";
    assert_eq!(
        errors(&run(&live, &[("9", "none", child)], &world("mt_"))),
        ["9 1832"]
    );
    assert_eq!(
        errors(&run(&live, &[("9", "none", parent)], &world("mt_"))),
        ["9 1833"]
    );
    // Nullability alone is no type change.
    let same = child.replace("BIGINT UNSIGNED DEFAULT NULL", "INT UNSIGNED NOT NULL");
    assert!(errors(&run(&live, &[("9", "none", &same)], &world("mt_"))).is_empty());
}

#[test]
fn unknown_effects_and_data_with_ddl_are_said() {
    let live = schema(LEADS);
    let p = run(
        &live,
        &[
            (
                "1",
                "none",
                "1\tunknown\t\t\tnot extracted: the harness cannot build it\t",
            ),
            (
                "2",
                "none",
                "1\tadd_column\tleads\tuuid\t`uuid` CHAR(36) DEFAULT NULL\tALTER TABLE leads ADD uuid CHAR(36)\n1\tdata\tleads\t\tchanges rows\tUPDATE leads SET uuid = UUID()",
            ),
        ],
        &world("mt_"),
    );
    assert_eq!(
        p.walked[0].unjudged,
        ["not extracted: the harness cannot build it"]
    );
    // ALTER TABLE's AFTER is read past.
    let after = "1\tadd_column\tleads\tnick\t`nick` LONGTEXT NULL DEFAULT NULL AFTER `email`\tALTER TABLE leads ADD nick LONGTEXT NULL DEFAULT NULL AFTER email";
    let p2 = run(&live, &[("3", "none", after)], &world("mt_"));
    assert!(p2.walked[0].unjudged.is_empty(), "{:?}", p2.walked[0]);
    assert!(p2.end.tables["mt_leads"].column("nick").is_some());
    assert!(!p.walked[0].ddl);
    assert!(p.walked[1].ddl && p.walked[1].data);
    assert!(p.end.tables["mt_leads"].column("uuid").is_some());
}

#[test]
fn statements_the_server_version_refuses() {
    let live = schema(LEADS);
    let rename = "1\tunknown\tleads\t\tunrecognised ALTER TABLE clause: RENAME INDEX `a` TO `b`\tALTER TABLE leads RENAME INDEX a TO b";
    let mut w = world("mt_");
    w.server = ServerInfo::parse("10.4.30-MariaDB");
    assert_eq!(
        errors(&run(&live, &[("9", "none", rename)], &w)),
        ["9 1064"]
    );
    w.server = ServerInfo::parse("10.5.2-MariaDB");
    assert!(errors(&run(&live, &[("9", "none", rename)], &w)).is_empty());
    w.server = ServerInfo::parse("5.6.51");
    let json = "1\tmodify_column\tleads\temail\t`email` JSON DEFAULT NULL\tALTER TABLE `leads` CHANGE `email` `email` JSON DEFAULT NULL";
    let p = run(&live, &[("9", "none", json)], &w);
    assert_eq!(errors(&p), ["9 1064"]);
    assert!(
        p.walked[0].blockers[0].refusal.fix.contains("MySQL 5.7.8"),
        "{p:?}"
    );
}

#[test]
fn an_index_of_the_same_name_on_other_columns_is_in_the_way() {
    let live = schema(
        "CREATE TABLE dnc (id INT NOT NULL, reason INT, channel VARCHAR(191), channel_id INT, PRIMARY KEY(id), INDEX dnc_idx (reason, channel));",
    );
    let add = "1\tadd_index\tdnc\tdnc_idx\tINDEX dnc_idx (channel, channel_id)\tCREATE INDEX dnc_idx ON dnc (channel, channel_id)";
    assert_eq!(
        errors(&run(&live, &[("9", "none", add)], &world(""))),
        ["9 1061"]
    );
    // The same definition under that name: applied but not recorded.
    let same = schema(
        "CREATE TABLE dnc (id INT NOT NULL, reason INT, channel VARCHAR(191), channel_id INT, PRIMARY KEY(id), INDEX dnc_idx (channel, channel_id));",
    );
    let p = run(&same, &[("9", "none", add)], &world(""));
    assert!(p.walked[0].already_done && errors(&p).is_empty(), "{p:?}");
}

/// Every statement of the bundled effects.tsv that changes the schema is read by the fold (an
/// unread one would leave the model behind and make later statements look wrong).
#[test]
fn every_bundled_definition_is_read() {
    let w = world("");
    let unread: Vec<String> = crate::mautic::effects::effects()
        .iter()
        .filter(|e| {
            matches!(
                e.op,
                EffectOp::CreateTable
                    | EffectOp::AddColumn
                    | EffectOp::ModifyColumn
                    | EffectOp::AddIndex
                    | EffectOp::AddForeignKey
            )
        })
        .filter(|e| apply::parsed(e, None, &w).is_err())
        .map(|e| format!("{} {}: {}", e.version, e.describe(), e.definition))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}

/// 6.0's Version20211020114811 converts every table of the database that is not in
/// utf8mb4_unicode_ci, the install's or not: a utf8 table of another application whose
/// VARCHAR(255) key no longer fits its COMPACT rows stops it.
#[test]
fn a_migration_that_walks_every_table_is_judged_on_each() {
    let live = schema(LEADS);
    let mut w = world("mt_");
    w.others = schema(
        "CREATE TABLE wp_posts (id INT NOT NULL, title VARCHAR(255), PRIMARY KEY(id), INDEX t (title)) DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci ROW_FORMAT=COMPACT; \
         CREATE TABLE wp_ok (id INT NOT NULL, title VARCHAR(255), PRIMARY KEY(id), INDEX t (title)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;",
    );
    let v = "20211020114811";
    let p = run(
        &live,
        &[(
            v,
            "none",
            "1\tdata\t\t\tchanges rows\tSET FOREIGN_KEY_CHECKS=0",
        )],
        &w,
    );
    assert_eq!(errors(&p), [format!("{v} 1709")]);
    let (_, b) = p.blockers().next().unwrap();
    assert!(
        b.statement
            .starts_with("ALTER TABLE wp_posts CONVERT TO CHARACTER SET utf8mb4"),
        "{b:?}"
    );
    // The same table on DYNAMIC rows takes the longer key.
    w.others = schema(
        "CREATE TABLE wp_posts (id INT NOT NULL, title VARCHAR(255), PRIMARY KEY(id), INDEX t (title)) DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci;",
    );
    assert!(
        errors(&run(
            &live,
            &[(v, "none", "1\tdata\t\t\tchanges rows\tX")],
            &w
        ))
        .is_empty()
    );
}

/// The server refuses to convert a text column a foreign key links, on either side, even under
/// FOREIGN_KEY_CHECKS=0 (MariaDB 10.11: a 2.x-born site's email_stats.copy_id →
/// email_copies.id, both utf8mb3, stops 6.0's conversion): one refusal per side; the integer
/// keys of the same tables are no refusal.
#[test]
fn the_walk_is_refused_on_a_text_column_a_foreign_key_links() {
    let live = schema(
        "CREATE TABLE mt_email_copies (id VARCHAR(32) NOT NULL, PRIMARY KEY(id)) DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci; \
         CREATE TABLE mt_emails (id INT NOT NULL, PRIMARY KEY(id)) DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci; \
         CREATE TABLE mt_email_stats (id INT NOT NULL, email_id INT, copy_id VARCHAR(32), PRIMARY KEY(id), INDEX c (copy_id), INDEX e (email_id), \
           CONSTRAINT FK_COPY FOREIGN KEY (copy_id) REFERENCES mt_email_copies (id), \
           CONSTRAINT FK_EMAIL FOREIGN KEY (email_id) REFERENCES mt_emails (id)) DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;",
    );
    let v = "20211020114811";
    let p = run(
        &live,
        &[(v, "none", "1\tdata\t\t\tchanges rows\tX")],
        &world("mt_"),
    );
    assert_eq!(errors(&p), [format!("{v} 1832"), format!("{v} 1833")]);
    let statements: Vec<&str> = p.blockers().map(|(_, b)| b.statement.as_str()).collect();
    assert!(
        statements[0].starts_with("ALTER TABLE mt_email_stats CONVERT"),
        "{statements:?}"
    );
    assert!(
        statements[1].starts_with("ALTER TABLE mt_email_copies CONVERT"),
        "{statements:?}"
    );
    let (_, b) = p.blockers().next().unwrap();
    assert!(
        b.refusal.fix.contains("DROP FOREIGN KEY `FK_COPY`"),
        "{:?}",
        b.refusal
    );
    // Already in utf8mb4_unicode_ci on both sides: nothing to convert, nothing refused.
    let done = schema(
        "CREATE TABLE mt_email_copies (id VARCHAR(32) NOT NULL, PRIMARY KEY(id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci; \
         CREATE TABLE mt_email_stats (id INT NOT NULL, copy_id VARCHAR(32), PRIMARY KEY(id), INDEX c (copy_id), \
           CONSTRAINT FK_COPY FOREIGN KEY (copy_id) REFERENCES mt_email_copies (id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;",
    );
    let p = run(
        &done,
        &[(v, "none", "1\tdata\t\t\tchanges rows\tX")],
        &world("mt_"),
    );
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
}

/// A CREATE TABLE naming no character set takes the database's default collation (the
/// fold's `server.database_collation`), columns and table; one naming its own keeps it.
#[test]
fn a_table_created_without_a_charset_takes_the_database_default() {
    let live = schema(LEADS);
    let mut w = world("mt_");
    w.server.database_collation = Some("latin1_swedish_ci".into());
    let p = run(
        &live,
        &[(
            "20180406233027",
            "none",
            "1\tcreate_table\tuser_tokens\t\tCREATE TABLE `user_tokens` (`id` int NOT NULL, `secret` varchar(120) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB\tX\n\
             2\tcreate_table\tother\t\tCREATE TABLE `other` (`id` int NOT NULL, `name` varchar(120) NOT NULL, PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci\tX",
        )],
        &w,
    );
    let t = p.end.table("mt_user_tokens").unwrap();
    assert_eq!(t.options.collation.as_deref(), Some("latin1_swedish_ci"));
    assert_eq!(t.options.charset.as_deref(), Some("latin1"));
    assert_eq!(
        t.column("secret").unwrap().collation.as_deref(),
        Some("latin1_swedish_ci")
    );
    assert_eq!(t.column("id").unwrap().collation, None);
    let o = p.end.table("mt_other").unwrap();
    assert_eq!(
        o.column("name").unwrap().collation.as_deref(),
        Some("utf8mb4_unicode_ci")
    );
}
