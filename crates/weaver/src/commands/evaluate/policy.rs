//! `weaver evaluate policy`: difference in differences against a control
//! group with its interval and pre-trend check
//! ([`weaver_service::policy::policy_effect`] on the register,
//! [`weaver_service::policy::difference_in_differences`] on files) and public shares
//! ([`weaver_service::policy::public_shares`]), from files or the register.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};
use weaver_evaluation::policy;

use super::args::PolicyArgs;
use weaver_io::csv_table::CsvError;

use super::input::{read_keyed, read_observations};
use crate::commands::{from_register, register};
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
    let effect = if a.from_register {
        let treated = match (&a.programme, &a.treated) {
            (Some(_), _) => Vec::new(),
            (None, Some(t)) => read_funded(t)?,
            (None, None) => bail!("give --treated T.csv or --programme ID"),
        };
        if a.programme.is_none() && a.start.is_none() {
            bail!("give --start P (the first period of the programme)");
        }
        if let Some(s) = &a.start {
            from_register::period_of("--start", Some(s))?;
        }
        let params = weaver_service::policy::PolicyParams {
            indicator: indicator.clone(),
            programme: a.programme.clone(),
            treated,
            control: a.control.clone(),
            founded_within: a.founded_within,
            start: a.start.clone(),
            computed: true,
        };
        let out = register::block_on(async {
            let store = register::open(db).await?;
            let out = weaver_service::policy::policy_effect(
                &store,
                Some(&weaver_service::admin()),
                &params,
                false,
            )
            .await;
            store.close().await;
            anyhow::Ok(out)
        })?;
        match (out, &a.programme) {
            (Err(e @ weaver_service::ServiceError::NotFound(_)), Some(id))
                if e.to_string().contains(&format!("programme '{id}'")) =>
            {
                bail!("--programme `{id}`: {e}")
            }
            (r, _) => r.with_context(|| format!("register {db}"))?,
        }
    } else {
        let (Some(obs_path), Some(treated), Some(start)) = (&a.observations, &a.treated, &a.start)
        else {
            bail!(
                "difference-in-differences needs --observations, --indicator, --treated and --start"
            );
        };
        let obs = read_observations(obs_path, None)?;
        let funded = read_funded(treated)?;
        let (controls, rule) = if a.control.is_empty() {
            let mut others: Vec<String> = Vec::new();
            for o in obs.iter().filter(|o| o.indicator == *indicator) {
                if !funded.contains(&o.unit) && !others.contains(&o.unit) {
                    others.push(o.unit.clone());
                }
            }
            (
                others,
                "every unit of the observations not funded".to_owned(),
            )
        } else {
            if let Some(c) = a.control.iter().find(|c| funded.contains(c)) {
                bail!("--control: `{c}` is one of the funded units (--treated)");
            }
            (a.control.clone(), "the units given (--control)".to_owned())
        };
        match weaver_service::policy::difference_in_differences(
            &obs, indicator, &funded, &controls, &rule, start,
        ) {
            Err(e @ weaver_service::ServiceError::NotFound(_)) => {
                bail!("{}: {e}", obs_path.display())
            }
            r => r?,
        }
    };
    Ok(effect_table(&effect))
}

/// The one-row table of a policy effect: the estimate first, then the
/// interval, the clusters and periods (`;`-separated), the pre-trend check
/// and the method.
fn effect_table(e: &weaver_service::policy::PolicyEffect) -> Table {
    let mut table = Table::new(&[
        "indicator",
        "estimate",
        "std_error",
        "t",
        "n",
        "clusters",
        "df",
        "p_value",
        "confidence_level",
        "ci_low",
        "ci_high",
        "programme",
        "start",
        "treated",
        "controls",
        "periods_before",
        "periods_after",
        "pre_trend_testable",
        "pre_trend_slope_difference",
        "pre_trend_std_error",
        "pre_trend_ci_low",
        "pre_trend_ci_high",
        "pre_trend_p_value",
        "pre_trend_verdict",
        "control_rule",
        "method",
    ]);
    let pt = &e.pre_trend;
    table.push(vec![
        e.indicator.as_str().into(),
        e.estimate.into(),
        e.std_error.into(),
        e.t.into(),
        e.n.into(),
        e.clusters.into(),
        e.df.into(),
        e.p_value.into(),
        e.confidence_level.into(),
        e.ci_low.into(),
        e.ci_high.into(),
        e.programme.clone().into(),
        e.start.as_str().into(),
        e.treated.join(";").into(),
        e.controls.join(";").into(),
        e.periods_before.join(";").into(),
        e.periods_after.join(";").into(),
        pt.testable.into(),
        pt.slope_difference.into(),
        pt.std_error.into(),
        pt.ci_low.into(),
        pt.ci_high.into(),
        pt.p_value.into(),
        pt.verdict.as_str().into(),
        e.control_rule.as_str().into(),
        e.method.as_str().into(),
    ]);
    table
}

fn read_funded(path: &Path) -> anyhow::Result<Vec<String>> {
    Ok(read_keyed(path, &["unit", "cluster"], &[])?
        .rows
        .into_iter()
        .map(|(_, r)| r["__key"].clone())
        .collect())
}
