//! A cluster's network as the caller may read it: who may have it analysed,
//! which rows it is built from, its graph, and the recommended ties.

use std::collections::HashSet;

use serde::Serialize;
use weaver_network::{EdgeRecord, Graph, GraphOptions, LinkScore, NetworkError};
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
/// and the ties among them as edges (weight 1 when a tie has none), whether
/// any tie has a weight and which ties are directed. Ties of several kinds
/// between one pair are merged by the graph with their weights summed.
///
/// The rule for directed ties (issue #15): an analysis with a directed form
/// (brokerage roles, in- and out-degree, PageRank) reads the graph of
/// [`GraphInput::arc_graph`] — each directed tie an arc source → target,
/// each undirected tie an arc each way — when any tie is directed; every
/// other analysis reads [`GraphInput::graph`], every tie undirected, and
/// says so ([`GraphInput::undirected_warning`]).
#[derive(Debug, Clone, Default)]
pub struct GraphInput {
    /// Node ids.
    pub nodes: Vec<String>,
    /// Edges among them.
    pub edges: Vec<EdgeRecord>,
    /// Whether any tie has a weight.
    pub weighted: bool,
    /// Whether each edge is a directed tie, aligned with `edges` (a missing
    /// entry is an undirected tie).
    pub directed: Vec<bool>,
}

