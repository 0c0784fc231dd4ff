//! Regional activity mapped: `/mapping/…`.

use std::collections::BTreeSet;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::analyses::{answer, compute, from_cache, mapping_of, reader_key, to_cache};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mapping))
        .routes(routes!(growth))
        .routes(routes!(related))
}

// ---------------------------------------------------------------- mapping

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
    /// only this category (industry).
    cluster: Option<String>,
    /// add lq_percentile and employment_percentile.
    percentiles: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/mapping/clusters",
    tag = "mapping",
    summary = "Location quotients and strong clusters (cmp), stars (eco) or quadrants of the register's regional activity in a year",
    params(MappingQuery),
    responses((status = 200, description = "success"))
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
    let method = q.method.clone().unwrap_or_else(|| "cmp".to_owned());
    if !matches!(method.as_str(), "cmp" | "eco" | "quadrant") {
        return Err(ApiError::bad_request(format!(
            "method must be cmp (US Cluster Mapping), eco (European Cluster Observatory stars) \
             or quadrant, not '{method}'"
        )));
    }
    if let Some(y) = q.year
        && !(1000..=9999).contains(&y)
    {
        return Err(ApiError::bad_request(format!(
            "year must be a four-digit year, not {y}"
        )));
    }
    let percentiles = q.percentiles.unwrap_or(false);
    let kind = format!("mapping:{method}:{percentiles}");
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let mut v = match from_cache(&state, &kind, &reader, &period, version).await? {
        Some(v) => v,
        None => {
            let rows = state.store.readable_regional_activity(who).await?;
            if rows.is_empty() {
                return Err(ApiError::not_found(
                    "there is no regional activity that you may see (an admin imports a \
                     regional_activity table)",
                ));
            }
            if let Some(y) = q.year
                && !rows.iter().any(|r| r.year == i64::from(y))
            {
                let years: BTreeSet<i64> = rows.iter().map(|r| r.year).collect();
                let years: Vec<String> = years.iter().map(i64::to_string).collect();
                return Err(ApiError::not_found(format!(
                    "the regional activity has no year {y} (years: {})",
                    years.join(", ")
                )));
            }
            let m = method.clone();
            let year = q.year;
            let v = compute("the mapping", move || {
                mapping_of(rows, &m, percentiles, year)
            })
            .await?;
            to_cache(&state, &kind, &reader, &period, version, v).await?
        }
    };
    let cells: Vec<Value> = v["cells"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| {
            q.region.as_ref().is_none_or(|r| c["region"] == *r)
                && q.cluster.as_ref().is_none_or(|k| c["cluster"] == *k)
        })
        .cloned()
        .collect();
    v["cells"] = json!(cells);
    Ok(Json(v))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct GrowthQuery {
    /// start year (default: the first).
    start: Option<i32>,
    /// end year (default: the last).
    end: Option<i32>,
}

#[utoipa::path(
    get,
    path = "/mapping/growth",
    tag = "mapping",
    summary = "Change, CAGR and shift-share of every region and industry between two years of the regional activity you may read; cached until the register changes",
    params(GrowthQuery),
    responses((status = 200, description = "success"))
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
    let period = format!(
        "{}:{}",
        q.start.map(|y| y.to_string()).unwrap_or_default(),
        q.end.map(|y| y.to_string()).unwrap_or_default()
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, "growth", &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let panel = weaver_service::mapping::readable_panel(&state.store, who).await?;
    let (start, end) = (q.start, q.end);
    let answer = answer("the growth", move || {
        weaver_service::mapping::growth(&panel, start, end)
    })
    .await?;
    Ok(Json(
        to_cache(&state, "growth", &reader, &period, version, json!(answer)).await?,
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
    /// keep each cluster's top most related (default: all).
    top: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/mapping/related",
    tag = "mapping",
    summary = "Related clusters by co-location: the correlation of location quotients across regions in a year of the regional activity you may read",
    params(RelatedQuery),
    responses((status = 200, description = "success"))
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
    let kind = format!(
        "related:{}:{}",
        q.top.map(|t| t.to_string()).unwrap_or_default(),
        q.kind.as_deref().unwrap_or_default()
    );
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let panel = weaver_service::mapping::readable_panel(&state.store, who).await?;
    let (year, region_kind, top) = (q.year, q.kind.clone(), q.top);
    let answer = answer("the related clusters", move || {
        weaver_service::mapping::related(&panel, year, region_kind.as_deref(), top, "kind=")
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}
