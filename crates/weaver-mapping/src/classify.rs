//! Classifications of region × cluster cells: US Cluster Mapping's strong
//! clusters, the European Cluster Observatory's stars and the practitioners'
//! quadrant; a region's cluster strength.

use crate::error::MappingError;
use crate::fxhash::FxHashMap as HashMap;
use crate::panel::Panel;
use crate::stats::{percentile_ranks_type7, quantile_sorted};

/// Groups of cells compared with one another: same kind of region, same
/// category, same year, employment > 0, in order of their first cell; cell
/// indices ascending within a group.
///
/// Kept as one flat list of cell indices with the groups' bounds (two passes:
/// count, then place), not a vector per group: no reallocation while
/// millions of cells are sorted into groups.
struct PeerGroups {
    /// Cell indices, group after group.
    cells: Vec<u32>,
    /// Group `g` is `cells[bounds[g]..bounds[g + 1]]`.
    bounds: Vec<usize>,
}

impl PeerGroups {
    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.windows(2).map(|w| &self.cells[w[0]..w[1]])
    }
}

fn peer_groups(panel: &Panel) -> PeerGroups {
    let ny = panel.years.len();
    let nc = panel.clusters.len();
    const NO_GROUP: u32 = u32::MAX;
    // Group of each cell, numbered by first appearance.
    let mut index: HashMap<usize, u32> = HashMap::default();
    let mut sizes: Vec<usize> = Vec::new();
    let group_of: Vec<u32> = panel
        .cells
        .iter()
        .map(|c| {
            if c.employment > 0.0 {
                let key = (panel.kind_of(c) * ny + c.year()) * nc + c.cluster();
                let g = *index.entry(key).or_insert_with(|| {
                    sizes.push(0);
                    (sizes.len() - 1) as u32
                });
                sizes[g as usize] += 1;
                g
            } else {
                NO_GROUP
            }
        })
        .collect();
    let mut bounds = Vec::with_capacity(sizes.len() + 1);
    bounds.push(0);
    for s in &sizes {
        bounds.push(bounds[bounds.len() - 1] + s);
    }
    let mut next: Vec<usize> = bounds[..sizes.len()].to_vec();
    let mut cells = vec![0u32; bounds[sizes.len()]];
    for (i, &g) in group_of.iter().enumerate() {
        if g != NO_GROUP {
            cells[next[g as usize]] = i as u32;
            next[g as usize] += 1;
        }
    }
    PeerGroups { cells, bounds }
}

fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn check_prob(name: &'static str, q: f64) -> Result<(), MappingError> {
    if (0.0..=1.0).contains(&q) {
        Ok(())
    } else {
        Err(MappingError::Parameter {
            name,
            value: q,
            expected: "a probability in [0, 1]",
        })
    }
}

/// Parameters of US Cluster Mapping's classification ([`classify_cmp`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CmpOptions {
    /// Percentile of LQ a qualifying cluster must exceed (default 0.25).
    pub qualifying: f64,
    /// Percentile of LQ a significant cluster must exceed (default 0.50).
    pub significant: f64,
    /// Percentile of LQ a strong cluster must reach (default 0.75).
    pub strong: f64,
    /// Percentile of LQ a strong10 cluster must reach (default 0.90).
    pub strong10: f64,
    /// Smallest LQ of a strong or strong10 cluster (default 1).
    pub min_lq: f64,
    /// Percentile of employment and establishments every class must exceed
    /// (default 0.25).
    pub size: f64,
    /// Use the establishments condition when the panel has establishments
    /// (default true).
    pub use_establishments: bool,
}

impl Default for CmpOptions {
    fn default() -> Self {
        CmpOptions {
            qualifying: 0.25,
            significant: 0.50,
            strong: 0.75,
            strong10: 0.90,
            min_lq: 1.0,
            size: 0.25,
            use_establishments: true,
        }
    }
}

