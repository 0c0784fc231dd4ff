//! `weaver map …`: cluster mapping from regional activity files.
//!
//! Files are read here into a [`MapInput`] (plain values of the mapping
//! engine); everything after that ([`build_panel`], [`clusters_table`], …)
//! works on the in-memory input, so the register's regional activity can feed
//! the same path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use weaver_mapping::classify::{
    CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
    cluster_strength, peer_percentile_ranks,
};
use weaver_mapping::complexity::{ComplexityOptions, complexity, what_next};
use weaver_mapping::input::{
    ActivityColumns, ActivityRow, BenchmarkRow, ClusterType, Definition, IndustryParents, Interner,
    RegionLink, aggregate_regions, fill_suppressed,
};
use weaver_mapping::panel::Panel;
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
pub enum ClassificationMethod {
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
    pub method: ClassificationMethod,
    /// Add `lq_percentile` and `employment_percentile` columns: each cell's
    /// percentile rank (0–100, numpy's default type-7 scale, ties at their
    /// highest) among the regions of the same kind with employment > 0, for
    /// the same cluster and year; empty for cells with no employment.
    #[arg(long)]
    pub percentiles: bool,
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
            // Free the rows before classifying: the memory is reused rather
            // than fresh pages faulted in (most of the cost on large inputs).
            drop(input);
            let mut result = classify(&panel, a.method)?;
            if a.percentiles {
                result.add_percentiles(&panel)?;
            }
            for n in &result.notices {
                eprintln!("notice: {n}");
            }
            if json {
                result.table(&panel).emit(a.out.as_deref(), json)
            } else {
                // Stream the rows: a panel may have millions of cells.
                write_clusters_csv(a.out.as_deref(), &result, &panel, parallelism())
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
    /// Activity, as columns of ids.
    pub activity: ActivityColumns,
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
///
/// A plain file (UTF-8, no quotes, one record per line) is parsed on all
/// cores straight into interned ids; any other file, or
/// one with a problem to report, goes through the `csv` reader record by
/// record, which names the line and column of the problem.
pub fn read_activity(path: &Path) -> anyhow::Result<(ActivityColumns, Option<Vec<Definition>>)> {
    if let Ok(bytes) = std::fs::read(path)
        && let Some(parsed) = fast_activity(&bytes, parallelism(), 4 << 20)
    {
        return Ok(parsed);
    }
    let (rows, types) = read_activity_rows(path)?;
    Ok((ActivityColumns::from_rows(&rows), types))
}

/// Threads to use: the machine's cores.
fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// [`read_activity`] record by record with the `csv` reader, as rows.
fn read_activity_rows(path: &Path) -> anyhow::Result<(Vec<ActivityRow>, Option<Vec<Definition>>)> {
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

/// Column positions of an activity file.
#[derive(Debug, Clone, Copy)]
struct ActivityLayout {
    fields: usize,
    region: usize,
    industry: usize,
    year: usize,
    employment: usize,
    establishments: Option<usize>,
    wages: Option<usize>,
    kind: Option<usize>,
    cluster_type: Option<usize>,
}

/// What one chunk of an activity file parsed on its own thread found: its
/// texts, with ids local to the chunk (the chunk's rows are written into
/// its part of the shared columns with these local ids).
#[derive(Default)]
struct ActivityChunk<'a> {
    regions: Interner<'a>,
    industries: Interner<'a>,
    kinds: Interner<'a>,
    /// Type of each local industry as first seen.
    types: Vec<Option<ClusterType>>,
}

/// One chunk's part of the output columns (empty slices for absent ones).
struct ChunkColumns<'s> {
    region: &'s mut [u32],
    industry: &'s mut [u32],
    kind: &'s mut [u32],
    year: &'s mut [i32],
    employment: &'s mut [f64],
    establishments: &'s mut [f64],
    wages: &'s mut [f64],
}

/// Number of lines of a chunk of whole lines.
fn line_count(text: &str) -> usize {
    let ends = text.bytes().filter(|&b| b == b'\n').count();
    ends + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// A number cell of the fast path: NaN for an empty cell (no value),
/// `None` for anything the careful reader should look at.
#[inline]
fn fast_number(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() {
        return Some(f64::NAN);
    }
    let b = t.as_bytes();
    if b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        // Exact: every integer below 10^15 is a double.
        let v = b.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
        return Some(v as f64);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
        _ => None,
    }
}

/// Parses the lines of one chunk (whole lines, no quotes) into `out`, which
/// has room for exactly its [`line_count`] rows; `None` when a line needs
/// the careful reader (wrong field count, empty required cell, bad number,
/// type conflict, blank line, stray carriage return).
fn parse_activity_chunk<'a>(
    text: &'a str,
    l: &ActivityLayout,
    out: ChunkColumns<'_>,
) -> Option<ActivityChunk<'a>> {
    let mut ch = ActivityChunk::default();
    let mut fields: Vec<&'a str> = vec![""; l.fields];
    let mut last_region: Option<(&'a str, u32)> = None;
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut row = 0;
    while pos < bytes.len() {
        // One pass over the line: its fields and its end. The bytes looked
        // for are ASCII, so every cut falls between characters.
        let mut n = 0;
        let mut start = pos;
        let mut i = pos;
        loop {
            match bytes.get(i) {
                Some(b',') => {
                    *fields.get_mut(n)? = &text[start..i];
                    n += 1;
                    start = i + 1;
                }
                Some(b'\n') | None => break,
                // A carriage return only just before the line end.
                Some(b'\r') if matches!(bytes.get(i + 1), Some(b'\n') | None) => break,
                Some(b'\r') => return None,
                Some(_) => {}
            }
            i += 1;
        }
        *fields.get_mut(n)? = &text[start..i];
        n += 1;
        let line_empty = i == pos;
        pos = match bytes.get(i) {
            Some(b'\r') => i + 2,
            _ => i + 1,
        };
        if line_empty || n != l.fields || row >= out.region.len() {
            return None;
        }
        let text_of = |i: usize| Some(fields[i].trim()).filter(|t| !t.is_empty());
        let region = text_of(l.region)?;
        let industry = text_of(l.industry)?;
        out.year[row] = fields[l.year].trim().parse().ok()?;
        out.employment[row] = fast_number(fields[l.employment])?;
        let rid = match last_region {
            Some((name, id)) if name == region => id,
            _ => ch.regions.id(region),
        };
        last_region = Some((region, rid));
        let iid = ch.industries.id(industry);
        out.region[row] = rid;
        out.industry[row] = iid;
        if let Some(e) = l.establishments {
            out.establishments[row] = fast_number(fields[e])?;
        }
        if let Some(w) = l.wages {
            out.wages[row] = fast_number(fields[w])?;
        }
        if let Some(k) = l.kind {
            out.kind[row] = ch.kinds.id(fields[k].trim());
        }
        if let Some(t) = l.cluster_type {
            let t = fields[t].trim();
            let t = if t.is_empty() {
                None
            } else {
                Some(ClusterType::parse(t)?)
            };
            if iid as usize == ch.types.len() {
                ch.types.push(t);
            } else if ch.types[iid as usize] != t {
                return None;
            }
        }
        row += 1;
    }
    (row == out.region.len()).then_some(ch)
}

