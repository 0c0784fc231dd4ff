//! The compact graph (compressed sparse rows) and how it is built from an edge
//! list, a nodes table and project co-participation.

use std::collections::HashMap;

use crate::NetworkError;

/// One row of an edge list: `source,target[,weight]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRecord {
    /// Id of the source node, exactly as given.
    pub source: String,
    /// Id of the target node.
    pub target: String,
    /// Weight of the row (1.0 when the input has no weight column).
    pub weight: f64,
}

impl EdgeRecord {
    /// An edge row.
    pub fn new(source: impl Into<String>, target: impl Into<String>, weight: f64) -> Self {
        EdgeRecord {
            source: source.into(),
            target: target.into(),
            weight,
        }
    }
}

/// How to read an edge list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GraphOptions {
    /// Arcs `source -> target` when true; undirected edges otherwise.
    pub directed: bool,
    /// Whether the weights are meaningful (the input had a weight column). An
    /// unweighted graph gives every merged edge weight 1, whatever the rows
    /// said; a weighted graph sums the weights of rows for the same pair.
    pub weighted: bool,
}

/// What building the graph did to the rows, for notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildReport {
    /// Rows whose source equals the target, dropped.
    pub self_loops: usize,
    /// Rows merged into an earlier row for the same pair.
    pub merged: usize,
}

/// A simple graph in compressed sparse row form: nodes `0..n` in order of first
/// appearance, for each node its out-neighbours sorted by index with their
/// weights (and, for a directed graph, its in-neighbours likewise). An
/// undirected edge appears in the rows of both ends. No self-loops, no
/// parallel edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    ids: Vec<String>,
    directed: bool,
    weighted: bool,
    edges: usize,
    out_off: Vec<usize>,
    out_nbr: Vec<usize>,
    out_w: Vec<f64>,
    in_off: Vec<usize>,
    in_nbr: Vec<usize>,
    in_w: Vec<f64>,
}

fn check_id(id: &str, what: &'static str, index: usize) -> Result<(), NetworkError> {
    if id.is_empty() {
        Err(NetworkError::EmptyId { what, index })
    } else {
        Ok(())
    }
}

