//! Cluster labels: a cluster's profile as the register has it in a period,
//! checked against a set of criteria (by default the European Cluster
//! Collaboration Platform's profile criteria,
//! [`weaver_evaluation::labels::ECCP_PROFILE`]).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use weaver_evaluation::labels::{CriteriaSet, Outcome};

use crate::error::{Result, ServiceError};

/// The member types of the ECCP's profile criteria (industry, research and
/// universities, public bodies, civil society), from the register's actor
/// types.
pub fn eccp_member_type(actor_type: &str) -> &'static str {
    match actor_type {
        "enterprise" | "finance" => "industry",
        "university" | "research" => "research",
        "government" => "public",
        _ => "civil_society",
    }
}

/// What the ECCP's criteria are checked on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    /// Members (memberships valid in the period).
    pub members: usize,
    /// The ECCP member types among them, sorted.
    pub member_types: Vec<&'static str>,
    /// Management staff in full-time equivalents.
    pub management_fte: Option<f64>,
    /// Whether the cluster has an English website.
    pub website_en: Option<bool>,
}

impl Profile {
    /// The profile of a cluster whose members (valid in the period) have
    /// `actor_types`.
    pub fn of<'a>(
        actor_types: impl IntoIterator<Item = &'a str>,
        management_fte: Option<f64>,
        website_en: Option<bool>,
    ) -> Profile {
        let mut members = 0;
        let mut types = BTreeSet::new();
        for t in actor_types {
            members += 1;
            types.insert(eccp_member_type(t));
        }
        Profile {
            members,
            member_types: types.into_iter().collect(),
            management_fte,
            website_en,
        }
    }

    /// The profile as the criteria read it (a boolean as 1 or 0; unknown
    /// fields absent).
    pub fn values(&self) -> HashMap<String, f64> {
        let mut p = HashMap::new();
        p.insert("members".to_owned(), self.members as f64);
        p.insert("member_types".to_owned(), self.member_types.len() as f64);
        if let Some(x) = self.management_fte {
            p.insert("management_fte".to_owned(), x);
        }
        if let Some(b) = self.website_en {
            p.insert("website_en".to_owned(), if b { 1.0 } else { 0.0 });
        }
        p
    }
}

/// An outcome's word: `pass`, `fail` or `unknown`.
pub fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Unknown => "unknown",
    }
}

/// One criterion's outcome.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriterionOutcome {
    /// The criterion's id.
    pub id: String,
    /// The profile field it reads.
    pub field: String,
    /// Its comparison.
    pub op: String,
    /// Its threshold.
    pub value: f64,
    /// The profile's value, when known.
    pub actual: Option<f64>,
    /// `pass`, `fail` or `unknown`.
    pub outcome: &'static str,
}

/// The criteria set's identity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ruleset {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// A profile checked against a criteria set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LabelCheck {
    /// The criteria set.
    pub ruleset: Ruleset,
    /// Each criterion's outcome, in the set's order.
    pub criteria: Vec<CriterionOutcome>,
    /// Overall: `pass`, `fail` or `unknown`.
    pub eligible: &'static str,
}

/// The ECCP profile criteria.
pub fn eccp_criteria() -> Result<CriteriaSet> {
    CriteriaSet::from_toml(weaver_evaluation::labels::ECCP_PROFILE)
        .map_err(|e| ServiceError::engine("read the ECCP criteria", e))
}

/// Checks `profile` (field → value) against `set`.
pub fn check(set: &CriteriaSet, profile: &HashMap<String, f64>) -> LabelCheck {
    let res = set.check(profile);
    LabelCheck {
        ruleset: Ruleset {
            id: set.ruleset.id.clone(),
            name: set.ruleset.name.clone(),
            version: set.ruleset.version.clone(),
        },
        criteria: set
            .criteria
            .iter()
            .zip(&res.outcomes)
            .map(|(c, (_, o))| CriterionOutcome {
                id: c.id.clone(),
                field: c.field.clone(),
                op: c.op.clone(),
                value: c.value,
                actual: profile.get(&c.field).copied(),
                outcome: outcome_word(*o),
            })
            .collect(),
        eligible: outcome_word(res.overall),
    }
}

/// The ECCP profile criteria checked on one cluster.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterLabels {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    #[schema(value_type = Option<String>)]
    pub period: Option<weaver_core::period::Period>,
    /// The profile checked.
    pub profile: Profile,
    /// The check.
    #[serde(flatten)]
    pub check: LabelCheck,
    /// How the profile is read from the register.
    pub note: &'static str,
}

