//! Uncertainty and sensitivity analysis of the ranks (Saisana, Saltelli &
//! Tarantola 2005; OECD/JRC Handbook §7; COINr `get_sensitivity`).
//!
//! The uncertain method choices are the normalisation, the weights
//! (each multiplied by a factor drawn uniformly from [1 − δ, 1 + δ]), the
//! aggregation and the winsorisation limit. [`rank_uncertainty`] draws them
//! at random and reports each unit's nominal, median, 5th and 95th
//! percentile rank; [`rank_sensitivity`] splits the variance of the mean
//! absolute rank shift among the four choices with Sobol indices.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;

use crate::EvalError;
use crate::index::{
    BATCH, BatchBuffers, FixedWeights, Framework, PeriodInput, Prepared, RunBuffers, WeightFactors,
    fast_ranks, fast_ranks_batch, finish, fixed_weights, period_index, prepare,
};
use crate::method::{Aggregation, IndexMethod, Normalisation};
use crate::stats;

/// What varies in the Monte Carlo runs.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyOptions {
    /// Number of runs.
    pub runs: usize,
    /// Seed of the Pcg64 generator.
    pub seed: u64,
    /// Normalisations drawn from, with equal probability. Default: min-max
    /// to [1, 100] and z-score with mean 10 and sd 2 (positive in practice,
    /// so that geometric means apply; COINr's uncertainty vignette).
    pub normalisations: Vec<Normalisation>,
    /// δ: every weight is multiplied by U(1 − δ, 1 + δ). Default 0.25.
    pub weight_noise: f64,
    /// Aggregations drawn from (for the dimensions and the index alike).
    /// Default: arithmetic and geometric.
    pub aggregations: Vec<Aggregation>,
    /// Winsorisation limits drawn from; outlier treatment is switched on
    /// in every run when not empty. Default 1–5.
    pub winsor_limits: Vec<usize>,
    /// Bootstrap of the Sobol indices' confidence intervals
    /// ([`rank_sensitivity`]; its seed is `seed`).
    pub bootstrap: Bootstrap,
}

/// Bootstrap confidence intervals of Sobol indices: the N rows of A, B and
/// AB_i are resampled with replacement `resamples` times, the estimators are
/// computed on each resample, and the interval is the percentile interval
/// [q((1 − level)/2), q((1 + level)/2)] (type-7 quantiles) of those
/// estimates, as COINr's `get_sensitivity` reports its bootstrap quantiles
/// (SALib's `sobol.analyze` resamples the same way but reports
/// 1.96 × the bootstrap standard deviation instead).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Number of resamples; 0 gives no intervals (`NaN`). Default 1000.
    pub resamples: usize,
    /// Confidence level in (0, 1). Default 0.95.
    pub level: f64,
    /// Seed of the Pcg64 generator that draws the resamples.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            level: 0.95,
            seed: 0,
        }
    }
}

impl Default for UncertaintyOptions {
    fn default() -> Self {
        UncertaintyOptions {
            runs: 1000,
            seed: 0,
            normalisations: vec![
                Normalisation::MinMax { lo: 1.0, hi: 100.0 },
                Normalisation::ZScore {
                    mean: 10.0,
                    sd: 2.0,
                },
            ],
            weight_noise: 0.25,
            aggregations: vec![Aggregation::Arithmetic, Aggregation::Geometric],
            winsor_limits: vec![1, 2, 3, 4, 5],
            bootstrap: Bootstrap::default(),
        }
    }
}

impl UncertaintyOptions {
    /// The options as TOML-style lines, for the record of a run.
    pub fn describe(&self) -> String {
        let norms: Vec<String> = self
            .normalisations
            .iter()
            .map(|n| match n {
                Normalisation::MinMax { lo, hi } => format!("\"minmax [{lo}, {hi}]\""),
                Normalisation::ZScore { mean, sd } => format!("\"zscore [{mean}, {sd}]\""),
                other => format!("\"{}\"", other.name()),
            })
            .collect();
        let aggs: Vec<String> = self
            .aggregations
            .iter()
            .map(|a| format!("\"{}\"", a.name()))
            .collect();
        format!(
            "[uncertainty]\nruns = {}\nseed = {}\nnormalisations = [{}]\nweight_noise = {}\naggregations = [{}]\nwinsor_limits = {:?}\nbootstrap_resamples = {}\nbootstrap_level = {}\n",
            self.runs,
            self.seed,
            norms.join(", "),
            self.weight_noise,
            aggs.join(", "),
            self.winsor_limits,
            self.bootstrap.resamples,
            self.bootstrap.level
        )
    }

    fn check(&self) -> Result<(), EvalError> {
        let bad = |option: &str, value: String, expected: &str| EvalError::BadOption {
            option: option.into(),
            value,
            expected: expected.into(),
        };
        if self.runs == 0 {
            return Err(bad("runs", "0".into(), "at least 1"));
        }
        if !(0.0..1.0).contains(&self.weight_noise) {
            return Err(bad(
                "weight_noise",
                self.weight_noise.to_string(),
                "a share in [0, 1)",
            ));
        }
        if !(self.bootstrap.level > 0.0 && self.bootstrap.level < 1.0) {
            return Err(bad(
                "bootstrap.level",
                self.bootstrap.level.to_string(),
                "a confidence level in (0, 1)",
            ));
        }
        if self.normalisations.is_empty() || self.aggregations.is_empty() {
            return Err(bad(
                "normalisations/aggregations",
                "[]".into(),
                "at least one choice each",
            ));
        }
        Ok(())
    }
}

/// One draw of the uncertain choices.
#[derive(Debug, Clone, PartialEq)]
struct Draw {
    normalisation: usize,
    aggregation: usize,
    winsor: Option<usize>,
    factors: WeightFactors,
}

