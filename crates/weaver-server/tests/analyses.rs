//! The engine endpoints of `analyses.rs` end to end, on SQLite and on
//! PostgreSQL (a fresh database on the server named by `WEAVER_TEST_PG`;
//! required when `WEAVER_REQUIRE_PG` or `CI` is set): who may ask, bad input
//! answered with a 4xx and a reason, and values worked by hand on a small
//! register. Agreement with the command line on the same register is in
//! `crates/weaver/tests/analyses_cli.rs`.

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// Programme p1 funds c1 and c3, p2 funds c2. c1's network in 2024 is the
/// path o1 – o2 – o3 and o4 alone (o4 joined in 2023). Observations: 2025
/// members and cost of every cluster (c2's and c3's public), and c1's
/// members and public funding share over 2021–2024 (lifecycle signals).
/// Regional activity: two regions, two industries, 2023 and 2024.
const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name"],
        &[&["p1", "Torch"], &["p2", "Pôles"]],
    ),
    (
        "organizations",
        &["id", "name", "actor_type", "industry"],
        &[
            &["o1", "Acme 机械", "enterprise", "C34"],
            &["o2", "Nano University", "university", "P85"],
            &["o3", "Suzhou Bureau", "government", "O84"],
            &["o4", "Lone Firm", "enterprise", "C34"],
            &["o5", "Lyon Labs", "research", "M72"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region", "management_fte", "website_en"],
        &[
            &["c1", "Suzhou Nano", "320500", "1.5", "true"],
            &["c2", "Lyon Bio", "FRK26", "", ""],
            &["c3", "Wuxi IoT", "320200", "0.2", "false"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c3"], &["p2", "c2"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since"],
        &[
            &["c1", "o1", "core", ""],
            &["c1", "o2", "partner", ""],
            &["c1", "o3", "partner", ""],
            &["c1", "o4", "regional", "2023"],
            &["c2", "o5", "core", ""],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start"],
        &[
            &["o1", "o2", "co_publication", "2020"],
            &["o2", "o3", "contract", "2021"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[
            &["members", "Members", "higher_better"],
            &["cost", "Cost", "lower_better"],
            &[
                "public_funding_share",
                "Public funding share",
                "higher_better",
            ],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2025", "10", "cluster"],
            &["c1", "cost", "2025", "5", "cluster"],
            &["c2", "members", "2025", "30", "public"],
            &["c2", "cost", "2025", "4", "public"],
            &["c3", "members", "2025", "20", "public"],
            &["c3", "cost", "2025", "1", "public"],
            &["c1", "members", "2021", "100", "cluster"],
            &["c1", "members", "2022", "90", "cluster"],
            &["c1", "members", "2023", "80", "cluster"],
            &["c1", "members", "2024", "70", "cluster"],
            &["c1", "public_funding_share", "2021", "0.1", "cluster"],
            &["c1", "public_funding_share", "2022", "0.1", "cluster"],
            &["c1", "public_funding_share", "2023", "0.1", "cluster"],
            &["c1", "public_funding_share", "2024", "0.1", "cluster"],
        ],
    ),
    (
        "regional_activity",
        &["region", "industry", "year", "employment"],
        &[
            &["R1", "A", "2023", "20"],
            &["R1", "B", "2023", "20"],
            &["R2", "A", "2023", "20"],
            &["R2", "B", "2023", "20"],
            &["R1", "A", "2024", "30"],
            &["R1", "B", "2024", "10"],
            &["R2", "A", "2024", "10"],
            &["R2", "B", "2024", "30"],
        ],
    ),
];

/// A fresh register with the fixture on each backend that is available.
async fn envs() -> Vec<Env> {
    common::envs("analyses", FIXTURE, Config::default()).await
}

impl Env {
    /// Sends a request as `who` ("public" for nobody) and returns the status
    /// and the JSON body (Null when empty). No request may fail with a 5xx.
    async fn send(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        // JSON objects as JSON, anything else (method files) as text.
        let ct = match &body {
            Some(b) if !b.starts_with('{') => "text/plain",
            _ => "application/json",
        };
        self.raw(who, method, path, body, ct).await
    }

    async fn get(&self, who: &str, path: &str) -> (StatusCode, Value) {
        self.send(who, "GET", path, None).await
    }

    /// Asserts that `path` answers `status` to `who` with an error message
    /// containing `needle`.
    async fn refused(&self, who: &str, path: &str, status: StatusCode, needle: &str) {
        let (s, v) = self.get(who, path).await;
        assert_eq!(s, status, "GET {path} as {who}: {v}");
        let msg = v["error"]["message"].as_str().unwrap_or_default();
        assert!(
            msg.contains(needle),
            "GET {path} as {who}: '{msg}' lacks '{needle}'"
        );
    }
}

/// This suite's tolerance: equal to 1e-9 (see `weaver_testkit::close`).
fn close(a: f64, b: f64) -> bool {
    weaver_testkit::close(a, b, 0.0, 1e-9)
}

/// Spreads by node id.
fn spreads(v: &Value, field: &str) -> std::collections::BTreeMap<String, f64> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_owned(),
                n[field].as_f64().unwrap(),
            )
        })
        .collect()
}

/// c1's diffusion in 2024 at p = 1 with the two best suggested ties added.
const WHAT_IF: &str = "/api/v1/clusters/c1/diffusion?period=2024&probability=1&runs=2&what_if=2";

#[test]
fn at_probability_one_a_seed_reaches_its_component() {
    on_each(envs, async |env| {
        // Every tie transmits: a seed reaches its component (o1 – o2 – o3:
        // 3; o4 alone: 1), whatever the seed or runs.
        let (s, v) = env
            .get(
                "manager",
                "/api/v1/clusters/c1/diffusion?period=2024&probability=1&runs=5",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["cached"], false);
        let got = spreads(&v, "expected_spread");
        let want: std::collections::BTreeMap<String, f64> =
            [("o1", 3.0), ("o2", 3.0), ("o3", 3.0), ("o4", 1.0)]
                .iter()
                .map(|(k, x)| (k.to_string(), *x))
                .collect();
        assert_eq!(got, want);
        // Ranks 1, 1, 1, 4 (ties share the smallest), listed by rank.
        let ranks: Vec<u64> = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["rank"].as_u64().unwrap())
            .collect();
        assert_eq!(ranks, [1, 1, 1, 4]);
        assert!(close(v["mean_expected_spread"].as_f64().unwrap(), 2.5));
    });
}

