//! `weaver map …`: cluster mapping from regional activity files.
//!
//! Files are read here into a [`MapInput`] (plain values of the mapping
//! engine); everything after that ([`build_panel`], [`clusters_table`], …)
//! works on the in-memory input, so the register's regional activity can feed
//! the same path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use weaver_mapping::classify::{
    CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
    cluster_strength,
};
use weaver_mapping::complexity::{ComplexityOptions, complexity, what_next};
use weaver_mapping::input::{
    ActivityRow, BenchmarkRow, ClusterType, Definition, IndustryParents, RegionLink,
    aggregate_regions, fill_suppressed,
};
use weaver_mapping::panel::Panel;
use weaver_mapping::related::lq_correlations;
use weaver_mapping::{MappingError, Table as InputTable};

use crate::output::{Cell, Table, open_csv};

/// Cluster mapping: location quotients, strong clusters, stars, complexity.
#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// One row per region, cluster and year: employment, establishments, LQ
    /// and the classes of the chosen method.
    #[command(
        after_help = "Examples:\n  weaver map clusters --activity emp.csv --definitions clusters.csv\n  weaver map clusters --activity emp.csv --method eco --out stars.csv"
    )]
    Clusters(ClustersArgs),
    /// One row per region and year: the share of traded employment in strong
    /// clusters (US Cluster Mapping's cluster strength).
    Strength(StrengthArgs),
    /// One row per region and cluster: change, CAGR and shift-share between two
    /// years.
    Growth(GrowthArgs),
    /// RCA, proximity, density, ECI, PCI, COI, COG and a "what next" list,
    /// written as tables into a folder.
    Complexity(ComplexityArgs),
    /// Related clusters by co-location: correlation of LQs across regions.
    Related(RelatedArgs),
}

/// Where the activity comes from, shared by every `map` command.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Regional activity CSV: `region,industry,year,employment[,establishments][,wages][,kind][,type]`;
    /// an empty employment cell is suppressed and filled from parent industries.
    #[arg(long, value_name = "A.csv", required_unless_present = "from_register")]
    pub activity: Option<PathBuf>,
    /// Read regional activity from the register (`--db`) instead of a file.
    #[arg(long, conflicts_with = "activity")]
    pub from_register: bool,
    /// Cluster definitions CSV: `industry,cluster,type` (type `traded` or
    /// `local`, may be empty). Without it each industry is its own category.
    #[arg(long, value_name = "D.csv")]
    pub definitions: Option<PathBuf>,
    /// National totals CSV: `industry,year,employment`, for when the regions
    /// do not cover the nation.
    #[arg(long, value_name = "B.csv")]
    pub benchmark: Option<PathBuf>,
    /// Region hierarchy CSV: `region,parent[,kind]` (kind of the parent);
    /// parents get rows summed from their regions.
    #[arg(long, value_name = "H.csv")]
    pub hierarchy: Option<PathBuf>,
    /// Industry hierarchy CSV `industry,parent` for filling suppressed cells;
    /// by default a code's parent is its longest present prefix (NAICS, NACE,
    /// GB/T 4754 codes).
    #[arg(long, value_name = "P.csv")]
    pub industry_parents: Option<PathBuf>,
    /// Do not fill suppressed cells (they count as 0).
    #[arg(long)]
    pub no_fill: bool,
}

/// Classification method of `weaver map clusters`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// US Cluster Mapping: qualifying, significant, strong, strong10.
    Cmp,
    /// European Cluster Observatory stars: size, specialisation, focus.
    Eco,
    /// Practitioners' quadrant: star, mature, emerging, transforming.
    Quadrant,
}

/// Arguments of `weaver map clusters`.
#[derive(Debug, Clone, Args)]
pub struct ClustersArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Classification method.
    #[arg(long, value_enum, default_value = "cmp")]
    pub method: Method,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "OUT.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver map strength`.
#[derive(Debug, Clone, Args)]
pub struct StrengthArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "OUT.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver map growth`.
#[derive(Debug, Clone, Args)]
pub struct GrowthArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Start year (default: the first year).
    #[arg(long)]
    pub start: Option<i32>,
    /// End year (default: the last year).
    #[arg(long)]
    pub end: Option<i32>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "OUT.csv")]
    pub out: Option<PathBuf>,
}

