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
use crate::engines::cached_network_answer;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::path_metrics::job_json;
use weaver_service::path_metrics::SampledParams;
use weaver_service::structure::AnalysisParams;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(network))
        .routes(routes!(network_export))
        .routes(routes!(brokerage))
        .routes(routes!(recommendations))
        .routes(routes!(openness))
        .routes(routes!(synergy))
        .routes(routes!(diffusion))
        .routes(routes!(labels))
        .routes(routes!(compare))
        .routes(routes!(sampled, exact))
        .routes(routes!(profile))
        .routes(routes!(organization_profile))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
}

/// The query of [`network`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct NetworkQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// community detection: leiden (default) or louvain.
    method: Option<String>,
    /// quality the communities optimise: modularity (default) or cpm.
    quality: Option<String>,
    /// resolution γ of the quality, above 0 and at most 1000 (default 1).
    resolution: Option<f64>,
    /// seed of the community detection (default 0).
    seed: Option<u64>,
    /// extra member metrics, comma-separated: eigenvector, constraint, effective_size (default: none).
    metrics: Option<String>,
}

impl NetworkQuery {
    /// The analysis asked for; a bad value is a 400 naming the parameter
    /// and the choices.
    fn params(&self) -> ApiResult<AnalysisParams> {
        use weaver_service::structure::{COMMUNITY_METHODS, ExtraMetric, QUALITIES, choice};
        let mut p = AnalysisParams::default();
        if let Some(m) = &self.method {
            p.communities.method = choice("method", m, &COMMUNITY_METHODS)?;
        }
        if let Some(q) = &self.quality {
            p.communities.quality = choice("quality", q, &QUALITIES)?;
        }
        if let Some(r) = self.resolution {
            p.communities.resolution = r;
        }
        p.communities.seed = self.seed.unwrap_or(0);
        p.communities.check()?;
        if let Some(list) = &self.metrics {
            p.metrics = ExtraMetric::parse_list(list)?;
        }
        Ok(p)
    }
}

/// `GET /api/v1/clusters/{id}/network?period=&method=&quality=&resolution=&seed=&metrics=`:
/// the metrics that need no all-pairs shortest paths and the communities
/// ([`weaver_service::structure::analysis_with`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/network",
    tag = "clusters",
    summary = "A cluster's network in a period: degree, strength, PageRank, clustering, core number, component, communities (Leiden or Louvain, modularity or CPM), summary, and on request eigenvector centrality, Burt's constraint and effective size; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), NetworkQuery),
    responses((status = 200, description = "the network's metrics, communities and summary, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::NetworkAnalysis>))
)]
pub(crate) async fn network(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<NetworkQuery>,
) -> ApiResult<Json<Value>> {
    let params = q.params()?;
    let kind = format!("network{}", params.key());
    cached_network_answer(
        &state,
        &caller,
        &cluster,
        &kind,
        q.period.as_deref(),
        move |view| weaver_service::structure::analysis_with(view, &params),
    )
    .await
}

/// The query of [`network_export`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportQuery {
    /// the file format: gexf (GEXF 1.3, Gephi) or graphml.
    format: String,
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// member metrics to attach, comma-separated, of degree, strength, eigenvector, pagerank, clustering, core_number, component, constraint, effective_size (default: degree,strength,pagerank,core_number,component).
    metrics: Option<String>,
}

/// The graph file formats by name, with their content types.
const GRAPH_FORMATS: [(&str, (&str, &str)); 2] = [
    ("gexf", ("gexf", "application/gexf+xml")),
    ("graphml", ("graphml", "application/graphml+xml")),
];

