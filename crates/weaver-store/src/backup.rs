//! Backup and restore of a SQLite register: a consistent snapshot taken
//! while the register is in use (`VACUUM INTO`), and a restore that replaces
//! every table's rows in one transaction, so that a running server sees the
//! register either before or after, never half. PostgreSQL has its own tools
//! (`pg_dump`, `pg_restore`); the messages say how.

use std::path::Path;

use sqlx::Connection;

use crate::sql::assert_safe;
use crate::{Backend, Store, StoreError};

/// The platform's own tables, in an order that respects their references.
const PLATFORM_TABLES: &[&str] = &[
    "users",
    "user_scopes",
    "sessions",
    "api_tokens",
    "one_time_links",
    "login_failures",
    "audit_log",
    "campaigns",
    "campaign_indicators",
    "campaign_clusters",
    "frozen_results",
    "tie_confirmations",
    "organization_clusters",
    "tie_clusters",
    "jobs",
];

/// How to back up and restore a PostgreSQL register.
pub const POSTGRES_ROUTE: &str = "for PostgreSQL, use its own tools: \
    `pg_dump --format=custom --file=weaver.dump URL` to back up and \
    `pg_restore --clean --if-exists --dbname=URL weaver.dump` to restore";

fn sqlite_literal(path: &Path) -> Result<String, StoreError> {
    let text = path
        .to_str()
        .ok_or_else(|| StoreError::Invalid(format!("{} is not a UTF-8 path", path.display())))?;
    Ok(format!("'{}'", text.replace('\'', "''")))
}

impl Store {
    /// Writes a consistent snapshot of the whole register (and its accounts
    /// and audit log) to a new SQLite file at `path`.
    pub async fn backup(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Invalid(POSTGRES_ROUTE.to_owned()));
        }
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; a backup never overwrites a file",
                path.display()
            )));
        }
        sqlx::query(assert_safe(format!(
            "VACUUM INTO {}",
            sqlite_literal(path)?
        )))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces everything the register holds with the snapshot at `path`
    /// (made by [`Store::backup`]; an older snapshot is first brought up to
    /// the current schema), in one transaction.
    pub async fn restore(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Invalid(POSTGRES_ROUTE.to_owned()));
        }
        if !path.is_file() {
            return Err(StoreError::Invalid(format!(
                "there is no backup file at {}",
                path.display()
            )));
        }
        // Open the snapshot as a register: this checks that it is one and
        // applies any migration it lacks.
        let url = format!("sqlite://{}?mode=rw", path.display());
        let snapshot = Store::open(&url).await.map_err(|e| {
            StoreError::Invalid(format!("{} is not a Weaver backup: {e}", path.display()))
        })?;
        snapshot.close().await;

        let mut conn = self.pool.acquire().await?;
        sqlx::query(assert_safe(format!(
            "ATTACH DATABASE {} AS snapshot",
            sqlite_literal(path)?
        )))
        .execute(&mut *conn)
        .await?;
        let tables: Vec<&str> = weaver_core::schema::TABLES
            .iter()
            .map(|t| t.name)
            .chain(PLATFORM_TABLES.iter().copied())
            .collect();
        let result = async {
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            // The search indexes are copied with the rows, not kept up row by row.
            sqlx::query("UPDATE search_state SET enabled = 0")
                .execute(&mut *tx)
                .await?;
            // (The search indexes are copied too, after the rows.)
            let search: Vec<&str> = crate::sql::SEARCH_INDEXES.iter().map(|s| s.1).collect();
            for t in tables.iter().rev().chain(&search) {
                sqlx::query(assert_safe(format!("DELETE FROM main.{t}")))
                    .execute(&mut *tx)
                    .await?;
            }
            for t in tables.iter().chain(&search) {
                sqlx::query(assert_safe(format!(
                    "INSERT INTO main.{t} SELECT * FROM snapshot.{t}"
                )))
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE search_state SET enabled = 1")
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM engine_cache")
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE register_state SET version = version + 1 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await;
        sqlx::query("DETACH DATABASE snapshot")
            .execute(&mut *conn)
            .await?;
        result?;
        self.pages.changed();
        Ok(())
    }
}