/// `v` cut into consecutive parts of the given sizes (the last ones shorter
/// if `v` runs out).
fn split_parts<'s, T>(mut v: &'s mut [T], sizes: &[usize]) -> Vec<&'s mut [T]> {
    sizes
        .iter()
        .map(|&c| {
            let whole = std::mem::take(&mut v);
            let (head, tail) = whole.split_at_mut(c.min(whole.len()));
            v = tail;
            head
        })
        .collect()
}

/// Parses an activity file held in memory on `threads` threads: the body is
/// cut into chunks at line ends, each chunk parsed into ids of its own, and
/// the chunks joined in file order, so ids follow first appearance exactly
/// as in a serial read. Returns `None` for a file the `csv` reader must
/// handle: not UTF-8, any quote, a missing column, or any cell it would
/// reject (the careful reader then reports it with its line).
fn fast_activity(
    bytes: &[u8],
    threads: usize,
    min_chunk: usize,
) -> Option<(ActivityColumns, Option<Vec<Definition>>)> {
    if bytes.contains(&b'"') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let (header, body) = text.split_once('\n')?;
    let header: Vec<String> = header
        .strip_suffix('\r')
        .unwrap_or(header)
        .split(',')
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if header.iter().any(|h| h.contains('\r')) {
        return None;
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let layout = ActivityLayout {
        fields: header.len(),
        region: col("region")?,
        industry: col("industry")?,
        year: col("year")?,
        employment: col("employment")?,
        establishments: col("establishments"),
        wages: col("wages"),
        kind: col("kind"),
        cluster_type: col("type"),
    };
    // Chunks of at least `min_chunk` bytes, cut after a line end.
    let threads = threads.clamp(1, body.len() / min_chunk.max(1) + 1);
    let mut pieces = Vec::with_capacity(threads);
    let mut start = 0;
    for t in 1..=threads {
        let mut end = body.len() * t / threads;
        if t < threads {
            end = match body[end.max(start)..].find('\n') {
                Some(e) => end.max(start) + e + 1,
                None => body.len(),
            };
        }
        end = end.max(start);
        pieces.push(&body[start..end]);
        start = end;
    }
    // The columns, allocated once at their full length; each chunk fills
    // its own part (no copies of millions of rows).
    let counts: Vec<usize> = pieces.iter().map(|p| line_count(p)).collect();
    let n: usize = counts.iter().sum();
    let len = |present: bool| if present { n } else { 0 };
    let mut out = ActivityColumns {
        region: vec![0; n],
        industry: vec![0; n],
        kind: vec![0; len(layout.kind.is_some())],
        year: vec![0; n],
        employment: vec![f64::NAN; n],
        establishments: vec![f64::NAN; len(layout.establishments.is_some())],
        wages: vec![f64::NAN; len(layout.wages.is_some())],
        ..Default::default()
    };
    let none = vec![0; counts.len()];
    let sizes = |present: bool| if present { &counts[..] } else { &none[..] };
    let mut region = split_parts(&mut out.region, &counts).into_iter();
    let mut industry = split_parts(&mut out.industry, &counts).into_iter();
    let mut kind = split_parts(&mut out.kind, sizes(layout.kind.is_some())).into_iter();
    let mut year = split_parts(&mut out.year, &counts).into_iter();
    let mut employment = split_parts(&mut out.employment, &counts).into_iter();
    let mut establishments = split_parts(
        &mut out.establishments,
        sizes(layout.establishments.is_some()),
    )
    .into_iter();
    let mut wages = split_parts(&mut out.wages, sizes(layout.wages.is_some())).into_iter();
    let parts: Vec<ChunkColumns<'_>> = (0..counts.len())
        .map(|_| {
            Some(ChunkColumns {
                region: region.next()?,
                industry: industry.next()?,
                kind: kind.next()?,
                year: year.next()?,
                employment: employment.next()?,
                establishments: establishments.next()?,
                wages: wages.next()?,
            })
        })
        .collect::<Option<_>>()?;
    let chunks: Vec<Option<ActivityChunk<'_>>> = if pieces.len() == 1 {
        parts
            .into_iter()
            .map(|part| parse_activity_chunk(pieces[0], &layout, part))
            .collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = pieces
                .iter()
                .zip(parts)
                .map(|(&p, part)| s.spawn(move || parse_activity_chunk(p, &layout, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let chunks: Vec<ActivityChunk<'_>> = chunks.into_iter().collect::<Option<_>>()?;
    // Join in file order: local ids to global ones.
    let (mut regions, mut industries, mut kinds) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    let mut types: Vec<Option<ClusterType>> = Vec::new();
    let mut start = 0;
    for (ch, &count) in chunks.iter().zip(&counts) {
        fn map<'a>(local: &Interner<'a>, global: &mut Interner<'a>) -> Vec<u32> {
            local.names().iter().map(|name| global.id(name)).collect()
        }
        let (rmap, imap, kmap) = (
            map(&ch.regions, &mut regions),
            map(&ch.industries, &mut industries),
            map(&ch.kinds, &mut kinds),
        );
        if layout.cluster_type.is_some() {
            for (local, &global) in imap.iter().enumerate() {
                let t = ch.types[local];
                if global as usize == types.len() {
                    types.push(t);
                } else if types[global as usize] != t {
                    return None;
                }
            }
        }
        let rows = start..start + count;
        start += count;
        for r in &mut out.region[rows.clone()] {
            *r = rmap[*r as usize];
        }
        for i in &mut out.industry[rows.clone()] {
            *i = imap[*i as usize];
        }
        if layout.kind.is_some() {
            for k in &mut out.kind[rows] {
                *k = kmap[*k as usize];
            }
        }
    }
    let own =
        |i: &Interner<'_>| -> Vec<String> { i.names().iter().map(|s| (*s).to_owned()).collect() };
    out.regions = own(&regions);
    out.industries = own(&industries);
    out.kinds = own(&kinds);
    let definitions = layout.cluster_type.map(|_| {
        out.industries
            .iter()
            .zip(types)
            .map(|(i, t)| Definition {
                industry: i.clone(),
                cluster: i.clone(),
                cluster_type: t,
            })
            .collect()
    });
    Some((out, definitions))
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
            let rows = super::from_register::activity_rows(db)?;
            (ActivityColumns::from_rows(&rows), None)
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
    let fill = input.fill && input.activity.employment.iter().any(|e| e.is_nan());
    let panel = if fill || input.hierarchy.is_some() {
        // Gap filling and region aggregation work on rows.
        let mut rows = input.activity.to_rows();
        if fill {
            let r = fill_suppressed(&mut rows, &input.industry_parents);
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
            rows = aggregate_regions(&rows, h).map_err(|e| locate(input, e))?;
        }
        Panel::build(
            &rows,
            input.definitions.as_deref(),
            input.benchmark.as_deref(),
        )
    } else {
        Panel::build_columns(
            &input.activity,
            input.definitions.as_deref(),
            input.benchmark.as_deref(),
        )
    }
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
    fn write_row(&self, panel: &Panel, names: &CsvNames, i: usize, out: &mut Vec<u8>) {
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

/// Region and cluster codes as CSV fields (quoted where needed) and years as
/// text, made once for all rows.
struct CsvNames {
    regions: Vec<Vec<u8>>,
    clusters: Vec<Vec<u8>>,
    years: Vec<Vec<u8>>,
}

impl CsvNames {
    fn new(panel: &Panel) -> CsvNames {
        CsvNames {
            regions: panel.regions.iter().map(|r| csv_field(r)).collect(),
            clusters: panel.clusters.iter().map(|c| csv_field(c)).collect(),
            years: panel
                .years
                .iter()
                .map(|y| y.to_string().into_bytes())
                .collect(),
        }
    }
}

/// `text` as the `csv` writer writes it inside a record (quoted only when it
/// holds a comma, a quote or a line break).
fn csv_field(text: &str) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // A second field keeps an empty text unquoted, as inside a longer record.
    let mut out = match w.write_record([text, ""]) {
        Ok(()) => w.into_inner().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    out.truncate(out.len().saturating_sub(2)); // the ",\n" after the field
    out
}

/// Appends `x` as [`crate::output::format_f64`] writes it (whole numbers
/// without a fraction, NaN as an empty field), without allocating.
#[inline]
fn push_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"inf" } else { b"-inf" });
    } else if x == 0.0 {
        out.push(b'0');
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        // Display prints a whole double below 10^15 as its integer.
        push_int(out, x as i64);
    } else if may_tie(x) {
        use std::io::Write as _;
        let _ = write!(out, "{x}");
    } else {
        push_shortest(out, x);
    }
}

/// Whether `x` might lie exactly halfway between its two nearest shortest
/// decimals, where `Display` rounds the tie up and `zmij` to even (e.g.
/// 2171119003000000.25 → `…000.3` and `…000.2`).
///
/// A tie needs x's exact decimal expansion to be one digit longer than the
/// shortest digits, so at most 18 significant digits. x = m·2⁻ᵍ with m odd has
/// at least 1 + q of them when x ≥ 1, and those of m·5^q (more than 0.69·q)
/// when x < 1; so a tie needs q ≤ 25 fractional bits, i.e. x·2²⁶ whole, or x a
/// whole number too large for that test. Such values (short dyadic
/// fractions, huge whole numbers) go to `Display`; the check costs a multiply.
#[inline]
fn may_tie(x: f64) -> bool {
    x.abs() >= 9_007_199_254_740_992.0 || (x * 67_108_864.0).fract() == 0.0
}

/// Appends a finite, nonzero `x` as `Display` writes it: the shortest digits
/// that read back as `x` (the closest such digits), laid out in plain decimal
/// notation with no exponent (`0.0000001`, `1e20` as `100000000000000000000`).
///
/// The digits come from `zmij` (Schubfach, the same shortest-and-closest
/// digits as the standard library's Grisu/Dragon formatter, several times
/// faster); only their layout is redone here, because `zmij` switches to
/// exponent notation for very small and very large values.
#[inline]
fn push_shortest(out: &mut Vec<u8>, x: f64) {
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(x).as_bytes();
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // mantissa[e±exp]: the digits and where the decimal point falls.
    let (mantissa, exp) = match text.iter().position(|&b| b == b'e') {
        Some(e) => (&text[..e], parse_exp(&text[e + 1..])),
        None => (text, 0),
    };
    let mut digits = [0u8; 40];
    let mut n = 0;
    // Position of the decimal point counted in digits from the first one.
    let mut point: i32 = mantissa.len() as i32;
    for (i, &b) in mantissa.iter().enumerate() {
        if b == b'.' {
            point = i as i32;
        } else if n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    point += exp;
    // Leading zeros ("0.001") move the point; trailing zeros are dropped.
    let lead = digits[..n].iter().take_while(|&&d| d == b'0').count();
    let digits = &digits[lead..n];
    point -= lead as i32;
    let digits = &digits[..digits.iter().rposition(|&d| d != b'0').map_or(0, |p| p + 1)];
    if negative {
        out.push(b'-');
    }
    let len = digits.len() as i32;
    if point <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-point) as usize));
        out.extend_from_slice(digits);
    } else if point < len {
        out.extend_from_slice(&digits[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[point as usize..]);
    } else {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', (point - len) as usize));
    }
}

