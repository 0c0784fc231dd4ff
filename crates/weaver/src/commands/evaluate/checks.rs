//! `weaver evaluate checks`.

use super::input::EvaluationData;
use crate::output::Table;

/// Builds the `evaluate checks` table.
pub fn checks_table(data: &EvaluationData, period: Option<&str>) -> anyhow::Result<Table> {
    let rows =
        weaver_service::ranking::checks(&data.panel, &data.method, period, data.groups.clone())?;
    let mut table = Table::new(&[
        "period",
        "indicator",
        "dimension",
        "availability",
        "skew",
        "kurtosis",
        "outlier",
        "dimension_alpha",
        "negative_correlations",
    ]);
    for c in rows {
        table.push(vec![
            c.period.as_str().into(),
            c.indicator.as_str().into(),
            c.dimension.as_str().into(),
            c.availability.into(),
            c.skew.into(),
            c.kurtosis.into(),
            c.outlier.into(),
            c.dimension_alpha.into(),
            c.negative_correlations.into(),
        ]);
    }
    Ok(table)
}
