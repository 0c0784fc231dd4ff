//! The reference pipeline of one period: screening → imputation → outlier
//! treatment → normalisation → weighting → aggregation → ranks, every step
//! recorded.

use super::framework::Framework;
use super::kernel::Columns;
use crate::aggregate::{MeanError, copeland, topsis, weighted_mean};
use crate::data::{Matrix, Panel};
use crate::method::{Aggregation, Imputation, IndexMethod, Normalisation, Weighting};
use crate::normalise::normalise;
use crate::treat::{TreatmentAction, impute, impute_locf, treat_outliers};
use crate::weights::{
    AhpWeights, ahp_weights, benefit_of_the_doubt, entropy_weights, pca_weights, rescale,
};
use crate::{EvalError, stats};

/// Options of [`composite_index`] beyond the method.
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// Group of each unit (for `imputation = "group_mean"`), in the order of
    /// the panel's units.
    pub groups: Option<Vec<Option<usize>>>,
    /// Compute only this period (all when `None`).
    pub period: Option<String>,
}

/// Multiplicative perturbations of the weights (uncertainty analysis):
/// each indicator's and each dimension's weight is multiplied by its factor
/// before the weights are rescaled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeightFactors {
    /// One factor per framework indicator.
    pub indicators: Vec<f64>,
    /// One factor per dimension.
    pub dimensions: Vec<f64>,
}

/// The raw data of one period.
#[derive(Debug, Clone, Copy)]
pub struct PeriodInput<'a> {
    /// Period label.
    pub period: &'a str,
    /// Units × framework indicators, raw values (`NaN` missing).
    pub raw: &'a Matrix,
    /// Whether each unit has any observation in the period.
    pub present: &'a [bool],
    /// Unit ids (for messages).
    pub units: &'a [String],
}

/// The raw data of one period of a [`Panel`], owned, with the columns in the
/// order of a [`Framework`]'s indicators (an indicator the panel lacks is a
/// column of `NaN`): what the uncertainty and sensitivity analyses of that
/// period read, through [`PeriodData::as_input`].
///
/// ```
/// use weaver_evaluation::{Direction, Framework, Indicator, IndexMethod, Observation, Panel};
/// use weaver_evaluation::index::PeriodData;
/// let ind = vec![Indicator::new("x", Direction::HigherBetter), Indicator::new("y", Direction::HigherBetter)];
/// let obs = vec![Observation { unit: "a".into(), indicator: "y".into(), period: "2024".into(), value: 3.0 },
///                Observation { unit: "b".into(), indicator: "x".into(), period: "2024".into(), value: 1.0 }];
/// let panel = Panel::from_observations(ind, &obs).unwrap();
/// let framework = Framework::resolve(&panel.indicators, &IndexMethod::default()).unwrap();
/// let d = PeriodData::of(&panel, &framework, 0);
/// assert_eq!(d.raw.get(0, 1), 3.0);
/// assert!(d.raw.get(0, 0).is_nan());
/// assert_eq!(d.present, vec![true, true]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodData {
    /// Period label.
    pub period: String,
    /// Units × framework indicators, raw values (`NaN` missing).
    pub raw: Matrix,
    /// Whether each unit has any observation in the period.
    pub present: Vec<bool>,
    /// Unit ids.
    pub units: Vec<String>,
}

impl PeriodData {
    /// Period `p` (an index into `panel.periods`) of the panel, its columns
    /// in `framework`'s indicator order.
    pub fn of(panel: &Panel, framework: &Framework, p: usize) -> PeriodData {
        let m = &panel.values[p];
        let mut raw = Matrix::missing(m.rows, framework.indicators.len());
        for (k, ind) in framework.indicators.iter().enumerate() {
            if let Some(c) = panel.indicators.iter().position(|i| i.id == ind.id) {
                for r in 0..m.rows {
                    raw.set(r, k, m.get(r, c));
                }
            }
        }
        let present = (0..m.rows)
            .map(|r| m.row(r).iter().any(|v| v.is_finite()))
            .collect();
        PeriodData {
            period: panel.periods[p].clone(),
            raw,
            present,
            units: panel.units.clone(),
        }
    }

    /// The period as the analyses borrow it.
    pub fn as_input(&self) -> PeriodInput<'_> {
        PeriodInput {
            period: &self.period,
            raw: &self.raw,
            present: &self.present,
            units: &self.units,
        }
    }
}

