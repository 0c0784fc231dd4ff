//! The indicators' checks on every write of an observation (issue 16), on
//! SQLite and, where it answers, PostgreSQL: an import — SQLite's bulk
//! path into an empty register and row by row into a filled one, and a
//! dry run — refuses a value out of range or not whole, naming file, row
//! and column, and writes nothing; a jump from the cluster's previous
//! period of the same granularity (in the register or in the package) is
//! imported and named among the warnings; a row written on a user's behalf
//! is refused for a jump unless confirmed; a manager's import is held to
//! the same checks and to its clusters.

use weaver_core::enums::Role;
use weaver_core::schema;
use weaver_core::{Package, PackageBuilder, Value};
use weaver_store::{ImportOptions, Principal, ScopeKind, Store, StoreError};

mod common;
use common::{registers, rt};

fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// A table of a package: name, header, rows.
type Table<'a> = (&'a str, &'a [&'a str], &'a [&'a [&'a str]]);

/// A package of `tables`: (name, header, rows), each row numbered from 2.
fn package(tables: &[Table]) -> Package {
    let mut b = PackageBuilder::new("checks");
    for (name, header, rows) in tables {
        let mut t = b.table(name, &format!("{name}.csv"), &h(header)).unwrap();
        for (i, r) in rows.iter().enumerate() {
            t.push_row(i + 2, r);
        }
    }
    b.finish(&|_, _| true).unwrap()
}

/// Clusters c1 and c2; `employment` (whole, 0 or more), `satisfaction`
/// (1 to 5), `density` (jump factor 1.5); c1's employment of 2022 and
/// 2023 and its density of 2023-Q4.
fn register() -> Package {
    package(&[
        (
            "clusters",
            &["id", "name", "region"],
            &[&["c1", "Suzhou", "320500"], &["c2", "Lyon", "FRK26"]],
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
                "jump_factor",
            ],
            &[
                &[
                    "employment",
                    "Employment",
                    "higher_better",
                    "0",
                    "",
                    "true",
                    "",
                ],
                &[
                    "satisfaction",
                    "Satisfaction",
                    "higher_better",
                    "1",
                    "5",
                    "",
                    "",
                ],
                &["density", "Density", "higher_better", "", "", "", "1.5"],
            ],
        ),
        (
            "observations",
            &["cluster", "indicator", "period", "value"],
            &[
                &["c1", "employment", "2022", "900"],
                &["c1", "employment", "2023", "1000"],
                &["c1", "density", "2023-Q4", "0.2"],
            ],
        ),
    ])
}

fn principal(role: Role, managed: &[&str]) -> Principal {
    Principal {
        user_id: 0,
        email: format!("{}@example.org", role.as_str()),
        role,
        managed: managed.iter().map(|s| s.to_string()).collect(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: managed.iter().map(|s| s.to_string()).collect(),
    }
}

/// The account of a manager of c1, made in `store`.
async fn manager_of_c1(store: &Store) -> Principal {
    let user = store
        .create_user("manager@example.org", None, Role::Manager, None)
        .await
        .unwrap();
    store
        .assign(user.id, ScopeKind::Cluster, "c1")
        .await
        .unwrap();
    store.principal(user.id).await.unwrap()
}

/// (cluster, indicator, period, value) of every observation, sorted.
async fn observations(store: &Store) -> Vec<(String, String, String, f64)> {
    let mut out: Vec<_> = store
        .readable_observations(Some(&principal(Role::Admin, &[])), None)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.cluster, o.indicator, o.period, o.value))
        .collect();
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

