//! Adapter for CORDIS, the European Commission's record of the EU Framework
//! Programmes (FP7, Horizon 2020, Horizon Europe): who took part in which
//! research project, in which role, with how much EU money.
//!
//! CORDIS publishes each programme's projects as a folder (or zip) of
//! `;`-separated, double-quoted, UTF-8 CSV files; [`read_cordis`] reads two of
//! them, `project.csv` and `organization.csv`, and turns them into a data
//! package:
//!
//! | CORDIS | package |
//! |---|---|
//! | each `frameworkProgramme` | a `programmes` row: id as given (`H2020`, `HORIZON`, `FP7`), level supranational, agency European Commission |
//! | each project (`id`, `title`, `startDate`, `endDate`, `totalCost`, `topics`, `status`) | a `projects` row `cordis-<id>`: budget = totalCost, currency EUR, field = topics, status in lower case |
//! | its `ecMaxContribution` | one `funding` row: source_type supranational, under its programme, in its start year |
//! | each organization (`organisationID`) | one `organizations` row `pic-<id>`, however many projects it is in (the first row it appears on gives its name, type and place) |
//! | `activityType` PRC / HES / REC / PUB / OTH | actor_type enterprise / university / research / government / intermediary |
//! | `SME` true | size `sme` |
//! | `organisationID`, `vatNumber` | identifiers `pic:<id>` and `vat:<number>` |
//! | `nutsCode`, `country`, `organizationURL` | region, country, website |
//! | each row of `organization.csv` | a `participations` row: role coordinator → coordinator, participant → partner, anything else (partner, thirdParty, internationalPartner, …) → associate; contribution = ecContribution |
//!
//! Columns are found by their header name, in any order; columns not listed
//! are ignored. Numbers may use a decimal point or a decimal comma (`1234,5`,
//! also `1.234,5` and `1,234.5`). Dates are `YYYY-MM-DD` (a time after it is
//! dropped) or `DD/MM/YYYY`. A byte order mark is skipped.
//!
//! A required column that is missing is a [`CordisError`]. A row that cannot
//! be mapped (an unknown activity type, a number or date that is not one, a
//! participation in a project that `project.csv` lacks) is recorded as a
//! problem of the returned builder, naming file, row and CORDIS column, and
//! [`PackageBuilder::finish`] then refuses the package with all of them.
//!
//! When one organization appears twice in the same project, the rows are
//! merged into one participation: the stronger role (coordinator, partner,
//! associate) and the sum of the contributions.
//!
//! ```no_run
//! let builder = weaver_io::cordis::read_cordis(std::path::Path::new("cordis-h2020"))?;
//! let package = builder.finish(&|_, _| false)?;
//! println!("{:?}", package.counts());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reference: European Commission, *CORDIS — EU research projects under
//! Horizon 2020 (2014–2020)* and *… under Horizon Europe (2021–2027)*, data
//! sets on data.europa.eu, file descriptions of `project.csv` and
//! `organization.csv`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use weaver_core::PackageBuilder;

/// The package's name, recorded as the source of every row.
pub const PACKAGE_NAME: &str = "CORDIS (European Commission)";

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
    /// A column that the mapping needs is not in the header.
    #[error(
        "{file}, row 1, column {column}: required CORDIS column '{column}' is missing from the header"
    )]
    MissingColumn {
        /// The file.
        file: &'static str,
        /// The missing column.
        column: &'static str,
    },
}

const PROJECT_FILE: &str = "project.csv";
const ORGANIZATION_FILE: &str = "organization.csv";

const PROJECT_REQUIRED: &[&str] = &[
    "id",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "frameworkProgramme",
];
const PROJECT_OPTIONAL: &[&str] = &["status", "topics"];
const ORGANIZATION_REQUIRED: &[&str] = &[
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "role",
];
const ORGANIZATION_OPTIONAL: &[&str] = &[
    "vatNumber",
    "SME",
    "country",
    "nutsCode",
    "organizationURL",
    "ecContribution",
];

