//! The bulk path of import: rows going into an empty table are sorted by key,
//! and on SQLite the table's separately created indexes are dropped and made
//! again around the insert. These tests check that the path gives the same
//! register as the row-by-row path, that SQLite agrees with our key order, and
//! that a failure in the middle of a bulk insert leaves the register — indexes
//! included — as it was.
//!
//! Run against SQLite and, where it answers, PostgreSQL (`WEAVER_TEST_PG`,
//! default `postgres://postgres@127.0.0.1:5432/test`; `WEAVER_REQUIRE_PG=1`
//! makes its absence a failure).

use std::collections::HashSet;

use sqlx::error::ErrorKind;
use weaver_core::{Package, PackageBuilder, TableData, Value};
use weaver_store::{Backend, ImportOptions, ListQuery, Store, StoreError};

mod common;
use common::{registers, rt};

/// Organization `i`'s id. Three families, so that key order is not numeric
/// order ("o10" < "o9"), several ids share their first 8 bytes
/// ("organization-…") and some are not ASCII.
fn org(i: usize) -> String {
    match i % 3 {
        0 => format!("o{i}"),
        1 => format!("organization-{i}"),
        _ => format!("組織{i}"),
    }
}

/// A header row of these columns.
fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

const KINDS: [&str; 4] = ["contract", "license", "supply", "co_patent"];

/// A package of `n` organizations, about `m` ties (none to itself, no key
/// twice), 3 programmes, 4 clusters and 36 funding rows, in a scrambled order
/// so that sorting by key matters. Rows with `keep(table, index)` false are
/// left out (for organizations, the index is the organization's number); the
/// first tie is between organizations 0 and 1, the first funding row is for
/// cluster 0 with no programme.
fn package(n: usize, m: usize, keep: &dyn Fn(&str, usize) -> bool) -> Package {
    let mut b = PackageBuilder::new("bulk");
    {
        let mut t = b
            .table("programmes", "programmes.csv", &h(&["id", "name"]))
            .unwrap();
        for i in (0..3).filter(|&i| keep("programmes", i)) {
            t.push_row(i + 2, &[format!("p{i}"), format!("Programme {i}")]);
        }
    }
    {
        let mut t = b
            .table(
                "organizations",
                "organizations.csv",
                &h(&["id", "name", "actor_type", "employees"]),
            )
            .unwrap();
        for i in 0..n {
            // Scrambled: row i holds organization (i * 37) mod n, a
            // permutation as long as n shares no factor with 37.
            let o = (i * 37) % n;
            if !keep("organizations", o) {
                continue;
            }
            let employees = if o.is_multiple_of(5) {
                String::new()
            } else {
                (o * 3).to_string()
            };
            t.push_row(
                i + 2,
                &[org(o), format!("Org {o}"), "enterprise".into(), employees],
            );
        }
    }
    {
        let mut t = b
            .table("clusters", "clusters.csv", &h(&["id", "name", "region"]))
            .unwrap();
        for i in (0..4).filter(|&i| keep("clusters", i)) {
            t.push_row(
                i + 2,
                &[format!("c{i}"), format!("Cluster {i}"), "DEA4".into()],
            );
        }
    }
    {
        let mut t = b
            .table(
                "funding",
                "funding.csv",
                &h(&["recipient", "source_type", "programme", "amount", "year"]),
            )
            .unwrap();
        let mut i = 0;
        for year in [2021, 1999, 2020] {
            for c in [0, 3, 2, 1] {
                for (st, p) in [("own", ""), ("central_gov", "p2"), ("central_gov", "p0")] {
                    if keep("funding", i) {
                        t.push_row(
                            i + 2,
                            &[
                                format!("c{c}"),
                                st.into(),
                                p.into(),
                                format!("{}.5", 1000 + i),
                                year.to_string(),
                            ],
                        );
                    }
                    i += 1;
                }
            }
        }
    }
    {
        let mut t = b
            .table(
                "ties",
                "ties.csv",
                &h(&["source", "target", "kind", "start", "weight"]),
            )
            .unwrap();
        let mut seen = HashSet::new();
        let mut i = 0;
        let mut x: usize = 1;
        while seen.len() < m && i < 10 * m {
            let (s, tg, k, start) = if i == 0 {
                (0, 1, 0, String::new())
            } else {
                // A small linear congruential generator: the same ties every run.
                x = (x.wrapping_mul(1_103_515_245).wrapping_add(12_345)) % (1 << 31);
                let s = (x >> 4) % n;
                let tg = (x >> 12) % n;
                let k = (x >> 20) % KINDS.len();
                let start = match (x >> 8) % 4 {
                    0 => String::new(),
                    y => format!("20{}", 10 + y),
                };
                (s, tg, k, start)
            };
            if s != tg && seen.insert((s, tg, k, start.clone())) && keep("ties", i) {
                t.push_row(
                    i + 2,
                    &[
                        org(s),
                        org(tg),
                        KINDS[k].into(),
                        start,
                        format!("{}", 1 + i % 7),
                    ],
                );
            }
            i += 1;
        }
    }
    b.finish(&|_, _| false).unwrap()
}

