//! Adapter for CORDIS, the European Commission's record of the EU Framework
//! Programmes (FP7, Horizon 2020, Horizon Europe): who took part in which
//! research project, in which role, with how much EU money.
//!
//! CORDIS publishes each programme's projects as a folder (or zip) of
//! `;`-separated, double-quoted, UTF-8 CSV files, the objectives quoted over
//! several lines; [`read_cordis`] reads two of them, the projects and the
//! participations, and turns them into a data package.
//!
//! # Layouts
//!
//! Two layouts are known, told apart by the header of the participations
//! file ([`Layout`]):
//!
//! * **Horizon Europe** — `project.csv` (`id`, `acronym`, `status`, `title`,
//!   `startDate`, `endDate`, `totalCost`, `ecMaxContribution`, `legalBasis`,
//!   `topics`, `ecSignatureDate`, `frameworkProgramme`, `masterCall`,
//!   `subCall`, `fundingScheme`, `nature`, `objective`, …) and
//!   `organization.csv` (`projectID`, `projectAcronym`, `organisationID`,
//!   `vatNumber`, `name`, `shortName`, `SME`, `activityType`, `street`,
//!   `postCode`, `city`, `country`, `nutsCode`, `geolocation`,
//!   `organizationURL`, …, `role`, `ecContribution`, `netEcContribution`,
//!   `totalCost`, `endOfParticipation`, `active`). CORDIS has published
//!   Horizon Europe in it since 2021, and Horizon 2020 again in it since 2022.
//! * **Horizon 2020** (first edition, 2015–2021) — `project.csv` or
//!   `cordis-h2020projects.csv` (`rcn`, `id`, `acronym`, `status`,
//!   `programme`, `topics`, `frameworkProgramme`, `title`, `startDate`,
//!   `endDate`, `projectUrl`, `objective`, `totalCost`, `ecMaxContribution`,
//!   `call`, `fundingScheme`, `coordinator`, …) and `organization.csv` or
//!   `cordis-h2020organizations.csv` (`projectRcn`, `projectID`,
//!   `projectAcronym`, `role`, `id` — the organisation's —, `name`,
//!   `shortName`, `activityType`, `endOfParticipation`, `ecContribution`,
//!   `country`, `street`, `city`, `postCode`, `organizationUrl`,
//!   `vatNumber`, …). It has no signature date, SME flag or NUTS code.
//!
//! Columns are found by their header name (case aside), in any order; other
//! columns are ignored. A header that is neither layout is a
//! [`CordisError::UnknownLayout`] listing the columns each layout needs.
//!
//! # Mapping
//!
//! | CORDIS | package |
//! |---|---|
//! | each `frameworkProgramme` | a `programmes` row: id as given (`H2020`, `HORIZON`, `FP7`), level supranational, agency European Commission |
//! | each project (`id`, `title`, `startDate`, `endDate`, `totalCost`, `topics`, `status`) | a `projects` row `cordis-<id>`: budget = totalCost, currency EUR, field = topics, status in lower case |
//! | its `ecMaxContribution` | one `funding` row: source_type supranational, under its programme, in its funding year |
//! | each organisation id | one `organizations` row `pic-<id>`, however many projects it is in |
//! | `activityType` PRC / HES / REC / PUB / OTH | actor_type enterprise / university / research / government / intermediary |
//! | `SME` true | size `sme` |
//! | organisation id, `vatNumber` | identifiers `pic:<id>` and `vat:<number>` |
//! | `nutsCode`, `country`, `organizationURL` | region, country, website |
//! | each row of the participations file | a `participations` row: role coordinator → coordinator, participant → partner, anything else (partner, thirdParty, associatedPartner, internationalPartner, …) → associate; contribution = ecContribution |
//!
//! Numbers may use a decimal point or a decimal comma (`1234,5`, also
//! `1.234,5` and `1,234.5`). Dates are `YYYY-MM-DD` (a time after it is
//! dropped) or `DD/MM/YYYY`. A byte order mark is skipped.
//!
//! # Gaps: what is derived, what is left out
//!
//! Real dumps have empty or unreadable cells. Every row that can be imported
//! is; each kind of gap becomes one [`Warning`] with its count and first rows.
//!
//! * **Funding year**: the year of `startDate`; when that is empty or not a
//!   date, of `ecSignatureDate`; then of `endDate`. A project with none of
//!   the three keeps its `projects` row but gets no `funding` row.
//! * **Funding amount**: `ecMaxContribution`; when empty or not an amount, the
//!   sum of the `ecContribution` of the project's participations, if any has
//!   one; else no `funding` row.
//! * **Programme**: `frameworkProgramme`; when empty, the programme named at
//!   the start of `legalBasis`, `masterCall`, `subCall`, `call`, `topics` or
//!   `programme` (`H2020-…`, `HORIZON…`, `FP7-…`); else the funding row has
//!   no programme.
//! * **Title**: when empty, the acronym; else `CORDIS project <id>`.
//! * **Organizations**: one per organisation id (PIC). Each field (name,
//!   activity type, SME, VAT, NUTS code, country, website) is taken from the
//!   first of its rows where it is not empty. A name that differs on a later
//!   row is a warning (the first is kept). An empty name becomes the short
//!   name, else `PIC <id>`. No activity type on any row: the organization
//!   is typed as CORDIS's `OTH` (other), i.e. intermediary. No SME flag:
//!   no size. No NUTS code: no region.
//! * **Several ids, one VAT number**: organizations are never merged across
//!   ids; two ids sharing a VAT number are a warning naming both.
//! * **Left empty**: start, end, budget, contribution, region, size, country
//!   when their cell is empty or unreadable.
//! * **Left out**: a project row without id or repeating an earlier id, a
//!   participation row without project or organisation id.
//!
//! Refused (a problem of the returned builder, so that
//! [`PackageBuilder::finish`] refuses the whole dump, listing every problem):
//! a participation naming a project the projects file lacks, and a cell that
//! is not UTF-8. A missing file or column is a [`CordisError`].
//!
//! When one organization appears twice in the same project, the rows are
//! merged into one participation: the stronger role (coordinator, partner,
//! associate) and the sum of the contributions.
//!
//! ```no_run
//! let dump = weaver_io::cordis::read_cordis(std::path::Path::new("cordis-h2020"))?;
//! for w in &dump.warnings {
//!     eprintln!("warning: {w}");
//! }
//! let package = dump.builder.finish(&|_, _| false)?;
//! println!("{:?}", package.counts());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reference: European Commission, *CORDIS — EU research projects under
//! Horizon 2020 (2014–2020)* and *… under Horizon Europe (2021–2027)*, data
//! sets on data.europa.eu, file descriptions of `project.csv` and
//! `organization.csv`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use weaver_core::PackageBuilder;

