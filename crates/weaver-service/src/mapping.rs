//! Cluster mapping of the regional activity a caller may read.
//!
//! Location quotients, classes, growth, relatedness, strength and complexity
//! are computed within one (country, industry classification) at a time —
//! a **section** — never over a pooled table: GB/T 4754 and NACE codes
//! collide (C26 is not the same industry in both), and a region's LQ is
//! measured against its own country (the sum of that country's regions in
//! the register) or against a benchmark the caller names (a country or a
//! region whose totals serve as the reference). Every answer names each
//! section's reference area and classification.

use std::collections::BTreeMap;

use serde::Serialize;
use weaver_core::classification::UNSTATED;
use weaver_mapping::input::BenchmarkRow;
use weaver_mapping::panel::Panel;
use weaver_store::{ActivityRow, Principal, Store};

use crate::error::{Result, ServiceError};

/// Which rows a section holds and what they are measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SectionKey {
    /// The country (ISO 3166-1 alpha-2) of the section's rows: the row's
    /// own, or its region's in the regions table; `null` when neither says.
    pub country: Option<String>,
    /// The industry classification of the rows (`NACE Rev. 2`, …), or
    /// `unstated` for rows that name none.
    pub classification: String,
    /// The reference area of the location quotients (and of the other
    /// analyses' totals): the country's regions summed, or the benchmark.
    pub reference_area: String,
    /// What the section's reader should know (unstated classification,
    /// unknown country, a benchmark that could not serve).
    pub notes: Vec<String>,
}

/// One section's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Section<T> {
    /// The section's country, classification and reference area.
    #[serde(flatten)]
    pub key: SectionKey,
    /// The analysis of the section's rows.
    #[serde(flatten)]
    pub answer: T,
}

/// An analysis of the regional activity, one section per (country,
/// classification).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sectioned<T> {
    /// The sections, by country (unknown first) and classification.
    pub sections: Vec<Section<T>>,
    /// What the request as a whole should know (sections left out).
    pub notes: Vec<String>,
}

/// The rows of one section, as the mapping engine reads them, with the
/// benchmark's totals when one serves.
#[derive(Debug, Clone)]
pub struct SectionRows {
    /// The section.
    pub key: SectionKey,
    /// Its rows.
    pub rows: Vec<weaver_mapping::input::ActivityRow>,
    /// The benchmark's employment by industry and year, when a benchmark
    /// serves as the reference area (otherwise the rows' own sum).
    pub benchmark: Option<Vec<BenchmarkRow>>,
}

impl SectionRows {
    /// The section as the mapping engine's panel, each industry its own
    /// category.
    pub fn panel(&self) -> Result<Panel> {
        let columns = weaver_mapping::input::ActivityColumns::from_rows(&self.rows);
        Panel::build_columns(&columns, None, self.benchmark.as_deref())
            .map_err(|e| ServiceError::Invalid(format!("{}: {e}", self.key.label())))
    }
}

impl SectionKey {
    /// `DE, NACE Rev. 2` — the section's name in messages.
    pub fn label(&self) -> String {
        format!(
            "{}, {}",
            self.country.as_deref().unwrap_or("unknown country"),
            self.classification
        )
    }
}

fn engine_row(r: &ActivityRow) -> Result<weaver_mapping::input::ActivityRow> {
    let year = i32::try_from(r.year)
        .map_err(|_| ServiceError::Invalid(format!("year {} out of range", r.year)))?;
    Ok(weaver_mapping::input::ActivityRow {
        region: r.region.clone(),
        industry: r.industry.clone(),
        year,
        employment: Some(r.employment),
        establishments: r.establishments,
        wages: r.wages,
        kind: None,
    })
}

