//! The analyses wave 1 added to the API, one test per rule, on SQLite and
//! on PostgreSQL (`WEAVER_TEST_PG`): the policy effect, the public share of
//! funding, the benchmark, cluster strength, economic complexity and the
//! triple-helix synergy; and the options of a cluster's network analyses
//! (communities' method, quality, resolution and seed, the extra metrics,
//! brokerage by another group, the recommender's score, top and member,
//! the Cowan–Jonard barter, the GEXF and GraphML files) on two triangles
//! joined by a bridge, hand-worked. What each role sees, that a row hidden from the
//! caller changes nothing it sees (its answer on the register equals its
//! answer on the register without that row), bad parameters refused with
//! their reason, 404 when nothing is readable, and the cache marks.
//! Agreement with the command line is the parity test's
//! (`crates/weaver/tests/parity.rs`), not this suite's.

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each, rt};

/// The rows every register of this suite has. Programme p1 (from 2023)
/// funds c1 and c3, p2 funds c2. c1's members in 2024: o1 and o4
/// enterprises in C34, o2 a university in P85, o3 government in O84.
/// Indicator `sales` of c1 (seen by its readers), c2 and c3 (public) in
/// 2021 and 2023. Funding of c1 (its readers') and c2 (public). Regional
/// activity (public) of R1 and R2 in A and B, 2023 and 2024.
const BASE: &[Table] = &[
    (
        "programmes",
        &["id", "name", "start"],
        &[&["p1", "Torch", "2023"], &["p2", "Pôles", ""]],
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
        &["id", "name", "region", "country", "founded"],
        &[
            &["c1", "Suzhou Nano", "320500", "CN", "2010"],
            &["c2", "Lyon Bio", "FRK26", "FR", "2009"],
            &["c3", "Wuxi IoT", "320200", "CN", "2012"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c3"], &["p2", "c2"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since", "visibility"],
        &[
            &["c1", "o1", "core", "", "cluster"],
            &["c1", "o2", "partner", "", "cluster"],
            &["c1", "o3", "partner", "", "cluster"],
            &["c1", "o4", "regional", "2023", "cluster"],
            &["c2", "o5", "core", "", "cluster"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[&["sales", "Sales", "higher_better"]],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "sales", "2021", "1", "cluster"],
            &["c1", "sales", "2023", "5", "cluster"],
            &["c2", "sales", "2021", "1", "public"],
            &["c2", "sales", "2023", "2", "public"],
            &["c3", "sales", "2021", "2", "public"],
            &["c3", "sales", "2023", "3", "public"],
        ],
    ),
    (
        "funding",
        &["recipient", "source_type", "amount", "year", "visibility"],
        &[
            &["c1", "central_gov", "30", "2024", "cluster"],
            &["c1", "private", "70", "2024", "cluster"],
            &["c2", "local_gov", "50", "2024", "public"],
            &["c2", "own", "50", "2024", "public"],
            &["c2", "supranational", "10", "2023", "public"],
        ],
    ),
    (
        "regional_activity",
        &["region", "industry", "year", "employment", "visibility"],
        &[
            &["R1", "A", "2023", "20", "public"],
            &["R1", "B", "2023", "20", "public"],
            &["R2", "A", "2023", "20", "public"],
            &["R2", "B", "2023", "20", "public"],
            &["R1", "A", "2024", "30", "public"],
            &["R1", "B", "2024", "10", "public"],
            &["R2", "A", "2024", "10", "public"],
            &["R2", "B", "2024", "30", "public"],
        ],
    ),
];

/// Rows hidden from some callers, added to [`BASE`] in the full register:
/// a `sales` value and bank funding of c2 that only c2's readers (the
/// outsider) see, a `sales` value of c3 only its managers see, and a
/// region's activity that only the admin sees (private), and o5 a private
/// member of c1 (seen by c1's managers, not by p1's officer).
const HIDDEN: &[Table] = &[
    (
        "memberships",
        &["cluster", "org", "tier", "since", "visibility"],
        &[&["c1", "o5", "partner", "", "private"]],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c2", "sales", "2024", "9", "cluster"],
            &["c3", "sales", "2024", "7", "private"],
        ],
    ),
    (
        "funding",
        &["recipient", "source_type", "amount", "year", "visibility"],
        &[&["c2", "bank", "50", "2024", "cluster"]],
    ),
    (
        "regional_activity",
        &["region", "industry", "year", "employment", "visibility"],
        &[
            &["R3", "A", "2024", "5", "private"],
            &["R3", "B", "2024", "95", "private"],
        ],
    ),
];

/// Only programmes and clusters: nothing to analyse.
const EMPTY: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "industry"],
        &[&["o1", "Acme 机械", "enterprise", "C34"]],
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
        &[&["p1", "c1"]],
    ),
];

/// [`BASE`] with `extra`'s rows added to its tables (and its new tables).
fn with(extra: &[Table]) -> Vec<Table> {
    let mut out: Vec<Table> = BASE.to_vec();
    for (name, header, rows) in extra {
        match out.iter_mut().find(|t| t.0 == *name) {
            Some(t) => {
                assert_eq!(t.1, *header, "{name}: the same header");
                let all: Vec<&'static [&'static str]> =
                    t.2.iter().chain(rows.iter()).copied().collect();
                t.2 = Vec::leak(all);
            }
            None => out.push((name, header, rows)),
        }
    }
    out
}

/// The full register ([`BASE`] with [`HIDDEN`]) on each backend.
async fn envs() -> Vec<Env> {
    common::envs("added", &with(HIDDEN), Config::default()).await
}

/// A register of [`EMPTY`] on each backend.
async fn empty() -> Vec<Env> {
    common::envs("added_empty", EMPTY, Config::default()).await
}

/// Runs `check` on the full register and the register without the hidden
/// rows, of the same backend, side by side.
fn on_both(check: impl AsyncFn(&Env, &Env)) {
    rt().block_on(async {
        let full = envs().await;
        let bare = common::envs("added_bare", BASE, Config::default()).await;
        assert_eq!(full.len(), bare.len());
        for (f, b) in full.into_iter().zip(bare) {
            check(&f, &b).await;
            f.finish().await;
            b.finish().await;
        }
    });
}

impl Env {
    async fn get(&self, who: &str, path: &str) -> (StatusCode, Value) {
        self.call(who, "GET", path, None).await
    }

