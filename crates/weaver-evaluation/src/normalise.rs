//! Normalisation of one indicator's values across units (OECD/JRC Handbook,
//! Nardo et al. 2008, §5; COINr's `n_*` functions).
//!
//! Every function takes the raw values of one indicator in one period
//! (`NaN` = missing, kept missing) and the indicator's [`Direction`]; for
//! "lower is better" the formula is mirrored so that the best unit always
//! gets the highest normalised value.

use crate::data::Direction;
use crate::method::Normalisation;
use crate::{EvalError, stats};

/// Parameters of the target-based normalisations for one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Goals {
    /// Target for [`Normalisation::Target`].
    pub target: Option<f64>,
    /// `[low, high]` for [`Normalisation::Goalposts`].
    pub goalposts: Option<[f64; 2]>,
}

/// Normalises one indicator.
///
/// Formulas (x = raw value; min, max, x̄, s over the available units):
/// - min-max: (x − min)/(max − min)·(hi − lo) + lo; mirrored:
///   (max − x)/(max − min)·(hi − lo) + lo.
/// - z-score: (x − x̄)/s·sd + mean (s with n − 1, as R's `sd`); mirrored: −z.
/// - rank: 1 + #{j: x_j < x_i} (the worst unit 1, ties share the smaller rank,
///   `rank(x, ties.method = "min")`); mirrored on −x.
/// - percentile: 100·#{j: x_j < x_i}/(n − 1) (the worst 0, the best 100).
/// - distance to target: 100·(x − min)/(target − min) capped at 100; mirrored:
///   100·(max − x)/(max − target) capped at 100.
/// - goalposts: 100·(x − low)/(high − low) clipped to [0, 100]; mirrored:
///   100·(high − x)/(high − low).
///
/// # Returns
/// The normalised values, `NaN` where the input was missing. A column without
/// variation (max = min, or s = 0) has no defined min-max, z-score or
/// distance-to-target value: all its values are `NaN` and the caller reports
/// the indicator as left out. Rank and percentile give every unit the same
/// value (1, and 0 resp.); goalposts are defined for any values.
///
/// # Errors
/// [`EvalError::MissingParameter`] when `target`/`goalposts` is needed but not
/// given, [`EvalError::NotApplicable`] when the target is not beyond the
/// worst value or goalposts have low ≥ high.
///
/// ```
/// use weaver_evaluation::{Direction, method::Normalisation, normalise::{normalise, Goals}};
/// let x = [2.0, 4.0, 10.0, f64::NAN];
/// let mm = Normalisation::MinMax { lo: 0.0, hi: 100.0 };
/// let up = normalise(&x, Direction::HigherBetter, mm, Goals::default(), "x").unwrap();
/// assert_eq!(&up[..3], &[0.0, 25.0, 100.0]);
/// assert!(up[3].is_nan());
/// let down = normalise(&x, Direction::LowerBetter, mm, Goals::default(), "x").unwrap();
/// assert_eq!(&down[..3], &[100.0, 75.0, 0.0]);
/// ```
pub fn normalise(
    x: &[f64],
    direction: Direction,
    method: Normalisation,
    goals: Goals,
    indicator: &str,
) -> Result<Vec<f64>, EvalError> {
    let avail = stats::available(x);
    let n = avail.len();
    let out = |f: &dyn Fn(f64) -> f64| -> Vec<f64> {
        x.iter()
            .map(|&v| if v.is_finite() { f(v) } else { f64::NAN })
            .collect()
    };
    if n == 0 {
        return Ok(vec![f64::NAN; x.len()]);
    }
    let min = avail.iter().copied().fold(f64::INFINITY, f64::min);
    let max = avail.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let up = direction == Direction::HigherBetter;
    Ok(match method {
        Normalisation::MinMax { lo, hi } => {
            if max == min {
                return Ok(vec![f64::NAN; x.len()]);
            }
            let span = max - min;
            if up {
                out(&|v| (v - min) / span * (hi - lo) + lo)
            } else {
                out(&|v| (max - v) / span * (hi - lo) + lo)
            }
        }
        Normalisation::ZScore { mean, sd } => {
            let m = stats::mean(&avail);
            let s = stats::sd(&avail);
            if !(s > 0.0) {
                return Ok(vec![f64::NAN; x.len()]);
            }
            let sign = if up { 1.0 } else { -1.0 };
            out(&|v| sign * (v - m) / s * sd + mean)
        }
        Normalisation::Rank | Normalisation::Percentile => {
            let mut sorted: Vec<f64> = avail.iter().map(|&v| if up { v } else { -v }).collect();
            sorted.sort_by(f64::total_cmp);
            let below = |v: f64| sorted.partition_point(|&s| s < v) as f64;
            if method == Normalisation::Rank {
                out(&|v| 1.0 + below(if up { v } else { -v }))
            } else if n == 1 {
                out(&|_| 0.0)
            } else {
                let d = (n - 1) as f64;
                out(&|v| 100.0 * below(if up { v } else { -v }) / d)
            }
        }
        Normalisation::Target => {
            let t = goals.target.ok_or_else(|| EvalError::MissingParameter {
                what: format!("normalisation = \"target\" of indicator `{indicator}`"),
                key: format!("indicators.{indicator}.target"),
            })?;
            if up {
                if !(t > min) {
                    return Err(EvalError::NotApplicable {
                        method: "distance to target".into(),
                        problem: format!(
                            "indicator `{indicator}`: target {t} is not above the worst value {min}"
                        ),
                    });
                }
                out(&|v| (100.0 * (v - min) / (t - min)).min(100.0))
            } else {
                if !(t < max) {
                    return Err(EvalError::NotApplicable {
                        method: "distance to target".into(),
                        problem: format!(
                            "indicator `{indicator}`: target {t} is not below the worst value {max}"
                        ),
                    });
                }
                out(&|v| (100.0 * (max - v) / (max - t)).min(100.0))
            }
        }
        Normalisation::Goalposts => {
            let [low, high] = goals.goalposts.ok_or_else(|| EvalError::MissingParameter {
                what: format!("normalisation = \"goalposts\" of indicator `{indicator}`"),
                key: format!("indicators.{indicator}.goalposts"),
            })?;
            if !(low < high) {
                return Err(EvalError::NotApplicable {
                    method: "goalposts".into(),
                    problem: format!("indicator `{indicator}`: low {low} is not below high {high}"),
                });
            }
            if up {
                out(&|v| (100.0 * (v - low) / (high - low)).clamp(0.0, 100.0))
            } else {
                out(&|v| (100.0 * (high - v) / (high - low)).clamp(0.0, 100.0))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: Direction = Direction::HigherBetter;
    const DOWN: Direction = Direction::LowerBetter;

    fn close(a: &[f64], b: &[f64], tol: f64) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() <= tol,
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn zscore_hand_worked() {
        // x = 1, 2, 3, 6: mean 3, sd = sqrt(14/3) = 2.160246899469287
        let x = [1.0, 2.0, 3.0, 6.0];
        let z = normalise(
            &x,
            UP,
            Normalisation::ZScore { mean: 0.0, sd: 1.0 },
            Goals::default(),
            "x",
        )
        .unwrap();
        let s = (14.0f64 / 3.0).sqrt();
        close(&z, &[-2.0 / s, -1.0 / s, 0.0, 3.0 / s], 1e-12);
        let z = normalise(
            &x,
            DOWN,
            Normalisation::ZScore {
                mean: 10.0,
                sd: 2.0,
            },
            Goals::default(),
            "x",
        )
        .unwrap();
        close(
            &z,
            &[10.0 + 4.0 / s, 10.0 + 2.0 / s, 10.0, 10.0 - 6.0 / s],
            1e-12,
        );
    }

    #[test]
    fn ranks_and_percentiles_with_ties() {
        let x = [5.0, 1.0, 5.0, 3.0, f64::NAN];
        let r = normalise(&x, UP, Normalisation::Rank, Goals::default(), "x").unwrap();
        close(&r, &[3.0, 1.0, 3.0, 2.0, f64::NAN], 0.0);
        let r = normalise(&x, DOWN, Normalisation::Rank, Goals::default(), "x").unwrap();
        close(&r, &[1.0, 4.0, 1.0, 3.0, f64::NAN], 0.0);
        let p = normalise(&x, UP, Normalisation::Percentile, Goals::default(), "x").unwrap();
        close(
            &p,
            &[200.0 / 3.0, 0.0, 200.0 / 3.0, 100.0 / 3.0, f64::NAN],
            1e-12,
        );
    }

    #[test]
    fn target_and_goalposts() {
        let x = [10.0, 20.0, 40.0];
        let g = Goals {
            target: Some(30.0),
            goalposts: Some([15.0, 35.0]),
        };
        let t = normalise(&x, UP, Normalisation::Target, g, "x").unwrap();
        close(&t, &[0.0, 50.0, 100.0], 1e-12);
        let t = normalise(
            &x,
            DOWN,
            Normalisation::Target,
            Goals {
                target: Some(20.0),
                ..g
            },
            "x",
        )
        .unwrap();
        close(&t, &[100.0, 100.0, 0.0], 1e-12);
        let gp = normalise(&x, UP, Normalisation::Goalposts, g, "x").unwrap();
        close(&gp, &[0.0, 25.0, 100.0], 1e-12);
        let gp = normalise(&x, DOWN, Normalisation::Goalposts, g, "x").unwrap();
        close(&gp, &[100.0, 75.0, 0.0], 1e-12);
        assert!(matches!(
            normalise(&x, UP, Normalisation::Target, Goals::default(), "x"),
            Err(EvalError::MissingParameter { .. })
        ));
        assert!(matches!(
            normalise(
                &x,
                UP,
                Normalisation::Target,
                Goals {
                    target: Some(5.0),
                    goalposts: None
                },
                "x"
            ),
            Err(EvalError::NotApplicable { .. })
        ));
    }

    #[test]
    fn constant_and_empty_columns() {
        let mm = Normalisation::MinMax { lo: 0.0, hi: 100.0 };
        assert!(
            normalise(&[3.0, 3.0], UP, mm, Goals::default(), "x")
                .unwrap()
                .iter()
                .all(|v| v.is_nan())
        );
        assert!(normalise(&[f64::NAN], UP, mm, Goals::default(), "x").unwrap()[0].is_nan());
        assert!(
            normalise(&[], UP, mm, Goals::default(), "x")
                .unwrap()
                .is_empty()
        );
        let p = normalise(
            &[3.0, 3.0],
            UP,
            Normalisation::Percentile,
            Goals::default(),
            "x",
        )
        .unwrap();
        close(&p, &[0.0, 0.0], 0.0);
    }
}
