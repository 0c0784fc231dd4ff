//! Brokerage and openness: Gould–Fernandez brokerage roles, the
//! Krackhardt–Stern E-I index and shares of cross-group ties, and
//! Leydesdorff's mutual information in several dimensions (triple-helix
//! synergy).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{Graph, NetworkError};

/// A Gould–Fernandez brokerage role, or the total of the five.
///
/// Serialised, displayed and parsed as its lower-case name
/// (`coordinator`, …, `total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerageRole {
    /// Broker and both ends in one group (A→A→A; sna `w_I`).
    Coordinator,
    /// The two ends in one group, the broker in another (A→B→A; sna `w_O`).
    Itinerant,
    /// The source and the broker in one group, the target in another
    /// (A→A→B; sna `b_IO`).
    Representative,
    /// The broker and the target in one group, the source in another
    /// (A→B→B; sna `b_OI`).
    Gatekeeper,
    /// Three different groups (A→B→C; sna `b_O`).
    Liaison,
    /// All five together (sna `t`).
    Total,
}

impl BrokerageRole {
    /// The five roles and the total, in this order (sna's column order).
    pub const ALL: [BrokerageRole; 6] = [
        BrokerageRole::Coordinator,
        BrokerageRole::Itinerant,
        BrokerageRole::Representative,
        BrokerageRole::Gatekeeper,
        BrokerageRole::Liaison,
        BrokerageRole::Total,
    ];

    /// The lower-case name: `coordinator`, …, `total`.
    pub fn as_str(self) -> &'static str {
        match self {
            BrokerageRole::Coordinator => "coordinator",
            BrokerageRole::Itinerant => "itinerant",
            BrokerageRole::Representative => "representative",
            BrokerageRole::Gatekeeper => "gatekeeper",
            BrokerageRole::Liaison => "liaison",
            BrokerageRole::Total => "total",
        }
    }
}

impl std::fmt::Display for BrokerageRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One number per [`BrokerageRole`] (a count, an expected count, a standard
/// deviation or a z-score), read by role: `counts[BrokerageRole::Liaison]`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RoleValues([f64; 6]);

impl RoleValues {
    /// The values in the order of [`BrokerageRole::ALL`].
    pub fn values(&self) -> [f64; 6] {
        self.0
    }

    /// Each role with its value, in the order of [`BrokerageRole::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (BrokerageRole, f64)> + '_ {
        BrokerageRole::ALL.into_iter().zip(self.0)
    }
}

impl std::ops::Index<BrokerageRole> for RoleValues {
    type Output = f64;
    fn index(&self, role: BrokerageRole) -> &f64 {
        &self.0[role as usize]
    }
}

impl std::ops::IndexMut<BrokerageRole> for RoleValues {
    fn index_mut(&mut self, role: BrokerageRole) -> &mut f64 {
        &mut self.0[role as usize]
    }
}

/// Brokerage counts, expected values and z-scores of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Brokerage {
    /// Raw counts per node, by role.
    pub raw: Vec<RoleValues>,
    /// Expected counts under the random-graph null model, per node.
    pub expected: Vec<RoleValues>,
    /// Standard deviations under the null model, per node.
    pub sd: Vec<RoleValues>,
    /// (raw − expected)/sd; `NaN` where the standard deviation is 0.
    pub z: Vec<RoleValues>,
    /// Density d = m/(N(N−1)) with m the number of arcs.
    pub density: f64,
}

fn check_len<T>(g: &Graph, name: &str, v: &[T]) -> Result<(), NetworkError> {
    if v.len() == g.node_count() {
        Ok(())
    } else {
        Err(NetworkError::AttributeLength {
            name: name.to_owned(),
            got: v.len(),
            expected: g.node_count(),
        })
    }
}

