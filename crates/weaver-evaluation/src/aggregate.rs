//! Aggregation of a node's children (OECD/JRC Handbook §6.2; COINr `a_amean`,
//! `a_gmean`, `a_hmean`, `a_genmean`, `a_copeland`) and TOPSIS.

use crate::data::Matrix;
use crate::method::Aggregation;

/// Why a mean could not be taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeanError {
    /// The mean needs positive values; the value at this child index is not.
    NonPositive {
        /// Index of the child at fault.
        child: usize,
        /// Its value.
        value: f64,
    },
}

/// Weighted mean of one unit's children, leaving out missing values and
/// rescaling the remaining weights (Σ over available children only):
///
/// - arithmetic: Σ w x / Σ w
/// - geometric: exp(Σ w ln x / Σ w) (x > 0)
/// - harmonic: Σ w / Σ (w / x) (x > 0)
/// - generalised with power p: (Σ w x^p / Σ w)^{1/p} (x > 0 when p < 0 or
///   p is not an integer)
///
/// Returns `Ok(NaN)` when no child with positive weight is available.
/// `Copeland` and `Topsis` compare units with each other and are computed by
/// [`copeland`] and [`topsis`]; here they give `Ok(NaN)`.
///
/// ```
/// use weaver_evaluation::{aggregate::weighted_mean, method::Aggregation};
/// let x = [1.0, 4.0, f64::NAN];
/// let w = [1.0, 1.0, 2.0];
/// assert_eq!(weighted_mean(&x, &w, Aggregation::Arithmetic).unwrap(), 2.5);
/// assert_eq!(weighted_mean(&x, &w, Aggregation::Geometric).unwrap(), 2.0);
/// assert_eq!(weighted_mean(&x, &w, Aggregation::Harmonic).unwrap(), 1.6);
/// assert_eq!(weighted_mean(&x, &w, Aggregation::Generalised { p: 0.5 }).unwrap(), 2.25);
/// ```
pub fn weighted_mean(x: &[f64], w: &[f64], how: Aggregation) -> Result<f64, MeanError> {
    let mut sw = 0.0;
    let mut acc = 0.0;
    for (k, (&v, &wk)) in x.iter().zip(w).enumerate() {
        if !v.is_finite() || !(wk > 0.0) {
            continue;
        }
        let needs_positive = match how {
            Aggregation::Geometric | Aggregation::Harmonic => true,
            Aggregation::Generalised { p } => p < 0.0 || p.fract() != 0.0,
            _ => false,
        };
        if needs_positive && v <= 0.0 {
            return Err(MeanError::NonPositive { child: k, value: v });
        }
        sw += wk;
        acc += match how {
            Aggregation::Arithmetic => wk * v,
            Aggregation::Geometric => wk * v.ln(),
            Aggregation::Harmonic => wk / v,
            Aggregation::Generalised { p } => wk * v.powf(p),
            Aggregation::Copeland | Aggregation::Topsis => return Ok(f64::NAN),
        };
    }
    if sw == 0.0 {
        return Ok(f64::NAN);
    }
    Ok(match how {
        Aggregation::Arithmetic => acc / sw,
        Aggregation::Geometric => (acc / sw).exp(),
        Aggregation::Harmonic => sw / acc,
        Aggregation::Generalised { p } => (acc / sw).powf(1.0 / p),
        Aggregation::Copeland | Aggregation::Topsis => f64::NAN,
    })
}

/// Copeland scores of the units (rows) over the children (columns).
///
/// For units a and b, over the children both have:
/// e_ab = Σ w_j 1(x_aj > x_bj) + ½ Σ w_j 1(x_aj = x_bj).
/// Unit a beats b when e_ab > e_ba. The score is the number of units beaten
/// minus the number of units lost to, in [−(n−1), n−1]
/// (Munda & Nardo 2009; COINr `a_copeland`). A unit without any value gets
/// `NaN`; a pair with no child in common is a draw.
///
/// ```
/// use weaver_evaluation::{aggregate::copeland, Matrix};
/// let x = Matrix::from_rows(&[vec![3.0, 1.0], vec![2.0, 2.0], vec![1.0, 3.0]]);
/// // a beats b on the heavier child, b beats c, a beats c: 2, 0, −2.
/// assert_eq!(copeland(&x, &[2.0, 1.0]), vec![2.0, 0.0, -2.0]);
/// ```
///
/// # References
/// Munda, G. & Nardo, M. (2009). Noncompensatory/nonlinear composite
/// indicators for ranking countries: a defensible setting. *Applied
/// Economics* 41(12), 1513–1523.
pub fn copeland(x: &Matrix, w: &[f64]) -> Vec<f64> {
    let n = x.rows;
    let mut score = vec![0.0; n];
    let has_any: Vec<bool> = (0..n)
        .map(|r| x.row(r).iter().any(|v| v.is_finite()))
        .collect();
    for a in 0..n {
        if !has_any[a] {
            score[a] = f64::NAN;
            continue;
        }
        for b in 0..n {
            if a == b || !has_any[b] {
                continue;
            }
            let (mut eab, mut eba) = (0.0, 0.0);
            for (j, &wj) in w.iter().enumerate().take(x.cols) {
                let (va, vb) = (x.get(a, j), x.get(b, j));
                if !(va.is_finite() && vb.is_finite()) {
                    continue;
                }
                if va > vb {
                    eab += wj;
                } else if vb > va {
                    eba += wj;
                } else {
                    eab += wj / 2.0;
                    eba += wj / 2.0;
                }
            }
            if eab > eba {
                score[a] += 1.0;
            } else if eba > eab {
                score[a] -= 1.0;
            }
        }
    }
    score
}

