//! Who should meet whom: link-prediction scores as NetworkX defines them and a
//! recommender that explains its suggestions.

use rand_pcg::Pcg64;

use crate::{CommunityOptions, Graph, NetworkError, communities};

/// A structural link-prediction score (NetworkX `link_prediction.py`). On a
/// directed graph the undirected version is used (NetworkX refuses directed
/// graphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkScore {
    /// |N(u) ∩ N(v)| (`len(list(nx.common_neighbors(G, u, v)))`).
    CommonNeighbors,
    /// |N(u) ∩ N(v)| / |N(u) ∪ N(v)|, 0 when the union is empty
    /// (`jaccard_coefficient`).
    Jaccard,
    /// Σ_{w ∈ N(u) ∩ N(v)} 1 / ln d(w) (`adamic_adar_index`).
    #[default]
    AdamicAdar,
    /// Σ_{w ∈ N(u) ∩ N(v)} 1 / d(w) (`resource_allocation_index`).
    ResourceAllocation,
    /// d(u) · d(v) (`preferential_attachment`).
    PreferentialAttachment,
}

impl LinkScore {
    /// All scores, in documentation order.
    pub const ALL: [LinkScore; 5] = [
        LinkScore::CommonNeighbors,
        LinkScore::Jaccard,
        LinkScore::AdamicAdar,
        LinkScore::ResourceAllocation,
        LinkScore::PreferentialAttachment,
    ];

    /// The snake-case name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LinkScore::CommonNeighbors => "common_neighbors",
            LinkScore::Jaccard => "jaccard",
            LinkScore::AdamicAdar => "adamic_adar",
            LinkScore::ResourceAllocation => "resource_allocation",
            LinkScore::PreferentialAttachment => "preferential_attachment",
        }
    }
}