/// The ids of the organizations whose names hold `text`, as the public sees them.
async fn search(store: &Store, text: &str) -> Vec<String> {
    let q = ListQuery {
        search: Some(text.to_owned()),
        limit: 50,
        ..Default::default()
    };
    let orgs = weaver_core::schema::table("organizations").unwrap();
    let page = store.list(orgs, None, &q).await.unwrap();
    page.rows.iter().map(|r| r.values[0].to_text()).collect()
}

/// On SQLite: the search triggers are on again and the name-search index
/// holds one entry per organization (`n`).
async fn assert_search_whole(store: &Store, n: usize) {
    if store.backend() == Backend::Sqlite {
        let (enabled, names): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT enabled FROM search_state), \
             (SELECT COUNT(*) FROM organizations_search)",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!((enabled, names as usize), (1, n));
    }
}

async fn import(store: &Store, p: &Package) -> weaver_store::ImportReport {
    store
        .import(p, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap()
}

fn table<'a>(tables: &'a [TableData], name: &str) -> &'a TableData {
    tables.iter().find(|t| t.schema.name == name).unwrap()
}

/// The SQLite register's separately created indexes: name and SQL.
async fn sqlite_indexes(store: &Store) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema \
         WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

/// More than one chunk of ties (100 rows of 10 columns a statement) and a
/// last, partial one.
const N: usize = 120;
const M: usize = 1_234;

