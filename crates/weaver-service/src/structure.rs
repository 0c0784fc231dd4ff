//! The structure of a cluster's network as the caller may read it: the
//! metrics that need no all-pairs shortest paths with Leiden communities,
//! the Gould–Fernandez brokerage roles, and the recommended ties with
//! their reasons.
//!
//! Each question has a function taking the caller ([`analysis`],
//! [`brokerage`], [`recommendations`], and [`NetworkQuestion::ask`] for
//! any of them) and a pure one from the view the
//! caller may read (`…_of`), for a caller that caches by register version
//! (the server) and so reads the view only when it has no answer.

use serde::Serialize;
use utoipa::ToSchema;
use weaver_network::BrokerageRole;
use weaver_network::{
    CommunityOptions, PageRankOptions, attribute_assortativity, clustering, communities,
    components, core_number, degree, degree_assortativity, density, pagerank, strength,
    transitivity,
};
use weaver_store::{ClusterNetwork, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::network::graph_of;

/// The network analysis of a cluster in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkAnalysis {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// Whether any tie has a weight.
    pub weighted: bool,
    /// The graph's summary.
    pub summary: NetworkSummary,
    /// Leiden communities.
    pub communities: CommunitySummary,
    /// Each member's metrics, in the view's order (by id).
    pub nodes: Vec<NodeMetrics>,
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
    /// `leiden`.
    pub method: &'static str,
    /// `modularity`.
    pub quality: &'static str,
    /// The resolution (1).
    pub resolution: f64,
    /// The random seed (0).
    pub seed: u64,
    /// Modularity of the partition.
    pub modularity: f64,
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
    /// Degree.
    pub degree: usize,
    /// Strength (sum of tie weights).
    pub strength: f64,
    /// PageRank (damping 0.85).
    pub pagerank: f64,
    /// Local clustering coefficient.
    pub clustering: f64,
    /// k-core number.
    pub core_number: usize,
    /// Connected component (0 the largest).
    pub component: usize,
    /// Leiden community.
    pub community: usize,
}

/// The network analysis of a view: degree, strength, PageRank,
/// clustering, core number and component of each member, Leiden
/// communities (modularity, seed 0) and the graph's summary.
pub fn analysis_of(view: &ClusterNetwork) -> Result<NetworkAnalysis> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let (g, weighted) = graph_of(view).map_err(bad)?;
    // Leiden takes about as long as all the rest: on a second core meanwhile.
    let (parts, rest) = std::thread::scope(|scope| {
        let leiden = scope.spawn(|| communities(&g, &CommunityOptions::default()));
        let rest = pagerank(&g, &PageRankOptions::default()).map(|pr| {
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
            strength: stren[i],
            pagerank: pr[i],
            clustering: cc[i],
            core_number: core[i],
            component: comps.membership[i],
            community: parts.membership[i],
        })
        .collect();
    let average_clustering = if cc.is_empty() {
        f64::NAN
    } else {
        cc.iter().sum::<f64>() / cc.len() as f64
    };
    Ok(NetworkAnalysis {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        weighted,
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
            method: "leiden",
            quality: "modularity",
            resolution: 1.0,
            seed: 0,
            modularity: parts.modularity,
            sizes: parts.sizes,
        },
        nodes,
    })
}

/// Gould–Fernandez brokerage of a cluster's members by actor type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Brokerage {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The attribute the groups are (`actor_type`).
    pub groups: &'static str,
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
    /// Its actor type (its group).
    pub actor_type: String,
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
    /// Representative: the broker in the group of the receiving end.
    pub representative: f64,
    /// z-score of `representative`.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub representative_z: f64,
    /// Gatekeeper: the broker in the group of the sending end.
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
/// with z-scores.
pub fn brokerage_of(view: &ClusterNetwork) -> Result<Brokerage> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let (g, _) = graph_of(view).map_err(bad)?;
    let actor: Vec<Option<&str>> = view
        .organizations
        .iter()
        .map(|o| Some(o.actor_type.as_str()))
        .collect();
    let groups: Vec<usize> = weaver_network::encode_groups(&actor)
        .into_iter()
        .map(|g| g.unwrap_or(0))
        .collect();
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
        groups: "actor_type",
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
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let (g, _) = graph_of(view).map_err(bad)?;
    let (actor, field) = crate::network::attributes_of(view);
    let s = crate::network::recommendations(&g, Some(&actor), Some(&field)).map_err(bad)?;
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
    })
}

/// The questions asked of a cluster's network at
/// `/clusters/{id}/{question}` and by `weaver network … --cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkQuestion {
    /// [`analysis_of`].
    Network,
    /// [`brokerage_of`].
    Brokerage,
    /// [`recommendations_of`].
    Recommendations,
}

/// The answer to a [`NetworkQuestion`].
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NetworkAnswer {
    /// The network analysis.
    Network(NetworkAnalysis),
    /// The brokerage roles.
    Brokerage(Brokerage),
    /// The recommended ties.
    Recommendations(Recommendations),
}

impl NetworkQuestion {
    /// The question named `name` (`network`, `brokerage`,
    /// `recommendations`); any other is not found (the openness, which
    /// reads beyond the cluster's network, is [`crate::openness`]).
    pub fn parse(name: &str) -> Result<NetworkQuestion> {
        Ok(match name {
            "network" => NetworkQuestion::Network,
            "brokerage" => NetworkQuestion::Brokerage,
            "recommendations" => NetworkQuestion::Recommendations,
            _ => {
                return Err(ServiceError::NotFound(format!(
                    "no analysis '{name}'; a cluster has network, brokerage, recommendations, \
                     openness, diffusion, labels and paths"
                )));
            }
        })
    }

    /// Its name (as [`NetworkQuestion::parse`] takes it; a cache key).
    pub fn name(self) -> &'static str {
        match self {
            NetworkQuestion::Network => "network",
            NetworkQuestion::Brokerage => "brokerage",
            NetworkQuestion::Recommendations => "recommendations",
        }
    }

    /// The answer from the view the caller may read (pure; costly for a
    /// large network: off the async threads).
    pub fn answer(self, view: &ClusterNetwork) -> Result<NetworkAnswer> {
        Ok(match self {
            NetworkQuestion::Network => NetworkAnswer::Network(analysis_of(view)?),
            NetworkQuestion::Brokerage => NetworkAnswer::Brokerage(brokerage_of(view)?),
            NetworkQuestion::Recommendations => {
                NetworkAnswer::Recommendations(recommendations_of(view)?)
            }
        })
    }

    /// The question asked by `who` of `cluster`'s network in `period`: the
    /// access checked ([`crate::network::network_access`]), the view `who`
    /// may read, the answer computed on a blocking thread.
    pub async fn ask(
        self,
        store: &Store,
        who: &Principal,
        cluster: &str,
        period: Option<&str>,
    ) -> Result<NetworkAnswer> {
        let view = crate::network::cluster_network(store, who, cluster, period).await?;
        crate::blocking("the network analysis", move || self.answer(&view)).await
    }
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

    #[test]
    fn questions_parse_by_name_and_unknown_ones_are_not_found() {
        for q in [
            NetworkQuestion::Network,
            NetworkQuestion::Brokerage,
            NetworkQuestion::Recommendations,
        ] {
            assert_eq!(NetworkQuestion::parse(q.name()).unwrap(), q);
        }
        assert!(matches!(
            NetworkQuestion::parse("gossip"),
            Err(ServiceError::NotFound(m)) if m.contains("'gossip'")
        ));
    }
}
