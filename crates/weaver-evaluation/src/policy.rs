//! Policy effect: difference-in-differences with cluster-robust standard
//! errors, its t-based confidence interval, the pre-trend check, and the
//! public share of funding.

use crate::EvalError;

/// One observation of the outcome for a DiD estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct DidObservation {
    /// Unit (cluster) id; standard errors are clustered on it.
    pub unit: String,
    /// Whether the unit is funded by the programme.
    pub treated: bool,
    /// Whether the period is at or after the programme start.
    pub post: bool,
    /// The outcome.
    pub value: f64,
}

/// Result of [`difference_in_differences`].
#[derive(Debug, Clone, PartialEq)]
pub struct DidResult {
    /// Coefficients of (intercept, treated, post, treated × post); the last
    /// is the DiD estimate.
    pub coefficients: [f64; 4],
    /// Cluster-robust standard errors of the coefficients.
    pub std_errors: [f64; 4],
    /// The DiD estimate δ (= `coefficients[3]`).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// δ / se.
    pub t: f64,
    /// Observations used.
    pub n: usize,
    /// Number of clusters (units).
    pub clusters: usize,
}

fn invert4(a: [[f64; 4]; 4]) -> Option<[[f64; 4]; 4]> {
    let mut m = a;
    let mut inv = [[0.0; 4]; 4];
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for c in 0..4 {
        let p = (c..4).max_by(|&x, &y| m[x][c].abs().total_cmp(&m[y][c].abs()))?;
        if m[p][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, p);
        inv.swap(c, p);
        let d = m[c][c];
        for j in 0..4 {
            m[c][j] /= d;
            inv[c][j] /= d;
        }
        for r in 0..4 {
            if r != c {
                let f = m[r][c];
                for j in 0..4 {
                    m[r][j] -= f * m[c][j];
                    inv[r][j] -= f * inv[c][j];
                }
            }
        }
    }
    Some(inv)
}

/// Difference-in-differences by OLS of
/// y = α + β·treated + γ·post + δ·treated·post + ε,
/// with standard errors clustered by unit (Liang & Zeger 1986; the CR1
/// small-sample factor G/(G − 1)·(N − 1)/(N − K) of Stata and of statsmodels'
/// `OLS.fit(cov_type="cluster")`):
/// V = c·(X'X)⁻¹ [Σ_g X_g' e_g e_g' X_g] (X'X)⁻¹.
///
/// # Errors
/// [`EvalError::TooLittleData`] when a cell (treated/comparison ×
/// before/after) is empty, there are fewer than 2 clusters, or X'X is
/// singular; [`EvalError::NotFinite`] for a non-finite value.
///
/// ```
/// use weaver_evaluation::policy::{difference_in_differences, DidObservation};
/// let obs: Vec<DidObservation> = [("a", true, false, 1.0), ("a", true, true, 5.0),
///     ("b", false, false, 1.0), ("b", false, true, 2.0),
///     ("c", true, false, 2.0), ("c", true, true, 6.0),
///     ("d", false, false, 2.0), ("d", false, true, 3.0)]
///     .iter().map(|(u, t, p, v)| DidObservation { unit: u.to_string(), treated: *t, post: *p, value: *v }).collect();
/// let r = difference_in_differences(&obs).unwrap();
/// // (5.5 − 1.5) − (2.5 − 1.5) = 3
/// assert!((r.estimate - 3.0).abs() < 1e-12);
/// ```
///
/// # References
/// Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using
/// generalized linear models. *Biometrika* 73(1), 13–22.
/// Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we
/// trust differences-in-differences estimates? *Quarterly Journal of
/// Economics* 119(1), 249–275.
pub fn difference_in_differences(obs: &[DidObservation]) -> Result<DidResult, EvalError> {
    let little = |problem: String| EvalError::TooLittleData {
        method: "difference-in-differences".into(),
        problem,
    };
    if let Some(o) = obs.iter().find(|o| !o.value.is_finite()) {
        return Err(EvalError::NotFinite {
            what: format!("outcome of unit `{}`", o.unit),
            value: o.value,
        });
    }
    for (t, p) in [(false, false), (false, true), (true, false), (true, true)] {
        if !obs.iter().any(|o| o.treated == t && o.post == p) {
            return Err(little(format!(
                "no observation of {} units {} the start",
                if t { "funded" } else { "comparison" },
                if p { "after" } else { "before" }
            )));
        }
    }
    let rows: Vec<([f64; 4], f64, &str)> = obs
        .iter()
        .map(|o| {
            let t = if o.treated { 1.0 } else { 0.0 };
            let p = if o.post { 1.0 } else { 0.0 };
            ([1.0, t, p, t * p], o.value, o.unit.as_str())
        })
        .collect();
    let fit = ols_cluster4(&rows).map_err(little)?;
    Ok(DidResult {
        coefficients: fit.beta,
        std_errors: fit.se,
        estimate: fit.beta[3],
        std_error: fit.se[3],
        t: fit.beta[3] / fit.se[3],
        n: fit.n,
        clusters: fit.clusters,
    })
}