/// The exponent after `e` in `zmij`'s output (`+20`, `-07`, `5`).
#[inline]
fn parse_exp(t: &[u8]) -> i32 {
    let (sign, t) = match t.split_first() {
        Some((b'-', rest)) => (-1, rest),
        Some((b'+', rest)) => (1, rest),
        _ => (1, t),
    };
    sign * t
        .iter()
        .fold(0i32, |v, &d| v * 10 + i32::from(d.wrapping_sub(b'0')))
}

/// Appends the decimal digits of `v`.
#[inline]
fn push_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let mut u = v.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

/// Writes the clusters table as CSV (docs/methods.md's conventions, the same
/// bytes as [`Table::write_csv`]) without holding it in memory: rows are
/// formatted in blocks, each block cut into one piece per thread, and the
/// pieces written in order while the next block is formatted.
fn write_clusters_csv(
    out: Option<&Path>,
    result: &ClustersResult,
    panel: &Panel,
    threads: usize,
) -> anyhow::Result<()> {
    let (mut sink, name): (Box<dyn std::io::Write>, String) = match out {
        Some(p) => (
            Box::new(
                std::fs::File::create(p)
                    .with_context(|| format!("cannot create {}", p.display()))?,
            ),
            p.display().to_string(),
        ),
        None => (
            Box::new(std::io::stdout().lock()),
            "standard output".to_owned(),
        ),
    };
    write_clusters(&mut sink, &name, result, panel, threads, 1 << 16)
}

