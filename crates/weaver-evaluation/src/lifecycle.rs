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
    /// Consecutive periods in which the rules must give a new stage before
    /// the stage changes (≥ 1; 1 changes on every period's verdict; 2 when
    /// the file does not say).
    #[serde(default = "default_confirm_periods")]
    pub confirm_periods: usize,
}

fn default_confirm_periods() -> usize {
    2
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
                confirm_periods: 2,
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
    /// for an unknown stage or operator, a window below 2, a
    /// `confirm_periods` below 1 or a rule without conditions.
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
        if r.settings.confirm_periods < 1 {
            return Err(bad(
                "settings.confirm_periods".into(),
                r.settings.confirm_periods.to_string(),
                "at least 1",
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

/// The granularity of a period: the step of the series it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// `YYYY`.
    Year,
    /// `YYYY-Qn`.
    Quarter,
    /// `YYYY-MM`.
    Month,
}

impl Granularity {
    /// `year`, `quarter` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Year => "year",
            Granularity::Quarter => "quarter",
            Granularity::Month => "month",
        }
    }
}

/// A period label read as its granularity and its position on that
/// granularity's calendar axis (years: the year; quarters: 4·year + q − 1;
/// months: 12·year + m − 1), so that consecutive periods differ by one.
/// `None` for any other text. Accepts what `weaver_core::period::Period`
/// accepts (`2024`, `2024-Q3` or `2024-q3`, `2024-07`).
///
/// ```
/// use weaver_evaluation::lifecycle::{period_position, Granularity};
/// assert_eq!(period_position("2024"), Some((Granularity::Year, 2024)));
/// assert_eq!(period_position("2024-Q1"), Some((Granularity::Quarter, 8096)));
/// assert_eq!(period_position("2023-q4"), Some((Granularity::Quarter, 8095)));
/// assert_eq!(period_position("2024-01"), Some((Granularity::Month, 24288)));
/// assert_eq!(period_position("late"), None);
/// ```
pub fn period_position(label: &str) -> Option<(Granularity, i64)> {
    let num = |s: &str, n: usize| -> Option<i64> {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    let year = num(y, 4).filter(|y| *y >= 1000)?;
    match rest {
        None => Some((Granularity::Year, year)),
        Some(r) => {
            if let Some(q) = r.strip_prefix(['Q', 'q']) {
                let q = num(q, 1).filter(|q| (1..=4).contains(q))?;
                Some((Granularity::Quarter, 4 * year + q - 1))
            } else {
                let m = num(r, 2).filter(|m| (1..=12).contains(m))?;
                Some((Granularity::Month, 12 * year + m - 1))
            }
        }
    }
}

/// One unit's signals over consecutive periods of one granularity (in
/// chronological order, one value per period); `NaN` is missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitSignals {
    /// Values by signal id, each as long as the period list.
    pub values: HashMap<String, Vec<f64>>,
}

/// What a fired rule saw of one signal and measure, with the comparisons
/// of the rule it satisfied.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Signal id.
    pub signal: String,
    /// Level or trend.
    pub measure: Measure,
    /// Its value in the period.
    pub value: f64,
    /// `(op, threshold)` of each condition on this signal and measure.
    pub conditions: Vec<(String, f64)>,
}

/// A rule that fired, with the values that made it fire.
#[derive(Debug, Clone, PartialEq)]
pub struct FiredRule {
    /// Rule id.
    pub id: String,
    /// The classification it voted in.
    pub classification: Classification,
    /// The stage it voted for.
    pub stage: String,
    /// Each signal and measure its conditions read, once, in the order of
    /// the conditions.
    pub evidence: Vec<Evidence>,
    /// The rule as an English sentence with its numbers.
    pub reason_en: String,
    /// The rule as a Chinese sentence with its numbers.
    pub reason_zh: String,
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Level => "level",
        Measure::Trend => "trend",
        Measure::PriorTrend => "prior_trend",
    }
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