/// `GET /api/v1/clusters/{id}/network/export?format=gexf|graphml&period=&metrics=`:
/// the cluster's network as a file, with its members' attributes and
/// metrics ([`weaver_service::network::graph_file_of`]), as `weaver
/// network export --cluster` writes it.
#[utoipa::path(
    get,
    path = "/clusters/{id}/network/export",
    tag = "clusters",
    summary = "A cluster's network in a period as a GEXF 1.3 (Gephi) or GraphML file: its members with their name, actor type, region, industry, size and metrics, and the ties among them",
    params(("id" = String, Path, description = "the cluster's id"), ExportQuery),
    responses((status = 200, description = "the file (application/gexf+xml or application/graphml+xml)", content(
        (String = "application/gexf+xml"),
        (String = "application/graphml+xml")
    )))
)]
pub(crate) async fn network_export(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<ExportQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (ext, content_type) =
        weaver_service::structure::choice("format", &q.format, &GRAPH_FORMATS)?;
    let metrics = match &q.metrics {
        Some(list) => weaver_service::network::file_metrics(list)?,
        None => weaver_service::network::DEFAULT_FILE_METRICS.to_vec(),
    };
    let view = weaver_service::network::cluster_network(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
    )
    .await?;
    let file = weaver_service::blocking("the network export", move || {
        weaver_service::network::graph_file_of(&view, &metrics)
    })
    .await?;
    let doc = weaver_io::graph::GraphDocument {
        directed: file.directed,
        node_ids: file.node_ids,
        attributes: file.attributes,
        numbers: file.numbers,
        edges: file
            .edges
            .into_iter()
            .map(|(s, t, w)| weaver_io::graph::GraphEdge::new(s, t, w))
            .collect(),
        weighted: file.weighted,
    };
    let text = if ext == "gexf" {
        weaver_io::graph::write_gexf(&doc)
    } else {
        weaver_io::graph::write_graphml(&doc)
    }
    .map_err(|e| ApiError::internal("write the network file", e))?;
    let name = cluster.replace(
        |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
        "_",
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// The query of [`brokerage`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct BrokerageQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// the members' attribute that gives their group: actor_type (default), region, industry or size.
    group: Option<String>,
}

/// `GET /api/v1/clusters/{id}/brokerage?period=&group=`: Gould–Fernandez
/// roles by a member attribute ([`weaver_service::structure::brokerage_with`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/brokerage",
    tag = "clusters",
    summary = "Gould–Fernandez brokerage roles of a cluster's members by actor type (or region, industry, size) in a period; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), BrokerageQuery),
    responses((status = 200, description = "each member's brokerage roles, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::Brokerage>))
)]
pub(crate) async fn brokerage(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<BrokerageQuery>,
) -> ApiResult<Json<Value>> {
    use weaver_service::structure::{BROKERAGE_GROUPS, BrokerageGroup, choice};
    let group = match &q.group {
        Some(g) => choice("group", g, &BROKERAGE_GROUPS)?,
        None => BrokerageGroup::ActorType,
    };
    let kind = match group {
        BrokerageGroup::ActorType => "brokerage".to_owned(),
        other => format!("brokerage:{}", other.name()),
    };
    cached_network_answer(
        &state,
        &caller,
        &cluster,
        &kind,
        q.period.as_deref(),
        move |view| weaver_service::structure::brokerage_with(view, group),
    )
    .await
}

/// The query of [`recommendations`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct RecommendationsQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
    /// structural score: common_neighbors, jaccard, adamic_adar (default), resource_allocation or preferential_attachment.
    score: Option<String>,
    /// suggestions kept per member, 1 to 50 (default 5).
    top: Option<usize>,
    /// only the suggestions for this member (an organization id).
    #[serde(rename = "for")]
    #[param(rename = "for")]
    for_node: Option<String>,
    /// seed of the community detection of the bridging score (default 0).
    seed: Option<u64>,
}

