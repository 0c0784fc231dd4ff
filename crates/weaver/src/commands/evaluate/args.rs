//! The arguments of the `weaver evaluate` subcommands.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::commands::args::OutArgs;

/// Arguments of `weaver evaluate computed`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("C.csv")))]
pub struct ComputedArgs {
    /// Only this period (computed even when no observation has it).
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver evaluate checks`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("C.csv")))]
pub struct ChecksArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver evaluate benchmark`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("B.csv")))]
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
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver evaluate label`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("L.csv")))]
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
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver evaluate policy`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("P.csv")))]
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
    /// Control units, comma-separated (at least 2). Default: from files,
    /// every other unit observed; with --from-register, the clusters of the
    /// funded clusters' country, not funded, founded within
    /// --founded-within years of a funded cluster.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub control: Vec<String>,
    /// With --from-register: the founding window of the default control
    /// group, in years (default 5).
    #[arg(
        long,
        value_name = "N",
        requires = "from_register",
        conflicts_with = "control"
    )]
    pub founded_within: Option<u32>,
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
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver evaluate lifecycle`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("L.csv")))]
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
    #[command(flatten)]
    pub output: OutArgs,
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
    /// A built-in framework instead of a method file.
    #[arg(long, value_enum, value_name = "NAME")]
    pub framework: Option<Framework>,
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
#[command(mut_arg("out", |a| a.value_name("S.csv")))]
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
    /// With --from-register: the league table of a named population, as
    /// `GET /api/v1/evaluation/index` gives it: `all`, `programme:<id>` (the
    /// programme's clusters) or `campaign:<id>` (the campaign's clusters,
    /// period and indicators); computed from what the population's officers
    /// may read (no private row), by the default method, money in one
    /// currency. Columns: unit, period, score, rank, coverage, missing
    /// (`indicator:reason` items joined by `;`).
    #[arg(
        long,
        value_name = "P",
        requires = "from_register",
        conflicts_with_all = ["uncertainty", "method", "framework", "no_computed", "indicators"]
    )]
    pub population: Option<String>,
    /// With --population: the currency money is compared in (ISO 4217,
    /// default EUR), at the yearly rates of the register's exchange_rates.
    #[arg(long, value_name = "CUR", requires = "population")]
    pub currency: Option<String>,
    #[command(flatten)]
    pub output: OutArgs,
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
#[command(mut_arg("out", |a| a.value_name("T.csv")))]
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
    #[command(flatten)]
    pub output: OutArgs,
}

/// A framework built into `weaver-evaluation` ([`weaver_evaluation::frameworks::BUILT_IN`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Framework {
    /// The world-class cluster framework (its dimensions name the
    /// register's computed indicators).
    #[value(name = "world_class_cluster")]
    WorldClassCluster,
}

impl Framework {
    /// Its name in [`weaver_evaluation::frameworks::BUILT_IN`].
    pub fn name(self) -> &'static str {
        match self {
            Framework::WorldClassCluster => "world_class_cluster",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framework_option_names_every_built_in_framework() {
        let names: Vec<&str> = Framework::value_variants()
            .iter()
            .map(|f| {
                let name = f.name();
                // The option's spelling is the engine's name.
                assert_eq!(
                    f.to_possible_value().map(|v| v.get_name().to_owned()),
                    Some(name.to_owned())
                );
                name
            })
            .collect();
        let built_in: Vec<&str> = weaver_evaluation::frameworks::BUILT_IN
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, built_in);
    }
}
