//! Policy questions: the effect of a programme on an indicator of the
//! clusters it funds against a chosen control group (difference in
//! differences with its confidence interval and a pre-trend check), and the
//! public share of each cluster's funding.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use weaver_core::period::Period;
use weaver_evaluation::Observation;
use weaver_evaluation::policy::{self, DidObservation, TrendObservation};
use weaver_store::{EvaluationFacts, ListQuery, MAX_PAGE, Principal, Store};

use crate::error::{Result, ServiceError};

/// The default of [`PolicyParams::founded_within`]: a control cluster is
/// founded at most this many years before or after a funded cluster.
pub const DEFAULT_FOUNDED_WITHIN: u32 = 5;

/// The fewest control clusters (observed for the indicator) an estimate
/// is made with: one cluster's own shocks are not a comparison.
pub const MIN_CONTROLS: usize = 2;

/// The level of the confidence intervals.
pub const CONFIDENCE: f64 = 0.95;

/// The method [`PolicyEffect::method`] states.
pub const METHOD: &str = "difference in differences: OLS of y = a + b*treated + c*post + d*treated*post over the observations of the funded and the control clusters (post: the period is at or after the start), d the effect; standard errors clustered by cluster (CR1: Liang & Zeger 1986, the small-sample factor of Stata and statsmodels); the 95% confidence interval and the two-sided p-value from Student's t with (clusters - 1) degrees of freedom. Pre-trend check: OLS of y = a + b*treated + c*time + d*treated*time over the periods before the start (time in years), d the difference of the pre-period slopes, with the same standard errors and t distribution";

/// What [`policy_effect`] estimates.
#[derive(Debug, Clone, Default)]
pub struct PolicyParams {
    /// The outcome indicator.
    pub indicator: String,
    /// The programme whose clusters are the funded ones
    /// (`programme_clusters`); its start year is the default start.
    pub programme: Option<String>,
    /// The funded clusters, when no programme is given.
    pub treated: Vec<String>,
    /// The control clusters; empty: chosen by the rule of
    /// [`control_group`] (same country, not funded, founded within
    /// [`PolicyParams::founded_within`] years of a funded cluster).
    pub control: Vec<String>,
    /// The founding window of the default control group, in years
    /// (default [`DEFAULT_FOUNDED_WITHIN`]).
    pub founded_within: Option<u32>,
    /// The first period of the programme (2021, 2021-Q3; periods compare
    /// as text).
    pub start: Option<String>,
    /// Whether the register's computed indicators (`auto.*`) may be the
    /// outcome.
    pub computed: bool,
}

/// The pre-trend check of a [`PolicyEffect`]: did the funded and the
/// control clusters move alike before the start?
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PreTrend {
    /// Whether it could be computed (each group observed in two periods
    /// before the start, at least two clusters).
    pub testable: bool,
    /// The funded clusters' pre-period slope minus the controls' (per year).
    pub slope_difference: Option<f64>,
    /// Its standard error, clustered by cluster.
    pub std_error: Option<f64>,
    /// Lower end of its 95% confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end of its 95% confidence interval.
    pub ci_high: Option<f64>,
    /// Two-sided p-value of "the slopes are equal".
    pub p_value: Option<f64>,
    /// The periods before the start it is computed over.
    pub periods: Vec<String>,
    /// The verdict in plain language.
    pub verdict: String,
}

/// A difference-in-differences estimate of a programme's effect.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PolicyEffect {
    /// The outcome indicator.
    pub indicator: String,
    /// The programme, when the funded clusters are its clusters.
    pub programme: Option<String>,
    /// The first period counted as after.
    pub start: String,
    /// The funded clusters observed for the indicator.
    pub treated: Vec<String>,
    /// The control clusters observed for the indicator.
    pub controls: Vec<String>,
    /// How the controls were chosen.
    pub control_rule: String,
    /// The periods before the start with observations.
    pub periods_before: Vec<String>,
    /// The periods from the start with observations.
    pub periods_after: Vec<String>,
    /// The method, stated.
    pub method: String,
    /// The estimate: the funded clusters' change minus the controls'.
    pub estimate: f64,
    /// Its standard error, clustered by cluster.
    pub std_error: f64,
    /// estimate ÷ std_error (`null` when the standard error is 0).
    pub t: Option<f64>,
    /// Degrees of freedom of t: clusters − 1.
    pub df: f64,
    /// Two-sided p-value of "no effect".
    pub p_value: Option<f64>,
    /// The level of the confidence interval (0.95).
    pub confidence_level: f64,
    /// Lower end of the confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end of the confidence interval.
    pub ci_high: Option<f64>,
    /// Observations used.
    pub n: usize,
    /// Units (clusters) observed.
    pub clusters: usize,
    /// The pre-trend check.
    pub pre_trend: PreTrend,
}