/// Ranks of the units in every run and their summary.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyResult {
    /// The options used (with the seed).
    pub options: UncertaintyOptions,
    /// Nominal rank per unit (the method as given).
    pub nominal: Vec<Option<usize>>,
    /// Median rank over the runs (type-7 quantile), `NaN` when never ranked.
    pub median: Vec<f64>,
    /// 5th percentile rank.
    pub p5: Vec<f64>,
    /// 95th percentile rank.
    pub p95: Vec<f64>,
    /// Mean rank.
    pub mean: Vec<f64>,
    /// Runs that produced ranks.
    pub runs_ok: usize,
    /// Runs whose choices could not be applied (e.g. a geometric mean of a
    /// non-positive z-score), with the first reasons.
    pub runs_failed: usize,
    /// Up to five reasons of failed runs.
    pub failures: Vec<String>,
}

/// Prepared values for (normalisation index, winsorisation limit).
type PreparedEntry = ((usize, Option<usize>), Result<Prepared, EvalError>);

struct Runner<'a> {
    input: &'a PeriodInput<'a>,
    framework: &'a Framework,
    method: &'a IndexMethod,
    groups: Option<&'a [Option<usize>]>,
    options: &'a UncertaintyOptions,
    /// One framework per aggregation choice.
    frameworks: Vec<Framework>,
    /// Steps 1–5 of the index (treatment, normalisation, coverage) for every
    /// combination of normalisation and winsorisation limit: they depend on
    /// nothing else, so each run only weights, aggregates and ranks.
    prepared: Vec<PreparedEntry>,
    /// The method's weights when they do not depend on the data: runs then
    /// take the allocation-free path [`fast_ranks`].
    fixed: Option<FixedWeights>,
}

impl<'a> Runner<'a> {
    #[cfg(test)]
    fn without_cache(mut self) -> Self {
        self.prepared.clear();
        self.fixed = None;
        self
    }

    fn new(
        input: &'a PeriodInput<'a>,
        framework: &'a Framework,
        method: &'a IndexMethod,
        groups: Option<&'a [Option<usize>]>,
        options: &'a UncertaintyOptions,
    ) -> Self {
        let frameworks = options
            .aggregations
            .iter()
            .map(|&a| {
                let mut f = framework.clone();
                for d in &mut f.dimensions {
                    d.aggregation = a;
                }
                f
            })
            .collect();
        let limits: Vec<Option<usize>> = if options.winsor_limits.is_empty() {
            vec![None]
        } else {
            options.winsor_limits.iter().map(|&w| Some(w)).collect()
        };
        let keys: Vec<(usize, Option<usize>)> = (0..options.normalisations.len())
            .flat_map(|n| limits.iter().map(move |&w| (n, w)))
            .collect();
        let mut runner = Runner {
            input,
            framework,
            method,
            groups,
            options,
            frameworks,
            prepared: Vec::new(),
            fixed: fixed_weights(framework, method),
        };
        runner.prepared = keys
            .par_iter()
            .map(|&(n, w)| {
                let m = runner.method_for(n, 0, w);
                ((n, w), prepare(input, framework, &m, groups))
            })
            .collect();
        runner
    }

