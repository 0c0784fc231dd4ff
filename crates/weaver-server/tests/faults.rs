//! Faults and resource exhaustion, on SQLite and on PostgreSQL: uploads
//! refused before they are read and zip bombs after at most the cap.

use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use weaver_server::Config;
use weaver_store::Store;

mod common;

use common::{Env, Table, on_each, rt};

const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name"],
        &[&["p1", "Torch"], &["p2", "Pôles"]],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[
            &["c1", "Suzhou Nano", "320500"],
            &["c2", "Lyon Bio", "FRK26"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p2", "c2"]],
    ),
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[&["o1", "Acme", "enterprise"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[&["c1", "o1", "core"]],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[&["members", "Members", "higher_better"]],
    ),
];

/// A fresh register with the fixture and the accounts on each backend
/// available, served with `config`.
async fn envs(config: Config) -> Vec<Env> {
    common::envs("faults", FIXTURE, config).await
}

impl Env {
    /// Sends `bytes` to `path` as `who` in a body that counts what the
    /// server reads of it; returns the status, the answer and that count.
    async fn upload(&self, who: &str, path: &str, bytes: Vec<u8>) -> (StatusCode, Value, u64) {
        let read = Arc::new(AtomicU64::new(0));
        let body = Watched {
            data: Some(Bytes::from(bytes)),
            read: Arc::clone(&read),
        };
        let mut req = Request::builder().method("POST").uri(path);
        if let Some(t) = self.tokens.get(who) {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req
            .header("content-type", "application/zip")
            .body(Body::new(body))
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let v: Value =
            serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes())
                .unwrap_or(Value::Null);
        assert!(
            !status.is_server_error(),
            "{path} as {who} ({} bytes): {status} {v}",
            read.load(Ordering::SeqCst)
        );
        (status, v, read.load(Ordering::SeqCst))
    }
}

/// A request body that counts the bytes the server takes from it.
struct Watched {
    data: Option<Bytes>,
    read: Arc<AtomicU64>,
}

impl axum::body::HttpBody for Watched {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.data.take().map(|d| {
            self.read.fetch_add(d.len() as u64, Ordering::SeqCst);
            Ok(http_body::Frame::data(d))
        }))
    }
}

/// A zip of `entries`, each a name and its bytes, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const MIB: usize = 1 << 20;

/// The register served with archives capped at 1 MiB expanded and 5
/// entries.
async fn capped_envs() -> Vec<Env> {
    envs(Config {
        archive_limits: weaver_io::ArchiveLimits {
            max_expanded: MIB as u64,
            max_entries: 5,
        },
        ..Config::default()
    })
    .await
}