/// A cluster as the control group's rule reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterProfile {
    /// The cluster's id.
    pub id: String,
    /// Its country, if known.
    pub country: Option<String>,
    /// Its year of founding, if known.
    pub founded: Option<i32>,
}

/// The clusters `facts` lists for programme `id` and the programme's start
/// year; `NotFound` when `facts` has no such programme or it has no
/// cluster.
pub fn programme_clusters(
    facts: &EvaluationFacts,
    id: &str,
) -> Result<(Vec<String>, Option<String>)> {
    let Some(p) = facts.programmes.iter().find(|p| p.id == id) else {
        let known: Vec<&str> = facts.programmes.iter().map(|p| p.id.as_str()).collect();
        return Err(ServiceError::NotFound(format!(
            "programme '{id}' is not in the register (programmes: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    let funded: Vec<String> = facts
        .programme_clusters
        .iter()
        .filter(|pc| pc.programme == id)
        .map(|pc| pc.cluster.clone())
        .collect();
    if funded.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "programme '{id}': the register lists no cluster for it (programme_clusters)"
        )));
    }
    Ok((
        funded,
        p.start.as_ref().map(|s| s[..4.min(s.len())].to_owned()),
    ))
}

/// The control group of the `funded` clusters among `clusters` (the
/// clusters the caller reads) and the rule it was chosen by, as a sentence.
///
/// Given `control`: those clusters, each of which must be in `clusters`
/// (`NotFound` otherwise) and not funded (`Invalid`). Otherwise the
/// clusters that are not funded, of a country of a funded cluster, and
/// founded at most `founded_within` years before or after some funded
/// cluster (clusters without a country or founding year are not matched).
/// `Invalid` when fewer than [`MIN_CONTROLS`] clusters qualify or the
/// funded clusters have no country or founding year, naming which.
pub fn control_group(
    clusters: &[ClusterProfile],
    funded: &[String],
    control: &[String],
    founded_within: u32,
) -> Result<(Vec<String>, String)> {
    if !control.is_empty() {
        let mut out: Vec<String> = Vec::new();
        for c in control {
            if !clusters.iter().any(|k| k.id == *c) {
                return Err(ServiceError::NotFound(format!(
                    "control cluster '{c}' is not a cluster that you may see"
                )));
            }
            if funded.contains(c) {
                return Err(ServiceError::Invalid(format!(
                    "control cluster '{c}' is one of the funded clusters: a control must not be funded"
                )));
            }
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        if out.len() < MIN_CONTROLS {
            return Err(ServiceError::Invalid(format!(
                "control: {} cluster(s) given, at least {MIN_CONTROLS} are needed",
                out.len()
            )));
        }
        return Ok((out, "the clusters given (control)".to_owned()));
    }
    let treated: Vec<&ClusterProfile> =
        clusters.iter().filter(|k| funded.contains(&k.id)).collect();
    let countries: BTreeSet<&str> = treated
        .iter()
        .filter_map(|k| k.country.as_deref())
        .collect();
    let years: BTreeSet<i32> = treated.iter().filter_map(|k| k.founded).collect();
    if countries.is_empty() {
        return Err(ServiceError::Invalid(
            "the funded clusters have no country in the register, so no control group can be matched to them: give the controls (control)".into(),
        ));
    }
    if years.is_empty() {
        return Err(ServiceError::Invalid(
            "the funded clusters have no founding date in the register, so no control group can be matched to them: give the controls (control)".into(),
        ));
    }
    let w = i64::from(founded_within);
    let out: Vec<String> = clusters
        .iter()
        .filter(|k| !funded.contains(&k.id))
        .filter(|k| k.country.as_deref().is_some_and(|c| countries.contains(c)))
        .filter(|k| {
            k.founded.is_some_and(|f| {
                years
                    .iter()
                    .any(|y| (i64::from(f) - i64::from(*y)).abs() <= w)
            })
        })
        .map(|k| k.id.clone())
        .collect();
    let countries = countries.into_iter().collect::<Vec<_>>().join(", ");
    let (first, last) = (years.first().copied(), years.last().copied());
    let founded = match (first, last) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => String::new(),
    };
    let rule = format!(
        "clusters of the funded clusters' country ({countries}), not funded, founded within {founded_within} years of a funded cluster (funded clusters founded {founded}); clusters without a country or founding year are not matched"
    );
    if out.len() < MIN_CONTROLS {
        return Err(ServiceError::Invalid(format!(
            "too few control clusters: {} match ({}), at least {MIN_CONTROLS} are needed; the rule: {rule}. Widen founded_within or give the controls (control)",
            out.len(),
            if out.is_empty() {
                "none".to_owned()
            } else {
                out.join(", ")
            }
        )));
    }
    Ok((out, rule))
}

