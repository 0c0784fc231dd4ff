//! The register's version (a counter every change bumps) and the cache of
//! engine results computed at a version. The cache lives in the database, so
//! every server process shares it, and a result computed before a change is
//! never served after it. (Pages of lists and the principals of credentials
//! are cached in memory instead, `memory_cache.rs`.)

use crate::accounts::now_text;
use crate::{Store, StoreError};

/// The statement that bumps the register's version.
pub(crate) const BUMP_VERSION: &str =
    "UPDATE register_state SET version = version + 1 WHERE id = 1";

/// Bumps the register's version inside the transaction of a change.
pub(crate) async fn bump_version(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    sqlx::query(BUMP_VERSION).execute(&mut *conn).await?;
    Ok(())
}

/// Most results the cache keeps; the oldest go first.
pub const MAX_CACHED: i64 = 2_000;

impl Store {
    /// The register's version: it changes with every change to the register.
    pub async fn register_version(&self) -> Result<i64, StoreError> {
        let v: i64 = sqlx::query_scalar("SELECT version FROM register_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(v)
    }

    /// The register's version as the page cache sees it: read from the
    /// database at most every [`crate::memory_cache::VERSION_TRUSTED_FOR`], and at
    /// once after a change this store made.
    pub(crate) async fn current_version(&self) -> Result<i64, StoreError> {
        if let Some(v) = self.pages.known_version() {
            return Ok(v);
        }
        let generation = self.pages.generation();
        let at = std::time::Instant::now();
        let v = self.register_version().await?;
        self.pages.learned(generation, v, at);
        Ok(v)
    }

    /// Commits a change to the register: bumps its version in the change's
    /// transaction, commits, and tells the page cache.
    pub(crate) async fn commit_change(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
    ) -> Result<(), StoreError> {
        bump_version(&mut tx).await?;
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }

    /// A cached result of `kind` for a cluster and period, if it was computed
    /// at `version`: the result and when it was computed.
    pub async fn cached(
        &self,
        kind: &str,
        cluster: &str,
        period: &str,
        version: i64,
    ) -> Result<Option<(String, String)>, StoreError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT body, computed_at FROM engine_cache \
             WHERE kind = $1 AND cluster = $2 AND period = $3 AND version = $4",
        )
        .bind(kind)
        .bind(cluster)
        .bind(period)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// Keeps a result computed at `version`, replacing an older one.
    pub async fn cache(
        &self,
        kind: &str,
        cluster: &str,
        period: &str,
        version: i64,
        body: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM engine_cache WHERE kind = $1 AND cluster = $2 AND period = $3")
            .bind(kind)
            .bind(cluster)
            .bind(period)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO engine_cache (kind, cluster, period, version, computed_at, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(kind)
        .bind(cluster)
        .bind(period)
        .bind(version)
        .bind(now_text())
        .bind(body)
        .execute(&mut *tx)
        .await?;
        // Results of older versions are never served again: drop them. And
        // keep the cache bounded whatever the variety of requests (each
        // ranking's settings are a key of their own).
        sqlx::query("DELETE FROM engine_cache WHERE version < $1")
            .bind(version)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM engine_cache WHERE computed_at < ( \
               SELECT computed_at FROM engine_cache ORDER BY computed_at DESC LIMIT 1 OFFSET $1)",
        )
        .bind(MAX_CACHED)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
