//! Weighting schemes (OECD/JRC Handbook §6.1): entropy, AHP, first principal
//! component and benefit of the doubt. Equal and manual weights need no
//! function: 1/k, or the given weights divided by their sum.

use crate::data::Matrix;
use crate::lp::maximise;
use crate::{EvalError, stats};

/// Entropy weights (熵权法) of the columns of `x`.
///
/// `x` holds values already mirrored so that higher is better (e.g. normalised
/// values); each column is min-max rescaled to [0, 1] over its available
/// values, then with n_j available values in column j:
/// p_ij = x_ij / Σ_i x_ij,  e_j = −(1/ln n_j) Σ_i p_ij ln p_ij (0·ln 0 = 0),
/// w_j = (1 − e_j) / Σ_k (1 − e_k).
///
/// # Errors
/// [`EvalError::TooLittleData`] when a column has fewer than 2 values or no
/// column varies (every e_j = 1, so the weights are undefined).
///
/// # Notes
/// A constant column has Σ x = 0 after rescaling; it carries no information
/// and gets e_j = 1, weight 0.
///
/// ```
/// use weaver_evaluation::{Matrix, weights::entropy_weights};
/// // Column 0 = (0, 1, 0, 0) after min-max: e0 = 0, column 1 = (0,1,1,1): e1 = ln3/ln4.
/// let x = Matrix::from_rows(&[vec![0.0, 5.0], vec![9.0, 7.0], vec![0.0, 7.0], vec![0.0, 7.0]]);
/// let w = entropy_weights(&x, "d").unwrap();
/// let e1 = 3f64.ln() / 4f64.ln();
/// assert!((w[0] - 1.0 / (2.0 - e1)).abs() < 1e-12);
/// assert!((w[1] - (1.0 - e1) / (2.0 - e1)).abs() < 1e-12);
/// ```
pub fn entropy_weights(x: &Matrix, node: &str) -> Result<Vec<f64>, EvalError> {
    let mut d = Vec::with_capacity(x.cols);
    for j in 0..x.cols {
        let col = stats::available(&x.column(j));
        let n = col.len();
        if n < 2 {
            return Err(EvalError::TooLittleData {
                method: "entropy weighting".into(),
                problem: format!("{node}: indicator column {j} has {n} value(s), needs 2"),
            });
        }
        let min = col.iter().copied().fold(f64::INFINITY, f64::min);
        let max = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if max == min {
            d.push(0.0);
            continue;
        }
        let scaled: Vec<f64> = col.iter().map(|v| (v - min) / (max - min)).collect();
        let total: f64 = scaled.iter().sum();
        let h: f64 = scaled
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|&v| {
                let p = v / total;
                p * p.ln()
            })
            .sum();
        let e = -h / (n as f64).ln();
        d.push(1.0 - e);
    }
    let s: f64 = d.iter().sum();
    if !(s > 0.0) {
        return Err(EvalError::TooLittleData {
            method: "entropy weighting".into(),
            problem: format!("{node}: no indicator varies across units"),
        });
    }
    Ok(d.iter().map(|v| v / s).collect())
}

/// Saaty's random consistency index RI for n = 1…10 (Saaty 1980).
pub const SAATY_RI: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// AHP weights with their consistency.
#[derive(Debug, Clone, PartialEq)]
pub struct AhpWeights {
    /// The principal right eigenvector, scaled to sum to one.
    pub weights: Vec<f64>,
    /// The principal eigenvalue λ_max.
    pub lambda_max: f64,
    /// Consistency index CI = (λ_max − n)/(n − 1) (0 for n ≤ 2).
    pub ci: f64,
    /// Consistency ratio CR = CI/RI (0 for n ≤ 2).
    pub cr: f64,
}