/// A period's place on a time axis in years: the year plus the months
/// before the period's first month, ÷ 12 (2021-Q3 is 2021.5).
fn time_of(period: &str) -> Result<f64> {
    let p: Period = period.parse()?;
    let first = p.bounds().0;
    let month: f64 = first[5..7].parse().unwrap_or(1.0);
    Ok(f64::from(p.year()) + (month - 1.0) / 12.0)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The difference in differences of `indicator` between the `funded` units
/// and the `controls`, before and from `start`
/// ([`weaver_evaluation::policy::difference_in_differences`], standard
/// errors clustered by unit), with its 95% confidence interval from
/// Student's t with clusters − 1 degrees of freedom
/// ([`weaver_evaluation::policy::t_interval`]) and the pre-trend check
/// ([`weaver_evaluation::policy::pre_trend`]); `control_rule` is stated in
/// the answer. `NotFound` when `observations` have no value of the
/// indicator; `Invalid` when fewer than [`MIN_CONTROLS`] controls are
/// observed or the estimate cannot be made.
pub fn difference_in_differences(
    observations: &[Observation],
    indicator: &str,
    funded: &[String],
    controls: &[String],
    control_rule: &str,
    start: &str,
) -> Result<PolicyEffect> {
    let of_indicator: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.indicator == indicator)
        .collect();
    if of_indicator.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "no observations of indicator `{indicator}`"
        )));
    }
    let used: Vec<&Observation> = of_indicator
        .into_iter()
        .filter(|o| funded.contains(&o.unit) || controls.contains(&o.unit))
        .collect();
    let observed = |group: &[String]| -> Vec<String> {
        group
            .iter()
            .filter(|c| used.iter().any(|o| o.unit == **c))
            .cloned()
            .collect()
    };
    let (treated, observed_controls) = (observed(funded), observed(controls));
    if observed_controls.len() < MIN_CONTROLS {
        return Err(ServiceError::Invalid(format!(
            "too few control clusters observed for `{indicator}`: {} of the {} controls ({}), at least {MIN_CONTROLS} are needed",
            observed_controls.len(),
            controls.len(),
            if observed_controls.is_empty() {
                "none".to_owned()
            } else {
                observed_controls.join(", ")
            }
        )));
    }
    let did_obs: Vec<DidObservation> = used
        .iter()
        .map(|o| DidObservation {
            unit: o.unit.clone(),
            treated: funded.contains(&o.unit),
            post: o.period.as_str() >= start,
            value: o.value,
        })
        .collect();
    let r = policy::difference_in_differences(&did_obs).map_err(|e| {
        ServiceError::Invalid(format!("difference-in-differences of `{indicator}`: {e}"))
    })?;
    let df = r.clusters as f64 - 1.0;
    let (lo, hi, p) = policy::t_interval(r.estimate, r.std_error, df, CONFIDENCE);
    let mut before: BTreeSet<&str> = BTreeSet::new();
    let mut after: BTreeSet<&str> = BTreeSet::new();
    for o in &used {
        if o.period.as_str() >= start {
            after.insert(&o.period);
        } else {
            before.insert(&o.period);
        }
    }
    let mut trend_obs = Vec::new();
    for o in used.iter().filter(|o| o.period.as_str() < start) {
        trend_obs.push(TrendObservation {
            unit: o.unit.clone(),
            treated: funded.contains(&o.unit),
            time: time_of(&o.period)?,
            value: o.value,
        });
    }
    let periods: Vec<String> = before.iter().map(|p| (*p).to_owned()).collect();
    let pre_trend = match policy::pre_trend(&trend_obs) {
        Ok(t) => {
            let (lo, hi, p) = policy::t_interval(t.slope_difference, t.std_error, t.df, CONFIDENCE);
            let verdict = match finite(p) {
                Some(p) if p < 0.05 => format!(
                    "the funded and the control clusters trended differently before the start (slope difference {:.4} per year, p = {p:.3} < 0.05): the parallel-trends assumption is in doubt and the estimate may be biased",
                    t.slope_difference
                ),
                Some(p) => format!(
                    "no evidence of different trends before the start at the 5% level (p = {p:.3}); with few periods or clusters the check has little power, so this supports but does not prove parallel trends"
                ),
                None => {
                    "the pre-period slopes could not be compared (zero standard error)".to_owned()
                }
            };
            PreTrend {
                testable: true,
                slope_difference: finite(t.slope_difference),
                std_error: finite(t.std_error),
                ci_low: finite(lo),
                ci_high: finite(hi),
                p_value: finite(p),
                periods,
                verdict,
            }
        }
        Err(e) => PreTrend {
            testable: false,
            slope_difference: None,
            std_error: None,
            ci_low: None,
            ci_high: None,
            p_value: None,
            periods,
            verdict: format!("not testable: {e}"),
        },
    };
    Ok(PolicyEffect {
        indicator: indicator.to_owned(),
        programme: None,
        start: start.to_owned(),
        treated,
        controls: observed_controls,
        control_rule: control_rule.to_owned(),
        periods_before: before.iter().map(|p| (*p).to_owned()).collect(),
        periods_after: after.iter().map(|p| (*p).to_owned()).collect(),
        method: METHOD.to_owned(),
        estimate: r.estimate,
        std_error: r.std_error,
        t: finite(r.t),
        df,
        p_value: finite(p),
        confidence_level: CONFIDENCE,
        ci_low: finite(lo),
        ci_high: finite(hi),
        n: r.n,
        clusters: r.clusters,
        pre_trend,
    })
}

