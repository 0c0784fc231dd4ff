//! The structure of a cluster's network as the caller may read it: the
//! metrics that need no all-pairs shortest paths with Leiden communities,
//! the Gould–Fernandez brokerage roles, and the recommended ties with
//! their reasons.
//!
//! Each question has a function taking the caller ([`analysis`],
//! [`brokerage`], [`recommendations`]) and a pure one from the view the
//! caller may read (`…_of`), for a caller that caches by register version
//! (the server) and so reads the view only when it has no answer.

use serde::Serialize;
use utoipa::ToSchema;
use weaver_network::BrokerageRole;
use weaver_network::{
    CommunityAlgorithm, CommunityOptions, Graph, HolesOptions, NetworkError, PageRankOptions,
    Partition, Quality, attribute_assortativity, clustering, communities, components, core_number,
    degree, degree_assortativity, density, pagerank, strength, transitivity,
};
use weaver_store::{ClusterNetwork, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::network::{GraphInput, RecommendParams, graph_of};

/// The network analysis of a cluster in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkAnalysis {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// Whether any tie has a weight.
    pub weighted: bool,
    /// `directed` when some ties are directed: PageRank and each member's
    /// `in_degree` and `out_degree` then follow them as arcs (an undirected
    /// tie an arc each way); absent when every tie is undirected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<&'static str>,
    /// The graph's summary.
    pub summary: NetworkSummary,
    /// Leiden communities.
    pub communities: CommunitySummary,
    /// Each member's metrics, in the view's order (by id).
    pub nodes: Vec<NodeMetrics>,
    /// What was read otherwise than the register has it: directed ties
    /// read undirected by the analyses with no directed form (absent when
    /// none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A graph's summary; a value that does not exist (a density of one node)
/// is `null`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkSummary {
    /// Nodes.
    pub nodes: usize,
    /// Edges (a pair's ties merged).
    pub edges: usize,
    /// Density.
    pub density: f64,
    /// Number of connected components.
    pub components: usize,
    /// Nodes of the largest component.
    pub giant_size: usize,
    /// Mean local clustering coefficient.
    pub average_clustering: f64,
    /// Global clustering coefficient.
    pub transitivity: f64,
    /// Newman's degree assortativity.
    pub degree_assortativity: f64,
    /// Newman's attribute assortativity by actor type.
    pub actor_type_assortativity: f64,
}

/// The communities found and how.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommunitySummary {
    /// `leiden` (the default) or `louvain`.
    pub method: &'static str,
    /// `modularity` (the default) or `cpm`.
    pub quality: &'static str,
    /// The resolution γ (default 1).
    pub resolution: f64,
    /// The random seed (default 0).
    pub seed: u64,
    /// Newman–Girvan modularity (γ = 1) of the partition.
    pub modularity: f64,
    /// The value of the optimised quality (modularity at the resolution,
    /// or CPM's H), given only when it is not the modularity itself (a
    /// quality other than modularity or a resolution other than 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub optimised: Option<f64>,
    /// Community sizes, largest first.
    pub sizes: Vec<usize>,
}

/// One member's metrics.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeMetrics {
    /// Organization id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its actor type.
    pub actor_type: String,
    /// Its region, if known.
    pub region: Option<String>,
    /// Degree (partners, whatever the direction of the ties).
    pub degree: usize,
    /// Arcs in (partners with a tie to it), when some ties are directed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_degree: Option<usize>,
    /// Arcs out (partners it has a tie to), when some ties are directed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_degree: Option<usize>,
    /// Strength (sum of tie weights).
    pub strength: f64,
    /// PageRank (damping 0.85; on the arcs when some ties are directed).
    pub pagerank: f64,
    /// Local clustering coefficient.
    pub clustering: f64,
    /// k-core number.
    pub core_number: usize,
    /// Connected component (0 the largest).
    pub component: usize,
    /// Community (of the method asked for; Leiden by default).
    pub community: usize,
    /// Eigenvector centrality, when asked for (`metrics=eigenvector`;
    /// `null` when the power iteration does not converge).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub eigenvector: Option<f64>,
    /// Burt's constraint, when asked for (`metrics=constraint`; `null` for
    /// an isolated member).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub constraint: Option<f64>,
    /// Burt's effective size, when asked for (`metrics=effective_size`;
    /// `null` for an isolated member).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub effective_size: Option<f64>,
}

