//! Periods and validity: which facts hold in a reporting period.
//!
//! A period is `YYYY`, `YYYY-Qn` or `YYYY-MM`; a fact's validity runs from its
//! start (`since`, `start`) to its end (`until`, `end`), each an ISO date that
//! may be partial (`2020` means from 1 January when it starts, to 31 December
//! when it ends) or missing (open). A fact holds in a period when the two
//! intervals overlap.

use crate::cell::{is_date, is_period};

/// The first and last day of a period, as ISO dates.
///
/// ```
/// use weaver_core::period::period_bounds;
/// assert_eq!(period_bounds("2024-Q3"), Some(("2024-07-01".into(), "2024-09-30".into())));
/// assert_eq!(period_bounds("2024-02"), Some(("2024-02-01".into(), "2024-02-29".into())));
/// assert_eq!(period_bounds("2024"), Some(("2024-01-01".into(), "2024-12-31".into())));
/// assert_eq!(period_bounds("24"), None);
/// ```
pub fn period_bounds(period: &str) -> Option<(String, String)> {
    if !is_period(period) {
        return None;
    }
    let (year, rest) = period.split_once('-').unwrap_or((period, ""));
    if rest.is_empty() {
        return Some((format!("{year}-01-01"), format!("{year}-12-31")));
    }
    if let Some(q) = rest.strip_prefix(['Q', 'q']) {
        let q: u32 = q.parse().ok()?;
        let first = format!("{year}-{:02}", 3 * q - 2);
        let last = format!("{year}-{:02}", 3 * q);
        return Some((floor(&first)?, ceil(&last)?));
    }
    let month = format!("{year}-{rest}");
    Some((floor(&month)?, ceil(&month)?))
}

/// The first day a partial date can mean: `2020` → `2020-01-01`.
pub fn floor(date: &str) -> Option<String> {
    if !is_date(date) {
        return None;
    }
    Some(match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_owned(),
    })
}

/// The last day a partial date can mean: `2020` → `2020-12-31`, `2024-02` → `2024-02-29`.
pub fn ceil(date: &str) -> Option<String> {
    if !is_date(date) {
        return None;
    }
    Some(match date.len() {
        4 => format!("{date}-12-31"),
        7 => {
            let last = (28..=31)
                .rev()
                .find(|d| is_date(&format!("{date}-{d:02}")))?;
            format!("{date}-{last:02}")
        }
        _ => date.to_owned(),
    })
}

/// Whether a fact valid from `start` to `end` (either open when `None`) holds
/// at some time in `period`. Without a period every fact holds.
///
/// ```
/// use weaver_core::period::valid_in;
/// assert!(valid_in(Some("2019-06-01"), None, Some("2024")));
/// assert!(valid_in(Some("2024"), Some("2024"), Some("2024-Q2")));
/// assert!(!valid_in(Some("2025-01-01"), None, Some("2024")));
/// assert!(!valid_in(None, Some("2023-12-31"), Some("2024")));
/// assert!(valid_in(None, None, None));
/// ```
pub fn valid_in(start: Option<&str>, end: Option<&str>, period: Option<&str>) -> bool {
    let Some((p0, p1)) = period.and_then(period_bounds) else {
        return true;
    };
    let starts_in_time = start.and_then(floor).is_none_or(|s| s <= p1);
    let lasts_into = end.and_then(ceil).is_none_or(|e| e >= p0);
    starts_in_time && lasts_into
}