/// The package's name, recorded as the source of every row.
pub const PACKAGE_NAME: &str = "CORDIS (European Commission)";

/// How many rows a warning names before only counting.
pub const WARNING_ROWS: usize = 5;

/// The layout of a CORDIS dump, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The layout of the Horizon Europe files (and of Horizon 2020's since
    /// 2022): `organisationID`, `SME`, `nutsCode`, `ecSignatureDate`.
    HorizonEurope,
    /// The first edition of the Horizon 2020 files: the organisation id in
    /// `id`, `projectRcn`; no SME flag, NUTS code or signature date.
    Horizon2020,
}

impl Layout {
    /// The layout's name as messages give it.
    pub fn name(self) -> &'static str {
        match self {
            Layout::HorizonEurope => "Horizon Europe layout",
            Layout::Horizon2020 => "Horizon 2020 layout (first edition)",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a CORDIS folder could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CordisError {
    /// The folder lacks one of the two files.
    #[error("{}: no {file} here; a CORDIS folder holds project.csv and organization.csv", dir.display())]
    MissingFile {
        /// The folder that was given.
        dir: PathBuf,
        /// The file that is missing.
        file: &'static str,
    },
    /// A file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file has no header row.
    #[error("{file}: the file is empty; expected a header row of ;-separated CORDIS column names")]
    Empty {
        /// The file.
        file: &'static str,
    },
    /// The participations file's header is of no known layout.
    #[error(
        "{file}, row 1: the header is of no CORDIS layout this reader knows; expected the {} (columns {}) or the {} (columns {}); found {found}",
        Layout::HorizonEurope.name(),
        ORG_HORIZON_EUROPE.join(", "),
        Layout::Horizon2020.name(),
        ORG_HORIZON_2020.join(", ")
    )]
    UnknownLayout {
        /// The file.
        file: &'static str,
        /// The columns found, comma-separated.
        found: String,
    },
    /// A column that the layout's mapping needs is not in the header.
    #[error(
        "{file}, row 1, column {column}: required CORDIS column '{column}' of the {layout} is missing from the header"
    )]
    MissingColumn {
        /// The file.
        file: &'static str,
        /// The layout the other file's header showed.
        layout: Layout,
        /// The missing column.
        column: &'static str,
    },
}

/// One kind of gap in a dump: what was derived or left out, how often, and
/// where first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The file the rows are in.
    pub file: &'static str,
    /// The CORDIS column (or columns) concerned.
    pub column: &'static str,
    /// What is missing and what was done about it.
    pub message: &'static str,
    /// How many rows (or organizations) have this gap.
    pub count: usize,
    /// The first of those rows, numbered as a spreadsheet does (header = 1).
    pub rows: Vec<usize>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<String> = self.rows.iter().map(usize::to_string).collect();
        write!(
            f,
            "{}, column {}: {} — {} {}, first at row{} {}",
            self.file,
            self.column,
            self.message,
            self.count,
            if self.count == 1 { "row" } else { "rows" },
            if self.rows.len() == 1 { "" } else { "s" },
            rows.join(", ")
        )?;
        if self.count > self.rows.len() {
            f.write_str(", …")?;
        }
        Ok(())
    }
}

/// A CORDIS dump read: its layout, the package (to be finished) and the
/// warnings about its gaps.
#[derive(Debug)]
pub struct CordisDump {
    /// The layout the headers showed.
    pub layout: Layout,
    /// The tables; [`PackageBuilder::finish`] gives the package or refuses it.
    pub builder: PackageBuilder,
    /// One warning per kind of gap: the projects file's first, each file's
    /// in the order of the row where the kind is first met.
    pub warnings: Vec<Warning>,
}

/// The organization file's columns by which each layout is told.
const ORG_HORIZON_EUROPE: &[&str] = &[
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "role",
];
const ORG_HORIZON_2020: &[&str] = &[
    "projectRcn",
    "projectID",
    "id",
    "name",
    "activityType",
    "role",
];

