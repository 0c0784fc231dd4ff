//! The openness of a cluster: how far its members' ties reach beyond the
//! cluster, by membership and by the partners' actor type, region, country
//! and clusters, with the E-I index of Krackhardt & Stern (1988).
//!
//! The ties counted are those of the cluster's members (the network the
//! caller reads, [`crate::network::cluster_network`]) among themselves
//! (internal) and to organizations with no membership of the cluster in
//! the period (external), each tie read under the caller's read rule
//! ([`weaver_store::Store::cluster_reach`]). A partner organization the
//! caller may not read is counted in the `undisclosed` bucket (its ties
//! and how many such partners), never shown by id, name or attribute, and
//! never as a group key. A pair of organizations tied by several rows
//! (kinds) is one tie, as in the cluster's network.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use utoipa::ToSchema;
use weaver_network::{EdgeRecord, Graph, GraphOptions};
use weaver_store::{ClusterNetwork, ClusterReach, Partner, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::network::{GraphInput, Openness};

/// An attribute openness groups ties by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// The organizations' actor type.
    ActorType,
    /// Their region.
    Region,
    /// Their country.
    Country,
    /// Membership of the cluster (members against everyone else); the
    /// partners grouped by the other clusters they belong to.
    Cluster,
}

impl Grouping {
    /// Every grouping, in the order of an answer.
    pub const ALL: [Grouping; 4] = [
        Grouping::ActorType,
        Grouping::Region,
        Grouping::Country,
        Grouping::Cluster,
    ];

    /// Its name (`actor_type`, `region`, `country`, `cluster`).
    pub fn name(self) -> &'static str {
        match self {
            Grouping::ActorType => "actor_type",
            Grouping::Region => "region",
            Grouping::Country => "country",
            Grouping::Cluster => "cluster",
        }
    }

    /// The grouping named `name`; any other name is refused with the
    /// choices.
    pub fn parse(name: &str) -> Result<Grouping> {
        Grouping::ALL
            .into_iter()
            .find(|g| g.name() == name)
            .ok_or_else(|| {
                ServiceError::invalid(format!(
                    "group: '{name}' is not one of actor_type, region, country, cluster"
                ))
            })
    }

    /// The groupings of a comma-separated list (`None` or empty: all of
    /// them), in the list's order without repeats.
    pub fn list(text: Option<&str>) -> Result<Vec<Grouping>> {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Ok(Grouping::ALL.to_vec());
        };
        let mut out = Vec::new();
        for part in text.split(',') {
            let g = Grouping::parse(part.trim())?;
            if !out.contains(&g) {
                out.push(g);
            }
        }
        Ok(out)
    }
}

/// The openness of a cluster in a period, with the ties beyond it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClusterOpenness {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The attributes grouped by, in the order of `by`.
    pub groups: Vec<Grouping>,
    /// Members of the cluster's network the caller reads.
    pub members: usize,
    /// The ties counted.
    pub ties: TieCounts,
    /// The distinct organizations outside the cluster tied to a member.
    pub partners: PartnerCounts,
    /// E-I index of membership, (E − I)/(E + I) with E the external ties
    /// (undisclosed ones included) and I the internal ones; `null` without
    /// ties.
    pub ei_index: Option<f64>,
    /// E/(E + I); `null` without ties.
    pub cross_share: Option<f64>,
    /// Each attribute over internal and external ties together, with the
    /// partners by their value.
    pub by: Vec<OpennessBy>,
    /// The figures of the members' ties among themselves only, by each
    /// attribute asked but `cluster` (what `openness` answered before it
    /// counted the ties beyond the cluster).
    pub internal: Vec<Openness>,
}

/// How many ties were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct TieCounts {
    /// Ties between two members.
    pub internal: usize,
    /// Ties between a member and an organization outside the cluster.
    pub external: usize,
    /// Of `external`, ties to partners the caller may not read.
    pub undisclosed: usize,
}

