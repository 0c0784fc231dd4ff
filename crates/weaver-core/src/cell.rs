//! Parsing one cell by its column type into a canonical [`Value`].

use crate::schema::{ColumnType, MAX_ID_LEN, MAX_LONG_TEXT_LEN, MAX_TEXT_LEN};
use crate::value::Value;
use compact_str::CompactString;

/// Parses a cell (already trimmed, non-empty) of a column of type `ty`.
///
/// Returns the canonical value, or a message saying what is wrong and what
/// was expected.
///
/// ```
/// use weaver_core::{cell::parse_cell, schema::ColumnType, Value};
/// assert_eq!(parse_cell(ColumnType::Float, "1e3"), Ok(Value::Float(1000.0)));
/// assert_eq!(parse_cell(ColumnType::Bool, "Yes"), Ok(Value::Bool(true)));
/// assert_eq!(parse_cell(ColumnType::Date, "2024-02-30").unwrap_err(),
///            "'2024-02-30' is not a valid date; expected an ISO date: YYYY-MM-DD, YYYY-MM or YYYY");
/// ```
pub fn parse_cell(ty: ColumnType, s: &str) -> Result<Value, String> {
    let bad = |what: &str| {
        Err(format!(
            "'{}' is not {what}; expected {}",
            clip(s),
            ty.expected()
        ))
    };
    match ty {
        ColumnType::Id | ColumnType::Ref(_) => {
            if s.chars().count() > MAX_ID_LEN {
                return Err(format!(
                    "the id is {} characters long; at most {MAX_ID_LEN} are allowed",
                    s.chars().count()
                ));
            }
            if s.chars().any(char::is_control) {
                return bad("a valid id (it holds a control character)");
            }
            Ok(Value::Text(s.into()))
        }
        ColumnType::Text | ColumnType::List | ColumnType::Identifiers | ColumnType::LongText => {
            let limit = if ty == ColumnType::LongText {
                MAX_LONG_TEXT_LEN
            } else {
                MAX_TEXT_LEN
            };
            let n = s.chars().count();
            if n > limit {
                return Err(format!(
                    "the text is {n} characters long; at most {limit} are allowed here"
                ));
            }
            match ty {
                ColumnType::List => Ok(Value::Text(join_items(s).into())),
                ColumnType::Identifiers => {
                    let items = join_items(s);
                    for item in items.split(';') {
                        match item.split_once(':') {
                            Some((scheme, value))
                                if !scheme.trim().is_empty() && !value.trim().is_empty() => {}
                            _ => {
                                return Err(format!(
                                    "identifier '{}' is not of the form scheme:value (e.g. pic:999999999)",
                                    clip(item)
                                ));
                            }
                        }
                    }
                    Ok(Value::Text(items.into()))
                }
                _ => Ok(Value::Text(s.into())),
            }
        }
        ColumnType::Int => match parse_int(s) {
            Some(i) => Ok(Value::Int(i)),
            None => bad("a whole number"),
        },
        ColumnType::Year => match parse_int(s) {
            Some(y) if (1000..=9999).contains(&y) => Ok(Value::Int(y)),
            _ => bad("a year"),
        },
        ColumnType::Float | ColumnType::NonNegative => match s.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                if ty == ColumnType::NonNegative && x < 0.0 {
                    return bad("zero or more");
                }
                Ok(Value::Float(if x == 0.0 { 0.0 } else { x }))
            }
            _ => bad("a number"),
        },
        ColumnType::Bool => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Value::Bool(true)),
            "false" | "no" | "0" => Ok(Value::Bool(false)),
            _ => bad("true or false"),
        },
        ColumnType::Date => {
            if is_date(s) {
                Ok(Value::Text(s.into()))
            } else {
                bad("a valid date")
            }
        }
        ColumnType::Period => {
            if is_period(s) {
                Ok(Value::Text(s.to_ascii_uppercase().into()))
            } else {
                bad("a valid period")
            }
        }
        ColumnType::Enum(names) => match names.iter().find(|n| n.eq_ignore_ascii_case(s)) {
            Some(n) => Ok(Value::Text(CompactString::const_new(n))),
            None => Err(format!("'{}' is not one of: {}", clip(s), names.join(", "))),
        },
    }
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(40).collect();
        format!("{head}…")
    } else {
        s.to_owned()
    }
}