/// Splits the register's rows of regional activity into sections, one per
/// (country, classification), each measured against its country's totals
/// or, when `benchmark` is given, against the benchmark's totals in the
/// same classification: a country code (the sum of that country's regions)
/// or a region id (that region's own rows, which then serve only as the
/// reference and are not mapped). A benchmark with no rows in a section's
/// classification leaves that section on its country's totals, with a
/// note; a benchmark that is neither a country nor a region of the rows is
/// refused.
pub fn split_sections(rows: &[ActivityRow], benchmark: Option<&str>) -> Result<Vec<SectionRows>> {
    let benchmark = benchmark.map(str::trim).filter(|b| !b.is_empty());
    enum Bench<'a> {
        Country(&'a str),
        Region(&'a str),
    }
    let bench = match benchmark {
        None => None,
        Some(b) if rows.iter().any(|r| r.country.as_deref() == Some(b)) => Some(Bench::Country(b)),
        Some(b) if rows.iter().any(|r| r.region == b) => Some(Bench::Region(b)),
        Some(b) => {
            return Err(ServiceError::Invalid(format!(
                "benchmark '{b}' is neither a country nor a region of the regional activity                  (give a country code such as DE, or a region id)"
            )));
        }
    };
    let classification =
        |r: &ActivityRow| r.classification.as_deref().unwrap_or(UNSTATED).to_owned();
    // The benchmark's employment by classification, industry and year.
    let mut bench_totals: BTreeMap<String, BTreeMap<(String, i32), f64>> = BTreeMap::new();
    if let Some(b) = &bench {
        for r in rows {
            let hit = match b {
                Bench::Country(c) => r.country.as_deref() == Some(*c),
                Bench::Region(g) => r.region == *g,
            };
            if hit {
                let year = engine_row(r)?.year;
                *bench_totals
                    .entry(classification(r))
                    .or_default()
                    .entry((r.industry.clone(), year))
                    .or_default() += r.employment;
            }
        }
    }
    let mut groups: BTreeMap<(Option<String>, String), Vec<weaver_mapping::input::ActivityRow>> =
        BTreeMap::new();
    for r in rows {
        if let Some(Bench::Region(g)) = &bench
            && r.region == *g
        {
            continue;
        }
        groups
            .entry((r.country.clone(), classification(r)))
            .or_default()
            .push(engine_row(r)?);
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((country, class), rows) in groups {
        let regions: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.region.as_str()).collect();
        let own = match &country {
            Some(c) => format!(
                "{c}: the sum of its {} region{} in the register",
                regions.len(),
                if regions.len() == 1 { "" } else { "s" }
            ),
            None => format!(
                "the sum of the {} region{} of unknown country",
                regions.len(),
                if regions.len() == 1 { "" } else { "s" }
            ),
        };
        let mut notes = Vec::new();
        if class == UNSTATED {
            notes.push(
                "these rows state no industry classification: their codes are compared only                  with each other, never with those of a stated classification"
                    .to_owned(),
            );
        }
        if country.is_none() {
            notes.push(
                "these rows name no country and their regions are not in the regions table:                  they are measured against their own sum"
                    .to_owned(),
            );
        }
        let (reference_area, benchmark) = match (&bench, bench_totals.get(&class)) {
            (None, _) => (own, None),
            (Some(b), Some(totals)) => {
                let name = match b {
                    Bench::Country(c) => {
                        format!("benchmark {c}: the sum of its regions in the register")
                    }
                    Bench::Region(g) => format!("benchmark region {g}: its own activity"),
                };
                let rows = totals
                    .iter()
                    .map(|((industry, year), e)| BenchmarkRow {
                        industry: industry.clone(),
                        year: *year,
                        employment: *e,
                    })
                    .collect();
                (name, Some(rows))
            }
            (Some(b), None) => {
                let name = match b {
                    Bench::Country(c) | Bench::Region(c) => *c,
                };
                notes.push(format!(
                    "the benchmark {name} has no activity in {class}: the section is measured                      against its own country"
                ));
                (own, None)
            }
        };
        out.push(SectionRows {
            key: SectionKey {
                country,
                classification: class,
                reference_area,
                notes,
            },
            rows,
            benchmark,
        });
    }
    Ok(out)
}

/// The regional activity `who` may read (the public: public rows), split
/// into sections ([`split_sections`]); `NotFound` when there is none.
pub async fn readable_sections(
    store: &Store,
    who: Option<&Principal>,
    benchmark: Option<&str>,
) -> Result<Vec<SectionRows>> {
    let rows = store.readable_regional_activity(who).await?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no regional activity that you may see (an admin imports a \
             regional_activity table)"
                .into(),
        ));
    }
    split_sections(&rows, benchmark)
}

/// `f` of each section's panel, as one answer; an error names its section.
pub fn per_section<T>(
    sections: &[SectionRows],
    f: impl Fn(&Panel) -> Result<T>,
) -> Result<Sectioned<T>> {
    let mut out = Vec::with_capacity(sections.len());
    for s in sections {
        let answer = f(&s.panel()?).map_err(|e| match e {
            ServiceError::Invalid(m) => ServiceError::Invalid(format!("{}: {m}", s.key.label())),
            other => other,
        })?;
        out.push(Section {
            key: s.key.clone(),
            answer,
        });
    }
    Ok(Sectioned {
        sections: out,
        notes: Vec::new(),
    })
}

/// One region and category's growth between two years.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GrowthRow {
    /// The region.
    pub region: String,
    /// The industry category (each industry its own).
    pub category: String,
    /// Employment in the start year.
    pub start: f64,
    /// Employment in the end year.
    pub end: f64,
    /// end − start.
    pub change: f64,
    /// Compound annual growth rate.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub cagr: f64,
    /// Change expected at the benchmark's growth of the cluster.
    pub expected: f64,
    /// Shift-share: change at the benchmark's overall growth.
    pub national_share: f64,
    /// Shift-share: change due to the cluster growing faster or slower
    /// than all.
    pub industry_mix: f64,
    /// Shift-share: regional shift, actual change minus expected.
    pub job_creation: f64,
}

/// Growth between two years.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Growth {
    /// The start year.
    pub start_year: i32,
    /// The end year.
    pub end_year: i32,
    /// Per region and cluster.
    pub rows: Vec<GrowthRow>,
}

/// Change, CAGR and shift-share of every region and cluster of `panel`
/// between `start` and `end` (default: the first and the last year).
pub fn growth(panel: &Panel, start: Option<i32>, end: Option<i32>) -> Result<Growth> {
    let (Some(&first), Some(&last)) = (panel.years.first(), panel.years.last()) else {
        return Err(ServiceError::invalid("the activity has no rows"));
    };
    let (s, e) = (start.unwrap_or(first), end.unwrap_or(last));
    let rows = panel
        .growth(s, e)
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    Ok(Growth {
        start_year: s,
        end_year: e,
        rows: rows
            .into_iter()
            .map(|g| GrowthRow {
                region: panel.regions[g.region].clone(),
                category: panel.clusters[g.cluster].clone(),
                start: g.start,
                end: g.end,
                change: g.change,
                cagr: g.cagr,
                expected: g.expected,
                national_share: g.national_share,
                industry_mix: g.industry_mix,
                job_creation: g.job_creation,
            })
            .collect(),
    })
}

