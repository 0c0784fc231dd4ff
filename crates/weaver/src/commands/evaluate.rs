//! `weaver evaluate …`: composite indices with their uncertainty and
//! sensitivity, from CSV files.
//!
//! Files are read here into plain values ([`Indicator`]s, [`Observation`]s,
//! a [`Method`]); everything after that calls the pure `weaver-evaluation`
//! engine, so the register can feed the same path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use weaver_evaluation::index::PeriodInput;
use weaver_evaluation::lifecycle::{self, LifecycleRules, UnitSignals};
use weaver_evaluation::uncertainty::{
    UncertaintyOptions, leave_one_out, rank_sensitivity, rank_uncertainty,
};
use weaver_evaluation::{
    Direction, Framework, IndexOptions, Indicator, Method, Observation, Panel, composite_index,
    frameworks,
};

use crate::output::{Cell, Table, open_csv};

/// Evaluation of clusters: composite index, uncertainty, sensitivity.
#[derive(Debug, Subcommand)]
pub enum EvaluateCommand {
    /// Composite index per unit and period: `unit,period,score,rank`
    /// (+ `rank_median,rank_p5,rank_p95` with --uncertainty), `coverage`.
    ///
    /// Example:
    ///   weaver evaluate index --observations obs.csv --indicators ind.csv \
    ///       --method method.toml --uncertainty 1000 --seed 7 --out scores.csv
    #[command(verbatim_doc_comment)]
    Index(IndexArgs),
    /// Sensitivity of the ranks: first-order and total Sobol indices of the
    /// mean absolute rank shift to normalisation, weights, aggregation and
    /// winsorisation (`period,factor,first_order,total`), or with
    /// --leave-one-out the mean rank shift when each indicator is left out
    /// (`period,indicator,mean_rank_shift`).
    ///
    /// Example:
    ///   weaver evaluate sensitivity --observations obs.csv --indicators ind.csv \
    ///       --runs 256 --seed 7 --out sobol.csv
    #[command(verbatim_doc_comment)]
    Sensitivity(SensitivityArgs),
    /// Lifecycle stage per unit and period by transparent rules:
    /// `unit,period,policy_stage,lifecycle_stage,rules`. Reads the signals
    /// members, employment, lq, density, cross_actor_share,
    /// public_funding_share, field_entropy, entry_rate (any subset) from the
    /// observations; other indicators are ignored.
    ///
    /// Example:
    ///   weaver evaluate lifecycle --observations obs.csv --out stages.csv
    ///   weaver evaluate lifecycle --observations obs.csv --rules my_rules.toml
    #[command(verbatim_doc_comment)]
    Lifecycle(LifecycleArgs),
}

/// Arguments of `weaver evaluate lifecycle`.
#[derive(Debug, Clone, Args)]
pub struct LifecycleArgs {
    /// Observations CSV `unit,indicator,period,value` (`cluster` for `unit`).
    #[arg(long, value_name = "O.csv")]
    pub observations: PathBuf,
    /// Rule file (TOML); default: the rules shipped with Weaver.
    #[arg(long, value_name = "R.toml")]
    pub rules: Option<PathBuf>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "L.csv")]
    pub out: Option<PathBuf>,
}

/// Where the data and the method come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Observations CSV `unit,indicator,period,value` (`cluster` is accepted
    /// for `unit`; other columns are ignored; an empty value is missing).
    #[arg(long, value_name = "O.csv")]
    pub observations: PathBuf,
    /// Indicators CSV `id,name,direction[,dimension][,weight]` (direction
    /// `higher_better` or `lower_better`). May be left out when the method
    /// defines every indicator.
    #[arg(long, value_name = "I.csv")]
    pub indicators: Option<PathBuf>,
    /// Method file (TOML); it overrides the weights and dimensions of the
    /// indicators file. Default: min-max to [0, 100], equal weights, arithmetic.
    #[arg(long, value_name = "M.toml", conflicts_with = "framework")]
    pub method: Option<PathBuf>,
    /// A built-in framework instead of a method file: `world_class_cluster`.
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
    /// Only this period.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Write the method actually used (every choice explicit, TOML) and the
    /// uncertainty settings to this file.
    #[arg(long, value_name = "R.toml")]
    pub record: Option<PathBuf>,
}