    /// The answer to `who` at `path`, which must be a 200.
    async fn ok(&self, who: &str, path: &str) -> Value {
        let (s, v) = self.get(who, path).await;
        assert_eq!(s, StatusCode::OK, "GET {path} as {who}: {v}");
        v
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

/// `v` without its cache mark, to compare answers.
fn uncached(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("cached");
        o.remove("computed_at");
    }
    v
}

/// Equal to 1e-12.
fn close(a: &Value, b: f64) -> bool {
    a.as_f64()
        .is_some_and(|a| weaver_testkit::close(a, b, 0.0, 1e-12))
}

/// The public shares of an answer by (cluster, year).
fn shares(v: &Value) -> Vec<(String, i64, f64)> {
    v["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["cluster"].as_str().unwrap().to_owned(),
                r["year"].as_i64().unwrap(),
                r["public_share"].as_f64().unwrap(),
            )
        })
        .collect()
}

// ------------------------------------------------------------------ policy

#[test]
fn the_policy_effect_of_treated_clusters_is_hand_worked() {
    on_each(envs, async |env| {
        // As c1's manager (2024 values of c2 and c3 hidden), c1 treated
        // from 2023 against c2 and c3: (5 − 1) − ((2 + 3)/2 − (1 + 2)/2) =
        // 4 − 1 = 3 over six values of three clusters.
        let v = env
            .ok(
                "manager",
                "/api/v1/evaluation/policy?indicator=sales&treated=c1&start=2023&control=c2,c3",
            )
            .await;
        assert!(close(&v["estimate"], 3.0), "{v}");
        assert_eq!((&v["n"], &v["clusters"]), (&json!(6), &json!(3)), "{v}");
        assert_eq!(v["treated"], json!(["c1"]));
        assert_eq!(v["controls"], json!(["c2", "c3"]));
        assert_eq!(v["control_rule"], "the clusters given (control)");
        assert_eq!(
            (&v["periods_before"], &v["periods_after"]),
            (&json!(["2021"]), &json!(["2023"]))
        );
        assert_eq!(v["start"], "2023");
        // The 95 % interval is ± t(0.975, 2 df) = 4.302652730 standard
        // errors; one period before the start: no pre-trend, said so.
        let (e, se) = (3.0, v["std_error"].as_f64().unwrap());
        let half = 4.302_652_730 * se;
        assert!(
            weaver_testkit::close(v["ci_low"].as_f64().unwrap(), e - half, 1e-8, 0.0),
            "{v}"
        );
        assert!(
            weaver_testkit::close(v["ci_high"].as_f64().unwrap(), e + half, 1e-8, 0.0),
            "{v}"
        );
        assert_eq!(v["df"], 2.0);
        assert_eq!(v["pre_trend"]["testable"], false, "{v}");
        assert!(
            v["pre_trend"]["verdict"]
                .as_str()
                .unwrap()
                .contains("observed at 1 period(s) before the start"),
            "{v}"
        );
    });
}

#[test]
fn the_default_controls_are_the_same_countrys_clusters_of_the_founding_period() {
    on_each(envs, async |env| {
        // p1 funds both Chinese clusters (c1, c3): the French c2 is no
        // control, so none is left.
        env.refused(
            "admin",
            "/api/v1/evaluation/policy?indicator=sales&programme=p1",
            StatusCode::BAD_REQUEST,
            "too few control clusters: 0 match (none), at least 2 are needed; the rule: clusters of the funded clusters' country (CN), not funded, founded within 5 years",
        )
        .await;
        // c1 (CN, 2010) treated: c3 (CN, 2012) matches, c2 (FR) does not.
        env.refused(
            "admin",
            "/api/v1/evaluation/policy?indicator=sales&treated=c1&start=2023&founded_within=1",
            StatusCode::BAD_REQUEST,
            "0 match (none)",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/policy?indicator=sales&treated=c1&start=2023",
            StatusCode::BAD_REQUEST,
            "1 match (c3)",
        )
        .await;
    });
}

#[test]
fn each_role_estimates_the_policy_effect_on_what_it_reads() {
    on_each(envs, async |env| {
        // The public reads c2's and c3's values only, not c1's: one control
        // observed, and the reason names it.
        let path = "/api/v1/evaluation/policy?indicator=sales&treated=c3&start=2023&control=c1,c2";
        env.refused(
            "public",
            path,
            StatusCode::BAD_REQUEST,
            "too few control clusters observed for `sales`: 1 of the 2 controls (c2)",
        )
        .await;
        // c1's manager reads c1 too: c2 and c1 the controls,
        // (3 − 2) − ((2 + 5)/2 − (1 + 1)/2) = 1 − 2.5 = −1.5.
        let manager = env.ok("manager", path).await;
        assert!(close(&manager["estimate"], -1.5), "{manager}");
        assert_eq!(manager["clusters"], 3, "{manager}");
        // The admin reads c2's and c3's 2024 values as well: c3 post
        // (3 + 7)/2 = 5, controls post (2 + 9 + 5)/3 = 16/3, pre 1:
        // (5 − 2) − (16/3 − 1) = 3 − 13/3 = −4/3.
        let admin = env.ok("admin", path).await;
        assert!(close(&admin["estimate"], -4.0 / 3.0), "{admin}");
        assert_eq!(admin["n"], 8, "{admin}");
    });
}

#[test]
fn a_hidden_observation_changes_no_policy_effect() {
    on_both(async |full, bare| {
        let path = "/api/v1/evaluation/policy?indicator=sales&treated=c3&start=2023&control=c1,c2";
        for who in ["public", "manager", "member"] {
            let (sf, vf) = full.get(who, path).await;
            let (sb, vb) = bare.get(who, path).await;
            assert_eq!((sf, &vf), (sb, &vb), "{who}");
        }
        // The hidden rows count for those who read them.
        assert_ne!(full.ok("admin", path).await, bare.ok("admin", path).await);
    });
}

