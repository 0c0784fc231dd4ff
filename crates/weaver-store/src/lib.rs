//! Weaver's register: the store of clusters, organizations, memberships,
//! governance, projects, funding, ties, indicators, observations and regional
//! activity, in SQLite (the default: a file, created on first use, WAL mode,
//! foreign keys on) or PostgreSQL (when the URL says `postgres://`).
//!
//! SQL lives here alone. Both backends are reached through sqlx's `Any`
//! driver with one set of queries (`$N` placeholders, primitive types only);
//! each backend has its own folder of numbered migrations, applied on open.
//! See `docs/adr/0001-two-backends.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), weaver_store::StoreError> {
//! let store = weaver_store::Store::open("sqlite://weaver.db").await?;
//! for (table, rows) in store.counts().await? {
//!     println!("{table}: {rows}");
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod access;
mod accounts;
mod audit;
mod backup;
mod campaigns;
mod directory;
mod import;
mod jobs;
mod league;
mod memory_cache;
mod observations;
mod outbox;
mod profile;
mod reach;
mod recorded;
mod records;
mod result_cache;
mod schemas;
mod scoped_import;
mod sql;
mod sqlite_bulk;
mod validity;
mod views;

use std::collections::{HashMap, HashSet};

use std::str::FromStr;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use weaver_core::TableData;
use weaver_core::schema::{self, TableSchema};

// What the evaluation commands read (`Store::evaluation_facts`).
pub use views::{
    ClusterFacts, DatedTieFact, EvaluationFacts, FundingFact, MembershipFact, ProgrammeClusterFact,
    ProgrammeFact, ProjectFact,
};

pub use access::{Principal, WriteKind};
pub use accounts::{
    LinkPurpose, LoginLimits, LoginRefused, ScopeKind, User, normalize_email, now_text, today,
};
pub use audit::AuditEntry;
pub use backup::POSTGRES_ROUTE;
pub use campaigns::{Campaign, ClusterStatus, NewCampaign, TieToConfirm, may_close};
pub use directory::{CurrentMember, DirectoryCluster, DirectoryFacts};
pub use import::{ImportOptions, ImportReport, TableReport};
pub use jobs::{Job, JobKey, STALE_AFTER_SECONDS};
pub use league::{ExchangeRate, IndicatorUnit, MoneyObservation};
pub use memory_cache::{MAX_CACHED_ROWS, VERSION_TRUSTED_FOR};
pub use observations::{
    DEFAULT_JUMP_FACTOR, Finding, IndicatorChecks, MAX_JUMP_WARNINGS, TemplateHint,
};
pub use outbox::{
    LANGUAGES, Message, NewMessage, Notification, OutboxEntry, ResetLimits, RetryPolicy, STATUSES,
    check_language,
};
pub use profile::MemberCounts;
pub use reach::{ClusterLinks, ClusterNode, ClusterReach, OutsideTie, Partner, PartnerOrg};
pub use records::{API_SOURCE, Bound, ListQuery, MAX_PAGE, Page, Record, RowKey};
pub use result_cache::MAX_CACHED;
pub use views::{
    ActivityRow, ClusterNetwork, IndicatorRow, NetworkScope, ObservationRow, OrgNode, RegionRow,
    TieEdge,
};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no backend Weaver supports.
    #[error("unsupported database URL '{0}': use sqlite://FILE or postgres://USER@HOST:PORT/DB")]
    UnsupportedUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open the database {url}: {source}")]
    Connect {
        /// The URL, without any password.
        url: String,
        /// What the driver said.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot apply the register's migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Query(sqlx::Error),
    /// The database stayed locked by another writer (an import, another
    /// process's write) for longer than the busy timeout; nothing was
    /// changed, and the same request can be tried again.
    #[error(
        "the register is busy: another import or write holds its lock (the database is locked); \
         nothing was changed, try again when it has finished"
    )]
    Busy,
    /// No row of `table` has this id.
    #[error("there is no {table} row with id '{id}'")]
    NotFound {
        /// The table.
        table: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The operation needs an empty register.
    #[error("the register already holds data ({0} rows)")]
    NotEmpty(i64),
    /// A row or request was refused with these problems; nothing was changed.
    #[error("{0}")]
    Rejected(weaver_core::Rejected),
    /// The request is not well formed (a bad filter, sort or key).
    #[error("{0}")]
    Invalid(String),
    /// The change clashes with what the register holds.
    #[error("{0}")]
    Conflict(String),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The database holds something this program did not write.
    #[error("unexpected data in the database: {0}")]
    Corrupt(String),
}

impl From<weaver_core::period::PeriodError> for StoreError {
    /// A bad period is a request that is not well formed, with the one
    /// message for it.
    fn from(e: weaver_core::period::PeriodError) -> StoreError {
        StoreError::Invalid(e.to_string())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if is_busy(&e) {
            StoreError::Busy
        } else {
            StoreError::Query(e)
        }
    }
}

