//! Inputs as plain values, gap filling of suppressed cells (European Cluster
//! Observatory) and aggregation of regions into their parents.

use std::collections::{HashMap, HashSet};

use crate::error::{MappingError, Table};
use crate::fxhash::FxHashMap;

/// One row of regional activity: `region,industry,year,employment[,establishments][,wages][,kind]`.
///
/// `employment = None` marks a suppressed cell (confidential in the source):
/// [`fill_suppressed`] estimates it. `establishments` and `wages` are `None`
/// when the source has no such column or suppressed the value; `wages` is the
/// total annual payroll. `kind` is the kind of region (state, county, NUTS 2…);
/// regions without a kind form one kind together.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityRow {
    /// Region code, exactly as given.
    pub region: String,
    /// Industry code (or cluster category when no definitions are used).
    pub industry: String,
    /// Year.
    pub year: i32,
    /// Employment, `None` when suppressed.
    pub employment: Option<f64>,
    /// Number of establishments, if known.
    pub establishments: Option<f64>,
    /// Total annual payroll, if known.
    pub wages: Option<f64>,
    /// Kind of region, if given.
    pub kind: Option<String>,
}

/// Gives each distinct text an id, in order of first appearance; the texts
/// are borrowed (from a file's bytes, say), so interning allocates only for
/// the map's entries.
///
/// ```
/// use weaver_mapping::input::Interner;
/// let mut ids = Interner::default();
/// assert_eq!((ids.id("R7"), ids.id("R2"), ids.id("R7")), (0, 1, 0));
/// assert_eq!(ids.names(), &["R7", "R2"]);
/// assert_eq!(ids.get("R2"), Some(1));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Interner<'a> {
    index: FxHashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The id of `name`, giving it the next id when it is new.
    #[inline]
    pub fn id(&mut self, name: &'a str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name, i);
        self.names.push(name);
        i
    }

    /// The id of `name`, if it has one.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The texts, by id.
    pub fn names(&self) -> &[&'a str] {
        &self.names
    }

    /// Number of distinct texts.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no text was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Regional activity as columns, with region, industry and kind codes given
/// as ids into name tables: the same content as a slice of [`ActivityRow`]s
/// without a string per row, for readers of large files
/// ([`crate::panel::Panel::build_columns`]).
///
/// Row `i` is region `regions[region[i]]`, industry `industries[industry[i]]`,
/// year `year[i]`, employment `employment[i]` (NaN when suppressed: numbers
/// are kept as plain `f64`s, NaN for "no value", to halve the memory of
/// millions of rows), and so on. `establishments` and `wages` may be empty (no row reports them);
/// `kind` may be empty (no region has a kind); otherwise every column has one
/// entry per row. Names within a table are distinct. The kind `""` means
/// "no kind", as a `None` in [`ActivityRow::kind`].
///
/// ```
/// use weaver_mapping::input::{ActivityColumns, ActivityRow};
/// let rows = vec![
///     ActivityRow { region: "R1".into(), industry: "A".into(), year: 2020, employment: Some(5.0), ..Default::default() },
///     ActivityRow { region: "R1".into(), industry: "B".into(), year: 2020, employment: None, ..Default::default() },
/// ];
/// let cols = ActivityColumns::from_rows(&rows);
/// assert_eq!((cols.region.as_slice(), cols.industry.as_slice()), (&[0, 0][..], &[0, 1][..]));
/// assert_eq!(cols.to_rows(), rows);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityColumns {
    /// Region codes, by id.
    pub regions: Vec<String>,
    /// Industry codes, by id.
    pub industries: Vec<String>,
    /// Kinds of region, by id (`""`: none).
    pub kinds: Vec<String>,
    /// Region id of each row.
    pub region: Vec<u32>,
    /// Industry id of each row.
    pub industry: Vec<u32>,
    /// Kind id of each row; empty when no row has a kind.
    pub kind: Vec<u32>,
    /// Year of each row.
    pub year: Vec<i32>,
    /// Employment of each row, NaN when suppressed.
    pub employment: Vec<f64>,
    /// Establishments of each row (NaN: not reported); empty when no row
    /// reports them.
    pub establishments: Vec<f64>,
    /// Payroll of each row (NaN: not reported); empty when no row reports it.
    pub wages: Vec<f64>,
}

