//! Checks the engine against values computed independently with numpy,
//! scipy and pandas by `tests/fixtures/make_fixtures.py` (kept in
//! `tests/fixtures/reference.json`, with the library versions in its
//! `generator` field).

use serde_json::Value;
use weaver_evaluation::aggregate::topsis;
use weaver_evaluation::method::{Normalisation, Treatment};
use weaver_evaluation::normalise::{Goals, normalise};
use weaver_evaluation::treat::{TreatmentAction, treat_outliers};
use weaver_evaluation::weights::{ahp_weights, benefit_of_the_doubt, entropy_weights, pca_weights};
use weaver_evaluation::{
    Direction, IndexMethod, IndexOptions, Indicator, Matrix, Observation, Panel, composite_index,
    stats,
};
use weaver_testkit::assert_all_close;

fn reference() -> Value {
    let text = include_str!("fixtures/reference.json");
    serde_json::from_str(text).expect("reference.json parses")
}

fn vec_f64(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn matrix(v: &Value) -> Matrix {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(vec_f64).collect();
    Matrix::from_rows(&rows)
}

#[test]
fn coinr_treatment_matches_reference() {
    let r = reference();
    let t = Treatment {
        enabled: true,
        ..Treatment::default()
    };
    for (k, case) in r["treatment"].as_array().unwrap().iter().enumerate() {
        let x = vec_f64(&case["x"]);
        assert!((stats::skew(&x) - case["skew"].as_f64().unwrap()).abs() < 1e-10);
        assert!((stats::kurt(&x) - case["kurt"].as_f64().unwrap()).abs() < 1e-9);
        let out = treat_outliers(&x, &t);
        let expected = match case["action"].as_str().unwrap() {
            "none" => TreatmentAction::None,
            "log" => TreatmentAction::Log,
            _ => TreatmentAction::Winsorised(case["nwin"].as_u64().unwrap() as usize),
        };
        assert_eq!(out.action, expected, "case {k}");
        assert_all_close(
            "treated",
            &out.values,
            &vec_f64(&case["treated"]),
            1e-12,
            1e-12,
        );
    }
}

#[test]
fn normalisations_match_reference() {
    let r = &reference()["normalise"];
    let x = vec_f64(&r["x"]);
    let g = Goals::default();
    let up = Direction::HigherBetter;
    let down = Direction::LowerBetter;
    let cases = [
        (
            up,
            Normalisation::MinMax { lo: 0.0, hi: 100.0 },
            "minmax_up",
        ),
        (
            down,
            Normalisation::MinMax { lo: 1.0, hi: 100.0 },
            "minmax_down_1_100",
        ),
        (
            up,
            Normalisation::ZScore { mean: 0.0, sd: 1.0 },
            "zscore_up",
        ),
        (up, Normalisation::Rank, "rank_up"),
        (down, Normalisation::Rank, "rank_down"),
        (up, Normalisation::Percentile, "percentile_up"),
    ];
    for (dir, n, key) in cases {
        let got = normalise(&x, dir, n, g, "x").unwrap();
        assert_all_close(key, &got, &vec_f64(&r[key]), 1e-12, 1e-12);
    }
}

#[test]
fn entropy_ahp_pca_bod_topsis_match_reference() {
    let r = reference();
    let w = entropy_weights(&matrix(&r["entropy"]["x"]), "d").unwrap();
    assert_all_close(
        "entropy",
        &w,
        &vec_f64(&r["entropy"]["weights"]),
        1e-12,
        1e-12,
    );

    let a: Vec<Vec<f64>> = r["ahp"]["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(vec_f64)
        .collect();
    let ahp = ahp_weights(&a, false, "index").unwrap();
    assert_all_close(
        "ahp",
        &ahp.weights,
        &vec_f64(&r["ahp"]["weights"]),
        1e-10,
        1e-10,
    );
    assert!((ahp.lambda_max - r["ahp"]["lambda_max"].as_f64().unwrap()).abs() < 1e-10);
    assert!((ahp.cr - r["ahp"]["cr"].as_f64().unwrap()).abs() < 1e-10);

    let w = pca_weights(&matrix(&r["pca"]["x"]), "d").unwrap();
    assert_all_close("pca", &w, &vec_f64(&r["pca"]["weights"]), 1e-10, 1e-10);

    // HiGHS solves to ~1e-9; the simplex here is exact up to rounding.
    let (s, _) = benefit_of_the_doubt(&matrix(&r["bod"]["y"]), "d", None).unwrap();
    assert_all_close("bod", &s, &vec_f64(&r["bod"]["scores"]), 1e-8, 1e-8);

    let c = topsis(&matrix(&r["topsis"]["x"]), &vec_f64(&r["topsis"]["w"]));
    assert_all_close("topsis", &c, &vec_f64(&r["topsis"]["c"]), 1e-12, 1e-12);
}

#[test]
fn bounded_benefit_of_the_doubt_matches_scipy_linprog() {
    // fixtures/make_bod_bounds.py: 10 units × 4 indicators, one value
    // missing, share bounds [0, 1] (none), [0.15, 0.45] and [0.2, 0.3] (the
    // unit with 3 indicators cannot meet U·k ≥ 1 and scores 0).
    let r: Value = serde_json::from_str(include_str!("fixtures/bod_bounds.json")).unwrap();
    let y = matrix(&r["y"]);
    assert!(y.get(2, 1).is_nan());
    let (free, _) = benefit_of_the_doubt(&y, "d", None).unwrap();
    for case in r["cases"].as_array().unwrap() {
        let b = vec_f64(&case["bounds"]);
        let (s, w) = benefit_of_the_doubt(&y, "d", Some([b[0], b[1]])).unwrap();
        assert_all_close(
            &format!("bod {b:?}"),
            &s,
            &vec_f64(&case["scores"]),
            1e-8,
            1e-8,
        );
        for u in 0..y.rows {
            // Bounds never raise a score; the weights meet them.
            assert!(s[u] <= free[u] + 1e-12);
            let parts: Vec<f64> = (0..y.cols)
                .map(|q| w.get(u, q) * y.get(u, q))
                .filter(|v| v.is_finite())
                .collect();
            let total: f64 = parts.iter().sum();
            if total > 1e-9 {
                for p in parts {
                    assert!(p / total >= b[0] - 1e-9 && p / total <= b[1] + 1e-9);
                }
            }
        }
    }
    // Bounds [0, 1] restrict nothing: the unrestricted programme.
    assert_all_close(
        "bod free",
        &free,
        &vec_f64(&r["cases"][0]["scores"]),
        1e-8,
        1e-8,
    );
    // Bounds that 4 indicators cannot meet are refused, naming the node.
    let e = benefit_of_the_doubt(&y, "innovation", Some([0.3, 0.5])).unwrap_err();
    assert!(e.to_string().contains("innovation"), "{e}");
}

#[test]
fn default_index_matches_pandas() {
    let r = &reference()["index"];
    let indicators: Vec<Indicator> = r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Indicator {
            id: i["id"].as_str().unwrap().into(),
            name: i["id"].as_str().unwrap().into(),
            direction: i["direction"].as_str().unwrap().parse().unwrap(),
            dimension: Some(i["dimension"].as_str().unwrap().into()),
            weight: None,
        })
        .collect();
    let obs: Vec<Observation> = r["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| Observation {
            unit: o["unit"].as_str().unwrap().into(),
            indicator: o["indicator"].as_str().unwrap().into(),
            period: o["period"].as_str().unwrap().into(),
            value: o["value"].as_f64().unwrap(),
        })
        .collect();
    let panel = Panel::from_observations(indicators, &obs).unwrap();
    let res = composite_index(&panel, &IndexMethod::default(), &IndexOptions::default()).unwrap();
    let mut checked = 0;
    for e in r["result"].as_array().unwrap() {
        let p = panel.period_index(e["period"].as_str().unwrap()).unwrap();
        let u = panel
            .units
            .iter()
            .position(|u| u == e["unit"].as_str().unwrap())
            .unwrap();
        let pr = &res.periods[p];
        assert!(
            (pr.scores[u] - e["score"].as_f64().unwrap()).abs() < 1e-10,
            "{e}: {}",
            pr.scores[u]
        );
        assert_eq!(
            pr.ranks[u],
            Some(e["rank"].as_u64().unwrap() as usize),
            "{e}"
        );
        assert!((pr.coverage[u] - e["coverage"].as_f64().unwrap()).abs() < 1e-12);
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn sobol_estimators_match_salib_on_ishigami() {
    use weaver_evaluation::uncertainty::{Bootstrap, sobol_indices};
    let r: Value = serde_json::from_str(include_str!("fixtures/sobol_ishigami.json")).unwrap();
    let y_ab: Vec<Vec<f64>> = r["y_ab"].as_array().unwrap().iter().map(vec_f64).collect();
    let s = sobol_indices(
        &vec_f64(&r["y_a"]),
        &vec_f64(&r["y_b"]),
        &y_ab,
        &Bootstrap::default(),
    )
    .unwrap();
    assert_all_close("S1", &s.first, &vec_f64(&r["S1"]), 1e-10, 1e-10);
    assert_all_close("ST", &s.total, &vec_f64(&r["ST"]), 1e-10, 1e-10);
    // Analytical Ishigami values (S1 = 0.314, 0.442, 0; ST = 0.558, 0.442,
    // 0.244) within the sampling error of N = 256.
    for (got, want) in s.first.iter().zip([0.3139, 0.4424, 0.0]) {
        assert!((got - want).abs() < 0.1, "{got} vs {want}");
    }
    for (got, want) in s.total.iter().zip([0.5576, 0.4424, 0.2437]) {
        assert!((got - want).abs() < 0.1, "{got} vs {want}");
    }
}

#[test]
fn sobol_bootstrap_intervals_contain_salib_values() {
    use weaver_evaluation::uncertainty::{Bootstrap, sobol_indices};
    let r: Value = serde_json::from_str(include_str!("fixtures/sobol_ishigami.json")).unwrap();
    let y_ab: Vec<Vec<f64>> = r["y_ab"].as_array().unwrap().iter().map(vec_f64).collect();
    let (y_a, y_b) = (vec_f64(&r["y_a"]), vec_f64(&r["y_b"]));
    let s = sobol_indices(&y_a, &y_b, &y_ab, &Bootstrap::default()).unwrap();
    let large = &r["large"];
    let checks = [
        ("S1", &s.first, &s.first_ci, "S1_conf"),
        ("ST", &s.total, &s.total_ci, "ST_conf"),
    ];
    for (name, est, ci, conf) in checks {
        let salib_n256 = vec_f64(&r[name]);
        let salib_large = vec_f64(&large[name]);
        let salib_half = vec_f64(&r[conf]);
        for i in 0..3 {
            let [lo, hi] = ci[i];
            assert!(
                lo < est[i] && est[i] < hi,
                "{name}[{i}]: {lo} {} {hi}",
                est[i]
            );
            // SALib's estimate on the same sample, and SALib's estimate on
            // an independent sample 64 times larger, lie in the interval.
            assert!(lo <= salib_n256[i] && salib_n256[i] <= hi, "{name}[{i}]");
            assert!(
                lo <= salib_large[i] && salib_large[i] <= hi,
                "{name}[{i}]: SALib N = 16384 gives {} outside [{lo}, {hi}]",
                salib_large[i]
            );
            // Same resampling scheme as SALib: the width agrees with SALib's
            // ±1.96 sd (100 resamples) to within the bootstrap's own noise.
            let ratio = (hi - lo) / (2.0 * salib_half[i]);
            assert!(
                (0.7..1.3).contains(&ratio),
                "{name}[{i}]: width ratio {ratio}"
            );
        }
    }
    // Seeded: the same seed gives the same intervals, another seed others.
    let again = sobol_indices(&y_a, &y_b, &y_ab, &Bootstrap::default()).unwrap();
    assert_eq!(again, s);
    let other = Bootstrap {
        seed: 1,
        ..Bootstrap::default()
    };
    let t = sobol_indices(&y_a, &y_b, &y_ab, &other).unwrap();
    assert_ne!(t.first_ci, s.first_ci);
    assert_eq!(t.first, s.first);
    // No resamples, no intervals.
    let none = Bootstrap {
        resamples: 0,
        ..Bootstrap::default()
    };
    let u = sobol_indices(&y_a, &y_b, &y_ab, &none).unwrap();
    assert!(u.first_ci.iter().flatten().all(|v| v.is_nan()));
}

#[test]
fn did_matches_statsmodels_cluster_robust() {
    use weaver_evaluation::policy::{DidObservation, difference_in_differences};
    let r: Value = serde_json::from_str(include_str!("fixtures/did_statsmodels.json")).unwrap();
    let obs: Vec<DidObservation> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| DidObservation {
            unit: o["unit"].as_str().unwrap().into(),
            treated: o["treated"].as_i64().unwrap() == 1,
            post: o["post"].as_i64().unwrap() == 1,
            value: o["y"].as_f64().unwrap(),
        })
        .collect();
    let d = difference_in_differences(&obs).unwrap();
    assert_all_close(
        "params",
        &d.coefficients,
        &vec_f64(&r["params"]),
        1e-10,
        1e-10,
    );
    assert_all_close("bse", &d.std_errors, &vec_f64(&r["bse"]), 1e-10, 1e-10);
    assert_eq!(d.clusters, 12);
    assert_eq!(d.n, 72);
}
