//! The regions' boundaries: `/regions/boundaries`. (The regions' rows are
//! served by the generic row routes, `/regions` and `/regions/{id}`.)

use axum::extract::State;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::Json;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(boundaries))
}

/// The regions' boundaries as a GeoJSON FeatureCollection (RFC 7946), with
/// the features of the regions the caller may read (the public: public
/// regions); 404 when the register holds none.
#[utoipa::path(
    get,
    path = "/regions/boundaries",
    tag = "regions",
    summary = "The regions' boundaries (GeoJSON FeatureCollection) of the regions you may read",
    responses((status = 200, description = "a GeoJSON FeatureCollection, each feature's properties.id a region's id; 404 when the register holds none", body = Object))
)]
pub(crate) async fn boundaries(
    State(state): State<AppState>,
    caller: Option<Caller>,
) -> ApiResult<Json<Value>> {
    let who = caller.as_ref().map(|c| &c.principal);
    Ok(Json(
        weaver_service::regions::boundaries(&state.store, who).await?,
    ))
}