impl ActivityColumns {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.region.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.region.is_empty()
    }

    /// The columns of `rows`, ids in order of first appearance.
    pub fn from_rows(rows: &[ActivityRow]) -> ActivityColumns {
        let (mut regions, mut industries, mut kinds) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut c = ActivityColumns::default();
        let any_kind = rows.iter().any(|r| r.kind.is_some());
        let any_est = rows.iter().any(|r| r.establishments.is_some());
        let any_wages = rows.iter().any(|r| r.wages.is_some());
        for r in rows {
            c.region.push(regions.id(&r.region));
            c.industry.push(industries.id(&r.industry));
            if any_kind {
                c.kind.push(kinds.id(r.kind.as_deref().unwrap_or("")));
            }
            c.year.push(r.year);
            c.employment.push(known(r.employment));
            if any_est {
                c.establishments.push(known(r.establishments));
            }
            if any_wages {
                c.wages.push(known(r.wages));
            }
        }
        let own = |i: &Interner<'_>| i.names().iter().map(|s| (*s).to_owned()).collect();
        c.regions = own(&regions);
        c.industries = own(&industries);
        c.kinds = own(&kinds);
        c
    }

    /// The rows again (for gap filling and region aggregation, which work on
    /// rows). Ids must be valid ([`ActivityColumns::check`]).
    pub fn to_rows(&self) -> Vec<ActivityRow> {
        (0..self.len())
            .map(|i| ActivityRow {
                region: self.regions[self.region[i] as usize].clone(),
                industry: self.industries[self.industry[i] as usize].clone(),
                year: self.year[i],
                employment: value(self.employment[i]),
                establishments: self.establishments.get(i).copied().and_then(value),
                wages: self.wages.get(i).copied().and_then(value),
                kind: self
                    .kind
                    .get(i)
                    .map(|&k| self.kinds[k as usize].as_str())
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned),
            })
            .collect()
    }

    /// Kind id of row `i`, `None` when the rows have no kinds.
    #[inline]
    pub fn kind_of(&self, i: usize) -> Option<u32> {
        self.kind.get(i).copied()
    }

    /// Checks that the columns fit together: equal lengths (or empty where
    /// allowed) and every id naming an entry of its table.
    ///
    /// # Errors
    /// [`MappingError::Columns`] naming the column.
    pub fn check(&self) -> Result<(), MappingError> {
        let n = self.len();
        let lengths = [
            ("industry", self.industry.len(), false),
            ("year", self.year.len(), false),
            ("employment", self.employment.len(), false),
            ("kind", self.kind.len(), true),
            ("establishments", self.establishments.len(), true),
            ("wages", self.wages.len(), true),
        ];
        for (column, len, may_be_empty) in lengths {
            if len != n && !(may_be_empty && len == 0) {
                return Err(MappingError::Columns {
                    problem: format!("column {column} has {len} entries for {n} rows"),
                });
            }
        }
        for (column, ids, names) in [
            ("region", &self.region, &self.regions),
            ("industry", &self.industry, &self.industries),
            ("kind", &self.kind, &self.kinds),
        ] {
            if let Some(i) = ids.iter().position(|&id| id as usize >= names.len()) {
                return Err(MappingError::Columns {
                    problem: format!(
                        "row {i}, column {column}: id {} but only {} names",
                        ids[i],
                        names.len()
                    ),
                });
            }
            let mut seen = HashSet::new();
            if let Some(name) = names.iter().find(|n| !seen.insert(n.as_str())) {
                return Err(MappingError::Columns {
                    problem: format!("{column} {name:?} has two ids"),
                });
            }
        }
        Ok(())
    }
}

/// A number of [`ActivityColumns`] from an optional one: NaN for `None`.
///
/// A `Some(NaN)` stays NaN and so reads back as `None`;
/// [`crate::panel::Panel::build`] refuses it before it gets here.
#[inline]
pub fn known(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

/// A number of [`ActivityColumns`] as an optional one: `None` for NaN.
#[inline]
pub fn value(v: f64) -> Option<f64> {
    Some(v).filter(|v| !v.is_nan())
}

/// Type of a cluster category (US Cluster Mapping): traded clusters sell
/// across regions and concentrate in a few; local clusters serve the local
/// market and are found everywhere in proportion to population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClusterType {
    /// Traded cluster.
    Traded,
    /// Local cluster.
    Local,
}

impl ClusterType {
    /// Parses `traded` or `local` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "traded" => Some(ClusterType::Traded),
            "local" => Some(ClusterType::Local),
            _ => None,
        }
    }

    /// `traded` or `local`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterType::Traded => "traded",
            ClusterType::Local => "local",
        }
    }
}

