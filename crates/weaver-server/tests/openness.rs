//! Openness beyond the cluster and the networks of several clusters, end to
//! end on SQLite and PostgreSQL: values worked by hand on a small register
//! of three clusters in three countries, the undisclosed partner counted
//! and never shown, and bad input refused with its reason.

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// Clusters c1 (members o1, o2, o3), c2 (o4, o5) and c3 (o5, o7; a private
/// cluster, read by admins only). o6 is in no cluster; o7 is a private
/// organization of c3 (read by admins only, not by c1's manager). Ties
/// valid in 2024: o1–o2 and o2–o3 among c1's members; o1–o4 (two rows:
/// one tie), o2–o5, o3–o5, o3–o6 and o1–o7 from c1 to outside; o4–o5 in
/// c2. o2–o6 ended in 2022.
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &[
            "id",
            "name",
            "actor_type",
            "region",
            "country",
            "visibility",
        ],
        &[
            &["o1", "Acme", "enterprise", "R1", "CN", "public"],
            &[
                "o2",
                "Chengdu University",
                "university",
                "R1",
                "CN",
                "public",
            ],
            &["o3", "Mianyang Works", "enterprise", "R2", "CN", "public"],
            &["o4", "Deyang Tools", "enterprise", "R1", "CN", "public"],
            &["o5", "Dresden Institute", "research", "R3", "DE", "public"],
            &["o6", "Sichuan Bureau", "government", "R1", "CN", "public"],
            &["o7", "Hidden Partner", "enterprise", "R9", "FR", "private"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region", "visibility"],
        &[
            &["c1", "Chengdu Software", "R1", "public"],
            &["c2", "Deyang Equipment", "R1", "public"],
            &["c3", "Secret Alliance", "R3", "private"],
        ],
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
            &["c1", "o1", "core", "2020", "public"],
            &["c1", "o2", "core", "2020", "public"],
            &["c1", "o3", "partner", "2020", "public"],
            &["c2", "o4", "core", "2020", "public"],
            &["c2", "o5", "core", "2020", "public"],
            &["c3", "o5", "core", "2020", "public"],
            &["c3", "o7", "core", "2020", "private"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "end"],
        &[
            &["o1", "o2", "contract", "2020", ""],
            &["o2", "o3", "co_publication", "2020", ""],
            &["o1", "o4", "contract", "2020", ""],
            &["o4", "o1", "co_publication", "2021", ""],
            &["o2", "o5", "co_patent", "2020", ""],
            &["o5", "o3", "contract", "2020", ""],
            &["o3", "o6", "contract", "2020", ""],
            &["o1", "o7", "supply", "2020", ""],
            &["o4", "o5", "contract", "2020", ""],
            &["o2", "o6", "contract", "2019", "2022"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("openness", FIXTURE, Config::default()).await
}

fn approx(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-12)
}

/// The entry of `by` for `attribute`.
fn by<'a>(v: &'a Value, attribute: &str) -> &'a Value {
    v["by"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["attribute"] == attribute)
        .unwrap_or_else(|| panic!("no {attribute} in {v}"))
}