/// What outlier treatment did to one indicator in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct TreatmentRecord {
    /// Indicator id.
    pub indicator: String,
    /// The action.
    pub action: TreatmentAction,
    /// Skewness before.
    pub skew: f64,
    /// Kurtosis before.
    pub kurtosis: f64,
}

/// The index of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodIndex {
    /// Period label.
    pub period: String,
    /// Whether each unit has at least one observation in the period.
    pub present: Vec<bool>,
    /// Index score per unit (`NaN`: not present, screened out or no data).
    pub scores: Vec<f64>,
    /// Rank per unit (1 best, ties share the smallest rank).
    pub ranks: Vec<Option<usize>>,
    /// Share of the framework's indicators available per unit.
    pub coverage: Vec<f64>,
    /// Normalised values, units × framework indicators.
    pub normalised: Matrix,
    /// Dimension scores, units × dimensions.
    pub dimension_scores: Matrix,
    /// Weight of each indicator within its dimension (`NaN` under benefit of
    /// the doubt, whose weights differ per unit).
    pub indicator_weights: Vec<f64>,
    /// Weight of each dimension in the index.
    pub dimension_weights: Vec<f64>,
    /// AHP results by node.
    pub ahp: Vec<(String, AhpWeights)>,
    /// Outlier treatment per indicator (empty when treatment is off).
    pub treatment: Vec<TreatmentRecord>,
    /// Number of values filled by imputation.
    pub imputed: usize,
    /// What the computation had to say (indicators left out, units screened).
    pub notices: Vec<String>,
}

impl PeriodIndex {
    /// TOPSIS as an alternative ranking of the period's units: the closeness
    /// coefficient (×100, [`topsis`]) of each unit's normalised indicators,
    /// each indicator weighted by its weight within its dimension times its
    /// dimension's weight in the index (so both rankings use the same
    /// weights), and the ranks of those coefficients (1 best, ties share the
    /// smallest rank). Missing values are left out of a unit's distances;
    /// units without a score in the index (absent, screened out) get `NaN`
    /// and no rank.
    ///
    /// # Errors
    /// [`EvalError::NotApplicable`] under benefit-of-the-doubt weighting,
    /// whose weights differ per unit.
    ///
    /// ```
    /// use weaver_evaluation::{composite_index, Direction, Indicator, IndexOptions, IndexMethod, Observation, Panel};
    /// let ind = vec![Indicator::new("x", Direction::HigherBetter), Indicator::new("y", Direction::HigherBetter)];
    /// let obs: Vec<Observation> = [("a", "x", 0.0), ("a", "y", 2.0), ("b", "x", 2.0), ("b", "y", 0.0), ("c", "x", 2.0), ("c", "y", 2.0)]
    ///     .iter().map(|(u, i, v)| Observation { unit: u.to_string(), indicator: i.to_string(), period: "2024".into(), value: *v }).collect();
    /// let panel = Panel::from_observations(ind, &obs).unwrap();
    /// let r = composite_index(&panel, &IndexMethod::default(), &IndexOptions::default()).unwrap();
    /// let (c, ranks) = r.periods[0].topsis(&r.framework).unwrap();
    /// // a and b lie at the same distance from the ideal (c) and the anti-ideal.
    /// assert!((c[0] - 50.0).abs() < 1e-12 && (c[1] - 50.0).abs() < 1e-12 && c[2] == 100.0);
    /// assert_eq!(ranks, vec![Some(2), Some(2), Some(1)]);
    /// ```
    pub fn topsis(
        &self,
        framework: &Framework,
    ) -> Result<(Vec<f64>, Vec<Option<usize>>), EvalError> {
        if self.indicator_weights.iter().any(|w| w.is_nan()) {
            return Err(EvalError::NotApplicable {
                method: "TOPSIS ranking".into(),
                problem: format!(
                    "period {}: the indicator weights differ per unit (benefit of the doubt); choose another weighting",
                    self.period
                ),
            });
        }
        let mut w = vec![0.0; framework.indicators.len()];
        for (d, dim) in framework.dimensions.iter().enumerate() {
            for &i in &dim.members {
                w[i] = self.indicator_weights[i] * self.dimension_weights[d];
            }
        }
        let mut x = self.normalised.clone();
        for r in 0..x.rows {
            if self.scores[r].is_nan() {
                for c in 0..x.cols {
                    x.set(r, c, f64::NAN);
                }
            }
        }
        let c = topsis(&x, &w);
        let ranks = stats::rank_desc(&c);
        Ok((c, ranks))
    }
}

