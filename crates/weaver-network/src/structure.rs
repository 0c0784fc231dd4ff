//! Local structure: clustering, transitivity, k-cores and components.

use crate::Graph;

/// Counts, for an undirected graph, twice the number of triangles through
/// each node (ordered pairs of linked neighbours), with a marker array.
fn triangles_x2(g: &Graph) -> Vec<usize> {
    let n = g.node_count();
    let mut mark = vec![usize::MAX; n];
    (0..n)
        .map(|v| {
            for &u in g.out_neighbors(v) {
                mark[u] = v;
            }
            let mut t = 0;
            for &u in g.out_neighbors(v) {
                for &w in g.out_neighbors(u) {
                    if mark[w] == v {
                        t += 1;
                    }
                }
            }
            t
        })
        .collect()
}

/// Directed triangles through each node, total degree and number of
/// reciprocated neighbours (Fagiolo 2007), as NetworkX counts them.
fn directed_triangles(g: &Graph) -> Vec<(usize, usize, usize)> {
    let n = g.node_count();
    // pred/succ membership markers of the current node i.
    let mut in_pred = vec![usize::MAX; n];
    let mut in_succ = vec![usize::MAX; n];
    (0..n)
        .map(|i| {
            for &p in g.in_neighbors(i) {
                in_pred[p] = i;
            }
            for &s in g.out_neighbors(i) {
                in_succ[s] = i;
            }
            let ipreds = g.in_neighbors(i);
            let isuccs = g.out_neighbors(i);
            let mut t = 0;
            // For j in chain(ipreds, isuccs): count |ipreds ∩ jpreds| +
            // |ipreds ∩ jsuccs| + |isuccs ∩ jpreds| + |isuccs ∩ jsuccs|.
            for &j in ipreds.iter().chain(isuccs) {
                for &k in g.in_neighbors(j).iter().chain(g.out_neighbors(j)) {
                    if k == j {
                        continue;
                    }
                    t += usize::from(in_pred[k] == i) + usize::from(in_succ[k] == i);
                }
            }
            let total = ipreds.len() + isuccs.len();
            let bi = ipreds.iter().filter(|&&p| in_succ[p] == i).count();
            (t, total, bi)
        })
        .collect()
}

/// Local clustering coefficient, equal to NetworkX `clustering(G)`.
///
/// Undirected: c_v = 2 T(v) / (d_v (d_v − 1)), T(v) the number of triangles
/// through v. Directed (Fagiolo 2007): c_v = T(v) / (2 (d_tot (d_tot − 1) −
/// 2 d_↔)), T(v) the directed triangles through v, d_tot = in + out degree,
/// d_↔ the reciprocated neighbours. Nodes in no triangle (including nodes of
/// degree < 2) get 0. Unweighted, as NetworkX's default.
///
/// # Example
/// ```
/// use weaver_network::{clustering, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(clustering(&g), vec![1.0, 1.0, 1.0 / 3.0, 0.0]);
/// ```
///
/// # References
/// Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of
/// 'small-world' networks. *Nature* 393, 440–442.
/// Fagiolo, G. (2007). Clustering in complex directed networks. *Physical
/// Review E* 76, 026107.
pub fn clustering(g: &Graph) -> Vec<f64> {
    if g.is_directed() {
        directed_triangles(g)
            .into_iter()
            .map(|(t, total, bi)| {
                if t == 0 {
                    0.0
                } else {
                    t as f64 / (2.0 * ((total * (total - 1)) as f64 - 2.0 * bi as f64))
                }
            })
            .collect()
    } else {
        triangles_x2(g)
            .into_iter()
            .enumerate()
            .map(|(v, t)| {
                let d = g.out_degree(v);
                if t == 0 {
                    0.0
                } else {
                    t as f64 / (d * (d - 1)) as f64
                }
            })
            .collect()
    }
}

