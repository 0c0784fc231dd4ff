//! Monitoring campaigns over HTTP: open, follow on a status board, fill in
//! (JSON or the campaign's `.xlsx` template), remind, close (freezing the
//! observations and keeping the network analysis computed then).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_core::{TableData, Value as Cell};
use weaver_store::NewCampaign;

use crate::AppState;
use crate::answers::{CampaignsAnswer, TiesAnswer};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, Reminder};
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this resource.
pub(crate) fn router(max_upload: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(get))
        .routes(routes!(submit))
        .routes(routes!(template))
        .routes(routes!(remind))
        .routes(routes!(ties))
        .routes(routes!(confirm))
        .routes(routes!(close))
        .routes(routes!(publish))
        .routes(routes!(results))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload))
                .layer(DefaultBodyLimit::max(max_upload)),
        )
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenCampaign {
    id: String,
    name: String,
    period: String,
    deadline: String,
    indicators: Vec<String>,
    #[serde(default)]
    clusters: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "campaigns",
    summary = "Monitoring campaigns you take part in",
    responses((status = 200, description = "the campaigns you take part in", body = CampaignsAnswer))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<CampaignsAnswer>> {
    let campaigns = state.store.campaigns(&caller.principal).await?;
    Ok(Json(CampaignsAnswer { campaigns }))
}

#[utoipa::path(
    post,
    path = "/campaigns",
    tag = "campaigns",
    summary = "Open a campaign (officers for their programmes' clusters, admins)",
    request_body = OpenCampaign,
    responses((status = 201, description = "the campaign opened", body = weaver_store::Campaign))
)]
pub(crate) async fn open(
    State(state): State<AppState>,
    caller: Caller,
    Json(b): Json<OpenCampaign>,
) -> ApiResult<(StatusCode, Json<weaver_store::Campaign>)> {
    ApiError::check_text("id", &b.id)?;
    ApiError::check_text("name", &b.name)?;
    let c = state
        .store
        .create_campaign(
            &caller.principal,
            NewCampaign {
                id: b.id,
                name: b.name,
                period: b.period,
                deadline: b.deadline,
                indicators: b.indicators,
                clusters: b.clusters,
            },
        )
        .await?;
    tell_opened(&state, &c).await;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Tells the managers of a campaign's clusters that it opened (by mail and
/// in the application). The campaign is open whatever happens here: a
/// failure is logged, not answered.
async fn tell_opened(state: &AppState, c: &weaver_store::Campaign) {
    match weaver_service::notices::campaign_opened(&state.store, c, &state.config.public_url).await
    {
        Ok(reach) => {
            for q in &reach.reminders {
                state.sender.send(&q.to, &q.subject, "");
            }
            for u in &reach.unreached {
                tracing::info!(campaign = %c.id, cluster = %u.cluster, reason = %u.reason, "{}", u.detail);
            }
        }
        Err(e) => {
            tracing::error!(campaign = %c.id, error = %e, "the campaign's managers could not be told")
        }
    }
}

/// Tells the author of campaign `id` that `who` submitted observations of
/// the clusters of `rows`. The submission stands whatever happens here: a
/// failure is logged, not answered.
async fn tell_submitted(
    state: &AppState,
    who: &weaver_store::Principal,
    id: &str,
    rows: &[(String, String, f64)],
    counts: (usize, usize),
) {
    let clusters: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    match weaver_service::notices::submission_received(
        &state.store,
        who,
        id,
        &clusters,
        counts,
        &state.config.public_url,
    )
    .await
    {
        Ok(Some((to, subject))) => state.sender.send(&to, &subject, ""),
        Ok(None) => {}
        Err(e) => {
            tracing::error!(campaign = %id, error = %e, "the campaign's author could not be told")
        }
    }
}

#[utoipa::path(
    get,
    path = "/campaigns/{id}",
    tag = "campaigns",
    summary = "A campaign and its status board (submitted, missing, overdue; ties confirmed)",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the campaign and its status board", body = crate::answers::CampaignBoard))
)]
/// The campaign and its status board.
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = state.store.campaign(&caller.principal, &id).await?;
    let board = state.store.campaign_status(&caller.principal, &id).await?;
    Ok(Json(json!(crate::answers::CampaignBoard {
        campaign: c,
        status: board,
    })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Submission {
    cluster: String,
    #[schema(value_type = Object)]
    values: super::rows::UniqueObject,
    /// `true` confirms values that jump from the previous period beyond
    /// their indicator's factor (refused with 422 otherwise).
    #[serde(default)]
    confirm: bool,
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/observations",
    tag = "campaigns",
    summary = "Submit a cluster's observations (managers)",
    params(("id" = String, Path, description = "the campaign's id")),
    request_body = Submission,
    responses((status = 200, description = "how many observations were added and changed", body = crate::answers::Submitted))
)]
/// Observations for one cluster as `{"cluster": "c1", "values": {"members": 12}}`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<Submission>,
) -> ApiResult<Json<Value>> {
    let mut rows = Vec::new();
    for (indicator, v) in b.values.0 {
        let x = v.as_f64().ok_or_else(|| {
            ApiError::bad_request(format!(
                "the value of {indicator} must be a number, not {v}"
            ))
        })?;
        rows.push((b.cluster.clone(), indicator, x));
    }
    if rows.is_empty() {
        return Err(ApiError::bad_request(
            "values is empty: give indicator: number pairs",
        ));
    }
    let (added, changed) = state
        .store
        .submit_observations(&caller.principal, &id, &rows, b.confirm)
        .await?;
    tell_submitted(&state, &caller.principal, &id, &rows, (added, changed)).await;
    Ok(Json(json!(crate::answers::Submitted { added, changed })))
}

