//! What the analysis routes (`routes/clusters.rs`, `routes/evaluation.rs`,
//! `routes/mapping.rs`) share: the API's limits on runs and work, the
//! result cache at the register's version ([`from_cache`], [`to_cache`]:
//! results that cost to compute are kept in the database, keyed by analysis,
//! cluster or reader, and period), and running a computation off the async
//! threads ([`answer`]). The questions themselves are
//! answered by `weaver-service`.
//!
//! A cluster's analyses follow the network's rule
//! ([`crate::engines::network_access`]): managers and admins get them from
//! every row, the cluster's other readers from the rows that are not
//! private (cached apart).

use serde_json::{Value, json};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// Most Monte Carlo runs of a cascade.
pub const MAX_CASCADE_RUNS: usize = 10_000;
/// Most recommended ties added in a what-if.
pub const MAX_WHAT_IF: usize = 100;
/// Most work of one cascade request: runs × (nodes + ties).
pub const CASCADE_BUDGET: usize = 50_000_000;
/// Most runs of the uncertainty analysis of a ranking.
pub const MAX_UNCERTAINTY_RUNS: usize = 10_000;
/// Most work of one uncertainty analysis: runs × clusters × indicators.
pub const UNCERTAINTY_BUDGET: usize = 1_000_000_000;
/// Most runs of a sensitivity analysis.
pub const MAX_SENSITIVITY_RUNS: usize = 4_096;
/// Most work of one sensitivity analysis: runs × clusters × indicators
/// (each run computes the index once per factor and twice more).
pub const SENSITIVITY_BUDGET: usize = 100_000_000;

/// A period of a request, parsed for its one message
/// ([`weaver_core::period::Period`]).
pub(crate) fn check_period(p: &str) -> ApiResult<()> {
    p.parse::<weaver_core::period::Period>()?;
    Ok(())
}

pub(crate) async fn from_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
) -> ApiResult<Option<Value>> {
    let Some((body, at)) = state.store.cached(kind, key, period, version).await? else {
        return Ok(None);
    };
    let mut v: Value =
        serde_json::from_str(&body).map_err(|e| ApiError::internal("read the cache", e))?;
    v["computed_at"] = json!(at);
    v["cached"] = json!(true);
    Ok(Some(v))
}

/// Keeps a fresh result in the cache and marks it as fresh.
pub(crate) async fn to_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
    mut v: Value,
) -> ApiResult<Value> {
    state
        .store
        .cache(kind, key, period, version, &v.to_string())
        .await?;
    v["computed_at"] = json!(weaver_store::now_text());
    v["cached"] = json!(false);
    Ok(v)
}

/// Runs a service computation off the async threads; a panic or a
/// cancelled task is a logged 500, a malformed question a 400 about `what`.
pub(crate) async fn answer<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> weaver_service::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(what, e))?
        .map_err(ApiError::about(what))
}

/// A cache key for what `who` may read ([`weaver_service::observations::reader_key`]).
pub(crate) use weaver_service::observations::reader_key;

// ---------------------------------------------------------------- compare

/// Most members of a cluster in either period for which a comparison
/// includes betweenness (exact, all pairs); above it betweenness is left
/// out (`weaver network compare` goes to 20,000).
pub const COMPARE_BETWEENNESS_LIMIT: usize = 2_000;

/// A user's value as a part of a cache key, unambiguous whatever it holds
/// (its length first).
pub(crate) fn key_part(v: Option<&str>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{}.{v}", v.len()))
}
