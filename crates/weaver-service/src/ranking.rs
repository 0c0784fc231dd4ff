//! The league table: the composite index of the clusters whose observations
//! the caller may read, by the default method, a built-in framework or a
//! method file, optionally with the rank intervals of the uncertainty
//! analysis or TOPSIS closeness, over the entered observations and (with
//! `computed`, the default) the indicators the register computes.

use serde::Serialize;
use sha2::Digest;
use weaver_evaluation::uncertainty::{UncertaintyOptions, rank_uncertainty};
use weaver_evaluation::{
    IndexMethod, IndexOptions, Indicator, Observation, Panel, composite_index,
};
use weaver_store::{Principal, Store};

use crate::error::{Result, ServiceError};

/// The method asked for: a method file's text, a built-in framework, or
/// the default (min-max, equal weights, arithmetic mean); with its name
/// (`default`, the framework's, or `method file`).
pub fn method_of(file: Option<&str>, framework: Option<&str>) -> Result<(IndexMethod, String)> {
    match (file, framework) {
        (Some(_), Some(_)) => Err(ServiceError::invalid(
            "give either a method file (the body) or a framework, not both",
        )),
        (Some(text), None) => IndexMethod::from_toml(text)
            .map(|m| (m, "method file".to_owned()))
            .map_err(|e| ServiceError::Invalid(format!("the method file: {e}"))),
        (None, Some("default")) | (None, None) => {
            Ok((IndexMethod::default(), "default".to_owned()))
        }
        (None, Some(name)) => {
            let text = weaver_evaluation::frameworks::built_in(name).ok_or_else(|| {
                let names: Vec<&str> = weaver_evaluation::frameworks::BUILT_IN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                ServiceError::Invalid(format!(
                    "no framework '{name}'; built in: default, {}",
                    names.join(", ")
                ))
            })?;
            IndexMethod::from_toml(text)
                .map(|m| (m, name.to_owned()))
                .map_err(|e| ServiceError::engine("read a built-in framework", e))
        }
    }
}

/// What a ranking computes.
#[derive(Debug, Clone)]
pub struct RankingRequest {
    /// The period.
    pub period: String,
    /// The method.
    pub method: IndexMethod,
    /// Its name (default, a framework, or "method file").
    pub method_name: String,
    /// Runs of the uncertainty analysis, if any.
    pub runs: Option<usize>,
    /// Their seed.
    pub seed: u64,
    /// TOPSIS closeness instead of the index.
    pub topsis: bool,
    /// Whether the register's computed indicators (`auto.*`) take part
    /// (default true).
    pub computed: bool,
    /// Most work of the uncertainty analysis (`None`: no limit).
    pub max_work: Option<usize>,
}

/// One cluster's row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankedCluster {
    /// The cluster.
    pub cluster: String,
    /// Its score (index or TOPSIS closeness).
    pub score: f64,
    /// Its rank (1 best; `None` when not ranked).
    pub rank: Option<usize>,
    /// Share of the framework's indicators it has.
    pub coverage: f64,
    /// Median rank of the uncertainty analysis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_median: Option<f64>,
    /// 5th percentile rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_p5: Option<f64>,
    /// 95th percentile rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_p95: Option<f64>,
}

/// The uncertainty analysis's record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UncertaintyRecord {
    /// Runs asked for.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Runs that produced ranks.
    pub runs_ok: usize,
    /// Runs that failed.
    pub runs_failed: usize,
    /// Their first reasons.
    pub failures: Vec<String>,
    /// The settings varied.
    pub settings: String,
}

/// A league table.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    /// The period.
    pub period: String,
    /// The method's name.
    pub method: String,
    /// `index` or `topsis`.
    pub ranking: &'static str,
    /// The method as recorded with the result.
    pub method_record: String,
    /// What the computation had to say.
    pub notices: Vec<String>,
    /// The clusters, by rank.
    pub clusters: Vec<RankedCluster>,
    /// The uncertainty analysis, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyRecord>,
}

/// What a ranking is computed from.
#[derive(Debug, Clone)]
pub struct RankingInput {
    /// The catalogue (with the computed indicators when asked for).
    pub indicators: Vec<Indicator>,
    /// The observations the caller reads (all periods).
    pub observations: Vec<Observation>,
}