/// TOPSIS closeness coefficients (Hwang & Yoon 1981), ×100.
///
/// Columns are benefit criteria (higher is better, as normalised values are).
/// r_ij = x_ij / √(Σ_i x_ij²); v_ij = w_j r_ij with w rescaled to sum to one;
/// A⁺_j = max_i v_ij, A⁻_j = min_i v_ij; D⁺_i = √Σ_j (v_ij − A⁺_j)²,
/// D⁻_i = √Σ_j (v_ij − A⁻_j)²; C_i = D⁻_i / (D⁺_i + D⁻_i).
/// Missing values are left out of the unit's distances. A unit with
/// D⁺ + D⁻ = 0 (every column constant) or no value gets `NaN`; a column whose
/// values are all zero is left out.
///
/// ```
/// use weaver_evaluation::{aggregate::topsis, Matrix};
/// let x = Matrix::from_rows(&[vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]]);
/// let c = topsis(&x, &[1.0, 1.0]);
/// assert!((c[0] - 50.0).abs() < 1e-12 && (c[1] - 50.0).abs() < 1e-12);
/// assert_eq!(c[2], 100.0);
/// ```
///
/// # References
/// Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making:
/// Methods and Applications*. Springer, Lecture Notes in Economics and
/// Mathematical Systems 186.
pub fn topsis(x: &Matrix, w: &[f64]) -> Vec<f64> {
    let sw: f64 = w.iter().take(x.cols).filter(|v| **v > 0.0).sum();
    let mut v = Matrix::missing(x.rows, x.cols);
    let mut best = vec![f64::NAN; x.cols];
    let mut worst = vec![f64::NAN; x.cols];
    for j in 0..x.cols {
        let col = x.column(j);
        let norm = col
            .iter()
            .filter(|a| a.is_finite())
            .map(|a| a * a)
            .sum::<f64>()
            .sqrt();
        if !(norm > 0.0) || !(w[j] > 0.0) || sw == 0.0 {
            continue;
        }
        for (r, a) in col.iter().enumerate() {
            if a.is_finite() {
                let val = w[j] / sw * a / norm;
                v.set(r, j, val);
                best[j] = if best[j].is_nan() {
                    val
                } else {
                    best[j].max(val)
                };
                worst[j] = if worst[j].is_nan() {
                    val
                } else {
                    worst[j].min(val)
                };
            }
        }
    }
    (0..x.rows)
        .map(|r| {
            let (mut dp, mut dm, mut any) = (0.0, 0.0, false);
            for j in 0..x.cols {
                let a = v.get(r, j);
                if a.is_finite() {
                    any = true;
                    dp += (a - best[j]).powi(2);
                    dm += (a - worst[j]).powi(2);
                }
            }
            let (dp, dm) = (dp.sqrt(), dm.sqrt());
            if !any || dp + dm == 0.0 {
                f64::NAN
            } else {
                100.0 * dm / (dp + dm)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_refuse_non_positive_and_handle_missing() {
        assert_eq!(
            weighted_mean(&[0.0, 1.0], &[1.0, 1.0], Aggregation::Geometric),
            Err(MeanError::NonPositive {
                child: 0,
                value: 0.0
            })
        );
        assert!(
            weighted_mean(&[f64::NAN], &[1.0], Aggregation::Arithmetic)
                .unwrap()
                .is_nan()
        );
        // Zero-weight children do not count, even if missing elsewhere.
        assert_eq!(
            weighted_mean(&[2.0, 8.0], &[0.0, 1.0], Aggregation::Arithmetic).unwrap(),
            8.0
        );
        // Generalised mean with p = 2 allows zero.
        let g = weighted_mean(
            &[0.0, 2.0],
            &[1.0, 1.0],
            Aggregation::Generalised { p: 2.0 },
        )
        .unwrap();
        assert!((g - 2f64.sqrt()).abs() < 1e-12);
        // p = 1 and p = −1 give the arithmetic and harmonic means.
        let x = [1.0, 2.0, 4.0];
        let w = [0.2, 0.3, 0.5];
        let a = weighted_mean(&x, &w, Aggregation::Arithmetic).unwrap();
        let g1 = weighted_mean(&x, &w, Aggregation::Generalised { p: 1.0 }).unwrap();
        assert!((a - g1).abs() < 1e-12);
        let h = weighted_mean(&x, &w, Aggregation::Harmonic).unwrap();
        let gm1 = weighted_mean(&x, &w, Aggregation::Generalised { p: -1.0 }).unwrap();
        assert!((h - gm1).abs() < 1e-12);
    }

    #[test]
    fn copeland_with_missing_and_ties() {
        let x = Matrix::from_rows(&[vec![1.0, 1.0], vec![1.0, 1.0], vec![f64::NAN, f64::NAN]]);
        let s = copeland(&x, &[1.0, 1.0]);
        assert_eq!(&s[..2], &[0.0, 0.0]);
        assert!(s[2].is_nan());
    }
}
