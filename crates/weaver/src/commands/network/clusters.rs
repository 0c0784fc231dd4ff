//! `weaver network clusters` (the network of clusters) and `weaver network
//! multi` (the network of several clusters' members) on the register,
//! answered by [`weaver_service::networks`] as the API's
//! `GET /networks/clusters` and `GET /networks?clusters=` answer them. With
//! `--json` the answer is printed whole (as the API gives it, without the
//! cache's fields).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use weaver_service::networks::{ClusterGraph, MultiClusterNetwork};

use super::args::OutArgs;
use super::openness::emit_json;
use crate::commands::Ctx;
use crate::commands::from_register::period_of;
use crate::commands::register::{block_on, open};
use crate::output::{Cell, Table};

/// Arguments of `weaver network clusters`.
#[derive(Debug, Clone, Args)]
pub struct ClustersArgs {
    /// Only memberships and ties valid in this period (`2024`, `2024-Q3`,
    /// `2024-07`; default: all time).
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Also write the clusters (`id,name,members,internal_ties,degree,
    /// external_ties`) to this file.
    #[arg(long, value_name = "C.csv")]
    pub clusters_out: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Arguments of `weaver network multi`.
#[derive(Debug, Clone, Args)]
pub struct MultiArgs {
    /// The clusters' ids, separated by commas (at most 50).
    #[arg(long, value_name = "A,B")]
    pub clusters: String,
    /// Only memberships and ties valid in this period (`2024`, `2024-Q3`,
    /// `2024-07`; default: all time).
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    #[command(flatten)]
    pub output: OutArgs,
}

/// `weaver network clusters`: one row per linked pair of clusters
/// (`source,target,ties,shared_members`); `--clusters-out` the clusters.
pub(super) fn run_clusters(a: &ClustersArgs, ctx: &Ctx) -> anyhow::Result<()> {
    period_of("--period", a.period.as_deref())?;
    let g: ClusterGraph = block_on(async {
        let store = open(ctx.db).await?;
        let g = weaver_service::networks::cluster_graph(
            &store,
            &weaver_service::admin(),
            a.period.as_deref(),
        )
        .await;
        store.close().await;
        g.context("cannot read the network of clusters from the register")
    })?;
    let shared = g.links.iter().filter(|l| l.shared_members > 0).count();
    eprintln!(
        "{} clusters, {} links ({} with shared members)",
        g.clusters.len(),
        g.links.len(),
        shared
    );
    if let Some(path) = &a.clusters_out {
        let mut t = Table::new(&[
            "id",
            "name",
            "members",
            "internal_ties",
            "degree",
            "external_ties",
        ]);
        for c in &g.clusters {
            t.push(vec![
                Cell::from(c.id.as_str()),
                Cell::from(c.name.as_str()),
                Cell::from(c.members),
                Cell::from(c.internal_ties),
                Cell::from(c.degree),
                Cell::from(c.external_ties),
            ]);
        }
        t.emit(Some(path), ctx.json)?;
    }
    if ctx.json {
        return emit_json(&serde_json::to_value(&g)?, a.output.path());
    }
    let mut t = Table::new(&["source", "target", "ties", "shared_members"]);
    for l in &g.links {
        t.push(vec![
            Cell::from(l.source.as_str()),
            Cell::from(l.target.as_str()),
            Cell::from(l.ties),
            Cell::from(l.shared_members),
        ]);
    }
    t.emit(a.output.path(), false)
}

/// `weaver network multi`: one row per member with its clusters and
/// metrics; the summary and communities on standard error.
pub(super) fn run_multi(a: &MultiArgs, ctx: &Ctx) -> anyhow::Result<()> {
    period_of("--period", a.period.as_deref())?;
    let n: MultiClusterNetwork = block_on(async {
        let store = open(ctx.db).await?;
        let n = weaver_service::networks::multi_cluster(
            &store,
            &weaver_service::admin(),
            &a.clusters,
            a.period.as_deref(),
        )
        .await;
        store.close().await;
        n.map_err(|e| anyhow::anyhow!("--clusters {}: {e}", a.clusters))
    })?;
    let s = &n.analysis.summary;
    eprintln!(
        "{} members of {} clusters, {} ties; {} components; {} communities (modularity {})",
        s.nodes,
        n.clusters.len(),
        s.edges,
        s.components,
        n.analysis.communities.sizes.len(),
        crate::output::format_f64(n.analysis.communities.modularity)
    );
    if ctx.json {
        return emit_json(&serde_json::to_value(&n)?, a.output.path());
    }
    let mut t = Table::new(&[
        "node",
        "clusters",
        "actor_type",
        "degree",
        "strength",
        "pagerank",
        "clustering",
        "core_number",
        "component",
        "community",
    ]);
    for (m, x) in n.memberships.iter().zip(&n.analysis.nodes) {
        t.push(vec![
            Cell::from(x.id.as_str()),
            Cell::from(m.clusters.join(";")),
            Cell::from(x.actor_type.as_str()),
            Cell::from(x.degree),
            Cell::from(x.strength),
            Cell::from(x.pagerank),
            Cell::from(x.clustering),
            Cell::from(x.core_number),
            Cell::from(x.component),
            Cell::from(x.community),
        ]);
    }
    t.emit(a.output.path(), false)
}
