//! Mail that is really sent (issue 18), checked at a real SMTP server
//! (`scripts/smtp-sink.py`, aiosmtpd) on both backends: what arrives
//! (recipient, language, subject, a link that works), the outbox across a
//! restart and with two senders on one database (each message once),
//! retries with backoff and giving up, an admin's resend, password reset
//! end to end, and campaign messages that say who could not be reached.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;
use weaver_server::mail::{MailConfig, Mailer, TlsMode};
use weaver_service::mail::{Kind, Language, Recipient};
use weaver_store::{RetryPolicy, Store};
use weaver_testkit::SmtpSink;

mod common;
use common::{Env, Table, on_each};

/// Three clusters of programme p1: c1 (its manager: `manager`), c2 (its
/// manager: `outsider`) and c3 (no manager).
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "clusters",
        &["id", "name", "region", "country"],
        &[
            &["c1", "Suzhou Nano", "320500", "CN"],
            &["c2", "Lyon Bio", "FRK2", "FR"],
            &["c3", "Nowhere", "FRK2", "FR"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c2"], &["p1", "c3"]],
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

const PUBLIC_URL: &str = "https://weaver.example.org";

async fn envs() -> Vec<Env> {
    let config = Config {
        public_url: PUBLIC_URL.to_owned(),
        ..Config::default()
    };
    common::envs("mail", FIXTURE, config).await
}

/// The settings of a sender to the sink at `port`.
fn mail_config(port: u16, retry: RetryPolicy) -> MailConfig {
    MailConfig {
        host: "127.0.0.1".to_owned(),
        port,
        tls: TlsMode::None,
        user: None,
        password: None,
        from: "Weaver <weaver@example.org>".to_owned(),
        poll: Duration::from_millis(100),
        retry,
    }
}

fn mailer(port: u16, name: &str) -> Mailer {
    Mailer::new(&mail_config(port, RetryPolicy::default()), name).unwrap()
}

/// The token of the link `{PUBLIC_URL}/{page}?token=…` in `text`.
fn token_in(text: &str, page: &str) -> String {
    let head = format!("{PUBLIC_URL}/{page}?token=");
    let at = text
        .find(&head)
        .unwrap_or_else(|| panic!("no {head} link in {text}"));
    text[at + head.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// The outbox as the admin sees it.
async fn outbox(env: &Env) -> Value {
    let (s, v) = env.call("admin", "GET", "/api/v1/outbox", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// Waits (at most 10 s) until the outbox holds `n` messages: a reset
/// request queues its message after answering.
async fn outbox_holds(env: &Env, n: usize) {
    for _ in 0..200 {
        if env.store.outbox(None, 1000, 0).await.unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the outbox never held {n} messages");
}

#[test]
fn an_invitation_arrives_in_the_accounts_language_with_a_link_that_works() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/users",
                Some(json!({"email": "Wang@Example.org", "role": "manager", "language": "en"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["user"]["language"], "en");
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/users",
                Some(json!({"email": "li@example.org", "role": "member", "name": "李明"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // zh is the default language.
        assert_eq!(v["user"]["language"], "zh");
        // This server has no mail settings, and its answer says so.
        assert!(
            v["note"].as_str().unwrap().contains("no mail settings"),
            "{v}"
        );
        // Without a sender nothing went out: both wait in the outbox.
        assert!(sink.messages().is_empty());
        let before = outbox(env).await;
        assert_eq!(before["mail_configured"], false);
        let statuses: Vec<&Value> = before["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["status"])
            .collect();
        assert_eq!(statuses, [&json!("queued"), &json!("queued")]);
        assert!(before["messages"][0].get("body_text").is_none());

        let report = mailer(sink.port, "one").send_due(&env.store).await.unwrap();
        assert_eq!((report.sent, report.failed), (2, 0));
        let got = sink.wait_for(2);
        assert_eq!(got.len(), 2, "{got:?}");
        let en = &got[0];
        assert_eq!(en["rcpt_tos"], json!(["wang@example.org"]));
        assert_eq!(en["mail_from"], "weaver@example.org");
        assert_eq!(en["subject"], "Your Weaver account");
        let text = en["text"].as_str().unwrap();
        assert!(text.starts_with("Hello wang@example.org,"), "{text}");
        assert!(text.contains("role manager"), "{text}");
        assert!(text.contains("within 72 hours"), "{text}");
        let html = en["html"].as_str().unwrap();
        let token = token_in(text, "accept");
        assert_eq!(token.len(), 64);
        assert!(
            html.contains(&format!("<a href=\"{PUBLIC_URL}/accept?token={token}\">")),
            "{html}"
        );
        let zh = &got[1];
        assert_eq!(zh["rcpt_tos"], json!(["li@example.org"]));
        assert_eq!(zh["subject"], "您的 Weaver 账户");
        let zh_text = zh["text"].as_str().unwrap();
        assert!(zh_text.starts_with("李明，您好："), "{zh_text}");
        assert!(zh_text.contains("72 小时内"), "{zh_text}");

        // The link works: the password is set, and signs in.
        let (s, v) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/accept",
                Some(json!({"token": token, "password": "a long enough password"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (s, v) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/login",
                Some(json!({"email": "wang@example.org", "password": "a long enough password"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");

        // The outbox says they were sent, once each.
        let after = outbox(env).await;
        for m in after["messages"].as_array().unwrap() {
            assert_eq!(m["status"], "sent", "{m}");
            assert_eq!(m["attempts"], 1, "{m}");
        }
        assert_eq!(after["counts"], json!([{"status": "sent", "count": 2}]));
    });
}

#[test]
fn a_password_reset_sets_the_password_and_ends_every_session_and_token() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        // The manager's API token works before.
        assert_eq!(
            env.call("manager", "GET", "/api/v1/auth/me", None).await.0,
            StatusCode::OK
        );
        let ask = |email: &str| json!({ "email": email });
        let (s, known) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/reset",
                Some(ask("Manager@Example.org")),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{known}");
        let (s, unknown) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/reset",
                Some(ask("nobody@example.org")),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{unknown}");
        // The same answer whether or not the address has an account.
        assert_eq!(known, unknown);

        outbox_holds(env, 1).await;
        mailer(sink.port, "one").send_due(&env.store).await.unwrap();
        let got = sink.wait_for(1);
        // One message, to the account only.
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0]["rcpt_tos"], json!(["manager@example.org"]));
        assert_eq!(got[0]["subject"], "重置您的 Weaver 密码");
        let token = token_in(got[0]["text"].as_str().unwrap(), "reset");

        // A password refused leaves the link unused.
        let path = format!("/api/v1/auth/reset/{token}");
        let (s, v) = env
            .call("public", "POST", &path, Some(json!({"password": "short"})))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let password = "the new long password";
        let (s, v) = env
            .call(
                "public",
                "POST",
                &path,
                Some(json!({ "password": password })),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        // Every API token of the account ended.
        assert_eq!(
            env.call("manager", "GET", "/api/v1/auth/me", None).await.0,
            StatusCode::UNAUTHORIZED
        );
        // The new password signs in.
        let (s, v) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/login",
                Some(json!({"email": "manager@example.org", "password": password})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // The link works once.
        let (s, v) = env
            .call(
                "public",
                "POST",
                &path,
                Some(json!({"password": "yet another password"})),
            )
            .await;
        assert_eq!(s, StatusCode::GONE, "{v}");
        // An unknown token is the same answer.
        let (s, _) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/reset/0123abcd",
                Some(json!({ "password": password })),
            )
            .await;
        assert_eq!(s, StatusCode::GONE);
        // The audit log records the reset, by the account itself.
        let (_, log) = env
            .call("admin", "GET", "/api/v1/audit?table=users", None)
            .await;
        let actions: Vec<(&str, &str)> = log["entries"]
            .as_array()
            .unwrap_or_else(|| panic!("{log}"))
            .iter()
            .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
            .collect();
        assert!(
            actions.contains(&("password_reset", "manager@example.org")),
            "{actions:?}"
        );
        assert!(
            actions.contains(&("password_reset_sent", "manager@example.org")),
            "{actions:?}"
        );
    });
}

#[test]
fn reset_requests_are_limited_per_address_and_per_client() {
    on_each(envs, async |env| {
        let reset = async |email: &str| {
            env.call(
                "public",
                "POST",
                "/api/v1/auth/reset",
                Some(json!({ "email": email })),
            )
            .await
            .0
        };
        // Three for one address (whether or not it has an account)…
        for _ in 0..3 {
            assert_eq!(reset("member@example.org").await, StatusCode::ACCEPTED);
        }
        assert_eq!(
            reset("member@example.org").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // …and ten from one client, over every address (the refused one
        // was not counted).
        for i in 0..7 {
            assert_eq!(
                reset(&format!("x{i}@example.org")).await,
                StatusCode::ACCEPTED
            );
        }
        assert_eq!(reset("y@example.org").await, StatusCode::TOO_MANY_REQUESTS);
    });
}

/// Queues `n` notices to `to{i}@example.org`, subjects `notice {i}`.
async fn queue_notices(store: &Store, n: usize) {
    for i in 0..n {
        let to = Recipient {
            email: format!("to{i}@example.org"),
            user_id: None,
            language: Language::En,
        };
        let subject = format!("notice {i}");
        weaver_service::mail::queue(
            store,
            Kind::Notice,
            &to,
            &[("subject", subject.as_str()), ("text", "hello")],
        )
        .await
        .unwrap();
    }
}

/// The subjects `got` holds, sorted.
fn subjects(got: &[Value]) -> Vec<String> {
    let mut s: Vec<String> = got
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();
    s.sort();
    s
}

#[test]
fn a_restart_with_queued_messages_sends_them_once() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        queue_notices(&env.store, 3).await;
        // A sender died with one of them claimed (its lease ran out).
        let claimed = env
            .store
            .claim_messages("dead", 1, Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        // The server restarts: a new process, its own pool, with SMTP.
        let restarted = Store::open(&env.url).await.unwrap();
        let report = mailer(sink.port, "after-restart")
            .send_due(&restarted)
            .await
            .unwrap();
        assert_eq!(report.sent, 3);
        // The dead sender's claim is no longer its own.
        assert!(!env.store.mark_sent(claimed[0].id, "dead").await.unwrap());
        // Another pass, and another server, find nothing due.
        let again = mailer(sink.port, "another")
            .send_due(&env.store)
            .await
            .unwrap();
        assert_eq!(again.sent, 0);
        let got = sink.wait_for(3);
        assert_eq!(subjects(&got), ["notice 0", "notice 1", "notice 2"]);
        restarted.close().await;
    });
}

#[test]
fn two_senders_on_one_database_send_each_message_once() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        queue_notices(&env.store, 30).await;
        let (one, two) = (
            Store::open(&env.url).await.unwrap(),
            Store::open(&env.url).await.unwrap(),
        );
        let (a, b) = (mailer(sink.port, "a"), mailer(sink.port, "b"));
        let (ra, rb) = tokio::join!(a.send_due(&one), b.send_due(&two));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.sent + rb.sent, 30, "{ra:?} {rb:?}");
        let got = sink.wait_for(30);
        let mut expected: Vec<String> = (0..30).map(|i| format!("notice {i}")).collect();
        expected.sort();
        assert_eq!(subjects(&got), expected);
        one.close().await;
        two.close().await;
    });
}

#[test]
fn a_failing_message_is_retried_after_a_backoff_given_up_and_resent_by_an_admin() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        queue_notices(&env.store, 1).await;
        // A port nobody listens on.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let slow = RetryPolicy {
            max_attempts: 3,
            backoff: Duration::from_secs(3600),
            max_backoff: Duration::from_secs(7200),
        };
        let failing = Mailer::new(&mail_config(closed, slow), "failing").unwrap();
        let r = failing.send_due(&env.store).await.unwrap();
        assert_eq!((r.sent, r.failed), (0, 1));
        let ob = outbox(env).await;
        let m = &ob["messages"][0];
        assert_eq!(m["status"], "failed", "{m}");
        assert_eq!(m["attempts"], 1);
        assert!(
            m["last_error"].as_str().is_some_and(|e| !e.is_empty()),
            "{m}"
        );
        // Due again only after the backoff: an hour later.
        assert!(
            m["next_attempt_at"].as_str() > m["created_at"].as_str(),
            "{m}"
        );
        let r = failing.send_due(&env.store).await.unwrap();
        assert_eq!((r.sent, r.failed), (0, 0));

        // Without a wait, two attempts, then it is given up.
        let quick = RetryPolicy {
            max_attempts: 2,
            backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        };
        let id = m["id"].as_i64().unwrap();
        let (s, v) = env
            .call(
                "admin",
                "POST",
                &format!("/api/v1/outbox/{id}/resend"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].clone(), v["attempts"].clone()),
            (json!("queued"), json!(0))
        );
        let failing = Mailer::new(&mail_config(closed, quick), "failing").unwrap();
        let r = failing.send_due(&env.store).await.unwrap();
        assert_eq!((r.sent, r.failed), (0, 2));
        let ob = outbox(env).await;
        let m = &ob["messages"][0];
        assert_eq!(m["status"], "given_up", "{m}");
        assert_eq!(m["attempts"], 2);

        // Members may neither see nor resend.
        assert_eq!(
            env.call("member", "GET", "/api/v1/outbox", None).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call(
                "member",
                "POST",
                &format!("/api/v1/outbox/{id}/resend"),
                None
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        // An admin resends it, and it arrives.
        let (s, _) = env
            .call(
                "admin",
                "POST",
                &format!("/api/v1/outbox/{id}/resend"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let r = mailer(sink.port, "working")
            .send_due(&env.store)
            .await
            .unwrap();
        assert_eq!(r.sent, 1);
        assert_eq!(subjects(&sink.wait_for(1)), ["notice 0"]);
        // A message that does not exist, or a bad status filter.
        assert_eq!(
            env.call("admin", "POST", "/api/v1/outbox/999999/resend", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call("admin", "GET", "/api/v1/outbox?status=lost", None)
                .await
                .0,
            StatusCode::BAD_REQUEST
        );
    });
}

#[test]
fn the_server_sends_the_outbox_when_it_has_smtp_settings() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = Config {
            mail: Some(mail_config(sink.port, RetryPolicy::default())),
            ..Config::default()
        };
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let server = tokio::spawn(weaver_server::serve(
            listener,
            env.store.clone(),
            config,
            async move {
                while !stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
        ));
        queue_notices(&env.store, 2).await;
        let got = sink.wait_for(2);
        assert_eq!(subjects(&got), ["notice 0", "notice 1"]);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        server.await.unwrap().unwrap();
    });
}

#[test]
fn campaign_messages_reach_the_managers_and_say_who_could_not_be_reached() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        // The manager of c2 is disabled; c3 has no manager.
        let outsider = env
            .store
            .user_by_email("outsider@example.org")
            .await
            .unwrap()
            .unwrap()
            .0;
        env.store.set_disabled(outsider.id, true).await.unwrap();
        env.store.set_language(outsider.id, "en").await.unwrap();
        let (s, v) = env
            .call(
                "officer",
                "POST",
                "/api/v1/campaigns",
                Some(
                    json!({"id": "cm25", "name": "Monitoring 2025", "period": "2025",
                    "deadline": "2099-12-31", "indicators": ["members"],
                    "clusters": ["c1", "c2", "c3"]}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns/cm25/remind", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["reminders"],
            json!([{"to": "manager@example.org", "cluster": "c1"}])
        );
        assert_eq!(
            v["unreached"],
            json!([
                {"cluster": "c2", "to": "outsider@example.org", "reason": "disabled",
                 "detail": "the account of outsider@example.org is disabled"},
                {"cluster": "c3", "reason": "no_account",
                 "detail": "cluster c3 has no manager account"}
            ])
        );
        // The manager submits: the officer who opened the campaign is told.
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm25/observations",
                Some(json!({"cluster": "c1", "values": {"members": 4}})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");

        mailer(sink.port, "one").send_due(&env.store).await.unwrap();
        let got = sink.wait_for(3);
        let seen: Vec<(String, String)> = got
            .iter()
            .map(|m| {
                (
                    m["rcpt_tos"][0].as_str().unwrap().to_owned(),
                    m["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "manager@example.org".to_owned(),
                    "新的监测任务：Monitoring 2025（2025）".to_owned()
                ),
                (
                    "manager@example.org".to_owned(),
                    "提醒：Monitoring 2025（2025）".to_owned()
                ),
                (
                    "officer@example.org".to_owned(),
                    "已收到填报：c1，Monitoring 2025".to_owned()
                ),
            ]
        );
        let reminder = got[1]["text"].as_str().unwrap();
        assert!(
            reminder.contains("集群 c1 在监测任务“Monitoring 2025”所需的 1 项观测值中，尚有 1 项未提交（缺少：members）"),
            "{reminder}"
        );
        assert!(
            reminder.contains(&format!("{PUBLIC_URL}/campaigns/cm25")),
            "{reminder}"
        );
        let received = got[2]["text"].as_str().unwrap();
        assert!(
            received.contains("manager@example.org 已为集群 c1 向监测任务“Monitoring 2025”（2025）提交观测值：新增 1 项，修改 0 项。"),
            "{received}"
        );

        // In the application: the manager's two notifications, newest
        // first, unread; another account sees none of them.
        let (_, v) = env
            .call("manager", "GET", "/api/v1/notifications", None)
            .await;
        assert_eq!(v["unread"], 2, "{v}");
        let kinds: Vec<&str> = v["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["reminder", "campaign_opened"]);
        let first = v["notifications"][1]["id"].as_i64().unwrap();
        let (_, v) = env
            .call("member", "GET", "/api/v1/notifications", None)
            .await;
        assert_eq!(v, json!({"unread": 0, "notifications": []}));
        let read = format!("/api/v1/notifications/{first}/read");
        assert_eq!(
            env.call("member", "POST", &read, None).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call("manager", "POST", &read, None).await.0,
            StatusCode::NO_CONTENT
        );
        // Read ones come after the unread.
        let (_, v) = env
            .call("manager", "GET", "/api/v1/notifications", None)
            .await;
        assert_eq!(v["unread"], 1, "{v}");
        assert_eq!(v["notifications"][1]["id"], first);
        assert!(v["notifications"][1]["read_at"].is_string(), "{v}");
    });
}

#[test]
fn a_passed_deadline_is_told_once_to_the_author_and_the_managers_still_missing() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "officer",
                "POST",
                "/api/v1/campaigns",
                Some(
                    json!({"id": "cm25", "name": "Monitoring 2025", "period": "2025",
                    "deadline": "2099-12-31", "indicators": ["members"],
                    "clusters": ["c1", "c2"]}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm25/observations",
                Some(json!({"cluster": "c1", "values": {"members": 4}})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let told = |today: &'static str| {
            weaver_service::notices::deadlines_passed(&env.store, today, PUBLIC_URL)
        };
        // On the deadline's day it has not passed.
        assert_eq!(told("2099-12-31").await.unwrap(), 0);
        // The day after: the author, about c2; c2's manager, about c2.
        assert_eq!(told("2100-01-01").await.unwrap(), 2);
        // Once: a second look (another server's) queues nothing.
        assert_eq!(told("2100-01-02").await.unwrap(), 0);
        let mut passed: Vec<(String, String)> = env
            .store
            .outbox(None, 100, 0)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "deadline_passed")
            .map(|m| (m.recipient, m.subject))
            .collect();
        passed.sort();
        let subject = "截止日期已过：Monitoring 2025（2025）".to_owned();
        assert_eq!(
            passed,
            [
                ("officer@example.org".to_owned(), subject.clone()),
                ("outsider@example.org".to_owned(), subject),
            ]
        );
        // The manager of c2 is told in the application too.
        let (_, v) = env
            .call("outsider", "GET", "/api/v1/notifications", None)
            .await;
        let body = v["notifications"][0]["body"].as_str().unwrap_or_default();
        assert!(body.contains("仍缺少观测值的集群：c2。"), "{v}");
    });
}

#[test]
fn an_account_that_takes_a_digest_gets_its_campaign_messages_in_one_mail_a_day() {
    on_each(envs, async |env| {
        let Some(sink) = SmtpSink::start() else {
            return;
        };
        let (s, v) = env
            .call(
                "manager",
                "PATCH",
                "/api/v1/auth/me",
                Some(json!({"digest": true, "language": "en"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["user"]["digest"].clone(), v["user"]["language"].clone()),
            (json!(true), json!("en"))
        );
        assert_eq!(
            env.call(
                "manager",
                "PATCH",
                "/api/v1/auth/me",
                Some(json!({"language": "fr"}))
            )
            .await
            .0,
            StatusCode::BAD_REQUEST
        );
        let (s, v) = env
            .call(
                "officer",
                "POST",
                "/api/v1/campaigns",
                Some(
                    json!({"id": "cm25", "name": "Monitoring 2025", "period": "2025",
                    "deadline": "2099-12-31", "indicators": ["members"], "clusters": ["c1"]}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns/cm25/remind", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // Not one mail each: the two are the account's notifications only.
        assert!(env.store.outbox(None, 100, 0).await.unwrap().is_empty());
        let (_, v) = env
            .call("manager", "GET", "/api/v1/notifications", None)
            .await;
        assert_eq!(v["unread"], 2, "{v}");

        let now = std::time::SystemTime::now();
        let digests = weaver_service::notices::digests;
        assert_eq!(digests(&env.store, now, PUBLIC_URL).await.unwrap(), 1);
        // Once a day: not again an hour later, nor a day later with nothing new.
        let hour = Duration::from_secs(3600);
        assert_eq!(
            digests(&env.store, now + hour, PUBLIC_URL).await.unwrap(),
            0
        );
        assert_eq!(
            digests(&env.store, now + 25 * hour, PUBLIC_URL)
                .await
                .unwrap(),
            0
        );
        mailer(sink.port, "one").send_due(&env.store).await.unwrap();
        let got = sink.wait_for(1);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0]["rcpt_tos"], json!(["manager@example.org"]));
        assert_eq!(got[0]["subject"], "Weaver: 2 new notifications");
        let text = got[0]["text"].as_str().unwrap();
        assert!(
            text.contains("- New monitoring campaign: Monitoring 2025 (2025) ("),
            "{text}"
        );
        assert!(
            text.contains("- Reminder: Monitoring 2025 (2025) ("),
            "{text}"
        );
        assert!(
            text.contains(&format!("{PUBLIC_URL}/notifications")),
            "{text}"
        );
    });
}
