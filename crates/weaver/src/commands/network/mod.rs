//! `weaver network …`: network analytics on edge-list files.
//!
//! Files are read here into a [`NetworkInput`] (plain values); everything after
//! that ([`metrics_table`], [`summary_table`], …) works on the in-memory input,
//! so the register can feed the same path.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use weaver_network as net;
use weaver_network::{EdgeRecord, Graph, GraphOptions, NetworkError};

use crate::output::{Cell, Table, open_csv};

/// Node count above which exact betweenness needs `--exact` (or a sampled
/// estimate with `--sample-epsilon`).
pub const EXACT_BETWEENNESS_LIMIT: usize = 20_000;

/// The columns of `weaver network metrics`, in output order.
pub const METRIC_COLUMNS: [&str; 11] = [
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "clustering",
    "core_number",
    "component",
    "constraint",
    "effective_size",
];

/// Network analytics: metrics, summary, communities, brokerage, link suggestions.
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// One row per node: degree, strength, betweenness, closeness, eigenvector,
    /// pagerank, clustering, core_number, component, constraint, effective_size.
    Metrics(MetricsArgs),
    /// Graph-level figures: size, density, components, clustering, path length,
    /// assortativity.
    Summary(SummaryArgs),
    /// Communities by Louvain or Leiden: one row `node,community`; the
    /// modularity is printed on standard error.
    Communities(CommunitiesArgs),
    /// Gould–Fernandez brokerage roles by a node attribute, with z-scores.
    Brokerage(BrokerageArgs),
    /// Openness: E-I index and shares of cross-group ties per attribute.
    Openness(OpennessArgs),
    /// Triple-helix synergy: mutual information among 2–4 node attributes.
    Synergy(SynergyArgs),
    /// Who should meet whom: suggested ties with scores and reasons.
    Recommend(RecommendArgs),
    /// Knowledge diffusion (Cowan–Jonard barter model) on a ring lattice with
    /// rewiring, on the network of an edge list or on a cluster's network in
    /// the register.
    #[command(
        after_help = "Examples:\n  weaver network diffuse --ring 500 --neighbours 10 --rewire 0.1 --seed 1\n  weaver network diffuse --edges ties.csv --seed 1\n  weaver network diffuse --cluster demo-cn-shenzhen-ict --period 2024 --seed 1\n  weaver network diffuse --model cascade --cluster demo-cn-shenzhen-ict --runs 500"
    )]
    Diffuse(DiffuseArgs),
    /// Write the graph with node attributes and metrics as GEXF 1.3 (Gephi)
    /// or GraphML.
    Export(ExportArgs),
    /// Compare two periods: entrants and exits, tie changes, metric deltas;
    /// of two edge lists or of a cluster's network in the register.
    #[command(
        after_help = "Examples:\n  weaver network compare --before ties-2020.csv --after ties-2024.csv\n  weaver network compare --cluster demo-cn-shenzhen-ict --period-before 2020 --period-after 2024\n  weaver network compare --all-clusters --period-before 2020 --period-after 2024 --ties-out ties.csv"
    )]
    Compare(CompareArgs),
    /// Measure a link-prediction score on a time split: AUC and precision@k.
    EvaluateLinks(EvaluateLinksArgs),
    /// Project organization–project participations onto organizations: an
    /// edge list `source,target,weight` for the other commands.
    Project(ProjectArgs),
}

/// Arguments of `weaver network project`.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// Participations CSV with the columns `org` and `project`.
    #[arg(long, value_name = "P.csv")]
    pub participations: PathBuf,
    /// Edge weight: `count` (shared projects), `newman` (Σ 1/(k_p − 1)) or
    /// `value` (sum of the project's value from --value-column).
    #[arg(long, default_value = "count")]
    pub weight: String,
    /// Column with the project's value (for `--weight value`).
    #[arg(long, value_name = "COL")]
    pub value_column: Option<String>,
    /// Write the edge list to this file instead of standard output.
    #[arg(long, value_name = "E.csv")]
    pub out: Option<PathBuf>,
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
    /// Score: common_neighbors, jaccard, adamic_adar, resource_allocation,
    /// preferential_attachment.
    #[arg(long, default_value = "adamic_adar")]
    pub score: String,
    /// L of precision@L.
    #[arg(long, default_value_t = 100)]
    pub k: usize,
    /// Random comparisons for the AUC when exact enumeration is larger.
    #[arg(long, default_value_t = 10_000)]
    pub samples: usize,
    /// Seed of the sampled comparisons.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "R.csv")]
    pub out: Option<PathBuf>,
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
    /// Treat rows as arcs.
    #[arg(long)]
    pub directed: bool,
    /// Node table (status and metric deltas) to this file instead of
    /// standard output.
    #[arg(long, value_name = "N.csv")]
    pub out: Option<PathBuf>,
    /// Also write the tie changes `source,target,change,weight_before,weight_after`.
    #[arg(long, value_name = "T.csv")]
    pub ties_out: Option<PathBuf>,
}

/// Arguments of `weaver network export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// `gexf` or `graphml`.
    #[arg(long)]
    pub format: String,
    /// Metrics to attach (names as in `metrics`).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "degree,strength,pagerank,core_number,component"
    )]
    pub metrics: Vec<String>,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Arguments of `weaver network diffuse`.
#[derive(Debug, Clone, Args)]
pub struct DiffuseArgs {
    /// The model: `cowan-jonard` (knowledge barter on the network or a ring) or
    /// `cascade` (independent-cascade spillover from each organization; needs
    /// `--edges` or `--cluster`).
    #[arg(long, default_value = "cowan-jonard")]
    pub model: String,
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
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "D.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver network communities`.
#[derive(Debug, Clone, Args)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// `leiden` or `louvain`.
    #[arg(long, default_value = "leiden")]
    pub method: String,
    /// `modularity` (default) or `cpm`.
    #[arg(long, default_value = "modularity")]
    pub quality: String,
    /// Resolution γ.
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    /// Seed of the random orders and merges.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "C.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver network brokerage`.
#[derive(Debug, Clone, Args)]
pub struct BrokerageArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The nodes-table column that gives each node's group.
    #[arg(long, value_name = "COL")]
    pub group: String,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "B.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver network openness`.
#[derive(Debug, Clone, Args)]
pub struct OpennessArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Attributes to group by (default: those of actor_type, region, cluster
    /// that the nodes table has).
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub group: Option<Vec<String>>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "O.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver network synergy`.
#[derive(Debug, Clone, Args)]
pub struct SynergyArgs {
    /// Nodes CSV with a header `id` and attribute columns.
    #[arg(long, value_name = "N.csv")]
    pub nodes: PathBuf,
    /// Two to four columns (default: actor_type,region,industry).
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub columns: Option<Vec<String>>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "T.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver network recommend`.
#[derive(Debug, Clone, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Only suggestions for this node id.
    #[arg(long = "for", value_name = "ID")]
    pub for_node: Option<String>,
    /// Structural score: common_neighbors, jaccard, adamic_adar,
    /// resource_allocation, preferential_attachment.
    #[arg(long, default_value = "adamic_adar")]
    pub score: String,
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
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "R.csv")]
    pub out: Option<PathBuf>,
}

