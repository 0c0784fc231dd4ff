//! Parity: every analysis that both the command line and the API offer on
//! a register gives the same answer through both. The demo register is
//! built with `weaver demo`, served with `weaver serve`, and each analysis
//! is run through the CLI (`--json`) and through the API as the admin (the
//! CLI is the admin of its local register), and the numbers compared: the
//! ranking (with rank intervals, TOPSIS, and without the computed
//! indicators as `/evaluation/index` gives it), the computed indicators,
//! the ESCA-style levels, the trends, the indicator checks, the
//! sensitivity analysis,
//! the lifecycle, the mapping, growth, related clusters, cluster strength and
//! economic complexity, the benchmark against peers, the policy effect and
//! the public shares of funding, a cluster's network metrics, communities,
//! summary, openness, the synergy of its members, two periods compared,
//! brokerage, recommendations, the diffusion with its what-if, and the labels.
//!
//! Both sides call the same `weaver-service` functions for the ranking,
//! the computed indicators, the labels, the recommendations, the synergy
//! and the diffusion; this test keeps the renderers honest.

use std::collections::BTreeMap;

use serde_json::{Value, json};

mod common;
use common::{Server, close, http_get, on_demo as weaver, serve};

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

/// The CLI's rows keyed by `key`.
fn by<'a>(v: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    rows(v)
        .iter()
        .map(|r| (r[key].as_str().unwrap().to_owned(), r))
        .collect()
}

struct Demo {
    dir: tempfile::TempDir,
    addr: String,
    token: String,
    _server: Server,
}

impl Demo {
    fn start() -> Demo {
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
        let (server, addr) = serve(p, "sqlite://demo.db");
        Demo {
            dir,
            addr,
            token,
            _server: server,
        }
    }

    fn cli(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        weaver(self.dir.path(), &all)
    }

    fn api(&self, path: &str) -> Value {
        let (s, v) = http_get(&self.addr, &format!("/api/v1{path}"), &self.token);
        assert_eq!(s, 200, "{path}: {v}");
        v
    }

    /// A cluster of the demo with a network of some size in 2024.
    fn cluster(&self) -> String {
        let v = self.api("/clusters?limit=1000");
        let ids: Vec<String> = rows(&v["rows"])
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        ids.into_iter()
            .find(|id| {
                let n = self.api(&format!("/clusters/{id}/network?period=2024"));
                n["summary"]["nodes"].as_u64().unwrap_or(0) >= 8
                    && n["summary"]["edges"].as_u64().unwrap_or(0) >= 8
            })
            .expect("a demo cluster with 8 members and 8 ties in 2024")
    }
}

/// `evaluate index --from-register` = `/evaluation/ranking`: scores, ranks,
/// coverage and (with runs) the rank intervals.
fn assert_ranking(api: &Value, cli: &Value, keys: &[&str]) {
    let cli = by(cli, "unit");
    let clusters = rows(&api["clusters"]);
    assert_eq!(clusters.len(), cli.len(), "{api}");
    assert!(clusters.len() > 3, "{api}");
    for r in clusters {
        let c = cli[r["cluster"].as_str().unwrap()];
        assert_eq!(r["rank"], c["rank"], "{r} vs {c}");
        for k in keys {
            assert!(close(&r[k], &c[k]), "{k}: {r} vs {c}");
        }
    }
}

