//! Path metrics of a cluster's network: betweenness and closeness need
//! shortest paths between all pairs, which for a cluster of thousands of
//! organizations takes longer than a request should wait. Two ways:
//!
//! - `GET /api/v1/clusters/{id}/paths?period=P&epsilon=E`: betweenness
//!   estimated from sampled shortest paths (Riondato–Kornaropoulos), with
//!   the guarantee stated in the answer (every value within ε with
//!   probability 1 − δ), in about a second for 10,000 organizations at the
//!   default ε.
//! - `POST /api/v1/clusters/{id}/paths?period=P`: exact betweenness and
//!   closeness (equal to NetworkX's `betweenness_centrality` and
//!   `closeness_centrality`) as a background job; the answer is the job
//!   (`202 Accepted`), whose state and progress `GET /api/v1/jobs/{n}` tells
//!   until it is `done` and carries the result. Asking again at the same
//!   register version returns the same job (or its result).
//!
//! The questions are answered by [`weaver_service::path_metrics`] (who may
//! ask is who may have the cluster's network analysed; a job is readable
//! by admins and by everyone whose view of the cluster is the job's); this
//! module parses the requests, runs a job's steps with a heartbeat and
//! renders the answers.

use std::time::Duration;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_service::path_metrics::{ExactRun, SampledParams};
use weaver_store::Job;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

type ClusterPath = Result<Path<String>, axum::extract::rejection::PathRejection>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SampledQuery {
    period: Option<String>,
    epsilon: Option<f64>,
    delta: Option<f64>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExactQuery {
    period: Option<String>,
}

/// `GET /api/v1/clusters/{id}/paths`: sampled betweenness with its guarantee.
pub(crate) async fn sampled(
    State(state): State<AppState>,
    caller: Caller,
    cluster: ClusterPath,
    q: Result<Query<SampledQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = cluster?;
    let Query(q) = q?;
    let params = SampledParams {
        epsilon: q.epsilon,
        delta: q.delta,
        seed: q.seed,
    };
    let answer = weaver_service::path_metrics::sampled(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
        params,
    )
    .await?;
    Ok(Json(json!(answer)))
}

/// The JSON of a job: its state, and its result once done.
fn job_json(job: &Job) -> Value {
    let mut v = json!(job);
    v["url"] = json!(format!("/api/v1/jobs/{}", job.id));
    if let Some(r) = &job.result {
        v["result"] = serde_json::from_str(r).unwrap_or(Value::Null);
    }
    v
}

/// `POST /api/v1/clusters/{id}/paths`: exact path metrics as a background job.
pub(crate) async fn exact(
    State(state): State<AppState>,
    caller: Caller,
    cluster: ClusterPath,
    q: Result<Query<ExactQuery>, QueryRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let Path(cluster) = cluster?;
    let Query(q) = q?;
    let (job, run) = weaver_service::path_metrics::exact_job(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
    )
    .await?;
    if let Some(run) = run {
        tokio::spawn(self::run(state.clone(), job.id, run));
    }
    let status = if job.status == "done" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((status, Json(job_json(&job))))
}

/// Runs a blocking computation, refreshing the job's sign of life meanwhile.
async fn with_heartbeat<T: Send + 'static>(
    state: &AppState,
    id: i64,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let _ = state.store.job_progress(id, what).await;
    let mut handle = tokio::task::spawn_blocking(f);
    let mut beat = tokio::time::interval(Duration::from_secs(30));
    beat.tick().await;
    loop {
        tokio::select! {
            r = &mut handle => return r.map_err(|e| e.to_string()),
            _ = beat.tick() => { let _ = state.store.job_progress(id, what).await; }
        }
    }
}

/// The job: exact betweenness, then closeness
/// ([`weaver_service::path_metrics::ExactRun`]); the result is kept in the
/// job.
async fn run(state: AppState, id: i64, run: ExactRun) {
    let outcome = async {
        let r = run.clone();
        let bc = with_heartbeat(&state, id, ExactRun::BETWEENNESS_STEP, move || {
            r.betweenness()
        })
        .await?
        .map_err(|e| e.to_string())?;
        let r = run.clone();
        let cl = with_heartbeat(&state, id, ExactRun::CLOSENESS_STEP, move || r.closeness())
            .await?
            .map_err(|e| e.to_string())?;
        serde_json::to_string(&run.answer(&bc, &cl)).map_err(|e| e.to_string())
    }
    .await;
    let done = match &outcome {
        Ok(v) => state.store.job_finish(id, Ok(v)).await,
        Err(e) => {
            tracing::error!(job = id, error = %e, "path metrics job failed");
            state.store.job_finish(id, Err(e)).await
        }
    };
    if let Err(e) = done {
        tracing::error!(job = id, error = %e, "could not record the end of a job");
    }
}

/// `GET /api/v1/jobs/{n}`: a job's state, and its result once done.
pub(crate) async fn job(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> ApiResult<Json<Value>> {
    let Path(id) = id.map_err(|r| {
        ApiError::bad_request(format!("a job is named by its number: {}", r.body_text()))
    })?;
    let job = weaver_service::path_metrics::job(&state.store, &caller.principal, id).await?;
    Ok(Json(job_json(&job)))
}
