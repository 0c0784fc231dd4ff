//! Method descriptions: how an index is built, as data.
//!
//! A method is read from TOML (a string: the engine reads no files). The
//! smallest method file is
//!
//! ```toml
//! [method]
//! normalisation = "minmax"   # zscore, rank, percentile, target, goalposts
//! weighting = "entropy"      # equal, manual, ahp, pca, bod
//! # bod_bounds = [0.1, 0.5]  # with bod: each indicator's share of a unit's score
//! aggregation = "arithmetic" # geometric, harmonic, generalised, copeland, topsis
//! ```
//!
//! and the full form adds the framework tree (`[[dimensions]]`,
//! `[[indicators]]`), AHP judgements (`[ahp.<node>]`) and the data treatment.
//! Every key has a documented default; [`IndexMethod::to_toml`] writes the resolved
//! method back with every choice explicit, and that text is recorded with
//! each result.
//!
//! ```
//! use weaver_evaluation::method::{IndexMethod, Normalisation, Weighting};
//! let m = IndexMethod::from_toml("[method]\nnormalisation = \"zscore\"\nweighting = \"entropy\"").unwrap();
//! assert_eq!(m.normalisation, Normalisation::ZScore { mean: 0.0, sd: 1.0 });
//! assert_eq!(m.weighting, Weighting::Entropy);
//! // The record is itself a method file that gives the same method back.
//! assert_eq!(IndexMethod::from_toml(&m.to_toml()).unwrap(), m);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::EvalError;
use crate::data::Direction;

/// How raw values are put on a common scale (per period, per indicator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Normalisation {
    /// Min-max to [lo, hi]: (x − min)/(max − min)·(hi − lo) + lo.
    MinMax {
        /// Value of the worst unit.
        lo: f64,
        /// Value of the best unit.
        hi: f64,
    },
    /// z-score rescaled to the given mean and standard deviation:
    /// (x − x̄)/s·sd + mean, with s the sample standard deviation.
    ZScore {
        /// Mean of the result.
        mean: f64,
        /// Standard deviation of the result.
        sd: f64,
    },
    /// Rank of the value among the units, 1 the worst (ties take the smallest).
    Rank,
    /// Percentile rank in [0, 100]: 100·#{j: x_j < x_i}/(n − 1).
    Percentile,
    /// Distance to target: 100·(x − min)/(target − min), capped at 100.
    Target,
    /// Goalposts: 100·(x − low)/(high − low) clipped to [0, 100].
    Goalposts,
}

impl Normalisation {
    /// The method-file name.
    pub fn name(&self) -> &'static str {
        match self {
            Normalisation::MinMax { .. } => "minmax",
            Normalisation::ZScore { .. } => "zscore",
            Normalisation::Rank => "rank",
            Normalisation::Percentile => "percentile",
            Normalisation::Target => "target",
            Normalisation::Goalposts => "goalposts",
        }
    }
}

/// How weights are set among the indicators of each dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    /// 1/k for k indicators.
    Equal,
    /// The `weight` of each indicator, rescaled to sum to one.
    Manual,
    /// Entropy weights (熵权法) on min-max values.
    Entropy,
    /// Principal eigenvector of an AHP pairwise matrix `[ahp.<dimension>]`.
    Ahp,
    /// Squared loadings of the first principal component.
    Pca,
    /// Benefit of the doubt: each unit's own best weights (a linear programme).
    Bod,
}

impl Weighting {
    /// The method-file name.
    pub fn name(&self) -> &'static str {
        match self {
            Weighting::Equal => "equal",
            Weighting::Manual => "manual",
            Weighting::Entropy => "entropy",
            Weighting::Ahp => "ahp",
            Weighting::Pca => "pca",
            Weighting::Bod => "bod",
        }
    }
    fn parse(key: &str, s: &str) -> Result<Weighting, EvalError> {
        Ok(match s {
            "equal" => Weighting::Equal,
            "manual" => Weighting::Manual,
            "entropy" => Weighting::Entropy,
            "ahp" => Weighting::Ahp,
            "pca" => Weighting::Pca,
            "bod" => Weighting::Bod,
            _ => return Err(bad(key, s, "equal, manual, entropy, ahp, pca or bod")),
        })
    }
}