impl Graph {
    /// Builds a graph from a list of node ids (the nodes table, possibly empty)
    /// and an edge list.
    ///
    /// Node order is the order of first appearance: the listed nodes first,
    /// then the ids of the edge list as they appear (source before target).
    /// Rows for the same pair (for an undirected graph, in either direction)
    /// are merged, their weights summed when `options.weighted`; rows whose
    /// source equals their target are dropped and counted in the report.
    ///
    /// # Errors
    /// [`NetworkError::EmptyId`] for an empty id, [`NetworkError::DuplicateNode`]
    /// when `nodes` repeats an id, [`NetworkError::BadWeight`] when a weight of
    /// a weighted graph is not finite and positive.
    ///
    /// # Example
    /// ```
    /// use weaver_network::{EdgeRecord, Graph, GraphOptions};
    /// let edges = vec![
    ///     EdgeRecord::new("a", "b", 1.0),
    ///     EdgeRecord::new("b", "a", 2.0),
    ///     EdgeRecord::new("b", "c", 1.0),
    ///     EdgeRecord::new("c", "c", 1.0),
    /// ];
    /// let opts = GraphOptions { directed: false, weighted: true };
    /// let (g, report) = Graph::from_edges(&[], &edges, opts).unwrap();
    /// assert_eq!(g.node_count(), 3);
    /// assert_eq!(g.edge_count(), 2);
    /// assert_eq!(g.edge_weight(0, 1), Some(3.0));
    /// assert_eq!((report.self_loops, report.merged), (1, 1));
    /// ```
    pub fn from_edges<'a>(
        nodes: &'a [String],
        edges: &'a [EdgeRecord],
        options: GraphOptions,
    ) -> Result<(Graph, BuildReport), NetworkError> {
        let mut index: HashMap<&'a str, usize> = HashMap::with_capacity(nodes.len() + edges.len());
        let mut ids: Vec<String> = Vec::with_capacity(nodes.len());
        for (i, id) in nodes.iter().enumerate() {
            check_id(id, "node", i)?;
            if let Some(&first) = index.get(id.as_str()) {
                return Err(NetworkError::DuplicateNode {
                    id: id.clone(),
                    index: i,
                    first,
                });
            }
            index.insert(id, ids.len());
            ids.push(id.clone());
        }
        let mut report = BuildReport::default();
        let mut pairs: Vec<(usize, usize, f64, usize)> = Vec::with_capacity(edges.len());
        for (i, e) in edges.iter().enumerate() {
            check_id(&e.source, "edge source", i)?;
            check_id(&e.target, "edge target", i)?;
            if options.weighted && !(e.weight.is_finite() && e.weight > 0.0) {
                return Err(NetworkError::BadWeight {
                    index: i,
                    source_id: e.source.clone(),
                    target: e.target.clone(),
                    weight: e.weight,
                });
            }
            let u = intern(&mut index, &mut ids, &e.source);
            let v = intern(&mut index, &mut ids, &e.target);
            if u == v {
                report.self_loops += 1;
                continue;
            }
            let w = if options.weighted { e.weight } else { 1.0 };
            let (a, b) = if options.directed || u < v {
                (u, v)
            } else {
                (v, u)
            };
            pairs.push((a, b, w, i));
        }
        if ids.len() > u32::MAX as usize {
            return Err(NetworkError::TooManyNodes {
                count: ids.len(),
                max: u32::MAX as usize,
            });
        }
        // Merge rows of the same pair; the stable sort keeps input order so
        // the sum is taken in row order.
        pairs.sort_by_key(|&(a, b, _, i)| (a, b, i));
        let mut merged: Vec<(usize, usize, f64)> = Vec::with_capacity(pairs.len());
        for (a, b, w, _) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == a && last.1 == b => {
                    if options.weighted {
                        last.2 += w;
                    }
                    report.merged += 1;
                }
                _ => merged.push((a, b, w)),
            }
        }
        let g = Graph::from_pairs(ids, &merged, options);
        Ok((g, report))
    }

    /// Builds the CSR arrays from merged, loop-free pairs.
    fn from_pairs(ids: Vec<String>, pairs: &[(usize, usize, f64)], options: GraphOptions) -> Self {
        let n = ids.len();
        let (out_off, out_nbr, out_w) = if options.directed {
            csr(n, pairs.iter().map(|&(a, b, w)| (a, b, w)))
        } else {
            csr(
                n,
                pairs
                    .iter()
                    .flat_map(|&(a, b, w)| [(a, b, w), (b, a, w)].into_iter()),
            )
        };
        let (in_off, in_nbr, in_w) = if options.directed {
            csr(n, pairs.iter().map(|&(a, b, w)| (b, a, w)))
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        Graph {
            ids,
            directed: options.directed,
            weighted: options.weighted,
            edges: pairs.len(),
            out_off,
            out_nbr,
            out_w,
            in_off,
            in_nbr,
            in_w,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Number of edges (arcs for a directed graph), after merging.
    pub fn edge_count(&self) -> usize {
        self.edges
    }

    /// Whether edges are arcs.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether the weights came from the input.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// Node ids in node order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The index of a node id (a linear scan; build a map for many look-ups).
    pub fn find(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// Out-neighbours of `v` (all neighbours for an undirected graph), sorted.
    #[inline]
    pub fn out_neighbors(&self, v: usize) -> &[usize] {
        &self.out_nbr[self.out_off[v]..self.out_off[v + 1]]
    }

    /// Weights parallel to [`Graph::out_neighbors`].
    #[inline]
    pub fn out_weights(&self, v: usize) -> &[f64] {
        &self.out_w[self.out_off[v]..self.out_off[v + 1]]
    }

    /// In-neighbours of `v` (all neighbours for an undirected graph), sorted.
    #[inline]
    pub fn in_neighbors(&self, v: usize) -> &[usize] {
        if self.directed {
            &self.in_nbr[self.in_off[v]..self.in_off[v + 1]]
        } else {
            self.out_neighbors(v)
        }
    }

    /// Weights parallel to [`Graph::in_neighbors`].
    #[inline]
    pub fn in_weights(&self, v: usize) -> &[f64] {
        if self.directed {
            &self.in_w[self.in_off[v]..self.in_off[v + 1]]
        } else {
            self.out_weights(v)
        }
    }

    /// Out-degree (degree for an undirected graph).
    #[inline]
    pub fn out_degree(&self, v: usize) -> usize {
        self.out_off[v + 1] - self.out_off[v]
    }

    /// In-degree (degree for an undirected graph).
    #[inline]
    pub fn in_degree(&self, v: usize) -> usize {
        if self.directed {
            self.in_off[v + 1] - self.in_off[v]
        } else {
            self.out_degree(v)
        }
    }

    /// Weight of the edge `u -> v` (either direction when undirected).
    pub fn edge_weight(&self, u: usize, v: usize) -> Option<f64> {
        let nb = self.out_neighbors(u);
        nb.binary_search(&v).ok().map(|k| self.out_weights(u)[k])
    }

    /// Neighbours of `v` in either direction, sorted and without repetition,
    /// each with its mutual weight `a_vu + a_uv` (for an undirected graph the
    /// edge weight itself). Calls `f(u, mutual_weight)`.
    pub fn for_each_mutual(&self, v: usize, mut f: impl FnMut(usize, f64)) {
        if !self.directed {
            for (&u, &w) in self.out_neighbors(v).iter().zip(self.out_weights(v)) {
                f(u, w);
            }
            return;
        }
        let (on, ow) = (self.out_neighbors(v), self.out_weights(v));
        let (inn, iw) = (self.in_neighbors(v), self.in_weights(v));
        let (mut i, mut j) = (0, 0);
        while i < on.len() || j < inn.len() {
            if j == inn.len() || (i < on.len() && on[i] < inn[j]) {
                f(on[i], ow[i]);
                i += 1;
            } else if i == on.len() || inn[j] < on[i] {
                f(inn[j], iw[j]);
                j += 1;
            } else {
                f(on[i], ow[i] + iw[j]);
                i += 1;
                j += 1;
            }
        }
    }

    /// The undirected version of a directed graph (an edge where either arc
    /// exists, weights of both arcs summed); a clone for an undirected graph.
    pub fn to_undirected(&self) -> Graph {
        if !self.directed {
            return self.clone();
        }
        let mut pairs = Vec::with_capacity(self.edges);
        for v in 0..self.node_count() {
            self.for_each_mutual(v, |u, w| {
                if v < u {
                    pairs.push((v, u, w));
                }
            });
        }
        Graph::from_pairs(
            self.ids.clone(),
            &pairs,
            GraphOptions {
                directed: false,
                weighted: self.weighted,
            },
        )
    }

    /// The subgraph induced by `keep` (node indices, kept in the given order).
    pub fn induced(&self, keep: &[usize]) -> Graph {
        let mut map = vec![usize::MAX; self.node_count()];
        for (k, &v) in keep.iter().enumerate() {
            map[v] = k;
        }
        let mut pairs = Vec::new();
        for &v in keep {
            for (&u, &w) in self.out_neighbors(v).iter().zip(self.out_weights(v)) {
                if map[u] != usize::MAX && (self.directed || v < u) {
                    let (a, b) = (map[v], map[u]);
                    let (a, b) = if self.directed || a < b {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    pairs.push((a, b, w));
                }
            }
        }
        Graph::from_pairs(
            keep.iter().map(|&v| self.ids[v].clone()).collect(),
            &pairs,
            GraphOptions {
                directed: self.directed,
                weighted: self.weighted,
            },
        )
    }
}

fn intern<'a>(index: &mut HashMap<&'a str, usize>, ids: &mut Vec<String>, id: &'a str) -> usize {
    if let Some(&k) = index.get(id) {
        return k;
    }
    ids.push(id.to_owned());
    index.insert(id, ids.len() - 1);
    ids.len() - 1
}

/// Counting-sort CSR construction; neighbours end up sorted because the
/// entries are visited in (row, col) order after the sort below.
fn csr(
    n: usize,
    entries: impl Iterator<Item = (usize, usize, f64)>,
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let mut list: Vec<(usize, usize, f64)> = entries.collect();
    list.sort_unstable_by_key(|&(a, b, _)| (a, b));
    let mut off = vec![0usize; n + 1];
    for &(a, _, _) in &list {
        off[a + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let nbr = list.iter().map(|&(_, b, _)| b).collect();
    let w = list.iter().map(|&(_, _, w)| w).collect();
    (off, nbr, w)
}

/// How to weight the edges of a co-participation projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectionWeight {
    /// Number of shared projects (NetworkX `bipartite.weighted_projected_graph`).
    #[default]
    SharedCount,
    /// Newman's collaboration weight Σ_p 1/(k_p − 1) over shared projects p
    /// with k_p participants (NetworkX
    /// `bipartite.collaboration_weighted_projected_graph`).
    Newman,
    /// Sum over shared projects of the project's value (e.g. its budget),
    /// taken from [`Participation::value`] (the value of the first row of
    /// the project that has one; projects without one count 0).
    ProjectValue,
}

/// One organization–project participation.
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    /// The organization (a node of the projection).
    pub org: String,
    /// The project.
    pub project: String,
    /// An optional value of the project (used by [`ProjectionWeight::ProjectValue`]).
    pub value: Option<f64>,
}

/// Projects organization–project participations onto organizations: two
/// organizations are linked when they take part in a common project, with
/// weight by `weight`. The result is an edge list (pairs in order of first
/// appearance of the pair) ready for [`Graph::from_edges`] with
/// `weighted: true`; organizations that share no project with anyone are
/// returned as the node list so they stay in the graph as isolates.
///
/// Repeated rows for the same (org, project) count once.
///
/// # Example
/// ```
/// use weaver_network::{project_participations, Participation, ProjectionWeight};
/// let p = |o: &str, pr: &str| Participation { org: o.into(), project: pr.into(), value: None };
/// let rows = vec![p("a", "P1"), p("b", "P1"), p("a", "P2"), p("b", "P2"), p("c", "P2")];
/// let (nodes, edges) = project_participations(&rows, ProjectionWeight::SharedCount).unwrap();
/// assert_eq!(nodes, vec!["a", "b", "c"]);
/// assert_eq!(edges[0].weight, 2.0); // a–b share P1 and P2
/// assert_eq!(edges.len(), 3);
/// ```
///
/// # Errors
/// [`NetworkError::EmptyId`] for an empty org or project id,
/// [`NetworkError::InvalidArgument`] for a non-finite value.
///
/// # References
/// Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest
/// paths, weighted networks, and centrality. *Physical Review E* 64, 016132.
pub fn project_participations(
    rows: &[Participation],
    weight: ProjectionWeight,
) -> Result<(Vec<String>, Vec<EdgeRecord>), NetworkError> {
    let mut org_index: HashMap<&str, usize> = HashMap::new();
    let mut orgs: Vec<&str> = Vec::new();
    let mut proj_index: HashMap<&str, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut values: Vec<Option<f64>> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        check_id(&r.org, "participation org", i)?;
        check_id(&r.project, "participation project", i)?;
        if let Some(v) = r.value
            && !v.is_finite()
        {
            return Err(NetworkError::InvalidArgument {
                name: "value",
                value: v.to_string(),
                expected: "a finite number",
            });
        }
        let o = *org_index.entry(&r.org).or_insert_with(|| {
            orgs.push(&r.org);
            orgs.len() - 1
        });
        let p = *proj_index.entry(&r.project).or_insert_with(|| {
            members.push(Vec::new());
            values.push(None);
            members.len() - 1
        });
        if !members[p].contains(&o) {
            members[p].push(o);
        }
        if values[p].is_none() {
            values[p] = r.value;
        }
    }
    let mut pair_index: HashMap<(usize, usize), usize> = HashMap::new();
    let mut edges: Vec<EdgeRecord> = Vec::new();
    for (p, m) in members.iter().enumerate() {
        let w = match weight {
            ProjectionWeight::SharedCount => 1.0,
            ProjectionWeight::Newman => {
                if m.len() < 2 {
                    continue;
                }
                1.0 / (m.len() as f64 - 1.0)
            }
            ProjectionWeight::ProjectValue => values[p].unwrap_or(0.0),
        };
        for (x, &a) in m.iter().enumerate() {
            for &b in &m[x + 1..] {
                let key = if a < b { (a, b) } else { (b, a) };
                match pair_index.get(&key) {
                    Some(&k) => edges[k].weight += w,
                    None => {
                        pair_index.insert(key, edges.len());
                        edges.push(EdgeRecord::new(orgs[key.0], orgs[key.1], w));
                    }
                }
            }
        }
    }
    Ok((orgs.iter().map(|s| (*s).to_owned()).collect(), edges))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: &str, b: &str, w: f64) -> EdgeRecord {
        EdgeRecord::new(a, b, w)
    }

    #[test]
    fn order_is_first_appearance_nodes_first() {
        let nodes = vec!["z".to_string()];
        let edges = vec![e("b", "a", 1.0), e("a", "c", 1.0)];
        let (g, _) = Graph::from_edges(&nodes, &edges, GraphOptions::default()).unwrap();
        assert_eq!(g.ids(), &["z", "b", "a", "c"]);
        assert_eq!(g.out_neighbors(2), &[1, 3]);
        assert_eq!(g.out_degree(0), 0);
    }

    #[test]
    fn directed_keeps_both_arcs_and_sums_duplicates() {
        let edges = vec![e("a", "b", 1.0), e("b", "a", 2.0), e("a", "b", 0.5)];
        let opts = GraphOptions {
            directed: true,
            weighted: true,
        };
        let (g, r) = Graph::from_edges(&[], &edges, opts).unwrap();
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.edge_weight(0, 1), Some(1.5));
        assert_eq!(g.edge_weight(1, 0), Some(2.0));
        assert_eq!(g.in_neighbors(0), &[1]);
        assert_eq!(r.merged, 1);
        let mut m = Vec::new();
        g.for_each_mutual(0, |u, w| m.push((u, w)));
        assert_eq!(m, vec![(1, 3.5)]);
        let u = g.to_undirected();
        assert_eq!(u.edge_count(), 1);
        assert_eq!(u.edge_weight(1, 0), Some(3.5));
    }

    #[test]
    fn unweighted_ignores_weights() {
        let edges = vec![e("a", "b", f64::NAN), e("b", "a", 7.0)];
        let (g, r) = Graph::from_edges(&[], &edges, GraphOptions::default()).unwrap();
        assert_eq!(g.edge_weight(0, 1), Some(1.0));
        assert_eq!(r.merged, 1);
    }

    #[test]
    fn bad_input_is_refused() {
        let opts = GraphOptions {
            directed: false,
            weighted: true,
        };
        let err = Graph::from_edges(&[], &[e("a", "b", -1.0)], opts).unwrap_err();
        assert!(matches!(err, NetworkError::BadWeight { index: 0, .. }));
        let err = Graph::from_edges(&[], &[e("a", "", 1.0)], opts).unwrap_err();
        assert!(matches!(err, NetworkError::EmptyId { index: 0, .. }));
        let nodes = vec!["a".to_string(), "a".to_string()];
        let err = Graph::from_edges(&nodes, &[], opts).unwrap_err();
        assert!(matches!(
            err,
            NetworkError::DuplicateNode {
                index: 1,
                first: 0,
                ..
            }
        ));
    }

    #[test]
    fn empty_input_gives_empty_graph() {
        let (g, r) = Graph::from_edges(&[], &[], GraphOptions::default()).unwrap();
        assert_eq!(g.node_count(), 0);
        assert_eq!(r, BuildReport::default());
    }

    #[test]
    fn induced_subgraph() {
        let edges = vec![e("a", "b", 1.0), e("b", "c", 2.0), e("c", "d", 1.0)];
        let opts = GraphOptions {
            directed: false,
            weighted: true,
        };
        let (g, _) = Graph::from_edges(&[], &edges, opts).unwrap();
        let h = g.induced(&[2, 1]);
        assert_eq!(h.ids(), &["c", "b"]);
        assert_eq!(h.edge_weight(0, 1), Some(2.0));
        assert_eq!(h.edge_count(), 1);
    }

    #[test]
    fn projection_weights() {
        let p = |o: &str, pr: &str, v: Option<f64>| Participation {
            org: o.into(),
            project: pr.into(),
            value: v,
        };
        let rows = vec![
            p("a", "P1", Some(10.0)),
            p("b", "P1", None),
            p("c", "P1", None),
            p("a", "P2", Some(4.0)),
            p("b", "P2", None),
            p("d", "P3", None),
        ];
        let (nodes, edges) = project_participations(&rows, ProjectionWeight::Newman).unwrap();
        assert_eq!(nodes, vec!["a", "b", "c", "d"]);
        // a–b: 1/2 (P1, three members) + 1/1 (P2, two members)
        assert_eq!(edges[0], e("a", "b", 1.5));
        let (_, edges) = project_participations(&rows, ProjectionWeight::ProjectValue).unwrap();
        assert_eq!(edges[0], e("a", "b", 14.0));
        assert_eq!(edges[1], e("a", "c", 10.0));
    }
}
