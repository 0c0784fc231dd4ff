//! The engines' other results over HTTP, answered by `weaver-service`
//! (shared with the command line); this module parses the request, checks
//! the API's limits, caches the answer and renders it:
//!
//! | endpoint | what | who |
//! |---|---|---|
//! | `GET /clusters/{id}/diffusion` | independent-cascade spread of each member as a seed, and the what-if of the top-k recommended ties | the cluster's readers (as `…/network`) |
//! | `GET /clusters/{id}/labels` | the ECCP profile criteria from the register | the cluster's readers |
//! | `GET`/`POST /evaluation/ranking` | composite index by the default method, a built-in framework or a method file, with rank intervals from the uncertainty analysis | everyone, over the observations they may read |
//! | `GET /evaluation/lifecycle` | lifecycle and policy stage per cluster and period | everyone, likewise |
//! | `GET /mapping/clusters` | location quotients with strong clusters, stars or quadrants per year | everyone, over the regional activity they may read |
//!
//! Results that cost to compute are cached in the database at the
//! register's version, as the network endpoints are. A cluster's analyses
//! follow the network's rule ([`crate::engines::network_access`]): managers
//! and admins get them from every row, the cluster's other readers from the
//! rows that are not private (cached apart).

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_evaluation::Method;
use weaver_network::CascadeOptions;
use weaver_service::ranking::RankingRequest;
use weaver_store::NetworkScope;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::files::internal;

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

fn check_period(p: &str) -> ApiResult<()> {
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
    let mut v: Value = serde_json::from_str(&body).map_err(|e| internal("read the cache", e))?;
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

/// Runs a service computation off the async threads; a panic or a
/// cancelled task is a logged 500, a malformed question a 400 about `what`.
async fn answer<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> weaver_service::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| internal(what, e))?
        .map_err(ApiError::about(what))
}

/// A user's value as a part of a cache key, unambiguous whatever it holds
/// (its length first).
fn key_part(v: Option<&str>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{}.{v}", v.len()))
}

/// A cache key for what `who` may read ([`weaver_service::observations::reader_key`]).
pub(crate) use weaver_service::observations::reader_key;

