//! Community detection: modularity, Louvain and Leiden (modularity with a
//! resolution parameter, or the Constant Potts Model), seeded and
//! deterministic for a seed.

use std::collections::VecDeque;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use crate::{Graph, NetworkError};

/// Modularity of a partition, equal to NetworkX
/// `community.modularity(G, communities, resolution=γ)` (weighted by the edge
/// weights, its default).
///
/// Undirected: Q = Σ_c [L_c/m − γ (K_c/2m)²], with m the total edge weight,
/// L_c the weight inside c and K_c the sum of the strengths in c. Directed
/// (Leicht & Newman 2008): Q = Σ_c [L_c/m − γ K_c^out K_c^in / m²].
///
/// # Arguments
/// * `membership` — community index of every node (any labels).
///
/// # Errors
/// [`NetworkError::AttributeLength`] when `membership` does not have one entry
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{modularity, EdgeRecord, Graph, GraphOptions};
/// // Two triangles joined by one edge, split in the obvious way.
/// let e: Vec<_> = [("a","b"),("b","c"),("c","a"),("d","e"),("e","f"),("f","d"),("c","d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0).unwrap();
/// assert!((q - 5.0 / 14.0).abs() < 1e-12); // 2·(3/7 − (7/14)²)
/// ```
///
/// # Notes
/// A graph without edges has modularity `NaN` (0/0).
///
/// # References
/// Newman, M. E. J., & Girvan, M. (2004). Finding and evaluating community
/// structure in networks. *Physical Review E* 69, 026113.
/// Reichardt, J., & Bornholdt, S. (2006). Statistical mechanics of community
/// detection. *Physical Review E* 74, 016110.
pub fn modularity(g: &Graph, membership: &[usize], resolution: f64) -> Result<f64, NetworkError> {
    let n = g.node_count();
    if membership.len() != n {
        return Err(NetworkError::AttributeLength {
            name: "membership".into(),
            got: membership.len(),
            expected: n,
        });
    }
    let k = membership.iter().max().map_or(0, |&c| c + 1);
    let mut inside = vec![0.0; k];
    let mut kout = vec![0.0; k];
    let mut kin = vec![0.0; k];
    let mut m = 0.0;
    for v in 0..n {
        let cv = membership[v];
        for (&u, &w) in g.out_neighbors(v).iter().zip(g.out_weights(v)) {
            kout[cv] += w;
            kin[membership[u]] += w;
            if membership[u] == cv {
                inside[cv] += w;
            }
            m += w;
        }
    }
    if !g.is_directed() {
        // Every undirected edge was seen from both ends.
        m /= 2.0;
        inside.iter_mut().for_each(|x| *x /= 2.0);
    }
    if m == 0.0 {
        return Ok(f64::NAN);
    }
    let q = (0..k)
        .map(|c| {
            if g.is_directed() {
                inside[c] / m - resolution * kout[c] * kin[c] / (m * m)
            } else {
                inside[c] / m - resolution * (kout[c] / (2.0 * m)).powi(2)
            }
        })
        .sum();
    Ok(q)
}

/// The quality function optimised.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Quality {
    /// Modularity with resolution γ (γ = 1 is Newman–Girvan modularity).
    #[default]
    Modularity,
    /// Constant Potts Model: H = Σ_c [e_c − γ n_c(n_c − 1)/2], e_c the edge
    /// weight inside c and n_c its number of nodes. Traag, Van Dooren &
    /// Nesterov (2011).
    Cpm,
}

/// The algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommunityAlgorithm {
    /// Louvain (Blondel et al. 2008).
    Louvain,
    /// Leiden (Traag, Waltman & van Eck 2019).
    #[default]
    Leiden,
}

