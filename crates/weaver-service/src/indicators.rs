//! Indicators the register computes for each cluster and period (codes
//! `auto.*`), with the network engine on the register's memberships, ties,
//! projects and funding. They join the observations that the
//! `weaver evaluate … --from-register` commands read; an observation
//! entered by people for the same cluster, code and period wins over the
//! computed value.
//!
//! Definitions (members are the organizations with a membership valid in
//! the period, [`weaver_core::period::Period::holds`]; a cluster without members
//! in a period gets no computed value for it):
//!
//! | code | value |
//! |---|---|
//! | `auto.members` | number of members |
//! | `auto.members_<type>` | members of actor type `<type>` (government, enterprise, university, research, finance, intermediary, user), 0 included |
//! | `auto.density` | density of the members' collaboration network, 2m / (n(n − 1)) (NetworkX `density`): ties valid in the period between two members, undirected, several ties of one pair counted once; only with n ≥ 2 |
//! | `auto.cross_actor_share` | share of those ties between members of different actor types, E / (E + I); only with ties |
//! | `auto.ei_index` | Krackhardt–Stern E-I index by actor type, (E − I) / (E + I); only with ties |
//! | `auto.brokers` | members that broker between actor types: Gould–Fernandez brokerage by actor type (`weaver network brokerage`) with at least one itinerant, representative, gatekeeper or liaison role, i.e. total brokerage minus coordinator brokerage > 0; a member that only links two members of its own type is not counted |
//! | `auto.public_funding_share` | public (central_gov, local_gov, supranational) share of the funding whose recipient is the cluster or one of its projects, in the year of the period (a quarter or month takes its year's funding); only when that funding is > 0 |
//! | `auto.projects_per_member` | projects of the cluster (projects.cluster) running in the period, per member |
//!
//! # References
//! Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a
//! formal approach to brokerage in transaction networks. *Sociological
//! Methodology* 19, 89–126. Krackhardt, D., & Stern, R. N. (1988). Informal
//! networks and organizational crises: an experimental simulation. *Social
//! Psychology Quarterly* 51(2), 123–140.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use weaver_core::enums::ActorType;
use weaver_core::period::Period;
use weaver_evaluation::{Direction, Indicator, Observation};
use weaver_network::{self as net, BrokerageRole};
use weaver_store::EvaluationFacts;

use crate::error::ServiceError;

/// The prefix of every computed indicator code.
pub const PREFIX: &str = "auto.";

/// The dimension the computed indicators take when no catalogue or method
/// places them.
pub const DIMENSION: &str = "register";

/// Code, name and direction of every computed indicator, in output order.
pub fn definitions() -> Vec<(String, String, Direction)> {
    let mut out = vec![(
        "auto.members".to_owned(),
        "Members (computed from the register)".to_owned(),
        Direction::HigherBetter,
    )];
    for t in ActorType::NAMES {
        out.push((
            format!("auto.members_{t}"),
            format!("Members of actor type {t} (computed from the register)"),
            Direction::HigherBetter,
        ));
    }
    for (id, name, dir) in [
        (
            "auto.density",
            "Collaboration network density",
            Direction::HigherBetter,
        ),
        (
            "auto.cross_actor_share",
            "Share of ties between different actor types",
            Direction::HigherBetter,
        ),
        (
            "auto.ei_index",
            "E-I index of ties by actor type",
            Direction::HigherBetter,
        ),
        (
            "auto.brokers",
            "Members brokering between actor types (Gould-Fernandez)",
            Direction::HigherBetter,
        ),
        (
            "auto.public_funding_share",
            "Public share of funding; lower means more market-driven",
            Direction::LowerBetter,
        ),
        (
            "auto.projects_per_member",
            "Projects of the cluster per member",
            Direction::HigherBetter,
        ),
    ] {
        out.push((
            id.to_owned(),
            format!("{name} (computed from the register)"),
            dir,
        ));
    }
    out
}

