//! What a campaign accepts (issue 16, "Campaigns and roles that fit the
//! work"), on SQLite and on PostgreSQL: an indicator's range and
//! whole-number rule refuse a value with a 422 naming the indicator, the
//! value and the rule, in a campaign submission and in a row write; a jump
//! from the previous period beyond the indicator's factor is stored only
//! once the submitter confirms it.

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// Programme p1 funds c1 (managed by `manager`); indicators with and
/// without checks; c1's values of 2023 (and one quarter).
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[
            &["o1", "Acme", "enterprise"],
            &["o2", "Nano Institute", "research"],
        ],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[&["c1", "o1", "core"], &["c1", "o2", "partner"]],
    ),
    (
        "ties",
        &["source", "target", "kind", "start"],
        &[&["o1", "o2", "contract", "2022"]],
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
    (
        "indicators",
        &[
            "id",
            "name",
            "unit",
            "direction",
            "min_value",
            "max_value",
            "integer_only",
            "jump_factor",
        ],
        &[
            &[
                "member_satisfaction",
                "Member satisfaction",
                "score 1-5",
                "higher_better",
                "1",
                "5",
                "",
                "",
            ],
            &[
                "patents",
                "Patents",
                "count",
                "higher_better",
                "0",
                "",
                "true",
                "",
            ],
            &[
                "employment",
                "Employment",
                "persons",
                "higher_better",
                "0",
                "",
                "true",
                "",
            ],
            &[
                "density",
                "Network density",
                "",
                "higher_better",
                "",
                "",
                "",
                "1.5",
            ],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value"],
        &[
            &["c1", "employment", "2023", "230487"],
            &["c1", "employment", "2022", "1000"],
            &["c1", "patents", "2023-Q4", "1"],
            &["c1", "density", "2023", "0.2"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("campaign_checks", FIXTURE, Config::default()).await
}

/// The officer of p1 opens campaign cm24 for 2024, asking every indicator.
async fn open_campaign(env: &Env) {
    let (s, v) = env
        .call(
            "officer",
            "POST",
            "/api/v1/campaigns",
            Some(
                json!({"id": "cm24", "name": "Monitoring 2024", "period": "2024",
                "deadline": "2099-12-31",
                "indicators": ["member_satisfaction", "patents", "employment", "density"]}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// The manager submits `values` for c1 (with `confirm` when given).
async fn submit(env: &Env, values: Value, confirm: Option<bool>) -> (StatusCode, Value) {
    let mut body = json!({"cluster": "c1", "values": values});
    if let Some(c) = confirm {
        body["confirm"] = json!(c);
    }
    env.call(
        "manager",
        "POST",
        "/api/v1/campaigns/cm24/observations",
        Some(body),
    )
    .await
}

/// The messages of a 422's problems.
fn messages(v: &Value) -> Vec<String> {
    v["error"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {v}"))
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_owned())
        .collect()
}

/// c1's value of `indicator` in 2024, as the admin reads it.
async fn value_2024(env: &Env, indicator: &str) -> Option<f64> {
    let (s, v) = env
        .call("admin", "GET", "/api/v1/observations?limit=1000", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cluster"] == "c1" && r["indicator"] == indicator && r["period"] == "2024")
        .map(|r| r["value"].as_f64().unwrap())
}

#[test]
fn a_submission_out_of_range_or_not_whole_is_refused_naming_indicator_value_and_rule() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let (s, v) = submit(
            env,
            json!({"member_satisfaction": -3, "patents": -5, "density": 0.25}),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec![
                "member_satisfaction: -3 is below the indicator's minimum 1 (it accepts 1 to 5)",
                "patents: -5 is below the indicator's minimum 0 (it accepts 0 or more)",
            ],
            "{v}"
        );
        // Nothing is written, not even the good value.
        assert_eq!(value_2024(env, "density").await, None);
        let (s, v) = submit(env, json!({"patents": 2.5}), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["patents: 2.5 is not a whole number (the indicator counts whole units)"]
        );
        let (s, v) = submit(env, json!({"member_satisfaction": 6}), Some(true)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["member_satisfaction: 6 is above the indicator's maximum 5 (it accepts 1 to 5)"]
        );
        // In range: accepted. A quarter's value (2023-Q4) is no previous
        // period of a year: 40 patents are no jump from it.
        let (s, v) = submit(
            env,
            json!({"member_satisfaction": 4.5, "patents": 40, "density": 0.25}),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["added"], 3);
        assert_eq!(value_2024(env, "member_satisfaction").await, Some(4.5));
    });
}

#[test]
fn a_row_write_out_of_range_or_not_whole_is_refused() {
    on_each(envs, async |env| {
        let row = |indicator: &str, value: f64| json!({"cluster": "c1", "indicator": indicator, "period": "2025", "value": value});
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/observations",
                Some(row("member_satisfaction", -3.0)),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["member_satisfaction: -3 is below the indicator's minimum 1 (it accepts 1 to 5)"]
        );
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/observations",
                Some(row("employment", 52000.5)),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["employment: 52000.5 is not a whole number (the indicator counts whole units)"]
        );
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/observations",
                Some(row("member_satisfaction", 3.0)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // An update is checked as well.
        let id = v["row_id"].as_i64().unwrap();
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/observations/{id}"),
                Some(json!({"value": 9})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["member_satisfaction: 9 is above the indicator's maximum 5 (it accepts 1 to 5)"]
        );
    });
}

#[test]
fn a_jump_from_the_previous_period_is_stored_only_once_confirmed() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        // 52,000 after 230,487 in 2023: below a third (the default factor).
        // density 0.5 after 0.2: beyond its own factor 1.5.
        let (s, v) = submit(env, json!({"employment": 52000, "density": 0.5}), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec![
                "c1: density: 0.5 is more than 1.5 times 0.2 in 2023 (×2.50, a jump to confirm); \
                 if it is right, submit again with confirm: true",
                "c1: employment: 52000 is less than 1/3 of 230487 in 2023 (×0.23, a jump to confirm); \
                 if it is right, submit again with confirm: true",
            ],
            "{v}"
        );
        assert_eq!(value_2024(env, "employment").await, None);
        // Within the factor: no question asked.
        let (s, v) = submit(env, json!({"employment": 240000}), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(value_2024(env, "employment").await, Some(240000.0));
        // Confirmed: stored.
        let (s, v) = submit(
            env,
            json!({"employment": 52000, "density": 0.5}),
            Some(true),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["added"].as_i64(), v["changed"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(value_2024(env, "employment").await, Some(52000.0));
        assert_eq!(value_2024(env, "density").await, Some(0.5));
    });
}

#[test]
fn a_row_write_that_jumps_is_stored_only_with_confirm() {
    on_each(envs, async |env| {
        let row = |value: f64| json!({"cluster": "c1", "indicator": "employment", "period": "2024", "value": value});
        let jump = "c1: employment: 52000 is less than 1/3 of 230487 in 2023 (×0.23, a jump to \
                    confirm); if it is right, send it again with ?confirm=true";
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/observations",
                Some(row(52000.0)),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(messages(&v), vec![jump]);
        assert_eq!(v["error"]["problems"][0]["column"], "value");
        assert_eq!(value_2024(env, "employment").await, None);
        // Within the factor: stored without a question.
        let (s, v) = env
            .call(
                "manager",
                "POST",
                "/api/v1/observations",
                Some(row(230000.0)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["row_id"].as_i64().unwrap();
        // A change is judged against the last earlier period, not itself.
        let path = format!("/api/v1/observations/{id}");
        let (s, v) = env
            .call("manager", "PATCH", &path, Some(json!({"value": 52000})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(messages(&v), vec![jump]);
        assert_eq!(value_2024(env, "employment").await, Some(230000.0));
        let (s, v) = env
            .call(
                "manager",
                "PATCH",
                &format!("{path}?confirm=true"),
                Some(json!({"value": 52000})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(value_2024(env, "employment").await, Some(52000.0));
        // Confirmed at creation too; a rule is not waived by confirming.
        let other =
            json!({"cluster": "c1", "indicator": "density", "period": "2024", "value": 0.9});
        let (s, v) = env
            .call("admin", "POST", "/api/v1/observations", Some(other.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/observations?confirm=true",
                Some(other),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call(
                "admin",
                "POST",
                "/api/v1/observations?confirm=true",
                Some(
                    json!({"cluster": "c1", "indicator": "patents", "period": "2024", "value": -1}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["patents: -1 is below the indicator's minimum 0 (it accepts 0 or more)"]
        );
        for bad in [
            "/api/v1/observations?confirm=maybe",
            "/api/v1/observations?confirmed=true",
        ] {
            let (s, v) = env.call("admin", "POST", bad, Some(row(1.0))).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        }
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("{path}?confirm=maybe"),
                Some(json!({"value": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    });
}

/// Uploads `files` as a package to `/api/v1/packages{query}` as the admin.
async fn import(env: &Env, query: &str, files: &[(&str, &str)]) -> (StatusCode, Value) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/packages{query}"))
        .header("authorization", format!("Bearer {}", env.tokens["admin"]))
        .header("content-type", "application/zip")
        .body(Body::from(bytes))
        .unwrap();
    let resp = env.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[test]
fn an_imported_value_out_of_range_refuses_the_package_and_a_jump_is_a_warning() {
    on_each(envs, async |env| {
        let csv = "cluster,indicator,period,value\nc1,density,2024,0.25\n\
                   c1,member_satisfaction,2024,-3\nc1,patents,2024,2.5\n";
        for query in ["", "?dry_run=true"] {
            let (s, v) = import(env, query, &[("observations.csv", csv)]).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            let problems: Vec<(String, Value, Value)> = v["error"]["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["file"].as_str().unwrap().to_owned(),
                        p["row"].clone(),
                        p["column"].clone(),
                    )
                })
                .collect();
            assert_eq!(
                problems,
                vec![
                    (
                        "upload.zip › observations.csv".to_owned(),
                        json!(3),
                        json!("value")
                    ),
                    (
                        "upload.zip › observations.csv".to_owned(),
                        json!(4),
                        json!("value")
                    ),
                ],
                "{v}"
            );
            assert_eq!(
                messages(&v),
                vec![
                    "member_satisfaction: -3 is below the indicator's minimum 1 (it accepts 1 to 5)",
                    "patents: 2.5 is not a whole number (the indicator counts whole units)",
                ]
            );
            assert_eq!(value_2024(env, "density").await, None, "nothing is written");
        }
        // The indicators of the package are the ones that count: with
        // patents' rule lifted in the same package, 2.5 goes in.
        let (s, v) = import(
            env,
            "",
            &[
                (
                    "indicators.csv",
                    "id,name,direction,integer_only\npatents,Patents,higher_better,false\n",
                ),
                (
                    "observations.csv",
                    "cluster,indicator,period,value\nc1,patents,2024,2.5\n",
                ),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // A jump is imported and named among the warnings, by file and row;
        // the package's own earlier period counts as the previous one.
        let csv = "cluster,indicator,period,value\nc1,employment,2024,52000\n\
                   c1,density,2025,0.9\nc1,density,2024,0.21\n";
        let (s, v) = import(env, "", &[("observations.csv", csv)]).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["warnings"],
            json!([
                "upload.zip › observations.csv, row 2: c1: employment: 52000 is less than 1/3 of \
                 230487 in 2023 (×0.23, a jump to confirm); imported as given",
                "upload.zip › observations.csv, row 3: c1: density: 0.9 is more than 1.5 times 0.21 \
                 in 2024 (×4.29, a jump to confirm); imported as given",
            ])
        );
        assert_eq!(value_2024(env, "employment").await, Some(52000.0));
        // The same package again changes nothing and warns of nothing.
        let (s, v) = import(env, "", &[("observations.csv", csv)]).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["warnings"], json!([]), "{v}");
    });
}

#[test]
fn a_disputed_tie_is_recorded_with_its_note_and_counted_on_the_board() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let (s, v) = env
            .call("member", "GET", "/api/v1/campaigns/cm24/ties", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let tie = v["ties"][0]["row_id"].as_i64().unwrap();
        let path = format!("/api/v1/campaigns/cm24/ties/{tie}");
        let (s, v) = env
            .call(
                "member",
                "POST",
                &path,
                Some(json!({"confirmed": false, "note": "the contract ended in 2023"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (&v["confirmed"], &v["note"]),
            (&json!(false), &json!("the contract ended in 2023"))
        );
        let (_, v) = env
            .call("member", "GET", "/api/v1/campaigns/cm24/ties", None)
            .await;
        assert_eq!(v["ties"][0]["note"], "the contract ended in 2023", "{v}");
        let (_, v) = env
            .call("officer", "GET", "/api/v1/campaigns/cm24", None)
            .await;
        assert_eq!(
            (
                &v["status"][0]["ties"],
                &v["status"][0]["ties_confirmed"],
                &v["status"][0]["ties_disputed"]
            ),
            (&json!(1), &json!(0), &json!(1)),
            "{v}"
        );
        // Confirmed after all: the dispute (and its note) is replaced.
        let (s, v) = env
            .call("member", "POST", &path, Some(json!({"confirmed": true})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["note"], Value::Null);
        let (_, v) = env
            .call("officer", "GET", "/api/v1/campaigns/cm24", None)
            .await;
        assert_eq!(
            (
                &v["status"][0]["ties_confirmed"],
                &v["status"][0]["ties_disputed"]
            ),
            (&json!(1), &json!(0)),
            "{v}"
        );
        let (s, v) = env
            .call(
                "member",
                "POST",
                &path,
                Some(json!({"confirmed": false, "note": "x".repeat(10_001)})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["the note holds 10001 characters; at most 10000 are kept"]
        );
    });
}

/// Uploads a package of one observations.csv to the campaign's
/// submission endpoint as the manager, at `query`.
async fn upload(env: &Env, csv: &str, query: &str) -> (StatusCode, Value) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("observations.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut w, csv.as_bytes()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/campaigns/cm24/submission{query}"))
        .header("authorization", format!("Bearer {}", env.tokens["manager"]))
        .header("content-type", "application/octet-stream")
        .body(Body::from(bytes))
        .unwrap();
    let resp = env.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[test]
fn an_uploaded_submission_is_checked_and_a_jump_confirmed_by_query() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let csv = "cluster,indicator,period,value\nc1,employment,2024,52000\n";
        let (s, v) = upload(env, csv, "").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec![
                "c1: employment: 52000 is less than 1/3 of 230487 in 2023 (×0.23, a jump to confirm); \
                 if it is right, submit again with confirm: true"
            ]
        );
        assert_eq!(value_2024(env, "employment").await, None);
        let bad = "cluster,indicator,period,value\nc1,member_satisfaction,2024,-3\n";
        let (s, v) = upload(env, bad, "?confirm=true").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            messages(&v),
            vec!["member_satisfaction: -3 is below the indicator's minimum 1 (it accepts 1 to 5)"]
        );
        let (s, v) = upload(env, csv, "?confirm=true").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(value_2024(env, "employment").await, Some(52000.0));
    });
}

/// The texts of the cells of an `.xlsx` (its shared strings).
fn xlsx_texts(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn the_template_shows_labels_units_and_last_periods_value() {
    on_each(envs, async |env| {
        open_campaign(env).await;
        let (s, _, bytes) = env
            .bytes("manager", "/api/v1/campaigns/cm24/template")
            .await;
        assert_eq!(s, StatusCode::OK);
        let texts = xlsx_texts(&bytes);
        for hint in [
            // The year before 2024, not the older 2022.
            "Employment [persons]; last period 2023: 230487",
            "Network density; last period 2023: 0.2",
            // 2023-Q4 is a quarter: no earlier value of a year.
            "Patents [count]; no earlier value",
            "Member satisfaction [score 1-5]; no earlier value",
        ] {
            assert!(texts.contains(hint), "{hint} missing from {texts}");
        }
    });
}

#[test]
fn a_campaign_with_a_deadline_in_the_past_is_refused() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call(
                "officer",
                "POST",
                "/api/v1/campaigns",
                Some(json!({"id": "old", "name": "Too late", "period": "2024",
                    "deadline": "2020-01-31", "indicators": ["employment"]})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let m = messages(&v);
        assert_eq!(v["error"]["problems"][0]["column"], "deadline", "{v}");
        assert!(
            m[0].starts_with("the deadline 2020-01-31 is in the past (today is "),
            "{m:?}"
        );
        let (_, v) = env.call("admin", "GET", "/api/v1/campaigns", None).await;
        assert_eq!(v["campaigns"].as_array().unwrap().len(), 0, "{v}");
    });
}
