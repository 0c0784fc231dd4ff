//! Node centralities, each equal to the NetworkX function of the same name
//! called with its default arguments (unless an option says otherwise).
//!
//! Weight convention (as in NetworkX): only [`pagerank`] and [`strength`] use
//! edge weights by default. Path-based measures ([`betweenness`], [`closeness`])
//! can be asked to use weighted shortest paths with `weighted_paths: true`;
//! the length of an edge is then **1 / weight** (a strong tie is a short
//! distance), which in NetworkX is `weight="distance"` with
//! `G[u][v]["distance"] = 1 / G[u][v]["weight"]`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;

use crate::{Graph, NetworkError};

/// Default node count from which the all-sources computations (betweenness,
/// closeness, average path length) run on rayon's thread pool.
pub const DEFAULT_PARALLEL_THRESHOLD: usize = 2_000;

/// Degree of every node: number of neighbours; for a directed graph in-degree
/// plus out-degree (NetworkX `G.degree`).
///
/// ```
/// use weaver_network::{degree, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(degree(&g), vec![1, 2, 1]);
/// ```
pub fn degree(g: &Graph) -> Vec<usize> {
    (0..g.node_count())
        .map(|v| {
            if g.is_directed() {
                g.out_degree(v) + g.in_degree(v)
            } else {
                g.out_degree(v)
            }
        })
        .collect()
}

/// Strength of every node: the sum of the weights of its edges; for a
/// directed graph of its in- and out-arcs (NetworkX
/// `G.degree(weight="weight")`). Equals [`degree`] on an unweighted graph.
///
/// ```
/// use weaver_network::{strength, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 2.0), EdgeRecord::new("b", "c", 0.5)];
/// let opts = GraphOptions { directed: false, weighted: true };
/// let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
/// assert_eq!(strength(&g), vec![2.0, 2.5, 0.5]);
/// ```
pub fn strength(g: &Graph) -> Vec<f64> {
    (0..g.node_count())
        .map(|v| {
            let out: f64 = g.out_weights(v).iter().sum();
            if g.is_directed() {
                out + g.in_weights(v).iter().sum::<f64>()
            } else {
                out
            }
        })
        .collect()
}

/// Options of [`betweenness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetweennessOptions {
    /// Divide by the number of pairs, `(n−1)(n−2)` ordered pairs (NetworkX
    /// default `normalized=True`). When false, an undirected graph counts
    /// each unordered pair once, as NetworkX does.
    pub normalized: bool,
    /// Use weighted shortest paths with length 1 / weight.
    pub weighted_paths: bool,
    /// Run on the rayon pool from this many nodes on.
    pub parallel_threshold: usize,
}

impl Default for BetweennessOptions {
    fn default() -> Self {
        BetweennessOptions {
            normalized: true,
            weighted_paths: false,
            parallel_threshold: DEFAULT_PARALLEL_THRESHOLD,
        }
    }
}

