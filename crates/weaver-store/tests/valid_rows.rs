//! Time-valid rows (issue 16): an import, bulk or row by row, refuses two
//! memberships of one organization in one cluster that overlap in time
//! (both ends inclusive; a year or month covers all its days), naming both
//! rows, and leaves the register as it was. On SQLite and, where it answers,
//! PostgreSQL.

use weaver_core::{Package, PackageBuilder};
use weaver_store::{ImportOptions, ListQuery, Store, StoreError};

mod common;
use common::{registers, rt};

fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// A cluster `c1`, organizations `o1` and `o2`, and these memberships
/// (cluster c1, public): org, tier, since, until.
fn package(memberships: &[[&str; 4]]) -> Package {
    let mut b = PackageBuilder::new("valid");
    {
        let mut t = b
            .table(
                "organizations",
                "organizations.csv",
                &h(&["id", "name", "actor_type"]),
            )
            .unwrap();
        t.push_row(2, &["o1", "One", "enterprise"]);
        t.push_row(3, &["o2", "Two", "research"]);
    }
    {
        let mut t = b
            .table("clusters", "clusters.csv", &h(&["id", "name", "region"]))
            .unwrap();
        t.push_row(2, &["c1", "Cluster", "320500"]);
    }
    {
        let mut t = b
            .table(
                "memberships",
                "memberships.csv",
                &h(&["cluster", "org", "tier", "since", "until", "visibility"]),
            )
            .unwrap();
        for (i, m) in memberships.iter().enumerate() {
            t.push_row(i + 2, &["c1", m[0], m[1], m[2], m[3], "public"]);
        }
    }
    b.finish(&|_, _| false).unwrap()
}

async fn memberships(store: &Store) -> i64 {
    let t = weaver_core::schema::table("memberships").unwrap();
    let q = ListQuery {
        limit: 100,
        ..ListQuery::default()
    };
    store.list(t, None, &q).await.unwrap().total
}

