//! `weaver evaluate …`: composite indices with their uncertainty and
//! sensitivity, benchmarks, lifecycle stages, labels and policy effects, from
//! CSV files or the register.
//!
//! | file | concern |
//! |---|---|
//! | `args.rs` | the subcommands' arguments (clap) |
//! | `input.rs` | reading the files (or the register) into plain values and the panel ([`load`]) |
//! | `league.rs` | the league table of a named population (`index --population`), through `weaver-service` |
//! | `index.rs`, `sensitivity.rs`, `checks.rs`, `benchmark.rs`, `lifecycle.rs`, `label.rs`, `policy.rs`, `computed.rs` | one analysis each: a call to the engine or to `weaver-service`, and its table |
//!
//! Files are read into plain values ([`Indicator`](weaver_evaluation::Indicator)s,
//! [`Observation`](weaver_evaluation::Observation)s, a
//! [`IndexMethod`]); everything after that calls the
//! pure `weaver-evaluation` engine or `weaver-service`, so the register
//! feeds the same path.

mod args;
mod benchmark;
mod checks;
mod computed;
mod index;
mod input;
mod label;
mod league;
mod lifecycle;
mod policy;
mod sensitivity;

use std::collections::HashMap;

use anyhow::Context;
use clap::Subcommand;
use weaver_evaluation::IndexMethod;
use weaver_evaluation::lifecycle::LifecycleRules;
use weaver_evaluation::uncertainty::UncertaintyOptions;

pub use args::{
    BenchmarkArgs, ChecksArgs, ComputedArgs, IndexArgs, InputArgs, LabelArgs, LifecycleArgs,
    PolicyArgs, Ranking, SensitivityArgs,
};
pub use benchmark::{benchmark_table, trends_table};
pub use checks::checks_table;
pub use index::index_table;
pub use input::{EvaluationData, load, read_indicators, read_observations};
pub use lifecycle::lifecycle_table;
pub use sensitivity::sensitivity_table;

use super::Ctx;
use computed::computed_table;
use input::read_groups;
use label::label_command;
use policy::policy_command;

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
    /// `unit,period,granularity,policy_stage,lifecycle_stage,policy_verdict,
    /// lifecycle_verdict,rules,reasons_en,reasons_zh`. Reads the signals
    /// members, employment, lq, density, cross_actor_share,
    /// public_funding_share, field_entropy, entry_rate (any subset) from the
    /// observations; other indicators are ignored. Each unit's stage at a
    /// period reads only its own values up to that period; years, quarters
    /// and months are separate series; a stage changes only when the rules'
    /// verdict holds in `confirm_periods` consecutive periods (default 2).
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
    /// funded and control units before and after the programme start, with
    /// standard errors clustered by unit, the 95% interval (Student's t,
    /// clusters − 1 degrees of freedom) and a pre-trend check
    /// (`indicator,estimate,std_error,t,n,clusters,df,p_value,…,ci_low,ci_high,
    /// treated,controls,periods_before,periods_after,pre_trend_…,control_rule,method`).
    /// Controls: --control A,B (at least 2), or from files every other unit,
    /// or from the register the funded clusters' country's unfunded clusters
    /// founded within --founded-within (default 5) years of a funded one.
    /// Or with --funding the public share of funding per recipient and year.
    ///
    /// Example:
    ///   weaver evaluate policy --observations obs.csv --indicator patents \
    ///       --treated funded.csv --start 2021
    ///   weaver evaluate policy --from-register --indicator auto.density \
    ///       --programme demo-cn-amc --founded-within 6
    ///   weaver evaluate policy --from-register --indicator auto.density \
    ///       --programme demo-cn-amc --control demo-cn-hefei-ai,demo-cn-xian-aero
    ///   weaver evaluate policy --funding funding.csv
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

/// Runs an `evaluate` subcommand.
pub fn run(cmd: &EvaluateCommand, ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    match cmd {
        EvaluateCommand::Index(a) if a.population.is_some() => league::league_table(
            db,
            a.population.as_deref().unwrap_or("all"),
            a.input.period.as_deref(),
            a.currency.as_deref(),
        )?
        .emit(a.output.path(), json),
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
            table.emit(a.output.path(), json)
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
            table.emit(a.output.path(), json)
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
                None => weaver_service::lifecycle::own_signals(
                    super::from_register::evaluation_input_with(db, None, !a.no_computed)?.1,
                ),
            };
            lifecycle_table(&obs, &rules).emit(a.output.path(), json)
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
            table.emit(a.output.path(), json)
        }
        EvaluateCommand::Label(a) => label_command(a, db)?.emit(a.output.path(), json),
        EvaluateCommand::Policy(a) => policy_command(a, db)?.emit(a.output.path(), json),
        EvaluateCommand::Checks(a) => {
            let data = load(&a.input, db)?;
            checks_table(&data, a.input.period.as_deref())?.emit(a.output.path(), json)
        }
        EvaluateCommand::Computed(a) => {
            computed_table(db, a.period.as_deref())?.emit(a.output.path(), json)
        }
    }
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
