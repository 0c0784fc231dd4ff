//! The cluster directory (`GET /api/v1/directory`, issue 19) end to end on
//! SQLite and PostgreSQL: a register of three countries, nested regions,
//! clusters of every visibility, memberships current and ended, programme
//! links current and ended, and observations over several periods. Each
//! filter narrows what the caller reads; a rival manager's answer leaves
//! out what it may not read (a private cluster, another cluster's private
//! and cluster-level memberships and its cluster-level observations).

use axum::http::StatusCode;
use serde_json::Value;
use weaver_core::PackageBuilder;
use weaver_server::Config;
use weaver_store::{ImportOptions, Store};

mod common;

use common::{Env, on_each};

fn push(b: &mut PackageBuilder, table: &str, header: &[&str], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    let mut t = b.table(table, &format!("{table}.csv"), &header).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        t.push_row(i + 2, &cells);
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

async fn seed(store: &Store) {
    let mut b = PackageBuilder::new("directory");
    push(
        &mut b,
        "regions",
        &[
            "id", "name", "name_en", "level", "parent", "country", "lat", "lon",
        ],
        &[
            row(&["CN", "中国", "China", "country", "", "CN", "35", "103"]),
            row(&[
                "340000",
                "安徽省",
                "Anhui",
                "province",
                "CN",
                "CN",
                "31.8",
                "117.2",
            ]),
            row(&[
                "340100",
                "合肥市",
                "Hefei",
                "prefecture",
                "340000",
                "CN",
                "31.8",
                "117.3",
            ]),
            row(&[
                "DE",
                "Deutschland",
                "Germany",
                "country",
                "",
                "DE",
                "51",
                "10",
            ]),
            row(&[
                "DE1",
                "Baden-Württemberg",
                "",
                "state",
                "DE",
                "DE",
                "48.8",
                "9.2",
            ]),
            row(&["FR", "France", "France", "country", "", "FR", "46.5", "2.5"]),
        ],
    );
    push(
        &mut b,
        "programmes",
        &["id", "name"],
        &[row(&["p1", "Torch"]), row(&["p2", "Pôles"])],
    );
    let mut orgs = Vec::new();
    for i in 1..=20 {
        let kind = if i % 2 == 0 {
            "university"
        } else {
            "enterprise"
        };
        orgs.push(row(&[
            &format!("o{i}"),
            &format!("Org {i}"),
            kind,
            "public",
        ]));
    }
    orgs.push(row(&["o21", "Secret Works", "research", "private"]));
    push(
        &mut b,
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &orgs,
    );
    push(
        &mut b,
        "clusters",
        &[
            "id",
            "name",
            "name_en",
            "region",
            "country",
            "sectors",
            "founded",
            "management_fte",
            "website_en",
            "visibility",
        ],
        &[
            row(&[
                "c1",
                "合肥语音产业集群",
                "Hefei Speech",
                "340100",
                "CN",
                "C26;J62",
                "2015",
                "2",
                "true",
                "public",
            ]),
            row(&[
                "c2",
                "Stuttgart Auto",
                "",
                "DE1",
                "DE",
                "C29",
                "2010-05",
                "0.2",
                "false",
                "public",
            ]),
            row(&[
                "c3", "Lyon Bio", "", "FR", "FR", "C21", "2005", "", "", "public",
            ]),
            row(&[
                "c4",
                "Secret Cluster",
                "",
                "340000",
                "CN",
                "",
                "",
                "",
                "",
                "private",
            ]),
        ],
    );
    // c1: 16 public members of two types, one at cluster level and one
    // private (a private organization); c2: one current, one ended.
    let mut ms: Vec<Vec<String>> = (1..=16)
        .map(|i| row(&["c1", &format!("o{i}"), "core", "2018", "", "public"]))
        .collect();
    ms.push(row(&["c1", "o17", "partner", "2019", "", "cluster"]));
    ms.push(row(&["c1", "o21", "partner", "2019", "", "private"]));
    ms.push(row(&["c2", "o18", "core", "2012", "2020", "public"]));
    ms.push(row(&["c2", "o19", "core", "2012", "", "public"]));
    push(
        &mut b,
        "memberships",
        &["cluster", "org", "tier", "since", "until", "visibility"],
        &ms,
    );
    push(
        &mut b,
        "programme_clusters",
        &["programme", "cluster", "since", "until"],
        &[
            row(&["p1", "c1", "2019", ""]),
            row(&["p2", "c2", "2015", "2018"]),
            row(&["p2", "c3", "2016", ""]),
        ],
    );
    push(
        &mut b,
        "indicators",
        &["id", "name", "direction"],
        &[row(&["members", "Members", "higher_better"])],
    );
    push(
        &mut b,
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            row(&["c1", "members", "2022", "10", "cluster"]),
            row(&["c1", "members", "2023", "14", "cluster"]),
            row(&["c1", "members", "2024", "18", "cluster"]),
            row(&["c2", "members", "2023", "3", "public"]),
            row(&["c2", "members", "2024-Q2", "2", "public"]),
        ],
    );
    let pkg = b.finish(&|_, _| false).unwrap();
    store
        .import(&pkg, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap();
}

async fn envs() -> Vec<Env> {
    common::envs_with("directory", Config::default(), async |store: &Store| {
        seed(store).await;
        (common::accounts(store).await, ())
    })
    .await
}

async fn get(env: &Env, who: &str, query: &str) -> Value {
    let (s, v) = env
        .call(who, "GET", &format!("/api/v1/directory?{query}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{who} {query}: {v}");
    v
}

fn ids(v: &Value) -> Vec<String> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sorted(v: &Value) -> Vec<String> {
    let mut out = ids(v);
    out.sort();
    out
}

fn cluster<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in {v}"))
}

#[test]
fn each_caller_reads_its_own_directory() {
    on_each(envs, async |env| {
        // The public: the public clusters, every current membership counted
        // (counts are public, as on the profile), nobody named.
        let v = get(env, "public", "limit=1000").await;
        assert_eq!(sorted(&v), ["c1", "c2", "c3"]);
        assert_eq!(v["total"], 3);
        let c1 = cluster(&v, "c1");
        assert_eq!(c1["members"], 18);
        assert_eq!(
            c1["eccp"], "pass",
            "18 members of two types, 2 FTE, English website"
        );
        assert_eq!(c1["stage"], "none", "its observations are the cluster's");
        assert_eq!(c1["region_name"], "合肥市");
        assert_eq!(c1["region_name_en"], "Hefei");
        assert_eq!(c1["sectors"], serde_json::json!(["C26", "J62"]));
        let c2 = cluster(&v, "c2");
        assert_eq!(c2["members"], 1, "the ended membership is not counted");
        assert_eq!(c2["eccp"], "fail");
        assert_ne!(c2["stage"], "none", "public observations give it a stage");
        assert_eq!(c2["stage_period"], "2024-Q2", "the latest period");
        assert_eq!(cluster(&v, "c3")["eccp"], "fail");
        assert_eq!(v["countries"], serde_json::json!(["CN", "DE", "FR"]));
        assert_eq!(
            v["sectors"],
            serde_json::json!(["C21", "C26", "C29", "J62"])
        );
        let map: Vec<(String, i64)> = v["map"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["region"].as_str().unwrap().to_owned(),
                    m["clusters"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            map,
            [
                ("340100".to_owned(), 1),
                ("DE1".to_owned(), 1),
                ("FR".to_owned(), 1)
            ]
        );
        // c1's manager: the same count, and its stage.
        let v = get(env, "manager", "limit=1000").await;
        assert_eq!(sorted(&v), ["c1", "c2", "c3"], "not the private c4");
        let c1 = cluster(&v, "c1");
        assert_eq!(c1["members"], 18);
        assert_ne!(c1["stage"], "none");
        assert_eq!(c1["stage_period"], "2024");
        // The rival manager (of c2): the same count, none of what is c1's
        // alone (no stage from its cluster-level observations, no name).
        let v = get(env, "outsider", "limit=1000").await;
        assert_eq!(sorted(&v), ["c1", "c2", "c3"]);
        let c1 = cluster(&v, "c1");
        assert_eq!(c1["members"], 18);
        assert_eq!(c1["stage"], "none");
        assert_eq!(c1["stage_period"], Value::Null);
        let text = v.to_string();
        assert!(!text.contains("Secret"), "{text}");
        let v = get(env, "outsider", "stage=none&limit=1000").await;
        assert!(ids(&v).contains(&"c1".to_owned()));
        // The admin: everything.
        let v = get(env, "admin", "limit=1000").await;
        assert_eq!(sorted(&v), ["c1", "c2", "c3", "c4"]);
        assert_eq!(cluster(&v, "c1")["members"], 18);
    });
}

#[test]
fn the_directory_counts_members_as_the_profile_does() {
    on_each(envs, async |env| {
        for who in ["public", "manager", "outsider", "admin"] {
            let v = get(env, who, "limit=1000").await;
            for row in v["rows"].as_array().unwrap() {
                let id = row["id"].as_str().unwrap();
                let (s, p) = env
                    .call(who, "GET", &format!("/api/v1/clusters/{id}/profile"), None)
                    .await;
                assert_eq!(s, StatusCode::OK, "{who} {id}: {p}");
                assert_eq!(
                    row["members"], p["member_counts"]["members"],
                    "{who} reads {id}'s members as its profile counts them"
                );
            }
        }
    });
}

#[test]
fn filters_narrow_sort_and_page_on_the_server() {
    on_each(envs, async |env| {
        let q = async |who: &str, query: &str| sorted(&get(env, who, query).await);
        assert_eq!(
            q("admin", "region=CN").await,
            ["c1", "c4"],
            "the regions under China"
        );
        assert_eq!(q("admin", "region=340000").await, ["c1", "c4"]);
        assert_eq!(q("admin", "region=340100,FR").await, ["c1", "c3"]);
        assert_eq!(q("public", "region=CN").await, ["c1"]);
        assert_eq!(q("public", "country=DE,FR").await, ["c2", "c3"]);
        assert_eq!(q("public", "sector=C26").await, ["c1"]);
        assert_eq!(
            q("public", "sector=c2").await,
            ["c1", "c2", "c3"],
            "a prefix, any case"
        );
        assert_eq!(q("public", "sector=C29,C21").await, ["c2", "c3"]);
        assert_eq!(q("public", "programme=p1").await, ["c1"]);
        assert_eq!(
            q("public", "programme=p2").await,
            ["c3"],
            "c2's link has ended"
        );
        assert_eq!(q("public", "stage=none").await, ["c1", "c3"]);
        assert_eq!(q("manager", "stage=none").await, ["c3"]);
        assert_eq!(q("public", "eccp=true").await, ["c1"]);
        assert_eq!(q("public", "eccp=false").await, ["c2", "c3"]);
        assert_eq!(q("public", "q=speech").await, ["c1"]);
        assert_eq!(q("public", "q=%E8%AF%AD%E9%9F%B3").await, ["c1"]);
        assert_eq!(
            q("public", "country=CN&eccp=false").await,
            Vec::<String>::new()
        );
        // Sorted, missing values last whichever the order; paged with its total.
        assert_eq!(
            ids(&get(env, "admin", "sort=founded").await),
            ["c3", "c2", "c1", "c4"]
        );
        assert_eq!(
            ids(&get(env, "admin", "sort=founded&order=desc").await),
            ["c1", "c2", "c3", "c4"]
        );
        assert_eq!(
            ids(&get(env, "admin", "sort=members&order=desc&limit=1").await),
            ["c1"]
        );
        let v = get(env, "admin", "sort=founded&limit=2&offset=1").await;
        assert_eq!(ids(&v), ["c2", "c1"]);
        assert_eq!(
            (
                v["total"].as_i64(),
                v["limit"].as_i64(),
                v["offset"].as_i64()
            ),
            (Some(4), Some(2), Some(1))
        );
        // Bad parameters: a 400 naming them.
        for (query, says) in [
            ("stage=adolescence", "stage"),
            ("sort=secret", "sort"),
            ("order=up", "order"),
            ("eccp=maybe", "eccp"),
            ("limit=0", "limit"),
            ("limit=x", "limit"),
            ("offset=-1", "offset"),
            ("colour=red", "colour"),
        ] {
            let (s, v) = env
                .call("public", "GET", &format!("/api/v1/directory?{query}"), None)
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
            let m = v["error"]["message"].as_str().unwrap_or_default();
            assert!(m.contains(says), "{query}: {m}");
        }
    });
}

#[test]
fn the_profile_checks_the_eccp_criteria_as_the_directory_does() {
    on_each(envs, async |env| {
        let profile = async |who: &str, id: &str| {
            let (s, p) = env
                .call(who, "GET", &format!("/api/v1/clusters/{id}/profile"), None)
                .await;
            assert_eq!(s, StatusCode::OK, "{who} {id}: {p}");
            p["eccp"].clone()
        };
        // Worked by hand from the seed: c1 has 18 current members (16 public
        // of two actor types, enterprise → industry and university →
        // research, one at cluster level, one private research institute),
        // 2 FTE and an English website: every criterion met.
        let c1 = profile("public", "c1").await;
        assert_eq!(c1["eligible"], "pass", "{c1}");
        assert_eq!(c1["profile"]["members"], 18);
        assert_eq!(
            c1["profile"]["member_types"],
            serde_json::json!(["industry", "research"])
        );
        let outcomes = |v: &Value| -> Vec<(String, String, Value)> {
            v["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["id"].as_str().unwrap().to_owned(),
                        c["outcome"].as_str().unwrap().to_owned(),
                        c["actual"].clone(),
                    )
                })
                .collect()
        };
        let pass = |id: &str, x: f64| (id.to_owned(), "pass".to_owned(), serde_json::json!(x));
        assert_eq!(
            outcomes(&c1),
            [
                pass("committed_members", 18.0),
                pass("member_types", 2.0),
                pass("management_fte", 2.0),
                pass("english_website", 1.0),
            ]
        );
        // c2: one current member (the other left in 2020), 0.2 FTE, no
        // English website: every criterion failed.
        let c2 = profile("public", "c2").await;
        assert_eq!(c2["eligible"], "fail");
        let fail = |id: &str, x: f64| (id.to_owned(), "fail".to_owned(), serde_json::json!(x));
        assert_eq!(
            outcomes(&c2),
            [
                fail("committed_members", 1.0),
                fail("member_types", 1.0),
                fail("management_fte", 0.2),
                fail("english_website", 0.0),
            ]
        );
        // c3: no member, and neither FTE nor website known.
        let c3 = profile("public", "c3").await;
        assert_eq!(c3["eligible"], "fail");
        assert_eq!(
            outcomes(&c3)
                .into_iter()
                .map(|(id, o, _)| format!("{id} {o}"))
                .collect::<Vec<_>>(),
            [
                "committed_members fail",
                "member_types fail",
                "management_fte unknown",
                "english_website unknown"
            ]
        );
        // Whoever asks, the profile's outcome is the directory's.
        for who in ["public", "manager", "outsider", "admin"] {
            let v = get(env, who, "limit=1000").await;
            for row in v["rows"].as_array().unwrap() {
                let id = row["id"].as_str().unwrap();
                assert_eq!(
                    profile(who, id).await["eligible"],
                    row["eccp"],
                    "{who} {id}"
                );
            }
        }
    });
}

