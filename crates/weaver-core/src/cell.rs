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
            if let Some((i, c)) = forbidden(s, Allowed::Id) {
                return Err(format!(
                    "'{}' is not a valid id: character {} is {}; expected {}",
                    clip(&s.escape_debug().to_string()),
                    i + 1,
                    what_char(c),
                    ty.expected()
                ));
            }
            Ok(Value::Text(s.into()))
        }
        ColumnType::Text
        | ColumnType::List
        | ColumnType::Identifiers
        | ColumnType::LongText
        | ColumnType::Url => {
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
            let allowed = if ty == ColumnType::LongText {
                Allowed::LongText
            } else {
                Allowed::Text
            };
            if let Some((i, c)) = forbidden(s, allowed) {
                return Err(format!(
                    "character {} of the text is {}; {}",
                    i + 1,
                    what_char(c),
                    if allowed == Allowed::LongText {
                        "only printable text, tabs and line breaks are allowed here"
                    } else {
                        "only printable text on one line is allowed here"
                    }
                ));
            }
            match ty {
                ColumnType::Url if !is_web_address(s) => Err(format!(
                    "'{}' is not a web address; expected {}",
                    clip(s),
                    ty.expected()
                )),
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
        ColumnType::Count => match parse_int(s) {
            Some(i) if i >= 0 => Ok(Value::Int(i)),
            Some(_) => bad("zero or more"),
            None => bad("a whole number"),
        },
        ColumnType::Year => match parse_int(s) {
            Some(y) if (1000..=9999).contains(&y) => Ok(Value::Int(y)),
            _ => bad("a year"),
        },
        ColumnType::Float | ColumnType::NonNegative | ColumnType::Positive => {
            match s.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    if ty == ColumnType::NonNegative && x < 0.0 {
                        return bad("zero or more");
                    }
                    if ty == ColumnType::Positive && x <= 0.0 {
                        return bad("above zero");
                    }
                    Ok(Value::Float(if x == 0.0 { 0.0 } else { x }))
                }
                _ => bad("a number"),
            }
        }
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
        ColumnType::Currency => match crate::money::currency(s) {
            Some(code) => Ok(Value::Text(CompactString::const_new(code))),
            None => Err(format!(
                "'{}' is not an ISO 4217 currency code; expected {}",
                clip(s),
                ty.expected()
            )),
        },
        ColumnType::Enum(names) => match names.iter().find(|n| n.eq_ignore_ascii_case(s)) {
            Some(n) => Ok(Value::Text(CompactString::const_new(n))),
            None => Err(format!("'{}' is not one of: {}", clip(s), names.join(", "))),
        },
    }
}

/// What a cell may hold besides printable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// An id: no control character, no bidirectional control (which makes
    /// an id read otherwise than it is), no noncharacter.
    Id,
    /// Short text: no control character.
    Text,
    /// Long text: tabs and line breaks too.
    LongText,
}

/// Whether `c` is a bidirectional formatting control: the marks, embeddings,
/// overrides and isolates of Unicode's bidirectional algorithm.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is a Unicode noncharacter (U+FDD0–U+FDEF and the last two
/// code points of every plane), never meant for interchange.
pub fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// The first character of `s` (its index in characters, and itself) that a
/// cell of this kind may not hold. A byte scan first: only a byte below
/// 0x20, 0x7F or the lead byte of one of the few code points in question
/// (C1 controls: 0xC2; for ids also U+061C: 0xD8, U+200E–U+2069: 0xE2,
/// noncharacters: 0xEF and 0xF0–0xF4) makes it look at characters.
fn forbidden(s: &str, allowed: Allowed) -> Option<(usize, char)> {
    let id = allowed == Allowed::Id;
    let suspect = s.bytes().any(|b| {
        b < 0x20 || b == 0x7f || b == 0xc2 || (id && matches!(b, 0xd8 | 0xe2 | 0xef | 0xf0..=0xf4))
    });
    if !suspect {
        return None;
    }
    s.chars().enumerate().find(|&(_, c)| {
        if c.is_control() {
            !(allowed == Allowed::LongText && matches!(c, '\t' | '\n' | '\r'))
        } else {
            id && (is_bidi_control(c) || is_noncharacter(c))
        }
    })
}

/// A forbidden character described for a message.
fn what_char(c: char) -> String {
    let kind = if c.is_control() {
        "a control character"
    } else if is_bidi_control(c) {
        "a bidirectional control"
    } else {
        "a noncharacter"
    };
    format!("{kind} (U+{:04X})", u32::from(c))
}

