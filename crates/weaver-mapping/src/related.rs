//! Related cluster categories from co-location: categories whose location
//! quotients rise and fall together across regions are related.

use crate::error::MappingError;

/// Pearson correlation between every pair of columns of a regions ×
/// categories matrix of location quotients.
///
/// r_ab = Σ_r (LQ_ra − LQ̄_a)(LQ_rb − LQ̄_b) / √(Σ_r (LQ_ra − LQ̄_a)² Σ_r (LQ_rb − LQ̄_b)²)
///
/// as `numpy.corrcoef(lq.T)`. The diagonal is 1 (NaN for a constant
/// column); a pair with a constant column is NaN.
///
/// # Arguments
/// * `lq` — row-major, `regions × categories`; use 0 for a category a region
///   lacks.
///
/// # Errors
/// [`MappingError::Shape`] when `lq.len() != regions * categories`.
///
/// # Example
/// ```
/// use weaver_mapping::related::lq_correlations;
/// let lq = [1.0, 2.0, 0.5,
///           2.0, 4.0, 0.2,
///           3.0, 6.5, 0.1];
/// let r = lq_correlations(&lq, 3, 3).unwrap();
/// assert!((r[1] - 0.9979487157886733).abs() < 1e-12);
/// assert_eq!(r[4], 1.0);
/// ```
///
/// # References
/// 1. M. Delgado, M. E. Porter and S. Stern (2016). Defining clusters of
///    related industries. *Journal of Economic Geography* 16(1):1–38
///    (co-location of employment as one measure of inter-industry links).
pub fn lq_correlations(
    lq: &[f64],
    regions: usize,
    categories: usize,
) -> Result<Vec<f64>, MappingError> {
    if lq.len() != regions * categories {
        return Err(MappingError::Shape {
            rows: regions,
            cols: categories,
            expected: regions * categories,
            found: lq.len(),
        });
    }
    let cols: Vec<Vec<f64>> = (0..categories)
        .map(|c| (0..regions).map(|r| lq[r * categories + c]).collect())
        .collect();
    let mut out = vec![f64::NAN; categories * categories];
    for a in 0..categories {
        for b in a..categories {
            let r = crate::stats::pearson(&cols[a], &cols[b]);
            let r = if a == b && !r.is_nan() { 1.0 } else { r };
            out[a * categories + b] = r;
            out[b * categories + a] = r;
        }
    }
    Ok(out)
}
