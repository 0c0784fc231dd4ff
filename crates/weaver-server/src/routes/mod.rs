//! The routes of `/api/v1`, by resource: each module holds one resource's
//! handlers, each handler annotated with its OpenAPI operation
//! (`#[utoipa::path]`: method, path, parameters, body, answers), and the
//! module's `router()` lists them with `utoipa_axum::routes!`. [`api`] only
//! merges the modules' routers, so the axum router, the OpenAPI document
//! ([`crate::openapi::document`]) and the list of operations
//! ([`OPERATIONS`]) come from the same annotations and cannot differ.

use std::sync::LazyLock;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod campaigns;
pub(crate) mod clusters;
pub(crate) mod directory;
pub(crate) mod evaluation;
pub(crate) mod jobs;
pub(crate) mod mapping;
pub(crate) mod networks;
pub(crate) mod notifications;
pub(crate) mod outbox;
pub(crate) mod packages;
pub(crate) mod regions;
pub(crate) mod rows;
pub(crate) mod tables;
pub(crate) mod tokens;
pub(crate) mod users;
pub(crate) mod vocabulary;

/// Every operation of `/api/v1`, with its OpenAPI operation. `max_upload`
/// bounds the bodies of the package and submission uploads.
pub(crate) fn api(max_upload: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(tables::router())
        .merge(auth::router())
        .merge(tokens::router())
        .merge(users::router())
        .merge(packages::router(max_upload))
        .merge(audit::router())
        .merge(evaluation::router())
        .merge(mapping::router())
        .merge(clusters::router())
        .merge(directory::router())
        .merge(networks::router())
        .merge(regions::router())
        .merge(vocabulary::router())
        .merge(jobs::router())
        .merge(campaigns::router(max_upload))
        .merge(notifications::router())
        .merge(outbox::router())
        .merge(rows::router())
}

/// Every operation of `/api/v1` as (method, path), in upper-case method
/// names and the router's path syntax, read from the same annotated
/// routes the router is built from; a path's methods in the order GET,
/// POST, PUT, PATCH, DELETE (the order of the `Allow` header of a 405).
pub static OPERATIONS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let doc = api(0).into_openapi();
    let mut ops = Vec::new();
    for (path, item) in doc.paths.paths {
        let path: &'static str = Box::leak(path.into_boxed_str());
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in methods {
            if present {
                ops.push((method, path));
            }
        }
    }
    ops
});