#[test]
fn bad_policy_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        let base = "/api/v1/evaluation/policy?indicator=sales";
        for (who, query, status, needle) in [
            (
                "admin",
                "&programme=p1&treated=c1",
                StatusCode::BAD_REQUEST,
                "either a programme or the treated clusters, not both",
            ),
            (
                "admin",
                "&programme=nope",
                StatusCode::NOT_FOUND,
                "programme 'nope' is not in the register",
            ),
            (
                "admin",
                "&treated=c1&start=late",
                StatusCode::BAD_REQUEST,
                "late",
            ),
            (
                "admin",
                "",
                StatusCode::BAD_REQUEST,
                "give the funded clusters or a programme",
            ),
            (
                "admin",
                "&programme=p2",
                StatusCode::BAD_REQUEST,
                "programme 'p2' has no start date",
            ),
            (
                "admin",
                "&treated=c1&start=2023&colour=red",
                StatusCode::BAD_REQUEST,
                "colour",
            ),
            (
                "admin",
                "&treated=c1&start=2023&control=c2,c1",
                StatusCode::BAD_REQUEST,
                "control cluster 'c1' is one of the funded clusters",
            ),
            (
                "admin",
                "&treated=c1&start=2023&control=c2,zz",
                StatusCode::NOT_FOUND,
                "control cluster 'zz' is not a cluster that you may see",
            ),
            (
                "admin",
                "&treated=c1&start=2023&control=c2",
                StatusCode::BAD_REQUEST,
                "control: 1 cluster(s) given, at least 2 are needed",
            ),
            (
                "admin",
                "&treated=c1&start=2023&control=c2,c3&founded_within=3",
                StatusCode::BAD_REQUEST,
                "give either the controls or founded_within, not both",
            ),
            (
                "admin",
                "&treated=c1&start=2023&founded_within=-1",
                StatusCode::BAD_REQUEST,
                "founded_within",
            ),
        ] {
            env.refused(who, &format!("{base}{query}"), status, needle)
                .await;
        }
        env.refused(
            "admin",
            "/api/v1/evaluation/policy?indicator=revenue&treated=c1&start=2023&control=c2,c3",
            StatusCode::NOT_FOUND,
            "no observations of indicator `revenue`",
        )
        .await;
    });
}

#[test]
fn no_readable_observation_is_a_policy_404() {
    on_each(empty, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/policy?indicator=sales&treated=c1&start=2023",
            StatusCode::NOT_FOUND,
            "no observations that you may see",
        )
        .await;
    });
}

// ------------------------------------------------------------ public share

#[test]
fn public_shares_are_hand_worked() {
    on_each(envs, async |env| {
        // c1 2024: 30 public of 100; c2 2023: 10 of 10; c2 2024 as c1's
        // manager (the bank row hidden): 50 of 100.
        let v = env.ok("manager", "/api/v1/evaluation/public-share").await;
        assert_eq!(
            shares(&v),
            [
                ("c1".to_owned(), 2024, 0.3),
                ("c2".to_owned(), 2023, 1.0),
                ("c2".to_owned(), 2024, 0.5)
            ]
        );
    });
}

#[test]
fn each_role_gets_the_public_shares_of_the_funding_it_reads() {
    on_each(envs, async |env| {
        let public = shares(&env.ok("public", "/api/v1/evaluation/public-share").await);
        assert_eq!(
            public,
            [("c2".to_owned(), 2023, 1.0), ("c2".to_owned(), 2024, 0.5)]
        );
        // The outsider manages c2: its bank funding counts, 50 of 150;
        // c1's funding it does not read.
        let outsider = shares(&env.ok("outsider", "/api/v1/evaluation/public-share").await);
        assert_eq!(outsider.len(), 2, "{outsider:?}");
        assert!((outsider[1].2 - 1.0 / 3.0).abs() < 1e-12, "{outsider:?}");
        let admin = shares(&env.ok("admin", "/api/v1/evaluation/public-share").await);
        assert_eq!(admin.len(), 3, "{admin:?}");
    });
}

#[test]
fn a_period_keeps_the_public_shares_of_its_year() {
    on_each(envs, async |env| {
        let v = env
            .ok("public", "/api/v1/evaluation/public-share?period=2024-Q3")
            .await;
        assert_eq!(shares(&v), [("c2".to_owned(), 2024, 0.5)]);
        assert_eq!(v["period"], "2024-Q3");
    });
}

#[test]
fn hidden_funding_changes_no_public_share() {
    on_both(async |full, bare| {
        for who in ["public", "manager", "member"] {
            assert_eq!(
                full.ok(who, "/api/v1/evaluation/public-share").await,
                bare.ok(who, "/api/v1/evaluation/public-share").await,
                "{who}"
            );
        }
        assert_ne!(
            full.ok("admin", "/api/v1/evaluation/public-share").await,
            bare.ok("admin", "/api/v1/evaluation/public-share").await
        );
    });
}

#[test]
fn bad_public_share_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/public-share?period=late",
            StatusCode::BAD_REQUEST,
            "late",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/public-share?year=2024",
            StatusCode::BAD_REQUEST,
            "year",
        )
        .await;
    });
}

#[test]
fn no_readable_funding_is_a_public_share_404() {
    on_each(empty, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/public-share",
            StatusCode::NOT_FOUND,
            "no funding that you may see",
        )
        .await;
    });
}

// --------------------------------------------------------------- benchmark

/// The `all` dimension of a benchmark: (cluster, score, peer median, best,
/// distance to the frontier).
fn overall(v: &Value) -> Vec<(String, Value, Value, Value, Value)> {
    v["benchmark"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["dimension"] == "all")
        .map(|r| {
            (
                r["cluster"].as_str().unwrap().to_owned(),
                r["score"].clone(),
                r["peer_median"].clone(),
                r["best"].clone(),
                r["distance_to_frontier"].clone(),
            )
        })
        .collect()
}

#[test]
fn the_benchmark_is_hand_worked() {
    on_each(envs, async |env| {
        // c1's manager in 2023: sales 5, 2, 3 scaled min–max to 100, 0 and
        // 100/3; the median 100/3, the best 100.
        let v = env
            .ok(
                "manager",
                "/api/v1/evaluation/benchmark?period=2023&computed=false",
            )
            .await;
        assert_eq!(v["method"], "default");
        let rows = overall(&v);
        let third = 100.0 / 3.0;
        let want = [
            ("c1", 100.0, 0.0),
            ("c2", 0.0, 100.0),
            ("c3", third, 100.0 - third),
        ];
        assert_eq!(rows.len(), want.len(), "{v}");
        for (row, (c, score, distance)) in rows.iter().zip(want) {
            assert_eq!(row.0, c, "{v}");
            assert!(close(&row.1, score), "{v}");
            assert!(close(&row.2, third), "{v}");
            assert!(close(&row.3, 100.0), "{v}");
            assert!(close(&row.4, distance), "{v}");
        }
    });
}