/// An indicator of the register's catalogue as the evaluation engine's
/// (any direction other than `lower_better` is higher-better, as the
/// package's check allows no other).
pub fn engine_indicator(r: weaver_store::IndicatorRow) -> Indicator {
    let mut ind = Indicator::new(&r.id, r.direction);
    ind.name = r.name;
    ind.dimension = r.dimension;
    ind.weight = r.weight;
    ind
}

/// The computed indicators as catalogue entries, in dimension [`DIMENSION`].
pub fn catalogue() -> Vec<Indicator> {
    definitions()
        .into_iter()
        .map(|(id, name, dir)| {
            let mut i = Indicator::new(&id, dir);
            i.name = name;
            i.dimension = Some(DIMENSION.to_owned());
            i
        })
        .collect()
}

/// Every computed indicator of every cluster in each of `periods` (labels
/// `YYYY`, `YYYY-Qn` or `YYYY-MM`; others are skipped with a notice), sorted
/// by cluster, indicator and period.
pub fn compute(
    facts: &EvaluationFacts,
    periods: &[String],
) -> Result<(Vec<Observation>, Vec<String>), ServiceError> {
    let mut notices = Vec::new();
    let mut usable: Vec<(&str, Period)> = Vec::new();
    for p in periods {
        match p.parse::<Period>() {
            Ok(parsed) => usable.push((p, parsed)),
            Err(e) => notices.push(format!("{e}: no indicators computed for it")),
        }
    }
    let project_cluster: HashMap<&str, &str> = facts
        .projects
        .iter()
        .filter_map(|p| p.cluster.as_deref().map(|c| (p.id.as_str(), c)))
        .collect();
    let mut out = Vec::new();
    for cluster in &facts.clusters {
        let c = cluster.id.as_str();
        let memberships: Vec<_> = facts
            .memberships
            .iter()
            .filter(|m| m.cluster == c)
            .collect();
        let projects: Vec<_> = facts
            .projects
            .iter()
            .filter(|p| p.cluster.as_deref() == Some(c))
            .collect();
        let funding: Vec<_> = facts
            .funding
            .iter()
            .filter(|f| f.recipient == c || project_cluster.get(f.recipient.as_str()) == Some(&c))
            .collect();
        for &(period, parsed) in &usable {
            let year = i64::from(parsed.year());
            // Members valid in the period, with their actor type.
            let mut members: BTreeMap<&str, &str> = BTreeMap::new();
            for m in &memberships {
                if parsed.holds(m.since.as_deref(), m.until.as_deref()) {
                    members.insert(&m.org, m.actor_type.as_str());
                }
            }
            if members.is_empty() {
                continue;
            }
            let mut push = |indicator: String, value: f64| {
                out.push(Observation {
                    unit: c.to_owned(),
                    indicator,
                    period: period.to_owned(),
                    value,
                });
            };
            let n = members.len();
            push("auto.members".into(), n as f64);
            for t in ActorType::NAMES {
                let k = members.values().filter(|a| **a == *t).count();
                push(format!("auto.members_{t}"), k as f64);
            }
            // The members' network in the period.
            let nodes: Vec<String> = members.keys().map(|k| (*k).to_owned()).collect();
            let edges: Vec<net::EdgeRecord> = facts
                .ties
                .iter()
                .filter(|t| {
                    members.contains_key(t.source.as_str())
                        && members.contains_key(t.target.as_str())
                        && parsed.holds(t.start.as_deref(), t.end.as_deref())
                })
                .map(|t| net::EdgeRecord::new(t.source.clone(), t.target.clone(), 1.0))
                .collect();
            let (g, _) = net::Graph::from_edges(&nodes, &edges, net::GraphOptions::default())
                .map_err(|e| {
                    ServiceError::engine(format!("network of cluster {c} in {period}"), e)
                })?;
            // Actor types coded in the order of ActorType::NAMES.
            let groups: Vec<usize> = g
                .ids()
                .iter()
                .map(|id| {
                    let t = members[id.as_str()];
                    ActorType::NAMES
                        .iter()
                        .position(|x| *x == t)
                        .unwrap_or(ActorType::NAMES.len())
                })
                .collect();
            if n >= 2 {
                push("auto.density".into(), net::density(&g));
            }
            let coded: Vec<Option<usize>> = groups.iter().map(|&k| Some(k)).collect();
            let ei = net::ei_index(&g, &coded).map_err(|e| {
                ServiceError::engine(format!("E-I index of cluster {c} in {period}"), e)
            })?;
            if ei.external + ei.internal > 0 {
                push("auto.cross_actor_share".into(), ei.cross_share);
                push("auto.ei_index".into(), ei.index);
            }
            let b = net::brokerage(&g, &groups).map_err(|e| {
                ServiceError::engine(format!("brokerage of cluster {c} in {period}"), e)
            })?;
            // A broker between groups: some brokerage other than coordination.
            let brokers = b
                .raw
                .iter()
                .filter(|r| r[BrokerageRole::Total] - r[BrokerageRole::Coordinator] > 0.0)
                .count();
            push("auto.brokers".into(), brokers as f64);
            // Funding in the period's year.
            let (mut all, mut public_amount) = (0.0, 0.0);
            for f in funding.iter().filter(|f| f.year == year) {
                all += f.amount;
                if f.source_type.is_public() {
                    public_amount += f.amount;
                }
            }
            if all > 0.0 {
                push("auto.public_funding_share".into(), public_amount / all);
            }
            let running = projects
                .iter()
                .filter(|p| parsed.holds(p.start.as_deref(), p.end.as_deref()))
                .count();
            push("auto.projects_per_member".into(), running as f64 / n as f64);
        }
    }
    out.sort_by(|a, b| (&a.unit, &a.indicator, &a.period).cmp(&(&b.unit, &b.indicator, &b.period)));
    Ok((out, notices))
}