/// The officer of p1 opens campaign cm24 (members in 2024, cluster c1).
async fn open_campaign(env: &Env) {
    let (s, v) = env
        .call(
            "officer",
            "POST",
            "/api/v1/campaigns",
            Some(
                json!({"id": "cm24", "name": "Monitoring 2024", "period": "2024",
                "deadline": "2099-12-31", "indicators": ["members"]}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// 8 MiB of observations deflated to a few KiB, as a zip.
fn bomb() -> Vec<u8> {
    let mut csv = b"cluster,indicator,period,value\n".to_vec();
    while csv.len() < 8 * MIB {
        csv.extend_from_slice(b"c1,members,2024,1\n");
    }
    let bomb = zip_of(&[("observations.csv", &csv)]);
    assert!(bomb.len() < MIB / 4, "{}", bomb.len());
    bomb
}

#[test]
fn uploads_are_checked_for_rights_before_they_are_read() {
    on_each(capped_envs, async |env| {
        open_campaign(env).await;
        let bomb = bomb();
        // Refused with the body unread: an unknown campaign, a caller who
        // may not submit, nobody, a non-admin's package.
        for (who, path, status) in [
            (
                "manager",
                "/api/v1/campaigns/no-such-campaign/submission",
                StatusCode::NOT_FOUND,
            ),
            (
                "member",
                "/api/v1/campaigns/cm24/submission",
                StatusCode::FORBIDDEN,
            ),
            (
                "officer",
                "/api/v1/campaigns/cm24/submission",
                StatusCode::FORBIDDEN,
            ),
            (
                "outsider",
                "/api/v1/campaigns/cm24/submission",
                StatusCode::NOT_FOUND,
            ),
            (
                "public",
                "/api/v1/campaigns/cm24/submission",
                StatusCode::UNAUTHORIZED,
            ),
            // Managers import their own clusters' rows: their uploads are read.
            ("officer", "/api/v1/packages", StatusCode::FORBIDDEN),
            ("member", "/api/v1/packages", StatusCode::FORBIDDEN),
            ("public", "/api/v1/packages", StatusCode::UNAUTHORIZED),
        ] {
            let (s, v, read) = env.upload(who, path, bomb.clone()).await;
            assert_eq!(s, status, "{who} {path}: {v}");
            assert_eq!(read, 0, "{who} {path}: the body was read");
        }
    });
}

#[test]
fn a_zip_bomb_is_expanded_at_most_to_the_cap_and_refused_naming_its_entry() {
    on_each(capped_envs, async |env| {
        open_campaign(env).await;
        let bomb = bomb();
        let sent = bomb.len() as u64;
        // Sent by those who may: read whole (it is small), expanded at most
        // to the cap, refused naming the entry.
        for (who, path) in [
            ("manager", "/api/v1/campaigns/cm24/submission"),
            ("admin", "/api/v1/packages"),
        ] {
            let (s, v, read) = env.upload(who, path, bomb.clone()).await;
            assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{who} {path}: {v}");
            assert_eq!(read, sent);
            assert_eq!(v["error"]["code"], "too_large", "{v}");
            let message = v["error"]["message"].as_str().unwrap();
            assert!(message.contains("'observations.csv'"), "{message}");
            assert!(message.contains("1 MiB"), "{message}");
        }
    });
}

#[test]
fn an_archive_of_more_entries_than_the_cap_is_refused() {
    on_each(capped_envs, async |env| {
        let names: Vec<String> = (0..6).map(|i| format!("t{i}.csv")).collect();
        let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"id\n"[..])).collect();
        let (s, v, _) = env.upload("admin", "/api/v1/packages", zip_of(&many)).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("6 entries"),
            "{v}"
        );
    });
}

#[test]
fn a_normal_package_and_a_normal_submission_pass_the_caps() {
    on_each(capped_envs, async |env| {
        open_campaign(env).await;
        let normal = zip_of(&[(
            "indicators.csv",
            b"id,name,direction\ndensity,Density,higher_better\n",
        )]);
        let (s, v, _) = env.upload("admin", "/api/v1/packages", normal).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            env.call("public", "GET", "/api/v1/indicators/density", None)
                .await
                .0,
            StatusCode::OK
        );
        let sub = zip_of(&[(
            "observations.csv",
            b"cluster,indicator,period,value\nc1,members,2024,3\n",
        )]);
        let (s, v, _) = env
            .upload("manager", "/api/v1/campaigns/cm24/submission", sub)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["added"], 1, "{v}");
    });
}

/// Sends a write as the admin and returns the status, the Retry-After
/// header and the answer (a 5xx allowed: the busy answer is one).
async fn admin_write(
    app: &axum::Router,
    token: &str,
    id: &str,
) -> (StatusCode, Option<String>, Value) {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/indicators")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"id": id, "name": "Density", "direction": "higher_better"}).to_string(),
        ))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let v = serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes())
        .unwrap_or(Value::Null);
    (status, retry, v)
}

#[test]
fn a_write_that_cannot_get_the_lock_in_time_answers_503_with_retry_after() {
    rt().block_on(async {
        use sqlx::{Connection, Executor};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("busy.db");
        let options = weaver_store::OpenOptions {
            busy_timeout: std::time::Duration::from_millis(200),
        };
        let store = Store::open_with(&format!("sqlite://{}", file.display()), &options)
            .await
            .unwrap();
        common::import_fixture(&store, FIXTURE).await;
        let tokens = common::accounts(&store).await;
        let app = common::app(
            &store,
            Config::default(),
            Arc::new(weaver_server::LogSender),
        );
        // Another process's write transaction (an import) holds the lock.
        let mut other = sqlx::SqliteConnection::connect_with(
            &sqlx::sqlite::SqliteConnectOptions::new().filename(&file),
        )
        .await
        .unwrap();
        other.execute("BEGIN IMMEDIATE").await.unwrap();
        let (s, retry, v) = admin_write(&app, &tokens["admin"], "density").await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
        assert_eq!(v["error"]["code"], "busy", "{v}");
        assert_eq!(v["error"]["status"], 503, "{v}");
        let retry: u32 = retry.expect("a Retry-After header").parse().unwrap();
        assert!(retry > 0);
        // Reads go on meanwhile; nothing was written.
        let (s, v) = common::request(
            &app,
            &tokens,
            "admin",
            "GET",
            "/api/v1/indicators/density",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
        // Once the lock is released, the same request succeeds.
        other.execute("ROLLBACK").await.unwrap();
        let (s, _, v) = admin_write(&app, &tokens["admin"], "density").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        other.close().await.unwrap();
        store.close().await;
    });
}

/// Logs in as `email` with `password` from the peer `peer`, with an
/// `X-Forwarded-For` header if given; returns the status.
async fn login(
    app: &axum::Router,
    peer: &str,
    forwarded: Option<&str>,
    email: &str,
    password: &str,
) -> StatusCode {
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json");
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        assert!(resp.headers().contains_key("retry-after"));
        let v: Value =
            serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(v["error"]["code"], "throttled", "{v}");
    }
    assert!(!status.is_server_error(), "login from {peer}: {status}");
    status
}

