//! The Monte Carlo kernel: the ranks of many runs that perturb the weights
//! of one prepared period, computed without the records of the reference
//! pipeline but with the same floating-point operations, so the ranks are
//! identical.

use super::framework::Framework;
use super::pipeline::{Prepared, WeightFactors, node_weights};
use crate::data::Matrix;
use crate::method::{Aggregation, IndexMethod, Weighting};
use crate::stats;

/// Weights that do not depend on the data (equal, manual and AHP weighting):
/// those of each dimension's indicators, in member order, and those of the
/// dimensions. The Monte Carlo runs perturb these instead of recomputing
/// them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FixedWeights {
    dims: Vec<Vec<f64>>,
    index: Vec<f64>,
}

/// The weights of `method` when they do not depend on the data; `None` for
/// data-driven weights (entropy, PCA, benefit of the doubt) or when they
/// cannot be computed (the full path then reports the error).
pub(crate) fn fixed_weights(framework: &Framework, method: &IndexMethod) -> Option<FixedWeights> {
    let fixed = |w: Weighting| matches!(w, Weighting::Equal | Weighting::Manual | Weighting::Ahp);
    if !fixed(method.weighting) || !fixed(method.dimension_weighting) {
        return None;
    }
    let none = Matrix::missing(0, 0);
    let mut ahp = Vec::new();
    let mut dims = Vec::with_capacity(framework.dimensions.len());
    for dim in &framework.dimensions {
        let items: Vec<&str> = dim
            .members
            .iter()
            .map(|&i| framework.indicators[i].id.as_str())
            .collect();
        let manual: Vec<Option<f64>> = dim
            .members
            .iter()
            .map(|&i| framework.indicators[i].weight)
            .collect();
        let w = node_weights(
            method.weighting,
            &dim.id,
            &items,
            &manual,
            &none,
            method,
            &mut ahp,
        )
        .ok()?;
        dims.push(w);
    }
    let dim_ids: Vec<&str> = framework.dimensions.iter().map(|d| d.id.as_str()).collect();
    let dim_manual: Vec<Option<f64>> = framework.dimensions.iter().map(|d| d.weight).collect();
    let index = node_weights(
        method.dimension_weighting,
        "index",
        &dim_ids,
        &dim_manual,
        &none,
        method,
        &mut ahp,
    )
    .ok()?;
    Some(FixedWeights { dims, index })
}

/// The prepared values column by column (indicator-major: the values of
/// one indicator for all present units are contiguous), so a run can add
/// one weighted column at a time to all units' sums.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    /// Every value of the units that are not screened out is finite.
    pub(super) complete: bool,
    /// Smallest value of each column over those units.
    min: Vec<f64>,
    /// `z` transposed: `cols × rows`.
    z: Vec<f64>,
    /// ln of `z` transposed, made on first use by a geometric run.
    ln_z: std::sync::OnceLock<Vec<f64>>,
}

impl Columns {
    pub(super) fn new(p: &Prepared) -> Columns {
        let (rows, cols) = (p.z.rows, p.z.cols);
        let mut z = vec![0.0; rows * cols];
        let mut min = vec![f64::INFINITY; cols];
        let mut complete = true;
        for r in 0..rows {
            for c in 0..cols {
                let v = p.z.data[r * cols + c];
                z[c * rows + r] = v;
                if !p.screened[r] {
                    complete &= v.is_finite();
                    min[c] = min[c].min(v);
                }
            }
        }
        Columns {
            complete,
            min,
            z,
            ln_z: std::sync::OnceLock::new(),
        }
    }
}

/// Buffers of [`fast_ranks`], reused from run to run.
#[derive(Debug, Default)]
pub(crate) struct RunBuffers {
    w: Vec<f64>,
    dw: Vec<f64>,
    dim_scores: Vec<f64>,
    acc: Vec<f64>,
    scores: Vec<f64>,
    order: Vec<(u64, u32)>,
    spare: Vec<(u64, u32)>,
}