#[utoipa::path(
    get,
    path = "/campaigns/{id}/template",
    tag = "campaigns",
    summary = "The campaign's .xlsx template for your clusters",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the template, as an .xlsx file", content(
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
/// The `.xlsx` template: one `observations` sheet with a row per cluster of
/// the caller and indicator of the campaign, the value to fill in, and in
/// its note the indicator's label, unit and the cluster's last value.
pub(crate) async fn template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let c = state.store.campaign(&caller.principal, &id).await?;
    let board = state.store.campaign_status(&caller.principal, &id).await?;
    let t = weaver_core::schema::table("observations")
        .ok_or_else(|| ApiError::not_found("observations"))?;
    let pos = |name: &str| t.position(name).unwrap_or(0);
    let clusters: Vec<String> = board.iter().map(|l| l.cluster.clone()).collect();
    let hints = state
        .store
        .template_hints(&caller.principal, &clusters, &c.indicators, &c.period)
        .await?;
    let mut rows = Vec::new();
    for h in &hints {
        let mut r = vec![Cell::Null; t.columns.len()];
        r[pos("cluster")] = Cell::Text(h.cluster.as_str().into());
        r[pos("indicator")] = Cell::Text(h.indicator.as_str().into());
        r[pos("period")] = Cell::Text(c.period.as_str().into());
        r[pos("note")] = Cell::Text(h.text().into());
        rows.push(r);
    }
    let mut present = vec![false; t.columns.len()];
    for name in ["cluster", "indicator", "period", "value", "note"] {
        present[pos(name)] = true;
    }
    let n = rows.len();
    let table = TableData {
        schema: t,
        present,
        rows,
        origin: format!("campaign {id}"),
        lines: (2..n + 2).collect(),
    };
    let name = format!("campaign-{id}");
    let bytes = crate::files::write_download(name, "xlsx", vec![table], None, None).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"campaign-{id}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct UploadQuery {
    /// `true` confirms values that jump from the previous period beyond
    /// their indicator's factor (refused with 422 otherwise).
    confirm: Option<bool>,
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/submission",
    tag = "campaigns",
    summary = "Submit the filled-in .xlsx template, whole or not at all (managers)",
    params(("id" = String, Path, description = "the campaign's id"), UploadQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "the campaign's filled-in .xlsx template"),
    responses((status = 200, description = "how many observations were added and changed", body = crate::answers::Submitted))
)]
/// The filled-in template (or any package whose only table is
/// `observations`), submitted whole or not at all.
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    // Who may submit, and to what, is settled before a byte of the upload
    // is read: an unknown campaign, a closed one or a caller who may not
    // submit is refused with the body unread.
    let c = state.store.campaign(&caller.principal, &id).await?;
    if c.status != "open" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("campaign '{id}' is closed; its observations are frozen"),
        ));
    }
    if !matches!(
        caller.principal.role,
        weaver_core::enums::Role::Admin | weaver_core::enums::Role::Manager
    ) || (!caller.principal.is_admin()
        && !c
            .clusters
            .iter()
            .any(|x| caller.principal.managed.contains(x)))
    {
        return Err(ApiError::forbidden(
            "observations are submitted by the managers of the campaign's clusters",
        ));
    }
    let body = crate::files::read_body(body, state.config.max_upload).await?;
    if !body.starts_with(b"PK") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the campaign's filled-in .xlsx template",
        ));
    }
    let format = if body.windows(15).any(|w| w == b"xl/workbook.xml") {
        "xlsx"
    } else {
        "zip"
    };
    let pkg = crate::files::read_upload(body, format, state.config.archive_limits).await?;
    let package = match state.store.check_package(pkg).await? {
        Ok(p) => p,
        Err(r) => return Err(ApiError::rejected("submission", &r)),
    };
    let Some(obs) = package.table("observations") else {
        return Err(ApiError::bad_request(
            "the upload has no observations sheet",
        ));
    };
    if package.tables.len() != 1 {
        return Err(ApiError::bad_request(
            "a submission holds the observations sheet only",
        ));
    }
    let t = obs.schema;
    let pos = |name: &str| t.position(name).unwrap_or(0);
    let mut rows = Vec::new();
    for (r, line) in obs.rows.iter().zip(&obs.lines) {
        if r[pos("period")].to_text() != c.period {
            return Err(ApiError::bad_request(format!(
                "row {line}: the period is {}, the campaign's is {}",
                r[pos("period")].to_text(),
                c.period
            )));
        }
        let value = r[pos("value")].as_f64().unwrap_or(f64::NAN);
        rows.push((
            r[pos("cluster")].to_text(),
            r[pos("indicator")].to_text(),
            value,
        ));
    }
    let (added, changed) = state
        .store
        .submit_observations(&caller.principal, &id, &rows, q.confirm.unwrap_or(false))
        .await?;
    tell_submitted(&state, &caller.principal, &id, &rows, (added, changed)).await;
    Ok(Json(json!(crate::answers::Submitted { added, changed })))
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/remind",
    tag = "campaigns",
    summary = "Remind the managers of clusters still missing; says who could not be reached and why (officers, admins)",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the reminders queued, and the clusters or managers not reached", body = weaver_service::notices::Reach))
)]
/// Queues a reminder to the managers of every cluster still missing (by
/// mail and in the application), and says who could not be reached.
pub(crate) async fn remind(
    State(state): State<AppState>,
    caller: Reminder,
    Path(id): Path<String>,
) -> ApiResult<Json<weaver_service::notices::Reach>> {
    let reach = weaver_service::notices::remind(
        &state.store,
        &caller.principal,
        &id,
        &state.config.public_url,
    )
    .await?;
    for q in &reach.reminders {
        state.sender.send(&q.to, &q.subject, "");
    }
    Ok(Json(reach))
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/close",
    tag = "campaigns",
    summary = "Close: freeze the observations, keep the results (officers, admins)",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the closed campaign and its status board when it closed", body = weaver_service::campaigns::ClosedCampaign))
)]
/// Closes the campaign: freezes its observations and keeps each cluster's
/// network analysis for the period, its status and its evaluation (the
/// index of the campaign's clusters on its indicators, default method) as
/// computed now, in one transaction ([`weaver_service::campaigns::close`]).
pub(crate) async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let closed = weaver_service::campaigns::close(&state.store, &caller.principal, &id).await?;
    Ok(Json(json!(closed)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PublishQuery {
    /// the currency the table compares money in (ISO 4217, default EUR).
    currency: Option<String>,
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/publish",
    tag = "campaigns",
    summary = "Publish a closed campaign's league table: from now on anyone reads it (officers of all its clusters, admins)",
    params(("id" = String, Path, description = "the campaign's id"), PublishQuery),
    responses((status = 200, description = "the campaign and its league table as published", body = weaver_service::league::PublishedCampaign))
)]
/// Publishes the closed campaign's league table (its clusters, period and
/// indicators, from the frozen observations): `GET
/// /evaluation/index?population=campaign:{id}` then serves it, as kept, to
/// anyone ([`weaver_service::league::publish`]).
pub(crate) async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PublishQuery>,
) -> ApiResult<Json<Value>> {
    let published = weaver_service::league::publish(
        &state.store,
        &caller.principal,
        &id,
        q.currency.as_deref(),
    )
    .await?;
    Ok(Json(json!(published)))
}