#[test]
fn each_role_benchmarks_the_clusters_whose_observations_it_reads() {
    on_each(envs, async |env| {
        let path = "/api/v1/evaluation/benchmark?period=2023&computed=false";
        // The public reads c2 and c3 only: 2 and 3 scale to 0 and 100.
        let rows = overall(&env.ok("public", path).await);
        let clusters: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(clusters, ["c2", "c3"]);
        assert!(
            close(&rows[0].1, 0.0) && close(&rows[1].1, 100.0),
            "{rows:?}"
        );
        let rows = overall(&env.ok("manager", path).await);
        assert_eq!(rows.len(), 3, "{rows:?}");
    });
}

#[test]
fn a_cluster_filter_keeps_its_rows_against_every_peer() {
    on_each(envs, async |env| {
        let v = env
            .ok(
                "manager",
                "/api/v1/evaluation/benchmark?period=2023&computed=false&cluster=c3",
            )
            .await;
        let rows = overall(&v);
        assert_eq!(rows.len(), 1, "{v}");
        // Its peers are still c1, c2 and c3.
        assert!(close(&rows[0].1, 100.0 / 3.0), "{v}");
        assert!(close(&rows[0].3, 100.0), "{v}");
    });
}

#[test]
fn a_hidden_observation_changes_no_benchmark() {
    on_both(async |full, bare| {
        let path = "/api/v1/evaluation/benchmark?computed=false";
        for who in ["public", "manager", "member"] {
            let (sf, vf) = full.get(who, path).await;
            let (sb, vb) = bare.get(who, path).await;
            assert_eq!((sf, &vf), (sb, &vb), "{who}");
        }
        assert_ne!(full.ok("admin", path).await, bare.ok("admin", path).await);
    });
}

#[test]
fn bad_benchmark_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/evaluation/benchmark?framework=nope",
            StatusCode::BAD_REQUEST,
            "nope",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/benchmark?period=late",
            StatusCode::BAD_REQUEST,
            "late",
        )
        .await;
        env.refused(
            "admin",
            "/api/v1/evaluation/benchmark?peers=x",
            StatusCode::BAD_REQUEST,
            "peers",
        )
        .await;
    });
}

#[test]
fn no_readable_observation_is_a_benchmark_404() {
    on_each(empty, async |env| {
        let (s, v) = env
            .get("admin", "/api/v1/evaluation/benchmark?computed=false")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    });
}

// ---------------------------------------------------------------- strength

/// The strength rows of an answer: (region, year, strength, strong clusters).
fn strength_rows(v: &Value) -> Vec<(String, i64, f64, u64)> {
    v["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_owned(),
                r["year"].as_i64().unwrap(),
                r["strength"].as_f64().unwrap(),
                r["strong_clusters"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn cluster_strength_is_hand_worked() {
    on_each(envs, async |env| {
        // 2023: every location quotient is 1, no cluster is strong. 2024:
        // A in R1 and B in R2 have 30 of their region's 40 jobs, LQ 1.5,
        // and are strong: a strength of 30/40.
        let v = env.ok("public", "/api/v1/mapping/strength").await;
        assert_eq!(
            strength_rows(&v),
            [
                ("R1".to_owned(), 2023, 0.0, 0),
                ("R1".to_owned(), 2024, 0.75, 1),
                ("R2".to_owned(), 2023, 0.0, 0),
                ("R2".to_owned(), 2024, 0.75, 1),
            ]
        );
        // What was dropped is said.
        let notices = v["sections"][0]["notices"].as_array().unwrap();
        assert_eq!(notices.len(), 2, "{v}");
    });
}

#[test]
fn each_role_gets_the_strength_of_the_activity_it_reads() {
    on_each(envs, async |env| {
        let public = strength_rows(&env.ok("public", "/api/v1/mapping/strength").await);
        assert!(public.iter().all(|r| r.0 != "R3"), "{public:?}");
        let admin = strength_rows(&env.ok("admin", "/api/v1/mapping/strength").await);
        // R3's 95 of 100 jobs in B make B strong there (0.95), and R2's B
        // no longer stands out.
        assert!(
            admin.contains(&("R3".to_owned(), 2024, 0.95, 1)),
            "{admin:?}"
        );
        assert!(
            admin.contains(&("R2".to_owned(), 2024, 0.0, 0)),
            "{admin:?}"
        );
    });
}

#[test]
fn hidden_activity_changes_no_strength() {
    on_both(async |full, bare| {
        for who in ["public", "manager", "member", "outsider"] {
            assert_eq!(
                uncached(full.ok(who, "/api/v1/mapping/strength").await),
                uncached(bare.ok(who, "/api/v1/mapping/strength").await),
                "{who}"
            );
        }
        assert_ne!(
            uncached(full.ok("admin", "/api/v1/mapping/strength").await),
            uncached(bare.ok("admin", "/api/v1/mapping/strength").await)
        );
    });
}

#[test]
fn the_same_strength_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let first = env.ok("public", "/api/v1/mapping/strength").await;
        assert_eq!(first["cached"], false);
        let again = env.ok("public", "/api/v1/mapping/strength").await;
        assert_eq!(again["cached"], true);
        assert_eq!(uncached(first), uncached(again));
        // Another reader's answer is its own.
        let admin = env.ok("admin", "/api/v1/mapping/strength").await;
        assert_eq!(admin["cached"], false);
    });
}

#[test]
fn bad_strength_asks_are_refused_and_nothing_readable_is_a_404() {
    on_each(envs, async |env| {
        env.refused(
            "admin",
            "/api/v1/mapping/strength?year=2024",
            StatusCode::BAD_REQUEST,
            "year",
        )
        .await;
    });
    on_each(empty, async |env| {
        env.refused(
            "admin",
            "/api/v1/mapping/strength",
            StatusCode::NOT_FOUND,
            "no regional activity that you may see",
        )
        .await;
    });
}

// -------------------------------------------------------------- complexity

