//! The audit log and undo: `/audit`.

use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::answers::{AuditAnswer, UndoAnswer};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audit))
        .routes(routes!(undo))
}

// ---------------------------------------------------------------- audit

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// only changes to this table.
    table: Option<String>,
    /// only changes to the row with this id or row_id.
    key: Option<String>,
    /// entries per page (default 100).
    limit: Option<i64>,
    /// entries skipped.
    offset: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    summary = "The audit log, newest first (admins, officers; managers: their clusters' rows)",
    params(AuditQuery),
    responses((status = 200, description = "the entries, newest first", body = AuditAnswer))
)]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditAnswer>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=weaver_store::MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {}, not {limit}",
            weaver_store::MAX_PAGE
        )));
    }
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::bad_request(format!(
            "offset must be 0 or more, not {offset}"
        )));
    }
    let entries = state
        .store
        .audit_log(
            &caller.principal,
            q.table.as_deref(),
            q.key.as_deref(),
            limit,
            offset,
        )
        .await?;
    Ok(Json(AuditAnswer { entries }))
}

#[utoipa::path(
    post,
    path = "/audit/{id}/undo",
    tag = "audit",
    summary = "Undo a change (admins)",
    params(("id" = i64, Path, description = "the audit entry's number")),
    responses((status = 200, description = "the entry undone and the entry of the undo", body = UndoAnswer))
)]
async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<UndoAnswer>> {
    let entry = state.store.undo(&caller.principal, id).await?;
    Ok(Json(UndoAnswer { undone: id, entry }))
}