/// Weights from an AHP pairwise comparison matrix (Saaty 1980).
///
/// The weights are the principal right eigenvector of A (power iteration,
/// which converges for a positive matrix by Perron–Frobenius), scaled to sum
/// to one; λ_max = mean_i (A w)_i / w_i; CI = (λ_max − n)/(n − 1);
/// CR = CI / RI(n) with RI from [`SAATY_RI`]. CR ≥ 0.1 is refused unless
/// `force`.
///
/// # Errors
/// [`EvalError::AhpMatrix`] when A is empty, not square, not positive and
/// finite, has a diagonal other than 1 or is not reciprocal
/// (|a_ij·a_ji − 1| > 0.01, which allows 0.333 for 1/3) or n > 10 (no RI);
/// [`EvalError::AhpInconsistent`] when CR ≥ 0.1 and not `force`.
///
/// ```
/// use weaver_evaluation::weights::ahp_weights;
/// // A consistent matrix: w ∝ (4, 2, 1), λ_max = 3, CR = 0.
/// let a = vec![vec![1.0, 2.0, 4.0], vec![0.5, 1.0, 2.0], vec![0.25, 0.5, 1.0]];
/// let r = ahp_weights(&a, false, "index").unwrap();
/// assert!((r.weights[0] - 4.0 / 7.0).abs() < 1e-12);
/// assert!((r.lambda_max - 3.0).abs() < 1e-12 && r.cr.abs() < 1e-12);
/// ```
pub fn ahp_weights(a: &[Vec<f64>], force: bool, node: &str) -> Result<AhpWeights, EvalError> {
    let n = a.len();
    let err = |problem: String| EvalError::AhpMatrix {
        node: node.into(),
        problem,
    };
    if n == 0 {
        return Err(err("the matrix is empty".into()));
    }
    if n > SAATY_RI.len() {
        return Err(err(format!(
            "{n} items; Saaty's random index is tabulated up to 10"
        )));
    }
    for (i, row) in a.iter().enumerate() {
        if row.len() != n {
            return Err(err(format!(
                "row {} has {} entries, expected {n}",
                i + 1,
                row.len()
            )));
        }
        for (j, &v) in row.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                return Err(err(format!(
                    "entry ({}, {}) = {v} is not positive",
                    i + 1,
                    j + 1
                )));
            }
        }
        if (row[i] - 1.0).abs() > 1e-9 {
            return Err(err(format!(
                "diagonal entry {} is {}, not 1",
                i + 1,
                row[i]
            )));
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            if (a[i][j] * a[j][i] - 1.0).abs() > 0.01 {
                return Err(err(format!(
                    "entries ({}, {}) = {} and ({}, {}) = {} are not reciprocal",
                    i + 1,
                    j + 1,
                    a[i][j],
                    j + 1,
                    i + 1,
                    a[j][i]
                )));
            }
        }
    }
    let mut w = vec![1.0 / n as f64; n];
    let mut converged = false;
    for _ in 0..10_000 {
        let mut next: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum())
            .collect();
        let s: f64 = next.iter().sum();
        next.iter_mut().for_each(|v| *v /= s);
        let delta = next
            .iter()
            .zip(&w)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        w = next;
        if delta < 1e-15 {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(EvalError::NoConvergence {
            method: "AHP power iteration".into(),
            problem: format!("{node}: eigenvector not stable after 10000 iterations"),
        });
    }
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    let (ci, cr) = if n <= 2 {
        (0.0, 0.0)
    } else {
        let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
        (ci, ci / SAATY_RI[n - 1])
    };
    if cr >= 0.1 && !force {
        return Err(EvalError::AhpInconsistent {
            node: node.into(),
            cr,
        });
    }
    Ok(AhpWeights {
        weights: w,
        lambda_max,
        ci,
        cr,
    })
}

