//! Policy questions: the effect of a programme on an indicator of the
//! clusters it funds (difference in differences), and the public share of
//! each cluster's funding.

use std::collections::BTreeMap;

use serde::Serialize;
use weaver_evaluation::Observation;
use weaver_evaluation::policy::{self, DidObservation};
use weaver_store::{EvaluationFacts, Principal, Store};

use crate::error::{Result, ServiceError};

/// What [`policy_effect`] estimates.
#[derive(Debug, Clone, Default)]
pub struct PolicyParams {
    /// The outcome indicator.
    pub indicator: String,
    /// The programme whose clusters are the funded ones
    /// (`programme_clusters`); its start year is the default start.
    pub programme: Option<String>,
    /// The funded clusters, when no programme is given.
    pub treated: Vec<String>,
    /// The first period of the programme (periods compare as text: 2021,
    /// 2021-Q3).
    pub start: Option<String>,
    /// Whether the register's computed indicators (`auto.*`) may be the
    /// outcome.
    pub computed: bool,
}

/// A difference-in-differences estimate.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PolicyEffect {
    /// The outcome indicator.
    pub indicator: String,
    /// The programme, when the funded clusters are its clusters.
    pub programme: Option<String>,
    /// The first period counted as after.
    pub start: String,
    /// The funded clusters.
    pub treated: Vec<String>,
    /// The estimate: the funded clusters' change minus the others'.
    pub estimate: f64,
    /// Its standard error, clustered by unit.
    pub std_error: f64,
    /// estimate ÷ std_error.
    pub t: f64,
    /// Observations used.
    pub n: usize,
    /// Units (clusters) observed.
    pub clusters: usize,
}

/// The clusters `facts` lists for programme `id` and the programme's start
/// year; `NotFound` when `facts` has no such programme or it has no
/// cluster.
pub fn programme_clusters(
    facts: &EvaluationFacts,
    id: &str,
) -> Result<(Vec<String>, Option<String>)> {
    let Some(p) = facts.programmes.iter().find(|p| p.id == id) else {
        let known: Vec<&str> = facts.programmes.iter().map(|p| p.id.as_str()).collect();
        return Err(ServiceError::NotFound(format!(
            "programme '{id}' is not in the register (programmes: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    let funded: Vec<String> = facts
        .programme_clusters
        .iter()
        .filter(|pc| pc.programme == id)
        .map(|pc| pc.cluster.clone())
        .collect();
    if funded.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "programme '{id}': the register lists no cluster for it (programme_clusters)"
        )));
    }
    Ok((
        funded,
        p.start.as_ref().map(|s| s[..4.min(s.len())].to_owned()),
    ))
}

/// The difference in differences of `indicator` between the `funded` units
/// and the others, before and from `start`
/// ([`weaver_evaluation::policy::difference_in_differences`], standard
/// errors clustered by unit); `NotFound` when `observations` have no value
/// of the indicator.
pub fn difference_in_differences(
    observations: &[Observation],
    indicator: &str,
    funded: &[String],
    start: &str,
) -> Result<PolicyEffect> {
    let did_obs: Vec<DidObservation> = observations
        .iter()
        .filter(|o| o.indicator == indicator)
        .map(|o| DidObservation {
            unit: o.unit.clone(),
            treated: funded.contains(&o.unit),
            post: o.period.as_str() >= start,
            value: o.value,
        })
        .collect();
    if did_obs.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "no observations of indicator `{indicator}`"
        )));
    }
    let r = policy::difference_in_differences(&did_obs).map_err(|e| {
        ServiceError::Invalid(format!("difference-in-differences of `{indicator}`: {e}"))
    })?;
    Ok(PolicyEffect {
        indicator: indicator.to_owned(),
        programme: None,
        start: start.to_owned(),
        treated: funded.to_vec(),
        estimate: r.estimate,
        std_error: r.std_error,
        t: r.t,
        n: r.n,
        clusters: r.clusters,
    })
}

/// The funded clusters and the start of `params` read from `facts`: the
/// programme's clusters and start, or the given ones.
pub fn treatment(facts: &EvaluationFacts, params: &PolicyParams) -> Result<(Vec<String>, String)> {
    let (funded, programme_start) = match &params.programme {
        Some(id) => programme_clusters(facts, id)?,
        None if params.treated.is_empty() => {
            return Err(ServiceError::invalid(
                "give the funded clusters or a programme",
            ));
        }
        None => (params.treated.clone(), None),
    };
    let Some(start) = params.start.clone().or(programme_start) else {
        return Err(ServiceError::Invalid(match &params.programme {
            Some(id) => format!(
                "programme '{id}' has no start date in the register: give the first period of the programme (start)"
            ),
            None => "give the first period of the programme (start)".to_owned(),
        }));
    };
    Ok((funded, start))
}

