//! The lifecycle stage (Menzel & Fornahl 2010) and the policy stage of
//! each cluster in each period, by transparent rules
//! ([`weaver_evaluation::lifecycle`]), over the observations the caller may
//! read with the register's computed signals.
//!
//! A cluster's stage at a period is read from that cluster's own evidence
//! up to that period: its entered observations, and the register's
//! computed signals only in the periods in which it has entered
//! observations ([`own_signals`]), so another cluster's campaign or
//! quarterly report never adds a period to it. Years, quarters and months
//! are separate series; a stage changes when confirmed over the rules'
//! `confirm_periods` consecutive periods.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;
use weaver_evaluation::Observation;
use weaver_evaluation::lifecycle::{
    Classification, LifecycleRules, Measure, SIGNALS, classify_observations, period_position,
};
use weaver_store::{Principal, Store};

use crate::error::{Result, ServiceError};

/// What the shipped rules are, for people.
pub const SHIPPED_RULES: &str =
    "shipped defaults (weaver-evaluation frameworks/lifecycle_rules.toml)";

/// The rules every answer follows, for people.
pub const METHOD: &str = "Each cluster's stage at a period is read from its own observations up to that period only (never from other clusters' rows or later periods). Years, quarters and months are separate series: a year's stage reads yearly values, a quarter's quarterly ones, and trends are per period of that granularity. A stage changes only when the rules give the new stage in `confirm_periods` consecutive periods; the verdict of each period alone is given beside it.";

/// The stages of the clusters and periods asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lifecycle {
    /// Which rules ([`SHIPPED_RULES`]).
    pub rules: &'static str,
    /// How the stages are read ([`METHOD`]).
    pub method: &'static str,
    /// Periods per trend window.
    pub window: usize,
    /// Consecutive periods a new verdict must hold before the stage
    /// changes.
    pub confirm_periods: usize,
    /// The signals the rules read.
    pub signals: Vec<&'static str>,
    /// Indicators of the observations that are not signals (left out).
    pub ignored: Vec<String>,
    /// Period labels that are not a year, quarter or month (left out).
    pub unreadable_periods: Vec<String>,
    /// One row per cluster and period.
    pub stages: Vec<StageRow>,
}

/// A cluster's stages in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageRow {
    /// The cluster.
    pub cluster: String,
    /// The period.
    pub period: String,
    /// `year`, `quarter` or `month`: the series the period belongs to.
    pub granularity: &'static str,
    /// The policy stage (confirmed).
    pub policy_stage: String,
    /// The lifecycle stage (confirmed).
    pub lifecycle_stage: String,
    /// The policy stage the rules give in this period alone.
    pub policy_verdict: String,
    /// The lifecycle stage the rules give in this period alone.
    pub lifecycle_verdict: String,
    /// How many of the signals had a value.
    pub signals_available: usize,
    /// The rules that fired, `rule(signal.measure=value, …)`.
    pub rules: Vec<String>,
    /// The rules that fired, with their values and as sentences.
    pub fired: Vec<FiredRow>,
}

/// A rule that fired in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FiredRow {
    /// The rule id.
    pub rule: String,
    /// `policy` or `lifecycle`.
    pub classification: &'static str,
    /// The stage it voted for.
    pub stage: String,
    /// Each signal and measure it read, once.
    pub values: Vec<EvidenceRow>,
    /// The rule with its numbers, in English.
    pub reason_en: String,
    /// The rule with its numbers, in Chinese.
    pub reason_zh: String,
}

/// A value a fired rule read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceRow {
    /// The signal.
    pub signal: String,
    /// `level`, `trend` or `prior_trend`.
    pub measure: &'static str,
    /// Its value (a trend: relative change per period).
    pub value: f64,
}

/// The lifecycle signals of a cluster's own evidence: the entered
/// observations, and the register's computed values (`auto.*`, as
/// [`crate::indicators::lifecycle_signals`] takes them) only in the
/// periods in which that cluster has an entered observation, so that the
/// periods other clusters report add no period to it.
pub fn own_signals(observations: Vec<Observation>) -> Vec<Observation> {
    let prefix = crate::indicators::PREFIX;
    let reported: HashSet<(String, String)> = observations
        .iter()
        .filter(|o| !o.indicator.starts_with(prefix))
        .map(|o| (o.unit.clone(), o.period.clone()))
        .collect();
    crate::indicators::lifecycle_signals(
        observations
            .into_iter()
            .filter(|o| {
                !o.indicator.starts_with(prefix)
                    || reported.contains(&(o.unit.clone(), o.period.clone()))
            })
            .collect(),
    )
}

