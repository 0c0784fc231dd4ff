//! Reading a network: edge lists, nodes tables, GEXF and GraphML files, or
//! a cluster's network in the register, into a [`NetworkInput`] (plain
//! values) that every analysis works on.

use std::path::Path;

use anyhow::{Context, bail};
use weaver_network::{EdgeRecord, Graph, GraphOptions, NetworkError};

use super::args::GraphArgs;
use weaver_io::csv_table::{CsvError, CsvTable};

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
    /// Whether each edge row is a directed tie of the register (aligned
    /// with `edges`; empty for files): without `directed`, the analyses
    /// with a directed form read these as arcs ([`NetworkInput::form_graph`]).
    pub arcs: Vec<bool>,
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

    /// The graph of the analyses with a directed form (brokerage roles,
    /// PageRank): with `--directed` or without directed ties of the
    /// register, [`NetworkInput::graph`]; otherwise the register's rule
    /// ([`weaver_service::network::GraphInput::arc_graph`]: each directed tie
    /// an arc, each undirected tie an arc each way), as the API reads it.
    pub fn form_graph(&self) -> anyhow::Result<Graph> {
        if self.directed || !self.arcs.iter().any(|a| *a) {
            return self.graph();
        }
        let input = weaver_service::network::GraphInput {
            nodes: self.node_ids.clone(),
            edges: self.edges.clone(),
            weighted: self.weighted,
            directed: self.arcs.clone(),
        };
        match input.arc_graph().map_err(|e| self.explain(e))? {
            Some(g) => Ok(g),
            None => self.graph(),
        }
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
        arcs: Vec::new(),
    }))
}

/// Reads the files named by `args`. An edge list ending in `.gexf` or
/// `.graphml` is read as that format (with its node attributes; `--nodes`
/// then adds to them).
pub fn load(args: &GraphArgs, db: &str) -> anyhow::Result<NetworkInput> {
    if let Some(cluster) = &args.register.cluster {
        return crate::commands::from_register::network_input(
            db,
            cluster,
            args.register.period.as_deref(),
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

pub(super) fn column(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name)
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
    let mut table = CsvTable::open(path)?;
    let file = path.display().to_string();
    let headers = table.raw_header().to_vec();
    let need = |name: &str| {
        column(&headers, name).ok_or_else(|| CsvError::missing_column(&file, name, &headers))
    };
    let (si, ti) = (need("source")?, need("target")?);
    let wi = column(&headers, "weight");
    let xi = match extra {
        Some(name) => match column(&headers, name) {
            Some(k) => Some(k),
            None => return Err(CsvError::missing_column(&file, name, &headers).into()),
        },
        None => None,
    };
    let mut extra_values = Vec::new();
    let mut input = NetworkInput {
        weighted: wi.is_some(),
        ..Default::default()
    };
    table.rows(|line, rec| -> anyhow::Result<()> {
        let get = |k: usize, name: &str| -> anyhow::Result<String> {
            let v = rec.get(k).unwrap_or("").trim();
            if v.is_empty() {
                return Err(CsvError::cell(
                    &file,
                    line,
                    name,
                    "expected a node id, found an empty cell",
                )
                .into());
            }
            Ok(v.to_owned())
        };
        let source = get(si, "source")?;
        let target = get(ti, "target")?;
        let weight = match wi {
            Some(k) => {
                let raw = rec.get(k).unwrap_or("").trim();
                let bad = || {
                    CsvError::cell(
                        &file,
                        line,
                        "weight",
                        format!("expected a number > 0, found {raw:?}"),
                    )
                };
                let w: f64 = raw.parse().map_err(|_| bad())?;
                if !(w.is_finite() && w > 0.0) {
                    return Err(bad().into());
                }
                w
            }
            None => 1.0,
        };
        input.edges.push(EdgeRecord::new(source, target, weight));
        input.edge_origin.push(format!("{file}: line {line}"));
        if let Some(k) = xi {
            extra_values.push(rec.get(k).unwrap_or("").trim().to_owned());
        }
        Ok(())
    })?;
    Ok((input, extra_values))
}

/// A nodes table: ids and attribute columns.
pub type NodesTable = (Vec<String>, Vec<(String, Vec<Option<String>>)>);

/// Reads a nodes table `id,attr1,attr2,…`.
pub fn read_nodes(path: &Path) -> anyhow::Result<NodesTable> {
    let mut table = CsvTable::open(path)?;
    let file = path.display().to_string();
    let headers = table.raw_header().to_vec();
    let idi =
        column(&headers, "id").ok_or_else(|| CsvError::missing_column(&file, "id", &headers))?;
    let attr_cols: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != idi)
        .map(|(k, h)| (k, h.clone()))
        .collect();
    let mut ids = Vec::new();
    let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); attr_cols.len()];
    let mut seen = std::collections::HashMap::new();
    table.rows(|line, rec| -> anyhow::Result<()> {
        let id = rec.get(idi).unwrap_or("").trim().to_owned();
        if id.is_empty() {
            return Err(CsvError::cell(
                &file,
                line,
                "id",
                "expected a node id, found an empty cell",
            )
            .into());
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(CsvError::cell(
                &file,
                line,
                "id",
                format!("{id:?} is already listed on line {first}"),
            )
            .into());
        }
        ids.push(id);
        for (slot, (k, _)) in values.iter_mut().zip(&attr_cols) {
            let v = rec.get(*k).unwrap_or("").trim();
            slot.push((!v.is_empty()).then(|| v.to_owned()));
        }
        Ok(())
    })?;
    let attributes = attr_cols.into_iter().map(|(_, h)| h).zip(values).collect();
    Ok((ids, attributes))
}