/// Where the graph comes from.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("register").args(["cluster", "all_clusters"])))]
pub struct GraphArgs {
    /// Edge list CSV with a header `source,target[,weight]` (other columns
    /// are ignored).
    #[arg(
        long,
        value_name = "E.csv",
        required_unless_present_any = ["cluster", "all_clusters"]
    )]
    pub edges: Option<PathBuf>,
    /// Nodes CSV with a header `id` and attribute columns; its nodes come
    /// first and isolated nodes are kept.
    #[arg(long, value_name = "N.csv")]
    pub nodes: Option<PathBuf>,
    /// Read the network of this cluster from the register (`--db`) instead
    /// of files: its members, with their actor type, region, industry and
    /// size, and the ties among them.
    #[arg(long, value_name = "ID", conflicts_with_all = ["edges", "nodes"])]
    pub cluster: Option<String>,
    /// Run on the network of every cluster of the register, in id order:
    /// CSV gets a leading `cluster` column, JSON one entry per cluster id.
    #[arg(long, conflicts_with_all = ["edges", "nodes"])]
    pub all_clusters: bool,
    /// With `--cluster` or `--all-clusters`: only memberships and ties valid
    /// in this period (`2024`, `2024-Q3`, `2024-07`).
    #[arg(long, value_name = "P", requires = "register")]
    pub period: Option<String>,
    /// Treat each row as an arc source -> target.
    #[arg(long)]
    pub directed: bool,
}

/// Arguments of `weaver network metrics`.
#[derive(Debug, Clone, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Comma-separated subset of the metric columns (default: all).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub metrics: Option<Vec<String>>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "M.csv")]
    pub out: Option<PathBuf>,
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
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "S.csv")]
    pub out: Option<PathBuf>,
}

/// A network held in memory: what the files (or the register) provide.
#[derive(Debug, Clone, Default)]
pub struct NetworkInput {
    /// Node ids of the nodes table, in its order.
    pub node_ids: Vec<String>,
    /// Attribute columns of the nodes table: name and one value per listed
    /// node (`None` for an empty cell).
    pub attributes: Vec<(String, Vec<Option<String>>)>,
    /// Edge rows.
    pub edges: Vec<EdgeRecord>,
    /// Where each edge row came from (`file:line`), for error messages.
    pub edge_origin: Vec<String>,
    /// Whether the edge list has a weight column.
    pub weighted: bool,
    /// Whether rows are arcs.
    pub directed: bool,
}

impl NetworkInput {
    /// Builds the graph, printing notices about dropped self-loops.
    pub fn graph(&self) -> anyhow::Result<Graph> {
        let opts = GraphOptions {
            directed: self.directed,
            weighted: self.weighted,
        };
        let (g, report) =
            Graph::from_edges(&self.node_ids, &self.edges, opts).map_err(|e| self.explain(e))?;
        if report.self_loops > 0 {
            eprintln!("notice: dropped {} self-loop row(s)", report.self_loops);
        }
        Ok(g)
    }

    /// Turns an engine error with an edge index into a message with the row.
    fn explain(&self, e: NetworkError) -> anyhow::Error {
        let at = |i: usize| self.edge_origin.get(i).cloned().unwrap_or_default();
        match &e {
            NetworkError::BadWeight { index, .. } => {
                anyhow::anyhow!("{}, column weight: {e}", at(*index))
            }
            NetworkError::EmptyId { index, what } if what.starts_with("edge") => {
                anyhow::anyhow!("{}: {e}", at(*index))
            }
            _ => anyhow::Error::new(e),
        }
    }

    /// Values of an attribute aligned with the graph's nodes (nodes that
    /// appear only in the edge list have no value).
    pub fn attribute(&self, g: &Graph, name: &str) -> Option<Vec<Option<String>>> {
        let (_, vals) = self.attributes.iter().find(|(n, _)| n == name)?;
        let mut out = vals.clone();
        out.resize(g.node_count(), None);
        Some(out)
    }
}

/// Runs a `weaver network` subcommand.
pub fn run(cmd: &NetworkCommand, json: bool, db: &str) -> anyhow::Result<()> {
    match cmd {
        NetworkCommand::Metrics(a) => for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
            metrics_table(i, a)
        }),
        NetworkCommand::Summary(a) => for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
            summary_table(i, a.attribute.as_deref())
        }),
        NetworkCommand::Communities(a) => {
            for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
                communities_table(i, a)
            })
        }
        NetworkCommand::Brokerage(a) => {
            for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
                brokerage_table(i, &a.group)
            })
        }
        NetworkCommand::Openness(a) => {
            for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
                openness_table(i, a.group.as_deref())
            })
        }
        NetworkCommand::Synergy(a) => {
            let (ids, attributes) = read_nodes(&a.nodes)?;
            let input = NetworkInput {
                node_ids: ids,
                attributes,
                ..Default::default()
            };
            let t = synergy_table(&input, a.columns.as_deref())?;
            t.emit(a.out.as_deref(), json)
        }
        NetworkCommand::Recommend(a) => {
            for_each_network(&a.graph, db, a.out.as_deref(), json, |i| {
                recommend_table(i, a)
            })
        }
        NetworkCommand::Compare(a) => compare(a, db, json),
        NetworkCommand::EvaluateLinks(a) => {
            let (input, times) = read_edges_with(&a.edges, Some(&a.time_column))?;
            let t = evaluate_links_table(&input, &times, a)?;
            t.emit(a.out.as_deref(), json)
        }
        NetworkCommand::Project(a) => {
            let t = project_table(a)?;
            t.emit(a.out.as_deref(), json)
        }
        NetworkCommand::Export(a) => {
            if a.graph.all_clusters {
                bail!(
                    "export writes one graph per file: use --cluster ID (once per cluster) \
                     instead of --all-clusters"
                );
            }
            let input = load(&a.graph, db)?;
            let xml = export_string(&input, a)?;
            std::fs::write(&a.out, xml)
                .with_context(|| format!("cannot write {}", a.out.display()))?;
            Ok(())
        }
        NetworkCommand::Diffuse(a) if a.model == "cascade" => {
            let Some(input) = diffuse_network(a, db)? else {
                bail!(
                    "--model cascade needs --edges E.csv or --cluster ID: it runs on a given network, not a ring"
                );
            };
            let t = cascade_table(&input, a)?;
            t.emit(a.out.as_deref(), json)
        }
        NetworkCommand::Diffuse(a) => {
            let g = match diffuse_network(a, db)? {
                Some(input) => input.graph()?,
                None => net::watts_strogatz(a.ring.unwrap_or(0), a.neighbours, a.rewire, a.seed)?,
            };
            let t = diffuse_table(&g, a)?;
            t.emit(a.out.as_deref(), json)
        }
    }
}