/// [`write_clusters_csv`] into `sink` (named `name` in errors), `piece` rows
/// per thread at a time.
fn write_clusters(
    sink: &mut dyn std::io::Write,
    name: &str,
    result: &ClustersResult,
    panel: &Panel,
    threads: usize,
    piece: usize,
) -> anyhow::Result<()> {
    let names = CsvNames::new(panel);
    let mut header = result.columns().join(",");
    header.push('\n');
    let write_err = |e: std::io::Error| anyhow::anyhow!("cannot write {name}: {e}");
    sink.write_all(header.as_bytes()).map_err(write_err)?;
    let n = panel.cells.len();
    let (threads, piece) = (threads.max(1), piece.max(1));
    let format = |range: std::ops::Range<usize>, mut buf: Vec<u8>| {
        buf.clear();
        for i in range {
            result.write_row(panel, &names, i, &mut buf);
        }
        buf
    };
    if threads == 1 || n <= piece {
        let mut buf = Vec::new();
        for start in (0..n).step_by(piece) {
            buf = format(start..(start + piece).min(n), buf);
            sink.write_all(&buf).map_err(write_err)?;
        }
    } else {
        // Formatted pieces waiting to be written, and spare buffers.
        let mut ready: Vec<Vec<u8>> = Vec::new();
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut start = 0;
        while start < n || !ready.is_empty() {
            let ranges: Vec<std::ops::Range<usize>> = (0..threads)
                .map(|t| {
                    let a = (start + t * piece).min(n);
                    a..(a + piece).min(n)
                })
                .filter(|r| !r.is_empty())
                .collect();
            start = (start + threads * piece).min(n);
            let bufs: Vec<Vec<u8>> = ranges
                .iter()
                .map(|_| spare.pop().unwrap_or_default())
                .collect();
            let written = std::thread::scope(|s| -> anyhow::Result<Vec<Vec<u8>>> {
                let handles: Vec<_> = ranges
                    .into_iter()
                    .zip(bufs)
                    .map(|(r, b)| s.spawn(|| format(r, b)))
                    .collect();
                for b in &ready {
                    sink.write_all(b).map_err(write_err)?;
                }
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .map_err(|_| anyhow::anyhow!("a formatting thread failed"))
                    })
                    .collect()
            })?;
            spare.append(&mut ready);
            ready = written;
        }
    }
    sink.flush().map_err(write_err)?;
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
    let g = weaver_service::mapping::growth(panel, start, end)?;
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
    for r in g.rows {
        t.push(vec![
            r.region.as_str().into(),
            r.cluster.as_str().into(),
            i64::from(g.start_year).into(),
            i64::from(g.end_year).into(),
            r.start.into(),
            r.end.into(),
            r.change.into(),
            r.cagr.into(),
            r.expected.into(),
            r.national_share.into(),
            r.industry_mix.into(),
            r.job_creation.into(),
        ]);
    }
    Ok(t)
}

