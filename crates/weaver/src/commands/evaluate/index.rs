//! `weaver evaluate index`: the composite index, its rank intervals, TOPSIS.

use anyhow::Context;
use weaver_evaluation::index::PeriodData;
use weaver_evaluation::uncertainty::{UncertaintyOptions, rank_uncertainty};
use weaver_evaluation::{IndexOptions, composite_index};

use super::args::Ranking;
use super::input::EvaluationData;
use crate::output::{Cell, Table};

/// The periods to compute: the one asked for, or all.
fn periods(data: &EvaluationData, period: Option<&str>) -> Vec<usize> {
    match period.and_then(|p| data.panel.period_index(p)) {
        Some(p) => vec![p],
        None => (0..data.panel.periods.len()).collect(),
    }
}

/// Builds the `evaluate index` table.
pub fn index_table(
    data: &EvaluationData,
    period: Option<&str>,
    uncertainty: Option<usize>,
    seed: u64,
    ranking: Ranking,
) -> anyhow::Result<Table> {
    let options = IndexOptions {
        groups: data.groups.clone(),
        period: period.map(str::to_owned),
    };
    let result = composite_index(&data.panel, &data.method, &options)?;
    for n in &result.framework.notices {
        eprintln!("note: {n}");
    }
    let mut cols = vec!["unit", "period", "score", "rank"];
    if uncertainty.is_some() {
        cols.extend(["rank_median", "rank_p5", "rank_p95"]);
    }
    cols.push("coverage");
    let mut table = Table::new(&cols);
    let wanted = periods(data, period);
    for (pr, &p) in result.periods.iter().zip(&wanted) {
        for n in &pr.notices {
            eprintln!("note: {n}");
        }
        let mc = match uncertainty {
            Some(runs) => {
                let input = PeriodData::of(&data.panel, &result.framework, p);
                let opts = UncertaintyOptions {
                    runs,
                    seed,
                    ..UncertaintyOptions::default()
                };
                let r = rank_uncertainty(
                    &input.as_input(),
                    &result.framework,
                    &data.method,
                    data.groups.as_deref(),
                    &opts,
                )
                .with_context(|| format!("uncertainty analysis of period {}", pr.period))?;
                if r.runs_failed > 0 {
                    eprintln!(
                        "note: period {}: {} of {runs} runs could not be computed, e.g. {}",
                        pr.period,
                        r.runs_failed,
                        r.failures.first().map_or("", String::as_str)
                    );
                }
                Some(r)
            }
            None => None,
        };
        let (scores, ranks) = match ranking {
            Ranking::Index => (pr.scores.clone(), pr.ranks.clone()),
            Ranking::Topsis => pr.topsis(&result.framework)?,
        };
        for (u, unit) in data.panel.units.iter().enumerate() {
            if !pr.present[u] {
                continue;
            }
            let mut row: Vec<Cell> = vec![
                unit.as_str().into(),
                pr.period.as_str().into(),
                scores[u].into(),
                ranks[u].into(),
            ];
            if let Some(r) = &mc {
                row.extend([r.median[u].into(), r.p5[u].into(), r.p95[u].into()]);
            }
            row.push(pr.coverage[u].into());
            table.push(row);
        }
    }
    Ok(table)
}