/// The effect of a programme (or of funding the given clusters) on an
/// indicator, estimated by difference in differences over the observations
/// `who` may read (with the computed indicators when `params.computed`),
/// the programme and its clusters as `who` may read them; `cache` lets the
/// computed indicators be kept in the store.
pub async fn policy_effect(
    store: &Store,
    who: Option<&Principal>,
    params: &PolicyParams,
    cache: bool,
) -> Result<PolicyEffect> {
    if params.indicator.trim().is_empty() {
        return Err(ServiceError::invalid("give the outcome indicator"));
    }
    if let Some(s) = &params.start {
        s.parse::<weaver_core::period::Period>()?;
    }
    let facts = store.readable_evaluation_facts(who).await?;
    let (mut funded, start) = treatment(&facts, params)?;
    // Only the clusters `who` reads: the answer names them.
    funded.retain(|c| facts.clusters.iter().any(|k| k.id == *c));
    if funded.is_empty() {
        return Err(ServiceError::NotFound(
            "none of the funded clusters is one that you may see".into(),
        ));
    }
    let read =
        crate::observations::observations_for(store, who, None, params.computed, cache).await?;
    if read.observations.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no observations that you may see".into(),
        ));
    }
    let mut effect =
        difference_in_differences(&read.observations, &params.indicator, &funded, &start)?;
    effect.programme = params.programme.clone();
    Ok(effect)
}

/// The public share of one cluster's funding in one year.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PublicShare {
    /// The cluster.
    pub cluster: String,
    /// The year.
    pub year: i64,
    /// Public ÷ all funding of the cluster and its projects.
    pub public_share: f64,
}

/// The public share of the funding of each cluster (its own and its
/// projects') per year in `facts` ([`weaver_evaluation::policy::public_share`]),
/// only `year` when given, by cluster and year.
pub fn public_shares(facts: &EvaluationFacts, year: Option<i64>) -> Vec<PublicShare> {
    let project_cluster: std::collections::HashMap<&str, &str> = facts
        .projects
        .iter()
        .filter_map(|p| p.cluster.as_deref().map(|c| (p.id.as_str(), c)))
        .collect();
    let mut by_key: BTreeMap<(&str, i64), Vec<(&str, f64)>> = BTreeMap::new();
    for f in &facts.funding {
        if year.is_some_and(|y| y != f.year) {
            continue;
        }
        let cluster = if facts.clusters.iter().any(|c| c.id == f.recipient) {
            Some(f.recipient.as_str())
        } else {
            project_cluster.get(f.recipient.as_str()).copied()
        };
        if let Some(c) = cluster {
            by_key
                .entry((c, f.year))
                .or_default()
                .push((f.source_type.as_str(), f.amount));
        }
    }
    by_key
        .into_iter()
        .map(|((c, y), rows)| PublicShare {
            cluster: c.to_owned(),
            year: y,
            public_share: policy::public_share(&rows),
        })
        .collect()
}

/// The public shares of the funding `who` may read ([`public_shares`]),
/// of the year of `period` when given; `NotFound` when `who` reads no
/// funding.
pub async fn readable_public_shares(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
) -> Result<Vec<PublicShare>> {
    let year = match period {
        Some(p) => Some(year_of(p)?),
        None => None,
    };
    let facts = store.readable_evaluation_facts(who).await?;
    if facts.funding.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no funding that you may see".into(),
        ));
    }
    Ok(public_shares(&facts, year))
}

/// The year of a period (`2024`, `2024-Q3`, `2024-07`).
pub fn year_of(period: &str) -> Result<i64> {
    Ok(i64::from(
        period.parse::<weaver_core::period::Period>()?.year(),
    ))
}

#[cfg(test)]
mod tests {
    use weaver_store::{
        ClusterFacts, FundingFact, ProgrammeClusterFact, ProgrammeFact, ProjectFact,
    };

    use super::*;

