//! League tables over a named population (`/evaluation/index?population=`):
//! one table computed from what the population's officers read, the same
//! score and rank for whoever asks, each caller seeing its part; money
//! converted at the register's exchange rates; a campaign's table published.
//!
//! The fixture, hand-worked: four public clusters, two in China (CNY) and
//! two in Germany (EUR); revenue in `money million`, patents a count; one
//! exchange rate, 7.8 CNY per EUR in 2024. In 2024 (EUR):
//!
//! | cluster | revenue | in EUR | patents |
//! |---|---|---|---|
//! | c1 (CN) | 7.8 CNY | 1.0 | 10 |
//! | c2 (DE) | 3.0 EUR | 3.0 | 30 |
//! | c3 (CN) | 15.6 CNY | 2.0 | no observation |
//! | c4 (DE) | private | — | 20 |
//!
//! Min-max to [0, 100]: revenue c1 0, c2 100, c3 50; patents c1 0, c2
//! 100, c4 50. Each indicator its own dimension, the arithmetic mean of the
//! dimensions a cluster has: c1 0, c2 100, c3 50, c4 50; ranks c2 1, c3
//! and c4 2 (ties share the smaller rank), c1 4. Unconverted (7.8 and
//! 15.6 as if euros) c3 would lead revenue and c1 score 38.1.

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;
use common::{Env, Table, on_each};