/// The stages of `observations` by `rules`, kept to `cluster` and
/// `period` (a year, quarter or month, compared as such: `2024-q3` is
/// `2024-Q3`) when given (pure: the command line's file input too).
pub fn stages_of(
    observations: &[Observation],
    rules: &LifecycleRules,
    rules_name: &'static str,
    cluster: Option<&str>,
    period: Option<&str>,
) -> Lifecycle {
    let r = classify_observations(observations, rules);
    let asked = period.map(period_position);
    let stages = r
        .stages
        .iter()
        .filter(|(u, p, _)| {
            cluster.is_none_or(|c| c == r.units[*u])
                && asked.is_none_or(|a| match a {
                    Some(a) => period_position(&r.periods[*p]) == Some(a),
                    None => period == Some(r.periods[*p].as_str()),
                })
        })
        .map(|(u, p, s)| StageRow {
            cluster: r.units[*u].clone(),
            period: r.periods[*p].clone(),
            granularity: period_position(&r.periods[*p]).map_or("", |(g, _)| g.as_str()),
            policy_stage: s.policy_stage.as_str().to_owned(),
            lifecycle_stage: s.lifecycle_stage.as_str().to_owned(),
            policy_verdict: s.policy_verdict.as_str().to_owned(),
            lifecycle_verdict: s.lifecycle_verdict.as_str().to_owned(),
            signals_available: s.signals_available,
            rules: s.fired.iter().map(|f| f.describe()).collect(),
            fired: s
                .fired
                .iter()
                .map(|f| FiredRow {
                    rule: f.id.clone(),
                    classification: match f.classification {
                        Classification::Policy => "policy",
                        Classification::Lifecycle => "lifecycle",
                    },
                    stage: f.stage.clone(),
                    values: f
                        .evidence
                        .iter()
                        .map(|e| EvidenceRow {
                            signal: e.signal.clone(),
                            measure: match e.measure {
                                Measure::Level => "level",
                                Measure::Trend => "trend",
                                Measure::PriorTrend => "prior_trend",
                            },
                            value: e.value,
                        })
                        .collect(),
                    reason_en: f.reason_en.clone(),
                    reason_zh: f.reason_zh.clone(),
                })
                .collect(),
        })
        .collect();
    Lifecycle {
        rules: rules_name,
        method: METHOD,
        window: rules.settings.window,
        confirm_periods: rules.settings.confirm_periods,
        signals: SIGNALS.to_vec(),
        ignored: r.ignored,
        unreadable_periods: r.unreadable_periods,
        stages,
    }
}

/// The lifecycle and policy stages by the shipped rules of each cluster
/// (or `cluster`) in each period (or `period`), over the observations
/// `who` may read (the public: `None`) with the register's computed
/// signals in the periods each cluster reports ([`own_signals`]). `cache`
/// lets the store keep the computed values.
pub async fn lifecycle(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
    cluster: Option<&str>,
    cache: bool,
) -> Result<Lifecycle> {
    if let Some(p) = period {
        p.parse::<weaver_core::period::Period>()?;
    }
    let observations = own_signals(
        crate::observations::observations_for(store, who, None, true, cache)
            .await?
            .observations,
    );
    if observations.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no observations that you may see".into(),
        ));
    }
    let (period, cluster) = (period.map(str::to_owned), cluster.map(str::to_owned));
    crate::blocking("the lifecycle", move || {
        Ok(stages_of(
            &observations,
            &LifecycleRules::default(),
            SHIPPED_RULES,
            cluster.as_deref(),
            period.as_deref(),
        ))
    })
    .await
}

