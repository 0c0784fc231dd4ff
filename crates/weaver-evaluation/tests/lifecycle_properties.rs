//! Properties of the lifecycle classifier that must hold for any register,
//! checked on generated ones (proptest): a cluster's stage at a period is
//! read from that cluster's own observations up to that period only, so
//! adding other clusters' observations (of any period and granularity) or
//! the cluster's own observations of later periods never changes it.
//!
//! Cases are few and the seed fixed (`weaver_testkit::properties`).

use proptest::prelude::*;
use weaver_evaluation::Observation;
use weaver_evaluation::lifecycle::{
    LifecycleRules, StageResult, classify_observations, period_position,
};

const SIGNALS: [&str; 4] = ["members", "employment", "public_funding_share", "density"];

/// A period label of year 2010 + `y`: the year, one of its quarters or one
/// of its months.
fn label(y: u32, kind: u8, part: u32) -> String {
    let year = 2010 + y;
    match kind {
        0 | 1 => year.to_string(),
        2 => format!("{year}-Q{}", part % 4 + 1),
        _ => format!("{year}-{:02}", part % 12 + 1),
    }
}

/// Observations: (unit, signal, year offset, granularity, part, value).
fn observations(units: &'static [&'static str]) -> impl Strategy<Value = Vec<Observation>> {
    prop::collection::vec(
        (
            0..units.len(),
            0..SIGNALS.len(),
            0u32..12,
            0u8..4,
            0u32..12,
            // Values that cross the shipped thresholds: shares, sizes.
            prop_oneof![0.0f64..1.0, 5.0f64..200.0],
        ),
        0..60,
    )
    .prop_map(move |cells| {
        cells
            .into_iter()
            .map(|(u, s, y, kind, part, value)| Observation {
                unit: units[u].into(),
                indicator: SIGNALS[s].into(),
                period: label(y, kind, part),
                value,
            })
            .collect()
    })
}

/// C's rows by period label, for the periods of a year up to `until`.
fn rows_of_c(obs: &[Observation], until: i64) -> Vec<(String, StageResult)> {
    let r = classify_observations(obs, &LifecycleRules::default());
    r.stages
        .iter()
        .filter(|(u, p, _)| r.units[*u] == "c" && year_of(&r.periods[*p]) <= until)
        .map(|(_, p, s)| (r.periods[*p].clone(), s.clone()))
        .collect()
}

fn year_of(label: &str) -> i64 {
    label[..4].parse().unwrap()
}

proptest! {
    #![proptest_config(weaver_testkit::properties::config(48))]

    #[test]
    fn a_stage_reads_only_its_clusters_evidence_up_to_its_period(
        own in observations(&["c"]),
        others in observations(&["o1", "o2"]),
        until in 2010i64..2022,
    ) {
        prop_assume!(own.iter().all(|o| period_position(&o.period).is_some()));
        let before: Vec<Observation> = own
            .iter()
            .filter(|o| year_of(&o.period) <= until)
            .cloned()
            .collect();
        let alone = rows_of_c(&before, until);
        // Other clusters' rows, interleaved, and C's later periods.
        let mut all = others.clone();
        all.extend(own.iter().cloned());
        all.rotate_left(others.len() / 2);
        let with = rows_of_c(&all, until);
        prop_assert_eq!(alone.len(), with.len());
        for ((pa, a), (pb, b)) in alone.iter().zip(&with) {
            prop_assert_eq!(pa, pb);
            prop_assert_eq!(a, b, "period {}", pa);
        }
    }
}