/// The funded clusters and the start of `params` read from `facts`: the
/// programme's clusters and start, or the given ones.
pub fn treatment(facts: &EvaluationFacts, params: &PolicyParams) -> Result<(Vec<String>, String)> {
    let (funded, programme_start) = match &params.programme {
        Some(id) => programme_clusters(facts, id)?,
        None if params.treated.is_empty() => {
            return Err(ServiceError::invalid(
                "give the funded clusters or a programme",
            ));
        }
        None => (params.treated.clone(), None),
    };
    let Some(start) = params.start.clone().or(programme_start) else {
        return Err(ServiceError::Invalid(match &params.programme {
            Some(id) => format!(
                "programme '{id}' has no start date in the register: give the first period of the programme (start)"
            ),
            None => "give the first period of the programme (start)".to_owned(),
        }));
    };
    Ok((funded, start))
}

/// The clusters `who` may read, with their country and founding year.
pub async fn readable_cluster_profiles(
    store: &Store,
    who: Option<&Principal>,
) -> Result<Vec<ClusterProfile>> {
    let t = weaver_core::schema::table("clusters")
        .ok_or_else(|| ServiceError::NotFound("clusters".into()))?;
    let (id, country, founded) = match (
        t.position("id"),
        t.position("country"),
        t.position("founded"),
    ) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => {
            return Err(ServiceError::engine(
                "the clusters table",
                "has no id, country or founded column",
            ));
        }
    };
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .list(
                t,
                who,
                &ListQuery {
                    limit: MAX_PAGE,
                    offset,
                    ..ListQuery::default()
                },
            )
            .await?;
        for r in &page.rows {
            let text = |i: usize| r.values.get(i).and_then(|v| v.as_str()).map(str::to_owned);
            let Some(cluster) = text(id) else { continue };
            out.push(ClusterProfile {
                id: cluster,
                country: text(country).filter(|c| !c.trim().is_empty()),
                founded: text(founded).and_then(|d| d.get(..4).and_then(|y| y.parse().ok())),
            });
        }
        offset += page.rows.len() as i64;
        if page.rows.is_empty() || offset >= page.total {
            break;
        }
    }
    Ok(out)
}