const OWNER: &str = "owner@example.org";
const PASSWORD: &str = "correct horse battery";

async fn with_owner(env: &Env) {
    let hash = weaver_server::auth::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    env.store
        .create_user(OWNER, None, weaver_core::enums::Role::Admin, Some(&hash))
        .await
        .unwrap();
}

#[test]
fn concurrent_wrong_logins_are_checked_at_most_five_times_and_the_owner_still_signs_in() {
    rt().block_on(async {
        for env in envs(Config::default()).await {
            with_owner(&env).await;
            let app = env.app.clone();
            let tasks: Vec<_> = (0..40)
                .map(|i| {
                    let app = app.clone();
                    tokio::spawn(async move {
                        login(
                            &app,
                            "203.0.113.9",
                            None,
                            OWNER,
                            &format!("wrong guess {i}"),
                        )
                        .await
                    })
                })
                .collect();
            let mut checked = 0;
            let mut throttled = 0;
            for t in tasks {
                match t.await.unwrap() {
                    StatusCode::UNAUTHORIZED => checked += 1,
                    StatusCode::TOO_MANY_REQUESTS => throttled += 1,
                    other => panic!("{other}"),
                }
            }
            assert_eq!((checked, throttled), (5, 35));
            // Even the right password is refused from the attacker's address…
            assert_eq!(
                login(&app, "203.0.113.9", None, OWNER, PASSWORD).await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // … and accepted from the owner's.
            assert_eq!(
                login(&app, "198.51.100.7", None, OWNER, PASSWORD).await,
                StatusCode::OK
            );
            // One address trying many accounts meets the per-address limit.
            for i in 0..15 {
                let s = login(
                    &app,
                    "203.0.113.9",
                    None,
                    &format!("someone{i}@example.org"),
                    "guess",
                )
                .await;
                assert_eq!(s, StatusCode::UNAUTHORIZED, "attempt {i}");
            }
            assert_eq!(
                login(&app, "203.0.113.9", None, "someone99@example.org", "guess").await,
                StatusCode::TOO_MANY_REQUESTS
            );
            assert_eq!(
                login(&app, "198.51.100.8", None, "someone99@example.org", "guess").await,
                StatusCode::UNAUTHORIZED
            );
            env.finish().await;
        }
    });
}

#[test]
fn x_forwarded_for_is_believed_from_trusted_proxies_only() {
    rt().block_on(async {
        let config = Config {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
            ..Config::default()
        };
        for env in envs(config).await {
            with_owner(&env).await;
            let app = &env.app;
            // From an untrusted peer the header is ignored: every failure
            // counts against the peer, whatever address it claims.
            for i in 0..5 {
                let claimed = format!("198.51.100.{i}");
                assert_eq!(
                    login(app, "192.0.2.1", Some(&claimed), OWNER, "wrong").await,
                    StatusCode::UNAUTHORIZED
                );
            }
            assert_eq!(
                login(app, "192.0.2.1", Some("198.51.100.200"), OWNER, PASSWORD).await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // Through the trusted proxy, the client is the right-most
            // address the proxy did not add: client A's failures are A's.
            for _ in 0..5 {
                assert_eq!(
                    login(app, "10.0.0.1", Some("203.0.113.1"), OWNER, "wrong").await,
                    StatusCode::UNAUTHORIZED
                );
            }
            assert_eq!(
                login(app, "10.0.0.1", Some("203.0.113.1"), OWNER, PASSWORD).await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // A claiming to be B in its own header is still A.
            assert_eq!(
                login(
                    app,
                    "10.0.0.1",
                    Some("203.0.113.2, 203.0.113.1"),
                    OWNER,
                    PASSWORD
                )
                .await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // B, behind the same proxy, signs in.
            assert_eq!(
                login(app, "10.0.0.1", Some("203.0.113.2"), OWNER, PASSWORD).await,
                StatusCode::OK
            );
            env.finish().await;
        }
    });
}
