//! `weaver restore` of what is not a Weaver backup: refused at once, with
//! the register and the file left as they were.

use sqlx::{Connection, Executor};

mod common;
use common::{text, weaver, write};

#[test]
fn restoring_an_empty_or_unrelated_sqlite_file_is_refused_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(p, "pkg/programmes.csv", b"id,name\np1,Torch\n");
    assert!(weaver(p, &["import", "pkg"]).status.success());
    let o = weaver(
        p,
        &[
            "user",
            "add",
            "--email",
            "admin@example.org",
            "--role",
            "admin",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for (file, sql) in [
            ("empty.db", "VACUUM"),
            (
                "other.db",
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)",
            ),
        ] {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(p.join(file))
                .create_if_missing(true);
            let mut c = sqlx::SqliteConnection::connect_with(&options)
                .await
                .unwrap();
            c.execute(sql).await.unwrap();
            c.close().await.unwrap();
        }
    });
    write(p, "notes.txt", b"not a database at all\n");
    let users = text(&weaver(p, &["user", "list"]));
    assert!(users.contains("admin@example.org"), "{users}");
    for file in ["empty.db", "other.db", "notes.txt"] {
        let before = std::fs::read(p.join(file)).unwrap();
        let o = weaver(p, &["restore", file, "--yes"]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{file}: {t}");
        assert!(t.contains("is not a Weaver backup"), "{file}: {t}");
        assert_eq!(
            std::fs::read(p.join(file)).unwrap(),
            before,
            "{file} was modified"
        );
        assert_eq!(text(&weaver(p, &["user", "list"])), users, "{file}");
    }
    let o = weaver(p, &["export", "out"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        std::fs::read_to_string(p.join("out/programmes.csv"))
            .unwrap()
            .contains("p1")
    );
}