/// The value named `value` of the option `param` among `choices`, or
/// [`ServiceError::Invalid`] naming the option, the value and the choices.
pub fn choice<T: Copy>(param: &str, value: &str, choices: &[(&'static str, T)]) -> Result<T> {
    choices
        .iter()
        .find(|(name, _)| *name == value.trim())
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            ServiceError::invalid(format!(
                "{param}: '{value}' is not one of {}",
                names.join(", ")
            ))
        })
}

/// The community detection methods by name.
pub const COMMUNITY_METHODS: [(&str, CommunityAlgorithm); 2] = [
    ("leiden", CommunityAlgorithm::Leiden),
    ("louvain", CommunityAlgorithm::Louvain),
];

/// The qualities a community detection optimises, by name.
pub const QUALITIES: [(&str, Quality); 2] =
    [("modularity", Quality::Modularity), ("cpm", Quality::Cpm)];

/// Largest resolution γ a request may ask for (a larger one splits every
/// network into single members).
pub const MAX_RESOLUTION: f64 = 1_000.0;

fn name_in<T: PartialEq + Copy>(choices: &[(&'static str, T)], v: T) -> &'static str {
    choices
        .iter()
        .find(|(_, x)| *x == v)
        .map_or("", |(n, _)| *n)
}

/// How a cluster's communities are found: the method, the quality it
/// optimises, the resolution and the seed (`weaver network communities
/// --method --quality --resolution --seed`; the `/clusters/{id}/network`
/// query's `method`, `quality`, `resolution`, `seed`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommunityParams {
    /// Leiden (default) or Louvain.
    pub method: CommunityAlgorithm,
    /// Modularity (default) or CPM.
    pub quality: Quality,
    /// Resolution γ (default 1), in (0, [`MAX_RESOLUTION`]].
    pub resolution: f64,
    /// Seed of the random orders and merges (default 0).
    pub seed: u64,
}

impl Default for CommunityParams {
    fn default() -> Self {
        CommunityParams {
            method: CommunityAlgorithm::Leiden,
            quality: Quality::Modularity,
            resolution: 1.0,
            seed: 0,
        }
    }
}

impl CommunityParams {
    /// Checks the resolution: a number in (0, [`MAX_RESOLUTION`]].
    pub fn check(&self) -> Result<()> {
        if !(self.resolution > 0.0 && self.resolution <= MAX_RESOLUTION) {
            return Err(ServiceError::invalid(format!(
                "resolution must be a number above 0 and at most {MAX_RESOLUTION}, not {}",
                self.resolution
            )));
        }
        Ok(())
    }

    /// The engine's options.
    pub fn options(&self) -> CommunityOptions {
        CommunityOptions {
            method: self.method,
            quality: self.quality,
            resolution: self.resolution,
            seed: self.seed,
            ..Default::default()
        }
    }

    /// The method's name (`leiden`, `louvain`).
    pub fn method_name(&self) -> &'static str {
        name_in(&COMMUNITY_METHODS, self.method)
    }

    /// The quality's name (`modularity`, `cpm`).
    pub fn quality_name(&self) -> &'static str {
        name_in(&QUALITIES, self.quality)
    }

    /// Whether the optimised quality is the modularity itself.
    pub fn optimises_modularity(&self) -> bool {
        self.quality == Quality::Modularity && self.resolution == 1.0
    }

    /// The communities of `g` (checked first): the one community detection
    /// of `weaver network communities` and of the network analysis.
    pub fn detect(&self, g: &Graph) -> Result<Partition> {
        self.check()?;
        communities(g, &self.options())
            .map_err(|e| ServiceError::invalid(format!("the communities: {e}")))
    }
}

