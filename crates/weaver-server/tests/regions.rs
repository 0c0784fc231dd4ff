//! Regions as data and the mapping within one country and classification
//! (issue 15), on SQLite and PostgreSQL: a register with three countries
//! and two classifications whose codes collide (C26 is "computer,
//! electronic and optical products" in NACE Rev. 2 and "chemical raw
//! materials" in GB/T 4754-2017). Every LQ below is worked by hand per
//! country; a pooled computation gives other numbers (noted beside each).

use axum::http::StatusCode;
use serde_json::Value;
use weaver_core::{Boundaries, PackageBuilder};
use weaver_server::Config;
use weaver_store::ImportOptions;

mod common;
use common::{Env, Table, on_each};

/// Activity, the same in 2023 and 2024:
/// - Germany, NACE Rev. 2 (country from the regions table):
///   DED2 C26 30, G47 10; DEA1 C26 30, G47 30. DE: C26 60 of 100, G47 40.
/// - France, NACE Rev. 2 (country on the row, region not in the table):
///   FRK2 C26 10, G47 10.
/// - China, GB/T 4754-2017 (stated as "GB/T 4754"): 320500 C26 100, C27
///   100; 440300 C26 300, C27 500. CN: C26 400 of 1000, C27 600.
/// - Unknown country, classification unstated: X1 A 5; X2 A 5, B 5.
///
/// Pooled, C26 would be 460 of 1135 jobs.
const FIXTURE: &[Table] = &[
    (
        "regions",
        &[
            "id",
            "name",
            "name_en",
            "level",
            "parent",
            "country",
            "visibility",
        ],
        &[
            &[
                "DE",
                "Deutschland",
                "Germany",
                "country",
                "",
                "DE",
                "public",
            ],
            &["DED2", "Dresden", "", "NUTS 2", "DE", "DE", "public"],
            &["DEA1", "Düsseldorf", "", "NUTS 2", "DE", "DE", "public"],
            &["CN", "中国", "China", "country", "", "CN", "public"],
            &[
                "320500",
                "苏州市",
                "Suzhou",
                "prefecture",
                "CN",
                "CN",
                "public",
            ],
            &[
                "440300",
                "深圳市",
                "Shenzhen",
                "prefecture",
                "CN",
                "CN",
                "private",
            ],
        ],
    ),
    ("programmes", &["id", "name"], &[&["p1", "Programme"]]),
    (
        "organizations",
        &["id", "name", "actor_type"],
        &[&["o1", "Acme", "enterprise"]],
    ),
    (
        "clusters",
        &["id", "name", "region", "sectors", "sector_classification"],
        &[
            &["c1", "Silicon Saxony", "DED2", "C26;G47;C99", "NACE Rev 2"],
            &["c2", "Suzhou Chemicals", "320500", "C26;C27", "GB/T 4754"],
            &["c3", "Lyon Retail", "FRK2", "G47", "ISIC Rev. 4"],
        ],
    ),
    (
        "regional_activity",
        &[
            "region",
            "industry",
            "country",
            "classification",
            "year",
            "employment",
        ],
        &[
            &["DED2", "C26", "", "NACE Rev. 2", "2024", "30"],
            &["DED2", "G47", "", "NACE Rev. 2", "2024", "10"],
            &["DEA1", "C26", "", "NACE Rev. 2", "2024", "30"],
            &["DEA1", "G47", "", "NACE Rev. 2", "2024", "30"],
            &["FRK2", "C26", "FR", "NACE", "2024", "10"],
            &["FRK2", "G47", "FR", "NACE", "2024", "10"],
            &["320500", "C26", "CN", "GB/T 4754", "2024", "100"],
            &["320500", "C27", "CN", "GB/T 4754", "2024", "100"],
            &["440300", "C26", "CN", "GB/T 4754", "2024", "300"],
            &["440300", "C27", "CN", "GB/T 4754", "2024", "500"],
            &["X1", "A", "", "", "2024", "5"],
            &["X2", "A", "", "", "2024", "5"],
            &["X2", "B", "", "", "2024", "5"],
            &["DED2", "C26", "", "NACE Rev. 2", "2023", "30"],
            &["DED2", "G47", "", "NACE Rev. 2", "2023", "10"],
            &["DEA1", "C26", "", "NACE Rev. 2", "2023", "30"],
            &["DEA1", "G47", "", "NACE Rev. 2", "2023", "30"],
            &["FRK2", "C26", "FR", "NACE", "2023", "10"],
            &["FRK2", "G47", "FR", "NACE", "2023", "10"],
            &["320500", "C26", "CN", "GB/T 4754", "2023", "100"],
            &["320500", "C27", "CN", "GB/T 4754", "2023", "100"],
            &["440300", "C26", "CN", "GB/T 4754", "2023", "300"],
            &["440300", "C27", "CN", "GB/T 4754", "2023", "500"],
            &["X1", "A", "", "", "2023", "5"],
            &["X2", "A", "", "", "2023", "5"],
            &["X2", "B", "", "", "2023", "5"],
        ],
    ),
];

