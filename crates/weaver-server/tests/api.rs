//! The API end to end, on SQLite and on PostgreSQL (a fresh database on the
//! server named by `WEAVER_TEST_PG`; required when `WEAVER_REQUIRE_PG` or `CI`
//! is set, as in `.ci/run`): the role × endpoint × visibility matrix, writes
//! and their audit, undo, sessions, CSRF, tokens, throttling, and every class
//! of bad input answered with a 4xx.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use weaver_server::Config;
use weaver_store::Store;

mod common;

use common::{Env, Outbox, Table, on_each, rt};

/// Two programmes, each funding one cluster; organizations and rows of every
/// visibility in each.
const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name"],
        &[&["p1", "Torch"], &["p2", "Pôles"]],
    ),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme 机械", "enterprise", "public"],
            &["o2", "Lyon Labs", "research", "public"],
            &["o3", "Secret Works", "enterprise", "private"],
            &["o4", "Lone Firm", "enterprise", "public"],
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
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p2", "c2"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c1", "o3", "partner"],
            &["c2", "o2", "core"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start"],
        &[
            &["o1", "o3", "contract", "2022"],
            &["o2", "o4", "supply", "2021"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[&["members", "Members", "higher_better"]],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2024", "2", "cluster"],
            &["c2", "members", "2024", "1", "private"],
        ],
    ),
];

/// A bad request: method, path, body, content type, the status and error code expected.
type Case = (
    &'static str,
    &'static str,
    Option<String>,
    &'static str,
    StatusCode,
    &'static str,
);

/// A fresh register with the fixture on each backend that is available.
async fn envs() -> Vec<Env> {
    let config = Config {
        max_body: 64 * 1024,
        max_upload: 256 * 1024,
        ..Config::default()
    };
    common::envs("api", FIXTURE, config).await
}

impl Env {
    async fn total(&self, who: &str, table: &str) -> i64 {
        let (s, v) = self
            .call(who, "GET", &format!("/api/v1/{table}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{table} as {who}: {v}");
        v["total"].as_i64().unwrap()
    }

    async fn ids(&self, who: &str, table: &str, col: &str) -> Vec<String> {
        let (_, v) = self
            .call(who, "GET", &format!("/api/v1/{table}?sort={col}"), None)
            .await;
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[col].as_str().unwrap_or("").to_owned())
            .collect()
    }
}

#[test]
fn a_private_organization_is_read_by_its_clusters_manager_and_admins_only() {
    on_each(envs, async |env| {
        // o3 is private to c1 (its manager) and to nobody else.
        assert_eq!(
            env.ids("public", "organizations", "id").await,
            ["o1", "o2", "o4"]
        );
        assert_eq!(
            env.ids("admin", "organizations", "id").await,
            ["o1", "o2", "o3", "o4"]
        );
        assert_eq!(
            env.ids("manager", "organizations", "id").await,
            ["o1", "o2", "o3", "o4"]
        );
        assert_eq!(
            env.ids("outsider", "organizations", "id").await,
            ["o1", "o2", "o4"]
        );
        assert_eq!(
            env.ids("officer", "organizations", "id").await,
            ["o1", "o2", "o4"]
        );
        assert_eq!(
            env.ids("member", "organizations", "id").await,
            ["o1", "o2", "o4"]
        );
    });
}

#[test]
fn cluster_level_memberships_are_read_in_ones_own_clusters_only() {
    on_each(envs, async |env| {
        assert_eq!(env.total("public", "memberships").await, 0);
        assert_eq!(env.ids("manager", "memberships", "org").await, ["o1", "o3"]);
        assert_eq!(env.ids("outsider", "memberships", "org").await, ["o2"]);
        assert_eq!(env.ids("officer", "memberships", "org").await, ["o1", "o3"]);
        assert_eq!(env.ids("member", "memberships", "org").await, ["o1", "o3"]);
        assert_eq!(env.total("admin", "memberships").await, 3);
    });
}

#[test]
fn observations_are_read_by_their_clusters_cluster_level_or_private() {
    on_each(envs, async |env| {
        // c1's is cluster-level, c2's private.
        assert_eq!(env.total("public", "observations").await, 0);
        assert_eq!(env.ids("manager", "observations", "cluster").await, ["c1"]);
        assert_eq!(env.ids("officer", "observations", "cluster").await, ["c1"]);
        assert_eq!(env.ids("outsider", "observations", "cluster").await, ["c2"]);
        assert_eq!(env.total("admin", "observations").await, 2);
    });
}

#[test]
fn ties_are_read_through_either_ends_clusters() {
    on_each(envs, async |env| {
        assert_eq!(env.ids("manager", "ties", "source").await, ["o1"]);
        assert_eq!(env.ids("outsider", "ties", "source").await, ["o2"]);
        assert_eq!(env.total("public", "ties").await, 0);
    });
}

#[test]
fn public_tables_are_read_by_everyone() {
    on_each(envs, async |env| {
        assert_eq!(env.total("public", "clusters").await, 2);
        assert_eq!(env.total("public", "indicators").await, 1);
    });
}

#[test]
fn a_row_one_may_not_read_is_not_found_like_a_missing_one() {
    on_each(envs, async |env| {
        let (s, _) = env
            .call("outsider", "GET", "/api/v1/organizations/o3", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, v) = env
            .call("manager", "GET", "/api/v1/organizations/o3", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["name"], "Secret Works");
        let (s, _) = env
            .call("public", "GET", "/api/v1/organizations/nope", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    });
}

#[test]
fn lists_search_filter_sort_and_page() {
    on_each(envs, async |env| {
        let (_, v) = env
            .call("public", "GET", "/api/v1/organizations?q=acme", None)
            .await;
        assert_eq!(v["total"], 1);
        assert_eq!(v["rows"][0]["id"], "o1");
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/organizations?actor_type=enterprise&sort=name&order=desc&limit=2",
                None,
            )
            .await;
        assert_eq!(v["total"], 3);
        let names: Vec<&str> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Secret Works", "Lone Firm"]);
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/organizations?limit=2&offset=2",
                None,
            )
            .await;
        assert_eq!(v["rows"].as_array().unwrap().len(), 2);
        assert_eq!(v["rows"][0]["id"], "o3");
    });
}

/// `col=a,b` is any of a and b, `col>=v` and `col<=v` arrive as the keys
/// `col>` and `col<`; a wrong column, a range on an unordered column or a
/// bad value is a 400 naming the parameter; filters only narrow.
#[test]
fn lists_take_several_values_and_ranges() {
    on_each(envs, async |env| {
        let ids = |v: &Value, col: &str| -> Vec<String> {
            v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r[col].as_str().unwrap().to_owned())
                .collect()
        };
        let (s, v) = env
            .call("public", "GET", "/api/v1/organizations?id=o1,o3,o4", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(ids(&v, "id"), ["o1", "o4"], "the private o3 stays hidden");
        let (_, v) = env
            .call("admin", "GET", "/api/v1/organizations?id=o1,o3,o4", None)
            .await;
        assert_eq!(ids(&v, "id"), ["o1", "o3", "o4"]);
        let (_, v) = env
            .call("admin", "GET", "/api/v1/ties?start%3E=2022", None)
            .await;
        assert_eq!(ids(&v, "source"), ["o1"]);
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/ties?start%3E=2021&start%3C=2021-12",
                None,
            )
            .await;
        assert_eq!(ids(&v, "source"), ["o2"]);
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/observations?value%3E=1.5&period%3C=2024",
                None,
            )
            .await;
        assert_eq!(ids(&v, "cluster"), ["c1"]);
        let (_, v) = env
            .call("public", "GET", "/api/v1/observations?value%3E=0", None)
            .await;
        assert_eq!(v["total"], 0, "no observation is public: {v}");
        for (url, says) in [
            ("/api/v1/ties?nope%3E=1", "nope>="),
            ("/api/v1/organizations?name%3C=M", "name<="),
            ("/api/v1/ties?start%3E=2021-13", "start>="),
            ("/api/v1/observations?value%3C=lots", "value<="),
            (
                "/api/v1/organizations?actor_type=enterprise,pirate",
                "actor_type",
            ),
        ] {
            let (s, v) = env.call("admin", "GET", url, None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{url}: {v}");
            let m = v["error"]["message"].as_str().unwrap();
            assert!(m.contains(says), "{url}: {m}");
        }
    });
}

/// The organization the manager adds in `who_writes_what`'s rules.
fn new_org() -> Value {
    json!({"id": "o9", "name": "New Co", "actor_type": "enterprise"})
}