/// The computed observations joined to those entered by people: an entered
/// observation of the same unit, indicator and period wins. Returns the
/// joined list and how many computed values were overridden.
pub fn join(entered: Vec<Observation>, computed: Vec<Observation>) -> (Vec<Observation>, usize) {
    let have: BTreeSet<(String, String, String)> = entered
        .iter()
        .map(|o| (o.unit.clone(), o.indicator.clone(), o.period.clone()))
        .collect();
    let mut out = entered;
    let mut overridden = 0;
    for o in computed {
        if have.contains(&(o.unit.clone(), o.indicator.clone(), o.period.clone())) {
            overridden += 1;
        } else {
            out.push(o);
        }
    }
    (out, overridden)
}

/// The register's lifecycle signals: a signal without an entered
/// observation takes the value the register computes for it (`members`,
/// `density`, `cross_actor_share`, `public_funding_share` from `auto.*`);
/// the other computed indicators are left out.
pub fn lifecycle_signals(observations: Vec<Observation>) -> Vec<Observation> {
    use std::collections::HashSet;
    let prefix = PREFIX;
    let entered: HashSet<(String, String, String)> = observations
        .iter()
        .filter(|o| !o.indicator.starts_with(prefix))
        .map(|o| (o.unit.clone(), o.indicator.clone(), o.period.clone()))
        .collect();
    observations
        .into_iter()
        .filter_map(|mut o| {
            let Some(signal) = o.indicator.strip_prefix(prefix) else {
                return Some(o);
            };
            if !weaver_evaluation::lifecycle::SIGNALS.contains(&signal)
                || entered.contains(&(o.unit.clone(), signal.to_owned(), o.period.clone()))
            {
                return None;
            }
            o.indicator = signal.to_owned();
            Some(o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_store::{ClusterFacts, DatedTieFact, FundingFact, MembershipFact, ProjectFact};

    fn some(s: &str) -> Option<String> {
        (!s.is_empty()).then(|| s.to_owned())
    }

    /// The small register worked by hand in `hand_worked_register`.
    pub(crate) fn small_register() -> EvaluationFacts {
        let member = |org: &str, t: &str, since: &str, until: &str| MembershipFact {
            cluster: "c1".into(),
            org: org.into(),
            actor_type: t.parse().unwrap(),
            since: some(since),
            until: some(until),
        };
        let tie = |s: &str, t: &str, kind: &str, start: &str, end: &str| DatedTieFact {
            source: s.into(),
            target: t.into(),
            kind: kind.parse().unwrap(),
            start: some(start),
            end: some(end),
        };
        let project = |id: &str, c: &str, start: &str, end: &str| ProjectFact {
            id: id.into(),
            cluster: some(c),
            start: some(start),
            end: some(end),
        };
        let fund = |r: &str, s: &str, amount: f64, year: i64| FundingFact {
            recipient: r.into(),
            source_type: s.parse().unwrap(),
            amount,
            year,
        };
        EvaluationFacts {
            clusters: ["c1", "c2"]
                .iter()
                .map(|id| ClusterFacts {
                    id: (*id).into(),
                    management_fte: None,
                    website_en: None,
                })
                .collect(),
            memberships: vec![
                member("o1", "enterprise", "2015", ""),
                member("o2", "enterprise", "2015-03-01", ""),
                member("o3", "university", "2016", ""),
                member("o4", "research", "2021", ""),
                member("o5", "government", "2015", "2019-06-30"),
                member("o6", "enterprise", "2020", ""),
            ],
            ties: vec![
                tie("o1", "o2", "contract", "2016", ""),
                tie("o2", "o3", "co_patent", "2017", ""),
                tie("o3", "o2", "co_publication", "2019", ""),
                tie("o3", "o4", "contract", "2021", ""),
                tie("o1", "o5", "supply", "2015", "2019"),
                tie("o1", "o4", "contract", "2015", "2020"),
                tie("o1", "o6", "supply", "2020", ""),
                tie("o2", "o9", "supply", "2015", ""),
            ],
            projects: vec![
                project("p1", "c1", "2021", "2023"),
                project("p2", "c2", "2021", ""),
                project("p3", "c1", "2023", "2024"),
                project("p4", "c1", "", ""),
            ],
            funding: vec![
                fund("c1", "central_gov", 60.0, 2022),
                fund("p1", "private", 20.0, 2022),
                fund("p2", "local_gov", 1000.0, 2022),
                fund("c1", "bank", 50.0, 2021),
                fund("c1", "local_gov", 30.0, 2018),
                fund("p4", "supranational", 10.0, 2018),
            ],
            ..EvaluationFacts::default()
        }
    }

    fn value(obs: &[Observation], ind: &str, period: &str) -> Option<f64> {
        obs.iter()
            .find(|o| o.unit == "c1" && o.indicator == ind && o.period == period)
            .map(|o| o.value)
    }

    #[test]
    fn hand_worked_register() {
        let periods = vec!["2018".to_owned(), "2022".to_owned(), "late".to_owned()];
        let (obs, notices) = compute(&small_register(), &periods).unwrap();
        assert_eq!(notices.len(), 1, "{notices:?}");
        // c2 has no members: nothing computed.
        assert!(obs.iter().all(|o| o.unit == "c1"));
        let v = |i: &str, p: &str| value(&obs, i, p);
        // 2022: members o1, o2, o6 (enterprise), o3 (university), o4
        // (research); o5 left in 2019.
        assert_eq!(v("auto.members", "2022"), Some(5.0));
        assert_eq!(v("auto.members_enterprise", "2022"), Some(3.0));
        assert_eq!(v("auto.members_university", "2022"), Some(1.0));
        assert_eq!(v("auto.members_research", "2022"), Some(1.0));
        assert_eq!(v("auto.members_government", "2022"), Some(0.0));
        // Ties among them valid in 2022: o1-o2, o2-o3 (two kinds, once),
        // o3-o4, o1-o6; o1-o4 ended in 2020, o1-o5 and o2-o9 leave the
        // members. m = 4, n = 5: density 2·4 / (5·4) = 0.4.
        assert_eq!(v("auto.density", "2022"), Some(0.4));
        // Between types: o2-o3 (E-U), o3-o4 (U-R); within: o1-o2, o1-o6.
        assert_eq!(v("auto.cross_actor_share", "2022"), Some(0.5));
        assert_eq!(v("auto.ei_index", "2022"), Some(0.0));
        // Open two-paths: o2 between o1 and o3 (E-E-U), o3 between o2 and
        // o4 (E-U-R), o1 between o2 and o6 (E-E-E, coordinator only: not a
        // broker between types). Brokers: o2, o3.
        assert_eq!(v("auto.brokers", "2022"), Some(2.0));
        // Funding of c1 and its projects in 2022: 60 public of 80
        // (p2 belongs to c2; 2021's bank loan is another year).
        assert_eq!(v("auto.public_funding_share", "2022"), Some(0.75));
        // Projects of c1 running in 2022: p1, p4 (undated); p3 starts in
        // 2023. 2 / 5.
        assert_eq!(v("auto.projects_per_member", "2022"), Some(0.4));

        // 2018: o1, o2 (E), o3 (U), o5 (G); o6 and o4 not yet members.
        assert_eq!(v("auto.members", "2018"), Some(4.0));
        assert_eq!(v("auto.members_government", "2018"), Some(1.0));
        // Ties: o1-o2, o2-o3, o1-o5: density 2·3 / (4·3) = 0.5.
        assert_eq!(v("auto.density", "2018"), Some(0.5));
        // Between types: o2-o3, o1-o5; within: o1-o2. E = 2, I = 1.
        assert_eq!(v("auto.cross_actor_share", "2018"), Some(2.0 / 3.0));
        assert_eq!(v("auto.ei_index", "2018"), Some(1.0 / 3.0));
        // o1 between o2 and o5 (E-E-G), o2 between o1 and o3 (E-E-U).
        assert_eq!(v("auto.brokers", "2018"), Some(2.0));
        // 30 local and 10 supranational, all public.
        assert_eq!(v("auto.public_funding_share", "2018"), Some(1.0));
        // Only the undated p4 runs in 2018: 1 / 4.
        assert_eq!(v("auto.projects_per_member", "2018"), Some(0.25));
        // The unusable period label gets nothing.
        assert!(obs.iter().all(|o| o.period != "late"));
    }

    #[test]
    fn lone_member_has_no_density_and_no_tie_shares() {
        let mut f = small_register();
        f.memberships.retain(|m| m.org == "o1");
        f.funding.clear();
        let (obs, _) = compute(&f, &["2022".to_owned()]).unwrap();
        let v = |i: &str| value(&obs, i, "2022");
        assert_eq!(v("auto.members"), Some(1.0));
        assert_eq!(v("auto.density"), None);
        assert_eq!(v("auto.cross_actor_share"), None);
        assert_eq!(v("auto.ei_index"), None);
        assert_eq!(v("auto.brokers"), Some(0.0));
        assert_eq!(v("auto.public_funding_share"), None);
        assert_eq!(v("auto.projects_per_member"), Some(2.0));
    }

    #[test]
    fn entered_observations_win() {
        let o = |i: &str, v: f64| Observation {
            unit: "c1".into(),
            indicator: i.into(),
            period: "2022".into(),
            value: v,
        };
        let (joined, overridden) = join(
            vec![o("auto.density", 0.9)],
            vec![o("auto.density", 0.4), o("auto.members", 5.0)],
        );
        assert_eq!(overridden, 1);
        assert_eq!(joined, vec![o("auto.density", 0.9), o("auto.members", 5.0)]);
    }

    #[test]
    fn catalogue_codes_are_stable_and_unique() {
        let ids: Vec<String> = catalogue().into_iter().map(|i| i.id).collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(ids.len(), 1 + ActorType::NAMES.len() + 6);
        assert!(ids.iter().all(|i| i.starts_with(PREFIX)));
    }
}
