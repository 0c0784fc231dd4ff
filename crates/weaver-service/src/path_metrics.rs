//! Path metrics of a cluster's network: betweenness and closeness need
//! shortest paths between all pairs, which for a cluster of thousands of
//! organizations takes longer than a request should wait. Two questions:
//!
//! - [`sampled`]: betweenness estimated from sampled shortest paths
//!   (Riondato–Kornaropoulos), with the guarantee stated in the answer
//!   (every value within ε with probability 1 − δ);
//! - [`exact_job`]: exact betweenness and closeness (equal to NetworkX's
//!   `betweenness_centrality` and `closeness_centrality`) as a job of the
//!   store, computed in steps by [`ExactRun`] by whoever runs the job (the
//!   server, which reports its progress); [`job`] says who may read it.
//!
//! Who may ask is who may have the cluster's network analysed
//! ([`crate::network::network_access`]); a job is readable by admins and by
//! everyone whose view of the cluster is the job's.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;
use weaver_network::{
    BetweennessOptions, ClosenessOptions, Graph, SampledBetweennessOptions, betweenness,
    betweenness_sampled, closeness,
};
use weaver_store::{ClusterNetwork, Job, JobKey, NetworkScope, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::network::{graph_of, network_access};

/// Bounds of ε: below 0.02 the sample grows past what a request should
/// compute (use the exact job); above 0.5 the estimate says nothing.
pub const EPSILON_RANGE: (f64, f64) = (0.02, 0.5);

/// Bounds of δ: the sample grows with ln(1/δ), so that below 0.001 it buys
/// little certainty for much work (and at δ → 0 it overflows); above 0.5 the
/// guarantee is a coin toss.
pub const DELTA_RANGE: (f64, f64) = (0.001, 0.5);

/// What a sampled estimate is asked with (`None`: the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SampledParams {
    /// The largest error of a normalised value (default 0.05).
    pub epsilon: Option<f64>,
    /// The probability that some value is off by more (default 0.1).
    pub delta: Option<f64>,
    /// The random seed (default 0).
    pub seed: Option<u64>,
}

impl SampledParams {
    /// The engine's options, checked against [`EPSILON_RANGE`] and
    /// [`DELTA_RANGE`].
    pub fn options(&self) -> Result<SampledBetweennessOptions> {
        let epsilon = self.epsilon.unwrap_or(0.05);
        if !(EPSILON_RANGE.0..=EPSILON_RANGE.1).contains(&epsilon) {
            return Err(ServiceError::Invalid(format!(
                "epsilon must be between {} and {} (smaller errors: POST the same path for exact \
                 values computed as a background job), not {epsilon}",
                EPSILON_RANGE.0, EPSILON_RANGE.1
            )));
        }
        let delta = self.delta.unwrap_or(0.1);
        if !(DELTA_RANGE.0..=DELTA_RANGE.1).contains(&delta) {
            return Err(ServiceError::Invalid(format!(
                "delta (the probability that some value is off by more than epsilon) must be \
                 between {} and {}, not {delta}",
                DELTA_RANGE.0, DELTA_RANGE.1
            )));
        }
        Ok(SampledBetweennessOptions {
            epsilon,
            delta,
            seed: self.seed.unwrap_or(0),
            ..SampledBetweennessOptions::default()
        })
    }
}

/// Sampled betweenness of a cluster's members, with its guarantee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampledPaths {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// `sampled`.
    pub method: &'static str,
    /// Whether paths are weighted (length 1 / weight).
    pub weighted_paths: bool,
    /// The guaranteed error of a normalised value.
    pub epsilon: f64,
    /// The same error on the scale of pairs.
    pub epsilon_pairs: f64,
    /// The probability that some value is off by more.
    pub delta: f64,
    /// Paths sampled.
    pub samples: usize,
    /// The bound of the vertex diameter the sample size rests on.
    pub vertex_diameter_bound: usize,
    /// The random seed.
    pub seed: u64,
    /// The guarantee, for people.
    pub guarantee: String,
    /// Each member's estimate.
    pub nodes: Vec<SampledNode>,
}

/// One member's estimated betweenness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampledNode {
    /// Organization id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Estimated normalised betweenness.
    pub betweenness: f64,
}

/// Sampled betweenness of a view's members (weighted ties: paths of length
/// 1 / weight, as the exact job uses).
pub fn sampled_of(
    view: &ClusterNetwork,
    options: SampledBetweennessOptions,
) -> Result<SampledPaths> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let (g, weighted) = graph_of(view).map_err(bad)?;
    let options = SampledBetweennessOptions {
        weighted_paths: weighted,
        ..options
    };
    let est = betweenness_sampled(&g, &options).map_err(bad)?;
    let nodes = view
        .organizations
        .iter()
        .zip(&est.values)
        .map(|(o, b)| SampledNode {
            id: o.id.clone(),
            name: o.name.clone(),
            betweenness: *b,
        })
        .collect();
    Ok(SampledPaths {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        method: "sampled",
        weighted_paths: weighted,
        epsilon: est.epsilon_normalized,
        epsilon_pairs: est.epsilon,
        delta: est.delta,
        samples: est.samples,
        vertex_diameter_bound: est.vertex_diameter_bound,
        seed: options.seed,
        guarantee: format!(
            "with probability at least {:.3}, every betweenness value is within {:.4} of the exact \
             normalized value (Riondato & Kornaropoulos 2016)",
            1.0 - est.delta,
            est.epsilon_normalized
        ),
        nodes,
    })
}

