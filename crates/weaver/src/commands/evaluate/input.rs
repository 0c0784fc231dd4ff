//! Reading the files of an `evaluate` command (or the register) into plain
//! values: indicators, observations, groups, the method and the panel.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};
use weaver_evaluation::{Direction, IndexMethod, Indicator, Observation, Panel, frameworks};

use super::args::InputArgs;
use crate::commands::from_register;
use weaver_io::csv_table::{CsvError, CsvTable};

/// The rows of a CSV keyed by `unit`/`cluster`/`recipient` (the first of
/// `key_names` the file has, as `__key`), each with its line and its cells
/// by column name as the file writes it; every one of `required` must be a
/// column.
pub(super) struct Keyed {
    /// The file's name, as errors give it.
    pub name: String,
    /// (line, cells by column) of every row.
    pub rows: Vec<(usize, HashMap<String, String>)>,
}

/// Reads a CSV keyed by `unit`/`cluster`/`recipient` ([`Keyed`]).
pub(super) fn read_keyed(
    path: &Path,
    key_names: &[&str],
    required: &[&str],
) -> anyhow::Result<Keyed> {
    let mut table = CsvTable::open(path)?;
    let name = table.name().to_owned();
    let key = header_index(&table, key_names, true)?.unwrap_or(0);
    let headers = table.raw_header().to_vec();
    if let Some(c) = required.iter().find(|c| !headers.iter().any(|h| h == *c)) {
        return Err(CsvError::missing_column(&name, c, &headers).into());
    }
    let mut rows = Vec::new();
    table.rows(|line, rec| -> anyhow::Result<()> {
        let mut row = HashMap::new();
        for (k, h) in headers.iter().enumerate() {
            let column = if k == key { "__key" } else { h.as_str() };
            row.insert(
                column.to_owned(),
                rec.get(k).unwrap_or("").trim().to_owned(),
            );
        }
        if row["__key"].is_empty() {
            return Err(CsvError::cell(
                &name,
                line,
                &headers[key],
                "expected an id, found an empty cell",
            )
            .into());
        }
        rows.push((line, row));
        Ok(())
    })?;
    Ok(Keyed { name, rows })
}

pub(super) fn read_groups(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let keyed = read_keyed(path, &["unit", "cluster"], &["group"])?;
    let mut out = HashMap::new();
    let mut first_line = HashMap::new();
    for (line, r) in keyed.rows {
        let unit = r["__key"].clone();
        if let Some(first) = first_line.insert(unit.clone(), line) {
            return Err(CsvError::line(
                &keyed.name,
                line,
                format!("unit {unit:?} is listed twice (first on line {first})"),
            )
            .into());
        }
        out.insert(unit, r["group"].clone());
    }
    Ok(out)
}
pub(super) fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
/// Everything an evaluation needs, read from files.
#[derive(Debug, Clone)]
pub struct EvaluationData {
    /// The panel of observations.
    pub panel: Panel,
    /// The method.
    pub method: IndexMethod,
    /// Group of each unit of the panel (from --groups), for group-mean
    /// imputation.
    pub groups: Option<Vec<Option<usize>>>,
}
/// Reads the method (file or built-in framework), the indicators and the
/// observations, and builds the panel.
pub fn load(input: &InputArgs, db: &str) -> anyhow::Result<EvaluationData> {
    let register = if input.from_register {
        Some(from_register::evaluation_input_with(
            db,
            input.period.as_deref(),
            !input.no_computed,
        )?)
    } else {
        None
    };
    let source = match &input.observations {
        Some(p) => p.display().to_string(),
        None => format!("register {db}"),
    };
    let method = match (&input.method, &input.framework) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            IndexMethod::from_toml(&text).with_context(|| format!("{}", path.display()))?
        }
        (None, Some(framework)) => {
            let name = framework.name();
            let text = frameworks::built_in(name)
                .with_context(|| format!("no built-in framework `{name}`"))?;
            IndexMethod::from_toml(text).with_context(|| format!("built-in framework {name}"))?
        }
        (None, None) => IndexMethod::default(),
    };
    let (register_indicators, register_observations) = match register {
        Some((i, o)) => (Some(i), Some(o)),
        None => (None, None),
    };
    let mut indicators = match (&input.indicators, register_indicators) {
        (Some(path), _) => read_indicators(path)?,
        (None, Some(from_register)) => from_register,
        (None, None) => Vec::new(),
    };
    // Indicators that only the method defines.
    method.add_defined_indicators(&mut indicators);
    if indicators.is_empty() {
        bail!("no indicators: give --indicators I.csv or a method that defines them");
    }
    let observations = match (&input.observations, register_observations) {
        (Some(path), _) => read_observations(path, Some(&indicators))?,
        (None, Some(mut from_register)) => {
            // The register's observations of indicators that neither the
            // catalogue nor the method defines are left out.
            from_register.retain(|o| indicators.iter().any(|i| i.id == o.indicator));
            from_register
        }
        (None, None) => bail!("give --observations O.csv or --from-register"),
    };
    let panel =
        Panel::from_observations(indicators, &observations).with_context(|| source.clone())?;
    if let Some(p) = &input.period
        && panel.period_index(p).is_none()
    {
        bail!(
            "{}: no observations for period `{p}` (periods: {})",
            source,
            panel.periods.join(", ")
        );
    }
    let groups = match &input.groups {
        Some(path) => Some(unit_groups(path, &panel, &method)?),
        None => {
            if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
                bail!(
                    "the method's imputation = \"group_mean\" needs a group for each unit: give --groups G.csv (columns unit,group)"
                );
            }
            None
        }
    };
    Ok(EvaluationData {
        panel,
        method,
        groups,
    })
}

