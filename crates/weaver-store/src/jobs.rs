//! Background jobs: long engine runs (the path metrics of a large network)
//! that a request starts and any server process can report on. The job's
//! row is its whole state; the process that runs it refreshes `updated_at`
//! while it works, so a job whose process died is seen as stale and started
//! afresh by the next request.

use sqlx::Row;

use crate::accounts::now_text;
use crate::{Store, StoreError};

/// A job older than this without a sign of life is taken for dead.
pub const STALE_AFTER_SECONDS: i64 = 300;

/// One background job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Job {
    /// The job's number.
    pub id: i64,
    /// What it computes (e.g. `paths`).
    pub kind: String,
    /// The cluster.
    pub cluster: String,
    /// The period (empty: all periods).
    pub period: String,
    /// Whose view of the cluster: `all` or `shared`.
    pub scope: String,
    /// The register version the job reads.
    pub version: i64,
    /// Who asked.
    pub requested_by: Option<i64>,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// What the job is doing, for people.
    pub progress: String,
    /// When it was asked for.
    pub created_at: String,
    /// Its last sign of life.
    pub updated_at: String,
    /// The result (JSON text) once done.
    #[serde(skip)]
    pub result: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

const COLUMNS: &str = "id, kind, cluster, period, scope, version, requested_by, status, \
    progress, created_at, updated_at, result, error";

fn job_from(r: &sqlx::any::AnyRow) -> Result<Job, StoreError> {
    Ok(Job {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        cluster: r.try_get(2)?,
        period: r.try_get(3)?,
        scope: r.try_get(4)?,
        version: r.try_get(5)?,
        requested_by: r.try_get(6)?,
        status: r.try_get(7)?,
        progress: r.try_get(8)?,
        created_at: r.try_get(9)?,
        updated_at: r.try_get(10)?,
        result: r.try_get(11)?,
        error: r.try_get(12)?,
    })
}

/// Whether a time written by [`now_text`] is more than `seconds` ago.
fn older_than(at: &str, seconds: i64) -> bool {
    match humantime::parse_rfc3339(at) {
        Ok(t) => std::time::SystemTime::now()
            .duration_since(t)
            .is_ok_and(|d| d.as_secs() > seconds.unsigned_abs()),
        Err(_) => true,
    }
}

/// Identifies what a job computes: the same key at the same version gives
/// the same result.
#[derive(Debug, Clone, Copy)]
pub struct JobKey<'a> {
    /// What it computes.
    pub kind: &'a str,
    /// The cluster.
    pub cluster: &'a str,
    /// The period (empty: all).
    pub period: &'a str,
    /// Whose view.
    pub scope: &'a str,
    /// The register version.
    pub version: i64,
}

impl Store {
    /// The job for `key`: one already done or alive at that version, or a
    /// new queued one (then `true`), which the caller must run.
    pub async fn job_for(&self, key: JobKey<'_>, user: i64) -> Result<(Job, bool), StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(crate::sql::assert_safe(format!(
            "SELECT {COLUMNS} FROM jobs WHERE kind = $1 AND cluster = $2 AND period = $3 \
             AND scope = $4 AND version = $5 ORDER BY id DESC"
        )))
        .bind(key.kind)
        .bind(key.cluster)
        .bind(key.period)
        .bind(key.scope)
        .bind(key.version)
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let job = job_from(r)?;
            let alive = matches!(job.status.as_str(), "queued" | "running")
                && !older_than(&job.updated_at, STALE_AFTER_SECONDS);
            if job.status == "done" || alive {
                return Ok((job, false));
            }
        }
        let now = now_text();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (kind, cluster, period, scope, version, requested_by, status, \
             progress, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'queued', 'waiting to start', $7, $7) RETURNING id",
        )
        .bind(key.kind)
        .bind(key.cluster)
        .bind(key.period)
        .bind(key.scope)
        .bind(key.version)
        .bind(user)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((self.job(id).await?, true))
    }

    /// One job by its number.
    pub async fn job(&self, id: i64) -> Result<Job, StoreError> {
        let row = sqlx::query(crate::sql::assert_safe(format!(
            "SELECT {COLUMNS} FROM jobs WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            table: "jobs",
            id: id.to_string(),
        })?;
        job_from(&row)
    }

    /// Records that a job is running and what it is doing (also its sign of life).
    pub async fn job_progress(&self, id: i64, progress: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE jobs SET status = 'running', progress = $1, updated_at = $2 \
             WHERE id = $3 AND status IN ('queued', 'running')",
        )
        .bind(progress)
        .bind(now_text())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a job's end: its result, or why it failed.
    pub async fn job_finish(&self, id: i64, outcome: Result<&str, &str>) -> Result<(), StoreError> {
        let (status, result, error, progress) = match outcome {
            Ok(body) => ("done", Some(body), None, "done"),
            Err(why) => ("failed", None, Some(why), "failed"),
        };
        sqlx::query(
            "UPDATE jobs SET status = $1, result = $2, error = $3, progress = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(status)
        .bind(result)
        .bind(error)
        .bind(progress)
        .bind(now_text())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