#[utoipa::path(
    get,
    path = "/campaigns/{id}/results",
    tag = "campaigns",
    summary = "The results kept when the campaign closed",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the results kept when the campaign closed", body = crate::answers::KeptResults))
)]
/// The results kept when the campaign closed.
pub(crate) async fn results(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let rows = state.store.frozen_results(&caller.principal, &id).await?;
    let results = rows
        .into_iter()
        .map(
            |(cluster, kind, computed_at, body)| crate::answers::KeptResult {
                cluster,
                kind,
                computed_at,
                result: serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
            },
        )
        .collect();
    Ok(Json(json!(crate::answers::KeptResults { results })))
}

#[utoipa::path(
    get,
    path = "/campaigns/{id}/ties",
    tag = "campaigns",
    summary = "The ties of your organization the campaign asks you to confirm (members)",
    params(("id" = String, Path, description = "the campaign's id")),
    responses((status = 200, description = "the ties to confirm", body = TiesAnswer))
)]
/// The ties a member is asked to confirm.
pub(crate) async fn ties(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TiesAnswer>> {
    let ties = state.store.ties_to_confirm(&caller.principal, &id).await?;
    Ok(Json(TiesAnswer { ties }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Confirmation {
    /// `true` confirms the tie, `false` disputes it.
    confirmed: bool,
    /// Why (kept with the answer; for a dispute, what is wrong).
    #[serde(default)]
    note: Option<String>,
}

#[utoipa::path(
    post,
    path = "/campaigns/{id}/ties/{row}",
    tag = "campaigns",
    summary = "Confirm (true) or dispute (false) a tie (members)",
    params(("id" = String, Path, description = "the campaign's id"), ("row" = i64, Path, description = "the tie's row_id")),
    request_body = Confirmation,
    responses((status = 200, description = "the tie with its answer", body = weaver_store::TieToConfirm))
)]
/// A member confirms (`true`) or disputes (`false`) a tie, with an
/// optional note; the board counts both.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, row)): Path<(String, i64)>,
    Json(b): Json<Confirmation>,
) -> ApiResult<Json<weaver_store::TieToConfirm>> {
    let tie = state
        .store
        .confirm_tie(&caller.principal, &id, row, b.confirmed, b.note.as_deref())
        .await?;
    Ok(Json(tie))
}