/// Sorts (key, index) pairs that are in increasing index order into
/// increasing (key, index) order, as `sort_unstable` would: a least
/// significant digit radix sort, one stable pass per byte of the key,
/// skipping bytes that all keys share (the sign and exponent bytes of
/// scores of one magnitude). `spare` is scratch space.
fn radix_sort(v: &mut Vec<(u64, u32)>, spare: &mut Vec<(u64, u32)>) {
    let n = v.len();
    if n <= 64 {
        v.sort_unstable();
        return;
    }
    let mut hist = [[0u32; 256]; 8];
    for &(k, _) in v.iter() {
        for (p, h) in hist.iter_mut().enumerate() {
            h[((k >> (8 * p)) & 0xFF) as usize] += 1;
        }
    }
    spare.clear();
    spare.resize(n, (0, 0));
    for (p, h) in hist.iter_mut().enumerate() {
        if h.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut sum = 0u32;
        for c in h.iter_mut() {
            let x = *c;
            *c = sum;
            sum += x;
        }
        for &e in v.iter() {
            let d = ((e.0 >> (8 * p)) & 0xFF) as usize;
            spare[h[d] as usize] = e;
            h[d] += 1;
        }
        std::mem::swap(v, spare);
    }
}

/// Rescales in place exactly as [`rescale`](crate::weights::rescale) does (same sums in the same
/// order); `false` where [`rescale`](crate::weights::rescale) would fail.
fn rescale_in_place(w: &mut [f64]) -> bool {
    if w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return false;
    }
    let s: f64 = w.iter().sum();
    if !(s > 0.0) {
        return false;
    }
    for v in w.iter_mut() {
        *v /= s;
    }
    true
}

/// The ranks of one Monte Carlo run, written to `out` (one per unit of the
/// period, 0 for no rank), without the allocations and records of
/// [`finish`](super::finish): fixed weights perturbed by `factors`, arithmetic or geometric
/// means at every node (`agg`), competition ranks.
///
/// It performs the same floating-point operations in the same order as
/// [`finish`](super::finish) followed by [`stats::rank_desc`], so the ranks are identical.
/// Returns `false`, leaving `out` unspecified, whenever [`finish`](super::finish) could
/// report an error or another aggregation is asked for: the caller then
/// runs [`finish`](super::finish) for the error message.
pub(crate) fn fast_ranks(
    framework: &Framework,
    prepared: &Prepared,
    fixed: &FixedWeights,
    agg: Aggregation,
    factors: &WeightFactors,
    bufs: &mut RunBuffers,
    out: &mut [u32],
) -> bool {
    let geometric = match agg {
        Aggregation::Arithmetic => false,
        Aggregation::Geometric => true,
        _ => return false,
    };
    let Prepared { rows, z, ln_z, .. } = prepared;
    let np = rows.len();
    let n_dim = framework.dimensions.len();
    let cols = prepared.columns.get_or_init(|| Columns::new(prepared));
    let lz = if geometric && !cols.complete {
        Some(ln_z.get_or_init(|| Matrix {
            rows: z.rows,
            cols: z.cols,
            data: z.data.iter().map(|v| v.ln()).collect(),
        }))
    } else {
        None
    };
    bufs.dim_scores.clear();
    bufs.dim_scores.resize(np * n_dim, f64::NAN);
    for (d, dim) in framework.dimensions.iter().enumerate() {
        bufs.w.clear();
        bufs.w.extend_from_slice(&fixed.dims[d]);
        if bufs.w.iter().any(|v| *v > 0.0) {
            for (k, &i) in dim.members.iter().enumerate() {
                bufs.w[k] *= factors.indicators.get(i).copied().unwrap_or(1.0);
            }
            if !rescale_in_place(&mut bufs.w) {
                return false;
            }
        }
        let w = &bufs.w;
        if cols.complete {
            // Every unit has every value: add one weighted column at a time
            // to all units' sums (vectorised over the units). Each unit's
            // sum takes the same terms in the same order as the row-wise
            // loop below and in `finish`, so the results are identical.
            let src = if geometric {
                if dim
                    .members
                    .iter()
                    .zip(w)
                    .any(|(&i, &wk)| wk > 0.0 && !(cols.min[i] > 0.0))
                {
                    return false;
                }
                cols.ln_z
                    .get_or_init(|| cols.z.iter().map(|v| v.ln()).collect())
            } else {
                &cols.z
            };
            bufs.acc.clear();
            bufs.acc.resize(np, 0.0);
            let mut sw = 0.0;
            for (k, &i) in dim.members.iter().enumerate() {
                let wk = w[k];
                if !(wk > 0.0) {
                    continue;
                }
                sw += wk;
                let col = &src[i * np..(i + 1) * np];
                for (a, &v) in bufs.acc.iter_mut().zip(col) {
                    *a += wk * v;
                }
            }
            // Geometric runs keep ln of the dimension score (see
            // `geometric_index`).
            for (r, &a) in bufs.acc.iter().enumerate() {
                bufs.dim_scores[r * n_dim + d] = if sw == 0.0 { f64::NAN } else { a / sw };
            }
            continue;
        }
        for r in 0..np {
            let row = &z.data[r * z.cols..(r + 1) * z.cols];
            let (mut sw, mut acc) = (0.0, 0.0);
            match lz {
                Some(lz) => {
                    let lrow = &lz.data[r * lz.cols..(r + 1) * lz.cols];
                    for (k, &i) in dim.members.iter().enumerate() {
                        let (v, wk) = (row[i], w[k]);
                        if !v.is_finite() || !(wk > 0.0) {
                            continue;
                        }
                        if v <= 0.0 {
                            return false;
                        }
                        sw += wk;
                        acc += wk * lrow[i];
                    }
                }
                None => {
                    for (k, &i) in dim.members.iter().enumerate() {
                        let (v, wk) = (row[i], w[k]);
                        if !v.is_finite() || !(wk > 0.0) {
                            continue;
                        }
                        sw += wk;
                        acc += wk * v;
                    }
                }
            }
            bufs.dim_scores[r * n_dim + d] = if sw == 0.0 { f64::NAN } else { acc / sw };
        }
    }
    let dim_scores = std::mem::take(&mut bufs.dim_scores);
    let ok = index_and_ranks(
        prepared,
        fixed,
        n_dim,
        geometric,
        &dim_scores,
        factors,
        bufs,
        out,
    );
    bufs.dim_scores = dim_scores;
    ok
}

