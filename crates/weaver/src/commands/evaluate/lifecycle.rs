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
    let mut table = Table::new(&["unit", "period", "policy_stage", "lifecycle_stage", "rules"]);
    for s in &r.stages {
        table.push(vec![
            s.cluster.as_str().into(),
            s.period.as_str().into(),
            s.policy_stage.as_str().into(),
            s.lifecycle_stage.as_str().into(),
            s.rules.join("; ").into(),
        ]);
    }
    table
}
