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
//! Who may ask is who may have the cluster's network analysed (see
//! [`crate::engines::network_access`]); a job is readable by admins and by
//! everyone whose view of the cluster is the job's.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_network::{
    BetweennessOptions, ClosenessOptions, SampledBetweennessOptions, betweenness,
    betweenness_sampled, closeness,
};
use weaver_store::{ClusterNetwork, Job, JobKey, NetworkScope};

use crate::AppState;
use crate::auth::Caller;
use crate::engines::{graph_of, network_access, num};
use crate::error::{ApiError, ApiResult};

type ClusterPath = Result<Path<String>, axum::extract::rejection::PathRejection>;

/// Bounds of ε: below 0.02 the sample grows past what a request should
/// compute (use the exact job); above 0.5 the estimate says nothing.
const EPSILON_RANGE: (f64, f64) = (0.02, 0.5);

/// Bounds of δ: the sample grows with ln(1/δ), so that below 0.001 it buys
/// little certainty for much work (and at δ → 0 it overflows); above 0.5 the
/// guarantee is a coin toss.
const DELTA_RANGE: (f64, f64) = (0.001, 0.5);

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

fn scope_name(scope: NetworkScope) -> &'static str {
    match scope {
        NetworkScope::All => "all",
        NetworkScope::Shared => "shared",
    }
}

fn failed(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "path metrics failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the path metrics failed; it has been logged",
    )
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
    let epsilon = q.epsilon.unwrap_or(0.05);
    if !(EPSILON_RANGE.0..=EPSILON_RANGE.1).contains(&epsilon) {
        return Err(ApiError::bad_request(format!(
            "epsilon must be between {} and {} (smaller errors: POST the same path for exact values \
             computed as a background job), not {epsilon}",
            EPSILON_RANGE.0, EPSILON_RANGE.1
        )));
    }
    let delta = q.delta.unwrap_or(0.1);
    if !(DELTA_RANGE.0..=DELTA_RANGE.1).contains(&delta) {
        return Err(ApiError::bad_request(format!(
            "delta (the probability that some value is off by more than epsilon) must be \
             between {} and {}, not {delta}",
            DELTA_RANGE.0, DELTA_RANGE.1
        )));
    }
    let who = &caller.principal;
    let scope = network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let view = state
        .store
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
        .await?;
    let options = SampledBetweennessOptions {
        epsilon,
        delta,
        seed: q.seed.unwrap_or(0),
        ..SampledBetweennessOptions::default()
    };
    let body = tokio::task::spawn_blocking(move || -> Result<Value, String> {
        let (g, weighted) = graph_of(&view).map_err(|e| e.to_string())?;
        // Weighted ties: paths of length 1 / weight, as the exact job uses.
        let options = SampledBetweennessOptions {
            weighted_paths: weighted,
            ..options
        };
        let est = betweenness_sampled(&g, &options).map_err(|e| e.to_string())?;
        let nodes: Vec<Value> = view
            .organizations
            .iter()
            .zip(&est.values)
            .map(|(o, b)| json!({"id": o.id, "name": o.name, "betweenness": num(*b)}))
            .collect();
        Ok(json!({
            "cluster": view.cluster, "period": view.period,
            "method": "sampled",
            "weighted_paths": weighted,
            "epsilon": num(est.epsilon_normalized),
            "epsilon_pairs": num(est.epsilon),
            "delta": num(est.delta),
            "samples": est.samples,
            "vertex_diameter_bound": est.vertex_diameter_bound,
            "seed": options.seed,
            "guarantee": format!(
                "with probability at least {:.3}, every betweenness value is within {:.4} of the exact \
                 normalized value (Riondato & Kornaropoulos 2016)",
                1.0 - est.delta, est.epsilon_normalized
            ),
            "nodes": nodes,
        }))
    })
    .await
    .map_err(failed)?
    .map_err(|e| ApiError::bad_request(format!("the cluster's network: {e}")))?;
    Ok(Json(body))
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
    let who = &caller.principal;
    let scope = network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let period = q.period.clone().unwrap_or_default();
    let version = state.store.register_version().await?;
    let key = JobKey {
        kind: "paths",
        cluster: &cluster,
        period: &period,
        scope: scope_name(scope),
        version,
    };
    let (job, new) = state.store.job_for(key, who.user_id).await?;
    if new {
        let view = state
            .store
            .cluster_network_in(&cluster, q.period.as_deref(), scope)
            .await?;
        tokio::spawn(run(state.clone(), job.id, view));
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

/// The job: exact betweenness, then closeness; the result is kept in the job.
async fn run(state: AppState, id: i64, view: ClusterNetwork) {
    let outcome = async {
        let (g, weighted) = graph_of(&view).map_err(|e| e.to_string())?;
        let g = Arc::new(g);
        let g1 = Arc::clone(&g);
        let bc = with_heartbeat(&state, id, "betweenness (step 1 of 2)", move || {
            betweenness(
                &g1,
                &BetweennessOptions {
                    weighted_paths: weighted,
                    ..BetweennessOptions::default()
                },
            )
        })
        .await?;
        let g2 = Arc::clone(&g);
        let cl = with_heartbeat(&state, id, "closeness (step 2 of 2)", move || {
            closeness(
                &g2,
                &ClosenessOptions {
                    weighted_paths: weighted,
                    ..ClosenessOptions::default()
                },
            )
        })
        .await?;
        let nodes: Vec<Value> = view
            .organizations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({"id": o.id, "name": o.name, "betweenness": num(bc[i]), "closeness": num(cl[i])})
            })
            .collect();
        Ok::<Value, String>(json!({
            "cluster": view.cluster, "period": view.period, "method": "exact",
            "weighted_paths": weighted, "nodes": nodes,
        }))
    }
    .await;
    let done = match &outcome {
        Ok(v) => state.store.job_finish(id, Ok(&v.to_string())).await,
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
    let who = &caller.principal;
    let job = state.store.job(id).await?;
    if !who.is_admin() {
        // The same view of the cluster, or nothing: not told apart from a missing job.
        let hidden = || ApiError::not_found(format!("there is no job {id}"));
        let period = (!job.period.is_empty()).then_some(job.period.as_str());
        let scope = network_access(&state, who, &job.cluster, period)
            .await
            .map_err(|_| hidden())?;
        if scope_name(scope) != job.scope {
            return Err(hidden());
        }
    }
    Ok(Json(job_json(&job)))
}
