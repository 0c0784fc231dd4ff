//! The lifecycle stage (Menzel & Fornahl 2010) and the policy stage of
//! each cluster in each period, by transparent rules
//! ([`weaver_evaluation::lifecycle`]), over the observations the caller may
//! read with the register's computed signals.

use serde::Serialize;
use utoipa::ToSchema;
use weaver_evaluation::Observation;
use weaver_evaluation::lifecycle::{LifecycleRules, SIGNALS, classify_observations};
use weaver_store::{Principal, Store};

use crate::error::{Result, ServiceError};

/// What the shipped rules are, for people.
pub const SHIPPED_RULES: &str =
    "shipped defaults (weaver-evaluation frameworks/lifecycle_rules.toml)";

/// The stages of the clusters and periods asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lifecycle {
    /// Which rules ([`SHIPPED_RULES`]).
    pub rules: &'static str,
    /// The signals the rules read.
    pub signals: Vec<&'static str>,
    /// Indicators of the observations that are not signals (left out).
    pub ignored: Vec<String>,
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
    /// The policy stage.
    pub policy_stage: String,
    /// The lifecycle stage.
    pub lifecycle_stage: String,
    /// How many of the signals had a value.
    pub signals_available: usize,
    /// The rules that fired, with the values that made them fire.
    pub rules: Vec<String>,
}

/// The stages of `observations` by `rules`, kept to `cluster` and
/// `period` when given (pure: the command line's file input too).
pub fn stages_of(
    observations: &[Observation],
    rules: &LifecycleRules,
    rules_name: &'static str,
    cluster: Option<&str>,
    period: Option<&str>,
) -> Lifecycle {
    let r = classify_observations(observations, rules);
    let stages = r
        .stages
        .iter()
        .filter(|(u, p, _)| {
            cluster.is_none_or(|c| c == r.units[*u]) && period.is_none_or(|x| x == r.periods[*p])
        })
        .map(|(u, p, s)| StageRow {
            cluster: r.units[*u].clone(),
            period: r.periods[*p].clone(),
            policy_stage: s.policy_stage.as_str().to_owned(),
            lifecycle_stage: s.lifecycle_stage.as_str().to_owned(),
            signals_available: s.signals_available,
            rules: s.fired.iter().map(|f| f.describe()).collect(),
        })
        .collect();
    Lifecycle {
        rules: rules_name,
        signals: SIGNALS.to_vec(),
        ignored: r.ignored,
        stages,
    }
}

/// The lifecycle and policy stages by the shipped rules of each cluster
/// (or `cluster`) in each period (or `period`), over the observations
/// `who` may read (the public: `None`) with the register's computed
/// signals. `cache` lets the store keep the computed values.
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
    let observations = crate::indicators::lifecycle_signals(
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
