//! The arguments of `weaver network …`: where the network comes from (files
//! or the register), where the table goes, and each subcommand's options.
//!
//! Option values from a fixed set are [`ValueEnum`]s parsed by [`OneOf`]
//! (shared by every command group, in `commands/args.rs`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

pub use crate::commands::args::{OneOf, OutArgs, RegisterArgs, name_of, one_of};
use weaver_network as net;

/// Where the graph comes from: an edge list (and a nodes table), or the
/// register.
#[derive(Debug, Clone, Default, Args)]
pub struct GraphArgs {
    /// Edge list CSV with a header `source,target[,weight]` (other columns
    /// are ignored).
    #[arg(
        long,
        value_name = "E.csv",
        required_unless_present_any = ["cluster", "all_clusters"],
        conflicts_with = "register"
    )]
    pub edges: Option<PathBuf>,
    /// Nodes CSV with a header `id` and attribute columns; its nodes come
    /// first and isolated nodes are kept.
    #[arg(long, value_name = "N.csv", conflicts_with = "register")]
    pub nodes: Option<PathBuf>,
    #[command(flatten)]
    pub register: RegisterArgs,
    /// Treat each row of the edge file as an arc source -> target. Not with
    /// --cluster: a register's ties say in their `directed` column whether
    /// they are arcs, and each analysis reads them by that rule (README,
    /// "Directed ties").
    #[arg(long, conflicts_with = "register")]
    pub directed: bool,
}

/// A column of `weaver network metrics` (and of the metrics `export` adds),
/// in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Metric {
    /// Number of neighbours.
    Degree,
    /// Sum of tie weights.
    Strength,
    /// Betweenness centrality.
    Betweenness,
    /// Closeness centrality.
    Closeness,
    /// Eigenvector centrality.
    Eigenvector,
    /// PageRank.
    Pagerank,
    /// Local clustering coefficient.
    Clustering,
    /// k-core number.
    CoreNumber,
    /// Connected component.
    Component,
    /// Burt's constraint.
    Constraint,
    /// Burt's effective size.
    EffectiveSize,
}

/// Community detection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommunityMethod {
    /// Leiden (Traag, Waltman & van Eck 2019).
    Leiden,
    /// Louvain (Blondel et al. 2008).
    Louvain,
}

impl From<CommunityMethod> for net::CommunityAlgorithm {
    fn from(m: CommunityMethod) -> net::CommunityAlgorithm {
        match m {
            CommunityMethod::Leiden => net::CommunityAlgorithm::Leiden,
            CommunityMethod::Louvain => net::CommunityAlgorithm::Louvain,
        }
    }
}

/// The quality a community detection optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Quality {
    /// Newman–Girvan modularity.
    Modularity,
    /// The constant Potts model.
    Cpm,
}

impl From<Quality> for net::Quality {
    fn from(q: Quality) -> net::Quality {
        match q {
            Quality::Modularity => net::Quality::Modularity,
            Quality::Cpm => net::Quality::Cpm,
        }
    }
}

/// A structural link-prediction score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Score {
    /// Shared neighbours.
    CommonNeighbors,
    /// Shared over all neighbours.
    Jaccard,
    /// Shared neighbours weighted by 1 / log degree.
    AdamicAdar,
    /// Shared neighbours weighted by 1 / degree.
    ResourceAllocation,
    /// Product of the degrees.
    PreferentialAttachment,
}

impl From<Score> for net::LinkScore {
    fn from(s: Score) -> net::LinkScore {
        match s {
            Score::CommonNeighbors => net::LinkScore::CommonNeighbors,
            Score::Jaccard => net::LinkScore::Jaccard,
            Score::AdamicAdar => net::LinkScore::AdamicAdar,
            Score::ResourceAllocation => net::LinkScore::ResourceAllocation,
            Score::PreferentialAttachment => net::LinkScore::PreferentialAttachment,
        }
    }
}

/// The diffusion model of `weaver network diffuse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Model {
    /// Knowledge barter (Cowan & Jonard 2004) on the network or a ring.
    CowanJonard,
    /// Independent-cascade spillover from each organization.
    Cascade,
}

/// The file format of `weaver network export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// GraphML.
    Graphml,
}

/// The edge weight of `weaver network project`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Weight {
    /// Shared projects.
    Count,
    /// Σ 1/(k_p − 1) (Newman 2001).
    Newman,
    /// Sum of the project's value from `--value-column`.
    Value,
}

impl From<Weight> for net::ProjectionWeight {
    fn from(w: Weight) -> net::ProjectionWeight {
        match w {
            Weight::Count => net::ProjectionWeight::SharedCount,
            Weight::Newman => net::ProjectionWeight::Newman,
            Weight::Value => net::ProjectionWeight::ProjectValue,
        }
    }
}

