//! `GET /api/v1/clusters/{id}/synergy?period=&columns=`: the triple-helix
//! synergy of a cluster's members — the mutual information among two to
//! four of their attributes — as
//! [`weaver_service::synergy::cluster_synergy`] answers it (and `weaver
//! network synergy --cluster ID` prints it), for the readers of the
//! cluster's network ([`weaver_service::network::network_access`]).
//! Cheap (one pass over the members), so not cached.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use weaver_service::synergy::{ClusterSynergy, MemberAttribute, SynergyParams};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;

/// The query of [`synergy`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SynergyQuery {
    /// `2024`, `2024-Q3` or `2024-07`; all time when absent.
    period: Option<String>,
    /// Comma-separated attributes of the members (default:
    /// `actor_type,region,industry`).
    columns: Option<String>,
}

/// `GET /api/v1/clusters/{id}/synergy?period=&columns=`.
pub(crate) async fn synergy(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<SynergyQuery>, QueryRejection>,
) -> ApiResult<Json<ClusterSynergy>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    let columns = match q.columns.as_deref() {
        None => MemberAttribute::DEFAULT.to_vec(),
        Some(text) => text
            .split(',')
            .map(MemberAttribute::parse)
            .collect::<Result<Vec<_>, _>>()?,
    };
    let params = SynergyParams {
        period: q.period,
        columns,
    };
    let answer = weaver_service::synergy::cluster_synergy(
        &state.store,
        &caller.principal,
        &cluster,
        &params,
    )
    .await?;
    Ok(Json(answer))
}
