//! Policy effect: difference-in-differences with cluster-robust standard
//! errors, and the public share of funding.

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
    let x = |o: &DidObservation| -> [f64; 4] {
        let t = if o.treated { 1.0 } else { 0.0 };
        let p = if o.post { 1.0 } else { 0.0 };
        [1.0, t, p, t * p]
    };
    let mut xtx = [[0.0; 4]; 4];
    let mut xty = [0.0; 4];
    for o in obs {
        let xi = x(o);
        for i in 0..4 {
            xty[i] += xi[i] * o.value;
            for j in 0..4 {
                xtx[i][j] += xi[i] * xi[j];
            }
        }
    }
    let inv = invert4(xtx).ok_or_else(|| little("the design matrix is singular".into()))?;
    let mut beta = [0.0; 4];
    for i in 0..4 {
        beta[i] = (0..4).map(|j| inv[i][j] * xty[j]).sum();
    }
    // Scores per cluster, in order of first appearance.
    let mut ids: Vec<&str> = Vec::new();
    let mut scores: Vec<[f64; 4]> = Vec::new();
    for o in obs {
        let xi = x(o);
        let e = o.value - (0..4).map(|j| xi[j] * beta[j]).sum::<f64>();
        let g = match ids.iter().position(|u| *u == o.unit) {
            Some(g) => g,
            None => {
                ids.push(&o.unit);
                scores.push([0.0; 4]);
                ids.len() - 1
            }
        };
        for j in 0..4 {
            scores[g][j] += xi[j] * e;
        }
    }
    let g = ids.len();
    let n = obs.len();
    if g < 2 || n <= 4 {
        return Err(little(format!("{g} cluster(s) and {n} observations")));
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
    Ok(DidResult {
        coefficients: beta,
        std_errors: se,
        estimate: beta[3],
        std_error: se[3],
        t: beta[3] / se[3],
        n,
        clusters: g,
    })
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
}
