//! The shapes of the answers the server builds around a service answer, so
//! that the OpenAPI document names them ([`utoipa::ToSchema`]): the cache's
//! two fields ([`Cached`]) and the few answers that add the request's
//! settings to what the service returns. The handlers serialise these very
//! types, so the document cannot say something else than the answer.

use serde::Serialize;
use utoipa::ToSchema;

/// A service answer as the result cache gives it: the answer's own fields
/// and two more (`crate::analyses::to_cache` / `from_cache` add them).
/// Used only to describe the answers in the OpenAPI document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cached<T> {
    /// The answer's own fields.
    #[serde(flatten)]
    pub answer: T,
    /// When the answer was computed (RFC 3339, UTC).
    pub computed_at: String,
    /// Whether the answer comes from the cache (computed at an earlier
    /// request, at the same version of the register).
    pub cached: bool,
}

/// `GET /clusters/{id}/compare`: the comparison and the question asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonAnswer {
    /// The comparison of the two networks.
    #[serde(flatten)]
    pub comparison: weaver_service::network::NetworkComparison,
    /// The cluster.
    pub cluster: String,
    /// The first period.
    pub before: String,
    /// The second period.
    pub after: String,
    /// Directed ties read undirected (the comparison, PageRank included,
    /// reads every tie undirected); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `GET /evaluation/trends`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendsAnswer {
    /// One row per cluster and indicator.
    pub trends: Vec<weaver_service::ranking::TrendRow>,
}

/// `GET /evaluation/checks`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecksAnswer {
    /// The period asked for, if any.
    pub period: Option<String>,
    /// One row per indicator of the method.
    pub checks: Vec<weaver_service::ranking::CheckRow>,
}

/// `GET /evaluation/sensitivity`: the analysis and its settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SensitivityAnswer {
    /// The analysis.
    #[serde(flatten)]
    pub sensitivity: weaver_service::ranking::Sensitivity,
    /// The period.
    pub period: String,
    /// The Monte Carlo runs asked for.
    pub runs: usize,
    /// The seed of the runs.
    pub seed: u64,
}

/// A computed (`auto.*`) indicator's definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComputedDefinition {
    /// Its code.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `higher_better` or `lower_better`.
    pub direction: String,
}

/// `GET /evaluation/computed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComputedAnswer {
    /// The period asked for, if any.
    pub period: Option<String>,
    /// The indicators the register computes.
    pub definitions: Vec<ComputedDefinition>,
    /// What the reading of the observations noticed.
    pub notices: Vec<String>,
    /// The values, with their origin.
    pub values: Vec<weaver_service::observations::ComputedValue>,
}

/// `GET /evaluation/levels`: the levels, the model's note and the notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelsAnswer {
    /// The levels.
    #[serde(flatten)]
    pub levels: weaver_service::labels::Levels,
    /// What the model is (and is not).
    pub model: String,
    /// What the reading of the observations noticed.
    pub notices: Vec<String>,
}

/// `GET /evaluation/public-share`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSharesAnswer {
    /// The period asked for, if any.
    pub period: Option<String>,
    /// One row per cluster and year.
    pub shares: Vec<weaver_service::policy::PublicShare>,
}

/// `GET /evaluation/benchmark`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenchmarkAnswer {
    /// The period asked for, if any.
    pub period: Option<String>,
    /// The method's name.
    pub method: String,
    /// One row per cluster.
    pub benchmark: Vec<weaver_service::ranking::BenchmarkRow>,
}

/// `GET /campaigns/{id}`: the campaign and its status board.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignBoard {
    /// The campaign.
    #[schema(value_type = Object)]
    pub campaign: weaver_store::Campaign,
    /// Its status board: one line per cluster, as the caller sees it.
    #[schema(value_type = Vec<Object>)]
    pub status: Vec<weaver_store::ClusterStatus>,
}

/// What a submission of observations did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    /// Observations added.
    pub added: usize,
    /// Observations whose value changed.
    pub changed: usize,
}

/// One result kept when a campaign closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeptResult {
    /// The cluster.
    pub cluster: String,
    /// `network`, `status` or `evaluation`.
    pub kind: String,
    /// When it was computed (when the campaign closed).
    pub computed_at: String,
    /// The result as kept: the network analysis, the status line or the
    /// evaluation.
    #[schema(value_type = Object)]
    pub result: serde_json::Value,
}

/// `GET /campaigns/{id}/results`.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeptResults {
    /// The results, one per cluster and kind.
    pub results: Vec<KeptResult>,
}

/// `POST /auth/tokens`: the new API token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// Its id (to revoke it).
    pub id: i64,
    /// Its name (what it is for).
    pub name: String,
    /// The token itself (`wvr_…`): send it as `Authorization: Bearer`.
    pub token: String,
    /// That it is shown only once.
    pub note: String,
}
