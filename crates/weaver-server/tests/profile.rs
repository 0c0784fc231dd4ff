//! The web UI's one-call answers (issue 19), on SQLite and PostgreSQL: a
//! cluster's profile (`/clusters/{id}/profile`: counts of every current
//! membership, names only where the caller may read them) and the
//! vocabulary (`/vocabulary`: every enum's values with both labels, public
//! and cacheable).
//!
//! The fixture: cluster c1 (public, region r1, programmes p1 public and p2
//! private) with current memberships of o1 (enterprise, core, public), o2
//! (university, partner, cluster-visible) and o3 (research, core, private;
//! the organization private too), an ended one of o4 (finance, 2019–2021)
//! and a future one of o5 (from 2999); board seats of o1 (chair, public)
//! and o3 (member, private) and an ended seat of o4. Cluster c3 is private.
//! Cluster c2 lies in another country (region r2, Germany). Projects pr1
//! (public, c1), pr2 (cluster-visible, c1) and pr3 (c2); funding of c1, its
//! projects and c2 over 2023–2024 in CNY and EUR; observations of c1, c2
//! and c3 in years and a quarter, one of a private indicator.

use axum::http::{StatusCode, header};
use serde_json::Value;
use weaver_core::enums::{ActorType, Tier};
use weaver_server::Config;

mod common;
use common::{Env, Table, on_each};