/// The index over all periods, with the method that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexResult {
    /// Unit ids.
    pub units: Vec<String>,
    /// The resolved framework.
    pub framework: Framework,
    /// One result per period, in period order.
    pub periods: Vec<PeriodIndex>,
    /// The method used, with every choice explicit.
    pub method: IndexMethod,
}

impl IndexResult {
    /// The method as recorded with the result (a TOML method file).
    pub fn method_record(&self) -> String {
        self.method.to_toml()
    }
}

/// Computes the composite index of every period of a panel (each period
/// normalised on its own).
///
/// The panel's indicators are resolved against the method with
/// [`Framework::resolve`]; observations of indicators outside the framework
/// are ignored. See [`period_index`] for the steps.
///
/// # Errors
/// Those of [`Framework::resolve`] and [`period_index`];
/// [`EvalError::UnknownPeriod`] when `options.period` has no observations.
///
/// ```
/// use weaver_evaluation::{Direction, Indicator, Observation, Panel, IndexMethod, composite_index, IndexOptions};
/// let ind = vec![Indicator::new("x", Direction::HigherBetter), Indicator::new("y", Direction::LowerBetter)];
/// let obs: Vec<Observation> = [("a", "x", 1.0), ("a", "y", 1.0), ("b", "x", 3.0), ("b", "y", 5.0), ("c", "x", 2.0), ("c", "y", 3.0)]
///     .iter().map(|(u, i, v)| Observation { unit: u.to_string(), indicator: i.to_string(), period: "2024".into(), value: *v }).collect();
/// let panel = Panel::from_observations(ind, &obs).unwrap();
/// let r = composite_index(&panel, &IndexMethod::default(), &IndexOptions::default()).unwrap();
/// // Min-max: a = (0, 100), b = (100, 0), c = (50, 50): all score 50 and share rank 1.
/// assert_eq!(r.periods[0].scores, vec![50.0, 50.0, 50.0]);
/// assert_eq!(r.periods[0].ranks, vec![Some(1), Some(1), Some(1)]);
/// ```
pub fn composite_index(
    panel: &Panel,
    method: &IndexMethod,
    options: &IndexOptions,
) -> Result<IndexResult, EvalError> {
    let framework = Framework::resolve(&panel.indicators, method)?;
    // Map framework indicators to panel columns.
    let col_of: Vec<Option<usize>> = framework
        .indicators
        .iter()
        .map(|ind| panel.indicators.iter().position(|p| p.id == ind.id))
        .collect();
    let mut matrices: Vec<Matrix> = panel
        .values
        .iter()
        .map(|m| {
            let mut out = Matrix::missing(m.rows, framework.indicators.len());
            for (k, c) in col_of.iter().enumerate() {
                if let Some(c) = c {
                    for r in 0..m.rows {
                        out.set(r, k, m.get(r, *c));
                    }
                }
            }
            out
        })
        .collect();
    let present: Vec<Vec<bool>> = panel
        .values
        .iter()
        .map(|m| {
            (0..m.rows)
                .map(|r| m.row(r).iter().any(|v| v.is_finite()))
                .collect()
        })
        .collect();
    let mut locf_filled = vec![0usize; matrices.len()];
    if method.imputation == Imputation::Locf {
        let before: Vec<usize> = matrices
            .iter()
            .map(|m| m.data.iter().filter(|v| v.is_nan()).count())
            .collect();
        impute_locf(&mut matrices);
        for (k, m) in matrices.iter().enumerate() {
            locf_filled[k] = before[k] - m.data.iter().filter(|v| v.is_nan()).count();
        }
    }
    let wanted: Vec<usize> = match &options.period {
        Some(p) => vec![
            panel
                .period_index(p)
                .ok_or_else(|| EvalError::UnknownPeriod { period: p.clone() })?,
        ],
        None => (0..panel.periods.len()).collect(),
    };
    let mut periods = Vec::with_capacity(wanted.len());
    for p in wanted {
        let input = PeriodInput {
            period: &panel.periods[p],
            raw: &matrices[p],
            present: &present[p],
            units: &panel.units,
        };
        let mut r = period_index(&input, &framework, method, options.groups.as_deref(), None)?;
        r.imputed += locf_filled[p];
        periods.push(r);
    }
    Ok(IndexResult {
        units: panel.units.clone(),
        framework,
        periods,
        method: method.clone(),
    })
}

