//! Monitoring campaigns over HTTP: open, follow on a status board, fill in
//! (JSON or the campaign's `.xlsx` template), remind, close (freezing the
//! observations and keeping the network analysis computed then).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use weaver_core::{TableData, Value as Cell};
use weaver_store::NewCampaign;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

type Body<T> = Result<Json<T>, JsonRejection>;
type Id = Result<Path<String>, PathRejection>;

#[derive(Debug, Deserialize)]
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

pub(crate) async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let list = state.store.campaigns(&caller.principal).await?;
    Ok(Json(json!({ "campaigns": list })))
}

pub(crate) async fn open(
    State(state): State<AppState>,
    caller: Caller,
    body: Body<OpenCampaign>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let Json(b) = body?;
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
    Ok((StatusCode::CREATED, Json(json!(c))))
}

/// The campaign and its status board.
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let c = state.store.campaign(&caller.principal, &id).await?;
    let board = state.store.campaign_status(&caller.principal, &id).await?;
    Ok(Json(json!({ "campaign": c, "status": board })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Submission {
    cluster: String,
    values: crate::api::UniqueObject,
}

/// Observations for one cluster as `{"cluster": "c1", "values": {"members": 12}}`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
    body: Body<Submission>,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let Json(b) = body?;
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
        .submit_observations(&caller.principal, &id, &rows)
        .await?;
    Ok(Json(json!({ "added": added, "changed": changed })))
}

/// The `.xlsx` template: one `observations` sheet with a row per cluster of
/// the caller and indicator of the campaign, the value to fill in.
pub(crate) async fn template(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Response> {
    let Path(id) = id?;
    let c = state.store.campaign(&caller.principal, &id).await?;
    let board = state.store.campaign_status(&caller.principal, &id).await?;
    let t = weaver_core::schema::table("observations")
        .ok_or_else(|| ApiError::not_found("observations"))?;
    let pos = |name: &str| t.position(name).unwrap_or(0);
    let mut rows = Vec::new();
    for line in &board {
        for ind in &c.indicators {
            let mut r = vec![Cell::Null; t.columns.len()];
            r[pos("cluster")] = Cell::Text(line.cluster.as_str().into());
            r[pos("indicator")] = Cell::Text(ind.as_str().into());
            r[pos("period")] = Cell::Text(c.period.as_str().into());
            rows.push(r);
        }
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
    let bytes = crate::files::write_download(name, "xlsx", vec![table], None).await?;
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

/// The filled-in template (or any package whose only table is
/// `observations`), submitted whole or not at all.
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
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
        .submit_observations(&caller.principal, &id, &rows)
        .await?;
    Ok(Json(json!({ "added": added, "changed": changed })))
}

/// Queues a reminder to the managers of every cluster still missing.
pub(crate) async fn remind(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let who = &caller.principal;
    if !matches!(
        who.role,
        weaver_core::enums::Role::Admin | weaver_core::enums::Role::Officer
    ) {
        return Err(ApiError::forbidden(
            "reminders are sent by programme officers and admins",
        ));
    }
    let c = state.store.campaign(who, &id).await?;
    let mut sent = Vec::new();
    for line in state.store.campaign_status(who, &id).await? {
        if line.state == "submitted" {
            continue;
        }
        for email in state.store.cluster_managers(&line.cluster).await? {
            state.sender.send(
                &email,
                &format!("Reminder: {} ({})", c.name, c.period),
                &format!(
                    "Cluster {} has not yet submitted {} of {} observations (missing: {}); the deadline is {}.",
                    line.cluster,
                    line.expected - line.present,
                    line.expected,
                    line.missing.join(", "),
                    c.deadline
                ),
            );
            sent.push(json!({"to": email, "cluster": line.cluster}));
        }
    }
    Ok(Json(json!({ "reminders": sent })))
}

/// Closes the campaign: freezes its observations and keeps each cluster's
/// network analysis for the period, its status and its evaluation (the
/// index of the campaign's clusters on its indicators, default method) as
/// computed now, in one transaction ([`weaver_service::campaigns::close`]).
pub(crate) async fn close(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let closed = weaver_service::campaigns::close(&state.store, &caller.principal, &id).await?;
    Ok(Json(json!(closed)))
}

/// The results kept when the campaign closed.
pub(crate) async fn results(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let rows = state.store.frozen_results(&caller.principal, &id).await?;
    let out: Vec<Value> = rows
        .into_iter()
        .map(|(cluster, kind, at, body)| {
            json!({
                "cluster": cluster, "kind": kind, "computed_at": at,
                "result": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
            })
        })
        .collect();
    Ok(Json(json!({ "results": out })))
}

/// The ties a member is asked to confirm.
pub(crate) async fn ties(
    State(state): State<AppState>,
    caller: Caller,
    id: Id,
) -> ApiResult<Json<Value>> {
    let Path(id) = id?;
    let ties = state.store.ties_to_confirm(&caller.principal, &id).await?;
    Ok(Json(json!({ "ties": ties })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Confirmation {
    confirmed: bool,
}

/// A member confirms (`true`) or disputes (`false`) a tie.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, i64)>, PathRejection>,
    body: Body<Confirmation>,
) -> ApiResult<Json<Value>> {
    let Path((id, row)) = params?;
    let Json(b) = body?;
    let tie = state
        .store
        .confirm_tie(&caller.principal, &id, row, b.confirmed)
        .await?;
    Ok(Json(json!(tie)))
}