#[test]
fn at_probability_zero_each_seed_reaches_itself() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get(
                "officer",
                "/api/v1/clusters/c1/diffusion?period=2024&probability=0&runs=3",
            )
            .await;
        assert!(
            spreads(&v, "expected_spread").values().all(|x| *x == 1.0),
            "{v}"
        );
    });
}

#[test]
fn a_diffusion_runs_on_the_members_of_its_period() {
    on_each(envs, async |env| {
        // In 2022 o4 was not yet a member.
        let (_, v) = env
            .get(
                "member",
                "/api/v1/clusters/c1/diffusion?period=2022&probability=1&runs=1",
            )
            .await;
        assert_eq!(v["nodes"].as_array().unwrap().len(), 3, "{v}");
    });
}

#[test]
fn the_what_if_adds_the_best_suggested_ties() {
    on_each(envs, async |env| {
        // The what-if adds the best suggestions of …/recommendations; at
        // p = 1 each seed then reaches its component in the network with
        // those ties (worked out here by union–find).
        let (s, v) = env.get("manager", WHAT_IF).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, rec) = env
            .get("manager", "/api/v1/clusters/c1/recommendations?period=2024")
            .await;
        let added = v["what_if"]["ties_added"].as_array().unwrap();
        let suggested = rec["suggestions"].as_array().unwrap();
        assert_eq!(added.len(), suggested.len().min(2));
        for (a, s) in added.iter().zip(suggested) {
            assert_eq!((&a["source"], &a["target"]), (&s["source"], &s["target"]));
        }
        let ids = ["o1", "o2", "o3", "o4"];
        let mut parent: Vec<usize> = (0..4).collect();
        fn find(p: &mut Vec<usize>, x: usize) -> usize {
            if p[x] != x {
                let r = find(p, p[x]);
                p[x] = r;
            }
            p[x]
        }
        let pos = |id: &Value| ids.iter().position(|x| id == x).unwrap();
        let mut links = vec![(0, 1), (1, 2)];
        links.extend(added.iter().map(|a| (pos(&a["source"]), pos(&a["target"]))));
        for (a, b) in links {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra] = rb;
        }
        let after = spreads(&v, "expected_spread_after");
        for (i, id) in ids.iter().enumerate() {
            let root = find(&mut parent, i);
            let size = (0..4).filter(|&j| find(&mut parent, j) == root).count();
            assert_eq!(after[*id], size as f64, "{id}: {v}");
        }
    });
}

#[test]
fn the_same_diffusion_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let (s, v) = env.get("manager", WHAT_IF).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["cached"], false);
        let (_, again) = env.get("manager", WHAT_IF).await;
        assert_eq!(again["cached"], true);
        assert_eq!(again["nodes"], v["nodes"]);
    });
}

#[test]
fn a_diffusion_is_asked_by_the_clusters_readers_only() {
    on_each(envs, async |env| {
        let path = "/api/v1/clusters/c1/diffusion?runs=10";
        assert_eq!(env.get("admin", path).await.0, StatusCode::OK);
        assert_eq!(env.get("outsider", path).await.0, StatusCode::FORBIDDEN);
        assert_eq!(env.get("public", path).await.0, StatusCode::UNAUTHORIZED);
        env.refused(
            "admin",
            "/api/v1/clusters/zz/diffusion",
            StatusCode::NOT_FOUND,
            "zz",
        )
        .await;
    });
}

#[test]
fn bad_diffusion_parameters_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        let base = "/api/v1/clusters/c1/diffusion";
        for (q, needle) in [
            ("runs=0", "runs must be between 1 and 10000"),
            ("runs=10001", "runs must be between 1 and 10000"),
            ("probability=1.5", "probability must be between 0 and 1"),
            ("probability=-0.1", "probability must be between 0 and 1"),
            ("what_if=101", "what_if must be between 0 and 100"),
            ("period=last", "period must be a year"),
            ("seed=-1", "seed"),
            ("runs=many", "runs"),
            ("steps=3", "steps"),
        ] {
            env.refused(
                "manager",
                &format!("{base}?{q}"),
                StatusCode::BAD_REQUEST,
                needle,
            )
            .await;
        }
    });
}

#[test]
fn the_eccp_profile_of_a_cluster_is_hand_worked() {
    on_each(envs, async |env| {
        // c1 in 2024: o1 enterprise, o2 university, o3 government, o4
        // enterprise: 4 members of 3 ECCP types (industry, research,
        // public); 1.5 FTE; English website. Fewer than 15 members fails.
        let (s, v) = env
            .get("manager", "/api/v1/clusters/c1/labels?period=2024")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["profile"]["members"], 4);
        assert_eq!(
            v["profile"]["member_types"],
            json!(["industry", "public", "research"])
        );
        assert_eq!(v["profile"]["management_fte"], 1.5);
        assert_eq!(v["profile"]["website_en"], true);
        let outcomes: Vec<(&str, &str)> = v["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].as_str().unwrap(), c["outcome"].as_str().unwrap()))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("committed_members", "fail"),
                ("member_types", "pass"),
                ("management_fte", "pass"),
                ("english_website", "pass"),
            ]
        );
        assert_eq!(v["eligible"], "fail");
    });
}

#[test]
fn the_eccp_profile_counts_the_members_of_its_period() {
    on_each(envs, async |env| {
        // In 2022, before o4 joined: 3 members.
        let (_, v) = env
            .get("officer", "/api/v1/clusters/c1/labels?period=2022")
            .await;
        assert_eq!(v["profile"]["members"], 3);
    });
}

#[test]
fn a_cluster_without_members_fte_or_english_website_fails_those_criteria() {
    on_each(envs, async |env| {
        // c3 has no members (0 types) and 0.2 FTE, no English website.
        let (_, v) = env.get("officer", "/api/v1/clusters/c3/labels").await;
        assert_eq!(v["criteria"][1]["outcome"], "fail");
        assert_eq!(v["criteria"][2]["outcome"], "fail");
        assert_eq!(v["criteria"][3]["outcome"], "fail");
    });
}

#[test]
fn what_a_cluster_did_not_record_is_unknown_never_a_guess() {
    on_each(envs, async |env| {
        // c2 has no FTE or website recorded.
        let (s, v) = env.get("outsider", "/api/v1/clusters/c2/labels").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["criteria"][2]["outcome"], "unknown");
        assert_eq!(v["criteria"][3]["outcome"], "unknown");
    });
}