/// (value, ties, partners) of the partner groups of `b`.
fn groups(b: &Value) -> Vec<(Value, u64, u64)> {
    b["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["value"].clone(),
                g["ties"].as_u64().unwrap(),
                g["partners"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (internal, external, unknown) of `b`, and whether its E-I index is
/// (E − I)/(E + I).
fn counts(b: &Value) -> (u64, u64, u64) {
    let (i, e) = (
        b["internal"].as_u64().unwrap(),
        b["external"].as_u64().unwrap(),
    );
    let want = (e as f64 - i as f64) / (e + i) as f64;
    assert!(approx(&b["ei_index"], want), "{b}");
    assert!(approx(&b["cross_share"], e as f64 / (e + i) as f64), "{b}");
    (i, e, b["unknown"].as_u64().unwrap())
}

#[test]
fn a_clusters_ties_beyond_it_are_counted_and_the_hidden_partner_is_undisclosed() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/clusters/c1/openness?period=2024",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["members"], 3);
        // Two ties among members; five to the outside (o1–o4 once though
        // two rows), one of them to o7, which the manager may not read.
        assert_eq!(
            v["ties"],
            json!({"internal": 2, "external": 5, "undisclosed": 1})
        );
        assert_eq!(
            v["partners"],
            json!({"total": 4, "disclosed": 3, "undisclosed": 1})
        );
        // (5 − 2)/(5 + 2).
        assert!(approx(&v["ei_index"], 3.0 / 7.0), "{v}");
        assert!(approx(&v["cross_share"], 5.0 / 7.0), "{v}");
        // Actor type: enterprise–enterprise o1–o4 internal; o1–o2, o2–o3,
        // o2–o5, o3–o5, o3–o6 across; o1–o7 of unknown type.
        let a = by(&v, "actor_type");
        assert_eq!(counts(a), (1, 5, 1));
        assert_eq!(
            groups(a),
            vec![
                (json!("research"), 2, 1),
                (json!("enterprise"), 1, 1),
                (json!("government"), 1, 1)
            ]
        );
        // Region: R1–R1 o1–o2 and o1–o4 internal; o2–o3, o2–o5, o3–o5,
        // o3–o6 across.
        let r = by(&v, "region");
        assert_eq!(counts(r), (2, 4, 1));
        assert_eq!(groups(r), vec![(json!("R1"), 2, 2), (json!("R3"), 2, 1)]);
        // Country: only the ties to o5 (DE) cross.
        let c = by(&v, "country");
        assert_eq!(counts(c), (4, 2, 1));
        assert_eq!(groups(c), vec![(json!("CN"), 2, 2), (json!("DE"), 2, 1)]);
        // Cluster: the members' ties against all the ties outside; o4 and
        // o5 in c2 (c3 is not the manager's to read), o6 in no cluster.
        let k = by(&v, "cluster");
        assert_eq!(counts(k), (2, 5, 0));
        assert_eq!(groups(k), vec![(json!("c2"), 3, 2), (Value::Null, 1, 1)]);
        // The members-only figures as before: o1–o2 and o2–o3 across types.
        let inner = &v["internal"][0];
        assert_eq!(inner["attribute"], "actor_type");
        assert_eq!(
            (&inner["external"], &inner["internal"]),
            (&json!(2), &json!(0))
        );
        // Nothing of o7 or c3: no id, name, attribute or group key.
        let text = v.to_string();
        for hidden in ["o7", "Hidden", "R9", "FR", "c3", "Secret"] {
            assert!(!text.contains(hidden), "{hidden} leaked: {text}");
        }
    });
}

#[test]
fn the_admin_reads_every_partner() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/clusters/c1/openness?period=2024",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["partners"],
            json!({"total": 4, "disclosed": 4, "undisclosed": 0})
        );
        assert_eq!(v["ties"]["undisclosed"], 0);
        // o1–o7 enterprise–enterprise now internal by type; FR crosses.
        assert_eq!(counts(by(&v, "actor_type")), (2, 5, 0));
        assert_eq!(counts(by(&v, "country")), (4, 3, 0));
        // o5 is in c2 and c3, o7 in c3: c3 has three ties to two partners.
        assert_eq!(
            groups(by(&v, "cluster")),
            vec![
                (json!("c2"), 3, 2),
                (json!("c3"), 3, 2),
                (Value::Null, 1, 1)
            ]
        );
    });
}