/// Arguments of `weaver map complexity`.
#[derive(Debug, Clone, Args)]
pub struct ComplexityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder to write rca, proximity, density, eci, pci, coi, cog and next
    /// tables into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Year (default: the last year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Kind of region, when regions of several kinds are given.
    #[arg(long)]
    pub kind: Option<String>,
    /// RCA at or above which an industry is present.
    #[arg(long, default_value_t = 1.0)]
    pub rca_threshold: f64,
    /// Length of each region's "what next" list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// Arguments of `weaver map related`.
#[derive(Debug, Clone, Args)]
pub struct RelatedArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Year (default: the last year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Kind of region, when regions of several kinds are given.
    #[arg(long)]
    pub kind: Option<String>,
    /// Keep the `top` most related clusters of each cluster (default: all).
    #[arg(long)]
    pub top: Option<usize>,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "OUT.csv")]
    pub out: Option<PathBuf>,
}

/// Runs a `weaver map` subcommand.
pub fn run(cmd: &MapCommand, json: bool, db: &str) -> anyhow::Result<()> {
    match cmd {
        MapCommand::Clusters(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            let result = classify(&panel, a.method)?;
            for n in &result.notices {
                eprintln!("notice: {n}");
            }
            if json {
                result.table(&panel).emit(a.out.as_deref(), json)
            } else {
                // Stream the rows: a panel may have millions of cells.
                write_csv_rows(
                    a.out.as_deref(),
                    &result.columns(),
                    (0..panel.cells.len()).map(|i| result.row(&panel, i)),
                )
            }
        }
        MapCommand::Strength(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            let (table, notices) = strength_table(&panel)?;
            for n in notices {
                eprintln!("notice: {n}");
            }
            table.emit(a.out.as_deref(), json)
        }
        MapCommand::Growth(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            growth_table(&panel, a.start, a.end)?.emit(a.out.as_deref(), json)
        }
        MapCommand::Complexity(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            let tables =
                complexity_tables(&panel, a.year, a.kind.as_deref(), a.rca_threshold, a.top)?;
            std::fs::create_dir_all(&a.out)
                .with_context(|| format!("cannot create {}", a.out.display()))?;
            for (name, table) in tables {
                let file = a
                    .out
                    .join(format!("{name}.{}", if json { "json" } else { "csv" }));
                table.emit(Some(&file), json)?;
            }
            Ok(())
        }
        MapCommand::Related(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            related_table(&panel, a.year, a.kind.as_deref(), a.top)?.emit(a.out.as_deref(), json)
        }
    }
}

/// Everything the `map` commands read, as plain values, with the file each
/// table came from (for error messages).
#[derive(Debug, Clone, Default)]
pub struct MapInput {
    /// Activity rows.
    pub activity: Vec<ActivityRow>,
    /// Definitions; `None` takes each industry as its own category.
    pub definitions: Option<Vec<Definition>>,
    /// Benchmark totals.
    pub benchmark: Option<Vec<BenchmarkRow>>,
    /// Region hierarchy.
    pub hierarchy: Option<Vec<RegionLink>>,
    /// How parent industries are known for gap filling.
    pub industry_parents: IndustryParents,
    /// Fill suppressed cells.
    pub fill: bool,
    /// Source names of the tables: activity, definitions, hierarchy, benchmark.
    pub sources: HashMap<&'static str, String>,
}

/// A CSV file with its header, giving column positions by name.
struct CsvFile {
    name: String,
    reader: csv::Reader<std::fs::File>,
    header: Vec<String>,
}

impl CsvFile {
    fn open(path: &Path) -> anyhow::Result<CsvFile> {
        let mut reader = open_csv(path)?;
        let header: Vec<String> = reader
            .headers()
            .with_context(|| format!("{}: cannot read the header", path.display()))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        Ok(CsvFile {
            name: path.display().to_string(),
            reader,
            header,
        })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn required(&self, name: &str) -> anyhow::Result<usize> {
        self.column(name).with_context(|| {
            format!(
                "{}: missing column {name} (header: {})",
                self.name,
                self.header.join(",")
            )
        })
    }

    /// Calls `f(line, record)` for every row; `line` is the 1-based line
    /// number in the file (the header is line 1).
    fn rows(
        &mut self,
        mut f: impl FnMut(usize, &csv::StringRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut rec = csv::StringRecord::new();
        let mut line = 1;
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(true) => {
                    line += 1;
                    f(line, &rec)?;
                }
                Ok(false) => return Ok(()),
                Err(e) => bail!("{}: line {}: {e}", self.name, line + 1),
            }
        }
    }
}