const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name"],
        &[&["p1", "Torch"], &["p2", "Go-cluster"]],
    ),
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[
            &["o1", "Acme", "enterprise"],
            &["o2", "Beta", "enterprise"],
            &["o3", "Gamma", "research"],
            &["o4", "Delta", "university"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region", "country"],
        &[
            &["c1", "Suzhou Nano", "320500", "CN"],
            &["c2", "Dresden Micro", "DED2", "DE"],
            &["c3", "Wuxi IoT", "320200", "CN"],
            &["c4", "Jena Optics", "DEG0", "DE"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c3"], &["p2", "c2"], &["p2", "c4"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c2", "o2", "core"],
            &["c3", "o3", "core"],
            &["c4", "o4", "core"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "unit", "dimension", "direction"],
        &[
            &[
                "revenue",
                "Revenue",
                "money million",
                "economy",
                "higher_better",
            ],
            &["patents", "Patents", "count", "innovation", "higher_better"],
        ],
    ),
    (
        "exchange_rates",
        &["currency", "year", "per_eur", "source"],
        &[&["CNY", "2024", "7.8", "hand-worked test rate"]],
    ),
    (
        "observations",
        &[
            "cluster",
            "indicator",
            "period",
            "value",
            "currency",
            "visibility",
        ],
        &[
            &["c1", "revenue", "2024", "7.8", "CNY", "public"],
            &["c1", "patents", "2024", "10", "", "public"],
            &["c2", "revenue", "2024", "3.0", "EUR", "cluster"],
            &["c2", "patents", "2024", "30", "", "cluster"],
            &["c3", "revenue", "2024", "15.6", "cny", "cluster"],
            &["c4", "revenue", "2024", "9.9", "EUR", "private"],
            &["c4", "patents", "2024", "20", "", "public"],
            &["c1", "revenue", "2023", "7.0", "CNY", "public"],
            &["c2", "revenue", "2023", "2.0", "EUR", "public"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("league", FIXTURE, Config::default()).await
}

const ALL: &str = "/api/v1/evaluation/index?period=2024";

/// (cluster, score, rank) of each row shown.
fn rows(v: &Value) -> Vec<(String, Option<f64>, Option<u64>)> {
    v["clusters"]
        .as_array()
        .unwrap_or_else(|| panic!("no clusters in {v}"))
        .iter()
        .map(|r| {
            (
                r["cluster"].as_str().unwrap().to_owned(),
                r["score"].as_f64(),
                r["rank"].as_u64(),
            )
        })
        .collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| weaver_testkit::approx::close(a, b, 1e-12, 1e-9))
}

/// The hand-worked table of the module docs, in its order.
fn assert_hand_worked(v: &Value) {
    let got = rows(v);
    let want = [
        ("c2", 100.0, 1),
        ("c3", 50.0, 2),
        ("c4", 50.0, 2),
        ("c1", 0.0, 4),
    ];
    assert_eq!(got.len(), 4, "{v}");
    for ((c, s, r), (wc, ws, wr)) in got.iter().zip(want) {
        assert_eq!((c.as_str(), *r), (wc, Some(wr)), "{v}");
        assert!(close(*s, ws), "{c}: {s:?} vs {ws} in {v}");
    }
}

#[test]
fn the_table_of_all_is_the_hand_worked_index_with_money_converted() {
    on_each(envs, async |env| {
        let (s, v) = env.call("admin", "GET", ALL, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_hand_worked(&v);
        assert_eq!(
            v["population"],
            json!({"kind": "all", "id": null, "clusters": 4})
        );
        assert_eq!(
            (&v["period"], &v["currency"], &v["of"]),
            (&json!("2024"), &json!("EUR"), &json!(4))
        );
        assert_eq!(
            v["rates"],
            json!([{"currency": "CNY", "year": 2024, "per_eur": 7.8, "source": "hand-worked test rate"}])
        );
        // Coverage and what is missing, with why.
        let by = |c: &str| -> Value {
            v["clusters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["cluster"] == c)
                .cloned()
                .unwrap()
        };
        assert_eq!(by("c1")["coverage"], 1.0);
        assert_eq!(by("c3")["coverage"], 0.5);
        assert_eq!(by("c3")["missing"][0]["indicator"], "patents");
        assert_eq!(by("c3")["missing"][0]["reason"], "no_observation");
        assert_eq!(by("c4")["missing"][0]["indicator"], "revenue");
        assert_eq!(by("c4")["missing"][0]["reason"], "not_readable");
        assert_eq!(by("c2")["missing"], json!([]));
    });
}

#[test]
fn every_role_gets_the_same_score_and_rank() {
    on_each(envs, async |env| {
        let (_, admin) = env.call("admin", "GET", ALL, None).await;
        let admin = rows(&admin);
        for who in ["officer", "manager", "member", "outsider"] {
            let (s, v) = env.call(who, "GET", ALL, None).await;
            assert_eq!(s, StatusCode::OK, "{who}: {v}");
            let shown = rows(&v);
            assert!(!shown.is_empty(), "{who}: {v}");
            for row in shown {
                assert!(admin.contains(&row), "{who}: {row:?} is not the admin's");
            }
            assert_eq!(v["of"], 4, "{who}");
        }
    });
}

#[test]
fn a_manager_sees_its_row_and_the_others_anonymised() {
    on_each(envs, async |env| {
        let (s, v) = env.call("manager", "GET", ALL, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["view"], "own");
        assert_eq!(rows(&v).len(), 1);
        assert_eq!(rows(&v)[0].0, "c1");
        // The others: 100, 50, 50 (type-7 quartiles: 50, 50, 75).
        assert_eq!(
            v["others"],
            json!({"n": 3, "min": 50.0, "q1": 50.0, "median": 50.0, "q3": 75.0, "max": 100.0})
        );
        let text = v.to_string();
        for other in ["\"c2\"", "\"c3\"", "\"c4\"", "Dresden", "Wuxi", "Jena"] {
            assert!(!text.contains(other), "{other} in {text}");
        }
        // A member of c1 (o1) the same; the manager of c2 its own row.
        let (_, v) = env.call("member", "GET", ALL, None).await;
        assert_eq!(rows(&v)[0].0, "c1");
        assert_eq!(rows(&v).len(), 1);
        let (_, v) = env.call("outsider", "GET", ALL, None).await;
        assert_eq!(rows(&v).len(), 1);
        assert!(close(rows(&v)[0].1, 100.0), "{v}");
    });
}

#[test]
fn a_programme_is_ranked_on_its_own_clusters() {
    on_each(envs, async |env| {
        // p1: c1 revenue 1.0, c3 2.0 (EUR); patents of c1 alone do not
        // vary and are left out: c3 100 (rank 1), c1 0 (rank 2).
        let url = "/api/v1/evaluation/index?period=2024&population=programme:p1";
        let (s, v) = env.call("officer", "GET", url, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["population"],
            json!({"kind": "programme", "id": "p1", "clusters": 2})
        );
        let r = rows(&v);
        assert_eq!((r[0].0.as_str(), r[0].2), ("c3", Some(1)), "{v}");
        assert!(close(r[0].1, 100.0) && close(r[1].1, 0.0), "{v}");
        // The manager of c2 has no cluster in p1: refused, saying why.
        let (s, v) = env.call("outsider", "GET", url, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("programme 'p1'"),
            "{v}"
        );
        // An officer of p1 asks for p2: refused too.
        let (s, _) = env
            .call(
                "officer",
                "GET",
                "/api/v1/evaluation/index?period=2024&population=programme:p2",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    });
}

#[test]
fn money_compares_in_the_currency_asked_and_a_missing_rate_says_so() {
    on_each(envs, async |env| {
        // In CNY the values scale alike: the same scores.
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/evaluation/index?period=2024&currency=cny",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["currency"], "CNY");
        assert_hand_worked(&v);
        // No USD rate: every revenue value is missing, with the reason;
        // the patents alone rank c2 100, c4 50, c1 0, and c3 has nothing.
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/evaluation/index?period=2024&currency=USD",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let c3 = v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cluster"] == "c3")
            .cloned()
            .unwrap();
        assert_eq!(c3["score"], Value::Null);
        assert_eq!(c3["coverage"], 0.0);
        let missing = |ind: &str| {
            c3["missing"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["indicator"] == ind)
                .cloned()
                .unwrap_or_else(|| panic!("{ind} is not missing in {c3}"))
        };
        assert_eq!(missing("revenue")["reason"], "no_rate");
        assert!(
            missing("revenue")["detail"]
                .as_str()
                .unwrap()
                .contains("USD"),
            "{c3}"
        );
        assert_eq!(missing("patents")["reason"], "no_observation");
        // 2023 has no CNY rate: c1's revenue is missing for that reason.
        let (s, v) = env
            .call("admin", "GET", "/api/v1/evaluation/index?period=2023", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let c1 = v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cluster"] == "c1")
            .cloned()
            .unwrap();
        assert_eq!(c1["missing"][0]["reason"], "no_rate", "{v}");
        // A currency that is no ISO code is a 400 naming the parameter.
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/evaluation/index?period=2024&currency=RMB",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("currency"),
            "{v}"
        );
        let (s, _) = env
            .call(
                "admin",
                "GET",
                "/api/v1/evaluation/index?period=2024&population=cluster:c1",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    });
}

#[test]
fn a_campaigns_table_is_public_once_published_and_then_frozen() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/campaigns",
                Some(json!({"id": "cmp", "name": "2024", "period": "2024",
                    "deadline": "2099-12-31", "indicators": ["revenue", "patents"],
                    "clusters": ["c1", "c2", "c3", "c4"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let url = "/api/v1/evaluation/index?population=campaign:cmp";
        // Not published: the public is refused, told what would make it readable.
        let (s, v) = env.call("public", "GET", url, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("publish"),
            "{v}"
        );
        // The admin reads it (the campaign's period by default).
        let (s, v) = env.call("admin", "GET", url, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_hand_worked(&v);
        // An open campaign is not published; a manager never publishes.
        let publish = "/api/v1/campaigns/cmp/publish";
        assert_eq!(
            env.call("admin", "POST", publish, None).await.0,
            StatusCode::CONFLICT
        );
        let (s, v) = env
            .call("admin", "POST", "/api/v1/campaigns/cmp/close", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            env.call("manager", "POST", publish, None).await.0,
            StatusCode::FORBIDDEN
        );
        let (s, v) = env.call("admin", "POST", publish, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v["campaign"]["published_at"].is_string(), "{v}");
        // Now anyone reads the table as published.
        let (s, v) = env.call("public", "GET", url, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["view"], "published");
        assert!(v["published_at"].is_string(), "{v}");
        assert_hand_worked(&v);
        assert_eq!(
            v["population"],
            json!({"kind": "campaign", "id": "cmp", "clusters": 4})
        );
        // Published once.
        assert_eq!(
            env.call("admin", "POST", publish, None).await.0,
            StatusCode::CONFLICT
        );
        // A rate typed in later changes the live table, not the published one.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/exchange_rates/1",
                Some(json!({"per_eur": 3.9})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, live) = env.call("admin", "GET", ALL, None).await;
        assert_eq!(live["rates"][0]["per_eur"], 3.9);
        let (_, kept) = env.call("public", "GET", url, None).await;
        assert_eq!(kept["rates"][0]["per_eur"], 7.8);
        assert_hand_worked(&kept);
    });
}
