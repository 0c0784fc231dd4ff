//! The handlers of `/api/v1`.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value as Json_, json};
use weaver_core::enums::Role;
use weaver_core::schema::{self, TableSchema};
use weaver_store::{LinkPurpose, ListQuery, Principal, RowKey, ScopeKind, User};

use crate::AppState;
use crate::auth::{self, Caller, Credential};
use crate::error::{ApiError, ApiResult};

type Body<T> = Result<Json<T>, JsonRejection>;

/// A JSON object whose keys are each given once: a key given twice is
/// refused (JSON parsers disagree on which one counts, so a row would be
/// read one way here and another way by whatever checked it before).
#[derive(Debug, Default)]
pub(crate) struct UniqueObject(pub Map<String, Json_>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueObject, A::Error> {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!(
                            "the key '{key}' is given twice"
                        )));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueObject(out))
            }
        }
        d.deserialize_map(Visit)
    }
}
type Params<T> = Result<Path<T>, PathRejection>;

/// How long invitation and reset links stay valid.
const LINK_TTL: Duration = Duration::from_secs(72 * 3600);

/// Builds the router and the list of its operations from one table, so that
/// the list cannot miss a route: each line is a path, its methods with their
/// handlers, and optionally a layer on that path.
macro_rules! operations {
    (fn $routes:ident($arg:ident: $ty:ty) {
        $( $path:literal => $( $method:ident($handler:expr) ),+ $( ; layer $layer:expr )? ;)*
    }) => {
        pub(crate) fn $routes($arg: $ty) -> Router<AppState> {
            let router = Router::new();
            $(
                let route = axum::routing::MethodRouter::<AppState>::new() $( .$method($handler) )+;
                $( let route = route.layer($layer); )?
                let router = router.route($path, route);
            )*
            router
        }

        /// Every operation of `/api/v1` as (method, path), in upper-case
        /// method names and the router's path syntax, from the same table the
        /// router is built from.
        pub const OPERATIONS: &[(&str, &str)] = &[ $( $( (operations!(@upper $method), $path) ),+ ),* ];
    };
    (@upper get) => { "GET" };
    (@upper post) => { "POST" };
    (@upper patch) => { "PATCH" };
    (@upper put) => { "PUT" };
    (@upper delete) => { "DELETE" };
}

operations! {
    fn routes(max_upload: usize) {
        "/packages" => post(upload_package); layer axum::extract::DefaultBodyLimit::max(max_upload);
        "/tables" => get(tables);
        "/openapi.json" => get(|| async { Json(crate::openapi::document()) });
        "/auth/login" => post(login);
        "/auth/logout" => post(logout);
        "/auth/me" => get(me), delete(erase_me);
        "/auth/me/export" => get(export_me);
        "/auth/tokens" => get(list_tokens), post(create_token);
        "/auth/tokens/{id}" => delete(delete_token);
        "/auth/accept" => post(accept_link);
        "/users" => get(list_users), post(create_user);
        "/users/{id}" => get(get_user), patch(update_user), delete(erase_user);
        "/users/{id}/scopes" => post(add_scope);
        "/users/{id}/scopes/{kind}/{reference}" => delete(remove_scope);
        "/users/{id}/reset" => post(reset_link);
        "/users/{id}/export" => get(export_user);
        "/packages/export" => get(export_package);
        "/evaluation/index" => get(crate::engines::league_table);
        "/campaigns" => get(crate::campaigns::list), post(crate::campaigns::open);
        "/campaigns/{id}" => get(crate::campaigns::get);
        "/campaigns/{id}/observations" => post(crate::campaigns::submit);
        "/campaigns/{id}/template" => get(crate::campaigns::template);
        "/campaigns/{id}/submission" => post(crate::campaigns::upload);
            layer axum::extract::DefaultBodyLimit::max(max_upload);
        "/campaigns/{id}/remind" => post(crate::campaigns::remind);
        "/campaigns/{id}/ties" => get(crate::campaigns::ties);
        "/campaigns/{id}/ties/{row}" => post(crate::campaigns::confirm);
        "/campaigns/{id}/close" => post(crate::campaigns::close);
        "/campaigns/{id}/results" => get(crate::campaigns::results);
        "/clusters/{id}/paths" => get(crate::paths::sampled), post(crate::paths::exact);
        "/jobs/{id}" => get(crate::paths::job);
        "/clusters/{id}/{analysis}" => get(crate::engines::cluster_network);
        "/clusters/{id}/diffusion" => get(crate::analyses::diffusion);
        "/clusters/{id}/labels" => get(crate::analyses::labels);
        "/clusters/{id}/openness" => get(crate::engines::openness);
        "/clusters/{id}/synergy" => get(crate::synergy::synergy);
        "/clusters/{id}/compare" => get(crate::analyses::compare);
        "/evaluation/ranking" => get(crate::analyses::ranking_get), post(crate::analyses::ranking_post);
        "/evaluation/lifecycle" => get(crate::analyses::lifecycle);
        "/evaluation/computed" => get(crate::analyses::computed);
        "/evaluation/levels" => get(crate::analyses::levels);
        "/evaluation/trends" => get(crate::analyses::trends);
        "/evaluation/checks" => get(crate::analyses::checks);
        "/evaluation/sensitivity" => get(crate::analyses::sensitivity);
        "/mapping/clusters" => get(crate::analyses::mapping);
        "/mapping/growth" => get(crate::analyses::growth);
        "/mapping/related" => get(crate::analyses::related);
        "/evaluation/policy" => get(crate::more_analyses::policy);
        "/evaluation/public-share" => get(crate::more_analyses::public_share);
        "/evaluation/benchmark" => get(crate::more_analyses::benchmark);
        "/mapping/strength" => get(crate::more_analyses::strength);
        "/mapping/complexity" => get(crate::more_analyses::complexity);
        "/audit" => get(audit);
        "/audit/{id}/undo" => post(undo);
        "/{table}" => get(list_rows), post(create_row);
        "/{table}/{key}" => get(get_row), patch(update_row), delete(delete_row);
    }
}

