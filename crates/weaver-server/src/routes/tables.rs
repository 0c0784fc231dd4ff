//! The register's schema and this API's OpenAPI document.

use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_core::schema;

use crate::AppState;
use crate::answers::{ColumnInfo, TableInfo, TablesAnswer};
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
    responses((status = 200, description = "the register's tables", body = TablesAnswer))
)]
async fn tables() -> Json<TablesAnswer> {
    let tables = schema::TABLES
        .iter()
        .map(|t| TableInfo {
            name: t.name.to_owned(),
            key: t.key.iter().map(|k| (*k).to_owned()).collect(),
            row_id: !t.has_id(),
            default_visibility: t.default_visibility.as_str().to_owned(),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnInfo {
                    name: c.name.to_owned(),
                    required: c.required,
                    ty: c.ty.expected().to_string(),
                })
                .collect(),
        })
        .collect();
    Json(TablesAnswer { tables })
}

/// The OpenAPI document, generated from the routes' annotations
/// ([`crate::openapi::document`]).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "tables",
    summary = "This document",
    responses((status = 200, description = "the OpenAPI 3.1 document", body = Object))
)]
async fn openapi_json() -> Json<Value> {
    Json(crate::openapi::document().clone())
}
