//! The register analyses the command line offered alone until now, over
//! HTTP: each parses its request, calls one `weaver-service` function with
//! the caller's principal and renders the typed answer.
//!
//! | endpoint | what | who |
//! |---|---|---|
//! | `GET /evaluation/policy` | a programme's effect on an indicator (difference in differences), as `weaver evaluate policy --from-register` | everyone, over the observations, programmes and clusters they may read |
//! | `GET /evaluation/public-share` | the public share of each cluster's funding per year, as `weaver evaluate policy --from-register --public-share` | everyone, over the funding they may read |
//! | `GET /evaluation/benchmark` | each cluster's dimension scores against the median and the best of all clusters, as `weaver evaluate benchmark --from-register` | everyone, over the observations they may read |
//! | `GET /mapping/strength` | cluster strength of every region and year, as `weaver map strength --from-register` | everyone, over the regional activity they may read |
//! | `GET /mapping/complexity` | economic complexity (RCA, proximity, density, ECI, PCI, COI, COG, what next), as `weaver map complexity --from-register` | everyone, likewise |
//!
//! The mapping answers are cached at the register's version per reader's
//! rights, as `/mapping/growth` is.

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::files::internal;
use weaver_service::observations::reader_key;

/// Most work of one complexity request: regions × industries + industries².
pub const COMPLEXITY_BUDGET: usize = 25_000_000;
/// Longest "what next" list of a complexity request.
pub const MAX_COMPLEXITY_TOP: usize = 1_000;

/// Runs a service computation off the async threads; a panic or a
/// cancelled task is a logged 500, the service's error its status.
async fn answer<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> weaver_service::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| internal(what, e))?
        .map_err(ApiError::about(what))
}

/// A cached answer at `version`, marked as cached.
async fn from_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
) -> ApiResult<Option<Value>> {
    let Some((body, at)) = state.store.cached(kind, key, period, version).await? else {
        return Ok(None);
    };
    let mut v: Value = serde_json::from_str(&body).map_err(|e| internal("read the cache", e))?;
    v["computed_at"] = json!(at);
    v["cached"] = json!(true);
    Ok(Some(v))
}

/// Keeps a fresh answer in the cache and marks it as fresh.
async fn to_cache(
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

fn four_digits(name: &str, y: i32) -> ApiResult<()> {
    if (1000..=9999).contains(&y) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{name} must be a four-digit year, not {y}"
        )))
    }
}

// ---------------------------------------------------------------- evaluation

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyQuery {
    indicator: String,
    programme: Option<String>,
    treated: Option<String>,
    start: Option<String>,
    computed: Option<bool>,
}