/// Arguments of `weaver evaluate index`.
#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Monte Carlo runs of the uncertainty analysis (normalisation, weights
    /// ±25%, aggregation, winsorisation limit).
    #[arg(long, value_name = "N")]
    pub uncertainty: Option<usize>,
    /// Seed of the random generator (recorded).
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "S.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate sensitivity`.
#[derive(Debug, Clone, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Base sample size N of the Sobol design (N·6 index computations).
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub runs: usize,
    /// Seed of the random generator (recorded).
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Report leave-one-out rank shifts per indicator instead.
    #[arg(long)]
    pub leave_one_out: bool,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "T.csv")]
    pub out: Option<PathBuf>,
}

/// Runs an `evaluate` subcommand.
pub fn run(cmd: &EvaluateCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        EvaluateCommand::Index(a) => {
            let data = load(&a.input)?;
            let table = index_table(&data, a.input.period.as_deref(), a.uncertainty, a.seed)?;
            write_record(&a.input, &data.method, a.uncertainty.map(|n| (n, a.seed)))?;
            table.emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Sensitivity(a) => {
            let data = load(&a.input)?;
            let table = sensitivity_table(
                &data,
                a.input.period.as_deref(),
                a.runs,
                a.seed,
                a.leave_one_out,
            )?;
            write_record(&a.input, &data.method, Some((a.runs, a.seed)))?;
            table.emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Lifecycle(a) => {
            let rules = match &a.rules {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    LifecycleRules::from_toml(&text)
                        .with_context(|| format!("{}", path.display()))?
                }
                None => LifecycleRules::default(),
            };
            let obs = read_observations(&a.observations, None)?;
            lifecycle_table(&obs, &rules).emit(a.out.as_deref(), json)
        }
    }
}

/// Builds the `evaluate lifecycle` table from observations (plain values).
pub fn lifecycle_table(observations: &[Observation], rules: &LifecycleRules) -> Table {
    let mut units: Vec<&str> = Vec::new();
    let mut periods: Vec<&str> = Vec::new();
    let mut ignored: Vec<&str> = Vec::new();
    for o in observations {
        if !units.contains(&o.unit.as_str()) {
            units.push(&o.unit);
        }
        if !periods.contains(&o.period.as_str()) {
            periods.push(&o.period);
        }
        if !lifecycle::SIGNALS.contains(&o.indicator.as_str())
            && !ignored.contains(&o.indicator.as_str())
        {
            ignored.push(&o.indicator);
        }
    }
    periods.sort_unstable();
    if !ignored.is_empty() {
        eprintln!(
            "note: not lifecycle signals, ignored: {}",
            ignored.join(", ")
        );
    }
    let mut signals: Vec<UnitSignals> = vec![UnitSignals::default(); units.len()];
    let mut present = vec![vec![false; periods.len()]; units.len()];
    for o in observations {
        if !lifecycle::SIGNALS.contains(&o.indicator.as_str()) {
            continue;
        }
        let u = units.iter().position(|x| *x == o.unit).unwrap_or(0);
        let p = periods.iter().position(|x| *x == o.period).unwrap_or(0);
        let series = signals[u]
            .values
            .entry(o.indicator.clone())
            .or_insert_with(|| vec![f64::NAN; periods.len()]);
        series[p] = o.value;
        present[u][p] = true;
    }
    let mut table = Table::new(&["unit", "period", "policy_stage", "lifecycle_stage", "rules"]);
    for (u, unit) in units.iter().enumerate() {
        let res = lifecycle::classify(&signals[u], periods.len(), rules);
        for (p, r) in res.iter().enumerate() {
            if !present[u][p] {
                continue;
            }
            let fired: Vec<String> = r.fired.iter().map(|f| f.describe()).collect();
            table.push(vec![
                (*unit).into(),
                periods[p].into(),
                r.policy_stage.as_str().into(),
                r.lifecycle_stage.as_str().into(),
                fired.join("; ").into(),
            ]);
        }
    }
    table
}