/// An OLS fit of four regressors with cluster-robust (CR1) standard errors.
struct Fit4 {
    beta: [f64; 4],
    se: [f64; 4],
    n: usize,
    clusters: usize,
}

/// OLS of y on the four columns of each row, standard errors clustered by
/// the row's unit (CR1, as [`difference_in_differences`] states); the
/// problem when X'X is singular or there are too few clusters/rows.
fn ols_cluster4(rows: &[([f64; 4], f64, &str)]) -> Result<Fit4, String> {
    let mut xtx = [[0.0; 4]; 4];
    let mut xty = [0.0; 4];
    for (xi, y, _) in rows {
        for i in 0..4 {
            xty[i] += xi[i] * y;
            for j in 0..4 {
                xtx[i][j] += xi[i] * xi[j];
            }
        }
    }
    let inv = invert4(xtx).ok_or_else(|| "the design matrix is singular".to_owned())?;
    let mut beta = [0.0; 4];
    for i in 0..4 {
        beta[i] = (0..4).map(|j| inv[i][j] * xty[j]).sum();
    }
    // Scores per cluster, in order of first appearance.
    let mut ids: Vec<&str> = Vec::new();
    let mut scores: Vec<[f64; 4]> = Vec::new();
    for (xi, y, unit) in rows {
        let e = y - (0..4).map(|j| xi[j] * beta[j]).sum::<f64>();
        let g = match ids.iter().position(|u| u == unit) {
            Some(g) => g,
            None => {
                ids.push(unit);
                scores.push([0.0; 4]);
                ids.len() - 1
            }
        };
        for j in 0..4 {
            scores[g][j] += xi[j] * e;
        }
    }
    let g = ids.len();
    let n = rows.len();
    if g < 2 || n <= 4 {
        return Err(format!("{g} cluster(s) and {n} observations"));
    }
    let mut meat = [[0.0; 4]; 4];
    for s in &scores {
        for i in 0..4 {
            for j in 0..4 {
                meat[i][j] += s[i] * s[j];
            }
        }
    }
    let c = g as f64 / (g as f64 - 1.0) * (n as f64 - 1.0) / (n as f64 - 4.0);
    let mut se = [0.0; 4];
    for (k, s) in se.iter_mut().enumerate() {
        let mut v = 0.0;
        for i in 0..4 {
            for j in 0..4 {
                v += inv[k][i] * meat[i][j] * inv[j][k];
            }
        }
        *s = (c * v).sqrt();
    }
    Ok(Fit4 {
        beta,
        se,
        n,
        clusters: g,
    })
}

/// One pre-programme observation for [`pre_trend`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendObservation {
    /// Unit (cluster) id; standard errors are clustered on it.
    pub unit: String,
    /// Whether the unit is funded by the programme.
    pub treated: bool,
    /// The period as a number on a common time axis (e.g. 2019, 2019.25).
    pub time: f64,
    /// The outcome.
    pub value: f64,
}

/// Result of [`pre_trend`].
#[derive(Debug, Clone, PartialEq)]
pub struct PreTrendResult {
    /// The funded units' pre-period slope minus the comparison units' (per
    /// unit of `time`).
    pub slope_difference: f64,
    /// Its cluster-robust standard error (CR1).
    pub std_error: f64,
    /// Degrees of freedom of its t statistic: clusters − 1.
    pub df: f64,
    /// Observations used.
    pub n: usize,
    /// Number of clusters (units).
    pub clusters: usize,
}

