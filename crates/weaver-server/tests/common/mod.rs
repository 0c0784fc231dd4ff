//! What the server's suites share: a fixture register and one account of
//! each kind, each with an API token.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use weaver_core::PackageBuilder;
use weaver_core::enums::Role;
use weaver_store::{ImportOptions, ScopeKind, Store};

/// A table of a fixture: name, header, rows.
pub type Table = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

/// Imports `fixture` (checked as a data package) into `store`.
pub async fn import_fixture(store: &Store, fixture: &[Table]) {
    let mut b = PackageBuilder::new("fixture");
    for (name, header, rows) in fixture {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut t = b.table(name, &format!("{name}.csv"), &header).unwrap();
        for (i, r) in rows.iter().enumerate() {
            t.push_row(i + 2, r);
        }
    }
    let pkg = b.finish(&|_, _| false).unwrap();
    store
        .import(&pkg, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap();
}

/// The accounts every suite signs in as, by name, with their API tokens:
/// `admin`; `officer` of programme p1; `manager` of cluster c1; `member` of
/// organization o1; `outsider`, manager of c2.
pub async fn accounts(store: &Store) -> HashMap<&'static str, String> {
    let mut tokens = HashMap::new();
    for (who, role, scope) in [
        ("admin", Role::Admin, None),
        ("officer", Role::Officer, Some((ScopeKind::Programme, "p1"))),
        ("manager", Role::Manager, Some((ScopeKind::Cluster, "c1"))),
        (
            "member",
            Role::Member,
            Some((ScopeKind::Organization, "o1")),
        ),
        ("outsider", Role::Manager, Some((ScopeKind::Cluster, "c2"))),
    ] {
        let user = store
            .create_user(&format!("{who}@example.org"), None, role, None)
            .await
            .unwrap();
        if let Some((kind, r)) = scope {
            store.assign(user.id, kind, r).await.unwrap();
        }
        let token = format!("test-token-{who}");
        store
            .create_api_token(user.id, "tests", &weaver_server::auth::secret_hash(&token))
            .await
            .unwrap();
        tokens.insert(who, token);
    }
    tokens
}

/// A runtime with two worker threads, so that requests of one test can run
/// side by side (and background jobs beside them).
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Sends one request to `app` as `who` (its API token from `tokens`; none
/// for "public"), the body with `content_type`, and returns the status and
/// the JSON answer (Null when empty). No request may fail with a 5xx.
pub async fn request(
    app: &axum::Router,
    tokens: &HashMap<&'static str, String>,
    who: &str,
    method: &str,
    path: &str,
    body: Option<(String, &str)>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = tokens.get(who) {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some((b, content_type)) => req.header("content-type", content_type).body(Body::from(b)),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(
        !status.is_server_error(),
        "{method} {path} as {who} gave {status}: {v}"
    );
    (status, v)
}
