//! What every request passes before a handler, and every answer after it:
//!
//! - a URI longer than [`MAX_URI`] is refused with 414;
//! - a control character (U+0000–U+001F, U+007F–U+009F) in the path or in a
//!   query parameter is refused with a 400 naming the parameter (no
//!   parameter of the API takes one, and the databases do not store NUL);
//! - an error answered by the HTTP layer rather than a handler (405 for a
//!   method a path does not take, a rejection of an extractor that wrote
//!   plain text) is given the one JSON error shape of [`crate::error`], its
//!   headers (`Allow`) kept.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The longest URI (path and query) accepted, in bytes. Longer ones never
/// name anything the API has; the HTTP layer itself refuses URIs of 64 KiB
/// and more before the application sees them.
pub const MAX_URI: usize = 8 * 1024;

/// The bytes of a percent-encoded URI part (`+` as a space in a query).
fn decode(part: &str, plus_is_space: bool) -> String {
    let b = part.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first control character of `s`, as `U+XXXX`.
fn control(s: &str) -> Option<String> {
    s.chars()
        .find(|c| c.is_control())
        .map(|c| format!("U+{:04X}", u32::from(c)))
}

/// Why the request's URI is refused, if it is.
fn check_uri(path: &str, query: Option<&str>) -> Option<ApiError> {
    if path.len() + query.map_or(0, |q| q.len() + 1) > MAX_URI {
        return Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the URI is longer than {MAX_URI} bytes; send long input in a request body"),
        ));
    }
    if let Some(c) = control(&decode(path, false)) {
        return Some(ApiError::bad_request(format!(
            "the path holds a control character ({c}); no id of the register has one"
        )));
    }
    for pair in query.unwrap_or("").split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name, true);
        if let Some(c) = control(&name).or_else(|| control(&decode(value, true))) {
            let shown: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
            return Some(ApiError::bad_request(format!(
                "the query parameter '{shown}' holds a control character ({c}); \
                 no parameter of the API takes one"
            )));
        }
    }
    None
}

/// The methods the router serves at `path` (under `/api/v1`), from its own
/// list of operations: the template the router picks for the path (a fixed
/// segment before a parameter, as axum matches), e.g. "GET, POST".
fn routed_methods(path: &str) -> Option<String> {
    let path = path.strip_prefix("/api/v1")?;
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    // Per matching template, whether each segment is fixed: the router
    // prefers the template with a fixed segment at the first difference.
    let mut best: Option<(Vec<bool>, &str)> = None;
    for (_, template) in crate::OPERATIONS.iter() {
        let parts: Vec<&str> = template.split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let fixed: Vec<bool> = parts.iter().map(|p| !p.starts_with('{')).collect();
        let matches = parts
            .iter()
            .zip(&segments)
            .all(|(p, s)| p.starts_with('{') || p == s);
        if matches && best.as_ref().is_none_or(|(b, _)| fixed > *b) {
            best = Some((fixed, template));
        }
    }
    let (_, template) = best?;
    let methods: Vec<&str> = crate::OPERATIONS
        .iter()
        .filter(|(_, t)| *t == template)
        .map(|(m, _)| *m)
        .collect();
    Some(methods.join(", "))
}

/// The message of an error the HTTP layer answered without the JSON shape.
fn message_of(
    status: StatusCode,
    method: &Method,
    path: &str,
    allow: Option<&str>,
    text: &str,
) -> (&'static str, String) {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            match allow
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .or_else(|| routed_methods(path))
            {
                Some(allowed) => {
                    format!("{path} does not take the method {method}; it takes {allowed}")
                }
                None => format!("{path} does not take the method {method}"),
            },
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", format!("the request body: {text}")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", text.to_owned()),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "the URI is too long".to_owned()),
        StatusCode::NOT_FOUND => ("not_found", format!("nothing at {path}")),
        StatusCode::SERVICE_UNAVAILABLE => (
            "unavailable",
            if text.is_empty() {
                "the server cannot answer now; try again later".to_owned()
            } else {
                text.to_owned()
            },
        ),
        s if s.is_server_error() => (
            "internal",
            "the server could not complete the request; it has been logged".to_owned(),
        ),
        _ => (
            "invalid",
            if text.is_empty() {
                format!("the request to {path} was refused")
            } else {
                text.to_owned()
            },
        ),
    }
}

/// The middleware: refuses bad URIs, and gives errors without the JSON
/// shape that shape.
pub async fn guard(req: Request, next: Next) -> Response {
    if let Some(e) = check_uri(req.uri().path(), req.uri().query()) {
        return e.into_response();
    }
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let allow = parts
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (code, message) = message_of(status, &method, &path, allow.as_deref(), &text);
    let fresh = ApiError::new(status, code, message).into_response();
    let (fresh_parts, fresh_body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(ct) = fresh_parts.headers.get(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, ct.clone());
    }
    Response::from_parts(parts, Body::new(fresh_body))
}

#[cfg(test)]
mod tests {
    use super::routed_methods;

    #[test]
    fn the_methods_of_a_path_are_those_of_the_template_the_router_picks() {
        let m = |p: &str| routed_methods(p);
        // A fixed segment wins over the generic table routes.
        assert_eq!(m("/api/v1/tables").as_deref(), Some("GET"));
        assert_eq!(m("/api/v1/campaigns/c1/close").as_deref(), Some("POST"));
        assert_eq!(m("/api/v1/clusters/c1/paths").as_deref(), Some("GET, POST"));
        assert_eq!(m("/api/v1/clusters/c1/network").as_deref(), Some("GET"));
        // The generic ones otherwise.
        assert_eq!(m("/api/v1/organizations").as_deref(), Some("GET, POST"));
        assert_eq!(
            m("/api/v1/organizations/o1").as_deref(),
            Some("GET, PATCH, DELETE")
        );
        assert_eq!(m("/elsewhere"), None);
    }
}
