//! The server's engine endpoints (`crates/weaver-server/src/analyses.rs`)
//! give what the command line gives on the same register: the demo register
//! is built with `weaver demo`, served with `weaver serve`, and each
//! endpoint's numbers are compared with the matching `weaver evaluate`,
//! `weaver map` and `weaver network` command (which are themselves tested
//! against reference libraries).

use std::collections::BTreeMap;

use serde_json::Value;

mod common;
use common::{close, http_json as http, on_demo as weaver, serve};

#[test]
fn engine_endpoints_agree_with_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    weaver(
        p,
        &[
            "demo",
            "--organizations",
            "150",
            "--seed",
            "3",
            "--no-serve",
        ],
    );
    let token = weaver(p, &["user", "token", "--email", "admin@weaver.demo"]);
    let token = token.as_str().unwrap().trim().to_owned();
    let (_server, addr) = serve(p, "sqlite://demo.db");
    let get = |path: &str| {
        let (s, v) = http(&addr, "GET", path, &token, "");
        assert_eq!(s, 200, "{path}: {v}");
        v
    };

    // Ranking with rank intervals = `evaluate index --uncertainty`.
    let api = get("/api/v1/evaluation/ranking?period=2024&runs=100&seed=3");
    let cli = weaver(
        p,
        &[
            "--json",
            "evaluate",
            "index",
            "--from-register",
            "--period",
            "2024",
            "--uncertainty",
            "100",
            "--seed",
            "3",
        ],
    );
    let cli: BTreeMap<&str, &Value> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["unit"].as_str().unwrap(), r))
        .collect();
    let rows = api["clusters"].as_array().unwrap();
    assert_eq!(rows.len(), cli.len(), "{api}");
    assert!(rows.len() > 3);
    for r in rows {
        let c = cli[r["cluster"].as_str().unwrap()];
        assert_eq!(r["rank"], c["rank"], "{r} vs {c}");
        for (a, b) in [
            ("score", "score"),
            ("coverage", "coverage"),
            ("rank_median", "rank_median"),
            ("rank_p5", "rank_p5"),
            ("rank_p95", "rank_p95"),
        ] {
            assert!(close(&r[a], &c[b]), "{a}: {r} vs {c}");
        }
    }

    // Lifecycle = `evaluate lifecycle`.
    let api = get("/api/v1/evaluation/lifecycle");
    let cli = weaver(p, &["--json", "evaluate", "lifecycle", "--from-register"]);
    let cli: Vec<(String, String, String, String, String)> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("unit"),
                s("period"),
                s("policy_stage"),
                s("lifecycle_stage"),
                s("rules"),
            )
        })
        .collect();
    let api: Vec<(String, String, String, String, String)> = api["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            let rules: Vec<&str> = r["rules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            (
                s("cluster"),
                s("period"),
                s("policy_stage"),
                s("lifecycle_stage"),
                rules.join("; "),
            )
        })
        .collect();
    assert!(!api.is_empty());
    assert_eq!(api, cli);

    // Mapping = `map clusters --from-register`, for the last year: one
    // section per country and classification of the demo's activity.
    for method in ["cmp", "eco", "quadrant"] {
        let answer = get(&format!("/api/v1/mapping/clusters?method={method}"));
        let sections = answer["sections"].as_array().unwrap();
        let keys: Vec<(&str, &str)> = sections
            .iter()
            .map(|s| {
                (
                    s["country"].as_str().unwrap(),
                    s["classification"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("CN", "GB/T 4754-2017"),
                ("DE", "NACE Rev. 2"),
                ("FR", "NACE Rev. 2")
            ],
            "{method}"
        );
        let cli_all = weaver(
            p,
            &[
                "--json",
                "map",
                "clusters",
                "--from-register",
                "--method",
                method,
            ],
        );
        for api in sections {
            let year = api["year"].as_i64().unwrap();
            let cli: Vec<&Value> = cli_all
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| {
                    r["year"].as_i64() == Some(year)
                        && r["country"] == api["country"]
                        && r["classification"] == api["classification"]
                })
                .collect();
            let cells = api["cells"].as_array().unwrap();
            assert_eq!(cells.len(), cli.len(), "{method}");
            assert!(!cells.is_empty());
            for (a, c) in cells.iter().zip(&cli) {
                assert_eq!(
                    (&a["region"], &a["category"]),
                    (&c["region"], &c["category"])
                );
                assert!(close(&a["lq"], &c["lq"]), "{a} vs {c}");
                for k in [
                    "strong",
                    "strong10",
                    "qualifying",
                    "significant",
                    "stars",
                    "size_star",
                    "specialisation_star",
                    "focus_star",
                    "quadrant",
                ] {
                    if let Some(x) = a.get(k) {
                        let y = &c[k];
                        assert!(
                            x == y || (x.is_null() && y == ""),
                            "{method} {k}: {a} vs {c}"
                        );
                    }
                }
            }
        }
    }

    // Diffusion = `network diffuse --model cascade` on the same network. A
    // cluster whose members, sorted by id, are also the order in which its
    // ties name them, so that both number the nodes alike (the cascade's
    // random draws follow the node order).
    let post = |path: &str, body: &str| {
        let (s, v) = http(&addr, "POST", path, &token, body);
        assert_eq!(s, 201, "{path} {body}: {v}");
    };
    post(
        "/api/v1/clusters",
        r#"{"id": "dx", "name": "Diffusion test", "region": "320500", "management_fte": 2, "website_en": true}"#,
    );
    let kinds = [
        "enterprise",
        "university",
        "research",
        "enterprise",
        "government",
    ];
    for (i, kind) in kinds.iter().enumerate() {
        let id = format!("dx{}", i + 1);
        post(
            "/api/v1/organizations",
            &format!(r#"{{"id": "{id}", "name": "Org {id}", "actor_type": "{kind}"}}"#),
        );
        post(
            "/api/v1/memberships",
            &format!(r#"{{"cluster": "dx", "org": "{id}", "tier": "core"}}"#),
        );
    }
    let ties = [
        ("dx1", "dx2"),
        ("dx1", "dx3"),
        ("dx2", "dx4"),
        ("dx4", "dx5"),
    ];
    let mut csv = String::from("source,target\n");
    for (a, b) in ties {
        post(
            "/api/v1/ties",
            &format!(r#"{{"source": "{a}", "target": "{b}", "kind": "contract"}}"#),
        );
        csv.push_str(&format!("{a},{b}\n"));
    }
    std::fs::write(p.join("dx.csv"), csv).unwrap();
    let api = get("/api/v1/clusters/dx/diffusion?probability=0.3&runs=500&seed=5");
    let cli = weaver(
        p,
        &[
            "--json",
            "network",
            "diffuse",
            "--model",
            "cascade",
            "--edges",
            "dx.csv",
            "--probability",
            "0.3",
            "--runs",
            "500",
            "--seed",
            "5",
        ],
    );
    let cli: BTreeMap<&str, &Value> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["node"].as_str().unwrap(), r))
        .collect();
    let nodes = api["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    for n in nodes {
        let c = cli[n["id"].as_str().unwrap()];
        assert!(
            close(&n["expected_spread"], &c["expected_spread"]),
            "{n} vs {c}"
        );
        assert_eq!(n["rank"], c["rank"], "{n} vs {c}");
    }

    // Labels = `evaluate label --profiles` on the profile the endpoint read
    // (5 members; enterprise, university, research, government: 3 ECCP
    // types; 2 FTE; English website).
    let api = get("/api/v1/clusters/dx/labels");
    assert_eq!(api["profile"]["members"], 5);
    std::fs::write(
        p.join("profiles.csv"),
        "unit,members,member_types,management_fte,website_en\ndx,5,3,2,true\n",
    )
    .unwrap();
    let cli = weaver(
        p,
        &["--json", "evaluate", "label", "--profiles", "profiles.csv"],
    );
    let row = &cli[0];
    for c in api["criteria"].as_array().unwrap() {
        assert_eq!(c["outcome"], row[c["id"].as_str().unwrap()], "{c} vs {row}");
    }
    assert_eq!(api["eligible"], row["eligible"]);
}
