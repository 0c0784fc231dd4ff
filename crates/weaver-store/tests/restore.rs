//! `Store::restore` (SQLite; PostgreSQL is restored with its own tools):
//! only a Weaver backup is restored, one of a newer schema is refused, and
//! the backup file is never modified, whatever it holds.

use std::path::Path;

use sqlx::{Connection, Executor};
use weaver_core::enums::Role;
use weaver_store::Store;

#[allow(dead_code)]
mod common;
use common::rt;

/// A register with one account and one programme.
async fn register(dir: &Path, name: &str) -> Store {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = Store::open(&url).await.unwrap();
    store
        .create_user("admin@example.org", None, Role::Admin, None)
        .await
        .unwrap();
    let mut b = weaver_core::PackageBuilder::new("p");
    let header = vec!["id".to_owned(), "name".to_owned()];
    let mut t = b.table("programmes", "programmes.csv", &header).unwrap();
    t.push_row(2, &["p1".to_owned(), "Torch".to_owned()]);
    let pkg = b.finish(&|_, _| false).unwrap();
    store
        .import(
            &pkg,
            &weaver_store::ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .await
        .unwrap();
    store
}

/// A SQLite file made with `sql`, by another program.
async fn sqlite_file(path: &Path, sql: &'static str) {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    conn.execute(sql).await.unwrap();
    conn.close().await.unwrap();
}

async fn users(store: &Store) -> usize {
    store.users().await.unwrap().len()
}

#[test]
fn what_is_not_a_weaver_backup_is_refused_at_once_and_left_as_it_was() {
    rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let store = register(d, "reg.db").await;
        // A good backup, then one claiming a migration from the future.
        store.backup(&d.join("good.db")).await.unwrap();
        std::fs::copy(d.join("good.db"), d.join("newer.db")).unwrap();
        sqlite_file(
            &d.join("newer.db"),
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
             VALUES (9999, 'future', '2030-01-01', 1, x'00', 0)",
        )
        .await;
        std::fs::copy(d.join("good.db"), d.join("altered.db")).unwrap();
        sqlite_file(&d.join("altered.db"), "UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 1").await;
        sqlite_file(&d.join("empty.db"), "VACUUM").await;
        sqlite_file(&d.join("other.db"), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)").await;
        std::fs::write(d.join("text.db"), "id,name\np1,Torch\n").unwrap();
        std::fs::write(d.join("zero.db"), b"").unwrap();
        for (file, says) in [
            ("empty.db", "not a Weaver backup"),
            ("other.db", "no _sqlx_migrations table"),
            ("text.db", "not a SQLite database file"),
            ("zero.db", "not a SQLite database file"),
            ("altered.db", "schema version 1 differs"),
            ("newer.db", "a backup of a newer Weaver (schema version 9999"),
        ] {
            let path = d.join(file);
            let before = std::fs::read(&path).unwrap();
            let err = store.restore(&path).await.unwrap_err().to_string();
            assert!(err.contains(says), "{file}: {err}");
            assert_eq!(std::fs::read(&path).unwrap(), before, "{file} was modified");
            assert!(!d.join(format!("{file}-wal")).exists(), "{file}");
            assert_eq!(users(&store).await, 1, "{file}");
            assert_eq!(store.total_rows().await.unwrap(), 1, "{file}");
        }
        // The good one restores, and is left as it was too.
        let before = std::fs::read(d.join("good.db")).unwrap();
        store
            .create_user("late@example.org", None, Role::Admin, None)
            .await
            .unwrap();
        store.restore(&d.join("good.db")).await.unwrap();
        assert_eq!(std::fs::read(d.join("good.db")).unwrap(), before);
        assert_eq!(users(&store).await, 1);
        assert_eq!(store.total_rows().await.unwrap(), 1);
        store.close().await;
    });
}

#[test]
fn a_backup_of_an_older_schema_is_brought_up_to_date_in_a_copy() {
    rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // A register of the first two migrations only, as an older Weaver made it.
        let old = d.join("old.db");
        let mut migrator = sqlx::migrate::Migrator::new(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite"),
        )
        .await
        .unwrap();
        assert!(migrator.migrations.len() > 2);
        migrator.migrations = migrator.migrations[..2].to_vec().into();
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&old)
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
        migrator.run(&mut conn).await.unwrap();
        conn.execute("INSERT INTO programmes (id, name, visibility) VALUES ('p9', 'Old programme', 'public')")
            .await
            .unwrap();
        conn.close().await.unwrap();
        let before = std::fs::read(&old).unwrap();

        let store = register(d, "reg.db").await;
        store.restore(&old).await.unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), before, "the backup was migrated in place");
        assert_eq!(store.total_rows().await.unwrap(), 1);
        assert_eq!(store.ids(weaver_core::schema::table("programmes").unwrap()).await.unwrap(), ["p9".to_owned()].into());
        assert_eq!(users(&store).await, 0);
        store.close().await;
    });
}