const PROJECT_FILES: &[&str] = &["project.csv", "cordis-h2020projects.csv"];
const ORGANIZATION_FILES: &[&str] = &["organization.csv", "cordis-h2020organizations.csv"];

const PROJECT_REQUIRED: &[&str] = &[
    "id",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "frameworkProgramme",
];
const PROJECT_OPTIONAL: &[&str] = &[
    "acronym",
    "status",
    "topics",
    "ecSignatureDate",
    "legalBasis",
    "masterCall",
    "subCall",
    "call",
    "programme",
];
/// Columns of the programme-naming cells, in the order they are asked
/// when `frameworkProgramme` is empty.
const PROGRAMME_HINTS: &[&str] = &[
    "legalBasis",
    "masterCall",
    "subCall",
    "call",
    "topics",
    "programme",
];
const ORGANIZATION_REQUIRED: &[&str] = &[
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "role",
];
const ORGANIZATION_OPTIONAL: &[&str] = &[
    "shortName",
    "vatNumber",
    "SME",
    "country",
    "nutsCode",
    "organizationURL",
    "ecContribution",
];

/// Reads a CORDIS folder (or its `csv/` subfolder) into a package builder and
/// the warnings about its gaps.
///
/// # Arguments
/// * `dir` – the folder the CORDIS zip was unpacked into.
///
/// # Returns
/// A [`CordisDump`]: the layout found, a [`PackageBuilder`] holding the tables
/// `programmes`, `projects`, `funding`, `organizations` and `participations`
/// (with a notice naming the layout and the counts), and one [`Warning`] per
/// kind of gap. Call [`PackageBuilder::finish`] to get the package or all
/// the problems that refuse it.
///
/// # Errors
/// [`CordisError`] when a file is missing, unreadable or empty, the
/// participations file's header is of no known layout, or a column the
/// layout needs is missing. Required in `project.csv`: id, title,
/// startDate, endDate, totalCost, ecMaxContribution, frameworkProgramme.
pub fn read_cordis(dir: &Path) -> Result<CordisDump, CordisError> {
    read_cordis_with_progress(
        dir,
        weaver_core::problem::DEFAULT_PROBLEM_LIMIT,
        &mut |_, _, _| {},
    )
}

