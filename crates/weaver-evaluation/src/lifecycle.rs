//! Lifecycle stage of clusters by transparent, configurable rules.
//!
//! Two classifications per unit and period: the three stages China's
//! cluster policy names (initial: government-led; growth: multi-actor
//! collaboration; mature: market-driven, government funding withdrawn) and
//! the lifecycle of Menzel & Fornahl (2010): emergence, growth, sustainment,
//! decline, renewal. Rules are data ([`LifecycleRules::from_toml`]; the
//! defaults in `frameworks/lifecycle_rules.toml`); every result lists the
//! rules that fired with the values that made them fire.
//!
//! # References
//! Menzel, M.-P. & Fornahl, D. (2010). Cluster life cycles — dimensions and
//! rationales of cluster evolution. *Industrial and Corporate Change* 19(1),
//! 205–238.

use std::collections::HashMap;

use serde::Deserialize;

use crate::EvalError;

/// The signals the classifier reads (observation indicator ids).
pub const SIGNALS: [&str; 8] = [
    "members",
    "employment",
    "lq",
    "density",
    "cross_actor_share",
    "public_funding_share",
    "field_entropy",
    "entry_rate",
];

/// The default rules, as shipped.
pub const DEFAULT_RULES: &str = include_str!("../frameworks/lifecycle_rules.toml");

/// The label of a classification without enough evidence.
pub const UNDETERMINED: &str = "undetermined";

macro_rules! stage_enum {
    ($(#[$meta:meta])* $name:ident, $stages:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        ///
        /// Serialised, displayed and parsed as its lower-case name;
        /// `undetermined` when the rules do not decide.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// Not enough evidence, or a tie between the two largest votes.
            Undetermined,
        }

        impl $name {
            /// The stages a rule may vote for, in order (not
            /// `Undetermined`).
            pub const $stages: &'static [$name] = &[$($name::$variant),+];

            /// The lower-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Undetermined => UNDETERMINED,
                }
            }

            /// The stage a rule names (`None` for any other text, and for
            /// `undetermined`, which no rule may vote for).
            pub fn of_rule(name: &str) -> Option<$name> {
                Self::$stages.iter().copied().find(|s| s.as_str() == name)
            }

            fn names() -> String {
                Self::$stages.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stage_enum!(
    /// A stage of China's cluster policy.
    PolicyStage, POLICY {
        /// Government-led.
        Initial => "initial",
        /// Multi-actor collaboration.
        Growth => "growth",
        /// Market-driven, government funding withdrawn.
        Mature => "mature",
    }
);

stage_enum!(
    /// A stage of the cluster life cycle of Menzel & Fornahl (2010).
    LifecycleStage, LIFECYCLE {
        /// Emergence.
        Emergence => "emergence",
        /// Growth.
        Growth => "growth",
        /// Sustainment.
        Sustainment => "sustainment",
        /// Decline.
        Decline => "decline",
        /// Renewal.
        Renewal => "renewal",
    }
);

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The value in the period.
    Level,
    /// Relative change per period over the last `window` periods: the OLS
    /// slope of the values on the period index divided by their mean
    /// absolute value.
    Trend,
    /// The trend over the `window` periods before those of `trend`.
    PriorTrend,
}

/// One comparison `signal.measure op value`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Signal id.
    pub signal: String,
    /// Level or trend.
    pub measure: Measure,
    /// `>`, `>=`, `<`, `<=`.
    pub op: String,
    /// Threshold.
    pub value: f64,
}

/// Which classification a rule votes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// initial / growth / mature.
    Policy,
    /// emergence / growth / sustainment / decline / renewal.
    Lifecycle,
}

/// A rule: when all conditions hold, it adds `weight` to `stage`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id, listed in the results.
    pub id: String,
    /// The classification it votes in.
    pub classification: Classification,
    /// The stage it votes for.
    pub stage: String,
    /// Its vote.
    pub weight: f64,
    /// Conditions, all of which must hold.
    pub when: Vec<Condition>,
}

/// Settings of the classifier.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Periods per trend window (≥ 2).
    pub window: usize,
    /// Fewer available signals in a period give "undetermined".
    pub min_signals: usize,
}