/// A node metric the network analysis computes only when asked
/// (`metrics=`), as `weaver network metrics --metrics` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtraMetric {
    /// Eigenvector centrality (NetworkX `eigenvector_centrality`,
    /// unweighted).
    Eigenvector,
    /// Burt's constraint (NetworkX `constraint`, unweighted).
    Constraint,
    /// Burt's effective size (NetworkX `effective_size`, unweighted).
    EffectiveSize,
}

/// The extra metrics by name.
pub const EXTRA_METRICS: [(&str, ExtraMetric); 3] = [
    ("eigenvector", ExtraMetric::Eigenvector),
    ("constraint", ExtraMetric::Constraint),
    ("effective_size", ExtraMetric::EffectiveSize),
];

impl ExtraMetric {
    /// Its name.
    pub fn name(self) -> &'static str {
        name_in(&EXTRA_METRICS, self)
    }

    /// The metrics of a comma-separated list (`eigenvector,constraint`),
    /// each once, in the order of [`EXTRA_METRICS`]; an unknown name is
    /// [`ServiceError::Invalid`] naming `metrics` and the choices.
    pub fn parse_list(list: &str) -> Result<Vec<ExtraMetric>> {
        let mut out = Vec::new();
        for name in list.split(',').filter(|x| !x.trim().is_empty()) {
            out.push(choice("metrics", name, &EXTRA_METRICS)?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Each node's value on `g` (`weighted_holes`: Burt's measures weighted
    /// by tie strength; eigenvector centrality is unweighted, as NetworkX's
    /// default), as `weaver network metrics` and the network analysis
    /// compute it.
    pub fn values(self, g: &Graph, weighted_holes: bool) -> Result<Vec<f64>, NetworkError> {
        let holes = HolesOptions {
            weighted: weighted_holes,
        };
        Ok(match self {
            ExtraMetric::Eigenvector => weaver_network::eigenvector(g, &Default::default())?,
            ExtraMetric::Constraint => weaver_network::constraint(g, &holes),
            ExtraMetric::EffectiveSize => weaver_network::effective_size(g, &holes),
        })
    }
}

/// The options of a cluster's network analysis: how the communities are
/// found and which extra metrics are computed. The default is the
/// analysis `/clusters/{id}/network` has always given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisParams {
    /// The community detection.
    pub communities: CommunityParams,
    /// Extra node metrics (none by default).
    pub metrics: Vec<ExtraMetric>,
}

impl AnalysisParams {
    /// A part of a cache key naming these options, empty for the default
    /// (so that the default's key is the one it has always had).
    pub fn key(&self) -> String {
        if *self == AnalysisParams::default() {
            return String::new();
        }
        let c = &self.communities;
        let metrics: Vec<&str> = self.metrics.iter().map(|m| m.name()).collect();
        format!(
            ":{}:{}:{}:{}:{}",
            c.method_name(),
            c.quality_name(),
            c.resolution,
            c.seed,
            metrics.join(",")
        )
    }
}

/// The network analysis of a view: degree, strength, PageRank,
/// clustering, core number and component of each member, Leiden
/// communities (modularity, seed 0) and the graph's summary
/// ([`analysis_with`] the default options).
pub fn analysis_of(view: &ClusterNetwork) -> Result<NetworkAnalysis> {
    analysis_with(view, &AnalysisParams::default())
}

/// The network analysis of a view with `params`: the communities found as
/// they say and the extra metrics they name added to each member.
pub fn analysis_with(view: &ClusterNetwork, params: &AnalysisParams) -> Result<NetworkAnalysis> {
    params.communities.check()?;
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let input = GraphInput::of(view);
    let (g, weighted) = (input.graph().map_err(bad)?, input.weighted);
    let arcs = input.arc_graph().map_err(bad)?;
    let directed = arcs.as_ref().unwrap_or(&g);
    let options: CommunityOptions = params.communities.options();
    // The community detection takes about as long as all the rest: on a
    // second core meanwhile.
    let (parts, rest) = std::thread::scope(|scope| {
        let leiden = scope.spawn(|| communities(&g, &options));
        let rest = pagerank(directed, &PageRankOptions::default()).map(|pr| {
            (
                degree(&g),
                strength(&g),
                pr,
                clustering(&g),
                core_number(&g),
                components(&g),
            )
        });
        // A panic there is one here (the caller reports it as a fault).
        let parts = leiden
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (parts, rest)
    });
    let parts = parts.map_err(bad)?;
    let (deg, stren, pr, cc, core, comps) = rest.map_err(bad)?;
    // A metric that cannot be computed (eigenvector centrality that does
    // not converge) is undefined (`null`) for every member.
    let extra = |m: ExtraMetric| -> Option<Vec<f64>> {
        params.metrics.contains(&m).then(|| {
            m.values(&g, false)
                .unwrap_or_else(|_| vec![f64::NAN; g.node_count()])
        })
    };
    let (eigen, constraint, effective) = (
        extra(ExtraMetric::Eigenvector),
        extra(ExtraMetric::Constraint),
        extra(ExtraMetric::EffectiveSize),
    );
    let at = |v: &Option<Vec<f64>>, i: usize| v.as_ref().map(|v| v[i]);
    let actor: Vec<Option<&str>> = view
        .organizations
        .iter()
        .map(|o| Some(o.actor_type.as_str()))
        .collect();
    let nodes = view
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| NodeMetrics {
            id: o.id.clone(),
            name: o.name.clone(),
            actor_type: o.actor_type.as_str().to_owned(),
            region: o.region.clone(),
            degree: deg[i],
            in_degree: arcs.as_ref().map(|a| a.in_degree(i)),
            out_degree: arcs.as_ref().map(|a| a.out_degree(i)),
            strength: stren[i],
            pagerank: pr[i],
            clustering: cc[i],
            core_number: core[i],
            component: comps.membership[i],
            community: parts.membership[i],
            eigenvector: at(&eigen, i),
            constraint: at(&constraint, i),
            effective_size: at(&effective, i),
        })
        .collect();
    let average_clustering = if cc.is_empty() {
        f64::NAN
    } else {
        cc.iter().sum::<f64>() / cc.len() as f64
    };
    let warnings = input
        .undirected_warning(
            "the communities, clustering, core numbers, components, strength, the summary and \
             the assortativities",
        )
        .into_iter()
        .collect();
    Ok(NetworkAnalysis {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        weighted,
        form: arcs.is_some().then_some("directed"),
        summary: NetworkSummary {
            nodes: g.node_count(),
            edges: g.edge_count(),
            density: density(&g),
            components: comps.sizes.len(),
            giant_size: comps.sizes.first().copied().unwrap_or(0),
            average_clustering,
            transitivity: transitivity(&g),
            degree_assortativity: degree_assortativity(&g),
            actor_type_assortativity: attribute_assortativity(&g, "actor_type", &actor)
                .map_err(bad)?,
        },
        communities: CommunitySummary {
            method: params.communities.method_name(),
            quality: params.communities.quality_name(),
            resolution: params.communities.resolution,
            seed: params.communities.seed,
            modularity: parts.modularity,
            optimised: (!params.communities.optimises_modularity()).then_some(parts.quality),
            sizes: parts.sizes,
        },
        nodes,
        warnings,
    })
}

