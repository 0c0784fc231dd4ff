//! Small descriptive statistics shared by the engine: moments, quantiles,
//! ranks. Missing values are `NaN` and are skipped unless a function says
//! otherwise.

/// The finite values of `x`, in order.
pub fn available(x: &[f64]) -> Vec<f64> {
    x.iter().copied().filter(|v| v.is_finite()).collect()
}

/// Arithmetic mean of the available values; `NaN` when there are none.
pub fn mean(x: &[f64]) -> f64 {
    let (s, n) = x
        .iter()
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { s / n as f64 }
}

/// Sample variance (denominator n − 1) of the available values; `NaN` with
/// fewer than two.
pub fn var(x: &[f64]) -> f64 {
    let v = available(x);
    if v.len() < 2 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (v.len() - 1) as f64
}

/// Sample standard deviation (denominator n − 1), as R's `sd()`.
pub fn sd(x: &[f64]) -> f64 {
    var(x).sqrt()
}

/// Skewness as COINr's `skew()`, which is e1071's `skewness(type = 2)` and
/// Excel's `SKEW` (the adjusted Fisher–Pearson coefficient G1):
///
/// g1 = √n Σ(x−x̄)³ / (Σ(x−x̄)²)^{3/2},  G1 = g1 √(n(n−1)) / (n−2).
///
/// Missing values are skipped; `NaN` with fewer than 3 values or zero variance.
/// Equals `scipy.stats.skew(x, bias=False)`.
pub fn skew(x: &[f64]) -> f64 {
    let v = available(x);
    let n = v.len() as f64;
    if v.len() < 3 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / n;
    let (m2, m3) = v.iter().fold((0.0, 0.0), |(a, b), x| {
        let d = x - m;
        (a + d * d, b + d * d * d)
    });
    if m2 == 0.0 {
        return f64::NAN;
    }
    let g1 = n.sqrt() * m3 / m2.powf(1.5);
    g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
}

/// Excess kurtosis as COINr's `kurt()`, which is e1071's `kurtosis(type = 2)`
/// and Excel's `KURT`:
///
/// r = n Σ(x−x̄)⁴ / (Σ(x−x̄)²)²,  G2 = ((n+1)(r−3) + 6)(n−1) / ((n−2)(n−3)).
///
/// Missing values are skipped; `NaN` with fewer than 4 values or zero variance.
/// Equals `scipy.stats.kurtosis(x, fisher=True, bias=False)`.
pub fn kurt(x: &[f64]) -> f64 {
    let v = available(x);
    let n = v.len() as f64;
    if v.len() < 4 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / n;
    let (m2, m4) = v.iter().fold((0.0, 0.0), |(a, b), x| {
        let d = x - m;
        (a + d * d, b + d * d * d * d)
    });
    if m2 == 0.0 {
        return f64::NAN;
    }
    let r = n * m4 / (m2 * m2);
    ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}

/// Quantile by linear interpolation between order statistics (Hyndman & Fan
/// type 7: R's default, `numpy.quantile`'s default): h = (n−1)p,
/// Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). Missing values are skipped;
/// `NaN` when none is left or `p` is outside [0, 1].
pub fn quantile(x: &[f64], p: f64) -> f64 {
    let mut v = available(x);
    if v.is_empty() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, p)
}

/// [`quantile`] on values already sorted ascending and all finite.
pub fn quantile_sorted(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Median (type-7 quantile at 0.5).
pub fn median(x: &[f64]) -> f64 {
    quantile(x, 0.5)
}

/// Relative tolerance under which two scores count as tied when ranking:
/// |a − b| ≤ 1e-9 · max(1, |a|, |b|). Scores that are equal on paper may differ
/// in the last bits after a weighted sum in another order.
pub const TIE_TOLERANCE: f64 = 1e-9;

pub(crate) fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE_TOLERANCE * 1f64.max(a.abs()).max(b.abs())
}

/// Ranks with 1 the best (the highest score) and ties sharing the smallest
/// rank ("min" or competition ranking: 1, 2, 2, 4), as docs/methods.md
/// (Conventions) prescribes.
/// Missing scores get no rank (`None`) and do not count.
///
/// ```
/// use weaver_evaluation::stats::rank_desc;
/// assert_eq!(rank_desc(&[3.0, 5.0, 3.0, 1.0, f64::NAN]),
///            vec![Some(2), Some(1), Some(2), Some(4), None]);
/// ```
pub fn rank_desc(scores: &[f64]) -> Vec<Option<usize>> {
    let mut idx: Vec<usize> = (0..scores.len())
        .filter(|&i| scores[i].is_finite())
        .collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut out = vec![None; scores.len()];
    let mut current = 0usize;
    for (pos, &i) in idx.iter().enumerate() {
        if pos == 0 || !tied(scores[idx[pos - 1]], scores[i]) {
            current = pos + 1;
        }
        out[i] = Some(current);
    }
    out
}

/// Pearson correlation of two equally long slices over the pairs where both
/// are available; `NaN` with fewer than 3 pairs or zero variance.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect();
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coinr_vignette_vector() {
        // COINr's outlier vignette: x = c(1:10, 30, 100). Reference values from
        // scipy.stats.skew(x, bias=False) and kurtosis(x, bias=False) (see
        // tests/fixtures/make_fixtures.py): 3.0632410342394993, 9.741390834569144.
        let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
        x.push(30.0);
        x.push(100.0);
        assert!(
            (skew(&x) - 3.063_241_034_239_499_3).abs() < 1e-12,
            "{}",
            skew(&x)
        );
        assert!(
            (kurt(&x) - 9.741_390_834_569_144).abs() < 1e-12,
            "{}",
            kurt(&x)
        );
    }

    #[test]
    fn degenerate_moments_are_nan() {
        assert!(skew(&[1.0, 2.0]).is_nan());
        assert!(kurt(&[1.0, 2.0, 3.0]).is_nan());
        assert!(skew(&[2.0; 5]).is_nan());
        assert!(mean(&[]).is_nan());
        assert!(var(&[1.0]).is_nan());
    }

    #[test]
    fn quantile_type7_matches_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.05, 0.5, 0.95]) = 1.2, 3, 8.8
        let x = [4.0, 1.0, 10.0, 3.0, 2.0];
        assert!((quantile(&x, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert!((quantile(&x, 0.95) - 8.8).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn ranks_are_competition_ranks() {
        assert_eq!(rank_desc(&[1.0, 1.0, 1.0]), vec![Some(1), Some(1), Some(1)]);
        assert_eq!(
            rank_desc(&[0.1 + 0.2, 0.3, 0.0]),
            vec![Some(1), Some(1), Some(3)]
        );
        assert!(rank_desc(&[]).is_empty());
    }

    #[test]
    fn pearson_hand_worked() {
        // x = 1,2,3; y = 2,4,7: r = 0.9933992677987828
        let r = pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]);
        assert!((r - 0.993_399_267_798_782_8).abs() < 1e-12);
    }
}
