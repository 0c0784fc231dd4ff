//! Weaver's platform server: the register as a JSON API under `/api/v1`,
//! with accounts and roles, sessions and API tokens, and an audit log of
//! every write. SQL stays in `weaver-store`; the questions are answered by
//! `weaver-service` (the application layer, shared with the command line);
//! this crate parses requests, checks the transport's limits, caches
//! answers at the register's version and renders them. The routes are by
//! resource (`routes/`), each handler annotated with its OpenAPI operation,
//! so the router, the OpenAPI document ([`openapi::document`]) and the list
//! of operations ([`OPERATIONS`]) come from one source; the extractors of
//! [`extract`] turn every malformed request into the API's error
//! ([`ApiError`]) before a handler runs. Every other path (outside `/api/`)
//! serves the web UI built in `web/dist`, embedded with the `ui` feature.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let store = weaver_store::Store::open("sqlite://weaver.db").await?;
//! let config = weaver_server::Config::default();
//! let listener = tokio::net::TcpListener::bind(config.addr).await?;
//! weaver_server::serve(listener, store, config, std::future::pending()).await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod analyses;
pub mod answers;
pub mod auth;
pub(crate) mod caching;
mod engines;
pub mod error;
pub mod extract;
mod files;
pub mod guard;
pub mod mail;
pub mod openapi;
mod path_metrics;
mod routes;
mod web;
/// The indicators the register computes, now in `weaver-service`.
pub use weaver_service::indicators as register_indicators;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use weaver_store::Store;

pub use error::{ApiError, ApiResult};
pub use routes::OPERATIONS;

/// What is told of every message queued in the outbox (invitations,
/// password resets, campaign messages): the outbox itself is delivered by
/// the SMTP sender ([`mail`]). The default only logs recipient and subject,
/// never the text: links in it are secrets.
pub trait Sender: Send + Sync + std::fmt::Debug {
    /// Told of one message queued.
    fn send(&self, to: &str, subject: &str, body: &str);
}

/// The default [`Sender`]: logs recipient and subject.
#[derive(Debug, Default)]
pub struct LogSender;

impl Sender for LogSender {
    fn send(&self, to: &str, subject: &str, _body: &str) {
        tracing::info!(to, subject, "message queued (log sender: body withheld)");
    }
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Mark cookies `Secure` (served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// How long a session lasts.
    pub session_ttl: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Largest package upload accepted, in bytes.
    pub max_upload: usize,
    /// Caps on what an uploaded `.zip` or `.xlsx` may expand to.
    pub archive_limits: weaver_io::ArchiveLimits,
    /// The address people reach the server at, for links in messages.
    pub public_url: String,
    /// Proxies (load balancers) whose `X-Forwarded-For` is believed for the
    /// client's address; from any other peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where the outbox's messages are sent; `None`: nowhere (they stay
    /// queued for a server that has the settings).
    pub mail: Option<mail::MailConfig>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            max_body: 1 << 20,
            max_upload: 64 << 20,
            archive_limits: weaver_io::ArchiveLimits::default(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            trusted_proxies: Vec::new(),
            mail: None,
        }
    }
}

/// What every handler shares. Holds no state of its own beyond the database:
/// several processes can serve one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The register.
    pub store: Store,
    /// The configuration.
    pub config: Arc<Config>,
    /// Where messages go.
    pub sender: Arc<dyn Sender>,
}

/// The whole application: API, health checks and the layers around them
/// (request ids, tracing, body limit, panics turned into 500s).
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let max_body = state.config.max_body;
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/readyz", axum::routing::get(readyz))
        .nest(
            "/api/v1",
            Router::from(routes::api(state.config.max_upload))
                .layer(axum::middleware::from_fn(caching::conditional_get)),
        )
        // The web UI outside /api/ (web.rs); the API's JSON 404 inside.
        .fallback(web::fallback)
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(guard::guard))
        .layer(CatchPanicLayer::custom(
            |panic: Box<dyn std::any::Any + Send>| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                ApiError::internal("answer this request", format!("a handler panicked: {what}"))
                    .into_response()
            },
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), id)
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.store.total_rows().await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is not reachable",
            )
                .into_response()
        }
    }
}

/// Serves the application on `listener` until `shutdown` completes, then
/// finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The outbox's sender runs while the server does.
    let sender = match &config.mail {
        Some(m) => {
            let mailer = mail::Mailer::new(m, &mail::sender_name())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
            tracing::info!(
                host = %m.host,
                port = m.port,
                tls = ?m.tls,
                from = %m.from,
                "mail: sending the outbox's messages over SMTP"
            );
            Some(tokio::spawn(mail::run(store.clone(), mailer, m.poll)))
        }
        None => {
            tracing::warn!(
                "mail is not configured (no SMTP host, WEAVER_SMTP_HOST): messages stay queued \
                 in the outbox until a server with SMTP settings sends them"
            );
            None
        }
    };
    // Campaign deadlines and daily digests, looked at while the server runs.
    let watch = tokio::spawn(mail::watch(
        store.clone(),
        config.public_url.clone(),
        mail::WATCH_EVERY,
    ));
    let state = AppState {
        store,
        config: Arc::new(config),
        sender: Arc::new(LogSender),
    };
    // The peer's address is kept for login throttling (auth::ClientAddress).
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some(sender) = sender {
        sender.abort();
    }
    watch.abort();
    served
}
