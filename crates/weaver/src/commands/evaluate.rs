//! `weaver evaluate …`: composite indices with their uncertainty and
//! sensitivity, from CSV files.
//!
//! Files are read here into plain values ([`Indicator`]s, [`Observation`]s,
//! a [`IndexMethod`]); everything after that calls the pure `weaver-evaluation`
//! engine, so the register can feed the same path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use weaver_evaluation::index::PeriodData;
use weaver_evaluation::labels::{self, CriteriaSet, LevelModel};
use weaver_evaluation::lifecycle::LifecycleRules;
use weaver_evaluation::policy::{self, DidObservation};
use weaver_evaluation::uncertainty::{UncertaintyOptions, rank_uncertainty};
use weaver_evaluation::{
    Direction, IndexMethod, IndexOptions, Indicator, Observation, Panel, benchmark,
    composite_index, frameworks,
};

use crate::output::{Cell, Table, open_csv};

/// Evaluation of clusters: composite index, uncertainty, sensitivity.
#[derive(Debug, Subcommand)]
pub enum EvaluateCommand {
    /// Composite index per unit and period: `unit,period,score,rank`
    /// (+ `rank_median,rank_p5,rank_p95` with --uncertainty), `coverage`.
    /// With --ranking topsis, `score` and `rank` are the TOPSIS closeness to
    /// the ideal (×100) of the normalised indicators, weighted as in the index.
    ///
    /// Examples:
    ///   weaver evaluate index --observations obs.csv --indicators ind.csv \
    ///       --method method.toml --uncertainty 1000 --seed 7 --out scores.csv
    ///   weaver evaluate index --observations obs.csv --indicators ind.csv \
    ///       --ranking topsis
    ///   weaver evaluate index --observations obs.csv --indicators ind.csv \
    ///       --method group_mean.toml --groups groups.csv
    ///       (group_mean.toml sets imputation = "group_mean" in its method
    ///        table; groups.csv has lines unit,group / c1,north / c3,south)
    #[command(verbatim_doc_comment)]
    Index(IndexArgs),
    /// Sensitivity of the ranks: first-order and total Sobol indices of the
    /// mean absolute rank shift to normalisation, weights, aggregation and
    /// winsorisation, each with its 95% bootstrap interval (1000 resamples,
    /// percentile interval): `period,factor,first_order,first_order_low,
    /// first_order_high,total,total_low,total_high`; or with --leave-one-out
    /// the mean rank shift when each indicator is left out
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
    /// Benchmarking: each unit's dimension scores against its peers' median
    /// and the best (`unit,period,dimension,score,peer_median,best,distance_to_frontier`),
    /// or with --trends the change and CAGR of every indicator
    /// (`unit,indicator,from,to,change,cagr`).
    ///
    /// Example:
    ///   weaver evaluate benchmark --observations obs.csv --indicators ind.csv \
    ///       --peers groups.csv --period 2024
    ///   weaver evaluate benchmark --observations obs.csv --indicators ind.csv --trends
    #[command(verbatim_doc_comment)]
    Benchmark(BenchmarkArgs),
    /// Labels: the ECCP profile criteria from a profiles CSV
    /// (`unit,<criterion>…,eligible`), or with --scores an ESCA-style level
    /// from self-assessment scores (`unit,level,share,below_threshold,missing,valid_until,note`).
    /// The official ESCA indicator texts are not public: the shipped model is
    /// an editable model, not the ESCA label, and the output says so.
    ///
    /// Example:
    ///   weaver evaluate label --profiles profiles.csv
    ///       (columns unit,members,member_types,management_fte,website_en)
    ///   weaver evaluate label --scores scores.csv --year 2025
    ///       (columns unit,indicator,score)
    ///   weaver evaluate label --from-register --period 2024
    ///   weaver evaluate label --from-register --period 2024 --levels
    #[command(verbatim_doc_comment)]
    Label(LabelArgs),
    /// Policy effect: difference-in-differences of one indicator between
    /// funded and comparison units before and after the programme start, with
    /// standard errors clustered by unit (`indicator,estimate,std_error,t,n,clusters`);
    /// or with --funding the public share of funding per recipient and year.
    ///
    /// Example:
    ///   weaver evaluate policy --observations obs.csv --indicator patents \
    ///       --treated funded.csv --start 2021
    ///   weaver evaluate policy --funding funding.csv
    ///   weaver evaluate policy --from-register --indicator auto.density \
    ///       --programme demo-cn-amc
    ///   weaver evaluate policy --from-register --public-share --period 2024
    #[command(verbatim_doc_comment)]
    Policy(PolicyArgs),
    /// Statistical checks per indicator and period: data availability,
    /// skewness, kurtosis and the COINr outlier flag, Cronbach's alpha of its
    /// dimension, negative correlations within its dimension
    /// (`period,indicator,dimension,availability,skew,kurtosis,outlier,dimension_alpha,negative_correlations`).
    ///
    /// Example:
    ///   weaver evaluate checks --observations obs.csv --indicators ind.csv --period 2024
    #[command(verbatim_doc_comment)]
    Checks(ChecksArgs),
    /// The indicators the register computes (`auto.*`: members by actor
    /// type, network density, cross-actor share, E-I index, brokers, public
    /// funding share, projects per member) for each cluster and period, as
    /// the --from-register commands read them: `unit,indicator,period,value,origin`
    /// with origin `computed`, or `entered` where an observation entered for
    /// the same code replaces the computed value. Periods: those of the
    /// register's observations and --period.
    ///
    /// Example:
    ///   weaver evaluate computed --period 2024 --out auto.csv
    #[command(verbatim_doc_comment)]
    Computed(ComputedArgs),
}

