//! The evaluation of clusters on their indicators: `/evaluation/…`.

use std::collections::HashMap;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_evaluation::IndexMethod;
use weaver_service::ranking::RankingRequest;

use crate::AppState;
use crate::analyses::{
    MAX_SENSITIVITY_RUNS, MAX_UNCERTAINTY_RUNS, SENSITIVITY_BUDGET, UNCERTAINTY_BUDGET, answer,
    check_period, from_cache, to_cache,
};
use crate::answers::{
    BenchmarkAnswer, ChecksAnswer, ComputedAnswer, ComputedDefinition, LevelsAnswer,
    PublicSharesAnswer, SensitivityAnswer, TrendsAnswer,
};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, MethodFile, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(league_table))
        .routes(routes!(ranking_get, ranking_post))
        .routes(routes!(lifecycle))
        .routes(routes!(computed))
        .routes(routes!(levels))
        .routes(routes!(trends))
        .routes(routes!(checks))
        .routes(routes!(sensitivity))
        .routes(routes!(policy))
        .routes(routes!(public_share))
        .routes(routes!(benchmark))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct IndexQuery {
    /// the period: 2024, 2024-Q3 or 2024-07 (a campaign's table: default the campaign's).
    period: Option<String>,
    /// the clusters ranked: all (default), programme:<id> (the programme's clusters) or campaign:<id> (the campaign's clusters, period and indicators).
    population: Option<String>,
    /// the currency money is compared in (ISO 4217, default EUR), at the yearly rates of exchange_rates.
    currency: Option<String>,
}

#[utoipa::path(
    get,
    path = "/evaluation/index",
    tag = "evaluation",
    summary = "League table of a named population (all, programme:<id>, campaign:<id>) for a period, computed from what the population's officers may read, the same for whoever asks; each caller sees its part (min-max, equal weights, arithmetic mean; money in one currency)",
    params(IndexQuery),
    responses((status = 200, description = "the clusters by rank, as the caller may see them, with the population, period, currency and rates used", body = weaver_service::league::League))
)]
/// `GET /api/v1/evaluation/index?period=2024&population=all&currency=EUR`:
/// the league table of a named population, computed once from the
/// observations its officers may read (never the caller's view), by the
/// default method — min-max to [0, 100], equal weights within and across
/// dimensions, arithmetic mean — with money converted to one currency
/// ([`weaver_service::league`]). Admins and officers see every row,
/// managers and members their own clusters' rows and the anonymised
/// distribution of the others; anyone reads a published campaign's table;
/// otherwise 403, saying what would make it readable.
pub(crate) async fn league_table(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<IndexQuery>,
) -> ApiResult<Json<Value>> {
    let who = caller.as_ref().map(|c| &c.principal);
    let population = match q.population.as_deref() {
        None => weaver_service::league::Population::All,
        Some(p) => weaver_service::league::Population::parse(p)?,
    };
    let req = weaver_service::league::LeagueRequest {
        population,
        period: q.period,
        currency: q.currency,
    };
    let table = weaver_service::league::league(&state.store, who, &req).await?;
    Ok(Json(json!(table)))
}