/// As the manager of c1: adds o9 and makes it a member of c1; the
/// membership's row_id.
async fn managers_new_member(env: &Env) -> i64 {
    let (s, v) = env
        .call("manager", "POST", "/api/v1/organizations", Some(new_org()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = env
        .call(
            "manager",
            "POST",
            "/api/v1/memberships",
            Some(json!({"cluster": "c1", "org": "o9", "tier": "regional"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["row_id"].as_i64().unwrap()
}

#[test]
fn the_public_officers_and_members_add_no_organization() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call("public", "POST", "/api/v1/organizations", Some(new_org()))
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            env.call("officer", "POST", "/api/v1/organizations", Some(new_org()))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call("member", "POST", "/api/v1/organizations", Some(new_org()))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn a_member_changes_its_own_organizations_profile_only() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "member",
                "PATCH",
                "/api/v1/organizations/o1",
                Some(json!({"website": "https://acme.example"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["website"], "https://acme.example");
        assert_eq!(
            v["name"], "Acme 机械",
            "a change keeps the fields it does not name"
        );
        assert_eq!(
            env.call(
                "member",
                "PATCH",
                "/api/v1/organizations/o4",
                Some(json!({"name": "Hijacked"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn an_officer_changes_no_cluster() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call(
                "officer",
                "PATCH",
                "/api/v1/clusters/c1",
                Some(json!({"name": "X"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn a_manager_adds_rows_to_its_own_clusters_only() {
    on_each(envs, async |env| {
        managers_new_member(env).await;
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/memberships",
                Some(json!({"cluster": "c2", "org": "o9", "tier": "core"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn a_manager_changes_its_own_cluster_but_deletes_none_and_adds_no_indicator() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call(
                "manager",
                "PATCH",
                "/api/v1/clusters/c1",
                Some(json!({"management_fte": 3.5}))
            )
            .await
            .0,
            StatusCode::OK
        );
        assert_eq!(
            env.call(
                "manager",
                "PATCH",
                "/api/v1/clusters/c2",
                Some(json!({"name": "Mine now"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call("manager", "DELETE", "/api/v1/clusters/c1", None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/indicators",
                Some(json!({"id": "x", "name": "X", "direction": "higher_better"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn moving_a_row_out_of_ones_clusters_is_refused_and_changes_nothing() {
    on_each(envs, async |env| {
        let membership = managers_new_member(env).await;
        let (s, _) = env
            .call(
                "manager",
                "PATCH",
                &format!("/api/v1/memberships/{membership}"),
                Some(json!({"cluster": "c2"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, v) = env
            .call(
                "admin",
                "GET",
                &format!("/api/v1/memberships/{membership}"),
                None,
            )
            .await;
        assert_eq!(v["cluster"], "c1");
    });
}

#[test]
fn another_clusters_rows_are_not_found_by_a_manager_who_deletes_its_own() {
    on_each(envs, async |env| {
        let membership = managers_new_member(env).await;
        // Another cluster's cluster-level rows are invisible, so "not found".
        let (_, v) = env
            .call("admin", "GET", "/api/v1/memberships?cluster=c2", None)
            .await;
        let other = v["rows"][0]["row_id"].as_i64().unwrap();
        assert_eq!(
            env.call(
                "manager",
                "DELETE",
                &format!("/api/v1/memberships/{other}"),
                None
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call(
                "manager",
                "DELETE",
                &format!("/api/v1/memberships/{membership}"),
                None
            )
            .await
            .0,
            StatusCode::OK
        );
    });
}

#[test]
fn every_write_is_audited_and_the_log_read_by_admins_officers_and_own_clusters_managers() {
    on_each(envs, async |env| {
        let (s, _) = env
            .call(
                "member",
                "PATCH",
                "/api/v1/organizations/o1",
                Some(json!({"website": "https://acme.example"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let membership = managers_new_member(env).await;
        let (s, _) = env
            .call(
                "manager",
                "PATCH",
                "/api/v1/clusters/c1",
                Some(json!({"management_fte": 3.5})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // A refused write leaves no entry.
        let (s, _) = env
            .call(
                "manager",
                "PATCH",
                &format!("/api/v1/memberships/{membership}"),
                Some(json!({"cluster": "c2"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = env
            .call(
                "manager",
                "DELETE",
                &format!("/api/v1/memberships/{membership}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            env.call("member", "GET", "/api/v1/audit", None).await.0,
            StatusCode::FORBIDDEN
        );
        // A manager reads the entries of its own clusters' rows; the
        // manager of c2 none of c1's. o2 (of c2) is public, read by the
        // manager of c1, but not one of its rows: its entry is c2's.
        let (s, _) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/organizations/o2",
                Some(json!({"website": "https://labs.example"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = env.call("manager", "GET", "/api/v1/audit", None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let seen = |v: &Value| -> Vec<(String, String, String)> {
            v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["action"].as_str().unwrap().to_owned(),
                        e["table"].as_str().unwrap().to_owned(),
                        e["actor"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        let entry = |a: &str, t: &str, who: &str| {
            (a.to_owned(), t.to_owned(), format!("{who}@example.org"))
        };
        assert_eq!(
            seen(&v),
            [
                entry("delete", "memberships", "manager"),
                entry("update", "clusters", "manager"),
                entry("create", "memberships", "manager"),
                entry("create", "organizations", "manager"),
                entry("update", "organizations", "member"),
            ]
        );
        let (s, v) = env.call("outsider", "GET", "/api/v1/audit", None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(seen(&v), [entry("update", "organizations", "admin")]);
        let (s, v) = env.call("officer", "GET", "/api/v1/audit", None).await;
        assert_eq!(s, StatusCode::OK);
        let actions: Vec<(String, String)> = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_owned(),
                    e["actor"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                // o2 is public: the officer reads its row and its entry.
                ("update".into(), "admin@example.org".into()),
                ("delete".into(), "manager@example.org".into()),
                ("update".into(), "manager@example.org".into()),
                ("create".into(), "manager@example.org".into()),
                ("create".into(), "manager@example.org".into()),
                ("update".into(), "member@example.org".into()),
            ]
        );
        let update = &v["entries"][2];
        assert_eq!(update["before"]["management_fte"], Value::Null);
        assert_eq!(update["after"]["management_fte"], 3.5);
    });
}

#[test]
fn a_row_others_refer_to_is_not_deleted_and_the_message_says_by_what() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call("admin", "DELETE", "/api/v1/organizations/o3", None)
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains("memberships.org") && msg.contains("ties.target"),
            "{msg}"
        );
    });
}

/// As the admin, deletes the tie from o1; the audit entry, the row_id and
/// the row as it was.
async fn deleted_tie(env: &Env) -> (i64, i64, Value) {
    let (_, v) = env
        .call("admin", "GET", "/api/v1/ties?source=o1", None)
        .await;
    let tie = v["rows"][0].clone();
    let row_id = tie["row_id"].as_i64().unwrap();
    let (s, v) = env
        .call("admin", "DELETE", &format!("/api/v1/ties/{row_id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(env.total("admin", "ties").await, 1);
    (v["audit_entry"].as_i64().unwrap(), row_id, tie)
}

#[test]
fn a_deleted_row_comes_back_as_it_was_by_an_admins_undo_only() {
    on_each(envs, async |env| {
        let (entry, row_id, tie) = deleted_tie(env).await;
        assert_eq!(
            env.call(
                "manager",
                "POST",
                &format!("/api/v1/audit/{entry}/undo"),
                None
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        let (s, v) = env
            .call(
                "admin",
                "POST",
                &format!("/api/v1/audit/{entry}/undo"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, back) = env
            .call("admin", "GET", &format!("/api/v1/ties/{row_id}"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(back, tie, "the row comes back as it was, with its row_id");
    });
}

#[test]
fn an_entry_is_undone_once() {
    on_each(envs, async |env| {
        let (entry, _, _) = deleted_tie(env).await;
        let undo = format!("/api/v1/audit/{entry}/undo");
        assert_eq!(
            env.call("admin", "POST", &undo, None).await.0,
            StatusCode::OK
        );
        assert_eq!(
            env.call("admin", "POST", &undo, None).await.0,
            StatusCode::CONFLICT
        );
    });
}

#[test]
fn undoing_an_update_restores_the_values_before_it() {
    on_each(envs, async |env| {
        env.call(
            "admin",
            "PATCH",
            "/api/v1/clusters/c2",
            Some(json!({"name": "Renamed"})),
        )
        .await;
        let (_, v) = env
            .call("admin", "GET", "/api/v1/audit?table=clusters&key=c2", None)
            .await;
        let update = v["entries"][0]["id"].as_i64().unwrap();
        assert_eq!(
            env.call(
                "admin",
                "POST",
                &format!("/api/v1/audit/{update}/undo"),
                None
            )
            .await
            .0,
            StatusCode::OK
        );
        let (_, v) = env.call("public", "GET", "/api/v1/clusters/c2", None).await;
        assert_eq!(v["name"], "Lyon Bio");
    });
}

#[test]
fn bad_input_gets_a_4xx_with_the_reason() {
    rt().block_on(async {
        for env in envs().await {
            let cases: Vec<Case> = vec![
                (
                    "POST",
                    "/api/v1/organizations",
                    Some("{\"id\": ".into()),
                    "application/json",
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some("[1, 2]".into()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_json",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some("{}".into()),
                    "text/plain",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(format!(
                        "{{\"id\": \"big\", \"name\": \"{}\", \"actor_type\": \"user\"}}",
                        "x".repeat(70_000)
                    )),
                    "application/json",
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"id": "o8", "name": "N", "actor_type": "factory"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(
                        json!({"id": "o8", "name": "N", "actor_type": "user", "employees": "many"})
                            .to_string(),
                    ),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(
                        json!({"id": "o8", "name": "N", "actor_type": "user", "colour": "red"})
                            .to_string(),
                    ),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"id": "o8", "name": ["N"], "actor_type": "user"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"name": "N", "actor_type": "user"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"id": "o1", "name": "Again", "actor_type": "user"}).to_string()),
                    "application/json",
                    StatusCode::CONFLICT,
                    "conflict",
                ),
                (
                    "POST",
                    "/api/v1/memberships",
                    Some(json!({"cluster": "c1", "org": "ghost", "tier": "core"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "POST",
                    "/api/v1/ties",
                    Some(json!({"source": "o1", "target": "o1", "kind": "contract"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "PATCH",
                    "/api/v1/organizations/o1",
                    Some(json!({"id": "o7"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "rejected",
                ),
                (
                    "PATCH",
                    "/api/v1/memberships/abc",
                    Some("{}".into()),
                    "application/json",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/memberships/99999",
                    None,
                    "",
                    StatusCode::NOT_FOUND,
                    "not_found",
                ),
                (
                    "GET",
                    "/api/v1/nonsense",
                    None,
                    "",
                    StatusCode::NOT_FOUND,
                    "not_found",
                ),
                (
                    "GET",
                    "/api/v1/organizations?limit=0",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/organizations?limit=ten",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/organizations?sort=password",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/organizations?order=sideways",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/organizations?employees=lots",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/organizations?colour=red",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/ties?q=x",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/audit?limit=x",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "GET",
                    "/api/v1/audit?who=me",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "POST",
                    "/api/v1/audit/notanumber/undo",
                    None,
                    "",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "POST",
                    "/api/v1/audit/424242/undo",
                    None,
                    "",
                    StatusCode::NOT_FOUND,
                    "not_found",
                ),
                (
                    "POST",
                    "/api/v1/users",
                    Some(json!({"email": "x@example.org", "role": "king"}).to_string()),
                    "application/json",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_json",
                ),
                (
                    "POST",
                    "/api/v1/users",
                    Some(json!({"email": "not-an-email", "role": "member"}).to_string()),
                    "application/json",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "POST",
                    "/api/v1/users",
                    Some(
                        json!({"email": "y@example.org", "role": "member", "password": "short"})
                            .to_string(),
                    ),
                    "application/json",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
                (
                    "POST",
                    "/api/v1/users/1/scopes",
                    Some(json!({"kind": "cluster", "ref": "c1"}).to_string()),
                    "application/json",
                    StatusCode::BAD_REQUEST,
                    "invalid",
                ),
            ];
            for (method, path, body, ct, want, code) in cases {
                let (s, v) = env.raw("admin", method, path, body.clone(), ct).await;
                assert_eq!(
                    s,
                    want,
                    "{method} {path} {:?}: {v}",
                    body.map(|b| b.chars().take(80).collect::<String>())
                );
                assert_eq!(v["error"]["code"], code, "{method} {path}: {v}");
                assert!(!v["error"]["message"].as_str().unwrap().is_empty());
            }
            // A refused row names the column and what was expected.
            let (_, v) = env
                .call(
                    "admin",
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"id": "o8", "name": "N", "actor_type": "factory"})),
                )
                .await;
            assert_eq!(v["error"]["problems"][0]["column"], "actor_type");
            assert!(
                v["error"]["problems"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("enterprise")
            );
            // Nothing was written by any of it.
            assert_eq!(env.total("admin", "organizations").await, 4);
            assert_eq!(env.total("admin", "memberships").await, 3);
            let (_, v) = env.call("admin", "GET", "/api/v1/audit", None).await;
            assert_eq!(v["entries"].as_array().unwrap().len(), 0);
            env.finish().await;
        }
    });
}

/// The password of the account [`invited_manager`] makes.
const PASSWORD: &str = "correct horse battery";

/// An admin invites wang@example.org as a manager, who sets
/// [`PASSWORD`] through the link, and gives it cluster c2; its id.
async fn invited_manager(env: &Env) -> i64 {
    let (s, v) = env
        .call(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"email": "Wang@Example.org", "role": "manager"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["user"]["email"], "wang@example.org");
    let user_id = v["user"]["id"].as_i64().unwrap();
    let invite = v["invitation_token"].as_str().unwrap().to_owned();
    let accept = json!({"token": invite, "password": PASSWORD});
    assert_eq!(
        env.call("public", "POST", "/api/v1/auth/accept", Some(accept))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (s, _) = env
        .call(
            "admin",
            "POST",
            &format!("/api/v1/users/{user_id}/scopes"),
            Some(json!({"kind": "cluster", "ref": "c2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    user_id
}

/// The JSON body of a response.
async fn body_json(resp: axum::response::Response) -> Value {
    serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

/// Signs in as wang@example.org: the session cookie (`name=value`), the
/// whole Set-Cookie header and the CSRF token.
async fn login(env: &Env) -> (String, String, String) {
    let login = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"email": "wang@example.org", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let resp = env.app.clone().oneshot(login).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    let session = cookie.split(';').next().unwrap().to_owned();
    let csrf = body_json(resp).await["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (session, cookie, csrf)
}

/// GET /auth/me with a bearer token.
fn me(t: &str) -> Request<Body> {
    Request::builder()
        .uri("/api/v1/auth/me")
        .header("authorization", format!("Bearer {t}"))
        .body(Body::empty())
        .unwrap()
}

#[test]
fn an_invitation_link_sets_a_password_once() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/users",
                Some(json!({"email": "Wang@Example.org", "role": "manager"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["user"]["email"], "wang@example.org");
        let invite = v["invitation_token"].as_str().unwrap().to_owned();
        let accept = json!({"token": invite, "password": PASSWORD});
        assert_eq!(
            env.call(
                "public",
                "POST",
                "/api/v1/auth/accept",
                Some(accept.clone())
            )
            .await
            .0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            env.call("public", "POST", "/api/v1/auth/accept", Some(accept))
                .await
                .0,
            StatusCode::GONE,
            "a link works once"
        );
    });
}

#[test]
fn a_login_sets_an_http_only_strict_cookie_and_writes_need_the_csrf_token() {
    on_each(envs, async |env| {
        invited_manager(env).await;
        let (session, cookie, csrf) = login(env).await;
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let send = |csrf: Option<&str>| {
            let mut r = Request::builder()
                .method("PATCH")
                .uri("/api/v1/clusters/c2")
                .header("content-type", "application/json")
                .header("cookie", &session);
            if let Some(c) = csrf {
                r = r.header("x-csrf-token", c);
            }
            r.body(Body::from(
                json!({"website": "https://lyon.example"}).to_string(),
            ))
            .unwrap()
        };
        assert_eq!(
            env.app.clone().oneshot(send(None)).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.app
                .clone()
                .oneshot(send(Some("wrong")))
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.app
                .clone()
                .oneshot(send(Some(&csrf)))
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    });
}

#[test]
fn an_api_token_is_made_used_and_revoked() {
    on_each(envs, async |env| {
        invited_manager(env).await;
        let (session, _, csrf) = login(env).await;
        let mk = Request::builder()
            .method("POST")
            .uri("/api/v1/auth/tokens")
            .header("content-type", "application/json")
            .header("cookie", &session)
            .header("x-csrf-token", &csrf)
            .body(Body::from(json!({"name": "nightly import"}).to_string()))
            .unwrap();
        let resp = env.app.clone().oneshot(mk).await.unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let body = body_json(resp).await;
        let token = body["token"].as_str().unwrap().to_owned();
        let token_id = body["id"].as_i64().unwrap();
        let resp = env.app.clone().oneshot(me(&token)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(body_json(resp).await["user"]["clusters"], json!(["c2"]));
        let del = Request::builder()
            .method("DELETE")
            .uri(format!("/api/v1/auth/tokens/{token_id}"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            env.app.clone().oneshot(del).await.unwrap().status(),
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            env.app.clone().oneshot(me(&token)).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            env.app
                .clone()
                .oneshot(me("made-up"))
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
    });
}

#[test]
fn disabling_an_account_ends_its_sessions() {
    on_each(envs, async |env| {
        let user_id = invited_manager(env).await;
        let (session, _, _) = login(env).await;
        assert_eq!(
            env.call(
                "admin",
                "PATCH",
                &format!("/api/v1/users/{user_id}"),
                Some(json!({"disabled": true}))
            )
            .await
            .0,
            StatusCode::OK
        );
        let me_cookie = Request::builder()
            .uri("/api/v1/auth/me")
            .header("cookie", &session)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            env.app.clone().oneshot(me_cookie).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    });
}

#[test]
fn after_five_wrong_passwords_even_the_right_one_waits() {
    on_each(envs, async |env| {
        invited_manager(env).await;
        for _ in 0..5 {
            let (s, v) = env
                .call(
                    "public",
                    "POST",
                    "/api/v1/auth/login",
                    Some(json!({"email": "wang@example.org", "password": "wrong password!"})),
                )
                .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
            assert_eq!(v["error"]["message"], "wrong e-mail or password");
        }
        let (s, v) = env
            .call(
                "public",
                "POST",
                "/api/v1/auth/login",
                Some(json!({"email": "wang@example.org", "password": PASSWORD})),
            )
            .await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    });
}

#[test]
fn only_admins_manage_accounts() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call("manager", "GET", "/api/v1/users", None).await.0,
            StatusCode::FORBIDDEN
        );
        // The admin's list gives each account's assignments, as the
        // account's own page does.
        let (s, list) = env.call("admin", "GET", "/api/v1/users", None).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let users = list["users"].as_array().unwrap();
        assert!(users.len() >= 4, "{list}");
        let mut assigned = 0;
        for u in users {
            let id = u["id"].as_i64().unwrap();
            let (s, one) = env
                .call("admin", "GET", &format!("/api/v1/users/{id}"), None)
                .await;
            assert_eq!(s, StatusCode::OK, "{one}");
            assert_eq!(u["assignments"], one["assignments"], "account {id}");
            assigned += u["assignments"].as_array().unwrap().len();
        }
        assert!(
            assigned > 0,
            "the fixture's manager and member have assignments: {list}"
        );
    });
}

#[test]
fn anyone_exports_and_erases_their_own_data() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call("member", "GET", "/api/v1/auth/me/export", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v["assignments"],
            json!([{"kind": "organization", "ref": "o1"}])
        );
        env.call(
            "member",
            "PATCH",
            "/api/v1/organizations/o1",
            Some(json!({"website": "https://a.example"})),
        )
        .await;
        assert_eq!(
            env.call("member", "DELETE", "/api/v1/auth/me", None)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            env.call("member", "GET", "/api/v1/auth/me", None).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/audit?table=organizations&key=o1",
                None,
            )
            .await;
        assert!(
            v["entries"][0]["actor"]
                .as_str()
                .unwrap()
                .starts_with("erased user #"),
            "{v}"
        );
    });
}

#[test]
fn health_and_readiness_answer_and_unknown_paths_are_a_json_404() {
    on_each(envs, async |env| {
        let (s, _) = env.raw("public", "GET", "/healthz", None, "").await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = env.raw("public", "GET", "/readyz", None, "").await;
        assert_eq!(s, StatusCode::OK);
        for (method, path) in [
            ("GET", "/api/nowhere"),
            ("GET", "/api/v1/nowhere/at/all"),
            ("POST", "/nowhere"),
        ] {
            let (s, v) = env.call("public", method, path, None).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}");
            assert_eq!(v["error"]["code"], "not_found", "{method} {path}");
        }
    });
}

#[test]
fn paths_outside_the_api_are_the_web_ui_built_or_how_to_build_it() {
    on_each(envs, async |env| {
        for path in ["/", "/en/clusters/c1", "/nowhere"] {
            let (s, headers, body) = env.bytes("public", path).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            let ct = headers[header::CONTENT_TYPE].to_str().unwrap();
            assert!(ct.starts_with("text/html"), "{path}: {ct}");
            assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}");
            let body = String::from_utf8(body).unwrap();
            // The built UI's page (with `ui` and web/dist), or the page
            // saying which command builds it.
            assert!(
                body.contains("id=\"app\"") || body.contains("npm ci &amp;&amp; npm run build"),
                "{path}: {body}"
            );
        }
    });
}

#[test]
fn the_tables_and_the_openapi_document_describe_every_table() {
    on_each(envs, async |env| {
        let (s, v) = env.call("public", "GET", "/api/v1/tables", None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v["tables"].as_array().unwrap().len(),
            weaver_core::schema::TABLES.len()
        );
        let (s, doc) = env
            .call("public", "GET", "/api/v1/openapi.json", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(doc["openapi"], "3.1.0");
        for (path, method) in [
            ("/api/v1/packages", "post"),
            ("/api/v1/packages/export", "get"),
            ("/api/v1/clusters/{id}/network", "get"),
            ("/api/v1/evaluation/index", "get"),
            ("/api/v1/campaigns", "post"),
            ("/api/v1/campaigns/{id}/ties/{row}", "post"),
            ("/api/v1/campaigns/{id}/close", "post"),
            ("/api/v1/audit/{id}/undo", "post"),
            ("/api/v1/auth/login", "post"),
        ] {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is not documented"
            );
        }
        for t in weaver_core::schema::TABLES {
            let create = &doc["paths"][format!("/api/v1/{}", t.name)]["post"];
            assert!(create.is_object(), "{} has no create operation", t.name);
            let schema = &doc["components"]["schemas"][format!("{}_new", t.name)];
            let required: Vec<&str> = t
                .columns
                .iter()
                .filter(|c| c.required)
                .map(|c| c.name)
                .collect();
            assert_eq!(schema["required"], json!(required));
        }
    });
}

/// A request as `who` (its token; none for "public").
fn request_as(env: &Env, who: &str, method: &str, uri: &str) -> axum::http::request::Builder {
    let mut r = Request::builder().method(method).uri(uri.to_owned());
    if let Some(t) = env.tokens.get(who) {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r
}

/// POST /packages{query} as `who` with `body` of content type `ct`.
fn upload(env: &Env, who: &str, query: &str, body: Vec<u8>, ct: &str) -> Request<Body> {
    request_as(env, who, "POST", &format!("/api/v1/packages{query}"))
        .header("content-type", ct.to_owned())
        .body(Body::from(body))
        .unwrap()
}

/// Sends a request: its status and JSON answer (Null when none); never a 5xx.
async fn send(env: &Env, req: Request<Body>) -> (StatusCode, Value) {
    let resp = env.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let v: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes())
        .unwrap_or(Value::Null);
    assert!(!status.is_server_error(), "{status}: {v}");
    (status, v)
}

/// The register exported by the admin, as a zip.
async fn exported_zip(env: &Env) -> Vec<u8> {
    let req = request_as(env, "admin", "GET", "/api/v1/packages/export")
        .body(Body::empty())
        .unwrap();
    let resp = env.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    resp.into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

/// A package of organizations.csv and memberships.csv, as a zip.
fn package_zip(organizations: &str, memberships: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (f, text) in [
        ("organizations.csv", organizations),
        ("memberships.csv", memberships),
    ] {
        w.start_file(f, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// New organizations, one of them with an unknown actor type, and a
/// membership in a cluster that does not exist.
fn bad_package() -> Vec<u8> {
    package_zip(
        "id,name,actor_type\nn1,New One,enterprise\nn2,Bad,factory\n",
        "cluster,org,tier\nc1,n1,core\nc9,n1,core\n",
    )
}

#[test]
fn the_register_is_exported_as_a_zip_or_a_workbook_by_admins_and_officers_only() {
    on_each(envs, async |env| {
        let zip = exported_zip(env).await;
        assert!(zip.starts_with(b"PK"));
        let get = |who: &str, path: &str| {
            request_as(env, who, "GET", path)
                .body(Body::empty())
                .unwrap()
        };
        let resp = env
            .app
            .clone()
            .oneshot(get("officer", "/api/v1/packages/export?format=xlsx"))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let resp = env
            .app
            .clone()
            .oneshot(get("manager", "/api/v1/packages/export"))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    });
}

#[test]
fn importing_the_export_again_changes_nothing() {
    on_each(envs, async |env| {
        let zip = exported_zip(env).await;
        let (s, v) = send(
            env,
            upload(env, "admin", "?dry_run=true", zip, "application/zip"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["dry_run"], true);
        let orgs = v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == "organizations")
            .unwrap();
        assert_eq!(
            (
                orgs["added"].as_i64(),
                orgs["changed"].as_i64(),
                orgs["unchanged"].as_i64()
            ),
            (Some(0), Some(0), Some(4))
        );
    });
}

#[test]
fn a_package_with_a_bad_row_is_refused_whole_with_every_problem_named() {
    on_each(envs, async |env| {
        let (s, v) = send(
            env,
            upload(env, "admin", "", bad_package(), "application/zip"),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let problems = v["error"]["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 2, "{v}");
        assert_eq!(problems[0]["column"], "actor_type");
        assert_eq!(problems[0]["row"], 3);
        assert_eq!(problems[1]["column"], "cluster");
        assert_eq!(env.total("admin", "organizations").await, 4);
    });
}

#[test]
fn only_admins_and_managers_import_and_junk_truncated_or_oversized_uploads_get_a_4xx() {
    on_each(envs, async |env| {
        let zip = exported_zip(env).await;
        let status = async |req: Request<Body>| send(env, req).await.0;
        for who in ["officer", "member"] {
            assert_eq!(
                status(upload(env, who, "", bad_package(), "application/zip")).await,
                StatusCode::FORBIDDEN,
                "{who}"
            );
        }
        // A manager's package is checked (tests/manager_import.rs).
        assert_eq!(
            status(upload(env, "manager", "", bad_package(), "application/zip")).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(upload(env, "public", "", bad_package(), "application/zip")).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(upload(env, "admin", "", b"hello".to_vec(), "text/plain")).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let (s, v) = send(
            env,
            upload(
                env,
                "admin",
                "",
                zip[..zip.len() / 2].to_vec(),
                "application/zip",
            ),
        )
        .await;
        assert!(
            s == StatusCode::BAD_REQUEST || s == StatusCode::UNPROCESSABLE_ENTITY,
            "{s} {v}"
        );
        assert_eq!(
            status(upload(
                env,
                "admin",
                "",
                vec![b'P'; 300 * 1024],
                "application/zip"
            ))
            .await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            status(upload(
                env,
                "admin",
                "?format=rar",
                zip.clone(),
                "application/zip"
            ))
            .await,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(upload(env, "admin", "", Vec::new(), "application/zip")).await,
            StatusCode::BAD_REQUEST
        );
    });
}

#[test]
fn a_good_package_imports_and_the_audit_log_says_who_imported_it() {
    on_each(envs, async |env| {
        let good = package_zip(
            "id,name,actor_type\nn1,New One,enterprise\n",
            "cluster,org,tier\nc1,n1,core\n",
        );
        let (s, v) = send(
            env,
            upload(env, "admin", "", good, "application/octet-stream"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(env.total("admin", "organizations").await, 5);
        assert_eq!(
            env.ids("manager", "memberships", "org").await,
            ["n1", "o1", "o3"]
        );
        let (_, v) = env
            .call("admin", "GET", "/api/v1/audit?table=package", None)
            .await;
        assert_eq!(v["entries"][0]["action"], "import");
        assert_eq!(v["entries"][0]["actor"], "admin@example.org");
    });
}

/// c1's network in 2024.
const NETWORK: &str = "/api/v1/clusters/c1/network?period=2024";

#[test]
fn a_clusters_network_is_computed_once_then_cached() {
    on_each(envs, async |env| {
        let (s, v) = env.call("manager", "GET", NETWORK, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["cached"], false);
        // c1: o1 and o3, one tie between them (hand-worked: each has
        // degree 1, PageRank 1/2, clustering 0, core number 1; one
        // component and one community; density 1).
        assert_eq!(v["summary"]["nodes"], 2);
        assert_eq!(v["summary"]["edges"], 1);
        assert_eq!(v["summary"]["density"], 1.0);
        assert_eq!(v["summary"]["components"], 1);
        for n in v["nodes"].as_array().unwrap() {
            assert_eq!(n["degree"], 1);
            assert!((n["pagerank"].as_f64().unwrap() - 0.5).abs() < 1e-9);
            assert_eq!(n["clustering"], 0.0);
            assert_eq!(n["core_number"], 1);
            assert_eq!(n["community"], 0);
        }
        assert_eq!(v["communities"]["sizes"], json!([2]));
        let (_, again) = env.call("manager", "GET", NETWORK, None).await;
        assert_eq!(again["cached"], true);
        assert_eq!(again["nodes"], v["nodes"]);
    });
}

#[test]
fn readers_of_shared_rows_only_get_the_network_without_private_organizations() {
    on_each(envs, async |env| {
        // o3 is private: the officer of c1's programme and c1's member
        // get the network without it, computed (by the first) and cached
        // apart from the manager's.
        let (s, _) = env.call("manager", "GET", NETWORK, None).await;
        assert_eq!(s, StatusCode::OK);
        for who in ["officer", "member"] {
            let (s, shared) = env.call(who, "GET", NETWORK, None).await;
            assert_eq!(s, StatusCode::OK, "{shared}");
            assert_eq!(shared["summary"]["nodes"], 1, "{who}: {shared}");
            assert_eq!(shared["summary"]["edges"], 0, "{who}");
            let ids: Vec<&str> = shared["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap())
                .collect();
            assert_eq!(ids, ["o1"], "{who}");
            assert_eq!(shared["cached"], who == "member", "{who}");
        }
    });
}

#[test]
fn a_change_to_the_register_makes_a_cached_network_stale() {
    on_each(envs, async |env| {
        env.call("manager", "GET", NETWORK, None).await;
        let (_, cached) = env.call("manager", "GET", NETWORK, None).await;
        assert_eq!(cached["cached"], true);
        let (s, _) = env
            .call(
                "admin",
                "POST",
                "/api/v1/ties",
                Some(json!({"source": "o3", "target": "o1", "kind": "license", "start": "2023"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, fresh) = env.call("manager", "GET", NETWORK, None).await;
        assert_eq!(fresh["cached"], false);
    });
}

#[test]
fn a_network_is_refused_to_outsiders_and_the_public_and_for_bad_asks() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call("outsider", "GET", NETWORK, None).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call("public", "GET", NETWORK, None).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            env.call(
                "manager",
                "GET",
                "/api/v1/clusters/c1/network?period=last",
                None
            )
            .await
            .0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            env.call(
                "manager",
                "GET",
                "/api/v1/clusters/c1/network?when=2024",
                None
            )
            .await
            .0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            env.call("admin", "GET", "/api/v1/clusters/zz/network", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    });
}

/// The campaign the officer of p1 opens: members and density in 2024.
fn campaign() -> Value {
    json!({"id": "cm24", "name": "Monitoring 2024", "period": "2024", "deadline": "2099-12-31", "indicators": ["members", "density"]})
}

/// Adds the density indicator (as the admin) for [`campaign`].
async fn add_density(env: &Env) {
    let (s, _) = env
        .call(
            "admin",
            "POST",
            "/api/v1/indicators",
            Some(json!({"id": "density", "name": "Network density", "direction": "higher_better"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

/// The officer opens [`campaign`], which asks c1.
async fn open_campaign(env: &Env) {
    add_density(env).await;
    let (s, v) = env
        .call("officer", "POST", "/api/v1/campaigns", Some(campaign()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// A submission of `values` for `cluster`.
fn submission(cluster: &str, values: Value) -> Value {
    json!({"cluster": cluster, "values": values})
}

#[test]
fn an_officer_opens_a_campaign_for_its_programmes_clusters() {
    on_each(envs, async |env| {
        add_density(env).await;
        let open = campaign();
        assert_eq!(
            env.call("member", "POST", "/api/v1/campaigns", Some(open.clone()))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            env.call("manager", "POST", "/api/v1/campaigns", Some(open.clone()))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        // Each problem of a request at its field, all at once (422).
        let columns = |v: &Value| -> Vec<String> {
            v["error"]["problems"]
                .as_array()
                .unwrap_or(&Vec::new())
                .iter()
                .map(|p| p["column"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let (s, v) = env
            .call("admin", "POST", "/api/v1/campaigns", Some(open.clone()))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an admin names the clusters: {v}"
        );
        assert_eq!(columns(&v), ["clusters"], "{v}");
        let mut bad = open.clone();
        bad["period"] = json!("last year");
        bad["name"] = json!(" ");
        bad["deadline"] = json!("31/03/2030");
        bad["indicators"] = json!(["density", "no-such-indicator"]);
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns", Some(bad))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            columns(&v),
            ["name", "period", "deadline", "indicators"],
            "{v}"
        );
        assert!(v.to_string().contains("no-such-indicator"), "{v}");
        let mut other = open.clone();
        other["clusters"] = json!(["c2"]);
        assert_eq!(
            env.call("officer", "POST", "/api/v1/campaigns", Some(other))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns", Some(open.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(
            v["clusters"],
            json!(["c1"]),
            "an officer's campaign asks its programmes' clusters"
        );
        assert_eq!(
            env.call("officer", "POST", "/api/v1/campaigns", Some(open))
                .await
                .0,
            StatusCode::CONFLICT
        );
    });
}

#[test]
fn a_campaign_is_seen_by_the_managers_of_its_clusters_only() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let (_, v) = env.call("manager", "GET", "/api/v1/campaigns", None).await;
        assert_eq!(v["campaigns"].as_array().unwrap().len(), 1);
        let (_, v) = env.call("outsider", "GET", "/api/v1/campaigns", None).await;
        assert_eq!(v["campaigns"].as_array().unwrap().len(), 0);
        assert_eq!(
            env.call("outsider", "GET", "/api/v1/campaigns/cm24", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    });
}

#[test]
fn the_campaign_board_shows_what_each_cluster_still_misses() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        // c1 has members for 2024 (from the fixture), not density.
        let (_, v) = env
            .call("officer", "GET", "/api/v1/campaigns/cm24", None)
            .await;
        assert_eq!(
            v["status"],
            json!([{"cluster": "c1", "state": "missing", "present": 1, "expected": 2, "missing": ["density"], "ties": 1, "ties_confirmed": 0, "ties_disputed": 0}])
        );
    });
}

#[test]
fn members_confirm_their_organizations_ties_and_nobody_elses() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        // o1's one tie, with o3.
        let (s, v) = env
            .call("member", "GET", "/api/v1/campaigns/cm24/ties", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["ties"].as_array().unwrap().len(), 1);
        assert_eq!(v["ties"][0]["confirmed"], Value::Null);
        let tie = v["ties"][0]["row_id"].as_i64().unwrap();
        assert_eq!(
            env.call(
                "outsider",
                "POST",
                &format!("/api/v1/campaigns/cm24/ties/{tie}"),
                Some(json!({"confirmed": true}))
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call(
                "member",
                "POST",
                "/api/v1/campaigns/cm24/ties/999999",
                Some(json!({"confirmed": true}))
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call(
                "member",
                "POST",
                &format!("/api/v1/campaigns/cm24/ties/{tie}"),
                Some(json!({"confirmed": "yes"}))
            )
            .await
            .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let (s, v) = env
            .call(
                "member",
                "POST",
                &format!("/api/v1/campaigns/cm24/ties/{tie}"),
                Some(json!({"confirmed": true})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["confirmed"], true);
        let (_, v) = env
            .call("officer", "GET", "/api/v1/campaigns/cm24", None)
            .await;
        assert_eq!(v["status"][0]["ties_confirmed"], 1);
    });
}

#[test]
fn reminders_go_to_the_managers_of_clusters_still_missing() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        assert_eq!(
            env.call("manager", "POST", "/api/v1/campaigns/cm24/remind", None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns/cm24/remind", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v["reminders"],
            json!([{"to": "manager@example.org", "cluster": "c1"}])
        );
        // One reminder queued (besides the message that the campaign opened).
        let queued = env.outbox.0.lock().unwrap().clone();
        let reminders: Vec<_> = queued
            .iter()
            .filter(|(_, s)| s.starts_with("提醒"))
            .collect();
        assert_eq!(reminders.len(), 1, "{queued:?}");
        assert_eq!(reminders[0].0, "manager@example.org");
        assert_eq!(v["unreached"], json!([]));
    });
}

#[test]
fn the_campaign_template_returned_unfilled_is_refused_whole() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let req = Request::builder()
            .uri("/api/v1/campaigns/cm24/template")
            .header("authorization", format!("Bearer {}", env.tokens["manager"]))
            .body(Body::empty())
            .unwrap();
        let resp = env.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let xlsx = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let req = Request::builder()
            .method("POST")
            .uri("/api/v1/campaigns/cm24/submission")
            .header("authorization", format!("Bearer {}", env.tokens["manager"]))
            .header("content-type", "application/octet-stream")
            .body(Body::from(xlsx))
            .unwrap();
        let resp = env.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value =
            serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(v["error"]["problems"][0]["column"], "value", "{v}");
    });
}

#[test]
fn a_campaign_takes_its_clusters_and_indicators_from_their_managers_only() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let sub = submission;
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(sub("c2", json!({"density": 0.5})))
            )
            .await
            .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(sub("c1", json!({"gdp": 5})))
            )
            .await
            .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(sub("c1", json!({"density": "high"})))
            )
            .await
            .0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            env.call(
                "outsider",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(sub("c1", json!({"density": 0.5})))
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(sub("c1", json!({"density": 0.5, "members": 3}))),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["added"].as_i64(), v["changed"].as_i64()),
            (Some(1), Some(1))
        );
        let (_, v) = env
            .call("officer", "GET", "/api/v1/campaigns/cm24", None)
            .await;
        assert_eq!(v["status"][0]["state"], "submitted");
    });
}

#[test]
fn closing_a_campaign_freezes_its_period_and_keeps_the_results_of_that_moment() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(submission("c1", json!({"density": 0.5, "members": 3}))),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            env.call("manager", "POST", "/api/v1/campaigns/cm24/close", None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (s, v) = env
            .call("officer", "POST", "/api/v1/campaigns/cm24/close", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["campaign"]["status"], "closed");
        assert_eq!(
            env.call("officer", "POST", "/api/v1/campaigns/cm24/close", None)
                .await
                .0,
            StatusCode::CONFLICT
        );
        let (_, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/observations?cluster=c1&indicator=members",
                None,
            )
            .await;
        let row = v["rows"][0]["row_id"].as_i64().unwrap();
        let (s, v) = env
            .call(
                "manager",
                "PATCH",
                &format!("/api/v1/observations/{row}"),
                Some(json!({"value": 99})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains("frozen"));
        assert_eq!(
            env.call(
                "admin",
                "DELETE",
                &format!("/api/v1/observations/{row}"),
                None
            )
            .await
            .0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            env.call(
                "manager",
                "POST",
                "/api/v1/campaigns/cm24/observations",
                Some(submission("c1", json!({"density": 0.9})))
            )
            .await
            .0,
            StatusCode::CONFLICT
        );
        let (s, v) = env
            .call("manager", "GET", "/api/v1/campaigns/cm24/results", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let kinds: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["evaluation", "network", "status"]);
        // The record kept is what the programme sees: private o3 is left out.
        assert_eq!(v["results"][1]["result"]["summary"]["nodes"], 1);
    });
}

/// The league table of 2024.
const LEAGUE: &str = "/api/v1/evaluation/index?period=2024";

/// The clusters of a league table, in its order.
fn league_clusters(v: &Value) -> Vec<&str> {
    v["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cluster"].as_str().unwrap())
        .collect()
}

#[test]
fn a_private_observation_never_enters_the_league_table() {
    on_each(envs, async |env| {
        // c2's members of 2024 are private: the table of all clusters is
        // computed from what the population's officers read, so c2 has no
        // value and says why, for the admin too.
        let (s, v) = env.call("admin", "GET", LEAGUE, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(league_clusters(&v), ["c1", "c2"]);
        assert_eq!(
            v["population"],
            json!({"kind": "all", "id": null, "clusters": 2})
        );
        assert_eq!(
            (&v["period"], &v["currency"]),
            (&json!("2024"), &json!("EUR"))
        );
        // (c1's value alone does not vary: the index leaves it out, with a
        // notice; it is not missing.)
        assert_eq!(v["clusters"][0]["missing"], json!([]));
        assert_eq!(v["clusters"][1]["coverage"], 0.0);
        assert_eq!(v["clusters"][1]["score"], Value::Null);
        assert_eq!(v["clusters"][1]["missing"][0]["indicator"], "members");
        assert_eq!(v["clusters"][1]["missing"][0]["reason"], "not_readable");
    });
}

#[test]
fn each_reader_sees_its_part_of_one_table() {
    on_each(envs, async |env| {
        // The officer reads every row it may read (c1 of its programme;
        // c2 is a public cluster); each manager its own cluster's row; the
        // public nothing (no campaign's table is published).
        let (_, v) = env.call("officer", "GET", LEAGUE, None).await;
        assert_eq!(league_clusters(&v), ["c1", "c2"]);
        let (_, v) = env.call("manager", "GET", LEAGUE, None).await;
        assert_eq!(league_clusters(&v), ["c1"]);
        assert_eq!(v["view"], "own");
        let (_, v) = env.call("outsider", "GET", LEAGUE, None).await;
        assert_eq!(league_clusters(&v), ["c2"]);
        let (s, v) = env.call("public", "GET", LEAGUE, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("published"),
            "{v}"
        );
    });
}

#[test]
fn a_league_table_needs_a_period_with_observations() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call("admin", "GET", "/api/v1/evaluation/index?period=2023", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call("admin", "GET", "/api/v1/evaluation/index", None)
                .await
                .0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            env.call("admin", "GET", "/api/v1/evaluation/index?period=soon", None)
                .await
                .0,
            StatusCode::BAD_REQUEST
        );
    });
}

/// A second server on the same database, as a second process would be,
/// and an officer account with a password (both@example.org).
async fn second_server(env: &Env) -> (Store, axum::Router) {
    let other_store = Store::open(&env.url).await.unwrap();
    let other = common::app(&other_store, Config::default(), Arc::new(Outbox::default()));
    let (s, v) = env.call("admin", "POST", "/api/v1/users", Some(json!({"email": "both@example.org", "role": "officer", "password": "a long passphrase"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (other_store, other)
}

/// A login request for both@example.org with `password`.
fn login_both(password: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"email": "both@example.org", "password": password}).to_string(),
        ))
        .unwrap()
}

#[test]
fn a_session_made_by_one_server_is_honoured_by_another() {
    on_each(envs, async |env| {
        let (other_store, other) = second_server(env).await;
        let resp = env
            .app
            .clone()
            .oneshot(login_both("a long passphrase"))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let session = resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let me = Request::builder()
            .uri("/api/v1/auth/me")
            .header("cookie", &session)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            other.clone().oneshot(me).await.unwrap().status(),
            StatusCode::OK
        );
        other_store.close().await;
    });
}

#[test]
fn throttling_counts_the_failures_every_server_saw() {
    on_each(envs, async |env| {
        let (other_store, other) = second_server(env).await;
        for app in [&env.app, &other, &env.app, &other, &env.app] {
            assert_eq!(
                app.clone()
                    .oneshot(login_both("not the one"))
                    .await
                    .unwrap()
                    .status(),
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            other
                .clone()
                .oneshot(login_both("a long passphrase"))
                .await
                .unwrap()
                .status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        other_store.close().await;
    });
}

#[test]
fn a_change_through_one_server_makes_the_others_results_and_rows_new() {
    on_each(envs, async |env| {
        let (other_store, other) = second_server(env).await;
        let net = |app: &axum::Router| {
            let req = Request::builder()
                .uri("/api/v1/clusters/c1/network")
                .header("authorization", format!("Bearer {}", env.tokens["manager"]))
                .body(Body::empty())
                .unwrap();
            let app = app.clone();
            async move {
                let resp = app.oneshot(req).await.unwrap();
                let v: Value =
                    serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes())
                        .unwrap();
                v["cached"].as_bool().unwrap()
            }
        };
        let website = |app: &axum::Router| {
            let req = Request::builder()
                .uri("/api/v1/clusters/c1")
                .header("authorization", format!("Bearer {}", env.tokens["manager"]))
                .body(Body::empty())
                .unwrap();
            let app = app.clone();
            async move {
                let resp = app.oneshot(req).await.unwrap();
                let v: Value =
                    serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes())
                        .unwrap();
                v["website"].clone()
            }
        };
        assert!(!net(&env.app).await);
        assert!(
            net(&other).await,
            "the other process serves the shared cache"
        );
        assert_ne!(website(&other).await, "https://c1.example");
        env.call(
            "manager",
            "PATCH",
            "/api/v1/clusters/c1",
            Some(json!({"website": "https://c1.example"})),
        )
        .await;
        assert!(
            !net(&other).await,
            "and recomputes after a change made through the first"
        );
        // The row itself, which the other answered from memory before: new
        // once the other reads the register's version again.
        assert_eq!(website(&env.app).await, "https://c1.example");
        tokio::time::sleep(
            weaver_store::VERSION_TRUSTED_FOR + std::time::Duration::from_millis(20),
        )
        .await;
        assert_eq!(website(&other).await, "https://c1.example");
        other_store.close().await;
    });
}

/// As c1's manager: c1 becomes a path o1 – o3 – o5 (o1, o3 enterprises; o5
/// a university).
async fn path_with_a_university(env: &Env) {
    for (path, body) in [
        (
            "/api/v1/organizations",
            json!({"id": "o5", "name": "Nano University", "actor_type": "university", "industry": "C39"}),
        ),
        (
            "/api/v1/memberships",
            json!({"cluster": "c1", "org": "o5", "tier": "partner"}),
        ),
        (
            "/api/v1/ties",
            json!({"source": "o3", "target": "o5", "kind": "co_publication"}),
        ),
    ] {
        let (s, v) = env.call("manager", "POST", path, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
    }
}

#[test]
fn brokers_are_counted_by_gould_and_fernandez_roles() {
    on_each(envs, async |env| {
        path_with_a_university(env).await;
        // Hand-worked (Gould–Fernandez by actor type, an edge being two
        // arcs): o3 brokers o1 → o5 as representative (its group is the
        // source's) and o5 → o1 as gatekeeper; nobody else brokers.
        let (s, v) = env
            .call("manager", "GET", "/api/v1/clusters/c1/brokerage", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let nodes = v["nodes"].as_array().unwrap();
        let o3 = nodes.iter().find(|n| n["id"] == "o3").unwrap();
        let roles = [
            "coordinator",
            "itinerant",
            "representative",
            "gatekeeper",
            "liaison",
            "total",
        ];
        let got: Vec<f64> = roles.iter().map(|r| o3[*r].as_f64().unwrap()).collect();
        assert_eq!(got, [0.0, 0.0, 1.0, 1.0, 0.0, 2.0]);
        for n in nodes.iter().filter(|n| n["id"] != "o3") {
            assert_eq!(n["total"], 0.0, "{n}");
        }
        assert_eq!(
            env.call("outsider", "GET", "/api/v1/clusters/c1/brokerage", None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn the_one_open_triad_is_the_one_suggestion_of_who_should_meet_whom() {
    on_each(envs, async |env| {
        path_with_a_university(env).await;
        // o1 – o3 – o5, across actor types.
        let (s, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/clusters/c1/recommendations",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let sug = v["suggestions"].as_array().unwrap();
        assert_eq!(sug.len(), 1, "{v}");
        let mut pair = [
            sug[0]["source"].as_str().unwrap(),
            sug[0]["target"].as_str().unwrap(),
        ];
        pair.sort();
        assert_eq!(pair, ["o1", "o5"]);
        assert_eq!(sug[0]["common_neighbors"], 1);
        assert!(sug[0]["complementarity"].as_f64().unwrap() >= 0.5);
        assert!(!sug[0]["reasons"].as_array().unwrap().is_empty());
    });
}

#[test]
fn an_unknown_analysis_of_a_cluster_is_not_found() {
    on_each(envs, async |env| {
        assert_eq!(
            env.call("manager", "GET", "/api/v1/clusters/c1/astrology", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    });
}

/// As the admin: c1 becomes the path o1 – o3 – o4 (o3 is private).
async fn path_through_a_private_organization(env: &Env) {
    let (s, v) = env
        .call(
            "admin",
            "POST",
            "/api/v1/memberships",
            Some(json!({"cluster": "c1", "org": "o4", "tier": "partner"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = env
        .call(
            "admin",
            "POST",
            "/api/v1/ties",
            Some(json!({"source": "o3", "target": "o4", "kind": "contract"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// A metric of an answer's nodes, by node id.
fn metric_by_id(v: &Value, metric: &str) -> std::collections::BTreeMap<String, f64> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_owned(),
                n[metric].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Asks for the exact path metrics as a job and polls until it is done:
/// the job as first answered and as done.
async fn exact_paths_job(env: &Env) -> (Value, Value) {
    let (s, job) = env
        .call("manager", "POST", "/api/v1/clusters/c1/paths", None)
        .await;
    assert!(s == StatusCode::ACCEPTED || s == StatusCode::OK, "{job}");
    let url = job["url"].as_str().unwrap().to_owned();
    for _ in 0..200 {
        let (s, v) = env.call("manager", "GET", &url, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["status"] == "done" {
            return (job, v);
        }
        assert!(v["status"] == "queued" || v["status"] == "running", "{v}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not finish");
}

#[test]
fn sampled_betweenness_comes_at_once_within_its_guarantee() {
    on_each(envs, async |env| {
        path_through_a_private_organization(env).await;
        // On a path of three, the middle node's normalized betweenness is 1
        // and the ends' 0 (hand-worked), within ε.
        let (s, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/clusters/c1/paths?epsilon=0.1",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["method"], "sampled");
        let eps = v["epsilon"].as_f64().unwrap();
        assert!(v["samples"].as_u64().unwrap() > 0);
        let b = metric_by_id(&v, "betweenness");
        assert!((b["o3"] - 1.0).abs() <= eps, "{v}");
        assert!(b["o1"].abs() <= eps && b["o4"].abs() <= eps, "{v}");
    });
}

#[test]
fn path_metrics_are_of_the_callers_view_of_the_cluster() {
    on_each(envs, async |env| {
        path_through_a_private_organization(env).await;
        // The officer's view has no o3: two unlinked organizations.
        let (s, v) = env
            .call("officer", "GET", "/api/v1/clusters/c1/paths", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(metric_by_id(&v, "betweenness").len(), 2);
    });
}

#[test]
fn exact_path_metrics_are_a_job_whose_result_is_networkx_s() {
    on_each(envs, async |env| {
        path_through_a_private_organization(env).await;
        let (_, done) = exact_paths_job(env).await;
        // NetworkX on the path o1 – o3 – o4: betweenness 0, 1, 0;
        // closeness 2/3, 1, 2/3.
        let b = metric_by_id(&done["result"], "betweenness");
        let c = metric_by_id(&done["result"], "closeness");
        assert_eq!(b["o3"], 1.0);
        assert_eq!((b["o1"], b["o4"]), (0.0, 0.0));
        assert!(
            (c["o1"] - 2.0 / 3.0).abs() < 1e-12 && c["o3"] == 1.0,
            "{done}"
        );
    });
}

#[test]
fn asking_again_at_the_same_version_gives_the_same_job_done() {
    on_each(envs, async |env| {
        path_through_a_private_organization(env).await;
        let (job, _) = exact_paths_job(env).await;
        let (s, again) = env
            .call("manager", "POST", "/api/v1/clusters/c1/paths", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{again}");
        assert_eq!(again["id"], job["id"]);
    });
}

#[test]
fn a_job_is_read_by_admins_and_those_with_the_same_view_only() {
    on_each(envs, async |env| {
        path_through_a_private_organization(env).await;
        let (job, _) = exact_paths_job(env).await;
        let url = job["url"].as_str().unwrap();
        assert_eq!(env.call("admin", "GET", url, None).await.0, StatusCode::OK);
        for who in ["officer", "member", "outsider"] {
            assert_eq!(
                env.call(who, "GET", url, None).await.0,
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
        assert_eq!(
            env.call("public", "GET", url, None).await.0,
            StatusCode::UNAUTHORIZED
        );
    });
}

#[test]
fn bad_asks_for_path_metrics_and_jobs_are_refused() {
    on_each(envs, async |env| {
        for (path, status) in [
            (
                "/api/v1/clusters/c1/paths?epsilon=0.001",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/clusters/c1/paths?epsilon=lots",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/v1/clusters/c1/paths?delta=1", StatusCode::BAD_REQUEST),
            (
                "/api/v1/clusters/c1/paths?period=soon",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/v1/clusters/c1/paths?depth=2", StatusCode::BAD_REQUEST),
            ("/api/v1/clusters/zz/paths", StatusCode::NOT_FOUND),
            ("/api/v1/clusters/c2/paths", StatusCode::FORBIDDEN),
            ("/api/v1/jobs/abc", StatusCode::BAD_REQUEST),
            ("/api/v1/jobs/999999", StatusCode::NOT_FOUND),
        ] {
            assert_eq!(
                env.call("manager", "GET", path, None).await.0,
                status,
                "{path}"
            );
        }
    });
}

/// Sends 24 requests at once on a fresh register of each backend — row
/// creations (8 indicators), cache writes (networks) and background jobs
/// (paths) — and gives `check` the register and each request's number,
/// status and answer once all have ended.
fn after_concurrent_writes(check: impl AsyncFn(&Env, Vec<(usize, StatusCode, Value)>)) {
    rt().block_on(async {
        for env in envs().await {
            let env = Arc::new(env);
            let mut tasks = Vec::new();
            for i in 0..24 {
                let env = Arc::clone(&env);
                tasks.push(tokio::spawn(async move {
                    let (s, v) = match i % 3 {
                        0 => {
                            env.call(
                                "admin",
                                "POST",
                                "/api/v1/indicators",
                                Some(json!({"id": format!("load{i}"), "name": "Load", "direction": "higher_better"})),
                            )
                            .await
                        }
                        1 => {
                            env.call(
                                "manager",
                                "GET",
                                &format!("/api/v1/clusters/c1/network?period={}", 2000 + i),
                                None,
                            )
                            .await
                        }
                        _ => {
                            env.call(
                                "manager",
                                "POST",
                                &format!("/api/v1/clusters/c1/paths?period={}", 2000 + i),
                                None,
                            )
                            .await
                        }
                    };
                    (i, s, v)
                }));
            }
            let mut answers = Vec::new();
            for t in tasks {
                answers.push(t.await.unwrap());
            }
            check(&env, answers).await;
            let Ok(env) = Arc::try_unwrap(env) else {
                panic!("tasks ended");
            };
            env.finish().await;
        }
    });
}

/// Concurrent writers (row creations, cache writes, a background job) never
/// turn into server errors: on SQLite a transaction that reads and then
/// writes must not find its snapshot stale ("database is locked").
#[test]
fn concurrent_writes_wait_for_each_other() {
    after_concurrent_writes(async |_, answers| {
        assert_eq!(answers.len(), 24);
        for (i, s, v) in answers {
            assert!(s.is_success(), "request {i}: {s} {v}");
        }
    });
}

/// Each of the rows created side by side is kept: the fixture's one
/// indicator and the 8 created.
#[test]
fn every_row_created_concurrently_is_kept() {
    after_concurrent_writes(async |env, _| {
        assert_eq!(
            env.call("admin", "GET", "/api/v1/indicators?limit=100", None)
                .await
                .1["total"],
            9
        );
    });
}

/// Every parameter of every endpoint, and every rejection of the HTTP
/// layer: a bad one is a 4xx in the one JSON error shape, and a bad
/// parameter a 400 whose message names it (never a 500, never an empty body).
#[test]
fn every_bad_parameter_and_every_rejection_is_one_json_error() {
    rt().block_on(async {
        for env in envs().await {
            let long = format!("/api/v1/organizations?q={}", "x".repeat(10_000));
            // Method, path, status expected, what the message must name.
            let cases: Vec<(&str, &str, StatusCode, &str)> = vec![
                (
                    "GET",
                    "/api/v1/organizations?q=a%00b",
                    StatusCode::BAD_REQUEST,
                    "q",
                ),
                (
                    "GET",
                    "/api/v1/organizations?q=%1b%5b31m",
                    StatusCode::BAD_REQUEST,
                    "q",
                ),
                (
                    "GET",
                    "/api/v1/organizations?name=a%00b",
                    StatusCode::BAD_REQUEST,
                    "name",
                ),
                (
                    "GET",
                    "/api/v1/organizations/a%00b",
                    StatusCode::BAD_REQUEST,
                    "path",
                ),
                (
                    "GET",
                    "/api/v1/organizations?sort=row_id",
                    StatusCode::BAD_REQUEST,
                    "sort",
                ),
                (
                    "GET",
                    "/api/v1/organizations?limit=-1",
                    StatusCode::BAD_REQUEST,
                    "limit",
                ),
                (
                    "GET",
                    "/api/v1/organizations?offset=-1",
                    StatusCode::BAD_REQUEST,
                    "offset",
                ),
                (
                    "GET",
                    "/api/v1/organizations?order=up",
                    StatusCode::BAD_REQUEST,
                    "order",
                ),
                (
                    "GET",
                    "/api/v1/audit?limit=-1",
                    StatusCode::BAD_REQUEST,
                    "limit",
                ),
                (
                    "GET",
                    "/api/v1/audit?limit=0",
                    StatusCode::BAD_REQUEST,
                    "limit",
                ),
                (
                    "GET",
                    "/api/v1/audit?limit=1000000",
                    StatusCode::BAD_REQUEST,
                    "limit",
                ),
                (
                    "GET",
                    "/api/v1/audit?offset=-5",
                    StatusCode::BAD_REQUEST,
                    "offset",
                ),
                (
                    "GET",
                    "/api/v1/audit?limit=ten",
                    StatusCode::BAD_REQUEST,
                    "limit",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?delta=5e-324",
                    StatusCode::BAD_REQUEST,
                    "delta",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?delta=1e-300",
                    StatusCode::BAD_REQUEST,
                    "delta",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?delta=0.9",
                    StatusCode::BAD_REQUEST,
                    "delta",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?delta=NaN",
                    StatusCode::BAD_REQUEST,
                    "delta",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?epsilon=inf",
                    StatusCode::BAD_REQUEST,
                    "epsilon",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?epsilon=0",
                    StatusCode::BAD_REQUEST,
                    "epsilon",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?seed=-1",
                    StatusCode::BAD_REQUEST,
                    "seed",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/paths?period=soon",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "POST",
                    "/api/v1/clusters/c1/paths?period=soon",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/network?period=soon",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/brokerage?period=2024-13",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?runs=-1",
                    StatusCode::BAD_REQUEST,
                    "runs",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?runs=0",
                    StatusCode::BAD_REQUEST,
                    "runs",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?probability=2",
                    StatusCode::BAD_REQUEST,
                    "probability",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?probability=NaN",
                    StatusCode::BAD_REQUEST,
                    "probability",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?seed=x",
                    StatusCode::BAD_REQUEST,
                    "seed",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?what_if=-1",
                    StatusCode::BAD_REQUEST,
                    "what_if",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?what_if=1000000",
                    StatusCode::BAD_REQUEST,
                    "what_if",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/diffusion?weighted=maybe",
                    StatusCode::BAD_REQUEST,
                    "weighted",
                ),
                (
                    "GET",
                    "/api/v1/clusters/c1/labels?period=x",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/index",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/index?period=x",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/ranking?period=2024&runs=0",
                    StatusCode::BAD_REQUEST,
                    "runs",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/ranking?period=2024&seed=-1",
                    StatusCode::BAD_REQUEST,
                    "seed",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/ranking?period=2024&ranking=best",
                    StatusCode::BAD_REQUEST,
                    "ranking",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/ranking?period=2024&computed=2",
                    StatusCode::BAD_REQUEST,
                    "computed",
                ),
                (
                    "GET",
                    "/api/v1/evaluation/lifecycle?period=x",
                    StatusCode::BAD_REQUEST,
                    "period",
                ),
                (
                    "GET",
                    "/api/v1/mapping/clusters?year=abc",
                    StatusCode::BAD_REQUEST,
                    "year",
                ),
                (
                    "GET",
                    "/api/v1/mapping/clusters?year=-1",
                    StatusCode::BAD_REQUEST,
                    "year",
                ),
                (
                    "GET",
                    "/api/v1/mapping/clusters?method=x",
                    StatusCode::BAD_REQUEST,
                    "method",
                ),
                (
                    "GET",
                    "/api/v1/mapping/clusters?percentiles=2",
                    StatusCode::BAD_REQUEST,
                    "percentiles",
                ),
                (
                    "GET",
                    "/api/v1/packages/export?format=pdf",
                    StatusCode::BAD_REQUEST,
                    "format",
                ),
                (
                    "POST",
                    "/api/v1/packages?dry_run=maybe",
                    StatusCode::BAD_REQUEST,
                    "dry_run",
                ),
                ("GET", "/api/v1/users/abc", StatusCode::BAD_REQUEST, "abc"),
                ("GET", "/api/v1/jobs/abc", StatusCode::BAD_REQUEST, "abc"),
                (
                    "DELETE",
                    "/api/v1/tables",
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method DELETE; it takes GET",
                ),
                (
                    "PUT",
                    "/api/v1/organizations/o1",
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method PUT; it takes GET, PATCH, DELETE",
                ),
                ("POST", "/healthz", StatusCode::METHOD_NOT_ALLOWED, "POST"),
                ("GET", &long, StatusCode::URI_TOO_LONG, "URI"),
            ];
            let mut wrong = Vec::new();
            for (method, path, want, names) in cases {
                let req = Request::builder()
                    .method(method)
                    .uri(path)
                    .header("authorization", format!("Bearer {}", env.tokens["admin"]))
                    .body(Body::empty())
                    .unwrap();
                let resp = env.app.clone().oneshot(req).await.unwrap();
                let status = resp.status();
                let is_json = resp
                    .headers()
                    .get("content-type")
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
                let bytes = resp.into_body().collect().await.unwrap().to_bytes();
                let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let message = v["error"]["message"].as_str().unwrap_or("");
                let shown: String = path.chars().take(70).collect();
                if status != want
                    || !is_json
                    || v["error"]["status"] != json!(status.as_u16())
                    || v["error"]["code"].as_str().is_none_or(str::is_empty)
                    || !message.contains(names)
                {
                    wrong.push(format!("{method} {shown}: {status} {v}"));
                }
            }
            // A NUL in a JSON body outside a row (the databases store none).
            for (who, path, body) in [
                (
                    "public",
                    "/api/v1/auth/login",
                    json!({"email": "a\u{0}@x.org", "password": "p"}),
                ),
                ("admin", "/api/v1/auth/tokens", json!({"name": "ci\u{0}"})),
                (
                    "admin",
                    "/api/v1/users",
                    json!({"email": "n\u{0}@x.org", "role": "member"}),
                ),
            ] {
                let (s, v) = env.call(who, "POST", path, Some(body)).await;
                if !s.is_client_error() || v["error"]["code"].as_str().is_none() {
                    wrong.push(format!("POST {path}: {s} {v}"));
                }
            }
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
            // A row-keyed table still sorts by its row id.
            let (s, v) = env
                .call(
                    "admin",
                    "GET",
                    "/api/v1/memberships?sort=row_id&order=desc",
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            env.finish().await;
        }
    });
}

/// A row through the API is checked by the package rules: control
/// characters, bidirectional controls and noncharacters in ids, addresses
/// other than http(s), negative counts and keys given twice are refused
/// with the column named, and nothing is stored.
#[test]
fn rows_with_controls_bad_addresses_negative_counts_or_keys_twice_are_refused() {
    rt().block_on(async {
        for env in envs().await {
            let org = |id: &str, name: &str| json!({"id": id, "name": name, "actor_type": "user"});
            let with = |mut v: Value, k: &str, x: Value| {
                v[k] = x;
                v
            };
            let cases: Vec<(Value, &str)> = vec![
                (org("evil\u{202E}fdp.exe", "N"), "id"),
                (org("x\u{FFFF}", "N"), "id"),
                (org("x\u{200F}", "N"), "id"),
                (org("o8", "Acme\u{0}"), "name"),
                (org("o8", "\u{1b}[31mred\u{1b}[0m"), "name"),
                (org("o8", "two\nlines"), "name"),
                (org("o8", "a\ttab"), "name"),
                (with(org("o8", "N"), "website", json!("javascript:alert(1)")), "website"),
                (with(org("o8", "N"), "website", json!("data:text/html,x")), "website"),
                (with(org("o8", "N"), "employees", json!(-1)), "employees"),
                (with(org("o8", "N"), "region", json!("\u{7f}")), "region"),
            ];
            for (body, column) in cases {
                let (s, v) = env
                    .call("admin", "POST", "/api/v1/organizations", Some(body.clone()))
                    .await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
                assert_eq!(v["error"]["problems"][0]["column"], column, "{body}: {v}");
            }
            // The same through a change of an existing row.
            let (s, v) = env
                .call(
                    "admin",
                    "PATCH",
                    "/api/v1/clusters/c1",
                    Some(json!({"website": "javascript:alert(1)"})),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            // Long text keeps its line breaks and tabs.
            let (s, v) = env
                .call(
                    "admin",
                    "PATCH",
                    "/api/v1/clusters/c1",
                    Some(json!({"description": "line one\n\tline two", "website": "https://c1.example"})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            assert_eq!(v["description"], "line one\n\tline two");
            // A key given twice: refused, not the last one taken.
            for (method, path) in [
                ("POST", "/api/v1/organizations"),
                ("PATCH", "/api/v1/organizations/o1"),
            ] {
                let raw = r#"{"id": "o9", "name": "Good", "actor_type": "user", "name": "Bad"}"#;
                let (s, v) = env
                    .raw("admin", method, path, Some(raw.into()), "application/json")
                    .await;
                assert!(s.is_client_error(), "{method} {path}: {s} {v}");
                assert!(
                    v["error"]["message"].as_str().unwrap().contains("'name' is given twice"),
                    "{v}"
                );
            }
            assert_eq!(env.total("admin", "organizations").await, 4);
            let (_, v) = env.call("admin", "GET", "/api/v1/organizations/o1", None).await;
            assert_eq!(v["name"], "Acme 机械");
            env.finish().await;
        }
    });
}

/// The CSV files of a zipped package, by name.
fn csv_files(zip: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.ends_with(".csv") {
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            out.insert(name, bytes);
        }
    }
    out
}

/// GET `path` of `app` as the holder of `token`: status and body bytes.
async fn bytes_of(app: &axum::Router, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    (
        status,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

/// Rows written through the API record `weaver-api` as their source, which
/// an import keeps: export → import into an empty register → export gives
/// byte-identical CSV files, rows entered through the API included.
#[test]
fn rows_written_through_the_api_survive_export_import_export_unchanged() {
    rt().block_on(async {
        for env in envs().await {
            let admin = env.tokens["admin"].clone();
            for (path, body) in [
                ("/api/v1/organizations", json!({"id": "a1", "name": "API Org", "actor_type": "user"})),
                ("/api/v1/memberships", json!({"cluster": "c1", "org": "a1", "tier": "partner"})),
                ("/api/v1/ties", json!({"source": "a1", "target": "o1", "kind": "supply"})),
                ("/api/v1/observations", json!({"cluster": "c1", "indicator": "members", "period": "2025", "value": 3})),
                ("/api/v1/projects", json!({"id": "pr1", "title": "API Project", "cluster": "c1", "source": "minutes 2024-03"})),
            ] {
                let (s, v) = env.call("admin", "POST", path, Some(body)).await;
                assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
            }
            let (_, v) = env.call("admin", "GET", "/api/v1/organizations/a1", None).await;
            assert_eq!(v["source"], weaver_store::API_SOURCE);
            let (_, v) = env.call("admin", "GET", "/api/v1/projects/pr1", None).await;
            assert_eq!(v["source"], "minutes 2024-03", "a source given is kept");
            // A change keeps the source the row has.
            let (s, v) = env
                .call("admin", "PATCH", "/api/v1/organizations/o1", Some(json!({"name": "Acme"})))
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            assert_eq!(v["source"], "fixture");

            let (s, first) = bytes_of(&env.app, &admin, "/api/v1/packages/export").await;
            assert_eq!(s, StatusCode::OK);

            // A fresh register of the same backend, the export imported.
            let dir = tempfile::tempdir().unwrap();
            let (url, pg) = if env.pg_db.is_some() {
                let (url, name) = weaver_testkit::fresh_postgres("weaver_api_rt").await.unwrap();
                (url, Some(name))
            } else {
                (format!("sqlite://{}", dir.path().join("fresh.db").display()), None)
            };
            let store = Store::open(&url).await.unwrap();
            let admin_user = store
                .create_user("admin@example.org", None, weaver_core::enums::Role::Admin, None)
                .await
                .unwrap();
            store
                .create_api_token(admin_user.id, "tests", &weaver_server::auth::secret_hash("fresh"))
                .await
                .unwrap();
            let tokens = std::collections::HashMap::from([("admin", "fresh".to_owned())]);
            let app = common::app(&store, Config::default(), Arc::new(Outbox::default()));
            let req = Request::builder()
                .method("POST")
                .uri("/api/v1/packages")
                .header("content-type", "application/zip")
                .header("authorization", format!("Bearer {}", tokens["admin"]))
                .body(Body::from(first.clone()))
                .unwrap();
            let resp = app.clone().oneshot(req).await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            let (s, second) = bytes_of(&app, &tokens["admin"], "/api/v1/packages/export").await;
            assert_eq!(s, StatusCode::OK);

            let (first, second) = (csv_files(&first), csv_files(&second));
            assert!(first.contains_key("organizations.csv"), "{:?}", first.keys());
            for (name, bytes) in &first {
                assert_eq!(
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(&second[name]),
                    "{name} differs after export → import → export"
                );
            }
            assert_eq!(first.len(), second.len());
            store.close().await;
            weaver_testkit::drop_postgres(pg).await;
            env.finish().await;
        }
    });
}