/// Arguments of `weaver evaluate computed`.
#[derive(Debug, Clone, Args)]
pub struct ComputedArgs {
    /// Only this period (computed even when no observation has it).
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "C.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate checks`.
#[derive(Debug, Clone, Args)]
pub struct ChecksArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "C.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate benchmark`.
#[derive(Debug, Clone, Args)]
pub struct BenchmarkArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Peer groups CSV `unit,group` (`cluster` for `unit`); units compare
    /// with their group (all units when not given or without a group).
    #[arg(long, value_name = "G.csv")]
    pub peers: Option<PathBuf>,
    /// Report indicator trends (change, CAGR) instead.
    #[arg(long)]
    pub trends: bool,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "B.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate label`.
#[derive(Debug, Clone, Args)]
pub struct LabelArgs {
    /// Profiles CSV: `unit` and one column per criterion field (for ECCP:
    /// members, member_types, management_fte, website_en as true/false).
    #[arg(long, value_name = "P.csv", required_unless_present_any = ["scores", "from_register"])]
    pub profiles: Option<PathBuf>,
    /// Take each cluster's profile from the register (`--db`) in --period:
    /// members (memberships valid in the period), member_types (of the
    /// ECCP's four: industry = enterprise, finance; research = university,
    /// research; public = government; civil society = intermediary, user),
    /// management_fte and website_en of the clusters table. With --levels,
    /// the level model's scores instead.
    #[arg(long, conflicts_with_all = ["profiles", "scores"], requires = "period")]
    pub from_register: bool,
    /// The period of the register to assess (with --from-register).
    #[arg(long, value_name = "P", requires = "from_register")]
    pub period: Option<String>,
    /// With --from-register: assess the level model (--model) on the
    /// register's observations of --period whose indicator ids are the
    /// model's, instead of the profile criteria.
    #[arg(long, requires = "from_register")]
    pub levels: bool,
    /// Criteria file (TOML); default: the ECCP profile criteria.
    #[arg(long, value_name = "C.toml")]
    pub criteria: Option<PathBuf>,
    /// Self-assessment scores CSV `unit,indicator,score` for a level model.
    #[arg(long, value_name = "S.csv", conflicts_with = "profiles")]
    pub scores: Option<PathBuf>,
    /// Level model (TOML); default: the ESCA-style model.
    #[arg(long, value_name = "M.toml")]
    pub model: Option<PathBuf>,
    /// Year of the assessment (validity runs from it).
    #[arg(long, value_name = "YEAR", default_value_t = 2025)]
    pub year: i32,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "L.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate policy`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Observations CSV `unit,indicator,period,value`.
    #[arg(long, value_name = "O.csv", required_unless_present_any = ["funding", "from_register"])]
    pub observations: Option<PathBuf>,
    /// Read from the register (`--db`) instead of files: the observations
    /// (with the computed `auto.*` indicators) for the difference in
    /// differences, or with --public-share the funding of each cluster and
    /// its projects.
    #[arg(long, conflicts_with_all = ["observations", "funding"])]
    pub from_register: bool,
    /// The outcome indicator.
    #[arg(long, value_name = "ID")]
    pub indicator: Option<String>,
    /// Funded units: CSV with a `unit` (or `cluster`) column.
    #[arg(long, value_name = "T.csv", conflicts_with = "programme")]
    pub treated: Option<PathBuf>,
    /// With --from-register: the funded units are the clusters the
    /// register lists for this programme (programme_clusters), and the start
    /// defaults to the year of the programme's start.
    #[arg(long, value_name = "ID", requires = "from_register")]
    pub programme: Option<String>,
    /// First period of the programme (periods compare as text: 2021, 2021-Q3).
    #[arg(long, value_name = "P")]
    pub start: Option<String>,
    /// Funding CSV `recipient,source_type,amount,year` for public shares.
    #[arg(long, value_name = "F.csv", conflicts_with = "observations")]
    pub funding: Option<PathBuf>,
    /// With --from-register: the public share of funding of each cluster
    /// (its own and its projects') per year (`cluster,year,public_share`).
    #[arg(long, requires = "from_register", conflicts_with = "indicator")]
    pub public_share: bool,
    /// With --from-register --public-share: only the year of this period.
    #[arg(long, value_name = "P", requires = "public_share")]
    pub period: Option<String>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "P.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver evaluate lifecycle`.
#[derive(Debug, Clone, Args)]
pub struct LifecycleArgs {
    /// Observations CSV `unit,indicator,period,value` (`cluster` for `unit`).
    #[arg(long, value_name = "O.csv", required_unless_present = "from_register")]
    pub observations: Option<PathBuf>,
    /// Read the observations from the register (`--db`) instead of a file.
    #[arg(long, conflicts_with = "observations")]
    pub from_register: bool,
    /// With --from-register: leave the computed indicators (`auto.*`) out,
    /// as `GET /api/v1/evaluation/ranking?computed=false` and
    /// `/evaluation/index` do.
    #[arg(long, requires = "from_register")]
    pub no_computed: bool,
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
    #[arg(long, value_name = "O.csv", required_unless_present = "from_register")]
    pub observations: Option<PathBuf>,
    /// Read the observations (and, without --indicators, the indicator
    /// catalogue) from the register (`--db`) instead of files; units are
    /// cluster ids. The indicators the register computes (`auto.*`, see
    /// `weaver evaluate computed`) join them; an observation entered for the
    /// same code wins.
    #[arg(long, conflicts_with = "observations")]
    pub from_register: bool,
    /// With --from-register: leave the computed indicators (`auto.*`) out,
    /// as `GET /api/v1/evaluation/ranking?computed=false` and
    /// `/evaluation/index` do.
    #[arg(long, requires = "from_register")]
    pub no_computed: bool,
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
    /// Groups CSV `unit,group` (`cluster` for `unit`) for the method's
    /// `imputation = "group_mean"`: a missing value takes the mean of the
    /// units of its group with a value; a unit without a group (or whose
    /// group has no value) stays missing. Needed by group-mean imputation.
    #[arg(long, value_name = "G.csv")]
    pub groups: Option<PathBuf>,
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
    /// What `score` and `rank` report: the composite index, or TOPSIS
    /// closeness to the ideal as an alternative ranking (not with
    /// --uncertainty, which varies the index).
    #[arg(long, value_enum, default_value_t = Ranking::Index, conflicts_with = "uncertainty")]
    pub ranking: Ranking,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "S.csv")]
    pub out: Option<PathBuf>,
}

