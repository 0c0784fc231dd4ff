//! Diffusion: knowledge barter (Cowan–Jonard) and the independent cascade
//! with its what-if.

use weaver_network as net;
use weaver_network::Graph;

use super::args::{DiffuseArgs, Model, name_of};
use super::input::{NetworkInput, read_edges};
use crate::commands::Ctx;
use crate::output::{Cell, Table};

/// The agents' network of `diffuse` when one is given (`--edges` or
/// `--cluster`); `None` for a ring lattice.
pub(super) fn network(a: &DiffuseArgs, ctx: &Ctx) -> anyhow::Result<Option<NetworkInput>> {
    Ok(match (&a.edges, &a.cluster) {
        (Some(path), _) => Some(read_edges(path)?),
        (None, Some(cluster)) => Some(crate::commands::from_register::network_input(
            ctx.db,
            cluster,
            a.period.as_deref(),
            false,
        )?),
        (None, None) => None,
    })
}

/// Runs the diffusion model on a graph and reports the steady state.
pub fn diffuse_table(g: &Graph, args: &DiffuseArgs) -> anyhow::Result<Table> {
    if args.model != Model::CowanJonard {
        anyhow::bail!(
            "--model {}: the barter model's table is of cowan-jonard",
            name_of(&args.model)
        );
    }
    let params = weaver_service::diffusion::BarterParams {
        categories: args.categories,
        alpha: args.alpha,
        threshold: args.threshold,
        seed: args.seed,
    };
    let r = weaver_service::diffusion::barter(g, &params, None)?;
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
        Cell::from(name_of(&args.model)),
        Cell::from(r.agents),
        Cell::from(r.edges),
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
        ..Default::default()
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
