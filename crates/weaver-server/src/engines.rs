//! A cluster's network over HTTP: who may have it analysed
//! ([`network_access`]) and its analyses answered by
//! [`weaver_service::structure`], cached in the database at the register's
//! version (a change to the register makes every cached result stale). The
//! routes are in `routes/clusters.rs`.

use serde_json::{Value, json};
use weaver_store::NetworkScope;

use crate::AppState;
use crate::analyses::{from_cache, to_cache};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::Json;

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

/// An answer `f` computes from the view of a cluster's network `caller`
/// may read: access checked, the answer cached at the register's version
/// under `kind` (which names the question and every option of it; apart
/// for the rows that are not private), computed on a blocking thread.
pub(crate) async fn cached_network_answer<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    kind: &str,
    period: Option<&str>,
    f: impl FnOnce(&weaver_store::ClusterNetwork) -> weaver_service::Result<T> + Send + 'static,
) -> ApiResult<Json<Value>> {
    let who = &caller.principal;
    let scope = network_access(state, who, cluster, period).await?;
    let cache_kind = match scope {
        NetworkScope::All => kind.to_owned(),
        NetworkScope::Shared => format!("{kind}:shared"),
    };
    let period_key = period.unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(state, &cache_kind, cluster, period_key, version).await? {
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(cluster, period, scope)
        .await?;
    let answer = weaver_service::blocking("the network analysis", move || f(&view)).await?;
    let v = to_cache(
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
