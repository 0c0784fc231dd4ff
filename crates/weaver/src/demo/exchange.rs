//! The demo's exchange rates: units of CNY, GBP, USD and JPY per 1 EUR,
//! yearly averages 2015–2024, as the European Central Bank publishes them
//! (euro foreign exchange reference rates, annual averages of the daily
//! reference rates: ECB Data Portal, series `EXR.A.{CUR}.EUR.SP00.A`).
//! These are real, published figures, not synthetic ones, typed in with
//! the precision the ECB gives; the money of the demo's Chinese clusters
//! (in CNY) is compared with the European clusters' (in EUR) at them.

use weaver_core::PackageBuilder;

/// Where the rates come from, as every row cites it.
pub const SOURCE: &str = "ECB euro foreign exchange reference rates, annual average \
                          (ECB Data Portal, EXR.A.{currency}.EUR.SP00.A)";

/// (currency, units per 1 EUR for 2015, 2016, …, 2024).
pub const RATES: &[(&str, [&str; 10])] = &[
    (
        "CNY",
        [
            "6.9733", "7.3522", "7.6290", "7.8081", "7.7355", "7.8747", "7.6282", "7.0788",
            "7.6600", "7.7875",
        ],
    ),
    (
        "GBP",
        [
            "0.72584", "0.81948", "0.87667", "0.88471", "0.87777", "0.88970", "0.85960", "0.85276",
            "0.86979", "0.84662",
        ],
    ),
    (
        "USD",
        [
            "1.1095", "1.1069", "1.1297", "1.1810", "1.1195", "1.1422", "1.1827", "1.0530",
            "1.0813", "1.0824",
        ],
    ),
    (
        "JPY",
        [
            "134.31", "120.20", "126.71", "130.40", "122.01", "121.85", "129.88", "138.03",
            "151.99", "163.85",
        ],
    ),
];

/// Writes the `exchange_rates` table (public rows).
pub fn exchange_rates(pkg: &mut PackageBuilder) {
    let header: Vec<String> = ["currency", "year", "per_eur", "source", "visibility"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let Some(mut t) = pkg.table("exchange_rates", "demo › exchange_rates", &header) else {
        return;
    };
    let mut line = 2;
    for (currency, rates) in RATES {
        let source = SOURCE.replace("{currency}", currency);
        for (k, rate) in rates.iter().enumerate() {
            let year = (super::FIRST_YEAR + k as i32).to_string();
            t.push_row(
                line,
                &[*currency, year.as_str(), *rate, source.as_str(), "public"],
            );
            line += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rates_cover_the_demo_years_and_read_as_numbers() {
        assert_eq!(super::super::LAST_YEAR - super::super::FIRST_YEAR + 1, 10);
        for (currency, rates) in RATES {
            assert_eq!(weaver_core::money::currency(currency), Some(*currency));
            for r in rates {
                let x: f64 = r.parse().unwrap();
                assert!(x > 0.0, "{currency} {r}");
            }
        }
        // The brief's anchors: CNY per EUR ≈ 6.97 in 2015 and ≈ 7.79 in 2024.
        let cny = RATES[0].1;
        assert_eq!((cny[0], cny[9]), ("6.9733", "7.7875"));
    }
}