/// Gould–Fernandez brokerage of a cluster's members by actor type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Brokerage {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The attribute the groups are (`actor_type`, `region`, `industry`
    /// or `size`).
    pub groups: &'static str,
    /// `directed` when some ties are directed: the roles are counted on
    /// the arcs (a directed tie an arc source → target, an undirected tie
    /// an arc each way), so a representative is no longer a gatekeeper;
    /// absent when every tie is undirected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<&'static str>,
    /// The network's density (of the expected counts).
    pub density: f64,
    /// Each member's roles.
    pub nodes: Vec<BrokerageNode>,
}

/// One member's brokerage counts and z-scores, one pair of fields per role
/// of [`weaver_network::BrokerageRole::ALL`] (the five roles and their total).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrokerageNode {
    /// Organization id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its actor type (its group by default).
    pub actor_type: String,
    /// Its group, when the groups are not the actor types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Coordinator: broker and both ends in one group.
    pub coordinator: f64,
    /// z-score of `coordinator`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub coordinator_z: f64,
    /// Itinerant: both ends in one group, the broker in another.
    pub itinerant: f64,
    /// z-score of `itinerant`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub itinerant_z: f64,
    /// Representative: the broker in the group of the sending end, the
    /// receiving end in another (A → A → B).
    pub representative: f64,
    /// z-score of `representative`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub representative_z: f64,
    /// Gatekeeper: the broker in the group of the receiving end, the
    /// sending end in another (A → B → B).
    pub gatekeeper: f64,
    /// z-score of `gatekeeper`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub gatekeeper_z: f64,
    /// Liaison: all three in different groups.
    pub liaison: f64,
    /// z-score of `liaison`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub liaison_z: f64,
    /// All roles.
    pub total: f64,
    /// z-score of `total`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub total_z: f64,
}