impl GraphInput {
    /// The input of a cluster's view.
    pub fn of(view: &ClusterNetwork) -> GraphInput {
        let nodes: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
        let weighted = view.ties.iter().any(|t| t.weight.is_some());
        let member: HashSet<&str> = nodes.iter().map(String::as_str).collect();
        let ties: Vec<_> = view
            .ties
            .iter()
            .filter(|t| member.contains(t.source.as_str()) && member.contains(t.target.as_str()))
            .collect();
        GraphInput {
            nodes,
            edges: ties
                .iter()
                .map(|t| {
                    EdgeRecord::new(t.source.clone(), t.target.clone(), t.weight.unwrap_or(1.0))
                })
                .collect(),
            weighted,
            directed: ties.iter().map(|t| t.directed).collect(),
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

    /// How many edges are directed ties.
    pub fn directed_ties(&self) -> usize {
        self.directed.iter().filter(|d| **d).count()
    }

    /// The directed graph of the analyses with a directed form, when any
    /// tie is directed: each directed tie an arc source → target, each
    /// undirected tie an arc each way (self-loops dropped; arcs of one
    /// ordered pair merged, weights summed). `None` when no tie is
    /// directed: the undirected graph is the only form then.
    pub fn arc_graph(&self) -> Result<Option<Graph>, NetworkError> {
        if self.directed_ties() == 0 {
            return Ok(None);
        }
        let mut arcs = Vec::with_capacity(2 * self.edges.len());
        for (k, e) in self.edges.iter().enumerate() {
            arcs.push(e.clone());
            if !self.directed.get(k).copied().unwrap_or(false) {
                arcs.push(EdgeRecord::new(
                    e.target.clone(),
                    e.source.clone(),
                    e.weight,
                ));
            }
        }
        let (g, _) = Graph::from_edges(
            &self.nodes,
            &arcs,
            GraphOptions {
                directed: true,
                weighted: self.weighted,
            },
        )?;
        Ok(Some(g))
    }

    /// The warning of an analysis without a directed form (`what` read
    /// them) when some ties are directed: how many, and that they were
    /// read undirected; `None` when no tie is directed.
    pub fn undirected_warning(&self, what: &str) -> Option<String> {
        let n = self.directed_ties();
        (n > 0).then(|| {
            format!(
                "{n} of the {} ties are directed; {what} read them as undirected ties \
                 (no directed form)",
                self.edges.len()
            )
        })
    }

    /// The input with `extra` ties of weight 1 added (undirected).
    pub fn with_ties(&self, extra: &[(String, String)]) -> GraphInput {
        let mut out = self.clone();
        out.directed.resize(out.edges.len(), false);
        out.edges.extend(
            extra
                .iter()
                .map(|(s, t)| EdgeRecord::new(s.clone(), t.clone(), 1.0)),
        );
        out.directed.resize(out.edges.len(), false);
        out
    }
}

/// The cluster's members as nodes and the ties among them as undirected
/// edges (weighted when any tie has a weight); whether it is weighted.
pub fn graph_of(view: &ClusterNetwork) -> Result<(Graph, bool), NetworkError> {
    let input = GraphInput::of(view);
    Ok((input.graph()?, input.weighted))
}

/// The node metrics a graph file of a cluster's network may carry, in the
/// order a file holds them (that of `weaver network metrics`, without the
/// path metrics betweenness and closeness, which are `/clusters/{id}/paths`).
pub const FILE_METRICS: [&str; 9] = [
    "degree",
    "strength",
    "eigenvector",
    "pagerank",
    "clustering",
    "core_number",
    "component",
    "constraint",
    "effective_size",
];

/// The metrics a graph file carries when none are named (as `weaver
/// network export`).
pub const DEFAULT_FILE_METRICS: [&str; 5] =
    ["degree", "strength", "pagerank", "core_number", "component"];

/// A cluster's network as a GEXF or GraphML file holds it: the members
/// with their attributes and metrics, and every tie once.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphFile {
    /// Whether the edges are arcs.
    pub directed: bool,
    /// Whether any tie has a weight.
    pub weighted: bool,
    /// Node ids, in the graph's order.
    pub node_ids: Vec<String>,
    /// Text attributes: `name`, `actor_type`, `region`, `industry`, `size`.
    pub attributes: Vec<(String, Vec<Option<String>>)>,
    /// Numeric attributes: the metrics, in [`FILE_METRICS`] order (`NaN`
    /// where undefined).
    pub numbers: Vec<(String, Vec<f64>)>,
    /// Edges `(source, target, weight)`, as [`file_edges`] lists them.
    pub edges: Vec<(String, String, f64)>,
}

/// The attributes of a cluster's members as the nodes table of `weaver
/// network … --cluster` has them: `name`, `actor_type`, `region`,
/// `industry`, `size`, in the view's order.
pub fn member_attributes(view: &ClusterNetwork) -> Vec<(String, Vec<Option<String>>)> {
    let column = |f: &dyn Fn(&weaver_store::OrgNode) -> Option<String>| -> Vec<Option<String>> {
        view.organizations.iter().map(f).collect()
    };
    vec![
        ("name".to_owned(), column(&|o| Some(o.name.clone()))),
        (
            "actor_type".to_owned(),
            column(&|o| Some(o.actor_type.to_string())),
        ),
        ("region".to_owned(), column(&|o| o.region.clone())),
        ("industry".to_owned(), column(&|o| o.industry.clone())),
        (
            "size".to_owned(),
            column(&|o| o.size.map(|s| s.to_string())),
        ),
    ]
}

/// Every edge of `g` once (every arc of a directed graph), in node order:
/// `(source, target, weight)`.
pub fn file_edges(g: &Graph) -> Vec<(String, String, f64)> {
    let ids = g.ids();
    let mut edges = Vec::with_capacity(g.edge_count());
    for v in 0..g.node_count() {
        for (&u, &w) in g.out_neighbors(v).iter().zip(g.out_weights(v)) {
            if g.is_directed() || v < u {
                edges.push((ids[v].clone(), ids[u].clone(), w));
            }
        }
    }
    edges
}

/// One metric of [`FILE_METRICS`] of each node of `g` (`NaN` for every
/// node when it cannot be computed, e.g. eigenvector centrality that does
/// not converge); PageRank on `arcs` when given (the directed form of
/// [`GraphInput::arc_graph`]).
pub fn file_metric(g: &Graph, arcs: Option<&Graph>, name: &str) -> Result<Vec<f64>> {
    use crate::structure::ExtraMetric;
    let n = g.node_count();
    let or_nan = |r: Result<Vec<f64>, NetworkError>| r.unwrap_or_else(|_| vec![f64::NAN; n]);
    Ok(match name {
        "degree" => weaver_network::degree(g)
            .into_iter()
            .map(|d| d as f64)
            .collect(),
        "strength" => weaver_network::strength(g),
        "eigenvector" => or_nan(ExtraMetric::Eigenvector.values(g, false)),
        "pagerank" => or_nan(weaver_network::pagerank(
            arcs.unwrap_or(g),
            &Default::default(),
        )),
        "clustering" => weaver_network::clustering(g),
        "core_number" => weaver_network::core_number(g)
            .into_iter()
            .map(|d| d as f64)
            .collect(),
        "component" => weaver_network::components(g)
            .membership
            .into_iter()
            .map(|c| c as f64)
            .collect(),
        "constraint" => or_nan(ExtraMetric::Constraint.values(g, false)),
        "effective_size" => or_nan(ExtraMetric::EffectiveSize.values(g, false)),
        other => {
            return Err(ServiceError::invalid(format!(
                "metrics: '{other}' is not one of {}",
                FILE_METRICS.join(", ")
            )));
        }
    })
}

/// The metrics of a comma-separated list, each once, in [`FILE_METRICS`]
/// order; an unknown one is [`ServiceError::Invalid`] naming `metrics`
/// and the choices.
pub fn file_metrics(list: &str) -> Result<Vec<&'static str>> {
    let mut wanted = Vec::new();
    for name in list.split(',').map(str::trim).filter(|x| !x.is_empty()) {
        let Some(m) = FILE_METRICS.iter().find(|m| **m == name) else {
            return Err(ServiceError::invalid(format!(
                "metrics: '{name}' is not one of {}",
                FILE_METRICS.join(", ")
            )));
        };
        wanted.push(*m);
    }
    Ok(FILE_METRICS
        .iter()
        .copied()
        .filter(|m| wanted.contains(m))
        .collect())
}