#[test]
fn labels_are_asked_by_the_clusters_readers_only() {
    on_each(envs, async |env| {
        assert_eq!(
            env.get("member", "/api/v1/clusters/c1/labels").await.0,
            StatusCode::OK
        );
        assert_eq!(
            env.get("admin", "/api/v1/clusters/c2/labels").await.0,
            StatusCode::OK
        );
        assert_eq!(
            env.get("outsider", "/api/v1/clusters/c1/labels").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.get("member", "/api/v1/clusters/c3/labels").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.get("public", "/api/v1/clusters/c1/labels").await.0,
            StatusCode::UNAUTHORIZED
        );
    });
}

#[test]
fn a_private_member_counts_for_the_managers_not_the_clusters_other_readers() {
    on_each(envs, async |env| {
        // The network endpoints' rule, in the labels and the diffusion.
        for (path, body) in [
            (
                "/api/v1/organizations",
                json!({"id": "o6", "name": "Quiet Works", "actor_type": "finance", "visibility": "private"}),
            ),
            (
                "/api/v1/memberships",
                json!({"cluster": "c1", "org": "o6", "tier": "associate"}),
            ),
        ] {
            let (s, v) = env
                .send("manager", "POST", path, Some(body.to_string()))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
        }
        let (_, v) = env
            .get("manager", "/api/v1/clusters/c1/labels?period=2024")
            .await;
        assert_eq!(v["profile"]["members"], 5);
        let (_, v) = env
            .get("officer", "/api/v1/clusters/c1/labels?period=2024")
            .await;
        assert_eq!(v["profile"]["members"], 4);
        let (_, v) = env
            .get("member", "/api/v1/clusters/c1/diffusion?period=2024&runs=1")
            .await;
        assert_eq!(v["nodes"].as_array().unwrap().len(), 4, "{v}");
        let (_, v) = env
            .get(
                "manager",
                "/api/v1/clusters/c1/diffusion?period=2024&runs=1",
            )
            .await;
        assert_eq!(v["nodes"].as_array().unwrap().len(), 5, "{v}");
    });
}

#[test]
fn bad_label_parameters_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "manager",
            "/api/v1/clusters/c1/labels?period=2024-13",
            StatusCode::BAD_REQUEST,
            "period must be",
        )
        .await;
        env.refused(
            "manager",
            "/api/v1/clusters/c1/labels?year=2024",
            StatusCode::BAD_REQUEST,
            "year",
        )
        .await;
    });
}

/// Asserts a ranking's clusters are (id, score ± 1e-9, rank), in order.
fn assert_table(v: &Value, want: &[(&str, f64, u64)]) {
    let rows = v["clusters"].as_array().unwrap();
    assert_eq!(rows.len(), want.len(), "{v}");
    for (r, (id, score, rank)) in rows.iter().zip(want) {
        assert_eq!(r["cluster"], *id, "{v}");
        assert!(close(r["score"].as_f64().unwrap(), *score), "{id}: {v}");
        assert_eq!(r["rank"], *rank, "{id}: {v}");
    }
}

/// Manual weights 3 : 1 (and public_funding_share, which manual weighting
/// must name, 1).
const MANUAL_METHOD: &str = "[method]\nweighting = \"manual\"\n\n[[indicators]]\nid = \"members\"\nweight = 3.0\n\n[[indicators]]\nid = \"cost\"\nweight = 1.0\n\n[[indicators]]\nid = \"public_funding_share\"\nweight = 1.0\n";

#[test]
fn the_ranking_of_the_entered_observations_is_hand_worked() {
    on_each(envs, async |env| {
        // Hand-worked, 2025: members (higher better) c1 10, c2 30, c3
        // 20 → min-max 0, 100, 50; cost (lower better) 5, 4, 1 → 0, 25,
        // 100. Equal weights: c1 0, c2 62.5, c3 75.
        // (`computed=false`: the entered observations only, without the
        // indicators the register computes.)
        let (s, v) = env
            .get(
                "admin",
                "/api/v1/evaluation/ranking?period=2025&computed=false",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_table(&v, &[("c3", 75.0, 1), ("c2", 62.5, 2), ("c1", 0.0, 3)]);
        assert!(v["method_record"].as_str().unwrap().contains("minmax"));
    });
}

#[test]
fn by_default_the_computed_indicators_join_the_ranking() {
    on_each(envs, async |env| {
        // The computed indicators (auto.*) join for the clusters one reads:
        // c3 has no members in the register, so no computed value, and its
        // coverage falls below 1.
        let (s, with) = env
            .get("admin", "/api/v1/evaluation/ranking?period=2025")
            .await;
        assert_eq!(s, StatusCode::OK, "{with}");
        let c3 = with["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cluster"] == "c3")
            .unwrap();
        assert!(c3["coverage"].as_f64().unwrap() < 1.0, "{with}");
        assert!(with["notices"].to_string().contains("auto."), "{with}");
    });
}

#[test]
fn a_method_file_sets_the_ranking_s_weights() {
    on_each(envs, async |env| {
        // Manual weights 3 : 1 → c2 (300 + 25)/4 = 81.25, c3 (150 + 100)/4
        // = 62.5, c1 0 (public_funding_share has no value in 2025).
        let (s, v) = env
            .send(
                "officer",
                "POST",
                "/api/v1/evaluation/ranking?period=2025&computed=false",
                Some(MANUAL_METHOD.into()),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // The officer of p1 reads c1 and c3 (and the public c2).
        assert_table(&v, &[("c2", 81.25, 1), ("c3", 62.5, 2), ("c1", 0.0, 3)]);
        assert_eq!(v["method"], "method file");
    });
}

#[test]
fn each_reader_ranks_the_clusters_whose_observations_it_reads() {
    on_each(envs, async |env| {
        // The public reads c2 and c3 only: members 100, 0; cost 0, 100.
        let (s, v) = env
            .get("public", "/api/v1/evaluation/ranking?period=2025")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_table(&v, &[("c2", 50.0, 1), ("c3", 50.0, 1)]);
        // The outsider (manager of c2) reads c2 and c3 likewise.
        let (_, v) = env
            .get("outsider", "/api/v1/evaluation/ranking?period=2025")
            .await;
        assert_eq!(v["clusters"].as_array().unwrap().len(), 2, "{v}");
    });
}

#[test]
fn topsis_ranks_the_cluster_nearest_the_ideal_first() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get(
                "admin",
                "/api/v1/evaluation/ranking?period=2025&ranking=topsis&computed=false",
            )
            .await;
        assert_eq!(v["ranking"], "topsis");
        assert_eq!(v["clusters"][0]["cluster"], "c3", "{v}");
    });
}