/// Whether `s` is a web address a register may link to: `http://` or
/// `https://` and a host, or a host name and path without a scheme
/// (`www.example.org/about`); nothing with another scheme (`javascript:`,
/// `data:`, `file:`), no spaces.
pub fn is_web_address(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        // No scheme: a host name first, no colon before the path.
        let head = s.split(['/', '?', '#']).next().unwrap_or("");
        return s.starts_with(|c: char| c.is_alphanumeric())
            && head.contains('.')
            && !head.contains(':');
    };
    rest.starts_with(|c: char| c.is_alphanumeric() || c == '[')
}

pub(crate) fn clip(s: &str) -> String {
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

pub(crate) fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

pub(crate) fn is_leap(y: u32) -> bool {
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

/// Whether `s` is a period `YYYY`, `YYYY-Qn` or `YYYY-MM`: whether
/// [`Period`](crate::period::Period) parses it.
pub fn is_period(s: &str) -> bool {
    s.parse::<crate::period::Period>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::ActorType;

    #[test]
    fn ids_refuse_controls_bidi_controls_and_noncharacters() {
        assert!(parse_cell(ColumnType::Id, "org-1 清华").is_ok());
        for (bad, what) in [
            ("evil\u{202E}gpj.exe", "a bidirectional control (U+202E)"),
            ("a\u{2066}b", "a bidirectional control (U+2066)"),
            ("a\u{200F}", "a bidirectional control (U+200F)"),
            ("x\u{FFFF}", "a noncharacter (U+FFFF)"),
            ("x\u{FDD0}", "a noncharacter (U+FDD0)"),
            ("x\u{1FFFE}", "a noncharacter (U+1FFFE)"),
            ("a\u{0}b", "a control character (U+0000)"),
            ("a\u{85}b", "a control character (U+0085)"),
        ] {
            for ty in [ColumnType::Id, ColumnType::Ref(&["organizations"])] {
                let e = parse_cell(ty, bad).unwrap_err();
                assert!(e.contains(what), "{bad:?}: {e}");
                assert!(!e.contains(bad), "the message shows the id escaped: {e}");
            }
        }
    }

    #[test]
    fn text_refuses_control_characters_long_text_keeps_breaks() {
        for ty in [ColumnType::Text, ColumnType::List, ColumnType::Url] {
            for bad in [
                "a\u{0}b",
                "\u{1b}[31mred",
                "tab\there",
                "line\nbreak",
                "a\u{7f}",
                "a\u{9b}31m",
            ] {
                let e = parse_cell(ty, bad).unwrap_err();
                assert!(e.contains("a control character (U+"), "{ty:?} {bad:?}: {e}");
            }
        }
        assert_eq!(
            parse_cell(ColumnType::Text, "\u{1b}[2J").unwrap_err(),
            "character 1 of the text is a control character (U+001B); \
             only printable text on one line is allowed here"
        );
        assert!(parse_cell(ColumnType::Text, "Acme \u{202E} GmbH 清华 ñ").is_ok());
        assert!(parse_cell(ColumnType::LongText, "line one\r\n\tline two").is_ok());
        let e = parse_cell(ColumnType::LongText, "ok\n\u{1b}]0;title\u{7}").unwrap_err();
        assert!(
            e.contains("character 4 of the text is a control character (U+001B)"),
            "{e}"
        );
    }

    #[test]
    fn web_addresses_are_http_or_https() {
        for ok in [
            "https://example.org",
            "HTTP://example.org/a?b=c#d",
            "www.example.org",
            "example.org/about:us",
            "https://[::1]:8080/",
        ] {
            assert!(parse_cell(ColumnType::Url, ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "vbscript:x",
            "//evil.example",
            "http://",
            "https:// example.org",
            "example",
        ] {
            let e = parse_cell(ColumnType::Url, bad).unwrap_err();
            assert!(e.contains("http:// or https://"), "{bad}: {e}");
        }
    }

    #[test]
    fn counts_are_zero_or_more() {
        assert_eq!(parse_cell(ColumnType::Count, "0"), Ok(Value::Int(0)));
        assert_eq!(parse_cell(ColumnType::Count, "250.0"), Ok(Value::Int(250)));
        assert_eq!(
            parse_cell(ColumnType::Count, "-1").unwrap_err(),
            "'-1' is not zero or more; expected a whole number, zero or more"
        );
        assert!(parse_cell(ColumnType::Count, "1.5").is_err());
    }

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
        assert_eq!(
            parse_cell(ColumnType::Positive, "0").unwrap_err(),
            "'0' is not above zero; expected a number above zero, such as 1 or 2.5"
        );
        assert!(parse_cell(ColumnType::Positive, "-0.5").is_err());
        assert_eq!(
            parse_cell(ColumnType::Positive, "0.25"),
            Ok(Value::Float(0.25))
        );
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
