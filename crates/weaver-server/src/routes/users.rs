//! Accounts, managed by admins: `/users`.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_core::enums::Role;
use weaver_store::{LinkPurpose, Principal, RowKey, ScopeKind, User};

use weaver_service::mail::{self, Kind, Recipient};

use crate::AppState;
use crate::answers::{
    AssignmentAnswer, CreatedUser, ListedUser, PersonalData, ResetAnswer, TokenInfo, UserAnswer,
    UsersAnswer,
};
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Json, Path};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, erase_user))
        .routes(routes!(add_scope))
        .routes(routes!(remove_scope))
        .routes(routes!(reset_link))
        .routes(routes!(export_user))
}

/// A name among `names`, as the OpenAPI document describes it.
fn one_of(names: &[&'static str]) -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(names.iter().copied()))
        .build()
}

fn role_schema() -> utoipa::openapi::schema::Object {
    one_of(Role::NAMES)
}

fn scope_kind_schema() -> utoipa::openapi::schema::Object {
    let kinds = [
        ScopeKind::Cluster,
        ScopeKind::Programme,
        ScopeKind::Organization,
    ];
    one_of(&kinds.map(ScopeKind::as_str))
}

/// How long invitation and reset links stay valid.
pub(super) const LINK_TTL: Duration = Duration::from_secs(72 * 3600);

/// An account as the API shows it, with `p`'s assignments when given (the
/// caller's own account).
pub(super) fn user_answer(u: &User, p: Option<&Principal>) -> UserAnswer {
    UserAnswer {
        user: u.clone(),
        clusters: p.map(|p| p.managed.clone()),
        programmes: p.map(|p| p.programmes.clone()),
        organizations: p.map(|p| p.organizations.clone()),
        readable_clusters: p.map(|p| p.readable.clone()),
    }
}

/// `readable_clusters` of [`user_answer`] cut to the clusters whose own row
/// the user may read: an officer's programme may fund a cluster that is
/// private to its managers, and its id is not the officer's to see.
pub(super) async fn readable_clusters(
    state: &AppState,
    p: &Principal,
    v: &mut UserAnswer,
) -> ApiResult<()> {
    let t = super::rows::table("clusters")?;
    let mut shown = Vec::new();
    for id in &p.readable {
        let key = RowKey::Id(id.clone());
        match state.store.get(t, Some(p), &key).await {
            Ok(_) => shown.push(id.clone()),
            Err(weaver_store::StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    v.readable_clusters = Some(shown);
    Ok(())
}

/// An account's personal data: the account, its assignments, its tokens.
pub(super) async fn personal_data(state: &AppState, user_id: i64) -> ApiResult<PersonalData> {
    let store = &state.store;
    let user = store.user(user_id).await?;
    let assignments = store
        .scopes(user_id)
        .await?
        .into_iter()
        .map(|(k, r)| AssignmentAnswer {
            kind: k.as_str().to_owned(),
            reference: r,
        })
        .collect();
    let api_tokens = store
        .api_tokens(user_id)
        .await?
        .into_iter()
        .map(|(id, name, created_at, last_used)| TokenInfo {
            id,
            name,
            created_at,
            last_used,
        })
        .collect();
    Ok(PersonalData {
        user: user_answer(&user, None),
        assignments,
        api_tokens,
    })
}

// ---------------------------------------------------------------- accounts (admins)

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewUser {
    email: String,
    name: Option<String>,
    #[schema(schema_with = role_schema)]
    role: Role,
    password: Option<String>,
    /// The language of the account's messages: `zh` (the default) or `en`.
    #[schema(schema_with = language_schema)]
    language: Option<String>,
}

fn language_schema() -> utoipa::openapi::schema::Object {
    one_of(weaver_store::LANGUAGES)
}

#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    summary = "Accounts (admins)",
    responses((status = 200, description = "every account with its assignments", body = UsersAnswer))
)]
async fn list_users(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<UsersAnswer>> {
    let mut scopes: std::collections::HashMap<i64, Vec<AssignmentAnswer>> =
        std::collections::HashMap::new();
    for (user, kind, reference) in state.store.all_scopes().await? {
        scopes.entry(user).or_default().push(AssignmentAnswer {
            kind: kind.as_str().to_owned(),
            reference,
        });
    }
    let users = state
        .store
        .users()
        .await?
        .iter()
        .map(|u| ListedUser {
            account: user_answer(u, None),
            assignments: scopes.remove(&u.id).unwrap_or_default(),
        })
        .collect();
    Ok(Json(UsersAnswer { users }))
}

/// Makes a one-time link for `user` and queues the message that carries
/// it (an invitation or a password reset, in the account's language);
/// gives the link's token. The act is recorded in the audit log, by
/// `actor` (`None`: the account itself, asking for a reset).
pub(super) async fn invite(
    state: &AppState,
    user: &User,
    purpose: LinkPurpose,
    actor: Option<&Principal>,
) -> ApiResult<String> {
    let token = auth::new_secret()?;
    state
        .store
        .create_link(user.id, purpose, &auth::secret_hash(&token), LINK_TTL)
        .await?;
    let base = state.config.public_url.trim_end_matches('/');
    let hours = (LINK_TTL.as_secs() / 3600).to_string();
    let to = Recipient::of(user);
    let (kind, link, action) = match purpose {
        LinkPurpose::Invite => (
            Kind::Invitation,
            format!("{base}/accept?token={token}"),
            "invitation_sent",
        ),
        LinkPurpose::Reset => (
            Kind::PasswordReset,
            format!("{base}/reset?token={token}"),
            "password_reset_sent",
        ),
    };
    let name = user.name.clone().unwrap_or_else(|| user.email.clone());
    let role = user.role.to_string();
    let values = [
        ("name", name.as_str()),
        ("role", role.as_str()),
        ("hours", hours.as_str()),
        ("link", link.as_str()),
    ];
    let (_, r) = mail::queue(&state.store, kind, &to, &values).await?;
    state.sender.send(&user.email, &r.subject, &r.text);
    let (actor_id, actor_email) = match actor {
        Some(p) => (p.user_id, p.email.clone()),
        None => (user.id, user.email.clone()),
    };
    state
        .store
        .audit_account(actor_id, &actor_email, action, user.id)
        .await?;
    Ok(token)
}

#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    summary = "Create an account; without a password an invitation is sent (admins)",
    request_body = NewUser,
    responses((status = 201, description = "the new account (and its invitation)", body = CreatedUser))
)]
async fn create_user(
    State(state): State<AppState>,
    admin: Admin,
    Json(body): Json<NewUser>,
) -> ApiResult<(StatusCode, Json<CreatedUser>)> {
    ApiError::check_text("email", &body.email)?;
    ApiError::check_text("name", body.name.as_deref().unwrap_or(""))?;
    if let Some(l) = &body.language {
        weaver_store::check_language(l)?;
    }
    let hash = match body.password {
        Some(p) => Some(auth::hash_password(p).await?),
        None => None,
    };
    let mut user = state
        .store
        .create_user(
            &body.email,
            body.name.as_deref(),
            body.role,
            hash.as_deref(),
        )
        .await?;
    if let Some(l) = &body.language {
        state.store.set_language(user.id, l).await?;
        user = state.store.user(user.id).await?;
    }
    let mut out = CreatedUser {
        user: user_answer(&user, None),
        invitation_token: None,
        note: None,
    };
    if !user.has_password {
        let token = invite(&state, &user, LinkPurpose::Invite, Some(&admin.principal)).await?;
        out.invitation_token = Some(token);
        out.note = Some(if state.config.mail.is_some() {
            "the invitation was queued in the outbox (GET /api/v1/outbox shows when it is \
             sent); the token lets the user set a password through POST /api/v1/auth/accept \
             within 72 hours"
                .to_owned()
        } else {
            "the invitation was queued in the outbox, but this server has no mail settings \
             (--smtp-host), so it is not sent until a server with them runs: hand the token \
             to the user, who sets a password through POST /api/v1/auth/accept within 72 hours"
                .to_owned()
        });
    }
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    summary = "An account and its assignments (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    responses((status = 200, description = "the account, its assignments and tokens", body = PersonalData))
)]
async fn get_user(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data(&state, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct UserChange {
    #[schema(schema_with = role_schema)]
    role: Option<Role>,
    disabled: Option<bool>,
    /// The language of the account's messages: `zh` or `en`.
    #[schema(schema_with = language_schema)]
    language: Option<String>,
}

#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    summary = "Change an account's role or language, or disable it (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    request_body = UserChange,
    responses((status = 200, description = "the account as changed", body = PersonalData))
)]
async fn update_user(
    State(state): State<AppState>,
    caller: Admin,
    Path(id): Path<i64>,
    Json(body): Json<UserChange>,
) -> ApiResult<Json<PersonalData>> {
    if id == caller.principal.user_id && (body.role.is_some() || body.disabled == Some(true)) {
        return Err(ApiError::bad_request(
            "an admin cannot demote or disable itself; ask another admin",
        ));
    }
    if let Some(l) = &body.language {
        weaver_store::check_language(l)?;
    }
    if let Some(role) = body.role {
        state.store.set_role(id, role).await?;
    }
    if let Some(l) = &body.language {
        state.store.set_language(id, l).await?;
    }
    if let Some(d) = body.disabled {
        state.store.set_disabled(id, d).await?;
    }
    Ok(Json(personal_data(&state, id).await?))
}

