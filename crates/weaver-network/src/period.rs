//! Slicing dated ties by period: only the ties valid in the period enter the
//! graph.

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

/// The first and last day (`YYYY-MM-DD`) of a period written `2024`,
/// `2024-Q3` or `2024-07` (the observation periods of docs/methods.md,
/// Conventions).
///
/// # Errors
/// [`NetworkError::InvalidArgument`] for any other form.
///
/// # Example
/// ```
/// use weaver_network::period_bounds;
/// assert_eq!(period_bounds("2024-Q3").unwrap(), ("2024-07-01".into(), "2024-09-30".into()));
/// assert_eq!(period_bounds("2024-02").unwrap(), ("2024-02-01".into(), "2024-02-29".into()));
/// ```
pub fn period_bounds(period: &str) -> Result<(String, String), NetworkError> {
    let bad = || NetworkError::InvalidArgument {
        name: "period",
        value: period.to_owned(),
        expected: "YYYY, YYYY-Qn or YYYY-MM",
    };
    let year: i32 = period
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse().ok())
        .ok_or_else(bad)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let last_day = |m: u32| match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let rest = &period[4..];
    let (m1, m2) = if rest.is_empty() {
        (1, 12)
    } else if let Some(q) = rest.strip_prefix("-Q") {
        let q: u32 = q
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(bad)?;
        (3 * q - 2, 3 * q)
    } else if let Some(m) = rest.strip_prefix('-') {
        let m: u32 = (m.len() == 2)
            .then(|| m.parse().ok())
            .flatten()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(bad)?;
        (m, m)
    } else {
        return Err(bad());
    };
    Ok((
        format!("{year:04}-{m1:02}-01"),
        format!("{year:04}-{m2:02}-{:02}", last_day(m2)),
    ))
}

/// The ties valid at some day of the period: start ≤ last day of the period
/// and end ≥ first day (a missing bound is open). A partial date compares as
/// its first day for a start (`2024` = 2024-01-01) and its last day for an
/// end (`2024` = 2024-12-31).
///
/// # Errors
/// [`NetworkError::InvalidArgument`] for a malformed period.
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
/// assert_eq!(slice_period(&ties, "2024").unwrap().len(), 2);
/// ```
pub fn slice_period(ties: &[DatedTie], period: &str) -> Result<Vec<EdgeRecord>, NetworkError> {
    let (first, last) = period_bounds(period)?;
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
        .filter(|t| t.start.as_deref().is_none_or(|s| as_start(s) <= last))
        .filter(|t| t.end.as_deref().is_none_or(|e| as_end(e) >= first))
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
    fn bounds_of_periods() {
        assert_eq!(
            period_bounds("2024").unwrap(),
            ("2024-01-01".into(), "2024-12-31".into())
        );
        assert_eq!(period_bounds("2023-02").unwrap().1, "2023-02-28");
        assert_eq!(period_bounds("1900-02").unwrap().1, "1900-02-28");
        assert_eq!(period_bounds("2000-02").unwrap().1, "2000-02-29");
        assert_eq!(period_bounds("2024-Q1").unwrap().1, "2024-03-31");
        for bad in ["24", "2024-Q5", "2024-13", "2024-7", "abcd", "2024Q1", ""] {
            assert!(period_bounds(bad).is_err(), "{bad}");
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
        let q3 = slice_period(&ties, "2024-Q3").unwrap();
        assert_eq!(q3.len(), 2);
        assert_eq!(slice_period(&ties, "2024-06").unwrap().len(), 3);
        assert!(slice_period(&ties, "2024-X").is_err());
    }
}