/// Gould–Fernandez brokerage roles by a group attribute, counted as R's
/// `sna::brokerage` counts them, with its expected values and z-scores.
///
/// Node b brokers the ordered pair (a, c) when arcs a→b and b→c exist, a, b,
/// c are distinct and there is **no arc a→c**. With G(x) the group of x:
/// coordinator when G(a) = G(b) = G(c) (A→A→A); representative when G(a) =
/// G(b) ≠ G(c) (A→A→B); gatekeeper when G(a) ≠ G(b) = G(c) (A→B→B);
/// itinerant when G(a) = G(c) ≠ G(b) (A→B→A); liaison when all differ
/// (A→B→C). An undirected graph is a symmetric digraph: each open pair is
/// counted twice (a→b→c and c→b→a), and representative equals gatekeeper
/// in total.
///
/// Null model (sna, R/models.R): with d = m/(N(N−1)), m the number of arcs,
/// q = d²(1−d), n_i the size of the broker's group:
/// E(coordinator) = q(n_i−1)(n_i−2); E(itinerant) = q Σ_{j≠i} n_j(n_j−1);
/// E(representative) = E(gatekeeper) = q(N−n_i)(n_i−1);
/// E(liaison) = q((Σ_{j≠i} n_j)² − Σ_{j≠i} n_j²); E(total) = q(N−1)(N−2).
/// Each variance is E(1−q) plus a covariance term in d³(1−d)³ (see the
/// source); z = (raw − E)/√Var.
///
/// # Arguments
/// * `groups` — group code of every node (see [`crate::encode_groups`]).
///
/// # Errors
/// [`NetworkError::AttributeLength`] when `groups` does not have one entry
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{brokerage, BrokerageRole, EdgeRecord, Graph, GraphOptions};
/// // Path a–b–c, groups A, B, A: b is an itinerant broker twice.
/// let e = vec![EdgeRecord::new("a", "b", 1.0), EdgeRecord::new("b", "c", 1.0)];
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let b = brokerage(&g, &[0, 1, 0]).unwrap();
/// assert_eq!(b.raw[1][BrokerageRole::Itinerant], 2.0);
/// assert_eq!(b.raw[1].values(), [0.0, 2.0, 0.0, 0.0, 0.0, 2.0]);
/// ```
///
/// # References
/// Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a
/// formal approach to brokerage in transaction networks. *Sociological
/// Methodology* 19, 89–126. Butts, C. T. (2008). Social network analysis
/// with sna. *Journal of Statistical Software* 24(6).
pub fn brokerage(g: &Graph, groups: &[usize]) -> Result<Brokerage, NetworkError> {
    check_len(g, "groups", groups)?;
    let n = g.node_count();
    use BrokerageRole as R;
    let mut raw = vec![RoleValues::default(); n];
    for b in 0..n {
        let gb = groups[b];
        for &a in g.in_neighbors(b) {
            let ga = groups[a];
            let a_out = g.out_neighbors(a);
            for &c in g.out_neighbors(b) {
                if c == a || a_out.binary_search(&c).is_ok() {
                    continue;
                }
                let gc = groups[c];
                let role = if gb == ga {
                    if gb == gc {
                        R::Coordinator
                    } else {
                        R::Representative
                    }
                } else if gb == gc {
                    R::Gatekeeper
                } else if ga == gc {
                    R::Itinerant
                } else {
                    R::Liaison
                };
                raw[b][role] += 1.0;
                raw[b][R::Total] += 1.0;
            }
        }
    }
    let nf = n as f64;
    let arcs = if g.is_directed() {
        g.edge_count()
    } else {
        2 * g.edge_count()
    } as f64;
    let d = if n > 1 { arcs / (nf * (nf - 1.0)) } else { 0.0 };
    let q = d * d * (1.0 - d);
    let c3 = d.powi(3) * (1.0 - d).powi(3);
    let k = groups.iter().max().map_or(0, |&c| c + 1);
    let mut size = vec![0.0f64; k];
    for &c in groups {
        size[c] += 1.0;
    }
    let choose2 = |x: f64| x * (x - 1.0) / 2.0;
    // Moments by the broker's group.
    let moments: Vec<(RoleValues, RoleValues)> = (0..k)
        .map(|i| {
            let ni = size[i];
            let others = || (0..k).filter(move |&j| j != i).map(|j| size[j]);
            let mut e = RoleValues::default();
            let mut v = RoleValues::default();
            e[R::Coordinator] = q * (ni - 1.0) * (ni - 2.0);
            v[R::Coordinator] =
                e[R::Coordinator] * (1.0 - q) + 2.0 * (ni - 1.0) * (ni - 2.0) * (ni - 3.0) * c3;
            e[R::Itinerant] = q * others().map(|x| x * (x - 1.0)).sum::<f64>();
            v[R::Itinerant] = e[R::Itinerant] * (1.0 - q)
                + 2.0 * others().map(|x| x * (x - 1.0) * (x - 2.0)).sum::<f64>() * c3;
            e[R::Representative] = q * (nf - ni) * (ni - 1.0);
            v[R::Representative] = e[R::Representative] * (1.0 - q)
                + 2.0 * ((ni - 1.0) * choose2(nf - ni) + (nf - ni) * choose2(ni - 1.0)) * c3;
            e[R::Gatekeeper] = e[R::Representative];
            v[R::Gatekeeper] = v[R::Representative];
            let s: f64 = others().sum();
            let s2: f64 = others().map(|x| x * x).sum();
            e[R::Liaison] = q * (s * s - s2);
            v[R::Liaison] = e[R::Liaison] * (1.0 - q)
                + 4.0 * others().map(|x| x * choose2(nf - x - ni)).sum::<f64>() * c3;
            e[R::Total] = q * (nf - 1.0) * (nf - 2.0);
            v[R::Total] = e[R::Total] * (1.0 - q) + 2.0 * (nf - 1.0) * (nf - 2.0) * (nf - 3.0) * c3;
            (e, v)
        })
        .collect();
    let mut expected = vec![RoleValues::default(); n];
    let mut sd = vec![RoleValues::default(); n];
    let mut z = vec![RoleValues::default(); n];
    for v in 0..n {
        let (e, var) = &moments[groups[v]];
        for r in BrokerageRole::ALL {
            expected[v][r] = e[r];
            sd[v][r] = var[r].sqrt();
            z[v][r] = if sd[v][r] > 0.0 {
                (raw[v][r] - e[r]) / sd[v][r]
            } else {
                f64::NAN
            };
        }
    }
    Ok(Brokerage {
        raw,
        expected,
        sd,
        z,
        density: d,
    })
}

