//! Conditional GETs of the API's JSON answers: one layer around `/api/v1`
//! gives every successful JSON answer to a GET an `ETag` (a digest of the
//! body) and a `Cache-Control`, and answers 304 without a body when the
//! request's `If-None-Match` names that tag ([`crate::web::not_modified`]).
//!
//! The answer is still computed (what the caller may read can change with
//! any write), so a client always revalidates: `no-cache`, and `private`
//! with `Vary: Cookie, Authorization` when the request carries credentials
//! (a shared cache never gives one caller's answer to another). Answers
//! that set their own `ETag` or `Cache-Control` (the vocabulary's, static)
//! keep theirs; errors, other methods and non-JSON answers are left alone.

use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::Digest;

/// The largest answer the layer reads whole to tag it (larger ones, and
/// streamed ones of unknown size, pass untagged).
const MAX_TAGGED: usize = 32 * 1024 * 1024;

/// The layer (`axum::middleware::from_fn`).
pub(crate) async fn conditional_get(req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let headers = req.headers().clone();
    let credentials =
        headers.contains_key(header::COOKIE) || headers.contains_key(header::AUTHORIZATION);
    let resp = next.run(req).await;
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let sized = resp
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_TAGGED as u64);
    if resp.status() != StatusCode::OK
        || !json
        || !sized
        || resp.headers().contains_key(header::ETAG)
        || resp.headers().contains_key(header::CACHE_CONTROL)
    {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = match to_bytes(body, MAX_TAGGED).await {
        Ok(b) => b,
        Err(e) => {
            return crate::error::ApiError::internal("answer this request", e).into_response();
        }
    };
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"j-{hex}\"");
    let h = &mut parts.headers;
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if credentials {
            "private, no-cache"
        } else {
            "no-cache"
        }),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Authorization"),
    );
    if crate::web::not_modified(&headers, &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}