/// [`read_cordis`], keeping up to `problem_limit` problems (the rest are
/// counted) and reporting its progress as `(step, bytes done, bytes in all)`
/// while it reads each file.
///
/// # Errors
/// As [`read_cordis`].
pub fn read_cordis_with_progress(
    dir: &Path,
    problem_limit: usize,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<CordisDump, CordisError> {
    let base = if !PROJECT_FILES.iter().any(|f| dir.join(f).exists())
        && PROJECT_FILES
            .iter()
            .any(|f| dir.join("csv").join(f).exists())
    {
        dir.join("csv")
    } else {
        dir.to_path_buf()
    };
    let org_file = find_file(&base, ORGANIZATION_FILES)?;
    let project_file = find_file(&base, PROJECT_FILES)?;
    let mut organizations = Sheet::open(&base, org_file)?;
    let layout = if has(&organizations.names, "organisationID") {
        Layout::HorizonEurope
    } else if has(&organizations.names, "projectRcn") && has(&organizations.names, "id") {
        Layout::Horizon2020
    } else {
        return Err(CordisError::UnknownLayout {
            file: org_file,
            found: organizations.names.join(", "),
        });
    };
    let aliases: &[(&str, &str)] = match layout {
        Layout::HorizonEurope => &[],
        Layout::Horizon2020 => &[("organisationID", "id")],
    };
    organizations.bind(
        layout,
        ORGANIZATION_REQUIRED,
        ORGANIZATION_OPTIONAL,
        aliases,
    )?;
    let mut projects = Sheet::open(&base, project_file)?;
    projects.bind(layout, PROJECT_REQUIRED, PROJECT_OPTIONAL, &[])?;
    // The two files are read at once, on two cores; the progress shown is
    // the participations file's.
    std::thread::scope(|scope| {
        let other = scope.spawn(|| projects.read_rows(&mut |_, _, _| {}));
        organizations.read_rows(progress);
        if let Err(panic) = other.join() {
            std::panic::resume_unwind(panic);
        }
    });

    let mut pkg = PackageBuilder::new(PACKAGE_NAME).with_problem_limit(problem_limit);
    let mut gaps = Gaps::default();
    for (file, line, message) in projects.broken.iter().chain(&organizations.broken) {
        pkg.problems.at(file, Some(*line), None, message.clone());
    }
    progress("mapping rows", 0, 1);
    let (orgs, participations) = map_organizations(&mut gaps, &organizations);
    let project_rows = map_projects(&mut gaps, &projects, &participations);
    write_programmes(&mut pkg, project_file, &project_rows);
    write_projects(&mut pkg, project_file, &project_rows);
    write_funding(&mut pkg, project_file, &project_rows);
    write_organizations(&mut pkg, org_file, &orgs);
    write_participations(&mut pkg, org_file, &participations);
    progress("mapping rows", 1, 1);
    let funded = project_rows.iter().filter(|p| p.funding.is_some()).count();
    pkg.notice(format!(
        "CORDIS files in {} are of the {layout} ({project_file}, {org_file})",
        base.display()
    ));
    pkg.notice(format!(
        "read {} projects ({funded} with a funding row) and {} participation rows of {} organizations; {} kinds of gap, see the warnings",
        project_rows.len(),
        organizations.rows.len(),
        orgs.len(),
        gaps.list.len()
    ));
    let mut warnings = gaps.list;
    // The projects file's first, then by the row each kind is first met.
    warnings.sort_by_key(|w| (w.file != project_file, w.rows.first().copied()));
    Ok(CordisDump {
        layout,
        builder: pkg,
        warnings,
    })
}

fn find_file(dir: &Path, names: &[&'static str]) -> Result<&'static str, CordisError> {
    names
        .iter()
        .copied()
        .find(|f| dir.join(f).is_file())
        .ok_or(CordisError::MissingFile {
            dir: dir.to_path_buf(),
            file: names[0],
        })
}

fn has(names: &[String], column: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(column))
}

/// The warnings being collected, one per kind of gap.
#[derive(Default)]
struct Gaps {
    list: Vec<Warning>,
    index: HashMap<(&'static str, &'static str, &'static str), usize>,
}

impl Gaps {
    fn add(
        &mut self,
        file: &'static str,
        column: &'static str,
        message: &'static str,
        line: usize,
    ) {
        let i = *self
            .index
            .entry((file, column, message))
            .or_insert_with(|| {
                self.list.push(Warning {
                    file,
                    column,
                    message,
                    count: 0,
                    rows: Vec::new(),
                });
                self.list.len() - 1
            });
        let w = &mut self.list[i];
        w.count += 1;
        if w.rows.len() < WARNING_ROWS {
            w.rows.push(line);
        }
    }
}

/// One CSV file: its header, then its rows as text with their spreadsheet
/// row numbers, only the cells of the wanted columns.
struct Sheet {
    file: &'static str,
    bytes: Vec<u8>,
    /// Where the first record after the header starts.
    body: csv::Position,
    names: Vec<String>,
    /// Wanted column → (position in the file, position in a kept row).
    wanted: Vec<usize>,
    columns: HashMap<&'static str, usize>,
    rows: Vec<(usize, Vec<String>)>,
    /// Rows the CSV reader could not read: (file, row, message).
    broken: Vec<(&'static str, usize, String)>,
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<std::io::Cursor<&[u8]>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Cursor::new(bytes))
}

impl Sheet {
    /// Reads the file and its header.
    fn open(dir: &Path, file: &'static str) -> Result<Sheet, CordisError> {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).map_err(|source| CordisError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv_reader(&bytes);
        let mut record = csv::ByteRecord::new();
        let header = loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => return Err(CordisError::Empty { file }),
                Ok(true) if record.iter().all(|c| c.trim_ascii().is_empty()) => continue,
                Ok(true) => break record.clone(),
                Err(e) => {
                    return Err(CordisError::Io {
                        path,
                        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                    });
                }
            }
        };
        let body = reader.position().clone();
        let names: Vec<String> = header
            .iter()
            .map(|c| {
                String::from_utf8_lossy(c)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_owned()
            })
            .collect();
        Ok(Sheet {
            file,
            bytes,
            body,
            names,
            wanted: Vec::new(),
            columns: HashMap::new(),
            rows: Vec::new(),
            broken: Vec::new(),
        })
    }

    /// Finds the wanted columns (`aliases` gives another header name for
    /// a column in this layout).
    fn bind(
        &mut self,
        layout: Layout,
        required: &[&'static str],
        optional: &[&'static str],
        aliases: &[(&str, &str)],
    ) -> Result<(), CordisError> {
        for &want in required.iter().chain(optional) {
            let header = aliases
                .iter()
                .find(|(c, _)| *c == want)
                .map_or(want, |(_, h)| *h);
            match self
                .names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(header))
            {
                Some(i) => {
                    self.columns.insert(want, self.wanted.len());
                    self.wanted.push(i);
                }
                None if required.contains(&want) => {
                    return Err(CordisError::MissingColumn {
                        file: self.file,
                        layout,
                        column: want,
                    });
                }
                None => {}
            }
        }
        Ok(())
    }

    /// Reads the rows after the header, keeping the wanted cells.
    fn read_rows(&mut self, progress: &mut dyn FnMut(&str, usize, usize)) {
        let total = self.bytes.len();
        let step = format!("reading {}", self.file);
        let mut reader = csv_reader(&self.bytes);
        if reader.seek(self.body.clone()).is_err() {
            return;
        }
        let mut record = csv::ByteRecord::new();
        let mut n = 0usize;
        loop {
            let line = reader.position().record() as usize + 1;
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    n += 1;
                    if n.is_multiple_of(8192) {
                        progress(&step, reader.position().byte() as usize, total);
                    }
                    if record.iter().all(|c| c.trim_ascii().is_empty()) {
                        continue;
                    }
                    let mut cells = Vec::with_capacity(self.wanted.len());
                    for &i in &self.wanted {
                        let c = record.get(i).unwrap_or(b"");
                        match std::str::from_utf8(c) {
                            Ok(s) => cells.push(s.trim().to_owned()),
                            Err(_) => {
                                self.broken.push((
                                    self.file,
                                    line,
                                    format!(
                                        "column {}: the cell is not valid UTF-8; CORDIS files are UTF-8",
                                        self.names[i]
                                    ),
                                ));
                                cells.push(String::new());
                            }
                        }
                    }
                    self.rows.push((line, cells));
                }
                Err(e) => {
                    self.broken.push((
                        self.file,
                        line,
                        format!("the row cannot be read as CSV: {e}"),
                    ));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                }
            }
        }
        progress(&step, total, total);
        self.bytes = Vec::new();
    }

    /// The cell of `column` in `cells` ("" when the column or cell is absent).
    fn get<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&i| cells.get(i))
            .map_or("", String::as_str)
    }

    fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

