//! Knowledge spillover in a network as an independent cascade (Kempe,
//! Kleinberg & Tardos 2003; [`weaver_network::cascade_spread`]): each
//! node's expected spread as a seed, ranked, and the what-if of the best
//! recommended ties ([`crate::network::recommendations`]) added; and
//! knowledge barter on a network (Cowan & Jonard 2004;
//! [`weaver_network::cowan_jonard`]): its steady state ([`barter`]).

use serde::Serialize;
use weaver_network::{CascadeOptions, CowanJonardOptions, Graph, cascade_spread, cowan_jonard};
use weaver_store::ClusterNetwork;

use crate::error::{Result, ServiceError};
use crate::network::{GraphInput, recommendations};

/// The nodes' attributes a diffusion reports and recommends with, aligned
/// with [`GraphInput::nodes`] (`None` where unknown; shorter vectors are
/// padded with `None`).
#[derive(Debug, Clone, Default)]
pub struct NodeAttributes {
    /// Names.
    pub name: Option<Vec<Option<String>>>,
    /// Actor types (complementarity of the recommendations).
    pub actor_type: Option<Vec<Option<String>>>,
    /// Fields, i.e. industries (complementarity of the recommendations).
    pub field: Option<Vec<Option<String>>>,
}

impl NodeAttributes {
    /// The attributes of a cluster's members.
    pub fn of(view: &ClusterNetwork) -> NodeAttributes {
        let (actor_type, field) = crate::network::attributes_of(view);
        NodeAttributes {
            name: Some(
                view.organizations
                    .iter()
                    .map(|o| Some(o.name.clone()))
                    .collect(),
            ),
            actor_type: Some(actor_type),
            field: Some(field),
        }
    }
}

/// What a diffusion computes.
#[derive(Debug, Clone, Copy)]
pub struct DiffusionParams {
    /// The cascade's options (probability, weighted, runs, seed).
    pub cascade: CascadeOptions,
    /// How many of the best recommended ties to add for the what-if (0:
    /// none; at most [`crate::network::MAX_SUGGESTIONS`] are ever added).
    pub what_if: usize,
    /// Most work, runs × (nodes + ties), the caller allows (`None`: no
    /// limit).
    pub max_work: Option<usize>,
}

/// One node's spread.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeSpread {
    /// The node's id.
    pub id: String,
    /// Its name, when known.
    pub name: Option<String>,
    /// Its actor type, when known.
    pub actor_type: Option<String>,
    /// Expected number of nodes reached from it as the seed.
    pub expected_spread: f64,
    /// Rank by expected spread (1 = largest; ties share the smallest).
    pub rank: usize,
    /// Expected spread after the what-if's ties were added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_spread_after: Option<f64>,
    /// The node's index in the graph.
    #[serde(skip)]
    pub index: usize,
}

/// A tie added by the what-if.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddedTie {
    /// First node.
    pub source: String,
    /// Second node.
    pub target: String,
    /// The recommender's score.
    pub score: f64,
}

/// The what-if's part of the answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WhatIf {
    /// The ties added, best first.
    pub ties_added: Vec<AddedTie>,
    /// Mean expected spread after.
    pub mean_expected_spread_after: f64,
    /// What was added.
    pub note: &'static str,
}

/// The diffusion's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Diffusion {
    /// The model.
    pub model: &'static str,
    /// Transmission probability of a tie.
    pub probability: f64,
    /// Whether a tie of weight w transmits with 1 − (1 − p)^w.
    pub weighted: bool,
    /// Monte Carlo runs.
    pub runs: usize,
    /// Their seed.
    pub seed: u64,
    /// Mean expected spread over the nodes.
    pub mean_expected_spread: f64,
    /// The nodes by rank (then graph order).
    pub nodes: Vec<NodeSpread>,
    /// The what-if, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<WhatIf>,
}

/// The diffusion of one cluster's network in a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterDiffusion {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    #[schema(value_type = Option<String>)]
    pub period: Option<weaver_core::period::Period>,
    /// The answer.
    #[serde(flatten)]
    pub diffusion: Diffusion,
    /// Directed ties read undirected (the cascade here has no directed
    /// form); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Ranks 1, 2, 2, 4 by decreasing value (ties share the smallest rank).
