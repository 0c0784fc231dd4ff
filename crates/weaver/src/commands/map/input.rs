//! Reading the files of a `map` command (or the register's regional
//! activity) into a [`MapInput`], and building the panel from it.

use std::collections::HashMap;
use std::path::Path;

use weaver_io::csv_table::{CsvError, CsvTable};
use weaver_mapping::input::{
    ActivityColumns, ActivityRow, BenchmarkRow, ClusterType, Definition, IndustryParents,
    RegionLink, aggregate_regions, fill_suppressed,
};
use weaver_mapping::panel::Panel;
use weaver_mapping::{MappingError, Table as InputTable};

use weaver_service::mapping::SectionKey;

use super::args::InputArgs;
use super::fast::fast_activity;
use super::parallelism;

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
        _ => Err(CsvError::cell(
            file,
            line,
            column,
            format!("expected a non-negative number, found {t:?}"),
        )
        .into()),
    }
}

fn year(file: &str, line: usize, text: Option<&str>) -> anyhow::Result<i32> {
    let t = text.unwrap_or("").trim();
    t.parse::<i32>().map_err(|_| {
        CsvError::cell(
            file,
            line,
            "year",
            format!("expected a whole year, found {t:?}"),
        )
        .into()
    })
}

fn text(file: &str, line: usize, column: &str, t: Option<&str>) -> anyhow::Result<String> {
    let t = t.unwrap_or("").trim();
    if t.is_empty() {
        return Err(
            CsvError::cell(file, line, column, "expected a value, found an empty cell").into(),
        );
    }
    Ok(t.to_owned())
}