/// The agents' network of `diffuse` when one is given (`--edges` or
/// `--cluster`); `None` for a ring lattice.
fn diffuse_network(a: &DiffuseArgs, db: &str) -> anyhow::Result<Option<NetworkInput>> {
    Ok(match (&a.edges, &a.cluster) {
        (Some(path), _) => Some(read_edges(path)?),
        (None, Some(cluster)) => Some(super::from_register::network_input(
            db,
            cluster,
            a.period.as_deref(),
            false,
        )?),
        (None, None) => None,
    })
}

/// `weaver network compare`: two edge lists, one cluster of the register at
/// two periods, or every cluster (tables stacked as [`by_cluster`] does).
fn compare(a: &CompareArgs, db: &str, json: bool) -> anyhow::Result<()> {
    use super::from_register::{all_network_inputs, check_period, network_input};
    let (p1, p2) = (a.period_before.as_deref(), a.period_after.as_deref());
    if a.cluster.is_some() || a.all_clusters {
        check_period("--period-before", p1)?;
        check_period("--period-after", p2)?;
    }
    if a.all_clusters {
        let before = all_network_inputs(db, p1, a.directed)?;
        let after = all_network_inputs(db, p2, a.directed)?;
        let ids = |v: &[(String, NetworkInput)]| -> Vec<String> {
            v.iter().map(|(id, _)| id.clone()).collect()
        };
        if ids(&before) != ids(&after) {
            bail!("the register's clusters changed while being read; run the command again");
        }
        let (mut nodes, mut ties) = (Vec::new(), Vec::new());
        for ((id, b), (_, af)) in before.iter().zip(&after) {
            eprintln!("cluster {id}:");
            let (n, t) = compare_tables(b, af).with_context(|| format!("cluster {id}"))?;
            nodes.push((id.clone(), n));
            ties.push((id.clone(), t));
        }
        if let Some(path) = &a.ties_out {
            emit_by_cluster(&ties, Some(path), json)?;
        }
        return emit_by_cluster(&nodes, a.out.as_deref(), json);
    }
    let (before, after) = match (&a.cluster, &a.before, &a.after) {
        (Some(c), _, _) => (
            network_input(db, c, p1, a.directed)?,
            network_input(db, c, p2, a.directed)?,
        ),
        (None, Some(before), Some(after)) => {
            let mut before = read_edges(before)?;
            before.directed = a.directed;
            let mut after = read_edges(after)?;
            after.directed = a.directed;
            (before, after)
        }
        _ => bail!(
            "give the two periods as --before A.csv --after B.csv, or as --cluster ID \
             --period-before P1 --period-after P2 from the register"
        ),
    };
    let (nodes, ties) = compare_tables(&before, &after)?;
    if let Some(path) = &a.ties_out {
        ties.emit(Some(path), json)?;
    }
    nodes.emit(a.out.as_deref(), json)
}

/// Runs `table` on the network named by `args` and writes the result; with
/// `--all-clusters` runs it on every cluster's network of the register, in
/// id order, and writes the tables together (see [`by_cluster`]). Notices on
/// standard error are preceded by `cluster ID:` then.
pub fn for_each_network(
    args: &GraphArgs,
    db: &str,
    out: Option<&Path>,
    json: bool,
    table: impl Fn(&NetworkInput) -> anyhow::Result<Table>,
) -> anyhow::Result<()> {
    if !args.all_clusters {
        let input = load(args, db)?;
        return table(&input)?.emit(out, json);
    }
    let inputs =
        super::from_register::all_network_inputs(db, args.period.as_deref(), args.directed)?;
    let mut tables = Vec::with_capacity(inputs.len());
    for (id, input) in &inputs {
        eprintln!("cluster {id}:");
        let t = table(input).with_context(|| format!("cluster {id}"))?;
        tables.push((id.clone(), t));
    }
    emit_by_cluster(&tables, out, json)
}

/// Writes per-cluster tables together: as JSON one entry per cluster id, as
/// CSV stacked with a leading `cluster` column (see [`by_cluster`]).
pub fn emit_by_cluster(
    tables: &[(String, Table)],
    out: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        let obj: serde_json::Map<String, serde_json::Value> = tables
            .iter()
            .map(|(id, t)| (id.clone(), t.to_json()))
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(obj))?;
        match out {
            Some(path) => std::fs::write(path, text + "\n")
                .with_context(|| format!("cannot write {}", path.display())),
            // As `Table::emit`: a closed pipe is an error, not a panic.
            None => {
                use std::io::Write;
                writeln!(std::io::stdout().lock(), "{text}").context("cannot write the output")
            }
        }
    } else {
        by_cluster(tables).emit(out, false)
    }
}

/// Stacks per-cluster tables into one with a leading `cluster` column. The
/// columns are those of the first table followed by any others in order of
/// first appearance; a table without a column gets empty cells there.
pub fn by_cluster(tables: &[(String, Table)]) -> Table {
    let mut columns: Vec<String> = vec!["cluster".into()];
    for (_, t) in tables {
        for c in &t.columns {
            if !columns[1..].contains(c) {
                columns.push(c.clone());
            }
        }
    }
    let mut out = Table::new(&columns);
    for (id, t) in tables {
        let pos: Vec<Option<usize>> = columns[1..]
            .iter()
            .map(|c| t.columns.iter().position(|x| x == c))
            .collect();
        for row in &t.rows {
            let mut r = vec![Cell::from(id.as_str())];
            r.extend(
                pos.iter()
                    .map(|p| p.map_or(Cell::Empty, |k| row[k].clone())),
            );
            out.push(r);
        }
    }
    out
}

/// Reads a GEXF or GraphML file (by its extension) into an input; `None`
/// for any other extension.
pub fn read_xml_graph(path: &Path) -> anyhow::Result<Option<NetworkInput>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let parse = match ext.as_deref() {
        Some("gexf") => weaver_io::graph::read_gexf,
        Some("graphml") => weaver_io::graph::read_graphml,
        _ => return Ok(None),
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {file}"))?;
    let g = parse(&text).with_context(|| file.clone())?;
    let edge_origin = (0..g.edges.len())
        .map(|k| format!("{file} edge {}", k + 1))
        .collect();
    let edges = g
        .edges
        .into_iter()
        .map(|e| EdgeRecord::new(e.source, e.target, e.weight))
        .collect();
    Ok(Some(NetworkInput {
        node_ids: g.node_ids,
        attributes: g.attributes,
        edges,
        edge_origin,
        weighted: g.weighted,
        directed: g.directed,
    }))
}

