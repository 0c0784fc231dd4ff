//! What the analysis routes (`routes/clusters.rs`, `routes/evaluation.rs`,
//! `routes/mapping.rs`) share: the API's limits on runs and work, the
//! result cache at the register's version ([`from_cache`], [`to_cache`]:
//! results that cost to compute are kept in the database, keyed by analysis,
//! cluster or reader, and period), and running a computation off the async
//! threads ([`compute`], [`answer`]). Also the mapping and a closing
//! campaign's evaluation, still computed here over `weaver-mapping` and
//! `weaver-evaluation` (to move to `weaver-service`).
//!
//! A cluster's analyses follow the network's rule
//! ([`crate::engines::network_access`]): managers and admins get them from
//! every row, the cluster's other readers from the rows that are not
//! private (cached apart).

use serde_json::{Value, json};
use weaver_evaluation::{Method, Observation};
use weaver_service::ranking::RankingRequest;
use weaver_store::Principal;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// Most Monte Carlo runs of a cascade.
pub const MAX_CASCADE_RUNS: usize = 10_000;
/// Most recommended ties added in a what-if.
pub const MAX_WHAT_IF: usize = 100;
/// Most work of one cascade request: runs × (nodes + ties).
pub const CASCADE_BUDGET: usize = 50_000_000;
/// Most runs of the uncertainty analysis of a ranking.
pub const MAX_UNCERTAINTY_RUNS: usize = 10_000;
/// Most work of one uncertainty analysis: runs × clusters × indicators.
pub const UNCERTAINTY_BUDGET: usize = 1_000_000_000;
/// Most runs of a sensitivity analysis.
pub const MAX_SENSITIVITY_RUNS: usize = 4_096;
/// Most work of one sensitivity analysis: runs × clusters × indicators
/// (each run computes the index once per factor and twice more).
pub const SENSITIVITY_BUDGET: usize = 100_000_000;

/// A number for JSON: `null` when not finite (no value).
pub(crate) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(crate) fn check_period(p: &str) -> ApiResult<()> {
    Ok(weaver_service::error::check_period(p)?)
}

pub(crate) async fn from_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
) -> ApiResult<Option<Value>> {
    let Some((body, at)) = state.store.cached(kind, key, period, version).await? else {
        return Ok(None);
    };
    let mut v: Value =
        serde_json::from_str(&body).map_err(|e| ApiError::internal("read the cache", e))?;
    v["computed_at"] = json!(at);
    v["cached"] = json!(true);
    Ok(Some(v))
}

/// Keeps a fresh result in the cache and marks it as fresh.
pub(crate) async fn to_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
    mut v: Value,
) -> ApiResult<Value> {
    state
        .store
        .cache(kind, key, period, version, &v.to_string())
        .await?;
    v["computed_at"] = json!(weaver_store::now_text());
    v["cached"] = json!(false);
    Ok(v)
}

/// Runs a computation off the async threads; a panic or a cancelled task is
/// a logged 500, the computation's own error a 400.
pub(crate) async fn compute<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(what, e))?
        .map_err(|e| ApiError::bad_request(format!("{what}: {e}")))
}

/// Runs a service computation off the async threads; a panic or a
/// cancelled task is a logged 500, a malformed question a 400 about `what`.
pub(crate) async fn answer<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> weaver_service::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(what, e))?
        .map_err(ApiError::about(what))
}

/// A cache key for what `who` may read ([`weaver_service::observations::reader_key`]).
pub(crate) use weaver_service::observations::reader_key;

// ---------------------------------------------------------------- compare

/// Most members of a cluster in either period for which a comparison
/// includes betweenness (exact, all pairs); above it betweenness is left
/// out (`weaver network compare` goes to 20,000).
pub const COMPARE_BETWEENNESS_LIMIT: usize = 2_000;