/// US Cluster Mapping's classes of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CmpClass {
    /// LQ above the 25th percentile (and size conditions).
    pub qualifying: bool,
    /// LQ above the median (and size conditions).
    pub significant: bool,
    /// LQ at or above the 75th percentile and ≥ 1 (and size conditions).
    pub strong: bool,
    /// LQ at or above the 90th percentile and ≥ 1 (and size conditions).
    pub strong10: bool,
}

/// Result of [`classify_cmp`].
#[derive(Debug, Clone, PartialEq)]
pub struct CmpResult {
    /// Classes of every cell, in cell order.
    pub classes: Vec<CmpClass>,
    /// Whether the establishments condition was applied (false when the
    /// panel has no establishments, or the option is off).
    pub establishments_used: bool,
}

/// Classifies every cell by US Cluster Mapping's rules.
///
/// Among the regions of the same kind with employment > 0, for the same
/// category and year, with P_q(x) the q-quantile (type 7, [`crate::stats::quantile`]):
///
/// * size: E_rc > P25(E) and, when establishments are known, N_rc > P25(N);
/// * qualifying: size and LQ > P25(LQ);
/// * significant: size and LQ > P50(LQ);
/// * strong: size, LQ ≥ P75(LQ) and LQ ≥ 1;
/// * strong10: size, LQ ≥ P90(LQ) and LQ ≥ 1.
///
/// Cells with employment 0 (or an undefined LQ) are in no class.
///
/// # Arguments
/// * `panel` — the panel.
/// * `lq` — [`Panel::location_quotients`] of the panel.
/// * `options` — the percentiles; see [`CmpOptions`].
///
/// # Errors
/// [`MappingError::Parameter`] for a percentile outside [0, 1];
/// [`MappingError::Shape`] when `lq` is not one value per cell.
///
/// # Example
/// ```
/// use weaver_mapping::input::ActivityRow;
/// use weaver_mapping::panel::Panel;
/// use weaver_mapping::classify::{classify_cmp, CmpOptions};
/// let row = |r: &str, i: &str, e: f64| ActivityRow {
///     region: r.into(), industry: i.into(), year: 2020, employment: Some(e), ..Default::default()
/// };
/// let mut rows = Vec::new();
/// for (r, a) in [("R1", 10.0), ("R2", 20.0), ("R3", 30.0), ("R4", 40.0), ("R5", 50.0)] {
///     rows.push(row(r, "A", a));
///     rows.push(row(r, "B", 100.0 - a));
/// }
/// let p = Panel::build(&rows, None, None).unwrap();
/// let out = classify_cmp(&p, &p.location_quotients(), &CmpOptions::default()).unwrap();
/// // Category A: LQ = a/30 → 1/3, 2/3, 1, 4/3, 5/3; employment > P25 = 20 leaves R3–R5;
/// // P75(LQ) = 4/3, so R4 and R5 are strong.
/// assert!(!out.classes[4].strong && out.classes[6].strong && out.classes[8].strong);
/// assert!(!out.establishments_used);
/// ```
///
/// # References
/// 1. M. Delgado, M. E. Porter and S. Stern (2016). Defining clusters of
///    related industries. *Journal of Economic Geography* 16(1):1–38.
/// 2. US Cluster Mapping Project, Harvard Business School Institute for
///    Strategy and Competitiveness: strong-cluster definitions of the site.
pub fn classify_cmp(
    panel: &Panel,
    lq: &[f64],
    options: &CmpOptions,
) -> Result<CmpResult, MappingError> {
    for (name, q) in [
        ("qualifying", options.qualifying),
        ("significant", options.significant),
        ("strong", options.strong),
        ("strong10", options.strong10),
        ("size", options.size),
    ] {
        check_prob(name, q)?;
    }
    check_len(panel, lq)?;
    let use_est = options.use_establishments && panel.has_establishments;
    let mut classes = vec![CmpClass::default(); panel.cells.len()];
    let groups = peer_groups(panel);
    for group in groups.iter() {
        let group = || group.iter().map(|&i| i as usize);
        let lqs = sorted(group().map(|i| lq[i]));
        let emp = sorted(group().map(|i| panel.cells[i].employment));
        let p_emp = quantile_sorted(&emp, options.size);
        let p_est = if use_est {
            // `sorted` leaves out the NaNs: the cells without a count.
            let est = sorted(group().map(|i| panel.cells[i].establishments_sum));
            quantile_sorted(&est, options.size)
        } else {
            f64::NAN
        };
        let q = |p: f64| quantile_sorted(&lqs, p);
        let (p_q, p_s, p_st, p_10) = (
            q(options.qualifying),
            q(options.significant),
            q(options.strong),
            q(options.strong10),
        );
        for i in group() {
            let cell = &panel.cells[i];
            let l = lq[i];
            if l.is_nan() {
                continue;
            }
            let mut size = cell.employment > p_emp;
            if use_est {
                // A cell without a count fails the condition: it is not known to pass.
                size &= cell.establishments().is_some_and(|n| n > p_est);
            }
            if !size {
                continue;
            }
            classes[i] = CmpClass {
                qualifying: l > p_q,
                significant: l > p_s,
                strong: l >= p_st && l >= options.min_lq,
                strong10: l >= p_10 && l >= options.min_lq,
            };
        }
    }
    Ok(CmpResult {
        classes,
        establishments_used: use_est,
    })
}