async fn import(store: &Store, p: &Package) -> Result<(), StoreError> {
    store
        .import(p, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .map(|_| ())
}

/// The conflict's message, or a panic naming what came instead.
fn conflict(r: Result<(), StoreError>) -> String {
    match r {
        Err(StoreError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn an_import_refuses_overlapping_memberships_naming_both_rows() {
    rt().block_on(async {
        for (store, pg, _dir) in registers("valid_rows").await {
            // Into an empty register (the bulk path): core to the end of 2020
            // (a year) and partner from June 2020 overlap.
            let bad = package(&[
                ["o1", "core", "2018-01-01", "2020"],
                ["o1", "partner", "2020-06", ""],
                ["o2", "core", "", ""],
            ]);
            let m = conflict(import(&store, &bad).await);
            assert!(m.contains("'o1'") && m.contains("'c1'"), "{m}");
            assert!(m.contains("tier core, 2018-01-01 to 2020"), "{m}");
            assert!(m.contains("tier partner, 2020-06 to open"), "{m}");
            assert_eq!(memberships(&store).await, 0, "nothing half-written");
            // Back to back (2020 ends 31 December, 2021-01 begins 1 January),
            // and one organization's open membership: accepted.
            let good = package(&[
                ["o1", "core", "2018-01-01", "2020"],
                ["o1", "partner", "2021-01", ""],
                ["o2", "core", "", ""],
            ]);
            import(&store, &good).await.unwrap();
            assert_eq!(memberships(&store).await, 3);
            // Row by row into a register that has them: a second open
            // membership of o2 (the first has no dates) overlaps.
            let more = package(&[["o2", "associate", "2024-05-01", ""]]);
            let m = conflict(import(&store, &more).await);
            assert!(
                m.contains("'o2'") && m.contains("tier core, open to open"),
                "{m}"
            );
            assert!(m.contains("tier associate, 2024-05-01 to open"), "{m}");
            assert_eq!(memberships(&store).await, 3, "nothing half-written");
            // On the same day as an inclusive end: overlaps.
            let touching = package(&[
                ["o1", "core", "2018-01-01", "2020"],
                ["o1", "regional", "2017-01-01", "2018-01-01"],
            ]);
            let m = conflict(import(&store, &touching).await);
            assert!(m.contains("tier regional, 2017-01-01 to 2018-01-01"), "{m}");
            assert_eq!(memberships(&store).await, 3);
            store.close().await;
            weaver_testkit::drop_postgres(pg).await;
        }
    });
}

/// Migration 0008's mapping of free-text governance roles, run on rows as
/// an older register held them (on each backend): the role typed, the text
/// kept in `note` unless it was the type's own name.
#[test]
fn migration_0008_types_free_text_roles_and_keeps_the_text() {
    use sqlx::{Connection, Row};
    rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut urls = vec![(
            format!("sqlite://{}", dir.path().join("m.db").display()),
            include_str!("../migrations/sqlite/0008_valid_rows.sql"),
            None,
        )];
        if let Some((url, db)) = weaver_testkit::fresh_postgres("valid_rows_m").await {
            urls.push((
                url,
                include_str!("../migrations/postgres/0008_valid_rows.sql"),
                Some(db),
            ));
        }
        for (url, migration, db) in urls {
            let store = Store::open(&url).await.unwrap();
            import(&store, &package(&[])).await.unwrap();
            store.close().await;
            let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
            let cases: [(Option<&str>, &str, Option<&str>); 13] = [
                (Some("Chair"), "chair", None),
                (Some("vice chair"), "vice_chair", Some("vice chair")),
                (
                    Some("Deputy Director"),
                    "vice_chair",
                    Some("Deputy Director"),
                ),
                (Some("理事长"), "chair", Some("理事长")),
                (Some("副理事长"), "vice_chair", Some("副理事长")),
                (Some("President"), "chair", Some("President")),
                (Some("Energy: lead"), "chair", Some("Energy: lead")),
                (Some("secretariat"), "secretary", Some("secretariat")),
                (Some(" Observer "), "observer", None),
                (
                    Some("scientific adviser"),
                    "member",
                    Some("scientific adviser"),
                ),
                (Some("member"), "member", None),
                (Some(""), "member", None),
                (None, "member", None),
            ];
            for (i, (role, _, _)) in cases.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO governance (cluster, body, org, role, since, visibility) \
                     VALUES ('c1', 'board', 'o1', $1, $2, 'public')",
                )
                .bind(role.map(str::to_owned))
                .bind(format!("{}", 2001 + i))
                .execute(&mut conn)
                .await
                .unwrap();
            }
            // The migration's statements after it adds the column.
            for statement in migration.split(';').filter(|s| {
                let code: String = s
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect();
                !code.trim().is_empty() && !code.contains("ALTER TABLE")
            }) {
                sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            let rows = sqlx::query("SELECT role, note FROM governance ORDER BY since")
                .fetch_all(&mut conn)
                .await
                .unwrap();
            let got: Vec<(String, Option<String>)> = rows
                .iter()
                .map(|r| (r.get::<String, _>(0), r.get::<Option<String>, _>(1)))
                .collect();
            let want: Vec<(String, Option<String>)> = cases
                .iter()
                .map(|(_, role, note)| (role.to_string(), note.map(str::to_owned)))
                .collect();
            assert_eq!(got, want, "{url}");
            conn.close().await.unwrap();
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// A governance package for cluster c1: body, org, role, since, until.
fn governance(seats: &[[&str; 5]]) -> Package {
    let mut b = PackageBuilder::new("seats");
    let mut t = b
        .table(
            "governance",
            "governance.csv",
            &h(&["cluster", "body", "org", "role", "since", "until"]),
        )
        .unwrap();
    for (i, s) in seats.iter().enumerate() {
        t.push_row(i + 2, &["c1", s[0], s[1], s[2], s[3], s[4]]);
    }
    drop(t);
    b.finish(&|table, id| {
        (table == "clusters" && id == "c1") || (table == "organizations" && id.starts_with('o'))
    })
    .unwrap()
}

#[test]
fn an_import_refuses_two_chairs_at_once_and_flags_seats_of_non_members() {
    rt().block_on(async {
        for (store, pg, _dir) in registers("valid_rows_g").await {
            // o1 is a member from 2018 to the end of 2020, o2 from 2021 on.
            let base = package(&[
                ["o1", "core", "2018-01-01", "2020"],
                ["o2", "core", "2021-01", ""],
            ]);
            import(&store, &base).await.unwrap();
            // Two board chairs in 2020: refused, naming both rows.
            let two = governance(&[
                ["board", "o1", "chair", "2018-03-01", "2020-12-31"],
                ["board", "o2", "chair", "2020-06-01", ""],
            ]);
            let m = conflict(import(&store, &two).await);
            assert!(m.contains("board of cluster 'c1'"), "{m}");
            assert!(m.contains("org 'o1', 2018-03-01 to 2020-12-31"), "{m}");
            assert!(m.contains("org 'o2', 2020-06-01 to open"), "{m}");
            // One after the other, and a chair of another body: accepted;
            // o2's seat from 2019 begins before its membership does, but
            // overlaps it; o1's advisory seat from 2022 does not: flagged.
            let ok = governance(&[
                ["board", "o1", "chair", "2018-03-01", "2020-12-31"],
                ["board", "o2", "chair", "2021-01-01", ""],
                ["board", "o2", "member", "2019-01-01", "2021-06"],
                ["advisory", "o1", "chair", "2022-01-01", ""],
            ]);
            let store_report = store
                .import(&ok, &ImportOptions::default(), &mut |_, _, _| {})
                .await
                .unwrap();
            assert_eq!(
                store_report.warnings.len(),
                1,
                "{:?}",
                store_report.warnings
            );
            let w = &store_report.warnings[0];
            assert!(w.contains("1 seat(s)"), "{w}");
            assert!(w.contains("org 'o1', advisory of 'c1'"), "{w}");
            store.close().await;
            weaver_testkit::drop_postgres(pg).await;
        }
    });
}
