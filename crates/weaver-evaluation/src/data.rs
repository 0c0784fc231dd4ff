//! The data model: units × indicators × periods, and indicator metadata.
//!
//! Values are plain `f64`; a missing value is `NaN`. Units keep the order in
//! which they first appear in the observations; periods are sorted as strings,
//! which is chronological for ISO-style labels (`2023`, `2024`, `2024-Q3`,
//! `2024-07`) of one form.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::EvalError;

/// Whether a higher or a lower raw value is better: the one direction type
/// of Weaver, which the register's vocabulary re-exports as
/// `weaver_core::enums::Direction` (the package check, the store's views and
/// this engine all speak it).
///
/// Serialised and displayed as `higher_better` or `lower_better`; parsed
/// from those names (in any case) or from COINr's `1` / `+1` / `-1`.
///
/// ```
/// use weaver_evaluation::Direction;
/// assert_eq!("Lower_Better".parse::<Direction>(), Ok(Direction::LowerBetter));
/// assert_eq!("-1".parse::<Direction>(), Ok(Direction::LowerBetter));
/// assert_eq!(Direction::HigherBetter.to_string(), "higher_better");
/// assert_eq!(
///     "up".parse::<Direction>().unwrap_err().to_string(),
///     "'up' is not one of: higher_better, lower_better"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better (`higher_better`).
    HigherBetter,
    /// Lower values are better (`lower_better`); normalisation mirrors them.
    LowerBetter,
}

/// Text that is not a [`Direction`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not one of: higher_better, lower_better")]
pub struct UnknownDirection(pub String);

impl Direction {
    /// Both directions, in declaration order.
    pub const ALL: &'static [Direction] = &[Direction::HigherBetter, Direction::LowerBetter];
    /// Their names, in declaration order.
    pub const NAMES: &'static [&'static str] = &["higher_better", "lower_better"];

    /// The name used in files and the register: `higher_better` or
    /// `lower_better`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherBetter => "higher_better",
            Direction::LowerBetter => "lower_better",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Direction {
    type Err = UnknownDirection;

    fn from_str(s: &str) -> Result<Direction, UnknownDirection> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("higher_better") || t == "1" || t == "+1" {
            Ok(Direction::HigherBetter)
        } else if t.eq_ignore_ascii_case("lower_better") || t == "-1" {
            Ok(Direction::LowerBetter)
        } else {
            Err(UnknownDirection(s.to_owned()))
        }
    }
}

/// Metadata of one indicator, as in the data package's `indicators` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Higher or lower is better.
    pub direction: Direction,
    /// Dimension (pillar) the indicator belongs to; `None` puts it in the one
    /// default dimension.
    pub dimension: Option<String>,
    /// Manual weight within its dimension; `None` when not given.
    pub weight: Option<f64>,
}

impl Indicator {
    /// An indicator with no dimension and no weight.
    pub fn new(id: &str, direction: Direction) -> Indicator {
        Indicator {
            id: id.to_owned(),
            name: id.to_owned(),
            direction,
            dimension: None,
            weight: None,
        }
    }
}

/// One observed value: `unit,indicator,period,value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Unit (cluster) id.
    pub unit: String,
    /// Indicator id.
    pub indicator: String,
    /// Period label.
    pub period: String,
    /// The value; must be finite.
    pub value: f64,
}

/// A dense row-major matrix of `f64`, rows = units, columns = indicators (or
/// dimensions). `NaN` marks a missing value.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// `rows × cols` values, row after row.
    pub data: Vec<f64>,
}

impl Matrix {
    /// A matrix filled with `NaN`.
    pub fn missing(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![f64::NAN; rows * cols],
        }
    }

    /// A matrix from rows of equal length.
    ///
    /// # Panics
    /// Never on user input: rows of unequal length are a programming error and
    /// are padded with `NaN`.
    pub fn from_rows(rows: &[Vec<f64>]) -> Matrix {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut m = Matrix::missing(rows.len(), cols);
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                m.set(r, c, *v);
            }
        }
        m
    }

    /// Value at (`r`, `c`).
    #[inline]
    pub fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    /// Sets the value at (`r`, `c`).
    #[inline]
    pub fn set(&mut self, r: usize, c: usize, v: f64) {
        self.data[r * self.cols + c] = v;
    }

    /// Column `c` as a vector.
    pub fn column(&self, c: usize) -> Vec<f64> {
        (0..self.rows).map(|r| self.get(r, c)).collect()
    }

    /// Replaces column `c`.
    pub fn set_column(&mut self, c: usize, values: &[f64]) {
        for (r, v) in values.iter().enumerate().take(self.rows) {
            self.set(r, c, *v);
        }
    }

    /// Row `r` as a slice.
    pub fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    /// The sub-matrix of the given columns, in that order.
    pub fn select_columns(&self, cols: &[usize]) -> Matrix {
        let mut m = Matrix::missing(self.rows, cols.len());
        for r in 0..self.rows {
            for (k, &c) in cols.iter().enumerate() {
                m.set(r, k, self.get(r, c));
            }
        }
        m
    }
}

/// A panel of observations: units × indicators × periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Unit ids in order of first appearance.
    pub units: Vec<String>,
    /// The indicators, in the order given.
    pub indicators: Vec<Indicator>,
    /// Period labels, sorted.
    pub periods: Vec<String>,
    /// One units × indicators matrix per period, in the order of `periods`.
    pub values: Vec<Matrix>,
}