/// Percentile rank of each cell's value among its peers, on numpy's default
/// (type 7) scale ([`crate::stats::percentile_ranks_type7`]).
///
/// Peers are the cells [`classify_cmp`] compares: regions of the same kind
/// with employment > 0, same category, same year. So with the LQs as
/// `values`, a cell with the size conditions met is strong exactly when its
/// rank is ≥ 75 and its LQ ≥ 1.
///
/// # Arguments
/// * `panel` — the panel.
/// * `values` — one value per cell (LQs, employment, …).
///
/// # Returns
/// One rank in [0, 100] per cell; NaN for cells with employment 0 or a NaN
/// value.
///
/// # Errors
/// [`MappingError::Shape`] when `values` is not one value per cell.
///
/// # Example
/// ```
/// use weaver_mapping::input::ActivityRow;
/// use weaver_mapping::panel::Panel;
/// use weaver_mapping::classify::peer_percentile_ranks;
/// let row = |r: &str, e: f64| ActivityRow {
///     region: r.into(), industry: "A".into(), year: 2020, employment: Some(e), ..Default::default()
/// };
/// let p = Panel::build(&[row("R1", 10.0), row("R2", 30.0), row("R3", 0.0), row("R4", 20.0)], None, None).unwrap();
/// let emp: Vec<f64> = p.cells.iter().map(|c| c.employment).collect();
/// let pr = peer_percentile_ranks(&p, &emp).unwrap();
/// assert_eq!((pr[0], pr[1], pr[3]), (0.0, 100.0, 50.0));
/// assert!(pr[2].is_nan()); // no employment: not among the peers
/// ```
pub fn peer_percentile_ranks(panel: &Panel, values: &[f64]) -> Result<Vec<f64>, MappingError> {
    check_len(panel, values)?;
    let mut out = vec![f64::NAN; panel.cells.len()];
    for group in peer_groups(panel).iter() {
        let v: Vec<f64> = group.iter().map(|&i| values[i as usize]).collect();
        for (&i, r) in group.iter().zip(percentile_ranks_type7(&v)) {
            out[i as usize] = r;
        }
    }
    Ok(out)
}

fn check_len(panel: &Panel, values: &[f64]) -> Result<(), MappingError> {
    if values.len() != panel.cells.len() {
        return Err(MappingError::Shape {
            rows: panel.cells.len(),
            cols: 1,
            expected: panel.cells.len(),
            found: values.len(),
        });
    }
    Ok(())
}