impl RankingInput {
    /// A digest of what the result depends on (the observations, the
    /// method and the settings), as a cache key.
    pub fn key(&self, req: &RankingRequest) -> String {
        let mut h = sha2::Sha256::new();
        for o in &self.observations {
            h.update(format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1e}",
                o.unit, o.indicator, o.period, o.value
            ));
        }
        h.update(format!(
            "{}\u{1d}{:?}\u{1d}{}\u{1d}{}\u{1d}{}",
            req.method.to_toml(),
            req.runs,
            req.seed,
            req.topsis,
            req.method_name
        ));
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Reads what a ranking for `who` is computed from: the observations `who`
/// may read with, when `req.computed`, the register's computed indicators
/// ([`crate::observations::observations_for`]), and the catalogue. `cache`
/// lets the computed indicators be kept in the store.
pub async fn ranking_input(
    store: &Store,
    who: Option<&Principal>,
    req: &RankingRequest,
    cache: bool,
) -> Result<RankingInput> {
    let observations =
        crate::observations::observations_for(store, who, Some(&req.period), req.computed, cache)
            .await?
            .observations;
    if observations.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no observations that you may see".into(),
        ));
    }
    let indicators = crate::observations::catalogue(
        store,
        crate::observations::CatalogueOf::Caller(who),
        req.computed,
    )
    .await?;
    Ok(RankingInput {
        indicators,
        observations,
    })
}

/// The composite index of one period over `input` (all periods, so that
/// methods reading earlier periods see them), as `weaver evaluate index`
/// computes it: the catalogue's indicators and those the method defines,
/// observations of other indicators left out.
pub fn ranking_of(input: RankingInput, req: &RankingRequest) -> Result<Ranking> {
    let RankingInput {
        mut indicators,
        mut observations,
    } = input;
    let bad = |e: String| ServiceError::Invalid(e);
    req.method.add_defined_indicators(&mut indicators);
    observations.retain(|o| indicators.iter().any(|i| i.id == o.indicator));
    if !observations.iter().any(|o| o.period == req.period) {
        return Err(bad(format!(
            "there are no observations of the method's indicators for {} that you may see",
            req.period
        )));
    }
    let panel =
        Panel::from_observations(indicators, &observations).map_err(|e| bad(e.to_string()))?;
    let p = panel
        .period_index(&req.period)
        .ok_or_else(|| bad(format!("no period {}", req.period)))?;
    let options = IndexOptions {
        groups: None,
        period: Some(req.period.clone()),
    };
    let r = composite_index(&panel, &req.method, &options).map_err(|e| bad(e.to_string()))?;
    let pr = r
        .periods
        .first()
        .ok_or_else(|| bad("no period computed".into()))?;
    let (scores, ranks) = if req.topsis {
        pr.topsis(&r.framework).map_err(|e| bad(e.to_string()))?
    } else {
        (pr.scores.clone(), pr.ranks.clone())
    };
    let mc = match req.runs {
        Some(runs) => {
            let data = weaver_evaluation::index::PeriodData::of(&panel, &r.framework, p);
            let work = runs
                .saturating_mul(panel.units.len())
                .saturating_mul(r.framework.indicators.len());
            if let Some(budget) = req.max_work
                && work > budget
            {
                return Err(bad(format!(
                    "{runs} runs on {} clusters and {} indicators is more than one request may \
                     compute (runs × clusters × indicators ≤ {budget}); ask for fewer \
                     runs, or use `weaver evaluate index --uncertainty`",
                    panel.units.len(),
                    r.framework.indicators.len()
                )));
            }
            let opts = UncertaintyOptions {
                runs,
                seed: req.seed,
                ..UncertaintyOptions::default()
            };
            Some(
                rank_uncertainty(&data.as_input(), &r.framework, &req.method, None, &opts)
                    .map_err(|e| bad(format!("the uncertainty analysis: {e}")))?,
            )
        }
        None => None,
    };
    let mut rows: Vec<RankedCluster> = panel
        .units
        .iter()
        .enumerate()
        .filter(|(i, _)| pr.present[*i])
        .map(|(i, u)| RankedCluster {
            cluster: u.clone(),
            score: scores[i],
            rank: ranks[i],
            coverage: pr.coverage[i],
            rank_median: mc.as_ref().map(|m| m.median[i]),
            rank_p5: mc.as_ref().map(|m| m.p5[i]),
            rank_p95: mc.as_ref().map(|m| m.p95[i]),
        })
        .collect();
    rows.sort_by_key(|r| r.rank.unwrap_or(usize::MAX));
    Ok(Ranking {
        period: pr.period.clone(),
        method: req.method_name.clone(),
        ranking: if req.topsis { "topsis" } else { "index" },
        method_record: r.method_record(),
        notices: pr
            .notices
            .iter()
            .chain(&r.framework.notices)
            .cloned()
            .collect(),
        clusters: rows,
        uncertainty: mc.map(|m| UncertaintyRecord {
            runs: m.options.runs,
            seed: m.options.seed,
            runs_ok: m.runs_ok,
            runs_failed: m.runs_failed,
            failures: m.failures,
            settings: m.options.describe(),
        }),
    })
}