/// Reads the files named by `args`. An edge list ending in `.gexf` or
/// `.graphml` is read as that format (with its node attributes; `--nodes`
/// then adds to them).
pub fn load(args: &GraphArgs, db: &str) -> anyhow::Result<NetworkInput> {
    if let Some(cluster) = &args.cluster {
        return super::from_register::network_input(
            db,
            cluster,
            args.period.as_deref(),
            args.directed,
        );
    }
    let Some(edges) = &args.edges else {
        bail!("give the network as --edges E.csv, or as --cluster ID from the register");
    };
    if let Some(mut input) = read_xml_graph(edges)? {
        input.directed |= args.directed;
        if let Some(path) = &args.nodes {
            let (ids, attributes) = read_nodes(path)?;
            let mut ids = ids;
            for id in &input.node_ids {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            let mut merged = attributes;
            for (name, vals) in &input.attributes {
                if merged.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let col = ids
                    .iter()
                    .map(|id| {
                        input
                            .node_ids
                            .iter()
                            .position(|x| x == id)
                            .and_then(|k| vals[k].clone())
                    })
                    .collect();
                merged.push((name.clone(), col));
            }
            for (_, col) in &mut merged {
                col.resize(ids.len(), None);
            }
            input.node_ids = ids;
            input.attributes = merged;
        }
        return Ok(input);
    }
    let mut input = read_edges(edges)?;
    input.directed = args.directed;
    if let Some(path) = &args.nodes {
        let (ids, attributes) = read_nodes(path)?;
        input.node_ids = ids;
        input.attributes = attributes;
    }
    Ok(input)
}

fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h.trim() == name)
}

/// Reads an edge list `source,target[,weight]`.
pub fn read_edges(path: &Path) -> anyhow::Result<NetworkInput> {
    Ok(read_edges_with(path, None)?.0)
}

/// Reads an edge list and, when `extra` names a column, its raw value on
/// every row.
pub fn read_edges_with(
    path: &Path,
    extra: Option<&str>,
) -> anyhow::Result<(NetworkInput, Vec<String>)> {
    let mut rdr = open_csv(path)?;
    let file = path.display().to_string();
    let headers = rdr
        .headers()
        .with_context(|| format!("{file}: cannot read the header row"))?
        .clone();
    let (Some(si), Some(ti)) = (column(&headers, "source"), column(&headers, "target")) else {
        bail!("{file}: the header must have the columns `source` and `target`");
    };
    let wi = column(&headers, "weight");
    let xi = match extra {
        Some(name) => match column(&headers, name) {
            Some(k) => Some(k),
            None => bail!("{file}: the header has no column `{name}`"),
        },
        None => None,
    };
    let mut extra_values = Vec::new();
    let mut input = NetworkInput {
        weighted: wi.is_some(),
        ..Default::default()
    };
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{file}: malformed CSV"))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |k: usize, name: &str| -> anyhow::Result<String> {
            let v = rec.get(k).unwrap_or("").trim();
            if v.is_empty() {
                bail!("{file} row {line}, column {name}: expected a node id, found an empty cell");
            }
            Ok(v.to_owned())
        };
        let source = get(si, "source")?;
        let target = get(ti, "target")?;
        let weight = match wi {
            Some(k) => {
                let raw = rec.get(k).unwrap_or("").trim();
                let w: f64 = raw.parse().map_err(|_| {
                    anyhow::anyhow!(
                        "{file} row {line}, column weight: expected a number > 0, found {raw:?}"
                    )
                })?;
                if !(w.is_finite() && w > 0.0) {
                    bail!("{file} row {line}, column weight: expected a number > 0, found {raw:?}");
                }
                w
            }
            None => 1.0,
        };
        input.edges.push(EdgeRecord::new(source, target, weight));
        input.edge_origin.push(format!("{file} row {line}"));
        if let Some(k) = xi {
            extra_values.push(rec.get(k).unwrap_or("").trim().to_owned());
        }
    }
    Ok((input, extra_values))
}

/// A nodes table: ids and attribute columns.
pub type NodesTable = (Vec<String>, Vec<(String, Vec<Option<String>>)>);

/// Reads a nodes table `id,attr1,attr2,…`.
pub fn read_nodes(path: &Path) -> anyhow::Result<NodesTable> {
    let mut rdr = open_csv(path)?;
    let file = path.display().to_string();
    let headers = rdr
        .headers()
        .with_context(|| format!("{file}: cannot read the header row"))?
        .clone();
    let Some(idi) = column(&headers, "id") else {
        bail!("{file}: the header must have the column `id`");
    };
    let attr_cols: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != idi)
        .map(|(k, h)| (k, h.trim().to_owned()))
        .collect();
    let mut ids = Vec::new();
    let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); attr_cols.len()];
    let mut seen = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{file}: malformed CSV"))?;
        let line = rec.position().map_or(0, |p| p.line());
        let id = rec.get(idi).unwrap_or("").trim().to_owned();
        if id.is_empty() {
            bail!("{file} row {line}, column id: expected a node id, found an empty cell");
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            bail!("{file} row {line}, column id: {id:?} is already listed on row {first}");
        }
        ids.push(id);
        for (slot, (k, _)) in values.iter_mut().zip(&attr_cols) {
            let v = rec.get(*k).unwrap_or("").trim();
            slot.push((!v.is_empty()).then(|| v.to_owned()));
        }
    }
    let attributes = attr_cols.into_iter().map(|(_, h)| h).zip(values).collect();
    Ok((ids, attributes))
}

