//! Reading a dump's two files: which files and columns each layout has,
//! and the rows of one file (its header, then only the wanted cells of each
//! row, with the spreadsheet row number and the rows that cannot be read).

use std::collections::HashMap;
use std::path::Path;

use super::{CordisError, Layout};

/// The organization file's columns by which each layout is told.
pub(super) const ORG_HORIZON_EUROPE: &[&str] = &[
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "role",
];
pub(super) const ORG_HORIZON_2020: &[&str] = &[
    "projectRcn",
    "projectID",
    "id",
    "name",
    "activityType",
    "role",
];

pub(super) const PROJECT_FILES: &[&str] = &["project.csv", "cordis-h2020projects.csv"];
pub(super) const ORGANIZATION_FILES: &[&str] =
    &["organization.csv", "cordis-h2020organizations.csv"];

pub(super) const PROJECT_REQUIRED: &[&str] = &[
    "id",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "frameworkProgramme",
];
pub(super) const PROJECT_OPTIONAL: &[&str] = &[
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
pub(super) const ORGANIZATION_REQUIRED: &[&str] = &[
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "role",
];
pub(super) const ORGANIZATION_OPTIONAL: &[&str] = &[
    "shortName",
    "vatNumber",
    "SME",
    "country",
    "nutsCode",
    "organizationURL",
    "ecContribution",
];
pub(super) fn find_file(dir: &Path, names: &[&'static str]) -> Result<&'static str, CordisError> {
    names
        .iter()
        .copied()
        .find(|f| dir.join(f).is_file())
        .ok_or(CordisError::MissingFile {
            dir: dir.to_path_buf(),
            file: names[0],
        })
}

pub(super) fn has(names: &[String], column: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(column))
}
/// One CSV file: its header, then its rows as text with their spreadsheet
/// row numbers, only the cells of the wanted columns.
pub(super) struct Sheet {
    pub(super) file: &'static str,
    pub(super) bytes: Vec<u8>,
    /// Where the first record after the header starts.
    pub(super) body: csv::Position,
    pub(super) names: Vec<String>,
    /// Wanted column → (position in the file, position in a kept row).
    pub(super) wanted: Vec<usize>,
    pub(super) columns: HashMap<&'static str, usize>,
    pub(super) rows: Vec<(usize, Vec<String>)>,
    /// Rows the CSV reader could not read: (file, row, message).
    pub(super) broken: Vec<(&'static str, usize, String)>,
}

pub(super) fn csv_reader(bytes: &[u8]) -> csv::Reader<std::io::Cursor<&[u8]>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Cursor::new(bytes))
}

impl Sheet {
    /// Reads the file and its header.
    pub(super) fn open(dir: &Path, file: &'static str) -> Result<Sheet, CordisError> {
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
    pub(super) fn bind(
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
    pub(super) fn read_rows(&mut self, progress: &mut dyn FnMut(&str, usize, usize)) {
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
    pub(super) fn get<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&i| cells.get(i))
            .map_or("", String::as_str)
    }

    pub(super) fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}