#[test]
fn bulk_and_row_by_row_imports_give_the_same_register() {
    rt().block_on(async {
        let full = package(N, M, &|_, _| true);
        let seed = package(N, M, &|table, i| {
            i == 0 || (table == "organizations" && i == 1)
        });
        assert_eq!(table(&seed.tables, "ties").rows.len(), 1);
        let rows: usize = full.tables.iter().map(|t| t.rows.len()).sum();
        let seeded: usize = seed.tables.iter().map(|t| t.rows.len()).sum();
        assert_eq!(table(&full.tables, "ties").rows.len(), M);
        for (store, db, _dir) in registers("weaver_bulk").await {
            // Bulk: every table of the package is empty in the register.
            let bulk = import(&store, &full).await;
            assert_eq!(bulk.totals(), (rows, 0, 0));
            let by_bulk = store.export().await.unwrap();
            // Row by row: every table already holds a row of the package.
            store.clear().await.unwrap();
            import(&store, &seed).await;
            let again = import(&store, &full).await;
            assert_eq!(again.totals(), (rows - seeded, 0, seeded));
            let by_rows = store.export().await.unwrap();
            for (a, b) in by_bulk.iter().zip(&by_rows) {
                assert_eq!(a.rows, b.rows, "{} on {:?}", a.schema.name, store.backend());
            }
            // And both are the package, in key order (export's contract).
            for t in &full.tables {
                let keys = t.schema.key_positions();
                let mut want = t.rows.clone();
                want.sort_by_key(|r| keys.iter().map(|&k| r[k].to_text()).collect::<Vec<_>>());
                let got = &table(&by_bulk, t.schema.name).rows;
                assert_eq!(got, &want, "{} on {:?}", t.schema.name, store.backend());
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_dry_run_of_a_bulk_import_writes_nothing_and_a_real_one_fills_the_search_index() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_bulk").await {
            let p = package(N, M, &|_, _| true);
            let rows: usize = p.tables.iter().map(|t| t.rows.len()).sum();
            let version = store.register_version().await.unwrap();
            let dry = store
                .import(&p, &ImportOptions { dry_run: true }, &mut |_, _, _| {})
                .await
                .unwrap();
            assert_eq!(dry.totals(), (rows, 0, 0));
            assert_eq!(
                store.total_rows().await.unwrap(),
                0,
                "{:?}",
                store.backend()
            );
            assert_eq!(store.register_version().await.unwrap(), version);
            assert_eq!(search(&store, "Org 61").await, Vec::<String>::new());
            import(&store, &p).await;
            assert_eq!(store.total_rows().await.unwrap() as usize, rows);
            assert_eq!(store.register_version().await.unwrap(), version + 1);
            assert_eq!(
                search(&store, "Org 61").await,
                [org(61)],
                "{:?}",
                store.backend()
            );
            assert_eq!(
                search(&store, "Org 11").await.len(),
                11,
                "Org 11 and Org 110-119"
            );
            assert_search_whole(&store, N).await;
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn sqlite_bulk_import_inserts_in_sqlites_key_order_and_rebuilds_the_indexes() {
    rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("reg.db").display());
        let store = Store::open(&url).await.unwrap();
        let before = sqlite_indexes(&store).await;
        assert!(
            before.iter().any(|(name, _)| name == "ties_target"),
            "{before:?}"
        );
        import(&store, &package(N, M, &|_, _| true)).await;
        assert_eq!(sqlite_indexes(&store).await, before);
        // Rows were inserted in the order SQLite itself sorts their keys in
        // (BINARY collation, integers by value), so row ids ascend with it.
        for (table, row_id, order) in [
            ("ties", "row_id", "source, target, kind, start"),
            (
                "funding",
                "row_id",
                "recipient, source_type, programme, year",
            ),
            ("organizations", "rowid", "id"),
        ] {
            let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT {row_id} FROM {table} ORDER BY {order}"
            )))
            .fetch_all(store.pool())
            .await
            .unwrap();
            assert!(ids.len() > 10, "{table}");
            assert!(ids.is_sorted(), "{table}: {ids:?}");
        }
        // The rebuilt index is the one queries use.
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as("EXPLAIN QUERY PLAN SELECT row_id FROM ties WHERE target = 'o3'")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert!(plan.iter().any(|p| p.3.contains("ties_target")), "{plan:?}");
        store.close().await;
    });
}

