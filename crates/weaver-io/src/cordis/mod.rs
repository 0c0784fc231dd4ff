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
//!
//! # The module's parts
//!
//! `read` finds the two files and reads their rows (only the wanted
//! columns, on two cores); `cells` reads one cell (amounts, dates, codes);
//! `map` turns the rows into projects, organizations and participations,
//! deriving what is missing; `gaps` collects what was derived or left out
//! as [`Warning`]s; `package` writes the rows as the package's tables.

mod cells;
mod gaps;
mod map;
mod package;
mod read;

use std::fmt;
use std::path::{Path, PathBuf};

use weaver_core::PackageBuilder;

pub use cells::{actor_type, parse_amount, parse_date, participation_role};
pub use gaps::Warning;

use gaps::Gaps;
use read::{
    ORG_HORIZON_2020, ORG_HORIZON_EUROPE, ORGANIZATION_FILES, ORGANIZATION_OPTIONAL,
    ORGANIZATION_REQUIRED, PROJECT_FILES, PROJECT_OPTIONAL, PROJECT_REQUIRED, Sheet, find_file,
    has,
};

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
    let (orgs, participations) = map::map_organizations(&mut gaps, &organizations);
    let project_rows = map::map_projects(&mut gaps, &projects, &participations);
    package::write_programmes(&mut pkg, project_file, &project_rows);
    package::write_projects(&mut pkg, project_file, &project_rows);
    package::write_funding(&mut pkg, project_file, &project_rows);
    package::write_organizations(&mut pkg, org_file, &orgs);
    package::write_participations(&mut pkg, org_file, &participations);
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
