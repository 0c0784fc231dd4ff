//! Properties of the Monte Carlo uncertainty and sensitivity analysis.

use weaver_evaluation::index::{Framework, PeriodInput};
use weaver_evaluation::uncertainty::{
    UncertaintyOptions, leave_one_out, rank_sensitivity, rank_uncertainty,
};
use weaver_evaluation::{Direction, IndexMethod, Indicator, Matrix};

fn setup() -> (Matrix, Vec<String>, Framework, IndexMethod) {
    // 6 units, 4 indicators in 2 dimensions; unit u0 dominates, u5 is last.
    let raw = Matrix::from_rows(&[
        vec![9.0, 8.0, 1.0, 9.0],
        vec![5.0, 6.0, 3.0, 4.0],
        vec![6.0, 2.0, 2.0, 5.0],
        vec![3.0, 7.0, 4.0, 6.0],
        vec![4.0, 4.0, 5.0, 2.0],
        vec![1.0, 1.0, 9.0, 1.0],
    ]);
    let mut inds = vec![
        Indicator::new("a", Direction::HigherBetter),
        Indicator::new("b", Direction::HigherBetter),
        Indicator::new("c", Direction::LowerBetter),
        Indicator::new("d", Direction::HigherBetter),
    ];
    inds[0].dimension = Some("A".into());
    inds[1].dimension = Some("A".into());
    inds[2].dimension = Some("B".into());
    inds[3].dimension = Some("B".into());
    let method = IndexMethod::default();
    let fw = Framework::resolve(&inds, &method).unwrap();
    let units = (0..6).map(|i| format!("u{i}")).collect();
    (raw, units, fw, method)
}

#[test]
fn monte_carlo_is_seeded_and_bounded() {
    let (raw, units, fw, method) = setup();
    let present = vec![true; 6];
    let input = PeriodInput {
        period: "2024",
        raw: &raw,
        present: &present,
        units: &units,
    };
    let opts = UncertaintyOptions {
        runs: 200,
        seed: 42,
        ..UncertaintyOptions::default()
    };
    let a = rank_uncertainty(&input, &fw, &method, None, &opts).unwrap();
    let b = rank_uncertainty(&input, &fw, &method, None, &opts).unwrap();
    assert_eq!(a, b, "same seed, same result");
    assert_eq!(a.runs_ok + a.runs_failed, 200);
    assert_eq!(a.nominal[0], Some(1));
    assert_eq!(a.nominal[5], Some(6));
    for u in 0..6 {
        assert!(a.p5[u] <= a.median[u] && a.median[u] <= a.p95[u]);
        assert!(a.p5[u] >= 1.0 && a.p95[u] <= 6.0);
    }
    // The dominating unit is first in every run, the dominated one last.
    assert_eq!((a.p5[0], a.p95[0]), (1.0, 1.0));
    assert_eq!((a.p5[5], a.p95[5]), (6.0, 6.0));
    let c = rank_uncertainty(
        &input,
        &fw,
        &method,
        None,
        &UncertaintyOptions {
            seed: 43,
            ..opts.clone()
        },
    )
    .unwrap();
    assert_eq!(c.nominal, a.nominal);
}

#[test]
fn sensitivity_indices_are_sane() {
    let (raw, units, fw, method) = setup();
    let present = vec![true; 6];
    let input = PeriodInput {
        period: "2024",
        raw: &raw,
        present: &present,
        units: &units,
    };
    // Only the weights vary: every other factor has one choice, so its
    // indices are exactly 0 and the weights carry the variance.
    let opts = UncertaintyOptions {
        runs: 64,
        seed: 1,
        normalisations: vec![weaver_evaluation::method::Normalisation::MinMax {
            lo: 1.0,
            hi: 100.0,
        }],
        aggregations: vec![weaver_evaluation::method::Aggregation::Arithmetic],
        winsor_limits: vec![],
        weight_noise: 0.25,
        bootstrap: weaver_evaluation::uncertainty::Bootstrap::default(),
    };
    let s = rank_sensitivity(&input, &fw, &method, None, &opts).unwrap();
    assert_eq!(s.factors[1], "weights");
    assert!(s.indices.variance > 0.0, "{:?}", s.indices);
    for i in [0, 2, 3] {
        assert_eq!(s.indices.first[i], 0.0);
        assert_eq!(s.indices.total[i], 0.0);
    }
    assert!(s.indices.total[1] > 0.5, "{:?}", s.indices);
    // The interval of the index that carries the variance surrounds it;
    // a factor with one choice has the degenerate interval [0, 0].
    let [lo, hi] = s.indices.total_ci[1];
    assert!(lo <= s.indices.total[1] && s.indices.total[1] <= hi && lo < hi);
    assert_eq!(s.indices.first_ci[0], [0.0, 0.0]);
    let loo = leave_one_out(&input, &fw, &method, None).unwrap();
    assert_eq!(loo.len(), 4);
    assert!(loo.iter().all(|v| v.is_finite() && *v >= 0.0));
}

#[test]
fn serial_and_parallel_runs_agree() {
    let (raw, units, fw, method) = setup();
    let present = vec![true; 6];
    let input = PeriodInput {
        period: "2024",
        raw: &raw,
        present: &present,
        units: &units,
    };
    let opts = UncertaintyOptions {
        runs: 64,
        seed: 3,
        ..UncertaintyOptions::default()
    };
    let parallel = rank_uncertainty(&input, &fw, &method, None, &opts).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let serial = pool
        .install(|| rank_uncertainty(&input, &fw, &method, None, &opts))
        .unwrap();
    assert_eq!(parallel, serial);
}

#[test]
fn indicator_checks_hand_worked() {
    use weaver_evaluation::index::period_index;
    use weaver_evaluation::uncertainty::{cronbach_alpha, indicator_checks};
    let (raw, units, fw, method) = setup();
    let present = vec![true; 6];
    let input = PeriodInput {
        period: "2024",
        raw: &raw,
        present: &present,
        units: &units,
    };
    let r = period_index(&input, &fw, &method, None, None).unwrap();
    let checks = indicator_checks(&input, &fw, &method, &r.normalised);
    assert_eq!(checks.len(), 4);
    assert!(checks.iter().all(|c| c.availability == 1.0 && !c.outlier));
    // Dimension A = a, b: alpha of their min-max values.
    let a = r.normalised.select_columns(&[0, 1]);
    assert_eq!(checks[0].dimension_alpha, cronbach_alpha(&a));
    // a and b correlate positively (0.70 on raw values): no flag.
    assert_eq!(checks[0].negative_correlations, 0);
}
