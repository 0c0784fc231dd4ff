//! Background jobs: `/jobs/{id}`.

use axum::extract::State;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::Caller;
use crate::engines::network_access;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JobNumber, Json};
use crate::path_metrics::{job_json, scope_name};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(job))
}

#[utoipa::path(
    get,
    path = "/jobs/{id}",
    tag = "jobs",
    summary = "A background job: status (queued, running, done, failed), progress, and its result once done",
    params(("id" = i64, Path, description = "the job's number")),
    responses((status = 200, description = "success"))
)]
/// `GET /api/v1/jobs/{n}`: a job's state, and its result once done.
pub(crate) async fn job(
    State(state): State<AppState>,
    caller: Caller,
    JobNumber(id): JobNumber,
) -> ApiResult<Json<Value>> {
    let who = &caller.principal;
    let job = state.store.job(id).await?;
    if !who.is_admin() {
        // The same view of the cluster, or nothing: not told apart from a missing job.
        let hidden = || ApiError::not_found(format!("there is no job {id}"));
        let period = (!job.period.is_empty()).then_some(job.period.as_str());
        let scope = network_access(&state, who, &job.cluster, period)
            .await
            .map_err(|_| hidden())?;
        if scope_name(scope) != job.scope {
            return Err(hidden());
        }
    }
    Ok(Json(job_json(&job)))
}
