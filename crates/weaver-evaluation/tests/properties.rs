//! Properties of the composite index that must hold for any panel, checked
//! on generated ones (proptest): a ranking does not depend on the order in
//! which the observations come (the units then come in another order: each
//! keeps its score and rank).
//!
//! Cases are few and the seed fixed (`weaver_testkit::properties`).

use std::collections::BTreeMap;

use proptest::prelude::*;
use weaver_evaluation::index::IndexResult;
use weaver_evaluation::method::Normalisation;
use weaver_evaluation::{
    Direction, IndexMethod, IndexOptions, Indicator, Observation, Panel, composite_index,
};
use weaver_testkit::close;

/// Per (period, unit): score and rank.
type Ranking = BTreeMap<(String, String), (f64, Option<usize>)>;

/// The result by period and unit id, whatever order the units came in.
fn ranking(r: &IndexResult) -> Ranking {
    let mut out = BTreeMap::new();
    for p in &r.periods {
        for (u, unit) in r.units.iter().enumerate() {
            out.insert((p.period.clone(), unit.clone()), (p.scores[u], p.ranks[u]));
        }
    }
    out
}

fn assert_same(a: &Ranking, b: &Ranking) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same units and periods"
    );
    for (k, (sa, ra)) in a {
        let (sb, rb) = b[k];
        assert!(close(*sa, sb, 0.0, 0.0), "{k:?}: score {sa} vs {sb}");
        assert_eq!(*ra, rb, "{k:?}: rank ({sa} vs {sb})");
    }
}

/// A panel: indicators (direction, dimension) and observations, one per
/// (unit, indicator, period) at most, some missing.
fn panel() -> impl Strategy<Value = (Vec<Indicator>, Vec<Observation>)> {
    (2usize..7, 1usize..5, 1usize..3).prop_flat_map(|(units, indicators, periods)| {
        let cells = units * indicators * periods;
        (
            prop::collection::vec((any::<bool>(), 0usize..2), indicators),
            // Small integers, so that ties occur; None leaves the cell out.
            prop::collection::vec(prop::option::weighted(0.85, 0i32..20), cells),
        )
            .prop_map(move |(kinds, values)| {
                let inds: Vec<Indicator> = kinds
                    .iter()
                    .enumerate()
                    .map(|(k, (higher, dim))| {
                        let dir = if *higher {
                            Direction::HigherBetter
                        } else {
                            Direction::LowerBetter
                        };
                        let mut i = Indicator::new(&format!("i{k}"), dir);
                        i.dimension = Some(format!("d{dim}"));
                        i
                    })
                    .collect();
                let mut obs = Vec::new();
                let mut n = 0;
                for p in 0..periods {
                    for u in 0..units {
                        for ind in &inds {
                            if let Some(v) = values[n] {
                                obs.push(Observation {
                                    unit: format!("u{u}"),
                                    indicator: ind.id.clone(),
                                    period: format!("{}", 2020 + p),
                                    value: f64::from(v),
                                });
                            }
                            n += 1;
                        }
                    }
                }
                (inds, obs)
            })
    })
}

/// The methods whose ranking is checked: the default (min-max) and a
/// geometric mean of shifted min-max values.
fn methods() -> Vec<IndexMethod> {
    let geometric = IndexMethod {
        normalisation: Normalisation::MinMax { lo: 1.0, hi: 100.0 },
        aggregation: weaver_evaluation::method::Aggregation::Geometric,
        ..IndexMethod::default()
    };
    vec![IndexMethod::default(), geometric]
}

proptest! {
    #![proptest_config(weaver_testkit::properties::config(64))]

    /// The observations shuffled give every unit the same score and rank in
    /// every period (to the last bit: a unit's score is computed from its
    /// own values and the columns' extremes, whatever the units' order).
    #[test]
    fn a_ranking_does_not_depend_on_the_order_of_the_rows(
        (inds, obs) in panel(),
        shuffle in any::<u64>(),
    ) {
        prop_assume!(!obs.is_empty());
        let mut shuffled = obs.clone();
        // A deterministic permutation from the seed (Fisher–Yates with an LCG).
        let mut state = shuffle | 1;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        for method in methods() {
            let a = Panel::from_observations(inds.clone(), &obs)
                .and_then(|p| composite_index(&p, &method, &IndexOptions::default()));
            let b = Panel::from_observations(inds.clone(), &shuffled)
                .and_then(|p| composite_index(&p, &method, &IndexOptions::default()));
            match (a, b) {
                (Ok(a), Ok(b)) => assert_same(&ranking(&a), &ranking(&b)),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "one order fails, the other not: {:?} / {:?}", a.err(), b.err()),
            }
        }
    }
}
