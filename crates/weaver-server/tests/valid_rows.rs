//! Time-valid rows (issue 16), on SQLite and on PostgreSQL: `valid_at=` lists
//! the rows valid on a day (both ends inclusive; a year or month covers all
//! its days), `until=null` the open rows, and bad dates are refused naming
//! the parameter.

use axum::http::StatusCode;
use serde_json::json;
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// One programme, two clusters; memberships opened and closed over the
/// years, dated to the day, the month and the year.
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme", "enterprise", "public"],
            &["o2", "Lyon Labs", "research", "public"],
            &["o3", "Quiet Works", "enterprise", "public"],
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
        &["programme", "cluster", "since", "until"],
        &[
            &["p1", "c1", "2019", "2021-06"],
            &["p1", "c2", "2022-01-01", ""],
        ],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "since", "until"],
        &[
            &["c1", "o1", "core", "2018", "2020-12-31"],
            &["c1", "o1", "partner", "2021-01-01", ""],
            &["c1", "o2", "associate", "2020-06", "2020-12"],
            &["c2", "o2", "partner", "2019-01-01", "2021"],
            &["c1", "o3", "core", "", ""],
            &["c2", "o4", "core", "2023-03-15", ""],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("valid_rows", FIXTURE, Config::default()).await
}

/// The `org/tier` of the memberships `who` lists at `query`, sorted.
async fn members(env: &Env, who: &str, query: &str) -> Vec<String> {
    let (s, v) = env
        .call(who, "GET", &format!("/api/v1/memberships?{query}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{query} as {who}: {v}");
    let mut out: Vec<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["org"].as_str().unwrap(),
                r["tier"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(v["total"].as_u64().unwrap() as usize, out.len(), "{query}");
    out.sort();
    out
}

#[test]
fn valid_at_lists_the_rows_valid_that_day_both_ends_inclusive() {
    on_each(envs, async |env| {
        // o1/core ends 2020-12-31 (inclusive); o2/associate runs June to
        // December 2020 (months); o2/partner to the end of 2021 (a year);
        // o3 has no dates.
        assert_eq!(
            members(env, "admin", "valid_at=2020-12-31").await,
            ["o1/core", "o2/associate", "o2/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2021-01-01").await,
            ["o1/partner", "o2/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2020-06-01").await,
            ["o1/core", "o2/associate", "o2/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2020-05-31").await,
            ["o1/core", "o2/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2021-12-31").await,
            ["o1/partner", "o2/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2022-01-01").await,
            ["o1/partner", "o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2017-12-31").await,
            ["o3/core"]
        );
        assert_eq!(
            members(env, "admin", "valid_at=2023-03-14&cluster=c2").await,
            Vec::<String>::new()
        );
        assert_eq!(
            members(env, "admin", "valid_at=2023-03-15&cluster=c2").await,
            ["o4/core"]
        );
        // A programme's clusters: `until` 2021-06 covers all of June.
        for (day, want) in [
            ("2021-06-30", vec!["c1"]),
            ("2021-07-01", vec![]),
            ("2022-01-01", vec!["c2"]),
        ] {
            let (s, v) = env
                .call(
                    "admin",
                    "GET",
                    &format!("/api/v1/programme_clusters?valid_at={day}"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let got: Vec<&str> = v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["cluster"].as_str().unwrap())
                .collect();
            assert_eq!(got, want, "{day}");
        }
    });
}

#[test]
fn until_null_lists_the_open_rows() {
    on_each(envs, async |env| {
        let open = ["o1/partner", "o3/core", "o4/core"];
        assert_eq!(members(env, "admin", "until=null").await, open);
        assert_eq!(members(env, "admin", "until=NULL").await, open);
        assert_eq!(members(env, "admin", "until=").await, open);
        // `since` is part of the key (stored empty when not given).
        assert_eq!(members(env, "admin", "since=null").await, ["o3/core"]);
        assert_eq!(
            members(env, "admin", "until=null&valid_at=2019-01-01").await,
            ["o3/core"]
        );
        assert_eq!(
            members(env, "admin", "until=2020-12").await,
            ["o2/associate"]
        );
    });
}

#[test]
fn the_validity_filters_do_not_widen_what_a_caller_reads() {
    on_each(envs, async |env| {
        // Memberships are cluster-level by default: the public sees none,
        // c2's manager only c2's.
        assert!(
            members(env, "public", "valid_at=2024-01-01")
                .await
                .is_empty()
        );
        assert!(members(env, "public", "until=null").await.is_empty());
        assert_eq!(
            members(env, "outsider", "valid_at=2024-01-01").await,
            ["o4/core"]
        );
        assert_eq!(members(env, "outsider", "until=null").await, ["o4/core"]);
        assert_eq!(
            members(env, "outsider", "valid_at=2020-01-01").await,
            ["o2/partner"]
        );
    });
}

#[test]
fn bad_validity_queries_are_refused_naming_the_parameter() {
    on_each(envs, async |env| {
        for (path, names) in [
            ("/api/v1/memberships?valid_at=2020-13-01", "valid_at"),
            ("/api/v1/memberships?valid_at=2020-02-30", "valid_at"),
            ("/api/v1/memberships?valid_at=2020", "valid_at"),
            ("/api/v1/memberships?valid_at=", "valid_at"),
            ("/api/v1/clusters?valid_at=2020-01-01", "valid_at"),
            ("/api/v1/memberships?until=soon", "until"),
            ("/api/v1/memberships?tier=null", "tier"),
        ] {
            let (s, v) = env.call("admin", "GET", path, None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
            let m = v["error"]["message"].as_str().unwrap();
            assert!(m.contains(names), "{path}: {m}");
        }
    });
}

#[test]
fn a_row_write_refuses_an_overlapping_membership_naming_both_rows() {
    on_each(envs, async |env| {
        // o1 is a partner of c1 from 2021-01-01, open.
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/memberships",
                Some(
                    json!({"cluster": "c1", "org": "o1", "tier": "associate", "since": "2024-02"}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        let m = v["error"]["message"].as_str().unwrap();
        assert!(m.contains("tier partner, 2021-01-01 to open"), "{m}");
        assert!(m.contains("tier associate, 2024-02 to open"), "{m}");
        assert_eq!(
            members(env, "admin", "org=o1").await,
            ["o1/core", "o1/partner"],
            "nothing written"
        );
        // Before o1's first membership began: accepted.
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/memberships",
                Some(json!({"cluster": "c1", "org": "o1", "tier": "associate",
                    "since": "2010", "until": "2017-12-31"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // Stretched into the core years by a change: refused.
        let row = v["row_id"].as_i64().unwrap();
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/memberships/{row}"),
                Some(json!({"until": "2018"})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("row_id {row}"))
        );
    });
}

/// The row_id of c1's membership of `org` with `tier`.
async fn row_of(env: &Env, org: &str, tier: &str) -> i64 {
    let (_, v) = env
        .call(
            "admin",
            "GET",
            &format!("/api/v1/memberships?cluster=c1&org={org}&tier={tier}"),
            None,
        )
        .await;
    v["rows"][0]["row_id"].as_i64().unwrap()
}

#[test]
fn a_change_of_tier_closes_the_membership_and_opens_a_new_one() {
    on_each(envs, async |env| {
        let row = row_of(env, "o1", "partner").await;
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/memberships/{row}?on=2024-03-01"),
                Some(json!({"tier": "core"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["tier"], "core");
        assert_eq!(v["since"], "2024-03-01");
        assert_eq!(v["until"], serde_json::Value::Null);
        assert_eq!(v["closed"]["row_id"], row);
        assert_eq!(v["closed"]["tier"], "partner");
        assert_eq!(v["closed"]["since"], "2021-01-01");
        // The day before, in a leap year.
        assert_eq!(v["closed"]["until"], "2024-02-29");
        // History kept: the tier on each day.
        assert_eq!(
            members(env, "admin", "org=o1&valid_at=2024-02-29").await,
            ["o1/partner"]
        );
        assert_eq!(
            members(env, "admin", "org=o1&valid_at=2024-03-01").await,
            ["o1/core"]
        );
        assert_eq!(
            members(env, "admin", "org=o1").await,
            ["o1/core", "o1/core", "o1/partner"]
        );
        // Both writes are in the audit log.
        let (s, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/audit?table=memberships&limit=10",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let entries = v["entries"].as_array().or(v["rows"].as_array()).unwrap();
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"update") && actions.contains(&"create"),
            "{v}"
        );
        // A change dated before the membership began, or after it ended, is refused.
        let o2 = row_of(env, "o2", "associate").await;
        for (on, status) in [
            ("2020-06-01", StatusCode::UNPROCESSABLE_ENTITY),
            ("2021-01-01", StatusCode::UNPROCESSABLE_ENTITY),
            ("2020-13-01", StatusCode::BAD_REQUEST),
        ] {
            let (s, v) = env
                .call(
                    "admin",
                    "PATCH",
                    &format!("/api/v1/memberships/{o2}?on={on}"),
                    Some(json!({"tier": "core"})),
                )
                .await;
            assert_eq!(s, status, "{on}: {v}");
            let named = v["error"]["problems"][0]["column"] == "on"
                || v["error"]["message"].as_str().unwrap().starts_with("on:");
            assert!(named, "{on}: {v}");
        }
        // Mid-way through it: accepted.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/memberships/{o2}?on=2020-10-15"),
                Some(json!({"tier": "core"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["until"], "2020-12");
        assert_eq!(v["closed"]["until"], "2020-10-14");
        // `on` without a change of tier is refused.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/memberships/{o2}?on=2020-10-15"),
                Some(json!({"visibility": "public"})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    });
}

#[test]
fn governance_roles_are_typed_with_one_chair_of_a_body_at_a_time() {
    on_each(envs, async |env| {
        let seat = |org: &str, role: &str, since: &str| json!({"cluster": "c1", "body": "board", "org": org, "role": role, "since": since});
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/governance",
                Some(seat("o1", "president", "2020")),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(
            v.to_string()
                .contains("chair, vice_chair, member, secretary, observer"),
            "{v}"
        );
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/governance",
                Some(seat("o1", "chair", "2020")),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let first = v["row_id"].as_i64().unwrap();
        // A second current chair of the board: refused, naming both rows.
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/governance",
                Some(seat("o3", "chair", "2024-01-01")),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        let m = v["error"]["message"].as_str().unwrap();
        assert!(
            m.contains(&format!("row_id {first} (org 'o1', 2020 to open)")),
            "{m}"
        );
        assert!(m.contains("org 'o3', 2024-01-01 to open"), "{m}");
        // Once the first chair's term ends: accepted; another body's chair too.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/governance/{first}"),
                Some(json!({"until": "2023"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/governance",
                Some(seat("o3", "chair", "2024-01-01")),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let mut advisory = seat("o2", "chair", "2024-01-01");
        advisory["body"] = json!("advisory");
        let (s, v) = env
            .call("admin", "POST", "/api/v1/governance", Some(advisory))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // Reopening the first term would make two chairs again.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/governance/{first}"),
                Some(json!({"until": null})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
    });
}
