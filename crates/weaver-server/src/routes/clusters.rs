//! A cluster's analyses: `/clusters/{id}/…`, one route per analysis.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_network::CascadeOptions;
use weaver_store::NetworkScope;

use crate::AppState;
use crate::analyses::{
    CASCADE_BUDGET, COMPARE_BETWEENNESS_LIMIT, MAX_CASCADE_RUNS, MAX_WHAT_IF, answer, check_period,
    from_cache, to_cache,
};
use crate::auth::Caller;
use crate::engines::cached_network_analysis;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::path_metrics::job_json;
use weaver_service::path_metrics::SampledParams;
use weaver_service::structure::NetworkQuestion;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(network))
        .routes(routes!(brokerage))
        .routes(routes!(recommendations))
        .routes(routes!(openness))
        .routes(routes!(synergy))
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
/// ([`weaver_service::structure`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/network",
    tag = "clusters",
    summary = "A cluster's network in a period: degree, strength, PageRank, clustering, core number, component, Leiden communities, summary; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "the network's metrics, communities and summary, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::NetworkAnalysis>))
)]
pub(crate) async fn network(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    cached_network_analysis(&state, &caller, &cluster, NetworkQuestion::Network, period).await
}

/// `GET /api/v1/clusters/{id}/brokerage?period=`: Gould–Fernandez roles by
/// actor type ([`weaver_service::structure`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/brokerage",
    tag = "clusters",
    summary = "Gould–Fernandez brokerage roles of a cluster's members by actor type in a period; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "each member's brokerage roles, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::Brokerage>))
)]
pub(crate) async fn brokerage(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    cached_network_analysis(
        &state,
        &caller,
        &cluster,
        NetworkQuestion::Brokerage,
        period,
    )
    .await
}

/// `GET /api/v1/clusters/{id}/recommendations?period=`: who should meet
/// whom, with reasons ([`weaver_service::structure`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/recommendations",
    tag = "clusters",
    summary = "Who in a cluster should meet whom, with reasons; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), PeriodQuery),
    responses((status = 200, description = "the recommended ties with their reasons, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::Recommendations>))
)]
pub(crate) async fn recommendations(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Value>> {
    let period = q.period.as_deref();
    let question = NetworkQuestion::Recommendations;
    cached_network_analysis(&state, &caller, &cluster, question, period).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct OpennessQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// comma-separated attributes to group by: actor_type, region, country,
    /// cluster (default: all four).
    group: Option<String>,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/openness",
    tag = "clusters",
    summary = "The openness of a cluster in a period: its members' ties among themselves and to organizations outside it, E-I index of membership and by actor type, region, country and cluster with the external ties in, the outside partners by value (partners the caller may not read only counted, as undisclosed), and the members-only figures; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), OpennessQuery),
    responses((status = 200, description = "the openness, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::openness::ClusterOpenness>))
)]
/// `GET /api/v1/clusters/{id}/openness?period=&group=`: the openness of the
/// cluster with the ties beyond it ([`weaver_service::openness`]), for the
/// network's readers, cached per reader at the register's version.
pub(crate) async fn openness(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<OpennessQuery>,
) -> ApiResult<Json<Value>> {
    use weaver_service::openness::Grouping;
    let who = &caller.principal;
    let groups = Grouping::list(q.group.as_deref())?;
    let period = q.period.as_deref();
    crate::engines::network_access(&state, who, &cluster, period).await?;
    let names: Vec<&str> = groups.iter().map(|g| g.name()).collect();
    let kind = format!(
        "openness:{}:{}",
        crate::analyses::reader_key(Some(who)),
        names.join(",")
    );
    let period_key = period.unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, period_key, version).await? {
        return Ok(Json(v));
    }
    let answer =
        weaver_service::openness::openness(&state.store, who, &cluster, period, &groups).await?;
    let v = to_cache(&state, &kind, &cluster, period_key, version, json!(answer)).await?;
    Ok(Json(v))
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
    responses((status = 200, description = "each member's expected spread, ranked, and the what-if, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::diffusion::ClusterDiffusion>))
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
    responses((status = 200, description = "the two networks compared, with the periods and the cache's computed_at and cached", body = crate::answers::Cached<crate::answers::ComparisonAnswer>))
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
    let v = json!(crate::answers::ComparisonAnswer {
        comparison: answer,
        cluster: cluster.clone(),
        before: q.before.clone(),
        after: q.after.clone(),
    });
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
    responses((status = 200, description = "the cluster's profile and each criterion's outcome", body = weaver_service::labels::ClusterLabels))
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
    responses((status = 200, description = "the estimated betweenness of each member and its guarantee", body = weaver_service::path_metrics::SampledPaths))
)]
/// `GET /api/v1/clusters/{id}/paths`: sampled betweenness with its guarantee.
pub(crate) async fn sampled(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<SampledQuery>,
) -> ApiResult<Json<Value>> {
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
    let (job, run) = weaver_service::path_metrics::exact_job(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
    )
    .await?;
    if let Some(run) = run {
        tokio::spawn(crate::path_metrics::run(state.clone(), job.id, run));
    }
    let status = if job.status == "done" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((status, Json(job_json(&job))))
}

// ---------------------------------------------------------------- synergy

/// The query of [`synergy`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SynergyQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// two to four of actor_type, region, industry, size, comma-separated (default: actor_type,region,industry).
    columns: Option<String>,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/synergy",
    tag = "clusters",
    summary = "The triple-helix synergy of a cluster's members in a period: the mutual information in bits (Leydesdorff) among two to four of their attributes, with the members that have every attribute (the cluster's readers)",
    params(("id" = String, Path, description = "the cluster's id"), SynergyQuery),
    responses((status = 200, description = "success", body = weaver_service::synergy::ClusterSynergy))
)]
/// `GET /api/v1/clusters/{id}/synergy?period=&columns=`: the triple-helix
/// synergy of a cluster's members — the mutual information among two to
/// four of their attributes — as
/// [`weaver_service::synergy::cluster_synergy`] answers it (and `weaver
/// network synergy --cluster ID` prints it), for the readers of the
/// cluster's network. Cheap (one pass over the members), so not cached.
pub(crate) async fn synergy(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<SynergyQuery>,
) -> ApiResult<Json<weaver_service::synergy::ClusterSynergy>> {
    use weaver_service::synergy::{MemberAttribute, SynergyParams};
    let columns = match q.columns.as_deref() {
        None => MemberAttribute::DEFAULT.to_vec(),
        Some(text) => text
            .split(',')
            .map(MemberAttribute::parse)
            .collect::<Result<Vec<_>, _>>()?,
    };
    let params = SynergyParams {
        period: q.period,
        columns,
    };
    let answer = weaver_service::synergy::cluster_synergy(
        &state.store,
        &caller.principal,
        &cluster,
        &params,
    )
    .await?;
    Ok(Json(answer))
}