/// The cells of a complexity answer: (region, industry, RCA, present).
fn cells(v: &Value) -> Vec<(String, String, f64, bool)> {
    v["sections"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["region"].as_str().unwrap().to_owned(),
                c["industry"].as_str().unwrap().to_owned(),
                c["rca"].as_f64().unwrap(),
                c["mcp"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn revealed_comparative_advantage_is_hand_worked() {
    on_each(envs, async |env| {
        // 2024: R1 has 30 of its 40 jobs in A, which has 40 of the 80:
        // RCA (30/40)/(40/80) = 1.5; B there 0.5; R2 the mirror image. Each
        // region has one industry (diversity 1), each industry one region.
        let v = env
            .ok("public", "/api/v1/mapping/complexity?year=2024")
            .await;
        assert_eq!(
            cells(&v),
            [
                ("R1".to_owned(), "A".to_owned(), 1.5, true),
                ("R1".to_owned(), "B".to_owned(), 0.5, false),
                ("R2".to_owned(), "A".to_owned(), 0.5, false),
                ("R2".to_owned(), "B".to_owned(), 1.5, true),
            ]
        );
        let section = &v["sections"][0];
        for r in section["regions"].as_array().unwrap() {
            assert_eq!(r["diversity"], 1.0, "{v}");
        }
        for i in section["industries"].as_array().unwrap() {
            assert_eq!(i["ubiquity"], 1.0, "{v}");
        }
        assert_eq!(
            (&section["year"], &section["rca_threshold"]),
            (&json!(2024), &json!(1.0))
        );
    });
}

#[test]
fn the_rca_threshold_sets_presence() {
    on_each(envs, async |env| {
        // At 0.4 every cell of 2024 (0.5 or 1.5) is present.
        let v = env
            .ok(
                "public",
                "/api/v1/mapping/complexity?year=2024&rca_threshold=0.4",
            )
            .await;
        assert!(cells(&v).iter().all(|c| c.3), "{v}");
    });
}

#[test]
fn each_role_gets_the_complexity_of_the_activity_it_reads() {
    on_each(envs, async |env| {
        let path = "/api/v1/mapping/complexity?year=2024";
        let public = cells(&env.ok("public", path).await);
        assert_eq!(public.len(), 4, "{public:?}");
        // The admin reads R3 too: A has 45 of R1+R2+R3's 180 jobs, R1 30
        // of its 40: RCA (30/40)/(45/180) = 3.
        let admin = cells(&env.ok("admin", path).await);
        assert_eq!(admin.len(), 6, "{admin:?}");
        assert!((admin[0].2 - 3.0).abs() < 1e-12, "{admin:?}");
    });
}

#[test]
fn hidden_activity_changes_no_complexity() {
    on_both(async |full, bare| {
        let path = "/api/v1/mapping/complexity?year=2024";
        for who in ["public", "manager", "member", "outsider"] {
            assert_eq!(
                uncached(full.ok(who, path).await),
                uncached(bare.ok(who, path).await),
                "{who}"
            );
        }
        assert_ne!(
            uncached(full.ok("admin", path).await),
            uncached(bare.ok("admin", path).await)
        );
    });
}

#[test]
fn the_same_complexity_asked_again_comes_from_the_cache() {
    on_each(envs, async |env| {
        let path = "/api/v1/mapping/complexity?year=2024";
        let first = env.ok("public", path).await;
        assert_eq!(first["cached"], false);
        let again = env.ok("public", path).await;
        assert_eq!(again["cached"], true);
        assert_eq!(uncached(first), uncached(again));
        // Other parameters are another answer.
        let other = env.ok("public", &format!("{path}&top=3")).await;
        assert_eq!(other["cached"], false);
    });
}

#[test]
fn bad_complexity_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        let base = "/api/v1/mapping/complexity";
        for (query, needle) in [
            (
                "?rca_threshold=0",
                "rca_threshold must be a positive number, not 0",
            ),
            (
                "?rca_threshold=-1",
                "rca_threshold must be a positive number",
            ),
            ("?top=1001", "top must be at most 1000, not 1001"),
            ("?year=24", "year must be a four-digit year, not 24"),
            ("?year=1999", "1999"),
            ("?colour=red", "colour"),
        ] {
            env.refused(
                "admin",
                &format!("{base}{query}"),
                StatusCode::BAD_REQUEST,
                needle,
            )
            .await;
        }
    });
}

#[test]
fn no_readable_activity_is_a_complexity_404() {
    on_each(empty, async |env| {
        env.refused(
            "admin",
            "/api/v1/mapping/complexity",
            StatusCode::NOT_FOUND,
            "no regional activity that you may see",
        )
        .await;
    });
}

// ----------------------------------------------------------------- synergy

#[test]
fn synergy_is_hand_worked() {
    on_each(envs, async |env| {
        // c1's members in 2024 as p1's officer: o1 and o4 enterprises in
        // C34, o2 a university in P85, o3 government in O84. Actor type and
        // industry determine each other: T = H(1/2, 1/4, 1/4) = 1.5 bits.
        let v = env
            .ok(
                "officer",
                "/api/v1/clusters/c1/synergy?period=2024&columns=actor_type,industry",
            )
            .await;
        assert_eq!(
            (&v["cluster"], &v["period"], &v["columns"]),
            (
                &json!("c1"),
                &json!("2024"),
                &json!(["actor_type", "industry"])
            )
        );
        assert_eq!(
            (&v["rows"], &v["dimensions"]),
            (&json!(4), &json!(2)),
            "{v}"
        );
        assert!(close(&v["mutual_information_bits"], 1.5), "{v}");
    });
}

#[test]
fn the_default_synergy_columns_take_the_region_which_no_member_has() {
    on_each(envs, async |env| {
        // No member has a region: none counts and there is no value.
        let v = env.ok("officer", "/api/v1/clusters/c1/synergy").await;
        assert_eq!(v["columns"], json!(["actor_type", "region", "industry"]));
        assert_eq!(v["rows"], 0);
        assert!(v["mutual_information_bits"].is_null(), "{v}");
    });
}

#[test]
fn synergy_counts_the_members_of_its_period() {
    on_each(envs, async |env| {
        // In 2022 o4 is not a member yet: H(1/3, 1/3, 1/3) = log2 3.
        let v = env
            .ok(
                "officer",
                "/api/v1/clusters/c1/synergy?period=2022&columns=industry,actor_type",
            )
            .await;
        assert_eq!(v["rows"], 3, "{v}");
        assert!(close(&v["mutual_information_bits"], 3f64.log2()), "{v}");
    });
}