/// Gould–Fernandez brokerage roles by actor type of a view's members
/// (counted as R's `sna::brokerage`, an undirected tie being two arcs),
/// with z-scores ([`brokerage_with`] by actor type).
pub fn brokerage_of(view: &ClusterNetwork) -> Result<Brokerage> {
    brokerage_with(view, BrokerageGroup::ActorType)
}

/// The attribute of a cluster's members that gives their brokerage group
/// (`weaver network brokerage --group`; the `/clusters/{id}/brokerage`
/// query's `group`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BrokerageGroup {
    /// The actor type (the default).
    #[default]
    ActorType,
    /// The region.
    Region,
    /// The industry.
    Industry,
    /// The size class.
    Size,
}

/// The brokerage groups by name.
pub const BROKERAGE_GROUPS: [(&str, BrokerageGroup); 4] = [
    ("actor_type", BrokerageGroup::ActorType),
    ("region", BrokerageGroup::Region),
    ("industry", BrokerageGroup::Industry),
    ("size", BrokerageGroup::Size),
];

impl BrokerageGroup {
    /// Its name (the `organizations` column).
    pub fn name(self) -> &'static str {
        name_in(&BROKERAGE_GROUPS, self)
    }

    /// Each member's value, in the view's order (`None` where unknown).
    pub fn values(self, view: &ClusterNetwork) -> Vec<Option<String>> {
        view.organizations
            .iter()
            .map(|o| match self {
                BrokerageGroup::ActorType => Some(o.actor_type.to_string()),
                BrokerageGroup::Region => o.region.clone(),
                BrokerageGroup::Industry => o.industry.clone(),
                BrokerageGroup::Size => o.size.map(|s| s.to_string()),
            })
            .collect()
    }
}

/// The group codes of brokerage ([`weaver_network::encode_groups`]) of
/// nodes `ids` whose group in `column` is `values`: every node needs one,
/// or [`ServiceError::Invalid`] names the first without.
pub fn group_codes(column: &str, ids: &[String], values: &[Option<String>]) -> Result<Vec<usize>> {
    if let Some(k) = values.iter().position(Option::is_none) {
        return Err(ServiceError::invalid(format!(
            "group {column}: node '{}' has no {column}; brokerage needs every node's group",
            ids.get(k).map_or("", String::as_str)
        )));
    }
    Ok(weaver_network::encode_groups(values)
        .into_iter()
        .map(|g| g.unwrap_or(0))
        .collect())
}

