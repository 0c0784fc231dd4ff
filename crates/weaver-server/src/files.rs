//! Packages in request and response bodies: weaver-io reads and writes files,
//! so bodies pass through a temporary folder, off the async threads.

use axum::http::StatusCode;
use weaver_core::{PackageBuilder, TableData};

use crate::error::ApiError;

/// Reads a request body of at most `limit` bytes, for handlers that check
/// the caller's rights before reading anything: an upload is never read
/// for a caller who may not send it.
pub(crate) async fn read_body(
    body: axum::body::Body,
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // A body past the limit fails with the limit's own error in the chain.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "the upload is larger than {} MiB, the largest accepted \
                         (setting --max-upload-mb, WEAVER_MAX_UPLOAD_MB)",
                        limit >> 20
                    ),
                );
            }
            source = s.source();
        }
        ApiError::bad_request(format!("the upload could not be read: {e}"))
    })
}

/// Reads an uploaded package (`format` is `zip` or `xlsx`) for checking,
/// within the archive caps of `limits` (a 413 naming the entry past them).
pub(crate) async fn read_upload(
    body: axum::body::Bytes,
    format: &'static str,
    limits: weaver_io::ArchiveLimits,
) -> Result<PackageBuilder, ApiError> {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(|e| ApiError::internal("store the upload", e))?;
        let path = dir.path().join(format!("upload.{format}"));
        std::fs::write(&path, &body).map_err(|e| ApiError::internal("store the upload", e))?;
        weaver_io::read_package_limited(&path, weaver_core::problem::DEFAULT_PROBLEM_LIMIT, &limits)
            .map_err(|e| match e {
                weaver_io::IoError::TooLarge { message, .. } => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!("the upload {message}; nothing was read further"),
                ),
                e => ApiError::bad_request(format!("the upload is not a package: {e}")),
            })
    })
    .await
    .map_err(|e| ApiError::internal("read the upload", e))?
}

/// Writes tables as a package named `name` (`format` `zip` or `xlsx`),
/// `properties` added to its `datapackage.json`, with the regions'
/// `boundaries` (a zip only), and returns its bytes.
pub(crate) async fn write_download(
    name: String,
    format: &'static str,
    tables: Vec<TableData>,
    boundaries: Option<String>,
    properties: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(|e| ApiError::internal("write the package", e))?;
        let path = dir.path().join(format!("{name}.{format}"));
        weaver_io::write_package_full(
            &path,
            &name,
            &tables,
            boundaries.as_deref(),
            properties.as_ref(),
        )
        .map_err(|e| ApiError::internal("write the package", e))?;
        std::fs::read(&path).map_err(|e| ApiError::internal("write the package", e))
    })
    .await
    .map_err(|e| ApiError::internal("write the package", e))?
}
