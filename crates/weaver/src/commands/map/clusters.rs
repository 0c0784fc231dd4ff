//! `weaver map clusters`: the location quotient and the classes of the
//! chosen method for every region, cluster and year.

use weaver_mapping::classify::{
    CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
    peer_percentile_ranks,
};
use weaver_mapping::panel::Panel;

use super::args::ClassificationMethod;
use super::stream::CsvNames;
use crate::output::{Cell, Table, push_f64, push_int};

fn base_columns(panel: &Panel, lq: &[f64], i: usize) -> Vec<Cell> {
    let c = &panel.cells[i];
    vec![
        panel.regions[c.region()].as_str().into(),
        panel.clusters[c.cluster()].as_str().into(),
        i64::from(panel.years[c.year()]).into(),
        c.employment.into(),
        c.establishments().into(),
        lq[i].into(),
    ]
}

/// The classes of one method for every cell of a panel.
#[derive(Debug, Clone)]
pub enum Classes {
    /// US Cluster Mapping.
    Cmp(Vec<weaver_mapping::classify::CmpClass>),
    /// European Cluster Observatory stars.
    Eco(Vec<weaver_mapping::classify::EcoStars>),
    /// Practitioners' quadrant.
    Quadrant(Vec<Option<weaver_mapping::classify::Quadrant>>),
}

/// The result of `weaver map clusters`: LQs, classes and notices.
#[derive(Debug, Clone)]
pub struct ClustersResult {
    /// LQ of every cell.
    pub lq: Vec<f64>,
    /// Classes of every cell.
    pub classes: Classes,
    /// Notices to print.
    pub notices: Vec<String>,
    /// Percentile ranks of the LQ and the employment among peers, when asked
    /// for ([`ClustersResult::add_percentiles`]).
    pub percentiles: Option<(Vec<f64>, Vec<f64>)>,
}

const BASE_COLUMNS: [&str; 6] = [
    "region",
    "category",
    "year",
    "employment",
    "establishments",
    "lq",
];

impl ClustersResult {
    /// Output columns.
    pub fn columns(&self) -> Vec<&'static str> {
        let extra: &[&'static str] = match self.classes {
            Classes::Cmp(_) => &["qualifying", "significant", "strong", "strong10"],
            Classes::Eco(_) => &["size_star", "specialisation_star", "focus_star", "stars"],
            Classes::Quadrant(_) => &["quadrant"],
        };
        let pct: &[&'static str] = if self.percentiles.is_some() {
            &["lq_percentile", "employment_percentile"]
        } else {
            &[]
        };
        [&BASE_COLUMNS[..], extra, pct].concat()
    }

    /// Computes the percentile ranks of the LQ and of the employment among
    /// each cell's peers ([`peer_percentile_ranks`]).
    pub fn add_percentiles(&mut self, panel: &Panel) -> anyhow::Result<()> {
        let emp: Vec<f64> = panel.cells.iter().map(|c| c.employment).collect();
        self.percentiles = Some((
            peer_percentile_ranks(panel, &self.lq)?,
            peer_percentile_ranks(panel, &emp)?,
        ));
        Ok(())
    }

    /// Output row of cell `i`.
    pub fn row(&self, panel: &Panel, i: usize) -> Vec<Cell> {
        let mut row = base_columns(panel, &self.lq, i);
        match &self.classes {
            Classes::Cmp(c) => {
                let c = c[i];
                row.extend([
                    c.qualifying.into(),
                    c.significant.into(),
                    c.strong.into(),
                    c.strong10.into(),
                ]);
            }
            Classes::Eco(s) => {
                let s = s[i];
                row.extend([
                    s.size.into(),
                    s.specialisation.into(),
                    s.focus.into(),
                    i64::from(s.count()).into(),
                ]);
            }
            Classes::Quadrant(q) => row.push(q[i].map(|q| q.as_str()).into()),
        }
        if let Some((lq, emp)) = &self.percentiles {
            row.extend([lq[i].into(), emp[i].into()]);
        }
        row
    }

    /// Appends the CSV line of cell `i` to `out`: the same text as
    /// [`ClustersResult::row`] through [`Table::write_csv`], without a
    /// `Vec<Cell>` per row. `names` holds the CSV-escaped region and cluster
    /// codes and the years as text.
    pub(super) fn write_row(&self, panel: &Panel, names: &CsvNames, i: usize, out: &mut Vec<u8>) {
        let c = &panel.cells[i];
        out.extend_from_slice(&names.regions[c.region()]);
        out.push(b',');
        out.extend_from_slice(&names.clusters[c.cluster()]);
        out.push(b',');
        out.extend_from_slice(&names.years[c.year()]);
        out.push(b',');
        push_f64(out, c.employment);
        out.push(b',');
        // NaN (no count) prints as an empty field, as `None` does.
        push_f64(out, c.establishments_sum);
        out.push(b',');
        push_f64(out, self.lq[i]);
        let flag = |out: &mut Vec<u8>, b: bool| {
            out.extend_from_slice(if b { b",true" } else { b",false" });
        };
        match &self.classes {
            Classes::Cmp(c) => {
                let c = c[i];
                for b in [c.qualifying, c.significant, c.strong, c.strong10] {
                    flag(out, b);
                }
            }
            Classes::Eco(s) => {
                let s = s[i];
                for b in [s.size, s.specialisation, s.focus] {
                    flag(out, b);
                }
                out.push(b',');
                push_int(out, i64::from(s.count()));
            }
            Classes::Quadrant(q) => {
                out.push(b',');
                if let Some(q) = q[i] {
                    out.extend_from_slice(q.as_str().as_bytes());
                }
            }
        }
        if let Some((lq, emp)) = &self.percentiles {
            out.push(b',');
            push_f64(out, lq[i]);
            out.push(b',');
            push_f64(out, emp[i]);
        }
        out.push(b'\n');
    }

    /// The whole output as a table.
    pub fn table(&self, panel: &Panel) -> Table {
        let mut t = Table::new(&self.columns());
        for i in 0..panel.cells.len() {
            t.push(self.row(panel, i));
        }
        t
    }
}

/// Classifies every cell of the panel by `method`.
pub fn classify(panel: &Panel, method: ClassificationMethod) -> anyhow::Result<ClustersResult> {
    let lq = panel.location_quotients();
    let mut notices = Vec::new();
    let classes = match method {
        ClassificationMethod::Cmp => {
            let r = classify_cmp(panel, &lq, &CmpOptions::default())?;
            if !r.establishments_used {
                notices.push(
                    "no establishments column: the establishments condition of cmp is dropped"
                        .to_owned(),
                );
            }
            Classes::Cmp(r.classes)
        }
        ClassificationMethod::Eco => {
            Classes::Eco(classify_eco(panel, &lq, &EcoOptions::default())?)
        }
        ClassificationMethod::Quadrant => {
            Classes::Quadrant(classify_quadrant(panel, &lq, &QuadrantOptions::default())?)
        }
    };
    Ok(ClustersResult {
        lq,
        classes,
        notices,
        percentiles: None,
    })
}

/// The table of `weaver map clusters`, with the notices to print.
pub fn clusters_table(
    panel: &Panel,
    method: ClassificationMethod,
) -> anyhow::Result<(Table, Vec<String>)> {
    let r = classify(panel, method)?;
    Ok((r.table(panel), r.notices))
}