/// The panel an evaluation reads: `input`'s catalogue with the indicators
/// `method` defines, and its observations of those indicators (all
/// periods).
pub fn panel_of(input: RankingInput, method: &IndexMethod) -> Result<Panel> {
    let RankingInput {
        mut indicators,
        mut observations,
    } = input;
    method.add_defined_indicators(&mut indicators);
    observations.retain(|o| indicators.iter().any(|i| i.id == o.indicator));
    Panel::from_observations(indicators, &observations)
        .map_err(|e| ServiceError::Invalid(e.to_string()))
}

/// One cluster and indicator's trend.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrendRow {
    /// The cluster.
    pub cluster: String,
    /// The indicator.
    pub indicator: String,
    /// First period with a value.
    pub from: String,
    /// Last period with a value.
    pub to: String,
    /// Last value − first value.
    pub change: f64,
    /// (last / first)^(1 / steps) − 1, steps counted in the panel's
    /// periods; no value when first ≤ 0 or last < 0.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub cagr: f64,
}

/// The trend of every cluster and indicator of `panel` between its first
/// and last period with a value ([`weaver_evaluation::benchmark::indicator_trends`]);
/// pairs with fewer than two periods are left out.
pub fn trends(panel: &Panel) -> Vec<TrendRow> {
    weaver_evaluation::benchmark::indicator_trends(panel)
        .into_iter()
        .map(|r| TrendRow {
            cluster: panel.units[r.unit].clone(),
            indicator: panel.indicators[r.indicator].id.clone(),
            from: panel.periods[r.from].clone(),
            to: panel.periods[r.to].clone(),
            change: r.trend.change,
            cagr: r.trend.cagr,
        })
        .collect()
}

/// The checks of one indicator in one period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckRow {
    /// The period.
    pub period: String,
    /// The indicator.
    pub indicator: String,
    /// Its dimension.
    pub dimension: String,
    /// Share of the present clusters with a value.
    pub availability: f64,
    /// Skewness of the raw values.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub skew: f64,
    /// Excess kurtosis of the raw values.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub kurtosis: f64,
    /// Whether the method's outlier thresholds are passed.
    pub outlier: bool,
    /// Cronbach's α of its dimension's normalised indicators.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub dimension_alpha: f64,
    /// Other indicators of its dimension correlated negatively with it.
    pub negative_correlations: usize,
}

/// The statistical checks of every indicator of the method's framework
/// ([`weaver_evaluation::uncertainty::indicator_checks`]) in `period`
/// (default: every period of the panel), as `weaver evaluate checks`
/// gives them; `groups` as the method's group-mean imputation needs them.
pub fn checks(
    panel: &Panel,
    method: &IndexMethod,
    period: Option<&str>,
    groups: Option<Vec<Option<usize>>>,
) -> Result<Vec<CheckRow>> {
    let bad = |e: weaver_evaluation::EvalError| ServiceError::Invalid(e.to_string());
    let result = composite_index(
        panel,
        method,
        &IndexOptions {
            groups,
            period: period.map(str::to_owned),
        },
    )
    .map_err(bad)?;
    let periods: Vec<usize> = match period.and_then(|p| panel.period_index(p)) {
        Some(p) => vec![p],
        None => (0..panel.periods.len()).collect(),
    };
    let mut out = Vec::new();
    for (pr, p) in result.periods.iter().zip(periods) {
        let owned = weaver_evaluation::index::PeriodData::of(panel, &result.framework, p);
        for c in weaver_evaluation::uncertainty::indicator_checks(
            &owned.as_input(),
            &result.framework,
            method,
            &pr.normalised,
        ) {
            out.push(CheckRow {
                period: pr.period.clone(),
                indicator: result.framework.indicators[c.indicator].id.clone(),
                dimension: result.framework.dimensions[c.dimension].id.clone(),
                availability: c.availability,
                skew: c.skew,
                kurtosis: c.kurtosis,
                outlier: c.outlier,
                dimension_alpha: c.dimension_alpha,
                negative_correlations: c.negative_correlations,
            });
        }
    }
    Ok(out)
}

