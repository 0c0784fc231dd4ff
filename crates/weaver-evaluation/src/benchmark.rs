//! Benchmarking: peers, distance to the frontier, trends.

use crate::data::{Matrix, Panel};
use crate::stats;

/// Change and compound annual growth rate between two values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    /// last − first.
    pub change: f64,
    /// (last/first)^{1/steps} − 1; `NaN` when first ≤ 0, last < 0 or steps = 0.
    pub cagr: f64,
}

/// The trend from `first` to `last` over `steps` periods.
///
/// ```
/// use weaver_evaluation::benchmark::trend;
/// let t = trend(100.0, 121.0, 2.0);
/// assert_eq!(t.change, 21.0);
/// assert!((t.cagr - 0.1).abs() < 1e-12);
/// ```
pub fn trend(first: f64, last: f64, steps: f64) -> Trend {
    let cagr = if first > 0.0 && last >= 0.0 && steps > 0.0 {
        (last / first).powf(1.0 / steps) - 1.0
    } else {
        f64::NAN
    };
    Trend {
        change: last - first,
        cagr,
    }
}

/// One row of [`indicator_trends`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    /// Unit index in the panel.
    pub unit: usize,
    /// Indicator index in the panel.
    pub indicator: usize,
    /// Index of the first period with a value.
    pub from: usize,
    /// Index of the last period with a value.
    pub to: usize,
    /// The trend, with steps = to − from (periods assumed equally spaced,
    /// e.g. years).
    pub trend: Trend,
}

/// Trend of every unit and indicator between its first and last period with
/// a value; pairs with fewer than two periods are left out.
pub fn indicator_trends(panel: &Panel) -> Vec<TrendRow> {
    let mut out = Vec::new();
    for u in 0..panel.units.len() {
        for i in 0..panel.indicators.len() {
            let avail: Vec<usize> = (0..panel.periods.len())
                .filter(|&p| panel.values[p].get(u, i).is_finite())
                .collect();
            if let (Some(&from), Some(&to)) = (avail.first(), avail.last())
                && to > from
            {
                out.push(TrendRow {
                    unit: u,
                    indicator: i,
                    from,
                    to,
                    trend: trend(
                        panel.values[from].get(u, i),
                        panel.values[to].get(u, i),
                        (to - from) as f64,
                    ),
                });
            }
        }
    }
    out
}

/// A unit's profile against its peers on each column (dimension or
/// indicator scores, higher is better).
#[derive(Debug, Clone, PartialEq)]
pub struct PeerProfile {
    /// The unit's value per column.
    pub value: Vec<f64>,
    /// Median of the peers (the unit included) per column.
    pub peer_median: Vec<f64>,
    /// Best value among the peers per column.
    pub best: Vec<f64>,
    /// Distance to the frontier: best − value (0 for the best).
    pub distance_to_frontier: Vec<f64>,
}

/// Profile of unit `u` against the units of `peers` (indices into the rows
/// of `scores`; the unit itself counts among its peers). Missing values are
/// skipped; a column without any value gives `NaN`.
///
/// ```
/// use weaver_evaluation::{Matrix, benchmark::peer_profile};
/// let s = Matrix::from_rows(&[vec![10.0], vec![40.0], vec![20.0], vec![90.0]]);
/// let p = peer_profile(&s, 0, &[0, 1, 2]);
/// assert_eq!(p.peer_median, vec![20.0]);
/// assert_eq!(p.best, vec![40.0]);
/// assert_eq!(p.distance_to_frontier, vec![30.0]);
/// ```
pub fn peer_profile(scores: &Matrix, u: usize, peers: &[usize]) -> PeerProfile {
    let mut value = Vec::with_capacity(scores.cols);
    let mut med = Vec::with_capacity(scores.cols);
    let mut best = Vec::with_capacity(scores.cols);
    let mut dist = Vec::with_capacity(scores.cols);
    for c in 0..scores.cols {
        let col: Vec<f64> = peers
            .iter()
            .filter(|&&r| r < scores.rows)
            .map(|&r| scores.get(r, c))
            .collect();
        let b = stats::available(&col)
            .into_iter()
            .fold(f64::NAN, |m, v| if m.is_nan() { v } else { m.max(v) });
        let v = scores.get(u, c);
        value.push(v);
        med.push(stats::median(&col));
        best.push(b);
        dist.push(b - v);
    }
    PeerProfile {
        value,
        peer_median: med,
        best,
        distance_to_frontier: dist,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, Indicator, Observation};

    #[test]
    fn trends_over_a_panel() {
        let obs: Vec<Observation> = [
            ("a", "2020", 100.0),
            ("a", "2022", 144.0),
            ("b", "2021", 5.0),
        ]
        .iter()
        .map(|(u, p, v)| Observation {
            unit: u.to_string(),
            indicator: "x".into(),
            period: p.to_string(),
            value: *v,
        })
        .collect();
        let panel =
            Panel::from_observations(vec![Indicator::new("x", Direction::HigherBetter)], &obs)
                .unwrap();
        let t = indicator_trends(&panel);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].from, t[0].to), (0, 2));
        assert!((t[0].trend.cagr - 0.2).abs() < 1e-12);
        assert!(trend(0.0, 5.0, 1.0).cagr.is_nan());
    }

    #[test]
    fn profile_with_missing() {
        let s = Matrix::from_rows(&[vec![f64::NAN], vec![f64::NAN]]);
        let p = peer_profile(&s, 0, &[0, 1]);
        assert!(p.best[0].is_nan() && p.peer_median[0].is_nan());
    }
}
