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
    CommunityOptions, EdgeRecord, Graph, GraphOptions, PageRankOptions, attribute_assortativity,
    clustering, communities, components, core_number, degree, degree_assortativity, density,
    pagerank, strength, transitivity,
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

/// The cluster's members as nodes and the ties among them as undirected
/// edges (weighted when any tie has a weight); whether it is weighted.
pub(crate) fn graph_of(
    view: &ClusterNetwork,
) -> Result<(Graph, bool), weaver_network::NetworkError> {
    let nodes: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
    let weighted = view.ties.iter().any(|t| t.weight.is_some());
    let member: std::collections::HashSet<&str> = nodes.iter().map(String::as_str).collect();
    let edges: Vec<EdgeRecord> = view
        .ties
        .iter()
        .filter(|t| member.contains(t.source.as_str()) && member.contains(t.target.as_str()))
        .map(|t| EdgeRecord::new(t.source.clone(), t.target.clone(), t.weight.unwrap_or(1.0)))
        .collect();
    let (g, _) = Graph::from_edges(
        &nodes,
        &edges,
        GraphOptions {
            directed: false,
            weighted,
        },
    )?;
    Ok((g, weighted))
}

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
/// bridging of communities).
pub(crate) fn recommendations_of(
    view: &ClusterNetwork,
) -> Result<Value, weaver_network::NetworkError> {
    let (g, _) = graph_of(view)?;
    let actor: Vec<Option<String>> = view
        .organizations
        .iter()
        .map(|o| Some(o.actor_type.clone()))
        .collect();
    let field: Vec<Option<String>> = view
        .organizations
        .iter()
        .map(|o| o.industry.clone())
        .collect();
    let mut s = weaver_network::recommend(
        &g,
        weaver_network::RecommendAttributes {
            actor_type: Some(&actor),
            field: Some(&field),
        },
        &weaver_network::RecommendOptions::default(),
    )?;
    s.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
    });
    s.truncate(100);
    let name = |i: usize| &view.organizations[i];
    let rows: Vec<Value> = s
        .iter()
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
/// `period` (a valid period, a cluster they read) and says which rows it is
/// built from: managers and admins read the cluster's private rows; everyone
/// else who reads the cluster gets the analysis of what they may see.
pub(crate) async fn network_access(
    state: &AppState,
    who: &weaver_store::Principal,
    cluster: &str,
    period: Option<&str>,
) -> ApiResult<NetworkScope> {
    if let Some(p) = period
        && !weaver_core::cell::is_period(p)
    {
        return Err(ApiError::bad_request(format!(
            "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '{p}'"
        )));
    }
    let t =
        weaver_core::schema::table("clusters").ok_or_else(|| ApiError::not_found("clusters"))?;
    state
        .store
        .get(t, Some(who), &weaver_store::RowKey::Id(cluster.to_owned()))
        .await?;
    if !who.is_admin() && !who.readable.iter().any(|c| c == cluster) {
        return Err(ApiError::forbidden(
            "a cluster's network is analysed for its managers, the officers of programmes \
             funding it, its members and admins",
        ));
    }
    Ok(
        if who.is_admin() || who.managed.iter().any(|c| c == cluster) {
            NetworkScope::All
        } else {
            NetworkScope::Shared
        },
    )
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
                    "no analysis '{kind}'; a cluster has network, brokerage and recommendations"
                )));
            }
        };
    let Query(q) = q?;
    let who = &caller.principal;
    let scope = network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let cache_kind = match scope {
        NetworkScope::All => kind.clone(),
        NetworkScope::Shared => format!("{kind}:shared"),
    };
    let period = q.period.clone().unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some((body, at)) = state
        .store
        .cached(&cache_kind, &cluster, &period, version)
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
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
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
        .cache(&cache_kind, &cluster, &period, version, &v.to_string())
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
/// and across dimensions, arithmetic mean — recorded with the result.
pub(crate) async fn league_table(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<IndexQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    if !weaver_core::cell::is_period(&q.period) {
        return Err(ApiError::bad_request(format!(
            "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '{}'",
            q.period
        )));
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let obs = state
        .store
        .readable_observations(who, Some(&q.period))
        .await?;
    if obs.is_empty() {
        return Err(ApiError::not_found(format!(
            "there are no observations for {} that you may see",
            q.period
        )));
    }
    let indicators: Vec<weaver_evaluation::Indicator> = state
        .store
        .readable_indicators(who)
        .await?
        .into_iter()
        .map(crate::register_indicators::engine_indicator)
        .collect();
    let observations: Vec<weaver_evaluation::Observation> = obs
        .into_iter()
        .map(|o| weaver_evaluation::Observation {
            unit: o.cluster,
            indicator: o.indicator,
            period: o.period,
            value: o.value,
        })
        .collect();
    let period = q.period.clone();
    let out = tokio::task::spawn_blocking(move || -> Result<Value, String> {
        let panel = weaver_evaluation::Panel::from_observations(indicators, &observations)
            .map_err(|e| e.to_string())?;
        let method = weaver_evaluation::Method::default();
        let options = weaver_evaluation::IndexOptions {
            period: Some(period),
            ..Default::default()
        };
        let r = weaver_evaluation::composite_index(&panel, &method, &options)
            .map_err(|e| e.to_string())?;
        let p = r.periods.first().ok_or("no period computed")?;
        let mut rows: Vec<Value> = panel
            .units
            .iter()
            .enumerate()
            .filter(|(i, _)| p.present[*i])
            .map(|(i, u)| {
                json!({"cluster": u, "score": num(p.scores[i]), "rank": p.ranks[i], "coverage": num(p.coverage[i])})
            })
            .collect();
        rows.sort_by_key(|v| v["rank"].as_u64().unwrap_or(u64::MAX));
        Ok(json!({
            "period": p.period,
            "method": "min-max to [0, 100], equal weights within and across dimensions, arithmetic mean",
            "clusters": rows,
        }))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "index failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the index failed; it has been logged")
    })?
    .map_err(|e| ApiError::bad_request(format!("the index cannot be computed: {e}")))?;
    Ok(Json(out))
}