/// One row of a cluster definition: industry code → cluster category with an
/// optional type.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// Industry code.
    pub industry: String,
    /// Cluster category.
    pub cluster: String,
    /// Traded or local, if given.
    pub cluster_type: Option<ClusterType>,
}

/// One link of a region hierarchy: `region` lies in `parent`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionLink {
    /// The child region.
    pub region: String,
    /// Its parent region.
    pub parent: String,
    /// Kind of the parent region, if given; otherwise the parent's kind is
    /// `level{d}` with d its depth in the hierarchy (roots are `level0`).
    pub parent_kind: Option<String>,
}

/// National (benchmark) employment of one industry in one year, for when the
/// regions given do not cover the whole nation.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRow {
    /// Industry code (mapped through the definitions like activity rows).
    pub industry: String,
    /// Year.
    pub year: i32,
    /// Employment.
    pub employment: f64,
}

/// How the parent of an industry code is found for gap filling.
#[derive(Debug, Clone, Default)]
pub enum IndustryParents {
    /// The parent of a code is the longest proper prefix of it that is itself
    /// a code present for the same region and year: `33611` → `3361` → `336`
    /// for NAICS, `C29.1` → `C29` → `C` for NACE, `3670` → `367` → `36` for
    /// GB/T 4754. This is the default.
    #[default]
    Prefix,
    /// An explicit child → parent map; a code's parent for a region and year
    /// is its nearest ancestor in the map that is present there.
    Explicit(HashMap<String, String>),
}

impl IndustryParents {
    /// The nearest ancestor of `code` that is in `present`.
    fn nearest_present(&self, code: &str, present: &HashMap<&str, usize>) -> Option<usize> {
        match self {
            IndustryParents::Prefix => {
                let idx: Vec<usize> = code.char_indices().map(|(i, _)| i).collect();
                idx.iter()
                    .rev()
                    .filter(|&&i| i > 0)
                    .find_map(|&i| present.get(&code[..i]).copied())
            }
            IndustryParents::Explicit(map) => {
                let mut cur = code;
                let mut steps = 0;
                while let Some(p) = map.get(cur) {
                    if let Some(&i) = present.get(p.as_str()) {
                        return Some(i);
                    }
                    cur = p;
                    steps += 1;
                    if steps > map.len() {
                        return None; // a cycle: no parent
                    }
                }
                None
            }
        }
    }
}

/// What [`fill_suppressed`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FillReport {
    /// Suppressed employment cells given an estimate.
    pub filled: usize,
    /// Suppressed employment cells left without a value: no ancestor with a
    /// value exists for their region and year.
    pub unfilled: usize,
    /// Parents whose known children already exceeded them (remainder set to 0).
    pub negative_remainders: usize,
}