/// How [`cluster_labels`] reads the profile.
pub const PROFILE_NOTE: &str = "members are the memberships valid in the period; member types map actor types to \
                 the ECCP's: enterprise and finance → industry, university and research → research, \
                 government → public, intermediary and user → civil society";

/// The ECCP profile criteria checked on `cluster`'s profile as `who` may
/// read it in `period` (the network's rule,
/// [`crate::network::network_access`]): members (memberships valid in the
/// period), member types (of those members), management FTE and the
/// English website (the cluster's row).
pub async fn cluster_labels(
    store: &weaver_store::Store,
    who: &weaver_store::Principal,
    cluster: &str,
    period: Option<&str>,
) -> Result<ClusterLabels> {
    let scope = crate::network::network_access(store, who, cluster, period).await?;
    let t = weaver_core::schema::table("clusters")
        .ok_or_else(|| ServiceError::NotFound("clusters".into()))?;
    let row = store
        .get(t, Some(who), &weaver_store::RowKey::Id(cluster.to_owned()))
        .await?
        .to_json(t);
    let view = store.cluster_network_in(cluster, period, scope).await?;
    let profile = Profile::of(
        view.organizations.iter().map(|o| o.actor_type.as_str()),
        row.get("management_fte")
            .and_then(serde_json::Value::as_f64),
        row.get("website_en").and_then(serde_json::Value::as_bool),
    );
    let set = eccp_criteria()?;
    let check = check(&set, &profile.values());
    Ok(ClusterLabels {
        cluster: cluster.to_owned(),
        period: view.period,
        profile,
        check,
        note: PROFILE_NOTE,
    })
}

/// One cluster's level by a level model.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LevelRow {
    /// The cluster.
    pub cluster: String,
    /// The level awarded (`None` when a score is missing or no level
    /// applies).
    pub level: Option<String>,
    /// Total score over total maximum.
    pub share: f64,
    /// Indicators below their threshold.
    pub below_threshold: Vec<String>,
    /// Indicators without a score.
    pub missing: Vec<String>,
    /// Last year of validity.
    pub valid_until: i32,
    /// The model's statement.
    pub note: String,
}

/// A level model assessed on the register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Levels {
    /// The period whose observations are the scores.
    pub period: String,
    /// The year of the assessment.
    pub year: i32,
    /// Each cluster the caller reads, by id.
    pub clusters: Vec<LevelRow>,
}

/// The ESCA-style level model shipped with Weaver.
pub fn esca_model() -> Result<weaver_evaluation::labels::LevelModel> {
    weaver_evaluation::labels::LevelModel::from_toml(weaver_evaluation::labels::ESCA_STYLE_MODEL)
        .map_err(|e| ServiceError::engine("read the ESCA-style level model", e))
}

/// `model` assessed in `year` on each cluster `who` reads, its scores the
/// observations `who` reads in `period` (the register's computed indicators
/// joined, [`crate::observations::observations_for`]) whose indicator ids
/// are the model's; with `cache`, the computed values are kept in the store.
pub async fn levels(
    store: &weaver_store::Store,
    who: Option<&weaver_store::Principal>,
    model: &weaver_evaluation::labels::LevelModel,
    period: &str,
    year: i32,
    cache: bool,
) -> Result<(Levels, crate::observations::ReadObservations)> {
    period.parse::<weaver_core::period::Period>()?;
    let clusters = store.readable_evaluation_facts(who).await?.clusters;
    if clusters.is_empty() {
        return Err(ServiceError::NotFound(
            "there are no clusters that you may see".into(),
        ));
    }
    let mut read =
        crate::observations::observations_for(store, who, Some(period), true, cache).await?;
    let mut by_unit: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for o in std::mem::take(&mut read.observations)
        .into_iter()
        .filter(|o| o.period == period)
    {
        by_unit
            .entry(o.unit)
            .or_default()
            .insert(o.indicator, o.value);
    }
    let empty = HashMap::new();
    let rows = clusters
        .into_iter()
        .map(|c| {
            let r = model.assess(by_unit.get(&c.id).unwrap_or(&empty), year);
            LevelRow {
                cluster: c.id,
                level: r.level,
                share: r.share,
                below_threshold: r.below_threshold,
                missing: r.missing,
                valid_until: r.valid_until_year,
                note: r.note,
            }
        })
        .collect();
    Ok((
        Levels {
            period: period.to_owned(),
            year,
            clusters: rows,
        },
        read,
    ))
}