#[test]
fn every_shared_analysis_gives_the_same_answer_through_the_cli_and_the_api() {
    let d = Demo::start();

    // The ranking with the computed indicators (the default) and rank
    // intervals.
    let api = d.api("/evaluation/ranking?period=2024&runs=100&seed=3");
    let cli = d.cli(&[
        "evaluate",
        "index",
        "--from-register",
        "--period",
        "2024",
        "--uncertainty",
        "100",
        "--seed",
        "3",
    ]);
    assert_ranking(
        &api,
        &cli,
        &["score", "coverage", "rank_median", "rank_p5", "rank_p95"],
    );
    // TOPSIS.
    let api = d.api("/evaluation/ranking?period=2024&ranking=topsis");
    let cli = d.cli(&[
        "evaluate",
        "index",
        "--from-register",
        "--period",
        "2024",
        "--ranking",
        "topsis",
    ]);
    assert_ranking(&api, &cli, &["score", "coverage"]);

    // Without the computed indicators: the ranking with computed=false, the
    // index (its alias) and the CLI's --no-computed agree, and differ from
    // the ranking with them (the switch does something).
    let without = d.api("/evaluation/ranking?period=2024&computed=false");
    let index = d.api("/evaluation/index?period=2024");
    let cli = d.cli(&[
        "evaluate",
        "index",
        "--from-register",
        "--no-computed",
        "--period",
        "2024",
    ]);
    assert_ranking(&without, &cli, &["score", "coverage"]);
    assert_ranking(&index, &cli, &["score", "coverage"]);
    let with = d.api("/evaluation/ranking?period=2024");
    let scores = |v: &Value| -> Vec<(String, String)> {
        rows(&v["clusters"])
            .iter()
            .map(|r| (r["cluster"].to_string(), r["score"].to_string()))
            .collect()
    };
    assert_ne!(scores(&with), scores(&without));

    // The computed indicators = `evaluate computed`: every value, its
    // origin, in one period and in all.
    for (path, args) in [
        (
            "/evaluation/computed?period=2024",
            vec!["evaluate", "computed", "--period", "2024"],
        ),
        ("/evaluation/computed", vec!["evaluate", "computed"]),
    ] {
        let api = d.api(path);
        let cli = d.cli(&args);
        let values = rows(&api["values"]);
        let cli = rows(&cli);
        assert!(values.len() > 10, "{path}: {api}");
        assert_eq!(values.len(), cli.len(), "{path}");
        for (a, c) in values.iter().zip(cli) {
            assert_eq!(
                (&a["cluster"], &a["indicator"], &a["period"], &a["origin"]),
                (&c["unit"], &c["indicator"], &c["period"], &c["origin"]),
                "{path}"
            );
            assert!(close(&a["value"], &c["value"]), "{a} vs {c}");
        }
    }

    // ESCA-style levels = `evaluate label --from-register --levels`.
    let api = d.api("/evaluation/levels?period=2024&year=2025");
    let cli = d.cli(&[
        "evaluate",
        "label",
        "--from-register",
        "--period",
        "2024",
        "--levels",
        "--year",
        "2025",
    ]);
    let levels = rows(&api["clusters"]);
    assert!(levels.len() > 3);
    assert_eq!(levels.len(), rows(&cli).len());
    for (a, c) in levels.iter().zip(rows(&cli)) {
        assert_eq!(a["cluster"], c["unit"]);
        assert!(close(&a["share"], &c["share"]), "{a} vs {c}");
        assert_eq!(a["valid_until"], c["valid_until"]);
        let joined = |v: &Value| {
            rows(v)
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(";")
        };
        assert_eq!(
            joined(&a["missing"]),
            c["missing"].as_str().unwrap_or_default()
        );
        assert_eq!(
            joined(&a["below_threshold"]),
            c["below_threshold"].as_str().unwrap_or_default()
        );
        assert!(
            a["level"] == c["level"] || (a["level"].is_null() && c["level"] == ""),
            "{a} vs {c}"
        );
    }

    // Trends = `evaluate benchmark --trends --from-register`.
    let api = d.api("/evaluation/trends");
    let cli = d.cli(&["evaluate", "benchmark", "--trends", "--from-register"]);
    let trends = rows(&api["trends"]);
    assert!(trends.len() > 10);
    assert_eq!(trends.len(), rows(&cli).len());
    for (a, c) in trends.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["cluster"], &a["indicator"], &a["from"], &a["to"]),
            (&c["unit"], &c["indicator"], &c["from"], &c["to"])
        );
        assert!(close(&a["change"], &c["change"]), "{a} vs {c}");
        assert!(close(&a["cagr"], &c["cagr"]), "{a} vs {c}");
    }

    // Checks = `evaluate checks --from-register --period 2024`.
    let api = d.api("/evaluation/checks?period=2024");
    let cli = d.cli(&["evaluate", "checks", "--from-register", "--period", "2024"]);
    let checks = rows(&api["checks"]);
    assert!(checks.len() > 3);
    assert_eq!(checks.len(), rows(&cli).len());
    for (a, c) in checks.iter().zip(rows(&cli)) {
        assert_eq!(
            (
                &a["period"],
                &a["indicator"],
                &a["dimension"],
                &a["outlier"],
                &a["negative_correlations"]
            ),
            (
                &c["period"],
                &c["indicator"],
                &c["dimension"],
                &c["outlier"],
                &c["negative_correlations"]
            )
        );
        for k in ["availability", "skew", "kurtosis", "dimension_alpha"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }

    // Sensitivity = `evaluate sensitivity --from-register`, Sobol indices
    // and leave-one-out.
    let api = d.api("/evaluation/sensitivity?period=2024&runs=64&seed=2");
    let cli = d.cli(&[
        "evaluate",
        "sensitivity",
        "--from-register",
        "--period",
        "2024",
        "--runs",
        "64",
        "--seed",
        "2",
    ]);
    let factors = rows(&api["factors"]);
    assert!(!factors.is_empty());
    assert_eq!(factors.len(), rows(&cli).len());
    for (a, c) in factors.iter().zip(rows(&cli)) {
        assert_eq!((&a["period"], &a["factor"]), (&c["period"], &c["factor"]));
        for k in [
            "first_order",
            "first_order_low",
            "first_order_high",
            "total",
            "total_low",
            "total_high",
        ] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }
    let api = d.api("/evaluation/sensitivity?period=2024&leave_one_out=true");
    let cli = d.cli(&[
        "evaluate",
        "sensitivity",
        "--from-register",
        "--period",
        "2024",
        "--leave-one-out",
    ]);
    let shifts = rows(&api["leave_one_out"]);
    assert!(shifts.len() > 3);
    assert_eq!(shifts.len(), rows(&cli).len());
    for (a, c) in shifts.iter().zip(rows(&cli)) {
        assert_eq!(a["indicator"], c["indicator"]);
        assert!(
            close(&a["mean_rank_shift"], &c["mean_rank_shift"]),
            "{a} vs {c}"
        );
    }

    // Lifecycle = `evaluate lifecycle --from-register`.
    let api = d.api("/evaluation/lifecycle");
    let cli = d.cli(&["evaluate", "lifecycle", "--from-register"]);
    let cli: Vec<(String, String, String, String)> = rows(&cli)
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("unit"),
                s("period"),
                s("policy_stage"),
                s("lifecycle_stage"),
            )
        })
        .collect();
    let api: Vec<(String, String, String, String)> = rows(&api["stages"])
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("cluster"),
                s("period"),
                s("policy_stage"),
                s("lifecycle_stage"),
            )
        })
        .collect();
    assert!(!api.is_empty());
    assert_eq!(api, cli);

    // Mapping = `map clusters --from-register`, for the last year.
    for method in ["cmp", "eco", "quadrant"] {
        let api = d.api(&format!("/mapping/clusters?method={method}"));
        let year = api["year"].as_i64().unwrap();
        let cli = d.cli(&["map", "clusters", "--from-register", "--method", method]);
        let cli: Vec<&Value> = rows(&cli)
            .iter()
            .filter(|r| r["year"].as_i64() == Some(year))
            .collect();
        let cells = rows(&api["cells"]);
        assert_eq!(cells.len(), cli.len(), "{method}");
        assert!(!cells.is_empty());
        for (a, c) in cells.iter().zip(&cli) {
            assert_eq!((&a["region"], &a["cluster"]), (&c["region"], &c["cluster"]));
            assert!(close(&a["lq"], &c["lq"]), "{a} vs {c}");
            assert!(close(&a["employment"], &c["employment"]), "{a} vs {c}");
        }
    }

    // Growth and shift-share = `map growth --from-register`.
    let api = d.api("/mapping/growth");
    let cli = d.cli(&["map", "growth", "--from-register"]);
    let growth = rows(&api["rows"]);
    assert!(!growth.is_empty());
    assert_eq!(growth.len(), rows(&cli).len());
    for (a, c) in growth.iter().zip(rows(&cli)) {
        assert_eq!((&a["region"], &a["cluster"]), (&c["region"], &c["cluster"]));
        assert_eq!(
            (&api["start_year"], &api["end_year"]),
            (&c["start_year"], &c["end_year"])
        );
        for k in [
            "start",
            "end",
            "change",
            "cagr",
            "expected",
            "national_share",
            "industry_mix",
            "job_creation",
        ] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }

    // Related clusters = `map related --from-register`.
    let api = d.api("/mapping/related?top=3");
    let cli = d.cli(&["map", "related", "--from-register", "--top", "3"]);
    let related = rows(&api["rows"]);
    assert!(!related.is_empty());
    assert_eq!(related.len(), rows(&cli).len());
    for (a, c) in related.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["cluster"], &a["related"], &a["rank"]),
            (&c["cluster"], &c["related"], &c["rank"])
        );
        assert!(close(&a["correlation"], &c["correlation"]), "{a} vs {c}");
    }

    // Cluster strength = `map strength --from-register`.
    let api = d.api("/mapping/strength");
    let cli = d.cli(&["map", "strength", "--from-register"]);
    let strength = rows(&api["rows"]);
    assert!(!strength.is_empty());
    assert_eq!(strength.len(), rows(&cli).len());
    for (a, c) in strength.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["region"], &a["year"], &a["strong_clusters"]),
            (&c["region"], &c["year"], &c["strong_clusters"])
        );
        for k in ["traded_employment", "strong_employment", "strength"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }

    // Economic complexity = `map complexity --from-register` (its tables
    // written as JSON into a folder).
    let api = d.api("/mapping/complexity?top=5");
    d.cli(&[
        "map",
        "complexity",
        "--from-register",
        "--top",
        "5",
        "--out",
        "cx",
    ]);
    let table = |name: &str| -> Value {
        let text = std::fs::read_to_string(d.dir.path().join(format!("cx/{name}.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let (eci, next, rca) = (table("eci"), table("next"), table("rca"));
    let regions = rows(&api["regions"]);
    assert!(regions.len() > 1, "{api}");
    assert_eq!(regions.len(), rows(&eci).len());
    for (a, c) in regions.iter().zip(rows(&eci)) {
        assert_eq!(a["region"], c["region"]);
        for k in ["eci", "diversity"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }
    assert_eq!(rows(&api["next"]).len(), rows(&next).len());
    for (a, c) in rows(&api["next"]).iter().zip(rows(&next)) {
        assert_eq!(
            (&a["region"], &a["rank"], &a["industry"]),
            (&c["region"], &c["rank"], &c["industry"])
        );
        for k in ["density", "pci", "cog"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }
    assert_eq!(rows(&api["cells"]).len(), rows(&rca).len());
    for (a, c) in rows(&api["cells"]).iter().zip(rows(&rca)) {
        assert_eq!(
            (&a["region"], &a["industry"], &a["mcp"]),
            (&c["region"], &c["industry"], &c["mcp"])
        );
        assert!(close(&a["rca"], &c["rca"]), "{a} vs {c}");
    }

    // Benchmark against peers = `evaluate benchmark --from-register` (all
    // clusters one peer group).
    let api = d.api("/evaluation/benchmark?period=2024");
    let cli = d.cli(&[
        "evaluate",
        "benchmark",
        "--from-register",
        "--period",
        "2024",
    ]);
    let bench = rows(&api["benchmark"]);
    assert!(bench.len() > 3, "{api}");
    assert_eq!(bench.len(), rows(&cli).len());
    for (a, c) in bench.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["cluster"], &a["period"], &a["dimension"]),
            (&c["unit"], &c["period"], &c["dimension"])
        );
        for k in ["score", "peer_median", "best", "distance_to_frontier"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }

    // Policy effect = `evaluate policy --from-register --programme`, with
    // the default control group (a wider founding window: the demo's
    // programme funds the Chinese clusters founded by 2013) and with the
    // controls given.
    for (query, flags) in [
        ("&founded_within=6", &["--founded-within", "6"][..]),
        (
            "&control=demo-cn-hefei-ai,demo-cn-xian-aero",
            &["--control", "demo-cn-hefei-ai,demo-cn-xian-aero"][..],
        ),
    ] {
        let api = d.api(&format!(
            "/evaluation/policy?indicator=auto.density&programme=demo-cn-amc{query}"
        ));
        let mut args = vec![
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "auto.density",
            "--programme",
            "demo-cn-amc",
        ];
        args.extend_from_slice(flags);
        let cli = d.cli(&args);
        let c0 = &rows(&cli)[0];
        assert_eq!(
            api["controls"],
            json!(["demo-cn-hefei-ai", "demo-cn-xian-aero"]),
            "{api}"
        );
        for k in [
            "indicator",
            "programme",
            "start",
            "n",
            "clusters",
            "control_rule",
            "method",
        ] {
            assert_eq!(api[k], c0[k], "{k}: {api} vs {c0}");
        }
        for k in ["treated", "controls", "periods_before", "periods_after"] {
            let joined = api[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(";");
            assert_eq!(json!(joined), c0[k], "{k}");
        }
        for k in [
            "estimate",
            "std_error",
            "t",
            "df",
            "p_value",
            "ci_low",
            "ci_high",
        ] {
            assert!(close(&api[k], &c0[k]), "{k}: {api} vs {c0}");
        }
        let pt = &api["pre_trend"];
        assert_eq!(pt["testable"], c0["pre_trend_testable"]);
        assert_eq!(pt["verdict"], c0["pre_trend_verdict"]);
        for k in [
            "slope_difference",
            "std_error",
            "ci_low",
            "ci_high",
            "p_value",
        ] {
            assert!(
                close(&pt[k], &c0[&format!("pre_trend_{k}")]),
                "{k}: {pt} vs {c0}"
            );
        }
    }

    // Public shares = `evaluate policy --from-register --public-share`.
    let api = d.api("/evaluation/public-share?period=2024");
    let cli = d.cli(&[
        "evaluate",
        "policy",
        "--from-register",
        "--public-share",
        "--period",
        "2024",
    ]);
    let shares = rows(&api["shares"]);
    assert!(!shares.is_empty());
    assert_eq!(shares.len(), rows(&cli).len());
    for (a, c) in shares.iter().zip(rows(&cli)) {
        assert_eq!((&a["cluster"], &a["year"]), (&c["cluster"], &c["year"]));
        assert!(close(&a["public_share"], &c["public_share"]), "{a} vs {c}");
    }

    let c = d.cluster();
    let on = |cmd: &[&str]| -> Value {
        let mut args = vec!["network"];
        args.extend_from_slice(cmd);
        args.extend_from_slice(&["--cluster", &c, "--period", "2024"]);
        d.cli(&args)
    };

    // A cluster's network: node metrics, communities and the summary.
    let api = d.api(&format!("/clusters/{c}/network?period=2024"));
    let metrics = on(&["metrics"]);
    let metrics = by(&metrics, "node");
    let nodes = rows(&api["nodes"]);
    assert_eq!(nodes.len(), metrics.len());
    for n in nodes {
        let m = metrics[n["id"].as_str().unwrap()];
        for k in [
            "degree",
            "strength",
            "pagerank",
            "clustering",
            "core_number",
            "component",
        ] {
            assert!(close(&n[k], &m[k]), "{k}: {n} vs {m}");
        }
    }
    let communities = on(&["communities"]);
    let communities = by(&communities, "node");
    for n in nodes {
        let m = communities[n["id"].as_str().unwrap()];
        assert_eq!(n["community"], m["community"], "{n} vs {m}");
    }
    let summary = &on(&["summary", "--attribute", "actor_type"])[0];
    let s = &api["summary"];
    for (a, b) in [
        ("nodes", "nodes"),
        ("edges", "edges"),
        ("density", "density"),
        ("components", "components"),
        ("giant_size", "giant_size"),
        ("average_clustering", "average_clustering"),
        ("transitivity", "transitivity"),
        ("degree_assortativity", "degree_assortativity"),
        (
            "actor_type_assortativity",
            "attribute_assortativity_actor_type",
        ),
    ] {
        assert!(close(&s[a], &summary[b]), "{a}: {s} vs {summary}");
    }

    // Openness by actor type and by region.
    let api = d.api(&format!("/clusters/{c}/openness?period=2024"));
    let cli = on(&["openness"]);
    let api = rows(&api["openness"]);
    assert_eq!(api.len(), 2);
    assert_eq!(api.len(), rows(&cli).len());
    for (a, m) in api.iter().zip(rows(&cli)) {
        assert_eq!(a["attribute"], m["attribute"]);
        for k in ["external", "internal", "ei_index", "cross_share", "groups"] {
            assert!(close(&a[k], &m[k]), "{k}: {a} vs {m}");
        }
    }

    // Synergy of the members: by actor type, region and industry (the
    // default), and by two attributes named.
    for (query, columns) in [
        ("", None),
        ("&columns=actor_type,size", Some("actor_type,size")),
    ] {
        let api = d.api(&format!("/clusters/{c}/synergy?period=2024{query}"));
        let mut args = vec!["synergy"];
        if let Some(columns) = columns {
            args.extend(["--columns", columns]);
        }
        let cli = on(&args);
        let cli = rows(&cli);
        assert_eq!(cli.len(), 1, "{cli:?}");
        let m = &cli[0];
        let named: Vec<&str> = rows(&api["columns"])
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(named.join(";"), m["columns"].as_str().unwrap(), "{api}");
        assert_eq!(api["cluster"], c.as_str());
        assert_eq!(api["dimensions"], m["dimensions"], "{api} vs {m}");
        assert_eq!(api["rows"], m["rows"], "{api} vs {m}");
        assert!(api["rows"].as_u64().unwrap() > 0, "{api}");
        assert!(
            close(
                &api["mutual_information_bits"],
                &m["mutual_information_bits"]
            ),
            "{api} vs {m}"
        );
    }

    // Two periods compared: nodes with their metrics before and after,
    // ties with their change.
    let api = d.api(&format!("/clusters/{c}/compare?before=2020&after=2024"));
    let nodes = d.cli(&[
        "network",
        "compare",
        "--cluster",
        &c,
        "--period-before",
        "2020",
        "--period-after",
        "2024",
        "--ties-out",
        "ties.json",
    ]);
    let ties: Value =
        serde_json::from_str(&std::fs::read_to_string(d.dir.path().join("ties.json")).unwrap())
            .unwrap();
    let nodes = by(&nodes, "node");
    assert_eq!(rows(&api["nodes"]).len(), nodes.len());
    assert_eq!(api["betweenness"], true);
    for n in rows(&api["nodes"]) {
        let m = nodes[n["id"].as_str().unwrap()];
        assert_eq!(n["status"], m["status"], "{n} vs {m}");
        for metric in ["degree", "strength", "pagerank", "betweenness"] {
            for part in ["before", "after", "delta"] {
                let k = format!("{metric}_{part}");
                assert!(close(&n[metric][part], &m[&k]), "{k}: {n} vs {m}");
            }
        }
    }
    let api_ties = rows(&api["ties"]);
    assert!(!api_ties.is_empty());
    assert_eq!(api_ties.len(), rows(&ties).len());
    for (a, m) in api_ties.iter().zip(rows(&ties)) {
        assert_eq!(
            (&a["source"], &a["target"], &a["change"]),
            (&m["source"], &m["target"], &m["change"])
        );
        assert!(
            close(&a["weight_before"], &m["weight_before"]),
            "{a} vs {m}"
        );
        assert!(close(&a["weight_after"], &m["weight_after"]), "{a} vs {m}");
    }

    // Brokerage by actor type.
    let api = d.api(&format!("/clusters/{c}/brokerage?period=2024"));
    let cli = on(&["brokerage", "--group", "actor_type"]);
    let cli = by(&cli, "node");
    let nodes = rows(&api["nodes"]);
    assert_eq!(nodes.len(), cli.len());
    for n in nodes {
        let m = cli[n["id"].as_str().unwrap()];
        for role in [
            "coordinator",
            "itinerant",
            "representative",
            "gatekeeper",
            "liaison",
            "total",
        ] {
            assert!(close(&n[role], &m[role]), "{role}: {n} vs {m}");
            let z = format!("{role}_z");
            assert!(close(&n[&z], &m[&z]), "{z}: {n} vs {m}");
        }
    }

    // Recommendations: the same pairs with the same scores (the API lists
    // the best 100 of them, best first).
    let api = d.api(&format!("/clusters/{c}/recommendations?period=2024"));
    let cli = on(&["recommend", "--field-column", "industry"]);
    let key = |r: &Value| (r["source"].to_string(), r["target"].to_string());
    let cli: BTreeMap<(String, String), &Value> = rows(&cli).iter().map(|r| (key(r), r)).collect();
    let suggestions = rows(&api["suggestions"]);
    assert!(!suggestions.is_empty());
    assert_eq!(suggestions.len(), cli.len().min(100));
    for s in suggestions {
        let m = cli[&key(s)];
        for k in [
            "score",
            "structural",
            "complementarity",
            "bridging",
            "common_neighbors",
        ] {
            assert!(close(&s[k], &m[k]), "{k}: {s} vs {m}");
        }
    }

    // The diffusion and its what-if: the same spread before and after the
    // same three recommended ties.
    let api = d.api(&format!(
        "/clusters/{c}/diffusion?period=2024&probability=0.2&runs=300&seed=5&what_if=3"
    ));
    let cli = on(&[
        "diffuse",
        "--model",
        "cascade",
        "--probability",
        "0.2",
        "--runs",
        "300",
        "--seed",
        "5",
        "--what-if",
        "3",
    ]);
    let cli = by(&cli, "node");
    let nodes = rows(&api["nodes"]);
    assert_eq!(nodes.len(), cli.len());
    assert_eq!(rows(&api["what_if"]["ties_added"]).len(), 3, "{api}");
    let mut changed = false;
    for n in nodes {
        let m = cli[n["id"].as_str().unwrap()];
        assert!(
            close(&n["expected_spread"], &m["expected_spread"]),
            "{n} vs {m}"
        );
        assert_eq!(n["rank"], m["rank"], "{n} vs {m}");
        assert!(
            close(&n["expected_spread_after"], &m["expected_spread_after"]),
            "{n} vs {m}"
        );
        changed |= n["expected_spread_after"] != n["expected_spread"];
    }
    assert!(changed, "the what-if changed nothing: {api}");

    // Labels: `evaluate label --from-register --period 2024` = each
    // cluster's `/labels?period=2024`.
    let cli = d.cli(&["evaluate", "label", "--from-register", "--period", "2024"]);
    let cli = by(&cli, "unit");
    assert!(cli.len() > 3);
    for (unit, row) in &cli {
        let api = d.api(&format!("/clusters/{unit}/labels?period=2024"));
        for crit in rows(&api["criteria"]) {
            assert_eq!(
                crit["outcome"],
                row[crit["id"].as_str().unwrap()],
                "{unit}: {crit} vs {row}"
            );
        }
        assert_eq!(api["eligible"], row["eligible"], "{unit}");
    }
}
