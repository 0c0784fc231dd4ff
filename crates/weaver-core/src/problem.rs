//! Problems found in input: each names the place (file, row, column) and what
//! was expected, so that a person can fix it.

use std::fmt;

/// One problem in a package, at a place a person can find.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file (or `workbook.xlsx › sheet`) the problem is in.
    pub file: String,
    /// The row as a spreadsheet numbers it (the header is row 1), if any.
    pub row: Option<usize>,
    /// The column name, if any.
    pub column: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ", column {col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Default number of problems kept before the rest are only counted.
pub const DEFAULT_PROBLEM_LIMIT: usize = 100;

/// The problems of one package, kept up to a limit and counted beyond it.
#[derive(Debug, Clone)]
pub struct Problems {
    kept: Vec<Problem>,
    total: usize,
    limit: usize,
}

impl Default for Problems {
    fn default() -> Self {
        Problems::with_limit(DEFAULT_PROBLEM_LIMIT)
    }
}

impl Problems {
    /// An empty list that keeps at most `limit` problems.
    pub fn with_limit(limit: usize) -> Self {
        Problems {
            kept: Vec::new(),
            total: 0,
            limit: limit.max(1),
        }
    }

    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.kept.len() < self.limit {
            self.kept.push(problem);
        }
    }

    /// Records a problem at a place.
    pub fn at(
        &mut self,
        file: &str,
        row: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
    ) {
        self.push(Problem {
            file: file.to_owned(),
            row,
            column: column.map(str::to_owned),
            message: message.into(),
        });
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many problems were found, kept or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Whether the limit has been reached (further problems are only counted).
    pub fn is_full(&self) -> bool {
        self.kept.len() >= self.limit
    }

    /// The problems kept, in the order found.
    pub fn list(&self) -> &[Problem] {
        &self.kept
    }

    /// Turns a non-empty list into an error.
    pub fn into_result(self) -> Result<(), Rejected> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Rejected(self))
        }
    }
}

/// A package refused because of its problems; nothing was changed.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Rejected(pub Problems);

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        let n = p.total();
        writeln!(
            f,
            "the package was refused with {n} problem{}; nothing was changed:",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in p.list() {
            writeln!(f, "  - {problem}")?;
        }
        if n > p.list().len() {
            writeln!(f, "  … and {} more", n - p.list().len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_kept_up_to_the_limit_and_counted() {
        let mut p = Problems::with_limit(2);
        for i in 0..5 {
            p.at("ties.csv", Some(i + 2), Some("kind"), "bad");
        }
        assert_eq!(p.total(), 5);
        assert_eq!(p.list().len(), 2);
        let text = p.into_result().unwrap_err().to_string();
        assert!(text.contains("5 problems"));
        assert!(text.contains("ties.csv, row 2, column kind: bad"));
        assert!(text.contains("… and 3 more"));
    }
}