pub fn ranks_desc(values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .map(|&v| 1 + values.iter().filter(|&&x| x > v).count())
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The spread of every node of `input` as a seed and, with
/// `params.what_if` K, the spread after the K best recommended ties (with
/// the complementarity of `attributes`' actor types and fields) became ties
/// of weight 1.
pub fn diffusion(
    input: &GraphInput,
    attributes: &NodeAttributes,
    params: &DiffusionParams,
) -> Result<Diffusion> {
    let options = params.cascade;
    let g = input
        .graph()
        .map_err(|e| ServiceError::invalid(e.to_string()))?;
    let work = options.runs.saturating_mul(g.node_count() + g.edge_count());
    if let Some(budget) = params.max_work
        && work > budget
    {
        return Err(ServiceError::Invalid(format!(
            "{} runs on {} organizations and {} ties is more than one request may compute \
             (runs × (organizations + ties) ≤ {budget}); ask for at most {} runs, \
             or use `weaver network diffuse --model cascade`",
            options.runs,
            g.node_count(),
            g.edge_count(),
            budget / (g.node_count() + g.edge_count()).max(1)
        )));
    }
    let align = |v: &Option<Vec<Option<String>>>| -> Option<Vec<Option<String>>> {
        v.as_ref().map(|v| {
            let mut v = v.clone();
            v.resize(g.node_count(), None);
            v
        })
    };
    let (names, actor, field) = (
        align(&attributes.name),
        align(&attributes.actor_type),
        align(&attributes.field),
    );
    let engine = |e: weaver_network::NetworkError| ServiceError::invalid(e.to_string());
    let before = cascade_spread(&g, &options).map_err(engine)?;
    let ranks = ranks_desc(&before);
    let mut after = None;
    let mut added = Vec::new();
    if params.what_if > 0 {
        let rec = recommendations(&g, actor.as_deref(), field.as_deref()).map_err(engine)?;
        let pairs: Vec<(String, String)> = rec
            .iter()
            .take(params.what_if)
            .map(|s| {
                added.push(AddedTie {
                    source: s.source.clone(),
                    target: s.target.clone(),
                    score: s.suggestion.score,
                });
                (s.source.clone(), s.target.clone())
            })
            .collect();
        let g2 = input.with_ties(&pairs).graph().map_err(engine)?;
        after = Some(cascade_spread(&g2, &options).map_err(engine)?);
    }
    let mut order: Vec<usize> = (0..g.node_count()).collect();
    order.sort_by_key(|&i| (ranks[i], i));
    let at = |v: &Option<Vec<Option<String>>>, i: usize| v.as_ref().and_then(|v| v[i].clone());
    let nodes = order
        .iter()
        .map(|&i| NodeSpread {
            id: g.ids()[i].clone(),
            name: at(&names, i),
            actor_type: at(&actor, i),
            expected_spread: before[i],
            rank: ranks[i],
            expected_spread_after: after.as_ref().map(|a| a[i]),
            index: i,
        })
        .collect();
    Ok(Diffusion {
        model: "independent cascade (Kempe, Kleinberg & Tardos 2003)",
        probability: options.probability,
        weighted: options.weighted,
        runs: options.runs,
        seed: options.seed,
        mean_expected_spread: mean(&before),
        nodes,
        what_if: after.map(|a| WhatIf {
            ties_added: added,
            mean_expected_spread_after: mean(&a),
            note: "the best suggestions of /recommendations added as ties of weight 1",
        }),
    })
}

/// The diffusion of a cluster's network view (its members' names, actor
/// types and industries as attributes).
pub fn of_view(view: &ClusterNetwork, params: &DiffusionParams) -> Result<ClusterDiffusion> {
    let input = GraphInput::of(view);
    Ok(ClusterDiffusion {
        cluster: view.cluster.clone(),
        period: view.period,
        diffusion: diffusion(&input, &NodeAttributes::of(view), params)?,
        warnings: input
            .undirected_warning("the cascade")
            .into_iter()
            .collect(),
    })
}

/// The diffusion models of a cluster's network by name
/// (`weaver network diffuse --model`; the `/clusters/{id}/diffusion`
/// query's `model`).
pub const MODELS: [(&str, DiffusionModel); 2] = [
    ("cascade", DiffusionModel::Cascade),
    ("cowan-jonard", DiffusionModel::CowanJonard),
];

/// A diffusion model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffusionModel {
    /// Independent-cascade spillover from each member ([`diffusion`]).
    Cascade,
    /// Knowledge barter (Cowan & Jonard 2004; [`barter`]).
    CowanJonard,
}