/// The kind to use and the year index, checking that one kind is chosen
/// ([`weaver_service::mapping::pick`]).
fn pick(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
) -> anyhow::Result<(usize, Option<usize>)> {
    Ok(weaver_service::mapping::pick(panel, year, kind, "--kind")?)
}

use weaver_service::mapping::regions_of;

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
        .filter(|c| c.year() == y && pos[c.region()] != usize::MAX)
    {
        x[pos[c.region()] * m + c.cluster()] = c.employment;
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
    let r = weaver_service::mapping::related(panel, year, kind, top, "--kind")?;
    let mut t = Table::new(&["cluster", "related", "correlation", "rank"]);
    for row in r.rows {
        t.push(vec![
            row.cluster.as_str().into(),
            row.related.as_str().into(),
            row.correlation.into(),
            row.rank.into(),
        ]);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIVITY: &str = "\u{feff}Region, industry ,year,employment,establishments,kind,type\r\n\
        R1,A,2020,10,2,state,traded\r\n\
        R1,B,2020,30, ,state,\r\n\
        R2, A ,2020,12.5,1,,traded\r\n\
        R2,C,2020,1e3,4,,local\r\n\
        R3,A,2021,0,0,county,traded\r\n\
        R3,C,2021,,,county,local\r\n\
        R1,C,2021,7,3,state,local\r\n\
        R4,B,2021,5,1,,";

    fn careful(text: &str) -> (ActivityColumns, Option<Vec<Definition>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, text).unwrap();
        let (rows, defs) = read_activity_rows(&path).unwrap();
        (ActivityColumns::from_rows(&rows), defs)
    }

    #[test]
    fn fast_reader_reads_what_the_csv_reader_reads() {
        let (want_rows, want_defs) = careful(ACTIVITY);
        for threads in [1, 2, 3, 8] {
            let (got, defs) = fast_activity(ACTIVITY.as_bytes(), threads, 16).unwrap();
            // Same rows and tables; the kind table may hold "" for rows
            // without a kind where the careful reader has `None`.
            assert_eq!(got.to_rows(), want_rows.to_rows(), "{threads} threads");
            assert_eq!(got.regions, want_rows.regions);
            assert_eq!(got.industries, want_rows.industries);
            assert_eq!(defs, want_defs);
        }
        // Without a final line end, and with \n only.
        let plain = ACTIVITY.replace("\r\n", "\n");
        let (got, _) = fast_activity(plain.as_bytes(), 2, 16).unwrap();
        assert_eq!(got.to_rows(), want_rows.to_rows());
    }

    #[test]
    fn fast_reader_leaves_anything_unusual_to_the_csv_reader() {
        let header = "region,industry,year,employment,type\n";
        for body in [
            "R1,\"A\",2020,1,\n",                         // quotes
            "R1,A,2020,1,\n\nR2,A,2020,1,\n",             // blank line
            "R1,A,2020,1\n",                              // too few fields
            "R1,A,2020,-1,\n",                            // negative
            "R1,A,20x0,1,\n",                             // bad year
            "R1,,2020,1,\n",                              // empty industry
            "R1,A,2020,1,traded\r\rR2,A,2020,1,traded\n", // stray \r
            "R1,A,2020,1,bulk\n",                         // bad type
        ] {
            let text = format!("{header}{body}");
            assert!(fast_activity(text.as_bytes(), 2, 8).is_none(), "{body:?}");
        }
        // A type conflict between two chunks is found when they are joined.
        let text = format!("{header}R1,A,2020,1,traded\nR2,B,2020,1,\nR3,A,2020,1,local\n");
        assert!(fast_activity(text.as_bytes(), 1, 8).is_none());
        assert!(fast_activity(text.as_bytes(), 3, 8).is_none());
        // A missing column goes to the careful reader, which names it.
        assert!(fast_activity(b"region,industry,year\nR1,A,2020\n", 1, 8).is_none());
    }

    #[test]
    fn streamed_csv_is_the_table_writers_text() {
        let text = "region,industry,year,employment,establishments\n\
            \"North, East\",A,2020,10,2\n\
            \"Say \"\"hi\"\"\",A,2020,30,\n\
            \"North, East\",\"B,2\",2020,0.1,1\n\
            South,\"B,2\",2020,0,0\n\
            South,A,2020,3.25,1\n\
            West,A,2020,1e20,7\n\
            West,\"B,2\",2020,0,\n\
            \"North, East\",A,2021,11,2\n\
            South,A,2021,0,0\n";
        let (cols, _) = careful(text);
        let panel = Panel::build_columns(&cols, None, None).unwrap();
        for method in [
            ClassificationMethod::Cmp,
            ClassificationMethod::Eco,
            ClassificationMethod::Quadrant,
        ] {
            for pct in [false, true] {
                let mut r = classify(&panel, method).unwrap();
                if pct {
                    r.add_percentiles(&panel).unwrap();
                }
                let mut want = Vec::new();
                r.table(&panel).write_csv(&mut want).unwrap();
                for (threads, piece) in [(1, 1 << 16), (2, 1), (3, 2), (4, 100)] {
                    let mut got = Vec::new();
                    write_clusters(&mut got, "test", &r, &panel, threads, piece).unwrap();
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        String::from_utf8(want.clone()).unwrap(),
                        "{method:?}, percentiles {pct}, {threads} threads"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_print_as_format_f64() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            12.5,
            1e-7,
            0.1 + 0.2,
            999_999_999_999_999.0,
            // Ties between two shortest decimals (Display rounds them up).
            2_171_119_003_000_000.2,
            1.0 + 2f64.powi(-17),
            0.5 + 2f64.powi(-25),
            f64::MIN_POSITIVE,
            5e-324,
            -1.5e-7,
            f64::MAX,
            1e15,
            1e20,
            -2.5e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let mut out = Vec::new();
            push_f64(&mut out, x);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                crate::output::format_f64(x)
            );
        }
        // Shortest digits of many doubles: LQ-like ratios, values across the
        // whole exponent range and random bit patterns, as Display prints them.
        use rand::{Rng as _, SeedableRng as _};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(0x5eed);
        let mut out = Vec::new();
        for i in 0..300_000u32 {
            let x = match i % 3 {
                0 => {
                    f64::from(rng.next_u32() % 100_000 + 1) / f64::from(rng.next_u32() % 7_919 + 1)
                }
                1 => {
                    (f64::from(rng.next_u32()) / 1e5)
                        * 10f64.powi((rng.next_u32() % 80) as i32 - 40)
                }
                _ => f64::from_bits(rng.next_u64()),
            };
            if !x.is_finite() {
                continue;
            }
            out.clear();
            push_f64(&mut out, x);
            assert_eq!(
                std::str::from_utf8(&out).unwrap(),
                crate::output::format_f64(x),
                "{x:e}"
            );
        }
        let mut out = Vec::new();
        push_int(&mut out, i64::MIN);
        assert_eq!(String::from_utf8(out).unwrap(), i64::MIN.to_string());
    }
}
