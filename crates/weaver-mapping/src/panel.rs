//! The panel: activity summed into cluster categories per region and year,
//! with the national totals the measures divide by, and the measures
//! themselves (location quotients, shares, wages, growth, shift-share).

use std::collections::HashMap;

use crate::error::{MappingError, Table};
use crate::fxhash::FxHashMap;
use crate::input::{ActivityColumns, ActivityRow, BenchmarkRow, ClusterType, Definition};

/// Index of the denominator group of a cluster: traded, local, or all
/// employment for untyped categories.
const TRADED: usize = 0;
const LOCAL: usize = 1;
const ALL: usize = 2;
/// No index (a region not seen yet, an unmapped industry).
const NONE: u32 = u32::MAX;
/// An industry whose category was not looked up yet.
const UNSEEN: u32 = u32::MAX - 1;

fn group_of(t: Option<ClusterType>) -> usize {
    match t {
        Some(ClusterType::Traded) => TRADED,
        Some(ClusterType::Local) => LOCAL,
        None => ALL,
    }
}

/// One region × cluster category × year of the panel.
///
/// Kept small (40 bytes), since a panel may hold millions of cells: indices
/// are `u32` (see [`PanelCell::region`] and its siblings for them as
/// `usize`) and an unknown count is NaN rather than an `Option` (see
/// [`PanelCell::establishments`]).
#[derive(Debug, Clone)]
pub struct PanelCell {
    /// Index into [`Panel::regions`].
    pub region_ix: u32,
    /// Index into [`Panel::clusters`].
    pub cluster_ix: u32,
    /// Index into [`Panel::years`].
    pub year_ix: u32,
    /// Employment summed over the category's industries.
    pub employment: f64,
    /// Establishments summed over the industries that report them; NaN
    /// when none does.
    pub establishments_sum: f64,
    /// Total payroll summed likewise; NaN when no industry reports it.
    pub wages_sum: f64,
}

impl PanelCell {
    /// Index into [`Panel::regions`].
    #[inline]
    pub fn region(&self) -> usize {
        self.region_ix as usize
    }

    /// Index into [`Panel::clusters`].
    #[inline]
    pub fn cluster(&self) -> usize {
        self.cluster_ix as usize
    }

    /// Index into [`Panel::years`].
    #[inline]
    pub fn year(&self) -> usize {
        self.year_ix as usize
    }

    /// Establishments, `None` when no industry of the cell reports them.
    #[inline]
    pub fn establishments(&self) -> Option<f64> {
        Some(self.establishments_sum).filter(|v| !v.is_nan())
    }

    /// Total payroll, `None` when no industry of the cell reports it.
    #[inline]
    pub fn wages(&self) -> Option<f64> {
        Some(self.wages_sum).filter(|v| !v.is_nan())
    }
}

/// Cells are equal when their indices and numbers are, an unknown count
/// (NaN) being equal to an unknown count.
impl PartialEq for PanelCell {
    fn eq(&self, other: &Self) -> bool {
        (self.region_ix, self.cluster_ix, self.year_ix)
            == (other.region_ix, other.cluster_ix, other.year_ix)
            && self.employment == other.employment
            && self.establishments() == other.establishments()
            && self.wages() == other.wages()
    }
}

/// `a + b` where NaN means "not known": the sum of the known ones, NaN when
/// neither is.
#[inline]
fn add_known(a: f64, b: f64) -> f64 {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => a + b,
        (true, _) => b,
        (false, true) => a,
    }
}