/// Parses an optional non-negative number; empty is `None`.
fn number(
    file: &str,
    line: usize,
    column: &str,
    text: Option<&str>,
) -> anyhow::Result<Option<f64>> {
    let t = text.unwrap_or("").trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => bail!(
            "{file}: line {line}, column {column}: expected a non-negative number, found {t:?}"
        ),
    }
}

fn year(file: &str, line: usize, text: Option<&str>) -> anyhow::Result<i32> {
    let t = text.unwrap_or("").trim();
    t.parse::<i32>().map_err(|_| {
        anyhow::anyhow!("{file}: line {line}, column year: expected a whole year, found {t:?}")
    })
}

fn text(file: &str, line: usize, column: &str, t: Option<&str>) -> anyhow::Result<String> {
    let t = t.unwrap_or("").trim();
    if t.is_empty() {
        bail!("{file}: line {line}, column {column}: expected a value, found an empty cell");
    }
    Ok(t.to_owned())
}

fn cluster_type(file: &str, line: usize, t: Option<&str>) -> anyhow::Result<Option<ClusterType>> {
    let t = t.unwrap_or("").trim();
    if t.is_empty() {
        return Ok(None);
    }
    ClusterType::parse(t).map(Some).with_context(|| {
        format!("{file}: line {line}, column type: expected traded or local, found {t:?}")
    })
}

/// Reads the activity CSV. An optional `type` column gives each industry's
/// type, for use when there is no definitions table: it comes back as
/// identity definitions (each industry its own category).
pub fn read_activity(path: &Path) -> anyhow::Result<(Vec<ActivityRow>, Option<Vec<Definition>>)> {
    let mut f = CsvFile::open(path)?;
    let name = f.name.clone();
    let (ri, ii, yi, ei) = (
        f.required("region")?,
        f.required("industry")?,
        f.required("year")?,
        f.required("employment")?,
    );
    let (ni, wi, ki, ti) = (
        f.column("establishments"),
        f.column("wages"),
        f.column("kind"),
        f.column("type"),
    );
    let mut rows = Vec::new();
    let mut types: Vec<Definition> = Vec::new();
    let mut type_of: HashMap<String, (Option<ClusterType>, usize)> = HashMap::new();
    f.rows(|line, rec| {
        let industry = text(&name, line, "industry", rec.get(ii))?;
        if let Some(ti) = ti {
            let t = cluster_type(&name, line, rec.get(ti))?;
            match type_of.get(&industry) {
                Some(&(earlier, first)) if earlier != t => bail!(
                    "{name}: line {line}, column type: industry {industry:?} is {} here but {} on line {first}",
                    t.map_or("untyped", ClusterType::as_str),
                    earlier.map_or("untyped", ClusterType::as_str)
                ),
                Some(_) => {}
                None => {
                    type_of.insert(industry.clone(), (t, line));
                    types.push(Definition { industry: industry.clone(), cluster: industry.clone(), cluster_type: t });
                }
            }
        }
        let kind = ki.and_then(|k| rec.get(k)).map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned);
        rows.push(ActivityRow {
            region: text(&name, line, "region", rec.get(ri))?,
            industry,
            year: year(&name, line, rec.get(yi))?,
            employment: number(&name, line, "employment", rec.get(ei))?,
            establishments: match ni {
                Some(c) => number(&name, line, "establishments", rec.get(c))?,
                None => None,
            },
            wages: match wi {
                Some(c) => number(&name, line, "wages", rec.get(c))?,
                None => None,
            },
            kind,
        });
        Ok(())
    })?;
    Ok((rows, ti.map(|_| types)))
}