/// Reads `project.csv` and `organization.csv` from a CORDIS folder (or its
/// `csv/` subfolder) into a package builder.
///
/// # Arguments
/// * `dir` – the folder the CORDIS zip was unpacked into.
///
/// # Returns
/// A [`PackageBuilder`] holding the tables `programmes`, `projects`,
/// `funding`, `organizations` and `participations`, and a notice with the
/// counts; rows that could not be mapped are among its problems, so call
/// [`PackageBuilder::finish`] to get the package or all its problems.
///
/// # Errors
/// [`CordisError`] when a file is missing, unreadable, empty, or lacks a
/// required column. Required in `project.csv`: id, title, startDate,
/// endDate, totalCost, ecMaxContribution, frameworkProgramme; in
/// `organization.csv`: projectID, organisationID, name, activityType, role.
pub fn read_cordis(dir: &Path) -> Result<PackageBuilder, CordisError> {
    let base = if !dir.join(PROJECT_FILE).exists() && dir.join("csv").join(PROJECT_FILE).exists() {
        dir.join("csv")
    } else {
        dir.to_path_buf()
    };
    let projects = Sheet::read(&base, PROJECT_FILE, PROJECT_REQUIRED, PROJECT_OPTIONAL)?;
    let organizations = Sheet::read(
        &base,
        ORGANIZATION_FILE,
        ORGANIZATION_REQUIRED,
        ORGANIZATION_OPTIONAL,
    )?;
    let mut pkg = PackageBuilder::new(PACKAGE_NAME);
    for (file, line, message) in projects.broken.iter().chain(&organizations.broken) {
        pkg.problems.at(file, Some(*line), None, message.clone());
    }
    let project_rows = map_projects(&mut pkg, &projects);
    let (orgs, participations) = map_organizations(&mut pkg, &organizations);
    write_programmes(&mut pkg, &project_rows);
    write_projects(&mut pkg, &project_rows);
    write_funding(&mut pkg, &project_rows);
    write_organizations(&mut pkg, &orgs);
    write_participations(&mut pkg, &participations);
    pkg.notice(format!(
        "read {} projects and {} participations of {} organizations from CORDIS files in {}",
        project_rows.len(),
        organizations.rows.len(),
        orgs.len(),
        base.display()
    ));
    Ok(pkg)
}

