//! Industry classifications and regions: the names a register may give a
//! classification (`regional_activity.classification`,
//! `clusters.sector_classification`), each with its aliases, and the checks
//! of a region's country and centroid.
//!
//! An industry code means nothing without its classification: `C26` is
//! "computer, electronic and optical products" in NACE Rev. 2 and "chemical
//! raw materials and products" in GB/T 4754-2017. The mapping therefore
//! computes within one classification at a time (README, "Cluster mapping").

/// The classifications accepted, by their canonical name, each with the
/// other ways registers write it (compared without case, spaces, dots,
/// hyphens, slashes and underscores).
pub const CLASSIFICATIONS: &[(&str, &[&str])] = &[
    (
        "GB/T 4754-2017",
        &["GB/T 4754", "GBT 4754-2017", "CSIC 2017"],
    ),
    ("GB/T 4754-2011", &["GBT 4754-2011", "CSIC 2011"]),
    ("NACE Rev. 2", &["NACE", "NACE 2", "NACE R2", "NACE Rev 2"]),
    ("NACE Rev. 2.1", &["NACE 2.1", "NACE R2.1"]),
    ("NAICS 2022", &["NAICS22"]),
    ("NAICS 2017", &["NAICS17"]),
    ("ISIC Rev. 4", &["ISIC", "ISIC 4", "ISIC R4"]),
    ("ISIC Rev. 5", &["ISIC 5", "ISIC R5"]),
    ("WZ 2008", &["WZ08"]),
    ("NAF rév. 2", &["NAF Rev. 2", "NAF 2", "NAF 2008"]),
    ("SIC 2007", &["UK SIC 2007", "UKSIC 2007"]),
    ("ATECO 2007", &["ATECO"]),
    ("ANZSIC 2006", &["ANZSIC"]),
    ("JSIC Rev. 14", &["JSIC"]),
];

/// The name of the section of activity that states no classification.
pub const UNSTATED: &str = "unstated";

/// `name` without case, spaces, dots, hyphens, slashes and underscores
/// (and with `rév` read as `rev`).
fn folded(name: &str) -> String {
    name.to_lowercase()
        .replace("rév", "rev")
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '_'))
        .collect()
}

/// The canonical name of the classification `name` (or one of its aliases);
/// `Err` lists the names accepted.
///
/// ```
/// use weaver_core::classification::canonical;
/// assert_eq!(canonical("nace rev 2"), Ok("NACE Rev. 2"));
/// assert_eq!(canonical("GB/T 4754"), Ok("GB/T 4754-2017"));
/// assert!(canonical("SITC").unwrap_err().contains("NAICS 2022"));
/// ```
pub fn canonical(name: &str) -> Result<&'static str, String> {
    let key = folded(name);
    for (canon, aliases) in CLASSIFICATIONS {
        if folded(canon) == key || aliases.iter().any(|a| folded(a) == key) {
            return Ok(canon);
        }
    }
    let names: Vec<&str> = CLASSIFICATIONS.iter().map(|(c, _)| *c).collect();
    Err(format!(
        "'{name}' is not a known industry classification; the classifications are: {}",
        names.join(", ")
    ))
}

/// Checks an ISO 3166-1 alpha-2 country code: two capital letters A–Z.
pub fn check_country(code: &str) -> Result<(), String> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "'{code}' is not an ISO 3166-1 alpha-2 country code (two capital letters, such as DE or CN)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_is_its_own_and_the_names_do_not_collide() {
        for (canon, aliases) in CLASSIFICATIONS {
            assert_eq!(canonical(canon), Ok(*canon));
            for a in *aliases {
                assert_eq!(canonical(a), Ok(*canon), "{a}");
            }
        }
        assert_eq!(canonical("NAF rev 2"), Ok("NAF rév. 2"));
        assert!(canonical("").is_err());
    }

    #[test]
    fn countries_are_two_capital_letters() {
        assert!(check_country("DE").is_ok());
        for bad in ["de", "DEU", "D", "D1", "ÄÖ"] {
            assert!(check_country(bad).is_err(), "{bad}");
        }
    }
}