/// The ranking `weaver evaluate index` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Ranking {
    /// The composite index (aggregation of the method).
    Index,
    /// TOPSIS closeness coefficient (Hwang & Yoon 1981), ×100.
    Topsis,
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
pub fn run(cmd: &EvaluateCommand, json: bool, db: &str) -> anyhow::Result<()> {
    match cmd {
        EvaluateCommand::Index(a) => {
            let data = load(&a.input, db)?;
            let table = index_table(
                &data,
                a.input.period.as_deref(),
                a.uncertainty,
                a.seed,
                a.ranking,
            )?;
            write_record(&a.input, &data.method, a.uncertainty.map(|n| (n, a.seed)))?;
            table.emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Sensitivity(a) => {
            let data = load(&a.input, db)?;
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
            let obs = match &a.observations {
                Some(path) => read_observations(path, None)?,
                None => weaver_service::indicators::lifecycle_signals(
                    super::from_register::evaluation_input(db, None)?.1,
                ),
            };
            lifecycle_table(&obs, &rules).emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Benchmark(a) => {
            let data = load(&a.input, db)?;
            let table = if a.trends {
                trends_table(&data)
            } else {
                let groups = match &a.peers {
                    Some(p) => read_groups(p)?,
                    None => HashMap::new(),
                };
                benchmark_table(&data, a.input.period.as_deref(), &groups)?
            };
            table.emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Label(a) => label_command(a, db)?.emit(a.out.as_deref(), json),
        EvaluateCommand::Policy(a) => policy_command(a, db)?.emit(a.out.as_deref(), json),
        EvaluateCommand::Checks(a) => {
            let data = load(&a.input, db)?;
            checks_table(&data, a.input.period.as_deref())?.emit(a.out.as_deref(), json)
        }
        EvaluateCommand::Computed(a) => {
            computed_table(db, a.period.as_deref())?.emit(a.out.as_deref(), json)
        }
    }
}

/// Builds the `evaluate computed` table: the values of the computed codes
/// as [`weaver_service::observations::computed_values`] gives them to the
/// register's admin.
fn computed_table(db: &str, period: Option<&str>) -> anyhow::Result<Table> {
    use weaver_service::observations::Origin;
    let (values, read) = super::register::block_on(async {
        let store = super::register::open(db).await?;
        let out = weaver_service::observations::computed_values(
            &store,
            Some(&weaver_service::admin()),
            period,
            false,
        )
        .await
        .context(
            "cannot read observations, memberships, ties, projects and funding from the register",
        );
        store.close().await;
        out
    })?;
    super::from_register::print_notes(&read);
    let mut table = Table::new(&["unit", "indicator", "period", "value", "origin"]);
    for v in values {
        table.push(vec![
            v.cluster.as_str().into(),
            v.indicator.as_str().into(),
            v.period.as_str().into(),
            v.value.into(),
            match v.origin {
                Origin::Entered => "entered",
                Origin::Computed => "computed",
            }
            .into(),
        ]);
    }
    Ok(table)
}

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

/// Reads a two-column CSV keyed by `unit`/`cluster`/`recipient`.
fn read_keyed(
    path: &Path,
    key_names: &[&str],
) -> anyhow::Result<Vec<(u64, HashMap<String, String>)>> {
    let mut rdr = open_csv(path)?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let key = header_index(&headers, path, key_names, true)?.unwrap_or(0);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{}: malformed CSV", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let mut row = HashMap::new();
        for (k, h) in headers.iter().enumerate() {
            let name = if k == key { "__key" } else { h.trim() };
            row.insert(name.to_owned(), rec.get(k).unwrap_or("").trim().to_owned());
        }
        if row["__key"].is_empty() {
            bail!(
                "{}, line {line}, column `{}`: empty",
                path.display(),
                &headers[key]
            );
        }
        out.push((line, row));
    }
    Ok(out)
}

fn read_groups(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let rows = read_keyed(path, &["unit", "cluster"])?;
    let mut out = HashMap::new();
    for (line, r) in rows {
        let g = r
            .get("group")
            .with_context(|| format!("{}: missing column `group`", path.display()))?;
        if out.insert(r["__key"].clone(), g.clone()).is_some() {
            bail!(
                "{}, line {line}: unit `{}` is listed twice",
                path.display(),
                r["__key"]
            );
        }
    }
    Ok(out)
}

/// Builds the `evaluate benchmark` table (dimension profiles against peers).
pub fn benchmark_table(
    data: &EvaluationData,
    period: Option<&str>,
    groups: &HashMap<String, String>,
) -> anyhow::Result<Table> {
    let result = composite_index(
        &data.panel,
        &data.method,
        &IndexOptions {
            groups: data.groups.clone(),
            period: period.map(str::to_owned),
        },
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
    let units = &data.panel.units;
    for pr in &result.periods {
        for (u, unit) in units.iter().enumerate() {
            if !pr.present[u] {
                continue;
            }
            let g = groups.get(unit);
            let peers: Vec<usize> = (0..units.len())
                .filter(|&k| pr.present[k] && (g.is_none() || groups.get(&units[k]) == g))
                .collect();
            let prof = benchmark::peer_profile(&pr.dimension_scores, u, &peers);
            for (d, dim) in result.framework.dimensions.iter().enumerate() {
                table.push(vec![
                    unit.as_str().into(),
                    pr.period.as_str().into(),
                    dim.id.as_str().into(),
                    prof.value[d].into(),
                    prof.peer_median[d].into(),
                    prof.best[d].into(),
                    prof.distance_to_frontier[d].into(),
                ]);
            }
        }
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

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn label_command(a: &LabelArgs, db: &str) -> anyhow::Result<Table> {
    if a.from_register {
        return label_from_register(a, db);
    }
    if let Some(scores) = &a.scores {
        let model = level_model(a)?;
        let rows = read_keyed(scores, &["unit", "cluster"])?;
        let mut units: Vec<String> = Vec::new();
        let mut by_unit: HashMap<String, HashMap<String, f64>> = HashMap::new();
        for (line, r) in rows {
            let ind = r
                .get("indicator")
                .with_context(|| format!("{}: missing column `indicator`", scores.display()))?;
            let sc = r
                .get("score")
                .with_context(|| format!("{}: missing column `score`", scores.display()))?;
            let v: f64 = sc
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .with_context(|| {
                    format!(
                        "{}, line {line}, column `score`: expected a number, found `{sc}`",
                        scores.display()
                    )
                })?;
            let u = r["__key"].clone();
            if !units.contains(&u) {
                units.push(u.clone());
            }
            by_unit.entry(u).or_default().insert(ind.clone(), v);
        }
        return Ok(levels_table(&model, &units, &by_unit, a.year));
    }
    let Some(profiles) = &a.profiles else {
        bail!("give --profiles P.csv, --scores S.csv or --from-register --period P");
    };
    let set = criteria_set(a)?;
    let rows = read_keyed(profiles, &["unit", "cluster", "id"])?;
    let mut table = criteria_header(&set);
    for (line, r) in rows {
        let mut profile = HashMap::new();
        for c in &set.criteria {
            let Some(raw) = r.get(&c.field) else { continue };
            let v = match raw.as_str() {
                "" => continue,
                "true" => 1.0,
                "false" => 0.0,
                s => s.parse::<f64>().ok().filter(|v| v.is_finite()).with_context(|| {
                    format!(
                        "{}, line {line}, column `{}`: expected a number or true/false, found `{s}`",
                        profiles.display(),
                        c.field
                    )
                })?,
            };
            profile.insert(c.field.clone(), v);
        }
        push_criteria_row(&mut table, &set, &r["__key"], &profile);
    }
    Ok(table)
}

fn level_model(a: &LabelArgs) -> anyhow::Result<LevelModel> {
    let model = match &a.model {
        Some(p) => {
            LevelModel::from_toml(&read_text(p)?).with_context(|| format!("{}", p.display()))?
        }
        None => LevelModel::from_toml(labels::ESCA_STYLE_MODEL)?,
    };
    eprintln!("note: {}", model.model.note);
    Ok(model)
}

fn levels_header() -> Table {
    Table::new(&[
        "unit",
        "level",
        "share",
        "below_threshold",
        "missing",
        "valid_until",
        "note",
    ])
}

fn levels_table(
    model: &LevelModel,
    units: &[String],
    by_unit: &HashMap<String, HashMap<String, f64>>,
    year: i32,
) -> Table {
    let mut table = levels_header();
    let empty = HashMap::new();
    for u in units {
        let r = model.assess(by_unit.get(u).unwrap_or(&empty), year);
        table.push(vec![
            u.as_str().into(),
            r.level.into(),
            r.share.into(),
            r.below_threshold.join(";").into(),
            r.missing.join(";").into(),
            i64::from(r.valid_until_year).into(),
            r.note.into(),
        ]);
    }
    table
}

fn criteria_set(a: &LabelArgs) -> anyhow::Result<CriteriaSet> {
    let set = match &a.criteria {
        Some(p) => {
            CriteriaSet::from_toml(&read_text(p)?).with_context(|| format!("{}", p.display()))?
        }
        None => CriteriaSet::from_toml(labels::ECCP_PROFILE)?,
    };
    eprintln!(
        "note: criteria {} version {}",
        set.ruleset.id, set.ruleset.version
    );
    Ok(set)
}

fn criteria_header(set: &CriteriaSet) -> Table {
    let mut cols: Vec<String> = vec!["unit".into()];
    cols.extend(set.criteria.iter().map(|c| c.id.clone()));
    cols.push("eligible".into());
    Table::new(&cols)
}

fn push_criteria_row(
    table: &mut Table,
    set: &CriteriaSet,
    unit: &str,
    profile: &HashMap<String, f64>,
) {
    let res = weaver_service::labels::check(set, profile);
    let mut row: Vec<Cell> = vec![unit.into()];
    row.extend(res.criteria.iter().map(|c| Cell::from(c.outcome)));
    row.push(res.eligible.into());
    table.push(row);
}

/// `evaluate label --from-register`: profiles (or level scores) of every
/// cluster in the period.
fn label_from_register(a: &LabelArgs, db: &str) -> anyhow::Result<Table> {
    let period = a.period.as_deref().unwrap_or_default();
    let parsed = super::from_register::period_of("--period", Some(period))?;
    let facts = super::from_register::evaluation_facts(db)?;
    if facts.clusters.is_empty() {
        bail!("the register holds no clusters: import a clusters table first");
    }
    if a.levels {
        let model = level_model(a)?;
        let (levels, read) = super::register::block_on(async {
            let store = super::register::open(db).await?;
            let out = weaver_service::labels::levels(
                &store,
                Some(&weaver_service::admin()),
                &model,
                period,
                a.year,
                false,
            )
            .await;
            store.close().await;
            anyhow::Ok(out?)
        })?;
        super::from_register::print_notes(&read);
        if read.entered + read.computed == 0 {
            bail!(
                "the register holds no observations and computes no indicator (no memberships in the periods asked for): import an observations table or give --period"
            );
        }
        let mut table = levels_header();
        for r in levels.clusters {
            table.push(vec![
                r.cluster.as_str().into(),
                r.level.into(),
                r.share.into(),
                r.below_threshold.join(";").into(),
                r.missing.join(";").into(),
                i64::from(r.valid_until).into(),
                r.note.into(),
            ]);
        }
        return Ok(table);
    }
    let set = criteria_set(a)?;
    let mut table = criteria_header(&set);
    for c in &facts.clusters {
        let mut members: HashMap<&str, &str> = HashMap::new();
        for m in facts.memberships.iter().filter(|m| m.cluster == c.id) {
            if weaver_core::period::valid_in(m.since.as_deref(), m.until.as_deref(), parsed) {
                members.insert(&m.org, m.actor_type.as_str());
            }
        }
        let profile = weaver_service::labels::Profile::of(
            members.values().copied(),
            c.management_fte,
            c.website_en,
        );
        push_criteria_row(&mut table, &set, &c.id, &profile.values());
    }
    Ok(table)
}

/// `evaluate policy --from-register --public-share`.
fn public_share_from_register(db: &str, period: Option<&str>) -> anyhow::Result<Table> {
    let year = super::from_register::period_of("--period", period)?.map(|p| i64::from(p.year()));
    let facts = super::from_register::evaluation_facts(db)?;
    if facts.funding.is_empty() {
        bail!("the register holds no funding: import a funding table first");
    }
    let project_cluster: HashMap<&str, &str> = facts
        .projects
        .iter()
        .filter_map(|p| p.cluster.as_deref().map(|c| (p.id.as_str(), c)))
        .collect();
    let mut by_key: std::collections::BTreeMap<(&str, i64), Vec<(&str, f64)>> =
        std::collections::BTreeMap::new();
    for f in &facts.funding {
        if year.is_some_and(|y| y != f.year) {
            continue;
        }
        let cluster = if facts.clusters.iter().any(|c| c.id == f.recipient) {
            Some(f.recipient.as_str())
        } else {
            project_cluster.get(f.recipient.as_str()).copied()
        };
        if let Some(c) = cluster {
            by_key
                .entry((c, f.year))
                .or_default()
                .push((f.source_type.as_str(), f.amount));
        }
    }
    let mut table = Table::new(&["cluster", "year", "public_share"]);
    for ((c, y), rows) in by_key {
        table.push(vec![c.into(), y.into(), policy::public_share(&rows).into()]);
    }
    Ok(table)
}

fn policy_command(a: &PolicyArgs, db: &str) -> anyhow::Result<Table> {
    if a.public_share {
        return public_share_from_register(db, a.period.as_deref());
    }
    if let Some(f) = &a.funding {
        let rows = read_keyed(f, &["recipient"])?;
        let mut keys: Vec<(String, String)> = Vec::new();
        let mut amounts: HashMap<(String, String), Vec<(String, f64)>> = HashMap::new();
        for (line, r) in rows {
            let get = |c: &str| -> anyhow::Result<String> {
                r.get(c)
                    .cloned()
                    .with_context(|| format!("{}: missing column `{c}`", f.display()))
            };
            let (st, amt, year) = (get("source_type")?, get("amount")?, get("year")?);
            let v: f64 = amt
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .with_context(|| {
                    format!(
                        "{}, line {line}, column `amount`: expected a number, found `{amt}`",
                        f.display()
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
        let facts = super::from_register::evaluation_facts(db)?;
        let (funded, programme_start) = match (&a.programme, &a.treated) {
            (Some(id), _) => {
                let Some(p) = facts.programmes.iter().find(|p| &p.id == id) else {
                    let known: Vec<&str> = facts.programmes.iter().map(|p| p.id.as_str()).collect();
                    bail!(
                        "--programme `{id}`: not in the register (programmes: {})",
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    );
                };
                let funded: Vec<String> = facts
                    .programme_clusters
                    .iter()
                    .filter(|pc| &pc.programme == id)
                    .map(|pc| pc.cluster.clone())
                    .collect();
                if funded.is_empty() {
                    bail!(
                        "--programme `{id}`: the register lists no cluster for it (programme_clusters)"
                    );
                }
                (
                    funded,
                    p.start.as_ref().map(|s| s[..4.min(s.len())].to_owned()),
                )
            }
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
        let obs = super::from_register::evaluation_input(db, None)?.1;
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
    let start = &start;
    let did_obs: Vec<DidObservation> = obs
        .iter()
        .filter(|o| &o.indicator == indicator)
        .map(|o| DidObservation {
            unit: o.unit.clone(),
            treated: funded.contains(&o.unit),
            post: o.period.as_str() >= start.as_str(),
            value: o.value,
        })
        .collect();
    if did_obs.is_empty() {
        bail!("{source}: no observations of indicator `{indicator}`");
    }
    let r = policy::difference_in_differences(&did_obs)
        .with_context(|| format!("difference-in-differences of `{indicator}`"))?;
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
    Ok(read_keyed(path, &["unit", "cluster"])?
        .into_iter()
        .map(|(_, r)| r["__key"].clone())
        .collect())
}

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

/// Everything an evaluation needs, read from files.
#[derive(Debug, Clone)]
pub struct EvaluationData {
    /// The panel of observations.
    pub panel: Panel,
    /// The method.
    pub method: IndexMethod,
    /// Group of each unit of the panel (from --groups), for group-mean
    /// imputation.
    pub groups: Option<Vec<Option<usize>>>,
}

fn write_record(
    input: &InputArgs,
    method: &IndexMethod,
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
pub fn load(input: &InputArgs, db: &str) -> anyhow::Result<EvaluationData> {
    let register = if input.from_register {
        Some(super::from_register::evaluation_input_with(
            db,
            input.period.as_deref(),
            !input.no_computed,
        )?)
    } else {
        None
    };
    let source = match &input.observations {
        Some(p) => p.display().to_string(),
        None => format!("register {db}"),
    };
    let method = match (&input.method, &input.framework) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            IndexMethod::from_toml(&text).with_context(|| format!("{}", path.display()))?
        }
        (None, Some(name)) => {
            let text = frameworks::built_in(name).with_context(|| {
                let names: Vec<&str> = frameworks::BUILT_IN.iter().map(|(n, _)| *n).collect();
                format!("unknown framework `{name}`; built in: {}", names.join(", "))
            })?;
            IndexMethod::from_toml(text).with_context(|| format!("built-in framework {name}"))?
        }
        (None, None) => IndexMethod::default(),
    };
    let (register_indicators, register_observations) = match register {
        Some((i, o)) => (Some(i), Some(o)),
        None => (None, None),
    };
    let mut indicators = match (&input.indicators, register_indicators) {
        (Some(path), _) => read_indicators(path)?,
        (None, Some(from_register)) => from_register,
        (None, None) => Vec::new(),
    };
    // Indicators that only the method defines.
    method.add_defined_indicators(&mut indicators);
    if indicators.is_empty() {
        bail!("no indicators: give --indicators I.csv or a method that defines them");
    }
    let observations = match (&input.observations, register_observations) {
        (Some(path), _) => read_observations(path, Some(&indicators))?,
        (None, Some(mut from_register)) => {
            // The register's observations of indicators that neither the
            // catalogue nor the method defines are left out.
            from_register.retain(|o| indicators.iter().any(|i| i.id == o.indicator));
            from_register
        }
        (None, None) => bail!("give --observations O.csv or --from-register"),
    };
    let panel =
        Panel::from_observations(indicators, &observations).with_context(|| source.clone())?;
    if let Some(p) = &input.period
        && panel.period_index(p).is_none()
    {
        bail!(
            "{}: no observations for period `{p}` (periods: {})",
            source,
            panel.periods.join(", ")
        );
    }
    let groups = match &input.groups {
        Some(path) => Some(unit_groups(path, &panel, &method)?),
        None => {
            if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
                bail!(
                    "the method's imputation = \"group_mean\" needs a group for each unit: give --groups G.csv (columns unit,group)"
                );
            }
            None
        }
    };
    Ok(EvaluationData {
        panel,
        method,
        groups,
    })
}

/// Reads a groups CSV and numbers the groups in the order of the panel's
/// units.
fn unit_groups(
    path: &Path,
    panel: &Panel,
    method: &IndexMethod,
) -> anyhow::Result<Vec<Option<usize>>> {
    let by_unit = read_groups(path)?;
    if method.imputation != weaver_evaluation::method::Imputation::GroupMean {
        eprintln!(
            "note: {}: groups are used only by imputation = \"group_mean\"; the method's imputation is {}",
            path.display(),
            method.imputation.name()
        );
    }
    let mut names: Vec<&str> = Vec::new();
    let mut without = Vec::new();
    let groups = panel
        .units
        .iter()
        .map(|u| match by_unit.get(u).filter(|g| !g.is_empty()) {
            Some(g) => Some(match names.iter().position(|n| *n == g.as_str()) {
                Some(k) => k,
                None => {
                    names.push(g);
                    names.len() - 1
                }
            }),
            None => {
                without.push(u.as_str());
                None
            }
        })
        .collect();
    if !without.is_empty() {
        let shown: Vec<&str> = without.iter().take(5).copied().collect();
        eprintln!(
            "note: {}: {} unit(s) without a group keep their missing values: {}{}",
            path.display(),
            without.len(),
            shown.join(", "),
            if without.len() > 5 { ", …" } else { "" }
        );
    }
    Ok(groups)
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
        let direction: Direction = cell(dir)
            .parse()
            .with_context(|| format!("{}, line {line}, column `direction`", path.display()))?;
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