/// One CSV file, read whole: its rows as text with their spreadsheet row
/// numbers, and where each wanted column is.
struct Sheet {
    file: &'static str,
    columns: HashMap<&'static str, usize>,
    rows: Vec<(usize, Vec<String>)>,
    /// Rows the CSV reader could not read: (file, row, message).
    broken: Vec<(&'static str, usize, String)>,
}

impl Sheet {
    fn read(
        dir: &Path,
        file: &'static str,
        required: &[&'static str],
        optional: &[&'static str],
    ) -> Result<Sheet, CordisError> {
        let path = dir.join(file);
        if !path.is_file() {
            return Err(CordisError::MissingFile {
                dir: dir.to_path_buf(),
                file,
            });
        }
        let bytes = std::fs::read(&path).map_err(|source| CordisError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut records = reader.byte_records();
        let header = loop {
            match records.next() {
                None => return Err(CordisError::Empty { file }),
                Some(Ok(h)) if h.iter().all(|c| c.is_empty()) => continue,
                Some(Ok(h)) => break h,
                Some(Err(e)) => {
                    return Err(CordisError::Io {
                        path,
                        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                    });
                }
            }
        };
        let names: Vec<String> = header
            .iter()
            .map(|c| {
                String::from_utf8_lossy(c)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_owned()
            })
            .collect();
        let mut columns = HashMap::new();
        for &want in required.iter().chain(optional) {
            match names.iter().position(|n| n.eq_ignore_ascii_case(want)) {
                Some(i) => {
                    columns.insert(want, i);
                }
                None if required.contains(&want) => {
                    return Err(CordisError::MissingColumn { file, column: want });
                }
                None => {}
            }
        }
        let mut rows = Vec::new();
        let mut broken = Vec::new();
        for record in records {
            match record {
                Ok(r) => {
                    // The spreadsheet row: records counted from the header (row 1),
                    // so a quoted cell spanning lines is still one row.
                    let line = r.position().map_or(0, |p| p.record() as usize + 1);
                    if r.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                        continue;
                    }
                    let mut cells = Vec::with_capacity(r.len());
                    for (i, c) in r.iter().enumerate() {
                        match std::str::from_utf8(c) {
                            Ok(s) => cells.push(s.trim().to_owned()),
                            Err(_) => {
                                let column = names.get(i).map_or("?", String::as_str);
                                broken.push((
                                    file,
                                    line,
                                    format!(
                                        "column {column}: the cell is not valid UTF-8; CORDIS files are UTF-8"
                                    ),
                                ));
                                cells.push(String::new());
                            }
                        }
                    }
                    rows.push((line, cells));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.record() as usize + 1);
                    broken.push((file, line, format!("the row cannot be read as CSV: {e}")));
                }
            }
        }
        Ok(Sheet {
            file,
            columns,
            rows,
            broken,
        })
    }

    /// The cell of `column` in `cells` ("" when the column or cell is absent).
    fn get<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&i| cells.get(i))
            .map_or("", String::as_str)
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
/// assert_eq!(actor_type("xyz"), None);
/// ```
pub fn actor_type(activity: &str) -> Option<&'static str> {
    match activity.trim().to_ascii_uppercase().as_str() {
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
    max_contribution: Option<f64>,
    field: String,
    status: String,
    programme: String,
}

struct OrgRow {
    line: usize,
    id: String,
    name: String,
    actor: &'static str,
    sme: bool,
    identifiers: String,
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

fn amount_of(
    pkg: &mut PackageBuilder,
    sheet: &Sheet,
    line: usize,
    cells: &[String],
    column: &str,
) -> Option<f64> {
    let text = sheet.get(cells, column);
    if text.is_empty() {
        return None;
    }
    match parse_amount(text) {
        Some(x) if x >= 0.0 => Some(x),
        _ => {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some(column),
                format!("'{text}' is not an amount; expected a number such as 1234.5 or 1234,5, zero or more"),
            );
            None
        }
    }
}

fn date_of(
    pkg: &mut PackageBuilder,
    sheet: &Sheet,
    line: usize,
    cells: &[String],
    column: &str,
) -> Option<String> {
    let text = sheet.get(cells, column);
    if text.is_empty() {
        return None;
    }
    let date = parse_date(text);
    if date.is_none() {
        pkg.problems.at(
            sheet.file,
            Some(line),
            Some(column),
            format!("'{text}' is not a date; expected YYYY-MM-DD (or DD/MM/YYYY)"),
        );
    }
    date
}

fn map_projects(pkg: &mut PackageBuilder, sheet: &Sheet) -> Vec<ProjectRow> {
    let mut out = Vec::with_capacity(sheet.rows.len());
    for (line, cells) in &sheet.rows {
        let line = *line;
        let id = sheet.get(cells, "id");
        if id.is_empty() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("id"),
                "the project id is empty; expected CORDIS's project number",
            );
            continue;
        }
        let start = date_of(pkg, sheet, line, cells, "startDate");
        let end = date_of(pkg, sheet, line, cells, "endDate");
        let budget = amount_of(pkg, sheet, line, cells, "totalCost");
        let max_contribution = amount_of(pkg, sheet, line, cells, "ecMaxContribution");
        let programme = sheet.get(cells, "frameworkProgramme").to_owned();
        if programme.is_empty() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("frameworkProgramme"),
                "the framework programme is empty; expected e.g. H2020 or HORIZON",
            );
        }
        if max_contribution.is_some() && sheet.get(cells, "startDate").is_empty() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("startDate"),
                "the start date is needed for the year of the project's EU funding",
            );
        }
        out.push(ProjectRow {
            line,
            id: format!("cordis-{id}"),
            title: sheet.get(cells, "title").to_owned(),
            start,
            end,
            budget,
            max_contribution,
            field: sheet.get(cells, "topics").to_owned(),
            status: sheet.get(cells, "status").to_ascii_lowercase(),
            programme,
        });
    }
    out
}

