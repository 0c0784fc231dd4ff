//! Cluster-management labels and profile criteria as versioned rule sets.
//!
//! Two kinds of rule files, both data with a version and a validity period:
//! criteria lists ([`CriteriaSet`], e.g. the European Cluster Collaboration
//! Platform's profile criteria, shipped as `frameworks/eccp_profile.toml`)
//! and scored level models ([`LevelModel`], e.g. the ESCA-style model shipped
//! as `frameworks/esca_style_model.toml`). The official ESCA indicator texts
//! are not public: the shipped model is an editable model, says so in its
//! file, and [`LevelResult::note`] carries that statement into every result.

use std::collections::HashMap;

use serde::Deserialize;

use crate::EvalError;

/// The ECCP profile criteria, as shipped.
pub const ECCP_PROFILE: &str = include_str!("../frameworks/eccp_profile.toml");
/// The ESCA-style level model, as shipped.
pub const ESCA_STYLE_MODEL: &str = include_str!("../frameworks/esca_style_model.toml");

/// Identity and validity of a rule set.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesetInfo {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version label.
    pub version: String,
    /// First day of validity (ISO date).
    pub valid_from: String,
    /// Last day of validity (ISO date), empty when open.
    #[serde(default)]
    pub valid_until: String,
}

impl RulesetInfo {
    /// Whether `date` (ISO `YYYY-MM-DD`, or a year) falls in the validity
    /// period (string comparison of ISO dates).
    pub fn valid_on(&self, date: &str) -> bool {
        date >= self.valid_from.as_str()
            && (self.valid_until.is_empty() || date <= self.valid_until.as_str())
    }
}

/// One criterion `field op value`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Id, listed in results.
    pub id: String,
    /// The profile field it reads (booleans as 1/0).
    pub field: String,
    /// `>=`, `>`, `<=`, `<`, `==`.
    pub op: String,
    /// Threshold.
    pub value: f64,
}

/// A list of criteria that must all hold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Identity and validity.
    pub ruleset: RulesetInfo,
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

/// Outcome of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It holds.
    Pass,
    /// It does not hold.
    Fail,
    /// The field has no value.
    Unknown,
}

/// Result of [`CriteriaSet::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CriteriaResult {
    /// Outcome per criterion, in order.
    pub outcomes: Vec<(String, Outcome)>,
    /// `Pass` when all pass, `Fail` when any fails, else `Unknown`.
    pub overall: Outcome,
}

fn bad_toml(e: toml::de::Error) -> EvalError {
    EvalError::MethodSyntax {
        message: e.to_string().trim().to_owned(),
    }
}

impl CriteriaSet {
    /// Parses a criteria file.
    ///
    /// # Errors
    /// [`EvalError::MethodSyntax`] for TOML errors; [`EvalError::MethodValue`]
    /// for an unknown operator.
    pub fn from_toml(text: &str) -> Result<CriteriaSet, EvalError> {
        let s: CriteriaSet = toml::from_str(text).map_err(bad_toml)?;
        for c in &s.criteria {
            if !matches!(c.op.as_str(), ">=" | ">" | "<=" | "<" | "==") {
                return Err(EvalError::MethodValue {
                    key: format!("criteria.{}.op", c.id),
                    value: c.op.clone(),
                    expected: ">=, >, <=, < or ==".into(),
                });
            }
        }
        Ok(s)
    }