fn mean_error(
    e: MeanError,
    node: &str,
    unit: &str,
    child: &str,
    agg: Aggregation,
    period: &str,
) -> EvalError {
    let MeanError::NonPositive { value, .. } = e;
    EvalError::NotApplicable {
        method: format!("{} mean of {node}", agg.name()),
        problem: format!(
            "unit `{unit}`, `{child}` in period `{period}` is {value}, and the mean needs values > 0 (normalise to a positive range, e.g. minmax_range = [1, 100])"
        ),
    }
}

pub(super) fn node_weights(
    scheme: Weighting,
    node: &str,
    items: &[&str],
    manual: &[Option<f64>],
    values: &Matrix,
    method: &IndexMethod,
    ahp_out: &mut Vec<(String, AhpWeights)>,
) -> Result<Vec<f64>, EvalError> {
    let k = items.len();
    if k == 1 && !matches!(scheme, Weighting::Manual) {
        return Ok(vec![1.0]);
    }
    match scheme {
        Weighting::Equal => Ok(vec![1.0 / k as f64; k]),
        Weighting::Manual => {
            let w: Vec<f64> = items
                .iter()
                .zip(manual)
                .map(|(id, w)| {
                    w.ok_or_else(|| EvalError::MissingParameter {
                        what: format!("manual weighting of {node}"),
                        key: format!("weight of `{id}`"),
                    })
                })
                .collect::<Result<_, _>>()?;
            rescale(&w, node)
        }
        Weighting::Entropy => entropy_weights(values, node),
        Weighting::Pca => pca_weights(values, node),
        Weighting::Ahp => {
            let spec = method
                .ahp
                .get(node)
                .ok_or_else(|| EvalError::MissingParameter {
                    what: format!("AHP weighting of {node}"),
                    key: format!("ahp.{node}"),
                })?;
            let mut order = Vec::with_capacity(k);
            for id in items {
                let i = spec.items.iter().position(|s| s == id).ok_or_else(|| {
                    EvalError::AhpMatrix {
                        node: node.into(),
                        problem: format!("`{id}` is not among its items"),
                    }
                })?;
                order.push(i);
            }
            if spec.items.len() != k {
                return Err(EvalError::AhpMatrix {
                    node: node.into(),
                    problem: format!(
                        "{} items given, the node has {k}: {}",
                        spec.items.len(),
                        items.join(", ")
                    ),
                });
            }
            let r = ahp_weights(&spec.matrix, spec.force, node)?;
            let w = order.iter().map(|&i| r.weights[i]).collect();
            ahp_out.push((node.to_owned(), r));
            Ok(w)
        }
        Weighting::Bod => Ok(vec![f64::NAN; k]),
    }
}

/// Computes the index of one period from its raw units × indicators matrix
/// (columns in the order of `framework.indicators`).
///
/// Steps, each recorded:
/// 1. screening: indicators available for fewer than
///    `min_indicator_availability` of the present units are left out;
/// 2. imputation (`mean`, `median`, `group_mean`; LOCF is done on the panel);
/// 3. outlier treatment ([`treat_outliers`]) when enabled;
/// 4. normalisation of each indicator ([`normalise`]); a constant indicator
///    has no min-max/z-score/target value and is left out;
/// 5. coverage = share of the framework's indicators available per unit;
///    units below `min_unit_coverage` get no score;
/// 6. weights within each dimension, computed among its indicators
///    (equal, manual, entropy, AHP, PCA; benefit of the doubt solves a linear
///    programme per unit instead), optionally perturbed by `factors`;
/// 7. aggregation of each dimension and then of the dimensions: a missing
///    value is left out of its unit's aggregate and the remaining weights are
///    rescaled;
/// 8. ranks (1 best, ties share the smallest rank).
///
/// # Errors
/// A method that cannot be applied to these values (e.g. a geometric mean of
/// a zero) is an error naming the unit, the indicator or dimension and the
/// period; so are missing parameters (manual weights, AHP matrices, targets).
pub fn period_index(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    groups: Option<&[Option<usize>]>,
    factors: Option<&WeightFactors>,
) -> Result<PeriodIndex, EvalError> {
    let prepared = prepare(input, framework, method, groups)?;
    finish(input, framework, method, &prepared, factors, true)
}

