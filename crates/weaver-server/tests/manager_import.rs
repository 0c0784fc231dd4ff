//! A cluster manager's package import (issue 16: "import a package holding
//! only its own clusters' rows … scoped and audited"), on SQLite and on
//! PostgreSQL: a manager imports its own clusters' rows (stored, each
//! audited under the manager, readable by it); a package with any row it
//! may not write through the row API, a table only admins write, or a
//! reference to a row it may not read is refused whole with a 422 naming
//! the file, the row and the reason, and nothing changes; a dry run
//! reports and writes nothing; the re-import changes nothing; officers,
//! members and the public stay refused.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// Cluster c1 (managed by `manager`, funded by p1) with o1 and o2; cluster
/// c2 (managed by `outsider`) with o3, a private organization; indicators
/// with checks; each cluster's employment of 2023.
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme", "enterprise", "public"],
            &["o2", "Nano Institute", "research", "public"],
            &["o3", "Lyon Secret", "enterprise", "private"],
        ],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c1", "o2", "partner"],
            &["c2", "o3", "core"],
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
        &[&["p1", "c1"]],
    ),
    (
        "indicators",
        &[
            "id",
            "name",
            "direction",
            "min_value",
            "max_value",
            "integer_only",
        ],
        &[
            &["employment", "Employment", "higher_better", "0", "", "true"],
            &[
                "satisfaction",
                "Member satisfaction",
                "higher_better",
                "1",
                "5",
                "",
            ],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value"],
        &[
            &["c1", "employment", "2023", "1000"],
            &["c2", "employment", "2023", "500"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("manager_import", FIXTURE, Config::default()).await
}

/// A zip of `files` (name, CSV text).
fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Uploads `files` as a package to `/api/v1/packages{query}` as `who`.
async fn upload(env: &Env, who: &str, query: &str, files: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/packages{query}"))
        .header("content-type", "application/zip");
    if let Some(t) = env.tokens.get(who) {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = env
        .app
        .clone()
        .oneshot(req.body(Body::from(zip_of(files))).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
    assert!(!status.is_server_error(), "{status}: {v}");
    (status, v)
}

/// The problems of a 422 as `file|row|column|message` lines (the file
/// within the upload, `upload.zip › ` left out).
fn problems(v: &Value) -> Vec<String> {
    v["error"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {v}"))
        .iter()
        .map(|p| {
            format!(
                "{}|{}|{}|{}",
                p["file"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches("upload.zip › "),
                p["row"],
                p["column"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Every row of `table` as the admin reads it (JSON text, sorted), to
/// tell that nothing changed.
async fn rows(env: &Env, table: &str) -> Vec<String> {
    let (s, v) = env
        .call("admin", "GET", &format!("/api/v1/{table}?limit=1000"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut out: Vec<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::to_string)
        .collect();
    out.sort();
    out
}

/// The register as the admin reads it: every table a package here writes,
/// and the audit log's length.
async fn snapshot(env: &Env) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for t in [
        "organizations",
        "memberships",
        "observations",
        "indicators",
        "projects",
    ] {
        out.push(rows(env, t).await);
    }
    let (_, v) = env
        .call("admin", "GET", "/api/v1/audit?limit=1000", None)
        .await;
    out.push(vec![v["entries"].as_array().unwrap().len().to_string()]);
    out
}

/// The audit entries `who` reads: (actor, action, table, key).
async fn audit(env: &Env, who: &str) -> Vec<(String, String, String, String)> {
    let (s, v) = env.call(who, "GET", "/api/v1/audit?limit=1000", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("").to_owned();
            (text("actor"), text("action"), text("table"), text("key"))
        })
        .collect()
}

/// The manager's package: a new organization of c1 with its membership, a
/// project of c1, c1's employment of 2024 and a changed value of 2023.
const OWN: &[(&str, &str)] = &[
    (
        "organizations.csv",
        "id,name,actor_type\nn1,New Lab,research\n",
    ),
    ("memberships.csv", "cluster,org,tier\nc1,n1,associate\n"),
    ("projects.csv", "id,title,cluster\npr1,Nano coatings,c1\n"),
    (
        "observations.csv",
        "cluster,indicator,period,value\nc1,employment,2024,1100\nc1,employment,2023,1050\n",
    ),
];

/// The added, changed and unchanged counts of each table of a report.
fn counts(v: &Value) -> Vec<(String, i64, i64, i64)> {
    v["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("no tables in {v}"))
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap().to_owned(),
                t["added"].as_i64().unwrap(),
                t["changed"].as_i64().unwrap(),
                t["unchanged"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_manager_imports_its_own_clusters_rows_stored_audited_and_visible_to_it() {
    on_each(envs, async |env| {
        let (s, v) = upload(env, "manager", "", OWN).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let c = |t: &str, a, ch, u| (t.to_owned(), a, ch, u);
        assert_eq!(
            counts(&v),
            vec![
                c("organizations", 1, 0, 0),
                c("memberships", 1, 0, 0),
                c("projects", 1, 0, 0),
                c("observations", 1, 1, 0),
            ],
            "{v}"
        );
        assert_eq!(v["dry_run"], false);
        // Stored, and the manager reads what it imported.
        let (s, v) = env
            .call("manager", "GET", "/api/v1/organizations/n1", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/observations?cluster=c1&period=2024",
                None,
            )
            .await;
        assert_eq!(v["rows"][0]["value"], 1100.0, "{v}");
        let (_, v) = env
            .call(
                "manager",
                "GET",
                "/api/v1/observations?cluster=c1&period=2023",
                None,
            )
            .await;
        assert_eq!(v["rows"][0]["value"], 1050.0, "{v}");
        // Each row audited under the manager, and the manager reads those
        // entries; the admin also sees the package's entry.
        let mine: Vec<(String, String, String)> = audit(env, "manager")
            .await
            .into_iter()
            .filter(|e| e.0 == "manager@example.org")
            .map(|e| (e.1, e.2, e.3))
            .collect();
        let tables: Vec<(&str, &str)> = mine
            .iter()
            .map(|(a, t, _)| (a.as_str(), t.as_str()))
            .collect();
        for expected in [
            ("create", "organizations"),
            ("create", "memberships"),
            ("create", "projects"),
            ("create", "observations"),
            ("update", "observations"),
        ] {
            assert!(tables.contains(&expected), "{expected:?} in {mine:?}");
        }
        assert_eq!(mine.len(), 5, "{mine:?}");
        let admin_sees = audit(env, "admin").await;
        assert!(
            admin_sees.contains(&(
                "manager@example.org".to_owned(),
                "import".to_owned(),
                "package".to_owned(),
                "package".to_owned()
            )) || admin_sees
                .iter()
                .any(|e| e.0 == "manager@example.org" && e.1 == "import"),
            "{admin_sees:?}"
        );
        // The other cluster's manager does not read them.
        let (s, _) = env
            .call("outsider", "GET", "/api/v1/projects/pr1", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    });
}

#[test]
fn the_re_import_is_idempotent() {
    on_each(envs, async |env| {
        let (s, v) = upload(env, "manager", "", OWN).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let before = rows(env, "observations").await;
        let entries = audit(env, "manager").await.len();
        let (s, v) = upload(env, "manager", "", OWN).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for (table, added, changed, unchanged) in counts(&v) {
            assert_eq!((added, changed), (0, 0), "{table}: {v}");
            assert!(unchanged > 0, "{table}: {v}");
        }
        assert_eq!(rows(env, "observations").await, before);
        // No row entry more (the package's own entry is the admin's to read).
        assert_eq!(audit(env, "manager").await.len(), entries);
    });
}

#[test]
fn a_package_with_one_row_of_another_cluster_is_refused_whole_and_nothing_changes() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[
                ("projects.csv", "id,title,cluster\npr1,Nano coatings,c1\n"),
                (
                    "observations.csv",
                    "cluster,indicator,period,value\nc1,employment,2024,1100\n\
                     c2,employment,2024,600\n",
                ),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            problems(&v),
            vec![
                "observations.csv|3||this observations row is not in a cluster you manage \
                 (yours: c1)"
            ],
            "{v}"
        );
        assert_eq!(snapshot(env).await, before);
        // The same for an update of a row of the other cluster, and for the
        // other cluster's manager importing c1's rows.
        let (s, v) = upload(
            env,
            "outsider",
            "",
            &[(
                "observations.csv",
                "cluster,indicator,period,value\nc1,employment,2023,1\n",
            )],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            problems(&v),
            vec![
                "observations.csv|2||this observations row is not in a cluster you manage (yours: c2)"
            ],
            "{v}"
        );
        // A dry run answers the same refusal.
        let (s, v) = upload(
            env,
            "outsider",
            "?dry_run=true",
            &[(
                "observations.csv",
                "cluster,indicator,period,value\nc1,employment,2023,1\n",
            )],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(snapshot(env).await, before);
    });
}

#[test]
fn a_package_touching_an_admin_only_table_or_a_cluster_row_is_refused() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[
                (
                    "indicators.csv",
                    "id,name,direction\nemployment,Jobs,higher_better\n",
                ),
                (
                    "observations.csv",
                    "cluster,indicator,period,value\nc1,employment,2024,1100\n",
                ),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let p = problems(&v);
        assert_eq!(p.len(), 1, "{v}");
        assert!(
            p[0].starts_with("indicators.csv|null||a cluster manager may not change indicators"),
            "{p:?}"
        );
        // A new cluster: the row API lets a manager only update clusters.
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[("clusters.csv", "id,name,region\nc9,New,320500\n")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            problems(&v),
            vec![
                "clusters.csv|2||a cluster manager may update its clusters but not create or \
                 delete clusters; ask an admin"
            ]
        );
        assert_eq!(snapshot(env).await, before);
        // Its own cluster's row it may update.
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[(
                "clusters.csv",
                "id,name,region\nc1,Suzhou Nano Park,320500\n",
            )],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(counts(&v), vec![("clusters".to_owned(), 0, 1, 0)]);
    });
}

#[test]
fn a_hidden_row_referred_to_answers_as_a_missing_one() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        let refer = async |org: &str| {
            let (s, v) = upload(
                env,
                "manager",
                "",
                &[(
                    "memberships.csv",
                    &format!("cluster,org,tier\nc1,{org},associate\n"),
                )],
            )
            .await;
            (s, v.to_string().replace(org, "X"))
        };
        let hidden = refer("o3").await;
        let missing = refer("no-such-org").await;
        assert_eq!(hidden.0, StatusCode::UNPROCESSABLE_ENTITY, "{hidden:?}");
        assert_eq!(hidden, missing);
        assert_eq!(snapshot(env).await, before);
    });
}

#[test]
fn a_managers_dry_run_reports_and_writes_nothing() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        let (s, v) = upload(env, "manager", "?dry_run=true", OWN).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["dry_run"], true);
        assert_eq!(counts(&v)[3], ("observations".to_owned(), 1, 1, 0), "{v}");
        assert_eq!(snapshot(env).await, before);
    });
}

#[test]
fn officers_members_and_the_public_may_not_import() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        for (who, status) in [
            ("officer", StatusCode::FORBIDDEN),
            ("member", StatusCode::FORBIDDEN),
            ("public", StatusCode::UNAUTHORIZED),
        ] {
            let (s, v) = upload(env, who, "", OWN).await;
            assert_eq!(s, status, "{who}: {v}");
        }
        assert_eq!(snapshot(env).await, before);
    });
}

#[test]
fn a_managers_observation_is_checked_as_any_import() {
    on_each(envs, async |env| {
        let before = snapshot(env).await;
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[(
                "observations.csv",
                "cluster,indicator,period,value\nc1,satisfaction,2024,7\n\
                 c1,employment,2024,10.5\n",
            )],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            problems(&v),
            vec![
                "observations.csv|2|value|satisfaction: 7 is above the indicator's maximum 5 (it accepts 1 to 5)",
                "observations.csv|3|value|employment: 10.5 is not a whole number (the indicator counts whole units)",
            ]
        );
        assert_eq!(snapshot(env).await, before);
        // A jump is imported and named among the warnings.
        let (s, v) = upload(
            env,
            "manager",
            "",
            &[(
                "observations.csv",
                "cluster,indicator,period,value\nc1,employment,2024,100\n",
            )],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["warnings"],
            serde_json::json!([
                "upload.zip › observations.csv, row 2: c1: employment: 100 is less than 1/3 of 1000 in 2023 \
                 (×0.10, a jump to confirm); imported as given"
            ])
        );
    });
}