/// The variance-based sensitivity of one factor of the method.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SensitivityRow {
    /// The period.
    pub period: String,
    /// The uncertain choice (normalisation, weights, aggregation, …).
    pub factor: String,
    /// First-order Sobol index.
    pub first_order: f64,
    /// Its 95% interval, low end.
    pub first_order_low: f64,
    /// Its 95% interval, high end.
    pub first_order_high: f64,
    /// Total-order Sobol index.
    pub total: f64,
    /// Its 95% interval, low end.
    pub total_low: f64,
    /// Its 95% interval, high end.
    pub total_high: f64,
}

/// The mean rank shift when one indicator is left out.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShiftRow {
    /// The period.
    pub period: String,
    /// The indicator left out.
    pub indicator: String,
    /// Mean absolute rank shift of the clusters.
    pub mean_rank_shift: f64,
}

/// The sensitivity of the ranks to the method's uncertain choices.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sensitivity {
    /// Sobol indices per period and factor (empty with `leave_one_out`).
    pub factors: Vec<SensitivityRow>,
    /// Mean rank shifts per period and indicator (only with
    /// `leave_one_out`).
    pub leave_one_out: Vec<ShiftRow>,
    /// What the analysis had to say (failed runs, undefined indices).
    pub notices: Vec<String>,
}

/// The sensitivity analysis of `method` on `panel` in `period` (default:
/// every period), as `weaver evaluate sensitivity` computes it: Sobol
/// indices of the rank shift over `runs` runs (seed `seed`), or with
/// `leave_one_out` the mean rank shift when each indicator is left out.
pub fn sensitivity(
    panel: &Panel,
    method: &IndexMethod,
    period: Option<&str>,
    runs: usize,
    seed: u64,
    leave_one_out: bool,
    groups: Option<&[Option<usize>]>,
) -> Result<Sensitivity> {
    use weaver_evaluation::uncertainty::{leave_one_out as loo, rank_sensitivity};
    let framework = weaver_evaluation::Framework::resolve(&panel.indicators, method)
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let periods: Vec<usize> = match period.and_then(|p| panel.period_index(p)) {
        Some(p) => vec![p],
        None => (0..panel.periods.len()).collect(),
    };
    let mut out = Sensitivity {
        factors: Vec::new(),
        leave_one_out: Vec::new(),
        notices: Vec::new(),
    };
    for p in periods {
        let owned = weaver_evaluation::index::PeriodData::of(panel, &framework, p);
        let input = owned.as_input();
        let label = owned.period.as_str();
        if leave_one_out {
            let shifts = loo(&input, &framework, method, groups).map_err(|e| {
                ServiceError::Invalid(format!("leave-one-out of period {label}: {e}"))
            })?;
            for (ind, s) in framework.indicators.iter().zip(shifts) {
                out.leave_one_out.push(ShiftRow {
                    period: label.to_owned(),
                    indicator: ind.id.clone(),
                    mean_rank_shift: s,
                });
            }
        } else {
            let opts = UncertaintyOptions {
                runs,
                seed,
                ..UncertaintyOptions::default()
            };
            let s = rank_sensitivity(&input, &framework, method, groups, &opts).map_err(|e| {
                ServiceError::Invalid(format!("sensitivity analysis of period {label}: {e}"))
            })?;
            if s.runs_failed > 0 {
                out.notices.push(format!(
                    "period {label}: {} runs could not be computed and count as no shift",
                    s.runs_failed
                ));
            }
            if s.indices.variance.is_nan() || s.indices.variance <= 0.0 {
                out.notices.push(format!(
                    "period {label}: the mean rank shift is the same in every run, so the indices are undefined (empty)"
                ));
            }
            for (k, f) in s.factors.iter().enumerate() {
                out.factors.push(SensitivityRow {
                    period: label.to_owned(),
                    factor: f.clone(),
                    first_order: s.indices.first[k],
                    first_order_low: s.indices.first_ci[k][0],
                    first_order_high: s.indices.first_ci[k][1],
                    total: s.indices.total[k],
                    total_low: s.indices.total_ci[k][0],
                    total_high: s.indices.total_ci[k][1],
                });
            }
        }
    }
    Ok(out)
}