/// Common neighbours of u and v in an undirected graph (sorted lists).
fn common(g: &Graph, u: usize, v: usize, mut f: impl FnMut(usize)) {
    let (a, b) = (g.out_neighbors(u), g.out_neighbors(v));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

fn score_undirected(g: &Graph, u: usize, v: usize, score: LinkScore) -> f64 {
    let mut cn = 0usize;
    let mut aa = 0.0;
    let mut ra = 0.0;
    common(g, u, v, |w| {
        cn += 1;
        let d = g.out_degree(w) as f64;
        aa += 1.0 / d.ln();
        ra += 1.0 / d;
    });
    let (du, dv) = (g.out_degree(u), g.out_degree(v));
    match score {
        LinkScore::CommonNeighbors => cn as f64,
        LinkScore::Jaccard => {
            let union = du + dv - cn;
            if union == 0 {
                0.0
            } else {
                cn as f64 / union as f64
            }
        }
        LinkScore::AdamicAdar => aa,
        LinkScore::ResourceAllocation => ra,
        LinkScore::PreferentialAttachment => (du * dv) as f64,
    }
}

/// Scores node pairs with a link-prediction index, equal to the NetworkX
/// function of the same name.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] when a pair names a node outside the
/// graph.
///
/// # Example
/// ```
/// use weaver_network::{link_scores, LinkScore, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// // a and d share b and c (each of degree 2).
/// let s = link_scores(&g, &[(0, 3)], LinkScore::ResourceAllocation).unwrap();
/// assert_eq!(s, vec![1.0]);
/// let s = link_scores(&g, &[(0, 3)], LinkScore::Jaccard).unwrap();
/// assert_eq!(s, vec![1.0]);
/// ```
///
/// # Notes
/// Adamic–Adar divides by ln d(w), which is never 0 for a common
/// neighbour of two distinct nodes (its degree is at least 2).
///
/// # References
/// Liben-Nowell, D., & Kleinberg, J. (2007). The link-prediction problem for
/// social networks. *JASIST* 58(7), 1019–1031. Adamic, L. A., & Adar, E.
/// (2003). Friends and neighbors on the Web. *Social Networks* 25(3),
/// 211–230. Zhou, T., Lü, L., & Zhang, Y.-C. (2009). Predicting missing
/// links via local information. *European Physical Journal B* 71, 623–630.
pub fn link_scores(
    g: &Graph,
    pairs: &[(usize, usize)],
    score: LinkScore,
) -> Result<Vec<f64>, NetworkError> {
    let n = g.node_count();
    if let Some(&(u, v)) = pairs.iter().find(|&&(u, v)| u >= n || v >= n) {
        return Err(NetworkError::InvalidArgument {
            name: "pair",
            value: format!("({u}, {v})"),
            expected: "node indices of the graph",
        });
    }
    let und;
    let g = if g.is_directed() {
        und = g.to_undirected();
        &und
    } else {
        g
    };
    Ok(pairs
        .iter()
        .map(|&(u, v)| score_undirected(g, u, v, score))
        .collect())
}

/// Options of [`recommend`].
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendOptions {
    /// The structural score (default Adamic–Adar).
    pub score: LinkScore,
    /// Weight of the structural score (scaled to [0, 1] by its maximum over
    /// the candidates); default 0.5.
    pub structural_weight: f64,
    /// Weight of complementarity; default 0.3.
    pub complementarity_weight: f64,
    /// Weight of bridging; default 0.2.
    pub bridging_weight: f64,
    /// Suggestions per node (each pair is listed once, under its first node
    /// in node order, and counts for both); default 5.
    pub per_node: usize,
    /// Only suggestions for this node, when given.
    pub only: Option<usize>,
    /// Options of the community detection used for bridging.
    pub communities: CommunityOptions,
}

impl Default for RecommendOptions {
    fn default() -> Self {
        RecommendOptions {
            score: LinkScore::AdamicAdar,
            structural_weight: 0.5,
            complementarity_weight: 0.3,
            bridging_weight: 0.2,
            per_node: 5,
            only: None,
            communities: CommunityOptions::default(),
        }
    }
}

/// Node attributes the recommender reads (one value per node, `None` when
/// unknown).
#[derive(Debug, Clone, Copy, Default)]
pub struct RecommendAttributes<'a> {
    /// Actor type (government, enterprise, university, …).
    pub actor_type: Option<&'a [Option<String>]>,
    /// Field (technology or industry).
    pub field: Option<&'a [Option<String>]>,
}

/// One suggested tie with its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// First node (index).
    pub source: usize,
    /// Second node (index).
    pub target: usize,
    /// Combined score: Σ weight · component.
    pub score: f64,
    /// Structural score scaled to [0, 1].
    pub structural: f64,
    /// The raw structural score.
    pub structural_raw: f64,
    /// Complementarity in [0, 1]: half for different actor types, half for
    /// the same field.
    pub complementarity: f64,
    /// Bridging in {0, 1}: the pair joins two communities.
    pub bridging: f64,
    /// Number of common neighbours.
    pub common_neighbors: usize,
    /// Reasons a person can read.
    pub reasons: Vec<String>,
}