/// Steps 1–5 of [`period_index`]: the normalised values of the present
/// units, their coverage and screening.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(super) rows: Vec<usize>,
    pub(super) z: Matrix,
    /// ln of `z`, computed on first use by a geometric aggregation.
    pub(super) ln_z: std::sync::OnceLock<Matrix>,
    /// Column-major copies for the Monte Carlo runs, made on first use.
    pub(super) columns: std::sync::OnceLock<Columns>,
    coverage: Vec<f64>,
    pub(super) screened: Vec<bool>,
    notices: Vec<String>,
    treatment: Vec<TreatmentRecord>,
    imputed: usize,
}

impl Prepared {
    /// Whether every unit that is not screened out has every value (the
    /// Monte Carlo runs then add whole columns).
    #[cfg(test)]
    pub(crate) fn is_complete(&self) -> bool {
        self.columns.get_or_init(|| Columns::new(self)).complete
    }
}

/// Steps 1–5 of [`period_index`] (screening, imputation, treatment,
/// normalisation, coverage).
pub(crate) fn prepare(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    groups: Option<&[Option<usize>]>,
) -> Result<Prepared, EvalError> {
    let PeriodInput {
        period,
        raw,
        present,
        units,
    } = *input;
    let n_units = raw.rows;
    let n_ind = framework.indicators.len();
    let mut notices = Vec::new();
    let rows: Vec<usize> = (0..n_units).filter(|&r| present[r]).collect();
    let mut x = Matrix::missing(rows.len(), n_ind);
    for (k, &r) in rows.iter().enumerate() {
        for c in 0..n_ind {
            x.set(k, c, raw.get(r, c));
        }
    }
    let np = rows.len();
    // 1. screening of indicators
    if method.screening.min_indicator_availability > 0.0 && np > 0 {
        for c in 0..n_ind {
            let avail = (0..np).filter(|&r| x.get(r, c).is_finite()).count();
            let share = avail as f64 / np as f64;
            if share < method.screening.min_indicator_availability {
                notices.push(format!(
                    "period {period}: indicator `{}` available for {avail} of {np} units, below the screening threshold: left out",
                    framework.indicators[c].id
                ));
                for r in 0..np {
                    x.set(r, c, f64::NAN);
                }
            }
        }
    }
    // 2. imputation
    let sub_groups: Option<Vec<Option<usize>>> =
        groups.map(|g| rows.iter().map(|&r| g.get(r).copied().flatten()).collect());
    if method.imputation == Imputation::GroupMean && sub_groups.is_none() {
        return Err(EvalError::MissingParameter {
            what: "imputation = \"group_mean\"".into(),
            key: "a group for each unit".into(),
        });
    }
    let imputed = impute(&mut x, method.imputation, sub_groups.as_deref());
    // 3. treatment
    let mut treatment = Vec::new();
    if method.treatment.enabled {
        for c in 0..n_ind {
            let t = treat_outliers(&x.column(c), &method.treatment);
            x.set_column(c, &t.values);
            treatment.push(TreatmentRecord {
                indicator: framework.indicators[c].id.clone(),
                action: t.action,
                skew: t.skew_before,
                kurtosis: t.kurt_before,
            });
        }
    }
    // 4. normalisation
    let mut z = Matrix::missing(np, n_ind);
    for c in 0..n_ind {
        let ind = &framework.indicators[c];
        let col = x.column(c);
        let out = normalise(
            &col,
            ind.direction,
            method.normalisation,
            framework.goals[c],
            &ind.id,
        )?;
        if col.iter().any(|v| v.is_finite()) && out.iter().all(|v| v.is_nan()) {
            notices.push(format!(
                "period {period}: indicator `{}` does not vary: left out",
                ind.id
            ));
        }
        z.set_column(c, &out);
    }
    // 5. coverage and unit screening
    let mut coverage = vec![0.0; np];
    let mut screened = vec![false; np];
    for r in 0..np {
        let a = z.row(r).iter().filter(|v| v.is_finite()).count();
        coverage[r] = a as f64 / n_ind as f64;
        if a == 0 || coverage[r] < method.screening.min_unit_coverage {
            screened[r] = true;
            if a > 0 {
                notices.push(format!(
                    "period {period}: unit `{}` has coverage {:.3}, below the screening threshold: no score",
                    units.get(rows[r]).map_or("?", String::as_str),
                    coverage[r]
                ));
            }
            for c in 0..n_ind {
                z.set(r, c, f64::NAN);
            }
        }
    }
    Ok(Prepared {
        rows,
        z,
        ln_z: std::sync::OnceLock::new(),
        columns: std::sync::OnceLock::new(),
        coverage,
        screened,
        notices,
        treatment,
        imputed,
    })
}