#[test]
fn rank_intervals_are_bounded_seeded_and_cached() {
    on_each(envs, async |env| {
        // Ranks lie in 1..3, p5 ≤ median ≤ p95, and the same seed gives the
        // same answer (from the cache).
        let path = "/api/v1/evaluation/ranking?period=2025&runs=200&seed=7&computed=false";
        let (s, v) = env.get("admin", path).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["uncertainty"]["runs"], 200);
        assert_eq!(v["cached"], false);
        for r in v["clusters"].as_array().unwrap() {
            let (p5, med, p95) = (
                r["rank_p5"].as_f64().unwrap(),
                r["rank_median"].as_f64().unwrap(),
                r["rank_p95"].as_f64().unwrap(),
            );
            assert!(
                (1.0..=3.0).contains(&p5) && p5 <= med && med <= p95 && p95 <= 3.0,
                "{r}"
            );
        }
        // c1 is last on both indicators: last in every run.
        let c1 = v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cluster"] == "c1")
            .unwrap();
        assert_eq!(
            (c1["rank_p5"].as_f64(), c1["rank_p95"].as_f64()),
            (Some(3.0), Some(3.0))
        );
        let (_, again) = env.get("admin", path).await;
        assert_eq!(again["cached"], true);
        assert_eq!(again["clusters"], v["clusters"]);
    });
}

#[test]
fn bad_ranking_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        let r = "/api/v1/evaluation/ranking";
        env.refused("admin", r, StatusCode::BAD_REQUEST, "period")
            .await;
        env.refused(
            "admin",
            &format!("{r}?period=next"),
            StatusCode::BAD_REQUEST,
            "period must be",
        )
        .await;
        env.refused(
            "admin",
            &format!("{r}?period=2019&computed=false"),
            StatusCode::BAD_REQUEST,
            "no observations",
        )
        .await;
        // With the computed indicators, 2019 has values: the members then.
        assert_eq!(
            env.get("admin", &format!("{r}?period=2019")).await.0,
            StatusCode::OK
        );
        env.refused(
            "admin",
            &format!("{r}?period=2025&runs=0"),
            StatusCode::BAD_REQUEST,
            "runs must be between 1 and 10000",
        )
        .await;
        env.refused(
            "admin",
            &format!("{r}?period=2025&runs=10001"),
            StatusCode::BAD_REQUEST,
            "runs must be between",
        )
        .await;
        env.refused(
            "admin",
            &format!("{r}?period=2025&ranking=best"),
            StatusCode::BAD_REQUEST,
            "ranking must be index or topsis",
        )
        .await;
        env.refused(
            "admin",
            &format!("{r}?period=2025&ranking=topsis&runs=10"),
            StatusCode::BAD_REQUEST,
            "topsis",
        )
        .await;
        env.refused(
            "admin",
            &format!("{r}?period=2025&framework=olympic"),
            StatusCode::BAD_REQUEST,
            "world_class_cluster",
        )
        .await;
        env.refused(
            "public",
            &format!("{r}?period=2024"),
            StatusCode::BAD_REQUEST,
            "no observations",
        )
        .await;
        for (body, needle) in [
            ("[method]\nweighting = \"lucky\"", "weighting"),
            ("this is not toml", "method file"),
            ("   ", "TOML method file"),
            ("[method]\nimputation = \"group_mean\"", "group"),
        ] {
            let (s, v) = env
                .send(
                    "admin",
                    "POST",
                    &format!("{r}?period=2025"),
                    Some(body.into()),
                )
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
            assert!(
                v["error"]["message"].as_str().unwrap().contains(needle),
                "{body}: {v}"
            );
        }
        let (s, _) = env
            .send(
                "admin",
                "POST",
                &format!("{r}?period=2025&framework=world_class_cluster"),
                Some(MANUAL_METHOD.into()),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    });
}

#[test]
fn lifecycle_stages_follow_the_engines_worked_example() {
    on_each(envs, async |env| {
        // c1's members fall 100, 90, 80, 70 over 2021–2024 with a public
        // funding share of 0.1: decline and mature in 2024, undetermined
        // in 2021 (no trend yet).
        let (s, v) = env
            .get("manager", "/api/v1/evaluation/lifecycle?cluster=c1")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let stages = v["stages"].as_array().unwrap();
        let periods: Vec<&str> = stages
            .iter()
            .map(|r| r["period"].as_str().unwrap())
            .collect();
        assert_eq!(periods, ["2021", "2022", "2023", "2024", "2025"]);
        assert_eq!(stages[0]["lifecycle_stage"], "undetermined");
        assert_eq!(stages[3]["lifecycle_stage"], "decline");
        assert_eq!(stages[3]["policy_stage"], "mature");
        assert!(!stages[3]["rules"].as_array().unwrap().is_empty());
        assert_eq!(v["ignored"], json!(["cost"]));
        // 2024: members 90, 80, 70 over the last three years, slope −10
        // over the mean 80 = −12.5% a year: shrinking, given once, in
        // both languages; the verdict confirms the stage of 2023.
        assert_eq!(v["confirm_periods"], 2);
        assert_eq!(stages[3]["granularity"], "year");
        assert_eq!(stages[3]["lifecycle_verdict"], "decline");
        assert_eq!(stages[2]["lifecycle_stage"], "decline");
        let shrinking = stages[3]["fired"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "shrinking")
            .unwrap();
        assert_eq!(
            shrinking["values"],
            json!([{"signal": "members", "measure": "trend", "value": -0.125}])
        );
        assert_eq!(
            shrinking["reason_en"],
            "lifecycle stage decline, rule shrinking: the number of members changed by -12.50% per year over the last 3 years (below -5%)."
        );
        assert_eq!(
            shrinking["reason_zh"],
            "生命周期阶段“衰退期”，规则 shrinking：成员数近 3 年每年变化 -12.50%（低于 -5%）。"
        );
    });
}

#[test]
fn lifecycle_stages_of_one_period() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("officer", "/api/v1/evaluation/lifecycle?period=2024")
            .await;
        assert_eq!(v["stages"].as_array().unwrap().len(), 1, "{v}");
    });
}

#[test]
fn each_reader_gets_the_lifecycle_of_the_observations_it_reads() {
    on_each(envs, async |env| {
        // The public reads only c2's and c3's (published) 2025 values.
        let (s, v) = env.get("public", "/api/v1/evaluation/lifecycle").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let clusters: Vec<&str> = v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["cluster"].as_str().unwrap())
            .collect();
        assert_eq!(clusters, ["c2", "c3"]);
        let (_, v) = env
            .get("outsider", "/api/v1/evaluation/lifecycle?cluster=c1")
            .await;
        assert_eq!(v["stages"], json!([]));
    });
}

