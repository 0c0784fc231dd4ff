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
    pub campaign: weaver_store::Campaign,
    /// Its status board: one line per cluster, as the caller sees it.
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

// ------------------------------------------------- accounts, tokens, tables

/// An account as the API shows it; with the caller's assignments where the
/// answer is about the caller (`/auth/login`, `/auth/me`).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAnswer {
    /// The account.
    #[serde(flatten)]
    pub user: weaver_store::User,
    /// The clusters it manages (the caller's own account only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<String>>,
    /// The programmes it follows (the caller's own account only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programmes: Option<Vec<String>>,
    /// The organizations it belongs to (the caller's own account only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<String>>,
    /// The clusters whose rows it reads, as far as it may read their own
    /// row (the caller's own account only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readable_clusters: Option<Vec<String>>,
}

/// `POST /auth/login`: who signed in and the CSRF token of the session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// The account, with its assignments.
    pub user: UserAnswer,
    /// The token every write of the session carries as `X-CSRF-Token`.
    pub csrf_token: String,
}

/// `GET /auth/me`: who the caller is, and for a session its CSRF token.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeAnswer {
    /// The account, with its assignments.
    pub user: UserAnswer,
    /// The session's CSRF token (absent for an API token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// One assignment of an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentAnswer {
    /// `cluster`, `programme` or `organization`.
    pub kind: String,
    /// The id assigned.
    #[serde(rename = "ref")]
    pub reference: String,
}

/// One API token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Its id (to revoke it).
    pub id: i64,
    /// Its name (what it is for).
    pub name: String,
    /// When it was made.
    pub created_at: String,
    /// When it was last used (to the minute), if ever.
    pub last_used: Option<String>,
}

/// An account's personal data: the account, its assignments, its tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    /// The account.
    pub user: UserAnswer,
    /// What it is assigned to.
    pub assignments: Vec<AssignmentAnswer>,
    /// Its API tokens (without their secrets).
    pub api_tokens: Vec<TokenInfo>,
}

/// `GET /auth/tokens`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokensAnswer {
    /// The caller's API tokens (without their secrets).
    pub api_tokens: Vec<TokenInfo>,
}

/// `GET /users`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsersAnswer {
    /// Every account, with its assignments.
    pub users: Vec<ListedUser>,
}

/// An account as `GET /users` lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedUser {
    /// The account.
    #[serde(flatten)]
    pub account: UserAnswer,
    /// Its assignments (clusters, programmes, organizations), by kind and id.
    pub assignments: Vec<AssignmentAnswer>,
}

/// `POST /users`: the new account; without a password, the invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The account.
    pub user: UserAnswer,
    /// The invitation's token (an account made without a password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
    /// What the invitation is and how it is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /users/{id}/reset`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAnswer {
    /// The reset link's token (also sent to the account's e-mail).
    pub reset_token: String,
}

/// A column of a register table.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnInfo {
    /// Its name.
    pub name: String,
    /// Whether a row must have a value in it.
    pub required: bool,
    /// What values it takes.
    #[serde(rename = "type")]
    pub ty: String,
}

/// A register table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableInfo {
    /// Its name (its `/api/v1/{table}` route).
    pub name: String,
    /// The columns of its key.
    pub key: Vec<String>,
    /// Whether its rows are named by a `row_id` (a natural key) rather
    /// than an id.
    pub row_id: bool,
    /// The visibility of a row written without one.
    pub default_visibility: String,
    /// Its columns, in order.
    pub columns: Vec<ColumnInfo>,
}

/// `GET /tables`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TablesAnswer {
    /// The register's tables, in import order.
    pub tables: Vec<TableInfo>,
}

// ------------------------------------------------- packages, audit, jobs

/// `POST /packages`: what the import did (or, for a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportAnswer {
    /// The package's name.
    pub package: String,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// One entry per table of the package, in import order.
    pub tables: Vec<weaver_store::TableReport>,
    /// What the package check noticed.
    pub notices: Vec<String>,
    /// What the import accepted but flags (e.g. a board seat held by an
    /// organization that is no member of the cluster).
    pub warnings: Vec<String>,
}

/// `GET /audit`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditAnswer {
    /// The entries, newest first.
    pub entries: Vec<weaver_store::AuditEntry>,
}

/// `POST /audit/{id}/undo`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndoAnswer {
    /// The entry undone.
    pub undone: i64,
    /// The entry that records the undo.
    pub entry: i64,
}

/// `DELETE /{table}/{key}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedAnswer {
    /// Always `true`.
    pub deleted: bool,
    /// The audit entry of the deletion (an admin can undo it).
    pub audit_entry: i64,
    /// How to undo it.
    pub note: String,
}

/// A background job: its state, and its result once done.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobAnswer {
    /// The job.
    #[serde(flatten)]
    pub job: weaver_store::Job,
    /// Where to ask for it again.
    pub url: String,
    /// The result once done (for path metrics: `ExactPathMetrics`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
}

// ------------------------------------------------- campaigns

/// `GET /campaigns`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignsAnswer {
    /// The campaigns the caller takes part in.
    pub campaigns: Vec<weaver_store::Campaign>,
}

/// `GET /campaigns/{id}/ties`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TiesAnswer {
    /// The ties the caller's organization is asked to confirm.
    pub ties: Vec<weaver_store::TieToConfirm>,
}