/// The year index (default: the last year) and the kind of region to use
/// (required when the regions are of several kinds; `flag` names the
/// option that chooses it in the message).
pub fn pick(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    flag: &str,
) -> Result<(usize, Option<usize>)> {
    let Some(&last) = panel.years.last() else {
        return Err(ServiceError::invalid("the activity has no rows"));
    };
    let y = panel
        .year_index(year.unwrap_or(last))
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let k = match kind {
        Some(k) => Some(panel.kinds.iter().position(|x| x == k).ok_or_else(|| {
            ServiceError::Invalid(format!(
                "no region of kind {k:?} (kinds: {})",
                panel.kinds.join(", ")
            ))
        })?),
        None if panel.kinds.len() > 1 => {
            return Err(ServiceError::Invalid(format!(
                "regions of several kinds ({}): choose one with {flag}",
                panel.kinds.join(", ")
            )));
        }
        None => None,
    };
    Ok((y, k))
}

/// Regions (of the kind) in order of first appearance, and each region's
/// position among them (`usize::MAX` for the others).
pub fn regions_of(panel: &Panel, kind: Option<usize>) -> (Vec<usize>, Vec<usize>) {
    let regs: Vec<usize> = (0..panel.regions.len())
        .filter(|&r| kind.is_none_or(|k| panel.region_kind[r] == k))
        .collect();
    let mut pos = vec![usize::MAX; panel.regions.len()];
    for (i, &r) in regs.iter().enumerate() {
        pos[r] = i;
    }
    (regs, pos)
}

/// A pair of related industry categories.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RelatedRow {
    /// The category.
    pub category: String,
    /// A category related to it.
    pub related: String,
    /// Correlation of their LQs across regions.
    pub correlation: f64,
    /// Rank among the cluster's related ones (1 = most related).
    pub rank: Option<usize>,
}

/// Related clusters by co-location.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Related {
    /// The year.
    pub year: i32,
    /// Per cluster, its related clusters by decreasing correlation.
    pub rows: Vec<RelatedRow>,
}

/// Related clusters by co-location ([`weaver_mapping::related::lq_correlations`]):
/// the correlation of LQs across the regions (of `kind`) in `year`
/// (default: the last), each cluster's `top` most related (default: all).
pub fn related(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    top: Option<usize>,
    flag: &str,
) -> Result<Related> {
    let (y, k) = pick(panel, year, kind, flag)?;
    let (regs, pos) = regions_of(panel, k);
    let (n, m) = (regs.len(), panel.clusters.len());
    let lq = panel.location_quotients();
    let mut mat = vec![0.0; n * m];
    let mut seen = std::collections::HashSet::new();
    for (i, c) in panel.cells.iter().enumerate() {
        if c.year() == y && pos[c.region()] != usize::MAX {
            if !lq[i].is_nan() {
                mat[pos[c.region()] * m + c.cluster()] = lq[i];
            }
            seen.insert(c.cluster());
        }
    }
    let corr = weaver_mapping::related::lq_correlations(&mat, n, m)
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let mut rows = Vec::new();
    for a in (0..m).filter(|a| seen.contains(a)) {
        let others: Vec<usize> = (0..m).filter(|&b| b != a && seen.contains(&b)).collect();
        let vals: Vec<f64> = others.iter().map(|&b| corr[a * m + b]).collect();
        let ranks = weaver_mapping::stats::ranks_descending(&vals);
        let mut order: Vec<usize> = (0..others.len()).collect();
        order.sort_by_key(|&j| (ranks[j].unwrap_or(usize::MAX), j));
        for j in order.into_iter().take(top.unwrap_or(usize::MAX)) {
            rows.push(RelatedRow {
                category: panel.clusters[a].clone(),
                related: panel.clusters[others[j]].clone(),
                correlation: vals[j],
                rank: ranks[j],
            });
        }
    }
    Ok(Related {
        year: panel.years[y],
        rows,
    })
}

/// How a map classifies its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MapMethod {
    /// US Cluster Mapping: qualifying, significant, strong, strong10.
    Cmp,
    /// The European Cluster Observatory's stars.
    Eco,
    /// The practitioners' quadrant (LQ and its change).
    Quadrant,
}

impl MapMethod {
    /// The method named `name` (`cmp`, `eco` or `quadrant`).
    pub fn parse(name: &str) -> Result<MapMethod> {
        Ok(match name {
            "cmp" => MapMethod::Cmp,
            "eco" => MapMethod::Eco,
            "quadrant" => MapMethod::Quadrant,
            _ => {
                return Err(ServiceError::Invalid(format!(
                    "method must be cmp (US Cluster Mapping), eco (European Cluster Observatory \
                     stars) or quadrant, not '{name}'"
                )));
            }
        })
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            MapMethod::Cmp => "cmp",
            MapMethod::Eco => "eco",
            MapMethod::Quadrant => "quadrant",
        }
    }
}

/// What a map of the regional activity is asked with.
#[derive(Debug, Clone, Default)]
pub struct MapParams {
    /// The year kept (every year is classified; default the last).
    pub year: Option<i32>,
    /// Only this region's cells.
    pub region: Option<String>,
    /// Only this industry category's cells.
    pub category: Option<String>,
    /// With the peer percentile ranks of LQ and employment.
    pub percentiles: bool,
    /// The reference area: a country code or a region id whose totals
    /// replace each section's country totals ([`split_sections`]).
    pub benchmark: Option<String>,
}

/// The regional activity mapped.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterMap {
    /// `cmp`, `eco` or `quadrant`.
    pub method: &'static str,
    /// The year kept.
    pub year: Option<i32>,
    /// Every year of the activity.
    pub years: Vec<i32>,
    /// What the clusters are.
    pub definitions: &'static str,
    /// What the computation had to say.
    pub notices: Vec<&'static str>,
    /// One cell per region and industry in the year.
    pub cells: Vec<MapCell>,
}