#[test]
fn bad_lifecycle_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/lifecycle?period=2024-Q5",
            StatusCode::BAD_REQUEST,
            "period must be",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/lifecycle?rules=mine",
            StatusCode::BAD_REQUEST,
            "rules",
        )
        .await;
    });
}

#[test]
fn location_quotients_of_regional_activity_are_hand_worked() {
    on_each(envs, async |env| {
        // 2024: A is 30 of R1's 40 jobs and 40 of the nation's 80: LQ
        // (30/40)/(40/80) = 1.5; B in R1 0.5; R2 mirrors.
        let (s, v) = env.get("public", "/api/v1/mapping/clusters").await;
        let v = v["sections"][0].clone();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["year"], 2024);
        let lq: Vec<(String, String, f64)> = v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["region"].as_str().unwrap().into(),
                    c["category"].as_str().unwrap().into(),
                    c["lq"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            lq,
            [
                ("R1".into(), "A".into(), 1.5),
                ("R1".into(), "B".into(), 0.5),
                ("R2".into(), "A".into(), 0.5),
                ("R2".into(), "B".into(), 1.5),
            ]
        );
        assert!(v["cells"][0].get("strong").is_some());
    });
}

#[test]
fn quadrants_place_rising_and_falling_specialisations() {
    on_each(envs, async |env| {
        // In 2023 every LQ is 1; from 2023 to 2024 A rises in R1 to 1.5
        // (star) and B falls to 0.5 (transforming).
        let (_, v) = env
            .get(
                "public",
                "/api/v1/mapping/clusters?method=quadrant&region=R1",
            )
            .await;
        let v = v["sections"][0].clone();
        let q: Vec<(&str, &str)> = v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["category"].as_str().unwrap(),
                    c["quadrant"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(q, [("A", "star"), ("B", "transforming")]);
    });
}

#[test]
fn the_eco_method_of_a_year_without_specialisation_stars_none() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get(
                "member",
                "/api/v1/mapping/clusters?year=2023&method=eco&category=A",
            )
            .await;
        let v = v["sections"][0].clone();
        assert_eq!(v["cells"].as_array().unwrap().len(), 2);
        assert!(
            v["cells"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["lq"] == 1.0 && c["specialisation_star"] == false)
        );
    });
}

#[test]
fn mapping_percentiles_come_on_request() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("public", "/api/v1/mapping/clusters?percentiles=true")
            .await;
        let v = v["sections"][0].clone();
        assert!(v["cells"][0].get("lq_percentile").is_some());
    });
}

#[test]
fn bad_mapping_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        let m = "/api/v1/mapping/clusters";
        env.refused(
            "public",
            &format!("{m}?method=stars"),
            StatusCode::BAD_REQUEST,
            "method must be cmp",
        )
        .await;
        env.refused(
            "public",
            &format!("{m}?year=1999"),
            StatusCode::NOT_FOUND,
            "no year 1999",
        )
        .await;
        env.refused(
            "public",
            &format!("{m}?year=99"),
            StatusCode::BAD_REQUEST,
            "four-digit",
        )
        .await;
        env.refused(
            "public",
            &format!("{m}?year=soon"),
            StatusCode::BAD_REQUEST,
            "year",
        )
        .await;
        env.refused(
            "public",
            &format!("{m}?percentiles=maybe"),
            StatusCode::BAD_REQUEST,
            "percentiles",
        )
        .await;
    });
}

/// Opens campaign m25 of p1 (2025, members and cost) as its officer, makes
/// c1's cost private and closes the campaign.
async fn close_campaign(env: &Env) {
    let open = json!({"id": "m25", "name": "Monitoring 2025", "period": "2025",
        "deadline": "2099-12-31", "indicators": ["members", "cost"]});
    let (s, v) = env
        .send(
            "officer",
            "POST",
            "/api/v1/campaigns",
            Some(open.to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["clusters"], json!(["c1", "c3"]));
    let (_, v) = env
        .get("admin", "/api/v1/observations?cluster=c1&indicator=cost")
        .await;
    let row = v["rows"][0]["row_id"].as_i64().unwrap();
    let (s, v) = env
        .send(
            "admin",
            "PATCH",
            &format!("/api/v1/observations/{row}"),
            Some(json!({"visibility": "private"}).to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env
        .send("officer", "POST", "/api/v1/campaigns/m25/close", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[test]
fn a_closed_campaign_keeps_the_evaluation_its_programme_sees() {
    on_each(envs, async |env| {
        close_campaign(env).await;
        // c1's cost is private: the evaluation kept is what the programme
        // sees, so c1 is compared on members alone. Hand-worked over the
        // campaign's clusters: members c1 10, c3 20 → 0, 100; cost has
        // c3's value alone, which min-max cannot scale (no range: no
        // value): c1 0 (rank 2, one of its two indicators observed).
        let (_, v) = env.get("manager", "/api/v1/campaigns/m25/results").await;
        let e = &v["results"][0]["result"];
        assert_eq!(
            (e["score"].as_f64(), e["rank"].as_u64()),
            (Some(0.0), Some(2)),
            "{e}"
        );
        assert_eq!(e["clusters_compared"], 2);
        assert_eq!(e["coverage"], 0.5, "{e}");
    });
}

#[test]
fn a_clusters_manager_sees_its_clusters_campaign_results() {
    on_each(envs, async |env| {
        close_campaign(env).await;
        let (_, v) = env.get("manager", "/api/v1/campaigns/m25/results").await;
        let kinds: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["evaluation", "network", "status"],
            "the manager of c1 sees c1's: {v}"
        );
    });
}

#[test]
fn the_officer_sees_the_results_of_every_cluster_of_the_campaign() {
    on_each(envs, async |env| {
        close_campaign(env).await;
        // c3: members 20 → 100 and the unscalable cost: 100, rank 1.
        let (_, v) = env.get("officer", "/api/v1/campaigns/m25/results").await;
        let c3 = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cluster"] == "c3" && r["kind"] == "evaluation")
            .unwrap();
        assert_eq!(
            (
                c3["result"]["score"].as_f64(),
                c3["result"]["rank"].as_u64()
            ),
            (Some(100.0), Some(1))
        );
    });
}

/// The values of `auto.*` codes in an answer of `/evaluation/computed`, by
/// (cluster, code).
fn computed_values(v: &Value) -> std::collections::BTreeMap<(String, String), (f64, String)> {
    v["values"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|r| {
            (
                (
                    r["cluster"].as_str().unwrap().to_owned(),
                    r["indicator"].as_str().unwrap().to_owned(),
                ),
                (
                    r["value"].as_f64().unwrap(),
                    r["origin"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

#[test]
fn computed_indicators_are_hand_worked() {
    on_each(envs, async |env| {
        // c1 in 2024: o1, o2, o3 and o4 (joined 2023); ties o1–o2 and
        // o2–o3: density 2·2 / (4·3), both ties across actor types.
        let (s, v) = env
            .get("admin", "/api/v1/evaluation/computed?period=2024")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let all = computed_values(&v);
        let at = |c: &str, i: &str| all[&(c.to_owned(), i.to_owned())].clone();
        assert_eq!(at("c1", "auto.members"), (4.0, "computed".to_owned()));
        assert!(close(at("c1", "auto.density").0, 1.0 / 3.0));
        assert_eq!(at("c1", "auto.cross_actor_share").0, 1.0);
        assert_eq!(at("c2", "auto.members").0, 1.0);
        assert!(
            v["values"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["period"] == "2024")
        );
    });
}

#[test]
fn nothing_is_computed_for_a_cluster_without_members() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("admin", "/api/v1/evaluation/computed?period=2024")
            .await;
        // c3 has no members.
        assert!(computed_values(&v).keys().all(|(c, _)| c != "c3"), "{v}");
    });
}

#[test]
fn each_reader_gets_the_computed_indicators_of_what_it_reads() {
    on_each(envs, async |env| {
        // The manager of c1 reads c1's values only; the public none
        // (nothing entered under an auto.* code).
        let (_, v) = env
            .get("manager", "/api/v1/evaluation/computed?period=2024")
            .await;
        let mine = computed_values(&v);
        assert!(!mine.is_empty());
        assert!(mine.keys().all(|(c, _)| c == "c1"), "{v}");
        assert_eq!(mine[&("c1".to_owned(), "auto.members".to_owned())].0, 4.0);
        let (s, v) = env
            .get("public", "/api/v1/evaluation/computed?period=2024")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(computed_values(&v).is_empty(), "{v}");
    });
}

#[test]
fn computed_indicators_of_one_cluster_without_a_period_cover_every_period() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("admin", "/api/v1/evaluation/computed?cluster=c2")
            .await;
        let periods: std::collections::BTreeSet<&str> = v["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_eq!(r["cluster"], "c2");
                r["period"].as_str().unwrap()
            })
            .collect();
        assert!(periods.contains("2025") && periods.contains("2021"), "{v}");
    });
}

#[test]
fn bad_computed_indicator_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/computed?period=soon",
            StatusCode::BAD_REQUEST,
            "period must be a year",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/computed?periode=2024",
            StatusCode::BAD_REQUEST,
            "periode",
        )
        .await;
    });
}