const BOUNDARIES: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"DED2"},"geometry":{"type":"Point","coordinates":[13.7,51.0]}},
{"type":"Feature","properties":{"id":"440300"},"geometry":null}]}"#;

async fn envs() -> Vec<Env> {
    common::envs_with("regions", Config::default(), async |store| {
        let mut b = PackageBuilder::new("fixture");
        for (name, header, rows) in FIXTURE {
            let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
            let mut t = b.table(name, &format!("{name}.csv"), &header).unwrap();
            for (i, r) in rows.iter().enumerate() {
                t.push_row(i + 2, r);
            }
        }
        b.boundaries(Boundaries {
            origin: "regions.geojson".into(),
            document: BOUNDARIES.into(),
            ids: vec!["DED2".into(), "440300".into()],
        });
        let pkg = b.finish(&|_, _| false).unwrap();
        store
            .import(&pkg, &ImportOptions::default(), &mut |_, _, _| {})
            .await
            .unwrap();
        (common::accounts(store).await, ())
    })
    .await
}

async fn ok(env: &Env, who: &str, path: &str) -> Value {
    let (s, v) = env.call(who, "GET", path, None).await;
    assert_eq!(s, StatusCode::OK, "{path}: {v}");
    v
}

/// (country, classification, reference_area) of each section.
fn sections(v: &Value) -> Vec<(Value, String, String)> {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["country"].clone(),
                s["classification"].as_str().unwrap().to_owned(),
                s["reference_area"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// (region, category, lq) of every cell of the section of `country`.
fn lqs(v: &Value, country: Option<&str>) -> Vec<(String, String, f64)> {
    let s = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["country"].as_str() == country)
        .unwrap_or_else(|| panic!("no section of {country:?} in {v}"));
    s["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["region"].as_str().unwrap().to_owned(),
                c["category"].as_str().unwrap().to_owned(),
                (c["lq"].as_f64().unwrap() * 1e9).round() / 1e9,
            )
        })
        .collect()
}

fn cell(region: &str, category: &str, lq: f64) -> (String, String, f64) {
    (region.into(), category.into(), (lq * 1e9).round() / 1e9)
}