/// Computes the metrics table for an in-memory network.
pub fn metrics_table(input: &NetworkInput, args: &MetricsArgs) -> anyhow::Result<Table> {
    let wanted: Vec<&str> = match &args.metrics {
        None => METRIC_COLUMNS.to_vec(),
        Some(list) => {
            let mut w = Vec::new();
            for m in list {
                let m = m.trim();
                let Some(&c) = METRIC_COLUMNS.iter().find(|&&c| c == m) else {
                    bail!(
                        "--metrics: unknown metric {m:?}; expected some of {}",
                        METRIC_COLUMNS.join(",")
                    );
                };
                if !w.contains(&c) {
                    w.push(c);
                }
            }
            // Output follows the standard column order.
            METRIC_COLUMNS
                .iter()
                .copied()
                .filter(|c| w.contains(c))
                .collect()
        }
    };
    let g = input.graph()?;
    let n = g.node_count();
    let wants = |c: &str| wanted.contains(&c);
    if wants("betweenness")
        && n > EXACT_BETWEENNESS_LIMIT
        && !args.exact
        && args.sample_epsilon.is_none()
    {
        bail!(
            "the graph has {n} nodes: exact betweenness (O(nm)) would take long. Pass --exact to \
             compute it anyway, or --sample-epsilon 0.01 for an estimate within ε with \
             probability 1−δ (Riondato–Kornaropoulos), or leave betweenness out of --metrics"
        );
    }
    if wants("closeness") && n > EXACT_BETWEENNESS_LIMIT {
        eprintln!(
            "notice: closeness on {n} nodes runs one search per node (O(nm)); this may take a while"
        );
    }
    let mut cols: Vec<Vec<Cell>> = Vec::new();
    for &c in &wanted {
        let col: Vec<Cell> = match c {
            "degree" => net::degree(&g).into_iter().map(Cell::from).collect(),
            "strength" => floats(net::strength(&g)),
            "betweenness" => match args.sample_epsilon {
                Some(eps) if !args.exact => {
                    let opts = net::SampledBetweennessOptions {
                        epsilon: eps,
                        delta: args.sample_delta,
                        seed: args.seed,
                        weighted_paths: args.weighted_paths,
                        ..Default::default()
                    };
                    let est = net::betweenness_sampled(&g, &opts)?;
                    eprintln!(
                        "notice: betweenness is a sampled estimate (Riondato–Kornaropoulos) on \
                         {} shortest paths: ε = {}, δ = {}, sample size = {}, vertex-diameter \
                         bound = {}; on the normalized scale every value is within {:.6} of the \
                         exact one with probability {}",
                        if args.weighted_paths {
                            "weighted (length 1/weight)"
                        } else {
                            "unweighted"
                        },
                        est.epsilon,
                        est.delta,
                        est.samples,
                        est.vertex_diameter_bound,
                        est.epsilon_normalized,
                        1.0 - est.delta
                    );
                    floats(est.values)
                }
                _ => floats(net::betweenness(
                    &g,
                    &net::BetweennessOptions {
                        weighted_paths: args.weighted_paths,
                        ..Default::default()
                    },
                )),
            },
            "closeness" => floats(net::closeness(
                &g,
                &net::ClosenessOptions {
                    weighted_paths: args.weighted_paths,
                    ..Default::default()
                },
            )),
            "eigenvector" => match net::eigenvector(&g, &Default::default()) {
                Ok(x) => floats(x),
                Err(NetworkError::EmptyGraph { .. }) => Vec::new(),
                Err(e) => {
                    eprintln!("notice: eigenvector left empty: {e}");
                    vec![Cell::Empty; n]
                }
            },
            "pagerank" => match net::pagerank(&g, &Default::default()) {
                Ok(x) => floats(x),
                Err(e) => {
                    eprintln!("notice: pagerank left empty: {e}");
                    vec![Cell::Empty; n]
                }
            },
            "clustering" => floats(net::clustering(&g)),
            "core_number" => net::core_number(&g).into_iter().map(Cell::from).collect(),
            "component" => net::components(&g)
                .membership
                .into_iter()
                .map(Cell::from)
                .collect(),
            "constraint" => floats(net::constraint(
                &g,
                &net::HolesOptions {
                    weighted: args.weighted_paths,
                },
            )),
            "effective_size" => floats(net::effective_size(
                &g,
                &net::HolesOptions {
                    weighted: args.weighted_paths,
                },
            )),
            other => bail!("unknown metric {other}"),
        };
        cols.push(col);
    }
    let mut header = vec!["node"];
    header.extend(&wanted);
    let mut t = Table::new(&header);
    for v in 0..n {
        let mut row = vec![Cell::from(g.ids()[v].as_str())];
        row.extend(cols.iter().map(|c| c[v].clone()));
        t.push(row);
    }
    Ok(t)
}

fn floats(v: Vec<f64>) -> Vec<Cell> {
    v.into_iter().map(Cell::Float).collect()
}

/// Computes the one-row summary table for an in-memory network.
pub fn summary_table(input: &NetworkInput, attribute: Option<&str>) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let attr_name = match attribute {
        Some(a) => {
            if !input.attributes.iter().any(|(n, _)| n == a) {
                bail!("--attribute {a}: the nodes table has no column {a:?}");
            }
            Some(a.to_owned())
        }
        None => input
            .attributes
            .iter()
            .any(|(n, _)| n == "actor_type")
            .then(|| "actor_type".to_owned()),
    };
    let values = attr_name.as_deref().and_then(|a| input.attribute(&g, a));
    let attr = attr_name.as_deref().zip(values.as_deref());
    let s = net::summary(&g, attr, &Default::default())?;
    let mut header = vec![
        "nodes".to_owned(),
        "edges".into(),
        "directed".into(),
        "density".into(),
        "components".into(),
        "giant_size".into(),
        "average_clustering".into(),
        "transitivity".into(),
        "average_path_length_giant".into(),
        "degree_assortativity".into(),
    ];
    let mut row = vec![
        Cell::from(s.nodes),
        Cell::from(s.edges),
        Cell::from(s.directed),
        Cell::from(s.density),
        Cell::from(s.components),
        Cell::from(s.giant_size),
        Cell::from(s.average_clustering),
        Cell::from(s.transitivity),
        Cell::from(s.average_path_length_giant),
        Cell::from(s.degree_assortativity),
    ];
    if let Some((name, r)) = s.attribute_assortativity {
        header.push(format!("attribute_assortativity_{name}"));
        row.push(Cell::from(r));
    }
    let mut t = Table::new(&header);
    t.push(row);
    Ok(t)
}

/// Computes `node,community` for an in-memory network; prints the modularity
/// on standard error.
pub fn communities_table(input: &NetworkInput, args: &CommunitiesArgs) -> anyhow::Result<Table> {
    let method = match args.method.as_str() {
        "leiden" => net::Method::Leiden,
        "louvain" => net::Method::Louvain,
        m => bail!("--method {m}: expected leiden or louvain"),
    };
    let quality = match args.quality.as_str() {
        "modularity" => net::Quality::Modularity,
        "cpm" => net::Quality::Cpm,
        q => bail!("--quality {q}: expected modularity or cpm"),
    };
    let g = input.graph()?;
    if g.is_directed() {
        eprintln!("notice: communities treat the directed graph as undirected");
    }
    let opts = net::CommunityOptions {
        method,
        quality,
        resolution: args.resolution,
        seed: args.seed,
        ..Default::default()
    };
    let p = net::communities(&g, &opts)?;
    // The optimised quality is the modularity itself at resolution 1.
    let optimised = if args.quality == "modularity" && args.resolution == 1.0 {
        String::new()
    } else {
        format!(
            "; {} at resolution {} = {}",
            args.quality,
            args.resolution,
            crate::output::format_f64(p.quality)
        )
    };
    eprintln!(
        "{} communities; modularity = {}{optimised} (seed {})",
        p.sizes.len(),
        crate::output::format_f64(p.modularity),
        args.seed
    );
    let mut t = Table::new(&["node", "community"]);
    for (v, c) in p.membership.iter().enumerate() {
        t.push(vec![Cell::from(g.ids()[v].as_str()), Cell::from(*c)]);
    }
    Ok(t)
}