#[test]
fn a_bulk_import_failing_midway_leaves_the_register_and_its_indexes_unchanged() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_bulk").await {
            let indexes = if store.backend() == Backend::Sqlite {
                sqlite_indexes(&store).await
            } else {
                Vec::new()
            };
            // Built by hand to get past the package checks: a tie in the
            // middle of the ties refers to no organization, so the database's
            // own foreign key must refuse it after several chunks went in.
            let mut p = package(N, M, &|_, _| true);
            let ties = p
                .tables
                .iter_mut()
                .find(|t| t.schema.name == "ties")
                .unwrap();
            let mut bad = ties.rows[0].clone();
            // "organization-61" sorts in the middle of the sources.
            bad[0] = Value::Text(org(61).into());
            bad[1] = Value::Text("organization-ghost".into());
            ties.rows.insert(M / 2, bad);
            let result = store
                .import(&p, &ImportOptions::default(), &mut |_, _, _| {})
                .await;
            // The database's own foreign key refused it, and says so.
            match result {
                Err(StoreError::Query(sqlx::Error::Database(e))) => {
                    assert_eq!(
                        e.kind(),
                        ErrorKind::ForeignKeyViolation,
                        "{e} on {:?}",
                        store.backend()
                    );
                    // Into an empty SQLite register the references are checked
                    // after the rows are in: the message names the value.
                    if store.backend() == Backend::Sqlite {
                        assert!(e.message().contains("'organization-ghost'"), "{e}");
                    }
                }
                other => panic!(
                    "{:?} accepted a tie to a missing organization, or failed otherwise: {other:?}",
                    store.backend()
                ),
            }
            assert_eq!(
                store.total_rows().await.unwrap(),
                0,
                "{:?}",
                store.backend()
            );
            if store.backend() == Backend::Sqlite {
                assert_eq!(sqlite_indexes(&store).await, indexes);
            }
            // The search index as it was: empty, its triggers on.
            assert_search_whole(&store, 0).await;
            // The register still takes the good package, and finds its names.
            let good = package(N, M, &|_, _| true);
            let report = import(&store, &good).await;
            assert_eq!(
                report.totals().0,
                store.total_rows().await.unwrap() as usize
            );
            assert_eq!(
                search(&store, "Org 61").await,
                [org(61)],
                "{:?}",
                store.backend()
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_big_package_imported_again_is_matched_row_by_row() {
    // More ties than the import matches on one thread (50,000).
    rt().block_on(async {
        let (n, m) = (2_000, 60_000);
        let full = package(n, m, &|_, _| true);
        let ties = table(&full.tables, "ties").rows.len();
        let most = package(n, m, &|t, i| t != "ties" || i % 10 != 3);
        let held: usize = most.tables.iter().map(|t| t.rows.len()).sum();
        let rows: usize = full.tables.iter().map(|t| t.rows.len()).sum();
        assert!(
            ties > 50_000 && rows > held,
            "{ties} ties, {held} of {rows} rows held"
        );
        for (store, db, _dir) in registers("weaver_bulk").await {
            import(&store, &most).await;
            let dry = store
                .import(&full, &ImportOptions { dry_run: true }, &mut |_, _, _| {})
                .await
                .unwrap();
            assert_eq!(
                dry.totals(),
                (rows - held, 0, held),
                "{:?}",
                store.backend()
            );
            let again = import(&store, &full).await;
            assert_eq!(again.totals(), (rows - held, 0, held));
            assert_eq!(import(&store, &full).await.totals(), (0, 0, rows));
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

/// `n` organizations "Org i" with `employees` each, those with `renamed(i)`
/// named "Renamed i" instead.
fn organizations(n: usize, employees: usize, renamed: &dyn Fn(usize) -> bool) -> Package {
    let mut b = PackageBuilder::new("orgs");
    {
        let columns = h(&["id", "name", "actor_type", "employees"]);
        let mut t = b.table("organizations", "o.csv", &columns).unwrap();
        for i in 0..n {
            let name = if renamed(i) {
                format!("Renamed {i}")
            } else {
                format!("Org {i}")
            };
            t.push_row(
                i + 2,
                &[format!("o{i}"), name, "user".into(), employees.to_string()],
            );
        }
    }
    b.finish(&|_, _| false).unwrap()
}

#[test]
fn updates_keep_the_name_search_right_whether_few_or_many_names_change() {
    rt().block_on(async {
        let n = 2_000;
        for (store, db, _dir) in registers("weaver_bulk").await {
            import(&store, &organizations(n, 1, &|_| false)).await;
            // Every row changes; three names change (their search entries are
            // mended one by one), then 1,100 (the search index is made anew).
            let few = |i: usize| [5, 700, 1999].contains(&i);
            let report = import(&store, &organizations(n, 2, &few)).await;
            assert_eq!(report.totals(), (0, n, 0));
            assert_eq!(search(&store, "Renamed 700").await, ["o700"]);
            assert_eq!(search(&store, "Org 700").await, Vec::<String>::new());
            assert_eq!(search(&store, "Org 1998").await, ["o1998"]);
            let many = |i: usize| i.is_multiple_of(2) || i < 200;
            let report = import(&store, &organizations(n, 3, &many)).await;
            assert_eq!(report.totals(), (0, n, 0));
            assert_eq!(search(&store, "Renamed 1998").await, ["o1998"]);
            assert_eq!(
                search(&store, "Renamed 77").await,
                ["o77", "o770", "o772", "o774", "o776", "o778"]
            );
            assert_eq!(search(&store, "Org 1999").await, ["o1999"]);
            assert_eq!(search(&store, "Org 700").await, Vec::<String>::new());
            assert_eq!(
                search(&store, "Org 199").await,
                ["o1991", "o1993", "o1995", "o1997", "o1999"]
            );
            assert_search_whole(&store, n).await;
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
