//! Properties of import and export that must hold for any package, checked
//! on generated ones (proptest) on each backend available: importing a
//! package a second time changes nothing, and export → import → export
//! gives the same files, byte for byte.
//!
//! The packages are small registers of organizations (names with commas,
//! quotes and non-ASCII letters), clusters, memberships, ties and
//! observations (any finite value), with every visibility. Each backend
//! keeps one register, emptied before each case; cases are few and the
//! seed fixed (`weaver_testkit::properties`).

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use weaver_core::enums::{ActorType, Direction, TieKind, Tier, Visibility};
use weaver_core::{Package, PackageBuilder};
use weaver_store::{ImportOptions, Store};

mod common;
use common::read_dir_sorted;

/// An organization: name, actor type, employees, visibility.
type Org = (String, &'static str, Option<u32>, Option<&'static str>);
/// A tie: source and target (organization numbers), kind, start year,
/// visibility.
type Tie = (
    usize,
    usize,
    &'static str,
    Option<u16>,
    Option<&'static str>,
);
/// An observation: cluster and indicator numbers, year, value, visibility.
type Obs = (usize, usize, u16, f64, Option<&'static str>);

/// A generated package, as its tables' rows.
#[derive(Debug, Clone)]
struct Spec {
    orgs: Vec<Org>,
    clusters: usize,
    memberships: Vec<(usize, usize, &'static str)>,
    ties: Vec<Tie>,
    indicators: Vec<&'static str>,
    observations: Vec<Obs>,
}

fn visibility() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(Visibility::NAMES))
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..7, 1usize..4, 1usize..3).prop_flat_map(|(orgs, clusters, indicators)| {
        (
            prop::collection::vec(
                (
                    "[A-Za-z0-9éü机械][A-Za-z0-9 ,;\"'éü机械-]{0,15}",
                    prop::sample::select(ActorType::NAMES),
                    prop::option::of(0u32..100_000),
                    visibility(),
                ),
                orgs,
            ),
            prop::collection::vec(
                (0..clusters, 0..orgs, prop::sample::select(Tier::NAMES)),
                0..8,
            ),
            prop::collection::vec(
                (
                    0..orgs,
                    0..orgs,
                    prop::sample::select(TieKind::NAMES),
                    prop::option::of(2000u16..2030),
                    visibility(),
                ),
                0..10,
            ),
            prop::collection::vec(prop::sample::select(Direction::NAMES), indicators),
            prop::collection::vec(
                (
                    0..clusters,
                    0..indicators,
                    2015u16..2026,
                    -1e9f64..1e9,
                    visibility(),
                ),
                0..10,
            ),
        )
            .prop_map(
                move |(orgs, memberships, ties, indicators, observations)| Spec {
                    orgs,
                    clusters,
                    memberships,
                    ties,
                    indicators,
                    observations,
                },
            )
    })
}

/// The spec as a checked package: rows a key repeats are left out (the
/// first kept), and ties from an organization to itself.
fn package(spec: &Spec) -> Package {
    let mut b = PackageBuilder::new("generated");
    let mut table = |name: &str, header: &[&str], rows: Vec<Vec<String>>| {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut t = b.table(name, &format!("{name}.csv"), &header).unwrap();
        for (i, r) in rows.iter().enumerate() {
            t.push_row(i + 2, r);
        }
    };
    let opt = |v: Option<&str>| v.unwrap_or("").to_owned();
    table(
        "organizations",
        &["id", "name", "actor_type", "employees", "visibility"],
        spec.orgs
            .iter()
            .enumerate()
            .map(|(i, (name, actor, employees, vis))| {
                vec![
                    format!("o{i}"),
                    name.clone(),
                    (*actor).to_owned(),
                    employees.map(|e| e.to_string()).unwrap_or_default(),
                    opt(*vis),
                ]
            })
            .collect(),
    );
    table(
        "clusters",
        &["id", "name", "region"],
        (0..spec.clusters)
            .map(|c| vec![format!("c{c}"), format!("Cluster {c}"), format!("R{c}")])
            .collect(),
    );
    let mut seen = BTreeSet::new();
    table(
        "memberships",
        &["cluster", "org", "tier"],
        spec.memberships
            .iter()
            // One undated membership of an organization in a cluster: two
            // would overlap, which an import refuses.
            .filter(|(c, o, _)| seen.insert(format!("{c} {o}")))
            .map(|(c, o, tier)| vec![format!("c{c}"), format!("o{o}"), (*tier).to_owned()])
            .collect(),
    );
    let mut seen = BTreeSet::new();
    table(
        "ties",
        &["source", "target", "kind", "start", "visibility"],
        spec.ties
            .iter()
            .filter(|(s, t, ..)| s != t)
            .filter(|(s, t, kind, start, _)| seen.insert((*s, *t, *kind, *start)))
            .map(|(s, t, kind, start, vis)| {
                vec![
                    format!("o{s}"),
                    format!("o{t}"),
                    (*kind).to_owned(),
                    start.map(|y| y.to_string()).unwrap_or_default(),
                    opt(*vis),
                ]
            })
            .collect(),
    );
    table(
        "indicators",
        &["id", "name", "direction"],
        spec.indicators
            .iter()
            .enumerate()
            .map(|(i, d)| vec![format!("i{i}"), format!("Indicator {i}"), (*d).to_owned()])
            .collect(),
    );
    let mut seen = BTreeSet::new();
    table(
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        spec.observations
            .iter()
            .filter(|(c, i, p, ..)| seen.insert((*c, *i, *p)))
            .map(|(c, i, p, v, vis)| {
                vec![
                    format!("c{c}"),
                    format!("i{i}"),
                    p.to_string(),
                    v.to_string(),
                    opt(*vis),
                ]
            })
            .collect(),
    );
    match b.finish(&|_, _| false) {
        Ok(p) => p,
        Err(rejected) => panic!("the generated package is refused: {rejected}"),
    }
}

