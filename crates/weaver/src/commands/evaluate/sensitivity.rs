//! `weaver evaluate sensitivity`.

use super::input::EvaluationData;
use crate::output::Table;

/// Builds the `evaluate sensitivity` table.
pub fn sensitivity_table(
    data: &EvaluationData,
    period: Option<&str>,
    runs: usize,
    seed: u64,
    loo: bool,
) -> anyhow::Result<Table> {
    let s = weaver_service::ranking::sensitivity(
        &data.panel,
        &data.method,
        period,
        runs,
        seed,
        loo,
        data.groups.as_deref(),
    )?;
    for n in &s.notices {
        eprintln!("note: {n}");
    }
    if loo {
        let mut table = Table::new(&["period", "indicator", "mean_rank_shift"]);
        for r in s.leave_one_out {
            table.push(vec![
                r.period.as_str().into(),
                r.indicator.as_str().into(),
                r.mean_rank_shift.into(),
            ]);
        }
        return Ok(table);
    }
    let mut table = Table::new(&[
        "period",
        "factor",
        "first_order",
        "first_order_low",
        "first_order_high",
        "total",
        "total_low",
        "total_high",
    ]);
    for r in s.factors {
        table.push(vec![
            r.period.as_str().into(),
            r.factor.as_str().into(),
            r.first_order.into(),
            r.first_order_low.into(),
            r.first_order_high.into(),
            r.total.into(),
            r.total_low.into(),
            r.total_high.into(),
        ]);
    }
    Ok(table)
}