#[test]
fn openness_of_a_cluster_is_hand_worked() {
    on_each(envs, async |env| {
        // c1 in 2024: ties o1–o2 (enterprise–university) and o2–o3
        // (university–government): both external by actor type; the
        // fixture's organizations have no region. No tie leaves c1.
        let (s, v) = env
            .get("manager", "/api/v1/clusters/c1/openness?period=2024")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["ties"],
            json!({"internal": 2, "external": 0, "undisclosed": 0})
        );
        assert_eq!(v["ei_index"], -1.0);
        let by = &v["internal"][0];
        assert_eq!(by["attribute"], "actor_type");
        assert_eq!(
            (
                &by["external"],
                &by["internal"],
                &by["ei_index"],
                &by["cross_share"],
                &by["groups"]
            ),
            (&json!(2), &json!(0), &json!(1.0), &json!(1.0), &json!(3))
        );
        assert_eq!(v["internal"][1]["attribute"], "region");
        assert_eq!(v["internal"][1]["groups"], 0);
    });
}

#[test]
fn the_same_openness_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("manager", "/api/v1/clusters/c1/openness?period=2024")
            .await;
        assert_eq!(v["cached"], false);
        let (_, again) = env
            .get("manager", "/api/v1/clusters/c1/openness?period=2024")
            .await;
        assert_eq!(again["cached"], true);
        assert_eq!(again["by"], v["by"]);
        assert_eq!(again["internal"], v["internal"]);
    });
}

#[test]
fn openness_is_asked_by_the_clusters_readers_only() {
    on_each(envs, async |env| {
        env.refused(
            "outsider",
            "/api/v1/clusters/c1/openness",
            StatusCode::FORBIDDEN,
            "analysed for its managers",
        )
        .await;
        let (s, _) = env.get("public", "/api/v1/clusters/c1/openness").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn a_bad_openness_period_is_refused_with_its_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/clusters/c1/openness?period=late",
            StatusCode::BAD_REQUEST,
            "period must be a year",
        )
        .await;
    });
}

/// Enters the six indicators of the ESCA-style model, c1 scoring 4 of 5 on
/// each in 2024, visible to the cluster's readers only.
async fn seed_levels(env: &Env) {
    let model = [
        "structure_members",
        "governance_strategy",
        "financing_mix",
        "services_portfolio",
        "interaction_intensity",
        "achievements",
    ];
    for id in model {
        let (s, v) = env
            .send(
                "admin",
                "POST",
                "/api/v1/indicators",
                Some(format!(
                    r#"{{"id": "{id}", "name": "{id}", "direction": "higher_better"}}"#
                )),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .send(
                "admin",
                "POST",
                "/api/v1/observations",
                Some(format!(
                    r#"{{"cluster": "c1", "indicator": "{id}", "period": "2024", "value": 4, "visibility": "cluster"}}"#
                )),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
}

/// The level row of cluster `c` in a levels answer (Null when absent).
fn level(v: &Value, c: &str) -> Value {
    v["clusters"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .find(|r| r["cluster"] == c)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn a_cluster_meeting_every_gold_threshold_is_gold() {
    on_each(envs, async |env| {
        seed_levels(env).await;
        // Share 0.8, every gold threshold met: gold, valid two years.
        let (s, v) = env
            .get("manager", "/api/v1/evaluation/levels?period=2024&year=2025")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let c1 = level(&v, "c1");
        assert_eq!(c1["level"], "gold", "{c1}");
        assert!(close(c1["share"].as_f64().unwrap(), 0.8));
        assert_eq!(c1["missing"], json!([]));
        assert_eq!(c1["valid_until"], 2027);
    });
}

#[test]
fn each_reader_gets_the_levels_of_the_scores_it_reads() {
    on_each(envs, async |env| {
        seed_levels(env).await;
        // The outsider (manager of c2) does not read c1's scores.
        let (_, v) = env
            .get("outsider", "/api/v1/evaluation/levels?period=2024")
            .await;
        let c1 = level(&v, "c1");
        if !c1.is_null() {
            assert_eq!(c1["level"], Value::Null, "{c1}");
            assert_eq!(c1["missing"].as_array().unwrap().len(), 6, "{c1}");
        }
        let c2 = level(&v, "c2");
        assert_eq!(c2["missing"].as_array().unwrap().len(), 6, "{v}");
    });
}

#[test]
fn bad_level_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/levels?period=later",
            StatusCode::BAD_REQUEST,
            "period must be a year",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/levels?period=2024&year=99",
            StatusCode::BAD_REQUEST,
            "four-digit year",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/levels",
            StatusCode::BAD_REQUEST,
            "period",
        )
        .await;
    });
}

/// c1 in 2020 compared with 2024.
const COMPARE: &str = "/api/v1/clusters/c1/compare?before=2020&after=2024";

#[test]
fn two_periods_compared_count_entrants_and_degrees() {
    on_each(envs, async |env| {
        // c1 in 2020: o1, o2, o3 with the tie o1–o2; in 2024 also o4
        // (joined 2023) and the tie o2–o3 (from 2021).
        let (s, v) = env.get("manager", COMPARE).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["counts"],
            json!({"entrants": 1, "exits": 0, "new": 1, "dropped": 0,
                   "strengthened": 0, "weakened": 0, "unchanged": 1})
        );
        let node = |id: &str| -> Value {
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == id)
                .cloned()
                .unwrap()
        };
        assert_eq!(node("o2")["status"], "stayed");
        assert_eq!(
            node("o2")["degree"],
            json!({"before": 1.0, "after": 2.0, "delta": 1.0})
        );
        assert_eq!(node("o4")["status"], "entrant");
        assert_eq!(node("o4")["degree"]["before"], Value::Null);
        // o2 lies on the path o1 – o2 – o3 in 2024 only.
        assert_eq!(node("o2")["betweenness"]["before"], 0.0);
        assert!(node("o2")["betweenness"]["after"].as_f64().unwrap() > 0.0);
    });
}