/// How the children of a node are combined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aggregation {
    /// Σ w x / Σ w.
    Arithmetic,
    /// Π x^{w/Σw}; needs x > 0.
    Geometric,
    /// Σ w / Σ (w/x); needs x > 0.
    Harmonic,
    /// (Σ w x^p / Σ w)^{1/p}; needs x > 0 for p ≤ 0.
    Generalised {
        /// The power p (≠ 0).
        p: f64,
    },
    /// Copeland outranking: +1 per unit beaten, −1 per unit lost to.
    Copeland,
    /// TOPSIS closeness to the ideal, ×100.
    Topsis,
}

impl Aggregation {
    /// The method-file name.
    pub fn name(&self) -> &'static str {
        match self {
            Aggregation::Arithmetic => "arithmetic",
            Aggregation::Geometric => "geometric",
            Aggregation::Harmonic => "harmonic",
            Aggregation::Generalised { .. } => "generalised",
            Aggregation::Copeland => "copeland",
            Aggregation::Topsis => "topsis",
        }
    }
    fn parse(key: &str, s: &str, power: Option<f64>) -> Result<Aggregation, EvalError> {
        Ok(match s {
            "arithmetic" => Aggregation::Arithmetic,
            "geometric" => Aggregation::Geometric,
            "harmonic" => Aggregation::Harmonic,
            "generalised" | "generalized" => {
                let p = power.ok_or_else(|| EvalError::MissingParameter {
                    what: format!("`{key}` = \"generalised\""),
                    key: "method.power".into(),
                })?;
                if !p.is_finite() || p == 0.0 {
                    return Err(bad(
                        "method.power",
                        &p.to_string(),
                        "a finite non-zero number (use geometric for p = 0)",
                    ));
                }
                Aggregation::Generalised { p }
            }
            "copeland" => Aggregation::Copeland,
            "topsis" => Aggregation::Topsis,
            _ => {
                return Err(bad(
                    key,
                    s,
                    "arithmetic, geometric, harmonic, generalised, copeland or topsis",
                ));
            }
        })
    }
}

/// How missing values are filled before normalisation (never by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imputation {
    /// Missing values stay missing and are left out of the aggregate.
    None,
    /// The indicator's mean over the units of the period.
    Mean,
    /// The indicator's median over the units of the period.
    Median,
    /// The indicator's mean over the units of the same group (needs groups).
    GroupMean,
    /// Last observation carried forward from earlier periods of the panel.
    Locf,
}

impl Imputation {
    /// The method-file name.
    pub fn name(&self) -> &'static str {
        match self {
            Imputation::None => "none",
            Imputation::Mean => "mean",
            Imputation::Median => "median",
            Imputation::GroupMean => "group_mean",
            Imputation::Locf => "locf",
        }
    }
}

/// Outlier treatment as COINr's `Treat()` default: an indicator fails when
/// |skewness| ≥ `skew_threshold` and kurtosis ≥ `kurtosis_threshold`; it is
/// winsorised up to `winsor_max` points and, if it still fails, the original
/// values are log-transformed instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Treatment {
    /// Whether treatment is applied at all.
    pub enabled: bool,
    /// Most points to winsorise per indicator (COINr `winmax`, default 5).
    pub winsor_max: usize,
    /// Absolute skewness threshold (default 2).
    pub skew_threshold: f64,
    /// Excess kurtosis threshold (default 3.5).
    pub kurtosis_threshold: f64,
}

impl Default for Treatment {
    fn default() -> Self {
        Treatment {
            enabled: false,
            winsor_max: 5,
            skew_threshold: 2.0,
            kurtosis_threshold: 3.5,
        }
    }
}

/// Screening by data availability.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Screening {
    /// Indicators available for a smaller share of the period's units are
    /// left out of that period (0 keeps all).
    pub min_indicator_availability: f64,
    /// Units with a smaller share of indicators available get no score
    /// (0 keeps all).
    pub min_unit_coverage: f64,
}

/// A dimension (pillar) of the framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Weight among dimensions (used by `dimension_weighting = "manual"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Aggregation of this dimension's indicators, overriding `method.aggregation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<String>,
    /// Indicator ids of the dimension; when empty, indicators name their dimension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
}

