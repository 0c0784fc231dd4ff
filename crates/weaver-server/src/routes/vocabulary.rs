//! The register's vocabularies with their labels: `/vocabulary`.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_service::vocabulary::{VocabularyAnswer, vocabulary as answer};

use crate::AppState;

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vocabulary))
}

/// The answer's JSON and its entity tag, made once (the vocabularies are
/// compiled in: the same for every caller until the server is rebuilt).
static BODY: LazyLock<(String, String)> = LazyLock::new(|| {
    let body = serde_json::to_string(&answer()).unwrap_or_else(|_| "{}".to_owned());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    let etag = format!("\"v-{:016x}\"", h.finish());
    (body, etag)
});

/// Every closed vocabulary of the register (actor types 政产学研金介用,
/// tiers, governance bodies and roles, tie kinds, source types, size
/// classes, lifecycle and policy stages, directions, visibility, …) with
/// each value's Chinese and English labels. Public and cacheable: an
/// `ETag` and `Cache-Control: public, max-age=3600`; a request whose
/// `If-None-Match` names the tag is answered 304.
#[utoipa::path(
    get,
    path = "/vocabulary",
    tag = "vocabulary",
    summary = "Every vocabulary's values with their Chinese and English labels (public, cacheable)",
    responses(
        (status = 200, description = "the vocabularies, each with its values in canonical order and their zh and en labels", body = VocabularyAnswer),
        (status = 304, description = "not modified: the If-None-Match named the current ETag")
    )
)]
pub(crate) async fn vocabulary(headers: HeaderMap) -> Response {
    let (body, etag) = &*BODY;
    let mut resp = if crate::web::not_modified(&headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body.clone(),
        )
            .into_response()
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    resp
}