/// Whether `e` says the database was locked by another writer past the
/// busy timeout (SQLite's `SQLITE_BUSY` or `SQLITE_LOCKED`, any extended
/// code), or no connection came free in time.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            db.code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| matches!(c & 0xff, 5 | 6))
                && db.message().contains("locked")
        }
        _ => false,
    }
}

/// How a register is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOptions {
    /// How long a write waits for SQLite's lock, held by another writer,
    /// before it fails with [`StoreError::Busy`] (PostgreSQL locks rows,
    /// and writers wait for each other there).
    pub busy_timeout: std::time::Duration,
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions {
            busy_timeout: std::time::Duration::from_secs(5),
        }
    }
}

/// Which database the register is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// The register, open.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: String,
    pages: std::sync::Arc<memory_cache::PageCache>,
    /// How to open a typed connection to the same SQLite file, for the
    /// import's bulk path (`None` on PostgreSQL). sqlx's `Any` connections
    /// cannot be downcast, and a typed one gives SQLite's own handle.
    sqlite: Option<SqliteConnectOptions>,
}

/// SQLite's page cache per connection, in `PRAGMA cache_size` terms
/// (negative: KiB): up to 256 MiB, taken only as used.
const SQLITE_CACHE_SIZE: &str = "-262144";

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _password)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_owned()
}

impl Store {
    /// Opens the register at `url`, creating a SQLite file on first use, and
    /// applies any migrations not yet applied.
    ///
    /// `sqlite://weaver.db` is a file in the working directory;
    /// `sqlite:///abs/path.db` an absolute path; `postgres://…` a PostgreSQL
    /// database that must exist.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, &OpenOptions::default()).await
    }

    /// Opens the register at `url` as [`Store::open`] does, with `opts`.
    pub async fn open_with(url: &str, opts: &OpenOptions) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let busy_ms = opts.busy_timeout.as_millis().min(i32::MAX as u128) as u64;
        let (backend, connect_url) = if url.starts_with("sqlite:") {
            let with_mode = if url.contains("mode=") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, with_mode)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        let connect = |source| StoreError::Connect {
            url: redact_url(url),
            source,
        };
        // SQLite in WAL mode: readers do not block one another, and a slow
        // read (a big export) should not make quick ones queue.
        let mut options = AnyPoolOptions::new().max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 8,
        });
        if backend == Backend::Sqlite {
            // SQLite's default page cache is 2,000 pages: an import of a
            // million ties then rereads index pages through the kernel on
            // every insert. Up to 256 MiB per connection, taken only as used.
            // A write waits up to the busy timeout for another writer's lock.
            options = options.after_connect(move |conn, _| {
                Box::pin(async move {
                    sqlx::query(sql::assert_safe(format!(
                        "PRAGMA cache_size = {SQLITE_CACHE_SIZE}"
                    )))
                    .execute(&mut *conn)
                    .await?;
                    sqlx::query(sql::assert_safe(format!("PRAGMA busy_timeout = {busy_ms}")))
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&connect_url).await.map_err(connect)?;
        let sqlite = match backend {
            // Foreign keys on (sqlx's default) and the same page cache as the pool's.
            Backend::Sqlite => Some(
                SqliteConnectOptions::from_str(&connect_url)
                    .map_err(connect)?
                    .foreign_keys(true)
                    .pragma("cache_size", SQLITE_CACHE_SIZE)
                    .busy_timeout(opts.busy_timeout),
            ),
            Backend::Postgres => None,
        };
        match backend {
            Backend::Sqlite => {
                // WAL is a property of the file: set once, kept by every connection.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await
                    .map_err(connect)?;
                SQLITE_MIGRATIONS.run(&pool).await?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Store {
            pool,
            backend,
            url: redact_url(url),
            pages: Default::default(),
            sqlite,
        })
    }

    /// A transaction that writes. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting for it if need be: a deferred
    /// transaction that reads and then writes fails at once with "database
    /// is locked" when another connection has written in between (its WAL
    /// snapshot is stale), which under concurrent requests and background
    /// jobs would be a server error.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL the store was opened with, without password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The connection pool, for the other crates' services in this crate.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Rows per table, in import order.
    pub async fn counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::new();
        for t in schema::TABLES {
            let n: i64 =
                sqlx::query_scalar(sql::assert_safe(format!("SELECT COUNT(*) FROM {}", t.name)))
                    .fetch_one(&self.pool)
                    .await?;
            out.push((t.name, n));
        }
        Ok(out)
    }

    /// Total rows in the register.
    pub async fn total_rows(&self) -> Result<i64, StoreError> {
        Ok(self.counts().await?.iter().map(|(_, n)| n).sum())
    }

    /// The ids of every row of an id-keyed table.
    pub async fn ids(&self, table: &TableSchema) -> Result<HashSet<String>, StoreError> {
        let ids: Vec<String> =
            sqlx::query_scalar(sql::assert_safe(format!("SELECT id FROM {}", table.name)))
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().collect())
    }

    /// The regions' boundaries (the GeoJSON document of the last package
    /// that brought them), if the register holds any. Public like the
    /// regions' default visibility: a boundary says where a region is, not
    /// what the register knows about it.
    pub async fn boundaries(&self) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT document FROM region_boundaries WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every row of every table, each table's rows sorted by key (byte order),
    /// so that the same register always exports the same files.
    pub async fn export(&self) -> Result<Vec<TableData>, StoreError> {
        let mut tables = Vec::with_capacity(schema::TABLES.len());
        match &self.sqlite {
            // On SQLite, every table read in one read transaction (one
            // snapshot of the register), stepped through SQLite's handle:
            // sqlx's row-by-row hand-over took most of an export of a
            // million ties, and held them twice over in memory.
            Some(connect) => {
                use sqlx::Connection;
                let mut conn = sqlx::SqliteConnection::connect_with(connect).await?;
                let mut tx = conn.begin().await?;
                for t in schema::TABLES {
                    let mut handle = tx.lock_handle().await?;
                    tables.push((t, sqlite_bulk::select_all(&mut handle, t)?));
                }
                tx.rollback().await?;
                conn.close().await?;
            }
            None => {
                let mut conn = self.pool.acquire().await?;
                for t in schema::TABLES {
                    tables.push((t, sql::select_all(&mut conn, t).await?));
                }
            }
        }
        Ok(sorted_tables(tables))
    }

    /// The rows `who` may read, as [`Store::export`] gives them (an admin
    /// gets the whole register), in one read transaction: each table's rows
    /// under the read rule (`access::read_condition`), then, table by table in import
    /// order, without the rows that refer to a row left out (a membership
    /// whose organization is hidden, the ties of a hidden organization). The
    /// second value says whether rows may have been left out (any caller
    /// but an admin).
    pub async fn export_readable(
        &self,
        who: &Principal,
    ) -> Result<(Vec<TableData>, bool), StoreError> {
        if who.is_admin() {
            return Ok((self.export().await?, false));
        }
        use sqlx::Connection;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let mut tables = Vec::with_capacity(schema::TABLES.len());
        let mut kept: HashMap<&str, HashSet<String>> = HashMap::new();
        for t in schema::TABLES {
            let mut sql_parts = access::SqlParts::default();
            let cond = access::read_condition(&mut sql_parts, t.name, Some(who));
            let text = format!(
                "SELECT {} FROM {} t WHERE {cond}",
                sql::column_list(t),
                t.name
            );
            let rows = records::bind_all(sqlx::query(sql::assert_safe(text)), &sql_parts.args)
                .fetch_all(&mut *tx)
                .await?;
            let mut values = Vec::with_capacity(rows.len());
            for row in &rows {
                let v: Vec<weaver_core::Value> = t
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| sql::decode(row, i, c.ty))
                    .collect::<Result<_, _>>()?;
                // A reference to a row the caller does not get leaves the row out.
                let refers_to_hidden = t.columns.iter().zip(&v).any(|(c, v)| match c.ty {
                    schema::ColumnType::Ref(targets) if !v.is_null() => {
                        let id = v.to_text();
                        !targets
                            .iter()
                            .any(|target| kept.get(target).is_some_and(|ids| ids.contains(&id)))
                    }
                    _ => false,
                });
                if !refers_to_hidden {
                    values.push(v);
                }
            }
            if t.has_id() {
                kept.insert(t.name, values.iter().map(|v| v[0].to_text()).collect());
            }
            tables.push((t, values));
        }
        tx.rollback().await?;
        Ok((sorted_tables(tables), true))
    }
}

