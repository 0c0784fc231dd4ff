//! Reading and writing packages as one `.xlsx` workbook, a sheet per table.

use calamine::{Data, Reader, Xlsx};
use weaver_core::schema::Storage;
use weaver_core::{PackageBuilder, TableData, Value};

use crate::IoError;

/// The text of a workbook cell as a CSV cell would hold it: whole numbers
/// without `.0`, dates as ISO `YYYY-MM-DD`. Excel error cells are problems.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(x) => weaver_core::value::format_float(*x),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the spreadsheet error {e}")),
    })
}

/// Reads every sheet of a workbook as a table.
pub(crate) fn read_workbook(
    reader: impl std::io::Read + std::io::Seek,
    label: &str,
    pkg: &mut PackageBuilder,
) {
    let mut book = match Xlsx::new(reader) {
        Ok(b) => b,
        Err(e) => {
            pkg.file_problem(
                label,
                format!("is not a readable .xlsx workbook (truncated or damaged?): {e}"),
            );
            return;
        }
    };
    let sheets = book.sheet_names().to_vec();
    if sheets.is_empty() {
        pkg.file_problem(label, "holds no sheets");
        return;
    }
    for sheet in sheets {
        let origin = format!("{label} › {sheet}");
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                pkg.file_problem(&origin, format!("cannot read the sheet: {e}"));
                continue;
            }
        };
        let mut rows = range.rows();
        let Some(head) = rows.next() else {
            pkg.file_problem(
                &origin,
                format!("the sheet is empty; expected a header row with the columns of {sheet}"),
            );
            continue;
        };
        // A workbook's used range starts at its first used cell; rows are
        // numbered as the spreadsheet shows them.
        let first_row = range.start().map_or(0, |(r, _)| r as usize) + 1;
        let mut header: Vec<String> = head
            .iter()
            .map(|c| cell_text(c).unwrap_or_default())
            .collect();
        while header.last().is_some_and(|h| h.trim().is_empty()) {
            header.pop();
        }
        let Some(mut table) = pkg.table(&sheet, &origin, &header) else {
            continue;
        };
        for (i, row) in rows.enumerate() {
            let line = first_row + 1 + i;
            let mut cells = Vec::with_capacity(row.len());
            let mut bad = false;
            for c in row {
                match cell_text(c) {
                    Ok(t) => cells.push(t),
                    Err(message) => {
                        table.problem_at(line, message);
                        bad = true;
                        break;
                    }
                }
            }
            if bad || cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            table.push_row(line, &cells);
        }
    }
}

/// Writes tables as a workbook: a bold header row, numbers as numbers, text
/// as text (so codes such as `0101` keep their zeros).
pub(crate) fn write_workbook(
    tables: &[TableData],
    properties: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<Vec<u8>, IoError> {
    let err = |e: rust_xlsxwriter::XlsxError| IoError::Write {
        path: "workbook".into(),
        message: e.to_string(),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    // What a zip says in datapackage.json beside its resources (a partial
    // export's `weaver` mark) a workbook keeps as custom document
    // properties, each the property's JSON text: a sheet of its own would be
    // read back as a table.
    if let Some(properties) = properties.filter(|p| !p.is_empty()) {
        let mut doc = rust_xlsxwriter::DocProperties::new();
        for (name, value) in properties {
            doc = doc.set_custom_property(name.as_str(), value.to_string().as_str());
        }
        book.set_properties(&doc);
    }
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for t in tables {
        // Rows are written in order; each finished one goes to a temporary
        // file, strings still shared as Excel writes them.
        let sheet = book.add_worksheet_with_low_memory().map_err(err)?;
        sheet.set_name(t.schema.name).map_err(err)?;
        for (c, col) in t.schema.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, col.name, &bold)
                .map_err(err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, (v, col)) in row.iter().zip(t.schema.columns).enumerate() {
                let c = c as u16;
                match v {
                    Value::Null => {}
                    Value::Bool(b) => {
                        sheet.write_boolean(r, c, *b).map_err(err)?;
                    }
                    Value::Int(i) if col.ty.storage() == Storage::Integer => {
                        sheet.write_number(r, c, *i as f64).map_err(err)?;
                    }
                    Value::Float(x) => {
                        sheet.write_number(r, c, *x).map_err(err)?;
                    }
                    other => {
                        sheet.write_string(r, c, other.to_text()).map_err(err)?;
                    }
                }
            }
        }
    }
    book.save_to_buffer().map_err(err)
}