/// A rule set.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleRules {
    /// Settings.
    pub settings: Settings,
    /// Rules.
    pub rules: Vec<Rule>,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        // The shipped file is tested to parse.
        LifecycleRules::from_toml(DEFAULT_RULES).unwrap_or(LifecycleRules {
            settings: Settings {
                window: 3,
                min_signals: 1,
            },
            rules: Vec::new(),
        })
    }
}

impl LifecycleRules {
    /// Parses and checks a rule set.
    ///
    /// # Errors
    /// [`EvalError::MethodSyntax`] for TOML errors, [`EvalError::MethodValue`]
    /// for an unknown stage or operator, a window below 2 or a rule without
    /// conditions.
    pub fn from_toml(text: &str) -> Result<LifecycleRules, EvalError> {
        let r: LifecycleRules = toml::from_str(text).map_err(|e| EvalError::MethodSyntax {
            message: e.to_string().trim().to_owned(),
        })?;
        let bad = |key: String, value: String, expected: &str| EvalError::MethodValue {
            key,
            value,
            expected: expected.into(),
        };
        if r.settings.window < 2 {
            return Err(bad(
                "settings.window".into(),
                r.settings.window.to_string(),
                "at least 2",
            ));
        }
        for rule in &r.rules {
            let (known, names) = match rule.classification {
                Classification::Policy => (
                    PolicyStage::of_rule(&rule.stage).is_some(),
                    PolicyStage::names(),
                ),
                Classification::Lifecycle => (
                    LifecycleStage::of_rule(&rule.stage).is_some(),
                    LifecycleStage::names(),
                ),
            };
            if !known {
                return Err(bad(
                    format!("rules.{}.stage", rule.id),
                    rule.stage.clone(),
                    &names,
                ));
            }
            if rule.when.is_empty() {
                return Err(bad(
                    format!("rules.{}.when", rule.id),
                    "[]".into(),
                    "at least one condition",
                ));
            }
            if !(rule.weight.is_finite() && rule.weight > 0.0) {
                return Err(bad(
                    format!("rules.{}.weight", rule.id),
                    rule.weight.to_string(),
                    "a positive number",
                ));
            }
            for c in &rule.when {
                if !matches!(c.op.as_str(), ">" | ">=" | "<" | "<=") {
                    return Err(bad(
                        format!("rules.{}.when.op", rule.id),
                        c.op.clone(),
                        ">, >=, < or <=",
                    ));
                }
            }
        }
        Ok(r)
    }
}

/// One unit's signals over the periods (in chronological order); `NaN` is
/// missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitSignals {
    /// Values by signal id, each as long as the period list.
    pub values: HashMap<String, Vec<f64>>,
}

/// A rule that fired, with the values that made it fire.
#[derive(Debug, Clone, PartialEq)]
pub struct FiredRule {
    /// Rule id.
    pub id: String,
    /// The stage it voted for.
    pub stage: String,
    /// `(signal, measure, value)` of each condition.
    pub evidence: Vec<(String, Measure, f64)>,
}

impl FiredRule {
    /// `id(signal.measure=value, …)`.
    pub fn describe(&self) -> String {
        let ev: Vec<String> = self
            .evidence
            .iter()
            .map(|(s, m, v)| {
                let m = match m {
                    Measure::Level => "level",
                    Measure::Trend => "trend",
                    Measure::PriorTrend => "prior_trend",
                };
                format!("{s}.{m}={}", (v * 1e4).round() / 1e4)
            })
            .collect();
        format!("{}({})", self.id, ev.join(", "))
    }
}

/// The classification of one unit in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    /// Policy stage, or [`PolicyStage::Undetermined`].
    pub policy_stage: PolicyStage,
    /// Lifecycle stage, or [`LifecycleStage::Undetermined`].
    pub lifecycle_stage: LifecycleStage,
    /// Rules that fired, in rule order.
    pub fired: Vec<FiredRule>,
    /// Signals with a value in the period.
    pub signals_available: usize,
}

/// Relative trend of `x` over indices `[end + 1 − w, end]`: OLS slope per
/// step divided by the mean absolute value; `NaN` with fewer than 2 values
/// or a zero mean.
pub fn relative_trend(x: &[f64], end: usize, w: usize) -> f64 {
    let start = (end + 1).saturating_sub(w);
    if end >= x.len() || end + 1 < w {
        return f64::NAN;
    }
    let pts: Vec<(f64, f64)> = (start..=end)
        .filter(|&t| x[t].is_finite())
        .map(|t| (t as f64, x[t]))
        .collect();
    if pts.len() < 2 {
        return f64::NAN;
    }
    let n = pts.len() as f64;
    let mt = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let mx = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mt) * (p.1 - mx)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mt) * (p.0 - mt)).sum();
    let level = pts.iter().map(|p| p.1.abs()).sum::<f64>() / n;
    if level == 0.0 {
        return f64::NAN;
    }
    sxy / sxx / level
}