    fn random_factors(&self, rng: &mut Pcg64) -> WeightFactors {
        let d = self.options.weight_noise;
        let mut draw = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|_| 1.0 - d + 2.0 * d * rng.random::<f64>())
                .collect()
        };
        WeightFactors {
            indicators: draw(self.framework.indicators.len()),
            dimensions: draw(self.framework.dimensions.len()),
        }
    }

    fn method_for(&self, norm: usize, agg: usize, winsor: Option<usize>) -> IndexMethod {
        let mut m = self.method.clone();
        m.normalisation = self.options.normalisations[norm];
        let a = self.options.aggregations[agg];
        m.aggregation = a;
        m.index_aggregation = a;
        if let Some(w) = winsor {
            m.treatment.enabled = true;
            m.treatment.winsor_max = w;
        }
        m
    }

    fn run(&self, draw: &Draw) -> Result<Vec<Option<usize>>, EvalError> {
        let m = self.method_for(draw.normalisation, draw.aggregation, draw.winsor);
        let fw = &self.frameworks[draw.aggregation];
        let key = (draw.normalisation, draw.winsor);
        let r = match self.prepared.iter().find(|(k, _)| *k == key) {
            Some((_, Ok(p))) => finish(self.input, fw, &m, p, Some(&draw.factors), false)?,
            Some((_, Err(e))) => return Err(e.clone()),
            None => period_index(self.input, fw, &m, self.groups, Some(&draw.factors))?,
        };
        Ok(r.ranks)
    }

    /// The ranks of one run written to `out` (0: no rank): the fast path when
    /// it applies, otherwise [`Runner::run`].
    fn run_into(
        &self,
        draw: &Draw,
        bufs: &mut RunBuffers,
        out: &mut [u32],
    ) -> Result<(), EvalError> {
        if let Some(fixed) = &self.fixed {
            let key = (draw.normalisation, draw.winsor);
            if let Some((_, Ok(p))) = self.prepared.iter().find(|(k, _)| *k == key) {
                let agg = self.options.aggregations[draw.aggregation];
                let fw = &self.frameworks[draw.aggregation];
                if fast_ranks(fw, p, fixed, agg, &draw.factors, bufs, out) {
                    return Ok(());
                }
            }
        }
        let ranks = self.run(draw)?;
        for (o, r) in out.iter_mut().zip(&ranks) {
            *o = r.map_or(0, |r| r as u32);
        }
        Ok(())
    }

    /// The ranks of runs `runs` (indices into `draws`, all with the same
    /// normalisation, winsorisation limit and aggregation), run `runs[b]`
    /// written to `out[b·n..(b + 1)·n]`: together on the fast path when it
    /// applies ([`fast_ranks_batch`]), the others by [`Runner::run_into`].
    /// Returns the failed runs with their reasons.
    fn run_batch(
        &self,
        runs: &[usize],
        draws: &[Draw],
        bufs: &mut BatchBuffers,
        out: &mut [u32],
    ) -> Vec<(usize, String)> {
        let n = out.len() / runs.len().max(1);
        let mut done = vec![false; runs.len()];
        if let (Some(fixed), Some(&first)) = (&self.fixed, runs.first()) {
            let d = &draws[first];
            let key = (d.normalisation, d.winsor);
            if let Some((_, Ok(p))) = self.prepared.iter().find(|(k, _)| *k == key) {
                let agg = self.options.aggregations[d.aggregation];
                let fw = &self.frameworks[d.aggregation];
                let factors: Vec<&WeightFactors> =
                    runs.iter().map(|&k| &draws[k].factors).collect();
                done = fast_ranks_batch(fw, p, fixed, agg, &factors, bufs, out);
            }
        }
        let mut errors = Vec::new();
        for (b, &k) in runs.iter().enumerate() {
            if done[b] {
                continue;
            }
            if let Err(e) = self.run_into(&draws[k], &mut bufs.run, &mut out[b * n..(b + 1) * n]) {
                errors.push((k, e.to_string()));
            }
        }
        errors
    }

    /// The draws of [`rank_uncertainty`]: `options.runs` of them from one
    /// Pcg64 stream seeded with `options.seed`.
    fn draws(&self) -> Vec<Draw> {
        let options = self.options;
        let mut rng = Pcg64::seed_from_u64(options.seed);
        (0..options.runs)
            .map(|_| Draw {
                normalisation: pick(rng.random::<f64>(), options.normalisations.len()),
                aggregation: pick(rng.random::<f64>(), options.aggregations.len()),
                winsor: if options.winsor_limits.is_empty() {
                    None
                } else {
                    Some(
                        options.winsor_limits
                            [pick(rng.random::<f64>(), options.winsor_limits.len())],
                    )
                },
                factors: self.random_factors(&mut rng),
            })
            .collect()
    }

    fn nominal(&self) -> Result<Vec<Option<usize>>, EvalError> {
        Ok(period_index(self.input, self.framework, self.method, self.groups, None)?.ranks)
    }
}

/// [`stats::quantile_sorted`] of the `len` values counted in `counts`
/// (`counts[v]` = how many equal v), without expanding them.
fn quantile_of_counts(counts: &[u32], len: usize, p: f64) -> f64 {
    let h = (len - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(len - 1);
    // The values at sorted positions lo and hi.
    let (mut vlo, mut vhi) = (f64::NAN, f64::NAN);
    let mut seen = 0usize;
    for (v, &c) in counts.iter().enumerate() {
        let next = seen + c as usize;
        if vlo.is_nan() && lo < next {
            vlo = v as f64;
        }
        if hi < next {
            vhi = v as f64;
            break;
        }
        seen = next;
    }
    vlo + (h - lo as f64) * (vhi - vlo)
}

fn pick(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n.saturating_sub(1))
}

