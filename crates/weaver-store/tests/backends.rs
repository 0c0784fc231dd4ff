//! The register's test suite, run against both backends: SQLite (a temporary
//! file) and PostgreSQL (a fresh database on the server named by
//! `WEAVER_TEST_PG`, default `postgres://postgres@127.0.0.1:5432/test`).
//!
//! Where no PostgreSQL answers, the PostgreSQL half prints a SKIPPED line —
//! unless `WEAVER_REQUIRE_PG` or `CI` is set, as in `.ci/run`, where it fails.

use std::collections::HashSet;

use weaver_core::enums::ActorType;
use weaver_core::{Package, PackageBuilder, TableData, Value, schema};
use weaver_store::{Backend, ImportOptions, Store};

mod common;
use common::{registers, rt};

fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// A table of the sample: name, header and rows.
type SampleTable = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

/// A small package touching every table.
fn sample(name: &str) -> PackageBuilder {
    let mut b = PackageBuilder::new(name);
    let rows: &[SampleTable] = &[
        (
            "regions",
            &["id", "name", "level", "parent", "country", "lat", "lon"],
            &[
                &["CN", "中国", "country", "", "CN", "", ""],
                &[
                    "320500",
                    "苏州市",
                    "prefecture",
                    "CN",
                    "CN",
                    "31.3",
                    "120.6",
                ],
            ],
        ),
        (
            "programmes",
            &["id", "name", "level", "start"],
            &[&["p1", "国家先进制造业集群", "national", "2019"]],
        ),
        (
            "organizations",
            &[
                "id",
                "name",
                "actor_type",
                "size",
                "employees",
                "identifiers",
            ],
            &[
                &[
                    "o1",
                    "Acme 机械",
                    "enterprise",
                    "sme",
                    "120",
                    "uscc:91320500MA1;pic:1",
                ],
                &["o2", "苏州大学", "university", "", "", ""],
                &["o3", "Fraunhofer", "research", "", "2400", "pic:999"],
            ],
        ),
        (
            "clusters",
            &[
                "id",
                "name",
                "region",
                "sectors",
                "sector_classification",
                "website_en",
                "management_fte",
                "manager_org",
            ],
            &[&[
                "c1",
                "苏州纳米集群",
                "320500",
                "C39;C40",
                "GB/T 4754",
                "true",
                "4.5",
                "o1",
            ]],
        ),
        (
            "programme_clusters",
            &["programme", "cluster", "since"],
            &[&["p1", "c1", "2019-06"]],
        ),
        (
            "memberships",
            &["cluster", "org", "tier", "since"],
            &[
                &["c1", "o1", "core", "2019-01-01"],
                &["c1", "o2", "partner", ""],
            ],
        ),
        (
            "governance",
            &["cluster", "body", "org", "role"],
            &[&["c1", "board", "o2", "chair"]],
        ),
        (
            "projects",
            &["id", "title", "cluster", "start", "end", "budget"],
            &[&[
                "pr1",
                "Nano sensors",
                "c1",
                "2020-01-01",
                "2022-12-31",
                "1500000.5",
            ]],
        ),
        (
            "participations",
            &["project", "org", "role", "contribution"],
            &[
                &["pr1", "o1", "coordinator", "500000"],
                &["pr1", "o3", "partner", ""],
            ],
        ),
        (
            "funding",
            &["recipient", "source_type", "programme", "amount", "year"],
            &[
                &["pr1", "central_gov", "p1", "800000", "2020"],
                &["c1", "own", "", "50000", "2021"],
            ],
        ),
        (
            "ties",
            &["source", "target", "kind", "start", "weight", "directed"],
            &[
                &["o1", "o2", "contract", "2020", "2", "false"],
                &["o2", "o3", "co_publication", "", "1.5", "true"],
            ],
        ),
        (
            "indicators",
            &["id", "name", "direction", "weight"],
            &[&["members", "成员数", "higher_better", "1"]],
        ),
        (
            "observations",
            &["cluster", "indicator", "period", "value"],
            &[
                &["c1", "members", "2024", "3"],
                &["c1", "members", "2024-q3", "3.5"],
            ],
        ),
        (
            "regional_activity",
            &["region", "industry", "year", "employment", "establishments"],
            &[&["320500", "C39", "2023", "125000", "830"]],
        ),
    ];
    for (table, cols, data) in rows {
        let mut t = b.table(table, &format!("{table}.csv"), &h(cols)).unwrap();
        for (i, r) in data.iter().enumerate() {
            t.push_row(i + 2, r);
        }
    }
    b
}

fn checked(b: PackageBuilder) -> Package {
    b.finish(&|_, _| false).unwrap()
}

async fn import(store: &Store, p: &Package, dry_run: bool) -> weaver_store::ImportReport {
    store
        .import(p, &ImportOptions { dry_run }, &mut |_, _, _| {})
        .await
        .unwrap()
}

