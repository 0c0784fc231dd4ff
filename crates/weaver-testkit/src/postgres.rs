//! A fresh PostgreSQL database per test on the server named by
//! `WEAVER_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`),
//! dropped afterwards.
//!
//! Where no PostgreSQL answers, the PostgreSQL half of a test prints a
//! SKIPPED line — unless `WEAVER_REQUIRE_PG` or `CI` is set, as in
//! `.ci/run`, where it fails.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL server's URL the test databases are made on.
pub fn admin_url() -> String {
    std::env::var("WEAVER_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Whether this run must test PostgreSQL (no skipping).
pub fn postgres_required() -> bool {
    std::env::var_os("WEAVER_REQUIRE_PG").is_some() || std::env::var_os("CI").is_some()
}

/// A new, empty database named `{prefix}_{pid}_{n}_{nanos}`: its URL and
/// its name, or `None` (after a SKIPPED line) when no server answers and
/// none is required.
///
/// # Panics
/// When PostgreSQL is required and does not answer, or the database cannot
/// be created.
pub async fn fresh_postgres(prefix: &str) -> Option<(String, String)> {
    sqlx::any::install_default_drivers();
    let admin = admin_url();
    let mut conn = match sqlx::AnyConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) if postgres_required() => {
            panic!("PostgreSQL is required here but {admin} does not answer: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED the PostgreSQL half of this test: {admin} does not answer ({e})");
            return None;
        }
    };
    let name = format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    let _ = conn.close().await;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some((format!("{base}/{name}"), name))
}

/// Drops a database made by [`fresh_postgres`] (nothing for `None`).
///
/// # Panics
/// When the server does not answer or the database cannot be dropped.
pub async fn drop_postgres(name: Option<String>) {
    if let Some(name) = name {
        let mut conn = sqlx::AnyConnection::connect(&admin_url())
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL to drop {name}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot drop the test database {name}: {e}"));
    }
}