impl FiredRule {
    /// `id(signal.measure=value, …)`, each signal and measure once.
    pub fn describe(&self) -> String {
        let ev: Vec<String> = self
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{}.{}={}",
                    e.signal,
                    measure_name(e.measure),
                    round4(e.value)
                )
            })
            .collect();
        format!("{}({})", self.id, ev.join(", "))
    }
}

/// English and Chinese names of a signal.
fn signal_names(signal: &str) -> (&str, &str) {
    match signal {
        "members" => ("the number of members", "成员数"),
        "employment" => ("employment", "就业人数"),
        "lq" => ("the location quotient", "区位商"),
        "density" => ("the density of the members' network", "成员网络密度"),
        "cross_actor_share" => ("the share of ties across actor types", "跨类型主体合作占比"),
        "public_funding_share" => ("the public share of funding", "公共资金占比"),
        "field_entropy" => ("the entropy of the technology fields", "技术领域熵"),
        "entry_rate" => ("the entry rate of members", "新成员进入率"),
        other => (other, other),
    }
}

/// English and Chinese names of a stage of a classification.
fn stage_names(class: Classification, stage: &str) -> (String, String) {
    let zh = match (class, stage) {
        (Classification::Policy, "initial") => "起步期（政府主导）",
        (Classification::Policy, "growth") => "成长期（多主体协同）",
        (Classification::Policy, "mature") => "成熟期（市场主导）",
        (Classification::Lifecycle, "emergence") => "萌芽期",
        (Classification::Lifecycle, "growth") => "成长期",
        (Classification::Lifecycle, "sustainment") => "稳定期",
        (Classification::Lifecycle, "decline") => "衰退期",
        (Classification::Lifecycle, "renewal") => "更新期",
        _ => stage,
    };
    let (en_class, zh_class) = match class {
        Classification::Policy => ("policy stage", "政策阶段"),
        Classification::Lifecycle => ("lifecycle stage", "生命周期阶段"),
    };
    (format!("{en_class} {stage}"), format!("{zh_class}“{zh}”"))
}

/// The two sentences of a fired rule.
fn reasons(
    id: &str,
    class: Classification,
    stage: &str,
    evidence: &[Evidence],
    granularity: Granularity,
    window: usize,
) -> (String, String) {
    let (unit_en, units_en, unit_zh) = match granularity {
        Granularity::Year => ("year", "years", "年"),
        Granularity::Quarter => ("quarter", "quarters", "个季度"),
        Granularity::Month => ("month", "months", "个月"),
    };
    let per_zh = match granularity {
        Granularity::Year => "每年",
        Granularity::Quarter => "每季度",
        Granularity::Month => "每月",
    };
    let mut en = Vec::new();
    let mut zh = Vec::new();
    for e in evidence {
        let (s_en, s_zh) = signal_names(&e.signal);
        let relative = e.measure != Measure::Level;
        let num = |v: f64| {
            if relative {
                format!("{:+}%", round4(v * 100.0))
            } else {
                round4(v).to_string()
            }
        };
        let c_en: Vec<String> = e
            .conditions
            .iter()
            .map(|(op, t)| {
                let w = match op.as_str() {
                    ">" => "above",
                    ">=" => "at least",
                    "<" => "below",
                    _ => "at most",
                };
                format!("{w} {}", num(*t))
            })
            .collect();
        let c_zh: Vec<String> = e
            .conditions
            .iter()
            .map(|(op, t)| {
                let w = match op.as_str() {
                    ">" => "高于",
                    ">=" => "不低于",
                    "<" => "低于",
                    _ => "不高于",
                };
                format!("{w} {}", num(*t))
            })
            .collect();
        let (c_en, c_zh) = (c_en.join(" and "), c_zh.join(" 且"));
        let value = if relative {
            format!("{:+.2}%", e.value * 100.0)
        } else {
            round4(e.value).to_string()
        };
        match e.measure {
            Measure::Level => {
                en.push(format!("{s_en} is {value} ({c_en})"));
                zh.push(format!("{s_zh}为 {value}（{c_zh}）"));
            }
            Measure::Trend => {
                en.push(format!(
                    "{s_en} changed by {value} per {unit_en} over the last {window} {units_en} ({c_en})"
                ));
                zh.push(format!(
                    "{s_zh}近 {window} {unit_zh}{per_zh}变化 {value}（{c_zh}）"
                ));
            }
            Measure::PriorTrend => {
                en.push(format!(
                    "{s_en} changed by {value} per {unit_en} in the {window} {units_en} before those ({c_en})"
                ));
                zh.push(format!(
                    "{s_zh}在此前 {window} {unit_zh}{per_zh}变化 {value}（{c_zh}）"
                ));
            }
        }
    }
    let (st_en, st_zh) = stage_names(class, stage);
    (
        format!("{st_en}, rule {id}: {}.", en.join("; ")),
        format!("{st_zh}，规则 {id}：{}。", zh.join("；")),
    )
}