/// One region × industry category × year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MapCell {
    /// The region.
    pub region: String,
    /// The industry category (each industry its own).
    pub category: String,
    /// The year.
    pub year: i32,
    /// Employment.
    pub employment: f64,
    /// Establishments, if known.
    pub establishments: Option<f64>,
    /// Location quotient.
    pub lq: f64,
    /// The method's classes.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub classes: MapClasses,
    /// Peer percentile ranks, when asked for.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub percentiles: Option<MapPercentiles>,
}

/// A cell's classes by the map's method.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum MapClasses {
    /// US Cluster Mapping.
    Cmp {
        /// Passes the qualifying conditions.
        qualifying: bool,
        /// Significant.
        significant: bool,
        /// Strong (top quartile of significant).
        strong: bool,
        /// Among the region's ten strongest.
        strong10: bool,
    },
    /// European Cluster Observatory.
    Eco {
        /// Size star.
        size_star: bool,
        /// Specialisation star.
        specialisation_star: bool,
        /// Focus star.
        focus_star: bool,
        /// Stars.
        stars: u8,
    },
    /// Quadrant.
    Quadrant {
        /// The quadrant, when the cell has a previous year.
        quadrant: Option<&'static str>,
    },
}

/// Peer percentile ranks of a cell.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct MapPercentiles {
    /// Of its LQ among the industry's regions.
    pub lq_percentile: f64,
    /// Of its employment among the industry's regions.
    pub employment_percentile: f64,
}

/// Location quotients and classes of every region × industry × year of
/// one section (as `weaver map clusters --from-register` computes them),
/// each industry its own category, the cells of `params.year` (default
/// the last) and of its region and category kept.
pub fn cluster_map_of(
    section: &SectionRows,
    method: MapMethod,
    params: &MapParams,
) -> Result<ClusterMap> {
    use weaver_mapping::classify::{
        CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
        peer_percentile_ranks,
    };
    let bad = |e: &dyn std::fmt::Display| ServiceError::Invalid(format!("the mapping: {e}"));
    let panel = section.panel().map_err(|e| bad(&e))?;
    let lq = panel.location_quotients();
    let mut notices = Vec::new();
    let classes: Vec<MapClasses> = match method {
        MapMethod::Cmp => {
            let r = classify_cmp(&panel, &lq, &CmpOptions::default()).map_err(|e| bad(&e))?;
            if !r.establishments_used {
                notices.push("no establishments: the establishments condition of cmp is dropped");
            }
            r.classes
                .iter()
                .map(|c| MapClasses::Cmp {
                    qualifying: c.qualifying,
                    significant: c.significant,
                    strong: c.strong,
                    strong10: c.strong10,
                })
                .collect()
        }
        MapMethod::Eco => classify_eco(&panel, &lq, &EcoOptions::default())
            .map_err(|e| bad(&e))?
            .iter()
            .map(|s| MapClasses::Eco {
                size_star: s.size,
                specialisation_star: s.specialisation,
                focus_star: s.focus,
                stars: s.count(),
            })
            .collect(),
        MapMethod::Quadrant => classify_quadrant(&panel, &lq, &QuadrantOptions::default())
            .map_err(|e| bad(&e))?
            .iter()
            .map(|q| MapClasses::Quadrant {
                quadrant: q.map(|q| q.as_str()),
            })
            .collect(),
    };
    let percentiles = if params.percentiles {
        let emp: Vec<f64> = panel.cells.iter().map(|c| c.employment).collect();
        let lp = peer_percentile_ranks(&panel, &lq).map_err(|e| bad(&e))?;
        let ep = peer_percentile_ranks(&panel, &emp).map_err(|e| bad(&e))?;
        Some((lp, ep))
    } else {
        None
    };
    // Every year is classified (the quadrant compares years); one is kept.
    let y = match params.year {
        Some(y) => panel.years.iter().position(|&x| x == y).ok_or_else(|| {
            let years: Vec<String> = panel.years.iter().map(i32::to_string).collect();
            bad(&format!(
                "the regional activity has no year {y} (years: {})",
                years.join(", ")
            ))
        })?,
        None => panel.years.len().saturating_sub(1),
    };
    let cells = panel
        .cells
        .iter()
        .zip(classes)
        .enumerate()
        .filter(|(_, (c, _))| c.year() == y)
        .map(|(i, (c, classes))| MapCell {
            region: panel.regions[c.region()].clone(),
            category: panel.clusters[c.cluster()].clone(),
            year: panel.years[c.year()],
            employment: c.employment,
            establishments: c.establishments(),
            lq: lq[i],
            classes,
            percentiles: percentiles.as_ref().map(|(lp, ep)| MapPercentiles {
                lq_percentile: lp[i],
                employment_percentile: ep[i],
            }),
        })
        .filter(|c| {
            params.region.as_ref().is_none_or(|r| *r == c.region)
                && params.category.as_ref().is_none_or(|k| *k == c.category)
        })
        .collect();
    Ok(ClusterMap {
        method: method.name(),
        year: panel.years.get(y).copied(),
        years: panel.years.clone(),
        definitions: "each industry is its own category (no cluster definitions)",
        notices,
        cells,
    })
}