/// Options of [`communities`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommunityOptions {
    /// Louvain or Leiden.
    pub method: CommunityAlgorithm,
    /// Modularity or CPM.
    pub quality: Quality,
    /// Resolution γ (default 1).
    pub resolution: f64,
    /// Seed of the random node orders and Leiden's random merges.
    pub seed: u64,
    /// Leiden's randomness θ in the refinement (default 0.01).
    pub theta: f64,
    /// Leiden: maximum number of full iterations; it stops earlier when an
    /// iteration changes nothing (default 10).
    pub max_iterations: usize,
}

impl Default for CommunityOptions {
    fn default() -> Self {
        CommunityOptions {
            method: CommunityAlgorithm::Leiden,
            quality: Quality::Modularity,
            resolution: 1.0,
            seed: 0,
            theta: 0.01,
            max_iterations: 10,
        }
    }
}

/// A partition into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community of every node: 0 is the largest, ties broken by first
    /// appearance (lowest node index).
    pub membership: Vec<usize>,
    /// Size of each community, largest first.
    pub sizes: Vec<usize>,
    /// Newman–Girvan modularity (γ = 1) of the partition, as
    /// [`modularity`] computes it (`NaN` without edges).
    pub modularity: f64,
    /// The value of the optimised quality function (modularity with the
    /// given resolution, or CPM's H).
    pub quality: f64,
}

/// Weighted undirected working graph: adjacency without self-loops, the
/// weight `selfw[v]` of the edges inside v (counted twice, as A_vv), the
/// strength k_v (self weight included) and the number of original nodes.
#[derive(Debug, Clone)]
struct Work {
    adj: Vec<Vec<(usize, f64)>>,
    selfw: Vec<f64>,
    k: Vec<f64>,
    size: Vec<f64>,
    two_m: f64,
}

impl Work {
    fn from_graph(g: &Graph) -> Work {
        let u = g.to_undirected();
        let n = u.node_count();
        let adj: Vec<Vec<(usize, f64)>> = (0..n)
            .map(|v| {
                u.out_neighbors(v)
                    .iter()
                    .copied()
                    .zip(u.out_weights(v).iter().copied())
                    .collect()
            })
            .collect();
        let k: Vec<f64> = adj.iter().map(|a| a.iter().map(|p| p.1).sum()).collect();
        let two_m = k.iter().sum();
        Work {
            adj,
            selfw: vec![0.0; n],
            k,
            size: vec![1.0; n],
            two_m,
        }
    }

    fn n(&self) -> usize {
        self.adj.len()
    }

    /// Collapses each group of `membership` (labels 0..count) into a node.
    fn aggregate(&self, membership: &[usize], count: usize) -> Work {
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); count];
        let mut selfw = vec![0.0; count];
        let mut size = vec![0.0; count];
        let mut k = vec![0.0; count];
        let mut acc = vec![0.0; count];
        let mut touched = Vec::new();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (v, &c) in membership.iter().enumerate() {
            members[c].push(v);
        }
        for c in 0..count {
            for &v in &members[c] {
                selfw[c] += self.selfw[v];
                size[c] += self.size[v];
                k[c] += self.k[v];
                for &(u, w) in &self.adj[v] {
                    let cu = membership[u];
                    if cu == c {
                        selfw[c] += w;
                    } else {
                        if acc[cu] == 0.0 {
                            touched.push(cu);
                        }
                        acc[cu] += w;
                    }
                }
            }
            touched.sort_unstable();
            for &d in &touched {
                adj[c].push((d, acc[d]));
                acc[d] = 0.0;
            }
            touched.clear();
        }
        Work {
            adj,
            selfw,
            k,
            size,
            two_m: self.two_m,
        }
    }
}

/// Quality bookkeeping shared by the phases.
#[derive(Debug, Clone, Copy)]
struct Q {
    quality: Quality,
    gamma: f64,
    two_m: f64,
}

impl Q {
    /// The penalty of putting a node of strength `k`, size `s` with a group
    /// of strength `kc`, size `sc` (in edge-weight units).
    #[inline]
    fn penalty(&self, k: f64, s: f64, kc: f64, sc: f64) -> f64 {
        match self.quality {
            Quality::Modularity => self.gamma * k * kc / self.two_m,
            Quality::Cpm => self.gamma * s * sc,
        }
    }

