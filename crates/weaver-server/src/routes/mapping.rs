//! Regional activity mapped: `/mapping/…`.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::analyses::{answer, from_cache, key_part, reader_key, to_cache};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mapping))
        .routes(routes!(growth))
        .routes(routes!(related))
        .routes(routes!(strength))
        .routes(routes!(complexity))
        .routes(routes!(specialisation))
}

// ---------------------------------------------------------------- mapping

/// The `benchmark` parameter, checked as text; empty means none.
fn benchmark_of(b: Option<String>) -> ApiResult<Option<String>> {
    let b = b.map(|b| b.trim().to_owned()).filter(|b| !b.is_empty());
    if let Some(b) = &b {
        ApiError::check_text("benchmark", b)?;
    }
    Ok(b)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct MappingQuery {
    /// the year (default: the last).
    year: Option<i32>,
    /// cmp (US Cluster Mapping, default), eco (European Cluster Observatory stars) or quadrant.
    method: Option<String>,
    /// only this region.
    region: Option<String>,
    /// only this industry category.
    category: Option<String>,
    /// the former name of `category`, still accepted.
    cluster: Option<String>,
    /// add lq_percentile and employment_percentile.
    percentiles: Option<bool>,
    /// the reference area: a country code (the sum of its regions) or a region id (its own activity) whose totals replace each section's country totals.
    benchmark: Option<String>,
}

#[utoipa::path(
    get,
    path = "/mapping/clusters",
    tag = "mapping",
    summary = "Location quotients and strong clusters (cmp), stars (eco) or quadrants of the register's regional activity in a year",
    params(MappingQuery),
    responses((status = 200, description = "each region and industry's cell and whether it is a cluster, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::mapping::Sectioned<weaver_service::mapping::ClusterMap>>))
)]
/// `GET /api/v1/mapping/clusters?year=&method=cmp|eco|quadrant&region=&cluster=&percentiles=`:
/// the register's regional activity mapped: per region, industry and year
/// (by default the last), employment, LQ and US Cluster Mapping's classes
/// (`cmp`: qualifying, significant, strong, strong10), the European Cluster
/// Observatory's stars (`eco`) or the practitioners' quadrant. Computed from
/// the rows of regional activity the caller may read (the public: public
/// rows), so a hidden row changes neither its cell nor any LQ or class it
/// enters; cached per reader's rights ([`reader_key`]).
pub(crate) async fn mapping(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<MappingQuery>,
) -> ApiResult<Json<Value>> {
    let method = weaver_service::mapping::MapMethod::parse(q.method.as_deref().unwrap_or("cmp"))?;
    if q.category.is_some() && q.cluster.is_some() {
        return Err(ApiError::bad_request(
            "give category (cluster is its former name), not both",
        ));
    }
    let benchmark = benchmark_of(q.benchmark)?;
    let params = weaver_service::mapping::MapParams {
        year: q.year,
        region: q.region,
        category: q.category.or(q.cluster),
        percentiles: q.percentiles.unwrap_or(false),
        benchmark,
    };
    if let Some(y) = params.year {
        weaver_service::mapping::check_year("year", y)?;
    }
    // Cached per reader's rights and per question (the cells kept included).
    let kind = format!(
        "mapping:{}:{}:{}:{}:{}",
        method.name(),
        params.percentiles,
        key_part(params.region.as_deref()),
        key_part(params.category.as_deref()),
        key_part(params.benchmark.as_deref()),
    );
    let period = params.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let answer = weaver_service::mapping::cluster_map(&state.store, who, method, &params).await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct GrowthQuery {
    /// start year (default: the first).
    start: Option<i32>,
    /// end year (default: the last).
    end: Option<i32>,
    /// the reference area: a country code (the sum of its regions) or a region id (its own activity) whose totals replace each section's country totals.
    benchmark: Option<String>,
}

#[utoipa::path(
    get,
    path = "/mapping/growth",
    tag = "mapping",
    summary = "Change, CAGR and shift-share of every region and industry between two years of the regional activity you may read; cached until the register changes",
    params(GrowthQuery),
    responses((status = 200, description = "each region and industry's growth between the two years, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::mapping::Sectioned<weaver_service::mapping::Growth>>))
)]
/// `GET /api/v1/mapping/growth?start=2020&end=2024`: change, CAGR and
/// shift-share of every region and industry between two years (default:
/// the first and the last) of the regional activity the caller may read, as
/// `weaver map growth --from-register` gives them
/// ([`weaver_service::mapping::growth`]); cached per reader's rights.
pub(crate) async fn growth(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<GrowthQuery>,
) -> ApiResult<Json<Value>> {
    for y in [q.start, q.end].into_iter().flatten() {
        if !(1000..=9999).contains(&y) {
            return Err(ApiError::bad_request(format!(
                "a year must have four digits, not {y}"
            )));
        }
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let benchmark = benchmark_of(q.benchmark)?;
    let period = format!(
        "{}:{}",
        q.start.map(|y| y.to_string()).unwrap_or_default(),
        q.end.map(|y| y.to_string()).unwrap_or_default()
    );
    let kind = format!("growth:{}", key_part(benchmark.as_deref()));
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let sections =
        weaver_service::mapping::readable_sections(&state.store, who, benchmark.as_deref()).await?;
    let (start, end) = (q.start, q.end);
    let answer = answer("the growth", move || {
        weaver_service::mapping::per_section(&sections, |p| {
            weaver_service::mapping::growth(p, start, end)
        })
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct RelatedQuery {
    /// the year (default: the last).
    year: Option<i32>,
    /// the kind of region, when the regions are of several.
    kind: Option<String>,
    /// keep each category's top most related (default: all).
    top: Option<usize>,
    /// the reference area: a country code (the sum of its regions) or a region id (its own activity) whose totals replace each section's country totals.
    benchmark: Option<String>,
}

#[utoipa::path(
    get,
    path = "/mapping/related",
    tag = "mapping",
    summary = "Related clusters by co-location: the correlation of location quotients across regions in a year of the regional activity you may read",
    params(RelatedQuery),
    responses((status = 200, description = "each region's related industries, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::mapping::Sectioned<weaver_service::mapping::Related>>))
)]
/// `GET /api/v1/mapping/related?year=&kind=&top=`: related clusters by
/// co-location (correlation of LQs across regions) in the regional activity
/// the caller may read, as `weaver map related --from-register` gives them
/// ([`weaver_service::mapping::related`]); cached per reader's rights.
pub(crate) async fn related(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<RelatedQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(y) = q.year
        && !(1000..=9999).contains(&y)
    {
        return Err(ApiError::bad_request(format!(
            "year must be a four-digit year, not {y}"
        )));
    }
    if let Some(k) = &q.kind {
        ApiError::check_text("kind", k)?;
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let benchmark = benchmark_of(q.benchmark)?;
    let kind = format!(
        "related:{}:{}:{}",
        q.top.map(|t| t.to_string()).unwrap_or_default(),
        key_part(q.kind.as_deref()),
        key_part(benchmark.as_deref())
    );
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let sections =
        weaver_service::mapping::readable_sections(&state.store, who, benchmark.as_deref()).await?;
    let (year, region_kind, top) = (q.year, q.kind.clone(), q.top);
    let answer = answer("the related categories", move || {
        weaver_service::mapping::per_section(&sections, |p| {
            weaver_service::mapping::related(p, year, region_kind.as_deref(), top, "kind=")
        })
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}

// ---------------------------------------------------------------- strength, complexity

/// Most work of one complexity request: regions × industries + industries².
pub const COMPLEXITY_BUDGET: usize = 25_000_000;
/// Longest "what next" list of a complexity request.
pub const MAX_COMPLEXITY_TOP: usize = 1_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct StrengthQuery {
    /// the reference area: a country code (the sum of its regions) or a region id (its own activity) whose totals replace each section's country totals.
    benchmark: Option<String>,
}

#[utoipa::path(
    get,
    path = "/mapping/strength",
    tag = "mapping",
    summary = "Cluster strength (US Cluster Mapping): the share of each region's traded employment in strong clusters per year, in the regional activity you may read (the public: public rows); cached until the register changes",
    params(StrengthQuery),
    responses((status = 200, description = "each region and industry's strength, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::mapping::Sectioned<weaver_service::mapping::Strength>>))
)]
/// `GET /api/v1/mapping/strength`: the share of each region's traded
/// employment in strong clusters per year, in the regional activity the
/// caller may read, as `weaver map strength --from-register` gives it
/// ([`weaver_service::mapping::strength`]); cached per reader's rights.
pub(crate) async fn strength(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<StrengthQuery>,
) -> ApiResult<Json<Value>> {
    let benchmark = benchmark_of(q.benchmark)?;
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let kind = format!("strength:{}", key_part(benchmark.as_deref()));
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, "", version).await? {
        return Ok(Json(v));
    }
    let sections =
        weaver_service::mapping::readable_sections(&state.store, who, benchmark.as_deref()).await?;
    let answer = answer("the cluster strength", move || {
        weaver_service::mapping::per_section(&sections, weaver_service::mapping::strength)
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, "", version, json!(answer)).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ComplexityQuery {
    /// the year (default: the last).
    year: Option<i32>,
    /// the kind of region, when the regions are of several.
    kind: Option<String>,
    /// RCA at or above which an industry is present (default 1).
    rca_threshold: Option<f64>,
    /// length of each region's what-next list (default 10, at most 1000).
    top: Option<usize>,
    /// the reference area: a country code (the sum of its regions) or a region id (its own activity) whose totals replace each section's country totals.
    benchmark: Option<String>,
}

#[utoipa::path(
    get,
    path = "/mapping/complexity",
    tag = "mapping",
    summary = "Economic complexity in a year of the regional activity you may read (the public: public rows): RCA and presence, proximity, density, ECI, PCI, COI, COG and each region's what-next list; cached until the register changes",
    params(ComplexityQuery),
    responses((status = 200, description = "the complexity of the regions and industries and each region's what-next list, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::mapping::Sectioned<weaver_service::mapping::Complexity>>))
)]
/// `GET /api/v1/mapping/complexity?year=&kind=&rca_threshold=&top=`: RCA,
/// proximity, density, ECI, PCI, COI, COG and each region's "what next"
/// list in a year of the regional activity the caller may read, as `weaver
/// map complexity --from-register` gives them
/// ([`weaver_service::mapping::complexity`]); cached per reader's rights.
pub(crate) async fn complexity(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<ComplexityQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(y) = q.year {
        weaver_service::mapping::check_year("year", y)?;
    }
    if let Some(k) = &q.kind {
        ApiError::check_text("kind", k)?;
    }
    let rca_threshold = q.rca_threshold.unwrap_or(1.0);
    if !(rca_threshold.is_finite() && rca_threshold > 0.0) {
        return Err(ApiError::bad_request(format!(
            "rca_threshold must be a positive number, not {rca_threshold}"
        )));
    }
    let top = q.top.unwrap_or(10);
    if top > MAX_COMPLEXITY_TOP {
        return Err(ApiError::bad_request(format!(
            "top must be at most {MAX_COMPLEXITY_TOP}, not {top}"
        )));
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let benchmark = benchmark_of(q.benchmark)?;
    let kind = format!(
        "complexity:{rca_threshold}:{top}:{}:{}",
        key_part(q.kind.as_deref()),
        key_part(benchmark.as_deref())
    );
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let sections =
        weaver_service::mapping::readable_sections(&state.store, who, benchmark.as_deref()).await?;
    let params = weaver_service::mapping::ComplexityParams {
        year: q.year,
        kind: q.kind.clone(),
        rca_threshold,
        top,
        kind_flag: "kind=",
        max_work: Some(COMPLEXITY_BUDGET),
    };
    let answer = answer("the complexity", move || {
        weaver_service::mapping::per_section(&sections, |p| {
            weaver_service::mapping::complexity(p, &params)
        })
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}

// ---------------------------------------------------------------- a cluster's specialisation

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SpecialisationQuery {
    /// the year (default: the last of the section).
    year: Option<i32>,
    /// the reference area: a country code or a region id (default: the cluster's country).
    benchmark: Option<String>,
}

/// `GET /api/v1/clusters/{id}/specialisation?year=&benchmark=`: the
/// location quotients of a register cluster's own sectors in its own
/// region, within the regional activity of its country and sector
/// classification that the caller may read
/// ([`weaver_service::mapping::cluster_specialisation`]).
#[utoipa::path(
    get,
    path = "/clusters/{id}/specialisation",
    tag = "mapping",
    summary = "The location quotients of a cluster's own sectors (in its sector classification) in its own region, against its country or a benchmark",
    params(("id" = String, Path, description = "the cluster's id"), SpecialisationQuery),
    responses((status = 200, description = "each of the cluster's sectors with the region's employment and LQ, and the section's reference area", body = weaver_service::mapping::ClusterSpecialisation))
)]
pub(crate) async fn specialisation(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path(cluster): Path<String>,
    Query(q): Query<SpecialisationQuery>,
) -> ApiResult<Json<Value>> {
    let benchmark = benchmark_of(q.benchmark)?;
    let who = caller.as_ref().map(|c| &c.principal);
    let answer = weaver_service::mapping::cluster_specialisation(
        &state.store,
        who,
        &cluster,
        q.year,
        benchmark.as_deref(),
    )
    .await?;
    Ok(Json(json!(answer)))
}
