//! Tables that the engine commands print, following docs/methods.md (Conventions):
//! CSV with a header (UTF-8, comma separated) or, with `--json`, a JSON array of
//! objects; floats in shortest round-trip form, an undefined value as an empty
//! cell (JSON `null`), booleans as `true`/`false`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// One cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, printed as given (ids exactly as in the input).
    Str(String),
    /// An integer.
    Int(i64),
    /// A float; NaN prints as an empty cell (`null` in JSON).
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// No value: an empty cell (`null` in JSON).
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Str(s.to_owned())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Str(s)
    }
}
impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Float(x)
    }
}
impl From<i64> for Cell {
    fn from(x: i64) -> Self {
        Cell::Int(x)
    }
}
impl From<usize> for Cell {
    fn from(x: usize) -> Self {
        Cell::Int(i64::try_from(x).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Bool(b)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// Formats a float in shortest round-trip form; NaN is the empty string.
///
/// ```
/// assert_eq!(weaver::output::format_f64(0.1), "0.1");
/// assert_eq!(weaver::output::format_f64(2.0), "2");
/// assert_eq!(weaver::output::format_f64(f64::NAN), "");
/// ```
pub fn format_f64(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else if x == 0.0 {
        // Avoid printing "-0".
        "0".into()
    } else {
        format!("{x}")
    }
}

impl Cell {
    fn to_csv(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(x) => format_f64(*x),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Str(s) => serde_json::Value::String(s.clone()),
            Cell::Int(i) => serde_json::Value::from(*i),
            Cell::Float(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Bool(b) => serde_json::Value::Bool(*b),
            Cell::Empty => serde_json::Value::Null,
        }
    }
}

/// A table of results: a header and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: AsRef<str>>(columns: &[S]) -> Self {
        Table {
            columns: columns.iter().map(|c| c.as_ref().to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends one row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Writes the table as CSV.
    pub fn write_csv<W: Write>(&self, out: W) -> anyhow::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::to_csv))?;
        }
        w.flush()?;
        Ok(())
    }

    /// The table as a JSON array of objects, one per row.
    pub fn to_json(&self) -> serde_json::Value {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let obj = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.clone(), v.to_json()))
                    .collect::<serde_json::Map<_, _>>();
                serde_json::Value::Object(obj)
            })
            .collect();
        serde_json::Value::Array(rows)
    }

    /// Writes the table to `out` (a file) or to standard output; as JSON when
    /// `json` is set, as CSV otherwise.
    pub fn emit(&self, out: Option<&Path>, json: bool) -> anyhow::Result<()> {
        let write = |w: &mut dyn Write| -> anyhow::Result<()> {
            if json {
                serde_json::to_writer_pretty(&mut *w, &self.to_json())?;
                writeln!(w)?;
                Ok(())
            } else {
                self.write_csv(w)
            }
        };
        match out {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                let mut buf = std::io::BufWriter::new(file);
                write(&mut buf)?;
                buf.flush()?;
                Ok(())
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                write(&mut lock)
            }
        }
    }
}

/// Opens a CSV file for reading with a header row; a UTF-8 byte order mark is
/// skipped. Errors name the file.
pub fn open_csv(path: &Path) -> anyhow::Result<csv::Reader<std::fs::File>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_follows_the_conventions() {
        let mut t = Table::new(&["node", "x", "flag", "n"]);
        t.push(vec!["a".into(), 0.5.into(), true.into(), 3_i64.into()]);
        t.push(vec![
            "b,c".into(),
            f64::NAN.into(),
            false.into(),
            Cell::Empty,
        ]);
        let mut buf = Vec::new();
        t.write_csv(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "node,x,flag,n\na,0.5,true,3\n\"b,c\",,false,\n"
        );
        let json = t.to_json();
        assert_eq!(json[1]["x"], serde_json::Value::Null);
        assert_eq!(json[0]["x"], serde_json::json!(0.5));
    }
}
