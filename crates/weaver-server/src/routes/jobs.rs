//! Background jobs: `/jobs/{id}`.

use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::answers::JobAnswer;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::{JobNumber, Json};
use crate::path_metrics::job_answer;

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
    responses((status = 200, description = "the job, with its result once done", body = JobAnswer))
)]
/// `GET /api/v1/jobs/{n}`: a job's state, and its result once done.
pub(crate) async fn job(
    State(state): State<AppState>,
    caller: Caller,
    JobNumber(id): JobNumber,
) -> ApiResult<Json<JobAnswer>> {
    let job = weaver_service::path_metrics::job(&state.store, &caller.principal, id).await?;
    Ok(Json(job_answer(&job)))
}
