//! Engine results against independent references: numpy's quantiles and a
//! plain pandas/numpy implementation of the classification rules
//! (`tests/fixtures/make_fixtures.py`), the inverse of numpy's percentile
//! (`tests/fixtures/percentile_ranks_fixture.py`), plus hand-worked examples.

use std::collections::HashMap;

use serde_json::Value;
use weaver_mapping::classify::{
    CmpOptions, EcoOptions, Quadrant, QuadrantOptions, classify_cmp, classify_eco,
    classify_quadrant, cluster_strength, peer_percentile_ranks,
};
use weaver_mapping::input::{
    ActivityColumns, ActivityRow, ClusterType, Definition, IndustryParents, RegionLink,
    aggregate_regions, fill_suppressed,
};
use weaver_mapping::panel::Panel;
use weaver_mapping::stats::{percentile_ranks, percentile_ranks_type7, quantile, ranks_descending};
use weaver_mapping::{MappingError, Table};
use weaver_testkit::close;

fn fixture(name: &str) -> Value {
    weaver_testkit::json_fixture("weaver-mapping", name)
}

#[test]
fn quantiles_match_numpy_percentile() {
    let f = fixture("quantiles.json");
    let mut checked = 0;
    for s in f["samples"].as_array().unwrap() {
        let values: Vec<f64> = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        for (q, e) in s["q"]
            .as_array()
            .unwrap()
            .iter()
            .zip(s["expected"].as_array().unwrap())
        {
            let got = quantile(&values, q.as_f64().unwrap());
            let want = e.as_f64().unwrap();
            assert!(
                close(got, want, 1e-14, 1e-14),
                "q={q}: {got} vs numpy {want}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 54);
}

#[test]
fn percentile_ranks_and_ranks_hand_worked() {
    // scipy.stats.percentileofscore([1,2,2,3], x, kind="weak") for x = 1, 2, 3: 25, 75, 100.
    assert_eq!(
        percentile_ranks(&[1.0, 2.0, 2.0, 3.0, f64::NAN])[..4],
        [25.0, 75.0, 75.0, 100.0]
    );
    assert!(percentile_ranks(&[f64::NAN])[0].is_nan());
    assert_eq!(
        ranks_descending(&[1.0, 9.0, 9.0, 5.0]),
        vec![Some(4), Some(1), Some(1), Some(3)]
    );
    assert!(ranks_descending(&[]).is_empty());
}

fn classify_rows() -> (Vec<ActivityRow>, Vec<Definition>, Value) {
    let f = fixture("classify.json");
    let rows = f["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| ActivityRow {
            region: r[0].as_str().unwrap().into(),
            industry: r[1].as_str().unwrap().into(),
            year: r[2].as_i64().unwrap() as i32,
            employment: r[3].as_f64(),
            establishments: r[4].as_f64(),
            wages: None,
            kind: Some(r[5].as_str().unwrap().into()),
        })
        .collect();
    let defs = f["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Definition {
            industry: d[0].as_str().unwrap().into(),
            cluster: d[1].as_str().unwrap().into(),
            cluster_type: ClusterType::parse(d[2].as_str().unwrap()),
        })
        .collect();
    (rows, defs, f)
}

#[test]
fn classifications_match_the_pandas_reference() {
    let (rows, defs, f) = classify_rows();
    let panel = Panel::build(&rows, Some(&defs), None).unwrap();
    let lq = panel.location_quotients();
    let cmp = classify_cmp(&panel, &lq, &CmpOptions::default()).unwrap();
    assert!(cmp.establishments_used);
    let eco = classify_eco(&panel, &lq, &EcoOptions::default()).unwrap();
    let quad = classify_quadrant(&panel, &lq, &QuadrantOptions::default()).unwrap();
    let mut index = HashMap::new();
    for (i, c) in panel.cells.iter().enumerate() {
        index.insert(
            (
                panel.regions[c.region()].clone(),
                panel.clusters[c.cluster()].clone(),
                panel.years[c.year()],
            ),
            i,
        );
    }
    let expected = f["expected"].as_array().unwrap();
    assert_eq!(expected.len(), panel.cells.len());
    let mut strong = 0;
    for e in expected {
        let key = (
            e["region"].as_str().unwrap().to_owned(),
            e["cluster"].as_str().unwrap().to_owned(),
            e["year"].as_i64().unwrap() as i32,
        );
        let i = index[&key];
        let cell = &panel.cells[i];
        assert_eq!(cell.employment, e["employment"].as_f64().unwrap());
        assert_eq!(cell.establishments(), e["establishments"].as_f64());
        let want_lq = e["lq"].as_f64().unwrap_or(f64::NAN);
        assert!(
            close(lq[i], want_lq, 1e-12, 1e-12),
            "{key:?}: lq {} vs {want_lq}",
            lq[i]
        );
        let c = cmp.classes[i];
        let b = |k: &str| e[k].as_bool().unwrap();
        assert_eq!(
            (c.qualifying, c.significant, c.strong, c.strong10),
            (
                b("qualifying"),
                b("significant"),
                b("strong"),
                b("strong10")
            ),
            "{key:?}"
        );
        let s = eco[i];
        assert_eq!(
            (s.size, s.specialisation, s.focus),
            (b("size_star"), b("specialisation_star"), b("focus_star")),
            "{key:?}"
        );
        assert_eq!(
            quad[i].map(Quadrant::as_str),
            e["quadrant"].as_str(),
            "{key:?}"
        );
        strong += usize::from(c.strong);
    }
    assert!(strong > 50, "the fixture exercises the strong rule");
    // Cluster strength.
    let st = cluster_strength(&panel, &cmp.classes).unwrap();
    let by_key: HashMap<(String, i32), _> = st
        .iter()
        .map(|s| ((panel.regions[s.region].clone(), panel.years[s.year]), s))
        .collect();
    let want = f["strength"].as_array().unwrap();
    assert_eq!(want.len(), st.len());
    for w in want {
        let s = by_key[&(
            w["region"].as_str().unwrap().to_owned(),
            w["year"].as_i64().unwrap() as i32,
        )];
        assert_eq!(s.traded_employment, w["traded"].as_f64().unwrap());
        assert_eq!(s.strong_employment, w["strong"].as_f64().unwrap());
        assert_eq!(s.strong_clusters as i64, w["n"].as_i64().unwrap());
        assert!(close(
            s.strength,
            w["strength"].as_f64().unwrap_or(f64::NAN),
            1e-14,
            1e-14,
        ));
    }
}

fn row(r: &str, i: &str, y: i32, e: Option<f64>) -> ActivityRow {
    ActivityRow {
        region: r.into(),
        industry: i.into(),
        year: y,
        employment: e,
        ..Default::default()
    }
}

#[test]
fn lq_uses_same_type_denominators_hand_worked() {
    // R1: traded T1 = 20, T2 = 20, local L = 60. R2: T1 = 10, T2 = 30, L = 10.
    let rows = vec![
        row("R1", "t1", 2020, Some(20.0)),
        row("R1", "t2", 2020, Some(20.0)),
        row("R1", "l", 2020, Some(60.0)),
        row("R2", "t1", 2020, Some(10.0)),
        row("R2", "t2", 2020, Some(30.0)),
        row("R2", "l", 2020, Some(10.0)),
    ];
    let def = |i: &str, c: &str, t| Definition {
        industry: i.into(),
        cluster: c.into(),
        cluster_type: Some(t),
    };
    let defs = vec![
        def("t1", "T1", ClusterType::Traded),
        def("t2", "T2", ClusterType::Traded),
        def("l", "L", ClusterType::Local),
    ];
    let p = Panel::build(&rows, Some(&defs), None).unwrap();
    let lq = p.location_quotients();
    // T1 in R1: (20/40) / (30/80) = 4/3; classic LQ would be (20/100)/(30/150) = 1.
    assert!((lq[0] - 4.0 / 3.0).abs() < 1e-15);
    // L in R1: (60/60) / (70/70) = 1.
    assert!((lq[2] - 1.0).abs() < 1e-15);
    // T2 in R2: (30/40) / (50/80) = 1.2.
    assert!((lq[4] - 1.2).abs() < 1e-15);
    // Property: employment-weighted mean LQ of a category over regions is 1.
    for c in 0..3 {
        let (mut num, mut den) = (0.0, 0.0);
        for (i, cell) in p.cells.iter().enumerate().filter(|(_, x)| x.cluster() == c) {
            let share = p.region_of_type(cell.region(), 0, c) / p.national_of_type(0, 0, c);
            num += lq[i] * share;
            den += share;
        }
        assert!((num / den - 1.0).abs() < 1e-12);
    }
}

#[test]
fn benchmark_totals_replace_the_sum_of_regions() {
    let rows = vec![
        row("R1", "A", 2020, Some(10.0)),
        row("R1", "B", 2020, Some(10.0)),
    ];
    let bench = vec![
        weaver_mapping::input::BenchmarkRow {
            industry: "A".into(),
            year: 2020,
            employment: 100.0,
        },
        weaver_mapping::input::BenchmarkRow {
            industry: "B".into(),
            year: 2020,
            employment: 300.0,
        },
    ];
    let p = Panel::build(&rows, None, Some(&bench)).unwrap();
    // LQ of A = (10/20) / (100/400) = 2.
    assert_eq!(p.location_quotients(), vec![2.0, 0.5 / 0.75]);
    assert!(p.benchmarked);
}

#[test]
fn gap_filling_walks_up_to_the_nearest_parent_with_a_value() {
    // 31 = 100 known; 311 = 30 known; 312 suppressed; its children 3121 = 5 known,
    // 3122 and 3123 suppressed; 313 suppressed. 3124's parent 312 is absent
    // nowhere else. Expected: 312 and 313 share 100 - 30 = 70 → 35 each; then
    // 3122 and 3123 share 35 - 5 = 30 → 15 each.
    let mut rows = vec![
        row("R", "31", 2020, Some(100.0)),
        row("R", "311", 2020, Some(30.0)),
        row("R", "312", 2020, None),
        row("R", "3121", 2020, Some(5.0)),
        row("R", "3122", 2020, None),
        row("R", "3123", 2020, None),
        row("R", "313", 2020, None),
        // Another region with a suppressed cell and no parent: stays unfilled.
        row("Q", "311", 2020, None),
        // Parent row absent: 3321's nearest present ancestor is 33.
        row("R", "33", 2020, Some(50.0)),
        row("R", "3321", 2020, None),
        row("R", "3311", 2020, Some(20.0)),
    ];
    let report = fill_suppressed(&mut rows, &IndustryParents::Prefix);
    let e: Vec<Option<f64>> = rows.iter().map(|r| r.employment).collect();
    assert_eq!(e[2], Some(35.0));
    assert_eq!(e[6], Some(35.0));
    assert_eq!(e[4], Some(15.0));
    assert_eq!(e[5], Some(15.0));
    assert_eq!(e[7], None);
    assert_eq!(e[9], Some(30.0));
    assert_eq!(report.filled, 5);
    assert_eq!(report.unfilled, 1);
    assert_eq!(report.negative_remainders, 0);
}

#[test]
fn gap_filling_with_explicit_parents_and_over_full_parents() {
    let parents: HashMap<String, String> = [("C29.1", "C29"), ("C29.2", "C29"), ("C29", "C")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let mut rows = vec![
        row("R", "C", 2020, Some(10.0)),
        row("R", "C29.1", 2020, Some(12.0)),
        row("R", "C29.2", 2020, None),
    ];
    let report = fill_suppressed(&mut rows, &IndustryParents::Explicit(parents));
    // C29 absent: both are children of C; known 12 exceeds 10 → remainder 0.
    assert_eq!(rows[2].employment, Some(0.0));
    assert_eq!(report.negative_remainders, 1);
}

#[test]
fn regions_sum_into_parents() {
    let rows = vec![
        row("c1", "A", 2020, Some(1.0)),
        row("c2", "A", 2020, Some(2.0)),
        row("c3", "A", 2020, Some(4.0)),
        row("c3", "B", 2020, Some(8.0)),
        row("c1", "B", 2020, None),
    ];
    let link = |r: &str, p: &str| RegionLink {
        region: r.into(),
        parent: p.into(),
        parent_kind: None,
    };
    let h = vec![
        link("c1", "S1"),
        link("c2", "S1"),
        link("c3", "S2"),
        link("S1", "N"),
        link("S2", "N"),
    ];
    let out = aggregate_regions(&rows, &h).unwrap();
    let got: Vec<(String, String, Option<f64>, Option<String>)> = out[5..]
        .iter()
        .map(|r| {
            (
                r.region.clone(),
                r.industry.clone(),
                r.employment,
                r.kind.clone(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (s("S1"), s("A"), Some(3.0), Some(s("level1"))),
            (s("S1"), s("B"), None, Some(s("level1"))),
            (s("S2"), s("A"), Some(4.0), Some(s("level1"))),
            (s("S2"), s("B"), Some(8.0), Some(s("level1"))),
            (s("N"), s("A"), Some(7.0), Some(s("level0"))),
            (s("N"), s("B"), None, Some(s("level0"))),
        ]
    );
    // A cycle and a parent with its own data are refused.
    let cyc = vec![link("a", "b"), link("b", "a")];
    assert!(matches!(
        aggregate_regions(&rows, &cyc),
        Err(MappingError::HierarchyCycle { .. })
    ));
    let mut with_parent = rows.clone();
    with_parent.push(row("S1", "A", 2020, Some(3.0)));
    assert!(matches!(
        aggregate_regions(&with_parent, &h),
        Err(MappingError::ParentHasData { record: 5, .. })
    ));
}

#[test]
fn bad_input_is_refused_with_its_place() {
    let dup = vec![
        row("R", "A", 2020, Some(1.0)),
        row("R", "A", 2020, Some(2.0)),
    ];
    let err = Panel::build(&dup, None, None).unwrap_err();
    assert_eq!(err.location(), Some((Table::Activity, 1)));
    let neg = vec![row("R", "A", 2020, Some(-1.0))];
    assert!(matches!(
        Panel::build(&neg, None, None),
        Err(MappingError::InvalidValue {
            column: "employment",
            record: 0,
            ..
        })
    ));
    let nan = vec![row("R", "A", 2020, Some(f64::NAN))];
    assert!(Panel::build(&nan, None, None).is_err());
    // Columns keep "no value" as NaN; a NaN given as a value is still refused.
    let mut nan_est = vec![
        row("R", "A", 2020, Some(1.0)),
        row("R", "B", 2020, Some(1.0)),
    ];
    nan_est[1].establishments = Some(f64::NAN);
    assert!(matches!(
        Panel::build(&nan_est, None, None),
        Err(MappingError::InvalidValue {
            column: "establishments",
            record: 1,
            ..
        })
    ));
    let mut kinds = vec![
        row("R", "A", 2020, Some(1.0)),
        row("R", "B", 2020, Some(1.0)),
    ];
    kinds[1].kind = Some("state".into());
    assert!(matches!(
        Panel::build(&kinds, None, None),
        Err(MappingError::KindConflict { record: 1, .. })
    ));
    let defs = vec![
        Definition {
            industry: "A".into(),
            cluster: "X".into(),
            cluster_type: Some(ClusterType::Traded),
        },
        Definition {
            industry: "B".into(),
            cluster: "X".into(),
            cluster_type: Some(ClusterType::Local),
        },
    ];
    let err = Panel::build(&dup[..1], Some(&defs), None).unwrap_err();
    assert_eq!(err.location(), Some((Table::Definitions, 1)));
    // Empty input: an empty panel, no panic anywhere.
    let p = Panel::build(&[], None, None).unwrap();
    assert!(p.cells.is_empty());
    let lq = p.location_quotients();
    assert!(
        classify_cmp(&p, &lq, &CmpOptions::default())
            .unwrap()
            .classes
            .is_empty()
    );
    assert!(
        classify_eco(&p, &lq, &EcoOptions::default())
            .unwrap()
            .is_empty()
    );
    assert!(
        classify_quadrant(&p, &lq, &QuadrantOptions::default())
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        p.growth(2000, 2001),
        Err(MappingError::UnknownYear { .. })
    ));
    let bad = CmpOptions {
        strong: 75.0,
        ..Default::default()
    };
    assert!(matches!(
        classify_cmp(&p, &lq, &bad),
        Err(MappingError::Parameter { .. })
    ));
}

#[test]
fn cmp_without_establishments_drops_the_condition() {
    // One category over 5 regions, LQs 1/3..5/3 as in the rustdoc example,
    // now with establishments that exclude R5 (fewest establishments).
    let mut rows = Vec::new();
    for (r, a, n) in [
        ("R1", 10.0, 5.0),
        ("R2", 20.0, 6.0),
        ("R3", 30.0, 7.0),
        ("R4", 40.0, 8.0),
        ("R5", 50.0, 1.0),
    ] {
        rows.push(ActivityRow {
            establishments: Some(n),
            ..row(r, "A", 2020, Some(a))
        });
        rows.push(ActivityRow {
            establishments: Some(n),
            ..row(r, "B", 2020, Some(100.0 - a))
        });
    }
    let p = Panel::build(&rows, None, None).unwrap();
    let lq = p.location_quotients();
    let with = classify_cmp(&p, &lq, &CmpOptions::default()).unwrap();
    // Establishments of A: 5,6,7,8,1 → P25 = 5: R1 (5) and R5 (1) fail.
    assert!(with.establishments_used);
    assert!(with.classes[6].strong && !with.classes[8].strong);
    let without = classify_cmp(
        &p,
        &lq,
        &CmpOptions {
            use_establishments: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!without.establishments_used);
    assert!(without.classes[6].strong && without.classes[8].strong && without.classes[8].strong10);
    // Employment P25 = 20 excludes R1, R2 from every class: R3 (LQ 1 = P50) is
    // qualifying but not significant.
    let c = without.classes[4];
    assert!(c.qualifying && !c.significant && !c.strong);
}

#[test]
fn growth_and_shift_share_hand_worked() {
    // Nation: A 100 → 150 (+50%), B 100 → 110; all 200 → 260 (+30%).
    let rows = vec![
        row("R1", "A", 2010, Some(60.0)),
        row("R2", "A", 2010, Some(40.0)),
        row("R1", "B", 2010, Some(100.0)),
        row("R1", "A", 2015, Some(100.0)),
        row("R2", "A", 2015, Some(50.0)),
        row("R1", "B", 2015, Some(110.0)),
    ];
    let p = Panel::build(&rows, None, None).unwrap();
    let g = p.growth(2010, 2015).unwrap();
    let r1a = g[0];
    assert_eq!((r1a.start, r1a.end, r1a.change), (60.0, 100.0, 40.0));
    assert!((r1a.cagr - ((100.0f64 / 60.0).powf(0.2) - 1.0)).abs() < 1e-15);
    assert!((r1a.expected - 30.0).abs() < 1e-12);
    assert!((r1a.national_share - 18.0).abs() < 1e-12);
    assert!((r1a.industry_mix - 12.0).abs() < 1e-12);
    assert!((r1a.job_creation - 10.0).abs() < 1e-12);
    for x in &g {
        assert!((x.national_share + x.industry_mix + x.job_creation - x.change).abs() < 1e-9);
    }
    assert!(matches!(
        p.growth(2015, 2010),
        Err(MappingError::Parameter { .. })
    ));
}

#[test]
fn sparse_key_spaces_take_the_hash_path() {
    // 3000 regions each with its own industry: 9 million possible keys for
    // 3000 rows, beyond the dense budget, so the hash-map path runs.
    let mut rows: Vec<ActivityRow> = (0..3000)
        .map(|i| {
            row(
                &format!("R{i}"),
                &format!("I{i}"),
                2020,
                Some(1.0 + i as f64),
            )
        })
        .collect();
    let p = Panel::build(&rows, None, None).unwrap();
    assert_eq!(p.cells.len(), 3000);
    assert_eq!(p.cells[2999].employment, 3000.0);
    // Each region is all of its industry: LQ = 1 / (E_c / E) = E / E_c.
    let total: f64 = (1..=3000).map(f64::from).sum();
    assert!((p.location_quotients()[0] - total).abs() < 1e-6);
    rows.push(row("R7", "I7", 2020, Some(2.0)));
    let err = Panel::build(&rows, None, None).unwrap_err();
    assert!(
        matches!(
            err,
            MappingError::Duplicate {
                record: 3000,
                first: 7,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn type7_percentile_ranks_invert_numpy_percentile() {
    let f = fixture("percentile_ranks.json");
    let mut checked = 0;
    for s in f["samples"].as_array().unwrap() {
        let values: Vec<f64> = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let got = percentile_ranks_type7(&values);
        for ((&x, &g), e) in values
            .iter()
            .zip(&got)
            .zip(s["expected"].as_array().unwrap())
        {
            let want = e.as_f64().unwrap();
            // The reference is a bisection on numpy.percentile: exact to ~1e-13.
            assert!((g - want).abs() <= 1e-9, "{x} in {values:?}: {g} vs {want}");
            // And numpy's percentile at that rank gives the value back.
            assert!(close(quantile(&values, g / 100.0), x, 1e-12, 1e-12));
            checked += 1;
        }
    }
    assert_eq!(checked, 139);
    // NaN is left out of the sample and ranked NaN; an empty sample is fine.
    let r = percentile_ranks_type7(&[2.0, f64::NAN, 1.0]);
    assert_eq!((r[0], r[2]), (100.0, 0.0));
    assert!(r[1].is_nan());
    assert!(percentile_ranks_type7(&[]).is_empty());
}

#[test]
fn peer_percentile_ranks_agree_with_the_cmp_rules() {
    let (rows, defs, _) = classify_rows();
    let p = Panel::build(&rows, Some(&defs), None).unwrap();
    let lq = p.location_quotients();
    let pr = peer_percentile_ranks(&p, &lq).unwrap();
    let classes = classify_cmp(&p, &lq, &CmpOptions::default())
        .unwrap()
        .classes;
    let mut strong = 0;
    for (i, c) in p.cells.iter().enumerate() {
        if c.employment == 0.0 || lq[i].is_nan() {
            assert!(pr[i].is_nan());
            continue;
        }
        assert!((0.0..=100.0).contains(&pr[i]));
        // strong ⇒ LQ ≥ P75 ⇔ rank ≥ 75.
        if classes[i].strong {
            assert!(pr[i] >= 75.0 && lq[i] >= 1.0, "cell {i}: rank {}", pr[i]);
            strong += 1;
        }
        if classes[i].strong10 {
            assert!(pr[i] >= 90.0);
        }
    }
    assert!(strong > 0);
    assert!(matches!(
        peer_percentile_ranks(&p, &lq[1..]),
        Err(MappingError::Shape { .. })
    ));
}

#[test]
fn columns_of_ids_build_the_same_panel_as_rows() {
    let (rows, defs, _) = classify_rows();
    let from_rows = Panel::build(&rows, Some(&defs), None).unwrap();
    // Ids numbered in reverse (not first appearance): the panel must not care.
    let mut cols = ActivityColumns::from_rows(&rows);
    let reverse = |ids: &mut Vec<u32>, names: &mut Vec<String>| {
        let n = names.len() as u32;
        for id in ids.iter_mut() {
            *id = n - 1 - *id;
        }
        names.reverse();
    };
    reverse(&mut cols.region, &mut cols.regions);
    reverse(&mut cols.industry, &mut cols.industries);
    reverse(&mut cols.kind, &mut cols.kinds);
    assert_eq!(cols.to_rows(), rows);
    let from_cols = Panel::build_columns(&cols, Some(&defs), None).unwrap();
    assert_eq!(from_cols.regions, from_rows.regions);
    assert_eq!(from_cols.kinds, from_rows.kinds);
    assert_eq!(from_cols.region_kind, from_rows.region_kind);
    assert_eq!(from_cols.clusters, from_rows.clusters);
    assert_eq!(from_cols.cells, from_rows.cells);
    let (a, b) = (
        from_cols.location_quotients(),
        from_rows.location_quotients(),
    );
    assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    // Columns that do not fit are refused, not indexed out of bounds.
    let mut bad = cols.clone();
    bad.region[3] = 10_000;
    assert!(matches!(
        Panel::build_columns(&bad, None, None),
        Err(MappingError::Columns { .. })
    ));
    let mut bad = cols.clone();
    bad.year.pop();
    assert!(matches!(
        Panel::build_columns(&bad, None, None),
        Err(MappingError::Columns { .. })
    ));
    let mut bad = cols;
    bad.industries[1] = bad.industries[0].clone();
    let err = Panel::build_columns(&bad, None, None).unwrap_err();
    assert!(err.to_string().contains("has two ids"), "{err}");
}