/// Sampled betweenness of `cluster`'s members in `period` for `who`.
pub async fn sampled(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
    params: SampledParams,
) -> Result<SampledPaths> {
    let options = params.options()?;
    let view = crate::network::cluster_network(store, who, cluster, period).await?;
    crate::blocking("the path metrics", move || sampled_of(&view, options)).await
}

/// Exact path metrics of a cluster's members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExactPaths {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// `exact`.
    pub method: &'static str,
    /// Whether paths are weighted (length 1 / weight).
    pub weighted_paths: bool,
    /// Each member's values.
    pub nodes: Vec<ExactNode>,
}

/// One member's exact path metrics.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExactNode {
    /// Organization id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Normalised betweenness.
    pub betweenness: f64,
    /// Closeness (Wasserman–Faust for disconnected graphs).
    pub closeness: f64,
}

/// The exact path metrics of a view, in two steps that a job runner can
/// run one after the other, reporting progress in between:
/// [`ExactRun::betweenness`], [`ExactRun::closeness`], then
/// [`ExactRun::answer`].
#[derive(Debug, Clone)]
pub struct ExactRun {
    view: Arc<ClusterNetwork>,
}

impl ExactRun {
    /// The progress message of the first step.
    pub const BETWEENNESS_STEP: &'static str = "betweenness (step 1 of 2)";
    /// The progress message of the second step.
    pub const CLOSENESS_STEP: &'static str = "closeness (step 2 of 2)";

    /// The run of a view.
    pub fn of(view: ClusterNetwork) -> ExactRun {
        ExactRun {
            view: Arc::new(view),
        }
    }

    fn graph(&self) -> Result<(Graph, bool)> {
        graph_of(&self.view)
            .map_err(|e| ServiceError::invalid(format!("the cluster's network: {e}")))
    }

    /// Step 1: the exact betweenness (costly: off the async threads).
    pub fn betweenness(&self) -> Result<Vec<f64>> {
        let (g, weighted) = self.graph()?;
        Ok(betweenness(
            &g,
            &BetweennessOptions {
                weighted_paths: weighted,
                ..BetweennessOptions::default()
            },
        ))
    }

    /// Step 2: the closeness (costly: off the async threads).
    pub fn closeness(&self) -> Result<Vec<f64>> {
        let (g, weighted) = self.graph()?;
        Ok(closeness(
            &g,
            &ClosenessOptions {
                weighted_paths: weighted,
                ..ClosenessOptions::default()
            },
        ))
    }

    /// The answer from the two steps' values.
    pub fn answer(&self, betweenness: &[f64], closeness: &[f64]) -> ExactPaths {
        let view = &self.view;
        ExactPaths {
            cluster: view.cluster.clone(),
            period: view.period.map(|p| p.to_string()),
            method: "exact",
            weighted_paths: view.ties.iter().any(|t| t.weight.is_some()),
            nodes: view
                .organizations
                .iter()
                .enumerate()
                .map(|(i, o)| ExactNode {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    betweenness: betweenness[i],
                    closeness: closeness[i],
                })
                .collect(),
        }
    }

    /// Both steps and the answer at once (for a caller that reports no
    /// progress).
    pub fn run(&self) -> Result<ExactPaths> {
        Ok(self.answer(&self.betweenness()?, &self.closeness()?))
    }
}

/// The name of a view's scope as a job records it.
pub fn scope_name(scope: NetworkScope) -> &'static str {
    match scope {
        NetworkScope::All => "all",
        NetworkScope::Shared => "shared",
    }
}

/// The job of the exact path metrics of `cluster` in `period` as `who` may
/// read it: one already done or alive at the register's version, or a new
/// queued one, then with the run its runner must carry out (and finish
/// with [`Store::job_finish`]).
pub async fn exact_job(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<(Job, Option<ExactRun>)> {
    let scope = network_access(store, who, cluster, period).await?;
    let version = store.register_version().await?;
    let key = JobKey {
        kind: "paths",
        cluster,
        period: period.unwrap_or_default(),
        scope: scope_name(scope),
        version,
    };
    let (job, new) = store.job_for(key, who.user_id).await?;
    if !new {
        return Ok((job, None));
    }
    let view = store.cluster_network_in(cluster, period, scope).await?;
    Ok((job, Some(ExactRun::of(view))))
}

/// Job `id` as `who` may read it: admins read every job; everyone else
/// the jobs whose view of the cluster is theirs (any other is not told
/// apart from a missing job).
pub async fn job(store: &Store, who: &Principal, id: i64) -> Result<Job> {
    let job = store.job(id).await?;
    if !who.is_admin() {
        let hidden = || ServiceError::NotFound(format!("there is no job {id}"));
        let period = (!job.period.is_empty()).then_some(job.period.as_str());
        let scope = network_access(store, who, &job.cluster, period)
            .await
            .map_err(|_| hidden())?;
        if scope_name(scope) != job.scope {
            return Err(hidden());
        }
    }
    Ok(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampled_options_default_and_bounds() {
        let o = SampledParams::default().options().unwrap();
        assert_eq!((o.epsilon, o.delta, o.seed), (0.05, 0.1, 0));
        let e = SampledParams {
            epsilon: Some(0.01),
            ..SampledParams::default()
        }
        .options()
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("epsilon must be between 0.02 and 0.5"),
            "{e}"
        );
        let e = SampledParams {
            delta: Some(0.9),
            ..SampledParams::default()
        }
        .options()
        .unwrap_err();
        assert!(e.to_string().contains("not 0.9"), "{e}");
    }
}