/// The classification of one unit in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    /// Policy stage after confirmation (see [`classify`]), or
    /// [`PolicyStage::Undetermined`].
    pub policy_stage: PolicyStage,
    /// Lifecycle stage after confirmation, or
    /// [`LifecycleStage::Undetermined`].
    pub lifecycle_stage: LifecycleStage,
    /// What the rules give in this period alone (before confirmation).
    pub policy_verdict: PolicyStage,
    /// What the rules give in this period alone (before confirmation).
    pub lifecycle_verdict: LifecycleStage,
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

/// The stages after confirmation from the verdicts of consecutive periods
/// (`None`: undetermined): a period whose verdict is undetermined is
/// undetermined; the first determined verdict of the series is the stage
/// (there is nothing to change from); afterwards the stage changes to a new
/// verdict only when that verdict is the same in `k` consecutive periods
/// ending at this one, and until then the last stage is kept.
fn confirm<S: Copy + PartialEq>(verdicts: &[Option<S>], k: usize) -> Vec<Option<S>> {
    let mut current: Option<S> = None;
    verdicts
        .iter()
        .enumerate()
        .map(|(t, v)| {
            let v = (*v)?;
            let held = t + 1 >= k && verdicts[t + 1 - k..=t].iter().all(|x| *x == Some(v));
            if current.is_none() || held {
                current = Some(v);
            }
            current
        })
        .collect()
}

