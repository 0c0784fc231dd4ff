//! Cluster mapping of the regional activity a caller may read.
//!
//! Location quotients, classes, growth, relatedness, strength and complexity
//! are computed within one (country, industry classification) at a time —
//! a **section** — never over a pooled table: GB/T 4754 and NACE codes
//! collide (C26 is not the same industry in both), and a region's LQ is
//! measured against its own country (the sum of that country's regions in
//! the register) or against a benchmark the caller names (a country or a
//! region whose totals serve as the reference). Every answer names each
//! section's reference area and classification.

use std::collections::BTreeMap;

use serde::Serialize;
use weaver_core::classification::UNSTATED;
use weaver_mapping::input::BenchmarkRow;
use weaver_mapping::panel::Panel;
use weaver_store::{ActivityRow, Principal, Store};

use crate::error::{Result, ServiceError};

mod complexity;
mod maps;
mod specialisation;
mod strength;
mod trends;

pub use complexity::*;
pub use maps::*;
pub use specialisation::*;
pub use strength::*;
pub use trends::*;

/// Which rows a section holds and what they are measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SectionKey {
    /// The country (ISO 3166-1 alpha-2) of the section's rows: the row's
    /// own, or its region's in the regions table; `null` when neither says.
    pub country: Option<String>,
    /// The industry classification of the rows (`NACE Rev. 2`, …), or
    /// `unstated` for rows that name none.
    pub classification: String,
    /// The reference area of the location quotients (and of the other
    /// analyses' totals): the country's regions summed, or the benchmark.
    pub reference_area: String,
    /// What the section's reader should know (unstated classification,
    /// unknown country, a benchmark that could not serve).
    pub notes: Vec<String>,
}

/// One section's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Section<T> {
    /// The section's country, classification and reference area.
    #[serde(flatten)]
    pub key: SectionKey,
    /// The analysis of the section's rows.
    #[serde(flatten)]
    pub answer: T,
}

/// An analysis of the regional activity, one section per (country,
/// classification).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sectioned<T> {
    /// The sections, by country (unknown first) and classification.
    pub sections: Vec<Section<T>>,
    /// What the request as a whole should know (sections left out).
    pub notes: Vec<String>,
}

/// The rows of one section, as the mapping engine reads them, with the
/// benchmark's totals when one serves.
#[derive(Debug, Clone)]
pub struct SectionRows {
    /// The section.
    pub key: SectionKey,
    /// Its rows.
    pub rows: Vec<weaver_mapping::input::ActivityRow>,
    /// The benchmark's employment by industry and year, when a benchmark
    /// serves as the reference area (otherwise the rows' own sum).
    pub benchmark: Option<Vec<BenchmarkRow>>,
}

impl SectionRows {
    /// The section as the mapping engine's panel, each industry its own
    /// category.
    pub fn panel(&self) -> Result<Panel> {
        let columns = weaver_mapping::input::ActivityColumns::from_rows(&self.rows);
        Panel::build_columns(&columns, None, self.benchmark.as_deref())
            .map_err(|e| ServiceError::Invalid(format!("{}: {e}", self.key.label())))
    }
}

impl SectionKey {
    /// `DE, NACE Rev. 2` — the section's name in messages.
    pub fn label(&self) -> String {
        format!(
            "{}, {}",
            self.country.as_deref().unwrap_or("unknown country"),
            self.classification
        )
    }
}

fn engine_row(r: &ActivityRow) -> Result<weaver_mapping::input::ActivityRow> {
    let year = i32::try_from(r.year)
        .map_err(|_| ServiceError::Invalid(format!("year {} out of range", r.year)))?;
    Ok(weaver_mapping::input::ActivityRow {
        region: r.region.clone(),
        industry: r.industry.clone(),
        year,
        employment: Some(r.employment),
        establishments: r.establishments,
        wages: r.wages,
        kind: None,
    })
}

