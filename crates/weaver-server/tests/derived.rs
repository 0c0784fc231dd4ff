//! Derived answers — mapping, computed indicators, audit entries, exports —
//! computed from, or filtered to, what the caller may read, on SQLite and on
//! PostgreSQL (a fresh database on the server named by `WEAVER_TEST_PG`;
//! required when `WEAVER_REQUIRE_PG` or `CI` is set). Each test puts marker
//! strings or distinctive values in rows some callers may not read and
//! checks that they reach those who may and no one else.

use std::collections::HashMap;
use std::io::Read;

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_server::Config;

mod common;

use common::{Env, Table, on_each};

/// Programme p1 funds c1 and c3, p2 funds c2. c1's members: o1 (public),
/// o3 (a private organization, through a membership at `cluster`
/// visibility) and o4 (a public organization, through a private
/// membership); c3's: o5 and o6. A tie o1 – o3 (readable by c1's readers,
/// but about the hidden o3) and a public tie o1 – o2. A private programme
/// p3 that funds nothing. Regional activity: four public rows in two
/// regions and one private row with a distinctive employment.
const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name", "visibility"],
        &[
            &["p1", "Torch", "public"],
            &["p2", "Pôles", "public"],
            &["p3", "PRIVATE-PROGRAMME-MARKER", "private"],
        ],
    ),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme", "enterprise", "public"],
            &["o2", "Lyon Works", "enterprise", "public"],
            &["o3", "SECRET-ORG-MARKER", "enterprise", "private"],
            &["o4", "Quiet Member Co", "enterprise", "public"],
            &["o5", "Wuxi Five", "enterprise", "public"],
            &["o6", "Wuxi Six", "enterprise", "public"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[
            &["c1", "Suzhou Nano", "320500"],
            &["c2", "Lyon Bio", "FRK26"],
            &["c3", "Wuxi IoT", "320200"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c3"], &["p2", "c2"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier", "visibility"],
        &[
            &["c1", "o1", "core", "cluster"],
            &["c1", "o3", "partner", "cluster"],
            &["c1", "o4", "core", "private"],
            &["c2", "o2", "core", "cluster"],
            &["c3", "o5", "core", "cluster"],
            &["c3", "o6", "core", "cluster"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "visibility"],
        &[
            &["o1", "o3", "contract", "2022", "cluster"],
            &["o1", "o2", "supply", "2021", "public"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction", "visibility"],
        &[&[
            "secret_ind",
            "PRIVATE-INDICATOR-MARKER",
            "higher_better",
            "private",
        ]],
    ),
    (
        "regional_activity",
        &["region", "industry", "year", "employment", "visibility"],
        &[
            &["R1", "I1", "2024", "100", "public"],
            &["R1", "I2", "2024", "200", "public"],
            &["R2", "I1", "2024", "300", "public"],
            &["R2", "I2", "2024", "400", "public"],
            &["R1", "I3", "2024", "98765", "private"],
        ],
    ),
];

/// A fresh register with the fixture on each backend that is available.
async fn envs() -> Vec<Env> {
    common::envs("derived", FIXTURE, Config::default()).await
}

/// The cells of a mapping answer by (region, industry).
fn cells(v: &Value) -> HashMap<(String, String), Value> {
    v["sections"][0]["cells"]
        .as_array()
        .unwrap_or_else(|| panic!("no cells: {v}"))
        .iter()
        .map(|c| {
            (
                (
                    c["region"].as_str().unwrap().to_owned(),
                    c["category"].as_str().unwrap().to_owned(),
                ),
                c.clone(),
            )
        })
        .collect()
}

/// The mapping of R1 in 2024.
const MAP_R1: &str = "/api/v1/mapping/clusters?year=2024&region=R1";

#[test]
fn a_reader_maps_only_public_rows_never_another_readers_cached_answer() {
    on_each(envs, async |env| {
        // The admin first, so that its answer is in the cache.
        let (s, admin) = env.call("admin", "GET", MAP_R1, None).await;
        assert_eq!(s, StatusCode::OK, "{admin}");
        // Public rows only: R1/I1 is 100 of R1's 300, I1 400 of 1000.
        for who in ["public", "member", "officer"] {
            let (s, v) = env.call(who, "GET", MAP_R1, None).await;
            assert_eq!(s, StatusCode::OK, "{who}: {v}");
            assert!(!v.to_string().contains("98765"), "{who}: {v}");
            let c = cells(&v);
            assert!(!c.contains_key(&("R1".into(), "I3".into())), "{who}: {v}");
            let lq = c[&("R1".into(), "I1".into())]["lq"].as_f64().unwrap();
            assert!(
                (lq - (100.0 / 300.0) / (400.0 / 1000.0)).abs() < 1e-9,
                "{who}: {v}"
            );
            assert_eq!(
                v["cached"],
                json!(false),
                "{who} was given another reader's result"
            );
        }
    });
}

#[test]
fn the_admins_mapping_counts_the_private_row() {
    on_each(envs, async |env| {
        let (s, admin) = env.call("admin", "GET", MAP_R1, None).await;
        assert_eq!(s, StatusCode::OK, "{admin}");
        let a = cells(&admin);
        assert_eq!(a[&("R1".into(), "I3".into())]["employment"], json!(98765.0));
        let lq = a[&("R1".into(), "I1".into())]["lq"].as_f64().unwrap();
        let total = 1000.0 + 98765.0;
        assert!(
            (lq - (100.0 / 99065.0) / (400.0 / total)).abs() < 1e-9,
            "{admin}"
        );
    });
}

#[test]
fn the_publics_mapping_asked_again_comes_from_its_own_cache() {
    on_each(envs, async |env| {
        let (_, admin) = env.call("admin", "GET", MAP_R1, None).await;
        assert_eq!(admin["cached"], json!(false));
        let (_, first) = env.call("public", "GET", MAP_R1, None).await;
        assert_eq!(first["cached"], json!(false));
        let (_, again) = env.call("public", "GET", MAP_R1, None).await;
        assert_eq!(again["cached"], json!(true));
        assert!(!again.to_string().contains("98765"));
    });
}
/// The ranks of a ranking answer by cluster.
fn ranks(v: &Value) -> HashMap<String, u64> {
    v["clusters"]
        .as_array()
        .unwrap_or_else(|| panic!("no clusters: {v}"))
        .iter()
        .map(|r| {
            (
                r["cluster"].as_str().unwrap().to_owned(),
                r["rank"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The ranking of 2024 by the register's own indicators only.
const RANKING: &str = "/api/v1/evaluation/ranking?period=2024";

#[test]
fn private_memberships_count_in_the_ranking_of_their_readers_only() {
    on_each(envs, async |env| {
        // No entered observations: c1 has 3 members for those who read
        // every row (o1, the private o3, o4 by a private membership) and a
        // tie among them; c3 has 2 members and no tie. The officer of p1
        // reads c1's o1 alone: c3 must come first for it, c1 for the admin.
        let (s, admin) = env.call("admin", "GET", RANKING, None).await;
        assert_eq!(s, StatusCode::OK, "{admin}");
        let r = ranks(&admin);
        assert!(r["c1"] < r["c3"], "{admin}");
        let (s, officer) = env.call("officer", "GET", RANKING, None).await;
        assert_eq!(s, StatusCode::OK, "{officer}");
        let r = ranks(&officer);
        assert_eq!(r.len(), 2, "the officer reads c1 and c3: {officer}");
        assert!(r["c3"] < r["c1"], "private memberships counted: {officer}");
    });
}

#[test]
fn a_private_indicator_counts_in_the_coverage_of_its_readers_only() {
    on_each(envs, async |env| {
        // The catalogue is the indicators one may read: the private
        // secret_ind (no observations) counts in the admin's coverage
        // (present indicators of 14 computed + 1), not the officer's (of
        // 14), which would tell that a private indicator exists.
        let (_, admin) = env.call("admin", "GET", RANKING, None).await;
        let (_, officer) = env.call("officer", "GET", RANKING, None).await;
        let computed = weaver_server::register_indicators::catalogue().len() as f64;
        let on = |v: &Value, n: f64| {
            v["clusters"].as_array().unwrap().iter().all(|r| {
                let k = r["coverage"].as_f64().unwrap() * n;
                (k - k.round()).abs() < 1e-9
            })
        };
        assert!(
            on(&admin, computed + 1.0) && !on(&admin, computed),
            "{admin}"
        );
        assert!(
            on(&officer, computed) && !on(&officer, computed + 1.0),
            "{officer}"
        );
    });
}

#[test]
fn a_manager_reads_its_private_memberships_a_member_only_its_own() {
    on_each(envs, async |env| {
        // The manager of c1 reads its private rows: 3 members; the member
        // o1 reads only itself in c1.
        let facts = env
            .store
            .readable_evaluation_facts(Some(&principal(env, "manager").await))
            .await
            .unwrap();
        let c1 = |f: &weaver_store::EvaluationFacts| {
            f.memberships.iter().filter(|m| m.cluster == "c1").count()
        };
        assert_eq!(c1(&facts), 3);
        let facts = env
            .store
            .readable_evaluation_facts(Some(&principal(env, "member").await))
            .await
            .unwrap();
        assert_eq!(c1(&facts), 1, "{:?}", facts.memberships);
        assert!(
            facts
                .memberships
                .iter()
                .all(|m| m.org != "o3" && m.org != "o4")
        );
    });
}
/// The principal of one of the test accounts.
async fn principal(env: &Env, who: &str) -> weaver_store::Principal {
    let user = env
        .store
        .user_by_email(&format!("{who}@example.org"))
        .await
        .unwrap()
        .unwrap()
        .0;
    env.store.principal(user.id).await.unwrap()
}

/// Writes, as the admin, the audit trail the audit tests read: private
/// rows created, changed, deleted and made public, public rows created,
/// deleted and changed.
async fn seed_audit(env: &Env) {
    let org = |id: &str, name: &str, vis: &str| json!({"id": id, "name": name, "actor_type": "enterprise", "visibility": vis});
    let post = |body: Value| env.call("admin", "POST", "/api/v1/organizations", Some(body));
    // A private row created and changed.
    assert_eq!(
        post(org("o9", "HIDDEN-AUDIT-MARKER", "private")).await.0,
        StatusCode::CREATED
    );
    let (s, _) = env
        .call(
            "admin",
            "PATCH",
            "/api/v1/organizations/o9",
            Some(json!({"name": "HIDDEN-AUDIT-MARKER-2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A private row created and deleted.
    assert_eq!(
        post(org("o8", "DELETED-PRIVATE-MARKER", "private")).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        env.call("admin", "DELETE", "/api/v1/organizations/o8", None)
            .await
            .0,
        StatusCode::OK
    );
    // A row private before, public now: its private image stays hidden.
    assert_eq!(
        post(org("o10", "WAS-PRIVATE-MARKER", "private")).await.0,
        StatusCode::CREATED
    );
    let (s, _) = env
        .call(
            "admin",
            "PATCH",
            "/api/v1/organizations/o10",
            Some(json!({"name": "Now Public", "visibility": "public"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A public row created and deleted, and a public row changed.
    assert_eq!(
        post(org("o7", "VISIBLE-AUDIT-MARKER", "public")).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        env.call("admin", "DELETE", "/api/v1/organizations/o7", None)
            .await
            .0,
        StatusCode::OK
    );
    // Images with numbers where others have none (one statement judges
    // every image of a table, whatever its values).
    let mut counted = org("o11", "COUNTED-MARKER", "public");
    counted["employees"] = json!(12);
    assert_eq!(post(counted).await.0, StatusCode::CREATED);
    let (s, _) = env
        .call(
            "admin",
            "PATCH",
            "/api/v1/organizations/o1",
            Some(json!({"name": "Acme Renamed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[test]
fn a_private_row_is_a_404_with_no_audit_entry_for_the_officer() {
    on_each(envs, async |env| {
        seed_audit(env).await;
        let (s, _) = env
            .call("officer", "GET", "/api/v1/organizations/o9", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, v) = env
            .call(
                "officer",
                "GET",
                "/api/v1/audit?table=organizations&key=o9",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["entries"], json!([]), "{v}");
    });
}

#[test]
fn no_image_of_a_private_row_reaches_the_officers_audit() {
    on_each(envs, async |env| {
        seed_audit(env).await;
        let (s, all) = env
            .call("officer", "GET", "/api/v1/audit?limit=500", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{all}");
        let text = all.to_string();
        for hidden in [
            "HIDDEN-AUDIT-MARKER",
            "DELETED-PRIVATE-MARKER",
            "WAS-PRIVATE-MARKER",
        ] {
            assert!(
                !text.contains(hidden),
                "{hidden} reached the officer: {all}"
            );
        }
    });
}

#[test]
fn the_officers_audit_holds_the_public_rows_changes() {
    on_each(envs, async |env| {
        seed_audit(env).await;
        // The public row's change and the public row's creation and
        // deletion (judged by its last image).
        let (_, all) = env
            .call("officer", "GET", "/api/v1/audit?limit=500", None)
            .await;
        let text = all.to_string();
        let entries = all["entries"].as_array().unwrap();
        assert!(text.contains("Acme Renamed"), "{all}");
        assert!(text.contains("COUNTED-MARKER"), "{all}");
        assert_eq!(
            entries.iter().filter(|e| e["key"] == "o7").count(),
            2,
            "{all}"
        );
    });
}

#[test]
fn audit_pages_are_pages_of_what_the_caller_reads() {
    on_each(envs, async |env| {
        seed_audit(env).await;
        let (_, all) = env
            .call("officer", "GET", "/api/v1/audit?limit=500", None)
            .await;
        let entries = all["entries"].as_array().unwrap();
        let (_, page) = env
            .call("officer", "GET", "/api/v1/audit?limit=1&offset=1", None)
            .await;
        assert_eq!(page["entries"], json!([entries[1]]), "{page}");
    });
}

#[test]
fn the_admin_reads_every_audit_entry() {
    on_each(envs, async |env| {
        seed_audit(env).await;
        let (_, v) = env
            .call(
                "admin",
                "GET",
                "/api/v1/audit?table=organizations&key=o9",
                None,
            )
            .await;
        assert_eq!(v["entries"].as_array().unwrap().len(), 2, "{v}");
        assert!(v.to_string().contains("HIDDEN-AUDIT-MARKER-2"));
        let (_, v) = env
            .call("admin", "GET", "/api/v1/audit?limit=500", None)
            .await;
        for marker in ["DELETED-PRIVATE-MARKER", "WAS-PRIVATE-MARKER"] {
            assert!(v.to_string().contains(marker), "{marker}: {v}");
        }
    });
}
/// The files of a zip package, by name.
fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = HashMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().unwrap().to_string(), text);
    }
    out
}

/// The lines of a CSV file after its header.
fn lines<'a>(files: &'a HashMap<String, String>, table: &str) -> Vec<&'a str> {
    files[&format!("{table}.csv")].lines().skip(1).collect()
}

#[test]
fn an_officers_export_holds_only_what_it_reads_and_says_so() {
    on_each(envs, async |env| {
        let (s, headers, bytes) = env.bytes("officer", "/api/v1/packages/export").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["x-weaver-partial"], "true");
        let files = unzip(&bytes);
        let all: String = files.values().cloned().collect();
        for hidden in ["SECRET-ORG-MARKER", "PRIVATE-PROGRAMME-MARKER", "98765"] {
            assert!(!all.contains(hidden), "{hidden} in the officer's export");
        }
        let d: Value = serde_json::from_str(&files["datapackage.json"]).unwrap();
        assert_eq!(d["weaver"]["partial"], json!(true), "{d}");
        assert_eq!(d["weaver"]["exported_for"]["email"], "officer@example.org");
        assert!(d["weaver"]["reason"].as_str().unwrap().contains("may read"));
        // The partial package is still a package the register reads.
        assert_eq!(
            d["resources"].as_array().unwrap().len(),
            weaver_core::schema::TABLES.len()
        );
    });
}

#[test]
fn an_officers_export_drops_rows_that_refer_to_hidden_ones() {
    on_each(envs, async |env| {
        let (_, _, bytes) = env.bytes("officer", "/api/v1/packages/export").await;
        let files = unzip(&bytes);
        // The readable membership of o3 refers to the hidden o3, the
        // membership of o4 is private; the tie o1 – o3 refers to o3.
        let memberships = lines(&files, "memberships");
        assert!(
            memberships.iter().any(|l| l.starts_with("c1,o1,")),
            "{memberships:?}"
        );
        assert!(
            memberships
                .iter()
                .all(|l| !l.contains("o3") && !l.contains("o4")),
            "{memberships:?}"
        );
        let ties = lines(&files, "ties");
        assert!(ties.iter().any(|l| l.starts_with("o1,o2,")), "{ties:?}");
        assert!(ties.iter().all(|l| !l.contains("o3")), "{ties:?}");
        assert_eq!(lines(&files, "regional_activity").len(), 4);
    });
}

#[test]
fn a_partial_workbook_carries_the_mark_as_a_document_property() {
    on_each(envs, async |env| {
        // A workbook has no datapackage.json.
        let (s, headers, bytes) = env
            .bytes("officer", "/api/v1/packages/export?format=xlsx")
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["x-weaver-partial"], "true");
        let custom = &unzip(&bytes)["docProps/custom.xml"];
        assert!(
            custom.contains("name=\"weaver\"") && custom.contains("\"partial\":true"),
            "{custom}"
        );
        let (_, _, bytes) = env
            .bytes("admin", "/api/v1/packages/export?format=xlsx")
            .await;
        assert!(!unzip(&bytes).contains_key("docProps/custom.xml"));
    });
}

#[test]
fn the_admins_export_is_whole_and_not_marked_partial() {
    on_each(envs, async |env| {
        let (s, headers, bytes) = env.bytes("admin", "/api/v1/packages/export").await;
        assert_eq!(s, StatusCode::OK);
        assert!(headers.get("x-weaver-partial").is_none());
        let files = unzip(&bytes);
        let all: String = files.values().cloned().collect();
        for marker in ["SECRET-ORG-MARKER", "PRIVATE-PROGRAMME-MARKER", "98765"] {
            assert!(
                all.contains(marker),
                "{marker} missing from the admin's export"
            );
        }
        assert_eq!(lines(&files, "memberships").len(), 6);
        let d: Value = serde_json::from_str(&files["datapackage.json"]).unwrap();
        assert!(d.get("weaver").is_none(), "{d}");
    });
}

#[test]
fn members_may_not_export_the_register() {
    on_each(envs, async |env| {
        // Members and managers still list rows table by table.
        let (s, _) = env
            .call("member", "GET", "/api/v1/packages/export", None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    });
}