/// Transitivity 3 × triangles / connected triples, NetworkX
/// `transitivity(G)`; 0 when there is no triangle. For a directed graph the
/// value is `NaN` (NetworkX does not define it).
///
/// ```
/// use weaver_network::{transitivity, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(transitivity(&g), 0.6); // 3 · 1 / 5 triples
/// ```
pub fn transitivity(g: &Graph) -> f64 {
    if g.is_directed() {
        return f64::NAN;
    }
    let t: usize = triangles_x2(g).iter().sum();
    let triples: usize = (0..g.node_count())
        .map(|v| {
            let d = g.out_degree(v);
            d * d.saturating_sub(1)
        })
        .sum();
    if t == 0 {
        0.0
    } else {
        t as f64 / triples as f64
    }
}

/// Core number of every node (the largest k such that the node belongs to a
/// k-core), NetworkX `core_number(G)`; Batagelj–Zaversnik bucket algorithm.
/// For a directed graph the degree is in-degree plus out-degree, so a
/// reciprocated pair counts twice, as in NetworkX.
///
/// ```
/// use weaver_network::{core_number, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(core_number(&g), vec![2, 2, 2, 1]);
/// ```
///
/// # References
/// Batagelj, V., & Zaversnik, M. (2003). An O(m) algorithm for cores
/// decomposition of networks. arXiv:cs/0310049.
pub fn core_number(g: &Graph) -> Vec<usize> {
    let n = g.node_count();
    let nbrs = |v: usize| -> Box<dyn Iterator<Item = usize> + '_> {
        if g.is_directed() {
            Box::new(g.out_neighbors(v).iter().chain(g.in_neighbors(v)).copied())
        } else {
            Box::new(g.out_neighbors(v).iter().copied())
        }
    };
    let mut deg: Vec<usize> = crate::degree(g);
    let maxd = deg.iter().copied().max().unwrap_or(0);
    let mut bin = vec![0usize; maxd + 2];
    for &d in &deg {
        bin[d] += 1;
    }
    let mut start = 0;
    for b in bin.iter_mut() {
        let c = *b;
        *b = start;
        start += c;
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0usize; n];
    for v in 0..n {
        pos[v] = bin[deg[v]];
        vert[pos[v]] = v;
        bin[deg[v]] += 1;
    }
    for d in (1..bin.len()).rev() {
        bin[d] = bin[d - 1];
    }
    if !bin.is_empty() {
        bin[0] = 0;
    }
    for i in 0..n {
        let v = vert[i];
        for u in nbrs(v) {
            if deg[u] > deg[v] {
                let du = deg[u];
                let pu = pos[u];
                let pw = bin[du];
                let w = vert[pw];
                if u != w {
                    pos[u] = pw;
                    vert[pu] = w;
                    pos[w] = pu;
                    vert[pw] = u;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        }
    }
    deg
}

/// Connected components (weakly connected for a directed graph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component index of every node: 0 is the largest, ties broken by the
    /// first node in node order.
    pub membership: Vec<usize>,
    /// Size of each component, largest first.
    pub sizes: Vec<usize>,
}

/// Connected components (NetworkX `connected_components`; for a directed
/// graph `weakly_connected_components`), numbered from 0 by decreasing size,
/// ties broken by first appearance.
///
/// ```
/// use weaver_network::{components, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("c", "d"), ("d", "e")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let c = components(&g);
/// assert_eq!(c.membership, vec![1, 1, 0, 0, 0]);
/// assert_eq!(c.sizes, vec![3, 2]);
/// ```
pub fn components(g: &Graph) -> Components {
    let n = g.node_count();
    let mut raw = vec![usize::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    let mut stack = Vec::new();
    for s in 0..n {
        if raw[s] != usize::MAX {
            continue;
        }
        let c = sizes.len();
        raw[s] = c;
        stack.push(s);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            let both = g.out_neighbors(v).iter().chain(if g.is_directed() {
                g.in_neighbors(v)
            } else {
                &[]
            });
            for &u in both {
                if raw[u] == usize::MAX {
                    raw[u] = c;
                    stack.push(u);
                }
            }
        }
        sizes.push(size);
    }
    // Raw components are numbered by their first node; a stable sort by
    // decreasing size keeps that order among equals.
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
    let mut rank = vec![0; sizes.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    Components {
        membership: raw.iter().map(|&c| rank[c]).collect(),
        sizes: order.iter().map(|&c| sizes[c]).collect(),
    }
}
