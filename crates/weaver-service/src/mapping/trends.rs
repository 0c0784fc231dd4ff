//! Growth of regional activity between two years, and the industries
//! related to one by their regions' co-location (part of [`crate::mapping`]).

use super::*;

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