/// Krackhardt–Stern E-I index and cross-group tie counts for one grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct EiIndex {
    /// External ties (ends in different groups).
    pub external: usize,
    /// Internal ties (ends in the same group).
    pub internal: usize,
    /// (E − I)/(E + I) over the whole network; `NaN` without ties.
    pub index: f64,
    /// Share of cross-group ties E/(E + I) (跨主体、跨区域、跨集群 shares when
    /// grouping by actor type, region, cluster); `NaN` without ties.
    pub cross_share: f64,
    /// Per group (in code order): (external, internal, index). A group's
    /// external ties are those with one end in it.
    pub by_group: Vec<(usize, usize, f64)>,
    /// Per node: (external, internal, index); `NaN` index for a node without
    /// ties to nodes with a group, or without a group itself.
    pub by_node: Vec<(usize, usize, f64)>,
}

fn ei(e: usize, i: usize) -> f64 {
    if e + i == 0 {
        f64::NAN
    } else {
        (e as f64 - i as f64) / (e + i) as f64
    }
}

/// The E-I index of Krackhardt and Stern (1988): (EL − IL)/(EL + IL), with
/// EL the ties between groups and IL the ties within groups, for the whole
/// network, per group and per node. Ties (arcs, for a directed graph) with
/// an end without a group are left out.
///
/// # Errors
/// [`NetworkError::AttributeLength`] when `groups` does not have one entry
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{ei_index, EdgeRecord, Graph, GraphOptions};
/// let e: Vec<_> = [("a", "b"), ("b", "c"), ("c", "d")]
///     .iter().map(|(s, t)| EdgeRecord::new(*s, *t, 1.0)).collect();
/// let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
/// let r = ei_index(&g, &[Some(0), Some(0), Some(1), Some(1)]).unwrap();
/// assert_eq!((r.external, r.internal), (1, 2));
/// assert!((r.index + 1.0 / 3.0).abs() < 1e-12);
/// assert_eq!(r.by_node[1], (1, 1, 0.0));
/// ```
///
/// # References
/// Krackhardt, D., & Stern, R. N. (1988). Informal networks and
/// organizational crises: an experimental simulation. *Social Psychology
/// Quarterly* 51(2), 123–140.
pub fn ei_index(g: &Graph, groups: &[Option<usize>]) -> Result<EiIndex, NetworkError> {
    check_len(g, "groups", groups)?;
    let n = g.node_count();
    let k = groups.iter().flatten().max().map_or(0, |&c| c + 1);
    let (mut ext, mut int) = (0, 0);
    let mut by_group = vec![(0usize, 0usize); k];
    let mut by_node = vec![(0usize, 0usize); n];
    for v in 0..n {
        let Some(gv) = groups[v] else { continue };
        for &u in g.out_neighbors(v) {
            if !g.is_directed() && u < v {
                continue;
            }
            let Some(gu) = groups[u] else { continue };
            if gu == gv {
                int += 1;
                by_group[gv].1 += 1;
                by_node[v].1 += 1;
                by_node[u].1 += 1;
            } else {
                ext += 1;
                by_group[gv].0 += 1;
                by_group[gu].0 += 1;
                by_node[v].0 += 1;
                by_node[u].0 += 1;
            }
        }
    }
    Ok(EiIndex {
        external: ext,
        internal: int,
        index: ei(ext, int),
        cross_share: if ext + int == 0 {
            f64::NAN
        } else {
            ext as f64 / (ext + int) as f64
        },
        by_group: by_group.iter().map(|&(e, i)| (e, i, ei(e, i))).collect(),
        by_node: by_node
            .iter()
            .zip(groups)
            .map(|(&(e, i), gr)| (e, i, if gr.is_some() { ei(e, i) } else { f64::NAN }))
            .collect(),
    })
}