/// Group values of every graph node for `col`; every node must have one.
fn required_groups(input: &NetworkInput, g: &Graph, col: &str) -> anyhow::Result<Vec<String>> {
    let Some(values) = input.attribute(g, col) else {
        bail!("--group {col}: the nodes table (--nodes) has no column {col:?}");
    };
    values
        .into_iter()
        .enumerate()
        .map(|(v, x)| {
            x.ok_or_else(|| {
                anyhow::anyhow!(
                    "node {:?} has no value in column {col:?} of the nodes table",
                    g.ids()[v]
                )
            })
        })
        .collect()
}

/// Computes the brokerage table for an in-memory network.
pub fn brokerage_table(input: &NetworkInput, group: &str) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let values = required_groups(input, &g, group)?;
    let codes: Vec<usize> = net::encode_groups(&values.iter().map(Some).collect::<Vec<_>>())
        .into_iter()
        .map(|c| c.unwrap_or(0))
        .collect();
    let b = net::brokerage(&g, &codes)?;
    let mut header = vec!["node".to_owned()];
    header.extend(net::ROLES.iter().map(|r| (*r).to_owned()));
    header.extend(net::ROLES.iter().map(|r| format!("{r}_z")));
    let mut t = Table::new(&header);
    for v in 0..g.node_count() {
        let mut row = vec![Cell::from(g.ids()[v].as_str())];
        row.extend(b.raw[v].iter().map(|&x| Cell::Int(x as i64)));
        row.extend(b.z[v].iter().map(|&x| Cell::Float(x)));
        t.push(row);
    }
    Ok(t)
}

/// Computes the openness table (one row per grouping attribute).
pub fn openness_table(input: &NetworkInput, groups: Option<&[String]>) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let cols: Vec<String> = match groups {
        Some(c) => c.to_vec(),
        None => ["actor_type", "region", "cluster"]
            .iter()
            .filter(|c| input.attributes.iter().any(|(n, _)| n == *c))
            .map(|c| (*c).to_owned())
            .collect(),
    };
    if cols.is_empty() {
        bail!(
            "no attribute to group by: pass --nodes with actor_type, region or cluster, or --group COL"
        );
    }
    let mut t = Table::new(&[
        "attribute",
        "external",
        "internal",
        "ei_index",
        "cross_share",
        "groups",
    ]);
    let mut columns = Vec::with_capacity(cols.len());
    for col in &cols {
        let Some(values) = input.attribute(&g, col) else {
            bail!("--group {col}: the nodes table has no column {col:?}");
        };
        columns.push((col.clone(), values));
    }
    for r in weaver_service::network::openness(&g, &columns)? {
        t.push(vec![
            Cell::from(r.attribute.as_str()),
            Cell::from(r.external),
            Cell::from(r.internal),
            Cell::from(r.ei_index),
            Cell::from(r.cross_share),
            Cell::from(r.groups),
        ]);
    }
    Ok(t)
}

/// Computes the mutual information of node attributes.
pub fn synergy_table(input: &NetworkInput, columns: Option<&[String]>) -> anyhow::Result<Table> {
    let cols: Vec<String> = match columns {
        Some(c) => c.to_vec(),
        None => vec!["actor_type".into(), "region".into(), "industry".into()],
    };
    if !(2..=4).contains(&cols.len()) {
        bail!("--columns: expected 2 to 4 columns, got {}", cols.len());
    }
    let mut data = Vec::new();
    for c in &cols {
        let Some((_, v)) = input.attributes.iter().find(|(n, _)| n == c) else {
            bail!("--columns: the nodes table has no column {c:?}");
        };
        data.push(v.as_slice());
    }
    let mi = net::mutual_information(&data)?;
    let mut t = Table::new(&["dimensions", "columns", "rows", "mutual_information_bits"]);
    t.push(vec![
        Cell::from(cols.len()),
        Cell::from(cols.join(";")),
        Cell::from(mi.rows),
        Cell::from(mi.value),
    ]);
    Ok(t)
}

/// Computes the suggestions table for an in-memory network.
pub fn recommend_table(input: &NetworkInput, args: &RecommendArgs) -> anyhow::Result<Table> {
    let Some(score) = net::LinkScore::ALL
        .iter()
        .copied()
        .find(|s| s.name() == args.score)
    else {
        bail!(
            "--score {}: expected one of common_neighbors, jaccard, adamic_adar, \
             resource_allocation, preferential_attachment",
            args.score
        );
    };
    let g = input.graph()?;
    let only = match &args.for_node {
        Some(id) => Some(
            g.find(id)
                .ok_or_else(|| anyhow::anyhow!("--for {id}: no such node in the input"))?,
        ),
        None => None,
    };
    let types = input.attribute(&g, &args.type_column);
    let fields = input.attribute(&g, &args.field_column);
    let attrs = net::RecommendAttributes {
        actor_type: types.as_deref(),
        field: fields.as_deref(),
    };
    let opts = net::RecommendOptions {
        score,
        per_node: args.top,
        only,
        communities: net::CommunityOptions {
            seed: args.seed,
            ..Default::default()
        },
        ..Default::default()
    };
    let sugg = net::recommend(&g, attrs, &opts)?;
    let mut t = Table::new(&[
        "source",
        "target",
        "score",
        "structural",
        "complementarity",
        "bridging",
        "common_neighbors",
        "reasons",
    ]);
    for s in sugg {
        t.push(vec![
            Cell::from(g.ids()[s.source].as_str()),
            Cell::from(g.ids()[s.target].as_str()),
            Cell::from(s.score),
            Cell::from(s.structural),
            Cell::from(s.complementarity),
            Cell::from(s.bridging),
            Cell::from(s.common_neighbors),
            Cell::from(s.reasons.join("; ")),
        ]);
    }
    Ok(t)
}

