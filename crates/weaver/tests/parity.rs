//! Parity: every analysis that both the command line and the API offer on
//! a register gives the same answer through both. The demo register is
//! built with `weaver demo`, served with `weaver serve`, and each analysis
//! is run through the CLI (`--json`) and through the API as the admin (the
//! CLI is the admin of its local register), and the numbers compared: the
//! ranking (with rank intervals, TOPSIS, and without the computed
//! indicators), the league table of a population with its currency
//! (`/evaluation/index`, `--population`), the computed indicators,
//! the ESCA-style levels, the trends, the indicator checks, the
//! sensitivity analysis,
//! the lifecycle, the mapping, growth, related clusters, cluster strength and
//! economic complexity, the benchmark against peers, the policy effect and
//! the public shares of funding, a cluster's network metrics, communities,
//! summary, openness with the ties beyond the cluster (by every attribute
//! and by two named), the network of clusters, the network of two
//! clusters' members, the synergy of its members, two periods compared,
//! brokerage, recommendations, the diffusion with its what-if, and the labels;
//! and the options of a cluster's network analyses (communities' method,
//! quality, resolution and seed, the extra metrics, brokerage by region, the
//! recommender's score, top and member, the Cowan–Jonard barter, and the
//! GEXF and GraphML files).
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

/// The section of a sectioned answer's section, or of a CLI row:
/// `country|classification`.
fn section_of(v: &Value) -> String {
    format!(
        "{}|{}",
        v["country"].as_str().unwrap_or(""),
        v["classification"].as_str().unwrap_or("")
    )
}

