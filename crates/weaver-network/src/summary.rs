//! Graph-level summary: size, density, components, clustering, path length,
//! assortativity.

use crate::{Graph, NetworkError, centrality, clustering, components, transitivity};

/// Density, NetworkX `density(G)`: m / (n(n−1)) for a directed graph,
/// 2m / (n(n−1)) for an undirected one; 0 when n ≤ 1.
///
/// ```
/// use weaver_network::{density, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(density(&g), 2.0 / 3.0);
/// ```
pub fn density(g: &Graph) -> f64 {
    let n = g.node_count() as f64;
    let m = g.edge_count() as f64;
    if n <= 1.0 {
        0.0
    } else if g.is_directed() {
        m / (n * (n - 1.0))
    } else {
        2.0 * m / (n * (n - 1.0))
    }
}

/// Pearson correlation of (x, y) pairs with multiplicity 1 each.
fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let k = pairs.len() as f64;
    if k == 0.0 {
        return f64::NAN;
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / k;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / k;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Degree assortativity, NetworkX `degree_assortativity_coefficient(G)`:
/// the Pearson correlation of the degrees at the two ends of each edge (both
/// orientations of an undirected edge); for a directed graph the out-degree of
/// the source against the in-degree of the target (NetworkX's `x="out",
/// y="in"`). `NaN` when there is no edge or a degree is constant.
///
/// ```
/// use weaver_network::{degree_assortativity, EdgeRecord, Graph, GraphOptions};
/// // A star is perfectly disassortative.
/// let e: Vec<_> = ["b", "c", "d"].iter().map(|t| EdgeRecord::new("a", *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert!((degree_assortativity(&g) + 1.0).abs() < 1e-12);
/// ```
///
/// # References
/// Newman, M. E. J. (2002). Assortative mixing in networks. *Physical Review
/// Letters* 89, 208701.
pub fn degree_assortativity(g: &Graph) -> f64 {
    let mut pairs = Vec::new();
    for v in 0..g.node_count() {
        for &u in g.out_neighbors(v) {
            pairs.push((g.out_degree(v) as f64, g.in_degree(u) as f64));
        }
    }
    pearson(&pairs)
}

/// Attribute (nominal) assortativity, NetworkX
/// `attribute_assortativity_coefficient(G, attr)`.
///
/// With e the normalised mixing matrix of the attribute over edges (both
/// orientations of an undirected edge), a_i and b_i its row and column sums,
/// r = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i). Edges with an end
/// without a value are left out. `NaN` when no edge is left or every end has
/// the same value.
///
/// # Errors
/// [`NetworkError::AttributeLength`] when `values` does not have one entry
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{attribute_assortativity, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("c", "d"), ("b", "c")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let club = [Some("x"), Some("x"), Some("y"), Some("y")];
/// let r = attribute_assortativity(&g, "club", &club).unwrap();
/// assert!((r - 1.0 / 3.0).abs() < 1e-12);
/// ```
///
/// # References
/// Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E*
/// 67, 026126.
pub fn attribute_assortativity<S: AsRef<str>>(
    g: &Graph,
    name: &str,
    values: &[Option<S>],
) -> Result<f64, NetworkError> {
    if values.len() != g.node_count() {
        return Err(NetworkError::AttributeLength {
            name: name.to_owned(),
            got: values.len(),
            expected: g.node_count(),
        });
    }
    let codes = crate::encode_groups(values);
    let k = codes.iter().flatten().max().map_or(0, |&c| c + 1);
    let mut mix = vec![0.0; k * k];
    let mut total = 0.0;
    for v in 0..g.node_count() {
        let Some(cv) = codes[v] else { continue };
        for &u in g.out_neighbors(v) {
            if let Some(cu) = codes[u] {
                mix[cv * k + cu] += 1.0;
                total += 1.0;
            }
        }
    }
    if total == 0.0 {
        return Ok(f64::NAN);
    }
    let mut trace = 0.0;
    let mut ab = 0.0;
    for i in 0..k {
        trace += mix[i * k + i] / total;
        let a: f64 = (0..k).map(|j| mix[i * k + j]).sum::<f64>() / total;
        let b: f64 = (0..k).map(|j| mix[j * k + i]).sum::<f64>() / total;
        ab += a * b;
    }
    Ok((trace - ab) / (1.0 - ab))
}

/// Graph-level figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edges (arcs when directed).
    pub edges: usize,
    /// Whether the graph is directed.
    pub directed: bool,
    /// [`density`].
    pub density: f64,
    /// Number of (weakly) connected components.
    pub components: usize,
    /// Size of the largest component.
    pub giant_size: usize,
    /// Mean of [`clustering`] over all nodes (NetworkX `average_clustering`).
    pub average_clustering: f64,
    /// [`transitivity`].
    pub transitivity: f64,
    /// Average shortest path length in the largest component (NetworkX
    /// `average_shortest_path_length` on that subgraph). `NaN` when the
    /// component has fewer than two nodes or, directed, is not strongly
    /// connected.
    pub average_path_length_giant: f64,
    /// [`degree_assortativity`].
    pub degree_assortativity: f64,
    /// [`attribute_assortativity`] by the attribute given, with its name.
    pub attribute_assortativity: Option<(String, f64)>,
}

/// Options of [`summary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryOptions {
    /// Node count from which path lengths use the rayon pool.
    pub parallel_threshold: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            parallel_threshold: centrality::DEFAULT_PARALLEL_THRESHOLD,
        }
    }
}

/// Computes the [`Summary`] of a graph; `attribute` is an optional node
/// attribute (name and one value per node) for attribute assortativity.
///
/// # Errors
/// [`NetworkError::AttributeLength`] when the attribute does not have one
/// value per node.
///
/// # Example
/// ```
/// use weaver_network::{summary, SummaryOptions, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let s = summary(&g, None::<(&str, &[Option<&str>])>, &SummaryOptions::default()).unwrap();
/// assert_eq!((s.nodes, s.edges, s.components, s.giant_size), (5, 4, 2, 3));
/// assert_eq!(s.average_path_length_giant, 1.0);
/// assert_eq!(s.transitivity, 1.0);
/// ```
///
/// Empty graph: counts are 0, ratios `NaN` except density (0).
pub fn summary<S: AsRef<str>>(
    g: &Graph,
    attribute: Option<(&str, &[Option<S>])>,
    options: &SummaryOptions,
) -> Result<Summary, NetworkError> {
    let comps = components(g);
    let giant_size = comps.sizes.first().copied().unwrap_or(0);
    let cl = clustering(g);
    let average_clustering = if cl.is_empty() {
        f64::NAN
    } else {
        cl.iter().sum::<f64>() / cl.len() as f64
    };
    let giant: Vec<usize> = (0..g.node_count())
        .filter(|&v| comps.membership[v] == 0)
        .collect();
    let apl = if giant.len() >= 2 {
        let sub = g.induced(&giant);
        centrality::average_path_length(&sub, options.parallel_threshold).unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    let attribute_assortativity = match attribute {
        Some((name, values)) => Some((name.to_owned(), attribute_assortativity(g, name, values)?)),
        None => None,
    };
    Ok(Summary {
        nodes: g.node_count(),
        edges: g.edge_count(),
        directed: g.is_directed(),
        density: density(g),
        components: comps.sizes.len(),
        giant_size,
        average_clustering,
        transitivity: if g.node_count() == 0 {
            f64::NAN
        } else {
            transitivity(g)
        },
        average_path_length_giant: apl,
        degree_assortativity: degree_assortativity(g),
        attribute_assortativity,
    })
}
