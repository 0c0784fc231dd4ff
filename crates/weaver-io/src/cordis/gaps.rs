//! The gap report: one [`Warning`] per kind of gap met while mapping a
//! dump (what was derived or left out), with its count and first rows.

use std::collections::HashMap;
use std::fmt;

use super::WARNING_ROWS;

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

/// The warnings being collected, one per kind of gap.
#[derive(Default)]
pub(super) struct Gaps {
    pub(super) list: Vec<Warning>,
    pub(super) index: HashMap<(&'static str, &'static str, &'static str), usize>,
}

impl Gaps {
    pub(super) fn add(
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
