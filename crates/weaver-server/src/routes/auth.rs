//! Signing in and out, and the caller's own account: `/auth`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_store::LinkPurpose;

use super::users::{personal_data, readable_clusters, user_answer};
use crate::AppState;
use crate::answers::{LoginAnswer, MeAnswer, PersonalData};
use crate::auth::{self, Caller, Credential};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me, erase_me))
        .routes(routes!(export_me))
        .routes(routes!(accept_link))
}

// ---------------------------------------------------------------- sessions

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    summary = "Sign in: sets a session cookie, returns the CSRF token",
    request_body = Login,
    responses((status = 200, description = "who signed in, with the session's CSRF token", body = LoginAnswer))
)]
async fn login(
    State(state): State<AppState>,
    address: auth::ClientAddress,
    Json(body): Json<Login>,
) -> ApiResult<Response> {
    ApiError::check_text("email", &body.email)?;
    let store = &state.store;
    // The attempt is counted (as a failure until it succeeds) before the
    // password is checked, in one transaction with the count: concurrent
    // attempts past a limit are refused unchecked.
    if let Err(limit) = store
        .take_login_attempt(&body.email, &address.0, &auth::LOGIN_LIMITS)
        .await?
    {
        let which = match limit {
            weaver_store::LoginRefused::AccountFromAddress => {
                "too many failed logins for this account from your address"
            }
            weaver_store::LoginRefused::Address => "too many failed logins from your address",
            weaver_store::LoginRefused::Account => "too many failed logins for this account",
        };
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!(
                "{which}; try again in {} minutes",
                auth::THROTTLE_WINDOW.as_secs() / 60
            ),
        )
        .into_response();
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(auth::THROTTLE_WINDOW.as_secs()),
        );
        return Ok(response);
    }
    let found = store.user_by_email(&body.email).await?;
    let (user, hash) = match found {
        Some((u, h)) if !u.disabled => (Some(u), h),
        _ => (None, None),
    };
    let ok = auth::verify_password(body.password, hash).await;
    let Some(user) = user.filter(|_| ok) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "wrong e-mail or password",
        ));
    };
    store.login_succeeded(&body.email, &address.0).await?;
    let token = auth::new_secret()?;
    let csrf = auth::new_secret()?;
    let ttl = state.config.session_ttl;
    store
        .create_session(user.id, &auth::secret_hash(&token), &csrf, ttl)
        .await?;
    let principal = store.principal(user.id).await?;
    let mut headers = HeaderMap::new();
    let cookie = auth::session_cookie(&token, ttl, state.config.secure_cookies);
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| ApiError::bad_request("bad cookie"))?,
    );
    let mut v = LoginAnswer {
        user: user_answer(&user, Some(&principal)),
        csrf_token: csrf,
    };
    readable_clusters(&state, &principal, &mut v.user).await?;
    Ok((headers, Json(v)).into_response())
}

#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    summary = "Sign out",
    responses((status = 204, description = "success"))
)]
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if let Credential::Session { token_hash, .. } = &caller.credential {
        state.store.delete_session(token_hash).await?;
    }
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.config.secure_cookies)) {
        headers.insert(header::SET_COOKIE, v);
    }
    Ok((headers, StatusCode::NO_CONTENT).into_response())
}

#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    summary = "Who you are, your assignments and (for a session) the CSRF token",
    responses((status = 200, description = "who you are", body = MeAnswer))
)]
async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<MeAnswer>> {
    let user = state.store.user(caller.principal.user_id).await?;
    let mut v = MeAnswer {
        user: user_answer(&user, Some(&caller.principal)),
        csrf_token: None,
    };
    readable_clusters(&state, &caller.principal, &mut v.user).await?;
    if let Credential::Session { csrf, .. } = &caller.credential {
        v.csrf_token = Some(csrf.clone());
    }
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/auth/me/export",
    tag = "auth",
    summary = "Your personal data",
    responses((status = 200, description = "your account, assignments and tokens", body = PersonalData))
)]
async fn export_me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data(&state, caller.principal.user_id).await?))
}

#[utoipa::path(
    delete,
    path = "/auth/me",
    tag = "auth",
    summary = "Erase your account (the audit log keeps changes without your name)",
    responses((status = 204, description = "success"))
)]
async fn erase_me(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.store.erase_user(caller.principal.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Accept {
    token: String,
    password: String,
}

#[utoipa::path(
    post,
    path = "/auth/accept",
    tag = "auth",
    summary = "Set a password with an invitation or reset token",
    request_body = Accept,
    responses((status = 204, description = "success"))
)]
/// Sets a password through an invitation or reset link.
async fn accept_link(
    State(state): State<AppState>,
    Json(body): Json<Accept>,
) -> ApiResult<StatusCode> {
    auth::check_password_rules(&body.password)?;
    let hash = auth::secret_hash(body.token.trim());
    let mut user = state.store.use_link(&hash, LinkPurpose::Invite).await?;
    if user.is_none() {
        user = state.store.use_link(&hash, LinkPurpose::Reset).await?;
    }
    let Some(user) = user else {
        return Err(ApiError::new(
            StatusCode::GONE,
            "link_invalid",
            "this link is not valid: it was used already, has expired, or never existed",
        ));
    };
    let password_hash = auth::hash_password(body.password).await?;
    state.store.set_password(user, &password_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
