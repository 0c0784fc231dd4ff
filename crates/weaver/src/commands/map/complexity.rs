//! `weaver map complexity`: [`weaver_service::mapping::complexity`] as a
//! folder of tables.

use weaver_mapping::panel::Panel;
use weaver_service::mapping::ComplexityParams;

use crate::output::{Cell, Table};

/// The tables of `weaver map complexity`: (file stem, table).
pub fn complexity_tables(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    rca_threshold: f64,
    top: usize,
) -> anyhow::Result<Vec<(&'static str, Table)>> {
    let res = weaver_service::mapping::complexity(
        panel,
        &ComplexityParams {
            year,
            kind: kind.map(str::to_owned),
            rca_threshold,
            top,
            kind_flag: "--kind",
            max_work: None,
        },
    )?;
    let mut rca = Table::new(&["region", "industry", "value", "rca", "mcp"]);
    let mut density = Table::new(&["region", "industry", "density"]);
    let mut cog = Table::new(&["region", "industry", "cog"]);
    for c in res.cells {
        let (region, industry) = (Cell::from(c.region), Cell::from(c.industry));
        rca.push(vec![
            region.clone(),
            industry.clone(),
            c.value.into(),
            c.rca.into(),
            c.mcp.into(),
        ]);
        density.push(vec![region.clone(), industry.clone(), c.density.into()]);
        cog.push(vec![region, industry, c.cog.into()]);
    }
    let mut proximity = Table::new(&["industry_a", "industry_b", "proximity"]);
    for p in res.proximity {
        proximity.push(vec![
            p.industry_a.into(),
            p.industry_b.into(),
            p.proximity.into(),
        ]);
    }
    let mut eci = Table::new(&["region", "eci", "diversity"]);
    let mut coi = Table::new(&["region", "coi"]);
    for r in res.regions {
        eci.push(vec![
            r.region.as_str().into(),
            r.eci.into(),
            r.diversity.into(),
        ]);
        coi.push(vec![r.region.into(), r.coi.into()]);
    }
    let mut next = Table::new(&["region", "rank", "industry", "density", "pci", "cog"]);
    for n in res.next {
        next.push(vec![
            n.region.into(),
            n.rank.into(),
            n.industry.into(),
            n.density.into(),
            n.pci.into(),
            n.cog.into(),
        ]);
    }
    let mut pci = Table::new(&["industry", "pci", "ubiquity"]);
    for p in res.industries {
        pci.push(vec![p.industry.into(), p.pci.into(), p.ubiquity.into()]);
    }
    Ok(vec![
        ("rca", rca),
        ("proximity", proximity),
        ("density", density),
        ("eci", eci),
        ("pci", pci),
        ("coi", coi),
        ("cog", cog),
        ("next", next),
    ])
}
