//! A tie's weight is its strength: above zero. A tie of weight 0 was accepted
//! by the register and then refused by the network engines, so that a
//! cluster's network (and a campaign's close, which computes it) failed on a
//! row the register had let in. Zero or less is refused where it is written.

mod common;

use axum::http::StatusCode;
use serde_json::json;
use weaver_server::Config;

use common::{Env, Table, rt};

/// What the shared accounts need (programme p1, clusters c1 and c2,
/// organization o1) and one weighted tie.
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme 机械", "enterprise", "public"],
            &["o2", "Lyon Labs", "research", "public"],
        ],
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
        "memberships",
        &["cluster", "org", "tier"],
        &[&["c1", "o1", "core"], &["c1", "o2", "core"]],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "weight"],
        &[&["o1", "o2", "contract", "2022", "2.5"]],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("tie_weights", FIXTURE, Config::default()).await
}

async fn ties(env: &Env) -> serde_json::Value {
    let (s, v) = env.call("admin", "GET", "/api/v1/ties", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[test]
fn a_tie_of_weight_zero_or_less_is_refused_and_changes_nothing() {
    rt().block_on(async {
        for env in envs().await {
            let before = ties(&env).await;
            for weight in [json!(0), json!(0.0), json!(-1.5)] {
                let body = json!({"source": "o2", "target": "o1", "kind": "supply",
                                  "start": "2023", "weight": weight});
                let (s, v) = env.call("admin", "POST", "/api/v1/ties", Some(body)).await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{weight}: {v}");
                let p = &v["error"]["problems"][0];
                assert_eq!(p["column"], "weight", "{v}");
                assert!(
                    p["message"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("above zero"),
                    "{v}"
                );
            }
            // The same through a change of the existing tie.
            let id = before["rows"][0]["row_id"].clone();
            let (s, v) = env
                .call(
                    "admin",
                    "PATCH",
                    &format!("/api/v1/ties/{id}"),
                    Some(json!({"weight": 0})),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(ties(&env).await, before);
            // A positive weight is taken, and the cluster's network is computed.
            let body = json!({"source": "o2", "target": "o1", "kind": "supply",
                              "start": "2023", "weight": 0.25});
            let (s, v) = env.call("admin", "POST", "/api/v1/ties", Some(body)).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            let (s, v) = env
                .call("admin", "GET", "/api/v1/clusters/c1/network", None)
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            env.finish().await;
        }
    });
}