/// The problems of a refusal as `file, row N, column C: message` lines.
fn refused(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Rejected(r) => r.0.list().iter().map(|p| p.to_string()).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn import(store: &Store, p: &Package, dry_run: bool) -> Result<Vec<String>, StoreError> {
    store
        .import(p, &ImportOptions { dry_run }, &mut |_, _, _| {})
        .await
        .map(|r| r.warnings)
}

#[test]
fn an_imported_value_out_of_range_is_refused_on_the_bulk_path_and_row_by_row() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_plausibility_range").await {
            // The whole register in one package, into an empty register
            // (SQLite's bulk path): refused for its rows 5 and 6.
            let mut bad = register();
            let obs = bad
                .tables
                .iter_mut()
                .find(|t| t.schema.name == "observations")
                .unwrap();
            let t = obs.schema;
            let (i, p, v) = (
                t.position("indicator").unwrap(),
                t.position("period").unwrap(),
                t.position("value").unwrap(),
            );
            let mut row = obs.rows[0].clone();
            row[i] = Value::Text("satisfaction".into());
            row[p] = Value::Text("2024".into());
            row[v] = Value::Float(6.0);
            obs.rows.push(row.clone());
            obs.lines.push(5);
            row[i] = Value::Text("employment".into());
            row[v] = Value::Float(1000.5);
            obs.rows.push(row.clone());
            obs.lines.push(6);
            let expected = vec![
                "observations.csv, row 5, column value: satisfaction: 6 is above the indicator's \
                 maximum 5 (it accepts 1 to 5)"
                    .to_owned(),
                "observations.csv, row 6, column value: employment: 1000.5 is not a whole number \
                 (the indicator counts whole units)"
                    .to_owned(),
            ];
            for dry_run in [true, false] {
                let e = import(&store, &bad, dry_run).await.unwrap_err();
                assert_eq!(refused(e), expected, "dry run {dry_run}");
                assert_eq!(store.total_rows().await.unwrap(), 0, "nothing written");
            }
            // The good register goes in; then, row by row into the filled
            // register, a value out of range is refused the same way.
            import(&store, &register(), false).await.unwrap();
            let before = observations(&store).await;
            let later = package(&[(
                "observations",
                &["cluster", "indicator", "period", "value"],
                &[
                    &["c1", "satisfaction", "2024", "4"],
                    &["c2", "employment", "2024", "-1"],
                ],
            )]);
            let e = import(&store, &later, false).await.unwrap_err();
            assert_eq!(
                refused(e),
                vec![
                    "observations.csv, row 3, column value: employment: -1 is below the \
                     indicator's minimum 0 (it accepts 0 or more)"
                ]
            );
            assert_eq!(observations(&store).await, before);
            // An indicator of the same package counts over the register's.
            let lifted = package(&[
                (
                    "indicators",
                    &["id", "name", "direction", "min_value"],
                    &[&["employment", "Employment", "higher_better", "-5"]],
                ),
                (
                    "observations",
                    &["cluster", "indicator", "period", "value"],
                    &[&["c2", "employment", "2024", "-1"]],
                ),
            ]);
            import(&store, &lifted, false).await.unwrap();
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn an_imported_jump_is_a_warning_naming_the_row_and_a_same_value_asks_nothing() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_plausibility_jump").await {
            // Within the package itself (the bulk path): 2023 is 10 × 2022.
            let p = package(&[
                (
                    "clusters",
                    &["id", "name", "region"],
                    &[&["c1", "Suzhou", "320500"]],
                ),
                (
                    "indicators",
                    &["id", "name", "direction"],
                    &[&["employment", "Employment", "higher_better"]],
                ),
                (
                    "observations",
                    &["cluster", "indicator", "period", "value"],
                    &[
                        &["c1", "employment", "2023", "1000"],
                        &["c1", "employment", "2022", "100"],
                        &["c1", "employment", "2024-Q1", "1"],
                    ],
                ),
            ]);
            let warnings = import(&store, &p, false).await.unwrap();
            let jumps: Vec<&String> = warnings.iter().filter(|w| w.contains("jump")).collect();
            assert_eq!(
                jumps,
                vec![
                    "observations.csv, row 2: c1: employment: 1000 is more than 3 times 100 in \
                     2022 (×10.00, a jump to confirm); imported as given"
                ],
                "a quarter is not judged against a year: {warnings:?}"
            );
            // Row by row: against the register's earlier period; the
            // unchanged rows of the package are not judged again.
            let p = package(&[(
                "observations",
                &["cluster", "indicator", "period", "value"],
                &[
                    &["c1", "employment", "2023", "1000"],
                    &["c1", "employment", "2024", "100"],
                ],
            )]);
            for dry_run in [true, false] {
                let warnings = import(&store, &p, dry_run).await.unwrap();
                assert_eq!(
                    warnings,
                    vec![
                        "observations.csv, row 3: c1: employment: 100 is less than 1/3 of 1000 \
                         in 2023 (×0.10, a jump to confirm); imported as given"
                    ]
                );
            }
            assert!(observations(&store).await.contains(&(
                "c1".into(),
                "employment".into(),
                "2024".into(),
                100.0
            )));
            assert_eq!(
                import(&store, &p, false).await.unwrap(),
                Vec::<String>::new()
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_row_written_for_a_user_that_jumps_needs_confirming() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_plausibility_rows").await {
            import(&store, &register(), false).await.unwrap();
            let t = schema::table("observations").unwrap();
            let manager = manager_of_c1(&store).await;
            let row = |period: &str, value: &str| {
                let mut b = serde_json::Map::new();
                for (k, v) in [
                    ("cluster", "c1"),
                    ("indicator", "employment"),
                    ("period", period),
                    ("value", value),
                ] {
                    b.insert(k.into(), serde_json::Value::String(v.into()));
                }
                b
            };
            let values = store
                .check_fields(t, &row("2024", "5000"), &manager, None)
                .await
                .unwrap();
            let e = store
                .create(t, &manager, values.clone(), false)
                .await
                .unwrap_err();
            assert_eq!(
                refused(e),
                vec![
                    "request body, column value: c1: employment: 5000 is more than 3 times 1000 \
                     in 2023 (×5.00, a jump to confirm); if it is right, send it again with \
                     ?confirm=true"
                ]
            );
            let created = store.create(t, &manager, values, true).await.unwrap();
            // An update is judged against the last earlier period.
            let mut values = created.values.clone();
            values[t.position("value").unwrap()] = Value::Float(1200.0);
            store
                .update(t, &manager, &created.key(), values.clone(), false)
                .await
                .unwrap();
            values[t.position("value").unwrap()] = Value::Float(1.0);
            let e = store
                .update(t, &manager, &created.key(), values.clone(), false)
                .await
                .unwrap_err();
            assert_eq!(refused(e).len(), 1);
            // A rule is not waived by confirming.
            values[t.position("value").unwrap()] = Value::Float(1.5);
            let e = store
                .update(t, &manager, &created.key(), values, true)
                .await
                .unwrap_err();
            assert_eq!(
                refused(e),
                vec![
                    "request body, column value: employment: 1.5 is not a whole number (the \
                     indicator counts whole units)"
                ]
            );
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_managers_import_is_held_to_its_clusters_and_to_the_checks() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_plausibility_scoped").await {
            import(&store, &register(), false).await.unwrap();
            let before = observations(&store).await;
            let manager = manager_of_c1(&store).await;
            let p = package(&[(
                "observations",
                &["cluster", "indicator", "period", "value"],
                &[
                    &["c1", "employment", "2024", "100"],
                    &["c2", "employment", "2024", "7"],
                    &["c1", "satisfaction", "2024", "9"],
                ],
            )]);
            let e = store
                .import_as(&manager, &p, &ImportOptions::default())
                .await
                .unwrap_err();
            assert_eq!(
                refused(e),
                vec![
                    "observations.csv, row 3: this observations row is not in a cluster you \
                     manage (yours: c1)",
                    "observations.csv, row 4, column value: satisfaction: 9 is above the \
                     indicator's maximum 5 (it accepts 1 to 5)",
                ]
            );
            assert_eq!(observations(&store).await, before);
            // Its own cluster's rows: imported, the jump warned of, audited.
            let p = package(&[(
                "observations",
                &["cluster", "indicator", "period", "value"],
                &[&["c1", "employment", "2024", "100"]],
            )]);
            let report = store
                .import_as(&manager, &p, &ImportOptions::default())
                .await
                .unwrap();
            assert_eq!(report.totals(), (1, 0, 0));
            assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
            let entries = store
                .audit_log(&manager, Some("observations"), None, 10, 0)
                .await
                .unwrap();
            assert_eq!(entries.len(), 1);
            assert_eq!(
                (entries[0].actor.as_str(), entries[0].action.as_str()),
                ("manager@example.org", "create")
            );
            // Officers and members import nothing.
            for role in [Role::Officer, Role::Member] {
                let e = store
                    .import_as(&principal(role, &[]), &p, &ImportOptions::default())
                    .await
                    .unwrap_err();
                assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