fn map_organizations(
    pkg: &mut PackageBuilder,
    sheet: &Sheet,
) -> (Vec<OrgRow>, Vec<ParticipationRow>) {
    let mut orgs: Vec<OrgRow> = Vec::new();
    let mut org_index: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<ParticipationRow> = Vec::with_capacity(sheet.rows.len());
    let mut part_index: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in &sheet.rows {
        let line = *line;
        let pic = sheet.get(cells, "organisationID");
        let project = sheet.get(cells, "projectID");
        let mut ok = true;
        if pic.is_empty() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("organisationID"),
                "the organisation id is empty; expected the organization's PIC number",
            );
            ok = false;
        }
        if project.is_empty() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("projectID"),
                "the project id is empty; expected the number of a project of project.csv",
            );
            ok = false;
        }
        let activity = sheet.get(cells, "activityType");
        let actor = actor_type(activity);
        if actor.is_none() {
            pkg.problems.at(
                sheet.file,
                Some(line),
                Some("activityType"),
                format!(
                    "'{activity}' is not a CORDIS activity type; expected PRC, HES, REC, PUB or OTH"
                ),
            );
            ok = false;
        }
        let contribution = amount_of(pkg, sheet, line, cells, "ecContribution");
        let (Some(actor), true) = (actor, ok) else {
            continue;
        };
        let org_id = format!("pic-{pic}");
        if !org_index.contains_key(&org_id) {
            let mut identifiers = format!("pic:{pic}");
            let vat = sheet.get(cells, "vatNumber");
            // Placeholders such as MISSING or NOTAPPLICABLE carry no digit.
            if vat.chars().any(|c| c.is_ascii_digit()) && !vat.contains([';', ':', ' ']) {
                identifiers.push_str(";vat:");
                identifiers.push_str(vat);
            }
            org_index.insert(org_id.clone(), orgs.len());
            orgs.push(OrgRow {
                line,
                id: org_id.clone(),
                name: sheet.get(cells, "name").to_owned(),
                actor,
                sme: sheet.get(cells, "SME").eq_ignore_ascii_case("true"),
                identifiers,
                region: sheet.get(cells, "nutsCode").to_owned(),
                country: sheet.get(cells, "country").to_owned(),
                website: sheet.get(cells, "organizationURL").to_owned(),
            });
        }
        let role = participation_role(sheet.get(cells, "role"));
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
    (orgs, parts)
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

fn write_programmes(pkg: &mut PackageBuilder, projects: &[ProjectRow]) {
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
        PROJECT_FILE,
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

fn write_projects(pkg: &mut PackageBuilder, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "projects",
        PROJECT_FILE,
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

fn write_funding(pkg: &mut PackageBuilder, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "funding",
        PROJECT_FILE,
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
        let (Some(amount), Some(start)) = (p.max_contribution, &p.start) else {
            continue;
        };
        t.push_row(
            p.line,
            &[
                p.id.as_str(),
                "supranational",
                &p.programme,
                &amount_text(Some(amount)),
                "EUR",
                &start[..4],
            ],
        );
    }
}

fn write_organizations(pkg: &mut PackageBuilder, orgs: &[OrgRow]) {
    let Some(mut t) = pkg.table(
        "organizations",
        ORGANIZATION_FILE,
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
        t.push_row(
            o.line,
            &[
                o.id.as_str(),
                &o.name,
                o.actor,
                if o.sme { "sme" } else { "" },
                &o.identifiers,
                &o.region,
                &o.country,
                &o.website,
            ],
        );
    }
}

fn write_participations(pkg: &mut PackageBuilder, parts: &[ParticipationRow]) {
    let Some(mut t) = pkg.table(
        "participations",
        ORGANIZATION_FILE,
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
