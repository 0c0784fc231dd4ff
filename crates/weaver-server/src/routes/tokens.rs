//! The caller's API tokens: `/auth/tokens`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::users::personal_data;
use crate::AppState;
use crate::answers::{CreatedToken, TokensAnswer};
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(delete_token))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
}

#[utoipa::path(
    post,
    path = "/auth/tokens",
    tag = "tokens",
    summary = "Make an API token (shown once)",
    request_body = NewToken,
    responses((status = 201, description = "the new token, shown only once", body = CreatedToken))
)]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    ApiError::check_text("name", &body.name)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::bad_request(
            "a token needs a name of 1 to 100 characters (what it is for)",
        ));
    }
    let token = format!("wvr_{}", auth::new_secret()?);
    let id = state
        .store
        .create_api_token(caller.principal.user_id, name, &auth::secret_hash(&token))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            id,
            name: name.to_owned(),
            token,
            note: "keep this token: it is shown only once".to_owned(),
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/auth/tokens",
    tag = "tokens",
    summary = "Your API tokens",
    responses((status = 200, description = "your API tokens, without their secrets", body = TokensAnswer))
)]
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<TokensAnswer>> {
    let data = personal_data(&state, caller.principal.user_id).await?;
    Ok(Json(TokensAnswer {
        api_tokens: data.api_tokens,
    }))
}

#[utoipa::path(
    delete,
    path = "/auth/tokens/{id}",
    tag = "tokens",
    summary = "Revoke an API token",
    params(("id" = i64, Path, description = "the token's number")),
    responses((status = 204, description = "success"))
)]
async fn delete_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_api_token(caller.principal.user_id, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
