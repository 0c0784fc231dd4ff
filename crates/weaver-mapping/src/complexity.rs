//! Relatedness and economic complexity on a region × industry matrix,
//! matching Harvard Growth Lab's `ecomplexity` package (Python, 0.5.x).
//!
//! Symbols (Hidalgo & Hausmann 2009; Hidalgo et al. 2007) and names here:
//! X_cp = `values` (c regions, p industries); RCA_cp = `rca`; M_cp = `mcp`;
//! k_c,0 = `diversity`; k_p,0 = `ubiquity`; φ_pp' = `proximity`;
//! ω_cp = `density`; ECI, PCI, COI, COG as named.

use crate::error::MappingError;

/// Parameters of [`complexity`].
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexityOptions {
    /// M_cp = 1 when RCA_cp ≥ this (default 1, `ecomplexity`'s
    /// `rca_mcp_threshold`).
    pub rca_threshold: f64,
    /// Also compute proximity, density, COI and COG (default true). These
    /// cost O(p²) memory; ECI and PCI alone need much less.
    pub relatedness: bool,
}

impl Default for ComplexityOptions {
    fn default() -> Self {
        ComplexityOptions {
            rca_threshold: 1.0,
            relatedness: true,
        }
    }
}

/// Results of [`complexity`]. Matrices are row-major, regions × industries
/// (proximity industries × industries). Regions and industries whose total
/// is 0 are left out of every computation and get NaN, as in `ecomplexity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Complexity {
    /// Number of regions (rows).
    pub regions: usize,
    /// Number of industries (columns).
    pub industries: usize,
    /// Balassa's revealed comparative advantage.
    pub rca: Vec<f64>,
    /// Presence, 1 or 0.
    pub mcp: Vec<f64>,
    /// k_c,0 = Σ_p M_cp.
    pub diversity: Vec<f64>,
    /// k_p,0 = Σ_c M_cp.
    pub ubiquity: Vec<f64>,
    /// φ_pp' = min(P(p | p'), P(p' | p)); empty unless `relatedness`.
    pub proximity: Vec<f64>,
    /// ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'; empty unless `relatedness`.
    pub density: Vec<f64>,
    /// Economic complexity index, standardised.
    pub eci: Vec<f64>,
    /// Product (industry) complexity index, standardised with ECI's mean and
    /// standard deviation.
    pub pci: Vec<f64>,
    /// Complexity outlook index, standardised; empty unless `relatedness`.
    pub coi: Vec<f64>,
    /// Complexity outlook gain; empty unless `relatedness`.
    pub cog: Vec<f64>,
    /// The eigenvalue whose eigenvector gives ECI and PCI (the second largest).
    pub eigenvalue: f64,
}