/// What the default method is, for people (the league table's `method`,
/// [`crate::league`]).
pub const DEFAULT_METHOD: &str =
    "min-max to [0, 100], equal weights within and across dimensions, arithmetic mean";

/// What an evaluation over the register reads for `who`: the observations
/// `who` may read in `period` (every period when `None`), with the
/// register's computed indicators when `computed`, and the catalogue —
/// `NotFound` when `who` reads no observation (of `period`). `cache` lets
/// the computed indicators be kept in the store.
pub async fn evaluation_input(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
    computed: bool,
    cache: bool,
) -> Result<RankingInput> {
    if let Some(p) = period {
        p.parse::<weaver_core::period::Period>()?;
    }
    let observations = crate::observations::observations_for(store, who, period, computed, cache)
        .await?
        .observations;
    if observations.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no observations that you may see".into(),
        ));
    }
    if let Some(p) = period
        && !observations.iter().any(|o| o.period == p)
    {
        return Err(ServiceError::NotFound(format!(
            "there are no observations for {p} that you may see"
        )));
    }
    let indicators = crate::observations::catalogue(
        store,
        crate::observations::CatalogueOf::Caller(who),
        computed,
    )
    .await?;
    Ok(RankingInput {
        indicators,
        observations,
    })
}

/// One cluster's score on one dimension against its peers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BenchmarkRow {
    /// The cluster.
    pub cluster: String,
    /// The period.
    pub period: String,
    /// The dimension of the framework.
    pub dimension: String,
    /// The cluster's dimension score.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub score: f64,
    /// Median score of its peers (itself included).
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub peer_median: f64,
    /// Best score among its peers.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub best: f64,
    /// best − score (0 for the best).
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub distance_to_frontier: f64,
}

/// Each cluster's dimension scores of the composite index in `period`
/// (default: every period) against its peers' median and best
/// ([`weaver_evaluation::benchmark::peer_profile`]): a cluster's peers are
/// the clusters of its group in `peers` (cluster → group), or every
/// cluster when it has none; `groups` as the method's group-mean
/// imputation needs them.
pub fn benchmark(
    panel: &Panel,
    method: &IndexMethod,
    period: Option<&str>,
    groups: Option<Vec<Option<usize>>>,
    peers: &std::collections::HashMap<String, String>,
) -> Result<Vec<BenchmarkRow>> {
    let result = composite_index(
        panel,
        method,
        &IndexOptions {
            groups,
            period: period.map(str::to_owned),
        },
    )
    .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let units = &panel.units;
    let mut rows = Vec::new();
    for pr in &result.periods {
        for (u, unit) in units.iter().enumerate() {
            if !pr.present[u] {
                continue;
            }
            let g = peers.get(unit);
            let peer: Vec<usize> = (0..units.len())
                .filter(|&k| pr.present[k] && (g.is_none() || peers.get(&units[k]) == g))
                .collect();
            let prof = weaver_evaluation::benchmark::peer_profile(&pr.dimension_scores, u, &peer);
            for (d, dim) in result.framework.dimensions.iter().enumerate() {
                rows.push(BenchmarkRow {
                    cluster: unit.clone(),
                    period: pr.period.clone(),
                    dimension: dim.id.clone(),
                    score: prof.value[d],
                    peer_median: prof.peer_median[d],
                    best: prof.best[d],
                    distance_to_frontier: prof.distance_to_frontier[d],
                });
            }
        }
    }
    Ok(rows)
}
