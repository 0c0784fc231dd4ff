//! Change over time: entrants and exits, new, dropped, strengthened and
//! weakened ties between two periods.

use std::collections::HashMap;

use crate::Graph;

/// How a tie changed from the first period to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TieChange {
    /// Present only in the second period.
    New,
    /// Present only in the first period.
    Dropped,
    /// Present in both with a larger weight in the second.
    Strengthened,
    /// Present in both with a smaller weight in the second.
    Weakened,
    /// Present in both with the same weight.
    Unchanged,
}

impl TieChange {
    /// Lower-case name for output.
    pub fn name(self) -> &'static str {
        match self {
            TieChange::New => "new",
            TieChange::Dropped => "dropped",
            TieChange::Strengthened => "strengthened",
            TieChange::Weakened => "weakened",
            TieChange::Unchanged => "unchanged",
        }
    }
}

/// One tie of either period.
#[derive(Debug, Clone, PartialEq)]
pub struct TieDiff {
    /// Source id (for an undirected tie, the end that comes first in the
    /// union node order).
    pub source: String,
    /// Target id.
    pub target: String,
    /// The change.
    pub change: TieChange,
    /// Weight in the first period (`NaN` when absent).
    pub before: f64,
    /// Weight in the second period (`NaN` when absent).
    pub after: f64,
}

/// Presence of a node in the two periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStatus {
    /// Only in the second period.
    Entrant,
    /// Only in the first period.
    Exit,
    /// In both.
    Stayed,
}

impl NodeStatus {
    /// Lower-case name for output.
    pub fn name(self) -> &'static str {
        match self {
            NodeStatus::Entrant => "entrant",
            NodeStatus::Exit => "exit",
            NodeStatus::Stayed => "stayed",
        }
    }
}

/// The comparison of two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Union of the node ids: first-period order, then the entrants in
    /// second-period order.
    pub nodes: Vec<String>,
    /// Status of each node of `nodes`.
    pub status: Vec<NodeStatus>,
    /// Index in the first graph of each node of `nodes`, if present.
    pub before_index: Vec<Option<usize>>,
    /// Index in the second graph of each node of `nodes`, if present.
    pub after_index: Vec<Option<usize>>,
    /// Every tie of either period, in union node order.
    pub ties: Vec<TieDiff>,
}

impl Comparison {
    /// Number of ties with this change.
    pub fn count(&self, change: TieChange) -> usize {
        self.ties.iter().filter(|t| t.change == change).count()
    }
}

/// Compares two periods of a network given as two graphs over string ids
/// (both directed or both undirected). Results of each period are kept
/// apart: this function only reads them.
///
/// # Example
/// ```
/// use weaver_network::{compare_periods, TieChange, EdgeRecord, Graph, GraphOptions};
/// let o = GraphOptions { directed: false, weighted: true };
/// let (a, _) = Graph::from_edges(&[], &[EdgeRecord::new("x", "y", 1.0),
///     EdgeRecord::new("y", "z", 2.0)], o).unwrap();
/// let (b, _) = Graph::from_edges(&[], &[EdgeRecord::new("y", "x", 3.0),
///     EdgeRecord::new("y", "w", 1.0)], o).unwrap();
/// let c = compare_periods(&a, &b);
/// assert_eq!(c.nodes, vec!["x", "y", "z", "w"]);
/// assert_eq!(c.count(TieChange::Strengthened), 1);
/// assert_eq!(c.count(TieChange::Dropped), 1);
/// assert_eq!(c.count(TieChange::New), 1);
/// ```
pub fn compare_periods(before: &Graph, after: &Graph) -> Comparison {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut nodes: Vec<String> = Vec::new();
    let mut before_index = Vec::new();
    let mut after_index = Vec::new();
    for (i, id) in before.ids().iter().enumerate() {
        index.insert(id, nodes.len());
        nodes.push(id.clone());
        before_index.push(Some(i));
        after_index.push(None);
    }
    for (i, id) in after.ids().iter().enumerate() {
        match index.get(id.as_str()) {
            Some(&k) => after_index[k] = Some(i),
            None => {
                index.insert(id, nodes.len());
                nodes.push(id.clone());
                before_index.push(None);
                after_index.push(Some(i));
            }
        }
    }
    let status = before_index
        .iter()
        .zip(&after_index)
        .map(|(b, a)| match (b, a) {
            (Some(_), Some(_)) => NodeStatus::Stayed,
            (Some(_), None) => NodeStatus::Exit,
            _ => NodeStatus::Entrant,
        })
        .collect();
    // Weights keyed by union indices.
    let directed = before.is_directed() || after.is_directed();
    let key = |u: usize, v: usize| {
        if directed || u < v { (u, v) } else { (v, u) }
    };
    let mut weights: HashMap<(usize, usize), (f64, f64)> = HashMap::new();
    for (g, first) in [(before, true), (after, false)] {
        let map: Vec<usize> = g.ids().iter().map(|id| index[id.as_str()]).collect();
        for v in 0..g.node_count() {
            for (&u, &w) in g.out_neighbors(v).iter().zip(g.out_weights(v)) {
                if !g.is_directed() && u < v {
                    continue;
                }
                let e = weights
                    .entry(key(map[v], map[u]))
                    .or_insert((f64::NAN, f64::NAN));
                if first {
                    e.0 = w;
                } else {
                    e.1 = w;
                }
            }
        }
    }
    let mut keys: Vec<(usize, usize)> = weights.keys().copied().collect();
    keys.sort_unstable();
    let ties = keys
        .into_iter()
        .map(|(u, v)| {
            let (b, a) = weights[&(u, v)];
            let change = match (b.is_nan(), a.is_nan()) {
                (true, _) => TieChange::New,
                (_, true) => TieChange::Dropped,
                _ if a > b => TieChange::Strengthened,
                _ if a < b => TieChange::Weakened,
                _ => TieChange::Unchanged,
            };
            TieDiff {
                source: nodes[u].clone(),
                target: nodes[v].clone(),
                change,
                before: b,
                after: a,
            }
        })
        .collect();
    Comparison {
        nodes,
        status,
        before_index,
        after_index,
        ties,
    }
}