/// Classifies one unit in every period of one granularity.
///
/// `signals` holds one value per consecutive period (a period without data
/// is `NaN`), so a trend window of `window` periods spans that many
/// calendar steps of `granularity`, whatever is missing in it. For period
/// t each rule is checked: it fires when every condition's measure is
/// available and satisfies its comparison. Each classification's verdict
/// is the stage with the largest total weight of its fired rules; no fired
/// rule, a tie between the two largest, or fewer than `min_signals` signals
/// with a value in t give "undetermined" — never a guess. The stage is
/// the verdict confirmed over `confirm_periods` consecutive periods: the
/// first determined verdict starts the series; a different verdict becomes
/// the stage only once it is the verdict of `confirm_periods` consecutive
/// periods (a period without data breaks the run), the last stage standing
/// until then; a period whose verdict is undetermined is undetermined.
/// Only t and the periods before it are read.
///
/// ```
/// use weaver_evaluation::lifecycle::{classify, Granularity, LifecycleRules, LifecycleStage, PolicyStage, UnitSignals};
/// let mut s = UnitSignals::default();
/// s.values.insert("members".into(), vec![100.0, 90.0, 80.0, 70.0]);
/// s.values.insert("public_funding_share".into(), vec![0.1, 0.1, 0.1, 0.1]);
/// let r = classify(&s, 4, &LifecycleRules::default(), Granularity::Year);
/// assert_eq!(r[3].lifecycle_stage, LifecycleStage::Decline);
/// assert_eq!(r[3].policy_stage, PolicyStage::Mature);
/// assert_eq!(r[0].lifecycle_stage.as_str(), "undetermined"); // no trend yet
/// ```
pub fn classify(
    signals: &UnitSignals,
    n_periods: usize,
    rules: &LifecycleRules,
    granularity: Granularity,
) -> Vec<StageResult> {
    let w = rules.settings.window;
    let mut out: Vec<StageResult> = (0..n_periods)
        .map(|t| {
            let available = signals
                .values
                .values()
                .filter(|v| v.get(t).is_some_and(|x| x.is_finite()))
                .count();
            let mut fired = Vec::new();
            for rule in &rules.rules {
                let mut evidence: Vec<Evidence> = Vec::with_capacity(rule.when.len());
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
                        match evidence
                            .iter_mut()
                            .find(|e| e.signal == c.signal && e.measure == c.measure)
                        {
                            Some(e) => e.conditions.push((c.op.clone(), c.value)),
                            None => evidence.push(Evidence {
                                signal: c.signal.clone(),
                                measure: c.measure,
                                value: v,
                                conditions: vec![(c.op.clone(), c.value)],
                            }),
                        }
                    }
                    hold
                });
                if ok {
                    let (reason_en, reason_zh) = reasons(
                        &rule.id,
                        rule.classification,
                        &rule.stage,
                        &evidence,
                        granularity,
                        w,
                    );
                    fired.push(FiredRule {
                        id: rule.id.clone(),
                        classification: rule.classification,
                        stage: rule.stage.clone(),
                        evidence,
                        reason_en,
                        reason_zh,
                    });
                }
            }
            let enough = available >= rules.settings.min_signals.max(1);
            StageResult {
                policy_verdict: enough
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
                lifecycle_verdict: enough
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
                policy_stage: PolicyStage::Undetermined,
                lifecycle_stage: LifecycleStage::Undetermined,
                fired,
                signals_available: available,
            }
        })
        .collect();
    let k = rules.settings.confirm_periods.max(1);
    let policy: Vec<Option<PolicyStage>> = out
        .iter()
        .map(|r| (r.policy_verdict != PolicyStage::Undetermined).then_some(r.policy_verdict))
        .collect();
    let lifecycle: Vec<Option<LifecycleStage>> = out
        .iter()
        .map(|r| {
            (r.lifecycle_verdict != LifecycleStage::Undetermined).then_some(r.lifecycle_verdict)
        })
        .collect();
    for ((r, p), l) in out
        .iter_mut()
        .zip(confirm(&policy, k))
        .zip(confirm(&lifecycle, k))
    {
        r.policy_stage = p.unwrap_or(PolicyStage::Undetermined);
        r.lifecycle_stage = l.unwrap_or(LifecycleStage::Undetermined);
    }
    out
}

/// The stages of every unit with observations, in every period it has one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelStages {
    /// Unit ids, in order of first appearance.
    pub units: Vec<String>,
    /// The periods of the observations, in chronological order (by first
    /// day, a year before its quarters before its months).
    pub periods: Vec<String>,
    /// Indicators of the observations that are not [`SIGNALS`], ignored.
    pub ignored: Vec<String>,
    /// Period labels that are not a year, quarter or month
    /// ([`period_position`]), whose observations are left out.
    pub unreadable_periods: Vec<String>,
    /// `(unit, period, result)` as indices into `units` and `periods`, by
    /// unit then period, for the periods in which the unit has a signal.
    pub stages: Vec<(usize, usize, StageResult)>,
}

/// A value of a unit's series: (position, signal, value).
type Cell<'a> = (i64, &'a str, f64);

/// Chronological order of period labels: first day, then year < quarter <
/// month.
fn chronological(label: &str) -> (i64, Granularity) {
    match period_position(label) {
        Some((Granularity::Year, y)) => (12 * y, Granularity::Year),
        Some((Granularity::Quarter, q)) => (3 * q, Granularity::Quarter),
        Some((Granularity::Month, m)) => (m, Granularity::Month),
        None => (i64::MAX, Granularity::Month),
    }
}

