//! The graph with its attributes and metrics as GEXF or GraphML.

use weaver_network::Graph;

use super::args::{ExportArgs, GraphFormat, MetricsArgs, OutArgs};
use super::input::NetworkInput;
use super::metrics::metrics_table;
use crate::output::Cell;

/// Renders the graph with its node attributes and the chosen metrics.
pub fn export_string(input: &NetworkInput, args: &ExportArgs) -> anyhow::Result<String> {
    let margs = MetricsArgs {
        graph: args.graph.clone(),
        metrics: Some(args.metrics.clone()),
        output: OutArgs::default(),
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
    Ok(match args.format {
        GraphFormat::Gexf => weaver_io::graph::write_gexf(&doc)?,
        GraphFormat::Graphml => weaver_io::graph::write_graphml(&doc)?,
    })
}

/// The graph as the exchange formats hold it: nodes in node order, every
/// edge once (every arc for a directed graph) in node order.
pub fn graph_document(
    g: &Graph,
    attributes: Vec<(String, Vec<Option<String>>)>,
    numbers: Vec<(String, Vec<f64>)>,
) -> weaver_io::graph::GraphDocument {
    let edges = weaver_service::network::file_edges(g)
        .into_iter()
        .map(|(s, t, w)| weaver_io::graph::GraphEdge::new(s, t, w))
        .collect();
    weaver_io::graph::GraphDocument {
        directed: g.is_directed(),
        node_ids: g.ids().to_vec(),
        attributes,
        numbers,
        edges,
        weighted: g.is_weighted(),
    }
}
