//! Cluster mapping of the regional activity a caller may read.

use serde::Serialize;
use weaver_mapping::panel::Panel;
use weaver_store::{ActivityRow, Principal, Store};

use crate::error::{Result, ServiceError};

/// The register's rows of regional activity as the mapping engine's panel,
/// each industry its own category (no cluster definitions, no benchmark).
pub fn activity_panel(rows: Vec<ActivityRow>) -> Result<Panel> {
    let rows: Vec<weaver_mapping::input::ActivityRow> = rows
        .into_iter()
        .map(|r| {
            let year = i32::try_from(r.year)
                .map_err(|_| ServiceError::Invalid(format!("year {} out of range", r.year)))?;
            Ok(weaver_mapping::input::ActivityRow {
                region: r.region,
                industry: r.industry,
                year,
                employment: Some(r.employment),
                establishments: r.establishments,
                wages: r.wages,
                kind: None,
            })
        })
        .collect::<Result<_>>()?;
    let columns = weaver_mapping::input::ActivityColumns::from_rows(&rows);
    Panel::build_columns(&columns, None, None).map_err(|e| ServiceError::Invalid(e.to_string()))
}

/// The regional activity `who` may read (the public: public rows), as a
/// panel; `NotFound` when there is none.
pub async fn readable_panel(store: &Store, who: Option<&Principal>) -> Result<Panel> {
    let rows = store.readable_regional_activity(who).await?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no regional activity that you may see (an admin imports a \
             regional_activity table)"
                .into(),
        ));
    }
    activity_panel(rows)
}

/// One region and cluster's growth between two years.
#[derive(Debug, Clone, Serialize)]
pub struct GrowthRow {
    /// The region.
    pub region: String,
    /// The cluster (or industry).
    pub cluster: String,
    /// Employment in the start year.
    pub start: f64,
    /// Employment in the end year.
    pub end: f64,
    /// end − start.
    pub change: f64,
    /// Compound annual growth rate.
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
#[derive(Debug, Clone, Serialize)]
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
                cluster: panel.clusters[g.cluster].clone(),
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
