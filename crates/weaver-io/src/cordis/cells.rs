//! Reading one CORDIS cell: amounts, dates, activity types, roles, and the
//! codes that name a programme.

/// Parses a CORDIS amount: decimal point or decimal comma, optional
/// thousands separators (the other of the two), optional spaces.
///
/// ```
/// use weaver_io::cordis::parse_amount;
/// assert_eq!(parse_amount("1234,5"), Some(1234.5));
/// assert_eq!(parse_amount("1234.5"), Some(1234.5));
/// assert_eq!(parse_amount("1.234.567,89"), Some(1234567.89));
/// assert_eq!(parse_amount("1,234,567.89"), Some(1234567.89));
/// assert_eq!(parse_amount("12x"), None);
/// ```
pub fn parse_amount(text: &str) -> Option<f64> {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if s.is_empty() {
        return None;
    }
    let normal = match (s.rfind(','), s.rfind('.')) {
        (Some(c), Some(d)) if c > d => s.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => s.replace(',', ""),
        (Some(_), None) if s.matches(',').count() == 1 => s.replace(',', "."),
        (Some(_), None) => s.replace(',', ""),
        _ => s,
    };
    if !normal
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    normal.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parses a CORDIS date to ISO `YYYY-MM-DD`: `2018-01-01`,
/// `2018-01-01 00:00:00`, or `01/01/2018`.
///
/// ```
/// use weaver_io::cordis::parse_date;
/// assert_eq!(parse_date("2021-09-01").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("2021-09-01 00:00:00").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("01/09/2021").as_deref(), Some("2021-09-01"));
/// assert_eq!(parse_date("2021-13-01"), None);
/// ```
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let iso = if let Some((d, rest)) = t.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        let y = y.split_whitespace().next()?;
        format!("{y:0>4}-{m:0>2}-{d:0>2}")
    } else {
        t.split(['T', ' ']).next()?.to_owned()
    };
    let parts: Vec<&str> = iso.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days).then_some(iso)
}

/// The actor type of a CORDIS `activityType`.
///
/// ```
/// use weaver_io::cordis::actor_type;
/// assert_eq!(actor_type("HES"), Some("university"));
/// assert_eq!(actor_type("PRC - Private for-profit entities"), Some("enterprise"));
/// assert_eq!(actor_type("xyz"), None);
/// assert_eq!(actor_type("PRCX"), None);
/// ```
pub fn actor_type(activity: &str) -> Option<&'static str> {
    // The code may be followed by its label ("PRC - Private for-profit …").
    let t = activity.trim();
    let code = match t.char_indices().nth(3) {
        Some((i, c)) if !c.is_alphanumeric() => &t[..i],
        _ => t,
    };
    match code.to_ascii_uppercase().as_str() {
        "PRC" => Some("enterprise"),
        "HES" => Some("university"),
        "REC" => Some("research"),
        "PUB" => Some("government"),
        "OTH" => Some("intermediary"),
        _ => None,
    }
}

/// The participation role of a CORDIS `role`: coordinator → coordinator,
/// participant → partner, anything else → associate.
///
/// ```
/// use weaver_io::cordis::participation_role;
/// assert_eq!(participation_role("participant"), "partner");
/// assert_eq!(participation_role("thirdParty"), "associate");
/// ```
pub fn participation_role(role: &str) -> &'static str {
    match role.trim().to_ascii_lowercase().as_str() {
        "coordinator" => "coordinator",
        "participant" => "partner",
        _ => "associate",
    }
}

/// What a number or date cell held.
pub(super) enum ParsedCell<T> {
    Empty,
    Bad,
    Good(T),
}

pub(super) fn amount_cell(text: &str) -> ParsedCell<f64> {
    if text.is_empty() {
        return ParsedCell::Empty;
    }
    match parse_amount(text) {
        Some(x) if x >= 0.0 => ParsedCell::Good(x),
        _ => ParsedCell::Bad,
    }
}

pub(super) fn date_cell(text: &str) -> ParsedCell<String> {
    if text.is_empty() {
        return ParsedCell::Empty;
    }
    parse_date(text).map_or(ParsedCell::Bad, ParsedCell::Good)
}

/// The programme a code such as a legal basis, call or topic starts with.
pub(super) fn programme_of_code(code: &str) -> Option<&'static str> {
    let c = code.trim().to_ascii_uppercase();
    if c.starts_with("H2020") {
        Some("H2020")
    } else if c.starts_with("HORIZON") {
        Some("HORIZON")
    } else if c.starts_with("FP7") {
        Some("FP7")
    } else {
        None
    }
}

/// The normal form of a VAT number for comparing (`None` for placeholders
/// such as MISSING or NOTAPPLICABLE, which carry no digit).
pub(super) fn vat_key(vat: &str) -> Option<String> {
    let key: String = vat
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    key.chars().any(|c| c.is_ascii_digit()).then_some(key)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_either_decimal_mark() {
        assert_eq!(parse_amount("2500000"), Some(2_500_000.0));
        assert_eq!(parse_amount("2500000,75"), Some(2_500_000.75));
        assert_eq!(parse_amount("2 500 000,75"), Some(2_500_000.75));
        assert_eq!(parse_amount("1,234"), Some(1.234));
        assert_eq!(parse_amount("1,234,567"), Some(1_234_567.0));
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("NaN"), None);
        assert_eq!(parse_amount("inf"), None);
    }

    #[test]
    fn dates_are_checked_and_made_iso() {
        assert_eq!(parse_date("2020-02-29").as_deref(), Some("2020-02-29"));
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(
            parse_date("2021-09-01T00:00:00").as_deref(),
            Some("2021-09-01")
        );
        assert_eq!(parse_date("1/9/2021").as_deref(), Some("2021-09-01"));
        assert_eq!(parse_date("September 2021"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn roles_and_activity_types_map_as_documented() {
        assert_eq!(participation_role("partner"), "associate");
        assert_eq!(participation_role("internationalPartner"), "associate");
        assert_eq!(participation_role(""), "associate");
        assert_eq!(actor_type("prc"), Some("enterprise"));
        assert_eq!(actor_type("REC"), Some("research"));
        assert_eq!(actor_type("PUB"), Some("government"));
        assert_eq!(actor_type("OTH"), Some("intermediary"));
        assert_eq!(actor_type(""), None);
    }
}
