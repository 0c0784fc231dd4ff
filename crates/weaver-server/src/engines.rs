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

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

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
            for role in weaver_network::BrokerageRole::ALL {
                r[role.as_str()] = num(b.raw[i][role]);
                r[format!("{role}_z")] = num(b.z[i][role]);
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

/// `GET /api/v1/clusters/{id}/{analysis}`: `network`, `brokerage` or
/// `recommendations`.
pub(crate) async fn cluster_network(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path((cluster, kind)) = params?;
    let analyse_fn: fn(&ClusterNetwork) -> Result<Value, weaver_network::NetworkError> =
        match kind.as_str() {
            "network" => analyse,
            "brokerage" => brokerage_of,
            "recommendations" => recommendations_of,
            _ => {
                return Err(ApiError::not_found(format!(
                    "no analysis '{kind}'; a cluster has network, brokerage, recommendations, \
                     openness, diffusion, labels and paths"
                )));
            }
        };
    let Query(q) = q?;
    cached_network_analysis(
        &state,
        &caller,
        &cluster,
        &kind,
        q.period.as_deref(),
        analyse_fn,
    )
    .await
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
        "openness",
        q.period.as_deref(),
        |view| Ok(json!(weaver_service::network::cluster_openness(view)?)),
    )
    .await
}

/// A cluster-network analysis `kind` for `caller`: access checked, the
/// result cached at the register's version (apart for the rows that are
/// not private), computed on a blocking thread.
async fn cached_network_analysis(
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
        .map_err(|e| {
            tracing::error!(error = %e, "network analysis failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the network analysis failed; it has been logged",
            )
        })?
        .map_err(|e| ApiError::bad_request(format!("the cluster's network: {e}")))?;
    state
        .store
        .cache(&cache_kind, &cluster, &period_key, version, &v.to_string())
        .await?;
    v["computed_at"] = json!(weaver_store::now_text());
    v["cached"] = json!(false);
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
    q.period.parse::<weaver_core::period::Period>()?;
    let who = caller.as_ref().map(|c| &c.principal);
    let req = weaver_service::ranking::RankingRequest {
        period: q.period.clone(),
        method: weaver_evaluation::IndexMethod::default(),
        method_name: "default".into(),
        runs: None,
        seed: 0,
        topsis: false,
        computed: false,
        max_work: None,
    };
    let no_observations = || {
        ApiError::not_found(format!(
            "there are no observations for {} that you may see",
            q.period
        ))
    };
    let input = match weaver_service::ranking::ranking_input(&state.store, who, &req, true).await {
        Err(weaver_service::ServiceError::NotFound(_)) => return Err(no_observations()),
        r => r?,
    };
    if !input.observations.iter().any(|o| o.period == q.period) {
        return Err(no_observations());
    }
    let r = tokio::task::spawn_blocking(move || weaver_service::ranking::ranking_of(input, &req))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "index failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the index failed; it has been logged",
            )
        })?
        .map_err(ApiError::about("the index cannot be computed"))?;
    let rows: Vec<Value> = r
        .clusters
        .iter()
        .map(|c| json!({"cluster": c.cluster, "score": num(c.score), "rank": c.rank, "coverage": num(c.coverage)}))
        .collect();
    Ok(Json(json!({
        "period": r.period,
        "method": "min-max to [0, 100], equal weights within and across dimensions, arithmetic mean",
        "clusters": rows,
    })))
}