    /// Checks a profile (field → value; booleans as 1/0; absent = unknown).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use weaver_evaluation::labels::{CriteriaSet, Outcome, ECCP_PROFILE};
    /// let eccp = CriteriaSet::from_toml(ECCP_PROFILE).unwrap();
    /// let p = HashMap::from([("members".to_string(), 22.0), ("member_types".to_string(), 3.0),
    ///     ("management_fte".to_string(), 0.4), ("website_en".to_string(), 1.0)]);
    /// let r = eccp.check(&p);
    /// assert_eq!(r.overall, Outcome::Fail); // 0.4 FTE < 0.5
    /// assert_eq!(r.outcomes[2], ("management_fte".to_string(), Outcome::Fail));
    /// ```
    pub fn check(&self, profile: &HashMap<String, f64>) -> CriteriaResult {
        let outcomes: Vec<(String, Outcome)> = self
            .criteria
            .iter()
            .map(|c| {
                let o = match profile.get(&c.field).filter(|v| v.is_finite()) {
                    None => Outcome::Unknown,
                    Some(&v) => {
                        let ok = match c.op.as_str() {
                            ">=" => v >= c.value,
                            ">" => v > c.value,
                            "<=" => v <= c.value,
                            "<" => v < c.value,
                            _ => v == c.value,
                        };
                        if ok { Outcome::Pass } else { Outcome::Fail }
                    }
                };
                (c.id.clone(), o)
            })
            .collect();
        let overall = if outcomes.iter().any(|o| o.1 == Outcome::Fail) {
            Outcome::Fail
        } else if outcomes.iter().all(|o| o.1 == Outcome::Pass) {
            Outcome::Pass
        } else {
            Outcome::Unknown
        };
        CriteriaResult { outcomes, overall }
    }
}

/// Identity, validity and statement of a level model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelInfo {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version label.
    pub version: String,
    /// First day of validity.
    pub valid_from: String,
    /// Last day of validity, empty when open.
    #[serde(default)]
    pub valid_until: String,
    /// Years a level awarded stays valid.
    pub validity_years: i32,
    /// Statement carried into every result (e.g. that it is not the official label).
    pub note: String,
}

/// A scored indicator of a level model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoredIndicator {
    /// Id.
    pub id: String,
    /// Area.
    pub area: String,
    /// Maximum score.
    pub max: f64,
    /// Minimum score for levels with `thresholds = true`.
    pub gold_min: f64,
}

/// A level and what it needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Name.
    pub name: String,
    /// Minimum share of the total maximum score.
    pub min_share: f64,
    /// Whether every indicator must reach its `gold_min`.
    pub thresholds: bool,
}

/// A scored level model (levels listed from the highest down).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelModel {
    /// Identity and statement.
    pub model: ModelInfo,
    /// Indicators.
    pub indicators: Vec<ScoredIndicator>,
    /// Levels, highest first.
    pub levels: Vec<Level>,
}

/// Result of [`LevelModel::assess`].
#[derive(Debug, Clone, PartialEq)]
pub struct LevelResult {
    /// The level awarded, `None` when an indicator has no score or none applies.
    pub level: Option<String>,
    /// Total score / total maximum.
    pub share: f64,
    /// Indicators below their threshold.
    pub below_threshold: Vec<String>,
    /// Indicators without a score.
    pub missing: Vec<String>,
    /// Last year of validity: assessment year + validity_years.
    pub valid_until_year: i32,
    /// The model's statement (e.g. "not the official ESCA label").
    pub note: String,
}

impl LevelModel {
    /// Parses a level model.
    ///
    /// # Errors
    /// [`EvalError::MethodSyntax`] for TOML errors; [`EvalError::MethodValue`]
    /// for a non-positive maximum or a share outside [0, 1].
    pub fn from_toml(text: &str) -> Result<LevelModel, EvalError> {
        let m: LevelModel = toml::from_str(text).map_err(bad_toml)?;
        for i in &m.indicators {
            if !(i.max.is_finite() && i.max > 0.0) {
                return Err(EvalError::MethodValue {
                    key: format!("indicators.{}.max", i.id),
                    value: i.max.to_string(),
                    expected: "a positive number".into(),
                });
            }
        }
        for l in &m.levels {
            if !(0.0..=1.0).contains(&l.min_share) {
                return Err(EvalError::MethodValue {
                    key: format!("levels.{}.min_share", l.name),
                    value: l.min_share.to_string(),
                    expected: "a share in [0, 1]".into(),
                });
            }
        }
        Ok(m)
    }