/// The rows under `key` of every section of a sectioned answer, each with
/// its section's country, classification, reference area and years.
fn sectioned(api: &Value, key: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for s in rows(&api["sections"]) {
        for r in rows(&s[key]) {
            let mut r = r.clone();
            for k in [
                "country",
                "classification",
                "reference_area",
                "start_year",
                "end_year",
            ] {
                if s.get(k).is_some() {
                    r[k] = s[k].clone();
                }
            }
            out.push(r);
        }
    }
    out
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

/// Whether two JSON documents agree: the same keys, strings and booleans,
/// numbers to 1e-9.
fn same(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<&String>, Vec<&String>) = (x.keys().collect(), y.keys().collect());
            assert_eq!(kx, ky, "{at}: keys differ");
            for (k, v) in x {
                same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: lengths differ");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same(v, w, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(_), _) | (_, Value::Number(_)) => {
            assert!(close(a, b), "{at}: {a} vs {b}");
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

/// The API's answer (without the cache's fields) is the CLI's `--json`.
fn same_answer(api: &mut Value, cli: &Value) {
    let o = api.as_object_mut().unwrap();
    o.remove("computed_at");
    o.remove("cached");
    same(api, cli, "answer");
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

    // Without the computed indicators: the ranking with computed=false and
    // the CLI's --no-computed agree, and differ from the ranking with them
    // (the switch does something).
    let without = d.api("/evaluation/ranking?period=2024&computed=false");
    let cli = d.cli(&[
        "evaluate",
        "index",
        "--from-register",
        "--no-computed",
        "--period",
        "2024",
    ]);
    assert_ranking(&without, &cli, &["score", "coverage"]);
    // The league table of a population (all, a programme's) and its
    // currency: the API's `/evaluation/index` and `--population`.
    for (query, args) in [
        ("period=2024", vec!["--population", "all"]),
        (
            "period=2024&population=programme:demo-cn-torch&currency=USD",
            vec![
                "--population",
                "programme:demo-cn-torch",
                "--currency",
                "USD",
            ],
        ),
    ] {
        let index = d.api(&format!("/evaluation/index?{query}"));
        let mut cli_args = vec!["evaluate", "index", "--from-register", "--period", "2024"];
        cli_args.extend(args);
        let cli = d.cli(&cli_args);
        assert_ranking(&index, &cli, &["score", "coverage"]);
    }
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

    // Mapping = `map clusters --from-register`, for each section's last
    // year: one section per (country, classification), on both sides.
    for method in ["cmp", "eco", "quadrant"] {
        let api = d.api(&format!("/mapping/clusters?method={method}"));
        let years: BTreeMap<String, i64> = rows(&api["sections"])
            .iter()
            .map(|s| (section_of(s), s["year"].as_i64().unwrap()))
            .collect();
        let cli = d.cli(&["map", "clusters", "--from-register", "--method", method]);
        let cli: Vec<&Value> = rows(&cli)
            .iter()
            .filter(|r| r["year"].as_i64() == years.get(&section_of(r)).copied())
            .collect();
        let cells = sectioned(&api, "cells");
        assert_eq!(cells.len(), cli.len(), "{method}");
        assert!(!cells.is_empty());
        for (a, c) in cells.iter().zip(&cli) {
            assert_eq!(
                (
                    &a["region"],
                    &a["category"],
                    &a["country"],
                    &a["classification"]
                ),
                (
                    &c["region"],
                    &c["category"],
                    &c["country"],
                    &c["classification"]
                )
            );
            assert_eq!(a["reference_area"], c["reference_area"]);
            assert!(close(&a["lq"], &c["lq"]), "{a} vs {c}");
            assert!(close(&a["employment"], &c["employment"]), "{a} vs {c}");
        }
    }
    // The same against a benchmark country (the sectioned form with
    // `benchmark=`): the first section's country.
    let api = d.api("/mapping/clusters");
    if let Some(country) = api["sections"][0]["country"].as_str() {
        let api = d.api(&format!("/mapping/clusters?benchmark={country}"));
        let cli = d.cli(&["map", "clusters", "--from-register", "--benchmark", country]);
        let years: BTreeMap<String, i64> = rows(&api["sections"])
            .iter()
            .map(|s| (section_of(s), s["year"].as_i64().unwrap()))
            .collect();
        let cli: Vec<&Value> = rows(&cli)
            .iter()
            .filter(|r| r["year"].as_i64() == years.get(&section_of(r)).copied())
            .collect();
        let cells = sectioned(&api, "cells");
        assert_eq!(cells.len(), cli.len());
        for (a, c) in cells.iter().zip(&cli) {
            assert_eq!(
                (&a["region"], &a["category"]),
                (&c["region"], &c["category"])
            );
            assert_eq!(a["reference_area"], c["reference_area"]);
            assert!(close(&a["lq"], &c["lq"]), "{a} vs {c}");
        }
    }

    // Growth and shift-share = `map growth --from-register`.
    let api = d.api("/mapping/growth");
    let cli = d.cli(&["map", "growth", "--from-register"]);
    let growth = sectioned(&api, "rows");
    assert!(!growth.is_empty());
    assert_eq!(growth.len(), rows(&cli).len());
    for (a, c) in growth.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["region"], &a["category"], &a["country"]),
            (&c["region"], &c["category"], &c["country"])
        );
        assert_eq!(
            (&a["start_year"], &a["end_year"]),
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

    // Related categories = `map related --from-register`.
    let api = d.api("/mapping/related?top=3");
    let cli = d.cli(&["map", "related", "--from-register", "--top", "3"]);
    let related = sectioned(&api, "rows");
    assert!(!related.is_empty());
    assert_eq!(related.len(), rows(&cli).len());
    for (a, c) in related.iter().zip(rows(&cli)) {
        assert_eq!(
            (&a["category"], &a["related"], &a["rank"], &a["country"]),
            (&c["category"], &c["related"], &c["rank"], &c["country"])
        );
        assert!(close(&a["correlation"], &c["correlation"]), "{a} vs {c}");
    }

    // Cluster strength = `map strength --from-register`.
    let api = d.api("/mapping/strength");
    let cli = d.cli(&["map", "strength", "--from-register"]);
    let strength = sectioned(&api, "rows");
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
    let regions = sectioned(&api, "regions");
    assert!(regions.len() > 1, "{api}");
    assert_eq!(regions.len(), rows(&eci).len());
    for (a, c) in regions.iter().zip(rows(&eci)) {
        assert_eq!(a["region"], c["region"]);
        for k in ["eci", "diversity"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }
    let api_next = sectioned(&api, "next");
    assert_eq!(api_next.len(), rows(&next).len());
    for (a, c) in api_next.iter().zip(rows(&next)) {
        assert_eq!(
            (&a["region"], &a["rank"], &a["industry"]),
            (&c["region"], &c["rank"], &c["industry"])
        );
        for k in ["density", "pci", "cog"] {
            assert!(close(&a[k], &c[k]), "{k}: {a} vs {c}");
        }
    }
    let api_cells = sectioned(&api, "cells");
    assert_eq!(api_cells.len(), rows(&rca).len());
    for (a, c) in api_cells.iter().zip(rows(&rca)) {
        assert_eq!(
            (&a["region"], &a["industry"], &a["mcp"]),
            (&c["region"], &c["industry"], &c["mcp"])
        );
        assert!(close(&a["rca"], &c["rca"]), "{a} vs {c}");
    }

    // A register cluster's specialisation = `map profile --cluster`: a
    // cluster in a city (the demo's Chinese activity is by province, so the
    // LQs are its province's) and one in a NUTS-2 region (its own).
    for (cluster, activity_region) in [
        ("demo-cn-shenzhen-ict", "440000"),
        ("demo-de-dresden-micro", "DED2"),
    ] {
        let api = d.api(&format!("/clusters/{cluster}/specialisation"));
        assert_eq!(api["activity_region"], activity_region, "{api}");
        let cli = d.cli(&["map", "profile", "--cluster", cluster]);
        let sectors = rows(&api["sectors"]);
        assert!(!sectors.is_empty(), "{api}");
        assert_eq!(sectors.len(), rows(&cli).len());
        for (a, c) in sectors.iter().zip(rows(&cli)) {
            assert_eq!(a["sector"], c["sector"]);
            assert_eq!(c["activity_region"], activity_region);
            assert_eq!(api["reference_area"], c["reference_area"]);
            assert!(a["lq"].as_f64().is_some_and(|x| x > 0.0), "{a}");
            assert!(close(&a["lq"], &c["lq"]), "{a} vs {c}");
        }
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
    for (query, flags, expected) in [
        (
            "&founded_within=6",
            &["--founded-within", "6"][..],
            // The Chinese clusters outside the programme founded by 2019.
            json!([
                "demo-cn-beijing-ai",
                "demo-cn-hefei-ai",
                "demo-cn-xian-aero"
            ]),
        ),
        (
            "&control=demo-cn-hefei-ai,demo-cn-xian-aero",
            &["--control", "demo-cn-hefei-ai,demo-cn-xian-aero"][..],
            json!(["demo-cn-hefei-ai", "demo-cn-xian-aero"]),
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
        assert_eq!(api["controls"], expected, "{api}");
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

    // Openness with the ties beyond the cluster: by every attribute (the
    // default), and by two named; the CLI's `--json` is the API's answer.
    for (query, group) in [
        ("", None),
        ("&group=region,cluster", Some("region,cluster")),
    ] {
        let mut api = d.api(&format!("/clusters/{c}/openness?period=2024{query}"));
        let mut args = vec!["openness"];
        if let Some(group) = group {
            args.extend(["--group", group]);
        }
        let cli = on(&args);
        assert!(api["by"].as_array().is_some_and(|b| !b.is_empty()), "{api}");
        same_answer(&mut api, &cli);
    }
    // The demo's clusters reach beyond themselves.
    let o = d.api(&format!("/clusters/{c}/openness?period=2024"));
    assert!(o["ties"]["external"].as_u64().unwrap() > 0, "{o}");

    // The network of clusters, and the network of two clusters' members.
    let mut api = d.api("/networks/clusters?period=2024");
    let cli = d.cli(&["network", "clusters", "--period", "2024"]);
    assert!(
        api["links"].as_array().is_some_and(|l| !l.is_empty()),
        "{api}"
    );
    same_answer(&mut api, &cli);
    let other = api["links"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|l| {
            if l["source"] == c.as_str() {
                Some(l["target"].as_str().unwrap().to_owned())
            } else if l["target"] == c.as_str() {
                Some(l["source"].as_str().unwrap().to_owned())
            } else {
                None
            }
        })
        .expect("a cluster linked to the one analysed");
    let pair = format!("{c},{other}");
    let mut api = d.api(&format!("/networks?clusters={pair}&period=2024"));
    let cli = d.cli(&["network", "multi", "--clusters", &pair, "--period", "2024"]);
    same_answer(&mut api, &cli);

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

/// The options of a cluster's network analyses the API took over from the
/// command line give the same answers through both: communities by
/// Louvain with CPM at a resolution and a seed, eigenvector centrality,
/// constraint and effective size, brokerage by region, the recommender's
/// score, top and member, the Cowan–Jonard barter, and the network as a
/// GEXF and a GraphML file (the same bytes).
#[test]
fn network_options_give_the_same_answer_through_the_cli_and_the_api() {
    let d = Demo::start();
    let c = d.cluster();
    let on = |cmd: &[&str]| -> Value {
        let mut args = vec!["network"];
        args.extend_from_slice(cmd);
        args.extend_from_slice(&["--cluster", &c, "--period", "2024"]);
        d.cli(&args)
    };

    // Communities: Louvain, CPM at γ = 0.05, seed 3.
    let api = d.api(&format!(
        "/clusters/{c}/network?period=2024&method=louvain&quality=cpm&resolution=0.05&seed=3\
         &metrics=eigenvector,constraint,effective_size"
    ));
    assert_eq!(api["communities"]["method"], "louvain");
    assert_eq!(api["communities"]["quality"], "cpm");
    let communities = on(&[
        "communities",
        "--method",
        "louvain",
        "--quality",
        "cpm",
        "--resolution",
        "0.05",
        "--seed",
        "3",
    ]);
    let communities = by(&communities, "node");
    let default = d.api(&format!("/clusters/{c}/network?period=2024"));
    let mut differs = false;
    for (n, plain) in rows(&api["nodes"]).iter().zip(rows(&default["nodes"])) {
        let m = communities[n["id"].as_str().unwrap()];
        assert_eq!(n["community"], m["community"], "{n} vs {m}");
        differs |= n["community"] != plain["community"];
    }
    let sizes = |v: &Value| v["communities"]["sizes"].clone();
    assert!(
        differs || sizes(&api) != sizes(&default),
        "CPM at 0.05 found Leiden's communities: {api}"
    );

    // Eigenvector centrality, constraint, effective size.
    let metrics = on(&[
        "metrics",
        "--metrics",
        "eigenvector,constraint,effective_size",
    ]);
    let metrics = by(&metrics, "node");
    for n in rows(&api["nodes"]) {
        let m = metrics[n["id"].as_str().unwrap()];
        for k in ["eigenvector", "constraint", "effective_size"] {
            assert!(n[k].is_number() || n[k].is_null(), "{k}: {n}");
            assert!(close(&n[k], &m[k]), "{k}: {n} vs {m}");
        }
    }

    // Brokerage by region.
    let api = d.api(&format!("/clusters/{c}/brokerage?period=2024&group=region"));
    assert_eq!(api["groups"], "region");
    let cli = on(&["brokerage", "--group", "region"]);
    let cli = by(&cli, "node");
    for n in rows(&api["nodes"]) {
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

    // Recommendations: Jaccard, 2 per member, for the first member.
    let first = rows(&d.api(&format!("/clusters/{c}/network?period=2024"))["nodes"])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let api = d.api(&format!(
        "/clusters/{c}/recommendations?period=2024&score=jaccard&top=2&for={first}"
    ));
    let cli = on(&[
        "recommend",
        "--field-column",
        "industry",
        "--score",
        "jaccard",
        "--top",
        "2",
        "--for",
        &first,
    ]);
    let key = |r: &Value| (r["source"].to_string(), r["target"].to_string());
    let cli: BTreeMap<(String, String), &Value> = rows(&cli).iter().map(|r| (key(r), r)).collect();
    let suggestions = rows(&api["suggestions"]);
    assert!(!suggestions.is_empty(), "{api}");
    assert_eq!(suggestions.len(), cli.len());
    for s in suggestions {
        assert!(
            s["source"] == first.as_str() || s["target"] == first.as_str(),
            "{s}"
        );
        let m = cli[&key(s)];
        for k in ["score", "structural", "complementarity", "bridging"] {
            assert!(close(&s[k], &m[k]), "{k}: {s} vs {m}");
        }
    }

    // The Cowan–Jonard barter.
    let api = d.api(&format!(
        "/clusters/{c}/diffusion?period=2024&model=cowan-jonard&categories=3&alpha=0.4&seed=2"
    ));
    let cli = on(&[
        "diffuse",
        "--categories",
        "3",
        "--alpha",
        "0.4",
        "--seed",
        "2",
    ]);
    let m = &rows(&cli)[0];
    assert_eq!(api["model"], m["model"]);
    for k in ["agents", "edges", "steps", "trades", "steady"] {
        assert_eq!(api[k], m[k], "{k}: {api} vs {m}");
    }
    for k in ["mean", "variance", "cv"] {
        assert!(close(&api[k], &m[k]), "{k}: {api} vs {m}");
    }
    assert!(api["trades"].as_u64().unwrap() > 0, "{api}");

    // The network as files: the same bytes.
    for format in ["gexf", "graphml"] {
        let file = format!("net.{format}");
        on(&["export", "--format", format, "--out", &file]);
        let cli = std::fs::read_to_string(d.dir.path().join(&file)).unwrap();
        let (status, api) = common::http(
            &d.addr,
            "GET",
            &format!("/api/v1/clusters/{c}/network/export?format={format}&period=2024"),
            Some(&d.token),
            "",
        );
        assert_eq!(status, 200, "{api}");
        assert_eq!(api, cli, "{format}");
        assert!(
            cli.contains("actor_type") && cli.contains("pagerank"),
            "{cli}"
        );
    }
}
