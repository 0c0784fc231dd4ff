//! The web UI's files, served at every path outside `/api/` (and the health
//! checks). With the `ui` feature the files of `web/dist` are in the binary
//! (`build.rs` embeds them); hashed assets (`/assets/…`) are immutable, every
//! other file is revalidated (`no-cache`) by its `ETag`, and a path that
//! names no file is answered with `index.html`, whose router shows the page.
//! Without a build, every page says which command makes one.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// One embedded file of the UI's build.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asset {
    /// Its path under `web/dist`, with `/`, without a leading one.
    pub path: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
    /// Its entity tag, quoted (a hash of the bytes and their length).
    pub etag: &'static str,
    /// Its bytes gzipped, for a text file where that is smaller.
    pub gzip: Option<&'static [u8]>,
    /// The entity tag of the gzipped bytes (another representation).
    pub gzip_etag: &'static str,
}

/// The files embedded at build time (empty without the `ui` feature or
/// without `web/dist`).
pub(crate) static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// The command that builds the UI into the binary, shown when it is not there.
pub const BUILD_COMMAND: &str = "(cd web && npm ci && npm run build) && cargo build -p weaver";

/// Whether this binary was built with the `ui` feature.
const FEATURE: bool = cfg!(feature = "ui");

/// The router's fallback: the UI outside `/api/`, the API's JSON 404 inside.
pub(crate) async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    answer(ASSETS, FEATURE, &method, uri.path(), &headers)
}

/// The answer to `method path` from `assets` (kept apart for the tests).
pub(crate) fn answer(
    assets: &[Asset],
    feature: bool,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Response {
    let api = path == "/api" || path.starts_with("/api/");
    if api || !(method == Method::GET || method == Method::HEAD) {
        return ApiError::not_found(
            "no such endpoint; the API is under /api/v1 (see /api/v1/tables)",
        )
        .into_response();
    }
    if assets.is_empty() {
        return not_built(feature);
    }
    let wanted = path.trim_start_matches('/');
    let wanted = if wanted.is_empty() {
        "index.html"
    } else {
        wanted
    };
    let asset = match assets.iter().find(|a| a.path == wanted) {
        Some(a) => a,
        // A missing hashed asset is a 404 (never a page in its place); any
        // other path is a page of the client's router.
        None if wanted.starts_with("assets/") => {
            return ApiError::not_found(format!("no file of the web UI at {path}")).into_response();
        }
        None => match assets.iter().find(|a| a.path == "index.html") {
            Some(a) => a,
            None => return not_built(feature),
        },
    };
    let cache = if asset.path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let gzip = asset.gzip.filter(|_| accepts_gzip(headers));
    let etag = if gzip.is_some() {
        asset.gzip_etag
    } else {
        asset.etag
    };
    let mut resp = if not_modified(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(gzip.unwrap_or(asset.body)));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(asset.path)),
        );
        if gzip.is_some() {
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        r
    };
    let h = resp.headers_mut();
    if asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    h.insert(header::ETAG, HeaderValue::from_static(etag));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// Whether the request's `Accept-Encoding` takes gzip (named, or `*`, without `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// The page answered when the binary holds no build of the UI.
