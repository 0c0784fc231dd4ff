//! Packages in request and response bodies: weaver-io reads and writes files,
//! so bodies pass through a temporary folder, off the async threads.

use axum::http::StatusCode;
use weaver_core::{PackageBuilder, TableData};

use crate::error::ApiError;

/// A 500 for a failure of the server's own (logged, not shown).
pub(crate) fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "{what}");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("the server could not {what}; it has been logged"),
    )
}

/// Reads an uploaded package (`format` is `zip` or `xlsx`) for checking.
pub(crate) async fn read_upload(
    body: axum::body::Bytes,
    format: &'static str,
) -> Result<PackageBuilder, ApiError> {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(|e| internal("store the upload", e))?;
        let path = dir.path().join(format!("upload.{format}"));
        std::fs::write(&path, &body).map_err(|e| internal("store the upload", e))?;
        weaver_io::read_package(&path, weaver_core::problem::DEFAULT_PROBLEM_LIMIT)
            .map_err(|e| ApiError::bad_request(format!("the upload is not a package: {e}")))
    })
    .await
    .map_err(|e| internal("read the upload", e))?
}

/// Writes tables as a package named `name` (`format` `zip` or `xlsx`),
/// `properties` added to its `datapackage.json`, and returns its bytes.
pub(crate) async fn write_download(
    name: String,
    format: &'static str,
    tables: Vec<TableData>,
    properties: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(|e| internal("write the package", e))?;
        let path = dir.path().join(format!("{name}.{format}"));
        weaver_io::write_package_with(&path, &name, &tables, properties.as_ref())
            .map_err(|e| internal("write the package", e))?;
        std::fs::read(&path).map_err(|e| internal("write the package", e))
    })
    .await
    .map_err(|e| internal("write the package", e))?
}