/// Everything an evaluation needs, read from files.
#[derive(Debug, Clone)]
pub struct EvaluationData {
    /// The panel of observations.
    pub panel: Panel,
    /// The method.
    pub method: Method,
}

fn write_record(
    input: &InputArgs,
    method: &Method,
    mc: Option<(usize, u64)>,
) -> anyhow::Result<()> {
    let mut text = method.to_toml();
    if let Some((runs, seed)) = mc {
        let opts = UncertaintyOptions {
            runs,
            seed,
            ..UncertaintyOptions::default()
        };
        text.push('\n');
        text.push_str(&opts.describe());
    }
    eprintln!(
        "method: {} (normalisation {}, weighting {}, aggregation {}/{}, treatment {}, imputation {})",
        method.name,
        method.normalisation.name(),
        method.weighting.name(),
        method.aggregation.name(),
        method.index_aggregation.name(),
        if method.treatment.enabled {
            "coinr"
        } else {
            "none"
        },
        method.imputation.name()
    );
    if let Some(path) = &input.record {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Reads the method (file or built-in framework), the indicators and the
/// observations, and builds the panel.
pub fn load(input: &InputArgs) -> anyhow::Result<EvaluationData> {
    let method = match (&input.method, &input.framework) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Method::from_toml(&text).with_context(|| format!("{}", path.display()))?
        }
        (None, Some(name)) => {
            let text = frameworks::built_in(name).with_context(|| {
                let names: Vec<&str> = frameworks::BUILT_IN.iter().map(|(n, _)| *n).collect();
                format!("unknown framework `{name}`; built in: {}", names.join(", "))
            })?;
            Method::from_toml(text).with_context(|| format!("built-in framework {name}"))?
        }
        (None, None) => Method::default(),
    };
    let mut indicators = match &input.indicators {
        Some(path) => read_indicators(path)?,
        None => Vec::new(),
    };
    // Indicators that only the method defines.
    for spec in &method.indicators {
        if !indicators.iter().any(|i| i.id == spec.id)
            && let Some(direction) = spec.direction
        {
            let mut ind = Indicator::new(&spec.id, direction);
            if let Some(n) = &spec.name {
                ind.name = n.clone();
            }
            indicators.push(ind);
        }
    }
    if indicators.is_empty() {
        bail!("no indicators: give --indicators I.csv or a method that defines them");
    }
    let observations = read_observations(&input.observations, Some(&indicators))?;
    let panel = Panel::from_observations(indicators, &observations)
        .with_context(|| format!("{}", input.observations.display()))?;
    if let Some(p) = &input.period
        && panel.period_index(p).is_none()
    {
        bail!(
            "{}: no observations for period `{p}` (periods: {})",
            input.observations.display(),
            panel.periods.join(", ")
        );
    }
    Ok(EvaluationData { panel, method })
}

fn header_index(
    headers: &csv::StringRecord,
    path: &Path,
    names: &[&str],
    required: bool,
) -> anyhow::Result<Option<usize>> {
    let found = headers
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)));
    if found.is_none() && required {
        bail!(
            "{}: missing column `{}` (header: {})",
            path.display(),
            names[0],
            headers.iter().collect::<Vec<_>>().join(",")
        );
    }
    Ok(found)
}