#[test]
fn a_private_member_counts_for_the_managers_only() {
    on_each(envs, async |env| {
        // The manager reads o5 (research, M72) too: five members, types
        // (2, 1, 1, 1) and industries alike, T = H(2/5, 1/5, 1/5, 1/5).
        let path = "/api/v1/clusters/c1/synergy?period=2024&columns=actor_type,industry";
        let v = env.ok("manager", path).await;
        assert_eq!(v["rows"], 5, "{v}");
        let h = -(0.4f64 * 0.4f64.log2() + 3.0 * 0.2 * 0.2f64.log2());
        assert!(close(&v["mutual_information_bits"], h), "{v}");
    });
}

#[test]
fn a_hidden_member_changes_no_synergy() {
    on_both(async |full, bare| {
        let path = "/api/v1/clusters/c1/synergy?period=2024&columns=actor_type,industry";
        assert_eq!(
            full.ok("officer", path).await,
            bare.ok("officer", path).await
        );
        assert_ne!(
            full.ok("manager", path).await,
            bare.ok("manager", path).await
        );
    });
}

#[test]
fn synergy_is_asked_by_the_clusters_readers_only() {
    on_each(envs, async |env| {
        let path = "/api/v1/clusters/c1/synergy";
        env.refused(
            "outsider",
            path,
            StatusCode::FORBIDDEN,
            "analysed for its managers",
        )
        .await;
        let (s, _) = env.get("public", path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = env.get("admin", "/api/v1/clusters/nope/synergy").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    });
}

#[test]
fn bad_synergy_asks_are_refused_with_their_reason() {
    on_each(envs, async |env| {
        for (query, needle) in [
            ("?columns=actor_type,colour", "no attribute 'colour'"),
            ("?columns=region", "expected 2 to 4 attributes"),
            ("?period=late", "period must be a year"),
            ("?colums=size,region", "colums"),
        ] {
            env.refused(
                "admin",
                &format!("/api/v1/clusters/c1/synergy{query}"),
                StatusCode::BAD_REQUEST,
                needle,
            )
            .await;
        }
    });
}

// ------------------------------------------------- a cluster's network options

/// Two triangles joined by a bridge, the members of c1 (the clusters of
/// [`EMPTY`]): a, b, c (region R1) and d, e, f (region R2); c a university,
/// every other member an enterprise; ties a–b, a–c, b–c, c–d, d–e, d–f,
/// e–f. c and d are the only brokers: c between a or b and d, d between c
/// and e or f (two paths each way).
const BRIDGE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "region"],
        &[
            &["a", "A", "enterprise", "R1"],
            &["b", "B", "enterprise", "R1"],
            &["c", "C", "university", "R1"],
            &["d", "D", "enterprise", "R2"],
            &["e", "E", "enterprise", "R2"],
            &["f", "F", "enterprise", "R2"],
            &["o1", "Acme", "enterprise", "R9"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[&["c1", "Bridge", "R1"], &["c2", "Other", "R2"]],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since", "visibility"],
        &[
            &["c1", "a", "core", "", "cluster"],
            &["c1", "b", "core", "", "cluster"],
            &["c1", "c", "core", "", "cluster"],
            &["c1", "d", "core", "", "cluster"],
            &["c1", "e", "core", "", "cluster"],
            &["c1", "f", "core", "", "cluster"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "visibility"],
        &[
            &["a", "b", "contract", "cluster"],
            &["a", "c", "contract", "cluster"],
            &["b", "c", "contract", "cluster"],
            &["c", "d", "contract", "cluster"],
            &["d", "e", "contract", "cluster"],
            &["d", "f", "contract", "cluster"],
            &["e", "f", "contract", "cluster"],
        ],
    ),
];

/// A register of [`BRIDGE`] on each backend.
async fn bridge() -> Vec<Env> {
    common::envs("added_bridge", BRIDGE, Config::default()).await
}

/// Each member's `field` in an answer's `nodes`, by id.
fn by_id(v: &Value, field: &str) -> std::collections::BTreeMap<String, Value> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_owned(), n[field].clone()))
        .collect()
}

#[test]
fn the_default_network_analysis_is_unchanged_and_names_no_option() {
    on_each(bridge, async |env| {
        let plain = env.ok("admin", "/api/v1/clusters/c1/network").await;
        // The two triangles, by modularity 2·(3/7 − (7/14)²) = 5/14.
        let c = &plain["communities"];
        assert_eq!(
            (&c["method"], &c["quality"], &c["sizes"]),
            (&json!("leiden"), &json!("modularity"), &json!([3, 3]))
        );
        assert!(close(&c["modularity"], 5.0 / 14.0), "{c}");
        assert!(c.get("optimised").is_none(), "{c}");
        for n in plain["nodes"].as_array().unwrap() {
            for k in ["eigenvector", "constraint", "effective_size"] {
                assert!(n.get(k).is_none(), "{k} unasked: {n}");
            }
        }
        // The defaults named are the default, from the same cache entry.
        let named = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/network?method=leiden&quality=modularity&resolution=1&seed=0",
            )
            .await;
        assert_eq!(named["cached"], true, "{named}");
        assert_eq!(uncached(named), uncached(plain));
    });
}

#[test]
fn communities_follow_the_method_quality_resolution_and_seed_asked_for() {
    on_each(bridge, async |env| {
        // CPM at γ = 2: a pair inside a community costs 2 per tie it holds
        // at most, so every member alone (H = 0) is best.
        let cpm = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/network?quality=cpm&resolution=2",
            )
            .await;
        let c = &cpm["communities"];
        assert_eq!(c["quality"], "cpm");
        assert_eq!(c["sizes"], json!([1, 1, 1, 1, 1, 1]), "{c}");
        assert!(close(&c["optimised"], 0.0), "{c}");
        assert_eq!(cpm["cached"], false);
        // CPM at γ = 0.5: each triangle 3 − 0.5·3 = 1.5, H = 3.
        let cpm = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/network?quality=cpm&resolution=0.5",
            )
            .await;
        assert_eq!(cpm["communities"]["sizes"], json!([3, 3]));
        assert!(close(&cpm["communities"]["optimised"], 3.0), "{cpm}");
        // Louvain finds the triangles too, and says so.
        let louvain = env
            .ok("admin", "/api/v1/clusters/c1/network?method=louvain&seed=7")
            .await;
        let c = &louvain["communities"];
        assert_eq!((&c["method"], &c["seed"]), (&json!("louvain"), &json!(7)));
        assert_eq!(c["sizes"], json!([3, 3]));
        let community = by_id(&louvain, "community");
        assert_eq!(community["a"], community["c"]);
        assert_ne!(community["c"], community["d"]);
    });
}