/// Cluster strength of one region in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// Region index.
    pub region: usize,
    /// Year index.
    pub year: usize,
    /// Employment in traded categories (all categories when none is typed).
    pub traded_employment: f64,
    /// Of which in strong categories.
    pub strong_employment: f64,
    /// strong_employment / traded_employment; NaN when the region has no
    /// traded employment.
    pub strength: f64,
    /// Number of strong traded categories.
    pub strong_clusters: usize,
}

/// A region's cluster strength (US Cluster Mapping): the share of its traded
/// employment that is in strong clusters.
///
/// S_r = Σ_{c traded, strong} E_rc / Σ_{c traded} E_rc
///
/// When no category is typed traded, all categories count. Rows are in the
/// order in which each (region, year) first appears among the cells.
///
/// # Example
/// ```
/// use weaver_mapping::classify::{cluster_strength, CmpClass};
/// use weaver_mapping::input::ActivityRow;
/// use weaver_mapping::panel::Panel;
/// let row = |i: &str, e: f64| ActivityRow {
///     region: "R".into(), industry: i.into(), year: 2020, employment: Some(e), ..Default::default()
/// };
/// let p = Panel::build(&[row("A", 30.0), row("B", 70.0)], None, None).unwrap();
/// let strong = [CmpClass { strong: true, ..Default::default() }, CmpClass::default()];
/// let s = cluster_strength(&p, &strong).unwrap();
/// assert_eq!((s[0].strength, s[0].strong_clusters), (0.3, 1));
/// ```
///
/// # Errors
/// [`MappingError::Shape`] when `classes` is not one per cell.
pub fn cluster_strength(
    panel: &Panel,
    classes: &[CmpClass],
) -> Result<Vec<Strength>, MappingError> {
    if classes.len() != panel.cells.len() {
        return Err(MappingError::Shape {
            rows: panel.cells.len(),
            cols: 1,
            expected: panel.cells.len(),
            found: classes.len(),
        });
    }
    let traded_only = panel.any_traded();
    let mut index: HashMap<(usize, usize), usize> = HashMap::default();
    let mut out: Vec<Strength> = Vec::new();
    for (i, c) in panel.cells.iter().enumerate() {
        let j = *index.entry((c.region(), c.year())).or_insert_with(|| {
            let traded = panel.region_traded(c.region(), c.year());
            out.push(Strength {
                region: c.region(),
                year: c.year(),
                traded_employment: traded,
                strong_employment: 0.0,
                strength: f64::NAN,
                strong_clusters: 0,
            });
            out.len() - 1
        });
        let counts = !traded_only
            || panel.cluster_type[c.cluster()] == Some(crate::input::ClusterType::Traded);
        if counts && classes[i].strong {
            out[j].strong_employment += c.employment;
            out[j].strong_clusters += 1;
        }
    }
    for s in &mut out {
        if s.traded_employment > 0.0 {
            s.strength = s.strong_employment / s.traded_employment;
        }
    }
    Ok(out)
}

/// Parameters of the European Cluster Observatory's stars ([`classify_eco`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EcoOptions {
    /// Size star: employment in the top `size_top` share of regions (default 0.10).
    pub size_top: f64,
    /// Specialisation star: LQ ≥ this (default 2).
    pub specialisation_lq: f64,
    /// Focus star: the category's share of the region's employment in the top
    /// `focus_top` share of regions (default 0.10).
    pub focus_top: f64,
}

impl Default for EcoOptions {
    fn default() -> Self {
        EcoOptions {
            size_top: 0.10,
            specialisation_lq: 2.0,
            focus_top: 0.10,
        }
    }
}

/// European Cluster Observatory stars of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EcoStars {
    /// Employment in the top 10% of regions for the category.
    pub size: bool,
    /// LQ ≥ 2.
    pub specialisation: bool,
    /// Category's share of regional employment in the top 10%.
    pub focus: bool,
}