/// Splits the register's rows of regional activity into sections, one per
/// (country, classification), each measured against its country's totals
/// or, when `benchmark` is given, against the benchmark's totals in the
/// same classification: a country code (the sum of that country's regions)
/// or a region id (that region's own rows, which then serve only as the
/// reference and are not mapped). A benchmark with no rows in a section's
/// classification leaves that section on its country's totals, with a
/// note; a benchmark that is neither a country nor a region of the rows is
/// refused.
pub fn split_sections(rows: &[ActivityRow], benchmark: Option<&str>) -> Result<Vec<SectionRows>> {
    let benchmark = benchmark.map(str::trim).filter(|b| !b.is_empty());
    enum Bench<'a> {
        Country(&'a str),
        Region(&'a str),
    }
    let bench = match benchmark {
        None => None,
        Some(b) if rows.iter().any(|r| r.country.as_deref() == Some(b)) => Some(Bench::Country(b)),
        Some(b) if rows.iter().any(|r| r.region == b) => Some(Bench::Region(b)),
        Some(b) => {
            return Err(ServiceError::Invalid(format!(
                "benchmark '{b}' is neither a country nor a region of the regional activity                  (give a country code such as DE, or a region id)"
            )));
        }
    };
    let classification =
        |r: &ActivityRow| r.classification.as_deref().unwrap_or(UNSTATED).to_owned();
    // The benchmark's employment by classification, industry and year.
    let mut bench_totals: BTreeMap<String, BTreeMap<(String, i32), f64>> = BTreeMap::new();
    if let Some(b) = &bench {
        for r in rows {
            let hit = match b {
                Bench::Country(c) => r.country.as_deref() == Some(*c),
                Bench::Region(g) => r.region == *g,
            };
            if hit {
                let year = engine_row(r)?.year;
                *bench_totals
                    .entry(classification(r))
                    .or_default()
                    .entry((r.industry.clone(), year))
                    .or_default() += r.employment;
            }
        }
    }
    let mut groups: BTreeMap<(Option<String>, String), Vec<weaver_mapping::input::ActivityRow>> =
        BTreeMap::new();
    for r in rows {
        if let Some(Bench::Region(g)) = &bench
            && r.region == *g
        {
            continue;
        }
        groups
            .entry((r.country.clone(), classification(r)))
            .or_default()
            .push(engine_row(r)?);
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((country, class), rows) in groups {
        let regions: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.region.as_str()).collect();
        let own = match &country {
            Some(c) => format!(
                "{c}: the sum of its {} region{} in the register",
                regions.len(),
                if regions.len() == 1 { "" } else { "s" }
            ),
            None => format!(
                "the sum of the {} region{} of unknown country",
                regions.len(),
                if regions.len() == 1 { "" } else { "s" }
            ),
        };
        let mut notes = Vec::new();
        if class == UNSTATED {
            notes.push(
                "these rows state no industry classification: their codes are compared only                  with each other, never with those of a stated classification"
                    .to_owned(),
            );
        }
        if country.is_none() {
            notes.push(
                "these rows name no country and their regions are not in the regions table:                  they are measured against their own sum"
                    .to_owned(),
            );
        }
        let (reference_area, benchmark) = match (&bench, bench_totals.get(&class)) {
            (None, _) => (own, None),
            (Some(b), Some(totals)) => {
                let name = match b {
                    Bench::Country(c) => {
                        format!("benchmark {c}: the sum of its regions in the register")
                    }
                    Bench::Region(g) => format!("benchmark region {g}: its own activity"),
                };
                let rows = totals
                    .iter()
                    .map(|((industry, year), e)| BenchmarkRow {
                        industry: industry.clone(),
                        year: *year,
                        employment: *e,
                    })
                    .collect();
                (name, Some(rows))
            }
            (Some(b), None) => {
                let name = match b {
                    Bench::Country(c) | Bench::Region(c) => *c,
                };
                notes.push(format!(
                    "the benchmark {name} has no activity in {class}: the section is measured                      against its own country"
                ));
                (own, None)
            }
        };
        out.push(SectionRows {
            key: SectionKey {
                country,
                classification: class,
                reference_area,
                notes,
            },
            rows,
            benchmark,
        });
    }
    Ok(out)
}

/// The regional activity `who` may read (the public: public rows), split
/// into sections ([`split_sections`]); `NotFound` when there is none.
pub async fn readable_sections(
    store: &Store,
    who: Option<&Principal>,
    benchmark: Option<&str>,
) -> Result<Vec<SectionRows>> {
    let rows = store.readable_regional_activity(who).await?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound(
            "there is no regional activity that you may see (an admin imports a \
             regional_activity table)"
                .into(),
        ));
    }
    split_sections(&rows, benchmark)
}

