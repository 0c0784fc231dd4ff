//! Data treatment: outliers (COINr's default `Treat()`) and imputation.

use crate::data::Matrix;
use crate::method::{Imputation, Treatment};
use crate::stats;

/// What happened to one indicator in [`treat_outliers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatmentAction {
    /// It passed the skewness/kurtosis test as it was.
    None,
    /// It passed after winsorising this many points.
    Winsorised(usize),
    /// Winsorising up to the limit did not make it pass: the original values
    /// were log-transformed instead.
    Log,
    /// Too few values (fewer than 4) to compute kurtosis: left as it was.
    TooFewValues,
}

/// Result of treating one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct TreatedIndicator {
    /// The treated values (`NaN` where missing).
    pub values: Vec<f64>,
    /// What was done.
    pub action: TreatmentAction,
    /// Skewness before treatment (COINr's `skew`).
    pub skew_before: f64,
    /// Kurtosis before treatment (COINr's `kurt`).
    pub kurt_before: f64,
}

fn passes(x: &[f64], t: &Treatment) -> bool {
    // COINr `check_SkewKurt`: pass when |skew| < t_skew OR kurt < t_kurt.
    stats::skew(x).abs() < t.skew_threshold || stats::kurt(x) < t.kurtosis_threshold
}

/// Treats one indicator for outliers as COINr's `Treat()` does by default
/// (`f1 = "winsorise"`, `f2 = "log_CT"`, `f_pass = "check_SkewKurt"`,
/// `combine_treat = FALSE`).
///
/// An indicator *fails* when |skew| ≥ 2 **and** kurtosis ≥ 3.5 (skewness and
/// excess kurtosis as e1071 type 2, see [`stats::skew`], [`stats::kurt`]).
/// While it fails and fewer than `winsor_max` points have been winsorised:
/// if skew ≥ 0 the point(s) at the maximum are set to the largest other value,
/// else the point(s) at the minimum to the smallest other value; the count of
/// winsorised points is the number of points at the value last moved (as
/// COINr counts them). If it still fails, the winsorised values are dropped
/// and the original values are log-transformed: ln(x − min + 0.01(max − min))
/// (COINr's `log_CT`).
///
/// ```
/// use weaver_evaluation::{method::Treatment, treat::{treat_outliers, TreatmentAction}};
/// // COINr's vignette: 1..10 with two outliers, 30 and 100.
/// let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
/// x.extend([30.0, 100.0]);
/// let t = treat_outliers(&x, &Treatment { enabled: true, ..Treatment::default() });
/// // skew 3.06, kurtosis 9.74: fails; 100 → 30 gives skew 1.71: passes.
/// assert_eq!(t.action, TreatmentAction::Winsorised(1));
/// assert_eq!(&t.values[10..], &[30.0, 30.0]);
/// ```
///
/// # Notes
/// Missing values are kept missing and skipped in the statistics. With fewer
/// than 4 values kurtosis is undefined and the indicator is left as it was
/// ([`TreatmentAction::TooFewValues`]). A constant indicator passes.
///
/// # References
/// Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. &
/// Saisana, M. (2022). COINr: An R package for developing composite
/// indicators. *Journal of Open Source Software* 7(78), 4567.
pub fn treat_outliers(x: &[f64], t: &Treatment) -> TreatedIndicator {
    let skew_before = stats::skew(x);
    let kurt_before = stats::kurt(x);
    let mut result = TreatedIndicator {
        values: x.to_vec(),
        action: TreatmentAction::None,
        skew_before,
        kurt_before,
    };
    if stats::available(x).len() < 4 {
        result.action = TreatmentAction::TooFewValues;
        return result;
    }
    if passes(x, t) {
        return result;
    }
    let mut w = x.to_vec();
    let mut nwin = 0usize;
    let mut ok = false;
    while nwin < t.winsor_max {
        let avail = stats::available(&w);
        let max = avail.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = avail.iter().copied().fold(f64::INFINITY, f64::min);
        let high = stats::skew(&w) >= 0.0;
        let at = if high { max } else { min };
        let others: Vec<f64> = avail.iter().copied().filter(|&v| v != at).collect();
        if others.is_empty() {
            break;
        }
        let to = if high {
            others.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            others.iter().copied().fold(f64::INFINITY, f64::min)
        };
        let mut moved = 0;
        for v in w.iter_mut() {
            if *v == at {
                *v = to;
                moved += 1;
            }
        }
        nwin = moved;
        if passes(&w, t) {
            ok = true;
            break;
        }
    }
    if ok {
        result.values = w;
        result.action = TreatmentAction::Winsorised(nwin);
    } else {
        result.values = log_ct(x);
        result.action = TreatmentAction::Log;
    }
    result
}