/// The lifecycle and policy stages by the shipped rules of cluster
/// `cluster` in each period, read on that cluster alone: its observations
/// `who` may read (one cluster's read, not every cluster's) with the
/// register's computed signals in the periods it reports. The same stages
/// as [`lifecycle`] gives for that cluster; `stages` is empty when `who`
/// reads no observation of it.
pub async fn cluster_lifecycle(
    store: &Store,
    who: Option<&Principal>,
    cluster: &str,
    cache: bool,
) -> Result<Lifecycle> {
    let entered: Vec<Observation> = store
        .readable_cluster_observations(who, cluster)
        .await?
        .into_iter()
        .map(crate::observations::observation)
        .collect();
    let observations = match who.filter(|_| !entered.is_empty()) {
        None => entered,
        Some(who) => {
            let mut periods: Vec<String> = entered.iter().map(|o| o.period.clone()).collect();
            periods.sort_unstable();
            periods.dedup();
            let (mut computed, _) =
                crate::observations::computed_indicators(store, who, &periods, cache).await?;
            computed.retain(|o| {
                o.unit == cluster && (who.is_admin() || who.readable.contains(&o.unit))
            });
            crate::indicators::join(entered, computed).0
        }
    };
    let observations = own_signals(observations);
    let cluster = cluster.to_owned();
    crate::blocking("the lifecycle", move || {
        Ok(stages_of(
            &observations,
            &LifecycleRules::default(),
            SHIPPED_RULES,
            Some(&cluster),
            None,
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(unit: &str, indicator: &str, period: &str, value: f64) -> Observation {
        Observation {
            unit: unit.into(),
            indicator: indicator.into(),
            period: period.into(),
            value,
        }
    }

    fn cells(o: &[Observation]) -> Vec<(String, String, String, f64)> {
        let mut v: Vec<_> = o
            .iter()
            .map(|o| {
                (
                    o.unit.clone(),
                    o.indicator.clone(),
                    o.period.clone(),
                    o.value,
                )
            })
            .collect();
        v.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
        v
    }

    #[test]
    fn computed_signals_only_in_the_periods_a_cluster_reports() {
        // c2 reports 2025 only: its computed 2023 members (there because
        // c1 reports 2023) are not its evidence; c1's entered members win
        // over its computed ones.
        let o = vec![
            obs("c1", "members", "2023", 80.0),
            obs("c1", "auto.members", "2023", 5.0),
            obs("c1", "auto.density", "2023", 0.2),
            obs("c2", "auto.members", "2023", 40.0),
            obs("c2", "cost", "2025", 1.0),
            obs("c2", "auto.members", "2025", 41.0),
            obs("c2", "auto.projects_per_member", "2025", 0.5),
        ];
        let s = |a: &str, b: &str, c: &str, v: f64| (a.to_owned(), b.to_owned(), c.to_owned(), v);
        assert_eq!(
            cells(&own_signals(o)),
            [
                s("c1", "density", "2023", 0.2),
                s("c1", "members", "2023", 80.0),
                s("c2", "cost", "2025", 1.0),
                s("c2", "members", "2025", 41.0),
            ]
        );
    }

    #[test]
    fn a_period_is_asked_for_as_a_period() {
        let o = vec![
            obs("c", "members", "2024-Q3", 40.0),
            obs("c", "members", "2024", 40.0),
            obs("c", "public_funding_share", "2024", 0.6),
        ];
        let r = stages_of(
            &o,
            &LifecycleRules::default(),
            SHIPPED_RULES,
            None,
            Some("2024-q3"),
        );
        assert_eq!(r.stages.len(), 1);
        assert_eq!(r.stages[0].period, "2024-Q3");
        assert_eq!(r.stages[0].granularity, "quarter");
        let r = stages_of(
            &o,
            &LifecycleRules::default(),
            SHIPPED_RULES,
            Some("c"),
            Some("2024"),
        );
        let row = &r.stages[0];
        assert_eq!((row.period.as_str(), row.granularity), ("2024", "year"));
        assert_eq!(row.policy_stage, "initial");
        assert_eq!(
            row.rules,
            ["public_share_dominant(public_funding_share.level=0.6)"]
        );
        let f = &row.fired[0];
        assert_eq!(
            (f.rule.as_str(), f.classification, f.stage.as_str()),
            ("public_share_dominant", "policy", "initial")
        );
        assert_eq!(f.values.len(), 1);
        assert_eq!(
            (
                f.values[0].signal.as_str(),
                f.values[0].measure,
                f.values[0].value
            ),
            ("public_funding_share", "level", 0.6)
        );
        assert_eq!(
            f.reason_en,
            "policy stage initial, rule public_share_dominant: the public share of funding is 0.6 (at least 0.5)."
        );
        assert_eq!(r.confirm_periods, 2);
    }
}
