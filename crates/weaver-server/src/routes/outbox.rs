//! The outbox, for admins: `/outbox`.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_store::OutboxEntry;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{Admin, Json, Path, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(resend))
}

/// How many messages are in one status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    /// `queued`, `sending`, `sent`, `failed` or `given_up`.
    pub status: String,
    /// How many messages.
    pub count: i64,
}

/// `GET /outbox`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxAnswer {
    /// Whether this server sends mail (has SMTP settings); without, the
    /// messages stay queued for a server that has them.
    pub mail_configured: bool,
    /// How many messages are in each status.
    pub counts: Vec<StatusCount>,
    /// The messages asked for, newest first, without their bodies.
    pub messages: Vec<OutboxEntry>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OutboxQuery {
    /// Only messages in this status: queued, sending, sent, failed or given_up.
    status: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<i64>,
    /// Skip this many first.
    offset: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/outbox",
    tag = "outbox",
    summary = "The messages queued, sent and failed, newest first (admins)",
    params(OutboxQuery),
    responses((status = 200, description = "the outbox", body = OutboxAnswer))
)]
async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<OutboxQuery>,
) -> ApiResult<Json<OutboxAnswer>> {
    let messages = state
        .store
        .outbox(
            q.status.as_deref(),
            q.limit.unwrap_or(100),
            q.offset.unwrap_or(0),
        )
        .await?;
    let counts = state
        .store
        .outbox_counts()
        .await?
        .into_iter()
        .map(|(status, count)| StatusCount { status, count })
        .collect();
    Ok(Json(OutboxAnswer {
        mail_configured: state.config.mail.is_some(),
        counts,
        messages,
    }))
}

#[utoipa::path(
    post,
    path = "/outbox/{id}/resend",
    tag = "outbox",
    summary = "Queue a message again, due at once, its attempts counted afresh (admins)",
    params(("id" = i64, Path, description = "the message's number")),
    responses((status = 200, description = "the message, queued again", body = OutboxEntry))
)]
async fn resend(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutboxEntry>> {
    let entry = state.store.requeue(id).await?;
    if let Some(user) = entry.user_id {
        state
            .store
            .audit_account(
                admin.principal.user_id,
                &admin.principal.email,
                "message_resent",
                user,
            )
            .await?;
    }
    Ok(Json(entry))
}
