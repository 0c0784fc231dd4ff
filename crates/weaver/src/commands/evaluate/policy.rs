//! `weaver evaluate policy`: difference in differences
//! ([`weaver_service::policy::difference_in_differences`]) and public shares
//! ([`weaver_service::policy::public_shares`]), from files or the register.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};
use weaver_evaluation::policy;

use super::args::PolicyArgs;
use weaver_io::csv_table::CsvError;

use super::input::{read_keyed, read_observations};
use crate::commands::from_register;
use crate::output::Table;

/// `evaluate policy --from-register --public-share`.
fn public_share_from_register(db: &str, period: Option<&str>) -> anyhow::Result<Table> {
    let year = from_register::period_of("--period", period)?.map(|p| i64::from(p.year()));
    let facts = from_register::evaluation_facts(db)?;
    if facts.funding.is_empty() {
        bail!("the register holds no funding: import a funding table first");
    }
    let mut table = Table::new(&["cluster", "year", "public_share"]);
    for r in weaver_service::policy::public_shares(&facts, year) {
        table.push(vec![r.cluster.into(), r.year.into(), r.public_share.into()]);
    }
    Ok(table)
}

pub(super) fn policy_command(a: &PolicyArgs, db: &str) -> anyhow::Result<Table> {
    if a.public_share {
        return public_share_from_register(db, a.period.as_deref());
    }
    if let Some(f) = &a.funding {
        let keyed = read_keyed(f, &["recipient"], &["source_type", "amount", "year"])?;
        let mut keys: Vec<(String, String)> = Vec::new();
        let mut amounts: HashMap<(String, String), Vec<(String, f64)>> = HashMap::new();
        for (line, r) in keyed.rows {
            let (st, amt, year) = (
                r["source_type"].clone(),
                r["amount"].clone(),
                r["year"].clone(),
            );
            let v: f64 = amt
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    CsvError::cell(
                        &keyed.name,
                        line,
                        "amount",
                        format!("expected a number, found {amt:?}"),
                    )
                })?;
            let k = (r["__key"].clone(), year);
            if !keys.contains(&k) {
                keys.push(k.clone());
            }
            amounts.entry(k).or_default().push((st, v));
        }
        let mut table = Table::new(&["recipient", "year", "public_share"]);
        for k in &keys {
            let rows: Vec<(&str, f64)> = amounts[k].iter().map(|(s, v)| (s.as_str(), *v)).collect();
            table.push(vec![
                k.0.as_str().into(),
                k.1.as_str().into(),
                policy::public_share(&rows).into(),
            ]);
        }
        return Ok(table);
    }
    let Some(indicator) = &a.indicator else {
        bail!(
            "difference-in-differences needs --indicator, --treated (or --programme with --from-register) and --start; public shares need --funding F.csv or --from-register --public-share"
        );
    };
    let (obs, funded, start, source) = if a.from_register {
        let facts = from_register::evaluation_facts(db)?;
        let (funded, programme_start) = match (&a.programme, &a.treated) {
            (Some(id), _) => weaver_service::policy::programme_clusters(&facts, id)
                .with_context(|| format!("--programme `{id}`"))?,
            (None, Some(t)) => (read_funded(t)?, None),
            (None, None) => bail!("give --treated T.csv or --programme ID"),
        };
        let Some(start) = a.start.clone().or(programme_start) else {
            bail!(
                "give --start P (the first period of the programme){}",
                if a.programme.is_some() {
                    ": the programme has no start date in the register"
                } else {
                    ""
                }
            );
        };
        let obs = from_register::evaluation_input(db, None)?.1;
        (obs, funded, start, format!("register {db}"))
    } else {
        let (Some(obs_path), Some(treated), Some(start)) = (&a.observations, &a.treated, &a.start)
        else {
            bail!(
                "difference-in-differences needs --observations, --indicator, --treated and --start"
            );
        };
        (
            read_observations(obs_path, None)?,
            read_funded(treated)?,
            start.clone(),
            obs_path.display().to_string(),
        )
    };
    let r =
        match weaver_service::policy::difference_in_differences(&obs, indicator, &funded, &start) {
            Err(e @ weaver_service::ServiceError::NotFound(_)) => bail!("{source}: {e}"),
            r => r?,
        };
    let mut table = Table::new(&["indicator", "estimate", "std_error", "t", "n", "clusters"]);
    table.push(vec![
        indicator.as_str().into(),
        r.estimate.into(),
        r.std_error.into(),
        r.t.into(),
        r.n.into(),
        r.clusters.into(),
    ]);
    Ok(table)
}

fn read_funded(path: &Path) -> anyhow::Result<Vec<String>> {
    Ok(read_keyed(path, &["unit", "cluster"], &[])?
        .rows
        .into_iter()
        .map(|(_, r)| r["__key"].clone())
        .collect())
}