impl EcoStars {
    /// Number of stars, 0–3.
    pub fn count(&self) -> u8 {
        u8::from(self.size) + u8::from(self.specialisation) + u8::from(self.focus)
    }
}

/// Awards the European Cluster Observatory's stars to every cell.
///
/// Among regions of the same kind with employment > 0, same category and
/// year: size star when E_rc ≥ P_{1−size_top}(E); specialisation star when
/// LQ ≥ 2; focus star when E_rc / E_r ≥ P_{1−focus_top}(E_·c / E_·), with
/// type-7 quantiles (so "top 10%" includes the region at the 90th
/// percentile itself). The LQ is the panel's (within the category's type
/// when categories are typed).
///
/// # Errors
/// [`MappingError::Parameter`] for a share outside [0, 1];
/// [`MappingError::Shape`] when `lq` is not one value per cell.
///
/// # Example
/// ```
/// use weaver_mapping::input::ActivityRow;
/// use weaver_mapping::panel::Panel;
/// use weaver_mapping::classify::{classify_eco, EcoOptions};
/// let row = |r: &str, i: &str, e: f64| ActivityRow {
///     region: r.into(), industry: i.into(), year: 2020, employment: Some(e), ..Default::default()
/// };
/// let p = Panel::build(&[row("R1", "A", 60.0), row("R1", "B", 40.0),
///                        row("R2", "A", 10.0), row("R2", "B", 290.0)], None, None).unwrap();
/// let stars = classify_eco(&p, &p.location_quotients(), &EcoOptions::default()).unwrap();
/// // A in R1: largest (size), LQ = 0.6/0.175 ≈ 3.43 (specialisation), share 0.6 (focus).
/// assert_eq!(stars[0].count(), 3);
/// assert_eq!(stars[2].count(), 0);
/// ```
///
/// # References
/// 1. European Cluster Observatory; Ketels, C. and Protsiv, S. (2014).
///    *Methodology and Findings Report for a Cluster Mapping of Related
///    Sectors*. European Commission, DG Enterprise and Industry.
pub fn classify_eco(
    panel: &Panel,
    lq: &[f64],
    options: &EcoOptions,
) -> Result<Vec<EcoStars>, MappingError> {
    check_prob("size_top", options.size_top)?;
    check_prob("focus_top", options.focus_top)?;
    check_len(panel, lq)?;
    let shares = panel.shares();
    let mut out = vec![EcoStars::default(); panel.cells.len()];
    for group in peer_groups(panel).iter() {
        let group = || group.iter().map(|&i| i as usize);
        let emp = sorted(group().map(|i| panel.cells[i].employment));
        let foc = sorted(group().map(|i| shares[i].regional));
        let p_emp = quantile_sorted(&emp, 1.0 - options.size_top);
        let p_foc = quantile_sorted(&foc, 1.0 - options.focus_top);
        for i in group() {
            out[i] = EcoStars {
                size: panel.cells[i].employment >= p_emp,
                specialisation: lq[i] >= options.specialisation_lq,
                focus: shares[i].regional >= p_foc,
            };
        }
    }
    Ok(out)
}

/// The practitioners' quadrant of a cluster (US EDA, Purdue Center for
/// Regional Development).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// LQ ≥ 1 and rising.
    Star,
    /// LQ ≥ 1 and not rising.
    Mature,
    /// LQ < 1 and rising.
    Emerging,
    /// LQ < 1 and not rising.
    Transforming,
}

impl Quadrant {
    /// `star`, `mature`, `emerging` or `transforming`.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::Star => "star",
            Quadrant::Mature => "mature",
            Quadrant::Emerging => "emerging",
            Quadrant::Transforming => "transforming",
        }
    }
}

/// Parameters of [`classify_quadrant`].
#[derive(Debug, Clone, PartialEq)]
pub struct QuadrantOptions {
    /// LQ threshold between the upper and lower quadrants (default 1).
    pub lq_threshold: f64,
    /// Compare with this year; `None` (default) compares each year with the
    /// previous year in which the region has the category.
    pub base_year: Option<i32>,
}