/// Suggests new ties ("who should meet whom"): every non-adjacent pair with
/// at least one common neighbour is a candidate, scored as
///
/// score = w_s · s/s_max + w_c · complementarity + w_b · bridging,
///
/// where s is the structural link-prediction score, complementarity is ½ for
/// different actor types plus ½ for the same field (only the attributes
/// given count), and bridging is 1 when the two nodes are in different
/// communities (Leiden, modularity), so that the tie would span a
/// structural hole between groups their common partners now broker. Each
/// node keeps its `per_node` best suggestions; the result is sorted by
/// decreasing score (ties by node order).
///
/// # Errors
/// [`NetworkError::AttributeLength`] when an attribute does not have one
/// value per node; [`NetworkError::InvalidArgument`] for a negative weight
/// or an unknown `only` node.
///
/// # Example
/// ```
/// use weaver_network::{recommend, RecommendAttributes, RecommendOptions, EdgeRecord, Graph,
///     GraphOptions};
/// // uni and firm both work with lab; they have not met.
/// let e = vec![EdgeRecord::new("uni", "lab", 1.0), EdgeRecord::new("lab", "firm", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let types = vec![Some("university".to_string()), Some("research".into()),
///     Some("enterprise".into())];
/// let attrs = RecommendAttributes { actor_type: Some(&types), field: None };
/// let s = recommend(&g, attrs, &RecommendOptions::default()).unwrap();
/// assert_eq!((s[0].source, s[0].target, s[0].common_neighbors), (0, 2, 1));
/// assert_eq!(s[0].complementarity, 0.5);
/// assert!(s[0].reasons.iter().any(|r| r.contains("university")));
/// ```
pub fn recommend(
    g: &Graph,
    attrs: RecommendAttributes<'_>,
    options: &RecommendOptions,
) -> Result<Vec<Suggestion>, NetworkError> {
    let n = g.node_count();
    for (name, a) in [("actor_type", attrs.actor_type), ("field", attrs.field)] {
        if let Some(a) = a
            && a.len() != n
        {
            return Err(NetworkError::AttributeLength {
                name: name.into(),
                got: a.len(),
                expected: n,
            });
        }
    }
    for (name, w) in [
        ("structural_weight", options.structural_weight),
        ("complementarity_weight", options.complementarity_weight),
        ("bridging_weight", options.bridging_weight),
    ] {
        if !(w.is_finite() && w >= 0.0) {
            return Err(NetworkError::InvalidArgument {
                name,
                value: w.to_string(),
                expected: "a finite number >= 0",
            });
        }
    }
    if let Some(o) = options.only
        && o >= n
    {
        return Err(NetworkError::InvalidArgument {
            name: "only",
            value: o.to_string(),
            expected: "a node of the graph",
        });
    }
    let und = g.to_undirected();
    let part = communities(&und, &options.communities)?;
    // Candidates: pairs at distance 2.
    let mut cand: Vec<(usize, usize, usize)> = Vec::new();
    let mut mark = vec![usize::MAX; n];
    let mut count = vec![0usize; n];
    for u in 0..n {
        if options.only.is_some_and(|o| o != u) {
            continue;
        }
        for &x in und.out_neighbors(u) {
            mark[x] = u;
        }
        let mut touched = Vec::new();
        for &x in und.out_neighbors(u) {
            for &v in und.out_neighbors(x) {
                if v == u || mark[v] == u {
                    continue;
                }
                if options.only.is_none() && v < u {
                    continue;
                }
                if count[v] == 0 {
                    touched.push(v);
                }
                count[v] += 1;
            }
        }
        touched.sort_unstable();
        for v in touched {
            cand.push((u, v, count[v]));
            count[v] = 0;
        }
    }
    let raw: Vec<f64> = cand
        .iter()
        .map(|&(u, v, _)| score_undirected(&und, u, v, options.score))
        .collect();
    let max = raw.iter().copied().fold(0.0, f64::max);
    let mut all: Vec<Suggestion> = cand
        .iter()
        .zip(&raw)
        .map(|(&(u, v, cn), &s)| {
            let ids = g.ids();
            let mut reasons = vec![format!(
                "{cn} common partner{} ({} {:.3})",
                if cn == 1 { "" } else { "s" },
                options.score.name(),
                s
            )];
            let mut comp = 0.0;
            if let Some(t) = attrs.actor_type
                && let (Some(a), Some(b)) = (&t[u], &t[v])
                && a != b
            {
                comp += 0.5;
                reasons.push(format!("complementary actor types ({a} and {b})"));
            }
            if let Some(f) = attrs.field
                && let (Some(a), Some(b)) = (&f[u], &f[v])
                && a == b
            {
                comp += 0.5;
                reasons.push(format!("same field ({a})"));
            }
            let bridging = if part.membership[u] != part.membership[v] {
                reasons.push(format!(
                    "bridges communities {} and {} ({} and {} are now linked only through brokers)",
                    part.membership[u], part.membership[v], ids[u], ids[v]
                ));
                1.0
            } else {
                0.0
            };
            let structural = if max > 0.0 { s / max } else { 0.0 };
            Suggestion {
                source: u,
                target: v,
                score: options.structural_weight * structural
                    + options.complementarity_weight * comp
                    + options.bridging_weight * bridging,
                structural,
                structural_raw: s,
                complementarity: comp,
                bridging,
                common_neighbors: cn,
                reasons,
            }
        })
        .collect();
    all.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
    });
    // Keep each node's best `per_node`: a pair is kept when it is among the
    // best of either end.
    let mut kept = vec![0usize; n];
    let mut out = Vec::new();
    for s in all {
        if kept[s.source] < options.per_node || kept[s.target] < options.per_node {
            kept[s.source] += 1;
            kept[s.target] += 1;
            out.push(s);
        }
    }
    Ok(out)
}