/// The index of each unit from its dimension scores (`units × dimensions`;
/// logarithms for a geometric run), and the competition ranks: the tail of
/// [`fast_ranks`] and [`fast_ranks_batch`].
#[allow(clippy::too_many_arguments)]
fn index_and_ranks(
    prepared: &Prepared,
    fixed: &FixedWeights,
    n_dim: usize,
    geometric: bool,
    dim_scores: &[f64],
    factors: &WeightFactors,
    bufs: &mut RunBuffers,
    out: &mut [u32],
) -> bool {
    let Prepared { rows, screened, .. } = prepared;
    bufs.dw.clear();
    bufs.dw.extend_from_slice(&fixed.index);
    for (k, w) in bufs.dw.iter_mut().enumerate() {
        *w *= factors.dimensions.get(k).copied().unwrap_or(1.0);
    }
    if !rescale_in_place(&mut bufs.dw) {
        return false;
    }
    bufs.scores.clear();
    bufs.scores.resize(out.len(), f64::NAN);
    for (k, &r) in rows.iter().enumerate() {
        let (mut sw, mut acc) = (0.0, 0.0);
        for (d, &wk) in bufs.dw.iter().enumerate() {
            // Arithmetic: the dimension score; geometric: its logarithm.
            let v = dim_scores[k * n_dim + d];
            if !(wk > 0.0) || !v.is_finite() {
                continue;
            }
            sw += wk;
            acc += wk * v;
        }
        let s = if sw == 0.0 {
            f64::NAN
        } else if geometric {
            (acc / sw).exp()
        } else {
            acc / sw
        };
        bufs.scores[r] = if screened[k] { f64::NAN } else { s };
    }
    // Competition ranks as `stats::rank_desc`: highest first, ties by index.
    // The sort key maps f64 to u64 in the order of `f64::total_cmp`
    // (positive: sign bit set; negative: all bits flipped), inverted for
    // "highest first", so integer tuples sort in rank_desc's order.
    let key = |s: f64| {
        let b = s.to_bits();
        !(if b >> 63 == 1 { !b } else { b | (1 << 63) })
    };
    bufs.order.clear();
    bufs.order.extend(
        bufs.scores
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_finite())
            .map(|(i, &s)| (key(s), i as u32)),
    );
    radix_sort(&mut bufs.order, &mut bufs.spare);
    out.fill(0);
    let mut current = 0u32;
    let mut prev = f64::NAN;
    for (pos, &(_, i)) in bufs.order.iter().enumerate() {
        let s = bufs.scores[i as usize];
        if pos == 0 || !stats::tied(prev, s) {
            current = pos as u32 + 1;
        }
        prev = s;
        out[i as usize] = current;
    }
    true
}

