//! What the server's suites share: a fixture register and one account of
//! each kind, each with an API token; the environment a test runs in (a
//! register on each backend available, served) and the requests it sends.

// Each test binary compiles this module on its own and uses only part of
// it; what one suite leaves unused another uses.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use weaver_core::PackageBuilder;
use weaver_core::enums::Role;
use weaver_server::{AppState, Config};
use weaver_store::{ImportOptions, ScopeKind, Store};

/// API tokens by the name a test signs in as.
pub type Tokens = HashMap<&'static str, String>;

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
        let Some(mut t) = b.table(name, &format!("{name}.csv"), &header) else {
            panic!("fixture table {name}: {:?}", b.problems.list());
        };
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
pub async fn accounts(store: &Store) -> Tokens {
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

/// Runs `check` on a fresh register of each backend available, made by
/// `make` (a suite's `envs`), and closes each afterwards. A test checks one
/// rule: its own register, seeded by the suite, and only the requests that
/// rule needs.
pub fn on_each<X>(make: impl AsyncFn() -> Vec<Env<X>>, check: impl AsyncFn(&Env<X>)) {
    rt().block_on(async {
        for env in make().await {
            check(&env).await;
            env.finish().await;
        }
    });
}

/// Sends one request to `app` as `who` (its API token from `tokens`; none
/// for "public"), the body with `content_type`, and returns the status and
/// the JSON answer (Null when empty). No request may fail with a 5xx.
pub async fn request(
    app: &axum::Router,
    tokens: &Tokens,
    who: &str,
    method: &str,
    path: &str,
    body: Option<(String, &str)>,
) -> (StatusCode, Value) {
    let (status, _, bytes) = exchange(app, tokens, who, method, path, body).await;
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(
        !status.is_server_error(),
        "{method} {path} as {who} gave {status}: {v}"
    );
    (status, v)
}

/// Sends one request to `app` as `who` (its API token from `tokens`; none
/// for "public"), the body with `content_type`, and returns the status, the
/// headers and the body as bytes, whatever the status.
pub async fn exchange(
    app: &axum::Router,
    tokens: &Tokens,
    who: &str,
    method: &str,
    path: &str,
    body: Option<(String, &str)>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
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
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

/// A sender that keeps what it was asked to send: (to, subject).
#[derive(Debug, Default)]
pub struct Outbox(pub std::sync::Mutex<Vec<(String, String)>>);

impl weaver_server::Sender for Outbox {
    fn send(&self, to: &str, subject: &str, _body: &str) {
        self.0
            .lock()
            .unwrap()
            .push((to.to_owned(), subject.to_owned()));
    }
}

/// The application serving `store` with `config`, messages to `sender`.
pub fn app(store: &Store, config: Config, sender: Arc<dyn weaver_server::Sender>) -> axum::Router {
    weaver_server::app(AppState {
        store: store.clone(),
        config: Arc::new(config),
        sender,
    })
}

/// A register, seeded and served, that a test runs against; `extra` is
/// what the suite's seeding gave besides the tokens.
pub struct Env<X = ()> {
    /// Where the register is.
    pub url: String,
    /// The messages the application sent.
    pub outbox: Arc<Outbox>,
    /// The application serving the register.
    pub app: axum::Router,
    /// The register.
    pub store: Store,
    /// The API tokens of the accounts, by name.
    pub tokens: Tokens,
    /// What the seeding gave besides the tokens.
    pub extra: X,
    /// The PostgreSQL database to drop at the end (None for SQLite).
    pub pg_db: Option<String>,
    _dir: tempfile::TempDir,
}

/// A fresh register with `fixture` and the [`accounts`] on each backend
/// that is available, served with `config`: SQLite in a temporary
/// `{name}.db`, PostgreSQL in a fresh database named after `weaver_{name}`.
pub async fn envs(name: &str, fixture: &[Table], config: Config) -> Vec<Env> {
    envs_with(name, config, async |store: &Store| {
        import_fixture(store, fixture).await;
        (accounts(store).await, ())
    })
    .await
}

/// A fresh register on each backend that is available (as [`envs`]),
/// seeded by `seed`, which gives the tokens and the suite's `extra`.
pub async fn envs_with<X>(
    name: &str,
    config: Config,
    seed: impl AsyncFn(&Store) -> (Tokens, X),
) -> Vec<Env<X>> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}",
        dir.path().join(format!("{name}.db")).display()
    );
    let mut out = vec![Env::open(url, None, dir, &config, &seed).await];
    if let Some((url, db)) = weaver_testkit::fresh_postgres(&format!("weaver_{name}")).await {
        let dir = tempfile::tempdir().unwrap();
        out.push(Env::open(url, Some(db), dir, &config, &seed).await);
    }
    out
}

impl<X> Env<X> {
    /// Opens the register at `url`, seeds it and serves it with `config`.
    async fn open(
        url: String,
        pg_db: Option<String>,
        dir: tempfile::TempDir,
        config: &Config,
        seed: &impl AsyncFn(&Store) -> (Tokens, X),
    ) -> Self {
        let store = Store::open(&url).await.unwrap();
        let (tokens, extra) = seed(&store).await;
        let outbox = Arc::new(Outbox::default());
        let app = app(&store, config.clone(), outbox.clone());
        Env {
            url,
            outbox,
            app,
            store,
            tokens,
            extra,
            pg_db,
            _dir: dir,
        }
    }

    /// Sends a request as `who` ("public" for nobody), the body as JSON,
    /// and returns the status and the JSON answer (Null when empty). No
    /// request may fail with a 5xx.
    pub async fn call(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let raw = body.map(|b| b.to_string());
        self.raw(who, method, path, raw, "application/json").await
    }

    /// As [`Env::call`], the body given as text with `content_type`.
    pub async fn raw(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<String>,
        content_type: &str,
    ) -> (StatusCode, Value) {
        request(
            &self.app,
            &self.tokens,
            who,
            method,
            path,
            body.map(|b| (b, content_type)),
        )
        .await
    }

    /// Sends a request as `who`, the body with its content type, and
    /// returns the status, headers and bytes of the answer, whatever the
    /// status.
    pub async fn exchange(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<(String, &str)>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        exchange(&self.app, &self.tokens, who, method, path, body).await
    }

    /// The status, headers and bytes of a GET as `who`.
    pub async fn bytes(&self, who: &str, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        self.exchange(who, "GET", path, None).await
    }

    /// Closes the register and drops its PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        weaver_testkit::drop_postgres(self.pg_db).await;
    }
}