#[test]
fn openness_groups_by_the_attributes_asked_and_ties_outside_the_period_do_not_count() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/clusters/c1/openness?period=2024&group=cluster,region",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["groups"], json!(["cluster", "region"]));
        let attrs: Vec<&Value> = v["by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| &b["attribute"])
            .collect();
        assert_eq!(attrs, vec!["cluster", "region"]);
        // The members-only figures of the attributes asked but cluster.
        assert_eq!(v["internal"].as_array().unwrap().len(), 1);
        assert_eq!(v["internal"][0]["attribute"], "region");
        // In 2021 o2–o6 (2019–2022) is a tie too: six pairs outside.
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/clusters/c1/openness?period=2021",
                None,
            )
            .await;
        assert_eq!(v["ties"]["external"], 6, "{v}");
    });
}

#[test]
fn bad_openness_groups_are_refused_with_the_choices() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/clusters/c1/openness?group=size",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let m = v["error"]["message"].as_str().unwrap_or_default();
        assert!(
            m.contains("group") && m.contains("'size'") && m.contains("country"),
            "{v}"
        );
    });
}

#[test]
fn the_network_of_clusters_is_hand_worked() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/networks/clusters?period=2024",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // c1–c2: o1–o4, o2–o5, o3–o5; c1–c3: o2–o5, o3–o5, o1–o7; c2–c3:
        // o4–o5 (o4 in c2, o5 in c3) and o5 in both.
        assert_eq!(
            v["links"],
            json!([
                {"source": "c1", "target": "c2", "ties": 3, "shared_members": 0},
                {"source": "c1", "target": "c3", "ties": 3, "shared_members": 0},
                {"source": "c2", "target": "c3", "ties": 1, "shared_members": 1}
            ])
        );
        let c: Vec<(Value, Value, Value, Value)> = v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].clone(),
                    c["members"].clone(),
                    c["internal_ties"].clone(),
                    c["external_ties"].clone(),
                )
            })
            .collect();
        assert_eq!(
            c,
            vec![
                (json!("c1"), json!(3), json!(2), json!(6)),
                (json!("c2"), json!(2), json!(1), json!(4)),
                (json!("c3"), json!(2), json!(0), json!(4)),
            ]
        );
        // c1's manager reads c1 and c2, not c3 nor its memberships.
        let (s, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/networks/clusters?period=2024",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["links"],
            json!([{"source": "c1", "target": "c2", "ties": 3, "shared_members": 0}])
        );
        assert!(!v.to_string().contains("c3"), "{v}");
        let (s, _) = env
            .call("public", "GET", "/api/v1/networks/clusters", None)
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/networks/clusters?period=soon",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    });
}

#[test]
fn the_network_of_several_clusters_joins_their_members_and_the_ties_between() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/networks?clusters=c1,c2&period=2024",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["clusters"], json!(["c1", "c2"]));
        // o1–o2, o2–o3 (c1), o4–o5 (c2), o1–o4, o2–o5, o3–o5 between.
        assert_eq!(v["analysis"]["summary"]["nodes"], 5);
        assert_eq!(v["analysis"]["summary"]["edges"], 6);
        let degrees: Vec<(Value, Value)> = v["analysis"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["id"].clone(), n["degree"].clone()))
            .collect();
        assert_eq!(
            degrees,
            vec![
                (json!("o1"), json!(2)),
                (json!("o2"), json!(3)),
                (json!("o3"), json!(2)),
                (json!("o4"), json!(2)),
                (json!("o5"), json!(3)),
            ]
        );
        assert_eq!(
            v["links"],
            json!([{"source": "c1", "target": "c2", "ties": 3, "shared_members": 0}])
        );
        assert_eq!(v["memberships"][4], json!({"id": "o5", "clusters": ["c2"]}));
        // A cluster the caller may not read is not found, as a missing one.
        for (who, path) in [
            ("manager", "/api/v1/networks?clusters=c1,c3"),
            ("admin", "/api/v1/networks?clusters=c1,nowhere"),
        ] {
            let (s, v) = env.call(who, "GET", path, None).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {v}");
        }
        let (s, v) = env
            .call("admin", "GET", "/api/v1/networks?clusters=c1,,c2", None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("clusters"),
            "{v}"
        );
    });
}