/// Scratch space for one single-source shortest-path search.
struct Sssp {
    sigma: Vec<f64>,
    dist: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<usize>,
    queue: Vec<usize>,
    heap: BinaryHeap<HeapItem>,
    settled: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct HeapItem {
    dist: f64,
    seq: usize,
    node: usize,
}
impl Eq for HeapItem {}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on (dist, seq).
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Sssp {
    fn new(n: usize) -> Self {
        Sssp {
            sigma: vec![0.0; n],
            dist: vec![f64::INFINITY; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
            queue: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
            settled: vec![false; n],
        }
    }

    fn reset(&mut self) {
        for &v in &self.order {
            self.sigma[v] = 0.0;
            self.dist[v] = f64::INFINITY;
            self.delta[v] = 0.0;
            self.settled[v] = false;
        }
        self.order.clear();
        self.queue.clear();
        self.heap.clear();
    }

    /// Breadth-first search from `s` along out-arcs (`reverse`: in-arcs);
    /// fills `order` (non-decreasing distance), `dist`, `sigma`. With
    /// `stop = Some(t)` it ends once every node closer than t is expanded:
    /// then `dist` and `sigma` are final for t and every node closer, the
    /// others are partial (`order` still lists every node touched).
    fn bfs(&mut self, g: &Graph, s: usize, reverse: bool, stop: Option<usize>) {
        self.reset();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        self.queue.push(s);
        let mut head = 0;
        while head < self.queue.len() {
            let v = self.queue[head];
            if let Some(t) = stop
                && self.dist[v] >= self.dist[t]
            {
                // First node as far as t: all nodes one level closer are
                // expanded, so σ_t is complete.
                self.order.extend_from_slice(&self.queue[head..]);
                break;
            }
            head += 1;
            self.order.push(v);
            let dv = self.dist[v];
            let nb = if reverse {
                g.in_neighbors(v)
            } else {
                g.out_neighbors(v)
            };
            for &w in nb {
                if self.dist[w].is_infinite() {
                    self.dist[w] = dv + 1.0;
                    self.queue.push(w);
                }
                if self.dist[w] == dv + 1.0 {
                    self.sigma[w] += self.sigma[v];
                }
            }
        }
        // `order` holds every reached node; `queue` the same, unused later.
    }

    /// Like [`Sssp::search`] but may stop once `t`'s distance and path
    /// count are final (see [`Sssp::bfs`] and [`Sssp::dijkstra`]).
    fn search_to(&mut self, g: &Graph, s: usize, t: usize, weighted: bool) {
        if weighted {
            self.dijkstra(g, s, false, Some(t));
        } else {
            self.bfs(g, s, false, Some(t));
        }
    }

    /// Dijkstra from `s` with edge length 1 / weight; fills `order`
    /// (settling order), `dist`, `sigma`. Equal lengths are compared exactly,
    /// as NetworkX does. With `stop = Some(t)` it ends when t is settled:
    /// every node closer than t is settled then, and every arc into t from
    /// one of them relaxed, so `dist` and `sigma` are final for t and the
    /// nodes closer; the others are partial.
    fn dijkstra(&mut self, g: &Graph, s: usize, reverse: bool, stop: Option<usize>) {
        self.reset();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        self.queue.push(s);
        let mut seq = 0;
        self.heap.push(HeapItem {
            dist: 0.0,
            seq,
            node: s,
        });
        while let Some(HeapItem { dist, node: v, .. }) = self.heap.pop() {
            if self.settled[v] || dist > self.dist[v] {
                continue;
            }
            self.settled[v] = true;
            self.order.push(v);
            if stop == Some(v) {
                break;
            }
            let (nb, ws) = if reverse {
                (g.in_neighbors(v), g.in_weights(v))
            } else {
                (g.out_neighbors(v), g.out_weights(v))
            };
            for (&w, &wt) in nb.iter().zip(ws) {
                if self.settled[w] {
                    continue;
                }
                let d = dist + 1.0 / wt;
                if d < self.dist[w] {
                    if self.dist[w].is_infinite() {
                        self.queue.push(w);
                    }
                    self.dist[w] = d;
                    self.sigma[w] = self.sigma[v];
                    seq += 1;
                    self.heap.push(HeapItem {
                        dist: d,
                        seq,
                        node: w,
                    });
                } else if d == self.dist[w] {
                    self.sigma[w] += self.sigma[v];
                }
            }
        }
        // Without `stop` every node reached is settled; with it, nodes
        // touched but not settled remain, and `reset` must clear everything
        // touched: `queue` lists the touched nodes.
        for i in 0..self.queue.len() {
            let v = self.queue[i];
            if !self.settled[v] {
                self.order.push(v);
            }
        }
    }

    /// Whether `v` precedes `w` on a shortest path from the source.
    #[inline]
    fn is_pred(&self, v: usize, w: usize, wt: f64, weighted: bool) -> bool {
        if weighted {
            self.dist[v] + 1.0 / wt == self.dist[w]
        } else {
            self.dist[v] + 1.0 == self.dist[w]
        }
    }

    /// Brandes' dependency accumulation; adds δ_s(v) to `acc` for v ≠ s.
    fn accumulate(&mut self, g: &Graph, s: usize, weighted: bool, acc: &mut [f64]) {
        for i in (0..self.order.len()).rev() {
            let w = self.order[i];
            if self.dist[w].is_infinite() {
                continue;
            }
            let coeff = (1.0 + self.delta[w]) / self.sigma[w];
            for (&v, &wt) in g.in_neighbors(w).iter().zip(g.in_weights(w)) {
                if self.is_pred(v, w, wt, weighted) {
                    self.delta[v] += self.sigma[v] * coeff;
                }
            }
            if w != s {
                acc[w] += self.delta[w];
            }
        }
    }

    fn search(&mut self, g: &Graph, s: usize, weighted: bool, reverse: bool) {
        if weighted {
            self.dijkstra(g, s, reverse, None);
        } else {
            self.bfs(g, s, reverse, None);
        }
    }
}

/// Runs `per_source` for every source node, each thread with its own scratch
/// space and accumulator, and sums the accumulators.
fn all_sources(
    g: &Graph,
    parallel_threshold: usize,
    per_source: impl Fn(&mut Sssp, usize, &mut [f64]) + Sync,
) -> Vec<f64> {
    let n = g.node_count();
    if n >= parallel_threshold && n > 1 {
        (0..n)
            .into_par_iter()
            .fold(
                || (Sssp::new(n), vec![0.0; n]),
                |(mut sp, mut acc), s| {
                    per_source(&mut sp, s, &mut acc);
                    (sp, acc)
                },
            )
            .map(|(_, acc)| acc)
            .reduce(
                || vec![0.0; n],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    } else {
        let mut sp = Sssp::new(n);
        let mut acc = vec![0.0; n];
        for s in 0..n {
            per_source(&mut sp, s, &mut acc);
        }
        acc
    }
}

/// Shortest-path betweenness centrality (Brandes 2001), equal to NetworkX
/// `betweenness_centrality(G)`.
///
/// c_B(v) = Σ_{s≠v≠t} σ_st(v) / σ_st, where σ_st is the number of shortest
/// s–t paths and σ_st(v) those through v; the sum runs over ordered pairs.
/// Normalized (the default) it is divided by (n−1)(n−2), for directed and
/// undirected graphs alike (for an undirected graph this is NetworkX's
/// 2/((n−1)(n−2)) applied to unordered pairs). Unnormalized, an undirected
/// graph's value counts each unordered pair once.
///
/// # Arguments
/// * `g` — the graph; arcs are followed in their direction.
/// * `options` — normalization, weighted paths (length 1/weight), threshold
///   for the parallel path.
///
/// # Returns
/// One value per node, in node order.
///
/// # Example
/// ```
/// use weaver_network::{betweenness, BetweennessOptions, EdgeRecord, Graph, GraphOptions};
/// // A path a–b–c: b lies on the only a–c path.
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// assert_eq!(betweenness(&g, &BetweennessOptions::default()), vec![0.0, 1.0, 0.0]);
/// ```
///
/// # Notes
/// O(nm) time unweighted, O(nm + n² log n) weighted. With n ≤ 2 nothing is
/// rescaled (all values are 0). Disconnected pairs contribute nothing.
///
/// # References
/// Brandes, U. (2001). A faster algorithm for betweenness centrality.
/// *Journal of Mathematical Sociology* 25(2), 163–177.
/// doi:10.1080/0022250X.2001.9990249
pub fn betweenness(g: &Graph, options: &BetweennessOptions) -> Vec<f64> {
    let n = g.node_count();
    let weighted = options.weighted_paths;
    let mut bc = if weighted {
        all_sources(g, options.parallel_threshold, |sp, s, acc| {
            sp.search(g, s, weighted, false);
            sp.accumulate(g, s, weighted, acc);
        })
    } else {
        brandes_unweighted(g, options.parallel_threshold)
    };
    if n > 2 {
        let scale = if options.normalized {
            1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0))
        } else if g.is_directed() {
            1.0
        } else {
            0.5
        };
        bc.iter_mut().for_each(|x| *x *= scale);
    }
    bc
}

/// Options of [`closeness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClosenessOptions {
    /// Use weighted shortest paths with length 1 / weight.
    pub weighted_paths: bool,
    /// Wasserman–Faust scaling by the share of nodes reached (NetworkX
    /// default `wf_improved=True`).
    pub wf_improved: bool,
    /// Run on the rayon pool from this many nodes on.
    pub parallel_threshold: usize,
}

