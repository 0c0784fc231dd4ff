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
    "region_boundaries",
    "jobs",
    "outbox",
    "notifications",
    "reset_requests",
    "campaign_notices",
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
    /// (made by [`Store::backup`]), in one transaction.
    ///
    /// The snapshot is never modified: it is first checked read-only (a
    /// SQLite file whose migrations are Weaver's, none newer than this
    /// program's; anything else is refused at once, changing nothing), then
    /// copied, and the copy brought up to the current schema and read.
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
        check_backup(path).await?;
        let not_backup = |e: &dyn std::fmt::Display| {
            StoreError::Invalid(format!("{} is not a Weaver backup: {e}", path.display()))
        };
        let copy_dir = tempfile::tempdir().map_err(|e| {
            StoreError::Invalid(format!("cannot make a working copy of the backup: {e}"))
        })?;
        let copy = copy_dir.path().join("snapshot.db");
        std::fs::copy(path, &copy)
            .map_err(|e| StoreError::Invalid(format!("cannot copy {}: {e}", path.display())))?;
        // The copy is opened as a register: an older one gets the
        // migrations it lacks; its tables must then be all there.
        let snapshot = Store::open(&format!("sqlite://{}?mode=rw", copy.display()))
            .await
            .map_err(|e| not_backup(&e))?;
        let present: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&snapshot.pool)
                .await?;
        snapshot.close().await;
        let tables: Vec<&str> = weaver_core::schema::TABLES
            .iter()
            .map(|t| t.name)
            .chain(PLATFORM_TABLES.iter().copied())
            .collect();
        let missing: Vec<&str> = tables
            .iter()
            .copied()
            .filter(|t| !present.iter().any(|p| p == t))
            .collect();
        if !missing.is_empty() {
            return Err(not_backup(&format!(
                "it lacks the tables {}",
                missing.join(", ")
            )));
        }
        let path = copy.as_path();

        let mut conn = self.pool.acquire().await?;
        sqlx::query(assert_safe(format!(
            "ATTACH DATABASE {} AS snapshot",
            sqlite_literal(path)?
        )))
        .execute(&mut *conn)
        .await?;
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
        drop(copy_dir);
        self.pages.changed();
        Ok(())
    }
}

/// Checks, reading it only, that `path` is a Weaver backup this program
/// can restore: a SQLite file with Weaver's migrations table, every
/// migration recorded in it one of Weaver's (same checksum), none newer
/// than this program knows.
async fn check_backup(path: &Path) -> Result<(), StoreError> {
    let refuse = |why: String| {
        StoreError::Invalid(format!(
            "{} is not a Weaver backup: {why}; nothing was changed",
            path.display()
        ))
    };
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read;
        f.read(&mut head)
    });
    match read {
        Ok(16) if &head == b"SQLite format 3\0" => {}
        Ok(_) => return Err(refuse("it is not a SQLite database file".into())),
        Err(e) => return Err(refuse(format!("it cannot be read ({e})"))),
    }
    // Read-only and immutable: SQLite neither writes to the file nor makes
    // a journal or shared-memory file beside it.
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| refuse(format!("it cannot be opened as a SQLite database ({e})")))?;
    let result = async {
        let has_migrations: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|e| refuse(format!("its tables cannot be read ({e})")))?;
        if has_migrations == 0 {
            return Err(refuse(
                "it has no Weaver schema (no _sqlx_migrations table): it was not made by `weaver backup`"
                    .into(),
            ));
        }
        let applied: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await
                .map_err(|e| refuse(format!("its migrations table cannot be read ({e})")))?;
        if applied.is_empty() {
            return Err(refuse("its migrations table is empty".into()));
        }
        let known = crate::SQLITE_MIGRATIONS.iter();
        let newest = known.clone().map(|m| m.version).max().unwrap_or(0);
        for (version, checksum) in &applied {
            if *version > newest {
                return Err(StoreError::Invalid(format!(
                    "{} is a backup of a newer Weaver (schema version {version}; this program \
                     knows up to {newest}): restore it with that version or a later one; \
                     nothing was changed",
                    path.display()
                )));
            }
            match known.clone().find(|m| m.version == *version) {
                Some(m) if m.checksum.as_ref() == checksum.as_slice() => {}
                Some(_) => {
                    return Err(refuse(format!(
                        "its schema version {version} differs from Weaver's"
                    )));
                }
                None => return Err(refuse(format!("its schema version {version} is unknown"))),
            }
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}