#[test]
fn two_periods_compared_name_each_ties_change() {
    on_each(envs, async |env| {
        let (_, v) = env.get("manager", COMPARE).await;
        let changes: Vec<(&str, &str, &str)> = v["ties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["source"].as_str().unwrap(),
                    t["target"].as_str().unwrap(),
                    t["change"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(changes, [("o1", "o2", "unchanged"), ("o2", "o3", "new")]);
    });
}

#[test]
fn the_same_comparison_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let (_, v) = env.get("manager", COMPARE).await;
        assert_eq!(v["cached"], false);
        let (_, again) = env.get("manager", COMPARE).await;
        assert_eq!(again["cached"], true);
        assert_eq!(again["nodes"], v["nodes"]);
    });
}

#[test]
fn a_comparison_is_asked_by_the_clusters_readers_only() {
    on_each(envs, async |env| {
        env.refused(
            "outsider",
            COMPARE,
            StatusCode::FORBIDDEN,
            "analysed for its managers",
        )
        .await;
    });
}

#[test]
fn bad_comparison_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/clusters/c1/compare?before=2020&after=soon",
            StatusCode::BAD_REQUEST,
            "period must be a year",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/clusters/c1/compare?before=2020",
            StatusCode::BAD_REQUEST,
            "after",
        )
        .await;
    });
}

#[test]
fn growth_of_regional_activity_is_hand_worked() {
    on_each(envs, async |env| {
        // 2023 → 2024: R1 A 20 → 30, R1 B 20 → 10, R2 A 20 → 10, R2 B
        // 20 → 30; each industry's national total stays 40, so the
        // expected change is 0 and the regional shift is the whole
        // change.
        let (s, v) = env.get("officer", "/api/v1/mapping/growth").await;
        let v = v["sections"][0].clone();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (&v["start_year"], &v["end_year"]),
            (&json!(2023), &json!(2024))
        );
        let rows: Vec<(String, String, f64, f64, f64, f64)> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["region"].as_str().unwrap().to_owned(),
                    r["category"].as_str().unwrap().to_owned(),
                    r["change"].as_f64().unwrap(),
                    r["cagr"].as_f64().unwrap(),
                    r["expected"].as_f64().unwrap(),
                    r["job_creation"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(rows.len(), 4, "{v}");
        let r1a = rows.iter().find(|r| r.0 == "R1" && r.1 == "A").unwrap();
        assert!(close(r1a.2, 10.0) && close(r1a.3, 0.5), "{r1a:?}");
        assert!(close(r1a.4, 0.0) && close(r1a.5, 10.0), "{r1a:?}");
        let r1b = rows.iter().find(|r| r.0 == "R1" && r.1 == "B").unwrap();
        assert!(close(r1b.2, -10.0) && close(r1b.3, -0.5), "{r1b:?}");
    });
}

#[test]
fn the_same_growth_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let (s, v) = env.get("officer", "/api/v1/mapping/growth").await;
        let v = v["sections"][0].clone();
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, again) = env.get("officer", "/api/v1/mapping/growth").await;
        assert_eq!(again["cached"], true);
    });
}

#[test]
fn bad_growth_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/mapping/growth?start=2024&end=2023",
            StatusCode::BAD_REQUEST,
            "the growth",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/mapping/growth?start=99",
            StatusCode::BAD_REQUEST,
            "four digits",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/mapping/growth?start=2019",
            StatusCode::BAD_REQUEST,
            "2019",
        )
        .await;
    });
}

#[test]
fn related_clusters_are_hand_worked() {
    on_each(envs, async |env| {
        // 2024: R1 A 30, B 10; R2 A 10, B 30. LQs: R1 A 1.5, B 0.5; R2
        // A 0.5, B 1.5: A and B are located apart, correlation −1.
        let (s, v) = env.get("officer", "/api/v1/mapping/related").await;
        let v = v["sections"][0].clone();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["year"], 2024);
        let rows: Vec<(&str, &str, f64, u64)> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["category"].as_str().unwrap(),
                    r["related"].as_str().unwrap(),
                    r["correlation"].as_f64().unwrap(),
                    r["rank"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(rows.len(), 2, "{v}");
        assert_eq!((rows[0].0, rows[0].1, rows[0].3), ("A", "B", 1));
        assert!(close(rows[0].2, -1.0), "{v}");
        assert_eq!((rows[1].0, rows[1].1), ("B", "A"));
    });
}

#[test]
fn related_clusters_of_a_year_without_specialisation_have_no_correlation() {
    on_each(envs, async |env| {
        // 2023: every LQ is 1; the correlation has no value.
        let (s, v) = env
            .get("officer", "/api/v1/mapping/related?year=2023")
            .await;
        let v = v["sections"][0].clone();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["rows"][0]["correlation"], Value::Null, "{v}");
    });
}

