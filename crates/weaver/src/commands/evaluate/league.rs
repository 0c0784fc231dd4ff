//! `weaver evaluate index --from-register --population P`: the league table
//! of a named population, as `GET /api/v1/evaluation/index` gives it to an
//! admin ([`weaver_service::league`]).

use anyhow::Context;

use crate::commands::register;
use crate::output::{Cell, Table};

/// Builds the league table of `population` in `period` (money in
/// `currency`, default EUR): `unit,period,score,rank,coverage,missing`,
/// `missing` as `indicator:reason` items joined by `;`. The population,
/// currency, rates used and notices go to standard error.
pub(super) fn league_table(
    db: &str,
    population: &str,
    period: Option<&str>,
    currency: Option<&str>,
) -> anyhow::Result<Table> {
    let population = weaver_service::league::Population::parse(population)
        .map_err(anyhow::Error::from)
        .context("--population")?;
    let req = weaver_service::league::LeagueRequest {
        population,
        period: period.map(str::to_owned),
        currency: currency.map(str::to_owned),
    };
    let league = register::block_on(async {
        let store = register::open(db).await?;
        let out = weaver_service::league::league(&store, Some(&weaver_service::admin()), &req)
            .await
            .map_err(anyhow::Error::from)
            .context("the league table");
        store.close().await;
        out
    })?;
    eprintln!(
        "note: population {} ({} clusters), period {}, money in {}",
        req.population.label(),
        league.population.clusters,
        league.period,
        league.currency
    );
    for r in &league.rates {
        eprintln!(
            "note: rate {} {}: {} per EUR ({})",
            r.currency, r.year, r.per_eur, r.source
        );
    }
    for n in &league.notices {
        eprintln!("note: {n}");
    }
    let mut table = Table::new(&["unit", "period", "score", "rank", "coverage", "missing"]);
    for e in &league.clusters {
        let missing: Vec<String> = e
            .missing
            .iter()
            .map(|m| {
                let reason = serde_json::to_value(m.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                format!("{}:{reason}", m.indicator)
            })
            .collect();
        table.push(vec![
            e.cluster.as_str().into(),
            league.period.as_str().into(),
            e.score.into(),
            e.rank.into(),
            e.coverage.into(),
            Cell::from(missing.join(";")),
        ]);
    }
    Ok(table)
}