/// Per-indicator settings of a method file; they override the indicators file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Indicator id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unit of the indicator's values (documentation: the engine does not
    /// convert units, so the data must be in this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Dimension id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// Manual weight within the dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Target for `normalisation = "target"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// `[low, high]` for `normalisation = "goalposts"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goalposts: Option<[f64; 2]>,
}

/// AHP judgements for one node: `items` are the ids compared (indicators of
/// a dimension, or dimensions for the node `index`), `matrix[i][j]` how much
/// more important item i is than item j on Saaty's 1–9 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AhpSpec {
    /// Ids compared, in the order of the matrix rows.
    pub items: Vec<String>,
    /// The pairwise comparison matrix.
    pub matrix: Vec<Vec<f64>>,
    /// Accept a consistency ratio ≥ 0.1.
    #[serde(default)]
    pub force: bool,
}

/// A resolved method: every choice explicit.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexMethod {
    /// Name of the method or framework.
    pub name: String,
    /// Normalisation of every indicator.
    pub normalisation: Normalisation,
    /// Weighting among the indicators of each dimension.
    pub weighting: Weighting,
    /// Benefit of the doubt only: bounds [lower, upper] on each indicator's
    /// share of a unit's dimension score (`bod_bounds` in the method file;
    /// see [`crate::weights::benefit_of_the_doubt`]). `None`: unrestricted.
    pub bod_bounds: Option<[f64; 2]>,
    /// Weighting among dimensions: equal, manual (dimension `weight`) or ahp
    /// (`[ahp.index]`).
    pub dimension_weighting: Weighting,
    /// Aggregation of indicators into dimensions (unless a dimension overrides it).
    pub aggregation: Aggregation,
    /// Aggregation of dimensions into the index.
    pub index_aggregation: Aggregation,
    /// The power p of generalised means, when some node uses one.
    pub power: Option<f64>,
    /// Imputation of missing values.
    pub imputation: Imputation,
    /// Outlier treatment.
    pub treatment: Treatment,
    /// Screening by data availability.
    pub screening: Screening,
    /// The dimensions, in order; empty means "as the indicators say".
    pub dimensions: Vec<DimensionSpec>,
    /// Indicator settings overriding the indicators file.
    pub indicators: Vec<IndicatorSpec>,
    /// AHP judgements by node id (`index` for the dimensions).
    pub ahp: BTreeMap<String, AhpSpec>,
}

impl Default for IndexMethod {
    /// Min-max to [0, 100], equal weights within and across dimensions,
    /// arithmetic mean, no imputation, no treatment, no screening.
    fn default() -> Self {
        IndexMethod {
            name: "default".into(),
            normalisation: Normalisation::MinMax { lo: 0.0, hi: 100.0 },
            weighting: Weighting::Equal,
            bod_bounds: None,
            dimension_weighting: Weighting::Equal,
            aggregation: Aggregation::Arithmetic,
            index_aggregation: Aggregation::Arithmetic,
            power: None,
            imputation: Imputation::None,
            treatment: Treatment::default(),
            screening: Screening::default(),
            dimensions: Vec::new(),
            indicators: Vec::new(),
            ahp: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethodTable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    normalisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minmax_range: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zscore: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weighting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bod_bounds: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dimension_weighting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    aggregation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index_aggregation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    power: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    imputation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    treatment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    winsor_max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skew_threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kurtosis_threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_indicator_availability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_unit_coverage: Option<f64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    #[serde(default)]
    method: RawMethodTable,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dimensions: Vec<DimensionSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    indicators: Vec<IndicatorSpec>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    ahp: BTreeMap<String, AhpSpec>,
}

fn bad(key: &str, value: &str, expected: &str) -> EvalError {
    EvalError::MethodValue {
        key: key.into(),
        value: value.into(),
        expected: expected.into(),
    }
}

fn finite(key: &str, v: f64) -> Result<f64, EvalError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(bad(key, &v.to_string(), "a finite number"))
    }
}

fn share(key: &str, v: Option<f64>) -> Result<f64, EvalError> {
    let v = v.unwrap_or(0.0);
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(bad(key, &v.to_string(), "a share between 0 and 1"))
    }
}