#[utoipa::path(
    delete,
    path = "/users/{id}",
    tag = "users",
    summary = "Erase an account (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    responses((status = 204, description = "success"))
)]
async fn erase_user(
    State(state): State<AppState>,
    caller: Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if id == caller.principal.user_id {
        return Err(ApiError::bad_request(
            "to erase your own account, use DELETE /api/v1/auth/me",
        ));
    }
    state.store.erase_user(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/users/{id}/export",
    tag = "users",
    summary = "An account's personal data (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    responses((status = 200, description = "the account's personal data", body = PersonalData))
)]
async fn export_user(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data(&state, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Assignment {
    #[schema(schema_with = scope_kind_schema)]
    kind: ScopeKind,
    #[serde(rename = "ref")]
    reference: String,
}

#[utoipa::path(
    post,
    path = "/users/{id}/scopes",
    tag = "users",
    summary = "Assign an account to a cluster, programme or organization (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    request_body = Assignment,
    responses((status = 200, description = "the account with its assignments", body = PersonalData))
)]
async fn add_scope(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<i64>,
    Json(body): Json<Assignment>,
) -> ApiResult<Json<PersonalData>> {
    ApiError::check_text("ref", &body.reference)?;
    state.store.assign(id, body.kind, &body.reference).await?;
    Ok(Json(personal_data(&state, id).await?))
}

#[utoipa::path(
    delete,
    path = "/users/{id}/scopes/{kind}/{reference}",
    tag = "users",
    summary = "Remove an assignment (admins)",
    params(("id" = i64, Path, description = "the account's number"), ("kind" = String, Path, description = "cluster, programme or organization"), ("reference" = String, Path, description = "the id assigned")),
    responses((status = 204, description = "success"))
)]
async fn remove_scope(
    State(state): State<AppState>,
    _admin: Admin,
    Path((id, kind, reference)): Path<(i64, ScopeKind, String)>,
) -> ApiResult<StatusCode> {
    state.store.unassign(id, kind, &reference).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/users/{id}/reset",
    tag = "users",
    summary = "Send a password-reset link (admins)",
    params(("id" = i64, Path, description = "the account's number")),
    responses((status = 200, description = "the reset link's token", body = ResetAnswer))
)]
async fn reset_link(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<ResetAnswer>> {
    let user = state.store.user(id).await?;
    let reset_token = invite(&state, &user, LinkPurpose::Reset, Some(&admin.principal)).await?;
    Ok(Json(ResetAnswer { reset_token }))
}