/// Steps 6–8 of [`period_index`] (weights, aggregation, ranks) on prepared
/// values, with optional weight perturbations.
pub(crate) fn finish(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    prepared: &Prepared,
    factors: Option<&WeightFactors>,
    full: bool,
) -> Result<PeriodIndex, EvalError> {
    let PeriodInput {
        period,
        raw,
        present,
        units,
    } = *input;
    let n_units = raw.rows;
    let n_ind = framework.indicators.len();
    let Prepared {
        rows,
        z,
        ln_z,
        coverage,
        screened,
        notices,
        treatment,
        imputed,
        ..
    } = prepared;
    let (rows, z, coverage, screened, treatment, imputed) =
        (rows, z, coverage, screened, treatment.clone(), *imputed);
    let mut notices = notices.clone();
    let np = rows.len();
    let unit_name = |k: usize| {
        units
            .get(rows[k])
            .cloned()
            .unwrap_or_else(|| format!("#{}", rows[k]))
    };
    // 6-7. dimensions
    let n_dim = framework.dimensions.len();
    let mut dim_scores = Matrix::missing(np, n_dim);
    // ln of the geometric dimensions' scores, kept so that a geometric
    // index aggregates them without exp followed by ln.
    let mut dim_logs = Matrix::missing(np, n_dim);
    let mut ind_weights = vec![f64::NAN; n_ind];
    let mut ahp = Vec::new();
    for (d, dim) in framework.dimensions.iter().enumerate() {
        // The sub-matrix is only needed by data-driven weights and by the
        // aggregations that compare units; the means read `z` directly.
        let needs_sub = matches!(
            method.weighting,
            Weighting::Entropy | Weighting::Pca | Weighting::Bod
        ) || matches!(dim.aggregation, Aggregation::Copeland | Aggregation::Topsis);
        let sub = if needs_sub {
            z.select_columns(&dim.members)
        } else {
            Matrix::missing(0, dim.members.len())
        };
        let items: Vec<&str> = dim
            .members
            .iter()
            .map(|&i| framework.indicators[i].id.as_str())
            .collect();
        let manual: Vec<Option<f64>> = dim
            .members
            .iter()
            .map(|&i| framework.indicators[i].weight)
            .collect();
        let node = dim.id.as_str();
        if method.weighting == Weighting::Bod {
            let (s, _) = benefit_of_the_doubt(&sub, node, method.bod_bounds)?;
            for (r, v) in s.iter().enumerate() {
                dim_scores.set(r, d, 100.0 * v);
            }
            continue;
        }
        let mut w = if matches!(method.weighting, Weighting::Entropy | Weighting::Pca) {
            // Data-driven weights among the indicators with data; the others
            // (no values, or left out above) get weight 0.
            let usable: Vec<usize> = (0..sub.cols)
                .filter(|&c| (0..sub.rows).filter(|&r| sub.get(r, c).is_finite()).count() >= 2)
                .collect();
            let mut w = vec![0.0; sub.cols];
            if !usable.is_empty() {
                let us = sub.select_columns(&usable);
                let uitems: Vec<&str> = usable.iter().map(|&c| items[c]).collect();
                let uw = node_weights(
                    method.weighting,
                    node,
                    &uitems,
                    &manual,
                    &us,
                    method,
                    &mut ahp,
                )?;
                for (k, &c) in usable.iter().enumerate() {
                    w[c] = uw[k];
                }
            }
            for c in 0..sub.cols {
                if !usable.contains(&c) {
                    notices.push(format!(
                        "period {period}: indicator `{}` has fewer than 2 values: weight 0 in {} weighting",
                        items[c],
                        method.weighting.name()
                    ));
                }
            }
            w
        } else {
            node_weights(
                method.weighting,
                node,
                &items,
                &manual,
                &sub,
                method,
                &mut ahp,
            )?
        };
        if let Some(f) = factors
            && w.iter().any(|v| *v > 0.0)
        {
            for (k, &i) in dim.members.iter().enumerate() {
                w[k] *= f.indicators.get(i).copied().unwrap_or(1.0);
            }
            w = rescale(&w, node)?;
        }
        for (k, &i) in dim.members.iter().enumerate() {
            ind_weights[i] = w[k];
        }
        if dim.aggregation == Aggregation::Geometric {
            // Same sums as `weighted_mean`, in the same order, on logarithms
            // computed once per prepared data set.
            let lz = ln_z.get_or_init(|| Matrix {
                rows: z.rows,
                cols: z.cols,
                data: z.data.iter().map(|v| v.ln()).collect(),
            });
            for r in 0..np {
                let (mut sw, mut acc) = (0.0, 0.0);
                for (k, &i) in dim.members.iter().enumerate() {
                    let (v, wk) = (z.get(r, i), w[k]);
                    if !v.is_finite() || !(wk > 0.0) {
                        continue;
                    }
                    if v <= 0.0 {
                        return Err(mean_error(
                            MeanError::NonPositive { child: k, value: v },
                            node,
                            &unit_name(r),
                            items[k],
                            Aggregation::Geometric,
                            period,
                        ));
                    }
                    sw += wk;
                    acc += wk * lz.get(r, i);
                }
                dim_scores.set(
                    r,
                    d,
                    if sw == 0.0 {
                        f64::NAN
                    } else {
                        (acc / sw).exp()
                    },
                );
                dim_logs.set(r, d, if sw == 0.0 { f64::NAN } else { acc / sw });
            }
            continue;
        }
        if needs_sub {
            let col = aggregate_node(&sub, &w, dim.aggregation, node, &items, period, &unit_name)?;
            dim_scores.set_column(d, &col);
        } else {
            let mut buf = vec![0.0; dim.members.len()];
            for r in 0..np {
                for (k, &i) in dim.members.iter().enumerate() {
                    buf[k] = z.get(r, i);
                }
                let v = weighted_mean(&buf, &w, dim.aggregation).map_err(|e| {
                    let MeanError::NonPositive { child, .. } = e;
                    mean_error(
                        e,
                        node,
                        &unit_name(r),
                        items[child],
                        dim.aggregation,
                        period,
                    )
                })?;
                dim_scores.set(r, d, v);
            }
        }
    }
    let dim_ids: Vec<&str> = framework.dimensions.iter().map(|d| d.id.as_str()).collect();
    let dim_manual: Vec<Option<f64>> = framework.dimensions.iter().map(|d| d.weight).collect();
    let mut dw = node_weights(
        method.dimension_weighting,
        "index",
        &dim_ids,
        &dim_manual,
        &dim_scores,
        method,
        &mut ahp,
    )?;
    if let Some(f) = factors {
        for (k, w) in dw.iter_mut().enumerate() {
            *w *= f.dimensions.get(k).copied().unwrap_or(1.0);
        }
        dw = rescale(&dw, "index")?;
    }
    let sub_scores = if method.index_aggregation == Aggregation::Geometric {
        geometric_index(&dim_scores, &dim_logs, &dw, &dim_ids, period, &unit_name)?
    } else {
        aggregate_node(
            &dim_scores,
            &dw,
            method.index_aggregation,
            "index",
            &dim_ids,
            period,
            &unit_name,
        )?
    };
    // 8. back to all units, ranks
    let mut scores = vec![f64::NAN; n_units];
    let mut cov = vec![0.0; n_units];
    // Without `full` (Monte Carlo runs need only the ranks) the matrices
    // are left empty.
    let (mr, mi, md) = if full {
        (n_units, n_ind, n_dim)
    } else {
        (0, 0, 0)
    };
    let mut normalised = Matrix::missing(mr, mi);
    let mut dscores = Matrix::missing(mr, md);
    for (k, &r) in rows.iter().enumerate() {
        scores[r] = if screened[k] { f64::NAN } else { sub_scores[k] };
        cov[r] = coverage[k];
        if full {
            for c in 0..n_ind {
                normalised.set(r, c, z.get(k, c));
            }
            for d in 0..n_dim {
                dscores.set(r, d, dim_scores.get(k, d));
            }
        }
    }
    let ranks = stats::rank_desc(&scores);
    Ok(PeriodIndex {
        period: period.to_owned(),
        present: present.to_vec(),
        scores,
        ranks,
        coverage: cov,
        normalised,
        dimension_scores: dscores,
        indicator_weights: ind_weights,
        dimension_weights: dw,
        ahp,
        treatment,
        imputed,
        notices,
    })
}