    fn obs(unit: &str, period: &str, value: f64) -> Observation {
        Observation {
            unit: unit.to_owned(),
            indicator: "x".to_owned(),
            period: period.to_owned(),
            value,
        }
    }

    fn facts() -> EvaluationFacts {
        let cluster = |id: &str| ClusterFacts {
            id: id.to_owned(),
            management_fte: None,
            website_en: None,
        };
        let fund = |recipient: &str, source_type: &str, amount: f64, year: i64| FundingFact {
            recipient: recipient.to_owned(),
            source_type: source_type.parse().unwrap(),
            amount,
            year,
        };
        EvaluationFacts {
            clusters: vec![cluster("c1"), cluster("c2")],
            projects: vec![ProjectFact {
                id: "p1".to_owned(),
                cluster: Some("c1".to_owned()),
                start: None,
                end: None,
            }],
            funding: vec![
                fund("c1", "local_gov", 30.0, 2022),
                fund("p1", "private", 10.0, 2022),
                fund("c2", "bank", 5.0, 2021),
                fund("elsewhere", "local_gov", 99.0, 2022),
            ],
            programmes: vec![
                ProgrammeFact {
                    id: "prog1".to_owned(),
                    start: Some("2020-01-01".to_owned()),
                },
                ProgrammeFact {
                    id: "empty".to_owned(),
                    start: None,
                },
            ],
            programme_clusters: vec![ProgrammeClusterFact {
                programme: "prog1".to_owned(),
                cluster: "c1".to_owned(),
                since: None,
            }],
            ..EvaluationFacts::default()
        }
    }

    #[test]
    fn the_effect_is_the_funded_change_minus_the_others() {
        // c1 1.25 → 4.25, c2 1.1 → 2.2: 3 − 1.1 = 1.9 (as worked by hand
        // in the CLI's tests).
        let o = [
            obs("c1", "2017", 1.0),
            obs("c1", "2018", 1.5),
            obs("c1", "2022", 4.0),
            obs("c1", "2023", 4.5),
            obs("c2", "2017", 1.0),
            obs("c2", "2018", 1.2),
            obs("c2", "2022", 2.0),
            obs("c2", "2023", 2.4),
        ];
        let (funded, start) = treatment(
            &facts(),
            &PolicyParams {
                indicator: "x".to_owned(),
                programme: Some("prog1".to_owned()),
                ..PolicyParams::default()
            },
        )
        .unwrap();
        assert_eq!(
            (funded.as_slice(), start.as_str()),
            (&["c1".to_owned()][..], "2020")
        );
        let e = difference_in_differences(&o, "x", &funded, &start).unwrap();
        assert!((e.estimate - 1.9).abs() < 1e-12, "{e:?}");
        assert_eq!((e.n, e.clusters), (8, 2));
        assert!(matches!(
            difference_in_differences(&o, "y", &funded, &start),
            Err(ServiceError::NotFound(_))
        ));
    }

    #[test]
    fn a_programme_must_exist_list_clusters_and_have_a_start() {
        let f = facts();
        let with = |programme: &str, start: Option<&str>| PolicyParams {
            indicator: "x".to_owned(),
            programme: Some(programme.to_owned()),
            start: start.map(str::to_owned),
            ..PolicyParams::default()
        };
        let e = treatment(&f, &with("nope", None)).unwrap_err().to_string();
        assert!(e.contains("'nope'") && e.contains("prog1, empty"), "{e}");
        assert!(matches!(
            treatment(&f, &with("empty", Some("2021"))),
            Err(ServiceError::NotFound(_))
        ));
        let none = PolicyParams {
            indicator: "x".to_owned(),
            treated: vec!["c2".to_owned()],
            ..PolicyParams::default()
        };
        assert!(matches!(
            treatment(&f, &none),
            Err(ServiceError::Invalid(_))
        ));
    }

    #[test]
    fn public_shares_count_a_clusters_projects_and_only_clusters() {
        let all = public_shares(&facts(), None);
        let got: Vec<(&str, i64, f64)> = all
            .iter()
            .map(|s| (s.cluster.as_str(), s.year, s.public_share))
            .collect();
        assert_eq!(got, [("c1", 2022, 0.75), ("c2", 2021, 0.0)]);
        assert_eq!(public_shares(&facts(), Some(2021)).len(), 1);
        assert_eq!(year_of("2022-Q3").unwrap(), 2022);
        assert!(year_of("22").is_err());
    }
}
