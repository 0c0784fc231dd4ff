//! The caller's in-app notifications: `/notifications`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_store::Notification;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::{Json, Path};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
}

/// How many notifications a list shows at most.
const SHOWN: i64 = 200;

/// `GET /notifications`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationsAnswer {
    /// How many of the caller's notifications are unread (of those shown).
    pub unread: usize,
    /// The caller's notifications: unread first, then the newest first (at
    /// most 200).
    pub notifications: Vec<Notification>,
}

#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    summary = "Your notifications, unread first",
    responses((status = 200, description = "your notifications", body = NotificationsAnswer))
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<NotificationsAnswer>> {
    let notifications = state
        .store
        .notifications(caller.principal.user_id, SHOWN)
        .await?;
    let unread = notifications.iter().filter(|n| n.read_at.is_none()).count();
    Ok(Json(NotificationsAnswer {
        unread,
        notifications,
    }))
}

#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    tag = "notifications",
    summary = "Mark one of your notifications read",
    params(("id" = i64, Path, description = "the notification's number")),
    responses((status = 204, description = "it is read"))
)]
async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.store.mark_read(caller.principal.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