impl Default for ClosenessOptions {
    fn default() -> Self {
        ClosenessOptions {
            weighted_paths: false,
            wf_improved: true,
            parallel_threshold: DEFAULT_PARALLEL_THRESHOLD,
        }
    }
}

/// Scratch space of the unweighted Brandes search: integer levels, the
/// visiting order doubling as the queue.
struct Bfs {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<usize>,
}

impl Bfs {
    fn new(n: usize) -> Bfs {
        Bfs {
            dist: vec![u32::MAX; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// One source: BFS, then dependency accumulation into `acc`.
    fn run(&mut self, g: &Graph, s: usize, acc: &mut [f64]) {
        for &v in &self.order {
            self.dist[v] = u32::MAX;
            self.sigma[v] = 0.0;
            self.delta[v] = 0.0;
        }
        self.order.clear();
        self.dist[s] = 0;
        self.sigma[s] = 1.0;
        self.order.push(s);
        let mut head = 0;
        while head < self.order.len() {
            let v = self.order[head];
            head += 1;
            let next = self.dist[v] + 1;
            let sv = self.sigma[v];
            for &w in g.out_neighbors(v) {
                let dw = self.dist[w];
                if dw == u32::MAX {
                    self.dist[w] = next;
                    self.sigma[w] = sv;
                    self.order.push(w);
                } else if dw == next {
                    self.sigma[w] += sv;
                }
            }
        }
        for i in (1..self.order.len()).rev() {
            let w = self.order[i];
            let prev = self.dist[w] - 1;
            let coeff = (1.0 + self.delta[w]) / self.sigma[w];
            for &v in g.in_neighbors(w) {
                if self.dist[v] == prev {
                    self.delta[v] += self.sigma[v] * coeff;
                }
            }
            acc[w] += self.delta[w];
        }
    }
}

/// Unweighted Brandes over all sources, on the rayon pool from
/// `parallel_threshold` nodes on.
fn brandes_unweighted(g: &Graph, parallel_threshold: usize) -> Vec<f64> {
    let n = g.node_count();
    if n >= parallel_threshold && n > 1 {
        (0..n)
            .into_par_iter()
            .fold(
                || (Bfs::new(n), vec![0.0; n]),
                |(mut b, mut acc), s| {
                    b.run(g, s, &mut acc);
                    (b, acc)
                },
            )
            .map(|(_, acc)| acc)
            .reduce(
                || vec![0.0; n],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    } else {
        let mut b = Bfs::new(n);
        let mut acc = vec![0.0; n];
        for s in 0..n {
            b.run(g, s, &mut acc);
        }
        acc
    }
}

/// Closeness centrality, equal to NetworkX `closeness_centrality(G)`.
///
/// C(u) = (r−1) / Σ_v d(v, u) · (r−1)/(n−1), where r is the number of nodes
/// that can reach u (u included) and the sum runs over them; the second
/// factor is Wasserman and Faust's correction for disconnected graphs. For a
/// directed graph the distances are **to** u (incoming paths), as in
/// NetworkX. A node nobody reaches has closeness 0.
///
/// # Example
/// ```
/// use weaver_network::{closeness, ClosenessOptions, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let c = closeness(&g, &ClosenessOptions::default());
/// assert_eq!(c, vec![2.0 / 3.0, 1.0, 2.0 / 3.0]);
/// ```
///
/// # References
/// Freeman, L. C. (1979). Centrality in social networks: conceptual
/// clarification. *Social Networks* 1(3), 215–239.
/// Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and
/// Applications*. Cambridge University Press.
pub fn closeness(g: &Graph, options: &ClosenessOptions) -> Vec<f64> {
    let n = g.node_count();
    let weighted = options.weighted_paths;
    let wf = options.wf_improved;
    all_sources(g, options.parallel_threshold, |sp, u, acc| {
        sp.search(g, u, weighted, true);
        let reached = sp.order.len();
        let total: f64 = sp.order.iter().map(|&v| sp.dist[v]).sum();
        let mut c = 0.0;
        if total > 0.0 && n > 1 {
            c = (reached as f64 - 1.0) / total;
            if wf {
                c *= (reached as f64 - 1.0) / (n as f64 - 1.0);
            }
        }
        acc[u] = c;
    })
}

/// Options of [`eigenvector`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EigenvectorOptions {
    /// Maximum number of power iterations (NetworkX default 100).
    pub max_iter: usize,
    /// Tolerance: stop when Σ|x − x_last| < n · tol (default 1e-6).
    pub tol: f64,
    /// Use edge weights (NetworkX default `weight=None`: no).
    pub weighted: bool,
}

impl Default for EigenvectorOptions {
    fn default() -> Self {
        EigenvectorOptions {
            max_iter: 100,
            tol: 1e-6,
            weighted: false,
        }
    }
}

/// Eigenvector centrality, equal to NetworkX `eigenvector_centrality(G)`.
///
/// The principal eigenvector x of A (Ax = λx), found by power iteration on
/// A + I from the uniform start x = 1/n, normalised to unit Euclidean norm
/// after each step; for a directed graph a node's score comes from its
/// in-neighbours (left eigenvector), as in NetworkX.
///
/// # Errors
/// [`NetworkError::EmptyGraph`] for a graph without nodes,
/// [`NetworkError::NoConvergence`] when `max_iter` steps do not reach the
/// tolerance.
///
/// # Example
/// ```
/// use weaver_network::{eigenvector, EigenvectorOptions, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let x = eigenvector(&g, &EigenvectorOptions::default()).unwrap();
/// // Path of three nodes: (1/2, 1/√2, 1/2).
/// assert!((x[0] - 0.5).abs() < 1e-6 && (x[1] - 0.5f64.sqrt()).abs() < 1e-6);
/// ```
///
/// # Notes
/// On a disconnected graph the result concentrates on the component with the
/// largest eigenvalue; the tolerance bounds the change between the last two
/// iterates, not the distance to the true eigenvector.
///
/// # References
/// Bonacich, P. (1987). Power and centrality: a family of measures.
/// *American Journal of Sociology* 92(5), 1170–1182.
pub fn eigenvector(g: &Graph, options: &EigenvectorOptions) -> Result<Vec<f64>, NetworkError> {
    let n = g.node_count();
    if n == 0 {
        return Err(NetworkError::EmptyGraph {
            method: "eigenvector",
        });
    }
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..options.max_iter {
        let last = x.clone();
        for (v, xv) in x.iter_mut().enumerate() {
            let nb = g.in_neighbors(v);
            if options.weighted {
                for (&u, &w) in nb.iter().zip(g.in_weights(v)) {
                    *xv += last[u] * w;
                }
            } else {
                for &u in nb {
                    *xv += last[u];
                }
            }
        }
        let mut norm = x.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm == 0.0 {
            norm = 1.0;
        }
        x.iter_mut().for_each(|a| *a /= norm);
        let err: f64 = x.iter().zip(&last).map(|(a, b)| (a - b).abs()).sum();
        if err < n as f64 * options.tol {
            return Ok(x);
        }
    }
    Err(NetworkError::NoConvergence {
        method: "eigenvector",
        max_iter: options.max_iter,
        tol: options.tol,
    })
}

/// Options of [`pagerank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// Damping factor α (default 0.85).
    pub alpha: f64,
    /// Maximum number of iterations (default 100).
    pub max_iter: usize,
    /// Tolerance: stop when Σ|x − x_last| < n · tol (default 1e-6).
    pub tol: f64,
    /// Use edge weights (NetworkX default `weight="weight"`: yes).
    pub weighted: bool,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        PageRankOptions {
            alpha: 0.85,
            max_iter: 100,
            tol: 1e-6,
            weighted: true,
        }
    }
}

/// PageRank, equal to NetworkX `pagerank(G)`.
///
/// Power iteration x ← α (x P + (Σ_{dangling} x) / n) + (1 − α)/n from x =
/// 1/n, where P is the row-normalised weight matrix (an undirected edge is
/// two arcs) and dangling nodes (no out-arcs) spread their score uniformly.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] for α outside [0, 1],
/// [`NetworkError::NoConvergence`] when `max_iter` steps do not reach the
/// tolerance. An empty graph gives an empty vector.
///
/// # Example
/// ```
/// use weaver_network::{pagerank, PageRankOptions, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
/// assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// assert!((pr[1] - 0.48648648).abs() < 1e-6); // networkx: 0.486486...
/// ```
///
/// # References
/// Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). *The PageRank
/// citation ranking: bringing order to the Web*. Stanford InfoLab.
pub fn pagerank(g: &Graph, options: &PageRankOptions) -> Result<Vec<f64>, NetworkError> {
    if !(0.0..=1.0).contains(&options.alpha) {
        return Err(NetworkError::InvalidArgument {
            name: "alpha",
            value: options.alpha.to_string(),
            expected: "a number in [0, 1]",
        });
    }
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    let nf = n as f64;
    let alpha = options.alpha;
    let inv_out: Vec<f64> = (0..n)
        .map(|v| {
            let s: f64 = if options.weighted {
                g.out_weights(v).iter().sum()
            } else {
                g.out_degree(v) as f64
            };
            if s != 0.0 { 1.0 / s } else { 0.0 }
        })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&v| inv_out[v] == 0.0).collect();
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..options.max_iter {
        let dsum: f64 = dangling.iter().map(|&v| x[v]).sum();
        for (v, nv) in next.iter_mut().enumerate() {
            let mut s = 0.0;
            for (&u, &w) in g.in_neighbors(v).iter().zip(g.in_weights(v)) {
                let a = if options.weighted { w } else { 1.0 };
                s += x[u] * (a * inv_out[u]);
            }
            *nv = alpha * (s + dsum / nf) + (1.0 - alpha) / nf;
        }
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < nf * options.tol {
            return Ok(x);
        }
    }
    Err(NetworkError::NoConvergence {
        method: "pagerank",
        max_iter: options.max_iter,
        tol: options.tol,
    })
}