fn join_items(s: &str) -> String {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}

fn parse_int(s: &str) -> Option<i64> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(i);
    }
    // Spreadsheets write whole numbers as 12.0.
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => Some(x as i64),
        _ => None,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Whether `s` is an ISO 8601 calendar date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some(year) = parts.first().and_then(|p| digits(p, 4)) else {
        return false;
    };
    if year < 1000 {
        return false;
    }
    match parts.len() {
        1 => true,
        2 => matches!(digits(parts[1], 2), Some(1..=12)),
        3 => {
            let (Some(m), Some(d)) = (digits(parts[1], 2), digits(parts[2], 2)) else {
                return false;
            };
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if is_leap(year) => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&d)
        }
        _ => false,
    }
}

/// Whether `s` is a period `YYYY`, `YYYY-Qn` or `YYYY-MM`.
pub fn is_period(s: &str) -> bool {
    match s.split_once('-') {
        None => digits(s, 4).is_some_and(|y| y >= 1000),
        Some((y, rest)) => {
            digits(y, 4).is_some_and(|y| y >= 1000)
                && (matches!(digits(rest, 2), Some(1..=12))
                    || (rest.len() == 2
                        && rest.as_bytes()[0].eq_ignore_ascii_case(&b'q')
                        && matches!(rest.as_bytes()[1], b'1'..=b'4')))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::ActorType;

    #[test]
    fn dates() {
        for ok in ["2024", "2024-02", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "",
            "24",
            "2023-02-29",
            "1900-02-29",
            "2024-13",
            "2024-1-5",
            "2024/01/05",
            "2024-01-05T00:00",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn periods() {
        for ok in ["2024", "2024-Q3", "2024-q1", "2024-07"] {
            assert!(is_period(ok), "{ok}");
        }
        for bad in ["2024-Q5", "2024-13", "Q3-2024", "2024-H1"] {
            assert!(!is_period(bad), "{bad}");
        }
        assert_eq!(
            parse_cell(ColumnType::Period, "2024-q3"),
            Ok(Value::Text("2024-Q3".into()))
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_cell(ColumnType::Int, "12.0"), Ok(Value::Int(12)));
        assert!(parse_cell(ColumnType::Int, "12.5").is_err());
        assert!(parse_cell(ColumnType::Float, "NaN").is_err());
        assert!(parse_cell(ColumnType::Float, "1,5").is_err());
        assert_eq!(
            parse_cell(ColumnType::NonNegative, "-3").unwrap_err(),
            "'-3' is not zero or more; expected a number, zero or more, such as 1234.5"
        );
        assert!(parse_cell(ColumnType::Year, "999").is_err());
        assert_eq!(parse_cell(ColumnType::Float, "-0"), Ok(Value::Float(0.0)));
    }

    #[test]
    fn enums_and_lists() {
        assert_eq!(
            parse_cell(ColumnType::Enum(ActorType::NAMES), "University"),
            Ok(Value::Text("university".into()))
        );
        assert_eq!(
            parse_cell(ColumnType::List, " C26; C27 ;"),
            Ok(Value::Text("C26;C27".into()))
        );
        assert!(parse_cell(ColumnType::Identifiers, "pic:123;uscc").is_err());
        let long = "x".repeat(MAX_TEXT_LEN + 1);
        assert!(
            parse_cell(ColumnType::Text, &long)
                .unwrap_err()
                .contains("at most 1000")
        );
    }
}