    /// Converts a gain in edge-weight units to the quality's scale.
    #[inline]
    fn scale(&self, gain: f64) -> f64 {
        match self.quality {
            Quality::Modularity => 2.0 * gain / self.two_m,
            Quality::Cpm => gain,
        }
    }
}

/// Community totals of strength and size.
struct Totals {
    k: Vec<f64>,
    s: Vec<f64>,
    count: Vec<usize>,
    free: Vec<usize>,
}

impl Totals {
    fn new(w: &Work, comm: &[usize]) -> Totals {
        let n = w.n();
        let mut t = Totals {
            k: vec![0.0; n],
            s: vec![0.0; n],
            count: vec![0; n],
            free: Vec::new(),
        };
        for (v, &c) in comm.iter().enumerate() {
            t.k[c] += w.k[v];
            t.s[c] += w.size[v];
            t.count[c] += 1;
        }
        t.free = (0..n).rev().filter(|&c| t.count[c] == 0).collect();
        t
    }
}

/// Weights from `v` to each neighbouring community, in a dense scratch array.
struct Scratch {
    w: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            w: vec![0.0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }
    fn fill(&mut self, w: &Work, v: usize, comm: &[usize]) {
        for &c in &self.touched {
            self.w[c] = 0.0;
            self.seen[c] = false;
        }
        self.touched.clear();
        for &(u, wt) in &w.adj[v] {
            let c = comm[u];
            if !self.seen[c] {
                self.seen[c] = true;
                self.touched.push(c);
            }
            self.w[c] += wt;
        }
    }
}

/// Moves node `v` to its best community; returns whether it moved.
/// `allow_empty` lets it move to an empty community (Leiden).
fn best_move(
    w: &Work,
    v: usize,
    comm: &mut [usize],
    tot: &mut Totals,
    sc: &mut Scratch,
    q: &Q,
    allow_empty: bool,
) -> bool {
    sc.fill(w, v, comm);
    let old = comm[v];
    let (kv, sv) = (w.k[v], w.size[v]);
    tot.k[old] -= kv;
    tot.s[old] -= sv;
    tot.count[old] -= 1;
    let gain = |c: usize, tot: &Totals, sc: &Scratch| -> f64 {
        sc.w[c] - q.penalty(kv, sv, tot.k[c], tot.s[c])
    };
    let mut best = old;
    let mut best_gain = gain(old, tot, sc);
    for &c in &sc.touched {
        let g = gain(c, tot, sc);
        if g > best_gain {
            best = c;
            best_gain = g;
        }
    }
    if allow_empty && best_gain < 0.0 && tot.count[old] > 0 {
        // An empty community has gain 0. The free list may hold stale
        // entries (communities filled again since); skip them.
        while let Some(e) = tot.free.pop() {
            if tot.count[e] == 0 && e != old {
                best = e;
                break;
            }
        }
    }
    comm[v] = best;
    tot.k[best] += kv;
    tot.s[best] += sv;
    tot.count[best] += 1;
    if tot.count[old] == 0 && best != old {
        tot.free.push(old);
    }
    best != old
}

fn shuffled(n: usize, rng: &mut Pcg64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    order
}

/// Louvain's local moving: sweeps in a random order until no node moves.
fn louvain_move(w: &Work, comm: &mut [usize], q: &Q, rng: &mut Pcg64) -> bool {
    let mut tot = Totals::new(w, comm);
    let mut sc = Scratch::new(w.n());
    let order = shuffled(w.n(), rng);
    let mut any = false;
    loop {
        let mut moved = false;
        for &v in &order {
            if best_move(w, v, comm, &mut tot, &mut sc, q, false) {
                moved = true;
                any = true;
            }
        }
        if !moved {
            return any;
        }
    }
}