/// Most knowledge categories of a barter a request may ask for.
pub const MAX_CATEGORIES: usize = 100;

/// The barter model's settings (`weaver network diffuse --categories
/// --alpha --threshold --seed`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarterParams {
    /// Knowledge categories K (default 5).
    pub categories: usize,
    /// Absorptive capacity α in (0, 1] (default 0.5).
    pub alpha: f64,
    /// Lead threshold: smaller gaps do not count as a lead (default 1e-3).
    pub threshold: f64,
    /// Seed of the initial levels and of the meetings (default 0).
    pub seed: u64,
}

impl Default for BarterParams {
    fn default() -> Self {
        let d = CowanJonardOptions::default();
        BarterParams {
            categories: d.categories,
            alpha: d.alpha,
            threshold: d.threshold,
            seed: d.seed,
        }
    }
}

/// The steady state of knowledge barter on a network.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Barter {
    /// `cowan-jonard`.
    pub model: &'static str,
    /// Agents (the network's nodes).
    pub agents: usize,
    /// Edges among them.
    pub edges: usize,
    /// Absorptive capacity α.
    pub alpha: f64,
    /// Knowledge categories K.
    pub categories: usize,
    /// Lead threshold.
    pub threshold: f64,
    /// Seed.
    pub seed: u64,
    /// Meetings taken.
    pub steps: u64,
    /// Trades made.
    pub trades: u64,
    /// Whether no neighbouring pair could trade any more (otherwise the
    /// figures are those of the last step allowed).
    pub steady: bool,
    /// Mean knowledge level over agents and categories at the end.
    #[schema(value_type = Option<f64>)]
    pub mean: f64,
    /// Population variance of the agents' mean levels.
    #[schema(value_type = Option<f64>)]
    pub variance: f64,
    /// Coefficient of variation √variance / mean.
    #[schema(value_type = Option<f64>)]
    pub cv: f64,
}

/// The barter of one cluster's network in a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterBarter {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    #[schema(value_type = Option<String>)]
    pub period: Option<weaver_core::period::Period>,
    /// The answer.
    #[serde(flatten)]
    pub barter: Barter,
    /// Directed ties read undirected (the barter has no directed form);
    /// absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The answer of `/clusters/{id}/diffusion`: the cascade's or the
/// barter's, by the model asked for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ClusterDiffusionAnswer {
    /// The independent cascade.
    Cascade(ClusterDiffusion),
    /// The barter.
    CowanJonard(ClusterBarter),
}

/// Knowledge barter (Cowan & Jonard 2004; [`weaver_network::cowan_jonard`])
/// on `g` until no neighbouring pair can trade: the mean knowledge, its
/// dispersion, the meetings and trades. `max_categories` limits K when
/// given; a bad setting is [`ServiceError::Invalid`] naming it.
pub fn barter(g: &Graph, params: &BarterParams, max_categories: Option<usize>) -> Result<Barter> {
    if let Some(max) = max_categories
        && !(1..=max).contains(&params.categories)
    {
        return Err(ServiceError::invalid(format!(
            "categories must be between 1 and {max}, not {}",
            params.categories
        )));
    }
    let options = CowanJonardOptions {
        categories: params.categories,
        alpha: params.alpha,
        threshold: params.threshold,
        seed: params.seed,
        ..Default::default()
    };
    let r = cowan_jonard(g, &options).map_err(|e| ServiceError::invalid(e.to_string()))?;
    Ok(Barter {
        model: "cowan-jonard",
        agents: g.node_count(),
        edges: g.edge_count(),
        alpha: params.alpha,
        categories: params.categories,
        threshold: params.threshold,
        seed: params.seed,
        steps: r.steps,
        trades: r.trades,
        steady: r.steady,
        mean: r.mean,
        variance: r.variance,
        cv: r.cv,
    })
}

/// The barter on a cluster's network view ([`barter`]).
pub fn barter_of_view(
    view: &ClusterNetwork,
    params: &BarterParams,
    max_categories: Option<usize>,
) -> Result<ClusterBarter> {
    let input = GraphInput::of(view);
    let g = input
        .graph()
        .map_err(|e| ServiceError::invalid(e.to_string()))?;
    Ok(ClusterBarter {
        cluster: view.cluster.clone(),
        period: view.period,
        barter: barter(&g, params, max_categories)?,
        warnings: input.undirected_warning("the barter").into_iter().collect(),
    })
}