impl Panel {
    /// Builds a panel from indicator metadata and observations.
    ///
    /// # Errors
    /// [`EvalError::DuplicateIndicator`] for an indicator id given twice,
    /// [`EvalError::UnknownIndicator`] for an observation of an indicator not
    /// in the list, [`EvalError::DuplicateObservation`] for two values of the
    /// same unit, indicator and period, [`EvalError::NotFinite`] for a NaN or
    /// infinite value, [`EvalError::Empty`] when there are no indicators or no
    /// observations.
    ///
    /// ```
    /// use weaver_evaluation::{Direction, Indicator, Observation, Panel};
    /// let ind = vec![Indicator::new("x", Direction::HigherBetter)];
    /// let obs = vec![
    ///     Observation { unit: "b".into(), indicator: "x".into(), period: "2024".into(), value: 2.0 },
    ///     Observation { unit: "a".into(), indicator: "x".into(), period: "2023".into(), value: 1.0 },
    /// ];
    /// let p = Panel::from_observations(ind, &obs).unwrap();
    /// assert_eq!(p.units, ["b", "a"]);
    /// assert_eq!(p.periods, ["2023", "2024"]);
    /// assert_eq!(p.values[1].get(0, 0), 2.0);
    /// assert!(p.values[1].get(1, 0).is_nan());
    /// ```
    pub fn from_observations(
        indicators: Vec<Indicator>,
        observations: &[Observation],
    ) -> Result<Panel, EvalError> {
        if indicators.is_empty() {
            return Err(EvalError::Empty {
                what: "no indicators".into(),
            });
        }
        if observations.is_empty() {
            return Err(EvalError::Empty {
                what: "no observations".into(),
            });
        }
        let mut ind_index = HashMap::new();
        for (i, ind) in indicators.iter().enumerate() {
            if ind_index.insert(ind.id.clone(), i).is_some() {
                return Err(EvalError::DuplicateIndicator {
                    indicator: ind.id.clone(),
                });
            }
        }
        let mut units = Vec::new();
        let mut unit_index = HashMap::new();
        let mut periods: Vec<String> = Vec::new();
        for o in observations {
            if !ind_index.contains_key(&o.indicator) {
                return Err(EvalError::UnknownIndicator {
                    indicator: o.indicator.clone(),
                    context: format!("observation of unit `{}`", o.unit),
                });
            }
            if !o.value.is_finite() {
                return Err(EvalError::NotFinite {
                    what: format!(
                        "unit `{}`, indicator `{}`, period `{}`",
                        o.unit, o.indicator, o.period
                    ),
                    value: o.value,
                });
            }
            if !unit_index.contains_key(&o.unit) {
                unit_index.insert(o.unit.clone(), units.len());
                units.push(o.unit.clone());
            }
            periods.push(o.period.clone());
        }
        periods.sort();
        periods.dedup();
        let period_index: HashMap<&str, usize> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let mut values = vec![Matrix::missing(units.len(), indicators.len()); periods.len()];
        for o in observations {
            let (u, i, p) = (
                unit_index[&o.unit],
                ind_index[&o.indicator],
                period_index[o.period.as_str()],
            );
            if !values[p].get(u, i).is_nan() {
                return Err(EvalError::DuplicateObservation {
                    unit: o.unit.clone(),
                    indicator: o.indicator.clone(),
                    period: o.period.clone(),
                });
            }
            values[p].set(u, i, o.value);
        }
        Ok(Panel {
            units,
            indicators,
            periods,
            values,
        })
    }

    /// Index of a period label.
    pub fn period_index(&self, period: &str) -> Option<usize> {
        self.periods.iter().position(|p| p == period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(u: &str, i: &str, p: &str, v: f64) -> Observation {
        Observation {
            unit: u.into(),
            indicator: i.into(),
            period: p.into(),
            value: v,
        }
    }

    #[test]
    fn refuses_bad_input() {
        let ind = vec![Indicator::new("x", Direction::HigherBetter)];
        assert!(matches!(
            Panel::from_observations(ind.clone(), &[obs("a", "y", "1", 1.0)]),
            Err(EvalError::UnknownIndicator { .. })
        ));
        assert!(matches!(
            Panel::from_observations(
                ind.clone(),
                &[obs("a", "x", "1", 1.0), obs("a", "x", "1", 2.0)]
            ),
            Err(EvalError::DuplicateObservation { .. })
        ));
        assert!(matches!(
            Panel::from_observations(ind.clone(), &[obs("a", "x", "1", f64::NAN)]),
            Err(EvalError::NotFinite { .. })
        ));
        assert!(matches!(
            Panel::from_observations(ind.clone(), &[]),
            Err(EvalError::Empty { .. })
        ));
        let twice = vec![ind[0].clone(), ind[0].clone()];
        assert!(matches!(
            Panel::from_observations(twice, &[obs("a", "x", "1", 1.0)]),
            Err(EvalError::DuplicateIndicator { .. })
        ));
    }

    #[test]
    fn direction_parses() {
        assert_eq!(
            "lower_better".parse::<Direction>(),
            Ok(Direction::LowerBetter)
        );
        assert!("up".parse::<Direction>().is_err());
        for (d, n) in Direction::ALL.iter().zip(Direction::NAMES) {
            assert_eq!(d.as_str(), *n);
            assert_eq!(n.parse::<Direction>(), Ok(*d));
        }
    }
}