/// Runs the diffusion model on a graph and reports the steady state.
pub fn diffuse_table(g: &Graph, args: &DiffuseArgs) -> anyhow::Result<Table> {
    if args.model != "cowan-jonard" {
        bail!("--model {}: expected cowan-jonard or cascade", args.model);
    }
    let opts = net::CowanJonardOptions {
        categories: args.categories,
        alpha: args.alpha,
        threshold: args.threshold,
        seed: args.seed,
        ..Default::default()
    };
    let r = net::cowan_jonard(g, &opts)?;
    if !r.steady {
        eprintln!(
            "notice: no steady state after {} steps; the figures are those of the last step",
            r.steps
        );
    }
    let mut t = Table::new(&[
        "model",
        "agents",
        "edges",
        "rewire",
        "alpha",
        "categories",
        "seed",
        "steps",
        "trades",
        "steady",
        "mean",
        "variance",
        "cv",
    ]);
    t.push(vec![
        Cell::from(args.model.as_str()),
        Cell::from(g.node_count()),
        Cell::from(g.edge_count()),
        if args.ring.is_none() {
            Cell::Empty
        } else {
            Cell::from(args.rewire)
        },
        Cell::from(args.alpha),
        Cell::from(args.categories),
        Cell::Int(i64::try_from(args.seed).unwrap_or(i64::MAX)),
        Cell::Int(i64::try_from(r.steps).unwrap_or(i64::MAX)),
        Cell::Int(i64::try_from(r.trades).unwrap_or(i64::MAX)),
        Cell::from(r.steady),
        Cell::from(r.mean),
        Cell::from(r.variance),
        Cell::from(r.cv),
    ]);
    Ok(t)
}

/// Renders the graph with its node attributes and the chosen metrics.
pub fn export_string(input: &NetworkInput, args: &ExportArgs) -> anyhow::Result<String> {
    if args.format != "gexf" && args.format != "graphml" {
        bail!("--format {}: expected gexf or graphml", args.format);
    }
    let margs = MetricsArgs {
        graph: args.graph.clone(),
        metrics: Some(args.metrics.clone()),
        out: None,
        exact: false,
        sample_epsilon: None,
        sample_delta: 0.1,
        seed: 0,
        weighted_paths: false,
    };
    let table = metrics_table(input, &margs)?;
    let g = input.graph()?;
    let numbers: Vec<(String, Vec<f64>)> = table
        .columns
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, name)| {
            let col = table
                .rows
                .iter()
                .map(|r| match &r[k] {
                    Cell::Float(x) => *x,
                    Cell::Int(i) => *i as f64,
                    _ => f64::NAN,
                })
                .collect();
            (name.clone(), col)
        })
        .collect();
    let text: Vec<(String, Vec<Option<String>>)> = input
        .attributes
        .iter()
        .filter_map(|(name, _)| input.attribute(&g, name).map(|v| (name.clone(), v)))
        .collect();
    let doc = graph_document(&g, text, numbers);
    Ok(if args.format == "gexf" {
        weaver_io::graph::write_gexf(&doc)?
    } else {
        weaver_io::graph::write_graphml(&doc)?
    })
}

/// The graph as the exchange formats hold it: nodes in node order, every
/// edge once (every arc for a directed graph) in node order.
pub fn graph_document(
    g: &Graph,
    attributes: Vec<(String, Vec<Option<String>>)>,
    numbers: Vec<(String, Vec<f64>)>,
) -> weaver_io::graph::GraphDocument {
    let ids = g.ids();
    let mut edges = Vec::with_capacity(g.edge_count());
    for v in 0..g.node_count() {
        for (&u, &w) in g.out_neighbors(v).iter().zip(g.out_weights(v)) {
            if g.is_directed() || v < u {
                edges.push(weaver_io::graph::GraphEdge::new(
                    ids[v].clone(),
                    ids[u].clone(),
                    w,
                ));
            }
        }
    }
    weaver_io::graph::GraphDocument {
        directed: g.is_directed(),
        node_ids: ids.to_vec(),
        attributes,
        numbers,
        edges,
        weighted: g.is_weighted(),
    }
}

/// Compares two periods: a node table (status, metrics before and after,
/// deltas) and a tie table; prints counts on standard error.
pub fn compare_tables(
    before: &NetworkInput,
    after: &NetworkInput,
) -> anyhow::Result<(Table, Table)> {
    let (ga, gb) = (before.graph()?, after.graph()?);
    let c = weaver_service::network::compare(&ga, &gb, EXACT_BETWEENNESS_LIMIT)?;
    let n = &c.counts;
    eprintln!(
        "nodes: {} entrants, {} exits; ties: {} new, {} dropped, {} strengthened, {} weakened, {} unchanged",
        n.entrants, n.exits, n.new, n.dropped, n.strengthened, n.weakened, n.unchanged,
    );
    if !c.betweenness {
        eprintln!("notice: betweenness left out (more than {EXACT_BETWEENNESS_LIMIT} nodes)");
    }
    let names = ["degree", "strength", "pagerank", "betweenness"];
    let metrics = if c.betweenness { 4 } else { 3 };
    let mut header = vec!["node".to_owned(), "status".to_owned()];
    for name in names.iter().take(metrics) {
        for suffix in ["before", "after", "delta"] {
            header.push(format!("{name}_{suffix}"));
        }
    }
    let mut nodes = Table::new(&header);
    for node in &c.nodes {
        let mut row = vec![Cell::from(node.id.as_str()), Cell::from(node.status)];
        let changes = [
            Some(node.degree),
            Some(node.strength),
            Some(node.pagerank),
            node.betweenness,
        ];
        for m in changes.into_iter().flatten() {
            row.extend([
                Cell::Float(m.before),
                Cell::Float(m.after),
                Cell::Float(m.delta),
            ]);
        }
        nodes.push(row);
    }
    let mut ties = Table::new(&[
        "source",
        "target",
        "change",
        "weight_before",
        "weight_after",
    ]);
    for t in &c.ties {
        ties.push(vec![
            Cell::from(t.source.as_str()),
            Cell::from(t.target.as_str()),
            Cell::from(t.change),
            Cell::Float(t.weight_before),
            Cell::Float(t.weight_after),
        ]);
    }
    Ok((nodes, ties))
}

fn parse_score(name: &str) -> anyhow::Result<net::LinkScore> {
    net::LinkScore::ALL
        .iter()
        .copied()
        .find(|s| s.name() == name)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--score {name}: expected one of common_neighbors, jaccard, adamic_adar, \
                 resource_allocation, preferential_attachment"
            )
        })
}

