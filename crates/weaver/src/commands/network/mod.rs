//! `weaver network …`: network analytics on edge-list files or on the
//! networks of the register.
//!
//! | file | concern |
//! |---|---|
//! | `args.rs` | the arguments: where the network comes from ([`GraphArgs`], [`RegisterArgs`]), where the table goes ([`OutArgs`]), each subcommand's options, option values as enums |
//! | `input.rs` | reading edge lists, nodes tables, GEXF/GraphML or the register into a [`NetworkInput`] |
//! | `metrics.rs` | node metrics and the graph's summary |
//! | `groups.rs` | communities, brokerage roles, openness of files |
//! | `openness.rs` | the openness of a cluster of the register with the ties beyond it (through `weaver-service`) |
//! | `synergy.rs` | the synergy of node attributes, of a nodes table or of a cluster's members (through `weaver-service`) |
//! | `links.rs` | suggested ties, link prediction, projection of participations |
//! | `diffuse.rs` | Cowan–Jonard diffusion and the independent cascade with its what-if |
//! | `compare.rs` | two periods compared |
//! | `clusters.rs` | the network of clusters and the network of several clusters' members (through `weaver-service`) |
//! | `export.rs` | GEXF and GraphML |
//! | `output.rs` | writing one table, or every cluster's together |
//!
//! Files are read into a [`NetworkInput`] (plain values); everything after
//! that ([`metrics_table`], [`summary_table`], …) works on the in-memory
//! input, so the register can feed the same path. Register questions that
//! the API also answers go through `weaver-service` as the local admin.

mod args;
mod clusters;
mod compare;
mod diffuse;
mod export;
mod groups;
mod input;
mod links;
mod metrics;
mod openness;
mod output;
mod synergy;

use anyhow::{Context, bail};
use clap::Subcommand;
use weaver_network as net;

use super::Ctx;

pub use args::{
    BrokerageArgs, CommunitiesArgs, CommunityMethod, CompareArgs, DiffuseArgs, EvaluateLinksArgs,
    ExportArgs, GraphArgs, GraphFormat, Metric, MetricsArgs, Model, OneOf, OpennessArgs, OutArgs,
    ProjectArgs, Quality, RecommendArgs, RegisterArgs, Score, SummaryArgs, SynergyArgs, Weight,
    name_of, one_of,
};
pub use clusters::{ClustersArgs, MultiArgs};
pub use compare::compare_tables;
pub use diffuse::{cascade_table, diffuse_table};
pub use export::{export_string, graph_document};
pub use groups::{brokerage_table, communities_table, openness_table};
pub use input::{
    NetworkInput, NodesTable, load, read_edges, read_edges_with, read_nodes, read_xml_graph,
};
pub use links::{evaluate_links_table, project_table, recommend_table};
pub use metrics::{EXACT_BETWEENNESS_LIMIT, METRIC_COLUMNS, metrics_table, summary_table};
pub use output::{by_cluster, emit_by_cluster, for_each_network};
pub use synergy::{synergy_rows, synergy_table};

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
    /// Openness: E-I index and shares of cross-group ties per attribute; of
    /// a cluster of the register, with its members' ties to organizations
    /// outside it.
    #[command(
        after_help = "Examples:\n  weaver network openness --edges ties.csv --nodes orgs.csv --group actor_type,region\n  weaver network openness --cluster demo-cn-chengdu-software --period 2024\n  weaver network openness --cluster demo-cn-chengdu-software --period 2024 --partners --group region,cluster\n  weaver network openness --all-clusters --period 2024 --group cluster"
    )]
    Openness(OpennessArgs),
    /// Triple-helix synergy: mutual information among 2–4 node attributes,
    /// of a nodes table or of a cluster's members in the register.
    #[command(
        after_help = "Examples:\n  weaver network synergy --nodes orgs.csv --columns actor_type,region,industry\n  weaver network synergy --cluster demo-cn-shenzhen-ict --period 2024\n  weaver network synergy --all-clusters --period 2024 --columns actor_type,industry"
    )]
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
    /// The network of clusters in the register: clusters linked by the ties
    /// between their members and by shared members; one row per linked pair.
    #[command(
        after_help = "Examples:\n  weaver network clusters --period 2024\n  weaver network clusters --period 2024 --clusters-out clusters.csv --out links.csv\n  weaver --json network clusters --period 2024"
    )]
    Clusters(ClustersArgs),
    /// The network of several clusters' members in the register, with the
    /// ties among and between them: one row per member with its clusters,
    /// metrics and Leiden community.
    #[command(
        after_help = "Examples:\n  weaver network multi --clusters demo-cn-chengdu-software,demo-cn-shenzhen-ict --period 2024\n  weaver --json network multi --clusters A,B,C"
    )]
    Multi(MultiArgs),
    /// Measure a link-prediction score on a time split: AUC and precision@k.
    EvaluateLinks(EvaluateLinksArgs),
    /// Project organization–project participations onto organizations: an
    /// edge list `source,target,weight` for the other commands.
    Project(ProjectArgs),
}

