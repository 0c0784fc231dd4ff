//! A cluster's analyses: `/clusters/{id}/…`, one route per analysis.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_network::{CascadeOptions, SampledBetweennessOptions, betweenness_sampled};
use weaver_store::{JobKey, NetworkScope};

use crate::AppState;
use crate::analyses::{
    CASCADE_BUDGET, COMPARE_BETWEENNESS_LIMIT, MAX_CASCADE_RUNS, MAX_WHAT_IF, answer, check_period,
    from_cache, to_cache,
};
use crate::auth::Caller;
use crate::engines::{
    analyse, brokerage_of, cached_network_analysis, graph_of, network_access, num,
    recommendations_of,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::path_metrics::{DELTA_RANGE, EPSILON_RANGE, job_json, run, scope_name};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(network))
        .routes(routes!(brokerage))
        .routes(routes!(recommendations))
        .routes(routes!(openness))
        .routes(routes!(diffusion))
        .routes(routes!(labels))
        .routes(routes!(compare))
        .routes(routes!(sampled, exact))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
}

/// `GET /api/v1/clusters/{id}/network?period=`: the metrics that need no
/// all-pairs shortest paths and the Leiden communities
/// ([`crate::engines::analyse`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/network",
    tag = "clusters",
    summary = "A cluster's network in a period: degree, strength, PageRank, clustering, core number, component, Leiden communities, summary; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "success"))
)]
pub(crate) async fn network(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    cached_network_analysis(&state, &caller, &cluster, "network", period, analyse).await
}

/// `GET /api/v1/clusters/{id}/brokerage?period=`: Gould–Fernandez roles by
/// actor type ([`crate::engines::brokerage_of`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/brokerage",
    tag = "clusters",
    summary = "Gould–Fernandez brokerage roles of a cluster's members by actor type in a period; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "success"))
)]
pub(crate) async fn brokerage(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    cached_network_analysis(&state, &caller, &cluster, "brokerage", period, brokerage_of).await
}