const FIXTURE: &[Table] = &[
    (
        "regions",
        &["id", "name", "name_en", "level", "country", "visibility"],
        &[
            &["r1", "苏州市", "Suzhou", "prefecture", "CN", "public"],
            &["r2", "斯图加特", "Stuttgart", "nuts2", "DE", "public"],
        ],
    ),
    (
        "programmes",
        &["id", "name", "name_en", "visibility"],
        &[
            &["p1", "火炬计划", "Torch", "public"],
            &["p2", "秘密计划", "Secret programme", "private"],
        ],
    ),
    (
        "organizations",
        &["id", "name", "name_en", "actor_type", "visibility"],
        &[
            &["o1", "Acme 机械", "Acme Machinery", "enterprise", "public"],
            &[
                "o2",
                "苏州大学",
                "Soochow University",
                "university",
                "public",
            ],
            &["o3", "Hidden Lab", "", "research", "private"],
            &["o4", "Old Bank", "", "finance", "public"],
            &["o5", "Future Co", "", "enterprise", "public"],
            &["o9", "Elsewhere", "", "user", "public"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region", "visibility"],
        &[
            &["c1", "Suzhou Nano", "r1", "public"],
            &["c2", "Other", "r2", "public"],
            &["c3", "Secret Cluster", "r1", "private"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster", "visibility"],
        &[
            &["p1", "c1", "public"],
            &["p2", "c1", "public"],
            &["p1", "c2", "public"],
        ],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since", "until", "visibility"],
        &[
            &["c1", "o1", "core", "2015-01-01", "", "public"],
            &["c1", "o2", "partner", "", "", "cluster"],
            &["c1", "o3", "core", "2018", "", "private"],
            &[
                "c1",
                "o4",
                "associate",
                "2019-01-01",
                "2021-12-31",
                "public",
            ],
            &["c1", "o5", "regional", "2999-01-01", "", "public"],
            &["c2", "o9", "core", "", "", "public"],
            &["c3", "o1", "core", "", "", "public"],
        ],
    ),
    (
        "governance",
        &[
            "cluster",
            "body",
            "org",
            "role",
            "since",
            "until",
            "visibility",
        ],
        &[
            &["c1", "board", "o1", "chair", "", "", "public"],
            &["c1", "board", "o3", "member", "", "", "private"],
            &["c1", "board", "o4", "vice_chair", "2019", "2021", "public"],
        ],
    ),
    (
        "projects",
        &[
            "id",
            "title",
            "cluster",
            "start",
            "end",
            "status",
            "currency",
            "visibility",
        ],
        &[
            &[
                "pr1",
                "Nano coatings",
                "c1",
                "2022-03-01",
                "2024-12-31",
                "running",
                "CNY",
                "public",
            ],
            &[
                "pr2",
                "Wafer pilot",
                "c1",
                "2024-01-01",
                "",
                "",
                "",
                "cluster",
            ],
            &["pr3", "Drives", "c2", "2023-01-01", "", "", "EUR", "public"],
        ],
    ),
    (
        "participations",
        &["project", "org", "role", "visibility"],
        &[
            &["pr1", "o1", "coordinator", "public"],
            &["pr1", "o2", "partner", "cluster"],
            &["pr2", "o1", "coordinator", "cluster"],
            &["pr3", "o9", "coordinator", "public"],
        ],
    ),
    (
        "funding",
        &[
            "recipient",
            "source_type",
            "programme",
            "amount",
            "currency",
            "year",
            "visibility",
        ],
        &[
            &[
                "c1",
                "central_gov",
                "p1",
                "1000000",
                "CNY",
                "2023",
                "public",
            ],
            &["c1", "local_gov", "", "500000", "CNY", "2023", "public"],
            &[
                "c1",
                "central_gov",
                "p1",
                "1200000",
                "CNY",
                "2024",
                "public",
            ],
            &["pr1", "private", "", "300000", "CNY", "2024", "public"],
            &["pr2", "venture", "", "800000", "CNY", "2024", "cluster"],
            &["c2", "supranational", "", "200000", "EUR", "2024", "public"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "visibility"],
        &[
            &["o1", "o2", "co_patent", "2023-01-01", "public"],
            &["o3", "o1", "supply", "2022-01-01", "public"],
            &["o1", "o4", "contract", "2024-01-01", "private"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "name_en", "unit", "direction", "visibility"],
        &[
            &[
                "members",
                "成员数",
                "Members",
                "count",
                "higher_better",
                "public",
            ],
            &[
                "public_funding_share",
                "公共资金占比",
                "Public funding share",
                "ratio",
                "lower_better",
                "public",
            ],
            &[
                "secret_kpi",
                "内部指标",
                "Internal KPI",
                "",
                "higher_better",
                "private",
            ],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2022", "30", "public"],
            &["c1", "members", "2023", "40", "public"],
            &["c1", "members", "2024", "60", "public"],
            &["c1", "members", "2024-Q3", "55", "public"],
            &["c1", "public_funding_share", "2023", "0.7", "cluster"],
            &["c1", "public_funding_share", "2024", "0.6", "public"],
            &["c1", "secret_kpi", "2024", "9", "public"],
            &["c2", "members", "2021", "10", "public"],
            &["c2", "members", "2025", "20", "public"],
            &["c3", "members", "2024", "5", "private"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("profile", FIXTURE, Config::default()).await
}

/// The profile of `cluster` as `who`, with status 200.
async fn profile(env: &Env, who: &str, cluster: &str) -> Value {
    let (status, v) = env
        .call(
            who,
            "GET",
            &format!("/api/v1/clusters/{cluster}/profile"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{who} {cluster}: {v}");
    v
}

/// The (org, org_name) of each row of a list of the profile.
fn named(v: &Value, list: &str) -> Vec<(String, Value)> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list}: {v}"))
        .iter()
        .map(|r| (r["org"].as_str().unwrap().to_owned(), r["org_name"].clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, Value)> {
    list.iter()
        .map(|(o, n)| ((*o).to_owned(), Value::from(*n)))
        .collect()
}

#[test]
fn the_public_gets_counts_of_every_current_membership_but_only_public_names() {
    on_each(envs, async |env| {
        let v = profile(env, "public", "c1").await;
        assert_eq!(v["cluster"]["name"], "Suzhou Nano");
        assert_eq!(v["region"]["name_en"], "Suzhou");
        let c = &v["member_counts"];
        // o1, o2, o3 are current; o4 has left, o5 has not joined yet.
        assert_eq!(c["members"], 3, "{c}");
        assert_eq!(c["memberships"], 3, "{c}");
        assert_eq!(c["by_actor_type"]["enterprise"], 1, "{c}");
        assert_eq!(c["by_actor_type"]["university"], 1, "{c}");
        assert_eq!(c["by_actor_type"]["research"], 1, "{c}");
        assert_eq!(c["by_actor_type"]["finance"], 0, "{c}");
        assert_eq!(
            c["by_actor_type"].as_object().unwrap().len(),
            ActorType::NAMES.len()
        );
        assert_eq!(c["by_tier"]["core"], 2, "{c}");
        assert_eq!(c["by_tier"]["partner"], 1, "{c}");
        assert_eq!(c["by_tier"]["associate"], 0, "{c}");
        assert_eq!(c["by_tier"]["regional"], 0, "{c}");
        assert_eq!(c["by_tier"].as_object().unwrap().len(), Tier::NAMES.len());
        let as_of = c["counted_as_of"].as_str().unwrap();
        assert_eq!(as_of.len(), 10, "{as_of}");
        // Names: the public membership's and the public seat's only.
        assert_eq!(named(&v, "memberships"), pairs(&[("o1", "Acme 机械")]));
        assert_eq!(v["memberships"][0]["org_name_en"], "Acme Machinery");
        assert_eq!(named(&v, "governance"), pairs(&[("o1", "Acme 机械")]));
        let text = v.to_string();
        for hidden in [
            "Hidden Lab",
            "o3",
            "o2",
            "苏州大学",
            "Secret programme",
            "秘密计划",
        ] {
            assert!(!text.contains(hidden), "{hidden} in {v}");
        }
        // Both programme links are public; the private programme's name is not.
        let progs = v["programmes"].as_array().unwrap();
        assert_eq!(progs.len(), 2, "{v}");
        let p1 = progs.iter().find(|p| p["programme"] == "p1").unwrap();
        assert_eq!(p1["programme_name"], "火炬计划");
        assert_eq!(p1["programme_name_en"], "Torch");
        let p2 = progs.iter().find(|p| p["programme"] == "p2").unwrap();
        assert_eq!(p2["programme_name"], Value::Null);
    });
}

#[test]
fn a_manager_of_the_cluster_gets_every_name_and_the_same_counts() {
    on_each(envs, async |env| {
        let public = profile(env, "public", "c1").await;
        let v = profile(env, "manager", "c1").await;
        assert_eq!(v["member_counts"], public["member_counts"]);
        // Sorted by tier (core first), then organization; ended and future
        // memberships are not current.
        assert_eq!(
            named(&v, "memberships"),
            pairs(&[
                ("o1", "Acme 机械"),
                ("o3", "Hidden Lab"),
                ("o2", "苏州大学")
            ])
        );
        assert_eq!(v["memberships"][1]["org_name_en"], Value::Null);
        // Chair first; the ended seat is not current.
        assert_eq!(
            named(&v, "governance"),
            pairs(&[("o1", "Acme 机械"), ("o3", "Hidden Lab")])
        );
        // The manager of another cluster reads c1's public names only.
        let other = profile(env, "outsider", "c1").await;
        assert_eq!(named(&other, "memberships"), pairs(&[("o1", "Acme 机械")]));
        assert_eq!(other["member_counts"], public["member_counts"]);
    });
}

#[test]
fn a_private_cluster_is_not_found_for_the_public_as_a_missing_one() {
    on_each(envs, async |env| {
        let (status, hidden) = env
            .call("public", "GET", "/api/v1/clusters/c3/profile", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{hidden}");
        let (status, missing) = env
            .call("public", "GET", "/api/v1/clusters/c4/profile", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(
            hidden.to_string().replace("c3", "ID"),
            missing.to_string().replace("c4", "ID")
        );
        assert!(!hidden.to_string().contains("Secret Cluster"));
        // The admin reads it, its one current membership counted.
        let v = profile(env, "admin", "c3").await;
        assert_eq!(v["member_counts"]["members"], 1);
    });
}

/// (id, participants) of the profile's projects.
fn projects(v: &Value) -> Vec<(String, i64)> {
    v["projects"]
        .as_array()
        .unwrap_or_else(|| panic!("no projects: {v}"))
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["participants"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// (year, source_type, currency, amount) of the profile's funding mix.
fn mix(v: &Value) -> Vec<(i64, String, String, f64)> {
    v["funding_mix"]
        .as_array()
        .unwrap_or_else(|| panic!("no funding_mix: {v}"))
        .iter()
        .map(|f| {
            (
                f["year"].as_i64().unwrap(),
                f["source_type"].as_str().unwrap().to_owned(),
                f["currency"].as_str().unwrap_or("").to_owned(),
                f["amount"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// (indicator, period, value) of the profile's indicators.
fn latest(v: &Value) -> Vec<(String, String, f64)> {
    v["indicators"]
        .as_array()
        .unwrap_or_else(|| panic!("no indicators: {v}"))
        .iter()
        .map(|i| {
            (
                i["indicator"].as_str().unwrap().to_owned(),
                i["period"].as_str().unwrap().to_owned(),
                i["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn row(year: i64, source: &str, currency: &str, amount: f64) -> (i64, String, String, f64) {
    (year, source.to_owned(), currency.to_owned(), amount)
}

#[test]
fn projects_funding_and_indicators_are_what_the_caller_reads() {
    on_each(envs, async |env| {
        let public = profile(env, "public", "c1").await;
        // pr2 is visible to the cluster only; of pr1's participations the
        // public reads o1's.
        assert_eq!(projects(&public), [("pr1".to_owned(), 1)]);
        let pr1 = &public["projects"][0];
        assert_eq!(pr1["title"], "Nano coatings");
        assert_eq!(
            (pr1["start_year"].as_i64(), pr1["end_year"].as_i64()),
            (Some(2022), Some(2024))
        );
        assert_eq!(pr1["by_role"]["coordinator"], 1, "{pr1}");
        // The cluster's and its readable project's funding, by year and
        // funder type; c2's is not its.
        let public_mix = vec![
            row(2023, "central_gov", "CNY", 1_000_000.0),
            row(2023, "local_gov", "CNY", 500_000.0),
            row(2024, "central_gov", "CNY", 1_200_000.0),
            row(2024, "private", "CNY", 300_000.0),
        ];
        assert_eq!(mix(&public), public_mix);
        // The latest of each readable indicator: the year 2024 ends after
        // its third quarter; the private indicator is left out.
        assert_eq!(
            latest(&public),
            [
                ("members".to_owned(), "2024".to_owned(), 60.0),
                ("public_funding_share".to_owned(), "2024".to_owned(), 0.6),
            ]
        );
        assert_eq!(public["indicators"][0]["unit"], "count");
        assert_eq!(public["indicators"][0]["name_en"], "Members");
        assert!(!public.to_string().contains("内部指标"));

        let manager = profile(env, "manager", "c1").await;
        assert_eq!(
            projects(&manager),
            [("pr1".to_owned(), 2), ("pr2".to_owned(), 1)]
        );
        assert_eq!(manager["projects"][0]["by_role"]["partner"], 1);
        let mut manager_mix = public_mix.clone();
        manager_mix.push(row(2024, "venture", "CNY", 800_000.0));
        assert_eq!(mix(&manager), manager_mix);
        assert_eq!(manager["member_counts"], public["member_counts"]);

        let admin = profile(env, "admin", "c1").await;
        assert!(
            latest(&admin).contains(&("secret_kpi".to_owned(), "2024".to_owned(), 9.0)),
            "{}",
            admin["indicators"]
        );
        // Another country's cluster: its own project and money.
        let c2 = profile(env, "public", "c2").await;
        assert_eq!(c2["region"]["country"], "DE");
        assert_eq!(projects(&c2), [("pr3".to_owned(), 1)]);
        assert_eq!(mix(&c2), [row(2024, "supranational", "EUR", 200_000.0)]);
        assert_eq!(
            latest(&c2),
            [("members".to_owned(), "2025".to_owned(), 20.0)]
        );
    });
}

#[test]
fn the_lifecycle_read_on_one_cluster_is_the_all_clusters_answer_for_it() {
    on_each(envs, async |env| {
        for who in [
            "public", "manager", "officer", "member", "outsider", "admin",
        ] {
            for cluster in ["c1", "c2"] {
                let v = profile(env, who, cluster).await;
                let (status, all) = env
                    .call(
                        who,
                        "GET",
                        &format!("/api/v1/evaluation/lifecycle?cluster={cluster}"),
                        None,
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{who}: {all}");
                let stages = v["lifecycle"]["stages"].as_array().unwrap();
                assert!(!stages.is_empty(), "{who} {cluster}: {v}");
                assert_eq!(v["lifecycle"]["stages"], all["stages"], "{who} {cluster}");
            }
        }
        // c1's current stage is its latest year's, with the evidence in
        // both languages: the public share of 0.6 in 2024.
        let v = profile(env, "public", "c1").await;
        let current = &v["lifecycle"]["current"];
        assert_eq!(current["period"], "2024", "{current}");
        let fired = current["fired"].as_array().unwrap();
        let share = fired
            .iter()
            .find(|f| f["rule"] == "public_share_dominant")
            .unwrap_or_else(|| panic!("{current}"));
        assert!(share["reason_en"].as_str().unwrap().contains("0.6"));
        assert!(share["reason_zh"].as_str().unwrap().contains("0.6"));
        // The manager reads the cluster-visible 2023 share too: 2023's
        // stages differ from the public's.
        let m = profile(env, "manager", "c1").await;
        let year = |v: &Value, p: &str| {
            v["lifecycle"]["stages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["period"] == p)
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_ne!(year(&m, "2023")["rules"], year(&v, "2023")["rules"]);
        // Nothing read of a cluster: no stage.
        let admin_c3 = profile(env, "admin", "c3").await;
        assert_eq!(admin_c3["lifecycle"]["stages"].as_array().unwrap().len(), 1);
    });
}

/// The profile of organization `org` as `who`, with status 200.
async fn org_profile(env: &Env, who: &str, org: &str) -> Value {
    let (status, v) = env
        .call(
            who,
            "GET",
            &format!("/api/v1/organizations/{org}/profile"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{who} {org}: {v}");
    v
}

/// The values of `a` and `b` of each row of `list`.
fn columns(v: &Value, list: &str, a: &str, b: &str) -> Vec<(Value, Value)> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list}: {v}"))
        .iter()
        .map(|r| (r[a].clone(), r[b].clone()))
        .collect()
}

fn vals(list: &[(&str, Value)]) -> Vec<(Value, Value)> {
    list.iter()
        .map(|(a, b)| (Value::from(*a), b.clone()))
        .collect()
}

#[test]
fn an_organization_profile_embeds_the_names_the_caller_reads() {
    on_each(envs, async |env| {
        let v = org_profile(env, "public", "o1").await;
        assert_eq!(v["organization"]["name_en"], "Acme Machinery");
        // Its public memberships (c3's is public but c3 is not: no name).
        assert_eq!(
            columns(&v, "memberships", "cluster", "cluster_name"),
            vals(&[("c1", "Suzhou Nano".into()), ("c3", Value::Null)])
        );
        assert_eq!(
            columns(&v, "governance", "cluster", "role"),
            vals(&[("c1", "chair".into())])
        );
        // The public participation of the public project.
        assert_eq!(
            columns(&v, "participations", "project", "project_title"),
            vals(&[("pr1", "Nano coatings".into())])
        );
        assert_eq!(v["participations"][0]["project_cluster"], "c1");
        assert_eq!(v["participations"][0]["project_currency"], "CNY");
        assert_eq!(
            v["participations"][0]["project_cluster_name"],
            "Suzhou Nano"
        );
        // Ties either way; the private organization's name is not given,
        // the private tie not listed.
        assert_eq!(
            columns(&v, "ties", "other", "other_name"),
            vals(&[("o2", "苏州大学".into()), ("o3", Value::Null)])
        );
        assert_eq!(v["ties"][0]["other_name_en"], "Soochow University");
        let text = v.to_string();
        for hidden in ["Hidden Lab", "Secret Cluster", "Wafer pilot", "o4"] {
            assert!(!text.contains(hidden), "{hidden} in {v}");
        }

        // The manager of c1 reads the cluster-visible participation and
        // project too; the admin every tie and name.
        let m = org_profile(env, "manager", "o1").await;
        assert_eq!(
            columns(&m, "participations", "project", "project_title"),
            vals(&[
                ("pr1", "Nano coatings".into()),
                ("pr2", "Wafer pilot".into())
            ])
        );
        let a = org_profile(env, "admin", "o1").await;
        assert_eq!(
            columns(&a, "ties", "other", "other_name"),
            vals(&[
                ("o2", "苏州大学".into()),
                ("o3", "Hidden Lab".into()),
                ("o4", "Old Bank".into())
            ])
        );
        assert_eq!(
            columns(&a, "memberships", "cluster", "cluster_name")[1],
            (Value::from("c3"), Value::from("Secret Cluster"))
        );
    });
}

#[test]
fn a_private_organization_is_not_found_as_a_missing_one() {
    on_each(envs, async |env| {
        let (status, hidden) = env
            .call("public", "GET", "/api/v1/organizations/o3/profile", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{hidden}");
        let (status, missing) = env
            .call("public", "GET", "/api/v1/organizations/o8/profile", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(
            hidden.to_string().replace("o3", "ID"),
            missing.to_string().replace("o8", "ID")
        );
        assert!(!hidden.to_string().contains("Hidden Lab"));
        let v = org_profile(env, "admin", "o3").await;
        assert_eq!(v["organization"]["name"], "Hidden Lab");
        assert_eq!(
            columns(&v, "memberships", "cluster", "tier"),
            vals(&[("c1", "core".into())])
        );
    });
}

fn head(h: &axum::http::HeaderMap, name: header::HeaderName) -> &str {
    h.get(&name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[test]
fn json_answers_to_gets_carry_an_etag_and_revalidate() {
    on_each(envs, async |env| {
        // The public: no credentials, no-cache; the tag answers 304.
        let (status, h, body) = env.bytes("public", "/api/v1/clusters/c1/profile").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(head(&h, header::CACHE_CONTROL), "no-cache");
        let etag = head(&h, header::ETAG).to_owned();
        assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
        let (again, h2, body2) = env.bytes("public", "/api/v1/clusters/c1/profile").await;
        assert_eq!((again, &body2), (StatusCode::OK, &body));
        assert_eq!(head(&h2, header::ETAG), etag);
        let path = "/api/v1/clusters/c1/profile";
        let (status, h3, empty) =
            get_with(&env.app, path, &[(header::IF_NONE_MATCH.as_str(), &etag)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(empty.is_empty());
        assert_eq!(head(&h3, header::ETAG), etag);
        // A signed-in caller: private, varying by credentials; their
        // answer differs from the public's, so does the tag.
        let bearer = "Bearer test-token-manager";
        let (status, hm, bm) =
            get_with(&env.app, path, &[(header::AUTHORIZATION.as_str(), bearer)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(bm, body);
        assert_eq!(head(&hm, header::CACHE_CONTROL), "private, no-cache");
        assert_eq!(head(&hm, header::VARY), "Cookie, Authorization");
        let manager_tag = head(&hm, header::ETAG).to_owned();
        assert_ne!(manager_tag, etag);
        let (status, _, _) = get_with(
            &env.app,
            path,
            &[
                (header::AUTHORIZATION.as_str(), bearer),
                (header::IF_NONE_MATCH.as_str(), &etag),
            ],
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the public's tag is not the manager's"
        );
        let (status, _, _) = get_with(
            &env.app,
            path,
            &[
                (header::AUTHORIZATION.as_str(), bearer),
                (header::IF_NONE_MATCH.as_str(), &manager_tag),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        // A write changes the answer and its tag.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/clusters/c1",
                Some(serde_json::json!({"name_en": "Suzhou Nano EN"})),
            )
            .await;
        assert!(s.is_success(), "{s}: {v}");
        let (status, h4, _) =
            get_with(&env.app, path, &[(header::IF_NONE_MATCH.as_str(), &etag)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(head(&h4, header::ETAG), etag);
        // Errors and other methods carry none.
        let (status, h, _) = env.bytes("public", "/api/v1/clusters/c3/profile").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(h.get(header::ETAG).is_none());
        let (status, h, _) = env
            .exchange(
                "admin",
                "POST",
                "/api/v1/programmes",
                Some(("{}".into(), "application/json")),
            )
            .await;
        assert!(status.is_client_error(), "{status}");
        assert!(h.get(header::ETAG).is_none());
        // The vocabulary keeps its own (static, public).
        let (_, h, _) = env.bytes("manager", "/api/v1/vocabulary").await;
        assert_eq!(head(&h, header::CACHE_CONTROL), "public, max-age=3600");
    });
}

#[test]
fn the_public_reads_every_vocabulary_with_both_labels_and_may_cache_it() {
    on_each(
        async || common::envs("vocabulary", FIXTURE, Config::default()).await,
        async |env| {
            let (status, headers, bytes) = env.bytes("public", "/api/v1/vocabulary").await;
            assert_eq!(status, StatusCode::OK);
            let v: Value = serde_json::from_slice(&bytes).unwrap();
            let vocab = |name: &str| -> Vec<Value> {
                v["vocabularies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == name)
                    .unwrap_or_else(|| panic!("no vocabulary {name}: {v}"))["values"]
                    .as_array()
                    .unwrap()
                    .clone()
            };
            let actors = vocab("actor_type");
            let names: Vec<&str> = actors.iter().filter_map(|t| t["value"].as_str()).collect();
            assert_eq!(names, ActorType::NAMES);
            assert_eq!(actors[0]["zh"], "政府");
            assert_eq!(actors[0]["en"], "Government");
            assert_eq!(vocab("tier").len(), Tier::NAMES.len());
            for name in [
                "body",
                "governance_role",
                "tie_kind",
                "source_type",
                "size_class",
                "lifecycle_stage",
                "policy_stage",
                "direction",
                "visibility",
            ] {
                for t in vocab(name) {
                    assert!(
                        t["zh"].as_str().is_some_and(|s| !s.is_empty()),
                        "{name}: {t}"
                    );
                    assert!(
                        t["en"].as_str().is_some_and(|s| !s.is_empty()),
                        "{name}: {t}"
                    );
                }
            }
            assert_eq!(
                headers[header::CACHE_CONTROL].to_str().unwrap(),
                "public, max-age=3600"
            );
            let etag = headers[header::ETAG].to_str().unwrap().to_owned();
            // A signed-in caller reads the same answer.
            let (_, h2, b2) = env.bytes("manager", "/api/v1/vocabulary").await;
            assert_eq!(b2, bytes);
            assert_eq!(h2[header::ETAG].to_str().unwrap(), etag);
            // Asked again with the tag: not modified, no body.
            let (status, _, body) = get_with(
                &env.app,
                "/api/v1/vocabulary",
                &[(header::IF_NONE_MATCH.as_str(), etag.as_str())],
            )
            .await;
            assert_eq!(status, StatusCode::NOT_MODIFIED);
            assert!(body.is_empty());
            let (status, _, _) = get_with(
                &env.app,
                "/api/v1/vocabulary",
                &[(header::IF_NONE_MATCH.as_str(), "\"other\"")],
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        },
    );
}

/// A GET of `path` on `app` by the public with the extra `headers`: the
/// status, headers and body.
async fn get_with(
    app: &axum::Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().method("GET").uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}