fn table(name: &str) -> ApiResult<&'static TableSchema> {
    schema::table(name).ok_or_else(|| {
        ApiError::not_found(format!(
            "there is no table '{name}'; the register's tables are: {}",
            schema::table_names().collect::<Vec<_>>().join(", ")
        ))
    })
}

fn require_admin(caller: &Caller) -> ApiResult<()> {
    if caller.principal.is_admin() {
        Ok(())
    } else {
        Err(ApiError::forbidden("only an admin may manage accounts"))
    }
}

// ---------------------------------------------------------------- schema

async fn tables() -> Json<Json_> {
    let tables: Vec<Json_> = schema::TABLES
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "key": t.key,
                "row_id": !t.has_id(),
                "default_visibility": t.default_visibility.as_str(),
                "columns": t.columns.iter().map(|c| json!({
                    "name": c.name,
                    "required": c.required,
                    "type": c.ty.expected(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "tables": tables }))
}

// ---------------------------------------------------------------- sessions

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

fn user_json(u: &User, p: Option<&Principal>) -> Json_ {
    let mut v = json!({
        "id": u.id,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "disabled": u.disabled,
        "created_at": u.created_at,
        "has_password": u.has_password,
    });
    if let Some(p) = p {
        v["clusters"] = json!(p.managed);
        v["programmes"] = json!(p.programmes);
        v["organizations"] = json!(p.organizations);
        v["readable_clusters"] = json!(p.readable);
    }
    v
}

/// `readable_clusters` of [`user_json`] cut to the clusters whose own row
/// the user may read: an officer's programme may fund a cluster that is
/// private to its managers, and its id is not the officer's to see.
async fn readable_clusters(state: &AppState, p: &Principal, v: &mut Json_) -> ApiResult<()> {
    let t = table("clusters")?;
    let mut shown = Vec::new();
    for id in &p.readable {
        let key = RowKey::Id(id.clone());
        match state.store.get(t, Some(p), &key).await {
            Ok(_) => shown.push(id.clone()),
            Err(weaver_store::StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    v["readable_clusters"] = json!(shown);
    Ok(())
}

async fn login(
    State(state): State<AppState>,
    address: auth::ClientAddress,
    body: Body<Login>,
) -> ApiResult<Response> {
    let Json(body) = body?;
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
    let mut v = json!({ "user": user_json(&user, Some(&principal)), "csrf_token": csrf });
    readable_clusters(&state, &principal, &mut v["user"]).await?;
    Ok((headers, Json(v)).into_response())
}

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

async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Json_>> {
    let user = state.store.user(caller.principal.user_id).await?;
    let mut v = json!({ "user": user_json(&user, Some(&caller.principal)) });
    readable_clusters(&state, &caller.principal, &mut v["user"]).await?;
    if let Credential::Session { csrf, .. } = &caller.credential {
        v["csrf_token"] = json!(csrf);
    }
    Ok(Json(v))
}

async fn personal_data(state: &AppState, user_id: i64) -> ApiResult<Json_> {
    let store = &state.store;
    let user = store.user(user_id).await?;
    let scopes: Vec<Json_> = store
        .scopes(user_id)
        .await?
        .into_iter()
        .map(|(k, r)| json!({"kind": k, "ref": r}))
        .collect();
    let tokens: Vec<Json_> = store
        .api_tokens(user_id)
        .await?
        .into_iter()
        .map(|(id, name, created, used)| {
            json!({"id": id, "name": name, "created_at": created, "last_used": used})
        })
        .collect();
    Ok(json!({
        "user": user_json(&user, None),
        "assignments": scopes,
        "api_tokens": tokens,
    }))
}

async fn export_me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Json_>> {
    Ok(Json(personal_data(&state, caller.principal.user_id).await?))
}

async fn erase_me(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.store.erase_user(caller.principal.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    body: Body<NewToken>,
) -> ApiResult<(StatusCode, Json<Json_>)> {
    let Json(body) = body?;
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
        Json(json!({
            "id": id,
            "name": name,
            "token": token,
            "note": "keep this token: it is shown only once",
        })),
    ))
}

async fn list_tokens(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Json_>> {
    let data = personal_data(&state, caller.principal.user_id).await?;
    Ok(Json(json!({ "api_tokens": data["api_tokens"] })))
}

async fn delete_token(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<StatusCode> {
    let Path(id) = id?;
    state
        .store
        .delete_api_token(caller.principal.user_id, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Accept {
    token: String,
    password: String,
}

/// Sets a password through an invitation or reset link.
async fn accept_link(State(state): State<AppState>, body: Body<Accept>) -> ApiResult<StatusCode> {
    let Json(body) = body?;
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

// ---------------------------------------------------------------- accounts (admins)

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    email: String,
    name: Option<String>,
    role: Role,
    password: Option<String>,
}

async fn list_users(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let users: Vec<Json_> = state
        .store
        .users()
        .await?
        .iter()
        .map(|u| user_json(u, None))
        .collect();
    Ok(Json(json!({ "users": users })))
}

async fn invite(state: &AppState, user: &User, purpose: LinkPurpose) -> ApiResult<String> {
    let token = auth::new_secret()?;
    state
        .store
        .create_link(user.id, purpose, &auth::secret_hash(&token), LINK_TTL)
        .await?;
    let link = format!(
        "{}/accept?token={token}",
        state.config.public_url.trim_end_matches('/')
    );
    let subject = match purpose {
        LinkPurpose::Invite => "Your Weaver account",
        LinkPurpose::Reset => "Reset your Weaver password",
    };
    state.sender.send(
        &user.email,
        subject,
        &format!("Set your password within 72 hours: {link}"),
    );
    Ok(token)
}

async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Body<NewUser>,
) -> ApiResult<(StatusCode, Json<Json_>)> {
    require_admin(&caller)?;
    let Json(body) = body?;
    ApiError::check_text("email", &body.email)?;
    ApiError::check_text("name", body.name.as_deref().unwrap_or(""))?;
    let hash = match body.password {
        Some(p) => Some(auth::hash_password(p).await?),
        None => None,
    };
    let user = state
        .store
        .create_user(
            &body.email,
            body.name.as_deref(),
            body.role,
            hash.as_deref(),
        )
        .await?;
    let mut out = json!({ "user": user_json(&user, None) });
    if !user.has_password {
        let token = invite(&state, &user, LinkPurpose::Invite).await?;
        out["invitation_token"] = json!(token);
        out["note"] = json!(
            "the invitation was sent; the token lets the user set a password through \
             POST /api/v1/auth/accept within 72 hours"
        );
    }
    Ok((StatusCode::CREATED, Json(out)))
}

async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let Path(id) = id?;
    Ok(Json(personal_data(&state, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserChange {
    role: Option<Role>,
    disabled: Option<bool>,
}

async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
    body: Body<UserChange>,
) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let Path(id) = id?;
    let Json(body) = body?;
    if id == caller.principal.user_id && (body.role.is_some() || body.disabled == Some(true)) {
        return Err(ApiError::bad_request(
            "an admin cannot demote or disable itself; ask another admin",
        ));
    }
    if let Some(role) = body.role {
        state.store.set_role(id, role).await?;
    }
    if let Some(d) = body.disabled {
        state.store.set_disabled(id, d).await?;
    }
    Ok(Json(personal_data(&state, id).await?))
}

async fn erase_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<StatusCode> {
    require_admin(&caller)?;
    let Path(id) = id?;
    if id == caller.principal.user_id {
        return Err(ApiError::bad_request(
            "to erase your own account, use DELETE /api/v1/auth/me",
        ));
    }
    state.store.erase_user(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn export_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let Path(id) = id?;
    Ok(Json(personal_data(&state, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Assignment {
    kind: ScopeKind,
    #[serde(rename = "ref")]
    reference: String,
}

async fn add_scope(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
    body: Body<Assignment>,
) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let Path(id) = id?;
    let Json(body) = body?;
    ApiError::check_text("ref", &body.reference)?;
    state.store.assign(id, body.kind, &body.reference).await?;
    Ok(Json(personal_data(&state, id).await?))
}

async fn remove_scope(
    State(state): State<AppState>,
    caller: Caller,
    params: Params<(i64, ScopeKind, String)>,
) -> ApiResult<StatusCode> {
    require_admin(&caller)?;
    let Path((id, kind, reference)) = params?;
    state.store.unassign(id, kind, &reference).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset_link(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<Json<Json_>> {
    require_admin(&caller)?;
    let Path(id) = id?;
    let user = state.store.user(id).await?;
    let token = invite(&state, &user, LinkPurpose::Reset).await?;
    Ok(Json(json!({ "reset_token": token })))
}

// ---------------------------------------------------------------- audit

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    table: Option<String>,
    key: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Json<Json_>> {
    let Query(q) = q?;
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
    Ok(Json(json!({ "entries": entries })))
}

async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    id: Params<i64>,
) -> ApiResult<Json<Json_>> {
    let Path(id) = id?;
    let entry = state.store.undo(&caller.principal, id).await?;
    Ok(Json(json!({ "undone": id, "entry": entry })))
}

// ---------------------------------------------------------------- register rows

fn parse_int(name: &str, v: &str) -> ApiResult<i64> {
    v.trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number, not '{v}'")))
}

async fn list_rows(
    State(state): State<AppState>,
    caller: Option<Caller>,
    name: Params<String>,
    q: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(name) = name?;
    let t = table(&name)?;
    let Query(params) = q?;
    let mut query = ListQuery {
        limit: 50,
        ..ListQuery::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "limit" => {
                query.limit = parse_int("limit", &v)?;
                if !(1..=weaver_store::MAX_PAGE).contains(&query.limit) {
                    return Err(ApiError::bad_request(format!(
                        "limit must be between 1 and {}",
                        weaver_store::MAX_PAGE
                    )));
                }
            }
            "offset" => {
                query.offset = parse_int("offset", &v)?;
                if query.offset < 0 {
                    return Err(ApiError::bad_request("offset must be 0 or more"));
                }
            }
            "sort" => query.sort = Some(v),
            "order" => {
                query.descending = match v.as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => return Err(ApiError::bad_request("order must be asc or desc")),
                }
            }
            "q" => query.search = Some(v),
            _ => query.filters.push((k, v)),
        }
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let page = state.store.list(t, who, &query).await?;
    // The object `json!` would make (keys in its order), with the rows as the
    // page holds them written (once for all who read the same page).
    let body = format!(
        "{{\"limit\":{},\"offset\":{},\"rows\":[{}],\"table\":{},\"total\":{}}}",
        query.limit,
        query.offset,
        page.rows_json(t).join(","),
        Json_::from(t.name),
        page.total
    );
    Ok(json_body(body))
}

/// A response of JSON text already written.
fn json_body(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn get_row(
    State(state): State<AppState>,
    caller: Option<Caller>,
    params: Params<(String, String)>,
) -> ApiResult<Response> {
    let Path((name, key)) = params?;
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    let who = caller.as_ref().map(|c| &c.principal);
    let page = state.store.get_shared(t, who, &key).await?;
    // A row's page holds that one row.
    let row = page.rows_json(t).first().cloned().ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the row was found but not kept; try again",
        )
    })?;
    Ok(json_body(row))
}

async fn create_row(
    State(state): State<AppState>,
    caller: Caller,
    name: Params<String>,
    body: Body<UniqueObject>,
) -> ApiResult<(StatusCode, Json<Json_>)> {
    let Path(name) = name?;
    let t = table(&name)?;
    let Json(UniqueObject(body)) = body?;
    let values = state
        .store
        .check_fields(t, &body, &caller.principal, None)
        .await?;
    let r = state.store.create(t, &caller.principal, values).await?;
    Ok((StatusCode::CREATED, Json(Json_::Object(r.to_json(t)))))
}

async fn update_row(
    State(state): State<AppState>,
    caller: Caller,
    params: Params<(String, String)>,
    body: Body<UniqueObject>,
) -> ApiResult<Json<Json_>> {
    let Path((name, key)) = params?;
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    let Json(UniqueObject(patch)) = body?;
    let current = state.store.get(t, Some(&caller.principal), &key).await?;
    // A change names only the fields it changes: merge it over the row.
    let before = current.to_json(t);
    let mut merged = before.clone();
    merged.remove("row_id");
    for (k, v) in patch {
        if k == "row_id" {
            continue;
        }
        merged.insert(k, v);
    }
    let values = state
        .store
        .check_fields(t, &merged, &caller.principal, Some(&before))
        .await?;
    let r = state
        .store
        .update(t, &caller.principal, &key, values)
        .await?;
    Ok(Json(Json_::Object(r.to_json(t))))
}

async fn delete_row(
    State(state): State<AppState>,
    caller: Caller,
    params: Params<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let Path((name, key)) = params?;
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    let entry = state.store.delete(t, &caller.principal, &key).await?;
    Ok(Json(json!({
        "deleted": true,
        "audit_entry": entry,
        "note": "an admin can undo this with POST /api/v1/audit/{entry}/undo",
    })))
}

// ---------------------------------------------------------------- packages

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    dry_run: Option<bool>,
    format: Option<String>,
}

fn package_format(
    given: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<&'static str> {
    if let Some(f) = given {
        return match f {
            "zip" => Ok("zip"),
            "xlsx" => Ok("xlsx"),
            other => Err(ApiError::bad_request(format!(
                "format must be zip or xlsx, not '{other}'"
            ))),
        };
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.contains("spreadsheetml") {
        return Ok("xlsx");
    }
    if ct.contains("zip") {
        return Ok("zip");
    }
    if !body.starts_with(b"PK") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send a data package as a .zip of CSV files or an .xlsx workbook (the body is neither)",
        ));
    }
    let is_xlsx = body.windows(15).any(|w| w == b"xl/workbook.xml");
    Ok(if is_xlsx { "xlsx" } else { "zip" })
}

/// Imports an uploaded package (admins), or reports what it would change.
async fn upload_package(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Json<Json_>> {
    let Query(q) = q?;
    // Rights first: the upload is read only for an admin.
    if !caller.principal.is_admin() {
        return Err(ApiError::forbidden(
            "only an admin may import a whole package; managers change rows one by one",
        ));
    }
    let body = crate::files::read_body(body, state.config.max_upload).await?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the upload is empty; send a .zip or .xlsx package",
        ));
    }
    let format = package_format(q.format.as_deref(), &headers, &body)?;
    let pkg = crate::files::read_upload(body, format, state.config.archive_limits).await?;
    let package = match state.store.check_package(pkg).await? {
        Ok(p) => p,
        Err(rejected) => return Err(ApiError::rejected("package", &rejected)),
    };
    let options = weaver_store::ImportOptions {
        dry_run: q.dry_run.unwrap_or(false),
    };
    let report = state
        .store
        .import_as(&caller.principal, &package, &options)
        .await?;
    Ok(Json(json!({
        "package": package.name,
        "dry_run": report.dry_run,
        "tables": report.tables,
        "notices": package.notices,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportQuery {
    format: Option<String>,
}

/// The register as a package: the whole register for admins; for officers
/// the rows they may read, without the rows that refer to rows left out,
/// marked partial in `datapackage.json` (a `weaver` property: `partial`,
/// `reason`, `exported_for`) and by the `X-Weaver-Partial: true` header.
async fn export_package(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    if !matches!(caller.principal.role, Role::Admin | Role::Officer) {
        return Err(ApiError::forbidden(
            "the whole register is exported by admins and programme officers; \
             others list the rows they may see table by table",
        ));
    }
    let format = match q.format.as_deref().unwrap_or("zip") {
        "zip" => "zip",
        "xlsx" => "xlsx",
        other => {
            return Err(ApiError::bad_request(format!(
                "format must be zip or xlsx, not '{other}'"
            )));
        }
    };
    let who = &caller.principal;
    let (tables, partial) = state.store.export_readable(who).await?;
    let properties = partial.then(|| {
        let mut m = Map::new();
        m.insert(
            "weaver".to_owned(),
            json!({
                "partial": true,
                "reason": "only the rows the account may read, without the rows that refer to \
                           rows left out; an admin's export holds the whole register",
                "exported_for": {"email": who.email, "role": who.role},
            }),
        );
        m
    });
    let bytes =
        crate::files::write_download("weaver-register".to_owned(), format, tables, properties)
            .await?;
    let ct = if format == "zip" {
        "application/zip"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, ct.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"weaver-register.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response();
    if partial {
        response
            .headers_mut()
            .insert("x-weaver-partial", HeaderValue::from_static("true"));
    }
    Ok(response)
}
