//! The networks of several clusters: `/networks/clusters` (the network of
//! clusters) and `/networks?clusters=a,b` (the network of several
//! clusters' members), answered by [`weaver_service::networks`] from what
//! the caller may read, cached per reader's rights at the register's
//! version.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::analyses::{check_period, from_cache, key_part, reader_key, to_cache};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::{Json, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cluster_graph))
        .routes(routes!(multi_cluster))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ClusterGraphQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
}

#[utoipa::path(
    get,
    path = "/networks/clusters",
    tag = "networks",
    summary = "The network of clusters in a period: the clusters the caller reads as nodes (members, internal ties), linked by the ties between their members and by their shared members; only readable clusters, memberships and ties count; cached until the register changes",
    params(ClusterGraphQuery),
    responses((status = 200, description = "the clusters and their links, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::networks::ClusterGraph>))
)]
/// `GET /api/v1/networks/clusters?period=`: the network of clusters
/// ([`weaver_service::networks::cluster_graph`]).
pub(crate) async fn cluster_graph(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ClusterGraphQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = &caller.principal;
    let kind = format!("network-of-clusters:{}", reader_key(Some(who)));
    let period = q.period.clone().unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, "", &period, version).await? {
        return Ok(Json(v));
    }
    let answer =
        weaver_service::networks::cluster_graph(&state.store, who, q.period.as_deref()).await?;
    Ok(Json(
        to_cache(&state, &kind, "", &period, version, json!(answer)).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct MultiClusterQuery {
    /// the clusters' ids, separated by commas (at most 50).
    clusters: String,
    /// 2024, 2024-Q3 or 2024-07 (default: all time).
    period: Option<String>,
}

#[utoipa::path(
    get,
    path = "/networks",
    tag = "networks",
    summary = "The network of several clusters' members in a period: each cluster's network as the caller reads it and the readable ties between members of different clusters, with each member's clusters, the links between the clusters and the network analysis (metrics, Leiden communities, summary); an unknown or unreadable cluster is not found; cached until the register changes",
    params(MultiClusterQuery),
    responses((status = 200, description = "the members' clusters, the clusters' links and the network analysis, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::networks::MultiClusterNetwork>))
)]
/// `GET /api/v1/networks?clusters=a,b&period=`: the network of several
/// clusters' members ([`weaver_service::networks::multi_cluster`]).
pub(crate) async fn multi_cluster(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<MultiClusterQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = &caller.principal;
    let ids = weaver_service::networks::cluster_list(&q.clusters)?;
    // Each cluster's access checked before the cache is looked at.
    for id in &ids {
        crate::engines::network_access(&state, who, id, q.period.as_deref()).await?;
    }
    let kind = format!("multi-cluster:{}", reader_key(Some(who)));
    let key = key_part(Some(ids.join(",").as_str()));
    let period = q.period.clone().unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &key, &period, version).await? {
        return Ok(Json(v));
    }
    let answer = weaver_service::networks::multi_cluster(
        &state.store,
        who,
        &q.clusters,
        q.period.as_deref(),
    )
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &key, &period, version, json!(answer)).await?,
    ))
}