/// Computes RCA, presence, proximity, density, ECI, PCI, COI and COG of a
/// region × industry matrix, following `ecomplexity.ecomplexity` with its
/// defaults (`presence_test="rca"`, discrete symmetric proximity, no knn).
///
/// With X_c = Σ_p X_cp, X_p = Σ_c X_cp, X = Σ X_cp:
///
/// * RCA_cp = (X_cp / X_c) / (X_p / X); M_cp = [RCA_cp ≥ threshold];
/// * k_c,0 = Σ_p M_cp, k_p,0 = Σ_c M_cp;
/// * φ_pp' = Σ_c M_cp M_cp' / max(k_p,0, k_p',0);
/// * ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp';
/// * M̃_pp' = Σ_c M_cp M_cp' / (k_c,0 k_p,0); its eigenvector Q for the second
///   largest eigenvalue, K_c = Σ_p M_cp Q_p / k_c,0; both signed so that K
///   correlates positively with diversity;
/// * ECI = (K − ⟨K⟩)/sd(K); PCI = (Q − ⟨K⟩)/sd(K) (population sd);
/// * COI_c = Σ_p ω_cp (1 − M_cp) Q_p, then standardised;
/// * COG_cp = (1 − M_cp) Σ_p' (1 − M_cp') φ_p'p Q_p' / Σ_p'' φ_p'p'' / sd(K).
///
/// COI and COG use the raw eigenvector Q as `ecomplexity` does (its code
/// follows the Stata package), and COG carries no "− (1 − ω_cp) PCI_p" term.
///
/// # Arguments
/// * `values` — X, row-major, `regions × industries`, finite and ≥ 0.
/// * `regions`, `industries` — the shape.
/// * `options` — see [`ComplexityOptions`].
///
/// # Errors
/// [`MappingError::Shape`] when `values.len() != regions * industries`;
/// [`MappingError::InvalidValue`] for a negative or non-finite value (its
/// record is the position in `values`).
///
/// # Example
/// ```
/// use weaver_mapping::complexity::{complexity, ComplexityOptions};
/// // Three regions, three industries; a nested structure.
/// let x = [1.0, 1.0, 1.0,
///          1.0, 1.0, 0.0,
///          1.0, 0.0, 0.0];
/// let c = complexity(&x, 3, 3, &ComplexityOptions::default()).unwrap();
/// assert_eq!(c.diversity, vec![2.0, 2.0, 1.0]);
/// // The most diversified region ranks highest.
/// assert!(c.eci[0] > c.eci[2]);
/// assert!((c.eci.iter().sum::<f64>()).abs() < 1e-12);
/// ```
///
/// # Notes
/// The eigenvector is computed on the smaller of the symmetric matrices
/// D_c^{-1/2} M D_p^{-1} Mᵀ D_c^{-1/2} (regions) and D_p^{-1/2} Mᵀ D_c^{-1} M D_p^{-1/2}
/// (industries), which share their nonzero eigenvalues with M̃, by cyclic
/// Jacobi rotations (accurate to about 1e-13). When the second eigenvalue is
/// repeated (e.g. a block-diagonal M), the eigenvector is not unique and
/// neither are ECI and PCI. A region or industry with zero diversity or
/// ubiquity (possible only with a threshold above 1) gets NaN ECI/PCI and the
/// standardisation runs over the others; `ecomplexity` then returns NaN for
/// all. Cost: O(Σ_c k_c² + s³) for s = min(regions, industries) plus O(p²·c)
/// at worst for proximity and density.
///
/// # References
/// 1. C. A. Hidalgo and R. Hausmann (2009). The building blocks of economic
///    complexity. *PNAS* 106(26):10570–10575. doi:10.1073/pnas.0900943106
/// 2. C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann (2007). The
///    product space conditions the development of nations. *Science*
///    317(5837):482–487. doi:10.1126/science.1144581
/// 3. R. Hausmann, C. A. Hidalgo et al. (2014). *The Atlas of Economic
///    Complexity*. MIT Press (COI and COG).
/// 4. Harvard Growth Lab, `ecomplexity` (Python package), functions
///    `ecomplexity`, `calc_eci_pci`, `calc_discrete_proximity`, `calc_density`,
///    `calc_coi_cog`.
pub fn complexity(
    values: &[f64],
    regions: usize,
    industries: usize,
    options: &ComplexityOptions,
) -> Result<Complexity, MappingError> {
    let (n, m) = (regions, industries);
    if values.len() != n * m {
        return Err(MappingError::Shape {
            rows: n,
            cols: m,
            expected: n * m,
            found: values.len(),
        });
    }
    if let Some((i, &v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
    {
        return Err(MappingError::InvalidValue {
            table: crate::error::Table::Activity,
            record: i,
            column: "value",
            value: v,
        });
    }
    let nan = f64::NAN;
    let mut out = Complexity {
        regions: n,
        industries: m,
        rca: vec![nan; n * m],
        mcp: vec![nan; n * m],
        diversity: vec![nan; n],
        ubiquity: vec![nan; m],
        eci: vec![nan; n],
        pci: vec![nan; m],
        eigenvalue: nan,
        ..Default::default()
    };
    // Keep regions and industries with a positive total.
    let row_sum: Vec<f64> = (0..n)
        .map(|r| values[r * m..(r + 1) * m].iter().sum())
        .collect();
    let mut col_sum = vec![0.0; m];
    for r in 0..n {
        for p in 0..m {
            col_sum[p] += values[r * m + p];
        }
    }
    let rows: Vec<usize> = (0..n).filter(|&r| row_sum[r] > 0.0).collect();
    let cols: Vec<usize> = (0..m).filter(|&p| col_sum[p] > 0.0).collect();
    if rows.is_empty() || cols.is_empty() {
        if options.relatedness {
            out.proximity = vec![nan; m * m];
            out.density = vec![nan; n * m];
            out.coi = vec![nan; n];
            out.cog = vec![nan; n * m];
        }
        return Ok(out);
    }
    let total: f64 = cols.iter().map(|&p| col_sum[p]).sum();
    let (nr, nc) = (rows.len(), cols.len());
    // Presence as sparse rows (indices into `cols`) and dense 0/1.
    let mut present: Vec<Vec<usize>> = vec![Vec::new(); nr];
    let mut kc = vec![0.0; nr];
    let mut kp = vec![0.0; nc];
    for (i, &r) in rows.iter().enumerate() {
        for (j, &p) in cols.iter().enumerate() {
            let rca = (values[r * m + p] / row_sum[r]) / (col_sum[p] / total);
            out.rca[r * m + p] = rca;
            let on = rca >= options.rca_threshold;
            out.mcp[r * m + p] = if on { 1.0 } else { 0.0 };
            if on {
                present[i].push(j);
                kc[i] += 1.0;
                kp[j] += 1.0;
            }
        }
        out.diversity[r] = kc[i];
    }
    for (j, &p) in cols.iter().enumerate() {
        out.ubiquity[p] = kp[j];
    }
    // ECI and PCI on regions with diversity > 0 and industries with ubiquity > 0.
    let vr: Vec<usize> = (0..nr).filter(|&i| kc[i] > 0.0).collect();
    let vc: Vec<usize> = (0..nc).filter(|&j| kp[j] > 0.0).collect();
    let (kc_raw, kp_raw) = eigen_eci_pci(&present, &kc, &kp, &vr, &vc, &mut out.eigenvalue);
    // kc_raw over 0..nr (NaN where invalid), kp_raw over 0..nc.
    let valid_k: Vec<f64> = kc_raw.iter().copied().filter(|x| !x.is_nan()).collect();
    let (mean_k, sd_k) = mean_sd(&valid_k);
    for (i, &r) in rows.iter().enumerate() {
        out.eci[r] = (kc_raw[i] - mean_k) / sd_k;
    }
    for (j, &p) in cols.iter().enumerate() {
        out.pci[p] = (kp_raw[j] - mean_k) / sd_k;
    }
    if !options.relatedness {
        return Ok(out);
    }
    // Proximity φ on kept industries.
    let mut co = vec![0.0; nc * nc];
    for pres in &present {
        for &a in pres {
            for &b in pres {
                co[a * nc + b] += 1.0;
            }
        }
    }
    let mut phi = vec![0.0; nc * nc];
    for a in 0..nc {
        for b in 0..nc {
            phi[a * nc + b] = co[a * nc + b] / kp[a].max(kp[b]);
        }
    }
    drop(co);
    // Row sums of φ (NaN-skipping, as numpy.nansum).
    let phi_rs: Vec<f64> = (0..nc)
        .map(|a| {
            phi[a * nc..(a + 1) * nc]
                .iter()
                .filter(|x| !x.is_nan())
                .sum()
        })
        .collect();
    // Density ω_cp = Σ_q M_cq φ_pq / Σ_q φ_pq.
    let mut density = vec![0.0; nr * nc];
    for (i, pres) in present.iter().enumerate() {
        let row = &mut density[i * nc..(i + 1) * nc];
        for &q in pres {
            for (p, d) in row.iter_mut().enumerate() {
                *d += phi[p * nc + q];
            }
        }
        for (p, d) in row.iter_mut().enumerate() {
            *d /= phi_rs[p];
        }
    }
    // COI with the raw (signed) eigenvector.
    let mut coi_raw = vec![0.0; nr];
    let mut is_on = vec![false; nc];
    for i in 0..nr {
        for &q in &present[i] {
            is_on[q] = true;
        }
        coi_raw[i] = (0..nc)
            .filter(|&p| !is_on[p])
            .map(|p| density[i * nc + p] * kp_raw[p])
            .sum();
        for &q in &present[i] {
            is_on[q] = false;
        }
    }
    let (mean_coi, sd_coi) = mean_sd(&coi_raw);
    // COG: w_qp = φ_qp Q_q / Σ φ_q·; T_p = Σ_q w_qp.
    let mut w = vec![0.0; nc * nc];
    let mut tcol = vec![0.0; nc];
    for q in 0..nc {
        let f = kp_raw[q] / phi_rs[q];
        for p in 0..nc {
            let v = phi[q * nc + p] * f;
            w[q * nc + p] = v;
            tcol[p] += v;
        }
    }
    let mut cog = vec![0.0; nr * nc];
    for i in 0..nr {
        let row = &mut cog[i * nc..(i + 1) * nc];
        row.copy_from_slice(&tcol);
        for &q in &present[i] {
            for p in 0..nc {
                row[p] -= w[q * nc + p];
            }
        }
        for &q in &present[i] {
            row[q] = 0.0;
        }
        for v in row.iter_mut() {
            *v /= sd_k;
        }
    }
    // Scatter back to full shapes.
    out.proximity = vec![nan; m * m];
    for (a, &pa) in cols.iter().enumerate() {
        for (b, &pb) in cols.iter().enumerate() {
            out.proximity[pa * m + pb] = phi[a * nc + b];
        }
    }
    out.density = vec![nan; n * m];
    out.cog = vec![nan; n * m];
    out.coi = vec![nan; n];
    for (i, &r) in rows.iter().enumerate() {
        for (j, &p) in cols.iter().enumerate() {
            out.density[r * m + p] = density[i * nc + j];
            out.cog[r * m + p] = cog[i * nc + j];
        }
        out.coi[r] = (coi_raw[i] - mean_coi) / sd_coi;
    }
    Ok(out)
}

/// Mean and population standard deviation (numpy's `std`, ddof = 0).
fn mean_sd(x: &[f64]) -> (f64, f64) {
    if x.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// The raw signed eigenvectors K (regions) and Q (industries) of
/// [`complexity`]; entries outside `vr` / `vc` are NaN.
fn eigen_eci_pci(
    present: &[Vec<usize>],
    kc: &[f64],
    kp: &[f64],
    vr: &[usize],
    vc: &[usize],
    eigenvalue: &mut f64,
) -> (Vec<f64>, Vec<f64>) {
    let (nr, nc) = (kc.len(), kp.len());
    let mut k_out = vec![f64::NAN; nr];
    let mut q_out = vec![f64::NAN; nc];
    if vr.len() < 2 || vc.len() < 2 {
        return (k_out, q_out);
    }
    // Valid regions/industries; with zero diversity/ubiquity removed, every
    // present cell is between valid ones.
    let mut q = vec![0.0; nc];
    if vr.len() <= vc.len() {
        // S = Dc^{-1/2} M Dp^{-1} Mᵀ Dc^{-1/2} on valid regions.
        let s = vr.len();
        let mut pos = vec![usize::MAX; nr];
        for (a, &i) in vr.iter().enumerate() {
            pos[i] = a;
        }
        let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); nc];
        for &i in vr {
            for &p in &present[i] {
                by_col[p].push(pos[i]);
            }
        }
        let isq: Vec<f64> = vr.iter().map(|&i| 1.0 / kc[i].sqrt()).collect();
        let mut mat = vec![0.0; s * s];
        for (p, regs) in by_col.iter().enumerate() {
            if regs.is_empty() {
                continue;
            }
            let f = 1.0 / kp[p];
            for &a in regs {
                let fa = f * isq[a];
                for &b in regs {
                    mat[a * s + b] += fa * isq[b];
                }
            }
        }
        let Some((lambda, v)) = second_eigenvector(mat, s) else {
            return (k_out, q_out);
        };
        *eigenvalue = lambda;
        // u = Aᵀ v, Q = Dp^{-1/2} u = Dp^{-1} Mᵀ Dc^{-1/2} v.
        for (a, &i) in vr.iter().enumerate() {
            let x = v[a] * isq[a];
            for &p in &present[i] {
                q[p] += x;
            }
        }
        for &p in vc {
            q[p] /= kp[p];
        }
    } else {
        // T = Dp^{-1/2} Mᵀ Dc^{-1} M Dp^{-1/2} on valid industries.
        let s = vc.len();
        let mut pos = vec![usize::MAX; nc];
        for (a, &p) in vc.iter().enumerate() {
            pos[p] = a;
        }
        let isq: Vec<f64> = vc.iter().map(|&p| 1.0 / kp[p].sqrt()).collect();
        let mut mat = vec![0.0; s * s];
        for &i in vr {
            let f = 1.0 / kc[i];
            for &p in &present[i] {
                let a = pos[p];
                let fa = f * isq[a];
                for &qq in &present[i] {
                    let b = pos[qq];
                    mat[a * s + b] += fa * isq[b];
                }
            }
        }
        let Some((lambda, u)) = second_eigenvector(mat, s) else {
            return (k_out, q_out);
        };
        *eigenvalue = lambda;
        for (a, &p) in vc.iter().enumerate() {
            q[p] = u[a] * isq[a];
        }
    }
    // Numpy returns unit-norm eigenvectors of M̃; scale Q likewise (the
    // standardised results do not depend on it, but the raw values are
    // then comparable).
    let norm = vc.iter().map(|&p| q[p] * q[p]).sum::<f64>().sqrt();
    if norm > 0.0 {
        for &p in vc {
            q[p] /= norm;
        }
    }
    // K_c = Σ_p M_cp Q_p / k_c.
    let mut k = vec![0.0; nr];
    for &i in vr {
        k[i] = present[i].iter().map(|&p| q[p]).sum::<f64>() / kc[i];
    }
    let div: Vec<f64> = vr.iter().map(|&i| kc[i]).collect();
    let kv: Vec<f64> = vr.iter().map(|&i| k[i]).collect();
    let sign = if crate::stats::pearson(&div, &kv) < 0.0 {
        -1.0
    } else {
        1.0
    };
    for &i in vr {
        k_out[i] = sign * k[i];
    }
    for &p in vc {
        q_out[p] = sign * q[p];
    }
    (k_out, q_out)
}

/// Eigenvector of the second largest eigenvalue of a symmetric s × s matrix.
fn second_eigenvector(mat: Vec<f64>, s: usize) -> Option<(f64, Vec<f64>)> {
    let (vals, vecs) = jacobi_eigen(mat, s);
    let mut order: Vec<usize> = (0..s).collect();
    order.sort_by(|&a, &b| vals[b].total_cmp(&vals[a]));
    let k = *order.get(1)?;
    Some((vals[k], (0..s).map(|r| vecs[r * s + k]).collect()))
}

/// Eigenvalues and eigenvectors (columns of the returned row-major matrix)
/// of a symmetric matrix by cyclic Jacobi rotations.
///
/// Each rotation J(p, q, θ) with cot 2θ = (a_qq − a_pp) / (2 a_pq) zeroes
/// a_pq; sweeps repeat until the off-diagonal mass is below machine
/// precision relative to the matrix (at most 60 sweeps).
///
/// Reference: G. H. Golub and C. F. Van Loan (2013). *Matrix Computations*,
/// 4th ed., §8.5 (the cyclic Jacobi method).
pub(crate) fn jacobi_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let frob: f64 = a.iter().map(|x| x * x).sum::<f64>();
    for _sweep in 0..60 {
        let mut off = 0.0;
        for p in 0..n {
            for q in p + 1..n {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if off <= frob * 1e-32 || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let app = a[p * n + p];
                let aqq = a[q * n + q];
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[k * n + p];
                    let akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[p * n + k];
                    let aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                a[p * n + q] = 0.0;
                a[q * n + p] = 0.0;
                for k in 0..n {
                    let vkp = v[k * n + p];
                    let vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// Industries a region could move into next: those it lacks (M_cp = 0),
/// ordered by density ω_cp descending, then PCI descending, then position.
///
/// Returns up to `top` industry indices with positive density.
///
/// # Example
/// ```
/// use weaver_mapping::complexity::{complexity, what_next, ComplexityOptions};
/// let x = [1.0, 1.0, 1.0, 0.0,
///          1.0, 1.0, 0.0, 0.0,
///          1.0, 0.0, 0.0, 1.0];
/// let c = complexity(&x, 3, 4, &ComplexityOptions::default()).unwrap();
/// let next = what_next(&c, 1, 2);
/// assert!(next.iter().all(|&p| c.mcp[4 + p] == 0.0));
/// ```
pub fn what_next(c: &Complexity, region: usize, top: usize) -> Vec<usize> {
    let m = c.industries;
    if region >= c.regions || c.density.len() != c.regions * m {
        return Vec::new();
    }
    let mut cand: Vec<usize> = (0..m)
        .filter(|&p| c.mcp[region * m + p] == 0.0 && c.density[region * m + p] > 0.0)
        .collect();
    cand.sort_by(|&a, &b| {
        let da = c.density[region * m + a];
        let db = c.density[region * m + b];
        db.total_cmp(&da)
            .then(c.pci[b].total_cmp(&c.pci[a]))
            .then(a.cmp(&b))
    });
    cand.truncate(top);
    cand
}