/// How many distinct partners outside the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartnerCounts {
    /// All of them.
    pub total: usize,
    /// Those the caller may read (in the groups of `by`).
    pub disclosed: usize,
    /// Those the caller may not read: counted, never shown.
    pub undisclosed: usize,
}

/// The openness by one attribute, external ties in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpennessBy {
    /// The attribute (`actor_type`, `region`, `country`, `cluster`).
    pub attribute: Grouping,
    /// Ties whose ends have the same value (for `cluster`: ties between
    /// members).
    pub internal: usize,
    /// Ties whose ends have different values (for `cluster`: ties to
    /// organizations outside the cluster).
    pub external: usize,
    /// Ties left out: an end without a value, or a partner the caller may
    /// not read.
    pub unknown: usize,
    /// (E − I)/(E + I); `null` without ties.
    pub ei_index: Option<f64>,
    /// E/(E + I); `null` without ties.
    pub cross_share: Option<f64>,
    /// The external ties by the value of the partner the caller reads, most
    /// ties first (then by value); for `cluster`, by each other cluster the
    /// partner is a member of (a partner of several clusters counts in each),
    /// `null` for partners in no cluster the caller reads.
    pub partners: Vec<PartnerGroup>,
}

/// The partners of one value and their ties to the cluster's members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartnerGroup {
    /// The value (`null`: unknown, or in no other cluster).
    pub value: Option<String>,
    /// Ties between members and these partners.
    pub ties: usize,
    /// Distinct partners.
    pub partners: usize,
}

fn ratio(e: usize, i: usize) -> (Option<f64>, Option<f64>) {
    if e + i == 0 {
        return (None, None);
    }
    let (e, i) = (e as f64, i as f64);
    (Some((e - i) / (e + i)), Some(e / (e + i)))
}

