//! Plain CSV tables read by column name: the inputs of the engine commands
//! (regional activity, cluster definitions, hierarchies, benchmarks), which
//! are not register tables and have no schema.
//!
//! [`CsvTable`] reads a file record by record with the `csv` reader and
//! names the file, the line and the column of whatever is wrong.
//! [`plain_parts`] is the fast path for big files: a file that is plain
//! UTF-8 without any quote is cut at line ends into parts that callers parse
//! on every core; anything unusual is left to [`CsvTable`], which reports it.

use std::path::Path;

/// Why a CSV table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The file cannot be opened.
    #[error("cannot open {path}: {source}")]
    Open {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// Something in the file is wrong: the message names the line and
    /// column where there is one.
    #[error("{file}: {message}")]
    At {
        /// The file.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
}

/// Every error about a CSV input reads the same way: the file, then the
/// line, then the column, then the problem —
/// `{file}: line {line}, column {column}: {problem}`, leaving out the parts
/// a problem has not (a whole record has no column, a missing column no
/// line). The command line reads all its CSV inputs with these.
impl CsvError {
    /// A problem in a cell: `{file}: line {line}, column {column}: {message}`.
    pub fn cell(file: &str, line: usize, column: &str, message: impl std::fmt::Display) -> Self {
        CsvError::At {
            file: file.to_owned(),
            message: format!("line {line}, column {column}: {message}"),
        }
    }

    /// A problem of a whole record: `{file}: line {line}: {message}`.
    pub fn line(file: &str, line: usize, message: impl std::fmt::Display) -> Self {
        CsvError::At {
            file: file.to_owned(),
            message: format!("line {line}: {message}"),
        }
    }

    /// A problem of the whole file: `{file}: {message}`.
    pub fn file(file: &str, message: impl std::fmt::Display) -> Self {
        CsvError::At {
            file: file.to_owned(),
            message: message.to_string(),
        }
    }

    /// A column the file lacks: `{file}: missing column {column} (header:
    /// {header, comma-separated})`.
    pub fn missing_column(file: &str, column: &str, header: &[String]) -> Self {
        CsvError::At {
            file: file.to_owned(),
            message: format!("missing column {column} (header: {})", header.join(",")),
        }
    }
}

/// A header cell as the tables name columns: trimmed, without a byte order
/// mark, in lower case.
pub fn column_name(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
}

/// A CSV file with a header row, read record by record; columns are found
/// by name ([`column_name`]).
pub struct CsvTable {
    name: String,
    reader: csv::Reader<std::fs::File>,
    header: Vec<String>,
    raw_header: Vec<String>,
}

impl CsvTable {
    /// Opens `path` and reads its header (a UTF-8 byte order mark is
    /// skipped); every record must have as many fields as the header.
    pub fn open(path: &Path) -> Result<CsvTable, CsvError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| CsvError::Open {
            path: name.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(file);
        let raw_header: Vec<String> = reader
            .headers()
            .map_err(|e| CsvError::At {
                file: name.clone(),
                message: format!("cannot read the header: {e}"),
            })?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        let header = raw_header.iter().map(|h| column_name(h)).collect();
        Ok(CsvTable {
            name,
            reader,
            header,
            raw_header,
        })
    }

    /// The file's name, as errors give it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The column names as the file writes them (trimmed, without a byte
    /// order mark, case kept): for tables whose columns are user data, such
    /// as a nodes table's attributes.
    pub fn raw_header(&self) -> &[String] {
        &self.raw_header
    }

    /// The position of column `name` (compared as a [`column_name`], so in
    /// any case), if the file has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = column_name(name);
        self.header.iter().position(|h| *h == name)
    }

    /// The position of the first of `names` the file has (`unit`, else
    /// `cluster`).
    pub fn column_of(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.column(n))
    }

    /// The position of column `name`, or an error naming the file and its
    /// header.
    pub fn required(&self, name: &str) -> Result<usize, CsvError> {
        self.column(name)
            .ok_or_else(|| CsvError::missing_column(&self.name, name, &self.header))
    }

    /// Calls `f(line, record)` for every record; `line` is the 1-based line
    /// number in the file where the record starts, as the `csv` reader
    /// counts it (the header is line 1; quoted line ends count). A record
    /// that cannot be read stops the reading with an error naming its line.
    pub fn rows<E: From<CsvError>>(
        &mut self,
        mut f: impl FnMut(usize, &csv::StringRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rec = csv::StringRecord::new();
        let mut line = 1;
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(true) => {
                    line = rec.position().map_or(line + 1, |p| p.line() as usize);
                    f(line, &rec)?;
                }
                Ok(false) => return Ok(()),
                Err(e) => {
                    let at = e.position().map_or(line + 1, |p| p.line() as usize);
                    return Err(CsvError::line(&self.name, at, e).into());
                }
            }
        }
    }
}

/// A plain CSV text cut for reading on every core: its header
/// ([`column_name`]s) and its body in consecutive parts of whole lines.
#[derive(Debug, Clone)]
pub struct PlainParts<'a> {
    /// The column names.
    pub header: Vec<String>,
    /// The body, in order; each part ends at a line end (the last at the
    /// text's end).
    pub parts: Vec<&'a str>,
}