/// Parses a CORDIS amount: decimal point or decimal comma, optional
/// thousands separators (the other of the two), optional spaces.
///
/// ```
/// use weaver_io::cordis::parse_amount;
/// assert_eq!(parse_amount("1234,5"), Some(1234.5));
/// assert_eq!(parse_amount("1234.5"), Some(1234.5));
/// assert_eq!(parse_amount("1.234.567,89"), Some(1234567.89));
/// assert_eq!(parse_amount("1,234,567.89"), Some(1234567.89));
/// assert_eq!(parse_amount("12x"), None);
/// ```
pub fn parse_amount(text: &str) -> Option<f64> {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if s.is_empty() {
        return None;
    }
    let normal = match (s.rfind(','), s.rfind('.')) {
        (Some(c), Some(d)) if c > d => s.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => s.replace(',', ""),
        (Some(_), None) if s.matches(',').count() == 1 => s.replace(',', "."),
        (Some(_), None) => s.replace(',', ""),
        _ => s,
    };
    if !normal
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    normal.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parses a CORDIS date to ISO `YYYY-MM-DD`: `2018-01-01`,
/// `2018-01-01 00:00:00`, or `01/01/2018`.
///
/// ```
/// use weaver_io::cordis::parse_date;
/// assert_eq!(parse_date("2021-09-01").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("2021-09-01 00:00:00").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("01/09/2021").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("2021-13-01"), None);
/// ```
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let iso = if let Some((d, rest)) = t.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        let y = y.split_whitespace().next()?;
        format!("{y:0>4}-{m:0>2}-{d:0>2}")
    } else {
        t.split(['T', ' ']).next()?.to_owned()
    };
    let parts: Vec<&str> = iso.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days).then_some(iso)
}

/// The actor type of a CORDIS `activityType`.
///
/// ```
/// use weaver_io::cordis::actor_type;
/// assert_eq!(actor_type("HES"), Some("university"));
/// assert_eq!(actor_type("PRC - Private for-profit entities"), Some("enterprise"));
/// assert_eq!(actor_type("xyz"), None);
/// assert_eq!(actor_type("PRCX"), None);
/// ```
pub fn actor_type(activity: &str) -> Option<&'static str> {
    // The code may be followed by its label ("PRC - Private for-profit …").
    let t = activity.trim();
    let code = match t.char_indices().nth(3) {
        Some((i, c)) if !c.is_alphanumeric() => &t[..i],
        _ => t,
    };
    match code.to_ascii_uppercase().as_str() {
        "PRC" => Some("enterprise"),
        "HES" => Some("university"),
        "REC" => Some("research"),
        "PUB" => Some("government"),
        "OTH" => Some("intermediary"),
        _ => None,
    }
}

/// The participation role of a CORDIS `role`: coordinator → coordinator,
/// participant → partner, anything else → associate.
///
/// ```
/// use weaver_io::cordis::participation_role;
/// assert_eq!(participation_role("participant"), "partner");
/// assert_eq!(participation_role("thirdParty"), "associate");
/// ```
pub fn participation_role(role: &str) -> &'static str {
    match role.trim().to_ascii_lowercase().as_str() {
        "coordinator" => "coordinator",
        "participant" => "partner",
        _ => "associate",
    }
}

/// Known framework programmes: (id, name, start, end).
const FRAMEWORKS: &[(&str, &str, &str, &str)] = &[
    ("FP7", "Seventh Framework Programme", "2007", "2013"),
    ("H2020", "Horizon 2020", "2014", "2020"),
    ("HORIZON", "Horizon Europe", "2021", "2027"),
];

struct ProjectRow {
    line: usize,
    id: String,
    title: String,
    start: Option<String>,
    end: Option<String>,
    budget: Option<f64>,
    field: String,
    status: String,
    programme: String,
    /// (amount, year) of its funding row, when both are known.
    funding: Option<(f64, String)>,
}

#[derive(Default)]
struct OrgRow {
    line: usize,
    id: String,
    pic: String,
    name: String,
    short_name: String,
    actor: Option<&'static str>,
    sme: Option<bool>,
    vat: String,
    region: String,
    country: String,
    website: String,
}

struct ParticipationRow {
    line: usize,
    project: String,
    org: String,
    role: &'static str,
    contribution: Option<f64>,
}

/// What a number or date cell held.
enum ParsedCell<T> {
    Empty,
    Bad,
    Good(T),
}

fn amount_cell(text: &str) -> ParsedCell<f64> {
    if text.is_empty() {
        return ParsedCell::Empty;
    }
    match parse_amount(text) {
        Some(x) if x >= 0.0 => ParsedCell::Good(x),
        _ => ParsedCell::Bad,
    }
}

fn date_cell(text: &str) -> ParsedCell<String> {
    if text.is_empty() {
        return ParsedCell::Empty;
    }
    parse_date(text).map_or(ParsedCell::Bad, ParsedCell::Good)
}