/// Shannon entropy in bits of the joint distribution of the given columns
/// over the rows in `rows`.
fn joint_entropy(columns: &[&[usize]], pick: &[usize], rows: &[usize]) -> f64 {
    let mut counts: HashMap<Vec<usize>, usize> = HashMap::new();
    for &r in rows {
        let key: Vec<usize> = pick.iter().map(|&c| columns[c][r]).collect();
        *counts.entry(key).or_insert(0) += 1;
    }
    let total = rows.len() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// Mutual information among 2, 3 or 4 categorical variables in bits, as
/// Leydesdorff uses it for triple-helix synergy:
/// T = Σ_{S ⊆ {1..k}, S ≠ ∅} (−1)^{|S|+1} H_S, i.e. T_xy = H_x + H_y − H_xy,
/// T_xyz = H_x + H_y + H_z − H_xy − H_xz − H_yz + H_xyz, and in four
/// dimensions likewise ending in − H_wxyz. In three dimensions a negative
/// value indicates synergy (reduction of uncertainty).
///
/// Rows (organizations) with a missing value in any column are left out.
///
/// # Errors
/// [`NetworkError::InvalidArgument`] when fewer than 2 or more than 4
/// columns are given or the columns differ in length.
///
/// # Example
/// ```
/// use weaver_network::mutual_information;
/// // x = y: T_xy = H_x = 1 bit.
/// let x = [Some("a"), Some("a"), Some("b"), Some("b")];
/// let t = mutual_information(&[&x[..], &x[..]]).unwrap();
/// assert!((t.value - 1.0).abs() < 1e-12);
/// // XOR: z = x ⊕ y with x, y independent fair bits: T_xyz = −1 bit.
/// let x = [Some("0"), Some("0"), Some("1"), Some("1")];
/// let y = [Some("0"), Some("1"), Some("0"), Some("1")];
/// let z = [Some("0"), Some("1"), Some("1"), Some("0")];
/// let t = mutual_information(&[&x[..], &y[..], &z[..]]).unwrap();
/// assert!((t.value + 1.0).abs() < 1e-12);
/// ```
///
/// # References
/// Leydesdorff, L. (2003). The mutual information of university-industry-
/// government relations: an indicator of the Triple Helix dynamics.
/// *Scientometrics* 58(2), 445–467. Leydesdorff, L., Park, H. W., &
/// Lengyel, B. (2014). A routine for measuring synergy in university–
/// industry–government relations. *Scientometrics* 99, 27–35.
pub fn mutual_information<S: AsRef<str>>(
    columns: &[&[Option<S>]],
) -> Result<MutualInformation, NetworkError> {
    let k = columns.len();
    if !(2..=4).contains(&k) {
        return Err(NetworkError::InvalidArgument {
            name: "columns",
            value: k.to_string(),
            expected: "2, 3 or 4 columns",
        });
    }
    let len = columns[0].len();
    if columns.iter().any(|c| c.len() != len) {
        return Err(NetworkError::InvalidArgument {
            name: "columns",
            value: "different lengths".into(),
            expected: "columns of equal length",
        });
    }
    let codes: Vec<Vec<Option<usize>>> = columns.iter().map(|c| crate::encode_groups(c)).collect();
    let rows: Vec<usize> = (0..len)
        .filter(|&r| codes.iter().all(|c| c[r].is_some()))
        .collect();
    let dense: Vec<Vec<usize>> = codes
        .iter()
        .map(|c| c.iter().map(|x| x.unwrap_or(usize::MAX)).collect())
        .collect();
    let refs: Vec<&[usize]> = dense.iter().map(|c| c.as_slice()).collect();
    let mut value = 0.0;
    let mut entropies = Vec::new();
    if !rows.is_empty() {
        for mask in 1u32..(1 << k) {
            let pick: Vec<usize> = (0..k).filter(|&c| mask & (1 << c) != 0).collect();
            let h = joint_entropy(&refs, &pick, &rows);
            let sign = if pick.len() % 2 == 1 { 1.0 } else { -1.0 };
            value += sign * h;
            entropies.push((pick, h));
        }
    } else {
        value = f64::NAN;
    }
    Ok(MutualInformation {
        value,
        rows: rows.len(),
        entropies,
    })
}

/// The result of [`mutual_information`].
#[derive(Debug, Clone, PartialEq)]
pub struct MutualInformation {
    /// T in bits (`NaN` when no row is complete).
    pub value: f64,
    /// Number of complete rows used.
    pub rows: usize,
    /// The joint entropies H_S in bits, S given as column positions.
    pub entropies: Vec<(Vec<usize>, f64)>,
}
