//! Engine results for a cluster and period, computed from the register and
//! cached in the database at the register's version (a change to the register
//! makes every cached result stale).
//!
//! `GET /api/v1/clusters/{id}/network?period=2024`: the cluster's network in
//! the period — the metrics that need no all-pairs shortest paths (degree,
//! strength, PageRank, clustering, core number, component) and Leiden
//! communities (modularity, seed 0), with the graph's summary — for the
//! cluster's managers, the officers of programmes funding it, its members and
//! admins. Path metrics (betweenness, closeness) stay with `weaver network
//! metrics`, which offers a sampled estimate for large graphs.
//!
//! The handlers are in `routes/clusters.rs`; this module builds the JSON of
//! the network, brokerage and recommendations, and runs them through the cache.

use serde_json::{Value, json};
use weaver_network::{
    CommunityOptions, PageRankOptions, attribute_assortativity, clustering, communities,
    components, core_number, degree, degree_assortativity, density, pagerank, strength,
    transitivity,
};
use weaver_store::{ClusterNetwork, NetworkScope};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;

/// A number for JSON: `null` when not finite (no value).
pub(crate) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(crate) use weaver_service::network::graph_of;

/// The network analysis of a cluster's network, as JSON.
pub(crate) fn analyse(view: &ClusterNetwork) -> Result<Value, weaver_network::NetworkError> {
    let (g, weighted) = graph_of(view)?;
    // Leiden takes about as long as all the rest: on a second core meanwhile.
    let (parts, rest) = std::thread::scope(|scope| {
        let leiden = scope.spawn(|| communities(&g, &CommunityOptions::default()));
        let rest = pagerank(&g, &PageRankOptions::default()).map(|pr| {
            (
                degree(&g),
                strength(&g),
                pr,
                clustering(&g),
                core_number(&g),
                components(&g),
            )
        });
        // A panic there is one here (the caller logs it as a server error).
        let parts = leiden
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (parts, rest)
    });
    let parts = parts?;
    let (deg, stren, pr, cc, core, comps) = rest?;
    let actor: Vec<Option<&str>> = view
        .organizations
        .iter()
        .map(|o| Some(o.actor_type.as_str()))
        .collect();
    let rows: Vec<Value> = view
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            json!({
                "id": o.id, "name": o.name, "actor_type": o.actor_type, "region": o.region,
                "degree": deg[i], "strength": num(stren[i]), "pagerank": num(pr[i]),
                "clustering": num(cc[i]), "core_number": core[i],
                "component": comps.membership[i], "community": parts.membership[i],
            })
        })
        .collect();
    let avg_clustering = if cc.is_empty() {
        f64::NAN
    } else {
        cc.iter().sum::<f64>() / cc.len() as f64
    };
    Ok(json!({
        "cluster": view.cluster,
        "period": view.period,
        "weighted": weighted,
        "summary": {
            "nodes": g.node_count(),
            "edges": g.edge_count(),
            "density": num(density(&g)),
            "components": comps.sizes.len(),
            "giant_size": comps.sizes.first().copied().unwrap_or(0),
            "average_clustering": num(avg_clustering),
            "transitivity": num(transitivity(&g)),
            "degree_assortativity": num(degree_assortativity(&g)),
            "actor_type_assortativity": num(attribute_assortativity(&g, "actor_type", &actor)?),
        },
        "communities": {
            "method": "leiden", "quality": "modularity", "resolution": 1.0, "seed": 0,
            "modularity": num(parts.modularity), "sizes": parts.sizes,
        },
        "nodes": rows,
    }))
}

/// Gould–Fernandez brokerage roles by actor type (counted as R's
/// `sna::brokerage`, an undirected tie being two arcs), with z-scores.
pub(crate) fn brokerage_of(view: &ClusterNetwork) -> Result<Value, weaver_network::NetworkError> {
    let (g, _) = graph_of(view)?;
    let actor: Vec<Option<&str>> = view
        .organizations
        .iter()
        .map(|o| Some(o.actor_type.as_str()))
        .collect();
    let groups: Vec<usize> = weaver_network::encode_groups(&actor)
        .into_iter()
        .map(|g| g.unwrap_or(0))
        .collect();
    let b = weaver_network::brokerage(&g, &groups)?;
    let rows: Vec<Value> = view
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut r = json!({"id": o.id, "name": o.name, "actor_type": o.actor_type});
            for (k, role) in weaver_network::ROLES.iter().enumerate() {
                r[*role] = num(b.raw[i][k]);
                r[format!("{role}_z")] = num(b.z[i][k]);
            }
            r
        })
        .collect();
    Ok(json!({
        "cluster": view.cluster, "period": view.period, "groups": "actor_type",
        "density": num(b.density), "nodes": rows,
    }))
}

/// "Who should meet whom": the recommender's best 100 suggestions, with
/// their reasons (structure, complementarity of actor type and field,
/// bridging of communities), as [`weaver_service::network::recommendations`]
/// gives them.
pub(crate) fn recommendations_of(
    view: &ClusterNetwork,
) -> Result<Value, weaver_network::NetworkError> {
    let (g, _) = graph_of(view)?;
    let (actor, field) = weaver_service::network::attributes_of(view);
    let s = weaver_service::network::recommendations(&g, Some(&actor), Some(&field))?;
    let name = |i: usize| &view.organizations[i];
    let rows: Vec<Value> = s
        .iter()
        .map(|x| &x.suggestion)
        .map(|x| {
            json!({
                "source": name(x.source).id, "source_name": name(x.source).name,
                "target": name(x.target).id, "target_name": name(x.target).name,
                "score": num(x.score), "structural": num(x.structural),
                "complementarity": num(x.complementarity), "bridging": num(x.bridging),
                "common_neighbors": x.common_neighbors, "reasons": x.reasons,
            })
        })
        .collect();
    Ok(json!({"cluster": view.cluster, "period": view.period, "suggestions": rows}))
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

/// A cluster-network analysis `kind` for `caller`: access checked, the
/// result cached at the register's version (apart for the rows that are
/// not private), computed on a blocking thread.
pub(crate) async fn cached_network_analysis(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    kind: &str,
    period: Option<&str>,
    analyse_fn: fn(&ClusterNetwork) -> Result<Value, weaver_network::NetworkError>,
) -> ApiResult<Json<Value>> {
    let who = &caller.principal;
    let scope = network_access(state, who, cluster, period).await?;
    let cache_kind = match scope {
        NetworkScope::All => kind.to_owned(),
        NetworkScope::Shared => format!("{kind}:shared"),
    };
    let cluster = cluster.to_owned();
    let period_key = period.unwrap_or_default().to_owned();
    let version = state.store.register_version().await?;
    if let Some((body, at)) = state
        .store
        .cached(&cache_kind, &cluster, &period_key, version)
        .await?
    {
        let mut v: Value = serde_json::from_str(&body)
            .map_err(|e| ApiError::bad_request(format!("cache: {e}")))?;
        v["computed_at"] = json!(at);
        v["cached"] = json!(true);
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(&cluster, period, scope)
        .await?;
    let mut v = tokio::task::spawn_blocking(move || analyse_fn(&view))
        .await
        .map_err(|e| ApiError::internal("analyse the network", e))?
        .map_err(|e| ApiError::bad_request(format!("the cluster's network: {e}")))?;
    state
        .store
        .cache(&cache_kind, &cluster, &period_key, version, &v.to_string())
        .await?;
    v["computed_at"] = json!(weaver_store::now_text());
    v["cached"] = json!(false);
    Ok(Json(v))
}