/// Leiden's fast local moving with a queue.
fn leiden_move(w: &Work, comm: &mut [usize], q: &Q, rng: &mut Pcg64) {
    let n = w.n();
    let mut tot = Totals::new(w, comm);
    let mut sc = Scratch::new(n);
    let mut queue: VecDeque<usize> = shuffled(n, rng).into();
    let mut queued = vec![true; n];
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        if best_move(w, v, comm, &mut tot, &mut sc, q, true) {
            for &(u, _) in &w.adj[v] {
                if !queued[u] && comm[u] != comm[v] {
                    queued[u] = true;
                    queue.push_back(u);
                }
            }
        }
    }
}

/// Leiden's refinement: within each community of `comm`, merge singletons
/// into well-connected refined communities at random (Pr ∝ exp(ΔH/θ)).
fn refine(w: &Work, comm: &[usize], q: &Q, theta: f64, rng: &mut Pcg64) -> Vec<usize> {
    let n = w.n();
    let mut refined: Vec<usize> = (0..n).collect();
    let mut rk = w.k.clone();
    let mut rs = w.size.clone();
    let mut singleton = vec![true; n];
    // Totals of the communities of `comm`.
    let mut ck = vec![0.0; n];
    let mut cs = vec![0.0; n];
    for v in 0..n {
        ck[comm[v]] += w.k[v];
        cs[comm[v]] += w.size[v];
    }
    // ext[r]: weight from refined community r to the rest of its community.
    let mut ext = vec![0.0; n];
    for v in 0..n {
        ext[v] = w.adj[v]
            .iter()
            .filter(|&&(u, _)| comm[u] == comm[v])
            .map(|p| p.1)
            .sum();
    }
    let mut sc = Scratch::new(n);
    let mut cand: Vec<(usize, f64)> = Vec::new();
    for v in shuffled(n, rng) {
        if !singleton[v] || refined[v] != v {
            continue;
        }
        let c = comm[v];
        let (kv, sv) = (w.k[v], w.size[v]);
        // v must be well connected to its community.
        if ext[v] < q.penalty(kv, sv, ck[c] - kv, cs[c] - sv) {
            continue;
        }
        sc.fill(w, v, &refined);
        cand.clear();
        cand.push((v, 0.0));
        for &r in &sc.touched {
            if r == v {
                continue;
            }
            // Only refined communities inside the same community of `comm`,
            // themselves well connected to it.
            let member_comm = comm[r_rep(r)];
            if member_comm != c {
                continue;
            }
            if ext[r] < q.penalty(rk[r], rs[r], ck[c] - rk[r], cs[c] - rs[r]) {
                continue;
            }
            let gain = sc.w[r] - q.penalty(kv, sv, rk[r], rs[r]);
            if gain >= 0.0 {
                cand.push((r, q.scale(gain)));
            }
        }
        // Random choice with Pr ∝ exp(ΔH/θ), computed relative to the max.
        let maxg = cand.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = cand.iter().map(|p| ((p.1 - maxg) / theta).exp()).sum();
        let mut x = rng.random::<f64>() * total;
        let mut chosen = cand[cand.len() - 1].0;
        for &(r, g) in &cand {
            x -= ((g - maxg) / theta).exp();
            if x < 0.0 {
                chosen = r;
                break;
            }
        }
        if chosen != v {
            let wvr = sc.w[chosen];
            refined[v] = chosen;
            rk[chosen] += kv;
            rs[chosen] += sv;
            rk[v] = 0.0;
            rs[v] = 0.0;
            ext[chosen] = ext[chosen] + ext[v] - 2.0 * wvr;
            singleton[chosen] = false;
            singleton[v] = false;
        }
    }
    refined
}

/// Refined communities are labelled by a member node (their seed node), so
/// the label itself is a representative node.
#[inline]
fn r_rep(r: usize) -> usize {
    r
}