/// The pre-trend check of a difference in differences: by OLS over the
/// observations before the start,
/// y = α + β·treated + γ·time + δ·treated·time + ε,
/// δ is the difference between the funded and the comparison units' linear
/// pre-period trends, with standard errors clustered by unit as in
/// [`difference_in_differences`]. Parallel trends before the programme are
/// the identifying assumption of DiD; a δ far from 0 puts it in doubt
/// (Angrist & Pischke 2009, §5.2; Roth 2022 on the low power of such tests).
///
/// # Errors
/// [`EvalError::TooLittleData`] when either group is observed at fewer
/// than two distinct times, there are fewer than 2 clusters or 5
/// observations, or X'X is singular; [`EvalError::NotFinite`] for a
/// non-finite value or time.
///
/// # References
/// Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*.
/// Princeton University Press, ch. 5.
/// Roth, J. (2022). Pretest with caution: event-study estimates after
/// testing for parallel trends. *American Economic Review: Insights* 4(3),
/// 305–322.
pub fn pre_trend(obs: &[TrendObservation]) -> Result<PreTrendResult, EvalError> {
    let little = |problem: String| EvalError::TooLittleData {
        method: "pre-trend check".into(),
        problem,
    };
    if let Some(o) = obs
        .iter()
        .find(|o| !o.value.is_finite() || !o.time.is_finite())
    {
        return Err(EvalError::NotFinite {
            what: format!("pre-period observation of unit `{}`", o.unit),
            value: if o.value.is_finite() { o.time } else { o.value },
        });
    }
    for t in [true, false] {
        let mut times: Vec<f64> = obs
            .iter()
            .filter(|o| o.treated == t)
            .map(|o| o.time)
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        if times.len() < 2 {
            return Err(little(format!(
                "the {} units are observed at {} period(s) before the start; a trend needs 2",
                if t { "funded" } else { "comparison" },
                times.len()
            )));
        }
    }
    // Centre time for conditioning; δ is unchanged by the shift.
    let mean = obs.iter().map(|o| o.time).sum::<f64>() / obs.len() as f64;
    let rows: Vec<([f64; 4], f64, &str)> = obs
        .iter()
        .map(|o| {
            let t = if o.treated { 1.0 } else { 0.0 };
            let x = o.time - mean;
            ([1.0, t, x, t * x], o.value, o.unit.as_str())
        })
        .collect();
    let fit = ols_cluster4(&rows).map_err(little)?;
    Ok(PreTrendResult {
        slope_difference: fit.beta[3],
        std_error: fit.se[3],
        df: fit.clusters as f64 - 1.0,
        n: fit.n,
        clusters: fit.clusters,
    })
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; Numerical
/// Recipes 3rd ed. §6.1), relative error below 1e-14.
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The continued fraction of the incomplete beta function (modified Lentz;
/// Numerical Recipes 3rd ed. §6.4, `betacf`).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function I_x(a, b).
fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// P(T ≤ t) for Student's t distribution with `df` > 0 degrees of freedom:
/// 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1 with
/// 26.5.27).
///
/// ```
/// use weaver_evaluation::policy::t_cdf;
/// assert!((t_cdf(12.706204736174698, 1.0) - 0.975).abs() < 1e-12);
/// assert_eq!(t_cdf(0.0, 3.0), 0.5);
/// ```
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t == f64::INFINITY {
        return 1.0;
    }
    if t == f64::NEG_INFINITY {
        return 0.0;
    }
    let tail = 0.5 * beta_reg(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The `p`-quantile (0 < p < 1) of Student's t with `df` > 0 degrees of
/// freedom, by bisection of [`t_cdf`] to machine precision; `NaN` outside
/// the domain.
///
/// ```
/// use weaver_evaluation::policy::t_quantile;
/// // The tables' 2.228 for 10 degrees of freedom, two-sided 95 %.
/// assert!((t_quantile(0.975, 10.0) - 2.228138851986273).abs() < 1e-9);
/// ```
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while t_cdf(hi, df) < p {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// A two-sided confidence interval and p-value of an estimate whose
/// statistic estimate ÷ se has Student's t distribution with `df` degrees
/// of freedom: (estimate ∓ t_{(1+level)/2, df}·se, 2·P(T > |t|)).
///
/// ```
/// use weaver_evaluation::policy::t_interval;
/// let (lo, hi, p) = t_interval(3.0, 1.0, 10.0, 0.95);
/// assert!((hi - 5.228138851986273).abs() < 1e-9 && (lo - 0.771861148013727).abs() < 1e-9);
/// assert!((p - 0.013343655022570).abs() < 1e-9);
/// ```
pub fn t_interval(estimate: f64, se: f64, df: f64, level: f64) -> (f64, f64, f64) {
    let q = t_quantile(0.5 + level / 2.0, df);
    let p = 2.0 * (1.0 - t_cdf((estimate / se).abs(), df));
    (estimate - q * se, estimate + q * se, p)
}

/// Funding source types that count as public in the data package's
/// `funding.source_type`.
pub const PUBLIC_SOURCES: [&str; 3] = ["central_gov", "local_gov", "supranational"];

/// Public share of funding: Σ amounts from public sources / Σ all amounts,
/// for one recipient and year; `NaN` when the total is 0.
///
/// ```
/// use weaver_evaluation::policy::public_share;
/// let rows = [("central_gov", 30.0), ("bank", 50.0), ("local_gov", 20.0)];
/// assert_eq!(public_share(&rows), 0.5);
/// ```
pub fn public_share(rows: &[(&str, f64)]) -> f64 {
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let public: f64 = rows
        .iter()
        .filter(|r| PUBLIC_SOURCES.contains(&r.0))
        .map(|r| r.1)
        .sum();
    if total == 0.0 {
        f64::NAN
    } else {
        public / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_refused() {
        let obs = vec![DidObservation {
            unit: "a".into(),
            treated: true,
            post: true,
            value: 1.0,
        }];
        assert!(matches!(
            difference_in_differences(&obs),
            Err(EvalError::TooLittleData { .. })
        ));
        assert!(public_share(&[]).is_nan());
    }

    #[test]
    fn t_quantiles_are_the_tables() {
        // Two-sided 95 % critical values of Student's t (any table, e.g.
        // Abramowitz & Stegun table 26.10).
        for (df, q) in [
            (1.0, 12.706_204_736),
            (2.0, 4.302_652_730),
            (5.0, 2.570_581_836),
            (30.0, 2.042_272_456),
        ] {
            assert!((t_quantile(0.975, df) - q).abs() < 1e-8, "df {df}");
            assert!((t_quantile(0.025, df) + q).abs() < 1e-8, "df {df}");
        }
        assert!(t_quantile(1.0, 3.0).is_nan() && t_quantile(0.5, 0.0).is_nan());
    }

    #[test]
    fn the_pre_trend_is_the_difference_of_the_groups_slopes() {
        // Funded a: 0, 2, 4 and b: 1, 3, 5 (slope 2); comparison c: 0, 1, 2
        // and d: 0, 1, 3 (pooled slope Σ(x−1)(y−ȳ)/Σ(x−1)² = 5/4 = 1.25):
        // δ = 2 − 1.25 = 0.75.
        let rows = [
            ("a", true, [0.0, 2.0, 4.0]),
            ("b", true, [1.0, 3.0, 5.0]),
            ("c", false, [0.0, 1.0, 2.0]),
            ("d", false, [0.0, 1.0, 3.0]),
        ];
        let obs: Vec<TrendObservation> = rows
            .iter()
            .flat_map(|(u, t, ys)| {
                ys.iter().enumerate().map(|(i, y)| TrendObservation {
                    unit: (*u).to_owned(),
                    treated: *t,
                    time: 2015.0 + i as f64,
                    value: *y,
                })
            })
            .collect();
        let r = pre_trend(&obs).unwrap();
        assert!((r.slope_difference - 0.75).abs() < 1e-12, "{r:?}");
        assert!(r.std_error > 0.0);
        assert_eq!((r.n, r.clusters, r.df), (12, 4, 3.0));
        // One pre-period only: no trend.
        let one: Vec<TrendObservation> = obs.iter().filter(|o| o.time == 2015.0).cloned().collect();
        let e = pre_trend(&one).unwrap_err().to_string();
        assert!(e.contains("1 period(s)"), "{e}");
    }
}