/// The evaluation kept when a campaign closes, per cluster of the campaign:
/// the composite index by the default method over the campaign's clusters
/// and indicators in its period (the observations the close freezes), so
/// that it can be recomputed from the frozen values. Like the network kept
/// then, it is what the programme sees: private observations are left out
/// (read as an officer of exactly the campaign's clusters would read them).
pub(crate) async fn campaign_evaluation(
    state: &AppState,
    campaign: &weaver_store::Campaign,
) -> ApiResult<Vec<(String, String, String)>> {
    let programme = Principal {
        user_id: 0,
        email: format!("campaign {}", campaign.id),
        role: weaver_core::enums::Role::Officer,
        managed: Vec::new(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: campaign.clusters.clone(),
    };
    let observations: Vec<Observation> = state
        .store
        .readable_observations(Some(&programme), Some(&campaign.period))
        .await?
        .into_iter()
        .filter(|o| {
            campaign.clusters.contains(&o.cluster) && campaign.indicators.contains(&o.indicator)
        })
        .map(weaver_service::observations::observation)
        .collect();
    if observations.is_empty() {
        return Ok(Vec::new());
    }
    let mut indicators = weaver_service::observations::catalogue(
        &state.store,
        weaver_service::observations::CatalogueOf::Everything,
        false,
    )
    .await?;
    indicators.retain(|i| campaign.indicators.contains(&i.id));
    let req = RankingRequest {
        period: campaign.period.clone(),
        method: Method::default(),
        method_name: "default".into(),
        runs: None,
        seed: 0,
        topsis: false,
        computed: false,
        max_work: Some(UNCERTAINTY_BUDGET),
    };
    let input = weaver_service::ranking::RankingInput {
        indicators,
        observations,
    };
    let v = answer("the campaign's evaluation", move || {
        weaver_service::ranking::ranking_of(input, &req)
    })
    .await?;
    let compared = v.clusters.len();
    Ok(v.clusters
        .iter()
        .map(|row| {
            let body = json!({
                "period": v.period, "method": v.method_record,
                "indicators": campaign.indicators, "clusters_compared": compared,
                "score": num(row.score), "rank": row.rank, "coverage": num(row.coverage),
            });
            (
                row.cluster.clone(),
                "evaluation".to_owned(),
                body.to_string(),
            )
        })
        .collect())
}

/// Location quotients and classes of every region × industry × year of the
/// register's regional activity, each industry its own category (as `weaver
/// map clusters --from-register` computes them).
pub(crate) fn mapping_of(
    rows: Vec<weaver_store::ActivityRow>,
    method: &str,
    percentiles: bool,
    year: Option<i32>,
) -> Result<Value, String> {
    use weaver_mapping::classify::{
        CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
        peer_percentile_ranks,
    };
    let panel = weaver_service::mapping::activity_panel(rows).map_err(|e| e.to_string())?;
    let lq = panel.location_quotients();
    let mut notices = Vec::new();
    let mut classes: Vec<Value> = match method {
        "cmp" => {
            let r = classify_cmp(&panel, &lq, &CmpOptions::default()).map_err(|e| e.to_string())?;
            if !r.establishments_used {
                notices.push("no establishments: the establishments condition of cmp is dropped");
            }
            r.classes
                .iter()
                .map(|c| json!({"qualifying": c.qualifying, "significant": c.significant, "strong": c.strong, "strong10": c.strong10}))
                .collect()
        }
        "eco" => classify_eco(&panel, &lq, &EcoOptions::default())
            .map_err(|e| e.to_string())?
            .iter()
            .map(|s| json!({"size_star": s.size, "specialisation_star": s.specialisation, "focus_star": s.focus, "stars": s.count()}))
            .collect(),
        _ => classify_quadrant(&panel, &lq, &QuadrantOptions::default())
            .map_err(|e| e.to_string())?
            .iter()
            .map(|q| json!({"quadrant": q.map(|q| q.as_str())}))
            .collect(),
    };
    if percentiles {
        let emp: Vec<f64> = panel.cells.iter().map(|c| c.employment).collect();
        let lp = peer_percentile_ranks(&panel, &lq).map_err(|e| e.to_string())?;
        let ep = peer_percentile_ranks(&panel, &emp).map_err(|e| e.to_string())?;
        for (i, c) in classes.iter_mut().enumerate() {
            c["lq_percentile"] = num(lp[i]);
            c["employment_percentile"] = num(ep[i]);
        }
    }
    // Every year is classified (the quadrant compares years); one is kept.
    let y = match year {
        Some(y) => panel.years.iter().position(|&x| x == y).ok_or_else(|| {
            let years: Vec<String> = panel.years.iter().map(i32::to_string).collect();
            format!(
                "the regional activity has no year {y} (years: {})",
                years.join(", ")
            )
        })?,
        None => panel.years.len().saturating_sub(1),
    };
    let cells: Vec<Value> = panel
        .cells
        .iter()
        .zip(classes)
        .enumerate()
        .filter(|(_, (c, _))| c.year() == y)
        .map(|(i, (c, extra))| {
            let mut v = json!({
                "region": panel.regions[c.region()], "cluster": panel.clusters[c.cluster()],
                "year": panel.years[c.year()], "employment": num(c.employment),
                "establishments": c.establishments().map_or(Value::Null, num), "lq": num(lq[i]),
            });
            if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
                o.extend(e);
            }
            v
        })
        .collect();
    Ok(json!({
        "method": method, "year": panel.years.get(y), "years": panel.years,
        "definitions": "each industry is its own category (no cluster definitions)",
        "notices": notices, "cells": cells,
    }))
}
