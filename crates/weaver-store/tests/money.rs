//! Money carries a currency (migration 0010, issue 16): on SQLite and, where
//! it answers, PostgreSQL, an import — the bulk path into an empty register
//! and row by row into a filled one — gives a monetary observation without
//! a currency its cluster's country's, naming the rows in a warning; the
//! exchange rates are read like the indicators (public for everyone); a
//! currency that is no ISO 4217 code is refused naming the row; and the
//! export carries both back.

use weaver_core::{Package, PackageBuilder};
use weaver_store::{ImportOptions, Principal, Store};

mod common;
use common::{registers, rt};

fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// Clusters c1 (CN), c2 (DE), c3 (no country); indicators `revenue`
/// (money million) and `patents` (count); a CNY rate; and `observations`
/// (cluster, indicator, value, currency) of 2024.
fn package(observations: &[[&str; 4]]) -> Package {
    let mut b = PackageBuilder::new("money");
    {
        let mut t = b
            .table(
                "clusters",
                "clusters.csv",
                &h(&["id", "name", "region", "country"]),
            )
            .unwrap();
        t.push_row(2, &["c1", "Suzhou", "320500", "CN"]);
        t.push_row(3, &["c2", "Dresden", "DED2", "DE"]);
        t.push_row(4, &["c3", "Nowhere", "X", ""]);
    }
    {
        let mut t = b
            .table(
                "indicators",
                "indicators.csv",
                &h(&["id", "name", "unit", "direction"]),
            )
            .unwrap();
        t.push_row(2, &["revenue", "Revenue", "money million", "higher_better"]);
        t.push_row(3, &["patents", "Patents", "count", "higher_better"]);
    }
    {
        let mut t = b
            .table(
                "exchange_rates",
                "exchange_rates.csv",
                &h(&["currency", "year", "per_eur", "source", "visibility"]),
            )
            .unwrap();
        t.push_row(
            2,
            &["cny", "2024", "7.7875", "ECB annual average", "public"],
        );
        t.push_row(
            3,
            &["USD", "2024", "1.0824", "ECB annual average", "cluster"],
        );
    }
    {
        let mut t = b
            .table(
                "observations",
                "observations.csv",
                &h(&[
                    "cluster",
                    "indicator",
                    "period",
                    "value",
                    "currency",
                    "visibility",
                ]),
            )
            .unwrap();
        for (i, o) in observations.iter().enumerate() {
            t.push_row(i + 2, &[o[0], o[1], "2024", o[2], o[3], "public"]);
        }
    }
    b.finish(&|_, _| false).unwrap()
}

/// (cluster, indicator, currency) of every observation of 2024.
async fn currencies(store: &Store) -> Vec<(String, String, Option<String>)> {
    store
        .readable_money_observations(&weaver_testkit_admin(), "2024")
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.cluster, o.indicator, o.currency))
        .collect()
}

fn weaver_testkit_admin() -> Principal {
    Principal {
        user_id: 0,
        email: "test".into(),
        role: weaver_core::enums::Role::Admin,
        managed: Vec::new(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: Vec::new(),
    }
}

#[test]
fn money_without_a_currency_takes_its_clusters_countrys_on_both_paths() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_money").await {
            // Into an empty register (SQLite's bulk path).
            let p = package(&[
                ["c1", "revenue", "7.8", ""],
                ["c2", "revenue", "3", "EUR"],
                ["c3", "revenue", "1", ""],
                ["c1", "patents", "10", ""],
            ]);
            let report = store
                .import(&p, &ImportOptions::default(), &mut |_, _, _| {})
                .await
                .unwrap();
            let text = report.warnings.join("\n");
            assert!(text.contains("c1/revenue/2024 → CNY"), "{text}");
            assert!(
                text.contains("c3/revenue/2024 (country not given)"),
                "{text}"
            );
            assert_eq!(
                currencies(&store).await,
                [
                    ("c1".into(), "patents".into(), None),
                    ("c1".into(), "revenue".into(), Some("CNY".into())),
                    ("c2".into(), "revenue".into(), Some("EUR".into())),
                    ("c3".into(), "revenue".into(), None),
                ]
            );
            // Into a register that holds rows (row by row): c2's new value
            // without a currency takes DE's, EUR.
            let p = package(&[["c2", "revenue", "4", ""]]);
            let report = store
                .import(&p, &ImportOptions::default(), &mut |_, _, _| {})
                .await
                .unwrap();
            assert!(
                report.warnings.join("\n").contains("c2/revenue/2024 → EUR"),
                "{:?}",
                report.warnings
            );
            // The rates: the public reads the public one, every signed-in
            // user both (cluster visibility of a table of no cluster).
            let public = store.readable_exchange_rates(None).await.unwrap();
            assert_eq!(public.len(), 1);
            assert_eq!((public[0].currency.as_str(), public[0].year), ("CNY", 2024));
            assert_eq!(public[0].per_eur, 7.7875);
            let all = store
                .readable_exchange_rates(Some(&weaver_testkit_admin()))
                .await
                .unwrap();
            assert_eq!(all.len(), 2);
            // The export holds both.
            let tables = store.export().await.unwrap();
            let rates = tables
                .iter()
                .find(|t| t.schema.name == "exchange_rates")
                .expect("exchange_rates exported");
            assert_eq!(rates.rows.len(), 2);
            let obs = tables
                .iter()
                .find(|t| t.schema.name == "observations")
                .unwrap();
            let pos = obs.schema.position("currency").unwrap();
            assert!(obs.rows.iter().any(|r| r[pos].as_str() == Some("CNY")));
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}

#[test]
fn a_currency_that_is_no_iso_code_is_refused_naming_the_row() {
    let mut b = PackageBuilder::new("bad");
    let mut t = b
        .table(
            "exchange_rates",
            "exchange_rates.csv",
            &h(&["currency", "year", "per_eur", "source"]),
        )
        .unwrap();
    t.push_row(2, &["RMB", "2024", "7.8", "typed in"]);
    let e = b.finish(&|_, _| false).unwrap_err();
    assert_eq!(
        e.0.list()[0].to_string(),
        "exchange_rates.csv, row 2, column currency: 'RMB' is not an ISO 4217 currency code; \
         expected an ISO 4217 currency code such as EUR or CNY"
    );
}