/// The programme a code such as a legal basis, call or topic starts with.
fn programme_of_code(code: &str) -> Option<&'static str> {
    let c = code.trim().to_ascii_uppercase();
    if c.starts_with("H2020") {
        Some("H2020")
    } else if c.starts_with("HORIZON") {
        Some("HORIZON")
    } else if c.starts_with("FP7") {
        Some("FP7")
    } else {
        None
    }
}

/// The normal form of a VAT number for comparing (`None` for placeholders
/// such as MISSING or NOTAPPLICABLE, which carry no digit).
fn vat_key(vat: &str) -> Option<String> {
    let key: String = vat
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    key.chars().any(|c| c.is_ascii_digit()).then_some(key)
}

fn map_organizations(gaps: &mut Gaps, sheet: &Sheet) -> (Vec<OrgRow>, Vec<ParticipationRow>) {
    let file = sheet.file;
    let mut orgs: Vec<OrgRow> = Vec::new();
    let mut org_index: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<ParticipationRow> = Vec::with_capacity(sheet.rows.len());
    let mut part_index: HashMap<(String, String), usize> = HashMap::new();
    let has_sme = sheet.has("SME");
    for (line, cells) in &sheet.rows {
        let line = *line;
        let get = |c: &str| sheet.get(cells, c);
        let pic = get("organisationID");
        let project = get("projectID");
        if project.is_empty() {
            gaps.add(
                file,
                "projectID",
                "the project id is empty; the participation is left out",
                line,
            );
            continue;
        }
        if pic.is_empty() {
            gaps.add(
                file,
                "organisationID",
                "the organisation id is empty; the participation is left out",
                line,
            );
            continue;
        }
        let org_id = format!("pic-{pic}");
        let i = *org_index.entry(org_id.clone()).or_insert_with(|| {
            orgs.push(OrgRow {
                line,
                id: org_id.clone(),
                pic: pic.to_owned(),
                ..OrgRow::default()
            });
            orgs.len() - 1
        });
        let org = &mut orgs[i];
        let name = get("name");
        if org.name.is_empty() {
            org.name = name.to_owned();
        } else if !name.is_empty() && !name.eq_ignore_ascii_case(&org.name) {
            gaps.add(
                file,
                "name",
                "the organization has another name on an earlier row; the earlier name is kept",
                line,
            );
        }
        for (field, column) in [
            (&mut org.short_name, "shortName"),
            (&mut org.vat, "vatNumber"),
            (&mut org.region, "nutsCode"),
            (&mut org.country, "country"),
            (&mut org.website, "organizationURL"),
        ] {
            if field.is_empty() {
                *field = get(column).to_owned();
            }
        }
        let activity = get("activityType");
        if !activity.is_empty() {
            match actor_type(activity) {
                Some(a) => {
                    org.actor.get_or_insert(a);
                }
                None => gaps.add(
                    file,
                    "activityType",
                    "not a CORDIS activity type (PRC, HES, REC, PUB, OTH); the cell is not used",
                    line,
                ),
            }
        }
        let sme = get("SME");
        if has_sme && !sme.is_empty() {
            if sme.eq_ignore_ascii_case("true") {
                org.sme.get_or_insert(true);
            } else if sme.eq_ignore_ascii_case("false") {
                org.sme.get_or_insert(false);
            } else {
                gaps.add(file, "SME", "not true or false; the cell is not used", line);
            }
        }
        let contribution = match amount_cell(get("ecContribution")) {
            ParsedCell::Good(x) => Some(x),
            ParsedCell::Empty => {
                gaps.add(
                    file,
                    "ecContribution",
                    "the EU contribution is empty; the participation has no contribution",
                    line,
                );
                None
            }
            ParsedCell::Bad => {
                gaps.add(
                    file,
                    "ecContribution",
                    "not an amount (zero or more); the participation has no contribution",
                    line,
                );
                None
            }
        };
        let role_text = get("role");
        if role_text.is_empty() {
            gaps.add(
                file,
                "role",
                "the role is empty; the participation is an associate's",
                line,
            );
        }
        let role = participation_role(role_text);
        let key = (format!("cordis-{project}"), org_id);
        match part_index.get(&key) {
            Some(&i) => {
                let p = &mut parts[i];
                p.role = stronger(p.role, role);
                p.contribution = match (p.contribution, contribution) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
            }
            None => {
                part_index.insert(key.clone(), parts.len());
                parts.push(ParticipationRow {
                    line,
                    project: key.0,
                    org: key.1,
                    role,
                    contribution,
                });
            }
        }
    }
    // What is still missing once every row of an organization was read.
    let mut by_vat: HashSet<String> = HashSet::new();
    for org in &mut orgs {
        if org.name.is_empty() {
            gaps.add(
                file,
                "name",
                "the organization has no name on any row; its short name, else 'PIC <id>', is used",
                org.line,
            );
            org.name = if org.short_name.is_empty() {
                format!("PIC {}", org.pic)
            } else {
                org.short_name.clone()
            };
        }
        if org.actor.is_none() {
            gaps.add(file, "activityType", "the organization has no activity type on any row; it is typed OTH (other): intermediary", org.line);
            org.actor = Some("intermediary");
        }
        if has_sme && org.sme.is_none() {
            gaps.add(
                file,
                "SME",
                "the organization has no SME flag on any row; its size is left empty",
                org.line,
            );
        }
        if sheet.has("nutsCode") && org.region.is_empty() {
            gaps.add(
                file,
                "nutsCode",
                "the organization has no NUTS code on any row; its region is left empty",
                org.line,
            );
        }
        if org.country.is_empty() {
            gaps.add(
                file,
                "country",
                "the organization has no country on any row; its country is left empty",
                org.line,
            );
        }
        if let Some(key) = vat_key(&org.vat)
            && !by_vat.insert(key)
        {
            gaps.add(
                file,
                "vatNumber",
                "an organization of another organisation id has the same VAT number; the two are kept apart, not merged",
                org.line,
            );
        }
    }
    (orgs, parts)
}

