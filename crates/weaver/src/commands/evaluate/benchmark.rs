//! `weaver evaluate benchmark`: dimension scores against peers
//! ([`weaver_service::ranking::benchmark`]), or trends
//! ([`weaver_service::ranking::trends`]).

use std::collections::HashMap;

use super::input::EvaluationData;
use crate::output::Table;

/// Builds the `evaluate benchmark` table (dimension profiles against peers).
pub fn benchmark_table(
    data: &EvaluationData,
    period: Option<&str>,
    groups: &HashMap<String, String>,
) -> anyhow::Result<Table> {
    let rows = weaver_service::ranking::benchmark(
        &data.panel,
        &data.method,
        period,
        data.groups.clone(),
        groups,
    )?;
    let mut table = Table::new(&[
        "unit",
        "period",
        "dimension",
        "score",
        "peer_median",
        "best",
        "distance_to_frontier",
    ]);
    for r in rows {
        table.push(vec![
            r.cluster.into(),
            r.period.into(),
            r.dimension.into(),
            r.score.into(),
            r.peer_median.into(),
            r.best.into(),
            r.distance_to_frontier.into(),
        ]);
    }
    Ok(table)
}

/// Builds the `evaluate benchmark --trends` table.
pub fn trends_table(data: &EvaluationData) -> Table {
    let mut table = Table::new(&["unit", "indicator", "from", "to", "change", "cagr"]);
    for r in weaver_service::ranking::trends(&data.panel) {
        table.push(vec![
            r.cluster.as_str().into(),
            r.indicator.as_str().into(),
            r.from.as_str().into(),
            r.to.as_str().into(),
            r.change.into(),
            r.cagr.into(),
        ]);
    }
    table
}
