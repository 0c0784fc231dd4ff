//! A register whose lock another writer holds: `weaver import` says so
//! plainly, exits non-zero and imports nothing.

use sqlx::{Connection, Executor};

mod common;
use common::{text, weaver, write};

#[test]
fn an_import_into_a_register_another_writer_holds_says_so_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(p, "one/programmes.csv", b"id,name\np1,Torch\n");
    write(p, "two/programmes.csv", b"id,name\np2,Poles\n");
    let o = weaver(p, &["import", "one"]);
    assert!(o.status.success(), "{}", text(&o));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut other = rt.block_on(async {
        let mut c = sqlx::SqliteConnection::connect_with(
            &sqlx::sqlite::SqliteConnectOptions::new().filename(p.join("weaver.db")),
        )
        .await
        .unwrap();
        c.execute("BEGIN IMMEDIATE").await.unwrap();
        c
    });
    let o = weaver(p, &["--busy-timeout-ms", "200", "import", "two"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("another import or write"), "{t}");
    assert!(t.contains("try again"), "{t}");
    assert_eq!(t.matches("locked").count(), 1, "said once: {t}");
    rt.block_on(async {
        other.execute("ROLLBACK").await.unwrap();
        other.close().await.unwrap();
    });
    // Nothing of the second package went in; once free, it imports.
    let o = weaver(p, &["export", "out"]);
    assert!(o.status.success(), "{}", text(&o));
    let programmes = std::fs::read_to_string(p.join("out/programmes.csv")).unwrap();
    assert!(
        programmes.contains("p1") && !programmes.contains("p2"),
        "{programmes}"
    );
    let o = weaver(p, &["import", "two"]);
    assert!(o.status.success(), "{}", text(&o));
}