fn map_projects(gaps: &mut Gaps, sheet: &Sheet, parts: &[ParticipationRow]) -> Vec<ProjectRow> {
    let file = sheet.file;
    let mut contributions: HashMap<&str, f64> = HashMap::new();
    for p in parts {
        if let Some(c) = p.contribution {
            *contributions.entry(p.project.as_str()).or_default() += c;
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(sheet.rows.len());
    let mut out = Vec::with_capacity(sheet.rows.len());
    for (line, cells) in &sheet.rows {
        let line = *line;
        let get = |c: &str| sheet.get(cells, c);
        let number = get("id");
        if number.is_empty() {
            gaps.add(
                file,
                "id",
                "the project id is empty; the project is left out",
                line,
            );
            continue;
        }
        let id = format!("cordis-{number}");
        if seen.contains_key(&id) {
            gaps.add(
                file,
                "id",
                "the project id is on an earlier row too; this row is left out",
                line,
            );
            continue;
        }
        seen.insert(id.clone(), line);
        let mut title = get("title").to_owned();
        if title.is_empty() {
            gaps.add(
                file,
                "title",
                "the title is empty; the acronym, else 'CORDIS project <id>', is used",
                line,
            );
            title = match get("acronym") {
                "" => format!("CORDIS project {number}"),
                a => a.to_owned(),
            };
        }
        let mut date = |column: &'static str, what_empty: &'static str, what_bad: &'static str| {
            match date_cell(get(column)) {
                ParsedCell::Good(d) => Some(d),
                ParsedCell::Empty => {
                    if !what_empty.is_empty() {
                        gaps.add(file, column, what_empty, line);
                    }
                    None
                }
                ParsedCell::Bad => {
                    gaps.add(file, column, what_bad, line);
                    None
                }
            }
        };
        let start = date(
            "startDate",
            "the start date is empty; the project has no start",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no start",
        );
        let end = date(
            "endDate",
            "the end date is empty; the project has no end",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no end",
        );
        let signed = date(
            "ecSignatureDate",
            "",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the cell is not used",
        );
        let budget = match amount_cell(get("totalCost")) {
            ParsedCell::Good(x) => Some(x),
            ParsedCell::Empty => {
                gaps.add(
                    file,
                    "totalCost",
                    "the total cost is empty; the project has no budget",
                    line,
                );
                None
            }
            ParsedCell::Bad => {
                gaps.add(
                    file,
                    "totalCost",
                    "not an amount (zero or more); the project has no budget",
                    line,
                );
                None
            }
        };
        let amount = match amount_cell(get("ecMaxContribution")) {
            ParsedCell::Good(x) => Some(x),
            c => {
                let derived = contributions.get(id.as_str()).copied();
                let message = match (c, derived.is_some()) {
                    (ParsedCell::Empty, true) => {
                        "the EU contribution is empty; the sum of its participations' ecContribution is the funding amount"
                    }
                    (ParsedCell::Empty, false) => {
                        "the EU contribution is empty and no participation has one; the project has no funding row"
                    }
                    (_, true) => {
                        "not an amount (zero or more); the sum of its participations' ecContribution is the funding amount"
                    }
                    (_, false) => {
                        "not an amount (zero or more) and no participation has a contribution; the project has no funding row"
                    }
                };
                gaps.add(file, "ecMaxContribution", message, line);
                derived
            }
        };
        let year = if let Some(s) = &start {
            Some(s[..4].to_owned())
        } else if let Some(s) = &signed {
            if amount.is_some() {
                gaps.add(
                    file,
                    "startDate",
                    "no start date; the funding year is the year of ecSignatureDate",
                    line,
                );
            }
            Some(s[..4].to_owned())
        } else if let Some(e) = &end {
            if amount.is_some() {
                gaps.add(
                    file,
                    "startDate",
                    "no start or signature date; the funding year is the year of endDate",
                    line,
                );
            }
            Some(e[..4].to_owned())
        } else {
            if amount.is_some() {
                gaps.add(file, "startDate", "no start, signature or end date, so no funding year; the project has no funding row", line);
            }
            None
        };
        let mut programme = get("frameworkProgramme").to_owned();
        if programme.is_empty() {
            match PROGRAMME_HINTS
                .iter()
                .find_map(|c| programme_of_code(get(c)))
            {
                Some(p) => {
                    gaps.add(file, "frameworkProgramme", "the framework programme is empty; it is read from the start of legalBasis, masterCall, subCall, call, topics or programme", line);
                    programme = p.to_owned();
                }
                None => gaps.add(file, "frameworkProgramme", "the framework programme is empty and no code names one; the funding row has no programme", line),
            }
        }
        out.push(ProjectRow {
            line,
            id,
            title,
            start,
            end,
            budget,
            field: get("topics").to_owned(),
            status: get("status").to_ascii_lowercase(),
            programme,
            funding: amount.zip(year),
        });
    }
    out
}

fn stronger(a: &'static str, b: &'static str) -> &'static str {
    let rank = |r: &str| match r {
        "coordinator" => 0,
        "partner" => 1,
        _ => 2,
    };
    if rank(b) < rank(a) { b } else { a }
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| (*s).to_owned()).collect()
}

