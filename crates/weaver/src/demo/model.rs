//! The generative model: the generator's state, the lifecycle curves that
//! shape each cluster's story, and the draws (firmographics, tie
//! propensity, tie kinds, industries, money by source).

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use super::catalogue::{
    CLUSTERS, ClusterSpec, Country, ENTERPRISE, FINANCE, GOVERNMENT, INTERMEDIARY, NO_SIZE,
    RESEARCH, UNIVERSITY, USER,
};
use super::programmes::PROGRAMMES;
use super::{DemoOptions, LAST_YEAR, MIN_ORGANIZATIONS, YEARS};

#[derive(Debug, Clone, Copy)]
pub(super) struct Org {
    pub(super) cluster: u16,
    pub(super) actor: u8,
    pub(super) size: u8,
    pub(super) founded: i16,
    pub(super) employees: u32,
}

#[derive(Debug)]
pub(super) struct Project {
    pub(super) cluster: u16,
    pub(super) start_year: i32,
    pub(super) budget: f64,
    /// (org, role 0 coordinator / 1 partner / 2 associate, contribution).
    pub(super) participants: Vec<(u32, u8, f64)>,
    /// Public (with its participations), or visible to the cluster only.
    pub(super) public: bool,
}

/// Per cluster and year (FIRST_YEAR..=LAST_YEAR) counts gathered while
/// generating, for the observations.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    /// Members during the year (a membership valid in it).
    pub(super) members: [f64; YEARS],
    /// Members who joined in the year.
    pub(super) joined: [f64; YEARS],
    /// Member enterprises during the year that are large.
    pub(super) large_enterprises: [f64; YEARS],
    /// Member enterprises during the year that are small or medium-sized.
    pub(super) sme_enterprises: [f64; YEARS],
}

pub(super) struct Generator {
    pub(super) seed: u64,
    pub(super) n: usize,
    pub(super) n_ties: usize,
    pub(super) source: String,
    pub(super) orgs: Vec<Org>,
    /// Organizations of cluster c are `ranges[c].0 .. ranges[c].1`.
    pub(super) ranges: Vec<(usize, usize)>,
    /// Cumulative tie propensity over all organizations (heavy-tailed).
    pub(super) fitness: Vec<f64>,
    /// Current members of each cluster (org index, tier 0 core .. 3
    /// associate, year joined).
    pub(super) members: Vec<Vec<(u32, u8, i32)>>,
    /// Former members of each cluster (org index, year joined, year left).
    pub(super) former: Vec<Vec<(u32, i32, i32)>>,
    pub(super) projects: Vec<Project>,
    pub(super) tally: Vec<Tally>,
    pub(super) fte: Vec<f64>,
    /// Governance bodies with a seat in each year, per cluster.
    pub(super) bodies: Vec<[u8; YEARS]>,
}

/// Lifecycle maturity in [0, 1): a logistic curve of age, midpoint 8 years.
pub(super) fn maturity(age: i32) -> f64 {
    1.0 / (1.0 + (-(age as f64 - 8.0) / 3.0).exp())
}

impl Generator {
    pub(super) fn new(options: &DemoOptions) -> Self {
        let n = options.organizations.max(MIN_ORGANIZATIONS);
        Generator {
            seed: options.seed,
            n,
            n_ties: options.ties.unwrap_or(4 * n),
            source: format!("synthetic demo data (weaver demo, seed {})", options.seed),
            orgs: Vec::with_capacity(n),
            ranges: Vec::new(),
            fitness: Vec::with_capacity(n),
            members: vec![Vec::new(); CLUSTERS.len()],
            former: vec![Vec::new(); CLUSTERS.len()],
            projects: Vec::new(),
            tally: vec![Tally::default(); CLUSTERS.len()],
            fte: vec![0.0; CLUSTERS.len()],
            bodies: vec![[0; YEARS]; CLUSTERS.len()],
        }
    }

    /// A generator for one table, independent of the others' draws.
    pub(super) fn rng(&self, table: u64) -> Pcg64 {
        Pcg64::seed_from_u64(
            self.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(table),
        )
    }

    pub(super) fn org_id(i: usize) -> String {
        format!("demo-org-{i:06}")
    }
}

/// Staff of a cluster's management in the last year: grows with the square
/// root of its organizations and with maturity.
pub(super) fn management_fte(organizations: usize, founded: i32) -> f64 {
    let size = organizations as f64;
    (2.0 + size.sqrt() * 0.6 * (0.5 + maturity(LAST_YEAR - founded)))
        .round()
        .max(2.0)
}

