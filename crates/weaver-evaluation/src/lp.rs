//! A small dense simplex solver for max cᵀx s.t. Ax ≤ b, x ≥ 0 with b ≥ 0
//! (the origin is feasible, so no phase 1 is needed). Enough for the benefit
//! of the doubt, whose programmes have one row per unit and one column per
//! indicator.

use crate::EvalError;

/// The optimum of a linear programme.
#[derive(Debug, Clone, PartialEq)]
pub struct LpSolution {
    /// Optimal objective value cᵀx.
    pub value: f64,
    /// An optimal point.
    pub x: Vec<f64>,
}

/// Maximises cᵀx subject to Ax ≤ b and x ≥ 0, where every b_i ≥ 0.
///
/// Tableau simplex with Bland's smallest-index rule (which cannot cycle,
/// Bland 1977) and a pivot tolerance of 1e-12.
///
/// # Errors
/// [`EvalError::NotApplicable`] when some b_i < 0, a value is not finite or
/// the shapes differ; [`EvalError::NoConvergence`] when the programme is
/// unbounded or the iteration limit (50·(m + n) pivots) is reached.
///
/// ```
/// use weaver_evaluation::lp::maximise;
/// // max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3  →  x = 3, y = 1, value 11.
/// let s = maximise(&[3.0, 2.0],
///     &[vec![1.0, 1.0], vec![1.0, 3.0], vec![1.0, 0.0]], &[4.0, 6.0, 3.0]).unwrap();
/// assert!((s.value - 11.0).abs() < 1e-12);
/// assert!((s.x[0] - 3.0).abs() < 1e-12 && (s.x[1] - 1.0).abs() < 1e-12);
/// ```
///
/// # References
/// Bland, R. G. (1977). New finite pivoting rules for the simplex method.
/// *Mathematics of Operations Research* 2(2), 103–107.
pub fn maximise(c: &[f64], a: &[Vec<f64>], b: &[f64]) -> Result<LpSolution, EvalError> {
    let n = c.len();
    let m = a.len();
    let bad = |problem: &str| EvalError::NotApplicable {
        method: "linear programme".into(),
        problem: problem.into(),
    };
    if b.len() != m || a.iter().any(|r| r.len() != n) {
        return Err(bad("shapes of A, b and c differ"));
    }
    if b.iter().any(|v| !(v.is_finite() && *v >= 0.0))
        || c.iter().any(|v| !v.is_finite())
        || a.iter().flatten().any(|v| !v.is_finite())
    {
        return Err(bad("values must be finite and b ≥ 0"));
    }
    // Tableau: m rows of [A | I | b], objective row z − cᵀx = 0.
    let w = n + m + 1;
    let mut t = vec![0.0; (m + 1) * w];
    for i in 0..m {
        t[i * w..i * w + n].copy_from_slice(&a[i]);
        t[i * w + n + i] = 1.0;
        t[i * w + n + m] = b[i];
    }
    for j in 0..n {
        t[m * w + j] = -c[j];
    }
    let mut basis: Vec<usize> = (n..n + m).collect();
    let eps = 1e-12;
    let limit = 50 * (m + n) + 50;
    for _ in 0..limit {
        // Entering: smallest index with a negative reduced cost (Bland).
        let Some(e) = (0..n + m).find(|&j| t[m * w + j] < -eps) else {
            let mut x = vec![0.0; n];
            for (i, &bv) in basis.iter().enumerate() {
                if bv < n {
                    x[bv] = t[i * w + n + m];
                }
            }
            return Ok(LpSolution {
                value: t[m * w + n + m],
                x,
            });
        };
        // Leaving: minimum ratio, ties by smallest basis index (Bland).
        let mut leave: Option<(usize, f64)> = None;
        for i in 0..m {
            let piv = t[i * w + e];
            if piv > eps {
                let ratio = t[i * w + n + m] / piv;
                match leave {
                    None => leave = Some((i, ratio)),
                    Some((l, r)) => {
                        if ratio < r - eps || (ratio <= r + eps && basis[i] < basis[l]) {
                            leave = Some((i, ratio));
                        }
                    }
                }
            }
        }
        let Some((l, _)) = leave else {
            return Err(EvalError::NoConvergence {
                method: "simplex".into(),
                problem: "the programme is unbounded".into(),
            });
        };
        let piv = t[l * w + e];
        for j in 0..w {
            t[l * w + j] /= piv;
        }
        for i in 0..=m {
            if i != l {
                let f = t[i * w + e];
                if f != 0.0 {
                    for j in 0..w {
                        t[i * w + j] -= f * t[l * w + j];
                    }
                }
            }
        }
        basis[l] = e;
    }
    Err(EvalError::NoConvergence {
        method: "simplex".into(),
        problem: format!("no optimum after {limit} pivots"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_and_unbounded() {
        // Zero objective: optimum 0 at the origin.
        let s = maximise(&[0.0, 0.0], &[vec![1.0, 1.0]], &[1.0]).unwrap();
        assert_eq!(s.value, 0.0);
        // Unbounded: max x with only −x ≤ 1.
        assert!(matches!(
            maximise(&[1.0], &[vec![-1.0]], &[1.0]),
            Err(EvalError::NoConvergence { .. })
        ));
        assert!(matches!(
            maximise(&[1.0], &[vec![1.0]], &[-1.0]),
            Err(EvalError::NotApplicable { .. })
        ));
        // Degenerate vertex (b = 0 row) still solves.
        let s = maximise(&[1.0, 1.0], &[vec![1.0, -1.0], vec![1.0, 1.0]], &[0.0, 2.0]).unwrap();
        assert!((s.value - 2.0).abs() < 1e-12);
    }
}
