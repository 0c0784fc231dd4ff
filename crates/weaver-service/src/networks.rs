//! The networks of several clusters: the network of clusters (clusters as
//! nodes, linked by the ties between their members and by the members they
//! share — which clusters learn from which) and the network of the members
//! of several clusters with the ties among and between them, analysed as a
//! cluster's network is ([`crate::structure::analysis_of`]).
//!
//! Only what the caller may read counts: the clusters, memberships and
//! ties of the network of clusters are each read under the caller's read
//! rule ([`weaver_store::Store::cluster_links`]); the multi-cluster network
//! is each asked cluster's network as the caller reads it
//! ([`crate::network::cluster_network`], so an unknown or unreadable
//! cluster is not found, exactly as for one cluster) with the readable ties
//! between members of different clusters. A pair of organizations tied by
//! several rows (kinds) is one tie.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;
use utoipa::ToSchema;
use weaver_store::{ClusterLinks, ClusterNetwork, OrgNode, Principal, Store, TieEdge};

use crate::error::{Result, ServiceError};
use crate::structure::NetworkAnalysis;

/// Most clusters of one multi-cluster network.
pub const MAX_CLUSTERS: usize = 50;

/// The network of clusters in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClusterGraph {
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The clusters the caller reads, by id.
    pub clusters: Vec<ClusterVertex>,
    /// Pairs of clusters with a tie between their members or a shared
    /// member, by (source, target).
    pub links: Vec<ClusterLink>,
}

/// A cluster as a node of the network of clusters.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ClusterVertex {
    /// The cluster's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its members in the period (readable memberships).
    pub members: usize,
    /// Ties between two of its members.
    pub internal_ties: usize,
    /// Clusters it is linked to.
    pub degree: usize,
    /// Ties between its members and members of other clusters, summed over
    /// its links.
    pub external_ties: usize,
}

/// A link between two clusters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClusterLink {
    /// One cluster (the smaller id).
    pub source: String,
    /// The other.
    pub target: String,
    /// Ties with one end a member of `source` and the other a member of
    /// `target` (two distinct organizations).
    pub ties: usize,
    /// Organizations that are members of both.
    pub shared_members: usize,
}

/// The network of clusters of `links` (pure): each pair of clusters linked
/// by the ties between their members (a tie counted once for a pair of
/// clusters however many of its ends' memberships join them) and by their
/// shared members.
pub fn cluster_graph_of(links: &ClusterLinks, period: Option<String>) -> ClusterGraph {
    let mut of_org: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, o) in &links.memberships {
        of_org.entry(o.as_str()).or_default().push(c.as_str());
        *members.entry(c.as_str()).or_default() += 1;
    }
    let mut pairs: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for cs in of_org.values() {
        for (i, a) in cs.iter().enumerate() {
            for b in &cs[i + 1..] {
                let key = if a < b { (*a, *b) } else { (*b, *a) };
                pairs.entry(key).or_default().1 += 1;
            }
        }
    }
    let mut internal: BTreeMap<&str, usize> = BTreeMap::new();
    let ties: BTreeSet<(&str, &str)> = links
        .ties
        .iter()
        .map(|(s, t)| {
            if s < t {
                (s.as_str(), t.as_str())
            } else {
                (t.as_str(), s.as_str())
            }
        })
        .collect();
    for (u, v) in &ties {
        let (cu, cv) = (&of_org[u], &of_org[v]);
        let mut linked: BTreeSet<(&str, &str)> = BTreeSet::new();
        for a in cu {
            for b in cv {
                if a == b {
                    continue;
                }
                linked.insert(if a < b { (*a, *b) } else { (*b, *a) });
            }
        }
        for key in linked {
            pairs.entry(key).or_default().0 += 1;
        }
        for c in cu.iter().filter(|c| cv.contains(*c)) {
            *internal.entry(*c).or_default() += 1;
        }
    }
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    let mut external: BTreeMap<&str, usize> = BTreeMap::new();
    for ((a, b), (t, _)) in &pairs {
        for c in [*a, *b] {
            *degree.entry(c).or_default() += 1;
            *external.entry(c).or_default() += *t;
        }
    }
    ClusterGraph {
        period,
        clusters: links
            .clusters
            .iter()
            .map(|c| {
                let id = c.id.as_str();
                ClusterVertex {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    members: members.get(id).copied().unwrap_or(0),
                    internal_ties: internal.get(id).copied().unwrap_or(0),
                    degree: degree.get(id).copied().unwrap_or(0),
                    external_ties: external.get(id).copied().unwrap_or(0),
                }
            })
            .collect(),
        links: pairs
            .into_iter()
            .map(|((a, b), (ties, shared))| ClusterLink {
                source: a.to_owned(),
                target: b.to_owned(),
                ties,
                shared_members: shared,
            })
            .collect(),
    }
}

