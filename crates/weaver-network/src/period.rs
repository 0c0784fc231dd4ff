//! Slicing dated ties by period: only the ties valid in the period enter the
//! graph.
//!
//! The engine parses no periods: the caller gives the period's first and
//! last day (`weaver_core::period::Period::bounds`, the one parser of
//! periods in Weaver, for `2024`, `2024-Q3` or `2024-07`).

use crate::{EdgeRecord, NetworkError};

/// A tie with an optional validity interval (ISO 8601 dates `YYYY-MM-DD`,
/// or a prefix `YYYY` / `YYYY-MM`; open ends are `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct DatedTie {
    /// The tie.
    pub edge: EdgeRecord,
    /// First day of validity.
    pub start: Option<String>,
    /// Last day of validity.
    pub end: Option<String>,
}

/// Whether `d` is a full ISO date `YYYY-MM-DD` (digits in place; the
/// calendar is the caller's).
fn is_day(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The ties valid at some day of the period from `first` to `last` (ISO
/// dates `YYYY-MM-DD`, both included): start ≤ `last` and end ≥ `first` (a
/// missing bound is open). A partial date compares as its first day for a
/// start (`2024` = 2024-01-01) and its last day for an end (`2024` =
/// 2024-12-31).
///
/// # Errors
/// [`NetworkError::InvalidArgument`] when `first` or `last` is not a date
/// `YYYY-MM-DD` or `last` is before `first`.
///
/// # Example
/// ```
/// use weaver_network::{slice_period, DatedTie, EdgeRecord};
/// let t = |s: Option<&str>, e: Option<&str>| DatedTie {
///     edge: EdgeRecord::new("a", "b", 1.0),
///     start: s.map(Into::into),
///     end: e.map(Into::into),
/// };
/// let ties = vec![t(Some("2023-05-01"), Some("2024-01-15")), t(Some("2025"), None), t(None, None)];
/// assert_eq!(slice_period(&ties, "2024-01-01", "2024-12-31").unwrap().len(), 2);
/// ```
pub fn slice_period(
    ties: &[DatedTie],
    first: &str,
    last: &str,
) -> Result<Vec<EdgeRecord>, NetworkError> {
    for (name, value) in [("first", first), ("last", last)] {
        if !is_day(value) {
            return Err(NetworkError::InvalidArgument {
                name,
                value: value.to_owned(),
                expected: "a date YYYY-MM-DD",
            });
        }
    }
    if last < first {
        return Err(NetworkError::InvalidArgument {
            name: "last",
            value: last.to_owned(),
            expected: "a day on or after the first day",
        });
    }
    let as_start = |d: &str| match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_owned(),
    };
    let as_end = |d: &str| match d.len() {
        4 => format!("{d}-12-31"),
        7 => format!("{d}-31"),
        _ => d.to_owned(),
    };
    Ok(ties
        .iter()
        .filter(|t| {
            t.start
                .as_deref()
                .is_none_or(|s| as_start(s).as_str() <= last)
        })
        .filter(|t| t.end.as_deref().is_none_or(|e| as_end(e).as_str() >= first))
        .map(|t| t.edge.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(s: Option<&str>, e: Option<&str>) -> DatedTie {
        DatedTie {
            edge: EdgeRecord::new("a", "b", 1.0),
            start: s.map(Into::into),
            end: e.map(Into::into),
        }
    }

    #[test]
    fn validity_overlaps_the_period() {
        let ties = vec![
            tie(Some("2024-06-30"), Some("2024-07-01")), // touches Q3 on its first day
            tie(Some("2024-10-01"), None),               // starts after Q3
            tie(None, Some("2024-06")),                  // ends with June
            tie(Some("2024"), Some("2024")),             // the whole year
        ];
        let q3 = slice_period(&ties, "2024-07-01", "2024-09-30").unwrap();
        assert_eq!(q3.len(), 2);
        assert_eq!(
            slice_period(&ties, "2024-06-01", "2024-06-30")
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn bounds_must_be_days_in_order() {
        for (first, last) in [
            ("2024", "2024-12-31"),
            ("2024-01-01", "2024-Q3"),
            ("2024-12-31", "2024-01-01"),
            ("", ""),
        ] {
            assert!(slice_period(&[], first, last).is_err(), "{first}..{last}");
        }
    }
}
