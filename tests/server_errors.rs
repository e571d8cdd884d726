//! The server's error number travels with every database error, so decisions match numbers,
//! not message words (which differ by server, version and `lc_messages`). Real server.

mod common;

use common::TestDb;
use mautic_schema::dialect::ServerError;

#[tokio::test]
async fn errors_carry_the_servers_number() {
    let t = TestDb::new("srverr");
    t.exec("CREATE TABLE p (id INT PRIMARY KEY) ENGINE=InnoDB; CREATE TABLE c (id INT PRIMARY KEY, p BIGINT) ENGINE=InnoDB");
    let mut db = t.connect().await;
    let cases: &[(&str, ServerError)] = &[
        ("SELECT * FROM no_such_table", ServerError::NoSuchTable),
        (
            "ALTER TABLE p ADD COLUMN id INT",
            ServerError::DuplicateColumn,
        ),
        (
            "ALTER TABLE p DROP INDEX nope",
            ServerError::CantDropFieldOrKey,
        ),
        (
            "ALTER TABLE p MODIFY id BIGINT, ALGORITHM=INSTANT",
            ServerError::AlterOperationNotSupportedReason,
        ),
        ("SELEKT 1", ServerError::Syntax),
    ];
    for (sql, want) in cases {
        let e = db.execute(sql).await.unwrap_err();
        assert_eq!(e.server_error(), Some(*want), "{sql}: {e}");
        assert_eq!(e.code(), Some(want.number()), "{sql}");
    }
    // A foreign key InnoDB cannot make: 1005, errno 150 (the types differ).
    let e = db
        .execute("ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id)")
        .await
        .unwrap_err();
    assert!(e.is(ServerError::CannotCreateTable), "{e}");
    assert_eq!(e.errno(), Some(150), "{e}");
    // A lost connection or our own refusal has no number.
    let none = mautic_schema::db::DbError::Query {
        doing: "x".into(),
        reason: "y".into(),
        code: None,
    };
    assert_eq!(none.server_error(), None);
}