#[test]
fn each_country_and_classification_is_its_own_section() {
    on_each(envs, async |env| {
        let v = ok(env, "admin", "/api/v1/mapping/clusters?year=2024").await;
        let null = Value::Null;
        let s = |c: &str| Value::String(c.into());
        assert_eq!(
            sections(&v),
            [
                (
                    null,
                    "unstated".into(),
                    "the sum of the 2 regions of unknown country".into()
                ),
                (
                    s("CN"),
                    "GB/T 4754-2017".into(),
                    "CN: the sum of its 2 regions in the register".into()
                ),
                (
                    s("DE"),
                    "NACE Rev. 2".into(),
                    "DE: the sum of its 2 regions in the register".into()
                ),
                (
                    s("FR"),
                    "NACE Rev. 2".into(),
                    "FR: the sum of its 1 region in the register".into()
                ),
            ]
        );
        // Germany against Germany: DED2 C26 (30/40)/(60/100) = 1.25
        // (pooled: 0.75/(460/1135) = 1.85).
        assert_eq!(
            lqs(&v, Some("DE")),
            [
                cell("DEA1", "C26", 0.5 / 0.6),
                cell("DEA1", "G47", 0.5 / 0.4),
                cell("DED2", "C26", 1.25),
                cell("DED2", "G47", 0.625),
            ]
        );
        // China's C26 is another industry: (100/200)/(400/1000) = 1.25
        // (pooled: 0.5/(460/1135) = 1.23).
        assert_eq!(
            lqs(&v, Some("CN")),
            [
                cell("320500", "C26", 1.25),
                cell("320500", "C27", 0.5 / 0.6),
                cell("440300", "C26", 0.375 / 0.4),
                cell("440300", "C27", 0.625 / 0.6),
            ]
        );
        // One region is its own country: every LQ is 1.
        assert_eq!(
            lqs(&v, Some("FR")),
            [cell("FRK2", "C26", 1.0), cell("FRK2", "G47", 1.0)]
        );
        assert_eq!(
            lqs(&v, None),
            [
                cell("X1", "A", 1.5),
                cell("X2", "A", 0.75),
                cell("X2", "B", 1.5)
            ]
        );
        let unstated = &v["sections"][0]["notes"];
        assert!(
            unstated[0]
                .as_str()
                .unwrap()
                .contains("state no industry classification"),
            "{unstated}"
        );
    });
}

#[test]
fn a_benchmark_country_or_region_is_the_reference_area() {
    on_each(envs, async |env| {
        // France against Germany's totals: FRK2 C26 (10/20)/(60/100).
        let v = ok(env, "admin", "/api/v1/mapping/clusters?benchmark=DE").await;
        assert_eq!(
            lqs(&v, Some("FR")),
            [
                cell("FRK2", "C26", 0.5 / 0.6),
                cell("FRK2", "G47", 0.5 / 0.4)
            ]
        );
        let fr = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["country"] == "FR")
            .unwrap();
        assert_eq!(
            fr["reference_area"],
            "benchmark DE: the sum of its regions in the register"
        );
        // Germany has no GB/T 4754 activity: China keeps its own totals.
        let cn = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["country"] == "CN")
            .unwrap();
        assert_eq!(
            cn["reference_area"],
            "CN: the sum of its 2 regions in the register"
        );
        assert!(
            cn["notes"][0]
                .as_str()
                .unwrap()
                .contains("no activity in GB/T 4754-2017")
        );
        assert_eq!(lqs(&v, Some("CN"))[0], cell("320500", "C26", 1.25));

        // A region as benchmark: DED2's own activity, DED2 itself not
        // mapped. DEA1 C26 (30/60)/(30/40), G47 (30/60)/(10/40).
        let v = ok(env, "admin", "/api/v1/mapping/clusters?benchmark=DED2").await;
        assert_eq!(
            lqs(&v, Some("DE")),
            [cell("DEA1", "C26", 0.5 / 0.75), cell("DEA1", "G47", 2.0)]
        );
        let (s, e) = env
            .call(
                "admin",
                "GET",
                "/api/v1/mapping/clusters?benchmark=ZZ",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(
            e.to_string()
                .contains("benchmark 'ZZ' is neither a country nor a region"),
            "{e}"
        );
    });
}