/// Activity summed into cluster categories, with totals.
///
/// Regions, kinds and clusters are numbered in the order in which they first
/// appear in the input; years ascending; cells in the order in which their
/// (region, category, year) first appears.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// Region codes.
    pub regions: Vec<String>,
    /// Kind of each region (index into `kinds`).
    pub region_kind: Vec<usize>,
    /// Kinds of region; `""` for regions given without a kind.
    pub kinds: Vec<String>,
    /// Cluster categories.
    pub clusters: Vec<String>,
    /// Type of each category, if known.
    pub cluster_type: Vec<Option<ClusterType>>,
    /// Years, ascending.
    pub years: Vec<i32>,
    /// The cells.
    pub cells: Vec<PanelCell>,
    /// Whether any activity row reports establishments.
    pub has_establishments: bool,
    /// Whether any activity row reports wages.
    pub has_wages: bool,
    /// Activity rows whose industry is in no definition (left out).
    pub unmapped_rows: usize,
    /// Activity rows still suppressed (employment `None`), counted as 0.
    pub suppressed_rows: usize,
    /// Whether national totals come from a benchmark table.
    pub benchmarked: bool,
    /// National employment by (kind, year, cluster).
    national: Vec<f64>,
    /// National employment by (kind, year, group).
    national_group: Vec<f64>,
    /// Regional employment by (region, year, group).
    region_group: Vec<f64>,
}

impl Panel {
    /// Builds the panel: maps industries to categories through `definitions`
    /// (or takes each industry as its own untyped category when `None`), sums
    /// employment, establishments and wages, and computes the national
    /// totals: from `benchmark` when given (mapped through the same
    /// definitions), otherwise as the sum over the regions of each kind (so
    /// that states and counties, given together, each make up the nation).
    ///
    /// # Errors
    /// * [`MappingError::InvalidValue`] for a negative or non-finite number.
    /// * [`MappingError::Duplicate`] for a repeated (region, industry, year),
    ///   a definition listing an industry twice, or a repeated benchmark
    ///   (industry, year).
    /// * [`MappingError::KindConflict`] when a region has two kinds.
    /// * [`MappingError::TypeConflict`] when a category has two types.
    ///
    /// # Example
    /// ```
    /// use weaver_mapping::input::ActivityRow;
    /// use weaver_mapping::panel::Panel;
    /// let row = |r: &str, i: &str, e: f64| ActivityRow {
    ///     region: r.into(), industry: i.into(), year: 2020, employment: Some(e), ..Default::default()
    /// };
    /// let p = Panel::build(&[row("R1", "A", 10.0), row("R1", "B", 30.0), row("R2", "A", 20.0)], None, None).unwrap();
    /// assert_eq!(p.cells.len(), 3);
    /// // LQ of A in R1 = (10/40) / (30/60) = 0.5
    /// assert_eq!(p.location_quotients()[0], 0.5);
    /// ```
    pub fn build(
        rows: &[ActivityRow],
        definitions: Option<&[Definition]>,
        benchmark: Option<&[BenchmarkRow]>,
    ) -> Result<Panel, MappingError> {
        // Columns keep "no value" as NaN: a NaN given as a value is refused
        // here, where it can still be told apart.
        for (record, r) in rows.iter().enumerate() {
            for (column, v) in [
                ("employment", r.employment),
                ("establishments", r.establishments),
                ("wages", r.wages),
            ] {
                if let Some(value) = v.filter(|v| v.is_nan()) {
                    return Err(MappingError::InvalidValue {
                        table: Table::Activity,
                        record,
                        column,
                        value,
                    });
                }
            }
        }
        Panel::build_columns(&ActivityColumns::from_rows(rows), definitions, benchmark)
    }