/// [`cluster_map_of`] of every section of `rows` ([`split_sections`] with
/// `params.benchmark`). A section without `params.year` is left out (with
/// a note); so is, when a region or category is asked for, a section
/// without a cell of it. `NotFound` when no section is left.
pub fn cluster_maps_of(
    rows: &[ActivityRow],
    method: MapMethod,
    params: &MapParams,
) -> Result<Sectioned<ClusterMap>> {
    let sections = split_sections(rows, params.benchmark.as_deref())?;
    let mut out = Sectioned {
        sections: Vec::new(),
        notes: Vec::new(),
    };
    for s in &sections {
        if let Some(y) = params.year
            && !s.rows.iter().any(|r| r.year == y)
        {
            out.notes.push(format!(
                "{}: no activity in {y}; the section is left out",
                s.key.label()
            ));
            continue;
        }
        let map = cluster_map_of(s, method, params).map_err(|e| match e {
            ServiceError::Invalid(m) => ServiceError::Invalid(format!("{}: {m}", s.key.label())),
            other => other,
        })?;
        if map.cells.is_empty() && (params.region.is_some() || params.category.is_some()) {
            continue;
        }
        out.sections.push(Section {
            key: s.key.clone(),
            answer: map,
        });
    }
    if out.sections.is_empty() {
        return Err(ServiceError::NotFound(match (params.year, &params.region, &params.category) {
            (_, Some(_), _) | (_, _, Some(_)) => {
                "no section of the regional activity has a cell of the region and category asked for"
                    .to_owned()
            }
            (Some(y), _, _) => format!("the regional activity has no year {y}"),
            _ => "there is no regional activity to map".to_owned(),
        }));
    }
    Ok(out)
}

/// The regional activity `who` may read (the public: public rows) mapped
/// by `method` per section ([`cluster_maps_of`]): a hidden row changes
/// neither its cell nor any LQ or class it enters. `NotFound` when there is
/// no activity, or none in `params.year`.
pub async fn cluster_map(
    store: &Store,
    who: Option<&Principal>,
    method: MapMethod,
    params: &MapParams,
) -> Result<Sectioned<ClusterMap>> {
    if let Some(y) = params.year {
        check_year("year", y)?;
    }
    let rows = store.readable_regional_activity(who).await?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no regional activity that you may see (an admin imports a \
             regional_activity table)"
                .into(),
        ));
    }
    if let Some(y) = params.year
        && !rows.iter().any(|r| r.year == i64::from(y))
    {
        let years: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.year).collect();
        let years: Vec<String> = years.iter().map(i64::to_string).collect();
        return Err(ServiceError::NotFound(format!(
            "the regional activity has no year {y} (years: {})",
            years.join(", ")
        )));
    }
    let params = params.clone();
    crate::blocking("the mapping", move || {
        cluster_maps_of(&rows, method, &params)
    })
    .await
}

/// The one message for a year that is not four digits.
pub fn check_year(name: &str, y: i32) -> Result<()> {
    if (1000..=9999).contains(&y) {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!(
            "{name} must be a four-digit year, not {y}"
        )))
    }
}

/// One region's cluster strength in one year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StrengthRow {
    /// The region.
    pub region: String,
    /// The year.
    pub year: i32,
    /// Employment in traded clusters (all clusters when none is typed).
    pub traded_employment: f64,
    /// Of which in strong clusters.
    pub strong_employment: f64,
    /// strong ÷ traded employment; no value without traded employment.
    pub strength: f64,
    /// Number of strong traded clusters.
    pub strong_clusters: usize,
}

/// Cluster strength of every region and year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Strength {
    /// What the computation had to say (conditions dropped, no traded
    /// category).
    pub notices: Vec<String>,
    /// Per region and year, in the panel's order.
    pub rows: Vec<StrengthRow>,
}

/// The share of each region's traded employment in strong clusters (US
/// Cluster Mapping's cluster strength, [`weaver_mapping::classify::cluster_strength`]),
/// strong clusters by the `cmp` classification with its default options.
pub fn strength(panel: &Panel) -> Result<Strength> {
    use weaver_mapping::classify::{CmpOptions, classify_cmp, cluster_strength};
    let bad = |e: weaver_mapping::MappingError| ServiceError::Invalid(e.to_string());
    let lq = panel.location_quotients();
    let r = classify_cmp(panel, &lq, &CmpOptions::default()).map_err(bad)?;
    let mut notices = Vec::new();
    if !r.establishments_used {
        notices.push(
            "no establishments column: the establishments condition of cmp is dropped".to_owned(),
        );
    }
    if !panel.any_traded() {
        notices.push("no category is typed traded: strength is over all categories".to_owned());
    }
    let rows = cluster_strength(panel, &r.classes)
        .map_err(bad)?
        .into_iter()
        .map(|s| StrengthRow {
            region: panel.regions[s.region].clone(),
            year: panel.years[s.year],
            traded_employment: s.traded_employment,
            strong_employment: s.strong_employment,
            strength: s.strength,
            strong_clusters: s.strong_clusters,
        })
        .collect();
    Ok(Strength { notices, rows })
}

/// What [`complexity`] computes.
#[derive(Debug, Clone)]
pub struct ComplexityParams {
    /// The year (default: the last).
    pub year: Option<i32>,
    /// The kind of region, when the regions are of several kinds.
    pub kind: Option<String>,
    /// RCA at or above which an industry is present (default 1).
    pub rca_threshold: f64,
    /// Length of each region's "what next" list.
    pub top: usize,
    /// The name of the option that chooses the kind, for messages
    /// (`--kind`, `kind`).
    pub kind_flag: &'static str,
    /// Most work: regions × industries + industries² (`None`: no limit).
    pub max_work: Option<usize>,
}