impl Default for QuadrantOptions {
    fn default() -> Self {
        QuadrantOptions {
            lq_threshold: 1.0,
            base_year: None,
        }
    }
}

/// Places every cell in the practitioners' quadrant by its LQ and the sign
/// of the LQ's change since the base.
///
/// star: LQ ≥ 1, ΔLQ > 0; mature: LQ ≥ 1, ΔLQ ≤ 0; emerging: LQ < 1,
/// ΔLQ > 0; transforming: LQ < 1, ΔLQ ≤ 0. An unchanged LQ counts as not
/// rising. Cells without a base (the first year, or a base year the region
/// lacks), or with an undefined LQ, get `None`; so does the base year itself.
///
/// # Errors
/// [`MappingError::UnknownYear`] when `base_year` is not in the panel;
/// [`MappingError::Shape`] when `lq` is not one value per cell.
///
/// # Example
/// ```
/// use weaver_mapping::input::ActivityRow;
/// use weaver_mapping::panel::Panel;
/// use weaver_mapping::classify::{classify_quadrant, Quadrant, QuadrantOptions};
/// let row = |r: &str, y: i32, e: f64| ActivityRow {
///     region: r.into(), industry: "A".into(), year: y, employment: Some(e), ..Default::default()
/// };
/// let mut rows = vec![];
/// for (y, a) in [(2020, 50.0), (2021, 60.0)] {
///     rows.push(row("R1", y, a));
///     rows.push(ActivityRow { industry: "B".into(), employment: Some(100.0 - a), ..row("R1", y, 0.0) });
///     rows.push(row("R2", y, 20.0));
///     rows.push(ActivityRow { industry: "B".into(), employment: Some(80.0), ..row("R2", y, 0.0) });
/// }
/// let p = Panel::build(&rows, None, None).unwrap();
/// let q = classify_quadrant(&p, &p.location_quotients(), &QuadrantOptions::default()).unwrap();
/// assert_eq!(q[0], None);                     // first year: no base
/// assert_eq!(q[4], Some(Quadrant::Star));     // R1/A 2021: LQ 1.5 from 1.43
/// assert_eq!(q[6], Some(Quadrant::Transforming)); // R2/A 2021: LQ 0.5 from 0.57
/// ```
///
/// # References
/// 1. Purdue Center for Regional Development and US EDA, *Unlocking rural
///    competitiveness: the role of regional clusters* (2007), the cluster
///    bubble chart.
pub fn classify_quadrant(
    panel: &Panel,
    lq: &[f64],
    options: &QuadrantOptions,
) -> Result<Vec<Option<Quadrant>>, MappingError> {
    check_len(panel, lq)?;
    let base = options.base_year.map(|y| panel.year_index(y)).transpose()?;
    let ny = panel.years.len();
    // LQ by (region, cluster, year).
    let mut by_key: HashMap<(usize, usize), Vec<f64>> = HashMap::default();
    for (i, c) in panel.cells.iter().enumerate() {
        by_key
            .entry((c.region(), c.cluster()))
            .or_insert_with(|| vec![f64::NAN; ny])[c.year()] = lq[i];
    }
    Ok(panel
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let series = &by_key[&(c.region(), c.cluster())];
            let prev = match base {
                Some(b) if b < c.year() => Some(series[b]),
                Some(_) => None,
                None => (0..c.year()).rev().map(|y| series[y]).find(|v| !v.is_nan()),
            }?;
            let now = lq[i];
            if now.is_nan() || prev.is_nan() {
                return None;
            }
            let rising = now > prev;
            Some(match (now >= options.lq_threshold, rising) {
                (true, true) => Quadrant::Star,
                (true, false) => Quadrant::Mature,
                (false, true) => Quadrant::Emerging,
                (false, false) => Quadrant::Transforming,
            })
        })
        .collect())
}