    /// [`Panel::build`] from activity given as columns of ids: the same
    /// panel, without a string per row. Regions, kinds and categories are
    /// numbered by first appearance in the rows (not by their ids).
    ///
    /// # Errors
    /// Those of [`Panel::build`] (with `record` the row position), and
    /// [`MappingError::Columns`] when the columns do not fit together.
    ///
    /// # Example
    /// ```
    /// use weaver_mapping::input::ActivityColumns;
    /// use weaver_mapping::panel::Panel;
    /// let cols = ActivityColumns {
    ///     regions: vec!["R2".into(), "R1".into()],
    ///     industries: vec!["A".into(), "B".into()],
    ///     region: vec![1, 1, 0],
    ///     industry: vec![0, 1, 0],
    ///     year: vec![2020; 3],
    ///     employment: vec![10.0, 30.0, 20.0],
    ///     ..Default::default()
    /// };
    /// let p = Panel::build_columns(&cols, None, None).unwrap();
    /// assert_eq!(p.regions, ["R1", "R2"]);
    /// // LQ of A in R1 = (10/40) / (30/60) = 0.5
    /// assert_eq!(p.location_quotients()[0], 0.5);
    /// ```
    pub fn build_columns(
        rows: &ActivityColumns,
        definitions: Option<&[Definition]>,
        benchmark: Option<&[BenchmarkRow]>,
    ) -> Result<Panel, MappingError> {
        rows.check()?;
        let mut p = Panel::default();
        // Definitions.
        let mut cluster_index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut def_map: FxHashMap<&str, usize> = FxHashMap::default();
        if let Some(defs) = definitions {
            let mut first_row: HashMap<&str, usize> = HashMap::new();
            for (i, d) in defs.iter().enumerate() {
                if let Some(&first) = first_row.get(d.industry.as_str()) {
                    return Err(MappingError::Duplicate {
                        table: Table::Definitions,
                        record: i,
                        first,
                        key: format!("industry {:?}", d.industry),
                    });
                }
                first_row.insert(&d.industry, i);
                let c = match cluster_index.get(d.cluster.as_str()) {
                    Some(&c) => c,
                    None => {
                        p.clusters.push(d.cluster.clone());
                        p.cluster_type.push(d.cluster_type);
                        cluster_index.insert(&d.cluster, p.clusters.len() - 1);
                        p.clusters.len() - 1
                    }
                };
                if p.cluster_type[c] != d.cluster_type {
                    let show = |t: Option<ClusterType>| {
                        t.map_or("untyped", ClusterType::as_str).to_owned()
                    };
                    return Err(MappingError::TypeConflict {
                        table: Table::Definitions,
                        record: i,
                        cluster: d.cluster.clone(),
                        found: show(d.cluster_type),
                        earlier: show(p.cluster_type[c]),
                    });
                }
                def_map.insert(&d.industry, c);
            }
        }
        // Years (ascending).
        let mut years: Vec<i32> = rows.year.clone();
        years.sort_unstable();
        years.dedup();
        let year_index: FxHashMap<i32, usize> =
            years.iter().enumerate().map(|(i, &y)| (y, i)).collect();
        let (y_min, ny) = (years.first().copied().unwrap_or(0), years.len());
        // Years usually span a short range: index them by offset.
        let span = years
            .last()
            .map_or(0, |&l| (i64::from(l) - i64::from(y_min) + 1) as usize);
        let by_offset: Vec<u32> = if span <= 4096 {
            let mut v = vec![NONE; span];
            for (i, &y) in years.iter().enumerate() {
                v[(i64::from(y) - i64::from(y_min)) as usize] = i as u32;
            }
            v
        } else {
            Vec::new()
        };
        p.years = years;
        // Regions and kinds, renumbered by first appearance; categories of
        // industries (NONE when unmapped) found once per industry.
        let mut region_of_id = vec![NONE; rows.regions.len()];
        let mut kind_of_id = vec![NONE; rows.kinds.len()];
        let mut cluster_of_ind = vec![UNSEEN; rows.industries.len()];
        // Repeated (region, industry, year) are found with a bitset over the
        // ids when the key space is small enough (the usual case), else a
        // hash set; cells are found with a dense index when it fits, else a
        // hash map. One pass, no per-row key vector.
        let (nr_ids, ni) = (rows.regions.len(), rows.industries.len());
        let nc_max = if definitions.is_some() {
            p.clusters.len()
        } else {
            ni
        };
        let budget = 8 * rows.len() + (1 << 20);
        let space = nr_ids.saturating_mul(ni).saturating_mul(ny);
        let mut seen_bits: Vec<u64> = if space <= 8 * budget {
            vec![0; space.div_ceil(64)]
        } else {
            Vec::new()
        };
        let mut seen_hash: FxHashMap<(u32, u32, u32), ()> = FxHashMap::default();
        let duplicate = |i: usize| {
            let key = (rows.region[i], rows.industry[i], rows.year[i]);
            let first = (0..i)
                .find(|&j| (rows.region[j], rows.industry[j], rows.year[j]) == key)
                .unwrap_or(i);
            MappingError::Duplicate {
                table: Table::Activity,
                record: i,
                first,
                key: format!(
                    "region {:?}, industry {:?}, year {}",
                    rows.regions[key.0 as usize], rows.industries[key.1 as usize], key.2
                ),
            }
        };
        let cell_space = nr_ids.saturating_mul(nc_max).saturating_mul(ny);
        let mut dense: Vec<u32> = if cell_space <= budget {
            vec![NONE; cell_space]
        } else {
            Vec::new()
        };
        let mut sparse: FxHashMap<(u32, u32, u32), usize> = FxHashMap::default();
        // At most one cell per row; pages never touched cost nothing, while
        // growing a vector of millions of cells copies it.
        p.cells.reserve_exact(rows.len());
        let (has_kind, has_est, has_wages) = (
            !rows.kind.is_empty(),
            !rows.establishments.is_empty(),
            !rows.wages.is_empty(),
        );
        if !has_kind && !rows.is_empty() {
            p.kinds.push(String::new());
        }
        for i in 0..rows.len() {
            // NaN: suppressed or not reported.
            let (employment, establishments, wages) = (
                rows.employment[i],
                if has_est {
                    rows.establishments[i]
                } else {
                    f64::NAN
                },
                if has_wages { rows.wages[i] } else { f64::NAN },
            );
            for (column, v) in [
                ("employment", employment),
                ("establishments", establishments),
                ("wages", wages),
            ] {
                if v < 0.0 || v.is_infinite() {
                    return Err(MappingError::InvalidValue {
                        table: Table::Activity,
                        record: i,
                        column,
                        value: v,
                    });
                }
            }
            let rid = rows.region[i] as usize;
            // Kind of this row, as a panel kind index.
            let k = if has_kind {
                let kid = rows.kind[i] as usize;
                if kind_of_id[kid] == NONE {
                    // A kind is numbered when its first region appears.
                    if region_of_id[rid] != NONE {
                        let earlier = &p.kinds[p.region_kind[region_of_id[rid] as usize]];
                        return Err(MappingError::KindConflict {
                            table: Table::Activity,
                            record: i,
                            region: rows.regions[rid].clone(),
                            kind: rows.kinds[kid].clone(),
                            earlier: earlier.clone(),
                        });
                    }
                    kind_of_id[kid] = p.kinds.len() as u32;
                    p.kinds.push(rows.kinds[kid].clone());
                }
                kind_of_id[kid] as usize
            } else {
                0
            };
            let reg = match region_of_id[rid] {
                NONE => {
                    p.regions.push(rows.regions[rid].clone());
                    p.region_kind.push(k);
                    region_of_id[rid] = (p.regions.len() - 1) as u32;
                    p.regions.len() - 1
                }
                g => {
                    let g = g as usize;
                    if p.region_kind[g] != k {
                        return Err(MappingError::KindConflict {
                            table: Table::Activity,
                            record: i,
                            region: rows.regions[rid].clone(),
                            kind: p.kinds[k].clone(),
                            earlier: p.kinds[p.region_kind[g]].clone(),
                        });
                    }
                    g
                }
            };
            let year = rows.year[i];
            let y = match by_offset.get((i64::from(year) - i64::from(y_min)) as usize) {
                Some(&y) => y,
                None => year_index[&year] as u32,
            };
            let ind = rows.industry[i];
            let mut cl = cluster_of_ind[ind as usize];
            if cl == UNSEEN {
                let name = rows.industries[ind as usize].as_str();
                cl = if definitions.is_some() {
                    def_map.get(name).map_or(NONE, |&c| c as u32)
                } else {
                    let c = *cluster_index.entry(name).or_insert_with(|| {
                        p.clusters.push(name.to_owned());
                        p.cluster_type.push(None);
                        p.clusters.len() - 1
                    });
                    c as u32
                };
                cluster_of_ind[ind as usize] = cl;
            }
            let repeated = if seen_bits.is_empty() {
                seen_hash.insert((rid as u32, ind, y), ()).is_some()
            } else {
                let idx = (rid * ni + ind as usize) * ny + y as usize;
                let (w, b) = (idx / 64, 1u64 << (idx % 64));
                let was = seen_bits[w] & b != 0;
                seen_bits[w] |= b;
                was
            };
            if repeated {
                return Err(duplicate(i));
            }
            if cl == NONE {
                p.unmapped_rows += 1;
                continue;
            }
            p.has_establishments |= !establishments.is_nan();
            p.has_wages |= !wages.is_nan();
            if employment.is_nan() {
                p.suppressed_rows += 1;
            }
            // The row's cell, in order of first appearance.
            let found = if dense.is_empty() {
                sparse.get(&(rid as u32, cl, y)).copied()
            } else {
                let c = dense[(rid * nc_max + cl as usize) * ny + y as usize];
                (c != NONE).then_some(c as usize)
            };
            let e = if employment.is_nan() { 0.0 } else { employment };
            match found {
                Some(c) => {
                    let cell = &mut p.cells[c];
                    cell.employment += e;
                    cell.establishments_sum = add_known(cell.establishments_sum, establishments);
                    cell.wages_sum = add_known(cell.wages_sum, wages);
                }
                None => {
                    let c = p.cells.len();
                    if dense.is_empty() {
                        sparse.insert((rid as u32, cl, y), c);
                    } else {
                        dense[(rid * nc_max + cl as usize) * ny + y as usize] = c as u32;
                    }
                    p.cells.push(PanelCell {
                        region_ix: reg as u32,
                        cluster_ix: cl,
                        year_ix: y,
                        employment: e,
                        establishments_sum: establishments,
                        wages_sum: wages,
                    });
                }
            }
        }
        drop(dense);
        // Totals.
        let (nr, nc, nk) = (p.regions.len(), p.clusters.len(), p.kinds.len().max(1));
        p.region_group = vec![0.0; nr * ny * 3];
        p.national = vec![0.0; nk * ny * nc];
        p.national_group = vec![0.0; nk * ny * 3];
        for cell in &p.cells {
            let g = group_of(p.cluster_type[cell.cluster()]);
            let base = (cell.region() * ny + cell.year()) * 3;
            p.region_group[base + g] += cell.employment;
            if g != ALL {
                p.region_group[base + ALL] += cell.employment;
            }
        }
        if let Some(bench) = benchmark {
            p.benchmarked = true;
            let mut first: HashMap<(&str, i32), usize> = HashMap::new();
            let mut by_cy = vec![0.0; ny * nc];
            for (i, b) in bench.iter().enumerate() {
                if !(b.employment.is_finite() && b.employment >= 0.0) {
                    return Err(MappingError::InvalidValue {
                        table: Table::Benchmark,
                        record: i,
                        column: "employment",
                        value: b.employment,
                    });
                }
                if let Some(f) = first.insert((&b.industry, b.year), i) {
                    return Err(MappingError::Duplicate {
                        table: Table::Benchmark,
                        record: i,
                        first: f,
                        key: format!("industry {:?}, year {}", b.industry, b.year),
                    });
                }
                let Some(&y) = year_index.get(&b.year) else {
                    continue;
                };
                let c = if definitions.is_some() {
                    def_map.get(b.industry.as_str()).copied()
                } else {
                    cluster_index.get(b.industry.as_str()).copied()
                };
                if let Some(c) = c {
                    by_cy[y * nc + c] += b.employment;
                }
            }
            for k in 0..nk {
                for y in 0..ny {
                    for c in 0..nc {
                        let v = by_cy[y * nc + c];
                        p.national[(k * ny + y) * nc + c] = v;
                    }
                }
            }
        } else {
            for cell in &p.cells {
                let k = p.region_kind[cell.region()];
                p.national[(k * ny + cell.year()) * nc + cell.cluster()] += cell.employment;
            }
        }
        for k in 0..nk {
            for y in 0..ny {
                for c in 0..nc {
                    let v = p.national[(k * ny + y) * nc + c];
                    let g = group_of(p.cluster_type[c]);
                    p.national_group[(k * ny + y) * 3 + g] += v;
                    if g != ALL {
                        p.national_group[(k * ny + y) * 3 + ALL] += v;
                    }
                }
            }
        }
        Ok(p)
    }