/// `GET /api/v1/evaluation/policy?indicator=&programme=&treated=&start=&computed=`:
/// the difference in differences of an indicator between the clusters a
/// programme funds (or the comma-separated `treated` clusters) and the
/// others, before and from the programme's start (or `start`), over the
/// observations the caller may read (with the computed indicators unless
/// `computed=false`), as `weaver evaluate policy --from-register` gives it
/// ([`weaver_service::policy::policy_effect`]).
pub(crate) async fn policy(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<PolicyQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    ApiError::check_text("indicator", &q.indicator)?;
    if let Some(p) = &q.programme {
        ApiError::check_text("programme", p)?;
    }
    let treated: Vec<String> = q
        .treated
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    for t in &treated {
        ApiError::check_text("treated", t)?;
    }
    if q.programme.is_some() && !treated.is_empty() {
        return Err(ApiError::bad_request(
            "give either a programme or the treated clusters, not both",
        ));
    }
    let params = weaver_service::policy::PolicyParams {
        indicator: q.indicator,
        programme: q.programme,
        treated,
        start: q.start,
        computed: q.computed.unwrap_or(true),
    };
    let who = caller.as_ref().map(|c| &c.principal);
    let effect = weaver_service::policy::policy_effect(&state.store, who, &params, true)
        .await
        .map_err(ApiError::about("the policy effect"))?;
    Ok(Json(json!(effect)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicShareQuery {
    period: Option<String>,
}

/// `GET /api/v1/evaluation/public-share?period=`: the public share of the
/// funding of each cluster (its own and its projects') per year, over the
/// funding the caller may read, as `weaver evaluate policy --from-register
/// --public-share` gives it ([`weaver_service::policy::readable_public_shares`]).
pub(crate) async fn public_share(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<PublicShareQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let who = caller.as_ref().map(|c| &c.principal);
    let rows =
        weaver_service::policy::readable_public_shares(&state.store, who, q.period.as_deref())
            .await
            .map_err(ApiError::about("the public shares"))?;
    Ok(Json(json!({"period": q.period, "shares": rows})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BenchmarkQuery {
    period: Option<String>,
    framework: Option<String>,
    cluster: Option<String>,
    computed: Option<bool>,
}

/// `GET /api/v1/evaluation/benchmark?period=&framework=&cluster=&computed=`:
/// each cluster's dimension scores of the composite index against the
/// median and the best of the clusters the caller may see (its peers), over
/// the observations the caller may read, as `weaver evaluate benchmark
/// --from-register` gives it without `--peers`
/// ([`weaver_service::ranking::benchmark`]).
pub(crate) async fn benchmark(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<BenchmarkQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let (method, method_name) = weaver_service::ranking::method_of(None, q.framework.as_deref())?;
    if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
        return Err(ApiError::bad_request(
            "imputation = \"group_mean\" needs a group for each cluster, which the API does not \
             take; use `weaver evaluate benchmark --groups G.csv`",
        ));
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let input = weaver_service::ranking::evaluation_input(
        &state.store,
        who,
        q.period.as_deref(),
        q.computed.unwrap_or(true),
        true,
    )
    .await?;
    let period = q.period.clone();
    let mut rows = answer("the benchmark", move || {
        let panel = weaver_service::ranking::panel_of(input, &method)?;
        weaver_service::ranking::benchmark(
            &panel,
            &method,
            period.as_deref(),
            None,
            &HashMap::new(),
        )
    })
    .await?;
    rows.retain(|r| q.cluster.as_ref().is_none_or(|c| *c == r.cluster));
    Ok(Json(json!({
        "period": q.period,
        "method": method_name,
        "benchmark": rows,
    })))
}

// ---------------------------------------------------------------- mapping

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StrengthQuery {}

/// `GET /api/v1/mapping/strength`: the share of each region's traded
/// employment in strong clusters per year, in the regional activity the
/// caller may read, as `weaver map strength --from-register` gives it
/// ([`weaver_service::mapping::strength`]); cached per reader's rights.
pub(crate) async fn strength(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<StrengthQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(StrengthQuery {}) = q?;
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, "strength", &reader, "", version).await? {
        return Ok(Json(v));
    }
    let panel = weaver_service::mapping::readable_panel(&state.store, who).await?;
    let answer = answer("the cluster strength", move || {
        weaver_service::mapping::strength(&panel)
    })
    .await?;
    Ok(Json(
        to_cache(&state, "strength", &reader, "", version, json!(answer)).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComplexityQuery {
    year: Option<i32>,
    kind: Option<String>,
    rca_threshold: Option<f64>,
    top: Option<usize>,
}

/// `GET /api/v1/mapping/complexity?year=&kind=&rca_threshold=&top=`: RCA,
/// proximity, density, ECI, PCI, COI, COG and each region's "what next"
/// list in a year of the regional activity the caller may read, as `weaver
/// map complexity --from-register` gives them
/// ([`weaver_service::mapping::complexity`]); cached per reader's rights.
pub(crate) async fn complexity(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<ComplexityQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    if let Some(y) = q.year {
        four_digits("year", y)?;
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
    let kind = format!(
        "complexity:{rca_threshold}:{top}:{}",
        q.kind.as_deref().unwrap_or_default()
    );
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &reader, &period, version).await? {
        return Ok(Json(v));
    }
    let panel = weaver_service::mapping::readable_panel(&state.store, who).await?;
    let params = weaver_service::mapping::ComplexityParams {
        year: q.year,
        kind: q.kind.clone(),
        rca_threshold,
        top,
        kind_flag: "kind=",
        max_work: Some(COMPLEXITY_BUDGET),
    };
    let answer = answer("the complexity", move || {
        weaver_service::mapping::complexity(&panel, &params)
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &reader, &period, version, json!(answer)).await?,
    ))
}
