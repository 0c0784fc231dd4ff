//! `weaver evaluate lifecycle`.

use weaver_evaluation::Observation;
use weaver_evaluation::lifecycle::{self, LifecycleRules};

use crate::output::Table;

/// Builds the `evaluate lifecycle` table from observations (plain values).
pub fn lifecycle_table(observations: &[Observation], rules: &LifecycleRules) -> Table {
    let r = lifecycle::classify_observations(observations, rules);
    if !r.ignored.is_empty() {
        eprintln!(
            "note: not lifecycle signals, ignored: {}",
            r.ignored.join(", ")
        );
    }
    let mut table = Table::new(&["unit", "period", "policy_stage", "lifecycle_stage", "rules"]);
    for (u, p, stage) in &r.stages {
        let fired: Vec<String> = stage.fired.iter().map(|f| f.describe()).collect();
        table.push(vec![
            r.units[*u].as_str().into(),
            r.periods[*p].as_str().into(),
            stage.policy_stage.as_str().into(),
            stage.lifecycle_stage.as_str().into(),
            fired.join("; ").into(),
        ]);
    }
    table
}