/// Options of [`betweenness_sampled`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampledBetweennessOptions {
    /// Additive error bound ε on the Riondato–Kornaropoulos scale (pairs
    /// divided by n(n−1)); default 0.01.
    pub epsilon: f64,
    /// Failure probability δ; default 0.1.
    pub delta: f64,
    /// The universal constant c of the sample size (0.5 is customary).
    pub c: f64,
    /// Seed of the generator (results are identical for a seed).
    pub seed: u64,
    /// Sample weighted shortest paths with length 1 / weight (as
    /// [`BetweennessOptions::weighted_paths`]).
    pub weighted_paths: bool,
    /// Run on the rayon pool from this many samples on.
    pub parallel_threshold: usize,
}

impl Default for SampledBetweennessOptions {
    fn default() -> Self {
        SampledBetweennessOptions {
            epsilon: 0.01,
            delta: 0.1,
            c: 0.5,
            seed: 0,
            weighted_paths: false,
            parallel_threshold: 1_000,
        }
    }
}

/// The result of [`betweenness_sampled`].
#[derive(Debug, Clone, PartialEq)]
pub struct SampledBetweenness {
    /// Estimates on NetworkX's normalized scale (comparable with
    /// [`betweenness`] with default options).
    pub values: Vec<f64>,
    /// ε as requested (Riondato–Kornaropoulos scale).
    pub epsilon: f64,
    /// The error bound on NetworkX's normalized scale: ε · n/(n−2).
    pub epsilon_normalized: f64,
    /// δ as requested.
    pub delta: f64,
    /// The upper bound on the vertex diameter used.
    pub vertex_diameter_bound: usize,
    /// Number of sampled (s, t) pairs r.
    pub samples: usize,
}

