//! Monitoring campaigns: closing one (freezing its observations and
//! keeping, as computed then, each cluster's network analysis, its line of
//! the status board and its evaluation) as one operation in one
//! transaction of the store, with typed results.

use serde::Serialize;
use utoipa::ToSchema;
use weaver_evaluation::{IndexMethod, Observation};
use weaver_store::{Campaign, ClusterStatus, NetworkScope, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::ranking::RankingRequest;
use crate::structure::NetworkAnalysis;

/// A campaign's evaluation of one cluster as kept when it closes: the
/// composite index by the default method over the campaign's clusters and
/// indicators in its period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignEvaluation {
    /// The campaign's period.
    pub period: String,
    /// The method as recorded with the result.
    pub method: String,
    /// The campaign's indicators.
    pub indicators: Vec<String>,
    /// How many clusters were ranked together.
    pub clusters_compared: usize,
    /// The cluster's score.
    pub score: f64,
    /// Its rank (1 best; `None` when not ranked).
    pub rank: Option<usize>,
    /// Share of the indicators it has.
    pub coverage: f64,
}

/// A result kept when a campaign closes, about one cluster (stored as its
/// JSON; not itself an answer of the API).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FrozenResult {
    /// The cluster's network analysis in the period (kind `network`).
    Network(NetworkAnalysis),
    /// Its line of the status board (kind `status`).
    Status(ClusterStatus),
    /// Its evaluation (kind `evaluation`).
    Evaluation(CampaignEvaluation),
}

impl FrozenResult {
    /// The kind it is kept as.
    pub fn kind(&self) -> &'static str {
        match self {
            FrozenResult::Network(_) => "network",
            FrozenResult::Status(_) => "status",
            FrozenResult::Evaluation(_) => "evaluation",
        }
    }
}

/// A closed campaign and its status board when it closed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClosedCampaign {
    /// The campaign.
    pub campaign: Campaign,
    /// The status board, as the closer sees it.
    pub status: Vec<ClusterStatus>,
}

/// The principal the programme reads a campaign's results as: an officer
/// of exactly the campaign's clusters, so that private rows are left out.
fn programme_of(campaign: &Campaign) -> Principal {
    Principal {
        user_id: 0,
        email: format!("campaign {}", campaign.id),
        role: weaver_core::enums::Role::Officer,
        managed: Vec::new(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: campaign.clusters.clone(),
    }
}

/// The evaluation kept when a campaign closes, per cluster of the
/// campaign: the composite index by the default method over the campaign's
/// clusters and indicators in its period (the observations the close
/// freezes), so that it can be recomputed from the frozen values. Like the
/// network kept then, it is what the programme sees: private observations
/// are left out. Empty when there is no observation.
pub async fn evaluation(
    store: &Store,
    campaign: &Campaign,
) -> Result<Vec<(String, CampaignEvaluation)>> {
    let programme = programme_of(campaign);
    let observations: Vec<Observation> = store
        .readable_observations(Some(&programme), Some(&campaign.period))
        .await?
        .into_iter()
        .filter(|o| {
            campaign.clusters.contains(&o.cluster) && campaign.indicators.contains(&o.indicator)
        })
        .map(crate::observations::observation)
        .collect();
    if observations.is_empty() {
        return Ok(Vec::new());
    }
    let mut indicators =
        crate::observations::catalogue(store, crate::observations::CatalogueOf::Everything, false)
            .await?;
    indicators.retain(|i| campaign.indicators.contains(&i.id));
    let req = RankingRequest {
        period: campaign.period.clone(),
        method: IndexMethod::default(),
        method_name: "default".into(),
        runs: None,
        seed: 0,
        topsis: false,
        computed: false,
        max_work: None,
    };
    let input = crate::ranking::RankingInput {
        indicators,
        observations,
    };
    let r = crate::blocking("the campaign's evaluation", move || {
        crate::ranking::ranking_of(input, &req).map_err(|e| match e {
            ServiceError::Invalid(m) => {
                ServiceError::Invalid(format!("the campaign's evaluation: {m}"))
            }
            e => e,
        })
    })
    .await?;
    let compared = r.clusters.len();
    Ok(r.clusters
        .iter()
        .map(|row| {
            (
                row.cluster.clone(),
                CampaignEvaluation {
                    period: r.period.clone(),
                    method: r.method_record.clone(),
                    indicators: campaign.indicators.clone(),
                    clusters_compared: compared,
                    score: row.score,
                    rank: row.rank,
                    coverage: row.coverage,
                },
            )
        })
        .collect())
}

/// The results a campaign keeps when it closes, computed now: each
/// cluster's network analysis in the period (what the programme sees: no
/// private rows), each line of `who`'s status board, and the evaluation.
async fn results(
    store: &Store,
    who: &Principal,
    campaign: &Campaign,
) -> Result<(Vec<(String, FrozenResult)>, Vec<ClusterStatus>)> {
    let mut out = Vec::new();
    for cluster in &campaign.clusters {
        let view = store
            .cluster_network_in(cluster, Some(&campaign.period), NetworkScope::Shared)
            .await?;
        let name = cluster.clone();
        let analysis = crate::blocking("analyse the network", move || {
            crate::structure::analysis_of(&view).map_err(|e| match e {
                ServiceError::Invalid(m) => {
                    ServiceError::Invalid(format!("the network of {name}: {m}"))
                }
                e => e,
            })
        })
        .await?;
        out.push((cluster.clone(), FrozenResult::Network(analysis)));
    }
    let board = store.campaign_status(who, &campaign.id).await?;
    out.extend(
        board
            .iter()
            .map(|line| (line.cluster.clone(), FrozenResult::Status(line.clone()))),
    );
    out.extend(
        evaluation(store, campaign)
            .await?
            .into_iter()
            .map(|(c, e)| (c, FrozenResult::Evaluation(e))),
    );
    Ok((out, board))
}

/// `who` closes campaign `id`: in one transaction of the store the
/// campaign is closed (its observations frozen) and the results of
/// [`FrozenResult`] are computed and kept; nothing is kept if any fails.
/// Admins, and officers whose programmes fund every cluster it asks.
pub async fn close(store: &Store, who: &Principal, id: &str) -> Result<ClosedCampaign> {
    let (campaign, status) = store
        .close_campaign_with(who, id, |c| async move {
            let (results, board) = results(store, who, &c).await?;
            let rows = results
                .into_iter()
                .map(|(cluster, r)| {
                    let body = serde_json::to_string(&r)
                        .map_err(|e| ServiceError::engine("keep the campaign's results", e))?;
                    Ok((cluster, r.kind().to_owned(), body))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok::<_, ServiceError>((rows, board))
        })
        .await?;
    Ok(ClosedCampaign { campaign, status })
}