fn cluster_type(file: &str, line: usize, t: Option<&str>) -> anyhow::Result<Option<ClusterType>> {
    let t = t.unwrap_or("").trim();
    if t.is_empty() {
        return Ok(None);
    }
    ClusterType::parse(t).map(Some).ok_or_else(|| {
        CsvError::cell(
            file,
            line,
            "type",
            format!("expected traded or local, found {t:?}"),
        )
        .into()
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

/// [`read_activity`] record by record with the `csv` reader, as rows.
pub(super) fn read_activity_rows(
    path: &Path,
) -> anyhow::Result<(Vec<ActivityRow>, Option<Vec<Definition>>)> {
    let mut f = CsvTable::open(path)?;
    let name = f.name().to_owned();
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
    f.rows(|line, rec| -> anyhow::Result<()> {
        let industry = text(&name, line, "industry", rec.get(ii))?;
        if let Some(ti) = ti {
            let t = cluster_type(&name, line, rec.get(ti))?;
            match type_of.get(&industry) {
                Some(&(earlier, first)) if earlier != t => {
                    return Err(CsvError::cell(
                        &name,
                        line,
                        "type",
                        format!(
                            "industry {industry:?} is {} here but {} on line {first}",
                            t.map_or("untyped", ClusterType::as_str),
                            earlier.map_or("untyped", ClusterType::as_str)
                        ),
                    )
                    .into());
                }
                Some(_) => {}
                None => {
                    type_of.insert(industry.clone(), (t, line));
                    types.push(Definition {
                        industry: industry.clone(),
                        cluster: industry.clone(),
                        cluster_type: t,
                    });
                }
            }
        }
        let kind = ki
            .and_then(|k| rec.get(k))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned);
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

/// Reads a definitions CSV `industry,category[,type]` (`cluster`, the
/// former name of `category`, is read too, with a notice on stderr).
pub fn read_definitions(path: &Path) -> anyhow::Result<Vec<Definition>> {
    let mut f = CsvTable::open(path)?;
    let name = f.name().to_owned();
    let (category, ci) = match (f.column("category"), f.column("cluster")) {
        (Some(c), _) => ("category", c),
        (None, Some(c)) => {
            eprintln!(
                "notice: {name}: the column 'cluster' is read as 'category', its new name \
                 (a mapping category is an industry group, not a register cluster)"
            );
            ("cluster", c)
        }
        (None, None) => ("category", f.required("category")?),
    };
    let (ii, ti) = (f.required("industry")?, f.column("type"));
    let mut out = Vec::new();
    f.rows(|line, rec| -> anyhow::Result<()> {
        out.push(Definition {
            industry: text(&name, line, "industry", rec.get(ii))?,
            cluster: text(&name, line, category, rec.get(ci))?,
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
    let mut f = CsvTable::open(path)?;
    let name = f.name().to_owned();
    let (ii, yi, ei) = (
        f.required("industry")?,
        f.required("year")?,
        f.required("employment")?,
    );
    let mut out = Vec::new();
    f.rows(|line, rec| -> anyhow::Result<()> {
        let e = number(&name, line, "employment", rec.get(ei))?.ok_or_else(|| {
            CsvError::cell(
                &name,
                line,
                "employment",
                "expected a number, found an empty cell",
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
    let mut f = CsvTable::open(path)?;
    let name = f.name().to_owned();
    let (ri, pi, ki) = (
        f.required("region")?,
        f.required("parent")?,
        f.column("kind"),
    );
    let mut out = Vec::new();
    f.rows(|line, rec| -> anyhow::Result<()> {
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
    let mut f = CsvTable::open(path)?;
    let name = f.name().to_owned();
    let (ii, pi) = (f.required("industry")?, f.required("parent")?);
    let mut out = HashMap::new();
    f.rows(|line, rec| -> anyhow::Result<()> {
        let i = text(&name, line, "industry", rec.get(ii))?;
        if out
            .insert(i.clone(), text(&name, line, "parent", rec.get(pi))?)
            .is_some()
        {
            return Err(CsvError::cell(
                &name,
                line,
                "industry",
                format!("{i:?} has a parent already"),
            )
            .into());
        }
        Ok(())
    })?;
    Ok(out)
}

/// Reads every file named in `args`: one input, with no section, from an
/// activity file; from the register, one input per section (country and
/// classification, [`weaver_service::mapping::split_sections`]), each with
/// its reference area (`--benchmark` then names a country or a region).
pub fn load_inputs(
    args: &InputArgs,
    db: &str,
) -> anyhow::Result<Vec<(Option<SectionKey>, MapInput)>> {
    if args.activity.is_some() {
        return Ok(vec![(None, load_input(args, db, None)?)]);
    }
    let benchmark = args
        .benchmark
        .as_ref()
        .map(|b| b.to_string_lossy().into_owned());
    let sections = crate::commands::from_register::activity_sections(db, benchmark.as_deref())?;
    let mut out = Vec::with_capacity(sections.len());
    for s in sections {
        let input = load_input(args, db, Some((&s.rows, s.benchmark.clone())))?;
        out.push((Some(s.key), input));
    }
    Ok(out)
}

/// The rows of one section of the register and its benchmark totals.
type SectionInput<'a> = (&'a [ActivityRow], Option<Vec<BenchmarkRow>>);

/// Reads every file named in `args` (the activity from `register`, one
/// section of the register's, when given).
fn load_input(
    args: &InputArgs,
    db: &str,
    register: Option<SectionInput<'_>>,
) -> anyhow::Result<MapInput> {
    let mut sources = HashMap::new();
    let mut section_benchmark = None;
    let (activity, identity) = match (&args.activity, register) {
        (Some(path), _) => {
            sources.insert("activity", path.display().to_string());
            read_activity(path)?
        }
        (None, Some((rows, benchmark))) => {
            sources.insert("activity", format!("register {db} › regional_activity"));
            section_benchmark = benchmark;
            (ActivityColumns::from_rows(rows), None)
        }
        (None, None) => anyhow::bail!("give --activity or --from-register"),
    };
    let definitions = match &args.definitions {
        Some(p) => {
            sources.insert("definitions", p.display().to_string());
            Some(read_definitions(p)?)
        }
        None => identity,
    };
    let benchmark = match &args.benchmark {
        Some(p) if args.activity.is_some() => {
            sources.insert("benchmark", p.display().to_string());
            Some(read_benchmark(p)?)
        }
        _ => section_benchmark,
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
            CsvError::line(&file, record + 2, err).into()
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