impl IndexMethod {
    /// Parses a method description.
    ///
    /// # Errors
    /// [`EvalError::MethodSyntax`] for TOML errors and unknown keys (with
    /// line and column), [`EvalError::MethodValue`] for a value that is not
    /// allowed, [`EvalError::MissingParameter`] when a choice needs a
    /// parameter that is not there (e.g. `generalised` without `power`).
    pub fn from_toml(text: &str) -> Result<IndexMethod, EvalError> {
        let raw: RawMethod = toml::from_str(text).map_err(|e| EvalError::MethodSyntax {
            message: e.to_string().trim().to_owned(),
        })?;
        let m = raw.method;
        let def = IndexMethod::default();
        let normalisation = match m.normalisation.as_deref().unwrap_or("minmax") {
            "minmax" => {
                let [lo, hi] = m.minmax_range.unwrap_or([0.0, 100.0]);
                let (lo, hi) = (
                    finite("method.minmax_range", lo)?,
                    finite("method.minmax_range", hi)?,
                );
                if lo >= hi {
                    return Err(bad(
                        "method.minmax_range",
                        &format!("[{lo}, {hi}]"),
                        "[low, high] with low < high",
                    ));
                }
                Normalisation::MinMax { lo, hi }
            }
            "zscore" => {
                let [mean, sd] = m.zscore.unwrap_or([0.0, 1.0]);
                if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
                    return Err(bad(
                        "method.zscore",
                        &format!("[{mean}, {sd}]"),
                        "[mean, sd] with sd > 0",
                    ));
                }
                Normalisation::ZScore { mean, sd }
            }
            "rank" => Normalisation::Rank,
            "percentile" => Normalisation::Percentile,
            "target" => Normalisation::Target,
            "goalposts" => Normalisation::Goalposts,
            other => {
                return Err(bad(
                    "method.normalisation",
                    other,
                    "minmax, zscore, rank, percentile, target or goalposts",
                ));
            }
        };
        let weighting = Weighting::parse(
            "method.weighting",
            m.weighting.as_deref().unwrap_or("equal"),
        )?;
        if let Some([lo, hi]) = m.bod_bounds {
            if weighting != Weighting::Bod {
                return Err(bad(
                    "method.bod_bounds",
                    &format!("[{lo}, {hi}]"),
                    "no bounds unless weighting = \"bod\" (they restrict benefit-of-the-doubt weights)",
                ));
            }
            if !(0.0 <= lo && lo <= hi && hi <= 1.0) {
                return Err(bad(
                    "method.bod_bounds",
                    &format!("[{lo}, {hi}]"),
                    "[lower, upper] shares with 0 ≤ lower ≤ upper ≤ 1",
                ));
            }
        }
        let dimension_weighting = Weighting::parse(
            "method.dimension_weighting",
            m.dimension_weighting.as_deref().unwrap_or("equal"),
        )?;
        if !matches!(
            dimension_weighting,
            Weighting::Equal | Weighting::Manual | Weighting::Ahp
        ) {
            return Err(bad(
                "method.dimension_weighting",
                dimension_weighting.name(),
                "equal, manual or ahp",
            ));
        }
        let aggregation = Aggregation::parse(
            "method.aggregation",
            m.aggregation.as_deref().unwrap_or("arithmetic"),
            m.power,
        )?;
        let index_aggregation = match m.index_aggregation.as_deref() {
            Some(s) => Aggregation::parse("method.index_aggregation", s, m.power)?,
            None => aggregation,
        };
        let imputation = match m.imputation.as_deref().unwrap_or("none") {
            "none" => Imputation::None,
            "mean" => Imputation::Mean,
            "median" => Imputation::Median,
            "group_mean" => Imputation::GroupMean,
            "locf" => Imputation::Locf,
            other => {
                return Err(bad(
                    "method.imputation",
                    other,
                    "none, mean, median, group_mean or locf",
                ));
            }
        };
        let enabled = match m.treatment.as_deref().unwrap_or("none") {
            "none" => false,
            "coinr" | "winsorise" => true,
            other => return Err(bad("method.treatment", other, "none or coinr")),
        };
        let winsor_max = match m.winsor_max {
            None => def.treatment.winsor_max,
            Some(w) if (0..=1000).contains(&w) => w as usize,
            Some(w) => {
                return Err(bad(
                    "method.winsor_max",
                    &w.to_string(),
                    "an integer from 0 to 1000",
                ));
            }
        };
        let treatment = Treatment {
            enabled,
            winsor_max,
            skew_threshold: finite(
                "method.skew_threshold",
                m.skew_threshold.unwrap_or(def.treatment.skew_threshold),
            )?,
            kurtosis_threshold: finite(
                "method.kurtosis_threshold",
                m.kurtosis_threshold
                    .unwrap_or(def.treatment.kurtosis_threshold),
            )?,
        };
        let screening = Screening {
            min_indicator_availability: share(
                "method.min_indicator_availability",
                m.min_indicator_availability,
            )?,
            min_unit_coverage: share("method.min_unit_coverage", m.min_unit_coverage)?,
        };
        for (i, d) in raw.dimensions.iter().enumerate() {
            if let Some(a) = &d.aggregation {
                Aggregation::parse(&format!("dimensions[{i}].aggregation"), a, m.power)?;
            }
            if let Some(w) = d.weight
                && !(w.is_finite() && w >= 0.0)
            {
                return Err(bad(
                    &format!("dimensions[{i}].weight"),
                    &w.to_string(),
                    "a finite weight ≥ 0",
                ));
            }
        }
        for (i, ind) in raw.indicators.iter().enumerate() {
            if let Some(w) = ind.weight
                && !(w.is_finite() && w >= 0.0)
            {
                return Err(bad(
                    &format!("indicators[{i}].weight"),
                    &w.to_string(),
                    "a finite weight ≥ 0",
                ));
            }
        }
        Ok(IndexMethod {
            name: m.name.unwrap_or_else(|| def.name.clone()),
            normalisation,
            weighting,
            bod_bounds: m.bod_bounds,
            dimension_weighting,
            aggregation,
            index_aggregation,
            power: m.power,
            imputation,
            treatment,
            screening,
            dimensions: raw.dimensions,
            indicators: raw.indicators,
            ahp: raw.ahp,
        })
    }

    /// The aggregation of dimension `d` (its own, or `method.aggregation`).
    pub fn dimension_aggregation(&self, spec: Option<&DimensionSpec>) -> Aggregation {
        spec.and_then(|d| d.aggregation.as_deref())
            .and_then(|a| Aggregation::parse("", a, self.power).ok())
            .unwrap_or(self.aggregation)
    }

    /// Adds to `indicators` every indicator the method defines with a
    /// direction that is not there yet (with its name, if given), so that a
    /// method file can bring indicators a catalogue lacks.
    ///
    /// ```
    /// use weaver_evaluation::{Direction, Indicator, IndexMethod};
    /// let m = IndexMethod::from_toml("[[indicators]]\nid = \"cost\"\ndirection = \"lower_better\"").unwrap();
    /// let mut ind = vec![Indicator::new("members", Direction::HigherBetter)];
    /// m.add_defined_indicators(&mut ind);
    /// assert_eq!(ind.len(), 2);
    /// assert_eq!(ind[1].direction, Direction::LowerBetter);
    /// ```
    pub fn add_defined_indicators(&self, indicators: &mut Vec<crate::Indicator>) {
        for spec in &self.indicators {
            if !indicators.iter().any(|i| i.id == spec.id)
                && let Some(direction) = spec.direction
            {
                let mut ind = crate::Indicator::new(&spec.id, direction);
                if let Some(n) = &spec.name {
                    ind.name = n.clone();
                }
                indicators.push(ind);
            }
        }
    }

    /// The method as a TOML method file with every choice written out.
    pub fn to_toml(&self) -> String {
        let (minmax_range, zscore) = match self.normalisation {
            Normalisation::MinMax { lo, hi } => (Some([lo, hi]), None),
            Normalisation::ZScore { mean, sd } => (None, Some([mean, sd])),
            _ => (None, None),
        };
        let power = self.power;
        let raw = RawMethod {
            method: RawMethodTable {
                name: Some(self.name.clone()),
                normalisation: Some(self.normalisation.name().into()),
                minmax_range,
                zscore,
                weighting: Some(self.weighting.name().into()),
                bod_bounds: self.bod_bounds,
                dimension_weighting: Some(self.dimension_weighting.name().into()),
                aggregation: Some(self.aggregation.name().into()),
                index_aggregation: Some(self.index_aggregation.name().into()),
                power,
                imputation: Some(self.imputation.name().into()),
                treatment: Some(
                    if self.treatment.enabled {
                        "coinr"
                    } else {
                        "none"
                    }
                    .into(),
                ),
                winsor_max: Some(self.treatment.winsor_max as i64),
                skew_threshold: Some(self.treatment.skew_threshold),
                kurtosis_threshold: Some(self.treatment.kurtosis_threshold),
                min_indicator_availability: Some(self.screening.min_indicator_availability),
                min_unit_coverage: Some(self.screening.min_unit_coverage),
            },
            dimensions: self.dimensions.clone(),
            indicators: self.indicators.clone(),
            ahp: self.ahp.clone(),
        };
        toml::to_string(&raw).unwrap_or_else(|e| format!("# method could not be written: {e}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_file_gives_documented_defaults() {
        let m = IndexMethod::from_toml("[method]\n").unwrap();
        assert_eq!(m, IndexMethod::default());
        let m = IndexMethod::from_toml("").unwrap();
        assert_eq!(m, IndexMethod::default());
    }

    #[test]
    fn refuses_unknown_values_and_keys() {
        assert!(matches!(
            IndexMethod::from_toml("[method]\nnormalisation = \"softmax\""),
            Err(EvalError::MethodValue { .. })
        ));
        let e = IndexMethod::from_toml("[method]\nnormalization = \"minmax\"").unwrap_err();
        assert!(matches!(e, EvalError::MethodSyntax { .. }), "{e}");
        assert!(e.to_string().contains("normalization"), "{e}");
        assert!(matches!(
            IndexMethod::from_toml("[method]\naggregation = \"generalised\""),
            Err(EvalError::MissingParameter { .. })
        ));
        assert!(matches!(
            IndexMethod::from_toml("[method]\nminmax_range = [1, 1]"),
            Err(EvalError::MethodValue { .. })
        ));
        assert!(matches!(
            IndexMethod::from_toml("[method]\ndimension_weighting = \"entropy\""),
            Err(EvalError::MethodValue { .. })
        ));
        assert!(matches!(
            IndexMethod::from_toml("[method]\nmin_unit_coverage = 1.5"),
            Err(EvalError::MethodValue { .. })
        ));
        for bounds in ["[0.6, 0.4]", "[-0.1, 0.5]", "[0.1, 1.5]"] {
            let e = IndexMethod::from_toml(&format!(
                "[method]\nweighting = \"bod\"\nbod_bounds = {bounds}"
            ))
            .unwrap_err();
            assert!(e.to_string().contains("bod_bounds"), "{e}");
        }
        // Bounds without benefit of the doubt would be ignored: refused.
        let e = IndexMethod::from_toml("[method]\nbod_bounds = [0.1, 0.5]").unwrap_err();
        assert!(e.to_string().contains("bod"), "{e}");
        let m = IndexMethod::from_toml("[method]\nweighting = \"bod\"\nbod_bounds = [0.1, 0.5]")
            .unwrap();
        assert_eq!(m.bod_bounds, Some([0.1, 0.5]));
        assert_eq!(IndexMethod::from_toml(&m.to_toml()).unwrap(), m);
    }

    #[test]
    fn full_file_round_trips() {
        let text = r#"
[method]
name = "test"
normalisation = "minmax"
minmax_range = [1.0, 100.0]
weighting = "ahp"
dimension_weighting = "manual"
aggregation = "generalised"
power = 0.5
index_aggregation = "geometric"
imputation = "locf"
treatment = "coinr"
winsor_max = 3

[[dimensions]]
id = "a"
weight = 2.0
indicators = ["x", "y"]

[[indicators]]
id = "x"
direction = "lower_better"
goalposts = [0.0, 10.0]

[ahp.a]
items = ["x", "y"]
matrix = [[1.0, 3.0], [0.3333333333333333, 1.0]]
"#;
        let m = IndexMethod::from_toml(text).unwrap();
        assert_eq!(m.aggregation, Aggregation::Generalised { p: 0.5 });
        assert_eq!(m.index_aggregation, Aggregation::Geometric);
        assert_eq!(m.treatment.winsor_max, 3);
        assert!(m.treatment.enabled);
        assert_eq!(m.indicators[0].direction, Some(Direction::LowerBetter));
        assert_eq!(IndexMethod::from_toml(&m.to_toml()).unwrap(), m);
    }
}
