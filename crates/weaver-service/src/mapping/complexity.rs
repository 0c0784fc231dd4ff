//! Economic complexity of the regions and industries of a section, their
//! proximities and each region's next industries (part of [`crate::mapping`]).

use super::*;

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