pub(super) fn provincial_start(spec: &ClusterSpec) -> i32 {
    PROGRAMMES
        .iter()
        .find(|p| p.0 == spec.provincial)
        .and_then(|p| p.5.parse().ok())
        .unwrap_or(spec.founded)
}

/// Splits `amount` of a cluster's money in `year` by source: the public part
/// by [`Story::public_share`](super::catalogue::Story::public_share), the rest private, own and (for projects) venture.
pub(super) fn split_money(
    rng: &mut Pcg64,
    spec: &ClusterSpec,
    year: i32,
    amount: f64,
    project: bool,
    out: &mut Vec<(&'static str, &'static str, f64)>,
) {
    out.clear();
    let share =
        (spec.story.public_share(year - spec.founded) * rng.random_range(0.9..1.1)).min(0.97);
    let public = amount * share;
    let private = amount - public;
    let national = match spec.country {
        Country::China if year >= 2020 && spec.founded <= 2013 => "demo-cn-amc",
        c => c.national_programme(),
    };
    match spec.country {
        Country::China => {
            out.push(("central_gov", national, public * 0.4));
            out.push(("local_gov", spec.provincial, public * 0.6));
        }
        _ => {
            let eu = if year <= 2020 {
                "demo-eu-h2020"
            } else {
                "demo-eu-horizon"
            };
            let supra = if project { 0.35 } else { 0.15 };
            out.push(("central_gov", national, public * (1.0 - supra) * 0.5));
            out.push(("local_gov", spec.provincial, public * (1.0 - supra) * 0.5));
            out.push(("supranational", eu, public * supra));
        }
    }
    if project {
        let venture = private * rng.random_range(0.0..0.3) * maturity(year - spec.founded);
        let bank = private * rng.random_range(0.0..0.15);
        let rest = private - venture - bank;
        out.push(("own", "", rest * 0.7));
        out.push(("private", "", rest * 0.3));
        out.push(("venture", "", venture));
        out.push(("bank", "", bank));
    } else {
        out.push(("private", "", private * 0.6));
        out.push(("own", "", private * 0.4));
    }
    for entry in out.iter_mut() {
        entry.2 = entry.2.max(0.0).round();
    }
}

pub(super) fn pick<T: Copy>(rng: &mut Pcg64, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|c| c.1).sum();
    let mut u = rng.random::<f64>() * total;
    for &(v, w) in choices {
        if u < w {
            return v;
        }
        u -= w;
    }
    choices[choices.len() - 1].0
}