    /// Kind index of a cell's region.
    pub fn kind_of(&self, cell: &PanelCell) -> usize {
        self.region_kind[cell.region()]
    }

    /// National employment of category `cluster` in year index `year` for
    /// regions of kind `kind` (the benchmark's, when one was given).
    pub fn national(&self, kind: usize, year: usize, cluster: usize) -> f64 {
        self.national[(kind * self.years.len() + year) * self.clusters.len() + cluster]
    }

    /// National employment of all categories of the type of `cluster`
    /// (all categories when it is untyped).
    pub fn national_of_type(&self, kind: usize, year: usize, cluster: usize) -> f64 {
        self.national_group
            [(kind * self.years.len() + year) * 3 + group_of(self.cluster_type[cluster])]
    }

    /// National employment over all categories.
    pub fn national_total(&self, kind: usize, year: usize) -> f64 {
        self.national_group[(kind * self.years.len() + year) * 3 + ALL]
    }

    /// Employment of `region` in year index `year` in categories of the type
    /// of `cluster` (all categories when it is untyped).
    pub fn region_of_type(&self, region: usize, year: usize, cluster: usize) -> f64 {
        self.region_group
            [(region * self.years.len() + year) * 3 + group_of(self.cluster_type[cluster])]
    }

    /// Employment of `region` in traded categories (all categories when no
    /// category is typed traded).
    pub fn region_traded(&self, region: usize, year: usize) -> f64 {
        let g = if self.any_traded() { TRADED } else { ALL };
        self.region_group[(region * self.years.len() + year) * 3 + g]
    }