/// The openness of `view` (the cluster's network the caller reads) with the
/// ties beyond it of `reach`, by each of `groups` (pure: the caller reads
/// both for the same caller, cluster and period).
pub fn openness_of(
    view: &ClusterNetwork,
    reach: &ClusterReach,
    groups: &[Grouping],
) -> Result<ClusterOpenness> {
    let bad = |e| ServiceError::invalid(format!("the cluster's network: {e}"));
    let members = GraphInput::of(view);
    let inner = members.graph().map_err(bad)?;
    let n = view.organizations.len();
    // Nodes: the members, the readable partners, then one node per
    // undisclosed partner (an id no organization can have: ids are checked
    // on the way in and hold no control characters).
    let hidden_id = |k: usize| format!("\u{1}undisclosed {k}");
    let mut nodes = members.nodes.clone();
    nodes.extend(reach.partners.iter().map(|p| p.id.clone()));
    nodes.extend((0..reach.undisclosed).map(hidden_id));
    let mut edges = members.edges.clone();
    // One tie per (member, partner), whatever the rows between them.
    let mut pairs: BTreeSet<(&str, &Partner)> = BTreeSet::new();
    for t in &reach.ties {
        pairs.insert((t.member.as_str(), &t.partner));
    }
    for (m, p) in &pairs {
        let p = match p {
            Partner::Disclosed(id) => id.clone(),
            Partner::Undisclosed(k) => hidden_id(*k),
        };
        edges.push(EdgeRecord::new((*m).to_owned(), p, 1.0));
    }
    let (g, _) = Graph::from_edges(
        &nodes,
        &edges,
        GraphOptions {
            directed: false,
            weighted: false,
        },
    )
    .map_err(bad)?;
    let undisclosed_ties = pairs
        .iter()
        .filter(|(_, p)| matches!(p, Partner::Undisclosed(_)))
        .count();
    let internal_ties = inner.edge_count();
    let external_ties = pairs.len();
    let partners_of = |value: &dyn Fn(&weaver_store::PartnerOrg) -> Vec<Option<String>>| {
        let by_id: BTreeMap<&str, &weaver_store::PartnerOrg> =
            reach.partners.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut acc: BTreeMap<Option<String>, (usize, BTreeSet<&str>)> = BTreeMap::new();
        for (_, p) in &pairs {
            let Partner::Disclosed(id) = p else { continue };
            let Some(org) = by_id.get(id.as_str()) else {
                continue;
            };
            for v in value(org) {
                let e = acc.entry(v).or_default();
                e.0 += 1;
                e.1.insert(id.as_str());
            }
        }
        let mut out: Vec<PartnerGroup> = acc
            .into_iter()
            .map(|(value, (ties, ps))| PartnerGroup {
                value,
                ties,
                partners: ps.len(),
            })
            .collect();
        out.sort_by(|a, b| b.ties.cmp(&a.ties).then(a.value.cmp(&b.value)));
        out
    };
    let member_values = |grouping: Grouping| -> Vec<Option<String>> {
        view.organizations
            .iter()
            .map(|o| match grouping {
                Grouping::ActorType => Some(o.actor_type.to_string()),
                Grouping::Region => o.region.clone(),
                Grouping::Country => reach.member_countries.get(&o.id).cloned().flatten(),
                Grouping::Cluster => Some(view.cluster.clone()),
            })
            .collect()
    };
    let mut by = Vec::with_capacity(groups.len());
    let mut internal = Vec::new();
    for &grouping in groups {
        let mut values = member_values(grouping);
        if grouping != Grouping::Cluster {
            internal.extend(
                crate::network::openness(&inner, &[(grouping.name().to_owned(), values.clone())])
                    .map_err(bad)?,
            );
        }
        let partner_value = |p: &weaver_store::PartnerOrg| -> Vec<Option<String>> {
            match grouping {
                Grouping::ActorType => vec![Some(p.actor_type.to_string())],
                Grouping::Region => vec![p.region.clone()],
                Grouping::Country => vec![p.country.clone()],
                Grouping::Cluster if p.clusters.is_empty() => vec![None],
                Grouping::Cluster => p.clusters.iter().cloned().map(Some).collect(),
            }
        };
        // Every partner is outside the cluster: for `cluster` its value is
        // only "not this cluster" (the readable ones and the others alike).
        values.extend(reach.partners.iter().map(|p| match grouping {
            Grouping::Cluster => Some(String::new()),
            _ => partner_value(p).into_iter().next().flatten(),
        }));
        values.extend((0..reach.undisclosed).map(|_| match grouping {
            Grouping::Cluster => Some(String::new()),
            _ => None,
        }));
        let codes = weaver_network::encode_groups(&values);
        let r = weaver_network::ei_index(&g, &codes).map_err(bad)?;
        let (ei_index, cross_share) = ratio(r.external, r.internal);
        by.push(OpennessBy {
            attribute: grouping,
            internal: r.internal,
            external: r.external,
            unknown: g.edge_count() - r.internal - r.external,
            ei_index,
            cross_share,
            partners: partners_of(&partner_value),
        });
    }
    debug_assert_eq!(g.node_count(), n + reach.partners.len() + reach.undisclosed);
    let (ei_index, cross_share) = ratio(external_ties, internal_ties);
    // The readable partners are those of the ties (the store reads no other).
    let disclosed = reach.partners.len();
    Ok(ClusterOpenness {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        groups: groups.to_vec(),
        members: n,
        ties: TieCounts {
            internal: internal_ties,
            external: external_ties,
            undisclosed: undisclosed_ties,
        },
        partners: PartnerCounts {
            total: disclosed + reach.undisclosed,
            disclosed,
            undisclosed: reach.undisclosed,
        },
        ei_index,
        cross_share,
        by,
        internal,
    })
}