/// Monte Carlo uncertainty analysis of the ranks of one period.
///
/// Each run draws a normalisation, an aggregation (applied to every node), a
/// winsorisation limit and a factor U(1 − δ, 1 + δ) for every indicator and
/// dimension weight, recomputes the index with [`period_index`] and ranks
/// the units. Per unit it reports the nominal rank and the median, 5th and
/// 95th percentile (type-7 quantiles) and the mean of its ranks over the
/// runs. Runs are drawn from one Pcg64 stream seeded with `options.seed`,
/// so the same seed gives the same result.
///
/// # Errors
/// [`EvalError::BadOption`] for invalid options; the nominal computation's
/// errors. Runs whose choices cannot be applied are counted in
/// `runs_failed`, not fatal.
///
/// # References
/// Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and
/// sensitivity analysis techniques as tools for the quality assessment of
/// composite indicators. *J. R. Statist. Soc. A* 168(2), 307–323.
pub fn rank_uncertainty(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    groups: Option<&[Option<usize>]>,
    options: &UncertaintyOptions,
) -> Result<UncertaintyResult, EvalError> {
    options.check()?;
    let runner = Runner::new(input, framework, method, groups, options);
    let nominal = runner.nominal()?;
    let n = input.raw.rows;
    // Draws come from one seeded stream in order; the runs are independent
    // and computed in parallel, each writing its own row of `ranks`, so the
    // result does not depend on the number of threads.
    let draws = runner.draws();
    // Runs with the same normalisation, winsorisation limit and aggregation
    // are computed together, in batches of up to BATCH (see
    // `fast_ranks_batch`). The summary below only counts each unit's ranks,
    // so the order in which the runs are stored does not change it.
    let key = |k: usize| {
        let d = &draws[k];
        (d.normalisation, d.winsor, d.aggregation)
    };
    let mut order: Vec<usize> = (0..options.runs).collect();
    order.sort_by_key(|&k| key(k));
    let mut batches: Vec<&[usize]> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && j - i < BATCH && key(order[j]) == key(order[i]) {
            j += 1;
        }
        batches.push(&order[i..j]);
        i = j;
    }
    // runs × units ranks (0: none), row j holding run order[j].
    let mut ranks = vec![0u32; options.runs * n];
    let mut errors: Vec<(usize, String)> = if n == 0 {
        Vec::new()
    } else {
        let mut chunks: Vec<&mut [u32]> = Vec::with_capacity(batches.len());
        let mut rest = ranks.as_mut_slice();
        for b in &batches {
            let (head, tail) = rest.split_at_mut(b.len() * n);
            chunks.push(head);
            rest = tail;
        }
        chunks
            .into_par_iter()
            .zip(batches.par_iter())
            .map_init(BatchBuffers::default, |bufs, (out, runs)| {
                runner.run_batch(runs, &draws, bufs, out)
            })
            .flatten()
            .collect()
    };
    errors.sort_by_key(|(k, _)| *k);
    let failed = errors.len();
    let ok = options.runs - failed;
    let failures: Vec<String> = errors.into_iter().take(5).map(|(_, e)| e).collect();
    // Per unit: its ranks over the runs counted by value (ranks are 1..=n),
    // so the type-7 quantiles are read off the cumulative counts without
    // sorting. Units are taken in blocks, so that each run's row is read a
    // cache line at a time.
    const BLOCK: usize = 128;
    let blocks: Vec<Vec<[f64; 4]>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|blk| {
            let (u0, u1) = (blk * BLOCK, ((blk + 1) * BLOCK).min(n));
            let width = u1 - u0;
            let mut counts = vec![0u32; width * (n + 1)];
            let mut len = vec![0usize; width];
            let mut sum = vec![0.0f64; width];
            for run in 0..options.runs {
                for (j, &r) in ranks[run * n + u0..run * n + u1].iter().enumerate() {
                    if r > 0 {
                        counts[j * (n + 1) + r as usize] += 1;
                        len[j] += 1;
                        sum[j] += f64::from(r);
                    }
                }
            }
            (0..width)
                .map(|j| {
                    if len[j] == 0 {
                        return [f64::NAN; 4];
                    }
                    let c = &counts[j * (n + 1)..(j + 1) * (n + 1)];
                    [
                        quantile_of_counts(c, len[j], 0.5),
                        quantile_of_counts(c, len[j], 0.05),
                        quantile_of_counts(c, len[j], 0.95),
                        sum[j] / len[j] as f64,
                    ]
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let summary: Vec<[f64; 4]> = blocks.into_iter().flatten().collect();
    let median = summary.iter().map(|s| s[0]).collect();
    let p5 = summary.iter().map(|s| s[1]).collect();
    let p95 = summary.iter().map(|s| s[2]).collect();
    let mean = summary.iter().map(|s| s[3]).collect();
    Ok(UncertaintyResult {
        options: options.clone(),
        nominal,
        median,
        p5,
        p95,
        mean,
        runs_ok: ok,
        runs_failed: failed,
        failures,
    })
}

/// First-order and total Sobol indices of several factors.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// First-order index S_i per factor (Saltelli et al. 2010, eq. (b) of
    /// table 2).
    pub first: Vec<f64>,
    /// Total index S_Ti per factor (Jansen 1999).
    pub total: Vec<f64>,
    /// Bootstrap confidence interval [low, high] of each first-order index
    /// (`NaN` without resamples).
    pub first_ci: Vec<[f64; 2]>,
    /// Bootstrap confidence interval [low, high] of each total index.
    pub total_ci: Vec<[f64; 2]>,
    /// Variance of the output over the A and B runs (denominator n).
    pub variance: f64,
}

/// Sobol indices from the model outputs on the matrices A, B and AB_i
/// (AB_i = A with column i taken from B), N rows each:
///
/// S_i = (1/N) Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V,
/// S_Ti = (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V,
///
/// with V the variance (denominator 2N) of f over the 2N rows of A and B,
/// after every output has been standardised by the mean and standard
/// deviation of all N·(k + 2) runs, as SALib's `sobol.analyze` computes them
/// (SALib 1.6). `variance` is reported on that standardised scale.
///
/// Confidence intervals: see [`Bootstrap`]; the same resampled rows serve
/// every factor and both indices, and V is recomputed on each resample.
///
/// # Errors
/// [`EvalError::Empty`] for no runs or unequal lengths; a zero variance gives
/// `NaN` indices rather than an error (the output does not vary at all).
///
/// ```
/// use weaver_evaluation::uncertainty::{Bootstrap, sobol_indices};
/// // f(x1, x2) = x1 on a 4-row design: x1 explains everything.
/// let (a1, b1) = ([0.1, 0.4, 0.6, 0.9], [0.8, 0.3, 0.5, 0.2]);
/// let y_ab = vec![b1.to_vec(), a1.to_vec()]; // AB_1 takes x1 from B; AB_2 keeps A's x1
/// let s = sobol_indices(&a1, &b1, &y_ab, &Bootstrap::default()).unwrap();
/// assert_eq!(s.first[1], 0.0);
/// assert_eq!(s.total[1], 0.0);
/// let [lo, hi] = s.total_ci[0];
/// assert!(lo <= s.total[0] && s.total[0] <= hi);
/// ```
///
/// # References
/// Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. &
/// Tarantola, S. (2010). Variance based sensitivity analysis of model output.
/// Design and estimator for the total sensitivity index. *Computer Physics
/// Communications* 181(2), 259–270.
/// Jansen, M. J. W. (1999). Analysis of variance designs for model output.
/// *Computer Physics Communications* 117(1–2), 35–43.
/// Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*,
/// ch. 13 (percentile intervals). Chapman & Hall.
pub fn sobol_indices(
    y_a: &[f64],
    y_b: &[f64],
    y_ab: &[Vec<f64>],
    bootstrap: &Bootstrap,
) -> Result<SobolIndices, EvalError> {
    let n = y_a.len();
    if n == 0 || y_b.len() != n || y_ab.iter().any(|v| v.len() != n) {
        return Err(EvalError::Empty {
            what: "Sobol indices need runs of A, B and every AB_i of equal length".into(),
        });
    }
    // Standardise by the mean and sd (denominator n) of every run, as SALib
    // does: the first-order estimator is biased for non-centred outputs.
    let every: Vec<f64> = y_a
        .iter()
        .chain(y_b)
        .chain(y_ab.iter().flatten())
        .copied()
        .collect();
    let mu = every.iter().sum::<f64>() / every.len() as f64;
    let sd = (every.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / every.len() as f64).sqrt();
    let scale = if sd > 0.0 { sd } else { 1.0 };
    let st = |v: &[f64]| -> Vec<f64> { v.iter().map(|x| (x - mu) / scale).collect() };
    let (y_a, y_b) = (st(y_a), st(y_b));
    let y_ab: Vec<Vec<f64>> = y_ab.iter().map(|v| st(v)).collect();
    let rows: Vec<usize> = (0..n).collect();
    let (first, total, variance) = sobol_estimates(&y_a, &y_b, &y_ab, &rows);
    let k = y_ab.len();
    let mut first_ci = vec![[f64::NAN; 2]; k];
    let mut total_ci = vec![[f64::NAN; 2]; k];
    if bootstrap.resamples > 0 {
        let mut rng = Pcg64::seed_from_u64(bootstrap.seed);
        let mut fs: Vec<Vec<f64>> = vec![Vec::with_capacity(bootstrap.resamples); k];
        let mut ts: Vec<Vec<f64>> = vec![Vec::with_capacity(bootstrap.resamples); k];
        let mut pick = vec![0usize; n];
        for _ in 0..bootstrap.resamples {
            for p in pick.iter_mut() {
                *p = rng.random_range(0..n);
            }
            let (f, t, _) = sobol_estimates(&y_a, &y_b, &y_ab, &pick);
            for i in 0..k {
                // A resample whose outputs are all equal has no variance.
                if f[i].is_finite() && t[i].is_finite() {
                    fs[i].push(f[i]);
                    ts[i].push(t[i]);
                }
            }
        }
        let (pl, ph) = ((1.0 - bootstrap.level) / 2.0, (1.0 + bootstrap.level) / 2.0);
        for i in 0..k {
            for (v, ci) in [
                (&mut fs[i], &mut first_ci[i]),
                (&mut ts[i], &mut total_ci[i]),
            ] {
                v.sort_by(f64::total_cmp);
                *ci = [stats::quantile_sorted(v, pl), stats::quantile_sorted(v, ph)];
            }
        }
    }
    Ok(SobolIndices {
        first,
        total,
        first_ci,
        total_ci,
        variance,
    })
}

/// The estimators of [`sobol_indices`] over the given rows (standardised
/// outputs): (first-order, total, variance).
fn sobol_estimates(
    y_a: &[f64],
    y_b: &[f64],
    y_ab: &[Vec<f64>],
    rows: &[usize],
) -> (Vec<f64>, Vec<f64>, f64) {
    let n = rows.len() as f64;
    let m = rows.iter().map(|&j| y_a[j] + y_b[j]).sum::<f64>() / (2.0 * n);
    let variance = rows
        .iter()
        .map(|&j| (y_a[j] - m).powi(2) + (y_b[j] - m).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    let mut first = Vec::with_capacity(y_ab.len());
    let mut total = Vec::with_capacity(y_ab.len());
    for ab in y_ab {
        let s: f64 = rows.iter().map(|&j| y_b[j] * (ab[j] - y_a[j])).sum::<f64>() / n;
        let t: f64 = rows.iter().map(|&j| (y_a[j] - ab[j]).powi(2)).sum::<f64>() / (2.0 * n);
        first.push(s / variance);
        total.push(t / variance);
    }
    (first, total, variance)
}

/// Names of the four factors of [`rank_sensitivity`], in order.
pub const FACTORS: [&str; 4] = ["normalisation", "weights", "aggregation", "winsorisation"];

/// Result of [`rank_sensitivity`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankSensitivity {
    /// Factor names ([`FACTORS`]).
    pub factors: Vec<String>,
    /// The indices.
    pub indices: SobolIndices,
    /// Base sample size N (runs = N·(k + 2)).
    pub n: usize,
    /// Runs that failed (their output counts as the nominal, shift 0).
    pub runs_failed: usize,
}

/// Variance-based sensitivity of the mean absolute rank shift (the mean over
/// units of |rank − nominal rank|) to the four uncertain choices.
///
/// Sampling: matrices A and B of N × 4 uniform numbers from Pcg64 (seeded);
/// a number u selects choice ⌊u·m⌋ of m for normalisation, aggregation and
/// winsorisation limit, and perturbation vector ⌊u·N⌋ of a bank of N weight
/// perturbations drawn beforehand. N·(4 + 2) index computations. Indices by
/// [`sobol_indices`].
///
/// # Errors
/// As [`rank_uncertainty`]; `options.runs` is used as N.
pub fn rank_sensitivity(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    groups: Option<&[Option<usize>]>,
    options: &UncertaintyOptions,
) -> Result<RankSensitivity, EvalError> {
    options.check()?;
    let runner = Runner::new(input, framework, method, groups, options);
    let nominal = runner.nominal()?;
    let n = options.runs;
    let k = FACTORS.len();
    let mut rng = Pcg64::seed_from_u64(options.seed);
    let bank: Vec<WeightFactors> = (0..n).map(|_| runner.random_factors(&mut rng)).collect();
    let a: Vec<[f64; 4]> = (0..n)
        .map(|_| std::array::from_fn(|_| rng.random::<f64>()))
        .collect();
    let b: Vec<[f64; 4]> = (0..n)
        .map(|_| std::array::from_fn(|_| rng.random::<f64>()))
        .collect();
    let mut failed = 0;
    let mut eval = |u: &[f64; 4]| -> f64 {
        let draw = Draw {
            normalisation: pick(u[0], options.normalisations.len()),
            factors: bank[pick(u[1], bank.len())].clone(),
            aggregation: pick(u[2], options.aggregations.len()),
            winsor: if options.winsor_limits.is_empty() {
                None
            } else {
                Some(options.winsor_limits[pick(u[3], options.winsor_limits.len())])
            },
        };
        match runner.run(&draw) {
            Ok(r) => {
                let shifts: Vec<f64> = r
                    .iter()
                    .zip(&nominal)
                    .filter_map(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => Some((*x as f64 - *y as f64).abs()),
                        _ => None,
                    })
                    .collect();
                if shifts.is_empty() {
                    0.0
                } else {
                    stats::mean(&shifts)
                }
            }
            Err(_) => {
                failed += 1;
                0.0
            }
        }
    };
    let y_a: Vec<f64> = a.iter().map(&mut eval).collect();
    let y_b: Vec<f64> = b.iter().map(&mut eval).collect();
    let y_ab: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            a.iter()
                .zip(&b)
                .map(|(ra, rb)| {
                    let mut r = *ra;
                    r[i] = rb[i];
                    eval(&r)
                })
                .collect()
        })
        .collect();
    let indices = sobol_indices(
        &y_a,
        &y_b,
        &y_ab,
        &Bootstrap {
            seed: options.seed,
            ..options.bootstrap
        },
    )?;
    Ok(RankSensitivity {
        factors: FACTORS.iter().map(|s| s.to_string()).collect(),
        indices,
        n,
        runs_failed: failed,
    })
}