/// The weighted geometric mean of the dimension scores, as
/// [`weighted_mean`] computes it, except that a geometric dimension's
/// logarithm is taken from `logs` (where finite) rather than recomputed
/// from its exponential.
fn geometric_index(
    scores: &Matrix,
    logs: &Matrix,
    w: &[f64],
    dim_ids: &[&str],
    period: &str,
    unit_name: &dyn Fn(usize) -> String,
) -> Result<Vec<f64>, EvalError> {
    (0..scores.rows)
        .map(|r| {
            let (mut sw, mut acc) = (0.0, 0.0);
            for (d, &wk) in w.iter().enumerate().take(scores.cols) {
                if !(wk > 0.0) {
                    continue;
                }
                let y = logs.get(r, d);
                let term = if y.is_finite() {
                    y
                } else {
                    let v = scores.get(r, d);
                    if !v.is_finite() {
                        continue;
                    }
                    if v <= 0.0 {
                        return Err(mean_error(
                            MeanError::NonPositive { child: d, value: v },
                            "index",
                            &unit_name(r),
                            dim_ids[d],
                            Aggregation::Geometric,
                            period,
                        ));
                    }
                    v.ln()
                };
                sw += wk;
                acc += wk * term;
            }
            Ok(if sw == 0.0 {
                f64::NAN
            } else {
                (acc / sw).exp()
            })
        })
        .collect()
}