#[test]
fn related_clusters_top_zero_keeps_none() {
    on_each(envs, async |env| {
        let (_, v) = env.get("officer", "/api/v1/mapping/related?top=0").await;
        let v = v["sections"][0].clone();
        assert_eq!(v["rows"], json!([]));
    });
}

#[test]
fn bad_related_cluster_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/mapping/related?year=2019",
            StatusCode::BAD_REQUEST,
            "2019",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/mapping/related?kind=county",
            StatusCode::BAD_REQUEST,
            "no region of kind",
        )
        .await;
    });
}

/// The trend of indicator `i` of cluster `c` in a trends answer (Null when
/// absent).
fn trend(v: &Value, c: &str, i: &str) -> Value {
    v["trends"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .find(|r| r["cluster"] == c && r["indicator"] == i)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn trends_are_hand_worked() {
    on_each(envs, async |env| {
        // c1's members: 100 in 2021 … 10 in 2025 (four steps); its
        // public funding share 0.1 from 2021 to 2024.
        let (s, v) = env
            .get("manager", "/api/v1/evaluation/trends?computed=false")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let m = trend(&v, "c1", "members");
        assert_eq!((&m["from"], &m["to"]), (&json!("2021"), &json!("2025")));
        assert!(close(m["change"].as_f64().unwrap(), -90.0), "{m}");
        assert!(
            close(m["cagr"].as_f64().unwrap(), 0.1f64.powf(0.25) - 1.0),
            "{m}"
        );
        let f = trend(&v, "c1", "public_funding_share");
        assert!(close(f["change"].as_f64().unwrap(), 0.0), "{f}");
    });
}

#[test]
fn one_period_makes_no_trend() {
    on_each(envs, async |env| {
        // c2 and c3 have one period each.
        let (_, v) = env
            .get("manager", "/api/v1/evaluation/trends?computed=false")
            .await;
        assert_eq!(trend(&v, "c3", "members"), Value::Null);
    });
}

#[test]
fn each_reader_gets_the_trends_of_what_it_reads() {
    on_each(envs, async |env| {
        // The public reads c2's and c3's 2025 values only: no trend at
        // all, and none of c1's.
        let (s, v) = env.get("public", "/api/v1/evaluation/trends").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["trends"], json!([]));
    });
}

#[test]
fn trends_of_one_cluster_are_its_own() {
    on_each(envs, async |env| {
        let (_, v) = env
            .get("admin", "/api/v1/evaluation/trends?cluster=c2")
            .await;
        assert!(
            v["trends"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["cluster"] == "c2"),
            "{v}"
        );
    });
}

#[test]
fn a_bad_trend_ask_is_refused_with_its_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/trends?computed=maybe",
            StatusCode::BAD_REQUEST,
            "computed",
        )
        .await;
    });
}

/// The check of indicator `i` in a checks answer (Null when absent).
fn check(v: &Value, i: &str) -> Value {
    v["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .find(|r| r["indicator"] == i)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn indicator_checks_are_hand_worked() {
    on_each(envs, async |env| {
        // 2025: members 10 (c1), 30 (c2), 20 (c3): every present
        // cluster has one, symmetric (skew 0); the public funding share
        // is observed up to 2024 only (availability 0).
        let (s, v) = env
            .get(
                "manager",
                "/api/v1/evaluation/checks?period=2025&computed=false",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let m = check(&v, "members");
        assert_eq!(
            (&m["period"], &m["availability"]),
            (&json!("2025"), &json!(1.0)),
            "{m}"
        );
        assert!(close(m["skew"].as_f64().unwrap(), 0.0), "{m}");
        assert_eq!(check(&v, "public_funding_share")["availability"], 0.0);
        assert!(
            v["checks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["period"] == "2025")
        );
    });
}

#[test]
fn each_reader_checks_the_indicators_it_reads() {
    on_each(envs, async |env| {
        // The public reads c2's and c3's values: members 30 and 20.
        let (s, v) = env
            .get("public", "/api/v1/evaluation/checks?period=2025")
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(check(&v, "members")["availability"], 1.0);
    });
}

#[test]
fn bad_check_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/checks?period=2025&framework=nope",
            StatusCode::BAD_REQUEST,
            "no framework 'nope'",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/checks?period=soon",
            StatusCode::BAD_REQUEST,
            "period must be a year",
        )
        .await;
    });
}

#[test]
fn checks_of_a_period_without_observations_are_a_404() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/checks?period=2019&computed=false",
            StatusCode::NOT_FOUND,
            "no observations for 2019",
        )
        .await;
    });
}

#[test]
fn leaving_one_indicator_out_is_hand_worked() {
    on_each(envs, async |env| {
        // 2025, min-max: members 10, 30, 20 → c1 0, c2 100, c3 50; cost
        // (lower better) 5, 4, 1 → c1 0, c2 25, c3 100; index c1 0, c2
        // 62.5, c3 75. Without members the ranks stay (shift 0);
        // without cost c2 and c3 swap (mean shift 2/3).
        let (s, v) = env
            .get(
                "manager",
                "/api/v1/evaluation/sensitivity?period=2025&leave_one_out=true&computed=false",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let shift = |i: &str| -> f64 {
            v["leave_one_out"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["indicator"] == i)
                .unwrap_or_else(|| panic!("{i}: {v}"))["mean_rank_shift"]
                .as_f64()
                .unwrap()
        };
        assert!(close(shift("members"), 0.0), "{v}");
        assert!(close(shift("cost"), 2.0 / 3.0), "{v}");
        assert_eq!(v["factors"], json!([]));
    });
}

#[test]
fn sobol_indices_come_one_per_factor_with_their_runs_and_seed() {
    on_each(envs, async |env| {
        let (s, v) = env
            .get(
                "manager",
                "/api/v1/evaluation/sensitivity?period=2025&runs=32&seed=1&computed=false",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(!v["factors"].as_array().unwrap().is_empty(), "{v}");
        assert_eq!((&v["runs"], &v["seed"]), (&json!(32), &json!(1)));
    });
}

#[test]
fn bad_sensitivity_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/sensitivity?period=2025&runs=0",
            StatusCode::BAD_REQUEST,
            "runs must be between 1 and 4096",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/sensitivity",
            StatusCode::BAD_REQUEST,
            "period",
        )
        .await;
    });
}

#[test]
fn sensitivity_of_a_period_without_observations_is_a_404() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/sensitivity?period=2019&computed=false",
            StatusCode::NOT_FOUND,
            "no observations for 2019",
        )
        .await;
    });
}
