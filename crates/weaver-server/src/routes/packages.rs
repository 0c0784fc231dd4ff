//! The register as a data package, in and out: `/packages`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::answers::ImportAnswer;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Exporter, Importer, Json, Query};
use axum::extract::DefaultBodyLimit;

/// The routes of this resource.
pub(crate) fn router(max_upload: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_package)).merge(
        OpenApiRouter::new()
            .routes(routes!(upload_package))
            .layer(DefaultBodyLimit::max(max_upload)),
    )
}

// ---------------------------------------------------------------- packages

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct UploadQuery {
    /// report what would change, change nothing.
    dry_run: Option<bool>,
    /// zip or xlsx: the body's format (default: from Content-Type, else sniffed).
    format: Option<String>,
}

fn package_format(
    given: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<&'static str> {
    if let Some(f) = given {
        return match f {
            "zip" => Ok("zip"),
            "xlsx" => Ok("xlsx"),
            other => Err(ApiError::bad_request(format!(
                "format must be zip or xlsx, not '{other}'"
            ))),
        };
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.contains("spreadsheetml") {
        return Ok("xlsx");
    }
    if ct.contains("zip") {
        return Ok("zip");
    }
    if !body.starts_with(b"PK") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send a data package as a .zip of CSV files or an .xlsx workbook (the body is neither)",
        ));
    }
    let is_xlsx = body.windows(15).any(|w| w == b"xl/workbook.xml");
    Ok(if is_xlsx { "xlsx" } else { "zip" })
}

#[utoipa::path(
    post,
    path = "/packages",
    tag = "packages",
    summary = "Import a data package (.zip of CSV files or .xlsx workbook) in one transaction (admins; managers: their own clusters' rows)",
    description = "A cluster manager's package may hold only rows the manager may write through the \
        row API (rows of its clusters, new organizations and ties); any other row, a table only \
        admins write (indicators, regions, programmes, …) or the regions' boundaries refuses the \
        whole package with 422, each problem naming the file, the row and the reason, and nothing \
        changes. Each row is audited under the manager. Observations whose value breaks its \
        indicator's rules (range, whole number) refuse the package (422); jumps from the previous \
        period are imported and listed in `warnings`.",
    params(UploadQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "a .zip of CSV files with datapackage.json, or an .xlsx workbook"),
    responses((status = 200, description = "what the import did (or would do), table by table", body = ImportAnswer))
)]
/// Imports an uploaded package (admins; managers within their clusters), or
/// reports what it would change.
async fn upload_package(
    State(state): State<AppState>,
    // Rights first: the upload is read only for an admin or a manager.
    caller: Importer,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Json<ImportAnswer>> {
    let body = crate::files::read_body(body, state.config.max_upload).await?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the upload is empty; send a .zip or .xlsx package",
        ));
    }
    let format = package_format(q.format.as_deref(), &headers, &body)?;
    let pkg = crate::files::read_upload(body, format, state.config.archive_limits).await?;
    let package = match state.store.check_package(pkg).await? {
        Ok(p) => p,
        Err(rejected) => return Err(ApiError::rejected("package", &rejected)),
    };
    let options = weaver_store::ImportOptions {
        dry_run: q.dry_run.unwrap_or(false),
    };
    let report = match state
        .store
        .import_as(&caller.principal, &package, &options)
        .await
    {
        Ok(r) => r,
        // Refused rows (a manager's rows outside its rights, values an
        // indicator does not accept) refuse the package, as its checks do.
        Err(weaver_store::StoreError::Rejected(rejected)) => {
            return Err(ApiError::rejected("package", &rejected));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Json(ImportAnswer {
        package: package.name,
        dry_run: report.dry_run,
        tables: report.tables,
        notices: package.notices,
        warnings: report.warnings,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// zip (default) or xlsx.
    format: Option<String>,
}

#[utoipa::path(
    get,
    path = "/packages/export",
    tag = "packages",
    summary = "The whole register as a data package (admins and officers)",
    params(ExportQuery),
    responses((status = 200, description = "the data package, as a file", content(
        (String = "application/zip"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
/// The register as a package: the whole register for admins; for officers
/// the rows they may read, without the rows that refer to rows left out,
/// marked partial in `datapackage.json` (a `weaver` property: `partial`,
/// `reason`, `exported_for`) and by the `X-Weaver-Partial: true` header.
async fn export_package(
    State(state): State<AppState>,
    caller: Exporter,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let format = match q.format.as_deref().unwrap_or("zip") {
        "zip" => "zip",
        "xlsx" => "xlsx",
        other => {
            return Err(ApiError::bad_request(format!(
                "format must be zip or xlsx, not '{other}'"
            )));
        }
    };
    let who = &caller.principal;
    let (tables, partial) = state.store.export_readable(who).await?;
    let boundaries = weaver_service::regions::boundaries_for_export(&state.store, who).await?;
    let properties = partial.then(|| {
        let mut m = Map::new();
        m.insert(
            "weaver".to_owned(),
            json!({
                "partial": true,
                "reason": "only the rows the account may read, without the rows that refer to \
                           rows left out; an admin's export holds the whole register",
                "exported_for": {"email": who.email, "role": who.role},
            }),
        );
        m
    });
    let bytes = crate::files::write_download(
        "weaver-register".to_owned(),
        format,
        tables,
        boundaries,
        properties,
    )
    .await?;
    let ct = if format == "zip" {
        "application/zip"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, ct.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"weaver-register.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response();
    if partial {
        response
            .headers_mut()
            .insert("x-weaver-partial", HeaderValue::from_static("true"));
    }
    Ok(response)
}