/// Splits the ties by time and evaluates the score (AUC, precision@k).
pub fn evaluate_links_table(
    input: &NetworkInput,
    times: &[String],
    args: &EvaluateLinksArgs,
) -> anyhow::Result<Table> {
    let score = parse_score(&args.score)?;
    let mut train = NetworkInput {
        weighted: input.weighted,
        directed: false,
        ..Default::default()
    };
    let mut test = Vec::new();
    for (k, e) in input.edges.iter().enumerate() {
        let raw = &times[k];
        let t: f64 = raw.parse().map_err(|_| {
            anyhow::anyhow!(
                "{}, column {}: expected a number (year), found {raw:?}",
                input.edge_origin[k],
                args.time_column
            )
        })?;
        if t <= args.split {
            train.edges.push(e.clone());
            train.edge_origin.push(input.edge_origin[k].clone());
        } else {
            test.push(e);
        }
    }
    let g = train.graph()?;
    let index: std::collections::HashMap<&str, usize> = g
        .ids()
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let (mut probes, mut unseen, mut repeated) = (Vec::new(), 0usize, 0usize);
    for e in test {
        match (index.get(e.source.as_str()), index.get(e.target.as_str())) {
            (Some(&u), Some(&v)) if u != v => {
                if g.edge_weight(u, v).is_some() {
                    repeated += 1;
                } else {
                    probes.push((u, v));
                }
            }
            (Some(_), Some(_)) => {}
            _ => unseen += 1,
        }
    }
    eprintln!(
        "train: {} nodes, {} ties; test: {} new ties between train nodes, {} with a new node \
         (left out), {} repeating a train tie (left out)",
        g.node_count(),
        g.edge_count(),
        probes.len(),
        unseen,
        repeated
    );
    let opts = net::LinkEvalOptions {
        score,
        k: args.k,
        samples: args.samples,
        seed: args.seed,
    };
    let r = net::evaluate_links(&g, &probes, &opts)?;
    let mut t = Table::new(&[
        "score",
        "split",
        "probes",
        "auc",
        "comparisons",
        "exact",
        "k",
        "precision_at_k",
    ]);
    t.push(vec![
        Cell::from(score.name()),
        Cell::from(args.split),
        Cell::from(r.probes),
        Cell::from(r.auc),
        Cell::from(r.comparisons),
        Cell::from(r.exact),
        Cell::from(r.k),
        Cell::from(r.precision),
    ]);
    Ok(t)
}

/// Reads participations and projects them onto organizations.
pub fn project_table(args: &ProjectArgs) -> anyhow::Result<Table> {
    let weight = match args.weight.as_str() {
        "count" => net::ProjectionWeight::SharedCount,
        "newman" => net::ProjectionWeight::Newman,
        "value" => net::ProjectionWeight::ProjectValue,
        w => bail!("--weight {w}: expected count, newman or value"),
    };
    if weight == net::ProjectionWeight::ProjectValue && args.value_column.is_none() {
        bail!("--weight value needs --value-column");
    }
    let path = &args.participations;
    let file = path.display().to_string();
    let mut rdr = open_csv(path)?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{file}: cannot read the header row"))?
        .clone();
    let (Some(oi), Some(pi)) = (column(&headers, "org"), column(&headers, "project")) else {
        bail!("{file}: the header must have the columns `org` and `project`");
    };
    let vi = match &args.value_column {
        Some(c) => Some(
            column(&headers, c)
                .ok_or_else(|| anyhow::anyhow!("{file}: the header has no column `{c}`"))?,
        ),
        None => None,
    };
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{file}: malformed CSV"))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |k: usize, name: &str| -> anyhow::Result<String> {
            let v = rec.get(k).unwrap_or("").trim();
            if v.is_empty() {
                bail!("{file} row {line}, column {name}: expected an id, found an empty cell");
            }
            Ok(v.to_owned())
        };
        let value = match vi {
            Some(k) => {
                let raw = rec.get(k).unwrap_or("").trim();
                if raw.is_empty() {
                    None
                } else {
                    let x: f64 = raw
                        .parse()
                        .ok()
                        .filter(|x: &f64| x.is_finite())
                        .ok_or_else(|| {
                            anyhow::anyhow!(
                                "{file} row {line}, column {}: expected a number, found {raw:?}",
                                args.value_column.as_deref().unwrap_or("")
                            )
                        })?;
                    Some(x)
                }
            }
            None => None,
        };
        rows.push(net::Participation {
            org: get(oi, "org")?,
            project: get(pi, "project")?,
            value,
        });
    }
    let (orgs, edges) = net::project_participations(&rows, weight)?;
    let linked: std::collections::HashSet<&str> = edges
        .iter()
        .flat_map(|e| [e.source.as_str(), e.target.as_str()])
        .collect();
    let alone = orgs.iter().filter(|o| !linked.contains(o.as_str())).count();
    eprintln!(
        "{} organizations, {} ties; {alone} organization(s) share no project (not in the edge list)",
        orgs.len(),
        edges.len()
    );
    let mut t = Table::new(&["source", "target", "weight"]);
    for e in edges {
        t.push(vec![
            Cell::from(e.source),
            Cell::from(e.target),
            Cell::from(e.weight),
        ]);
    }
    Ok(t)
}

/// Independent-cascade spread of every node and, with `--what-if K`, the
/// spread after adding the K best recommended ties: the one diffusion of
/// [`weaver_service::diffusion::diffusion`] (recommendations with the
/// complementarity of the nodes' `actor_type` and `industry` (or `field`)
/// columns when the input has them, 5 per node, the best 100 at most), rendered as a
/// table in node order.
pub fn cascade_table(input: &NetworkInput, args: &DiffuseArgs) -> anyhow::Result<Table> {
    // The graph as the file reader builds it: its errors name the row, and
    // dropped self-loops are noticed.
    let g = input.graph()?;
    let graph = weaver_service::network::GraphInput {
        nodes: input.node_ids.clone(),
        edges: input.edges.clone(),
        weighted: input.weighted,
    };
    let attributes = weaver_service::diffusion::NodeAttributes {
        name: input.attribute(&g, "name"),
        actor_type: input.attribute(&g, "actor_type"),
        field: input
            .attribute(&g, "industry")
            .or_else(|| input.attribute(&g, "field")),
    };
    let params = weaver_service::diffusion::DiffusionParams {
        cascade: net::CascadeOptions {
            probability: args.probability,
            weighted: args.weighted_cascade,
            runs: args.runs,
            seed: args.seed,
        },
        what_if: args.what_if.unwrap_or(0),
        max_work: None,
    };
    let d = weaver_service::diffusion::diffusion(&graph, &attributes, &params)?;
    let mean_before = d.mean_expected_spread;
    let mut header = vec!["node", "expected_spread", "rank"];
    if let Some(w) = &d.what_if {
        eprintln!(
            "what-if: {} recommended ties added; mean expected spread {} -> {}",
            w.ties_added.len(),
            crate::output::format_f64(mean_before),
            crate::output::format_f64(w.mean_expected_spread_after)
        );
        header.push("expected_spread_after");
    }
    eprintln!(
        "independent cascade: p = {}, {} runs, seed {}; mean expected spread {}",
        args.probability,
        args.runs,
        args.seed,
        crate::output::format_f64(mean_before)
    );
    let mut nodes = d.nodes;
    nodes.sort_by_key(|n| n.index);
    let mut t = Table::new(&header);
    for n in nodes {
        let mut row = vec![
            Cell::from(n.id.as_str()),
            Cell::from(n.expected_spread),
            Cell::from(n.rank),
        ];
        if let Some(a) = n.expected_spread_after {
            row.push(Cell::from(a));
        }
        t.push(row);
    }
    Ok(t)
}