/// Cuts `bytes` into at most `threads` parts of at least `min_part` bytes,
/// after line ends, when the text is plain: UTF-8, without any quote and
/// without a carriage return in its header other than before the line
/// end. `None` for any other text (the careful [`CsvTable`] reads it).
pub fn plain_parts(bytes: &[u8], threads: usize, min_part: usize) -> Option<PlainParts<'_>> {
    if bytes.contains(&b'"') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let (header, body) = text.split_once('\n')?;
    let header: Vec<String> = header
        .strip_suffix('\r')
        .unwrap_or(header)
        .split(',')
        .map(column_name)
        .collect();
    if header.iter().any(|h| h.contains('\r')) {
        return None;
    }
    let threads = threads.clamp(1, body.len() / min_part.max(1) + 1);
    let mut parts = Vec::with_capacity(threads);
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
        parts.push(&body[start..end]);
        start = end;
    }
    Some(PlainParts { header, parts })
}

/// The number of lines of a text of whole lines (a last line without its
/// end counts).
pub fn line_count(text: &str) -> usize {
    let ends = text.bytes().filter(|&b| b == b'\n').count();
    ends + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_cut_after_line_ends_and_keeps_every_byte() {
        let text = "\u{feff}Region, A ,b\r\nx,1,2\r\ny,3,4\nz,5,6";
        for threads in [1, 2, 3, 8] {
            let p = plain_parts(text.as_bytes(), threads, 1).unwrap();
            assert_eq!(p.header, ["region", "a", "b"]);
            assert_eq!(p.parts.concat(), "x,1,2\r\ny,3,4\nz,5,6", "{threads}");
            // Each part ends at a line end or at the text's end.
            let mut end = 0;
            for part in &p.parts {
                end += part.len();
                assert!(part.ends_with('\n') || end == 18, "{part:?}");
            }
            assert_eq!(p.parts.iter().map(|p| line_count(p)).sum::<usize>(), 3);
        }
        assert!(plain_parts(b"a,b\n\"x\",1\n", 2, 1).is_none(), "quotes");
        assert!(plain_parts(b"a\rb,c\nx,1\n", 2, 1).is_none(), "a lone CR");
        assert!(plain_parts(b"a,b", 2, 1).is_none(), "no line end");
        assert!(plain_parts(b"a,b\n\xff,1\n", 2, 1).is_none(), "not UTF-8");
    }

    #[test]
    fn every_error_reads_file_line_column_problem() {
        let e = |e: CsvError| e.to_string();
        assert_eq!(
            e(CsvError::cell(
                "a.csv",
                3,
                "weight",
                "expected a number > 0, found \"x\""
            )),
            "a.csv: line 3, column weight: expected a number > 0, found \"x\""
        );
        assert_eq!(
            e(CsvError::line("a.csv", 4, "unit \"u\" is listed twice")),
            "a.csv: line 4: unit \"u\" is listed twice"
        );
        assert_eq!(
            e(CsvError::missing_column(
                "a.csv",
                "id",
                &["x".into(), "y".into()]
            )),
            "a.csv: missing column id (header: x,y)"
        );
        assert_eq!(e(CsvError::file("a.csv", "no rows")), "a.csv: no rows");
    }

    #[test]
    fn a_table_names_its_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "\u{feff}Name, Value\na,1\nb,2,3\n").unwrap();
        let mut t = CsvTable::open(&path).unwrap();
        assert_eq!(t.header(), ["name", "value"]);
        assert_eq!(t.column("value"), Some(1));
        assert_eq!(t.column(" Value"), Some(1), "any case");
        assert_eq!(t.column_of(&["unit", "name"]), Some(0));
        assert_eq!(t.raw_header(), ["Name", "Value"]);
        let e = t.required("year").unwrap_err().to_string();
        assert!(
            e.ends_with("t.csv: missing column year (header: name,value)"),
            "{e}"
        );
        let mut seen = Vec::new();
        let e = t
            .rows(|line, rec| {
                seen.push((line, rec.get(0).unwrap_or("").to_owned()));
                Ok::<(), CsvError>(())
            })
            .unwrap_err()
            .to_string();
        assert_eq!(seen, [(2, "a".to_owned())]);
        assert!(e.contains("t.csv: line 3: "), "{e}");
        // Lines are the file's: a quoted line end counts.
        std::fs::write(&path, "a,b\n\"x\ny\",1\nz,\n").unwrap();
        let mut t = CsvTable::open(&path).unwrap();
        let mut lines = Vec::new();
        t.rows(|line, _| {
            lines.push(line);
            Ok::<(), CsvError>(())
        })
        .unwrap();
        assert_eq!(lines, [2, 4]);
        let e = CsvTable::open(&dir.path().join("none.csv"))
            .err()
            .unwrap()
            .to_string();
        assert!(e.starts_with("cannot open "), "{e}");
        assert_eq!(
            CsvError::cell("f.csv", 4, "year", "expected a year").to_string(),
            "f.csv: line 4, column year: expected a year"
        );
    }
}