#[test]
fn the_directory_follows_each_write_and_keeps_each_callers_rights() {
    on_each(envs, async |env| {
        // The admin asks first: what it reads is kept for its rights alone.
        assert_eq!(
            sorted(&get(env, "admin", "limit=1000").await),
            ["c1", "c2", "c3", "c4"]
        );
        let public = get(env, "public", "limit=1000").await;
        assert_eq!(sorted(&public), ["c1", "c2", "c3"], "not the admin's c4");
        // The manager reads c1's stage from its cluster-level observations;
        // the rival manager, asking next, does not.
        assert_ne!(
            cluster(&get(env, "manager", "limit=1000").await, "c1")["stage"],
            "none"
        );
        assert_eq!(
            cluster(&get(env, "outsider", "limit=1000").await, "c1")["stage"],
            "none"
        );
        // Asked again, the same answer.
        assert_eq!(get(env, "public", "limit=1000").await, public);
        // A membership added to c2: the next question counts it.
        let m = serde_json::json!({"cluster": "c2", "org": "o20", "tier": "core", "since": "2020", "visibility": "public"});
        let (s, v) = env
            .call("admin", "POST", "/api/v1/memberships", Some(m))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let v = get(env, "public", "limit=1000").await;
        assert_eq!(cluster(&v, "c2")["members"], 2);
        assert_eq!(
            cluster(&get(env, "outsider", "limit=1000").await, "c2")["members"],
            2
        );
        // A cluster renamed: found by its new name, no longer by the old.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/clusters/c3",
                Some(serde_json::json!({"name_en": "Lyon Biotech Valley"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(sorted(&get(env, "public", "q=valley").await), ["c3"]);
        // A cluster made private leaves the public directory at once.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/clusters/c3",
                Some(serde_json::json!({"visibility": "private"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            sorted(&get(env, "public", "limit=1000").await),
            ["c1", "c2"]
        );
    });
}
