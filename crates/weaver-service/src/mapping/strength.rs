//! Each region's cluster strength in a year (part of [`crate::mapping`]).

use super::*;

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
