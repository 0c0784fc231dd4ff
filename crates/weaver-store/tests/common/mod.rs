//! What the store's suites share: a runtime and a fresh register on each
//! backend that is available.

use weaver_store::Store;

/// A single-threaded runtime for one test.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A fresh, empty register on each backend that is available: SQLite in a
/// temporary file, and PostgreSQL in a new database named after `prefix`
/// (give it to `weaver_testkit::drop_postgres` at the end).
pub async fn registers(prefix: &str) -> Vec<(Store, Option<String>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("reg.db").display());
    let mut out = vec![(Store::open(&url).await.unwrap(), None, dir)];
    if let Some((url, db)) = weaver_testkit::fresh_postgres(prefix).await {
        let store = Store::open(&url).await.unwrap();
        out.push((store, Some(db), tempfile::tempdir().unwrap()));
    }
    out
}