// ---------------------------------------------------------------- diffusion

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiffusionQuery {
    period: Option<String>,
    runs: Option<usize>,
    probability: Option<f64>,
    seed: Option<u64>,
    what_if: Option<usize>,
    weighted: Option<bool>,
}
/// `GET /api/v1/clusters/{id}/diffusion?period=&runs=&probability=&seed=&what_if=&weighted=`.
pub(crate) async fn diffusion(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<DiffusionQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let runs = q.runs.unwrap_or(1_000);
    if !(1..=MAX_CASCADE_RUNS).contains(&runs) {
        return Err(ApiError::bad_request(format!(
            "runs must be between 1 and {MAX_CASCADE_RUNS}, not {runs}"
        )));
    }
    let probability = q.probability.unwrap_or(0.1);
    if !(0.0..=1.0).contains(&probability) {
        return Err(ApiError::bad_request(format!(
            "probability must be between 0 and 1, not {probability}"
        )));
    }
    let what_if = q.what_if.unwrap_or(0);
    if what_if > MAX_WHAT_IF {
        return Err(ApiError::bad_request(format!(
            "what_if must be between 0 and {MAX_WHAT_IF} recommended ties, not {what_if}"
        )));
    }
    let options = CascadeOptions {
        probability,
        weighted: q.weighted.unwrap_or(false),
        runs,
        seed: q.seed.unwrap_or(0),
    };
    let who = &caller.principal;
    let scope = crate::engines::network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let period = q.period.clone().unwrap_or_default();
    let kind = format!(
        "diffusion:{runs}:{probability}:{}:{what_if}:{}{}",
        options.seed,
        options.weighted,
        if scope == NetworkScope::Shared {
            ":shared"
        } else {
            ""
        }
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, &period, version).await? {
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
        .await?;
    let params = weaver_service::diffusion::DiffusionParams {
        cascade: options,
        what_if,
        max_work: Some(CASCADE_BUDGET),
    };
    let answer = answer("the diffusion", move || {
        weaver_service::diffusion::of_view(&view, &params)
    })
    .await?;
    let v = json!(answer);
    Ok(Json(
        to_cache(&state, &kind, &cluster, &period, version, v).await?,
    ))
}

// ---------------------------------------------------------------- compare

/// Most members of a cluster in either period for which a comparison
/// includes betweenness (exact, all pairs); above it betweenness is left
/// out (`weaver network compare` goes to 20,000).
pub const COMPARE_BETWEENNESS_LIMIT: usize = 2_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompareQuery {
    before: String,
    after: String,
}

/// `GET /api/v1/clusters/{id}/compare?before=2020&after=2024`: the
/// cluster's network in two periods compared — entrants and exits, each
/// member's degree, strength, PageRank and betweenness before and after,
/// each tie's change — as `weaver network compare --cluster ID` gives it
/// ([`weaver_service::network::compare`]); the network's readers, cached
/// as the network is.
pub(crate) async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    let who = &caller.principal;
    let scope =
        crate::engines::network_access(&state, who, &cluster, Some(q.before.as_str())).await?;
    crate::engines::network_access(&state, who, &cluster, Some(q.after.as_str())).await?;
    let kind = format!(
        "compare:{}{}",
        q.after,
        if scope == NetworkScope::Shared {
            ":shared"
        } else {
            ""
        }
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, &q.before, version).await? {
        return Ok(Json(v));
    }
    let before = state
        .store
        .cluster_network_in(&cluster, Some(&q.before), scope)
        .await?;
    let after = state
        .store
        .cluster_network_in(&cluster, Some(&q.after), scope)
        .await?;
    let answer = answer("the comparison", move || {
        let graph = |v: &weaver_store::ClusterNetwork| {
            weaver_service::network::GraphInput::of(v)
                .graph()
                .map_err(|e| weaver_service::ServiceError::invalid(e.to_string()))
        };
        weaver_service::network::compare(
            &graph(&before)?,
            &graph(&after)?,
            COMPARE_BETWEENNESS_LIMIT,
        )
        .map_err(|e| weaver_service::ServiceError::invalid(e.to_string()))
    })
    .await?;
    let mut v = json!(answer);
    v["cluster"] = json!(cluster);
    v["before"] = json!(q.before);
    v["after"] = json!(q.after);
    Ok(Json(
        to_cache(&state, &kind, &cluster, &q.before, version, v).await?,
    ))
}

// ---------------------------------------------------------------- labels

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

/// `GET /api/v1/clusters/{id}/labels?period=`: the ECCP profile criteria
/// ([`weaver_evaluation::labels::ECCP_PROFILE`]) checked on the cluster's
/// profile as the register has it in the period
/// ([`weaver_service::labels::cluster_labels`]).
pub(crate) async fn labels(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    let answer = weaver_service::labels::cluster_labels(
        &state.store,
        &caller.principal,
        &cluster,
        q.period.as_deref(),
    )
    .await?;
    Ok(Json(json!(answer)))
}

// ---------------------------------------------------------------- evaluation

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RankingQuery {
    period: String,
    framework: Option<String>,
    runs: Option<usize>,
    seed: Option<u64>,
    ranking: Option<String>,
    computed: Option<bool>,
}

async fn ranking(
    state: AppState,
    caller: Option<Caller>,
    q: RankingQuery,
    body: Option<String>,
) -> ApiResult<Json<Value>> {
    check_period(&q.period)?;
    let (method, method_name) =
        weaver_service::ranking::method_of(body.as_deref(), q.framework.as_deref())?;
    if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
        return Err(ApiError::bad_request(
            "imputation = \"group_mean\" needs a group for each cluster, which the API does not \
             take; use `weaver evaluate index --groups G.csv`",
        ));
    }
    let topsis = match q.ranking.as_deref() {
        None | Some("index") => false,
        Some("topsis") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "ranking must be index or topsis, not '{other}'"
            )));
        }
    };
    if let Some(runs) = q.runs {
        if !(1..=MAX_UNCERTAINTY_RUNS).contains(&runs) {
            return Err(ApiError::bad_request(format!(
                "runs must be between 1 and {MAX_UNCERTAINTY_RUNS}, not {runs}"
            )));
        }
        if topsis {
            return Err(ApiError::bad_request(
                "the uncertainty analysis (runs) varies the index; it does not go with ranking=topsis",
            ));
        }
    }
    let req = RankingRequest {
        period: q.period,
        method,
        method_name,
        runs: q.runs,
        seed: q.seed.unwrap_or(0),
        topsis,
        computed: q.computed.unwrap_or(true),
        max_work: Some(UNCERTAINTY_BUDGET),
    };
    let who = caller.as_ref().map(|c| &c.principal);
    let input = weaver_service::ranking::ranking_input(&state.store, who, &req, true).await?;
    // The cache key is what the result depends on: the observations the
    // caller reads, the method and the settings.
    let key = input.key(&req);
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, "ranking", &key, &req.period, version).await? {
        return Ok(Json(v));
    }
    let period = req.period.clone();
    let answer = answer("the ranking", move || {
        weaver_service::ranking::ranking_of(input, &req)
    })
    .await?;
    let v = json!(answer);
    Ok(Json(
        to_cache(&state, "ranking", &key, &period, version, v).await?,
    ))
}