/// `GET /api/v1/clusters/{id}/recommendations?period=&score=&top=&for=&seed=`:
/// who should meet whom, with reasons
/// ([`weaver_service::structure::recommendations_with`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/recommendations",
    tag = "clusters",
    summary = "Who in a cluster should meet whom, with reasons (the structural score, suggestions per member and the member asked for as options); cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), RecommendationsQuery),
    responses((status = 200, description = "the recommended ties with their reasons, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::structure::Recommendations>))
)]
pub(crate) async fn recommendations(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<RecommendationsQuery>,
) -> ApiResult<Json<Value>> {
    use weaver_service::network::{LINK_SCORES, MAX_TOP, RecommendParams};
    use weaver_service::structure::choice;
    let mut params = RecommendParams::default();
    if let Some(s) = &q.score {
        params.score = choice("score", s, &LINK_SCORES)?;
    }
    if let Some(top) = q.top {
        if !(1..=MAX_TOP).contains(&top) {
            return Err(ApiError::bad_request(format!(
                "top must be between 1 and {MAX_TOP} suggestions per member, not {top}"
            )));
        }
        params.top = top;
    }
    params.for_node = q.for_node.clone();
    params.seed = q.seed.unwrap_or(0);
    let kind = format!("recommendations{}", params.key());
    cached_network_answer(
        &state,
        &caller,
        &cluster,
        &kind,
        q.period.as_deref(),
        move |view| weaver_service::structure::recommendations_with(view, &params, Some(MAX_TOP)),
    )
    .await
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
    /// the model: cascade (default; independent-cascade spillover from each member) or cowan-jonard (knowledge barter).
    model: Option<String>,
    /// cascade: Monte Carlo runs (default 1000).
    runs: Option<usize>,
    /// cascade: transmission probability of a tie (default 0.1).
    probability: Option<f64>,
    /// seed of the runs (cascade) or of the initial levels and meetings (cowan-jonard) (default 0).
    seed: Option<u64>,
    /// cascade: add the K best recommended ties and report the spread after.
    what_if: Option<usize>,
    /// cascade: a tie of weight w transmits with 1 − (1 − p)^w.
    weighted: Option<bool>,
    /// cowan-jonard: knowledge categories K, 1 to 100 (default 5).
    categories: Option<usize>,
    /// cowan-jonard: absorptive capacity α in (0, 1] (default 0.5).
    alpha: Option<f64>,
    /// cowan-jonard: lead threshold, at least 0 (default 0.001).
    threshold: Option<f64>,
}