/// Options of [`evaluate_links`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkEvalOptions {
    /// The score evaluated.
    pub score: LinkScore,
    /// L of precision@L (default 100).
    pub k: usize,
    /// Number of random (probe, non-edge) comparisons for the AUC when
    /// exact enumeration would need more (default 10,000).
    pub samples: usize,
    /// Seed of the sampled comparisons.
    pub seed: u64,
}

impl Default for LinkEvalOptions {
    fn default() -> Self {
        LinkEvalOptions {
            score: LinkScore::AdamicAdar,
            k: 100,
            samples: 10_000,
            seed: 0,
        }
    }
}

/// The result of [`evaluate_links`].
#[derive(Debug, Clone, PartialEq)]
pub struct LinkEvaluation {
    /// AUC = (n′ + 0.5 n″)/n over n comparisons of a probe pair with a
    /// non-edge: n′ probe scored higher, n″ equal. `NaN` without probes or
    /// non-edges.
    pub auc: f64,
    /// Share of probe pairs among the top-L candidates (pairs with a common
    /// neighbour, by decreasing score, ties by node order); `NaN` without
    /// candidates.
    pub precision: f64,
    /// The L used (at most the number of candidates).
    pub k: usize,
    /// Probe pairs evaluated.
    pub probes: usize,
    /// Comparisons made for the AUC.
    pub comparisons: usize,
    /// Whether the AUC enumerated every (probe, non-edge) pair.
    pub exact: bool,
}