#[test]
fn extra_metrics_are_hand_worked() {
    on_each(bridge, async |env| {
        let v = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/network?metrics=effective_size,constraint,eigenvector",
            )
            .await;
        // Effective size n − 2t/n: a's alters b, c share a tie (2 − 1 = 1);
        // c's alters a, b, d share one (3 − 2/3).
        let es = by_id(&v, "effective_size");
        assert!(
            close(&es["a"], 1.0) && close(&es["c"], 3.0 - 2.0 / 3.0),
            "{v}"
        );
        // Constraint Σ_j (p_ij + Σ_q p_iq p_qj)²: a: (1/2 + 1/2·1/3)² +
        // (1/2 + 1/2·1/2)² = 4/9 + 9/16; c: 2·(1/3 + 1/3·1/2)² + (1/3)².
        let cs = by_id(&v, "constraint");
        assert!(close(&cs["a"], 4.0 / 9.0 + 9.0 / 16.0), "{v}");
        assert!(close(&cs["c"], 0.5 + 1.0 / 9.0), "{v}");
        // Eigenvector: λ = 1 + √2, x_c = √2·x_a, 8·x_a² = 1.
        let ev = by_id(&v, "eigenvector");
        let near = |x: &Value, want: f64| (x.as_f64().unwrap() - want).abs() < 1e-5;
        assert!(
            near(&ev["a"], 8f64.sqrt().recip()) && near(&ev["c"], 0.5),
            "{v}"
        );
        assert!(
            near(&ev["f"], 8f64.sqrt().recip()) && near(&ev["d"], 0.5),
            "{v}"
        );
    });
}

#[test]
fn brokerage_by_region_tells_representatives_from_gatekeepers() {
    on_each(bridge, async |env| {
        // By actor type c (the university) is itinerant on its 4 paths
        // between enterprises.
        let by_type = env.ok("admin", "/api/v1/clusters/c1/brokerage").await;
        assert_eq!(by_type["groups"], "actor_type");
        let c = by_type["nodes"].as_array().unwrap()[2].clone();
        assert_eq!(
            (&c["id"], &c["itinerant"]),
            (&json!("c"), &json!(4.0)),
            "{c}"
        );
        assert!(c.get("group").is_none(), "{c}");
        // By region: a → c → d and b → c → d leave c's region R1 for R2,
        // d → c → a and d → c → b enter it: 2 and 2, none itinerant.
        let by_region = env
            .ok("admin", "/api/v1/clusters/c1/brokerage?group=region")
            .await;
        assert_eq!(by_region["groups"], "region");
        let c = by_region["nodes"].as_array().unwrap()[2].clone();
        assert_eq!(c["group"], "R1");
        assert_eq!(
            (
                &c["representative"],
                &c["gatekeeper"],
                &c["itinerant"],
                &c["total"]
            ),
            (&json!(2.0), &json!(2.0), &json!(0.0), &json!(4.0)),
            "{c}"
        );
    });
}

#[test]
fn recommendations_follow_the_score_top_and_member_asked_for() {
    on_each(bridge, async |env| {
        let all = env.ok("admin", "/api/v1/clusters/c1/recommendations").await;
        let only = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/recommendations?for=a&top=1&score=common_neighbors",
            )
            .await;
        let s = only["suggestions"].as_array().unwrap();
        assert_eq!(s.len(), 1, "{only}");
        // a's one candidate with a common neighbour is d (through c).
        assert_eq!(
            (&s[0]["source"], &s[0]["target"]),
            (&json!("a"), &json!("d"))
        );
        assert_eq!(s[0]["common_neighbors"], 1);
        assert!(all["suggestions"].as_array().unwrap().len() > 1, "{all}");
    });
}

#[test]
fn the_barter_model_runs_on_a_clusters_network() {
    on_each(bridge, async |env| {
        let v = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/diffusion?model=cowan-jonard&categories=3&alpha=0.5&seed=4",
            )
            .await;
        assert_eq!(
            (&v["model"], &v["agents"], &v["edges"], &v["categories"]),
            (&json!("cowan-jonard"), &json!(6), &json!(7), &json!(3)),
            "{v}"
        );
        assert_eq!(v["steady"], true, "{v}");
        assert!(v["trades"].as_u64().unwrap() > 0, "{v}");
        // The same seed, the same run (from the cache); another seed runs
        // anew.
        let again = env
            .ok(
                "admin",
                "/api/v1/clusters/c1/diffusion?model=cowan-jonard&categories=3&alpha=0.5&seed=4",
            )
            .await;
        assert_eq!(again["cached"], true);
        assert_eq!(uncached(again), uncached(v));
        // The cascade, the default, keeps its answer.
        let cascade = env
            .ok("admin", "/api/v1/clusters/c1/diffusion?runs=10")
            .await;
        assert!(
            cascade["nodes"].is_array() && cascade.get("agents").is_none(),
            "{cascade}"
        );
    });
}

#[test]
fn a_clusters_network_exports_as_gexf_and_graphml() {
    on_each(bridge, async |env| {
        for (format, content_type, root) in [
            ("gexf", "application/gexf+xml", "<gexf "),
            ("graphml", "application/graphml+xml", "<graphml "),
        ] {
            let (status, headers, bytes) = env
                .bytes(
                    "admin",
                    &format!("/api/v1/clusters/c1/network/export?format={format}"),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{format}");
            assert_eq!(headers["content-type"], content_type);
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(root), "{text}");
            // Six members, seven ties, each member's region and degree.
            let parsed = if format == "gexf" {
                weaver_io::graph::read_gexf(&text)
            } else {
                weaver_io::graph::read_graphml(&text)
            }
            .unwrap();
            assert_eq!(parsed.node_ids, ["a", "b", "c", "d", "e", "f"]);
            assert_eq!(parsed.edges.len(), 7);
            let column = |name: &str| {
                parsed
                    .attributes
                    .iter()
                    .find(|(n, _)| n == name)
                    .unwrap_or_else(|| panic!("{name} in {text}"))
                    .1
                    .clone()
            };
            assert_eq!(column("region")[3].as_deref(), Some("R2"));
            assert_eq!(
                column("degree")[2]
                    .as_deref()
                    .map(|d| d.parse::<f64>().unwrap()),
                Some(3.0)
            );
        }
    });
}