impl Default for ComplexityParams {
    fn default() -> Self {
        ComplexityParams {
            year: None,
            kind: None,
            rca_threshold: 1.0,
            top: 10,
            kind_flag: "kind",
            max_work: None,
        }
    }
}

/// One region and industry of the complexity analysis.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplexityCell {
    /// The region.
    pub region: String,
    /// The industry (cluster).
    pub industry: String,
    /// Its employment in the year.
    pub value: f64,
    /// Balassa's revealed comparative advantage.
    pub rca: f64,
    /// Whether the industry is present (RCA ≥ the threshold); no value for
    /// a region or industry without employment.
    pub mcp: Option<bool>,
    /// Density: how near the region's industries are to it.
    pub density: f64,
    /// Complexity outlook gain.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub cog: f64,
}

/// One region's complexity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionComplexity {
    /// The region.
    pub region: String,
    /// Economic complexity index.
    pub eci: f64,
    /// Number of industries present.
    pub diversity: f64,
    /// Complexity outlook index.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub coi: f64,
}

/// One industry's complexity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndustryComplexity {
    /// The industry (cluster).
    pub industry: String,
    /// Product (industry) complexity index.
    pub pci: f64,
    /// Number of regions where it is present.
    pub ubiquity: f64,
}

/// The proximity of two industries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proximity {
    /// The first industry.
    pub industry_a: String,
    /// The second industry.
    pub industry_b: String,
    /// min(P(a | b), P(b | a)) over the regions.
    pub proximity: f64,
}

/// One entry of a region's "what next" list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NextIndustry {
    /// The region.
    pub region: String,
    /// 1 for the best candidate.
    pub rank: usize,
    /// An industry not present in the region.
    pub industry: String,
    /// Its density in the region.
    pub density: f64,
    /// Its complexity.
    pub pci: f64,
    /// Its complexity outlook gain for the region.
    #[schema(value_type = Option<f64>)] // NaN (undefined) is serialised as null
    pub cog: f64,
}

/// Economic complexity of the regions (of a kind) in a year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Complexity {
    /// The year.
    pub year: i32,
    /// The kind of region, when chosen.
    pub kind: Option<String>,
    /// The RCA threshold of presence.
    pub rca_threshold: f64,
    /// Per region and industry (regions in order of first appearance,
    /// industries in the panel's order).
    pub cells: Vec<ComplexityCell>,
    /// Per pair of industries.
    pub proximity: Vec<Proximity>,
    /// Per region.
    pub regions: Vec<RegionComplexity>,
    /// Per industry.
    pub industries: Vec<IndustryComplexity>,
    /// Each region's best industries to add, by rank.
    pub next: Vec<NextIndustry>,
}

/// RCA, proximity, density, ECI, PCI, COI, COG and each region's "what
/// next" list ([`weaver_mapping::complexity::complexity`], Hidalgo &
/// Hausmann 2009 as `ecomplexity` computes it) of the regions of `kind` in
/// `year`.
pub fn complexity(panel: &Panel, p: &ComplexityParams) -> Result<Complexity> {
    use weaver_mapping::complexity::{ComplexityOptions, complexity, what_next};
    let (y, k) = pick(panel, p.year, p.kind.as_deref(), p.kind_flag)?;
    let (regs, pos) = regions_of(panel, k);
    let (n, m) = (regs.len(), panel.clusters.len());
    if let Some(budget) = p.max_work {
        let work = n.saturating_mul(m).saturating_add(m.saturating_mul(m));
        if work > budget {
            return Err(ServiceError::Invalid(format!(
                "{n} regions and {m} industries is more than one request may compute \
                 (regions × industries + industries² ≤ {budget}); choose a kind of region, \
                 or use `weaver map complexity`"
            )));
        }
    }
    let mut x = vec![0.0; n * m];
    for c in panel
        .cells
        .iter()
        .filter(|c| c.year() == y && pos[c.region()] != usize::MAX)
    {
        x[pos[c.region()] * m + c.cluster()] = c.employment;
    }
    let res = complexity(
        &x,
        n,
        m,
        &ComplexityOptions {
            rca_threshold: p.rca_threshold,
            relatedness: true,
        },
    )
    .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let rname = |i: usize| panel.regions[regs[i]].clone();
    let iname = |q: usize| panel.clusters[q].clone();
    let mut cells = Vec::with_capacity(n * m);
    for i in 0..n {
        for q in 0..m {
            let v = res.mcp[i * m + q];
            cells.push(ComplexityCell {
                region: rname(i),
                industry: iname(q),
                value: x[i * m + q],
                rca: res.rca[i * m + q],
                mcp: (!v.is_nan()).then_some(v == 1.0),
                density: res.density[i * m + q],
                cog: res.cog[i * m + q],
            });
        }
    }
    let mut proximity = Vec::with_capacity(m * m);
    for a in 0..m {
        for b in 0..m {
            proximity.push(Proximity {
                industry_a: iname(a),
                industry_b: iname(b),
                proximity: res.proximity[a * m + b],
            });
        }
    }
    let mut regions = Vec::with_capacity(n);
    let mut next = Vec::new();
    for i in 0..n {
        regions.push(RegionComplexity {
            region: rname(i),
            eci: res.eci[i],
            diversity: res.diversity[i],
            coi: res.coi[i],
        });
        for (rank, q) in what_next(&res, i, p.top).into_iter().enumerate() {
            next.push(NextIndustry {
                region: rname(i),
                rank: rank + 1,
                industry: iname(q),
                density: res.density[i * m + q],
                pci: res.pci[q],
                cog: res.cog[i * m + q],
            });
        }
    }
    let industries = (0..m)
        .map(|q| IndustryComplexity {
            industry: iname(q),
            pci: res.pci[q],
            ubiquity: res.ubiquity[q],
        })
        .collect();
    Ok(Complexity {
        year: panel.years[y],
        kind: k.map(|k| panel.kinds[k].clone()),
        rca_threshold: p.rca_threshold,
        cells,
        proximity,
        regions,
        industries,
        next,
    })
}