#[test]
fn a_new_register_is_empty_migrated_and_sqlite_is_in_wal_mode() {
    rt().block_on(async {
        for (store, db, dir) in registers("weaver_t").await {
            assert_eq!(store.total_rows().await.unwrap(), 0);
            assert_eq!(store.counts().await.unwrap().len(), schema::TABLES.len());
            if store.backend() == Backend::Sqlite {
                assert!(dir.path().join("reg.db").exists());
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
                assert_eq!(mode, "wal");
                let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
                assert_eq!(fk, 1);
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// Migration 0005 gives the rows without provenance (those the API wrote
/// before it recorded one) `weaver-api`, and leaves every other alone.
#[test]
fn migration_0005_gives_rows_without_provenance_the_api_source() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_m5").await {
            for (id, source) in [("m1", "NULL"), ("m2", "''"), ("m3", "'pkg'")] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO organizations (id, name, actor_type, visibility, source) \
                     VALUES ('{id}', 'M', 'user', 'public', {source})"
                )))
                .execute(store.pool())
                .await
                .unwrap();
            }
            sqlx::query(
                "INSERT INTO organizations (id, name, actor_type, visibility) \
                 VALUES ('m4', 'M', 'user', 'public')",
            )
            .execute(store.pool())
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO ties (source, target, kind, visibility) VALUES ('m1', 'm2', 'other', 'public')",
            )
            .execute(store.pool())
            .await
            .unwrap();
            let folder = if store.backend() == Backend::Sqlite {
                "sqlite"
            } else {
                "postgres"
            };
            let migration = std::fs::read_to_string(format!(
                "{}/migrations/{folder}/0005_api_source.sql",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            for statement in migration.split(';').filter(|s| s.contains("UPDATE")) {
                let statement = statement
                    .lines()
                    .filter(|l| !l.starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n");
                sqlx::query(sqlx::AssertSqlSafe(statement))
                    .execute(store.pool())
                    .await
                    .unwrap();
            }
            let sources: Vec<(String, String)> =
                sqlx::query_as("SELECT id, source FROM organizations ORDER BY id")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            let want = [("m1", "weaver-api"), ("m2", "weaver-api"), ("m3", "pkg"), ("m4", "weaver-api")];
            assert_eq!(
                sources,
                want.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
            );
            let citation: String = sqlx::query_scalar("SELECT citation FROM ties")
                .fetch_one(store.pool())
                .await
                .unwrap();
            assert_eq!(citation, weaver_store::API_SOURCE);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn import_is_idempotent_and_dry_run_writes_nothing() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            let p = checked(sample("pkg"));
            let dry = import(&store, &p, true).await;
            assert!(dry.dry_run);
            assert_eq!(dry.totals(), (22, 0, 0));
            assert_eq!(
                store.total_rows().await.unwrap(),
                0,
                "{:?}",
                store.backend()
            );
            let first = import(&store, &p, false).await;
            assert_eq!(first.totals(), (22, 0, 0));
            assert_eq!(store.total_rows().await.unwrap(), 22);
            let again = import(&store, &p, false).await;
            assert_eq!(again.totals(), (0, 0, 22), "{:?}", store.backend());
            assert_eq!(store.total_rows().await.unwrap(), 22);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn changed_rows_are_updated_and_absent_columns_keep_their_values() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            import(&store, &checked(sample("pkg")), false).await;
            // Only id, name, actor_type: employees and identifiers must stay.
            let mut b = PackageBuilder::new("pkg");
            {
                let mut t = b
                    .table("organizations", "o.csv", &h(&["id", "name", "actor_type"]))
                    .unwrap();
                t.push_row(2, &["o1", "Acme Machinery", "enterprise"]);
                t.push_row(3, &["o2", "苏州大学", "university"]);
                t.push_row(4, &["o4", "New Bank", "finance"]);
            }
            let p = b.finish(&|_, _| false).unwrap();
            let dry = import(&store, &p, true).await;
            assert_eq!(dry.tables[0].added, 1);
            assert_eq!(dry.tables[0].changed, 1);
            assert_eq!(dry.tables[0].unchanged, 1);
            import(&store, &p, false).await;
            let tables = store.export().await.unwrap();
            let orgs = tables
                .iter()
                .find(|t| t.schema.name == "organizations")
                .unwrap();
            let o1 = orgs
                .rows
                .iter()
                .find(|r| r[0] == Value::Text("o1".into()))
                .unwrap();
            let pos = |c: &str| orgs.schema.position(c).unwrap();
            assert_eq!(o1[pos("name")], Value::Text("Acme Machinery".into()));
            assert_eq!(o1[pos("employees")], Value::Int(120));
            assert_eq!(
                o1[pos("identifiers")],
                Value::Text("uscc:91320500MA1;pic:1".into())
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn export_gives_back_what_was_imported_in_key_order() {
    rt().block_on(async {
        let mut exports: Vec<Vec<TableData>> = Vec::new();
        for (store, db, _dir) in registers("weaver_t").await {
            let p = checked(sample("pkg"));
            import(&store, &p, false).await;
            let tables = store.export().await.unwrap();
            for t in &p.tables {
                let e = tables
                    .iter()
                    .find(|x| x.schema.name == t.schema.name)
                    .unwrap();
                let mut want = t.rows.clone();
                let keys = t.schema.key_positions();
                want.sort_by_key(|r| keys.iter().map(|&k| r[k].to_text()).collect::<Vec<_>>());
                assert_eq!(e.rows, want, "{} on {:?}", t.schema.name, store.backend());
            }
            let ties = tables.iter().find(|t| t.schema.name == "ties").unwrap();
            assert_eq!(ties.rows[0][6], Value::Bool(false));
            assert_eq!(ties.rows[1][6], Value::Bool(true));
            exports.push(tables);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
        // Both backends export the same rows.
        if exports.len() == 2 {
            for (a, b) in exports[0].iter().zip(&exports[1]) {
                assert_eq!(a.rows, b.rows, "{}", a.schema.name);
            }
        }
    });
}

#[test]
fn a_failing_import_leaves_the_register_unchanged() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            import(&store, &checked(sample("pkg")), false).await;
            let before = store.export().await.unwrap();
            // Built by hand to get past the package checks: the database's own
            // foreign key must refuse the tie, and the organization added by the
            // same import must be rolled back with it.
            let mut p = checked(sample("pkg"));
            let orgs = p
                .tables
                .iter_mut()
                .find(|t| t.schema.name == "organizations")
                .unwrap();
            let mut extra = orgs.rows[0].clone();
            extra[0] = Value::Text("o9".into());
            orgs.rows.push(extra);
            let ties = p
                .tables
                .iter_mut()
                .find(|t| t.schema.name == "ties")
                .unwrap();
            let mut bad = ties.rows[0].clone();
            bad[1] = Value::Text("ghost".into());
            ties.rows.push(bad);
            let result = store
                .import(&p, &ImportOptions::default(), &mut |_, _, _| {})
                .await;
            assert!(
                result.is_err(),
                "{:?} accepted a tie to a missing organization",
                store.backend()
            );
            let after = store.export().await.unwrap();
            for (a, b) in before.iter().zip(&after) {
                assert_eq!(
                    a.rows,
                    b.rows,
                    "{} changed on {:?}",
                    a.schema.name,
                    store.backend()
                );
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn known_ids_and_clear() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            import(&store, &checked(sample("pkg")), false).await;
            let ids = store.known_ids().await.unwrap();
            assert_eq!(
                ids["organizations"],
                HashSet::from(["o1".to_string(), "o2".into(), "o3".into()])
            );
            assert_eq!(ids["clusters"].len(), 1);
            store.clear().await.unwrap();
            assert_eq!(store.total_rows().await.unwrap(), 0);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn unsupported_urls_are_refused_with_a_hint() {
    rt().block_on(async {
        let err = Store::open("mysql://root@localhost/x")
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("use sqlite://FILE or postgres://"), "{err}");
        assert_eq!(
            weaver_store::redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
    });
}

#[test]
fn views_give_a_clusters_network_in_a_period() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            import(&store, &checked(sample("pkg")), false).await;
            let all = store.cluster_network("c1", None).await.unwrap();
            let ids: Vec<&str> = all.organizations.iter().map(|o| o.id.as_str()).collect();
            assert_eq!(ids, ["o1", "o2"], "o3 is not a member");
            assert_eq!(all.ties.len(), 1, "the tie to o3 leaves the cluster");
            assert_eq!(all.ties[0].weight, Some(2.0));
            assert!(!all.ties[0].directed);
            assert_eq!(all.organizations[0].actor_type, ActorType::Enterprise);
            // o1 joined in 2019 and the tie starts in 2020.
            let y2018 = store.cluster_network("c1", Some("2018")).await.unwrap();
            assert_eq!(y2018.organizations.len(), 1);
            assert!(y2018.ties.is_empty());
            let y2019 = store.cluster_network("c1", Some("2019")).await.unwrap();
            assert_eq!((y2019.organizations.len(), y2019.ties.len()), (2, 0));
            let q = store.cluster_network("c1", Some("2021-Q2")).await.unwrap();
            assert_eq!((q.organizations.len(), q.ties.len()), (2, 1));
            let err = store
                .cluster_network("nope", None)
                .await
                .unwrap_err()
                .to_string();
            assert_eq!(err, "there is no clusters row with id 'nope'");
            let obs = store.observations(Some("2024-Q3")).await.unwrap();
            assert_eq!(obs.len(), 1);
            assert_eq!(obs[0].value, 3.5);
            assert_eq!(store.observations(None).await.unwrap().len(), 2);
            let act = store.regional_activity().await.unwrap();
            assert_eq!(
                (act[0].year, act[0].employment, act[0].establishments),
                (2023, 125000.0, Some(830.0))
            );
            // Migration 0007's defaults: no country of its own, the
            // region's in the regions table; no classification, unstated.
            assert_eq!(
                (act[0].country.as_deref(), act[0].classification.as_deref()),
                (Some("CN"), None)
            );
            let regions = store.readable_regions(None).await.unwrap();
            let ids: Vec<(&str, Option<&str>)> = regions
                .iter()
                .map(|r| (r.id.as_str(), r.parent.as_deref()))
                .collect();
            assert_eq!(ids, [("320500", Some("CN")), ("CN", None)]);
            assert_eq!(store.cluster_ids().await.unwrap(), ["c1"]);
            let ind = store.indicators().await.unwrap();
            assert_eq!(
                (ind[0].id.as_str(), ind[0].direction.as_str(), ind[0].weight),
                ("members", "higher_better", Some(1.0))
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// Name searches: what the user types is found in names and English names,
/// case-folded, whatever index serves it; changes and deletes are followed;
/// ids and other columns are not searched.
#[test]
fn searches_follow_names_through_changes_and_deletes() {
    use weaver_store::{ListQuery, RowKey};
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            let mut b = PackageBuilder::new("search");
            let header = h(&["id", "name", "name_en", "actor_type", "visibility"]);
            let mut t = b
                .table("organizations", "organizations.csv", &header)
                .unwrap();
            for (i, r) in [
                [
                    "org-alpha",
                    "Acme Software 软件园",
                    "",
                    "enterprise",
                    "public",
                ],
                [
                    "org-beta",
                    "Lyon Labs",
                    "SOFTWARE HOUSE",
                    "research",
                    "public",
                ],
                ["org-gamma", "Quote \"Works\"", "", "enterprise", "public"],
                ["org-delta", "Hidden Soft", "", "enterprise", "private"],
            ]
            .iter()
            .enumerate()
            {
                t.push_row(i + 2, r);
            }
            let p = checked(b);
            import(&store, &p, false).await;
            let orgs = schema::table("organizations").unwrap();
            let ids = |q: &str| {
                let q = ListQuery {
                    search: Some(q.to_owned()),
                    limit: 50,
                    ..Default::default()
                };
                let store = store.clone();
                async move {
                    let page = store.list(orgs, None, &q).await.unwrap();
                    let ids: Vec<String> =
                        page.rows.iter().map(|r| r.values[0].to_text()).collect();
                    assert_eq!(page.total, ids.len() as i64);
                    ids
                }
            };
            assert_eq!(ids("software").await, ["org-alpha", "org-beta"]);
            assert_eq!(
                ids("软件").await,
                ["org-alpha"],
                "two characters: no trigram"
            );
            assert_eq!(ids("软件园").await, ["org-alpha"]);
            assert_eq!(ids("\"works\"").await, ["org-gamma"]);
            assert_eq!(
                ids("org-alpha").await,
                Vec::<String>::new(),
                "ids are not names"
            );
            assert_eq!(
                ids("hidden").await,
                Vec::<String>::new(),
                "private rows stay hidden"
            );
            // A rename is followed, and so is a delete.
            let admin = admin();
            let key = RowKey::Id("org-beta".into());
            let mut row = store.get(orgs, Some(&admin), &key).await.unwrap().values;
            row[orgs.position("name_en").unwrap()] = Value::Text("Lyon Robotics".into());
            store.update(orgs, &admin, &key, row, false).await.unwrap();
            assert_eq!(ids("software").await, ["org-alpha"]);
            assert_eq!(ids("robotics").await, ["org-beta"]);
            store
                .delete(orgs, &admin, &RowKey::Id("org-alpha".into()))
                .await
                .unwrap();
            assert_eq!(ids("software").await, Vec::<String>::new());
            assert_eq!(ids("labs").await, ["org-beta"]);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// A new manager's account with an API token whose hash is `hash`.
async fn manager_with_token(store: &Store, email: &str, hash: &str) -> weaver_store::User {
    let role = weaver_core::enums::Role::Manager;
    let user = store.create_user(email, None, role, None).await.unwrap();
    store.create_api_token(user.id, "cron", hash).await.unwrap();
    user
}

/// A token's `last_used` is written when it is a minute old or more, not on
/// every request (each write would take SQLite's one write lock).
#[test]
fn token_use_is_recorded_at_most_once_a_minute() {
    use weaver_core::enums::Role;
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            let user = manager_with_token(&store, "script@example.org", "hash-1").await;
            let last_used = || async { store.api_tokens(user.id).await.unwrap()[0].3.clone() };
            assert_eq!(last_used().await, None);
            let p = store.token_principal("hash-1").await.unwrap().unwrap();
            assert_eq!((p.user_id, p.role), (user.id, Role::Manager));
            let first = last_used().await.expect("first use recorded");
            // Used within the minute: a request writes nothing.
            // (Written behind the store's back, as another process would:
            // seen once the principal kept in memory is read again.)
            let set = |at: &'static str| {
                let store = store.clone();
                async move {
                    sqlx::query("UPDATE api_tokens SET last_used = $1")
                        .bind(at)
                        .execute(store.pool())
                        .await
                        .unwrap();
                    let wait = weaver_store::VERSION_TRUSTED_FOR;
                    tokio::time::sleep(wait + std::time::Duration::from_millis(20)).await;
                }
            };
            // (A time ahead of now: it must stay as it is, where writing on
            // every request would put now in its place.)
            let recent = "2999-01-01T00:00:00Z";
            set(recent).await;
            store.token_principal("hash-1").await.unwrap();
            assert_eq!(last_used().await.as_deref(), Some(recent));
            // Used long ago: the next request records the time again.
            set("2000-01-01T00:00:00Z").await;
            store.token_principal("hash-1").await.unwrap();
            let again = last_used().await.unwrap();
            assert!(again >= first, "{again} < {first}");
            assert_eq!(store.token_principal("no-such-hash").await.unwrap(), None);
            // A disabled account's token names no one.
            store.set_disabled(user.id, true).await.unwrap();
            assert_eq!(store.token_principal("hash-1").await.unwrap(), None);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// Every import that changes the register bumps its version (so engine
/// results cached at the old version are not served); a dry run does not.
#[test]
fn imports_bump_the_register_version() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            let v0 = store.register_version().await.unwrap();
            store.cache("network", "c1", "", v0, "{}").await.unwrap();
            let p = checked(sample("first"));
            import(&store, &p, true).await;
            assert_eq!(store.register_version().await.unwrap(), v0, "dry run");
            // Into empty tables (the bulk path), then over existing rows.
            import(&store, &p, false).await;
            let v1 = store.register_version().await.unwrap();
            assert!(v1 > v0);
            assert!(
                store
                    .cached("network", "c1", "", v1)
                    .await
                    .unwrap()
                    .is_none()
            );
            let mut changed = PackageBuilder::new("second");
            let header = h(&["id", "name", "actor_type"]);
            let mut t = changed.table("organizations", "more.csv", &header).unwrap();
            t.push_row(2, &["o9", "Newcomer", "enterprise"]);
            import(&store, &checked(changed), false).await;
            assert!(store.register_version().await.unwrap() > v1);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// The facts the evaluation commands compute from are the same on both
/// backends, and are the sample's rows (counted by hand from `sample`).
#[test]
fn evaluation_facts_are_the_registers_rows_on_both_backends() {
    rt().block_on(async {
        let mut seen = Vec::new();
        for (store, db, _dir) in registers("weaver_t").await {
            import(&store, &checked(sample("facts")), false).await;
            let f = store.evaluation_facts().await.unwrap();
            let orgs: Vec<(&str, &str, &str)> = f
                .memberships
                .iter()
                .map(|m| (m.cluster.as_str(), m.org.as_str(), m.actor_type.as_str()))
                .collect();
            assert_eq!(
                orgs,
                [("c1", "o1", "enterprise"), ("c1", "o2", "university")]
            );
            assert_eq!(f.memberships[0].since.as_deref(), Some("2019-01-01"));
            assert_eq!(f.memberships[1].since, None, "empty since is no date");
            assert_eq!(f.ties.len(), 2);
            assert_eq!(f.ties[0].start.as_deref(), Some("2020"));
            assert_eq!(f.projects.len(), 1);
            assert_eq!(f.projects[0].cluster.as_deref(), Some("c1"));
            let funding: Vec<(&str, &str, f64, i64)> = f
                .funding
                .iter()
                .map(|x| {
                    (
                        x.recipient.as_str(),
                        x.source_type.as_str(),
                        x.amount,
                        x.year,
                    )
                })
                .collect();
            assert_eq!(
                funding,
                [
                    ("c1", "own", 50000.0, 2021),
                    ("pr1", "central_gov", 800000.0, 2020)
                ]
            );
            assert_eq!(f.programme_clusters[0].since.as_deref(), Some("2019-06"));
            seen.push(serde_json::to_value(&f).unwrap());
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
        if let [sqlite, postgres] = seen.as_slice() {
            assert_eq!(sqlite, postgres, "the backends disagree");
        }
    });
}

/// The engine cache serves a result only at its register version, and
/// forgets older versions' results once a newer one is kept.
#[test]
fn the_engine_cache_keeps_current_results_only() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            store
                .cache("network", "c1", "", 1, "{\"a\":1}")
                .await
                .unwrap();
            store
                .cache("ranking", "k", "2024", 1, "{\"b\":1}")
                .await
                .unwrap();
            assert_eq!(
                store
                    .cached("network", "c1", "", 1)
                    .await
                    .unwrap()
                    .unwrap()
                    .0,
                "{\"a\":1}"
            );
            assert!(
                store
                    .cached("network", "c1", "", 2)
                    .await
                    .unwrap()
                    .is_none()
            );
            store
                .cache("network", "c2", "", 2, "{\"c\":1}")
                .await
                .unwrap();
            assert!(
                store
                    .cached("ranking", "k", "2024", 1)
                    .await
                    .unwrap()
                    .is_none()
            );
            assert!(
                store
                    .cached("network", "c2", "", 2)
                    .await
                    .unwrap()
                    .is_some()
            );
            // Bounded: past MAX_CACHED results the oldest go (times are in
            // seconds: the newest second's results all stay).
            for i in 0..weaver_store::MAX_CACHED + 50 {
                store
                    .cache("ranking", &format!("k{i}"), "2024", 2, "{}")
                    .await
                    .unwrap();
            }
            let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM engine_cache")
                .fetch_one(store.pool())
                .await
                .unwrap();
            assert!(kept <= weaver_store::MAX_CACHED + 1 + 50, "{kept}");
            assert!(kept >= weaver_store::MAX_CACHED, "{kept}");
            let last = format!("k{}", weaver_store::MAX_CACHED + 49);
            assert!(
                store
                    .cached("ranking", &last, "2024", 2)
                    .await
                    .unwrap()
                    .is_some()
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

fn admin() -> weaver_store::Principal {
    weaver_store::Principal {
        user_id: 0,
        email: "admin@example.org".into(),
        role: weaver_core::enums::Role::Admin,
        managed: vec![],
        programmes: vec![],
        organizations: vec![],
        readable: vec![],
    }
}

/// A restore brings back the campaigns and the name-search index as they
/// were in the snapshot (SQLite; PostgreSQL is restored with its own tools).
#[test]
fn a_restore_brings_back_campaigns_and_the_search_index() {
    use weaver_store::{ListQuery, NewCampaign};
    rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("reg.db").display());
        let store = Store::open(&url).await.unwrap();
        import(&store, &checked(sample("snap")), false).await;
        let snapshot = dir.path().join("snap.db");
        store.backup(&snapshot).await.unwrap();
        // After the snapshot: a campaign and a renamed organization.
        store
            .create_campaign(
                &admin(),
                NewCampaign {
                    id: "cm".into(),
                    name: "Later".into(),
                    period: "2024".into(),
                    deadline: "2099-12-31".into(),
                    indicators: vec!["members".into()],
                    clusters: vec!["c1".into()],
                },
            )
            .await
            .unwrap();
        let orgs = schema::table("organizations").unwrap();
        let key = weaver_store::RowKey::Id("o3".into());
        let mut row = store.get(orgs, Some(&admin()), &key).await.unwrap().values;
        row[orgs.position("name").unwrap()] = Value::Text("Renamed Institute".into());
        store
            .update(orgs, &admin(), &key, row, false)
            .await
            .unwrap();
        let found = |q: &str| {
            let q = ListQuery {
                search: Some(q.to_owned()),
                limit: 10,
                ..Default::default()
            };
            let store = store.clone();
            async move { store.list(orgs, None, &q).await.unwrap().total }
        };
        assert_eq!(found("renamed").await, 1);
        store.restore(&snapshot).await.unwrap();
        assert!(store.campaigns(&admin()).await.unwrap().is_empty());
        assert_eq!(found("renamed").await, 0);
        assert_eq!(found("fraunhofer").await, 1);
        store.close().await;
    });
}

/// A job asked for again at the same register version is the same job while
/// it lives or once done; one without a sign of life for longer than
/// `STALE_AFTER_SECONDS` (its process died) is replaced by a new one; a
/// new version gets a new job.
#[test]
fn jobs_are_shared_until_they_go_stale() {
    use weaver_store::JobKey;
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_jobs").await {
            let key = |version| JobKey {
                kind: "paths",
                cluster: "c1",
                period: "2024",
                scope: "all",
                version,
            };
            let (first, new) = store.job_for(key(1), 7).await.unwrap();
            assert!(new);
            assert_eq!(
                (first.status.as_str(), first.requested_by),
                ("queued", Some(7))
            );
            let (again, new) = store.job_for(key(1), 8).await.unwrap();
            assert!(!new);
            assert_eq!(again.id, first.id);
            store.job_progress(first.id, "step 1 of 2").await.unwrap();
            assert_eq!(store.job(first.id).await.unwrap().status, "running");
            // Its process dies: no sign of life for ten minutes.
            sqlx::query("UPDATE jobs SET updated_at = '2000-01-01T00:00:00Z' WHERE id = $1")
                .bind(first.id)
                .execute(store.pool())
                .await
                .unwrap();
            let (fresh, new) = store.job_for(key(1), 8).await.unwrap();
            assert!(new);
            assert_ne!(fresh.id, first.id);
            // Done: shared, result and all, however old.
            store.job_finish(fresh.id, Ok("{\"x\":1}")).await.unwrap();
            let (done, new) = store.job_for(key(1), 9).await.unwrap();
            assert!(!new);
            assert_eq!((done.id, done.status.as_str()), (fresh.id, "done"));
            assert_eq!(done.result.as_deref(), Some("{\"x\":1}"));
            // A changed register: a new job.
            assert!(store.job_for(key(2), 9).await.unwrap().1);
            // A failure is kept with its reason.
            let (other, _) = store.job_for(key(3), 9).await.unwrap();
            store
                .job_finish(other.id, Err("out of memory"))
                .await
                .unwrap();
            let failed = store.job(other.id).await.unwrap();
            assert_eq!(
                (failed.status.as_str(), failed.error.as_deref()),
                ("failed", Some("out of memory"))
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// A list asked again comes from memory, but only to the same reader at the
/// same register version: the public and an admin get their own pages, a
/// change through this store is seen at once, and one through another store
/// on the same database (another process) once the version is read again.
#[test]
fn listed_pages_are_kept_per_reader_and_register_version() {
    use weaver_store::{ListQuery, RowKey, VERSION_TRUSTED_FOR};
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_pages").await {
            import(&store, &checked(sample("pages")), false).await;
            let memberships = schema::table("memberships").unwrap();
            let q = ListQuery {
                limit: 50,
                ..Default::default()
            };
            let admin = admin();
            let list = |who: Option<weaver_store::Principal>| {
                let store = store.clone();
                let q = q.clone();
                async move { store.list(memberships, who.as_ref(), &q).await.unwrap() }
            };
            let all = list(Some(admin.clone())).await;
            assert_eq!(all.total, 2);
            assert_eq!(list(None).await.total, 0, "memberships are not public");
            assert_eq!(list(Some(admin.clone())).await.total, 2);

            let row = |i: usize| RowKey::RowId(all.rows[i].row_id.unwrap());
            let other = Store::open(store.url()).await.unwrap();
            other.delete(memberships, &admin, &row(0)).await.unwrap();
            tokio::time::sleep(VERSION_TRUSTED_FOR + std::time::Duration::from_millis(20)).await;
            assert_eq!(list(Some(admin.clone())).await.total, 1);
            other.close().await;

            store.delete(memberships, &admin, &row(1)).await.unwrap();
            assert_eq!(list(Some(admin.clone())).await.total, 0);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// A credential's principal is kept briefly, but an account change through
/// this store is seen by the next request, and one through another store on
/// the same database (another process) once the principal is read again.
#[test]
fn principals_follow_account_changes() {
    use std::time::Duration;
    use weaver_core::enums::Role;
    use weaver_store::VERSION_TRUSTED_FOR;
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_cred").await {
            let user = manager_with_token(&store, "m@example.org", "hash-1").await;
            store
                .create_session(user.id, "sess-1", "csrf-1", Duration::from_secs(3600))
                .await
                .unwrap();
            let role = || async {
                store
                    .token_principal("hash-1")
                    .await
                    .unwrap()
                    .map(|p| p.role)
            };
            assert_eq!(role().await, Some(Role::Manager));
            let (p, csrf) = store.session_principal("sess-1").await.unwrap().unwrap();
            assert_eq!((p.user_id, csrf.as_str()), (user.id, "csrf-1"));

            let other = Store::open(store.url()).await.unwrap();
            other.set_role(user.id, Role::Officer).await.unwrap();
            tokio::time::sleep(VERSION_TRUSTED_FOR + Duration::from_millis(20)).await;
            assert_eq!(role().await, Some(Role::Officer));
            other.close().await;

            // Disabling ends the account's tokens and sessions, at once.
            store.set_disabled(user.id, true).await.unwrap();
            assert_eq!(role().await, None);
            assert!(store.session_principal("sess-1").await.unwrap().is_none());
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_package_is_checked_against_the_register_for_the_ids_it_lacks() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_t").await {
            // 1,200 organizations in the register (more than one look-up's 500).
            let mut b = PackageBuilder::new("orgs");
            {
                let mut t = b
                    .table("organizations", "o.csv", &h(&["id", "name", "actor_type"]))
                    .unwrap();
                for i in 0..1_200 {
                    t.push_row(i + 2, &[format!("r{i}"), format!("R {i}"), "user".into()]);
                }
            }
            import(&store, &checked(b), false).await;
            // Ties that refer to them, to one organization of their own
            // package, and to two ids of neither.
            let mut b = PackageBuilder::new("ties");
            {
                let mut t = b
                    .table("organizations", "o.csv", &h(&["id", "name", "actor_type"]))
                    .unwrap();
                t.push_row(2, &["own", "Own", "user"]);
            }
            {
                let mut t = b
                    .table("ties", "t.csv", &h(&["source", "target", "kind"]))
                    .unwrap();
                for i in 0..1_199 {
                    t.push_row(i + 2, &[format!("r{i}"), format!("r{}", i + 1), "supply".into()]);
                }
                t.push_row(1_201, &["own", "r7", "supply"]);
                t.push_row(1_202, &["ghost", "r7", "supply"]);
                t.push_row(1_203, &["r7", "phantom", "supply"]);
            }
            let wanted = b.unresolved_references();
            assert_eq!(wanted["organizations"].len(), 1_202, "r0…r1199, ghost, phantom");
            let rejected = store.check_package(b).await.unwrap().unwrap_err();
            let problems: Vec<String> = rejected.0.list().iter().map(|p| p.to_string()).collect();
            assert_eq!(
                problems,
                [
                    "t.csv, row 1202, column source: 'ghost' is not the id of any row of organizations in this package or in the register",
                    "t.csv, row 1203, column target: 'phantom' is not the id of any row of organizations in this package or in the register",
                ],
                "{problems:#?}"
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// The regions' boundaries travel as one document: imported with the
/// package (added, then unchanged, then changed), kept as written, on both
/// backends; a dry run writes none.
#[test]
fn boundaries_are_kept_whole_and_reported() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_b").await {
            let doc = |name: &str| {
                format!(
                    "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\
                     \"properties\":{{\"id\":\"320500\",\"name\":\"{name}\"}},\"geometry\":null}}]}}"
                )
            };
            let with = |text: String| {
                let mut b = sample("pkg");
                b.boundaries(weaver_core::Boundaries {
                    origin: "regions.geojson".into(),
                    document: text,
                    ids: vec!["320500".into()],
                });
                checked(b)
            };
            let report = |r: &weaver_store::ImportReport| {
                let t = r.tables.last().unwrap();
                (t.table, t.added, t.changed, t.unchanged)
            };
            let first = with(doc("苏州"));
            let dry = import(&store, &first, true).await;
            assert_eq!(report(&dry), ("regions.geojson", 1, 0, 0));
            assert_eq!(store.boundaries().await.unwrap(), None);
            let done = import(&store, &first, false).await;
            assert_eq!(report(&done), ("regions.geojson", 1, 0, 0));
            assert_eq!(store.boundaries().await.unwrap(), Some(doc("苏州")));
            let again = import(&store, &first, false).await;
            assert_eq!(report(&again), ("regions.geojson", 0, 0, 1));
            let changed = import(&store, &with(doc("Suzhou")), false).await;
            assert_eq!(report(&changed), ("regions.geojson", 0, 1, 0));
            assert_eq!(store.boundaries().await.unwrap(), Some(doc("Suzhou")));
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// A close whose `compute` fails is rolled back whole: the campaign stays
/// open (status and `closed_at` as before), its observations can still
/// change (nothing froze them), no result is kept; a later close that
/// succeeds closes it, keeps its results and freezes its observations.
#[test]
fn a_failed_close_leaves_the_campaign_open_and_a_later_close_works() {
    use weaver_store::{ListQuery, NewCampaign, StoreError};
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_close").await {
            import(&store, &checked(sample("close")), false).await;
            let admin = admin();
            let opened = store
                .create_campaign(
                    &admin,
                    NewCampaign {
                        id: "cm".into(),
                        name: "Members 2024".into(),
                        period: "2024".into(),
                        deadline: "2099-12-31".into(),
                        indicators: vec!["members".into()],
                        clusters: vec!["c1".into()],
                    },
                )
                .await
                .unwrap();
            assert_eq!((opened.status.as_str(), &opened.closed_at), ("open", &None));

            // The analysis fails after the campaign was marked closed in
            // the transaction.
            let failed = store
                .close_campaign_with(&admin, "cm", |c| async move {
                    assert_eq!(c.id, "cm");
                    Err::<(Vec<(String, String, String)>, ()), _>(StoreError::Invalid(
                        "the analysis of c1 failed".into(),
                    ))
                })
                .await;
            match failed {
                Err(StoreError::Invalid(m)) => assert_eq!(m, "the analysis of c1 failed"),
                other => panic!("expected the analysis' error, got {other:?}"),
            }
            let after = store.campaign(&admin, "cm").await.unwrap();
            assert_eq!(after, opened, "the campaign is as it was before the close");
            assert!(store.frozen_results(&admin, "cm").await.unwrap().is_empty());

            // Its observation is not frozen: it changes, by a row write and
            // by a submission.
            let observations = schema::table("observations").unwrap();
            let value = observations.position("value").unwrap();
            let q = ListQuery {
                filters: vec![("period".into(), "2024".into())],
                limit: 10,
                ..Default::default()
            };
            let page = store.list(observations, Some(&admin), &q).await.unwrap();
            assert_eq!(page.total, 1);
            let key = weaver_store::RowKey::RowId(page.rows[0].row_id.unwrap());
            let mut row = page.rows[0].values.clone();
            assert_eq!(row[value], Value::Float(3.0));
            row[value] = Value::Float(4.0);
            store
                .update(observations, &admin, &key, row.clone(), false)
                .await
                .unwrap();
            let submitted = store
                .submit_observations(&admin, "cm", &[("c1".into(), "members".into(), 5.0)], false)
                .await
                .unwrap();
            assert_eq!(submitted, (0, 1), "one observation changed");

            // A later close works: closed, its results kept, the
            // observation frozen.
            let (closed, extra) = store
                .close_campaign_with(&admin, "cm", |_| async move {
                    Ok::<_, StoreError>((
                        vec![("c1".into(), "status".into(), "{\"present\":1}".into())],
                        7,
                    ))
                })
                .await
                .unwrap();
            assert_eq!(extra, 7);
            assert_eq!(closed.status, "closed");
            assert!(closed.closed_at.is_some());
            let kept = store.frozen_results(&admin, "cm").await.unwrap();
            assert_eq!(kept.len(), 1);
            assert_eq!(
                (kept[0].0.as_str(), kept[0].1.as_str(), kept[0].3.as_str()),
                ("c1", "status", "{\"present\":1}")
            );
            assert_eq!(kept[0].2, closed.closed_at.clone().unwrap());
            row[value] = Value::Float(6.0);
            match store.update(observations, &admin, &key, row, false).await {
                Err(StoreError::Conflict(m)) => assert!(m.contains("frozen"), "{m}"),
                other => panic!("a frozen observation changed: {other:?}"),
            }
            let current = store.get(observations, Some(&admin), &key).await.unwrap();
            assert_eq!(current.values[value], Value::Float(5.0));
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