#[test]
fn the_other_mapping_answers_are_sectioned_too() {
    on_each(envs, async |env| {
        for path in [
            "/api/v1/mapping/growth",
            "/api/v1/mapping/related",
            "/api/v1/mapping/strength",
            "/api/v1/mapping/complexity",
        ] {
            let v = ok(env, "admin", path).await;
            let keys: Vec<String> = sections(&v).into_iter().map(|s| s.1).collect();
            assert_eq!(
                keys,
                ["unstated", "GB/T 4754-2017", "NACE Rev. 2", "NACE Rev. 2"],
                "{path}"
            );
        }
        // Relatedness within China: C26 and C27 are negatively correlated
        // across its two regions' LQs, never mixed with Germany's C26.
        let v = ok(env, "admin", "/api/v1/mapping/related").await;
        let cn = &v["sections"][1];
        let pairs: Vec<(&str, &str)> = cn["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["category"].as_str().unwrap(),
                    r["related"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(pairs, [("C26", "C27"), ("C27", "C26")]);
        assert!(
            (cn["rows"][0]["correlation"].as_f64().unwrap() + 1.0).abs() < 1e-9,
            "{cn}"
        );
    });
}

#[test]
fn a_clusters_specialisation_is_its_sectors_in_its_region_against_its_country() {
    on_each(envs, async |env| {
        let v = ok(env, "public", "/api/v1/clusters/c1/specialisation").await;
        assert_eq!(v["region"], "DED2");
        assert_eq!(v["country"], "DE");
        assert_eq!(v["classification"], "NACE Rev. 2");
        assert_eq!(v["year"], 2024);
        let sectors: Vec<(&str, Option<f64>)> = v["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["sector"].as_str().unwrap(), s["lq"].as_f64()))
            .collect();
        assert_eq!(
            sectors,
            [("C26", Some(1.25)), ("G47", Some(0.625)), ("C99", None)]
        );
        // The same code in Suzhou's classification: another LQ.
        let v = ok(env, "public", "/api/v1/clusters/c2/specialisation").await;
        assert_eq!(v["sectors"][0]["lq"], 1.25);
        assert_eq!(
            v["reference_area"],
            "CN: the sum of its 2 regions in the register"
        );
        // Lyon's sectors are in ISIC; the register's French activity is NACE.
        let (s, e) = env
            .call("public", "GET", "/api/v1/clusters/c3/specialisation", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
        assert!(e.to_string().contains("of FR in ISIC Rev. 4"), "{e}");
        let (s, _) = env
            .call(
                "public",
                "GET",
                "/api/v1/clusters/nope/specialisation",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    });
}

#[test]
fn boundaries_are_served_for_the_regions_the_caller_reads() {
    on_each(envs, async |env| {
        let ids = |v: &Value| -> Vec<String> {
            v["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let admin = ok(env, "admin", "/api/v1/regions/boundaries").await;
        assert_eq!(admin["type"], "FeatureCollection");
        assert_eq!(ids(&admin), ["DED2", "440300"]);
        // Shenzhen's row is private: the public sees Dresden's only.
        let public = ok(env, "public", "/api/v1/regions/boundaries").await;
        assert_eq!(ids(&public), ["DED2"]);
        // The regions' rows through the generic routes.
        let r = ok(env, "public", "/api/v1/regions/DED2").await;
        assert_eq!(r["parent"], "DE");
    });
}

#[test]
fn bad_regions_are_refused_with_their_place() {
    on_each(envs, async |env| {
        let (s, e) = env
            .call(
                "admin",
                "POST",
                "/api/v1/regions",
                Some(serde_json::json!({
                    "id": "DEZ", "name": "Z", "level": "NUTS 2", "parent": "DE9", "country": "Deu", "lat": 95
                })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let text = e.to_string();
        assert!(
            text.contains("not an ISO 3166-1 alpha-2 country code"),
            "{text}"
        );
        assert!(text.contains("lat 95 is not between -90 and 90"), "{text}");
        let (s, e) = env
            .call(
                "admin",
                "POST",
                "/api/v1/regional_activity",
                Some(serde_json::json!({
                    "region": "DED2", "industry": "C30", "year": 2024, "employment": 1,
                    "classification": "SIC 1987"
                })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e.to_string().contains("NACE Rev. 2"), "{e}");
        // Nothing was written.
        let v = ok(env, "admin", "/api/v1/mapping/clusters").await;
        assert_eq!(sections(&v).len(), 4);
    });
}