/// Arguments of `weaver network metrics`.
#[derive(Debug, Clone, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Comma-separated subset of the metric columns (default: all).
    #[arg(long, value_delimiter = ',', value_name = "LIST", value_parser = one_of::<Metric>())]
    pub metrics: Option<Vec<Metric>>,
    #[command(flatten)]
    pub output: OutArgs,
    /// Compute exact betweenness even on a large graph.
    #[arg(long)]
    pub exact: bool,
    /// Estimate betweenness by sampling (Riondato–Kornaropoulos) with this
    /// additive error bound ε.
    #[arg(long, value_name = "EPS")]
    pub sample_epsilon: Option<f64>,
    /// Failure probability δ of the sampled estimate.
    #[arg(long, value_name = "DELTA", default_value_t = 0.1)]
    pub sample_delta: f64,
    /// Seed of the sampled estimate.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Path metrics (betweenness, closeness) on weighted shortest paths with
    /// length 1 / weight; structural holes weighted by tie strength.
    #[arg(long)]
    pub weighted_paths: bool,
}

/// Arguments of `weaver network summary`.
#[derive(Debug, Clone, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Node attribute for attribute assortativity (default: `actor_type`
    /// when the nodes table has it).
    #[arg(long, value_name = "COL")]
    pub attribute: Option<String>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network communities`.
#[derive(Debug, Clone, Args)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The method.
    #[arg(long, default_value = "leiden", value_parser = one_of::<CommunityMethod>())]
    pub method: CommunityMethod,
    /// The quality optimised.
    #[arg(long, default_value = "modularity", value_parser = one_of::<Quality>())]
    pub quality: Quality,
    /// Resolution γ.
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    /// Seed of the random orders and merges.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network brokerage`.
#[derive(Debug, Clone, Args)]
pub struct BrokerageArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The nodes-table column that gives each node's group.
    #[arg(long, value_name = "COL")]
    pub group: String,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network openness`.
#[derive(Debug, Clone, Args)]
pub struct OpennessArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Attributes to group by (default: those of actor_type, region, cluster
    /// that the nodes table has). Of a cluster of the register: actor_type,
    /// region, country, cluster (default: all four), counting its members'
    /// ties among themselves and to organizations outside it.
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub group: Option<Vec<String>>,
    /// With `--cluster` or `--all-clusters`: one row per group of outside
    /// partners (attribute, value, ties, partners) instead of one row per
    /// attribute.
    #[arg(long, requires = "register")]
    pub partners: bool,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network synergy`: a nodes table, or the members of
/// a cluster (or of every cluster) in the register.
#[derive(Debug, Clone, Args)]
pub struct SynergyArgs {
    /// Nodes CSV with a header `id` and attribute columns.
    #[arg(
        long,
        value_name = "N.csv",
        required_unless_present_any = ["cluster", "all_clusters"],
        conflicts_with = "register"
    )]
    pub nodes: Option<PathBuf>,
    #[command(flatten)]
    pub register: RegisterArgs,
    /// Two to four columns (default: actor_type,region,industry); of a
    /// cluster's members: actor_type, region, industry, size.
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub columns: Option<Vec<String>>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network recommend`.
#[derive(Debug, Clone, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Only suggestions for this node id.
    #[arg(long = "for", value_name = "ID")]
    pub for_node: Option<String>,
    /// Structural score.
    #[arg(long, default_value = "adamic_adar", value_parser = one_of::<Score>())]
    pub score: Score,
    /// Suggestions kept per node.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Nodes-table column with the actor type.
    #[arg(long, default_value = "actor_type")]
    pub type_column: String,
    /// Nodes-table column with the field.
    #[arg(long, default_value = "field")]
    pub field_column: String,
    /// Seed of the community detection used for bridging.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network diffuse`.
#[derive(Debug, Clone, Args)]
pub struct DiffuseArgs {
    /// The model: knowledge barter on the network or a ring, or
    /// independent-cascade spillover from each organization (needs `--edges`
    /// or `--cluster`).
    #[arg(long, default_value = "cowan-jonard", value_parser = one_of::<Model>())]
    pub model: Model,
    /// Edge list CSV (`source,target`) of the agents' network.
    #[arg(long, value_name = "E.csv", conflicts_with = "ring")]
    pub edges: Option<PathBuf>,
    /// Number of agents on a ring lattice.
    #[arg(
        long,
        value_name = "N",
        required_unless_present_any = ["edges", "cluster"]
    )]
    pub ring: Option<usize>,
    /// Take the agents' network from the register (`--db`): the members of
    /// this cluster and the ties among them, as `--edges` would give them.
    #[arg(long, value_name = "ID", conflicts_with_all = ["edges", "ring"])]
    pub cluster: Option<String>,
    /// With `--cluster`: only memberships and ties valid in this period
    /// (`2024`, `2024-Q3`, `2024-07`).
    #[arg(
        long,
        value_name = "P",
        requires = "cluster",
        conflicts_with_all = ["edges", "ring"]
    )]
    pub period: Option<String>,
    /// Neighbours of each agent on the ring (even).
    #[arg(long, default_value_t = 10)]
    pub neighbours: usize,
    /// Watts–Strogatz rewiring probability p.
    #[arg(long, default_value_t = 0.0)]
    pub rewire: f64,
    /// Absorptive capacity α.
    #[arg(long, default_value_t = 0.5)]
    pub alpha: f64,
    /// Knowledge categories K.
    #[arg(long, default_value_t = 5)]
    pub categories: usize,
    /// Lead threshold: smaller gaps do not count as a lead.
    #[arg(long, default_value_t = 1e-3)]
    pub threshold: f64,
    /// Seed of the lattice, the initial levels and the meetings (or the
    /// cascade runs).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Cascade: transmission probability of a tie.
    #[arg(long, default_value_t = 0.1)]
    pub probability: f64,
    /// Cascade: a tie of weight w transmits with 1 − (1 − p)^w.
    #[arg(long)]
    pub weighted_cascade: bool,
    /// Cascade: Monte Carlo runs.
    #[arg(long, default_value_t = 1000)]
    pub runs: usize,
    /// Cascade: also add the K best recommended ties (as `weaver network
    /// recommend` and the API suggest them: complementarity of actor_type
    /// and industry, 5 per node, at most 100) and report the spread after.
    #[arg(long, value_name = "K")]
    pub what_if: Option<usize>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The file format.
    #[arg(long, value_parser = one_of::<GraphFormat>())]
    pub format: GraphFormat,
    /// Metrics to attach (names as in `metrics`).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "degree,strength,pagerank,core_number,component",
        value_parser = one_of::<Metric>()
    )]
    pub metrics: Vec<Metric>,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Arguments of `weaver network compare`: two edge lists, or one cluster's
