//! A cluster's network as the caller may read it: who may have it analysed,
//! which rows it is built from, its graph, and the recommended ties.

use std::collections::HashSet;

use serde::Serialize;
use weaver_network::{EdgeRecord, Graph, GraphOptions, NetworkError};
use weaver_store::{ClusterNetwork, NetworkScope, Principal, Store};

use crate::error::{Result, ServiceError};

/// Most suggestions of the recommendations of a cluster (and so most ties a
/// what-if may add).
pub const MAX_SUGGESTIONS: usize = 100;

/// Checks that `who` may have the network of `cluster` analysed in
/// `period` (a valid period, a cluster they read) and says which rows it is
/// built from: managers and admins read the cluster's private rows; everyone
/// else who reads the cluster gets the analysis of what they may see.
pub async fn network_access(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<NetworkScope> {
    if let Some(p) = period {
        p.parse::<weaver_core::period::Period>()?;
    }
    let t = weaver_core::schema::table("clusters")
        .ok_or_else(|| ServiceError::NotFound("clusters".into()))?;
    store
        .get(t, Some(who), &weaver_store::RowKey::Id(cluster.to_owned()))
        .await?;
    if !who.is_admin() && !who.readable.iter().any(|c| c == cluster) {
        return Err(ServiceError::Forbidden(
            "a cluster's network is analysed for its managers, the officers of programmes \
             funding it, its members and admins"
                .into(),
        ));
    }
    Ok(
        if who.is_admin() || who.managed.iter().any(|c| c == cluster) {
            NetworkScope::All
        } else {
            NetworkScope::Shared
        },
    )
}

/// The cluster's network `who` may read in `period`, after
/// [`network_access`].
pub async fn cluster_network(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<ClusterNetwork> {
    let scope = network_access(store, who, cluster, period).await?;
    Ok(store.cluster_network_in(cluster, period, scope).await?)
}

/// A view's graph input: the members as nodes (in the view's order, by id)
/// and the ties among them as edges (weight 1 when a tie has none), and
/// whether any tie has a weight. Ties of several kinds between one pair
/// are merged by the graph with their weights summed.
#[derive(Debug, Clone, Default)]
pub struct GraphInput {
    /// Node ids.
    pub nodes: Vec<String>,
    /// Edges among them.
    pub edges: Vec<EdgeRecord>,
    /// Whether any tie has a weight.
    pub weighted: bool,
}

impl GraphInput {
    /// The input of a cluster's view.
    pub fn of(view: &ClusterNetwork) -> GraphInput {
        let nodes: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
        let weighted = view.ties.iter().any(|t| t.weight.is_some());
        let member: HashSet<&str> = nodes.iter().map(String::as_str).collect();
        let edges = view
            .ties
            .iter()
            .filter(|t| member.contains(t.source.as_str()) && member.contains(t.target.as_str()))
            .map(|t| EdgeRecord::new(t.source.clone(), t.target.clone(), t.weight.unwrap_or(1.0)))
            .collect();
        GraphInput {
            nodes,
            edges,
            weighted,
        }
    }

    /// The undirected graph (self-loops dropped).
    pub fn graph(&self) -> Result<Graph, NetworkError> {
        let (g, _) = Graph::from_edges(
            &self.nodes,
            &self.edges,
            GraphOptions {
                directed: false,
                weighted: self.weighted,
            },
        )?;
        Ok(g)
    }

    /// The input with `extra` ties of weight 1 added.
    pub fn with_ties(&self, extra: &[(String, String)]) -> GraphInput {
        let mut out = self.clone();
        out.edges.extend(
            extra
                .iter()
                .map(|(s, t)| EdgeRecord::new(s.clone(), t.clone(), 1.0)),
        );
        out
    }
}

/// The cluster's members as nodes and the ties among them as undirected
/// edges (weighted when any tie has a weight); whether it is weighted.
pub fn graph_of(view: &ClusterNetwork) -> Result<(Graph, bool), NetworkError> {
    let input = GraphInput::of(view);
    Ok((input.graph()?, input.weighted))
}

/// One suggested tie.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestedTie {
    /// First node's id.
    pub source: String,
    /// Second node's id.
    pub target: String,
    /// The recommender's suggestion.
    #[serde(skip)]
    pub suggestion: weaver_network::Suggestion,
}

/// "Who should meet whom": the recommender's suggestions (default options:
/// Adamic–Adar, 5 per node) with the complementarity of actor type and field
/// given by `actor_type` and `field` (aligned with the graph's nodes; `None`
/// when unknown), best first (score, then source and target index), at most
/// [`MAX_SUGGESTIONS`].
pub fn recommendations(
    g: &Graph,
    actor_type: Option<&[Option<String>]>,
    field: Option<&[Option<String>]>,
) -> Result<Vec<SuggestedTie>, NetworkError> {
    let mut s = weaver_network::recommend(
        g,
        weaver_network::RecommendAttributes { actor_type, field },
        &weaver_network::RecommendOptions::default(),
    )?;
    s.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
    });
    s.truncate(MAX_SUGGESTIONS);
    Ok(s.into_iter()
        .map(|x| SuggestedTie {
            source: g.ids()[x.source].clone(),
            target: g.ids()[x.target].clone(),
            suggestion: x,
        })
        .collect())
}

/// The actor types and fields (industries) of a view's members, in the
/// view's order, as [`recommendations`] takes them.
pub fn attributes_of(view: &ClusterNetwork) -> (Vec<Option<String>>, Vec<Option<String>>) {
    (
        view.organizations
            .iter()
            .map(|o| Some(o.actor_type.to_string()))
            .collect(),
        view.organizations
            .iter()
            .map(|o| o.industry.clone())
            .collect(),
    )
}