/// A cluster's network view as a graph file holds it, with the `metrics`
/// (names of [`FILE_METRICS`]) of each member: what `weaver network export
/// --cluster` writes and `/clusters/{id}/network/export` serves. The ties
/// are written undirected; PageRank follows the directed ties as arcs
/// (the rule of [`GraphInput`]).
pub fn graph_file_of(view: &ClusterNetwork, metrics: &[&str]) -> Result<GraphFile> {
    let input = GraphInput::of(view);
    let g = input
        .graph()
        .map_err(|e| ServiceError::invalid(format!("the cluster's network: {e}")))?;
    let arcs = input
        .arc_graph()
        .map_err(|e| ServiceError::invalid(format!("the cluster's network: {e}")))?;
    let numbers = metrics
        .iter()
        .map(|m| Ok(((*m).to_owned(), file_metric(&g, arcs.as_ref(), m)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(GraphFile {
        directed: g.is_directed(),
        weighted: g.is_weighted(),
        node_ids: g.ids().to_vec(),
        attributes: member_attributes(view),
        numbers,
        edges: file_edges(&g),
    })
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
    ranked(
        g,
        actor_type,
        field,
        &weaver_network::RecommendOptions::default(),
    )
}

/// Most suggestions per member a request may ask for (`top`).
pub const MAX_TOP: usize = 50;

/// The structural scores of the recommender by name.
pub const LINK_SCORES: [(&str, LinkScore); 5] = [
    ("common_neighbors", LinkScore::CommonNeighbors),
    ("jaccard", LinkScore::Jaccard),
    ("adamic_adar", LinkScore::AdamicAdar),
    ("resource_allocation", LinkScore::ResourceAllocation),
    ("preferential_attachment", LinkScore::PreferentialAttachment),
];

/// What the recommender is asked: its structural score, how many
/// suggestions per member, for whom, and the seed of the communities it
/// bridges (`weaver network recommend --score --top --for --seed`; the
/// `/clusters/{id}/recommendations` query's `score`, `top`, `for`, `seed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendParams {
    /// The structural score (default Adamic–Adar).
    pub score: LinkScore,
    /// Suggestions per member (default 5), 1 to [`MAX_TOP`].
    pub top: usize,
    /// Only the suggestions for this member, when given.
    pub for_node: Option<String>,
    /// Seed of the community detection used for bridging (default 0).
    pub seed: u64,
}

impl Default for RecommendParams {
    fn default() -> Self {
        RecommendParams {
            score: LinkScore::AdamicAdar,
            top: 5,
            for_node: None,
            seed: 0,
        }
    }
}

impl RecommendParams {
    /// The score's name.
    pub fn score_name(&self) -> &'static str {
        LINK_SCORES
            .iter()
            .find(|(_, s)| *s == self.score)
            .map_or("", |(n, _)| *n)
    }

    /// The engine's options on `g`: `top` checked (1 to `max_top`, `None`
    /// for no limit), the member `for_node` found among `g`'s nodes.
    pub fn options(
        &self,
        g: &Graph,
        max_top: Option<usize>,
    ) -> Result<weaver_network::RecommendOptions> {
        match max_top {
            Some(max) if !(1..=max).contains(&self.top) => {
                return Err(ServiceError::invalid(format!(
                    "top must be between 1 and {max} suggestions per member, not {}",
                    self.top
                )));
            }
            None if self.top == 0 => {
                return Err(ServiceError::invalid(
                    "top must be at least 1 suggestion per member, not 0",
                ));
            }
            _ => {}
        }
        let only = match &self.for_node {
            Some(id) => Some(g.find(id).ok_or_else(|| {
                ServiceError::invalid(format!(
                    "for: '{id}' is not a member of the network analysed"
                ))
            })?),
            None => None,
        };
        Ok(weaver_network::RecommendOptions {
            score: self.score,
            per_node: self.top,
            only,
            communities: weaver_network::CommunityOptions {
                seed: self.seed,
                ..Default::default()
            },
            ..Default::default()
        })
    }

    /// A part of a cache key naming these options, empty for the default.
    pub fn key(&self) -> String {
        if *self == RecommendParams::default() {
            return String::new();
        }
        let who = self
            .for_node
            .as_deref()
            .map_or_else(|| "-".to_owned(), |v| format!("{}.{v}", v.len()));
        format!(":{}:{}:{}:{who}", self.score_name(), self.top, self.seed)
    }
}

/// The recommender's suggestions with `params` (as [`recommendations`]
/// gives them: best first, at most [`MAX_SUGGESTIONS`]); `top` at most
/// `max_top` when given.
pub fn recommendations_with(
    g: &Graph,
    actor_type: Option<&[Option<String>]>,
    field: Option<&[Option<String>]>,
    params: &RecommendParams,
    max_top: Option<usize>,
) -> Result<Vec<SuggestedTie>> {
    let options = params.options(g, max_top)?;
    ranked(g, actor_type, field, &options)
        .map_err(|e| ServiceError::invalid(format!("the recommendations: {e}")))
}

fn ranked(
    g: &Graph,
    actor_type: Option<&[Option<String>]>,
    field: Option<&[Option<String>]>,
    options: &weaver_network::RecommendOptions,
) -> Result<Vec<SuggestedTie>, NetworkError> {
    let mut s = weaver_network::recommend(
        g,
        weaver_network::RecommendAttributes { actor_type, field },
        options,
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