#[utoipa::path(
    get,
    path = "/clusters/{id}/diffusion",
    tag = "clusters",
    summary = "Knowledge diffusion on a cluster's network: as an independent cascade (the default), each member's expected spread as a seed, ranked, and with what_if K the spread after the K best recommended ties; or as Cowan–Jonard knowledge barter (model=cowan-jonard), its steady state; cached until the register changes",
    params(("id" = String, Path, description = "the cluster's id"), DiffusionQuery),
    responses((status = 200, description = "the cascade (each member's expected spread, ranked, and the what-if) or the barter's steady state, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::diffusion::ClusterDiffusionAnswer>))
)]
/// `GET /api/v1/clusters/{id}/diffusion?period=&model=&runs=&probability=&seed=&what_if=&weighted=&categories=&alpha=&threshold=`.
pub(crate) async fn diffusion(
    State(state): State<AppState>,
    caller: Caller,
    Path(cluster): Path<String>,
    Query(q): Query<DiffusionQuery>,
) -> ApiResult<Json<Value>> {
    use weaver_service::diffusion::{DiffusionModel, MODELS};
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let model = match &q.model {
        Some(m) => weaver_service::structure::choice("model", m, &MODELS)?,
        None => DiffusionModel::Cascade,
    };
    if model == DiffusionModel::CowanJonard {
        return barter(state, caller, cluster, q).await;
    }
    for (name, given) in [
        ("categories", q.categories.is_some()),
        ("alpha", q.alpha.is_some()),
        ("threshold", q.threshold.is_some()),
    ] {
        if given {
            return Err(ApiError::bad_request(format!(
                "{name} is a setting of model=cowan-jonard, not of the cascade"
            )));
        }
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

/// `GET /api/v1/clusters/{id}/diffusion?model=cowan-jonard`: knowledge
/// barter on the cluster's network ([`weaver_service::diffusion::barter`]).
async fn barter(
    state: AppState,
    caller: Caller,
    cluster: String,
    q: DiffusionQuery,
) -> ApiResult<Json<Value>> {
    use weaver_service::diffusion::{BarterParams, MAX_CATEGORIES};
    for (name, given) in [
        ("runs", q.runs.is_some()),
        ("probability", q.probability.is_some()),
        ("what_if", q.what_if.is_some()),
        ("weighted", q.weighted.is_some()),
    ] {
        if given {
            return Err(ApiError::bad_request(format!(
                "{name} is a setting of model=cascade, not of cowan-jonard"
            )));
        }
    }
    let d = BarterParams::default();
    let params = BarterParams {
        categories: q.categories.unwrap_or(d.categories),
        alpha: q.alpha.unwrap_or(d.alpha),
        threshold: q.threshold.unwrap_or(d.threshold),
        seed: q.seed.unwrap_or(d.seed),
    };
    if !(1..=MAX_CATEGORIES).contains(&params.categories) {
        return Err(ApiError::bad_request(format!(
            "categories must be between 1 and {MAX_CATEGORIES}, not {}",
            params.categories
        )));
    }
    if !(params.alpha > 0.0 && params.alpha <= 1.0) {
        return Err(ApiError::bad_request(format!(
            "alpha must be above 0 and at most 1, not {}",
            params.alpha
        )));
    }
    if !(params.threshold >= 0.0 && params.threshold.is_finite()) {
        return Err(ApiError::bad_request(format!(
            "threshold must be a number of at least 0, not {}",
            params.threshold
        )));
    }
    let kind = format!(
        "diffusion:cowan-jonard:{}:{}:{}:{}",
        params.categories, params.alpha, params.threshold, params.seed
    );
    cached_network_answer(
        &state,
        &caller,
        &cluster,
        &kind,
        q.period.as_deref(),
        move |view| weaver_service::diffusion::barter_of_view(view, &params, Some(MAX_CATEGORIES)),
    )
    .await
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
    let warnings: Vec<String> = [(&q.before, &before), (&q.after, &after)]
        .into_iter()
        .filter_map(|(period, view)| {
            weaver_service::network::GraphInput::of(view)
                .undirected_warning("the comparison")
                .map(|w| format!("{period}: {w}"))
        })
        .collect();
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
        warnings,
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

/// `GET /api/v1/clusters/{id}/profile`: the cluster's profile in one call
/// ([`weaver_service::profile::cluster_profile`]), its memberships and
/// seats current today (UTC).
#[utoipa::path(
    get,
    path = "/clusters/{id}/profile",
    tag = "clusters",
    summary = "A cluster's profile in one call: its row, region, programmes, counts of all its current memberships by actor type and tier (counts are public, names are not), the current memberships and governance seats you may read with the organizations' names, the projects, funding mix by year and funder type, latest indicator values and lifecycle stage (with its evidence in words) from what you may read, and the ECCP profile criteria checked on its current members, management FTE and English website",
    params(("id" = String, Path, description = "the cluster's id")),
    responses((status = 200, description = "the profile; 404 when there is no such cluster or you may not read it", body = weaver_service::profile::ClusterProfile))
)]
pub(crate) async fn profile(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path(cluster): Path<String>,
) -> ApiResult<Json<weaver_service::profile::ClusterProfile>> {
    let who = caller.as_ref().map(|c| &c.principal);
    let today = &weaver_store::today();
    Ok(Json(
        weaver_service::profile::cluster_profile(&state.store, who, &cluster, today).await?,
    ))
}

/// `GET /api/v1/organizations/{id}/profile`: the organization's profile in
/// one call ([`weaver_service::profile::organization_profile`]).
#[utoipa::path(
    get,
    path = "/organizations/{id}/profile",
    tag = "organizations",
    summary = "An organization's profile in one call: its row, region, and the memberships, governance seats, project participations and ties you may read, with the clusters', projects' and other organizations' names embedded where you may read them",
    params(("id" = String, Path, description = "the organization's id")),
    responses((status = 200, description = "the profile; 404 when there is no such organization or you may not read it", body = weaver_service::profile::OrganizationProfile))
)]
pub(crate) async fn organization_profile(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path(org): Path<String>,
) -> ApiResult<Json<weaver_service::profile::OrganizationProfile>> {
    let who = caller.as_ref().map(|c| &c.principal);
    Ok(Json(
        weaver_service::profile::organization_profile(&state.store, who, &org).await?,
    ))
}