/// The openness of a network by one attribute: Krackhardt–Stern E-I index
/// and the share of ties across groups.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Openness {
    /// The attribute grouped by.
    pub attribute: String,
    /// Ties between groups.
    pub external: usize,
    /// Ties within a group.
    pub internal: usize,
    /// (E − I) / (E + I); no value without ties.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub ei_index: f64,
    /// E / (E + I); no value without ties.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub cross_share: f64,
    /// Number of groups.
    pub groups: usize,
}

/// The openness of `g` by each attribute (values aligned with the graph's
/// nodes, `None` where unknown).
pub fn openness(
    g: &Graph,
    attributes: &[(String, Vec<Option<String>>)],
) -> Result<Vec<Openness>, NetworkError> {
    attributes
        .iter()
        .map(|(name, values)| {
            let mut values = values.clone();
            values.resize(g.node_count(), None);
            let r = weaver_network::ei_index(g, &weaver_network::encode_groups(&values))?;
            Ok(Openness {
                attribute: name.clone(),
                external: r.external,
                internal: r.internal,
                ei_index: r.index,
                cross_share: r.cross_share,
                groups: r.by_group.len(),
            })
        })
        .collect()
}

/// A metric of a node in two periods.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// In the first period (no value when the node was absent).
    pub before: f64,
    /// In the second period (no value when the node was absent).
    pub after: f64,
    /// after − before.
    pub delta: f64,
}

/// A node of either period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeChange {
    /// The node's id.
    pub id: String,
    /// `entrant`, `exit` or `stayed`.
    pub status: &'static str,
    /// Degree.
    pub degree: Change,
    /// Strength.
    pub strength: Change,
    /// PageRank.
    pub pagerank: Change,
    /// Betweenness (normalised), when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness: Option<Change>,
}

/// A tie of either period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TieChangeRow {
    /// One end.
    pub source: String,
    /// The other end.
    pub target: String,
    /// `new`, `dropped`, `strengthened`, `weakened` or `unchanged`.
    pub change: &'static str,
    /// Weight in the first period (no value when absent).
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub weight_before: f64,
    /// Weight in the second period (no value when absent).
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub weight_after: f64,
}

/// Counts of a comparison.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct ComparisonCounts {
    /// Nodes only in the second period.
    pub entrants: usize,
    /// Nodes only in the first period.
    pub exits: usize,
    /// Ties only in the second period.
    pub new: usize,
    /// Ties only in the first period.
    pub dropped: usize,
    /// Ties of greater weight.
    pub strengthened: usize,
    /// Ties of smaller weight.
    pub weakened: usize,
    /// Ties of the same weight.
    pub unchanged: usize,
}

/// Two periods of a network compared.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkComparison {
    /// The counts.
    pub counts: ComparisonCounts,
    /// Whether betweenness was computed (not above the node limit).
    pub betweenness: bool,
    /// Every node of either period: first-period order, then entrants.
    pub nodes: Vec<NodeChange>,
    /// Every tie of either period.
    pub ties: Vec<TieChangeRow>,
}

/// Compares two periods of a network
/// ([`weaver_network::compare_periods`]): who entered and left, each
/// node's degree, strength, PageRank and (with at most `betweenness_limit`
/// nodes in each period) betweenness before and after, and each tie's
/// change.
pub fn compare(
    before: &Graph,
    after: &Graph,
    betweenness_limit: usize,
) -> Result<NetworkComparison, NetworkError> {
    use weaver_network::{NodeStatus, TieChange};
    let c = weaver_network::compare_periods(before, after);
    let with_betweenness = before.node_count().max(after.node_count()) <= betweenness_limit;
    let metrics = |g: &Graph| -> Result<Vec<Vec<f64>>, NetworkError> {
        let mut cols = vec![
            weaver_network::degree(g)
                .iter()
                .map(|&d| d as f64)
                .collect(),
            weaver_network::strength(g),
            weaver_network::pagerank(g, &Default::default())?,
        ];
        if with_betweenness {
            cols.push(weaver_network::betweenness(g, &Default::default()));
        }
        Ok(cols)
    };
    let (mb, ma) = (metrics(before)?, metrics(after)?);
    let nodes = c
        .nodes
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let change = |m: usize| {
                let b = c.before_index[k].map_or(f64::NAN, |i| mb[m][i]);
                let a = c.after_index[k].map_or(f64::NAN, |i| ma[m][i]);
                Change {
                    before: b,
                    after: a,
                    delta: a - b,
                }
            };
            NodeChange {
                id: id.clone(),
                status: c.status[k].name(),
                degree: change(0),
                strength: change(1),
                pagerank: change(2),
                betweenness: with_betweenness.then(|| change(3)),
            }
        })
        .collect();
    let counts = ComparisonCounts {
        entrants: c
            .status
            .iter()
            .filter(|s| **s == NodeStatus::Entrant)
            .count(),
        exits: c.status.iter().filter(|s| **s == NodeStatus::Exit).count(),
        new: c.count(TieChange::New),
        dropped: c.count(TieChange::Dropped),
        strengthened: c.count(TieChange::Strengthened),
        weakened: c.count(TieChange::Weakened),
        unchanged: c.count(TieChange::Unchanged),
    };
    Ok(NetworkComparison {
        counts,
        betweenness: with_betweenness,
        nodes,
        ties: c
            .ties
            .iter()
            .map(|t| TieChangeRow {
                source: t.source.clone(),
                target: t.target.clone(),
                change: t.change.name(),
                weight_before: t.before,
                weight_after: t.after,
            })
            .collect(),
    })
}