/// Units per tile of [`fast_ranks_batch`]: a tile of every run's sums and
/// of one prepared column stay in the first-level cache.
const TILE: usize = 256;

/// Runs that [`fast_ranks_batch`] computes together.
pub(crate) const BATCH: usize = 8;

/// Buffers of [`fast_ranks_batch`], reused from batch to batch.
#[derive(Debug, Default)]
pub(crate) struct BatchBuffers {
    /// Per run, the rescaled weights of every dimension's members, concatenated.
    w: Vec<f64>,
    /// Per run and dimension, the sum of its positive weights.
    sw: Vec<f64>,
    /// Per run, one tile of sums.
    acc: Vec<f64>,
    /// Per run, units × dimensions scores.
    dim_scores: Vec<f64>,
    /// Runs of the batch the fast path computes.
    ok: Vec<bool>,
    /// Buffers of the per-run tail (index weights, scores, ranks) and of
    /// runs that take another path.
    pub(crate) run: RunBuffers,
}

/// The ranks of a batch of Monte Carlo runs that share their prepared
/// values and their aggregation (`agg`, at every node), run `b` written to
/// `out[b·n..(b + 1)·n]`: [`fast_ranks`] for several runs at once. With
/// complete data, each prepared column is read once per tile of units for
/// all runs of the batch instead of once per run, which is what bounds the
/// single-run path (the prepared matrix does not stay in cache between
/// runs that use other prepared values).
///
/// Every unit's sums take the same terms in the same order as in
/// [`fast_ranks`] and [`finish`](super::finish), so the ranks are identical. Returns, per
/// run, whether it was computed; a run left out (`false`) must take
/// [`fast_ranks`] or [`finish`](super::finish), exactly as when [`fast_ranks`] returns
/// `false`.
pub(crate) fn fast_ranks_batch(
    framework: &Framework,
    prepared: &Prepared,
    fixed: &FixedWeights,
    agg: Aggregation,
    factors: &[&WeightFactors],
    bufs: &mut BatchBuffers,
    out: &mut [u32],
) -> Vec<bool> {
    let nb = factors.len();
    let n_out = out.len().checked_div(nb).unwrap_or(0);
    if n_out == 0 {
        return vec![false; nb];
    }
    let geometric = match agg {
        Aggregation::Arithmetic => false,
        Aggregation::Geometric => true,
        _ => return vec![false; nb],
    };
    let cols = prepared.columns.get_or_init(|| Columns::new(prepared));
    if !cols.complete {
        // Row-wise data: run by run.
        return factors
            .iter()
            .zip(out.chunks_mut(n_out))
            .map(|(f, o)| fast_ranks(framework, prepared, fixed, agg, f, &mut bufs.run, o))
            .collect();
    }
    let np = prepared.rows.len();
    let n_dim = framework.dimensions.len();
    let n_w: usize = framework.dimensions.iter().map(|d| d.members.len()).sum();
    // 1. Each run's weights, as in `fast_ranks`.
    bufs.w.clear();
    bufs.w.resize(nb * n_w, 0.0);
    bufs.sw.clear();
    bufs.sw.resize(nb * n_dim, 0.0);
    bufs.ok.clear();
    bufs.ok.resize(nb, true);
    for (b, f) in factors.iter().enumerate() {
        let w_run = &mut bufs.w[b * n_w..(b + 1) * n_w];
        let mut off = 0;
        for (d, dim) in framework.dimensions.iter().enumerate() {
            let w = &mut w_run[off..off + dim.members.len()];
            off += dim.members.len();
            w.copy_from_slice(&fixed.dims[d]);
            if w.iter().any(|v| *v > 0.0) {
                for (k, &i) in dim.members.iter().enumerate() {
                    w[k] *= f.indicators.get(i).copied().unwrap_or(1.0);
                }
                if !rescale_in_place(w) {
                    bufs.ok[b] = false;
                }
            }
            if geometric
                && dim
                    .members
                    .iter()
                    .zip(w.iter())
                    .any(|(&i, &wk)| wk > 0.0 && !(cols.min[i] > 0.0))
            {
                bufs.ok[b] = false;
            }
            let mut sw = 0.0;
            for &wk in w.iter() {
                if wk > 0.0 {
                    sw += wk;
                }
            }
            bufs.sw[b * n_dim + d] = sw;
        }
    }
    let src = if geometric {
        cols.ln_z
            .get_or_init(|| cols.z.iter().map(|v| v.ln()).collect())
    } else {
        &cols.z
    };
    // 2. Dimension scores, tile by tile: each column of a tile is read once
    // for every run of the batch.
    bufs.dim_scores.clear();
    bufs.dim_scores.resize(nb * np * n_dim, f64::NAN);
    bufs.acc.clear();
    bufs.acc.resize(nb * TILE, 0.0);
    for t0 in (0..np).step_by(TILE) {
        let t1 = (t0 + TILE).min(np);
        let len = t1 - t0;
        let mut off = 0;
        for (d, dim) in framework.dimensions.iter().enumerate() {
            for a in bufs.acc.iter_mut() {
                *a = 0.0;
            }
            for (k, &i) in dim.members.iter().enumerate() {
                let col = &src[i * np + t0..i * np + t1];
                for b in 0..nb {
                    let wk = bufs.w[b * n_w + off + k];
                    if !bufs.ok[b] || !(wk > 0.0) {
                        continue;
                    }
                    let acc = &mut bufs.acc[b * TILE..b * TILE + len];
                    for (a, &v) in acc.iter_mut().zip(col) {
                        *a += wk * v;
                    }
                }
            }
            off += dim.members.len();
            for b in 0..nb {
                if !bufs.ok[b] {
                    continue;
                }
                let sw = bufs.sw[b * n_dim + d];
                let scores = &mut bufs.dim_scores[b * np * n_dim..(b + 1) * np * n_dim];
                for (j, &a) in bufs.acc[b * TILE..b * TILE + len].iter().enumerate() {
                    // Geometric runs keep ln of the dimension score.
                    scores[(t0 + j) * n_dim + d] = if sw == 0.0 { f64::NAN } else { a / sw };
                }
            }
        }
    }
    // 3. Index and ranks of each run.
    for (b, f) in factors.iter().enumerate() {
        if !bufs.ok[b] {
            continue;
        }
        let dim_scores = &bufs.dim_scores[b * np * n_dim..(b + 1) * np * n_dim];
        let o = &mut out[b * n_out..(b + 1) * n_out];
        if !index_and_ranks(
            prepared,
            fixed,
            n_dim,
            geometric,
            dim_scores,
            f,
            &mut bufs.run,
            o,
        ) {
            bufs.ok[b] = false;
        }
    }
    bufs.ok.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sort_orders_as_sort_unstable() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
        for n in [0, 5, 64, 65, 1000, 3001] {
            // Keys with shared high bytes, repeated keys, and extremes.
            let mut v: Vec<(u64, u32)> = (0..n)
                .map(|i| {
                    let k = match i % 4 {
                        0 => 0x4059_0000_0000_0000 | rng.random_range(0..1u64 << 40),
                        1 => 7,
                        2 => u64::MAX - rng.random_range(0..3u64),
                        _ => rng.random::<u64>(),
                    };
                    (k, i as u32)
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            let mut spare = Vec::new();
            radix_sort(&mut v, &mut spare);
            assert_eq!(v, want, "n = {n}");
        }
    }
}