/// The network of the clusters `who` reads in `period`.
pub async fn cluster_graph(
    store: &Store,
    who: &Principal,
    period: Option<&str>,
) -> Result<ClusterGraph> {
    let period = period
        .map(str::parse::<weaver_core::period::Period>)
        .transpose()?;
    let p = period.map(|p| p.to_string());
    let links = store.cluster_links(p.as_deref(), who).await?;
    crate::blocking("the network of clusters", move || {
        Ok(cluster_graph_of(&links, p))
    })
    .await
}

/// The network of the members of several clusters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MultiClusterNetwork {
    /// The clusters asked for, in the order asked.
    pub clusters: Vec<String>,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The clusters each member belongs to among those asked, by member id.
    pub memberships: Vec<MemberClusters>,
    /// Pairs of the clusters asked with a tie between their members or a
    /// shared member.
    pub links: Vec<ClusterLink>,
    /// The analysis of the members' network (its `cluster` field names the
    /// clusters asked, joined by commas).
    pub analysis: NetworkAnalysis,
}

/// The clusters a member belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MemberClusters {
    /// The organization's id.
    pub id: String,
    /// The clusters asked that it is a member of, in the order asked.
    pub clusters: Vec<String>,
}

/// The clusters of a comma-separated list: at least one, at most
/// [`MAX_CLUSTERS`], without repeats (in the order given).
pub fn cluster_list(text: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(ServiceError::invalid(format!(
                "clusters: an empty cluster id in '{text}'; give ids separated by commas"
            )));
        }
        if !out.iter().any(|c| c == part) {
            out.push(part.to_owned());
        }
    }
    if out.len() > MAX_CLUSTERS {
        return Err(ServiceError::invalid(format!(
            "clusters: at most {MAX_CLUSTERS} clusters, not {}",
            out.len()
        )));
    }
    Ok(out)
}

/// The multi-cluster network of `views` (each asked cluster's network as
/// the caller reads it, in the order asked) and `between` (readable ties
/// among their members): members, each view's ties (a tie in several views
/// taken once), the ties between members of different clusters, and its
/// analysis.
pub fn multi_cluster_of(
    views: &[ClusterNetwork],
    between: &[TieEdge],
) -> Result<MultiClusterNetwork> {
    let clusters: Vec<String> = views.iter().map(|v| v.cluster.clone()).collect();
    let mut orgs: BTreeMap<String, OrgNode> = BTreeMap::new();
    let mut of_org: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let member_sets: Vec<HashSet<&str>> = views
        .iter()
        .map(|v| v.organizations.iter().map(|o| o.id.as_str()).collect())
        .collect();
    for v in views {
        for o in &v.organizations {
            orgs.entry(o.id.clone()).or_insert_with(|| o.clone());
            of_org
                .entry(o.id.clone())
                .or_default()
                .push(v.cluster.clone());
        }
    }
    let both_in = |k: usize, t: &TieEdge| {
        member_sets[k].contains(t.source.as_str()) && member_sets[k].contains(t.target.as_str())
    };
    let mut ties = Vec::new();
    for (k, v) in views.iter().enumerate() {
        // A tie among members of an earlier view is that view's.
        ties.extend(
            v.ties
                .iter()
                .filter(|t| !(0..k).any(|j| both_in(j, t)))
                .cloned(),
        );
    }
    ties.extend(
        between
            .iter()
            .filter(|t| !(0..views.len()).any(|k| both_in(k, t)))
            .cloned(),
    );
    ties.sort_by(|a, b| {
        (&a.source, &a.target, a.kind.as_str()).cmp(&(&b.source, &b.target, b.kind.as_str()))
    });
    let links = ClusterLinks {
        clusters: Vec::new(),
        memberships: of_org
            .iter()
            .flat_map(|(o, cs)| cs.iter().map(move |c| (c.clone(), o.clone())))
            .collect(),
        ties: ties
            .iter()
            .map(|t| (t.source.clone(), t.target.clone()))
            .collect(),
    };
    let links = cluster_graph_of(&links, None).links;
    let merged = ClusterNetwork {
        cluster: clusters.join(","),
        period: views.first().and_then(|v| v.period),
        organizations: orgs.into_values().collect(),
        ties,
    };
    let analysis = crate::structure::analysis_of(&merged)?;
    Ok(MultiClusterNetwork {
        period: merged.period.map(|p| p.to_string()),
        memberships: of_org
            .into_iter()
            .map(|(id, clusters)| MemberClusters { id, clusters })
            .collect(),
        clusters,
        links,
        analysis,
    })
}

