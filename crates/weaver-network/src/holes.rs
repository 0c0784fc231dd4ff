//! Burt's structural holes: effective size and constraint.

use crate::Graph;

/// Options of [`constraint`] and [`effective_size`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HolesOptions {
    /// Use edge weights as tie strengths (NetworkX default `weight=None`:
    /// every tie counts 1).
    pub weighted: bool,
}

/// Per node: total and maximum mutual weight over its neighbours.
fn mutual_totals(g: &Graph, weighted: bool) -> (Vec<f64>, Vec<f64>) {
    let n = g.node_count();
    let mut tot = vec![0.0; n];
    let mut max = vec![0.0f64; n];
    for v in 0..n {
        g.for_each_mutual(v, |u, w| {
            let m = mutual(g, v, u, w, weighted);
            tot[v] += m;
            max[v] = max[v].max(m);
        });
    }
    (tot, max)
}

/// Mutual weight a_vu + a_uv; `w` is the summed weight `for_each_mutual`
/// gave. Unweighted, an arc counts 1 (so a reciprocated pair counts 2).
#[inline]
fn mutual(g: &Graph, v: usize, u: usize, w: f64, weighted: bool) -> f64 {
    if weighted {
        w
    } else if g.is_directed() {
        f64::from(u8::from(g.edge_weight(v, u).is_some()))
            + f64::from(u8::from(g.edge_weight(u, v).is_some()))
    } else {
        1.0
    }
}

/// Collects the neighbours of `v` with their mutual weights.
fn mutual_list(g: &Graph, v: usize, weighted: bool, out: &mut Vec<(usize, f64)>) {
    out.clear();
    g.for_each_mutual(v, |u, w| out.push((u, mutual(g, v, u, w, weighted))));
}

/// Burt's constraint of every node, equal to NetworkX `constraint(G)`.
///
/// c(u) = Σ_{v∈N(u)} (p_uv + Σ_{w∈N(u)} p_uw p_wv)², with mutual weight
/// mw(u,v) = a_uv + a_vu (a = edge weight, or 1 per arc when unweighted),
/// p_uv = mw(u,v) / Σ_{w∈N(u)} mw(u,w), and N(u) the neighbours in either
/// direction. Isolated nodes get `NaN`.
///
/// # Example
/// ```
/// use weaver_network::{constraint, HolesOptions, EdgeRecord, Graph, GraphOptions};
/// // The weighted example of docs/methods.md (Structural holes).
/// let e: Vec<_> = [(0, 1, 2.0), (0, 2, 1.0), (1, 2, 1.0), (0, 3, 3.0), (3, 4, 1.0)]
///     .iter().map(|(s, t, w)| EdgeRecord::new(s.to_string(), t.to_string(), *w)).collect();
/// let opts = GraphOptions { directed: false, weighted: true };
/// let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
/// let c = constraint(&g, &HolesOptions { weighted: true });
/// assert!((c[0] - 0.500772).abs() < 1e-6);
/// assert!((c[2] - 1.138889).abs() < 1e-6);
/// ```
///
/// # References
/// Burt, R. S. (1992). *Structural Holes: The Social Structure of
/// Competition*. Harvard University Press.
/// Burt, R. S. (2004). Structural holes and good ideas. *American Journal of
/// Sociology* 110(2), 349–399.
pub fn constraint(g: &Graph, options: &HolesOptions) -> Vec<f64> {
    let n = g.node_count();
    let (tot, _) = mutual_totals(g, options.weighted);
    // Dense scratch: for the ego u, `acc[x]` collects Σ_w p_uw p_wx for
    // x ∈ N(u); `mark[x] == u` flags membership of N(u).
    let mut acc = vec![0.0; n];
    let mut mark = vec![usize::MAX; n];
    let mut ego = Vec::new();
    let mut alter = Vec::new();
    (0..n)
        .map(|u| {
            mutual_list(g, u, options.weighted, &mut ego);
            if ego.is_empty() {
                return f64::NAN;
            }
            for &(v, _) in &ego {
                mark[v] = u;
                acc[v] = 0.0;
            }
            for &(w, m_uw) in &ego {
                let p_uw = m_uw / tot[u];
                mutual_list(g, w, options.weighted, &mut alter);
                for &(x, m_wx) in &alter {
                    if mark[x] == u && tot[w] != 0.0 {
                        acc[x] += p_uw * (m_wx / tot[w]);
                    }
                }
            }
            ego.iter()
                .map(|&(v, m_uv)| {
                    let s = m_uv / tot[u] + acc[v];
                    s * s
                })
                .sum()
        })
        .collect()
}

/// Burt's effective size of every node, equal to NetworkX
/// `effective_size(G)` (its per-node formula).
///
/// e(u) = Σ_{v∈N(u)} [1 − Σ_{w∈N(u)} p_uw m_vw], with p as in [`constraint`]
/// and m_vw = mw(v,w) / max_{x∈N(v)} mw(v,x). For an unweighted undirected
/// graph this is Borgatti's n − 2t/n (t ties among the n alters). Isolated
/// nodes get `NaN`.
///
/// # Example
/// ```
/// use weaver_network::{effective_size, HolesOptions, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [(0, 1, 2.0), (0, 2, 1.0), (1, 2, 1.0), (0, 3, 3.0), (3, 4, 1.0)]
///     .iter().map(|(s, t, w)| EdgeRecord::new(s.to_string(), t.to_string(), *w)).collect();
/// let opts = GraphOptions { directed: false, weighted: true };
/// let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
/// let es = effective_size(&g, &HolesOptions { weighted: true });
/// assert!((es[0] - 2.583333).abs() < 1e-6);
/// assert!((es[1] - 1.222222).abs() < 1e-6);
/// ```
///
/// # Notes
/// NetworkX 3.6.1's whole-graph fast path normalises differently for
/// weighted graphs (an open upstream bug) and, dividing integer matrices in
/// place, for unweighted directed graphs; this function follows the per-node
/// formula above, which NetworkX uses when given `nodes`. That per-node path
/// also returns `NaN` for a directed node with in-arcs only; here such a node
/// gets the formula's value (mutual weights do not depend on direction).
///
/// # References
/// Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
/// Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
/// measures. *Connections* 20(1), 35–38.
pub fn effective_size(g: &Graph, options: &HolesOptions) -> Vec<f64> {
    let n = g.node_count();
    let (tot, max) = mutual_totals(g, options.weighted);
    let mut mark = vec![usize::MAX; n];
    let mut ego = Vec::new();
    let mut alter = Vec::new();
    (0..n)
        .map(|u| {
            mutual_list(g, u, options.weighted, &mut ego);
            if ego.is_empty() {
                return f64::NAN;
            }
            for &(v, _) in &ego {
                mark[v] = u;
            }
            // Σ_v Σ_w p_uw m_vw = Σ_w p_uw Σ_{v ∈ N(u) ∩ N(w)} mw(v,w)/max(v).
            let mut redundancy = 0.0;
            for &(w, m_uw) in &ego {
                let p_uw = m_uw / tot[u];
                mutual_list(g, w, options.weighted, &mut alter);
                for &(v, m_wv) in &alter {
                    if mark[v] == u {
                        redundancy += p_uw * m_wv / max[v];
                    }
                }
            }
            ego.len() as f64 - redundancy
        })
        .collect()
}