/// Reads a groups CSV and numbers the groups in the order of the panel's
/// units.
fn unit_groups(
    path: &Path,
    panel: &Panel,
    method: &IndexMethod,
) -> anyhow::Result<Vec<Option<usize>>> {
    let by_unit = read_groups(path)?;
    if method.imputation != weaver_evaluation::method::Imputation::GroupMean {
        eprintln!(
            "note: {}: groups are used only by imputation = \"group_mean\"; the method's imputation is {}",
            path.display(),
            method.imputation.name()
        );
    }
    let mut names: Vec<&str> = Vec::new();
    let mut without = Vec::new();
    let groups = panel
        .units
        .iter()
        .map(|u| match by_unit.get(u).filter(|g| !g.is_empty()) {
            Some(g) => Some(match names.iter().position(|n| *n == g.as_str()) {
                Some(k) => k,
                None => {
                    names.push(g);
                    names.len() - 1
                }
            }),
            None => {
                without.push(u.as_str());
                None
            }
        })
        .collect();
    if !without.is_empty() {
        let shown: Vec<&str> = without.iter().take(5).copied().collect();
        eprintln!(
            "note: {}: {} unit(s) without a group keep their missing values: {}{}",
            path.display(),
            without.len(),
            shown.join(", "),
            if without.len() > 5 { ", …" } else { "" }
        );
    }
    Ok(groups)
}

/// The first column whose name (in any case) is one of `names`; an error
/// naming the file and its header when it is `required` and missing.
fn header_index(table: &CsvTable, names: &[&str], required: bool) -> anyhow::Result<Option<usize>> {
    let header = table.header();
    let found = header.iter().position(|h| names.contains(&h.as_str()));
    if found.is_none() && required {
        return Err(CsvError::missing_column(table.name(), names[0], table.raw_header()).into());
    }
    Ok(found)
}