/// Fills suppressed cells by the European Cluster Observatory's method.
///
/// For each region and year, every row is linked to its parent: the nearest
/// ancestor code (by [`IndustryParents`]) that has a row for the same region
/// and year. Going top-down (shorter codes first), for every row V with a
/// value (given or already estimated), the children C of V with a value sum
/// to K, and the m children without one each get
///
/// v = max(V − K, 0) / m
///
/// so a suppressed cell takes an equal share of what its nearest parent with
/// a value leaves unexplained. A suppressed cell whose parent is suppressed
/// too gets its share once the parent has been estimated, which is the same
/// as walking up to the nearest parent with a value. Employment,
/// establishments and wages are filled alike, each on its own.
///
/// # Arguments
/// * `rows` — activity rows, changed in place.
/// * `parents` — how parent codes are known.
///
/// # Returns
/// A [`FillReport`] of employment cells (the column the measures need).
///
/// # Example
/// ```
/// use weaver_mapping::input::{ActivityRow, IndustryParents, fill_suppressed};
/// let row = |ind: &str, e: Option<f64>| ActivityRow {
///     region: "R".into(), industry: ind.into(), year: 2020, employment: e, ..Default::default()
/// };
/// // 31 = 100; its children 311 = 40, 312 and 313 suppressed → 30 each.
/// let mut rows = vec![row("31", Some(100.0)), row("311", Some(40.0)), row("312", None), row("313", None)];
/// let report = fill_suppressed(&mut rows, &IndustryParents::Prefix);
/// assert_eq!(rows[2].employment, Some(30.0));
/// assert_eq!(rows[3].employment, Some(30.0));
/// assert_eq!(report.filled, 2);
/// ```
///
/// # Notes
/// Rows without a value and without an ancestor with a value stay `None` and
/// are counted in `unfilled`. When known children exceed their parent (source
/// rounding), the missing children get 0. Cost: O(n · L) for code length L.
///
/// # References
/// 1. European Cluster Observatory (2011). *Methodology and Findings Report
///    for a Cluster Mapping of Related Sectors*, Center for Strategy and
///    Competitiveness, Stockholm School of Economics (the handling of
///    confidential cells).
pub fn fill_suppressed(rows: &mut [ActivityRow], parents: &IndustryParents) -> FillReport {
    let mut report = FillReport::default();
    // Group rows by (region, year).
    let mut groups: HashMap<(&str, i32), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.region.as_str(), r.year))
            .or_default()
            .push(i);
    }
    let mut order: Vec<Vec<usize>> = groups.into_values().collect();
    order.sort_by_key(|g| g[0]);
    type Getter = fn(&mut ActivityRow) -> &mut Option<f64>;
    let getters: [Getter; 3] = [
        |r| &mut r.employment,
        |r| &mut r.establishments,
        |r| &mut r.wages,
    ];
    for group in order {
        if group.iter().all(|&i| rows[i].employment.is_some())
            && group.iter().all(|&i| {
                rows[i].establishments.is_some() == rows[group[0]].establishments.is_some()
            })
            && group
                .iter()
                .all(|&i| rows[i].wages.is_some() == rows[group[0]].wages.is_some())
        {
            continue; // nothing to fill here
        }
        // Parent links within the group.
        let parent: Vec<Option<usize>> = {
            let present: HashMap<&str, usize> = group
                .iter()
                .enumerate()
                .map(|(k, &i)| (rows[i].industry.as_str(), k))
                .collect();
            group
                .iter()
                .map(|&i| parents.nearest_present(&rows[i].industry, &present))
                .collect()
        };
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); group.len()];
        for (k, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                children[p].push(k);
            }
        }
        // Top-down order: breadth-first from the roots.
        let mut topo: Vec<usize> = (0..group.len()).filter(|&k| parent[k].is_none()).collect();
        let mut head = 0;
        while head < topo.len() {
            let k = topo[head];
            head += 1;
            topo.extend(children[k].iter().copied());
        }
        for (g, get) in getters.iter().enumerate() {
            for &k in &topo {
                let Some(v) = *get(&mut rows[group[k]]) else {
                    continue;
                };
                let mut known = 0.0;
                let mut missing = Vec::new();
                for &c in &children[k] {
                    match *get(&mut rows[group[c]]) {
                        Some(x) => known += x,
                        None => missing.push(c),
                    }
                }
                if missing.is_empty() {
                    continue;
                }
                let rest = v - known;
                if rest < 0.0 && g == 0 {
                    report.negative_remainders += 1;
                }
                let share = rest.max(0.0) / missing.len() as f64;
                for c in missing {
                    *get(&mut rows[group[c]]) = Some(share);
                    if g == 0 {
                        report.filled += 1;
                    }
                }
            }
        }
        report.unfilled += group
            .iter()
            .filter(|&&i| rows[i].employment.is_none())
            .count();
    }
    report
}