/// Tables as [`Store::export`] gives them: each table's rows sorted by key
/// (byte order), so that the same rows always make the same files.
fn sorted_tables(
    tables: Vec<(&'static TableSchema, Vec<Vec<weaver_core::Value>>)>,
) -> Vec<TableData> {
    {
        tables
            .into_iter()
            .map(|(t, mut rows)| {
                let keys = t.key_positions();
                let order = |a: &Vec<weaver_core::Value>, b: &Vec<weaver_core::Value>| {
                    keys.iter()
                        .map(|&k| sql::sort_text(&a[k]).cmp(&sql::sort_text(&b[k])))
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                };
                if rows.len() >= weaver_core::package::PARALLEL_ROWS {
                    use rayon::slice::ParallelSliceMut;
                    rows.par_sort_by(order);
                } else {
                    rows.sort_by(order);
                }
                let n = rows.len();
                TableData {
                    schema: t,
                    present: vec![true; t.columns.len()],
                    rows,
                    origin: format!("register › {}", t.name),
                    lines: (2..n + 2).collect(),
                }
            })
            .collect()
    }
}

impl Store {
    /// Deletes every row of every table, in one transaction.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for t in schema::TABLES.iter().rev() {
            sqlx::query(sql::assert_safe(format!("DELETE FROM {}", t.name)))
                .execute(&mut *tx)
                .await?;
        }
        for t in access::RECORD_TABLES {
            sqlx::query(sql::assert_safe(format!("DELETE FROM {t}")))
                .execute(&mut *tx)
                .await?;
        }
        self.commit_change(tx).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