fn measure(x: &[f64], t: usize, m: Measure, w: usize) -> f64 {
    match m {
        Measure::Level => x.get(t).copied().unwrap_or(f64::NAN),
        Measure::Trend => relative_trend(x, t, w),
        Measure::PriorTrend => {
            if t < w {
                f64::NAN
            } else {
                relative_trend(x, t - w, w)
            }
        }
    }
}

/// The stage with the largest total weight of the fired rules of `class`
/// (named as `of_rule` reads them), or `None` without a clear winner.
fn decide<S: Copy + PartialEq>(
    fired: &[FiredRule],
    rules: &[Rule],
    class: Classification,
    of_rule: fn(&str) -> Option<S>,
) -> Option<S> {
    let mut votes: Vec<(S, f64)> = Vec::new();
    for f in fired {
        let Some(rule) = rules.iter().find(|r| r.id == f.id) else {
            continue;
        };
        if rule.classification != class {
            continue;
        }
        // A hand-built rule set may name an unknown stage: it casts no vote.
        let Some(stage) = of_rule(&rule.stage) else {
            continue;
        };
        match votes.iter_mut().find(|(s, _)| *s == stage) {
            Some(v) => v.1 += rule.weight,
            None => votes.push((stage, rule.weight)),
        }
    }
    votes.sort_by(|a, b| b.1.total_cmp(&a.1));
    match votes.as_slice() {
        [(s, _)] => Some(*s),
        [(s, a), (_, b), ..] if a > b => Some(*s),
        _ => None,
    }
}

/// Classifies one unit in every period.
///
/// For period t each rule is checked: it fires when every condition's
/// measure is available and satisfies its comparison. Each classification
/// takes the stage with the largest total weight of its fired rules; no
/// fired rule, a tie between the two largest, or fewer than `min_signals`
/// signals with a value in t give "undetermined" — never a guess.
///
/// ```
/// use weaver_evaluation::lifecycle::{classify, LifecycleRules, LifecycleStage, PolicyStage, UnitSignals};
/// let mut s = UnitSignals::default();
/// s.values.insert("members".into(), vec![100.0, 90.0, 80.0, 70.0]);
/// s.values.insert("public_funding_share".into(), vec![0.1, 0.1, 0.1, 0.1]);
/// let r = classify(&s, 4, &LifecycleRules::default());
/// assert_eq!(r[3].lifecycle_stage, LifecycleStage::Decline);
/// assert_eq!(r[3].policy_stage, PolicyStage::Mature);
/// assert_eq!(r[0].lifecycle_stage.as_str(), "undetermined"); // no trend yet
/// ```
pub fn classify(
    signals: &UnitSignals,
    n_periods: usize,
    rules: &LifecycleRules,
) -> Vec<StageResult> {
    let w = rules.settings.window;
    (0..n_periods)
        .map(|t| {
            let available = signals
                .values
                .values()
                .filter(|v| v.get(t).is_some_and(|x| x.is_finite()))
                .count();
            let mut fired = Vec::new();
            for rule in &rules.rules {
                let mut evidence = Vec::with_capacity(rule.when.len());
                let ok = rule.when.iter().all(|c| {
                    let Some(x) = signals.values.get(&c.signal) else {
                        return false;
                    };
                    let v = measure(x, t, c.measure, w);
                    let hold = v.is_finite()
                        && match c.op.as_str() {
                            ">" => v > c.value,
                            ">=" => v >= c.value,
                            "<" => v < c.value,
                            _ => v <= c.value,
                        };
                    if hold {
                        evidence.push((c.signal.clone(), c.measure, v));
                    }
                    hold
                });
                if ok {
                    fired.push(FiredRule {
                        id: rule.id.clone(),
                        stage: rule.stage.clone(),
                        evidence,
                    });
                }
            }
            let enough = available >= rules.settings.min_signals.max(1);
            StageResult {
                policy_stage: enough
                    .then(|| {
                        decide(
                            &fired,
                            &rules.rules,
                            Classification::Policy,
                            PolicyStage::of_rule,
                        )
                    })
                    .flatten()
                    .unwrap_or(PolicyStage::Undetermined),
                lifecycle_stage: enough
                    .then(|| {
                        decide(
                            &fired,
                            &rules.rules,
                            Classification::Lifecycle,
                            LifecycleStage::of_rule,
                        )
                    })
                    .flatten()
                    .unwrap_or(LifecycleStage::Undetermined),
                fired,
                signals_available: available,
            }
        })
        .collect()
}

