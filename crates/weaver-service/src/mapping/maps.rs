//! The cluster map: each region and industry classified by a mapping
//! method (US Cluster Mapping, the European Cluster Observatory's stars, or
//! percentiles) in one section or all (part of [`crate::mapping`]).

use super::*;

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
