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
use crate::extract::{Json, Path};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me, update_me, erase_me))
        .routes(routes!(export_me))
        .routes(routes!(accept_link))
        .routes(routes!(request_reset))
        .routes(routes!(reset_password))
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MyChange {
    /// The language of your messages: `zh` or `en`.
    #[schema(schema_with = language_schema)]
    language: Option<String>,
    /// `true`: your campaign messages come as one daily digest mail instead
    /// of one mail each (they stay your notifications all the same).
    digest: Option<bool>,
}

fn language_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(weaver_store::LANGUAGES.iter().copied()))
        .build()
}

#[utoipa::path(
    patch,
    path = "/auth/me",
    tag = "auth",
    summary = "Change your messages' language, or take them as a daily digest",
    request_body = MyChange,
    responses((status = 200, description = "who you are, as changed", body = MeAnswer))
)]
async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<MyChange>,
) -> ApiResult<Json<MeAnswer>> {
    if let Some(l) = &body.language {
        weaver_store::check_language(l)?;
    }
    let id = caller.principal.user_id;
    if let Some(l) = &body.language {
        state.store.set_language(id, l).await?;
    }
    if let Some(d) = body.digest {
        state.store.set_digest(id, d).await?;
    }
    me(State(state), caller).await
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

// ---------------------------------------------------------------- password reset

/// Password-reset requests: per e-mail address (from every client) and per
/// client (for every address) within [`RESET_LIMITS`]' window.
pub const RESET_LIMITS: weaver_store::ResetLimits = weaver_store::ResetLimits {
    window: std::time::Duration::from_secs(3600),
    per_email: 3,
    per_address: 10,
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    /// The account's e-mail address.
    email: String,
}

/// The one answer to a password-reset request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResetRequested {
    /// What happens now.
    pub note: String,
}

#[utoipa::path(
    post,
    path = "/auth/reset",
    tag = "auth",
    summary = "Ask for a password-reset link by e-mail (the same answer whether or not the address has an account)",
    request_body = ResetRequest,
    responses((status = 202, description = "if the address has an account, a link is on its way", body = ResetRequested))
)]
/// Queues a password-reset message to the address when it is an enabled
/// account's. The answer is the same either way, and the work that differs
/// runs after it, so that neither the answer nor its time tells whether the
/// address has an account. Requests are limited per address and per client.
async fn request_reset(
    State(state): State<AppState>,
    address: auth::ClientAddress,
    Json(body): Json<ResetRequest>,
) -> ApiResult<Response> {
    ApiError::check_text("email", &body.email)?;
    if !state
        .store
        .take_reset_request(&body.email, &address.0, &RESET_LIMITS)
        .await?
    {
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!(
                "too many password-reset requests for this address or from your address; \
                 try again in {} minutes",
                RESET_LIMITS.window.as_secs() / 60
            ),
        )
        .into_response();
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(RESET_LIMITS.window.as_secs()),
        );
        return Ok(response);
    }
    let email = body.email;
    let task = state.clone();
    tokio::spawn(async move {
        if let Err(e) = send_reset(&task, &email).await {
            tracing::error!(error = %e.message, "a password-reset message could not be queued");
        }
    });
    let answer = ResetRequested {
        note: "if this address has an account, a link to set a new password is on its way; \
               it works once, within 72 hours"
            .to_owned(),
    };
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// Queues the reset message when `email` is an enabled account's.
async fn send_reset(state: &AppState, email: &str) -> ApiResult<()> {
    let Some((user, _)) = state.store.user_by_email(email).await? else {
        return Ok(());
    };
    if user.disabled {
        return Ok(());
    }
    super::users::invite(state, &user, LinkPurpose::Reset, None).await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    /// The new password (at least 10 characters).
    password: String,
}

#[utoipa::path(
    post,
    path = "/auth/reset/{token}",
    tag = "auth",
    summary = "Set a new password with a reset link's token; every session and API token of the account ends",
    params(("token" = String, Path, description = "the token of the reset link")),
    request_body = NewPassword,
    responses((status = 204, description = "the password is set"))
)]
/// Sets the password of the reset link's account: the link is used up,
/// every session and API token of the account ends, and the audit log
/// records it.
async fn reset_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(body): Json<NewPassword>,
) -> ApiResult<StatusCode> {
    // A password refused leaves the link unused.
    let hash = auth::hash_password(body.password).await?;
    let user = state
        .store
        .use_link(&auth::secret_hash(token.trim()), LinkPurpose::Reset)
        .await?;
    let Some(user) = user else {
        return Err(ApiError::new(
            StatusCode::GONE,
            "link_invalid",
            "this reset link is not valid: it was used already, has expired, or never existed; \
             ask for a new one (POST /api/v1/auth/reset)",
        ));
    };
    state.store.reset_password(user, &hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
