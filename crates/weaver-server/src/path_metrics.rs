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
//! by admins and by everyone whose view of the cluster is the job's). The
//! handlers are in `routes/clusters.rs` (`sampled`, `exact`) and
//! `routes/jobs.rs`; this module runs a job's steps with a heartbeat.

use std::time::Duration;

use serde_json::{Value, json};
use weaver_service::path_metrics::ExactRun;
use weaver_store::Job;

use crate::AppState;
use crate::answers::JobAnswer;

/// A job as the API answers it: its state, and its result once done.
pub(crate) fn job_answer(job: &Job) -> JobAnswer {
    JobAnswer {
        job: job.clone(),
        url: format!("/api/v1/jobs/{}", job.id),
        result: job
            .result
            .as_ref()
            .map(|r| serde_json::from_str(r).unwrap_or(Value::Null)),
    }
}

/// The JSON of a job: [`job_answer`].
pub(crate) fn job_json(job: &Job) -> Value {
    json!(job_answer(job))
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
pub(crate) async fn run(state: AppState, id: i64, run: ExactRun) {
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
