//! `weaver evaluate lifecycle`.

use weaver_evaluation::Observation;
use weaver_evaluation::lifecycle::LifecycleRules;

use crate::output::Table;

/// Builds the `evaluate lifecycle` table from observations (plain values),
/// as [`weaver_service::lifecycle::stages_of`] classifies them.
pub fn lifecycle_table(observations: &[Observation], rules: &LifecycleRules) -> Table {
    let r = weaver_service::lifecycle::stages_of(observations, rules, "", None, None);
    if !r.ignored.is_empty() {
        eprintln!(
            "note: not lifecycle signals, ignored: {}",
            r.ignored.join(", ")
        );
    }
    if !r.unreadable_periods.is_empty() {
        eprintln!(
            "note: not a year, quarter or month, left out: {}",
            r.unreadable_periods.join(", ")
        );
    }
    let mut table = Table::new(&[
        "unit",
        "period",
        "granularity",
        "policy_stage",
        "lifecycle_stage",
        "policy_verdict",
        "lifecycle_verdict",
        "rules",
        "reasons_en",
        "reasons_zh",
    ]);
    for s in &r.stages {
        let reasons = |f: fn(&weaver_service::lifecycle::FiredRow) -> &str| {
            s.fired.iter().map(f).collect::<Vec<_>>().join(" ")
        };
        table.push(vec![
            s.cluster.as_str().into(),
            s.period.as_str().into(),
            s.granularity.into(),
            s.policy_stage.as_str().into(),
            s.lifecycle_stage.as_str().into(),
            s.policy_verdict.as_str().into(),
            s.lifecycle_verdict.as_str().into(),
            s.rules.join("; ").into(),
            reasons(|f| f.reason_en.as_str()).into(),
            reasons(|f| f.reason_zh.as_str()).into(),
        ]);
    }
    table
}