#[test]
fn bad_network_options_are_refused_with_their_choices() {
    on_each(bridge, async |env| {
        let c = "/api/v1/clusters/c1";
        for (query, needle) in [
            (
                "/network?method=girvan",
                "method: 'girvan' is not one of leiden, louvain",
            ),
            (
                "/network?quality=potts",
                "quality: 'potts' is not one of modularity, cpm",
            ),
            (
                "/network?resolution=0",
                "resolution must be a number above 0",
            ),
            ("/network?resolution=5000", "at most 1000"),
            (
                "/network?metrics=eigenvector,betweenness",
                "metrics: 'betweenness' is not one of eigenvector, constraint, effective_size",
            ),
            (
                "/brokerage?group=colour",
                "group: 'colour' is not one of actor_type, region, industry, size",
            ),
            (
                "/recommendations?score=magic",
                "score: 'magic' is not one of common_neighbors, jaccard",
            ),
            ("/recommendations?top=0", "top must be between 1 and 50"),
            ("/recommendations?top=51", "top must be between 1 and 50"),
            ("/recommendations?for=zz", "for: 'zz' is not a member"),
            (
                "/diffusion?model=sir",
                "model: 'sir' is not one of cascade, cowan-jonard",
            ),
            (
                "/diffusion?model=cowan-jonard&categories=0",
                "categories must be between 1 and 100",
            ),
            (
                "/diffusion?model=cowan-jonard&alpha=1.5",
                "alpha must be above 0 and at most 1",
            ),
            (
                "/diffusion?model=cowan-jonard&runs=10",
                "runs is a setting of model=cascade",
            ),
            (
                "/diffusion?alpha=0.5",
                "alpha is a setting of model=cowan-jonard",
            ),
            (
                "/network/export?format=dot",
                "format: 'dot' is not one of gexf, graphml",
            ),
            (
                "/network/export?format=gexf&metrics=closeness",
                "metrics: 'closeness' is not one of degree",
            ),
        ] {
            env.refused(
                "admin",
                &format!("{c}{query}"),
                StatusCode::BAD_REQUEST,
                needle,
            )
            .await;
        }
        // A bad period is refused before anything is read.
        env.refused(
            "admin",
            "/api/v1/clusters/c2/network/export?format=gexf&period=20x",
            StatusCode::BAD_REQUEST,
            "period",
        )
        .await;
        // Who may not read the network gets no file.
        let (status, _, _) = env
            .bytes("outsider", &format!("{c}/network/export?format=gexf"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    });
}

// ------------------------------------------------------------ directed ties

/// c1 of four members, a and b enterprises, c and d universities; the
/// ties a → b and b → c are directed (a licence, a supply), c — d is not.
const CHAIN: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[
            &["a", "A", "enterprise"],
            &["b", "B", "enterprise"],
            &["c", "C", "university"],
            &["d", "D", "university"],
            &["o1", "Acme", "enterprise"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[&["c1", "Chain", "R1"], &["c2", "Other", "R2"]],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since", "visibility"],
        &[
            &["c1", "a", "core", "", "cluster"],
            &["c1", "b", "core", "", "cluster"],
            &["c1", "c", "core", "", "cluster"],
            &["c1", "d", "core", "", "cluster"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "directed", "visibility"],
        &[
            &["a", "b", "license", "true", "cluster"],
            &["b", "c", "supply", "true", "cluster"],
            &["c", "d", "contract", "false", "cluster"],
        ],
    ),
];

#[test]
fn directed_ties_are_arcs_where_an_analysis_has_a_directed_form() {
    on_each(
        async || common::envs("added_chain", CHAIN, Config::default()).await,
        async |env| {
            // Brokerage on the arcs: b only a representative (a → b → c,
            // enterprise → enterprise → university), c only a gatekeeper
            // (b → c → d); read undirected both would be both.
            let b = env.ok("admin", "/api/v1/clusters/c1/brokerage").await;
            assert_eq!(b["form"], "directed", "{b}");
            let role = |i: usize, r: &str| b["nodes"][i][r].as_f64().unwrap();
            assert_eq!(
                (role(1, "representative"), role(1, "gatekeeper")),
                (1.0, 0.0)
            );
            assert_eq!(
                (role(2, "representative"), role(2, "gatekeeper")),
                (0.0, 1.0)
            );
            // In/out degree and PageRank on the arcs (NetworkX's values,
            // crates/weaver-service/tests/fixtures/directed_ties.py).
            let n = env.ok("admin", "/api/v1/clusters/c1/network").await;
            assert_eq!(n["form"], "directed", "{n}");
            let nodes = n["nodes"].as_array().unwrap();
            let degrees: Vec<(i64, i64)> = nodes
                .iter()
                .map(|x| {
                    (
                        x["in_degree"].as_i64().unwrap(),
                        x["out_degree"].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(degrees, [(0, 1), (1, 1), (2, 1), (1, 1)]);
            for (x, want) in nodes.iter().zip([0.0375, 0.069375, 0.4625, 0.430625]) {
                assert!((x["pagerank"].as_f64().unwrap() - want).abs() < 1e-6, "{x}");
            }
            // What has no directed form says it read the ties undirected.
            let warned = |v: &Value| {
                v["warnings"][0]
                    .as_str()
                    .is_some_and(|w| w.starts_with("2 of the 3 ties are directed"))
            };
            assert!(warned(&n), "{n}");
            let r = env.ok("admin", "/api/v1/clusters/c1/recommendations").await;
            assert!(warned(&r), "{r}");
            let d = env
                .ok("admin", "/api/v1/clusters/c1/diffusion?runs=10")
                .await;
            assert!(warned(&d), "{d}");
            let c = env
                .ok(
                    "admin",
                    "/api/v1/clusters/c1/compare?before=2020&after=2024",
                )
                .await;
            let w = c["warnings"][1].as_str().unwrap_or_default();
            assert!(w.starts_with("2024: 2 of the 3 ties are directed"), "{c}");
        },
    );
}
