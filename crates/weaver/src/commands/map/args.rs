//! The arguments of the `weaver map` subcommands.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::commands::args::OutArgs;

/// Where the activity comes from, shared by every `map` command.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Regional activity CSV: `region,industry,year,employment[,establishments][,wages][,kind][,type]`;
    /// an empty employment cell is suppressed and filled from parent industries.
    #[arg(long, value_name = "A.csv", required_unless_present = "from_register")]
    pub activity: Option<PathBuf>,
    /// Read regional activity from the register (`--db`) instead of a file.
    #[arg(long, conflicts_with = "activity")]
    pub from_register: bool,
    /// Category definitions CSV: `industry,category,type` (type `traded` or
    /// `local`, may be empty; `cluster` is still read as the former name of
    /// `category`). Without it each industry is its own category.
    #[arg(long, value_name = "D.csv")]
    pub definitions: Option<PathBuf>,
    /// With --activity: national totals CSV `industry,year,employment`, for
    /// when the regions do not cover the nation. With --from-register: a
    /// country code (the sum of its regions) or a region id (its own
    /// activity) whose totals serve as each section's reference area.
    #[arg(long, value_name = "B.csv|COUNTRY|REGION")]
    pub benchmark: Option<PathBuf>,
    /// Region hierarchy CSV: `region,parent[,kind]` (kind of the parent);
    /// parents get rows summed from their regions.
    #[arg(long, value_name = "H.csv")]
    pub hierarchy: Option<PathBuf>,
    /// Industry hierarchy CSV `industry,parent` for filling suppressed cells;
    /// by default a code's parent is its longest present prefix (NAICS, NACE,
    /// GB/T 4754 codes).
    #[arg(long, value_name = "P.csv")]
    pub industry_parents: Option<PathBuf>,
    /// Do not fill suppressed cells (they count as 0).
    #[arg(long)]
    pub no_fill: bool,
}

/// Classification method of `weaver map clusters`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassificationMethod {
    /// US Cluster Mapping: qualifying, significant, strong, strong10.
    Cmp,
    /// European Cluster Observatory stars: size, specialisation, focus.
    Eco,
    /// Practitioners' quadrant: star, mature, emerging, transforming.
    Quadrant,
}

/// Arguments of `weaver map clusters`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("OUT.csv")))]
pub struct ClustersArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Classification method.
    #[arg(long, value_enum, default_value = "cmp")]
    pub method: ClassificationMethod,
    /// Add `lq_percentile` and `employment_percentile` columns: each cell's
    /// percentile rank (0–100, numpy's default type-7 scale, ties at their
    /// highest) among the regions of the same kind with employment > 0, for
    /// the same cluster and year; empty for cells with no employment.
    #[arg(long)]
    pub percentiles: bool,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver map strength`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("OUT.csv")))]
pub struct StrengthArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver map growth`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("OUT.csv")))]
pub struct GrowthArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Start year (default: the first year).
    #[arg(long)]
    pub start: Option<i32>,
    /// End year (default: the last year).
    #[arg(long)]
    pub end: Option<i32>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver map complexity`.
#[derive(Debug, Clone, Args)]
pub struct ComplexityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder to write rca, proximity, density, eci, pci, coi, cog and next
    /// tables into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Year (default: the last year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Kind of region, when regions of several kinds are given.
    #[arg(long)]
    pub kind: Option<String>,
    /// RCA at or above which an industry is present.
    #[arg(long, default_value_t = 1.0)]
    pub rca_threshold: f64,
    /// Length of each region's "what next" list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// Arguments of `weaver map related`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("OUT.csv")))]
pub struct RelatedArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Year (default: the last year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Kind of region, when regions of several kinds are given.
    #[arg(long)]
    pub kind: Option<String>,
    /// Keep the `top` most related clusters of each cluster (default: all).
    #[arg(long)]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// `weaver map profile`: a register cluster's own sectors in its own region.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("out", |a| a.value_name("OUT.csv")))]
pub struct ProfileArgs {
    /// The register cluster (its id).
    #[arg(long)]
    pub cluster: String,
    /// The year (default: the last of the cluster's section).
    #[arg(long)]
    pub year: Option<i32>,
    /// A country code (the sum of its regions) or a region id (its own
    /// activity) as the reference area (default: the cluster's country).
    #[arg(long, value_name = "COUNTRY|REGION")]
    pub benchmark: Option<String>,
    #[command(flatten)]
    pub output: OutArgs,
}