fn amount_text(x: Option<f64>) -> String {
    x.map(weaver_core::value::format_float).unwrap_or_default()
}

fn write_programmes(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let mut seen: Vec<&str> = Vec::new();
    let mut first_line: Vec<usize> = Vec::new();
    for p in projects {
        if !p.programme.is_empty() && !seen.contains(&p.programme.as_str()) {
            seen.push(&p.programme);
            first_line.push(p.line);
        }
    }
    let Some(mut t) = pkg.table(
        "programmes",
        file,
        &header(&["id", "name", "agency", "level", "start", "end"]),
    ) else {
        return;
    };
    for (id, line) in seen.iter().zip(first_line) {
        let known = FRAMEWORKS.iter().find(|f| f.0.eq_ignore_ascii_case(id));
        let (name, start, end) = known.map_or((*id, "", ""), |f| (f.1, f.2, f.3));
        t.push_row(
            line,
            &[
                *id,
                name,
                "European Commission",
                "supranational",
                start,
                end,
            ],
        );
    }
}

fn write_projects(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "projects",
        file,
        &header(&[
            "id", "title", "start", "end", "budget", "currency", "field", "status",
        ]),
    ) else {
        return;
    };
    for p in projects {
        t.push_row(
            p.line,
            &[
                p.id.as_str(),
                &p.title,
                p.start.as_deref().unwrap_or(""),
                p.end.as_deref().unwrap_or(""),
                &amount_text(p.budget),
                "EUR",
                &p.field,
                &p.status,
            ],
        );
    }
}

fn write_funding(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "funding",
        file,
        &header(&[
            "recipient",
            "source_type",
            "programme",
            "amount",
            "currency",
            "year",
        ]),
    ) else {
        return;
    };
    for p in projects {
        let Some((amount, year)) = &p.funding else {
            continue;
        };
        t.push_row(
            p.line,
            &[
                p.id.as_str(),
                "supranational",
                &p.programme,
                &amount_text(Some(*amount)),
                "EUR",
                year,
            ],
        );
    }
}

fn write_organizations(pkg: &mut PackageBuilder, file: &str, orgs: &[OrgRow]) {
    let Some(mut t) = pkg.table(
        "organizations",
        file,
        &header(&[
            "id",
            "name",
            "actor_type",
            "size",
            "identifiers",
            "region",
            "country",
            "website",
        ]),
    ) else {
        return;
    };
    for o in orgs {
        let mut identifiers = format!("pic:{}", o.pic);
        if vat_key(&o.vat).is_some() && !o.vat.contains([';', ':', ' ']) {
            identifiers.push_str(";vat:");
            identifiers.push_str(&o.vat);
        }
        t.push_row(
            o.line,
            &[
                o.id.as_str(),
                &o.name,
                o.actor.unwrap_or("intermediary"),
                if o.sme == Some(true) { "sme" } else { "" },
                &identifiers,
                &o.region,
                &o.country,
                &o.website,
            ],
        );
    }
}

fn write_participations(pkg: &mut PackageBuilder, file: &str, parts: &[ParticipationRow]) {
    let Some(mut t) = pkg.table(
        "participations",
        file,
        &header(&["project", "org", "role", "contribution"]),
    ) else {
        return;
    };
    for p in parts {
        t.push_row(
            p.line,
            &[
                p.project.as_str(),
                &p.org,
                p.role,
                &amount_text(p.contribution),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_either_decimal_mark() {
        assert_eq!(parse_amount("2500000"), Some(2_500_000.0));
        assert_eq!(parse_amount("2500000,75"), Some(2_500_000.75));
        assert_eq!(parse_amount("2 500 000,75"), Some(2_500_000.75));
        assert_eq!(parse_amount("1,234"), Some(1.234));
        assert_eq!(parse_amount("1,234,567"), Some(1_234_567.0));
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("NaN"), None);
        assert_eq!(parse_amount("inf"), None);
    }

    #[test]
    fn dates_are_checked_and_made_iso() {
        assert_eq!(parse_date("2020-02-29").as_deref(), Some("2020-02-29"));
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(
            parse_date("2021-09-01T00:00:00").as_deref(),
            Some("2021-09-01")
        );
        assert_eq!(parse_date("1/9/2021").as_deref(), Some("2021-09-01"));
        assert_eq!(parse_date("September 2021"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn roles_and_activity_types_map_as_documented() {
        assert_eq!(participation_role("coordinator"), "coordinator");
        assert_eq!(participation_role("partner"), "associate");
        assert_eq!(participation_role("internationalPartner"), "associate");
        assert_eq!(participation_role(""), "associate");
        assert_eq!(actor_type("prc"), Some("enterprise"));
        assert_eq!(actor_type("REC"), Some("research"));
        assert_eq!(actor_type("PUB"), Some("government"));
        assert_eq!(actor_type("OTH"), Some("intermediary"));
        assert_eq!(actor_type(""), None);
        assert_eq!(stronger("partner", "coordinator"), "coordinator");
        assert_eq!(stronger("partner", "associate"), "partner");
    }
}