/// `GET /api/v1/clusters/{id}/recommendations?period=`: who should meet
/// whom, with reasons ([`crate::engines::recommendations_of`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/recommendations",
    tag = "clusters",
    summary = "Who in a cluster should meet whom, with reasons; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "success"))
)]
pub(crate) async fn recommendations(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    let kind = "recommendations";
    cached_network_analysis(&state, &caller, &cluster, kind, period, recommendations_of).await
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/openness",
    tag = "clusters",
    summary = "The openness of a cluster's network in a period by actor type and by region: external and internal ties, E-I index, share of ties across groups; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/clusters/{id}/openness?period=`: the openness of the
/// cluster's network by actor type and by region (E-I index, share of
/// ties across groups), as [`weaver_service::network::cluster_openness`]
/// gives it; the network's readers, cached as the network is.
pub(crate) async fn openness(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    cached_network_analysis(
        &state,
        &caller,
        &cluster,
        "openness",
        q.period.as_deref(),
        |view| Ok(json!(weaver_service::network::cluster_openness(view)?)),
    )
    .await
}

// ---------------------------------------------------------------- diffusion

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DiffusionQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// Monte Carlo runs (default 1000).
    runs: Option<usize>,
    /// transmission probability of a tie (default 0.1).
    probability: Option<f64>,
    /// seed of the runs (default 0).
    seed: Option<u64>,
    /// add the K best recommended ties and report the spread after.
    what_if: Option<usize>,
    /// a tie of weight w transmits with 1 − (1 − p)^w.
    weighted: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/diffusion",
    tag = "clusters",
    summary = "Knowledge spillover as an independent cascade: each member's expected spread as a seed, ranked; with what_if K, the spread after the K best recommended ties; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), DiffusionQuery),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/clusters/{id}/diffusion?period=&runs=&probability=&seed=&what_if=&weighted=`.
pub(crate) async fn diffusion(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<DiffusionQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let runs = q.runs.unwrap_or(1_000);
    if !(1..=MAX_CASCADE_RUNS).contains(&runs) {
        return Err(ApiError::bad_request(format!(
            "runs must be between 1 and {MAX_CASCADE_RUNS}, not {runs}"
        )));
    }
    let probability = q.probability.unwrap_or(0.1);
    if !(0.0..=1.0).contains(&probability) {
        return Err(ApiError::bad_request(format!(
            "probability must be between 0 and 1, not {probability}"
        )));
    }
    let what_if = q.what_if.unwrap_or(0);
    if what_if > MAX_WHAT_IF {
        return Err(ApiError::bad_request(format!(
            "what_if must be between 0 and {MAX_WHAT_IF} recommended ties, not {what_if}"
        )));
    }
    let options = CascadeOptions {
        probability,
        weighted: q.weighted.unwrap_or(false),
        runs,
        seed: q.seed.unwrap_or(0),
    };
    let who = &caller.principal;
    let scope = crate::engines::network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let period = q.period.clone().unwrap_or_default();
    let kind = format!(
        "diffusion:{runs}:{probability}:{}:{what_if}:{}{}",
        options.seed,
        options.weighted,
        if scope == NetworkScope::Shared {
            ":shared"
        } else {
            ""
        }
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, &period, version).await? {
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
        .await?;
    let params = weaver_service::diffusion::DiffusionParams {
        cascade: options,
        what_if,
        max_work: Some(CASCADE_BUDGET),
    };
    let answer = answer("the diffusion", move || {
        weaver_service::diffusion::of_view(&view, &params)
    })
    .await?;
    let v = json!(answer);
    Ok(Json(
        to_cache(&state, &kind, &cluster, &period, version, v).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompareQuery {
    /// the first period: 2024, 2024-Q3 or 2024-07.
    before: String,
    /// the second period.
    after: String,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/compare",
    tag = "clusters",
    summary = "A cluster's network in two periods compared: entrants and exits, each member's centralities before and after, each tie's change; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), CompareQuery),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/clusters/{id}/compare?before=2020&after=2024`: the
/// cluster's network in two periods compared — entrants and exits, each
/// member's degree, strength, PageRank and betweenness before and after,
/// each tie's change — as `weaver network compare --cluster ID` gives it
/// ([`weaver_service::network::compare`]); the network's readers, cached
/// as the network is.
pub(crate) async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<CompareQuery>,
) -> ApiResult<Json<Value>> {
    let who = &caller.principal;
    let scope =
        crate::engines::network_access(&state, who, &cluster, Some(q.before.as_str())).await?;
    crate::engines::network_access(&state, who, &cluster, Some(q.after.as_str())).await?;
    let kind = format!(
        "compare:{}{}",
        q.after,
        if scope == NetworkScope::Shared {
            ":shared"
        } else {
            ""
        }
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, &q.before, version).await? {
        return Ok(Json(v));
    }
    let before = state
        .store
        .cluster_network_in(&cluster, Some(&q.before), scope)
        .await?;
    let after = state
        .store
        .cluster_network_in(&cluster, Some(&q.after), scope)
        .await?;
    let answer = answer("the comparison", move || {
        let graph = |v: &weaver_store::ClusterNetwork| {
            weaver_service::network::GraphInput::of(v)
                .graph()
                .map_err(|e| weaver_service::ServiceError::invalid(e.to_string()))
        };
        weaver_service::network::compare(
            &graph(&before)?,
            &graph(&after)?,
            COMPARE_BETWEENNESS_LIMIT,
        )
        .map_err(|e| weaver_service::ServiceError::invalid(e.to_string()))
    })
    .await?;
    let mut v = json!(answer);
    v["cluster"] = json!(cluster);
    v["before"] = json!(q.before);
    v["after"] = json!(q.after);
    Ok(Json(
        to_cache(&state, &kind, &cluster, &q.before, version, v).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/labels",
    tag = "clusters",
    summary = "The ECCP cluster-profile criteria checked on the cluster's register in a period",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/clusters/{id}/labels?period=`: the ECCP profile criteria
/// ([`weaver_evaluation::labels::ECCP_PROFILE`]) checked on the cluster's
/// profile as the register has it in the period
/// ([`weaver_service::labels::cluster_labels`]).
pub(crate) async fn labels(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let answer = weaver_service::labels::cluster_labels(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
    )
    .await?;
    Ok(Json(json!(answer)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SampledQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// error bound (default 0.05).
    epsilon: Option<f64>,
    /// failure probability (default 0.1).
    delta: Option<f64>,
    /// seed of the sample (default 0).
    seed: Option<u64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExactQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/paths",
    tag = "clusters",
    summary = "Betweenness of a cluster's network in a period, estimated from sampled shortest paths (Riondato–Kornaropoulos), with its guarantee",
    params(("id" = String, Path, description = "the cluster's id"), SampledQuery),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/clusters/{id}/paths`: sampled betweenness with its guarantee.
pub(crate) async fn sampled(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<SampledQuery>,
) -> ApiResult<Json<Value>> {
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
    .map_err(|e| ApiError::internal("compute the path metrics", e))?
    .map_err(|e| ApiError::bad_request(format!("the cluster's network: {e}")))?;
    Ok(Json(body))
}

#[utoipa::path(
    post,
    path = "/clusters/{id}/paths",
    tag = "clusters",
    summary = "Exact betweenness and closeness of a cluster's network in a period, as a background job: 202 with the job, or 200 with the finished job and its result",
    params(("id" = String, Path, description = "the cluster's id"), ExactQuery),
    responses((status = 202, description = "success"))
)]
/// `POST /api/v1/clusters/{id}/paths`: exact path metrics as a background job.
pub(crate) async fn exact(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<ExactQuery>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