/// Relabels `labels` to 0..count in order of first appearance.
fn compact(labels: &mut [usize]) -> usize {
    let mut map = vec![usize::MAX; labels.len().max(1)];
    let mut next = 0;
    for l in labels.iter_mut() {
        if map[*l] == usize::MAX {
            map[*l] = next;
            next += 1;
        }
        *l = map[*l];
    }
    next
}

/// Quality of a partition of the original graph (see [`Quality`]).
fn quality_of(w: &Work, membership: &[usize], q: &Q) -> f64 {
    let k = membership.iter().max().map_or(0, |&c| c + 1);
    let mut inside = vec![0.0; k];
    let mut kc = vec![0.0; k];
    let mut sc = vec![0.0; k];
    for v in 0..w.n() {
        let c = membership[v];
        kc[c] += w.k[v];
        sc[c] += w.size[v];
        inside[c] += w.selfw[v];
        for &(u, wt) in &w.adj[v] {
            if membership[u] == c {
                inside[c] += wt;
            }
        }
    }
    // inside counts each internal edge twice.
    match q.quality {
        Quality::Modularity => {
            if w.two_m == 0.0 {
                return f64::NAN;
            }
            (0..k)
                .map(|c| inside[c] / w.two_m - q.gamma * (kc[c] / w.two_m).powi(2))
                .sum()
        }
        Quality::Cpm => (0..k)
            .map(|c| inside[c] / 2.0 - q.gamma * sc[c] * (sc[c] - 1.0) / 2.0)
            .sum(),
    }
}

/// Finds communities with Louvain or Leiden, optimising modularity (with
/// resolution γ) or CPM.
///
/// * **Louvain** (Blondel et al. 2008): repeated sweeps over the nodes in a
///   seeded random order, each node moving to the neighbouring community
///   with the largest gain (staying on ties), then aggregation of the
///   communities into nodes, until a level moves nothing.
/// * **Leiden** (Traag, Waltman & van Eck 2019): fast local moving with a
///   queue (a node can also move to an empty community); refinement, in
///   which singletons well connected to their community merge into
///   well-connected refined communities chosen at random with probability ∝
///   exp(ΔH/θ) among those with ΔH ≥ 0; aggregation of the refined
///   partition, the aggregate starting from the unrefined one. Whole
///   iterations repeat until one changes nothing (at most
///   `max_iterations`). Every community is connected.
///
/// A directed graph is taken as undirected (weights of both arcs summed).
/// Results are identical for the same graph, options and seed.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] when γ is negative or not finite, or θ
/// is not positive.
///
/// # Example
/// ```
/// use weaver_network::{communities, CommunityOptions, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a","b"),("b","c"),("c","a"),("d","e"),("e","f"),("f","d"),("c","d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let p = communities(&g, &CommunityOptions::default()).unwrap();
/// assert_eq!(p.membership, vec![0, 0, 0, 1, 1, 1]);
/// assert!((p.modularity - 5.0 / 14.0).abs() < 1e-12);
/// ```
///
/// # Notes
/// Isolated nodes stay alone. A graph without edges gives singletons with
/// modularity `NaN`. The trap of CPM with γ = 1 on an unweighted graph (it
/// rewards only cliques) is avoided by the default, modularity.
///
/// # References
/// Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008).
/// Fast unfolding of communities in large networks. *Journal of Statistical
/// Mechanics* P10008. doi:10.1088/1742-5468/2008/10/P10008
/// Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to
/// Leiden: guaranteeing well-connected communities. *Scientific Reports* 9,
/// 5233. doi:10.1038/s41598-019-41695-z
/// Traag, V. A., Van Dooren, P., & Nesterov, Y. (2011). Narrow scope for
/// resolution-limit-free community detection. *Physical Review E* 84, 016114.
pub fn communities(g: &Graph, options: &CommunityOptions) -> Result<Partition, NetworkError> {
    if !(options.resolution.is_finite() && options.resolution >= 0.0) {
        return Err(NetworkError::InvalidArgument {
            name: "resolution",
            value: options.resolution.to_string(),
            expected: "a finite number >= 0",
        });
    }
    if !(options.theta.is_finite() && options.theta > 0.0) {
        return Err(NetworkError::InvalidArgument {
            name: "theta",
            value: options.theta.to_string(),
            expected: "a finite number > 0",
        });
    }
    let base = Work::from_graph(g);
    let n = base.n();
    let q = Q {
        quality: options.quality,
        gamma: options.resolution,
        two_m: base.two_m,
    };
    let mut rng = Pcg64::seed_from_u64(options.seed);
    let mut membership: Vec<usize> = (0..n).collect();
    if n > 0 && base.two_m > 0.0 {
        match options.method {
            CommunityAlgorithm::Louvain => louvain(&base, &mut membership, &q, &mut rng),
            CommunityAlgorithm::Leiden => {
                let mut best = quality_of(&base, &membership, &q);
                for _ in 0..options.max_iterations.max(1) {
                    let before = membership.clone();
                    leiden_iteration(&base, &mut membership, &q, options.theta, &mut rng);
                    let now = quality_of(&base, &membership, &q);
                    if membership == before || now <= best {
                        if now < best {
                            membership = before;
                        }
                        break;
                    }
                    best = now;
                }
            }
        }
    }
    Ok(finish(g, &base, membership, &q))
}