/// Runs a `weaver network` subcommand.
pub fn run(cmd: &NetworkCommand, ctx: &Ctx) -> anyhow::Result<()> {
    let json = ctx.json;
    match cmd {
        NetworkCommand::Metrics(a) => {
            for_each_network(&a.graph, ctx, a.output.path(), |i| metrics_table(i, a))
        }
        NetworkCommand::Summary(a) => for_each_network(&a.graph, ctx, a.output.path(), |i| {
            summary_table(i, a.attribute.as_deref())
        }),
        NetworkCommand::Communities(a) => {
            for_each_network(&a.graph, ctx, a.output.path(), |i| communities_table(i, a))
        }
        NetworkCommand::Brokerage(a) => for_each_network(&a.graph, ctx, a.output.path(), |i| {
            brokerage_table(i, &a.group)
        }),
        NetworkCommand::Openness(a)
            if a.graph.register.cluster.is_some() || a.graph.register.all_clusters =>
        {
            openness::run(a, ctx)
        }
        NetworkCommand::Openness(a) => for_each_network(&a.graph, ctx, a.output.path(), |i| {
            openness_table(i, a.group.as_deref())
        }),
        NetworkCommand::Synergy(a) => synergy::run(a, ctx),
        NetworkCommand::Recommend(a) => {
            for_each_network(&a.graph, ctx, a.output.path(), |i| recommend_table(i, a))
        }
        NetworkCommand::Compare(a) => compare::run(a, ctx),
        NetworkCommand::Clusters(a) => clusters::run_clusters(a, ctx),
        NetworkCommand::Multi(a) => clusters::run_multi(a, ctx),
        NetworkCommand::EvaluateLinks(a) => {
            let (input, times) = read_edges_with(&a.edges, Some(&a.time_column))?;
            let t = evaluate_links_table(&input, &times, a)?;
            t.emit(a.output.path(), json)
        }
        NetworkCommand::Project(a) => {
            let t = project_table(a)?;
            t.emit(a.out.as_deref(), json)
        }
        NetworkCommand::Export(a) => {
            if a.graph.register.all_clusters {
                bail!(
                    "export writes one graph per file: use --cluster ID (once per cluster) \
                     instead of --all-clusters"
                );
            }
            let input = load(&a.graph, ctx.db)?;
            let xml = export_string(&input, a)?;
            std::fs::write(&a.out, xml)
                .with_context(|| format!("cannot write {}", a.out.display()))?;
            Ok(())
        }
        NetworkCommand::Diffuse(a) if a.model == Model::Cascade => {
            let Some(input) = diffuse::network(a, ctx)? else {
                bail!(
                    "--model cascade needs --edges E.csv or --cluster ID: it runs on a given network, not a ring"
                );
            };
            let t = cascade_table(&input, a)?;
            t.emit(a.output.path(), json)
        }
        NetworkCommand::Diffuse(a) => {
            let g = match diffuse::network(a, ctx)? {
                Some(input) => input.graph()?,
                None => net::watts_strogatz(a.ring.unwrap_or(0), a.neighbours, a.rewire, a.seed)?,
            };
            let t = diffuse_table(&g, a)?;
            t.emit(a.output.path(), json)
        }
    }
}
