//! Closing a campaign is one operation in one transaction: when one of its
//! analyses fails, nothing of the close is kept. Run on SQLite and, where
//! one answers, PostgreSQL (`WEAVER_TEST_PG`).

use weaver_core::{PackageBuilder, Value, schema};
use weaver_service::ServiceError;
use weaver_store::{ImportOptions, ListQuery, NewCampaign, RowKey, Store};

/// A table of the fixture: name, header and rows.
type Table = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

/// Two clusters of two members each. c1's one tie is given weight 0 after
/// the import, straight in the database, as a register written before
/// weights had to be above zero may hold it: the network analysis refuses it
/// (a weighted graph's weights are > 0), so c1's analysis fails at close.
const FIXTURE: &[Table] = &[
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[
            &["o1", "Acme", "enterprise"],
            &["o2", "Nano University", "university"],
            &["o3", "Lyon Labs", "research"],
            &["o4", "Lyon Works", "enterprise"],
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
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c1", "o2", "partner"],
            &["c2", "o3", "core"],
            &["c2", "o4", "partner"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "weight", "visibility"],
        &[
            &["o1", "o2", "contract", "2024", "1", "public"],
            &["o3", "o4", "contract", "2024", "2", "public"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[&["members", "Members", "higher_better"]],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2024", "10", "public"],
            &["c2", "members", "2024", "30", "public"],
        ],
    ),
];

async fn registers() -> Vec<(Store, Option<String>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("reg.db").display());
    let mut out = vec![(Store::open(&url).await.unwrap(), None, dir)];
    if let Some((url, db)) = weaver_testkit::fresh_postgres("weaver_svc_close").await {
        out.push((
            Store::open(&url).await.unwrap(),
            Some(db),
            tempfile::tempdir().unwrap(),
        ));
    }
    for (store, _, _) in &out {
        let mut b = PackageBuilder::new("close");
        for (table, cols, rows) in FIXTURE {
            let header: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
            let mut t = b.table(table, &format!("{table}.csv"), &header).unwrap();
            for (i, r) in rows.iter().enumerate() {
                t.push_row(i + 2, r);
            }
        }
        let package = b.finish(&|_, _| false).unwrap();
        store
            .import(
                &package,
                &ImportOptions { dry_run: false },
                &mut |_, _, _| {},
            )
            .await
            .unwrap();
        // What the package check now refuses, written as an older register
        // holds it.
        sqlx::query("UPDATE ties SET weight = 0 WHERE source = 'o1'")
            .execute(store.pool())
            .await
            .unwrap();
    }
    out
}

/// The one tie of `o1` and `o2`, by its key, and its values.
async fn tie_of_c1(store: &Store) -> (RowKey, Vec<Value>) {
    let ties = schema::table("ties").unwrap();
    let q = ListQuery {
        filters: vec![("source".into(), "o1".into())],
        limit: 10,
        ..Default::default()
    };
    let page = store
        .list(ties, Some(&weaver_service::admin()), &q)
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let r = &page.rows[0];
    (RowKey::RowId(r.row_id.unwrap()), r.values.clone())
}

#[test]
fn a_close_whose_network_analysis_fails_keeps_nothing_and_can_be_done_again() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for (store, db, _dir) in registers().await {
            let admin = weaver_service::admin();
            let opened = store
                .create_campaign(
                    &admin,
                    NewCampaign {
                        id: "cm".into(),
                        name: "Members 2024".into(),
                        period: "2024".into(),
                        deadline: "2099-12-31".into(),
                        indicators: vec!["members".into()],
                        clusters: vec!["c1".into(), "c2".into()],
                    },
                )
                .await
                .unwrap();

            // c2's analysis would succeed; c1's fails on the tie of weight 0.
            let failed = weaver_service::campaigns::close(&store, &admin, "cm").await;
            match failed {
                Err(ServiceError::Invalid(m)) => {
                    assert!(m.starts_with("the network of c1: "), "{m}");
                    assert!(m.contains("weight"), "{m}");
                }
                other => panic!("expected c1's network to be refused, got {other:?}"),
            }
            assert_eq!(store.campaign(&admin, "cm").await.unwrap(), opened);
            assert!(store.frozen_results(&admin, "cm").await.unwrap().is_empty());
            // Not frozen: a manager's submission still changes a value.
            let submitted = store
                .submit_observations(
                    &admin,
                    "cm",
                    &[("c1".into(), "members".into(), 12.0)],
                    false,
                )
                .await
                .unwrap();
            assert_eq!(submitted, (0, 1));

            // The tie's weight corrected, the close succeeds.
            let ties = schema::table("ties").unwrap();
            let (key, mut row) = tie_of_c1(&store).await;
            row[ties.position("weight").unwrap()] = Value::Float(1.0);
            store.update(ties, &admin, &key, row, false).await.unwrap();
            let closed = weaver_service::campaigns::close(&store, &admin, "cm")
                .await
                .unwrap();
            assert_eq!(closed.campaign.status, "closed");
            let kept = store.frozen_results(&admin, "cm").await.unwrap();
            let kinds: Vec<(&str, &str)> = kept
                .iter()
                .map(|(c, k, _, _)| (c.as_str(), k.as_str()))
                .collect();
            assert_eq!(
                kinds,
                [
                    ("c1", "evaluation"),
                    ("c1", "network"),
                    ("c1", "status"),
                    ("c2", "evaluation"),
                    ("c2", "network"),
                    ("c2", "status"),
                ]
            );
            // The evaluation kept is of the submitted value: c1 (12) ranks
            // below c2 (30), min-max to [0, 100].
            let evaluation: serde_json::Value = serde_json::from_str(&kept[0].3).unwrap();
            assert_eq!(evaluation["rank"], 2);
            assert_eq!(evaluation["score"], 0.0);
            let network: serde_json::Value = serde_json::from_str(&kept[1].3).unwrap();
            assert_eq!(network["summary"]["nodes"], 2);
            assert_eq!(network["summary"]["edges"], 1);
            assert_eq!(network["weighted"], true);
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
