//! Rights that must not be gained, and traces that must not stay, on SQLite
//! and on PostgreSQL (`WEAVER_TEST_PG`, required with `WEAVER_REQUIRE_PG`):
//! a manager's own writes give it no right over other clusters' rows
//! (issue 13, item 1), a row one may not read answers as a missing one when
//! it is referred to (item 3), a campaign is closed only by whoever covers
//! all of it (item 4), and an erased person leaves no e-mail behind while the
//! last admin stays (item 5).

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use weaver_core::enums::Role;
use weaver_server::Config;
use weaver_store::{ScopeKind, Store};

mod common;

use common::{Env, Table, on_each, rt};

/// Two clusters, each funded by a programme; in each a public, a private and
/// a cluster-level organization and a private tie.
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
            &["o1", "Acme", "enterprise", "public"],
            &["o2", "Lyon Labs", "research", "public"],
            &["o3", "Secret Works", "enterprise", "private"],
            &["o4", "Lone Firm", "enterprise", "public"],
            &["o5", "Lyon Secret", "enterprise", "private"],
            &["o6", "Lyon Club", "intermediary", "cluster"],
            &["o7", "Lyon Pharma", "enterprise", "public"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[
            &["c1", "Chengdu Software", "510100"],
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
            &["c2", "o5", "partner"],
            &["c2", "o6", "partner"],
            &["c2", "o7", "core"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "visibility"],
        &[
            &["o1", "o3", "contract", "2022", "private"],
            &["o2", "o5", "contract", "2021", "private"],
            &["o2", "o7", "supply", "2020", "private"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction", "visibility"],
        &[
            &["members", "Members", "higher_better", "public"],
            &["secret", "Secret ratio", "higher_better", "private"],
        ],
    ),
];

/// A fresh register with the fixture on each backend that is available.
async fn envs() -> Vec<Env> {
    common::envs("rights", FIXTURE, Config::default()).await
}

impl Env {
    /// Adds an account with an API token, signing in as `who`.
    async fn account(
        &mut self,
        who: &'static str,
        role: Role,
        scopes: &[(ScopeKind, &str)],
    ) -> i64 {
        let user = self
            .store
            .create_user(&format!("{who}@example.org"), None, role, None)
            .await
            .unwrap();
        for (kind, r) in scopes {
            self.store.assign(user.id, *kind, r).await.unwrap();
        }
        let token = format!("test-token-{who}");
        self.store
            .create_api_token(user.id, "tests", &weaver_server::auth::secret_hash(&token))
            .await
            .unwrap();
        self.tokens.insert(who, token);
        user.id
    }

    async fn user_id(&self, who: &str) -> i64 {
        self.store
            .user_by_email(&format!("{who}@example.org"))
            .await
            .unwrap()
            .unwrap()
            .0
            .id
    }

    /// The row_id of the tie `source` → `target`, as the admin reads it.
    async fn tie(&self, source: &str, target: &str) -> (i64, Value) {
        let (_, v) = self
            .call(
                "admin",
                "GET",
                &format!("/api/v1/ties?source={source}&target={target}"),
                None,
            )
            .await;
        let row = v["rows"][0].clone();
        (row["row_id"].as_i64().unwrap(), row)
    }
}

/// Every text cell of every table of the database that contains `needle`,
/// as `table.column` (counted), so that an erased e-mail is looked for
/// everywhere, in tables added after this test too.
async fn cells_containing(store: &Store, needle: &str) -> Vec<String> {
    let pool = store.pool();
    let sqlite = store.url().starts_with("sqlite");
    let tables: Vec<String> = if sqlite {
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(pool)
            .await
            .unwrap()
    } else {
        sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    };
    assert!(tables.iter().any(|t| t == "campaigns"), "{tables:?}");
    let mut hits = Vec::new();
    for table in tables {
        let columns: Vec<String> = if sqlite {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{table}')"
            )))
            .fetch_all(pool)
            .await
            .unwrap()
        } else {
            sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap()
        };
        for column in columns {
            let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1"
            )))
            .bind(format!("%{needle}%"))
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
            if n > 0 {
                hits.push(format!("{table}.{column} ({n})"));
            }
        }
    }
    hits
}