/// Reads an indicators CSV (`id,name,direction[,dimension][,weight]`).
pub fn read_indicators(path: &Path) -> anyhow::Result<Vec<Indicator>> {
    let mut rdr = open_csv(path)?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let id = header_index(&headers, path, &["id"], true)?.unwrap_or(0);
    let name = header_index(&headers, path, &["name"], true)?.unwrap_or(0);
    let dir = header_index(&headers, path, &["direction"], true)?.unwrap_or(0);
    let dim = header_index(&headers, path, &["dimension"], false)?;
    let weight = header_index(&headers, path, &["weight"], false)?;
    let mut out: Vec<Indicator> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{}: malformed CSV", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |k: usize| rec.get(k).unwrap_or("").trim();
        let iid = cell(id);
        if iid.is_empty() {
            bail!(
                "{}, line {line}, column `id`: empty indicator id",
                path.display()
            );
        }
        if let Some(first) = seen.insert(iid.to_owned(), line) {
            bail!(
                "{}, line {line}, column `id`: indicator `{iid}` already defined on line {first}",
                path.display()
            );
        }
        let direction = Direction::parse(cell(dir)).with_context(|| {
            format!(
                "{}, line {line}, column `direction`: expected `higher_better` or `lower_better`, found `{}`",
                path.display(),
                cell(dir)
            )
        })?;
        let w = match weight.map(cell) {
            None | Some("") => None,
            Some(s) => {
                let v: f64 = s
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                    .with_context(|| {
                        format!(
                            "{}, line {line}, column `weight`: expected a number ≥ 0, found `{s}`",
                            path.display()
                        )
                    })?;
                Some(v)
            }
        };
        out.push(Indicator {
            id: iid.to_owned(),
            name: cell(name).to_owned(),
            direction,
            dimension: dim.map(cell).filter(|s| !s.is_empty()).map(str::to_owned),
            weight: w,
        });
    }
    if out.is_empty() {
        bail!(
            "{}: no indicators (the file has only a header)",
            path.display()
        );
    }
    Ok(out)
}