/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
/// Returns (eigenvalues, eigenvectors as columns of a row-major n×n matrix),
/// unsorted.
pub fn symmetric_eigen(s: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = s.len();
    let mut a: Vec<Vec<f64>> = s.to_vec();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let sn = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - sn * akq;
                    a[k][q] = sn * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - sn * aqk;
                    a[q][k] = sn * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - sn * vkq;
                    row[q] = sn * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

/// Weights from the first principal component of the columns' correlation
/// matrix: w_j = v_j², where v is the unit eigenvector of the largest
/// eigenvalue (the squared loadings of the first component rescaled to sum
/// to one; Nicoletti, Scarpetta & Boylaud 2000; OECD/JRC Handbook §6.1).
/// Only units with all columns available are used.
///
/// # Errors
/// [`EvalError::TooLittleData`] with fewer than 2 columns, fewer than 3
/// complete units, or a constant column.
///
/// ```
/// use weaver_evaluation::{Matrix, weights::pca_weights};
/// // Two perfectly correlated columns share the weight equally.
/// let x = Matrix::from_rows(&[vec![1.0, 2.0], vec![2.0, 4.0], vec![3.0, 7.0], vec![4.0, 8.0]]);
/// let w = pca_weights(&x, "d").unwrap();
/// assert!((w[0] - 0.5).abs() < 1e-12 && (w[1] - 0.5).abs() < 1e-12);
/// ```
///
/// # References
/// Nicoletti, G., Scarpetta, S. & Boylaud, O. (2000). Summary indicators of
/// product market regulation with an extension to employment protection
/// legislation. OECD Economics Department Working Papers 226.
pub fn pca_weights(x: &Matrix, node: &str) -> Result<Vec<f64>, EvalError> {
    let k = x.cols;
    let too_little = |problem: String| EvalError::TooLittleData {
        method: "PCA weighting".into(),
        problem: format!("{node}: {problem}"),
    };
    if k < 2 {
        return Err(too_little(format!("{k} indicator(s), needs at least 2")));
    }
    let complete: Vec<usize> = (0..x.rows)
        .filter(|&r| x.row(r).iter().all(|v| v.is_finite()))
        .collect();
    if complete.len() < 3 {
        return Err(too_little(format!(
            "{} unit(s) with every indicator, needs at least 3",
            complete.len()
        )));
    }
    let cols: Vec<Vec<f64>> = (0..k)
        .map(|j| complete.iter().map(|&r| x.get(r, j)).collect())
        .collect();
    let mut corr = vec![vec![0.0; k]; k];
    for i in 0..k {
        if !(stats::var(&cols[i]) > 0.0) {
            return Err(too_little(format!("indicator column {i} is constant")));
        }
        corr[i][i] = 1.0;
        for j in i + 1..k {
            let r = stats::pearson(&cols[i], &cols[j]);
            corr[i][j] = r;
            corr[j][i] = r;
        }
    }
    let (vals, vecs) = symmetric_eigen(&corr);
    let top = (0..k)
        .max_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .unwrap_or(0);
    let v: Vec<f64> = (0..k).map(|i| vecs[i][top]).collect();
    let s: f64 = v.iter().map(|a| a * a).sum();
    Ok(v.iter().map(|a| a * a / s).collect())
}

/// Benefit-of-the-doubt scores (Cherchye, Moesen, Rogge & Van Puyenbroeck
/// 2007): for each unit c, CI_c = max_w Σ_q w_q y_qc subject to
/// Σ_q w_q y_qd ≤ 1 for every unit d and w ≥ 0. Returns the scores in [0, 1]
/// and each unit's optimal weights.
///
/// With `share_bounds = Some([L, U])`, each indicator's share of the unit's
/// own score ("pie share", Cherchye et al. 2007 §4; OECD/JRC Handbook 2008
/// §6.1.4) is restricted as well:
///
/// L ≤ w_q y_qc / Σ_k w_k y_kc ≤ U for every indicator q that unit c has,
///
/// written as the homogeneous rows L·Σ_k w_k y_kc − w_q y_qc ≤ 0 and
/// w_q y_qc − U·Σ_k w_k y_kc ≤ 0, so the origin stays feasible and the
/// programme keeps the form of [`maximise`]. The bounds only lower a score.
///
/// `y` must be non-negative (e.g. min-max normalised values). A missing value
/// counts as 0, so it can neither help its unit nor constrain the others, and
/// it is left out of its unit's shares; a unit with no value gets `NaN`.
/// Notes on the bounds: a unit with a value of exactly 0 on an indicator
/// scores 0 whenever L > 0 (that share cannot reach L), so use a positive
/// normalisation range (e.g. `minmax_range = [1, 100]`); likewise a unit with
/// k indicators available scores 0 when U·k < 1.
///
/// # Errors
/// [`EvalError::NotApplicable`] for a negative value, or bounds outside
/// 0 ≤ L ≤ U ≤ 1 or that no unit with every indicator could meet
/// (L·k > 1 or U·k < 1 for the k columns of `y`);
/// [`EvalError::NoConvergence`] if a programme fails (not expected).
///
/// ```
/// use weaver_evaluation::{Matrix, weights::benefit_of_the_doubt};
/// let y = Matrix::from_rows(&[vec![1.0, 0.2], vec![0.6, 0.6], vec![0.2, 1.0], vec![0.48, 0.48]]);
/// let (scores, _) = benefit_of_the_doubt(&y, "d", None).unwrap();
/// // Unit 1 lies on the frontier; unit 3 is unit 1 scaled by 0.8.
/// assert!((scores[1] - 1.0).abs() < 1e-12 && (scores[3] - 0.8).abs() < 1e-12);
/// assert!((scores[0] - 1.0).abs() < 1e-12);
/// // Shares within [0.4, 0.6]: unit 0 can no longer put all weight on its
/// // first indicator. By hand: w₂ ≥ (10/3)·w₁ and unit 2's row
/// // 0.2·w₁ + w₂ ≤ 1 bind, so w₁ = 15/53, w₂ = 50/53 and CI₀ = 25/53.
/// let (bounded, w) = benefit_of_the_doubt(&y, "d", Some([0.4, 0.6])).unwrap();
/// assert!((bounded[0] - 25.0 / 53.0).abs() < 1e-12);
/// assert!((w.get(0, 0) - 15.0 / 53.0).abs() < 1e-12);
/// assert!((bounded[1] - 1.0).abs() < 1e-12 && (bounded[3] - 0.8).abs() < 1e-12);
/// ```
///
/// # References
/// Cherchye, L., Moesen, W., Rogge, N. & Van Puyenbroeck, T. (2007). An
/// introduction to 'benefit of the doubt' composite indicators. *Social
/// Indicators Research* 82(1), 111–145.
/// Nardo, M. et al. (2008). *Handbook on Constructing Composite Indicators:
/// Methodology and User Guide*, §6.1.4. OECD Publishing.
pub fn benefit_of_the_doubt(
    y: &Matrix,
    node: &str,
    share_bounds: Option<[f64; 2]>,
) -> Result<(Vec<f64>, Matrix), EvalError> {
    let not_applicable = |problem: String| EvalError::NotApplicable {
        method: "benefit of the doubt".into(),
        problem,
    };
    for r in 0..y.rows {
        for c in 0..y.cols {
            let v = y.get(r, c);
            if v < 0.0 {
                return Err(not_applicable(format!(
                    "{node}: value {v} of unit row {r}, indicator column {c} is negative (use a non-negative normalisation)"
                )));
            }
        }
    }
    if let Some([lo, hi]) = share_bounds {
        let k = y.cols as f64;
        if !(0.0 <= lo && lo <= hi && hi <= 1.0) {
            return Err(not_applicable(format!(
                "{node}: weight share bounds [{lo}, {hi}] must satisfy 0 ≤ lower ≤ upper ≤ 1"
            )));
        }
        if lo * k > 1.0 + 1e-12 || hi * k < 1.0 - 1e-12 {
            return Err(not_applicable(format!(
                "{node}: weight share bounds [{lo}, {hi}] cannot be met by {} indicators (need lower·k ≤ 1 ≤ upper·k)",
                y.cols
            )));
        }
    }
    let filled: Vec<Vec<f64>> = (0..y.rows)
        .map(|r| {
            y.row(r)
                .iter()
                .map(|v| if v.is_finite() { *v } else { 0.0 })
                .collect()
        })
        .collect();
    let mut scores = vec![f64::NAN; y.rows];
    let mut weights = Matrix::missing(y.rows, y.cols);
    for c in 0..y.rows {
        if !y.row(c).iter().any(|v| v.is_finite()) {
            continue;
        }
        // Rows: one per unit d (Σ_q w_q y_qd ≤ 1), then the share rows of
        // unit c (right-hand side 0).
        let mut a = filled.clone();
        let mut b = vec![1.0; y.rows];
        if let Some([lo, hi]) = share_bounds {
            let yc = &filled[c];
            for q in (0..y.cols).filter(|&q| y.get(c, q).is_finite()) {
                // L·Σ_k w_k y_kc − w_q y_qc ≤ 0
                let mut lower: Vec<f64> = yc.iter().map(|v| lo * v).collect();
                lower[q] -= yc[q];
                // w_q y_qc − U·Σ_k w_k y_kc ≤ 0
                let mut upper: Vec<f64> = yc.iter().map(|v| -hi * v).collect();
                upper[q] += yc[q];
                a.push(lower);
                a.push(upper);
                b.extend([0.0, 0.0]);
            }
        }
        let sol = maximise(&filled[c], &a, &b)?;
        scores[c] = sol.value;
        for (q, w) in sol.x.iter().enumerate() {
            weights.set(c, q, *w);
        }
    }
    Ok((scores, weights))
}

/// Scales non-negative weights to sum to one.
///
/// # Errors
/// [`EvalError::BadWeights`] when a weight is negative or not finite, or all
/// are zero.
pub fn rescale(w: &[f64], node: &str) -> Result<Vec<f64>, EvalError> {
    if let Some(v) = w.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        return Err(EvalError::BadWeights {
            node: node.into(),
            problem: format!("weight {v} is not a finite number ≥ 0"),
        });
    }
    let s: f64 = w.iter().sum();
    if !(s > 0.0) {
        return Err(EvalError::BadWeights {
            node: node.into(),
            problem: "all weights are zero".into(),
        });
    }
    Ok(w.iter().map(|v| v / s).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ahp_refuses_bad_matrices() {
        assert!(matches!(
            ahp_weights(&[], false, "n"),
            Err(EvalError::AhpMatrix { .. })
        ));
        assert!(matches!(
            ahp_weights(&[vec![1.0, 2.0], vec![2.0, 1.0]], false, "n"),
            Err(EvalError::AhpMatrix { .. })
        ));
        // Saaty-style inconsistent judgements: a > b (9), b > c (9), c > a (9).
        let bad = vec![
            vec![1.0, 9.0, 1.0 / 9.0],
            vec![1.0 / 9.0, 1.0, 9.0],
            vec![9.0, 1.0 / 9.0, 1.0],
        ];
        assert!(matches!(
            ahp_weights(&bad, false, "n"),
            Err(EvalError::AhpInconsistent { .. })
        ));
        let forced = ahp_weights(&bad, true, "n").unwrap();
        assert!(forced.cr >= 0.1);
        // One item: weight 1.
        assert_eq!(
            ahp_weights(&[vec![1.0]], false, "n").unwrap().weights,
            vec![1.0]
        );
    }

    #[test]
    fn entropy_degenerate() {
        let x = Matrix::from_rows(&[vec![1.0], vec![1.0]]);
        assert!(matches!(
            entropy_weights(&x, "d"),
            Err(EvalError::TooLittleData { .. })
        ));
        let x = Matrix::from_rows(&[vec![1.0]]);
        assert!(entropy_weights(&x, "d").is_err());
    }

    #[test]
    fn rescale_checks() {
        assert_eq!(rescale(&[1.0, 3.0], "d").unwrap(), vec![0.25, 0.75]);
        assert!(rescale(&[0.0, 0.0], "d").is_err());
        assert!(rescale(&[-1.0, 2.0], "d").is_err());
    }

    #[test]
    fn pca_needs_data() {
        let x = Matrix::from_rows(&[vec![1.0, 2.0], vec![2.0, 1.0]]);
        assert!(pca_weights(&x, "d").is_err());
        let x = Matrix::from_rows(&[vec![1.0, 2.0], vec![1.0, 1.0], vec![1.0, 5.0]]);
        assert!(pca_weights(&x, "d").is_err());
    }

    #[test]
    fn jacobi_on_known_matrix() {
        // [[2,1],[1,2]]: eigenvalues 1 and 3.
        let (mut vals, _) = symmetric_eigen(&[vec![2.0, 1.0], vec![1.0, 2.0]]);
        vals.sort_by(f64::total_cmp);
        assert!((vals[0] - 1.0).abs() < 1e-12 && (vals[1] - 3.0).abs() < 1e-12);
    }
}