#[test]
fn an_erased_person_leaves_no_email_and_the_last_admin_stays() {
    rt().block_on(async {
        for env in envs().await {
            let officer = env.user_id("officer").await;
            let manager = env.user_id("manager").await;
            // The officer opens a campaign, the manager writes a row, and
            // someone fails to sign in as the manager.
            let open = json!({"id": "cm24", "name": "Monitoring 2024", "period": "2024",
                "deadline": "2099-12-31", "indicators": ["members"]});
            let (s, v) = env
                .call("officer", "POST", "/api/v1/campaigns", Some(open))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            assert_eq!(v["created_by"], "officer@example.org");
            let (s, v) = env
                .call(
                    "manager",
                    "POST",
                    "/api/v1/organizations",
                    Some(json!({"id": "o9", "name": "New Co", "actor_type": "enterprise"})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            env.store
                .record_login_failure("manager@example.org")
                .await
                .unwrap();
            assert!(
                !cells_containing(&env.store, "officer@example.org")
                    .await
                    .is_empty()
            );
            assert!(
                !cells_containing(&env.store, "manager@example.org")
                    .await
                    .is_empty()
            );
            // Both erase themselves.
            for who in ["officer", "manager"] {
                let (s, v) = env.call(who, "DELETE", "/api/v1/auth/me", None).await;
                assert_eq!(s, StatusCode::NO_CONTENT, "{who}: {v}");
                let email = format!("{who}@example.org");
                assert_eq!(
                    cells_containing(&env.store, &email).await,
                    Vec::<String>::new(),
                    "{email} is left after erasure"
                );
            }
            // What they did is kept, under their number.
            let (_, v) = env
                .call("admin", "GET", "/api/v1/campaigns/cm24", None)
                .await;
            assert_eq!(
                v["campaign"]["created_by"],
                format!("erased user #{officer}"),
                "{v}"
            );
            let (_, v) = env
                .call(
                    "admin",
                    "GET",
                    "/api/v1/audit?table=organizations&key=o9",
                    None,
                )
                .await;
            assert_eq!(
                v["entries"][0]["actor"],
                format!("erased user #{manager}"),
                "{v}"
            );
            env.finish().await;
        }
    });
}

#[test]
fn the_last_admin_can_be_neither_erased_nor_demoted_nor_disabled() {
    rt().block_on(async {
        for mut env in envs().await {
            let admin = env.user_id("admin").await;
            // Alone, the admin cannot erase itself.
            let (s, v) = env.call("admin", "DELETE", "/api/v1/auth/me", None).await;
            assert_eq!(s, StatusCode::CONFLICT, "{v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("last enabled admin"),
                "{v}"
            );
            assert_eq!(
                env.call("admin", "GET", "/api/v1/auth/me", None).await.0,
                StatusCode::OK
            );
            // Nor can the CLI's paths (the store) remove, demote or disable it.
            for r in [
                env.store.erase_user(admin).await,
                env.store.set_role(admin, Role::Manager).await,
                env.store.set_disabled(admin, true).await,
            ] {
                match r {
                    Err(weaver_store::StoreError::Conflict(m)) => {
                        assert!(m.contains("last enabled admin"), "{m}")
                    }
                    other => panic!("the last admin was changed: {other:?}"),
                }
            }
            assert_eq!(
                env.call("admin", "GET", "/api/v1/auth/me", None).await.0,
                StatusCode::OK
            );
            // With a second admin, one may go; then the other is the last.
            let second = env.account("admin2", Role::Admin, &[]).await;
            let (s, v) = env
                .call(
                    "admin2",
                    "PATCH",
                    &format!("/api/v1/users/{admin}"),
                    Some(json!({"disabled": true})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = env.call("admin2", "DELETE", "/api/v1/auth/me", None).await;
            assert_eq!(s, StatusCode::CONFLICT, "{v}");
            match env.store.set_role(second, Role::Officer).await {
                Err(weaver_store::StoreError::Conflict(_)) => {}
                other => panic!("the last enabled admin was demoted: {other:?}"),
            }
            // Re-enabled, the first admin lets the second go.
            env.store.set_disabled(admin, false).await.unwrap();
            env.store.erase_user(second).await.unwrap();
            env.finish().await;
        }
    });
}

#[test]
fn a_campaign_is_closed_only_by_whoever_covers_all_its_clusters() {
    rt().block_on(async {
        for mut env in envs().await {
            let open = json!({"id": "both", "name": "Both clusters", "period": "2024",
                "deadline": "2099-12-31", "indicators": ["members"], "clusters": ["c1", "c2"]});
            let (s, v) = env
                .call("admin", "POST", "/api/v1/campaigns", Some(open))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            // The officer of p1 funds c1 only: it sees the campaign but may
            // not freeze c2's observations.
            let (s, v) = env
                .call("officer", "GET", "/api/v1/campaigns/both", None)
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = env
                .call("officer", "POST", "/api/v1/campaigns/both/close", None)
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
            assert!(
                v["error"]["message"].as_str().unwrap().contains("c2"),
                "{v}"
            );
            let (_, v) = env
                .call("admin", "GET", "/api/v1/campaigns/both", None)
                .await;
            assert_eq!(v["campaign"]["status"], "open", "{v}");
            // An officer of both programmes may.
            env.account(
                "officer12",
                Role::Officer,
                &[(ScopeKind::Programme, "p1"), (ScopeKind::Programme, "p2")],
            )
            .await;
            let (s, v) = env
                .call("officer12", "POST", "/api/v1/campaigns/both/close", None)
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            assert_eq!(v["campaign"]["status"], "closed", "{v}");
            // And an admin closes any.
            let open = json!({"id": "again", "name": "Again", "period": "2023",
                "deadline": "2099-12-31", "indicators": ["members"], "clusters": ["c1", "c2"]});
            assert_eq!(
                env.call("admin", "POST", "/api/v1/campaigns", Some(open))
                    .await
                    .0,
                StatusCode::CREATED
            );
            let (s, v) = env
                .call("admin", "POST", "/api/v1/campaigns/again/close", None)
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            env.finish().await;
        }
    });
}

/// A change of name, which c1's manager may not make to another's row.
fn rename() -> Option<Value> {
    Some(json!({"name": "Taken"}))
}

/// As c1's manager (Chengdu): adds Lyon's public o2 and o7 to c1.
async fn lyon_members_added_to_c1(env: &Env) {
    for org in ["o2", "o7"] {
        let m = json!({"cluster": "c1", "org": org, "tier": "associate", "since": "2001"});
        let (s, v) = env
            .call("manager", "POST", "/api/v1/memberships", Some(m))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
}

#[test]
fn adding_an_organization_to_ones_cluster_gives_no_right_over_its_profile() {
    on_each(envs, async |env| {
        // Lyon's public organization: the Chengdu manager may not edit it.
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o2", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        // Adding it (and another) to one's cluster is allowed ...
        lyon_members_added_to_c1(env).await;
        // ... but gives no right over its profile.
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o2", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (_, v) = env
            .call("admin", "GET", "/api/v1/organizations/o2", None)
            .await;
        assert_eq!(v["name"], "Lyon Labs");
    });
}

#[test]
fn adding_organizations_to_ones_cluster_gives_no_right_over_their_private_ties() {
    on_each(envs, async |env| {
        lyon_members_added_to_c1(env).await;
        // Lyon's private ties: unreadable, unchangeable, and left out of
        // the cluster's network.
        for (source, target) in [("o2", "o5"), ("o2", "o7")] {
            let (tie, _) = env.tie(source, target).await;
            let (_, v) = env.call("manager", "GET", "/api/v1/ties", None).await;
            assert!(
                v["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["row_id"] != tie),
                "{v}"
            );
            let path = format!("/api/v1/ties/{tie}");
            assert_eq!(
                env.call("manager", "GET", &path, None).await.0,
                StatusCode::NOT_FOUND
            );
            let (s, v) = env
                .call(
                    "manager",
                    "PATCH",
                    &path,
                    Some(json!({"visibility": "public"})),
                )
                .await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
            assert_eq!(
                env.call("manager", "DELETE", &path, None).await.0,
                StatusCode::NOT_FOUND
            );
            let (_, row) = env.tie(source, target).await;
            assert_eq!(row["visibility"], "private");
            // Lyon's manager still reads and writes them.
            assert_eq!(
                env.call("outsider", "GET", &path, None).await.0,
                StatusCode::OK
            );
        }
        let (s, v) = env
            .call("manager", "GET", "/api/v1/clusters/c1/network", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // o1–o3 is c1's own private tie; o2–o7 (both now members) is not c1's.
        assert_eq!(v["summary"]["edges"], 1, "{v}");
    });
}

#[test]
fn a_later_import_records_nothing_for_the_memberships_a_manager_wrote() {
    on_each(envs, async |env| {
        lyon_members_added_to_c1(env).await;
        common::import_fixture(
            &env.store,
            &[(
                "indicators",
                &["id", "name", "direction"],
                &[&["jobs", "Jobs", "higher_better"]],
            )],
        )
        .await;
        let (tie, _) = env.tie("o2", "o5").await;
        assert_eq!(
            env.call("manager", "GET", &format!("/api/v1/ties/{tie}"), None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o2", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    });
}

#[test]
fn an_organization_made_private_is_hidden_from_a_cluster_a_manager_added_it_to() {
    on_each(envs, async |env| {
        lyon_members_added_to_c1(env).await;
        // Made private by an admin, o2 is hidden from Chengdu's manager
        // although it is a member of c1, and still read by Lyon's.
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                "/api/v1/organizations/o2",
                Some(json!({"visibility": "private"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            env.call("manager", "GET", "/api/v1/organizations/o2", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.call("outsider", "GET", "/api/v1/organizations/o2", None)
                .await
                .0,
            StatusCode::OK
        );
        // Now o2 belongs to a cluster Lyon's manager does not manage: its
        // profile is changed by an admin only.
        let (s, v) = env
            .call("outsider", "PATCH", "/api/v1/organizations/o2", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    });
}

#[test]
fn an_organization_with_a_member_account_is_changed_by_its_members_not_its_manager() {
    on_each(envs, async |env| {
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o1", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (s, v) = env
            .call("member", "PATCH", "/api/v1/organizations/o1", rename())
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    });
}

/// As c1's manager: adds o9, then Lyon's manager makes it a member of c2.
async fn o9_added_then_counted_by_lyon(env: &Env) {
    let new = json!({"id": "o9", "name": "New Co", "actor_type": "enterprise"});
    let (s, v) = env
        .call("manager", "POST", "/api/v1/organizations", Some(new))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let m = json!({"cluster": "c2", "org": "o9", "tier": "associate"});
    let (s, v) = env
        .call("outsider", "POST", "/api/v1/memberships", Some(m))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[test]
fn an_organization_the_manager_adds_is_its_to_change_until_another_cluster_counts_it() {
    on_each(envs, async |env| {
        let new = json!({"id": "o9", "name": "New Co", "actor_type": "enterprise"});
        let (s, v) = env
            .call("manager", "POST", "/api/v1/organizations", Some(new))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o9", rename())
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = env
            .call("outsider", "PATCH", "/api/v1/organizations/o9", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let m = json!({"cluster": "c2", "org": "o9", "tier": "associate"});
        let (s, v) = env
            .call("outsider", "POST", "/api/v1/memberships", Some(m))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = env
            .call("manager", "PATCH", "/api/v1/organizations/o9", rename())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    });
}

#[test]
fn a_tie_the_manager_writes_is_its_own_and_hidden_from_the_other_cluster() {
    on_each(envs, async |env| {
        o9_added_then_counted_by_lyon(env).await;
        let tie =
            json!({"source": "o1", "target": "o9", "kind": "contract", "visibility": "private"});
        let (s, v) = env.call("manager", "POST", "/api/v1/ties", Some(tie)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let path = format!("/api/v1/ties/{}", v["row_id"]);
        let (s, v) = env
            .call(
                "manager",
                "PATCH",
                &path,
                Some(json!({"visibility": "cluster"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            env.call("outsider", "GET", &path, None).await.0,
            StatusCode::NOT_FOUND
        );
    });
}

/// Migration 0004 records existing rows for the clusters their memberships
/// (and clusters' manager_org) give them when it runs.
#[test]
fn existing_rows_are_recorded_for_their_clusters_at_migration() {
    rt().block_on(async {
        for env in envs().await {
            let pool = env.store.pool();
            let url = env.store.url().to_owned();
            let pairs = |sql: &'static str| async move {
                let mut v: Vec<(String, String)> =
                    sqlx::query_as(sql).fetch_all(pool).await.unwrap();
                v.sort();
                v
            };
            let orgs = "SELECT org, cluster FROM organization_clusters";
            let ties = "SELECT CAST(t.source AS TEXT) || '-' || t.target, r.cluster \
                        FROM tie_clusters r JOIN ties t ON t.row_id = r.tie";
            let (before_orgs, before_ties) = (pairs(orgs).await, pairs(ties).await);
            // Undo the migration and run it again, on the fixture's rows.
            for sql in [
                "DROP TABLE organization_clusters",
                "DROP TABLE tie_clusters",
                "DELETE FROM _sqlx_migrations WHERE version = 4",
            ] {
                sqlx::query(sql).execute(pool).await.unwrap();
            }
            let again = Store::open(&url).await.unwrap();
            again.close().await;
            assert_eq!(pairs(orgs).await, before_orgs);
            assert_eq!(pairs(ties).await, before_ties);
            let expect_orgs: Vec<(String, String)> = [
                ("o1", "c1"),
                ("o2", "c2"),
                ("o3", "c1"),
                ("o5", "c2"),
                ("o6", "c2"),
                ("o7", "c2"),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
            assert_eq!(before_orgs, expect_orgs);
            let expect_ties: Vec<(String, String)> =
                [("o1-o3", "c1"), ("o2-o5", "c2"), ("o2-o7", "c2")]
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect();
            assert_eq!(before_ties, expect_ties);
            env.finish().await;
        }
    });
}

/// The answer to a body naming `hidden`, with the id replaced, equals the
/// answer to the same body naming `missing`.
fn same_answer(a: &(StatusCode, Value), hidden: &str, b: &(StatusCode, Value), missing: &str) {
    assert_eq!(a.0, b.0, "{} / {}", a.1, b.1);
    assert_eq!(
        a.1.to_string().replace(hidden, "ID"),
        b.1.to_string().replace(missing, "ID"),
    );
}

#[test]
fn a_row_one_may_not_read_is_referred_to_as_a_missing_one() {
    rt().block_on(async {
        for env in envs().await {
            // A manager naming another cluster's private or cluster-level
            // organization: the answer of an unknown id.
            let membership = |org: &str| json!({"cluster": "c1", "org": org, "tier": "associate"});
            let missing = env
                .call(
                    "manager",
                    "POST",
                    "/api/v1/memberships",
                    Some(membership("o0")),
                )
                .await;
            assert_eq!(missing.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.1);
            for hidden in ["o5", "o6"] {
                let a = env
                    .call(
                        "manager",
                        "POST",
                        "/api/v1/memberships",
                        Some(membership(hidden)),
                    )
                    .await;
                same_answer(&a, hidden, &missing, "o0");
                let tie = |o: &str| json!({"source": "o1", "target": o, "kind": "contract"});
                let a = env
                    .call("manager", "POST", "/api/v1/ties", Some(tie(hidden)))
                    .await;
                let b = env
                    .call("manager", "POST", "/api/v1/ties", Some(tie("o0")))
                    .await;
                same_answer(&a, hidden, &b, "o0");
            }
            // An admin names them.
            let (s, v) = env
                .call(
                    "admin",
                    "POST",
                    "/api/v1/memberships",
                    Some(membership("o6")),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            // A reference the row already holds stays, even once hidden.
            let (s, v) = env
                .call(
                    "manager",
                    "POST",
                    "/api/v1/memberships",
                    Some(membership("o2")),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            let path = format!("/api/v1/memberships/{}", v["row_id"]);
            let (s, v) = env
                .call(
                    "admin",
                    "PATCH",
                    "/api/v1/organizations/o2",
                    Some(json!({"visibility": "private"})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = env
                .call("manager", "PATCH", &path, Some(json!({"tier": "core"})))
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = env
                .call("manager", "PATCH", &path, Some(json!({"org": "o5"})))
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            // An officer naming a private indicator: the answer of an unknown one.
            let campaign = |ind: &str| {
                json!({"id": "cm", "name": "Monitoring", "period": "2024",
                    "deadline": "2099-12-31", "indicators": ["members", ind]})
            };
            let a = env
                .call(
                    "officer",
                    "POST",
                    "/api/v1/campaigns",
                    Some(campaign("secret")),
                )
                .await;
            let b = env
                .call(
                    "officer",
                    "POST",
                    "/api/v1/campaigns",
                    Some(campaign("nosuch")),
                )
                .await;
            assert_eq!(b.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", b.1);
            same_answer(&a, "secret", &b, "nosuch");
            let mut named = campaign("secret");
            named["clusters"] = json!(["c1"]);
            let (s, v) = env
                .call("admin", "POST", "/api/v1/campaigns", Some(named))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            env.finish().await;
        }
    });
}
