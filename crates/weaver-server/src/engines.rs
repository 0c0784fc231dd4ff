//! A cluster's network over HTTP, answered by
//! [`weaver_service::structure`] and cached in the database at the
//! register's version (a change to the register makes every cached result
//! stale); and the short league table answered by
//! [`weaver_service::ranking::league_table`].
//!
//! `GET /api/v1/clusters/{id}/network?period=2024`: the cluster's network in
//! the period — the metrics that need no all-pairs shortest paths (degree,
//! strength, PageRank, clustering, core number, component) and Leiden
//! communities (modularity, seed 0), with the graph's summary — for the
//! cluster's managers, the officers of programmes funding it, its members and
//! admins; `…/brokerage`, `…/recommendations` and `…/openness` likewise.
//! Path metrics (betweenness, closeness) are `…/paths` (`paths.rs`).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_service::structure::NetworkQuestion;
use weaver_store::NetworkScope;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

/// Checks that `who` may have the network of `cluster` analysed in
/// `period` and says which rows it is built from
/// ([`weaver_service::network::network_access`]).
pub(crate) async fn network_access(
    state: &AppState,
    who: &weaver_store::Principal,
    cluster: &str,
    period: Option<&str>,
) -> ApiResult<NetworkScope> {
    Ok(weaver_service::network::network_access(&state.store, who, cluster, period).await?)
}

/// `GET /api/v1/clusters/{id}/{analysis}`: `network`, `brokerage` or
/// `recommendations`.
pub(crate) async fn cluster_network(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path((cluster, kind)) = params?;
    let question = NetworkQuestion::parse(&kind)?;
    let Query(q) = q?;
    cached_network_analysis(&state, &caller, &cluster, question, q.period.as_deref()).await
}

/// `GET /api/v1/clusters/{id}/openness?period=`: the openness of the
/// cluster's network by actor type and by region (E-I index, share of
/// ties across groups), as [`weaver_service::network::cluster_openness`]
/// gives it; the network's readers, cached as the network is.
pub(crate) async fn openness(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    cached_network_analysis(
        &state,
        &caller,
        &cluster,
        NetworkQuestion::Openness,
        q.period.as_deref(),
    )
    .await
}

/// A question of a cluster's network for `caller`
/// ([`weaver_service::structure`]): access checked, the answer cached at
/// the register's version (apart for the rows that are not private),
/// computed on a blocking thread.
async fn cached_network_analysis(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    question: NetworkQuestion,
    period: Option<&str>,
) -> ApiResult<Json<Value>> {
    let who = &caller.principal;
    let scope = network_access(state, who, cluster, period).await?;
    let cache_kind = match scope {
        NetworkScope::All => question.name().to_owned(),
        NetworkScope::Shared => format!("{}:shared", question.name()),
    };
    let period_key = period.unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) =
        crate::analyses::from_cache(state, &cache_kind, cluster, period_key, version).await?
    {
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(cluster, period, scope)
        .await?;
    let answer =
        weaver_service::blocking("the network analysis", move || question.answer(&view)).await?;
    let v = crate::analyses::to_cache(
        state,
        &cache_kind,
        cluster,
        period_key,
        version,
        json!(answer),
    )
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndexQuery {
    period: String,
}

/// `GET /api/v1/evaluation/index?period=2024`: the league table of the
/// clusters whose observations the caller may read (the public: published
/// ones), by the default method — min-max to [0, 100], equal weights within
/// and across dimensions, arithmetic mean. An alias of
/// `/evaluation/ranking?period=…&computed=false` without the uncertainty
/// analysis (the same service call, [`weaver_service::ranking`]), rendered
/// in its own, smaller shape.
pub(crate) async fn league_table(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<IndexQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let who = caller.as_ref().map(|c| &c.principal);
    let table = weaver_service::ranking::league_table(&state.store, who, &q.period, true).await?;
    Ok(Json(json!(table)))
}