/// `f` of each section's panel, as one answer; an error names its section.
pub fn per_section<T>(
    sections: &[SectionRows],
    f: impl Fn(&Panel) -> Result<T>,
) -> Result<Sectioned<T>> {
    let mut out = Vec::with_capacity(sections.len());
    for s in sections {
        let answer = f(&s.panel()?).map_err(|e| match e {
            ServiceError::Invalid(m) => ServiceError::Invalid(format!("{}: {m}", s.key.label())),
            other => other,
        })?;
        out.push(Section {
            key: s.key.clone(),
            answer,
        });
    }
    Ok(Sectioned {
        sections: out,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &str, industry: &str, year: i64, employment: f64) -> ActivityRow {
        ActivityRow {
            region: region.into(),
            industry: industry.into(),
            year,
            employment,
            establishments: None,
            wages: None,
            country: None,
            classification: None,
        }
    }

    fn of(country: &str, classification: &str, mut r: ActivityRow) -> ActivityRow {
        r.country = Some(country.into());
        r.classification = Some(classification.into());
        r
    }

    #[test]
    fn sections_are_per_country_and_classification_never_pooled() {
        // DE (NACE): R1 C26 30 of 40, DE C26 60 of 100: LQ 0.75/0.6 = 1.25.
        // CN (GB/T): S1 C26 100 of 200, CN C26 400 of 1000: LQ 1.25. Pooled,
        // C26 would be 460 of 1100 and R1's LQ 0.75/0.418 = 1.79.
        let rows = vec![
            of("DE", "NACE Rev. 2", row("R1", "C26", 2024, 30.0)),
            of("DE", "NACE Rev. 2", row("R1", "G47", 2024, 10.0)),
            of("DE", "NACE Rev. 2", row("R2", "C26", 2024, 30.0)),
            of("DE", "NACE Rev. 2", row("R2", "G47", 2024, 30.0)),
            of("CN", "GB/T 4754-2017", row("S1", "C26", 2024, 100.0)),
            of("CN", "GB/T 4754-2017", row("S1", "C27", 2024, 100.0)),
            of("CN", "GB/T 4754-2017", row("S2", "C26", 2024, 300.0)),
            of("CN", "GB/T 4754-2017", row("S2", "C27", 2024, 500.0)),
            row("X", "A", 2024, 1.0),
        ];
        let m = cluster_maps_of(&rows, MapMethod::Cmp, &MapParams::default()).unwrap();
        let keys: Vec<(Option<&str>, &str)> = m
            .sections
            .iter()
            .map(|s| (s.key.country.as_deref(), s.key.classification.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (None, "unstated"),
                (Some("CN"), "GB/T 4754-2017"),
                (Some("DE"), "NACE Rev. 2")
            ]
        );
        let lq = |s: usize, region: &str, category: &str| {
            m.sections[s]
                .answer
                .cells
                .iter()
                .find(|c| c.region == region && c.category == category)
                .unwrap()
                .lq
        };
        assert!((lq(2, "R1", "C26") - 1.25).abs() < 1e-12);
        assert!((lq(2, "R1", "G47") - 0.625).abs() < 1e-12);
        assert!((lq(1, "S1", "C26") - 1.25).abs() < 1e-12);
        assert!((lq(1, "S2", "C27") - 0.625 / 0.6).abs() < 1e-12);
        assert_eq!(
            m.sections[2].key.reference_area,
            "DE: the sum of its 2 regions in the register"
        );
        // A region as benchmark: R2's own rows; R1 C26 (30/40)/(30/60) = 1.5.
        let params = MapParams {
            benchmark: Some("R2".into()),
            ..MapParams::default()
        };
        let b = cluster_maps_of(&rows, MapMethod::Cmp, &params).unwrap();
        let de = &b.sections[2];
        assert_eq!(
            de.key.reference_area,
            "benchmark region R2: its own activity"
        );
        let cells: Vec<(&str, &str, f64)> = de
            .answer
            .cells
            .iter()
            .map(|c| (c.region.as_str(), c.category.as_str(), c.lq))
            .collect();
        assert_eq!(cells, [("R1", "C26", 1.5), ("R1", "G47", 0.5)]);
        assert!(b.sections[1].key.notes[0].contains("has no activity in GB/T 4754-2017"));
        let err = split_sections(&rows, Some("FR")).unwrap_err().to_string();
        assert!(err.contains("benchmark 'FR' is neither"), "{err}");
    }

    #[test]
    fn cluster_map_keeps_the_year_and_the_cells_asked_for() {
        // R1: A 30 of 40; the nation: A 40 of 80, so LQ (30/40)/(40/80) = 1.5.
        let rows = vec![
            row("R1", "A", 2024, 30.0),
            row("R1", "B", 2024, 10.0),
            row("R2", "A", 2024, 10.0),
            row("R2", "B", 2024, 30.0),
        ];
        let params = MapParams {
            region: Some("R1".into()),
            ..MapParams::default()
        };
        let m = cluster_maps_of(&rows, MapMethod::Cmp, &params).unwrap();
        assert_eq!(m.sections.len(), 1);
        let m = &m.sections[0].answer;
        assert_eq!(m.year, Some(2024));
        let cells: Vec<(&str, &str, f64)> = m
            .cells
            .iter()
            .map(|c| (c.region.as_str(), c.category.as_str(), c.lq))
            .collect();
        assert_eq!(cells, [("R1", "A", 1.5), ("R1", "B", 0.5)]);
        let v = serde_json::to_value(&m.cells[0]).unwrap();
        assert!(
            v.get("strong").is_some() && v.get("lq_percentile").is_none(),
            "{v}"
        );
    }

    #[test]
    fn methods_and_years_are_checked() {
        for m in [MapMethod::Cmp, MapMethod::Eco, MapMethod::Quadrant] {
            assert_eq!(MapMethod::parse(m.name()).unwrap(), m);
        }
        assert!(
            MapMethod::parse("stars")
                .unwrap_err()
                .to_string()
                .contains("method must be cmp")
        );
        assert!(
            check_year("year", 99)
                .unwrap_err()
                .to_string()
                .contains("four-digit")
        );
    }
}