fn louvain(base: &Work, membership: &mut [usize], q: &Q, rng: &mut Pcg64) {
    let mut w = base.clone();
    // node_of[v]: the aggregate node holding original node v.
    let mut node_of: Vec<usize> = (0..base.n()).collect();
    loop {
        let mut comm: Vec<usize> = (0..w.n()).collect();
        if !louvain_move(&w, &mut comm, q, rng) {
            break;
        }
        let count = compact(&mut comm);
        for x in node_of.iter_mut() {
            *x = comm[*x];
        }
        if count == w.n() {
            break;
        }
        w = w.aggregate(&comm, count);
    }
    membership.copy_from_slice(&node_of);
}

fn leiden_iteration(base: &Work, membership: &mut [usize], q: &Q, theta: f64, rng: &mut Pcg64) {
    let mut w = base.clone();
    let mut comm: Vec<usize> = membership.to_vec();
    compact(&mut comm);
    let mut node_of: Vec<usize> = (0..base.n()).collect();
    loop {
        leiden_move(&w, &mut comm, q, rng);
        let ncomm = compact(&mut comm);
        if ncomm == w.n() {
            break;
        }
        let mut refined = refine(&w, &comm, q, theta, rng);
        let mut count = compact(&mut refined);
        if count == w.n() {
            // The refinement merged nothing: aggregate the unrefined
            // partition so that the next level is smaller.
            refined.copy_from_slice(&comm);
            count = ncomm;
        }
        // The aggregate's nodes start in the community of their members.
        let mut next_comm = vec![0; count];
        for v in 0..w.n() {
            next_comm[refined[v]] = comm[v];
        }
        for x in node_of.iter_mut() {
            *x = refined[*x];
        }
        w = w.aggregate(&refined, count);
        comm = next_comm;
    }
    for (v, x) in node_of.iter().enumerate() {
        membership[v] = comm[*x];
    }
}

/// Numbers communities by decreasing size (ties by first appearance) and
/// computes the reported figures.
fn finish(g: &Graph, base: &Work, mut membership: Vec<usize>, q: &Q) -> Partition {
    let count = compact(&mut membership);
    let mut sizes = vec![0usize; count];
    for &c in &membership {
        sizes[c] += 1;
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
    let mut rank = vec![0; count];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    membership.iter_mut().for_each(|c| *c = rank[*c]);
    let sizes = order.iter().map(|&c| sizes[c]).collect();
    let undirected = g.to_undirected();
    let modularity = modularity(&undirected, &membership, 1.0).unwrap_or(f64::NAN);
    let quality = quality_of(base, &membership, q);
    Partition {
        membership,
        sizes,
        modularity,
        quality,
    }
}