    /// Employment of `region` over all categories.
    pub fn region_total(&self, region: usize, year: usize) -> f64 {
        self.region_group[(region * self.years.len() + year) * 3 + ALL]
    }

    /// Whether any category is typed traded.
    pub fn any_traded(&self) -> bool {
        self.cluster_type.contains(&Some(ClusterType::Traded))
    }

    /// Location quotient of every cell, in cell order.
    ///
    /// LQ_rc = (E_rc / E_r,T) / (E_c / E_T)
    ///
    /// where T is the type of category c: a traded category's LQ is taken
    /// within traded employment, a local one's within local employment
    /// (US Cluster Mapping, Delgado, Porter & Stern 2016); for an untyped
    /// category T is all employment, the classic LQ. E_c and E_T are national:
    /// the benchmark's, or the sum over the regions of the same kind.
    ///
    /// # Returns
    /// One LQ per cell; NaN when E_r,T = 0 or E_c = 0.
    ///
    /// # Notes
    /// The employment-weighted mean of the LQs of one category over the
    /// regions of one kind is 1 when no benchmark is given.
    ///
    /// # References
    /// 1. M. Delgado, M. E. Porter and S. Stern (2016). Defining clusters of
    ///    related industries. *Journal of Economic Geography* 16(1):1–38.
    pub fn location_quotients(&self) -> Vec<f64> {
        self.cells
            .iter()
            .map(|c| {
                let k = self.kind_of(c);
                let (region, year, cluster) = (c.region(), c.year(), c.cluster());
                let er = self.region_of_type(region, year, cluster);
                let ec = self.national(k, year, cluster);
                let et = self.national_of_type(k, year, cluster);
                if er > 0.0 && ec > 0.0 && et > 0.0 {
                    (c.employment / er) / (ec / et)
                } else {
                    f64::NAN
                }
            })
            .collect()
    }