/// The effect of a programme (or of funding the given clusters) on an
/// indicator against its control group ([`control_group`]), estimated by
/// difference in differences ([`difference_in_differences`]) over the
/// observations `who` may read (with the computed indicators when
/// `params.computed`), the programme, its clusters and the controls as
/// `who` may read them; `cache` lets the computed indicators be kept in
/// the store.
pub async fn policy_effect(
    store: &Store,
    who: Option<&Principal>,
    params: &PolicyParams,
    cache: bool,
) -> Result<PolicyEffect> {
    if params.indicator.trim().is_empty() {
        return Err(ServiceError::invalid("give the outcome indicator"));
    }
    if let Some(s) = &params.start {
        s.parse::<Period>()?;
    }
    if !params.control.is_empty() && params.founded_within.is_some() {
        return Err(ServiceError::invalid(
            "give either the controls or founded_within, not both: the founding window chooses the default control group",
        ));
    }
    let facts = store.readable_evaluation_facts(who).await?;
    let (mut funded, start) = treatment(&facts, params)?;
    // Only the clusters `who` reads: the answer names them.
    funded.retain(|c| facts.clusters.iter().any(|k| k.id == *c));
    if funded.is_empty() {
        return Err(ServiceError::NotFound(
            "none of the funded clusters is one that you may see".into(),
        ));
    }
    let read =
        crate::observations::observations_for(store, who, None, params.computed, cache).await?;
    if read.observations.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no observations that you may see".into(),
        ));
    }
    let profiles = readable_cluster_profiles(store, who).await?;
    let (controls, rule) = control_group(
        &profiles,
        &funded,
        &params.control,
        params.founded_within.unwrap_or(DEFAULT_FOUNDED_WITHIN),
    )?;
    let mut effect = difference_in_differences(
        &read.observations,
        &params.indicator,
        &funded,
        &controls,
        &rule,
        &start,
    )?;
    effect.programme = params.programme.clone();
    Ok(effect)
}

/// The public share of one cluster's funding in one year.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PublicShare {
    /// The cluster.
    pub cluster: String,
    /// The year.
    pub year: i64,
    /// Public ÷ all funding of the cluster and its projects.
    pub public_share: f64,
}

/// The public share of the funding of each cluster (its own and its
/// projects') per year in `facts` ([`weaver_evaluation::policy::public_share`]),
/// only `year` when given, by cluster and year.
pub fn public_shares(facts: &EvaluationFacts, year: Option<i64>) -> Vec<PublicShare> {
    let project_cluster: std::collections::HashMap<&str, &str> = facts
        .projects
        .iter()
        .filter_map(|p| p.cluster.as_deref().map(|c| (p.id.as_str(), c)))
        .collect();
    let mut by_key: BTreeMap<(&str, i64), Vec<(&str, f64)>> = BTreeMap::new();
    for f in &facts.funding {
        if year.is_some_and(|y| y != f.year) {
            continue;
        }
        let cluster = if facts.clusters.iter().any(|c| c.id == f.recipient) {
            Some(f.recipient.as_str())
        } else {
            project_cluster.get(f.recipient.as_str()).copied()
        };
        if let Some(c) = cluster {
            by_key
                .entry((c, f.year))
                .or_default()
                .push((f.source_type.as_str(), f.amount));
        }
    }
    by_key
        .into_iter()
        .map(|((c, y), rows)| PublicShare {
            cluster: c.to_owned(),
            year: y,
            public_share: policy::public_share(&rows),
        })
        .collect()
}

/// The public shares of the funding `who` may read ([`public_shares`]),
/// of the year of `period` when given; `NotFound` when `who` reads no
/// funding.
pub async fn readable_public_shares(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
) -> Result<Vec<PublicShare>> {
    let year = match period {
        Some(p) => Some(year_of(p)?),
        None => None,
    };
    let facts = store.readable_evaluation_facts(who).await?;
    if facts.funding.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no funding that you may see".into(),
        ));
    }
    Ok(public_shares(&facts, year))
}

/// The year of a period (`2024`, `2024-Q3`, `2024-07`).
pub fn year_of(period: &str) -> Result<i64> {
    Ok(i64::from(
        period.parse::<weaver_core::period::Period>()?.year(),
    ))
}

#[cfg(test)]
mod tests {
    use weaver_store::{
        ClusterFacts, FundingFact, ProgrammeClusterFact, ProgrammeFact, ProjectFact,
    };

    use super::*;