/// Reads an observations CSV (`unit,indicator,period,value`; `cluster` for
/// `unit`). Empty values are skipped as missing.
pub fn read_observations(
    path: &Path,
    indicators: Option<&[Indicator]>,
) -> anyhow::Result<Vec<Observation>> {
    let mut rdr = open_csv(path)?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let unit = header_index(&headers, path, &["unit", "cluster"], true)?.unwrap_or(0);
    let ind = header_index(&headers, path, &["indicator"], true)?.unwrap_or(0);
    let period = header_index(&headers, path, &["period"], true)?.unwrap_or(0);
    let value = header_index(&headers, path, &["value"], true)?.unwrap_or(0);
    let known: Option<HashMap<&str, ()>> =
        indicators.map(|l| l.iter().map(|i| (i.id.as_str(), ())).collect());
    let mut seen: HashMap<(String, String, String), u64> = HashMap::new();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{}: malformed CSV", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |k: usize| rec.get(k).unwrap_or("").trim();
        let (u, i, p, v) = (cell(unit), cell(ind), cell(period), cell(value));
        for (col, s) in [
            (headers.get(unit).unwrap_or("unit"), u),
            ("indicator", i),
            ("period", p),
        ] {
            if s.is_empty() {
                bail!("{}, line {line}, column `{col}`: empty", path.display());
            }
        }
        if known.as_ref().is_some_and(|k| !k.contains_key(i)) {
            bail!(
                "{}, line {line}, column `indicator`: unknown indicator `{i}` (not in the indicators file or the method)",
                path.display()
            );
        }
        if v.is_empty() {
            continue;
        }
        let x: f64 = v
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .with_context(|| {
                format!(
                    "{}, line {line}, column `value`: expected a finite number, found `{v}`",
                    path.display()
                )
            })?;
        if let Some(first) = seen.insert((u.to_owned(), i.to_owned(), p.to_owned()), line) {
            bail!(
                "{}, line {line}: a second value for unit `{u}`, indicator `{i}`, period `{p}` (first on line {first})",
                path.display()
            );
        }
        out.push(Observation {
            unit: u.to_owned(),
            indicator: i.to_owned(),
            period: p.to_owned(),
            value: x,
        });
    }
    if out.is_empty() {
        bail!("{}: no observations with a value", path.display());
    }
    Ok(out)
}

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
) -> anyhow::Result<Table> {
    let options = IndexOptions {
        groups: None,
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
                let input = period_input(data, &result.framework, p);
                let opts = UncertaintyOptions {
                    runs,
                    seed,
                    ..UncertaintyOptions::default()
                };
                let r = rank_uncertainty(
                    &input.as_input(),
                    &result.framework,
                    &data.method,
                    None,
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
        for (u, unit) in data.panel.units.iter().enumerate() {
            if !pr.present[u] {
                continue;
            }
            let mut row: Vec<Cell> = vec![
                unit.as_str().into(),
                pr.period.as_str().into(),
                pr.scores[u].into(),
                pr.ranks[u].into(),
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

/// The raw matrix of one period with columns in framework order.
struct OwnedInput {
    period: String,
    raw: weaver_evaluation::Matrix,
    present: Vec<bool>,
    units: Vec<String>,
}

impl OwnedInput {
    fn as_input(&self) -> PeriodInput<'_> {
        PeriodInput {
            period: &self.period,
            raw: &self.raw,
            present: &self.present,
            units: &self.units,
        }
    }
}

fn period_input(data: &EvaluationData, framework: &Framework, p: usize) -> OwnedInput {
    let m = &data.panel.values[p];
    let mut raw = weaver_evaluation::Matrix::missing(m.rows, framework.indicators.len());
    for (k, ind) in framework.indicators.iter().enumerate() {
        if let Some(c) = data.panel.indicators.iter().position(|i| i.id == ind.id) {
            for r in 0..m.rows {
                raw.set(r, k, m.get(r, c));
            }
        }
    }
    let present = (0..m.rows)
        .map(|r| m.row(r).iter().any(|v| v.is_finite()))
        .collect();
    OwnedInput {
        period: data.panel.periods[p].clone(),
        raw,
        present,
        units: data.panel.units.clone(),
    }
}

/// Builds the `evaluate sensitivity` table.
pub fn sensitivity_table(
    data: &EvaluationData,
    period: Option<&str>,
    runs: usize,
    seed: u64,
    loo: bool,
) -> anyhow::Result<Table> {
    let framework = Framework::resolve(&data.panel.indicators, &data.method)?;
    let mut table = if loo {
        Table::new(&["period", "indicator", "mean_rank_shift"])
    } else {
        Table::new(&["period", "factor", "first_order", "total"])
    };
    for p in periods(data, period) {
        let owned = period_input(data, &framework, p);
        let input = owned.as_input();
        let label = owned.period.as_str();
        if loo {
            let shifts = leave_one_out(&input, &framework, &data.method, None)
                .with_context(|| format!("leave-one-out of period {label}"))?;
            for (ind, s) in framework.indicators.iter().zip(shifts) {
                table.push(vec![label.into(), ind.id.as_str().into(), s.into()]);
            }
        } else {
            let opts = UncertaintyOptions {
                runs,
                seed,
                ..UncertaintyOptions::default()
            };
            let s = rank_sensitivity(&input, &framework, &data.method, None, &opts)
                .with_context(|| format!("sensitivity analysis of period {label}"))?;
            if s.runs_failed > 0 {
                eprintln!(
                    "note: period {label}: {} runs could not be computed and count as no shift",
                    s.runs_failed
                );
            }
            if s.indices.variance.is_nan() || s.indices.variance <= 0.0 {
                eprintln!(
                    "note: period {label}: the mean rank shift is the same in every run, so the indices are undefined (empty)"
                );
            }
            for (k, f) in s.factors.iter().enumerate() {
                table.push(vec![
                    label.into(),
                    f.as_str().into(),
                    s.indices.first[k].into(),
                    s.indices.total[k].into(),
                ]);
            }
        }
    }
    Ok(table)
}