/// Adds rows for every ancestor region in `hierarchy`, summing its
/// descendants' rows by industry and year.
///
/// An ancestor's employment (establishments, wages) is the sum over the
/// leaves below it; a sum with a suppressed (`None`) part is `None`. The new
/// rows follow the given ones, ancestors in the order in which they first
/// appear in `hierarchy`, and each carries the parent's kind
/// ([`RegionLink::parent_kind`], or `level{d}`).
///
/// # Errors
/// * [`MappingError::Duplicate`] when a region has two parents.
/// * [`MappingError::HierarchyCycle`] when the hierarchy loops.
/// * [`MappingError::ParentHasData`] when an ancestor already has rows of its
///   own (its employment would count twice).
///
/// # Example
/// ```
/// use weaver_mapping::input::{ActivityRow, RegionLink, aggregate_regions};
/// let row = |r: &str, e: f64| ActivityRow {
///     region: r.into(), industry: "A".into(), year: 2020, employment: Some(e), ..Default::default()
/// };
/// let link = |r: &str, p: &str| RegionLink { region: r.into(), parent: p.into(), parent_kind: Some("state".into()) };
/// let rows = aggregate_regions(&[row("c1", 2.0), row("c2", 3.0)], &[link("c1", "S"), link("c2", "S")]).unwrap();
/// assert_eq!(rows.len(), 3);
/// assert_eq!((rows[2].region.as_str(), rows[2].employment), ("S", Some(5.0)));
/// ```
pub fn aggregate_regions(
    rows: &[ActivityRow],
    hierarchy: &[RegionLink],
) -> Result<Vec<ActivityRow>, MappingError> {
    let mut parent_of: HashMap<&str, (&str, usize)> = HashMap::new();
    let mut ancestors_order: Vec<&str> = Vec::new();
    let mut seen_anc: HashSet<&str> = HashSet::new();
    let mut kind_of: HashMap<&str, &str> = HashMap::new();
    for (i, l) in hierarchy.iter().enumerate() {
        if let Some(&(_, first)) = parent_of.get(l.region.as_str()) {
            return Err(MappingError::Duplicate {
                table: Table::Hierarchy,
                record: i,
                first,
                key: format!("region {:?}", l.region),
            });
        }
        parent_of.insert(&l.region, (&l.parent, i));
        if seen_anc.insert(&l.parent) {
            ancestors_order.push(&l.parent);
        }
        if let Some(k) = &l.parent_kind {
            kind_of.entry(&l.parent).or_insert(k);
        }
    }
    // Chains up from each region, checking for cycles; depth of ancestors.
    let chain = |r: &str| -> Result<Vec<&str>, MappingError> {
        let mut out = Vec::new();
        let mut cur = r;
        while let Some(&(p, _)) = parent_of.get(cur) {
            if p == r || out.len() > parent_of.len() {
                return Err(MappingError::HierarchyCycle {
                    region: r.to_owned(),
                });
            }
            out.push(p);
            cur = p;
        }
        Ok(out)
    };
    let mut depth: HashMap<&str, usize> = HashMap::new();
    for a in &ancestors_order {
        depth.insert(a, chain(a)?.len());
    }
    for l in hierarchy {
        chain(&l.region)?;
    }
    for (i, r) in rows.iter().enumerate() {
        if seen_anc.contains(r.region.as_str()) {
            return Err(MappingError::ParentHasData {
                record: i,
                region: r.region.clone(),
            });
        }
    }
    let anc_index: HashMap<&str, usize> = ancestors_order
        .iter()
        .enumerate()
        .map(|(i, a)| (*a, i))
        .collect();
    // Sum into (ancestor, industry, year), keeping first-appearance order of
    // the industry-year pairs within each ancestor.
    type Acc = (Option<f64>, Option<f64>, Option<f64>);
    type Sums = (Vec<(usize, i32)>, HashMap<(usize, i32), Acc>);
    let mut sums: Vec<Sums> = (0..ancestors_order.len())
        .map(|_| (Vec::new(), HashMap::new()))
        .collect();
    let mut industries: Vec<&str> = Vec::new();
    let mut ind_index: HashMap<&str, usize> = HashMap::new();
    let add = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        _ => None,
    };
    for r in rows {
        let ups = chain(&r.region)?;
        if ups.is_empty() {
            continue;
        }
        let ind = *ind_index.entry(&r.industry).or_insert_with(|| {
            industries.push(&r.industry);
            industries.len() - 1
        });
        for a in ups {
            let (order, map) = &mut sums[anc_index[a]];
            let key = (ind, r.year);
            match map.get_mut(&key) {
                Some(acc) => {
                    acc.0 = add(acc.0, r.employment);
                    acc.1 = add(acc.1, r.establishments);
                    acc.2 = add(acc.2, r.wages);
                }
                None => {
                    order.push(key);
                    map.insert(key, (r.employment, r.establishments, r.wages));
                }
            }
        }
    }
    let mut out = rows.to_vec();
    for (ai, a) in ancestors_order.iter().enumerate() {
        let kind = kind_of
            .get(a)
            .map(|k| (*k).to_owned())
            .unwrap_or_else(|| format!("level{}", depth[a]));
        let (order, map) = &sums[ai];
        for key in order {
            let (e, n, w) = map[key];
            out.push(ActivityRow {
                region: (*a).to_owned(),
                industry: industries[key.0].to_owned(),
                year: key.1,
                employment: e,
                establishments: n,
                wages: w,
                kind: Some(kind.clone()),
            });
        }
    }
    Ok(out)
}
