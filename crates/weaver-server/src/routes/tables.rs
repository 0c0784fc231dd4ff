//! The register's schema and this API's OpenAPI document.

use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_core::schema;

use crate::AppState;
use crate::extract::Json;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tables))
        .routes(routes!(openapi_json))
}

// ---------------------------------------------------------------- schema

#[utoipa::path(
    get,
    path = "/tables",
    tag = "tables",
    summary = "The register's tables and columns",
    responses((status = 200, description = "success"))
)]
async fn tables() -> Json<Value> {
    let tables: Vec<Value> = schema::TABLES
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

/// The OpenAPI document, generated from the routes' annotations
/// ([`crate::openapi::document`]).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "tables",
    summary = "This document",
    responses((status = 200, description = "success"))
)]
async fn openapi_json() -> Json<Value> {
    Json(crate::openapi::document().clone())
}