fn aggregate_node(
    sub: &Matrix,
    w: &[f64],
    agg: Aggregation,
    node: &str,
    items: &[&str],
    period: &str,
    unit_name: &dyn Fn(usize) -> String,
) -> Result<Vec<f64>, EvalError> {
    match agg {
        Aggregation::Copeland => Ok(copeland(sub, w)),
        Aggregation::Topsis => Ok(topsis(sub, w)),
        _ => (0..sub.rows)
            .map(|r| {
                weighted_mean(sub.row(r), w, agg).map_err(|e| {
                    let MeanError::NonPositive { child, .. } = e;
                    mean_error(e, node, &unit_name(r), items[child], agg, period)
                })
            })
            .collect(),
    }
}

/// Keeps the normalisation kind but reports whether it yields non-negative
/// values (needed by benefit of the doubt and geometric/harmonic means).
pub fn is_non_negative(n: Normalisation) -> bool {
    match n {
        Normalisation::MinMax { lo, .. } => lo >= 0.0,
        Normalisation::ZScore { .. } => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Direction;
    use crate::data::Indicator;

    #[test]
    fn geometric_index_from_logs_equals_geometric_mean_of_dimensions() {
        // Two geometric dimensions and one arithmetic one under a geometric
        // index: the index must be the weighted geometric mean of the
        // reported dimension scores.
        let raw = Matrix::from_rows(&[
            vec![3.0, 9.0, 2.0, 5.0, 1.0],
            vec![1.0, 4.0, 7.0, 2.0, 8.0],
            vec![6.0, 1.0, 3.0, f64::NAN, 4.0],
            vec![2.0, 5.0, 9.0, 7.0, 2.0],
        ]);
        let inds: Vec<Indicator> = (0..5)
            .map(|c| {
                let mut i = Indicator::new(&format!("i{c}"), Direction::HigherBetter);
                i.dimension = Some(["a", "a", "b", "b", "c"][c].into());
                i
            })
            .collect();
        let method = IndexMethod::from_toml(
            "[method]\nminmax_range = [1, 100]\naggregation = \"geometric\"\n\
             [[dimensions]]\nid = \"a\"\n[[dimensions]]\nid = \"b\"\n\
             [[dimensions]]\nid = \"c\"\naggregation = \"arithmetic\"\n",
        )
        .unwrap();
        let fw = Framework::resolve(&inds, &method).unwrap();
        assert_eq!(fw.dimensions[2].aggregation, Aggregation::Arithmetic);
        let units: Vec<String> = (0..4).map(|u| u.to_string()).collect();
        let present = vec![true; 4];
        let input = PeriodInput {
            period: "p",
            raw: &raw,
            present: &present,
            units: &units,
        };
        let r = period_index(&input, &fw, &method, None, None).unwrap();
        for u in 0..4 {
            let want = weighted_mean(
                r.dimension_scores.row(u),
                &r.dimension_weights,
                Aggregation::Geometric,
            )
            .unwrap();
            assert!(
                (r.scores[u] - want).abs() <= 1e-12 * want,
                "unit {u}: {} vs {want}",
                r.scores[u]
            );
        }
    }
}