/// One register on each backend available, with the PostgreSQL database to
/// drop at the end.
async fn registers(dir: &Path, prefix: &str) -> Vec<(Store, Option<String>)> {
    let url = format!("sqlite://{}", dir.join("props.db").display());
    let mut out = vec![(Store::open(&url).await.unwrap(), None)];
    if let Some((url, db)) = weaver_testkit::fresh_postgres(prefix).await {
        out.push((Store::open(&url).await.unwrap(), Some(db)));
    }
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `check` on `cases` generated specs against each backend's register.
fn on_each_backend(
    prefix: &str,
    cases: u32,
    check: impl Fn(&tokio::runtime::Runtime, &Store, &Path, &Spec) -> Result<(), TestCaseError>,
) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    for (store, db) in rt.block_on(registers(dir.path(), prefix)) {
        let mut runner = TestRunner::new(weaver_testkit::properties::config(cases));
        let result = runner.run(&spec(), |spec| {
            rt.block_on(store.clear()).unwrap();
            check(&rt, &store, dir.path(), &spec)
        });
        let backend = store.backend();
        rt.block_on(async {
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        });
        if let Err(e) = result {
            panic!("on {backend:?}: {e}");
        }
    }
}

async fn import(store: &Store, p: &Package) -> weaver_store::ImportReport {
    store
        .import(p, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap()
}

#[test]
fn importing_a_package_a_second_time_changes_nothing() {
    on_each_backend("weaver_prop_idem", 24, |rt, store, _, spec| {
        let p = package(spec);
        let rows: usize = p.tables.iter().map(|t| t.rows.len()).sum();
        rt.block_on(async {
            let first = import(store, &p).await;
            prop_assert_eq!(first.totals(), (rows, 0, 0));
            let before = store.export().await.unwrap();
            let again = import(store, &p).await;
            prop_assert_eq!(again.totals(), (0, 0, rows), "the second import");
            let after = store.export().await.unwrap();
            for (a, b) in before.iter().zip(&after) {
                prop_assert_eq!(&a.rows, &b.rows, "{}", a.schema.name);
            }
            Ok(())
        })
    });
}

#[test]
fn export_import_export_gives_the_same_files() {
    on_each_backend("weaver_prop_trip", 24, |rt, store, dir, spec| {
        let one = dir.join("one");
        let two = dir.join("two");
        for d in [&one, &two] {
            let _ = std::fs::remove_dir_all(d);
        }
        rt.block_on(async {
            import(store, &package(spec)).await;
            let tables = store.export().await.unwrap();
            weaver_io::write_package(&one, "register", &tables).unwrap();
            store.clear().await.unwrap();
            let read = weaver_io::read_package(&one, 100).unwrap();
            let checked = store.check_package(read).await.unwrap();
            let p = match checked {
                Ok(p) => p,
                Err(rejected) => panic!("the export is refused on import: {rejected}"),
            };
            import(store, &p).await;
            let tables = store.export().await.unwrap();
            weaver_io::write_package(&two, "register", &tables).unwrap();
            Ok::<(), TestCaseError>(())
        })?;
        let (a, b) = (read_dir_sorted(&one), read_dir_sorted(&two));
        for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
            prop_assert_eq!(name_a, name_b);
            prop_assert!(
                bytes_a == bytes_b,
                "{} differs:\n{}\n---\n{}",
                name_a,
                String::from_utf8_lossy(bytes_a),
                String::from_utf8_lossy(bytes_b)
            );
        }
        prop_assert_eq!(a.len(), b.len());
        Ok(())
    });
}