/// One sector of a register cluster in its own region.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SectorLq {
    /// The sector's industry code, in the cluster's sector classification.
    pub sector: String,
    /// The region's employment in it in the year; `null` when the region
    /// has no row of it.
    pub employment: Option<f64>,
    /// Its location quotient against the reference area; `null` when the
    /// region has no row of it (or the reference area no employment in it).
    pub lq: Option<f64>,
}

/// The specialisation of a register cluster's own region in its own
/// sectors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterSpecialisation {
    /// The cluster.
    pub cluster: String,
    /// Its region.
    pub region: String,
    /// The region whose activity gives the LQs: the cluster's own, or,
    /// when the activity holds no row of it (activity written at a coarser
    /// level, e.g. provinces for a cluster in a city), the nearest region
    /// above it (through the regions' `parent`) that the activity holds.
    pub activity_region: String,
    /// What the answer had to assume, for people (e.g. the region above
    /// the cluster's that was used); empty when nothing.
    pub notes: Vec<String>,
    /// The section of the regional activity the LQs come from: the
    /// cluster's country (its own, or its region's) and its sectors'
    /// classification, with the reference area.
    #[serde(flatten)]
    pub section: SectionKey,
    /// The year (default: the section's last).
    pub year: i32,
    /// Each of the cluster's sectors, in the cluster's order.
    pub sectors: Vec<SectorLq>,
}