/// The network of the members of `clusters` (a list as [`cluster_list`]
/// reads it) in `period` for `who`: each cluster's access checked as for
/// its own network (an unknown or unreadable one is not found), the ties
/// between members of different clusters read with `who`'s rights.
pub async fn multi_cluster(
    store: &Store,
    who: &Principal,
    clusters: &str,
    period: Option<&str>,
) -> Result<MultiClusterNetwork> {
    let ids = cluster_list(clusters)?;
    let mut views = Vec::with_capacity(ids.len());
    for id in &ids {
        views.push(crate::network::cluster_network(store, who, id, period).await?);
    }
    let orgs: BTreeSet<String> = views
        .iter()
        .flat_map(|v| v.organizations.iter().map(|o| o.id.clone()))
        .collect();
    let orgs: Vec<String> = orgs.into_iter().collect();
    let between = store.ties_among(&ids, &orgs, period, who).await?;
    crate::blocking("the network of several clusters", move || {
        multi_cluster_of(&views, &between)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_store::ClusterNode;

    fn s(x: &str) -> String {
        x.to_owned()
    }

    #[test]
    fn links_count_ties_once_per_pair_of_clusters_and_shared_members() {
        // A = {o1, o2}, B = {o2, o3}, C = {o4}; o1–o3 in two rows.
        let links = ClusterLinks {
            clusters: ["A", "B", "C"]
                .map(|c| ClusterNode {
                    id: s(c),
                    name: format!("Cluster {c}"),
                })
                .to_vec(),
            memberships: vec![
                (s("A"), s("o1")),
                (s("A"), s("o2")),
                (s("B"), s("o2")),
                (s("B"), s("o3")),
                (s("C"), s("o4")),
            ],
            ties: vec![
                (s("o1"), s("o2")),
                (s("o1"), s("o3")),
                (s("o2"), s("o4")),
                (s("o3"), s("o1")),
                (s("o3"), s("o4")),
            ],
        };
        let g = cluster_graph_of(&links, None);
        let l = |a: &str, b: &str, ties, shared_members| ClusterLink {
            source: s(a),
            target: s(b),
            ties,
            shared_members,
        };
        // A–B: o1–o3, and o1–o2 (o2 in B); o2 in both. A–C: o2–o4. B–C:
        // o2–o4 and o3–o4.
        assert_eq!(
            g.links,
            vec![l("A", "B", 2, 1), l("A", "C", 1, 0), l("B", "C", 2, 0)]
        );
        let v: Vec<(usize, usize, usize, usize)> = g
            .clusters
            .iter()
            .map(|c| (c.members, c.internal_ties, c.degree, c.external_ties))
            .collect();
        assert_eq!(v, vec![(2, 1, 2, 3), (2, 0, 2, 4), (1, 0, 2, 3)]);
    }

    #[test]
    fn cluster_lists_are_read_with_their_problems_named() {
        assert_eq!(cluster_list("a, b,a").unwrap(), vec![s("a"), s("b")]);
        assert!(
            matches!(cluster_list("a,,b"), Err(ServiceError::Invalid(m)) if m.contains("empty"))
        );
        let many = (0..=MAX_CLUSTERS)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(
            matches!(cluster_list(&many), Err(ServiceError::Invalid(m)) if m.contains("at most"))
        );
    }
}