/// Cronbach's α of the columns of `x` (units × items), over the units with
/// every item: α = k/(k − 1)·(1 − Σ_j s²_j / s²_total), sample variances.
/// `NaN` with fewer than 2 items, fewer than 2 complete units or a constant
/// total.
///
/// ```
/// use weaver_evaluation::{Matrix, uncertainty::cronbach_alpha};
/// let x = Matrix::from_rows(&[vec![1.0, 2.0], vec![2.0, 3.0], vec![3.0, 5.0]]);
/// // s² = 1, 7/3; total (3, 5, 8): s² = 19/3 → α = 2·(1 − (10/3)/(19/3)) = 18/19
/// assert!((cronbach_alpha(&x) - 18.0 / 19.0).abs() < 1e-12);
/// ```
///
/// # References
/// Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
/// tests. *Psychometrika* 16(3), 297–334.
pub fn cronbach_alpha(x: &crate::Matrix) -> f64 {
    let k = x.cols;
    let rows: Vec<usize> = (0..x.rows)
        .filter(|&r| x.row(r).iter().all(|v| v.is_finite()))
        .collect();
    if k < 2 || rows.len() < 2 {
        return f64::NAN;
    }
    let item_var: f64 = (0..k)
        .map(|j| stats::var(&rows.iter().map(|&r| x.get(r, j)).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = rows.iter().map(|&r| x.row(r).iter().sum()).collect();
    let tv = stats::var(&totals);
    if !(tv > 0.0) {
        return f64::NAN;
    }
    k as f64 / (k as f64 - 1.0) * (1.0 - item_var / tv)
}

/// Leave-one-out: for each framework indicator, the mean absolute rank shift
/// of the units when that indicator is left out (its values set missing, so
/// the remaining weights are rescaled). `NaN` when leaving it out fails.
pub fn leave_one_out(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    groups: Option<&[Option<usize>]>,
) -> Result<Vec<f64>, EvalError> {
    let nominal = period_index(input, framework, method, groups, None)?.ranks;
    let mut out = Vec::with_capacity(framework.indicators.len());
    for c in 0..framework.indicators.len() {
        let mut raw = input.raw.clone();
        for r in 0..raw.rows {
            raw.set(r, c, f64::NAN);
        }
        let inp = PeriodInput {
            raw: &raw,
            ..*input
        };
        let shift = match period_index(&inp, framework, method, groups, None) {
            Ok(res) => {
                let s: Vec<f64> = res
                    .ranks
                    .iter()
                    .zip(&nominal)
                    .filter_map(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => Some((*x as f64 - *y as f64).abs()),
                        _ => None,
                    })
                    .collect();
                stats::mean(&s)
            }
            Err(_) => f64::NAN,
        };
        out.push(shift);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, Indicator};

    #[test]
    fn cached_runs_equal_full_runs() {
        // Heavy-tailed columns so that winsorisation and the log fallback both occur.
        let mut rng = Pcg64::seed_from_u64(5);
        let rows: Vec<Vec<f64>> = (0..40)
            .map(|_| {
                (0..4)
                    .map(|c| {
                        let u: f64 = rng.random::<f64>().max(1e-9);
                        if c % 2 == 0 { 1.0 / u } else { u }
                    })
                    .collect()
            })
            .collect();
        let raw = crate::Matrix::from_rows(&rows);
        let inds: Vec<Indicator> = (0..4)
            .map(|c| Indicator::new(&format!("i{c}"), Direction::HigherBetter))
            .collect();
        let method = IndexMethod::default();
        let fw = Framework::resolve(&inds, &method).unwrap();
        let units: Vec<String> = (0..40).map(|u| u.to_string()).collect();
        let present = vec![true; 40];
        let input = PeriodInput {
            period: "p",
            raw: &raw,
            present: &present,
            units: &units,
        };
        let opts = UncertaintyOptions::default();
        let cached = Runner::new(&input, &fw, &method, None, &opts);
        assert_eq!(cached.prepared.len(), 10);
        let plain = Runner::new(&input, &fw, &method, None, &opts).without_cache();
        let mut rng = Pcg64::seed_from_u64(6);
        for k in 0..20 {
            let draw = Draw {
                normalisation: k % 2,
                aggregation: (k / 2) % 2,
                winsor: Some(1 + k % 5),
                factors: cached.random_factors(&mut rng),
            };
            assert_eq!(
                cached.run(&draw).map_err(|e| e.to_string()),
                plain.run(&draw).map_err(|e| e.to_string())
            );
        }
    }

    /// The fast path's ranks against the full path's on 200 draws, with
    /// values missing at the given rate; returns (failed runs, runs the
    /// fast path took, whether it used the column-major path).
    fn compare_fast_and_full(missing: f64, seed: u64) -> (usize, usize, bool) {
        let mut rng = Pcg64::seed_from_u64(seed);
        let mut rows: Vec<Vec<f64>> = (0..30)
            .map(|_| {
                (0..5)
                    .map(|c| {
                        let u: f64 = rng.random::<f64>().max(1e-9);
                        if rng.random::<f64>() < missing {
                            f64::NAN
                        } else if c == 0 {
                            1.0 / u
                        } else {
                            (u * 4.0).round()
                        }
                    })
                    .collect()
            })
            .collect();
        // An absent unit and one screened out (coverage 0.2 < 0.5).
        rows[3] = vec![f64::NAN; 5];
        rows[4] = vec![f64::NAN, f64::NAN, f64::NAN, f64::NAN, 2.0];
        let raw = crate::Matrix::from_rows(&rows);
        let inds: Vec<Indicator> = (0..5)
            .map(|c| {
                let mut i = Indicator::new(&format!("i{c}"), Direction::HigherBetter);
                i.dimension = Some(if c < 2 { "A" } else { "B" }.into());
                i.weight = Some(1.0 + c as f64);
                i
            })
            .collect();
        let method =
            IndexMethod::from_toml("[method]\nweighting = \"manual\"\nmin_unit_coverage = 0.5")
                .unwrap();
        let fw = Framework::resolve(&inds, &method).unwrap();
        let units: Vec<String> = (0..30).map(|u| u.to_string()).collect();
        let present: Vec<bool> = (0..30).map(|u| u != 3).collect();
        let input = PeriodInput {
            period: "p",
            raw: &raw,
            present: &present,
            units: &units,
        };
        // z-scores around 0 make geometric runs fail; ties come from the
        // rounded columns.
        let opts = UncertaintyOptions {
            normalisations: vec![
                Normalisation::MinMax { lo: 1.0, hi: 100.0 },
                Normalisation::ZScore { mean: 0.0, sd: 1.0 },
            ],
            ..UncertaintyOptions::default()
        };
        let fast = Runner::new(&input, &fw, &method, None, &opts);
        assert!(fast.fixed.is_some());
        let plain = Runner::new(&input, &fw, &method, None, &opts).without_cache();
        let mut bufs = RunBuffers::default();
        let mut out = vec![0u32; 30];
        let (mut failures, mut fast_hits) = (0, 0);
        for k in 0..200 {
            let draw = Draw {
                normalisation: k % 2,
                aggregation: (k / 2) % 2,
                winsor: Some(1 + k % 5),
                factors: fast.random_factors(&mut rng),
            };
            let want = plain.run(&draw).map_err(|e| e.to_string());
            let got = fast
                .run_into(&draw, &mut bufs, &mut out)
                .map(|()| {
                    out.iter()
                        .map(|&r| (r > 0).then_some(r as usize))
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.to_string());
            assert_eq!(got, want, "draw {k}");
            if want.is_err() {
                failures += 1;
            }
            let key = (draw.normalisation, draw.winsor);
            if let Some((_, Ok(p))) = fast.prepared.iter().find(|(k, _)| *k == key) {
                let agg = opts.aggregations[draw.aggregation];
                let fw = &fast.frameworks[draw.aggregation];
                let fixed = fast.fixed.as_ref().unwrap();
                if fast_ranks(fw, p, fixed, agg, &draw.factors, &mut bufs, &mut out) {
                    fast_hits += 1;
                }
            }
        }
        let columnar = fast
            .prepared
            .iter()
            .any(|(_, p)| p.as_ref().is_ok_and(|p| p.is_complete()));
        (failures, fast_hits, columnar)
    }

    #[test]
    fn fast_runs_equal_full_runs() {
        // Missing values: the row-wise fast path.
        let (failures, hits, columnar) = compare_fast_and_full(0.1, 8);
        assert!(failures > 0 && hits > 100 && !columnar, "{failures} {hits}");
        // Complete data apart from the screened unit: the column-major path.
        let (failures, hits, columnar) = compare_fast_and_full(0.0, 9);
        assert!(failures > 0 && hits > 100 && columnar, "{failures} {hits}");
    }

    #[test]
    fn batched_uncertainty_equals_the_full_path_run_by_run() {
        // Complete data (the batched column path) with ties from rounded
        // columns, and z-scores around 0 that make geometric runs fail.
        let mut rng = Pcg64::seed_from_u64(21);
        let rows: Vec<Vec<f64>> = (0..45)
            .map(|_| {
                (0..6)
                    .map(|c| {
                        let u: f64 = rng.random::<f64>().max(1e-9);
                        if c % 3 == 0 {
                            1.0 / u
                        } else {
                            (u * 5.0).round()
                        }
                    })
                    .collect()
            })
            .collect();
        let raw = crate::Matrix::from_rows(&rows);
        let inds: Vec<Indicator> = (0..6)
            .map(|c| {
                let mut i = Indicator::new(&format!("i{c}"), Direction::HigherBetter);
                i.dimension = Some(if c < 4 { "A" } else { "B" }.into());
                i
            })
            .collect();
        let method = IndexMethod::default();
        let fw = Framework::resolve(&inds, &method).unwrap();
        let units: Vec<String> = (0..45).map(|u| u.to_string()).collect();
        let present = vec![true; 45];
        let input = PeriodInput {
            period: "p",
            raw: &raw,
            present: &present,
            units: &units,
        };
        let opts = UncertaintyOptions {
            runs: 300,
            seed: 4,
            normalisations: vec![
                Normalisation::MinMax { lo: 1.0, hi: 100.0 },
                Normalisation::ZScore { mean: 0.0, sd: 1.0 },
            ],
            ..UncertaintyOptions::default()
        };
        let got = rank_uncertainty(&input, &fw, &method, None, &opts).unwrap();
        // The same draws, each through the full path, summarised by sorting.
        let plain = Runner::new(&input, &fw, &method, None, &opts).without_cache();
        let mut per_unit: Vec<Vec<f64>> = vec![Vec::new(); 45];
        let mut failed = 0;
        for d in plain.draws() {
            match plain.run(&d) {
                Ok(r) => {
                    for (u, x) in r.iter().enumerate() {
                        per_unit[u].extend(x.map(|x| x as f64));
                    }
                }
                Err(_) => failed += 1,
            }
        }
        assert!(failed > 0 && failed < 300, "{failed}");
        assert_eq!(got.runs_failed, failed);
        for (u, v) in per_unit.iter_mut().enumerate() {
            v.sort_by(f64::total_cmp);
            assert_eq!(got.median[u], stats::quantile_sorted(v, 0.5), "unit {u}");
            assert_eq!(got.p5[u], stats::quantile_sorted(v, 0.05), "unit {u}");
            assert_eq!(got.p95[u], stats::quantile_sorted(v, 0.95), "unit {u}");
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            assert_eq!(got.mean[u], mean, "unit {u}");
        }
    }

    #[test]
    fn quantiles_of_counts_equal_sorted_quantiles() {
        let v = [1.0, 1.0, 2.0, 4.0, 4.0, 4.0, 7.0];
        let mut counts = vec![0u32; 8];
        for x in v {
            counts[x as usize] += 1;
        }
        for p in [0.0, 0.05, 0.3, 0.5, 0.95, 1.0] {
            assert_eq!(
                quantile_of_counts(&counts, v.len(), p),
                stats::quantile_sorted(&v, p),
                "p = {p}"
            );
        }
    }
}

/// Statistical checks of one indicator in one period (COINr's
/// `get_stats`/`get_corr_flags` conventions).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCheck {
    /// Index of the indicator in the framework.
    pub indicator: usize,
    /// Index of its dimension.
    pub dimension: usize,
    /// Share of the present units with a value.
    pub availability: f64,
    /// Skewness of the raw values ([`stats::skew`]).
    pub skew: f64,
    /// Excess kurtosis of the raw values ([`stats::kurt`]).
    pub kurtosis: f64,
    /// |skew| ≥ `skew_threshold` and kurtosis ≥ `kurtosis_threshold`.
    pub outlier: bool,
    /// Cronbach's α of its dimension's normalised indicators.
    pub dimension_alpha: f64,
    /// Other indicators of its dimension with a negative correlation
    /// (Pearson, normalised values) — COINr flags these as working against
    /// each other.
    pub negative_correlations: usize,
}

/// Checks of every framework indicator: availability, skewness and kurtosis
/// with the outlier flag of the method's thresholds, Cronbach's α of its
/// dimension and negative within-dimension correlations.
pub fn indicator_checks(
    input: &PeriodInput<'_>,
    framework: &Framework,
    method: &IndexMethod,
    normalised: &crate::Matrix,
) -> Vec<IndicatorCheck> {
    let rows: Vec<usize> = (0..input.raw.rows).filter(|&r| input.present[r]).collect();
    let alphas: Vec<f64> = framework
        .dimensions
        .iter()
        .map(|d| {
            let sub = normalised.select_columns(&d.members);
            let m = crate::Matrix::from_rows(
                &rows
                    .iter()
                    .map(|&r| sub.row(r).to_vec())
                    .collect::<Vec<_>>(),
            );
            cronbach_alpha(&m)
        })
        .collect();
    let mut out = Vec::new();
    for (d, dim) in framework.dimensions.iter().enumerate() {
        for &i in &dim.members {
            let raw: Vec<f64> = rows.iter().map(|&r| input.raw.get(r, i)).collect();
            let avail = raw.iter().filter(|v| v.is_finite()).count();
            let (sk, ku) = (stats::skew(&raw), stats::kurt(&raw));
            let zi: Vec<f64> = rows.iter().map(|&r| normalised.get(r, i)).collect();
            let negative = dim
                .members
                .iter()
                .filter(|&&j| j != i)
                .filter(|&&j| {
                    let zj: Vec<f64> = rows.iter().map(|&r| normalised.get(r, j)).collect();
                    stats::pearson(&zi, &zj) < 0.0
                })
                .count();
            out.push(IndicatorCheck {
                indicator: i,
                dimension: d,
                availability: if rows.is_empty() {
                    f64::NAN
                } else {
                    avail as f64 / rows.len() as f64
                },
                skew: sk,
                kurtosis: ku,
                outlier: sk.abs() >= method.treatment.skew_threshold
                    && ku >= method.treatment.kurtosis_threshold,
                dimension_alpha: alphas[d],
                negative_correlations: negative,
            });
        }
    }
    out
}