/// network (or every cluster's) in the register at two periods.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("register").args(["cluster", "all_clusters"])))]
pub struct CompareArgs {
    /// Edge list of the first period.
    #[arg(
        long,
        value_name = "A.csv",
        requires = "after",
        required_unless_present_any = ["cluster", "all_clusters"]
    )]
    pub before: Option<PathBuf>,
    /// Edge list of the second period.
    #[arg(long, value_name = "B.csv", requires = "before")]
    pub after: Option<PathBuf>,
    /// Compare the network of this cluster in the register (`--db`) at
    /// `--period-before` and `--period-after` instead of two files: its
    /// members valid in each period and the ties among them valid then.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with_all = ["before", "after"],
        requires_all = ["period_before", "period_after"]
    )]
    pub cluster: Option<String>,
    /// Compare every cluster's network of the register, in id order: CSV
    /// tables get a leading `cluster` column, JSON one entry per cluster id.
    #[arg(
        long,
        conflicts_with_all = ["before", "after"],
        requires_all = ["period_before", "period_after"]
    )]
    pub all_clusters: bool,
    /// With `--cluster` or `--all-clusters`: the first period (`2020`,
    /// `2020-Q3`, `2020-07`).
    #[arg(
        long,
        value_name = "P1",
        requires = "register",
        conflicts_with_all = ["before", "after"]
    )]
    pub period_before: Option<String>,
    /// With `--cluster` or `--all-clusters`: the second period.
    #[arg(
        long,
        value_name = "P2",
        requires = "register",
        conflicts_with_all = ["before", "after"]
    )]
    pub period_after: Option<String>,
    /// Treat the rows of the edge files as arcs. Not with --cluster or
    /// --all-clusters: a register's ties say in their `directed` column
    /// whether they are arcs.
    #[arg(long, conflicts_with = "register")]
    pub directed: bool,
    /// Node table (status and metric deltas) to this file instead of
    /// standard output.
    #[arg(long, value_name = "N.csv")]
    pub out: Option<PathBuf>,
    /// Also write the tie changes `source,target,change,weight_before,weight_after`.
    #[arg(long, value_name = "T.csv")]
    pub ties_out: Option<PathBuf>,
}

/// Arguments of `weaver network evaluate-links`.
#[derive(Debug, Clone, Args)]
pub struct EvaluateLinksArgs {
    /// Edge list with a time column.
    #[arg(long, value_name = "E.csv")]
    pub edges: PathBuf,
    /// The column with the year (or any number) of each tie.
    #[arg(long, default_value = "year")]
    pub time_column: String,
    /// Ties up to and including this value train; later ones are the test.
    #[arg(long)]
    pub split: f64,
    /// Score.
    #[arg(long, default_value = "adamic_adar", value_parser = one_of::<Score>())]
    pub score: Score,
    /// L of precision@L.
    #[arg(long, default_value_t = 100)]
    pub k: usize,
    /// Random comparisons for the AUC when exact enumeration is larger.
    #[arg(long, default_value_t = 10_000)]
    pub samples: usize,
    /// Seed of the sampled comparisons.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network project`.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// Participations CSV with the columns `org` and `project`.
    #[arg(long, value_name = "P.csv")]
    pub participations: PathBuf,
    /// Edge weight.
    #[arg(long, default_value = "count", value_parser = one_of::<Weight>())]
    pub weight: Weight,
    /// Column with the project's value (for `--weight value`).
    #[arg(long, value_name = "COL")]
    pub value_column: Option<String>,
    /// Write the edge list to this file instead of standard output.
    #[arg(long, value_name = "E.csv")]
    pub out: Option<PathBuf>,
}