/// Gould–Fernandez brokerage roles of a view's members by `group`
/// (counted as R's `sna::brokerage`: a directed tie an arc, an undirected
/// tie two arcs), with z-scores; every member needs a value of the group.
pub fn brokerage_with(view: &ClusterNetwork, group: BrokerageGroup) -> Result<Brokerage> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let input = GraphInput::of(view);
    let arcs = input.arc_graph().map_err(bad)?;
    let g = match &arcs {
        Some(a) => a.clone(),
        None => input.graph().map_err(bad)?,
    };
    let values = group.values(view);
    let ids: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
    let groups = group_codes(group.name(), &ids, &values)?;
    let b = weaver_network::brokerage(&g, &groups).map_err(bad)?;
    let nodes = view
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let (raw, z) = (&b.raw[i], &b.z[i]);
            BrokerageNode {
                id: o.id.clone(),
                name: o.name.clone(),
                actor_type: o.actor_type.as_str().to_owned(),
                group: (group != BrokerageGroup::ActorType)
                    .then(|| values[i].clone().unwrap_or_default()),
                coordinator: raw[BrokerageRole::Coordinator],
                coordinator_z: z[BrokerageRole::Coordinator],
                itinerant: raw[BrokerageRole::Itinerant],
                itinerant_z: z[BrokerageRole::Itinerant],
                representative: raw[BrokerageRole::Representative],
                representative_z: z[BrokerageRole::Representative],
                gatekeeper: raw[BrokerageRole::Gatekeeper],
                gatekeeper_z: z[BrokerageRole::Gatekeeper],
                liaison: raw[BrokerageRole::Liaison],
                liaison_z: z[BrokerageRole::Liaison],
                total: raw[BrokerageRole::Total],
                total_z: z[BrokerageRole::Total],
            }
        })
        .collect();
    Ok(Brokerage {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        groups: group.name(),
        form: arcs.is_some().then_some("directed"),
        density: b.density,
        nodes,
    })
}

/// "Who should meet whom" in a cluster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendations {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The best suggestions first, at most
    /// [`crate::network::MAX_SUGGESTIONS`].
    pub suggestions: Vec<Recommendation>,
    /// Directed ties read undirected (the recommender has no directed
    /// form); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One suggested tie with its reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    /// One member's id.
    pub source: String,
    /// Its name.
    pub source_name: String,
    /// The other member's id.
    pub target: String,
    /// Its name.
    pub target_name: String,
    /// The combined score.
    pub score: f64,
    /// The structural score (Adamic–Adar, scaled).
    pub structural: f64,
    /// Complementarity of actor type and field.
    pub complementarity: f64,
    /// Bridging of communities.
    pub bridging: f64,
    /// Common neighbours.
    pub common_neighbors: usize,
    /// The reasons, for people.
    pub reasons: Vec<String>,
}

/// The recommender's best suggestions for a view's members, with their
/// reasons (structure, complementarity of actor type and field, bridging
/// of communities), as [`crate::network::recommendations`] gives them.
pub fn recommendations_of(view: &ClusterNetwork) -> Result<Recommendations> {
    recommendations_with(view, &RecommendParams::default(), None)
}

/// The recommender's best suggestions for a view's members with `params`
/// ([`crate::network::recommendations_with`]; `top` at most `max_top` when
/// given).
pub fn recommendations_with(
    view: &ClusterNetwork,
    params: &RecommendParams,
    max_top: Option<usize>,
) -> Result<Recommendations> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let (g, _) = graph_of(view).map_err(bad)?;
    let (actor, field) = crate::network::attributes_of(view);
    let s = crate::network::recommendations_with(&g, Some(&actor), Some(&field), params, max_top)?;
    let org = |i: usize| &view.organizations[i];
    let suggestions = s
        .iter()
        .map(|x| &x.suggestion)
        .map(|x| Recommendation {
            source: org(x.source).id.clone(),
            source_name: org(x.source).name.clone(),
            target: org(x.target).id.clone(),
            target_name: org(x.target).name.clone(),
            score: x.score,
            structural: x.structural,
            complementarity: x.complementarity,
            bridging: x.bridging,
            common_neighbors: x.common_neighbors,
            reasons: x.reasons.clone(),
        })
        .collect();
    Ok(Recommendations {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        suggestions,
        warnings: GraphInput::of(view)
            .undirected_warning("the recommendations")
            .into_iter()
            .collect(),
    })
}

