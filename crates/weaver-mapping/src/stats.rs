//! Order statistics: quantiles (Hyndman & Fan type 7), percentile ranks and
//! competition ranks.

/// The `q`-quantile of `values` by linear interpolation between order
/// statistics: type 7 of Hyndman & Fan (1996), the default of R's `quantile`
/// and of `numpy.quantile` / `numpy.percentile` (`method="linear"`).
///
/// With the values sorted, x₍₁₎ ≤ … ≤ x₍ₙ₎, h = (n − 1)·q and
/// Q(q) = x₍⌊h⌋₊₁₎ + (h − ⌊h⌋)·(x₍⌊h⌋₊₂₎ − x₍⌊h⌋₊₁₎).
///
/// # Arguments
/// * `values` — the sample; NaN values are ignored (as `numpy.nanquantile`).
/// * `q` — the probability, in [0, 1]; values outside are clamped.
///
/// # Returns
/// The quantile, or NaN for an empty sample (or one of NaN only).
///
/// # Example
/// ```
/// use weaver_mapping::stats::quantile;
/// // numpy.percentile([1, 2, 3, 4], 25) == 1.75
/// assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.25), 1.75);
/// assert_eq!(quantile(&[7.0], 0.9), 7.0);
/// assert!(quantile(&[], 0.5).is_nan());
/// ```
///
/// # Notes
/// Sorting costs O(n log n); for many quantiles of one sample sort once and
/// call [`quantile_sorted`].
///
/// # References
/// 1. R. J. Hyndman and Y. Fan (1996). Sample quantiles in statistical
///    packages. *The American Statistician* 50(4):361–365.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q)
}

/// [`quantile`] of a sample already sorted ascending and free of NaN.
///
/// ```
/// use weaver_mapping::stats::quantile_sorted;
/// assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.9), 4.6);
/// ```
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let q = if q.is_nan() { 0.5 } else { q.clamp(0.0, 1.0) };
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    if lo + 1 >= n {
        return sorted[n - 1];
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    // numpy's `_lerp` form, which returns b exactly at frac = 1 and keeps
    // results bit-for-bit close to numpy's.
    let diff = b - a;
    let r = a + diff * frac;
    if frac >= 0.5 {
        b - diff * (1.0 - frac)
    } else {
        r
    }
}

/// Percentile rank of each value within the sample: the percentage of values
/// less than or equal to it (`scipy.stats.percentileofscore(..., kind="weak")`).
///
/// PR(x) = 100 · #{ y : y ≤ x } / n. NaN values get NaN and are not counted in n.
///
/// ```
/// use weaver_mapping::stats::percentile_ranks;
/// assert_eq!(percentile_ranks(&[10.0, 20.0, 20.0, 40.0]), vec![25.0, 75.0, 75.0, 100.0]);
/// ```
pub fn percentile_ranks(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    values
        .iter()
        .map(|&x| {
            if x.is_nan() {
                f64::NAN
            } else {
                let le = sorted.partition_point(|&y| y <= x);
                100.0 * le as f64 / n
            }
        })
        .collect()
}

/// Percentile rank of each value on the scale of numpy's default percentile
/// (type 7 of Hyndman & Fan): the inverse of [`quantile`], so that
/// `quantile(values, rank / 100)` gives the value back.
///
/// With n the number of values (NaN left out) and m = #{ y : y ≤ x },
/// PR(x) = 100 · (m − 1) / (n − 1), and 100 when n = 1. Since the type-7
/// quantile function is flat across tied values, a tie gets the largest
/// percentile that returns it; hence x ≥ P_q ⇔ PR(x) ≥ 100·q, the form of
/// US Cluster Mapping's "at or above the 75th percentile". The smallest value
/// gets 0 and the largest 100. NaN values get NaN.
///
/// This differs from the "weak" percentile of [`percentile_ranks`]
/// (100 · m / n), which never gives 0.
///
/// # Example
/// ```
/// use weaver_mapping::stats::{percentile_ranks_type7, quantile};
/// let v = [10.0, 20.0, 20.0, 40.0, 50.0];
/// let pr = percentile_ranks_type7(&v);
/// assert_eq!(pr, vec![0.0, 50.0, 50.0, 75.0, 100.0]);
/// // numpy.percentile(v, 75) == 40
/// assert_eq!(quantile(&v, pr[3] / 100.0), 40.0);
/// ```
///
/// # Notes
/// O(n log n). Matches `scipy.stats.rankdata(values, "max")` rescaled as
/// 100 · (rank − 1) / (n − 1).
///
/// # References
/// 1. R. J. Hyndman and Y. Fan (1996). Sample quantiles in statistical
///    packages. *The American Statistician* 50(4):361–365.
pub fn percentile_ranks_type7(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    percentile_ranks_type7_sorted(values, &sorted)
}

/// [`percentile_ranks_type7`] of `values` within a sample already sorted
/// ascending and free of NaN (each value is ranked among `sorted`).
pub fn percentile_ranks_type7_sorted(values: &[f64], sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    values
        .iter()
        .map(|&x| {
            if x.is_nan() || n == 0 {
                f64::NAN
            } else if n == 1 {
                100.0
            } else {
                let le = sorted.partition_point(|&y| y <= x);
                100.0 * le.saturating_sub(1) as f64 / (n - 1) as f64
            }
        })
        .collect()
}

/// Competition ranks, 1 for the largest value; ties share the smallest rank
/// (1, 2, 2, 4) as docs/methods.md (Conventions) prescribes. NaN values get no rank.
///
/// ```
/// use weaver_mapping::stats::ranks_descending;
/// assert_eq!(ranks_descending(&[3.0, 5.0, 3.0, 1.0]), vec![Some(2), Some(1), Some(2), Some(4)]);
/// ```
pub fn ranks_descending(values: &[f64]) -> Vec<Option<usize>> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    values
        .iter()
        .map(|&x| {
            if x.is_nan() {
                None
            } else {
                Some(sorted.partition_point(|&y| y > x) + 1)
            }
        })
        .collect()
}

/// Pearson's correlation of two equally long samples; NaN when either is
/// constant or shorter than 2.
///
/// r = Σ (x − x̄)(y − ȳ) / √(Σ (x − x̄)² · Σ (y − ȳ)²), as `numpy.corrcoef`.
///
/// ```
/// use weaver_mapping::stats::pearson;
/// assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]) - 0.9933992677987828).abs() < 1e-15);
/// assert!(pearson(&[1.0, 1.0], &[2.0, 3.0]).is_nan());
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}