// ---------------------------------------------------------------- evaluation

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct RankingQuery {
    /// the period: 2024, 2024-Q3 or 2024-07.
    period: String,
    /// default, or a built-in framework (world_class_cluster).
    framework: Option<String>,
    /// Monte Carlo runs of the uncertainty analysis: adds rank_median, rank_p5, rank_p95.
    runs: Option<usize>,
    /// seed of the runs (default 0).
    seed: Option<u64>,
    /// the composite index (index, the default) or TOPSIS closeness (topsis).
    ranking: Option<String>,
    /// include the indicators the register computes (auto.*) for the clusters you read (default true).
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

#[utoipa::path(
    get,
    path = "/evaluation/ranking",
    tag = "evaluation",
    summary = "The composite index of the clusters whose observations you may see, by the default method or a built-in framework, with rank intervals from the uncertainty analysis (runs)",
    params(RankingQuery),
    responses((status = 200, description = "the clusters by rank with their rank intervals, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::ranking::Ranking>))
)]
/// `GET /api/v1/evaluation/ranking?period=&framework=&runs=&seed=&ranking=`:
/// the composite index of the clusters whose observations the caller may
/// read (the public: published ones) with the default method or a built-in
/// framework, and with `runs` the rank intervals of the uncertainty analysis.
pub(crate) async fn ranking_get(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<RankingQuery>,
) -> ApiResult<Json<Value>> {
    ranking(state, caller, q, None).await
}

#[utoipa::path(
    post,
    path = "/evaluation/ranking",
    tag = "evaluation",
    summary = "The composite index by a TOML method file (the body), with rank intervals; over the observations you may see",
    params(RankingQuery),
    request_body(content = String, content_type = "text/plain", description = "a TOML method file"),
    responses((status = 200, description = "the clusters by rank with their rank intervals, with the cache's computed_at and cached", body = crate::answers::Cached<weaver_service::ranking::Ranking>))
)]
/// `POST /api/v1/evaluation/ranking?period=…` with a TOML method file as
/// the body (as `weaver evaluate index --method`).
pub(crate) async fn ranking_post(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<RankingQuery>,
    MethodFile(body): MethodFile,
) -> ApiResult<Json<Value>> {
    if body.trim().is_empty() {
        return Err(ApiError::bad_request(
            "send a TOML method file as the body (or use GET for the default method)",
        ));
    }
    ranking(state, caller, q, Some(body)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct LifecycleQuery {
    /// only this period.
    period: Option<String>,
    /// only this cluster.
    cluster: Option<String>,
}

#[utoipa::path(
    get,
    path = "/evaluation/lifecycle",
    tag = "evaluation",
    summary = "Lifecycle and policy stage per cluster and period by the shipped rules, over the observations you may see",
    params(LifecycleQuery),
    responses((status = 200, description = "the stages of each cluster and period", body = weaver_service::lifecycle::Lifecycle))
)]
/// `GET /api/v1/evaluation/lifecycle?period=&cluster=`: the lifecycle stage
/// (Menzel & Fornahl 2010) and the policy stage of each cluster in each
/// period by the shipped rules, as `weaver evaluate lifecycle` gives them,
/// over the observations the caller may read; the rules that fired are
/// listed with the values that made them fire and as English and Chinese
/// sentences. Each cluster's stage at a period reads only its own evidence
/// up to that period; years, quarters and months are separate series; a
/// stage changes once confirmed over the rules' `confirm_periods`.
pub(crate) async fn lifecycle(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<LifecycleQuery>,
) -> ApiResult<Json<Value>> {
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct TrendsQuery {
    /// only this cluster.
    cluster: Option<String>,
    /// include the indicators the register computes (auto.*) (default true).
    computed: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/evaluation/trends",
    tag = "evaluation",
    summary = "The trend (change and CAGR) of every cluster and indicator between its first and last period with a value, over the observations you may see",
    params(TrendsQuery),
    responses((status = 200, description = "one trend per cluster and indicator", body = crate::answers::TrendsAnswer))
)]
/// `GET /api/v1/evaluation/trends?cluster=&computed=`: the trend (change
/// and CAGR) of every cluster and indicator between its first and last
/// period with a value, over the observations the caller may read (with the
/// computed indicators unless `computed=false`), as `weaver evaluate
/// benchmark --trends --from-register` gives it
/// ([`weaver_service::ranking::trends`]).
pub(crate) async fn trends(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<TrendsQuery>,
) -> ApiResult<Json<Value>> {
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
        let panel = weaver_service::ranking::panel_of(input, &IndexMethod::default())?;
        Ok(weaver_service::ranking::trends(&panel))
    })
    .await?;
    rows.retain(|r| q.cluster.as_ref().is_none_or(|c| *c == r.cluster));
    Ok(Json(json!(TrendsAnswer { trends: rows })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChecksQuery {
    /// only this period (default: every period).
    period: Option<String>,
    /// default, or a built-in framework (world_class_cluster).
    framework: Option<String>,
    /// include the indicators the register computes (auto.*) (default true).
    computed: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/evaluation/checks",
    tag = "evaluation",
    summary = "Statistical checks of every indicator of the method (availability, skew, kurtosis, outliers, Cronbach's alpha, negative within-dimension correlations) over the observations you may see",
    params(ChecksQuery),
    responses((status = 200, description = "one row of checks per indicator", body = crate::answers::ChecksAnswer))
)]
/// `GET /api/v1/evaluation/checks?period=&framework=&computed=`: the
/// statistical checks of every indicator of the method (availability,
/// skew, kurtosis, outlier flag, Cronbach's α of its dimension, negative
/// correlations) over the observations the caller may read, as `weaver
/// evaluate checks --from-register` gives them
/// ([`weaver_service::ranking::checks`]).
pub(crate) async fn checks(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<ChecksQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!(ChecksAnswer {
        period: q.period,
        checks: rows,
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SensitivityQuery {
    /// the period: 2024, 2024-Q3 or 2024-07.
    period: String,
    /// default, or a built-in framework (world_class_cluster).
    framework: Option<String>,
    /// Monte Carlo runs (default 256).
    runs: Option<usize>,
    /// seed of the runs (default 0).
    seed: Option<u64>,
    /// the mean rank shift of leaving each indicator out instead.
    leave_one_out: Option<bool>,
    /// include the indicators the register computes (auto.*) (default true).
    computed: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/evaluation/sensitivity",
    tag = "evaluation",
    summary = "How much the method's uncertain choices move the ranks in a period (Sobol indices), or with leave_one_out=true the mean rank shift when each indicator is left out",
    params(SensitivityQuery),
    responses((status = 200, description = "the sensitivity of the ranks, with the settings", body = crate::answers::SensitivityAnswer))
)]
/// `GET /api/v1/evaluation/sensitivity?period=&framework=&runs=&seed=&leave_one_out=&computed=`:
/// how much the method's uncertain choices move the ranks in a period
/// (Sobol indices of the mean rank shift), or with `leave_one_out=true`
/// the mean rank shift when each indicator is left out, over the
/// observations the caller may read, as `weaver evaluate sensitivity
/// --from-register` computes it ([`weaver_service::ranking::sensitivity`]).
pub(crate) async fn sensitivity(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<SensitivityQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!(SensitivityAnswer {
        sensitivity: v,
        period: q.period,
        runs,
        seed,
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ComputedQuery {
    /// 2024, 2024-Q3 or 2024-07 (default: every period of the observations you read).
    period: Option<String>,
    /// only this cluster.
    cluster: Option<String>,
}

#[utoipa::path(
    get,
    path = "/evaluation/computed",
    tag = "evaluation",
    summary = "The indicators the register computes (auto.*) for the clusters you read, from the rows you may read, or entered for the same code (which wins), with their origin; the public gets entered values only",
    params(ComputedQuery),
    responses((status = 200, description = "the computed indicators' definitions and values", body = crate::answers::ComputedAnswer))
)]
/// `GET /api/v1/evaluation/computed?period=&cluster=`: the values of the
/// indicators the register computes (`auto.*`) for the clusters the caller
/// reads, computed from the rows the caller may read, or entered for the
/// same code (which wins), with their origin — as `weaver evaluate
/// computed` lists them ([`weaver_service::observations::computed_values`]).
/// The public gets only entered values.
pub(crate) async fn computed(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<ComputedQuery>,
) -> ApiResult<Json<Value>> {
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let (mut values, read) =
        weaver_service::observations::computed_values(&state.store, who, q.period.as_deref(), true)
            .await?;
    values.retain(|v| q.cluster.as_ref().is_none_or(|c| *c == v.cluster));
    let definitions = weaver_service::indicators::definitions()
        .into_iter()
        .map(|(id, name, direction)| ComputedDefinition {
            id,
            name,
            direction: if direction == weaver_evaluation::Direction::LowerBetter {
                "lower_better"
            } else {
                "higher_better"
            }
            .to_owned(),
        })
        .collect();
    Ok(Json(json!(ComputedAnswer {
        period: q.period,
        definitions,
        notices: read.notices,
        values,
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct LevelsQuery {
    /// the period: 2024, 2024-Q3 or 2024-07.
    period: String,
    /// year of the assessment; validity runs from it (default 2025).
    year: Option<i32>,
}

#[utoipa::path(
    get,
    path = "/evaluation/levels",
    tag = "evaluation",
    summary = "The ESCA-style level model (not the official ESCA label) assessed on each cluster you read, from your observations of the period (computed indicators joined)",
    params(LevelsQuery),
    responses((status = 200, description = "each cluster's level, with the model's note", body = crate::answers::LevelsAnswer))
)]
/// `GET /api/v1/evaluation/levels?period=2024&year=2025`: the ESCA-style
/// level model (not the official ESCA label) assessed on each cluster the
/// caller reads, its scores the observations the caller reads in the period
/// (computed indicators joined), as `weaver evaluate label --from-register
/// --levels` gives it ([`weaver_service::labels::levels`]).
pub(crate) async fn levels(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<LevelsQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!(LevelsAnswer {
        levels,
        model: model.model.note,
        notices: read.notices,
    })))
}

// ---------------------------------------------------------------- policy, benchmark

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PolicyQuery {
    /// the outcome indicator.
    indicator: String,
    /// the programme whose clusters (programme_clusters) are the funded ones; its start year is the default start.
    programme: Option<String>,
    /// the funded clusters, comma-separated, instead of a programme.
    treated: Option<String>,
    /// the first period of the programme (2021, 2021-Q3); default: the programme's start year.
    start: Option<String>,
    /// the control clusters, comma-separated (at least 2); default: the clusters of the funded clusters' country, not funded, founded within `founded_within` years of a funded cluster.
    control: Option<String>,
    /// the founding window of the default control group in years (default 5).
    founded_within: Option<u32>,
    /// include the indicators the register computes (auto.*) (default true).
    computed: Option<bool>,
}

/// The comma-separated ids of query parameter `name`, each checked.
fn id_list(name: &str, text: Option<&str>) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = text
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    for t in &ids {
        ApiError::check_text(name, t)?;
    }
    Ok(ids)
}

#[utoipa::path(
    get,
    path = "/evaluation/policy",
    tag = "evaluation",
    summary = "The effect of a programme on an indicator: the difference in differences between the clusters it funds (or the treated ones) and a control group (given, or the same country's unfunded clusters founded in the same period), before and from its start, with its 95% confidence interval (t, clusters - 1 degrees of freedom, standard errors clustered by cluster) and a pre-trend check, over the observations, programmes and clusters you may see",
    params(PolicyQuery),
    responses((status = 200, description = "the estimated effect, its confidence interval, the pre-trend check, the clusters, periods and method (400: too few control clusters, naming the rule and the clusters)", body = weaver_service::policy::PolicyEffect))
)]
/// `GET /api/v1/evaluation/policy?indicator=&programme=&treated=&control=&founded_within=&start=&computed=`:
/// the difference in differences of an indicator between the clusters a
/// programme funds (or the comma-separated `treated` clusters) and the
/// control clusters (`control`, or by default the funded clusters'
/// country's unfunded clusters founded within `founded_within` years of
/// one), before and from the programme's start (or `start`), with its
/// confidence interval and pre-trend check, over the observations and
/// clusters the caller may read (with the computed indicators unless
/// `computed=false`), as `weaver evaluate policy --from-register` gives it
/// ([`weaver_service::policy::policy_effect`]).
pub(crate) async fn policy(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<PolicyQuery>,
) -> ApiResult<Json<Value>> {
    ApiError::check_text("indicator", &q.indicator)?;
    if let Some(p) = &q.programme {
        ApiError::check_text("programme", p)?;
    }
    let treated = id_list("treated", q.treated.as_deref())?;
    let control = id_list("control", q.control.as_deref())?;
    if q.programme.is_some() && !treated.is_empty() {
        return Err(ApiError::bad_request(
            "give either a programme or the treated clusters, not both",
        ));
    }
    let params = weaver_service::policy::PolicyParams {
        indicator: q.indicator,
        programme: q.programme,
        treated,
        control,
        founded_within: q.founded_within,
        start: q.start,
        computed: q.computed.unwrap_or(true),
    };
    let who = caller.as_ref().map(|c| &c.principal);
    let effect = weaver_service::policy::policy_effect(&state.store, who, &params, true)
        .await
        .map_err(ApiError::about("the policy effect"))?;
    Ok(Json(json!(effect)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PublicShareQuery {
    /// only the year of this period (2024, 2024-Q3 or 2024-07).
    period: Option<String>,
}

#[utoipa::path(
    get,
    path = "/evaluation/public-share",
    tag = "evaluation",
    summary = "The public share of the funding of each cluster (its own and its projects') per year, over the funding you may see",
    params(PublicShareQuery),
    responses((status = 200, description = "the public share per cluster and year", body = crate::answers::PublicSharesAnswer))
)]
/// `GET /api/v1/evaluation/public-share?period=`: the public share of the
/// funding of each cluster (its own and its projects') per year, over the
/// funding the caller may read, as `weaver evaluate policy --from-register
/// --public-share` gives it ([`weaver_service::policy::readable_public_shares`]).
pub(crate) async fn public_share(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<PublicShareQuery>,
) -> ApiResult<Json<Value>> {
    let who = caller.as_ref().map(|c| &c.principal);
    let rows =
        weaver_service::policy::readable_public_shares(&state.store, who, q.period.as_deref())
            .await
            .map_err(ApiError::about("the public shares"))?;
    Ok(Json(json!(PublicSharesAnswer {
        period: q.period,
        shares: rows,
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct BenchmarkQuery {
    /// only this period (default: every period).
    period: Option<String>,
    /// default, or a built-in framework (world_class_cluster).
    framework: Option<String>,
    /// only this cluster.
    cluster: Option<String>,
    /// include the indicators the register computes (auto.*) (default true).
    computed: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/evaluation/benchmark",
    tag = "evaluation",
    summary = "Each cluster's dimension scores of the composite index against the median and the best of the clusters you may see, and its distance to that frontier, over the observations you may see",
    params(BenchmarkQuery),
    responses((status = 200, description = "each cluster's dimension scores against its peers", body = crate::answers::BenchmarkAnswer))
)]
/// `GET /api/v1/evaluation/benchmark?period=&framework=&cluster=&computed=`:
/// each cluster's dimension scores of the composite index against the
/// median and the best of the clusters the caller may see (its peers), over
/// the observations the caller may read, as `weaver evaluate benchmark
/// --from-register` gives it without `--peers`
/// ([`weaver_service::ranking::benchmark`]).
pub(crate) async fn benchmark(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(q): Query<BenchmarkQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!(BenchmarkAnswer {
        period: q.period,
        method: method_name,
        benchmark: rows,
    })))
}
