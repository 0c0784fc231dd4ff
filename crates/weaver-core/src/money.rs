//! Money in the register: currency codes (ISO 4217), the currency of a
//! country, and the fixed grammar of monetary indicator units.
//!
//! # Monetary units
//!
//! An indicator's `unit` says whether its observations are amounts of money
//! (and so carry a currency, the observation's `currency` column). The
//! grammar is fixed; words are separated by spaces and compared without
//! regard to case:
//!
//! | unit | meaning |
//! |---|---|
//! | `money` | an amount in the observation's currency |
//! | `money thousand`, `money million`, `money billion` | thousands, millions, billions of it |
//! | `<anything> per money`, `<anything> per money thousand` (`million`, `billion`) | money in the denominator, e.g. `MWh per money million` |
//! | anything else | not monetary (no currency) |
//!
//! ```
//! use weaver_core::money::{Monetary, monetary_unit};
//! assert_eq!(monetary_unit("money million"), Some(Monetary::Amount { scale: 1e6 }));
//! assert_eq!(monetary_unit("MWh per money million"), Some(Monetary::PerAmount { scale: 1e6 }));
//! assert_eq!(monetary_unit("patents per 10k employees"), None);
//! assert_eq!(monetary_unit("million EUR"), None);
//! ```
//!
//! # Conversion
//!
//! Exchange rates are kept as data (`exchange_rates`: units of a currency
//! per 1 EUR, yearly average). A value `v` in currency `c` is in currency
//! `t` of the same year `v · r(t) / r(c)` when the money is the amount, and
//! `v · r(c) / r(t)` when the money is in the denominator (with `r(EUR) =
//! 1`); the scale (thousand, million, …) is the same on both sides.
//!
//! ```
//! use weaver_core::money::{Monetary, convert};
//! // 7.8 million CNY at 7.8 CNY per EUR is 1.0 million EUR.
//! let m = Monetary::Amount { scale: 1e6 };
//! assert!((convert(m, 7.8, 7.8, 1.0) - 1.0).abs() < 1e-12);
//! // 7.8 MWh per million CNY is 60.84 MWh per million EUR.
//! let p = Monetary::PerAmount { scale: 1e6 };
//! assert!((convert(p, 7.8, 7.8, 1.0) - 60.84).abs() < 1e-9);
//! ```

/// The currency every rate is quoted against (`per_eur`).
pub const BASE: &str = "EUR";

/// What kind of money a monetary unit holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Monetary {
    /// An amount of money, `scale` units of the currency per 1 of the value.
    Amount {
        /// 1, 1e3, 1e6 or 1e9.
        scale: f64,
    },
    /// Something per amount of money (money in the denominator).
    PerAmount {
        /// 1, 1e3, 1e6 or 1e9.
        scale: f64,
    },
}

fn scale_of(words: &[String]) -> Option<f64> {
    match words {
        [] => Some(1.0),
        [w] => match w.as_str() {
            "thousand" => Some(1e3),
            "million" => Some(1e6),
            "billion" => Some(1e9),
            _ => None,
        },
        _ => None,
    }
}

/// Whether an indicator's `unit` is monetary, and how (see the [module
/// docs](self) for the grammar); `None` for every other unit.
pub fn monetary_unit(unit: &str) -> Option<Monetary> {
    let words: Vec<String> = unit
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    match words.first().map(String::as_str) {
        Some("money") => scale_of(&words[1..]).map(|scale| Monetary::Amount { scale }),
        _ => {
            let at = words
                .windows(2)
                .position(|w| w[0] == "per" && w[1] == "money")?;
            if at == 0 {
                return None;
            }
            scale_of(&words[at + 2..]).map(|scale| Monetary::PerAmount { scale })
        }
    }
}

/// A value of unit kind `m` in a currency quoted at `from_per_eur` per EUR,
/// in a currency quoted at `to_per_eur` per EUR (of the same year).
pub fn convert(m: Monetary, value: f64, from_per_eur: f64, to_per_eur: f64) -> f64 {
    match m {
        Monetary::Amount { .. } => value * to_per_eur / from_per_eur,
        Monetary::PerAmount { .. } => value * from_per_eur / to_per_eur,
    }
}