/// The location quotients of register cluster `cluster`'s own sectors (in
/// its `sector_classification`) in its own region, within the section of
/// the regional activity `who` may read of the cluster's country and that
/// classification ([`split_sections`], `benchmark` as there): the region's
/// country is the reference area unless a benchmark is named. `NotFound`
/// when the cluster is not one `who` reads, or when no readable activity
/// is of its country and classification.
pub async fn cluster_specialisation(
    store: &Store,
    who: Option<&Principal>,
    cluster: &str,
    year: Option<i32>,
    benchmark: Option<&str>,
) -> Result<ClusterSpecialisation> {
    if let Some(y) = year {
        check_year("year", y)?;
    }
    let t = weaver_core::schema::table("clusters").expect("the clusters table");
    let row = store
        .get(t, who, &weaver_store::RowKey::Id(cluster.to_owned()))
        .await?;
    let text = |name: &str| {
        t.position(name)
            .and_then(|p| row.values[p].as_str())
            .map(str::to_owned)
    };
    let region = text("region").unwrap_or_default();
    let sectors: Vec<String> = text("sectors")
        .map(|s| s.split(';').map(str::to_owned).collect())
        .unwrap_or_default();
    let classification = text("sector_classification").unwrap_or_else(|| UNSTATED.to_owned());
    let rows = store.readable_regional_activity(who).await?;
    let country = text("country").or_else(|| {
        rows.iter()
            .find(|r| r.region == region)
            .and_then(|r| r.country.clone())
    });
    let sections = split_sections(&rows, benchmark)?;
    let Some(section) = sections
        .into_iter()
        .find(|s| s.key.country == country && s.key.classification == classification)
    else {
        return Err(ServiceError::NotFound(format!(
            "no regional activity that you may see is of {} in {classification}, the country \
             and sector classification of cluster {cluster}",
            country.as_deref().unwrap_or("an unknown country")
        )));
    };
    // The region whose activity is used: the cluster's own, or the nearest
    // one above it (readable regions only) that the section holds.
    let held: std::collections::HashSet<&str> =
        section.rows.iter().map(|r| r.region.as_str()).collect();
    let mut notes = Vec::new();
    let mut activity_region = region.clone();
    if !held.contains(activity_region.as_str()) {
        let regions = store.readable_regions(who).await?;
        let parent_of = |id: &str| {
            regions
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| r.parent.clone())
        };
        let mut at = region.clone();
        // A chain of parents is short; the bound guards against a cycle.
        for _ in 0..16 {
            let Some(up) = parent_of(&at) else { break };
            if held.contains(up.as_str()) {
                notes.push(format!(
                    "the regional activity holds no row of region {region}: the LQs are those \
                     of {up}, the region above it"
                ));
                activity_region = up;
                break;
            }
            at = up;
        }
    }
    let cluster_id = cluster.to_owned();
    crate::blocking("the cluster's specialisation", move || {
        let panel = section.panel()?;
        let y = match year {
            Some(y) => panel
                .year_index(y)
                .map_err(|e| ServiceError::NotFound(format!("{}: {e}", section.key.label())))?,
            None => panel.years.len().saturating_sub(1),
        };
        let lq = panel.location_quotients();
        let out = sectors
            .iter()
            .map(|sector| {
                let cell = panel.cells.iter().enumerate().find(|(_, c)| {
                    c.year() == y
                        && panel.regions[c.region()] == activity_region
                        && panel.clusters[c.cluster()] == *sector
                });
                SectorLq {
                    sector: sector.clone(),
                    employment: cell.map(|(_, c)| c.employment),
                    lq: cell.map(|(i, _)| lq[i]).filter(|x| x.is_finite()),
                }
            })
            .collect();
        Ok(ClusterSpecialisation {
            cluster: cluster_id,
            region,
            activity_region,
            notes,
            section: section.key,
            year: panel.years.get(y).copied().unwrap_or_default(),
            sectors: out,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &str, industry: &str, year: i64, employment: f64) -> ActivityRow {
        ActivityRow {
            region: region.into(),
            industry: industry.into(),
            year,
            employment,
            establishments: None,
            wages: None,
            country: None,
            classification: None,
        }
    }

    fn of(country: &str, classification: &str, mut r: ActivityRow) -> ActivityRow {
        r.country = Some(country.into());
        r.classification = Some(classification.into());
        r
    }

    #[test]
    fn sections_are_per_country_and_classification_never_pooled() {
        // DE (NACE): R1 C26 30 of 40, DE C26 60 of 100: LQ 0.75/0.6 = 1.25.
        // CN (GB/T): S1 C26 100 of 200, CN C26 400 of 1000: LQ 1.25. Pooled,
        // C26 would be 460 of 1100 and R1's LQ 0.75/0.418 = 1.79.
        let rows = vec![
            of("DE", "NACE Rev. 2", row("R1", "C26", 2024, 30.0)),
            of("DE", "NACE Rev. 2", row("R1", "G47", 2024, 10.0)),
            of("DE", "NACE Rev. 2", row("R2", "C26", 2024, 30.0)),
            of("DE", "NACE Rev. 2", row("R2", "G47", 2024, 30.0)),
            of("CN", "GB/T 4754-2017", row("S1", "C26", 2024, 100.0)),
            of("CN", "GB/T 4754-2017", row("S1", "C27", 2024, 100.0)),
            of("CN", "GB/T 4754-2017", row("S2", "C26", 2024, 300.0)),
            of("CN", "GB/T 4754-2017", row("S2", "C27", 2024, 500.0)),
            row("X", "A", 2024, 1.0),
        ];
        let m = cluster_maps_of(&rows, MapMethod::Cmp, &MapParams::default()).unwrap();
        let keys: Vec<(Option<&str>, &str)> = m
            .sections
            .iter()
            .map(|s| (s.key.country.as_deref(), s.key.classification.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (None, "unstated"),
                (Some("CN"), "GB/T 4754-2017"),
                (Some("DE"), "NACE Rev. 2")
            ]
        );
        let lq = |s: usize, region: &str, category: &str| {
            m.sections[s]
                .answer
                .cells
                .iter()
                .find(|c| c.region == region && c.category == category)
                .unwrap()
                .lq
        };
        assert!((lq(2, "R1", "C26") - 1.25).abs() < 1e-12);
        assert!((lq(2, "R1", "G47") - 0.625).abs() < 1e-12);
        assert!((lq(1, "S1", "C26") - 1.25).abs() < 1e-12);
        assert!((lq(1, "S2", "C27") - 0.625 / 0.6).abs() < 1e-12);
        assert_eq!(
            m.sections[2].key.reference_area,
            "DE: the sum of its 2 regions in the register"
        );
        // A region as benchmark: R2's own rows; R1 C26 (30/40)/(30/60) = 1.5.
        let params = MapParams {
            benchmark: Some("R2".into()),
            ..MapParams::default()
        };
        let b = cluster_maps_of(&rows, MapMethod::Cmp, &params).unwrap();
        let de = &b.sections[2];
        assert_eq!(
            de.key.reference_area,
            "benchmark region R2: its own activity"
        );
        let cells: Vec<(&str, &str, f64)> = de
            .answer
            .cells
            .iter()
            .map(|c| (c.region.as_str(), c.category.as_str(), c.lq))
            .collect();
        assert_eq!(cells, [("R1", "C26", 1.5), ("R1", "G47", 0.5)]);
        assert!(b.sections[1].key.notes[0].contains("has no activity in GB/T 4754-2017"));
        let err = split_sections(&rows, Some("FR")).unwrap_err().to_string();
        assert!(err.contains("benchmark 'FR' is neither"), "{err}");
    }

    #[test]
    fn cluster_map_keeps_the_year_and_the_cells_asked_for() {
        // R1: A 30 of 40; the nation: A 40 of 80, so LQ (30/40)/(40/80) = 1.5.
        let rows = vec![
            row("R1", "A", 2024, 30.0),
            row("R1", "B", 2024, 10.0),
            row("R2", "A", 2024, 10.0),
            row("R2", "B", 2024, 30.0),
        ];
        let params = MapParams {
            region: Some("R1".into()),
            ..MapParams::default()
        };
        let m = cluster_maps_of(&rows, MapMethod::Cmp, &params).unwrap();
        assert_eq!(m.sections.len(), 1);
        let m = &m.sections[0].answer;
        assert_eq!(m.year, Some(2024));
        let cells: Vec<(&str, &str, f64)> = m
            .cells
            .iter()
            .map(|c| (c.region.as_str(), c.category.as_str(), c.lq))
            .collect();
        assert_eq!(cells, [("R1", "A", 1.5), ("R1", "B", 0.5)]);
        let v = serde_json::to_value(&m.cells[0]).unwrap();
        assert!(
            v.get("strong").is_some() && v.get("lq_percentile").is_none(),
            "{v}"
        );
    }

    #[test]
    fn methods_and_years_are_checked() {
        for m in [MapMethod::Cmp, MapMethod::Eco, MapMethod::Quadrant] {
            assert_eq!(MapMethod::parse(m.name()).unwrap(), m);
        }
        assert!(
            MapMethod::parse("stars")
                .unwrap_err()
                .to_string()
                .contains("method must be cmp")
        );
        assert!(
            check_year("year", 99)
                .unwrap_err()
                .to_string()
                .contains("four-digit")
        );
    }
}
