//! Two periods of a network compared: two edge lists, or a cluster's (or
//! every cluster's) network in the register.

use anyhow::{Context, bail};

use super::args::CompareArgs;
use super::input::{NetworkInput, read_edges};
use super::metrics::EXACT_BETWEENNESS_LIMIT;
use super::output::emit_by_cluster;
use crate::commands::Ctx;
use crate::output::{Cell, Table};

/// `weaver network compare`: two edge lists, one cluster of the register at
/// two periods, or every cluster (tables stacked as [`super::by_cluster`] does).
pub(super) fn run(a: &CompareArgs, ctx: &Ctx) -> anyhow::Result<()> {
    use crate::commands::from_register::{all_network_inputs, network_input, period_of};
    let (db, json) = (ctx.db, ctx.json);
    let (p1, p2) = (a.period_before.as_deref(), a.period_after.as_deref());
    if a.cluster.is_some() || a.all_clusters {
        period_of("--period-before", p1)?;
        period_of("--period-after", p2)?;
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
