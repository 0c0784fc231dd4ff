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
//! everyone whose view of the cluster is the job's. The handlers are in
//! `routes/clusters.rs` (`sampled`, `exact`) and `routes/jobs.rs`; this
//! module runs the background job.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use weaver_network::{BetweennessOptions, ClosenessOptions, betweenness, closeness};
use weaver_store::{ClusterNetwork, Job, NetworkScope};

use crate::AppState;
use crate::engines::{graph_of, num};

/// Bounds of ε: below 0.02 the sample grows past what a request should
/// compute (use the exact job); above 0.5 the estimate says nothing.
pub(crate) const EPSILON_RANGE: (f64, f64) = (0.02, 0.5);

/// Bounds of δ: the sample grows with ln(1/δ), so that below 0.001 it buys
/// little certainty for much work (and at δ → 0 it overflows); above 0.5 the
/// guarantee is a coin toss.
pub(crate) const DELTA_RANGE: (f64, f64) = (0.001, 0.5);

pub(crate) fn scope_name(scope: NetworkScope) -> &'static str {
    match scope {
        NetworkScope::All => "all",
        NetworkScope::Shared => "shared",
    }
}

/// The JSON of a job: its state, and its result once done.
pub(crate) fn job_json(job: &Job) -> Value {
    let mut v = json!(job);
    v["url"] = json!(format!("/api/v1/jobs/{}", job.id));
    if let Some(r) = &job.result {
        v["result"] = serde_json::from_str(r).unwrap_or(Value::Null);
    }
    v
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
pub(crate) async fn run(state: AppState, id: i64, view: ClusterNetwork) {
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