    fn obs(unit: &str, period: &str, value: f64) -> Observation {
        Observation {
            unit: unit.to_owned(),
            indicator: "x".to_owned(),
            period: period.to_owned(),
            value,
        }
    }

    fn facts() -> EvaluationFacts {
        let cluster = |id: &str| ClusterFacts {
            id: id.to_owned(),
            management_fte: None,
            website_en: None,
        };
        let fund = |recipient: &str, source_type: &str, amount: f64, year: i64| FundingFact {
            recipient: recipient.to_owned(),
            source_type: source_type.parse().unwrap(),
            amount,
            year,
        };
        EvaluationFacts {
            clusters: vec![cluster("c1"), cluster("c2")],
            projects: vec![ProjectFact {
                id: "p1".to_owned(),
                cluster: Some("c1".to_owned()),
                start: None,
                end: None,
            }],
            funding: vec![
                fund("c1", "local_gov", 30.0, 2022),
                fund("p1", "private", 10.0, 2022),
                fund("c2", "bank", 5.0, 2021),
                fund("elsewhere", "local_gov", 99.0, 2022),
            ],
            programmes: vec![
                ProgrammeFact {
                    id: "prog1".to_owned(),
                    start: Some("2020-01-01".to_owned()),
                },
                ProgrammeFact {
                    id: "empty".to_owned(),
                    start: None,
                },
            ],
            programme_clusters: vec![ProgrammeClusterFact {
                programme: "prog1".to_owned(),
                cluster: "c1".to_owned(),
                since: None,
            }],
            ..EvaluationFacts::default()
        }
    }

    #[test]
    fn the_effect_is_the_funded_change_minus_the_controls() {
        // c1 1.25 → 4.25 (+3); controls pooled 1.625 → 2.75 (+1.125; c2
        // +1.2, c3 +1.05): 3 − 1.125 = 1.875. c9 is no control and moves
        // by 100.
        // Before 2020 c1 rises 0.5 a year, the controls' pooled points
        // (2017: 1, 2; 2018: 1.2, 2.3) 0.25 a year: slope difference 0.25.
        let o = [
            obs("c1", "2017", 1.0),
            obs("c1", "2018", 1.5),
            obs("c1", "2022", 4.0),
            obs("c1", "2023", 4.5),
            obs("c2", "2017", 1.0),
            obs("c2", "2018", 1.2),
            obs("c2", "2022", 2.1),
            obs("c2", "2023", 2.5),
            obs("c3", "2017", 2.0),
            obs("c3", "2018", 2.3),
            obs("c3", "2022", 3.0),
            obs("c3", "2023", 3.4),
            obs("c9", "2017", 0.0),
            obs("c9", "2023", 100.0),
        ];
        let (funded, start) = treatment(
            &facts(),
            &PolicyParams {
                indicator: "x".to_owned(),
                programme: Some("prog1".to_owned()),
                ..PolicyParams::default()
            },
        )
        .unwrap();
        assert_eq!(
            (funded.as_slice(), start.as_str()),
            (&["c1".to_owned()][..], "2020")
        );
        let controls = ["c2".to_owned(), "c3".to_owned()];
        let e = difference_in_differences(&o, "x", &funded, &controls, "given", &start).unwrap();
        assert!((e.estimate - 1.875).abs() < 1e-12, "{e:?}");
        assert_eq!((e.n, e.clusters, e.df), (12, 3, 2.0));
        assert_eq!(e.controls, controls);
        assert_eq!(e.periods_before, ["2017", "2018"]);
        assert_eq!(e.periods_after, ["2022", "2023"]);
        // 95 % interval: ± t(0.975, 2) = 4.302652730 standard errors.
        let half = 4.302_652_730 * e.std_error;
        assert!(e.std_error > 0.0);
        assert!((e.ci_low.unwrap() - (1.875 - half)).abs() < 1e-8, "{e:?}");
        assert!((e.ci_high.unwrap() - (1.875 + half)).abs() < 1e-8, "{e:?}");
        let pt = &e.pre_trend;
        assert!(pt.testable);
        assert!(
            (pt.slope_difference.unwrap() - 0.25).abs() < 1e-12,
            "{pt:?}"
        );
        assert_eq!(pt.periods, ["2017", "2018"]);
        assert!(matches!(
            difference_in_differences(&o, "y", &funded, &controls, "given", &start),
            Err(ServiceError::NotFound(_))
        ));
        // One control observed: refused, naming it.
        let e = difference_in_differences(
            &o,
            "x",
            &funded,
            &["c2".to_owned(), "c7".to_owned()],
            "given",
            &start,
        )
        .unwrap_err();
        assert!(
            matches!(&e, ServiceError::Invalid(m) if m.contains("1 of the 2 controls (c2)")),
            "{e}"
        );
    }

