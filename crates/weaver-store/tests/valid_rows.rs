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