    /// Shares of every cell, in cell order.
    ///
    /// * `national` — E_rc / E_c, the region's share of the category's
    ///   national employment;
    /// * `regional` — E_rc / E_r, the category's share of the region's
    ///   employment over all categories (the European Cluster Observatory's
    ///   focus);
    /// * `wage` — payroll / employment, the average annual wage.
    ///
    /// Each is NaN when its denominator is 0 (or the payroll is unknown).
    ///
    /// ```
    /// use weaver_mapping::input::ActivityRow;
    /// use weaver_mapping::panel::Panel;
    /// let row = |r: &str, i: &str, e: f64| ActivityRow {
    ///     region: r.into(), industry: i.into(), year: 2020, employment: Some(e),
    ///     wages: Some(e * 50.0), ..Default::default()
    /// };
    /// let p = Panel::build(&[row("R1", "A", 10.0), row("R1", "B", 30.0), row("R2", "A", 30.0)], None, None).unwrap();
    /// let s = p.shares();
    /// assert_eq!((s[0].national, s[0].regional, s[0].wage), (0.25, 0.25, 50.0));
    /// ```
    pub fn shares(&self) -> Vec<Shares> {
        let div = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        self.cells
            .iter()
            .map(|c| Shares {
                national: div(
                    c.employment,
                    self.national(self.kind_of(c), c.year(), c.cluster()),
                ),
                regional: div(c.employment, self.region_total(c.region(), c.year())),
                wage: div(c.wages_sum, c.employment),
            })
            .collect()
    }