/// The currency of a country (ISO 3166-1 alpha-2, any case), for money
/// entered without one: CN → CNY, the euro area → EUR, GB → GBP, US → USD,
/// JP → JPY, and a few others; `None` for a country not in the map.
pub fn country_currency(country: &str) -> Option<&'static str> {
    let c = country.trim().to_ascii_uppercase();
    Some(match c.as_str() {
        "CN" => "CNY",
        "AT" | "BE" | "CY" | "DE" | "EE" | "ES" | "FI" | "FR" | "GR" | "HR" | "IE" | "IT"
        | "LT" | "LU" | "LV" | "MT" | "NL" | "PT" | "SI" | "SK" => "EUR",
        "GB" | "UK" => "GBP",
        "US" => "USD",
        "JP" => "JPY",
        "CH" => "CHF",
        "KR" => "KRW",
        "HK" => "HKD",
        "TW" => "TWD",
        "SE" => "SEK",
        "DK" => "DKK",
        "NO" => "NOK",
        "PL" => "PLN",
        "CZ" => "CZK",
        "HU" => "HUF",
        "IN" => "INR",
        "SG" => "SGD",
        "CA" => "CAD",
        "AU" => "AUD",
        _ => return None,
    })
}

/// The active ISO 4217 currency codes (alphabetic), sorted.
pub const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
];

/// The canonical (upper-case) code of `code` if it is an ISO 4217 currency.
///
/// ```
/// assert_eq!(weaver_core::money::currency("cny"), Some("CNY"));
/// assert_eq!(weaver_core::money::currency("RMB"), None);
/// ```
pub fn currency(code: &str) -> Option<&'static str> {
    let up = code.trim().to_ascii_uppercase();
    CURRENCIES
        .binary_search(&up.as_str())
        .ok()
        .map(|i| CURRENCIES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currency_list_is_sorted_and_of_codes() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(
            CURRENCIES
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        for c in ["CN", "DE", "FR", "GB", "US", "JP", "it"] {
            let cur = country_currency(c).unwrap();
            assert_eq!(currency(cur), Some(cur));
        }
        assert_eq!(country_currency("ZZ"), None);
    }

    #[test]
    fn the_unit_grammar() {
        let amount = |s| Some(Monetary::Amount { scale: s });
        let per = |s| Some(Monetary::PerAmount { scale: s });
        assert_eq!(monetary_unit("money"), amount(1.0));
        assert_eq!(monetary_unit("  Money   Thousand "), amount(1e3));
        assert_eq!(monetary_unit("money billion"), amount(1e9));
        assert_eq!(monetary_unit("MWh per money million"), per(1e6));
        assert_eq!(monetary_unit("jobs per money"), per(1.0));
        assert_eq!(monetary_unit("money trillion"), None);
        assert_eq!(monetary_unit("money million per year"), None);
        assert_eq!(monetary_unit("per money"), None);
        assert_eq!(monetary_unit("count"), None);
        assert_eq!(monetary_unit(""), None);
    }

    #[test]
    fn conversion_is_hand_worked() {
        // 7.8 million CNY at 7.8 per EUR, to EUR: 1.0; to GBP at 0.85: 0.85.
        let m = Monetary::Amount { scale: 1e6 };
        assert!((convert(m, 7.8, 7.8, 1.0) - 1.0).abs() < 1e-12);
        assert!((convert(m, 7.8, 7.8, 0.85) - 0.85).abs() < 1e-12);
        // 2 EUR-millions to CNY at 7.8: 15.6.
        assert!((convert(m, 2.0, 1.0, 7.8) - 15.6).abs() < 1e-12);
        // 10 MWh per million EUR is 10 / 7.8 MWh per million CNY.
        let p = Monetary::PerAmount { scale: 1e6 };
        assert!((convert(p, 10.0, 1.0, 7.8) - 10.0 / 7.8).abs() < 1e-12);
    }
}