/// Reads an indicators CSV (`id,name,direction[,dimension][,weight]`).
pub fn read_indicators(path: &Path) -> anyhow::Result<Vec<Indicator>> {
    let mut table = CsvTable::open(path)?;
    let file = table.name().to_owned();
    let id = header_index(&table, &["id"], true)?.unwrap_or(0);
    let name = header_index(&table, &["name"], true)?.unwrap_or(0);
    let dir = header_index(&table, &["direction"], true)?.unwrap_or(0);
    let dim = header_index(&table, &["dimension"], false)?;
    let weight = header_index(&table, &["weight"], false)?;
    let mut out: Vec<Indicator> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    table.rows(|line, rec| -> anyhow::Result<()> {
        let cell = |k: usize| rec.get(k).unwrap_or("").trim();
        let iid = cell(id);
        if iid.is_empty() {
            return Err(CsvError::cell(
                &file,
                line,
                "id",
                "expected an indicator id, found an empty cell",
            )
            .into());
        }
        if let Some(first) = seen.insert(iid.to_owned(), line) {
            return Err(CsvError::cell(
                &file,
                line,
                "id",
                format!("indicator {iid:?} is already defined on line {first}"),
            )
            .into());
        }
        let direction: Direction = cell(dir)
            .parse()
            .map_err(|e| CsvError::cell(&file, line, "direction", e))?;
        let w = match weight.map(cell) {
            None | Some("") => None,
            Some(s) => {
                let v: f64 = s
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| {
                        CsvError::cell(
                            &file,
                            line,
                            "weight",
                            format!("expected a number ≥ 0, found {s:?}"),
                        )
                    })?;
                Some(v)
            }
        };
        out.push(Indicator {
            id: iid.to_owned(),
            name: cell(name).to_owned(),
            direction,
            dimension: dim.map(cell).filter(|s| !s.is_empty()).map(str::to_owned),
            weight: w,
        });
        Ok(())
    })?;
    if out.is_empty() {
        return Err(CsvError::file(&file, "no indicators (the file has only a header)").into());
    }
    Ok(out)
}

/// Reads an observations CSV (`unit,indicator,period,value`; `cluster` for
/// `unit`). Empty values are skipped as missing.
pub fn read_observations(
    path: &Path,
    indicators: Option<&[Indicator]>,
) -> anyhow::Result<Vec<Observation>> {
    let mut table = CsvTable::open(path)?;
    let file = table.name().to_owned();
    let unit = header_index(&table, &["unit", "cluster"], true)?.unwrap_or(0);
    let ind = header_index(&table, &["indicator"], true)?.unwrap_or(0);
    let period = header_index(&table, &["period"], true)?.unwrap_or(0);
    let value = header_index(&table, &["value"], true)?.unwrap_or(0);
    let unit_column = table.raw_header()[unit].clone();
    let known: Option<HashMap<&str, ()>> =
        indicators.map(|l| l.iter().map(|i| (i.id.as_str(), ())).collect());
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    table.rows(|line, rec| -> anyhow::Result<()> {
        let cell = |k: usize| rec.get(k).unwrap_or("").trim();
        let (u, i, p, v) = (cell(unit), cell(ind), cell(period), cell(value));
        for (col, s) in [
            (unit_column.as_str(), u),
            ("indicator", i),
            ("period", p),
        ] {
            if s.is_empty() {
                return Err(
                    CsvError::cell(&file, line, col, "expected a value, found an empty cell").into(),
                );
            }
        }
        if known.as_ref().is_some_and(|k| !k.contains_key(i)) {
            return Err(CsvError::cell(
                &file,
                line,
                "indicator",
                format!("unknown indicator {i:?} (not in the indicators file or the method)"),
            )
            .into());
        }
        if v.is_empty() {
            return Ok(());
        }
        let x: f64 = v
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| {
                CsvError::cell(&file, line, "value", format!("expected a finite number, found {v:?}"))
            })?;
        if let Some(first) = seen.insert((u.to_owned(), i.to_owned(), p.to_owned()), line) {
            return Err(CsvError::line(
                &file,
                line,
                format!(
                    "a second value for unit {u:?}, indicator {i:?}, period {p:?} (first on line {first})"
                ),
            )
            .into());
        }
        out.push(Observation {
            unit: u.to_owned(),
            indicator: i.to_owned(),
            period: p.to_owned(),
            value: x,
        });
        Ok(())
    })?;
    if out.is_empty() {
        bail!("{}: no observations with a value", path.display());
    }
    Ok(out)
}