/// Reads a definitions CSV `industry,cluster[,type]`.
pub fn read_definitions(path: &Path) -> anyhow::Result<Vec<Definition>> {
    let mut f = CsvFile::open(path)?;
    let name = f.name.clone();
    let (ii, ci, ti) = (
        f.required("industry")?,
        f.required("cluster")?,
        f.column("type"),
    );
    let mut out = Vec::new();
    f.rows(|line, rec| {
        out.push(Definition {
            industry: text(&name, line, "industry", rec.get(ii))?,
            cluster: text(&name, line, "cluster", rec.get(ci))?,
            cluster_type: match ti {
                Some(t) => cluster_type(&name, line, rec.get(t))?,
                None => None,
            },
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads a benchmark CSV `industry,year,employment`.
pub fn read_benchmark(path: &Path) -> anyhow::Result<Vec<BenchmarkRow>> {
    let mut f = CsvFile::open(path)?;
    let name = f.name.clone();
    let (ii, yi, ei) = (
        f.required("industry")?,
        f.required("year")?,
        f.required("employment")?,
    );
    let mut out = Vec::new();
    f.rows(|line, rec| {
        let e = number(&name, line, "employment", rec.get(ei))?.with_context(|| {
            format!(
                "{name}: line {line}, column employment: expected a number, found an empty cell"
            )
        })?;
        out.push(BenchmarkRow {
            industry: text(&name, line, "industry", rec.get(ii))?,
            year: year(&name, line, rec.get(yi))?,
            employment: e,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads a region hierarchy CSV `region,parent[,kind]`.
pub fn read_hierarchy(path: &Path) -> anyhow::Result<Vec<RegionLink>> {
    let mut f = CsvFile::open(path)?;
    let name = f.name.clone();
    let (ri, pi, ki) = (
        f.required("region")?,
        f.required("parent")?,
        f.column("kind"),
    );
    let mut out = Vec::new();
    f.rows(|line, rec| {
        out.push(RegionLink {
            region: text(&name, line, "region", rec.get(ri))?,
            parent: text(&name, line, "parent", rec.get(pi))?,
            parent_kind: ki
                .and_then(|k| rec.get(k))
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned),
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads an industry hierarchy CSV `industry,parent`.
pub fn read_industry_parents(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut f = CsvFile::open(path)?;
    let name = f.name.clone();
    let (ii, pi) = (f.required("industry")?, f.required("parent")?);
    let mut out = HashMap::new();
    f.rows(|line, rec| {
        let i = text(&name, line, "industry", rec.get(ii))?;
        if out
            .insert(i.clone(), text(&name, line, "parent", rec.get(pi))?)
            .is_some()
        {
            bail!("{name}: line {line}, column industry: {i:?} has a parent already");
        }
        Ok(())
    })?;
    Ok(out)
}

/// Reads every file named in `args`.
pub fn load_input(args: &InputArgs, db: &str) -> anyhow::Result<MapInput> {
    let mut sources = HashMap::new();
    let (activity, identity) = match &args.activity {
        Some(path) => {
            sources.insert("activity", path.display().to_string());
            read_activity(path)?
        }
        None => {
            sources.insert("activity", format!("register {db} › regional_activity"));
            (super::from_register::activity_rows(db)?, None)
        }
    };
    let definitions = match &args.definitions {
        Some(p) => {
            sources.insert("definitions", p.display().to_string());
            Some(read_definitions(p)?)
        }
        None => identity,
    };
    let benchmark = match &args.benchmark {
        Some(p) => {
            sources.insert("benchmark", p.display().to_string());
            Some(read_benchmark(p)?)
        }
        None => None,
    };
    let hierarchy = match &args.hierarchy {
        Some(p) => {
            sources.insert("hierarchy", p.display().to_string());
            Some(read_hierarchy(p)?)
        }
        None => None,
    };
    let industry_parents = match &args.industry_parents {
        Some(p) => IndustryParents::Explicit(read_industry_parents(p)?),
        None => IndustryParents::Prefix,
    };
    Ok(MapInput {
        activity,
        definitions,
        benchmark,
        hierarchy,
        industry_parents,
        fill: !args.no_fill,
        sources,
    })
}

/// Turns an engine error into one that names the file and line.
fn locate(input: &MapInput, err: MappingError) -> anyhow::Error {
    match err.location() {
        Some((table, record)) => {
            let key = match table {
                InputTable::Activity => "activity",
                InputTable::Definitions => "definitions",
                InputTable::Hierarchy => "hierarchy",
                InputTable::Benchmark => "benchmark",
            };
            let file = input
                .sources
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned());
            anyhow::anyhow!("{file}: line {}: {err}", record + 2)
        }
        None => anyhow::anyhow!("{err}"),
    }
}

/// Fills suppressed cells, sums regions into their parents and builds the
/// panel, printing notices about what was filled or left out.
pub fn build_panel(input: &MapInput) -> anyhow::Result<Panel> {
    // Copy the rows only when something changes them.
    let mut rows = std::borrow::Cow::Borrowed(input.activity.as_slice());
    if input.fill && input.activity.iter().any(|r| r.employment.is_none()) {
        let r = fill_suppressed(rows.to_mut(), &input.industry_parents);
        if r.filled > 0 {
            eprintln!(
                "notice: filled {} suppressed employment cell(s) from parent industries",
                r.filled
            );
        }
        if r.negative_remainders > 0 {
            eprintln!(
                "notice: {} parent industr(ies) were smaller than their known children; their missing children got 0",
                r.negative_remainders
            );
        }
    }
    if let Some(h) = &input.hierarchy {
        rows = std::borrow::Cow::Owned(aggregate_regions(&rows, h).map_err(|e| locate(input, e))?);
    }
    let panel = Panel::build(
        &rows,
        input.definitions.as_deref(),
        input.benchmark.as_deref(),
    )
    .map_err(|e| locate(input, e))?;
    if panel.suppressed_rows > 0 {
        eprintln!(
            "notice: {} suppressed employment cell(s) without a value count as 0",
            panel.suppressed_rows
        );
    }
    if panel.unmapped_rows > 0 {
        eprintln!(
            "notice: {} activity row(s) with an industry in no cluster definition left out",
            panel.unmapped_rows
        );
    }
    Ok(panel)
}

fn base_columns(panel: &Panel, lq: &[f64], i: usize) -> Vec<Cell> {
    let c = &panel.cells[i];
    vec![
        panel.regions[c.region].as_str().into(),
        panel.clusters[c.cluster].as_str().into(),
        i64::from(panel.years[c.year]).into(),
        c.employment.into(),
        c.establishments.into(),
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
}

const BASE_COLUMNS: [&str; 6] = [
    "region",
    "cluster",
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
        [&BASE_COLUMNS[..], extra].concat()
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
        row
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
pub fn classify(panel: &Panel, method: Method) -> anyhow::Result<ClustersResult> {
    let lq = panel.location_quotients();
    let mut notices = Vec::new();
    let classes = match method {
        Method::Cmp => {
            let r = classify_cmp(panel, &lq, &CmpOptions::default())?;
            if !r.establishments_used {
                notices.push(
                    "no establishments column: the establishments condition of cmp is dropped"
                        .to_owned(),
                );
            }
            Classes::Cmp(r.classes)
        }
        Method::Eco => Classes::Eco(classify_eco(panel, &lq, &EcoOptions::default())?),
        Method::Quadrant => {
            Classes::Quadrant(classify_quadrant(panel, &lq, &QuadrantOptions::default())?)
        }
    };
    Ok(ClustersResult {
        lq,
        classes,
        notices,
    })
}

/// The table of `weaver map clusters`, with the notices to print.
pub fn clusters_table(panel: &Panel, method: Method) -> anyhow::Result<(Table, Vec<String>)> {
    let r = classify(panel, method)?;
    Ok((r.table(panel), r.notices))
}

/// Writes rows as CSV (DESIGN.md's conventions, as [`Table::write_csv`])
/// without holding them all in memory.
fn write_csv_rows(
    out: Option<&Path>,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> anyhow::Result<()> {
    let sink: Box<dyn std::io::Write> = match out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(sink);
    w.write_record(columns)?;
    let mut buf = String::new();
    for row in rows {
        for cell in &row {
            buf.clear();
            match cell {
                Cell::Str(s) => w.write_field(s)?,
                Cell::Int(i) => {
                    use std::fmt::Write as _;
                    let _ = write!(buf, "{i}");
                    w.write_field(&buf)?;
                }
                Cell::Float(x) => w.write_field(crate::output::format_f64(*x))?,
                Cell::Bool(b) => w.write_field(if *b { "true" } else { "false" })?,
                Cell::Empty => w.write_field("")?,
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// The table of `weaver map strength`, with the notices to print.
pub fn strength_table(panel: &Panel) -> anyhow::Result<(Table, Vec<String>)> {
    let lq = panel.location_quotients();
    let r = classify_cmp(panel, &lq, &CmpOptions::default())?;
    let mut notices = Vec::new();
    if !r.establishments_used {
        notices.push(
            "no establishments column: the establishments condition of cmp is dropped".to_owned(),
        );
    }
    if !panel.any_traded() {
        notices.push("no category is typed traded: strength is over all categories".to_owned());
    }
    let rows = cluster_strength(panel, &r.classes)?;
    let mut t = Table::new(&[
        "region",
        "year",
        "traded_employment",
        "strong_employment",
        "strength",
        "strong_clusters",
    ]);
    for s in rows {
        t.push(vec![
            panel.regions[s.region].as_str().into(),
            i64::from(panel.years[s.year]).into(),
            s.traded_employment.into(),
            s.strong_employment.into(),
            s.strength.into(),
            s.strong_clusters.into(),
        ]);
    }
    Ok((t, notices))
}

/// The table of `weaver map growth`.
pub fn growth_table(panel: &Panel, start: Option<i32>, end: Option<i32>) -> anyhow::Result<Table> {
    let (Some(&first), Some(&last)) = (panel.years.first(), panel.years.last()) else {
        bail!("the activity has no rows");
    };
    let (s, e) = (start.unwrap_or(first), end.unwrap_or(last));
    let rows = panel.growth(s, e)?;
    let mut t = Table::new(&[
        "region",
        "cluster",
        "start_year",
        "end_year",
        "start",
        "end",
        "change",
        "cagr",
        "expected",
        "national_share",
        "industry_mix",
        "job_creation",
    ]);
    for g in rows {
        t.push(vec![
            panel.regions[g.region].as_str().into(),
            panel.clusters[g.cluster].as_str().into(),
            i64::from(s).into(),
            i64::from(e).into(),
            g.start.into(),
            g.end.into(),
            g.change.into(),
            g.cagr.into(),
            g.expected.into(),
            g.national_share.into(),
            g.industry_mix.into(),
            g.job_creation.into(),
        ]);
    }
    Ok(t)
}

/// The kind to use and the year index, checking that one kind is chosen.
fn pick(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
) -> anyhow::Result<(usize, Option<usize>)> {
    let Some(&last) = panel.years.last() else {
        bail!("the activity has no rows")
    };
    let y = panel.year_index(year.unwrap_or(last))?;
    let k = match kind {
        Some(k) => Some(panel.kinds.iter().position(|x| x == k).with_context(|| {
            format!(
                "no region of kind {k:?} (kinds: {})",
                panel.kinds.join(", ")
            )
        })?),
        None if panel.kinds.len() > 1 => bail!(
            "regions of several kinds ({}): choose one with --kind",
            panel.kinds.join(", ")
        ),
        None => None,
    };
    Ok((y, k))
}

/// Regions (of the kind) in order of first appearance, and their position.
fn regions_of(panel: &Panel, kind: Option<usize>) -> (Vec<usize>, Vec<usize>) {
    let regs: Vec<usize> = (0..panel.regions.len())
        .filter(|&r| kind.is_none_or(|k| panel.region_kind[r] == k))
        .collect();
    let mut pos = vec![usize::MAX; panel.regions.len()];
    for (i, &r) in regs.iter().enumerate() {
        pos[r] = i;
    }
    (regs, pos)
}

/// The tables of `weaver map complexity`: (file stem, table).
pub fn complexity_tables(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    rca_threshold: f64,
    top: usize,
) -> anyhow::Result<Vec<(&'static str, Table)>> {
    let (y, k) = pick(panel, year, kind)?;
    let (regs, pos) = regions_of(panel, k);
    let (n, m) = (regs.len(), panel.clusters.len());
    let mut x = vec![0.0; n * m];
    for c in panel
        .cells
        .iter()
        .filter(|c| c.year == y && pos[c.region] != usize::MAX)
    {
        x[pos[c.region] * m + c.cluster] = c.employment;
    }
    let res = complexity(
        &x,
        n,
        m,
        &ComplexityOptions {
            rca_threshold,
            relatedness: true,
        },
    )?;
    let rname = |i: usize| Cell::from(panel.regions[regs[i]].as_str());
    let iname = |p: usize| Cell::from(panel.clusters[p].as_str());
    let mut rca = Table::new(&["region", "industry", "value", "rca", "mcp"]);
    let mut density = Table::new(&["region", "industry", "density"]);
    let mut cog = Table::new(&["region", "industry", "cog"]);
    for i in 0..n {
        for p in 0..m {
            let v = res.mcp[i * m + p];
            let mcp = if v.is_nan() {
                Cell::Empty
            } else {
                Cell::Bool(v == 1.0)
            };
            rca.push(vec![
                rname(i),
                iname(p),
                x[i * m + p].into(),
                res.rca[i * m + p].into(),
                mcp,
            ]);
            density.push(vec![rname(i), iname(p), res.density[i * m + p].into()]);
            cog.push(vec![rname(i), iname(p), res.cog[i * m + p].into()]);
        }
    }
    let mut proximity = Table::new(&["industry_a", "industry_b", "proximity"]);
    for a in 0..m {
        for b in 0..m {
            proximity.push(vec![iname(a), iname(b), res.proximity[a * m + b].into()]);
        }
    }
    let mut eci = Table::new(&["region", "eci", "diversity"]);
    let mut coi = Table::new(&["region", "coi"]);
    let mut next = Table::new(&["region", "rank", "industry", "density", "pci", "cog"]);
    for i in 0..n {
        eci.push(vec![rname(i), res.eci[i].into(), res.diversity[i].into()]);
        coi.push(vec![rname(i), res.coi[i].into()]);
        for (rank, p) in what_next(&res, i, top).into_iter().enumerate() {
            next.push(vec![
                rname(i),
                (rank + 1).into(),
                iname(p),
                res.density[i * m + p].into(),
                res.pci[p].into(),
                res.cog[i * m + p].into(),
            ]);
        }
    }
    let mut pci = Table::new(&["industry", "pci", "ubiquity"]);
    for p in 0..m {
        pci.push(vec![iname(p), res.pci[p].into(), res.ubiquity[p].into()]);
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

/// The table of `weaver map related`: for each cluster, the others by
/// decreasing correlation of LQs across regions (rank 1 = most related).
pub fn related_table(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    top: Option<usize>,
) -> anyhow::Result<Table> {
    let (y, k) = pick(panel, year, kind)?;
    let (regs, pos) = regions_of(panel, k);
    let (n, m) = (regs.len(), panel.clusters.len());
    let lq = panel.location_quotients();
    let mut mat = vec![0.0; n * m];
    let mut seen: HashSet<usize> = HashSet::new();
    for (i, c) in panel.cells.iter().enumerate() {
        if c.year == y && pos[c.region] != usize::MAX {
            if !lq[i].is_nan() {
                mat[pos[c.region] * m + c.cluster] = lq[i];
            }
            seen.insert(c.cluster);
        }
    }
    let corr = lq_correlations(&mat, n, m)?;
    let mut t = Table::new(&["cluster", "related", "correlation", "rank"]);
    for a in (0..m).filter(|a| seen.contains(a)) {
        let others: Vec<usize> = (0..m).filter(|&b| b != a && seen.contains(&b)).collect();
        let vals: Vec<f64> = others.iter().map(|&b| corr[a * m + b]).collect();
        let ranks = weaver_mapping::stats::ranks_descending(&vals);
        let mut order: Vec<usize> = (0..others.len()).collect();
        order.sort_by_key(|&j| (ranks[j].unwrap_or(usize::MAX), j));
        for j in order.into_iter().take(top.unwrap_or(usize::MAX)) {
            t.push(vec![
                panel.clusters[a].as_str().into(),
                panel.clusters[others[j]].as_str().into(),
                vals[j].into(),
                ranks[j].into(),
            ]);
        }
    }
    Ok(t)
}