/// Classifies every unit of a set of observations in every period
/// ([`classify`] per unit and granularity).
///
/// Each unit is classified from its own observations only: its series of
/// each granularity runs over consecutive periods from its own first to
/// its own last period of that granularity, so another unit's rows, and
/// periods after P, never change a unit's stage at P. Granularities are
/// kept apart: a year's stage reads the unit's yearly values, a quarter's
/// its quarterly values, a month's its monthly values (a quarterly value
/// is not a year's, and a trend per quarter is not a trend per year).
/// The signals are the observations whose indicator is one of
/// [`SIGNALS`]; others are listed in [`PanelStages::ignored`], and periods
/// that are not a year, quarter or month in
/// [`PanelStages::unreadable_periods`]. Of two values of one unit, signal
/// and period, the last wins.
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
    let mut unreadable: Vec<String> = Vec::new();
    // Per unit and granularity: (position, signal, value).
    let mut cells: Vec<HashMap<Granularity, Vec<Cell>>> = Vec::new();
    for o in observations {
        if !SIGNALS.contains(&o.indicator.as_str()) {
            if !ignored.contains(&o.indicator) {
                ignored.push(o.indicator.clone());
            }
            continue;
        }
        let Some((g, pos)) = period_position(&o.period) else {
            if !unreadable.contains(&o.period) {
                unreadable.push(o.period.clone());
            }
            continue;
        };
        let u = *unit_index.entry(o.unit.as_str()).or_insert_with(|| {
            units.push(o.unit.clone());
            cells.push(HashMap::new());
            units.len() - 1
        });
        cells[u]
            .entry(g)
            .or_default()
            .push((pos, o.indicator.as_str(), o.value));
    }
    // The labels, one per (granularity, position), first seen wins.
    let mut label_of: HashMap<(Granularity, i64), String> = HashMap::new();
    for o in observations {
        if !SIGNALS.contains(&o.indicator.as_str()) {
            continue;
        }
        if let Some(key) = period_position(&o.period) {
            label_of.entry(key).or_insert_with(|| o.period.clone());
        }
    }
    periods.extend(label_of.values().cloned());
    periods.sort_by_key(|p| chronological(p));
    let period_index: HashMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut stages = Vec::new();
    for (u, by_granularity) in cells.iter().enumerate() {
        let mut unit_stages = Vec::new();
        for (&g, cells) in by_granularity {
            let first = cells.iter().map(|c| c.0).min().unwrap_or(0);
            let last = cells.iter().map(|c| c.0).max().unwrap_or(0);
            let n = usize::try_from(last - first + 1).unwrap_or(0);
            let mut signals = UnitSignals::default();
            let mut present = vec![false; n];
            for &(pos, signal, value) in cells {
                let t = usize::try_from(pos - first).unwrap_or(0);
                signals
                    .values
                    .entry(signal.to_owned())
                    .or_insert_with(|| vec![f64::NAN; n])[t] = value;
                present[t] = true;
            }
            for (t, r) in classify(&signals, n, rules, g).into_iter().enumerate() {
                if present[t] {
                    let label = &label_of[&(g, first + t as i64)];
                    unit_stages.push((u, period_index[label.as_str()], r));
                }
            }
        }
        unit_stages.sort_by_key(|s| s.1);
        stages.extend(unit_stages);
    }
    PanelStages {
        units,
        periods,
        ignored,
        unreadable_periods: unreadable,
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
                let r = classify(&s, 9, &rules, Granularity::Year);
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
        let r = classify(&s, 2, &LifecycleRules::default(), Granularity::Year);
        assert_eq!(r[1].policy_stage, PolicyStage::Undetermined);
        assert_eq!(r[1].lifecycle_stage, LifecycleStage::Undetermined);
        assert_eq!(r[1].policy_stage.as_str(), UNDETERMINED);
    }

    fn obs(unit: &str, indicator: &str, period: &str, value: f64) -> crate::Observation {
        crate::Observation {
            unit: unit.into(),
            indicator: indicator.into(),
            period: period.into(),
            value,
        }
    }

    /// The stage rows of `unit`: (period, policy, lifecycle, rules).
    fn rows_of(r: &PanelStages, unit: &str) -> Vec<(String, String, String, Vec<String>)> {
        r.stages
            .iter()
            .filter(|(u, _, _)| r.units[*u] == unit)
            .map(|(_, p, s)| {
                (
                    r.periods[*p].clone(),
                    s.policy_stage.to_string(),
                    s.lifecycle_stage.to_string(),
                    s.fired.iter().map(FiredRule::describe).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn another_clusters_quarter_does_not_move_a_clusters_year() {
        // Dresden's employment 100, 106, 111 in 2022–2024: the trend over
        // three years is the OLS slope 5.5 over the mean 105.667 = 0.05205,
        // above 0.05: employment_growing. One quarterly observation of
        // another cluster (2023-Q4) once slid into Dresden's axis between
        // 2023 and 2024 and left two points two steps apart: slope 2.5 over
        // 108.5 = 0.0230, employment_stable.
        let dresden: Vec<crate::Observation> = [("2022", 100.0), ("2023", 106.0), ("2024", 111.0)]
            .iter()
            .map(|(p, v)| obs("dresden", "employment", p, *v))
            .collect();
        let rules = LifecycleRules::default();
        let alone = classify_observations(&dresden, &rules);
        let mut with = dresden.clone();
        with.push(obs("chengdu", "members", "2023-Q4", 12.0));
        with.push(obs("chengdu", "employment", "2025", 10.0));
        let both = classify_observations(&with, &rules);
        assert_eq!(rows_of(&alone, "dresden"), rows_of(&both, "dresden"));
        let last = rows_of(&both, "dresden").pop().unwrap();
        assert_eq!(last.0, "2024");
        assert_eq!(last.3, ["employment_growing(employment.trend=0.0521)"]);
        let (_, _, s) = both
            .stages
            .iter()
            .find(|(u, p, _)| both.units[*u] == "dresden" && both.periods[*p] == "2024")
            .unwrap();
        let t = s.fired[0].evidence[0].value;
        assert!((t - 5.5 / (317.0 / 3.0)).abs() < 1e-12, "{t}");
        assert_eq!(both.periods, ["2022", "2023", "2023-Q4", "2024", "2025"]);
    }

    #[test]
    fn granularities_are_separate_series() {
        // Yearly members flat at 120; quarterly members 100, 110, 120 in
        // 2024-Q1..Q3: the quarters' trend is slope 10 over mean 110 =
        // 0.0909 per quarter, and the years never see it.
        let mut o: Vec<crate::Observation> = ["2022", "2023", "2024"]
            .iter()
            .map(|p| obs("c", "members", p, 120.0))
            .collect();
        let years = classify_observations(&o, &LifecycleRules::default());
        for (q, v) in [("2024-Q1", 100.0), ("2024-Q2", 110.0), ("2024-q3", 120.0)] {
            o.push(obs("c", "employment", q, v));
        }
        let r = classify_observations(&o, &LifecycleRules::default());
        assert_eq!(
            r.periods,
            ["2022", "2023", "2024", "2024-Q1", "2024-Q2", "2024-q3"]
        );
        let rows = rows_of(&r, "c");
        assert_eq!(rows[..3], rows_of(&years, "c")[..]);
        assert_eq!(rows[2].2, "sustainment");
        assert_eq!(
            rows[2].3,
            ["large_and_stable(members.level=120, members.trend=0)"]
        );
        // 2024-Q3: employment growing per quarter (its first trend, so the
        // first verdict, is the stage).
        assert_eq!(rows[5].2, "growth");
        assert_eq!(rows[5].3, ["employment_growing(employment.trend=0.0909)"]);
        let (_, _, s) = r.stages.last().unwrap();
        assert_eq!(
            s.fired[0].reason_en,
            "lifecycle stage growth, rule employment_growing: employment changed by +9.09% per quarter over the last 3 quarters (above +5%)."
        );
        assert_eq!(
            s.fired[0].reason_zh,
            "生命周期阶段“成长期”，规则 employment_growing：就业人数近 3 个季度每季度变化 +9.09%（高于 +5%）。"
        );
    }

    #[test]
    fn unreadable_periods_are_listed_and_left_out() {
        let o = vec![
            obs("c", "members", "late", 1.0),
            obs("c", "members", "2024", 40.0),
        ];
        let r = classify_observations(&o, &LifecycleRules::default());
        assert_eq!(r.unreadable_periods, ["late"]);
        assert_eq!(r.periods, ["2024"]);
        assert_eq!(r.stages.len(), 1);
    }

    /// Policy initial at a public share ≥ 0.5, growth below.
    fn two_rules(confirm: usize) -> LifecycleRules {
        LifecycleRules::from_toml(&format!(
            "[settings]\nwindow = 3\nmin_signals = 1\nconfirm_periods = {confirm}\n\
             [[rules]]\nid = \"high\"\nclassification = \"policy\"\nstage = \"initial\"\nweight = 1.0\n\
             when = [{{ signal = \"public_funding_share\", measure = \"level\", op = \">=\", value = 0.5 }}]\n\
             [[rules]]\nid = \"low\"\nclassification = \"policy\"\nstage = \"growth\"\nweight = 1.0\n\
             when = [{{ signal = \"public_funding_share\", measure = \"level\", op = \"<\", value = 0.5 }}]\n"
        ))
        .unwrap()
    }

    fn policy_stages(series: &[f64], rules: &LifecycleRules) -> (Vec<String>, Vec<String>) {
        let mut s = UnitSignals::default();
        s.values
            .insert("public_funding_share".into(), series.to_vec());
        let r = classify(&s, series.len(), rules, Granularity::Year);
        (
            r.iter().map(|x| x.policy_verdict.to_string()).collect(),
            r.iter().map(|x| x.policy_stage.to_string()).collect(),
        )
    }

    #[test]
    fn a_stage_changes_only_when_confirmed() {
        let series = [0.6, 0.4, 0.6, 0.4, 0.4, 0.6, f64::NAN, 0.6, 0.6];
        let (verdicts, stages) = policy_stages(&series, &two_rules(2));
        let i = "initial";
        let g = "growth";
        let u = "undetermined";
        assert_eq!(verdicts, [i, g, i, g, g, i, u, i, i]);
        // The first verdict starts; growth is confirmed in the 5th period
        // (two in a row); one initial does not undo it; the gap is
        // undetermined and breaks the run, so initial is confirmed only in
        // the 9th.
        assert_eq!(stages, [i, i, i, i, g, g, u, g, i]);
        // confirm_periods = 1: every verdict is its stage.
        let (_, stages) = policy_stages(&series, &two_rules(1));
        assert_eq!(stages, verdicts);
        // Three periods.
        let (_, stages) = policy_stages(&[0.6, 0.4, 0.4, 0.4], &two_rules(3));
        assert_eq!(stages, [i, i, i, g]);
        assert_eq!(LifecycleRules::default().settings.confirm_periods, 2);
        assert!(matches!(
            LifecycleRules::from_toml("rules = []\n[settings]\nwindow = 3\nmin_signals = 1\nconfirm_periods = 0\n"),
            Err(EvalError::MethodValue { key, .. }) if key == "settings.confirm_periods"
        ));
        // A file without the setting confirms over two periods.
        let r = LifecycleRules::from_toml("rules = []\n[settings]\nwindow = 3\nmin_signals = 1\n")
            .unwrap();
        assert_eq!(r.settings.confirm_periods, 2);
    }

    #[test]
    fn evidence_is_given_once_and_as_sentences() {
        let o = vec![obs("c", "public_funding_share", "2024", 0.30345)];
        let r = classify_observations(&o, &LifecycleRules::default());
        let s = &r.stages[0].2;
        assert_eq!(s.policy_stage, PolicyStage::Growth);
        assert_eq!(s.fired.len(), 1);
        let f = &s.fired[0];
        assert_eq!(
            f.describe(),
            "public_share_mixed(public_funding_share.level=0.3035)"
        );
        assert_eq!(f.evidence.len(), 1);
        assert_eq!(
            f.reason_en,
            "policy stage growth, rule public_share_mixed: the public share of funding is 0.3035 (at least 0.2 and below 0.5)."
        );
        assert_eq!(
            f.reason_zh,
            "政策阶段“成长期（多主体协同）”，规则 public_share_mixed：公共资金占比为 0.3035（不低于 0.2 且低于 0.5）。"
        );
    }
}