/// The stages of every unit with observations, in every period it has one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelStages {
    /// Unit ids, in order of first appearance.
    pub units: Vec<String>,
    /// Periods, sorted: the union over all units, so that a unit missing a
    /// period has a gap there (its trends are taken over the same periods
    /// as everyone's).
    pub periods: Vec<String>,
    /// Indicators of the observations that are not [`SIGNALS`], ignored.
    pub ignored: Vec<String>,
    /// `(unit, period, result)` as indices into `units` and `periods`, by
    /// unit then period, for the periods in which the unit has any
    /// observation.
    pub stages: Vec<(usize, usize, StageResult)>,
}

/// Classifies every unit of a set of observations in every period
/// ([`classify`] per unit): the signals are the observations whose
/// indicator is one of [`SIGNALS`]; others are listed in
/// [`PanelStages::ignored`].
///
/// ```
/// use weaver_evaluation::Observation;
/// use weaver_evaluation::lifecycle::{classify_observations, LifecycleRules, LifecycleStage};
/// let obs: Vec<Observation> = [("2021", 100.0), ("2022", 90.0), ("2023", 80.0), ("2024", 70.0)]
///     .iter()
///     .flat_map(|(p, m)| [
///         Observation { unit: "c".into(), indicator: "members".into(), period: p.to_string(), value: *m },
///         Observation { unit: "c".into(), indicator: "public_funding_share".into(), period: p.to_string(), value: 0.1 },
///     ])
///     .collect();
/// let r = classify_observations(&obs, &LifecycleRules::default());
/// let (u, p, last) = r.stages.last().unwrap();
/// assert_eq!((r.units[*u].as_str(), r.periods[*p].as_str()), ("c", "2024"));
/// assert_eq!(last.lifecycle_stage, LifecycleStage::Decline);
/// ```
pub fn classify_observations(
    observations: &[crate::Observation],
    rules: &LifecycleRules,
) -> PanelStages {
    let mut units: Vec<String> = Vec::new();
    let mut unit_index: HashMap<&str, usize> = HashMap::new();
    let mut periods: Vec<String> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for o in observations {
        if !unit_index.contains_key(o.unit.as_str()) {
            unit_index.insert(&o.unit, units.len());
            units.push(o.unit.clone());
        }
        if !periods.contains(&o.period) {
            periods.push(o.period.clone());
        }
        if !SIGNALS.contains(&o.indicator.as_str()) && !ignored.contains(&o.indicator) {
            ignored.push(o.indicator.clone());
        }
    }
    periods.sort_unstable();
    let mut signals: Vec<UnitSignals> = vec![UnitSignals::default(); units.len()];
    let mut present = vec![vec![false; periods.len()]; units.len()];
    for o in observations {
        if !SIGNALS.contains(&o.indicator.as_str()) {
            continue;
        }
        let u = unit_index[o.unit.as_str()];
        let p = periods.binary_search(&o.period).unwrap_or(0);
        let series = signals[u]
            .values
            .entry(o.indicator.clone())
            .or_insert_with(|| vec![f64::NAN; periods.len()]);
        series[p] = o.value;
        present[u][p] = true;
    }
    let mut stages = Vec::new();
    for (u, unit_signals) in signals.iter().enumerate() {
        for (p, r) in classify(unit_signals, periods.len(), rules)
            .into_iter()
            .enumerate()
        {
            if present[u][p] {
                stages.push((u, p, r));
            }
        }
    }
    PanelStages {
        units,
        periods,
        ignored,
        stages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64;

    #[test]
    fn shipped_rules_parse() {
        let r = LifecycleRules::from_toml(DEFAULT_RULES).unwrap();
        assert_eq!(r.settings.window, 3);
        assert!(r.rules.len() >= 15);
        assert!(matches!(
            LifecycleRules::from_toml("rules = []\n[settings]\nwindow = 1\nmin_signals = 1\n"),
            Err(EvalError::MethodValue { .. })
        ));
        let bad_stage = "[settings]\nwindow = 3\nmin_signals = 1\n[[rules]]\nid = \"x\"\nclassification = \"policy\"\nstage = \"teen\"\nweight = 1.0\nwhen = [{ signal = \"lq\", measure = \"level\", op = \">\", value = 1.0 }]\n";
        assert!(LifecycleRules::from_toml(bad_stage).is_err());
    }

    #[test]
    fn trend_hand_worked() {
        // 10, 20, 30: slope 10, mean 20 → 0.5 per period.
        assert!((relative_trend(&[10.0, 20.0, 30.0], 2, 3) - 0.5).abs() < 1e-12);
        assert!(relative_trend(&[10.0, f64::NAN, f64::NAN], 2, 3).is_nan());
        assert!(relative_trend(&[10.0], 0, 3).is_nan());
    }

    type Series = Box<dyn Fn(usize) -> f64>;

    /// Seeded synthetic trajectories of known stage: 9 periods, noise of
    /// ±2% on every value.
    fn trajectory(kind: &str, rng: &mut Pcg64) -> UnitSignals {
        let n = 9;
        let mut noise = |v: f64| v * (1.0 + 0.04 * (rng.random::<f64>() - 0.5));
        let series = |f: &dyn Fn(usize) -> f64, noise: &mut dyn FnMut(f64) -> f64| -> Vec<f64> {
            (0..n).map(|t| noise(f(t))).collect()
        };
        let mut s = UnitSignals::default();
        let (members, public, density): (Series, f64, Series) = match kind {
            "emergence" => (
                Box::new(|t| 5.0 * 1.2f64.powi(t as i32)),
                0.7,
                Box::new(|_| 0.03),
            ),
            "growth" => (
                Box::new(|t| 40.0 * 1.12f64.powi(t as i32)),
                0.35,
                Box::new(|t| 0.05 * 1.15f64.powi(t as i32)),
            ),
            "sustainment" => (Box::new(|_| 120.0), 0.1, Box::new(|_| 0.2)),
            "decline" => (
                Box::new(|t| 150.0 * 0.88f64.powi(t as i32)),
                0.12,
                Box::new(|_| 0.2),
            ),
            _ => (
                // renewal: falls for 5 periods, then grows again
                Box::new(|t| {
                    if t <= 5 {
                        150.0 * 0.85f64.powi(t as i32)
                    } else {
                        150.0 * 0.85f64.powi(5) * 1.2f64.powi(t as i32 - 5)
                    }
                }),
                0.3,
                Box::new(|_| 0.12),
            ),
        };
        s.values
            .insert("members".into(), series(&*members, &mut noise));
        s.values.insert(
            "public_funding_share".into(),
            series(&|_| public, &mut noise),
        );
        s.values
            .insert("density".into(), series(&*density, &mut noise));
        s
    }

    #[test]
    fn synthetic_trajectories_get_their_stage() {
        let rules = LifecycleRules::default();
        let mut rng = Pcg64::seed_from_u64(2010);
        let expected = [
            ("emergence", "initial"),
            ("growth", "growth"),
            ("sustainment", "mature"),
            ("decline", "mature"),
            ("renewal", "growth"),
        ];
        for rep in 0..20 {
            for (kind, policy) in expected {
                let s = trajectory(kind, &mut rng);
                let r = classify(&s, 9, &rules);
                let last = &r[8];
                assert_eq!(
                    last.lifecycle_stage.as_str(),
                    kind,
                    "rep {rep}: {:?}",
                    last.fired
                );
                assert_eq!(
                    last.policy_stage.as_str(),
                    policy,
                    "rep {rep}: {:?}",
                    last.fired
                );
                assert!(!last.fired.is_empty());
            }
        }
    }

    #[test]
    fn too_little_data_is_undetermined() {
        let s = UnitSignals::default();
        let r = classify(&s, 2, &LifecycleRules::default());
        assert_eq!(r[1].policy_stage, PolicyStage::Undetermined);
        assert_eq!(r[1].lifecycle_stage, LifecycleStage::Undetermined);
        assert_eq!(r[1].policy_stage.as_str(), UNDETERMINED);
    }
}