    /// Index of `year` in [`Panel::years`].
    pub fn year_index(&self, year: i32) -> Result<usize, MappingError> {
        self.years
            .binary_search(&year)
            .map_err(|_| MappingError::UnknownYear {
                year,
                present: self
                    .years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Growth of each region × category between two years, with the
    /// shift-share decomposition of the change.
    ///
    /// With E⁰, E¹ the region's employment in the category at the start and
    /// end, N⁰_c, N¹_c the national employment of the category and N⁰, N¹ all
    /// national employment (benchmark's when given), g = N¹/N⁰ − 1 and
    /// g_c = N¹_c/N⁰_c − 1:
    ///
    /// * change = E¹ − E⁰; CAGR = (E¹/E⁰)^{1/(t₁ − t₀)} − 1;
    /// * expected = E⁰ · g_c, the change had the region grown at the
    ///   benchmark's rate for the category;
    /// * national_share = E⁰ · g; industry_mix = E⁰ (g_c − g);
    ///   job_creation (the regional shift) = change − expected.
    ///
    /// national_share + industry_mix + job_creation = change.
    ///
    /// A category absent in one of the two years counts as 0 there. Rows
    /// follow the order of the cells.
    ///
    /// # Errors
    /// [`MappingError::UnknownYear`] when a year is not in the panel;
    /// [`MappingError::Parameter`] when `end ≤ start`.
    ///
    /// # Example
    /// ```
    /// use weaver_mapping::input::ActivityRow;
    /// use weaver_mapping::panel::Panel;
    /// let row = |r: &str, y: i32, e: f64| ActivityRow {
    ///     region: r.into(), industry: "A".into(), year: y, employment: Some(e), ..Default::default()
    /// };
    /// let p = Panel::build(&[row("R1", 2010, 100.0), row("R2", 2010, 100.0),
    ///                        row("R1", 2012, 121.0), row("R2", 2012, 99.0)], None, None).unwrap();
    /// let g = p.growth(2010, 2012).unwrap();
    /// assert!((g[0].cagr - 0.1).abs() < 1e-12);
    /// assert!((g[0].expected - 10.0).abs() < 1e-9); // nation grew 10%
    /// assert!((g[0].job_creation - 11.0).abs() < 1e-9);
    /// ```
    ///
    /// # References
    /// 1. E. S. Dunn (1960). A statistical and analytical technique for
    ///    regional analysis. *Papers in Regional Science* 6(1):97–112.
    pub fn growth(&self, start: i32, end: i32) -> Result<Vec<Growth>, MappingError> {
        let (y0, y1) = (self.year_index(start)?, self.year_index(end)?);
        if end <= start {
            return Err(MappingError::Parameter {
                name: "end year",
                value: f64::from(end),
                expected: "a year after the start year",
            });
        }
        let mut index: HashMap<(usize, usize), usize> = HashMap::new();
        let mut rows: Vec<Growth> = Vec::new();
        for c in &self.cells {
            if c.year() != y0 && c.year() != y1 {
                continue;
            }
            let i = *index.entry((c.region(), c.cluster())).or_insert_with(|| {
                rows.push(Growth {
                    region: c.region(),
                    cluster: c.cluster(),
                    start: 0.0,
                    end: 0.0,
                    change: 0.0,
                    cagr: 0.0,
                    expected: 0.0,
                    national_share: 0.0,
                    industry_mix: 0.0,
                    job_creation: 0.0,
                });
                rows.len() - 1
            });
            if c.year() == y0 {
                rows[i].start = c.employment;
            } else {
                rows[i].end = c.employment;
            }
        }
        let years = f64::from(end - start);
        for g in &mut rows {
            let k = self.region_kind[g.region];
            let n0 = self.national_total(k, y0);
            let n1 = self.national_total(k, y1);
            let nc0 = self.national(k, y0, g.cluster);
            let nc1 = self.national(k, y1, g.cluster);
            let gn = if n0 > 0.0 { n1 / n0 - 1.0 } else { f64::NAN };
            let gc = if nc0 > 0.0 { nc1 / nc0 - 1.0 } else { f64::NAN };
            g.change = g.end - g.start;
            g.cagr = if g.start > 0.0 {
                (g.end / g.start).powf(1.0 / years) - 1.0
            } else {
                f64::NAN
            };
            g.expected = g.start * gc;
            g.national_share = g.start * gn;
            g.industry_mix = g.start * (gc - gn);
            g.job_creation = g.change - g.expected;
        }
        Ok(rows)
    }
}

/// Shares and wage of one cell; see [`Panel::shares`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shares {
    /// Region's share of the category's national employment.
    pub national: f64,
    /// Category's share of the region's employment.
    pub regional: f64,
    /// Average annual wage.
    pub wage: f64,
}

/// Growth of one region × category; see [`Panel::growth`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    /// Region index.
    pub region: usize,
    /// Category index.
    pub cluster: usize,
    /// Employment at the start year.
    pub start: f64,
    /// Employment at the end year.
    pub end: f64,
    /// end − start.
    pub change: f64,
    /// Compound annual growth rate; NaN when start = 0.
    pub cagr: f64,
    /// Change expected at the benchmark's growth of the category.
    pub expected: f64,
    /// Change at the benchmark's overall growth.
    pub national_share: f64,
    /// Change due to the category growing faster or slower than all.
    pub industry_mix: f64,
    /// Regional shift: actual change minus expected.
    pub job_creation: f64,
}