/// The network analysis of `cluster` in `period` for `who`.
pub async fn analysis(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<NetworkAnalysis> {
    let view = crate::network::cluster_network(store, who, cluster, period).await?;
    crate::blocking("the network analysis", move || analysis_of(&view)).await
}

/// The brokerage roles of `cluster`'s members in `period` for `who`.
pub async fn brokerage(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<Brokerage> {
    let view = crate::network::cluster_network(store, who, cluster, period).await?;
    crate::blocking("the brokerage", move || brokerage_of(&view)).await
}

/// The recommended ties of `cluster` in `period` for `who`.
pub async fn recommendations(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<Recommendations> {
    let view = crate::network::cluster_network(store, who, cluster, period).await?;
    crate::blocking("the recommendations", move || recommendations_of(&view)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_store::{OrgNode, TieEdge};

    /// A star: a university (hub) tied to two enterprises and a government.
    fn star() -> ClusterNetwork {
        let org = |id: &str, actor: &str| OrgNode {
            id: id.into(),
            name: format!("Org {id}"),
            actor_type: actor.parse().unwrap(),
            region: None,
            industry: None,
            size: None,
        };
        let tie = |s: &str, t: &str| TieEdge {
            source: s.into(),
            target: t.into(),
            kind: "contract".parse().unwrap(),
            weight: None,
            directed: false,
        };
        ClusterNetwork {
            cluster: "c1".into(),
            period: Some("2024".parse().unwrap()),
            organizations: vec![
                org("a", "enterprise"),
                org("b", "enterprise"),
                org("g", "government"),
                org("u", "university"),
            ],
            ties: vec![tie("a", "u"), tie("b", "u"), tie("g", "u")],
        }
    }

    /// Four members, a and b enterprises, c and d universities; ties
    /// a → b and b → c, directed when `directed` says so, and c — d
    /// undirected.
    fn chain(directed: bool) -> ClusterNetwork {
        let mut v = star();
        let org = |id: &str, actor: &str| OrgNode {
            id: id.into(),
            name: format!("Org {id}"),
            actor_type: actor.parse().unwrap(),
            region: None,
            industry: None,
            size: None,
        };
        let tie = |s: &str, t: &str, directed: bool| TieEdge {
            source: s.into(),
            target: t.into(),
            kind: "license".parse().unwrap(),
            weight: None,
            directed,
        };
        v.organizations = vec![
            org("a", "enterprise"),
            org("b", "enterprise"),
            org("c", "university"),
            org("d", "university"),
        ];
        v.ties = vec![
            tie("a", "b", directed),
            tie("b", "c", directed),
            tie("c", "d", false),
        ];
        v
    }

    #[test]
    fn directed_ties_make_representatives_and_gatekeepers_differ() {
        let roles = |b: &Brokerage, i: usize| {
            let n = &b.nodes[i];
            (n.representative, n.gatekeeper, n.total)
        };
        // Read undirected, b brokers a — c both ways: once a representative
        // (enterprise → enterprise → university), once a gatekeeper; c
        // brokers b — d both ways the same.
        let undirected = brokerage_of(&chain(false)).unwrap();
        assert_eq!(undirected.form, None);
        assert_eq!(roles(&undirected, 1), (1.0, 1.0, 2.0));
        assert_eq!(roles(&undirected, 2), (1.0, 1.0, 2.0));
        // On the arcs a → b → c only: b is a representative (A → A → B);
        // b → c → d only (c → b is no arc): c is a gatekeeper (A → B → B).
        let directed = brokerage_of(&chain(true)).unwrap();
        assert_eq!(directed.form, Some("directed"));
        assert_eq!(roles(&directed, 1), (1.0, 0.0, 1.0));
        assert_eq!(roles(&directed, 2), (0.0, 1.0, 1.0));
        for i in [0, 3] {
            assert_eq!(roles(&directed, i), (0.0, 0.0, 0.0));
        }
        // sna's density of the expected counts: 4 arcs of 4·3.
        assert!((directed.density - 4.0 / 12.0).abs() < 1e-15);
    }

    #[test]
    fn directed_ties_give_in_and_out_degree_and_pagerank_as_networkx() {
        // tests/fixtures/directed_ties.py: NetworkX on the DiGraph a→b,
        // b→c, c→d, d→c. a has no in-arc: (1 − 0.85)/4; b: that plus
        // 0.85 · PR(a).
        let a = analysis_of(&chain(true)).unwrap();
        assert_eq!(a.form, Some("directed"));
        let degrees: Vec<_> = a
            .nodes
            .iter()
            .map(|n| (n.degree, n.in_degree, n.out_degree))
            .collect();
        assert_eq!(
            degrees,
            [
                (1, Some(0), Some(1)),
                (2, Some(1), Some(1)),
                (2, Some(2), Some(1)),
                (1, Some(1), Some(1)),
            ]
        );
        let networkx = [0.0375, 0.069375, 0.4625, 0.430625];
        for (n, want) in a.nodes.iter().zip(networkx) {
            assert!((n.pagerank - want).abs() < 1e-6, "{}: {}", n.id, n.pagerank);
        }
        // The analyses without a directed form say they read the ties
        // undirected.
        assert_eq!(a.warnings.len(), 1);
        assert!(
            a.warnings[0].starts_with("2 of the 3 ties are directed"),
            "{:?}",
            a.warnings
        );
        assert!(a.warnings[0].contains("communities"), "{:?}", a.warnings);
        let r = recommendations_of(&chain(true)).unwrap();
        assert!(
            r.warnings[0].contains("the recommendations"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn undirected_registers_name_no_form_and_no_warning() {
        let a = analysis_of(&chain(false)).unwrap();
        let v = serde_json::to_value(&a).unwrap();
        assert!(
            v.get("form").is_none() && v.get("warnings").is_none(),
            "{v}"
        );
        for n in v["nodes"].as_array().unwrap() {
            assert!(
                n.get("in_degree").is_none() && n.get("out_degree").is_none(),
                "{n}"
            );
        }
        // The path a — b — c — d: PageRank of the undirected graph
        // (NetworkX: 0.1754…, 0.3245…).
        assert!((a.nodes[0].pagerank - 0.17543859649100285).abs() < 1e-6);
        assert!((a.nodes[1].pagerank - 0.3245614035089971).abs() < 1e-6);
        let b = serde_json::to_value(brokerage_of(&chain(false)).unwrap()).unwrap();
        assert!(b.get("form").is_none(), "{b}");
        let r = serde_json::to_value(recommendations_of(&chain(false)).unwrap()).unwrap();
        assert!(r.get("warnings").is_none(), "{r}");
    }

    #[test]
    fn brokerage_names_every_role_and_its_z_score() {
        let b = brokerage_of(&star()).unwrap();
        let v = serde_json::to_value(&b).unwrap();
        let hub = &v["nodes"][3];
        assert_eq!(hub["id"], "u");
        for role in weaver_network::BrokerageRole::ALL {
            assert!(hub.get(role.as_str()).is_some(), "{role} missing: {hub}");
            assert!(
                hub.get(format!("{role}_z")).is_some(),
                "{role}_z missing: {hub}"
            );
        }
        // The hub brokers between every pair of its three neighbours, each
        // pair in both directions (an undirected tie is two arcs): 6 in all,
        // the two enterprises' pairs being itinerant (both ends in one group).
        assert_eq!(hub["total"], 6.0);
        assert_eq!(hub["itinerant"], 2.0);
        assert_eq!(v["nodes"][0]["total"], 0.0);
    }

    #[test]
    fn network_analysis_of_a_star() {
        let a = analysis_of(&star()).unwrap();
        assert_eq!((a.summary.nodes, a.summary.edges), (4, 3));
        assert_eq!(a.summary.components, 1);
        assert_eq!(a.nodes[3].degree, 3);
        assert_eq!(a.nodes[0].degree, 1);
        // No triangles: every clustering coefficient is 0.
        assert_eq!(a.summary.transitivity, 0.0);
    }
}
