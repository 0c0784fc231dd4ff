//! Periods and validity: which facts hold in a reporting period.
//!
//! A period is `YYYY`, `YYYY-Qn` or `YYYY-MM` ([`Period`], the one parser of
//! periods in Weaver); a fact's validity runs from its start (`since`,
//! `start`) to its end (`until`, `end`), each an ISO date that may be partial
//! (`2020` means from 1 January when it starts, to 31 December when it ends)
//! or missing (open). A fact holds in a period when the two intervals overlap.

use std::fmt;
use std::str::FromStr;

use crate::cell::{clip, digits, is_date, is_leap};

/// A reporting period: a year (`2024`), a quarter (`2024-Q3`) or a month
/// (`2024-07`).
///
/// It parses (case-insensitively: `2024-q3` is `2024-Q3`) from that text
/// and prints, serialises and deserialises as it; any other text is a
/// [`PeriodError`], whose message is the one users see wherever a period is
/// given (an option, a query parameter, a campaign).
///
/// ```
/// use weaver_core::period::Period;
/// let q3: Period = "2024-q3".parse().unwrap();
/// assert_eq!(q3.to_string(), "2024-Q3");
/// assert_eq!(q3.bounds(), ("2024-07-01".into(), "2024-09-30".into()));
/// assert_eq!(q3.year(), 2024);
/// assert_eq!("2024-02".parse::<Period>().unwrap().bounds().1, "2024-02-29");
/// assert_eq!(
///     "24".parse::<Period>().unwrap_err().to_string(),
///     "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '24'"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    year: u16,
    part: Part,
}

/// Which part of its year a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Year,
    Quarter(u8),
    Month(u8),
}

/// Text that is not a period: the one message for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '{0}'")]
pub struct PeriodError(pub String);

impl Period {
    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The first and the last month (1–12) of the period.
    fn months(self) -> (u32, u32) {
        match self.part {
            Part::Year => (1, 12),
            Part::Quarter(q) => (3 * u32::from(q) - 2, 3 * u32::from(q)),
            Part::Month(m) => (u32::from(m), u32::from(m)),
        }
    }

    /// The first and last day of the period, as ISO dates (`YYYY-MM-DD`).
    pub fn bounds(self) -> (String, String) {
        let (m1, m2) = self.months();
        let y = self.year;
        let last = match m2 {
            2 if is_leap(u32::from(y)) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (
            format!("{y:04}-{m1:02}-01"),
            format!("{y:04}-{m2:02}-{last:02}"),
        )
    }

    /// Whether a fact valid from `start` to `end` (partial ISO dates, each
    /// open when `None`) holds at some day of the period.
    ///
    /// ```
    /// use weaver_core::period::Period;
    /// let p: Period = "2024".parse().unwrap();
    /// assert!(p.holds(Some("2019-06-01"), None));
    /// assert!(!p.holds(Some("2025-01-01"), None));
    /// assert!(!p.holds(None, Some("2023-12-31")));
    /// ```
    pub fn holds(self, start: Option<&str>, end: Option<&str>) -> bool {
        let (p0, p1) = self.bounds();
        let starts_in_time = start.and_then(floor).is_none_or(|s| s <= p1);
        let lasts_into = end.and_then(ceil).is_none_or(|e| e >= p0);
        starts_in_time && lasts_into
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError(clip(s));
        let (y, rest) = s.split_once('-').unwrap_or((s, ""));
        let year = digits(y, 4)
            .filter(|y| *y >= 1000)
            .and_then(|y| u16::try_from(y).ok())
            .ok_or_else(bad)?;
        let part = if s.len() == 4 {
            Part::Year
        } else if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            match digits(q, 1) {
                Some(q @ 1..=4) => Part::Quarter(q as u8),
                _ => return Err(bad()),
            }
        } else {
            match digits(rest, 2) {
                Some(m @ 1..=12) => Part::Month(m as u8),
                _ => return Err(bad()),
            }
        };
        Ok(Period { year, part })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            Part::Year => write!(f, "{:04}", self.year),
            Part::Quarter(q) => write!(f, "{:04}-Q{q}", self.year),
            Part::Month(m) => write!(f, "{:04}-{m:02}", self.year),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
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
/// at some time in `period` ([`Period::holds`]). Without a period every fact
/// holds.
///
/// ```
/// use weaver_core::period::{valid_in, Period};
/// let p = |s: &str| s.parse::<Period>().unwrap();
/// assert!(valid_in(Some("2019-06-01"), None, Some(p("2024"))));
/// assert!(valid_in(Some("2024"), Some("2024"), Some(p("2024-Q2"))));
/// assert!(!valid_in(Some("2025-01-01"), None, Some(p("2024"))));
/// assert!(!valid_in(None, Some("2023-12-31"), Some(p("2024"))));
/// assert!(valid_in(None, None, None));
/// ```
pub fn valid_in(start: Option<&str>, end: Option<&str>, period: Option<Period>) -> bool {
    period.is_none_or(|p| p.holds(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_of_periods() {
        let b = |s: &str| s.parse::<Period>().unwrap().bounds();
        assert_eq!(b("2024"), ("2024-01-01".into(), "2024-12-31".into()));
        assert_eq!(b("2023-02").1, "2023-02-28");
        assert_eq!(b("1900-02").1, "1900-02-28");
        assert_eq!(b("2000-02").1, "2000-02-29");
        assert_eq!(b("2024-Q1").1, "2024-03-31");
        assert_eq!(b("2024-Q4"), ("2024-10-01".into(), "2024-12-31".into()));
        for bad in [
            "24", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-7", "abcd", "2024Q1", "",
            "0999", "2024-", "2024-Q", "2024-Q12", "Q3-2024", "2024-H1", "+024",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn prints_canonically_and_round_trips() {
        for (given, shown) in [
            ("2024", "2024"),
            ("2024-q3", "2024-Q3"),
            ("2024-07", "2024-07"),
        ] {
            let p: Period = given.parse().unwrap();
            assert_eq!(p.to_string(), shown);
            assert_eq!(shown.parse::<Period>().unwrap(), p);
        }
    }

    #[test]
    fn a_long_bad_period_is_clipped_in_the_message() {
        let long = "x".repeat(100);
        let msg = long.parse::<Period>().unwrap_err().to_string();
        assert!(msg.ends_with("…'"), "{msg}");
        assert!(msg.len() < 140, "{msg}");
    }

    #[test]
    fn validity_overlaps_the_period() {
        let q3: Period = "2024-Q3".parse().unwrap();
        assert!(q3.holds(Some("2024-06-30"), Some("2024-07-01")));
        assert!(!q3.holds(Some("2024-10-01"), None));
        assert!(!q3.holds(None, Some("2024-06")));
        assert!(q3.holds(Some("2024"), Some("2024")));
        let june: Period = "2024-06".parse().unwrap();
        assert!(june.holds(None, Some("2024-06")));
    }
}