    #[test]
    fn the_default_controls_share_the_country_and_the_founding_period() {
        let k = |id: &str, country: Option<&str>, founded: Option<i32>| ClusterProfile {
            id: id.to_owned(),
            country: country.map(str::to_owned),
            founded,
        };
        let all = [
            k("t1", Some("CN"), Some(2008)),
            k("t2", Some("CN"), Some(2013)),
            k("cn-2017", Some("CN"), Some(2017)),
            k("cn-2019", Some("CN"), Some(2019)),
            k("cn-2002", Some("CN"), Some(2002)),
            k("cn-none", Some("CN"), None),
            k("de-2010", Some("DE"), Some(2010)),
        ];
        let funded = ["t1".to_owned(), "t2".to_owned()];
        // ±5 years of 2008 or 2013: 2003–2018.
        let e = control_group(&all, &funded, &[], 5)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("1 match (cn-2017)") && e.contains("(CN)") && e.contains("2008-2013"),
            "{e}"
        );
        let (c, rule) = control_group(&all, &funded, &[], 6).unwrap();
        assert_eq!(c, ["cn-2017", "cn-2019", "cn-2002"]);
        assert!(rule.contains("within 6 years"), "{rule}");
        // Given controls: readable, not funded, at least two.
        let given = |ids: &[&str]| -> Vec<String> { ids.iter().map(|s| (*s).to_owned()).collect() };
        let (c, _) = control_group(&all, &funded, &given(&["de-2010", "cn-none"]), 5).unwrap();
        assert_eq!(c, ["de-2010", "cn-none"]);
        assert!(matches!(
            control_group(&all, &funded, &given(&["de-2010", "hidden"]), 5),
            Err(ServiceError::NotFound(m)) if m.contains("'hidden'")
        ));
        assert!(matches!(
            control_group(&all, &funded, &given(&["de-2010", "t1"]), 5),
            Err(ServiceError::Invalid(m)) if m.contains("'t1' is one of the funded")
        ));
        assert!(matches!(
            control_group(&all, &funded, &given(&["de-2010"]), 5),
            Err(ServiceError::Invalid(m)) if m.contains("1 cluster(s) given")
        ));
        // Funded clusters without a founding year cannot be matched.
        let bare = [k("t1", Some("CN"), None), k("x", Some("CN"), Some(2000))];
        assert!(matches!(
            control_group(&bare, &funded, &[], 5),
            Err(ServiceError::Invalid(m)) if m.contains("no founding date")
        ));
    }

    #[test]
    fn a_programme_must_exist_list_clusters_and_have_a_start() {
        let f = facts();
        let with = |programme: &str, start: Option<&str>| PolicyParams {
            indicator: "x".to_owned(),
            programme: Some(programme.to_owned()),
            start: start.map(str::to_owned),
            ..PolicyParams::default()
        };
        let e = treatment(&f, &with("nope", None)).unwrap_err().to_string();
        assert!(e.contains("'nope'") && e.contains("prog1, empty"), "{e}");
        assert!(matches!(
            treatment(&f, &with("empty", Some("2021"))),
            Err(ServiceError::NotFound(_))
        ));
        let none = PolicyParams {
            indicator: "x".to_owned(),
            treated: vec!["c2".to_owned()],
            ..PolicyParams::default()
        };
        assert!(matches!(
            treatment(&f, &none),
            Err(ServiceError::Invalid(_))
        ));
    }

    #[test]
    fn public_shares_count_a_clusters_projects_and_only_clusters() {
        let all = public_shares(&facts(), None);
        let got: Vec<(&str, i64, f64)> = all
            .iter()
            .map(|s| (s.cluster.as_str(), s.year, s.public_share))
            .collect();
        assert_eq!(got, [("c1", 2022, 0.75), ("c2", 2021, 0.0)]);
        assert_eq!(public_shares(&facts(), Some(2021)).len(), 1);
        assert_eq!(year_of("2022-Q3").unwrap(), 2022);
        assert!(year_of("22").is_err());
    }
}
