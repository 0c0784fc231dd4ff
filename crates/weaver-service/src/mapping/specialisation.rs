//! A register cluster's specialisation: the location quotients of its
//! sectors in its own region (part of [`crate::mapping`]).

use super::*;

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