fn not_built(feature: bool) -> Response {
    let how = if feature {
        format!(
            "<p>This <code>weaver</code> was built before the web UI was. Build the UI and the \
             binary again, from the repository's root:</p><pre><code>{}</code></pre>\
             <p>or run <code>bash scripts/demo.sh</code>, which does both and serves the demo.</p>",
            BUILD_COMMAND.replace('&', "&amp;")
        )
    } else {
        "<p>This <code>weaver</code> was built without its <code>ui</code> feature. Build the UI \
         and the binary with it (the feature is on by default), from the repository's root:</p>\
         <pre><code>(cd web &amp;&amp; npm ci &amp;&amp; npm run build) &amp;&amp; cargo build -p weaver --features ui</code></pre>"
            .to_owned()
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Weaver: the web UI \
         is not built</title></head><body><main><h1>Weaver: the web UI is not built</h1>{how}\
         <p>The API is served all the same, under <a href=\"/api/v1/tables\">/api/v1</a>.</p>\
         </main></body></html>"
    );
    let mut r = Response::new(Body::from(html));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Whether the request's `If-None-Match` names `etag` (or `*`): the
/// answer is then a 304 without a body. The one conditional-GET check of
/// the server (the UI's files and the cacheable API answers).
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// The media type of a file of the build, by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[Asset] = &[
        Asset {
            path: "index.html",
            body: b"<!doctype html><p>app</p>",
            etag: "\"i1\"",
            gzip: None,
            gzip_etag: "\"i1-gz\"",
        },
        Asset {
            path: "assets/index-abc123.js",
            body: b"console.log(1)",
            etag: "\"j1\"",
            gzip: Some(b"GZIPPED"),
            gzip_etag: "\"j1-gz\"",
        },
        Asset {
            path: "favicon.svg",
            body: b"<svg/>",
            etag: "\"f1\"",
            gzip: None,
            gzip_etag: "\"f1-gz\"",
        },
    ];

    fn get(assets: &[Asset], path: &str, headers: &HeaderMap) -> Response {
        answer(assets, true, &Method::GET, path, headers)
    }

    fn header_of(r: &Response, name: header::HeaderName) -> &str {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    async fn text(r: Response) -> String {
        let b = axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .expect("a body");
        String::from_utf8(b.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn the_root_and_client_routes_serve_index_html_revalidated() {
        for path in [
            "/",
            "/index.html",
            "/en/clusters",
            "/zh/clusters/demo-cn-1?x=1",
        ] {
            let r = get(FILES, path, &HeaderMap::new());
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(header_of(&r, header::CACHE_CONTROL), "no-cache", "{path}");
            assert_eq!(header_of(&r, header::ETAG), "\"i1\"", "{path}");
            assert!(
                header_of(&r, header::CONTENT_TYPE).starts_with("text/html"),
                "{path}"
            );
            assert_eq!(text(r).await, "<!doctype html><p>app</p>", "{path}");
        }
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable_and_other_files_revalidated() {
        let r = get(FILES, "/assets/index-abc123.js", &HeaderMap::new());
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            header_of(&r, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert!(header_of(&r, header::CONTENT_TYPE).starts_with("text/javascript"));
        assert_eq!(text(r).await, "console.log(1)");
        let r = get(FILES, "/favicon.svg", &HeaderMap::new());
        assert_eq!(header_of(&r, header::CACHE_CONTROL), "no-cache");
        assert_eq!(header_of(&r, header::CONTENT_TYPE), "image/svg+xml");
    }

    #[tokio::test]
    async fn a_matching_etag_is_answered_304_without_a_body() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", \"j1\""),
        );
        let r = get(FILES, "/assets/index-abc123.js", &h);
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header_of(&r, header::ETAG), "\"j1\"");
        assert_eq!(text(r).await, "");
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"old\""));
        assert_eq!(get(FILES, "/", &h).status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn text_files_are_sent_gzipped_to_clients_that_take_it() {
        let path = "/assets/index-abc123.js";
        for (accept, gzipped) in [
            ("gzip, deflate, br", true),
            ("br;q=1.0, GZIP;q=0.5", true),
            ("*", true),
            ("gzip;q=0", false),
            ("br", false),
            ("", false),
        ] {
            let mut h = HeaderMap::new();
            if !accept.is_empty() {
                h.insert(
                    header::ACCEPT_ENCODING,
                    HeaderValue::from_str(accept).unwrap(),
                );
            }
            let r = get(FILES, path, &h);
            assert_eq!(header_of(&r, header::VARY), "accept-encoding", "{accept}");
            if gzipped {
                assert_eq!(header_of(&r, header::CONTENT_ENCODING), "gzip", "{accept}");
                assert_eq!(header_of(&r, header::ETAG), "\"j1-gz\"", "{accept}");
                assert_eq!(text(r).await, "GZIPPED", "{accept}");
            } else {
                assert!(
                    r.headers().get(header::CONTENT_ENCODING).is_none(),
                    "{accept}"
                );
                assert_eq!(header_of(&r, header::ETAG), "\"j1\"", "{accept}");
                assert_eq!(text(r).await, "console.log(1)", "{accept}");
            }
        }
        // Each representation is revalidated by its own tag.
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"j1\""));
        assert_eq!(get(FILES, path, &h).status(), StatusCode::OK);
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"j1-gz\""));
        assert_eq!(get(FILES, path, &h).status(), StatusCode::NOT_MODIFIED);
        // A file without a gzipped form is sent as it is, without Vary.
        let r = get(FILES, "/", &h);
        assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
        assert!(r.headers().get(header::VARY).is_none());
    }

    #[tokio::test]
    async fn api_paths_other_methods_and_missing_assets_stay_json_404s() {
        for (method, path) in [
            (Method::GET, "/api/v1/no-such-thing"),
            (Method::GET, "/api"),
            (Method::POST, "/"),
            (Method::GET, "/assets/gone-123.js"),
        ] {
            let r = answer(FILES, true, &method, path, &HeaderMap::new());
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{method} {path}");
            assert!(header_of(&r, header::CONTENT_TYPE).starts_with("application/json"));
            assert!(text(r).await.contains("\"not_found\""), "{method} {path}");
        }
    }

    #[tokio::test]
    async fn without_a_build_every_page_says_how_to_make_one() {
        for feature in [true, false] {
            let r = answer(
                &[],
                feature,
                &Method::GET,
                "/en/clusters",
                &HeaderMap::new(),
            );
            assert_eq!(r.status(), StatusCode::OK);
            assert!(header_of(&r, header::CONTENT_TYPE).starts_with("text/html"));
            let body = text(r).await;
            assert!(body.contains("npm ci &amp;&amp; npm run build"), "{body}");
            assert!(body.contains("cargo build -p weaver"), "{body}");
        }
        let r = answer(&[], true, &Method::GET, "/api/v1/x", &HeaderMap::new());
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