/// `GET /api/v1/evaluation/ranking?period=&framework=&runs=&seed=&ranking=`:
/// the composite index of the clusters whose observations the caller may
/// read (the public: published ones) with the default method or a built-in
/// framework, and with `runs` the rank intervals of the uncertainty analysis.
pub(crate) async fn ranking_get(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<RankingQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    ranking(state, caller, q, None).await
}

/// `POST /api/v1/evaluation/ranking?period=…` with a TOML method file as
/// the body (as `weaver evaluate index --method`).
pub(crate) async fn ranking_post(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<RankingQuery>, QueryRejection>,
    body: Result<String, axum::extract::rejection::StringRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let body = body.map_err(|r| {
        ApiError::new(
            r.status(),
            "invalid",
            format!("the method file: {}", r.body_text()),
        )
    })?;
    if body.trim().is_empty() {
        return Err(ApiError::bad_request(
            "send a TOML method file as the body (or use GET for the default method)",
        ));
    }
    ranking(state, caller, q, Some(body)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LifecycleQuery {
    period: Option<String>,
    cluster: Option<String>,
}

/// `GET /api/v1/evaluation/lifecycle?period=&cluster=`: the lifecycle stage
/// (Menzel & Fornahl 2010) and the policy stage of each cluster in each
/// period by the shipped rules, as `weaver evaluate lifecycle` gives them,
/// over the observations the caller may read; the rules that fired are
/// listed with the values that made them fire.
pub(crate) async fn lifecycle(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<LifecycleQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let who = caller.as_ref().map(|c| &c.principal);
    let answer = weaver_service::lifecycle::lifecycle(
        &state.store,
        who,
        q.period.as_deref(),
        q.cluster.as_deref(),
        true,
    )
    .await?;
    Ok(Json(json!(answer)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrendsQuery {
    cluster: Option<String>,
    computed: Option<bool>,
}

/// `GET /api/v1/evaluation/trends?cluster=&computed=`: the trend (change
/// and CAGR) of every cluster and indicator between its first and last
/// period with a value, over the observations the caller may read (with the
/// computed indicators unless `computed=false`), as `weaver evaluate
/// benchmark --trends --from-register` gives it
/// ([`weaver_service::ranking::trends`]).
pub(crate) async fn trends(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<TrendsQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let who = caller.as_ref().map(|c| &c.principal);
    let computed = q.computed.unwrap_or(true);
    let read =
        weaver_service::observations::observations_for(&state.store, who, None, computed, true)
            .await?;
    if read.observations.is_empty() {
        return Err(ApiError::not_found(
            "there are no observations that you may see",
        ));
    }
    let indicators = weaver_service::observations::catalogue(
        &state.store,
        weaver_service::observations::CatalogueOf::Caller(who),
        computed,
    )
    .await?;
    let input = weaver_service::ranking::RankingInput {
        indicators,
        observations: read.observations,
    };
    let mut rows = answer("the trends", move || {
        let panel = weaver_service::ranking::panel_of(input, &Method::default())?;
        Ok(weaver_service::ranking::trends(&panel))
    })
    .await?;
    rows.retain(|r| q.cluster.as_ref().is_none_or(|c| *c == r.cluster));
    Ok(Json(json!({"trends": rows})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChecksQuery {
    period: Option<String>,
    framework: Option<String>,
    computed: Option<bool>,
}

/// `GET /api/v1/evaluation/checks?period=&framework=&computed=`: the
/// statistical checks of every indicator of the method (availability,
/// skew, kurtosis, outlier flag, Cronbach's α of its dimension, negative
/// correlations) over the observations the caller may read, as `weaver
/// evaluate checks --from-register` gives them
/// ([`weaver_service::ranking::checks`]).
pub(crate) async fn checks(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<ChecksQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let (method, _) = weaver_service::ranking::method_of(None, q.framework.as_deref())?;
    let who = caller.as_ref().map(|c| &c.principal);
    let computed = q.computed.unwrap_or(true);
    let read = weaver_service::observations::observations_for(
        &state.store,
        who,
        q.period.as_deref(),
        computed,
        true,
    )
    .await?;
    if read.observations.is_empty() {
        return Err(ApiError::not_found(
            "there are no observations that you may see",
        ));
    }
    if let Some(p) = &q.period
        && !read.observations.iter().any(|o| o.period == *p)
    {
        return Err(ApiError::not_found(format!(
            "there are no observations for {p} that you may see"
        )));
    }
    let indicators = weaver_service::observations::catalogue(
        &state.store,
        weaver_service::observations::CatalogueOf::Caller(who),
        computed,
    )
    .await?;
    let input = weaver_service::ranking::RankingInput {
        indicators,
        observations: read.observations,
    };
    let period = q.period.clone();
    let rows = answer("the checks", move || {
        let panel = weaver_service::ranking::panel_of(input, &method)?;
        weaver_service::ranking::checks(&panel, &method, period.as_deref(), None)
    })
    .await?;
    Ok(Json(json!({"period": q.period, "checks": rows})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SensitivityQuery {
    period: String,
    framework: Option<String>,
    runs: Option<usize>,
    seed: Option<u64>,
    leave_one_out: Option<bool>,
    computed: Option<bool>,
}

/// `GET /api/v1/evaluation/sensitivity?period=&framework=&runs=&seed=&leave_one_out=&computed=`:
/// how much the method's uncertain choices move the ranks in a period
/// (Sobol indices of the mean rank shift), or with `leave_one_out=true`
/// the mean rank shift when each indicator is left out, over the
/// observations the caller may read, as `weaver evaluate sensitivity
/// --from-register` computes it ([`weaver_service::ranking::sensitivity`]).
pub(crate) async fn sensitivity(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<SensitivityQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    check_period(&q.period)?;
    let runs = q.runs.unwrap_or(256);
    if !(1..=MAX_SENSITIVITY_RUNS).contains(&runs) {
        return Err(ApiError::bad_request(format!(
            "runs must be between 1 and {MAX_SENSITIVITY_RUNS}, not {runs}"
        )));
    }
    let (method, _) = weaver_service::ranking::method_of(None, q.framework.as_deref())?;
    if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
        return Err(ApiError::bad_request(
            "imputation = \"group_mean\" needs a group for each cluster, which the API does not \
             take; use `weaver evaluate sensitivity --groups G.csv`",
        ));
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let computed = q.computed.unwrap_or(true);
    let read = weaver_service::observations::observations_for(
        &state.store,
        who,
        Some(&q.period),
        computed,
        true,
    )
    .await?;
    if !read.observations.iter().any(|o| o.period == q.period) {
        return Err(ApiError::not_found(format!(
            "there are no observations for {} that you may see",
            q.period
        )));
    }
    let indicators = weaver_service::observations::catalogue(
        &state.store,
        weaver_service::observations::CatalogueOf::Caller(who),
        computed,
    )
    .await?;
    let input = weaver_service::ranking::RankingInput {
        indicators,
        observations: read.observations,
    };
    let (period, seed, loo) = (
        q.period.clone(),
        q.seed.unwrap_or(0),
        q.leave_one_out.unwrap_or(false),
    );
    let v = answer("the sensitivity analysis", move || {
        let panel = weaver_service::ranking::panel_of(input, &method)?;
        let work = runs
            .saturating_mul(panel.units.len())
            .saturating_mul(panel.indicators.len());
        if !loo && work > SENSITIVITY_BUDGET {
            return Err(weaver_service::ServiceError::Invalid(format!(
                "{runs} runs on {} clusters and {} indicators is more than one request may \
                 compute (runs × clusters × indicators ≤ {SENSITIVITY_BUDGET}); ask for fewer \
                 runs, or use `weaver evaluate sensitivity`",
                panel.units.len(),
                panel.indicators.len()
            )));
        }
        weaver_service::ranking::sensitivity(&panel, &method, Some(&period), runs, seed, loo, None)
    })
    .await?;
    let mut out = json!(v);
    out["period"] = json!(q.period);
    out["runs"] = json!(runs);
    out["seed"] = json!(seed);
    Ok(Json(out))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComputedQuery {
    period: Option<String>,
    cluster: Option<String>,
}

/// `GET /api/v1/evaluation/computed?period=&cluster=`: the values of the
/// indicators the register computes (`auto.*`) for the clusters the caller
/// reads, computed from the rows the caller may read, or entered for the
/// same code (which wins), with their origin — as `weaver evaluate
/// computed` lists them ([`weaver_service::observations::computed_values`]).
/// The public gets only entered values.
pub(crate) async fn computed(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<ComputedQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let (mut values, read) =
        weaver_service::observations::computed_values(&state.store, who, q.period.as_deref(), true)
            .await?;
    values.retain(|v| q.cluster.as_ref().is_none_or(|c| *c == v.cluster));
    Ok(Json(json!({
        "period": q.period,
        "definitions": weaver_service::indicators::definitions()
            .into_iter()
            .map(|(id, name, direction)| json!({
                "id": id, "name": name,
                "direction": if direction == weaver_evaluation::Direction::LowerBetter { "lower_better" } else { "higher_better" },
            }))
            .collect::<Vec<_>>(),
        "notices": read.notices,
        "values": values,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LevelsQuery {
    period: String,
    year: Option<i32>,
}

/// `GET /api/v1/evaluation/levels?period=2024&year=2025`: the ESCA-style
/// level model (not the official ESCA label) assessed on each cluster the
/// caller reads, its scores the observations the caller reads in the period
/// (computed indicators joined), as `weaver evaluate label --from-register
/// --levels` gives it ([`weaver_service::labels::levels`]).
pub(crate) async fn levels(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<LevelsQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    check_period(&q.period)?;
    let year = q.year.unwrap_or(2025);
    if !(1000..=9999).contains(&year) {
        return Err(ApiError::bad_request(format!(
            "year must be a four-digit year, not {year}"
        )));
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let model = weaver_service::labels::esca_model()?;
    let (levels, read) =
        weaver_service::labels::levels(&state.store, who, &model, &q.period, year, true).await?;
    let mut v = json!(levels);
    v["model"] = json!(model.model.note);
    v["notices"] = json!(read.notices);
    Ok(Json(v))
}

// ---------------------------------------------------------------- mapping

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MappingQuery {
    year: Option<i32>,
    method: Option<String>,
    region: Option<String>,
    cluster: Option<String>,
    percentiles: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrowthQuery {
    start: Option<i32>,
    end: Option<i32>,
}

/// `GET /api/v1/mapping/growth?start=2020&end=2024`: change, CAGR and
/// shift-share of every region and industry between two years (default:
/// the first and the last) of the regional activity the caller may read, as
/// `weaver map growth --from-register` gives them
/// ([`weaver_service::mapping::growth`]); cached per reader's rights.
pub(crate) async fn growth(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<GrowthQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelatedQuery {
    year: Option<i32>,
    kind: Option<String>,
    top: Option<usize>,
}

/// `GET /api/v1/mapping/related?year=&kind=&top=`: related clusters by
/// co-location (correlation of LQs across regions) in the regional activity
/// the caller may read, as `weaver map related --from-register` gives them
/// ([`weaver_service::mapping::related`]); cached per reader's rights.
pub(crate) async fn related(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<RelatedQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
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
    q: Result<Query<MappingQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let method = weaver_service::mapping::MapMethod::parse(q.method.as_deref().unwrap_or("cmp"))?;
    let params = weaver_service::mapping::MapParams {
        year: q.year,
        region: q.region,
        cluster: q.cluster,
        percentiles: q.percentiles.unwrap_or(false),
    };
    if let Some(y) = params.year {
        weaver_service::mapping::check_year("year", y)?;
    }
    // Cached per reader's rights and per question (the cells kept included).
    let kind = format!(
        "mapping:{}:{}:{}:{}",
        method.name(),
        params.percentiles,
        key_part(params.region.as_deref()),
        key_part(params.cluster.as_deref()),
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