/// Evaluates a link-prediction score on a split: `train` is the network up
/// to the split, `probes` the pairs (node indices of `train`) that became
/// linked afterwards and are not linked in `train`. Follows Lü & Zhou
/// (2011): AUC over (probe, non-edge) comparisons, exact when there are at
/// most `samples` comparisons, otherwise `samples` random ones (seeded);
/// precision@L among the candidate pairs at distance 2.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] for a probe outside the graph, a probe
/// that is already a tie or a self-pair.
///
/// # Example
/// ```
/// use weaver_network::{evaluate_links, LinkEvalOptions, LinkScore, EdgeRecord, Graph,
///     GraphOptions};
/// // Path a–b–c plus an isolated d; c–a then forms.
/// let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&ids, &e, GraphOptions::default()).unwrap();
/// let opts = LinkEvalOptions { score: LinkScore::CommonNeighbors, k: 1, ..Default::default() };
/// let r = evaluate_links(&g, &[(0, 2)], &opts).unwrap();
/// // Non-edges a–d, b–d, c–d all score 0 < 1: AUC 1, and a–c tops the list.
/// assert_eq!((r.auc, r.precision, r.comparisons, r.exact), (1.0, 1.0, 3, true));
/// ```
///
/// # References
/// Lü, L., & Zhou, T. (2011). Link prediction in complex networks: a survey.
/// *Physica A* 390(6), 1150–1170. doi:10.1016/j.physa.2010.11.027
pub fn evaluate_links(
    train: &Graph,
    probes: &[(usize, usize)],
    options: &LinkEvalOptions,
) -> Result<LinkEvaluation, NetworkError> {
    use rand::{RngExt, SeedableRng};
    let und = train.to_undirected();
    let n = und.node_count();
    let mut probe_set = std::collections::HashSet::new();
    for &(u, v) in probes {
        if u >= n || v >= n || u == v || und.edge_weight(u, v).is_some() {
            return Err(NetworkError::InvalidArgument {
                name: "probe",
                value: format!("({u}, {v})"),
                expected: "two distinct nodes of the graph not linked in it",
            });
        }
        probe_set.insert((u.min(v), u.max(v)));
    }
    let probes: Vec<(usize, usize)> = {
        let mut p: Vec<_> = probe_set.iter().copied().collect();
        p.sort_unstable();
        p
    };
    let score = |u: usize, v: usize| score_undirected(&und, u, v, options.score);
    let pairs_total = (n as u64) * (n as u64).saturating_sub(1) / 2;
    let non_edges = pairs_total - und.edge_count() as u64 - probes.len() as u64;
    let probe_scores: Vec<f64> = probes.iter().map(|&(u, v)| score(u, v)).collect();
    let (mut higher, mut equal, mut comparisons) = (0.0, 0.0, 0usize);
    let exact = (probes.len() as u64).saturating_mul(non_edges) <= options.samples as u64;
    let tally = |p: f64, x: f64, higher: &mut f64, equal: &mut f64, comparisons: &mut usize| {
        if p > x {
            *higher += 1.0;
        } else if p == x {
            *equal += 1.0;
        }
        *comparisons += 1;
    };
    if !probes.is_empty() && non_edges > 0 {
        if exact {
            for u in 0..n {
                for v in u + 1..n {
                    if und.edge_weight(u, v).is_some() || probe_set.contains(&(u, v)) {
                        continue;
                    }
                    let x = score(u, v);
                    for &p in &probe_scores {
                        tally(p, x, &mut higher, &mut equal, &mut comparisons);
                    }
                }
            }
        } else {
            let mut rng = Pcg64::seed_from_u64(options.seed);
            while comparisons < options.samples {
                let p = probe_scores[rng.random_range(0..probe_scores.len())];
                let (u, v) = loop {
                    let u = rng.random_range(0..n);
                    let v = rng.random_range(0..n);
                    let (u, v) = (u.min(v), u.max(v));
                    if u != v && und.edge_weight(u, v).is_none() && !probe_set.contains(&(u, v)) {
                        break (u, v);
                    }
                };
                tally(p, score(u, v), &mut higher, &mut equal, &mut comparisons);
            }
        }
    }
    let auc = if comparisons == 0 {
        f64::NAN
    } else {
        (higher + 0.5 * equal) / comparisons as f64
    };
    // Precision@L among the pairs at distance 2.
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    let mut mark = vec![usize::MAX; n];
    for u in 0..n {
        for &x in und.out_neighbors(u) {
            mark[x] = u;
        }
        let mut seen = std::collections::BTreeSet::new();
        for &x in und.out_neighbors(u) {
            for &v in und.out_neighbors(x) {
                if v > u && mark[v] != u {
                    seen.insert(v);
                }
            }
        }
        for v in seen {
            cands.push((score(u, v), u, v));
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let k = options.k.min(cands.len());
    let hits = cands[..k]
        .iter()
        .filter(|c| probe_set.contains(&(c.1, c.2)))
        .count();
    Ok(LinkEvaluation {
        auc,
        precision: if k == 0 {
            f64::NAN
        } else {
            hits as f64 / k as f64
        },
        k,
        probes: probes.len(),
        comparisons,
        exact,
    })
}