    /// Assesses scores (indicator id → score, clipped to [0, max]) made in
    /// `year`: the first level, from the highest, whose share and thresholds
    /// hold is awarded; every indicator needs a score.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use weaver_evaluation::labels::{LevelModel, ESCA_STYLE_MODEL};
    /// let m = LevelModel::from_toml(ESCA_STYLE_MODEL).unwrap();
    /// let scores: HashMap<String, f64> = m.indicators.iter().map(|i| (i.id.clone(), 4.5)).collect();
    /// let r = m.assess(&scores, 2025);
    /// assert_eq!(r.level.as_deref(), Some("gold")); // 27/30 = 0.9 ≥ 0.8, all thresholds met
    /// assert_eq!(r.valid_until_year, 2027);
    /// assert!(r.note.contains("not public"));
    /// ```
    pub fn assess(&self, scores: &HashMap<String, f64>, year: i32) -> LevelResult {
        let mut total = 0.0;
        let mut max = 0.0;
        let mut below = Vec::new();
        let mut missing = Vec::new();
        for i in &self.indicators {
            max += i.max;
            match scores.get(&i.id).filter(|v| v.is_finite()) {
                Some(&v) => {
                    let v = v.clamp(0.0, i.max);
                    total += v;
                    if v < i.gold_min {
                        below.push(i.id.clone());
                    }
                }
                None => missing.push(i.id.clone()),
            }
        }
        let share = if max > 0.0 { total / max } else { f64::NAN };
        let level = if missing.is_empty() {
            self.levels
                .iter()
                .find(|l| share >= l.min_share && (!l.thresholds || below.is_empty()))
                .map(|l| l.name.clone())
        } else {
            None
        };
        LevelResult {
            level,
            share,
            below_threshold: below,
            missing,
            valid_until_year: year + self.model.validity_years,
            note: self.model.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_and_grade() {
        let eccp = CriteriaSet::from_toml(ECCP_PROFILE).unwrap();
        assert_eq!(eccp.criteria.len(), 4);
        assert!(eccp.ruleset.valid_on("2025-06-30"));
        assert!(!eccp.ruleset.valid_on("2019-12-31"));
        let mut p = HashMap::from([
            ("members".to_string(), 15.0),
            ("member_types".to_string(), 2.0),
        ]);
        assert_eq!(eccp.check(&p).overall, Outcome::Unknown);
        p.insert("management_fte".into(), 0.5);
        p.insert("website_en".into(), 1.0);
        assert_eq!(eccp.check(&p).overall, Outcome::Pass);
        p.insert("members".into(), 14.0);
        assert_eq!(eccp.check(&p).overall, Outcome::Fail);

        let m = LevelModel::from_toml(ESCA_STYLE_MODEL).unwrap();
        let mut s: HashMap<String, f64> =
            m.indicators.iter().map(|i| (i.id.clone(), 5.0)).collect();
        // Full marks but one indicator below its Gold minimum: 26/30 → silver.
        s.insert("governance_strategy".into(), 1.0);
        let r = m.assess(&s, 2024);
        assert_eq!(r.level.as_deref(), Some("silver"));
        assert_eq!(r.below_threshold, vec!["governance_strategy".to_string()]);
        // 12/30 = 0.4 → bronze.
        let low: HashMap<String, f64> = m.indicators.iter().map(|i| (i.id.clone(), 2.0)).collect();
        assert_eq!(m.assess(&low, 2024).level.as_deref(), Some("bronze"));
        // A missing score: no level.
        s.remove("achievements");
        let r = m.assess(&s, 2024);
        assert_eq!(r.level, None);
        assert_eq!(r.missing, vec!["achievements".to_string()]);
        assert!(CriteriaSet::from_toml("[ruleset]\nid='x'\nname='x'\nversion='1'\nvalid_from='2020'\n[[criteria]]\nid='a'\nfield='a'\nop='~'\nvalue=1.0\n").is_err());
    }
}