/// Betweenness estimated from random shortest paths with a guarantee
/// (Riondato & Kornaropoulos 2016): with probability at least 1 − δ every
/// estimate is within ε of the true value b̃(v) = Σ_{s≠t} σ_st(v)/σ_st /
/// (n(n−1)).
///
/// Sample size r = ⌈(c/ε²)(⌊log₂(VD − 2)⌋ + 1 + ln(1/δ))⌉ where VD bounds the
/// vertex diameter (number of nodes on a longest shortest path). For an
/// undirected unweighted graph the bound is, per component, the sum of the
/// two largest BFS distances from one node plus one. For an undirected graph
/// with weighted paths (`weighted_paths`, length ℓ = 1/weight) it is the
/// paper's weighted bound: per component, a Dijkstra search from one node
/// gives the two largest distances d₁ ≥ d₂; every shortest path is at most
/// d₁ + d₂ long (triangle inequality through that node) and each of its
/// edges at least ℓ_min = 1 / (largest weight) long, so it has at most
/// ⌊(d₁ + d₂)/ℓ_min⌋ edges and VD ≤ ⌊(d₁ + d₂)/ℓ_min⌋ + 1, capped by the
/// component's size. For a directed graph the bound is the size of the
/// largest weakly connected component.
///
/// Each sample draws an ordered pair s ≠ t uniformly, then one shortest s–t
/// path uniformly among all of them: a BFS (or, with weighted paths, a
/// Dijkstra search counting shortest paths σ as Brandes does) from s, then a
/// walk back from t that steps from w to a predecessor v with probability
/// σ_sv / σ_sw. It adds 1/r to the path's interior nodes. The returned values
/// are rescaled by n/(n−2) to NetworkX's normalization, so the guarantee
/// there is `epsilon_normalized`.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] when ε or δ is not in (0, 1).
///
/// # Example
/// ```
/// use weaver_network::{betweenness_sampled, SampledBetweennessOptions, EdgeRecord, Graph, GraphOptions};
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let opts = SampledBetweennessOptions { epsilon: 0.05, ..Default::default() };
/// let est = betweenness_sampled(&g, &opts).unwrap();
/// // BFS from a: distances 1 and 2, so VD ≤ 2 + 1 + 1 = 4 (true value 3).
/// assert_eq!(est.vertex_diameter_bound, 4);
/// assert_eq!(est.samples, 861); // ⌈200 · (⌊log₂ 2⌋ + 1 + ln 10)⌉
/// assert_eq!(est.values[0], 0.0);
/// // Weighted: b–c is twice as strong (half as long), a–b–c is the only
/// // path; the weighted bound is ⌊(1 + 1.5) · 2⌋ + 1 = 6, capped at n = 3.
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 2.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions { directed: false, weighted: true }).unwrap();
/// let opts = SampledBetweennessOptions { epsilon: 0.05, weighted_paths: true, ..Default::default() };
/// let est = betweenness_sampled(&g, &opts).unwrap();
/// assert_eq!(est.vertex_diameter_bound, 3);
/// assert_eq!(est.samples, 661); // ⌈200 · (⌊log₂ 1⌋ + 1 + ln 10)⌉
/// ```
///
/// # References
/// Riondato, M., & Kornaropoulos, E. M. (2016). Fast approximation of
/// betweenness centrality through sampling. *Data Mining and Knowledge
/// Discovery* 30(2), 438–475. doi:10.1007/s10618-015-0423-0
pub fn betweenness_sampled(
    g: &Graph,
    options: &SampledBetweennessOptions,
) -> Result<SampledBetweenness, NetworkError> {
    for (name, v) in [("epsilon", options.epsilon), ("delta", options.delta)] {
        if !(v > 0.0 && v < 1.0) {
            return Err(NetworkError::InvalidArgument {
                name,
                value: v.to_string(),
                expected: "a number in (0, 1)",
            });
        }
    }
    let n = g.node_count();
    let weighted = options.weighted_paths;
    let vd = vertex_diameter_bound(g, weighted);
    let log_term = if vd > 2 {
        ((vd - 2) as f64).log2().floor()
    } else {
        0.0
    };
    let r = ((options.c / (options.epsilon * options.epsilon))
        * (log_term + 1.0 + (1.0 / options.delta).ln()))
    .ceil() as usize;
    let mut out = SampledBetweenness {
        values: vec![0.0; n],
        epsilon: options.epsilon,
        epsilon_normalized: if n > 2 {
            options.epsilon * n as f64 / (n as f64 - 2.0)
        } else {
            options.epsilon
        },
        delta: options.delta,
        vertex_diameter_bound: vd,
        samples: r,
    };
    if n < 3 {
        return Ok(out);
    }
    // Draw all pairs and per-sample seeds first so that the parallel path
    // gives exactly the serial result.
    let mut rng = Pcg64::seed_from_u64(options.seed);
    let draws: Vec<(usize, usize, u64)> = (0..r)
        .map(|_| {
            let s = rng.random_range(0..n);
            let mut t = rng.random_range(0..n - 1);
            if t >= s {
                t += 1;
            }
            (s, t, rng.random::<u64>())
        })
        .collect();
    let one = |sp: &mut Sssp, (s, t, seed): (usize, usize, u64), hits: &mut Vec<u32>| {
        sp.search_to(g, s, t, weighted);
        if sp.dist[t].is_infinite() {
            return;
        }
        let mut prng = Pcg64::seed_from_u64(seed);
        let mut w = t;
        while w != s {
            // Choose a predecessor v with probability σ_v / σ_w; the test of
            // a predecessor is the one that counted σ_w, so the σ_v of the
            // predecessors sum to σ_w.
            let target = prng.random::<f64>() * sp.sigma[w];
            let mut cum = 0.0;
            let mut chosen = usize::MAX;
            for (&v, &wt) in g.in_neighbors(w).iter().zip(g.in_weights(w)) {
                if sp.is_pred(v, w, wt, weighted) {
                    cum += sp.sigma[v];
                    chosen = v;
                    if cum > target {
                        break;
                    }
                }
            }
            if chosen != s {
                hits.push(chosen as u32);
            }
            w = chosen;
        }
    };
    let counts: Vec<u64> = if r >= options.parallel_threshold {
        draws
            .par_iter()
            .fold(
                || (Sssp::new(n), vec![0u64; n], Vec::new()),
                |(mut sp, mut c, mut hits), &d| {
                    hits.clear();
                    one(&mut sp, d, &mut hits);
                    hits.iter().for_each(|&v| c[v as usize] += 1);
                    (sp, c, hits)
                },
            )
            .map(|(_, c, _)| c)
            .reduce(
                || vec![0u64; n],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    } else {
        let mut sp = Sssp::new(n);
        let mut c = vec![0u64; n];
        let mut hits = Vec::new();
        for &d in &draws {
            hits.clear();
            one(&mut sp, d, &mut hits);
            hits.iter().for_each(|&v| c[v as usize] += 1);
        }
        c
    };
    let scale = n as f64 / (n as f64 - 2.0) / r as f64;
    out.values = counts.iter().map(|&c| c as f64 * scale).collect();
    Ok(out)
}

/// Upper bound on the vertex diameter (see [`betweenness_sampled`]).
fn vertex_diameter_bound(g: &Graph, weighted: bool) -> usize {
    let comps = crate::components(g);
    if g.is_directed() {
        return comps.sizes.first().copied().unwrap_or(0);
    }
    if weighted {
        return weighted_vertex_diameter_bound(g, &comps);
    }
    let mut sp = Sssp::new(g.node_count());
    let mut seen = vec![false; comps.sizes.len()];
    let mut best = 0;
    for v in 0..g.node_count() {
        let c = comps.membership[v];
        if seen[c] {
            continue;
        }
        seen[c] = true;
        sp.bfs(g, v, false, None);
        let (mut d1, mut d2) = (0usize, 0usize);
        for &u in &sp.order {
            let d = sp.dist[u] as usize;
            if d > d1 {
                d2 = d1;
                d1 = d;
            } else if d > d2 {
                d2 = d;
            }
        }
        best = best.max(d1 + d2 + 1);
    }
    best
}

/// The weighted bound of [`betweenness_sampled`]: per component
/// min(size, ⌊(d₁ + d₂) · w_max⌋ + 1), d₁ ≥ d₂ the two largest Dijkstra
/// distances (length 1/weight) from the component's first node and w_max
/// the largest weight in the component (1/w_max the shortest edge).
fn weighted_vertex_diameter_bound(g: &Graph, comps: &crate::Components) -> usize {
    let n = g.node_count();
    let k = comps.sizes.len();
    let mut w_max = vec![0.0f64; k];
    for v in 0..n {
        let c = comps.membership[v];
        for &w in g.out_weights(v) {
            w_max[c] = w_max[c].max(w);
        }
    }
    let mut sp = Sssp::new(n);
    let mut seen = vec![false; k];
    let mut best = 0;
    for v in 0..n {
        let c = comps.membership[v];
        if seen[c] {
            continue;
        }
        seen[c] = true;
        if comps.sizes[c] < 2 {
            best = best.max(comps.sizes[c]);
            continue;
        }
        sp.dijkstra(g, v, false, None);
        let (mut d1, mut d2) = (0.0f64, 0.0f64);
        for &u in &sp.order {
            let d = sp.dist[u];
            if d > d1 {
                d2 = d1;
                d1 = d;
            } else if d > d2 {
                d2 = d;
            }
        }
        // Edges on a shortest path: at most its length over the shortest
        // edge. The product is rounded up by a relative 1e-9 so that a
        // rounding error cannot lower the bound below an integer it equals.
        let edges = ((d1 + d2) * w_max[c] * (1.0 + 1e-9)).floor();
        let bound = if edges.is_finite() && edges < comps.sizes[c] as f64 {
            edges as usize + 1
        } else {
            comps.sizes[c]
        };
        best = best.max(bound);
    }
    best
}

/// Average shortest path length within the graph (all ordered pairs must be
/// connected), NetworkX `average_shortest_path_length(G)`; `None` when some
/// pair is disconnected or n < 2.
pub(crate) fn average_path_length(g: &Graph, parallel_threshold: usize) -> Option<f64> {
    let n = g.node_count();
    if n < 2 {
        return None;
    }
    let unreached = std::sync::atomic::AtomicBool::new(false);
    let sums = all_sources(g, parallel_threshold, |sp, s, acc| {
        sp.bfs(g, s, false, None);
        if sp.order.len() < n {
            unreached.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        acc[s] = sp.order.iter().map(|&v| sp.dist[v]).sum();
    });
    if unreached.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    Some(sums.iter().sum::<f64>() / (n as f64 * (n as f64 - 1.0)))
}