/// The openness of `cluster` in `period` for `who` by each of `groups`:
/// the access checked as for the cluster's network, the members' network
/// and the ties beyond it read with `who`'s rights, computed off the async
/// threads.
pub async fn openness(
    store: &Store,
    who: &Principal,
    cluster: &str,
    period: Option<&str>,
    groups: &[Grouping],
) -> Result<ClusterOpenness> {
    let view = crate::network::cluster_network(store, who, cluster, period).await?;
    let members: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
    let reach = store.cluster_reach(cluster, period, &members, who).await?;
    let groups = groups.to_vec();
    crate::blocking("the openness", move || openness_of(&view, &reach, &groups)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_store::{OrgNode, OutsideTie, PartnerOrg, TieEdge};

    /// Members a (enterprise, R1) and b (university, R2) tied; a tied to p
    /// (enterprise, R1, in cluster x) in two rows, b to a partner the
    /// caller may not read.
    fn case() -> (ClusterNetwork, ClusterReach) {
        let org = |id: &str, actor: &str, region: &str| OrgNode {
            id: id.into(),
            name: format!("Org {id}"),
            actor_type: actor.parse().unwrap(),
            region: Some(region.into()),
            industry: None,
            size: None,
        };
        let view = ClusterNetwork {
            cluster: "c".into(),
            period: None,
            organizations: vec![org("a", "enterprise", "R1"), org("b", "university", "R2")],
            ties: vec![TieEdge {
                source: "a".into(),
                target: "b".into(),
                kind: "contract".parse().unwrap(),
                weight: None,
                directed: false,
            }],
        };
        let out = |m: &str, partner: Partner| OutsideTie {
            member: m.into(),
            partner,
            weight: None,
        };
        let reach = ClusterReach {
            cluster: "c".into(),
            period: None,
            member_countries: [("a".into(), Some("CN".into())), ("b".into(), None)].into(),
            ties: vec![
                out("a", Partner::Disclosed("p".into())),
                out("a", Partner::Disclosed("p".into())),
                out("b", Partner::Undisclosed(0)),
            ],
            partners: vec![PartnerOrg {
                id: "p".into(),
                actor_type: "enterprise".parse().unwrap(),
                region: Some("R1".into()),
                country: Some("CN".into()),
                clusters: vec!["x".into()],
            }],
            undisclosed: 1,
        };
        (view, reach)
    }

    #[test]
    fn openness_of_a_hand_worked_case() {
        let (view, reach) = case();
        let o = openness_of(&view, &reach, &Grouping::ALL).unwrap();
        assert_eq!(
            (o.ties.internal, o.ties.external, o.ties.undisclosed),
            (1, 2, 1)
        );
        assert_eq!(
            (
                o.partners.total,
                o.partners.disclosed,
                o.partners.undisclosed
            ),
            (2, 1, 1)
        );
        // (2 − 1)/(2 + 1).
        assert!((o.ei_index.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        let by = |g: Grouping| o.by.iter().find(|b| b.attribute == g).unwrap();
        // a–b across types, a–p within, b–(undisclosed) unknown: E-I 0.
        let t = by(Grouping::ActorType);
        assert_eq!((t.internal, t.external, t.unknown), (1, 1, 1));
        assert_eq!(t.ei_index, Some(0.0));
        // Country: b has none, so only a–p counts (within).
        let c = by(Grouping::Country);
        assert_eq!((c.internal, c.external, c.unknown), (1, 0, 2));
        assert_eq!(c.ei_index, Some(-1.0));
        let k = by(Grouping::Cluster);
        assert_eq!((k.internal, k.external, k.unknown), (1, 2, 0));
        assert_eq!(
            k.partners,
            vec![PartnerGroup {
                value: Some("x".into()),
                ties: 1,
                partners: 1
            }]
        );
        // The undisclosed partner's stand-in never shows.
        let text = serde_json::to_string(&o).unwrap();
        assert!(!text.contains("undisclosed 0"), "{text}");
    }

    #[test]
    fn groupings_are_read_by_name() {
        assert_eq!(
            Grouping::list(Some("cluster, region,cluster")).unwrap(),
            vec![Grouping::Cluster, Grouping::Region]
        );
        assert_eq!(Grouping::list(None).unwrap(), Grouping::ALL.to_vec());
        assert!(matches!(
            Grouping::list(Some("size")),
            Err(ServiceError::Invalid(m)) if m.contains("'size'")
        ));
    }
}
