//! The outbox on both backends: messages claimed once however many senders
//! ask at the same time, a lease that runs out, failures tried again after
//! the backoff and given up after the last attempt, an admin's resend; the
//! limits of password-reset requests; notifications kept to their account;
//! and an account's erasure taking its messages with it.

mod common;
use common::{registers, rt};

use std::collections::BTreeSet;
use std::time::Duration;

use weaver_core::enums::Role;
use weaver_store::{NewMessage, ResetLimits, RetryPolicy, Store};

fn message(i: usize) -> NewMessage {
    NewMessage {
        recipient: format!("to{i}@example.org"),
        user_id: None,
        kind: "notice".to_owned(),
        language: "en".to_owned(),
        subject: format!("notice {i}"),
        body_text: "hello".to_owned(),
        body_html: "<p>hello</p>".to_owned(),
    }
}

async fn queue(store: &Store, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(store.enqueue(&message(i)).await.unwrap());
    }
    ids
}

const LEASE: Duration = Duration::from_secs(600);

#[test]
fn concurrent_claims_take_each_message_once() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_claims").await {
            let ids = queue(&store, 40).await;
            // Four senders, each with its own pool, claiming at once.
            let mut senders = Vec::new();
            for _ in 0..4 {
                senders.push(Store::open(store.url()).await.unwrap());
            }
            let mut claimed = Vec::new();
            for round in 0..20 {
                let (a, b, c, d) = tokio::join!(
                    senders[0].claim_messages("a", 3, LEASE),
                    senders[1].claim_messages("b", 3, LEASE),
                    senders[2].claim_messages("c", 3, LEASE),
                    senders[3].claim_messages("d", 3, LEASE),
                );
                let got: Vec<i64> = [a, b, c, d]
                    .into_iter()
                    .flat_map(|r| r.unwrap().into_iter().map(|m| m.id))
                    .collect();
                if got.is_empty() {
                    assert!(round > 0);
                    break;
                }
                claimed.extend(got);
            }
            let distinct: BTreeSet<i64> = claimed.iter().copied().collect();
            assert_eq!(claimed.len(), 40, "{:?}: {claimed:?}", store.backend());
            assert_eq!(distinct, ids.iter().copied().collect::<BTreeSet<_>>());
            // Claimed for ten minutes: nothing is due.
            assert!(
                store
                    .claim_messages("e", 10, LEASE)
                    .await
                    .unwrap()
                    .is_empty()
            );
            for s in senders {
                s.close().await;
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_claim_whose_lease_ran_out_is_taken_again_and_the_first_sender_loses_it() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_lease").await {
            let ids = queue(&store, 2).await;
            let dead = store
                .claim_messages("dead", 1, Duration::ZERO)
                .await
                .unwrap();
            assert_eq!(dead.iter().map(|m| m.id).collect::<Vec<_>>(), [ids[0]]);
            assert_eq!(dead[0].message, message(0));
            let next = store.claim_messages("alive", 10, LEASE).await.unwrap();
            assert_eq!(next.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
            assert!(!store.mark_sent(ids[0], "dead").await.unwrap());
            assert!(store.mark_sent(ids[0], "alive").await.unwrap());
            // Sent is final: no one claims it again.
            assert!(!store.mark_sent(ids[0], "alive").await.unwrap());
            let e = store.outbox_entry(ids[0]).await.unwrap();
            assert_eq!((e.status.as_str(), e.attempts), ("sent", 1));
            assert!(e.sent_at.is_some());
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn failures_wait_for_the_backoff_and_are_given_up_after_the_last_attempt() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_retry").await {
            let id = queue(&store, 1).await[0];
            let hour = RetryPolicy {
                max_attempts: 3,
                backoff: Duration::from_secs(3600),
                max_backoff: Duration::from_secs(7200),
            };
            store.claim_messages("s", 1, LEASE).await.unwrap();
            let status = store.mark_failed(id, "s", "refused", &hour).await.unwrap();
            assert_eq!(status, Some("failed"));
            // Due an hour later, not now.
            assert!(
                store
                    .claim_messages("s", 1, LEASE)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let e = store.outbox_entry(id).await.unwrap();
            assert_eq!(e.attempts, 1);
            assert_eq!(e.last_error.as_deref(), Some("refused"));
            assert!(e.next_attempt_at > e.created_at, "{e:?}");
            // Without a wait: attempts 2 and 3, then it is given up.
            let now = RetryPolicy {
                backoff: Duration::ZERO,
                max_backoff: Duration::ZERO,
                ..hour
            };
            store.requeue(id).await.unwrap();
            for expected in ["failed", "failed", "given_up"] {
                let got = store.claim_messages("s", 1, LEASE).await.unwrap();
                assert_eq!(got.len(), 1, "{expected}");
                let status = store.mark_failed(id, "s", "refused", &now).await.unwrap();
                assert_eq!(status, Some(expected));
            }
            assert!(
                store
                    .claim_messages("s", 1, LEASE)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(
                store.given_up_to("to0@example.org").await.unwrap(),
                Some("refused".into())
            );
            // A failure reported by a sender that no longer holds it is ignored.
            assert_eq!(store.mark_failed(id, "s", "x", &now).await.unwrap(), None);
            // Resent: due at once, attempts afresh.
            let e = store.requeue(id).await.unwrap();
            assert_eq!((e.status.as_str(), e.attempts), ("queued", 0));
            // While a sender holds it, a resend is refused.
            store.claim_messages("s", 1, LEASE).await.unwrap();
            assert!(matches!(
                store.requeue(id).await,
                Err(weaver_store::StoreError::Conflict(_))
            ));
            let counts = store.outbox_counts().await.unwrap();
            assert_eq!(counts, [("sending".to_owned(), 1)]);
            assert!(matches!(
                store.outbox(Some("lost"), 10, 0).await,
                Err(weaver_store::StoreError::Invalid(_))
            ));
            assert_eq!(store.outbox(Some("sending"), 10, 0).await.unwrap().len(), 1);
            assert!(store.outbox(Some("sent"), 10, 0).await.unwrap().is_empty());
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn reset_requests_are_counted_per_address_and_per_client() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_resets").await {
            let limits = ResetLimits {
                window: Duration::from_secs(3600),
                per_email: 2,
                per_address: 3,
            };
            let take = async |email: &str, from: &str| {
                store
                    .take_reset_request(email, from, &limits)
                    .await
                    .unwrap()
            };
            assert!(take("a@example.org", "1.1.1.1").await);
            // The address is normalised: the same one.
            assert!(take(" A@Example.org", "2.2.2.2").await);
            assert!(!take("a@example.org", "3.3.3.3").await);
            // Client 1.1.1.1: one so far, two more, then no more.
            assert!(take("b@example.org", "1.1.1.1").await);
            assert!(take("c@example.org", "1.1.1.1").await);
            assert!(!take("d@example.org", "1.1.1.1").await);
            // Others are not held back by it.
            assert!(take("d@example.org", "4.4.4.4").await);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn notifications_are_their_accounts_and_go_with_it() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_notes").await {
            let admin = store
                .create_user("admin@example.org", None, Role::Admin, None)
                .await
                .unwrap();
            let a = store
                .create_user("a@example.org", None, Role::Member, None)
                .await
                .unwrap();
            let b = store
                .create_user("b@example.org", None, Role::Member, None)
                .await
                .unwrap();
            assert_eq!(a.language, "zh");
            store.set_language(a.id, "en").await.unwrap();
            assert_eq!(store.user(a.id).await.unwrap().language, "en");
            assert!(matches!(
                store.set_language(a.id, "fr").await,
                Err(weaver_store::StoreError::Invalid(_))
            ));
            let first = store.notify(a.id, "notice", "one", "1").await.unwrap();
            let second = store.notify(a.id, "notice", "two", "2").await.unwrap();
            store.notify(b.id, "notice", "b's", "3").await.unwrap();
            // Another account's notification is not found, and stays unread.
            assert!(matches!(
                store.mark_read(b.id, first).await,
                Err(weaver_store::StoreError::NotFound { .. })
            ));
            store.mark_read(a.id, first).await.unwrap();
            let list = store.notifications(a.id, 10).await.unwrap();
            // Unread first, then the newest.
            assert_eq!(
                list.iter().map(|n| n.id).collect::<Vec<_>>(),
                [second, first]
            );
            assert!(list[0].read_at.is_none() && list[1].read_at.is_some());
            // Marking read again keeps the first time.
            let at = list[1].read_at.clone();
            store.mark_read(a.id, first).await.unwrap();
            assert_eq!(store.notifications(a.id, 10).await.unwrap()[1].read_at, at);

            let mut mail = message(0);
            mail.recipient = "a@example.org".into();
            mail.user_id = Some(a.id);
            store.enqueue(&mail).await.unwrap();
            store.enqueue(&message(1)).await.unwrap();
            store.erase_user(a.id).await.unwrap();
            assert!(store.notifications(a.id, 10).await.unwrap().is_empty());
            let left: Vec<String> = store
                .outbox(None, 10, 0)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.recipient)
                .collect();
            assert_eq!(left, ["to1@example.org"]);
            assert_eq!(store.notifications(b.id, 10).await.unwrap().len(), 1);
            let _ = admin;
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_password_reset_ends_every_session_and_token_and_is_audited() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_outbox_reset").await {
            let u = store
                .create_user("a@example.org", None, Role::Manager, Some("old-hash"))
                .await
                .unwrap();
            store
                .create_session(u.id, "session-hash", "csrf", Duration::from_secs(3600))
                .await
                .unwrap();
            store
                .create_api_token(u.id, "t", "token-hash")
                .await
                .unwrap();
            assert!(
                store
                    .session_principal("session-hash")
                    .await
                    .unwrap()
                    .is_some()
            );
            store.reset_password(u.id, "new-hash").await.unwrap();
            assert!(
                store
                    .session_principal("session-hash")
                    .await
                    .unwrap()
                    .is_none()
            );
            assert!(store.token_principal("token-hash").await.unwrap().is_none());
            let (_, hash) = store.user_by_email("a@example.org").await.unwrap().unwrap();
            assert_eq!(hash.as_deref(), Some("new-hash"));
            let admin = weaver_store::Principal {
                user_id: 0,
                email: "local".into(),
                role: Role::Admin,
                managed: vec![],
                programmes: vec![],
                organizations: vec![],
                readable: vec![],
            };
            let log = store
                .audit_log(&admin, Some("users"), None, 10, 0)
                .await
                .unwrap();
            assert_eq!(log.len(), 1, "{log:?}");
            assert_eq!(
                (
                    log[0].action.as_str(),
                    log[0].actor.as_str(),
                    log[0].key.clone()
                ),
                ("password_reset", "a@example.org", u.id.to_string())
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