pub(super) fn cumulative(weights: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// Draws an index in `lo..hi` with probability proportional to its weight,
/// given the cumulative weights `cum` (O(log n)).
pub(super) fn sample_cum(rng: &mut Pcg64, cum: &[f64], lo: usize, hi: usize) -> usize {
    let base = if lo == 0 { 0.0 } else { cum[lo - 1] };
    let top = cum[hi - 1];
    let x = base + rng.random::<f64>() * (top - base);
    let i = lo + cum[lo..hi].partition_point(|&c| c <= x);
    i.min(hi - 1)
}

/// Up to `k` distinct items of `pool`, drawn at random.
pub(super) fn distinct(rng: &mut Pcg64, pool: &[u32], k: usize) -> Vec<u32> {
    let k = k.min(pool.len());
    let mut out: Vec<u32> = Vec::with_capacity(k);
    if k * 2 >= pool.len() {
        let mut all = pool.to_vec();
        for i in 0..k {
            let j = rng.random_range(i..all.len());
            all.swap(i, j);
        }
        all.truncate(k);
        return all;
    }
    while out.len() < k {
        let x = pool[rng.random_range(0..pool.len())];
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Size class from employees, by the thresholds of the EU's SME definition
/// (Recommendation 2003/361/EC): micro below 10, small below 50, medium
/// below 250, large from 250.
pub(super) fn size_of(employees: u32) -> u8 {
    match employees {
        0..10 => 3,
        10..50 => 2,
        50..250 => 1,
        _ => 0,
    }
}

/// A whole number in `lo..hi`, log-uniform (as many of 30..300 as of 300..3000).
fn log_uniform(rng: &mut Pcg64, lo: u32, hi: u32) -> u32 {
    let (a, b) = ((lo as f64).ln(), (hi as f64).ln());
    (rng.random_range(a..b).exp() as u32).clamp(lo, hi - 1)
}

/// Size class, employees and founding year by actor type: the size class
/// follows from employees ([`size_of`]), except the few enterprises known
/// only as `sme` (fewer than 250) and government bodies, which have none.
pub(super) fn firmographics(rng: &mut Pcg64, actor: u8) -> (u8, u32, i16) {
    let sized = |employees: u32, founded: i16| (size_of(employees), employees, founded);
    match actor {
        ENTERPRISE => {
            let size = pick(
                rng,
                &[(0u8, 0.04), (1, 0.14), (2, 0.34), (3, 0.46), (4, 0.02)],
            );
            let employees = match size {
                0 => log_uniform(rng, 250, 20_000),
                1 => rng.random_range(50..250),
                2 => rng.random_range(10..50),
                3 => rng.random_range(1..10),
                _ => rng.random_range(5..250),
            };
            let founded = if size == 3 || rng.random_bool(0.25) {
                rng.random_range(2008..=LAST_YEAR as i16)
            } else {
                rng.random_range(1950..2015)
            };
            let size = if size == 4 { 4 } else { size_of(employees) };
            (size, employees, founded)
        }
        UNIVERSITY => sized(log_uniform(rng, 800, 12_000), rng.random_range(1900..2005)),
        RESEARCH => sized(log_uniform(rng, 20, 2_500), rng.random_range(1950..2018)),
        GOVERNMENT => (
            NO_SIZE,
            rng.random_range(20..600),
            rng.random_range(1949..2010),
        ),
        FINANCE => sized(log_uniform(rng, 5, 3_000), rng.random_range(1980..2022)),
        INTERMEDIARY => sized(log_uniform(rng, 2, 120), rng.random_range(1995..2020)),
        _ => sized(log_uniform(rng, 50, 30_000), rng.random_range(1950..2015)),
    }
}

/// Propensity to form ties: Pareto(α = 1.5) times a size factor, which gives
/// a heavy-tailed degree distribution.
pub(super) fn fitness_of(rng: &mut Pcg64, org: &Org) -> f64 {
    let u: f64 = rng.random();
    let pareto = (1.0 - u).powf(-1.0 / 1.5).min(200.0);
    let factor = match (org.actor, org.size) {
        (UNIVERSITY | RESEARCH, _) => 3.0,
        (_, 0) => 2.5,
        (INTERMEDIARY, _) => 1.5,
        (GOVERNMENT, _) => 0.8,
        (_, 3) => 0.6,
        _ => 1.0,
    };
    pareto * factor
}

pub(super) fn tie_kind(rng: &mut Pcg64, a: u8, b: u8) -> usize {
    let academic = |x: u8| matches!(x, UNIVERSITY | RESEARCH);
    // contract, license, co_patent, co_publication, supply, tech_transfer, other
    let w: [f64; 7] = if academic(a) && academic(b) {
        [0.2, 0.0, 0.2, 0.6, 0.0, 0.0, 0.0]
    } else if (academic(a) && b == ENTERPRISE) || (academic(b) && a == ENTERPRISE) {
        [0.3, 0.1, 0.15, 0.15, 0.0, 0.3, 0.0]
    } else if a == ENTERPRISE && b == ENTERPRISE {
        [0.25, 0.1, 0.1, 0.0, 0.45, 0.0, 0.1]
    } else if a == USER || b == USER {
        [0.3, 0.0, 0.0, 0.0, 0.5, 0.0, 0.2]
    } else {
        [0.5, 0.0, 0.0, 0.0, 0.0, 0.05, 0.45]
    };
    let total: f64 = w.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (k, &wk) in w.iter().enumerate() {
        if u < wk {
            return k;
        }
        u -= wk;
    }
    6
}

pub(super) fn industry_of(rng: &mut Pcg64, spec: &ClusterSpec, actor: u8) -> &'static str {
    let china = spec.country == Country::China;
    match actor {
        ENTERPRISE if rng.random_bool(0.8) => spec.sectors[rng.random_range(0..spec.sectors.len())],
        UNIVERSITY => {
            if china {
                "P83"
            } else {
                "P85"
            }
        }
        RESEARCH => {
            if china {
                "M73"
            } else {
                "M72"
            }
        }
        GOVERNMENT => {
            if china {
                "S92"
            } else {
                "O84"
            }
        }
        FINANCE => {
            if china {
                "J66"
            } else {
                "K64"
            }
        }
        INTERMEDIARY => {
            if china {
                "L72"
            } else {
                "M70"
            }
        }
        _ => {
            let list = spec.country.industries();
            list[rng.random_range(0..list.len())]
        }
    }
}
