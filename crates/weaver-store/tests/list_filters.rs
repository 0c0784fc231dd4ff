//! Multi-value and range filters on row lists (issue 19): `col=a,b` is any
//! of a and b on key, reference, code, enum, number and date columns, free
//! text is matched whole; `col>=v` and `col<=v` on ordered columns, a date
//! given as a year or month covering it; a wrong column, a range on an
//! unordered column or a bad value is refused naming the parameter. On
//! SQLite and, where it answers, PostgreSQL.

use weaver_core::{Package, PackageBuilder};
use weaver_store::{Bound, ImportOptions, ListQuery, Store, StoreError};

mod common;
use common::{registers, rt};

fn h(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

fn package() -> Package {
    let mut b = PackageBuilder::new("filters");
    {
        let mut t = b
            .table(
                "clusters",
                "clusters.csv",
                &h(&[
                    "id",
                    "name",
                    "region",
                    "country",
                    "form",
                    "founded",
                    "management_fte",
                    "visibility",
                ]),
            )
            .unwrap();
        for (i, r) in [
            [
                "c1",
                "Alpha, Beta",
                "R1",
                "CN",
                "association",
                "2010",
                "1.5",
                "public",
            ],
            ["c2", "Gamma", "R2", "DE", "", "2015-06-01", "3", "public"],
            [
                "c3",
                "Delta",
                "R1",
                "FR",
                "association",
                "2015-12",
                "",
                "public",
            ],
            ["c4", "Epsilon", "R3", "CN", "", "", "0.5", "public"],
            [
                "c5",
                "Hidden",
                "R1",
                "CN",
                "association",
                "2012",
                "9",
                "private",
            ],
        ]
        .iter()
        .enumerate()
        {
            t.push_row(i + 2, r);
        }
    }
    {
        let mut t = b
            .table(
                "indicators",
                "indicators.csv",
                &h(&["id", "name", "direction"]),
            )
            .unwrap();
        t.push_row(2, &["members", "Members", "higher_better"]);
    }
    {
        let mut t = b
            .table(
                "observations",
                "observations.csv",
                &h(&["cluster", "indicator", "period", "value", "visibility"]),
            )
            .unwrap();
        for (i, r) in [
            ["c1", "members", "2019", "10", "public"],
            ["c1", "members", "2020-Q3", "11", "public"],
            ["c1", "members", "2021", "12", "public"],
            ["c2", "members", "2020", "20", "public"],
        ]
        .iter()
        .enumerate()
        {
            t.push_row(i + 2, r);
        }
    }
    b.finish(&|_, _| false).unwrap()
}

async fn ids(
    store: &Store,
    table: &str,
    filters: &[(&str, &str)],
    ranges: &[(&str, Bound, &str)],
) -> Result<Vec<String>, StoreError> {
    let t = weaver_core::schema::table(table).unwrap();
    let q = ListQuery {
        filters: filters
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ranges: ranges
            .iter()
            .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
            .collect(),
        limit: 100,
        ..ListQuery::default()
    };
    let page = store.list(t, None, &q).await?;
    let out: Vec<String> = page
        .rows
        .iter()
        .map(|r| {
            let j = r.to_json(t);
            match table {
                "observations" => format!(
                    "{}@{}",
                    j["cluster"].as_str().unwrap(),
                    j["period"].as_str().unwrap()
                ),
                _ => j["id"].as_str().unwrap().to_owned(),
            }
        })
        .collect();
    assert_eq!(page.total, out.len() as i64);
    Ok(out)
}

fn invalid(r: Result<Vec<String>, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[test]
fn lists_take_several_values_and_ranges() {
    use Bound::{AtLeast, AtMost};
    rt().block_on(async {
        for (store, _pg, _dir) in registers("list_filters").await {
            store
                .import(&package(), &ImportOptions::default(), &mut |_, _, _| {})
                .await
                .unwrap();
            let s = &store;
            // Any of several values: ids, codes, enums; private rows stay out.
            assert_eq!(
                ids(s, "clusters", &[("id", "c1,c3,c5")], &[])
                    .await
                    .unwrap(),
                ["c1", "c3"]
            );
            assert_eq!(
                ids(s, "clusters", &[("country", "DE, FR")], &[])
                    .await
                    .unwrap(),
                ["c2", "c3"]
            );
            assert_eq!(
                ids(
                    s,
                    "clusters",
                    &[("region", "R1,R3"), ("form", "association")],
                    &[]
                )
                .await
                .unwrap(),
                ["c1", "c3"]
            );
            // Free text is matched whole: the comma is text.
            assert_eq!(
                ids(s, "clusters", &[("name", "Alpha, Beta")], &[])
                    .await
                    .unwrap(),
                ["c1"]
            );
            assert!(
                ids(s, "clusters", &[("name", "Alpha")], &[])
                    .await
                    .unwrap()
                    .is_empty()
            );
            // Ranges on numbers; rows without a value meet none.
            assert_eq!(
                ids(s, "clusters", &[], &[("management_fte", AtLeast, "1.5")])
                    .await
                    .unwrap(),
                ["c1", "c2"]
            );
            assert_eq!(
                ids(s, "clusters", &[], &[("management_fte", AtMost, "1.5")])
                    .await
                    .unwrap(),
                ["c1", "c4"]
            );
            // Dates: a year or month covers it, on both sides.
            assert_eq!(
                ids(s, "clusters", &[], &[("founded", AtLeast, "2015")])
                    .await
                    .unwrap(),
                ["c2", "c3"]
            );
            assert_eq!(
                ids(s, "clusters", &[], &[("founded", AtMost, "2015")])
                    .await
                    .unwrap(),
                ["c1", "c2", "c3"]
            );
            assert_eq!(
                ids(s, "clusters", &[], &[("founded", AtMost, "2015-06")])
                    .await
                    .unwrap(),
                ["c1", "c2"]
            );
            assert_eq!(
                ids(s, "clusters", &[], &[("founded", AtLeast, "2015-06-02")])
                    .await
                    .unwrap(),
                ["c3"]
            );
            assert_eq!(
                ids(
                    s,
                    "clusters",
                    &[],
                    &[
                        ("founded", AtLeast, "2010-03-04"),
                        ("founded", AtMost, "2010-12-31")
                    ]
                )
                .await
                .unwrap(),
                ["c1"]
            );
            // Periods by year; several units.
            assert_eq!(
                ids(
                    s,
                    "observations",
                    &[("cluster", "c1,c2")],
                    &[("period", AtLeast, "2020"), ("period", AtMost, "2020")]
                )
                .await
                .unwrap(),
                ["c1@2020-Q3", "c2@2020"]
            );
            // Refusals name the parameter and the problem.
            let m = invalid(ids(s, "clusters", &[], &[("nope", AtLeast, "1")]).await);
            assert!(m.contains("nope>=") && m.contains("no column"), "{m}");
            let m = invalid(ids(s, "clusters", &[], &[("name", AtMost, "b")]).await);
            assert!(m.contains("name<=") && m.contains("not ordered"), "{m}");
            let m = invalid(ids(s, "clusters", &[], &[("founded", AtLeast, "2015-13")]).await);
            assert!(m.contains("founded>=") && m.contains("2015-13"), "{m}");
            let m = invalid(ids(s, "clusters", &[], &[("management_fte", AtLeast, "lots")]).await);
            assert!(m.contains("management_fte>=") && m.contains("lots"), "{m}");
            let m = invalid(ids(s, "observations", &[], &[("period", AtLeast, "2020-Q3")]).await);
            assert!(m.contains("period>=") && m.contains("year"), "{m}");
            let m = invalid(ids(s, "clusters", &[("form", "association,tower")], &[]).await);
            assert!(m.contains("filter form") && m.contains("tower"), "{m}");
            let m = invalid(ids(s, "clusters", &[("id", "c1,,c2")], &[]).await);
            assert!(m.contains("filter id") && m.contains("empty"), "{m}");
            store.close().await;
        }
    });
}