/// COINr's `log_CT`: ln(x − min + 0.01·(max − min)); missing stays missing.
pub fn log_ct(x: &[f64]) -> Vec<f64> {
    let avail = stats::available(x);
    let max = avail.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = avail.iter().copied().fold(f64::INFINITY, f64::min);
    x.iter()
        .map(|&v| {
            if v.is_finite() {
                (v - min + 0.01 * (max - min)).ln()
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Fills missing values of one period's units × indicators matrix.
///
/// - `Mean`, `Median`: the indicator's mean (median) over the available units.
/// - `GroupMean`: the mean over the available units of the same group;
///   `groups[u]` is unit u's group (`None`: no group, left missing).
/// - `None` and `Locf` leave the matrix as it is (LOCF works on the panel:
///   [`impute_locf`]).
///
/// Returns the number of values filled. Values that cannot be filled (no
/// available value in the column or group) stay missing.
///
/// ```
/// use weaver_evaluation::{Matrix, method::Imputation, treat::impute};
/// let mut m = Matrix::from_rows(&[vec![1.0], vec![f64::NAN], vec![5.0], vec![6.0]]);
/// assert_eq!(impute(&mut m, Imputation::Median, None), 1);
/// assert_eq!(m.get(1, 0), 5.0);
/// ```
pub fn impute(m: &mut Matrix, how: Imputation, groups: Option<&[Option<usize>]>) -> usize {
    let mut filled = 0;
    for c in 0..m.cols {
        let col = m.column(c);
        match how {
            Imputation::Mean | Imputation::Median => {
                let v = if how == Imputation::Mean {
                    stats::mean(&col)
                } else {
                    stats::median(&col)
                };
                if v.is_finite() {
                    for r in 0..m.rows {
                        if col[r].is_nan() {
                            m.set(r, c, v);
                            filled += 1;
                        }
                    }
                }
            }
            Imputation::GroupMean => {
                let Some(groups) = groups else { continue };
                for r in 0..m.rows {
                    if !col[r].is_nan() {
                        continue;
                    }
                    let Some(g) = groups.get(r).copied().flatten() else {
                        continue;
                    };
                    let same: Vec<f64> = (0..m.rows)
                        .filter(|&k| groups.get(k).copied().flatten() == Some(g))
                        .map(|k| col[k])
                        .collect();
                    let v = stats::mean(&same);
                    if v.is_finite() {
                        m.set(r, c, v);
                        filled += 1;
                    }
                }
            }
            Imputation::None | Imputation::Locf => {}
        }
    }
    filled
}

/// Last observation carried forward across a panel: `periods` are the
/// period matrices in chronological order (all of the same shape); a missing
/// value takes the unit's latest earlier value of that indicator. Returns the
/// number of values filled.
///
/// ```
/// use weaver_evaluation::{Matrix, treat::impute_locf};
/// let mut p = vec![
///     Matrix::from_rows(&[vec![1.0]]),
///     Matrix::from_rows(&[vec![f64::NAN]]),
///     Matrix::from_rows(&[vec![f64::NAN]]),
/// ];
/// assert_eq!(impute_locf(&mut p), 2);
/// assert_eq!(p[2].get(0, 0), 1.0);
/// ```
pub fn impute_locf(periods: &mut [Matrix]) -> usize {
    let mut filled = 0;
    for p in 1..periods.len() {
        let (before, rest) = periods.split_at_mut(p);
        let prev = &before[p - 1];
        let cur = &mut rest[0];
        for k in 0..cur.data.len().min(prev.data.len()) {
            if cur.data[k].is_nan() && prev.data[k].is_finite() {
                cur.data[k] = prev.data[k];
                filled += 1;
            }
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn treatment() -> Treatment {
        Treatment {
            enabled: true,
            ..Treatment::default()
        }
    }

    #[test]
    fn passing_indicator_is_untouched() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let t = treat_outliers(&x, &treatment());
        assert_eq!(t.action, TreatmentAction::None);
        assert_eq!(t.values, x);
    }

    #[test]
    fn heavy_tail_falls_back_to_log() {
        // Ten points at the max: winsorising 5 points is not enough, so the
        // original values are log-transformed (COINr log_CT).
        let mut x = vec![1.0; 40];
        x.extend([1000.0; 3]);
        x[0] = 0.0;
        let t = treat_outliers(
            &x,
            &Treatment {
                winsor_max: 1,
                ..treatment()
            },
        );
        assert_eq!(t.action, TreatmentAction::Log);
        let span: f64 = 1000.0;
        assert!((t.values[0] - (0.01 * span).ln()).abs() < 1e-12);
        assert!((t.values[40] - (1000.0 + 0.01 * span).ln()).abs() < 1e-12);
    }

    #[test]
    fn too_few_values_and_missing() {
        let t = treat_outliers(&[1.0, f64::NAN, 100.0, 2.0], &treatment());
        assert_eq!(t.action, TreatmentAction::TooFewValues);
    }

    #[test]
    fn group_mean_imputation() {
        let mut m = Matrix::from_rows(&[
            vec![1.0],
            vec![3.0],
            vec![f64::NAN],
            vec![10.0],
            vec![f64::NAN],
            vec![f64::NAN],
        ]);
        let groups = [Some(0), Some(0), Some(0), Some(1), Some(1), None];
        assert_eq!(impute(&mut m, Imputation::GroupMean, Some(&groups)), 2);
        assert_eq!(m.get(2, 0), 2.0);
        assert_eq!(m.get(4, 0), 10.0);
        assert!(m.get(5, 0).is_nan());
        let mut m2 = Matrix::from_rows(&[vec![1.0], vec![f64::NAN], vec![4.0]]);
        assert_eq!(impute(&mut m2, Imputation::Mean, None), 1);
        assert_eq!(m2.get(1, 0), 2.5);
    }
}
